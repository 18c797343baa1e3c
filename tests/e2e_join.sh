#!/bin/bash
# e2e_join.sh - one line-join rule in every output (utf8.h hu_cjk_joins): a line break typed in
# the data joins without a space when either neighbour is CJK, and is one space between two
# Latin words. "推进中文⏎ABC" used to get a space in the HTML but not in the PDF or the XLSX.
# Checked in the .md, the .html, the PDF's text (pdftotext) and the workbook's 正文 sheet, for a
# Markdown text field and for one-paragraph fields (a title, a point).
set -u
export LC_ALL=C.UTF-8
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
cat >"$work/j.yaml" <<'YAML'
title: 换行测试汇报
org: 某某区产业开发区管理委员会
period: 2026-10
date: 2026-11-05
sections:
  - title: |-
      推进中文
      ABC工作
    text: |
      园区推进中文
      ABC项目建设，引进
      XYZ公司落户，English
      words stay apart，完成投资
      3.5亿元。
    points:
      - |-
        持续推进
        DEF改造
YAML
SOURCE_DATE_EPOCH=1793836800 "$HUIBAO" build -q "$work/j.yaml" -f md,html,pdf,xlsx -o "$work/out" || {
    echo "FAIL: build"
    exit 1
}
joined=("推进中文ABC项目建设，引进XYZ公司落户，English" "words stay apart，完成投资3.5亿元。" "推进中文ABC工作" "持续推进DEF改造")
md=$(cat "$work/out/j.md")
html=$(cat "$work/out/j.html")
pdf=$(pdftotext -raw -enc UTF-8 "$work/out/j.pdf" - | tr -d '\n\f')
for s in "${joined[@]}"; do
    grep -qF -- "$s" <<<"$md" && ok || bad ".md lacks [$s]"
    grep -qF -- "$s" <<<"$html" && ok || bad ".html lacks [$s]"
    grep -qF -- "$s" <<<"$pdf" && ok || bad "PDF text lacks [$s]"
done
# between two Latin words: a line break in the .md and the .html (a space to a reader), a space in
# the PDF and the workbook
grep -qF -- $'English\nwords' <<<"$md" && ok || bad ".md joined two Latin words"
# (a PDF line may end between them: a line break is as good as the space there)
pdf_lines=$(pdftotext -raw -enc UTF-8 "$work/out/j.pdf" - | tr '\n' ' ')
grep -qF -- "English words" <<<"$pdf_lines" && ok || bad "PDF text lacks [English words]"
# no space beside a CJK character anywhere in the text
for f in "$work/out/j.md" "$work/out/j.html"; do
    if grep -nP '[\p{Han}，。] [A-Z]|[A-Z] [\p{Han}，。]' "$f"; then bad "$f: a space beside CJK"; else ok; fi
done
if /usr/bin/python3 - "$work/out/j.xlsx" <<'PYEOF'; then ok; else bad "正文 sheet"; fi
import sys, openpyxl
cells = [r[3] for r in openpyxl.load_workbook(sys.argv[1])["正文"].iter_rows(min_row=2, values_only=True)]
want = ["一、推进中文ABC工作",
        "园区推进中文ABC项目建设，引进XYZ公司落户，English words stay apart，完成投资3.5亿元。",
        "持续推进DEF改造"]  # one point is not an enumeration (no lone 一是)
missing = [w for w in want if w not in cells]
print("xlsx 正文:", cells if missing else "ok")
sys.exit(1 if missing else 0)
PYEOF
finish "join"
