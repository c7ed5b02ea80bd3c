#!/usr/bin/env bash
# Replay: --from with a time and --exit-at-end process exactly the inputs
# from that time up to the end seen at start-up; --from earliest all of them;
# a second run of the same group continues from its committed offsets.
source "$(dirname "$0")/lib.sh"
enr_need_broker

IN="rp-in-$ENR_RUN_ID"
enr_create_topic "$IN" 3
enr_articles 300 | enr_produce "$IN"
sleep 1.5
FROM_MS=$(( $(date +%s%3N) ))
FROM_ISO=$(date -u -d "@$((FROM_MS / 1000)).$((FROM_MS % 1000))" +%Y-%m-%dT%H:%M:%S.%3NZ)
sleep 1.5
enr_articles 200 300 | enr_produce "$IN"

replay() {
    local name=$1 out=$2 rc=0
    shift 2
    timeout 120 "$ENRICHER" run -b "$BROKERS" "${ENR_FAST[@]}" -i "$IN" -o "$out" \
        -g "rp-$name-$ENR_RUN_ID" --exit-at-end "$@" \
        >"$ENR_TMP/$name.out" 2>"$ENR_TMP/$name.log" || rc=$?
    [ "$rc" = 0 ] || { cat "$ENR_TMP/$name.log" >&2; enr_fail "$name exited $rc"; }
}

# The expected range: inputs with a timestamp at or after FROM_MS.
kcat -C -b "$BROKERS" -t "$IN" -e -q -f '%p %o %T\n' 2>/dev/null |
    awk -v t="$FROM_MS" '$3 >= t {print $1, $2}' | sort >"$ENR_TMP/want"
[ "$(wc -l <"$ENR_TMP/want")" = 200 ] || enr_fail "expected 200 inputs after the time"

for form in ms iso; do
    out="rp-out-$form-$ENR_RUN_ID"
    if [ $form = ms ]; then replay "$form" "$out" --from "$FROM_MS"; else replay "$form" "$out" --from "$FROM_ISO"; fi
    enr_dump "$out" | python3 -c '
import sys
for line in sys.stdin:
    h = dict(kv.split("=", 1) for kv in line.split("\t")[3].split(",") if "=" in kv)
    print(h["enricher-source-partition"], h["enricher-source-offset"])' | sort >"$ENR_TMP/got"
    diff "$ENR_TMP/want" "$ENR_TMP/got" >/dev/null ||
        enr_fail "--from $form replayed $(wc -l <"$ENR_TMP/got") inputs, not the 200 expected"
    enr_log "--from ($form) replayed exactly the 200 expected inputs"
done

replay earliest "rp-out-all-$ENR_RUN_ID" --from earliest
[ "$(enr_count "rp-out-all-$ENR_RUN_ID")" = 500 ] || enr_fail "--from earliest did not replay all 500"
# The same group again, even with the same --from: its offsets are
# committed (--from only sets where a group without offsets starts), so a
# restarted worker has nothing left to do.
replay earliest "rp-out-all-$ENR_RUN_ID" --from earliest
[ "$(enr_count "rp-out-all-$ENR_RUN_ID")" = 500 ] || enr_fail "a second run re-processed committed inputs"
echo "PASS"
