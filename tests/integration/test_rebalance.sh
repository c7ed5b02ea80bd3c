#!/usr/bin/env bash
# Two workers share a 6-partition topic, a third joins mid-stream, one
# leaves: every input is accounted for (at least once), every worker exits
# 0 on SIGTERM.
source "$(dirname "$0")/lib.sh"
enr_need_broker

IN="reb-in-$ENR_RUN_ID"
OUT="reb-out-$ENR_RUN_ID"
G="reb-g-$ENR_RUN_ID"
enr_create_topic "$IN" 6
enr_create_topic "$OUT" 3

enr_join_leave alo "$IN" "$OUT" "$G" -t 2
echo "PASS"
