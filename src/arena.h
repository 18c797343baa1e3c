/* arena.h - one region per report: everything a build allocates lives here and is
 * freed at once, which keeps batch builds leak-free without per-object bookkeeping. */
#ifndef HU_ARENA_H
#define HU_ARENA_H
#include <stddef.h>

typedef struct hu_arena_block hu_arena_block;
typedef struct hu_arena {
    hu_arena_block *head;
    size_t total; /* bytes handed out, for bench figures */
} hu_arena;

void hu_arena_init(hu_arena *a);
void hu_arena_free(hu_arena *a);
/* Zeroed memory aligned for any type; aborts on out-of-memory (a report cannot go on). */
void *hu_arena_alloc(hu_arena *a, size_t size);
char *hu_arena_strdup(hu_arena *a, const char *s);
char *hu_arena_strndup(hu_arena *a, const char *s, size_t n);
char *hu_arena_printf(hu_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Grow an array held in the arena: returns a copy with room for new_cap items. */
void *hu_arena_grow(hu_arena *a, void *old, size_t old_n, size_t new_cap, size_t item);
/* HU_GROW (alloc.h) for an array held in arena a: makes arr[n] valid, doubling cap (from 8).
 * The old copy stays in the arena until it is freed with it. */
#define HU_ARENA_GROW(a, arr, n, cap)                                                              \
    do {                                                                                           \
        if ((n) >= (cap)) {                                                                        \
            size_t hu_nc_ = (cap) ? (cap)*2 : 8;                                                   \
            while (hu_nc_ <= (n))                                                                  \
                hu_nc_ *= 2;                                                                       \
            (arr) = hu_arena_grow((a), (arr), (n), hu_nc_, sizeof *(arr));                         \
            (cap) = hu_nc_;                                                                        \
        }                                                                                          \
    } while (0)

#endif
