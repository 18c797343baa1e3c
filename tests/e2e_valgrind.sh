#!/usr/bin/env bash
# e2e_valgrind.sh - memcheck on the error paths (tools/test.sh already runs the samples):
# every bad input through `huibao check`, and the build-level bad cases that stay small
# (tests/data/bad-build), through `huibao build`; then a -j 2 batch with its workers traced. Any invalid read/write, use of uninitialised
# memory or definite/indirect leak fails. Skipped for sanitizer builds (valgrind cannot run
# them) and when valgrind is missing.
set -u
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
SRC=$HU_SOURCE_DIR
if ! command -v valgrind >/dev/null; then echo "FAIL: valgrind not installed: bash tools/deps.sh test"; exit 1; fi
# valgrind cannot run a sanitizer build; ctest reports exit 77 as "Not Run" (SKIP_RETURN_CODE),
# not as a pass, and the plain build of the same suite runs it
if grep -qa __asan_init "$HUIBAO"; then echo "sanitizer build: valgrind cannot run it"; exit 77; fi
export SOURCE_DATE_EPOCH=1793836800
TMP=$(mktemp -d /tmp/hu-vg.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --suppressions="$(cd "$(dirname "$0")" && pwd)/valgrind.supp")
pass=0 fail=0
run() { # label dir command...
    local label=$1 dir=$2
    shift 2
    local out rc
    out=$(cd "$dir" && "${VG[@]}" "$@" 2>&1)
    rc=$?
    if [ $rc = 99 ] || grep -q '^==[0-9]*==' <<<"$out"; then
        echo "FAIL $label"; grep '^==[0-9]*==' <<<"$out" | head -30; fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
}
# every bad input, each alone in a folder (history lookups read the input's folder)
for f in "$SRC"/tests/data/bad/*.yaml "$SRC"/tests/data/bad/*.json; do
    n=$(basename "$f")
    mkdir -p "$TMP/bad/${n%.*}"
    cp "$f" "$TMP/bad/${n%.*}/"
    run "check $n" "$TMP/bad/${n%.*}" "$HUIBAO" check "$n"
done
# build-level cases that are quick under valgrind
CASES="$SRC/tests/data/bad-build"
DATA="$TMP/data"
mkdir -p "$DATA"
cp -r "$SRC/templates" "$DATA/templates"
cp -r "$CASES/templates/." "$DATA/templates/"
cp "$CASES/fixtures/outside.mustache" "$DATA/outside.mustache"
ln -s "$DATA/outside.mustache" "$DATA/templates/bad-symlink/evil.mustache"
export HUIBAO_DATA_DIR="$DATA"
for exp in "$CASES"/*.expect; do
    name=$(basename "$exp" .expect)
    grep -qx 'input: generated' "$exp" && continue
    case $name in 13-* | 14-*) continue ;; esac # need files set up by e2e_robustness.sh
    args=$(sed -n 's/^args: //p' "$exp" | head -1)
    args=${args//@SRC@/$SRC}
    args=${args//@TMP@/$TMP}
    [[ $args == *@* ]] && continue
    read -r -a argv <<<"$args"
    mkdir -p "$TMP/case/$name" "$TMP/out/$name"
    cp "$CASES/$name.yaml" "$TMP/case/$name/"
    grep -qx 'setup: output-is-dir' "$exp" && mkdir -p "$TMP/out/$name/$name.pdf"
    run "build $name" "$TMP/case/$name" "$HUIBAO" build -q "$name.yaml" -o "$TMP/out/$name" "${argv[@]}"
done
# -j 2 with the children traced: two workers build three reports (one builds two in turn,
# with the faces it kept), each report writing its workbook on a thread of its own
mkdir -p "$TMP/jobs"
cp "$SRC"/samples/2026-08.yaml "$SRC"/samples/2026-09.yaml "$SRC"/samples/2026-10.yaml "$TMP/jobs/"
VG+=(--trace-children=yes)
run "build -j 2 (workers, workbook thread)" "$TMP/jobs" "$HUIBAO" build -q . -o "$TMP/jobs/out" -j 2 -f pdf,xlsx,md
[ "$(ls "$TMP/jobs/out"/*.pdf 2>/dev/null | wc -l)" = 3 ] && pass=$((pass + 1)) ||
    { echo "FAIL build -j 2 under valgrind: $(ls "$TMP/jobs/out" 2>&1)"; fail=$((fail + 1)); }
echo "valgrind: $pass passed, $fail failed"
[ $fail = 0 ]
