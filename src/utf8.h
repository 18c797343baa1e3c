/* utf8.h - UTF-8 helpers and character classes shared by every stage. */
#ifndef HU_UTF8_H
#define HU_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s (n bytes left). Returns bytes consumed (>=1); on an invalid
 * sequence sets *cp to 0xFFFD and returns 1 so callers always make progress. */
size_t hu_utf8_decode(const char *s, size_t n, uint32_t *cp);
size_t hu_utf8_encode(uint32_t cp, char out[4]);
/* cp (at most U+10FFFF, not a surrogate) as UTF-16 code units: returns 1, or 2 for a surrogate
 * pair above U+FFFF. The one place the pair is computed (ICU's text, PDF text strings,
 * ToUnicode maps, ActualText). */
static inline size_t hu_utf16_encode(uint32_t cp, uint16_t out[2]) {
    if (cp <= 0xFFFF) {
        out[0] = (uint16_t)cp;
        return 1;
    }
    cp -= 0x10000;
    out[0] = (uint16_t)(0xD800 + (cp >> 10));
    out[1] = (uint16_t)(0xDC00 + (cp & 0x3FF));
    return 2;
}
/* Byte offset of the first invalid sequence, or (size_t)-1 when s is valid UTF-8
 * (overlongs, surrogates and code points above U+10FFFF are invalid). */
size_t hu_utf8_validate(const char *s, size_t n);
size_t hu_utf8_count(const char *s, size_t n); /* code points */
/* The code point that ends at s+i (0 when i is 0): the one way to step back over a UTF-8
 * sequence (at most 4 bytes, so invalid input cannot make it run away). */
uint32_t hu_utf8_before(const char *s, size_t i);
/* The length of s[0..n) without a multi-byte sequence cut off at its end: cutting a string at
 * n bytes and then at hu_utf8_complete(s, n) never splits a character (error messages, quoted
 * values and cells cut to a size). */
size_t hu_utf8_complete(const char *s, size_t n);

/* Han ideographs, kana, hangul, CJK symbols and full-width forms: characters set on the
 * em grid, between which a soft line break is no space. */
bool hu_is_cjk(uint32_t cp);
/* The one rule for a line break in running text (a soft break in Markdown, a newline inside a
 * one-paragraph field or an interpolated value): it joins without a space when either
 * neighbour is CJK, and is one space between two other characters (CSS Text 3 segment break
 * transformation; "推进中文⏎ABC" reads 推进中文ABC everywhere). 0 stands for "unknown". */
bool hu_cjk_joins(uint32_t before, uint32_t after);
/* What a soft break between before and after becomes in a line of text (layout, DOCX): true
 * for one space, false when it vanishes — it joins (hu_cjk_joins), or a blank or a hard break
 * is already beside it (never a doubled space). A break at the start or end of a block has ' '
 * on its open side, so it vanishes. */
bool hu_soft_break_is_space(uint32_t before, uint32_t after);
/* Full-width CJK punctuation (，。、；：？！（）《》“”…— and friends). */
bool hu_is_cjk_punct(uint32_t cp);

#endif
