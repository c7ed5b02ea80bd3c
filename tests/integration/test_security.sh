#!/usr/bin/env bash
# Clusters with authentication and TLS: the broker of tests/kafka/broker.sh
# also listens with SASL_PLAINTEXT (PLAIN) and with SSL (a test CA). A worker given the credentials as -X
# properties, another given them in a -F properties file and the
# ENRICHER_X_* environment, consume and produce through that listener;
# every input comes out once (records and the dead letter). The password is
# never printed: not in the workers' logs with librdkafka's security, broker
# and conf debugging on, not by `enricher config`.
# Wrong credentials stop a worker at once with status 1 and a clear reason.
# Over SSL, a worker given the CA replays the input to the end
# (--exit-at-end); one without it refuses the broker's certificate and
# stops with status 1.
source "$(dirname "$0")/lib.sh"
enr_need_broker
if [ -z "${ENR_TEST_SASL_BROKERS:-}" ]; then
    [ "$BROKERS" = 127.0.0.1:9092 ] ||
        { echo "ENR_TEST_SASL_BROKERS not set: skipped"; exit 77; }
    eval "$(bash "$ENR_SOURCE_DIR/tests/kafka/broker.sh" sasl)"
fi
SB=$ENR_TEST_SASL_BROKERS
USER=$ENR_TEST_SASL_USER
PASS=$ENR_TEST_SASL_PASSWORD
SASL=(-X security.protocol=SASL_PLAINTEXT -X sasl.mechanism=PLAIN)
kcat -L -b "$SB" "${SASL[@]}" -X sasl.username="$USER" -X sasl.password="$PASS" \
    -m 5 >/dev/null 2>&1 || enr_fail "the SASL listener $SB does not answer"

IN=sasl-in-$ENR_RUN_ID OUT=sasl-out-$ENR_RUN_ID DLQ=sasl-in-$ENR_RUN_ID.dlq
enr_create_topic "$IN" 4
enr_create_topic "$OUT" 4
enr_create_topic "$DLQ" 1
N=60
{ enr_articles $N; printf 'broken\t{"id": "broken", "title": "no body"}\n'; } |
    kcat -P -b "$SB" "${SASL[@]}" -X sasl.username="$USER" -X sasl.password="$PASS" \
        -t "$IN" -K $'\t' || enr_fail "producing through SASL"

enr_log "worker 1: credentials as -X properties"
"$ENRICHER" run -b "$SB" -i "$IN" -o "$OUT" -g "g-$ENR_RUN_ID" "${ENR_FAST[@]}" \
    "${SASL[@]}" -X sasl.username="$USER" -X sasl.password="$PASS" \
    --log-level debug -X debug=security,broker,conf \
    > "$ENR_TMP/w1.out" 2> "$ENR_TMP/w1.log" &
W1=$!
ENR_PIDS+=($W1)
enr_log "worker 2: credentials from -F and the environment"
printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.username=%s\n' "$USER" \
    > "$ENR_TMP/client.properties"
ENRICHER_X_SASL_PASSWORD=$PASS "$ENRICHER" run -b "$SB" -i "$IN" -o "$OUT" \
    -g "g-$ENR_RUN_ID" "${ENR_FAST[@]}" -F "$ENR_TMP/client.properties" \
    --log-level debug -X debug=security,broker,conf \
    > "$ENR_TMP/w2.out" 2> "$ENR_TMP/w2.log" &
W2=$!
ENR_PIDS+=($W2)
ENR_WAIT=90 enr_wait_count $((N + 1)) "$OUT" "$DLQ"
enr_stop_worker "$W1" w1
enr_stop_worker "$W2" w2
[ "$(enr_count "$OUT")" -ge "$N" ] || enr_fail "fewer than $N records"
[ "$(enr_count "$DLQ")" = 1 ] || enr_fail "not one dead letter"
enr_check alo "$IN" "$OUT" "$DLQ"
for w in w1 w2; do
    grep -q 'SASL_PLAINTEXT\|sasl_plaintext' "$ENR_TMP/$w.log" ||
        enr_fail "$w's debug log does not show the SASL connection"
    ! grep -qF "$PASS" "$ENR_TMP/$w.log" "$ENR_TMP/$w.out" ||
        enr_fail "$w printed the SASL password"
done

enr_log "enricher config masks the password from every source"
"$ENRICHER" config -b "$SB" -X sasl.password="$PASS" > "$ENR_TMP/c1.txt" 2>&1 ||
    enr_fail "enricher config (-X) failed"
ENRICHER_X_SASL_PASSWORD=$PASS "$ENRICHER" config -b "$SB" > "$ENR_TMP/c2.txt" 2>&1 ||
    enr_fail "enricher config (environment) failed"
printf 'sasl.password=%s\n' "$PASS" > "$ENR_TMP/secret.properties"
"$ENRICHER" config -b "$SB" -F "$ENR_TMP/secret.properties" > "$ENR_TMP/c3.txt" 2>&1 ||
    enr_fail "enricher config (-F) failed"
for c in c1 c2 c3; do
    grep -q 'sasl.password' "$ENR_TMP/$c.txt" || enr_fail "$c: sasl.password not listed"
    ! grep -qF "$PASS" "$ENR_TMP/$c.txt" || enr_fail "$c: the password is printed"
done

enr_log "wrong credentials: a clear error and status 1, at once"
rc=0
timeout 60 "$ENRICHER" run -b "$SB" -i "$IN" -o "$OUT" -g "g-bad-$ENR_RUN_ID" \
    "${ENR_FAST[@]}" "${SASL[@]}" -X sasl.username="$USER" \
    -X sasl.password=not-the-password > "$ENR_TMP/bad.out" 2> "$ENR_TMP/bad.log" || rc=$?
[ "$rc" = 1 ] || { tail "$ENR_TMP/bad.log" >&2; enr_fail "wrong credentials: status $rc, want 1"; }
grep -q 'authentication failed' "$ENR_TMP/bad.log" ||
    { tail "$ENR_TMP/bad.log" >&2; enr_fail "no 'authentication failed' in the log"; }
! grep -qF 'not-the-password' "$ENR_TMP/bad.log" || enr_fail "the wrong password is printed"

if [ -n "${ENR_TEST_SSL_BROKERS:-}" ] && [ -f "${ENR_TEST_SSL_CA:-}" ]; then
    TB=$ENR_TEST_SSL_BROKERS
    OUT2=ssl-out-$ENR_RUN_ID DLQ2=ssl-dlq-$ENR_RUN_ID
    enr_create_topic "$OUT2" 4
    enr_create_topic "$DLQ2" 1
    enr_log "SSL: a worker with the CA replays the input to its end"
    rc=0
    timeout 120 "$ENRICHER" run -b "$TB" -i "$IN" -o "$OUT2" --dlq-topic "$DLQ2" \
        -g "g-ssl-$ENR_RUN_ID" --from earliest --exit-at-end "${ENR_FAST[@]}" \
        -X security.protocol=SSL -X ssl.ca.location="$ENR_TEST_SSL_CA" \
        > "$ENR_TMP/ssl.out" 2> "$ENR_TMP/ssl.log" || rc=$?
    [ "$rc" = 0 ] || { tail "$ENR_TMP/ssl.log" >&2; enr_fail "SSL worker: status $rc"; }
    enr_check alo "$IN" "$OUT2" "$DLQ2"
    [ "$(enr_count "$DLQ2")" = 1 ] || enr_fail "SSL: not one dead letter"
    enr_log "SSL: a worker without the CA refuses the certificate"
    rc=0
    timeout 60 "$ENRICHER" run -b "$TB" -i "$IN" -o "$OUT2" --dlq-topic "$DLQ2" \
        -g "g-ssl-bad-$ENR_RUN_ID" "${ENR_FAST[@]}" -X security.protocol=SSL \
        > "$ENR_TMP/ssl-bad.out" 2> "$ENR_TMP/ssl-bad.log" || rc=$?
    [ "$rc" = 1 ] || { tail "$ENR_TMP/ssl-bad.log" >&2; enr_fail "SSL without the CA: status $rc, want 1"; }
    grep -q 'certificate' "$ENR_TMP/ssl-bad.log" || enr_fail "SSL without the CA: no reason given"
    echo "ok: SSL (replay of $((N + 1)) inputs with the test CA; refused without it)"
else
    echo "note: no SSL listener given (ENR_TEST_SSL_BROKERS, ENR_TEST_SSL_CA): SSL not checked"
fi
echo "ok: SASL_PLAINTEXT ($N records + 1 dead letter through two workers), secrets masked, bad credentials refused"
