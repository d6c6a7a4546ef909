"""A small scripted LSP client for tests: starts `camp lsp`, frames JSON-RPC, collects notifications."""
import json
import os
import queue
import subprocess
import threading
import time


def uri_of(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))


class Client:
    def __init__(self, camp, args=("lsp", "--debounce", "20"), env=None):
        self.proc = subprocess.Popen([camp, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.messages = queue.Queue()
        self.notes = []
        self.next_id = 1
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.decode("ascii", "replace").strip()
                if not line:
                    break
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send_raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params=None):
        self.send({"jsonrpc": "2.0", "method": method, "params": params or {}})

    def _next(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no message from camp lsp")
        msg = self.messages.get(timeout=left)
        if msg is None:
            raise EOFError("camp lsp closed its output")
        return msg

    def request_full(self, method, params=None, timeout=30):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params if params is not None else {}})
        deadline = time.monotonic() + timeout
        while True:
            msg = self._next(deadline)
            if msg.get("id") == rid and "method" not in msg:
                return msg
            self.notes.append(msg)

    def request(self, method, params=None, timeout=30):
        msg = self.request_full(method, params, timeout)
        if "error" in msg:
            raise RuntimeError(f"{method}: {msg['error']}")
        return msg["result"]

    def diagnostics(self, uri, timeout=30, predicate=None, version=None):
        """The newest publishDiagnostics for `uri` that satisfies `predicate` (waits for it)."""
        deadline = time.monotonic() + timeout
        while True:
            for n in reversed(self.notes):
                if n.get("method") == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri:
                    p = n["params"]
                    if (version is None or p.get("version") == version) and (predicate is None or predicate(p["diagnostics"])):
                        return p["diagnostics"]
                    break
            msg = self._next(deadline)
            if "id" in msg and "method" not in msg:
                continue
            self.notes.append(msg)

    def initialize(self, root):
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": uri_of(root), "capabilities": {}})
        self.notify("initialized", {})
        return result

    def open(self, path, text=None, version=1):
        uri = uri_of(path)
        if text is None:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "camp", "version": version, "text": text}})
        return uri, text

    def change(self, uri, version, text):
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})

    def shutdown(self, timeout=10):
        self.request("shutdown")
        self.notify("exit")
        return self.proc.wait(timeout=timeout)


def position_of(text, needle, offset_in_needle=0, occurrence=1):
    """LSP position (0-based line, UTF-16 character) of the n-th occurrence of `needle`, plus an offset."""
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    at += offset_in_needle
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    return {"line": line, "character": len(text[start:at].encode("utf-16-le")) // 2}
