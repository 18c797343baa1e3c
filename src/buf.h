/* buf.h - growable byte buffer (heap, not arena: outputs can be large and are handed on). */
#ifndef HU_BUF_H
#define HU_BUF_H
#include <stddef.h>
#include <stdint.h>

typedef struct hu_buf {
    char *data; /* always NUL-terminated once anything was added */
    size_t len, cap;
} hu_buf;

#define HU_BUF_INIT                                                                                \
    { NULL, 0, 0 }
void hu_buf_grow(hu_buf *b, size_t extra);
void hu_buf_put(hu_buf *b, const void *p, size_t n);
void hu_buf_puts(hu_buf *b, const char *s);
void hu_buf_putc(hu_buf *b, char c);
void hu_buf_put_cp(hu_buf *b, uint32_t cp); /* UTF-8 encode one code point */
/* s as a JSON string, quotes included ("" for NULL); bytes from 0x80 up are copied as they are. */
void hu_buf_put_json(hu_buf *b, const char *s);
void hu_buf_printf(hu_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hu_buf_clear(hu_buf *b);
void hu_buf_free(hu_buf *b);
/* Hand the bytes over (caller frees); the buffer is empty afterwards. Never NULL. */
char *hu_buf_detach(hu_buf *b);
const char *hu_buf_cstr(hu_buf *b); /* "" for an empty buffer */
/* malloc'd copy of s (NULL for NULL); aborts on out-of-memory like every allocation here. */
char *hu_strdup(const char *s);
/* The first n bytes of s (which must have that many), NUL-terminated. */
char *hu_strndup(const char *s, size_t n);
/* A malloc'd formatted string (caller frees); never NULL, never cut short. */
char *hu_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
