#!/usr/bin/python3
"""justifycheck.py - judge justified body text from the PDF alone (pdfminer glyph positions),
never from huibao's own numbers.

  justifycheck.py gaps [--max EM] [--over FRACTION] [--worst EM] PDF...
      Every body line (3号, 16 pt) that reaches the right edge of the text area is a justified
      line (a paragraph's last line does not reach it and is left out). On such a line the extra
      advance over the grid pitch (156 mm / 28) between two consecutive 汉字 is measured, in em;
      the worst gap of every line is collected. Fails when any gap exceeds --max (default 0.05
      em), when a line holds more than 28 汉字, or when a line that is not a paragraph's last is
      left short (ragged: the next line carries on flush left, not indented).
      With --over, lines over --max are allowed up to that fraction of the justified lines
      and up to --worst em (for hostile material where unbreakable runs leave no choice).
  justifycheck.py numbers [--ranges N] [--units N] PDF
      No line ends inside a number: a figure at a line end with the rest of the number at the
      next line's start (12.|4%, 20|26年). A range parted after its dash (2026—|2030年) and a
      number parted from its measure word or unit (座谈会4|场, 6.8|公里) are the line breaker's
      last resorts before a loose line: allowed up to --ranges and --units times (default 0).
  justifycheck.py pages PDF
      Every page but the last two is filled to the 22-line grid unless the widow and orphan
      rules forbid the next line there (body text without tables or headings).
  justifycheck.py text [--splits N] PDF MD
      pdftotext (poppler, not pdfminer) of the PDF, in its plain mode, holds every paragraph
      of the Markdown as written: a line break stands for nothing between CJK characters and
      for a space between Latin words, no space may appear that the text does not have, and
      the page-number lines "— N —" are left out. A line break may fall only where a drawn
      line ends: every line pdftotext gives of a paragraph must be one whole line as drawn
      (pdfminer's glyphs on one baseline), or poppler has split a line in two ("开门红”" and
      "。" on a line of their own, where a squeezed mark's box overlaps the next glyph). Such
      splits are counted; more than --splits (default 0) fails.
  justifycheck.py boxes PDF
      Every glyph's box (its advance from /W, as pdftotext and a reader's selection take it)
      stays inside the text area's left and right edges (a squeezed mark at a line end or an
      opening mark starting a line used to reach 8 pt past them), and on a line no box
      overlaps the next one's by more than 1/16 em beyond the grid's tracking (a squeezed
      mark's box is its squeezed width, to the nearest eighth of an em).
  justifycheck.py fonts PDF
      Every embedded TrueType program (FontFile2, read with fontTools) agrees with its font
      dictionary: each width in /W and /DW is the glyph's hmtx advance (CIDToGIDMap /Identity),
      a composite glyph (a squeezed mark's, pdf_fonts.c) has one component, a glyph of the
      subset, and ToUnicode gives its CID the character it gives its component's. Prints how
      many such glyphs each font has.
"""
import re
import subprocess
import sys
import unicodedata

PAGE_W = 595.28
X0 = 28 * 72 / 25.4
W = 156 * 72 / 25.4
R = X0 + W
PITCH = W / 28
BODY = 16.0
# the body grid: the first line's baseline and the line pitch (22 lines in 225 mm; measured)
GRID_TOP = 716.45
GRID_PITCH = 28.95

fails = 0


def fail(msg):
    global fails
    fails += 1
    print("FAIL: " + msg)


def is_han(ch):
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x3FFFF
            or 0xF900 <= o <= 0xFAFF)


def glyph_rows(page, keep=lambda c: True):
    """The visible glyphs of page that keep() accepts, grouped by baseline (within 0.6 pt),
    top row first; each row in the order drawn. A dict {baseline: [glyphs]}."""
    from typesetcheck import chars_of  # the one pdfminer glyph walk of tests/ (imports pdfminer)

    rows = {}
    for c in chars_of(page):
        if not c.get_text().strip() or not keep(c):
            continue
        y = round(c.matrix[5], 1)
        for k in rows:
            if abs(k - y) < 0.6:
                y = k
                break
        rows.setdefault(y, []).append(c)
    return rows


def body_lines(page):
    rows = glyph_rows(page, lambda c: abs(c.size - BODY) <= 0.05)
    return [sorted(rows[y], key=lambda c: c.matrix[4]) for y in sorted(rows, reverse=True)]


def gaps(pdfs, limit, over_frac=None, worst_max=None):
    from pdfminer.high_level import extract_pages
    worst_all = 0.0
    total_lines = over = ragged = 0
    for pdf in pdfs:
        worst, where = 0.0, ""
        for pno, page in enumerate(extract_pages(pdf), 1):
            lines = body_lines(page)
            for li, cs in enumerate(lines):
                s = "".join(c.get_text() for c in cs)
                han = sum(1 for c in cs if is_han(c.get_text()))
                if han > 28:
                    fail("%s p%d: %d 汉字 on one line: %s" % (pdf, pno, han, s))
                right = cs[-1].x1
                left = cs[0].matrix[4]
                nxt = lines[li + 1] if li + 1 < len(lines) else None
                # a squeezed mark ending a line has a box up to 1/8 em narrower than its slot
                # (its squeeze in eighths, rounded up: layout.h, hu_run.cut)
                if right < R - BODY / 8 - 1.0:
                    # short: a paragraph's last line, unless the next line goes on flush left
                    # at the next grid line (a wrapped line of the same paragraph)
                    if (nxt and abs(nxt[0].matrix[4] - X0) < 0.5 and left - X0 < PITCH * 2.5
                            and abs(cs[0].matrix[5] - nxt[0].matrix[5] - 28.95) < 1.5
                            and right < R - PITCH * 1.5 and
                            not s.endswith(("：", "。", "；", "！", "？"))):
                        ragged += 1
                        fail("%s p%d: ragged line (%.1f pt short) before a flush-left line: %s"
                             % (pdf, pno, R - right, s))
                    continue
                total_lines += 1
                lw = 0.0
                for a, b in zip(cs, cs[1:]):
                    if is_han(a.get_text()) and is_han(b.get_text()):
                        extra = (b.matrix[4] - a.matrix[4] - PITCH) / BODY
                        lw = max(lw, extra)
                if lw > limit + 1e-4:
                    over += 1
                    msg = "%s p%d: gap %.3f em between 汉字: %s" % (pdf, pno, lw, s)
                    if over_frac is None:
                        fail(msg)
                    else:
                        print("over: " + msg)
                if lw > worst:
                    worst, where = lw, "p%d: %s" % (pno, s)
        print("%s: worst extra gap between 汉字 %.3f em (%s)" % (pdf, worst, where))
        worst_all = max(worst_all, worst)
    print("justified lines: %d, over %.2f em: %d (%.1f%%), ragged: %d, worst %.3f em"
          % (total_lines, limit, over, 100.0 * over / max(total_lines, 1), ragged, worst_all))
    if over_frac is not None and over > over_frac * total_lines:
        fail("%d of %d justified lines over %.2f em (allowed: %.1f%%)"
             % (over, total_lines, limit, 100 * over_frac))
    if worst_max is not None and worst_all > worst_max + 1e-6:
        fail("worst gap %.3f em over %.3f em" % (worst_all, worst_max))


def numbers(pdf, max_range=0, max_unit=0):
    from pdfminer.high_level import extract_pages
    rows = []
    for pno, page in enumerate(extract_pages(pdf), 1):
        rows += [(pno, "".join(c.get_text() for c in cs)) for cs in body_lines(page)]
    digit = lambda ch: ch.isdigit()
    checked = ranges = units = 0
    for (p1, a), (p2, b) in zip(rows, rows[1:]):
        if not a or not b:
            continue
        checked += 1
        x, y = a[-1], b[0]
        where = "%s p%d: %s|%s" % (pdf, p1, a[-12:], b[:8])
        if x in "—～" and digit(y) and len(a) > 1 and digit(a[-2]):
            # a range parted after its dash: both numbers whole (UAX #14 allows it), the
            # typesetter's last resort before a loose line
            ranges += 1
            print("range split: " + where)
        elif digit(x) and y in "年月日":
            fail("%s: a date is split at the line end" % where)
        elif digit(x) and y in "的之和与及或":
            pass  # an ID or a figure before a function word: not a number's unit
        elif digit(x) and is_han(y):
            # a number parted from its measure word or unit: the other last resort
            units += 1
            print("unit split: " + where)
        elif (digit(x) and (is_han(y) or digit(y) or y in ".%％")) or (x == "." and digit(y)):
            fail("%s: a number is split at the line end" % where)
    if ranges > max_range:
        fail("%s: %d ranges split after the dash (allowed %d)" % (pdf, ranges, max_range))
    if units > max_unit:
        fail("%s: %d numbers parted from their unit (allowed %d)" % (pdf, units, max_unit))
    print("%s: %d line ends checked, %d range splits, %d unit splits" % (pdf, checked, ranges,
                                                                        units))


def pages(pdf):
    """Every page but the last two holds 22 body lines unless a rule forbids the next line
    there: a paragraph's first line alone at a page foot (orphan), its last line alone at a
    page top (widow), so a paragraph of 2 or 3 lines moves whole. For body text without
    tables or headings (the generated report)."""
    from pdfminer.high_level import extract_pages
    pl = [body_lines(p) for p in extract_pages(pdf)]

    def starts(cs):  # a paragraph's first line: indented by two characters
        return cs[0].matrix[4] - X0 > PITCH * 1.5

    short = 0
    for i, ls in enumerate(pl[:-2]):
        # grid lines left below the last body line (the first page's title is not body text)
        free = round((ls[-1][0].matrix[5] - (GRID_TOP - 21 * GRID_PITCH)) / GRID_PITCH) if ls else 22
        if free <= 0:
            continue
        short += 1
        nxt = pl[i + 1]
        # the paragraph that goes on at the next page's top: its lines there and before
        k = 1
        while k < len(nxt) and not starts(nxt[k]):
            k += 1
        before = 0
        if not starts(nxt[0]):
            j = len(ls) - 1
            while j >= 0 and not starts(ls[j]):
                j -= 1
            before = len(ls) - j if j >= 0 else len(ls)
        total = before + k
        # could the page have taken m more lines of it, leaving at least 2 on each side?
        ok = any(before + m >= 2 and k - m >= 2 for m in range(1, free + 1))
        if ok:
            fail("%s p%d: %d grid lines free, and the paragraph going on at p%d (%d lines) "
                 "could fill one without a widow or an orphan" % (pdf, i + 1, free, i + 2, total))
    print("%s: %d pages, %d short of 22 lines, each for a widow or orphan rule" %
          (pdf, len(pl), short))


# ------------------------------------------------------------------ text layer

def md_paragraphs(md):
    out = []
    for block in re.split(r"\n\s*\n", open(md, encoding="utf-8").read()):
        b = block.strip()
        if not b or b.startswith("|") or b.startswith("<!--"):
            continue
        if re.match(r"(附?表[0-9一二三四五六七八九十]+)", b):
            continue  # a 表题: poppler reads it in the table's order, not as one line
        b = re.sub(r"^#+\s*", "", b)
        b = b.replace("**", "").replace("~~", "")
        b = re.sub(r"(?<!\\)\*", "", b)
        b = re.sub(r"\\(.)", r"\1", b)
        lines = [ln.strip() for ln in b.split("\n")]
        out.append(lines)
    return out


def join_md(lines):
    """Markdown soft breaks: nothing between CJK, a space between Latin (hu_cjk_joins)."""
    s = lines[0]
    for ln in lines[1:]:
        if not ln:
            continue
        a, b = s[-1:], ln[:1]
        wide = lambda ch: ch and unicodedata.east_asian_width(ch) in "WF"
        s += ("" if wide(a) or wide(b) else " ") + ln
    return s


def match_at(stream, k, para):
    """Where para ends when it matches stream from k, else None. '\\n' in the stream matches
    nothing or a space."""
    i, j = k, 0
    while j < len(para):
        if i >= len(stream):
            return None
        c = stream[i]
        if c == "\n":
            i += 1
            if para[j] == " ":
                j += 1
            continue
        if c != para[j] and not (c == " " and para[j] == "\u3000"):
            # poppler writes an ideographic space as " " (pdfminer reads U+3000 from the
            # ToUnicode map); anything else must be what the text has
            return None
        i += 1
        j += 1
    return i


def drawn_lines(pdf):
    """The text of every line as drawn (pdfminer: glyphs on one baseline, left to right), without
    spaces; a line ending in a hyphenated word also joined with the next, as poppler reads it."""
    from pdfminer.high_level import extract_pages
    out = set()
    for page in extract_pages(pdf):
        rows = glyph_rows(page)
        texts = [re.sub(r"\s", "", "".join(c.get_text() for c in
                                            sorted(rows[y], key=lambda c: c.matrix[4])))
                 for y in sorted(rows, reverse=True)]
        out.update(texts)
        # poppler joins a word hyphenated at a line end and drops the hyphen
        for t, u in zip(texts, texts[1:]):
            if re.search(r"[A-Za-z]-$", t):
                out.add(t[:-1] + u)
    return out


def text_layer(pdf, md, max_splits=0):
    stream = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True,
                            text=True, check=True).stdout
    stream = re.sub(r"(^|\n)—\s*\d+\s*—\n", "\n", stream.replace("\f", "\n"))
    stream = re.sub(r"\n+", "\n", stream)
    drawn = drawn_lines(pdf)
    missing = splits = 0
    for lines in md_paragraphs(md):
        para = join_md(lines)
        if not para:
            continue
        end = None
        for m in re.finditer(re.escape(para[0]), stream):
            end = match_at(stream, m.start(), para)
            if end is not None:
                break
        if end is not None:
            # every line pdftotext gives of the paragraph is a whole drawn line
            k = stream.rfind("\n", 0, m.start()) + 1
            while k < end:
                e = stream.find("\n", k)
                e = len(stream) if e < 0 else e
                line = re.sub(r"\s", "", stream[k:e])
                if line and line not in drawn:
                    splits += 1
                    if splits <= 20:
                        print("split: %s: pdftotext line %r is not a line as drawn" % (pdf, line))
                k = e + 1
        if end is None:
            missing += 1
            # show where it goes wrong: the longest matching prefix
            best = ""
            for m in re.finditer(re.escape(para[:6]), stream):
                seg = stream[m.start():m.start() + len(para) + 40].replace("\n", "⏎")
                best = seg
                break
            fail("%s: the text layer does not read as %r; found %r" % (pdf, para[:80], best[:120]))
    print("%s: %d paragraphs of %s checked, %d differ, %d lines split" %
          (pdf, len(md_paragraphs(md)), md, missing, splits))
    if splits > max_splits:
        fail("%s: %d lines of pdftotext are pieces of a drawn line (allowed: %d)" %
             (pdf, splits, max_splits))


def boxes(pdf):
    from pdfminer.high_level import extract_pages
    bad = 0
    for pno, page in enumerate(extract_pages(pdf), 1):
        rows = glyph_rows(page)
        for y in sorted(rows, reverse=True):
            cs = sorted(rows[y], key=lambda c: c.x0)
            s = "".join(c.get_text() for c in cs)
            msgs = []
            if cs[0].x0 < X0 - 0.01:
                msgs.append("“%s” starts %.2f pt left of the text area" % (cs[0].get_text(),
                                                                            X0 - cs[0].x0))
            if cs[-1].x1 > R + 0.3:  # the last glyph's box: 1 em, its slot 0.28 pt less
                msgs.append("“%s” ends %.2f pt right of it" % (cs[-1].get_text(), cs[-1].x1 - R))
            for a, b in zip(cs, cs[1:]):
                # the grid's tracking pulls every glyph 0.28 pt (1/56 em) into the one before
                if a.x1 - b.x0 > a.size / 16 + 0.3:
                    msgs.append("“%s%s” overlap by %.2f pt" % (a.get_text(), b.get_text(),
                                                             a.x1 - b.x0))
            for msg in msgs:
                bad += 1
                if bad <= 20:
                    fail("%s p%d: %s: %s" % (pdf, pno, msg, s))
    print("%s: %d glyph boxes out of place" % (pdf, bad))


def fonts(pdf):
    import io
    from fontTools.ttLib import TTFont
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1
    from fontcheck import cid_widths  # the one /W reader of tests/
    doc = PDFDocument(PDFParser(open(pdf, "rb")))
    for xref in doc.xrefs:
        for oid in xref.get_objids():
            try:
                t0 = resolve1(doc.getobj(oid))
            except Exception:
                continue
            if not isinstance(t0, dict) or getattr(t0.get("Subtype"), "name", "") != "Type0":
                continue
            cf = resolve1(resolve1(t0["DescendantFonts"])[0])
            desc = resolve1(cf["FontDescriptor"])
            if "FontFile2" not in desc:
                continue
            name = desc["FontName"].name
            if getattr(cf.get("CIDToGIDMap"), "name", "") != "Identity":
                print("%s: %s has its own CIDToGIDMap: not checked" % (pdf, name))
                continue
            font = TTFont(io.BytesIO(resolve1(desc["FontFile2"]).get_data()))
            upem, order = font["head"].unitsPerEm, font.getGlyphOrder()
            widths = cid_widths(resolve1(cf.get("W", [])), resolve1)
            uni = {}
            cmap = resolve1(t0["ToUnicode"]).get_data().decode("latin-1")
            for blk in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk):
                    uni[int(a, 16)] = b.upper()
            for blk in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for a, b, c in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>",
                                          blk):
                    for k in range(int(a, 16), int(b, 16) + 1):
                        uni[k] = "%04X" % (int(c, 16) + k - int(a, 16))
            dw = cf.get("DW", 1000)
            comp = 0
            for cid in uni:
                if cid >= len(order):
                    fail("%s: %s: CID %d past the font's %d glyphs" % (pdf, name, cid, len(order)))
                    continue
                adv = font["hmtx"][order[cid]][0] * 1000 / upem
                if abs(adv - widths.get(cid, dw)) > 1:
                    fail("%s: %s: CID %d is %s wide in /W, %.1f in hmtx" %
                         (pdf, name, cid, widths.get(cid, dw), adv))
                g = font["glyf"][order[cid]]
                if g.isComposite():
                    comp += 1
                    base = order.index(g.components[0].glyphName)
                    if len(g.components) != 1 or uni.get(base) != uni[cid]:
                        fail("%s: %s: composite CID %d (%s) is not glyph %d (%s) narrowed" %
                             (pdf, name, cid, uni[cid], base, uni.get(base)))
            print("%s: %s: %d glyphs drawn, %d of them squeezed marks' composites" %
                  (pdf, name, len(uni), comp))


def main():
    a = sys.argv[1:]
    if a and a[0] == "gaps":
        opts = {"--max": 0.05, "--over": None, "--worst": None}
        rest = a[1:]
        while rest[:1] and rest[0] in opts:
            opts[rest[0]] = float(rest[1])
            rest = rest[2:]
        gaps(rest, opts["--max"], opts["--over"], opts["--worst"])
    elif a and a[0] == "numbers":
        opts = {"--ranges": 0, "--units": 0}
        rest = a[1:]
        while rest[:1] and rest[0] in opts:
            opts[rest[0]] = int(rest[1])
            rest = rest[2:]
        if len(rest) != 1:
            print(__doc__)
            sys.exit(2)
        numbers(rest[0], opts["--ranges"], opts["--units"])
    elif len(a) == 2 and a[0] == "pages":
        pages(a[1])
    elif a and a[0] == "text":
        rest, max_splits = a[1:], 0
        if rest[:1] == ["--splits"]:
            max_splits, rest = int(rest[1]), rest[2:]
        if len(rest) != 2:
            print(__doc__)
            sys.exit(2)
        text_layer(rest[0], rest[1], max_splits)
    elif len(a) == 2 and a[0] == "boxes":
        boxes(a[1])
    elif len(a) == 2 and a[0] == "fonts":
        fonts(a[1])
    else:
        print(__doc__)
        sys.exit(2)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
