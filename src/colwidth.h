/* colwidth.h - table column widths from content, as browsers lay out automatic tables
 * (CSS 2.1 §17.5.2.2; the same steps in every browser engine), and the font scale at which a
 * table fits without wrapping.
 *
 * Each column has a min-content width (its widest piece that must not break: a word, a number
 * with its unit, （万美元）, 2.5个百分点) and a max-content width (its widest cell set on one
 * line). Widths exclude the cells' padding. Units are the caller's (pt, em, twips).
 *
 * Pure computation: no fonts, no libharu. The PDF layout (layout.c) and the DOCX writer use
 * the same two functions on the same content widths, so both give a table the same columns. */
#ifndef HU_COLWIDTH_H
#define HU_COLWIDTH_H
#include <stddef.h>

typedef enum {
    HU_COLS_FIT = 0,     /* every column has at least its max-content width: no cell wraps */
    HU_COLS_WRAP = 1,    /* every column has at least its min-content width: some cells wrap */
    HU_COLS_OVERFLOW = 2 /* the min-content widths alone exceed avail: out[] = min[] */
} hu_cols_result;

/* Distributes avail among n columns into out[0..n):
 *   Σmax <= avail:          out = max + (avail − Σmax) × max / Σmax (the spare width goes to
 *                           the columns in proportion to their content; equally when all are 0)
 *   Σmin <= avail < Σmax:   out = min + (avail − Σmin) × (max − min) / (Σmax − Σmin)
 *                           (columns that would wrap most get most of the room)
 *   avail < Σmin:           out = min, and the table overflows (the caller breaks inside words
 *                           or shrinks the font first).
 * A max below its min is taken as the min. n may be 0. */
hu_cols_result hu_colwidths(const double *min, const double *max, size_t n, double avail,
                            double *out);

/* The largest scale s in [min_scale, 1] at which the table's columns fit without wrapping:
 * s × Σ(max[c] + pad) <= avail, where min/max are measured at scale 1 (e.g. in em at the
 * style's table size) and pad is the horizontal padding of one column at scale 1 (both sides).
 * Returns 1 when the table fits as it is, min_scale when even that does not make it fit (the
 * table then wraps at min_scale: style.yaml's "shrink to 9 pt, then wrap"). */
double hu_colwidths_fit_scale(const double *max, size_t n, double pad, double avail,
                              double min_scale);

#endif
