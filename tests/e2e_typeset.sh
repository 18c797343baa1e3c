#!/bin/bash
# e2e_typeset.sh - word-aware titles and tables, judged from built PDFs (tests/typesetcheck.py,
# pdfminer) against hand-made marks and jieba, not against huibao's own segmenter:
#  1. every title of tests/data/titles/titles.txt (52 real-style titles, 24-70 characters,
#     acceptable break points marked by hand) built as a report through `huibao build`: the
#     title lines break only at marks and jieba boundaries, form a 梯形/菱形, digits are bold,
#     one blank line under the title; the DOCX title paragraph breaks at the same places;
#  2. a 40-indicator table (long names, 万美元/万千瓦时/万标准箱 units, rates compared in 个百分点)
#     over a page break: no cell splits a number, a unit or a word, 续表 with the header on every
#     continuation page, at least three rows at the foot, the font shrinks before wrapping;
#  3. a nine-column table in Markdown that has to wrap at 9 pt: the same cell rules, equal white
#     above and below, the next line on the grid.
set -euo pipefail
src=${HU_SOURCE_DIR:?}
bin=${HUIBAO:?}
py=/usr/bin/python3
if ! $py -c 'import pdfminer, jieba, docx' 2>/dev/null; then
    echo "FAIL: python3-pdfminer, python3-jieba or python3-docx not installed (tools/deps.sh test)"
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

# --- 1. titles
pdfs=()
i=0
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    i=$((i + 1))
    id=$(printf 't%02d' "$i")
    title=${line//\//}
    mkdir -p "$work/in/$id"
    cat >"$work/in/$id/$id.yaml" <<EOF
title: "$title"
org: 某某区人民政府办公室
period: 2026-10
date: 2026-11-05
to: 区委、区政府
preamble: 今年以来，在区委、区政府的坚强领导下，各项工作有序推进，现将有关情况汇报如下：
sections:
  - title: 主要工作情况
    text: 围绕年度目标任务，压实工作责任，强化调度督办，各项工作取得阶段性成效。
closing: 特此汇报。
EOF
    pdfs+=("$work/out/$id.pdf")
done <"$src/tests/data/titles/titles.txt"
"$bin" build "$work"/in/t*/t*.yaml -o "$work/out" -f pdf,docx -q -j 2
$py "$src/tests/typesetcheck.py" titles "$src/tests/data/titles/titles.txt" "${pdfs[@]}" || fail=1
# the samples' titles: the DOCX breaks them where the PDF does
"$bin" build "$src"/samples/*.yaml -o "$work/samples" -f pdf,docx -q
$py "$src/tests/typesetcheck.py" sametitle "$work"/samples/*.pdf || fail=1

# --- 2. forty indicators over a page break
mkdir -p "$work/tbl"
{
    cat <<'EOF'
title: 经济技术开发区管理委员会关于2026年1—10月主要经济指标完成情况的汇报
org: 某某经济技术开发区管理委员会
period: 2026-10
date: 2026-11-05
to: 市委、市政府
indicators:
EOF
    # name|unit|value|last_year|target|kind
    while IFS='|' read -r name unit value last target kind; do
        printf '  - name: %s\n    unit: "%s"\n    value: %s\n    last_year: %s\n' \
            "$name" "$unit" "$value" "$last"
        [ -n "$target" ] && printf '    target: %s\n' "$target"
        [ -n "$kind" ] && printf '    kind: %s\n' "$kind"
    done <<'EOF'
技工贸总收入|亿元|125.60|111.85|150|
规模以上工业增加值|亿元|30.92|28.30||
规模以上工业总产值|亿元|118.40|106.75|140|
战略性新兴产业产值|亿元|46.80|39.20|55|
高新技术产业增加值|亿元|19.84|17.02||
固定资产投资|亿元|44.10|42.38|55|
工业投资|亿元|28.65|25.10|35|
技术改造投资|亿元|9.42|8.15|12|
社会消费品零售总额|亿元|36.20|33.90||
一般公共预算收入|万元|38650|35120|46000|
税收收入|万元|23420|21780|28000|
招商引资合同金额|亿元|78.40|63.70|90|
实际利用外资|万美元|12850|12450|16000|
外商直接投资|万美元|8620|8930|11000|
进出口总额|万美元|10250|10760|13000|
出口总额|万美元|7380|7010|9000|
全社会用电量|万千瓦时|86420|81350||
工业用电量|万千瓦时|61280|57960||
新签约项目|个|24|20|30|
新开工项目|个|18|15|22|
新增规模以上工业企业|家|8|4|10|
高新技术企业|家|126|108|140|
科技型中小企业入库数|家|215|176|240|
专利授权量|件|1460|1322||
发明专利授权量|件|286|241|320|
城镇新增就业|人|5240|4980|6000|
接待游客|万人次|386.5|352.1||
旅游总收入|亿元|32.40|29.85||
港口集装箱吞吐量|万标准箱|42.6|39.8|50|
标准厂房竣工面积|万平方米|28.5|22.4|30|
新增建设用地|公顷|86.4|92.1||
网络零售额|亿元|21.35|18.62||
规模以上服务业营业收入|亿元|15.86|14.20||
规模以上工业产品产销率|%|98.3|97.5||rate
规模以上工业企业亏损面|%|12.6|14.1||rate
研发经费投入强度|%|2.85|2.50|3|rate
城镇调查失业率|%|5.1|5.3||rate
高新技术产业增加值占规模以上工业增加值比重|%|64.2|60.1|65|rate
一般公共预算收入中税收占比|%|60.6|62.0||rate
工业用地亩均税收|万元|28.6|25.9|30|
EOF
    cat <<'EOF'
sections:
  - title: 主要工作情况
    text: 围绕年度目标任务，压实工作责任，强化调度督办，各项工作取得阶段性成效。
closing: 特此汇报。
EOF
} >"$work/tbl/2026-10.yaml"
"$bin" build "$work/tbl/2026-10.yaml" -o "$work/tout" -f pdf,md -q
grep -q '^表1　2026年1—10月主要指标完成情况$' "$work/tout/2026-10.md" \
    || { echo "FAIL: the template's 表题 is missing from the Markdown"; fail=1; }
$py "$src/tests/typesetcheck.py" tables "$work/tout/2026-10.pdf" || fail=1

# --- 3. a wide table in Markdown that wraps
mkdir -p "$work/wide"
cat >"$work/wide/2026-10.yaml" <<'EOF'
title: 市商务局关于2026年1—10月外贸外资运行情况的汇报
org: 某某市商务局
period: 2026-10
date: 2026-11-05
sections:
  - title: 外贸外资运行情况
    text: |
      1—10月，全市外贸外资运行总体平稳，主要指标如下。

      | 指标 | 单位 | 1—10月 | 同比 | 10月份 | 环比 | 年度目标 | 完成率 | 较序时进度 |
      |---|---|--:|---|--:|---|--:|--:|---|
      | 实际利用外资 | 万美元 | 12850 | 增长3.2% | 1320 | 下降1.5% | 16000 | 80.3% | 低于3.0个百分点 |
      | 外商直接投资（含再投资） | 万美元 | 8620 | 下降3.5% | 905 | 增长6.1% | 11000 | 78.4% | 低于4.9个百分点 |
      | 进出口总额 | 万美元 | 10250 | 下降4.7% | 940 | 增长5.6% | 13000 | 78.8% | 低于4.5个百分点 |
      | 跨境电商交易额 | 亿元 | 21.35 | 增长14.7% | 2.41 | 增长8.3% | 25 | 85.4% | 超序时进度2.1个百分点 |
      | 加工贸易占进出口比重 | % | 23.6 | 提高1.8个百分点 | 24.1 | 提高0.6个百分点 | — | — | — |
      | 外资企业全社会用电量 | 万千瓦时 | 18640 | 增长6.9% | 1975 | 增长2.2% | — | — | — |

      总体看，外资到位进度偏慢，需加快在谈项目落地。
closing: 特此汇报。
EOF
"$bin" build "$work/wide/2026-10.yaml" -o "$work/wout" -f pdf -q
$py "$src/tests/typesetcheck.py" tables "$work/wout/2026-10.pdf" || fail=1

[ $fail = 0 ] && echo "e2e_typeset: ok"
exit $fail
