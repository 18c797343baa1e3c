#!/usr/bin/python3
"""font_coverage.py - measure candidate fallback fonts for huibao's default chains.

    /usr/bin/python3 bench/font_coverage.py [--missing SET] [FONT[#N] ...]

Without FONT arguments it measures every font file of the candidate Debian packages that is
installed (see CANDIDATES; install them first), plus the bundled fonts/ and the default chain
as fonts.c builds it. For each face it prints: outline format (glyf = TrueType, which libharu
can embed; CFF cannot), glyph count, OS/2 fsType (embedding), composite glyphs whose
component ids are >= 32768 (libharu 2.3.0 drops them; hb-subset renumbers glyphs first, so
huibao is safe as long as it subsets), and coverage of:

  gbk    every character glibc iconv decodes from a GBK double-byte code (0x81-0xFE lead,
         0x40-0xFE trail except 0x7F; 21,791 with glibc 2.36, none in the private use area)
  gbkx   the part of gbk that is not in GB 2312 (what the bundled Fandol fonts lack)
  extA   CJK Extension A, U+3400-U+4DB5 (Unicode 3.0, 6,582)
  extB   CJK Extension B, U+20000-U+2A6D6 (42,711)
  names  堃 喆 珺 玥 昇 犇 燊 燚 赟 镕 彧 旻 翀 祎 (names seen in real reports)

--missing SET lists the characters of SET (gbk, extA, ...) that no face of the given
FONT list (in order, a chain) has. Needs python3-fonttools and glibc's iconv (libc-bin).
"""
import ctypes
import glob
import os
import struct
import sys

from fontTools.ttLib import TTCollection, TTFont

HERE = os.path.dirname(os.path.abspath(__file__))
FONTS = os.path.join(HERE, "..", "fonts")

CANDIDATES = [  # (Debian package, style)
    ("fonts-arphic-uming", "宋 (明体)"),
    ("fonts-arphic-ukai", "楷"),
    ("fonts-arphic-gbsn00lp", "宋"),
    ("fonts-arphic-gkai00mp", "楷"),
    ("fonts-wqy-zenhei", "黑"),
    ("fonts-wqy-microhei", "黑"),
    ("fonts-droid-fallback", "黑"),
    ("fonts-hanazono", "明朝 (日本字形)"),
    ("fonts-babelstone-han", "宋 (明体)"),
    ("fonts-lxgw-wenkai", "楷"),
    ("fonts-cwtex-fs", "仿宋 (繁体)"),
    ("fonts-cwtex-ming", "宋 (繁体)"),
    ("fonts-cns11643-sung", "宋 (台湾字形)"),
    ("fonts-cns11643-kai", "楷 (台湾字形)"),
    ("fonts-ipamj-mincho", "明朝 (日本字形)"),
    ("fonts-noto-cjk", "黑/宋"),
]

NAMES = "堃喆珺玥昇犇燊燚赟镕彧旻翀祎"


def iconv_decode_all(charset, pairs):
    """Decode each 2-byte code with glibc iconv (not Python's codecs, whose GBK differs)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.iconv_open.restype = ctypes.c_void_p
    libc.iconv_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.iconv.restype = ctypes.c_size_t
    libc.iconv.argtypes = [ctypes.c_void_p] + [ctypes.c_void_p] * 4
    cd = libc.iconv_open(b"UTF-32BE", charset.encode())
    if cd == ctypes.c_void_p(-1).value:
        sys.exit(f"iconv_open {charset} failed")
    out = []
    ib = ctypes.create_string_buffer(2)
    ob = ctypes.create_string_buffer(16)
    for a, b in pairs:
        ib.raw = bytes((a, b))
        ip = ctypes.c_char_p(ctypes.addressof(ib))
        op = ctypes.c_char_p(ctypes.addressof(ob))
        il = ctypes.c_size_t(2)
        ol = ctypes.c_size_t(16)
        libc.iconv(cd, None, None, None, None)
        r = libc.iconv(cd, ctypes.byref(ip), ctypes.byref(il), ctypes.byref(op), ctypes.byref(ol))
        if r == ctypes.c_size_t(-1).value or ol.value != 12:
            continue
        out.append(struct.unpack(">I", ob.raw[:4])[0])
    return out


def sets():
    gbk = iconv_decode_all(
        "GBK", [(a, b) for a in range(0x81, 0xFF) for b in range(0x40, 0xFF) if b != 0x7F]
    )
    gb2312 = set(
        iconv_decode_all("GB2312", [(a, b) for a in range(0xA1, 0xF8) for b in range(0xA1, 0xFF)])
    )
    pua = [c for c in gbk if 0xE000 <= c <= 0xF8FF]
    assert not pua, f"{len(pua)} GBK codes decode to the private use area"
    return {
        "gbk": gbk,
        "gbkx": [c for c in gbk if c not in gb2312],
        "extA": list(range(0x3400, 0x4DB6)),
        "extB": list(range(0x20000, 0x2A6D7)),
        "names": [ord(c) for c in NAMES],
    }


def faces_of(path):
    """[(display, TTFont)] for a .ttf/.otf or every face of a .ttc."""
    if "#" in path:
        p, n = path.rsplit("#", 1)
        return [(path, TTFont(p, fontNumber=int(n), lazy=True))]
    if path.endswith((".ttc", ".otc")):
        col = TTCollection(path, lazy=True)
        return [(f"{path}#{i}", f) for i, f in enumerate(col.fonts)]
    return [(path, TTFont(path, lazy=True))]


def high_composites(font):
    """Composite glyphs with a component id >= 32768, parsed from glyf/loca directly
    (fontTools' glyph objects would take minutes on a 50 MB font)."""
    if "glyf" not in font or font["maxp"].numGlyphs <= 32768:
        return 0
    reader = font.reader
    glyf = reader["glyf"]
    long_loca = font["head"].indexToLocFormat == 1
    loca_raw = reader["loca"]
    n = font["maxp"].numGlyphs
    if long_loca:
        loca = struct.unpack(f">{n + 1}I", loca_raw[: 4 * (n + 1)])
    else:
        loca = [x * 2 for x in struct.unpack(f">{n + 1}H", loca_raw[: 2 * (n + 1)])]
    count = 0
    for g in range(n):
        s, e = loca[g], loca[g + 1]
        if e - s < 10 or struct.unpack(">h", glyf[s : s + 2])[0] >= 0:
            continue
        p = s + 10
        while p + 4 <= e:
            flags, gid = struct.unpack(">HH", glyf[p : p + 4])
            if gid >= 32768:
                count += 1
                break
            p += 4 + (4 if flags & 1 else 2)
            if flags & 0x8:
                p += 2
            elif flags & 0x40:
                p += 4
            elif flags & 0x80:
                p += 8
            if not flags & 0x20:
                break
    return count


def describe(display, font, S, package=""):
    cmap = font.getBestCmap() or {}
    has = lambda c: c in cmap and cmap[c] != ".notdef"
    outline = "glyf" if "glyf" in font else ("CFF" if "CFF " in font or "CFF2" in font else "?")
    fstype = font["OS/2"].fsType if "OS/2" in font else 0
    name = font["name"].getDebugName(4) or "?"
    cov = {k: sum(1 for c in v if has(c)) for k, v in S.items()}
    miss_names = "".join(chr(c) for c in S["names"] if not has(c))
    hc = high_composites(font) if outline == "glyf" else 0
    size = os.path.getsize(display.split("#")[0]) // 1024
    print(
        f"{display}\n  {name} [{package}] {outline}, {font['maxp'].numGlyphs} glyphs, "
        f"{size} KB, fsType {fstype:#x}, composites with ids >= 32768: {hc}"
    )
    print(
        "  "
        + "  ".join(f"{k} {cov[k]}/{len(S[k])}" for k in S)
        + (f"  (names lacking: {miss_names})" if miss_names else "")
    )
    return cmap


def missing(chain, sset):
    cmaps = []
    for path in chain:
        for _, f in faces_of(path)[:1]:
            cmaps.append(f.getBestCmap() or {})
    lost = [c for c in sset if not any(c in m for m in cmaps)]
    print(f"{len(lost)} of {len(sset)} have no face in the chain")
    for i in range(0, len(lost), 40):
        print("  " + " ".join(f"{chr(c)}U+{c:04X}" for c in lost[i : i + 40]))


def main():
    args = sys.argv[1:]
    S = sets()
    print(
        f"sets: gbk {len(S['gbk'])} (GB 2312 part {len(S['gbk']) - len(S['gbkx'])}), "
        f"extA {len(S['extA'])}, extB {len(S['extB'])}, names {len(S['names'])}\n"
    )
    if args and args[0] == "--missing":
        missing(args[2:], S[args[1]])
        return
    if args:
        for p in args:
            for d, f in faces_of(p):
                describe(d, f, S)
        return
    for p in sorted(glob.glob(os.path.join(FONTS, "*.ttf"))):
        describe(os.path.relpath(p, os.path.join(HERE, "..")), TTFont(p, lazy=True), S, "bundled")
    for pkg, style in CANDIDATES:
        listing = f"/var/lib/dpkg/info/{pkg}.list"
        if not os.path.exists(listing):
            print(f"({pkg} not installed)")
            continue
        files = [
            l.strip()
            for l in open(listing)
            if l.strip().endswith((".ttf", ".ttc", ".otf")) and os.path.isfile(l.strip())
        ]
        for p in sorted(set(os.path.realpath(x) for x in files)):
            for d, f in faces_of(p):
                describe(d, f, S, f"{pkg}, {style}")


if __name__ == "__main__":
    main()
