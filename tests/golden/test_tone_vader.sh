#!/usr/bin/env bash
# Tone against the reference: 2,000 sentences of the shared BBC articles
# (every k-th of a simple splitter's, tests/bench/tone_compare.py) scored by
# tone_text and by vaderSentiment 3.3.2; fails when fewer than 99% of the
# compounds agree within 0.001. Skips (77) without the data, the tool, or
# the venv holding vaderSentiment (ENR_TONE_VENV, default /work/venvs/tone;
# install it with tests/bench/requirements-tone.txt).
set -euo pipefail
: "${ENR_SOURCE_DIR:?}"
shared=${ENR_SHARED_DIR:-$ENR_SOURCE_DIR/../shared}
data=$shared/data/news/bbc.jsonl
tool=${ENR_BUILD_DIR:-$ENR_SOURCE_DIR/build}/bin/tone_text
py=${ENR_TONE_VENV:-/work/venvs/tone}/bin/python
[ -f "$data" ] || { echo "SKIP: $data not found"; exit 77; }
[ -x "$tool" ] || { echo "SKIP: $tool not built"; exit 77; }
[ -x "$py" ] || { echo "SKIP: $py not found (venv with vaderSentiment)"; exit 77; }
"$py" -c 'import vaderSentiment.vaderSentiment' 2>/dev/null ||
  { echo "SKIP: vaderSentiment not installed in $py"; exit 77; }

"$py" "$ENR_SOURCE_DIR/tests/bench/tone_compare.py" --tool "$tool" \
  --resources "$ENR_SOURCE_DIR/resources" -n 2000 --tolerance 0.001 \
  --min-agree 0.99 "$data"
