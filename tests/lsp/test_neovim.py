"""End to end with a real editor: headless Neovim's built-in LSP client against `camp lsp`.

Opens a copy of examples/single_channel.camp, reads the hover of `hourly` (85 USD/h, as written),
changes `hourly` to `hourlx` in the reporting stage (line 108, column 38 of the file) and expects
exactly that diagnostic back: UnknownName with the help "did you mean `hourly`?".
usage: test_neovim.py CAMP EXAMPLES_DIR WORK_DIR
"""
import os
import shutil
import subprocess
import sys

camp, examples, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
shutil.copytree(examples, os.path.join(work, "examples"))
model = os.path.join(work, "examples", "single_channel.camp")
report = os.path.join(work, "report.txt")
lines = open(model, encoding="utf-8").read().split("\n")
typo_line = next(i for i, l in enumerate(lines) if "Campaign analyst" in l) + 1
typo_col = lines[typo_line - 1].index("hourly") + 1

env = dict(os.environ, CAMP=os.path.abspath(camp), CAMP_FILE=model, CAMP_OUT=report, HOME=work,
           XDG_CONFIG_HOME=os.path.join(work, "config"), XDG_DATA_HOME=os.path.join(work, "data"),
           XDG_STATE_HOME=os.path.join(work, "state"), XDG_CACHE_HOME=os.path.join(work, "cache"))
script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nvim_e2e.lua")
proc = subprocess.run(["nvim", "--headless", "--clean", "-n", "-c", f"luafile {script}"], env=env,
                      capture_output=True, text=True, timeout=120)
out = open(report, encoding="utf-8").read() if os.path.exists(report) else ""
print(out)
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")


check(proc.returncode == 0, f"nvim exited 0 (got {proc.returncode}; stderr: {proc.stderr[-2000:]})")
check("opened: 0 errors" in out, "the example opens without errors")
check("hover: " in out and "85 USD/h" in out and "Blended, fully loaded hour" in out, "hover shows the base case and the doc")
diag = [l for l in out.splitlines() if l.startswith("diagnostic:")]
check(len(diag) == 1, "exactly one diagnostic after the typo (a model with errors is not linted)")
want = f"diagnostic: line {typo_line} col {typo_col} severity 1 code UnknownName:"
check(bool(diag) and diag[0].startswith(want), f"it is `{want}`")
check(bool(diag) and "hourlx" in diag[0] and "did you mean `hourly`?" in diag[0], "it names the typo and the fix")
check("stopped: true" in out, "the server shut down cleanly")
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
