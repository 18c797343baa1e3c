#!/usr/bin/python3
"""typesetcheck.py - judge titles and tables in built PDFs from the PDF alone (pdfminer), with
hand-made marks and an independent segmenter (jieba) as references, never huibao's own code.

  typesetcheck.py titles MARKS PDF...   MARKS: tests/data/titles/titles.txt; PDF k is title k
  typesetcheck.py tables PDF            the indicator table of a built report
  typesetcheck.py sametitle PDF...      the title lines of each PDF equal the DOCX's beside it

titles: the PDF's title lines (first page, the largest size) read back to the title, and the
same lines in the title paragraph of a .docx built beside the PDF (python-docx); every line
break at a hand-marked point and at a jieba word boundary; the lines a 梯形 or 菱形 (rising, then
falling, the last line falling, adjacent lines at least one title character apart, so never an
hourglass); digits and Latin in a bold face; the white between the title's em box and the next
line's is one blank body line (2 × 28.95 − 16 pt), the same as before the signature.

tables: every cell's line breaks fall between jieba words and never inside a number with its
unit, 个百分点 or a bracketed unit; one font size in the table, between 9 and 10.5 pt, and 9 pt when
any body cell wraps (style.yaml: shrink before wrapping); every page the table continues on
starts with 续表 and the header again; at least three body rows under the header where the table
starts and at least two on its last page; equal white above the table (from the text above to
the caption's em box) and below it (from the last rule to the next line's em box) when both are
on one page; the next line on the body grid.
"""
import os
import re
import sys

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTCurve, LTLine, LTRect, LTTextContainer, LTTextLine

PITCH = 28.95
BODY = 16.0
TITLE = 22.0
TOP = 841.89 - 37 * 72 / 25.4  # top of the text area
BLANK_GAP = 2 * PITCH - BODY  # em box to em box across one empty body line

fails = 0


def fail(msg):
    global fails
    fails += 1
    print("FAIL: " + msg)


def chars_of(page):
    out = []

    def walk(o):
        if isinstance(o, LTChar):
            out.append(o)
        elif hasattr(o, "__iter__"):
            for x in o:
                walk(x)

    walk(page)
    return out


def rules_of(page):
    out = []

    def walk(o):
        if isinstance(o, (LTLine, LTRect, LTCurve)) and not isinstance(o, LTChar):
            out.append(o)
        elif hasattr(o, "__iter__") and not isinstance(o, LTChar):
            for x in o:
                walk(x)

    walk(page)
    return out


def base(c):
    return c.matrix[5]


def size(c):
    return round(c.size, 2)


def lines_of(chars):
    """Chars grouped by baseline, top to bottom, each line sorted left to right."""
    rows = {}
    for c in chars:
        if not c.get_text().strip():
            continue
        key = round(base(c), 1)
        for k in rows:
            if abs(k - key) < 0.6:
                key = k
                break
        rows.setdefault(key, []).append(c)
    return [(y, sorted(rows[y], key=lambda c: c.x0)) for y in sorted(rows, reverse=True)]


def text(cs):
    return "".join(c.get_text() for c in cs)


def jieba_bounds(s):
    import jieba
    import logging
    jieba.setLogLevel(logging.ERROR)
    b, pos = set(), 0
    for w in jieba.cut(s, HMM=False):
        pos += len(w)
        b.add(pos)
    return b


def on_grid(baseline):
    k = (TOP - baseline - (PITCH - BODY) / 2 - 0.88 * BODY) / PITCH
    return abs(k - round(k)) < 0.02


# ------------------------------------------------------------------ titles

def load_marks(path):
    out = []
    for ln in open(path, encoding="utf-8"):
        ln = ln.strip()
        if not ln or ln.startswith("#"):
            continue
        marks, pos, t = set(), 0, ""
        for ch in ln:
            if ch == "/":
                marks.add(pos)
            else:
                t += ch
                pos += 1
        out.append((t, marks))
    return out


def check_title(pdf, title, marks, stats, signature):
    # page 1 only (pdfminer takes about a second per document and page); the last page too for
    # the first title, to measure the blank line before the signature the same way
    pages = list(extract_pages(pdf, page_numbers=None if signature else [0]))
    chars = chars_of(pages[0])
    tl = [(y, [c for c in cs if size(c) >= TITLE - 0.1]) for y, cs in lines_of(chars)]
    tl = [(y, cs) for y, cs in tl if cs]
    got = "".join(text(cs) for _, cs in tl)
    if got != title:
        fail("%s: title reads %r, expected %r" % (pdf, got, title))
        return
    stats["lines"][len(tl)] = stats["lines"].get(len(tl), 0) + 1
    # breaks: at a hand mark and at a jieba boundary
    jb = jieba_bounds(title)
    pos, shown = 0, []
    for _, cs in tl[:-1]:
        pos += len(cs)
        if pos not in marks:
            fail("%s: break %s|%s is not a marked point" % (pdf, title[max(0, pos - 6):pos],
                                                            title[pos:pos + 6]))
        if pos not in jb:
            fail("%s: break %s|%s is inside a jieba word" % (pdf, title[max(0, pos - 6):pos],
                                                             title[pos:pos + 6]))
            stats["jieba_disagree"] += 1
    for _, cs in tl:
        shown.append(text(cs))
    # the DOCX built beside the PDF breaks the title at the same places (one title breaker)
    dx = pdf[:-4] + ".docx"
    if os.path.exists(dx):
        import docx
        paras = [p for p in docx.Document(dx).paragraphs if p.text.strip()]
        lines = paras[0].text.split("\n") if paras else []
        stats["docx"] += 1
        if lines != shown:
            fail("%s: the DOCX title lines %s differ from the PDF's %s" % (dx, " / ".join(lines),
                                                                       " / ".join(shown)))
    # shape: widths of the lines (first glyph's left to last glyph's right)
    w = [cs[-1].x1 - cs[0].x0 for _, cs in tl]
    for a, b in zip(w, w[1:]):
        if abs(a - b) < TITLE - 2:
            fail("%s: adjacent title lines %.1f and %.1f pt differ by less than a character: %s"
                 % (pdf, a, b, " / ".join(shown)))
    if len(w) >= 2:
        peak = w.index(max(w))
        rising = all(w[i] < w[i + 1] for i in range(peak))
        falling = all(w[i] > w[i + 1] for i in range(peak, len(w) - 1))
        if not (rising and falling and peak < len(w) - 1):
            fail("%s: title lines %s are not a 梯形 or 菱形: %s"
                 % (pdf, [round(x) for x in w], " / ".join(shown)))
        stats["shape"]["梯形" if peak == 0 else "菱形"] += 1
    # centred
    mid = (28 + 156 / 2) * 72 / 25.4
    for _, cs in tl:
        if abs((cs[0].x0 + cs[-1].x1) / 2 - mid) > 1.5:
            fail("%s: title line %r is not centred" % (pdf, text(cs)))
    # digits and Latin in a bold face
    for _, cs in tl:
        for c in cs:
            if re.match(r"[0-9A-Za-z%.]", c.get_text()) and "Bold" not in c.fontname:
                fail("%s: %r in the title is set in %s, not a bold face" % (pdf, c.get_text(),
                                                                            c.fontname))
                break
    # one blank line under the title, as before the signature
    rest = [(y, cs) for y, cs in lines_of(chars) if y < tl[-1][0] - 1 and size(cs[0]) == BODY]
    if rest:
        gap = (tl[-1][0] - 0.12 * TITLE) - (rest[0][0] + 0.88 * BODY)
        stats["gaps"].append(gap)
        if abs(gap - BLANK_GAP) > 0.5:
            fail("%s: %.1f pt of white under the title, one blank line is %.1f"
                 % (pdf, gap, BLANK_GAP))
        if not on_grid(rest[0][0]):
            fail("%s: the line after the title is off the body grid" % pdf)
    # the blank line before the signature, measured the same way
    bl = [(y, cs) for y, cs in lines_of(chars_of(pages[-1])) if size(cs[0]) == BODY]
    if signature and len(bl) >= 3:
        sig = bl[-2]  # 署名 above the date
        prev = [l for l in bl if l[0] > sig[0] + 1][-1]
        stats["sig_gaps"].append((prev[0] - 0.12 * BODY) - (sig[0] + 0.88 * BODY))
    return shown


def titles(marks_path, pdfs):
    corpus = load_marks(marks_path)
    if len(pdfs) != len(corpus):
        fail("%d PDFs for %d titles" % (len(pdfs), len(corpus)))
        return
    stats = {"lines": {}, "shape": {"梯形": 0, "菱形": 0}, "gaps": [], "sig_gaps": [],
             "jieba_disagree": 0, "docx": 0}
    marks_off_jieba = 0
    for k, ((t, marks), pdf) in enumerate(zip(corpus, pdfs)):
        jb = jieba_bounds(t)
        marks_off_jieba += len([m for m in marks if m not in jb])
        shown = check_title(pdf, t, marks, stats, k == 0)
        if shown and len(sys.argv) > 4 and sys.argv[-1] == "-v":
            print("   " + " / ".join(shown))
    print("titles: %d; lines %s; %s; gap under title %.2f–%.2f pt, before the signature "
          "%.2f–%.2f pt (one blank line = %.2f)"
          % (len(corpus), dict(sorted(stats["lines"].items())), stats["shape"],
             min(stats["gaps"]), max(stats["gaps"]), min(stats["sig_gaps"] or [0]),
             max(stats["sig_gaps"] or [0]), BLANK_GAP))
    print("docx: %d title(s) compared with the PDF's lines" % stats["docx"])
    print("jieba: %d of the hand marks are not jieba boundaries (jieba reads 2026|年 …: marks "
          "are judged by hand, jieba only vetoes breaks)" % marks_off_jieba)


def same_title(pdfs):
    """The title lines of each PDF against the title paragraph of the .docx beside it."""
    import docx
    for pdf in pdfs:
        chars = chars_of(list(extract_pages(pdf, page_numbers=[0]))[0])
        tl = [[c for c in cs if size(c) >= TITLE - 0.1] for _, cs in lines_of(chars)]
        shown = [text(cs) for cs in tl if cs]
        paras = [p for p in docx.Document(pdf[:-4] + ".docx").paragraphs if p.text.strip()]
        lines = paras[0].text.split("\n") if paras else []
        if lines != shown:
            fail("%s: the DOCX title lines %s differ from the PDF's %s" % (pdf, " / ".join(lines),
                                                                       " / ".join(shown)))
        else:
            print("same title lines: %s" % " / ".join(shown))


# ------------------------------------------------------------------ tables

UNIT = (r"(个百分点|百分点|万美元|亿美元|万千瓦时|亿千瓦时|千瓦时|万人次|人次|万标准箱|万平方米|平方米|"
        r"亿吨公里|万元|亿元|公顷|%|倍|个|家|件|人)")
NUMBER = re.compile(r"[-+−]?\d[\d.,]*" + UNIT + "?")
BRACKET = re.compile(r"（[^（）]{1,8}）")


def protected_spans(s):
    spans = [m.span() for m in NUMBER.finditer(s)] + [m.span() for m in BRACKET.finditer(s)]
    return [(a, b) for a, b in spans if b - a > 1]


def table_pages(pdf):
    """Per page: (chars, horizontal rule ys, vertical rule xs) of the table, if any."""
    out = []
    for page in extract_pages(pdf):
        rs = rules_of(page)
        hs = sorted({round(r.y0, 1) for r in rs if abs(r.y0 - r.y1) < 0.1 and r.x1 - r.x0 > 200},
                    reverse=True)
        vs = sorted({round(r.x0, 1) for r in rs if abs(r.x0 - r.x1) < 0.1 and r.y1 - r.y0 > 5})
        out.append((page, chars_of(page), hs, vs))
    return out


def cells_of(chars, hs, vs):
    """rows (top to bottom) of cells, each cell a list of lines (text)."""
    rows = []
    for top, bot in zip(hs, hs[1:]):
        row = []
        for left, right in zip(vs, vs[1:]):
            cs = [c for c in chars if bot < base(c) < top and left < (c.x0 + c.x1) / 2 < right]
            row.append([text(l) for _, l in lines_of(cs)])
        rows.append(row)
    return rows


def tables(pdf):
    pages = table_pages(pdf)
    tp = [(p, cs, hs, vs) for p, cs, hs, vs in pages if len(hs) >= 2 and len(vs) >= 2]
    if not tp:
        fail("%s: no table found" % pdf)
        return
    header = None
    sizes = set()
    wrapped = 0
    splits = 0
    ncells = 0
    body_rows = []
    for i, (page, chars, hs, vs) in enumerate(tp):
        rows = cells_of(chars, hs, vs)
        inside = [c for c in chars if hs[-1] < base(c) < hs[0] and vs[0] < c.x0 < vs[-1]]
        sizes |= {size(c) for c in inside}
        if header is None:
            header = rows[0]
        elif rows[0] != header:
            fail("%s: page %d: the table goes on without its header (%r)" % (pdf, page.pageid,
                                                                            rows[0]))
        if i > 0:
            above = [l for y, l in lines_of(chars) if y > hs[0]]
            if not above or not text(above[-1]).startswith("续表"):
                fail("%s: page %d: no 续表 above the repeated header" % (pdf, page.pageid))
        body_rows.append(len(rows) - 1)
        for row in rows[1:]:
            for cell in row:
                ncells += 1
                if len(cell) > 1:
                    wrapped += 1
                full = "".join(cell)
                jb = jieba_bounds(full)
                pos = 0
                for ln in cell[:-1]:
                    pos += len(ln)
                    where = full[max(0, pos - 5):pos] + "|" + full[pos:pos + 5]
                    if any(a < pos < b for a, b in protected_spans(full)):
                        fail("%s: a cell splits a number, unit or bracket: %s" % (pdf, where))
                        splits += 1
                    elif pos not in jb:
                        fail("%s: a cell breaks inside a jieba word: %s" % (pdf, where))
                        splits += 1
    if len(sizes) != 1:
        fail("%s: table sizes %s, expected one" % (pdf, sorted(sizes)))
    s = min(sizes)
    if not 9 - 0.01 <= s <= 10.5 + 0.01:
        fail("%s: table size %.2f outside 9–10.5" % (pdf, s))
    if wrapped and abs(s - 9) > 0.01:
        fail("%s: %d cells wrap at %.2f pt: the table should shrink to 9 pt first" % (pdf,
                                                                                     wrapped, s))
    if len(tp) > 1:
        if body_rows[0] < 3:
            fail("%s: only %d body rows under the header where the table starts" % (pdf,
                                                                                  body_rows[0]))
        if body_rows[-1] < 2:
            fail("%s: only %d body rows on the table's last page" % (pdf, body_rows[-1]))
    # white above and below
    first_page, fchars, fhs, _ = tp[0]
    last_page, lchars, lhs, _ = tp[-1]
    flines = lines_of(fchars)
    cap = [(y, l) for y, l in flines if fhs[0] < y < fhs[0] + 30 and size(l[0]) > s + 0.5
           and size(l[0]) != BODY]
    top_y = (cap[0][0] + 0.88 * size(cap[0][1][0])) if cap else fhs[0]
    prev = [(y, l) for y, l in flines if y > top_y + 1 and size(l[0]) == BODY]
    after = [(y, l) for y, l in lines_of(lchars) if y < lhs[-1] - 1 and size(l[0]) == BODY]
    above = (prev[-1][0] - 0.12 * BODY) - top_y if prev else None
    below = lhs[-1] - (after[0][0] + 0.88 * BODY) if after else None
    if after and not on_grid(after[0][0]):
        fail("%s: the line after the table is off the body grid" % pdf)
    if len(tp) == 1 and above is not None and below is not None and abs(above - below) > 0.5:
        fail("%s: %.1f pt of white above the table, %.1f below" % (pdf, above, below))
    print("table: %d page(s), body rows per page %s, size %.2f pt, %d of %d body cells wrap, "
          "%d bad splits; caption %r; white above %s, below %s"
          % (len(tp), body_rows, s, wrapped, ncells, splits, text(cap[0][1]) if cap else None,
             "%.1f" % above if above is not None else "-",
             "%.1f" % below if below is not None else "-"))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "titles":
        titles(sys.argv[2], [a for a in sys.argv[3:] if a != "-v"])
    elif len(sys.argv) >= 3 and sys.argv[1] == "sametitle":
        same_title(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "tables":
        tables(sys.argv[2])
    else:
        print(__doc__)
        sys.exit(2)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
