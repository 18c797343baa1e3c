/* cff.h - the few facts huibao needs from an OpenType font's CFF table (Adobe Technical Note
 * #5176, "The Compact Font Format Specification"): whether it is CID-keyed, its glyph count and
 * each glyph's CID from the charset, and its ROS (Registry-Ordering-Supplement).
 *
 * Why our own reader: HarfBuzz parses CFF internally but exposes none of this, and a PDF that
 * embeds a CID-keyed CFF as CIDFontType0C must show text by CID, the charset's number of the
 * glyph, not by glyph id (PDF 32000-1:2008, 9.7.4.2). fonts.c also uses it to refuse a damaged
 * table when the font is opened (so `check` says what `build` would refuse). Every read is
 * bounds-checked: the table comes from whatever file a user names. */
#ifndef HU_CFF_H
#define HU_CFF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hu_buf;

typedef struct hu_cff {
    const unsigned char *data; /* the CFF table (not owned) */
    size_t len;
    unsigned nglyphs;  /* entries of the CharStrings INDEX */
    bool cid_keyed;    /* the top DICT has ROS: CIDs come from the charset */
    size_t charset;    /* offset of the charset; 0-2 are the predefined ones */
    char registry[64]; /* ROS of a CID-keyed font ("Adobe"); "" otherwise */
    char ordering[64]; /* "GB1", "Identity" */
    int supplement;
} hu_cff;

/* Reads the header, the first font's top DICT, the String INDEX (for ROS) and the CharStrings
 * INDEX count of the CFF table data[0..len). Returns true when they are whole; false with *why
 * (may be NULL) a short reason in Chinese for the caller's message ("表头不完整"). data must
 * outlive c. */
bool hu_cff_open(hu_cff *c, const void *data, size_t len, const char **why);

/* Fills cid[0..c->nglyphs) with each glyph's CID: the charset's for a CID-keyed font, the glyph
 * id itself for a name-keyed one (whose charset maps glyphs to names). Returns false when the
 * charset is damaged (runs past the table, or is a predefined one in a CID-keyed font). */
bool hu_cff_cids(const hu_cff *c, uint16_t *cid);

/* ---- appending glyphs (the CFF writer) ----
 *
 * A glyph appended to a subset's CFF: a copy of glyph gid's outline moved dx font units along
 * x (negative: left), with advance width advance (font units). pdf_fonts.c appends one per
 * squeezed punctuation mark and squeeze (layout.h, hu_run.cut), so the mark has a narrow glyph
 * of its own as in a TrueType subset.
 *
 * Why our own writer: no Debian library writes CFF from C (HarfBuzz's hb-subset only subsets,
 * FreeType only reads; fontTools is Python). Type 2 charstrings have no translate operator,
 * so the copy is flattened: subroutine calls inlined, hints dropped (their masks depend on the
 * stems, and a moved vstem would need rewriting; a 1-em mark renders the same without them),
 * the first moveto's x moved by dx and the width operand set from advance.
 *
 * A name-keyed font stays name-keyed: each new glyph gets a name of its own in the String
 * INDEX (its charset entry is a SID). Converting it to CID-keyed with an identity charset would
 * keep the codes (glyph ids) too, but would mean a new FDArray and FDSelect, moving the top
 * DICT's Private and FontMatrix into a Font DICT and changing the CIDSystemInfo the PDF
 * declares; appended names change nothing the old glyphs rely on. */
typedef struct hu_cff_glyph {
    unsigned gid; /* the glyph copied, < nglyphs */
    int dx;       /* its outline moved by this much along x (font units) */
    int advance;  /* its advance width (font units) */
} hu_cff_glyph;

/* Writes into out (emptied first) c's table with g[0..n) appended as glyphs c->nglyphs + j:
 * a new CharStrings INDEX, a charset extended by their CIDs (CID-keyed: new CIDs past the
 * largest, or in its gaps above 65535) or names ("g<gid>.hu<j>" in the String INDEX,
 * name-keyed), an FDSelect giving each its source glyph's Font DICT, and the top DICT's,
 * Font DICTs' and Private DICTs' offsets recomputed (written as 5-byte integers, so their
 * sizes do not depend on their values). Everything else is copied byte for byte. code[j] is
 * the PDF code that selects the new glyph (its CID, or its glyph id for a name-keyed font,
 * PDF 32000-1 9.7.4.2). Returns false, out empty, when c has something this writer does not
 * handle (several fonts, a charstring with arithmetic or seac operators, an expert charset,
 * 65536 glyphs): the caller draws the marks as before. */
bool hu_cff_append(const hu_cff *c, const hu_cff_glyph *g, unsigned n, struct hu_buf *out,
                   unsigned *code);

#endif
