#!/bin/bash
# e2e_fallback.sh - the default fallback chain (Debian's fonts after the bundled Fandol ones,
# src/fonts.c sys_fonts) on what offices bring:
#  1. names outside GB 2312 (堃 喆 珺 玥 昇 犇 燊 燚 赟 镕 彧 旻 翀 祎, and an Extension B
#     character) in the title, 正文, both heading levels and the indicator table: printed and
#     given back by pdftotext with no 〓, the PDF's Title and first bookmark whole, fonts
#     embedded as subsets with ToUnicode, no blank glyph (tests/fontcheck.py), a note per field
#     naming the characters and fonts, the same in index.json with each font file's SHA-256,
#     the font files in the depfile, the same from `huibao check` and `huibao fonts --check`;
#     byte-identical on a second run; on a machine without the packages 〓 with located
#     warnings and a note, errors with --strict.
#  2. every character glibc iconv decodes from a GBK double-byte code (21,791) and all of CJK
#     Extension A (U+3400-U+4DB5): zero 〓, pdftotext returns the input, no blank glyph.
# Needs the fonts-* build packages (tools/deps.sh build), poppler-utils, qpdf, iconv, python3.
set -euo pipefail
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
for tool in pdftotext pdffonts qpdf iconv sha256sum /usr/bin/python3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (tools/deps.sh test)"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export SOURCE_DATE_EPOCH=1793836800
fontcheck="$HU_SOURCE_DIR/tests/fontcheck.py"
start=$(date +%s.%N)
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- 1. names
N=堃喆珺玥昇犇燊燚赟镕彧旻翀祎
B1=$(printf '\U00020001') # 𠀁, Extension B: only HanaMinB (fonts-hanazono) has it; title only
cat >"$work/names.yaml" <<EOF
title: 关于张堃李喆等同志及$B1$N的工作情况汇报
org: 测试单位
period: 2026-05
to: 区委、区政府
preamble: 张堃、李喆、王珺、赵玥、刘昇、陈犇、杨燊、黄燚、周赟、朱镕、吴彧、郑旻、孙翀、钱祎等同志扎实工作，成效明显。
indicators:
  - name: 珺玥昇犇燊燚项目收入
    unit: 亿元
    value: 12.5
    last_year: 10.0
sections:
  - title: 堃喆赟镕彧旻翀祎同志主要工作
    sections:
      - title: 珺玥昇犇燊燚同志牵头推进
        text: 由朱镕、孙翀、钱祎负责，$N同志配合。
EOF
out="$work/names"
"$HUIBAO" build "$work/names.yaml" -o "$out" --depfile "$work/names.d" 2>"$work/err.txt" \
    || bad "names: build failed: $(cat "$work/err.txt")"
grep -q '没有任何字体包含' "$work/err.txt" && bad "names: a character shown as 〓: $(cat "$work/err.txt")"
# a note per field, at its line, naming the characters and the fonts drawing them
note() { # line field text
    grep -q "names.yaml:$1:[0-9]*: 提示: $2: 随附字体没有、由后备字体显示的字符：.*$3" "$work/err.txt" \
        || bad "names: no note for $2 at line $1 with “$3”"
}
note 1 title "堃喆珺玥昇犇燊燚赟镕彧旻翀祎（AR PL UMing CN〔fonts-arphic-uming〕）"
note 1 title "$B1（HanaMinB Regular〔fonts-hanazono〕）"
note 5 preamble "堃喆珺玥昇犇燊燚赟镕彧旻翀祎（AR PL UMing CN"
note 7 'indicators\[0\].name' "珺玥昇犇燊燚（正文、宋体用 AR PL UMing CN"
note 12 'sections\[0\].title' "堃喆赟镕彧旻翀祎（WenQuanYi Zen Hei〔fonts-wqy-zenhei〕）"
note 14 'sections\[0\].sections\[0\].title' "珺玥昇犇燊燚（AR PL UKai CN〔fonts-arphic-ukai〕）"
note 15 'sections\[0\].sections\[0\].text' "镕翀祎堃喆珺玥昇犇燊燚赟彧旻（AR PL UMing CN"
pdf="$out/names.pdf"
pdftotext -enc UTF-8 "$pdf" "$work/names.txt" 2>"$work/perr.txt" || bad "names: pdftotext failed"
[ -s "$work/perr.txt" ] && bad "names: poppler warned: $(head -3 "$work/perr.txt")"
/usr/bin/python3 - "$work/names.txt" "$N" "$B1" <<'PY' || fail=1
import sys
txt = "".join(open(sys.argv[1], encoding="utf-8").read().split())
n, b1 = sys.argv[2], sys.argv[3]
want = ["关于张堃李喆等同志及" + b1 + n + "的工作情况汇报",
        "张堃、李喆、王珺、赵玥、刘昇、陈犇、杨燊、黄燚、周赟、朱镕、吴彧、郑旻、孙翀、钱祎等同志",
        "珺玥昇犇燊燚项目收入", "一、堃喆赟镕彧旻翀祎同志主要工作", "（一）珺玥昇犇燊燚同志牵头推进",
        "由朱镕、孙翀、钱祎负责，" + n + "同志配合。"]
bad = [w for w in want if w not in txt]
if "〓" in txt: bad.append("〓 in the text")
if txt.count("珺玥昇犇燊燚项目收入") < 2: bad.append("the indicator name in both the text and the table")
if bad:
    print("FAIL: names: pdftotext lacks:", " | ".join(bad)); sys.exit(1)
print("ok: names: title, 正文, headings and table give back every name, no 〓")
PY
pdffonts "$pdf" >"$work/fonts.txt" 2>&1 || bad "names: pdffonts failed"
for f in UMingCN UKaiCN WenQuanYiZenHei HanaMinB FandolFang; do
    grep -q "+$f.* yes yes yes" "$work/fonts.txt" || bad "names: $f not embedded as a subset with ToUnicode"
done
tail -n +3 "$work/fonts.txt" | awk '{ if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") exit 1 }' \
    || { bad "names: a font is not embedded/subset/ToUnicode"; cat "$work/fonts.txt"; }
[ "$(grep -c UMingCN "$work/fonts.txt")" -eq 1 ] || bad "names: UMing should be one subset (title twin shares it)"
/usr/bin/python3 "$fontcheck" "$pdf" UMingCN UKaiCN WenQuanYiZenHei HanaMinB >"$work/fc.txt" \
    && echo "ok: names: every glyph has an outline ($(grep -c '^ok' "$work/fc.txt") fonts)" \
    || { bad "names: fontcheck"; cat "$work/fc.txt"; }
qpdf --check "$pdf" >/dev/null 2>&1 || bad "names: qpdf --check failed"
# the document's Title and its first bookmark: every character, Extension B too (libharu's
# UTF-8 encoder, which made them before, kept 16 bits of a code point and dropped 𠀁)
want_title="关于张堃李喆等同志及$B1${N}的工作情况汇报"
got=$(pdfinfo -enc UTF-8 "$pdf" | sed -n 's/^Title: *//p')
[ "$got" = "$want_title" ] && echo "ok: names: the PDF's Title has every character" \
    || bad "names: PDF Title is “$got”, want “$want_title”"
got=$(qpdf --json --json-key=outlines "$pdf" | /usr/bin/python3 -c \
    'import json, sys; print(json.load(sys.stdin)["outlines"][0]["title"])')
[ "$got" = "$want_title" ] && echo "ok: names: the first bookmark has every character" \
    || bad "names: first bookmark is “$got”, want “$want_title”"
# index.json: the fallback characters per field; each font file with origin, package, SHA-256
/usr/bin/python3 - "$out/index.json" "$B1" <<'PY' || fail=1
import hashlib, json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))["reports"][0]
fb = {x["field"]: (x["line"], x["characters"]) for x in r["fallback_characters"]}
errs = []
for field, line, chars in [("title", 1, "堃喆" + sys.argv[2]), ("preamble", 5, "堃喆珺玥昇犇燊燚赟镕彧旻翀祎"),
                           ("indicators[0].name", 7, "珺玥昇犇燊燚"), ("sections[0].title", 12, "堃喆赟镕彧旻翀祎"),
                           ("sections[0].sections[0].title", 14, "珺玥昇犇燊燚"),
                           ("sections[0].sections[0].text", 15, "镕翀祎")]:
    if field not in fb or fb[field][0] != line or any(c not in fb[field][1] for c in chars):
        errs.append(f"{field}: {fb.get(field)}")
files = {}
for f in r["fonts"]:
    h = hashlib.sha256(open(f["file"], "rb").read()).hexdigest()
    if f["sha256"] != h: errs.append(f"sha256 of {f['file']}")
    files[f["file"].rsplit("/", 1)[1]] = (f["origin"], f.get("package"))
want = {"FandolFang-Regular.ttf": ("bundled", None), "uming.ttc": ("debian", "fonts-arphic-uming"),
        "ukai.ttc": ("debian", "fonts-arphic-ukai"), "wqy-zenhei.ttc": ("debian", "fonts-wqy-zenhei"),
        "HanaMinB.ttf": ("debian", "fonts-hanazono")}
for k, v in want.items():
    if files.get(k) != v: errs.append(f"fonts: {k}: {files.get(k)}")
if errs:
    print("FAIL: names: index.json:", "; ".join(errs)); sys.exit(1)
print(f"ok: names: index.json lists {len(fb)} fields with fallback characters and {len(files)} font files with SHA-256")
PY
for f in arphic/uming.ttc arphic/ukai.ttc wqy/wqy-zenhei.ttc hanazono/HanaMinB.ttf FandolFang-Regular.ttf; do
    grep -q "$f \\\\$" "$work/names.d" || bad "names: depfile lacks $f"
done
# the hashes are kept between runs ($XDG_CACHE_HOME/huibao/fonts.sha256): a font file replaced under the same
# name must get its new SHA-256, not the remembered one
mkdir -p "$work/myfonts"
cp "$HU_SOURCE_DIR/fonts/FandolKai-Regular.ttf" "$work/myfonts/mine.ttf"
"$HUIBAO" build -q "$work/names.yaml" -o "$work/cache" -f pdf --font "body=$work/myfonts/mine.ttf" 2>/dev/null \
    || bad "cache: first build failed"
cp "$HU_SOURCE_DIR/fonts/FandolHei-Regular.ttf" "$work/myfonts/mine.ttf"
"$HUIBAO" build -q "$work/names.yaml" -o "$work/cache" -f pdf --font "body=$work/myfonts/mine.ttf" 2>/dev/null \
    || bad "cache: second build failed"
grep -q "$(sha256sum "$work/myfonts/mine.ttf" | cut -c1-64)" "$work/cache/index.json" \
    && grep -q '"origin": "user"' "$work/cache/index.json" \
    && echo "ok: index.json: a replaced font file gets its new SHA-256" \
    || bad "cache: stale SHA-256 for a replaced font: $(grep mine.ttf "$work/cache/index.json")"
# check = build minus writing; fonts --check lists the same fields
"$HUIBAO" check "$work/names.yaml" 2>"$work/cerr.txt" >/dev/null || bad "names: huibao check failed"
[ "$(grep -c '提示: .*由后备字体显示的字符' "$work/cerr.txt")" -eq 6 ] || bad "names: check notes: $(cat "$work/cerr.txt")"
"$HUIBAO" fonts --check "$work/names.yaml" >"$work/fc-out.txt" 2>"$work/fc-err.txt" || bad "names: fonts --check failed"
# one coverage answer: the same notes, field by field, as check (each string against the roles
# the template draws it with: the level-1 title in 黑体)
grep '由后备字体显示的字符' "$work/cerr.txt" >"$work/c-notes.txt"
grep '由后备字体显示的字符' "$work/fc-err.txt" >"$work/fc-notes.txt"
grep -q "names.yaml:12:[0-9]*: 提示: sections\[0\].title: 随附字体没有、由后备字体显示的字符：堃喆赟镕彧旻翀祎（WenQuanYi Zen Hei〔fonts-wqy-zenhei〕）" \
    "$work/fc-err.txt" && cmp -s "$work/c-notes.txt" "$work/fc-notes.txt" \
    && grep -q "6 个字段有随附字体没有、由后备字体显示的字符" "$work/fc-out.txt" \
    && echo "ok: names: huibao fonts --check shows the fallback characters per field, as check does" \
    || bad "names: fonts --check: $(cat "$work/fc-err.txt" "$work/fc-out.txt")"
"$HUIBAO" fonts >"$work/list.txt" || bad "huibao fonts failed"
[ "$(grep -c '合计：GB 2312 7445/7445；GBK 21791/21791；扩展 A 6582/6582；' "$work/list.txt")" -eq 7 ] \
    && grep -q 'hanazono/HanaMinB.ttf（默认后备：Debian 软件包 fonts-hanazono，加伪粗体）' "$work/list.txt" \
    && grep -q 'FandolFang-Regular.ttf（随附）' "$work/list.txt" \
    && echo "ok: huibao fonts: every role's chain covers GBK and Extension A, with each font's origin" \
    || { bad "huibao fonts listing:"; cat "$work/list.txt"; }
# the same input and packages: the same bytes
"$HUIBAO" build -q "$work/names.yaml" -o "$work/again" 2>/dev/null || bad "names: second build failed"
cmp -s "$pdf" "$work/again/names.pdf" && echo "ok: names: byte-identical on a second run" \
    || bad "names: PDF differs between two runs"
# batch with -j 2: the notes come back from the workers
cp "$work/names.yaml" "$work/names2.yaml"
"$HUIBAO" build -q -j 2 "$work/names.yaml" "$work/names2.yaml" -o "$work/batch" -f pdf 2>"$work/err.txt" \
    || bad "names: -j 2 build failed"
[ "$(grep -c '提示: .*由后备字体显示的字符' "$work/err.txt")" -eq 12 ] || bad "names: -j 2 notes: $(cat "$work/err.txt")"
# many fields: 20 notes and a summary, every field in index.json
{
    printf 'title: 测试
org: 测试单位
period: 2026-05
sections:
'
    for i in $(seq 1 25); do printf '  - title: 第%s项
    text: 王珺负责第%s项。
' "$i" "$i"; done
} >"$work/many.yaml"
"$HUIBAO" build -q "$work/many.yaml" -o "$work/many" -f pdf 2>"$work/err.txt" || bad "many: build failed"
[ "$(grep -c '提示: sections\[[0-9]*\].text: 随附字体没有' "$work/err.txt")" -eq 20 ]     && grep -q '提示: 另有 5 个字段有由后备字体显示的字符' "$work/err.txt"     && [ "$(grep -o '"field": "sections\[[0-9]*\].text"' "$work/many/index.json" | wc -l)" -eq 25 ]     && echo "ok: 25 fields: 20 notes, a summary, all 25 in index.json"     || bad "many fields: $(tail -3 "$work/err.txt")"
# a machine without the fallback packages: 〓 and a located warning each, a note; --strict fails
HUIBAO_FALLBACK_FONTS_DIR="$work/none" "$HUIBAO" build -q "$work/names.yaml" -o "$work/nopkg" \
    2>"$work/err.txt" || bad "names without packages: build failed (should only warn)"
grep -q 'names.yaml:5:[0-9]*: 警告: preamble: 字符“堃”(U+5803)没有任何字体包含，将显示为〓' "$work/err.txt" \
    && grep -q '提示: 默认后备字体不全（Debian 软件包 fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei fonts-hanazono 未安装或不可用）' "$work/err.txt" \
    && pdftotext "$work/nopkg/names.pdf" - | grep -q '张〓、李〓' \
    && echo "ok: names without the packages: 〓, located warnings and a note naming the packages" \
    || bad "names without packages: $(head -5 "$work/err.txt")"
# alone in its folder: --strict also refuses two files of one month (names2.yaml, many.yaml)
mkdir "$work/alone" && cp "$work/names.yaml" "$work/alone/"
if HUIBAO_FALLBACK_FONTS_DIR="$work/none" "$HUIBAO" build -q --strict "$work/alone/names.yaml" -o "$work/nopkg2" \
    2>"$work/err.txt"; then
    bad "names without packages: --strict should fail"
else
    grep -q '错误: preamble: 字符“堃”' "$work/err.txt" || bad "--strict: no located error: $(head -3 "$work/err.txt")"
    [ -e "$work/nopkg2/names.pdf" ] && bad "--strict left a PDF"
fi
echo "names part: $(secs "$start") s"

# ---------------------------------------------------------------- 2. all of GBK and Extension A
t2=$(date +%s.%N)
# every double-byte code on a line of its own through glibc's iconv; -c drops the undefined ones
/usr/bin/python3 -c '
import sys
sys.stdout.buffer.write(b"".join(bytes((a, b, 10)) for a in range(0x81, 0xFF) for b in range(0x40, 0xFF) if b != 0x7F))' \
    | iconv -c -f GBK -t UTF-8 >"$work/gbk.txt"
/usr/bin/python3 - "$work/gbk.txt" "$work/gbk.yaml" "$work/expect.txt" <<'PY' || fail=1
import sys
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l]
if len(lines) != 21791 or any(len(l) != 1 or ord(l) < 0x80 for l in lines):
    print(f"FAIL: iconv gave {len(lines)} GBK characters, expected 21791 single non-ASCII ones"); sys.exit(1)
pua = [l for l in lines if 0xE000 <= ord(l) <= 0xF8FF]
if pua:
    print(f"FAIL: {len(pua)} GBK characters in the private use area"); sys.exit(1)
chars = lines + [chr(c) for c in range(0x3400, 0x4DB6)]
paras = ["".join(chars[i:i + 400]) for i in range(0, len(chars), 400)]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("title: 字符覆盖测试\norg: 测试单位\nperiod: 2026-05\nsections:\n  - title: 字表\n    text: |\n")
    for p in paras:
        f.write("      " + p + "\n\n")
open(sys.argv[3], "w", encoding="utf-8").write("".join(chars))
print(f"ok: {len(lines)} GBK characters (none in the private use area) + 6582 of Extension A in {len(paras)} paragraphs")
PY
t3=$(date +%s.%N)
"$HUIBAO" build "$work/gbk.yaml" -o "$work/gbk" -f pdf 2>"$work/err.txt" || bad "GBK: build failed: $(head -5 "$work/err.txt")"
build_s=$(secs "$t3")
grep -q '没有任何字体包含' "$work/err.txt" && bad "GBK: characters shown as 〓: $(grep -c 没有任何字体包含 "$work/err.txt")"
grep -q '提示: sections\[0\].text: 随附字体没有、由后备字体显示的字符：.* 等 [0-9]* 个（AR PL UMing CN' "$work/err.txt" \
    || bad "GBK: no fallback note: $(head -c 600 "$work/err.txt")"
pdf="$work/gbk/gbk.pdf"
pdftotext -enc UTF-8 "$pdf" "$work/gbk-out.txt" 2>"$work/perr.txt" || bad "GBK: pdftotext failed"
[ -s "$work/perr.txt" ] && bad "GBK: poppler warned: $(head -3 "$work/perr.txt")"
/usr/bin/python3 - "$work/gbk-out.txt" "$work/expect.txt" <<'PY' || fail=1
import re, sys
strip = lambda s: "".join(c for c in s if not c.isspace())
want = strip(open(sys.argv[2], encoding="utf-8").read())
# page numbers "— N —" (the input has no ASCII digits)
got = re.sub(r"—[0-9]+—", "", strip(open(sys.argv[1], encoding="utf-8").read()))
i = got.find(want[:40])
if i < 0 or got[i:i + len(want)] != want:
    k = next((k for k in range(len(want)) if i < 0 or i + k >= len(got) or got[i + k] != want[k]), 0)
    print(f"FAIL: GBK: pdftotext differs from the input at character {k}: "
          f"{got[max(i,0) + k - 5:max(i,0) + k + 10]!r} vs {want[k - 5:k + 10]!r}"); sys.exit(1)
if got.count("〓") != want.count("〓"):
    print(f"FAIL: GBK: {got.count('〓')} 〓 in the PDF, {want.count('〓')} in the input"); sys.exit(1)
print(f"ok: GBK: pdftotext gives back all {len(want)} characters in order (〓 only where the input has it)")
PY
pdffonts "$pdf" >"$work/fonts.txt" 2>&1 || bad "GBK: pdffonts failed"
tail -n +3 "$work/fonts.txt" | awk '{ if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") exit 1 }' \
    && grep -q UMingCN "$work/fonts.txt" && grep -q HanaMinA "$work/fonts.txt" \
    && echo "ok: GBK: $(($(wc -l <"$work/fonts.txt") - 2)) fonts, every one embedded, subset, with ToUnicode" \
    || { bad "GBK: fonts"; cat "$work/fonts.txt"; }
/usr/bin/python3 "$fontcheck" "$pdf" UMingCN HanaMinA >"$work/fc.txt" \
    && echo "ok: GBK: every glyph has an outline" || { bad "GBK: fontcheck"; cat "$work/fc.txt"; }
echo "GBK part: $(secs "$t2") s (build $build_s s, $(pdfinfo "$pdf" | awk '/^Pages/ { print $2 }') pages, $(($(stat -c %s "$pdf") / 1024)) KB)"
exit $fail
