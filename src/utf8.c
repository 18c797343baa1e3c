#include "utf8.h"

size_t hu_utf8_decode(const char *s, size_t n, uint32_t *cp) {
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) {
        *cp = 0;
        return 0;
    }
    unsigned c = u[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0)
        len = 2, v = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        len = 3, v = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        len = 4, v = c & 0x07, min = 0x10000;
    else
        goto bad;
    if (n < len) goto bad;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) goto bad;
        v = (v << 6) | (u[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) goto bad;
    *cp = v;
    return len;
bad:
    *cp = 0xFFFD;
    return 1;
}

size_t hu_utf8_encode(uint32_t cp, char out[4]) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t hu_utf8_validate(const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = hu_utf8_decode(s + i, n - i, &cp);
        /* A real U+FFFD is 3 bytes; a 1-byte step with FFFD means invalid. */
        if (cp == 0xFFFD && k == 1) return i;
        i += k;
    }
    return (size_t)-1;
}

size_t hu_utf8_count(const char *s, size_t n) {
    size_t i = 0, c = 0;
    uint32_t cp;
    while (i < n) {
        i += hu_utf8_decode(s + i, n - i, &cp);
        c++;
    }
    return c;
}

static bool is_cont(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

uint32_t hu_utf8_before(const char *s, size_t i) {
    if (i == 0) return 0;
    size_t j = i - 1;
    while (j > 0 && i - j < 4 && is_cont((unsigned char)s[j]))
        j--;
    uint32_t cp;
    hu_utf8_decode(s + j, i - j, &cp);
    return cp;
}

size_t hu_utf8_complete(const char *s, size_t n) {
    size_t j = n;
    while (j > 0 && n - j < 4 && is_cont((unsigned char)s[j - 1]))
        j--;
    if (j == 0) return n; /* only continuation bytes: invalid input, nothing to protect */
    unsigned char lead = (unsigned char)s[j - 1];
    size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return (j - 1) + len > n ? j - 1 : n;
}

bool hu_soft_break_is_space(uint32_t before, uint32_t after) {
    return !(hu_cjk_joins(before, after) || before == ' ' || after == ' ' || before == '\n');
}

bool hu_is_cjk(uint32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) ||   /* radicals, CJK symbols, kana, Han */
           (cp >= 0xAC00 && cp <= 0xD7AF) ||   /* hangul */
           (cp >= 0xF900 && cp <= 0xFAFF) ||   /* compatibility ideographs */
           (cp >= 0xFE30 && cp <= 0xFE4F) ||   /* CJK compatibility forms */
           (cp >= 0xFF00 && cp <= 0xFF60) ||   /* full-width forms */
           (cp >= 0xFFE0 && cp <= 0xFFE6) ||   /* full-width signs */
           (cp >= 0x20000 && cp <= 0x3FFFF) || /* Han extensions B.. */
           cp == 0x2014 || cp == 0x2026 ||     /* —— and …… are set full-width in Chinese */
           cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 || cp == 0x00B7;
}

bool hu_cjk_joins(uint32_t before, uint32_t after) {
    return hu_is_cjk(before) || hu_is_cjk(after);
}

bool hu_is_cjk_punct(uint32_t cp) {
    return (cp >= 0x3000 && cp <= 0x303F) || /* 、。〈〉《》「」『』【】〔〕 */
           (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
           (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) || cp == 0x2014 ||
           cp == 0x2026 || cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 ||
           cp == 0x00B7 || (cp >= 0xFE30 && cp <= 0xFE4F);
}
