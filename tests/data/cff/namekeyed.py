#!/usr/bin/python3
"""namekeyed.py SOURCE[#INDEX] OUT.otf TEXT... - a name-keyed OpenType/CFF font for the tests.

Every CJK font installed for the tests (Noto CJK, Fandol .otf) is CID-keyed; many offices' own
.otf fonts are name-keyed (glyph names, a top DICT without ROS, one Private DICT), and a PDF
shows them by glyph id. This makes one with fontTools: the glyphs of SOURCE that draw the
characters of the TEXT files, their outlines redrawn (so subroutines and the CID-keyed
FDArray go away) into a name-keyed CFF whose glyphs are named uniXXXX, with cmap, hmtx,
hhea, OS/2 (SOURCE's, so the serif class and weight stay), name and post."""
import os
import sys

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from fontcheck import open_font  # noqa: E402


def main():
    src, out, texts = sys.argv[1], sys.argv[2], sys.argv[3:]
    f = open_font(src)
    cmap = f.getBestCmap()
    chars = set()
    for t in texts:
        chars |= {ord(c) for c in open(t, encoding="utf-8").read()}
    cps = sorted(cp for cp in chars if cp in cmap and cp > 0x20)
    cs = f["CFF "].cff.topDictIndex[0].CharStrings
    hmtx = f["hmtx"]
    order, charstrings, metrics, newcmap = [".notdef"], {}, {}, {}
    glyph_name = {}
    for cp in cps:
        g = cmap[cp]
        if g not in glyph_name:
            glyph_name[g] = "uni%04X" % cp if cp <= 0xFFFF else "u%05X" % cp
            order.append(glyph_name[g])
        newcmap[cp] = glyph_name[g]
    for g, name in [(".notdef", ".notdef")] + sorted(glyph_name.items(), key=lambda x: x[1]):
        src_name = f.getGlyphOrder()[0] if g == ".notdef" else g
        adv, lsb = hmtx[src_name]
        pen = T2CharStringPen(adv, None)
        cs[src_name].draw(pen)
        charstrings[name] = pen.getCharString()
        metrics[name] = (adv, lsb)
    ps = f["name"].getDebugName(6) + "-NameKeyed"
    fb = FontBuilder(f["head"].unitsPerEm, isTTF=False)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(newcmap)
    fb.setupCFF(ps, {"FullName": ps}, charstrings, {})
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=f["hhea"].ascent, descent=f["hhea"].descent)
    fb.setupNameTable({"familyName": ps, "styleName": "Regular", "psName": ps})
    os2 = f["OS/2"]
    fb.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
                usWinAscent=os2.usWinAscent, usWinDescent=os2.usWinDescent,
                sFamilyClass=os2.sFamilyClass, usWeightClass=os2.usWeightClass,
                sCapHeight=getattr(os2, "sCapHeight", 0))
    fb.setupPost()
    fb.save(out)
    print("%s: %d glyphs, name-keyed CFF" % (out, len(order)))


if __name__ == "__main__":
    main()
