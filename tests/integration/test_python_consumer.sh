#!/usr/bin/env bash
# The example Python consumer (deploy/examples/python-consumer) against a
# worker on a real broker (ENR_TEST_BROKERS; skipped when unset): the
# worker enriches the sample articles and dead-letters a broken one; the
# consumer must find every record and header valid, report the dead
# letter, see the input's own header carried over, and fail on a record
# that breaks the schema.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
enr_need_broker
export PYTHONDONTWRITEBYTECODE=1 # No __pycache__ in the source tree.

py=
for cand in python3 /usr/bin/python3; do
    if command -v "$cand" >/dev/null &&
       "$cand" -c 'import confluent_kafka, jsonschema' 2>/dev/null; then
        py=$cand
        break
    fi
done
[ -n "$py" ] || { echo "no python3 with confluent_kafka and jsonschema: skipped"; exit 77; }
consumer=$ENR_SOURCE_DIR/deploy/examples/python-consumer/consumer.py

in=pyc-in-$ENR_RUN_ID out=pyc-out-$ENR_RUN_ID dlq=pyc-dlq-$ENR_RUN_ID
enr_create_topic "$in" 3
enr_create_topic "$out" 3
enr_create_topic "$dlq" 1

# The sample articles, one JSON line each, with a header of their own.
"$py" - "$ENR_TMP/articles.jsonl" "$ENR_SOURCE_DIR"/tests/data/samples/*.json <<'PY'
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for path in sys.argv[2:]:
        doc = json.load(open(path, encoding="utf-8"))
        if isinstance(doc, dict) and doc.get("body"):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
PY
ngood=$(wc -l < "$ENR_TMP/articles.jsonl")
kcat -P -b "$BROKERS" -t "$in" -H traceparent=00-4bf92f3577b34da6-00f067aa0ba902b7-01 \
    -l "$ENR_TMP/articles.jsonl"
echo '{"id": "broken", "body": ' | kcat -P -b "$BROKERS" -t "$in"

enr_worker w1 -i "$in" -o "$out" --dlq-topic "$dlq" -g "pyc-$ENR_RUN_ID" --from earliest

rc=0
"$py" "$consumer" -b "$BROKERS" -t "$out" --dlq-topic "$dlq" -g "pyc-check-$ENR_RUN_ID" \
    --from-beginning -n $((ngood + 1)) --idle-timeout 60 --json \
    > "$ENR_TMP/consumer.jsonl" 2> "$ENR_TMP/consumer.log" || rc=$?
cat "$ENR_TMP/consumer.log" >&2
[ "$rc" = 0 ] || enr_fail "the consumer exited $rc: $(head -c 2000 "$ENR_TMP/consumer.jsonl")"
"$py" - "$ENR_TMP/consumer.jsonl" "$ENR_TMP/articles.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
want = {json.loads(l)["id"] for l in open(sys.argv[2], encoding="utf-8")}
got = {l["id"] for l in lines if "id" in l}
dead = [l for l in lines if "dead_letter" in l]
assert got == want, "records for %s, want %s" % (sorted(got), sorted(want))
assert len(dead) == 1 and dead[0]["dead_letter"] == "invalid_json", dead
assert not any("problems" in l for l in lines), [l for l in lines if "problems" in l]
assert any(l.get("entities") for l in lines), "no record has entities"
PY
# The input's own header rides along on the output.
kcat -C -b "$BROKERS" -t "$out" -e -q -f '%h\n' | grep -q 'traceparent=00-4bf92f3577b34da6' ||
    enr_fail "the input's header is not on the output records"
enr_stop_worker "$WORKER_PID" w1

# A record that breaks the schema makes the consumer fail.
printf '%s\n' '{"schema": 1, "id": "forged", "language": {"code": "en", "script": "Latn", "confidence": 1}, "fingerprint": {"simhash": "0123456789abcdef", "signature": "1:0123456789abcdef"}, "duplicate": null, "entities": [], "keywords": [], "meta": {"enricher": "0.1.0", "extractor": "rules"}}' |
    kcat -P -b "$BROKERS" -t "$out" -p 0 -H enricher-schema=1 -H enricher-version=0.1.0 \
        -H enricher-source-topic="$in" -H enricher-source-partition=0 -H enricher-source-offset=99
rc=0
"$py" "$consumer" -b "$BROKERS" -t "$out" -g "pyc-check-$ENR_RUN_ID" --from-beginning -n 1 --idle-timeout 30 \
    > "$ENR_TMP/forged.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || enr_fail "the consumer exited $rc on a record without stats: $(cat "$ENR_TMP/forged.out")"
grep -q "INVALID.*stats" "$ENR_TMP/forged.out" || enr_fail "no problem reported: $(cat "$ENR_TMP/forged.out")"
echo "ok: $ngood records and 1 dead letter valid, a forged record refused"
