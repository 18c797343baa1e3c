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

#endif
