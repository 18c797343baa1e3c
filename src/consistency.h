/* consistency.h - what a month copied from last month leaves stale: checks of one report against
 * its own period and against the other months of its folder.
 *
 * Every month starts as a copy of the previous one, so what the copy forgets passes every
 * field check: the title still says 1—9月 while period says 2026-10; 2026-09.yaml holds period
 * 2026-10 (so 2026-09.pdf is October's report); the 成文日期 lies before the end of the period;
 * the org is spelt differently from the folder's other months (so their figures are not used).
 * Each finding is a warning at the field's line:col naming the fix, an error with --strict. */
#ifndef HU_CONSISTENCY_H
#define HU_CONSISTENCY_H
#include <stdbool.h>

#include "error.h"
#include "history.h"
#include "input.h"

/* Check r against its period, its file name and the folder's other months (h may be NULL).
 * Returns the number of findings. */
int hu_consistency_check(const hu_report *r, const hu_history *h, bool strict, hu_diags *d);

#endif
