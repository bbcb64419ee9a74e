#!/usr/bin/env bash
# The README's test command N times in a row (default 10) with a CPU-bound process beside it,
# one line per run in under_load.log: how long, and what pytest said.
#   tests/bench/under_load.sh 10
set -u
cd "$(dirname "$0")/../.."
N=${1:-10}
LOG=${LOG:-tests/bench/.work/under_load.log}
mkdir -p "$(dirname "$LOG")"
python3 -c "while True: pass" &
HOG=$!
trap 'kill $HOG' EXIT
for i in $(seq 1 "$N"); do
    start=$(date +%s)
    .venv/bin/python -m pytest -n auto -q -p no:cacheprovider > "$LOG.run-$i" 2>&1
    rc=$?
    echo "run $i rc=$rc $(( $(date +%s) - start )) s: $(tail -1 "$LOG.run-$i")" | tee -a "$LOG"
done
