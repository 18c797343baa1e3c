#!/bin/bash
# e2e_markers.sh - layout markers typed in the data are text, never instructions.
#
# The template's structural blocks (recipient, signature, blank …) reach the typesetter out of
# band (doc.h), so an author who writes "<!-- signature -->" into a section's text gets an HTML
# comment and nothing else. It used to cut a 23-page report to one page with exit status 0
# (everything after it was set as the 署名). Here a long report is built twice, with and without
# such markers in its texts: the PDFs must have the same pages and the same text (pdftotext),
# end with the real 署名 and 成文日期, the .md keeps the comment as written, the HTML hides it, and
# the workbook's 正文 sheet has the same rows.
set -u
export LC_ALL=C.UTF-8
PY=/usr/bin/python3
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
$PY - "$work" <<'PYEOF'
import sys
work = sys.argv[1]
phrases = ["园区坚持把项目建设作为推动高质量发展的主抓手", "围绕主导产业开展精准招商",
           "全力推进重点项目建设", "持续优化营商环境", "深入实施企业联点帮扶制度",
           "落实各项惠企政策", "加快补齐基础设施短板", "推动产业集群集聚发展",
           "强化安全生产和环境保护", "着力提升园区综合承载能力"]


def para(k):
    return "，".join(phrases[(k + i) % len(phrases)] for i in range(9)) + "。"


def report(markers):
    y = ["title: 产业开发区2026年1—10月工作情况汇报", "org: 某某区产业开发区管理委员会",
         "period: 2026-10", "date: 2026-11-05", "to: 区委、区政府", "sections:"]
    for s in range(30):
        y.append(f"  - title: 第{s + 1}项重点工作")
        y.append("    text: |")
        for p in range(3):
            y.append("      " + para(s * 3 + p))
            y.append("")
            if markers and s == 1 and p == 0:
                y += ["      <!-- signature -->", ""]
            if markers and s == 5 and p == 1:
                y += ["      <!-- recipient -->", "", "      <!-- blank -->", ""]
    return "\n".join(y) + "\n"


for name, m in (("plain", False), ("marked", True)):
    import os
    os.makedirs(f"{work}/{name}", exist_ok=True)
    open(f"{work}/{name}/2026-10.yaml", "w", encoding="utf-8").write(report(m))
PYEOF
for v in plain marked; do
    SOURCE_DATE_EPOCH=1793836800 "$HUIBAO" build -q "$work/$v/2026-10.yaml" -f md,html,pdf,xlsx \
        -o "$work/$v/out" || bad "build $v"
done
pages() { pdfinfo "$1" | awk '/^Pages/{print $2}'; }
pa=$(pages "$work/plain/out/2026-10.pdf")
pb=$(pages "$work/marked/out/2026-10.pdf")
if [ "${pa:-0}" -ge 20 ]; then ok; else bad "the report has $pa pages, want 20 or more"; fi
if [ "$pa" = "$pb" ]; then ok; else bad "pages: $pa without markers, $pb with"; fi
pdftotext -layout "$work/plain/out/2026-10.pdf" "$work/a.txt"
pdftotext -layout "$work/marked/out/2026-10.pdf" "$work/b.txt"
if cmp -s "$work/a.txt" "$work/b.txt"; then ok; else bad "the PDF text differs: $(diff "$work/a.txt" "$work/b.txt" | head -5)"; fi
tail_text=$(pdftotext -f "$pb" -l "$pb" "$work/marked/out/2026-10.pdf" - | tr -d ' \n\f')
if grep -q "某某区产业开发区管理委员会2026年11月5日" <<<"$tail_text"; then ok; else bad "the last page lacks 署名 and 成文日期"; fi
if grep -q "第30项重点工作" "$work/b.txt"; then ok; else bad "the last section is missing"; fi
# .md: the author's comments as written; .html: hidden
if [ "$(grep -c '^<!-- signature -->$' "$work/marked/out/2026-10.md")" = 1 ]; then ok; else bad ".md lacks the comment"; fi
if grep -q "<!-- signature\|&lt;!--" "$work/marked/out/2026-10.html"; then bad ".html shows the comment"; else ok; fi
if grep -q 'class="hu-signature"' "$work/marked/out/2026-10.html"; then ok; else bad ".html lacks the real signature block"; fi
# the workbook's 正文: the same rows
if $PY - "$work/plain/out/2026-10.xlsx" "$work/marked/out/2026-10.xlsx" <<'PYEOF'; then ok; else bad "正文 rows differ"; fi
import sys, openpyxl
rows = [list(openpyxl.load_workbook(p)["正文"].iter_rows(values_only=True)) for p in sys.argv[1:]]
sys.exit(0 if rows[0] == rows[1] and len(rows[0]) > 70 else 1)
PYEOF
echo "markers: $pass passed, $fail failed (report of $pa pages)"
[ $fail = 0 ]
