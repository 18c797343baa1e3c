#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "utf8.h"

void hu_buf_grow(hu_buf *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = hu_xrealloc(b->data, cap);
    b->cap = cap;
}

void hu_buf_put(hu_buf *b, const void *p, size_t n) {
    hu_buf_grow(b, n);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void hu_buf_puts(hu_buf *b, const char *s) {
    hu_buf_put(b, s, strlen(s));
}
void hu_buf_putc(hu_buf *b, char c) {
    hu_buf_put(b, &c, 1);
}

void hu_buf_put_cp(hu_buf *b, uint32_t cp) {
    char tmp[4];
    size_t n = hu_utf8_encode(cp, tmp);
    hu_buf_put(b, tmp, n);
}

void hu_buf_printf(hu_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    hu_buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void hu_buf_clear(hu_buf *b) {
    b->len = 0;
    if (b->data) b->data[0] = 0;
}

void hu_buf_free(hu_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *hu_buf_detach(hu_buf *b) {
    if (!b->data) hu_buf_grow(b, 0), b->data[0] = 0;
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *hu_buf_cstr(hu_buf *b) {
    return b->data ? b->data : "";
}

char *hu_strdup(const char *s) {
    return s ? hu_strndup(s, strlen(s)) : NULL;
}

char *hu_strndup(const char *s, size_t n) {
    char *p = hu_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void hu_buf_put_json(hu_buf *b, const char *s) {
    hu_buf_putc(b, '"');
    while (s && *s) {
        /* the bytes that need no escape, at once (index.json of a thousand reports) */
        size_t run = 0;
        for (unsigned char c;
             (c = (unsigned char)s[run]) && c != '"' && c != '\\' && c >= 0x20 && c != 0x7f; run++)
            ;
        hu_buf_put(b, s, run);
        s += run;
        if (!*s) break;
        unsigned char c = (unsigned char)*s++;
        if (c == '"' || c == '\\')
            hu_buf_putc(b, '\\'), hu_buf_putc(b, (char)c);
        else
            hu_buf_printf(b, "\\u%04x", c);
    }
    hu_buf_putc(b, '"');
}

char *hu_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    hu_buf b = HU_BUF_INIT;
    if (n > 0) {
        hu_buf_grow(&b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b.data, (size_t)n + 1, fmt, ap);
        va_end(ap);
        b.len = (size_t)n;
    }
    return hu_buf_detach(&b);
}
