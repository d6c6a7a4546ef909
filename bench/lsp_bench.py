#!/usr/bin/env python3
"""Latency of `camp lsp`: diagnostics after an edit of a large model, hover and completion.

usage: lsp_bench.py CAMP [--stages 1000] [--edits 20] [--requests 100] [--debounce 50]

1. Opens a generated model (bench/gen_model.py, N stages) and times, for each edit, the wall time
   from sending didChange to receiving publishDiagnostics for that version (debounce included),
   alternating a typo (one error) and its fix (no errors).
   Also the hover latency when the hover is sent right after an edit, during the compile.
2. On examples/single_channel.camp and examples/multichannel.camp, times hover (on a param, a
   price call and a stage) and completion (names in a stage, and after `card.`).
Prints median, 95th percentile and maximum in milliseconds. Not a test: run it by hand.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "lsp"))
from lspclient import Client, position_of  # noqa: E402


def summary(name, ms):
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(f"{name:<52} n={len(ms):<4} median {statistics.median(ms):8.2f} ms   p95 {p95:8.2f} ms   max {ms[-1]:8.2f} ms")


def cpu_ms(pid):
    """User + system CPU time of a process so far, in ms (from /proc; 10 ms ticks)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def timed(fn):
    t = time.perf_counter()
    r = fn()
    return (time.perf_counter() - t) * 1000, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("camp")
    ap.add_argument("--stages", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--debounce", type=int, default=50)
    a = ap.parse_args()
    examples = os.path.join(here, "..", "examples")
    work = tempfile.mkdtemp(prefix="camp-lsp-bench-")
    model = os.path.join(work, f"gen{a.stages}.camp")
    text = subprocess.run([sys.executable, os.path.join(here, "gen_model.py"), str(a.stages)], check=True,
                          capture_output=True, text=True).stdout
    with open(model, "w") as f:
        f.write(text)
    print(f"model: {a.stages} stages, {len(text) // 1024} KiB; debounce {a.debounce} ms")
    # For scale on a busy machine: `camp check` of the same model (a fresh process each time).
    checks = []
    for _ in range(5):
        ms, _ = timed(lambda: subprocess.run([a.camp, "check", model], capture_output=True))
        checks.append(ms)
    summary(f"camp check of the same model (process)", checks)

    c = Client(a.camp, ("lsp", "--debounce", str(a.debounce)))
    c.initialize(work)
    uri, _ = c.open(model)
    ms, _ = timed(lambda: c.diagnostics(uri, version=1, timeout=120))
    print(f"first diagnostics after open: {ms:.1f} ms")
    typo = text.replace("* hourly", "* hourlx", 1)
    assert typo != text
    errs, clean = [], []
    cpu_before = cpu_ms(c.proc.pid)
    for i in range(a.edits):
        version = i + 2
        bad = i % 2 == 0
        t = time.perf_counter()
        c.change(uri, version, typo if bad else text)
        d = c.diagnostics(uri, version=version, timeout=120)
        (errs if bad else clean).append((time.perf_counter() - t) * 1000)
        assert bool(d) == bad, d
    # CPU time the server spent per edit (compile, evaluate, lint, JSON): what the wall time would
    # approach on an idle machine, apart from the debounce.
    cpu = (cpu_ms(c.proc.pid) - cpu_before) / a.edits
    print(f"server CPU time per edit (mean of {a.edits}, lint included): {cpu:.0f} ms")
    summary(f"diagnostics after an edit, typo ({a.stages} stages)", errs)
    summary(f"diagnostics after an edit, fixed ({a.stages} stages)", clean)
    # Hover sent right after an edit, while the model compiles: answered from the previous
    # analysis after at most debounce + 100 ms, or from the new one if it is ready sooner.
    pos = position_of(text, "\nparam hourly", 7)
    during = []
    version = a.edits + 2
    for i in range(a.edits):
        version += 1
        c.change(uri, version, typo if i % 2 == 0 else text)
        ms, r = timed(lambda: c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": pos}))
        assert r, r
        during.append(ms)
        c.diagnostics(uri, version=version, timeout=120)
    summary(f"hover right after an edit ({a.stages} stages)", during)
    c.shutdown()

    for name in ["single_channel.camp", "multichannel.camp"]:
        path = os.path.join(examples, name)
        src = open(path, encoding="utf-8").read()
        c = Client(a.camp, ("lsp", "--debounce", str(a.debounce)))
        c.initialize(examples)
        uri, _ = c.open(path)
        c.diagnostics(uri, version=1, timeout=60)
        targets = {"param": position_of(src, "\nparam ", 7),
                   "stage": position_of(src, "\n  stage ", 9)}
        # a price call: the first `card.price(` on a media line
        line = next(l for l in src.split("\n") if ".send" in l and "=" in l)
        targets["price call"] = position_of(src, line, line.index(".send") - 2)
        for what, pos in targets.items():
            times = []
            for _ in range(a.requests):
                ms, r = timed(lambda: c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": pos}))
                assert r, what
                times.append(ms)
            summary(f"hover on a {what} ({name})", times)
        stage_line = next(l for l in src.split("\n") if l.strip().startswith("labor "))
        pos = position_of(src, stage_line)
        times = []
        for _ in range(a.requests):
            ms, r = timed(lambda: c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": pos}))
            assert r["items"], r
            times.append(ms)
        summary(f"completion in a stage ({name})", times)
        c.shutdown()


if __name__ == "__main__":
    main()
