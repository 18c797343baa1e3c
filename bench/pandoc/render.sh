#!/bin/bash
# render.sh IN.md OUT.pdf - the pandoc + xelatex side of the comparison: the Markdown huibao
# wrote (same content as its PDF), typeset on huibao's default page (header.tex). The first
# heading ("# 标题") becomes the document title; "## 一、" headings become sections. Runs in a
# scratch folder so xelatex's auxiliary files never land next to the input.
# FONTS=arpl: the AR PL fonts (fonts-arphic-uming, fonts-arphic-ukai: 明体 for 宋/仿宋/黑,
# 楷体 for 楷) instead of Fandol, the anchor issue 19 measures against; same page otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
in=$(realpath "$1")
out=$(realpath -m "$2")
header=$here/header.tex
# ROLES=huibao: the same Fandol face for each role the Markdown lets xelatex tell apart as huibao
# uses (issue 19's "same fonts": huibao draws the bold run-in leads "**（一）…**" in Kai, not Hei,
# the title in FandolSong-Bold, digits and Latin in Liberation Serif); table header rows and the
# "表1" caption line, Hei in huibao, are plain text in the Markdown and stay as they are.
# Liberation Serif is taken from the repository's fonts/ (the files huibao embeds), not from
# fontconfig: a machine without fonts-liberation has no "Liberation Serif" for xelatex to find.
if [ "${ROLES:-}" = huibao ]; then
    fonts=$(cd "$here/../../fonts" && pwd)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    sed -e 's/BoldFont=FandolHei-Regular.otf/BoldFont=FandolKai-Regular.otf/' \
        -e 's/\\CJKfamily{song}\\@title/\\bfseries\\CJKfamily{songbold}\\@title/' \
        -e "s|^\\\\setCJKfamilyfont{song}.*|&\\n\\\\setCJKfamilyfont{songbold}{FandolSong-Bold.otf}\\n\\\\setmainfont{LiberationSerif}[Path=$fonts/,Extension=.ttf,UprightFont=*-Regular,BoldFont=*-Bold]|" \
        "$header" >"$tmp/header.tex"
    header=$tmp/header.tex
fi
if [ "${FONTS:-fandol}" = arpl ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    sed -e 's/FandolFang-Regular.otf/AR PL UMing CN/g; s/FandolSong-Regular.otf/AR PL UMing CN/g' \
        -e 's/FandolHei-Regular.otf/AR PL UMing CN/g; s/FandolKai-Regular.otf/AR PL UKai CN/g' \
        "$here/header.tex" >"$tmp/header.tex"
    header=$tmp/header.tex
fi
pandoc "$in" -f markdown-smart-auto_identifiers --shift-heading-level-by=-1 --pdf-engine=xelatex \
    --include-in-header="$header" -V indent=true -V documentclass=article --columns=40 \
    -o "$out"
