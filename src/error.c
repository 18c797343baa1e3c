#include "error.h"

#include "buf.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void hu_diag_add(hu_diags *d, hu_severity sev, const char *file, int line, int col,
                 const char *path, const char *fmt, ...) {
    if (sev == HU_ERROR)
        d->errors++;
    else if (sev == HU_WARNING)
        d->warnings++;
    size_t limit = d->limit ? d->limit : 200;
    if (d->n >= limit) return;
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = realloc(d->v, d->cap * sizeof *d->v);
        if (!d->v) abort();
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = malloc(n > 0 ? (size_t)n + 1 : 1);
    if (!msg) abort();
    va_start(ap, fmt);
    vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    va_end(ap);
    if (n <= 0) msg[0] = 0;
    d->v[d->n++] = (hu_diag){sev, hu_strdup(file), line, col, hu_strdup(path), msg};
}

void hu_diag_format(const hu_diag *g, char *out, size_t size) {
    const char *sev = g->severity == HU_ERROR     ? "错误"
                      : g->severity == HU_WARNING ? "警告"
                                                  : "提示";
    int k = 0;
    if (g->file && g->line > 0)
        k = snprintf(out, size, "%s:%d:%d: ", g->file, g->line, g->col > 0 ? g->col : 1);
    else if (g->file)
        k = snprintf(out, size, "%s: ", g->file);
    if (k < 0 || (size_t)k >= size) return;
    snprintf(out + k, size - (size_t)k, "%s: %s%s%s", sev, g->path ? g->path : "",
             g->path ? ": " : "", g->msg);
}

void hu_diags_print(FILE *f, const hu_diags *d) {
    char line[4096];
    for (size_t i = 0; i < d->n; i++) {
        hu_diag_format(&d->v[i], line, sizeof line);
        fprintf(f, "%s\n", line);
    }
    size_t shown = d->n, total = d->errors + d->warnings;
    if (total > shown) fprintf(f, "(另有 %zu 条问题未显示)\n", total - shown);
}

void hu_diags_append(hu_diags *dst, hu_diags *src) {
    for (size_t i = 0; i < src->n; i++) {
        hu_diag *g = &src->v[i];
        hu_diag_add(dst, g->severity, g->file, g->line, g->col, g->path, "%s", g->msg);
    }
    /* counts beyond what was recorded still matter for the exit status */
    size_t rec_err = 0, rec_warn = 0;
    for (size_t i = 0; i < src->n; i++) {
        if (src->v[i].severity == HU_ERROR)
            rec_err++;
        else if (src->v[i].severity == HU_WARNING)
            rec_warn++;
    }
    dst->errors += src->errors - rec_err;
    dst->warnings += src->warnings - rec_warn;
    hu_diags_free(src);
}

void hu_diags_free(hu_diags *d) {
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].path);
        free(d->v[i].msg);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}
