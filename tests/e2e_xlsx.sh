#!/bin/bash
# e2e_xlsx.sh - the workbook read back by independent tools.
#  1. test_xlsx writes the hand-built sample view and its JSON dump; tests/xlsxcheck.py
#     (Debian's python3-openpyxl) checks every value, formula, format, pane, filter, print
#     setting, chart and property against it.
#  2. Every sample built by huibao (-f xlsx) is checked for structure and cached results.
#  3. LibreOffice headless (package libreoffice-calc-nogui) opens the workbook: a copy whose
#     cached results were zeroed is recalculated and must give our figures back; the workbook
#     is also printed to PDF (xlsx_e2e/*.pdf) for a person to look at. Skipped when soffice is
#     absent.
# Outputs stay in $HU_BUILD_DIR/tests/xlsx_e2e for inspection.
set -u
BUILD=${HU_BUILD_DIR:-$(pwd)/..}
SRC=${HU_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
PY=/usr/bin/python3
CHECK="$SRC/tests/xlsxcheck.py"
OUT="$BUILD/tests/xlsx_e2e"
rm -rf "$OUT" && mkdir -p "$OUT"
fail=0

if ! $PY -c 'import openpyxl' 2>/dev/null; then
    echo "FAIL: /usr/bin/python3 lacks openpyxl (apt-get install python3-openpyxl)"
    exit 1
fi

# 1. the hand-built view
TEST="$BUILD/tests/test_xlsx"
if [ ! -x "$TEST" ]; then
    echo "FAIL: $TEST not built"
    exit 1
fi
if ! HU_XLSX_OUT="$OUT" "$TEST" >"$OUT/test_xlsx.log" 2>&1; then
    cat "$OUT/test_xlsx.log"
    echo "FAIL: test_xlsx"
    exit 1
fi
$PY "$CHECK" "$OUT/xlsx_sample.xlsx" "$OUT/xlsx_sample.json" || fail=1
# ~~三季度~~ in the sample's Markdown: a struck-out run of its own in the 正文 cell, the rest of
# the paragraph not struck (openpyxl 3.0 reads rich text as plain, so read the XML).
$PY - "$OUT/xlsx_sample.xlsx" <<'PYEOF' || fail=1
import re, sys, zipfile
xml = zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode()
si = [s for s in re.findall(r"<si>(.*?)</si>", xml, re.S) if "三季度" in s]
runs = re.findall(r"<r>(.*?)</r>", si[0], re.S) if len(si) == 1 else []
struck = [re.sub(r"<[^>]+>", "", r.split("</rPr>")[-1]) for r in runs if "<strike/>" in r]
plain = "".join(re.sub(r"<[^>]+>", "", r.split("</rPr>")[-1]) for r in runs)
ok = struck == ["三季度"] and plain.endswith("原定三季度年底完成。")
print("ok: ~~三季度~~ is a struck run" if ok else f"FAIL: struck runs {struck!r} in {plain!r}")
# a paragraph struck as a whole: a plain string in a cell whose format strikes it out
from openpyxl import load_workbook
ws = load_workbook(sys.argv[1])["正文"]
cell = [c for c in ws["D"] if c.value == "整段删去的计划。"]
whole = len(cell) == 1 and cell[0].font.strike and cell[0].alignment.wrap_text
print("ok: a whole struck paragraph is a struck cell" if whole else "FAIL: whole struck paragraph")
sys.exit(0 if ok and whole else 1)
PYEOF
# an empty view and a hostile one (control characters, a 60 KB paragraph) still give workbooks
# that a reader opens
for f in xlsx_empty xlsx_hostile; do
    if $PY -c 'import openpyxl,sys; openpyxl.load_workbook(sys.argv[1])' "$OUT/$f.xlsx"; then
        echo "OK: openpyxl opens $f.xlsx"
    else
        echo "FAIL: openpyxl cannot open $f.xlsx"
        fail=1
    fi
done

# the hostile view: control characters dropped (nothing else), the long paragraph cut to fit a
# cell at a character boundary
$PY - "$OUT/xlsx_hostile.xlsx" <<'PYEOF' || fail=1
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
t = wb.properties.title
body = [r[3] for r in wb["正文"].iter_rows(min_row=2, values_only=True)]
longest = max(body, key=lambda x: len(x or ""))
head = wb["主要指标"].oddHeader.center.text or ""
ok = (t == "标题含控制字符&&符号R&G与&[Picture]" and 10000 <= len(longest) <= 32767
      and set(longest) == {"长"} and "＆＆符号R＆G与＆[Picture]" in head)
import re, zipfile
refs = []
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in z.namelist():
        if n.startswith("xl/charts/chart"):
            refs += re.findall(r"<c:f>([^<]*)</c:f>", z.read(n).decode())
bad_refs = [r for r in refs if not re.fullmatch(r"'[^']+'!\$[A-Z]+\$\d+(:\$[A-Z]+\$\d+)?", r)]
ok = ok and refs and not bad_refs
print(("OK" if ok else "FAIL") + f": hostile view: title {t!r}, header {head!r}, longest paragraph {len(longest)} characters, {len(refs)} chart references, bad: {bad_refs[:3]}")
sys.exit(0 if ok else 1)
PYEOF

# 2. the samples, through the command line
if [ -n "${HUIBAO:-}" ] && [ -x "$HUIBAO" ]; then
    mkdir -p "$OUT/samples"
    if SOURCE_DATE_EPOCH=1795834800 "$HUIBAO" build "$SRC"/samples/*.yaml -o "$OUT/samples" -f xlsx \
        >"$OUT/samples/build.log" 2>&1; then
        n=0
        for f in "$SRC"/samples/*.yaml; do
            x="$OUT/samples/$(basename "${f%.yaml}").xlsx"
            if [ ! -f "$x" ]; then
                echo "FAIL: no workbook for $(basename "$f")"
                fail=1
                continue
            fi
            $PY "$CHECK" "$x" || fail=1
            n=$((n + 1))
        done
        echo "samples: $n workbooks checked"
    else
        echo "FAIL: huibao build -f xlsx failed:"
        cat "$OUT/samples/build.log"
        fail=1
    fi
else
    echo "FAIL: no huibao binary (HUIBAO)"
    fail=1
fi

# 3. LibreOffice
if ! command -v soffice >/dev/null 2>&1; then
    echo "FAIL: LibreOffice (soffice) not installed: bash tools/deps.sh test (libreoffice-calc-nogui)"
    exit 1
fi
# A private profile that recalculates every formula on load (OOXMLRecalcMode 0 = always);
# the default trusts the cached results and would prove nothing.
PROFILE="$OUT/lo-profile"
mkdir -p "$PROFILE/user"
cat >"$PROFILE/user/registrymodifications.xcu" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
EOF
lo() { timeout 180 soffice -env:UserInstallation="file://$PROFILE" --headless --norestore "$@" >>"$OUT/soffice.log" 2>&1; }

$PY "$CHECK" --zero-cache "$OUT/xlsx_sample.xlsx" "$OUT/zeroed.xlsx" || fail=1
mkdir -p "$OUT/lo"
lo --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$OUT/lo" "$OUT/zeroed.xlsx"
if [ -s "$OUT/lo/zeroed.xlsx" ]; then
    $PY "$CHECK" --recalc "$OUT/xlsx_sample.xlsx" "$OUT/lo/zeroed.xlsx" || fail=1
else
    echo "FAIL: LibreOffice could not open the workbook (see $OUT/soffice.log)"
    fail=1
fi
# every sheet's first column as LibreOffice reads it (opens without repair: no error cells)
lo --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$OUT/lo" "$OUT/xlsx_sample.xlsx"
csvs=$(ls "$OUT"/lo/xlsx_sample*.csv 2>/dev/null | wc -l)
if [ "$csvs" -ne 6 ]; then
    echo "FAIL: LibreOffice exported $csvs sheets as CSV, want 6"
    fail=1
elif grep -l -E '#(DIV/0!|VALUE!|REF!|NAME\?|N/A)|Err:' "$OUT"/lo/xlsx_sample*.csv; then
    echo "FAIL: error values in LibreOffice's reading"
    fail=1
fi
for f in xlsx_empty xlsx_hostile; do
    lo --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$OUT/lo" "$OUT/$f.xlsx"
    if [ -s "$OUT/lo/$f.xlsx" ]; then
        echo "OK: LibreOffice opens $f.xlsx"
    else
        echo "FAIL: LibreOffice cannot open $f.xlsx"
        fail=1
    fi
done
lo --convert-to pdf --outdir "$OUT" "$OUT/xlsx_sample.xlsx"
if [ -s "$OUT/xlsx_sample.pdf" ]; then
    echo "OK: LibreOffice printed $OUT/xlsx_sample.pdf"
else
    echo "FAIL: no PDF from LibreOffice"
    fail=1
fi
[ $fail -eq 0 ] && echo "OK: e2e_xlsx"
exit $fail
