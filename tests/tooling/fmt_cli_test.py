#!/usr/bin/env python3
"""`camp fmt` from the command line, over every example and conformance model.

usage: fmt_cli_test.py CAMP EXAMPLES_DIR CONFORMANCE_DIR

For a copy of each folder: `camp fmt FILE` rewrites it (exit 0) or, when it does not parse,
leaves it byte for byte untouched (exit 1); a second `camp fmt --check` exits 0 with no output
(idempotent); every comment survives; and `camp run --format json` prints exactly the same
bytes before and after. (Formatting could in principle move an assertion's `line` or respace its
`text`, the condition as written; none of these models lets it, so the comparison is strict,
and a failure says which of those fields differ.)
Also: `--check` on an unformatted file prints a unified diff, exits 1 and changes nothing.
"""
import json, os, re, shutil, subprocess, sys, tempfile

camp, dirs = sys.argv[1], sys.argv[2:]
failures = []


def run(args, cwd):
    return subprocess.run([camp] + args, cwd=cwd, capture_output=True, text=True, timeout=120)


def comments(text):
    """Comment texts (right-trimmed), found outside strings."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] not in '"\n':
                i += 2 if text[i] == '\\' else 1
            i += 1
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(text[i:j].rstrip())
            i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(text[i:j])
            i = j
        else:
            i += 1
    return out


def normalise(run_json):
    doc = json.loads(run_json)
    for a in doc.get("asserts", []):
        a.pop("line", None)
        a["text"] = re.sub(r"[\s_]", "", a.get("text", ""))
    return doc


checked = 0
for src in dirs:
    work = tempfile.mkdtemp(prefix="camp-fmt-test-")
    orig = os.path.join(work, "orig")
    fmtd = os.path.join(work, "fmt")
    shutil.copytree(src, orig)
    shutil.copytree(src, fmtd)
    for root, _, files in os.walk(fmtd):
        for f in sorted(files):
            if not f.endswith(".camp"):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, fmtd)
            before = open(path, encoding="utf-8").read()
            r = run(["fmt", rel], fmtd)
            after = open(path, encoding="utf-8").read()
            if r.returncode == 1:
                if after != before:
                    failures.append(f"{rel}: does not parse, but fmt changed it")
                if "does not parse" not in r.stderr:
                    failures.append(f"{rel}: fmt exit 1 without saying the file does not parse")
                continue
            if r.returncode != 0:
                failures.append(f"{rel}: fmt exit {r.returncode}: {r.stderr}")
                continue
            checked += 1
            again = run(["fmt", "--check", rel], fmtd)
            if again.returncode != 0 or again.stdout:
                failures.append(f"{rel}: not idempotent:\n{again.stdout}")
            if comments(before) != comments(after):
                failures.append(f"{rel}: comments differ after formatting")
            a = run(["run", rel, "--format", "json", "--engine", "interp"], orig)
            b = run(["run", rel, "--format", "json", "--engine", "interp"], fmtd)
            if a.returncode != b.returncode:
                failures.append(f"{rel}: camp run exit {a.returncode} before, {b.returncode} after")
            elif a.stdout != b.stdout:
                only_asserts = a.returncode == 0 and normalise(a.stdout) == normalise(b.stdout)
                failures.append(f"{rel}: camp run --format json differs after formatting" +
                                (" (only in an assertion's line or text)" if only_asserts else ""))
    shutil.rmtree(work)

# --check on a file that is not formatted: a diff, exit 1, the file unchanged.
work = tempfile.mkdtemp(prefix="camp-fmt-check-")
messy = "currency USD\nlet  x=1+2\n"
p = os.path.join(work, "m.camp")
open(p, "w").write(messy)
r = run(["fmt", "--check", "m.camp"], work)
if r.returncode != 1:
    failures.append(f"--check on an unformatted file: exit {r.returncode}, expected 1")
if "-let  x=1+2" not in r.stdout or "+let x = 1 + 2" not in r.stdout:
    failures.append(f"--check did not print the unified diff:\n{r.stdout}")
if open(p).read() != messy:
    failures.append("--check changed the file")
r = run(["fmt", "m.camp"], work)
if r.returncode != 0 or open(p).read() != "currency USD\nlet x = 1 + 2\n":
    failures.append(f"fmt did not rewrite m.camp in place: {open(p).read()!r}")
if [f for f in os.listdir(work) if f != "m.camp"]:
    failures.append(f"fmt left files behind: {os.listdir(work)}")
shutil.rmtree(work)

for f in failures:
    print("FAIL:", f)
print(f"{checked} files formatted and checked, {len(failures)} failures")
sys.exit(1 if failures or checked == 0 else 0)
