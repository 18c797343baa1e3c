/* numtext.h - numbers, periods and dates as people type them.
 *
 * One reader for every place a figure or a month arrives as text: YAML/JSON values now, the
 * cells of a workbook or CSV later. A form with exactly one reading is converted and the
 * result says what was changed, so the caller can warn: full-width digits (１２５．６), thousands
 * separators (23,420.5), the indicator's own unit or magnitude after the number ("125.6亿" in an
 * 亿元 indicator), a % after a rate, 2026-9, 2026.10, 2026年10月. Anything else is refused with
 * the form to write instead; a different magnitude ("125.6亿" in a 万元 indicator) is refused
 * with the converted figure, never multiplied silently.
 *
 * Pure functions: no allocation, no global state; messages are Chinese, written into the
 * result. */
#ifndef HU_NUMTEXT_H
#define HU_NUMTEXT_H
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    HU_NUMTEXT_OK,        /* already in the expected form; msg is empty */
    HU_NUMTEXT_CONVERTED, /* read with a change the user should hear about; msg says which */
    HU_NUMTEXT_REFUSED,   /* no single reading; msg says why and what to write */
} hu_numtext_status;

#define HU_NUMTEXT_MSG 384

typedef struct hu_numtext {
    hu_numtext_status status;
    double value;
    /* The decimal read, [-]digits[.digits] with the fraction digits as written (125.60 stays
     * 125.60, for exact arithmetic and the decimals rule). Empty when refused. */
    char text[136];
    char msg[HU_NUMTEXT_MSG];
} hu_numtext;

/* Read a figure from s[0..n) (not NUL-terminated). unit is the indicator's unit ("亿元", "%",
 * NULL or "" for none); rate says the indicator is a rate, whose unit a trailing % is. */
hu_numtext_status hu_numtext_number(const char *s, size_t n, const char *unit, bool rate,
                                    hu_numtext *out);

/* The same for a spreadsheet cell (figures.h): the advice names the workbook's columns (“约数”,
 * “单位”, “类型”) and an empty cell instead of YAML fields. */
hu_numtext_status hu_numtext_cell(const char *s, size_t n, const char *unit, bool rate,
                                  hu_numtext *out);

typedef struct hu_datetext {
    hu_numtext_status status;
    int year, month, day; /* day is 0 for a period */
    char text[40];        /* "2026-10" or "2026-11-05"; empty when refused */
    char msg[HU_NUMTEXT_MSG];
} hu_datetext;

/* A period (统计期): year and month, written YYYY-MM. Also read: 2026-9, 2026/10, 2026.10,
 * 2026年10月, 2026年1—10月 (the cumulative span every report covers), full-width digits. */
hu_numtext_status hu_numtext_period(const char *s, size_t n, hu_datetext *out);

/* A date (成文日期), written YYYY-MM-DD. Also read: 2026-11-5, 2026/11/5, 2026.11.05,
 * 2026年11月5日, full-width digits. Impossible dates (2026-02-30) are refused. */
hu_numtext_status hu_numtext_date(const char *s, size_t n, hu_datetext *out);

#endif
