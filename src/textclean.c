/* textclean.c - punctuation clean-up, line joining and Chinese numerals (textclean.h). */
#include "textclean.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "utf8.h"

#define DEL 0xFFFFFFFFu /* a deleted code point */

typedef struct {
    uint32_t *cp;
    bool *keep; /* protected: never touched */
    bool *conv; /* converted by us: its hugging spaces go */
    size_t n;
} cps;

static void decode(cps *t, const char *s) {
    size_t len = strlen(s);
    t->cp = hu_xmalloc((len + 1) * sizeof *t->cp);
    t->keep = hu_xcalloc(len + 1, 1);
    t->conv = hu_xcalloc(len + 1, 1);
    t->n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        i += hu_utf8_decode(s + i, len - i, &c);
        t->cp[t->n++] = c;
    }
}

static char *encode(hu_arena *a, const cps *t) {
    hu_buf b = HU_BUF_INIT;
    for (size_t i = 0; i < t->n; i++)
        if (t->cp[i] != DEL) hu_buf_put_cp(&b, t->cp[i]);
    char *r = hu_arena_strdup(a, hu_buf_cstr(&b));
    hu_buf_free(&b);
    return r;
}

static void release(cps *t) {
    free(t->cp);
    free(t->keep);
    free(t->conv);
}

static bool is_space(uint32_t c) {
    return c == ' ' || c == '\t';
}
static bool is_digit(uint32_t c) {
    return c >= '0' && c <= '9';
}
static bool is_alpha(uint32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
/* CJK for the purpose of "next to Chinese": Han, kana, full-width punctuation, “” … — */
static bool cjk(uint32_t c) {
    return c != DEL && hu_is_cjk(c);
}

static void protect(cps *t, size_t from, size_t to) {
    for (size_t i = from; i < to && i < t->n; i++)
        t->keep[i] = true;
}

static bool at_line_start(const cps *t, size_t i) {
    while (i > 0 && is_space(t->cp[i - 1]))
        i--;
    return i == 0 || t->cp[i - 1] == '\n';
}

static bool match_ascii(const cps *t, size_t i, const char *s) {
    for (; *s; s++, i++)
        if (i >= t->n || t->cp[i] != (uint32_t)(unsigned char)*s) return false;
    return true;
}

/* Mark what punctuation clean-up must not touch. URLs are protected in every mode. */
static void mark_protected(cps *t, bool markdown) {
    size_t n = t->n;
    for (size_t i = 0; i < n; i++) {
        /* bare URLs: scheme://… up to a space or a CJK character */
        if (match_ascii(t, i, "http://") || match_ascii(t, i, "https://") ||
            match_ascii(t, i, "ftp://") || match_ascii(t, i, "mailto:")) {
            size_t j = i;
            while (j < n && !is_space(t->cp[j]) && t->cp[j] != '\n' && !cjk(t->cp[j]))
                j++;
            /* a closing punctuation mark at the very end belongs to the sentence */
            while (j > i && (t->cp[j - 1] == ')' || t->cp[j - 1] == ',' || t->cp[j - 1] == '.' ||
                             t->cp[j - 1] == ';' || t->cp[j - 1] == ':' || t->cp[j - 1] == '!' ||
                             t->cp[j - 1] == '?'))
                j--;
            protect(t, i, j);
            i = j;
            continue;
        }
        if (!markdown) continue;
        uint32_t c = t->cp[i];
        if (c == '`' || c == '~') {
            size_t k = i;
            while (k < n && t->cp[k] == c)
                k++;
            size_t run = k - i;
            if (run >= 3 && at_line_start(t, i)) { /* fenced code: to the closing fence */
                size_t j = k;
                for (;;) {
                    while (j < n && t->cp[j] != '\n')
                        j++;
                    if (j >= n) break;
                    j++;
                    size_t s = j;
                    while (s < n && is_space(t->cp[s]))
                        s++;
                    size_t e = s;
                    while (e < n && t->cp[e] == c)
                        e++;
                    if (e - s >= run) {
                        j = e;
                        break;
                    }
                }
                protect(t, i, j);
                i = j;
                continue;
            }
            if (c == '`') { /* code span: to the next run of the same length */
                for (size_t j = k; j < n; j++) {
                    if (t->cp[j] != '`') continue;
                    size_t e = j;
                    while (e < n && t->cp[e] == '`')
                        e++;
                    if (e - j == run) {
                        protect(t, i, e);
                        k = e;
                        break;
                    }
                    j = e;
                }
            }
            i = k - 1;
            continue;
        }
        if (c == '<') { /* HTML comment, autolink or tag: to the closing > */
            size_t j = i + 1;
            if (match_ascii(t, i, "<!--")) {
                while (j < n && !match_ascii(t, j, "-->"))
                    j++;
                protect(t, i, j + 3);
                i = j + 2;
                continue;
            }
            if (j < n && (is_alpha(t->cp[j]) || t->cp[j] == '/')) {
                while (j < n && t->cp[j] != '>' && t->cp[j] != '\n' && !cjk(t->cp[j]))
                    j++;
                if (j < n && t->cp[j] == '>') {
                    protect(t, i, j + 1);
                    i = j;
                }
            }
            continue;
        }
        if (c == ']' && i + 1 < n && t->cp[i + 1] == '(') { /* link destination */
            size_t j = i + 2;
            int depth = 1;
            while (j < n && t->cp[j] != '\n') {
                if (t->cp[j] == '(') depth++;
                if (t->cp[j] == ')' && --depth == 0) break;
                j++;
            }
            protect(t, i + 1, j + 1);
            i = j;
        }
    }
}

static size_t prev_idx(const cps *t, size_t i) { /* index of the previous kept code point */
    while (i > 0) {
        i--;
        if (t->cp[i] != DEL) return i;
    }
    return (size_t)-1;
}

static uint32_t prev_cp(const cps *t, size_t i) {
    size_t p = prev_idx(t, i);
    return p == (size_t)-1 ? 0 : t->cp[p];
}

static uint32_t next_cp(const cps *t, size_t i) {
    return i + 1 < t->n ? t->cp[i + 1] : 0;
}

static uint32_t next_nonspace(const cps *t, size_t i) {
    for (size_t j = i + 1; j < t->n; j++)
        if (!is_space(t->cp[j]) && t->cp[j] != DEL) return t->cp[j];
    return 0;
}

static uint32_t prev_nonspace(const cps *t, size_t i) {
    while (i > 0) {
        i--;
        if (!is_space(t->cp[i]) && t->cp[i] != DEL) return t->cp[i];
    }
    return 0;
}

static bool has_cjk(const cps *t, size_t from, size_t to) {
    for (size_t i = from; i < to; i++)
        if (cjk(t->cp[i]) && !hu_is_cjk_punct(t->cp[i])) return true;
    return false;
}

static void convert(cps *t, size_t i, uint32_t to) {
    t->cp[i] = to;
    t->conv[i] = true;
}

char *hu_text_clean(hu_arena *a, const char *s, bool markdown) {
    if (!s) return NULL;
    cps t;
    decode(&t, s);
    mark_protected(&t, markdown);
    size_t n = t.n;

    /* straight double quotes, paired in order, within one paragraph */
    size_t open = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        if (t.keep[i]) continue;
        if (t.cp[i] == '\n' && next_cp(&t, i) == '\n') open = (size_t)-1;
        if (t.cp[i] != '"') continue;
        if (open == (size_t)-1) {
            open = i;
        } else {
            if (has_cjk(&t, open + 1, i)) {
                convert(&t, open, 0x201C);
                convert(&t, i, 0x201D);
            }
            open = (size_t)-1;
        }
    }

    /* round brackets: a pair converts together when it holds Chinese or touches it */
    size_t *stack = hu_xmalloc((n + 1) * sizeof *stack);
    size_t sp = 0;
    for (size_t i = 0; i < n; i++) {
        if (t.keep[i]) continue;
        if (t.cp[i] == '(') {
            stack[sp++] = i;
        } else if (t.cp[i] == ')') {
            if (sp > 0) {
                size_t o = stack[--sp];
                if (has_cjk(&t, o + 1, i) || cjk(prev_cp(&t, o)) || cjk(next_cp(&t, i))) {
                    convert(&t, o, 0xFF08);
                    convert(&t, i, 0xFF09);
                }
            } else if (cjk(prev_cp(&t, i)) || cjk(next_cp(&t, i))) {
                convert(&t, i, 0xFF09);
            }
        }
    }
    while (sp > 0) { /* unmatched ( */
        size_t o = stack[--sp];
        if (cjk(prev_cp(&t, o)) || cjk(next_cp(&t, o))) convert(&t, o, 0xFF08);
    }
    free(stack);

    /* , ; : ? ! next to Chinese (left neighbour, or the next non-blank on the right) */
    for (size_t i = 0; i < n; i++) {
        if (t.keep[i]) continue;
        uint32_t c = t.cp[i], to = 0;
        switch (c) {
        case ',':
            to = 0xFF0C;
            break;
        case ';':
            to = 0xFF1B;
            break;
        case ':':
            to = 0xFF1A;
            break;
        case '?':
            to = 0xFF1F;
            break;
        case '!':
            to = 0xFF01;
            break;
        default:
            continue;
        }
        uint32_t p = prev_cp(&t, i), q = next_cp(&t, i);
        if (is_digit(p) && is_digit(q)) continue; /* 1,000 and 10:30 */
        if (c == '!' && q == '[') continue;       /* Markdown image */
        if (c == ':' && q == '/') continue;       /* a scheme */
        /* a figure between Chinese and the mark ("完成率95%;") counts as Chinese text */
        size_t k = i;
        while (k > 0 && (is_digit(t.cp[k - 1]) || t.cp[k - 1] == '.' || t.cp[k - 1] == '%' ||
                         t.cp[k - 1] == DEL))
            k--;
        bool figure = k < i && k > 0 && cjk(t.cp[k - 1]);
        if (cjk(p) || figure || cjk(next_nonspace(&t, i)) ||
            (is_space(p) && cjk(prev_nonspace(&t, i))))
            convert(&t, i, to);
    }

    /* blanks hugging a converted mark go (but not line breaks: Markdown needs them) */
    for (size_t i = 0; i < n; i++) {
        if (!t.conv[i]) continue;
        uint32_t c = t.cp[i];
        bool opening = c == 0xFF08 || c == 0x201C;
        bool bracket_close = c == 0xFF09 || c == 0x201D;
        for (size_t j = i; j > 0 && is_space(t.cp[j - 1]) && !t.keep[j - 1]; j--)
            if (!opening || cjk(prev_nonspace(&t, j - 1))) t.cp[j - 1] = DEL;
        for (size_t j = i + 1; j < n && is_space(t.cp[j]) && !t.keep[j]; j++) {
            uint32_t q = next_nonspace(&t, j);
            if (!bracket_close || cjk(q) || is_digit(q)) t.cp[j] = DEL;
        }
    }
    char *r = encode(a, &t);
    release(&t);
    return r;
}

/* YAML folded scalars (>) turn line breaks into spaces before we see them: a run of blanks
 * between two CJK characters is such a fold (Chinese does not separate words), so it goes. */
static void drop_cjk_blanks(cps *t) {
    for (size_t i = 0; i < t->n; i++) {
        if (!is_space(t->cp[i]) || t->keep[i]) continue;
        size_t j = i;
        while (j < t->n && is_space(t->cp[j]))
            j++;
        uint32_t p = prev_cp(t, i), q = j < t->n ? t->cp[j] : 0;
        if (cjk(p) && cjk(q))
            for (size_t k = i; k < j; k++)
                t->cp[k] = DEL;
        i = j - 1;
    }
}

char *hu_text_oneline(hu_arena *a, const char *s) {
    if (!s) return NULL;
    cps t;
    decode(&t, s);
    size_t n = t.n;
    for (size_t i = 0; i < n; i++) {
        if (t.cp[i] != '\n' && t.cp[i] != '\r') continue;
        size_t from = i, to = i;
        while (from > 0 && (is_space(t.cp[from - 1]) || t.cp[from - 1] == '\r'))
            from--;
        while (to + 1 < n &&
               (is_space(t.cp[to + 1]) || t.cp[to + 1] == '\n' || t.cp[to + 1] == '\r'))
            to++;
        uint32_t p = from > 0 ? t.cp[from - 1] : 0, q = to + 1 < n ? t.cp[to + 1] : 0;
        for (size_t j = from; j <= to; j++)
            t.cp[j] = DEL;
        if (p && q && !hu_cjk_joins(p, q)) t.cp[i] = ' ';
        i = to;
    }
    drop_cjk_blanks(&t);
    /* trim */
    for (size_t i = 0; i < n && (t.cp[i] == DEL || is_space(t.cp[i])); i++)
        t.cp[i] = DEL;
    for (size_t i = n; i > 0 && (t.cp[i - 1] == DEL || is_space(t.cp[i - 1])); i--)
        t.cp[i - 1] = DEL;
    char *r = encode(a, &t);
    release(&t);
    return r;
}

char *hu_text_md_blanks(hu_arena *a, const char *s) {
    if (!s) return NULL;
    cps t;
    decode(&t, s);
    mark_protected(&t, true);
    size_t n = t.n;
    /* blanks between CJK inside a line (folded YAML), not in code or indentation */
    for (size_t i = 0; i < n; i++)
        if (is_space(t.cp[i]) && !t.keep[i] && i > 0 && t.cp[i - 1] != '\n' && t.cp[i - 1] != DEL &&
            !is_space(t.cp[i - 1])) {
            size_t j = i;
            while (j < n && is_space(t.cp[j]))
                j++;
            if (j < n && t.cp[j] != '\n' && cjk(t.cp[i - 1]) && cjk(t.cp[j]))
                for (size_t k = i; k < j; k++)
                    t.cp[k] = DEL;
            i = j - 1;
        }
    for (size_t i = n; i > 0 && (t.cp[i - 1] == DEL || is_space(t.cp[i - 1]) ||
                                 t.cp[i - 1] == '\n' || t.cp[i - 1] == '\r');
         i--)
        t.cp[i - 1] = DEL;
    char *r = encode(a, &t);
    release(&t);
    return r;
}

static bool cn_numeral(uint32_t cp) {
    static const uint32_t set[] = {0x96F6 /* 零 */, 0x3007 /* 〇 */, 0x4E00, 0x4E8C, 0x4E09,
                                   0x56DB,          0x4E94,          0x516D, 0x4E03, 0x516B,
                                   0x4E5D,          0x5341 /* 十 */, 0x767E /* 百 */};
    for (size_t i = 0; i < sizeof set / sizeof *set; i++)
        if (cp == set[i]) return true;
    return false;
}

static bool any_digit(uint32_t cp) {
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

size_t hu_text_ordinal_len(const char *s, size_t *mark) {
    size_t n = strlen(s), i = 0, digits = 0;
    uint32_t cp = 0;
#define NEXT() (i < n ? (void)(i += hu_utf8_decode(s + i, n - i, &cp)) : (void)(cp = 0))
    NEXT();
    bool open = cp == '(' || cp == 0xFF08;
    if (open) NEXT();
    bool cn = cn_numeral(cp);
    while (cp && (cn ? cn_numeral(cp) : any_digit(cp)) && digits < 6) {
        digits++;
        NEXT();
    }
    if (!digits) return 0;
    if (open) {
        if (cp != ')' && cp != 0xFF09) return 0;
    } else if (cp == '.' || cp == 0xFF0E) {
        size_t at = i;
        NEXT();
        if (any_digit(cp)) return 0; /* 1.5 */
        i = at;
    } else if (cp != 0x3001 /* 、 */) {
        return 0;
    }
    size_t end = i;
    if (mark) *mark = i;
    for (;;) { /* the blanks after it */
        NEXT();
        if (cp != ' ' && cp != '\t' && cp != 0x3000) break;
        end = i;
    }
#undef NEXT
    return s[end] ? end : 0;
}

const char *hu_cn_number(hu_arena *a, int n) {
    static const char *const d[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n < 0 || n > 9999) return hu_arena_printf(a, "%d", n);
    if (n < 10) return d[n];
    if (n < 20) return n == 10 ? "十" : hu_arena_printf(a, "十%s", d[n % 10]);
    hu_buf b = HU_BUF_INIT;
    static const char *const unit[] = {"千", "百", "十", ""};
    int div[] = {1000, 100, 10, 1};
    bool started = false, zero = false;
    for (int k = 0; k < 4; k++) {
        int digit = n / div[k] % 10;
        if (digit == 0) {
            if (started) zero = true;
            continue;
        }
        if (zero) hu_buf_puts(&b, "零");
        zero = false;
        hu_buf_puts(&b, d[digit]);
        hu_buf_puts(&b, unit[k]);
        started = true;
    }
    char *r = hu_arena_strdup(a, hu_buf_cstr(&b));
    hu_buf_free(&b);
    return r;
}

char *hu_text_strip_end_punct(hu_arena *a, const char *s) {
    if (!s) return NULL;
    cps t;
    decode(&t, s);
    static const uint32_t p[] = {0x3002, 0xFF0E, '.',    0xFF1B, ';',    0xFF0C, ',',
                                 0xFF1A, ':',    0xFF01, '!',    0xFF1F, '?',    0x3001,
                                 ' ',    '\t',   '\n',   '\r',   0x3000};
    for (size_t i = t.n; i > 0; i--) {
        bool hit = false;
        for (size_t k = 0; k < sizeof p / sizeof p[0]; k++)
            if (t.cp[i - 1] == p[k]) hit = true;
        if (!hit) break;
        t.cp[i - 1] = DEL;
    }
    char *r = encode(a, &t);
    release(&t);
    return r;
}

/* Edit distance over bytes counting a swap of two neighbours as one edit (optimal string
 * alignment: "xslx" is 1 from "xlsx"); words longer than 40 bytes are never near anything. */
static size_t edit_distance(const char *s, const char *t) {
    size_t n = strlen(s), m = strlen(t);
    if (n > 40 || m > 40) return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t sub = d[i - 1][j - 1] + (s[i - 1] != t[j - 1]);
            size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            size_t best = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

const char *hu_text_nearest(const char *word, const char *const *known) {
    if (!word || !known) return NULL;
    const char *best = NULL;
    size_t bestd = 99;
    for (const char *const *p = known; *p; p++) {
        size_t dd = edit_distance(word, *p);
        if (dd < bestd) bestd = dd, best = *p;
    }
    return best && bestd <= (strlen(word) > 4 ? 2u : 1u) ? best : NULL;
}
