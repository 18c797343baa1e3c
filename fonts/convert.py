# convert.py - run by fonts/convert.sh under FontForge's Python: fontforge -lang=py -script
# convert.py IN.otf OUT.ttf
#
# Converts a CFF-based OpenType font to TrueType outlines. FontForge drops most of the name
# table of CID-keyed fonts such as Fandol (family, full name, copyright, licence URL), so the
# names are read from the source file's 'name' table and written back; the version string says
# that the file was converted.
#
# Then the glyphs are renumbered (fontTools) so that the ones a Chinese report uses lie together
# at the front of the file: ASCII, CJK punctuation and full-width forms first, then the Han
# characters from the most to the least frequent (frequencies summed over the words of jieba's
# dictionary, Debian's python3-jieba, MIT), then every other glyph in its old order. Nothing a
# reader sees changes: the same outlines, advances and cmap, only glyph ids and the order of the
# glyf, loca and hmtx entries. Why: a Fandol face is 5-8 MB with its ~10,000 glyphs in the order
# of the source (by CID); a month's report draws ~400 characters in the body face scattered over
# the whole file, and every 4 KiB page of the file huibao touches to read them costs a page
# fault on first use (hb-subset reading the glyphs, layout reading the advances). In frequency
# order those ~400 glyphs lie in the first ~300 KB. Measured on samples/2026-10.yaml
# (bench/README.md, Session 11): 146 fewer page faults a report, ~9 ms less CPU at load 7; the
# body face's subsetting 50 -> 16 faults.
import collections
import os
import struct
import sys
import tempfile

import fontforge
from fontTools.ttLib import TTFont

JIEBA_DICT = "/usr/lib/python3/dist-packages/jieba/dict.txt"

src, dst = sys.argv[1], sys.argv[2]


def read_names(path):
    data = open(path, "rb").read()
    numtables = struct.unpack(">H", data[4:6])[0]
    for i in range(numtables):
        tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        if tag == b"name":
            break
    else:
        return {}
    fmt, count, stroff = struct.unpack(">HHH", data[off:off + 6])
    names = {}
    for i in range(count):
        pid, eid, lid, nid, ln, o = struct.unpack(">HHHHHH", data[off + 6 + 12 * i:off + 18 + 12 * i])
        raw = data[off + stroff + o:off + stroff + o + ln]
        if pid == 3 and eid == 1 and lid == 0x409:
            names[nid] = raw.decode("utf-16-be")
    return names


names = read_names(src)
font = fontforge.open(src)
for nid, text in sorted(names.items()):
    if not text:
        continue
    if nid == 5:
        text += "; converted to TrueType (huibao fonts/convert.sh)"
    font.appendSFNTName("English (US)", nid, text)


def char_order():
    """Han characters by frequency in jieba's dictionary: each word's count added to each of its
    characters; ties broken by code point so that the order depends on nothing else."""
    count = collections.Counter()
    with open(JIEBA_DICT, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                for ch in parts[0]:
                    count[ch] += int(parts[1])
    return sorted(count, key=lambda ch: (-count[ch], ord(ch)))


def renumber(path_in, path_out):
    # no recalculated bounding boxes or time stamps: the outlines' own boxes stay as FontForge
    # wrote them (recalculating moved a few anti-aliased pixels), the dates stay pinned
    tt = TTFont(path_in, recalcBBoxes=False, recalcTimestamp=False)
    old = tt.getGlyphOrder()
    cmap = tt.getBestCmap()
    new, seen = [old[0]], {old[0]}  # .notdef stays glyph 0

    def take(glyph):
        if glyph is not None and glyph not in seen:
            seen.add(glyph)
            new.append(glyph)

    first = list(range(0x20, 0x7F)) + list(range(0x3000, 0x3020)) + list(range(0xFF01, 0xFF5F))
    first += [0xB7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026]
    for cp in first:
        take(cmap.get(cp))
    for ch in char_order():
        take(cmap.get(ord(ch)))
    for glyph in old:
        take(glyph)
    for tag in tt.keys():
        tt[tag]  # every table read, so that each is written again in the new order
    tt.setGlyphOrder(new)
    tt["glyf"].glyphOrder = new
    if hasattr(tt["post"], "glyphOrder"):
        tt["post"].glyphOrder = new
    tt.save(path_out)


fd, tmp = tempfile.mkstemp(suffix=".ttf", dir=os.path.dirname(os.path.abspath(dst)))
os.close(fd)
try:
    font.generate(tmp)
    renumber(tmp, dst)
finally:
    os.unlink(tmp)
