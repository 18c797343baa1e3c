#!/bin/bash
# e2e_profit_kind.sh - `kind: profit` / `kind: amount` decide the 盈亏 wording over the name's
# guess (issue 17), in every output and through `huibao new`:
#  - a 经营结余 with kind: profit reads 由盈转亏 and 亏损 in the Markdown; a 土地出让收益 with
#    kind: amount (its name holds 收益) and a 利润总额 with kind: amount read 减少, never 亏;
#  - `huibao new` copies the kind as written (none where the name decides); its fill-in workbook
#    writes the kind as decided (盈亏 for a 利润总额 without kind), offers 数量/盈亏/比率, and
#    reads back to the same wording;
#  - a kind outside amount/profit/rate is refused by check at file:line:col, in Chinese, exit 2.
set -u
export LC_ALL=C.UTF-8
: "${HUIBAO:?}"
PY=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
cd "$work" || exit 1
cat >2026-10.yaml <<'YAML'
title: 盈亏措辞测试
org: 某某单位
period: 2026-10
date: 2026-11-05
indicators:
  - {name: 经营结余, unit: 亿元, value: -1.50, last_year: 2.00, kind: profit}
  - {name: 土地出让收益, unit: 亿元, value: -2.00, last_year: 1.00, kind: amount}
  - {name: 利润总额, unit: 亿元, value: -1.00, last_year: 1.00, kind: amount}
  - {name: 净利润, unit: 亿元, value: -1.00, last_year: 1.00}
sections: [正文]
YAML
"$HUIBAO" build 2026-10.yaml -o out -f md -q || bad "build"
for want in "经营结余亏损1.50亿元" "同比由盈转亏，减少3.50亿元" "净利润亏损1.00亿元"; do
    grep -q "$want" out/2026-10.md || bad "“$want” not in the Markdown"
done
grep -o "[；，]\(土地出让收益\|利润总额\)[^；。|]*" out/2026-10.md | grep -q "亏" &&
    bad "a kind: amount indicator is worded as a loss: $(grep -o '[；，]利润总额[^；。|]*' out/2026-10.md)"
grep -q "土地出让收益为-2.00亿元，同比减少3.00亿元" out/2026-10.md ||
    bad "土地出让收益: $(grep -o '土地出让收益[^；。]*' out/2026-10.md | head -1)"

mkdir -p next && cp 2026-10.yaml next/
(cd next && "$HUIBAO" new 2026-11 -q) || bad "new"
$PY - next/2026-11.yaml <<'PYEOF' || bad "new did not copy the kinds as written"
import sys, yaml
k = {i["name"]: i.get("kind") for i in yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["indicators"]}
assert k == {"经营结余": "profit", "土地出让收益": "amount", "利润总额": "amount", "净利润": None}, k
PYEOF
mkdir -p book && cp 2026-10.yaml book/
(cd book && "$HUIBAO" new 2026-11 --xlsx -q) || bad "new --xlsx"
$PY - book/2026-11-指标.xlsx <<'PYEOF' || bad "the fill-in workbook's 类型 column"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["主要指标"]
rows = list(ws.iter_rows(values_only=True))
col = rows[0].index("类型")
got = {r[1]: r[col] for r in rows[1:]}
assert got == {"经营结余": "盈亏", "土地出让收益": "数量", "利润总额": "数量", "净利润": "盈亏"}, got
lists = [d.formula1 for d in ws.data_validations.dataValidation if d.type == "list"]
assert '"数量,盈亏,比率"' in lists, lists
# filled in, it reads back to the same decisions
for r in range(2, ws.max_row + 1):
    ws.cell(r, rows[0].index("本期(1—11月)") + 1).value = -3
ws.parent.save(sys.argv[1])
PYEOF
(cd book && "$HUIBAO" build 2026-11.yaml -o out -f md -q) || bad "build from the workbook"
grep -q "净利润亏损3" book/out/2026-11.md || bad "净利润 from the workbook is not a loss"
grep -o "[；，]利润总额[^；。|]*" book/out/2026-11.md | grep -q "亏" &&
    bad "利润总额 (数量) from the workbook is worded as a loss"

sed 's/kind: profit}/kind: 利润}/' 2026-10.yaml >bad.yaml
err=$("$HUIBAO" check bad.yaml 2>&1)
rc=$?
[ $rc = 2 ] || bad "check of kind: 利润: exit $rc"
echo "$err" | grep -q "^bad.yaml:6:[0-9]*: 错误: indicators\[0\].kind: 应为 amount（数量）、profit（盈亏" ||
    bad "check of kind: 利润: $err"

if [ $fails -ne 0 ]; then
    echo "e2e_profit_kind: $fails failures"
    exit 1
fi
echo "e2e_profit_kind: passed"
