/* jobresult.c - the records a -j worker's results travel in (jobresult.h). */
#include "jobresult.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strlist.h"

static void rec_put(hu_buf *b, char tag, const char *s, size_t n) {
    hu_buf_printf(b, "%c%zu:", tag, n);
    hu_buf_put(b, s, n);
}

static void rec_str(hu_buf *b, char tag, const char *s) {
    if (s) rec_put(b, tag, s, strlen(s));
}

static void rec_num(hu_buf *b, char tag, long long v) {
    char t[32];
    int n = snprintf(t, sizeof t, "%lld", v);
    rec_put(b, tag, t, (size_t)n);
}

void hu_jobresult_write(hu_buf *b, int status, const hu_report_result *r, const hu_diags *d) {
    rec_num(b, 'S', status);
    for (size_t i = 0; i < d->n; i++) {
        const hu_diag *g = &d->v[i];
        rec_num(b, 'v', g->severity);
        rec_str(b, 'f', g->file);
        rec_num(b, 'l', g->line);
        rec_num(b, 'c', g->col);
        rec_str(b, 'p', g->path);
        rec_str(b, 'm', g->msg ? g->msg : "");
    }
    rec_num(b, 'X', (long long)d->errors);
    rec_num(b, 'Y', (long long)d->warnings);
    for (size_t i = 0; i < r->outputs.n; i++)
        rec_str(b, 'O', r->outputs.v[i]);
    for (size_t i = 0; i < r->deps.n; i++)
        rec_str(b, 'D', r->deps.v[i]);
    rec_str(b, 'T', r->title);
    rec_str(b, 'G', r->org);
    rec_str(b, 'P', r->period);
    rec_str(b, 'M', r->template_desc);
    rec_str(b, 'F', r->figures);
    rec_num(b, 'H', r->history_months);
    rec_num(b, 'N', r->pages);
    rec_put(b, 'Z', "", 0); /* end: a result cut short has none */
}

size_t hu_jobresult_frame(const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        char tag = s[i++];
        size_t len = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (len > HU_JOBRESULT_MAX) return HU_JOBRESULT_BAD;
            len = len * 10 + (size_t)(s[i++] - '0');
        }
        if (i == n) return 0;
        if (s[i] != ':') return HU_JOBRESULT_BAD;
        i++;
        if (len > n - i) return 0;
        i += len;
        if (tag == 'Z') return i;
    }
    return 0;
}

static bool parse_int(const char *s, size_t n, long long lo, long long hi, long long *out) {
    if (!n || n > 19) return false;
    long long v = 0;
    bool neg = s[0] == '-';
    for (size_t i = neg; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    if (neg) v = -v;
    if (v < lo || v > hi) return false;
    *out = v;
    return true;
}

bool hu_jobresult_read(const char *s, size_t len, hu_jobresult_accept accept, void *ctx,
                       int *status_out, hu_report_result *r, hu_diags *d) {
    const char *end = s + len;
    long long status = -1, errors = 0, warnings = 0, v = 0;
    size_t rec_errors = 0, rec_warnings = 0;
    hu_diag g = {0};
    bool in_diag = false, ended = false;
    char *file = NULL, *path = NULL;
    while (s < end && !ended) {
        char tag = *s++;
        size_t n = 0;
        while (s < end && *s >= '0' && *s <= '9' && n < HU_JOBRESULT_MAX)
            n = n * 10 + (size_t)(*s++ - '0');
        if (s >= end || *s != ':' || n > (size_t)(end - s - 1)) goto bad;
        const char *p = ++s;
        s += n;
        char *str = hu_strndup(p, n);
        bool ok = true;
        switch (tag) {
        case 'S':
            ok = parse_int(p, n, HU_EXIT_OK, HU_EXIT_INPUT, &status);
            break;
        case 'v':
            ok = !in_diag && parse_int(p, n, HU_NOTE, HU_ERROR, &v);
            in_diag = true;
            g = (hu_diag){(hu_severity)v, NULL, 0, 0, NULL, NULL};
            break;
        case 'f':
            ok = in_diag && !file && !memchr(p, 0, n);
            if (ok) file = hu_strdup(str);
            break;
        case 'l':
        case 'c':
            ok = in_diag && parse_int(p, n, 0, 1 << 30, &v);
            if (ok) *(tag == 'l' ? &g.line : &g.col) = (int)v;
            break;
        case 'p':
            ok = in_diag && !path && !memchr(p, 0, n);
            if (ok) path = hu_strdup(str);
            break;
        case 'm':
            ok = in_diag;
            if (ok) {
                hu_diag_add(d, g.severity, file, g.line, g.col, path, "%s", str);
                rec_errors += g.severity == HU_ERROR;
                rec_warnings += g.severity == HU_WARNING;
                free(file), free(path);
                file = path = NULL;
                in_diag = false;
            }
            break;
        case 'X':
        case 'Y':
            ok = parse_int(p, n, 0, 1LL << 40, &v);
            *(tag == 'X' ? &errors : &warnings) = v;
            break;
        case 'O':
            ok = !memchr(p, 0, n) && accept(str, ctx);
            if (ok) hu_strlist_add(&r->outputs, str);
            break;
        case 'D':
            ok = n && !memchr(p, 0, n);
            if (ok) hu_strlist_add(&r->deps, str);
            break;
        case 'H':
        case 'N':
            ok = parse_int(p, n, 0, 1 << 30, &v);
            *(tag == 'H' ? &r->history_months : &r->pages) = (int)v;
            break;
        case 'T':
        case 'G':
        case 'P':
        case 'M':
        case 'F': {
            char **dst = tag == 'T'   ? &r->title
                         : tag == 'G' ? &r->org
                         : tag == 'P' ? &r->period
                         : tag == 'M' ? &r->template_desc
                                      : &r->figures;
            ok = !*dst && !memchr(p, 0, n);
            if (ok) *dst = hu_strdup(str);
            break;
        }
        case 'Z':
            ended = true;
            break;
        default:
            ok = false;
        }
        free(str);
        if (!ok) goto bad;
    }
    if (!ended || s != end || in_diag || status < 0) goto bad;
    /* problems the child counted beyond the 200 it recorded still decide the exit status */
    if ((size_t)errors > rec_errors) d->errors += (size_t)errors - rec_errors;
    if ((size_t)warnings > rec_warnings) d->warnings += (size_t)warnings - rec_warnings;
    *status_out = (int)status;
    return true;
bad:
    free(file);
    free(path);
    hu_strlist_free(&r->outputs);
    return false;
}
