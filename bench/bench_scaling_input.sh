#!/usr/bin/env bash
# Time and peak memory of `huibao build` (md, pdf, xlsx) as one dimension of the input grows,
# to see that both stay linear and that the documented limits (docs/input.md) are where a
# clear error appears rather than memory running out.
#
#   bash bench/bench_scaling_input.sh [path/to/huibao]     (default build/huibao)
#   SCALE_QUICK=1 ...   fewer, smaller steps
#
# Prints one line per run: dimension, size, seconds, peak RSS (MB), and both per unit relative
# to the first step (a flat "rel" column means linear growth).
#
# Measured 2026-11-28 (2 cores, shared with fuzzers, RelWithDebInfo):
#   paragraph with no break, 125 KB → 1 MB: 0.23 → 0.78 s, RSS 37 → 114 MB (~110 B per input
#     byte, linear); 2 MB: clear error (one text value ≤ 1 MB, a report's text ≤ 8 MB). Before
#     those limits 16 MB took 152 s and 1.58 GB.
#   400 000 CJK characters: 3.2 s, 44 MB.  1 000 indicators: 1.7 s, 93 MB (1 001: clear error).
#   2 000 sections: 0.5 s, 41 MB (2 001: clear error).  8 000 table rows: 1.8 s, 194 MB.
#   Markdown dense with escapes beside Chinese, 38 → 152 KB: 0.14 → 0.42 s (linear; the first
#     escape cleaning re-parsed the block once per escape: 16 KB took 84 s).
#   template partials doubling: output grows ×2 per level until the 64 MB output limit, then a
#     clear error (about 2 s).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
H=${1:-$here/build/huibao}
[ -x "$H" ] || { echo "no huibao binary at $H (give its path)"; exit 1; }
export SOURCE_DATE_EPOCH=1793836800
T=$(mktemp -d /tmp/hu-scale.XXXXXX)
trap 'rm -rf "$T"' EXIT
HDR=$'title: 规模测试报告\norg: 测试单位\nperiod: 2026-06\n'

gen() { # dimension n -> stdout
    case $1 in
    paragraph_bytes) # one paragraph with no break opportunity
        printf '%ssections:\n  - title: 主要工作情况\n    text: ' "$HDR"; head -c "$2" /dev/zero | tr '\0' 'x'; echo ;;
    cjk_text_chars) # ordinary Chinese prose in one section (many paragraphs)
        printf '%ssections:\n  - title: 主要工作情况\n    text: |\n' "$HDR"
        local line="      按照一张蓝图绘到底的发展思路，围绕产业链条精准招商，推动项目落地见效，取得明显成效。"
        for ((i = 0; i < $2 / 40; i++)); do echo "$line"; [ $((i % 5)) = 4 ] && echo; done ;;
    indicators)
        printf '%sindicators:\n' "$HDR"
        for ((i = 0; i < $2; i++)); do echo "  - {name: 指标$i, unit: 亿元, value: $((i + 7)).5, last_year: $((i + 5)).25, target: $((i * 3 + 20))}"; done ;;
    sections)
        printf '%ssections:\n' "$HDR"
        for ((i = 0; i < $2; i++)); do printf '  - title: 第%d部分\n    text: 正文第%d段，完成投资%d.5亿元。\n' $i $i $i; done ;;
    table_rows)
        printf '%ssections:\n  - title: 主要工作情况\n    text: |\n      | 项目 | 金额 | 说明 |\n      |---|---:|---|\n' "$HDR"
        for ((i = 0; i < $2; i++)); do echo "      | 项目$i | $i.5 | 说明文字说明文字$i |"; done ;;
    md_escapes) # Markdown text dense with backslash escapes beside Chinese (n repetitions)
        printf '%ssections:\n  - title: 主要工作情况\n    text: |\n      ' "$HDR"
        for ((i = 0; i < $2; i++)); do printf '中\\*文\\_第1\\#楼'; [ $((i % 200)) = 199 ] && printf '\n      '; done; echo ;;
    esac
}

run() { # dimension n
    local f="$T/in-$1-$2.yaml"
    gen "$1" "$2" >"$f"
    local bytes
    bytes=$(stat -c %s "$f")
    local r
    r=$( { /usr/bin/time -f "%e %M" "$H" build -q "$f" -o "$T/out" >/dev/null 2>"$T/err"; } 2>&1 | tail -1)
    local rc=$?
    local s kb
    read -r s kb <<<"$(tail -1 "$T/err" 2>/dev/null | grep -E '^[0-9.]+ [0-9]+$' || echo "$r")"
    local status=ok
    grep -q 错误 "$T/err" && status="error: $(grep -m1 错误 "$T/err" | sed 's/.*错误: //' | cut -c1-60)"
    echo "$1 $2 $bytes $s $kb $status"
    rm -f "$f" "$T/out"/*
}

steps() {
    if [ -n "${SCALE_QUICK:-}" ]; then
        case $1 in paragraph_bytes) echo 250000 500000 1000000 ;; cjk_text_chars) echo 20000 40000 80000 ;;
        indicators) echo 125 250 500 ;; sections) echo 250 500 1000 ;; table_rows) echo 250 500 1000 ;;
        md_escapes) echo 2000 4000 8000 ;; esac
    else
        case $1 in paragraph_bytes) echo 125000 250000 500000 1000000 2000000 ;;
        cjk_text_chars) echo 25000 50000 100000 200000 400000 ;;
        indicators) echo 125 250 500 1000 1001 ;; sections) echo 250 500 1000 2000 2001 ;;
        table_rows) echo 500 1000 2000 4000 8000 ;; md_escapes) echo 2000 8000 32000 ;; esac
    fi
}

printf '%-16s %9s %10s %8s %9s %9s %9s  %s\n' dimension size input_B seconds rss_MB s/unit_rel MB/unit_rel status
for dim in paragraph_bytes cjk_text_chars indicators sections table_rows md_escapes; do
    first_s="" first_m=""
    for n in $(steps $dim); do
        read -r _ _ bytes s kb status <<<"$(run $dim $n)"
        mb=$(echo "scale=1; $kb / 1024" | bc)
        rs=- rm_=-
        if [ "$status" = ok ]; then
            [ -n "$first_s" ] || { first_s=$(echo "$s / $n" | bc -l); first_m=$(echo "$kb / $n" | bc -l); }
            rs=$(printf '%.2f' "$(echo "($s / $n) / $first_s" | bc -l 2>/dev/null || echo 0)")
            rm_=$(printf '%.2f' "$(echo "($kb / $n) / $first_m" | bc -l)")
        fi
        printf '%-16s %9s %10s %8s %9s %9s %9s  %s\n' $dim $n "$bytes" "$s" "$mb" "$rs" "$rm_" "$status"
    done
done

# Template output: partials that each include the next one twice (an editing mistake in a
# template folder). Output doubles with each level; is there a bound?
D="$T/data/templates/blowup"
mkdir -p "$D"
cp -r "$here/templates/partials" "$T/data/templates/" 2>/dev/null
printf '%s\n' 'title: 测试' 'org: 单位' 'period: 2026-06' >"$T/small.yaml"
echo
printf '%-16s %9s %10s %8s %9s  %s\n' template_depth levels out_bytes seconds rss_MB status
for lv in 12 16 18 20 22; do
    rm -f "$D"/*
    printf '# 标题\n\n{{> p0}}\n' >"$D/report.md.mustache"
    for ((i = 0; i < lv; i++)); do printf '{{> p%d}}{{> p%d}}' $((i + 1)) $((i + 1)) >"$D/p$i.mustache"; done
    printf '正文文字，' >"$D/p$lv.mustache"
    r=$( { HUIBAO_DATA_DIR="$T/data" timeout 120 /usr/bin/time -f "%e %M" "$H" build -q -f md "$T/small.yaml" -t blowup -o "$T/out" >/dev/null 2>"$T/err"; } 2>&1)
    rc=$?
    read -r s kb <<<"$(grep -E '^[0-9.]+ [0-9]+$' "$T/err" | tail -1)"
    ob=$(stat -c %s "$T/out/small.md" 2>/dev/null || echo 0)
    st=ok
    [ $rc = 0 ] || st="exit $rc $(grep -m1 错误 "$T/err" | cut -c1-60)"
    printf '%-16s %9s %10s %8s %9s  %s\n' blowup "$lv" "$ob" "${s:-?}" "$(echo "scale=1; ${kb:-0} / 1024" | bc)" "$st"
    rm -f "$T/out"/*
done
