#!/usr/bin/env bash
# Quick start, step 1: install what is missing, build huibao, and write the sample report
# (the latest sample month) into out/. Only the build packages are needed: the test suite is
# configured off here (tools/test.sh builds it in folders of its own), so a fresh machine never
# needs cmocka or the other test packages for this step. CI runs this script in a clean clone
# with the test packages hidden (tools/test.sh, "全新机器").
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
latest=$(ls samples/*.yaml | sort | tail -1)
echo "示例报告（$latest）已生成："
./build/huibao build "$latest" -o out
