#!/usr/bin/env python3
"""Every Monte Carlo figure of docs/performance.md (Analyses), as ratios from alternating runs.

usage: bench/mc_vs_hand.py [--camp build/camp] [--pairs 5] [--samples 8000000] [--squiggle]
                           [--mc-bench build-bench/bench/camp_mc_bench] [--big 100000000]

1. `camp mc MODEL --samples N --threads 1 --metric spring.profit --format json` (with a warm JIT
   cache, then with none: --cache) against the
   hand-written loop of bench/multichannel_splitmix.cpp (compiled here with -O3 -march=native),
   whole processes, alternating (which one goes first alternates too), --pairs pairs: each pair's
   times, the median ratio camp samples/s / hand samples/s (wall and CPU), and a check that the
   two agree within sampling error (mean within 4 standard errors, percentiles within 1 % of sd).
2. `camp mc ... --threads 1` against `--threads 2`, alternating: the median speed-up, also with
   the start-up (parse, check, JIT: a 1,024-sample run) taken off both; the hand loop's too.
3. The old same-stream row (camp_mc_bench: hand loop on Camp's own stream and samplers), when
   that binary is there (configure build-bench with -DCAMP_BUILD_BENCH=ON).
4. With --squiggle: Squiggle 0.10 (installed with npm into a cache folder, never into the
   project) against camp mc on examples/multichannel.camp, alternating, one core each.
5. The peak resident memory of `camp mc` with --big samples (default 100 million), 2 threads.

MODEL is shared/spec/conformance/ok/multichannel.camp, found beside the checkout (--model to
override). Prints the load average before and after: figures under load are noisy, ratios from
alternating runs much less so. Not part of ctest.
"""
import argparse, json, math, os, platform, resource, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
METRIC = "spring.profit"


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def find_model():
    d = ROOT
    for _ in range(4):
        p = os.path.join(d, "shared", "spec", "conformance", "ok", "multichannel.camp")
        if os.path.exists(p):
            return p
        d = os.path.dirname(d)
    sys.exit("cannot find shared/spec/conformance/ok/multichannel.camp beside the checkout: pass --model")


# Which JIT cache camp runs with: "warm" (a private cache folder, filled by the first run: what a
# user sees from the second run of a model on), "cold" (CAMP_CACHE_DIR=off: LLVM compiles every
# kernel, as on a model's first run). Set per section by with_cache().
CAMP_ENV = dict(os.environ)


def with_cache(mode, folder):
    CAMP_ENV["CAMP_CACHE_DIR"] = folder if mode == "warm" else "off"


REST = 0.0  # --rest: seconds of idle before every timed run


def timed(cmd, cwd=None):
    """Runs cmd; returns (wall s, CPU s of the child, stdout)."""
    # Seen once on the shared VMs here: `camp mc` slower (0.58-0.64 s against 0.52 s) in the pairs
    # where it ran right after the 1.1 s hand loop; strict alternation would not cancel such a
    # carry-over. Not confirmed: a rest before every run spread both programs' times as widely
    # (docs/performance.md), so it is an option, off by default.
    if REST:
        time.sleep(REST)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=CAMP_ENV)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.stdout


def alternate(pairs, a, b, label_a, label_b):
    """Runs a() and b() alternately (a first in even pairs); returns [(a_wall, a_cpu, b_wall, b_cpu)]."""
    rows = []
    for i in range(pairs):
        if i % 2 == 0:
            ra, rb = a(), b()
        else:
            rb, ra = b(), a()
        rows.append((ra[0], ra[1], rb[0], rb[1]))
        print(f"  pair {i + 1}: {label_a} {ra[0]:7.3f} s wall {ra[1]:7.3f} s CPU | "
              f"{label_b} {rb[0]:7.3f} s wall {rb[1]:7.3f} s CPU | ratio {rb[0] / ra[0]:5.2f}x wall "
              f"{rb[1] / ra[1]:5.2f}x CPU", flush=True)
    return rows


def median_ratio(rows, k_num, k_den):
    return statistics.median(r[k_num] / r[k_den] for r in rows)


def camp_cmd(args, model, samples, threads, metric=METRIC):
    cmd = [args.camp, "mc", model, "--samples", str(samples), "--threads", str(threads), "--format", "json"]
    if metric:
        cmd += ["--metric", metric]
    return cmd


def check_agreement(camp_json, hand_json, n):
    """Camp (Latin hypercube, Philox) and the hand loop (plain splitmix64) draw different samples
    of the same model: means must agree within sampling error, percentiles closely."""
    c = json.loads(camp_json)["metrics"][0]
    h = json.loads(hand_json)
    se = math.sqrt(c["sd"] ** 2 / n + h["sd"] ** 2 / n)
    ok = True
    print(f"  {'figure':<10} {'camp mc':>16} {'hand loop':>16}  allowed difference")
    for key, allowed in [("mean", 4 * se), ("sd", 0.01 * c["sd"]), ("p5", 0.01 * c["sd"]),
                         ("p10", 0.01 * c["sd"]), ("p50", 0.01 * c["sd"]), ("p90", 0.01 * c["sd"]),
                         ("p95", 0.01 * c["sd"]), ("p_negative", 0.002)]:
        good = abs(c[key] - h[key]) <= allowed
        ok = ok and good
        print(f"  {key:<10} {c[key]:>16.6f} {h[key]:>16.6f}  {allowed:.4g} {'ok' if good else 'DIFFERENT'}")
    return ok


def section_hand(args, model, hand_bin, cache):
    n = args.samples
    print(f"\n1{'ab'[cache == 'cold']}. camp mc ({cache} JIT cache) against the hand-written loop "
          f"(bench/multichannel_splitmix.cpp), {n:,} samples, "
          f"1 thread, one metric ({METRIC}), whole processes, {args.pairs} alternating pairs")
    out = {}

    def camp():
        r = timed(camp_cmd(args, model, n, 1))
        out["camp"] = r[2]
        return r

    def hand():
        r = timed([hand_bin, str(n), "1"])
        out["hand"] = r[2]
        return r

    camp(), hand()  # warm-up: page cache, JIT libraries
    rows = alternate(args.pairs, camp, hand, "camp", "hand")
    wall, cpu = median_ratio(rows, 2, 0), median_ratio(rows, 3, 1)
    print(f"  median camp samples/s / hand samples/s: {wall:.2f}x wall, {cpu:.2f}x CPU "
          f"(camp {n / statistics.median(r[0] for r in rows):,.0f} samples/s, "
          f"hand {n / statistics.median(r[2] for r in rows):,.0f} samples/s)")
    agree = check_agreement(out["camp"], out["hand"], n)
    print(f"  camp and the hand loop agree within sampling error: {'yes' if agree else 'NO'}")
    return agree


def section_threads(args, model, hand_bin):
    n = args.samples
    print(f"\n2. Threads: camp mc --threads 1 against --threads 2 (warm JIT cache), {n:,} samples, "
          f"{args.pairs} alternating pairs")
    start = statistics.median(timed(camp_cmd(args, model, 1024, 1))[0] for _ in range(3))
    rows = alternate(args.pairs, lambda: timed(camp_cmd(args, model, n, 1)),
                     lambda: timed(camp_cmd(args, model, n, 2)), "1 thread", "2 threads")
    speedup = median_ratio(rows, 0, 2)
    inner = statistics.median((r[0] - start) / max(r[2] - start, 1e-9) for r in rows)
    work = median_ratio(rows, 3, 1)
    print(f"  median 2-thread speed-up, whole process: {speedup:.2f}x; start-up ({start:.3f} s wall, a "
          f"1,024-sample run) taken off both: {inner:.2f}x; CPU time 2 threads / 1 thread: {work:.2f} "
          "(near 1: threads add no work)")
    rows = alternate(args.pairs, lambda: timed([hand_bin, str(n), "1"]), lambda: timed([hand_bin, str(n), "2"]),
                     "hand 1 thread", "hand 2 threads")
    print(f"  median 2-thread speed-up of the hand loop: {median_ratio(rows, 0, 2):.2f}x (the control: what "
          "the machine's free cores allow right now; near 1 on a busy machine)")


def section_old_row(args):
    if not args.mc_bench or not os.path.exists(args.mc_bench):
        print(f"\n3. Same-stream row: skipped ({args.mc_bench or 'camp_mc_bench'} not built; configure "
              "build-bench with -DCAMP_BUILD_BENCH=ON -DCMAKE_BUILD_TYPE=Release, ninja camp_mc_bench)")
        return
    print(f"\n3. Same-stream row: {args.mc_bench} {args.samples} 3 (examples/multichannel.camp, 4 metrics, "
          "in one process, best of 3; the hand loop uses Camp's Philox stream and samplers)")
    print("  " + timed([args.mc_bench, str(args.samples), "3"])[2].replace("\n", "\n  ").rstrip())


def section_squiggle(args, cache):
    n = args.squiggle_samples
    npm_dir = args.squiggle_dir or os.path.join(tempfile.gettempdir(), "camp-bench-squiggle")
    pkg = os.path.join(npm_dir, "node_modules", "@quri", "squiggle-lang", "package.json")
    if not os.path.exists(pkg):
        os.makedirs(npm_dir, exist_ok=True)
        print(f"  installing @quri/squiggle-lang@0.10.0 into {npm_dir} ...", flush=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", npm_dir,
                        "@quri/squiggle-lang@0.10.0"], check=True, stdout=subprocess.DEVNULL)
    for f in ("multichannel.squiggle", "squiggle_run.mjs"):
        shutil.copy(os.path.join(HERE, "peers", f), npm_dir)
    version = json.load(open(pkg))["version"]
    model = os.path.join(ROOT, "examples", "multichannel.camp")
    print(f"\n4{'ab'[cache == 'cold']}. Squiggle {version} against camp mc ({cache} JIT cache) on "
          f"examples/multichannel.camp (default metrics), {n:,} "
          f"samples, one core each, {args.pairs} alternating pairs; Squiggle's time is its run() alone "
          "(no node start-up), Camp's the whole process")

    def squiggle():
        _, _, out = timed(["node", os.path.join(npm_dir, "squiggle_run.mjs"), os.path.join(npm_dir, "multichannel.squiggle"),
                           str(n)], cwd=npm_dir)
        figures = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
        return float(figures["seconds"]), float(figures["cpu_seconds"]), out

    camp = lambda: timed(camp_cmd(args, model, n, 1, metric=None))
    start = [timed(camp_cmd(args, model, 1, 1, metric=None)) for _ in range(3)]
    start_wall, start_cpu = statistics.median(r[0] for r in start), statistics.median(r[1] for r in start)
    rows = alternate(args.pairs, camp, squiggle, "camp", "squiggle")
    head = (f"  median camp samples/s / Squiggle samples/s: {median_ratio(rows, 2, 0):.1f}x wall, "
            f"{median_ratio(rows, 3, 1):.1f}x CPU; Camp's start-up: {start_wall:.3f} s wall, "
            f"{start_cpu:.3f} s CPU for 1 sample (parse, check, JIT)")
    inner = [r[1] - start_cpu for r in rows]
    # Cold, the start-up (compiling) is nearly the whole run: a ratio without it would divide by
    # the noise of two start-ups.
    if min(inner) < 0.25 * start_cpu:
        print(head + "; most of Camp's run, so no figure without it")
        return
    after = statistics.median(r[3] / x for r, x in zip(rows, inner))
    print(head + f"; taken off: {after:.1f}x CPU")


def section_big(args, model):
    if not args.big:
        return
    print(f"\n5. Bounded memory: camp mc with {args.big:,} samples, 2 threads (beyond the 256 MiB budget "
          "the percentiles come from the sketch)")
    time_bin = "/usr/bin/time"
    if not os.path.exists(time_bin):
        print("  skipped: /usr/bin/time (Debian package `time`) is not installed")
        return
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as log:
        t0 = time.perf_counter()
        timed([time_bin, "-v", "-o", log.name] + camp_cmd(args, model, args.big, 2))
        wall = time.perf_counter() - t0
        peak = next(int(l.split(":")[1]) for l in log.read().splitlines() if "Maximum resident" in l)
    print(f"  {wall:.1f} s wall, peak resident memory {peak / 1024:.0f} MiB")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--camp", default=os.path.join(ROOT, "build", "camp"))
    ap.add_argument("--model", default=None)
    ap.add_argument("--samples", type=int, default=8_000_000)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--rest", type=float, default=0.0,
                    help="seconds of idle before every timed run (0: none; see timed())")
    ap.add_argument("--hand-bin", default=None, help="a built multichannel_splitmix (default: compile it here)")
    ap.add_argument("--mc-bench", default=os.path.join(ROOT, "build-bench", "bench", "camp_mc_bench"))
    ap.add_argument("--squiggle", action="store_true", help="also run the Squiggle comparison (npm install)")
    ap.add_argument("--squiggle-samples", type=int, default=1_000_000)
    ap.add_argument("--squiggle-dir", default=None, help="npm cache folder for Squiggle (default: in /tmp)")
    ap.add_argument("--only", choices=["hand", "threads", "old", "squiggle", "big"], default=None)
    ap.add_argument("--big", type=int, default=100_000_000, help="samples for the memory figure (0: skip)")
    ap.add_argument("--cache", choices=["both", "warm", "cold"], default="both",
                    help="camp's JIT cache in sections 1 and 4: warm (second and later runs of a model), "
                         "cold (CAMP_CACHE_DIR=off: every kernel compiled), or both (default)")
    args = ap.parse_args()
    global REST
    REST = args.rest
    args.camp = os.path.abspath(args.camp)
    model = args.model or find_model()
    print(f"machine: {cpu_model()}, {os.cpu_count()} hardware threads; camp: "
          f"{subprocess.run([args.camp, '--version'], capture_output=True, text=True).stdout.strip()}")
    print(f"model: {model}; load average at the start: {loadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        hand_bin = args.hand_bin
        if not hand_bin and args.only in (None, "hand", "threads"):
            hand_bin = os.path.join(tmp, "multichannel_splitmix")
            cxx = os.environ.get("CXX", "c++")
            subprocess.run([cxx, "-O3", "-march=native", "-std=c++20", "-pthread",
                            os.path.join(HERE, "multichannel_splitmix.cpp"), "-o", hand_bin], check=True)
        agree = True
        caches = ["warm", "cold"] if args.cache == "both" else [args.cache]
        folder = os.path.join(tmp, "jit-cache")
        if args.only in (None, "hand"):
            for cache in caches:
                with_cache(cache, folder)
                agree = section_hand(args, model, hand_bin, cache) and agree
        with_cache("warm", folder)
        if args.only in (None, "threads"):
            section_threads(args, model, hand_bin)
        if args.only in (None, "old"):
            section_old_row(args)
        if args.squiggle or args.only == "squiggle":
            for cache in caches:
                with_cache(cache, folder)
                section_squiggle(args, cache)
        with_cache("warm", folder)
        if args.only in (None, "big"):
            section_big(args, model)
    print(f"\nload average at the end: {loadavg()}")
    sys.exit(0 if agree else 1)


main()
