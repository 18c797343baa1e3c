#!/bin/bash
# e2e_boundary.sh - figures at rounding boundaries read the same in every output.
#
# A month whose figures sit on x.x5 boundaries (percentages, completion rates, 百分点, 增减额 of
# 3-decimal inputs, 当月值 and 环比 from earlier months), with negative and zero bases, is built
# as md,xlsx. LibreOffice (libreoffice-calc-nogui) then shows the workbook twice, exporting every
# sheet as the cells are displayed: once from the cached results (no recalculation, what a
# viewer shows) and once after a forced recalculation of every formula (what Excel does on
# load). Every displayed cell of 主要指标 and the month's row of 趋势 is compared with the
# Markdown table (the report's own figures) and with an independent exact-decimal computation
# (Python's decimal, half away from zero); the two LibreOffice readings must be identical.
set -u
export LC_ALL=C.UTF-8
: "${HUIBAO:?}"
PY=/usr/bin/python3
if ! command -v soffice >/dev/null 2>&1; then
    echo "FAIL: LibreOffice (soffice) not installed: bash tools/deps.sh test (libreoffice-calc-nogui)"
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
cat >"$work/in/2026-08.yaml" <<'YAML'
title: 8月
org: 边界测试管委会
period: 2026-08
indicators:
  - {name: 月度甲, unit: 亿元, value: 10.000}
  - {name: 月度乙, unit: 亿元, value: 10.000}
  - {name: 比率甲, unit: "%", kind: rate, value: 50.0}
YAML
cat >"$work/in/2026-09.yaml" <<'YAML'
title: 9月
org: 边界测试管委会
period: 2026-09
indicators:
  - {name: 月度甲, unit: 亿元, value: 20.000}
  - {name: 月度乙, unit: 亿元, value: 20.000}
  - {name: 比率甲, unit: "%", kind: rate, value: 50.05}
YAML
cat >"$work/in/2026-10.yaml" <<'YAML'
title: 边界值测试汇报
org: 边界测试管委会
period: 2026-10
date: 2026-11-05
indicators:
  # 0.35% and 0.05% exactly: a double quotient says 0.3499… and 0.0499…
  - {name: 同比甲, unit: 亿元, value: 100.35, last_year: 100}
  - {name: 同比乙, unit: 亿元, value: 100.05, last_year: 100}
  - {name: 同比降, unit: 亿元, value: 99.65, last_year: 100}
  - {name: 同比微降, unit: 亿元, value: 99.96, last_year: 100}
  # 增减额 of 3-decimal inputs, shown with 3 decimals and with decimals: 2 (1.925 -> 1.93)
  - {name: 增减三位, unit: 亿元, value: 41.925, last_year: 40}
  - {name: 增减两位, unit: 亿元, value: 41.925, last_year: 40, decimals: 2}
  - {name: 显示两位, unit: 亿元, value: 2.675, last_year: 1.005, decimals: 2}
  # 完成率 83.35% -> 83.4% (+0.1); 83.25% -> 83.3% (与序时进度持平); 83.45% -> 83.5%
  - {name: 完成甲, unit: 亿元, value: 83.35, last_year: 80, target: 100}
  - {name: 完成乙, unit: 亿元, value: 83.25, last_year: 80, target: 100}
  - {name: 完成丙, unit: 亿元, value: 0.8345, last_year: 0.8, target: 1}
  # 124.45% -> 1.2倍 (cell 124.5%)
  - {name: 倍数, unit: 亿元, value: 224.45, last_year: 100}
  # negative and zero bases: no percentage, the text's words in 备注
  - {name: 减亏, unit: 亿元, value: -0.275, last_year: -1.5}
  - {name: 转亏, unit: 亿元, value: -0.5, last_year: 2.25}
  - {name: 扭亏, unit: 亿元, value: 1.5, last_year: -0.75}
  - {name: 零基数, unit: 个, value: 5, last_year: 0}
  # 百分点: +0.05 -> +0.1, -0.05 -> -0.1
  - {name: 比率升, unit: "%", kind: rate, value: 98.35, last_year: 98.3}
  - {name: 比率降, unit: "%", kind: rate, value: 12.25, last_year: 12.3}
  # 当月值 10.035 against 10.000: 环比 0.35% -> 0.4%; 10.005: 0.1%
  - {name: 月度甲, unit: 亿元, value: 30.035, last_year: 25}
  - {name: 月度乙, unit: 亿元, value: 30.005, last_year: 25}
  # 比1—9月 50.1 - 50.05 = 0.05 -> 0.1 个百分点
  - {name: 比率甲, unit: "%", kind: rate, value: 50.1, last_year: 49}
sections:
  - title: 主要工作情况
    text: 各项指标见上表。
YAML
SOURCE_DATE_EPOCH=1793836800 "$HUIBAO" build -q "$work/in/2026-10.yaml" -f md,xlsx -o "$work/out" || {
    echo "FAIL: build"
    exit 1
}

profile() { # $1 folder, $2 OOXMLRecalcMode: 0 always recalculate, 1 never
    mkdir -p "$1/user"
    cat >"$1/user/registrymodifications.xcu" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>$2</value></prop></item>
</oor:items>
EOF
}
# every sheet as shown (token 9 true), UTF-8
CSV='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1'
for mode in cached:1 recalc:0; do
    name=${mode%%:*}
    profile "$work/lo-$name" "${mode##*:}"
    mkdir -p "$work/$name"
    timeout 180 soffice -env:UserInstallation="file://$work/lo-$name" --headless --norestore \
        --convert-to "$CSV" --outdir "$work/$name" "$work/out/2026-10.xlsx" >>"$work/soffice.log" 2>&1
done

$PY - "$work" <<'PYEOF'
import csv, glob, re, sys
from decimal import Decimal, ROUND_HALF_UP

work = sys.argv[1]
fails, checked = [], 0


def check(cond, msg):
    global checked
    checked += 1
    if not cond:
        fails.append(msg)


def sheet(kind, name):
    f = glob.glob(f"{work}/{kind}/2026-10-{name}.csv")
    if not f:
        fails.append(f"{kind}: LibreOffice exported no {name} sheet")
        return []
    return list(csv.reader(open(f[0], encoding="utf-8")))


def rnd(d, places):
    r = d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return abs(r) if r == 0 else r  # never -0.0


def load(month):
    """The input, parsed independently (flow mappings of plain scalars)."""
    out = []
    for line in open(f"{work}/in/2026-{month}.yaml", encoding="utf-8"):
        m = re.match(r"\s*- \{(.*)\}\s*$", line)
        if m:
            out.append({k.strip(): v.strip().strip('"') for k, v in
                        (kv.split(":", 1) for kv in m.group(1).split(", "))})
    return out


inds = load("10")
september = {i["name"]: i["value"] for i in load("09")}


def written(s):
    return len(s.split(".")[1]) if "." in s else 0


def places(ind):
    """docs/input.md: decimals:, else the most written in value, last_year, the 上月累计 used
    (here September's value) and target."""
    if "decimals" in ind:
        return int(ind["decimals"])
    nums = [ind[k] for k in ("value", "last_year", "target") if k in ind]
    if ind["name"] in september:
        nums.append(september[ind["name"]])
    return max(written(x) for x in nums)


# the Markdown table: the report's own figures
md = open(f"{work}/out/2026-10.md", encoding="utf-8").read()
rows = [[c.strip() for c in l.strip().strip("|").split("|")] for l in md.splitlines()
        if l.startswith("|")]
head, body = rows[0], rows[2:]
col = {h: i for i, h in enumerate(head)}
mdrow = {r[0]: r for r in body}


def shown_vs_md(cell, text, rate, what):
    """A workbook cell as displayed against the table's text of the same figure."""
    # the table text writes a negative figure with the minus sign U+2212; the workbook keeps
    # the number (displayed with "-")
    text = text.replace("\u2212", "-")
    # a negative side has no percentage: 减亏/增亏/扭亏为盈/由盈转亏 for profits, 增加/减少 for
    # other amounts (hu_analyze_is_profit)
    if text in ("—",) or re.match(r"^(减亏|增亏|扭亏为盈|由盈转亏|增加|减少)", text):
        return cell == "", f"{what}: cell {cell!r} for {text!r}"
    if text == "持平":
        return cell in ("0.0%", "0.0个百分点"), f"{what}: cell {cell!r} for 持平"
    m = re.match(r"^(-?[\d.]+)倍$", text)
    if m:  # 1.2倍 is +124.5%: the cell keeps the percentage
        p = re.match(r"^(-?[\d.]+)%$", cell)
        ok = p is not None and rnd(Decimal(p.group(1)) / 100, 1) == Decimal(m.group(1))
        return ok, f"{what}: cell {cell!r} for {text!r}"
    if rate and text.endswith("个百分点"):
        want = text if text.startswith("-") else "+" + text
        return cell == want, f"{what}: cell {cell!r} for {text!r}"
    if re.match(r"^[+-]?[\d.]+$", text) and what.endswith("序时进度差"):
        want = text if text[0] in "+-" else "+" + text if text != "0.0" else "0.0"
        return cell == want + "个百分点", f"{what}: cell {cell!r} for {text!r}"
    return cell == text, f"{what}: cell {cell!r} for {text!r}"


readings = {}
for kind in ("cached", "recalc"):
    ind_rows = sheet(kind, "主要指标")
    trend = sheet(kind, "趋势")
    readings[kind] = (ind_rows, trend)
    if not ind_rows:
        continue
    hdr = ind_rows[0]
    check(hdr[3] == "本期(1—10月)" and hdr[7] == "当月值(10月)", f"{kind}: header {hdr}")
    byname = {r[1]: r for r in ind_rows[1:] if len(r) > 1 and r[1]}
    for ind in inds:
        nm = ind["name"]
        r, t = byname.get(nm), mdrow.get(f"{nm}（{ind['unit']}）")
        if r is None or t is None:
            fails.append(f"{kind}: {nm} missing (xlsx {r is not None}, md {t is not None})")
            continue
        rate = ind.get("kind") == "rate"
        d = places(ind)
        v, ly = Decimal(ind["value"]), Decimal(ind["last_year"])
        # figures against the table, then against exact decimals
        pairs = [(3, "1—10月"), (6, "同比"), (7, "10月份"), (8, "环比"), (9, "年度目标"),
                 (10, "完成率"), (11, "序时进度差")]
        for ci, h in pairs:
            if h not in col:
                continue
            ok, msg = shown_vs_md(r[ci], t[col[h]], rate, f"{kind} {nm} {h}")
            check(ok, msg)
        check(r[4] == str(rnd(ly, d)), f"{kind} {nm} 上年同期 {r[4]!r}, want {rnd(ly, d)}")
        check(r[5] == str(rnd(v - ly, d)), f"{kind} {nm} 增减额 {r[5]!r}, want {rnd(v - ly, d)}")
        if not rate and ly > 0 and v >= 0:
            want = f"{rnd((v - ly) / ly * 100, 1)}%"
            check(r[6] == want, f"{kind} {nm} 同比 {r[6]!r}, exact {want}")
        if "target" in ind:
            want = f"{rnd(v / Decimal(ind['target']) * 100, 1)}%"
            check(r[10] == want, f"{kind} {nm} 完成率 {r[10]!r}, exact {want}")
    # 趋势: the month's 当月值 is the table's 10月份
    for row in trend[1:]:
        if len(row) > 4 and row[2] == "10月" and row[4]:
            unit = next(i["unit"] for i in inds if i["name"] == row[0])
            t = mdrow.get(f"{row[0]}（{unit}）")
            check(t is not None and row[4] == t[col["10月份"]],
                  f"{kind} 趋势 {row[0]} 10月 当月值 {row[4]!r} vs md {t and t[col['10月份']]}")
    about = {r[0]: r[1] for r in sheet(kind, "说明")[1:] if len(r) > 1}
    gen = about.get("生成时间", "")
    check(re.fullmatch(r"2026年11月\d+日 \d\d:\d\d（北京时间）", gen) is not None,
          f"{kind}: 生成时间 {gen!r}")

check(readings["cached"] == readings["recalc"],
      "the cached and the recalculated readings differ: " +
      str([(a, b) for a, b in zip(readings["cached"][0], readings["recalc"][0]) if a != b][:3]))
for f in fails:
    print("FAIL:", f)
print(f"boundary: {checked} comparisons, {len(fails)} failed")
sys.exit(1 if fails else 0)
PYEOF
