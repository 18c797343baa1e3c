/* pdf_fonts.c - the faces a document draws, written into the PDF as font objects of our own
 * (pdf_fonts.h); with pdf_write.c (the file layout) one of the two files that use libharu's
 * private headers.
 *
 * Each used face becomes a Type0 font with Identity-H encoding over a CIDFontType2 whose CIDs
 * are the glyph ids of an hb-subset subset (CIDToGIDMap /Identity), a /W array listing only the
 * drawn glyphs whose width differs from /DW, a FontFile2 holding only the tables a CID-keyed
 * TrueType font needs (PDF 32000-1 9.9: no cmap, name, post or OS/2), and a ToUnicode CMap
 * mapping each CID back to its character (a surrogate pair above U+FFFF). Everything is built
 * in memory: no temporary font file.
 *
 * A punctuation mark the justifier squeezed (layout.h, hu_run.cut) is drawn with a glyph of its
 * own appended to the subset: a composite of the mark's glyph, moved left by what its left side
 * lost, with an advance (hmtx and /W) as narrow as the squeeze; ToUnicode gives it the mark's
 * character. So the text layer's box of each character is the space it takes on the line
 * (poppler split lines at a full-width box overlapping the next glyph), the ink is the mark's,
 * and the CIDToGIDMap stays /Identity (the section "squeezed marks" below has the costs).
 *
 * An OpenType/CFF face becomes a CIDFontType0 instead, whose FontFile3 /CIDFontType0C is the
 * subset's CFF table itself. There is no CIDToGIDMap: the CFF selects the glyph (PDF 32000-1
 * 9.7.4.2), so the codes shown are the CIDs of the subset's charset for a CID-keyed font (Noto
 * CJK, Fandol .otf; hb-subset renumbers glyphs but keeps their CIDs) and glyph ids for a
 * name-keyed one (cff.h reads which). A CID selects exactly one glyph, so the squeezed marks'
 * glyphs, and a second character drawn with a glyph taken, are glyphs appended to the CFF by
 * our CFF writer (cff.h, hu_cff_append) with CIDs of their own past the subset's largest (glyph
 * ids in a name-keyed font): /W, ToUnicode and the codes shown then work as for TrueType. Only
 * a table the writer does not take (cff.h lists what) falls back to the old ways: the mark's
 * own glyph placed by TJ (its box full width, where poppler splits the line) and the shared
 * glyph's CID inside an /ActualText span.
 *
 * Why libharu's object API and not a writer of our own: libharu still makes the pages, outline
 * and document information (pdf_write.c writes the file from its object table), and our font
 * objects must be in that table to be referenced from its pages. A writer of our own for "these
 * objects" would therefore have to be a writer for the whole file. The object API (hpdf_objects.h,
 * hpdf_doc.h, hpdf_pages.h, hpdf_streams.h) is exported by the shared library but its structs
 * are not a stable interface, so every use is confined to this file and pinned to the one
 * release we build against (the checks below). Debian 12 ships exactly libharu 2.3.0. When the
 * pages are streamed out (issue 19 item 4) libharu's writer has to go anyway; these functions
 * are then the ones to port. */
#include "pdf_fonts.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <hpdf_version.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "hblib.h"
#include "hpdflib.h"
#include "buf.h"
#include "cff.h"
#include "spare.h"
#include "utf8.h"

/* The structs read here (HPDF_Doc_Rec, HPDF_Dict_Rec, HPDF_PageAttr_Rec) are libharu 2.3.0's. */
#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3 || HPDF_BUGFIX_VERSION != 0
#error "pdf_fonts.c uses libharu's private headers and is written for libharu 2.3.0 only"
#endif
_Static_assert(sizeof HPDF_VERSION_TEXT == sizeof "2.3.0",
               "pdf_fonts.c is written for libharu 2.3.0 (HPDF_VERSION_TEXT)");

typedef struct {
    HPDF_Dict font;  /* the Type0 font; NULL when the face is unused */
    hb_map_t *cid;   /* code point -> CID */
    hb_map_t *cut;   /* cut_key(code point, squeeze) -> the CID of its narrower glyph */
    hb_set_t *alias; /* CFF: code points drawn with a glyph ToUnicode gives to another one */
    char *w;         /* "/DW ... /W [...]" for the CIDFont's write_fn */
} pdf_face;

struct hu_pdf_fonts {
    struct libdeflate_compressor *z;
    int nfaces;
    pdf_face *face;
    int *slot; /* per face of the hu_fonts: the pdf_face drawing it (a twin draws with its
                  plain face's), or -1 */
    struct prep_run *run; /* the faces' preparation until hu_pdf_fonts_finish */
};

/* ---- squeezed marks ----
 *
 * A mark the justifier squeezes (layout.h, hu_run.cut: l eighths of an em off its left, r off
 * its right) gets a glyph of its own, so the text layer's box of each character is where the
 * character is: a reader takes a glyph's box from /W, and a full-width box reaching half an em
 * into the next character makes poppler split the line there ("开门红”" then "。" on a line
 * of its own) and a selection run past the margin. The glyph is a TrueType composite appended
 * to the subset: the mark's own glyph as its one component, moved l/8 em left, with an advance
 * (l + r)/8 em less (16 or 18 bytes of glyf, 4 of hmtx and loca each); its CID is its glyph id,
 * so the CIDToGIDMap stays /Identity, /W gives its width and ToUnicode its character. The ink
 * drawn is the mark's, at the same place: the layout puts the composite's origin l/8 em right
 * of where it put the mark's. A CFF face (CIDFontType0) gets the same glyphs from the CFF
 * writer (cff.h): a copy of the mark's charstring, flattened, its outline moved l/8 em left and
 * its width (l + r)/8 em less, with a CID of its own (cff_extend).
 *
 * Measured on sample 2026-08 (14 such glyphs in 仿宋): the font programs +331 bytes deflated
 * (of which 185 for hmtx: hb-subset's one longHorMetric for all glyphs becomes one per glyph,
 * the appended ones having advances of their own, as /W must agree with the program), ToUnicode
 * +67, the page contents -27 (a run no longer ends at each squeezed mark): +439 bytes in all.
 * An explicit CIDToGIDMap mapping extra CIDs to the marks' glyphs would cost ~630 bytes for
 * this subset alone and could not move an opening mark's ink. In CFF faces (the same 14 glyphs;
 * charstrings of 30-80 bytes, the charset and the offsets rewritten) the whole PDF grows by 268
 * bytes set in Noto Serif CJK, 387 in Fandol .otf, 314 in a name-keyed font; 2026-09 (4 marks)
 * shrinks by 13 bytes in Noto (the TJ arrays the marks needed are gone). */
static hb_codepoint_t cut_key(uint32_t cp, uint8_t cut) {
    return (hb_codepoint_t)cp << 8 | cut;
}

struct hu_pdf_cuts {
    int nfaces;
    hb_set_t **set; /* per face: cut_key()s */
};

hu_pdf_cuts *hu_pdf_cuts_new(int nfaces) {
    hu_pdf_cuts *c = hu_xcalloc(1, sizeof *c);
    c->nfaces = nfaces;
    c->set = hu_xcalloc(nfaces > 0 ? (size_t)nfaces : 1, sizeof *c->set);
    return c;
}

void hu_pdf_cuts_add(hu_pdf_cuts *c, int face, uint32_t cp, uint8_t cut) {
    if (!c || face < 0 || face >= c->nfaces || cp > 0x10FFFF || !cut) return;
    if (!c->set[face]) c->set[face] = hb_set_create();
    hb_set_add(c->set[face], cut_key(cp, cut));
}

void hu_pdf_cuts_free(hu_pdf_cuts *c) {
    if (!c) return;
    for (int i = 0; i < c->nfaces; i++)
        hb_set_destroy(c->set[i]);
    free(c->set);
    free(c);
}

/* Tables a CIDFontType2 does not use: dropping them in hb-subset saves it the work. The font
 * file written keeps only keep_tables anyway. */
static const hb_tag_t drop_tables[] = {
    HB_TAG('E', 'B', 'D', 'T'), HB_TAG('E', 'B', 'L', 'C'), HB_TAG('E', 'B', 'S', 'C'),
    HB_TAG('C', 'B', 'D', 'T'), HB_TAG('C', 'B', 'L', 'C'), HB_TAG('s', 'b', 'i', 'x'),
    HB_TAG('S', 'V', 'G', ' '), HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
    HB_TAG('G', 'D', 'E', 'F'), HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'),
    HB_TAG('M', 'A', 'T', 'H'), HB_TAG('k', 'e', 'r', 'n'), HB_TAG('v', 'h', 'e', 'a'),
    HB_TAG('v', 'm', 't', 'x'), HB_TAG('V', 'O', 'R', 'G'), HB_TAG('D', 'S', 'I', 'G'),
    HB_TAG('F', 'F', 'T', 'M'), HB_TAG('h', 'd', 'm', 'x'), HB_TAG('L', 'T', 'S', 'H'),
    HB_TAG('V', 'D', 'M', 'X'), HB_TAG('m', 'o', 'r', 'x'), HB_TAG('k', 'e', 'r', 'x'),
    HB_TAG('P', 'C', 'L', 'T'), HB_TAG('g', 'a', 's', 'p'), HB_TAG('c', 'm', 'a', 'p'),
    HB_TAG('n', 'a', 'm', 'e'), HB_TAG('p', 'o', 's', 't'), HB_TAG('O', 'S', '/', '2'),
};

/* What a CID-keyed TrueType font program needs (the first six are required) (PDF 32000-1:2008, 9.9,
 * note on FontFile2): the reader maps CIDs to glyphs itself and takes widths from /W. cvt/fpgm/prep
 * are absent after NO_HINTING but kept if a font has them. */
static const hb_tag_t keep_tables[] = {
    HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('m', 'a', 'x', 'p'),
    HB_TAG('h', 'm', 't', 'x'), HB_TAG('l', 'o', 'c', 'a'), HB_TAG('g', 'l', 'y', 'f'),
    HB_TAG('c', 'v', 't', ' '), HB_TAG('f', 'p', 'g', 'm'), HB_TAG('p', 'r', 'e', 'p'),
};

/* The hb-subset input for the code points face hf draws. */
static hb_subset_input_t *subset_input(const hu_face_data *hf) {
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return NULL;
    hb_set_union(hb_subset_input_unicode_set(in), hf->used);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop_tables / sizeof *drop_tables; i++)
        hb_set_add(drop, drop_tables[i]);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    return in;
}

/* The font program: keep_tables of face, serialised. */
static hb_blob_t *font_program(hb_face_t *face) {
    hb_face_t *b = hb_face_builder_create();
    for (size_t i = 0; i < sizeof keep_tables / sizeof *keep_tables; i++) {
        hb_blob_t *t = hb_face_reference_table(face, keep_tables[i]);
        if (hb_blob_get_length(t)) hb_face_builder_add_table(b, keep_tables[i], t);
        hb_blob_destroy(t);
    }
    hb_blob_t *out = hb_face_reference_blob(b);
    hb_face_destroy(b);
    return out;
}

static unsigned be16(const char *p) {
    return (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
}
static int sbe16(const char *p) {
    unsigned v = be16(p);
    return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}
static uint32_t be32(const char *p) {
    return (uint32_t)be16(p) << 16 | be16(p + 2);
}
static void put16(char *p, unsigned v) {
    p[0] = (char)(v >> 8 & 0xFF), p[1] = (char)(v & 0xFF);
}
static void put32(char *p, uint32_t v) {
    put16(p, v >> 16), put16(p + 2, v & 0xFFFF);
}

/* The squeezed glyphs to append: glyph gid[j] with cut[j] (hu_run.cut), glyph nglyphs + j;
 * key[j] its cut_key() and src[j] the glyph in the face before subsetting (for its width). */
typedef struct {
    unsigned n;
    unsigned *gid;
    uint8_t *cut;
    hb_codepoint_t *key, *src;
} cut_glyphs;

static hb_blob_t *blob_of(hu_buf *b) {
    size_t len = b->len;
    char *data = hu_buf_detach(b);
    return hb_blob_create(data, (unsigned)len, HB_MEMORY_MODE_WRITABLE, data, free);
}

/* The program of face with the glyphs of cg appended (the top of this section): new glyf, loca,
 * hmtx, hhea, maxp and head; NULL when the tables are not what the TrueType specification
 * says. dx[j] is glyph nglyphs + j's component offset, adv[j] its advance (font units). */
static hb_blob_t *font_program_cut(hb_face_t *face, const cut_glyphs *cg, int *dx, int *adv) {
    hb_blob_t *tb[5];
    const hb_tag_t tags[5] = {HB_TAG('h', 'e', 'a', 'd'), HB_TAG('m', 'a', 'x', 'p'),
                              HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'),
                              HB_TAG('l', 'o', 'c', 'a')};
    const char *d[5];
    unsigned len[5];
    for (int i = 0; i < 5; i++) {
        tb[i] = hb_face_reference_table(face, tags[i]);
        d[i] = hb_blob_get_data(tb[i], &len[i]);
    }
    hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
    unsigned glen;
    const char *gd = hb_blob_get_data(glyf, &glen);
    hb_blob_t *out = NULL;
    hu_buf nglyf = HU_BUF_INIT, nloca = HU_BUF_INIT, nhmtx = HU_BUF_INIT;
    hu_buf nhead = HU_BUF_INIT, nmaxp = HU_BUF_INIT, nhhea = HU_BUF_INIT;
    uint32_t *off = NULL;
    unsigned upem = hb_face_get_upem(face);
    if (len[0] < 54 || len[1] < 32 || be32(d[1]) != 0x00010000 || len[2] < 36) goto done;
    bool shortloca = sbe16(d[0] + 50) == 0;
    unsigned ng = be16(d[1] + 4), nhm = be16(d[2] + 34);
    if (!ng || !nhm || nhm > ng || len[3] < 4 * nhm + 2 * (ng - nhm) ||
        len[4] < (ng + 1) * (shortloca ? 2u : 4u) || ng + cg->n > 0xFFFF)
        goto done;
    off = hu_xmalloc((ng + 1) * sizeof *off);
    for (unsigned g = 0; g <= ng; g++) {
        off[g] = shortloca ? 2 * (uint32_t)be16(d[4] + 2 * g) : be32(d[4] + 4 * g);
        if (off[g] > glen || (g && off[g] < off[g - 1])) goto done;
    }
    hu_buf_put(&nglyf, gd, off[ng]);
    unsigned max_depth = be16(d[1] + 30), max_pts = be16(d[1] + 10), max_cont = be16(d[1] + 12);
    bool composite_in = false;
    uint32_t *end = hu_xmalloc((cg->n ? cg->n : 1) * sizeof *end); /* glyph ng + j's end */
    for (unsigned j = 0; j < cg->n; j++) {
        unsigned c = cg->gid[j];
        unsigned l8 = cg->cut[j] >> 4, r8 = cg->cut[j] & 15;
        dx[j] = -(int)((l8 * upem + 4) / 8);
        adv[j] = (int)be16(d[3] + 4 * (c < nhm ? c : nhm - 1)) - (int)(((l8 + r8) * upem + 4) / 8);
        if (adv[j] < 0) adv[j] = 0;
        if (c < ng && off[c + 1] - off[c] >= 10) { /* else empty, as its component */
            const char *h = gd + off[c];
            int nc = sbe16(h);
            if (nc < 0) {
                composite_in = true;
            } else if (nc > 0 && off[c + 1] - off[c] >= 10u + 2u * (unsigned)nc) {
                unsigned pts = be16(h + 10 + 2 * (nc - 1)) + 1;
                if (pts > max_pts) max_pts = pts;
                if ((unsigned)nc > max_cont) max_cont = (unsigned)nc;
            }
            char comp[18];
            bool words = dx[j] < -128 || dx[j] > 127;
            put16(comp, 0xFFFF); /* numberOfContours -1: a composite */
            put16(comp + 2, (unsigned)(sbe16(h + 2) + dx[j]) & 0xFFFF);
            memcpy(comp + 4, h + 4, 2);
            put16(comp + 6, (unsigned)(sbe16(h + 6) + dx[j]) & 0xFFFF);
            memcpy(comp + 8, h + 8, 2);
            put16(comp + 10, words ? 0x0003 : 0x0002); /* ARGS_ARE_XY_VALUES (, WORDS) */
            put16(comp + 12, c);
            if (words)
                put16(comp + 14, (unsigned)dx[j] & 0xFFFF), put16(comp + 16, 0);
            else
                comp[14] = (char)(signed char)dx[j], comp[15] = 0;
            hu_buf_put(&nglyf, comp, words ? 18 : 16);
        }
        end[j] = (uint32_t)nglyf.len;
    }
    bool lshort = shortloca && nglyf.len / 2 <= 0xFFFF;
    for (unsigned g = 0; g <= ng + cg->n; g++) {
        uint32_t o = g <= ng ? off[g] : end[g - ng - 1];
        char q[4];
        if (lshort)
            put16(q, o / 2);
        else
            put32(q, o);
        hu_buf_put(&nloca, q, lshort ? 2 : 4);
    }
    free(end);
    /* hmtx: every glyph's advance of its own (the appended ones differ from the last) */
    for (unsigned g = 0; g < ng + cg->n; g++) {
        char q[4];
        if (g < ng) {
            unsigned a = be16(d[3] + 4 * (g < nhm ? g : nhm - 1));
            int lsb = g < nhm ? sbe16(d[3] + 4 * g + 2) : sbe16(d[3] + 4 * nhm + 2 * (g - nhm));
            put16(q, a), put16(q + 2, (unsigned)lsb & 0xFFFF);
        } else {
            unsigned j = g - ng, c = cg->gid[j];
            int lsb = c < ng && off[c + 1] - off[c] >= 10 ? sbe16(gd + off[c] + 2) + dx[j] : 0;
            put16(q, (unsigned)adv[j]), put16(q + 2, (unsigned)lsb & 0xFFFF);
        }
        hu_buf_put(&nhmtx, q, 4);
    }
    hu_buf_put(&nhead, d[0], len[0]);
    put16(nhead.data + 50, lshort ? 0 : 1);
    hu_buf_put(&nmaxp, d[1], len[1]);
    put16(nmaxp.data + 4, ng + cg->n);
    put16(nmaxp.data + 10, max_pts);
    put16(nmaxp.data + 12, max_cont);
    if (be16(d[1] + 28) < 1) put16(nmaxp.data + 28, 1);
    if (max_depth < 1 || composite_in) put16(nmaxp.data + 30, max_depth + composite_in);
    hu_buf_put(&nhhea, d[2], len[2]);
    put16(nhhea.data + 34, ng + cg->n);

    hb_face_t *b = hb_face_builder_create();
    hb_blob_t *nb[6] = {blob_of(&nhead), blob_of(&nhhea), blob_of(&nmaxp),
                        blob_of(&nhmtx), blob_of(&nloca), blob_of(&nglyf)};
    for (size_t i = 0; i < sizeof keep_tables / sizeof *keep_tables; i++) {
        hb_blob_t *t =
            i < 6 ? hb_blob_reference(nb[i]) : hb_face_reference_table(face, keep_tables[i]);
        if (hb_blob_get_length(t)) hb_face_builder_add_table(b, keep_tables[i], t);
        hb_blob_destroy(t);
    }
    for (int i = 0; i < 6; i++)
        hb_blob_destroy(nb[i]);
    out = hb_face_reference_blob(b);
    hb_face_destroy(b);
done:
    free(off);
    hu_buf_free(&nglyf), hu_buf_free(&nloca), hu_buf_free(&nhmtx);
    hu_buf_free(&nhead), hu_buf_free(&nmaxp), hu_buf_free(&nhhea);
    for (int i = 0; i < 5; i++)
        hb_blob_destroy(tb[i]);
    hb_blob_destroy(glyf);
    return out;
}

/* The numbers of a FontDescriptor, in 1/1000 em truncated toward zero as libharu computed them
 * (so the PDF's metrics did not change when we took over). */
typedef struct {
    int bbox[4], ascent, descent, cap_height, flags;
} font_metrics;

static void face_metrics(hb_face_t *face, font_metrics *m) {
    memset(m, 0, sizeof *m);
    unsigned upem = hb_face_get_upem(face);
    if (!upem) upem = 1000;
    hb_blob_t *head = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned len;
    const char *p = hb_blob_get_data(head, &len);
    if (len >= 44)
        for (int i = 0; i < 4; i++)
            m->bbox[i] = sbe16(p + 36 + 2 * i) * 1000 / (int)upem;
    hb_blob_destroy(head);
    hb_blob_t *hhea = hb_face_reference_table(face, HB_TAG('h', 'h', 'e', 'a'));
    p = hb_blob_get_data(hhea, &len);
    if (len >= 8) {
        m->ascent = sbe16(p + 4) * 1000 / (int)upem;
        m->descent = sbe16(p + 6) * 1000 / (int)upem;
    }
    hb_blob_destroy(hhea);
    m->flags = 32; /* nonsymbolic */
    hb_blob_t *os2 = hb_face_reference_table(face, HB_TAG('O', 'S', '/', '2'));
    p = hb_blob_get_data(os2, &len);
    if (len >= 64) {
        unsigned family = be16(p + 30) >> 8; /* sFamilyClass: 1-7 and 10 are serif classes */
        if ((family >= 1 && family <= 7) || family == 10) m->flags |= 2;
        if (be16(p + 62) & 0x20) m->flags |= 262144; /* fsSelection BOLD: ForceBold */
    }
    if (len >= 90) m->cap_height = sbe16(p + 88) * 1000 / (int)upem;
    hb_blob_destroy(os2);
    if (!m->cap_height) m->cap_height = m->ascent;
}

/* "ABCDEF+PostScriptName" for a subset, the bare name for a whole face. The tag is a hash of
 * the face's name and the characters drawn with it (FNV-1a: the tag only has to tell subsets
 * apart and be reproducible; hashing the font program with SHA-256 cost 6 % of a build), so
 * equal subsets get equal names. The name is limited to the characters a PDF name and every
 * reader take without escapes. */
static char *base_font_name(hb_face_t *face, const hb_set_t *used, const hb_set_t *cuts,
                            bool tagged) {
    char ps[64] = "";
    unsigned n = sizeof ps;
    hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &n, ps);
    uint64_t h = 0xcbf29ce484222325u;
    for (const char *s = ps; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(used, &cp))
        for (int k = 0; k < 3; k++)
            h = (h ^ ((cp >> (8 * k)) & 0xFF)) * 0x100000001b3u;
    hb_codepoint_t key = HB_SET_VALUE_INVALID; /* the squeezed marks' glyphs are in it too */
    while (cuts && hb_set_next(cuts, &key))
        for (int k = 0; k < 4; k++)
            h = (h ^ ((key >> (8 * k)) & 0xFF)) * 0x100000001b3u;
    hu_buf b = HU_BUF_INIT;
    if (tagged) {
        for (int i = 0; i < 6; i++, h /= 26)
            hu_buf_putc(&b, (char)('A' + h % 26));
        hu_buf_putc(&b, '+');
    }
    size_t empty = b.len;
    for (const char *s = ps; *s; s++)
        if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
            *s == '-' || *s == '_' || *s == '.')
            hu_buf_putc(&b, *s);
    if (b.len == empty) hu_buf_puts(&b, "Font");
    return hu_buf_detach(&b);
}

/* The CIDFont's /DW and /W, written by libharu when it writes the dict (attr is the text). */
static HPDF_STATUS write_widths(HPDF_Dict dict, HPDF_Stream stream) {
    return dict->attr ? HPDF_Stream_WriteStr(stream, dict->attr) : HPDF_OK;
}

typedef struct {
    uint32_t cp;
    unsigned cid, gid;
    int width;
} cid_entry;

static int cmp_cid(const void *x, const void *y) {
    const cid_entry *a = x, *b = y;
    if (a->cid != b->cid) return a->cid < b->cid ? -1 : 1;
    return a->cp < b->cp ? -1 : a->cp > b->cp;
}

/* Of several characters drawn with one glyph, the one ToUnicode gives back: not a Kangxi or CJK
 * radical, nor a CJK compatibility ideograph (they share the glyph of the unified ideograph a
 * reader searches for), else the lowest. */
static int alias_rank(uint32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x2F800 && cp <= 0x2FA1F);
}

static int cmp_glyph(const void *x, const void *y) {
    const cid_entry *a = x, *b = y;
    if (a->gid != b->gid) return a->gid < b->gid ? -1 : 1;
    int ra = alias_rank(a->cp), rb = alias_rank(b->cp);
    if (ra != rb) return ra - rb;
    return a->cp < b->cp ? -1 : a->cp > b->cp;
}

/* "/DW w /W [c [w ...] ...]": the most common drawn width as the default, runs of consecutive
 * CIDs of other widths as arrays. e is sorted by CID. */
static char *widths_text(const cid_entry *e, size_t n) {
    int dw = 1000, best = 0;
    for (size_t i = 0; i < n; i++) { /* n is a few thousand at most: quadratic is fine */
        if (i > 0 && e[i].width == e[i - 1].width) continue;
        int c = 0;
        for (size_t j = 0; j < n; j++)
            c += e[j].width == e[i].width;
        if (c > best || (c == best && e[i].width < dw)) best = c, dw = e[i].width;
    }
    hu_buf b = HU_BUF_INIT;
    hu_buf_printf(&b, "/DW %d\012", dw);
    size_t empty = b.len;
    hu_buf_puts(&b, "/W [");
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        if (e[i].width == dw) {
            if (open) hu_buf_putc(&b, ']'), open = false;
            continue;
        }
        if (open && e[i].cid != e[i - 1].cid + 1) hu_buf_putc(&b, ']'), open = false;
        if (!open) {
            hu_buf_printf(&b, " %u [%d", e[i].cid, e[i].width);
            open = true;
        } else {
            hu_buf_printf(&b, " %d", e[i].width);
        }
    }
    if (open) hu_buf_putc(&b, ']');
    if (b.len == empty + 4)
        b.len = empty, b.data[empty] = 0; /* every drawn width is /DW: no /W */
    else
        hu_buf_puts(&b, "]\012");
    return hu_buf_detach(&b);
}

/* The ToUnicode CMap: each drawn CID to its character (UTF-16BE). Runs of consecutive CIDs
 * with consecutive BMP characters in one row become bfranges. */
static void tounicode_text(hu_buf *b, const cid_entry *e, size_t n) {
    hu_buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
                   "12 dict begin\n"
                   "begincmap\n"
                   "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                   "/CMapName /Adobe-Identity-UCS def\n"
                   "/CMapType 2 def\n"
                   "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    typedef struct {
        unsigned lo, hi;
        uint32_t cp;
    } range;
    range *r = hu_xmalloc((n + 1) * sizeof *r);
    size_t nr = 0;
    for (size_t i = 0; i < n; i++) {
        if (nr && e[i].cp <= 0xFFFF && r[nr - 1].cp <= 0xFFFF && e[i].cid == r[nr - 1].hi + 1 &&
            (e[i].cid >> 8) == (r[nr - 1].lo >> 8) &&
            e[i].cp == r[nr - 1].cp + (e[i].cid - r[nr - 1].lo) &&
            (e[i].cp >> 8) == (r[nr - 1].cp >> 8))
            r[nr - 1].hi = e[i].cid;
        else
            r[nr++] = (range){e[i].cid, e[i].cid, e[i].cp};
    }
    size_t nranges = 0;
    for (size_t i = 0; i < nr; i++)
        nranges += r[i].hi > r[i].lo;
    /* at most 100 entries per block (PDF 32000-1 9.10.3 via the CMap specification) */
    for (int pass = 0; pass < 2; pass++) {
        size_t total = pass == 0 ? nranges : nr - nranges, done = 0;
        for (size_t i = 0; i < nr; i++) {
            bool is_range = r[i].hi > r[i].lo;
            if (is_range != (pass == 0)) continue;
            if (done % 100 == 0) {
                size_t m = total - done < 100 ? total - done : 100;
                hu_buf_printf(b, "%zu %s\n", m, pass == 0 ? "beginbfrange" : "beginbfchar");
            }
            if (pass == 0) {
                hu_buf_printf(b, "<%04X> <%04X> <%04X>\n", r[i].lo, r[i].hi, r[i].cp);
            } else if (r[i].cp <= 0xFFFF) {
                hu_buf_printf(b, "<%04X> <%04X>\n", r[i].lo, r[i].cp);
            } else {
                uint16_t cu[2];
                hu_utf16_encode(r[i].cp, cu);
                hu_buf_printf(b, "<%04X> <%04X%04X>\n", r[i].lo, cu[0], cu[1]);
            }
            done++;
            if (done % 100 == 0 || done == total)
                hu_buf_puts(b, pass == 0 ? "endbfrange\n" : "endbfchar\n");
        }
    }
    free(r);
    hu_buf_puts(b, "endcmap\n"
                   "CMapName currentdict /CMap defineresource pop\n"
                   "end\n"
                   "end\n");
}

/* ---- compression ----
 *
 * Every stream is deflated here with libdeflate (zlib format, FlateDecode) instead of by
 * libharu, which calls zlib at level 6 when it writes the file. libharu writes a stream's
 * /Filter only from its own filter flags and removes one it did not set, so the streams keep
 * libharu's filter "none" and write_fn (called before the dict's ">>") writes the /Filter.
 * The levels were chosen by measurement (bench/README.md, issue 19 step 2 and "Session 5: PDF
 * size"). libdeflate's output depends only on its input, level and version: the PDF stays
 * reproducible. Page contents: level 6 against 1 costs 1 M instructions on a sample report
 * (0.8 %) and saves 0.9 KB (10 % of its page contents); 9 and 12 add little. */
#define HU_DEFLATE_LEVEL 6
/* The font programs, ToUnicode maps and CIDToGIDMaps (90 % of a report's bytes). Level 1: on
 * sample 2026-10 (callgrind, whole build -f pdf; bench/README.md, Session 7) levels 1 / 4 / 6
 * take 123.4 / 133.0 / 139.3 M instructions for 236,276 / 235,814 / 234,523 bytes, so 6 costs
 * +16 M (13 %, about a fifth of a batch report's CPU) for -1.75 KB (0.7 %); 9 and 10 cost +35 M
 * and +87 M (level-10 compressors hold 4.3 MB each: past issue 19's 30 MiB at 208 pages). Level
 * 1 keeps issue 19's size goal with room: 0.810-0.811 x xelatex's PDF with the same seven faces
 * (bench/pandoc/render.sh ROLES=huibao). Whole faces (--no-subset) are at level 1 as well:
 * level 10 took 2.9 s of CPU instead of 0.7 s for a sample. Level 1 is libdeflate's fastest
 * that compresses (0 only stores: the body face's program would go from 155 to 225 KB, past
 * the size goal); it still takes 1.7-2.7 ms for that program (225 KB, ~100 MB/s on the VMs
 * measured; zlib's level 1: 4.9 ms), which is why it is deflated on the helper while the pages
 * are drawn (the section "two threads"; bench/README.md, Session 12). */
#define HU_FONT_DEFLATE_LEVEL 1
#define HU_WHOLE_FONT_DEFLATE_LEVEL 1

static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream) {
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* ---- compressors ----
 *
 * A report used four compressors (font programs on the main thread and on the helper, level
 * 1; page contents, level 6; the writer's object streams, level 9: 652 KB each for levels
 * 2-9), each allocated afresh, so each first compression faulted its hash tables and buffers
 * in (~16 us a page on the machines measured, bench/README.md Session 6). Now libdeflate's
 * large allocations go through a cache of freed blocks, and a compressor takes the smallest kept
 * block that is large enough: the page contents' compressor (level 6), made at the first
 * page, takes one a level-6 or level-9 compressor left, and is freed after the last page
 * (hu_pdf_fonts_pages_done) for the writer's (level 9, the same size) to take; the font
 * programs' and the workbook's (level 1) take each other's. In a batch no block is made after
 * the first report. Output is the same: libdeflate sets up its tables at every compression and
 * nothing of an earlier one carries over. The allocator is libdeflate's only one for the
 * process (libdeflate_set_memory_allocator), set before the first compressor: no library
 * huibao links or loads uses libdeflate itself. The workbook's entries (xlsxzip.c, on the
 * workbook's thread) take a compressor from here too, alive beside the PDF's two: with two
 * blocks kept the third was freed and made again, report after report, and a -j 2 batch's
 * peak memory grew by 2.3 MB (bench/README.md, Session 9); four are kept (three level-1 ones
 * and one of levels 2-9 a report).
 *
 * A block is the size asked for, rounded up to whole pages (libdeflate 1.14: 198 KB for level
 * 1, 653 KB for levels 2-9). Blocks used to be rounded up to 1 MB, so that any block served any
 * level, on the grounds that the pages a compressor does not touch are never faulted in. But
 * the heap's first 8 MB are transparent huge pages (main.c heap_huge_pages), and there an
 * untouched page is not free: three 1 MB blocks spread the heap over more 2 MB pages, each
 * zeroed whole by the kernel at its first touch (~0.65 ms of CPU on the machines measured).
 * Sized to the request, the sample report faults in 2.3-2.4 huge pages a run instead of 3.5
 * (bench/README.md, Session 13). */
enum { BLOCK_MIN = 64 * 1024, BLOCK_PAGE = 4096, BLOCK_KEEP = 4, BLOCK_HDR = 16 };
static pthread_mutex_t block_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t *block_kept[BLOCK_KEEP]; /* freed blocks (their header: capacity), or NULL */
static pthread_once_t block_once = PTHREAD_ONCE_INIT;

/* Each block carries its capacity in a header of 16 bytes (malloc's alignment is kept). */
static void *block_alloc(size_t size) {
    if (size >= BLOCK_MIN) {
        pthread_mutex_lock(&block_lock);
        int best = -1; /* the smallest kept block that is large enough */
        for (int i = 0; i < BLOCK_KEEP; i++)
            if (block_kept[i] && *block_kept[i] >= size &&
                (best < 0 || *block_kept[i] < *block_kept[best]))
                best = i;
        size_t *h = best >= 0 ? block_kept[best] : NULL;
        if (h) block_kept[best] = NULL;
        pthread_mutex_unlock(&block_lock);
        if (h) return (char *)h + BLOCK_HDR;
        if (size <= SIZE_MAX - BLOCK_PAGE)
            size = (size + BLOCK_PAGE - 1) & ~(size_t)(BLOCK_PAGE - 1);
    }
    if (size > SIZE_MAX - BLOCK_HDR) return NULL;
    size_t *h = malloc(size + BLOCK_HDR);
    if (!h) return NULL;
    *h = size;
    return (char *)h + BLOCK_HDR;
}

static void block_free(void *p) {
    if (!p) return;
    size_t *h = (size_t *)(void *)((char *)p - BLOCK_HDR);
    if (*h >= BLOCK_MIN) {
        pthread_mutex_lock(&block_lock);
        for (int i = 0; i < BLOCK_KEEP && h; i++)
            if (!block_kept[i]) block_kept[i] = h, h = NULL;
        pthread_mutex_unlock(&block_lock);
    }
    free(h);
}

static void block_init(void) {
    libdeflate_set_memory_allocator(block_alloc, block_free);
}

struct libdeflate_compressor *hu_pdf_deflate_new(int level) {
    pthread_once(&block_once, block_init);
    return libdeflate_alloc_compressor(level);
}

void hu_pdf_deflate_free(struct libdeflate_compressor *z) {
    libdeflate_free_compressor(z); /* NULL or one of hu_pdf_deflate_new's: block_init ran */
}

/* data deflated into out (emptied first). False when libdeflate cannot (no memory). */
static bool deflate_into(struct libdeflate_compressor *z, const void *data, size_t len,
                         hu_buf *out) {
    size_t cap = libdeflate_zlib_compress_bound(z, len);
    if (cap > 0xFFFFFFFFu) return false;
    out->len = 0;
    hu_buf_grow(out, cap ? cap : 1);
    size_t n = libdeflate_zlib_compress(z, data, len, out->data, cap);
    out->len = n;
    return n > 0;
}

/* Replaces the contents of s (a stream dict) by deflated bytes, marked /FlateDecode. */
static HPDF_STATUS put_stream(HPDF_Dict s, const hu_buf *deflated) {
    HPDF_MemStream_FreeData(s->stream);
    HPDF_STATUS st =
        HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)deflated->data, (HPDF_UINT)deflated->len);
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = write_flate_filter;
    return st;
}

/* Replaces the contents of s (a stream dict) by data deflated. */
static HPDF_STATUS put_deflated(struct libdeflate_compressor *z, HPDF_Dict s, const void *data,
                                size_t len) {
    hu_buf out = HU_BUF_INIT;
    HPDF_STATUS st =
        deflate_into(z, data, len, &out) ? put_stream(s, &out) : HPDF_FAILD_TO_ALLOC_MEM;
    hu_buf_free(&out);
    return st;
}

/* A stream object holding deflated bytes. */
static HPDF_Dict stream_object(HPDF_Doc pdf, const hu_buf *deflated) {
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!s || put_stream(s, deflated) != HPDF_OK) return NULL;
    return s;
}

HPDF_STATUS hu_pdf_deflate_page(hu_pdf_fonts *pf, HPDF_Page page) {
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    HPDF_Dict c = attr->contents;
    if (!c || !c->stream || c->write_fn) return HPDF_OK;      /* nothing, or already done */
    if (!pf->z) pf->z = hu_pdf_deflate_new(HU_DEFLATE_LEVEL); /* after the font programs' */
    if (!pf->z) hu_out_of_memory(0);
    HPDF_Stream s = c->stream;
    HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(s), total = HPDF_Stream_Size(s);
    hu_buf all = HU_BUF_INIT;
    for (HPDF_UINT i = 0; i < nbuf && all.len < total; i++) {
        HPDF_UINT len = 0;
        HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(s, i, &len);
        if (len > total - all.len) len = (HPDF_UINT)(total - all.len);
        if (p) hu_buf_put(&all, p, len);
    }
    HPDF_STATUS st = put_deflated(pf->z, c, all.data ? all.data : "", all.len);
    hu_buf_free(&all);
    return st;
}

/* One face's font data, prepared away from the PDF (face_prepare) and then made into its
 * objects (face_objects). The first half is the costly one (hb-subset, deflating the font
 * program) and touches nothing shared, so the faces of a document are prepared two at a time
 * on a machine with a second core (hu_pdf_fonts_embed); the second half creates libharu
 * objects, in face order, on the calling thread. */
typedef struct face_prep {
    bool ok;
    bool cff; /* a CIDFontType0 with FontFile3 /CIDFontType0C */
    bool ros; /* cff: a CID-keyed CFF's own character collection */
    char registry[64], ordering[64];
    int supplement;
    bool identity; /* CIDToGIDMap /Identity (TrueType) */
    unsigned plen; /* the font program's length before deflating */
    font_metrics m;
    char *name;
    hu_buf file, tounicode, cidmap; /* deflated streams (cidmap: TrueType, not identity) */
    hb_blob_t *prog;                /* the font program until face_compress deflates it */
    bool file_ok;                   /* face_compress deflated it into file */
    HPDF_Dict file_obj;             /* its stream object, filled by hu_pdf_fonts_finish */
} face_prep;

static void face_prep_free(face_prep *p) {
    free(p->name);
    hb_blob_destroy(p->prog);
    hu_buf_free(&p->file);
    hu_buf_free(&p->tounicode);
    hu_buf_free(&p->cidmap);
}

/* CFF: the glyphs appended to the program (cff.h, hu_cff_append): first one per squeezed mark
 * of cg (moved left by its left squeeze, as narrow as it is drawn), then one per alias, a
 * character whose glyph another one drawn has (an unmoved copy of it, so the character gets a
 * CID of its own and ToUnicode gives it back, as in a TrueType subset). alias gets each such
 * character's number among the appended glyphs. Returns the codes of the appended glyphs
 * (malloc'd; a dummy when none) and replaces *blob by the extended CFF table, or NULL when
 * the writer cannot extend it (the marks are then drawn with TJ and the aliases in
 * /ActualText). */
static unsigned *cff_extend(hb_font_t *font, unsigned upem, unsigned nglyphs,
                            const hb_map_t *old_to_new, const hb_set_t *used, const hu_cff *cff,
                            const cut_glyphs *cg, hb_map_t *alias, hb_blob_t **blob) {
    size_t nused = hb_set_get_population(used), k = 0;
    cid_entry *e = hu_xmalloc((nused ? nused : 1) * sizeof *e);
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(used, &cp)) {
        hb_codepoint_t g = 0;
        if (!hb_font_get_nominal_glyph(font, cp, &g) || !g) continue;
        unsigned ng = old_to_new ? hb_map_get(old_to_new, g) : g;
        if (ng >= nglyphs) continue;
        e[k++] = (cid_entry){cp, g, ng, 0}; /* cid: the glyph before subsetting */
    }
    qsort(e, k, sizeof *e, cmp_glyph);
    unsigned nalias = 0;
    for (size_t i = 1; i < k; i++)
        nalias += e[i].gid == e[i - 1].gid;
    unsigned n = cg->n + nalias;
    unsigned *code = hu_xmalloc((n ? n : 1) * sizeof *code);
    if (!n) {
        free(e);
        return code;
    }
    hu_cff_glyph *add = hu_xmalloc(n * sizeof *add);
    for (unsigned j = 0; j < cg->n; j++) {
        unsigned l8 = cg->cut[j] >> 4, r8 = cg->cut[j] & 15;
        int adv =
            (int)hb_font_get_glyph_h_advance(font, cg->src[j]) - (int)(((l8 + r8) * upem + 4) / 8);
        add[j] = (hu_cff_glyph){cg->gid[j], -(int)((l8 * upem + 4) / 8), adv < 0 ? 0 : adv};
    }
    unsigned a = cg->n;
    for (size_t i = 1; i < k; i++)
        if (e[i].gid == e[i - 1].gid) {
            hb_map_set(alias, e[i].cp, a);
            add[a++] =
                (hu_cff_glyph){e[i].gid, 0, (int)hb_font_get_glyph_h_advance(font, e[i].cid)};
        }
    free(e);
    hu_buf out = HU_BUF_INIT;
    if (!hu_cff_append(cff, add, n, &out, code)) {
        free(add), free(code);
        hu_buf_free(&out);
        return NULL;
    }
    free(add);
    hb_blob_destroy(*blob);
    *blob = blob_of(&out);
    return code;
}

/* Everything of one face but its PDF objects: out's CID map, aliases and widths, and p. */
static void face_prepare(struct libdeflate_compressor *z, const hu_face_data *hf, bool subset,
                         const hb_set_t *cuts, pdf_face *out, face_prep *p) {
    hb_face_t *src = hf->hb;
    hb_font_t *font = hb_font_create(src); /* scale = upem: advances in font units */
    unsigned upem = hb_face_get_upem(src);
    if (!upem) upem = 1000;
    hb_face_t *prog_face = NULL;
    const hb_map_t *old_to_new = NULL;
    hb_subset_plan_t *plan = NULL;
    hb_blob_t *cff_blob = NULL; /* CFF: the program */
    uint16_t *cff_cid = NULL;   /* CFF: CID of each glyph of the program */
    hu_cff cff;
    cut_glyphs cg = {0, NULL, NULL, NULL, NULL};
    hb_blob_t *prog = NULL;
    int *cut_dx = NULL, *cut_adv = NULL;
    unsigned *cff_code = NULL;  /* CFF: the code of each glyph appended */
    hb_map_t *cff_alias = NULL; /* CFF: code point -> its glyph's number among those appended */
    if (subset) {
        hb_subset_input_t *in = subset_input(hf);
        plan = in ? hb_subset_plan_create_or_fail(src, in) : NULL;
        hb_subset_input_destroy(in);
        if (!plan) goto out;
        old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
        prog_face = hb_subset_plan_execute_or_fail(plan);
        if (!prog_face) goto out;
    } else {
        prog_face = hb_face_reference(src);
    }
    unsigned nglyphs = subset ? hb_map_get_population(old_to_new) : hb_face_get_glyph_count(src);

    /* CFF: the program is the CFF table itself; a glyph's CID is its number in the charset of
     * a CID-keyed font, its glyph id in a name-keyed one (PDF 32000-1 9.7.4.2). */
    if (hf->cff) {
        cff_blob = hb_face_reference_table(prog_face, HB_TAG('C', 'F', 'F', ' '));
        unsigned len = 0;
        const char *data = hb_blob_get_data(cff_blob, &len);
        if (!hu_cff_open(&cff, data, len, NULL) || cff.nglyphs != nglyphs) goto out;
        cff_cid = hu_xmalloc((size_t)nglyphs * sizeof *cff_cid);
        if (!hu_cff_cids(&cff, cff_cid)) goto out;
    }

    /* CIDs: TrueType: the glyph id in the program; a second character drawn with a glyph
     * already taken (two code points, one glyph) gets a CID of its own after the last glyph,
     * so ToUnicode can give each back. Then the CIDToGIDMap cannot be /Identity and is written
     * out. CFF has no CIDToGIDMap: such a character gets a copy of the glyph appended to the
     * CFF (cff_extend), or, where the writer cannot, is drawn with the glyph's CID and given
     * back with /ActualText (hu_pdf_fonts_show). */
    /* squeezed marks (the section above): glyphs nglyphs, nglyphs + 1, ... */
    size_t ncut = cuts ? hb_set_get_population(cuts) : 0;
    if (ncut) {
        cg.gid = hu_xmalloc(ncut * sizeof *cg.gid);
        cg.cut = hu_xmalloc(ncut);
        cg.key = hu_xmalloc(ncut * sizeof *cg.key);
        cg.src = hu_xmalloc(ncut * sizeof *cg.src);
        hb_codepoint_t key = HB_SET_VALUE_INVALID;
        while (hb_set_next(cuts, &key)) {
            hb_codepoint_t g = 0, cp = key >> 8;
            if (!hb_set_has(hf->used, cp) || !hb_font_get_nominal_glyph(font, cp, &g) || !g)
                continue;
            unsigned ng = subset ? hb_map_get(old_to_new, g) : g;
            if (ng >= nglyphs) continue;
            cg.gid[cg.n] = ng, cg.cut[cg.n] = (uint8_t)(key & 0xFF);
            cg.key[cg.n] = key, cg.src[cg.n++] = g;
        }
        cut_dx = hu_xmalloc(ncut * sizeof *cut_dx);
        cut_adv = hu_xmalloc(ncut * sizeof *cut_adv);
        if (!hf->cff) {
            hb_blob_t *t = hb_face_reference_table(prog_face, HB_TAG('m', 'a', 'x', 'p'));
            unsigned tl = 0;
            const char *td = hb_blob_get_data(t, &tl);
            bool same = tl >= 6 && be16(td + 4) == nglyphs;
            hb_blob_destroy(t);
            prog = cg.n && same ? font_program_cut(prog_face, &cg, cut_dx, cut_adv) : NULL;
            if (!prog) cg.n = 0; /* a face whose tables we cannot extend: drawn with TJ */
        }
    }
    /* CFF: the squeezed marks' glyphs and the aliases' appended to the CFF (the section
     * "squeezed marks"); cff_code[j] the code of glyph nglyphs + j */
    if (cff_cid) {
        cff_alias = hb_map_create();
        cff_code = cff_extend(font, upem, nglyphs, subset ? old_to_new : NULL, hf->used, &cff, &cg,
                              cff_alias, &cff_blob);
        if (!cff_code) cg.n = 0, hb_map_clear(cff_alias);
    }

    size_t n = hb_set_get_population(hf->used), k = 0;
    cid_entry *e = hu_xmalloc((n + cg.n ? n + cg.n : 1) * sizeof *e);
    hb_set_t *taken = hb_set_create();
    unsigned next_extra = nglyphs + cg.n;
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(hf->used, &cp)) {
        hb_codepoint_t g = 0;
        if (!hb_font_get_nominal_glyph(font, cp, &g) || !g) continue;
        unsigned ng = subset ? hb_map_get(old_to_new, g) : g;
        if (ng == HB_MAP_VALUE_INVALID) continue;
        if (cff_cid && ng >= nglyphs) continue;
        unsigned cid = cff_cid ? cff_cid[ng] : ng;
        if (!cff_cid && hb_set_has(taken, ng)) cid = next_extra++;
        hb_codepoint_t a = cff_alias ? hb_map_get(cff_alias, cp) : HB_MAP_VALUE_INVALID;
        if (a != HB_MAP_VALUE_INVALID) cid = cff_code[a], ng = nglyphs + a;
        hb_set_add(taken, ng);
        int w = (int)((unsigned)hb_font_get_glyph_h_advance(font, g) * 1000u / upem);
        e[k++] = (cid_entry){cp, cid, ng, w};
    }
    hb_set_destroy(taken);
    n = k;
    if (next_extra > 0xFFFF) {
        free(e);
        goto out;
    }
    out->cid = hb_map_create();
    for (size_t i = 0; i < n; i++)
        hb_map_set(out->cid, e[i].cp, e[i].cid);
    if (cg.n) {
        out->cut = hb_map_create();
        for (unsigned j = 0; j < cg.n; j++) { /* the glyphs chosen above */
            /* its width in /W: the mark's less the squeeze (1000/8 per eighth), as the layout
             * placed it */
            int w = (int)((unsigned)hb_font_get_glyph_h_advance(font, cg.src[j]) * 1000u / upem);
            unsigned l8 = cg.cut[j] >> 4, r8 = cg.cut[j] & 15;
            unsigned cid = cff_code ? cff_code[j] : nglyphs + j;
            e[n++] = (cid_entry){cg.key[j] >> 8, cid, nglyphs + j, w - 125 * (int)(l8 + r8)};
            hb_map_set(out->cut, cg.key[j], cid);
        }
    }
    if (cff_cid) { /* one entry per glyph for /W and ToUnicode; the others are aliases */
        out->alias = hb_set_create();
        qsort(e, n, sizeof *e, cmp_glyph);
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && e[i].gid == e[i - 1].gid)
                hb_set_add(out->alias, e[i].cp);
            else
                e[m++] = e[i];
        }
        n = m;
    }
    qsort(e, n, sizeof *e, cmp_cid);

    /* a damaged file leaves tables empty: refuse it rather than print blanks */
    for (size_t i = 0; i < 6 && !cff_cid; i++) { /* the first six keep_tables are required */
        hb_blob_t *t = hb_face_reference_table(prog_face, keep_tables[i]);
        unsigned len = hb_blob_get_length(t);
        hb_blob_destroy(t);
        if (!len) {
            free(e);
            goto out;
        }
    }
    if (!prog) prog = cff_blob ? hb_blob_reference(cff_blob) : font_program(prog_face);
    unsigned plen = hb_blob_get_length(prog);
    face_metrics(src, &p->m);
    p->name = base_font_name(src, hf->used, cg.n ? cuts : NULL, subset);
    out->w = widths_text(e, n);
    hu_buf tu = HU_BUF_INIT;
    tounicode_text(&tu, e, n);
    p->cff = cff_cid != NULL;
    p->plen = plen;
    /* the program is deflated by face_compress, after the face is published (prep_faces) */
    bool ok = plen && deflate_into(z, tu.data ? tu.data : "", tu.len, &p->tounicode);
    hu_buf_free(&tu);
    p->prog = prog;
    prog = NULL;
    if (cff_cid) {
        /* a CID-keyed CFF's own character collection (Adobe-GB1-5 for Fandol); any is
         * compatible with Identity-H */
        p->ros = cff.cid_keyed && cff.registry[0] && cff.ordering[0];
        memcpy(p->registry, cff.registry, sizeof p->registry);
        memcpy(p->ordering, cff.ordering, sizeof p->ordering);
        p->supplement = cff.supplement;
    } else if (next_extra == nglyphs + cg.n) {
        p->identity = true;
    } else if (ok) {
        size_t ncid = next_extra;
        unsigned char *map = hu_xcalloc(ncid, 2);
        for (size_t c = 0; c < nglyphs + cg.n; c++)
            map[2 * c] = (unsigned char)(c >> 8), map[2 * c + 1] = (unsigned char)c;
        for (size_t i = 0; i < n; i++)
            map[2 * e[i].cid] = (unsigned char)(e[i].gid >> 8),
                    map[2 * e[i].cid + 1] = (unsigned char)e[i].gid;
        ok = deflate_into(z, map, 2 * ncid, &p->cidmap);
        free(map);
    }
    free(e);
    p->ok = ok;
out:
    hb_blob_destroy(prog);
    free(cg.gid), free(cg.cut), free(cg.key), free(cg.src), free(cut_dx), free(cut_adv);
    free(cff_cid);
    free(cff_code);
    hb_map_destroy(cff_alias);
    hb_blob_destroy(cff_blob);
    hb_face_destroy(prog_face);
    hb_subset_plan_destroy(plan);
    hb_font_destroy(font);
}

/* The objects of one prepared face, into pdf. Returns false on failure (reported by the
 * caller). */
static bool face_objects(HPDF_Doc pdf, face_prep *p, pdf_face *out) {
    if (!p->ok) return false;
    HPDF_MMgr mm = pdf->mmgr;
    HPDF_STATUS st = HPDF_OK;
    /* empty until hu_pdf_fonts_finish: the program may still be being deflated */
    HPDF_Dict file = p->file_obj = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    HPDF_Dict tounicode = stream_object(pdf, &p->tounicode);
    HPDF_Dict desc = HPDF_Dict_New(mm), cidfont = HPDF_Dict_New(mm), type0 = HPDF_Dict_New(mm);
    HPDF_Dict info = HPDF_Dict_New(mm);
    HPDF_Array bbox = HPDF_Array_New(mm), desc_fonts = HPDF_Array_New(mm);
    if (!file || !tounicode || !desc || !cidfont || !type0 || !info || !bbox || !desc_fonts)
        return false;
    if (p->cff)
        st |= HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C");
    else
        st |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)p->plen);

    st |= HPDF_Xref_Add(pdf->xref, desc);
    st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st |= HPDF_Dict_AddName(desc, "FontName", p->name);
    st |= HPDF_Dict_AddNumber(desc, "Flags", p->m.flags);
    for (int i = 0; i < 4; i++)
        st |= HPDF_Array_AddNumber(bbox, p->m.bbox[i]);
    st |= HPDF_Dict_Add(desc, "FontBBox", bbox);
    st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", 0);
    st |= HPDF_Dict_AddNumber(desc, "Ascent", p->m.ascent);
    st |= HPDF_Dict_AddNumber(desc, "Descent", p->m.descent);
    st |= HPDF_Dict_AddNumber(desc, "CapHeight", p->m.cap_height);
    st |= HPDF_Dict_AddNumber(desc, "StemV", 0);
    st |= HPDF_Dict_Add(desc, p->cff ? "FontFile3" : "FontFile2", file);

    st |= HPDF_Xref_Add(pdf->xref, cidfont);
    st |= HPDF_Dict_AddName(cidfont, "Type", "Font");
    st |= HPDF_Dict_AddName(cidfont, "Subtype", p->cff ? "CIDFontType0" : "CIDFontType2");
    st |= HPDF_Dict_AddName(cidfont, "BaseFont", p->name);
    st |=
        HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, p->ros ? p->registry : "Adobe", NULL));
    st |= HPDF_Dict_Add(info, "Ordering",
                        HPDF_String_New(mm, p->ros ? p->ordering : "Identity", NULL));
    st |= HPDF_Dict_AddNumber(info, "Supplement", p->ros ? p->supplement : 0);
    st |= HPDF_Dict_Add(cidfont, "CIDSystemInfo", info);
    st |= HPDF_Dict_Add(cidfont, "FontDescriptor", desc);
    if (p->cff) {
        /* CIDFontType0: the CFF maps CIDs to glyphs itself */
    } else if (p->identity) {
        st |= HPDF_Dict_AddName(cidfont, "CIDToGIDMap", "Identity");
    } else {
        HPDF_Dict s = stream_object(pdf, &p->cidmap);
        st |= s ? HPDF_Dict_Add(cidfont, "CIDToGIDMap", s) : HPDF_FAILD_TO_ALLOC_MEM;
    }
    cidfont->attr = out->w;
    cidfont->write_fn = write_widths;

    st |= HPDF_Xref_Add(pdf->xref, type0);
    st |= HPDF_Dict_AddName(type0, "Type", "Font");
    st |= HPDF_Dict_AddName(type0, "Subtype", "Type0");
    st |= HPDF_Dict_AddName(type0, "BaseFont", p->name);
    st |= HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    st |= HPDF_Array_Add(desc_fonts, cidfont);
    st |= HPDF_Dict_Add(type0, "DescendantFonts", desc_fonts);
    st |= HPDF_Dict_Add(type0, "ToUnicode", tounicode);
    if (st != HPDF_OK) return false;
    out->font = type0;
    return true;
}

HPDF_Dict hu_pdf_fonts_font(const hu_pdf_fonts *pf, int face) {
    if (face < 0 || face >= pf->nfaces || pf->slot[face] < 0) return NULL;
    return pf->face[pf->slot[face]].font;
}

HPDF_STATUS hu_pdf_text_at(HPDF_Page page, double x, double y) {
    /* HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, x, y) less its clearing of a 512-byte buffer
     * a byte at a time for every call (4,300 instructions a run, a fifth of drawing a page):
     * the same checks, bytes (libharu's own HPDF_FToA) and state */
    HPDF_STATUS ret = HPDF_Page_CheckState(page, HPDF_GMODE_TEXT_OBJECT);
    if (ret != HPDF_OK) return ret;
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    char buf[64];
    char *eptr = buf + sizeof buf - 1;
    memcpy(buf, "1 0 0 1 ", 8);
    char *p = HPDF_FToA(buf + 8, (HPDF_REAL)x, eptr);
    *p++ = ' ';
    p = HPDF_FToA(p, (HPDF_REAL)y, eptr);
    memcpy(p, " Tm\012", 4);
    p += 4;
    if (HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)(p - buf)) != HPDF_OK)
        return HPDF_CheckError(page->error);
    attr->text_matrix.a = 1, attr->text_matrix.b = 0;
    attr->text_matrix.c = 0, attr->text_matrix.d = 1;
    attr->text_matrix.x = (HPDF_REAL)x, attr->text_matrix.y = (HPDF_REAL)y;
    attr->text_pos.x = attr->text_matrix.x;
    attr->text_pos.y = attr->text_matrix.y;
    return ret;
}

HPDF_STATUS hu_pdf_path_to(HPDF_Page page, double x, double y, bool line) {
    /* HPDF_Page_MoveTo / HPDF_Page_LineTo less the same byte-at-a-time clearing of 512 bytes
     * (hu_pdf_text_at): a report's table rules are two calls each (sample 2026-10: 264 calls,
     * ~1.1 M instructions on the main thread while the helper deflates; bench/README.md,
     * Session 12). The same checks, bytes (HPDF_FToA) and state as libharu 2.3.0's. */
    HPDF_STATUS ret = HPDF_Page_CheckState(
        page, line ? HPDF_GMODE_PATH_OBJECT : HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_PATH_OBJECT);
    if (ret != HPDF_OK) return ret;
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    char buf[64];
    char *eptr = buf + sizeof buf - 1;
    char *p = HPDF_FToA(buf, (HPDF_REAL)x, eptr);
    *p++ = ' ';
    p = HPDF_FToA(p, (HPDF_REAL)y, eptr);
    memcpy(p, line ? " l\012" : " m\012", 3);
    p += 3;
    if (HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)(p - buf)) != HPDF_OK)
        return HPDF_CheckError(page->error);
    attr->cur_pos.x = (HPDF_REAL)x;
    attr->cur_pos.y = (HPDF_REAL)y;
    if (!line) {
        attr->str_pos = attr->cur_pos;
        attr->gmode = HPDF_GMODE_PATH_OBJECT;
    }
    return ret;
}

HPDF_STATUS hu_pdf_fonts_select(const hu_pdf_fonts *pf, HPDF_Page page, int face, double size) {
    HPDF_Dict font = hu_pdf_fonts_font(pf, face);
    if (!font) return HPDF_PAGE_INVALID_FONT;
    const char *local = HPDF_Page_GetLocalFontName(page, font);
    if (!local) return HPDF_PAGE_INVALID_FONT;
    HPDF_Stream s = ((HPDF_PageAttr)page->attr)->stream;
    HPDF_STATUS st = HPDF_Stream_WriteEscapeName(s, local);
    st |= HPDF_Stream_WriteChar(s, ' ');
    st |= HPDF_Stream_WriteReal(s, (HPDF_REAL)size);
    st |= HPDF_Stream_WriteStr(s, " Tf\012");
    return st;
}

/* cid as four hex digits at p. */
static void put_hex16(char *p, unsigned v) {
    static const char hexd[] = "0123456789abcdef";
    p[0] = hexd[v >> 12 & 15], p[1] = hexd[v >> 8 & 15];
    p[2] = hexd[v >> 4 & 15], p[3] = hexd[v & 15];
}

/* "[l <cid> r] TJ" at p (a number left out when 0): the full glyph drawn for one squeezed by
 * l and r eighths of an em (TJ's numbers: thousandths of an em, positive to the left). */
static size_t put_tj(char *p, unsigned cid, unsigned l8, unsigned r8) {
    size_t k = 0;
    p[k++] = '[';
    if (l8) k += (size_t)snprintf(p + k, 8, "%u ", 125 * l8);
    p[k++] = '<';
    put_hex16(p + k, cid), k += 4;
    p[k++] = '>';
    if (r8) k += (size_t)snprintf(p + k, 8, " %u", 125 * r8);
    memcpy(p + k, "] TJ", 4);
    return k + 4;
}

HPDF_STATUS hu_pdf_fonts_show(const hu_pdf_fonts *pf, HPDF_Page page, int face, const uint32_t *cps,
                              const uint8_t *cut, size_t n) {
    if (face < 0 || face >= pf->nfaces || pf->slot[face] < 0) return HPDF_PAGE_INVALID_FONT;
    const pdf_face *f = &pf->face[pf->slot[face]];
    HPDF_Stream s = ((HPDF_PageAttr)page->attr)->stream;
    char buf[4 * 64 + 8];
    size_t k = 0;
    buf[k++] = '<';
    HPDF_STATUS st = HPDF_OK;
    for (size_t i = 0; i < n; i++) {
        hb_codepoint_t cid = hb_map_get(f->cid, cps[i]);
        if (cid == HB_MAP_VALUE_INVALID) cid = 0; /* not recorded with hu_fonts_use: .notdef */
        unsigned l8 = 0, r8 = 0; /* a squeeze drawn with TJ (no glyph of its own) */
        if (cut && cut[i]) {
            hb_codepoint_t c =
                f->cut ? hb_map_get(f->cut, cut_key(cps[i], cut[i])) : HB_MAP_VALUE_INVALID;
            if (c != HB_MAP_VALUE_INVALID)
                cid = c;
            else
                l8 = cut[i] >> 4, r8 = cut[i] & 15;
        }
        bool alias = f->alias && hb_set_has(f->alias, cps[i]);
        if (!alias && (l8 || r8)) {
            /* the full glyph, its ink where the narrower one's would be: l/8 em left of the
             * origin, the next glyph (l + r)/8 em nearer (TJ's numbers: thousandths of an em) */
            memcpy(buf + k, "> Tj\012", 5), k += 5;
            k += put_tj(buf + k, cid, l8, r8);
            buf[k++] = '\012', buf[k++] = '<';
        } else if (alias) {
            /* a glyph ToUnicode gives to another character: this one as the span's text */
#define PUT(lit) (memcpy(buf + k, lit, sizeof lit - 1), k += sizeof lit - 1)
            PUT("> Tj\012/Span <</ActualText <feff");
            uint16_t cu[2];
            for (size_t c = 0, m = hu_utf16_encode(cps[i], cu); c < m; c++)
                put_hex16(buf + k, cu[c]), k += 4;
            if (l8 || r8) {
                PUT(">>> BDC ");
                k += put_tj(buf + k, cid, l8, r8);
                PUT(" EMC\012<");
            } else {
                PUT(">>> BDC <");
                put_hex16(buf + k, cid), k += 4;
                PUT("> Tj EMC\012<");
            }
#undef PUT
        } else {
            put_hex16(buf + k, cid), k += 4;
        }
        if (k >= sizeof buf - 100) {
            st |= HPDF_Stream_Write(s, (const HPDF_BYTE *)buf, (HPDF_UINT)k);
            k = 0;
        }
    }
    memcpy(buf + k, "> Tj\012", 5);
    st |= HPDF_Stream_Write(s, (const HPDF_BYTE *)buf, (HPDF_UINT)(k + 5));
    return st;
}

void hu_pdf_dest_xyz(HPDF_Page page, HPDF_Destination dst, double top) {
    /* [page /XYZ null top 0]: keep the reader's zoom (HPDF_Destination_SetXYZ rejects 0) */
    HPDF_Array_Clear(dst);
    HPDF_Array_Add(dst, page);
    HPDF_Array_AddName(dst, "XYZ");
    HPDF_Array_Add(dst, HPDF_Null_New(dst->mmgr));
    HPDF_Array_AddReal(dst, (HPDF_REAL)top);
    HPDF_Array_AddNumber(dst, 0);
}

static void run_end(hu_pdf_fonts *pf);

void hu_pdf_fonts_free(hu_pdf_fonts *pf) {
    if (!pf) return;
    run_end(pf); /* a document dropped before hu_pdf_fonts_finish: the helper's work too */
    for (int i = 0; i < pf->nfaces; i++) {
        hb_map_destroy(pf->face[i].cid);
        hb_map_destroy(pf->face[i].cut);
        hb_set_destroy(pf->face[i].alias);
        free(pf->face[i].w);
    }
    free(pf->face);
    free(pf->slot);
    hu_pdf_deflate_free(pf->z);
    free(pf);
}

void hu_pdf_fonts_pages_done(hu_pdf_fonts *pf) {
    if (!pf) return;
    hu_pdf_deflate_free(pf->z);
    pf->z = NULL;
}

/* ---- two threads ----
 *
 * The faces are prepared by the calling thread and, when there is a second core and the report
 * allows it (hu_fonts_set_parallel_embed), a helper; the output does not depend on which thread
 * prepared a face (each has its own compressor; deflate is deterministic). One face is most of
 * the work: the body face of sample 2026-10 (FandolFang, 416 characters) takes 5.3 ms of CPU
 * (hb-subset's plan 1.7-2.1, its execution 0.5-1.0, deflating its 225 KB program at level 1
 * 2.4-2.7) against 4.6 ms for the six others together (bench/README.md, Session 12). So:
 *
 * - the faces are taken biggest first (by characters drawn), the biggest reserved for the
 *   helper: the calling thread starts with the second, so it does not wait for the helper to
 *   wake up (0.03-0.4 ms) and then for the longest job. It takes the biggest itself only when
 *   the helper has not begun it by the time every other face is taken (a helper slow to wake).
 * - a face is published (its CIDs, widths and ToUnicode ready) before its program is deflated
 *   (face_compress), and the font objects are made with the program's stream still empty: the
 *   calling thread makes the objects, draws and deflates the pages, and serialises the
 *   document's other objects while the helper deflates the body face's program; the program
 *   goes into its stream object at hu_pdf_fonts_finish, before the streams are written
 *   (pdf_write.c). The objects are made in face order and the bytes are those of one thread. */
typedef struct prep_run {
    hu_fonts *fonts;
    bool subset;
    hu_pdf_fonts *pf;
    face_prep *prep;
    hb_set_t **cuts; /* per face: its squeezed marks and its twins' (cut_key()s), or NULL */
    int norder;
    int *order;             /* the used faces, biggest first */
    unsigned char *claimed; /* per order slot: taken by a thread (atomic) */
    pthread_mutex_t mu;
    pthread_cond_t cv;    /* a face was published */
    unsigned char *ready; /* per face: 1 face_prepare done, 2 face_compress too (under mu) */
    bool threaded;
    hu_task helper;
} prep_run;

/* The program of p deflated into p->file. */
static void face_compress(struct libdeflate_compressor *z, face_prep *p) {
    if (p->ok && p->prog) {
        unsigned plen = 0;
        const char *pdata = hb_blob_get_data(p->prog, &plen);
        p->file_ok = plen && deflate_into(z, pdata, plen, &p->file);
    }
    hb_blob_destroy(p->prog);
    p->prog = NULL;
}

static void prep_face(prep_run *r, struct libdeflate_compressor *z, int i) {
    hu_face_data fd;
    if (hu_fonts_face_data(r->fonts, i, &fd))
        face_prepare(z, &fd, r->subset, r->cuts[i], &r->pf->face[i], &r->prep[i]);
    pthread_mutex_lock(&r->mu);
    r->ready[i] = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    face_compress(z, &r->prep[i]);
    pthread_mutex_lock(&r->mu);
    r->ready[i] = 2;
    pthread_mutex_unlock(&r->mu);
    hu_fonts_release_pages(r->fonts, i);
}

/* Puts face i's deflated program into its stream object and frees it. */
static bool fill_program(prep_run *r, int i) {
    face_prep *p = &r->prep[i];
    bool ok = p->file_ok && put_stream(p->file_obj, &p->file) == HPDF_OK;
    hu_buf_free(&p->file);
    p->file_obj = NULL;
    return ok;
}

/* Takes the faces of order slots first, first + 1, ... and then those before first that are
 * still free. */
static void prep_faces(prep_run *r, struct libdeflate_compressor *z, int first) {
    for (int k = 0; k < r->norder; k++) {
        int s = (first + k) % r->norder;
        if (!__atomic_exchange_n(&r->claimed[s], 1, __ATOMIC_ACQ_REL)) prep_face(r, z, r->order[s]);
    }
}

static void prep_helper(void *arg) {
    prep_run *r = arg;
    struct libdeflate_compressor *z =
        hu_pdf_deflate_new(r->subset ? HU_FONT_DEFLATE_LEVEL : HU_WHOLE_FONT_DEFLATE_LEVEL);
    if (z) prep_faces(r, z, 0); /* else the calling thread prepares every face */
    hu_pdf_deflate_free(z);
}

/* Waits for the helper (if any) and frees the run. */
static void run_end(hu_pdf_fonts *pf) {
    prep_run *r = pf->run;
    if (!r) return;
    if (r->threaded) hu_task_join(&r->helper);
    for (int i = 0; i < pf->nfaces; i++)
        face_prep_free(&r->prep[i]), hb_set_destroy(r->cuts[i]);
    free(r->prep);
    free(r->cuts);
    free(r->order);
    free(r->claimed);
    free(r->ready);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r);
    pf->run = NULL;
}

typedef struct {
    int face;
    size_t n;
} face_weight;

static int cmp_weight(const void *x, const void *y) {
    const face_weight *a = x, *b = y;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return a->face - b->face;
}

hu_pdf_fonts *hu_pdf_fonts_begin(hu_fonts *fonts, HPDF_Doc pdf, bool subset,
                                 const hu_pdf_cuts *cuts, hu_diags *d) {
    /* pdf came from hu_pdf_draw, which loaded libharu, or from a test that links it */
    if (!hu_hpdf_load(NULL, d)) return NULL;
    hu_pdf_fonts *pf = hu_xcalloc(1, sizeof *pf);
    pf->nfaces = hu_fonts_face_count(fonts);
    size_t nf = pf->nfaces > 0 ? (size_t)pf->nfaces : 1;
    pf->face = hu_xcalloc(nf, sizeof *pf->face);
    pf->slot = hu_xmalloc(nf * sizeof *pf->slot);
    prep_run *r = pf->run = hu_xcalloc(1, sizeof *r);
    r->fonts = fonts, r->subset = subset, r->pf = pf;
    r->prep = hu_xcalloc(nf, sizeof *r->prep);
    r->order = hu_xmalloc(nf * sizeof *r->order);
    r->claimed = hu_xcalloc(nf, 1);
    r->ready = hu_xcalloc(nf, 1);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    int rc = 0;
    face_weight *wt = hu_xmalloc(nf * sizeof *wt);
    for (int i = 0; i < pf->nfaces; i++) {
        hu_face_data fd;
        if (hu_fonts_face_data(fonts, i, &fd) && !hb_set_is_empty(fd.used))
            wt[r->norder++] = (face_weight){i, hb_set_get_population(fd.used)};
    }
    qsort(wt, (size_t)r->norder, sizeof *wt, cmp_weight);
    for (int k = 0; k < r->norder; k++)
        r->order[k] = wt[k].face;
    free(wt);
    /* the pages layout's measuring read (cmap, hmtx) go first, each face's after its subset:
     * one face's pages resident at a time, two when two threads prepare faces
     * (hu_fonts_release_pages) */
    hu_fonts_release_pages(fonts, -1);
    /* a twin's squeezed marks are drawn with its plain face's glyphs */
    r->cuts = hu_xcalloc(nf, sizeof *r->cuts);
    for (int i = 0; cuts && i < pf->nfaces && i < cuts->nfaces; i++) {
        hu_face_data fd;
        if (!cuts->set[i] || !hu_fonts_face_data(fonts, i, &fd)) continue;
        int t = fd.twin >= 0 && fd.twin < pf->nfaces ? fd.twin : i;
        if (!r->cuts[t]) r->cuts[t] = hb_set_create();
        hb_set_union(r->cuts[t], cuts->set[i]);
    }
    /* the helper is one of the run's spare threads when it has them (spare.h: made by main.c
     * before any library was loaded), else a thread of its own */
    r->threaded = r->norder > 1 && hu_fonts_parallel_embed(fonts) &&
                  sysconf(_SC_NPROCESSORS_ONLN) > 1 && hu_task_start(&r->helper, prep_helper, r);
    struct libdeflate_compressor *zf =
        hu_pdf_deflate_new(subset ? HU_FONT_DEFLATE_LEVEL : HU_WHOLE_FONT_DEFLATE_LEVEL);
    if (!zf) hu_out_of_memory(0);
    /* with a helper, the biggest face is its own (the section "two threads") */
    prep_faces(r, zf, r->threaded ? 1 : 0); /* threaded: two faces at least */
    hu_pdf_deflate_free(zf);
    for (int i = 0; i < pf->nfaces; i++) {
        pf->slot[i] = -1;
        hu_face_data fd;
        if (!hu_fonts_face_data(fonts, i, &fd) || hb_set_is_empty(fd.used)) continue;
        pthread_mutex_lock(&r->mu);
        while (!r->ready[i])
            pthread_cond_wait(&r->cv, &r->mu);
        bool compressed = r->ready[i] == 2;
        pthread_mutex_unlock(&r->mu);
        bool ok = face_objects(pdf, &r->prep[i], &pf->face[i]);
        /* a program deflated by now goes into its stream at once (its buffer freed for the
         * pages to reuse, as before the threads overlapped); the helper's still being deflated
         * waits for hu_pdf_fonts_finish */
        if (!ok || (compressed && !fill_program(r, i))) {
            hu_error(d, NULL, 0, 0, NULL, "字体“%s”无法嵌入 PDF（%s失败）", fd.display,
                     subset ? "hb-subset 子集化或生成字体对象" : "生成字体对象");
            rc = -1;
            continue;
        }
        pf->slot[i] = i;
    }
    for (int i = 0; i < pf->nfaces; i++) { /* emboldened twins draw with their plain face's */
        hu_face_data fd;
        if (hu_fonts_face_data(fonts, i, &fd) && fd.twin >= 0) pf->slot[i] = pf->slot[fd.twin];
    }
    if (rc != 0) {
        hu_pdf_fonts_free(pf);
        return NULL;
    }
    return pf;
}

bool hu_pdf_fonts_finish(hu_pdf_fonts *pf, hu_diags *d) {
    prep_run *r = pf->run;
    if (!r) return true;
    if (r->threaded) hu_task_join(&r->helper);
    r->threaded = false;
    bool ok = true;
    for (int i = 0; i < pf->nfaces; i++) {
        if (!r->prep[i].file_obj) continue; /* unused, or filled by hu_pdf_fonts_begin */
        if (!fill_program(r, i)) {
            hu_face_data fd;
            hu_error(d, NULL, 0, 0, NULL, "字体“%s”无法嵌入 PDF（%s失败）",
                     hu_fonts_face_data(r->fonts, i, &fd) ? fd.display : "?", "压缩字体程序");
            ok = false;
        }
    }
    run_end(pf);
    return ok;
}

hu_pdf_fonts *hu_pdf_fonts_embed(hu_fonts *fonts, HPDF_Doc pdf, bool subset,
                                 const hu_pdf_cuts *cuts, hu_diags *d) {
    hu_pdf_fonts *pf = hu_pdf_fonts_begin(fonts, pdf, subset, cuts, d);
    if (pf && !hu_pdf_fonts_finish(pf, d)) {
        hu_pdf_fonts_free(pf);
        return NULL;
    }
    return pf;
}
