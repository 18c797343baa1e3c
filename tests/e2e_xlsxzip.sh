#!/usr/bin/env bash
# A workbook's zip entries are deflated by libdeflate, not by minizip's zlib (src/xlsxzip.c).
# 1. libxlsxwriter's minizip calls bind to huibao's definitions (the dynamic loader's own log).
# 2. Every entry of a sample workbook, of a long report's (parts past the memo's limit and the
#    first buffer) and of `new --xlsx`'s: deflate, CRC-32 and sizes right in both headers,
#    exactly libdeflate's raw deflate of the part at src/xlsxzip.h's level (libdeflate through
#    ctypes), inflated back by zlib; unzip -t and openpyxl (xlsxcheck.py) read it.
# 3. The pass-through path (HU_TEST_XLSX_ZLIB): every entry exactly zlib's level 6, as before,
#    with the same parts as the libdeflate workbook.
# 4. Deterministic: built twice, and in a -j 2 batch (whose workers keep a memo of unchanged
#    parts) against single builds, byte for byte; other outputs untouched by the hook.
set -uo pipefail
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
export SOURCE_DATE_EPOCH=1793836800
cp "$HU_SOURCE_DIR"/samples/2026-0[89].yaml "$HU_SOURCE_DIR"/samples/2026-10.yaml "$work/"
cd "$work" || exit 1
PY=/usr/bin/python3
CHECK="$HU_SOURCE_DIR/tests/xlsxzipcheck.py"
level=$(sed -n 's/^#define HU_XLSXZIP_LEVEL \([0-9]*\)$/\1/p' "$HU_SOURCE_DIR/src/xlsxzip.h")
[ -n "$level" ] && ok || bad "cannot read HU_XLSXZIP_LEVEL from src/xlsxzip.h"

# 1. bindings
mkdir -p bind
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$work/bind/log" "$HUIBAO" build -q 2026-10.yaml -o b -f xlsx 2>bind/err ||
    bad "build -f xlsx (bindings): $(head -3 bind/err)"
for f in zipOpenNewFileInZip4_64 zipWriteInFileInZip zipCloseFileInZip zipClose; do
    grep -h "normal symbol \`$f'" bind/log.* 2>/dev/null | grep -q "libxlsxwriter\.so[^ ]* \[0\] to $HUIBAO \[0\]" && ok ||
        bad "libxlsxwriter's $f is not bound to huibao's: $(grep -h "\`$f'" bind/log.* | head -2)"
done

# 2. libdeflate's entries
"$HUIBAO" build -q 2026-10.yaml -o one -f pdf,xlsx,md 2>err || bad "build: $(head -3 err)"
mkdir -p long && "$PY" "$HU_SOURCE_DIR/bench/gen_report.py" report --pages 80 --seed 7 long/2026-10.yaml >/dev/null 2>&1 ||
    bad "gen_report.py report failed"
"$HUIBAO" build -q long/2026-10.yaml -o long-out -f xlsx 2>/dev/null || bad "build of the long report failed"
"$HUIBAO" new 2026-11 --xlsx -q 2>err || bad "new --xlsx: $(head -3 err)"
new=$(ls 2026-11*.xlsx 2>/dev/null | head -1)
[ -n "$new" ] && ok || bad "new --xlsx wrote no workbook: $(ls)"
big=$("$PY" -c 'import sys, zipfile; print(max(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))' long-out/2026-10.xlsx)
[ "${big:-0}" -gt 131072 ] && ok || bad "the long report's largest part is ${big:-?} bytes: not past the memo's limit and the first buffer"
for x in one/2026-10.xlsx long-out/2026-10.xlsx $new; do
    out=$("$PY" "$CHECK" --libdeflate "$level" "$x" 2>&1) && ok || bad "$x: $out"
    unzip -tq "$x" >/dev/null 2>&1 && ok || bad "unzip -t $x: $(unzip -tq "$x" 2>&1 | tail -2)"
done
out=$("$PY" "$HU_SOURCE_DIR/tests/xlsxcheck.py" one/2026-10.xlsx 2>&1) && ok || bad "xlsxcheck.py: $out"

# 3. pass-through
HU_TEST_XLSX_ZLIB=1 "$HUIBAO" build -q 2026-10.yaml -o zl -f pdf,xlsx,md 2>err || bad "HU_TEST_XLSX_ZLIB build: $(head -3 err)"
out=$("$PY" "$CHECK" --zlib zl/2026-10.xlsx 2>&1) && ok || bad "HU_TEST_XLSX_ZLIB: $out"
out=$("$PY" "$CHECK" --same-parts zl/2026-10.xlsx one/2026-10.xlsx 2>&1) && ok || bad "zlib vs libdeflate: $out"
cmp -s zl/2026-10.xlsx one/2026-10.xlsx && bad "HU_TEST_XLSX_ZLIB: the same bytes as libdeflate's workbook (the hook does nothing)" || ok
for e in pdf md; do cmp -s zl/2026-10.$e one/2026-10.$e && ok || bad "HU_TEST_XLSX_ZLIB changed the .$e"; done

# 4. deterministic
"$HUIBAO" build -q 2026-10.yaml -o two -f xlsx 2>/dev/null
cmp -s one/2026-10.xlsx two/2026-10.xlsx && ok || bad "two builds: the workbooks differ"
"$HUIBAO" build -q 2026-08.yaml 2026-09.yaml 2026-10.yaml -o batch -f xlsx -j 2 2>/dev/null || bad "batch -j 2 failed"
for m in 08 09 10; do
    "$HUIBAO" build -q 2026-$m.yaml -o single-$m -f xlsx 2>/dev/null
    cmp -s batch/2026-$m.xlsx single-$m/2026-$m.xlsx && ok || bad "2026-$m: the -j 2 batch's workbook differs from a single build's"
done

finish "e2e_xlsxzip"
