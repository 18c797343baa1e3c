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
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
/* ------------------------------------------------------------------ table geometry
 *
 * THE decision of a table's font size and column widths, for the PDF (layout.c) and the DOCX
 * (docx.c) alike: both measure their cells into extents with hu_cell_extent_of and ask
 * hu_table_geometry, so the two outputs give a table the same columns. */

/* What the geometry needs of one cell, in em of the table's font (measured at scale 1). */
typedef struct hu_cell_extent {
    double total;    /* the whole cell on one line (max-content) */
    double word_min; /* its widest piece between word breaks (segment.h) where 禁则 allow */
    double any_min;  /* its widest piece between 禁则 breaks alone (linebreak.h) */
    bool numeric;    /* a figure ("12.5", "-3.0%", "+2.5"): kept whole when short */
} hu_cell_extent;

/* A figure: digits with . , % ‰ ％ + - − and spaces only. */
bool hu_cell_numeric(const uint32_t *cp, size_t n);

/* The extent of a cell of text cp[0..n) whose characters advance by adv_em[0..n) (em at the
 * table's size) with the punctuation rules of linebreak.h (pairs: style punct_compress); a
 * piece ending at a break may drop a closing mark's blank half. */
hu_cell_extent hu_cell_extent_of(const uint32_t *cp, const double *adv_em, size_t n, bool pairs);

struct hu_punct_fit; /* linebreak.h */

/* The same from what a caller has computed for the cell already: pf from hu_punct_fit_compute
 * (cp, adv_em, n, pairs), brk from hu_linebreak_compute and bnd from hu_segment_words, as they
 * return them. layout.c measures each cell that way anyway, and computing them twice was a
 * sixth of the layout's instructions (the segmentation above all). */
hu_cell_extent hu_cell_extent_from(const uint32_t *cp, const double *adv_em, size_t n,
                                   const struct hu_punct_fit *pf, const unsigned char *brk,
                                   const unsigned char *bnd);

typedef struct hu_table_params {
    double avail;    /* the text width, pt */
    double size;     /* style table.size_pt: the size a table is set at when it fits */
    double min_size; /* style table.min_size_pt: shrink down to this before any cell wraps */
    double pad_em;   /* horizontal padding of a cell on each side, em */
    /* Added to a short header cell's width, em. The PDF draws with the metrics it measured
     * (0); Word and WPS measure with the office's own fonts and put a little space between
     * figures and CJK, so the DOCX adds a quarter em or a 4-character header ("完成|率")
     * wraps there. */
    double header_slack_em;
} hu_table_params;

typedef struct hu_table_geom {
    double size;         /* the font size, pt */
    bool word_breaks;    /* cells wrap between words; false: the words alone do not fit, so
                          * cells break wherever 禁则 allow */
    hu_cols_result cols; /* how the columns came out (hu_colwidths) */
} hu_table_geom;

/* The geometry of a table of nrows × ncols cells (row by row; header[r] marks header rows):
 *  1. the size: table.size shrunk (down to min_size) until every body cell fits on one line
 *     (hu_colwidths_fit_scale), padding included;
 *  2. the minimum of each column: its short cells whole (a header of up to 5 em plus the slack,
 *     a figure up to 6 em, other cells up to 4 em) when all such minimums fit, else its widest
 *     word, else (the words do not fit either) its widest piece between 禁则 breaks;
 *  3. the maximum: every cell on one line, headers included, when the whole table fits so;
 *     else the body cells on one line and the headers left to wrap (a long header such as
 *     "较序时进度（百分点）" must not starve the name column); when not even the body cells fit,
 *     columns get their minimum and the room left in proportion to how much they would wrap;
 *  4. hu_colwidths over the text width less the padding.
 * cw[0..ncols) gets the content width of each column in pt (padding excluded). */
hu_table_geom hu_table_geometry(const hu_cell_extent *cells, const bool *header, size_t nrows,
                                size_t ncols, const hu_table_params *p, double *cw);

#endif
