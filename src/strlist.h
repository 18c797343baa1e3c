/* strlist.h - a small list of owned strings (dependency lists, output lists). */
#ifndef HU_STRLIST_H
#define HU_STRLIST_H
#include <stdbool.h>
#include <stddef.h>

typedef struct hu_strlist {
    char **v;
    size_t n, cap;
} hu_strlist;

void hu_strlist_add(hu_strlist *l, const char *s); /* copies; ignores duplicates */
/* For long lists, where hu_strlist_add's search per string is quadratic: hu_strlist_push
 * copies without the search, hu_strlist_sort_unique then sorts (strcmp) and drops repeats. */
void hu_strlist_push(hu_strlist *l, const char *s);
void hu_strlist_sort_unique(hu_strlist *l);
bool hu_strlist_has(const hu_strlist *l, const char *s);
void hu_strlist_free(hu_strlist *l);
/* For callbacks of the form void (*)(void *ud, const char *path). */
void hu_strlist_add_cb(void *list, const char *s);

#endif
