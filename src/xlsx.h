/* xlsx.h - the figures workbook (.xlsx), written with libxlsxwriter from the report model only.
 *
 * Sheets: 主要指标 (figures; derived cells are live formulas whose results are cached in the
 * file), 亮点, 正文 (every paragraph with its section path), 趋势 (month by month), 图表 (the 同比
 * chart and each indicator's month charts), 说明 (provenance). See the top of xlsx.c for the
 * exact columns and formulas.
 *
 * What a cell shows is what the report text says, at every rounding boundary, whether the
 * reader recalculates or shows the cached results: figures are the model's exact decimals
 * shown with the indicator's decimals, and 同比/环比/完成率/序时进度差 are rounded in the formula
 * to the one decimal the text prints (0.4% for 100.35 against 100). */
#ifndef HU_XLSX_H
#define HU_XLSX_H
#include <stdbool.h>

#include "atomic.h"
#include "error.h"
#include "model.h"

typedef struct hu_xlsx_options {
    long long now;            /* the workbook's creation time, seconds since the epoch */
    bool now_from_env;        /* now came from SOURCE_DATE_EPOCH (two runs give identical bytes) */
    const char *display_path; /* the name messages use; NULL: out_path (the temporary file) */
    /* out_path's staged output (out_path is its tmp): hashed and fsynced on the workbook's own
     * thread once written (hu_xlsx_start with parallel, hu_xlsx_finish_hashed; atomic.h
     * hu_atomic_sync_here). NULL: neither, as for check, which writes to the null device. */
    hu_atomic *staged;
} hu_xlsx_options;

/* Write the workbook of model m to out_path. The caller passes a temporary path and renames
 * it. o may be NULL (creation time 0). Returns false after reporting in d (in
 * Chinese). */
bool hu_xlsx_write(const hu_model *m, const char *out_path, const hu_xlsx_options *o, hu_diags *d);

/* hu_xlsx_write begun on a thread of its own (parallel true and a thread could be made; else
 * it runs in hu_xlsx_finish), so that a report sets its PDF meanwhile on the other core. m and
 * its memory must not change until hu_xlsx_finish; out_path and o are copied. */
typedef struct hu_xlsx_job hu_xlsx_job;
hu_xlsx_job *hu_xlsx_start(const hu_model *m, const char *out_path, const hu_xlsx_options *o,
                           bool parallel);
/* Waits for the workbook and frees j; hu_xlsx_write's messages go to d (NULL: dropped, for a
 * report that failed before its workbook would have been written). Returns its answer. */
bool hu_xlsx_finish(hu_xlsx_job *j, hu_diags *d);
/* hu_xlsx_finish, and sha256 gets the SHA-256 (hex) of the file as written when the workbook
 * was written on its thread, "" otherwise: the thread hashes it once it is closed, so that
 * the report's commit (which needs every output's sum, manifest.h) does not read it again on
 * the main thread while nothing else runs (bench/README.md, Session 9). */
bool hu_xlsx_finish_hashed(hu_xlsx_job *j, hu_diags *d, char sha256[65]);

#endif
