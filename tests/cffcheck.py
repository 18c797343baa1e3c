#!/usr/bin/python3
"""cffcheck.py - the OpenType/CFF fonts of a PDF draw the right glyphs. qpdf + fontTools.

usage: cffcheck.py REPORT.pdf NAME=FONTFILE[#INDEX]:cid|name ...

For every embedded CIDFontType0 font (FontFile3 /CIDFontType0C, decoded by qpdf --json) whose
BaseFont contains NAME, it checks, independently of huibao's code:
  - the font program is a CFF of the kind given: CID-keyed (`cid`, a top DICT with ROS) or
    name-keyed (`name`);
  - for every CID of its ToUnicode CMap (the codes the page shows, given back as characters):
    the glyph the CFF selects for that CID (PDF 32000-1 9.7.4.2: through the charset of a
    CID-keyed font, as the glyph index of a name-keyed one) has the same outline as the glyph
    the original font FONTFILE maps the character to (its cmap), and draws something.
So a content code that is a glyph id where a CID is needed (or the reverse) fails. A code
that draws a glyph appended by huibao's CFF writer (a squeezed punctuation mark, cff.h) passes
when its outline is the original's moved left by l eighths of an em (l = 0..8; hints are not
compared), its width in /W is the original advance less (l + r) eighths (r = 0..8) and the
charstring's own width equals /W: each such code is counted, the moved ones apart. Every NAME
must match an embedded CIDFontType0. Prints one line per font, exits 1 on any problem."""
import base64, io, json, os, subprocess, sys

from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import RecordingPen

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fontcheck import BLANK, cid_widths, open_font, pdf_objects, to_unicode  # noqa: E402


def outline(charstrings, name):
    pen = RecordingPen()
    charstrings[name].draw(pen)
    return [(op, tuple(tuple(round(c, 3) for c in p) for p in args)) for op, args in pen.value]


def moved(a, b):
    """dx when outline b is outline a moved along x by dx, else None."""
    if len(a) != len(b) or not a:
        return None
    dx = None
    for (oa, pa), (ob, pb) in zip(a, b):
        if oa != ob or len(pa) != len(pb):
            return None
        for (xa, ya), (xb, yb) in zip(pa, pb):
            if dx is None:
                dx = xb - xa
            if abs(xb - xa - dx) > 1e-3 or abs(yb - ya) > 1e-3:
                return None
    return dx


def widths(cf, val):
    """The /W array of a CIDFont dict (qpdf JSON) as {cid: width}, and /DW."""
    w = cf.get("/W", [])
    if isinstance(w, str):
        w = val(w)["value"]
    return cid_widths(w), cf.get("/DW", 1000)


def main():
    pdf, specs = sys.argv[1], sys.argv[2:]
    objs, val = pdf_objects(pdf)
    fail = False
    for spec in specs:
        name, rest = spec.split("=", 1)
        path, kind = rest.rsplit(":", 1)
        orig = open_font(path)
        ocmap = orig.getBestCmap()
        ocs = orig["CFF "].cff.topDictIndex[0].CharStrings
        found = 0
        for key, o in objs.items():
            d = o.get("value")
            if not isinstance(d, dict) or d.get("/Subtype") != "/CIDFontType0" or \
                    name not in d.get("/BaseFont", ""):
                continue
            found += 1
            base = d["/BaseFont"]
            fd = val(d["/FontDescriptor"])["value"]
            ff = val(fd["/FontFile3"])
            if ff["stream"]["dict"].get("/Subtype") != "/CIDFontType0C":
                print("FAIL: %s: FontFile3 is not /CIDFontType0C" % base)
                fail = True
                continue
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(base64.b64decode(ff["stream"]["data"])), None)
            top = cff.topDictIndex[0]
            cid_keyed = hasattr(top, "ROS")
            if cid_keyed != (kind == "cid"):
                print("FAIL: %s: the CFF is %s-keyed, expected %s-keyed" %
                      (base, "CID" if cid_keyed else "name", kind))
                fail = True
            order = top.charset  # glyph names in glyph order; "cid01234" when CID-keyed
            if cid_keyed:
                glyph_of = lambda cid: "cid%05d" % cid if "cid%05d" % cid in top.CharStrings else None
            else:
                glyph_of = lambda cid: order[cid] if cid < len(order) else None
            uni = {}
            for o2 in objs.values():
                d2 = o2.get("value")
                if isinstance(d2, dict) and d2.get("/Subtype") == "/Type0" and \
                        key.replace("obj:", "") in d2.get("/DescendantFonts", []):
                    uni = to_unicode(base64.b64decode(val(d2["/ToUnicode"])["stream"]["data"]))
            problems, n, squeezed, shifted = [], 0, 0, 0
            wd, dw = widths(d, val)
            upem = orig["head"].unitsPerEm
            for cid, cp in sorted(uni.items()):
                g = glyph_of(cid)
                want = ocmap.get(cp)
                n += 1
                if g is None or want is None:
                    problems.append("U+%04X (CID %d): no glyph" % (cp, cid))
                    continue
                got, orig_outline = outline(top.CharStrings, g), outline(ocs, want)
                full = orig["hmtx"][want][0] * 1000 / upem
                w = wd.get(cid, dw)
                dx = 0 if got == orig_outline else moved(orig_outline, got)
                if dx is None:
                    problems.append("U+%04X (CID %d): glyph %s is not the original %s" %
                                    (cp, cid, g, want))
                    continue
                if not got and cp not in BLANK:
                    problems.append("U+%04X (CID %d): draws nothing" % (cp, cid))
                    continue
                if dx == 0 and abs(w - full) <= 1:
                    continue  # the original glyph, or an unmoved copy as wide (an alias)
                # a squeezed mark: l eighths off the left (the ink moved), r off the right
                l8 = -dx * 8 / upem
                r8 = (full - w) / 125 - l8
                cs = top.CharStrings[g]
                cs.decompile()
                own = getattr(cs, "width", None)
                if abs(l8 - round(l8)) > 0.01 or not 0 <= round(l8) <= 8 or \
                        abs(r8 - round(r8)) > 0.02 or not 0 <= round(r8) <= 8:
                    problems.append("U+%04X (CID %d): moved %g, /W %g of %g: not a squeeze in "
                                    "eighths of an em" % (cp, cid, dx, w, full))
                elif own is None or abs(own * 1000 / upem - w) > 1:
                    problems.append("U+%04X (CID %d): the charstring's width %s is not /W %g" %
                                    (cp, cid, own, w))
                squeezed += 1
                shifted += dx != 0
            if problems or not n:
                fail = True
                print("FAIL: %s: %d of %d codes wrong: %s" % (base, len(problems), n,
                                                            "; ".join(problems[:5])))
            else:
                print("ok: %s: %s-keyed CFF, all %d codes draw the original glyphs, %d of them "
                      "squeezed marks' glyphs (%d moved left)" %
                      (base, "CID" if cid_keyed else "name", n, squeezed, shifted))
        if not found:
            print("FAIL: no CIDFontType0 font matches %s" % name)
            fail = True
    sys.exit(1 if fail else 0)


if __name__ == "__main__":
    main()
