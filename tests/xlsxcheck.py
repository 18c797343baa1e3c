#!/usr/bin/python3
"""xlsxcheck.py - read a huibao workbook back with an independent reader (openpyxl, plus the
raw zip for charts, which openpyxl does not load) and check it.

  xlsxcheck.py FILE.xlsx VIEW.json   every value, formula, number format, pane, filter, print
                                     setting, chart and property against the view model dump
                                     written by tests/test_xlsx.c ({"view":…, "body":…, "created":…})
  xlsxcheck.py FILE.xlsx             structure, and every cached formula result recomputed from
                                     the cells (for workbooks built from samples/)
  xlsxcheck.py --zero-cache IN OUT   copy IN with every cached formula result replaced by 0
  xlsxcheck.py --recalc OURS THEIRS  THEIRS (LibreOffice's recalculated copy) must hold the same
                                     formula results as OURS

Run with /usr/bin/python3 (Debian's python3-openpyxl). Exit status 1 and one line per problem
on failure."""
import datetime
import json
import re
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import openpyxl

SHEETS = ["主要指标", "亮点", "正文", "趋势", "说明"]
IND_HEAD = ["序号", "指标", "单位", None, "上年同期", "增减额", "同比", None, "环比", "年度目标",
            "完成率", "序时进度差", "备注"]
PP = '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"'
fails = []


def check(cond, msg):
    if not cond:
        fails.append(msg)
    return cond


def r1(x):
    """Excel's ROUND(x,1) / the analytics' half-up on the 15-digit decimal form."""
    return Decimal(f"{x:.15g}").quantize(Decimal("0.1"), ROUND_HALF_UP)


def pct1(x):
    return (Decimal(f"{x:.15g}") * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


def dec_fmt(d):
    return "0" if d == 0 else "0." + "0" * d


def width(s):
    w = 0.0
    for ch in str(s):
        w += 2.0 if ord(ch) >= 0x2E80 else 1.1
    return w


def num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def eq(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


# ------------------------------------------------------------------ charts (raw zip)

def sheet_files(z):
    wbx = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    rid.update({a: b for b, a in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)})
    out = {}
    for name, r in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', wbx):
        out[name] = "xl/" + rid[r].lstrip("/").replace("xl/", "")
    return out


def charts_of(z, sheet_path):
    """[(kind, title, [value refs])] of the charts drawn on one sheet."""
    base = sheet_path.rsplit("/", 1)
    rels = f"{base[0]}/_rels/{base[1]}.rels"
    if rels not in z.namelist():
        return []
    out = []
    for d in re.findall(r'Target="\.\./drawings/([^"]+)"', z.read(rels).decode()):
        drels = f"xl/drawings/_rels/{d}.rels"
        for ch in re.findall(r'Target="\.\./charts/([^"]+)"', z.read(drels).decode()):
            x = z.read(f"xl/charts/{ch}").decode()
            kind = "line" if "<c:lineChart>" in x else "column" if 'c:barDir val="col"' in x \
                else "other"
            title = "".join(re.findall(r"<c:title>.*?</c:title>", x, re.S))
            title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", title))
            vals = re.findall(r"<c:val><c:numRef><c:f>([^<]+)</c:f>", x)
            out.append((kind, title, vals))
    return out


# ------------------------------------------------------------------ common checks

def check_print(ws, name, landscape=True):
    ps = ws.page_setup
    check(ps.paperSize in (9, "9"), f"{name}: paper {ps.paperSize}, want A4 (9)")
    check(ps.orientation == ("landscape" if landscape else "portrait") or
          (not landscape and ps.orientation is None), f"{name}: orientation {ps.orientation}")
    check(ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage,
          f"{name}: fit to page not set")
    check(ps.fitToWidth in (None, 1, "1") and ps.fitToHeight in (0, "0"),
          f"{name}: fit {ps.fitToWidth}x{ps.fitToHeight}, want 1 wide")
    check(ws.print_title_rows == "$1:$1", f"{name}: repeated rows {ws.print_title_rows}")
    check(ws.oddFooter.center.text == "第 &P 页 共 &N 页", f"{name}: footer {ws.oddFooter.center.text}")
    check(name in (ws.oddHeader.center.text or ""), f"{name}: page header lacks the sheet name")


def check_widths(ws, name, cols, caps):
    for col, cap in zip(cols, caps):
        need = 0.0
        for (v,) in ws.iter_rows(min_col=col, max_col=col, values_only=True):
            if isinstance(v, str) and not v.startswith("="):
                need = max(need, width(v))
        need = min(need, cap) if cap else need
        letter = openpyxl.utils.get_column_letter(col)
        got = ws.column_dimensions[letter].width
        check(got is not None and got + 0.01 >= need,
              f"{name}!{letter}: width {got}, content needs {need:.1f}")


def no_errors(wbv):
    for ws in wbv.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                check(not (isinstance(v, str) and v.startswith("#")) or v == "#",
                      f"{ws.title}: error value {v}")


# ------------------------------------------------------------------ against the view

def check_view(path, view, body, created):
    wb = openpyxl.load_workbook(path)
    wbv = openpyxl.load_workbook(path, data_only=True)
    z = zipfile.ZipFile(path)
    check(wb.sheetnames == SHEETS, f"sheets {wb.sheetnames}")
    no_errors(wbv)
    per = view.get("period") or {}
    N = per.get("month")
    inds = view.get("indicators") or []
    trend = view.get("trend") or []
    n = len(inds)

    # ---- 主要指标
    ws, wv = wb["主要指标"], wbv["主要指标"]
    head = [c.value for c in ws[1]][:13]
    want = list(IND_HEAD)
    want[3] = f"本期({per['cumulative']})"
    want[7] = f"当月值({N}月)"
    check(head == want, f"主要指标 header {head}")
    check(ws.freeze_panes == "C2", f"主要指标 freeze {ws.freeze_panes}")
    check(ws.auto_filter.ref == f"A1:M{n + 1}", f"主要指标 autofilter {ws.auto_filter.ref}")
    check_print(ws, "主要指标")
    cf = {str(r.sqref): [x.type for x in r.rules] for r in ws.conditional_formatting}
    for rng, t in ((f"F2:G{n + 1}", "cellIs"), (f"I2:I{n + 1}", "cellIs"),
                   (f"L2:L{n + 1}", "cellIs"), (f"K2:K{n + 1}", "expression")):
        check(cf.get(rng) == [t], f"主要指标 conditional format {rng}: {cf.get(rng)}")
    tindex = {t["name"]: i for i, t in enumerate(trend)}
    chart_rows = []
    for i, ind in enumerate(inds):
        R = i + 2
        row = {c.column_letter: c for c in ws[R]}
        val = {c.column_letter: c.value for c in wv[R]}
        nm = ind["name"]
        rate = ind.get("kind") == "rate"
        d = ind.get("decimals", 0)
        v, ly, mv, tg = (ind.get(k) for k in ("value", "last_year", "month_value", "target"))
        check(val["A"] == ind.get("index", i + 1), f"{nm}: 序号 {val['A']}")
        check(val["B"] == nm, f"row {R}: 指标 {val['B']}")
        check(val["C"] == (ind.get("unit") or None), f"{nm}: 单位 {val['C']}")
        for col, x in (("D", v), ("E", ly), ("H", mv), ("J", tg)):
            check(val[col] == x, f"{nm}: {col}{R} = {val[col]!r}, want {x!r}")
            check(row[col].number_format == dec_fmt(d), f"{nm}: {col} format {row[col].number_format}")
            check(not isinstance(val[col], str), f"{nm}: {col}{R} is text")
        # 增减额
        check(row["F"].value == f'=IF(AND(ISNUMBER(D{R}),ISNUMBER(E{R})),D{R}-E{R},"")',
              f"{nm}: F formula {row['F'].value}")
        check(eq(val["F"], v - ly if v is not None and ly is not None else None),
              f"{nm}: 增减额 cached {val['F']}")
        # 同比
        yoy = ind.get("yoy") or {}
        if rate:
            check(row["G"].value == f'=IF(AND(ISNUMBER(D{R}),ISNUMBER(E{R})),D{R}-E{R},"")',
                  f"{nm}: G formula {row['G'].value}")
            check(row["G"].number_format == PP, f"{nm}: G format {row['G'].number_format}")
            exp = v - ly if v is not None and ly is not None else None
        else:
            check(row["G"].value == f'=IF(AND(ISNUMBER(D{R}),ISNUMBER(E{R}),E{R}>0,D{R}>=0),'
                  f'(D{R}-E{R})/E{R},"")', f"{nm}: G formula {row['G'].value}")
            check(row["G"].number_format == "0.0%", f"{nm}: G format {row['G'].number_format}")
            exp = (v - ly) / ly if v is not None and ly is not None and ly > 0 and v >= 0 else None
            chart_rows.append((nm, R, exp))
        check(eq(val["G"], exp), f"{nm}: 同比 cached {val['G']!r}, want {exp!r}")
        if val["G"] is None:
            check(yoy.get("pct") is None, f"{nm}: 同比 cell empty but the view has {yoy.get('pct')}")
        else:
            check(yoy.get("has") is True, f"{nm}: 同比 {val['G']} but the view has none")
            got = r1(val["G"]) if rate else pct1(val["G"])
            check(yoy.get("pct") is not None and got == r1(yoy["pct"]),
                  f"{nm}: 同比 {got} vs view {yoy.get('pct')}")
            if yoy.get("times") is not None:  # 倍 form: the growth as a multiple
                check(r1(val["G"]) == r1(yoy["times"]), f"{nm}: 同比 {val['G']} vs {yoy['times']}倍")
        # 环比
        mom = ind.get("mom") or {}
        if mom.get("has"):
            f = row["I"].value
            if isinstance(f, str) and f.startswith("="):
                ref = re.search(r"'趋势'!([DE])(\d+)", f)
                check(ref is not None, f"{nm}: 环比 formula {f}")
                t = tindex.get(nm)
                check(t is not None and int(ref.group(2)) == 2 + t * N + (N - 2),
                      f"{nm}: 环比 refers to 趋势 row {ref.group(2)}")
                pv = wbv["趋势"][ref.group(1) + ref.group(2)].value
                if rate:
                    check(f == f"=IF(AND(ISNUMBER(D{R}),ISNUMBER('趋势'!D{ref.group(2)})),"
                          f"D{R}-'趋势'!D{ref.group(2)},\"\")", f"{nm}: 环比 formula {f}")
                    expm = v - pv
                else:
                    expm = (mv - pv) / pv if mv is not None and pv else None
                check(eq(val["I"], expm), f"{nm}: 环比 cached {val['I']}, want {expm}")
            if mom.get("pct") is not None:
                got = r1(val["I"]) if rate else pct1(val["I"])
                check(got == r1(mom["pct"]), f"{nm}: 环比 {got} vs view {mom['pct']}")
            check(row["I"].number_format == (PP if rate else "0.0%"),
                  f"{nm}: I format {row['I'].number_format}")
        else:
            check(val["I"] is None, f"{nm}: 环比 {val['I']} but the view has none")
        # 完成率, 序时进度差
        comp = ind.get("completion") or {}
        sch = ind.get("schedule") or {}
        if not rate or comp.get("has"):
            check(row["K"].value == f'=IF(AND(ISNUMBER(D{R}),ISNUMBER(J{R}),J{R}>0),D{R}/J{R},"")',
                  f"{nm}: K formula {row['K'].value}")
            check(row["L"].value == f'=IF(ISNUMBER(K{R}),ROUND(K{R}*100,1)-ROUND({N}/12*100,1),"")',
                  f"{nm}: L formula {row['L'].value}")
            ek = v / tg if v is not None and tg else None
            check(eq(val["K"], ek), f"{nm}: 完成率 cached {val['K']}, want {ek}")
            el = float(pct1(ek)) - float(r1(N / 12 * 100)) if ek is not None else None
            check(eq(val["L"], el), f"{nm}: 序时进度差 cached {val['L']}, want {el}")
        check(row["K"].number_format == "0.0%", f"{nm}: K format {row['K'].number_format}")
        check(row["L"].number_format == PP, f"{nm}: L format {row['L'].number_format}")
        if comp.get("has"):
            check(val["K"] is not None and pct1(val["K"]) == r1(comp["pct"]),
                  f"{nm}: 完成率 {val['K']} vs view {comp.get('pct')}")
        else:
            check(val["K"] is None, f"{nm}: 完成率 {val['K']} but the view has none")
        if sch.get("has"):
            check(val["L"] is not None and r1(val["L"]) == r1(sch["gap"]),
                  f"{nm}: 序时进度差 {val['L']} vs view {sch.get('gap')}")
        else:
            check(val["L"] is None, f"{nm}: 序时进度差 {val['L']} but the view has none")
        parts = ["约数" if ind.get("approx") else None,
                 yoy.get("text") if val["G"] is None else None, ind.get("note")]
        wantm = "；".join(p for p in parts if p) or None
        check(val["M"] == wantm, f"{nm}: 备注 {val['M']!r}, want {wantm!r}")
    check(val_empty(wv, n + 2), "主要指标: a row after the last indicator")
    # hidden chart source and the 同比 chart
    for k, (nm, R, exp) in enumerate(chart_rows):
        check(wv[f"O{k + 2}"].value == nm, f"chart source O{k + 2}: {wv[f'O{k + 2}'].value}")
        check(ws[f"P{k + 2}"].value == f'=IF(ISNUMBER(G{R}),G{R},"")', f"chart source P{k + 2}")
        check(eq(wv[f"P{k + 2}"].value, exp), f"chart source P{k + 2} cached")
    check(ws.column_dimensions["O"].hidden, "主要指标: chart source columns not hidden")
    check_widths(ws, "主要指标", [2, 13], [34, 40])
    files = sheet_files(z)
    ch = charts_of(z, files["主要指标"])
    check(len(ch) == (1 if chart_rows else 0), f"主要指标: {len(ch)} charts")
    if ch:
        check(ch[0][0] == "column" and "同比" in ch[0][1], f"主要指标 chart {ch[0][:2]}")
        check(ch[0][2] == [f"'主要指标'!$P$2:$P${len(chart_rows) + 1}"], f"主要指标 chart refs {ch[0][2]}")

    # ---- 亮点
    ws = wbv["亮点"]
    check([c.value for c in ws[1]] == ["序号", "章节", "亮点", "来源", "标记"], "亮点 header")
    hl = view.get("highlights") or []
    src = {"auto": "自动提取", "section": "章节"}
    for i, h in enumerate(hl):
        got = [c.value for c in ws[i + 2]]
        want = [i + 1, h.get("section"), h.get("text"), src.get(h.get("source"), h.get("source")),
                h.get("flag")]
        check(got == want, f"亮点 row {i + 2}: {got} want {want}")
    check(val_empty(ws, len(hl) + 2), "亮点: extra rows")
    check(wb["亮点"].freeze_panes == "A2", "亮点 freeze")
    check(wb["亮点"].auto_filter.ref == f"A1:E{len(hl) + 1}", f"亮点 autofilter {wb['亮点'].auto_filter.ref}")
    check_print(wb["亮点"], "亮点")
    check_widths(wb["亮点"], "亮点", [2, 3], [40, 70])

    # ---- 正文
    ws = wbv["正文"]
    check([c.value for c in ws[1]] == ["序号", "章节", "类型", "内容"], "正文 header")
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    if body is not None:
        check(len(rows) == len(body), f"正文: {len(rows)} rows, want {len(body)}")
        for i, (got, want) in enumerate(zip(rows, body)):
            check(list(got) == [i + 1] + list(want), f"正文 row {i + 2}: {got} want {want}")
    for r in rows:
        check(not re.search(r"\*\*|`|^\s*[-*+] ", r[3] or ""), f"正文: Markdown left in {r[3]!r}")
    check(wb["正文"].auto_filter.ref == f"A1:D{len(rows) + 1}", "正文 autofilter")
    check(wb["正文"].freeze_panes == "A2", "正文 freeze")
    check_print(wb["正文"], "正文")
    check_widths(wb["正文"], "正文", [2, 4], [36, 90])

    # ---- 趋势
    ws = wbv["趋势"]
    check([c.value for c in ws[1]] == ["指标", "单位", "月份", "累计值", "当月值", "备注"], "趋势 header")
    want_charts = []
    for t, e in enumerate(trend):
        months = {m["month"]: m for m in e.get("months") or []}
        d = next((x.get("decimals", 0) for x in inds if x["name"] == e["name"]), 2)
        for m in range(1, N + 1):
            R = 2 + t * N + m - 1
            got = [c.value for c in ws[R]][:6]
            mm = months.get(m) or {}
            want = [e["name"], e.get("unit"), mm.get("label", f"{m}月"), mm.get("value"),
                    mm.get("month_value"), None if mm.get("value") is not None else "无数据"]
            check(got == want, f"趋势 row {R}: {got} want {want}")
            check(wb["趋势"][f"D{R}"].number_format == dec_fmt(d), f"趋势 D{R} format")
        if any(m.get("value") is not None for m in months.values()):
            want_charts.append(("line", e["name"]))
        if any(m.get("month_value") is not None for m in months.values()):
            want_charts.append(("column", e["name"]))
    check(val_empty(ws, 2 + len(trend) * N), "趋势: extra rows")
    ch = charts_of(z, files["趋势"])
    check(len(ch) == len(want_charts), f"趋势: {len(ch)} charts, want {len(want_charts)}")
    for (kind, title, _), (wk, nm) in zip(ch, want_charts):
        check(kind == wk and title.startswith(nm) and ("累计值" if wk == "line" else "当月值") in title,
              f"趋势 chart {kind} {title!r}, want {wk} for {nm}")
    check(wb["趋势"].freeze_panes == "A2", "趋势 freeze")
    check(wb["趋势"].auto_filter.ref == f"A1:F{1 + len(trend) * N}", "趋势 autofilter")
    check_print(wb["趋势"], "趋势")
    check_widths(wb["趋势"], "趋势", [1], [30])

    # ---- 说明
    ws = wbv["说明"]
    about = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    for k, want in (("单位", view.get("org")), ("标题", view.get("title")),
                    ("报告期", per.get("text")), ("累计期间", per.get("cumulative")),
                    ("序时进度", per.get("schedule_text")), ("源文件", view.get("source_file")),
                    ("源文件 SHA-256", view.get("source_sha256")),
                    ("模板", view.get("template") or "默认"),
                    ("生成时间", view.get("generated_at")),
                    ("生成工具", f"huibao {view.get('tool_version')}")):
        check(about.get(k) == want, f"说明 {k}: {about.get(k)!r}, want {want!r}")
    check_print(wb["说明"], "说明", landscape=False)
    check_widths(wb["说明"], "说明", [1, 2], [0, 90])

    # ---- properties
    p = wb.properties
    check(p.title == view.get("title"), f"title {p.title}")
    check(p.creator == view.get("org"), f"author {p.creator}")
    check(per.get("text") in (p.subject or ""), f"subject {p.subject}")
    app = z.read("docProps/app.xml").decode()
    check(f"<Company>{view.get('org')}</Company>" in app, "company")
    if created is not None:
        want = datetime.datetime.utcfromtimestamp(created)
        check(p.created == want, f"created {p.created}, want {want}")


def val_empty(ws, row):
    return all(c.value is None for c in ws[row][:13]) if row <= ws.max_row else True


# ------------------------------------------------------------------ without a view

def check_generic(path):
    wb = openpyxl.load_workbook(path)
    wbv = openpyxl.load_workbook(path, data_only=True)
    check(wb.sheetnames == SHEETS, f"sheets {wb.sheetnames}")
    no_errors(wbv)
    ws, wv = wb["主要指标"], wbv["主要指标"]
    m = re.match(r"本期\(1—(\d+)月\)", str(ws["D1"].value))
    check(m is not None, f"主要指标 D1 {ws['D1'].value}")
    N = int(m.group(1)) if m else 12
    R = 2
    while wv[f"A{R}"].value is not None:
        v, ly, tg = (num(wv[f"{c}{R}"].value) for c in "DEJ")
        rate = ws[f"G{R}"].number_format == PP
        nm = wv[f"B{R}"].value
        check(eq(wv[f"F{R}"].value, v - ly if v is not None and ly is not None else None),
              f"{nm}: 增减额")
        if rate:
            exp = v - ly if v is not None and ly is not None else None
        else:
            exp = (v - ly) / ly if v is not None and ly is not None and ly > 0 and v >= 0 else None
        check(eq(wv[f"G{R}"].value, exp), f"{nm}: 同比 {wv[f'G{R}'].value} want {exp}")
        if isinstance(ws[f"K{R}"].value, str):
            ek = v / tg if v is not None and tg else None
            check(eq(wv[f"K{R}"].value, ek), f"{nm}: 完成率")
            el = float(pct1(ek)) - float(r1(N / 12 * 100)) if ek is not None else None
            check(eq(wv[f"L{R}"].value, el), f"{nm}: 序时进度差")
        R += 1
    check(R > 2, "主要指标: no indicators")
    z = zipfile.ZipFile(path)
    check(len(charts_of(z, sheet_files(z)["主要指标"])) == 1, "主要指标: no 同比 chart")
    for name in SHEETS:
        check_print(wb[name], name, landscape=name != "说明")


# ------------------------------------------------------------------ LibreOffice helpers

def zero_cache(src, dst):
    """Cached formula results replaced by 0: a reader that shows the right figures afterwards
    must have recalculated them."""
    zin = zipfile.ZipFile(src)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                x = data.decode()
                x = re.sub(r'(<c [^>]*?)( t="str")?(>\s*<f>[^<]*</f>\s*)<v>[^<]*</v>',
                           r"\1\3<v>0</v>", x)
                data = x.encode()
            zout.writestr(item, data)


def compare_recalc(ours, theirs):
    a = openpyxl.load_workbook(ours)
    av = openpyxl.load_workbook(ours, data_only=True)
    bv = openpyxl.load_workbook(theirs, data_only=True)
    count = 0
    for name in ("主要指标",):
        for row in a[name].iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    x, y = av[name][c.coordinate].value, bv[name][c.coordinate].value
                    x = None if x == "" else x
                    y = None if y == "" else y
                    check(eq(x, y), f"{name}!{c.coordinate}: ours {x!r}, LibreOffice {y!r}")
                    count += 1
    check(count > 0, "no formulas compared")
    return count


def main(argv):
    if len(argv) == 4 and argv[1] == "--zero-cache":
        zero_cache(argv[2], argv[3])
        return 0
    if len(argv) == 4 and argv[1] == "--recalc":
        n = compare_recalc(argv[2], argv[3])
        what = f"{n} formulas recalculated by LibreOffice equal ours"
    elif len(argv) == 3:
        dump = json.load(open(argv[2], encoding="utf-8"))
        check_view(argv[1], dump["view"], dump.get("body"), dump.get("created"))
        what = f"{argv[1]} matches the view"
    elif len(argv) == 2:
        check_generic(argv[1])
        what = f"{argv[1]}: structure and cached results"
    else:
        print(__doc__)
        return 2
    for f in fails:
        print("FAIL:", f)
    if fails:
        print(f"{len(fails)} problem(s)")
        return 1
    print("OK:", what)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
