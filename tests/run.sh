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

# The reference the tone comparison (golden.test_tone_vader) checks
# against: a venv with vaderSentiment, made once; without it the test skips.
tone_venv() {
  ENR_TONE_VENV=$(bash tests/bench/tone_venv.sh) && export ENR_TONE_VENV ||
    echo "run.sh: no vaderSentiment venv; test_tone_vader will skip" >&2
}

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
  tone_venv
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DENR_ASAN=ON \
        -DENR_UBSAN=ON -DENR_WERROR=ON >/dev/null
  cmake --build build-asan -j"$(nproc)"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  cd build-asan
  exec ctest --output-on-failure -L 'unit|golden|fuzz' -j2
fi

bash deploy/setup-debian.sh --test
tone_venv

# The deployment test (label deploy) needs a Docker engine and Compose v2:
# deploy/images/engine.sh installs and starts them (dockerd --bridge=none
# --iptables=false); where none can start the test skips (77) and says why.
# ENR_REQUIRE_DOCKER=1 (CI) makes a failed engine set-up an error.
engine=0
bash deploy/images/engine.sh || engine=$?
if [ "$engine" != 0 ]; then
  echo "run.sh: no Docker engine (engine.sh exit $engine): deploy tests will skip" >&2
  [ "${ENR_REQUIRE_DOCKER:-0}" = 1 ] && [ "$engine" != 77 ] && exit 1
fi

start_broker

cd build
ctest --output-on-failure -j1 ${ENR_CTEST_ARGS:-}
