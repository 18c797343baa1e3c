/* colwidth.c - automatic table layout (see colwidth.h). */
#include "colwidth.h"

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
