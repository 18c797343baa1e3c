/* view.c - the template context (view.h), generated from the report model field by field.
 *
 * Nothing is decided here: every figure, word and flag is the model's. This file only spells
 * the model as the hu_value tree the Mustache engine walks, with the field names of
 * docs/templates.md (and first/last on every list item, as templates expect). */
#include "view.h"

#include <string.h>

typedef struct B {
    hu_arena *a;
} B;

static void set_str(B *b, hu_value *m, const char *k, const char *s) {
    hu_v_set_lit(b->a, m, k, s ? hu_v_str(b->a, s) : hu_v_const_null());
}

static void set_bool(B *b, hu_value *m, const char *k, bool x) {
    hu_v_set_lit(b->a, m, k, hu_v_const_bool(x));
}

static void set_null(B *b, hu_value *m, const char *k) {
    hu_v_set_lit(b->a, m, k, hu_v_const_null());
}

/* Integers get their own text: the generic shortest-double text would write 10 as "1e+01". */
static void set_int(B *b, hu_value *m, const char *k, long long x) {
    hu_v_set_lit(b->a, m, k, hu_v_num_text(b->a, (double)x, hu_arena_printf(b->a, "%lld", x)));
}

static const char *tenths_text(B *b, int64_t t) {
    int64_t m = t < 0 ? -t : t;
    return hu_arena_printf(b->a, "%s%lld.%lld", t < 0 ? "-" : "", (long long)(m / 10),
                           (long long)(m % 10));
}

static void set_tenths(B *b, hu_value *m, const char *k, bool has, int64_t t) {
    if (!has) {
        set_null(b, m, k);
        return;
    }
    hu_v_set_lit(b->a, m, k, hu_v_num_text(b->a, (double)t / 10.0, tenths_text(b, t)));
}

/* A figure: the number (its text is the exact decimal) or null. */
static void set_fig(B *b, hu_value *m, const char *k, const hu_fig *f) {
    if (!f->set)
        set_null(b, m, k);
    else
        hu_v_set_lit(b->a, m, k, hu_v_num_text(b->a, f->num, f->exact));
}

/* first/last on every item of a list */
static void mark_ends(B *b, hu_value *list) {
    for (size_t i = 0; i < list->n; i++) {
        if (list->items[i]->kind != HU_V_MAP) continue;
        set_bool(b, list->items[i], "first", i == 0);
        set_bool(b, list->items[i], "last", i + 1 == list->n);
    }
}

static const char *trend_name(hu_trend d) {
    switch (d) {
    case HU_TREND_UP:
        return "up";
    case HU_TREND_DOWN:
        return "down";
    case HU_TREND_FLAT:
        return "flat";
    default:
        return "none";
    }
}

static const char *form_name(hu_wording f) {
    switch (f) {
    case HU_WORDING_PERCENT:
        return "percent";
    case HU_WORDING_BEI:
        return "bei";
    case HU_WORDING_POINTS:
        return "points";
    case HU_WORDING_LOSS:
        return "loss";
    case HU_WORDING_FLAT:
        return "flat";
    default:
        return "none";
    }
}

static hu_value *cmp_value(B *b, const hu_model_cmp *c) {
    hu_value *m = hu_v_map_sized(b->a, 12);
    set_bool(b, m, "has", c->has);
    set_bool(b, m, "has_pct", c->has_pct);
    set_tenths(b, m, "pct", c->has_pct, c->tenths);
    set_str(b, m, "pct_text", c->pct_text);
    set_str(b, m, "direction", trend_name(c->dir));
    set_str(b, m, "text", c->text);
    set_str(b, m, "unit", c->unit);
    set_str(b, m, "form", form_name(c->form));
    set_str(b, m, "short", c->short_text);
    set_tenths(b, m, "times", c->form == HU_WORDING_BEI, c->times_tenths);
    set_str(b, m, "change_text", c->change_text);
    return m;
}

static hu_value *period_value(B *b, const hu_model *m) {
    hu_value *p = hu_v_map_sized(b->a, 14);
    set_int(b, p, "year", m->period.year);
    set_int(b, p, "month", m->period.month);
    set_str(b, p, "text", m->period.text);
    set_str(b, p, "month_text", m->period.month_text);
    set_str(b, p, "cumulative", m->period.cumulative);
    set_str(b, p, "cumulative_text", m->period.cumulative_text);
    set_str(b, p, "year_cumulative", m->period.year_cumulative);
    set_str(b, p, "last_cumulative", m->period.last_cumulative);
    set_str(b, p, "quarter", m->period.quarter);
    set_str(b, p, "quarter_cumulative", m->period.quarter_cumulative);
    set_tenths(b, p, "schedule_pct", true, m->period.schedule_tenths);
    set_str(b, p, "schedule_text", m->period.schedule_text);
    return p;
}

static hu_value *date_value(B *b, const hu_model *m) {
    hu_value *v = hu_v_map_sized(b->a, 6);
    set_int(b, v, "year", m->date.year);
    set_int(b, v, "month", m->date.month);
    set_int(b, v, "day", m->date.day);
    set_str(b, v, "text", m->date.text);
    set_str(b, v, "iso", m->date.iso);
    set_bool(b, v, "default", m->date.is_default);
    return v;
}

static hu_value *points_value(B *b, const hu_model_point *p, size_t n) {
    hu_value *list = hu_v_list(b->a);
    for (size_t i = 0; i < n; i++) {
        hu_value *e = hu_v_map_sized(b->a, 8);
        set_int(b, e, "index", (long long)(i + 1));
        set_str(b, e, "prefix", p[i].prefix);
        set_str(b, e, "text", p[i].text);
        set_str(b, e, "punct", p[i].punct);
        set_str(b, e, "full", p[i].full);
        hu_v_push(b->a, list, e);
    }
    mark_ends(b, list);
    return list;
}

static hu_value *sections_value(B *b, const hu_model_section *s, size_t n);

static hu_value *section_value(B *b, const hu_model_section *s) {
    hu_value *v = hu_v_map_sized(b->a, 32);
    set_int(b, v, "index", s->index);
    set_int(b, v, "level", s->level);
    set_str(b, v, "ordinal", s->ordinal);
    set_str(b, v, "title", s->title);
    set_str(b, v, "lead", s->lead);
    set_str(b, v, "heading", s->heading);
    set_str(b, v, "tag", s->tag);
    set_str(b, v, "path", s->path);
    set_bool(b, v, "plain", s->plain);
    set_bool(b, v, "is_work", s->is_work);
    set_bool(b, v, "is_problems", s->is_problems);
    set_bool(b, v, "is_plans", s->is_plans);
    set_str(b, v, "text", s->text);
    set_bool(b, v, "has_text", s->text != NULL);
    hu_v_set_lit(b->a, v, "points", points_value(b, s->points, s->npoints));
    set_str(b, v, "points_text", s->points_text);
    set_bool(b, v, "has_points", s->npoints > 0);
    /* the body of a run-in paragraph is text then points; points alone need no space */
    set_bool(b, v, "has_body", s->text != NULL || s->npoints > 0);
    hu_value *hl = hu_v_list(b->a);
    for (size_t i = 0; i < s->nhighlights; i++) {
        hu_value *h = hu_v_map(b->a);
        set_str(b, h, "text", s->highlights[i]);
        hu_v_push(b->a, hl, h);
    }
    mark_ends(b, hl);
    hu_v_set_lit(b->a, v, "highlights", hl);
    set_bool(b, v, "has_highlights", s->nhighlights > 0);
    hu_v_set_lit(b->a, v, "sections", sections_value(b, s->sections, s->nsections));
    set_bool(b, v, "has_sections", s->nsections > 0);
    set_bool(b, v, "show_indicators", s->show_indicators);
    set_bool(b, v, "show_highlights", s->show_highlights);
    return v;
}

static hu_value *sections_value(B *b, const hu_model_section *s, size_t n) {
    hu_value *list = hu_v_list(b->a);
    for (size_t i = 0; i < n; i++)
        hu_v_push(b->a, list, section_value(b, &s[i]));
    mark_ends(b, list);
    /* level flags: lets a partial pick its Markdown form without counting */
    for (size_t i = 0; i < n; i++) {
        int level = s[i].level;
        set_bool(b, list->items[i], "level1", level == 1);
        set_bool(b, list->items[i], "level2", level == 2);
        set_bool(b, list->items[i], "level3", level == 3);
        set_bool(b, list->items[i], "level4", level >= 4);
    }
    return list;
}

static hu_value *indicator_value(B *b, const hu_model_indicator *x) {
    hu_value *v = hu_v_map_sized(b->a, 40);
    set_int(b, v, "index", x->index);
    set_str(b, v, "name", x->name);
    set_str(b, v, "unit", x->unit);
    set_str(b, v, "kind", x->rate ? "rate" : "amount");
    set_bool(b, v, "approx", x->approx);
    set_int(b, v, "decimals", x->decimals);
    set_str(b, v, "note", x->note);
    set_fig(b, v, "value", &x->value);
    set_str(b, v, "value_text", x->value.text);
    set_str(b, v, "value_phrase", x->value_phrase);
    set_fig(b, v, "last_year", &x->last_year);
    set_str(b, v, "last_year_text", x->last_year.text);
    set_fig(b, v, "diff", &x->diff);
    set_str(b, v, "diff_text", x->diff.text);
    hu_v_set_lit(b->a, v, "yoy", cmp_value(b, &x->yoy));
    set_fig(b, v, "last_month", &x->last_month);
    set_str(b, v, "last_month_text", x->last_month.text);
    set_str(b, v, "last_month_source", x->last_month_source);
    set_fig(b, v, "month_value", &x->month_value);
    set_str(b, v, "month_value_text", x->month_value.text);
    set_str(b, v, "month_value_phrase", x->month_value_phrase);
    hu_v_set_lit(b->a, v, "mom", cmp_value(b, &x->mom));
    set_fig(b, v, "target", &x->target);
    set_str(b, v, "target_text", x->target.text);
    hu_value *c = hu_v_map(b->a);
    set_bool(b, c, "has", x->completion_has);
    set_tenths(b, c, "pct", x->completion_has, x->completion_tenths);
    set_str(b, c, "pct_text", x->completion_pct_text);
    set_str(b, c, "text", x->completion_text);
    hu_v_set_lit(b->a, v, "completion", c);
    hu_value *s = hu_v_map(b->a);
    set_bool(b, s, "has", x->schedule_has);
    set_tenths(b, s, "gap", x->schedule_has, x->schedule_gap_tenths);
    set_str(b, s, "gap_text", x->schedule_gap_text);
    set_str(b, s, "direction",
            x->schedule_dir == HU_TREND_UP     ? "ahead"
            : x->schedule_dir == HU_TREND_DOWN ? "behind"
            : x->schedule_dir == HU_TREND_FLAT ? "even"
                                               : "none");
    set_str(b, s, "text", x->schedule_text);
    set_str(b, s, "short", x->schedule_short);
    hu_v_set_lit(b->a, v, "schedule", s);
    set_str(b, v, "sentence", x->sentence);
    set_str(b, v, "month_sentence", x->month_sentence);
    return v;
}

static hu_value *table_value(B *b, const hu_model_table *t) {
    hu_value *v = hu_v_map(b->a), *cols = hu_v_list(b->a), *rows = hu_v_list(b->a);
    for (size_t k = 0; k < t->ncols; k++) {
        hu_value *c = hu_v_map(b->a);
        set_str(b, c, "title", t->titles[k]);
        set_str(b, c, "align", t->right[k] ? "---:" : "---");
        hu_v_push(b->a, cols, c);
    }
    mark_ends(b, cols);
    for (size_t i = 0; i < t->nrows; i++) {
        hu_value *row = hu_v_map(b->a), *cells = hu_v_list(b->a);
        for (size_t k = 0; k < t->ncols; k++) {
            hu_value *c = hu_v_map(b->a);
            set_str(b, c, "text", t->cells[i * t->ncols + k]);
            hu_v_push(b->a, cells, c);
        }
        mark_ends(b, cells);
        hu_v_set_lit(b->a, row, "cells", cells);
        hu_v_push(b->a, rows, row);
    }
    mark_ends(b, rows);
    hu_v_set_lit(b->a, v, "columns", cols);
    hu_v_set_lit(b->a, v, "rows", rows);
    return v;
}

static hu_value *trend_value(B *b, const hu_model_indicator *x) {
    hu_value *t = hu_v_map_sized(b->a, 8), *months = hu_v_list(b->a);
    set_str(b, t, "name", x->name);
    set_str(b, t, "unit", x->unit);
    set_str(b, t, "kind", x->rate ? "rate" : "amount");
    for (int k = 0; k < x->nmonths; k++) {
        const hu_model_month *mo = &x->months[k];
        hu_value *e = hu_v_map(b->a);
        set_int(b, e, "month", mo->month);
        set_str(b, e, "label", mo->label);
        set_fig(b, e, "value", &mo->cum);
        set_str(b, e, "value_text", mo->cum.text);
        set_fig(b, e, "month_value", &mo->own);
        set_str(b, e, "month_value_text", mo->own.text);
        set_str(b, e, "source", mo->source);
        hu_v_push(b->a, months, e);
    }
    mark_ends(b, months);
    hu_v_set_lit(b->a, t, "months", months);
    set_int(b, t, "known", x->known_months);
    return t;
}

static const char *hl_kind_name(hu_hl_kind k) {
    switch (k) {
    case HU_HL_SECTION:
        return "section";
    case HU_HL_FASTEST:
        return "fastest";
    case HU_HL_AHEAD:
        return "ahead";
    case HU_HL_DECLINE:
        return "decline";
    default:
        return "behind";
    }
}

static hu_value *highlight_value(B *b, const hu_model *m, const hu_model_highlight *h) {
    hu_value *g = hu_v_map_sized(b->a, 8);
    set_str(b, g, "section", h->section);
    set_str(b, g, "text", h->text);
    set_str(b, g, "source", h->kind == HU_HL_SECTION ? "section" : "auto");
    set_str(b, g, "flag", h->concern ? "需关注" : NULL);
    set_str(b, g, "kind", hl_kind_name(h->kind));
    set_str(b, g, "indicator",
            h->indicator >= 0 && (size_t)h->indicator < m->nindicators
                ? m->indicators[h->indicator].name
                : NULL);
    return g;
}

static hu_value *listed_value(B *b, const hu_model *m, const hu_model_listed *l, size_t n) {
    hu_value *list = hu_v_list(b->a);
    for (size_t i = 0; i < n; i++) {
        hu_value *g = highlight_value(b, m, l[i].h);
        set_str(b, g, "prefix", l[i].prefix);
        set_str(b, g, "punct", l[i].punct);
        hu_v_push(b->a, list, g);
    }
    mark_ends(b, list);
    return list;
}

hu_value *hu_view_build(hu_arena *a, const hu_model *m) {
    B bb = {a}, *b = &bb;
    hu_value *v = hu_v_map(a);
    set_str(b, v, "title", m->title);
    set_str(b, v, "org", m->org);
    set_str(b, v, "to", m->to);
    set_str(b, v, "to_line", m->to_line);
    set_str(b, v, "preamble", m->preamble);
    set_str(b, v, "preamble_text", m->preamble_text);
    set_str(b, v, "closing", m->closing);
    set_str(b, v, "closing_text", m->closing_text);
    set_str(b, v, "template", m->template_name);
    set_str(b, v, "source_file", m->source_file);
    set_str(b, v, "source_sha256", m->source_sha256);
    set_str(b, v, "figures_file", m->figures_file);
    hu_v_set_lit(a, v, "period", period_value(b, m));
    hu_v_set_lit(a, v, "date", date_value(b, m));
    set_str(b, v, "generated_at", m->generated_at);
    set_str(b, v, "generated_text", m->generated_text);
    set_str(b, v, "tool_version", m->tool_version);
    hu_value *st = hu_v_map(a);
    set_bool(b, st, "bei", m->settings.bei);
    set_bool(b, st, "clean_punct", m->settings.clean_punct);
    set_int(b, st, "max_auto_highlights", m->settings.max_auto_highlights);
    hu_v_set_lit(a, v, "settings", st);

    hu_value *inds = hu_v_list(a), *trend = hu_v_list(a);
    for (size_t i = 0; i < m->nindicators; i++) {
        hu_v_push(a, inds, indicator_value(b, &m->indicators[i]));
        hu_v_push(a, trend, trend_value(b, &m->indicators[i]));
    }
    mark_ends(b, inds);
    mark_ends(b, trend);
    hu_v_set_lit(a, v, "indicators", inds);
    set_bool(b, v, "has_indicators", m->nindicators > 0);
    set_str(b, v, "indicator_summary", m->indicator_summary);
    hu_v_set_lit(a, v, "indicator_table", table_value(b, &m->table));
    hu_v_set_lit(a, v, "trend", trend);
    set_bool(b, v, "has_history", m->has_history);

    hu_v_set_lit(a, v, "sections", sections_value(b, m->sections, m->nsections));
    set_bool(b, v, "has_problems", m->has_problems);
    set_bool(b, v, "has_plans", m->has_plans);
    set_bool(b, v, "has_sections", m->nsections > 0);
    set_bool(b, v, "indicators_standalone", m->indicators_standalone);

    hu_value *all = hu_v_list(a), *autos = hu_v_list(a);
    for (size_t i = 0; i < m->nhighlights; i++) {
        hu_value *g = highlight_value(b, m, &m->highlights[i]);
        hu_v_push(a, all, g);
        if (i + m->nauto >= m->nhighlights) hu_v_push(a, autos, g);
    }
    mark_ends(b, all);
    mark_ends(b, autos);
    hu_v_set_lit(a, v, "highlights", all);
    hu_v_set_lit(a, v, "auto_highlights", autos);
    hu_v_set_lit(a, v, "highlight_points",
                 listed_value(b, m, m->highlight_points, m->nhighlight_points));
    set_str(b, v, "highlights_text", m->highlights_text);
    hu_v_set_lit(a, v, "concerns", listed_value(b, m, m->concerns, m->nconcerns));
    set_str(b, v, "concerns_text", m->concerns_text);
    /* not has_highlights: sections have one */
    set_bool(b, v, "has_highlight_points", m->nhighlight_points > 0);
    set_bool(b, v, "has_concerns", m->nconcerns > 0);

    hu_value *att = hu_v_list(a);
    for (size_t i = 0; i < m->nattachments; i++) {
        const hu_model_attachment *x = &m->attachments[i];
        hu_value *e = hu_v_map(a);
        set_int(b, e, "index", x->index);
        set_str(b, e, "name", x->name);
        set_str(b, e, "label", x->label);
        set_str(b, e, "line", x->line);
        hu_v_push(a, att, e);
    }
    mark_ends(b, att);
    hu_v_set_lit(a, v, "attachments", att);
    set_bool(b, v, "has_attachments", m->nattachments > 0);
    set_bool(b, v, "attachments_numbered", m->nattachments > 1);
    return v;
}

hu_value *hu_view_schema(hu_arena *a) {
    /* A model with one of everything: hu_view_build sets every field whatever its value, so
     * the keys are the view's keys by construction and cannot drift from docs/templates.md. */
    hu_model m;
    memset(&m, 0, sizeof m);
    hu_model_indicator *ind = hu_arena_alloc(a, sizeof *ind);
    ind->months = hu_arena_alloc(a, sizeof *ind->months);
    ind->nmonths = 1;
    m.indicators = ind;
    m.nindicators = 1;
    const char **one = hu_arena_alloc(a, sizeof *one);
    one[0] = "";
    bool *right = hu_arena_alloc(a, sizeof *right);
    m.table = (hu_model_table){1, 1, one, right, one};
    hu_model_point *point = hu_arena_alloc(a, sizeof *point);
    hu_model_section *sec = hu_arena_alloc(a, HU_VIEW_SCHEMA_DEPTH * sizeof *sec);
    for (int i = 0; i < HU_VIEW_SCHEMA_DEPTH; i++) {
        sec[i].level = i + 1;
        sec[i].points = point;
        sec[i].npoints = 1;
        sec[i].highlights = one;
        sec[i].nhighlights = 1;
        if (i + 1 < HU_VIEW_SCHEMA_DEPTH) {
            sec[i].sections = &sec[i + 1];
            sec[i].nsections = 1;
        }
    }
    m.sections = sec;
    m.nsections = 1;
    hu_model_highlight *hl = hu_arena_alloc(a, sizeof *hl);
    hl->indicator = -1;
    hu_model_listed *listed = hu_arena_alloc(a, sizeof *listed);
    listed->h = hl;
    m.highlights = hl;
    m.nhighlights = 1;
    m.nauto = 1;
    m.highlight_points = listed;
    m.nhighlight_points = 1;
    m.concerns = listed;
    m.nconcerns = 1;
    m.attachments = hu_arena_alloc(a, sizeof *m.attachments);
    m.nattachments = 1;
    return hu_view_build(a, &m);
}
