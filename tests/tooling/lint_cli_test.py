#!/usr/bin/env python3
"""`camp lint` exit codes and JSON output from the command line.

usage: lint_cli_test.py CAMP DATA_DIR
Exit 0 without errors, 1 with an error finding or with any warning under --werror, 2 for an
unknown rule or an unreadable file; the camp.lint/1 JSON of many_rules.camp names each of the 16
rules that the file breaks on purpose (see its comments).
"""
import json, subprocess, sys

camp, data = sys.argv[1], sys.argv[2] + "/lint"
failures = []


def lint(*args):
    return subprocess.run([camp, "lint"] + list(args), cwd=data, capture_output=True, text=True, timeout=120)


for args, want in ((["clean.camp"], 0), (["clean.camp", "--werror"], 0), (["many_rules.camp"], 0),
                   (["many_rules.camp", "--werror"], 1),
                   (["many_rules.camp", "--disable", "volume-cliff"], 0),
                   (["many_rules.camp", "--disable", "volume-cliff", "--werror"], 1),
                   (["clean.camp", "--disable", "no-such-rule"], 2), (["missing.camp"], 2)):
    r = lint(*args)
    if r.returncode != want:
        failures.append(f"camp lint {' '.join(args)}: exit {r.returncode}, expected {want}\n{r.stdout}{r.stderr}")

r = lint("many_rules.camp", "--format", "json")
doc = json.loads(r.stdout)
rules = {f["rule"] for f in doc["findings"]}
expected = {"unused-param", "unused-let", "unused-ratecard-entry", "unused-unit", "dangling-output", "missing-input",
            "missing-step", "uncertain-param", "inline-money", "volume-cliff", "commit-below-fees",
            "yearly-without-contract", "nominal-outside-support",
            "empty-scenario", "scenario-no-change", "negative-profit"}
if doc.get("schema") != "camp.lint/1" or rules != expected:
    failures.append(f"rules found: {sorted(rules)}; missing {sorted(expected - rules)}; extra {sorted(rules - expected)}")
r = lint("clean.camp", "--format", "json")
if json.loads(r.stdout)["findings"] != []:
    failures.append(f"clean.camp has findings: {r.stdout}")

for f in failures:
    print("FAIL:", f)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
