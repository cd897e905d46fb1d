"""Real rendering with the Java and PlantUML that reqdsl depends on: SVGs that hold the
model's names, the cache (a second build renders nothing), hostile labels (no file
content, no environment value, no markup executed), error images recognised, and a
machine without Java handled with a reason instead of a traceback."""

from __future__ import annotations

import html
import random
import re
import shutil
import string
from pathlib import Path

import pytest

from reqdsl.diagrams import (
    RenderUnavailable,
    build_diagrams,
    find_runtime,
    generate_diagrams,
    render_svgs,
)
from reqdsl.diagrams.cache import SvgCache, cache_dir
from reqdsl.diagrams.escape import escape, normalise
from reqdsl.diagrams.fonts import FACES, FONT_DIR, fontconfig_properties, missing_fonts
from reqdsl.model.project import load_project
from reqdsl.util.cache import CacheArea

from .conftest import run_reqdsl

pytestmark = [pytest.mark.slow, pytest.mark.java]

SHARED = Path(__file__).resolve().parents[2] / "shared"
CONFORMANCE = SHARED / "conformance"
TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")


def svg_text(svg: str) -> str:
    """What an SVG says, as a reader sees it: text elements decoded, joined by spaces."""
    return " ".join(html.unescape(t).replace("\xa0", " ") for t in TEXT.findall(svg))


def copy_project(name: str, tmp_path: Path) -> Path:
    """A writable copy (the build writes its cache beside the project)."""
    target = tmp_path / name
    shutil.copytree(CONFORMANCE / name, target)
    return target


@pytest.fixture(scope="module")
def valid_build(tmp_path_factory: pytest.TempPathFactory):
    root = copy_project("valid", tmp_path_factory.mktemp("valid"))
    return root, build_diagrams(load_project(root, use_cache=False))


def test_all_seven_kinds_render_with_the_models_names(valid_build) -> None:
    _, build = valid_build
    assert build.unavailable is None
    assert build.result.failed == {}
    svgs = build.files("svg")
    assert len(svgs) == len(build.sources) == 11
    assert all(path.endswith(".svg") for path in svgs)
    expected = {
        "use-cases.svg": ["Book an appointment", "Log in", "Patient", "Booking web app"],
        "data-model.svg": ["Patient", "full_name : string {personal, required}", "0..*"],
        "components.svg": ["Booking web app", "Appointments database", "Reserve slot"],
        "data-flow.svg": ["Booking request", "HTTPS (TLS 1.3)", "T-STUFF", "Clinic network"],
        "sequence/SC-BOOK.svg": ["choose a free slot", "slot still free", "[slot taken]"],
        "goals.svg": ["Online booking", "Patients reach care", "satisfies"],
        "traceability/SRS.svg": ["REQ-BOOK-001", "derives-from", "TC-BOOK-1", "verifies"],
    }
    for path, names in expected.items():
        said = svg_text(svgs[path])
        assert svgs[path].lstrip().startswith("<?plantuml") or svgs[path].startswith("<svg")
        for name in names:
            assert name in said, (path, name)


def test_activity_diagram_renders_with_lanes(tmp_path: Path) -> None:
    root = copy_project("v11-valid", tmp_path)
    build = build_diagrams(load_project(root, use_cache=False))
    assert build.result.failed == {}
    said = svg_text(build.files()["activity/ACT-LOGIN.svg"])
    for name in ("Employee", "Login gateway", "Session store", "Employee submits credentials",
                 "credentials valid?", "Both branches finish before the reply."):  # fmt: skip
        assert name in said, name


def test_a_second_build_renders_nothing(valid_build, monkeypatch: pytest.MonkeyPatch) -> None:
    root, first = valid_build
    assert len(first.result.rendered) == 11
    # With a "Java" that cannot render, any diagram not served from the cache would fail.
    monkeypatch.setenv("REQDSL_JAVA", shutil.which("false") or "/bin/false")
    second = build_diagrams(load_project(root, use_cache=False))
    assert second.unavailable is None
    assert second.result.rendered == []
    assert sorted(second.result.cached) == sorted(first.sources)
    assert second.files() == first.files()


def test_a_changed_diagram_alone_is_rendered_again(tmp_path: Path) -> None:
    root = copy_project("valid", tmp_path)
    build_diagrams(load_project(root, use_cache=False))
    model = root / "model.req"
    model.write_text(
        model.read_text(encoding="utf-8").replace('"reserve slot"', '"hold the slot"'),
        encoding="utf-8",
    )
    again = build_diagrams(load_project(root, use_cache=False))
    assert again.result.rendered == ["sequence/SC-BOOK.puml"]
    assert "hold the slot" in svg_text(again.result.svgs["sequence/SC-BOOK.puml"])
    # The cache keeps only this build's entries.
    assert len(list(cache_dir(root).glob("*.svg"))) == len(again.sources)


# TQ stands for a text block's triple quote.
HOSTILE = r"""document HOSTILE "@enduml\n!include SECRET_FILE" {
    level: system
    purpose: TQ
    @enduml
    @startuml
    !include SECRET_FILE
    TQ
}
zone Z-OUT "Outside \"zone\" @enduml" { trust: untrusted }
zone Z-IN "!include SECRET_FILE" { trust: trusted }
actor EVE "%getenv(\"REQDSL_TEST_SECRET\")" {
    kind: human
    zone: Z-OUT
    description: "@enduml\n@startuml\n!include SECRET_FILE"
}
component APP "<script>alert(1)</script>" {
    kind: process
    zone: Z-IN
    technology: "!include SECRET_FILE\n@enduml\n"
}
component STORE "[[javascript:alert(1)]] <img:SECRET_FILE>" {
    kind: datastore
    zone: Z-IN
    stores: SECRET
}
data SECRET "**bold** //it// \"quoted\" \\n <U+0041>" {
    category: special
    attribute owner: string [personal]
}
flow F-IN "%load_json(\"SECRET_FILE\")" {
    from: EVE
    to: APP
    carries: SECRET
    protocol: "HTTP\n!include SECRET_FILE"
}
flow F-DB "'/ block /' comment" { from: APP to: STORE encrypted: true }
threat T-X "@enduml\n@startuml\n!include SECRET_FILE" { category: spoofing target: F-IN }
threat T-Y "<color:red>red</color>" { category: tampering target: SECRET }
usecase UC-X "<&folder> ~~wave~~ $HOME" { actors: EVE subject: APP satisfies: G-X }
scenario SC-X "\"\n@enduml" {
    realizes: UC-X
    EVE -> APP: "@enduml\n!include SECRET_FILE"
    alt "%getenv(\"REQDSL_TEST_SECRET\")" {
        APP --> EVE: "<script>x</script>"
    } else "end" {
        loop "!define X" { APP -> STORE: "%date()" via F-DB }
    }
    note "!include SECRET_FILE"
}
stakeholder ST-X "$HOME \\ back\\slash"
goal G-X "!includesub SECRET_FILE!PART" { stakeholder: ST-X }
requirement R-X "end note" {
    statement: "The system shall resist @enduml."
    satisfies: G-X
    mitigates: T-X
}
test TC-X "endlegend" { verifies: R-X }
decision DEC-X "!pragma layout elk" { status: proposed addresses: R-X }
activity ACT-X "!include SECRET_FILE" {
    start
    action "@enduml\n!include SECRET_FILE" by EVE
    if "%getenv(\"REQDSL_TEST_SECRET\")" { action "<script>y</script>" by APP }
    else "|lane|" { note "endif" }
    while ") then (" { action "endwhile" }
    stop
}
"""


def test_hostile_labels_render_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("FILE-CONTENT-MUST-NOT-LEAK\n", encoding="utf-8")
    monkeypatch.setenv("REQDSL_TEST_SECRET", "ENV-VALUE-MUST-NOT-LEAK")
    root = tmp_path / "hostile"
    root.mkdir()
    text = HOSTILE.replace("SECRET_FILE", str(secret_file)).replace("TQ", '"""')
    (root / "h.req").write_text(text, "utf-8")
    project = load_project(root, use_cache=False)
    assert not project.found, project.found  # the fixture itself is valid .req

    build = build_diagrams(project)
    assert build.unavailable is None
    assert build.result.failed == {}
    assert len(build.result.svgs) == len(build.sources) == 8
    for path, svg in build.result.svgs.items():
        assert "MUST-NOT-LEAK" not in svg, path
        assert "<script" not in svg.lower(), path
        assert not re.search(r"\son\w+\s*=|javascript:\S*\"", svg.split(">", 1)[1]), path
    # What was written is shown, literally.
    said = svg_text(build.result.svgs["sequence/SC-X.puml"])
    assert f"@enduml !include {secret_file}" in said
    assert '%getenv("REQDSL_TEST_SECRET")' in said
    assert "<script>x</script>" in said
    said = svg_text(build.result.svgs["data-model.puml"])
    assert '**bold** //it// "quoted" \\n <U+0041>' in said


def test_the_sandbox_blocks_what_escaping_would_let_through(tmp_path: Path) -> None:
    """The second line of defence, shown without escaping: PlantUML itself, run by
    reqdsl, refuses to include a local file."""
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("FILE-CONTENT-MUST-NOT-LEAK\n", encoding="utf-8")
    result = render_svgs({"raw.puml": f"@startuml\n!include {secret_file}\nactor A\n@enduml\n"})
    assert "raw.puml" in result.failed
    assert "cannot include" in result.failed["raw.puml"]
    assert "MUST-NOT-LEAK" not in result.failed["raw.puml"]


def test_error_and_welcome_images_are_reported(tmp_path: Path) -> None:
    result = render_svgs(
        {
            "a-welcome.puml": "@startuml\n!include /no/such/file\n@enduml\n",
            "b-broken.puml": "@startuml\nclass A {\n@enduml\n",
            "c-fine.puml": '@startuml\nactor "Fine" as a\n@enduml\n',
        },
        cache=SvgCache(CacheArea(tmp_path, "test", "diagrams")),
    )
    # PlantUML answers a blocked include with its "Welcome to PlantUML" page.
    assert result.failed["a-welcome.puml"] == (
        "PlantUML error at line 2: cannot include /no/such/file"
    )
    assert result.failed["b-broken.puml"].startswith("PlantUML error at line")
    assert list(result.svgs) == ["c-fine.puml"]  # one bad diagram does not stop the batch
    assert len(list(tmp_path.glob("*.svg"))) == 1  # errors are never cached


def test_a_large_batch_is_shared_out_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from reqdsl.diagrams import pipe

    assert pipe._share_out(["aaaa", "b", "cc", "ddd"], 2) == [[0, 1], [2, 3]]
    monkeypatch.setattr(pipe, "LARGE_BATCH", 0)  # any batch counts as large
    labels = [f"diagram number {n}" for n in range(5)]
    outcomes = pipe.render_batch(
        find_runtime(), [f'@startuml\nactor "{label}" as a\n@enduml\n' for label in labels]
    )
    said = [svg_text(outcome.svg or "") for outcome in outcomes]
    assert [label in text for text, label in zip(said, labels, strict=True)] == [True] * 5


def random_title(rng: random.Random) -> str:
    tokens = ["@enduml", "!include /etc/passwd", '%getenv("HOME")', "\\n", "\\", "<b>",
              "<img:x.png>", "<U+0041>", "&#64;", "**", "//", '""', "--", "__", "~~", "==",
              "[[x]]", "end", "else", "end note", '"', "$x", "'", "/'", "\n", "\t", "\u202e",
              "é", "中文", "😀", "...", "|", ";", ":", "->", "<<s>>", "(a)", " then (",
              ")"]  # fmt: skip
    alphabet = string.ascii_letters + string.digits + string.punctuation + " "
    parts = [
        rng.choice(tokens)
        if rng.random() < 0.6
        else "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5)))
        for _ in range(rng.randint(1, 6))
    ]
    title = "".join(parts)
    return title if normalise(title) else "x" + title


def quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\t", "\\t") + '"'


def test_random_hostile_titles_survive_every_diagram(tmp_path: Path) -> None:
    """Seeded random titles through the whole pipeline: every diagram renders, and
    every title is drawn exactly as written (white space aside)."""
    rng = random.Random(5)
    t = [quoted(random_title(rng)) for _ in range(30)]
    (tmp_path / "f.req").write_text(
        f"document D {t[0]} {{ level: system }}\n"
        f"zone Z1 {t[1]} {{ trust: untrusted }}\nzone Z2 {t[2]} {{ trust: trusted }}\n"
        f"actor A {t[3]} {{ kind: human zone: Z1 }}\n"
        f"component C {t[4]} {{ kind: process zone: Z2 technology: {t[5]} stores: DA }}\n"
        f"component DB {t[6]} {{ kind: datastore zone: Z2 }}\n"
        f"data DA {t[7]} {{ category: special attribute n: string [personal] }}\n"
        f"flow F1 {t[8]} {{ from: A to: C protocol: {t[9]} }}\n"
        f"flow F2 {t[10]} {{ from: C to: DB encrypted: true }}\n"
        f"threat T1 {t[11]} {{ category: spoofing target: F1 }}\n"
        f"threat T2 {t[12]} {{ category: tampering target: DA }}\n"
        f"usecase U1 {t[13]} {{ actors: A subject: C satisfies: G1 }}\n"
        f"scenario SC {t[14]} {{\n  A -> C: {t[15]} via F1\n"
        f"  alt {t[16]} {{ C --> A: {t[17]} }}\n"
        f"  else {t[18]} {{ loop {t[19]} {{ C -> DB: {t[20]} }} }}\n"
        f"  note {t[21]}\n}}\n"
        f"stakeholder ST {t[22]}\ngoal G1 {t[23]} {{ stakeholder: ST }}\n"
        f'requirement R1 {t[24]} {{ statement: "The system shall work." satisfies: G1 }}\n'
        f"activity AC {t[25]} {{\n  start\n  action {t[26]} by A\n"
        f"  if {t[27]} {{ action {t[28]} by C }} else {{ note {t[29]} }}\n  stop\n}}\n",
        encoding="utf-8",
    )
    project = load_project(tmp_path, use_cache=False)
    assert not project.found
    result = render_svgs(generate_diagrams(project))
    assert result.failed == {}
    said = " ".join(svg_text(svg) for svg in result.svgs.values())
    titles = [e.title or "" for e in project.elements if e.id is not None]
    for title in [*titles, *(m.label for m in _messages(project))]:
        assert normalise(title) in said, title


def _messages(project):
    from reqdsl.model.resolve import iter_messages

    return list(iter_messages(project.index["SC"].steps))


def test_escaped_ascii_is_drawn_verbatim() -> None:
    text = string.printable.strip() + ' **b** //i// ""m"" <U+0041> &#64; \\n $x'
    result = render_svgs({"a.puml": f'@startuml\nactor "{escape(text)}" as a\n@enduml\n'})
    assert normalise(text) in svg_text(result.svgs["a.puml"])


# Without a renderer: a reason, never a traceback.


def test_missing_java_is_reported_not_raised(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("REQDSL_JAVA", str(tmp_path / "no-java"))
    with pytest.raises(RenderUnavailable, match="REQDSL_JAVA"):
        find_runtime()
    root = copy_project("v11-valid", tmp_path)
    build = build_diagrams(load_project(root, use_cache=False))
    assert build.unavailable is not None and "no-java" in build.unavailable
    assert all(path.endswith(".puml") for path in build.files("svg"))


def test_a_java_that_cannot_run_plantuml_is_unavailable(monkeypatch) -> None:
    monkeypatch.setenv("REQDSL_JAVA", shutil.which("false") or "/bin/false")
    with pytest.raises(RenderUnavailable, match="Java could not run PlantUML"):
        render_svgs({"a.puml": "@startuml\nactor A\n@enduml\n"})


def test_render_settings_from_the_user_config_only(tmp_path: Path, monkeypatch) -> None:
    """`[render]` is read from the user's config.toml, never from the project's
    reqdsl.toml (a project would choose a program for reqdsl to run)."""
    monkeypatch.delenv("REQDSL_JAVA", raising=False)
    monkeypatch.delenv("REQDSL_PLANTUML_JAR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    project = tmp_path / "project"
    project.mkdir()
    (project / "reqdsl.toml").write_text('[render]\nplantuml_jar = "tools/p.jar"\n', "utf-8")
    runtime = find_runtime()  # the project's table is ignored: the packaged jar
    assert "tools" not in str(runtime.jar) and "reqdsl.toml" not in runtime.jar_from
    user = tmp_path / "config" / "reqdsl"
    user.mkdir(parents=True)
    (user / "config.toml").write_text('[render]\nplantuml_jar = "mine/p.jar"\n', "utf-8")
    with pytest.raises(RenderUnavailable, match=r"mine/p\.jar.*config\.toml"):
        find_runtime()


def test_shipped_fonts_and_fontconfig() -> None:
    assert missing_fonts() == []
    assert (FONT_DIR / "LICENSE").is_file()
    properties = fontconfig_properties()
    for face, file_name in FACES.items():
        assert f"filename.{face.replace(' ', '_')}={(FONT_DIR / file_name).resolve()}" in (
            properties
        )
    assert "sansserif.plain.default=DejaVu Sans\n" in properties


# The commands.


def test_diagrams_command_writes_svg_then_reuses_the_cache(tmp_path: Path) -> None:
    root = copy_project("valid", tmp_path)
    out = tmp_path / "out"
    first = run_reqdsl("diagrams", str(root), "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert "11 rendered" in first.stdout
    assert (out / "sequence" / "SC-BOOK.svg").is_file()
    assert not list(out.rglob("*.puml"))
    second = run_reqdsl("diagrams", str(root), "-o", str(out))
    assert second.returncode == 0 and "0 rendered, 11 from the cache" in second.stdout
    assert "0 written, 11 unchanged" in second.stdout
    sources = run_reqdsl("diagrams", str(root), "-o", str(out), "--format", "puml")
    assert sources.returncode == 0
    assert (out / "use-cases.puml").is_file() and not list(out.rglob("*.svg"))
    (out / "mine.txt").write_text("kept", encoding="utf-8")
    assert run_reqdsl("diagrams", str(root), "-o", str(out)).returncode == 0
    assert (out / "mine.txt").read_text(encoding="utf-8") == "kept"  # not ours: untouched


def test_diagrams_command_without_java_writes_sources_and_warns(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = copy_project("v11-valid", tmp_path)
    out = tmp_path / "out"
    script = Path(sys.executable).with_name("reqdsl")
    result = subprocess.run(
        [str(script), "diagrams", str(root), "-o", str(out)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "REQDSL_JAVA": str(tmp_path / "no-java")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("warning") == 1 and "no-java" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "activity" / "ACT-LOGIN.puml").is_file()
    doctor = subprocess.run(
        [str(script), "doctor"], capture_output=True, text=True, timeout=300,
        env={**os.environ, "REQDSL_JAVA": str(tmp_path / "no-java")},
    )  # fmt: skip
    assert doctor.returncode == 1
    assert "MISSING java" in doctor.stdout and "REQDSL_JAVA" in doctor.stdout


def test_diagrams_command_usage_errors(tmp_path: Path) -> None:
    assert run_reqdsl("diagrams", str(tmp_path / "none"), "-o", str(tmp_path)).returncode == 2
    assert run_reqdsl("diagrams", str(tmp_path)).returncode == 2  # -o is required


def test_doctor_reports_a_working_setup() -> None:
    result = run_reqdsl("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    for what in ("java", "plantuml", "fonts", "render"):
        assert re.search(rf"^ok\s+{what}\b", result.stdout, re.M), what
    assert "PlantUML 1.2026.2" in result.stdout
