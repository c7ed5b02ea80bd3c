#!/usr/bin/env bash
# Installs what enricher needs on Debian 12 (as root) and builds it.
#
#   deploy/setup-debian.sh            runtime and build packages, Release build
#   deploy/setup-debian.sh --test     also the test tools (Criterion, clang,
#                                     Java/Maven for the Kafka broker, Python
#                                     checkers), and a build with the tests
#
# The build lands in build/ (program: build/bin/enricher). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

pkgs=(build-essential cmake pkg-config librdkafka-dev libjansson-dev
      libpcre2-dev libmicrohttpd-dev kcat jq iso-codes tzdata wamerican)
if [ "$with_tests" = 1 ]; then
  pkgs+=(libcriterion-dev clang clang-format libclang-rt-14-dev valgrind
         default-jdk-headless maven python3 python3-venv python3-jsonschema
         python3-yaml python3-confluent-kafka curl procps openssl)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_type=${ENR_BUILD_TYPE:-Release}
cmake -S . -B build -DCMAKE_BUILD_TYPE="$build_type" \
      -DENR_TESTS=$([ "$with_tests" = 1 ] && echo ON || echo OFF) \
      ${ENR_CMAKE_ARGS:-} >/dev/null
cmake --build build -j"$(nproc)"
echo "setup: built build/bin/enricher ($build_type)" >&2
