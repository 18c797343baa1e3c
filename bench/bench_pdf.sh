#!/bin/bash
# bench_pdf.sh [BUILD_DIR] - time and peak memory of typesetting the sample report and a
# generated ~50-page report (the sample body repeated). Builds bench_pdf against the core
# library of BUILD_DIR (default build/, configured with CMAKE_BUILD_TYPE=Release for figures).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
cmake --build "$build" --target huibao_core >/dev/null
exe=$build/bench_pdf
gcc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -DHU_VERSION='"bench"' -I"$src/src" \
    "$src/bench/bench_pdf.c" "$build/libhuibao_core.a" -o "$exe" \
    $(pkg-config --cflags --libs libcmark-gfm libunibreak libfyaml harfbuzz harfbuzz-subset xlsxwriter) \
    $(pkg-config --libs nettle 2>/dev/null || true) -lcmark-gfm-extensions -lhpdf -lhyphen -lm -lpthread
md=$src/tests/data/pdf/report.md.mustache
for scale in 1 16; do
    "$exe" "$md" --scale $scale --iter 5 --out /tmp/bench_pdf_$scale.pdf
    /usr/bin/time -v "$exe" "$md" --scale $scale --iter 1 --out /tmp/bench_pdf_$scale.pdf 2>&1 >/dev/null |
        awk -F': ' '/Maximum resident/ {printf "  peak RSS (one full run incl. layout pass) %.1f MB\n", $2/1024}
                    /Elapsed/ {print "  wall (process, one run) " $2}'
done
