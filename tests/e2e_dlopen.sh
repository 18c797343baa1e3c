#!/usr/bin/env bash
# Libraries loaded with dlopen on first use (src/dynlib.h), not by the dynamic loader at start.
# ICU (word segmentation of titles and table cells, src/segment.c): neither libicuuc, libicudata
# nor libstdc++, which only ICU needs, is in the executable's DT_NEEDED. The library segment.c
# loads with dlopen is libicuuc (with libicudata and libstdc++) in a shared build, libicudata
# alone where ICU is linked from libicuuc.a (HU_ICU_STATIC=ON, CMakeLists.txt HU_STATIC_DEPS;
# tests/CMakeLists.txt passes it): then a PDF run loads neither libicuuc nor libstdc++ nor
# libgcc_s, and no symbol of the archives is exported (a DOCX's libxml2 loads the shared ICU,
# which must bind to its own copy and to the real data). Either way a run without a PDF or DOCX
# (-f md, -f xlsx, check -f md, --version) never loads that library, a PDF run does (the dynamic
# loader's own log, LD_DEBUG=libs into a file, so the probe is known to see it). A machine
# without it (HU_TEST_NO_LIB, dynlib.h's test hook: dlopen then fails with its own message) gets
# a Chinese error at the PDF's or the DOCX's path naming the package, exit 1 and no output;
# check says the same; -f md,xlsx is not affected. HarfBuzz (src/hblib.c, every run that opens fonts): not in
# DT_NEEDED, not loaded by --version or new; without it a build fails with the message naming
# its package and writes nothing. Outputs themselves are compared with the goldens elsewhere.
#
# libhyphen (src/linebreak.c) is loaded with dlopen at the first English word to hyphenate: not
# in DT_NEEDED, and the sample 2026-10, which has none, never loads it (e2e_justify checks that
# a report with such words is hyphenated). libunibreak (src/linebreak.c, line breaking of a PDF
# or DOCX) likewise: not in DT_NEEDED, loaded by a PDF run, not by -f md or --version; without
# it a PDF build fails with the message naming its package and writes nothing. libharu
# (src/hpdflib.h, the PDF's writer, with libpng16 and zlib) likewise: not in DT_NEEDED, loaded by
# a PDF run, not by -f md or --version (nor is libpng16 by --version); without it the PDF
# build fails so.
#
# libxlsxwriter is loaded with dlopen only when a workbook is made (src/xlsxlib.c): it is not in
# the executable's DT_NEEDED (nor libcrypto or libminizip, which it brings); a run without a
# workbook (-f pdf,md, -f md, check -f pdf, --version, new without --xlsx) never loads it, as the
# dynamic loader's own log says (LD_DEBUG=libs into a file: stderr is muted while a workbook is
# written); a run with one does (the same log, so the probe is known to see it), and the
# library's temporary files come from huibao's lxw_tmpfile (in memory). A machine
# without it (HU_TEST_NO_LIB, dynlib.h's test hook: dlopen fails with its own message) gets a
# Chinese message at the workbook's path naming the package, exit 1 and no partial output;
# check says the same; a run without a workbook is not affected.
set -uo pipefail
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
export SOURCE_DATE_EPOCH=1793836800
cp "$HU_SOURCE_DIR"/samples/2026-0[89].yaml "$HU_SOURCE_DIR"/samples/2026-10.yaml "$work/"
cd "$work" || exit 1

# no_lib SONAME DIR FORMATS MESSAGE: a build of FORMATS into DIR with SONAME hidden
# (HU_TEST_NO_LIB) exits 1, prints MESSAGE and leaves DIR empty; its output stays in $out.
no_lib() {
    local rc
    out=$(HU_TEST_NO_LIB=$1 "$HUIBAO" build -q 2026-10.yaml -o "$2" -f "$3" 2>&1)
    rc=$?
    [ $rc = 1 ] && ok || bad "no $1: exit $rc, expected 1"
    grep -qF "$4" <<<"$out" && ok || bad "no $1: no message \"$4\": $out"
    [ -z "$(ls -A "$2" 2>/dev/null)" ] && ok || bad "no $1: partial output: $(ls "$2" | tr "\n" " ")"
}

command -v readelf >/dev/null || { echo "FAIL: readelf not installed (binutils)"; exit 1; }
needed=$(readelf -d "$HUIBAO" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] && ok || bad "readelf -d shows no NEEDED entry at all"
for lib in libicuuc libicudata libstdc++ libharfbuzz libharfbuzz-subset libglib-2.0 libfreetype; do
    grep -q "^$lib\.so" <<<"$needed" && bad "$lib is in DT_NEEDED: $(tr '\n' ' ' <<<"$needed")" || ok
done
icu=libicuuc # the library segment.c loads
[ "${HU_ICU_STATIC:-}" = ON ] && icu=libicudata
soname=$(ldconfig -p | awk -v l="$icu" '$1 ~ "^" l "\\.so\\.[0-9]+$" {print $1; exit}')
[ -n "$soname" ] && ok || bad "cannot tell $icu's soname"

# loaded LIB LABEL ARGS...: 0 when the dynamic loader's log of that run (every process and
# thread) shows LIB initialised; the log stays in ld$n/ for further checks
n=0
loaded() {
    local lib=$1 label=$2
    shift 2
    n=$((n + 1))
    mkdir -p "ld$n"
    LD_DEBUG=libs LD_DEBUG_OUTPUT="$work/ld$n/log" "$@" >"ld$n/out" 2>"ld$n/err"
    local rc=$?
    [ $rc = 0 ] || bad "$label: exit $rc: $(head -3 "ld$n/err")"
    ls "ld$n"/log.* >/dev/null 2>&1 || bad "$label: LD_DEBUG wrote no log (the probe sees nothing)"
    cat "ld$n"/log.* 2>/dev/null | grep -q "calling init: .*$lib\.so"
}
loaded $icu "build -f pdf" "$HUIBAO" build -q 2026-10.yaml -o o1 -f pdf && ok ||
    bad "build -f pdf: LD_DEBUG=libs does not show $icu loaded (the probe is blind)"
if [ "$icu" = libicudata ]; then
    for lib in libicuuc libstdc++ libgcc_s; do
        grep -q "calling init: .*$lib\.so" ld1/log.* && bad "ICU linked, yet build -f pdf loaded $lib" || ok
        grep -q "^$lib\.so" <<<"$needed" && bad "ICU linked, yet $lib is in DT_NEEDED" || ok
    done
fi
loaded $icu "build -f docx -j 2" "$HUIBAO" build -q 2026-09.yaml 2026-10.yaml -o o2 -f docx -j 2 && ok ||
    bad "build -f docx -j 2: ICU not loaded"
for args in "build -q 2026-10.yaml -o o3 -f md" "build -q 2026-10.yaml -o o4 -f xlsx,md" \
    "check -q 2026-10.yaml -f md" "--version"; do
    read -r -a argv <<<"$args"
    loaded $icu "$args" "$HUIBAO" "${argv[@]}" && bad "huibao $args loaded ICU" || ok
    # a sanitizer build's runtime (libasan) brings libstdc++ itself
    grep -q '^libasan' <<<"$needed" || { cat "ld$n"/log.* | grep -q 'calling init: .*libstdc++\.so' && bad "huibao $args loaded libstdc++" || ok; }
done
grep -q 'calling init: .*libharfbuzz-subset\.so' ld1/log.* && ok || bad "build -f pdf: HarfBuzz not loaded (the probe is blind)"
grep -q '^libhyphen\.so' <<<"$needed" && bad "libhyphen is in DT_NEEDED: $(tr '\n' ' ' <<<"$needed")" || ok
grep -q 'calling init: .*libhyphen\.so' ld1/log.* && bad "build -f pdf of 2026-10 (no word to hyphenate) loaded libhyphen" || ok
grep -q '^libunibreak\.so' <<<"$needed" && bad "libunibreak is in DT_NEEDED: $(tr '\n' ' ' <<<"$needed")" || ok
grep -q 'calling init: .*libunibreak\.so' ld1/log.* && ok || bad "build -f pdf: libunibreak not loaded (the probe is blind)"
for args in "build -q 2026-10.yaml -o ub1 -f md" "--version"; do
    read -r -a argv <<<"$args"
    loaded libunibreak "$args" "$HUIBAO" "${argv[@]}" && bad "huibao $args loaded libunibreak" || ok
done
ub=$(ldconfig -p | awk '$1 ~ /^libunibreak\.so\.[0-9]+$/ {print $1; exit}')
no_lib "$ub" noub pdf,md "noub/2026-10.pdf: 错误: 无法加载 $ub（PDF 和 .docx 的断行需要它）"
grep -q '^libhpdf' <<<"$needed" && bad "libhpdf is in DT_NEEDED: $(tr '\n' ' ' <<<"$needed")" || ok
grep -q 'calling init: .*libhpdf-[0-9.]*\.so' ld1/log.* && ok || bad "build -f pdf: libharu not loaded (the probe is blind)"
for args in "build -q 2026-10.yaml -o hp1 -f md" "--version"; do
    read -r -a argv <<<"$args"
    loaded 'libhpdf-[0-9.]*' "$args" "$HUIBAO" "${argv[@]}" && bad "huibao $args loaded libharu" || ok
done
# (a build opens its fonts: HarfBuzz brings FreeType and with it libpng16)
cat "ld$n"/log.* | grep -q 'calling init: .*libpng16\.so' && bad "huibao --version loaded libpng16" || ok
hp=$(ldconfig -p | awk '$1 ~ /^libhpdf-[0-9.]+\.so$/ {print $1; exit}')
no_lib "$hp" nohp pdf,md "nohp/2026-10.pdf: 错误: 无法加载 $hp（生成 PDF 文件需要它）"
for args in "--version" "new 2026-11 -q"; do
    read -r -a argv <<<"$args"
    loaded libharfbuzz "$args" "$HUIBAO" "${argv[@]}"
    cat "ld$n"/log.* | grep -q 'calling init: .*libharfbuzz' && bad "huibao $args loaded HarfBuzz" || ok
done
rm -f 2026-11.yaml
[ -s o1/2026-10.pdf ] && [ -s o2/2026-09.docx ] && [ -s o3/2026-10.md ] && [ -s o4/2026-10.xlsx ] && ok ||
    bad "an output is missing"

# the library missing
export HU_TEST_NO_LIB=$soname
pkg=$(dpkg -S "$(readlink -f "$(ldconfig -p | awk -v s="$soname" '$1 == s {print $NF; exit}')")" 2>/dev/null | cut -d: -f1)
msg="无法加载 $soname（标题和表格的中文分词需要它）"
for f in pdf docx; do
    out=$("$HUIBAO" build -q 2026-10.yaml -o miss-$f -f $f,md 2>&1)
    rc=$?
    [ $rc = 1 ] && ok || bad "no ICU, -f $f: exit $rc, expected 1"
    grep -qF "miss-$f/2026-10.$f: 错误: $msg" <<<"$out" && ok || bad "no ICU, -f $f: no message at the output's path: $out"
    [ -z "$pkg" ] || grep -qF "请安装 Debian 软件包 $pkg" <<<"$out" && ok || bad "no ICU: the message does not name $pkg: $out"
    [ -z "$(ls -A miss-$f 2>/dev/null)" ] && ok || bad "no ICU, -f $f: partial output: $(ls miss-$f | tr "\n" " ")"
done
out=$("$HUIBAO" check 2026-10.yaml -f pdf 2>&1)
rc=$?
[ $rc = 1 ] && grep -qF "$msg" <<<"$out" && ok || bad "no ICU: check -f pdf exit $rc (expected 1 with the message): $out"
"$HUIBAO" build -q 2026-10.yaml -o fine -f md,xlsx 2>err && [ -s fine/2026-10.md ] && [ -s fine/2026-10.xlsx ] && ok ||
    bad "no ICU: -f md,xlsx failed: $(head -3 err)"

unset HU_TEST_NO_LIB

# HarfBuzz missing
hb=$(ldconfig -p | awk '$1 ~ /^libharfbuzz-subset\.so\.[0-9]+$/ {print $1; exit}')
hbpkg=$(dpkg -S "$(readlink -f "$(ldconfig -p | awk -v s="$hb" '$1 == s {print $NF; exit}')")" 2>/dev/null | cut -d: -f1)
no_lib "$hb" nohb pdf,xlsx,md "无法加载 $hb（读取和嵌入字体需要它）"
[ -z "$hbpkg" ] || grep -qF "请安装 Debian 软件包 $hbpkg" <<<"$out" && ok || bad "no HarfBuzz: the message does not name $hbpkg: $out"


# libxlsxwriter (src/xlsxlib.c)
# 1. not linked
command -v readelf >/dev/null || { echo "FAIL: readelf not installed (binutils)"; exit 1; }
needed=$(readelf -d "$HUIBAO" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] && ok || bad "readelf -d shows no NEEDED entry at all"
for lib in libxlsxwriter libcrypto libminizip; do
    grep -q "^$lib\.so" <<<"$needed" && bad "$lib is in DT_NEEDED: $(tr '\n' ' ' <<<"$needed")" || ok
done

# 2. loaded only by a run that makes a workbook
loaded libxlsxwriter "build -f pdf,xlsx,md" "$HUIBAO" build -q 2026-10.yaml -o xo1 -f pdf,xlsx,md && ok ||
    bad "build -f pdf,xlsx,md: LD_DEBUG=libs does not show libxlsxwriter loaded (the probe is blind)"
loaded libxlsxwriter "build -f xlsx -j 2" "$HUIBAO" build -q 2026-09.yaml 2026-10.yaml -o xo2 -f xlsx -j 2 && ok ||
    bad "build -f xlsx -j 2: a worker's workbook did not load libxlsxwriter"
[ -s xo1/2026-10.xlsx ] && [ -s xo2/2026-09.xlsx ] && [ -s xo2/2026-10.xlsx ] && ok || bad "no workbook written"
for args in "build -q 2026-10.yaml -o xo3 -f pdf,md" "build -q 2026-10.yaml -o xo4 -f md" \
    "build -q 2026-09.yaml 2026-10.yaml -o xo5 -f pdf,md -j 2" "check -q 2026-10.yaml -f pdf" \
    "--version" "new 2026-11 -q"; do
    read -r -a argv <<<"$args"
    loaded libxlsxwriter "$args" "$HUIBAO" "${argv[@]}" && bad "huibao $args loaded libxlsxwriter: $(cat ld$n/log.* | grep -m3 'xlsxwriter\|libcrypto')" || ok
    cat "ld$n"/log.* | grep -q 'calling init: .*libcrypto\.so' && bad "huibao $args loaded libcrypto" || ok
done
[ -s xo3/2026-10.pdf ] && [ -s xo3/2026-10.md ] && [ -s 2026-11.yaml ] && ok || bad "pdf,md or new wrote nothing"
rm -f 2026-11.yaml

# 3. its temporary files are in memory: the library binds lxw_tmpfile to huibao's (xlsxlib.c)
mkdir -p bind
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$work/bind/log" "$HUIBAO" build -q 2026-10.yaml -o xo6 -f xlsx 2>bind/err ||
    bad "build -f xlsx (bindings): $(head -3 bind/err)"
# and so are its XML attributes (xlsxlib.c: the same strings without 4 KB of padding each)
for f in lxw_tmpfile lxw_new_attribute_str lxw_new_attribute_int lxw_new_attribute_dbl; do
    grep -h "\`$f'" bind/log.* 2>/dev/null | grep -q "libxlsxwriter\.so[^ ]* \[0\] to $HUIBAO \[0\]" && ok ||
        bad "libxlsxwriter's $f is not bound to huibao's: $(grep -h "$f" bind/log.* | head -2)"
done

# 4. the library missing
lxw=$(ldconfig -p | awk '$1 ~ /^libxlsxwriter\.so\.[0-9]+$/ {print $1; exit}')
export HU_TEST_NO_LIB=$lxw
msg="无法加载 $lxw（生成 .xlsx 工作簿需要它）"
pkg=$(dpkg -S "$(readlink -f "$(ldconfig -p | awk '$1 == "libxlsxwriter.so.4" {print $NF; exit}')")" 2>/dev/null | cut -d: -f1)
out=$("$HUIBAO" build -q 2026-10.yaml -o xmiss -f pdf,xlsx,md 2>&1)
rc=$?
[ $rc = 1 ] && ok || bad "missing library: build exit $rc, expected 1 (a build failure)"
grep -qF "xmiss/2026-10.xlsx: 错误: $msg" <<<"$out" && ok || bad "missing library: no message at the workbook's path: $out"
[ -z "$pkg" ] || grep -qF "请安装 Debian 软件包 $pkg" <<<"$out" && ok || bad "missing library: the message does not name $pkg: $out"
[ -z "$(ls -A xmiss 2>/dev/null)" ] && ok || bad "missing library: partial output: $(ls xmiss | tr "\n" " ")"
out=$("$HUIBAO" check 2026-10.yaml 2>&1)
rc=$?
[ $rc = 1 ] && grep -qF "$msg" <<<"$out" && ok || bad "missing library: check exit $rc (expected 1 with the message): $out"
out=$("$HUIBAO" new 2026-11 --xlsx -q 2>&1)
rc=$?
[ $rc = 1 ] && grep -qF "2026-11-指标.xlsx: 错误: $msg" <<<"$out" && ok || bad "missing library: new --xlsx exit $rc: $out"
[ ! -e 2026-11.yaml ] && [ ! -e 2026-11-指标.xlsx ] && ok || bad "missing library: new left files: $(ls | tr "\n" " ")"
"$HUIBAO" build -q 2026-10.yaml -o xfine -f pdf,md && [ -s xfine/2026-10.pdf ] && ok ||
    bad "missing library: a build without a workbook failed"
unset HU_TEST_NO_LIB

# 5. libxlsxwriter's libcrypto replaced (src/shim/md5.c, dynlib.h hu_dynlib_open_md5): a build
# making a workbook loads libhuibao-md5.so (beside the binary in a build folder, or in
# BIN/../LIBDIR/huibao) and never the real libcrypto.so.N; a run that also makes a DOCX loads the
# real one (libzip needs it whole) and not the replacement; without the replacement, or with
# one libxlsxwriter refuses (a stand-in lacking MD5_Update: -z now fails the load), the workbook
# is made as before, with the real libcrypto, byte for byte the same.
shim=$(dirname "$HUIBAO")/libhuibao-md5.so
if [ -f "$shim" ]; then
    crypto=$(readelf -d "$shim" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    [[ $crypto == libcrypto.so.* ]] && ok || bad "libhuibao-md5.so's soname is \"$crypto\", not libcrypto's"
    inits() { cat "ld$n"/log.* 2>/dev/null | grep 'calling init: '; }
    loaded libxlsxwriter "build -f pdf,xlsx,md" "$HUIBAO" build -q 2026-10.yaml -o md1 -f pdf,xlsx,md || bad "md1: no libxlsxwriter"
    inits | grep -q 'calling init: .*/libhuibao-md5\.so$' && ok || bad "build -f pdf,xlsx,md: libhuibao-md5.so not loaded"
    inits | grep -q "calling init: .*/$crypto\$" && bad "build -f pdf,xlsx,md: the real $crypto loaded" || ok
    loaded libxlsxwriter "build -f xlsx,docx" "$HUIBAO" build -q 2026-10.yaml -o md2 -f xlsx,docx || bad "md2: no libxlsxwriter"
    inits | grep -q "calling init: .*/$crypto\$" && ok || bad "build -f xlsx,docx: the real $crypto not loaded"
    inits | grep -q 'calling init: .*/libhuibao-md5\.so$' && bad "build -f xlsx,docx: libhuibao-md5.so loaded" || ok
    cmp -s md1/2026-10.xlsx md2/2026-10.xlsx && ok || bad "the workbooks with and without libhuibao-md5.so differ"
    # an installed tree: BIN/huibao and BIN/../LIBDIR/huibao/libhuibao-md5.so
    libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "${HU_BUILD_DIR:?}/CMakeCache.txt")
    mkdir -p tree/bin "tree/$libdir/huibao" alone
    cp "$HUIBAO" tree/bin/huibao && cp "$shim" "tree/$libdir/huibao/" && cp "$HUIBAO" alone/huibao
    loaded libxlsxwriter "installed tree" tree/bin/huibao build -q 2026-10.yaml -o md3 -f xlsx || bad "md3: no libxlsxwriter"
    inits | grep -qF "calling init: $work/tree/$libdir/huibao/libhuibao-md5.so" && ok ||
        bad "a tree's bin/huibao does not load ../$libdir/huibao/libhuibao-md5.so: $(inits | grep -m2 'md5\|crypto')"
    # without it (unless installed at the binary's install path, which a test cannot hide)
    loaded libxlsxwriter "no libhuibao-md5.so" alone/huibao build -q 2026-10.yaml -o md4 -f pdf,xlsx,md || bad "md4: no libxlsxwriter"
    inits | grep -q "calling init: .*/$crypto\$" && ok || bad "without libhuibao-md5.so: the real $crypto not loaded"
    # a replacement libxlsxwriter refuses: loaded again without it
    mkdir -p refuse
    printf 'int MD5_Init(void *c);\nint MD5_Init(void *c) { (void)c; return 1; }\n' >refuse/md5.c
    printf 'OPENSSL_3.0.0 { global: MD5_Init; local: *; };\n' >refuse/md5.map
    cp "$HUIBAO" refuse/huibao
    if ${CC:-cc} -shared -fPIC -o refuse/libhuibao-md5.so refuse/md5.c -Wl,-soname,"$crypto" \
        -Wl,--version-script,refuse/md5.map 2>refuse/cc.log; then
        loaded libxlsxwriter "refused" refuse/huibao build -q 2026-10.yaml -o md5 -f pdf,xlsx,md || bad "md5: no libxlsxwriter"
        inits | grep -qF "calling init: $work/refuse/libhuibao-md5.so" && ok || bad "the stand-in was not tried"
        inits | grep -q "calling init: .*/$crypto\$" && ok || bad "refused: the real $crypto not loaded"
        [ ! -s "ld$n/err" ] && ok || bad "refused: messages: $(head -3 "ld$n/err")"
    else
        bad "cannot compile the stand-in: $(head -3 refuse/cc.log)"
    fi
    for d in md3 md4 md5; do
        cmp -s md1/2026-10.xlsx $d/2026-10.xlsx && ok || bad "$d: the workbook differs from the one made with libhuibao-md5.so"
    done
    cmp -s md1/2026-10.pdf md4/2026-10.pdf && cmp -s md1/2026-10.pdf md5/2026-10.pdf && ok || bad "the PDFs differ"
else
    grep -q '^HU_LIBCRYPTO_FILE:FILEPATH=/' "$HU_BUILD_DIR/CMakeCache.txt" 2>/dev/null && bad "libhuibao-md5.so configured but not beside $HUIBAO" || ok
fi

# 5b. HarfBuzz's FreeType, GLib and Graphite2 replaced (src/shim/standin.c, dynlib.h
# hu_dynlib_open_hb): a PDF build loads the libhuibao-hb-*.so stand-ins (beside the binary in a
# build folder, or in BIN/../LIBDIR/huibao) and none of the real libraries, nor what they bring
# (libbrotlidec, libpcre2-8); without the stand-ins, or with one HarfBuzz refuses (a function
# missing: HarfBuzz is linked with -z now), the real ones are loaded and the PDF is byte for byte
# the same; a stand-in called would abort, and no build here does.
standins=$(ls "$(dirname "$HUIBAO")"/libhuibao-hb-*.so 2>/dev/null)
if [ -n "$standins" ]; then
    inits() { cat "ld$n"/log.* 2>/dev/null | grep 'calling init: '; }
    loaded libharfbuzz "build -f pdf,xlsx,md,docx (stand-ins)" "$HUIBAO" build -q 2026-10.yaml -o hb1 -f pdf,xlsx,md,docx ||
        bad "hb1: HarfBuzz not loaded"
    for s in $standins; do
        so=$(readelf -d "$s" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
        inits | grep -qF "calling init: $s" && ok || bad "$(basename "$s") not loaded"
        inits | grep -q "calling init: .*/$so\$" && bad "the real $so loaded beside its stand-in" || ok
    done
    for lib in libbrotlidec libpcre2-8; do
        inits | grep -q "calling init: .*/$lib\.so" && bad "$lib loaded: a stand-in was not used" || ok
    done
    [ ! -s "ld$n/err" ] && ok || bad "stand-ins: messages: $(head -3 "ld$n/err")"
    # without them (unless installed at the binary's install path, which a test cannot hide)
    mkdir -p hbalone && cp "$HUIBAO" hbalone/huibao
    loaded libfreetype "no stand-ins" hbalone/huibao build -q 2026-10.yaml -o hb2 -f pdf && ok ||
        bad "without the stand-ins: the real libfreetype not loaded"
    # one HarfBuzz refuses: a FreeType stand-in without the functions
    mkdir -p hbrefuse && cp "$HUIBAO" hbrefuse/huibao
    for s in $standins; do cp "$s" hbrefuse/; done
    ft=$(readelf -d "$(dirname "$HUIBAO")/libhuibao-hb-freetype.so" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    if [ -n "$ft" ]; then
        printf 'int hu_nothing(void);\nint hu_nothing(void) { return 0; }\n' >hbrefuse/ft.c
        if ${CC:-cc} -shared -fPIC -o hbrefuse/libhuibao-hb-freetype.so hbrefuse/ft.c -Wl,-soname,"$ft" \
            2>hbrefuse/cc.log; then
            loaded libfreetype "refused stand-in" hbrefuse/huibao build -q 2026-10.yaml -o hb3 -f pdf && ok ||
                bad "refused: the real $ft not loaded"
            inits | grep -qF "calling init: $work/hbrefuse/libhuibao-hb-freetype.so" && ok || bad "the refused stand-in was not tried"
            [ ! -s "ld$n/err" ] && ok || bad "refused: messages: $(head -3 "ld$n/err")"
        else
            bad "cannot compile the refused stand-in: $(head -3 hbrefuse/cc.log)"
        fi
        cmp -s hb1/2026-10.pdf hb3/2026-10.pdf && ok || bad "hb3: the PDF differs from the one made with the stand-ins"
    fi
    cmp -s hb1/2026-10.pdf hb2/2026-10.pdf && ok || bad "hb2: the PDF differs from the one made with the stand-ins"
fi

# 5c. The libraries a report loads, opened by the full paths the build found, their dependencies
# first (dynlib.c, "by path"): the dynamic loader searches for none of them (LD_DEBUG=libs logs
# each search as "find library="), only for libc and libm at start; with LD_LIBRARY_PATH set it
# searches for them again (the user's copies win), and the outputs are the same either way.
if grep -q 'HU_DYNLIB_PATHS=' "${HU_BUILD_DIR:?}/CMakeFiles/huibao_core.dir/flags.make" 2>/dev/null; then
    searched() { cat "ld$n"/log.* 2>/dev/null | sed -n 's/.*find library=\([^ ]*\).*/\1/p' | sort -u | tr '\n' ' '; }
    loaded libharfbuzz-subset "by path" "$HUIBAO" build -q 2026-10.yaml -o lp1 -f pdf,xlsx,md || bad "lp1: HarfBuzz not loaded"
    s=$(searched)
    for lib in libharfbuzz-subset libharfbuzz libhpdf libpng16 libxlsxwriter libminizip; do
        grep -q "$lib[-.0-9]*\.so" <<<"$s" && bad "by path: $lib searched for: $s" || ok
    done
    loaded libharfbuzz-subset "LD_LIBRARY_PATH" env LD_LIBRARY_PATH=/nonexistent "$HUIBAO" build -q 2026-10.yaml -o lp2 -f pdf,xlsx,md ||
        bad "lp2: HarfBuzz not loaded"
    grep -q "libharfbuzz-subset\.so" <<<"$(searched)" && ok || bad "LD_LIBRARY_PATH set: HarfBuzz not searched for"
    cmp -s lp1/2026-10.pdf lp2/2026-10.pdf && cmp -s lp1/2026-10.xlsx lp2/2026-10.xlsx && ok ||
        bad "by path and by soname: the outputs differ"
fi

# 6. The libraries every run needs at start (CMakeLists.txt HU_STATIC_DEPS): linked from their
# static archives when the build says so (HU_STATIC_LINKED=ON, tests/CMakeLists.txt passes it),
# else shared. Static or not: libc first in DT_NEEDED (CMakeLists.txt says why; not in a
# sanitizer build), and no symbol of those libraries in the executable's dynamic symbol table
# (the libraries loaded with dlopen must keep binding to their own copies, and only lxw_tmpfile,
# lxw_new_attribute_* and the minizip functions are meant to be interposed); nettle's SHA-256 still picks the SHA-NI
# code on a CPU that has it (its fat-binary selection, NETTLE_FAT_VERBOSE, runs at start either way).
needed=$(readelf -d "$HUIBAO" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
for lib in libcmark-gfm libcmark-gfm-extensions libfyaml libnettle libdeflate; do
    if [ "${HU_STATIC_LINKED:-}" = ON ]; then
        grep -q "^$lib\.so" <<<"$needed" && bad "static build: $lib is in DT_NEEDED: $(tr '\n' ' ' <<<"$needed")" || ok
        loaded "$lib" "--version ($lib)" "$HUIBAO" --version && bad "static build: --version loaded $lib" || ok
    else
        grep -q "^$lib\.so" <<<"$needed" && ok || bad "shared build: $lib is not in DT_NEEDED: $(tr '\n' ' ' <<<"$needed")"
    fi
done
grep -q '^libasan' <<<"$needed" || { [ "$(head -1 <<<"$needed")" = libc.so.6 ] && ok || bad "libc is not first in DT_NEEDED: $(tr '\n' ' ' <<<"$needed")"; }
exported=$(nm -D --defined-only "$HUIBAO" | awk '{print $3}')
grep -qx lxw_tmpfile <<<"$exported" && grep -qx zipClose <<<"$exported" && ok || bad "lxw_tmpfile, zipClose not exported: $exported"
grep -E '^(_?cmark|_?fy_|_?nettle|libdeflate|XXH|u[a-z]+_[a-zA-Z]+_[0-9]+$|icudt|_ZN6icu_|_ZNS|_ZNKS|_ZSt|_Znw|_Zdl|__cxa_|__gxx_|_Unwind_)' <<<"$exported" &&
    bad "the executable exports symbols of its libraries" || ok
# ICU linked (src/segment.c) and the shared ICU a DOCX's libxml2 loads, in one process: the
# document still comes out, the same as a build without a PDF in the same process makes it
if [ "$icu" = libicudata ]; then
    "$HUIBAO" build -q 2026-10.yaml -o both -f pdf,docx 2>err && cmp -s both/2026-10.docx o2/2026-10.docx && ok ||
        bad "ICU linked: -f pdf,docx differs from -f docx or fails: $(head -3 err)"
fi
if grep -qw sha_ni /proc/cpuinfo; then
    # (the whole output first: with pipefail, grep -q closing the pipe early fails the writer)
    out=$(NETTLE_FAT_VERBOSE=1 "$HUIBAO" --version 2>&1)
    grep -q 'using sha_ni instructions' <<<"$out" && ok || bad "nettle does not use SHA-NI: $(tr '\n' ' ' <<<"$out")"
fi

finish "e2e_dlopen"
