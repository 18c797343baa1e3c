#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

struct hu_arena_block {
    hu_arena_block *next;
    size_t size, used;
    max_align_t data[];
};

#define HU_ARENA_MIN_BLOCK (64 * 1024)

void hu_arena_init(hu_arena *a) {
    a->head = NULL;
    a->total = 0;
}

void hu_arena_free(hu_arena *a) {
    hu_arena_block *b = a->head;
    while (b) {
        hu_arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
    a->total = 0;
}

void *hu_arena_alloc(hu_arena *a, size_t size) {
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0) size = align;
    hu_arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t bs = size > HU_ARENA_MIN_BLOCK ? size : HU_ARENA_MIN_BLOCK;
        b = hu_xmalloc(sizeof(*b) + bs);
        b->size = bs;
        b->used = 0;
        /* A large block goes second so the current small block keeps serving small requests. */
        if (a->head && size > HU_ARENA_MIN_BLOCK / 4) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    a->total += size;
    memset(p, 0, size);
    return p;
}

char *hu_arena_strndup(hu_arena *a, const char *s, size_t n) {
    char *p = hu_arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *hu_arena_strdup(hu_arena *a, const char *s) {
    return s ? hu_arena_strndup(a, s, strlen(s)) : NULL;
}

char *hu_arena_printf(hu_arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return hu_arena_strdup(a, "");
    char *p = hu_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *hu_arena_grow(hu_arena *a, void *old, size_t old_n, size_t new_cap, size_t item) {
    void *p = hu_arena_alloc(a, new_cap * item);
    if (old && old_n) memcpy(p, old, old_n * item);
    return p;
}
