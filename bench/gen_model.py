#!/usr/bin/env python3
"""Prints a valid generated .camp model with N stages spread over pipelines.

usage: gen_model.py N [--seed S] [--stages-per-pipeline K]

Used by the backend benchmarks (evaluations per second, compile-phase timings against model
size) and by the front end's `camp check` benchmark. The model looks like a real one, scaled:
shared params and rate cards, and pipelines of K stages (default 10) chained by inputs, each
stage with labour, a metered rate-card line, a fixed cost and sometimes a conditional line;
every pipeline has a revenue line and a pipeline-local let. Deterministic for a given seed.
"""
import argparse
import random


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stages", type=int, help="number of stages in the whole model")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stages-per-pipeline", type=int, default=10)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    n = max(1, args.stages)
    per = max(1, args.stages_per_pipeline)
    out = []
    w = out.append
    w(f'model "Generated benchmark model, {n} stages"')
    w("currency USD")
    w("unit customer, email, click, order, seat, prompt, asset")
    w("")
    w("param hourly = 80 USD/h in [60, 110]")
    w("param audience = 1_400_000 customer ~ triangular(900_000, 1_400_000, 2_000_000)")
    w("param ctr = 1.2% click/email in [0.6%, 2%]")
    w("param conversion = 2.5% order/click ~ pert(1.5%, 2.5%, 4%)")
    w("param aov = 75 USD/order ~ normal(75, 8)")
    w("param seats = 12 seat")
    w("param prompts = 30_000 prompt")
    w("")
    w('ratecard esp "Email service provider" {')
    w("  fee platform = 1_500 USD/month")
    w("  price send(email) = graduated {")
    w("    up to 1_000_000 email: 0.90 USD/(1000 email)")
    w("    up to 5_000_000 email: 0.60 USD/(1000 email)")
    w("    above:                 0.40 USD/(1000 email)")
    w("  }")
    w("  price sync(customer) = volume {")
    w("    up to 500_000 customer: 0.0004 USD/customer")
    w("    above:                  0.0002 USD/customer")
    w("  }")
    w("  price prompt(prompt) = 0.02 USD/prompt after 10_000 prompt included")
    w("  price seat(seat) = 120 USD/seat minimum 600 USD")
    w("}")
    w("")
    w("let emails = audience * 1 email/customer")
    w("")
    pipelines = (n + per - 1) // per
    left = n
    for p in range(pipelines):
        k = min(per, left)
        left -= k
        reach = rng.choice(["0.5", "0.8", "1", "1.2"])
        w(f'pipeline p{p} "Campaign {p}" {{')
        w(f"  let reach = emails * {reach}")
        for s in range(k):
            w(f'  stage s{s} "Stage {s}" {{')
            if s > 0:
                w(f"    input s{rng.randrange(max(0, s - 3), s)}")
            w(f"    output {rng.randint(1, 40)} asset")
            w(f'    labor "Team" = {rng.randint(2, 60)} h * hourly')
            kind = rng.randrange(5)
            if kind == 0:
                w('    media "Sends" = esp.send(reach)')
            elif kind == 1:
                w('    data "Sync" = esp.sync(audience)')
            elif kind == 2:
                w(f'    technology "Prompts" = esp.prompt(prompts * {rng.randint(1, 3)})')
            elif kind == 3:
                w('    technology "Seats" = esp.seat(seats)')
            else:
                w(f'    technology "Platform share" = esp.platform * 1 month / {rng.randint(2, 12)}')
            w(f'    content "Fixed" = {rng.randint(100, 5000)} USD')
            if rng.random() < 0.3:
                w(f'    media "Boost" = if reach > {rng.randint(500, 2000) * 1000} email '
                  f'then {rng.randint(500, 3000)} USD else {rng.randint(0, 400)} USD')
            w("  }")
        w(f'  revenue "Orders" = reach * ctr * conversion * aov')
        w("}")
        w("")
    w("let total_cost = " + (" + ".join(f"p{p}.cost" for p in range(min(pipelines, 50)))))
    w('scenario strong "Strong creative" { ctr = 1.8%; conversion = 3% }')
    w('assert p0.cost <= 10_000_000 USD "budget"')
    print("\n".join(out))


if __name__ == "__main__":
    main()
