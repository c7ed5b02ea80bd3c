#!/usr/bin/env bash
# `enricher pipe` behaviour: one record per good line in input order, bad
# lines reported with line number and reason (and written to --dlq with their
# payload), the summary, the exit status, byte-identical replays, --article
# modes, plain-text input, and the option errors.
set -euo pipefail
: "${ENRICHER:?}" "${ENR_SOURCE_DIR:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

{
  printf '%s\n' '{"id":"a","title":"Iran talks","body":"Iran and Qatar met on Thursday in Doha."}'
  printf '%s\n' '{"id":"b","title":"no body here"}'
  printf '%s\n' '{"id":"c","body":"Hakan Fidan visited Ankara."'
  printf '{"id":"d","body":"bad \xff byte"}\n'
  printf '\n'
  printf '%s\n' '{"id":"e","headline":"Second","text":"The UN said 7,000 people left."}'
  printf '%s\n' 'Plain text headline'
} > "$t/in.jsonl"

set +e
"$ENRICHER" pipe --no-timestamps --dlq "$t/dlq.jsonl" "$t/in.jsonl" > "$t/out1" 2> "$t/err1"
rc=$?
set -e
[ "$rc" = 1 ] || fail "exit status $rc, expected 1 when lines fail"
[ "$(wc -l < "$t/out1")" = 3 ] || fail "expected 3 records, got $(wc -l < "$t/out1")"
python3 - "$t/out1" <<'PY' || exit 1
import json, sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
assert ids[:2] == ["a", "e"], ids
assert ids[2].startswith("fnv1a64:"), ids
PY
grep -q 'in.jsonl:2: no_body' "$t/err1" || fail "line 2 not reported as no_body"
grep -q 'in.jsonl:3: invalid_json' "$t/err1" || fail "line 3 not reported as invalid_json"
grep -q 'in.jsonl:4: invalid_utf8' "$t/err1" || fail "line 4 not reported as invalid_utf8"
grep -q '3 records, 3 errors' "$t/err1" || fail "summary wrong: $(tail -1 "$t/err1")"
[ "$(wc -l < "$t/dlq.jsonl")" = 3 ] || fail "dead-letter file should hold 3 lines"
python3 - "$t/dlq.jsonl" <<'PY' || exit 1
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["line"] for r in rows] == [2, 3, 4], rows
assert [r["reason"] for r in rows] == ["no_body", "invalid_json", "invalid_utf8"]
assert rows[0]["payload"] == '{"id":"b","title":"no body here"}'
assert bytes.fromhex(rows[2]["payload_hex"]) == b'{"id":"d","body":"bad \xff byte"}'
PY

# Replays are byte-identical.
"$ENRICHER" pipe --no-timestamps "$t/in.jsonl" > "$t/out2" 2>/dev/null || true
cmp -s "$t/out1" "$t/out2" || fail "two runs gave different records"

# Threads change nothing in the output, not even its order.
for i in $(seq 1 40); do cat "$t/in.jsonl"; done > "$t/many.jsonl"
"$ENRICHER" pipe --no-timestamps "$t/many.jsonl" > "$t/t1" 2>/dev/null || true
"$ENRICHER" pipe --no-timestamps --threads 3 "$t/many.jsonl" > "$t/t3" 2> "$t/err3t" || true
cmp -s "$t/t1" "$t/t3" || fail "--threads 3 changed the records or their order"
grep -q '120 records, 120 errors' "$t/err3t" || fail "threaded summary: $(tail -1 "$t/err3t")"
grep -q 'many.jsonl:44: no_body' "$t/err3t" || fail "threaded error line numbers"

# Article modes.
head -1 "$t/in.jsonl" | "$ENRICHER" pipe --article no-body 2>/dev/null |
  python3 -c 'import json,sys; r=json.load(sys.stdin); assert "body" not in r["article"] and r["article"]["title"]=="Iran talks"; assert "processed_at" in r["meta"]' ||
  fail "--article no-body"
head -1 "$t/in.jsonl" | "$ENRICHER" pipe --article none 2>/dev/null |
  python3 -c 'import json,sys; r=json.load(sys.stdin); assert "article" not in r' || fail "--article none"

# Limits and option errors are clear.
head -1 "$t/in.jsonl" | "$ENRICHER" pipe --max-article-bytes 20 > /dev/null 2> "$t/err3" && fail "limit not enforced"
grep -q 'too_large' "$t/err3" || fail "too_large not reported"
"$ENRICHER" pipe --max-article-bytes lots < /dev/null 2> "$t/err4" && fail "bad option value accepted"
grep -q 'max-article-bytes' "$t/err4" || fail "bad value not explained"
"$ENRICHER" pipe --frobnicate < /dev/null 2> "$t/err5" && fail "unknown option accepted"
grep -q 'unknown option' "$t/err5" || fail "unknown option not explained"
ENRICHER_KEYWORDS=2 "$ENRICHER" pipe < <(head -1 "$t/in.jsonl") 2>/dev/null |
  python3 -c 'import json,sys; assert len(json.load(sys.stdin)["keywords"]) <= 2' || fail "ENRICHER_ env ignored"
"$ENRICHER" pipe --help | grep -q -- '--max-article-bytes' || fail "help lacks options"
"$ENRICHER" --version | grep -q '^enricher ' || fail "--version"
# `run --from` refuses a time with anything after its zone offset, before it
# connects to anything (exit status 2, the reason on stderr).
for bad in '2024-01-31T12:00+01:00junk' '2024-01-31T12:00+01:' 'yesterday'; do
  rc=0
  timeout 10 "$ENRICHER" run -b 127.0.0.1:1 -i in -o out --from "$bad" \
    > /dev/null 2> "$t/err6" || rc=$?
  [ "$rc" = 2 ] || fail "run --from '$bad': exit status $rc (expected 2)"
  grep -q -- '--from' "$t/err6" || fail "run --from '$bad' not explained"
done
echo "pipe: all checks passed"
