#!/usr/bin/env python3
"""`camp diff --git HEAD~1` in a real temporary git repository.

usage: git_diff_test.py CAMP

Commits a model and the rate card it imports, then a second version of both, and checks the
camp.diff/1 figures against the hand arithmetic below; then text and markdown output, the
`--fail-above` exit code, and `camp diff OLD NEW` on plain files. Skips (77) without git.

Version 1 (hourly 100 USD/h; rate card: platform fee 500 USD/month, sends graduated
1 USD per 1000 up to 100,000 emails, 0.5 above; 200,000 emails):
  strategy  Planning 10 h × 100                                  = 1,000
  execute   Sends 100,000 × 1/1000 + 100,000 × 0.5/1000 = 100 + 50 =   150
            Platform 500 × 1 month                                =   500   (stage 650)
  cost 1,650; revenue 200,000 × 0.01 = 2,000; profit 350; ROI 350 / 1,650 = 0.212121…
Version 2 (hourly 120; the imported rate card now charges 0.8 above 100,000; a QA line
and a reporting stage are added):
  strategy  Planning 10 × 120                                     = 1,200
  execute   Sends 100 + 100,000 × 0.8/1000 = 100 + 80             =   180
            Platform                                              =   500
            QA 2 h × 120                                          =   240   (stage 920)
  reporting Report 1 h × 120                                      =   120
  cost 2,240; revenue 2,000; profit −240; ROI −240 / 2,240 = −0.107142857…
Deltas: cost +590, profit −590, ROI −0.319264069…; cost rise 590 / 1,650 = 35.76 %.
"""
import json, os, shutil, subprocess, sys, tempfile

camp = sys.argv[1]
if shutil.which("git") is None:
    print("SKIP: git is not installed")
    sys.exit(77)

MODEL = """model "Diff across revisions"
currency USD
import "./rates/vendor.camp"

param hourly = {hourly} USD/h
param emails = 200_000 email

pipeline promo "Promotion" {{
  stage strategy "Strategy" {{
    labor "Planning" = 10 h * hourly
  }}
  stage execute "Execute" {{
    input strategy
    media "Sends" = vendor.send(emails)
    technology "Platform" = vendor.platform * 1 month{qa}
  }}{reporting}
  revenue "Orders" = emails * 0.01 USD/email
}}
"""
RATES = """unit email

ratecard vendor "Vendor" {{
  fee platform = 500 USD/month
  price send(email) = graduated {{
    up to 100_000 email: 1 USD/(1000 email)
    above:               {above} USD/(1000 email)
  }}
}}
"""
QA = '\n    labor "QA" = 2 h * hourly'
REPORTING = '\n  stage reporting "Reporting" {\n    input execute\n    labor "Report" = 1 h * hourly\n  }'

failures = []


def check(what, got, want, tol=1e-6):
    ok = got is not None and abs(got - want) <= tol * max(1.0, abs(want))
    if not ok:
        failures.append(f"{what}: got {got}, expected {want}")


def git(*args, cwd):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_NOSYSTEM="1", HOME=cwd)
    subprocess.run(["git"] + list(args), cwd=cwd, check=True, capture_output=True, env=env)


def write(repo, hourly, above, qa, reporting):
    os.makedirs(os.path.join(repo, "models", "rates"), exist_ok=True)
    with open(os.path.join(repo, "models", "promo.camp"), "w") as f:
        f.write(MODEL.format(hourly=hourly, qa=qa, reporting=reporting))
    with open(os.path.join(repo, "models", "rates", "vendor.camp"), "w") as f:
        # (the word pipeline in a comment must not make this rate card count as a model)
        f.write("// Used by the promo pipeline.\n" + RATES.format(above=above))


repo = tempfile.mkdtemp(prefix="camp-diff-git-")
try:
    git("init", "-q", cwd=repo)
    write(repo, 100, "0.5", "", "")
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "v1", cwd=repo)
    write(repo, 120, "0.8", QA, REPORTING)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "v2", cwd=repo)
    sub = os.path.join(repo, "models")

    r = subprocess.run([camp, "diff", "--git", "HEAD~1", "promo.camp", "--format", "json"], cwd=sub,
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        failures.append(f"diff --git exit {r.returncode}: {r.stderr}")
    else:
        d = json.loads(r.stdout)
        if d.get("schema") != "camp.diff/1":
            failures.append(f"schema is {d.get('schema')}")
        p = d["pipelines"][0]
        if p["name"] != "promo" or p["status"] != "changed":
            failures.append(f"pipeline: {p['name']} {p['status']}")
        check("old cost", p["old"]["cost"], 1650)
        check("old revenue", p["old"]["revenue"], 2000)
        check("old profit", p["old"]["profit"], 350)
        check("old roi", p["old"]["roi"], 350 / 1650)
        check("new cost", p["new"]["cost"], 2240)
        check("new profit", p["new"]["profit"], -240)
        check("new roi", p["new"]["roi"], -240 / 2240)
        check("delta cost", p["delta"]["cost"], 590)
        check("delta revenue", p["delta"]["revenue"], 0)
        check("delta profit", p["delta"]["profit"], -590)
        check("delta roi", p["delta"]["roi"], -240 / 2240 - 350 / 1650)
        stages = {s["name"]: s for s in p["stages"]}
        check("strategy delta", stages["strategy"]["delta"], 200)
        ex = stages["execute"]
        check("execute old", ex["old_cost"], 650)
        check("execute new", ex["new_cost"], 920)
        lines = {l["label"]: l for l in ex["lines"]}
        check("sends delta (import changed)", lines["Sends"]["delta"], 30)
        if lines["Platform"]["status"] != "same":
            failures.append("Platform should be unchanged")
        if lines["QA"]["status"] != "added" or lines["QA"]["old_cost"] is not None:
            failures.append(f"QA line: {lines['QA']}")
        check("QA new", lines["QA"]["new_cost"], 240)
        rep = stages["reporting"]
        if rep["status"] != "added" or rep["old_cost"] is not None:
            failures.append(f"reporting stage: {rep}")
        check("reporting new", rep["new_cost"], 120)
        params = {q["name"]: q for q in d["params"]}
        if set(params) != {"hourly"}:
            failures.append(f"params changed: {sorted(params)}")
        else:
            check("hourly old", params["hourly"]["old"], 100)
            check("hourly new", params["hourly"]["new"], 120)
            if params["hourly"]["unit"] != "USD/h":
                failures.append(f"hourly unit {params['hourly']['unit']}")

    for fmt_ in ("text", "markdown"):
        r = subprocess.run([camp, "diff", "--git", "HEAD~1", "promo.camp", "--format", fmt_], cwd=sub,
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0 or "590.00" not in r.stdout:
            failures.append(f"--format {fmt_}: exit {r.returncode}, output:\n{r.stdout}{r.stderr}")

    # 35.76 % rise: fails above 30, passes at 40.
    for pct, want in (("30", 1), ("40", 0)):
        r = subprocess.run([camp, "diff", "--git", "HEAD~1", "promo.camp", "--fail-above", pct], cwd=sub,
                           capture_output=True, text=True, timeout=120)
        if r.returncode != want:
            failures.append(f"--fail-above {pct}: exit {r.returncode}, expected {want}")

    # Without FILE: every tracked model (from the repository root).
    r = subprocess.run([camp, "diff", "--git", "HEAD~1", "--format", "json"], cwd=repo, capture_output=True,
                       text=True, timeout=120)
    if r.returncode != 0 or json.loads(r.stdout)["pipelines"][0]["new"]["cost"] != 2240:
        failures.append(f"diff --git without files: exit {r.returncode}: {r.stdout[:300]}{r.stderr}")

    # A revision git does not know: a command-line error (exit 2).
    r = subprocess.run([camp, "diff", "--git", "no-such-rev", "promo.camp"], cwd=sub, capture_output=True, text=True)
    if r.returncode != 2:
        failures.append(f"unknown revision: exit {r.returncode}")
finally:
    shutil.rmtree(repo, ignore_errors=True)

for f in failures:
    print("FAIL:", f)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
