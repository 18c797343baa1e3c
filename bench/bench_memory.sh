#!/bin/bash
# bench/bench_memory.sh [BUILD_DIR] - peak memory per input byte for the shape that costs most
# (issue 15, item 6): many short sections, 100 second-level items under each of N first-level
# ones, each a title and a one-sentence text. Prints, for `huibao check`, `huibao build -f md`,
# `-f pdf`, `-f xlsx`, `-f docx` and the default build (all four), the peak RSS (/usr/bin/time)
# divided by the input's size. Figures, not asserts.
#
#   bench/bench_memory.sh                  # N = 50, 100, 200 (0.25 to 1 MB of input)
#   SIZES="400" bench/bench_memory.sh build-rel
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$src/build-bench}")
SIZES=${SIZES:-"50 100 200"}
[ -f "$build/CMakeCache.txt" ] || cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target huibao >/dev/null
HU=$build/huibao
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-9s %11s %8s %8s %8s %8s %8s %8s   (peak RSS / input bytes)\n' sections input_bytes \
    check md pdf xlsx docx all
for n in $SIZES; do
    mkdir -p "$work/$n" # alone in its folder: no sibling months to read as history
    f=$work/$n/many.yaml
    python3 - "$f" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("title: 多部分\norg: 测试单位\nperiod: 2026-01\ndate: 2026-01-31\nsections:\n")
    for i in range(n):
        f.write(f"  - title: 第{i}部分\n    sections:\n")
        for k in range(100):
            f.write(f"      - title: 事项{k}\n        text: 短句{k}。\n")
PY
    size=$(stat -c %s "$f")
    # a run that fails would show a small figure for memory it never used: say so, print 0
    rss() {
        if /usr/bin/time -f %M "$@" >/dev/null 2>"$work/t"; then
            tail -1 "$work/t"
        else
            echo "failed: $*" >&2 && tail -3 "$work/t" >&2 && echo 0
        fi
    }
    c=$(rss "$HU" check "$f")
    m=$(rss "$HU" build "$f" -o "$work/out" -f md -q)
    p=$(rss "$HU" build "$f" -o "$work/out" -f pdf -q)
    x=$(rss "$HU" build "$f" -o "$work/out" -f xlsx -q)
    w=$(rss "$HU" build "$f" -o "$work/out" -f docx -q)
    a=$(rss "$HU" build "$f" -o "$work/out" -q)
    per() { echo "$1 * 1024 / $size" | bc -l; }
    printf '%-9s %11d %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f\n' $((n * 101)) "$size" "$(per "$c")" \
        "$(per "$m")" "$(per "$p")" "$(per "$x")" "$(per "$w")" "$(per "$a")"
done
