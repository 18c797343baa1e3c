#!/bin/bash
# e2e_check.sh - issue 22 as office staff met it, case by case.
#
#  1. a month copied from last month: stale title, file name, date and org are warned at
#     file:line:col (errors with --strict, and build --strict writes nothing); the samples and
#     a right 季度 title are not warned;
#  2. check takes what build takes (files, folders, -t, --history, --font), writes nothing, and
#     says one line per input; a broken sibling is warned once per batch and only when it is an
#     earlier month of the year or nothing tells what it is;
#  3. templates: -t ./folder outside the installation; -t NAME found per user before the
#     built-in ones without hiding them; a child's style.yaml overrides only its keys; typos in
#     a template ({{indicator_sumary}}, {{$highlight}}) warned at the template's file:line:col
#     with the right name, errors with --strict; render -t NAME INPUT renders the build's view;
#  4. the batch progress line counts the failures so far;
#  5. check = build minus writing: hostile inputs get the same exit status and messages from
#     check as from build -o, and a failed build leaves no report behind.
set -u
export LC_ALL=C.UTF-8
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
export SOURCE_DATE_EPOCH=1793836800
export XDG_DATA_HOME="$work/xdg" XDG_DATA_DIRS="$work/none"
unset HUIBAO_DATA_DIR
# expect NAME RC CMD...: run CMD (stdout to $work/out, stderr to $work/err), check its status
expect() {
    local name=$1 want=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    local rc=$?
    [ "$rc" = "$want" ] && ok || bad "$name: exit $rc, expected $want: $(head -c 600 "$work/err")"
}
has() { grep -qF -- "$2" "$work/$1"; }
hasnt() { ! grep -qF -- "$2" "$work/$1"; }
count() { grep -cF -- "$2" "$work/$1"; }
S=$HU_SOURCE_DIR/samples

# ---------------------------------------------------------------- 1. a copied month
mkdir -p "$work/m"
cp "$S"/2026-08.yaml "$S"/2026-09.yaml "$work/m/"
expect "samples fold" 0 "$HUIBAO" check "$S"
hasnt err "警告" && ok || bad "the samples are warned: $(cat "$work/err")"
[ "$(grep -c ': 检查通过 — ' "$work/out")" = 3 ] && ok || bad "one line per sample: $(cat "$work/out")"

# September copied to 2026-09.yaml's neighbour for October, only the period changed
sed 's/^period: .*/period: 2026-10/' "$S/2026-09.yaml" >"$work/m/2026-10.yaml"
expect "stale copy" 0 "$HUIBAO" check "$work/m/2026-10.yaml"
has err "2026-10.yaml:2:8: 警告: title: 标题中的“2026年1—9月”与 period（2026-10）不符" && ok ||
    bad "stale title: $(cat "$work/err")"
has err "应写“2026年1—10月”" && ok || bad "the title's fix"
has err "2026-10.yaml:5:7: 警告: date: 成文日期 2026-10-06 早于统计期 2026年10月的结束" && ok ||
    bad "stale date: $(cat "$work/err")"
# (the copied figures are warned too, as not brought up to date: not counted here)
[ "$(grep -o '检查通过，[0-9]* 个警告' "$work/out" | tr -dc 0-9)" -ge 2 ] && ok ||
    bad "summary counts the warnings: $(cat "$work/out")"
expect "stale copy --strict" 2 "$HUIBAO" check --strict "$work/m/2026-10.yaml"
has err "2026-10.yaml:2:8: 错误: title:" && has err "2026-10.yaml:5:7: 错误: date:" && has out "未通过：" && ok ||
    bad "strict: $(cat "$work/err" "$work/out")"
expect "build --strict of a stale copy" 2 "$HUIBAO" build -q --strict "$work/m/2026-10.yaml" -o "$work/o1"
[ ! -e "$work/o1/2026-10.pdf" ] && ok || bad "build --strict wrote a PDF"
expect "build of a stale copy warns and builds" 0 "$HUIBAO" build -q "$work/m/2026-10.yaml" -o "$work/o1" -f md
has err "2026-10.yaml:2:8: 警告: title:" && ok || bad "build warns like check"

# the file name says September, the content is October
mkdir -p "$work/n"
cp "$S"/2026-08.yaml "$S"/2026-10.yaml "$work/n/"
sed -e 's/^period: .*/period: 2026-10/' -e 's/1—9月/1—10月/' -e 's/^date: .*/date: 2026-11-05/' \
    "$S/2026-09.yaml" >"$work/n/2026-09.yaml"
expect "file name" 0 "$HUIBAO" check "$work/n/2026-09.yaml"
has err "2026-09.yaml:4:9: 警告: period: 文件名 2026-09.yaml 表示 2026年9月，而 period 是 2026-10" &&
    ok || bad "file name: $(cat "$work/err")"
has err "2026-10.yaml 也是 某某区产业开发区管理委员会 的 2026年10月报告" && ok || bad "two reports of one month"
# the org written differently from the other months of the folder
sed 's/^org: .*/org: 某某区产业开发区管委会/' "$S/2026-10.yaml" >"$work/m/2026-10.yaml"
expect "org" 0 "$HUIBAO" check "$work/m/2026-10.yaml"
has err "2026-10.yaml:3:6: 警告: org: org“某某区产业开发区管委会”与同一文件夹其他月份" && ok ||
    bad "org: $(cat "$work/err")"
has out "没有往月文件" && ok || bad "the other org's months are not history: $(cat "$work/out")"
# period phrases: 前三季度 in October is stale, 上半年 in June and 2026年 in December are right
sed -e 's/1—10月/前三季度/' "$S/2026-10.yaml" >"$work/m/2026-10.yaml"
expect "quarter" 0 "$HUIBAO" check "$work/m/2026-10.yaml"
has err "“2026年前三季度”与 period（2026-10）不符" && ok || bad "前三季度: $(cat "$work/err")"
mkdir -p "$work/q"
sed -e 's/1—10月/上半年/' -e 's/^period: .*/period: 2026-06/' -e 's/^date: .*/date: 2026-07-03/' \
    "$S/2026-10.yaml" >"$work/q/2026-06.yaml"
sed -e 's/2026年1—10月/2026年/' -e 's/^period: .*/period: 2026-12/' -e 's/^date: .*/date: 2027-01-08/' \
    "$S/2026-10.yaml" >"$work/q/2026-12.yaml"
expect "right phrases" 0 "$HUIBAO" check "$work/q"
hasnt err "不符" && ok || bad "上半年/2026年 warned: $(cat "$work/err")"

# ---------------------------------------------------------------- 2. what build takes
mkdir -p "$work/h/hist" "$work/h/this" "$work/empty"
cp "$S"/2026-08.yaml "$S"/2026-09.yaml "$work/h/hist/"
cp "$S/2026-10.yaml" "$work/h/this/"
expect "--history" 0 "$HUIBAO" check "$work/h/this/2026-10.yaml" --history "$work/h/hist"
has out "用到 2 个往月文件" && ok || bad "--history: $(cat "$work/out")"
expect "no --history" 0 "$HUIBAO" check "$work/h/this/2026-10.yaml"
has out "没有往月文件" && ok || bad "without --history: $(cat "$work/out")"
expect "--font good" 0 "$HUIBAO" check "$S/2026-10.yaml" --font "body=$HU_SOURCE_DIR/fonts/FandolKai-Regular.ttf"
"$HUIBAO" check "$S/2026-10.yaml" --font "body=$work/nosuch.ttf" >/dev/null 2>"$work/err"
crc=$?
has err "nosuch.ttf" && ok || bad "--font names the file: $(cat "$work/err")"
"$HUIBAO" build -q "$S/2026-10.yaml" --font "body=$work/nosuch.ttf" -o "$work/o2" 2>/dev/null
brc=$?
[ $crc != 0 ] && [ $crc = $brc ] && ok || bad "a missing --font: check exit $crc, build exit $brc"
[ ! -e "$work/o2" ] && ok || bad "build with a missing font left $(ls "$work/o2")"
expect "-t unknown" 2 "$HUIBAO" check "$S/2026-10.yaml" -t monthly-brif
has err "monthly-brief" && ok || bad "-t did-you-mean: $(cat "$work/err")"
# check writes nothing, anywhere
(cd "$work/empty" && "$HUIBAO" check "$S" >/dev/null 2>&1)
[ -z "$(ls -A "$work/empty")" ] && ok || bad "check wrote $(ls -A "$work/empty")"
[ ! -e "$S/out" ] && ok || bad "check wrote beside the input"

# broken siblings: said once per batch, and only when they matter
mkdir -p "$work/b"
cp "$S"/2026-08.yaml "$S"/2026-09.yaml "$S"/2026-10.yaml "$work/b/"
printf 'title: [\n' >"$work/b/2026-07.yaml"   # earlier: matters
printf 'title: [\n' >"$work/b/2026-11.yaml"   # later: does not
printf 'title: [\n' >"$work/b/2025-03.yaml"   # last year: does not
printf 'x: [\n' >"$work/b/备注.yaml"           # nothing tells what it is
expect "siblings" 0 "$HUIBAO" check "$work/b/2026-09.yaml" "$work/b/2026-10.yaml"
[ "$(count err "2026-07.yaml: 警告")" = 1 ] && ok || bad "2026-07 once: $(cat "$work/err")"
[ "$(count err "备注.yaml: 警告")" = 1 ] && ok || bad "备注 once: $(cat "$work/err")"
hasnt err "2026-11.yaml" && hasnt err "2025-03.yaml" && ok || bad "later/other-year warned: $(cat "$work/err")"
[ "$(count err ": 警告: ")" = 2 ] && ok || bad "two sibling lines in all: $(cat "$work/err")"
expect "siblings -j2" 0 "$HUIBAO" check -j 2 "$work/b/2026-09.yaml" "$work/b/2026-10.yaml"
[ "$(count err ": 警告: ")" = 2 ] && ok || bad "-j2: two sibling lines: $(cat "$work/err")"
expect "an early month" 0 "$HUIBAO" check "$work/b/2026-08.yaml"
has err "2026-07.yaml: 警告" && ok || bad "July matters to August"
rm "$work/b/备注.yaml"
printf 'title: [\n' >"$work/b/2026-07.yaml"
expect "before July" 0 "$HUIBAO" check "$work/b/2026-08.yaml"
mkdir -p "$work/b2" && cp "$S/2026-08.yaml" "$work/b2/2026-03.yaml" && printf 'title: [\n' >"$work/b2/2026-07.yaml"
sed -i -e 's/^period: .*/period: 2026-03/' -e 's/1—8月/1—3月/' -e 's/^date: .*/date: 2026-04-03/' "$work/b2/2026-03.yaml"
expect "March and a broken July" 0 "$HUIBAO" check "$work/b2/2026-03.yaml"
hasnt err "2026-07" && ok || bad "a later broken month warned for March: $(cat "$work/err")"
# the folder: the broken months are inputs, with their own errors, not sibling warnings
expect "folder" 2 "$HUIBAO" check "$work/b"
has out "2026-07.yaml: 未通过：1 个错误" && has out "2026-10.yaml: 检查通过 — " && ok ||
    bad "folder summary: $(cat "$work/out")"
hasnt err "无法读取" && ok || bad "folder: sibling warnings for inputs: $(cat "$work/err")"
has err "共检查 6 份输入：3 份通过，3 份未通过" && ok || bad "folder total: $(cat "$work/err")"

# ---------------------------------------------------------------- 3. templates
mkdir -p "$work/t/我局模板"
cat >"$work/t/我局模板/report.md.mustache" <<'EOF'
{{<monthly-base}}
{{$closing}}
{{@closing}}
以上汇报，请审阅。
{{/closing}}
{{/closing}}
{{/monthly-base}}
EOF
(cd "$work/t" && "$HUIBAO" build -q -t ./我局模板 "$S/2026-10.yaml" -f md -o "$work/o3" 2>"$work/err")
[ $? = 0 ] && grep -q "以上汇报，请审阅。" "$work/o3/2026-10.md" && ok || bad "-t ./folder: $(cat "$work/err")"
(cd "$work/t" && "$HUIBAO" check -t ./我局模板 "$S/2026-10.yaml" >"$work/out" 2>"$work/err")
has out "模板 ./我局模板" && ok || bad "check -t ./folder: $(cat "$work/out" "$work/err")"
expect "-t absolute" 0 "$HUIBAO" render -t "$work/t/我局模板" "$S/2026-10.yaml"
has out "以上汇报，请审阅。" && ok || bad "render -t PATH"

# per user: a `monthly` of one's own extends the built-in one and hides nothing else
mkdir -p "$XDG_DATA_HOME/huibao/templates/monthly"
cat >"$XDG_DATA_HOME/huibao/templates/monthly/report.md.mustache" <<'EOF'
{{<monthly}}
{{$closing}}
{{@closing}}
专此汇报。
{{/closing}}
{{/closing}}
{{/monthly}}
EOF
printf 'signature:\n  right_chars: 5\n  date_shift_chars: 3\n' >"$XDG_DATA_HOME/huibao/templates/monthly/style.yaml"
expect "per-user monthly" 0 "$HUIBAO" build -q "$S/2026-10.yaml" -f md,html -o "$work/o4"
grep -q "专此汇报。" "$work/o4/2026-10.md" && ok || bad "the per-user monthly is not used"
grep -q "现将有关情况汇报如下" "$work/o4/2026-10.md" && ok || bad "the built-in parent's text is missing"
grep -q "margin:1.8em 5em 0 auto" "$work/o4/2026-10.html" && grep -q "padding-left:3em" "$work/o4/2026-10.html" &&
    ok || bad "the per-user style.yaml: $(grep -o 'hu-signature{[^}]*}' "$work/o4/2026-10.html")"
expect "built-in monthly-brief still found" 0 "$HUIBAO" check "$S/2026-10.yaml" -t monthly-brief
has out "模板 monthly-brief（内置模板）" && ok || bad "monthly-brief: $(cat "$work/out")"
expect "check names the per-user template" 0 "$HUIBAO" check "$S/2026-10.yaml"
has out "个人" && ok || bad "origin in the summary: $(cat "$work/out")"
# a child of the per-user monthly: its style.yaml overrides only the key it sets
mkdir -p "$XDG_DATA_HOME/huibao/templates/分局"
printf '{{<monthly}}{{/monthly}}\n' >"$XDG_DATA_HOME/huibao/templates/分局/report.md.mustache"
printf 'signature:\n  date_shift_chars: 1\n' >"$XDG_DATA_HOME/huibao/templates/分局/style.yaml"
expect "child style" 0 "$HUIBAO" build -q "$S/2026-10.yaml" -t 分局 -f html -o "$work/o5"
grep -q "margin:1.8em 5em 0 auto" "$work/o5/2026-10.html" && grep -q "padding-left:1em" "$work/o5/2026-10.html" &&
    ok || bad "child style.yaml: $(grep -o 'hu-signature[^}]*}' "$work/o5/2026-10.html" | head -3)"
grep -q "专此汇报。" "$work/o5/2026-10.html" && ok || bad "the child lost its parent's closing"
rm -rf "$XDG_DATA_HOME/huibao/templates/monthly" "$XDG_DATA_HOME/huibao/templates/分局"

# typos in a template: the tag's file:line:col, the name it should be
mkdir -p "$work/t/typo"
cat >"$work/t/typo/report.md.mustache" <<'EOF'
{{<monthly-base}}
{{$indicators}}
{{indicator_sumary}}
{{/indicators}}
{{$highlight}}
看不见的亮点
{{/highlight}}
{{/monthly-base}}
EOF
expect "typo" 0 "$HUIBAO" check -t "$work/t/typo" "$S/2026-10.yaml"
has err "typo/report.md.mustache:3:1: 警告: 模板用到的“indicator_sumary”在报告的视图中没有" && ok ||
    bad "indicator_sumary: $(cat "$work/err")"
has err "是否应为“indicator_summary”" && ok || bad "did-you-mean indicator_summary"
has err "typo/report.md.mustache:5:1: 警告: 父模板里没有块“highlight”" && has err "是否应为“highlights”" &&
    ok || bad "\$highlight: $(cat "$work/err")"
expect "typo --strict" 2 "$HUIBAO" check --strict -t "$work/t/typo" "$S/2026-10.yaml"
[ "$(count err ": 错误: ")" = 2 ] && ok || bad "strict typos: $(cat "$work/err")"
expect "build --strict with typos" 2 "$HUIBAO" build -q --strict -t "$work/t/typo" "$S/2026-10.yaml" -o "$work/o6"
[ ! -e "$work/o6/2026-10.pdf" ] && ok || bad "build --strict wrote output"
expect "build with typos warns" 0 "$HUIBAO" build -q -t "$work/t/typo" "$S/2026-10.yaml" -f md -o "$work/o6"
has err "typo/report.md.mustache:3:1: 警告" && ok || bad "build warns about the typo"
expect "the shipped templates lint clean" 0 "$HUIBAO" check --strict -t monthly-brief "$S"

# render -t NAME INPUT: the build's view, partials and parents
expect "render -t monthly" 0 "$HUIBAO" render -t monthly "$S/2026-10.yaml"
has out "# 产业开发区2026年1—10月产业发展工作情况汇报" && has out "完成技工贸总收入约125.60亿元" &&
    has out "一是电子包装园主体工程完工" && has out "表1　2026年1—10月主要指标完成情况" && ok ||
    bad "render -t monthly: $(head -c 400 "$work/out")"
expect "render -t monthly-brief" 0 "$HUIBAO" render -t monthly-brief "$S/2026-10.yaml"
"$HUIBAO" build -q -t monthly-brief "$S/2026-10.yaml" -f md -o "$work/o7"
has out "$(sed -n 1p "$work/o7/2026-10.md")" && ok || bad "render and build differ in the title"
expect "render -t typo" 0 "$HUIBAO" render -t "$work/t/typo" "$S/2026-10.yaml"
has err "typo/report.md.mustache:3:1: 警告" && ok || bad "render warns about the typo"

# ---------------------------------------------------------------- 4. the progress line
mkdir -p "$work/p"
cp "$S"/2026-0*.yaml "$S/2026-10.yaml" "$work/p/"
printf 'title: 坏\norg: x\nperiod: 2026-13\n' >"$work/p/2026-01.yaml"
for j in 1 2; do
    script -qec "'$HUIBAO' build '$work/p' -o '$work/op$j' -f md -j $j" /dev/null >"$work/tty" 2>&1
    grep -q "已有 1 份失败" "$work/tty" && ok || bad "-j $j progress line without failures: $(tr '\r' '\n' <"$work/tty" | head -8)"
    grep -q "1 份失败（" "$work/tty" && ok || bad "-j $j total"
done
"$HUIBAO" build "$work/p" -o "$work/op3" -f md -j 1 >/dev/null 2>"$work/err"
hasnt err "已有" && ok || bad "progress line written to a file"

# ---------------------------------------------------------------- 5. check = build minus writing
# Hostile inputs: check and build -o give the same exit status and the same messages (the place
# a message is given at aside: check names the input where build names its output file).
msgs() { grep -v '^共' "$1" | sed -E -e 's/^.*: (错误|警告|提示): /\1: /' -e "s#$2/o/#out/#g" | sort; }
same() { # NAME INPUT [OPTIONS…]
    local name=$1 input=$2 d
    shift 2
    d=$(mktemp -d -p "$work")
    "$HUIBAO" check "$@" "$input" >/dev/null 2>"$d/c"
    local crc=$?
    "$HUIBAO" build -q "$@" "$input" -o "$d/o" >/dev/null 2>"$d/b"
    local brc=$?
    [ "$crc" = "$brc" ] && ok || bad "$name: check exit $crc, build exit $brc: $(cat "$d/c" "$d/b" | head -c 800)"
    [ "$(msgs "$d/c" "$d")" = "$(msgs "$d/b" "$d")" ] && ok ||
        bad "$name: messages differ: $(diff <(msgs "$d/c" "$d") <(msgs "$d/b" "$d") | head -c 800)"
    [ "$brc" = 0 ] || [ -z "$(ls -A "$d/o" 2>/dev/null | grep -v '^index.json$\|^SHA256SUMS$')" ] && ok ||
        bad "$name: a failed build left $(ls "$d/o")"
    echo "$crc" >"$work/same.rc"
}
mkdir -p "$work/x"
X=$work/x
body() { sed -n '1,/^sections:/p' "$S/2026-10.yaml" | sed '$d'; }
# a unit no PDF text string can hold: libharu refuses it while drawing, after the layout
/usr/bin/python3 -c "
import sys
s = open(sys.argv[1], encoding='utf-8').read()
open(sys.argv[2], 'w', encoding='utf-8').write(s.replace('    unit: 亿元', '    unit: ' + '元' * 40000, 1))
" "$S/2026-10.yaml" "$X/长单位.yaml"
same "a unit past libharu's string limit" "$X/长单位.yaml"
[ "$(cat "$work/same.rc")" = 1 ] && ok || bad "the unit past the limit: check exit $(cat "$work/same.rc")"
{ body; printf 'sections:\n  - title: 工作\n    text: "推进𰻝项目和\\uE000"\n'; } >"$X/缺字.yaml"
same "characters no font has" "$X/缺字.yaml"
same "characters no font has, --strict" "$X/缺字.yaml" --strict
{ body; printf 'sections:\n  - title: 工作\n    text: "推进\\u0001项目"\n'; } >"$X/控制符.yaml"
same "a control character" "$X/控制符.yaml"
{ body; printf 'sections:\n  - title: 工作\n    text: |\n      |'; for i in $(seq 70); do printf 'a%d|' $i; done
  printf '\n      |'; for i in $(seq 70); do printf -- '-|'; done; printf '\n      |'; for i in $(seq 70); do printf '%d|' $i; done
  printf '\n'; } >"$X/宽表.yaml"
same "a table of 70 columns" "$X/宽表.yaml"
{ body; printf 'sections:\n  - title: 工作\n    text: "见 https://example.com/%s 和![图](x.png)<b>粗</b>"\n' "$(printf 'a%.0s' $(seq 700))"; } >"$X/网址.yaml"
same "a 700-character address, an image, raw HTML" "$X/网址.yaml"
# templates: empty output, a typo under --strict, a broken reference.docx
mkdir -p "$X/空模板" "$X/坏参考"
printf '{{#no_such_flag}}x{{/no_such_flag}}\n' >"$X/空模板/report.md.mustache"
same "a template that renders nothing" "$S/2026-10.yaml" -t "$X/空模板"
same "a template typo, --strict" "$S/2026-10.yaml" -t "$work/t/typo" --strict
printf '{{<monthly}}{{/monthly}}\n' >"$X/坏参考/report.md.mustache"
printf 'PK\003\004 not a zip' >"$X/坏参考/reference.docx"
same "a broken reference.docx" "$S/2026-10.yaml" -t "$X/坏参考"
[ "$(cat "$work/same.rc")" = 2 ] && ok || bad "a broken reference.docx is input: exit $(cat "$work/same.rc")"
printf 'page:\n  margin_left_mm: 100\n  margin_right_mm: 100\n' >"$X/坏参考/style.yaml"
rm "$X/坏参考/reference.docx"
same "margins leaving no text area" "$S/2026-10.yaml" -t "$X/坏参考"
same "a font file that is no font" "$S/2026-10.yaml" --font "body=$S/2026-10.yaml"
# two inputs of one name, and a stale copy under --strict, in one batch
mkdir -p "$X/同名" && cp "$S/2026-10.yaml" "$X/同名/" && cp "$S/json/2026-10.json" "$X/同名/"
same "two inputs whose outputs collide" "$X/同名"
same "a stale copy, --strict" "$work/m/2026-10.yaml" --strict
[ -c /dev/null ] && ok || bad "/dev/null is no longer a device"

# The same command line, -o, -f and --depfile included: check answers as build does.
same_line() { # NAME ARGS… (both commands get exactly these)
    local name=$1 d
    shift
    d=$(mktemp -d -p "$work")
    "$HUIBAO" check "$@" >/dev/null 2>"$d/c"
    local crc=$?
    "$HUIBAO" build -q "$@" >/dev/null 2>"$d/b"
    local brc=$?
    [ "$crc" = "$brc" ] && ok || bad "$name: check exit $crc, build exit $brc: $(cat "$d/c" "$d/b" | head -c 800)"
    [ "$(msgs "$d/c" "$d")" = "$(msgs "$d/b" "$d")" ] && ok ||
        bad "$name: messages differ: $(diff <(msgs "$d/c" "$d") <(msgs "$d/b" "$d") | head -c 800)"
    echo "$crc" >"$work/same.rc"
}
: >"$X/一个文件"
same_line "-o under a file" "$S/2026-10.yaml" -o "$X/一个文件/out"
[ "$(cat "$work/same.rc")" = 1 ] && ok || bad "-o under a file: exit $(cat "$work/same.rc")"
same_line "--depfile under a file" "$S/2026-10.yaml" -o "$X/o1" --depfile "$X/一个文件/d.d"
[ "$(cat "$work/same.rc")" = 1 ] && ok || bad "--depfile under a file: exit $(cat "$work/same.rc")"
same_line "--depfile naming the input" "$S/2026-10.yaml" -o "$X/o2" --depfile "$S/2026-10.yaml"
[ "$(cat "$work/same.rc")" = 2 ] && ok || bad "--depfile naming the input: exit $(cat "$work/same.rc")"
# check made nothing: no folder, no depfile
"$HUIBAO" check -q "$S/2026-10.yaml" -o "$X/新/输出" --depfile "$X/新d.d" >/dev/null 2>&1 && ok || bad "check -o new folder"
[ ! -e "$X/新" ] && [ ! -e "$X/新d.d" ] && ok || bad "check made $(ls "$X")"
# -f: a broken reference.docx stops a DOCX, not a PDF, in check as in build
mkdir -p "$X/坏参考2" && printf 'PK\003\004 not a zip' >"$X/坏参考2/reference.docx"
printf '{{<monthly}}{{/monthly}}\n' >"$X/坏参考2/report.md.mustache"
same_line "-f pdf beside a broken reference.docx" "$S/2026-10.yaml" -o "$X/o3" -f pdf -t "$X/坏参考2"
[ "$(cat "$work/same.rc")" = 0 ] && ok || bad "-f pdf, broken docx: exit $(cat "$work/same.rc")"
same_line "-f docx with a broken reference.docx" "$S/2026-10.yaml" -o "$X/o4" -f docx -t "$X/坏参考2"
[ "$(cat "$work/same.rc")" = 2 ] && ok || bad "-f docx, broken docx: exit $(cat "$work/same.rc")"

finish "check"
