"""Robustness: random and mutated messages never stop `camp lsp` from answering.

Sends garbage frames, JSON that is not a request, requests with wrong parameters, and edits that
mutate an example into broken text, with hover/completion/… at random places in between. Every
25 steps a well-formed hover must be answered. Then every model of the golden diagnostics corpus
is opened and asked every request at many places. At the end shutdown/exit must give exit code 0.
usage: test_fuzz.py CAMP EXAMPLES_DIR [STEPS] [SEED]
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, position_of, uri_of  # noqa: E402

camp, examples = sys.argv[1:3]
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 400
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20261129
rng = random.Random(seed)
model = os.path.join(examples, "single_channel.camp")
original = open(model, encoding="utf-8").read()
METHODS = ["textDocument/hover", "textDocument/definition", "textDocument/references", "textDocument/rename",
           "textDocument/prepareRename", "textDocument/documentSymbol", "textDocument/completion",
           "textDocument/formatting", "textDocument/semanticTokens/full", "textDocument/inlayHint",
           "textDocument/codeAction", "textDocument/codeLens", "initialize", "workspace/symbol", "nonsense"]
SNIPPETS = ["{", "}", "(", ")", "stage", "param", " = ", "USD/h", "mailstream.", "\"", "/*", "//", "1e400", "^",
            "..", "\n", "é", "😀", "\x00", "if", "graduated {", "up to", "~ normal(", "import \"x\"\n", "9" * 40]


def random_json(depth=0):
    kind = rng.randrange(7 if depth < 3 else 4)
    if kind == 0:
        return rng.randint(-2**63, 2**63)
    if kind == 1:
        return rng.random() * 10 ** rng.randint(-5, 300)
    if kind == 2:
        return "".join(rng.choice(SNIPPETS) for _ in range(rng.randint(0, 5)))
    if kind == 3:
        return rng.choice([None, True, False])
    if kind == 4:
        return [random_json(depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(["textDocument", "position", "uri", "range", "line", "character", "newName", "context", "x"]):
            random_json(depth + 1) for _ in range(rng.randint(0, 4))}


def mutate(text):
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        op = rng.randrange(3)
        if op == 0:
            text = text[:at] + rng.choice(SNIPPETS) + text[at:]
        elif op == 1:
            text = text[:at] + text[at + rng.randint(1, 40):]
        else:
            b = rng.randrange(len(text) + 1)
            text = text[:at] + text[min(at, b):max(at, b)] + text[at:]
    return text


c = Client(camp)
c.initialize(examples)
uri, _ = c.open(model)
text = original
version = 1
answered = 0
for step in range(steps):
    action = rng.randrange(8)
    if action == 0:
        body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
        c.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    elif action == 1:
        c.send_raw(rng.choice([b"X-Nothing: 1\r\n\r\n", b"Content-Length: nope\r\n\r\n", b"\r\n",
                               b"Content-Length: -5\r\n\r\n", b"Content-Type: x\r\n\r\n"]))
    elif action == 2:
        msg = random_json()
        if isinstance(msg, dict) and rng.random() < 0.5:
            msg[rng.choice(["method", "id", "params", "jsonrpc"])] = random_json(2)
        c.send(msg)
    elif action == 3:
        c.send({"jsonrpc": "2.0", "id": rng.choice([step + 10**6, "s%d" % step, None, [1], 1.5]),
                "method": rng.choice(METHODS), "params": random_json()})
    elif action in (4, 5):
        version += 1
        text = mutate(text) if rng.random() < 0.8 else original
        c.change(uri, version, text)
    else:
        method = rng.choice(METHODS[:12])
        pos = {"line": rng.randint(-3, text.count("\n") + 3), "character": rng.randint(-3, 120)}
        params = {"textDocument": {"uri": uri}, "position": pos, "newName": rng.choice(["x", "stage", "a b", ""]),
                  "range": {"start": pos, "end": {"line": pos["line"] + 5, "character": 0}},
                  "context": {"diagnostics": [], "includeDeclaration": True}, "options": {}}
        c.send({"jsonrpc": "2.0", "id": 2 * 10**6 + step, "method": method, "params": params})
    if step % 25 == 24:
        r = c.request_full("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}},
                           timeout=60)
        assert "result" in r or "error" in r, r
        answered += 1
        assert c.proc.poll() is None, "camp lsp died"

# Every model of the golden diagnostics corpus (each one mistake), opened as a document and asked
# everything: each request gets an answer (a result or an error), and diagnostics are published.
golden = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden", "errors")
golden_files = sorted(f for f in os.listdir(golden) if f.endswith(".camp"))
for name in golden_files:
    path = os.path.join(golden, name)
    g_text = open(path, encoding="utf-8", errors="replace").read()
    g_uri, _ = c.open(path, g_text)
    c.diagnostics(g_uri, version=1, timeout=60)
    doc = {"textDocument": {"uri": g_uri}}
    end = {"line": g_text.count("\n") + 1, "character": 0}
    for method, extra in [("textDocument/documentSymbol", {}), ("textDocument/semanticTokens/full", {}),
                          ("textDocument/codeLens", {}), ("textDocument/formatting", {"options": {}}),
                          ("textDocument/inlayHint", {"range": {"start": {"line": 0, "character": 0}, "end": end}}),
                          ("textDocument/codeAction", {"range": {"start": {"line": 0, "character": 0}, "end": end},
                                                       "context": {"diagnostics": []}})]:
        r = c.request_full(method, dict(doc, **extra), timeout=60)
        assert "result" in r or "error" in r, (name, method, r)
    for line_no, line in enumerate(g_text.split("\n")[:60]):
        for ch in range(0, len(line) + 1, 7):
            pos = {"line": line_no, "character": ch}
            for method in ["textDocument/hover", "textDocument/definition", "textDocument/completion"]:
                r = c.request_full(method, dict(doc, position=pos), timeout=60)
                assert "result" in r or "error" in r, (name, method, pos, r)
    c.notify("textDocument/didClose", doc)
assert c.proc.poll() is None, "camp lsp died on the golden corpus"
print(f"{len(golden_files)} golden models asked every request")

# Back to the example: the answers are right again.
version += 1
c.change(uri, version, original)
assert c.diagnostics(uri, version=version, timeout=60) == [], "clean diagnostics after the fuzzing"
h = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position_of(original, "param hourly", 7)})
assert h and "85 USD/h" in h["contents"]["value"], h
code = c.shutdown(timeout=30)
stderr = c.proc.stderr.read().decode("utf-8", "replace")
assert code == 0, f"exit code {code}; stderr: {stderr[-2000:]}"
print(f"{steps} steps (seed {seed}), {answered} checkpoints answered, clean shutdown")
print("1 passed, 0 failed")
