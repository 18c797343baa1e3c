#!/usr/bin/python3
"""xlsxzipcheck.py - how a workbook's zip entries were compressed (src/xlsxzip.c), checked with
the standard library and libdeflate itself (ctypes), not with huibao's code.

  xlsxzipcheck.py --libdeflate LEVEL FILE...   every entry deflated (method 8) with its CRC-32
                                               and sizes right, its data exactly libdeflate's
                                               raw deflate of the part at LEVEL, and inflated
                                               by zlib to the same part
  xlsxzipcheck.py --zlib FILE...               every entry exactly zlib's raw deflate at level 6
                                               (minizip's own, the pass-through path)
  xlsxzipcheck.py --same-parts A B             A and B hold the same parts, byte for byte, in
                                               the same order

Exit status 1 and one line per problem on failure."""
import ctypes
import ctypes.util
import struct
import sys
import zipfile
import zlib

fails = []


def raw_entries(path):
    """(info, part, deflated bytes as stored) of every entry, in order."""
    z = zipfile.ZipFile(path)
    out = []
    with open(path, "rb") as f:
        for i in z.infolist():
            f.seek(i.header_offset)
            h = f.read(30)
            sig, _, _, method, _, _, crc, csize, usize, nlen, xlen = struct.unpack("<IHHHHHIIIHH", h)
            if sig != 0x04034B50:
                fails.append(f"{path}: {i.filename}: no local header at {i.header_offset}")
                continue
            if (method, crc, csize, usize) != (i.compress_type, i.CRC, i.compress_size, i.file_size):
                fails.append(f"{path}: {i.filename}: local header {method, crc, csize, usize} "
                             f"!= central {i.compress_type, i.CRC, i.compress_size, i.file_size}")
            f.seek(i.header_offset + 30 + nlen + xlen)
            out.append((i, z.read(i), f.read(i.compress_size)))
    if z.testzip() is not None:
        fails.append(f"{path}: testzip: {z.testzip()}")
    return out


def check_common(path, i, part, stored):
    if i.compress_type != zipfile.ZIP_DEFLATED:
        fails.append(f"{path}: {i.filename}: method {i.compress_type}, not deflate")
    if zlib.crc32(part) != i.CRC:
        fails.append(f"{path}: {i.filename}: CRC {i.CRC:08x} != {zlib.crc32(part):08x}")
    if len(part) != i.file_size or len(stored) != i.compress_size:
        fails.append(f"{path}: {i.filename}: sizes {i.file_size}/{i.compress_size} "
                     f"!= {len(part)}/{len(stored)}")
    if zlib.decompress(stored, -15) != part:
        fails.append(f"{path}: {i.filename}: zlib does not inflate the entry to its part")


def libdeflate(level):
    lib = ctypes.CDLL(ctypes.util.find_library("deflate") or "libdeflate.so.0")
    lib.libdeflate_alloc_compressor.restype = ctypes.c_void_p
    lib.libdeflate_alloc_compressor.argtypes = [ctypes.c_int]
    lib.libdeflate_deflate_compress.restype = ctypes.c_size_t
    lib.libdeflate_deflate_compress.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
                                                ctypes.c_void_p, ctypes.c_size_t]
    c = lib.libdeflate_alloc_compressor(level)

    def deflate(data):
        cap = len(data) + len(data) // 8 + 1024
        buf = ctypes.create_string_buffer(cap)
        n = lib.libdeflate_deflate_compress(c, data, len(data), buf, cap)
        return buf.raw[:n]
    return deflate


def zlib6(data):
    z = zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)
    return z.compress(data) + z.flush()


def main(argv):
    if len(argv) >= 3 and argv[0] == "--same-parts":
        a, b = raw_entries(argv[1]), raw_entries(argv[2])
        if [(i.filename, p) for i, p, _ in a] != [(i.filename, p) for i, p, _ in b]:
            fails.append(f"{argv[1]} and {argv[2]} do not hold the same parts")
    elif len(argv) >= 3 and argv[0] == "--libdeflate":
        deflate = libdeflate(int(argv[1]))
        for path in argv[2:]:
            entries = raw_entries(path)
            if not entries:
                fails.append(f"{path}: no entries")
            for i, part, stored in entries:
                check_common(path, i, part, stored)
                if stored != deflate(part):
                    fails.append(f"{path}: {i.filename}: not libdeflate's raw deflate at {argv[1]}")
    elif len(argv) >= 2 and argv[0] == "--zlib":
        for path in argv[1:]:
            for i, part, stored in raw_entries(path):
                check_common(path, i, part, stored)
                if stored != zlib6(part):
                    fails.append(f"{path}: {i.filename}: not zlib's raw deflate at level 6")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
