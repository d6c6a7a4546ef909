#!/bin/sh
# Camp against Squiggle on the multichannel example: the same model, the same sample count, one
# core each, whole runs alternating (5 pairs); prints each pair and the median ratio of samples
# per second. The work is done by bench/mc_vs_hand.py (its Squiggle section), which installs
# @quri/squiggle-lang 0.10.0 with npm into a cache folder in /tmp, never into the project.
# usage: bench/peers/run_squiggle.sh PATH/TO/camp [SAMPLES [PAIRS]]   (default 1,000,000 and 5)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
exec python3 "$HERE/../mc_vs_hand.py" --camp "$1" --only squiggle --squiggle-samples "${2:-1000000}" \
  --pairs "${3:-5}"
