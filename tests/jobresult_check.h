/* jobresult_check.h - the round trip of a -j child's result (jobresult.h), shared by
 * test_jobresult and fuzz_jobresult: a result built from arbitrary strings is written, read
 * back and compared field by field; every proper prefix of it is refused (a child killed while
 * writing); a result naming an output the parent does not expect is refused. Returns NULL when
 * all hold, else what broke. */
#ifndef HU_JOBRESULT_CHECK_H
#define HU_JOBRESULT_CHECK_H
#include <stdbool.h>
#include <string.h>

#include "jobresult.h"

static bool jrc_accept_out(const char *path, void *ctx) {
    (void)ctx;
    return !strncmp(path, "out/", 4);
}

static bool jrc_same(const char *a, const char *b) {
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool jrc_same_list(const hu_strlist *a, const hu_strlist *b) {
    if (a->n != b->n) return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i])) return false;
    return true;
}

/* r's strings must hold no NUL (they are C strings); outputs must start with "out/". */
static const char *jobresult_check(int status, const hu_report_result *r, const hu_diags *d,
                                   bool all_prefixes) {
    hu_buf b = HU_BUF_INIT;
    hu_jobresult_write(&b, status, r, d);
    const char *bad = NULL;
    hu_report_result back = {0};
    hu_diags dd = HU_DIAGS_INIT;
    int st = -1;
    if (!hu_jobresult_read(b.data, b.len, jrc_accept_out, NULL, &st, &back, &dd))
        bad = "a written result is not read back";
    else if (st != status)
        bad = "status changed";
    else if (!jrc_same(back.title, r->title) || !jrc_same(back.org, r->org) ||
             !jrc_same(back.period, r->period) || !jrc_same(back.template_desc, r->template_desc) ||
             !jrc_same(back.figures, r->figures))
        bad = "title, org, period, template or figures changed";
    else if (!jrc_same_list(&back.outputs, &r->outputs) || !jrc_same_list(&back.deps, &r->deps))
        bad = "outputs or dependencies changed";
    else if (back.history_months != r->history_months || back.pages != r->pages)
        bad = "history months or pages changed";
    else if (dd.n != d->n || dd.errors != d->errors || dd.warnings != d->warnings)
        bad = "diagnostics or their counts changed";
    for (size_t i = 0; !bad && i < d->n; i++) {
        const hu_diag *x = &d->v[i], *y = &dd.v[i];
        if (x->severity != y->severity || x->line != y->line || x->col != y->col ||
            !jrc_same(x->file, y->file) || !jrc_same(x->path, y->path) ||
            strcmp(x->msg ? x->msg : "", y->msg ? y->msg : ""))
            bad = "a diagnostic changed";
    }
    hu_report_result_free(&back);
    hu_diags_free(&dd);
    /* a worker's connection carries result after result: the frame ends where the result does,
     * also when the next one's first bytes follow */
    if (!bad && hu_jobresult_frame(b.data, b.len) != b.len) bad = "the frame is not the result";
    if (!bad) {
        size_t len = b.len;
        hu_buf_put(&b, "S1:0v1:2", 8);
        if (hu_jobresult_frame(b.data, b.len) != len) bad = "the frame runs into the next result";
        b.len = len;
    }
    /* a child killed while writing: no proper prefix is a result */
    for (size_t k = 0; !bad && k < b.len; k++) {
        if (!all_prefixes && k > 64 && k + 64 < b.len && k % 97) continue;
        hu_report_result p = {0};
        hu_diags pd = HU_DIAGS_INIT;
        int ps = -1;
        if (hu_jobresult_read(b.data, k, jrc_accept_out, NULL, &ps, &p, &pd))
            bad = "a result cut short is accepted";
        else if (hu_jobresult_frame(b.data, k) != 0)
            bad = "a result cut short is framed as whole or bad";
        else if (p.outputs.n)
            bad = "a refused result keeps outputs";
        hu_report_result_free(&p);
        hu_diags_free(&pd);
    }
    hu_buf_free(&b);
    return bad;
}

#endif
