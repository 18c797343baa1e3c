/* analyze.h - 同比/环比/当月/完成率/序时进度 and their wording (docs/templates.md; shared
 * docs/format.md section 4).
 *
 * Every figure is computed on the number's text as written ("112.25"), parsed into a scaled
 * integer, never through binary floating point: 112.25 against 100 must print 12.3%, and a
 * double would say 12.2%. Rounding is half-up on the magnitude (四舍五入: -4.05 -> -4.1),
 * one decimal for percentages and 百分点. No function here can produce inf, nan or -0.0: a
 * comparison without a meaningful base has has == false and no percentage at all.
 *
 * All functions are pure: strings come from the caller's arena, nothing is printed. */
#ifndef HU_ANALYZE_H
#define HU_ANALYZE_H
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "decimal.h"
#include "history.h"
#include "input.h"

/* ------------------------------------------------------------------ comparisons */

typedef enum { HU_DIR_NONE, HU_DIR_UP, HU_DIR_DOWN, HU_DIR_FLAT } hu_dir;

typedef enum {
    HU_FORM_NONE,    /* no comparable base: no figure at all */
    HU_FORM_PERCENT, /* 增长12.3% / 下降4.1% */
    HU_FORM_BEI,     /* 增长1.3倍 (only increases of 100% or more, when enabled) */
    HU_FORM_POINTS,  /* rates: 提高2.1个百分点 */
    HU_FORM_LOSS, /* negative base or value: 扭亏为盈/由盈转亏/减亏/增亏 + absolute change */
    HU_FORM_FLAT /* rounds to 0.0 (or equal amounts): 持平 */
} hu_form;

typedef enum {
    HU_LOSS_NONE,
    HU_LOSS_TURN_PROFIT,
    HU_LOSS_TURN_LOSS,
    HU_LOSS_LESS,
    HU_LOSS_MORE
} hu_loss;

typedef struct hu_cmp {
    bool has;     /* a comparison exists (text names it); false: base missing or zero */
    bool has_pct; /* pct/tenths hold a percentage or 百分点 figure */
    hu_form form;
    hu_dir dir;
    hu_loss loss;
    int64_t tenths;       /* signed percent (or 百分点) x10, rounded half-up */
    int64_t times_tenths; /* 倍 x10 when form == HU_FORM_BEI */
    const char *pct_text; /* "12.3%" / "1.3倍" / "2.1个百分点" (magnitude); NULL without pct */
    const char *short_text; /* table cell: "12.3%", "-4.1%", "1.3倍", "-2.1个百分点", "持平",
                               "扭亏为盈", "减亏0.20", "—" */
    const char *text;       /* "同比增长12.3%" …; "" when !has and no none-text */
    const char *change_text; /* |value - base| with the indicator's decimals, for LOSS */
    hu_dec change;           /* value - base, exact */
    bool has_change;
} hu_cmp;

typedef struct hu_cmp_words {
    const char *prefix; /* "同比" / "环比" / "比1—9月" */
    const char *flat;   /* "与上年同期持平" */
    const char *none;   /* "上年同期无可比数据" (may be "") */
} hu_cmp_words;

extern const hu_cmp_words hu_words_yoy, hu_words_mom;

/* Compare value with base. Amounts: percent (or 倍 when bei and >= 100%), LOSS wording for
 * negative bases (and for a positive base turning negative), none for a zero or missing base.
 * Rates: difference in 百分点 (any base, zero included). `unit`/`decimals` format the absolute
 * change of LOSS wordings ("同比减亏0.20亿元"). */
hu_cmp hu_analyze_compare(hu_arena *a, const hu_num *value, const hu_num *base, hu_ind_kind kind,
                          bool profit, bool bei, const char *unit, int decimals,
                          const hu_cmp_words *w);
/* profit: the indicator is a profit or a balance (hu_analyze_is_profit), whose negative value is
 * a loss: 扭亏为盈/由盈转亏/减亏/增亏. Any other amount with a negative side (a revenue written
 * down, an investment reversed) has no 盈 or 亏: "同比减少3.00亿元" / "同比增加…" (HU_FORM_LOSS
 * with loss HU_LOSS_NONE). */

/* Is an indicator of this name a profit, whose negative value is a loss (利润总额, 净利润,
 * 利税, 盈利, 盈亏, 损益, 投资收益)? The input has two kinds only (amount, rate); the name is
 * what says it, as a reader takes it. */
bool hu_analyze_is_profit(const char *name);
/* Is this indicator a profit? What its `kind` says (profit: yes, amount: no), else its name. */
bool hu_analyze_indicator_is_profit(const hu_indicator *ind);

/* ------------------------------------------------------------------ indicators */

/* Decimals written in a number's text: "125.60" 2, "150" 0, "1.5e3" 0, "2.5e-2" 3 (at most 18);
 * a number set in code counts its shortest decimal form. 0 when unset. */
int hu_analyze_written_decimals(const hu_num *n);

/* Value text with decimals, half-up on the decimal text. NULL when the number is unset. */
char *hu_analyze_format(hu_arena *a, const hu_num *n, int decimals);

/* 序时进度 for month N in tenths of a percent: round(N/12 x 1000) (month 10 -> 833). */
int64_t hu_analyze_schedule_tenths(int month);

/* The one decimals rule (docs/input.md): `decimals:` when the input sets it, else the most
 * decimals written in value, last_year, the 上月累计 used (the file's, else history's) and
 * target, at most HU_MAX_AUTO_DECIMALS. The model records it; no output works it out again. */
#define HU_MAX_AUTO_DECIMALS 6
int hu_analyze_decimals(const hu_indicator *ind, int month, const hu_months *months);

typedef struct hu_ind_result {
    int decimals;
    const char *value_text;   /* "125.60" */
    const char *value_phrase; /* "约125.60亿元" */
    const char *last_year_text;
    hu_num last_month; /* used 上月累计: explicit or from history (set=false: unknown) */
    const char *last_month_text;
    bool diff_set;
    hu_dec diff; /* value - last_year */
    const char *diff_text;
    hu_cmp yoy;
    bool month_set; /* 当月值 known */
    hu_dec month_value;
    const char *month_value_text;   /* "13.20" */
    const char *month_value_phrase; /* "13.20亿元" */
    hu_cmp mom;
    const char *target_text;
    bool completion_has;
    int64_t completion_tenths;       /* 873 */
    const char *completion_pct_text; /* "87.3%" */
    const char *completion_text;     /* "完成年度目标的87.3%" */
    bool schedule_has;
    int64_t schedule_gap_tenths; /* completion - 序时进度, both as printed, in 百分点 x10 */
    hu_dir schedule_dir;         /* UP ahead, DOWN behind, FLAT even */
    const char *schedule_gap_text; /* "4.0" (magnitude) */
    const char *schedule_text;     /* "超序时进度4.0个百分点" */
    const char *schedule_short;    /* "+4.0" / "-13.2" / "0.0" */
    const char *sentence; /* "完成技工贸总收入约125.60亿元，同比增长12.3%，…" */
    const char *month_sentence; /* "10月份完成13.20亿元，环比增长3.2%" or NULL */
} hu_ind_result;

/* Everything about one indicator for month `month` (1..12). months may be NULL (then only
 * the file's own value/last_month are known); months->cum[month] is ignored in favour of
 * ind->value, and ind->last_month (explicit) wins over months->cum[month-1]. */
void hu_analyze_indicator(hu_arena *a, const hu_indicator *ind, int month, const hu_months *months,
                          bool bei, hu_ind_result *out);

/* ------------------------------------------------------------------ highlights */

typedef struct hu_auto_highlight {
    size_t indicator; /* index into the indicator array */
    const char *text;
    bool concern;     /* 需关注 (a decline or behind 序时进度) */
    const char *kind; /* "fastest" | "ahead" | "decline" | "behind" */
} hu_auto_highlight;

/* Fastest growth (among two or more growing amount indicators), targets ahead of 序时进度
 * (at most max_positive of these two kinds; negative: no limit), then every decline and every
 * target behind 序时进度, flagged (never cut: hiding a decline is what a report must not do).
 * Returns the count; *out is arena-allocated. */
size_t hu_analyze_highlights(hu_arena *a, const hu_indicator *inds, const hu_ind_result *res,
                             size_t n, int max_positive, hu_auto_highlight **out);

#endif
