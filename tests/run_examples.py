#!/usr/bin/env python3
"""Checks `camp run` figures against hand-computed NAME[.VARIANT].expected.json files.

usage: run_examples.py PATH/TO/camp DIR
Each expected file may hold: args, exit, pipelines (cost/revenue/profit/roi/by_category/stages),
values, asserts_ok, as in the conformance suite; figures match to 1e-9 relative or 0.005 absolute.
"""
import json, os, subprocess, sys

def close(a, b):
    return isinstance(a, (int, float)) and abs(a - b) <= max(0.005, 1e-9 * abs(b))

def check(camp, model, exp):
    p = subprocess.run([camp, "run", model, "--format", "json"] + exp.get("args", []),
                       capture_output=True, text=True, timeout=120)
    if p.returncode != exp.get("exit", 0):
        return [f"exit {p.returncode}, expected {exp.get('exit', 0)}: {p.stderr[:400]}"]
    got = json.loads(p.stdout)
    errs = []
    pipes = {q["name"]: q for q in got.get("pipelines", [])}
    for ep in exp.get("pipelines", []):
        gp = pipes.get(ep["name"])
        if gp is None:
            errs.append(f"pipeline {ep['name']} missing"); continue
        for k in ("cost", "revenue", "profit", "roi"):
            if k in ep and not close(gp.get(k), ep[k]):
                errs.append(f"{ep['name']}.{k} = {gp.get(k)}, expected {ep[k]}")
        for c, v in ep.get("by_category", {}).items():
            if not close(gp["by_category"].get(c), v):
                errs.append(f"{ep['name']}.by_category.{c} = {gp['by_category'].get(c)}, expected {v}")
        gs = {s["name"]: s for s in gp["stages"]}
        for es in ep.get("stages", []):
            if not close(gs.get(es["name"], {}).get("cost"), es["cost"]):
                errs.append(f"{ep['name']}.{es['name']}.cost = {gs.get(es['name'], {}).get('cost')}, expected {es['cost']}")
    for name, v in exp.get("values", {}).items():
        g = got.get("values", {}).get(name)
        g = g.get("value") if isinstance(g, dict) else g
        if not close(g, v):
            errs.append(f"values.{name} = {g}, expected {v}")
    if "asserts_ok" in exp and [a["ok"] for a in got.get("asserts", [])] != exp["asserts_ok"]:
        errs.append(f"asserts ok = {[a['ok'] for a in got.get('asserts', [])]}, expected {exp['asserts_ok']}")
    return errs

def main():
    camp, d = os.path.abspath(sys.argv[1]), sys.argv[2]
    passed = failed = 0
    for f in sorted(os.listdir(d)):
        if not f.endswith(".expected.json"):
            continue
        model = os.path.join(d, f.split(".")[0] + ".camp")
        errs = check(camp, model, json.load(open(os.path.join(d, f))))
        if errs:
            failed += 1
            print(f"FAIL {f}:\n  " + "\n  ".join(errs))
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)

main()
