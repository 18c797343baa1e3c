/* pdf_write.h - the file layout of a finished libharu document, written by us: PDF 1.5 with
 * object streams and a cross-reference stream (pdf_write.c explains why not libharu's writer).
 * Only pdf.c includes this header. */
#ifndef HU_PDF_WRITE_H
#define HU_PDF_WRITE_H
#include <hpdf.h>
#include <stdbool.h>

/* Writes pdf to path (created or truncated); path NULL makes the whole file in memory and
 * drops it (huibao check). Every stream of pdf must be unfiltered by libharu (pdf_fonts.c
 * deflates them and writes their /Filter). The document must not be used afterwards except to
 * HPDF_Free it (its objects are renumbered). Returns HPDF_OK, a libharu error code, or
 * HPDF_FILE_IO_ERROR when path cannot be written. sha256 (NULL: not wanted) receives the
 * SHA-256 of the bytes written, as they are written ("" on failure). before_streams (may be
 * NULL) is called with arg once the objects that are not streams are serialised and packed,
 * before the first stream is written: the font programs are put into their streams there
 * (hu_pdf_fonts_finish) while the rest of the document was being made; false from it fails the
 * write (HPDF_INVALID_DOCUMENT). */
HPDF_STATUS hu_pdf_write(HPDF_Doc pdf, const char *path, char sha256[65],
                         bool (*before_streams)(void *), void *arg);

/* A PDF text string (PDF 32000-1:2008, 7.9.2.2) for key in dict: utf8 as a hexadecimal string
 * of UTF-16BE with its byte order mark, characters outside the BMP as surrogate pairs (libharu's
 * UTF-8 encoder, which wrote these before, keeps 16 bits of a code point and so put a wrong
 * character in the bookmarks for a name like 𬌗; an invalid UTF-8 sequence becomes U+FFFD). An
 * entry already under key is replaced where it is, so the dictionary's order stays. dict NULL
 * (hu_pdf_info_text: no information dictionary) is an error. Returns HPDF_OK or a libharu code. */
HPDF_STATUS hu_pdf_text_string(HPDF_Dict dict, const char *key, const char *utf8);
/* hu_pdf_text_string in the document information dictionary, which a first HPDF_SetInfoAttr
 * has made (libharu makes it then, and keeps it in a private field). */
HPDF_STATUS hu_pdf_info_text(HPDF_Doc pdf, const char *key, const char *utf8);

#endif
