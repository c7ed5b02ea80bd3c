#!/usr/bin/env bash
# Near-duplicate detection figures (BENCHMARKS.md, "Near-duplicate detection"): the BBC articles'
# exact duplicate bodies, a labelled copy stream built from them, and the
# index's memory at scale.
#
#   tests/bench/dedup_eval.sh [--build DIR] [--seeds "1 2"] [--memory N]
#
#   1. dedup_eval --bbc on $SHARED/data/news/bbc.jsonl: how many of the
#      bodies that equal an earlier one are found as exact copies of an
#      identical body (BBC has 133), and the other detections;
#   2. for each seed, dedup_stream.py builds the stream (outside the
#      repository, in ${TMPDIR:-/tmp}/enricher-dedup/) and dedup_eval prints
#      recall per copy kind, false positives per negative kind, precision
#      and recall for ours and the two baselines, and CPU µs per article;
#      seed 1 is the development stream the thresholds were chosen on,
#      others are held out;
#   3. dedup_eval --memory N (default 1000000): enr_dedup_memory() and peak
#      RSS with N entries of 20-byte ids.
#
# SHARED=${ENR_SHARED_DIR:-<repo>/../shared}; exits 77 when the BBC file is
# absent. DIR defaults to <repo>/build (dedup_eval is built with the tests).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
seeds="1 2"
memory=1000000
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=${2:?--build needs a directory}; shift 2 ;;
    --seeds) seeds=${2:?--seeds needs seeds}; shift 2 ;;
    --memory) memory=${2:?--memory needs a count}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "dedup_eval.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
shared=${ENR_SHARED_DIR:-$root/../shared}
bbc=$shared/data/news/bbc.jsonl
if [ ! -f "$bbc" ]; then
  echo "dedup_eval.sh: no $bbc: skipped" >&2
  exit 77
fi
eval_bin=$build/bin/dedup_eval
[ -x "$eval_bin" ] || { echo "dedup_eval.sh: no $eval_bin (build the tests)" >&2; exit 1; }
out=${TMPDIR:-/tmp}/enricher-dedup
mkdir -p "$out"

echo "== BBC ($bbc)"
"$eval_bin" --bbc "$bbc"
for seed in $seeds; do
  echo
  echo "== stream, seed $seed"
  ENR_SHARED_DIR=$shared python3 "$root/tests/bench/dedup_stream.py" \
    --seed "$seed" "$out/stream-$seed.jsonl"
  "$eval_bin" "$out/stream-$seed.jsonl"
done
echo
echo "== memory"
"$eval_bin" --memory "$memory"
