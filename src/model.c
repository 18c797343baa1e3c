/* model.c - the report model (model.h): figures, wording, ordinals, highlights and structural
 * blocks, each decided once. The analysis (analyze.c) computes the figures and their words; this
 * file adds what a report needs around them (periods, dates, ordinals, points, highlights,
 * attachments) and cleans every text field once. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "analyze.h"
#include "buf.h"
#include "fileio.h"
#include "history.h"
#include "input.h"
#include "paths.h"
#include "textclean.h"

#ifndef HU_VERSION
#define HU_VERSION "0.0.0"
#endif

void hu_model_settings_default(hu_model_settings *s) {
    s->bei = true;
    s->clean_punct = true;
    s->max_auto_highlights = 3;
    s->now = hu_build_time(NULL);
}

/* ------------------------------------------------------------------ helpers */

typedef struct B {
    hu_arena *a;
    const hu_model_settings *s;
    const hu_report *r;
    hu_model *m;
    /* the sections' own highlights, in document order */
    hu_model_highlight *hl;
    size_t nhl, caphl;
    size_t src_cap; /* m->sources allocated */
} B;

/* A one-paragraph text field: joined lines, cleaned punctuation. */
static const char *T(B *b, const char *s) {
    if (!s) return NULL;
    const char *t = hu_text_oneline(b->a, s);
    return b->s->clean_punct ? hu_text_clean(b->a, t, false) : t;
}

/* A Markdown field: folded blanks between CJK gone, punctuation cleaned outside code and links
 * (its line breaks are joined by the rendered document, doc.h). */
static const char *MD(B *b, const char *s) {
    if (!s) return NULL;
    const char *t = hu_text_md_blanks(b->a, s);
    return b->s->clean_punct ? hu_text_clean(b->a, t, true) : t;
}

static bool contains(const char *s, const char *w) {
    return s && strstr(s, w);
}

static bool ends_with(const char *s, const char *suf) {
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && memcmp(s + n - k, suf, k) == 0;
}

static hu_fig fig_dec(B *b, bool set, hu_dec d, int decimals) {
    hu_fig f;
    memset(&f, 0, sizeof f);
    if (!set) return f;
    f.set = true;
    f.exact = hu_dec_format(b->a, d, d.scale);
    f.text = hu_dec_format(b->a, d, decimals);
    f.num = hu_dec_to_double(d);
    return f;
}

static hu_fig fig_num(B *b, const hu_num *n, int decimals) {
    hu_dec d;
    bool ok = hu_dec_from_num(n, &d);
    return fig_dec(b, ok, d, decimals);
}

static hu_trend trend_of(hu_dir d) {
    switch (d) {
    case HU_DIR_UP:
        return HU_TREND_UP;
    case HU_DIR_DOWN:
        return HU_TREND_DOWN;
    case HU_DIR_FLAT:
        return HU_TREND_FLAT;
    default:
        return HU_TREND_NONE;
    }
}

static hu_wording wording_of(hu_form f) {
    switch (f) {
    case HU_FORM_PERCENT:
        return HU_WORDING_PERCENT;
    case HU_FORM_BEI:
        return HU_WORDING_BEI;
    case HU_FORM_POINTS:
        return HU_WORDING_POINTS;
    case HU_FORM_LOSS:
        return HU_WORDING_LOSS;
    case HU_FORM_FLAT:
        return HU_WORDING_FLAT;
    default:
        return HU_WORDING_NONE;
    }
}

static hu_model_cmp cmp_of(const hu_cmp *c, bool rate) {
    hu_model_cmp m;
    memset(&m, 0, sizeof m);
    m.has = c->has;
    m.has_pct = c->has_pct;
    m.form = wording_of(c->form);
    m.dir = trend_of(c->dir);
    m.tenths = c->has_pct ? c->tenths : 0;
    m.times_tenths = c->form == HU_FORM_BEI ? c->times_tenths : 0;
    m.unit = c->form == HU_FORM_BEI ? "倍" : c->has_pct ? (rate ? "个百分点" : "%") : "";
    m.pct_text = c->pct_text;
    m.short_text = c->short_text;
    m.text = c->text;
    m.change_text = c->change_text;
    return m;
}

/* ------------------------------------------------------------------ period and dates */

static const char *cum_label(B *b, int month) {
    return month <= 1 ? "1月" : hu_arena_printf(b->a, "1—%d月", month);
}

static void period(B *b) {
    const hu_report *r = b->r;
    hu_model *m = b->m;
    int mo = r->month;
    m->period.year = r->year;
    m->period.month = mo;
    m->period.text = hu_arena_printf(b->a, "%d年%d月", r->year, mo);
    m->period.month_text = hu_arena_printf(b->a, "%d月份", mo);
    m->period.cumulative = cum_label(b, mo);
    m->period.cumulative_text = hu_arena_printf(b->a, "%s份", cum_label(b, mo));
    m->period.year_cumulative = hu_arena_printf(b->a, "%d年%s", r->year, cum_label(b, mo));
    m->period.last_cumulative = mo >= 2 ? cum_label(b, mo - 1) : NULL;
    static const char *const q[] = {"一季度", "二季度", "三季度", "四季度"};
    static const char *const qc[] = {"一季度", "上半年", "前三季度", "全年"};
    m->period.quarter = mo % 3 == 0 && mo >= 3 ? q[mo / 3 - 1] : NULL;
    m->period.quarter_cumulative = mo % 3 == 0 && mo >= 3 ? qc[mo / 3 - 1] : NULL;
    m->period.schedule_tenths = hu_analyze_schedule_tenths(mo);
    m->period.schedule_text =
        hu_arena_printf(b->a, "%s%%", hu_tenths_text(b->a, m->period.schedule_tenths));
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

/* China Standard Time (UTC+8, no daylight saving): the report is written and signed in China
 * whatever the server's time zone is, and SOURCE_DATE_EPOCH gives the same words anywhere. */
#define CST_OFFSET (8 * 3600)

static void date(B *b) {
    const hu_report *r = b->r;
    hu_model *m = b->m;
    int y, mo, d;
    if (r->has_date) {
        y = r->date_y, mo = r->date_m, d = r->date_d;
    } else {
        civil(floor_div(b->s->now + CST_OFFSET, 86400), &y, &mo, &d);
    }
    m->date.year = y;
    m->date.month = mo;
    m->date.day = d;
    m->date.text = hu_arena_printf(b->a, "%d年%d月%d日", y, mo, d);
    m->date.iso = hu_arena_printf(b->a, "%04d-%02d-%02d", y, mo, d);
    m->date.is_default = !r->has_date;
}

static void generated(B *b) {
    long long t = b->s->now;
    int y, mo, d;
    long long days = floor_div(t, 86400), sec = t - days * 86400;
    civil(days, &y, &mo, &d);
    b->m->generated = t;
    b->m->generated_at = hu_arena_printf(b->a, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d,
                                         (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
    long long local = t + CST_OFFSET;
    days = floor_div(local, 86400);
    sec = local - days * 86400;
    civil(days, &y, &mo, &d);
    b->m->generated_text = hu_arena_printf(b->a, "%d年%d月%d日 %02d:%02d（北京时间）", y, mo, d,
                                           (int)(sec / 3600), (int)(sec / 60 % 60));
}

/* ------------------------------------------------------------------ points */

static bool has_inner_stop(const char *s) {
    return contains(s, "。") || contains(s, "！") || contains(s, "？");
}

/* 一是……；二是……；三是……。 When any item holds a full stop of its own, every item ends with
 * 。 instead (a 。 inside an item followed by ； would not be a sentence). */
static hu_model_point *points(B *b, const hu_text *pts, size_t n, const char **joined) {
    hu_model_point *out = hu_arena_alloc(b->a, (n ? n : 1) * sizeof *out);
    bool stops = false;
    for (size_t i = 0; i < n; i++) {
        out[i].text = hu_text_strip_end_punct(b->a, T(b, pts[i].s));
        if (has_inner_stop(out[i].text)) stops = true;
    }
    hu_buf all = HU_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        /* one item is not an enumeration: no lone "一是" */
        out[i].prefix = n == 1 ? "" : hu_arena_printf(b->a, "%s是", hu_cn_number(b->a, (int)i + 1));
        out[i].punct = (stops || i + 1 == n) ? "。" : "；";
        out[i].full = hu_arena_printf(b->a, "%s%s%s", out[i].prefix, out[i].text, out[i].punct);
        hu_buf_puts(&all, out[i].full);
    }
    *joined = n ? hu_arena_strdup(b->a, hu_buf_cstr(&all)) : NULL;
    hu_buf_free(&all);
    return out;
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

static void push_highlight(B *b, hu_model_highlight h) {
    HU_ARENA_GROW(b->a, b->hl, b->nhl, b->caphl);
    b->hl[b->nhl++] = h;
}

static hu_model_section *section_list(B *b, const hu_section *secs, size_t n, int level,
                                      const char *parent_path, const flags *parent);

static void section(B *b, hu_model_section *v, const hu_section *s, int index, int level,
                    const char *parent_path, const flags *parent) {
    bool plain = s->plain || !s->title;
    const char *title = T(b, s->title);
    const char *ord = plain ? "" : ordinal(b, level, index);
    const char *lead = plain ? NULL : hu_text_strip_end_punct(b->a, title);
    const char *path = hu_arena_printf(b->a, "%s%s", parent_path, ord);
    flags f = parent ? *parent : title_flags(title);
    v->index = plain ? 0 : index;
    v->level = level;
    v->plain = plain;
    v->ordinal = ord;
    v->title = title;
    v->lead = lead;
    v->heading = plain ? NULL : hu_arena_printf(b->a, "%s%s", ord, title);
    v->tag = plain ? NULL : hu_arena_printf(b->a, "%s%s", ord, lead);
    v->path = path;
    v->is_work = f.work;
    v->is_problems = f.problems;
    v->is_plans = f.plans;
    const char *text = MD(b, s->text);
    v->text = text && *text ? text : NULL;
    v->points = points(b, s->points, s->npoints, &v->points_text);
    v->npoints = s->npoints;
    /* highlights point at the section's tag, or the enclosing section's for a plain one */
    const char *tag = plain ? (parent_path[0] ? parent_path : NULL) : v->tag;
    v->highlights = hu_arena_alloc(b->a, (s->nhighlights ? s->nhighlights : 1) * sizeof(char *));
    v->nhighlights = s->nhighlights;
    for (size_t i = 0; i < s->nhighlights; i++) {
        const char *t = hu_text_strip_end_punct(b->a, T(b, s->highlights[i].s));
        v->highlights[i] = t;
        push_highlight(b, (hu_model_highlight){HU_HL_SECTION, tag, t, false, -1});
    }
    v->sections = section_list(b, s->sections, s->nsections, level + 1, path, &f);
    v->nsections = s->nsections;
}

static hu_model_section *section_list(B *b, const hu_section *secs, size_t n, int level,
                                      const char *parent_path, const flags *parent) {
    hu_model_section *list = hu_arena_alloc(b->a, (n ? n : 1) * sizeof *list);
    int index = 0;
    for (size_t i = 0; i < n; i++) {
        bool plain = secs[i].plain || !secs[i].title;
        if (!plain) index++;
        section(b, &list[i], &secs[i], index, level, parent_path, parent);
    }
    return list;
}

/* ------------------------------------------------------------------ indicators */

static void months_local(const hu_indicator *ind, int month, hu_months *m) {
    memset(m, 0, sizeof *m);
    m->cum[month] = ind->value;
    if (month >= 2) m->cum[month - 1] = ind->last_month;
}

static void months(B *b, hu_model_indicator *x, const hu_months *hm, int month) {
    x->nmonths = month;
    x->months = hu_arena_alloc(b->a, (size_t)(month > 0 ? month : 1) * sizeof *x->months);
    for (int k = 1; k <= month; k++) {
        hu_model_month *e = &x->months[k - 1];
        e->month = k;
        e->label = hu_arena_printf(b->a, "%d月", k);
        hu_dec c, p, own = {0, 0};
        bool hc = hu_dec_from_num(&hm->cum[k], &c);
        e->cum = fig_dec(b, hc, c, x->decimals);
        bool ho = false;
        if (hc && !x->rate) {
            if (k == 1) {
                own = c;
                ho = true;
            } else if (hu_dec_from_num(&hm->cum[k - 1], &p)) {
                ho = hu_dec_sub(c, p, &own);
            }
        }
        e->own = fig_dec(b, ho, own, x->decimals);
        e->source = hm->file[k];
        if (hc) x->known_months++;
    }
}

static void indicator(B *b, hu_model_indicator *x, const hu_indicator *ind, size_t i,
                      const hu_months *hm, const hu_ind_result *r) {
    x->index = (int)i + 1;
    x->name = T(b, ind->name);
    x->unit = ind->unit ? ind->unit : "";
    x->note = T(b, ind->note);
    x->rate = ind->kind == HU_IND_RATE;
    x->approx = ind->approx;
    x->decimals = r->decimals;
    int ex = r->decimals;
    const hu_num *nums[] = {&ind->value, &ind->last_year, &ind->last_month, &ind->target};
    for (size_t k = 0; k < sizeof nums / sizeof *nums; k++)
        if (hu_analyze_written_decimals(nums[k]) > ex) ex = hu_analyze_written_decimals(nums[k]);
    for (int k = 1; k <= b->r->month; k++)
        if (hu_analyze_written_decimals(&hm->cum[k]) > ex)
            ex = hu_analyze_written_decimals(&hm->cum[k]);
    x->exact_decimals = ex > 15 ? 15 : ex;
    x->value = fig_num(b, &ind->value, r->decimals);
    x->last_year = fig_num(b, &ind->last_year, r->decimals);
    x->last_month = fig_num(b, &r->last_month, r->decimals);
    x->target = fig_num(b, &ind->target, r->decimals);
    x->diff = fig_dec(b, r->diff_set, r->diff, r->decimals);
    x->month_value = fig_dec(b, r->month_set, r->month_value, r->decimals);
    x->last_month_source = ind->last_month.set ? "input" : r->last_month.set ? "history" : NULL;
    x->value_phrase = r->value_phrase;
    x->month_value_phrase = r->month_value_phrase;
    x->yoy = cmp_of(&r->yoy, x->rate);
    x->mom = cmp_of(&r->mom, x->rate);
    x->completion_has = r->completion_has;
    x->completion_tenths = r->completion_has ? r->completion_tenths : 0;
    x->completion_pct_text = r->completion_pct_text;
    x->completion_text = r->completion_text;
    x->schedule_has = r->schedule_has;
    x->schedule_gap_tenths = r->schedule_has ? r->schedule_gap_tenths : 0;
    x->schedule_dir = r->schedule_has ? trend_of(r->schedule_dir) : HU_TREND_NONE;
    x->schedule_gap_text = r->schedule_gap_text;
    x->schedule_text = r->schedule_text;
    x->schedule_short = r->schedule_short;
    x->sentence = T(b, r->sentence);
    x->month_sentence = r->month_sentence;
    months(b, x, hm, b->r->month);
}

/* The GFM table of all indicators: columns that would be empty for every row are left out. */
/* A table cell's negative figure takes the minus sign U+2212 ("−30.0", "−8.3", "−4.1%"):
 * in a column of right-aligned figures the hyphen-minus is a short dash set low that reads as
 * a hyphen (GB/T 15835 writes the sign as −). Sentences say 下降/减少 and have no sign; the
 * XLSX keeps numbers and writes the same sign by its number formats (xlsx.c). */
static const char *minus_sign(hu_arena *a, const char *t) {
    if (t[0] != '-' || !(t[1] >= '0' && t[1] <= '9')) return t;
    return hu_arena_printf(a, "\u2212%s", t + 1);
}

static void table(B *b) {
    const hu_model *m = b->m;
    bool any_month = false, any_target = false;
    for (size_t i = 0; i < m->nindicators; i++) {
        const hu_model_indicator *x = &m->indicators[i];
        if (x->month_value.set || x->mom.has) any_month = true;
        if (x->target.set) any_target = true;
    }
    if (m->period.month < 2) any_month = false; /* January's month is the cumulative column */
    const char **titles = hu_arena_alloc(b->a, 9 * sizeof *titles);
    bool *right = hu_arena_alloc(b->a, 9 * sizeof *right);
    size_t nc = 0;
#define COL(h, rt) (titles[nc] = (h), right[nc++] = (rt))
    /* the unit goes with the name ("技工贸总收入（亿元）"): a 单位 column is too narrow on a
     * 156 mm page and made every unit wrap onto two lines */
    COL("指标", false);
    COL(m->period.cumulative, true);
    COL("同比", true);
    if (any_month) {
        COL(m->period.month_text, true);
        COL("环比", true);
    }
    if (any_target) {
        COL("年度目标", true);
        COL("完成率", true);
        COL("序时进度差", true); /* in 百分点; docs/templates.md */
    }
#undef COL
    size_t nr = m->nindicators;
    const char **cells = hu_arena_alloc(b->a, (nr ? nr : 1) * nc * sizeof *cells);
#define CELL(t) (cells[k++] = (t) && *(t) ? minus_sign(b->a, t) : "—")
    size_t k = 0;
    for (size_t i = 0; i < nr; i++) {
        const hu_model_indicator *x = &m->indicators[i];
        CELL(*x->unit ? hu_arena_printf(b->a, "%s（%s）", x->name, x->unit) : x->name);
        CELL(x->value.text);
        CELL(x->yoy.short_text);
        if (any_month) {
            CELL(x->month_value.text);
            CELL(x->mom.has ? x->mom.short_text : NULL);
        }
        if (any_target) {
            CELL(x->target.text);
            CELL(x->completion_pct_text);
            CELL(x->schedule_short);
        }
    }
#undef CELL
    b->m->table = (hu_model_table){nc, nr, titles, right, cells};
}

/* ------------------------------------------------------------------ highlights */

static hu_hl_kind hl_kind(const char *k) {
    if (!strcmp(k, "fastest")) return HU_HL_FASTEST;
    if (!strcmp(k, "ahead")) return HU_HL_AHEAD;
    if (!strcmp(k, "decline")) return HU_HL_DECLINE;
    return HU_HL_BEHIND;
}

/* The two enumerations of the text: "一是……；二是……。" of the good news, "……；……。" of the
 * concerns. */
static void listed(B *b, bool concern, hu_model_listed **out, size_t *nout, const char **text) {
    hu_model *m = b->m;
    size_t n = 0;
    for (size_t i = 0; i < m->nhighlights; i++)
        n += m->highlights[i].concern == concern;
    hu_model_listed *l = hu_arena_alloc(b->a, (n ? n : 1) * sizeof *l);
    hu_buf all = HU_BUF_INIT;
    size_t k = 0;
    for (size_t i = 0; i < m->nhighlights; i++) {
        if (m->highlights[i].concern != concern) continue;
        l[k].h = &m->highlights[i];
        l[k].prefix =
            concern || n == 1 ? "" : hu_arena_printf(b->a, "%s是", hu_cn_number(b->a, (int)k + 1));
        l[k].punct = k + 1 == n ? "。" : "；";
        hu_buf_printf(&all, "%s%s%s", l[k].prefix, l[k].h->text, l[k].punct);
        k++;
    }
    *out = l;
    *nout = n;
    *text = n ? hu_arena_strdup(b->a, hu_buf_cstr(&all)) : NULL;
    hu_buf_free(&all);
}

/* ------------------------------------------------------------------ the model */

/* The 开头语 of a report with nothing after it: "…工作，现将有关情况汇报如下：" -> "…工作。" */
static const char *preamble_alone(hu_arena *a, const char *pre) {
    size_t n = strlen(pre);
    const char *cut = NULL;
    if (ends_with(pre, "如下：") || ends_with(pre, "如下:")) {
        /* the last "现将" opens the clause that announces what follows */
        for (const char *p = strstr(pre, "现将"); p; p = strstr(p + 1, "现将"))
            cut = p;
        if (!cut) cut = pre + n - (ends_with(pre, "：") ? strlen("如下：") : strlen("如下:"));
    } else if (ends_with(pre, "：")) {
        cut = pre + n - strlen("：");
    } else if (ends_with(pre, ":")) {
        cut = pre + n - 1;
    }
    char *s = hu_arena_strdup(a, pre);
    if (cut) s[cut - pre] = 0;
    const char *body = hu_text_strip_end_punct(a, s);
    if (!*body) return NULL;
    bool stop = ends_with(s, "。") || ends_with(s, "！") || ends_with(s, "？");
    return stop ? s : hu_arena_printf(a, "%s。", body);
}

/* ------------------------------------------------------------------ where texts came from */

static void add_source(B *b, const char *text, hu_loc loc) {
    hu_model *m = b->m;
    if (!text || !*text || loc.line <= 0) return;
    if (m->nsources == b->src_cap) {
        size_t cap = b->src_cap ? 2 * b->src_cap : 32;
        hu_model_source *v = hu_arena_alloc(b->a, cap * sizeof *v);
        if (m->nsources) memcpy(v, m->sources, m->nsources * sizeof *v);
        m->sources = v, b->src_cap = cap;
    }
    m->sources[m->nsources++] = (hu_model_source){text, loc.line, loc.col};
}

static void sources(B *b, const hu_section *secs, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const hu_section *s = &secs[i];
        add_source(b, s->title, s->title_loc);
        add_source(b, s->text, s->text_loc);
        for (size_t k = 0; k < s->npoints; k++)
            add_source(b, s->points[k].s, s->points[k].loc);
        for (size_t k = 0; k < s->nhighlights; k++)
            add_source(b, s->highlights[k].s, s->highlights[k].loc);
        sources(b, s->sections, s->nsections);
    }
}

void hu_model_locate_diags(const hu_model *m, hu_diags *d, size_t from) {
    if (!m || !m->source_path) return;
    for (size_t i = from; i < d->n; i++) {
        hu_diag *g = &d->v[i];
        if (g->line > 0 || !g->file || strcmp(g->file, m->source_path) != 0 || !g->msg) continue;
        const char *q = strstr(g->msg, "“");
        if (!q) continue;
        q += strlen("“");
        /* the quote's first characters (at most 8, before any "……" or "”"): a line of the
         * rendered text starts anywhere in a paragraph, and markup or a joined soft break
         * further on would not match the input as written */
        size_t len = 0, chars = 0;
        while (q[len] && chars < 8 && strncmp(q + len, "”", strlen("”")) != 0 &&
               strncmp(q + len, "……", strlen("……")) != 0) {
            unsigned char c = (unsigned char)q[len];
            len += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            chars++;
        }
        if (chars < 2) continue;
        char *key = hu_xmalloc(len + 1);
        memcpy(key, q, len);
        key[len] = 0;
        for (size_t k = 0; k < m->nsources; k++)
            if (strstr(m->sources[k].text, key)) {
                g->line = m->sources[k].line, g->col = m->sources[k].col;
                break;
            }
        free(key);
    }
}

hu_model *hu_model_build(hu_arena *a, const hu_report *r, const hu_history *history,
                         const hu_model_settings *settings, const char *source_sha256,
                         const char *template_name) {
    hu_model_settings defaults;
    if (!settings) {
        hu_model_settings_default(&defaults);
        settings = &defaults;
    }
    hu_model *m = hu_arena_alloc(a, sizeof *m);
    B bb = {a, settings, r, m, NULL, 0, 0, 0}, *b = &bb;
    m->settings = *settings;
    m->title = T(b, r->title);
    m->org = T(b, r->org);
    m->to = T(b, r->to);
    m->to_line =
        m->to ? (ends_with(m->to, "：") ? m->to : hu_arena_printf(a, "%s：", m->to)) : NULL;
    period(b);
    date(b);
    generated(b);

    /* 开头语 ending in 现将有关情况汇报如下： (format.md §3) */
    const char *pre = T(b, r->preamble);
    m->preamble = pre;
    if (!pre || !*pre) {
        m->preamble_text =
            hu_arena_printf(a, "现将%d年%s工作情况汇报如下：", r->year, m->period.cumulative);
    } else if (ends_with(pre, "如下：") || ends_with(pre, "如下:")) {
        m->preamble_text = pre;
    } else {
        const char *p = hu_text_strip_end_punct(a, pre);
        bool stop = ends_with(pre, "。") || ends_with(pre, "！") || ends_with(pre, "？");
        m->preamble_text = hu_arena_printf(a, "%s%s现将有关情况汇报如下：", p, stop ? "。" : "，");
    }
    m->closing = T(b, r->closing);
    const char *ct = m->closing && *m->closing ? m->closing : "特此汇报。";
    if (!ends_with(ct, "。") && !ends_with(ct, "！")) ct = hu_arena_printf(a, "%s。", ct);
    m->closing_text = ct;
    m->template_name = template_name      ? hu_arena_strdup(a, template_name)
                       : r->template_name ? r->template_name
                                          : "monthly";
    m->source_file = r->file ? hu_path_base(r->file) : NULL;
    m->source_path = r->file ? hu_arena_strdup(a, r->file) : NULL;
    sources(b, r->sections, r->nsections);
    for (size_t i = 0; i < r->nattachments; i++)
        add_source(b, r->attachments[i].name, r->attachments[i].loc);
    m->source_sha256 = source_sha256 ? hu_arena_strdup(a, source_sha256) : NULL;
    m->figures_file = r->figures_file ? hu_path_base(r->figures_file) : NULL;
    m->tool_version = HU_VERSION;

    /* indicators */
    size_t n = r->nindicators;
    hu_ind_result *res = hu_arena_alloc(a, (n ? n : 1) * sizeof *res);
    m->indicators = hu_arena_alloc(a, (n ? n : 1) * sizeof *m->indicators);
    m->nindicators = n;
    hu_buf sum = HU_BUF_INIT;
    size_t nsent = 0;
    for (size_t i = 0; i < n; i++) {
        const hu_indicator *ind = &r->indicators[i];
        const hu_months *hist = hu_history_months(history, ind->name);
        hu_months mon;
        if (hist)
            mon = *hist;
        else
            months_local(ind, r->month, &mon);
        hu_analyze_indicator(a, ind, r->month, &mon, settings->bei, &res[i]);
        indicator(b, &m->indicators[i], ind, i, &mon, &res[i]);
        if (m->indicators[i].sentence) {
            hu_buf_printf(&sum, "%s%s", nsent ? "；" : "", m->indicators[i].sentence);
            nsent++;
        }
    }
    m->indicator_summary =
        nsent ? hu_arena_printf(a, "%s，%s。", m->period.cumulative, hu_buf_cstr(&sum)) : NULL;
    hu_buf_free(&sum);
    if (!r->nsections && !nsent && !r->nindicators) {
        /* Nothing follows the 开头语: it may not promise "……汇报如下：" and then close with
         * 特此汇报。 (issue 17). A preamble written is the report's one paragraph, its own
         * "现将……如下：" clause dropped and ended with 。; without one there is nothing to
         * introduce, and no 开头语 is printed. */
        m->preamble_text = pre && *pre ? preamble_alone(a, pre) : NULL;
    }
    table(b);
    const char *const *used;
    m->has_history = hu_history_used(history, &used) > 0;

    /* sections (collects the section highlights in document order) */
    m->sections = section_list(b, r->sections, r->nsections, 1, "", NULL);
    m->nsections = r->nsections;
    /* the indicators and highlights go into the first work section with a heading; a plain
     * paragraph at the top level has no place for them */
    hu_model_section *anchor = NULL;
    for (size_t i = 0; i < m->nsections && !anchor; i++)
        if (m->sections[i].is_work && !m->sections[i].plain) anchor = &m->sections[i];
    for (size_t i = 0; i < m->nsections && !anchor; i++)
        if (!m->sections[i].plain) anchor = &m->sections[i];
    if (anchor) {
        anchor->show_indicators = n > 0;
        anchor->show_highlights = true;
    }
    for (size_t i = 0; i < m->nsections; i++) {
        m->has_problems |= m->sections[i].is_problems;
        m->has_plans |= m->sections[i].is_plans;
    }
    /* indicators with nowhere to go (no sections at all) still need a place */
    m->indicators_standalone = !anchor && n > 0;

    /* highlights: the sections' own, then automatic ones */
    hu_auto_highlight *ah;
    size_t nah =
        hu_analyze_highlights(a, r->indicators, res, n, settings->max_auto_highlights, &ah);
    for (size_t i = 0; i < nah; i++)
        push_highlight(b, (hu_model_highlight){hl_kind(ah[i].kind), NULL, T(b, ah[i].text),
                                               ah[i].concern, (long)ah[i].indicator});
    m->highlights = b->hl ? b->hl : hu_arena_alloc(a, sizeof *m->highlights);
    m->nhighlights = b->nhl;
    m->nauto = nah;
    listed(b, false, &m->highlight_points, &m->nhighlight_points, &m->highlights_text);
    listed(b, true, &m->concerns, &m->nconcerns, &m->concerns_text);

    /* attachments: one is "附件：名称", several are numbered "附件：1. …" (GB/T 9704 7.3.4) */
    size_t na = r->nattachments;
    m->attachments = hu_arena_alloc(a, (na ? na : 1) * sizeof *m->attachments);
    m->nattachments = na;
    for (size_t i = 0; i < na; i++) {
        hu_model_attachment *e = &m->attachments[i];
        e->index = (int)i + 1;
        e->name = hu_text_strip_end_punct(a, T(b, r->attachments[i].name));
        e->label = na > 1 ? hu_arena_printf(a, "%zu. ", i + 1) : "";
        e->line = hu_arena_printf(a, "%s%s%s", i == 0 ? "附件：" : "", e->label, e->name);
    }
    return m;
}
