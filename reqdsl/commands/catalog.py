"""`reqdsl catalog list SCHEME` and `reqdsl catalog show SCHEME:REF`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..cli import error_line

if TYPE_CHECKING:
    from ..catalogs import Catalog, CatalogEntry

NAME = "catalog"
HELP = "look up GDPR, ISO/IEC 27001, WCAG and ATT&CK entries"


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="catalog_command", metavar="ACTION")
    listing = actions.add_parser("list", help="list a catalogue's entries")
    listing.add_argument("scheme", help="gdpr, iso27001, wcag, attack or a custom scheme")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument(
        "--project",
        type=Path,
        default=Path("."),
        help="project whose reqdsl.toml declares custom catalogues",
    )
    show = actions.add_parser("show", help="show one entry, e.g. gdpr:6(1)(b)")
    show.add_argument("ref", help="SCHEME:REF, e.g. iso27001:A.8.24 or attack:T1110.004")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.add_argument("--project", type=Path, default=Path("."))


def run(args: argparse.Namespace) -> int:
    if args.catalog_command is None:
        print("reqdsl catalog: say `list SCHEME` or `show SCHEME:REF`", file=sys.stderr)
        return 2
    return run_catalog(args)


def _catalogs(project: Path) -> dict[str, Catalog]:
    from ..catalogs import builtin_catalogs, load_tsv_catalog
    from ..model.config import load_config

    catalogs = dict(builtin_catalogs())
    if (project / "reqdsl.toml").is_file():
        config = load_config(project)
        for scheme, path in config.catalogs.items():
            catalogs[scheme] = load_tsv_catalog(scheme, path)
    return catalogs


def _entry_json(scheme: str, entry: CatalogEntry) -> dict[str, object]:
    return {
        "scheme": scheme,
        "ref": entry.ref,
        "id": f"{scheme}:{entry.ref}",
        "title": entry.title,
        "details": dict(entry.details),
    }


def run_catalog(args: argparse.Namespace) -> int:
    from ..catalogs import CatalogError
    from ..cli import EXIT_FAILURE, EXIT_OK, dump_json, emit
    from ..model.config import ConfigError

    try:
        catalogs = _catalogs(args.project)
    except (ConfigError, CatalogError) as error:
        error_line(str(error))
        return EXIT_FAILURE
    if args.catalog_command == "list":
        catalog = catalogs.get(args.scheme)
        if catalog is None:
            error_line(f"unknown catalogue `{args.scheme}`; known: {', '.join(sorted(catalogs))}")
            return EXIT_FAILURE
        entries = catalog.entries()
        if args.format == "json":
            emit(
                dump_json(
                    {
                        "scheme": catalog.scheme,
                        "title": catalog.title,
                        "entries": [_entry_json(catalog.scheme, e) for e in entries],
                    }
                )
            )
        else:
            width = max((len(e.ref) for e in entries), default=0)
            emit(
                f"{catalog.title} ({len(entries)} entries)\n"
                + "".join(f"{e.ref.ljust(width)}  {e.title}\n" for e in entries)
            )
        return EXIT_OK
    scheme, sep, ref = args.ref.partition(":")
    catalog = catalogs.get(scheme) if sep else None
    if catalog is None:
        error_line(
            f"write SCHEME:REF with a known scheme ({', '.join(sorted(catalogs))}), "
            "e.g. gdpr:6(1)(b)"
        )
        return EXIT_FAILURE
    entry = catalog.lookup(ref)
    if entry is None:
        problem = catalog.problem(ref) or f"no entry `{ref}` in `{scheme}`"
        suggestions = catalog.suggestions(ref)
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        error_line(f"{problem}{hint}")
        return 1
    if args.format == "json":
        data = _entry_json(scheme, entry)
        data["cited_as"] = [f"{scheme}:{r}" for r in catalog.cited(ref)]
        emit(dump_json(data))
    else:
        lines = [f"{scheme}:{entry.ref}  {entry.title}", f"catalogue: {catalog.title}"]
        lines += [f"{key}: {value}" for key, value in entry.details.items() if value]
        emit("\n".join(lines) + "\n")
    return EXIT_OK
