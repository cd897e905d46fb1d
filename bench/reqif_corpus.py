"""Import every ReqIF file (`.reqif`, `.reqifz`) under a folder and account for it.

    python bench/reqif_corpus.py FOLDER [--json]

For real exported files that cannot be committed here (the ReqIF files of StrictDoc's
`reqif` project: DOORS, Polarion, ReqIF Studio, Enterprise Architect, the ReqIF
implementor forum's test cases). For each file:

- the source, counted without reqdsl's importer (defusedxml): SPEC-OBJECTs,
  SPEC-RELATIONs and attribute values;
- reqdsl's import, written to a temporary folder and loaded as `reqdsl check` loads it:
  elements with an ID, resolved links, errors;
- the mapping report: values carried over (the report's "mapped" lines) and values not
  carried over, with what they were.

A file the importer refuses (not ReqIF, malformed, over a limit) is listed with its
one-line reason: a refusal is an answer. Anything else raised is a failure: the script
exits 1. It also exits 1 when a file's mapping report says it lost values, so that
"nothing lost" over a corpus is one exit status.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import fromstring

from reqdsl.interop.importing import ImportFailure, read_input, write_import
from reqdsl.interop.model_view import LinkIndex
from reqdsl.interop.reqif_import import import_reqif
from reqdsl.model.project import load_project
from reqdsl.pipeline import Session


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def source_counts(data: bytes) -> Counter[str]:
    """Objects, relations and attribute values in the file (every .reqif of an archive)."""
    parts = [data]
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [archive.read(n) for n in archive.namelist() if n.lower().endswith(".reqif")]
    counts: Counter[str] = Counter()
    for part in parts:
        try:
            root = fromstring(part)
        except Exception:  # a file the importer must refuse as well
            counts["unparsable"] += 1
            continue
        for node in root.iter():
            tag = _local(node.tag)
            if tag == "SPEC-OBJECT":
                counts["objects"] += 1
            elif tag == "SPEC-RELATION":
                counts["relations"] += 1
            elif tag.startswith("ATTRIBUTE-VALUE-"):
                counts["values"] += 1
    return counts


def import_counts(path: Path) -> dict[str, Any]:
    data = read_input(path)  # the import's own bounded read
    row: dict[str, Any] = {"file": str(path), **source_counts(data)}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "imported"
        try:
            result = import_reqif(data)
            write_import(result, out, name=path.stem, force=False)
        except ImportFailure as refused:
            row["refused"] = str(refused).splitlines()[0][:160]
            return row
        report = result.report_data()
        row["mapped"] = sum(line["count"] for line in report["mapped"])  # type: ignore[attr-defined]
        row["lost"] = report["lost_values"]
        row["lost_what"] = report["not_carried_over"]
        project = load_project(out, use_cache=False)
        index = LinkIndex(project)
        ids = [e.id for e in project.elements if e.id and e.kind != "document"]
        row["elements"] = len(ids)
        row["links"] = sum(
            1 for i in ids for link in index.outgoing(i) if link.target in project.index
        )
        row["errors"] = Session(out, use_cache=False).check().summary().errors
    return row


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    folder = Path(argv[0])
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".reqif", ".reqifz"))
    rows, failures = [], []
    for path in files:
        try:
            rows.append(import_counts(path))
        except Exception as error:  # the point is to find these
            failures.append(f"{path}: {type(error).__name__}: {error}")
    if "--json" in argv:
        print(json.dumps({"files": rows, "failures": failures}, indent=1))
    else:
        keys = ("objects", "relations", "values", "elements", "links", "mapped", "lost", "errors")
        print("| file | " + " | ".join(keys) + " | refused |")
        print("|---|" + "---:|" * len(keys) + "---|")
        for row in rows:
            name = str(Path(row["file"]).relative_to(folder))
            cells = [str(row.get(key, "")) for key in keys]
            print(f"| {name} | " + " | ".join(cells) + f" | {row.get('refused', '')} |")
        totals = Counter[str]()
        for row in rows:
            totals.update({k: row[k] for k in keys if isinstance(row.get(k), int)})
        refused = sum(1 for row in rows if "refused" in row)
        print(
            f"\n{len(files)} files: {len(rows) - refused} imported, {refused} refused, "
            f"{len(failures)} failures; totals: "
            + ", ".join(f"{key} {totals[key]}" for key in keys)
        )
        lost = Counter[str]()
        for row in rows:
            for line in row.get("lost_what", []):
                lost[line["what"]] += line["count"]
        for what, count in sorted(lost.items()):
            print(f"  not carried over: {what} (x{count})")
        for failure in failures:
            print(f"FAILURE {failure}")
    lost_any = any(row.get("lost") for row in rows)
    return 1 if failures or lost_any else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
