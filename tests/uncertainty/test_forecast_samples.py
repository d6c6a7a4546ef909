#!/usr/bin/env python3
"""`camp forecast --samples N` (issue 10, item 8) against closed forms on linear models.

Model A: one normal param C ~ normal(1000, 100) USD is the cost of a run; 2 runs a month and
1,500 USD revenue a run. So each month costs 2C and earns 2(1500 - C); after k months the
cumulative profit is 2k(1500 - C). Every percentile is a linear map of C's quantile, and
P(monthly budget 2,100 breached) = P(C > 1,050) = 1 - Phi(0.5); P(yearly budget 24,600
breached) = P(24 C > 24,600) = 1 - Phi(0.25).

Model B: q ~ uniform(100, 200) prompts a run, 2 runs a month. A yearly allowance of 3,000 is
exceeded by month m when 2 m q > 3,000, so P = clip((200 - 1500/m) / 100, 0, 1). A 1,200 USD
commitment drawn at 1 USD a prompt runs out by month m when 2 m q >= 1,200: P = clip((200 - 600/m) / 100).

Expected figures come from these formulas (statistics.NormalDist), never from camp's output.
usage: test_forecast_samples.py PATH/TO/camp WORKDIR
"""
import os, sys
import json
from statistics import NormalDist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import case, finish, runner, writer  # noqa: E402

run = runner(sys.argv[1])
write = writer(sys.argv[2])

MODEL_A = '''model "Linear forecast"
currency USD
param unit_cost = 1000 USD ~ normal(1000, 100)
pipeline p "Campaign" {
  stage s "Only" {
    content "Work" = unit_cost
  }
  revenue "Sales" = 1500 USD
}
forecast f "Year" monthly 2027-01 .. 2027-12 {
  run p per 2 /month
  budget "Monthly" 2_100 USD per month
  budget "Yearly" 24_600 USD per year
}
'''

MODEL_B = '''model "Run-out"
currency USD
unit prompt
param prompts = 150 prompt in [100 prompt, 200 prompt]
ratecard ai "AI" {
  contract from 2027-01
  price prompt(prompt) = 1 USD/prompt after 3_000 prompt included billed yearly
}
ratecard cdp "CDP" {
  contract from 2027-01
  commit 1_200 USD per year
  price sync(prompt) = 1 USD/prompt
}
pipeline p "Campaign" {
  stage s "Only" {
    technology "Prompts" = ai.prompt(prompts)
    data "Sync" = cdp.sync(prompts)
  }
}
forecast f "Year" monthly 2027-01 .. 2027-12 {
  run p per 2 /month
}
'''


def forecast_json(path, *extra):
    p = run("forecast", path, "--format", "json", *extra)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout), p


def close(got, want, tol, what):
    assert abs(got - want) <= tol, f"{what}: got {got}, expected {want} (tolerance {tol})"


A = write("linear.camp", MODEL_A)
B = write("runout.camp", MODEL_B)
Z = NormalDist()
N = 10000


@case("percentiles of monthly cost, profit and cumulative profit match the normal closed form")
def percentiles():
    for sampling, tol in (("lhs", 0.5), ("random", 8.0)):
        d, _ = forecast_json(A, "--samples", str(N), "--sampling", sampling)
        assert d["uncertainty"]["samples"] == N and d["uncertainty"]["failed"] == 0, d["uncertainty"]
        assert len(d["months"]) == 12
        for k, mo in enumerate(d["months"], start=1):
            for q in (10, 50, 90):
                c = 1000 + 100 * Z.inv_cdf(q / 100)          # C's quantile
                c_hi = 1000 + 100 * Z.inv_cdf(1 - q / 100)   # profit falls as C rises
                close(mo[f"cost_p{q}"], 2 * c, 2 * tol, f"{sampling} {mo['month']} cost_p{q}")
                close(mo[f"profit_p{q}"], 2 * (1500 - c_hi), 2 * tol, f"{sampling} {mo['month']} profit_p{q}")
                close(mo[f"cumulative_profit_p{q}"], 2 * k * (1500 - c_hi), 2 * k * tol,
                      f"{sampling} {mo['month']} cumulative_profit_p{q}")
            # The base-case figures beside them are unchanged: C = 1,000.
            assert mo["cost"] == 2000 and mo["profit"] == 1000 and mo["cumulative_profit"] == 1000 * k, mo


@case("budget breach probabilities: P(C > 1,050) each month, P(C > 1,025) for the year")
def budgets():
    d, p = forecast_json(A, "--samples", str(N))
    assert p.returncode == 0, "the base case keeps both budgets, so the exit status is 0"
    monthly, yearly = d["budgets"]
    assert monthly["breaches"] == [] and yearly["breaches"] == []
    assert [r["period"] for r in monthly["at_risk"]] == [f"2027-{m:02}" for m in range(1, 13)], monthly["at_risk"]
    for r in monthly["at_risk"]:
        close(r["probability"], 1 - Z.cdf(0.5), 0.004, f"monthly budget {r['period']}")
    assert [r["period"] for r in yearly["at_risk"]] == ["2027-01..2027-12"], yearly["at_risk"]
    close(yearly["at_risk"][0]["probability"], 1 - Z.cdf(0.25), 0.004, "yearly budget")


@case("a breach of the base case carries its probability")
def breach_probability():
    text = MODEL_A.replace("2_100 USD per month", "1_950 USD per month")
    d, p = forecast_json(write("breached.camp", text), "--samples", str(N))
    assert p.returncode == 1, "the base case breaches the monthly budget: exit 1"
    monthly = d["budgets"][0]
    assert len(monthly["breaches"]) == 12
    for b in monthly["breaches"]:
        close(b["probability"], 1 - Z.cdf(-0.25), 0.004, f"breach {b['period']}")  # P(C > 975)


@case("allowance and commitment run-out probabilities by month match the uniform closed form")
def run_out():
    d, _ = forecast_json(B, "--samples", str(N))
    (allowance,) = d["allowances"]
    (commit,) = d["commits"]
    clip = lambda x: min(1.0, max(0.0, x))
    for m, r in enumerate(allowance["run_out_probability"], start=1):
        assert r["month"] == f"2027-{m:02}"
        close(r["probability"], clip((200 - 1500 / m) / 100), 0.003, f"allowance by {r['month']}")
    for m, r in enumerate(commit["run_out_probability"], start=1):
        close(r["probability"], clip((200 - 600 / m) / 100), 0.003, f"commitment by {r['month']}")


@case("the same draws as camp mc: cost_p10 equals mc's P10 of 2 * unit_cost")
def same_draws_as_mc():
    d, _ = forecast_json(A, "--samples", "5000", "--seed", "7")
    p = run("mc", A, "--samples", "5000", "--seed", "7", "--metric", "2 * unit_cost", "--format", "json")
    assert p.returncode == 0, p.stderr
    mc = json.loads(p.stdout)["metrics"][0]
    for q in ("p10", "p50", "p90"):
        close(d["months"][0]["cost_" + q], mc[q], 1e-9 * abs(mc[q]), "cost_" + q + " vs mc")


@case("identical for any thread count and either engine")
def invariance():
    outs = []
    for extra in (("--threads", "1"), ("--threads", "2"), ("--threads", "2", "--engine", "interp"),
                  ("--threads", "1", "--engine", "jit")):
        for path in (A, B):
            p = run("forecast", path, "--samples", "3000", "--format", "json", *extra)
            assert p.returncode == 0, p.stderr
            outs.append((extra, path, p.stdout))
    base = {path: text for extra, path, text in outs[:2]}
    for extra, path, text in outs:
        assert text == base[path], f"{' '.join(extra)} differs for {os.path.basename(path)}"


@case("table: percentile block, fan chart, probabilities in words; CSV columns")
def views():
    p = run("forecast", A, "--samples", "2000")
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "Uncertainty — 2,000 sampled forecasts (Latin hypercube of 1 param, seed 1)" in out, out
    assert "Cumulative profit, P10 to P90" in out and "●" in out
    assert "at risk in sampled forecasts: 2027-01 (3" in out, out
    c = run("forecast", A, "--samples", "2000", "--format", "csv")
    header = c.stdout.splitlines()[0].split(",")
    for name in ("cost", "profit", "cumulative_profit"):
        for q in (10, 50, 90):
            assert f"{name}_p{q}" in header, header
    plain = run("forecast", A, "--format", "csv").stdout.splitlines()[0]
    assert "cost_p10" not in plain, "without --samples the CSV is unchanged"


@case("a model without uncertain params says every sample is the base case")
def nothing_uncertain():
    text = MODEL_A.replace(" ~ normal(1000, 100)", "")
    p = run("forecast", write("fixed.camp", text), "--samples", "100")
    assert p.returncode == 0, p.stderr
    assert "every sampled forecast is the base case" in p.stdout, p.stdout


@case("usage errors exit 2")
def usage():
    assert run("forecast", A, "--samples", "2000000").returncode == 2
    assert run("forecast", A, "--samples", "10", "--sampling", "sobol").returncode == 2
    # 80 years = 960 months: 2^30 bytes / (24 bytes x 960) = 46,603 samples at most.
    long = write("long.camp", MODEL_A.replace("2027-01 .. 2027-12", "2027-01 .. 2106-12"))
    p = run("forecast", long, "--samples", "46604")
    assert p.returncode == 2 and "at most 46,603" in p.stderr, p.stderr


finish()
