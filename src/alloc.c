/* alloc.c - allocations that do not fail (alloc.h). */
#include "alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

_Noreturn void hu_out_of_memory(size_t n) {
    fprintf(stderr, "huibao: 内存不足（申请 %zu 字节失败） (out of memory)\n", n);
    abort();
}

void *hu_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) hu_out_of_memory(n);
    return p;
}

void *hu_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) hu_out_of_memory(n * size);
    return p;
}

void *hu_xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) hu_out_of_memory(n);
    return q;
}

void *hu_xreallocarray(void *p, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) hu_out_of_memory(SIZE_MAX);
    return hu_xrealloc(p, n * size);
}
