#!/usr/bin/env bash
# The Debian 12 package, in one command:
#
#   bash tools/deb.sh [BUILD_DIR]     →  BUILD_DIR/huibao_VERSION_ARCH.deb (default build-deb/)
#
# Installs what is missing (tools/deps.sh deb), configures a clean release build for /usr
# with the source-tree lookup off (no path of this machine in the binary), builds it with
# Debian's compiler flags (dpkg-buildflags: hardening, -ffile-prefix-map) and packages it with
# CPack (packaging/cpack.cmake; Depends from dpkg-shlibdeps). SOURCE_DATE_EPOCH defaults to the
# last commit's time, so the same commit gives the same package bytes (tools/deb_test.sh builds
# twice and compares). Prints the package's path last.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh deb
build=${1:-build-deb}
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || true)
    [ -n "$SOURCE_DATE_EPOCH" ] || SOURCE_DATE_EPOCH=$(stat -c %Y CMakeLists.txt)
fi
export SOURCE_DATE_EPOCH
# Debian's flags for this folder; CMake reads CFLAGS and LDFLAGS, not CPPFLAGS (_FORTIFY_SOURCE).
# Without -g: the package ships a stripped binary, and the debugging information (which holds
# the build folder's path) would still change the binary's build ID from one folder to another.
eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all DEB_CFLAGS_MAINT_STRIP=-g dpkg-buildflags --export=sh)"
export CFLAGS="$CPPFLAGS $CFLAGS" LDFLAGS
# the locale and umask of the build machine must not reach the package
export LC_ALL=C.UTF-8 TZ=UTC
umask 022
# HU_STATIC_DEPS=ON: the libraries every run loads at start linked from their static archives
# (CMakeLists.txt says why; the package names them in Static-Built-Using); ON rather than the
# default AUTO, so that a machine without the archives fails here instead of making another package
cmake --fresh -S . -B "$build" -DCMAKE_BUILD_TYPE=None -DCMAKE_INSTALL_PREFIX=/usr \
    -DHU_DEV_SOURCE_LOOKUP=OFF -DBUILD_TESTING=OFF -DHU_WERROR=OFF -DHU_SANITIZE=OFF -DHU_STATIC_DEPS=ON >/dev/null
cmake --build "$build" --clean-first -j"$(nproc)" >/dev/null
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/huibao_*.deb)
echo "软件包：$deb"
