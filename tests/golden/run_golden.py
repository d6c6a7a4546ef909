#!/usr/bin/env python3
"""Golden diagnostics: `camp check NAME.camp` must print exactly NAME.expected (exit code included).

usage: run_golden.py PATH/TO/camp DIR [--update]
With --update the .expected files are rewritten; review every change by eye before committing.
"""
import os, subprocess, sys, difflib

def render(camp, d, name):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([camp, "check", name], cwd=d, capture_output=True, text=True, timeout=60, env=env)
    return f"exit: {p.returncode}\n{p.stdout}{p.stderr}"

def main():
    camp, d = os.path.abspath(sys.argv[1]), sys.argv[2]
    update = "--update" in sys.argv
    passed = failed = 0
    for f in sorted(os.listdir(d)):
        if not f.endswith(".camp"):
            continue
        got = render(camp, d, f)
        exp_path = os.path.join(d, f[:-5] + ".expected")
        if update:
            open(exp_path, "w").write(got)
        want = open(exp_path).read() if os.path.exists(exp_path) else ""
        if got == want and "Segmentation" not in got and "terminate called" not in got:
            passed += 1
            continue
        failed += 1
        print(f"FAIL {f}")
        sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", "got"))
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)

main()
