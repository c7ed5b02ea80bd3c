#!/usr/bin/env bash
# The quotation extractor on the shared annotated newswire (quotes/dev.jsonl):
# fails when span F1 (ends within two code points) falls below 0.90 or
# speaker accuracy on quotations with a named speaker below 0.85, the
# targets. Skips (77) without the shared data or the evaluator.
set -euo pipefail
: "${ENR_SOURCE_DIR:?}"
shared=${ENR_SHARED_DIR:-$ENR_SOURCE_DIR/../shared}
data=$shared/data/quotes/dev.jsonl
eval=${ENR_BUILD_DIR:-$ENR_SOURCE_DIR/build}/bin/quotes_eval
[ -f "$data" ] || { echo "SKIP: $data not found"; exit 77; }
[ -x "$eval" ] || { echo "SKIP: $eval not built"; exit 77; }

out=$("$eval" --resources "$ENR_SOURCE_DIR/resources" "$data")
echo "$out"
f1=$(echo "$out" | sed -n 's/^span F1: \([0-9.]*\).*/\1/p')
acc=$(echo "$out" | sed -n 's/^speaker accuracy: \([0-9.]*\).*/\1/p')
[ -n "$f1" ] && [ -n "$acc" ] || { echo "FAIL: no figures in output"; exit 1; }
awk -v f="$f1" -v a="$acc" 'BEGIN {
        bad = 0
        if (f + 0 < 0.90) { printf "FAIL: span F1 %s < 0.90\n", f; bad = 1 }
        if (a + 0 < 0.85) { printf "FAIL: speaker accuracy %s < 0.85\n", a; bad = 1 }
        if (!bad) printf "OK: span F1 %s >= 0.90, speaker accuracy %s >= 0.85\n", f, a
        exit bad
}'
