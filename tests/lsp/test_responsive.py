"""Debounce, stale work and responsiveness of `camp lsp` on a large model.

1. Ten edits sent back to back within the debounce (300 ms here) are checked once: only the last
   version is published, the nine stale ones never are.
2. A hover sent right after an edit of a 3,000-stage model (bench/gen_model.py) is answered
   before that edit's diagnostics: requests do not wait for a long compile (they wait at most
   debounce + 100 ms, then answer from the previous analysis), and the diagnostics still come.
usage: test_responsive.py CAMP GEN_MODEL_PY WORK_DIR
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, position_of  # noqa: E402

camp, gen_model, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}" + (f"\n  got: {detail}" if detail else ""))


def publishes(c, uri):
    return [n["params"].get("version") for n in c.notes
            if n.get("method") == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri]


# ---- 1. debounce: ten quick edits, one check ------------------------------------------------------
small = os.path.join(work, "small.camp")
base = 'model "m"\ncurrency USD\nparam rate = 2 USD/h\nlet cost = 3 h * rate\n'
with open(small, "w") as f:
    f.write(base)
c = Client(camp, ("lsp", "--debounce", "300"))
c.initialize(work)
uri, _ = c.open(small, base)
c.diagnostics(uri, version=1)
for v in range(2, 12):
    c.change(uri, v, base.replace("3 h", f"{v} h"))
d = c.diagnostics(uri, version=11, timeout=60)
seen = publishes(c, uri)
check(d == [] and 11 in seen, "the last of ten quick edits is published", seen)
check(not any(v in seen for v in range(2, 11)), "the nine edits made stale by the next one are never published", seen)
# 11 h × 2 USD/h = 22.00 USD: the analysis is of the last text
r = c.request("textDocument/inlayHint", {"textDocument": {"uri": uri},
                                         "range": {"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}}})
check([h["label"] for h in r] == ["= 22.00 USD"], "hints come from the last version: 11 h × 2 USD/h", r)
c.shutdown()

# ---- 2. a hover during a long compile is answered first -------------------------------------------
big = os.path.join(work, "big.camp")
text = subprocess.run([sys.executable, gen_model, "3000"], check=True, capture_output=True, text=True).stdout
with open(big, "w") as f:
    f.write(text)
c = Client(camp, ("lsp", "--debounce", "20"))
c.initialize(work)
uri, _ = c.open(big, text)
c.diagnostics(uri, version=1, timeout=300)
pos = position_of(text, "\nparam hourly", 7)
typo = text.replace("* hourly", "* hourlx", 1)
c.change(uri, 2, typo)
r = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": pos}, timeout=60)
check(r is not None and "hourly" in r["contents"]["value"], "hover answered during the compile", r)
check(2 not in publishes(c, uri), "… before the edit's diagnostics arrived", publishes(c, uri))
d = c.diagnostics(uri, version=2, timeout=300)
check(len(d) == 1 and d[0]["code"] == "UnknownName", "the edit's diagnostics still arrive", d)
c.shutdown()

print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
