"""Review stamps (issue 17, part 4): an approval is bound to the content it approved.

`reqdsl review stamp RV-ID` records a fingerprint of what an approving review covers;
RV002 reports every element and field changed since, whether or not anyone bumped a
version; RV003 (info) names approvals that nothing binds. Every test runs the real CLI.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from .conftest import run_reqdsl

SRS = """\
# The booking SRS. This comment, and every other, must survive stamping.
document SRS "Booking SRS" {
    level: software
    version: "3.0"
    status: approved   # approved at 3.0
}

stakeholder ST-OWNER "Product owner"

text \"\"\"
    Bookings are made online.
\"\"\"

requirement REQ-7 "Confirmation" {
    statement: "The system shall confirm a booking within 2 seconds."
    verification: inspection, analysis
    compliance: iso27001:A.5.33
}

requirement REQ-8 "Reminder" {
    statement: "The system shall send a reminder 24 hours before an appointment."
    verification: inspection
    compliance: iso27001:A.5.33
}
"""

REVIEW = """\
# Sign-off of the SRS.
review RV-1 "SRS sign-off" {
    covers: SRS
    version: "3.0"
    date: "2026-11-20"
    reviewers: ST-OWNER
    outcome: {outcome}    # recorded by the chair
}
"""


def make_project(folder: Path, outcome: str = "approved", srs: str = SRS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "srs.req").write_text(srs, encoding="utf-8")
    review = 'document REVIEWS "Reviews" {}\n\n' + REVIEW.replace("{outcome}", outcome)
    (folder / "reviews.req").write_text(review, encoding="utf-8")
    return folder


def stamp(project: Path, review: str = "RV-1") -> subprocess.CompletedProcess[str]:
    return run_reqdsl("review", "stamp", review, str(project))


def check(project: Path, *extra: str) -> dict[str, Any]:
    result = run_reqdsl("check", "--format", "json", "--no-cache", *extra, str(project))
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def found(project: Path, code: str) -> list[dict[str, Any]]:
    return [d for d in check(project)["diagnostics"] if d["code"] == code]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_statement_changed_without_a_version_bump_is_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    result = stamp(project)
    assert result.returncode == 0, result.stderr
    assert found(project, "RV002") == []
    edit(project / "srs.req", "within 2 seconds", "within 5 seconds")  # version stays 3.0
    changed = found(project, "RV002")
    assert [(d["path"], d["line"], d["column"]) for d in changed] == [("srs.req", 15, 16)]
    assert changed[0]["severity"] == "warning"
    assert changed[0]["message"] == (
        "`statement` of `REQ-7` changed after review `RV-1` approved it (2026-11-20)"
    )


def test_reformatting_and_reordering_keep_the_approval(tmp_path: Path) -> None:
    messy = (
        SRS.replace("    level: software\n", "  level:   software\n")
        .replace("verification: inspection, analysis", "verification: analysis,inspection")
        .replace('"The system shall send', '"""\n        The system shall send')
        .replace('appointment."\n', 'appointment.\n    """\n', 1)
    )
    project = make_project(tmp_path / "p", srs=messy)
    assert stamp(project).returncode == 0
    before = (project / "srs.req").read_text(encoding="utf-8")
    formatted = run_reqdsl("fmt", str(project))
    assert formatted.returncode == 0, formatted.stderr
    assert (project / "srs.req").read_text(encoding="utf-8") != before  # fmt did change it
    assert found(project, "RV002") == []
    # A stamped file is already in the canonical layout where the stamp went.
    assert run_reqdsl("fmt", "--check", str(project)).returncode == 0


def test_added_and_removed_elements_and_fields_are_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert stamp(project).returncode == 0
    srs = project / "srs.req"
    edit(srs, 'requirement REQ-8 "Reminder"', 'requirement REQ-9 "Reminder"')
    edit(srs, "Bookings are made online.", "Bookings are made online or by phone.")
    edit(srs, "    verification: inspection, analysis\n", "")
    messages = sorted(d["message"] for d in found(project, "RV002"))
    since = "after review `RV-1` approved it (2026-11-20)"
    assert messages == sorted(
        [
            f"`REQ-8` was removed from `SRS` {since}",
            f"`REQ-9` was added to `SRS` {since}",
            f"`verification` of `REQ-7` was removed {since}",
            f"a `text` of `SRS` changed or was added {since}",
        ]
    )


def test_stamping_keeps_every_other_byte(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    review = project / "reviews.req"
    original = ("\ufeff" + review.read_text(encoding="utf-8")).replace("\n", "\r\n").encode()
    review.write_bytes(original)
    assert stamp(project).returncode == 0
    stamped = review.read_bytes()
    operations = difflib.SequenceMatcher(None, original, stamped, autojunk=False).get_opcodes()
    assert {op for op, *_ in operations} == {"equal", "insert"}
    inserted = b"".join(stamped[j1:j2] for op, _, _, j1, j2 in operations if op == "insert")
    assert b'stamp: """\r\n    document SRS v1:' in inserted
    assert b"\n" not in inserted.replace(b"\r\n", b"")  # the file's CRLF line endings
    assert stamped.startswith(b'\xef\xbb\xbfdocument REVIEWS "Reviews" {}\r\n\r\n# Sign-off')
    assert b"outcome: approved    # recorded by the chair\r\n    stamp:" in stamped
    # Stamping again after a reviewed change replaces the stamp, nothing else.
    edit(project / "srs.req", "within 2 seconds", "within 5 seconds")
    assert len(found(project, "RV002")) == 1
    assert stamp(project).returncode == 0
    again = review.read_bytes()
    assert again.count(b"stamp:") == 1
    assert again.split(b"stamp:")[0] == stamped.split(b"stamp:")[0]
    assert found(project, "RV002") == []


def test_a_review_that_does_not_approve_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", outcome="rejected")
    before = (project / "reviews.req").read_bytes()
    result = stamp(project)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "review `RV-1` has outcome `rejected`" in result.stderr
    missing = stamp(project, "RV-2")
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1 and "`RV-2` does not exist" in missing.stderr
    not_a_review = stamp(project, "REQ-7")
    assert not_a_review.returncode == 2 and "`REQ-7` is not a review" in not_a_review.stderr
    assert (project / "reviews.req").read_bytes() == before


def test_a_file_with_syntax_errors_is_not_stamped(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    edit(project / "srs.req", 'requirement REQ-8 "Reminder" {', 'requirement REQ-8 "Reminder" {{')
    before = (project / "reviews.req").read_bytes()
    result = stamp(project)
    assert result.returncode == 1
    assert "srs.req has syntax errors" in result.stderr
    assert (project / "reviews.req").read_bytes() == before


def test_a_linked_review_file_is_not_written_through(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    real = project / "real-reviews.txt"
    (project / "reviews.req").rename(real)
    (project / "reviews.req").symlink_to(real.name)
    before = real.read_bytes()
    result = stamp(project)
    assert result.returncode == 2, result.stderr
    assert "cannot rewrite reviews.req" in result.stderr
    assert (project / "reviews.req").is_symlink() and real.read_bytes() == before


def test_the_git_revision_is_recorded(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo")
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    }  # fmt: skip

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(project), *args],
            capture_output=True, text=True, check=True, env=environment,
        )  # fmt: skip
        return done.stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "SRS 3.0")
    head = git("rev-parse", "HEAD")
    result = stamp(project)
    assert result.returncode == 0, result.stderr
    assert f"at commit {head[:12]}" in result.stdout
    assert f'    revision: "{head}"\n' in (project / "reviews.req").read_text(encoding="utf-8")
    edit(project / "srs.req", "within 2 seconds", "within 5 seconds")
    [changed] = found(project, "RV002")
    assert changed["message"].endswith(f"(2026-11-20, commit {head[:12]})")


def test_an_unstamped_approval_is_an_info_a_project_may_raise(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    [info] = found(project, "RV003")
    assert (info["path"], info["line"], info["severity"]) == ("reviews.req", 9, "info")
    assert run_reqdsl("check", "--strict", "--no-cache", str(project)).returncode == 0
    (project / "reqdsl.toml").write_text('[checks]\nseverity = { RV003 = "warning" }\n')
    assert run_reqdsl("check", "--strict", "--no-cache", str(project)).returncode == 1
    assert stamp(project).returncode == 0
    assert run_reqdsl("check", "--strict", "--no-cache", str(project)).returncode == 0


def test_a_hand_edited_stamp_is_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert stamp(project).returncode == 0
    review = project / "reviews.req"
    text = review.read_text(encoding="utf-8")
    digest_line = next(line for line in text.splitlines() if "document SRS v1:" in line)
    edit(review, digest_line, digest_line[:-1] + ("0" if digest_line[-1] != "0" else "1"))
    [unlocated] = found(project, "RV002")
    assert "the stamp names no changed element" in unlocated["message"]
    edit(review, "REQ-7 ", "REQ-7 statement ")
    [unreadable] = found(project, "RV002")
    assert "the stamp of review `RV-1` cannot be read" in unreadable["message"]


def test_a_later_approval_is_the_baseline(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert stamp(project).returncode == 0
    edit(project / "srs.req", "within 2 seconds", "within 5 seconds")
    assert len(found(project, "RV002")) == 1
    later = REVIEW.replace("RV-1", "RV-2").replace("2026-11-20", "2026-12-01")
    with (project / "reviews.req").open("a", encoding="utf-8") as stream:
        stream.write("\n" + later.replace("{outcome}", "approved-with-changes"))
    assert found(project, "RV002") == []  # RV-2 approved the change; not stamped yet
    assert [d["message"][:30] for d in found(project, "RV003")] == [
        "approving review `RV-2` is not"
    ]


def test_the_validation_page_says_which_approvals_are_stamped(tmp_path: Path) -> None:
    from reqdsl.commands.check import check_project
    from reqdsl.site.context import SiteContext
    from reqdsl.site.diagrams import SiteDiagrams
    from reqdsl.site.junit import test_results as shown_results  # not a test
    from reqdsl.site.pages.validation import validation_page

    def page(project: Path) -> str:
        checked, diagnostics, summary = check_project(project, use_cache=False)
        context = SiteContext(checked, diagnostics, summary, SiteDiagrams(), shown_results(None))
        return "".join(validation_page(context).values())

    project = make_project(tmp_path / "p")
    assert "bound by a stamp" not in page(project)
    assert stamp(project).returncode == 0
    assert "bound by a stamp" in page(project)
