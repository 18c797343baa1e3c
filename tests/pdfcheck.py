#!/usr/bin/python3
"""pdfcheck.py - check a typeset report from the PDF alone (poppler's pdftotext -bbox-layout
and -raw, pdffonts, pdfinfo; qpdf). Standard library only.

usage: pdfcheck.py REPORT.pdf SOURCE.md

Checks: no line starts with a closing/pause mark or ends with an opening mark (GB/T 15834 禁则),
every word lies inside the 156 x 225 mm text area except the page number, page numbers read
"— N —" and sit right on odd pages and left on even pages one character in, below the text area,
the text round-trips (whitespace removed), poppler prints no warnings, qpdf --check is clean,
every font is an embedded subset with a ToUnicode map, the outline has the headings and each
entry a page, and the file is PDF 1.5 with object streams and a cross-reference stream."""
import json, re, subprocess, sys
import xml.etree.ElementTree as ET

MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, (210 - 26) * MM
TOP, BOTTOM = 37 * MM, (297 - 35) * MM
CHAR = (156 * MM) / 28
TOL = 1.0
NO_START = set("、，；：。！？）〕】》〉”’」』·!%),.:;?]}°‰℃")
NO_END = set("（〔【《〈“‘「『([{")

errors = []


def err(msg):
    errors.append(msg)
    print("FAIL:", msg)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True)
    if p.stderr.strip():
        err("%s wrote to stderr: %s" % (cmd[0], p.stderr.decode("utf-8", "replace").strip()[:300]))
    return p


def main():
    pdf, md = sys.argv[1], sys.argv[2]
    # --- geometry and 禁则 from the bounding boxes
    x = run(["pdftotext", "-bbox-layout", pdf, "-"]).stdout.decode("utf-8")
    x = re.sub(r'xmlns="[^"]*"', "", x, count=1)
    root = ET.fromstring(x)
    pages = root.findall(".//page")
    if len(pages) < 3:
        err("expected at least 3 pages, got %d" % len(pages))
    nlines = 0
    for pi, page in enumerate(pages, 1):
        numbers = []
        # Group words by baseline: pdftotext starts a new "line" where compressed punctuation
        # makes glyph boxes overlap (》， in 1.5 em), but it is one typeset line.
        rows = {}
        for w in page.iter("word"):
            y1 = float(w.get("yMax"))
            key = next((k for k in rows if abs(k - y1) < 1.0), y1)
            rows.setdefault(key, []).append(w)
        for y1, words in sorted(rows.items()):
            words.sort(key=lambda w: float(w.get("xMin")))
            text = "".join(w.text or "" for w in words)
            if y1 > BOTTOM + TOL:  # below the text area: must be the page number
                numbers.append((text, float(words[0].get("xMin")), float(words[-1].get("xMax")),
                                min(float(w.get("yMin")) for w in words), y1))
                continue
            nlines += 1
            if text[0] in NO_START:
                err("page %d: line starts with %r: %s" % (pi, text[0], text))
            if text[-1] in NO_END:
                err("page %d: line ends with %r: %s" % (pi, text[-1], text))
            for w in words:
                x0, y0, x1, y1w = (float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
                # a closing mark at the line end may be set in half width (GB/T 15834 5.1.10):
                # its ink stays inside, its advance box does not
                slack = 8.5 if (w.text or " ")[-1] in "，。、；：！？）》”’】" else 0
                # and an opening mark starting a wrapped line loses its blank left half
                # (clreq "Line Start and Line End Adjustment"): its ink starts at the margin
                lslack = 8.5 if w is words[0] and (w.text or " ")[0] in "（《“‘【〔〈「『" else 0
                if x0 < LEFT - TOL - lslack or x1 > RIGHT + TOL + slack or y0 < TOP - TOL:
                    err("page %d: word outside the text area (%.1f,%.1f)-(%.1f,%.1f): %s"
                        % (pi, x0, y0, x1, y1w, w.text))
        if len(numbers) != 1:
            err("page %d: expected one page number line below the text area, got %r" % (pi, numbers))
            continue
        text, x0, x1, y0, y1 = numbers[0]
        if text.replace(" ", "") != "—%d—" % pi:
            err("page %d: page number reads %r" % (pi, text))
        # the dash line's top is 7 mm below the text area: the glyph boxes (ascent to descent
        # of a 14 pt font) must straddle that, starting below the text area
        if not (BOTTOM < y0 < BOTTOM + 7 * MM < y1 < BOTTOM + 7 * MM + 14):
            err("page %d: page number box %.1f-%.1f pt not around 7 mm below the text area (%.1f)"
                % (pi, y0, y1, BOTTOM + 7 * MM))
        if pi % 2 == 1 and abs(x1 - (RIGHT - CHAR)) > 3:
            err("page %d (odd): page number not right, one character in (xMax %.1f, want %.1f)"
                % (pi, x1, RIGHT - CHAR))
        if pi % 2 == 0 and abs(x0 - (LEFT + CHAR)) > 3:
            err("page %d (even): page number not left, one character in (xMin %.1f, want %.1f)"
                % (pi, x0, LEFT + CHAR))
    if nlines < 40:
        err("only %d text lines found" % nlines)

    # --- text round trip
    raw = run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"]).stdout.decode("utf-8")
    src = open(md, encoding="utf-8").read()
    src = re.sub(r"<!--.*?-->", "", src, flags=re.S)
    headers = []
    lines = []
    prev_table = False
    for ln in src.splitlines():
        s = ln.strip()
        if re.fullmatch(r"\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?", s):
            continue
        if s.startswith("|") and not prev_table:
            headers.append(re.sub(r"\s|\|", "", s))
        prev_table = s.startswith("|")
        s = re.sub(r"^#+\s*", "", s)
        lines.append(s)
    want = re.sub(r"\s|\||\*", "", "".join(lines))
    got_pages = []
    for ptxt in raw.split("\f"):
        t = re.sub(r"\s", "", ptxt)
        t = re.sub(r"—\d+—$", "", t)
        got_pages.append(t)
    for i in range(1, len(got_pages)):
        for h in headers:  # table header rows repeated at a page top, under a 续表 line
            m = re.match(r"续附?表[0-9一二三四五六七八九十.\-]*", got_pages[i])
            rest = got_pages[i][m.end():] if m else got_pages[i]
            if rest.startswith(h):
                got_pages[i] = rest[len(h):]
            elif m and i > 0:
                err("page %d starts with %r but no repeated table header" % (i + 1, m.group(0)))
    got = "".join(got_pages)
    if got != want:
        k = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]),
                 min(len(got), len(want)))
        err("text does not round-trip at %d: pdf %r vs source %r" % (k, got[k - 10:k + 30],
                                                                    want[k - 10:k + 30]))

    # --- fonts, structure, metadata
    fonts = run(["pdffonts", pdf]).stdout.decode("utf-8").splitlines()[2:]
    if not fonts:
        err("no fonts listed")
    for f in fonts:
        cols = f.split()
        if cols[-5:-2] != ["yes", "yes", "yes"] or not re.match(r"[A-Z]{6}\+", cols[0]):
            err("font not an embedded subset with ToUnicode: %s" % f)
    q = subprocess.run(["qpdf", "--check", pdf], capture_output=True)
    if q.returncode != 0 or b"No syntax or stream encoding errors" not in q.stdout:
        err("qpdf --check: %s" % (q.stdout + q.stderr).decode("utf-8", "replace")[:400])
    info = run(["pdfinfo", pdf]).stdout.decode("utf-8")
    for key in ("Title:", "Author:", "Subject:", "CreationDate:"):
        if not re.search(r"^%s\s+\S" % key, info, re.M):
            err("pdfinfo lacks %s" % key)
    # --- the file layout huibao writes itself (pdf_write.c): a PDF 1.5 header matching what
    # readers report, objects packed into object streams, a cross-reference stream as the
    # trailer, stream lengths written directly (no indirect number objects left behind)
    with open(pdf, "rb") as fh:
        if fh.read(9) != b"%PDF-1.5\n":
            err("file does not start with %PDF-1.5")
    if not re.search(r"^PDF version:\s+1\.5$", info, re.M):
        err("pdfinfo does not report PDF version 1.5")
    trailer = run(["qpdf", "--show-object=trailer", pdf]).stdout.decode("utf-8", "replace")
    if "/Type /XRef" not in trailer or "/Root" not in trailer or "/Info" not in trailer:
        err("trailer is not a cross-reference stream with /Root and /Info: %s" % trailer[:200])
    xref = run(["qpdf", "--show-xref", pdf]).stdout.decode("utf-8", "replace")
    if "compressed; stream" not in xref:
        err("no object is in an object stream")
    oj = subprocess.run(["qpdf", "--json", "--json-key=qpdf", "--json-stream-data=none", pdf],
                        capture_output=True)
    try:
        objs = json.loads(oj.stdout)["qpdf"][1]
        bare = [k for k, v in objs.items() if isinstance(v.get("value"), (int, float))]
        if bare:
            err("indirect number objects (stream lengths?) left: %s" % bare[:5])
    except (ValueError, KeyError, IndexError) as e:
        err("cannot read the objects with qpdf --json: %s" % e)
    qj = subprocess.run(["qpdf", "--json", "--json-key=outlines", pdf], capture_output=True)
    try:
        outl = json.loads(qj.stdout)["outlines"]
        titles = []

        def walk(items):
            for o in items:
                titles.append(o.get("title", ""))
                if not o.get("destpageposfrom1"):
                    err("outline entry %r has no destination page" % o.get("title"))
                walk(o.get("kids", []))

        walk(outl)
        heads = [re.sub(r"^#+\s*", "", l).strip() for l in src.splitlines() if l.startswith("#")]
        if titles != heads:
            err("outline %r != headings %r" % (titles, heads))
    except (ValueError, KeyError) as e:
        err("cannot read the outline with qpdf --json: %s" % e)

    print("%s: %d pages, %d lines checked, %d problems" % (pdf, len(pages), nlines, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
