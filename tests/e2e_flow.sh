#!/usr/bin/env bash
# e2e_flow.sh - the monthly workflow as office staff run it (issue 23):
#  1. `huibao new` over the samples chain (08 → 09 → 10 → 11): period, date and the title's
#     period phrase rolled, indicators kept, last_month from the month before, last_year from
#     the same month a year earlier when that file is there, value left empty, sections kept;
#     across a new year (2026-12 → 2027-01): no last_month, the old target not carried over.
#  2. it never overwrites: a second run, a file in the way, exit 2 and the file unchanged.
#  3. the new file refuses to build until every value is filled: build and check report the
#     same error for each empty value at file:line:col, exit 2, nothing written.
#  4. stale month: 本期 equal to 上月累计 and text identical to last month's warn; --strict
#     makes them errors (exit 2).
#  5. `huibao new --xlsx`: the fill-in workbook (openpyxl reads its header, prefilled columns,
#     the 本期 validation); filled by openpyxl (a formula without a cached value: a located
#     error), then saved by LibreOffice (scripted): the month builds, `check` names the workbook,
#     index.json records it.
#  6. a month from a workbook LibreOffice made from a CSV (formula, text number, empty row,
#     extra column, title row), from a GBK CSV (Excel on Chinese Windows) and from a WPS-like
#     workbook (absolute part names, rich-text shared strings, string formula results) equals
#     the same month written in YAML, PDF and MD byte for byte (SOURCE_DATE_EPOCH).
#  7. bad workbooks: not a zip, a zip bomb, a missing sheet, a missing column, a text figure:
#     each a located error and exit 2.
# LibreOffice (libreoffice-calc-nogui), python3-openpyxl and python3-yaml are test packages;
# missing, the test fails. Env: HUIBAO, HU_SOURCE_DIR.
set -u
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
SRC=$HU_SOURCE_DIR
PY=/usr/bin/python3
TMP=$(mktemp -d /tmp/hu-flow.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export SOURCE_DATE_EPOCH=1793836800
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $*"; fail=$((fail+1)); }
# run DIR ARGS…: huibao in DIR; sets rc, out, err
run() {
    local d=$1
    shift
    (cd "$d" && "$HUIBAO" "$@") >"$TMP/out" 2>"$TMP/err"
    rc=$?
    out=$(cat "$TMP/out")
    err=$(cat "$TMP/err")
}
has() { grep -qF -- "$2" <<<"$1"; }

command -v soffice >/dev/null || bad "soffice missing: apt-get install libreoffice-calc-nogui"
"$PY" -c 'import openpyxl, yaml' 2>/dev/null || bad "python3-openpyxl / python3-yaml missing"
[ $fail = 0 ] || { echo "flow: $pass passed, $fail failed"; exit 1; }

# ---------------------------------------------------------------- 1. huibao new over the chain
C=$TMP/chain
mkdir -p "$C"
cp "$SRC/samples/2026-08.yaml" "$C/"
run "$C" new 2026-09
[ $rc = 0 ] && [ "$out" = "2026-09.yaml" ] && ok || bad "new 2026-09: exit $rc, out $out: $err"
# rolled against the month before, compared with what the office actually wrote for 09 and 10
cmp_new() { # NEW PREV SAMPLE YEARAGO(or -)
    "$PY" - "$@" <<'EOF'
import sys, yaml
new, prev, sample, ago = sys.argv[1:5]
N = yaml.safe_load(open(new)); P = yaml.safe_load(open(prev)); S = yaml.safe_load(open(sample))
A = yaml.safe_load(open(ago)) if ago != "-" else None
errs = []
def eq(what, a, b):
    if a != b: errs.append(f"{what}: {a!r} != {b!r}")
for k in ("title", "period", "org", "to", "preamble", "closing"):
    eq(k, str(N.get(k)), str(S.get(k)))
# the date moves by the months the period moves (the office then corrects it)
import calendar, datetime
d = P["date"] if isinstance(P["date"], datetime.date) else datetime.date.fromisoformat(str(P["date"]))
shift = (int(str(N["period"])[:4]) * 12 + int(str(N["period"])[5:7])) - (int(str(P["period"])[:4]) * 12 + int(str(P["period"])[5:7]))
k = d.year * 12 + d.month - 1 + shift
y, m = divmod(k, 12)
want = datetime.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))
eq("date", str(N["date"]), str(want))
eq("sections", N.get("sections"), P.get("sections"))
prev_month = int(str(P["period"])[5:7])
new_month = int(str(N["period"])[5:7])
eq("count", len(N["indicators"]), len(P["indicators"]))
for n, p in zip(N["indicators"], P["indicators"]):
    nm = p["name"]
    eq(nm + " name", n["name"], p["name"])
    for k in ("unit", "kind", "approx", "note", "decimals"):
        eq(nm + " " + k, n.get(k), p.get(k))
    eq(nm + " value", n.get("value", "missing"), None)
    eq(nm + " target", n.get("target"), p.get("target"))
    eq(nm + " last_month", n.get("last_month"), p["value"] if new_month == prev_month + 1 else None)
    if A:
        a = [x for x in A["indicators"] if x["name"] == nm]
        eq(nm + " last_year", n.get("last_year"), a[0]["value"] if a else None)
    else:
        eq(nm + " last_year", n.get("last_year", "missing"), None)
if errs:
    print("\n".join(errs)); sys.exit(1)
EOF
}
cmp_new "$C/2026-09.yaml" "$C/2026-08.yaml" "$SRC/samples/2026-09.yaml" - && ok ||
    bad "new 2026-09 from 2026-08 does not roll as documented"
# the office writes September (the sample), then starts October from it
cp "$SRC/samples/2026-09.yaml" "$C/2026-09.yaml"
run "$C" new 2026-10
[ $rc = 0 ] && cmp_new "$C/2026-10.yaml" "$C/2026-09.yaml" "$SRC/samples/2026-10.yaml" - && ok ||
    bad "new 2026-10 from 2026-09: exit $rc: $err"
# comments say what to fill, and the file says where it came from
grep -q '^# 2026年10月的输入，由 huibao new 从 2026-09.yaml 生成' "$C/2026-10.yaml" &&
    grep -q 'value:  *# 请填写：2026年1—10月累计数' "$C/2026-10.yaml" && ok ||
    bad "new 2026-10: the header or the value comment is missing"
cp "$SRC/samples/2026-10.yaml" "$C/2026-10.yaml"
# November a year ago is in the folder: last_year comes from it
sed -e 's/^period: 2026-10/period: 2025-11/' -e 's/^date: 2026-11-05/date: 2025-12-05/' \
    -e 's/2026年1—10月/2025年1—11月/' -e 's/value: 125.60/value: 121.07/' \
    "$SRC/samples/2026-10.yaml" >"$C/2025-11.yaml"
run "$C" new 2026-11
[ $rc = 0 ] || bad "new 2026-11: exit $rc: $err"
sed -e 's/^title: .*/title: 产业开发区2026年1—11月产业发展工作情况汇报/' -e 's/^period: .*/period: 2026-11/' \
    -e 's/^date: .*/date: 2026-12-05/' "$SRC/samples/2026-10.yaml" >"$TMP/expect-11.yaml"
cmp_new "$C/2026-11.yaml" "$C/2026-10.yaml" "$TMP/expect-11.yaml" "$C/2025-11.yaml" && ok ||
    bad "new 2026-11 does not take last_year from 2025-11.yaml"
grep -q 'last_year: 121.07' "$C/2026-11.yaml" && ok || bad "last_year not written as 2025-11 wrote it"

# a new year: from December to January
J=$TMP/jan
mkdir -p "$J"
sed -e 's/^period: 2026-10/period: 2026-12/' -e 's/^date: 2026-11-05/date: 2027-01-08/' \
    -e 's/2026年1—10月/2026年1—12月/' "$SRC/samples/2026-10.yaml" >"$J/2026-12.yaml"
run "$J" new 2027-01
[ $rc = 0 ] || bad "new 2027-01: exit $rc: $err"
"$PY" - "$J/2027-01.yaml" <<'EOF' && ok || bad "new 2027-01 does not roll across the year"
import sys, yaml
N = yaml.safe_load(open(sys.argv[1]))
assert N["title"] == "产业开发区2027年1月产业发展工作情况汇报", N["title"]
assert str(N["period"]) == "2027-01" and str(N["date"]) == "2027-02-08", (N["period"], N["date"])
for x in N["indicators"]:
    assert "last_month" not in x, x           # no 上月累计 in January
    assert x.get("target", None) is None, x    # last year's target is not this year's
EOF

# ---------------------------------------------------------------- 2. never overwrites
sum_before=$(sha256sum "$C/2026-11.yaml")
run "$C" new 2026-11
[ $rc = 2 ] && has "$err" "已经有 2026年11月 的输入" && [ "$(sha256sum "$C/2026-11.yaml")" = "$sum_before" ] &&
    ok || bad "a second new 2026-11: exit $rc: $err"
# a file in the way under the new name, whatever its period
O=$TMP/other
mkdir -p "$O"
cp "$SRC/samples/2026-10.yaml" "$O/"
echo "# 草稿" >"$O/2026-11.yaml"
run "$O" new 2026-11 2026-10.yaml
[ $rc = 2 ] && has "$err" "不会覆盖" && [ "$(cat "$O/2026-11.yaml")" = "# 草稿" ] && ok ||
    bad "new over a draft: exit $rc: $err"
run "$O" new 2026-13
[ $rc = 2 ] && has "$err" "统计期" && ok || bad "new 2026-13: exit $rc: $err"
run "$TMP" new 2026-11 "$TMP/nowhere"
[ $rc = 2 ] && ok || bad "new from a missing folder: exit $rc"

# ---------------------------------------------------------------- 3. empty values refuse to build
run "$C" build -f md -o out 2026-11.yaml
[ $rc = 2 ] && [ ! -e "$C/out/2026-11.md" ] || bad "2026-11 with empty values built: exit $rc"
grep -E '^2026-11.yaml:[0-9]+:[0-9]+: 错误: indicators\[[0-9]+\]\.value: ' <<<"$err" | sort >"$TMP/build-errs"
run "$C" check 2026-11.yaml
[ $rc = 2 ] || bad "check 2026-11 with empty values: exit $rc"
grep -E '^2026-11.yaml:[0-9]+:[0-9]+: 错误: indicators\[[0-9]+\]\.value: ' <<<"$err" | sort >"$TMP/check-errs"
n=$(wc -l <"$TMP/check-errs")
[ "$n" = 11 ] && cmp -s "$TMP/build-errs" "$TMP/check-errs" && ok ||
    bad "empty values: $n errors from check, build and check differ: $(diff "$TMP/build-errs" "$TMP/check-errs")"
grep -q '“技工贸总收入”的本期数尚未填写：请在 value: 后面填写1—11月累计数' "$TMP/check-errs" &&
    grep -q '“规模以上工业产品产销率”的本期数尚未填写：请在 value: 后面填写1—11月的比率' "$TMP/check-errs" &&
    ok || bad "the empty-value message: $(head -2 "$TMP/check-errs")"
# the line and column are the value's
line=$(grep -n 'value:  *# 请填写' "$C/2026-11.yaml" | head -1 | cut -d: -f1)
grep -q "^2026-11.yaml:$line:10: 错误: indicators\[0\].value" "$TMP/check-errs" && ok ||
    bad "the first empty value is not reported at line $line"

# ---------------------------------------------------------------- 4. stale month
# filled, but 新签约项目 keeps last month's figure and the text is last month's
"$PY" - "$C/2026-11.yaml" <<'EOF'
import re, sys
p = sys.argv[1]; s = open(p, encoding="utf-8").read()
vals = iter(["130.2", "34.1", "21.0", "48.3", "25800", "80.1", "24", "29.5", "9", "11020", "98.5"])
s = re.sub(r"value:  *# [^\n]*", lambda m: "value: " + next(vals), s)
open(p, "w", encoding="utf-8").write(s)
EOF
run "$C" check 2026-11.yaml
[ $rc = 0 ] && has "$err" "“新签约项目”的本期数 24 与上月累计" && has "$err" "这段文字与上月（2026-10.yaml 第" &&
    has "$err" "亮点与上月（2026-10.yaml 第" && ok || bad "stale month check: exit $rc: $err"
run "$C" check --strict 2026-11.yaml
[ $rc = 2 ] && grep -q '^2026-11.yaml:[0-9]*:[0-9]*: 错误: indicators\[6\]: “新签约项目”的本期数 24 与上月累计' <<<"$err" &&
    ok || bad "stale month --strict: exit $rc"

# ---------------------------------------------------------------- 5. new --xlsx, filled in LibreOffice
X=$TMP/book
mkdir -p "$X" "$X/lo"
cp "$SRC/samples/2026-10.yaml" "$X/"
run "$X" new 2026-11 --xlsx
[ $rc = 0 ] && [ -f "$X/2026-11-指标.xlsx" ] && grep -q '^indicators: 2026-11-指标.xlsx' "$X/2026-11.yaml" &&
    ok || bad "new --xlsx: exit $rc: $err"
"$PY" - "$X/2026-11-指标.xlsx" "$X/2026-10.yaml" <<'EOF' && ok || bad "the fill-in workbook"
import sys, openpyxl, yaml
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["主要指标"]
head = [c.value for c in ws[1]]
assert head[:5] == ["序号", "指标", "单位", "本期(1—11月)", "上月累计(1—10月)"], head
P = yaml.safe_load(open(sys.argv[2]))["indicators"]
col = {h: i for i, h in enumerate(head)}
for r, p in enumerate(P, start=2):
    row = [c.value for c in ws[r]]
    assert row[col["指标"]] == p["name"], row
    assert row[col["本期(1—11月)"]] is None, row
    assert abs(float(row[col["上月累计(1—10月)"]]) - float(p["value"])) < 1e-9, row
    if "target" in p:
        assert abs(float(row[col["年度目标"]]) - float(p["target"])) < 1e-9, row
assert ws.cell(1, col["本期(1—11月)"] + 1).fill.fgColor.rgb not in (None, "00000000"), "本期 not highlighted"
dv = [d for d in ws.data_validations.dataValidation if d.type == "decimal"]
assert dv and "D2" in str(dv[0].sqref), [ (d.type, str(d.sqref)) for d in ws.data_validations.dataValidation]
EOF
run "$X" check 2026-11.yaml
[ $rc = 2 ] && has "$err" "2026-11-指标.xlsx 工作表“主要指标” D2" && ok ||
    bad "an unfilled workbook passes check: exit $rc: $err"
# staff fill the 本期 column; one cell is a formula (openpyxl saves it without a result)
"$PY" - "$X/2026-11-指标.xlsx" <<'EOF'
import sys, openpyxl
p = sys.argv[1]; wb = openpyxl.load_workbook(p); ws = wb["主要指标"]
vals = [130.2, "=12.3+21.8", 21.0, 48.3, 25800, 80.1, 26, 29.5, 9, 11020, 98.5]
for r, v in enumerate(vals, start=2):
    ws.cell(r, 4, v)
wb.save(p)
EOF
run "$X" check 2026-11.yaml
[ $rc = 2 ] && has "$err" "2026-11-指标.xlsx 工作表“主要指标” D3" && has "$err" "没有保存计算结果" && ok ||
    bad "a formula without a cached value: exit $rc: $err"

# ---------------------------------------------------------------- 6. workbooks equal to YAML
W=$TMP/wb
mkdir -p "$W/csv" "$W/lo"
# the figures of 2026-10 as the 统计局 sends them: a title row, an empty row, an extra column,
# a formula, a number written with a thousands separator; decimals as the YAML writes them
"$PY" - "$SRC/samples/2026-10.yaml" "$W" <<'EOF'
import csv, re, sys, yaml
P = yaml.safe_load(open(sys.argv[1]))["indicators"]
d = sys.argv[2]
# the figures as the YAML writes them ("78.40", not 78.4), and their places
raw = {}
name = None
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\s*- name: (.*)", line)
    if m: name = m.group(1).strip()
    m = re.match(r"\s+(value|last_year|target): (.*)", line)
    if m and name: raw[(name, m.group(1))] = m.group(2).strip()
def places(t):
    return len(t.split(".")[1]) if "." in t else 0
def rows(formulas):
    out = [["2026年1—10月主要经济指标"], [],
           ["序号", "指标名称", "计量单位", "本期(1—10月)", "上年同期", "年度目标", "类型", "约数", "小数位", "责任科室", "备注"]]
    for i, x in enumerate(P, 1):
        n = x["name"]
        v = raw[(n, "value")]
        dec = max(places(raw.get((n, k), "")) for k in ("value", "last_year", "target"))
        if formulas and x["name"] == "规模以上工业增加值":
            v = "=12.3+18.62"            # 30.92
        if formulas and x["name"] == "税收收入":
            v = '23,420'
        out.append([i, n, x.get("unit", ""), v, raw.get((n, "last_year"), ""), raw.get((n, "target"), ""),
                    "比率" if x.get("kind") == "rate" else "数量", "是" if x.get("approx") else "",
                    dec if formulas else "", "经发科", x.get("note", "")])
        if i == 5:
            out.append([])
    return out
with open(d + "/csv/2026-10-指标.csv", "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows(True))
with open(d + "/2026-10-指标.csv", "w", newline="", encoding="gbk") as f:
    csv.writer(f, lineterminator="\r\n").writerows(rows(False))
EOF
# one LibreOffice run: the CSV to a workbook, the filled fill-in workbook saved again
LOG=$TMP/soffice.log
# (two runs: the CSV import options, UTF-8 and formulas evaluated, would apply to the workbook)
timeout 300 soffice -env:UserInstallation="file://$TMP/lo-profile" --headless --norestore \
    --infilter="CSV:44,34,76,1,,0,false,true,false,false,false,-1" \
    --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$W/lo" "$W/csv/2026-10-指标.csv" >"$LOG" 2>&1
timeout 300 soffice -env:UserInstallation="file://$TMP/lo-profile" --headless --norestore \
    --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$W/lo" "$X/2026-11-指标.xlsx" >>"$LOG" 2>&1
[ -f "$W/lo/2026-10-指标.xlsx" ] && [ -f "$W/lo/2026-11-指标.xlsx" ] && ok ||
    bad "LibreOffice did not convert: $(cat "$LOG")"

# 5, continued: the workbook as LibreOffice saved it builds
cp "$W/lo/2026-11-指标.xlsx" "$X/2026-11-指标.xlsx"
run "$X" check 2026-11.yaml
[ $rc = 0 ] && has "$out" "指标取自 2026-11-指标.xlsx" && ok || bad "check of the filled workbook: exit $rc: $out $err"
run "$X" build -f md,xlsx -o out 2026-11.yaml
[ $rc = 0 ] && grep -q '"figures": {"source": "workbook", "file": "2026-11-指标.xlsx"' "$X/out/index.json" && ok ||
    bad "build from the filled workbook: exit $rc: $err"
grep -q '规模以上工业增加值（亿元） | 34.10 ' "$X/out/2026-11.md" && ok ||
    bad "the formula's cached result is not the figure: $(grep 规模以上工业增加值 "$X/out/2026-11.md" | head -1)"

# the same month three ways
mk_month() { # DIR FIGURES: 2026-10.yaml with its indicators taken from FIGURES
    mkdir -p "$1"
    "$PY" - "$SRC/samples/2026-10.yaml" "$1/2026-10.yaml" "$2" <<'EOF'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r"\nindicators:\n(  .*\n|\n)*?(?=\S)", "\nindicators: " + sys.argv[3] + "\n\n", s, count=1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
EOF
}
mkdir -p "$W/yaml"
cp "$SRC/samples/2026-10.yaml" "$W/yaml/"
mk_month "$W/lo-book" 2026-10-指标.xlsx
cp "$W/lo/2026-10-指标.xlsx" "$W/lo-book/"
mk_month "$W/gbk" 2026-10-指标.csv
cp "$W/2026-10-指标.csv" "$W/gbk/"
# a WPS-like package: absolute part names, rich text shared strings with phonetic runs, a
# string formula result, cells without references, a KSO custom property
mk_month "$W/wps" 2026-10-指标.xlsx
"$PY" - "$SRC/samples/2026-10.yaml" "$W/wps/2026-10-指标.xlsx" <<'EOF'
import re, sys, yaml, zipfile
from xml.sax.saxutils import escape
P = yaml.safe_load(open(sys.argv[1]))["indicators"]
raw, name = {}, None
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\s*- name: (.*)", line)
    if m: name = m.group(1).strip()
    m = re.match(r"\s+(value|last_year|target): (.*)", line)
    if m and name: raw[(name, m.group(1))] = m.group(2).strip()
def places(n):
    return max(len(t.split(".")[1]) if "." in t else 0 for t in (raw.get((n, k), "") for k in ("value", "last_year", "target")))
sst = []
def s(text, rich=False):
    sst.append(text)
    return len(sst) - 1
def cell_s(text):
    return '<c t="s"><v>%d</v></c>' % s(text)
def cell_n(v):
    return '<c><v>%s</v></c>' % v
heads = ["指标", "单位", "本期", "上年同期", "年度目标", "类型", "约数", "备注", "小数位"]
rows = ['<row r="1">' + "".join(cell_s(h) for h in heads) + "</row>"]
for i, x in enumerate(P, 2):
    name = '<c t="str"><f>"%s"</f><v>%s</v></c>' % (x["name"], escape(x["name"])) if i == 3 else cell_s(x["name"])
    cells = [name, cell_s(x.get("unit", "")), cell_n(x["value"]), cell_n(x.get("last_year", "")) if "last_year" in x else "<c/>",
             cell_n(x["target"]) if "target" in x else "<c/>", cell_s("比率" if x.get("kind") == "rate" else "数量"),
             cell_s("是") if x.get("approx") else "<c/>", cell_s(x["note"]) if "note" in x else "<c/>",
             cell_n(places(x["name"]))]
    rows.append('<row r="%d">' % i + "".join(cells) + "</row>")
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
sheet = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet %s><sheetPr codeName="Sheet1"/><sheetData>%s</sheetData></worksheet>' % (ns, "".join(rows))
def si(t):
    if t == "技工贸总收入":  # rich text runs with a phonetic run, as WPS keeps them
        return '<si><r><rPr><sz val="11"/><rFont val="宋体"/></rPr><t>技工贸</t></r><r><t>总收入</t></r><rPh sb="0" eb="1"><t>ji</t></rPh></si>'
    return "<si><t>%s</t></si>" % escape(t)
shared = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst %s count="%d" uniqueCount="%d">%s</sst>' % (ns, len(sst), len(sst), "".join(si(t) for t in sst))
book = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook %s><sheets><sheet name="主要指标" sheetId="1" r:id="rId1"/></sheets></workbook>' % ns
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
rels = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="%s/sharedStrings" Target="/xl/sharedStrings.xml"/></Relationships>' % (R, R)
root = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>' % R
ct = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
custom = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer"><vt:lpwstr>2052-12.1.0.16120</vt:lpwstr></property></Properties>'
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", ct)
    z.writestr("_rels/.rels", root)
    z.writestr("docProps/custom.xml", custom)
    z.writestr("xl/workbook.xml", book)
    z.writestr("xl/_rels/workbook.xml.rels", rels)
    z.writestr("xl/worksheets/sheet1.xml", sheet)
    z.writestr("xl/sharedStrings.xml", shared)
EOF
for v in yaml lo-book gbk wps; do
    run "$W/$v" build -f pdf,md -o out 2026-10.yaml
    [ $rc = 0 ] || bad "build of 2026-10 ($v): exit $rc: $err"
done
for v in lo-book gbk wps; do
    cmp -s "$W/yaml/out/2026-10.md" "$W/$v/out/2026-10.md" && ok ||
        bad "2026-10.md from $v differs from YAML: $(diff "$W/yaml/out/2026-10.md" "$W/$v/out/2026-10.md" | head -6)"
    cmp -s "$W/yaml/out/2026-10.pdf" "$W/$v/out/2026-10.pdf" && ok || bad "2026-10.pdf from $v differs from YAML"
done
grep -q '"figures": {"source": "workbook", "file": "2026-10-指标.csv"' "$W/gbk/out/index.json" && ok || bad "index.json does not name the CSV"

# ---------------------------------------------------------------- 7. bad workbooks
B=$TMP/bad
mk_month "$B" 2026-10-指标.xlsx
bad_book() { # WHAT WANT…: the workbook in place, check exits 2 with every WANT in its message
    local what=$1
    shift
    run "$B" check 2026-10.yaml
    local miss=""
    for w in "$@"; do has "$err" "$w" || miss="$miss [$w]"; done
    [ $rc = 2 ] && [ -z "$miss" ] && ok || bad "$what: exit $rc, missing$miss: $err"
}
printf '指标,本期\n税收收入,1\n' >"$B/2026-10-指标.xlsx"
bad_book "a CSV named .xlsx" "2026-10-指标.xlsx"
"$PY" - "$B/2026-10-指标.xlsx" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (16 << 20) + b"</worksheet>")
EOF
bad_book "a zip bomb" "2026-10-指标.xlsx" "zip 炸弹"
cp "$X/2026-11-指标.xlsx" "$B/two.xlsx"
"$PY" - "$B/2026-10-指标.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.Workbook(); wb.active.title = "一月"; wb.create_sheet("二月")
wb.save(sys.argv[1])
EOF
bad_book "no 主要指标 sheet" "主要指标" "一月" "二月"
"$PY" - "$B/2026-10-指标.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "主要指标"
ws.append(["指标", "单位", "完成数"]); ws.append(["税收收入", "万元", 23420])
wb.save(sys.argv[1])
EOF
bad_book "no 本期 column" "2026-10-指标.xlsx 工作表“主要指标”" "本期"
"$PY" - "$B/2026-10-指标.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "主要指标"
ws.append(["指标", "单位", "本期"])
for i in range(1, 6): ws.append(["指标%d" % i, "亿元", i])
ws.append(["税收收入", "亿元", "约12亿"])
wb.save(sys.argv[1])
EOF
bad_book "a text figure" "2026-10-指标.xlsx 工作表“主要指标” C7: 错误: 应为数字，实际为文本“约12亿”" \
    "约数请只填数字 12，并在“约数”列填“是”"
rm -f "$B/2026-10-指标.xlsx"
bad_book "a missing workbook" "2026-10-指标.xlsx"

echo "flow: $pass passed, $fail failed"
[ $fail = 0 ]
