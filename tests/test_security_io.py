"""Hostile trees on disk (security review, issue 16): links out of a diagram folder, an
imported tree, a project's sources or a git revision; control characters that reach the
terminal or a workbook. Every "victim" folder lies outside the project and must come out
of each command unchanged, and unread."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from reqdsl.cli import main
from reqdsl.interop.git_revisions import baseline_diff

from .conftest import SHARED, run_reqdsl

VALID = SHARED / "conformance" / "valid"
SECRET = "ghp_SECRETTOKEN0123456789"
ESC = "\x1b]0;owned\x07\x1b[2J"


def _victim(tmp_path: Path) -> Path:
    """A folder outside every project, holding files a link must not reach."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.tex").write_text("four years of work\n", encoding="utf-8")
    (victim / "hosts.yml").write_text(f"github.com:\n  oauth_token: {SECRET}\n", "utf-8")
    return victim


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _all_text(folder: Path) -> str:
    return "".join(
        path.read_text("utf-8", "replace") for path in folder.rglob("*") if path.is_file()
    )


# Finding 5: `reqdsl diagrams -o DIR` never deletes or writes through a link.


def test_planted_diagram_manifest_cannot_delete_through_a_link(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    before = _snapshot(victim)
    project = tmp_path / "checkout"
    shutil.copytree(VALID, project)
    out = project / "diagrams"  # committed by the pull request, as is everything in it
    out.mkdir()
    (out / "v").symlink_to("../../victim")
    (out / "up").symlink_to(victim / "thesis.tex")
    (out / ".reqdsl-diagrams").write_text(
        "v/thesis.tex\nup\n../../victim/hosts.yml\n", encoding="utf-8"
    )
    done = run_reqdsl("diagrams", str(project), "-o", str(out), "--format", "puml")
    assert done.returncode == 0, done.stderr
    assert _snapshot(victim) == before
    assert (out / "v").is_symlink() and (out / "up").is_symlink()  # not ours: left alone


def test_diagram_folder_replaced_by_a_link_is_not_written_through(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    (victim / "SRS.puml").write_text("mine\n", encoding="utf-8")
    (victim / "TP.puml").write_text("also mine\n", encoding="utf-8")
    before = _snapshot(victim)
    project = tmp_path / "checkout"
    shutil.copytree(VALID, project)
    out = project / "diagrams"
    first = run_reqdsl("diagrams", str(project), "-o", str(out), "--format", "puml")
    assert first.returncode == 0, first.stderr
    assert (out / "traceability" / "TP.puml").is_file()
    shutil.rmtree(out / "traceability")
    (out / "traceability").symlink_to(victim)  # SRS.puml is written, TP.puml deleted
    (project / "tests.req").unlink()  # so that traceability/TP.puml is no longer drawn
    second = run_reqdsl("diagrams", str(project), "-o", str(out), "--format", "puml")
    assert _snapshot(victim) == before
    assert second.returncode == 2
    assert "symbolic link" in second.stderr and "Traceback" not in second.stderr


def test_files_of_an_earlier_run_are_not_removed_through_a_link(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    project = tmp_path / "checkout"
    shutil.copytree(VALID, project)
    out = project / "diagrams"
    assert run_reqdsl("diagrams", str(project), "-o", str(out), "--format", "puml").returncode == 0
    for name in [p.name for p in (out / "traceability").iterdir()]:
        (victim / name).write_text("mine\n", encoding="utf-8")
    before = _snapshot(victim)
    shutil.rmtree(out / "traceability")
    (out / "traceability").symlink_to(victim)  # the manifest is genuine: it lists them
    for path in project.glob("*.req"):
        path.unlink()  # no diagram any more: every file of the last run goes
    # (one file left, with no element: a folder with no .req file at all is exit 2)
    (project / "empty.req").write_text("# nothing yet\n", encoding="utf-8")
    done = run_reqdsl("diagrams", str(project), "-o", str(out), "--format", "puml")
    assert done.returncode == 0, done.stderr
    assert _snapshot(victim) == before
    assert not (out / "use-cases.puml").exists()  # a file of ours, not behind a link


def test_diagram_files_of_an_earlier_run_are_still_removed(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(VALID, project)
    out = tmp_path / "out"
    assert run_reqdsl("diagrams", str(project), "-o", str(out), "--format", "puml").returncode == 0
    (project / "tests.req").unlink()
    again = run_reqdsl("diagrams", str(project), "-o", str(out), "--format", "puml")
    assert again.returncode == 0, again.stderr
    assert "1 removed" in again.stdout and not (out / "traceability" / "TP.puml").exists()
    assert (out / "traceability" / "SRS.puml").is_file()


# Finding 9: imports read no linked file or folder, and read bounded amounts.


def _doorstop_tree(root: Path) -> Path:
    reqs = root / "reqs"
    reqs.mkdir(parents=True)
    (reqs / ".doorstop.yml").write_text("settings:\n  prefix: REQ\n  sep: ''\n", "utf-8")
    (reqs / "REQ001.yml").write_text("level: 1\ntext: The pump shall stop.\n", "utf-8")
    return reqs


def test_doorstop_import_does_not_follow_links(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    (victim / "sub").mkdir()
    (victim / "sub" / ".doorstop.yml").write_text("settings:\n  prefix: SUB\n", "utf-8")
    (victim / "sub" / "SUB001.yml").write_text(f"text: {SECRET}\n", "utf-8")
    before = _snapshot(victim)
    reqs = _doorstop_tree(tmp_path / "tree")
    (reqs / "REQ002.yml").symlink_to(victim / "hosts.yml")
    (reqs / "sub").symlink_to(victim / "sub")
    out = tmp_path / "imported"
    done = run_reqdsl("import", "doorstop", str(tmp_path / "tree"), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert SECRET not in _all_text(out) + done.stdout + done.stderr
    assert "REQ001" in _all_text(out)
    assert "skipped `reqs/REQ002.yml`: a symbolic link" in done.stdout
    assert "skipped `reqs/sub`: a symbolic link" in done.stdout
    assert _snapshot(victim) == before


def test_strictdoc_import_does_not_follow_links(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    (victim / "leak.sdoc").write_text(
        f"[DOCUMENT]\nTITLE: Leak\n\n[REQUIREMENT]\nUID: L-1\nSTATEMENT: {SECRET}\n", "utf-8"
    )
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.sdoc").write_text(
        "[DOCUMENT]\nTITLE: Pump\n\n[REQUIREMENT]\nUID: P-1\nSTATEMENT: It shall stop.\n", "utf-8"
    )
    (tree / "b.sdoc").symlink_to(victim / "leak.sdoc")
    (tree / "more").symlink_to(victim)
    out = tmp_path / "imported"
    done = run_reqdsl("import", "strictdoc", str(tree), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert SECRET not in _all_text(out) + done.stdout + done.stderr
    assert "P-1" in _all_text(out)
    assert "skipped `b.sdoc`: a symbolic link" in done.stdout
    assert "skipped `more`: a symbolic link" in done.stdout


@pytest.mark.parametrize("source_format", ["doorstop", "strictdoc", "reqif"])
def test_import_reads_are_bounded(tmp_path: Path, source_format: str) -> None:
    from reqdsl.util.files import MAX_INPUT_BYTES

    tree = tmp_path / "tree"
    if source_format == "doorstop":
        big = _doorstop_tree(tree) / "REQ003.yml"
    else:
        tree.mkdir()
        big = tree / ("big.sdoc" if source_format == "strictdoc" else "big.reqif")
    with big.open("wb") as stream:  # sparse: costs no disk, would cost the memory to read
        stream.truncate(MAX_INPUT_BYTES + 1)
    source = big if source_format == "reqif" else tree
    done = run_reqdsl("import", source_format, str(source), "-o", str(tmp_path / "out"))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "larger than" in done.stderr and done.stderr.count("\n") == 1


def test_an_oversized_item_is_refused_before_it_is_read(tmp_path: Path) -> None:
    import tracemalloc

    from reqdsl.interop.doorstop import import_doorstop
    from reqdsl.interop.importing import ImportFailure

    big = _doorstop_tree(tmp_path / "tree") / "REQ003.yml"
    with big.open("wb") as stream:
        stream.truncate(256 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailure, match="larger than"):
            import_doorstop(tmp_path / "tree")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak  # the whole file was read: 256 MiB and more


# Finding 11: control characters never reach the terminal or break a workbook.


def test_import_report_neutralises_control_characters(tmp_path: Path) -> None:
    reqs = _doorstop_tree(tmp_path / "tree")
    (reqs / "REQ002.yml").write_text(
        'level: 2\ntext: The valve shall close.\n"x\\e]0;owned\\a\\e[2J": value\n', "utf-8"
    )
    done = run_reqdsl("import", "doorstop", str(tmp_path / "tree"), "-o", str(tmp_path / "o"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout
    assert "Doorstop attribute `x\u241b]0;owned\u2407" in done.stdout


def test_error_lines_neutralise_control_characters(tmp_path: Path) -> None:
    toml = '[build]\nsite_dir = "../\\u001b]0;owned\\u0007"\n'  # TOML escapes
    (tmp_path / "reqdsl.toml").write_text(toml, encoding="utf-8")
    done = run_reqdsl("check", str(tmp_path))
    assert done.returncode == 2
    assert "site_dir" in done.stderr and "\x1b" not in done.stderr and "\u241b" in done.stderr


def test_internal_error_message_neutralises_control_characters() -> None:
    from reqdsl.cli import internal_error_message

    # The message of an unexpected exception may quote user text (openpyxl's
    # IllegalCharacterError quotes the whole cell, for one).
    text = internal_error_message(ValueError(f"bad cell: Stop{ESC} the pump"))
    assert "\x1b" not in text and "\x07" not in text
    assert "ValueError: bad cell: Stop\u241b]0;owned\u2407\u241b[2J the pump" in text


def test_xlsx_export_of_control_characters(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    project = tmp_path / "p"
    project.mkdir()
    (project / "d.req").write_text(
        'document D "d" { level: software }\n'
        'requirement R-1 "Stop\x1b[2J\x07 the pump" { statement: "The pump shall stop." }\n',
        encoding="utf-8",
    )
    out = tmp_path / "m.xlsx"
    assert main(["export", str(project), "--format", "xlsx", "-o", str(out), "--no-cache"]) == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    titles = [row[1].value for row in sheet.iter_rows(min_row=3)]  # title, header
    assert titles == ["Stop\u241b[2J\u2407 the pump"]


# Finding 12: a project's sources stay inside the project.


def test_sources_entry_linking_out_of_the_project_is_refused(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    (victim / "secret.req").write_text(f'document S "{SECRET}"\n', encoding="utf-8")
    project = tmp_path / "p"
    project.mkdir()
    (project / "reqdsl.toml").write_text('[project]\nsources = ["ext"]\n', "utf-8")
    (project / "ext").symlink_to(victim)
    done = run_reqdsl("check", str(project))
    assert done.returncode == 2, done.stdout + done.stderr
    assert SECRET not in done.stdout + done.stderr and str(victim) not in done.stderr
    assert "`project.sources` entry `ext`" in done.stderr and done.stderr.count("\n") == 1
    (project / "ext").unlink()
    (project / "ext").symlink_to("/")
    done = run_reqdsl("check", str(project))
    assert done.returncode == 2 and done.stderr.count("\n") == 1


def test_folder_links_inside_the_sources_are_not_walked(tmp_path: Path) -> None:
    victim = _victim(tmp_path)
    (victim / "secret.req").write_text(f'document S "{SECRET}"\n', encoding="utf-8")
    project = tmp_path / "p"
    project.mkdir()
    (project / "a.req").write_text('document D "d" { level: software }\n', encoding="utf-8")
    (project / "linked").symlink_to(victim)
    done = run_reqdsl("check", "--format", "json", str(project))
    assert SECRET not in done.stdout + done.stderr
    assert str(victim) not in done.stdout and "secret.req" not in done.stdout


# Finding 15: an absolute link in a git revision is skipped, not an internal error.


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_git_revision_with_an_absolute_link(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    (repo / "abs.req").symlink_to("/etc/passwd")
    (repo / "up.req").symlink_to("../../outside.req")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "v1")
    done = run_reqdsl("diff", "--git", "HEAD", str(repo), "--no-cache")
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert done.returncode in (0, 1), done.stderr
    assert "root:" not in done.stdout
    changes = baseline_diff(repo, "HEAD", use_cache=False)
    assert changes.old_label == "HEAD"
