#include "strlist.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

bool hu_strlist_has(const hu_strlist *l, const char *s) {
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s)) return true;
    return false;
}

void hu_strlist_add(hu_strlist *l, const char *s) {
    if (!s || hu_strlist_has(l, s)) return;
    HU_GROW(l->v, l->n, l->cap);
    size_t n = strlen(s) + 1;
    l->v[l->n] = hu_xmalloc(n);
    memcpy(l->v[l->n++], s, n);
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
