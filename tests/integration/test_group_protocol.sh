#!/usr/bin/env bash
# Kafka 4's consumer group protocol (KIP-848, --group-protocol consumer) on
# the real broker: two at-least-once workers share a 6-partition topic, a
# third joins mid-stream, the first leaves; then an exactly-once worker
# takes the group over. Every input is accounted for, every worker exits 0.
# The classic-only settings (-X session.timeout.ms, ...) are refused with
# librdkafka's reason. On a librdkafka without the protocol (before 2.12:
# Debian 12's 2.0.2) the worker must refuse it with a clear error; the
# test then skips (77).
source "$(dirname "$0")/lib.sh"
enr_need_broker
# The broker, not the client, owns session and heartbeat times here.
ENR_FAST=(--shutdown-timeout-ms 20000 --log-level warn --group-protocol consumer)

IN="gp-in-$ENR_RUN_ID"
OUT="gp-out-$ENR_RUN_ID"
G="gp-g-$ENR_RUN_ID"

rc=0
"$ENRICHER" run -b "$BROKERS" --group-protocol consumer -i "$IN" -o "$OUT" \
    -g "$G" -X session.timeout.ms=6000 --exit-at-end \
    >"$ENR_TMP/refused.out" 2>"$ENR_TMP/refused.log" || rc=$?
if grep -q "needs librdkafka 2.12 or later" "$ENR_TMP/refused.log"; then
    [ "$rc" = 1 ] || enr_fail "refusal exited $rc, not 1"
    echo "librdkafka ${ENR_RDKAFKA_VERSION:-?} has no consumer group protocol (refused clearly): skipped"
    exit 77
fi
[ "$rc" != 0 ] || enr_fail "-X session.timeout.ms accepted with --group-protocol consumer"
grep -q "session.timeout.ms. is not supported" "$ENR_TMP/refused.log" ||
    { cat "$ENR_TMP/refused.log" >&2; enr_fail "no clear reason for refusing session.timeout.ms"; }

enr_create_topic "$IN" 6
enr_create_topic "$OUT" 3
enr_join_leave alo "$IN" "$OUT" "$G"
grep -q "group protocol consumer" "$ENR_TMP/w3.log" ||
    enr_fail "w3 does not say it uses the consumer protocol"

# Exactly-once under the consumer protocol: two workers, one joining.
enr_log "exactly-once"
EIN="gp-ein-$ENR_RUN_ID"
EOUT="gp-eout-$ENR_RUN_ID"
enr_create_topic "$EIN" 6
enr_articles 2000 | enr_produce "$EIN"
enr_worker e1 -i "$EIN" -o "$EOUT" -g "$G-eos" --exactly-once -t 2
E1=$WORKER_PID
enr_wait_count 300 "$EOUT"
enr_worker e2 -i "$EIN" -o "$EOUT" -g "$G-eos" --exactly-once --log-level info
E2=$WORKER_PID
# The broker hands the joiner partitions over a few heartbeats (5 s each
# by default): wait for them, then give both workers more work.
for i in $(seq 1 90); do
    grep -Eq "assigned [1-9][0-9]* partition" "$ENR_TMP/e2.log" && break
    sleep 1
done
grep -Eq "assigned [1-9][0-9]* partition" "$ENR_TMP/e2.log" ||
    enr_fail "the joining exactly-once worker was never assigned a partition"
enr_articles 2000 2000 | enr_produce "$EIN"
enr_wait_count 4000 "$EOUT" "$EIN.dlq"
enr_stop_worker "$E1" e1
enr_stop_worker "$E2" e2
enr_check eos "$EIN" "$EOUT" "$EIN.dlq"
echo "PASS"
