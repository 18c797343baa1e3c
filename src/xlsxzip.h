/* xlsxzip.h - a workbook's zip entries deflated by libdeflate instead of minizip's zlib.
 *
 * libxlsxwriter zips every part of a workbook through minizip at zlib's level 6, hard-coded.
 * xlsxzip.c defines the minizip functions libxlsxwriter calls; the executable exports them
 * (CMakeLists.txt, --export-dynamic-symbol, as xlsxlib.c's lxw_tmpfile), so the library, loaded
 * with dlopen, binds to these and each entry is compressed whole with libdeflate, then stored
 * through minizip's own functions as a raw (already compressed) entry. See xlsxzip.c. */
#ifndef HU_XLSXZIP_H
#define HU_XLSXZIP_H
#include <stdbool.h>

/* A batch's worker keeps the last deflated copy of each small part by name and writes a part
 * that has not changed from it (xlsxzip.c, "a batch's memo"); off frees what it kept. Called by
 * report.c's hu_report_memo. */
void hu_xlsxzip_memo(bool on);

/* The libdeflate level of a workbook's entries. Measured (bench/README.md, Session 9;
 * bench_xlsxzip.sh): level 1 deflates a sample workbook's parts in half the time of level 6
 * (4.2 M instructions a report less in a batch, ~4 % of it) for 6 % more bytes than zlib's
 * level 6 gave (41.4 KB of entries instead of 38.9; 16 % at 200 pages); level 6 is 0.3-8 %
 * smaller than zlib's. Issue 19's goal is the batch's time, and no size goal covers the
 * workbook: 1. -DHU_XLSXZIP_LEVEL=n builds another level for measuring. */
#ifndef HU_XLSXZIP_LEVEL
#define HU_XLSXZIP_LEVEL 1
#endif

#endif
