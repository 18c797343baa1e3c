#!/bin/bash
# e2e_cff.sh - OpenType/CFF fonts (.otf, and collections .ttc/.otc#i) for every role, in
# chains, checked with independent tools:
#  1. a report whose every role is a CFF face: Noto Sans CJK SC (a collection of CID-keyed
#     CFF, fonts-noto-cjk) for the Chinese roles, TeX Gyre Termes (name-keyed CFF,
#     fonts-texgyre) for Latin and digits, and a chain Termes → Noto for 宋体; names outside
#     Noto (an Extension B character) fall through to the TrueType default fallback. pdffonts:
#     "CID Type 0C", embedded, subset, ToUnicode; qpdf --check clean; pdftotext gives back the
#     same text as the build with the bundled fonts; tests/cffcheck.py (fontTools): every code
#     selects the original font's glyph for its character (CIDs of the charset for the
#     CID-keyed font, glyph ids for the name-keyed one); the page renders (pdftoppm) with ink;
#     a second run is byte-identical.
#  2. check, fonts and fonts --check accept the same fonts; fonts names their outline kind.
#  3. a CFF font cut short, or damaged, is refused by build, check and fonts --check alike, in
#     Chinese with the file and the fix, exit 2 (an input error); so is a --font file that does
#     not exist.
#  4. squeezed punctuation in CID-keyed and name-keyed CFF faces has glyphs of its own (below).
# Needs fonts-noto-cjk, fonts-texgyre, python3-fonttools, poppler-utils, qpdf (tools/deps.sh test).
set -euo pipefail
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
for tool in pdftotext pdffonts pdftoppm qpdf /usr/bin/python3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (tools/deps.sh test)"; exit 1; }
done
NOTO=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
NOTO_BOLD=/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
TERMES=/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf
TERMES_BOLD=/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-bold.otf
for f in "$NOTO" "$NOTO_BOLD" "$TERMES" "$TERMES_BOLD"; do
    [ -f "$f" ] || { echo "FAIL: $f missing (tools/deps.sh test installs fonts-noto-cjk fonts-texgyre)"; exit 1; }
done
/usr/bin/python3 -c 'import fontTools' 2>/dev/null || { echo "FAIL: python3-fonttools missing (tools/deps.sh test)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok   $*"; }
export SOURCE_DATE_EPOCH=1793836800

# ---------------------------------------------------------------- 1. every role CFF
B1=$(printf '\U00020001') # 𠀁, Extension B: not in Noto CJK; HanaMinB (TrueType) draws it
mkdir -p "$work/in"
cat >"$work/in/2026-06.yaml" <<EOF
title: 临江市数据局2026年1—6月工作情况汇报
org: 临江市数据局
period: 2026-06
date: 2026-07-03
to: 市委、市政府
preamble: >-
  上半年，我局围绕“数字临江”建设目标，推进政务云迁移、公共数据开放和
  “一网通办”提质增效，各项工作按序时进度推进。
indicators:
  - name: 政务云承载系统
    unit: 个
    value: 214
    last_year: 168
    target: 300
  - name: 公共数据开放数据集
    unit: 个
    value: 1376
    last_year: 1102
sections:
  - title: 主要工作情况
    sections:
      - title: 政务云迁移
        text: >-
          完成市卫健委、市人社局等23家单位、96个系统迁移上云，CPU利用率由18.6%提高到
          41.2%；采用OpenStack Yoga与Ceph 17.2构建存储池，容量2.4 PB。张堃、李喆同志（郑旻
          牵头）负责实施⋯⋯其中“$B1”字档案已补录。
      - title: 数据开放
        text: 新开放数据集274个，API调用量同比增长37.5%，覆盖交通、教育、医疗等12个领域。
  - title: 下一步工作
    text: 一是推进算力中心二期建设；二是完善数据安全管理制度；三是开展“数据要素×”试点。
EOF
ln -s "$NOTO" "$work/NotoSansCJK-Regular.otc" # the same collection under the .otc name
fonts=(--font "body=$NOTO#2" --font "song=$TERMES,$NOTO#2" --font "kai=$work/NotoSansCJK-Regular.otc#2"
    --font "hei=$NOTO_BOLD#2" --font "title=$NOTO_BOLD#2"
    --font "latin=$TERMES" --font "latin_bold=$TERMES_BOLD")
in="$work/in/2026-06.yaml"
"$HUIBAO" build "$in" -o "$work/cff" -f pdf,md "${fonts[@]}" 2>"$work/err.txt" >/dev/null \
    || bad "build with CFF fonts failed: $(cat "$work/err.txt")"
pdf="$work/cff/2026-06.pdf"
grep -q '没有任何字体包含' "$work/err.txt" && bad "a character shown as 〓: $(cat "$work/err.txt")"
if [ -f "$pdf" ]; then
    pdffonts "$pdf" >"$work/fonts.txt"
    n_cff=$(grep -c 'CID Type 0C  *Identity-H  *yes yes yes' "$work/fonts.txt" || true)
    for name in NotoSansCJKsc-Regular NotoSansCJKsc-Bold TeXGyreTermes-Regular TeXGyreTermes-Bold; do
        grep -q "+$name  *CID Type 0C  *Identity-H  *yes yes yes" "$work/fonts.txt" \
            || bad "pdffonts: $name is not an embedded CID Type 0C subset with ToUnicode: $(cat "$work/fonts.txt")"
    done
    grep -q "+HanaMinB  *CID TrueType  *Identity-H  *yes yes yes" "$work/fonts.txt" \
        || bad "pdffonts: the Extension B character did not fall through to HanaMinB (TrueType): $(cat "$work/fonts.txt")"
    [ "$n_cff" -ge 4 ] && ok "pdffonts: $n_cff CFF faces as embedded CID Type 0C subsets with ToUnicode"
    qpdf --check "$pdf" >"$work/qpdf.txt" 2>&1 && grep -q 'No syntax or stream encoding errors' "$work/qpdf.txt" \
        && ok "qpdf --check clean" || bad "qpdf --check: $(cat "$work/qpdf.txt")"
    # the same text as with the bundled TrueType fonts (lines may break elsewhere: compare the
    # characters without white space and page numbers)
    "$HUIBAO" build "$in" -o "$work/ttf" -f pdf >/dev/null 2>&1 || bad "build with the bundled fonts failed"
    flat() { pdftotext "$1" - | grep -v '^— [0-9]* —$' | tr -d ' \n\f'; }
    if [ "$(flat "$pdf")" = "$(flat "$work/ttf/2026-06.pdf")" ]; then
        ok "pdftotext: the text equals the bundled fonts' build ($(flat "$pdf" | wc -m) characters)"
    else
        bad "pdftotext differs from the bundled fonts' build: $(diff <(flat "$pdf" | fold -w 60) <(flat "$work/ttf/2026-06.pdf" | fold -w 60) | head -6)"
    fi
    for s in "张堃、李喆同志（郑旻" "$B1" "CPU利用率由18.6%提高到" "OpenStackYoga与Ceph17.2" "⋯⋯"; do
        flat "$pdf" | grep -qF "$s" || bad "pdftotext: “$s” missing"
    done
    /usr/bin/python3 "$HU_SOURCE_DIR/tests/cffcheck.py" "$pdf" "NotoSansCJKsc-Regular=$NOTO#2:cid" \
        "NotoSansCJKsc-Bold=$NOTO_BOLD#2:cid" "TeXGyreTermes-Regular=$TERMES:name" \
        "TeXGyreTermes-Bold=$TERMES_BOLD:name" >"$work/cc.txt" 2>&1 \
        && ok "cffcheck: $(tr '\n' ' ' <"$work/cc.txt")" || bad "cffcheck: $(cat "$work/cc.txt")"
    # ink on the page: the fonts render (a wrong program renders nothing or .notdef boxes,
    # which cffcheck catches; this catches a reader refusing the font outright)
    pdftoppm -r 40 -gray -f 1 -l 1 "$pdf" "$work/p" 2>"$work/ppm.txt"
    [ -s "$work/ppm.txt" ] && bad "pdftoppm complained: $(head -3 "$work/ppm.txt")"
    dark=$(/usr/bin/python3 -c 'import sys
d=open(sys.argv[1],"rb").read(); i=0
for _ in range(3): i=d.index(b"\n", i)+1  # P5, size, maxval
print(sum(1 for b in d[i:] if b < 128))' "$work"/p-*1.pgm)
    [ "$dark" -gt 2000 ] && ok "pdftoppm: page 1 has $dark dark pixels" || bad "pdftoppm: page 1 nearly blank ($dark dark pixels)"
    # reproducible
    "$HUIBAO" build "$in" -o "$work/cff2" -f pdf,md "${fonts[@]}" >/dev/null 2>&1
    cmp -s "$pdf" "$work/cff2/2026-06.pdf" && ok "byte-identical on a second run" || bad "second run differs"
fi

# ---------------------------------------------------------------- 2. check and fonts
"$HUIBAO" check "$in" "${fonts[@]}" >"$work/check.txt" 2>&1 && ok "check accepts the CFF fonts" \
    || bad "check with CFF fonts failed: $(cat "$work/check.txt")"
"$HUIBAO" fonts "${fonts[@]}" >"$work/list.txt" 2>&1 || bad "fonts failed: $(cat "$work/list.txt")"
grep -q 'Noto Sans CJK SC，CFF 轮廓（CID 键控，Adobe-Identity-0）' "$work/list.txt" \
    && grep -q 'TeXGyreTermes-Regular，CFF 轮廓（名称键控）' "$work/list.txt" \
    && grep -q 'FandolFang R，TrueType 轮廓' "$work/list.txt" \
    && ok "fonts names each face's outline kind" || bad "fonts: outline kinds not named: $(head -8 "$work/list.txt")"
"$HUIBAO" fonts --check "$in" "${fonts[@]}" >"$work/fc.txt" 2>&1 && grep -q '所有字符都有字体可以显示' "$work/fc.txt" \
    && ok "fonts --check accepts the CFF fonts" || bad "fonts --check: $(cat "$work/fc.txt")"

# ---------------------------------------------------------------- 3. bad CFF files
head -c 60000 "$TERMES" >"$work/cut.otf" # the CFF table is at 5,632-79,828
/usr/bin/python3 - "$TERMES" "$work/damaged.otf" <<'PYEOF'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
n = struct.unpack(">H", d[4:6])[0]
for i in range(n):
    tag, _, off, length = struct.unpack(">4sIII", d[12 + 16 * i: 28 + 16 * i])
    if tag == b"CFF ":
        d[off + 2] = 0xF0  # header size far past the table: nothing of it parses
open(sys.argv[2], "wb").write(d)
PYEOF
refused() { # label needle command...
    local label=$1 needle=$2
    shift 2
    local rc=0
    "$@" >"$work/r.txt" 2>&1 || rc=$?
    if [ $rc = 2 ] && grep -q "$needle" "$work/r.txt" && grep -q '请重新复制或安装该字体' "$work/r.txt"; then
        ok "$label: exit 2, “$needle” with the fix"
    else
        bad "$label: exit $rc, expected 2 with “$needle”: $(head -3 "$work/r.txt")"
    fi
}
for cmd in "build -o $work/bad" check; do
    refused "${cmd%% *}, CFF font cut short" "cut.otf”不完整（表 CFF  超出文件末尾" "$HUIBAO" $cmd "$in" --font "latin=$work/cut.otf"
    refused "${cmd%% *}, damaged CFF table" "damaged.otf”的 CFF 表损坏" "$HUIBAO" $cmd "$in" --font "body=$work/damaged.otf"
done
refused "fonts --check, CFF font cut short" "cut.otf”不完整" "$HUIBAO" fonts --check "$in" --font "latin=$work/cut.otf"
[ -e "$work/bad" ] && bad "a refused build wrote $(ls "$work/bad")"
for cmd in "build -o $work/bad" check; do
    rc=0
    "$HUIBAO" $cmd "$in" --font "body=$work/nonexistent.otf" >"$work/r.txt" 2>&1 || rc=$?
    [ $rc = 2 ] && grep -q 'nonexistent.otf”不存在（角色 body' "$work/r.txt" \
        && ok "${cmd%% *}, --font file missing: exit 2 (usage)" || bad "${cmd%% *}, --font file missing: exit $rc: $(head -2 "$work/r.txt")"
done

# ---------------------------------------------------------------- 4. squeezed marks
# The samples set in a CID-keyed CFF face (Noto Serif CJK SC, from its collection) and in a
# name-keyed one (made from it by tests/data/cff/namekeyed.py with fontTools: every installed
# CJK .otf is CID-keyed). Each punctuation mark the justifier squeezes is drawn with a glyph
# appended to the CFF (cff.h, hu_cff_append), as narrow as the squeeze: pdftotext gives every
# drawn line whole (drawn with the full glyph moved by TJ, poppler split 7, 5 and 7 lines of
# the samples in either kind) and no glyph box overlaps the next (36, 7 and 34 did);
# cffcheck.py finds each appended glyph to be the mark's outline moved left by its left
# squeeze with /W as its width, and counts them; qpdf --check is clean; a second run is
# byte-identical.
SERIF=/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc
"$HUIBAO" build "$HU_SOURCE_DIR"/samples/*.yaml -o "$work/sq-text" -f md -q || bad "build of the samples' Markdown failed"
/usr/bin/python3 "$HU_SOURCE_DIR/tests/data/cff/namekeyed.py" "$SERIF#2" "$work/nk.otf" \
    "$work"/sq-text/*.md "$HU_SOURCE_DIR"/samples/*.yaml >/dev/null || bad "namekeyed.py failed"
for kind in cid name; do
    if [ $kind = cid ]; then spec="$SERIF#2" check="NotoSerifCJKsc-Regular=$SERIF#2:cid"
    else spec="$work/nk.otf,$SERIF#2" check="NameKeyed=$work/nk.otf:name"; fi
    for run in 1 2; do
        "$HUIBAO" build "$HU_SOURCE_DIR"/samples/*.yaml -o "$work/sq-$kind$run" -f pdf,md -q \
            --font "body=$spec" --font "song=$spec" --font "kai=$spec" 2>"$work/err.txt" \
            || bad "$kind-keyed: build of the samples failed: $(cat "$work/err.txt")"
    done
    squeezed=0 moved=0
    for pdf in "$work/sq-${kind}1"/*.pdf; do
        b=$(basename "$pdf")
        /usr/bin/python3 "$HU_SOURCE_DIR/tests/justifycheck.py" text "$pdf" "${pdf%.pdf}.md" >"$work/jc.txt" 2>&1 \
            || bad "$kind-keyed $b: $(cat "$work/jc.txt")"
        grep -q ' 0 lines split' "$work/jc.txt" || bad "$kind-keyed $b: lines split: $(cat "$work/jc.txt")"
        /usr/bin/python3 "$HU_SOURCE_DIR/tests/justifycheck.py" boxes "$pdf" >"$work/jc.txt" 2>&1 \
            || bad "$kind-keyed $b: $(tail -3 "$work/jc.txt")"
        /usr/bin/python3 "$HU_SOURCE_DIR/tests/cffcheck.py" "$pdf" "$check" >"$work/cc.txt" 2>&1 \
            || bad "$kind-keyed $b: cffcheck: $(cat "$work/cc.txt")"
        grep -q "ok: .*$kind-keyed\|ok: .*${kind^^}-keyed" "$work/cc.txt" || bad "$kind-keyed $b: the face is not $kind-keyed: $(cat "$work/cc.txt")"
        squeezed=$((squeezed + $(sed -n "s/.*, \([0-9]*\) of them squeezed.*/\1/p" "$work/cc.txt" | head -1)))
        moved=$((moved + $(sed -n "s/.*(\([0-9]*\) moved left).*/\1/p" "$work/cc.txt" | head -1)))
        qpdf --check "$pdf" >/dev/null 2>&1 || bad "$kind-keyed $b: qpdf --check failed"
        cmp -s "$pdf" "$work/sq-${kind}2/$b" || bad "$kind-keyed $b: a second run differs"
    done
    # the samples squeeze 14 + 4 + 14 marks in the body face, one opening mark in each
    if [ "$squeezed" -ge 20 ] && [ "$moved" -ge 3 ]; then
        ok "$kind-keyed CFF: samples with 0 lines split and 0 boxes overlapping; $squeezed squeezed marks' glyphs appended, $moved of them moved left"
    else
        bad "$kind-keyed CFF: $squeezed squeezed marks' glyphs ($moved moved left), expected at least 20 (3)"
    fi
done

[ $fail = 0 ] && echo "e2e_cff: all passed" || echo "e2e_cff: FAILED"
exit $fail
