#include "error.h"

#include "alloc.h"
#include "buf.h"
#include "utf8.h"
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
    HU_GROW(d->v, d->n, d->cap);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = hu_xmalloc(n > 0 ? (size_t)n + 1 : 1);
    va_start(ap, fmt);
    vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    va_end(ap);
    if (n <= 0) msg[0] = 0;
    d->v[d->n++] = (hu_diag){sev, hu_strdup(file), line, col, hu_strdup(path), msg};
}

/* Text from input files (key names, titles, file names) reaches the terminal inside messages:
 * control characters are shown as \xHH so that an escape sequence in a YAML key cannot
 * rewrite the user's screen. C1 controls (U+0080..U+009F) count too. */
static void put_visible(hu_buf *b, const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            hu_buf_printf(b, "\\x%02X", *p);
        else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            hu_buf_printf(b, "\\u%04X", *++p);
        else
            hu_buf_putc(b, (char)*p);
    }
}

void hu_diag_format(const hu_diag *g, char *out, size_t size) {
    if (!size) return;
    const char *sev = g->severity == HU_ERROR     ? "错误"
                      : g->severity == HU_WARNING ? "警告"
                                                  : "提示";
    hu_buf b = HU_BUF_INIT;
    if (g->file) {
        put_visible(&b, g->file);
        if (g->line > 0) hu_buf_printf(&b, ":%d:%d", g->line, g->col > 0 ? g->col : 1);
        hu_buf_puts(&b, ": ");
    }
    hu_buf_printf(&b, "%s: ", sev);
    if (g->path) {
        put_visible(&b, g->path);
        hu_buf_puts(&b, ": ");
    }
    put_visible(&b, g->msg);
    /* cut at a character boundary, never inside a UTF-8 sequence */
    size_t n = b.len < size - 1 ? b.len : hu_utf8_complete(b.data, size - 1);
    memcpy(out, b.data, n);
    out[n] = 0;
    hu_buf_free(&b);
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
