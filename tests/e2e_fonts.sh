#!/bin/bash
# e2e_fonts.sh - the font sheet (every GB 2312 character and all punctuation huibao emits, drawn
# through each font role) checked with independent tools: poppler's pdftotext must give back
# every character with nothing on stderr (libharu's own ToUnicode CMap makes poppler warn),
# pdffonts must show every font embedded and subset, qpdf --check must be clean. Then
# `huibao fonts` must report full GB 2312 coverage for every role.
# Needs poppler-utils, qpdf, libc-bin (iconv) and /usr/bin/python3.
set -euo pipefail
: "${HU_BUILD_DIR:?}" "${HU_SOURCE_DIR:?}"
bin="$HU_BUILD_DIR/tests/test_fonts"
for tool in pdftotext pdffonts qpdf iconv /usr/bin/python3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (apt-get install poppler-utils qpdf)"; exit 1; }
done
[ -x "$bin" ] || { echo "FAIL: $bin not built"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# Expected text: GB 2312 rows 0xA1-0xF7 x cells 0xA1-0xFE through iconv (undefined cells dropped),
# plus the punctuation list, once per role (7 roles), whitespace removed.
/usr/bin/python3 -c '
import sys
sys.stdout.buffer.write(bytes(b for r in range(0xA1, 0xF8) for c in range(0xA1, 0xFF) for b in (r, c)))' \
    | iconv -c -f GB2312 -t UTF-8 >"$work/gb2312.txt"
"$bin" --punct >"$work/punct.txt"

check_sheet() { # pdf label sub(yes|no)
    local pdf=$1 label=$2 sub=${3:-yes}
    pdftotext -enc UTF-8 "$pdf" "$work/out.txt" 2>"$work/err.txt" || bad "$label: pdftotext failed"
    [ -s "$work/err.txt" ] && { bad "$label: pdftotext printed warnings:"; head -5 "$work/err.txt"; }
    /usr/bin/python3 - "$work/out.txt" "$work/gb2312.txt" "$work/punct.txt" "$label" <<'PY' || fail=1
import collections, sys
out, gb, punct, label = sys.argv[1:5]
strip = lambda s: "".join(ch for ch in s if not ch.isspace())
got = collections.Counter(strip(open(out, encoding="utf-8").read()))
gbs = open(gb, encoding="utf-8").read()
if len(gbs) != 7445:
    print(f"FAIL: {label}: iconv gave {len(gbs)} GB 2312 characters, expected 7445"); sys.exit(1)
want = collections.Counter(strip(gbs + open(punct, encoding="utf-8").read()) * 7)
missing = want - got
extra = got - want
if missing or extra:
    show = lambda c: " ".join(f"{k}(U+{ord(k):04X})x{v}" for k, v in list(c.items())[:20])
    print(f"FAIL: {label}: pdftotext lost {sum(missing.values())} characters: {show(missing)}")
    if extra: print(f"      and gave {sum(extra.values())} unexpected: {show(extra)}")
    sys.exit(1)
print(f"ok: {label}: pdftotext gave back all {sum(want.values())} characters")
PY
    pdffonts "$pdf" >"$work/fonts.txt" 2>"$work/err.txt" || bad "$label: pdffonts failed"
    [ -s "$work/err.txt" ] && bad "$label: pdffonts printed warnings: $(head -3 "$work/err.txt")"
    local n
    n=$(tail -n +3 "$work/fonts.txt" | wc -l)
    [ "$n" -eq 7 ] || bad "$label: pdffonts lists $n fonts, expected 7"
    # columns from the right: object ID (2), uni, sub, emb
    if tail -n +3 "$work/fonts.txt" | awk -v want="$sub" '{ if ($(NF-4) != "yes" || $(NF-3) != want || $(NF-2) != "yes") exit 1 }'; then
        echo "ok: $label: every font embedded (subset: $sub), with ToUnicode"
    else
        bad "$label: a font is not embedded/subset:"; cat "$work/fonts.txt"
    fi
    qpdf --check "$pdf" >"$work/qpdf.txt" 2>&1 || { bad "$label: qpdf --check failed"; tail -5 "$work/qpdf.txt"; }
    grep -q "No syntax or stream encoding errors" "$work/qpdf.txt" || bad "$label: qpdf reported problems"
}

# TMPDIR inside the work folder: nothing may be written there (fonts are built in memory).
mkdir "$work/tmp"
TMPDIR="$work/tmp" "$bin" --sheet "$work/sheet.pdf" >/dev/null || bad "sheet (hb-subset) not written"
TMPDIR="$work/tmp" "$bin" --sheet "$work/sheet-full.pdf" --full >/dev/null || bad "sheet (whole fonts) not written"
[ -z "$(ls -A "$work/tmp")" ] || bad "temporary files written: $(ls "$work/tmp")"
check_sheet "$work/sheet.pdf" "hb-subset sheet"
check_sheet "$work/sheet-full.pdf" "whole-font sheet" no

# huibao fonts
: "${HUIBAO:?}"
if "$HUIBAO" fonts >"$work/list.txt" 2>"$work/err.txt"; then
    n=$(grep -c "合计：GB 2312 7445/7445" "$work/list.txt" || true)
    [ "$n" -eq 7 ] && echo "ok: huibao fonts: every role covers GB 2312" || { bad "huibao fonts: $n of 7 roles cover GB 2312"; cat "$work/list.txt"; }
    # U+30000 (Extension G) is in no installed font, nor is a private-use character
    # (in a folder of its own: it is no earlier month of the inputs below)
    mkdir "$work/fc"
    printf 'title: "测试\xf0\xb0\x80\x80"\norg: 测试办\nperiod: 2026-03\nsections:\n  - title: 情况\n    text: "正文\xee\x80\x80"\n' >"$work/fc/in.yaml"
    if "$HUIBAO" fonts --check "$work/fc/in.yaml" >"$work/out.txt" 2>"$work/err.txt"; then
        grep -q 'in.yaml:1:.*U+30000' "$work/err.txt" && grep -q 'in.yaml:6:.*U+E000' "$work/err.txt" \
            && echo "ok: huibao fonts --check reports the characters with their lines" \
            || { bad "huibao fonts --check output:"; cat "$work/err.txt"; }
    else
        bad "huibao fonts --check failed: $(cat "$work/err.txt")"
    fi
    "$HUIBAO" fonts --check "$work/fc/in.yaml" --strict >/dev/null 2>&1 && bad "huibao fonts --check --strict should fail"
    "$HUIBAO" fonts --font body="$work/fc/in.yaml" >/dev/null 2>"$work/err.txt" && bad "a YAML file accepted as a font"
    grep -q "不是字体文件" "$work/err.txt" || bad "no clear error for a non-font: $(cat "$work/err.txt")"
else
    bad "huibao fonts failed: $(cat "$work/err.txt")"
fi

# Characters above U+FFFF (CJK Extension B, as in people's and places' names) with a font that
# has them: drawn with their own glyphs under private-use aliases, and given back as themselves
# by pdftotext, with no warning. AR PL UMing (Debian fonts-arphic-uming) has a few; one of its
# own private-use characters (U+E78D) is in the text too, so an alias must not take its code.
uming=/usr/share/fonts/truetype/arphic/uming.ttc
if [ -n "${HUIBAO:-}" ] && [ -f "$uming" ]; then
    export SOURCE_DATE_EPOCH=1793836800
    line=$'负责人王\U00020021同志、李\U0002003E同志到\U00020046村调研，\uE78D。'
    line=$(printf "$line")
    printf 'title: 生僻字\norg: 测试办\nperiod: 2026-04\ndate: 2026-05-06\nsections:\n  - title: 情况\n    text: %s\n' \
        "$line" >"$work/2026-04.yaml"
    if "$HUIBAO" build --font "body=$uming#0" "$work/2026-04.yaml" -o "$work/ext" -q \
        2>"$work/err.txt"; then
        [ -s "$work/err.txt" ] && bad "Extension B with UMing: unexpected messages: $(cat "$work/err.txt")"
        pdftotext -enc UTF-8 "$work/ext/2026-04.pdf" "$work/ext.txt" 2>"$work/perr.txt"
        [ -s "$work/perr.txt" ] && bad "Extension B: poppler warned: $(head -3 "$work/perr.txt")"
        grep -qF "$line" "$work/ext.txt" && echo "ok: characters above U+FFFF drawn and extracted" \
            || { bad "Extension B text not given back"; grep 负责人 "$work/ext.txt"; }
        pdffonts "$work/ext/2026-04.pdf" | grep -q "UMing.*yes yes yes" \
            || bad "UMing not embedded as a subset with ToUnicode"
        qpdf --check "$work/ext/2026-04.pdf" >/dev/null 2>&1 || bad "Extension B PDF: qpdf --check failed"
    else
        bad "build with UMing failed: $(cat "$work/err.txt")"
    fi
    # the bundled fonts lack them; with the default fallback chain they print, with a note naming
    # them (U+E78D is FandolFang's own private-use glyph)
    "$HUIBAO" build "$work/2026-04.yaml" -o "$work/ext2" -q 2>"$work/err.txt" || bad "default-chain build failed"
    grep -q '2026-04.yaml:7:.*提示: sections\[0\].text: .*𠀡𠀾𠁆（AR PL UMing CN〔fonts-arphic-uming〕）' "$work/err.txt" \
        && echo "ok: default chain: Extension B from the fallback fonts, named in a note" \
        || bad "no fallback note for Extension B: $(cat "$work/err.txt")"
    grep -q '没有任何字体包含' "$work/err.txt" && bad "default chain: unexpected 〓: $(cat "$work/err.txt")"
    pdftotext -enc UTF-8 "$work/ext2/2026-04.pdf" - | grep -qF "王$(printf '\U00020021')同志" || bad "Extension B not printed by the default chain"
    # a machine without the fallback packages: 〓 and a warning each, a note naming the packages
    HUIBAO_FALLBACK_FONTS_DIR="$work/no-such-folder" "$HUIBAO" build "$work/2026-04.yaml" -o "$work/ext2b" -q \
        2>"$work/err.txt" || bad "build without the fallback packages failed"
    [ "$(grep -c '没有任何字体包含' "$work/err.txt")" -ge 3 ] || bad "no warnings for Extension B: $(cat "$work/err.txt")"
    grep -q '提示: 默认后备字体不全.*fonts-arphic-uming.*apt-get install' "$work/err.txt" \
        || bad "no note about the missing fallback packages: $(cat "$work/err.txt")"
    pdftotext -enc UTF-8 "$work/ext2b/2026-04.pdf" - | grep -q "王〓同志" || bad "〓 missing in bundled-font PDF"
    # whole faces draw them too (CIDs are glyph ids, no aliases needed)
    if "$HUIBAO" build --no-subset --font "body=$uming#0" "$work/2026-04.yaml" -o "$work/ext3" -q \
        2>"$work/err.txt"; then
        pdftotext -enc UTF-8 "$work/ext3/2026-04.pdf" - 2>"$work/perr.txt" | grep -qF "$line" \
            && echo "ok: --no-subset: characters above U+FFFF drawn and extracted" \
            || bad "--no-subset: Extension B text not given back"
        [ -s "$work/perr.txt" ] && bad "--no-subset Extension B: poppler warned: $(head -3 "$work/perr.txt")"
    else
        bad "--no-subset with Extension B failed: $(cat "$work/err.txt")"
    fi
else
    bad "Extension B checks need HUIBAO and $uming (Debian fonts-arphic-uming)"
fi
exit $fail
