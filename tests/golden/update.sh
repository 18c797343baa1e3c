#!/usr/bin/env bash
# Regenerate the golden Markdown after an intended change: bash tests/golden/update.sh build/huibao
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/huibao}
export SOURCE_DATE_EPOCH=1793836800
tmp=$(mktemp -d)
for f in "$here"/../../samples/*.yaml; do "$bin" build -q "$f" -f md -o "$tmp"; done
cp "$tmp"/*.md "$here"/
rm -rf "$tmp"
git -C "$here" diff --stat -- .
