#!/usr/bin/env bash
# Every sample month through `huibao build -f md,pdf`, each PDF checked from the PDF alone by
# tests/pdfcheck.py against the Markdown huibao wrote: 禁则 at line starts and ends, every
# line inside the text area, page numbers "— N —" on alternating sides, text round trip,
# no poppler warnings, qpdf --check, embedded subset fonts, outline = headings.
set -u
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
export SOURCE_DATE_EPOCH=1793836800
for f in "$HU_SOURCE_DIR"/samples/*.yaml "$HU_SOURCE_DIR"/samples/json/*.json; do
    [ -f "$f" ] || continue
    name=$(basename "${f%.*}")
    if ! "$HUIBAO" build -q "$f" -f md,pdf -o "$work/$name"; then
        echo "FAIL $name: build"; fail=$((fail+1)); continue
    fi
    if /usr/bin/python3 "$HU_SOURCE_DIR/tests/pdfcheck.py" "$work/$name/$name.pdf" "$work/$name/$name.md"; then
        pass=$((pass+1))
    else
        echo "FAIL $name: pdfcheck"; fail=$((fail+1))
    fi
done
finish "sample pdfs"
