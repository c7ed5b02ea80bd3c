#!/usr/bin/env bash
# The short chaos test (tests/chaos/chaos.sh, which see): a few thousand
# articles with poison inputs through three workers while one is killed
# with SIGKILL every 3 seconds and the broker is restarted twice (when it is
# tests/kafka/broker.sh's), at-least-once and then --exactly-once; the
# checker proves per input offset at least one output, respectively exactly
# one visible to a read_committed reader, and every dead letter accounted
# for. Skipped (77) without ENR_TEST_BROKERS.
set -euo pipefail
: "${ENRICHER:?path of the enricher program}"
src=${ENR_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${ENR_TEST_BROKERS:-}" ]; then
  echo "ENR_TEST_BROKERS not set (tests/kafka/broker.sh start): skipped"
  exit 77
fi
export KILL_EVERY=${KILL_EVERY:-3} WORKERS=${WORKERS:-3}
export POISON_EVERY=${POISON_EVERY:-53} BROKER_RESTARTS=${BROKER_RESTARTS:-2}
n=${CHAOS_SHORT_N:-4000}
bash "$src/tests/chaos/chaos.sh" alo "$n"
bash "$src/tests/chaos/chaos.sh" eos "$n"
echo PASS
