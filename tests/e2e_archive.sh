#!/usr/bin/env bash
# The archive Makefile (samples/archive/): make -j builds every month; touching a partial
# rebuilds every report; touching a month rebuilds it and the later months whose history
# reads it, and nothing else. Then the manifest: sha256sum -c accepts SHA256SUMS, and still
# catches an output damaged after it was built.
set -euo pipefail
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$HU_SOURCE_DIR/samples" "$work/samples"
cp -r "$HU_SOURCE_DIR/templates" "$work/templates"
export HUIBAO_DATA_DIR="$work"   # templates from the copy, so touching them is safe
cd "$work/samples/archive"
mk() { make -s HUIBAO="$HUIBAO" "$@"; }
fail=0 pass=0
check() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }

mk -j2
check "all months built" '[ -f out/2026-08.pdf ] && [ -f out/2026-09.pdf ] && [ -f out/2026-10.pdf ]'
check "xlsx and md built too" '[ -f out/2026-10.xlsx ] && [ -f out/2026-10.md ]'
check "up to date after a build" 'mk -q'
check "depfile names history month" 'grep -q "2026-08.yaml" out/2026-10.d'
check "depfile names the template" 'grep -q "report.md.mustache" out/2026-10.d'
check "depfile names a font" 'grep -q "fonts/" out/2026-10.d'
check "manifest verifies" '(cd out && sha256sum -c --quiet SHA256SUMS)'
check "index lists 3 reports" '[ "$(grep -o "\"name\"" out/index.json | wc -l)" = 3 ]'

rebuilt() { mk -n | grep -o 'out/2026-[0-9][0-9]\.d' | sort | tr '\n' ' '; }
sleep 1
touch "$work/templates/monthly/report.md.mustache"
check "template touch rebuilds all" '[ "$(rebuilt)" = "out/2026-08.d out/2026-09.d out/2026-10.d " ]'
mk -j2
sleep 1
touch ../2026-10.yaml
check "touching the last month rebuilds only it" '[ "$(rebuilt)" = "out/2026-10.d " ]'
mk -j2
sleep 1
touch ../2026-08.yaml
check "touching August rebuilds Aug, Sep, Oct" '[ "$(rebuilt)" = "out/2026-08.d out/2026-09.d out/2026-10.d " ]'
mk -j2
check "manifest still verifies after incremental builds" '(cd out && sha256sum -c --quiet SHA256SUMS)'
# A month damaged after it was built stays caught: the next build (of another month) carries
# its checksum over instead of hashing the damaged file again.
printf 'x' >>out/2026-08.md
sleep 1
touch ../2026-10.yaml
mk -j2
check "a damaged month is still reported by sha256sum -c" \
    '(cd out && sha256sum -c SHA256SUMS 2>/dev/null || true) | grep -q "^2026-08.md: FAILED"'
check "the rebuilt month's checksum is fresh" '(cd out && grep " 2026-10.pdf$" SHA256SUMS | sha256sum -c --quiet)'
echo "archive: $pass passed, $fail failed"
[ $fail = 0 ]
