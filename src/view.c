/* view.c - the template context (view.h): formatted figures, dates, ordinals, cleaned text.
 *
 * Everything a template or the XLSX writer shows is decided here, once, so that the .md,
 * .html, .pdf and .xlsx outputs can never disagree about a number or a word. */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "buf.h"
#include "history.h"
#include "paths.h"
#include "textclean.h"

#ifndef HU_VERSION
#define HU_VERSION "0.0.0"
#endif

void hu_view_settings_default(hu_view_settings *s) {
    s->bei = true;
    s->clean_punct = true;
    s->max_auto_highlights = 3;
    s->now = hu_build_time(NULL);
}

void hu_view_settings_apply(hu_view_settings *s, const hu_value *map, const char *file,
                            hu_diags *d) {
    if (!map || map->kind != HU_V_MAP) return;
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i];
        const hu_value *v = map->items[i];
        if (!strcmp(k, "bei") || !strcmp(k, "clean_punct")) {
            if (v->kind != HU_V_BOOL) {
                hu_warn(d, file, v->line, v->col, k, "应为 true 或 false，已忽略");
                continue;
            }
            if (!strcmp(k, "bei"))
                s->bei = v->b;
            else
                s->clean_punct = v->b;
        } else if (!strcmp(k, "max_auto_highlights")) {
            if (v->kind != HU_V_NUM || v->num != (int)v->num || v->num < -1 || v->num > 1000) {
                hu_warn(d, file, v->line, v->col, k, "应为 -1（不限）到 1000 的整数，已忽略");
                continue;
            }
            s->max_auto_highlights = (int)v->num;
        }
    }
}

/* ------------------------------------------------------------------ helpers */

typedef struct B {
    hu_arena *a;
    const hu_view_settings *s;
    const hu_report *r;
    hu_value *highlights; /* section ones, in document order */
} B;

/* A one-paragraph text field: joined lines, cleaned punctuation. */
static const char *T(B *b, const char *s) {
    if (!s) return NULL;
    const char *t = hu_text_oneline(b->a, s);
    return b->s->clean_punct ? hu_text_clean(b->a, t, false) : t;
}

/* A Markdown field: CJK line breaks joined, punctuation cleaned outside code and links. */
static const char *MD(B *b, const char *s) {
    if (!s) return NULL;
    const char *t = hu_text_join_md(b->a, s);
    return b->s->clean_punct ? hu_text_clean(b->a, t, true) : t;
}

static void set_str(B *b, hu_value *m, const char *k, const char *s) {
    hu_v_set(b->a, m, k, s ? hu_v_str(b->a, s) : hu_v_null(b->a));
}

/* Integers get their own text: the generic shortest-double text would write 10 as "1e+01". */
static void set_int(B *b, hu_value *m, const char *k, long long x) {
    hu_v_set(b->a, m, k, hu_v_num_text(b->a, (double)x, hu_arena_printf(b->a, "%lld", x)));
}

static void set_tenths(B *b, hu_value *m, const char *k, int64_t t) {
    hu_v_set(b->a, m, k, hu_v_num_text(b->a, (double)t / 10.0, hu_tenths_text(b->a, t)));
}

static void set_dec(B *b, hu_value *m, const char *k, bool set, hu_dec d) {
    if (!set) {
        hu_v_set(b->a, m, k, hu_v_null(b->a));
        return;
    }
    hu_v_set(b->a, m, k, hu_v_num_text(b->a, hu_dec_to_double(d), hu_dec_format(b->a, d, d.scale)));
}

static void set_num(B *b, hu_value *m, const char *k, const hu_num *n) {
    hu_dec d;
    bool ok = hu_dec_from_num(n, &d);
    if (ok && n->text)
        hu_v_set(b->a, m, k, hu_v_num_text(b->a, hu_dec_to_double(d), n->text));
    else
        set_dec(b, m, k, ok, d);
}

/* first/last on every item of a list */
static void mark_ends(B *b, hu_value *list) {
    for (size_t i = 0; i < list->n; i++) {
        if (list->items[i]->kind != HU_V_MAP) continue;
        hu_v_set_bool(b->a, list->items[i], "first", i == 0);
        hu_v_set_bool(b->a, list->items[i], "last", i + 1 == list->n);
    }
}

static const char *dir_name(hu_dir d) {
    switch (d) {
    case HU_DIR_UP:
        return "up";
    case HU_DIR_DOWN:
        return "down";
    case HU_DIR_FLAT:
        return "flat";
    default:
        return "none";
    }
}

static const char *form_name(hu_form f) {
    switch (f) {
    case HU_FORM_PERCENT:
        return "percent";
    case HU_FORM_BEI:
        return "bei";
    case HU_FORM_POINTS:
        return "points";
    case HU_FORM_LOSS:
        return "loss";
    case HU_FORM_FLAT:
        return "flat";
    default:
        return "none";
    }
}

static hu_value *cmp_value(B *b, const hu_cmp *c, hu_ind_kind kind) {
    hu_value *m = hu_v_map(b->a);
    hu_v_set_bool(b->a, m, "has", c->has);
    hu_v_set_bool(b->a, m, "has_pct", c->has_pct);
    if (c->has_pct)
        set_tenths(b, m, "pct", c->tenths);
    else
        hu_v_set(b->a, m, "pct", hu_v_null(b->a));
    set_str(b, m, "pct_text", c->pct_text);
    set_str(b, m, "direction", dir_name(c->dir));
    set_str(b, m, "text", c->text);
    const char *unit = "";
    if (c->form == HU_FORM_BEI)
        unit = "倍";
    else if (c->has_pct)
        unit = kind == HU_IND_RATE ? "个百分点" : "%";
    set_str(b, m, "unit", unit);
    set_str(b, m, "form", form_name(c->form));
    set_str(b, m, "short", c->short_text);
    if (c->form == HU_FORM_BEI)
        set_tenths(b, m, "times", c->times_tenths);
    else
        hu_v_set(b->a, m, "times", hu_v_null(b->a));
    set_str(b, m, "change_text", c->change_text);
    return m;
}

static bool contains(const char *s, const char *w) {
    return s && strstr(s, w);
}

/* ------------------------------------------------------------------ period and dates */

static const char *cum_label(B *b, int month) {
    return month <= 1 ? "1月" : hu_arena_printf(b->a, "1—%d月", month);
}

static hu_value *period_value(B *b) {
    const hu_report *r = b->r;
    hu_value *p = hu_v_map(b->a);
    int m = r->month;
    set_int(b, p, "year", r->year);
    set_int(b, p, "month", m);
    set_str(b, p, "text", hu_arena_printf(b->a, "%d年%d月", r->year, m));
    set_str(b, p, "month_text", hu_arena_printf(b->a, "%d月份", m));
    set_str(b, p, "cumulative", cum_label(b, m));
    set_str(b, p, "cumulative_text", hu_arena_printf(b->a, "%s份", cum_label(b, m)));
    set_str(b, p, "year_cumulative", hu_arena_printf(b->a, "%d年%s", r->year, cum_label(b, m)));
    set_str(b, p, "last_cumulative", m >= 2 ? cum_label(b, m - 1) : NULL);
    static const char *const q[] = {"一季度", "二季度", "三季度", "四季度"};
    static const char *const qc[] = {"一季度", "上半年", "前三季度", "全年"};
    set_str(b, p, "quarter", m % 3 == 0 ? q[m / 3 - 1] : NULL);
    set_str(b, p, "quarter_cumulative", m % 3 == 0 ? qc[m / 3 - 1] : NULL);
    int64_t st = hu_analyze_schedule_tenths(m);
    set_tenths(b, p, "schedule_pct", st);
    set_str(b, p, "schedule_text", hu_arena_printf(b->a, "%s%%", hu_tenths_text(b->a, st)));
    return p;
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm; no time zone database
 * needed, so the result does not depend on the machine's TZ). */
static void civil(long long days, int *y, int *m, int *d) {
    days += 719468;
    long long era = (days >= 0 ? days : days - 146096) / 146097;
    long long doe = days - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long yy = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static long long floor_div(long long a, long long b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static hu_value *date_value(B *b) {
    const hu_report *r = b->r;
    int y, m, d;
    bool dflt = !r->has_date;
    if (r->has_date) {
        y = r->date_y, m = r->date_m, d = r->date_d;
    } else {
        /* the generation date in China Standard Time (UTC+8, no DST): the report is signed
         * in China whatever the server's time zone is */
        civil(floor_div(b->s->now + 8 * 3600, 86400), &y, &m, &d);
    }
    hu_value *v = hu_v_map(b->a);
    set_int(b, v, "year", y);
    set_int(b, v, "month", m);
    set_int(b, v, "day", d);
    set_str(b, v, "text", hu_arena_printf(b->a, "%d年%d月%d日", y, m, d));
    set_str(b, v, "iso", hu_arena_printf(b->a, "%04d-%02d-%02d", y, m, d));
    hu_v_set_bool(b->a, v, "default", dflt);
    return v;
}

static const char *iso_utc(B *b, long long t) {
    int y, m, d;
    long long days = floor_div(t, 86400), sec = t - days * 86400;
    civil(days, &y, &m, &d);
    return hu_arena_printf(b->a, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(sec / 3600),
                           (int)(sec / 60 % 60), (int)(sec % 60));
}

/* ------------------------------------------------------------------ points */

static bool has_inner_stop(const char *s) {
    return contains(s, "。") || contains(s, "！") || contains(s, "？");
}

/* 一是……；二是……；三是……。 When any item holds a full stop of its own, every item ends with
 * 。 instead (a 。 inside an item followed by ； would not be a sentence). */
static hu_value *points_list(B *b, const hu_text *pts, size_t n, const char **joined) {
    hu_value *list = hu_v_list(b->a);
    const char **txt = hu_arena_alloc(b->a, (n ? n : 1) * sizeof *txt);
    bool stops = false;
    for (size_t i = 0; i < n; i++) {
        txt[i] = hu_text_strip_end_punct(b->a, T(b, pts[i].s));
        if (has_inner_stop(txt[i])) stops = true;
    }
    hu_buf all = HU_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        hu_value *p = hu_v_map(b->a);
        const char *prefix = hu_arena_printf(b->a, "%s是", hu_cn_number(b->a, (int)i + 1));
        const char *punct = (stops || i + 1 == n) ? "。" : "；";
        set_int(b, p, "index", (long long)(i + 1));
        set_str(b, p, "prefix", prefix);
        set_str(b, p, "text", txt[i]);
        set_str(b, p, "punct", punct);
        set_str(b, p, "full", hu_arena_printf(b->a, "%s%s%s", prefix, txt[i], punct));
        hu_v_push(b->a, list, p);
        hu_buf_printf(&all, "%s%s%s", prefix, txt[i], punct);
    }
    mark_ends(b, list);
    *joined = n ? hu_arena_strdup(b->a, hu_buf_cstr(&all)) : NULL;
    hu_buf_free(&all);
    return list;
}

/* ------------------------------------------------------------------ sections */

static const char *ordinal(B *b, int level, int i) {
    switch (level) {
    case 1:
        return hu_arena_printf(b->a, "%s、", hu_cn_number(b->a, i));
    case 2:
        return hu_arena_printf(b->a, "（%s）", hu_cn_number(b->a, i));
    case 3:
        return hu_arena_printf(b->a, "%d.", i);
    default:
        return hu_arena_printf(b->a, "（%d）", i);
    }
}

typedef struct flags {
    bool work, problems, plans;
} flags;

static flags title_flags(const char *t) {
    flags f = {false, false, false};
    f.problems = contains(t, "问题") || contains(t, "不足") || contains(t, "困难");
    f.plans = !f.problems && (contains(t, "打算") || contains(t, "计划") || contains(t, "下一步") ||
                              contains(t, "思路") || contains(t, "安排"));
    f.work = !f.problems && !f.plans;
    return f;
}

static hu_value *section_list(B *b, const hu_section *secs, size_t n, int level,
                              const char *parent_path, const flags *parent);

static hu_value *section_value(B *b, const hu_section *s, int index, int level,
                               const char *parent_path, const flags *parent) {
    hu_value *v = hu_v_map(b->a);
    bool plain = s->plain || !s->title;
    const char *title = T(b, s->title);
    const char *ord = plain ? "" : ordinal(b, level, index);
    const char *lead = plain ? NULL : hu_text_strip_end_punct(b->a, title);
    const char *path = hu_arena_printf(b->a, "%s%s", parent_path, ord);
    flags f = parent ? *parent : title_flags(title);
    set_int(b, v, "index", plain ? 0 : index);
    set_int(b, v, "level", level);
    set_str(b, v, "ordinal", ord);
    set_str(b, v, "title", title);
    set_str(b, v, "lead", lead);
    set_str(b, v, "heading", plain ? NULL : hu_arena_printf(b->a, "%s%s", ord, title));
    set_str(b, v, "tag", plain ? NULL : hu_arena_printf(b->a, "%s%s", ord, lead));
    set_str(b, v, "path", path);
    hu_v_set_bool(b->a, v, "plain", plain);
    hu_v_set_bool(b->a, v, "is_work", f.work);
    hu_v_set_bool(b->a, v, "is_problems", f.problems);
    hu_v_set_bool(b->a, v, "is_plans", f.plans);
    const char *text = MD(b, s->text);
    if (text && !*text) text = NULL;
    set_str(b, v, "text", text);
    hu_v_set_bool(b->a, v, "has_text", text != NULL);
    const char *pj;
    hu_value *pts = points_list(b, s->points, s->npoints, &pj);
    hu_v_set(b->a, v, "points", pts);
    set_str(b, v, "points_text", pj);
    hu_v_set_bool(b->a, v, "has_points", s->npoints > 0);
    /* the body of a run-in paragraph is text then points; points alone need no space */
    hu_v_set_bool(b->a, v, "has_body", text != NULL || s->npoints > 0);

    hu_value *hl = hu_v_list(b->a);
    const char *tag =
        plain ? (parent_path[0] ? parent_path : NULL) : hu_arena_printf(b->a, "%s%s", ord, lead);
    for (size_t i = 0; i < s->nhighlights; i++) {
        const char *t = hu_text_strip_end_punct(b->a, T(b, s->highlights[i].s));
        hu_value *h = hu_v_map(b->a);
        set_str(b, h, "text", t);
        hu_v_push(b->a, hl, h);
        hu_value *g = hu_v_map(b->a);
        set_str(b, g, "section", tag);
        set_str(b, g, "text", t);
        set_str(b, g, "source", "section");
        hu_v_set(b->a, g, "flag", hu_v_null(b->a));
        hu_v_set(b->a, g, "kind", hu_v_str(b->a, "section"));
        hu_v_set(b->a, g, "indicator", hu_v_null(b->a));
        hu_v_push(b->a, b->highlights, g);
    }
    mark_ends(b, hl);
    hu_v_set(b->a, v, "highlights", hl);
    hu_v_set_bool(b->a, v, "has_highlights", s->nhighlights > 0);

    hu_value *sub = section_list(b, s->sections, s->nsections, level + 1, path, &f);
    hu_v_set(b->a, v, "sections", sub);
    hu_v_set_bool(b->a, v, "has_sections", s->nsections > 0);
    hu_v_set_bool(b->a, v, "show_indicators", false);
    hu_v_set_bool(b->a, v, "show_highlights", false);
    return v;
}

static hu_value *section_list(B *b, const hu_section *secs, size_t n, int level,
                              const char *parent_path, const flags *parent) {
    hu_value *list = hu_v_list(b->a);
    int index = 0;
    for (size_t i = 0; i < n; i++) {
        bool plain = secs[i].plain || !secs[i].title;
        if (!plain) index++;
        hu_v_push(b->a, list, section_value(b, &secs[i], index, level, parent_path, parent));
    }
    mark_ends(b, list);
    /* level flags: lets a partial pick its Markdown form without counting */
    for (size_t i = 0; i < list->n; i++) {
        hu_v_set_bool(b->a, list->items[i], "level1", level == 1);
        hu_v_set_bool(b->a, list->items[i], "level2", level == 2);
        hu_v_set_bool(b->a, list->items[i], "level3", level == 3);
        hu_v_set_bool(b->a, list->items[i], "level4", level >= 4);
    }
    return list;
}

/* ------------------------------------------------------------------ indicators */

static void months_local(const hu_indicator *ind, int month, hu_months *m) {
    memset(m, 0, sizeof *m);
    m->cum[month] = ind->value;
    if (month >= 2) m->cum[month - 1] = ind->last_month;
}

static hu_value *indicator_value(B *b, const hu_indicator *ind, size_t i, const hu_ind_result *r) {
    hu_value *v = hu_v_map(b->a);
    set_int(b, v, "index", (long long)(i + 1));
    set_str(b, v, "name", T(b, ind->name));
    set_str(b, v, "unit", ind->unit ? ind->unit : "");
    set_str(b, v, "kind", ind->kind == HU_IND_RATE ? "rate" : "amount");
    hu_v_set_bool(b->a, v, "approx", ind->approx);
    set_int(b, v, "decimals", r->decimals);
    set_str(b, v, "note", T(b, ind->note));
    set_num(b, v, "value", &ind->value);
    set_str(b, v, "value_text", r->value_text);
    set_str(b, v, "value_phrase", r->value_phrase);
    set_num(b, v, "last_year", &ind->last_year);
    set_str(b, v, "last_year_text", r->last_year_text);
    set_dec(b, v, "diff", r->diff_set, r->diff);
    set_str(b, v, "diff_text", r->diff_text);
    hu_v_set(b->a, v, "yoy", cmp_value(b, &r->yoy, ind->kind));
    set_num(b, v, "last_month", &r->last_month);
    set_str(b, v, "last_month_text", r->last_month_text);
    set_str(b, v, "last_month_source",
            ind->last_month.set ? "input"
            : r->last_month.set ? "history"
                                : NULL);
    set_dec(b, v, "month_value", r->month_set, r->month_value);
    set_str(b, v, "month_value_text", r->month_value_text);
    set_str(b, v, "month_value_phrase", r->month_value_phrase);
    hu_v_set(b->a, v, "mom", cmp_value(b, &r->mom, ind->kind));
    set_num(b, v, "target", &ind->target);
    set_str(b, v, "target_text", r->target_text);
    hu_value *c = hu_v_map(b->a);
    hu_v_set_bool(b->a, c, "has", r->completion_has);
    if (r->completion_has)
        set_tenths(b, c, "pct", r->completion_tenths);
    else
        hu_v_set(b->a, c, "pct", hu_v_null(b->a));
    set_str(b, c, "pct_text", r->completion_pct_text);
    set_str(b, c, "text", r->completion_text);
    hu_v_set(b->a, v, "completion", c);
    hu_value *s = hu_v_map(b->a);
    hu_v_set_bool(b->a, s, "has", r->schedule_has);
    if (r->schedule_has)
        set_tenths(b, s, "gap", r->schedule_gap_tenths);
    else
        hu_v_set(b->a, s, "gap", hu_v_null(b->a));
    set_str(b, s, "gap_text", r->schedule_gap_text);
    set_str(b, s, "direction",
            !r->schedule_has                 ? "none"
            : r->schedule_dir == HU_DIR_UP   ? "ahead"
            : r->schedule_dir == HU_DIR_DOWN ? "behind"
                                             : "even");
    set_str(b, s, "text", r->schedule_text);
    set_str(b, s, "short", r->schedule_short);
    hu_v_set(b->a, v, "schedule", s);
    set_str(b, v, "sentence", T(b, r->sentence));
    set_str(b, v, "month_sentence", r->month_sentence);
    return v;
}

static hu_value *cell(B *b, const char *text) {
    hu_value *c = hu_v_map(b->a);
    set_str(b, c, "text", text && *text ? text : "—");
    return c;
}

/* The GFM table of all indicators: columns that would be empty for every row are left out. */
static hu_value *table_value(B *b, const hu_report *r, const hu_ind_result *res) {
    bool any_month = false, any_target = false;
    for (size_t i = 0; i < r->nindicators; i++) {
        if (res[i].month_set || res[i].mom.has) any_month = true;
        if (res[i].target_text) any_target = true;
    }
    if (r->month < 2) any_month = false; /* January's month is the cumulative column */
    hu_value *t = hu_v_map(b->a), *cols = hu_v_list(b->a), *rows = hu_v_list(b->a);
    const char *heads[9];
    bool right[9];
    int nc = 0;
#define COL(h, rt) (heads[nc] = (h), right[nc++] = (rt))
    /* the unit goes with the name ("技工贸总收入（亿元）"): a 单位 column is too narrow on a
     * 156 mm page and made every unit wrap onto two lines */
    COL("指标", false);
    COL(cum_label(b, r->month), true);
    COL("同比", true);
    if (any_month) {
        COL(hu_arena_printf(b->a, "%d月份", r->month), true);
        COL("环比", true);
    }
    if (any_target) {
        COL("年度目标", true);
        COL("完成率", true);
        COL("序时进度差", true); /* in 百分点; docs/templates.md */
    }
#undef COL
    for (int k = 0; k < nc; k++) {
        hu_value *c = hu_v_map(b->a);
        set_str(b, c, "title", heads[k]);
        set_str(b, c, "align", right[k] ? "---:" : "---");
        hu_v_push(b->a, cols, c);
    }
    mark_ends(b, cols);
    for (size_t i = 0; i < r->nindicators; i++) {
        const hu_ind_result *x = &res[i];
        hu_value *row = hu_v_map(b->a), *cells = hu_v_list(b->a);
        const char *unit = r->indicators[i].unit;
        hu_v_push(b->a, cells,
                  cell(b, unit && *unit
                              ? hu_arena_printf(b->a, "%s（%s）", T(b, r->indicators[i].name), unit)
                              : T(b, r->indicators[i].name)));
        hu_v_push(b->a, cells, cell(b, x->value_text));
        hu_v_push(b->a, cells, cell(b, x->yoy.short_text));
        if (any_month) {
            hu_v_push(b->a, cells, cell(b, x->month_value_text));
            hu_v_push(b->a, cells, cell(b, x->mom.has ? x->mom.short_text : NULL));
        }
        if (any_target) {
            hu_v_push(b->a, cells, cell(b, x->target_text));
            hu_v_push(b->a, cells, cell(b, x->completion_pct_text));
            hu_v_push(b->a, cells, cell(b, x->schedule_short));
        }
        mark_ends(b, cells);
        hu_v_set(b->a, row, "cells", cells);
        hu_v_push(b->a, rows, row);
    }
    mark_ends(b, rows);
    hu_v_set(b->a, t, "columns", cols);
    hu_v_set(b->a, t, "rows", rows);
    return t;
}

static hu_value *trend_value(B *b, const hu_indicator *ind, const hu_months *m, int month) {
    hu_value *t = hu_v_map(b->a), *months = hu_v_list(b->a);
    set_str(b, t, "name", T(b, ind->name));
    set_str(b, t, "unit", ind->unit ? ind->unit : "");
    set_str(b, t, "kind", ind->kind == HU_IND_RATE ? "rate" : "amount");
    int dec =
        ind->decimals >= 0 ? ind->decimals : hu_analyze_default_decimals(ind->unit, ind->kind);
    size_t known = 0;
    for (int k = 1; k <= month; k++) {
        hu_value *e = hu_v_map(b->a);
        set_int(b, e, "month", k);
        set_str(b, e, "label", hu_arena_printf(b->a, "%d月", k));
        hu_dec c, p, own = {0};
        bool hc = hu_dec_from_num(&m->cum[k], &c);
        set_num(b, e, "value", &m->cum[k]);
        set_str(b, e, "value_text", hc ? hu_dec_format(b->a, c, dec) : NULL);
        bool ho = false;
        if (hc && ind->kind == HU_IND_AMOUNT) {
            if (k == 1) {
                own = c;
                ho = true;
            } else if (hu_dec_from_num(&m->cum[k - 1], &p)) {
                ho = hu_dec_sub(c, p, &own);
            }
        }
        set_dec(b, e, "month_value", ho, own);
        set_str(b, e, "month_value_text", ho ? hu_dec_format(b->a, own, dec) : NULL);
        set_str(b, e, "source", m->file[k]);
        if (hc) known++;
        hu_v_push(b->a, months, e);
    }
    mark_ends(b, months);
    hu_v_set(b->a, t, "months", months);
    set_int(b, t, "known", (long long)known);
    return t;
}

/* ------------------------------------------------------------------ highlights */

static void join_list(B *b, hu_value *list, bool numbered, const char **text) {
    hu_buf all = HU_BUF_INIT;
    for (size_t i = 0; i < list->n; i++) {
        hu_value *h = list->items[i];
        const char *t = hu_v_get(h, "text")->str;
        const char *prefix =
            numbered ? hu_arena_printf(b->a, "%s是", hu_cn_number(b->a, (int)i + 1)) : "";
        const char *punct = i + 1 == list->n ? "。" : "；";
        set_str(b, h, "prefix", prefix);
        set_str(b, h, "punct", punct);
        hu_buf_printf(&all, "%s%s%s", prefix, t, punct);
    }
    *text = list->n ? hu_arena_strdup(b->a, hu_buf_cstr(&all)) : NULL;
    hu_buf_free(&all);
}

/* ------------------------------------------------------------------ the view */

static const char *basename_of(const char *p) {
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : p;
}

static bool ends_with(const char *s, const char *suf) {
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && memcmp(s + n - k, suf, k) == 0;
}

hu_value *hu_view_build(hu_arena *a, const hu_report *r, const struct hu_history *history,
                        const hu_view_settings *settings, const char *source_sha256, hu_diags *d) {
    (void)d;
    hu_view_settings defaults;
    if (!settings) {
        hu_view_settings_default(&defaults);
        settings = &defaults;
    }
    B bb = {a, settings, r, hu_v_list(a)}, *b = &bb;
    hu_value *v = hu_v_map(a);
    const char *title = T(b, r->title), *org = T(b, r->org), *to = T(b, r->to);
    set_str(b, v, "title", title);
    set_str(b, v, "org", org);
    set_str(b, v, "to", to);
    set_str(b, v, "to_line",
            to ? (ends_with(to, "：") ? to : hu_arena_printf(a, "%s：", to)) : NULL);

    hu_value *period = period_value(b);
    const char *cum = hu_v_get(period, "cumulative")->str;
    /* 开头语 ending in 现将有关情况汇报如下： (format.md §3) */
    const char *pre = T(b, r->preamble);
    set_str(b, v, "preamble", pre);
    const char *lead_in;
    if (!pre || !*pre) {
        lead_in = hu_arena_printf(a, "现将%d年%s工作情况汇报如下：", r->year, cum);
    } else if (ends_with(pre, "如下：") || ends_with(pre, "如下:")) {
        lead_in = pre;
    } else {
        const char *p = hu_text_strip_end_punct(a, pre);
        bool stop = ends_with(pre, "。") || ends_with(pre, "！") || ends_with(pre, "？");
        lead_in = hu_arena_printf(a, "%s%s现将有关情况汇报如下：", p, stop ? "。" : "，");
    }
    set_str(b, v, "preamble_text", lead_in);
    const char *closing = T(b, r->closing);
    set_str(b, v, "closing", closing);
    const char *ct = closing && *closing ? closing : "特此汇报。";
    if (!ends_with(ct, "。") && !ends_with(ct, "！")) ct = hu_arena_printf(a, "%s。", ct);
    set_str(b, v, "closing_text", ct);
    set_str(b, v, "template", r->template_name ? r->template_name : "monthly");
    set_str(b, v, "source_file", basename_of(r->file));
    set_str(b, v, "source_sha256", source_sha256);
    hu_v_set(a, v, "period", period);
    hu_v_set(a, v, "date", date_value(b));
    set_str(b, v, "generated_at", iso_utc(b, settings->now));
    set_str(b, v, "tool_version", HU_VERSION);
    hu_value *st = hu_v_map(a);
    hu_v_set_bool(a, st, "bei", settings->bei);
    hu_v_set_bool(a, st, "clean_punct", settings->clean_punct);
    set_int(b, st, "max_auto_highlights", settings->max_auto_highlights);
    hu_v_set(a, v, "settings", st);

    /* indicators */
    size_t n = r->nindicators;
    hu_ind_result *res = hu_arena_alloc(a, (n ? n : 1) * sizeof *res);
    hu_months *mon = hu_arena_alloc(a, (n ? n : 1) * sizeof *mon);
    hu_value *inds = hu_v_list(a), *trend = hu_v_list(a);
    hu_buf sum = HU_BUF_INIT;
    size_t nsent = 0;
    for (size_t i = 0; i < n; i++) {
        const hu_indicator *ind = &r->indicators[i];
        const hu_months *hm = hu_history_months(history, ind->name);
        if (hm)
            mon[i] = *hm;
        else
            months_local(ind, r->month, &mon[i]);
        hu_analyze_indicator(a, ind, r->month, &mon[i], settings->bei, &res[i]);
        hu_v_push(a, inds, indicator_value(b, ind, i, &res[i]));
        hu_v_push(a, trend, trend_value(b, ind, &mon[i], r->month));
        if (res[i].sentence) {
            hu_buf_printf(&sum, "%s%s", nsent ? "；" : "", T(b, res[i].sentence));
            nsent++;
        }
    }
    mark_ends(b, inds);
    mark_ends(b, trend);
    hu_v_set(a, v, "indicators", inds);
    hu_v_set_bool(a, v, "has_indicators", n > 0);
    set_str(b, v, "indicator_summary",
            nsent ? hu_arena_printf(a, "%s，%s。", cum, hu_buf_cstr(&sum)) : NULL);
    hu_buf_free(&sum);
    hu_v_set(a, v, "indicator_table", table_value(b, r, res));
    hu_v_set(a, v, "trend", trend);
    const char *const *used;
    hu_v_set_bool(a, v, "has_history", hu_history_used(history, &used) > 0);

    /* sections (collects the section highlights in document order) */
    hu_value *secs = section_list(b, r->sections, r->nsections, 1, "", NULL);
    /* the indicators and highlights go into the first work section with a heading; a plain
     * paragraph at the top level has no place for them */
    hu_value *anchor = NULL;
    for (size_t i = 0; i < secs->n && !anchor; i++)
        if (hu_v_get(secs->items[i], "is_work")->b && !hu_v_get(secs->items[i], "plain")->b)
            anchor = secs->items[i];
    for (size_t i = 0; i < secs->n && !anchor; i++)
        if (!hu_v_get(secs->items[i], "plain")->b) anchor = secs->items[i];
    if (anchor) {
        hu_v_set_bool(a, anchor, "show_indicators", n > 0);
        hu_v_set_bool(a, anchor, "show_highlights", true);
    }
    hu_v_set(a, v, "sections", secs);
    bool any_problems = false, any_plans = false;
    for (size_t i = 0; i < secs->n; i++) {
        any_problems |= hu_v_get(secs->items[i], "is_problems")->b;
        any_plans |= hu_v_get(secs->items[i], "is_plans")->b;
    }
    hu_v_set_bool(a, v, "has_problems", any_problems);
    hu_v_set_bool(a, v, "has_plans", any_plans);
    hu_v_set_bool(a, v, "has_sections", secs->n > 0);
    /* indicators with nowhere to go (no sections at all) still need a place */
    hu_v_set_bool(a, v, "indicators_standalone", !anchor && n > 0);

    /* highlights: the sections' own, then automatic ones */
    hu_auto_highlight *ah;
    size_t nah =
        hu_analyze_highlights(a, r->indicators, res, n, settings->max_auto_highlights, &ah);
    hu_value *all = b->highlights, *autos = hu_v_list(a), *good = hu_v_list(a),
             *concerns = hu_v_list(a);
    for (size_t i = 0; i < nah; i++) {
        hu_value *g = hu_v_map(a);
        set_str(b, g, "section", NULL);
        set_str(b, g, "text", T(b, ah[i].text));
        set_str(b, g, "source", "auto");
        set_str(b, g, "flag", ah[i].concern ? "需关注" : NULL);
        set_str(b, g, "kind", ah[i].kind);
        set_str(b, g, "indicator", T(b, r->indicators[ah[i].indicator].name));
        hu_v_push(a, all, g);
        hu_v_push(a, autos, g);
    }
    for (size_t i = 0; i < all->n; i++) {
        hu_value *g = all->items[i], *c = hu_v_map(a);
        for (size_t k = 0; k < g->n; k++)
            hu_v_set(a, c, g->keys[k], g->items[k]);
        hu_v_push(a, hu_v_get(g, "flag")->kind == HU_V_NULL ? good : concerns, c);
    }
    mark_ends(b, all);
    mark_ends(b, autos);
    mark_ends(b, good);
    mark_ends(b, concerns);
    const char *good_text, *concern_text;
    join_list(b, good, true, &good_text);
    join_list(b, concerns, false, &concern_text);
    hu_v_set(a, v, "highlights", all);
    hu_v_set(a, v, "auto_highlights", autos);
    hu_v_set(a, v, "highlight_points", good);
    set_str(b, v, "highlights_text", good_text);
    hu_v_set(a, v, "concerns", concerns);
    set_str(b, v, "concerns_text", concern_text);
    hu_v_set_bool(a, v, "has_highlight_points",
                  good->n > 0); /* not has_highlights: sections have one */
    hu_v_set_bool(a, v, "has_concerns", concerns->n > 0);

    /* attachments: one is "附件：名称", several are numbered "附件：1. …" (GB/T 9704 7.3.4) */
    hu_value *att = hu_v_list(a);
    for (size_t i = 0; i < r->nattachments; i++) {
        hu_value *e = hu_v_map(a);
        const char *name = hu_text_strip_end_punct(a, T(b, r->attachments[i].name));
        const char *label = r->nattachments > 1 ? hu_arena_printf(a, "%zu. ", i + 1) : "";
        set_int(b, e, "index", (long long)(i + 1));
        set_str(b, e, "name", name);
        set_str(b, e, "label", label);
        set_str(b, e, "line", hu_arena_printf(a, "%s%s%s", i == 0 ? "附件：" : "", label, name));
        hu_v_push(a, att, e);
    }
    mark_ends(b, att);
    hu_v_set(a, v, "attachments", att);
    hu_v_set_bool(a, v, "has_attachments", r->nattachments > 0);
    hu_v_set_bool(a, v, "attachments_numbered", r->nattachments > 1);
    return v;
}
