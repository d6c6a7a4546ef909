#!/bin/bash
# Monte Carlo before and after a change: alternating runs of `camp mc` on the multichannel example,
# one thread, printing user CPU and wall seconds per run.
# usage: bench/mc_billing_regression.sh OLD_CAMP NEW_CAMP [PAIRS] [SAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1; new=$2; n=${3:-5}; samples=${4:-2000000}
for i in $(seq $n); do
  for which in old new; do
    bin=${!which}
    t=$( { /usr/bin/time -f "%U %e" $bin mc examples/multichannel.camp --samples $samples --threads 1 --seed 7 --format json > /dev/null; } 2>&1 | tail -1)
    echo "$which $t"
  done
done
