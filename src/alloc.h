/* alloc.h - the one allocation policy: out of memory ends the program with a message.
 *
 * huibao handles a report at a time on a desktop or a build server; a failed allocation there
 * means the machine is out of memory, and no partial output is better than any (outputs are
 * written to temporary files and renamed, so an abort leaves the last good report in place).
 * So allocations never return NULL: callers do not check, and there is no half-handled path.
 * Per-report data goes into the arena (arena.h), text into hu_buf (buf.h); these are for the
 * rest. Sizes that multiply are checked for overflow. */
#ifndef HU_ALLOC_H
#define HU_ALLOC_H
#include <stddef.h>

void *hu_xmalloc(size_t n);
void *hu_xcalloc(size_t n, size_t size);
void *hu_xrealloc(void *p, size_t n);
/* realloc to n elements of size bytes each */
void *hu_xreallocarray(void *p, size_t n, size_t size);
/* "huibao: 内存不足" on stderr, then abort(). */
_Noreturn void hu_out_of_memory(size_t n);

/* The growable array: makes arr[n] valid, doubling cap (from 8). arr, n and cap are lvalues of
 * a T *, a size_t and a size_t. */
#define HU_GROW(arr, n, cap)                                                                       \
    do {                                                                                           \
        if ((n) >= (cap)) {                                                                        \
            size_t hu_nc_ = (cap) ? (cap)*2 : 8;                                                   \
            while (hu_nc_ <= (n))                                                                  \
                hu_nc_ *= 2;                                                                       \
            (arr) = hu_xreallocarray((arr), hu_nc_, sizeof *(arr));                                \
            (cap) = hu_nc_;                                                                        \
        }                                                                                          \
    } while (0)

#endif
