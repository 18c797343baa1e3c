#include "strlist.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

bool hu_strlist_has(const hu_strlist *l, const char *s) {
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s)) return true;
    return false;
}

void hu_strlist_push(hu_strlist *l, const char *s) {
    HU_GROW(l->v, l->n, l->cap);
    size_t n = strlen(s) + 1;
    l->v[l->n] = hu_xmalloc(n);
    memcpy(l->v[l->n++], s, n);
}

void hu_strlist_add(hu_strlist *l, const char *s) {
    if (!s || hu_strlist_has(l, s)) return;
    hu_strlist_push(l, s);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void hu_strlist_sort_unique(hu_strlist *l) {
    if (l->n < 2) return;
    qsort(l->v, l->n, sizeof *l->v, cmp_str);
    size_t w = 1;
    for (size_t i = 1; i < l->n; i++) {
        if (!strcmp(l->v[i], l->v[w - 1]))
            free(l->v[i]);
        else
            l->v[w++] = l->v[i];
    }
    l->n = w;
}

void hu_strlist_add_cb(void *list, const char *s) {
    hu_strlist_add(list, s);
}

void hu_strlist_free(hu_strlist *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
