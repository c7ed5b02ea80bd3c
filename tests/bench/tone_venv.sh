#!/usr/bin/env bash
# Makes the venv holding vaderSentiment 3.3.2, the reference of
# tests/golden/test_tone_vader.sh, from tests/bench/requirements-tone.txt
# (PyPI), unless it already has it; prints its directory. The venv lives
# outside the repository: ${ENR_TONE_VENV:-/work/venvs/tone} when that
# exists or can be made, else ~/.cache/enricher-venv-tone.
#   tests/bench/tone_venv.sh     (tests/run.sh runs it; failure only makes
#                                 the comparison skip)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${ENR_TONE_VENV:-/work/venvs/tone}
if ! { [ -d "$venv" ] || mkdir -p "$venv" 2>/dev/null; }; then
  venv=$HOME/.cache/enricher-venv-tone
fi
if ! "$venv/bin/python" -c 'import vaderSentiment.vaderSentiment' 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q -r "$here/requirements-tone.txt" >&2
fi
echo "$venv"
