#!/usr/bin/env bash
# Builds a current librdkafka from Debian unstable's source package into a
# prefix, for the hosts and images whose own librdkafka (Debian 12: 2.0.2) is
# too old (see README.md, "librdkafka versions").
#
#   deploy/librdkafka/build.sh [PREFIX]
#
# PREFIX defaults to /var/cache/enricher/librdkafka-$ENR_RDKAFKA_VERSION. The
# build is skipped when PREFIX already holds this version (a stamp file,
# PREFIX/.enricher-librdkafka, and the library itself), so CI can cache it
# outside the clone. On success the last line printed is the installed
# version as the library reports it (rd_kafka_version_str()); any failure
# exits non-zero.
#
# The source: apt-get source from Debian's mirror, through a private apt
# configuration in a temporary directory (a deb-src line for sid, the lists
# and caches beside it) so the host's apt sources and package lists are left
# as they are. apt checks the sid Release signature with Debian's archive
# keyring and the files' hashes against it; dpkg-source then checks them
# against the .dsc. The build dependencies are
# those Debian 12 has (run as root to install the missing ones):
# libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev
# libcurl4-openssl-dev. A program linked against the prefix needs at run
# time: libssl3 libsasl2-2 zlib1g libzstd1 liblz4-1 libcurl4.
#
# Environment: ENR_RDKAFKA_VERSION (Debian source version, default
# 2.14.2-1), ENR_DEBIAN_MIRROR (default http://deb.debian.org/debian),
# ENR_RDKAFKA_JOBS (make -j, default nproc).
set -euo pipefail

DEB_VERSION=${ENR_RDKAFKA_VERSION:-2.14.2-1}
UPSTREAM=${DEB_VERSION%-*}
MIRROR=${ENR_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PREFIX=${1:-/var/cache/enricher/librdkafka-$UPSTREAM}
JOBS=${ENR_RDKAFKA_JOBS:-$(nproc)}
STAMP=$PREFIX/.enricher-librdkafka

die() { echo "librdkafka/build.sh: $*" >&2; exit 1; }

case $PREFIX in
/*) ;;
*) PREFIX=$PWD/$PREFIX; STAMP=$PREFIX/.enricher-librdkafka ;;
esac

# Prints the version the installed library reports, from a small program
# linked against the prefix (so a broken install fails here, not later).
report_version() {
    local t
    t=$(mktemp -d)
    cat >"$t/v.c" <<'C'
#include <librdkafka/rdkafka.h>
#include <stdio.h>
int main(void) {
        printf("%s\n", rd_kafka_version_str());
        return 0;
}
C
    cc -o "$t/v" "$t/v.c" -I"$PREFIX/include" -L"$PREFIX/lib" \
       -Wl,-rpath,"$PREFIX/lib" -lrdkafka ||
        { rm -rf "$t"; return 1; }
    local v
    v=$("$t/v") || { rm -rf "$t"; return 1; }
    rm -rf "$t"
    [ "$v" = "$UPSTREAM" ] ||
        { echo "librdkafka/build.sh: $PREFIX reports $v, not $UPSTREAM" >&2;
          return 1; }
    echo "librdkafka $v in $PREFIX"
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$DEB_VERSION" ] &&
   [ -e "$PREFIX/lib/librdkafka.so.1" ]; then
    echo "librdkafka/build.sh: $PREFIX already holds $DEB_VERSION" >&2
    report_version || die "cached $PREFIX is broken; remove it and re-run"
    exit 0
fi

# Build dependencies, from the host's own (Debian 12) packages.
pkgs=(build-essential pkg-config dpkg-dev python3 libssl-dev libsasl2-dev
      zlib1g-dev libzstd-dev liblz4-dev libcurl4-openssl-dev
      debian-archive-keyring)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
        grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing build dependencies: ${missing[*]}"
    echo "librdkafka/build.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt (a shared host, a parallel image build) rather
    # than fail.
    apt-get -o DPkg::Lock::Timeout=900 update -qq
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
            --no-install-recommends "${missing[@]}" >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/enr-librdkafka.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

# A private apt configuration: only the sid deb-src line, lists and caches
# in $work.
apt_dir=$work/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
         "$apt_dir/parts"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
     "$MIRROR sid main" >"$apt_dir/sources.list"
apt_opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list"
          -o Dir::Etc::SourceParts="$apt_dir/parts"
          -o Dir::State::Lists="$apt_dir/lists"
          -o Dir::Cache="$apt_dir/cache"
          -o APT::Sandbox::User=root
          -o Debug::NoLocking=1)
echo "librdkafka/build.sh: fetching source librdkafka $DEB_VERSION" \
     "from $MIRROR (sid)" >&2
apt-get "${apt_opts[@]}" -qq update ||
    die "apt-get update of the private sid deb-src list failed"
if ! (cd "$work" && apt-get "${apt_opts[@]}" -qq source --download-only \
        "librdkafka=$DEB_VERSION" >/dev/null); then
    have=$(apt-cache "${apt_opts[@]}" showsrc librdkafka 2>/dev/null |
           sed -n 's/^Version: //p' | head -1)
    die "no librdkafka $DEB_VERSION in sid (sid has ${have:-none});" \
        "set ENR_RDKAFKA_VERSION"
fi
# Upstream's tree as released: Debian's patches (all about building with
# Debian's own cJSON, nanopb and regenerated OpenTelemetry headers, which
# Debian 12 lacks) are skipped, and librdkafka's bundled copies used.
src=$work/librdkafka-$UPSTREAM
(cd "$work" && dpkg-source --skip-patches -x "librdkafka_$DEB_VERSION.dsc" \
    "$src" >/dev/null) || die "dpkg-source -x librdkafka_$DEB_VERSION.dsc failed"
[ -f "$src/configure" ] || die "source not unpacked in $src"

# librdkafka's own configure (mklove), with the features Debian 12's
# libraries give; no downloads (--install-deps is not used).
echo "librdkafka/build.sh: building in $src, installing into $PREFIX" >&2
cd "$src"
./configure --prefix="$PREFIX" --enable-ssl --enable-sasl --enable-zstd \
            --enable-lz4-ext --enable-zlib --enable-curl >"$work/configure.log" 2>&1 ||
    { tail -40 "$work/configure.log" >&2; die "configure failed"; }
# The C library only (src/), not the C++ wrapper.
make -C src -j"$JOBS" lib >"$work/make.log" 2>&1 ||
    { tail -40 "$work/make.log" >&2; die "make failed"; }
rm -rf "$PREFIX"
make -C src install >"$work/install.log" 2>&1 ||
    { tail -40 "$work/install.log" >&2; die "make install failed"; }
echo "$DEB_VERSION" >"$STAMP"
report_version || die "the installed library does not work"
