/* period.h - period phrases in report titles and file names: found, compared with a report's
 * period, and rolled to another period.
 *
 * A monthly report names its period in the title, and the title is copied from last month's
 * file: "产业开发区2026年1—9月产业发展工作情况汇报" left as it was in October's file is the stale
 * line `huibao check` must catch, and the line `huibao new` must roll. One parser serves both.
 *
 * Phrases recognised (digits or Chinese numerals, any of the dashes — – - ～ ~ 至 到):
 *   2026年 2026年度                      a year (HU_PHRASE_YEAR)
 *   10月 10月份 十月份 2026年10月         one month (HU_PHRASE_MONTH)
 *   1—10月 1-10月份 1月至10月 一至十月    months first..last (HU_PHRASE_RANGE)
 *   一季度 第三季度 3季度                 one quarter (HU_PHRASE_QUARTER)
 *   上半年 下半年                        HU_PHRASE_HALF (1—6, 7—12)
 *   前两季度 前三季度                    HU_PHRASE_FIRST_QUARTERS (1—6, 1—9)
 *   全年 全年度                          HU_PHRASE_WHOLE_YEAR (1—12)
 * A year written before the months ("2026年1—10月", "2026年第三季度") belongs to the phrase.
 * Not phrases: dates ("10月15日"), durations ("3个月"), and a Chinese numeral glued to a word
 * ("统一月报"). */
#ifndef HU_PERIOD_H
#define HU_PERIOD_H
#include <stdbool.h>
#include <stddef.h>

typedef enum hu_phrase_kind {
    HU_PHRASE_YEAR,
    HU_PHRASE_MONTH,
    HU_PHRASE_RANGE,
    HU_PHRASE_QUARTER,
    HU_PHRASE_HALF,
    HU_PHRASE_FIRST_QUARTERS,
    HU_PHRASE_WHOLE_YEAR
} hu_phrase_kind;

typedef struct hu_period_phrase {
    hu_phrase_kind kind;
    size_t start, end; /* bytes [start, end) of the text */
    int year;          /* the year written in the phrase; 0 when none */
    int first, last;   /* the months covered (1..12); 0 for a year alone */
    /* how it is written, so a rolled phrase keeps its form */
    bool chinese; /* numerals 一…十二 rather than digits */
    bool fen;     /* 月份 */
    bool di;      /* 第三季度 */
    bool du;      /* 年度 */
    bool each;    /* 1月至10月: 月 after both ends */
    char sep[8];  /* a range's separator as written ("—", "-", "至" …) */
} hu_period_phrase;

/* The phrases of text s, in order, at most max of them (out may be NULL to count). Returns how
 * many there are (which may exceed max). */
size_t hu_period_phrases(const char *s, hu_period_phrase *out, size_t max);

/* Whether phrase p names the cumulative period of a report for month `month` of `year`: its
 * year (when written) is that year, and its months end with that month (a year alone: the
 * year). */
bool hu_period_phrase_names(const hu_period_phrase *p, int year, int month);

/* Whether p names a period after year-month (a plan: "……及11月份工作打算" in October's title). */
bool hu_period_phrase_after(const hu_period_phrase *p, int year, int month);

/* Phrase p written for the report of year-month in p's own form (digits or numerals, 份, 第,
 * separator): "1—9月" for 2026-10 gives "1—10月", "前三季度" gives "1—10月", "三季度" gives
 * "10月". Appended to out (a hu_buf). */
struct hu_buf;
void hu_period_phrase_write(const hu_period_phrase *p, int year, int month, struct hu_buf *out);

/* text with every period phrase moved from the report of from_y-from_m to the report of
 * to_y-to_m: each phrase's months and year shift by the same number of months ("1—9月" →
 * "1—10月", "9月份……及10月份工作打算" → "10月份……及11月份工作打算", "2026年全年" → "2027年1月"
 * across a year end). Text outside the phrases is kept byte for byte. malloc'd. */
char *hu_period_roll(const char *text, int from_y, int from_m, int to_y, int to_m);

/* The period a file name gives, for the name/period agreement check: "2026-10", "2026_10",
 * "2026.10", "202610" (six digits alone), or a phrase with a year and one month or months
 * ending in it ("2026年10月汇报", "2026年1—10月"). name may be a path; its folder and its
 * extension are ignored. False when the name gives no period. */
bool hu_period_from_name(const char *name, int *year, int *month);

#endif
