#!/usr/bin/env bash
# Builds, without an image registry, the images the compose test runs:
#
#   debian:12, debian:12-slim   debootstrap --variant=minbase bookworm from
#                               Debian's mirror, `docker import`ed (-slim also
#                               drops documentation, man pages and locales,
#                               as the official slim image does)
#   apache/kafka:4.1.0          Java 17 from Debian and the kafka_2.13 jars
#                               from Maven Central (tests/kafka/broker.sh
#                               fetch); deploy/images/kafka/
#   enricher-test/prometheus:debian   Debian's prometheus package;
#                               deploy/images/prometheus/
#   enricher:0.1.0              deploy/Dockerfile
#
#   deploy/images/build.sh [base|kafka|prometheus|enricher|all]   (default all)
#
# Idempotent: the base images are made once; the others are built each
# time so that they follow the tree, docker's layer cache making an
# unchanged build take seconds; the root file system tarballs are cached in
# $ENR_IMAGE_CACHE (default /var/cache/enricher/images). Every build uses
# the host network (--network host); the engine may run with --bridge=none.
# Environment: ENR_DEBIAN_MIRROR (default http://deb.debian.org/debian),
# ENR_ENRICHER_BUILD_ARGS (extra `docker build` arguments for the enricher).
set -euo pipefail
# The classic builder: it takes --network host on any engine and needs no
# buildx plugin nor frontend image from a registry.
export DOCKER_BUILDKIT=0

SRC=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${ENR_IMAGE_CACHE:-/var/cache/enricher/images}
MIRROR=${ENR_DEBIAN_MIRROR:-http://deb.debian.org/debian}
KAFKA_VERSION=${ENR_KAFKA_VERSION:-4.1.0}
KAFKA_IMAGE=apache/kafka:$KAFKA_VERSION
PROM_IMAGE=enricher-test/prometheus:debian
ENRICHER_IMAGE=enricher:0.1.0

die() { echo "build.sh: $*" >&2; exit 1; }
have() { docker image inspect "$1" >/dev/null 2>&1; }
log() { echo "build.sh: $*" >&2; }

# A minimal Debian 12 root file system as two tarballs, made once: the
# full one (debian:12) and the slim one (debian:12-slim: no documentation,
# man pages or locales, and dpkg told to install none later, as the
# official slim image).
rootfs() {
    local tar=$CACHE/debian-12-minbase.tar slim=$CACHE/debian-12-minbase-slim.tar
    [ -f "$tar" ] && [ -f "$slim" ] && return 0
    command -v debootstrap >/dev/null || die "debootstrap not found (apt-get install debootstrap)"
    mkdir -p "$CACHE"
    local root
    root=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    log "debootstrap bookworm (minbase) from $MIRROR"
    debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
        { tail -20 "$CACHE/debootstrap.log" >&2; rm -rf "$root"; die "debootstrap failed"; }
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<SRCS
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRCS
    # As the official images: no package cache kept, no translations.
    cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
APT
    echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
    echo 'APT::Install-Recommends "false";' >"$root/etc/apt/apt.conf.d/docker-no-recommends"
    # A mirror that is a frozen snapshot serves Release files past their
    # Valid-Until: where the host's apt is told to accept them, so is the
    # image's (the librdkafka source build reads sid's).
    if apt-config dump 2>/dev/null | grep -q '^Acquire::Check-Valid-Until "false";'; then
        echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99enricher-mirror"
    fi
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
        "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log "$root"/tmp/* \
        "$root"/dev/*
    : >"$root/etc/hostname"
    : >"$root/etc/resolv.conf"
    tar --numeric-owner -C "$root" -cf "$tar.tmp" .
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
        'path-exclude /usr/share/man/*' 'path-exclude /usr/share/groff/*' \
        'path-exclude /usr/share/info/*' 'path-exclude /usr/share/lintian/*' \
        'path-exclude /usr/share/linda/*' 'path-exclude /usr/share/locale/*' \
        'path-include /usr/share/locale/locale.alias' >"$root/etc/dpkg/dpkg.cfg.d/docker"
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
    find "$root/usr/share/locale" -mindepth 1 -not -name locale.alias -delete 2>/dev/null || true
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian/* \
        "$root"/usr/share/groff/*
    tar --numeric-owner -C "$root" -cf "$slim.tmp" .
    rm -rf "$root"
    mv "$tar.tmp" "$tar"
    mv "$slim.tmp" "$slim"
}

base() {
    local tag tar
    for tag in debian:12 debian:12-slim; do
        have "$tag" && continue
        rootfs
        tar=$CACHE/debian-12-minbase.tar
        [ "$tag" = debian:12-slim ] && tar=$CACHE/debian-12-minbase-slim.tar
        log "importing $tag"
        docker import \
            --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change 'CMD ["bash"]' "$tar" "$tag" >/dev/null
    done
}

kafka() {
    base
    ENR_KAFKA_VERSION=$KAFKA_VERSION bash "$SRC/tests/kafka/broker.sh" fetch
    local lib=${ENR_KAFKA_CACHE:-$HOME/.cache/enricher-kafka}/lib-$KAFKA_VERSION ctx
    ctx=$(mktemp -d)
    cp -r "$SRC/deploy/images/kafka/." "$ctx/"
    mkdir "$ctx/libs"
    cp "$lib"/*.jar "$ctx/libs/"
    log "building $KAFKA_IMAGE"
    docker build --network host --force-rm --build-arg KAFKA_VERSION="$KAFKA_VERSION" \
        -t "$KAFKA_IMAGE" "$ctx" >"$CACHE/kafka-build.log" 2>&1 ||
        { tail -30 "$CACHE/kafka-build.log" >&2; rm -rf "$ctx"; die "building $KAFKA_IMAGE failed"; }
    rm -rf "$ctx"
}

prometheus() {
    base
    log "building $PROM_IMAGE"
    docker build --network host --force-rm -t "$PROM_IMAGE" "$SRC/deploy/images/prometheus" \
        >"$CACHE/prometheus-build.log" 2>&1 ||
        { tail -30 "$CACHE/prometheus-build.log" >&2; die "building $PROM_IMAGE failed"; }
}

enricher() {
    base
    log "building $ENRICHER_IMAGE from deploy/Dockerfile"
    # The classic builder reads only the context's own .dockerignore, not
    # deploy/Dockerfile.dockerignore: send it just what that file lets in.
    local parts=(CMakeLists.txt include common worker resources deploy/Dockerfile)
    [ -d "$SRC/deploy/librdkafka" ] && parts+=(deploy/librdkafka)
    # shellcheck disable=SC2086
    tar -C "$SRC" -cf - "${parts[@]}" |
        docker build --network host --force-rm -f deploy/Dockerfile ${ENR_ENRICHER_BUILD_ARGS:-} \
            -t "$ENRICHER_IMAGE" - >"$CACHE/enricher-build.log" 2>&1 ||
        { tail -30 "$CACHE/enricher-build.log" >&2; die "building $ENRICHER_IMAGE failed"; }
}

mkdir -p "$CACHE"
command -v docker >/dev/null || die "docker not found"
docker info >/dev/null 2>&1 || die "no Docker engine answers"
case "${1:-all}" in
base) base ;;
kafka) kafka ;;
prometheus) prometheus ;;
enricher) enricher ;;
all) base; kafka; prometheus; enricher ;;
*) die "usage: $0 [base|kafka|prometheus|enricher|all]" ;;
esac
