#!/usr/bin/env python3
"""AOT end to end: `camp build` a model into a shared library, compile a small C program
against the generated header with the system C compiler, run it, and check every figure it
prints against `camp run --format json` (pipelines, stages, categories, values).

usage: aot_c_program.py CAMP MODEL.camp WORKDIR
"""
import json
import math
import os
import re
import shutil
import subprocess
import sys

C_PROGRAM = r"""/* Prints every output of a compiled Camp model: name<TAB>value (canonical units). */
#include <stdio.h>
#include "@NAME@.h"

int main(void) {
  const camp_model *m = &@NAME@_model;
  double params[@UPPER@_PARAM_COUNT + 1], outputs[@UPPER@_OUTPUT_COUNT + 1];
  if (m->abi_version != CAMP_ABI_VERSION || m->output_count != @UPPER@_OUTPUT_COUNT)
    return 3;
  for (int i = 0; i < m->param_count; ++i)
    params[i] = m->params[i].nominal;
  int64_t code = @NAME@_eval(params, outputs);
  if (code != CAMP_OK) {
    printf("error\t%d\t%d\n", (int)camp_error_kind_of(code), (int)camp_error_output(code));
    return 1;
  }
  for (int s = 0; s < m->output_count; ++s)
    printf("%s\t%.17g\t%.17g\n", m->outputs[s].name, outputs[s], m->outputs[s].scale);
  /* The batch kernel must agree: two samples, the second with every param doubled. */
  double doubled[@UPPER@_PARAM_COUNT + 1], col[@UPPER@_PARAM_COUNT + 1][2];
  const double *cols[@UPPER@_PARAM_COUNT + 1];
  double out0[2];
  double *outs[@UPPER@_OUTPUT_COUNT + 1] = {0};
  int64_t errors[2];
  for (int i = 0; i < m->param_count; ++i) {
    col[i][0] = params[i];
    col[i][1] = doubled[i] = 2 * params[i];
    cols[i] = col[i];
  }
  outs[m->output_count - 1] = out0;
  m->eval_batch(2, cols, params, outs, errors);
  double single[@UPPER@_OUTPUT_COUNT + 1];
  int64_t code2 = m->eval(doubled, single);
  if (errors[0] != CAMP_OK || errors[1] != code2)
    return 4;
  if (out0[0] != outputs[m->output_count - 1] ||
      (code2 == CAMP_OK && out0[1] != single[m->output_count - 1]))
    return 5;
  return 0;
}
"""


def close(a, b):
    if a is None or b is None:
        return False
    if math.isnan(a) and math.isnan(b):
        return True
    # camp run prints 12 significant digits (LANGUAGE.md): half a unit in the 12th digit apart.
    return abs(a - b) <= 5e-12 * max(abs(a), abs(b), 1e-300) or a == b


def main():
    camp, model, work = sys.argv[1], sys.argv[2], sys.argv[3]
    name = "aotcheck"
    upper = name.upper()
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    subprocess.run([camp, "build", model, "-o", work, "--name", name], check=True,
                   stdout=subprocess.DEVNULL)
    src = os.path.join(work, "main.c")
    with open(src, "w") as f:
        f.write(C_PROGRAM.replace("@NAME@", name).replace("@UPPER@", upper))
    prog = os.path.join(work, "prog")
    cc = os.environ.get("CC", "cc")
    subprocess.run([cc, "-std=c99", "-Wall", "-Werror", "-o", prog, src, "-I", work,
                    os.path.join(work, name + ".so"), "-Wl,-rpath," + os.path.abspath(work), "-lm"],
                   check=True)
    p = subprocess.run([prog], capture_output=True, text=True)
    if p.returncode != 0:
        print(f"FAIL: the C program exited {p.returncode}: {p.stdout[:500]}")
        return 1
    got, scale = {}, {}
    for line in p.stdout.splitlines():
        key, value, sc = line.split("\t")
        got[key], scale[key] = float(value), float(sc)
    run = subprocess.run([camp, "run", model, "--format", "json"], capture_output=True, text=True)
    want = json.loads(run.stdout)
    checks = []
    for pipe in want["pipelines"]:
        n = pipe["name"]
        for k in ("cost", "revenue", "profit", "roi"):
            checks.append((f"{n}.{k}", pipe[k]))
        for c, v in pipe["by_category"].items():
            checks.append((f"{n}.{c}", v))
        for st in pipe["stages"]:
            checks.append((f"{n}.{st['name']}.cost", st["cost"]))
    for key, v in want.get("values", {}).items():
        if key in got:
            checks.append((key, v["value"] * scale[key] if isinstance(v, dict) else v))
    failures = [f"{k}: C program {got.get(k)}, camp run {v}" for k, v in checks if not close(got.get(k), v)]
    for f in failures:
        print("FAIL:", f)
    print(f"{len(checks) - len(failures)} of {len(checks)} figures agree ({model})")
    return 1 if failures or not checks else 0


if __name__ == "__main__":
    sys.exit(main())
