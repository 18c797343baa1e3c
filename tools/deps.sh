#!/usr/bin/env bash
# Install the Debian 12 packages huibao needs. `tools/deps.sh build` for building and making
# reports, `tools/deps.sh test` adds what the test suite uses. Runs apt-get only when
# something is missing, so a second run costs nothing.
set -euo pipefail
BUILD_PKGS="cmake make gcc pkg-config libhpdf-dev libxlsxwriter-dev libcmark-gfm-dev
  libcmark-gfm-extensions-dev libfyaml-dev libharfbuzz-dev libunibreak-dev nettle-dev libzip-dev libxml2-dev"
TEST_PKGS="libcmocka-dev poppler-utils qpdf python3 python3-openpyxl valgrind clang fonts-arphic-uming
  libclang-rt-14-dev faketime libreoffice-calc-nogui clang-format python3-docx
  libreoffice-writer-nogui libxml2-utils unzip"
want="$BUILD_PKGS"
[ "${1:-build}" = test ] && want="$want $TEST_PKGS"
missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "huibao: 正在安装缺少的软件包：$missing"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
