#!/usr/bin/env bash
# Golden test of the geocoder on LGL (shared geo/lgl.jsonl): runs
# build/bin/geo_eval twice, with each article's web address (its "url")
# and without (--no-url), and fails when a figure falls below its floor.
# The floors are at or a little under the last measured figures
# (2026-12-03, seventh session): with the address 0.8503, 0.7613, 0.9292;
# without it 0.8383, 0.7506, 0.9193. So a change that makes geocoding
# worse fails here, whether or not the input carries an address.
# The project's targets (acc@161 >= 0.85 over recognised toponyms,
# >= 0.65 over all gold) are both met with the address; the floor over
# recognised toponyms is the target itself. GEO_TARGETS=1 asserts only
# the targets (on the run with the address).
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
fail=0
check() { # name value floor
        if awk -v v="$2" -v f="$3" 'BEGIN { exit !(v >= f) }'; then
                echo "ok   $1 $2 >= $3"
        else
                echo "FAIL $1 $2 < $3"
                fail=1
        fi
}
run() { # label min_rec min_all min_res [geo_eval options]
        local label=$1 rec=$2 all=$3 res=$4 out
        shift 4
        out=$("$eval_bin" --resources "$src/resources" "$@" \
                "$shared/data/geo/lgl.jsonl")
        echo "$label:"
        echo "$out"
        get() { awk -v k="$1" 'index($0, k) == 1 { print $NF }' <<<"$out"; }
        check "$label acc@161 recognised" "$(get 'acc@161 recognised')" "$rec"
        check "$label acc@161 all gold" "$(get 'acc@161 all gold')" "$all"
        check "$label acc@161 resolved" "$(get 'acc@161 resolved')" "$res"
}
if [ "${GEO_TARGETS:-0}" = 1 ]; then
        run "with url" 0.85 0.65 0.85
else
        run "with url" 0.850 0.760 0.928
        run "without url" 0.837 0.749 0.918 --no-url
fi
exit $fail
