#!/bin/bash
# bench_xlsx.sh - time writing the workbook: the 8-indicator test month (what a monthly report
# needs) and models of 100 and 1000 indicators for 1—12月 (stress).
# Usage: bench/bench_xlsx.sh [build-dir]   (default: $HU_BUILD_DIR or ./build)
set -eu
BUILD=${1:-${HU_BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build}}
T="$BUILD/tests/test_xlsx"
if [ ! -x "$T" ]; then
    echo "bench_xlsx: $T not found; build first: cmake --build $BUILD --target test_xlsx" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
HU_XLSX_OUT=$tmp "$T" bench 50
HU_XLSX_OUT=$tmp "$T" bench 20 100
HU_XLSX_OUT=$tmp "$T" bench 3 1000
# peak memory of one sample write
if [ -x /usr/bin/time ]; then
    HU_XLSX_OUT=$tmp /usr/bin/time -f "xlsx sample: peak RSS %M KB" "$T" bench 1 2>&1 | grep RSS
    HU_XLSX_OUT=$tmp /usr/bin/time -f "xlsx 1000 indicators: peak RSS %M KB" "$T" bench 1 1000 2>&1 | grep RSS
fi
