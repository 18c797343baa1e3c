#!/usr/bin/python3
"""docxcheck.py - a huibao .docx read back by python-docx (Debian's python3-docx), checked
against the Markdown huibao wrote beside it.

  docxcheck.py REPORT.docx REPORT.md [--title T] [--author A] [--subject S] [--reference]

Checks: page size, margins, footer distance and odd/even footers "— N —" (right / left); the
document grid (22 lines × 28 characters as Word computes them from linePitch and charSpace);
the named styles and their fonts, sizes, indents and CJK spacing; every paragraph's text
equal to the Markdown's paragraphs in order (headings without #, strong/emphasis marks and
escapes removed, the signature block's two paragraphs), every table cell equal to the
Markdown table's; run-in lead sentences as runs in a lead character style; the table's
repeated header, unsplit rows and right-aligned figures; the core properties.
--reference: the document was built with a reference.docx, so style formats are not checked
(only that every style huibao uses exists).
Prints one line per failure and exits 1 when any check failed.
"""
import re
import sys
import zipfile

import docx
import docx.table
import docx.text.paragraph
from docx.oxml.ns import qn
from docx.shared import Emu

fails = []


def check(cond, msg):
    if not cond:
        fails.append(msg)
    return cond


def unescape(s):
    # backslash escapes of ASCII punctuation (CommonMark), then markup marks that are not escaped
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~":
            out.append("\x00" + s[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    t = "".join(out)
    t = t.replace("**", "").replace("~~", "")
    t = re.sub(r"(?<!\x00)\*", "", t)
    t = re.sub(r"<!--.*?-->", "", t)
    t = re.sub(r"<br\s*/?>", "\n", t)
    t = t.replace("\x00", "")
    # what the .docx shows for characters XML cannot carry (DEL, C1 controls): 〓, as the PDF
    return re.sub("[\x7f-\x9f]", "〓", t)


def md_blocks(md):
    """Paragraphs and tables of huibao's normalised Markdown, in order."""
    blocks = []
    for raw in re.split(r"\n\s*\n", md.strip("\n")):
        lines = raw.split("\n")
        if all(l.startswith("|") for l in lines if l.strip()) and len(lines) >= 2:
            rows = []
            for k, l in enumerate(lines):
                if k == 1:
                    continue  # the alignment row
                cells = re.split(r"(?<!\\)\|", l.strip())[1:-1]
                rows.append([unescape(c.strip()) for c in cells])
            blocks.append(("table", rows))
            continue
        text = raw.strip()
        if text.startswith("<!--") and text.endswith("-->"):
            continue
        text = re.sub(r"^#{1,6}\s+", "", text)
        text = unescape(text)
        # a soft line break inside a paragraph: nothing between CJK characters (huibao's rule)
        text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
        text = text.replace("\n", " ").strip()
        if text:
            blocks.append(("p", text))
    return blocks


def align(a):
    """ "right", "center" … from a python-docx alignment (an EnumValue in 0.8, an enum later)."""
    return "" if a is None else str(getattr(a, "name", a)).split(" ")[0].lower()


def style_font(style, attr):
    rpr = style.element.rPr
    if rpr is None or rpr.rFonts is None:
        return None
    return rpr.rFonts.get(qn("w:" + attr))


def main():
    args = sys.argv[1:]
    opts = {}
    pos = []
    i = 0
    while i < len(args):
        if args[i] in ("--title", "--author", "--subject"):
            opts[args[i][2:]] = args[i + 1]
            i += 2
        elif args[i] == "--reference":
            opts["reference"] = True
            i += 1
        else:
            pos.append(args[i])
            i += 1
    path, mdpath = pos
    d = docx.Document(path)
    md = open(mdpath, encoding="utf-8").read()

    # --- section: page, margins, footers
    s = d.sections[0]
    mm = lambda v: Emu(v).mm
    for name, got, want in (("page width", s.page_width, 210), ("page height", s.page_height, 297),
                            ("top margin", s.top_margin, 37), ("bottom margin", s.bottom_margin, 35),
                            ("left margin", s.left_margin, 28), ("right margin", s.right_margin, 26)):
        check(abs(mm(got) - want) < 0.1, f"{name}: {mm(got):.2f} mm, want {want}")
    check(20 <= mm(s.footer_distance) <= 28, f"footer distance {mm(s.footer_distance):.1f} mm")
    check(d.settings.odd_and_even_pages_header_footer, "evenAndOddHeaders not set")
    odd, even = s.footer, s.even_page_footer
    for label, f, jc in (("odd", odd, "right"), ("even", even, "left")):
        texts = [p.text for p in f.paragraphs]
        check(texts == ["— 1 —"], f"{label} footer text {texts!r}")
        if f.paragraphs:
            st = f.paragraphs[0].style
            al = st.paragraph_format.alignment
            check(align(al) == jc or opts.get("reference"),
                  f"{label} footer aligned {al}, want {jc}")
        fld = f._element.xpath(".//w:instrText")
        check(fld and fld[0].text.strip() == "PAGE", f"{label} footer has no PAGE field")

    # --- the grid as Word computes it
    sect = d.element.body.sectPr
    grid = sect.find(qn("w:docGrid"))
    check(grid is not None and grid.get(qn("w:type")) == "linesAndChars", "docGrid not linesAndChars")
    if grid is not None:
        pitch = int(grid.get(qn("w:linePitch")))
        cs = int(grid.get(qn("w:charSpace")))
        pg = sect.find(qn("w:pgSz"))
        mar = sect.find(qn("w:pgMar"))
        text_w = int(pg.get(qn("w:w"))) - int(mar.get(qn("w:left"))) - int(mar.get(qn("w:right")))
        text_h = int(pg.get(qn("w:h"))) - int(mar.get(qn("w:top"))) - int(mar.get(qn("w:bottom")))
        normal = d.styles["Normal"]
        size = normal.font.size.pt if normal.font.size else 10.5
        chars = int((text_w / 20) // (size + cs / 4096))
        lines = text_h // pitch
        check(lines == 22, f"grid: {lines} lines per page (linePitch {pitch})")
        check(chars == 28 or opts.get("reference"), f"grid: {chars} characters per line (charSpace {cs}, Normal {size} pt)")

    # --- styles
    names = {st.name for st in d.styles}
    used = {"Normal", "Title", "主送机关", "一级标题", "二级标题", "三级标题", "四级标题", "署名",
            "成文日期", "表格", "表头", "表格文字", "表格数字", "页码", "页码（双页）", "附件说明",
            "一级引导句", "二级引导句", "三级引导句", "四级引导句", "强调"}
    for n in sorted(used - names):
        check(False, f"style {n} missing")
    if not opts.get("reference"):
        want = {"Normal": ("仿宋", 16), "Title": ("方正小标宋简体", 22), "一级标题": ("黑体", 16),
                "二级标题": ("楷体", 16), "三级标题": ("仿宋", 16), "四级标题": ("仿宋", 16),
                "表头": ("黑体", 10.5), "表格文字": ("宋体", 10.5), "页码": ("宋体", 14)}
        for n, (font, size) in want.items():
            st = d.styles[n]
            ea = style_font(st, "eastAsia")
            check(ea == font, f"style {n}: East Asian font {ea!r}, want {font}")
            base = st
            while base is not None and base.font.size is None:
                base = base.base_style
            got_size = base.font.size if base is not None else None
            if n in ("表头", "表格文字"):
                # the table geometry (colwidth.h) shrinks a table from 10.5 down to 9 pt before
                # any cell wraps, as in the PDF
                check(got_size is not None and 9 - 0.01 <= got_size.pt <= size + 0.01,
                      f"style {n}: size {got_size}, want 9–{size} pt")
                continue
            check(got_size is not None and abs(got_size.pt - size) < 0.01,
                  f"style {n}: size {got_size}, want {size} pt")
        for n in ("Normal", "Title", "一级标题", "表格文字"):
            latin = style_font(d.styles[n], "ascii")
            check(latin == "Times New Roman", f"style {n}: Latin font {latin!r}")
        normal = d.styles["Normal"].element.pPr
        ind = normal.find(qn("w:ind"))
        check(ind is not None and ind.get(qn("w:firstLineChars")) == "200", "Normal: no 2-character indent")
        for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
            e = normal.find(qn(tag))
            check(e is not None and e.get(qn("w:val")) == "0", f"Normal: {tag} not off")
        check(align(d.styles["Title"].paragraph_format.alignment) == "center", "Title not centred")
        check(align(d.styles["表格数字"].paragraph_format.alignment) == "right", "表格数字 not right")
        lead = d.styles["二级引导句"]
        check(style_font(lead, "eastAsia") == "楷体", "二级引导句 not 楷体")
        check(style_font(d.styles["三级引导句"], "eastAsia") == "仿宋" and d.styles["三级引导句"].font.bold,
              "三级引导句 not 仿宋 bold")

    # --- text: every paragraph and table in Markdown order
    blocks = md_blocks(md)
    body = d.element.body
    got = []
    for el in body.iterchildren():
        if el.tag == qn("w:p"):
            p = docx.text.paragraph.Paragraph(el, d)
            t = p.text
            if p.style.name == "Title":
                t = t.replace("\n", "")
            if t:
                got.append(("p", t, p))
        elif el.tag == qn("w:tbl"):
            t = docx.table.Table(el, d)
            got.append(("table", [[c.text for c in r.cells] for r in t.rows], t))
    want_p = [b for b in blocks]
    check(len(got) == len(want_p), f"{len(got)} blocks in the docx, {len(want_p)} in the Markdown")
    for k, (g, w) in enumerate(zip(got, want_p)):
        if g[0] != w[0]:
            check(False, f"block {k}: {g[0]} in the docx, {w[0]} in the Markdown")
            break
        if g[0] == "p":
            check(g[1] == w[1], f"paragraph {k} differs:\n  docx: {g[1][:200]!r}\n  md:   {w[1][:200]!r}")
        else:
            check(g[1] == w[1], f"table {k} differs:\n  docx: {g[1][:3]!r}\n  md:   {w[1][:3]!r}")
    # run-in lead sentences: the first run carries a lead style, the rest of the paragraph not
    for g in got:
        if g[0] != "p" or g[2].style.name != "Normal":
            continue
        m = re.match(r"^(（[一二三四五六七八九十]+）|\d+\.|（\d+）)", g[1])
        runs = g[2].runs
        if m and runs and runs[0].style is not None and "引导句" in (runs[0].style.name or ""):
            is_lead = [r.style is not None and "引导句" in (r.style.name or "") for r in runs if r.text]
            first_body = is_lead.index(False) if False in is_lead else len(is_lead)
            check(not any(is_lead[first_body:]), f"lead style spills into the body: {g[1][:30]}")
    # tables: repeated header, unsplit rows, figures right-aligned
    for t in d.tables:
        rows = t._tbl.tr_lst
        check(rows[0].trPr is not None and rows[0].trPr.find(qn("w:tblHeader")) is not None,
              "table header row does not repeat")
        check(all(r.trPr is not None and r.trPr.find(qn("w:cantSplit")) is not None for r in rows),
              "a table row may split across pages")
        for r in t.rows[1:]:
            for c in r.cells:
                txt = c.text
                if re.fullmatch(r"[-+]?[\d.,]+%?", txt or "x"):
                    check(c.paragraphs[0].style.name == "表格数字", f"figure {txt} not 表格数字")
    # signature block
    sig = [g for g in got if g[0] == "p" and g[2].style.name in ("署名", "成文日期")]
    check(len(sig) == 2 and sig[0][2].style.name == "署名" and sig[1][2].style.name == "成文日期",
          f"signature block: {[(g[2].style.name, g[1]) for g in sig]}")

    # --- properties
    cp = d.core_properties
    for key in ("title", "author", "subject"):
        if key in opts:
            check(getattr(cp, key) == opts[key], f"core {key} {getattr(cp, key)!r}, want {opts[key]!r}")

    # --- no macros, no external links
    z = zipfile.ZipFile(path)
    check(not any(n.endswith(".bin") or "vbaProject" in n for n in z.namelist()), "macro part present")
    for n in z.namelist():
        if n.endswith(".rels"):
            check("TargetMode=\"External\"" not in z.read(n).decode(), f"external link in {n}")

    for f in fails:
        print("FAIL:", f)
    print(f"docxcheck {path}: {'ok' if not fails else str(len(fails)) + ' failures'}")
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
