/* pdf_fonts.h - the PDF module's font objects (private to pdf.c): the faces a laid-out document
 * uses, subset with hb-subset and written as our own Type0 objects over a CIDFontType2
 * (TrueType) or CIDFontType0 (OpenType/CFF) into libharu's document, and the text operators that
 * draw with them. pdf_fonts.c is the only file that uses libharu's private headers; fonts.h
 * knows nothing of libharu. */
#ifndef HU_PDF_FONTS_H
#define HU_PDF_FONTS_H
#include <hpdf.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "fonts.h"

typedef struct hu_pdf_fonts hu_pdf_fonts;

/* The squeezed marks a document draws (layout.h, hu_run.cut), collected before the fonts are
 * embedded: each (face, character, cut) gets a glyph of its own where the face allows. */
typedef struct hu_pdf_cuts hu_pdf_cuts;
hu_pdf_cuts *hu_pdf_cuts_new(int nfaces);
void hu_pdf_cuts_add(hu_pdf_cuts *c, int face, uint32_t cp, uint8_t cut);
void hu_pdf_cuts_free(hu_pdf_cuts *c);

/* Build the font objects (Type0 over CIDFontType2, or CIDFontType0 for an OpenType/CFF face,
 * see pdf_fonts.c) of every face of f with recorded use (hu_fonts_use) into pdf. subset=false
 * embeds whole faces (for the bench comparison); true subsets each face to its used code points
 * with hb-subset. Returns NULL after reporting to d. Nothing is written to disk. */
hu_pdf_fonts *hu_pdf_fonts_embed(hu_fonts *f, HPDF_Doc pdf, bool subset, const hu_pdf_cuts *cuts,
                                 hu_diags *d);
/* hu_pdf_fonts_embed in two halves, for a caller with work to do meanwhile: _begin returns
 * once every face's objects exist and it can be drawn with (hu_pdf_fonts_select, _show), while
 * the biggest face's program may still be being deflated on a helper thread (pdf_fonts.c, "two
 * threads"); _finish waits for it and puts each program into its stream object, and must come
 * before the document is written (hu_pdf_write's before_streams). _finish returns false after
 * reporting to d; hu_pdf_fonts_free without _finish waits for the helper too. */
hu_pdf_fonts *hu_pdf_fonts_begin(hu_fonts *f, HPDF_Doc pdf, bool subset, const hu_pdf_cuts *cuts,
                                 hu_diags *d);
bool hu_pdf_fonts_finish(hu_pdf_fonts *pf, hu_diags *d);
/* The Type0 font object drawing face, or NULL when the face is unused. */
HPDF_Dict hu_pdf_fonts_font(const hu_pdf_fonts *pf, int face);
/* Inside BT/ET of page: "/Fn size Tf" for face (added to the page's font resources). */
HPDF_STATUS hu_pdf_fonts_select(const hu_pdf_fonts *pf, HPDF_Page page, int face, double size);
/* Inside BT/ET of page: "1 0 0 1 x y Tm", the bytes and state HPDF_Page_SetTextMatrix gives
 * for it, at a fifth of its cost. */
HPDF_STATUS hu_pdf_text_at(HPDF_Page page, double x, double y);
/* "x y m" (line false) or "x y l" (true) onto page: the bytes and state HPDF_Page_MoveTo and
 * HPDF_Page_LineTo give, without their clearing of a 512-byte buffer a byte at a time. */
HPDF_STATUS hu_pdf_path_to(HPDF_Page page, double x, double y, bool line);
/* Inside BT/ET of page, with face selected: the code points as one Tj of their CIDs. Code
 * points not recorded for face draw .notdef. cut (may be NULL): each one's squeeze
 * (hu_run.cut), drawn with the narrower glyph recorded with hu_pdf_cuts_add, or where the face
 * could not get one (a CFF table cff.h's writer does not take) with the full glyph moved by
 * TJ, as wide as before in the text layer. */
HPDF_STATUS hu_pdf_fonts_show(const hu_pdf_fonts *pf, HPDF_Page page, int face, const uint32_t *cps,
                              const uint8_t *cut, size_t n);
/* Deflates page's content stream (libdeflate) once the page is drawn: call it after the last
 * operator of the page. */
HPDF_STATUS hu_pdf_deflate_page(hu_pdf_fonts *pf, HPDF_Page page);
/* After the last page: the page contents' compressor is freed (its memory goes to the
 * writer's, hu_pdf_deflate_new). */
void hu_pdf_fonts_pages_done(hu_pdf_fonts *pf);
/* A libdeflate compressor of level (NULL when out of memory), and its release. Every
 * compressor of the process goes through these: its memory (652 KB for levels 2-9, whose
 * pages the first compression faults in) is kept when it is freed and handed to the next
 * compressor, whatever its level or thread (pdf_fonts.c, "compressors"). */
struct libdeflate_compressor *hu_pdf_deflate_new(int level);
void hu_pdf_deflate_free(struct libdeflate_compressor *z);
/* dst becomes [page /XYZ null top 0] (libharu's own setter rejects a zoom of 0). */
void hu_pdf_dest_xyz(HPDF_Page page, HPDF_Destination dst, double top);
void hu_pdf_fonts_free(hu_pdf_fonts *pf);

#endif
