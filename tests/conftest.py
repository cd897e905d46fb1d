"""Shared fixtures: where the conformance corpus is, how to run the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("REQDSL_SHARED", ROOT.parent / "shared"))

# reqdsl keeps its caches in the user's cache folder (reqdsl/util/cache_dirs.py): the
# tests, and the CLI they start, use a folder of this run's own instead of the real one.
if "REQDSL_TEST_KEEP_CACHE_HOME" not in os.environ:
    import tempfile

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="reqdsl-test-cache-")


def reqdsl_command() -> list[str]:
    """The installed console script next to this interpreter (the real CLI)."""
    script = Path(sys.executable).with_name("reqdsl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reqdsl.cli"]


def run_reqdsl(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*reqdsl_command(), *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


@pytest.fixture
def reqdsl():
    return run_reqdsl


async def open_lsp_session(lsp_client, root: Path, name: str) -> list:  # type: ignore[no-untyped-def]
    """Initialise the real language server on the workspace folder `root` as VS Code
    would (its client capabilities, dynamic registration included). Returns the list
    the server's registrations (the file watcher) are collected into; `lsp_client.root`
    is `root`."""
    from lsprotocol import types
    from pytest_lsp import client_capabilities

    registrations: list[types.Registration] = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=name)],
        )
    )
    lsp_client.root = root
    return registrations
