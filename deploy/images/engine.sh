#!/usr/bin/env bash
# Makes this Debian 12 host ready for tests/deploy/test_compose.sh (CI runs
# it as root): installs docker.io, debootstrap and kcat from Debian,
# starts dockerd without bridge networks if no engine answers, and builds
# Docker Compose v2 from the Go module proxy into a cache
# (/var/cache/enricher/compose), installed as the `docker compose` plugin.
#
#   deploy/images/engine.sh       exit 0 ready, 77 when no engine can start
#                                 here (the reason on stderr), 1 on errors
#
# Environment: ENR_COMPOSE_VERSION (default v2.40.3), ENR_COMPOSE_CACHE.
set -euo pipefail

COMPOSE_VERSION=${ENR_COMPOSE_VERSION:-v2.40.3}
CACHE=${ENR_COMPOSE_CACHE:-/var/cache/enricher/compose}
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins

note() { echo "engine.sh: $*" >&2; }
skip() { note "skip: $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "not root: cannot install or start a Docker engine"

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v kcat >/dev/null || missing+=(kcat)
if [ ${#missing[@]} -gt 0 ]; then
    note "apt-get install ${missing[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null; } ||
        skip "apt-get install ${missing[*]} failed"
fi

# The engine: one that answers, else dockerd without bridge networks (the
# tests use the host network only), logging to /var/log/enricher-dockerd.log.
if ! docker info >/dev/null 2>&1; then
    note "starting dockerd --bridge=none --iptables=false"
    nohup dockerd --bridge=none --iptables=false >/var/log/enricher-dockerd.log 2>&1 &
    for _ in $(seq 1 30); do
        docker info >/dev/null 2>&1 && break
        sleep 1
    done
    docker info >/dev/null 2>&1 ||
        { tail -5 /var/log/enricher-dockerd.log >&2; skip "dockerd did not start (see above)"; }
fi

# Compose v2, what users run as `docker compose`: the Go module proxy serves
# github.com/docker/compose/v2, built with this machine's Go (its go.mod
# has exclude directives, so `go install pkg@version` refuses it: build
# inside the downloaded module instead).
bin=$CACHE/docker-compose-$COMPOSE_VERSION
if [ ! -x "$bin" ]; then
    command -v go >/dev/null || skip "no Go toolchain to build Compose $COMPOSE_VERSION"
    mkdir -p "$CACHE"
    note "building Compose $COMPOSE_VERSION from the Go module proxy (minutes, once)"
    dir=$(cd /tmp && go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])') ||
        skip "the Go module proxy did not serve docker/compose $COMPOSE_VERSION"
    work=$(mktemp -d)
    cp -r "$dir/." "$work/"
    chmod -R u+w "$work"
    (cd "$work" && go build -trimpath \
        -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" \
        -o "$bin.tmp" ./cmd) || { rm -rf "$work"; note "building Compose failed"; exit 1; }
    rm -rf "$work"
    mv "$bin.tmp" "$bin"
fi
mkdir -p "$PLUGIN_DIR"
ln -sf "$bin" "$PLUGIN_DIR/docker-compose"
docker compose version >&2
