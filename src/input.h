/* input.h - the report model: one month of one office, validated.
 *
 * hu_input_load() reads a YAML or JSON file (see docs/input.md for the contract), checks every
 * field and reports every problem with file:line:col and the field path. The model keeps each
 * number's text as written so analytics can do exact decimal arithmetic on it. */
#ifndef HU_INPUT_H
#define HU_INPUT_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "error.h"
#include "value.h"

typedef struct hu_loc {
    const char *file;
    int line, col;
} hu_loc;

/* A number from the input. `text` is the decimal as written ("112.25"); `set` is false when
 * the field was absent or null. */
typedef struct hu_num {
    bool set;
    double v;
    const char *text;
    hu_loc loc;
} hu_num;

typedef enum { HU_IND_AMOUNT, HU_IND_RATE } hu_ind_kind;
/* Whether an amount's negative value is a loss (盈亏 wording: 由盈转亏, 减亏): `kind: profit`
 * says yes, `kind: amount` says no, no `kind` leaves it to the name (hu_analyze_is_profit). */
typedef enum { HU_PROFIT_BY_NAME, HU_PROFIT_YES, HU_PROFIT_NO } hu_profit_said;

typedef struct hu_indicator {
    const char *name;  /* 技工贸总收入 */
    const char *unit;  /* 亿元, 万元, 个, % … (may be "") */
    hu_num value;      /* 本期: cumulative 1–N月 */
    hu_num last_year;  /* 上年同期 (cumulative) */
    hu_num last_month; /* 上月累计 (1–(N-1)月) */
    hu_num target;     /* 年度目标 */
    hu_ind_kind kind;
    hu_profit_said profit;
    bool approx;    /* write 约 */
    bool unchanged; /* the value is confirmed equal to last month's (no "not updated" warning) */
    int decimals;   /* -1: default by unit */
    const char *note;
    hu_loc loc;
    const char *path; /* "indicators[2]" for messages */
} hu_indicator;

typedef struct hu_text {
    const char *s;
    hu_loc loc;
} hu_text;

typedef struct hu_section hu_section;
struct hu_section {
    const char *title; /* level 1: heading (主要工作情况); deeper: the lead sentence */
    const char *text;  /* Markdown paragraphs (may be NULL) */
    hu_text *points;
    size_t npoints;
    hu_text *highlights;
    size_t nhighlights;
    hu_section *sections;
    size_t nsections;
    int level;        /* 1..4 */
    bool plain;       /* the section was a plain string: `text` only, no title */
    hu_loc loc;       /* the section itself */
    hu_loc title_loc; /* the `title` value, for messages about its characters */
    hu_loc text_loc;  /* the `text` value (the section itself when plain) */
    const char *path; /* "sections[0].sections[2]" */
};

typedef struct hu_attachment {
    const char *name;
    hu_loc loc;
} hu_attachment;

typedef struct hu_report {
    const char *file; /* path as given */
    const char *title, *org;
    int year, month;    /* from period YYYY-MM */
    const char *period; /* "2026-10" */
    bool has_date;
    int date_y, date_m, date_d; /* 成文日期 */
    const char *to;             /* 主送机关 (may be NULL) */
    const char *preamble;
    const char *closing;
    const char *template_name; /* NULL: default */
    hu_indicator *indicators;
    size_t nindicators;
    hu_section *sections;
    size_t nsections;
    hu_attachment *attachments;
    size_t nattachments;
    /* The workbook or CSV the indicators came from (`indicators: 2026-10-指标.xlsx`), as
     * opened (relative to the working folder); NULL when they are listed in the file. */
    const char *figures_file;
    hu_value *root; /* the raw tree, for locations of anything else */
} hu_report;

/* Load and validate. Returns NULL when any error was found (all of them are in d). */
hu_report *hu_input_load(hu_arena *a, const char *path, hu_diags *d);
/* Validate an already loaded tree (used by tests and by the loader itself). */
hu_report *hu_input_from_value(hu_arena *a, hu_value *root, const char *file, hu_diags *d);

/* Limits (documented in docs/input.md). */
#define HU_MAX_INDICATORS 1000
#define HU_MAX_SECTION_DEPTH 4
#define HU_MAX_SECTIONS 2000
#define HU_MAX_TEXT_BYTES (1 << 20)        /* one text value */
#define HU_MAX_REPORT_TEXT_BYTES (8 << 20) /* all text values of a report together */

#endif
