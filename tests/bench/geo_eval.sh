#!/usr/bin/env bash
# Geocoding accuracy on LGL (the shared geo/lgl.jsonl: 588 US local news
# articles, 4,462 gold toponyms with GeoNames points): acc@161 km over all
# gold toponyms, over the recognised ones and over the resolved ones, AUC,
# median and mean error (tests/bench/geo_eval.c says how each is counted).
# Builds the evaluator (Release, build/) if needed.
#
#   tests/bench/geo_eval.sh [--errors FILE]
#
# Environment: ENR_SHARED_DIR (default ../shared), BUILD (default build).
# Exits 77 when the data are absent.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${ENR_SHARED_DIR:-../shared}
data=$shared/data/geo/lgl.jsonl
build=${BUILD:-build}
if [ ! -f "$data" ]; then
        echo "SKIP: $data not found (set ENR_SHARED_DIR)"
        exit 77
fi
if [ ! -x "$build/bin/geo_eval" ]; then
        cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
        cmake --build "$build" -j2 --target geo_eval >/dev/null
fi
exec "$build/bin/geo_eval" --resources resources "$@" "$data"
