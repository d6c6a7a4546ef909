#!/usr/bin/env python3
"""Front-end benchmark: `camp check` time and peak memory against model size.

usage: bench/check_scaling.py PATH/TO/camp [--sizes 1000,10000] [--runs 5]

Generates models with bench/gen_model.py, runs `camp check` on each several times and prints the
median wall time, the fastest run and the peak resident memory, plus time per 1,000 stages, so
the growth with size can be read as a ratio in one run. Not part of ctest.
"""
import argparse, os, resource, statistics, subprocess, sys, tempfile, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("camp")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            path = os.path.join(tmp, f"gen{n}.camp")
            with open(path, "w") as f:
                subprocess.run([sys.executable, os.path.join(here, "gen_model.py"), str(n)], stdout=f, check=True)
            times, peak = [], 0
            for _ in range(args.runs):
                t0 = time.perf_counter()
                p = subprocess.run([args.camp, "check", path], capture_output=True)
                times.append(time.perf_counter() - t0)
                if p.returncode != 0:
                    sys.exit(f"camp check failed on {n} stages:\n{p.stderr.decode()[:2000]}")
                peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            rows.append((n, os.path.getsize(path), statistics.median(times), min(times), peak))
    print(f"{'stages':>8} {'file':>10} {'median s':>9} {'best s':>8} {'peak MiB':>9} {'s/1000 stages':>14}")
    for n, size, med, best, peak in rows:
        print(f"{n:>8} {size / 1024:>8.0f}Ki {med:>9.3f} {best:>8.3f} {peak / 1024:>9.1f} {1000 * med / n:>14.3f}")
    if len(rows) > 1:
        print(f"time ratio largest/smallest: {rows[-1][2] / rows[0][2]:.1f}x for {rows[-1][0] / rows[0][0]:.0f}x the stages")

main()
