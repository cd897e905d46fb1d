"""The habits that keep the project honest (issue 18, part 6): the packaged PlantUML jar
is the one pinned, every rule code has a case file that some test runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reqdsl.diagrams.runtime import (
    ENV_JAR,
    JAR_NAME,
    JAR_PACKAGE,
    RenderUnavailable,
    find_jar,
    packaged_jar,
)


@pytest.fixture(scope="module")
def installed_jar() -> Path:
    from importlib import resources

    return Path(str(resources.files(JAR_PACKAGE) / JAR_NAME))


def _copy(jar: Path, folder: Path, *, change_byte: bool) -> Path:
    """A copy of `jar` at `folder/JAR_NAME`, one byte in the middle changed if asked."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / JAR_NAME
    shutil.copyfile(jar, target)
    if change_byte:
        with target.open("r+b") as handle:
            handle.seek(target.stat().st_size // 2)
            byte = handle.read(1)
            handle.seek(-1, 1)
            handle.write(bytes([byte[0] ^ 0x01]))
    return target


def test_the_packaged_jar_is_the_pinned_one(installed_jar: Path, tmp_path: Path) -> None:
    assert packaged_jar() == installed_jar
    copy = _copy(installed_jar, tmp_path / "package", change_byte=False)
    assert packaged_jar(tmp_path / "package") == copy


def test_a_packaged_jar_with_one_byte_changed_is_refused(
    installed_jar: Path, tmp_path: Path
) -> None:
    tampered = _copy(installed_jar, tmp_path / "package", change_byte=True)
    with pytest.raises(RenderUnavailable) as refused:
        packaged_jar(tmp_path / "package")
    message = str(refused.value)
    assert str(tampered) in message and "SHA-256" in message, message
    assert "\n" not in message


def test_a_jar_the_user_chose_is_not_checked(installed_jar: Path, tmp_path: Path) -> None:
    # REQDSL_PLANTUML_JAR (or [render] plantuml_jar in the user's config) is the user's
    # choice: another PlantUML build is allowed there.
    chosen = _copy(installed_jar, tmp_path / "mine", change_byte=True)
    environ = {ENV_JAR: str(chosen), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    assert find_jar(environ) == (chosen, ENV_JAR)
