#!/usr/bin/env python3
"""Inputs made at test time (binary, 10 MB, deep nesting, long chains): camp must answer every one
with a diagnostic and exit 1 or 2, never crash, hang or print a stack trace.

usage: run_bad_inputs.py PATH/TO/camp WORKDIR [--skip-huge]
--skip-huge leaves out the two 10 MB inputs (the sanitizer build runs them at a tenth of the speed;
the normal build always runs them).
"""
import os, random, subprocess, sys

CRASH = ("Segmentation", "Aborted", "terminate called", "AddressSanitizer", "runtime error:", "stack trace")

def cases(work):
    H = 'model "m"\ncurrency USD\n'
    rnd = random.Random(7)
    yield "binary.camp", bytes(rnd.randrange(256) for _ in range(4096)), 2, "not a text file"
    yield "nul_in_text.camp", (H + 'let x = 1 USD\n').encode() + b"\x00\x00junk", 2, "not a text file"
    yield "bad_utf8.camp", (H + 'pipeline p "Caf').encode() + b"\xe9" + b'" {}\n', 2, "not a text file"
    lines = [H, "unit thing\n"] + [f"let v{i} = {i} thing * 2 + v{i - 1}\n" if i else "let v0 = 1 thing\n" for i in range(220000)]
    big = "".join(lines).encode()
    assert len(big) > 10 * 1024 * 1024 / 2
    yield "huge_10mb.camp", big + (b"// padding to 10 MB\n" * ((10 * 1024 * 1024 - len(big)) // 20 + 1)), 0, "ok"
    yield "huge_bad_tail.camp", big + b"let broken = (1 USD\n", 1, "error"
    yield "nested_parens.camp", (H + "let x = " + "(" * 10000 + "1" + ")" * 10000 + "\n").encode(), 1, "nested"
    yield "nested_brackets_unclosed.camp", (H + "let x = " + "(" * 10000 + "\n").encode(), 1, "error"
    yield "nested_braces.camp", (H + "pipeline p " + "{" * 5000 + "\n").encode(), 1, "error"
    yield "long_chain.camp", (H + "let x = " + " + ".join(["1 USD"] * 50000) + "\n").encode(), 1, "operators"
    yield "unary_chain.camp", (H + "let x = " + "-" * 50000 + "1\n").encode(), 1, "operators"
    yield "long_line_error.camp", (H + "let x = " + "1 + " * 1000 + "y\n").encode(), 1, "unknown name"
    yield "many_errors.camp", (H + "".join(f"let e{i} = nope{i}\n" for i in range(5000))).encode(), 1, "unknown name"
    yield "crlf.camp", (H + 'pipeline p {\r\n  stage s { labor "x" = 1 USD }\r\n}\r\n').encode(), 0, "ok"
    yield "bom.camp", b"\xef\xbb\xbf" + (H + 'let x = 1 USD\n').encode(), 0, "ok"
    yield "tabs_and_unicode.camp", (H + 'pipeline p "Promo — été" {\n\tstage s "Étape" { labor "Équipe" = 1 USD }\n}\nlet y = 2 ÷ 3\n').encode(), 1, "unexpected character"
    yield "int_overflow_exponent.camp", (H + "let x = 10 USD ^ 99999999999\n").encode(), 1, "exponent"
    yield "power_overflow.camp", (H + "let x = (10 ^ 60) ^ 6\n").encode(), 1, "infinite"

def main():
    camp, work = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.makedirs(work, exist_ok=True)
    passed = failed = 0
    skip_huge = "--skip-huge" in sys.argv
    for name, data, want_exit, want_text in cases(work):
        if skip_huge and name.startswith("huge_"):
            continue
        path = os.path.join(work, name)
        open(path, "wb").write(data)
        try:
            p = subprocess.run([camp, "check", path], capture_output=True, timeout=120,
                               env=dict(os.environ, NO_COLOR="1"))
        except subprocess.TimeoutExpired:
            failed += 1; print(f"FAIL {name}: no answer in 120 s"); continue
        out = (p.stdout + p.stderr).decode("utf-8", "replace")
        problems = []
        if p.returncode != want_exit:
            problems.append(f"exit {p.returncode}, expected {want_exit}")
        if want_text.lower() not in out.lower():
            problems.append(f"no {want_text!r} in the output")
        if any(c in out for c in CRASH):
            problems.append("crashed")
        if problems:
            failed += 1; print(f"FAIL {name}: {'; '.join(problems)}\n  {out[:600]}")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)

main()
