#!/usr/bin/env python3
"""Billing conformance: hand-computed run and forecast figures, and bad-input diagnostics.

usage: run_billing.py PATH/TO/camp [DIR]   (DIR defaults to this file's folder)

NAME[.VARIANT].expected.json holds what `camp run NAME.camp --format json ARGS` (or, with
"command": "forecast", `camp forecast … --format json ARGS`) must print; every figure was worked
by hand in NAME.camp, never copied from the program. Each case runs with `--engine interp` and
`--engine jit`. Keys of a run case:
  args, exit, stderr_contains, values, asserts_ok,
  pipelines: [{name, cost, revenue, profit, roi, by_category, stages: [{name, cost,
              lines: [{label, cost}]}], billing: [{price, quantity, unit, cost, lines,
              included, overage_quantity}]}]
A forecast case has: args, exit, months: [{month, runs, cost, revenue, profit, by_category,
cumulative_profit}], allowances, commits, budgets (matched by ratecard/price/label), and
"equals_run": PIPELINE to check that every month's cost and revenue equal `camp run`'s.
Both may list table_contains (substrings of `--format table`) and table_tokens (figures that
must stand apart from their neighbours). "model": PATH (relative to DIR) checks another file, e.g. an example, instead of NAME.camp.
errors/NAME.camp: `camp check` (or `camp CMD … ARGS` from `// expect-args:`) must exit as
`// expect-exit:` says (default 1), name a kind from `// expect-kind: A|B` in brackets, print
every `// expect-text:`, and point at `NAME.camp:LINE:` for `// expect-line: L1,L2` (either),
with a caret line, a `help:` line (the fix) and no crash. Where the spec names no kind, A|B lists the plausible ones.
Numbers match to 1e-9 relative or 0.005 absolute. Prints one line per failure and closes with
'N passed, N failed'.
"""
import json, os, re, subprocess, sys

def close(a, b):
    if b is None:
        return a is None
    return isinstance(a, (int, float)) and not isinstance(a, bool) and \
        abs(a - b) <= max(0.005, 1e-9 * abs(b))

def same(a, b):
    return close(a, b) if isinstance(b, (int, float)) and not isinstance(b, bool) or b is None else a == b

def value_of(v):
    return v.get("value") if isinstance(v, dict) else v

def run(camp, args, cwd=None):
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([camp] + args, capture_output=True, text=True, timeout=120, env=env, cwd=cwd)

def load_json(p):
    try:
        return json.loads(p.stdout), None
    except ValueError as e:
        return None, f"stdout is not JSON ({e}): {p.stdout[:200]!r} stderr: {p.stderr[:300]!r}"

def compare_fields(where, got, exp, keys=None):
    errs = []
    for k, v in exp.items():
        if keys is not None and k not in keys:
            continue
        if isinstance(v, (dict, list)):
            continue
        if not same(got.get(k) if isinstance(got, dict) else None, v):
            errs.append(f"{where}.{k} = {got.get(k) if isinstance(got, dict) else None!r}, expected {v!r}")
    return errs

def price_matches(entry, name):
    # "cdp.sync", or {"ratecard": "cdp", "price": "sync"}
    full = entry.get("price", "")
    if "ratecard" in entry and "." not in full:
        full = f"{entry['ratecard']}.{full}"
    return full == name

def check_billing(pname, got_billing, exp_billing):
    errs = []
    got_billing = got_billing or []
    for eb in exp_billing:
        gb = [b for b in got_billing if price_matches(b, eb["price"])]
        if len(gb) != 1:
            errs.append(f"{pname}.billing[{eb['price']}]: {len(gb)} entries, expected 1")
            continue
        errs += compare_fields(f"{pname}.billing[{eb['price']}]", gb[0],
                               {k: v for k, v in eb.items() if k != "price"})
    names = sorted(b.get("price") for b in got_billing)
    if len(got_billing) != len(exp_billing):
        errs.append(f"{pname}.billing has {len(got_billing)} entries {names}, expected {len(exp_billing)}")
    return errs

def check_table(camp, command, model, exp):
    """table_contains: substrings of the table; table_tokens: whole whitespace-separated
    tokens (a figure that runs into its neighbour column is not a token)."""
    if "table_contains" not in exp and "table_tokens" not in exp:
        return []
    p = run(camp, [command, model, "--format", "table"] + exp.get("args", []))
    errs = []
    for s in exp.get("table_contains", []):
        if s not in p.stdout:
            errs.append(f"table lacks {s!r}")
    tokens = set(p.stdout.split())
    for s in exp.get("table_tokens", []):
        if s not in tokens:
            errs.append(f"table has no separate {s!r}: " +
                        "; ".join(l.strip() for l in p.stdout.splitlines() if s in l)[:300])
    return errs

def check_run_case(camp, model, exp, engine):
    p = run(camp, ["run", model, "--format", "json", "--engine", engine] + exp.get("args", []))
    if p.returncode != exp.get("exit", 0):
        return [f"exit {p.returncode}, expected {exp.get('exit', 0)}: {p.stderr.strip()[:400]}"]
    if "stderr_contains" in exp:
        missing = [s for s in exp["stderr_contains"] if s.lower() not in p.stderr.lower()]
        return [f"stderr lacks {missing}: {p.stderr.strip()[:400]}"] if missing else []
    got, err = load_json(p)
    if err:
        return [err]
    errs = []
    if got.get("schema") != "camp.run/1":
        errs.append(f"schema is {got.get('schema')!r}, expected 'camp.run/1'")
    pipes = {q.get("name"): q for q in got.get("pipelines", [])}
    for ep in exp.get("pipelines", []):
        gp = pipes.get(ep["name"])
        if gp is None:
            errs.append(f"pipeline {ep['name']} missing"); continue
        errs += compare_fields(ep["name"], gp, ep, ("cost", "revenue", "profit", "roi"))
        for c, v in ep.get("by_category", {}).items():
            if not close(gp.get("by_category", {}).get(c), v):
                errs.append(f"{ep['name']}.by_category.{c} = {gp.get('by_category', {}).get(c)}, expected {v}")
        gstages = {s.get("name"): s for s in gp.get("stages", [])}
        for es in ep.get("stages", []):
            gs = gstages.get(es["name"], {})
            if "cost" in es and not close(gs.get("cost"), es["cost"]):
                errs.append(f"{ep['name']}.{es['name']}.cost = {gs.get('cost')}, expected {es['cost']}")
            glines = {l.get("label"): l for l in gs.get("lines", [])}
            for el in es.get("lines", []):
                g = glines.get(el["label"], {}).get("cost")
                if not close(g, el["cost"]):
                    errs.append(f"{ep['name']}.{es['name']}.\"{el['label']}\" = {g}, expected {el['cost']}")
        if "billing" in ep:
            errs += check_billing(ep["name"], gp.get("billing"), ep["billing"])
    for name, v in exp.get("values", {}).items():
        g = value_of(got.get("values", {}).get(name))
        if not close(g, v):
            errs.append(f"values.{name} = {g}, expected {v}")
    if "asserts_ok" in exp:
        oks = [a.get("ok") for a in got.get("asserts", [])]
        if oks != exp["asserts_ok"]:
            errs.append(f"asserts ok = {oks}, expected {exp['asserts_ok']}")
    return errs + check_table(camp, "run", model, exp)

def find_entry(entries, exp, keys):
    for e in entries or []:
        ok = True
        for k in keys:
            if k not in exp:
                continue
            if k == "price":
                ok = ok and (e.get("price") == exp["price"] or
                             e.get("price") == f"{exp.get('ratecard')}.{exp['price']}")
            else:
                ok = ok and e.get(k) == exp[k]
        if ok:
            return e
    return None

def check_forecast_case(camp, model, exp, engine):
    p = run(camp, ["forecast", model, "--format", "json", "--engine", engine] + exp.get("args", []))
    if p.returncode != exp.get("exit", 0):
        return [f"exit {p.returncode}, expected {exp.get('exit', 0)}: {p.stderr.strip()[:400]}"]
    got, err = load_json(p)
    if err:
        return [err]
    errs = []
    if got.get("schema") != "camp.forecast/1":
        errs.append(f"schema is {got.get('schema')!r}, expected 'camp.forecast/1'")
    months = {m.get("month"): m for m in got.get("months", [])}
    if "months" in exp and len(got.get("months", [])) != len(exp["months"]):
        errs.append(f"{len(got.get('months', []))} months, expected {len(exp['months'])}")
    for em in exp.get("months", []):
        gm = months.get(em["month"])
        if gm is None:
            errs.append(f"month {em['month']} missing"); continue
        errs += compare_fields(em["month"], gm, em)
        for c, v in em.get("by_category", {}).items():
            if not close(gm.get("by_category", {}).get(c), v):
                errs.append(f"{em['month']}.by_category.{c} = {gm.get('by_category', {}).get(c)}, expected {v}")
        for pl, n in em.get("runs", {}).items():
            if not close(gm.get("runs", {}).get(pl), n):
                errs.append(f"{em['month']}.runs.{pl} = {gm.get('runs', {}).get(pl)}, expected {n}")
    for section, keys in (("allowances", ("ratecard", "price")), ("commits", ("ratecard", "from")),
                          ("budgets", ("label", "period"))):
        for ee in exp.get(section, []):
            ge = find_entry(got.get(section), ee, keys)
            tag = f"{section}[{'/'.join(str(ee.get(k)) for k in keys)}]"
            if ge is None:
                errs.append(f"{tag} missing in {json.dumps(got.get(section))[:300]}"); continue
            errs += compare_fields(tag, ge, {k: v for k, v in ee.items() if k not in keys})
            if section == "budgets":
                gb = ge.get("breaches", [])
                if len(gb) != len(ee.get("breaches", [])):
                    errs.append(f"{tag}: {len(gb)} breaches {json.dumps(gb)[:200]}, expected {len(ee.get('breaches', []))}")
                for eb, g in zip(ee.get("breaches", []), gb):
                    errs += compare_fields(f"{tag}.breach", g, eb)
        # only budgets are counted: commit periods partly inside the forecast, and allowances of
        # prices the forecast never bills, may or may not be listed
        if section == "budgets" and section in exp and len(got.get(section) or []) != len(exp[section]):
            errs.append(f"{section}: {len(got.get(section) or [])} entries, expected {len(exp[section])}")
    if "equals_run" in exp:
        pr = run(camp, ["run", model, "--format", "json", "--engine", engine])
        r, err = load_json(pr)
        if err:
            return errs + ["camp run: " + err]
        pl = next((q for q in r.get("pipelines", []) if q.get("name") == exp["equals_run"]), {})
        for m in got.get("months", []):
            for k in ("cost", "revenue"):
                if not close(m.get(k), pl.get(k)):
                    errs.append(f"{m.get('month')}.{k} = {m.get(k)}, camp run says {pl.get(k)}")
    return errs + check_table(camp, "forecast", model, exp)

def check_error(camp, path):
    text = open(path, encoding="utf-8").read()
    def directive(name, default=None):
        m = re.search(r"^// " + name + r": (.*)$", text, re.M)
        return m.group(1).strip() if m else default
    kinds = [k.strip() for k in directive("expect-kind", "").split("|") if k.strip()]
    lines = [l.strip() for l in directive("expect-line", "").split(",") if l.strip()]
    want_exit = int(directive("expect-exit", "1"))
    args = directive("expect-args")
    base = os.path.basename(path)
    cmd = ["check", base] if args is None else [a.replace("FILE", base) for a in args.split()]
    p = run(camp, cmd, cwd=os.path.dirname(path))
    out = p.stdout + p.stderr
    errs = []
    if p.returncode != want_exit:
        errs.append(f"exit {p.returncode}, expected {want_exit}")
    words = out.replace(base, "")  # the file's name must not satisfy a kind or a text
    if kinds and not any(f"[{k}]" in words or k in words for k in kinds):
        errs.append(f"no kind {'|'.join(kinds)}")
    for want in re.findall(r"^// expect-text: (.*)$", text, re.M):
        if want.strip().lower() not in words.lower():
            errs.append(f"no {want.strip()!r} in the output")
    if lines:
        if not any(re.search(re.escape(base) + r":" + l + r":\d+: error", out) for l in lines):
            errs.append(f"no error at {base}:{'|'.join(lines)}")
        if not re.search(r"^\s*\|\s*\^", out, re.M):
            errs.append("no caret line")
    if "help:" not in out:  # issue 9: "each names its line with a fix"
        errs.append("no help: line (a fix)")
    if re.search(r"Segmentation|Aborted|terminate called|AddressSanitizer|runtime error|Traceback", out):
        errs.append("crashed")
    return [e + f"\n    output: {out.strip()[:500]}" for e in errs[:1]] + errs[1:]

ENGINES = ("interp", "jit")

def main():
    camp = os.path.abspath(sys.argv[1])
    if not os.access(camp, os.X_OK):
        sys.exit(f"run_billing.py: {camp} is not an executable camp")
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    passed = failed = 0
    def report(name, errs):
        nonlocal passed, failed
        if errs:
            failed += 1
            print(f"FAIL {name}:\n  " + "\n  ".join(errs))
        else:
            passed += 1
    for f in sorted(os.listdir(root)):
        if not f.endswith(".expected.json"):
            continue
        exp = json.load(open(os.path.join(root, f), encoding="utf-8"))
        model = os.path.join(root, exp.get("model", f.split(".")[0] + ".camp"))
        check = check_forecast_case if exp.get("command") == "forecast" else check_run_case
        for engine in ENGINES:  # the interpreter and the JIT must both bill by the spec
            try:
                report(f"{f} [{engine}]", check(camp, model, exp, engine))
            except subprocess.TimeoutExpired:
                report(f"{f} [{engine}]", ["timed out"])
    edir = os.path.join(root, "errors")
    for f in sorted(os.listdir(edir)):
        if f.endswith(".camp"):
            try:
                report("errors/" + f, check_error(camp, os.path.join(edir, f)))
            except subprocess.TimeoutExpired:
                report("errors/" + f, ["timed out"])
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)

main()
