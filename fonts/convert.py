# convert.py - run by fonts/convert.sh under FontForge's Python: fontforge -lang=py -script
# convert.py IN.otf OUT.ttf
#
# Converts a CFF-based OpenType font to TrueType outlines. FontForge drops most of the name
# table of CID-keyed fonts such as Fandol (family, full name, copyright, licence URL), so the
# names are read from the source file's 'name' table and written back; the version string says
# that the file was converted.
import struct
import sys

import fontforge

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
font.generate(dst)
