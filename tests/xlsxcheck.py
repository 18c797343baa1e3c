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
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import openpyxl

SHEETS = ["主要指标", "亮点", "正文", "趋势", "图表", "说明"]
IND_HEAD = ["序号", "指标", "单位", None, "上年同期", "增减额", "同比", None, "环比", "年度目标",
            "完成率", "序时进度差", "备注"]
PP = '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"'
fails = []


def check(cond, msg):
    if not cond:
        fails.append(msg)
    return cond


def D(x):
    """The decimal a cell's double stands for (its 15-significant-digit form)."""
    return Decimal(f"{x:.15g}")


def rnd(d, places):
    """ROUND(d, places) as Excel, LibreOffice and analyze.c do it: half away from zero."""
    return d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def r1(x):
    return rnd(D(x), 1)


def pct1(x):
    return rnd(D(x) * 100, 1)


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
    check(ws.oddFooter.center.text == "第 &P 页 共 &N 页", f"{name}: footer {ws.oddFooter.center.text}")
    check(name in (ws.oddHeader.center.text or ""), f"{name}: page header lacks the sheet name")
    if name == "图表":
        # charts print whole: no header row to repeat, no fitting (it would drop the breaks)
        check(ws.print_title_rows is None, f"{name}: repeated rows {ws.print_title_rows}")
        check(not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
              f"{name}: fitted to the page")
        return
    check(ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage,
          f"{name}: fit to page not set")
    check(ps.fitToWidth in (None, 1, "1") and ps.fitToHeight in (0, "0"),
          f"{name}: fit {ps.fitToWidth}x{ps.fitToHeight}, want 1 wide")
    check(ws.print_title_rows == "$1:$1", f"{name}: repeated rows {ws.print_title_rows}")


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


def snap(formula, col_a, col_b):
    """The s of ROUND(A-B,s) in a formula (the places its difference is exact at)."""
    m = re.search(r"ROUND\(" + re.escape(col_a) + "-" + re.escape(col_b) + r",(\d+)\)", formula)
    return int(m.group(1)) if m else None


def trend_rows(ws):
    """{indicator: {month: row}} of 趋势."""
    out = {}
    for r in range(2, ws.max_row + 1):
        nm, label = ws[f"A{r}"].value, ws[f"C{r}"].value
        if nm is None:
            continue
        out.setdefault(nm, {})[int(str(label).rstrip("月"))] = r
    return out


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
    trows = trend_rows(wb["趋势"])

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
    chart_rows = []

    def pct_of(x, rate):
        return None if x is None else (r1(x) if rate else pct1(x))

    def want_pct(c, rate):
        """The cell's cached value the text's figure stands for (None: no figure)."""
        if not c.get("has_pct"):
            return None
        return float(Decimal(c["pct"]) if rate else Decimal(c["pct"]) / 100)

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
        for col, x in (("D", v), ("E", ly), ("H", None if rate else mv), ("J", tg)):
            check(eq(val[col], x), f"{nm}: {col}{R} = {val[col]!r}, want {x!r}")
            check(row[col].number_format == dec_fmt(d), f"{nm}: {col} format {row[col].number_format}")
            check(not isinstance(val[col], str), f"{nm}: {col}{R} is text")
        # 增减额: the exact difference
        f = row["F"].value
        s_ = snap(f, f"D{R}", f"E{R}")
        check(f == f'=IF(AND(ISNUMBER(D{R}),ISNUMBER(E{R})),ROUND(D{R}-E{R},{s_}),"")'
              and s_ is not None and s_ >= d, f"{nm}: F formula {f}")
        check(eq(val["F"], ind.get("diff")), f"{nm}: 增减额 cached {val['F']}, want {ind.get('diff')}")
        # 同比: the text's figure, rounded in the formula
        yoy = ind.get("yoy") or {}
        f = row["G"].value
        if rate:
            inner = f"ROUND(D{R}-E{R},1)" if s_ <= 1 else f"ROUND(ROUND(D{R}-E{R},{s_}),1)"
            check(f == f'=IF(AND(ISNUMBER(D{R}),ISNUMBER(E{R})),{inner},"")', f"{nm}: G formula {f}")
            check(row["G"].number_format == PP, f"{nm}: G format {row['G'].number_format}")
        else:
            check(f == f'=IF(AND(ISNUMBER(D{R}),ISNUMBER(E{R}),E{R}>0,D{R}>=0),'
                  f'ROUND(ROUND(D{R}-E{R},{s_})/E{R},3),"")', f"{nm}: G formula {f}")
            check(row["G"].number_format == "0.0%", f"{nm}: G format {row['G'].number_format}")
            chart_rows.append((nm, R, want_pct(yoy, False)))
        check(eq(val["G"], want_pct(yoy, rate)), f"{nm}: 同比 cached {val['G']!r}, view {yoy}")
        if yoy.get("times") is not None:  # 倍 form: the growth as a multiple
            check(r1(val["G"]) == r1(yoy["times"]), f"{nm}: 同比 {val['G']} vs {yoy['times']}倍")
        # 当月值 and 环比 refer to 趋势
        mom = ind.get("mom") or {}
        tp = trows.get(nm, {}).get(N - 1)
        if not rate and tp:
            check(row["H"].value == f"=IF(AND(ISNUMBER(D{R}),ISNUMBER('趋势'!D{tp})),"
                  f"ROUND(D{R}-'趋势'!D{tp},{s_}),\"\")", f"{nm}: H formula {row['H'].value}")
            check(row["I"].value == f"=IF(AND(ISNUMBER(H{R}),ISNUMBER('趋势'!E{tp}),'趋势'!E{tp}>0,"
                  f"H{R}>=0),ROUND(ROUND(H{R}-'趋势'!E{tp},{s_})/'趋势'!E{tp},3),\"\")",
                  f"{nm}: I formula {row['I'].value}")
        elif rate and tp:
            inner = (f"ROUND(D{R}-'趋势'!D{tp},1)" if s_ <= 1
                     else f"ROUND(ROUND(D{R}-'趋势'!D{tp},{s_}),1)")
            check(row["I"].value == f"=IF(AND(ISNUMBER(D{R}),ISNUMBER('趋势'!D{tp})),{inner},\"\")",
                  f"{nm}: I formula {row['I'].value}")
        else:
            check(row["I"].value is None, f"{nm}: 环比 {row['I'].value} without last month")
        check(eq(val["I"], want_pct(mom, rate)), f"{nm}: 环比 cached {val['I']!r}, view {mom}")
        if row["I"].value is not None:
            check(row["I"].number_format == (PP if rate else "0.0%"),
                  f"{nm}: I format {row['I'].number_format}")
        # 完成率, 序时进度差 (amounts)
        comp = ind.get("completion") or {}
        sch = ind.get("schedule") or {}
        if not rate:
            check(row["K"].value == f'=IF(AND(ISNUMBER(D{R}),ISNUMBER(J{R}),J{R}>0),ROUND(D{R}/J{R},3),"")',
                  f"{nm}: K formula {row['K'].value}")
            check(row["L"].value == f'=IF(ISNUMBER(K{R}),ROUND(K{R}*100-ROUND({N}/12*100,1),1),"")',
                  f"{nm}: L formula {row['L'].value}")
        check(row["K"].number_format == "0.0%", f"{nm}: K format {row['K'].number_format}")
        check(row["L"].number_format == PP, f"{nm}: L format {row['L'].number_format}")
        wk = float(Decimal(comp["pct"]) / 100) if comp.get("has") else None
        check(eq(val["K"], wk), f"{nm}: 完成率 {val['K']} vs view {comp.get('pct')}")
        wl = float(Decimal(sch["gap"])) if sch.get("has") else None
        check(eq(val["L"], wl), f"{nm}: 序时进度差 {val['L']} vs view {sch.get('gap')}")
        parts = ["约数" if ind.get("approx") else None,
                 yoy.get("text") if not yoy.get("has_pct") else None, ind.get("note")]
        wantm = "；".join(p for p in parts if p) or None
        check(val["M"] == wantm, f"{nm}: 备注 {val['M']!r}, want {wantm!r}")
    check(val_empty(wv, n + 2), "主要指标: a row after the last indicator")
    # hidden chart source
    for k, (nm, R, exp) in enumerate(chart_rows):
        check(wv[f"O{k + 2}"].value == nm, f"chart source O{k + 2}: {wv[f'O{k + 2}'].value}")
        check(ws[f"P{k + 2}"].value == f'=IF(ISNUMBER(G{R}),G{R},"")', f"chart source P{k + 2}")
        check(eq(wv[f"P{k + 2}"].value, exp), f"chart source P{k + 2} cached")
    if chart_rows:
        check(ws.column_dimensions["O"].hidden, "主要指标: chart source columns not hidden")
    check_widths(ws, "主要指标", [2, 13], [34, 40])
    files = sheet_files(z)
    check(charts_of(z, files["主要指标"]) == [], "主要指标: charts belong on 图表")

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

    # ---- 趋势: each indicator from its first month with a figure to N
    ws, wt = wb["趋势"], wbv["趋势"]
    check([c.value for c in wt[1]] == ["指标", "单位", "月份", "1—当月", "当月值", "备注"], "趋势 header")
    R = 2
    want_charts = []
    for t, e in enumerate(trend):
        months = {m["month"]: m for m in e.get("months") or []}
        d = inds[t].get("decimals", 0)
        known = [m for m in range(1, N + 1) if (months.get(m) or {}).get("value") is not None]
        first = known[0] if known else N
        for m in range(first, N + 1):
            mm = months.get(m) or {}
            got = [c.value for c in wt[R]][:6]
            want = [e["name"], e.get("unit") or None, mm.get("label", f"{m}月"), mm.get("value"),
                    mm.get("month_value"), None if mm.get("value") is not None else "无数据"]
            check(got[:3] == want[:3] and eq(got[3], want[3]) and eq(got[4], want[4])
                  and got[5] == want[5], f"趋势 row {R}: {got} want {want}")
            check(ws[f"D{R}"].number_format == dec_fmt(d), f"趋势 D{R} format")
            fd = ws[f"D{R}"].value
            if m == N:
                check(fd == f"=IF(ISNUMBER('主要指标'!D{t + 2}),'主要指标'!D{t + 2},\"\")",
                      f"趋势 D{R}: {fd}")
            fe = ws[f"E{R}"].value
            if e.get("kind") != "rate" and m > first:
                check(isinstance(fe, str) and fe.startswith(
                    f"=IF(AND(ISNUMBER(D{R}),ISNUMBER(D{R - 1})),ROUND(D{R}-D{R - 1},"),
                    f"趋势 E{R}: {fe}")
            R += 1
        ncum = sum(1 for m in months.values() if m.get("value") is not None)
        nown = sum(1 for m in months.values() if m.get("month_value") is not None)
        if ncum >= 2:
            want_charts.append(("line", e["name"], e.get("kind") == "rate"))
        if e.get("kind") != "rate" and nown >= 2:
            want_charts.append(("column", e["name"], False))
    check(val_empty(wt, R), "趋势: extra rows")
    check(wb["趋势"].freeze_panes == "A2", "趋势 freeze")
    check(wb["趋势"].auto_filter.ref == f"A1:F{R - 1}", f"趋势 autofilter {wb['趋势'].auto_filter.ref}")
    check_print(wb["趋势"], "趋势")
    check_widths(wb["趋势"], "趋势", [1], [30])

    # ---- 图表: the 同比 chart (amounts), then each indicator's month charts
    ch = charts_of(z, files["图表"])
    want_n = (1 if chart_rows else 0) + len(want_charts)
    check(len(ch) == want_n, f"图表: {len(ch)} charts, want {want_n}")
    if chart_rows and ch:
        check(ch[0][0] == "column" and "同比" in ch[0][1], f"图表 first chart {ch[0][:2]}")
        check(ch[0][2] == [f"'主要指标'!$P$2:$P${len(chart_rows) + 1}"], f"同比 chart refs {ch[0][2]}")
        ch = ch[1:]
    for (kind, title, _), (wk, nm, rate) in zip(ch, want_charts):
        what = "当月值" if wk == "column" else "" if rate else "累计值"
        check(kind == wk and title.startswith(nm + what) and "累计" not in title[len(nm):] if rate
              else kind == wk and title.startswith(nm + what),
              f"图表 chart {kind} {title!r}, want {wk} {nm}{what}")
    check_print(wb["图表"], "图表")

    # ---- 说明
    ws = wbv["说明"]
    about = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    for k, want in (("单位", view.get("org")), ("标题", view.get("title")),
                    ("报告期", per.get("text")), ("累计期间", per.get("cumulative")),
                    ("序时进度", per.get("schedule_text")), ("源文件", view.get("source_file")),
                    ("源文件 SHA-256", view.get("source_sha256")),
                    ("模板", view.get("template") or "默认"),
                    ("生成时间", view.get("generated_text")),
                    ("生成工具", f"huibao {view.get('tool_version')}")):
        check(about.get(k) == want, f"说明 {k}: {about.get(k)!r}, want {want!r}")
    check("Z" not in (about.get("生成时间") or "Z") and "北京时间" in about.get("生成时间"),
          f"说明 生成时间 {about.get('生成时间')!r}")
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
    """Every cached result recomputed from the cells in exact decimals, rounded half away from
    zero as the formula says (what the report text computes)."""
    wb = openpyxl.load_workbook(path)
    wbv = openpyxl.load_workbook(path, data_only=True)
    check(wb.sheetnames == SHEETS, f"sheets {wb.sheetnames}")
    no_errors(wbv)
    ws, wv = wb["主要指标"], wbv["主要指标"]
    tv = wbv["趋势"]
    m = re.match(r"本期\(1—(\d+)月\)", str(ws["D1"].value))
    check(m is not None, f"主要指标 D1 {ws['D1'].value}")
    N = int(m.group(1)) if m else 12

    def dec(x):
        return None if x is None or x == "" else D(x)

    def ref(formula, col):
        r = re.search(r"'趋势'!" + col + r"(\d+)", formula or "")
        return dec(tv[f"{col}{r.group(1)}"].value) if r else None

    R = 2
    while wv[f"A{R}"].value is not None:
        v, ly, tg, h = (dec(wv[f"{c}{R}"].value) for c in "DEJH")
        nm = wv[f"B{R}"].value
        rate = ws[f"G{R}"].number_format == PP
        s_ = snap(ws[f"F{R}"].value, f"D{R}", f"E{R}")
        got = {c: dec(wv[f"{c}{R}"].value) for c in "FGHIKL"}
        want = {"F": v - ly if v is not None and ly is not None else None}
        if rate:
            want["G"] = rnd(v - ly, 1) if want["F"] is not None else None
        else:
            want["G"] = (rnd((v - ly) / ly, 3) if want["F"] is not None and ly > 0 and v >= 0
                         else None)
        fh, fi = ws[f"H{R}"].value, ws[f"I{R}"].value
        if isinstance(fh, str) and "趋势" in fh:
            p = ref(fh, "D")
            want["H"] = v - p if v is not None and p is not None else None
        if isinstance(fi, str) and rate:
            p = ref(fi, "D")
            want["I"] = rnd(v - p, 1) if v is not None and p is not None else None
        elif isinstance(fi, str):
            p = ref(fi, "E")
            want["I"] = rnd((h - p) / p, 3) if h is not None and p and p > 0 and h >= 0 else None
        if isinstance(ws[f"K{R}"].value, str):
            want["K"] = rnd(v / tg, 3) if v is not None and tg and tg > 0 else None
            want["L"] = (rnd(want["K"] * 100 - rnd(Decimal(N) / 12 * 100, 1), 1)
                         if want["K"] is not None else None)
        for c, w in want.items():
            check(got[c] == w, f"{nm}: {c}{R} cached {got[c]}, exact {w}")
        check(s_ is not None, f"{nm}: F formula {ws[f'F{R}'].value}")
        R += 1
    check(R > 2, "主要指标: no indicators")
    z = zipfile.ZipFile(path)
    check(len(charts_of(z, sheet_files(z)["图表"])) >= 1, "图表: no charts")
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
    for name in ("主要指标", "趋势"):
        for row in a[name].iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    x, y = av[name][c.coordinate].value, bv[name][c.coordinate].value
                    x = None if x == "" else x
                    y = None if y == "" else y
                    # the same double: the cached result is what ROUND gives
                    check(x == y, f"{name}!{c.coordinate}: ours {x!r}, LibreOffice {y!r}")
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
