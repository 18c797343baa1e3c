#!/bin/bash
# e2e_pdf.sh - typeset tests/data/pdf/report.md.mustache with the bundled fonts (through the
# test_pdf driver, which renders it and calls hu_pdf_build) and check the PDF with independent tools (tests/pdfcheck.py).
set -euo pipefail
src=${HU_SOURCE_DIR:?}
build=${HU_BUILD_DIR:?}
for tool in pdftotext pdffonts pdfinfo qpdf; do
    command -v $tool >/dev/null || { echo "FAIL: $tool not installed: bash tools/deps.sh test (poppler-utils, qpdf)"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
HU_PDF_OUT="$work/report.pdf" "$build/tests/test_pdf" >test.log 2>&1 || { cat test.log; exit 1; }
/usr/bin/python3 "$src/tests/pdfcheck.py" "$work/report.pdf" "$work/report.md"
# byte-identical under SOURCE_DATE_EPOCH (test_pdf builds twice with a fixed clock as well)
sha1=$(sha256sum <report.pdf)
HU_PDF_OUT="$work/report2.pdf" "$build/tests/test_pdf" >/dev/null 2>&1
sha2=$(sha256sum <report2.pdf)
[ "$sha1" = "$sha2" ] || { echo "FAIL: PDF bytes differ between runs"; exit 1; }
echo "e2e_pdf: ok"
