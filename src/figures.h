/* figures.h - the indicators of a month read from a workbook or CSV instead of the input file
 * (`indicators: 2026-10-指标.xlsx`), in the column layout of the 主要指标 sheet huibao writes.
 *
 * The columns are found by their header names, in any order (docs/input.md lists them with
 * their other accepted names): 指标 and 本期 are required; 单位, 上年同期, 上月累计, 年度目标,
 * 类型, 小数位, 约数, 本月无变化 and 备注 are read when present; the columns huibao computes
 * (序号, 增减额, 同比, 当月值, 环比, 完成率, 序时进度差) are passed over; any other column is
 * ignored with a notice. A header may carry its period in brackets (本期(1—10月)), span two
 * rows (merged cells) and sit below title rows.
 *
 * Figures go through the shared number reader (numtext.h) as a YAML value does: a number cell
 * as the decimal its reader sees (sheet.h: 15 significant digits, the decimals its format
 * shows), a text cell ("23,420", "125.6亿") with the same rules and the same refusals. Every
 * problem is located at its cell: 2026-10-指标.xlsx 工作表“主要指标” C7: 应为数字…
 *
 * The same table of columns gives the header of the fill-in workbook `huibao new --xlsx`
 * writes, so what it writes is what this reads. */
#ifndef HU_FIGURES_H
#define HU_FIGURES_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "error.h"
#include "input.h"

/* The sheet read from a workbook. */
#define HU_FIGURES_SHEET "主要指标"

typedef enum {
    HU_FIG_NAME,
    HU_FIG_UNIT,
    HU_FIG_VALUE,
    HU_FIG_LAST_MONTH,
    HU_FIG_LAST_YEAR,
    HU_FIG_TARGET,
    HU_FIG_KIND,
    HU_FIG_DECIMALS,
    HU_FIG_APPROX,
    HU_FIG_UNCHANGED,
    HU_FIG_NOTE,
    HU_FIG_NCOLS
} hu_figcol;

/* The header huibao writes for a column ("指标", "本期"); VALUE and LAST_MONTH are written
 * with their period: "本期(1—11月)", "上月累计(1—10月)". */
const char *hu_figures_header(hu_figcol c);

/* Reads the indicators of the workbook (.xlsx, its 主要指标 sheet) or CSV at path. On success
 * *out holds *n indicators (arena-owned; locations name the cells) and true is returned;
 * otherwise every problem is in d. Notes (columns ignored, text read as numbers) go to d too.
 * month (1..12, 0: unknown) is the report's: a 本期 header naming another month warns. */
bool hu_figures_load(hu_arena *a, const char *path, int month, hu_indicator **out, size_t *n,
                     hu_diags *d);

/* True for a file name that names figures: .xlsx or .csv in any letter case. */
bool hu_figures_is_file(const char *name);

#endif
