#!/usr/bin/env bash
# Golden test of the geocoder on LGL (shared geo/lgl.jsonl): runs
# tests/bench/geo_eval.sh and fails when a figure falls below its floor.
# The floors are a little under the last measured figures (0.8106, 0.7234,
# 0.9101 on 2026-12-02, fourth session: towns the tagger took for
# organisations and peoples, hyphenated pairs split, English spellings of
# transliterated names), so a change that makes geocoding worse fails here.
# Of the project's targets (acc@161 >= 0.85 over recognised toponyms,
# >= 0.65 over all gold) the second is met, the first NOT yet; set
# GEO_TARGETS=1 to assert them instead.
# Exits 77 when the data are absent.
set -euo pipefail
src=${ENR_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
shared=${ENR_SHARED_DIR:-$src/../shared}
if [ ! -f "$shared/data/geo/lgl.jsonl" ]; then
        echo "SKIP: $shared/data/geo/lgl.jsonl not found"
        exit 77
fi
build=${ENR_BUILD_DIR:-$src/build}
eval_bin=$build/bin/geo_eval
if [ ! -x "$eval_bin" ]; then
        echo "SKIP: $eval_bin not built"
        exit 77
fi
out=$("$eval_bin" --resources "$src/resources" "$shared/data/geo/lgl.jsonl")
echo "$out"
get() { awk -v k="$1" 'index($0, k) == 1 { print $NF }' <<<"$out"; }
if [ "${GEO_TARGETS:-0}" = 1 ]; then
        min_rec=0.85 min_all=0.65 min_res=0.85
else
        min_rec=0.805 min_all=0.718 min_res=0.905
fi
fail=0
check() { # name value floor
        if awk -v v="$2" -v f="$3" 'BEGIN { exit !(v >= f) }'; then
                echo "ok   $1 $2 >= $3"
        else
                echo "FAIL $1 $2 < $3"
                fail=1
        fi
}
check "acc@161 recognised" "$(get 'acc@161 recognised')" $min_rec
check "acc@161 all gold" "$(get 'acc@161 all gold')" $min_all
check "acc@161 resolved" "$(get 'acc@161 resolved')" $min_res
exit $fail
