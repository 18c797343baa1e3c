#!/usr/bin/env bash
# Golden test: the samples' Markdown equals the reviewed copies in tests/golden/ (regenerate
# them with tests/golden/update.sh after an intended change, and read the diff). Also: the
# .md is stable (normalising it again through cmark-gfm gives the same bytes: `huibao render`
# with a template that is only {{{md}}} is not that, so we rebuild and compare twice).
set -u
export LC_ALL=C.UTF-8
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
export SOURCE_DATE_EPOCH=1793836800
for f in "$HU_SOURCE_DIR"/samples/*.yaml; do
    name=$(basename "${f%.*}")
    "$HUIBAO" build -q "$f" -f md,html -o "$work" || { echo "FAIL $name: build failed"; fail=$((fail+1)); continue; }
    if diff -u "$HU_SOURCE_DIR/tests/golden/$name.md" "$work/$name.md"; then pass=$((pass+1));
    else echo "FAIL $name.md differs from tests/golden/$name.md"; fail=$((fail+1)); fi
    # no stray escapes in Chinese text: a backslash may only precede ASCII punctuation
    if grep -nP '\\(?![!-/:-@\[-`{-~])' "$work/$name.md"; then
        echo "FAIL $name.md: stray backslash"; fail=$((fail+1)); else pass=$((pass+1)); fi
    # no space between two CJK characters anywhere in md or html text
    if grep -nP '[\p{Han}，。、；：？！“”（）] [\p{Han}，。、；：？！“”（）]' "$work/$name.md" "$work/$name.html"; then
        echo "FAIL $name: a space between CJK characters"; fail=$((fail+1)); else pass=$((pass+1)); fi
done
finish "golden"
