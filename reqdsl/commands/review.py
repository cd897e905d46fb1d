"""`reqdsl review stamp RV-ID [PATH]`: bind an approving review to the content it approved.

The command fingerprints every document the review covers (reqdsl.model.fingerprint)
and writes the record into the review's `stamp` field, and the git commit the project is
at into its `revision` field (removed when the project is not in a git repository, so a
stale one never stays). Only those two fields change: every other byte of the file, its
comments, layout, BOM and line endings included, is kept, and the file is replaced
atomically. From then on RV002 reports every change to that content.

Exit status: 0 stamped; 1 a file involved has syntax errors (fix them first, as for
`reqdsl fmt`); 2 no such review, a review that does not approve, a `covers` that names
no document, an unreadable or linked file, or a project that cannot be loaded.
"""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from ..cli import error_line

if TYPE_CHECKING:
    from ..model.elements import ModelElement
    from ..model.project import Project
    from ..parse.syntax import Element

NAME = "review"
HELP = "bind an approving review to the content it approved (`stamp`)"
READ_LIMIT = 64 * 1024 * 1024  # bytes of one .req file


class Refused(Exception):
    """The stamp cannot be made; `status` is the exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    stamp = actions.add_parser(
        "stamp",
        help="record a fingerprint of what the review approved (RV002 reports later changes)",
        description="Record in the review a fingerprint of every document it covers, and "
        "the git commit; RV002 then reports every element changed after the approval.",
    )
    stamp.add_argument("review", metavar="RV-ID", help="the ID of an approving review")
    stamp.add_argument("path", nargs="?", default=Path("."), type=Path, help="project folder")


def run(args: argparse.Namespace) -> int:
    from ..cli import EXIT_FAILURE, project_root

    if (root := project_root(Path(args.path))) is None:
        return EXIT_FAILURE
    args.path = root
    try:
        print(stamp_review(args.path, args.review))
    except Refused as error:
        error_line(str(error), "reqdsl review stamp")
        return error.status
    return 0


def stamp_review(root: Path, review_id: str) -> str:
    """Stamp `review_id` in the project at `root`; returns the line to print."""
    from ..model.fingerprint import fingerprint, members_by_document, render_record
    from ..model.sources import ProjectError
    from ..pipeline import Session
    from ..util.git import head_revision

    try:
        project = Session(root).load()
    except ProjectError as error:
        raise Refused(str(error)) from error
    review = _approving_review(project, review_id)
    documents = _covered_documents(project, review)
    _refuse_syntax_errors(project, [review, *documents])
    members = members_by_document(project.elements)
    prints = [fingerprint(members.get(d.id or "", []), d.id or "") for d in documents]
    record = render_record(prints)
    revision = head_revision(root)
    _write(project, review, record, revision)
    count = sum(len(p.elements) + sum(map(len, p.anonymous.values())) for p in prints)
    names = ", ".join(d.id or "" for d in documents)
    at = f" at commit {revision[:12]}" if revision else " (not in a git repository: no revision)"
    return f"stamped review {review.id} in {review.path}: {names}, {count} elements{at}"


def _approving_review(project: Project, review_id: str) -> ModelElement:
    from ..model.facts.reviews import APPROVING_OUTCOMES

    review = project.index.get(review_id)
    if review is None or review.kind != "review":
        reviews = [e.id for e in project.of_kind("review") if e.id]
        close = difflib.get_close_matches(review_id, reviews, n=1, cutoff=0.6)
        what = "is not a review" if review is not None else "does not exist"
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        raise Refused(f"`{review_id}` {what} in {project.root}{hint}")
    _refuse_syntax_errors(project, [review])
    outcome = review.word("outcome")
    if outcome not in APPROVING_OUTCOMES:
        raise Refused(
            f"review `{review_id}` has outcome `{outcome or 'none'}`; only an approving "
            f"review ({', '.join(APPROVING_OUTCOMES)}) binds an approval to content"
        )
    return review


def _covered_documents(project: Project, review: ModelElement) -> list[ModelElement]:
    documents: list[ModelElement] = []
    for covered in review.refs("covers"):
        document = project.index.get(covered.raw)
        if document is None or document.kind != "document":
            raise Refused(f"review `{review.id}` covers `{covered.raw}`, which is no document")
        if document not in documents:
            documents.append(document)
    if not documents:
        raise Refused(f"review `{review.id}` covers no document")
    return documents


def _refuse_syntax_errors(project: Project, elements: list[ModelElement]) -> None:
    broken = {d.path for d in project.found.get("SY001", [])}
    for element in elements:
        if element.broken or element.path in broken:
            raise Refused(
                f"{element.path} has syntax errors; fix them first (reqdsl check)", status=1
            )


def _write(project: Project, review: ModelElement, record: str, revision: str | None) -> None:
    """Set the review's `stamp` and `revision` in its file, every other byte kept."""
    from ..format.edit import apply, set_fields
    from ..parse.parser import parse_text
    from ..source import normalise_text
    from ..util.files import ReadRefused, read_bounded, write_atomic

    source = project.sources[review.path]
    path = source.path or project.root / review.path
    try:
        raw = read_bounded(path, READ_LIMIT).decode("utf-8")  # strict: bytes kept as read
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, ReadRefused) else str(error)
        raise Refused(f"cannot rewrite {review.path}: {reason}") from error
    if normalise_text(raw) != source.text:
        raise Refused(f"{review.path} changed while it was being stamped; run again", status=1)
    syntax = _syntax_element(project, review)
    values = {"stamp": f'"""\n{record}\n"""', "revision": f'"{revision}"' if revision else None}
    stamped = apply(raw, set_fields(source.text, syntax, values))
    _verify(parse_text(normalise_text(stamped), review.path), review, record)
    write_atomic(path, stamped)


def _syntax_element(project: Project, review: ModelElement) -> Element:
    parsed = project.parsed.get(review.path)
    assert parsed is not None  # the review was loaded from this file
    for element in parsed.elements():
        if element.kind == "review" and element.id == review.id and element.span == review.span:
            return element  # type: ignore[no-any-return]
    raise Refused(f"review `{review.id}` not found in {review.path}")  # pragma: no cover


def _verify(parsed: object, review: ModelElement, record: str) -> None:
    """The edited text parses and its review holds the record, or nothing is written."""
    from ..parse.syntax import ParsedFile

    assert isinstance(parsed, ParsedFile)
    for element in parsed.elements():
        if element.kind == "review" and element.id == review.id:
            stamp = next((f for f in element.fields if f.name == "stamp"), None)
            if not parsed.problems and stamp is not None and stamp.values[0].text == record:
                return
    raise Refused(f"internal error: stamping would damage {review.path}; nothing written")
