#!/usr/bin/env bash
# Memory errors and leaks under valgrind (memcheck), where the sanitizer
# builds cannot look: a plain Debug build (no ASan) of the program.
#
#   1. `enricher pipe` on the first ARTICLES (default 300) BBC articles (the
#      test samples and the seed article when the shared data is absent),
#      plus a few poison lines, so the error paths run too;
#   2. a short `enricher run` (at-least-once, 2 threads) on the embedded
#      dev broker over the same input, from start-up to a clean exit
#      (--exit-at-end). The mock cluster does not implement transactions
#      fully, so --exactly-once is left to the integration tests.
#
# Each runs as `valgrind --leak-check=full --error-exitcode=1`; any error or
# definite/possible leak fails the script, with the report kept in
# build-valgrind/valgrind-*.log.
#
#   tests/valgrind.sh            (ENRICHER=... to use another build)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
command -v valgrind >/dev/null || { echo "valgrind not installed: skipped"; exit 77; }
ARTICLES=${ARTICLES:-300}
bdir=$root/build-valgrind
if [ -z "${ENRICHER:-}" ]; then
  cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE=Debug -DENR_TESTS=OFF > /dev/null
  cmake --build "$bdir" -j2 --target enricher > "$bdir/build.log" 2>&1 ||
    { tail -30 "$bdir/build.log"; exit 2; }
  ENRICHER=$bdir/bin/enricher
fi
mkdir -p "$bdir"
tmp=$(mktemp -d)
broker_pid=
cleanup() {
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# The input.
bbc=${BBC:-$root/../shared/data/news/bbc.jsonl}
if [ -s "$bbc" ]; then
  head -n "$ARTICLES" "$bbc" > "$tmp/in.jsonl"
else
  for f in tests/data/samples/*.json tests/data/seed_article.json; do
    python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$f"
  done > "$tmp/in.jsonl"
fi
{
  printf '{"title": "cut short", "body": \n'
  printf '{"body": "caf\xe9"}\n'
  printf '{"title": "no body"}\n'
  printf '[1, 2]\n'
  printf 'A plain-text headline\n'
} >> "$tmp/in.jsonl"
n=$(wc -l < "$tmp/in.jsonl")

VG=(valgrind --leak-check=full --error-exitcode=1 --show-leak-kinds=definite,possible
    --errors-for-leak-kinds=definite,possible --track-origins=yes --num-callers=30)
fail=0

echo "valgrind: enricher pipe on $n lines"
rc=0
"${VG[@]}" --log-file="$bdir/valgrind-pipe.log" "$ENRICHER" pipe --quiet \
  "$tmp/in.jsonl" > "$tmp/out.jsonl" 2> "$tmp/pipe.err" || rc=$?
# pipe exits 1 when a line was refused (the poison lines): only valgrind's
# own verdict counts, read from its log.
grep -E 'ERROR SUMMARY|definitely lost|possibly lost|indirectly lost' \
  "$bdir/valgrind-pipe.log" | sed 's/^==[0-9]*== /  /'
if ! grep -q 'ERROR SUMMARY: 0 errors' "$bdir/valgrind-pipe.log" || [ "$rc" -gt 1 ]; then
  echo "valgrind: pipe FAILED (status $rc; see $bdir/valgrind-pipe.log)"
  fail=1
fi
echo "  $(wc -l < "$tmp/out.jsonl") records; $(tail -1 "$tmp/pipe.err")"

if ! command -v kcat >/dev/null; then
  echo "kcat not installed: worker part skipped"
  exit "$fail"
fi
echo "valgrind: enricher run (2 threads) on the dev broker, $n messages"
"$ENRICHER" dev-broker --topic vg:3 --topic vg.out:3 --topic vg.dlq:1 \
  --bootstrap-file "$tmp/bootstrap" > /dev/null 2>&1 &
broker_pid=$!
for _ in $(seq 100); do [ -s "$tmp/bootstrap" ] && break; sleep 0.1; done
bs=$(cat "$tmp/bootstrap")
kcat -P -b "$bs" -t vg -l "$tmp/in.jsonl"
rc=0
timeout 900 "${VG[@]}" --log-file="$bdir/valgrind-run.log" "$ENRICHER" run \
  -b "$bs" -i vg -o vg.out -g vg --from earliest --exit-at-end -t 2 \
  --log-level warn > "$tmp/run.out" 2> "$tmp/run.err" || rc=$?
grep -E 'ERROR SUMMARY|definitely lost|possibly lost|indirectly lost' \
  "$bdir/valgrind-run.log" | sed 's/^==[0-9]*== /  /'
got=$(kcat -C -b "$bs" -t vg.out -e -q -f 'x\n' | wc -l)
dead=$(kcat -C -b "$bs" -t vg.dlq -e -q -f 'x\n' | wc -l)
echo "  $got records, $dead dead letters for $n messages (worker status $rc)"
if [ "$rc" != 0 ] || ! grep -q 'ERROR SUMMARY: 0 errors' "$bdir/valgrind-run.log"; then
  echo "valgrind: run FAILED (status $rc; see $bdir/valgrind-run.log)"
  tail -5 "$tmp/run.err"
  fail=1
fi
if [ $((got + dead)) -lt "$n" ]; then
  echo "valgrind: run lost messages"
  fail=1
fi
[ "$fail" = 0 ] && echo "valgrind: clean"
exit "$fail"
