#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: unit, golden, fuzz-corpus
# replays and, against a real Apache Kafka broker started here, the
# integration tests.
#
#   tests/run.sh               everything (README's test command)
#   tests/run.sh --sanitize    unit, golden and fuzz tests under ASan+UBSan
#                              in build-asan/ (no broker)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# The reference the tone comparison (golden.test_tone_vader) checks
# against: a venv with vaderSentiment, made once; without it the test skips.
tone_venv() {
  ENR_TONE_VENV=$(bash tests/bench/tone_venv.sh) && export ENR_TONE_VENV ||
    echo "run.sh: no vaderSentiment venv; test_tone_vader will skip" >&2
}

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

# The real broker for the integration tests; stopped however we leave.
if [ -z "${ENR_TEST_BROKERS:-}" ] && [ -x tests/kafka/broker.sh ]; then
  trap 'bash "$root/tests/kafka/broker.sh" stop >/dev/null 2>&1 || true' EXIT
  bash tests/kafka/broker.sh start
  export ENR_TEST_BROKERS=127.0.0.1:9092
fi

cd build
ctest --output-on-failure -j1 ${ENR_CTEST_ARGS:-}
