#!/usr/bin/env bash
# Same input and SOURCE_DATE_EPOCH → byte-identical PDF, XLSX and Markdown, even when the
# builds run on different days (faketime) in different time zones and folders.
set -euo pipefail
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
export SOURCE_DATE_EPOCH=1793836800   # 2026-11-05
in="$HU_SOURCE_DIR/samples/2026-10.yaml"
TZ=UTC "$HUIBAO" build -q "$in" -o "$work/a"
# a clock months later, not a second: faketime is a test package (tools/deps.sh test)
command -v faketime >/dev/null || { echo "FAIL: faketime not installed (bash tools/deps.sh test)"; exit 1; }
# faketime is an LD_PRELOAD library: let an ASan build accept it coming first
ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" TZ=Asia/Shanghai faketime '2027-03-01 12:00:00' "$HUIBAO" build -q "$in" -o "$work/b"
how="faketime 2027-03-01"
for ext in pdf docx xlsx md; do
    if cmp -s "$work/a/2026-10.$ext" "$work/b/2026-10.$ext"; then pass=$((pass+1));
    else echo "FAIL: 2026-10.$ext differs between builds ($how)"; fail=$((fail+1)); fi
done
cmp -s "$work/a/SHA256SUMS" "$work/b/SHA256SUMS" && pass=$((pass+1)) || { echo "FAIL: SHA256SUMS differ"; fail=$((fail+1)); }
finish "reproducible"
