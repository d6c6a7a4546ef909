#!/usr/bin/env python3
"""Two builds of camp side by side: the CPU time of `camp mc` start-ups (cold and warm JIT cache),
alternating which goes first, and the per-round ratio. For "before/after" figures of one change.

usage: bench/ab_binaries.py OLD_CAMP NEW_CAMP [--rounds 9]
       (an old build: git worktree add /tmp/old REV && (cd /tmp/old && .ci/build --target camp))
"""
import argparse, os, resource, statistics, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFORMANCE = os.path.join(os.path.dirname(ROOT), "shared", "spec", "conformance", "ok", "multichannel.camp")
CASES = [("cold", os.path.join(ROOT, "examples", "multichannel.camp"), 1),
         ("cold", CONFORMANCE, 1),
         ("warm", CONFORMANCE, 1024)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args()
    bins = {"old": os.path.abspath(args.old), "new": os.path.abspath(args.new)}
    caches = {b: tempfile.mkdtemp(prefix=f"camp-ab-{b}-") for b in bins}

    def run(b, mode, model, n):
        env = dict(os.environ, CAMP_CACHE_DIR="off" if mode == "cold" else caches[b])
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([bins[b], "mc", model, "--samples", str(n), "--threads", "1"], env=env,
                       stdout=subprocess.DEVNULL, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    for b in bins:  # fill the warm caches
        run(b, "warm", CONFORMANCE, 1024)
    times = {}
    for r in range(args.rounds):
        for case in CASES:
            for b in (["old", "new"] if r % 2 == 0 else ["new", "old"]):
                times.setdefault((case, b), []).append(run(b, *case))
    print(f"load average: {os.getloadavg()}")
    for case in CASES:
        old, new = times[(case, "old")], times[(case, "new")]
        print(f"{case[0]:5} {os.path.relpath(case[1], os.path.dirname(ROOT)):55} {case[2]:>5} samples: "
              f"old CPU median {statistics.median(old):.3f} s (min {min(old):.3f}) | new {statistics.median(new):.3f} s "
              f"(min {min(new):.3f}) | old/new per round {statistics.median(a / b for a, b in zip(old, new)):.3f}")


if __name__ == "__main__":
    main()
