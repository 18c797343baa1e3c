/* report.c - one report through every stage (see report.h). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "atomic.h"
#include "buf.h"
#include "docx.h"
#include "fonts.h"
#include "history.h"
#include "input.h"
#include "markdown.h"
#include "mustache.h"
#include "paths.h"
#include "pdf.h"
#include "sha256.h"
#include "style.h"
#include "value.h"
#include "view.h"
#include "xlsx.h"

void hu_report_result_free(hu_report_result *r) {
    hu_strlist_free(&r->outputs);
    hu_strlist_free(&r->deps);
    free(r->title);
    free(r->org);
    free(r->period);
    memset(r, 0, sizeof *r);
}

static bool exists(const char *p, bool want_dir) {
    struct stat st;
    return stat(p, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/* ---------------------------------------------------------------- font coverage */

/* Every string of the report is checked against the fonts of the role that will draw it, so
 * a character no font has is reported with its field and line, never silently lost. */
typedef struct covctx {
    hu_fonts *f;
    bool strict;
    hu_diags *d;
    size_t missing;
} covctx;

static void cov(covctx *c, hu_font_role role, const char *s, hu_loc loc, const char *path) {
    if (!s) return;
    c->missing +=
        hu_fonts_check_text(c->f, role, s, loc.file, loc.line, loc.col, path, c->strict, c->d);
}

static hu_loc loc_of(const hu_report *r, const char *key) {
    hu_value *v = hu_v_get(r->root, key);
    return (hu_loc){r->file, v ? v->line : 0, v ? v->col : 0};
}

static void cov_sections(covctx *c, const hu_section *s, size_t n) {
    static const hu_font_role lead[] = {HU_ROLE_HEI, HU_ROLE_HEI, HU_ROLE_KAI, HU_ROLE_BODY,
                                        HU_ROLE_BODY};
    char path[512];
    for (size_t i = 0; i < n; i++) {
        const hu_section *x = &s[i];
        snprintf(path, sizeof path, "%s.title", x->path);
        cov(c, lead[x->level < 5 ? x->level : 4], x->title, x->title_loc, path);
        snprintf(path, sizeof path, "%s.text", x->path);
        cov(c, HU_ROLE_BODY, x->text, x->text_loc, x->plain ? x->path : path);
        for (size_t k = 0; k < x->npoints; k++) {
            snprintf(path, sizeof path, "%s.points[%zu]", x->path, k);
            cov(c, HU_ROLE_BODY, x->points[k].s, x->points[k].loc, path);
        }
        for (size_t k = 0; k < x->nhighlights; k++) {
            snprintf(path, sizeof path, "%s.highlights[%zu]", x->path, k);
            cov(c, HU_ROLE_BODY, x->highlights[k].s, x->highlights[k].loc, path);
        }
        cov_sections(c, x->sections, x->nsections);
    }
}

static size_t check_coverage(hu_fonts *f, const hu_report *r, bool strict, hu_diags *d) {
    covctx c = {f, strict, d, 0};
    cov(&c, HU_ROLE_TITLE, r->title, loc_of(r, "title"), "title");
    cov(&c, HU_ROLE_BODY, r->org, loc_of(r, "org"), "org");
    cov(&c, HU_ROLE_BODY, r->to, loc_of(r, "to"), "to");
    cov(&c, HU_ROLE_BODY, r->preamble, loc_of(r, "preamble"), "preamble");
    cov(&c, HU_ROLE_BODY, r->closing, loc_of(r, "closing"), "closing");
    char path[256];
    for (size_t i = 0; i < r->nindicators; i++) {
        const hu_indicator *ind = &r->indicators[i];
        snprintf(path, sizeof path, "%s.name", ind->path);
        cov(&c, HU_ROLE_BODY, ind->name, ind->loc, path);
        cov(&c, HU_ROLE_SONG, ind->name, ind->loc, path);
        snprintf(path, sizeof path, "%s.unit", ind->path);
        cov(&c, HU_ROLE_BODY, ind->unit, ind->loc, path);
        snprintf(path, sizeof path, "%s.note", ind->path);
        cov(&c, HU_ROLE_BODY, ind->note, ind->loc, path);
    }
    cov_sections(&c, r->sections, r->nsections);
    for (size_t i = 0; i < r->nattachments; i++) {
        snprintf(path, sizeof path, "attachments[%zu]", i);
        cov(&c, HU_ROLE_BODY, r->attachments[i].name, r->attachments[i].loc, path);
    }
    return c.missing;
}

/* ---------------------------------------------------------------- outputs */

/* A string of the view (view.h): view[key] or view[key][sub]; NULL when absent. */
static const char *view_text(const hu_value *view, const char *key, const char *sub) {
    const hu_value *v = hu_v_get(view, key);
    if (sub) v = hu_v_get(v, sub);
    return v && v->kind == HU_V_STR ? v->str : NULL;
}

typedef struct out_file {
    hu_atomic w;
    bool used;
} out_file;

static char *out_path(const char *outdir, const char *input, const char *ext) {
    const char *b = strrchr(input, '/');
    b = b ? b + 1 : input;
    const char *dot = strrchr(b, '.');
    size_t stem = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    hu_buf p = HU_BUF_INIT;
    size_t L = strlen(outdir);
    hu_buf_printf(&p, "%s%s%.*s.%s", outdir, L && outdir[L - 1] == '/' ? "" : "/", (int)stem, b,
                  ext);
    return hu_buf_detach(&p);
}

static void add_font_deps(hu_fonts *f, hu_report_result *res) {
    for (int i = 0; i < hu_fonts_face_count(f); i++) {
        char *p = hu_strdup(hu_fonts_face_path(f, i));
        char *hash = strrchr(p, '#');
        if (hash) *hash = 0;
        hu_strlist_add(&res->deps, p);
        free(p);
    }
}

int hu_report_build(const char *input, const hu_build_opts *o, hu_report_result *res, hu_diags *d) {
    hu_arena a;
    hu_arena_init(&a);
    int rc = HU_EXIT_OK;
    char *templates = NULL, *tdir = NULL, *tfile = NULL;
    hu_fonts *fonts = NULL;
    hu_buf md = HU_BUF_INIT;
    char *norm = NULL, *html = NULL;
    cmark_node *doc = NULL;
    enum { O_MD, O_HTML, O_PDF, O_DOCX, O_XLSX, O_N };
    out_file outs[O_N];
    memset(outs, 0, sizeof outs);

    hu_strlist_add(&res->deps, input);
    hu_report *r = hu_input_load(&a, input, d);
    if (!r) {
        rc = HU_EXIT_INPUT;
        goto done;
    }
    res->title = hu_strdup(r->title);
    res->org = hu_strdup(r->org);
    res->period = hu_strdup(r->period);

    /* template folder */
    const char *tname = o->template_name   ? o->template_name
                        : r->template_name ? r->template_name
                                           : "monthly";
    templates = hu_data_dir("templates");
    if (templates) {
        hu_buf p = HU_BUF_INIT;
        hu_buf_printf(&p, "%s/%s", templates, tname);
        tdir = hu_buf_detach(&p);
        hu_buf_printf(&p, "%s/report.md.mustache", tdir);
        tfile = hu_buf_detach(&p);
    }
    if (!tfile || !exists(tfile, false)) {
        hu_value *tv = hu_v_get(r->root, "template");
        hu_error(d, input, tv && !o->template_name ? tv->line : 0,
                 tv && !o->template_name ? tv->col : 0, "template",
                 "找不到模板“%s”（应为 templates/%s/report.md.mustache）", tname, tname);
        rc = HU_EXIT_INPUT;
        goto done;
    }

    /* history, analytics and the view */
    hu_history *hist = hu_history_load(&a, r, o->history_dir, o->history_cache, d);
    const char *const *hfiles = NULL;
    /* the months actually used: a later month is read while scanning but never changes this
     * report, so it must not make make rebuild it */
    size_t nh = hist ? hu_history_used(hist, &hfiles) : 0;
    for (size_t i = 0; i < nh; i++)
        hu_strlist_add(&res->deps, hfiles[i]);
    char sha[65];
    if (!hu_sha256_file(input, sha)) sha[0] = 0;
    /* style.yaml first: its fonts decide coverage, its `settings:` the wording */
    bool from_env;
    long long now = hu_build_time(&from_env);
    hu_pdf_options po;
    hu_pdf_options_default(&po);
    po.template_dir = tdir;
    for (int i = 0; i < HU_ROLE_COUNT; i++)
        po.font_spec[i] = o->font_spec[i];
    po.strict = o->strict;
    po.subset = o->subset;
    po.now = now;
    hu_style style;
    hu_font_options fo;
    if (hu_pdf_resolve(&a, &po, &style, &fo, d) != 0) {
        rc = HU_EXIT_INPUT;
        goto done;
    }
    hu_view_settings vs;
    hu_view_settings_default(&vs);
    vs.now = now;
    hu_view_settings_apply(&vs, style.settings, style.file, d);
    hu_value *view = hu_view_build(&a, r, hist, &vs, sha[0] ? sha : NULL, d);
    if (!view || hu_diags_failed(d)) {
        rc = HU_EXIT_INPUT;
        goto done;
    }
    hu_v_set_str(&a, view, "template", tname);

    /* fonts: coverage of every input string, reported with its field and line */
    fonts = hu_fonts_open(&fo, d);
    if (!fonts) {
        rc = HU_EXIT_BUILD;
        goto done;
    }
    check_coverage(fonts, r, o->strict, d);
    if (hu_diags_failed(d)) {
        rc = HU_EXIT_INPUT;
        goto done;
    }
    if (!o->formats) {
        /* check: a reference .docx a build would refuse is reported now */
        char ref[4096];
        snprintf(ref, sizeof ref, "%s/reference.docx", tdir);
        if (exists(ref, false) && hu_docx_check_reference(ref, d) != 0) rc = HU_EXIT_INPUT;
        goto done;
    }

    /* template → Markdown */
    if (o->formats & (HU_FMT_MD | HU_FMT_HTML | HU_FMT_PDF | HU_FMT_DOCX)) {
        char *partials = hu_data_dir("templates/partials");
        const char *pd[1] = {partials};
        hu_mustache_opts mo = {HU_ESC_MARKDOWN,   pd,        partials ? 1 : 0, true,
                               hu_strlist_add_cb, &res->deps};
        int mrc = hu_mustache_render_file(tfile, view, &mo, &md, d);
        free(partials);
        if (mrc != 0) {
            rc = HU_EXIT_INPUT;
            goto done;
        }
        norm = hu_markdown_normalize(md.data ? md.data : "", md.len);
        /* A template that renders nothing (every block overridden with nothing, a section
         * around everything that is false) would replace a good report with an empty file and
         * a blank page: refuse, naming the template. */
        if (strspn(norm, " \n\t\r") == strlen(norm)) {
            hu_error(d, tfile, 0, 0, NULL,
                     "模板的输出为空白：请检查模板是否漏写了内容或整段被条件区段隐藏");
            rc = HU_EXIT_INPUT;
            goto done;
        }
    }
    if (o->formats & HU_FMT_MD) {
        char *p = out_path(o->outdir, input, "md");
        bool ok = hu_atomic_begin(&outs[O_MD].w, p, d);
        free(p);
        if (!ok) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        outs[O_MD].used = true;
        FILE *f = fopen(outs[O_MD].w.tmp, "wb");
        if (!f || fwrite(norm, 1, strlen(norm), f) != strlen(norm) || fclose(f) != 0) {
            hu_error(d, outs[O_MD].w.dest, 0, 0, NULL, "写入失败");
            rc = HU_EXIT_BUILD;
            goto done;
        }
    }
    if (o->formats & HU_FMT_HTML) {
        html = hu_markdown_to_html(norm, strlen(norm), r->title);
        char *p = out_path(o->outdir, input, "html");
        bool ok = hu_atomic_begin(&outs[O_HTML].w, p, d);
        free(p);
        if (!ok) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        outs[O_HTML].used = true;
        FILE *f = fopen(outs[O_HTML].w.tmp, "wb");
        if (!f || fwrite(html, 1, strlen(html), f) != strlen(html) || fclose(f) != 0) {
            hu_error(d, outs[O_HTML].w.dest, 0, 0, NULL, "写入失败");
            rc = HU_EXIT_BUILD;
            goto done;
        }
    }
    if (o->formats & HU_FMT_PDF) {
        char *p = out_path(o->outdir, input, "pdf");
        bool ok = hu_atomic_begin(&outs[O_PDF].w, p, d);
        free(p);
        if (!ok) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        outs[O_PDF].used = true;
        doc = hu_markdown_parse(norm, strlen(norm));
        po.display_path = outs[O_PDF].w.dest;
        if (hu_pdf_build(doc, view, &po, outs[O_PDF].w.tmp, d) != 0) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        char style[4096];
        snprintf(style, sizeof style, "%s/style.yaml", tdir);
        if (exists(style, false)) hu_strlist_add(&res->deps, style);
        add_font_deps(fonts, res);
    }
    if (o->formats & HU_FMT_DOCX) {
        char *p = out_path(o->outdir, input, "docx");
        bool ok = hu_atomic_begin(&outs[O_DOCX].w, p, d);
        free(p);
        if (!ok) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        outs[O_DOCX].used = true;
        if (!doc) doc = hu_markdown_parse(norm, strlen(norm));
        hu_metrics m = hu_metrics_from_fonts(fonts);
        m.use = NULL;
        hu_docx_options xo = {0};
        xo.style = &style;
        xo.metrics = &m;
        hu_docx_font_names(fonts, &fo, xo.font_name);
        xo.title = view_text(view, "title", NULL);
        xo.author = view_text(view, "org", NULL);
        xo.subject = view_text(view, "period", "text");
        xo.created = now;
        xo.reproducible = from_env;
        xo.display_path = outs[O_DOCX].w.dest;
        char ref[4096];
        snprintf(ref, sizeof ref, "%s/reference.docx", tdir);
        if (exists(ref, false)) {
            xo.reference = ref;
            hu_strlist_add(&res->deps, ref);
        }
        if (hu_docx_write(doc, &xo, outs[O_DOCX].w.tmp, d) != 0) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        char style_path[4096];
        snprintf(style_path, sizeof style_path, "%s/style.yaml", tdir);
        if (exists(style_path, false) && !hu_strlist_has(&res->deps, style_path))
            hu_strlist_add(&res->deps, style_path);
    }
    if (o->formats & HU_FMT_XLSX) {
        char *p = out_path(o->outdir, input, "xlsx");
        bool ok = hu_atomic_begin(&outs[O_XLSX].w, p, d);
        free(p);
        if (!ok) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
        outs[O_XLSX].used = true;
        const char *b = strrchr(input, '/');
        hu_xlsx_options xo = {vs.now, from_env, b ? b + 1 : input, sha, tname, outs[O_XLSX].w.dest};
        if (hu_xlsx_write(view, outs[O_XLSX].w.tmp, &xo, d) != 0) {
            rc = HU_EXIT_BUILD;
            goto done;
        }
    }
    /* every output is complete: put them all in place */
    for (int i = 0; i < O_N; i++) {
        if (!outs[i].used) continue;
        char *dest = hu_strdup(outs[i].w.dest);
        if (!hu_atomic_commit(&outs[i].w, d))
            rc = HU_EXIT_BUILD;
        else
            hu_strlist_add(&res->outputs, dest);
        free(dest);
        outs[i].used = false;
    }

done:
    for (int i = 0; i < O_N; i++)
        if (outs[i].used) hu_atomic_abort(&outs[i].w);
    if (doc) cmark_node_free(doc);
    free(norm);
    free(html);
    hu_buf_free(&md);
    if (fonts) hu_fonts_free(fonts);
    free(templates);
    free(tdir);
    free(tfile);
    hu_arena_free(&a);
    if (rc == HU_EXIT_OK && hu_diags_failed(d)) rc = HU_EXIT_BUILD;
    return rc;
}
