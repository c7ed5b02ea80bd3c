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

enr_articles 3000 | enr_produce "$IN"
enr_worker w1 -i "$IN" -o "$OUT" -g "$G" -t 2
W1=$WORKER_PID
enr_worker w2 -i "$IN" -o "$OUT" -g "$G" -t 2
W2=$WORKER_PID
enr_wait_count 500 "$OUT"
enr_log "a third worker joins"
enr_worker w3 -i "$IN" -o "$OUT" -g "$G" --log-level info
W3=$WORKER_PID
enr_articles 3000 3000 | enr_produce "$IN"
enr_wait_count 4000 "$OUT"
enr_log "the first worker leaves"
enr_stop_worker "$W1" w1
enr_articles 1000 6000 | enr_produce "$IN"
enr_wait_count 7000 "$OUT" "$IN.dlq"
enr_stop_worker "$W2" w2
enr_stop_worker "$W3" w3
# The joining worker took part: it was given partitions at some point.
grep -Eq "assigned [1-9][0-9]* partition" "$ENR_TMP/w3.log" ||
  enr_fail "the joining worker was never assigned a partition"
enr_check alo "$IN" "$OUT" "$IN.dlq"
echo "PASS"
