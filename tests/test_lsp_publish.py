"""`reqdsl lsp` publishing diagnostics while the editor types: a real server process over
stdio, driven by bench/editor.py's plain JSON-RPC client (the client the editor benchmark
measures with)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .conftest import reqdsl_command

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from editor import Client, change, published
from gen import generate


def test_a_keystroke_right_after_opening_waits_for_no_other_files_diagnostics(
    tmp_path: Path,
) -> None:
    """Opening a project publishes every file's diagnostics (about 8,500 in 50 files here,
    17,000 in 100 at 10,000 requirements). That took the server 0.6 s in one go, and a
    keystroke made meanwhile waited for all of it: the editor's slowest keystroke. The
    open document is published at once and the other files a slice at a time, so the
    keystroke's diagnostics come before the last of the other files'."""
    project = tmp_path / "n5000"
    generate(5000, project)
    others = {p.resolve().as_uri() for p in project.glob("*.req")}
    path = project / "SYS001.req"
    uri = path.resolve().as_uri()
    others.discard(uri)
    text = path.read_text(encoding="utf-8")
    client = Client([*reqdsl_command(), "lsp"], project)
    try:
        root = project.resolve().as_uri()
        client.call("initialize", {"processId": os.getpid(), "rootUri": root,
                                   "capabilities": {}, "workspaceFolders": [
                                       {"uri": root, "name": "p"}]})  # fmt: skip
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "req", "version": 1, "text": text}})  # fmt: skip
        client.wait(published(uri))
        change(client, uri, 2, text.replace("derives-from: ", "derives-from: NOPE-1, ", 1))
        before: set[str] = set()

        def keystroke_or_other(message: dict[str, object]) -> bool:
            if message.get("method") != "textDocument/publishDiagnostics":
                return False
            params = message["params"]
            assert isinstance(params, dict)
            if params["uri"] in others:
                before.add(str(params["uri"]))
            return bool(published(uri, 2)(message))

        _, message, _ = client.wait(keystroke_or_other, timeout=120)
        codes_now = [d["code"] for d in message["params"]["diagnostics"]]  # type: ignore[index]
        assert "SM002" in codes_now  # the keystroke's unknown ID
        assert len(others) >= 49 and len(before) < len(others), (len(before), len(others))
        # ... and the others all come
        later = set(before)

        def other(message: dict[str, object]) -> bool:
            if message.get("method") == "textDocument/publishDiagnostics":
                later.add(str(message["params"]["uri"]))  # type: ignore[index]
            return others <= later

        client.wait(other, timeout=120)
    finally:
        client.notify("exit", None)
        client.process.kill()
        client.process.wait(timeout=30)
