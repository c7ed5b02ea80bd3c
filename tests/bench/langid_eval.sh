#!/usr/bin/env bash
# Accuracy and speed of the language identifier on the shared labelled set
# (lang/dev.jsonl: 22,090 sentences and 4,872 paragraphs in 75 languages)
# and its cost per news article (title + body of the BBC set). Builds the
# evaluator (Release, build/) if needed and prints overall sentence and
# paragraph accuracy, a per-language table, items/s and MB/s (CPU time),
# and microseconds per article.
#
#   tests/bench/langid_eval.sh [langid_eval options, e.g. --model FILE]
#
# Environment: ENR_SHARED_DIR (default ../shared), BUILD (default build),
# REPEAT (timing passes, default 3). Exits 77 when the data are absent.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${ENR_SHARED_DIR:-../shared}
data=$shared/data/lang/dev.jsonl
news=$shared/data/news/bbc.jsonl
build=${BUILD:-build}
if [ ! -f "$data" ]; then
        echo "SKIP: $data not found (set ENR_SHARED_DIR)"
        exit 77
fi
if [ ! -x "$build/bin/langid_eval" ]; then
        cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
        cmake --build "$build" -j2 --target langid_eval >/dev/null
fi
args=(--repeat "${REPEAT:-3}")
[ -f "$news" ] && args+=(--news "$news")
exec "$build/bin/langid_eval" "${args[@]}" "$@" "$data"
