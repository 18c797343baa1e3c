#!/bin/bash
# bench_mustache.sh [BUILD_DIR] - timings of the template engine on pathological templates
# (10,000 nested sections, 100,000 tags, a 10 MB value) and of Markdown normalisation.
# Builds bench/mustache_bench.c against the core library of BUILD_DIR (default build/; use a
# Release build for figures). Not a test: nothing is asserted, see bench/README-mustache.md.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
cmake --build "$build" --target huibao_core >/dev/null
exe=$build/mustache_bench
gcc -std=c11 -O2 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -I"$src/src" \
    "$src/bench/mustache_bench.c" "$build/libhuibao_core.a" -o "$exe" \
    $(pkg-config --cflags --libs libcmark-gfm libfyaml) -lcmark-gfm-extensions -lm
"$exe"
