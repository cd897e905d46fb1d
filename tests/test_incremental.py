"""Incremental checking equals a full check (issue 19).

After an edit the session re-runs only what the changed files can affect (the rules'
scopes, reqdsl.checks.incremental). Whatever the edits, its diagnostics must be those of
a fresh session that reads the same texts and checks everything: random edit sequences
(IDs renamed, duplicated, links broken and fixed, statements changed, lines and elements
added or removed, syntax errors, files created and deleted on disk) on the conformance
corpus and the samples, compared after every step (code, severity, message, place, hint,
related places, fixes, and the withheld count).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from reqdsl.checks.registry import all_rules
from reqdsl.pipeline import Checked, Session

from .conftest import open_lsp_session, reqdsl_command
from .test_lsp import NAVIGATE, change_doc, codes, make_project, open_doc, position, wait_for

HERE = Path(__file__).resolve().parent
CONFORMANCE = HERE.parent.parent / "shared" / "conformance"
SAMPLES = HERE.parent / "samples"
PROJECTS = sorted(
    [p for p in CONFORMANCE.iterdir() if p.is_dir() and any(p.rglob("*.req"))]
    + [p for p in SAMPLES.iterdir() if p.is_dir()]
)
WORD = re.compile(r"[^\W\d_](?:[\w.\-]*[\w.])?")
PHRASES = ("TBD ", "and/or ", "shall ", "fast ", "shall not ", "must ", "user-friendly ")
SNIPPETS = (
    'requirement NEW-1 "Added" {\n    statement: "The system shall log in."\n}\n',
    'requirement NEW-2 "Added" {\n    statement: "The system shall be fast and/or TBD."\n'
    "    derives-from: NEW-1\n    verification: test\n}\n",
    'test TC-NEW "Added test" {\n    verifies: NEW-1\n    method: test\n}\n',
    'requirement CYC-1 "Loop" {\n    statement: "The system shall log."\n    refines: CYC-2\n}\n'
    'requirement CYC-2 "Loop" {\n    statement: "The system shall log."\n    refines: CYC-1\n}\n',
    'requirement CYC-1 "Loop" {\n    statement: "The system shall log."\n    refines: CYC-2\n}\n',
    'requirement CYC-2 "Loop" {\n    statement: "The system shall log."\n    refines: CYC-1\n}\n',
    "}\n",
    "requirement {\n",
)


def _findings(checked: Checked) -> tuple[list[dict[str, object]], int]:
    return [d.to_json() for d in checked.diagnostics], checked.withheld


def _full(root: Path, overlays: dict[str, str]) -> Checked:
    """What a fresh session checking everything says of the same texts."""
    fresh = Session(root, use_cache=False, tolerant=True)
    fresh.open_files()
    for relpath, text in overlays.items():
        fresh.edit(relpath, text, root / relpath)
    return fresh.recheck()


def _ids(session: Session) -> list[str]:
    words = {"NEW-1", "NEW-2", "TC-NEW", "MISSING-9", "CYC-1", "CYC-2"}
    for state in session.files.values():
        words.update(w for w in WORD.findall(state.source.text) if any(c.isdigit() for c in w))
    return sorted(words)


def _edited(data: st.DataObject, text: str, ids: list[str]) -> str:
    """One random edit of a file's text."""
    action = data.draw(st.sampled_from(["word", "phrase", "line", "snippet", "colon", "char"]))
    if action == "colon":  # a field without its colon: its element is broken, the rest
        colons = [m.start() for m in re.finditer(r"(?<=[a-z]):(?= )", text)]  # parsed
        if colons:
            at = data.draw(st.sampled_from(colons))
            return text[:at] + text[at + 1 :]
    if action == "word":  # rename or duplicate an ID, break or fix a link
        found = [m for m in WORD.finditer(text) if any(c.isdigit() for c in m.group())]
        if found:
            match = data.draw(st.sampled_from(found))
            new = data.draw(st.sampled_from([*ids, match.group() + "X", match.group()[:-1]]))
            return text[: match.start()] + new + text[match.end() :]
    if action == "phrase":  # change a statement (or any quoted text)
        quotes = [m.end() for m in re.finditer('"', text)]
        if quotes:
            at = data.draw(st.sampled_from(quotes))
            return text[:at] + data.draw(st.sampled_from(PHRASES)) + text[at:]
    lines = text.splitlines(keepends=True)
    if action == "line" and lines:  # remove a line, or repeat one elsewhere
        index = data.draw(st.integers(0, len(lines) - 1))
        if data.draw(st.booleans()):
            del lines[index]
        else:
            lines.insert(data.draw(st.integers(0, len(lines))), lines[index])
        return "".join(lines)
    if action == "snippet":  # add an element (or half of one: a syntax error)
        at = data.draw(st.integers(0, len(lines)))
        lines.insert(at, data.draw(st.sampled_from(SNIPPETS)))
        return "".join(lines)
    if text:  # delete a character
        at = data.draw(st.integers(0, len(text) - 1))
        return text[:at] + text[at + 1 :]
    return text


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_incremental_check_equals_a_full_check_after_every_edit(
    project: Path, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / project.name
        shutil.copytree(project, root)
        session = Session(root, use_cache=False, tolerant=True)
        session.open_files()
        assert _findings(session.recheck()) == _findings(_full(root, {}))
        overlays: dict[str, str] = {}
        for _step in range(data.draw(st.integers(1, 6), label="steps")):
            relpaths = sorted(session.files) or ["new.req"]
            relpath = data.draw(st.sampled_from(relpaths))
            action = data.draw(st.sampled_from(["edit", "edit", "edit", "revert", "disk"]))
            if action == "edit":
                state = session.files.get(relpath)
                text = _edited(data, state.source.text if state else "", _ids(session))
                overlays[relpath] = text
                session.edit(relpath, text, root / relpath)
            elif action == "revert" and relpath in overlays:
                del overlays[relpath]
                session.revert(relpath)
            else:  # another tool created or deleted a file
                target = data.draw(st.sampled_from([relpath, "created.req"]))
                path = root / target
                if path.exists() and data.draw(st.booleans()):
                    path.unlink()
                else:
                    path.write_text(data.draw(st.sampled_from(SNIPPETS)), encoding="utf-8")
                session.reread(target)
            assert _findings(session.recheck()) == _findings(_full(root, overlays))


def test_rules_declare_what_their_findings_depend_on() -> None:
    """Every rule has a scope; the cheap local ones are not left to run in full."""
    scopes = {r.code: r.scope for r in all_rules()}
    assert set(scopes.values()) <= {"file", "links", "project"}
    assert scopes["QU001"] == "file" and scopes["SM007"] == "links"
    assert all(r.scope == "project" for r in all_rules() if r.at_load)


# ---------------------------------------------------------------- the language server
@pytest_lsp.fixture(config=ClientServerConfig(server_command=[*reqdsl_command(), "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path: Path):  # type: ignore[no-untyped-def]
    await open_lsp_session(lsp_client, tmp_path, "incremental")
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_completion_right_after_a_keystroke_answers_without_waiting_for_the_recheck(
    client: LanguageClient,
) -> None:
    """Completion answers from the edited text and the last consistent model: it does
    not apply the keystroke's recheck first (it did, 1.5 s at 10,000 requirements), so
    its answer comes before the keystroke's diagnostics, which still come."""
    folder = make_project(client, "complete", {"a.req": NAVIGATE})
    uri = open_doc(client, folder / "a.req")
    await wait_for(client, uri, lambda ds: "SM002" not in codes(ds))
    before = client.diagnostics[uri]
    edited = NAVIGATE + (
        'requirement A-3 "Three" {\n    statement: "The system shall log."\n'
        "    depends-on: NOPE, A\n}\n"
    )
    change_doc(client, uri, 2, edited)
    found = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position(edited, "NOPE, A", delta=len("NOPE, A")),
        )
    )
    assert client.diagnostics[uri] is before  # answered before the recheck published
    assert isinstance(found, types.CompletionList)
    assert {"A-1", "A-2"} <= {item.label for item in found.items}
    await wait_for(client, uri, lambda ds: "SM002" in codes(ds))  # the recheck still comes


# ---------------------------------------------------------------- reqdsl serve
def test_serve_keeps_the_session_and_reads_again_only_the_changed_file(tmp_path: Path) -> None:
    """`reqdsl serve` builds with one session kept in memory: a saved edit re-parses the
    edited file only (the other files keep their states) and the site shows what a
    fresh check finds."""
    from reqdsl.site.builder import BuildOptions, build_site

    root = tmp_path / "quickstart"
    shutil.copytree(SAMPLES / "quickstart", root)
    session = Session(root)
    options = BuildOptions(
        project=root,
        output=tmp_path / "site",
        allow_errors=True,
        diagrams=False,
        sources=tmp_path / "sources",
        session=session,
    )
    build_site(options, stream=None)
    before = dict(session.files)
    edited = sorted(before)[0]
    with (root / edited).open("a", encoding="utf-8") as out:
        out.write('\nrequirement SRV-NEW "Added" {\n    statement: "It shall be fast."\n}\n')
    build_site(options, stream=None)
    assert session.files[edited] is not before[edited]
    assert all(session.files[r] is before[r] for r in before if r != edited)
    assert session.checked is not None
    fresh = Session(root).check()
    assert [d.to_json() for d in session.checked.diagnostics] == [
        d.to_json() for d in fresh.diagnostics
    ]
    assert any("SRV-NEW" in page.read_text("utf-8") for page in (tmp_path / "site").rglob("*.html"))


def test_a_keystroke_that_closes_or_opens_a_cycle_is_seen(tmp_path: Path) -> None:
    """SM006 in a session updates the last graph with the edited file's edges and, when
    the graph was acyclic, looks for a cycle only through the new edges: each step is
    compared with a full check (a cycle closed across files, a self-loop, an edge added
    that closes nothing, an ID defined twice whose copy is taken out, the cycle broken)."""
    files = {
        "a.req": 'document A "A" { level: system }\n'
        'requirement R1 "One" { statement: "The system shall one." refines: R2 }\n',
        "b.req": 'document B "B" { level: system }\n'
        'requirement R2 "Two" { statement: "The system shall two." }\n'
        'requirement R3 "Three" { statement: "The system shall three." }\n',
    }
    for relpath, text in files.items():
        (tmp_path / relpath).write_text(text, encoding="utf-8")
    session = Session(tmp_path, use_cache=False, tolerant=True)
    session.open_files()
    session.recheck()
    b = files["b.req"]
    steps = [
        ("b.req", b.replace('two." }', 'two." refines: R1 }')),  # R1 <-> R2
        ("b.req", b.replace('two." }', 'two." refines: R3 }')),  # closes nothing
        ("b.req", b.replace('three." }', 'three." refines: R3 }')),  # a self-loop
        ("b.req", b),  # acyclic again
        ("a.req", files["a.req"] + 'requirement R2 "Again" { statement: "x." refines: R1 }\n'),
        ("a.req", files["a.req"]),  # the duplicate and its edge taken out
        ("b.req", b.replace('two." }', 'two." refines: R3 }').replace('three." }', 'three." refines: R1 }')),
    ]  # fmt: skip
    overlays: dict[str, str] = {}
    cycles = []
    for relpath, text in steps:
        overlays[relpath] = text
        session.edit(relpath, text, tmp_path / relpath)
        checked = session.recheck()
        assert _findings(checked) == _findings(_full(tmp_path, overlays)), (relpath, text)
        cycles.append(sum(d.code == "SM006" for d in checked.diagnostics))
    assert cycles == [1, 0, 1, 0, 1, 0, 1]
