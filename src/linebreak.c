/* linebreak.c - break opportunities: libunibreak (UAX #14) + Chinese 禁则.
 *
 * Why libunibreak and not ICU: it is a small C library (one table, no data files, ~100 KB) in
 * Debian (libunibreak-dev), implements UAX #14 including its East Asian rules (ID/OP/CL/NS
 * classes, lang "zh" treats “” ‘’ as opening/closing quotes), and needs no initialisation
 * beyond a one-time table setup. (ICU, used for word segmentation in segment.c, would give the
 * same UAX #14 answer; there is no reason to move this.) UAX #14 alone is not enough for Chinese
 * typesetting, so the GB/T 15834 and clreq prohibitions, the 2-em dash/ellipsis pairs and
 * number+unit runs are enforced here on top of it (format.md §2.1-2.3 and §5). */
#include "linebreak.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <hyphen.h>

#include "alloc.h"
#include "dynlib.h"

/* libunibreak's <linebreak.h> has the same name as this module's header, and src/ comes first
 * on the include path, so its four stable entry points are declared here (libunibreak 1.x). */
void init_linebreak(void);
void set_linebreaks_utf32(const uint32_t *s, size_t len, const char *lang, char *brks);
#define LINEBREAK_MUSTBREAK 0
#define LINEBREAK_ALLOWBREAK 1
#define LINEBREAK_NOBREAK 2

/* libunibreak is loaded with dlopen (dynlib.h), not linked: only a PDF or a DOCX breaks lines,
 * and a linked library costs every start its mapping, relocation and page faults, ~0.25 ms on
 * the virtual machines we measure on (bench/README.md, Session 10). A single build's warm-up
 * thread loads it (report.c hu_report_warm_up) while the main thread reads the input; otherwise
 * the first line breaking does. */
#define HU_UB_FUNCS(X) X(init_linebreak) X(set_linebreaks_utf32)
#define HU_FIELD(f) __typeof__(f) *f;
static struct { HU_UB_FUNCS(HU_FIELD) } ubl;
#undef HU_FIELD
static hu_dynlib ub_lib =
    HU_DYNLIB(HU_LIBUNIBREAK_SONAME, HU_LIBUNIBREAK_PACKAGE, "PDF 和 .docx 的断行");

static void ub_load(void) {
    void *h = hu_dynlib_open(&ub_lib);
    if (!h) return;
#define HU_LOAD(f) hu_dynlib_sym(&ub_lib, h, #f, &ubl.f);
    HU_UB_FUNCS(HU_LOAD)
#undef HU_LOAD
    if (!ub_lib.error[0]) ubl.init_linebreak(); /* its one-time table setup */
}

void hu_linebreak_load(void) {
    (void)hu_dynlib_load(&ub_lib, ub_load);
}

bool hu_linebreak_ready(const char *name, hu_diags *d) {
    return hu_dynlib_ready(&ub_lib, ub_load, name, d);
}

bool hu_linebreak_no_start(uint32_t cp) {
    switch (cp) {
    /* GB/T 15834 5.1.1-5.1.3: pause and stop marks, closing quotes/brackets/book titles */
    case 0x3001:
    case 0xFF0C:
    case 0xFF1B:
    case 0xFF1A:
    case 0x3002:
    case 0xFF01:
    case 0xFF1F:
    case 0xFF09:
    case 0x3015:
    case 0x3011:
    case 0x300B:
    case 0x3009:
    case 0x201D:
    case 0x2019:
    case 0x300D:
    case 0x300F:
    case 0x3017:
    case 0x3019:
    case 0x301B:
    case 0xFF3D:
    case 0xFF5D:
    /* interpuncts, connectors (a lone one; —— and …… pairs are handled by the caller) */
    case 0x00B7:
    case 0x30FB:
    case 0xFF65:
    case 0x2027:
    case 0xFF5E:
    case 0x301C:
    /* Word's zh-CN kinsoku line-start list: half-width closers and unit signs */
    case '!':
    case '%':
    case ')':
    case ',':
    case '.':
    case ':':
    case ';':
    case '?':
    case ']':
    case '}':
    case 0x00B0:
    case 0x2030:
    case 0x2032:
    case 0x2033:
    case 0x2103:
    case 0xFF05:
    case 0xFF0E:
    case 0x3005:
    case 0x30FC:
        return true;
    default:
        return false;
    }
}

bool hu_linebreak_no_end(uint32_t cp) {
    switch (cp) {
    case 0xFF08:
    case 0x3014:
    case 0x3010:
    case 0x300A:
    case 0x3008:
    case 0x201C:
    case 0x2018:
    case 0x300C:
    case 0x300E:
    case 0x3016:
    case 0x3018:
    case 0x301A:
    case 0xFF3B:
    case 0xFF5B:
    case '(':
    case '[':
    case '{':
    case '$':
    case 0x00A3:
    case 0x00A5:
    case 0xFFE5:
    case 0xFF04:
    case 0xFF0F: /* GB-style: solidus not at line end */
        return true;
    default:
        return false;
    }
}

hu_punct_class hu_linebreak_punct_class(uint32_t cp) {
    switch (cp) {
    case 0xFF08:
    case 0x3014:
    case 0x3010:
    case 0x300A:
    case 0x3008:
    case 0x201C:
    case 0x2018:
    case 0x300C:
    case 0x300E:
    case 0x3016:
    case 0x3018:
    case 0xFF3B:
    case 0xFF5B:
        return HU_PUNCT_OPEN;
    case 0xFF09:
    case 0x3015:
    case 0x3011:
    case 0x300B:
    case 0x3009:
    case 0x201D:
    case 0x2019:
    case 0x300D:
    case 0x300F:
    case 0x3017:
    case 0x3019:
    case 0xFF3D:
    case 0xFF5D:
    case 0xFF0C:
    case 0x3002:
    case 0x3001:
    case 0xFF1B:
    case 0xFF1A:
    case 0xFF01:
    case 0xFF1F:
        return HU_PUNCT_CLOSE;
    default:
        return HU_PUNCT_NONE;
    }
}

/* clreq's reduction order inside a line: brackets, quotes and book-title marks first (step 4),
 * then pause marks ，、；： (step 5), full stops 。？！ last (step 7). */
static unsigned char squeeze_prio(uint32_t cp) {
    switch (cp) {
    case 0xFF0C:
    case 0x3001:
    case 0xFF1B:
    case 0xFF1A:
        return 2;
    case 0x3002:
    case 0xFF01:
    case 0xFF1F:
        return 3;
    default:
        return hu_linebreak_punct_class(cp) != HU_PUNCT_NONE ? 1 : 0;
    }
}

void hu_punct_fit_compute(const uint32_t *text, const double *adv_em, size_t n, bool pairs,
                          hu_punct_fit *out) {
    for (size_t i = 0; i < n; i++) {
        hu_punct_fit *f = &out[i];
        memset(f, 0, sizeof *f);
        hu_punct_class c = hu_linebreak_punct_class(text[i]);
        if (c == HU_PUNCT_NONE || adv_em[i] < 0.9) continue;
        double half = adv_em[i] / 2;
        f->prio = squeeze_prio(text[i]);
        f->mid = half;
        f->mid_left = c == HU_PUNCT_OPEN;
        if (c == HU_PUNCT_CLOSE) f->end = half;
        if (c == HU_PUNCT_OPEN) f->start = half;
    }
    if (!pairs) return;
    for (size_t i = 0; i + 1 < n; i++) {
        hu_punct_fit *f = &out[i], *g = &out[i + 1];
        if (!f->prio || !g->prio) continue;
        hu_punct_class c = hu_linebreak_punct_class(text[i]);
        hu_punct_class c2 = hu_linebreak_punct_class(text[i + 1]);
        if (c == HU_PUNCT_CLOSE) {
            /* "），" "。”": the closing mark loses its blank right half */
            f->cut = f->mid;
            f->mid = f->end = 0;
        } else if (c == HU_PUNCT_OPEN && c2 == HU_PUNCT_OPEN) {
            /* "（“": the second opening mark loses its blank left half */
            g->cut = g->mid;
            g->cut_left = true;
            g->mid = g->start = 0;
        }
    }
}

/* ---------- hyphenation (libhyphen) ----------
 * Why libhyphen: it is the hyphenation library of LibreOffice (Debian libhyphen-dev, C, no
 * initialisation beyond loading a pattern file), and Debian's hyphen-en-us holds TeX's US English
 * patterns for it; hand-written rules would hyphenate worse. The dictionary is read once, shared
 * read-only by every thread (hnj_hyphen_hyphenate2 only reads it), and kept to the end.
 *
 * The library is loaded with dlopen (dynlib.h) together with the dictionary, at the first word
 * to hyphenate: most reports have none (the sample 2026-10 has none), and a linked library costs
 * every start its mapping, relocation and page faults (bench/README.md, Session 10). Where it
 * cannot be loaded nothing is hyphenated, as where the dictionary cannot be read; the Debian
 * package depends on both (packaging/cpack.cmake). */
#ifndef HU_HYPHEN_DICT
#define HU_HYPHEN_DICT "/usr/share/hyphen/hyph_en_US.dic"
#endif

#define HU_HY_FUNCS(X) X(hnj_hyphen_load) X(hnj_hyphen_hyphenate2)
#define HU_FIELD(f) __typeof__(f) *f;
static struct { HU_HY_FUNCS(HU_FIELD) } hyl;
#undef HU_FIELD
static hu_dynlib hy_lib = HU_DYNLIB(HU_LIBHYPHEN_SONAME, HU_LIBHYPHEN_PACKAGE, "英文单词断字");

static void hy_load(void) {
    void *h = hu_dynlib_open(&hy_lib);
    if (!h) return;
#define HU_LOAD(f) hu_dynlib_sym(&hy_lib, h, #f, &hyl.f);
    HU_HY_FUNCS(HU_LOAD)
#undef HU_LOAD
}

static pthread_once_t hy_once = PTHREAD_ONCE_INIT;
static HyphenDict *hy_dict;
static void hy_init(void) {
    if (hu_dynlib_load(&hy_lib, hy_load)) hy_dict = hyl.hnj_hyphen_load(HU_HYPHEN_DICT);
}

bool hu_linebreak_hyphens_ready(void) {
    pthread_once(&hy_once, hy_init);
    return hy_dict != NULL;
}

static bool ascii_letter(uint32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A letter, figure or URL/ID mark next to a word makes it part of a token, not a word. */
static bool token_char(uint32_t c) {
    return ascii_letter(c) || (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19) ||
           (c < 0x80 && strchr("/.-_@:#?=&%~+\\", (int)c) && c != 0);
}

/* Words of 5 letters (2 before a hyphen and 3 after, English's least) to 60. */
enum { HY_MIN_WORD = 5, HY_MAX_WORD = 60 };

void hu_linebreak_hyphens(const uint32_t *text, size_t n, unsigned char *hy) {
    memset(hy, 0, n);
    for (size_t s = 0; s < n;) {
        if (!ascii_letter(text[s])) {
            s++;
            continue;
        }
        size_t e = s;
        while (e < n && ascii_letter(text[e]))
            e++;
        size_t len = e - s;
        bool word = len >= HY_MIN_WORD && len <= HY_MAX_WORD;
        /* "Co." ends a word; "example.gov" does not */
        bool dot_end = e < n && text[e] == '.' && (e + 1 >= n || !token_char(text[e + 1]));
        if (s > 0 && token_char(text[s - 1])) word = false;
        if (e < n && token_char(text[e]) && !dot_end) word = false;
        for (size_t i = s + 1; i < e && word; i++)
            if (text[i] >= 'A' && text[i] <= 'Z') word = false; /* HANA, ItemCode */
        /* the dictionary is loaded at the first word to hyphenate (a report without English
         * words never pays for it: about 40 million instructions) */
        if (word && !hu_linebreak_hyphens_ready()) return;
        if (word && len < (size_t)(hy_dict->lhmin + hy_dict->rhmin)) word = false;
        if (word) {
            char low[HY_MAX_WORD + 1], hyph[HY_MAX_WORD + 5];
            for (size_t i = 0; i < len; i++)
                low[i] = (char)(text[s + i] | 0x20);
            low[len] = 0;
            char **rep = NULL;
            int *pos = NULL, *cut = NULL;
            memset(hyph, 0, sizeof hyph);
            if (hyl.hnj_hyphen_hyphenate2(hy_dict, low, (int)len, hyph, NULL, &rep, &pos, &cut) ==
                    0 &&
                !rep) /* a non-standard break (a changed spelling) is not for English */
                for (size_t i = 0; i + 1 < len; i++)
                    hy[s + i] = (unsigned char)(hyph[i] & 1);
            if (rep) {
                for (size_t i = 0; i < len; i++)
                    free(rep[i]);
                free(rep), free(pos), free(cut);
            }
        }
        s = e;
    }
}

/* ---------- URLs, paths and IDs ---------- */

static bool url_before(uint32_t c) {
    return c < 0x80 && c != 0 && strchr("/.,-_~?#%@=&", (int)c);
}

bool hu_linebreak_url_break(const uint32_t *text, size_t n, size_t k) {
    if (k + 1 >= n) return false;
    uint32_t a = text[k], b = text[k + 1];
    if (a == '/' && k > 0 && text[k - 1] == '/') return b != '/'; /* "https://|www" */
    if (a == ':') return b != '/' && b != ':';                    /* "mailto:|x" */
    if (a == '=' || a == '&') return !url_before(b);              /* "?a=|1" */
    if (url_before(b)) {
        /* before a single mark, the mark starting the next line: "gov|.cn", "HN|-KFQ", not
         * inside "//" or a run of marks */
        if (url_before(a) || a == ':') return false;
        if (b == '/' && k + 2 < n && text[k + 2] == '/') return false;
        return true;
    }
    return false;
}

static bool is_dash_char(uint32_t c) {
    return c == 0x2014 || c == 0x2026 || c == 0x22EF;
}

bool hu_linebreak_is_dash_pair(uint32_t a, uint32_t b) {
    return a == b && is_dash_char(a);
}

static bool is_digit(uint32_t c) {
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

/* Characters that belong to the number before them: "12.5%", "3.45亿元", "36℃", "10月份". */
static bool is_num_unit(uint32_t c) {
    return c == '%' || c == 0xFF05 || c == 0x2030 || c == 0x2103 || c == 0x00B0 ||
           c == 0x4E07 /* 万 */ || c == 0x4EBF /* 亿 */ || c == 0x5143 /* 元 */ ||
           /* dates and counters: "2026年" "10月份" "5日" "18个" "12家" "3项" (GB/T 9704-1999
            * 8.2.3: 数字、年份不能回行) */
           c == 0x5E74 /* 年 */ || c == 0x6708 /* 月 */ || c == 0x65E5 /* 日 */ ||
           c == 0x4EFD /* 份 */ || c == 0x4E2A /* 个 */ || c == 0x5BB6 /* 家 */ ||
           c == 0x9879 /* 项 */;
}

void hu_linebreak_compute(const uint32_t *text, size_t n, unsigned char *brk) {
    if (n == 0) return;
    char *ub = hu_xmalloc(n);
    /* without the library (hu_linebreak_ready refuses a PDF or DOCX then) only the rules below */
    if (hu_dynlib_load(&ub_lib, ub_load))
        ubl.set_linebreaks_utf32(text, n, "zh", ub);
    else
        memset(ub, LINEBREAK_NOBREAK, n);
    for (size_t i = 0; i < n; i++)
        brk[i] = ub[i] == LINEBREAK_MUSTBREAK    ? HU_BRK_MUST
                 : ub[i] == LINEBREAK_ALLOWBREAK ? HU_BRK_ALLOW
                                                 : HU_BRK_NO;
    free(ub);
    /* libunibreak marks the end of text as a mandatory break; so do we, and '\n' too. */
    brk[n - 1] = HU_BRK_MUST;

    /* Position of each character within a run of identical dash/ellipsis characters, so a
     * run of four (two 2-em units) may break only between the units. */
    size_t run = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        uint32_t a = text[i], b = text[i + 1];
        if (a == '\n') {
            brk[i] = HU_BRK_MUST;
            continue;
        }
        if (b == '\n') { /* the break belongs after the newline itself */
            brk[i] = HU_BRK_NO;
            continue;
        }
        if (brk[i] == HU_BRK_MUST) brk[i] = HU_BRK_ALLOW; /* stray BK classes inside text */
        run = (i > 0 && text[i - 1] == a && is_dash_char(a)) ? run + 1 : 0;
        bool pair_inside = is_dash_char(a) && a == b && run % 2 == 0;
        bool lone_dash_start = b == 0x2014 && a != 0x2014 && (i + 2 >= n || text[i + 2] != 0x2014);
        bool number =
            is_digit(a) && (is_digit(b) || is_num_unit(b) ||
                            ((b == '.' || b == ',') && i + 2 < n && is_digit(text[i + 2])));
        number =
            number || ((a == '.' || a == ',') && is_digit(b) && i > 0 && is_digit(text[i - 1]));
        /* "3.45亿元": the unit run after the number stays with it */
        number = number || (is_num_unit(a) && is_num_unit(b) && i > 0 &&
                            (is_digit(text[i - 1]) || is_num_unit(text[i - 1])));
        if (pair_inside || lone_dash_start || number || hu_linebreak_no_start(b) ||
            hu_linebreak_no_end(a))
            brk[i] = HU_BRK_NO;
    }
}
