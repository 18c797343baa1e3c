#!/usr/bin/env bash
# Build the libFuzzer targets (clang, ASan+UBSan) and run each for a bounded time.
#
#   bash tests/fuzz/run.sh                 # every target, FUZZ_SECONDS (default 60) each
#   FUZZ_SECONDS=600 bash tests/fuzz/run.sh fuzz_input fuzz_build
#
# First every file in tests/fuzz/regressions/<target>/ is replayed (crashes found earlier must
# stay fixed), then the target fuzzes from its seed corpus (tests/fuzz/corpus/<target>/) into
# a scratch corpus. Any crash, sanitizer report, leak, timeout or out-of-memory fails the run;
# the input that caused it is kept in $FUZZ_ARTIFACTS (printed) to be added to regressions/.
#
# Environment: FUZZ_SECONDS, FUZZ_BUILD_DIR (default build-fuzz), FUZZ_WORK (scratch corpora
# and artifacts; default a temporary folder, removed on success), FUZZ_JOBS (build jobs).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
secs=${FUZZ_SECONDS:-60}
bdir=${FUZZ_BUILD_DIR:-$src/build-fuzz}
all=(fuzz_input fuzz_mustache fuzz_markdown_layout fuzz_build fuzz_cli fuzz_jobresult fuzz_cff)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

command -v clang >/dev/null || { echo "run.sh: clang not found (apt-get install clang libclang-rt-14-dev)"; exit 1; }
echo "== 构建模糊测试目标（clang，ASan+UBSan）：$bdir"
CC=clang cmake -S "$src" -B "$bdir" -DHU_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
cmake --build "$bdir" -j"${FUZZ_JOBS:-$(nproc)}" --target "${targets[@]}" >/dev/null || {
    echo "run.sh: build failed"; exit 1; }

work=${FUZZ_WORK:-}
own_work=0
if [ -z "$work" ]; then work=$(mktemp -d /tmp/hu-fuzz-run.XXXXXX); own_work=1; fi
mkdir -p "$work"

# Per-target bounds: longest generated input, seconds for one input.
max_len() {
    case $1 in
    fuzz_input) echo 16384 ;; fuzz_mustache) echo 8192 ;;
    fuzz_markdown_layout | fuzz_cff) echo 16384 ;; fuzz_build) echo 8192 ;; fuzz_cli) echo 1024 ;; *) echo 4096 ;;
    esac
}
per_input_timeout() { case $1 in fuzz_build) echo 60 ;; *) echo 20 ;; esac; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
pass=0 fail=0
for t in "${targets[@]}"; do
    bin="$bdir/tests/fuzz/$t"
    [ -x "$bin" ] || { echo "FAIL $t: no binary $bin"; fail=$((fail+1)); continue; }
    ok=1
    reg="$here/regressions/$t"
    if [ -d "$reg" ] && [ -n "$(ls -A "$reg" 2>/dev/null)" ]; then
        n=0
        for f in "$reg"/*; do
            [ -f "$f" ] || continue
            case $(basename "$f") in README*) continue ;; esac
            n=$((n+1))
            if ! out=$(timeout 300 "$bin" -rss_limit_mb=2048 -timeout="$(per_input_timeout "$t")" "$f" 2>&1); then
                echo "FAIL $t: regression $(basename "$f") crashes again:"
                grep -E "ERROR|runtime error|SUMMARY|idempotent|left behind|replaced|missing or empty|#[0-9]+ 0x" <<<"$out" | head -20
                ok=0
            fi
        done
        echo "$t: 重放 $n 个回归样例"
    fi
    corpus="$work/$t"
    mkdir -p "$corpus" "$work/artifacts"
    dict=()
    [ -f "$here/$t.dict" ] && dict=(-dict="$here/$t.dict")
    log="$work/$t.log"
    echo "== $t：运行 ${secs} 秒"
    "$bin" -max_total_time="$secs" -max_len="$(max_len "$t")" -rss_limit_mb=2048 \
        -timeout="$(per_input_timeout "$t")" "${dict[@]}" -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$t-" "$corpus" "$here/corpus/$t" >"$log" 2>&1
    rc=$?
    grep -E "^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::peak_rss_mb" "$log" | sed "s/^/  /"
    if [ $rc != 0 ]; then
        echo "FAIL $t: libFuzzer exit $rc"
        grep -E "ERROR|runtime error|SUMMARY|idempotent|left behind|replaced|missing or empty|Test unit written|#[0-9]+ 0x" "$log" | head -30
        ok=0
    fi
    if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
done
if [ $fail = 0 ] && [ $own_work = 1 ]; then rm -rf "$work"; else echo "scratch corpora and artifacts: $work"; fi
echo "fuzz: $pass passed, $fail failed"
[ $fail = 0 ]
