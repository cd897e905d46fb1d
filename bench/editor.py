"""Time `reqdsl lsp` as an editor drives it, on gen.py's project of N requirements.

A plain JSON-RPC client over the server's stdio (Content-Length framing, no dependency):
initialize, open one system-level file, type a link value one key at a time, ask for a
definition right after a keystroke, and complete in a link field. Prints one Markdown
table: first diagnostics after opening, keystroke -> diagnostics published (median,
max), definition after a keystroke (median), completion in a link field (items, bytes,
ms) and the server's peak memory (VmHWM).

    python bench/editor.py 1000 [--work /tmp/reqdsl-bench-editor] [--interval 0.1]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import generate

Message = dict[str, Any]


class Client:
    """A JSON-RPC client over a server process's stdio."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.inbox: queue.Queue[tuple[float, Message, int]] = queue.Queue()
        self.next_id = 0
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: BinaryIO) -> None:
        while True:
            length = 0
            while (line := stream.readline().strip()) != b"":
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if not length:
                return  # the server closed its output
            body = stream.read(length)
            self.inbox.put((time.perf_counter(), json.loads(body), len(body)))

    def send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> int:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, accept: Any, timeout: float = 600.0) -> tuple[float, Message, int]:
        """The next message `accept` takes (answering the server's own requests)."""
        deadline = time.perf_counter() + timeout
        while True:
            at, message, size = self.inbox.get(timeout=max(0.0, deadline - time.perf_counter()))
            if "method" in message and "id" in message:  # registerCapability, configuration
                self.send({"id": message["id"], "result": None})
            if accept(message):
                return at, message, size

    def call(self, method: str, params: Any) -> tuple[float, Any, int]:
        """Seconds until the answer, the result and its size in bytes."""
        start = time.perf_counter()
        ident = self.request(method, params)
        at, message, size = self.wait(lambda m: m.get("id") == ident and "method" not in m)
        return at - start, message.get("result"), size

    def peak_memory_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def published(uri: str, version: int | None = None) -> Any:
    def accept(message: Message) -> bool:
        if message.get("method") != "textDocument/publishDiagnostics":
            return False
        params = message["params"]
        got = params.get("version")
        return params["uri"] == uri and (version is None or (got is not None and got >= version))

    return accept


def change(client: Client, uri: str, version: int, text: str) -> None:
    """A keystroke: the whole new text, as most editors send it for small files."""
    document = {"uri": uri, "version": version}
    client.notify("textDocument/didChange", {"textDocument": document,
                                             "contentChanges": [{"text": text}]})  # fmt: skip


def position(text: str, offset: int) -> dict[str, int]:
    line = text.count("\n", 0, offset)
    return {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}


def run(n: int, work: Path, interval: float, command: list[str]) -> dict[str, Any]:
    project = work / f"n{n}"
    if not (project / "reqdsl.toml").exists():
        generate(n, project)
    path = project / "SYS001.req"
    uri = path.resolve().as_uri()
    original = path.read_text(encoding="utf-8")
    client = Client(command, project)
    root = project.resolve().as_uri()
    capabilities = {
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}},
        "textDocument": {"publishDiagnostics": {"versionSupport": True}},
    }
    client.call("initialize", {"processId": os.getpid(), "rootUri": root,
                               "capabilities": capabilities,
                               "workspaceFolders": [{"uri": root, "name": "bench"}]})  # fmt: skip
    client.notify("initialized", {})

    start = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "req", "version": 1, "text": original}})  # fmt: skip
    at, _, _ = client.wait(published(uri))
    first = at - start

    # Type the first link of the first requirement again, one key at a time: every
    # prefix is an unknown ID, so every keystroke changes the diagnostics.
    field = "derives-from: "
    value_at = original.index(field) + len(field)
    target = original[value_at : original.index(",", value_at)]
    cleared = original[:value_at] + original[value_at + len(target) :]
    version = 1
    keystrokes: list[float] = []
    for typed in range(len(target) + 1):
        version += 1
        text = cleared[:value_at] + target[:typed] + cleared[value_at:]
        sent = time.perf_counter()
        change(client, uri, version, text)
        at, _, _ = client.wait(published(uri, version))
        keystrokes.append(at - sent)
        time.sleep(interval)

    definitions: list[float] = []
    link_at = {"textDocument": {"uri": uri}, "position": position(original, value_at + 2)}
    for _ in range(10):
        version += 1
        text = original + f"\n# keystroke {version}\n"
        change(client, uri, version, text)
        seconds, result, _ = client.call("textDocument/definition", link_at)
        assert result, "definition found nothing"
        definitions.append(seconds)
        time.sleep(interval)

    version += 1
    text = cleared
    change(client, uri, version, text)
    seconds, result, size = client.call(
        "textDocument/completion",
        {"textDocument": {"uri": uri}, "position": position(text, value_at)},
    )
    items = result["items"] if isinstance(result, dict) else result
    incomplete = bool(result.get("isIncomplete")) if isinstance(result, dict) else False
    memory = client.peak_memory_mb()
    client.call("shutdown", None)
    client.notify("exit", None)
    client.process.wait(timeout=30)
    return {
        "n": n,
        "first_diagnostics_ms": first * 1000,
        "keystrokes": len(keystrokes),
        "keystroke_median_ms": statistics.median(keystrokes) * 1000,
        "keystroke_max_ms": max(keystrokes) * 1000,
        "definition_median_ms": statistics.median(definitions) * 1000,
        "completion_items": len(items),
        "completion_incomplete": incomplete,
        "completion_bytes": size,
        "completion_ms": seconds * 1000,
        "peak_memory_mb": memory,
        "load": os.getloadavg(),
    }


def table(result: dict[str, Any]) -> str:
    load = ", ".join(f"{x:.1f}" for x in result["load"])
    more = ", isIncomplete" if result["completion_incomplete"] else ""
    rows = [
        ("first diagnostics after opening", f"{result['first_diagnostics_ms']:.0f} ms"),
        (
            f"keystroke -> diagnostics published ({result['keystrokes']} keys)",
            f"median {result['keystroke_median_ms']:.0f} ms, "
            f"max {result['keystroke_max_ms']:.0f} ms",
        ),
        ("definition right after a keystroke", f"median {result['definition_median_ms']:.0f} ms"),
        (
            "completion in a link field",
            f"{result['completion_items']} items{more}, "
            f"{result['completion_bytes'] / 1024:.0f} KB, {result['completion_ms']:.0f} ms",
        ),
        ("server peak memory (VmHWM)", f"{result['peak_memory_mb']:.0f} MB"),
    ]
    lines = [f"N = {result['n']:,} requirements, load average {load}", ""]
    lines += ["| editor operation | reqdsl lsp |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of requirements (a multiple of 1000)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/reqdsl-bench-editor"))
    parser.add_argument(
        "--interval", type=float, default=0.1, help="seconds between keystrokes (0.1)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    reqdsl = Path(sys.executable).with_name("reqdsl")
    command = [str(reqdsl), "lsp"] if reqdsl.exists() else [sys.executable, "-m", "reqdsl.cli"]
    if not reqdsl.exists():
        command.append("lsp")
    result = run(args.n, args.work, args.interval, command)
    print(table(result))
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
