#!/bin/bash
# render.sh IN.md OUT.pdf - the pandoc + xelatex side of the comparison: the Markdown huibao
# wrote (same content as its PDF), typeset on huibao's default page (header.tex). The first
# heading ("# 标题") becomes the document title; "## 一、" headings become sections. Runs in a
# scratch folder so xelatex's auxiliary files never land next to the input.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
in=$(realpath "$1")
out=$(realpath -m "$2")
exec pandoc "$in" -f markdown-smart-auto_identifiers --shift-heading-level-by=-1 --pdf-engine=xelatex \
    --include-in-header="$here/header.tex" -V indent=true -V documentclass=article --columns=40 \
    -o "$out"
