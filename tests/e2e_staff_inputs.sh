#!/usr/bin/env bash
# Inputs as office staff write them, through the whole pipeline (read back with pdftotext and
# openpyxl, not our own code):
#  1. a short month written as plain paragraphs at the top level (sections: ["…", "…"]):
#     every paragraph in the PDF, the Markdown and the XLSX 正文 sheet, the indicators too;
#  2. plain paragraphs mixed with titled sections: the indicators go under the first heading;
#  3. text pasted from Word (full-width indents, NBSPs, zero-width characters): a notice at
#     each place, the outputs clean, and no visible character lost (姓　名 keeps its blank).
set -u
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
DATA="$HU_SOURCE_DIR/tests/data/staff"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export SOURCE_DATE_EPOCH=1767225600
PY=/usr/bin/python3
fail=0
no() { echo "FAIL: $*"; fail=1; }

# words of a PDF's text on one line: pdftotext breaks lines and pages
pdftext() { pdftotext "$1" - | tr -d '\n\f'; }
xlsx_body() {
    $PY - "$1" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["正文"]
for row in ws.iter_rows(min_row=2, values_only=True):
    print(f"{row[1] or ''}\t{row[2]}\t{row[3]}")
PYEOF
}

# 1. plain paragraphs only
cp "$DATA/plain-paragraphs.yaml" "$OUT/2026-02.yaml"
msgs=$(cd "$OUT" && "$HUIBAO" check 2026-02.yaml 2>&1) || no "plain paragraphs: check failed: $msgs"
grep -q "警告\|错误" <<<"$msgs" && no "plain paragraphs: unexpected messages: $msgs"
(cd "$OUT" && "$HUIBAO" build -q 2026-02.yaml -o out -f pdf,md,xlsx) || no "plain paragraphs: build failed"
md="$OUT/out/2026-02.md"
pdf=$(pdftext "$OUT/out/2026-02.pdf")
body=$(xlsx_body "$OUT/out/2026-02.xlsx")
for p in "元旦、春节期间，园区安全生产形势总体平稳，未发生较大及以上安全生产事故，企业复工复产有序推进，规模以上工业企业复工率达到百分之九十五以上。" \
         "1—2月，园区新签约项目4个，总投资12.6亿元；新开工项目2个，项目建设开局良好。" \
         "下一步，园区将围绕全年目标任务，抓紧抓实项目建设和企业服务，确保一季度实现“开门红”。"; do
    grep -qxF -- "$p" "$md" || no "plain paragraphs: not a paragraph of the Markdown: $p"
    grep -qF -- "$p" <<<"$pdf" || no "plain paragraphs: not in the PDF: $p"
    grep -qF -- "$(printf '\t正文\t%s' "$p")" <<<"$body" || no "plain paragraphs: not in the XLSX 正文 sheet: $p"
done
grep -q '^## ' "$md" && no "plain paragraphs: a heading appeared"
grep -qF '| 技工贸总收入（亿元） | 21.36 |' "$md" || no "plain paragraphs: indicator table missing from the Markdown"
grep -qF '完成技工贸总收入21.36亿元' <<<"$pdf" || no "plain paragraphs: indicator summary missing from the PDF"

# 2. a paragraph, then titled sections: 一、 is the first heading and carries the indicators
cat >"$OUT/2026-03.yaml" <<'YAML'
title: 产业开发区2026年1—3月工作情况汇报
org: 某某区产业开发区管理委员会
period: 2026-03
date: 2026-04-03
indicators:
  - {name: 技工贸总收入, unit: 亿元, value: 33.5, last_year: 30.1}
sections:
  - 一季度，园区经济运行总体平稳，主要指标实现“开门红”。
  - title: 主要工作情况
    text: 项目建设稳步推进。
  - title: 下一步工作打算
    text: 抓好二季度各项工作。
YAML
(cd "$OUT" && "$HUIBAO" build -q 2026-03.yaml -o out -f md) || no "mixed: build failed"
md="$OUT/out/2026-03.md"
at() { grep -nF -m1 -- "$1" "$md" | cut -d: -f1; }
n1=$(at '一季度，园区经济运行') n2=$(at '## 一、主要工作情况') n3=$(at '| 技工贸总收入')
n4=$(at '## 二、下一步工作打算')
if ! [ -n "$n1" ] || ! [ -n "$n4" ] || ! [ "$n1" -lt "$n2" ] || ! [ "$n2" -lt "$n3" ] ||
    ! [ "$n3" -lt "$n4" ]; then
    no "mixed: paragraph, 一、, indicators, 二、 not in that order ($n1 $n2 $n3 $n4)"
fi

# 3. pasted from Word
cp "$DATA/word-paste.yaml" "$OUT/2026-02.yaml"
msgs=$(cd "$OUT" && "$HUIBAO" check 2026-02.yaml 2>&1) || no "word paste: check failed: $msgs"
for m in "2026-02.yaml:1:22: 提示: 文字中有从 Word 或网页粘贴带入的格式字符：看不见的零宽字符 1 个（已去掉）" \
         "2026-02.yaml:8:7: 提示: 文字中有从 Word 或网页粘贴带入的格式字符：段首的全角空格 4 个（已去掉，段首缩进由排版生成）、不间断空格 3 个（已换成普通空格）、看不见的零宽字符 1 个（已去掉）" \
         "2026-02.yaml:12:9: 提示: 文字中有从 Word 或网页粘贴带入的格式字符：段首的全角空格 2 个" \
         "2026-02.yaml:14:18: 提示: 文字中有从 Word 或网页粘贴带入的格式字符：不间断空格 1 个"; do
    grep -qF -- "$m" <<<"$msgs" || no "word paste: missing notice: $m"
done
(cd "$OUT" && "$HUIBAO" build -q 2026-02.yaml -o out -f pdf,md,xlsx) || no "word paste: build failed"
md="$OUT/out/2026-02.md"
pdf=$(pdftext "$OUT/out/2026-02.pdf")
body=$(xlsx_body "$OUT/out/2026-02.xlsx")
echo "$pdf" >"$OUT/pdf.txt"
echo "$body" >"$OUT/body.txt"
for f in "$md" "$OUT/pdf.txt" "$OUT/body.txt"; do
    if grep -qP '[\x{200B}\x{00A0}]|^\x{3000}|\t\x{3000}' "$f"; then no "word paste: artefact left in $f"; fi
done
grep -qF '# 产业开发区2026年1—2月工作情况汇报' "$md" || no "word paste: title not cleaned"
grep -qxF '元旦、春节期间，园区安全生产形势总体平稳，未发生较大及以上安全生产事故。' "$md" || no "word paste: indent left"
grep -qF 'Windows 10 系统已完成升级' <<<"$pdf" || no "word paste: NBSPs not plain spaces in the PDF"
for v in "姓　名" "加强金融服务，为12家企业争取贷款1.85亿元"; do
    grep -qF -- "$v" "$md" || no "word paste: Markdown lost: $v"
    grep -qF -- "$v" <<<"$body" || no "word paste: XLSX lost: $v"
    # pdftotext gives the ideographic space back as an ASCII one
    grep -qF -- "${v/　/ }" <<<"$pdf" || no "word paste: PDF lost: $v"
done

[ $fail = 0 ] && echo "staff inputs: ok"
exit $fail
