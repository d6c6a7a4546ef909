#!/usr/bin/env python3
"""`camp run` for people: grand total, params used, --format markdown, --compare, CSV revenue rows.

Every expected figure below is worked out by hand from MODEL in the comment beside it.
usage: test_run_views.py PATH/TO/camp WORKDIR
"""
import csv, io, json, os, re, subprocess, sys

CAMP = os.path.abspath(sys.argv[1])
WORK = sys.argv[2]
os.makedirs(WORK, exist_ok=True)
results = []

MODEL = '''model "Two pipelines"
currency USD
unit brief, email
param hourly = 80 USD/h
param rate = 1 USD/email
param conversion = 2% in [1%, 3%]
pipeline a "A" {
  stage plan "Plan" {
    output 1 brief
    labor "Planner" = 10 h * hourly
  }
  stage send "Send" {
    input plan
    output 1_000 email
    media "Sends" = 1_000 email * rate
  }
  revenue "Orders" = 100_000 USD * conversion
}
pipeline b "B" {
  stage make "Make" {
    output 2 brief
    labor "Maker" = 5 h * hourly
    content "Stock | photos, licensed" = 100 USD
  }
  revenue "Licences" = 300 USD
}
scenario cheap "Cheap" { rate = 0.5 }
scenario busy "Busy" { hourly = 100; conversion = 3% }
assert a.cost <= 2_000 USD "budget"
'''
# Hand figures, base case:
#   a: plan 10 h x 80 = 800; send 1,000 x 1 = 1,000; cost 1,800; revenue 100,000 x 2% = 2,000;
#      profit 200; ROI 200 / 1,800 = 0.1111...
#   b: make 5 h x 80 = 400 + 100 = 500; revenue 300; profit -200; ROI -200 / 500 = -0.4
#   total: cost 2,300; revenue 2,300; profit 0; ROI 0
# cheap (rate 0.5): a send 500, cost 1,300, profit 700; b unchanged;
#   total cost 1,800, revenue 2,300, profit 500, ROI 500 / 1,800 = 0.27777...
# busy (hourly 100, conversion 3%): a plan 1,000, cost 2,000, revenue 3,000, profit 1,000, ROI 0.5;
#   b make 500 + 100 = 600, revenue 300, profit -300, ROI -0.5;
#   total cost 2,600, revenue 3,300, profit 700, ROI 700 / 2,600 = 0.269230769...


def run(*args):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    return subprocess.run([CAMP, *args], capture_output=True, text=True, timeout=60, env=env)


def case(name):
    def wrap(fn):
        try:
            fn()
            results.append((name, None))
        except AssertionError as err:
            results.append((name, str(err) or "assertion failed"))
        except Exception as err:  # a crash of the test itself is a failure too
            results.append((name, f"{type(err).__name__}: {err}"))
        return fn
    return wrap


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))


path = os.path.join(WORK, "two.camp")
open(path, "w").write(MODEL)


@case("json has the grand total across pipelines")
def _():
    p = run("run", path, "--format", "json")
    assert p.returncode == 0, p.stderr
    j = json.loads(p.stdout)
    assert j["total"] == {"cost": 2300, "revenue": 2300, "profit": 0, "roi": 0}, j["total"]
    a, b = j["pipelines"]
    assert (a["cost"], a["revenue"], b["cost"], b["revenue"]) == (1800, 2000, 500, 300)


@case("json total under a scenario")
def _():
    j = json.loads(run("run", path, "--scenario", "busy", "--format", "json").stdout)
    t = j["total"]
    assert (t["cost"], t["revenue"], t["profit"]) == (2600, 3300, 700), t
    assert close(t["roi"], 700 / 2600), t


@case("table shows the grand total and the params used")
def _():
    p = run("run", path)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "Total of 2 pipelines" in out, out
    total = out[out.index("Total of 2 pipelines"):]
    lines = {l.split()[0]: l.split()[-1] for l in total.splitlines()[1:5]}
    assert lines == {"Cost": "2,300.00", "Revenue": "2,300.00", "Profit": "0.00", "ROI": "0.0%"}, lines
    params = out[out.index("Params used"):]
    assert "hourly" in params and "80 USD/h" in params and "1 USD/email" in params and "2%" in params, params
    assert "(model:" not in params, "no param differs from the model here"


@case("table marks a param that --set changed, with the model's value")
def _():
    out = run("run", path, "--set", "hourly=100").stdout
    line = [l for l in out[out.index("Params used"):].splitlines() if l.strip().startswith("hourly")][0]
    assert "100 USD/h" in line and "(model: 80 USD/h)" in line, line


@case("markdown: pipelines, total, params and assertions as tables")
def _():
    p = run("run", path, "--format", "markdown")
    assert p.returncode == 0, p.stderr
    md = p.stdout
    assert md.startswith("# Two pipelines\n"), md[:80]
    assert "| **Total cost** | | **1,800.00** | 100.0% | |" in md, md
    assert "| **Total cost** | | **500.00** | 100.0% | |" in md, md
    assert "Stock \\| photos, licensed" in md, "a | in a label must be escaped"
    assert "| Profit | -200.00 |" in md and "| ROI (profit / cost) | -40.0% |" in md, md
    assert "| Cost | 2,300.00 |" in md and "| Profit | 0.00 |" in md, md
    assert "| hourly | 80 USD/h | |" in md, md
    assert "| ✓ ok | budget: `a.cost <= 2_000 USD` | 1,800.00 USD <= 2,000.00 USD |" in md, md
    # every table row has the same number of cells as its header
    for block in md.split("\n\n"):
        rows = [l for l in block.splitlines() if l.startswith("|")]
        if rows:
            widths = {len(r.replace("\\|", "").split("|")) for r in rows}
            assert len(widths) == 1, block


@case("csv has cost and revenue rows with a kind column, summing to the totals")
def _():
    p = run("run", path, "--format", "csv")
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    assert list(rows[0]) == ["scenario", "pipeline", "kind", "stage", "category", "label", "amount", "currency"]
    assert [r["kind"] for r in rows] == ["cost", "cost", "revenue", "cost", "cost", "revenue"], rows
    assert sum(float(r["amount"]) for r in rows if r["kind"] == "cost") == 2300
    assert sum(float(r["amount"]) for r in rows if r["kind"] == "revenue") == 2300
    rev = [r for r in rows if r["kind"] == "revenue"]
    assert (rev[0]["pipeline"], rev[0]["label"], rev[0]["amount"], rev[0]["stage"]) == ("a", "Orders", "2000", "")
    assert rows[4]["label"] == "Stock | photos, licensed" and rows[4]["amount"] == "100"


@case("--compare json: figures per pipeline and in total, and what each scenario changes")
def _():
    p = run("run", path, "--compare", "base,cheap,busy", "--format", "json")
    assert p.returncode == 0, p.stderr
    j = json.loads(p.stdout)
    assert j["schema"] == "camp.compare/1"
    base, cheap, busy = j["scenarios"]
    assert [s["name"] for s in j["scenarios"]] == ["base", "cheap", "busy"]
    assert base["changes"] == [] and base["total"] == {"cost": 2300, "revenue": 2300, "profit": 0, "roi": 0}
    assert cheap["changes"] == [{"param": "rate", "value": 0.5, "unit": "USD/email"}], cheap["changes"]
    assert cheap["pipelines"][0] == {"name": "a", "cost": 1300, "revenue": 2000, "profit": 700,
                                     "roi": cheap["pipelines"][0]["roi"]}
    assert close(cheap["pipelines"][0]["roi"], 700 / 1300)
    assert (cheap["total"]["cost"], cheap["total"]["profit"]) == (1800, 500) and close(cheap["total"]["roi"], 500 / 1800)
    assert [c["param"] for c in busy["changes"]] == ["hourly", "conversion"], busy["changes"]
    assert busy["changes"][0]["value"] == 100 and close(busy["changes"][1]["value"], 0.03)
    a, b = busy["pipelines"]
    assert (a["cost"], a["revenue"], a["profit"], a["roi"]) == (2000, 3000, 1000, 0.5), a
    assert (b["cost"], b["revenue"], b["profit"], b["roi"]) == (600, 300, -300, -0.5), b
    assert (busy["total"]["cost"], busy["total"]["revenue"]) == (2600, 3300) and close(busy["total"]["roi"], 700 / 2600)


@case("--compare table: one column per scenario, rows per pipeline, total and changed params")
def _():
    p = run("run", path, "--compare", "base,cheap,busy")
    assert p.returncode == 0, p.stderr
    rows = {}
    for line in p.stdout.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) == 4:
            rows[cells[0]] = cells[1:]
    assert rows["a cost"] == ["1,800.00", "1,300.00", "2,000.00"], rows
    assert rows["b profit"] == ["-200.00", "-200.00", "-300.00"], rows
    assert rows["Total cost"] == ["2,300.00", "1,800.00", "2,600.00"], rows
    assert rows["Total ROI"] == ["0.0%", "27.8%", "26.9%"], rows
    assert rows["param rate"] == ["1 USD/email", "0.5 USD/email", "1 USD/email"], rows
    assert rows["param hourly"] == ["80 USD/h", "80 USD/h", "100 USD/h"], rows
    assert "cheap" in p.stdout and "rate = 0.5 USD/email" in p.stdout, p.stdout


@case("--compare markdown and csv")
def _():
    md = run("run", path, "--compare", "base,busy", "--format", "markdown").stdout
    assert "| | base | busy |\n|---|--:|--:|\n" in md, md
    assert "| Total profit | 0.00 | 700.00 |" in md, md
    rows = list(csv.DictReader(io.StringIO(run("run", path, "--compare", "base,busy", "--format", "csv").stdout)))
    got = {(r["scenario"], r["pipeline"], r["figure"]): float(r["value"]) for r in rows}
    assert got[("busy", "total", "revenue")] == 3300 and got[("base", "b", "cost")] == 500, got
    assert close(got[("busy", "total", "roi")], 700 / 2600), got


@case("--compare with --set applies it to every scenario")
def _():
    j = json.loads(run("run", path, "--compare", "base,cheap", "--set", "hourly=100", "--format", "json").stdout)
    # base: a 1,000 + 1,000 = 2,000; b 500 + 100 = 600. cheap: a 1,000 + 500 = 1,500.
    assert j["scenarios"][0]["total"]["cost"] == 2600 and j["scenarios"][1]["total"]["cost"] == 2100, j
    assert [c["param"] for c in j["scenarios"][1]["changes"]] == ["hourly", "rate"]


@case("--compare: unknown scenario exits 2 with a suggestion; --scenario with it is refused")
def _():
    p = run("run", path, "--compare", "base,chaep")
    assert p.returncode == 2 and "did you mean `cheap`" in p.stderr, (p.returncode, p.stderr)
    p = run("run", path, "--compare", "base,cheap", "--scenario", "busy")
    assert p.returncode == 2, (p.returncode, p.stderr)


@case("--compare: a failed assertion in one scenario exits 1 and names it")
def _():
    p = run("run", path, "--compare", "base,busy", "--set", "hourly=200")
    # a under hourly 200: 2,000 + 1,000 = 3,000 > 2,000 in both cases
    assert p.returncode == 1, p.returncode
    assert "budget" in p.stderr, p.stderr


@case("report: writes one page with the figures inline; bad command lines exit 2")
def _():
    out = os.path.join(WORK, "two.html")
    p = run("report", path, "-o", out)
    assert p.returncode == 0, p.stderr
    page = open(out, encoding="utf-8").read()
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page[-20:]
    assert "http://" not in page.split("<script>")[0] and "https://" not in page.split("<script>")[0]
    assert 'data-pipeline="*total" data-field="cost">2,300.00<' in page, "total cost cell"
    assert 'data-scenario="busy"' in page and 'data-scenario="cheap"' in page
    assert "No billing data yet" in page or "Billing of each price" in page
    assert "Run `camp report` with --samples N" in page, "the uncertainty section says why it is empty"
    p = run("report", path, "-o", out, "--scenario", "chaep")
    assert p.returncode == 2 and "did you mean `cheap`" in p.stderr, p.stderr
    p = run("report", path, "-o", os.path.join(WORK, "no-such-dir", "r.html"))
    assert p.returncode == 2 and "could not write" in p.stderr, (p.returncode, p.stderr)
    p = run("report", path)
    assert p.returncode == 2, "-o is required"
    p = run("report", path, "-o", out, "--set", "hourly=200")
    assert p.returncode == 1 and "budget" in p.stderr and os.path.exists(out), "a failed assert still writes the page"


failed = [(n, e) for n, e in results if e]
for n, e in results:
    print(("ok   " if not e else "FAIL ") + n + ("" if not e else f"\n     {e}"))
print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed or not results else 0)
