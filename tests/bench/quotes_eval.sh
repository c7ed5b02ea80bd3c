#!/usr/bin/env bash
# Quotation spans (P/R/F1, ends within two code points) and speaker accuracy
# on the shared annotated newswire (quotes/dev.jsonl), then, with SAMPLE=N,
# the quotations found in the first N BBC articles for checking by hand.
#
#   tests/bench/quotes_eval.sh [--show]
#
# Environment: ENR_SHARED_DIR (default ../shared), BUILD (default build),
# SAMPLE (BBC articles to print, default 0). Exits 77 when data are absent.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${ENR_SHARED_DIR:-../shared}
data=$shared/data/quotes/dev.jsonl
news=$shared/data/news/bbc.jsonl
build=${BUILD:-build}
if [ ! -f "$data" ]; then
        echo "SKIP: $data not found (set ENR_SHARED_DIR)"
        exit 77
fi
if [ ! -x "$build/bin/quotes_eval" ]; then
        cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
        cmake --build "$build" -j2 --target quotes_eval >/dev/null
fi
"$build/bin/quotes_eval" "$@" "$data"
if [ "${SAMPLE:-0}" -gt 0 ] && [ -f "$news" ]; then
        "$build/bin/quotes_eval" --news "$news" --sample "$SAMPLE"
fi
