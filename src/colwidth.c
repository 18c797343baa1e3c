/* colwidth.c - automatic table layout (see colwidth.h). */
#include "colwidth.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "linebreak.h"
#include "segment.h"

#define EPS 1e-9

hu_cols_result hu_colwidths(const double *min, const double *max, size_t n, double avail,
                            double *out) {
    double smin = 0, smax = 0;
    for (size_t c = 0; c < n; c++) {
        double mx = max[c] > min[c] ? max[c] : min[c];
        smin += min[c], smax += mx;
    }
    if (smax <= avail + EPS) {
        for (size_t c = 0; c < n; c++) {
            double mx = max[c] > min[c] ? max[c] : min[c];
            out[c] = mx + (avail - smax) * (smax > EPS ? mx / smax : 1.0 / (double)n);
        }
        return HU_COLS_FIT;
    }
    if (smin <= avail + EPS) {
        for (size_t c = 0; c < n; c++) {
            double mx = max[c] > min[c] ? max[c] : min[c];
            out[c] = min[c] + (avail - smin) * (mx - min[c]) / (smax - smin);
        }
        return HU_COLS_WRAP;
    }
    for (size_t c = 0; c < n; c++)
        out[c] = min[c];
    return HU_COLS_OVERFLOW;
}

double hu_colwidths_fit_scale(const double *max, size_t n, double pad, double avail,
                              double min_scale) {
    double need = 0;
    for (size_t c = 0; c < n; c++)
        need += max[c] + pad;
    if (need <= avail + EPS) return 1;
    double s = avail / need;
    return s < min_scale ? min_scale : s;
}

/* ------------------------------------------------------------------ table geometry */

bool hu_cell_numeric(const uint32_t *cp, size_t n) {
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (!(c < 128 && strchr(".,%+- ", (int)c)) && c != 0x2212 && c != 0x2030 &&
                 c != 0xFF05)
            return false;
    }
    return digits > 0;
}

hu_cell_extent hu_cell_extent_of(const uint32_t *cp, const double *adv_em, size_t n, bool pairs) {
    if (n == 0) return (hu_cell_extent){0, 0, 0, false};
    hu_punct_fit *pf = hu_xmalloc(n * sizeof *pf);
    unsigned char *brk = hu_xmalloc(2 * n), *bnd = brk + n;
    hu_punct_fit_compute(cp, adv_em, n, pairs, pf);
    hu_linebreak_compute(cp, n, brk);
    hu_segment_words(cp, n, bnd);
    hu_cell_extent e = hu_cell_extent_from(cp, adv_em, n, pf, brk, bnd);
    free(pf), free(brk);
    return e;
}

hu_cell_extent hu_cell_extent_from(const uint32_t *cp, const double *adv_em, size_t n,
                                   const struct hu_punct_fit *pf, const unsigned char *brk,
                                   const unsigned char *bnd) {
    hu_cell_extent e = {0, 0, 0, false};
    if (n == 0) return e;
    double word = 0, any = 0;
    for (size_t k = 0; k < n; k++) {
        double w = adv_em[k] - pf[k].cut;
        e.total += w, word += w, any += w;
        if (brk[k] != HU_BRK_NO) {
            if (any - pf[k].end > e.any_min) e.any_min = any - pf[k].end;
            any = 0;
            if (bnd[k] || brk[k] == HU_BRK_MUST) {
                if (word - pf[k].end > e.word_min) e.word_min = word - pf[k].end;
                word = 0;
            }
        }
    }
    e.numeric = hu_cell_numeric(cp, n);
    return e;
}

/* Minimum, body maximum, soft minimum and maximum with the headers of each column (em). */
static void column_extents(const hu_cell_extent *cells, const bool *header, size_t nrows,
                           size_t ncols, bool any, double slack, double *mn, double *mx,
                           double *soft, double *mxh) {
    for (size_t c = 0; c < ncols; c++)
        mn[c] = mx[c] = soft[c] = mxh[c] = 0;
    for (size_t i = 0; i < nrows * ncols; i++) {
        const hu_cell_extent *e = &cells[i];
        size_t c = i % ncols;
        bool hdr = header[i / ncols];
        if (e->total <= 0) continue;
        double m = any ? e->any_min : e->word_min;
        if (m > mn[c]) mn[c] = m;
        if (!hdr && e->total > mx[c]) mx[c] = e->total;
        if (e->total > mxh[c]) mxh[c] = e->total;
        double limit = hdr ? 5 : e->numeric ? 6 : 4;
        double whole = e->total + (hdr ? slack : 0);
        if (e->total <= limit && whole > soft[c]) soft[c] = whole;
    }
    for (size_t c = 0; c < ncols; c++) {
        if (soft[c] < mn[c]) soft[c] = mn[c];
        if (mx[c] < soft[c]) mx[c] = soft[c];
        if (mxh[c] < mx[c]) mxh[c] = mx[c];
    }
}

hu_table_geom hu_table_geometry(const hu_cell_extent *cells, const bool *header, size_t nrows,
                                size_t ncols, const hu_table_params *p, double *cw) {
    hu_table_geom g = {p->size, true, HU_COLS_FIT};
    if (ncols == 0) return g;
    double *mn = hu_xmalloc(5 * ncols * sizeof *mn);
    double *mx = mn + ncols, *soft = mx + ncols, *mxh = soft + ncols, *tmp = mxh + ncols;
    column_extents(cells, header, nrows, ncols, false, p->header_slack_em, mn, mx, soft, mxh);
    double min_scale = p->min_size < p->size ? p->min_size / p->size : 1;
    for (size_t c = 0; c < ncols; c++)
        tmp[c] = mx[c] * p->size;
    g.size =
        p->size * hu_colwidths_fit_scale(tmp, ncols, 2 * p->pad_em * p->size, p->avail, min_scale);
    double A = p->avail - 2 * p->pad_em * g.size * (double)ncols;
    double ssum = 0, msum = 0;
    for (size_t c = 0; c < ncols; c++)
        ssum += soft[c] * g.size, msum += mn[c] * g.size;
    if (ssum <= A) {
        memcpy(mn, soft, ncols * sizeof *mn);
    } else if (msum > A) {
        g.word_breaks = false;
        column_extents(cells, header, nrows, ncols, true, p->header_slack_em, mn, mx, soft, mxh);
    }
    double hsum = 0, bsum = 0;
    for (size_t c = 0; c < ncols; c++)
        hsum += mxh[c] * g.size, bsum += mx[c] * g.size;
    const double *lo = hsum <= A || bsum > A ? mn : mx, *hi = bsum > A ? mx : mxh;
    double *lw = hu_xmalloc(2 * ncols * sizeof *lw);
    double *hw = lw + ncols;
    for (size_t c = 0; c < ncols; c++) {
        double a = lo[c] * g.size, b = hi[c] * g.size;
        lw[c] = a, hw[c] = b;
    }
    g.cols = hu_colwidths(lw, hw, ncols, A, cw);
    free(lw), free(mn);
    return g;
}
