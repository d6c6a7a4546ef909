#!/bin/sh
# Camp against Squiggle on the multichannel example: the same model, the same sample count, one
# core each; prints wall and CPU timings and the ratios of samples per second.
# usage: bench/peers/run_squiggle.sh PATH/TO/camp [SAMPLES]   (default 1,000,000)
# Needs node and npm; @quri/squiggle-lang is installed into a temporary directory, never into
# the project (it is not a build dependency).
set -eu
CAMP=$(realpath "$1")
N=${2:-1000000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "installing @quri/squiggle-lang into $WORK ..." >&2
(cd "$WORK" && npm install --silent --no-audit --no-fund @quri/squiggle-lang@0.10.0 >/dev/null)
cp "$HERE/multichannel.squiggle" "$HERE/squiggle_run.mjs" "$WORK/"

echo "Squiggle $(node -p "require('$WORK/node_modules/@quri/squiggle-lang/package.json').version"), node $(node --version), $N samples:"
node "$WORK/squiggle_run.mjs" "$WORK/multichannel.squiggle" "$N" > "$WORK/squiggle.txt"
cat "$WORK/squiggle.txt"
SQ=$(awk '/^seconds/ {print $2}' "$WORK/squiggle.txt")
SQ_CPU=$(awk '/^cpu_seconds/ {print $2}' "$WORK/squiggle.txt")

# Camp: the whole process (parse, check, JIT, sampling, summaries, JSON), one thread; the best
# of three runs (a shared machine's noise only ever adds time; Squiggle's figure leaves out
# node's start-up and the module load, so the comparison still favours Squiggle).
best_of_3() { # "wall cpu" of the fastest of three `camp mc` runs of $1 samples (output: camp.json)
  BEST=""
  for run in 1 2 3; do
    /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" \
      "$CAMP" mc "$ROOT/examples/multichannel.camp" --samples "$1" --threads 1 --format json > "$WORK/camp.json"
    S=$(awk '{print $1, $2 + $3}' "$WORK/time.txt")
    BEST=$(echo "$S ${BEST:-$S}" | awk '{print ($1 < $3) ? $1 " " $2 : $3 " " $4}')
  done
  echo "$BEST"
}
START=$(best_of_3 1)
RUN=$(best_of_3 "$N")
echo "Camp ($("$CAMP" --version)), $N samples, 1 thread, whole process, best of 3: wall/CPU s $RUN;" \
     "start-up alone (1 sample: parse, check, JIT, exit): $START"
python3 -c "import json,sys; d=json.load(open('$WORK/camp.json')); [print(' ', m['name'], 'mean', round(m['mean'],4), 'p5', round(m['p5'],4), 'p95', round(m['p95'],4)) for m in d['metrics']]"

# Wall time depends on what else the machine runs; CPU time much less, so both are shown.
echo "$N $SQ $SQ_CPU $RUN $START" | awk '{
  printf "Squiggle: %.0f samples/s wall, %.0f samples per CPU-second\n", $1/$2, $1/$3
  printf "Camp:     %.0f samples/s wall, %.0f samples per CPU-second (whole process)\n", $1/$4, $1/$5
  printf "Camp / Squiggle, whole process: %.1fx wall, %.1fx CPU\n", $2/$4, $3/$5
  printf "Camp / Squiggle, after start-up: %.1fx wall, %.1fx CPU\n", $2/($4-$6), $3/($5-$7) }'
