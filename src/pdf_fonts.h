/* pdf_fonts.h - the PDF module's font objects (private to pdf.c): the faces a laid-out document
 * uses, subset with hb-subset and embedded through libharu as CIDFonts with a valid ToUnicode
 * CMap. fonts.h knows nothing of libharu; this is where its types meet ours. */
#ifndef HU_PDF_FONTS_H
#define HU_PDF_FONTS_H
#include <hpdf.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "fonts.h"

typedef struct hu_pdf_fonts hu_pdf_fonts;

/* Subset every face of f with recorded use (hu_fonts_use) to its used code points, load the
 * subsets into pdf and fix libharu's ToUnicode CMaps. subset=false embeds whole faces (for the
 * bench comparison). Returns NULL after reporting to d. Enables UTF-8 encodings unless already
 * enabled; sets no libharu error on success. Subsets go through a temporary file that is
 * unlinked as soon as libharu has opened it (libharu keeps the FILE open and reads it again at
 * HPDF_SaveToFile), so nothing is left in $TMPDIR. */
hu_pdf_fonts *hu_pdf_fonts_embed(hu_fonts *f, HPDF_Doc pdf, bool subset, hu_diags *d);
/* The font object drawing face, or NULL when the face is unused. */
HPDF_Font hu_pdf_fonts_font(const hu_pdf_fonts *pf, int face);
/* The 2-byte code under which cp is drawn: cp itself in the BMP, else the private-use alias the
 * embedded subsets map to its glyph (the PDF's ToUnicode maps it back, so text extraction
 * gives cp). */
uint32_t hu_pdf_fonts_code(const hu_pdf_fonts *pf, uint32_t cp);
void hu_pdf_fonts_free(hu_pdf_fonts *pf);

#endif
