/* paste.h - what text pasted from Word or a web page brings along, cleaned.
 *
 * Word keeps a paragraph's first-line indent as full-width spaces (　　), web pages and Word
 * put no-break spaces (NBSP) between words and invisible zero-width characters anywhere. In
 * a report they make a double indent (the typesetter indents paragraphs itself), a space the
 * CJK spacing rules do not recognise, or a character a font lacks. The cleaner removes the
 * indent and the invisible characters and makes no-break spaces ordinary spaces; it never
 * removes a visible character (a full-width space inside a line, as in 姓　名, stays). The
 * loader (value.c) runs it on every text value and tells the user where, with a notice. */
#ifndef HU_PASTE_H
#define HU_PASTE_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef struct hu_paste_counts {
    size_t indents;   /* full-width spaces at the start of a line, removed */
    size_t spaces;    /* no-break and other typographic spaces, made ordinary spaces */
    size_t invisible; /* zero-width characters, soft hyphens, direction marks, removed */
} hu_paste_counts;

/* Clean s[0..n). Returns NULL when nothing changes; otherwise the cleaned text (arena,
 * NUL-terminated, length in *outn) and what was done in *c. */
char *hu_paste_clean(hu_arena *a, const char *s, size_t n, size_t *outn, hu_paste_counts *c);

/* Offset in src[0..n) of the first character the cleaner would change, where src is the
 * source text of one value (for the notice's line and column); (size_t)-1 when none. A
 * full-width space counts at the start of src or of a line (after ASCII blanks). */
size_t hu_paste_find(const char *src, size_t n);

/* "行首全角空格 2 个（段首缩进由排版生成）、不间断空格 1 个（已换成普通空格）…" */
void hu_paste_describe(const hu_paste_counts *c, char *out, size_t cap);

#endif
