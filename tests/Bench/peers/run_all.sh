#!/usr/bin/env bash
# Runs the whole peer matrix sequentially and appends one JSON line per run to
# $OUT (default: ./peers-results.jsonl). Diagnostics go to $OUT.log.
#   EPOCHS=10 DATA=/usr/share/datasets/fashion-mnist OUT=results.jsonl bash run_all.sh
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for these commands only (the
# scripts also drop them themselves unless --keep-openblas-env is given).
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
PY=/usr/bin/python3            # Debian's python (has python3-torch / python3-sklearn), not pyenv's
EPOCHS="${EPOCHS:-10}"
DATA="${DATA:-/usr/share/datasets/fashion-mnist}"
OUT="${OUT:-$PWD/peers-results.jsonl}"
LOG="$OUT.log"
RUN=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY")

run() {
  echo "### $*" >>"$LOG"
  "${RUN[@]}" "$@" >>"$OUT" 2>>"$LOG" || echo "FAILED: $*" >>"$LOG"
}

for T in 1 2; do run "$HERE/sgemm_rate.py" --threads "$T"; done
for C in A B; do
  for T in 1 2; do
    run "$HERE/sklearn_mlp.py" --config "$C" --epochs "$EPOCHS" --data "$DATA" --threads "$T"
    run "$HERE/torch_mlp.py" --config "$C" --epochs "$EPOCHS" --data "$DATA" --threads "$T" --layout blas-threads
  done
  run "$HERE/torch_mlp.py" --config "$C" --epochs "$EPOCHS" --data "$DATA" --threads 2 --layout torch-threads
  run "$HERE/torch_mlp.py" --config "$C" --epochs "$EPOCHS" --data "$DATA" --threads 2 --layout both-threads
done
echo "results: $OUT (diagnostics: $LOG)"
