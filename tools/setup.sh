#!/usr/bin/env bash
# Quick start, step 1: install what is missing, build huibao, and write the sample report
# (the latest sample month) into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
latest=$(ls samples/*.yaml | sort | tail -1)
echo "示例报告（$latest）已生成："
./build/huibao build "$latest" -o out
