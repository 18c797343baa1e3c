#!/usr/bin/env bash
# Install the Debian 12 packages huibao needs. `tools/deps.sh build` for building and making
# reports, `tools/deps.sh deb` adds what making the .deb needs (tools/deb.sh),
# `tools/deps.sh test` adds what the test suite uses (the .deb's included). Runs apt-get only when
# something is missing, so a second run costs nothing. `tools/deps.sh list build|deb|test` prints
# one list without installing (tools/test.sh hides the test list from a fresh-machine build).
#
# Every library a build needs goes into BUILD_PKGS (and CMakeLists.txt's hu_require); anything
# only the tests, CI or the fuzzers use goes into TEST_PKGS. python3 (standard library only)
# generates the man page and the bash completion at build time (packaging/gen.py). libzip,
# libxml2 and libxlsxwriter are loaded with dlopen at run time (src/ooxml.c, src/xlsxlib.c),
# but built against their headers: their -dev packages stay in the build list. libstdc++-12-dev
# (gcc-12's libstdc++.a) is linked into the executable with ICU's libicuuc.a (CMakeLists.txt
# HU_STATIC_DEPS); huibao itself is C.
set -euo pipefail
# The fonts-* packages are the default fallback fonts after the bundled ones (src/fonts.c
# sys_fonts, fonts/README.md): characters of names outside GB 2312 print with them. The test list's
# fonts-noto-cjk (CID-keyed CFF in a collection) and fonts-texgyre (name-keyed CFF) are the
# OpenType/CFF fonts tests/test_cff.c and tests/e2e_cff.sh embed.
BUILD_PKGS="cmake make gcc pkg-config libhpdf-dev libxlsxwriter-dev libcmark-gfm-dev
  libcmark-gfm-extensions-dev libfyaml-dev libharfbuzz-dev libunibreak-dev nettle-dev
  fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei fonts-hanazono libicu-dev libzip-dev libxml2-dev libdeflate-dev libminizip-dev libhyphen-dev hyphen-en-us libstdc++-12-dev python3"
# tools/deb.sh: dpkg-shlibdeps (the package's Depends) and file (CPack finds the ELF files)
DEB_PKGS="dpkg-dev file"
TEST_PKGS="libcmocka-dev poppler-utils qpdf python3-openpyxl valgrind clang
  libclang-rt-14-dev faketime libreoffice-calc-nogui clang-format git python3-jsonschema python3-yaml
  locales libc-l10n python3-jieba python3-pdfminer
  python3-docx libreoffice-writer-nogui libxml2-utils unzip man-db bash-completion weasyprint
  fonts-noto-cjk fonts-texgyre python3-fonttools"
if [ "${1:-}" = list ]; then
    case "${2:-}" in
    build) echo $BUILD_PKGS ;;
    deb) echo $DEB_PKGS ;;
    test) echo $TEST_PKGS ;;
    *) echo "用法：tools/deps.sh list build|deb|test" >&2; exit 2 ;;
    esac
    exit 0
fi
want="$BUILD_PKGS"
case "${1:-build}" in
deb) want="$want $DEB_PKGS" ;;
test) want="$want $DEB_PKGS $TEST_PKGS" ;;
esac
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
