/* error.h - the one diagnostic type. Every problem a user can act on is a hu_diag that
 * names the file, line and column, the field path (indicators[2].value) and what was
 * expected versus found. Stages append to a hu_diags list and go on, so a user sees every
 * problem of a file in one run, not only the first. */
#ifndef HU_ERROR_H
#define HU_ERROR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses, documented in README.md. */
enum { HU_EXIT_OK = 0, HU_EXIT_BUILD = 1, HU_EXIT_INPUT = 2 };

typedef enum { HU_NOTE, HU_WARNING, HU_ERROR } hu_severity;

typedef struct hu_diag {
    hu_severity severity;
    char *file;    /* may be NULL */
    int line, col; /* 1-based; 0 when unknown */
    char *path;    /* field path, e.g. "indicators[2].value"; may be NULL */
    char *msg;
} hu_diag;

typedef struct hu_diags {
    hu_diag *v;
    size_t n, cap;
    size_t errors, warnings;
    size_t limit; /* stop recording after this many (0 = default 200); counts go on */
} hu_diags;

#define HU_DIAGS_INIT                                                                              \
    { NULL, 0, 0, 0, 0, 0 }

void hu_diag_add(hu_diags *d, hu_severity sev, const char *file, int line, int col,
                 const char *path, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Shorthands. */
#define hu_error(d, file, line, col, path, ...)                                                    \
    hu_diag_add(d, HU_ERROR, file, line, col, path, __VA_ARGS__)
#define hu_warn(d, file, line, col, path, ...)                                                     \
    hu_diag_add(d, HU_WARNING, file, line, col, path, __VA_ARGS__)

/* "file:line:col: 错误: path: message" — the format editors and make understand. */
void hu_diag_format(const hu_diag *g, char *out, size_t size);
void hu_diags_print(FILE *f, const hu_diags *d);
/* Move all of src to the end of dst (src is left empty). */
void hu_diags_append(hu_diags *dst, hu_diags *src);
void hu_diags_free(hu_diags *d);
static inline bool hu_diags_failed(const hu_diags *d) {
    return d->errors > 0;
}

#endif
