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
bool hu_strlist_has(const hu_strlist *l, const char *s);
void hu_strlist_free(hu_strlist *l);
/* For callbacks of the form void (*)(void *ud, const char *path). */
void hu_strlist_add_cb(void *list, const char *s);

#endif
