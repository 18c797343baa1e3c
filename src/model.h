/* model.h - the report model: every figure, phrase and structural block of one report, decided
 * once from the input, the earlier months, the analysis and the template's wording settings.
 *
 * Everything an output shows comes from here: the Mustache context (view.c generates it, field
 * by field, see docs/templates.md), the XLSX workbook, the PDF's document information and the
 * structural blocks a template places (主送机关 to_line, 开头语 preamble_text, 结束语
 * closing_text, 附件说明 attachments[].line, 署名 org and 成文日期 date.text). No output decides
 * a figure, a decimal place or a word of its own, so no two outputs can disagree.
 *
 * The model is plain C data: no input, history or analysis type appears here, so the renderers
 * that read it (xlsx.c, pdf.c, docx) cannot reach back into an earlier stage. Strings are UTF-8
 * in the arena given to hu_model_build, already cleaned (one-paragraph fields joined, half-width
 * punctuation next to Chinese made full-width when settings.clean_punct). NULL means absent.
 *
 * Figures: every number is exact decimal arithmetic on the text as written (analyze.c); a
 * display text is rounded half away from zero (四舍五入) to the indicator's `decimals`, chosen
 * once here: `decimals:` when the input sets it, else the most decimals written in value,
 * last_year, last_month and target (at most 6). Percentages and 百分点 have one decimal. */
#ifndef HU_MODEL_H
#define HU_MODEL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"
#include "value.h"

struct hu_report;
struct hu_history;

/* ------------------------------------------------------------------ settings */

/* The wording settings (the `settings:` map of a template's style.yaml, docs/templates.md §2). */
typedef struct hu_model_settings {
    bool bei;                /* 倍 form at or above +100% (default true) */
    bool clean_punct;        /* half-width punctuation next to CJK -> full-width (default true) */
    int max_auto_highlights; /* default 3; -1: no limit */
    long long now;           /* generation time (SOURCE_DATE_EPOCH or the clock) */
} hu_model_settings;

void hu_model_settings_default(hu_model_settings *s);
/* style.yaml's `settings:` sets them (style.c validates them with the rest of the file). */

/* ------------------------------------------------------------------ figures */

/* One figure of an indicator. */
typedef struct hu_fig {
    bool set;
    const char *exact; /* the exact decimal with all its digits: "100.35", "-0.275" */
    const char *text;  /* rounded to the indicator's decimals: "100.4" (never "-0.0") */
    double num;        /* the double nearest to exact (for spreadsheet cells) */
} hu_fig;

typedef enum { HU_TREND_NONE, HU_TREND_UP, HU_TREND_DOWN, HU_TREND_FLAT } hu_trend;

typedef enum {
    HU_WORDING_NONE,    /* no comparable base: no figure at all */
    HU_WORDING_PERCENT, /* 增长12.3% / 下降4.1% */
    HU_WORDING_BEI,     /* 增长1.3倍 */
    HU_WORDING_POINTS,  /* rates: 提高2.1个百分点 */
    HU_WORDING_LOSS, /* a negative side: 扭亏为盈/由盈转亏/减亏/增亏 + the absolute change */
    HU_WORDING_FLAT /* rounds to 0.0: 持平 */
} hu_wording;

/* 同比 or 环比 as the text words it. */
typedef struct hu_model_cmp {
    bool has;     /* the text names a comparison */
    bool has_pct; /* tenths holds the percentage (amounts) or 百分点 (rates) the text prints */
    hu_wording form;
    hu_trend dir;
    int64_t tenths;         /* signed, ×10, rounded half away from zero: 123 = 12.3 */
    int64_t times_tenths;   /* 倍 ×10 when form == HU_WORDING_BEI */
    const char *unit;       /* "%", "倍", "个百分点" or "" */
    const char *pct_text;   /* magnitude with unit: "12.3%", "1.3倍", "2.1个百分点"; or NULL */
    const char *short_text; /* table cell: "12.3%", "-4.1%", "持平", "扭亏为盈", "—" … */
    const char *text;       /* "同比增长12.3%" …; "" when nothing is said */
    const char *change_text; /* LOSS: |value - base| with the indicator's decimals */
} hu_model_cmp;

/* One month of an indicator's 1—N月 series. */
typedef struct hu_model_month {
    int month;          /* 1..N */
    const char *label;  /* "8月" */
    hu_fig cum;         /* 1—month月 (for a rate: its rate over 1—month月) */
    hu_fig own;         /* 当月值 = cum(month) - cum(month-1); January: cum. Amounts only */
    const char *source; /* the file the value came from, may be NULL */
} hu_model_month;

typedef struct hu_model_indicator {
    int index;                      /* 1-based */
    const char *name, *unit, *note; /* unit is "" when none */
    bool rate;                      /* kind: rate (百分点 comparisons, no 当月值) */
    bool approx;                    /* 约 */
    int decimals;                   /* display decimals (see the top of this file) */
    /* The most decimals written in any figure of this indicator, its earlier months included:
     * sums and differences of them are exact at this many places (XLSX formulas round to it). */
    int exact_decimals;
    hu_fig value, last_year, last_month, target;
    hu_fig diff;                   /* value - last_year (增减额) */
    hu_fig month_value;            /* 当月值 */
    const char *last_month_source; /* "input", "history" or NULL */
    const char *value_phrase;      /* "约125.60亿元" */
    const char *month_value_phrase;
    hu_model_cmp yoy, mom;
    bool completion_has;
    int64_t completion_tenths;       /* 完成率 in tenths of a percent: 873 */
    const char *completion_pct_text; /* "87.3%" */
    const char *completion_text;     /* "完成年度目标的87.3%" */
    bool schedule_has;
    int64_t schedule_gap_tenths;   /* completion - 序时进度, both as printed, 百分点 ×10 */
    hu_trend schedule_dir;         /* UP ahead, DOWN behind, FLAT even */
    const char *schedule_gap_text; /* "4.0" (magnitude) */
    const char *schedule_text;     /* "超序时进度4.0个百分点" */
    const char *schedule_short;    /* "+4.0" / "-13.2" / "0.0" */
    const char *sentence;          /* one clause of the opening paragraph of figures */
    const char *month_sentence;    /* "10月份完成13.20亿元，环比增长3.2%" or NULL */
    hu_model_month *months;        /* months[k-1] is month k, k = 1..nmonths (= period month) */
    int nmonths;
    int known_months; /* months with a known cumulative value */
} hu_model_indicator;

/* The GFM table of all indicators: columns that would be empty in every row are left out. */
typedef struct hu_model_table {
    size_t ncols, nrows;
    const char **titles; /* ncols */
    const bool *right;   /* ncols: right-aligned (numbers) */
    const char **cells;  /* nrows × ncols, row by row; "—" when empty */
} hu_model_table;

/* ------------------------------------------------------------------ text */

typedef struct hu_model_point {
    const char *prefix; /* "一是" */
    const char *text;   /* without its end punctuation */
    const char *punct;  /* "；" or "。" */
    const char *full;   /* prefix + text + punct */
} hu_model_point;

typedef struct hu_model_section hu_model_section;
struct hu_model_section {
    int index;  /* among the titled sections of its level, 1-based; 0 for a plain paragraph */
    int level;  /* 1..4 */
    bool plain; /* a paragraph without a title */
    const char *ordinal, *title, *lead, *heading, *tag, *path;
    bool is_work, is_problems, is_plans;
    const char *text; /* Markdown, NULL when none */
    hu_model_point *points;
    size_t npoints;
    const char *points_text; /* "一是……；二是……。" or NULL */
    const char **highlights; /* the section's own, end punctuation removed */
    size_t nhighlights;
    hu_model_section *sections;
    size_t nsections;
    bool show_indicators, show_highlights; /* the anchor section of figures and highlights */
};

typedef enum {
    HU_HL_SECTION, /* written in a section */
    HU_HL_FASTEST, /* 增速最快 */
    HU_HL_AHEAD,   /* 超序时进度 */
    HU_HL_DECLINE, /* 同比下降 (需关注) */
    HU_HL_BEHIND   /* 低于序时进度 (需关注) */
} hu_hl_kind;

typedef struct hu_model_highlight {
    hu_hl_kind kind;
    const char *section; /* the section's tag "（一）坚持…"; NULL for automatic ones */
    const char *text;
    bool concern;   /* 需关注 */
    long indicator; /* index into indicators for automatic ones, else -1 */
} hu_model_highlight;

/* A highlight in one of the two enumerations the text prints. */
typedef struct hu_model_listed {
    const hu_model_highlight *h;
    const char *prefix; /* "一是" in highlight_points, "" in concerns */
    const char *punct;  /* "；", the last "。" */
} hu_model_listed;

typedef struct hu_model_attachment {
    int index;
    const char *name;  /* without end punctuation */
    const char *label; /* "1. " when there are several, else "" */
    const char *line;  /* "附件：1. ……" (the first), "2. ……" */
} hu_model_attachment;

/* ------------------------------------------------------------------ the report */

typedef struct hu_model_source {
    const char *text; /* as written in the input */
    int line, col;
} hu_model_source;

typedef struct hu_model {
    const char *title, *org;
    const char *to, *to_line;             /* 主送机关; to_line ends with "：" */
    const char *preamble, *preamble_text; /* as input; the 开头语 printed (…汇报如下：) */
    const char *closing, *closing_text;   /* as input; the 结束语 printed (特此汇报。) */
    const char *template_name, *source_file, *source_sha256, *tool_version;
    /* The workbook or CSV the indicators came from (file name only), NULL when the input lists
     * them (`indicators: 2026-10-指标.xlsx`, figures.h). */
    const char *figures_file;
    hu_model_settings settings;
    struct {
        int year, month;
        const char *text, *month_text, *cumulative, *cumulative_text, *year_cumulative;
        const char *last_cumulative, *quarter, *quarter_cumulative;
        int64_t schedule_tenths;   /* 序时进度 N/12 in tenths of a percent: 833 */
        const char *schedule_text; /* "83.3%" */
    } period;
    struct {
        int year, month, day;
        const char *text, *iso; /* "2026年11月5日", "2026-11-05" */
        bool is_default;        /* no date in the input: the generation day in Beijing */
    } date;
    long long generated;        /* seconds since the epoch */
    const char *generated_at;   /* "2026-11-18T11:06:40Z" (UTC, for machines) */
    const char *generated_text; /* "2026年11月18日 19:06（北京时间）" (for readers) */
    hu_model_indicator *indicators;
    size_t nindicators;
    const char *indicator_summary; /* "1—10月，完成……；……。" or NULL */
    hu_model_table table;
    bool has_history; /* earlier months' files were used */
    hu_model_section *sections;
    size_t nsections;
    bool has_problems, has_plans;
    bool indicators_standalone;        /* indicators but no section to put them in */
    hu_model_highlight *highlights;    /* the sections' own in document order, then automatic */
    size_t nhighlights, nauto;         /* the last nauto are automatic */
    hu_model_listed *highlight_points; /* not flagged, numbered 一是… */
    size_t nhighlight_points;
    const char *highlights_text; /* "一是……；二是……。" or NULL */
    hu_model_listed *concerns;   /* 需关注 */
    size_t nconcerns;
    const char *concerns_text;
    hu_model_attachment *attachments;
    size_t nattachments;
    /* The input's path as given on the command line (source_file is its name only, for the
     * outputs): what every message about this report names. */
    const char *source_path;
    /* The texts of the input as written (section titles and texts, points, highlights,
     * attachments) with where they start, for hu_model_locate_diags. */
    hu_model_source *sources;
    size_t nsources;
} hu_model;

/* Builds the model of report r. history may be NULL (only the file's own figures are known);
 * settings NULL means the defaults; source_sha256 and template_name may be NULL. Never fails
 * on content; everything lives in a. */
hu_model *hu_model_build(hu_arena *a, const struct hu_report *r, const struct hu_history *history,
                         const hu_model_settings *settings, const char *source_sha256,
                         const char *template_name);

/* Gives a line and column to the messages d->v[from..] that name m->source_path without one
 * (the layout's: it sees the rendered document, not the input): a message quoting the text
 * it is about (“……”) gets the place of the input text that holds the quote's opening
 * characters. Messages whose quote is found nowhere keep no position. */
void hu_model_locate_diags(const hu_model *m, hu_diags *d, size_t from);

#endif
