/* paste.c - clean what Word and web pages paste along with text (see paste.h). */
#include "paste.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* Invisible format characters: zero-width space, non-joiner, joiner, word joiner, BOM used as
 * a zero-width no-break space, soft hyphen, left-to-right and right-to-left marks. */
static bool invisible(uint32_t cp) {
    return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF ||
           cp == 0x00AD || cp == 0x200E || cp == 0x200F;
}

/* Spaces that look like a space but are not the ASCII one (the ideographic space excepted:
 * inside a line it is a deliberate full-width blank). */
static bool odd_space(uint32_t cp) {
    return cp == 0x00A0 || cp == 0x202F || cp == 0x205F || (cp >= 0x2000 && cp <= 0x200A);
}

char *hu_paste_clean(hu_arena *a, const char *s, size_t n, size_t *outn, hu_paste_counts *c) {
    memset(c, 0, sizeof *c);
    char *out = NULL;
    size_t k = 0;
    bool line_start = true;
    uint32_t prev = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = hu_utf8_decode(s + i, n - i, &cp);
        int act = 0; /* 0 keep, 1 drop, 2 make a space */
        if (line_start && cp == 0x3000) {
            act = 1;
            c->indents++;
        } else if (invisible(cp) && !(cp == 0x200D && prev >= 0x1F000)) {
            /* a joiner inside an emoji sequence is part of the picture */
            act = 1;
            c->invisible++;
        } else if (odd_space(cp)) {
            act = 2;
            c->spaces++;
        }
        if (act && !out) {
            out = hu_arena_alloc(a, n + 1);
            memcpy(out, s, i);
            k = i;
        }
        if (out) {
            if (act == 2)
                out[k++] = ' ';
            else if (act == 0)
                memcpy(out + k, s + i, l), k += l;
        }
        if (cp == '\n')
            line_start = true;
        else if (cp != ' ' && cp != '\t' && !(line_start && act == 1))
            line_start = false;
        prev = cp;
        i += l;
    }
    if (!out) return NULL;
    out[k] = 0;
    *outn = k;
    return out;
}

size_t hu_paste_find(const char *src, size_t n) {
    bool line_start = true;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = hu_utf8_decode(src + i, n - i, &cp);
        if ((line_start && cp == 0x3000) || invisible(cp) || odd_space(cp)) return i;
        if (cp == '\n')
            line_start = true;
        else if (cp != ' ' && cp != '\t' && cp != '-' && cp != '|' && cp != '>' && cp != '"' &&
                 cp != '\'')
            line_start = false;
        i += l;
    }
    return (size_t)-1;
}

void hu_paste_describe(const hu_paste_counts *c, char *out, size_t cap) {
    size_t k = 0;
    out[0] = 0;
#define ADD(...)                                                                                   \
    do {                                                                                           \
        if (k < cap) k += (size_t)snprintf(out + k, cap - k, __VA_ARGS__);                         \
    } while (0)
    if (c->indents) ADD("段首的全角空格 %zu 个（已去掉，段首缩进由排版生成）", c->indents);
    if (c->spaces) ADD("%s不间断空格 %zu 个（已换成普通空格）", k ? "、" : "", c->spaces);
    if (c->invisible) ADD("%s看不见的零宽字符 %zu 个（已去掉）", k ? "、" : "", c->invisible);
#undef ADD
}
