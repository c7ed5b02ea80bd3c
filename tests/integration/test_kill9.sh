#!/usr/bin/env bash
# kill -9 of a worker mid-stream. At-least-once: a replacement processes
# everything, nothing is lost. Exactly-once (--exactly-once, static
# instance id so the replacement fences the dead one): a read_committed
# reader sees each input exactly once.
source "$(dirname "$0")/lib.sh"
enr_need_broker

run_case() {
    local mode=$1 n=20000
    local IN="k9-$mode-in-$ENR_RUN_ID" OUT="k9-$mode-out-$ENR_RUN_ID"
    local G="k9-$mode-g-$ENR_RUN_ID" extra=() i
    [ "$mode" = eos ] && extra=(--exactly-once --instance-id k9-worker
                                --txn-max-messages 200 --txn-max-ms 200)
    enr_create_topic "$IN" 4
    enr_create_topic "$OUT" 4
    enr_articles "$n" | enr_produce "$IN"
    enr_worker "$mode-a" -i "$IN" -o "$OUT" -g "$G" "${extra[@]}"
    local A=$WORKER_PID
    # Kill it once it has produced part of the stream.
    for i in $(seq 1 600); do
        [ "$(enr_hwm "$OUT" 4)" -ge 1000 ] && break
        sleep 0.1
    done
    kill -KILL "$A"
    wait "$A" 2>/dev/null || true
    local seen
    seen=$(enr_count "$OUT")
    enr_log "$mode: killed worker A after $seen committed records"
    [ "$seen" -lt "$n" ] || enr_fail "worker A finished before the kill"
    enr_worker "$mode-b" -i "$IN" -o "$OUT" -g "$G" "${extra[@]}"
    local B=$WORKER_PID
    enr_wait_count "$n" "$OUT" "$IN.dlq"
    sleep 2
    enr_stop_worker "$B" "$mode-b"
    enr_check "$mode" "$IN" "$OUT" "$IN.dlq"
}

run_case alo
run_case eos
echo "PASS"
