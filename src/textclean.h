/* textclean.h - the clean-up an editor does to Chinese text typed on a Latin keyboard, and the
 * Chinese numbers the view needs for ordinals.
 *
 * Punctuation (GB/T 15834-2011): a half-width , ; : ? ! ( ) next to a CJK character becomes
 * ，；：？！（）, and the ASCII spaces hugging it go; straight double quotes around text that
 * contains Chinese become “ ”. Figures keep . and % (and 1,000 or 10:30 keep their marks:
 * digits on both sides), Latin text keeps its own punctuation. In Markdown mode code spans,
 * fenced code, autolinks, URLs, link destinations and HTML comments are left untouched.
 * The input is never modified; results live in the arena. */
#ifndef HU_TEXTCLEAN_H
#define HU_TEXTCLEAN_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

char *hu_text_clean(hu_arena *a, const char *s, bool markdown);

/* A one-paragraph field (title, point, highlight): line breaks and the blanks around them
 * become nothing next to a CJK character and one space otherwise (hu_cjk_joins); trimmed. */
char *hu_text_oneline(hu_arena *a, const char *s);

/* Markdown text: the blanks a folded YAML scalar (>) leaves between two CJK characters go
 * (not in code or indentation), trailing blank space is trimmed. Line breaks stay: the rendered
 * document joins them by the one rule (doc.h), so every output agrees. */
char *hu_text_md_blanks(hu_arena *a, const char *s);

/* Chinese numerals: 1 一, 10 十, 11 十一, 20 二十, 21 二十一, 100 一百, 101 一百零一, up to 9999;
 * other numbers in Arabic digits. */
const char *hu_cn_number(hu_arena *a, int n);

/* Length in bytes of an ordinal typed at the start of a heading — 一、 （一） (一) 1. 1． 1、
 * （1） (1) — with the blanks after it; 0 when s does not start with one, or when nothing would
 * be left. A decimal number ("1.5亿元") is not an ordinal. *mark (may be NULL) gets the length
 * of the ordinal alone, without the blanks. */
size_t hu_text_ordinal_len(const char *s, size_t *mark);

/* Strip trailing whitespace and sentence punctuation (。．.；;，,：:！!？?、) from s. */
char *hu_text_strip_end_punct(hu_arena *a, const char *s);

/* The word of known (NULL-terminated) nearest to word when it is close enough to be a likely
 * typo — an edit distance of at most 1, or 2 for words longer than 4 bytes — else NULL. For
 * the "是否应为……？" of unknown field names, options and commands. A swap of two neighbouring
 * bytes counts as one edit. */
const char *hu_text_nearest(const char *word, const char *const *known);

#endif
