#!/usr/bin/env bash
# Exactly-once across rebalances: two --exactly-once workers share a
# 6-partition topic, a third joins, the first leaves (SIGTERM: it commits
# its open transaction on revoke), and a read_committed reader sees every
# input exactly once.
source "$(dirname "$0")/lib.sh"
enr_need_broker

IN="rbe-in-$ENR_RUN_ID"
OUT="rbe-out-$ENR_RUN_ID"
G="rbe-g-$ENR_RUN_ID"
EOS=(--exactly-once --txn-max-messages 100 --txn-max-ms 200)
enr_create_topic "$IN" 6
enr_create_topic "$OUT" 3

enr_articles 3000 | enr_produce "$IN"
enr_worker w1 -i "$IN" -o "$OUT" -g "$G" -t 2 "${EOS[@]}" --instance-id w1
W1=$WORKER_PID
enr_worker w2 -i "$IN" -o "$OUT" -g "$G" "${EOS[@]}" --instance-id w2
W2=$WORKER_PID
enr_wait_count 300 "$OUT"
enr_log "a third worker joins"
enr_worker w3 -i "$IN" -o "$OUT" -g "$G" "${EOS[@]}" --instance-id w3
W3=$WORKER_PID
enr_articles 3000 3000 | enr_produce "$IN"
enr_wait_count 4000 "$OUT"
enr_log "the first worker leaves"
enr_stop_worker "$W1" w1
enr_articles 1000 6000 | enr_produce "$IN"
enr_wait_count 7000 "$OUT" "$IN.dlq"
sleep 2
enr_stop_worker "$W2" w2
enr_stop_worker "$W3" w3
enr_check eos "$IN" "$OUT" "$IN.dlq"
echo "PASS"
