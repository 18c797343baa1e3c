/* newmonth.h - `huibao new PERIOD [FROM]`: the next month's input, started from the latest
 * earlier month, as office staff start every report by copying last month's file.
 *
 * The rolling rules (docs/input.md, “新的一个月”):
 *   - the source is FROM (a month file), or the latest month before PERIOD among the input
 *     files of the folder FROM (default: the working folder); months of several offices at
 *     that period need FROM to say which;
 *   - period becomes PERIOD; date moves by the same number of months (its day kept, or the
 *     month's last day); the title's and the attachments' period phrases roll with the shared
 *     parser (period.h: "1—10月" → "1—11月", "前三季度" → "1—10月", the year across January);
 *   - indicators keep name, unit, kind, decimals, target (within the same year), approx and
 *     note; last_month is the source's value when the source is the month just before (never
 *     in January); last_year is the same month's value a year earlier when that file is in the
 *     folder; value is left empty, so the file does not build until every one is filled (each
 *     missing one is an error naming the indicator); decimals is written out when the numbers
 *     left in the file would no longer show the places the source used;
 *   - to, preamble, closing, template and the sections are kept as written: a starting point,
 *     which the build's "identical to last month" warnings (history.h) ask to update;
 *   - with xlsx, or when the source's figures came from a workbook, the indicators go into a
 *     fill-in workbook beside the file (2026-11-指标.xlsx, the 主要指标 columns of figures.h,
 *     本期 highlighted and accepting numbers only) and the file names it.
 * The new file is 2026-11.yaml beside the source (the source's name with its period replaced),
 * and nothing that exists is ever overwritten. */
#ifndef HU_NEWMONTH_H
#define HU_NEWMONTH_H
#include <stdbool.h>

typedef struct hu_new_opts {
    const char *period; /* as typed: 2026-11, 2026年11月 … */
    const char *from;   /* a month file or a folder; NULL: the working folder */
    bool xlsx;          /* write the fill-in workbook */
    bool quiet;
} hu_new_opts;

/* Runs `huibao new`: prints the files made (stdout) and every problem (stderr). Returns
 * HU_EXIT_OK, HU_EXIT_INPUT (bad period, no source, a file in the way, a broken source) or
 * HU_EXIT_BUILD (could not write). */
int hu_new_run(const hu_new_opts *o);

#endif
