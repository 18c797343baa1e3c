/* history.h - earlier months of the same office, for 上月累计, 环比 and 1—N月 trends.
 *
 * `huibao build data/2026-10.yaml` looks in data/ (or --history DIR) for YAML/JSON files whose
 * `period` is in the same year and an earlier month and whose `org` is the same string. Each
 * file is read once (by device and inode, so a symlink or a second spelling of the path does
 * not load it twice); a file that does not load is skipped with a warning. Explicit values in
 * the current file always win; months that contradict each other (a cumulative value that
 * shrinks, an explicit last_month that differs from the previous file's value, two files for
 * one month) give a warning naming both files. Nothing here is an error: history only adds.
 *
 * A file over HU_HISTORY_MAX_BYTES is not read as history (a warning names it, unless its name
 * says it is another period): a month's input is 4 to 20 KB, a 200-page report's about 380 KB,
 * and every report of a folder scans every file in it, so one stray multi-megabyte YAML file
 * (a data dump in /tmp) cost each report beside it a second and 90 MB of memory to parse.
 */
#ifndef HU_HISTORY_H
#define HU_HISTORY_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "error.h"
#include "input.h"

typedef struct hu_history hu_history;

/* The largest sibling file read for history (1 MiB, about 500 pages of report). */
#define HU_HISTORY_MAX_BYTES (1u << 20)

/* Cumulative values of one indicator by month (index 1..12), as far as known: from the
 * history below, or (model.c) from the current file alone. */
typedef struct hu_months {
    hu_num cum[13];
    const char *file[13]; /* where each value came from (for messages), may be NULL */
} hu_months;

/* Optional cache shared by several builds (a batch building 2026-08, -09 and -10 from one
 * folder reads each file once). Each folder is listed, and each of its files stat'ed, once
 * per cache (the first hu_history_load or hu_history_cache_preload to scan it): the builds of
 * one run see the folder as it was then, and a file read is not read again. The cache owns
 * the loaded reports, so it must outlive every hu_history made with it. Thread-safe. */
typedef struct hu_history_cache hu_history_cache;
hu_history_cache *hu_history_cache_new(void);
void hu_history_cache_free(hu_history_cache *c);
/* A file the batch builds itself: its problems are its own errors, so the history of the
 * other reports does not warn about it again. */
void hu_history_cache_add_input(hu_history_cache *c, const char *path);
/* Validates every file the cache has parsed (each becomes a hu_report, or an error kept for
 * its warning) so that builds made after a fork() inherit the month's figures instead of
 * each child validating the same months again: in a batch of one office's year the December
 * child validated all eleven earlier months (about 5 million instructions), every child again. */
void hu_history_cache_validate_all(hu_history_cache *c);
/* Reads, parses and validates on `threads` threads every file hu_history_load would scan for
 * each of the inputs (their folders, or dir), so that a batch's parent fills the cache before
 * it forks with every core instead of one (its serial prewarm was a third of its CPU). */
void hu_history_cache_preload(hu_history_cache *c, const char *const *inputs, size_t n,
                              const char *dir, int threads);

/* Scan dir (NULL: the folder of cur->file) for earlier months of cur's org and year and
 * build the per-indicator month series. Never returns NULL (an empty history when nothing
 * matches or the folder cannot be read, which is a warning). cache may be NULL. Warnings go
 * to d. */
hu_history *hu_history_load(hu_arena *a, const hu_report *cur, const char *dir,
                            hu_history_cache *cache, hu_diags *d);

/* The signs of a month copied from the last one and not brought up to date, each located in
 * the current file (or workbook cell), as warnings — errors with strict (`--strict`):
 *   - an amount's cumulative value that shrinks from one month to a later one;
 *   - 本期 equal to 上月累计 (the previous month's file, or the file's own last_month), unless
 *     the indicator says `unchanged: true` (本月无变化 in a workbook);
 *   - a paragraph of section text, a section's list of points, or a highlight identical to last
 *     month's (blanks ignored; paragraphs and lists under 30 bytes, stock phrases, are not
 *     compared). The preamble and closing are the same every month and are not compared. */
void hu_history_check(hu_arena *a, const hu_history *h, bool strict, hu_diags *d);

/* Every file read while scanning (the depfile's prerequisites: a file that did not match
 * could be edited to match), sorted by name, the current file excluded. */
size_t hu_history_files(const hu_history *h, const char *const **out);
/* Every other input file of the folder, as read while scanning (hu_history_files' order):
 * its period and org strings as written (NULL when absent or not text), or broken when it
 * does not parse. For the checks against the folder's other months (consistency.h). */
typedef struct hu_sibling {
    const char *file;
    const char *period, *org;
    bool broken;
} hu_sibling;
size_t hu_history_siblings(const hu_history *h, const hu_sibling **out);
/* The files actually used (matching org, year and an earlier month), in month order. */
size_t hu_history_used(const hu_history *h, const char *const **out);
/* The report for an earlier month (1..cur->month-1) or NULL. Only what history reads of a
 * month is kept (the cache would otherwise hold every month's parsed file): its file, org,
 * period, year, month and figures_file; each indicator's name, value, last_month, kind,
 * unchanged, decimals, loc and path; each section's text, points, highlights, level, plain,
 * loc, text_loc and path. Every other field is NULL or zero (titles, units, root). */
const hu_report *hu_history_month(const hu_history *h, int month);
/* Cumulative values by month for the current file's indicator `name` (cum[cur->month] is
 * the current value; cum[N-1] is the file's explicit last_month when given). NULL when the
 * current file has no such indicator. */
const hu_months *hu_history_months(const hu_history *h, const char *name);

#endif
