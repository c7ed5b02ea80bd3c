#!/usr/bin/env bash
# The README's first command, less the set-up it shares with the test
# command: deploy/demo.sh on the embedded dev broker must show every sample
# article enriched, the broken one dead-lettered with its reason, and both
# workers exiting 0 on SIGTERM.
set -euo pipefail
: "${ENRICHER:?path of the enricher binary}" "${ENR_SOURCE_DIR:?}"
for tool in kcat jq; do
        command -v $tool >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }

ENRICHER=$ENRICHER timeout 300 bash "$ENR_SOURCE_DIR/deploy/demo.sh" > "$out" 2>&1 ||
        fail "demo.sh exited with status $?"
want=$(( $(ls "$ENR_SOURCE_DIR"/tests/data/samples/*.json | wc -l) + 1 ))
grep -q "^$want of $want articles enriched, 1 dead letter(s)$" "$out" ||
        fail "not '$want of $want articles enriched, 1 dead letter(s)'"
for w in 1 2; do
        grep -q "^worker $w exited 0$" "$out" || fail "worker $w did not exit 0"
done
[ "$(grep -c '^  people: ' "$out")" = "$want" ] || fail "not $want records shown"
grep -q '^seed-0001: Iran, Qatar discuss' "$out" || fail "the seed article is not shown"
grep -q '^  people: .*Hossein Amir Abdollahian' "$out" || fail "the seed article's people are missing"
grep -q 'enricher-error=no_body' "$out" || fail "the dead letter does not give its reason"
echo "ok: demo ($want records, 1 dead letter, clean exits)"
