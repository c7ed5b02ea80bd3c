#!/usr/bin/env bash
# The deployment run for real: builds the images without a registry
# (deploy/images/build.sh), starts docker-compose.yml with the host-network
# override deploy/compose.hostnet.yml (broker, topic job, three workers,
# Prometheus), loads 2,000 BBC articles and a few poison messages, and
# checks that every article is enriched, every poison one dead-lettered with
# its reason, every worker healthy and scraped; then kills a worker, loads
# more, lets `docker compose up -d` restore it and checks nothing was lost;
# `docker compose down -v` at the end, on failure too.
#
# Needs a Docker engine (dockerd --bridge=none --iptables=false will do),
# Compose v2 (`docker compose`), kcat, python3, and
# $ENR_SHARED_DIR/data/news/bbc.jsonl; exits 77 without them.
# ENR_DEPLOY_PREBUILT=1 runs the images as they are, without building.
# Ports on 127.0.0.1: 29092/29093 (broker), 19464-19466 (workers), 19090
# (Prometheus).
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${ENR_SHARED_DIR:-$SRC/../shared}
DATA=$SHARED/data/news/bbc.jsonl
PROJECT=enricher-composetest
BROKER=127.0.0.1:29092
PROM=http://127.0.0.1:19090
N=2000     # articles before the kill
M=200      # articles loaded while a worker is down
START=$(date +%s)

skip() { echo "skip: $*"; exit 77; }
[ -f "$DATA" ] || skip "$DATA not found (set ENR_SHARED_DIR)"
command -v docker >/dev/null || skip "no docker client"
docker info >/dev/null 2>&1 || skip "no Docker engine answers (.ci/run starts dockerd --bridge=none --iptables=false)"
docker compose version >/dev/null 2>&1 || skip "no Compose v2 (docker compose); .ci/run builds it"
command -v kcat >/dev/null || skip "kcat not found"
command -v python3 >/dev/null || skip "python3 not found"

C=(docker compose -p "$PROJECT" -f "$SRC/docker-compose.yml" -f "$SRC/deploy/compose.hostnet.yml")
SERVICES=(kafka kafka-init enricher-1 enricher-2 enricher-3 prometheus)
WORK=$(mktemp -d /tmp/enr-compose-test.XXXXXX)

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

cleanup() {
    local rc=$?
    if [ $rc -ne 0 ]; then
        echo "--- compose ps / logs (the run failed) ---" >&2
        "${C[@]}" ps -a >&2 2>&1 || true
        "${C[@]}" logs --no-color --tail 40 >&2 2>&1 || true
    fi
    "${C[@]}" down -v --remove-orphans --timeout 45 >/dev/null 2>&1 || true
    rm -rf "$WORK"
    exit $rc
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_for SECONDS DESCRIPTION COMMAND...: runs COMMAND every 2 s until it
# succeeds; fails the test after SECONDS.
wait_for() {
    local limit=$1 what=$2 t0
    shift 2
    t0=$(date +%s)
    until "$@"; do
        [ $(($(date +%s) - t0)) -lt "$limit" ] || fail "$what: not within ${limit}s"
        sleep 2
    done
    echo "ok: $what ($(($(date +%s) - t0))s)"
}

cid() { "${C[@]}" ps -a -q "$1"; }
health() { docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$(cid "$1")" 2>/dev/null; }
all_healthy() {
    local w
    for w in enricher-1 enricher-2 enricher-3; do
        [ "$(health "$w")" = healthy ] || return 1
    done
}

# Loads articles FIRST..LAST (1-based lines of bbc.jsonl), keyed by id.
load() {
    sed -n "$1,$2p" "$DATA" | python3 -c '
import json, sys
for line in sys.stdin:
    a = json.loads(line)
    sys.stdout.write(a["id"] + "\t" + json.dumps(a, ensure_ascii=False) + "\n")
' | kcat -P -b "$BROKER" -t articles -K $'\t' -X message.timeout.ms=30000 ||
        fail "loading articles $1-$2"
}

# Distinct keys of the enriched records that are ids of articles 1..$1.
enriched_count() {
    sed -n "1,$1p" "$DATA" | python3 -c '
import json, sys
for line in sys.stdin:
    print(json.loads(line)["id"])' | sort -u >"$WORK/want"
    kcat -C -b "$BROKER" -t articles.enriched -o beginning -e -q -f '%k\n' 2>/dev/null |
        sort -u >"$WORK/got"
    comm -12 "$WORK/want" "$WORK/got" | wc -l
}
all_enriched() { [ "$(enriched_count "$1")" -eq "$1" ]; }

# Prometheus: the enricher job's targets that are up.
targets_up() {
    python3 - "$PROM" <<'PY'
import json, sys, urllib.parse, urllib.request
q = urllib.parse.urlencode({"query": 'up{job="enricher"} == 1'})
try:
    with urllib.request.urlopen(sys.argv[1] + "/api/v1/query?" + q, timeout=5) as r:
        print(len(json.load(r)["data"]["result"]))
except Exception:
    print(0)
PY
}
three_up() { [ "$(targets_up)" -eq 3 ]; }

for p in 29092 29093 19464 19465 19466 19090; do
    port_free "$p" || fail "127.0.0.1:$p is in use (another compose test?)"
done

if [ "${ENR_DEPLOY_PREBUILT:-0}" = 1 ]; then
    echo "== images as they are (ENR_DEPLOY_PREBUILT=1)"
else
    echo "== images (deploy/images/build.sh)"
    bash "$SRC/deploy/images/build.sh" all
fi
docker run --rm --network host enricher:0.1.0 --version | tee "$WORK/version"
for lib in '^enricher ' '^librdkafka [0-9]' '^jansson [0-9]' '^pcre2 [0-9]'; do
    grep -q "$lib" "$WORK/version" || fail "--version lacks $lib"
done
[ "$(docker image inspect -f '{{.Config.User}}' enricher:0.1.0)" = 10001:10001 ] ||
    fail "the enricher image does not run as 10001"
echo "enricher:0.1.0 size: $(($(docker image inspect -f '{{.Size}}' enricher:0.1.0) / 1000000)) MB"

echo "== compose up"
"${C[@]}" config -q || fail "compose config"
docker compose -f "$SRC/docker-compose.yml" config -q || fail "the users' compose file alone does not parse"
trap cleanup EXIT
"${C[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
"${C[@]}" up -d "${SERVICES[@]}"
[ "$(docker inspect -f '{{.State.ExitCode}}' "$(cid kafka-init)")" = 0 ] || fail "kafka-init failed"
[ "$(docker exec "$(cid enricher-1)" id -u)" = 10001 ] || fail "worker runs as root"

echo "== load $N articles and the poison ones"
load 1 "$N"
printf '%s\n' \
    $'poison-json\t{"id": "poison-json", "title": ' \
    $'poison-utf8\t{"id": "poison-utf8", "title": "t", "body": "ab\xffcd"}' \
    $'poison-nobody\t{"id": "poison-nobody", "title": "no body here"}' \
    $'poison-empty\t' |
    kcat -P -b "$BROKER" -t articles -K $'\t' || fail "loading the poison messages"
wait_for 300 "all $N articles enriched" all_enriched "$N"

dlq_ok() {
    kcat -C -b "$BROKER" -t articles.dlq -o beginning -e -q -f '%k %h\n' 2>/dev/null >"$WORK/dlq"
    grep -q '^poison-json .*enricher-error=invalid_json' "$WORK/dlq" &&
        grep -q '^poison-utf8 .*enricher-error=invalid_utf8' "$WORK/dlq" &&
        grep -q '^poison-nobody .*enricher-error=no_body' "$WORK/dlq" &&
        grep -q '^poison-empty .*enricher-error=empty' "$WORK/dlq"
}
wait_for 60 "every poison message dead-lettered with its reason" dlq_ok
if kcat -C -b "$BROKER" -t articles.enriched -o beginning -e -q -f '%k\n' | grep -q '^poison-'; then
    fail "a poison message reached articles.enriched"
fi
wait_for 120 "three workers healthy (HEALTHCHECK)" all_healthy
wait_for 90 "Prometheus: three enricher targets up" three_up

echo "== kill enricher-2, load $M more, compose up -d"
docker kill "$(cid enricher-2)" >/dev/null
load $((N + 1)) $((N + M))
"${C[@]}" up -d    # as a user would: every service but Grafana's profile
[ "$(docker inspect -f '{{.State.Running}}' "$(cid enricher-2)")" = true ] ||
    fail "compose up -d did not restore enricher-2"
wait_for 300 "all $((N + M)) articles enriched (none lost)" all_enriched $((N + M))
wait_for 120 "three workers healthy again" all_healthy
wait_for 90 "Prometheus: three targets up again" three_up

echo "== compose down -v"
trap - EXIT
"${C[@]}" down -v --remove-orphans --timeout 45
[ -z "$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT")" ] ||
    fail "containers left after down"
rm -rf "$WORK"
echo "ok: compose test in $(($(date +%s) - START))s"
