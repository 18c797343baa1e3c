/* xlsx.h - the figures workbook (.xlsx), written with libxlsxwriter from the view model only.
 *
 * Sheets: 主要指标 (figures with live formulas whose results are cached in the file, a column
 * chart of 同比), 亮点, 正文 (every paragraph with its section path), 趋势 (month by month, with
 * line and column charts per indicator), 说明 (provenance). See docs in xlsx.c for the exact
 * columns and formulas.
 *
 * Numbers in cells: figures are the view's raw numbers; derived cells (增减额, 同比, 环比, 完成率,
 * 序时进度差) are formulas whose cached result is the EXACT value computed from the same cells
 * (e.g. 0.122932…), displayed with one decimal ("0.0%"). The view's pct fields are the same
 * numbers rounded to one decimal for prose, so round(cell × 100, 1) == view pct. */
#ifndef HU_XLSX_H
#define HU_XLSX_H
#include <stdbool.h>

#include "error.h"
#include "value.h"

typedef struct hu_xlsx_options {
    long long now;             /* generation time, seconds since the epoch */
    bool now_from_env;         /* now came from SOURCE_DATE_EPOCH: stamp it as the creation time
                                  so two runs give byte-identical files */
    const char *source_name;   /* input file name, when the view carries no source_file */
    const char *source_sha256; /* when the view carries no source_sha256 */
    const char *template_name; /* when the view carries no template */
    const char *display_path;  /* the name messages use; NULL: out_path (the temporary file) */
} hu_xlsx_options;

/* Write the workbook for `view` (the context of view.h) to out_path. The caller passes a
 * temporary path and renames it. o may be NULL (now = 0, nothing from the environment).
 * Returns 0 on success; otherwise reports in d (in Chinese) and returns nonzero. */
int hu_xlsx_write(const hu_value *view, const char *out_path, const hu_xlsx_options *o,
                  hu_diags *d);

#endif
