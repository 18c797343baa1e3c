/* layout.c - the Chinese typesetter: blocks -> lines -> items -> pages.
 *
 * Three passes:
 *  1. Each block (paragraph, heading, table row ...) is turned into styled characters,
 *     measured through hu_metrics (never libharu), broken into lines with linebreak.c, and
 *     justified. Every line becomes an "item": a height plus glyphs positioned relative to the
 *     item's top, and a flag saying whether a page may begin with it (widow/orphan rules,
 *     keep-with-next for headings, header row of a table, the signature block).
 *  2. The paginator stacks items on pages: body lines stay on the 22-line grid, a page breaks
 *     only before an item that allows it, table headers repeat, and the signature block is
 *     kept with the body by tightening the last page (GB/T 9704 7.3.5.5) rather than moved.
 *  3. Placed glyphs are grouped into runs (same face, size and spacing) that pdf.c draws with
 *     one TextOut each.
 */
#include "layout.h"

#include <cmark-gfm-core-extensions.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "colwidth.h"
#include "linebreak.h"
#include "typeset.h"
#include "doc.h"
#include "segment.h"
#include "titlebreak.h"
#include "utf8.h"

#define EPS 0.01
#define SOFT_BREAK 0x110001u /* placeholder, resolved before measuring */

/* ---------- styled text of one block ---------- */

typedef struct {
    uint32_t *cp;
    uint8_t *role;
    uint8_t *flags; /* TF_BOLD | TF_STRIKE */
    float *size;
    /* measured */
    int *face;
    double *adv;   /* font advance, pt */
    double *w;     /* advance on the line: adv + tracking - pair compression, pt */
    double *shift; /* draw offset (opening bracket squeezed on its left) */
    double *rc;    /* the blank right half removed for good (a closing mark before a mark) */
    double *sq;    /* how much may be squeezed when this glyph ends a line */
    double *mq;    /* how much may be squeezed inside a line (push-in), pt */
    uint8_t *mp;   /* its priority: 1 brackets and quotes, 2 ，、；：, 3 。？！; 0 none */
    uint8_t *ml;   /* the squeezable half is the left one (opening marks) */
    double *stq;   /* squeezed when this glyph starts a wrapped line (an opening mark) */
    double *hyw;   /* the hyphen drawn when a line ends after this letter (BRK_HYPHEN), pt */
    double *ps;    /* prefix sums for the line breaker (sums_compute) */
    unsigned char *brk;
    unsigned char *seg; /* word boundaries (hu_segment_words) when seg_ok: measured once */
    bool seg_ok;
    size_t n, cap; /* characters, room for them (text_grow) */
    size_t mcap;   /* room in the measured arrays (measure_alloc) */
} text;

enum { TF_BOLD = 1, TF_STRIKE = 2 };

/* A text's arrays live in two blocks, one malloc each: the characters as collected (cp, size,
 * role, flags; grown by text_push) and what measure() computes for them (measure_alloc, sized
 * for n). A table's cells are texts of their own, all alive at once, and their eighteen arrays
 * allocated, grown and freed one by one were a tenth of the layout's instructions. */
static void text_grow(text *t) {
    size_t cap = t->cap ? t->cap * 2 : 32;
    char *b = hu_xmalloc(cap * (sizeof *t->cp + sizeof *t->size + 2));
    uint32_t *cp = (uint32_t *)b;
    float *size = (float *)(b + cap * sizeof *cp);
    uint8_t *role = (uint8_t *)(size + cap), *flags = role + cap;
    if (t->n) {
        memcpy(cp, t->cp, t->n * sizeof *cp), memcpy(size, t->size, t->n * sizeof *size);
        memcpy(role, t->role, t->n), memcpy(flags, t->flags, t->n);
    }
    free(t->cp); /* the old block */
    t->cp = cp, t->size = size, t->role = role, t->flags = flags;
    t->cap = cap;
}

static void text_push(text *t, uint32_t cp, int role, unsigned flags, double size) {
    if (t->n >= t->cap) text_grow(t);
    t->seg_ok = false;
    t->cp[t->n] = cp;
    t->role[t->n] = (uint8_t)role;
    t->flags[t->n] = (uint8_t)flags;
    t->size[t->n] = (float)size;
    t->n++;
}

/* Prefix sums over the measured text, so a line's widths and capacities cost O(1):
 * row 0 widths, rows 1-3 the mid-line squeeze of marks of priority 1-3, rows 4-7 the gaps
 * of kind SPACE, EDGE, HAN, LETTER after each character, row 8 the 汉字. */
enum { PS_W, PS_Q1, PS_Q2, PS_Q3, PS_SPACE, PS_EDGE, PS_HAN, PS_LETTER, PS_HANZI, PS_ROWS };

/* The measured arrays for t->n characters (their contents are measure()'s to set). */
static void measure_alloc(text *t) {
    size_t n1 = t->n ? t->n : 1;
    if (t->mcap >= n1) return;
    size_t cap = n1 > 2 * t->mcap ? n1 : 2 * t->mcap;
    free(t->ps); /* the old block */
    double *d = hu_xmalloc((cap + 1) * PS_ROWS * sizeof *d + 8 * cap * sizeof *d +
                           cap * sizeof *t->face + 4 * cap);
    t->ps = d, d += (cap + 1) * PS_ROWS;
    t->adv = d, d += cap;
    t->w = d, d += cap;
    t->shift = d, d += cap;
    t->rc = d, d += cap;
    t->sq = d, d += cap;
    t->mq = d, d += cap;
    t->stq = d, d += cap;
    t->hyw = d, d += cap;
    t->face = (int *)d;
    unsigned char *b = (unsigned char *)(t->face + cap);
    t->mp = b, t->ml = b + cap, t->brk = b + 2 * cap, t->seg = b + 3 * cap;
    t->mcap = cap;
}

static void text_free(text *t) {
    free(t->cp), free(t->ps);
    memset(t, 0, sizeof *t);
}

/* ---------- output under construction ---------- */

typedef struct {
    uint32_t cp;
    int face;
    float size;
    bool bold;
    double x;    /* absolute page x of the glyph origin */
    double dy;   /* baseline below the item's top */
    double adv;  /* advance in the PDF, pt: the natural one less the squeeze */
    uint8_t cut; /* the squeeze, layout.h's hu_run.cut */
} glyph;

typedef struct {
    double x0, y0, x1, y1, w; /* y relative to the item's top, growing downwards */
} rrule;

/* IT_SPACE: white of a fixed height that, unlike IT_BLANK, is kept at a page top */
enum { IT_LINE, IT_BLANK, IT_ROW, IT_SPACE };
typedef struct {
    int kind;
    double h;
    bool brk_ok; /* a page may begin with this item */
    bool snap;   /* starts on the body grid */
    bool sig;    /* signature block */
    bool tail;   /* 结束语, 附件说明 and the blank before them: what follows the body */
    size_t g0, g1, r0, r1; /* glyphs (while the item is set) and rules */
    size_t p0, p1;         /* its runs (prun), once it is closed */
    long outline;          /* -1 or index into outline */
    long header;           /* for table rows: the header row item to repeat, or -1 */
    long cont; /* for table rows: the 续表 line set above the repeated header, or -1 */
    bool oof;  /* out of the flow: placed only as a table's 续表 line */
} item;

/* The glyphs of an item grouped into runs (same face, size, weight, baseline and spacing),
 * positioned relative to the item's top: what a page's hu_runs are made from once the item is
 * placed. An item's glyphs become runs as soon as it is complete (close_item), so only one
 * item's glyphs exist at a time; the characters of all runs are one array (cps). */
typedef struct {
    double x, dy, cs;
    float size;
    uint32_t c0, n; /* characters cps[c0 .. c0 + n) */
    int16_t face;
    bool bold;
} prun;

typedef struct {
    hu_arena *a;
    const hu_style *st;
    const hu_metrics *m;
    hu_diags *d;
    const char *where; /* the name messages carry */
    double W, H, X0, trk, chw;
    glyph *g; /* the glyphs of the item being set */
    size_t ng, gcap;
    prun *pr; /* runs of the closed items, then of the page numbers */
    size_t npr, prcap;
    uint32_t *cps;
    uint8_t *cuts; /* each character's squeeze (hu_run.cut), as many as cps */
    size_t ncps, cpscap, cutcap;
    rrule *r;
    size_t nr, rcap;
    item *it;
    size_t nit, itcap;
    hu_outline_entry *ol;
    size_t nol, olcap;
    bool keep_pending;   /* the previous item is a heading: no page break before the next */
    bool snap_pending;   /* the previous item left the grid (title, table) */
    int cur_level;       /* level of the last ## heading, 0 before any */
    int sig_mode;        /* 1 inside the signature block: paragraphs go to sig */
    bool recipient;      /* inside the recipient block: paragraphs flush left */
    bool in_tail;        /* inside the closing or attachments: items are tail items */
    text sig;            /* the signature block's characters, lines separated by '\n' */
    cmark_node *caption; /* a 表题 paragraph waiting for its table */
    size_t missing;
    text t; /* scratch for the block being set */
} L;

static void close_item(L *l);

static item *new_item(L *l, int kind, double h) {
    close_item(l);
    HU_GROW(l->it, l->nit, l->itcap);
    item *it = &l->it[l->nit++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->h = h;
    it->brk_ok = !l->keep_pending;
    it->snap = l->snap_pending;
    it->g0 = it->g1 = l->ng;
    it->r0 = it->r1 = l->nr;
    it->outline = -1;
    it->tail = l->in_tail;
    it->header = -1;
    it->cont = -1;
    l->keep_pending = false;
    l->snap_pending = false;
    return it;
}

/* ---------- measuring ---------- */

static void sums_compute(text *t);

/* brk[] beyond linebreak.h's values, breaks only the justifier may take: after the dash of a
 * number range ("2026—|2030年"), at HU_PENALTY_RANGE; between a number and its measure word
 * ("142.94|亿元"), at HU_PENALTY_UNIT; at a hyphenation point of an English word
 * ("Health-|ineers", hu_linebreak_hyphens), a hyphen drawn, at HU_PENALTY_HYPHEN. */
enum { BRK_RANGE = 3, BRK_UNIT = 4, BRK_HYPHEN = 5 };

static bool is_digit(uint32_t c) {
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static bool is_han(uint32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x3FFFF) || (c >= 0xF900 && c <= 0xFAFF);
}

/* A number stays with its measure word and its unit: 座谈会4场, 6.8公里, 12.4%, 10亿元,
 * （2026—2030年） never break inside (GB/T 9704-1999 8.2.3: 数字、年份不能回行). Which
 * characters make one number expression is segment.c's decision; a line may break inside one
 * only when it is longer than a third of a line (an ID). */
static void number_words(text *t) {
    if (!t->n) return;
    /* only the words holding a figure are looked at: a text without one is not segmented
     * (ICU's dictionary is most of a paragraph's measuring) */
    bool any_digit = false;
    for (size_t i = 0; i < t->n && !any_digit; i++)
        any_digit = is_digit(t->cp[i]);
    /* the clauses holding a figure (hu_segment_digit_words), unless the text was segmented
     * whole already for a table cell's extent */
    if (any_digit && !t->seg_ok) hu_segment_digit_words(t->cp, t->n, t->seg);
    const unsigned char *b = t->seg;
    for (size_t s = 0; any_digit && s < t->n;) {
        size_t e = s;
        while (e < t->n && !b[e])
            e++;
        if (e >= t->n) e = t->n - 1;
        bool digit = false;
        for (size_t i = s; i <= e; i++)
            digit = digit || is_digit(t->cp[i]);
        if (digit && e - s < 10)
            for (size_t i = s; i < e; i++) {
                bool range = t->cp[i] == 0x2014 || t->cp[i] == 0xFF5E || t->cp[i] == 0x301C;
                /* a year, month or day is never parted from its figure */
                uint32_t u = t->cp[i + 1];
                bool unit =
                    is_digit(t->cp[i]) && is_han(u) && u != 0x5E74 && u != 0x6708 && u != 0x65E5;
                if (unit)
                    t->brk[i] = BRK_UNIT;
                else if (t->brk[i] == HU_BRK_ALLOW)
                    t->brk[i] = range ? BRK_RANGE : HU_BRK_NO;
            }
        s = e + 1;
    }
    /* A sign before a figure ("同比增长|-17.4%"): UAX #14 allows no break before a hyphen
     * (LB21), but used as a minus it belongs to the number after it, which it keeps whole;
     * a last resort like a range's dash. */
    for (size_t i = 0; i + 2 < t->n; i++)
        if (t->brk[i] == HU_BRK_NO && is_han(t->cp[i]) &&
            (t->cp[i + 1] == '-' || t->cp[i + 1] == 0x2212) && is_digit(t->cp[i + 2]))
            t->brk[i] = BRK_RANGE;
}

/* ext: a table cell's extent (colwidth.h) wanted too, from the same computations; the cell is
 * measured at 1 pt, so its sizes in em are its advances. */
static void measure(L *l, text *t, hu_cell_extent *ext) {
    measure_alloc(t);
    t->seg_ok = false;
    for (size_t i = 0; i < t->n; i++) {
        uint32_t cp = t->cp[i];
        double em = 0;
        int face = -1;
        if (cp == '\n') {
            t->face[i] = -1, t->adv[i] = 0;
        } else {
            if (cp == '\t' || cp < 0x20) cp = t->cp[i] = ' ';
            face = l->m->lookup(l->m->ctx, t->role[i], cp, &em);
            if (face < 0 && cp != ' ') {
                /* Never drop a character: draw the typesetter's stand-in 〓. */
                l->missing++;
                t->cp[i] = HU_MISSING_GLYPH;
                face = l->m->lookup(l->m->ctx, t->role[i], HU_MISSING_GLYPH, &em);
                if (face < 0) face = l->m->lookup(l->m->ctx, HU_ROLE_BODY, HU_MISSING_GLYPH, &em);
                if (face < 0) em = 1, face = 0;
            } else if (face < 0) {
                em = 0.25; /* a space no face has: still a gap */
            }
            t->face[i] = face;
            t->adv[i] = em * t->size[i];
        }
        t->w[i] =
            t->adv[i] + (fabs(t->size[i] - l->st->body_size) < EPS && cp != '\n' ? l->trk : 0);
        t->shift[i] = 0;
        t->sq[i] = 0;
    }
    /* Punctuation compression (clreq §2.5, linebreak.h): two adjacent full-width marks take
     * 1.5 em; a closing mark at the end of a line may lose its blank half. */
    size_t n1 = t->n ? t->n : 1;
    /* one block for the scratch: the fits, the sizes in em, the hyphenation points */
    hu_punct_fit *pf = hu_xmalloc(n1 * (sizeof *pf + sizeof(double) + 1));
    double *em = (double *)(pf + n1);
    unsigned char *hy = (unsigned char *)(em + n1);
    for (size_t i = 0; i < t->n; i++)
        em[i] = t->size[i] > 0 ? t->adv[i] / t->size[i] : 0;
    hu_punct_fit_compute(t->cp, em, t->n, l->st->punct_compress, pf);
    for (size_t i = 0; i < t->n; i++) {
        double sz = t->size[i];
        t->w[i] -= pf[i].cut * sz;
        t->shift[i] = pf[i].cut_left ? -pf[i].cut * sz : 0;
        t->rc[i] = pf[i].cut_left ? 0 : pf[i].cut * sz;
        t->sq[i] = pf[i].end * sz;
        /* marks inside a line are squeezed (clreq's reduction steps) only with punct_compress */
        bool mid = l->st->punct_compress && pf[i].prio && pf[i].mid > 0;
        t->mq[i] = mid ? pf[i].mid * sz : 0;
        t->mp[i] = mid ? pf[i].prio : 0;
        t->ml[i] = pf[i].mid_left;
        t->stq[i] = pf[i].start * sz;
    }
    hu_linebreak_compute(t->cp, t->n, t->brk);
    if (ext && t->n) {
        hu_segment_words(t->cp, t->n, t->seg);
        t->seg_ok = true;
        *ext = hu_cell_extent_from(t->cp, t->adv, t->n, pf, t->brk, t->seg);
    }
    number_words(t);
    /* hyphenation points, where the face has a hyphen to draw */
    hu_linebreak_hyphens(t->cp, t->n, hy);
    for (size_t i = 0; i < t->n; i++) {
        t->hyw[i] = 0;
        double hem = 0;
        if (hy[i] && t->brk[i] == HU_BRK_NO &&
            l->m->lookup(l->m->ctx, t->role[i], '-', &hem) >= 0) {
            t->brk[i] = BRK_HYPHEN;
            t->hyw[i] = hem * t->size[i];
        }
    }
    free(pf);
    sums_compute(t);
}

/* ---------- line breaking ---------- */

typedef struct {
    size_t s, e; /* first and last character drawn (e < s: empty line) */
    size_t next; /* where the next line starts */
    bool end;    /* last line of the paragraph or before a hard break: not justified */
} lspec;

typedef enum {
    ALIGN_JUSTIFY, /* both edges; a paragraph's last line and lines before a hard break
                      start-aligned */
    ALIGN_START,
    ALIGN_CENTRE,
    ALIGN_END
} align_kind;

typedef struct {
    double x0, width, indent; /* indent of the first line */
    align_kind align;
} cparams;

static size_t trim_end(const text *t, size_t s, size_t e) {
    while (e > s && t->cp[e] == ' ')
        e--;
    return e;
}

/* What a gap between text[i] and text[i+1] may take when a line is spread (clreq "Line
 * Adjustment"): nothing inside a 2-em mark or before a space; a Latin word space (the gap
 * after the space) and a Han/Latin boundary up to their caps; the gaps between two CJK
 * characters and between two letters or figures (a line that is mostly a URL has few of
 * the former) share what is left equally. */
enum { GAP_NONE, GAP_SPACE, GAP_EDGE, GAP_HAN, GAP_LETTER };

static int gap_kind(const text *t, size_t i) {
    uint32_t a = t->cp[i], b = t->cp[i + 1];
    if (a == '\n' || b == '\n' || b == ' ' || hu_linebreak_is_dash_pair(a, b)) return GAP_NONE;
    if (a == ' ') return GAP_SPACE;
    bool ca = hu_is_cjk(a), cb = hu_is_cjk(b);
    return ca && cb ? GAP_HAN : ca || cb ? GAP_EDGE : GAP_LETTER;
}

static void sums_compute(text *t) {
    double *p = t->ps; /* measure_alloc made room for n + 1 rows */
    for (int r = 0; r < PS_ROWS; r++)
        p[r] = 0;
    for (size_t i = 0; i < t->n; i++) {
        double *a = p + i * PS_ROWS, *b = a + PS_ROWS;
        memcpy(b, a, PS_ROWS * sizeof *a);
        b[PS_W] += t->w[i];
        if (t->mp[i]) b[PS_Q1 + t->mp[i] - 1] += t->mq[i];
        if (i + 1 < t->n) {
            int k = gap_kind(t, i);
            if (k != GAP_NONE) b[PS_SPACE + k - GAP_SPACE] += 1;
        }
        if (is_han(t->cp[i])) b[PS_HANZI] += 1;
    }
}

/* The hyphen a line ending after text[e] draws (a hyphenation point), pt. */
static double hyphen_w(const text *t, size_t e) {
    return t->brk[e] == BRK_HYPHEN ? t->hyw[e] : 0;
}

/* Sum of row r over characters [s, e) (gap rows: the gaps after characters s..e-1). */
static double ps(const text *t, int r, size_t s, size_t e) {
    return e > s ? t->ps[e * PS_ROWS + r] - t->ps[s * PS_ROWS + r] : 0;
}

/* How one line fits its width: what is squeezed (the line-end mark first, then marks inside
 * the line by priority) or how its gaps are spread. */
typedef struct {
    bool ok;         /* fits */
    double cost;     /* badness */
    double startcut; /* an opening mark starting a wrapped line loses its blank half */
    double endcut;   /* the line-end mark's blank half squeezed away */
    double frac[4];  /* share of the squeezable mid-line marks of priority 1-3 taken */
    double sp, edge; /* extra per Latin word space and per Han/Latin boundary, pt */
    double han;      /* extra per gap between CJK characters, pt */
    double letter;   /* extra per gap between two letters or figures, pt */
    double all;      /* extra per gap (a line with no CJK gaps), pt */
    bool all_gaps;   /* all goes to every gap, not only to spaces and boundaries */
    double han_em;   /* han in em, for the caller's report */
} lfit;

static const double bad_squeeze[4] = {HU_BAD_SQUEEZE_END, HU_BAD_SQUEEZE_MID, HU_BAD_SQUEEZE_MID,
                                      HU_BAD_SQUEEZE_STOP};

static double stretch_badness(double x_em) {
    double r = x_em / HU_HAN_STRETCH_OK_EM;
    double b = HU_BAD_STRETCH * r * r * r;
    if (x_em > HU_HAN_STRETCH_OK_EM) b += HU_BAD_STRETCH_OVER * (x_em - HU_HAN_STRETCH_OK_EM);
    return b;
}

/* A floor under fit_line's cost for the line s..e when it is spread (justified, not a last
 * line, not longer than avail), cheaper than fit_line: 0 when there is none to give. Whatever
 * the Latin spaces, the Han/Latin edges and the gaps between letters take (at most their caps),
 * the gaps between 汉字 are left at least (extra - caps) / nh each, and the cost is at least
 * stretch_badness of that, which grows with it. The floor is lowered by a millionth and a
 * millionth of a unit besides, more than the rounding of either sum: the total fit skips a
 * line whose floor cannot beat the best path to its end, so the floor must never exceed the
 * cost fit_line would compute. */
static double stretch_floor(const text *t, size_t s, size_t e, double avail, double startcut,
                            double em) {
    double nat = ps(t, PS_W, s, e + 1) - startcut + hyphen_w(t, e);
    double nh = ps(t, PS_HAN, s, e);
    if (nh <= 0) return 0;
    double caps = HU_SPACE_STRETCH_EM * em * ps(t, PS_SPACE, s, e) +
                  HU_EDGE_STRETCH_EM * em * ps(t, PS_EDGE, s, e) +
                  HU_LETTER_STRETCH_EM * em * ps(t, PS_LETTER, s, e);
    double left = avail - nat - caps;
    if (left <= 2 * EPS) return 0; /* fit_line might spread nothing (extra <= EPS) */
    double b = stretch_badness(left / nh / em);
    return b > 0 ? b * (1 - 1e-6) - 1e-6 : 0;
}

/* The fit of characters s..e as one line of width avail. wrapped: not the paragraph's first
 * line; end: a last line (not spread); justify: spread when short; maxhan: most 汉字 a line
 * may hold (0: no limit). */
static inline __attribute__((always_inline)) lfit fit_line(const text *t, size_t s, size_t e,
                                                           double avail, bool wrapped, bool end,
                                                           bool justify, int maxhan) {
    lfit f = {0};
    double em = t->size[s] > 0 ? t->size[s] : 1;
    f.startcut = wrapped && justify ? t->stq[s] : 0;
    double nat = ps(t, PS_W, s, e + 1) - f.startcut + hyphen_w(t, e);
    if (maxhan > 0 && ps(t, PS_HANZI, s, e + 1) > maxhan) return f;
    if (nat > avail + EPS) {
        double need = nat - avail;
        f.endcut = fmin(need, t->sq[e]);
        need -= f.endcut;
        f.cost += f.endcut / em * bad_squeeze[0];
        for (int p = 1; p <= 3 && need > EPS; p++) {
            double cap = e > s ? ps(t, PS_Q1 + p - 1, s + 1, e) : 0;
            if (cap <= 0) continue;
            double c = fmin(need, cap);
            f.frac[p] = c / cap;
            need -= c;
            f.cost += c / em * bad_squeeze[p];
        }
        if (need > EPS) return f;
        f.ok = true;
        return f;
    }
    f.ok = true;
    if (!justify || end) return f;
    double extra = avail - nat;
    if (extra <= EPS) return f;
    double ns = ps(t, PS_SPACE, s, e), ne = ps(t, PS_EDGE, s, e), nh = ps(t, PS_HAN, s, e);
    double nl = ps(t, PS_LETTER, s, e);
    if (ns > 0) {
        f.sp = fmin(extra / ns, HU_SPACE_STRETCH_EM * em);
        extra -= f.sp * ns;
    }
    if (ne > 0 && extra > EPS) {
        f.edge = fmin(extra / ne, HU_EDGE_STRETCH_EM * em);
        extra -= f.edge * ne;
    }
    if (extra <= EPS) return f;
    if (nh + nl > 0) {
        /* The gaps between 汉字 and those between letters or figures share equally up to
         * HU_HAN_STRETCH_OK_EM; past it the letters and figures take more, up to
         * HU_LETTER_STRETCH_EM (a line of 汉字 is judged by its rhythm, a figure or a Latin
         * word by its shape, which tolerates a little letter-spacing better); only then do
         * the gaps between 汉字 grow past it. */
        double ok = HU_HAN_STRETCH_OK_EM * em;
        double x = extra / (nh + nl);
        if (x > ok && nl > 0) {
            double more = fmin((extra - ok * (nh + nl)) / nl,
                               (HU_LETTER_STRETCH_EM - HU_HAN_STRETCH_OK_EM) * em);
            f.letter = ok + more;
            extra -= f.letter * nl;
            x = nh > 0 ? extra / nh : 0;
            if (nh <= 0 && extra > EPS) f.letter += extra / nl; /* figures only: all they take */
            f.cost += HU_BAD_LETTER * more / em;
        } else {
            f.letter = x;
        }
        f.han = nh > 0 ? x : f.letter;
        f.han_em = f.han / em;
        /* a line of figures only is priced by what its gaps take past the letter limit */
        double judged = nh > 0
                            ? f.han_em
                            : fmax(fmin(f.letter / em, HU_HAN_STRETCH_OK_EM),
                                   f.letter / em - (HU_LETTER_STRETCH_EM - HU_HAN_STRETCH_OK_EM));
        f.cost += stretch_badness(judged);
    } else {
        /* no gap between CJK characters: spread what takes it, or every gap */
        f.all_gaps = ns + ne <= 0;
        double ng = f.all_gaps ? (double)(e - s) : ns + ne;
        if (ng <= 0) {
            f.cost += HU_BAD_STRETCH_OVER * extra / em;
            return f;
        }
        f.all = extra / ng;
        f.cost += stretch_badness(f.all / em);
    }
    if (fmax(f.han, f.letter) > HU_STRETCH_GIVE_UP_EM * em || f.all > HU_STRETCH_GIVE_UP_EM * em)
        f.han = f.letter = f.all = 0;
    return f;
}

/* One greedy line from s: the longest line that fits when its last mark is squeezed to half
 * width. Used where lines are not justified (table cells, code). */
static lspec one_line(const text *t, size_t s, double avail) {
    lspec ls = {s, s, s + 1, false};
    double sum = 0;
    long best = -1;
    bool hard = false;
    for (size_t i = s; i < t->n; i++) {
        if (t->cp[i] == '\n') {
            size_t e = i > s ? trim_end(t, s, i - 1) : s;
            if (i == s || sum - t->sq[e] <= avail + EPS) best = (long)i, hard = true;
            break;
        }
        sum += t->w[i];
        if (t->brk[i] == HU_BRK_ALLOW || t->brk[i] == HU_BRK_MUST) {
            size_t e = trim_end(t, s, i);
            double tw = sum;
            for (size_t k = e + 1; k <= i; k++)
                tw -= t->w[k];
            if (tw - t->sq[e] <= avail + EPS) {
                best = (long)i;
                if (t->brk[i] == HU_BRK_MUST) break;
            } else {
                break;
            }
        } else if (sum - t->w[i] > avail + EPS) {
            break;
        }
    }
    if (best < 0) { /* an unbreakable run longer than the line: cut it where it overflows */
        double acc = 0;
        size_t i = s;
        while (i < t->n && t->cp[i] != '\n' && (i == s || acc + t->w[i] <= avail + EPS))
            acc += t->w[i++];
        ls.e = i - 1;
        ls.next = i;
        ls.end = i >= t->n;
        return ls;
    }
    if (hard) {
        ls.e = (size_t)best > s ? trim_end(t, s, (size_t)best - 1) : s;
        if ((size_t)best == s) ls.e = s - 1; /* empty line */
        ls.next = (size_t)best + 1;
        ls.end = true;
        return ls;
    }
    ls.e = trim_end(t, s, (size_t)best);
    ls.next = (size_t)best + 1;
    ls.end = ls.next >= t->n;
    return ls;
}

static size_t skip_spaces(const text *t, size_t s) {
    while (s < t->n && t->cp[s] == ' ')
        s++;
    return s;
}

/* Greedy lines from s (not justified); returns the count (out grows as needed). */
static size_t break_from(const text *t, const cparams *p, size_t s, bool first, lspec **out,
                         size_t *cap, size_t nl) {
    while (s < t->n) {
        s = skip_spaces(t, s);
        if (s >= t->n) break;
        lspec ls = one_line(t, s, p->width - (first && nl == 0 ? p->indent : 0));
        HU_GROW(*out, nl, *cap);
        (*out)[nl++] = ls;
        s = ls.next;
        first = false;
    }
    return nl;
}

/* A paragraph's last line holding a single character or a character plus punctuation (孤字,
 * clreq "Paragraph Adjustment Rules"). */
static bool lonely(const text *t, size_t s, size_t e) {
    int chars = 0;
    for (size_t i = s; i <= e && e != (size_t)-1 && e >= s; i++)
        if (t->cp[i] != ' ' && !hu_is_cjk_punct(t->cp[i])) chars++;
    return chars <= 1;
}

static bool latin(uint32_t c) {
    return c != ' ' && c != '\n' && !hu_is_cjk(c);
}

/* The marks of a URL, path or ID, next to which a line breaks only as hu_linebreak_url_break
 * says (no emergency break beside them). */
static bool url_mark(uint32_t c) {
    return c < 0x80 && c != 0 && strchr("/.,-_~?#%@=&:", (int)c);
}

/* May a line end after text[k], and at what penalty? At a hyphenation point of an English
 * word, at HU_PENALTY_HYPHEN. Inside a long Latin run (a URL, an ID, HU_LONG_LATIN_EM or more) a
 * line may break at the run's marks as hu_linebreak_url_break says at a small penalty and,
 * between two letters or figures, at a large one (*emergency: warned when taken); a short run
 * moves whole. -1: no. */
static double break_penalty(const text *t, const double *run, size_t k, bool *emergency) {
    *emergency = false;
    if (t->brk[k] == BRK_HYPHEN) return HU_PENALTY_HYPHEN;
    bool inside = k + 1 < t->n && latin(t->cp[k]) && latin(t->cp[k + 1]);
    if (!inside)
        return t->brk[k] == HU_BRK_NO   ? -1
               : t->brk[k] == BRK_RANGE ? HU_PENALTY_RANGE
               : t->brk[k] == BRK_UNIT  ? HU_PENALTY_UNIT
                                        : 0;
    double em = t->size[k] > 0 ? t->size[k] : 1;
    if (run[k] < HU_LONG_LATIN_EM * em) return -1;
    /* a URL, a path or an ID: before its marks, never after a "-" (pdftotext, poppler, joins
     * "HN-⏎KFQ" into "HNKFQ", dropping it) or a "." (a full stop to the eye) */
    if (hu_linebreak_url_break(t->cp, t->n, k)) return HU_PENALTY_LATIN_BREAK;
    if (url_mark(t->cp[k]) || url_mark(t->cp[k + 1])) return -1;
    if (hu_linebreak_no_start(t->cp[k + 1]) || hu_linebreak_no_end(t->cp[k])) return -1;
    *emergency = true;
    return HU_PENALTY_EMERGENCY;
}

static size_t quote(const text *t, size_t s, size_t e, char *buf, size_t size) {
    size_t o = 0;
    for (size_t j = s; j <= e && j < t->n && o + 5 < size; j++)
        o += (size_t)hu_utf8_encode(t->cp[j] == '\n' ? ' ' : t->cp[j], buf + o);
    buf[o] = 0;
    return o;
}

/* The warning for a loose line: its text and the unbreakable piece after it (up to the next
 * break UAX #14 and the 禁则 allow at no penalty). */
static void warn_loose(L *l, const text *t, const lspec *ls, double han_em) {
    char line[200], piece[120];
    quote(t, ls->s, ls->e, line, sizeof line);
    size_t a = skip_spaces(t, ls->next), b = a;
    while (b + 1 < t->n && t->brk[b] != HU_BRK_ALLOW && t->brk[b] != HU_BRK_MUST && b < a + 30)
        b++;
    quote(t, a, b, piece, sizeof piece);
    hu_warn(l->d, l->where, 0, 0, NULL,
            "“%s”一行字距偏大（字间多出%.2f个字宽）：其后的“%s”不能拆开移到这一行；"
            "调整这两处的措辞或语序可以避免",
            line, han_em, piece);
}

/* Total fit (Knuth and Plass's idea without its boxes and glue): the breaking of the whole
 * paragraph whose lines' badness and breaks' penalties sum least. A start from which no
 * allowed break fits (a run longer than the line) gets an emergency break, warned. */
static size_t break_justified(L *l, const text *t, const cparams *p, lspec **out, size_t *cap) {
    size_t n = t->n;
    double *best = hu_xmalloc((n + 1) * sizeof *best);
    long *prev = hu_xmalloc((n + 1) * sizeof *prev);
    double *run = hu_xmalloc((n ? n : 1) * sizeof *run);
    bool *emerg = hu_xcalloc(n + 1, sizeof *emerg);
    /* run[i]: the width of the Latin run holding i */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double w = 0;
        while (j < n && latin(t->cp[j]))
            w += t->w[j++];
        if (j == i) {
            run[i++] = 0;
            continue;
        }
        for (; i < j; i++)
            run[i] = w;
    }
    /* pen[k]: what a line ending after text[k] pays (break_penalty depends on k alone), -1
     * where none may end; pem[k]: that break is an emergency one */
    double *pen = hu_xmalloc((n ? n : 1) * sizeof *pen);
    bool *pem = hu_xmalloc((n ? n : 1) * sizeof *pem);
    for (size_t k = 0; k < n; k++)
        pen[k] = t->cp[k] == '\n' ? (pem[k] = false, 0) : break_penalty(t, run, k, &pem[k]);
    for (size_t i = 0; i <= n; i++)
        best[i] = INFINITY, prev[i] = -1;
    best[0] = 0; /* node k+1: a line ends after text[k]; node 0: the paragraph's start */
    int maxhan = l->st->chars_per_line > 0 ? l->st->chars_per_line : 0;
    for (size_t node = 0; node < n; node++) {
        if (!isfinite(best[node])) continue;
        size_t s = skip_spaces(t, node);
        if (s >= n) {
            /* only spaces after this break: it ends the paragraph */
            if (best[node] < best[n]) best[n] = best[node], prev[n] = (long)node;
            continue;
        }
        bool wrapped = node > 0;
        double avail = p->width - (wrapped ? 0 : p->indent);
        double em = t->size[s] > 0 ? t->size[s] : 1;
        bool found = false;
        /* The loop below is most of the layout's instructions, so what does not depend on k
         * is taken out of it, and each ps() is written out with its operands in the same
         * order, so that minw is the very same double as the sum of ps() calls it stands for:
         * ps(t, PS_W, s, k + 1) - ps(t, PS_Q1, s + 1, k) - ps(t, PS_Q2, s + 1, k) -
         * ps(t, PS_Q3, s + 1, k) - (wrapped ? t->stq[s] : 0) - t->sq[k] + hyphen_w(t, k). */
        const double *P = t->ps, *P1 = t->ps + (s + 1) * PS_ROWS;
        const double w_s = t->ps[s * PS_ROWS + PS_W], q1_s = P1[PS_Q1], q2_s = P1[PS_Q2],
                     q3_s = P1[PS_Q3], stq_s = wrapped ? t->stq[s] : 0, lim = avail + EPS,
                     base = best[node] + 1;
        size_t k_last = n - 1; /* the last k looked at (the emergency break's scan ends there) */
        for (size_t k = s; k < n; k++) {
            const double *Pk = P + k * PS_ROWS;
            double wk = Pk[PS_ROWS + PS_W] - w_s;
            /* wk + hyw[k] is never below minw (what minw subtracts is never negative, the
             * hyphen is hyw[k] or nothing, and rounding is monotone), so minw is needed only
             * near the line's end, where the bound is past the limit */
            if (wk + t->hyw[k] - em > lim) {
                bool mid = k > s + 1; /* characters s+1..k-1 exist: their marks squeeze */
                double minw = wk - (mid ? Pk[PS_Q1] - q1_s : 0) - (mid ? Pk[PS_Q2] - q2_s : 0) -
                              (mid ? Pk[PS_Q3] - q3_s : 0) - stq_s - t->sq[k] +
                              (t->brk[k] == BRK_HYPHEN ? t->hyw[k] : 0);
                if (minw - em > lim) {
                    k_last = k;
                    break;
                }
            }
            double pk = pen[k];
            if (pk < 0) continue;
            /* A line's cost is never negative, so once a line from here fits (found), one
             * ending after text[k] that could not beat best[k + 1] even at no cost is not
             * priced (most of them: the short lines, whose spreading is dear). The bound is
             * the sum below with f.cost = 0, and rounding is monotone: exact, not a
             * heuristic. */
            bool skip = base + pk >= best[k + 1];
            if (skip && found) { /* the commonest case, first */
                if (t->cp[k] == '\n' || t->brk[k] == HU_BRK_MUST) {
                    k_last = k;
                    break;
                }
                continue;
            }
            bool hard = t->cp[k] == '\n';
            bool last = hard || t->brk[k] == HU_BRK_MUST;
            bool end = hard || k == n - 1;
            size_t e = hard ? (k > s ? trim_end(t, s, k - 1) : s - 1) : trim_end(t, s, k);
            if (skip) {
                /* Not priced either, but whether it fits decides found (the emergency break
                 * below): a line that is not longer than avail and holds no more 汉字 than
                 * maxhan fits (fit_line's first tests); any other is priced as before. */
                if ((hard && k == s) ||
                    (ps(t, PS_W, s, e + 1) - stq_s + hyphen_w(t, e) <= avail + EPS &&
                     !(maxhan > 0 && ps(t, PS_HANZI, s, e + 1) > maxhan)))
                    found = true;
                else
                    skip = false;
            } else if (found && !end &&
                       base + stretch_floor(t, s, e, avail, stq_s, em) + pk >= best[k + 1]) {
                /* A spread line (most of those priced: the short ones) is skipped too when even
                 * its stretch_floor cannot beat best[k + 1]; only once found, as it might not
                 * fit (maxhan) */
                skip = true;
            }
            if (skip) {
                if (last) {
                    k_last = k;
                    break;
                }
                continue;
            }
            lfit f = {.ok = true};
            if (!(hard && k == s)) f = fit_line(t, s, e, avail, wrapped, end, true, maxhan);
            if (f.ok) {
                double c = base + f.cost + pk;
                if (end && !hard && wrapped && lonely(t, s, e)) c += HU_PENALTY_LONELY;
                if (c < best[k + 1])
                    best[k + 1] = c, prev[k + 1] = (long)node, emerg[k + 1] = pem[k];
                found = true;
            }
            if (last) {
                k_last = k;
                break;
            }
        }
        if (!found) {
            /* nothing allowed fits: break where the line is full, between characters the 禁则
             * allow if any, else anywhere; fit_max is the last character up to k_last that fits
             * at all, every mark squeezed (only this rare case needs it) */
            long fit_max = -1;
            for (size_t k = s; k <= k_last; k++) {
                double minw = ps(t, PS_W, s, k + 1) - ps(t, PS_Q1, s + 1, k) -
                              ps(t, PS_Q2, s + 1, k) - ps(t, PS_Q3, s + 1, k) -
                              (wrapped ? t->stq[s] : 0) - t->sq[k] + hyphen_w(t, k);
                if (t->cp[k] != '\n' && minw <= avail + EPS &&
                    (maxhan <= 0 || ps(t, PS_HANZI, s, k + 1) <= maxhan))
                    fit_max = (long)k;
            }
            size_t k = fit_max >= (long)s ? (size_t)fit_max : s;
            for (size_t j = k; j > s; j--)
                if (j + 1 < n && !hu_linebreak_no_start(t->cp[j + 1]) &&
                    !hu_linebreak_no_end(t->cp[j]) &&
                    !hu_linebreak_is_dash_pair(t->cp[j], t->cp[j + 1])) {
                    k = j;
                    break;
                }
            size_t e = trim_end(t, s, k);
            lfit f = fit_line(t, s, e, avail, wrapped, k == n - 1, true, 0);
            double c = best[node] + 1 + (f.ok ? f.cost : 0) + HU_PENALTY_EMERGENCY;
            if (c < best[k + 1]) best[k + 1] = c, prev[k + 1] = (long)node, emerg[k + 1] = true;
        }
    }
    /* the path, last line first */
    size_t nl = 0;
    for (long node = (long)n; node > 0; node = prev[node]) {
        if (prev[node] < 0) break;
        nl++;
    }
    if (*cap < nl + 1) {
        *cap = nl + 1;
        *out = hu_xrealloc(*out, *cap * sizeof **out);
    }
    size_t i = nl;
    size_t warned = 0, loose = 0;
    for (long node = (long)n; node > 0 && prev[node] >= 0; node = prev[node]) {
        size_t k = (size_t)node - 1, s = skip_spaces(t, (size_t)prev[node]);
        lspec ls;
        ls.s = s;
        ls.next = k + 1;
        if (s > k) { /* trailing spaces only */
            ls.e = s - 1, ls.end = true;
        } else if (t->cp[k] == '\n') {
            ls.e = k > s ? trim_end(t, s, k - 1) : s - 1;
            ls.end = true;
        } else {
            ls.e = trim_end(t, s, k);
            ls.end = k == n - 1;
        }
        (*out)[--i] = ls;
        if (emerg[node] && !warned++) {
            char buf[160];
            size_t o = 0;
            for (size_t j = s; j <= k && j < s + 40 && o + 5 < sizeof buf; j++)
                o += (size_t)hu_utf8_encode(t->cp[j] == '\n' ? ' ' : t->cp[j], buf + o);
            buf[o] = 0;
            /* where it broke: the last characters of the line and the first of the next */
            char before[64], after[64];
            quote(t, k >= s + 8 ? k - 7 : s, k, before, sizeof before);
            quote(t, k + 1, k + 8, after, sizeof after);
            hu_warn(
                l->d, l->where, 0, 0, NULL,
                "“%s……”一行在“%s”与“%s”之间断开：过长的网址、编号或外文中没有合适的断行位置"
                "（没有可断开的“/”“.”“-”等符号，或在那里断开会使字距过大）；可在其中加空格或改短",
                buf, before, after);
        }
        if (!ls.end && ls.e >= ls.s && !emerg[node] && loose < HU_LOOSE_WARNINGS) {
            /* A line spread past HU_HAN_STRETCH_OK_EM: no breaking of the paragraph avoids it
             * (the total fit prices it above every other choice), so the text must change —
             * the warning names the line and the piece that would not move up into it. */
            bool wrapped = prev[node] > 0;
            lfit f = fit_line(t, ls.s, ls.e, p->width - (wrapped ? 0 : p->indent), wrapped, false,
                              true, 0);
            if (f.ok && f.han_em > HU_HAN_STRETCH_WARN_EM) {
                loose++;
                warn_loose(l, t, &ls, f.han_em);
            }
        }
    }
    free(best), free(prev), free(run), free(emerg), free(pen), free(pem);
    return nl;
}

static size_t break_lines(L *l, const text *t, const cparams *p, lspec **out, size_t *cap) {
    if (p->align == ALIGN_JUSTIFY) return break_justified(l, t, p, out, cap);
    return break_from(t, p, 0, true, out, cap, 0);
}

/* Sets the line's glyphs: justified lines squeezed or spread as fit_line decides. */
static void emit_line(L *l, const text *t, const lspec *ls, const cparams *p, bool first_line,
                      double dy) {
    if (ls->e < ls->s || ls->e == (size_t)-1) return;
    double avail = p->width - (first_line ? p->indent : 0);
    double x = p->x0 + (first_line ? p->indent : 0);
    lfit f = {0};
    bool justify = p->align == ALIGN_JUSTIFY;
    if (justify && t->ps) {
        f = fit_line(t, ls->s, ls->e, avail, !first_line, ls->end, true, 0);
        if (!f.ok) { /* an emergency line: squeeze what can be */
            f = fit_line(t, ls->s, ls->e, 1e9, !first_line, true, true, 0);
            double nat = ps(t, PS_W, ls->s, ls->e + 1) - f.startcut + hyphen_w(t, ls->e);
            if (nat > avail) f.endcut = fmin(t->sq[ls->e], nat - avail);
        }
    } else {
        double nat = 0;
        for (size_t i = ls->s; i <= ls->e; i++)
            nat += t->w[i];
        if (nat > avail + EPS) f.endcut = fmin(t->sq[ls->e], nat - avail) > 0 ? t->sq[ls->e] : 0;
        double extra = avail - (nat - f.endcut);
        if (p->align == ALIGN_CENTRE && extra > 0)
            x += extra / 2;
        else if (p->align == ALIGN_END && extra > 0)
            x += extra;
    }
    x -= f.startcut;
    double strike_x0 = 0;
    for (size_t i = ls->s; i <= ls->e; i++) {
        uint32_t cp = t->cp[i];
        double w = t->w[i], shift = t->shift[i];
        double rcut = (t->rc ? t->rc[i] : 0) + (i == ls->e ? f.endcut : 0);
        if (i == ls->e) w -= f.endcut;
        if (i > ls->s && i < ls->e && t->mp && t->mp[i]) {
            double c = f.frac[t->mp[i]] * t->mq[i];
            w -= c;
            if (t->ml[i])
                shift -= c;
            else
                rcut += c;
        }
        bool strike = t->flags[i] & TF_STRIKE;
        if (strike && (i == ls->s || !(t->flags[i - 1] & TF_STRIKE))) strike_x0 = x;
        if (cp != ' ' && cp != '\n') {
            /* a squeezed mark: the squeeze drawn as a glyph of its own (layout.h, hu_run.cut) */
            double lcut = -shift + (i == ls->s ? f.startcut : 0);
            int l8 = 0, r8 = 0;
            if (t->size[i] > 0 && t->adv[i] > 0) {
                /* the nearest eighth; at a line end the next one up, so that the box stays
                 * inside the margin (no glyph follows it there) */
                double r = rcut / t->size[i] * HU_CUT_STEPS;
                l8 = (int)lround(lcut / t->size[i] * HU_CUT_STEPS);
                r8 = (int)(i == ls->e ? ceil(r - 1e-6) : lround(r));
                l8 = l8 < 0              ? 0
                     : l8 > HU_CUT_STEPS ? HU_CUT_STEPS
                                         : l8,
                r8 = r8 < 0                   ? 0
                     : r8 > HU_CUT_STEPS - l8 ? HU_CUT_STEPS - l8
                                              : r8;
                if ((l8 + r8) / (double)HU_CUT_STEPS * t->size[i] >= t->adv[i]) l8 = r8 = 0;
            }
            HU_GROW(l->g, l->ng, l->gcap);
            l->g[l->ng++] = (glyph){cp,
                                    t->face[i],
                                    t->size[i],
                                    (t->flags[i] & TF_BOLD) != 0,
                                    x + shift + l8 / (double)HU_CUT_STEPS * t->size[i],
                                    dy,
                                    t->adv[i] - (l8 + r8) / (double)HU_CUT_STEPS * t->size[i],
                                    (uint8_t)(l8 << 4 | r8)};
        }
        x += w;
        if (strike && (i == ls->e || !(t->flags[i + 1] & TF_STRIKE))) {
            /* ~~deleted text~~: a line through the middle of the ideographic em box */
            double y = dy - HU_STRIKE_RISE_EM * t->size[i], rw = HU_STRIKE_WIDTH_EM * t->size[i];
            HU_GROW(l->r, l->nr, l->rcap);
            l->r[l->nr++] = (rrule){strike_x0, y, x, y, rw};
        }
        if (i < ls->e && justify) {
            switch (gap_kind(t, i)) {
            case GAP_SPACE:
                x += f.sp + f.all;
                break;
            case GAP_EDGE:
                x += f.edge + f.all;
                break;
            case GAP_LETTER:
                x += f.letter;
                break;
            case GAP_HAN:
                x += f.han;
                break;
            default:
                x += f.all_gaps ? f.all : 0;
                break;
            }
        }
    }
    /* a line ending at a hyphenation point: the hyphen, in the letter's face and size */
    size_t e = ls->e;
    double hem = 0;
    int hf;
    if (justify && hyphen_w(t, e) > 0 &&
        (hf = l->m->lookup(l->m->ctx, t->role[e], '-', &hem)) >= 0) {
        HU_GROW(l->g, l->ng, l->gcap);
        l->g[l->ng++] =
            (glyph){'-', hf, t->size[e], (t->flags[e] & TF_BOLD) != 0, x, dy, hem * t->size[e], 0};
    }
}

/* ---------- collecting inline text ---------- */

typedef struct {
    int role;
    bool bold;
    double size;
    bool strike;
} span;

static unsigned span_flags(span sp) {
    return (sp.bold ? TF_BOLD : 0) | (sp.strike ? TF_STRIKE : 0);
}

static void push_utf8(text *t, const char *s, span sp) {
    if (!s) return;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += hu_utf8_decode(s + i, n - i, &cp);
        if (cp == '\r') continue;
        text_push(t, cp == '\n' ? ' ' : cp, sp.role, span_flags(sp), sp.size);
    }
}

/* Inline text goes through the reading markdown.c shares with the workbook; here each piece
 * becomes characters in the span its marks give: **strong** bold where the style asks for it,
 * *emphasis* 楷体 in body text, ~~deleted~~ struck through. */
typedef struct {
    L *l;
    text *t;
    span base;
} collector;

static void collect_piece(void *ctx, hu_md_piece piece, const char *s, unsigned style) {
    collector *k = ctx;
    const hu_style *st = k->l->st;
    span sp = k->base;
    if (style & HU_MD_STRONG) sp.bold = st->strong_bold || sp.bold;
    if ((style & HU_MD_EMPH) && sp.role == (int)st->body_role) sp.role = st->emph_role;
    if (style & HU_MD_STRIKE) sp.strike = true;
    if (piece == HU_MD_TEXT)
        push_utf8(k->t, s, sp);
    else
        text_push(k->t, piece == HU_MD_SOFTBREAK ? SOFT_BREAK : '\n', sp.role, span_flags(sp),
                  sp.size);
}

/* Appends one inline node in span sp. */
static void collect_node(L *l, text *t, cmark_node *c, span sp) {
    collector k = {l, t, sp};
    hu_doc_inline(c, 0, collect_piece, &k);
}

/* Appends the inline children of n. */
static void collect(L *l, text *t, cmark_node *n, span sp) {
    collector k = {l, t, sp};
    hu_doc_inlines(n, 0, collect_piece, &k);
}

/* A soft line break: the one join rule (hu_cjk_joins), never a doubled space. The document
 * already joined those it could see (doc.c); this sees the characters of raw HTML too. */
static void resolve_soft_breaks(text *t) {
    size_t o = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->cp[i] == SOFT_BREAK) {
            uint32_t a = o > 0 ? t->cp[o - 1] : ' ';
            uint32_t b = i + 1 < t->n ? t->cp[i + 1] : ' ';
            if (!hu_soft_break_is_space(a, b)) continue;
            t->cp[i] = ' ';
        }
        t->cp[o] = t->cp[i], t->role[o] = t->role[i], t->flags[o] = t->flags[i];
        t->size[o] = t->size[i];
        o++;
    }
    t->n = o;
    /* trailing and leading spaces of a block are never set */
    while (t->n > 0 && (t->cp[t->n - 1] == ' ' || t->cp[t->n - 1] == '\n'))
        t->n--;
}

static char *text_utf8(hu_arena *a, const text *t) {
    char *s = hu_arena_alloc(a, t->n * 4 + 1), *p = s;
    for (size_t i = 0; i < t->n; i++) {
        uint32_t cp = t->cp[i] == '\n' ? ' ' : t->cp[i];
        p += hu_utf8_encode(cp, p);
    }
    *p = 0;
    return s;
}

/* ---------- blocks ---------- */

static double baseline(double h, double size) {
    return (h - size) / 2 + HU_BASELINE_EM * size;
}

/* Sets t as lines of pitch h; the paragraph's page-break rules go on its items. */
static void set_lines(L *l, text *t, const cparams *p, double h, bool keep_together, long outline) {
    lspec *ls = NULL;
    size_t cap = 0;
    size_t nl = break_lines(l, t, p, &ls, &cap);
    for (size_t i = 0; i < nl; i++) {
        bool brk_pending_ok = !l->keep_pending;
        item *it = new_item(l, IT_LINE, h);
        if (i == 0) {
            it->brk_ok = brk_pending_ok;
            it->outline = outline;
        } else {
            /* no orphan (one line left at a page foot) and no widow (one line at the top); no
             * page ends with a hyphenated line (TeX's \brokenpenalty made a rule): the reader
             * would turn the page mid-word, and pdftotext rejoins "Health-|ineers" only within
             * a page. Hyphens are a last resort already, so this costs a short page rarely. */
            it->brk_ok = !keep_together && i >= 2 && nl - i >= 2 &&
                         !(ls[i - 1].e < t->n && hyphen_w(t, ls[i - 1].e) > 0);
        }
        double size = l->st->body_size;
        for (size_t k = ls[i].s; k <= ls[i].e && ls[i].e != (size_t)-1 && k < t->n; k++)
            if (t->size[k] > size) size = t->size[k];
        emit_line(l, t, &ls[i], p, i == 0, baseline(h, size));
        l->it[l->nit - 1].g1 = l->ng;
        l->it[l->nit - 1].r1 = l->nr;
    }
    free(ls);
}

static void body_params(L *l, cparams *p, double indent_chars, align_kind align) {
    p->x0 = l->X0;
    p->width = l->W;
    p->indent = indent_chars * l->chw;
    p->align = align;
}

static int ordinal_level(const text *t) {
    if (t->n < 2) return 0;
    static const char *num = "一二三四五六七八九十";
    char buf[8];
    uint32_t c0 = t->cp[0];
    if (c0 == 0xFF08 && t->n >= 3) { /* （一） or （1） */
        uint32_t c1 = t->cp[1];
        if (c1 >= '0' && c1 <= '9') return 4;
        buf[hu_utf8_encode(c1, buf)] = 0;
        if (strstr(num, buf)) return 2;
        return 0;
    }
    if (c0 >= '0' && c0 <= '9') {
        size_t i = 0;
        while (i < t->n && t->cp[i] >= '0' && t->cp[i] <= '9')
            i++;
        if (i < t->n && (t->cp[i] == '.' || t->cp[i] == 0xFF0E)) return 3;
        return 0;
    }
    buf[hu_utf8_encode(c0, buf)] = 0;
    if (strstr(num, buf)) {
        size_t i = 1;
        while (i < t->n && i < 3) {
            if (t->cp[i] == 0x3001) return 1; /* 、 */
            i++;
        }
    }
    return 0;
}

static double text_width(const text *t, size_t s, size_t e) {
    double w = 0;
    for (size_t i = s; i < e; i++)
        w += t->w[i];
    return w;
}

static void do_title(L *l, cmark_node *n) {
    text *t = &l->t;
    t->n = 0;
    collect(
        l, t, n,
        (span){.role = l->st->title_role, .bold = l->st->title_bold, .size = l->st->title_size});
    resolve_soft_breaks(t);
    if (t->n == 0) return;
    measure(l, t, NULL);
    HU_GROW(l->ol, l->nol, l->olcap);
    l->ol[l->nol] = (hu_outline_entry){0, text_utf8(l->a, t), 0, 0};
    long oi = (long)l->nol++;
    /* Where the lines break is titlebreak.c's decision (梯形/菱形 at word boundaries, GB/T
     * 9704 7.3.1), taken on nominal widths so the DOCX writer, asking the same function, breaks
     * the title at the same places. */
    double size = l->st->title_size;
    size_t *ends = hu_xmalloc(t->n * sizeof *ends);
    size_t nl = hu_title_lines(t->cp, t->n, l->st->title_max_chars, l->W / size, ends);
    /* One blank line under the title (GB/T 9704 7.3.2): the white between the title's last em
     * box and the em box of the line after it is what blank_lines_after empty body lines leave
     * between two body lines, and that line is on the body grid. The title moves down (less
     * than one grid line) to make it so. */
    double h = l->st->title_line_pitch, P = l->st->line_pitch, B = l->st->body_size;
    double gap = (l->st->title_blank_after + 1) * P - B;
    double block = size + (double)(nl - 1) * h; /* first em top to last em bottom */
    double j = ceil((gap + block - (P - B) / 2) / P - 1e-9);
    double y0 = j * P + (P - B) / 2 - gap - block; /* the first em top below the block's top */
    if (y0 < 0) y0 = 0;
    /* the first line item's top: a spacer above it, or (when the gap needs the title higher
     * than its line's half-leading allows) a first item shortened at the top */
    double lead = y0 - (h - size) / 2, cut = 0;
    if (lead > EPS)
        new_item(l, IT_SPACE, lead);
    else
        cut = -lead, lead = 0;
    size_t s0 = 0;
    for (size_t i = 0; i < nl; i++) {
        double hi = i == 0 ? h - cut : h;
        item *it = new_item(l, IT_LINE, hi);
        it->brk_ok = i == 0 && lead == 0;
        if (i == 0) it->outline = oi;
        while (s0 < ends[i] && t->cp[s0] == ' ')
            s0++;
        size_t e = ends[i];
        while (e > s0 && t->cp[e - 1] == ' ')
            e--;
        if (e > s0) {
            lspec ls = {s0, e - 1, ends[i], true}; /* centred, not justified */
            double w = text_width(t, s0, e);
            cparams p = {l->X0 + (l->W - w) / 2, w, 0, ALIGN_START};
            emit_line(l, t, &ls, &p, false, baseline(h, size) - (i == 0 ? cut : 0));
        }
        l->it[l->nit - 1].g1 = l->ng;
        l->it[l->nit - 1].r1 = l->nr;
        s0 = ends[i];
    }
    free(ends);
    /* down to the grid line that keeps the gap */
    double below = j * P - (lead + (double)nl * h - cut);
    if (below < 0) below = 0;
    item *it = new_item(l, IT_SPACE, below);
    it->brk_ok = false;
    l->snap_pending = true;
    l->keep_pending = true;
}

static void do_heading(L *l, cmark_node *n, int level) {
    int lv = level - 1; /* ## -> 1 */
    if (lv > 4) lv = 4;
    const hu_heading_style *hs = &l->st->heading[lv - 1];
    text *t = &l->t;
    t->n = 0;
    collect(l, t, n, (span){.role = hs->role, .bold = hs->bold, .size = hs->size});
    resolve_soft_breaks(t);
    l->cur_level = lv;
    if (t->n == 0) return;
    measure(l, t, NULL);
    HU_GROW(l->ol, l->nol, l->olcap);
    l->ol[l->nol] = (hu_outline_entry){lv, text_utf8(l->a, t), 0, 0};
    long oi = (long)l->nol++;
    cparams p;
    body_params(l, &p, hs->indent_chars, ALIGN_JUSTIFY);
    set_lines(l, t, &p, l->st->line_pitch, true, oi);
    l->keep_pending = true; /* a heading is never the last line of a page */
}

static void do_paragraph(L *l, cmark_node *n, const char *prefix, double extra_indent) {
    text *t = &l->t;
    t->n = 0;
    span body = {.role = l->st->body_role, .bold = false, .size = l->st->body_size};
    if (prefix) push_utf8(t, prefix, body);
    cmark_node *first = cmark_node_first_child(n);
    if (!prefix && first && cmark_node_get_type(first) == CMARK_NODE_STRONG) {
        /* a run-in lead sentence: its level from its ordinal, else one below the heading */
        text lead = {0};
        collect(l, &lead, first, body);
        int lv = ordinal_level(&lead);
        text_free(&lead);
        if (lv == 0) lv = l->cur_level + 1;
        if (lv > 4) lv = 4;
        if (lv < 1) lv = 1;
        const hu_heading_style *ls = &l->st->lead[lv - 1];
        span sp = {.role = ls->role, .bold = ls->bold, .size = l->st->body_size};
        collect(l, t, first, sp);
        for (cmark_node *c = cmark_node_next(first); c; c = cmark_node_next(c)) {
            if (cmark_node_get_type(c) == CMARK_NODE_TEXT) {
                /* "**（一）……**。正文": the mark after the strong text belongs to the lead
                 * (cmark-gfm cannot parse it inside, see libs.md) */
                const char *s = cmark_node_get_literal(c);
                uint32_t cp = 0;
                size_t k = s && *s ? hu_utf8_decode(s, strlen(s), &cp) : 0;
                if (k && (cp == 0x3002 || cp == 0xFF0C || cp == 0xFF1B || cp == 0xFF1A ||
                          cp == 0xFF01 || cp == 0xFF1F)) {
                    text_push(t, cp, sp.role, span_flags(sp), sp.size);
                    push_utf8(t, s + k, body);
                } else {
                    push_utf8(t, s, body);
                }
            } else {
                collect_node(l, t, c, body);
            }
        }
    } else {
        collect(l, t, n, body);
    }
    resolve_soft_breaks(t);
    if (t->n == 0) return;
    if (l->sig_mode) {
        if (l->sig.n) text_push(&l->sig, '\n', body.role, 0, body.size);
        for (size_t i = 0; i < t->n; i++)
            text_push(&l->sig, t->cp[i], t->role[i], t->flags[i], t->size[i]);
        return;
    }
    measure(l, t, NULL);
    cparams p;
    body_params(l, &p, l->recipient ? 0 : l->st->indent_chars + extra_indent, ALIGN_JUSTIFY);
    set_lines(l, t, &p, l->st->line_pitch, false, -1);
}

static void do_code(L *l, cmark_node *n) {
    text *t = &l->t;
    t->n = 0;
    span body = {.role = l->st->body_role, .bold = false, .size = l->st->body_size};
    const char *s = cmark_node_get_literal(n);
    if (!s) return;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += hu_utf8_decode(s + i, len - i, &cp);
        text_push(t, cp, body.role, 0, body.size);
    }
    while (t->n && t->cp[t->n - 1] == '\n')
        t->n--;
    if (!t->n) return;
    measure(l, t, NULL);
    cparams p;
    body_params(l, &p, 0, ALIGN_START);
    set_lines(l, t, &p, l->st->line_pitch, false, -1);
}

/* ---------- tables ---------- */

static bool is_type(cmark_node *n, const char *name) {
    const char *s = cmark_node_get_type_string(n);
    return s && strcmp(s, name) == 0;
}

/* cmark-gfm calls the header row "table_header" and the others "table_row". */
static bool is_row(cmark_node *n) {
    return is_type(n, "table_row") || is_type(n, "table_header");
}

/* Break opportunities of a table cell at word boundaries only (segment.h): a cell never
 * splits 万美元, 2.5个百分点, 2026年1—10月 or a word, as long as the column can hold it. */
static void word_breaks(text *t) {
    if (!t->n) return;
    if (!t->seg_ok) { /* number_words segmented the text already when it holds a figure */
        hu_segment_words(t->cp, t->n, t->seg);
        t->seg_ok = true;
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->brk[i] == HU_BRK_ALLOW && !t->seg[i]) t->brk[i] = HU_BRK_NO;
}

/* A 表题: a paragraph directly before a table that starts with 表1, 表一, 表2-1 or 附表3 and
 * a space, a full-width space, a colon or nothing after the number. *label_end gets the end of
 * "表1" (the number), for the 续表 line. */
static bool caption_label(const text *t, size_t *label_end) {
    return hu_doc_caption_label(t->cp, t->n, label_end);
}

static bool is_caption(L *l, cmark_node *para) {
    cmark_node *next = cmark_node_next(para);
    if (!next || !is_type(next, "table")) return false;
    text t = {0};
    collect(l, &t, para, (span){.role = 0, .bold = false, .size = 1});
    size_t e;
    bool ok = caption_label(&t, &e);
    text_free(&t);
    return ok;
}

/* One line of glyphs in its own item of height h with its baseline dy below the top, aligned
 * in the text width. */
static item *line_item(L *l, text *t, double h, double dy, align_kind align) {
    item *it = new_item(l, IT_ROW, h);
    if (t->n) {
        lspec ls = {0, t->n - 1, t->n, true};
        cparams p = {l->X0, l->W, 0, align};
        emit_line(l, t, &ls, &p, false, dy);
    }
    it = &l->it[l->nit - 1];
    it->g1 = l->ng;
    it->r1 = l->nr;
    return it;
}

static void do_table(L *l, cmark_node *tbl) {
    const hu_style *st = l->st;
    size_t ncols = cmark_gfm_extensions_get_table_columns(tbl);
    uint8_t *al = cmark_gfm_extensions_get_table_alignments(tbl);
    cmark_node *capn = l->caption;
    l->caption = NULL;
    if (ncols == 0) return;
    size_t nrows = 0;
    for (cmark_node *r = cmark_node_first_child(tbl); r; r = cmark_node_next(r))
        if (is_row(r)) nrows++;
    if (!nrows) return;
    text *cells = hu_xcalloc(nrows * ncols, sizeof *cells);
    bool *hdr = hu_xcalloc(nrows, sizeof *hdr);
    size_t ri = 0;
    for (cmark_node *r = cmark_node_first_child(tbl); r; r = cmark_node_next(r)) {
        if (!is_row(r)) continue;
        hdr[ri] = cmark_gfm_extensions_get_table_row_is_header(r);
        size_t ci = 0;
        for (cmark_node *c = cmark_node_first_child(r); c && ci < ncols; c = cmark_node_next(c)) {
            if (!is_type(c, "table_cell")) continue;
            text *t = &cells[ri * ncols + ci++];
            /* measured at 1 pt; widths scale with the size chosen below */
            collect(l, t, c,
                    (span){.role = hdr[ri] ? st->table_header_role : st->table_role,
                           .bold = false,
                           .size = 1});
            resolve_soft_breaks(t);
        }
        ri++;
    }
    /* The size and the columns: the one table geometry (colwidth.h) on the cells' extents,
     * measured at 1 pt, i.e. in em, without the grid's tracking; the DOCX asks the same. */
    double *cw = hu_xcalloc(ncols, sizeof *cw);
    hu_cell_extent *ext = hu_xcalloc(nrows * ncols, sizeof *ext);
    hu_style tmp = *st;
    tmp.body_size = -100; /* no grid tracking inside tables */
    const hu_style *saved = l->st;
    l->st = &tmp;
    for (size_t i = 0; i < nrows * ncols; i++)
        if (cells[i].n) {
            measure(l, &cells[i], &ext[i]);
        }
    const double pad_em = HU_TABLE_PAD_EM, vpad_em = HU_TABLE_VPAD_EM;
    hu_table_params tpar = {l->W, st->table_size, st->table_min_size, pad_em, 0};
    hu_table_geom geom = hu_table_geometry(ext, hdr, nrows, ncols, &tpar, cw);
    {
        /* Wider than the text area even at the smallest size with every cell broken wherever
         * the 禁则 allow: the columns on the right would run off the page. Refused, naming the
         * table, rather than cut. */
        double total = 0;
        for (size_t c = 0; c < ncols; c++)
            total += cw[c] + 2 * pad_em * geom.size;
        if (total > l->W + 0.5) {
            char head[120];
            size_t o = 0;
            for (size_t k = 0; k < cells[0].n && o + 5 < sizeof head && k < 24; k++)
                o += (size_t)hu_utf8_encode(cells[0].cp[k], head + o);
            head[o] = 0;
            hu_error(l->d, l->where, 0, 0, "table",
                     "表格（第一格“%s”）有 %zu 列，缩到 %.1f 磅、逐字换行后仍比版心宽 %.0f "
                     "毫米，右侧的列会超出页面：请拆成几张表、减少列数或把行列互换",
                     head, ncols, geom.size, (total - l->W) * 25.4 / 72);
        }
    }
    /* cells wrap between words unless the words alone do not fit */
    if (geom.word_breaks)
        for (size_t i = 0; i < nrows * ncols; i++)
            word_breaks(&cells[i]);
    double size = geom.size, pad = pad_em * size;
    /* rescale the measured cells to the chosen size */
    for (size_t i = 0; i < nrows * ncols; i++) {
        text *t = &cells[i];
        for (size_t k = 0; k < t->n; k++) {
            t->size[k] = (float)size;
            t->adv[k] *= size, t->w[k] *= size, t->shift[k] *= size, t->sq[k] *= size;
            t->mq[k] *= size, t->stq[k] *= size, t->rc[k] *= size;
        }
        if (t->n) sums_compute(t);
    }
    l->st = saved;
    double tp = size * st->table_line_factor, vpad = vpad_em * size;

    /* The rows, each an item; heights first, so the white above and below the table can be
     * made equal and the text after it land on the body grid. */
    typedef struct {
        lspec *lines;
        size_t nl, cap;
        cparams p;
    } cellset;
    cellset *cs = hu_xcalloc(nrows * ncols, sizeof *cs);
    double *rh = hu_xcalloc(nrows, sizeof *rh);
    double total = 0;
    for (size_t r = 0; r < nrows; r++) {
        size_t maxl = 1;
        double x = l->X0;
        for (size_t c = 0; c < ncols; c++) {
            text *t = &cells[r * ncols + c];
            cellset *k = &cs[r * ncols + c];
            align_kind align = al && al[c] == 'r'   ? ALIGN_END
                               : al && al[c] == 'c' ? ALIGN_CENTRE
                                                    : ALIGN_START;
            if (hdr[r])
                align = ALIGN_CENTRE;
            else if ((!al || !al[c]) && hu_cell_numeric(t->cp, t->n))
                align = ALIGN_END;
            k->p = (cparams){x + pad, cw[c], 0, align};
            if (t->n) k->nl = break_from(t, &k->p, 0, true, &k->lines, &k->cap, 0);
            if (k->nl > maxl) maxl = k->nl;
            x += cw[c] + 2 * pad;
        }
        rh[r] = (double)maxl * tp + 2 * vpad;
        total += rh[r];
    }
    /* the 表题 and the 续表 line */
    text cap = {0}, cont = {0};
    /* the caption's em box at the top of its item, half an em above the table's top rule, so
     * the white above the table is measured to the caption's ink as the white below is from
     * the last rule */
    double cap_size = st->table_caption_size, cap_h = HU_CAPTION_LINE_EM * cap_size;
    if (capn) {
        collect(l, &cap, capn,
                (span){.role = st->table_caption_role, .bold = false, .size = cap_size});
        resolve_soft_breaks(&cap);
        total += cap_h;
    }
    {
        span sp = {.role = st->table_role, .bold = false, .size = size};
        push_utf8(&cont, "续", sp);
        size_t le = 0;
        if (cap.n && caption_label(&cap, &le))
            for (size_t i = 0; i < le; i++)
                text_push(&cont, cap.cp[i], sp.role, 0, size);
        else
            push_utf8(&cont, "表", sp);
    }
    /* Equal white above and below, tied to the grid: the table and its two gaps fill whole
     * body lines, each gap at least the white between two body lines' em boxes halved. */
    double P = st->line_pitch, gmin = (P - st->body_size) / 2;
    double gap = (ceil((total + 2 * gmin) / P - 1e-9) * P - total) / 2;
    new_item(l, IT_BLANK, gap); /* dropped at a page top; the caption and header keep to it */
    if (cap.n) {
        l->st = &tmp;
        measure(l, &cap, NULL);
        l->st = saved;
        item *it = line_item(l, &cap, cap_h, HU_BASELINE_EM * cap_size, ALIGN_CENTRE);
        it->brk_ok = false;
    }
    l->st = &tmp;
    measure(l, &cont, NULL);
    l->st = saved;
    item *ci = line_item(l, &cont, tp, baseline(tp, size), ALIGN_END);
    ci->oof = true;
    ci->brk_ok = false;
    long cont_item = (long)(l->nit - 1);

    long header_item = -1;
    size_t ndata = 0, di = 0;
    for (size_t r = 0; r < nrows; r++)
        ndata += !hdr[r];
    for (size_t r = 0; r < nrows; r++) {
        double h = rh[r];
        item *it = new_item(l, IT_ROW, h);
        size_t idx = l->nit - 1;
        /* A page may break between body rows only: never right after the header, with at least
         * three body rows under the header at a page foot and at least two carried over (like a
         * paragraph's widows and orphans); the pager falls back to any row boundary when a
         * table allows no other break. */
        it->brk_ok = r > 0 && !hdr[r - 1] && !hdr[r] && di >= 3 && ndata - di >= 2;
        if (hdr[r]) {
            header_item = (long)idx;
        } else {
            it->header = header_item, di++;
            it->cont = cont_item;
        }
        size_t maxl = (size_t)((h - 2 * vpad) / tp + 0.5);
        for (size_t c = 0; c < ncols; c++) {
            cellset *k = &cs[r * ncols + c];
            double off = vpad + (double)(maxl - k->nl) * tp / 2;
            text *t = &cells[r * ncols + c];
            for (size_t q = 0; q < k->nl; q++) {
                k->lines[q].end = true;
                emit_line(l, t, &k->lines[q], &k->p, false,
                          off + (double)q * tp + baseline(tp, size));
            }
            free(k->lines);
        }
        /* rules: the row's box and its column separators */
        double rw = st->table_rule;
        if (l->nr + ncols + 3 > l->rcap) {
            l->rcap = 2 * (l->nr + ncols + 3);
            l->r = hu_xrealloc(l->r, l->rcap * sizeof *l->r);
        }
        l->r[l->nr++] = (rrule){l->X0, 0, l->X0 + l->W, 0, rw};
        l->r[l->nr++] = (rrule){l->X0, h, l->X0 + l->W, h, rw};
        double x = l->X0;
        for (size_t c = 0; c <= ncols; c++) {
            l->r[l->nr++] = (rrule){x, 0, x, h, rw};
            if (c < ncols) x += cw[c] + 2 * pad;
        }
        it = &l->it[idx];
        it->g1 = l->ng;
        it->r1 = l->nr;
    }
    item *after = new_item(l, IT_SPACE, gap);
    after->brk_ok = false;
    for (size_t i = 0; i < nrows * ncols; i++)
        text_free(&cells[i]);
    text_free(&cap), text_free(&cont);
    free(cells), free(hdr), free(cw), free(ext), free(cs);
    free(rh);
    l->snap_pending = true;
}

/* ---------- signature block ---------- */

static void do_signature(L *l) {
    text *t = &l->sig;
    if (!t->n) return;
    measure(l, t, NULL);
    /* split into lines at '\n': 署名 then 成文日期 */
    size_t n = 1, s = 0;
    for (size_t i = 0; i < t->n; i++)
        n += t->cp[i] == '\n';
    size_t *ls = hu_xmalloc(n * sizeof *ls), *le = hu_xmalloc(n * sizeof *le);
    double *xs = hu_xmalloc(n * sizeof *xs);
    n = 0;
    for (size_t i = 0; i <= t->n; i++)
        if (i == t->n || t->cp[i] == '\n') {
            ls[n] = s, le[n] = i, n++;
            s = i + 1;
        }
    if (n > HU_SIGNATURE_LINES)
        hu_warn(l->d, l->where, 0, 0, "signature",
                "署名块有 %zu 行，超过常见的 %d 行（GB/T 9704 7.3.5：署名和成文日期各一行）；"
                "已全部排出，请确认没有把正文写进署名块",
                n, HU_SIGNATURE_LINES);
    double right = l->X0 + l->W - l->st->signature_right_chars * l->chw;
    if (n >= 2) {
        double wo = text_width(t, ls[0], le[0]), wd = text_width(t, ls[1], le[1]);
        double xo = right - wo, xd = xo + l->st->date_shift_chars * l->chw;
        if (xd + wd > right + EPS) { /* the date is longer: it takes 右空二字 */
            xd = right - wd;
            xo = xd - l->st->date_shift_chars * l->chw;
        }
        xs[0] = xo, xs[1] = xd;
        for (size_t i = 2; i < n; i++)
            xs[i] = right - text_width(t, ls[i], le[i]);
    } else {
        xs[0] = right - text_width(t, ls[0], le[0]);
    }
    l->keep_pending = false;
    for (int b = 0; b < l->st->signature_blank_before; b++) {
        item *it = new_item(l, IT_BLANK, l->st->line_pitch);
        it->brk_ok = false;
        it->sig = true;
    }
    for (size_t i = 0; i < n; i++) {
        if (le[i] <= ls[i]) continue;
        lspec one = {ls[i], le[i] - 1, le[i] + 1, true}, *sp = &one;
        size_t nl = 1, cap = 0;
        cparams p = {xs[i], l->W, 0, ALIGN_START};
        if (xs[i] < l->X0 - EPS) {
            /* wider than the room left of 右空二字: wrapped there, right-aligned, never cut */
            p = (cparams){l->X0, right - l->X0, 0, ALIGN_END};
            text line = *t;
            line.n = le[i];
            sp = NULL;
            nl = break_from(&line, &p, ls[i], false, &sp, &cap, 0);
        }
        for (size_t k = 0; k < nl; k++) {
            item *it = new_item(l, IT_LINE, l->st->line_pitch);
            it->brk_ok = false;
            it->sig = true;
            sp[k].end = true;
            emit_line(l, t, &sp[k], &p, false, baseline(l->st->line_pitch, l->st->body_size));
            l->it[l->nit - 1].g1 = l->ng;
            l->it[l->nit - 1].r1 = l->nr;
        }
        if (sp != &one) free(sp);
    }
    free(ls), free(le), free(xs);
    t->n = 0;
}

/* ---------- walking the document ---------- */

static void do_blocks(L *l, cmark_node *parent, double indent);
static void do_block(L *l, cmark_node *b, double indent);

static void do_list(L *l, cmark_node *list, double indent) {
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    int k = cmark_node_get_list_start(list);
    for (cmark_node *itm = cmark_node_first_child(list); itm; itm = cmark_node_next(itm), k++) {
        bool first = true;
        for (cmark_node *b = cmark_node_first_child(itm); b; b = cmark_node_next(b)) {
            if (cmark_node_get_type(b) == CMARK_NODE_PARAGRAPH) {
                char pre[32];
                if (ordered)
                    snprintf(pre, sizeof pre, "%d.", k);
                else
                    snprintf(pre, sizeof pre, "●");
                do_paragraph(l, b, first ? pre : NULL, indent);
            } else if (cmark_node_get_type(b) == CMARK_NODE_LIST) {
                do_list(l, b, indent + 1);
            } else {
                do_blocks(l, b, indent);
            }
            first = false;
        }
    }
}

/* The width of an attachment's label "1. " (or "12．") at s, 0 when it has none. */
static double attach_label(const text *t, size_t s) {
    size_t e = s;
    while (e < t->n && t->cp[e] >= '0' && t->cp[e] <= '9')
        e++;
    if (e == s || e >= t->n || (t->cp[e] != '.' && t->cp[e] != 0xFF0E)) return 0;
    e++;
    while (e < t->n && t->cp[e] == ' ')
        e++;
    return text_width(t, s, e);
}

static bool attach_colon(const text *t) {
    return t->n >= 3 && t->cp[0] == 0x9644 && t->cp[1] == 0x4EF6 &&
           (t->cp[2] == 0xFF1A || t->cp[2] == ':');
}

/* 附件说明 (GB/T 9704 7.3.4): 左空二字 "附件：" and the name; a wrapped name aligns with the
 * name's first character; with several attachments "附件：1. 名称", and "2. 名称" under "1."
 * (the labels' widest decides where every name starts, as the DOCX's hanging indent does). */
static void do_attachments(L *l, cmark_node *block) {
    span body = {.role = l->st->body_role, .bold = false, .size = l->st->body_size};
    double left = l->X0 + l->st->indent_chars * l->chw, colon = 0, label = 0;
    /* first pass: the colon and the widest label */
    bool first = true;
    for (cmark_node *b = cmark_node_first_child(block); b; b = cmark_node_next(b)) {
        if (cmark_node_get_type(b) != CMARK_NODE_PARAGRAPH) continue;
        text t = {0};
        collect(l, &t, b, body);
        resolve_soft_breaks(&t);
        if (t.n) {
            measure(l, &t, NULL);
            size_t s = 0;
            if (first && attach_colon(&t)) colon = text_width(&t, 0, 3), s = 3;
            label = fmax(label, attach_label(&t, s));
            first = false;
        }
        text_free(&t);
    }
    first = true;
    for (cmark_node *b = cmark_node_first_child(block); b; b = cmark_node_next(b)) {
        if (cmark_node_get_type(b) != CMARK_NODE_PARAGRAPH) {
            do_block(l, b, 0);
            continue;
        }
        text *t = &l->t;
        t->n = 0;
        collect(l, t, b, body);
        resolve_soft_breaks(t);
        if (!t->n) continue;
        measure(l, t, NULL);
        cparams p;
        body_params(l, &p, 0, ALIGN_JUSTIFY);
        p.x0 = left + colon + label;
        p.width = l->X0 + l->W - p.x0;
        /* the first line starts left of the names: at 左空二字 (with "附件："), or under "1." */
        p.indent = first ? -(colon + label) : -label;
        if (p.width > l->chw * 4)
            set_lines(l, t, &p, l->st->line_pitch, false, -1);
        else { /* labels wider than the line: set as body text */
            body_params(l, &p, l->st->indent_chars, ALIGN_JUSTIFY);
            set_lines(l, t, &p, l->st->line_pitch, false, -1);
        }
        first = false;
    }
}

/* The template's structural blocks (doc.h). */
static void do_typed(L *l, cmark_node *b, double indent) {
    switch (hu_doc_block(b)) {
    case HU_BLOCK_RECIPIENT: /* 主送机关: flush left */
        l->recipient = true;
        do_blocks(l, b, indent);
        l->recipient = false;
        break;
    case HU_BLOCK_ATTACHMENTS:
        l->in_tail = true;
        do_attachments(l, b);
        l->in_tail = false;
        break;
    case HU_BLOCK_CLOSING:
        l->in_tail = true;
        do_blocks(l, b, indent);
        l->in_tail = false;
        break;
    case HU_BLOCK_BLANK:
        /* one empty line, e.g. between 正文 and 附件说明 (GB/T 9704 7.3.4); skipped at page tops */
        new_item(l, IT_BLANK, l->st->line_pitch)->tail = true;
        break;
    case HU_BLOCK_SIGNATURE: /* 署名 and 成文日期, set by do_signature */
        l->sig_mode = 1;
        do_blocks(l, b, indent);
        l->sig_mode = 0;
        do_signature(l);
        break;
    default:
        do_blocks(l, b, indent);
        break;
    }
}

static void do_block(L *l, cmark_node *b, double indent) {
    switch (cmark_node_get_type(b)) {
    case CMARK_NODE_HEADING:
        if (cmark_node_get_heading_level(b) == 1)
            do_title(l, b);
        else
            do_heading(l, b, cmark_node_get_heading_level(b));
        break;
    case CMARK_NODE_PARAGRAPH:
        if (is_caption(l, b))
            l->caption = b; /* set with its table */
        else
            do_paragraph(l, b, NULL, indent);
        break;
    case CMARK_NODE_LIST:
        do_list(l, b, indent);
        break;
    case CMARK_NODE_BLOCK_QUOTE:
        do_blocks(l, b, indent);
        break;
    case CMARK_NODE_CODE_BLOCK:
        do_code(l, b);
        break;
    case CMARK_NODE_HTML_BLOCK:
        /* anything but comments is shown as typed (see CMARK_NODE_HTML_INLINE); a comment is an
         * author's note, never an instruction, whatever it says */
        if (hu_doc_html_kind(cmark_node_get_literal(b)) != HU_HTML_COMMENT) do_code(l, b);
        break;
    case CMARK_NODE_CUSTOM_BLOCK:
        do_typed(l, b, indent);
        break;
    case CMARK_NODE_THEMATIC_BREAK: {
        item *it = new_item(l, IT_BLANK, l->st->line_pitch);
        (void)it;
        break;
    }
    default:
        if (is_type(b, "table")) do_table(l, b);
        break;
    }
}

static void do_blocks(L *l, cmark_node *parent, double indent) {
    for (cmark_node *b = cmark_node_first_child(parent); b; b = cmark_node_next(b))
        do_block(l, b, indent);
}

/* ---------- pagination ---------- */

/* What an item is once the pages are made: its runs and rules. */
typedef struct {
    size_t p0, p1, r0, r1;
} ispan;

typedef struct {
    size_t item;
    double off;
} place;

typedef struct {
    place *p;
    size_t n, cap;
} pg;

/* A laid-out document's pages before their runs are made (layout.h: hu_layout_page). */
struct hu_layout_pager {
    const hu_metrics *m; /* glyph use is recorded as pages are made */
    ispan *items;
    prun *pr;
    uint32_t *cps;
    uint8_t *cuts; /* as many as cps */
    rrule *r;
    pg *pages; /* the items placed on each page, with their offsets */
    size_t np;
    size_t *pn; /* page pi's number: the runs pr[pn[pi] .. pn[pi + 1]); NULL: none */
    double top, pn_base;
    hu_page page; /* the page made last */
    size_t rcap, rucap;
};

static double snap_to(double off, double pitch) {
    double k = ceil(off / pitch - 1e-6);
    return k * pitch;
}

/* Groups the glyphs [k0, k1) of the scratch into runs relative to their item's top, appended to
 * l->pr (their characters to l->cps): a run ends where the face, size, weight or baseline
 * changes, or the spacing between glyphs does. */
static void group_runs(L *l, size_t k0, size_t k1) {
    for (size_t k = k0; k < k1;) {
        const glyph *g0 = &l->g[k];
        size_t e = k + 1;
        double cs = 0;
        if (e < k1) cs = l->g[e].x - g0->x - g0->adv;
        while (e < k1) {
            const glyph *p = &l->g[e - 1], *q = &l->g[e];
            if (q->face != g0->face || q->size != g0->size || q->bold != g0->bold ||
                fabs(q->dy - g0->dy) > EPS)
                break;
            if (fabs((q->x - p->x - p->adv) - cs) > 0.001) break;
            e++;
        }
        size_t c0 = l->ncps;
        for (size_t j = k; j < e; j++) {
            HU_GROW(l->cuts, l->ncps, l->cutcap);
            l->cuts[l->ncps] = l->g[j].cut;
            HU_GROW(l->cps, l->ncps, l->cpscap);
            l->cps[l->ncps++] = l->g[j].cp;
        }
        HU_GROW(l->pr, l->npr, l->prcap);
        /* faces have one weight: bold is synthesised (hu_run.fake_bold) */
        l->pr[l->npr++] = (prun){g0->x,
                                 g0->dy,
                                 e - k > 1 ? cs : 0,
                                 g0->size,
                                 (uint32_t)c0,
                                 (uint32_t)(e - k),
                                 (int16_t)g0->face,
                                 g0->bold};
        k = e;
    }
}

/* The last item is complete: its glyphs become runs and the scratch is free for the next. */
static void close_item(L *l) {
    if (!l->nit) return;
    item *it = &l->it[l->nit - 1];
    if (it->g1 <= it->g0) return; /* no glyphs, or closed already */
    it->p0 = l->npr;
    group_runs(l, it->g0, it->g1);
    it->p1 = l->npr;
    it->g0 = it->g1 = 0;
    l->ng = 0;
}

/* The page number num as runs appended to l->pr, their baseline at 0 (drawn at pn_base). */
static void page_number(L *l, int num) {
    const hu_style *st = l->st;
    text t = {0};
    const char *f = st->page_number_format ? st->page_number_format : "— {n} —";
    char buf[32];
    snprintf(buf, sizeof buf, "%d", num);
    span sp = {.role = st->page_number_role, .bold = false, .size = st->page_number_size};
    for (const char *p = f; *p;) {
        if (strncmp(p, "{n}", 3) == 0) {
            push_utf8(&t, buf, sp);
            p += 3;
            continue;
        }
        uint32_t cp;
        p += hu_utf8_decode(p, strlen(p), &cp);
        text_push(&t, cp, sp.role, 0, sp.size);
    }
    hu_style tmp = *st;
    tmp.body_size = -100;
    l->st = &tmp;
    measure(l, &t, NULL);
    l->st = st;
    double w = text_width(&t, 0, t.n);
    double x = (num % 2 == 1) ? l->X0 + l->W - st->page_number_inset_chars * l->chw - w
                              : l->X0 + st->page_number_inset_chars * l->chw;
    size_t g0 = l->ng;
    lspec ls = {0, t.n - 1, t.n, true};
    cparams p = {x, w + 1, 0, ALIGN_START};
    emit_line(l, &t, &ls, &p, false, 0);
    group_runs(l, g0, l->ng);
    l->ng = g0;
    text_free(&t);
}

static void pg_push(pg *p, size_t item, double off) {
    HU_GROW(p->p, p->n, p->cap);
    p->p[p->n++] = (place){item, off};
}

hu_layout *hu_layout_stream(hu_arena *a, cmark_node *doc, const hu_style *st, const hu_metrics *m,
                            const char *where, hu_diags *d) {
    if (hu_style_text_w(st) <= st->body_size || hu_style_text_h(st) < st->line_pitch) {
        hu_error(d, NULL, 0, 0, "style", "版心太小，无法排版");
        return NULL;
    }
    L l = {0};
    l.a = a, l.st = st, l.m = m, l.d = d, l.where = where;
    l.W = hu_style_text_w(st);
    l.H = hu_style_text_h(st);
    l.X0 = st->margin_left;
    l.trk = hu_style_tracking(st);
    l.chw = st->body_size + l.trk;
    do_blocks(&l, doc, 0);
    close_item(&l);

    /* --- paginate --- */
    pg *pages = NULL;
    size_t np = 0, pcap = 0;
    size_t sig_start = l.nit;
    for (size_t i = 0; i < l.nit; i++)
        if (l.it[i].sig) {
            sig_start = i;
            break;
        }
    size_t squeezed = 0;
    size_t i = 0;
    while (i < l.nit) {
        while (i < l.nit && ((l.it[i].kind == IT_BLANK && !l.it[i].sig) || l.it[i].oof))
            i++; /* none at a page top */
        if (i >= l.nit) break;
        if (np >= HU_MAX_PAGES) {
            /* libharu fails past 32,767 pages; a monthly report this long is an input mistake */
            hu_error(d, where, 0, 0, NULL,
                     "报告超过 %d 页的上限，未生成：请检查输入是否重复粘贴了正文或表格",
                     HU_MAX_PAGES);
            for (size_t k = 0; k < np; k++)
                free(pages[k].p);
            free(pages);
            free(l.g), free(l.r), free(l.it), free(l.ol), free(l.pr), free(l.cps);
            free(l.cuts);
            text_free(&l.t);
            text_free(&l.sig);
            return NULL;
        }
        HU_GROW(pages, np, pcap);
        pg *p = &pages[np++];
        memset(p, 0, sizeof *p);
        double off = 0;
        size_t first = i;
        bool placed = false;
        if (l.it[i].kind == IT_ROW && l.it[i].header >= 0) {
            /* a table goes on: 续表, then its header again */
            if (l.it[i].cont >= 0) {
                pg_push(p, (size_t)l.it[i].cont, 0);
                off = l.it[(size_t)l.it[i].cont].h;
            }
            pg_push(p, (size_t)l.it[i].header, off);
            off += l.it[(size_t)l.it[i].header].h;
        }
        size_t j = i;
        for (; j < l.nit; j++) {
            const item *it = &l.it[j];
            if (it->oof) continue;
            double o = it->snap && placed ? snap_to(off, st->line_pitch) : off;
            if (placed && o + it->h > l.H + EPS) {
                /* Tighten the last page rather than strand the signature block: the space
                 * between and within text lines shrinks by a factor s; table rows keep their
                 * height (their rules and cells are drawn at full size, so scaling the rows'
                 * offsets would make them overlap). */
                double tail = 0, rows = 0;
                for (size_t k = j; k < l.nit; k++) {
                    if (l.it[k].oof) continue;
                    tail += l.it[k].h;
                    if (l.it[k].kind == IT_ROW) rows += l.it[k].h;
                }
                for (size_t k = 0; k < p->n; k++)
                    if (l.it[p->p[k].item].kind == IT_ROW) rows += l.it[p->p[k].item].h;
                double total = off + tail;
                double s = total - rows > EPS ? (l.H - rows) / (total - rows) : 0;
                if (sig_start < l.nit && j + 4 >= sig_start && s >= st->squeeze_min) {
                    for (size_t k = j; k < l.nit; k++) {
                        if (l.it[k].oof) continue;
                        pg_push(p, k, off);
                        off += l.it[k].h;
                    }
                    /* new offset = s × offset + (1 − s) × height of the rows above it */
                    double above = 0;
                    for (size_t k = 0; k < p->n; k++) {
                        const item *pk = &l.it[p->p[k].item];
                        p->p[k].off = p->p[k].off * s + (1 - s) * above;
                        if (pk->kind == IT_ROW) above += pk->h;
                    }
                    squeezed++;
                    j = l.nit;
                    break;
                }
                size_t k = j;
                while (k > first && !l.it[k].brk_ok)
                    k--;
                if (k == first) k = j;
                /* The next page would hold only the 结束语, the 附件说明 and the signature:
                 * carry one or two body lines over with them (a break the widow and orphan
                 * rules allow), so the closing never stands alone. */
                bool tail_only = true;
                for (size_t q = k; q < l.nit && tail_only; q++)
                    tail_only = l.it[q].oof || l.it[q].tail || l.it[q].sig;
                if (tail_only && k < l.nit) {
                    int body = 0;
                    for (size_t q = k; q > first + 1 && body < HU_CARRY_LINES;) {
                        q--;
                        if (l.it[q].kind != IT_LINE || l.it[q].tail) continue;
                        body++;
                        if (l.it[q].brk_ok) {
                            k = q;
                            break;
                        }
                    }
                }
                while (p->n && p->p[p->n - 1].item >= k && p->p[p->n - 1].item >= first)
                    p->n--;
                j = k;
                break;
            }
            pg_push(p, j, o);
            off = o + it->h;
            placed = true;
        }
        i = j;
    }

    /* --- output: the pages as placed items (hu_layout_page makes their runs) --- */
    hu_layout *out = hu_arena_alloc(a, sizeof *out);
    out->page_w = st->page_w, out->page_h = st->page_h;
    out->npages = np;
    out->outline = hu_arena_alloc(a, (l.nol ? l.nol : 1) * sizeof *out->outline);
    out->noutline = l.nol;
    if (l.nol) memcpy(out->outline, l.ol, l.nol * sizeof *l.ol);
    double top = st->page_h - st->margin_top;
    hu_layout_pager *g = hu_xcalloc(1, sizeof *g);
    out->pager = g;
    g->m = m;
    g->top = top;
    g->pages = pages;
    g->np = np;
    g->items = hu_xmalloc((l.nit ? l.nit : 1) * sizeof *g->items);
    for (size_t k = 0; k < l.nit; k++) {
        const item *it = &l.it[k];
        g->items[k] = (ispan){it->p0, it->p1, it->r0, it->r1};
    }
    for (size_t pi = 0; pi < np; pi++) {
        pg *p = &pages[pi];
        for (size_t k = 0; k < p->n; k++) {
            const item *it = &l.it[p->p[k].item];
            double ytop = top - p->p[k].off;
            if (it->outline >= 0 && out->outline[it->outline].page == 0 &&
                out->outline[it->outline].y == 0) {
                out->outline[it->outline].page = (int)pi;
                out->outline[it->outline].y = ytop;
            }
        }
    }
    free(l.it), l.it = NULL;
    if (st->page_number) {
        /* the top of the dash sits page_number_offset below the text area (GB/T 9704 7.5) */
        g->pn_base = st->margin_bottom - st->page_number_offset -
                     HU_PAGENO_DASH_TOP_EM * st->page_number_size;
        g->pn = hu_xmalloc((np + 1) * sizeof *g->pn);
        for (size_t pi = 0; pi < np; pi++) {
            g->pn[pi] = l.npr;
            page_number(&l, (int)pi + 1);
        }
        g->pn[np] = l.npr;
    }
    /* the runs, their characters and the rules at their final size */
    g->pr = l.npr ? hu_xrealloc(l.pr, l.npr * sizeof *l.pr) : (free(l.pr), NULL);
    g->cps = l.ncps ? hu_xrealloc(l.cps, l.ncps * sizeof *l.cps) : (free(l.cps), NULL);
    g->cuts = l.ncps ? hu_xrealloc(l.cuts, l.ncps) : (free(l.cuts), NULL);
    g->r = l.r;
    out->missing = l.missing;
    out->squeezed = squeezed;
    free(l.g), free(l.ol);
    text_free(&l.t);
    text_free(&l.sig);
    return out;
}

/* Page pi's runs and rules from its placed items, into the pager's reused arrays. */
static void put_runs(hu_layout_pager *g, hu_page *page, size_t p0, size_t p1, double ytop,
                     hu_run_kind kind) {
    for (size_t r = p0; r < p1; r++) {
        const prun *p = &g->pr[r];
        const uint32_t *cps = g->cps + p->c0;
        const uint8_t *cuts = g->cuts + p->c0;
        if (g->m && g->m->use)
            for (size_t j = 0; j < p->n; j++)
                g->m->use(g->m->ctx, p->face, cps[j]);
        HU_GROW(g->page.runs, page->nruns, g->rcap);
        page->runs[page->nruns++] =
            (hu_run){kind, p->face, p->size, p->x, ytop - p->dy, p->cs, cps, p->n, p->bold, cuts};
    }
}

const hu_page *hu_layout_page(hu_layout *lay, size_t pi) {
    if (pi >= lay->npages) return NULL;
    if (lay->pages) return &lay->pages[pi];
    hu_layout_pager *g = lay->pager;
    hu_page *page = &g->page;
    page->nruns = page->nrules = 0;
    page->number = (int)pi + 1;
    const pg *p = &g->pages[pi];
    for (size_t k = 0; k < p->n; k++) {
        const ispan *it = &g->items[p->p[k].item];
        double ytop = g->top - p->p[k].off;
        put_runs(g, page, it->p0, it->p1, ytop, HU_RUN_TEXT);
        for (size_t r = it->r0; r < it->r1; r++) {
            HU_GROW(page->rules, page->nrules, g->rucap);
            const rrule *rr = &g->r[r];
            page->rules[page->nrules++] =
                (hu_rule){rr->x0, ytop - rr->y0, rr->x1, ytop - rr->y1, rr->w};
        }
    }
    if (g->pn) put_runs(g, page, g->pn[pi], g->pn[pi + 1], g->pn_base, HU_RUN_PAGE_NUMBER);
    return page;
}

void hu_layout_release(hu_layout *lay) {
    hu_layout_pager *g = lay ? lay->pager : NULL;
    if (!g) return;
    for (size_t pi = 0; pi < g->np; pi++)
        free(g->pages[pi].p);
    free(g->pages), free(g->items), free(g->pr), free(g->cps), free(g->r), free(g->pn);
    free(g->cuts);
    free(g->page.runs), free(g->page.rules);
    free(g);
    lay->pager = NULL;
}

hu_layout *hu_layout_document(hu_arena *a, cmark_node *doc, const hu_style *st, const hu_metrics *m,
                              const char *where, hu_diags *d) {
    hu_layout *lay = hu_layout_stream(a, doc, st, m, where, d);
    if (!lay) return NULL;
    hu_page *pages = hu_arena_alloc(a, (lay->npages ? lay->npages : 1) * sizeof *pages);
    for (size_t pi = 0; pi < lay->npages; pi++) {
        const hu_page *pg = hu_layout_page(lay, pi);
        hu_page *out = &pages[pi];
        *out = *pg;
        out->runs = hu_arena_alloc(a, (pg->nruns ? pg->nruns : 1) * sizeof *out->runs);
        for (size_t r = 0; r < pg->nruns; r++) {
            out->runs[r] = pg->runs[r];
            uint32_t *cps = hu_arena_alloc(a, (pg->runs[r].n ? pg->runs[r].n : 1) * sizeof *cps);
            if (pg->runs[r].n) memcpy(cps, pg->runs[r].cps, pg->runs[r].n * sizeof *cps);
            out->runs[r].cps = cps;
            uint8_t *cuts = hu_arena_alloc(a, pg->runs[r].n ? pg->runs[r].n : 1);
            if (pg->runs[r].n) memcpy(cuts, pg->runs[r].cut, pg->runs[r].n);
            out->runs[r].cut = cuts;
        }
        out->rules = hu_arena_alloc(a, (pg->nrules ? pg->nrules : 1) * sizeof *out->rules);
        if (pg->nrules) memcpy(out->rules, pg->rules, pg->nrules * sizeof *out->rules);
    }
    hu_layout_release(lay);
    lay->pages = pages;
    return lay;
}
