#!/bin/sh
# convert.sh - rebuild the bundled fonts from their Debian packages, byte for byte.
#
# FandolFang/Song/Hei/Kai are shipped by texlive-lang-chinese as CFF-based OpenType (.otf),
# which libharu cannot embed (it only embeds TrueType glyf outlines). FontForge converts them to
# TrueType once. convert.py does `fontforge.open(in); generate(out)` - the same as
# `fontforge -lang=ff -c 'Open($1); Generate($2)' in.otf out.ttf` - and copies the source's name
# table back (FontForge drops family, full name and copyright of CID-keyed fonts).
# SOURCE_DATE_EPOCH pins the timestamps FontForge writes into head/FFTM/name, so two runs give
# identical bytes. Liberation Serif (fonts-liberation2) is TrueType already
# and is copied unchanged.
#
# Usage: fonts/convert.sh [output-folder]   (default: the folder this script is in)
# Needs: fontforge, python3-fonttools, python3-jieba, texlive-lang-chinese, fonts-liberation2
# (Debian 12). convert.py also renumbers the glyphs by frequency (it says why).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
fandol=/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
liberation=/usr/share/fonts/truetype/liberation2
# 2015-07-18 00:00 UTC: the date of Fandol v0.3, the version Debian 12 ships.
SOURCE_DATE_EPOCH=1437177600
export SOURCE_DATE_EPOCH

for name in FandolFang-Regular FandolSong-Regular FandolSong-Bold FandolHei-Regular FandolKai-Regular; do
    fontforge -quiet -lang=py -script "$here/convert.py" "$fandol/$name.otf" "$out/$name.ttf" 2>/dev/null
    echo "$out/$name.ttf"
done
for name in LiberationSerif-Regular LiberationSerif-Bold; do
    cp "$liberation/$name.ttf" "$out/$name.ttf"
    echo "$out/$name.ttf"
done
