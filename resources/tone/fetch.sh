#!/usr/bin/env bash
# Fetches the VADER lexicons from the vaderSentiment 3.3.2 wheel on PyPI,
# verifies the wheel's and the files' sha256 (PROVENANCE.md) and copies them
# next to this script. With --check, only verifies the committed copies.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wheel_sha=3bf1d243b98b1afad575b9f22bc2cb1e212b94ff89ca74f8a23a588d024ea311
declare -A sha=(
  [vader_lexicon.txt]=1ec9c6e9ee19aade328f8beb393a6afa71a5bb3acf7d3cc22d4ef568df374bf5
  [emoji_utf8_lexicon.txt]=b8d54223ae1ce22a3e12c1f745316b71678c328eb5f5d3063a842f37cfbe2823
  [LICENSE.txt]=74cfe41cdbf7f6925aeb4c18c148ec8db042540edb6739fd81069aa4e3c8b118
)
check() { # dir
  local f ok=0
  for f in "${!sha[@]}"; do
    if [ "$(sha256sum "$1/$f" | cut -d' ' -f1)" != "${sha[$f]}" ]; then
      echo "FAIL: $1/$f: sha256 differs" >&2; ok=1
    fi
  done
  return $ok
}
if [ "${1:-}" = --check ]; then check "$here" && echo "OK: lexicons verified"; exit; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --no-deps --only-binary=:all: -d "$tmp" vaderSentiment==3.3.2 >/dev/null
whl=$tmp/vaderSentiment-3.3.2-py2.py3-none-any.whl
[ "$(sha256sum "$whl" | cut -d' ' -f1)" = "$wheel_sha" ] || { echo "FAIL: wheel sha256 differs" >&2; exit 1; }
python3 - "$whl" "$tmp/x" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for src, dst in [("vaderSentiment/vader_lexicon.txt", "vader_lexicon.txt"),
                 ("vaderSentiment/emoji_utf8_lexicon.txt", "emoji_utf8_lexicon.txt"),
                 ("vaderSentiment-3.3.2.dist-info/LICENSE.txt", "LICENSE.txt")]:
    import os
    os.makedirs(sys.argv[2], exist_ok=True)
    open(os.path.join(sys.argv[2], dst), "wb").write(z.read(src))
PY
check "$tmp/x"
cp "$tmp"/x/* "$here"/
echo "OK: lexicons fetched and verified"
