#!/bin/bash
# e2e_templates_doc.sh - docs/templates.md's five steps, run as written.
#
# The section "本单位自己的模板：五步" is read from the document: each ```sh block is run line by
# line (with `huibao` the binary under test, HOME a fresh folder), each ```mustache or ```yaml
# block is written to the ~/… path named last before it. Then what the steps promise is checked
# with the outputs: the report has the new closing and the rest of monthly, the style.yaml moved
# the 署名, check names the per-user template and finds nothing wrong, `template:` in the input
# replaces -t, and the search order holds (per user before system before built in, the built-in
# templates still there, a path with -t, a typo caught at the template's file:line).
set -u
export LC_ALL=C.UTF-8
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
export SOURCE_DATE_EPOCH=1793836800
mkdir -p "$work/bin" "$work/home" "$work/run" "$work/none"
ln -s "$HUIBAO" "$work/bin/huibao"
export HOME="$work/home" PATH="$work/bin:$PATH" XDG_DATA_DIRS="$work/none"
unset XDG_DATA_HOME HUIBAO_DATA_DIR
cp "$HU_SOURCE_DIR"/samples/2026-0[89].yaml "$HU_SOURCE_DIR"/samples/2026-10.yaml "$work/run/"

# the section as a list of steps: ("sh", text) or ("file", path, text)
/usr/bin/python3 - "$HU_SOURCE_DIR/docs/templates.md" "$work/steps" <<'PY' || bad "reading the section"
import os, re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
a = doc.index("## 本单位自己的模板：五步")
b = doc.index("\n## ", a + 1)
sec = doc[a:b]
steps = len(re.findall(r"^\*\*第[一二三四五]步", sec, re.M))
if steps != 5:
    sys.exit("expected 5 steps, found %d" % steps)
os.makedirs(sys.argv[2])
n = 0
pos = 0
for m in re.finditer(r"^```(\w+)\n(.*?)^```\n", sec, re.S | re.M):
    kind, body = m.group(1), m.group(2)
    before = sec[pos:m.start()]
    pos = m.end()
    n += 1
    if kind == "sh":
        open(os.path.join(sys.argv[2], "%02d.sh" % n), "w", encoding="utf-8").write(body)
    else:
        paths = re.findall(r"`(~/[^`]+)`", before)
        if not paths:
            sys.exit("no file named before the %s block %d" % (kind, n))
        open(os.path.join(sys.argv[2], "%02d.file" % n), "w", encoding="utf-8").write(paths[-1] + "\n" + body)
print(n, "blocks")
PY

# run them in order, keeping what each command printed
i=0
for f in "$work"/steps/*; do
    case $f in
    *.sh)
        while IFS= read -r line; do
            [ -z "$line" ] && continue
            i=$((i + 1))
            (cd "$work/run" && eval "$line") >"$work/cmd$i.out" 2>"$work/cmd$i.err"
            rc=$?
            [ $rc = 0 ] && ok || bad "step command '$line' exit $rc: $(cat "$work/cmd$i.err")"
            # nothing in the steps should draw a warning
            grep -q "警告\|错误" "$work/cmd$i.err" && bad "'$line' warned: $(cat "$work/cmd$i.err")"
            printf '%s\n' "$line" >"$work/cmd$i.line"
        done <"$f"
        ;;
    *.file)
        p=$(head -1 "$f")
        p="$HOME/${p#\~/}"
        mkdir -p "$(dirname "$p")"
        tail -n +2 "$f" >"$p"
        ;;
    esac
done
[ "$i" -ge 4 ] && ok || bad "only $i commands in the steps"
out_of() { # the output of the step command starting with $1
    local k
    for k in $(seq 1 "$i"); do
        case $(cat "$work/cmd$k.line") in "$1"*) cat "$work/cmd$k.out" "$work/cmd$k.err"; return ;; esac
    done
}
T=$HOME/.local/share/huibao/templates/我局月报
[ -f "$T/report.md.mustache" ] && [ -f "$T/style.yaml" ] && ok || bad "the steps made no template in $T"

# step 4: check names the template and where it was found; render shows the new closing
out_of "huibao check" | grep -q "检查通过 — 2026年10月，模板 我局月报（个人模板）" && ok ||
    bad "check: $(out_of "huibao check")"
out_of "huibao render" | grep -q "以上汇报，请审阅。" && ok || bad "render lacks the closing"
# step 5: the report
R=$work/run/汇报
[ -f "$R/2026-10.pdf" ] && [ -f "$R/2026-10.docx" ] && [ -f "$R/2026-10.md" ] && ok || bad "build made $(ls "$R")"
grep -q "以上汇报，请审阅。" "$R/2026-10.md" && ok || bad "the closing is not the template's"
grep -q "特此汇报" "$R/2026-10.md" && bad "the built-in closing is still there" || ok
grep -q "现将有关情况汇报如下" "$R/2026-10.md" && grep -q "^| 指标" "$R/2026-10.md" && ok ||
    bad "the rest of monthly is missing"
pdftotext "$R/2026-10.pdf" - | grep -q "以上汇报，请审阅。" && ok || bad "the PDF lacks the closing"
# step 3: the 署名 four characters from the right edge, the date still two further right
pdftotext -bbox-layout "$R/2026-10.pdf" - | /usr/bin/python3 -c '
import re, sys
from collections import Counter
lines = []
for m in re.finditer(r"<line xMin=\"([\d.]+)\" yMin=\"[\d.]+\" xMax=\"([\d.]+)\"[^>]*>(.*?)</line>", sys.stdin.read(), re.S):
    lines.append((float(m.group(1)), float(m.group(2)), "".join(re.findall(r">([^<]*)</word>", m.group(3)))))
right = Counter(round(l[1] * 2) / 2 for l in lines if len(l[2]) >= 10).most_common(1)[0][0]
sig = [l for l in lines if l[2] == "某某区产业开发区管理委员会"][-1]
date = [l for l in lines if l[2] == "2026年11月5日"][-1]
ch = (sig[1] - sig[0]) / 13
gap, shift = (right - sig[1]) / ch, (date[0] - sig[0]) / ch
if abs(gap - 4) > 0.25 or abs(shift - 2) > 0.25:
    sys.exit("signature %.2f chars from the edge, date shifted %.2f" % (gap, shift))
' && ok || bad "style.yaml's signature.right_chars: 4 not followed"

# `template: 我局月报` in the input instead of -t
sed 's/^org: /template: 我局月报\norg: /' "$work/run/2026-10.yaml" >"$work/run/t.yaml"
(cd "$work/run" && huibao build -q t.yaml -f md -o 汇报2) 2>"$work/err" && ok || bad "template: field: $(cat "$work/err")"
grep -q "以上汇报，请审阅。" "$work/run/汇报2/t.md" 2>/dev/null && ok || bad "template: field not used"

# the search order: the built-in ones are still there; system after per user; a path
(cd "$work/run" && huibao check -t monthly-brief 2026-10.yaml) 2>&1 | grep -q "monthly-brief（内置模板）" &&
    ok || bad "monthly-brief hidden"
S=$work/sys/huibao/templates
mkdir -p "$S/我局月报" "$S/全局"
printf '{{<monthly}}{{$closing}}{{@closing}}\n系统模板。\n{{/closing}}\n{{/closing}}{{/monthly}}\n' >"$S/我局月报/report.md.mustache"
cp "$S/我局月报/report.md.mustache" "$S/全局/report.md.mustache"
(cd "$work/run" && XDG_DATA_DIRS="$work/sys" huibao render -t 我局月报 2026-10.yaml) 2>&1 | grep -q "以上汇报，请审阅。" &&
    ok || bad "a system template hid the per-user one"
(cd "$work/run" && XDG_DATA_DIRS="$work/sys" huibao check -t 全局 2026-10.yaml) 2>&1 | grep -q "模板 全局（" && ok ||
    bad "a system template not found"
mkdir -p "$work/run/模板" && cp -r "$T" "$work/run/模板/"
rm -rf "$HOME/.local/share/huibao"
(cd "$work/run" && huibao render -t ./模板/我局月报 2026-10.yaml) 2>&1 | grep -q "以上汇报，请审阅。" && ok ||
    bad "-t ./模板/我局月报"
(cd "$work/run" && huibao check -t 我局月报 2026-10.yaml) >/dev/null 2>"$work/err"
[ $? = 2 ] && grep -q "templates" "$work/err" && ok || bad "a name not found: $(cat "$work/err")"
# step 4's promise: a typo is named at the template's file:line
sed -i 's/^以上汇报，请审阅。$/{{closing_txt}}/' "$work/run/模板/我局月报/report.md.mustache"
(cd "$work/run" && huibao check -t ./模板/我局月报 2026-10.yaml) 2>&1 |
    grep -q "我局月报/report.md.mustache:5:1: 警告: 模板用到的“closing_txt”.*是否应为“closing_text”" && ok ||
    bad "the typo: $(cd "$work/run" && huibao check -t ./模板/我局月报 2026-10.yaml 2>&1)"
finish "templates doc"
