#!/usr/bin/env bash
# The README's first command: a live pipeline on one machine, no Kafka
# install needed.
#
#   1. starts `enricher dev-broker` (librdkafka's in-memory mock cluster);
#   2. loads the sample articles (tests/data/seed_article.json and
#      tests/data/samples/*.json, keyed by id) and one broken input with kcat;
#   3. runs two `enricher run` workers in one consumer group;
#   4. reads the output topic and shows each enriched record readably, and
#      the dead letter with its reason;
#   5. stops the workers with SIGTERM (they must exit 0) and the broker.
#
# Expects the program at build/bin/enricher (deploy/setup-debian.sh builds
# it; ENRICHER=path overrides) and kcat and jq on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

ENRICHER=${ENRICHER:-build/bin/enricher}
[ -x "$ENRICHER" ] || { echo "demo: $ENRICHER not found; run deploy/setup-debian.sh first" >&2; exit 1; }
for tool in kcat jq; do
    command -v $tool >/dev/null || { echo "demo: $tool not installed (apt-get install $tool)" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/enricher-demo.XXXXXX")
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Starting a Kafka mock cluster (enricher dev-broker)"
"$ENRICHER" dev-broker --topic articles:4 --topic articles.enriched:4 \
    --topic articles.dlq:1 --bootstrap-file "$TMP/bootstrap" >"$TMP/broker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$TMP/bootstrap" ] && break; sleep 0.1; done
BROKERS=$(cat "$TMP/bootstrap")
echo "bootstrap: $BROKERS"

say "Loading the sample articles into topic 'articles' (kcat -P)"
files=()
[ -f tests/data/seed_article.json ] && files+=(tests/data/seed_article.json)
files+=(tests/data/samples/*.json)
for f in "${files[@]}"; do
    jq -r '[.id, (. | tojson)] | @tsv' "$f"
    echo "  $(jq -r '.id + ": " + .title' "$f")" >&2
done | sed 's/\\\\/\\/g' | kcat -P -b "$BROKERS" -t articles -K $'\t' -H source=demo
# One broken input, to show the dead-letter topic.
printf 'broken\t{"id": "broken-1", "title": "An article without its body"}\n' |
    kcat -P -b "$BROKERS" -t articles -K $'\t' -H source=demo
WANT=${#files[@]}
echo "  broken-1: (no body: will be dead-lettered)" >&2

say "Running two workers in consumer group 'demo'"
for w in 1 2; do
    "$ENRICHER" run -b "$BROKERS" -i articles -o articles.enriched -g demo \
        --client-id "demo-worker-$w" --log-level warn \
        -X session.timeout.ms=6000 -X heartbeat.interval.ms=500 \
        >"$TMP/worker$w.out" 2>"$TMP/worker$w.log" &
    PIDS+=($!)
    eval "W$w=\$!"
    echo "worker $w: pid $!"
done

count() { { kcat -C -b "$BROKERS" -t "$1" -e -q -f 'x\n' 2>/dev/null || true; } | wc -l; }
for _ in $(seq 1 120); do
    [ "$(count articles.enriched)" -ge "$WANT" ] && [ "$(count articles.dlq)" -ge 1 ] && break
    sleep 0.5
done

say "Enriched records (topic 'articles.enriched')"
kcat -C -b "$BROKERS" -t articles.enriched -e -q -f '%s\n' | jq -r '
  def names(t): [.entities[] | select(.type == t) | .text] | unique | join(", ");
  def vals: [.entities[] | select(.type == "MONEY" or .type == "PERCENT" or .type == "CARDINAL"
                                  or .type == "DATE" or .type == "QUANTITY")
             | "\(.text) [\(.type)\(if .value != null then " = \(.value|tostring)" else "" end)]"]
            | join("; ");
  "\n\(.id): \(.article.title // "")",
  "  people:        \(names("PERSON"))",
  "  places:        \([.entities[] | select(.type == "GPE" or .type == "LOC")
                       | .text + (if .code then " (\(.code))" else "" end)] | unique | join(", "))",
  "  organisations: \(names("ORG"))",
  "  groups:        \(names("NORP"))",
  "  numbers:       \(vals)",
  "  stats:         \(.stats.words // "?") words, \(.stats.sentences // "?") sentences, reading time \(.stats.reading_time_seconds // "?") s, Flesch \(.stats.flesch_reading_ease // "?")",
  "  keywords:      \([.keywords[]? | if type == "object" then (.text // .word // .term // tostring) else tostring end] | join(", "))",
  "  source:        \(.meta.source.topic) [\(.meta.source.partition)] @ \(.meta.source.offset)"'

say "Dead letters (topic 'articles.dlq')"
kcat -C -b "$BROKERS" -t articles.dlq -e -q -f 'key=%k  headers: %h\n  payload: %s\n'

say "Stopping the workers (SIGTERM) and the broker"
rc=0
for w in 1 2; do
    pid_var="W$w"
    kill -TERM "${!pid_var}"
    if wait "${!pid_var}"; then
        echo "worker $w exited 0"
    else
        s=$?
        echo "worker $w exited $s:" >&2
        tail -5 "$TMP/worker$w.log" >&2
        rc=1
    fi
done
got=$(count articles.enriched)
echo "$got of $WANT articles enriched, $(count articles.dlq) dead letter(s)"
[ "$got" -ge "$WANT" ] || rc=1
exit $rc
