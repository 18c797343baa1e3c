/* sheet.h - one worksheet of a workbook (.xlsx) or a CSV file, read as a grid of typed cells.
 *
 * The figures of a month often arrive as a spreadsheet (统计局, 税务, 科室). This reader takes
 * what Excel, WPS and LibreOffice save: shared and inline strings (rich text runs joined,
 * phonetic runs left out), numbers, booleans, error values, formulas with their cached results
 * (the formula itself is never evaluated; a formula saved without a result is a cell of its
 * own kind, so the caller can refuse it where it matters), merged ranges, and number formats
 * as far as they say "date", "percentage" or "n decimals". A .csv is UTF-8 (with or without
 * BOM) or GB18030/GBK, comma-, semicolon- or tab-separated, quoted as RFC 4180.
 *
 * Bounded: the zip is opened within caps (ooxml.h: entries, sizes, compression ratio), every
 * XML part has a node cap, a sheet has at most HU_SHEET_MAX_ROWS rows with content and only
 * its first HU_SHEET_MAX_COLS columns are read. Only the workbook, its relationships, the
 * shared strings, the styles and the one worksheet are opened: external links, pivot caches,
 * drawings and macros are never read.
 *
 * Numbers: a cell stores a double; its text here is that double rounded to 15 significant
 * digits (what Excel shows and what a formula's 36.899999999999999 means: 36.9), written as a
 * plain decimal; hu_cell_decimal adds the decimals its number format shows as zeros (125.6
 * shown as 0.00 is "125.60", as the reader of the sheet sees it), never taking digits away. */
#ifndef HU_SHEET_H
#define HU_SHEET_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "error.h"

typedef enum {
    HU_CELL_EMPTY,
    HU_CELL_NUMBER,  /* text: the stored double to 15 significant digits; num: the double */
    HU_CELL_TEXT,    /* text: the string (a formula's string result included) */
    HU_CELL_BOOL,    /* text: "TRUE" / "FALSE"; num: 1 / 0 */
    HU_CELL_ERROR,   /* text: "#DIV/0!", "#REF!" … */
    HU_CELL_NOVALUE, /* a formula saved without its result (formula holds it) */
} hu_cell_kind;

typedef struct hu_cell {
    int row, col; /* 0-based */
    hu_cell_kind kind;
    const char *text;
    double num;
    const char *formula; /* the formula as stored, NULL when the cell has none */
    bool date;           /* NUMBER in a date or time format (text: "2026-10-01") */
    bool percent;        /* NUMBER in a percentage format (text: the stored fraction) */
    int decimals;        /* NUMBER: the decimals its number format shows, -1 for General */
    bool external;       /* the formula refers to another workbook ([1]Sheet!A1) */
    bool merged;         /* a copy of the top-left cell of a vertically merged range */
} hu_cell;

typedef struct hu_sheet {
    const char *file; /* the path as opened */
    const char *name; /* the worksheet's name; NULL for a CSV */
    bool csv;
    const char *encoding; /* CSV: "UTF-8" or "GB18030" */
    hu_cell *cells;       /* the non-empty cells, sorted by row, then column */
    size_t ncells;
    int nrows, ncols; /* one past the last row and column holding a cell */
    bool cut_cols;    /* there were cells beyond HU_SHEET_MAX_COLS (not read) */
} hu_sheet;

#define HU_SHEET_MAX_ROWS 20000 /* rows with content */
#define HU_SHEET_MAX_COLS 256
#define HU_SHEET_MAX_BYTES (32u << 20) /* a CSV file, one XML part of a workbook */

/* Reads the worksheet called `want` of the .xlsx at path, or the whole .csv (by extension).
 * With want NULL, or no sheet of that name while the workbook has exactly one worksheet, the
 * first worksheet is read (and *fallback, when given, says so). Returns NULL on error: not a
 * workbook (an .xls, .et or .ods saved under another name is named as such), damaged, over a
 * bound, no such sheet (the message lists the sheets there are). */
hu_sheet *hu_sheet_load(hu_arena *a, const char *path, const char *want, bool *fallback,
                        hu_diags *d);

/* The cells of row r: *n of them from the returned pointer (NULL, 0 for an empty row). */
const hu_cell *hu_sheet_row(const hu_sheet *s, int r, size_t *n);
/* The cell at (r, c), or NULL when it is empty. */
const hu_cell *hu_sheet_cell(const hu_sheet *s, int r, int c);

/* A NUMBER cell's figure as its reader sees it: the 15-digit decimal, times 100 when
 * `points` (a percentage cell read as a figure in %), with the zeros its number format shows
 * added ("125.6" in a 0.00 cell is "125.60"; digits are never taken away). Lives in a. */
const char *hu_cell_decimal(hu_arena *a, const hu_cell *c, bool points);

/* "C7" for (6, 2). buf holds at least 16 bytes. */
const char *hu_sheet_ref(int r, int c, char *buf);
/* How messages name a cell: "2026-10-指标.xlsx 工作表“主要指标” C7" (c < 0: "… 第 7 行");
 * the same for a CSV without the sheet. Lives in a. */
const char *hu_sheet_where(hu_arena *a, const hu_sheet *s, int r, int c);

#endif
