#!/usr/bin/env python3
"""Issue 10 as a user meets it: paired probabilistic diffs, --precision, --export-samples,
`correlate`, break-even across a volume-tier cliff. Every expected figure is computed here by
hand or in closed form, never taken from camp's output.

usage: test_uncertainty.py PATH/TO/camp WORKDIR
"""
import csv, json, math, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import case, finish, runner, writer  # noqa: E402

WORK = sys.argv[2]
run = runner(sys.argv[1])
write = writer(WORK)


def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    for k, i in enumerate(order):
        r[i] = float(k)
    return r


def spearman(xs, ys):
    rx, ry = ranks(xs), ranks(ys)
    m = (len(xs) - 1) / 2
    sxy = sum((a - m) * (b - m) for a, b in zip(rx, ry))
    sxx = sum((a - m) ** 2 for a in rx)
    return sxy / sxx


# Costs are whole dollars (round(…, 1 USD)), so sums are exact and a constant change is exact.
OLD = '''model "Paired"
currency USD
unit brief, email
param hourly = 80 USD/h ~ triangular(60, 80, 110)
param rate = 1 USD/email ~ uniform(0.5, 1.5)
param conversion = 2% ~ pert(1%, 2%, 4%)
pipeline p "P" {
  stage plan "Plan" {
    output 1 brief
    labor "Planner" = round(10 h * hourly, 1 USD)
  }
  stage send "Send" {
    input plan
    output 1_000 email
    media "Sends" = round(1_000 email * rate, 1 USD)
  }
  revenue "Orders" = 100_000 USD * conversion
}
'''
# The new version adds a param (declared first, so every position shifts) used in revenue, and a
# fixed 1,000 USD cost line: the cost changes by exactly 1,000 in every sample.
NEW = OLD.replace('currency USD\n', 'currency USD\nparam lift = 5% ~ uniform(1%, 9%)\n').replace(
    '    labor "Planner" = round(10 h * hourly, 1 USD)\n',
    '    labor "Planner" = round(10 h * hourly, 1 USD)\n    content "Agency" = 1_000 USD\n').replace(
    '100_000 USD * conversion', '100_000 USD * conversion * (1 + lift)')
old = write("old.camp", OLD)
new = write("new.camp", NEW)


@case("paired diff: a constant change is that constant at every quantile, with a param added")
def _():
    p = run("diff", old, new, "--samples", "5000", "--seed", "3", "--format", "json")
    assert p.returncode == 0, p.stderr
    j = json.loads(p.stdout)
    u = j["pipelines"][0]["uncertain"]
    assert u["samples"] == 5000 and u["used"] == 5000, u
    c = u["cost"]
    assert (c["p10"], c["p50"], c["p90"]) == (1000, 1000, 1000), c
    assert c["p_increase"] == 1.0, c
    # old and new quantiles are spread; new is old shifted by exactly 1,000
    assert c["old"]["p10"] < c["old"]["p50"] < c["old"]["p90"], c
    assert c["new"]["p50"] == c["old"]["p50"] + 1000, c
    # profit: revenue rises by 100,000 * conversion * lift (> 0 always: at least 100,000 * 1 % *
    # 1 % = 10 USD) and cost by 1,000: the change is spread, P10 < P90.
    pr = u["profit"]
    assert pr["p10"] < pr["p50"] < pr["p90"], pr
    # lift's median is 5 % and conversion's PERT median is near 2.15 %: revenue change near
    # 100,000 * 0.0215 * 0.05 = 107.5, so the profit change's median is near -892.5.
    assert -1000 < pr["p50"] < -750, pr


@case("paired diff: the same seed gives the same figures; the text shows the interval")
def _():
    a = run("diff", old, new, "--samples", "3000", "--format", "json", "--threads", "1")
    b = run("diff", old, new, "--samples", "3000", "--format", "json", "--threads", "2")
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    assert json.loads(a.stdout)["pipelines"][0]["uncertain"] == json.loads(b.stdout)["pipelines"][0]["uncertain"]
    t = run("diff", old, new, "--samples", "3000")
    assert "P10 +1,000.00 · P50 +1,000.00 · P90 +1,000.00" in t.stdout, t.stdout
    assert "rises in 100.0 % of samples" in t.stdout, t.stdout
    m = run("diff", old, new, "--samples", "3000", "--format", "markdown")
    assert "**+1,000.00 – +1,000.00**" in m.stdout, m.stdout


@case("paired diff: --fail-above AMOUNT --probability SHARE")
def _():
    p = run("diff", old, new, "--samples", "2000", "--fail-above", "500", "--probability", "20%")
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert "in 100.0 % of samples" in p.stderr, p.stderr
    q = run("diff", old, new, "--samples", "2000", "--fail-above", "1500", "--probability", "20%")
    assert q.returncode == 0, (q.returncode, q.stderr)
    bad = run("diff", old, new, "--fail-above", "500", "--probability", "20%")
    assert bad.returncode == 2 and "--samples" in bad.stderr, bad.stderr


@case("mc --precision stops with the promised standard error")
def _():
    p = run("mc", old, "--precision", "0.2%", "--metric", "p.cost", "--format", "json")
    assert p.returncode == 0, p.stderr
    j = json.loads(p.stdout)
    assert j["converged"] is True and abs(j["precision"] - 0.002) < 1e-15, j
    assert j["samples"] % 8192 == 0 and j["samples"] == j["evaluated"], j
    mtr = j["metrics"][0]
    assert mtr["stderr"] <= 0.002 * abs(mtr["mean"]), mtr
    # sd of the cost: 10 h * triangular(60, 80, 110) + 1000 * uniform(0.5, 1.5):
    # var = 100 * (60²+80²+110²-60·80-60·110-80·110)/18 + 1e6/12
    var = 100 * (60**2 + 80**2 + 110**2 - 60 * 80 - 60 * 110 - 80 * 110) / 18 + 1e6 / 12
    mean = 10 * (60 + 80 + 110) / 3 + 1000
    need = var / (0.002 * mean) ** 2  # samples needed for the standard error
    expected = math.ceil(need / 8192) * 8192
    assert j["samples"] == expected, (j["samples"], need, expected)
    capped = json.loads(run("mc", old, "--precision", "0.01%", "--max-samples", "9000", "--format",
                            "json").stdout)
    assert capped["converged"] is False and capped["samples"] == 9000, capped


@case("mc --export-samples writes every sample, params in their unit, metrics that add up")
def _():
    out = os.path.join(WORK, "draws.csv")
    p = run("mc", old, "-n", "2500", "--export-samples", out, "--metric", "p.cost", "--threads", "2")
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(open(out)))
    assert len(rows) == 2500
    assert list(rows[0].keys()) == ["sample", "hourly", "rate", "conversion", "p.cost"], rows[0].keys()
    assert [int(r["sample"]) for r in rows] == list(range(2500))
    for r in rows:
        h, rate, conv, cost = float(r["hourly"]), float(r["rate"]), float(r["conversion"]), float(r["p.cost"])
        assert 60 <= h <= 110 and 0.5 <= rate <= 1.5 and 0.01 <= conv <= 0.04, r
        assert cost == round(10 * h) + round(1000 * rate), r


CORR = '''model "Correlated"
currency USD
unit click
param correlate = 1_000 click
param ctr = 2% ~ triangular(1%, 2%, 4%)
param conversion = 3% ~ pert(1%, 3%, 6%)
param aov = 70 USD ~ normal(70, 9)
correlate ctr, conversion = 0.8
correlate aov, conversion = -0.5
let value = correlate * ctr * conversion * aov / 1 click
'''
corr = write("corr.camp", CORR)


@case("correlate: rank correlations of the exported draws are the ones asked for")
def _():
    out = os.path.join(WORK, "corr.csv")
    p = run("mc", corr, "-n", "20000", "--export-samples", out, "--metric", "value", "--format", "json")
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(open(out)))
    ctr = [float(r["ctr"]) for r in rows]
    conv = [float(r["conversion"]) for r in rows]
    aov = [float(r["aov"]) for r in rows]
    assert abs(spearman(ctr, conv) - 0.8) <= 0.02, spearman(ctr, conv)
    assert abs(spearman(aov, conv) + 0.5) <= 0.02, spearman(aov, conv)
    assert abs(spearman(ctr, aov) - 0.0) <= 0.02, spearman(ctr, aov)
    # each marginal kept: the triangular's mode is at F = 1/3, so its median is on the right:
    # 4 % - sqrt(0.5 * 3 % * 2 %) = 2.2679 %
    med = sorted(ctr)[len(ctr) // 2]
    assert abs(med - (0.04 - math.sqrt(0.5 * 0.03 * 0.02))) < 0.0003, med


@case("correlate: the same bits for any thread count")
def _():
    a = run("mc", corr, "-n", "6000", "--metric", "value", "--format", "json", "--threads", "1")
    b = run("mc", corr, "-n", "6000", "--metric", "value", "--format", "json", "--threads", "2")
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout


@case("correlate: an impossible set is replaced by the nearest valid one, with a warning")
def _():
    text = CORR.replace("correlate aov, conversion = -0.5",
                        "correlate aov, conversion = 0.9\ncorrelate aov, ctr = -0.9")
    p = run("mc", write("bad_corr.camp", text), "-n", "2000", "--metric", "value", "--format", "json")
    assert p.returncode == 0, p.stderr
    assert "warning" in p.stderr and "[CorrelationAdjusted]" in p.stderr, p.stderr
    assert "ctr, conversion: 0.80 ->" in p.stderr and "ctr, aov: -0.90 ->" in p.stderr, p.stderr
    json.loads(p.stdout)


@case("correlate: mistakes are diagnostics with a line and a caret")
def _():
    for bad, words in [("correlate ctr, nothing = 0.5", "`nothing`, which is not a param"),
                       ("correlate ctr, correlate = 0.5", "has no range or distribution"),
                       ("correlate ctr, conversion = 1.5", "between -1 and 1"),
                       ("correlate ctr, ctr = 0.5", "correlated with itself"),
                       ("correlate ctr, aov = 2 USD", "a plain number"),
                       ("correlate conversion, ctr = 0.1", "correlated twice")]:
        text = CORR + bad + "\n"
        p = run("check", write("err.camp", text))
        assert p.returncode == 1, (bad, p.returncode, p.stderr)
        assert words in p.stderr and "err.camp:11:" in p.stderr and "^" in p.stderr, (bad, p.stderr)


@case("sobol says it assumes independence when the model has correlations")
def _():
    p = run("sobol", corr, "-n", "500", "--bootstrap", "10", "--metric", "value", "--format", "json")
    assert p.returncode == 0, p.stderr
    assert "assume independent inputs" in p.stderr, p.stderr
    assert json.loads(p.stdout)["correlations_ignored"] == 2


CLIFF = '''model "Volume cliff"
currency USD
unit customer
param customers = 400_000 customer in [100_000, 1_000_000]
ratecard sync "Audience sync" {
  price match(customer) = volume {
    up to 500_000 customer: 0.02 USD/customer
    above:                  0.008 USD/customer
  }
}
pipeline promo "Promo" {
  stage reach "Reach" {
    output customers
    data "Matching" = sync.match(customers)
  }
  revenue "Sales" = customers * 0.014 USD/customer
}
'''
cliff = write("cliff.camp", CLIFF)


@case("breakeven across a tier cliff: found false, the jump in JSON and in words")
def _():
    # profit = -0.006 q up to 500,000 (-3,000 there), +0.006 q above (+3,000 just above)
    p = run("breakeven", cliff, "--param", "customers", "--metric", "promo.profit", "--format", "json")
    assert p.returncode == 0, p.stderr
    j = json.loads(p.stdout)
    assert j["found"] is False and j["value"] is None, j
    assert abs(j["discontinuity_at"] - 500000) < 1e-6, j
    assert abs(j["jump"]["from"] + 3000) < 1e-6 and abs(j["jump"]["to"] - 3000) < 1e-6, j
    t = run("breakeven", cliff, "--param", "customers", "--metric", "promo.profit")
    assert "jumps from -3,000.00 USD to 3,000.00 USD" in t.stdout, t.stdout
    # a real root is verified: -0.006 q = -1,200 at q = 200,000
    r = json.loads(run("breakeven", cliff, "--param", "customers", "--metric", "promo.profit", "--target",
                       "-1200", "--format", "json").stdout)
    assert r["found"] is True and abs(r["value"] - 200000) < 1e-6 and abs(r["metric_at_value"] + 1200) < 1e-6, r


@case("mc header names the scenario and every --set")
def _():
    p = run("mc", old, "-n", "1000", "--set", "rate=1 USD/email")
    assert p.returncode == 0, p.stderr
    assert "(--set rate=1 USD/email)" in p.stdout and "Latin hypercube" in p.stdout, p.stdout
    q = run("mc", old, "-n", "1000", "--sampling", "random")
    assert "(base case)" in q.stdout and "random sampling" in q.stdout, q.stdout


finish()
