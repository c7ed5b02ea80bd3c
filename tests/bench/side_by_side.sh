#!/usr/bin/env bash
# `enricher bench` of two builds side by side in one run: the build of a base
# commit (default: main's first parent of this branch's work, given as BASE)
# and this tree's, run alternately ROUNDS times each on the same articles, so
# machine load hits both alike. Prints the best and median articles/s, the
# name tagger's tokens/s and the peak RSS of each, and the ratio.
#
#   tests/bench/side_by_side.sh BASE [ROUNDS]      e.g. BASE=e5772a9, ROUNDS=5
#
# Environment: BBC (the articles; default ../shared/data/news/bbc.jsonl),
# REPEAT (passes per bench run, default 3). The base is built Release in
# build-base/ from a detached worktree in .cache/base-<commit>/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
base=${1:?usage: side_by_side.sh BASE [ROUNDS]}
rounds=${2:-5}
BBC=${BBC:-$root/../shared/data/news/bbc.jsonl}
REPEAT=${REPEAT:-3}
if [ ! -f "$BBC" ]; then
  echo "side_by_side: $BBC not found" >&2
  exit 77
fi

commit=$(git rev-parse --short "$base")
wt=$root/.cache/base-$commit
if [ ! -d "$wt" ]; then
  mkdir -p "$root/.cache"
  git worktree add --detach "$wt" "$commit" >/dev/null
fi
cmake -S "$wt" -B "$wt/build-base" -DCMAKE_BUILD_TYPE=Release -DENR_TESTS=OFF \
      >/dev/null
cmake --build "$wt/build-base" -j"$(nproc)" >/dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((i = 1; i <= rounds; i++)); do
  "$wt/build-base/bin/enricher" bench --resources "$wt/resources" \
      -r "$REPEAT" "$BBC" >>"$out/base.jsonl"
  build/bin/enricher bench -r "$REPEAT" "$BBC" >>"$out/new.jsonl"
done

python3 - "$out/base.jsonl" "$out/new.jsonl" "$commit" <<'EOF'
import json, statistics, sys

def load(path):
    text = open(path).read()
    dec, i, runs = json.JSONDecoder(), 0, []
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            break
        obj, i = dec.raw_decode(text, i)
        runs.append(obj)
    return runs

base, new = load(sys.argv[1]), load(sys.argv[2])
def row(name, runs):
    a = [r["articles_per_second"] for r in runs]
    t = [r["names_tokens_per_second"] for r in runs]
    m = max(r["peak_rss_mb"] for r in runs)
    return name, max(a), statistics.median(a), max(t), m
rows = [row(f"base {sys.argv[3]}", base), row("this tree", new)]
print(f"{'build':<16} {'best art/s':>11} {'median art/s':>13} "
      f"{'best tagger tok/s':>18} {'peak RSS MB':>12}")
for n, b, md, t, m in rows:
    print(f"{n:<16} {b:>11.1f} {md:>13.1f} {t:>18.0f} {m:>12.1f}")
print(f"ratio (this/base): best {rows[1][1] / rows[0][1]:.3f}, "
      f"median {rows[1][2] / rows[0][2]:.3f}, "
      f"tagger {rows[1][3] / rows[0][3]:.3f}")
EOF
