#!/usr/bin/env bash
# End to end on a real broker: keys, headers, meta.source, dead letters with
# their reasons, per-offset accounting (see enr_e2e_body in lib.sh).
source "$(dirname "$0")/lib.sh"
enr_need_broker
command -v jq >/dev/null || { echo "jq not installed: skipped"; exit 77; }

IN="e2e-in-$ENR_RUN_ID"
enr_create_topic "$IN" 3
enr_e2e_body "$IN" "e2e-out-$ENR_RUN_ID" "$IN.dlq"
echo "PASS"
