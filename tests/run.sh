#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: unit, golden, fuzz-corpus
# replays and, against a real Apache Kafka broker started here, the
# integration tests.
#
#   tests/run.sh               everything (README's test command)
#   tests/run.sh --sanitize    unit, golden and fuzz tests under ASan+UBSan
#                              in build-asan/ (no broker)
#   tests/run.sh --rdkafka-current
#                              the integration tests again, in
#                              build-rdkafka-current/, against a current
#                              librdkafka that deploy/librdkafka/build.sh
#                              builds once into its cached prefix
#                              (/var/cache/enricher/librdkafka-<version>,
#                              outside the clone) instead of Debian 12's
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# Starts the real broker for the integration tests unless one is given;
# stopped however we leave.
start_broker() {
  if [ -z "${ENR_TEST_BROKERS:-}" ] && [ -x tests/kafka/broker.sh ]; then
    trap 'bash "$root/tests/kafka/broker.sh" stop >/dev/null 2>&1 || true' EXIT
    bash tests/kafka/broker.sh start
    export ENR_TEST_BROKERS=127.0.0.1:9092
  fi
}

if [ "${1:-}" = "--rdkafka-current" ]; then
  bash deploy/setup-debian.sh --test
  line=$(bash deploy/librdkafka/build.sh | tail -1)
  prefix=${line##* in }
  [ -d "$prefix" ] || { echo "run.sh: no librdkafka prefix in: $line" >&2; exit 1; }
  cmake -S . -B build-rdkafka-current -DCMAKE_BUILD_TYPE=Release \
        -DENR_RDKAFKA_PREFIX="$prefix" -DENR_WERROR=ON ${ENR_CMAKE_ARGS:-} >/dev/null
  cmake --build build-rdkafka-current -j"$(nproc)"
  # The program must run the prefix's library, not the system's.
  ldd build-rdkafka-current/bin/enricher | grep -q "$prefix/lib/librdkafka.so" ||
    { echo "run.sh: build-rdkafka-current/bin/enricher does not load $prefix" >&2; exit 1; }
  echo "run.sh: integration tests on $line" >&2
  start_broker
  cd build-rdkafka-current
  ctest --output-on-failure -j1 -L integration ${ENR_CTEST_ARGS:-}
  exit
fi

if [ "${1:-}" = "--sanitize" ]; then
  ENR_BUILD_TYPE=Debug bash deploy/setup-debian.sh --test
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DENR_ASAN=ON \
        -DENR_UBSAN=ON -DENR_WERROR=ON >/dev/null
  cmake --build build-asan -j"$(nproc)"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  cd build-asan
  exec ctest --output-on-failure -L 'unit|golden|fuzz' -j2
fi

bash deploy/setup-debian.sh --test

start_broker

cd build
ctest --output-on-failure -j1 ${ENR_CTEST_ARGS:-}
