#!/bin/bash
# bench_xlsxzip.sh [XLSX...] - compressed size and CPU time of a workbook's parts at each
# libdeflate level and at zlib's level 6 (bench_xlsxzip.c), for choosing src/xlsxzip.h's
# HU_XLSXZIP_LEVEL. Default: the workbook of samples/2026-10.yaml built with build/huibao.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -std=c11 -O2 "$src/bench/bench_xlsxzip.c" -o "$tmp/bench_xlsxzip" -ldeflate -lz
if [ $# -eq 0 ]; then
    SOURCE_DATE_EPOCH=1700000000 "${HU_BUILD_DIR:-$src/build}/huibao" build \
        "$src/samples/2026-10.yaml" -o "$tmp/out" -f xlsx -q
    set -- "$tmp"/out/*.xlsx
fi
for x in "$@"; do
    echo "== $x"
    rm -rf "$tmp/parts" && mkdir "$tmp/parts" && unzip -q "$x" -d "$tmp/parts"
    find "$tmp/parts" -type f -print0 | sort -z | xargs -0 "$tmp/bench_xlsxzip" --iter 20
done
