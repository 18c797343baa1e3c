#!/usr/bin/python3
"""fontcheck.py - no character of a PDF is drawn with an empty glyph. Standard library + qpdf.

usage: fontcheck.py REPORT.pdf [FONTNAME-SUBSTRING...]

For every embedded TrueType font (FontFile2, decoded by qpdf --json) it reads the
ToUnicode CMap (which CIDs are drawn, as which characters) and the CIDToGIDMap (/Identity or a
stream) and checks that every drawn character (other than the blank spaces) has an outline: a simple glyph with contours, or a composite whose components (followed through
nested composites) all exist and have outlines. This is what libharu 2.3.0 gets wrong when a
composite refers to a glyph id >= 32768 (libs.md defect 2, WenQuanYi Zen Hei and Micro Hei,
Droid Sans Fallback): the component is left out of the embedded font and the character prints
blank while text extraction still looks right. Also: every embedded font has fewer than 32768
glyphs. The names given on the command line must each match an embedded font (BaseFont).
Prints one line per font and exits 1 on any problem."""
import base64, json, struct, subprocess, sys

BLANK = {0x20, 0xA0, 0x3000} | set(range(0x2000, 0x200C))


def tables(font):
    n = struct.unpack(">H", font[4:6])[0]
    out = {}
    for i in range(n):
        tag, _, off, length = struct.unpack(">4sIII", font[12 + 16 * i : 28 + 16 * i])
        out[tag.decode("latin-1")] = font[off : off + length]
    return out


def glyph_checker(font):
    t = tables(font)
    ng = struct.unpack(">H", t["maxp"][4:6])[0]
    long_loca = struct.unpack(">h", t["head"][50:52])[0] == 1
    loca = t["loca"]
    if long_loca:
        offs = struct.unpack(">%dI" % (ng + 1), loca[: 4 * (ng + 1)])
    else:
        offs = [2 * x for x in struct.unpack(">%dH" % (ng + 1), loca[: 2 * (ng + 1)])]
    glyf = t["glyf"]

    def check(g, depth=0):
        """None when glyph g draws something, else what is wrong."""
        if g >= ng:
            return "component %d beyond the %d glyphs" % (g, ng)
        s, e = offs[g], offs[g + 1]
        if e - s < 10:
            return "glyph %d is empty" % g
        ncont = struct.unpack(">h", glyf[s : s + 2])[0]
        if ncont > 0:
            return None
        if ncont == 0:
            return "glyph %d has no contours" % g
        if depth > 8:
            return "glyph %d: composites nested too deep" % g
        p = s + 10
        while True:
            flags, comp = struct.unpack(">HH", glyf[p : p + 4])
            bad = check(comp, depth + 1)
            if bad:
                return "glyph %d -> %s" % (g, bad)
            p += 4 + (4 if flags & 1 else 2)
            p += 2 if flags & 0x8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0
            if not flags & 0x20:
                return None

    return ng, check


def cid_widths(w, resolve=lambda x: x):
    """A CIDFont's /W array (PDF 32000-1 9.7.4.3: `c [w1 w2 ...]` or `c_first c_last w`) as
    {cid: width}; resolve gives an element's value (pdfminer's resolve1 for indirect ones)."""
    out, i = {}, 0
    while i < len(w):
        c, v = w[i], resolve(w[i + 1])
        if isinstance(v, list):
            for k, x in enumerate(v):
                out[c + k] = x
            i += 2
        else:
            for k in range(c, v + 1):
                out[k] = w[i + 2]
            i += 3
    return out


def to_unicode(cmap):
    """CID -> code point from a ToUnicode CMap's bfchar and bfrange entries."""
    import re
    out = {}
    hexs = lambda s: int(s, 16)
    def cp_of(h):
        b = bytes.fromhex(h)
        return ord(b.decode("utf-16-be")[0])
    text = cmap.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[hexs(src)] = cp_of(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for i in range(hexs(hi) - hexs(lo) + 1):
                out[hexs(lo) + i] = cp_of(dst) + i
    return out


def open_font(spec):
    """A fontTools TTFont (lazy) for huibao's font spec "FILE" or "FILE#INDEX" (a face of a
    collection, .ttc/.otc). fontTools is imported here: the checks above need the standard
    library only."""
    from fontTools.ttLib import TTFont
    path, index = spec, 0
    if "#" in spec:
        path, index = spec.rsplit("#", 1)
        index = int(index)
    return TTFont(path, fontNumber=index, lazy=True)


def pdf_objects(pdf):
    """Every object of pdf as qpdf's JSON (streams decoded, inline), and a lookup by "N 0 R"."""
    j = subprocess.run(
        ["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline",
         "--decode-level=generalized", pdf, "-"],
        capture_output=True, check=True).stdout
    objs = json.loads(j)["qpdf"][1]
    return objs, lambda ref: objs["obj:" + ref]


def main():
    pdf, want = sys.argv[1], sys.argv[2:]
    objs, val = pdf_objects(pdf)
    fail = False
    seen = []
    for key, o in objs.items():
        d = o.get("value")
        if not isinstance(d, dict) or d.get("/Subtype") != "/CIDFontType2":
            continue
        name = d.get("/BaseFont", "?")
        seen.append(name)
        fd = val(d["/FontDescriptor"])["value"]
        font = base64.b64decode(val(fd["/FontFile2"])["stream"]["data"])
        # the drawn CIDs are those the ToUnicode CMap gives characters for
        uni = {}
        for o2 in objs.values():
            d2 = o2.get("value")
            if isinstance(d2, dict) and d2.get("/Subtype") == "/Type0" and \
                    key.replace("obj:", "") in d2.get("/DescendantFonts", []):
                uni = to_unicode(base64.b64decode(val(d2["/ToUnicode"])["stream"]["data"]))
        m = d.get("/CIDToGIDMap", "/Identity")
        if m == "/Identity":
            gid_of = lambda cid: cid
        else:
            cmap = base64.b64decode(val(m)["stream"]["data"])
            gid_of = lambda cid: struct.unpack(">H", cmap[2 * cid : 2 * cid + 2])[0] \
                if 2 * cid + 2 <= len(cmap) else 0
        ng, check = glyph_checker(font)
        if ng >= 32768:
            print("FAIL: %s: %d glyphs (libharu drops composite components >= 32768)" % (name, ng))
            fail = True
        n = 0
        problems = []
        for cid, cp in sorted(uni.items()):
            gid = gid_of(cid)
            if cp in BLANK:
                continue
            n += 1
            bad = check(gid) if gid else "no glyph"
            if bad:
                problems.append("U+%04X (CID %d): %s" % (cp, cid, bad))
        if problems:
            fail = True
            print("FAIL: %s: %d of %d glyphs draw nothing: %s" % (name, len(problems), n,
                                                               "; ".join(problems[:5])))
        else:
            print("ok: %s: %d glyphs, all %d mapped codes have outlines" % (name, ng, n))
    for w in want:
        if not any(w in s for s in seen):
            print("FAIL: no embedded font matches %s (have %s)" % (w, ", ".join(seen)))
            fail = True
    sys.exit(1 if fail else 0)


if __name__ == "__main__":
    main()
