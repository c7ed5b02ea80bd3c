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

ENR_JL_STATIC=1 enr_join_leave eos "$IN" "$OUT" "$G" "${EOS[@]}"
echo "PASS"
