/* titlebreak.c - title lines by dynamic programming over word boundaries.
 *
 * Candidate breaks are word boundaries (segment.c) where 禁则 allow (linebreak.c). A breaking
 * is a sequence of lines; its cost adds, per break, how good the boundary is as a phrase
 * boundary, per pair of adjacent lines, how uneven they are, and per line beyond the fewest
 * possible, a fixed price. The shape (梯形/菱形: rising then falling, the last line falling,
 * adjacent lines at least one em apart) is a constraint of the search, carried as a phase
 * (still rising / falling) in the state, so the search is exact: state = (line count, first and
 * last boundary of the current line, phase), O(lines × boundaries³), a few thousand steps for a
 * 70-character title. If no breaking satisfies the shape, the search runs again with shape
 * violations priced instead of forbidden, then with every 禁则-allowed position as a candidate
 * (a title that is one long word), then with every position. */
#include "titlebreak.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "linebreak.h"
#include "segment.h"
#include "utf8.h"

#define EPS 1e-6
#define INF DBL_MAX

double hu_title_char_width(uint32_t c) {
    if (c >= 0x2E80) return (c >= 0xFF61 && c <= 0xFFDC) ? 0.5 : 1.0; /* half-width forms */
    switch (c) {
    case 0x00B7: /* · */
    case 0x00D7: /* × */
    case 0x00F7: /* ÷ */
    case 0x2014: /* — */
    case 0x2015:
    case 0x2018: /* ‘ ’ “ ” */
    case 0x2019:
    case 0x201C:
    case 0x201D:
    case 0x2026: /* … */
    case 0x2030: /* ‰ */
    case 0x2103: /* ℃ */
    case 0x203B: /* ※ */
    case 0x2116: /* № */
    case 0x2160: /* Ⅰ */
        return 1.0;
    default:
        if (c >= 'A' && c <= 'Z') return 0.7; /* Times-like capitals: 0.61-0.94 em */
        return (c >= 0x2460 && c <= 0x24FF) || (c >= 0x2500 && c <= 0x27BF) ? 1.0 : 0.5;
    }
}

/* ------------------------------------------------------------------ break quality */

static bool is_conj(uint32_t c) {
    return c == 0x548C /* 和 */ || c == 0x66A8 /* 暨 */ || c == 0x4E0E /* 与 */ ||
           c == 0x53CA /* 及 */ || c == 0x5E76 /* 并 */ || c == 0x540C /* 同 */;
}

static bool is_digit(uint32_t c) {
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

/* Price of a break between words [ws, i] and [i+1, we) (lower is better). */
static double break_price(const uint32_t *t, size_t n, const unsigned char *bnd, size_t i) {
    uint32_t a = t[i], b = t[i + 1];
    size_t ws = i, we = i + 1;
    while (ws > 0 && !bnd[ws - 1])
        ws--;
    while (we < n && !bnd[we - 1])
        we++;
    bool a_single = ws == i, b_single = we == i + 2;
    if (b == 0x5173 && i + 2 < n && t[i + 2] == 0x4E8E) return 0; /* …机关|关于 */
    if (a == 0x7684) return 0;                                    /* …的|汇报 */
    if (b_single && is_conj(b)) return 0;                         /* …情况|和下一步… */
    if (a_single && is_conj(a)) return 1;                         /* …情况和|下一步… */
    bool date_b = is_digit(b), date_a = false;
    for (size_t k = ws; k <= i && !date_a; k++)
        date_a = is_digit(t[k]);
    if (date_a || date_b) return 1;                              /* …|2026年1—9月|… */
    if (a == 0x4E8E && ws + 1 == i && t[ws] == 0x5173) return 2; /* 关于|… */
    if ((a_single && hu_segment_is_function_char(a)) ||
        (b_single && hu_segment_is_function_char(b)))
        return 3;
    return 4; /* between two words inside a phrase */
}

/* ------------------------------------------------------------------ search */

typedef struct {
    const uint32_t *t;
    const double *w;
    size_t n;
    double *pre; /* prefix sums of widths */
    size_t *p;   /* boundary positions: p[0] = 0, p[m+1] = n */
    double *pen; /* price of breaking at p[b], 1 <= b <= m */
    size_t m;
    double maxw, hardw, em;
} ctx;

static double line_width(const ctx *c, size_t s, size_t e) {
    while (s < e && c->t[s] == ' ')
        s++;
    while (e > s && c->t[e - 1] == ' ')
        e--;
    return c->pre[e] - c->pre[s];
}

/* Transition cost between adjacent lines of widths lp (above) and lc, or INF when strict and
 * the shape forbids it; *ph is the phase (0 rising, 1 falling), updated. */
static double shape_cost(const ctx *c, double lp, double lc, int *ph, bool strict) {
    double d = (lp - lc) / c->em, cost = 0;
    if (fabs(d) < 1 - EPS) {
        if (strict) return INF;
        cost += 100;
    }
    if (d < 0) { /* rising */
        if (*ph == 1) {
            if (strict) return INF;
            cost += 100;
        }
    } else {
        *ph = 1;
    }
    double x = fabs(d) - 2;
    if (x > 0) cost += 0.3 * x * x;
    return cost;
}

/* A line under four characters looks lost under a long one; a line over the preferred width
 * costs what a plain word break does per character. */
static double line_cost(const ctx *c, double lw) {
    double x = 4 - lw / c->em, over = (lw - c->maxw) / c->em;
    return (x > 0 ? 6 * x : 0) + (over > EPS ? 4 + 4 * over : 0);
}

/* Best breaking with at most K lines; fills ends, returns the line count or 0 when none. */
static size_t search(const ctx *c, size_t K, size_t kmin, bool strict, size_t *ends) {
    size_t P = c->m + 2; /* boundary indices 0 .. m+1 */
    size_t nstate = K * P * P * 2;
    double *best = hu_xmalloc(nstate * sizeof *best);
    int *back = hu_xmalloc(nstate * sizeof *back); /* previous line's start index * 2 + phase */
    for (size_t i = 0; i < nstate; i++)
        best[i] = INF, back[i] = -1;
#define IDX(k, a, b, ph) ((((k)*P + (a)) * P + (b)) * 2 + (ph))
    for (size_t b = 1; b < P; b++) {
        double lw = line_width(c, 0, c->p[b]);
        if (lw > c->hardw + EPS) break;
        best[IDX(0, 0, b, 0)] = (b < P - 1 ? c->pen[b] : 0) + line_cost(c, lw);
    }
    double fin = INF;
    size_t fk = 0, fa = 0;
    int fph = 0;
    for (size_t k = 0; k < K; k++) {
        for (size_t a = 0; a < P; a++)
            for (size_t b = a + 1; b < P; b++)
                for (int ph = 0; ph < 2; ph++) {
                    double cur = best[IDX(k, a, b, ph)];
                    if (cur == INF) continue;
                    double lp = line_width(c, c->p[a], c->p[b]);
                    if (b == P - 1) { /* the last line */
                        if (k > 0 && ph == 0) {
                            if (strict) continue;
                            cur += 100; /* the last line is the longest */
                        }
                        double extra = k + 1 > kmin ? 10.0 * (double)(k + 1 - kmin) : 0;
                        if (cur + extra < fin) fin = cur + extra, fk = k, fa = a, fph = ph;
                        continue;
                    }
                    if (k + 1 >= K) continue;
                    for (size_t e = b + 1; e < P; e++) {
                        double lc = line_width(c, c->p[b], c->p[e]);
                        if (lc > c->hardw + EPS) break;
                        int nph = ph;
                        double sc = shape_cost(c, lp, lc, &nph, strict);
                        if (sc == INF) continue;
                        double v = cur + sc + line_cost(c, lc) + (e < P - 1 ? c->pen[e] : 0);
                        size_t id = IDX(k + 1, b, e, nph);
                        if (v < best[id]) best[id] = v, back[id] = (int)(a * 2 + (size_t)ph);
                    }
                }
    }
    size_t nl = 0;
    if (fin < INF) {
        nl = fk + 1;
        size_t k = fk, a = fa, b = P - 1;
        int ph = fph;
        for (;;) {
            ends[k] = c->p[b];
            if (k == 0) break;
            int bk = back[IDX(k, a, b, ph)];
            b = a;
            a = (size_t)bk / 2;
            ph = bk % 2;
            k--;
        }
    }
#undef IDX
    free(best), free(back);
    return nl;
}

size_t hu_title_break(const uint32_t *t, const double *w, size_t n, double max_width,
                      double hard_width, double em, size_t *ends, size_t max_lines) {
    if (n == 0 || max_lines == 0) return 0;
    if (hard_width < max_width) hard_width = max_width;
    ctx c = {t, w, n, NULL, NULL, NULL, 0, max_width, hard_width, em > 0 ? em : 1};
    c.pre = hu_xmalloc((n + 1) * sizeof *c.pre);
    c.p = hu_xmalloc((n + 2) * sizeof *c.p);
    c.pen = hu_xmalloc((n + 2) * sizeof *c.pen);
    unsigned char *bnd = hu_xmalloc(n), *brk = hu_xmalloc(n);
    c.pre[0] = 0;
    for (size_t i = 0; i < n; i++)
        c.pre[i + 1] = c.pre[i] + w[i];
    size_t nl = 0;
    double total = line_width(&c, 0, n);
    if (total <= max_width + EPS || max_lines == 1 || n > 400) {
        ends[0] = n;
        nl = 1;
    }
    hu_segment_words(t, n, bnd);
    hu_linebreak_compute(t, n, brk);
    size_t kmin = hard_width > 0 ? (size_t)ceil(total / hard_width - EPS) : 1;
    if (kmin < 1) kmin = 1;
    /* level 0: words, strict shape; 1: words, priced shape; 2/3: 禁则 positions;
     * 4: every position */
    for (int level = 0; level < 5 && nl == 0; level++) {
        c.m = 0;
        c.p[0] = 0;
        for (size_t i = 0; i + 1 < n; i++) {
            bool ok = level < 2   ? bnd[i] && brk[i] != HU_BRK_NO
                      : level < 4 ? brk[i] != HU_BRK_NO
                                  : true;
            /* 的 never starts a title line (…情况|的汇报) */
            if (!ok || t[i + 1] == ' ' || (level < 4 && t[i + 1] == 0x7684)) continue;
            c.p[++c.m] = i + 1;
            c.pen[c.m] = level < 2 ? break_price(t, n, bnd, i) : bnd[i] ? 4 : 8;
        }
        c.p[c.m + 1] = n;
        if (c.m > 150) continue; /* too many to search: the next level or the greedy cut */
        size_t K = kmin + 2;
        if (K > max_lines) K = max_lines;
        nl = search(&c, K, kmin, level % 2 == 0 && level < 4, ends);
    }
    if (nl == 0) { /* greedy: each line as long as it fits */
        size_t s = 0;
        while (s < n && nl < max_lines) {
            size_t e = s + 1;
            while (e < n && line_width(&c, s, e + 1) <= hard_width + EPS)
                e++;
            if (nl + 1 == max_lines) e = n;
            ends[nl++] = e;
            s = e;
        }
    }
    free(c.pre), free(c.p), free(c.pen), free(bnd), free(brk);
    return nl;
}

size_t hu_title_break_utf8(const char *title, double max_chars, double hard_chars,
                           size_t *byte_ends, size_t max_lines) {
    size_t len = strlen(title), n = 0;
    uint32_t *t = hu_xmalloc((len + 1) * sizeof *t);
    double *w = hu_xmalloc((len + 1) * sizeof *w);
    size_t *off = hu_xmalloc((len + 1) * sizeof *off),
           *ends = hu_xmalloc((max_lines + 1) * sizeof *ends);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += hu_utf8_decode(title + i, len - i, &cp);
        t[n] = cp;
        w[n] = hu_title_char_width(cp);
        off[++n] = i;
    }
    off[0] = 0;
    size_t nl = hu_title_break(t, w, n, max_chars, hard_chars, 1.0, ends, max_lines);
    for (size_t k = 0; k < nl; k++)
        byte_ends[k] = off[ends[k]];
    free(t), free(w), free(off), free(ends);
    return nl;
}

size_t hu_title_lines(const uint32_t *text, size_t n, double max_chars, double text_chars,
                      size_t *ends) {
    if (n == 0) return 0;
    double hard = text_chars - 0.5;
    double maxw = max_chars > 0 ? max_chars : text_chars;
    if (maxw > hard) maxw = hard;
    double *w = hu_xmalloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = hu_title_char_width(text[i]);
    size_t nl = hu_title_break(text, w, n, maxw, hard, 1.0, ends, n);
    free(w);
    return nl;
}
