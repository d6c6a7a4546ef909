#!/usr/bin/env python3
"""Checks what tests/run_examples.py does not about the models in examples/.

usage: check_examples.py PATH/TO/camp EXAMPLES-DIR

tests/run_examples.py compares the figures of every NAME[.VARIANT].expected.json with
`camp run --format json`. This adds, for the same files:
  - the JSON is schema camp.run/1 and lists the stages in the expected (written) order;
  - the table and CSV formats of each run exit like the JSON one and print something;
  - `camp check NAME.camp` exits 0 for every example whose base run exits 0 (the examples
    keep every scenario's assertions true as well, so `camp check examples/*.camp` is a
    usable CI gate).
Prints one line per failure and ends with 'N passed, N failed'.
"""
import glob, json, os, subprocess, sys


def run(camp, args):
    return subprocess.run([camp] + args, capture_output=True, text=True, timeout=120)


def check_json(camp, model, exp):
    p = run(camp, ["run", model, "--format", "json"] + exp.get("args", []))
    if p.returncode != exp.get("exit", 0):
        return [f"exit {p.returncode}, expected {exp.get('exit', 0)}: {p.stderr.strip()[:300]}"]
    try:
        got = json.loads(p.stdout)
    except ValueError as e:
        return [f"stdout is not JSON ({e}): {p.stdout[:200]!r}"]
    errs = []
    if got.get("schema") != "camp.run/1":
        errs.append(f"schema is {got.get('schema')!r}")
    pipes = {q.get("name"): q for q in got.get("pipelines", [])}
    for ep in exp.get("pipelines", []):
        got_order = [s.get("name") for s in pipes.get(ep["name"], {}).get("stages", [])]
        want_order = [s["name"] for s in ep.get("stages", [])]
        if got_order != want_order:
            errs.append(f"{ep['name']}: stage order {got_order}, expected {want_order}")
    return errs


def check_other_formats(camp, model, exp):
    errs = []
    for fmt in ("table", "csv", "markdown"):
        p = run(camp, ["run", model, "--format", fmt] + exp.get("args", []))
        if p.returncode != exp.get("exit", 0):
            errs.append(f"--format {fmt}: exit {p.returncode}: {p.stderr.strip()[:200]}")
        elif not p.stdout.strip():
            errs.append(f"--format {fmt}: printed nothing")
    return errs


def main():
    camp, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    passed = failed = 0

    def report(name, errs):
        nonlocal passed, failed
        if errs:
            failed += 1
            print(f"FAIL {name}:\n  " + "\n  ".join(errs))
        else:
            passed += 1

    base_ok = {}
    for f in sorted(glob.glob(os.path.join(root, "*.expected.json"))):
        exp = json.load(open(f, encoding="utf-8"))
        name = os.path.basename(f)
        model = os.path.join(root, name.split(".")[0] + ".camp")
        report(name, check_json(camp, model, exp) + check_other_formats(camp, model, exp))
        if name.count(".") == 2:  # NAME.expected.json: the base case
            base_ok[model] = exp.get("exit", 0) == 0
    for model, ok in sorted(base_ok.items()):
        p = run(camp, ["check", model])
        want = 0 if ok else 1
        report(f"check {os.path.basename(model)}",
               [] if p.returncode == want else [f"exit {p.returncode}, expected {want}: {p.stderr.strip()[:300]}"])
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


main()
