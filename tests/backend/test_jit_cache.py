#!/usr/bin/env python3
"""`camp`'s JIT disk cache from the outside: a second run loads the stored code and prints the same
bytes; damaged files, an unusable folder and CAMP_CACHE_DIR=off change nothing but speed.

usage: test_jit_cache.py CAMP MODEL WORKDIR
"""
import os, shutil, subprocess, sys

camp, model, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
cache = os.path.join(work, "cache")
passed = failed = 0


def check(name, ok, detail=""):
    ok = bool(ok)
    global passed, failed
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    passed, failed = passed + ok, failed + (not ok)


def run(args, cache_dir):
    env = dict(os.environ, CAMP_CACHE_DIR=cache_dir)
    p = subprocess.run([camp] + args, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def objects():
    return sorted(f for f in os.listdir(cache) if f.endswith(".o")) if os.path.isdir(cache) else []


commands = {
    "mc": ["mc", model, "--samples", "5000", "--threads", "2", "--format", "json"],
    "mc random": ["mc", model, "--samples", "3000", "--sampling", "random", "--format", "json"],
    "run": ["run", model, "--format", "json"],
    "tornado": ["tornado", model, "--format", "json"],
}
reference = {name: run(args, "off") for name, args in commands.items()}
for name, (code, out, err) in reference.items():
    check(f"{name}: runs without a cache", code in (0, 1) and out, err[-500:])
check("CAMP_CACHE_DIR=off writes nothing", not os.path.exists(cache))

for name, args in commands.items():
    first = run(args, cache)
    check(f"{name}: first run with a cache prints the same", first == reference[name],
          (first[2] or first[1])[-500:])
stored = objects()
check("the first runs stored object code", len(stored) >= 3, stored)
stamps = {f: os.path.getsize(os.path.join(cache, f)) for f in stored}
# The model's PERT params' quantile tables are kept there too: (11,264 + 1) knots of (value,
# slope), 8 bytes each, after the 24-byte frame (magic word, length, checksum).
table_size = 24 + (11264 + 1) * 2 * 8
check("the PERT params' beta tables were stored", table_size in stamps.values(), sorted(stamps.values()))
for name, args in commands.items():
    second = run(args, cache)
    check(f"{name}: second run (code from the cache) prints the same", second == reference[name],
          (second[2] or second[1])[-500:])
check("second runs stored nothing new", objects() == stored, set(objects()) ^ set(stored))

# Damage every file in the middle: each is a miss, recompiled and stored again, output unchanged.
for f in stored:
    path = os.path.join(cache, f)
    with open(path, "r+b") as fh:
        fh.seek(stamps[f] // 2)
        b = fh.read(1)
        fh.seek(stamps[f] // 2)
        fh.write(bytes([b[0] ^ 0xFF]))
for name, args in commands.items():
    damaged = run(args, cache)
    check(f"{name}: damaged cache files change nothing", damaged == reference[name],
          (damaged[2] or damaged[1])[-500:])
check("damaged files were replaced by good ones", objects() == stored)

unusable = run(commands["mc"], "/dev/null/camp-cache")
check("an unusable cache folder changes nothing", unusable == reference["mc"], unusable[2][-500:])

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
