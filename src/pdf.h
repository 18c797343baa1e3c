/* pdf.h - the PDF writer: the rendered document (doc.h) -> layout.c -> libharu.
 *
 * hu_pdf_build is the one call report.c makes, with the report's resolved style and opened
 * fonts (the same ones the coverage check and the DOCX writer use). hu_pdf_draw is public so
 * tests and bench/ can time layout and drawing separately. The font objects are made in
 * pdf_fonts.c; no libharu type appears in this header. */
#ifndef HU_PDF_H
#define HU_PDF_H
#include <cmark-gfm.h>
#include <stdbool.h>

#include "error.h"
#include "fonts.h"
#include "layout.h"
#include "model.h"
#include "style.h"

/* Milliseconds spent in each stage of the last build (for bench/). */
typedef struct hu_pdf_stats {
    double fonts_open_ms, layout_ms, embed_ms, draw_ms, save_ms;
    size_t pages, runs, glyphs;
    long pdf_bytes;
    /* the SHA-256 of the file as it was written ("" when none was), so that putting it in
     * place need not read it back (report.c, manifest.h) */
    char sha256[65];
} hu_pdf_stats;

typedef struct hu_pdf_options {
    const hu_style *style; /* the report's style (style.h); NULL: the GB/T 9704 defaults */
    /* The report's fonts (hu_fonts_open with hu_style_font_options); NULL: hu_pdf_build opens
     * the bundled ones with their fallbacks. Glyph use is recorded in them. */
    hu_fonts *fonts;
    bool strict;              /* a character no font has is an error */
    bool subset;              /* subset embedded fonts (default true) */
    long long now;            /* CreationDate, epoch seconds (SOURCE_DATE_EPOCH) */
    hu_pdf_stats *stats;      /* may be NULL */
    const char *display_path; /* the name messages use; NULL: out_path. report.c writes to a
                                 temporary file (atomic.h) and names the destination here */
    /* Called after a successful build for every font file the PDF depends on (those its
     * layout consulted: hu_fonts_consulted_files); may be NULL. */
    hu_font_file_cb font_file;
    void *font_file_ctx;
} hu_pdf_options;

/* subset = true, now = hu_build_time(), everything else NULL/false. */
void hu_pdf_options_default(hu_pdf_options *o);

/* Document information written into the PDF (UTF-8; any may be NULL). */
typedef struct hu_pdf_info {
    const char *title, *author, *subject, *creator;
    const char *display_path; /* the name messages use; NULL: out_path */
    long long created;        /* epoch seconds */
} hu_pdf_info;

/* Typesets doc (the rendered document, doc.h) into out_path, which is written in place
 * (removed again if saving fails): callers that must keep an existing file pass a temporary
 * path, as report.c does. out_path NULL makes the whole file in memory and drops it (huibao
 * check: everything but the writing). model supplies title, org and period for the document
 * information and may be NULL (the first # heading is the title then). Returns false when
 * problems went to d (file names, style.yaml line:col, fonts). */
bool hu_pdf_build(cmark_node *doc, const hu_model *model, const hu_pdf_options *opts,
                  const char *out_path, hu_diags *d);

/* Draws laid-out pages with the faces of f (they must be the faces the layout measured with)
 * and writes out_path. Records the glyph use in f as it goes. Returns false after an error in d. */
bool hu_pdf_draw(hu_layout *lay, hu_fonts *f, const hu_pdf_info *info, bool subset,
                 const char *out_path, hu_pdf_stats *stats, hu_diags *d);

#endif
