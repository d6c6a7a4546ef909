#!/usr/bin/env python3
"""The camp command line as a user meets it: exit codes, formats, suggestions, colour rules, help.

usage: test_cli.py PATH/TO/camp WORKDIR
"""
import csv, io, json, os, subprocess, sys

CAMP = os.path.abspath(sys.argv[1])
WORK = sys.argv[2]
os.makedirs(WORK, exist_ok=True)
results = []

MODEL = '''model "CLI test"
currency USD
unit brief, email
param hourly = 80 USD/h
param conversion = 2% in [1%, 3%]
param rate = 1 USD/email
pipeline p "P" {
  stage plan "Plan" {
    output 1 brief
    labor "Planner" = 10 h * hourly
  }
  stage send "Send" {
    input plan
    output 1_000 email
    media "Sends, first wave" = 1_000 email * rate
  }
  revenue "Orders" = 100_000 USD * conversion
}
scenario cheap "Cheap" { rate = 0.5 }
assert p.cost <= 2_000 USD "budget"
'''
# Hand figures: plan 10 h × 80 = 800; send 1000 × 1 = 1000; cost 1800; revenue 100000 × 2% = 2000;
# profit 200; roi 200/1800. Scenario cheap: send 500, cost 1300.

def run(*args, env=None):
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    if env:
        e.update(env)
    return subprocess.run([CAMP, *args], capture_output=True, text=True, timeout=60, env=e)

def case(name):
    def wrap(fn):
        try:
            fn()
            results.append((name, None))
        except AssertionError as err:
            results.append((name, str(err) or "assertion failed"))
        return fn
    return wrap

path = os.path.join(WORK, "model.camp")
open(path, "w").write(MODEL)

@case("run prints a table and exits 0")
def _():
    p = run("run", path)
    assert p.returncode == 0, p.stderr
    assert "1,800.00" in p.stdout and "Planner" in p.stdout and "ROI" in p.stdout, p.stdout
    assert "\033[" not in p.stdout, "colour on a pipe"

@case("json follows camp.run/1 with hand-computed figures")
def _():
    p = run("run", path, "--format", "json")
    assert p.returncode == 0, p.stderr
    j = json.loads(p.stdout)
    assert j["schema"] == "camp.run/1" and j["currency"] == "USD" and j["scenario"] == "base"
    pl = j["pipelines"][0]
    assert pl["cost"] == 1800 and pl["revenue"] == 2000 and pl["profit"] == 200, pl
    assert abs(pl["roi"] - 200 / 1800) < 1e-12
    assert list(pl["by_category"]) == ["labor", "technology", "data", "content", "media"]
    assert pl["by_category"]["media"] == 1000
    assert [s["name"] for s in pl["stages"]] == ["plan", "send"]
    assert pl["stages"][1]["output"] == {"value": 1000, "unit": "email"}
    assert j["asserts"][0]["ok"] is True and j["asserts"][0]["line"] == 20

@case("csv has one row per cost line and per revenue line, quoted where needed")
def _():
    p = run("run", path, "--format", "csv")
    rows = list(csv.reader(io.StringIO(p.stdout)))
    assert rows[0] == ["scenario", "pipeline", "kind", "stage", "category", "label", "amount", "currency"]
    assert len(rows) == 4, rows
    assert rows[2][2] == "cost" and rows[2][5] == "Sends, first wave" and float(rows[2][6]) == 1000
    assert rows[3][2] == "revenue" and rows[3][5] == "Orders" and float(rows[3][6]) == 2000  # 100000 × 2%

@case("--scenario applies overrides")
def _():
    j = json.loads(run("run", path, "--scenario", "cheap", "--format", "json").stdout)
    assert j["scenario"] == "cheap" and j["pipelines"][0]["cost"] == 1300

@case("--set takes the param's unit when none is written")
def _():
    j = json.loads(run("run", path, "--set", "conversion=3%", "--set", "hourly=100 USD/h", "--format", "json").stdout)
    pl = j["pipelines"][0]
    assert pl["revenue"] == 3000 and pl["cost"] == 2000, pl  # 100000 × 3%; 10 h × 100 + 1000

@case("unknown scenario is a command-line error with a suggestion")
def _():
    p = run("run", path, "--scenario", "chaep")
    assert p.returncode == 2 and "did you mean `cheap`" in p.stderr, p.stderr

@case("unknown --set name is a command-line error with a suggestion")
def _():
    p = run("run", path, "--set", "hourley=5")
    assert p.returncode == 2 and "did you mean `hourly`" in p.stderr, p.stderr

@case("--set with the wrong unit is rejected")
def _():
    p = run("run", path, "--set", "hourly=5 USD")
    assert p.returncode == 2 and "USD/h" in p.stderr, p.stderr

@case("a failed assertion prints the results, marks it, exits 1")
def _():
    p = run("run", path, "--set", "hourly=200")
    assert p.returncode == 1, p.returncode
    assert "FAILED" in p.stdout and "3,000.00" in p.stdout, p.stdout
    assert "budget" in p.stderr and "model.camp:20" in p.stderr, p.stderr

@case("check passes a good model, fails a bad one, 2 for a missing file")
def _():
    assert run("check", path).returncode == 0
    bad = os.path.join(WORK, "bad.camp")
    open(bad, "w").write('model "b"\ncurrency USD\nlet x = 1 USD + 1 h\n')
    p = run("check", bad)
    assert p.returncode == 1 and "bad.camp:3:" in p.stderr and "cannot add" in p.stderr, p.stderr
    assert run("check", os.path.join(WORK, "missing.camp")).returncode == 2
    assert run("check", path, bad).returncode == 1

@case("json diagnostics for tools")
def _():
    bad = os.path.join(WORK, "bad.camp")
    p = run("check", bad, "--diagnostics-format", "json")
    j = json.loads(p.stdout)
    assert j["schema"] == "camp.diagnostics/1" and j["errors"] == 1
    d = j["diagnostics"][0]
    assert d["code"] == "UnitMismatch" and d["location"]["line"] == 3 and d["severity"] == "error"

@case("colour never with NO_COLOR, never on a pipe")
def _():
    bad = os.path.join(WORK, "bad.camp")
    for env in ({"NO_COLOR": "1"}, {}):
        p = run("check", bad, env=env)
        assert "\033[" not in p.stderr

@case("bad command lines exit 2")
def _():
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("run", path, "--format", "xml").returncode == 2

@case("command-line parse errors are UsageErrors in camp's own layout")
def _():
    env = {"NO_COLOR": "1"}
    p = run("rn", path, env=env)
    assert p.returncode == 2 and p.stderr == ("camp: error: `rn` is not a camp command; did you mean `run`? [UsageError]\n"
                                              "help: run `camp --help` for the list of commands\n"), p.stderr
    p = run(env=env)
    assert p.returncode == 2 and p.stderr.startswith("camp: error: name a command, e.g. `camp run FILE.camp` [UsageError]\n"), p.stderr
    p = run("run", path, "--bogus", env=env)
    assert p.returncode == 2 and p.stderr == ("camp: error: the following argument was not expected: --bogus [UsageError]\n"
                                              "help: run `camp run --help` for its options and examples\n"), p.stderr
    p = run("mc", env=env)
    assert p.returncode == 2 and "[UsageError]" in p.stderr and "camp mc --help" in p.stderr, p.stderr

@case("help teaches with examples")
def _():
    p = run("run", "--help")
    assert p.returncode == 0 and "Examples:" in p.stdout and "--scenario" in p.stdout and "--set" in p.stdout
    p = run("--help")
    assert p.returncode == 0 and "check" in p.stdout and "Exit codes" in p.stdout

@case("explain describes a diagnostic kind")
def _():
    p = run("explain", "UnitMismatch")
    assert p.returncode == 0 and "dimension" in p.stdout
    p = run("explain", "UnitMismatsh")
    assert p.returncode == 2 and "UnitMismatch" in p.stderr

failed = [(n, e) for n, e in results if e]
for n, e in failed:
    print(f"FAIL {n}: {e}")
print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
