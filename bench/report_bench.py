#!/usr/bin/env python3
"""Time `camp report` and measure the page it writes (issue 12: under 3 MB, under 2 s).

usage: bench/report_bench.py build/camp [--model examples/multichannel.camp] [--samples 20000] [--runs 5]
Prints the median and best wall time, the size of the page, and the load average around the run.
"""
import argparse, os, resource, statistics, subprocess, tempfile, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("camp")
    ap.add_argument("--model", default=os.path.join(os.path.dirname(__file__), "..", "examples", "multichannel.camp"))
    ap.add_argument("--samples", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--extra", nargs="*", default=[], help="more arguments for camp report")
    args = ap.parse_args()
    out = os.path.join(tempfile.mkdtemp(prefix="camp-report-bench-"), "report.html")
    cmd = [args.camp, "report", args.model, "-o", out, "--samples", str(args.samples), *args.extra]
    times, cpu = [], []
    load_before = os.getloadavg()[0]
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if p.returncode not in (0, 1):
            raise SystemExit(f"camp report failed ({p.returncode}): {p.stderr}")
    size = os.path.getsize(out)
    print("command:", " ".join(cmd))
    print(f"runs: {args.runs}; median {statistics.median(times):.3f} s; best {min(times):.3f} s; "
          f"worst {max(times):.3f} s; CPU (user + sys) median {statistics.median(cpu):.3f} s")
    print(f"page: {size:,} bytes ({size / 1e6:.2f} MB, {size / 2**20:.2f} MiB)")
    print(f"load average: {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; cores: {os.cpu_count()}")


if __name__ == "__main__":
    main()
