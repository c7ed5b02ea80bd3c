#!/usr/bin/env bash
# A libFuzzer campaign over every fuzz target (tests/fuzz/fuzz_*.c):
# builds them with clang, libFuzzer, ASan and UBSan in build-fuzz/ (the
# library too is instrumented for coverage: -fsanitize=fuzzer-no-link), then
# runs each for SECONDS (default 600), JOBS at a time (default 2: the
# machine has two cores), with its dictionary tests/fuzz/<name>.dict and
# its committed corpus tests/fuzz/corpus/<name>/ as seeds. New inputs go to
# build-fuzz/corpus/<name>/, crashes, leaks and timeouts to
# build-fuzz/artifacts/<name>/ (those of earlier runs are moved to
# build-fuzz/artifacts-earlier/<name>/); a summary (executions, coverage, findings)
# is printed at the end and written to build-fuzz/campaign-summary.txt.
#
#   tests/fuzz/campaign.sh [SECONDS] [TARGET...]
#
# A target keeps going after a finding (libFuzzer -fork=1 with
# -ignore_crashes, -ignore_timeouts, -ignore_ooms), so one early bug does
# not end its campaign; KEEP_GOING=0 stops at the first finding instead.
# SECONDS=0 only prints the summary of the last runs.
#
# Environment: JOBS, MAX_LEN (libFuzzer -max_len), MERGE=1 to add up to
# MERGE_MAX (default 20) small (<= 4 KiB) coverage-increasing inputs per
# target to the committed corpus, chosen by libFuzzer's -merge=1.
# Exit status: 0 when no target found anything, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
secs=${1:-600}
shift || true
jobs_max=${JOBS:-2}
build=$root/build-fuzz

command -v clang >/dev/null || { echo "clang is needed"; exit 2; }
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DENR_FUZZ=ON \
  -DENR_ASAN=ON -DENR_UBSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link > /dev/null
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in tests/fuzz/fuzz_*.c; do
    n=$(basename "$f" .c)
    targets+=("${n#fuzz_}")
  done
fi
build_targets=()
for t in "${targets[@]}"; do build_targets+=(--target "fuzz_$t"); done
cmake --build "$build" -j"$jobs_max" "${build_targets[@]}" > "$build/build.log" 2>&1 ||
  { tail -30 "$build/build.log"; exit 2; }

export ENR_RESOURCES=$root/resources
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Runs one target for $secs seconds; its log is $build/logs/<name>.log.
run_one() {
  local t=$1 bin=$build/bin/fuzz_$1 args=()
  # The summary counts this run's findings only: earlier ones are kept in
  # artifacts-earlier/<name>/.
  if [ -n "$(ls -A "$build/artifacts/$t" 2>/dev/null)" ]; then
    mkdir -p "$build/artifacts-earlier/$t"
    mv "$build/artifacts/$t"/* "$build/artifacts-earlier/$t/"
  fi
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t" "$build/logs"
  [ -f "tests/fuzz/$t.dict" ] && args+=(-dict="tests/fuzz/$t.dict")
  [ -n "${MAX_LEN:-}" ] && args+=(-max_len="$MAX_LEN")
  [ "${KEEP_GOING:-1}" = 1 ] && args+=(-fork=1 -ignore_crashes=1
                                       -ignore_timeouts=1 -ignore_ooms=1)
  "$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=20 \
    -rss_limit_mb=2560 -artifact_prefix="$build/artifacts/$t/" \
    "${args[@]}" "$build/corpus/$t" "tests/fuzz/corpus/$t" \
    > "$build/logs/$t.log" 2>&1 || true
}

[ "$secs" -gt 0 ] && echo "fuzzing ${targets[*]} for $secs s each, $jobs_max at a time"
running=0
for t in "${targets[@]}"; do
  [ "$secs" -gt 0 ] || break
  if [ "$running" -ge "$jobs_max" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  echo "[$(date -u +%H:%M:%S)] start $t"
  run_one "$t" &
  running=$((running + 1))
done
wait

# The summary: executions, speed, coverage, corpus and findings.
found=0
summary=$build/campaign-summary.txt
printf '%-8s %12s %8s %7s %7s %7s %s\n' target executions exec/s cov ft \
  corpus findings > "$summary"
for t in "${targets[@]}"; do
  log=$build/logs/$t.log
  [ -f "$log" ] || continue
  # The last status line: "#N ... cov: C ft: F corp: K ..." (with a colon
  # after N and "exec/s E" in fork mode).
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
  secs_run=$(echo "$last" | sed -n 's/.* time: \([0-9]*\)s.*/\1/p')
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ -z "$rate" ] && [ -n "$secs_run" ] && [ "$secs_run" -gt 0 ]; then
    rate=$((execs / secs_run))
  fi
  cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
  arts=$(find "$build/artifacts/$t" -type f 2>/dev/null | wc -l)
  if [ "$arts" -gt 0 ]; then found=1; fi
  printf '%-8s %12s %8s %7s %7s %7s %s\n' "$t" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "${corp:-?}" "$arts" >> "$summary"
  find "$build/artifacts/$t" -type f 2>/dev/null | sort | sed -n '1,5s/^/    /p' \
    >> "$summary"
done
cat "$summary"
if [ "$found" = 1 ]; then
  echo "findings: see the files above and the logs in $build/logs/"
  for t in "${targets[@]}"; do
    grep -h -m3 -E '^SUMMARY|runtime error' "$build/logs/$t.log" 2>/dev/null || true
  done | sort | uniq -c
fi

# Optionally keep a few new, small, coverage-increasing inputs.
if [ "${MERGE:-0}" = 1 ]; then
  for t in "${targets[@]}"; do
    tmp=$(mktemp -d)
    "$build/bin/fuzz_$t" -merge=1 "$tmp" "tests/fuzz/corpus/$t" \
      "$build/corpus/$t" > "$build/logs/$t.merge.log" 2>&1 || true
    added=0
    for f in "$tmp"/*; do
      [ -f "$f" ] || continue
      [ -s "$f" ] && [ "$(stat -c %s "$f")" -le 4096 ] || continue
      # Already committed under another name?
      dup=0
      for g in tests/fuzz/corpus/"$t"/*; do
        cmp -s "$f" "$g" && { dup=1; break; }
      done
      [ "$dup" = 1 ] && continue
      [ "$added" -ge "${MERGE_MAX:-20}" ] && break
      cp "$f" "tests/fuzz/corpus/$t/campaign-$(basename "$f" | cut -c1-12)"
      added=$((added + 1))
    done
    rm -rf "$tmp"
    echo "$t: $added input(s) added to tests/fuzz/corpus/$t/"
  done
fi
exit "$found"
