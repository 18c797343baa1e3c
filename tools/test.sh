#!/usr/bin/env bash
# Quick start, step 2: the whole test suite, as CI runs it. Installs what it needs, then
# builds twice (warnings as errors; ASan+UBSan) and runs every test in both, then valgrind on
# the samples.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh test
jobs=$(nproc)

echo "== 代码格式（clang-format，.clang-format）"
clang-format --dry-run --Werror src/*.c src/*.h src/shim/*.c tests/*.c tests/fuzz/*.c bench/*.c
echo "格式一致"

echo "== 全新机器：在干净的克隆中运行 README 的第一条命令，测试用软件包不可见"
bash tools/fresh.sh

echo "== 构建并测试（-Wall -Wextra -Werror）"
cmake -S . -B build-ci -DHU_WERROR=ON -DBUILD_TESTING=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-ci -j"$jobs" >/dev/null
ctest --test-dir build-ci --output-on-failure -j"$jobs"

echo "== ASan + UBSan 构建并测试"
cmake -S . -B build-asan -DHU_WERROR=ON -DHU_SANITIZE=ON -DBUILD_TESTING=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== valgrind：示例报告无泄漏、无非法读写"
vg_out=$(mktemp -d)
for f in samples/*.yaml; do
    valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --suppressions=tests/valgrind.supp \
        ./build-ci/huibao build -q "$f" -o "$vg_out"
done
rm -rf "$vg_out"
echo "valgrind: 0 errors"

if [ -x tests/fuzz/run.sh ] || [ -f tests/fuzz/run.sh ]; then
    echo "== libFuzzer：每个目标限时运行（FUZZ_SECONDS，默认 60 秒）"
    bash tests/fuzz/run.sh
fi

echo "== Debian 软件包：构建两次并比较、检查、安装、使用、卸载（tools/deb_test.sh）"
bash tools/deb_test.sh
