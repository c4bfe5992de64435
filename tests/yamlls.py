"""A minimal Language Server Protocol client for the real yaml-language-server, as editors run it.

One server process answers many documents. Documents are opened from memory under any file URI, so
a modeline's relative `$schema=../schema/…` resolves as it would for a file at that place.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / ".ci" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
VERSION = json.loads((ROOT / ".ci" / "package.json").read_text(encoding="utf-8"))["dependencies"][
    "yaml-language-server"]
INSTALL = "npm ci --prefix .ci"
TIMEOUT = 60  # seconds for any one answer; the server answers in milliseconds once it has started


def unavailable() -> tuple[str, bool] | None:
    """Why the server cannot run here and whether the machine could (Node is there), or None."""
    if shutil.which("node") is None:
        return "Node.js is not installed (the editor tests run the real yaml-language-server)", False
    if not SERVER.exists():
        return f"yaml-language-server {VERSION} is not installed: run `{INSTALL}`", True
    return None


class YamlLanguageServer:
    """`yaml-language-server --stdio` with the settings of an editor, its schema store turned off."""

    def __init__(self, schemas: dict[str, list[str]] | None = None):
        self.settings = {"yaml": {"validate": True, "hover": True, "completion": True,
                                  "format": {"enable": False}, "schemaStore": {"enable": False},
                                  "schemas": schemas or {}, "yamlVersion": "1.2"}}
        self.proc = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env={**os.environ, "NODE_NO_WARNINGS": "1"})
        self.answers: dict[int, queue.Queue] = {}
        self.diagnostics: dict[str, queue.Queue] = {}
        self.lock = threading.Lock()
        self.next_id = 0
        self.versions: dict[str, int] = {}
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.request("initialize", {"processId": os.getpid(), "rootUri": ROOT.as_uri(),
                                    "capabilities": {"workspace": {"configuration": True},
                                                     "textDocument": {"completion": {"completionItem": {
                                                         "snippetSupport": True}},
                                                         "hover": {"contentFormat": ["markdown"]}}},
                                    "workspaceFolders": [{"uri": ROOT.as_uri(), "name": "report"}]})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    # -- the wire -------------------------------------------------------------------------------
    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        with self.lock:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while (line := out.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line or length is None:
                return
            self._dispatch(json.loads(out.read(length)))

    def _dispatch(self, msg: dict) -> None:
        if "id" in msg and "method" in msg:  # the server asks the client something
            result = None
            if msg["method"] == "workspace/configuration":
                result = [self.settings.get(item.get("section", ""), self.settings)
                          if item.get("section") != "yaml" else self.settings["yaml"]
                          for item in msg["params"]["items"]]
            self._send({"id": msg["id"], "result": result})
        elif "id" in msg:
            self.answers.setdefault(msg["id"], queue.Queue()).put(msg)
        elif msg.get("method") == "textDocument/publishDiagnostics":
            uri = msg["params"]["uri"]
            self.diagnostics.setdefault(uri, queue.Queue()).put(msg["params"]["diagnostics"])

    def request(self, method: str, params: dict):
        with self.lock:
            self.next_id += 1
            ident = self.next_id
        box = self.answers.setdefault(ident, queue.Queue())
        self._send({"id": ident, "method": method, "params": params})
        msg = box.get(timeout=TIMEOUT)
        if "error" in msg:
            raise RuntimeError(f"{method}: {msg['error']}")
        return msg.get("result")

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    # -- documents ------------------------------------------------------------------------------
    def open(self, uri: str, text: str) -> list[dict]:
        """Open (or replace) a document; its diagnostics once the server has validated it."""
        return self.open_many({uri: text})[uri]

    def open_many(self, documents: dict[str, str]) -> dict[str, list[dict]]:
        """Open several documents at once: the server waits 200 ms before validating each one,
        so the waits overlap. {uri: diagnostics}."""
        for uri, text in documents.items():
            self._send_text(uri, text)
        return {uri: self.diagnostics[uri].get(timeout=TIMEOUT) for uri in documents}

    def _send_text(self, uri: str, text: str) -> None:
        box = self.diagnostics.setdefault(uri, queue.Queue())
        while not box.empty():
            box.get_nowait()
        if uri in self.versions:
            self.versions[uri] += 1
            self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.versions[uri]},
                                                   "contentChanges": [{"text": text}]})
        else:
            self.versions[uri] = 1
            self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                                  "version": 1, "text": text}})

    def completion(self, uri: str, line: int, character: int) -> list[dict]:
        """Completion items at a 0-based position of an open document."""
        result = self.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                          "position": {"line": line, "character": character}})
        return result["items"] if isinstance(result, dict) else (result or [])

    def hover(self, uri: str, line: int, character: int) -> str:
        result = self.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": {"line": line, "character": character}})
        if not result:
            return ""
        contents = result["contents"]
        return contents["value"] if isinstance(contents, dict) else str(contents)

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a server that will not stop is killed
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=10)
        self.proc.stdin.close()
        self.proc.stdout.close()
