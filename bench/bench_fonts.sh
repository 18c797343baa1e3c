#!/bin/bash
# bench_fonts.sh - PDF size and time with and without hb-subset, on the font sheet.
#
#   bench/bench_fonts.sh [BUILD_DIR]     (default: build)
#
# "hb-subset": each font is cut to the drawn code points with HarfBuzz before libharu sees it.
# "whole font": the .ttf goes to libharu as is (libharu then subsets glyf itself but copies
# loca/hmtx/cmap/post whole). Cases: the full sheet (all 7445 GB 2312 characters + punctuation,
# 6 roles); one role with the first 1400 GB 2312 characters (682 symbols + 718 Han, about a
# month's report); the same in the title face only. Time is measured inside the program (open
# fonts, embed, draw, save), best of 3.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
bin="$build/tests/test_fonts"
[ -x "$bin" ] || { echo "build first: cmake -S $here -B $build && cmake --build $build" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() { # label args...
    local label=$1
    shift
    local best_s="" best_f=""
    for mode in subset full; do
        local flag=""
        [ $mode = full ] && flag=--full
        local best=999
        for _ in 1 2 3; do
            t=$("$bin" --sheet "$work/$mode.pdf" $flag "$@")
            best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (a < b) ? a : b }')
        done
        local size
        size=$(stat -c %s "$work/$mode.pdf")
        if [ $mode = subset ]; then best_s="$best $size"; else best_f="$best $size"; fi
    done
    read -r ts ss <<<"$best_s"
    read -r tf sf <<<"$best_f"
    printf "%-34s %10s KB %7.3f s   %10s KB %7.3f s   %5.1f%%\n" "$label" \
        $((ss / 1024)) "$ts" $((sf / 1024)) "$tf" "$(awk -v a="$ss" -v b="$sf" 'BEGIN { print 100 * a / b }')"
}

printf "%-34s %24s   %24s   %6s\n" "case" "hb-subset" "whole font" "size"
run "sheet: GB 2312 + punct, 6 roles"
run "body: 1400 chars (718 Han)" --role body --chars 1400
run "title: 1400 chars" --role title --chars 1400
run "latin: punct only (Liberation)" --role latin --chars 1
