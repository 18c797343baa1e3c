#!/usr/bin/env bash
# The archive Makefile (samples/archive/): make -j builds every month; touching a partial
# rebuilds every report; touching a month rebuilds it and the later months whose history
# reads it, and nothing else; a .json month is a month like the others; adding a format builds
# only the new files and dropping one builds nothing; new FLAGS rebuild everything once. Then
# the manifest: sha256sum -c accepts SHA256SUMS, and still catches an output damaged after it
# was built.
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
check "docx built too" '[ -f out/2026-10.docx ]'
check "depfile names history month" 'grep -q "2026-08.yaml" .deps/2026-10.pdf.d'
check "depfile names the template" 'grep -q "report.md.mustache" .deps/2026-10.pdf.d'
check "depfile names a font" 'grep -q "fonts/" .deps/2026-10.pdf.d'
check "manifest verifies" '(cd out && sha256sum -c --quiet SHA256SUMS)'
check "index lists 3 reports" '[ "$(grep -o "\"name\"" out/index.json | wc -l)" = 3 ]'

# the months make would rebuild (each once, whatever the formats)
rebuilt() { mk -n "$@" | grep -o '\.deps/2026-[0-9][0-9]\.' | sed 's/^\.deps\///; s/\.$//' | sort -u | tr '\n' ' '; }
# the outputs make would rebuild
outputs() { mk -n "$@" | grep -o '\.deps/2026-[0-9][0-9]\.[a-z]*\.d' | sed 's/^\.deps\///; s/\.d$//' | sort | tr '\n' ' '; }
sleep 1
touch "$work/templates/monthly/report.md.mustache"
check "template touch rebuilds all" '[ "$(rebuilt)" = "2026-08 2026-09 2026-10 " ]'
mk -j2
sleep 1
touch ../2026-10.yaml
check "touching the last month rebuilds only it" '[ "$(rebuilt)" = "2026-10 " ]'
mk -j2
sleep 1
touch ../2026-08.yaml
check "touching August rebuilds Aug, Sep, Oct" '[ "$(rebuilt)" = "2026-08 2026-09 2026-10 " ]'
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

# formats: adding one builds only its files, dropping one builds nothing
check "up to date before changing formats" 'mk -q'
check "adding html builds only the .html files" \
    '[ "$(outputs FORMATS="pdf docx xlsx md html")" = "2026-08.html 2026-09.html 2026-10.html " ]'
mk -j2 FORMATS="pdf docx xlsx md html"
check "html built" '[ -f out/2026-09.html ]'
check "dropping formats builds nothing" 'mk -q FORMATS="pdf md"'
check "manifest names the html" '(cd out && grep " 2026-09.html$" SHA256SUMS | sha256sum -c --quiet)'
# FLAGS: a change rebuilds every output once; the same FLAGS again nothing
check "new FLAGS rebuild everything" '[ "$(outputs FLAGS=--strict)" = "$(echo 2026-0{8,9}.{docx,md,pdf,xlsx} 2026-10.{docx,md,pdf,xlsx}) " ]'
mk -j2 FLAGS=--strict
check "the same FLAGS again: nothing to do" 'mk -q FLAGS=--strict'
check "back to no FLAGS rebuilds everything" '[ "$(rebuilt)" = "2026-08 2026-09 2026-10 " ]'
mk -j2
check "formats in FLAGS are refused with the fix" \
    '! mk FLAGS="-f pdf" >"$work/ferr" 2>&1 && grep -q "FORMATS" "$work/ferr"'
check "an unknown format is refused" '! mk -n FORMATS="pdf odt" >/dev/null 2>&1'

# a .json month among .yaml months: built, and its history read from the .yaml months
rm ../2026-10.yaml
cp "$HU_SOURCE_DIR/samples/json/2026-10.json" ../2026-10.json
sleep 1
touch ../2026-10.json
check "the .json month is rebuilt from its new input" '[ "$(rebuilt)" = "2026-10 " ]'
mk -j2
check "the .json month built" '[ out/2026-10.pdf -nt ../2026-10.json ] && grep -q "2026-10.json" .deps/2026-10.pdf.d'
check "its depfile names the history months" 'grep -q "2026-09.yaml" .deps/2026-10.xlsx.d'
sleep 1
touch ../2026-09.yaml
check "touching September rebuilds Sep and the .json Oct" '[ "$(rebuilt)" = "2026-09 2026-10 " ]'
mk -j2
check "up to date at the end" 'mk -q'
check "manifest verifies at the end" '(cd out && sha256sum -c --quiet SHA256SUMS)'
echo "archive: $pass passed, $fail failed"
[ $fail = 0 ]
