/* linebreak.h - line break opportunities for Chinese text with 禁则 (format.md §2.1-2.3, §5).
 *
 * UAX #14 opportunities come from libunibreak (lang "zh"); the Chinese prohibition rules, the
 * unbreakable 2-em marks (—— ……) and number-with-unit runs are applied on top. The layout
 * engine asks here, never decides breaks itself. */
#ifndef HU_LINEBREAK_H
#define HU_LINEBREAK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum {
    HU_BRK_NO = 0,    /* a line may not end after this character */
    HU_BRK_ALLOW = 1, /* a line may end after this character */
    HU_BRK_MUST = 2   /* a line must end here (hard break '\n', end of text) */
};

/* brk[i] tells whether a line may end after text[i] (between text[i] and text[i+1]).
 * text may hold '\n' for a hard line break; brk of the last character is HU_BRK_MUST. */
void hu_linebreak_compute(const uint32_t *text, size_t n, unsigned char *brk);

/* libunibreak, which hu_linebreak_compute calls, is loaded with dlopen (dynlib.h) by the first
 * caller of one of these: hu_linebreak_load on a warm-up thread; hu_linebreak_ready before a
 * PDF or DOCX is laid out, false with a Chinese error against name in d naming the library's
 * Debian package when it cannot be loaded. */
void hu_linebreak_load(void);
bool hu_linebreak_ready(const char *name, hu_diags *d);

/* GB-style 禁则 (clreq "basic" + solidus): marks that may not start a line ... */
bool hu_linebreak_no_start(uint32_t cp);
/* ... and marks that may not end a line. */
bool hu_linebreak_no_end(uint32_t cp);

/* Where a full-width mark keeps its ink, which tells which half can be squeezed away. */
typedef enum {
    HU_PUNCT_NONE = 0, /* not compressible */
    HU_PUNCT_OPEN,     /* （《“【〔〈「『‘: ink on the right, blank left half */
    HU_PUNCT_CLOSE /* ）》”】〕〉」』’，。、；：！？: ink on the left, blank right half */
} hu_punct_class;
hu_punct_class hu_linebreak_punct_class(uint32_t cp);

/* How much of each full-width mark's advance a line may take away (clreq "Punctuation
 * Adjustment", format.md §2.5 and §2.7; widths in em of the mark's own size). */
typedef struct hu_punct_fit {
    double cut;         /* removed for good: two adjacent marks take 1.5 em ("），" "（（") */
    bool cut_left;      /* the cut comes off the left half (an opening mark after another) */
    double end;         /* may go when the mark ends a line (a closing mark's blank right half) */
    double start;       /* goes when an opening mark starts a wrapped line (its blank left half) */
    double mid;         /* may go inside a line that is squeezed to fit (push-in) */
    bool mid_left;      /* the squeezable half is the left one (opening marks) */
    unsigned char prio; /* squeeze order inside a line: 1 brackets and quotes, 2 ，、；：,
                         * 3 。？！ (clreq's reduction steps 4, 5 and 7); 0 never */
} hu_punct_fit;

/* The fit of text[0..n) whose advances are adv_em[0..n) (em of each character's size). A mark
 * narrower than 0.9 em (a proportional face's) is left alone. pairs applies the adjacent-mark
 * rule (style punct_compress); without it nothing is cut for good. */
void hu_punct_fit_compute(const uint32_t *text, const double *adv_em, size_t n, bool pairs,
                          hu_punct_fit *out);

/* Hyphenation of English words set in Chinese text (clreq: "a Western word must not break
 * except by hyphenation"): hy[i] = 1 when a line may end after text[i] with a hyphen drawn
 * after it. Patterns: libhyphen (the LibreOffice hyphenation library) with Debian's hyphen-en-us
 * dictionary, HU_HYPHEN_DICT (at least 2 letters before the hyphen and 3 after, the
 * dictionary's and TeX's English minimums). Only a word of letters a-z/A-Z standing alone: not an
 * acronym or a CamelCase name (HANA, ItemCode), not a piece of a URL, path, e-mail or ID (a
 * letter, figure or one of / . - _ @ : # ? = & % ~ + \ next to it). Without the dictionary (it
 * did not load), no word is hyphenated. */
void hu_linebreak_hyphens(const uint32_t *text, size_t n, unsigned char *hy);
/* Whether the hyphenation dictionary loaded (for `huibao fonts --check`-style reports and tests).
 */
bool hu_linebreak_hyphens_ready(void);

/* Inside a URL, a path or an ID (a long run of letters, figures and marks without spaces): may a
 * line end after text[k] without adding anything? The Chicago Manual's rule (17th ed., 14.18):
 * after "//" or a colon, before a single "/", ".", ",", "-", "_", "~", "?", "#", "%", "@", before
 * or after "=" and "&". The mark starts the next line, so a line never ends with a "-" (which
 * pdftotext would take for a hyphen and drop) or a "." (which reads as a full stop). */
bool hu_linebreak_url_break(const uint32_t *text, size_t n, size_t k);

/* Two-em marks drawn as a pair of glyphs that must never be split or spread apart. */
bool hu_linebreak_is_dash_pair(uint32_t a, uint32_t b);

#endif
