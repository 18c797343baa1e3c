/* report.c - one report through every stage (see report.h). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "arena.h"
#include "atomic.h"
#include "buf.h"
#include "consistency.h"
#include "doc.h"
#include "docx.h"
#include "dynlib.h"
#include "fileio.h"
#include "manifest.h"
#include "fonts.h"
#include "hblib.h"
#include "history.h"
#include "hpdflib.h"
#include "input.h"
#include "linebreak.h"
#include "markdown.h"
#include "model.h"
#include "mustache.h"
#include "paths.h"
#include "pdf.h"
#include "segment.h"
#include "spare.h"
#include "sha256.h"
#include "style.h"
#include "template.h"
#include "value.h"
#include "view.h"
#include "xlsx.h"
#include "xlsxzip.h"

void hu_build_opts_default(hu_build_opts *o) {
    memset(o, 0, sizeof *o);
    o->outdir = "out";
    o->formats = HU_FMT_DEFAULT;
    o->subset = true;
    o->jobs = 0;
}

void hu_report_result_free(hu_report_result *r) {
    hu_strlist_free(&r->outputs);
    hu_strlist_free(&r->deps);
    hu_strlist_free(&r->fonts);
    hu_strlist_free(&r->fallbacks);
    free(r->title);
    free(r->org);
    free(r->period);
    free(r->template_desc);
    free(r->figures);
    memset(r, 0, sizeof *r);
}

/* ---------------------------------------------------------------- font coverage
 *
 * The one answer to "can the fonts print this input?", for build, check and `huibao fonts
 * --check`: every string of the report is checked against the fonts of the roles the style
 * draws it with, so a character no font has is reported with its field and line, never
 * silently lost; the characters only a default fallback face has are named too (a note per
 * field, and res->fallbacks for index.json). */
typedef struct covctx {
    hu_fonts *f;
    bool strict;
    hu_diags *d;
    size_t missing;
    size_t fallback_fields; /* fields with fallback characters */
    hu_strlist *fallbacks;  /* for index.json (hu_report_result's); may be NULL */
} covctx;

/* Notes beyond this many fields go to index.json only, so they cannot crowd the messages. */
#define FALLBACK_NOTES 20

#define ROLE(r) (1u << (r))

static void cov(covctx *c, unsigned mask, const char *s, hu_loc loc, const char *path) {
    if (!s) return;
    c->missing +=
        hu_fonts_check_roles(c->f, mask, s, loc.file, loc.line, loc.col, path, c->strict, c->d);
    hu_buf chars = HU_BUF_INIT;
    hu_diags *nd = c->fallback_fields < FALLBACK_NOTES ? c->d : NULL;
    if (hu_fonts_note_fallbacks(c->f, mask, s, loc.file, loc.line, loc.col, path, &chars, nd)) {
        c->fallback_fields++;
        if (c->fallbacks) {
            hu_buf e = HU_BUF_INIT;
            hu_buf_printf(&e, "%d\t%s\t%s", loc.line, path ? path : "", hu_buf_cstr(&chars));
            hu_strlist_add(c->fallbacks, hu_buf_cstr(&e));
            hu_buf_free(&e);
        }
    }
    hu_buf_free(&chars);
}

static hu_loc loc_of(const hu_report *r, const char *key) {
    hu_value *v = hu_v_get(r->root, key);
    return (hu_loc){r->file, v ? v->line : 0, v ? v->col : 0};
}

static void cov_sections(covctx *c, const hu_style *st, const hu_section *s, size_t n) {
    unsigned body = ROLE(st->body_role);
    for (size_t i = 0; i < n; i++) {
        const hu_section *x = &s[i];
        /* a section's title is a heading or a run-in lead sentence of its level */
        int lv = x->level < 1 ? 0 : x->level > 4 ? 3 : x->level - 1;
        unsigned head = ROLE(st->heading[lv].role) | ROLE(st->lead[lv].role);
        char *path = hu_printf("%s.title", x->path);
        cov(c, head, x->title, x->title_loc, path);
        free(path);
        path = hu_printf("%s.text", x->path);
        cov(c, body, x->text, x->text_loc, x->plain ? x->path : path);
        free(path);
        for (size_t k = 0; k < x->npoints; k++) {
            path = hu_printf("%s.points[%zu]", x->path, k);
            cov(c, body, x->points[k].s, x->points[k].loc, path);
            free(path);
        }
        for (size_t k = 0; k < x->nhighlights; k++) {
            path = hu_printf("%s.highlights[%zu]", x->path, k);
            cov(c, body, x->highlights[k].s, x->highlights[k].loc, path);
            free(path);
        }
        cov_sections(c, st, x->sections, x->nsections);
    }
}

static size_t check_coverage(hu_fonts *f, const hu_style *st, const hu_report *r, bool strict,
                             size_t *fallback_fields, hu_strlist *fallbacks, hu_diags *d) {
    covctx c = {f, strict, d, 0, 0, fallbacks};
    unsigned body = ROLE(st->body_role);
    cov(&c, ROLE(st->title_role), r->title, loc_of(r, "title"), "title");
    cov(&c, body, r->org, loc_of(r, "org"), "org");
    cov(&c, body, r->to, loc_of(r, "to"), "to");
    cov(&c, body, r->preamble, loc_of(r, "preamble"), "preamble");
    cov(&c, body, r->closing, loc_of(r, "closing"), "closing");
    for (size_t i = 0; i < r->nindicators; i++) {
        const hu_indicator *ind = &r->indicators[i];
        /* in the text and in the table */
        unsigned both = body | ROLE(st->table_role);
        char *path = hu_printf("%s.name", ind->path);
        cov(&c, both, ind->name, ind->loc, path);
        free(path);
        path = hu_printf("%s.unit", ind->path);
        cov(&c, body, ind->unit, ind->loc, path);
        free(path);
        path = hu_printf("%s.note", ind->path);
        cov(&c, body, ind->note, ind->loc, path);
        free(path);
    }
    cov_sections(&c, st, r->sections, r->nsections);
    for (size_t i = 0; i < r->nattachments; i++) {
        char *path = hu_printf("attachments[%zu]", i);
        cov(&c, body, r->attachments[i].name, r->attachments[i].loc, path);
        free(path);
    }
    if (c.fallback_fields > FALLBACK_NOTES)
        hu_diag_add(d, HU_NOTE, r->file, 0, 0, NULL,
                    "另有 %zu 个字段有由后备字体显示的字符（生成 PDF 时全部记入 index.json）",
                    c.fallback_fields - FALLBACK_NOTES);
    /* a character shown as 〓 may be one a fallback package that is not installed has */
    if (c.missing) hu_fonts_note_missing_fallbacks(f, r->file, d);
    if (fallback_fields) *fallback_fields = c.fallback_fields;
    return c.missing;
}

/* ---------------------------------------------------------------- template and style */

/* ---------------------------------------------------------------- a batch's memo
 *
 * Every report of a batch asks for the same template (found by a walk of the search folders:
 * realpath of each, stat of each candidate file, the template file read for its parent tag),
 * loads the same style.yaml files and lints the same template against the same view schema.
 * With the memo on (hu_report_memo, a batch's process) each is done once per process and
 * kept: a template by its name and the folder a relative path starts from, its style for one
 * set of options, its lint per strictness. Only what was found without any message is kept,
 * so a report whose template, style or lint has something to say says it, as without the
 * memo. Files changed while a batch runs are not read again (as the fonts are not). */
typedef struct memo_tpl {
    char *key; /* spec, '\1', base folder */
    const hu_template *tpl;
    const hu_build_opts *styled; /* style and fo are for these options; NULL: none yet */
    hu_style style;
    hu_font_options fo;
    bool linted[2]; /* lint without messages, per strict */
} memo_tpl;

static struct {
    bool on;
    hu_arena a; /* the templates and styles kept */
    memo_tpl *v;
    size_t n, cap;
} memo;

static void warm_segment(void *unused) {
    (void)unused;
    hu_segment_prepare();
}

/* The libraries a PDF needs and ICU's word iterator and dictionary engine, made ready while the
 * main thread reads the input (main.c warm_start). ICU linked (segment.h hu_segment_linked):
 * its data is mapped first (one short dlopen) and the engine then built on another spare thread,
 * beside the loads here, since it needs the dynamic loader no more: ready ~1-3 ms into the run,
 * long before the PDF asks for it (hu_segment_ready) and its layout segments the first title
 * (bench/README.md, Session 12 (branch static-icu-12)). ICU loaded with dlopen (a shared build):
 * loaded with the others, and the engine built here after hu_dynlib_warm_end, so that the
 * workbook's library need not wait for it. */
void hu_report_warm_up(void) {
    bool beside = false;
    if (hu_segment_linked()) {
        hu_segment_load();
        beside = hu_spare_submit(warm_segment, NULL) >= 0;
    }
    (void)hu_hb_load(NULL, NULL);
    if (!beside) hu_segment_load();
    hu_linebreak_load();
    /* libharu (with libpng16 and zlib) too, though the PDF needs it only once laid out: loaded
     * after hu_dynlib_warm_end it waited for the workbook's libxlsxwriter (the loader's lock),
     * and the main thread for it (+0.8 ms a report, bench/README.md Session 10) */
    (void)hu_hpdf_load(NULL, NULL);
    hu_dynlib_warm_end(); /* the loader's lock is free for the workbook's library (dynlib.h) */
    if (!beside) hu_segment_prepare();
}

static bool report_threads = true; /* hu_report_threads */

void hu_report_threads(bool on) {
    report_threads = on;
}

void hu_report_memo(bool on) {
    if (on == memo.on) return;
    hu_xlsxzip_memo(on); /* and the deflated parts of its workbooks */
    if (on) {
        hu_arena_init(&memo.a);
        memo.on = true;
        return;
    }
    for (size_t i = 0; i < memo.n; i++)
        free(memo.v[i].key);
    free(memo.v);
    hu_arena_free(&memo.a);
    memset(&memo, 0, sizeof memo);
}

static memo_tpl *memo_of(const hu_template *t) {
    for (size_t i = 0; memo.on && i < memo.n; i++)
        if (memo.v[i].tpl == t) return &memo.v[i];
    return NULL;
}

static bool no_news(const hu_diags *d, size_t n, size_t errors, size_t warnings) {
    return d->n == n && d->errors == errors && d->warnings == warnings;
}

/* The template of input (r loaded from it): -t, else the input's `template:` (a path there is
 * relative to the input's folder), else monthly; found by one rule (template.h). input and r
 * may be NULL (`huibao fonts` without an input). */
static const hu_template *find_template(hu_arena *a, const char *input, const hu_report *r,
                                        const hu_build_opts *o, hu_diags *d) {
    const char *named = r ? r->template_name : NULL;
    hu_tpl_ask ask = {o->template_name ? o->template_name
                      : named          ? named
                                       : "monthly",
                      NULL, NULL, 0, 0};
    if (!o->template_name && named) {
        hu_value *tv = hu_v_get(r->root, "template");
        ask.base_dir = hu_path_dir(a, input);
        ask.file = input;
        ask.line = tv ? tv->line : 0;
        ask.col = tv ? tv->col : 0;
    }
    if (!memo.on) return hu_template_find(a, &ask, d);
    char *key = hu_printf("%s\1%s", ask.spec, ask.base_dir ? ask.base_dir : "");
    for (size_t i = 0; i < memo.n; i++)
        if (!strcmp(memo.v[i].key, key)) {
            free(key);
            return memo.v[i].tpl;
        }
    size_t n = d->n, e = d->errors, w = d->warnings;
    const hu_template *t = hu_template_find(&memo.a, &ask, d);
    if (t && no_news(d, n, e, w)) {
        HU_GROW(memo.v, memo.n, memo.cap);
        memo_tpl *m = &memo.v[memo.n++];
        memset(m, 0, sizeof *m);
        m->key = key;
        m->tpl = t;
    } else {
        free(key);
    }
    return t;
}

/* The report's style, resolved once from the template chain's style.yaml files (the PDF, the
 * DOCX, the coverage check and the wording all use it), and the font options it and --font
 * give. */
static bool load_style(hu_arena *a, const hu_template *tpl, const hu_build_opts *o, hu_style *st,
                       hu_font_options *fo, hu_diags *d) {
    memo_tpl *m = memo_of(tpl);
    if (m && m->styled == o) {
        *st = m->style;
        *fo = m->fo;
        return true;
    }
    size_t n = d->n, e = d->errors, w = d->warnings;
    hu_style_default(st);
    if (!hu_style_load(st, m ? &memo.a : a, tpl->styles, tpl->nstyles, d)) return false;
    hu_style_font_options(st, o->font_spec, fo);
    if (m && no_news(d, n, e, w)) {
        m->style = *st;
        m->fo = *fo;
        m->styled = o;
    }
    return true;
}

/* hu_template_lint, once per template and strictness in a batch when it has nothing to say. */
static bool lint_template(const hu_template *tpl, bool strict, hu_diags *d) {
    memo_tpl *m = memo_of(tpl);
    if (m && m->linted[strict]) return true;
    size_t n = d->n, e = d->errors, w = d->warnings;
    bool ok = hu_template_lint(tpl, strict, d);
    if (m && ok && no_news(d, n, e, w)) m->linted[strict] = true;
    return ok;
}

int hu_report_check_fonts(const char *input, const hu_build_opts *o, size_t *missing,
                          size_t *fallback_fields, hu_diags *d) {
    hu_arena a;
    hu_arena_init(&a);
    int rc = HU_EXIT_INPUT;
    hu_fonts *fonts = NULL;
    hu_style st;
    hu_font_options fo;
    *missing = *fallback_fields = 0;
    hu_report *r = hu_input_load(&a, input, d);
    const hu_template *tpl = r ? find_template(&a, input, r, o, d) : NULL;
    if (!tpl || !load_style(&a, tpl, o, &st, &fo, d)) goto done;
    fonts = hu_fonts_open(&fo, d);
    if (!fonts) goto done;
    *missing = check_coverage(fonts, &st, r, o->strict, fallback_fields, NULL, d);
    if (!hu_diags_failed(d)) rc = HU_EXIT_OK;
done:
    hu_fonts_free(fonts);
    hu_arena_free(&a);
    return rc;
}

hu_fonts *hu_report_fonts(const hu_build_opts *o, hu_diags *d) {
    hu_arena a;
    hu_arena_init(&a);
    hu_fonts *fonts = NULL;
    hu_style st;
    hu_font_options fo;
    const hu_template *tpl = find_template(&a, NULL, NULL, o, d);
    if (tpl && load_style(&a, tpl, o, &st, &fo, d)) fonts = hu_fonts_open(&fo, d);
    hu_arena_free(&a);
    return fonts;
}

/* ---------------------------------------------------------------- outputs */

typedef struct out_file {
    hu_atomic w;
    bool used;
} out_file;

/* Where an output goes. build: a temporary file beside its destination (atomic.h), put in
 * place with the others at the end. check: nowhere — the writers still run to the end (PDF and
 * DOCX in memory, the workbook into /dev/null), so what they would refuse is reported, and
 * their messages name the input. */
static bool out_begin(out_file *f, const hu_build_opts *o, const char *input, const char *ext,
                      hu_diags *d) {
    if (o->check) return true;
    char *p = hu_report_output_path(o->outdir, input, ext);
    f->used = hu_atomic_begin(&f->w, p, d);
    free(p);
    return f->used;
}
static const char *out_tmp(const out_file *f) {
    return f->used ? f->w.tmp : NULL;
}
static const char *out_shown(const out_file *f, const char *input) {
    return f->used ? f->w.dest : input;
}

char *hu_report_output_path(const char *outdir, const char *input, const char *ext) {
    char *stem = hu_path_stem(input);
    hu_buf p = HU_BUF_INIT;
    size_t L = strlen(outdir);
    hu_buf_printf(&p, "%s%s%s.%s", outdir, L && outdir[L - 1] == '/' ? "" : "/", stem, ext);
    free(stem);
    return hu_buf_detach(&p);
}

/* hu_font_file_cb for the PDF build: the font files go into the depfile and index.json. */
static void add_font_file(void *ctx, const char *file, hu_font_origin origin, const char *package) {
    hu_report_result *res = ctx;
    hu_strlist_add(&res->deps, file);
    hu_buf e = HU_BUF_INIT;
    hu_buf_printf(&e, "%s\t%s\t%s",
                  origin == HU_FONT_USER      ? "user"
                  : origin == HU_FONT_BUNDLED ? "bundled"
                                              : "debian",
                  package ? package : "", file);
    hu_strlist_add(&res->fonts, hu_buf_cstr(&e));
    hu_buf_free(&e);
}

/* The structural blocks the template's Mustache rendering reports (out of band). */
typedef struct spans {
    hu_doc_span *v;
    size_t n, cap;
} spans;

static void add_span(void *ud, const char *name, size_t len, size_t start, size_t end) {
    spans *s = ud;
    HU_GROW(s->v, s->n, s->cap);
    s->v[s->n++] = (hu_doc_span){hu_block_kind_of(name, len), start, end};
}

/* ---------------------------------------------------------------- the fonts, beside the model
 *
 * The fonts and their coverage depend on the style and the input only, not on the earlier
 * months, the model or its view. In a single build they are opened and checked on one of the
 * run's spare threads (spare.h) as soon as the style is known, while this thread reads the
 * earlier months, builds the model, its view and the workbook's job, and lints and renders the
 * template: opening the faces (HarfBuzz reads every table directory and cmap) and checking
 * every string took 2-3 ms of the main thread between the model and the template
 * (bench/README.md, Session 12). A run without an idle spare thread (a batch's workers, -f md
 * alone) does the same work on this thread, where the fonts were always opened.
 *
 * Its messages are kept in the job and appended to the report's where they always came, after
 * the workbook's output was begun and before the template's messages (hu_report_build_staged);
 * a report that fails before then drops them, as one that never opened its fonts never had
 * them. The job reads only the input's tree, the style and the font options, which nothing
 * changes once they are loaded (the arena only ever adds blocks), and writes only its own
 * fields until it is joined. */
typedef struct fonts_job {
    hu_font_options fo;
    hu_style style;
    const hu_report *r;
    bool strict;
    bool threaded; /* handed to a spare thread: ticket */
    bool done;     /* run (here, or joined) */
    int ticket;
    /* what it made */
    hu_fonts *fonts;
    bool user_fault;      /* hu_fonts_open_ex's */
    hu_strlist fallbacks; /* check_coverage's, for res->fallbacks */
    hu_diags d;
} fonts_job;

static void fonts_job_run(void *p) {
    fonts_job *j = p;
    /* a --font or style.yaml font: an input error, like check's */
    j->fonts = hu_fonts_open_ex(&j->fo, &j->user_fault, &j->d);
    if (j->fonts) check_coverage(j->fonts, &j->style, j->r, j->strict, NULL, &j->fallbacks, &j->d);
}

/* On an idle spare thread when there is one: not on one still warming up, whose job would
 * then wait for ICU's engine (hu_report_warm_up), nor on a thread of its own (a batch's
 * workers have none to spare). */
static void fonts_job_start(fonts_job *j, const hu_style *st, const hu_font_options *fo,
                            const hu_report *r, bool strict, hu_diags *d) {
    memset(j, 0, sizeof *j);
    j->fo = *fo;
    j->style = *st;
    j->r = r;
    j->strict = strict;
    j->d.limit = d->limit; /* appended to d: the same messages are kept (error.c) */
    j->ticket = hu_spare_submit_idle(fonts_job_run, j);
    j->threaded = j->ticket >= 0;
}

/* The job's results, once it has run: here when no spare thread took it (then before the
 * template, where the fonts were always opened: a batch's workers do their work in the order
 * they always did). */
static void fonts_job_join(fonts_job *j) {
    if (j->done) return;
    if (j->threaded)
        hu_spare_wait(j->ticket);
    else
        fonts_job_run(j);
    j->done = true;
}

/* A job started and not taken: waited for and dropped, messages and all. */
static void fonts_job_free(fonts_job *j) {
    if (j->threaded && !j->done) hu_spare_wait(j->ticket);
    j->done = true;
    hu_fonts_free(j->fonts);
    j->fonts = NULL;
    hu_strlist_free(&j->fallbacks);
    hu_diags_free(&j->d);
}

/* Everything before the template renders: input, template, history, style, model, view. */
typedef struct prepared {
    hu_report *r;
    const hu_template *tpl;
    hu_history *hist;
    hu_style style;
    hu_font_options fo;
    hu_model_settings vs;
    hu_model *model;
    /* The template context lives in its own arena: it is the largest structure of a report
     * (about 40 bytes per input byte for many short sections) and is needed only while the
     * template renders, so it is released right after (issue 15 item 6). */
    hu_arena view_arena;
    hu_value *view;
    bool from_env;
    long long now;
} prepared;

/* fj: when not NULL, the fonts job is started (fonts_job_start) as soon as the style is
 * loaded; the caller frees it (fonts_job_free) whatever this returns. */
static int prepare(hu_arena *a, const char *input, const hu_build_opts *o, hu_report_result *res,
                   prepared *p, fonts_job *fj, hu_diags *d) {
    memset(p, 0, sizeof *p);
    hu_strlist_add(&res->deps, input);
    hu_report *r = p->r = hu_input_load(a, input, d);
    if (!r) return HU_EXIT_INPUT;
    res->title = hu_strdup(r->title);
    res->org = hu_strdup(r->org);
    res->period = hu_strdup(r->period);
    if (r->figures_file) { /* a dependency like the input; check says where the figures are */
        hu_strlist_add(&res->deps, r->figures_file);
        res->figures = hu_strdup(r->figures_file);
    }

    const hu_template *tpl = p->tpl = find_template(a, input, r, o, d);
    if (!tpl) return HU_EXIT_INPUT;
    res->template_desc = tpl->origin == HU_TPL_FOLDER
                             ? hu_strdup(tpl->dir)
                             : hu_strdup(hu_arena_printf(a, "%s（%s）", tpl->name,
                                                         hu_template_origin_name(tpl->origin)));

    /* style.yaml first: its fonts decide coverage, its `settings:` the wording. Loaded before
     * the earlier months so that the fonts can be opened beside them (fonts_job), its messages
     * kept aside and given where they always came, after the history's and the date's: in the
     * same order, with the same exit status. */
    hu_diags style_d = HU_DIAGS_INIT;
    style_d.limit = d->limit; /* appended to d: the same messages are kept (error.c) */
    bool styled = load_style(a, tpl, o, &p->style, &p->fo, &style_d);
    if (styled && fj) fonts_job_start(fj, &p->style, &p->fo, r, o->strict, d);

    /* history, analytics, the model and its template context */
    hu_history *hist = p->hist = hu_history_load(a, r, o->history_dir, o->history_cache, d);
    hu_history_check(a, hist, o->strict, d); /* last month's figures or text left in place */
    const char *const *hfiles = NULL;
    /* the months actually used: a later month is read while scanning but never changes this
     * report, so it must not make make rebuild it */
    size_t nh = hist ? hu_history_used(hist, &hfiles) : 0;
    for (size_t i = 0; i < nh; i++)
        hu_strlist_add(&res->deps, hfiles[i]);
    for (int m = 1; m < r->month; m++) /* and the workbooks earlier months took figures from */
        if (hu_history_month(hist, m) && hu_history_month(hist, m)->figures_file)
            hu_strlist_add(&res->deps, hu_history_month(hist, m)->figures_file);
    res->history_months = (int)nh;
    /* what a copy of last month's file leaves stale: title, file name, date, org */
    hu_consistency_check(r, hist, o->strict, d);
    char sha[65];
    if (!hu_sha256_file(input, sha)) sha[0] = 0;
    bool from_env;
    long long now = p->now = hu_build_time(&from_env);
    p->from_env = from_env;
    /* An archive rebuilt with SOURCE_DATE_EPOCH would print that moment's date as the 成文日期
     * of every month that does not give one: say so, once per report. */
    if (from_env && !hu_v_get(r->root, "date"))
        hu_warn(d, input, 0, 0, "date",
                "没有写 date（成文日期），而设置了 SOURCE_DATE_EPOCH：成文日期将取该时间的日期，"
                "不是报告的实际日期；归档重建请在输入中写明 date: YYYY-MM-DD");
    hu_diags_append(d, &style_d);
    if (!styled) return HU_EXIT_INPUT;
    p->vs = p->style.settings;
    p->vs.now = now;
    p->model = hu_model_build(a, r, hist, &p->vs, sha[0] ? sha : NULL, tpl->name);
    p->view = hu_view_build(&p->view_arena, p->model);
    if (hu_diags_failed(d)) return HU_EXIT_INPUT;

    return HU_EXIT_OK;
}

/* The largest input that is built on two threads (see hu_report_build): a month of 3 to 10
 * pages is 4 to 20 KB of YAML, a 50-page report about 95 KB, 200 pages 380 KB. */
#define HU_PARALLEL_MAX_INPUT (64 * 1024)

/* ---------------------------------------------------------------- putting outputs in place */

enum { O_MD, O_HTML, O_PDF, O_DOCX, O_XLSX, O_N };

/* What the commit needs of the report, copied out of its arena (which is gone by then). */
struct hu_report_commit {
    char *outdir;
    hu_atomic w[O_N]; /* in the order of O_MD … O_XLSX */
    size_t n;
    char *stem, *period, *org, *title;
    char *figures; /* the figures file's name, "" when the input lists them */
    char fsha[65];
    char known[O_N][65]; /* per w: the SHA-256 of the bytes written, when hashed as written */
};

static char *dup_or_null(const char *s) {
    return s ? hu_strdup(s) : NULL;
}

static void commit_free(hu_report_commit *c) {
    for (size_t i = 0; i < c->n; i++)
        hu_atomic_abort(&c->w[i]); /* nothing for those put in place */
    free(c->outdir);
    free(c->stem);
    free(c->period);
    free(c->org);
    free(c->title);
    free(c->figures);
    free(c);
}

void hu_report_commit_abort(hu_report_commit *c) {
    if (c) commit_free(c);
}

/* Every output is complete: put them all in place, together, under the output folder's lock
 * (two runs building the same month cannot leave a mixed set) and after a journal record (a
 * run killed between the renames and the manifest update cannot leave SHA256SUMS naming the
 * old bytes; manifest.h). */
static int commit_run(hu_report_commit *c, hu_report_result *res, bool *manifest_done,
                      hu_diags *d) {
    int rc = HU_EXIT_OK;
    const char *names[O_N];
    for (size_t i = 0; i < c->n; i++)
        names[i] = hu_path_base(c->w[i].dest);
    /* each output's sum for the journal (manifest.h), before the lock: a file not hashed as
     * it was written is read here, in this worker, not by the run's last step */
    char sumbuf[O_N][HU_MANIFEST_SUM_MAX];
    const char *sums[O_N];
    for (size_t i = 0; i < c->n; i++) {
        hu_manifest_file_sum(c->w[i].tmp, c->known[i][0] ? c->known[i] : NULL, sumbuf[i]);
        sums[i] = sumbuf[i];
    }
    hu_manifest_rec rec = {c->stem,     c->period,       c->org,     c->title, names, c->n,
                           &res->fonts, &res->fallbacks, c->figures, c->fsha,  sums};
    int lock = hu_outdir_lock(c->outdir, d);
    int jfd = -1;
    bool journaled = lock >= 0 && hu_manifest_journal(c->outdir, &rec, &jfd, d);
    if (!journaled) {
        hu_outdir_release(lock);
        commit_free(c);
        return HU_EXIT_BUILD;
    }
    /* the outputs and the journal record made durable together, then renamed; the folder is
     * fsynced once for the whole run (hu_manifest_update, hu_outdir_sync): a batch of a
     * thousand reports waited for a thousand folder fsyncs. A run of one report puts the
     * manifest in place in the same round (hu_manifest_commit). */
    hu_atomic *set[O_N];
    char *dests[O_N];
    for (size_t i = 0; i < c->n; i++) {
        dests[i] = hu_strdup(c->w[i].dest);
        set[i] = &c->w[i];
    }
    bool placed[O_N];
    bool ok = manifest_done
                  ? hu_manifest_commit(c->outdir, lock, set, c->n, jfd, placed, manifest_done, d)
                  : hu_atomic_commit_all(set, c->n, jfd, placed, d);
    if (!ok) rc = HU_EXIT_BUILD;
    for (size_t k = 0; k < c->n; k++) {
        if (placed[k]) hu_strlist_add(&res->outputs, dests[k]);
        free(dests[k]);
    }
    if (jfd >= 0) close(jfd);
    hu_outdir_release(lock);
    commit_free(c);
    if (rc == HU_EXIT_OK && hu_diags_failed(d)) rc = HU_EXIT_BUILD;
    return rc;
}

int hu_report_commit_run(hu_report_commit *c, hu_report_result *res, hu_diags *d) {
    return commit_run(c, res, NULL, d);
}

int hu_report_build(const char *input, const hu_build_opts *o, hu_report_result *res, hu_diags *d) {
    hu_report_commit *c = NULL;
    int rc = hu_report_build_staged(input, o, res, d, &c);
    if (c) rc = hu_report_commit_run(c, res, d);
    return rc;
}

int hu_report_build_with_manifest(const char *input, const hu_build_opts *o, hu_report_result *res,
                                  bool *manifest_done, hu_diags *d) {
    hu_report_commit *c = NULL;
    *manifest_done = false;
    int rc = hu_report_build_staged(input, o, res, d, &c);
    if (c) rc = commit_run(c, res, manifest_done, d);
    return rc;
}

static void fonts_free(void *f) {
    hu_fonts_free(f);
}

int hu_report_build_staged(const char *input, const hu_build_opts *o, hu_report_result *res,
                           hu_diags *d, hu_report_commit **commit) {
    *commit = NULL;
    hu_arena a;
    hu_arena_init(&a);
    int rc = HU_EXIT_OK;
    hu_fonts *fonts = NULL;
    hu_buf md = HU_BUF_INIT;
    char *norm = NULL, *html = NULL;
    cmark_node *doc = NULL;
    spans spans = {NULL, 0, 0};
    hu_xlsx_job *xlsx = NULL;
    bool xlsx_threaded = false;
    hu_diags xlsx_d = HU_DIAGS_INIT; /* its messages, until they are due */
    out_file outs[O_N];
    memset(outs, 0, sizeof outs);
    fonts_job fj;
    memset(&fj, 0, sizeof fj);
    hu_diags tpl_d = HU_DIAGS_INIT; /* the template's messages, until they are due */
    hu_strlist tpl_deps = {0};      /* and the files it read */

    prepared pp;
    rc = prepare(&a, input, o, res, &pp, &fj, d);
    if (rc != HU_EXIT_OK) goto done;
    hu_report *r = pp.r;
    const hu_template *tpl = pp.tpl;
    const char *tfile = tpl->file;
    hu_style style = pp.style;
    hu_font_options fo = pp.fo;
    hu_model_settings vs = pp.vs;
    hu_model *model = pp.model;
    hu_value *view = pp.view;
    bool from_env = pp.from_env;
    long long now = pp.now;

    /* A short report (nearly every month) uses the second core: its workbook is written on a
     * thread while the fonts, the template, the Markdown and the PDF are made, and its font
     * faces are embedded two at a time. A long one does not: the workbook's cells and a second
     * face would be alive beside the PDF's pages (200 pages, -f pdf,xlsx,md: 28.6 → 35.5 MB
     * peak RSS), and its peak matters more than its seconds (issue 19: ≤ 30 MiB at 200
     * pages). */
    struct stat ist;
    bool small = stat(input, &ist) == 0 && ist.st_size <= HU_PARALLEL_MAX_INPUT;
    /* in a batch's worker the other core runs the other worker (hu_report_threads) */
    bool parallel = small && report_threads;
    bool all = o->check && !o->formats; /* check without -f: every output */
    /* The workbook needs the model only: on a thread it starts here, right after the model,
     * and is waited for where it used to be written, before the DOCX (xlsx.h). Not on a thread
     * (-f xlsx alone, a long report) it is written at the end, after the document is freed. */
    if (all || (o->formats & HU_FMT_XLSX)) {
        if (!out_begin(&outs[O_XLSX], o, input, "xlsx", d)) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        /* a DOCX will load libzip, with the real libcrypto: the workbook loads it (dynlib.h) */
        if (all || (o->formats & HU_FMT_DOCX)) hu_dynlib_want_crypto();
        /* libxlsxwriter writes only to a named file: check gives it the null device */
        hu_xlsx_options xo = {vs.now, from_env, out_shown(&outs[O_XLSX], input), NULL};
        xlsx_threaded = parallel && (all || (o->formats & HU_FMT_PDF));
        if (!o->check) xo.staged = &outs[O_XLSX].w; /* hashed and fsynced on its thread */
        xlsx =
            hu_xlsx_start(model, o->check ? "/dev/null" : outs[O_XLSX].w.tmp, &xo, xlsx_threaded);
    }

    /* The template is linted and rendered while the fonts job runs (fonts_job): names the
     * template uses that the view does not have (a typo drops a paragraph silently), then
     * template → Markdown with its structural blocks → the rendered document. What they say
     * and the files the template reads are kept aside and given after the fonts' and the
     * coverage's messages, where they always came; a report whose fonts or coverage fail drops
     * them, as it never linted or rendered its template. */
    /* no spare thread took the job: it runs here, first, in the order it always had */
    if (!fj.threaded) fonts_job_join(&fj);
    /* and when it failed there, the template is not linted: the report ends at the join */
    bool fonts_ok = fj.threaded || (fj.fonts && !hu_diags_failed(&fj.d));
    tpl_d.limit = d->limit; /* appended to d: the same messages are kept (error.c) */
    bool linted = fonts_ok && lint_template(tpl, o->strict, &tpl_d) && !hu_diags_failed(&tpl_d);
    bool rendered = true;
    if (linted && (all || (o->formats & (HU_FMT_MD | HU_FMT_HTML | HU_FMT_PDF | HU_FMT_DOCX)))) {
        hu_mustache_opts mo = {HU_ESC_MARKDOWN, NULL,           0,        true,  hu_strlist_add_cb,
                               &tpl_deps,       hu_block_names, add_span, &spans};
        hu_mustache_resolver mres;
        hu_template_mustache(tpl, &mo, &mres);
        rendered = hu_mustache_render_file_with(tfile, view, &mo, &mres, &md, &tpl_d);
        hu_arena_free(&pp.view_arena); /* the context's last use */
        view = NULL;
        if (rendered) {
            doc = hu_doc_build(md.data ? md.data : "", md.len, spans.v, spans.n);
            hu_buf_free(&md); /* the document holds its own copy of the text */
            free(spans.v), spans.v = NULL;
            norm = hu_markdown_render(doc);
        }
    }

    /* fonts: coverage of every input string, reported with its field and line (fonts_job) */
    fonts_job_join(&fj);
    hu_diags_append(d, &fj.d);
    fonts = fj.fonts, fj.fonts = NULL;
    if (!fonts) {
        rc = fj.user_fault ? HU_EXIT_INPUT : HU_EXIT_BUILD;
        goto done;
    }
    for (size_t i = 0; i < fj.fallbacks.n; i++)
        hu_strlist_add(&res->fallbacks, fj.fallbacks.v[i]);
    hu_fonts_set_parallel_embed(fonts, parallel);
    hu_fonts_set_keep_pages(fonts, small); /* fonts.c, hu_fonts_release_pages */
    if (hu_diags_failed(d)) {
        rc = HU_EXIT_INPUT;
        goto done;
    }
    /* the template's lint and rendering, as if done here */
    hu_diags_append(d, &tpl_d);
    for (size_t i = 0; i < tpl_deps.n; i++)
        hu_strlist_add(&res->deps, tpl_deps.v[i]);
    if (!linted || !rendered) {
        rc = HU_EXIT_INPUT;
        goto done;
    }
    /* A template that renders nothing (every block overridden with nothing, a section around
     * everything that is false) would replace a good report with an empty file and a blank
     * page: refuse, naming the template. */
    if (norm && strspn(norm, " \n\t\r") == strlen(norm)) {
        hu_error(d, tfile, 0, 0, NULL,
                 "模板的输出为空白：请检查模板是否漏写了内容或整段被条件区段隐藏");
        rc = HU_EXIT_INPUT;
        goto done;
    }
    hu_arena_free(&pp.view_arena); /* -f xlsx alone: the template never ran */
    view = NULL;
    /* A reference .docx is template input: a broken one is refused before anything is made,
     * by build (when it makes a DOCX) and check alike, with the input's exit status. */
    if (tpl->reference_docx && (all || (o->formats & HU_FMT_DOCX))) {
        hu_strlist_add(&res->deps, tpl->reference_docx);
        if (!hu_docx_check_reference(tpl->reference_docx, d)) {
            rc = HU_EXIT_INPUT;
            goto done;
        }
    }
    /* check makes every output as build would and writes none (out_begin): whatever build
     * would refuse on the way is reported the same, with the same exit status */
    char md_sha[65] = "";  /* the Markdown hashed as written (hu_report_commit_run) */
    char pdf_sha[65] = ""; /* and the PDF (hu_pdf_stats) */
    if (all || (o->formats & HU_FMT_MD)) {
        if (!out_begin(&outs[O_MD], o, input, "md", d) ||
            (!o->check &&
             !hu_file_write(outs[O_MD].w.tmp, outs[O_MD].w.dest, norm, strlen(norm), d))) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        if (!o->check) {
            hu_sha256_buf(norm, strlen(norm), md_sha);
            hu_atomic_sync_soon(&outs[O_MD].w); /* complete: on the disk before the commit */
        }
    }
    free(norm), norm = NULL; /* written: the text is not needed again */

    if (all || (o->formats & HU_FMT_PDF)) {
        hu_pdf_stats ps = {0};
        if (!out_begin(&outs[O_PDF], o, input, "pdf", d)) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        hu_pdf_options po;
        hu_pdf_options_default(&po);
        po.style = &style;
        po.fonts = fonts;
        po.strict = o->strict;
        po.subset = o->subset;
        po.now = now;
        po.display_path = out_shown(&outs[O_PDF], input);
        po.stats = &ps;
        if (!o->check) {
            po.font_file = add_font_file;
            po.font_file_ctx = res;
        }
        if (!hu_pdf_build(doc, model, &po, out_tmp(&outs[O_PDF]), d)) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        res->pages = (int)ps.pages;
        memcpy(pdf_sha, ps.sha256, sizeof pdf_sha);
        if (!o->check) {
            hu_atomic_sync_soon(&outs[O_PDF].w);
            hu_atomic_sync_soon(&outs[O_MD].w); /* when no thread was idle when it was written */
        }
        for (size_t i = 0; i < style.nfiles; i++)
            hu_strlist_add(&res->deps, style.files[i]);
    }
    /* the workbook is waited for before the DOCX (libzip's localtime shares libc's static
     * time with any gmtime on the other thread); its messages come after the HTML page's, as
     * when it was written last */
    bool xlsx_ok = true;
    char xlsx_sha[65] = ""; /* the workbook hashed on its thread (hu_xlsx_finish_hashed) */
    if (xlsx && xlsx_threaded) {
        xlsx_ok = hu_xlsx_finish_hashed(xlsx, &xlsx_d, xlsx_sha);
        xlsx = NULL;
    }
    if (all || (o->formats & HU_FMT_DOCX)) {
        if (!out_begin(&outs[O_DOCX], o, input, "docx", d)) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        hu_metrics m = hu_metrics_from_fonts(fonts);
        m.use = NULL;
        hu_docx_options xo = {0};
        xo.style = &style;
        xo.metrics = &m;
        hu_docx_font_names(fonts, &fo, xo.font_name);
        xo.title = model->title;
        xo.author = model->org;
        xo.subject = model->period.text;
        xo.created = now;
        xo.reproducible = from_env;
        xo.display_path = out_shown(&outs[O_DOCX], input);
        xo.reference = tpl->reference_docx;
        bool dok;
        if (o->check) {
            hu_buf b = HU_BUF_INIT;
            dok = hu_docx_render(doc, &xo, &b, d);
            hu_buf_free(&b);
        } else {
            dok = hu_docx_write(doc, &xo, outs[O_DOCX].w.tmp, d);
            if (dok) hu_atomic_sync_soon(&outs[O_DOCX].w);
        }
        if (!dok) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        for (size_t i = 0; i < style.nfiles; i++)
            hu_strlist_add(&res->deps, style.files[i]);
    }
    /* the HTML page after the PDF and the DOCX: its renderer turns the document's raw HTML
     * into text */
    if (all || (o->formats & HU_FMT_HTML)) {
        hu_html_place pl = {pp.style.signature_right_chars, pp.style.date_shift_chars,
                            pp.style.signature_blank_before};
        html = hu_markdown_html(doc, model->title, &pl);
        if (!out_begin(&outs[O_HTML], o, input, "html", d) ||
            (!o->check &&
             !hu_file_write(outs[O_HTML].w.tmp, outs[O_HTML].w.dest, html, strlen(html), d))) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        if (!o->check) hu_atomic_sync_soon(&outs[O_HTML].w);
        free(html), html = NULL;
    }
    if (doc) cmark_node_free(doc), doc = NULL; /* its last use was above */
    /* a workbook not on a thread is written here, once the document tree is freed: a long
     * report's cells and its tree are never alive together (check of 8 MB of one-line
     * sections: 799 → 690 MB) */
    if (xlsx) {
        xlsx_ok = hu_xlsx_finish(xlsx, &xlsx_d);
        xlsx = NULL;
    }
    hu_diags_append(d, &xlsx_d);
    if (!xlsx_ok) {
        rc = HU_EXIT_BUILD;
        goto done;
    }
    if (o->check) goto done;
    /* every output is complete: what putting them in place needs (hu_report_commit_run) */
    {
        hu_report_commit *c = hu_xcalloc(1, sizeof *c);
        c->outdir = hu_strdup(o->outdir);
        for (int i = 0; i < O_N; i++)
            if (outs[i].used) {
                if (i == O_MD) memcpy(c->known[c->n], md_sha, sizeof md_sha);
                if (i == O_PDF) memcpy(c->known[c->n], pdf_sha, sizeof pdf_sha);
                if (i == O_XLSX) memcpy(c->known[c->n], xlsx_sha, sizeof xlsx_sha);
                c->w[c->n++] = outs[i].w;
                outs[i].used = false;
            }
        c->stem = hu_path_stem(input);
        c->period = dup_or_null(r->period);
        c->org = dup_or_null(r->org);
        c->title = dup_or_null(r->title);
        c->figures = hu_strdup(r->figures_file ? hu_path_base(r->figures_file) : "");
        if (r->figures_file && !hu_sha256_file(r->figures_file, c->fsha)) c->fsha[0] = 0;
        *commit = c;
    }

done:
    fonts_job_free(&fj); /* not taken when the report failed before its fonts */
    hu_diags_free(&tpl_d);
    hu_strlist_free(&tpl_deps);
    if (xlsx) (void)hu_xlsx_finish(xlsx, NULL); /* the report failed before its workbook */
    hu_diags_free(&xlsx_d);
    for (int i = 0; i < O_N; i++)
        if (outs[i].used) hu_atomic_abort(&outs[i].w);
    if (doc) cmark_node_free(doc);
    free(spans.v);
    free(norm);
    free(html);
    hu_buf_free(&md);
    /* The fonts are freed on the run's spare thread when it has one (spare.h): unmapping the
     * font files and their hb objects took ~1.5 ms of the main thread's CPU (bench/README.md,
     * Session 9), which now overlaps the commit's waits for the disk. */
    if (fonts && hu_spare_submit(fonts_free, fonts) < 0) hu_fonts_free(fonts);
    hu_arena_free(&pp.view_arena);
    hu_arena_free(&a);
    if (rc == HU_EXIT_OK && hu_diags_failed(d)) rc = HU_EXIT_BUILD;
    if (rc != HU_EXIT_OK && *commit) {
        commit_free(*commit);
        *commit = NULL;
    }
    return rc;
}

int hu_report_render(const char *input, const hu_build_opts *o, hu_escape esc, FILE *out,
                     hu_diags *d) {
    hu_arena a;
    hu_arena_init(&a);
    hu_report_result res = {0};
    prepared pp;
    hu_buf md = HU_BUF_INIT;
    int rc = prepare(&a, input, o, &res, &pp, NULL, d);
    if (rc == HU_EXIT_OK && !hu_template_lint(pp.tpl, o->strict, d)) rc = HU_EXIT_INPUT;
    if (rc == HU_EXIT_OK) {
        /* the template's own output, before the document normalises it: what a template
         * writer debugs; structural blocks render their content */
        hu_mustache_opts mo = {esc, NULL, 0, true, NULL, NULL, NULL, NULL, NULL};
        hu_mustache_resolver mres;
        hu_template_mustache(pp.tpl, &mo, &mres);
        if (!hu_mustache_render_file_with(pp.tpl->file, pp.view, &mo, &mres, &md, d))
            rc = HU_EXIT_INPUT;
        else if (md.len && fwrite(md.data, 1, md.len, out) != md.len)
            rc = HU_EXIT_BUILD;
    }
    hu_buf_free(&md);
    hu_report_result_free(&res);
    hu_arena_free(&pp.view_arena);
    hu_arena_free(&a);
    return rc;
}
