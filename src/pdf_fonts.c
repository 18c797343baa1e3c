/* pdf_fonts.c - the faces a document draws, written into the PDF (pdf_fonts.h): each used face
 * subset with hb-subset (or whole), given our own cmap, loaded into libharu, its glyph closure
 * marked used and its ToUnicode CMap replaced by a correct one. libharu's private headers are
 * needed for the last two (shared docs/libs.md); nothing outside the PDF module sees them. */
#include "pdf_fonts.h"

#include <errno.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "utf8.h"

struct hu_pdf_fonts {
    int nfaces;
    HPDF_Font *font; /* per face of the hu_fonts; NULL when unused */
    /* Characters above U+FFFF reach the PDF under a private-use alias (hu_pdf_fonts_code);
     * sorted by cp and so by alias too. */
    uint32_t *alias_cp;
    uint16_t *alias_code;
    size_t nalias;
};

/* Tables libharu never reads: dropping them keeps hb-subset's output (and libharu's whole-table
 * copies) small. Bitmap strikes (EBDT/EBLC/EBSC) are the big ones in some CJK fonts. */
static const hb_tag_t drop_tables[] = {
    HB_TAG('E', 'B', 'D', 'T'), HB_TAG('E', 'B', 'L', 'C'), HB_TAG('E', 'B', 'S', 'C'),
    HB_TAG('C', 'B', 'D', 'T'), HB_TAG('C', 'B', 'L', 'C'), HB_TAG('s', 'b', 'i', 'x'),
    HB_TAG('S', 'V', 'G', ' '), HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
    HB_TAG('G', 'D', 'E', 'F'), HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'),
    HB_TAG('M', 'A', 'T', 'H'), HB_TAG('k', 'e', 'r', 'n'), HB_TAG('v', 'h', 'e', 'a'),
    HB_TAG('v', 'm', 't', 'x'), HB_TAG('V', 'O', 'R', 'G'), HB_TAG('D', 'S', 'I', 'G'),
    HB_TAG('F', 'F', 'T', 'M'), HB_TAG('h', 'd', 'm', 'x'), HB_TAG('L', 'T', 'S', 'H'),
    HB_TAG('V', 'D', 'M', 'X'), HB_TAG('m', 'o', 'r', 'x'), HB_TAG('k', 'e', 'r', 'x'),
    HB_TAG('P', 'C', 'L', 'T'), HB_TAG('g', 'a', 's', 'p'),
};

/* libharu 2.3.0 rewrites the embedded font table by table in the order of its required tags,
 * ending with 'prep', then seeks back to each table to checksum it. An absent table is written
 * as an empty one at the current end; seeking to exactly the end of its memory stream fails
 * when that end falls on a 4096-byte block boundary (HPDF_MemStream_SeekFunc finds no block:
 * HPDF_INVALID_OBJECT, the whole PDF cannot be saved). Fonts without hinting (ours: fontforge
 * output, and every subset made with NO_HINTING) have no 'prep', so roughly one embedded font
 * in a thousand hit it (fuzzing, tests/fuzz/README.md F3). A 'prep' program that does nothing
 * (PUSHB[0] 0, POP) keeps the last table non-empty, so no seek lands on the end. */
/* face is parsed from whole (a builder face cannot list its tables in HarfBuzz 6); cmap, when
 * given, replaces the face's own. */
static hb_blob_t *with_prep_and_cmap(hb_face_t *face, hb_blob_t *whole, hb_blob_t *cmap) {
    hb_blob_t *prep = hb_face_reference_table(face, HB_TAG('p', 'r', 'e', 'p'));
    unsigned plen = hb_blob_get_length(prep);
    hb_blob_destroy(prep);
    if (plen && !cmap) return hb_blob_reference(whole);
    hb_face_t *b = hb_face_builder_create();
    hb_tag_t tags[64];
    unsigned start = 0, n;
    do {
        n = sizeof tags / sizeof *tags;
        hb_face_get_table_tags(face, start, &n, tags);
        for (unsigned i = 0; i < n; i++) {
            if (cmap && tags[i] == HB_TAG('c', 'm', 'a', 'p')) continue;
            hb_blob_t *t = hb_face_reference_table(face, tags[i]);
            hb_face_builder_add_table(b, tags[i], t);
            hb_blob_destroy(t);
        }
        start += n;
    } while (n == sizeof tags / sizeof *tags);
    if (cmap) hb_face_builder_add_table(b, HB_TAG('c', 'm', 'a', 'p'), cmap);
    if (!plen) {
        static const char noop[4] = {(char)0xB0, 0x00, 0x21, 0x00}; /* PUSHB[0] 0; POP; pad */
        hb_blob_t *p = hb_blob_create(noop, 3, HB_MEMORY_MODE_READONLY, NULL, NULL);
        hb_face_builder_add_table(b, HB_TAG('p', 'r', 'e', 'p'), p);
        hb_blob_destroy(p);
    }
    hb_blob_t *out = hb_face_reference_blob(b);
    hb_face_destroy(b);
    return out;
}

/* ---- our own cmap for the subset ----
 *
 * libharu reads only the (3,1) format-4 subtable, so it cannot see a character above U+FFFF;
 * and it builds the CIDToGIDMap by looking up all 65,536 codes, each by a linear scan over the
 * subtable's segments (HPDF_TTFontDef_GetGlyphid). hb-subset writes one segment per run of
 * consecutive characters — hundreds for a page of Chinese — which made that scan a sixth of
 * the time to write a PDF. So the subset gets a cmap we write: format 4 with few segments
 * (runs merged across small gaps, whose codes map to glyph 0), where each character above
 * U+FFFF also appears under its private-use alias. */

typedef struct {
    uint32_t code;
    uint16_t gid;
} cmap_pair;

static int cmp_pair(const void *x, const void *y) {
    const cmap_pair *a = x, *b = y;
    return a->code < b->code ? -1 : a->code > b->code;
}

static void put16(hu_buf *b, unsigned v) {
    char c[2] = {(char)(v >> 8), (char)v};
    hu_buf_put(b, c, 2);
}
static void put32(hu_buf *b, uint32_t v) {
    put16(b, v >> 16);
    put16(b, v & 0xFFFF);
}

/* Format 4 over pairs (BMP codes, sorted). Runs whose gap is at most `gap` unused codes share a
 * segment. Returns false when the subtable would pass format 4's 64 KB limits. */
static bool cmap_format4(hu_buf *b, const cmap_pair *p, size_t n, unsigned gap) {
    size_t cap = n + 1, nseg = 0;
    uint32_t *s0 = hu_xmalloc(cap * sizeof *s0), *s1 = hu_xmalloc(cap * sizeof *s1);
    size_t *first = hu_xmalloc(cap * sizeof *first); /* index into p of each segment's first pair */
    for (size_t i = 0; i < n; i++) {
        if (nseg && p[i].code - s1[nseg - 1] <= gap + 1u) {
            s1[nseg - 1] = p[i].code;
        } else {
            s0[nseg] = s1[nseg] = p[i].code, first[nseg] = i;
            nseg++;
        }
    }
    /* a segment whose glyphs follow its codes one for one needs no glyph array (idDelta) */
    bool *delta = hu_xcalloc(nseg + 1, sizeof *delta);
    size_t arr = 0;
    for (size_t k = 0; k < nseg; k++) {
        size_t cnt = (k + 1 < nseg ? first[k + 1] : n) - first[k];
        delta[k] = cnt == s1[k] - s0[k] + 1;
        for (size_t i = first[k] + 1; delta[k] && i < first[k] + cnt; i++)
            delta[k] = p[i].gid == p[i - 1].gid + 1;
        if (!delta[k]) arr += s1[k] - s0[k] + 1;
    }
    size_t segs = nseg + 1; /* + the closing 0xFFFF segment */
    size_t len = 16 + 8 * segs + 2 * arr;
    bool ok = len <= 0xFFFF && segs <= 0x7FFF && (nseg == 0 || s1[nseg - 1] < 0xFFFF);
    if (ok) {
        unsigned es = 0; /* entrySelector: 2^es ≤ segs < 2^(es+1) */
        while ((2u << es) <= segs)
            es++;
        unsigned sr = 2u << es; /* searchRange */
        put16(b, 4), put16(b, (unsigned)len), put16(b, 0);
        put16(b, (unsigned)(2 * segs)), put16(b, sr), put16(b, es);
        put16(b, (unsigned)(2 * segs - sr));
        for (size_t k = 0; k < nseg; k++)
            put16(b, s1[k]);
        put16(b, 0xFFFF), put16(b, 0); /* reservedPad */
        for (size_t k = 0; k < nseg; k++)
            put16(b, s0[k]);
        put16(b, 0xFFFF);
        for (size_t k = 0; k < nseg; k++)
            put16(b, delta[k] ? (p[first[k]].gid - s0[k]) & 0xFFFF : 0);
        put16(b, 1);
        size_t at = 0; /* glyph array entries before segment k */
        for (size_t k = 0; k < nseg; k++) {
            if (delta[k]) {
                put16(b, 0);
                continue;
            }
            size_t off = 2 * (segs - k) + 2 * at;
            if (off > 0xFFFF) ok = false;
            put16(b, (unsigned)off);
            at += s1[k] - s0[k] + 1;
        }
        put16(b, 0);
        for (size_t k = 0; k < nseg; k++) {
            if (delta[k]) continue;
            size_t i = first[k];
            for (uint32_t c = s0[k]; c <= s1[k]; c++)
                put16(b, i < n && p[i].code == c ? p[i++].gid : 0);
        }
    }
    free(s0), free(s1), free(first), free(delta);
    return ok;
}

/* The cmap table for subset face sub: its own BMP mappings plus the aliases of the
 * characters above U+FFFF that it has. NULL when it cannot be built. Only (3,1) format 4:
 * a PDF reader maps codes to glyphs through the CIDToGIDMap and never reads the embedded
 * font's cmap, so a second subtable would only make the file bigger. */
static hb_blob_t *build_cmap(const hu_pdf_fonts *f, hb_face_t *sub) {
    hb_set_t *cps = hb_set_create();
    hb_face_collect_unicodes(sub, cps);
    hb_font_t *font = hb_font_create(sub);
    size_t n = hb_set_get_population(cps), nb = 0;
    cmap_pair *bmp = hu_xmalloc((n + f->nalias + 1) * sizeof *bmp);
    hb_codepoint_t cp = HB_SET_VALUE_INVALID, gid;
    while (hb_set_next(cps, &cp) && cp <= 0xFFFF)
        if (hb_font_get_nominal_glyph(font, cp, &gid) && gid)
            bmp[nb++] = (cmap_pair){cp, (uint16_t)gid};
    for (size_t i = 0; i < f->nalias; i++)
        if (hb_font_get_nominal_glyph(font, f->alias_cp[i], &gid) && gid)
            bmp[nb++] = (cmap_pair){f->alias_code[i], (uint16_t)gid};
    qsort(bmp, nb, sizeof *bmp, cmp_pair);
    size_t u = 0; /* codes are unique by construction; make sure, format 4 needs it */
    for (size_t i = 0; i < nb; i++)
        if (!u || bmp[i].code != bmp[u - 1].code) bmp[u++] = bmp[i];
    nb = u;
    hb_font_destroy(font);
    hb_set_destroy(cps);
    /* Gaps of up to 256 unused codes share a segment (their glyph array entries are zeros,
     * which Flate compresses to almost nothing): measured with callgrind on the sample and a
     * 50-page report, 64 and 1024 both cost more instructions, 65535 far more (libharu then
     * reads and copies a 40 KB glyph array per face). */
    hu_buf f4 = HU_BUF_INIT;
    unsigned gap = 256;
    while (!cmap_format4(&f4, bmp, nb, gap)) {
        f4.len = 0;
        if (gap == 0) break;
        gap /= 2;
    }
    hb_blob_t *blob = NULL;
    if (f4.len) {
        hu_buf t = HU_BUF_INIT;
        put16(&t, 0), put16(&t, 1);                /* version, one subtable: */
        put16(&t, 3), put16(&t, 1), put32(&t, 12); /* Windows Unicode BMP, format 4 */
        hu_buf_put(&t, f4.data, f4.len);
        unsigned tlen = (unsigned)t.len;
        char *data = hu_buf_detach(&t);
        blob = hb_blob_create(data, tlen, HB_MEMORY_MODE_READONLY, data, free);
    }
    hu_buf_free(&f4);
    free(bmp);
    return blob;
}

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

/* libharu embeds only the glyphs it marked as used while measuring text, plus the direct
 * components of a composite glyph: it does not follow a component that is itself a composite
 * (AR PL UMing's small roman numerals ⅰ-ⅹ, U+2170: composite -> composite -> outline), so
 * such characters printed blank (tests/fontcheck.py found them). Mark the whole glyph closure
 * ourselves: every glyph of an hb-subset subset (keep == NULL), or the glyphs hb-subset would
 * keep for a whole font. */
static void mark_glyphs_used(HPDF_Font font, const hu_face_data *hf, bool subset) {
    HPDF_FontAttr fa = font ? (HPDF_FontAttr)font->attr : NULL;
    HPDF_FontDef def = fa ? fa->fontdef : NULL;
    if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr) return;
    HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
    if (subset) {
        for (unsigned g = 0; g < tt->num_glyphs; g++)
            tt->glyph_tbl.flgs[g] = 1;
        return;
    }
    hb_subset_input_t *in = subset_input(hf);
    hb_subset_plan_t *plan = in ? hb_subset_plan_create_or_fail(hf->hb, in) : NULL;
    if (plan) {
        const hb_map_t *keep = hb_subset_plan_old_to_new_glyph_mapping(plan);
        for (unsigned g = 0; g < tt->num_glyphs; g++)
            if (hb_map_has(keep, g)) tt->glyph_tbl.flgs[g] = 1;
        hb_subset_plan_destroy(plan);
    }
    hb_subset_input_destroy(in);
}

static hb_blob_t *subset_face(const hu_pdf_fonts *f, const hu_face_data *hf, bool has_alias) {
    hb_subset_input_t *in = subset_input(hf);
    if (!in) return NULL;
    hb_face_t *sub = hb_subset_or_fail(hf->hb, in);
    hb_subset_input_destroy(in);
    if (!sub) return NULL;
    /* the builder face hb-subset returns cannot be read back table by table: serialise it once
     * and parse the bytes */
    hb_blob_t *bytes = hb_face_reference_blob(sub);
    hb_face_destroy(sub);
    hb_face_t *parsed = hb_face_create(bytes, 0);
    hb_blob_t *cmap = build_cmap(f, parsed);
    /* without our cmap the aliases have no glyph: fail rather than draw .notdef */
    hb_blob_t *blob = cmap || !has_alias ? with_prep_and_cmap(parsed, bytes, cmap) : NULL;
    hb_blob_destroy(cmap);
    hb_face_destroy(parsed);
    hb_blob_destroy(bytes);
    return blob;
}

/* libharu writes the encoder's CID CMap (begincidrange) as ToUnicode, which is not a ToUnicode
 * CMap at all (libs.md defect 1). With the UTF-8 encoder code == code point, so the exact
 * replacement is an identity bfrange table over the BMP minus the surrogate rows, except the
 * private-use aliases, which map back to their characters above U+FFFF. */
static HPDF_STATUS fix_tounicode(const hu_pdf_fonts *f, HPDF_Font font) {
    HPDF_Dict cmap = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!cmap || !cmap->stream) return HPDF_INVALID_OBJECT;
    static const char *const keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
    /* RemoveElement only returns DICT_ITEM_NOT_FOUND (it sets no error on the document). */
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        HPDF_Dict_RemoveElement(cmap, keys[i]);
    HPDF_MemStream_FreeData(cmap->stream);
    hu_buf b = HU_BUF_INIT;
    hu_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n"
                    "12 dict begin\n"
                    "begincmap\n"
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                    "/CMapName /Adobe-Identity-UCS def\n"
                    "/CMapType 2 def\n"
                    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* identity ranges: whole rows, and around the aliases in the private-use rows */
    typedef struct {
        unsigned lo, hi;
    } range;
    range *rg = hu_xmalloc((256 + f->nalias) * sizeof *rg);
    /* assign_aliases hands out codes in increasing order, so alias_code is sorted too */
    const uint16_t *codes = f->alias_code;
    size_t n = 0, ai = 0;
    for (unsigned hi = 0; hi < 256; hi++) {
        if (hi >= 0xD8 && hi <= 0xDF) continue;
        unsigned lo = hi << 8, end = lo | 0xFF;
        while (ai < f->nalias && codes[ai] <= end) {
            if (codes[ai] > lo) rg[n++] = (range){lo, codes[ai] - 1u};
            lo = codes[ai++] + 1u;
        }
        if (lo <= end) rg[n++] = (range){lo, end};
    }
    for (size_t i = 0; i < n; i += 100) {
        size_t m = n - i < 100 ? n - i : 100;
        hu_buf_printf(&b, "%zu beginbfrange\n", m);
        for (size_t j = i; j < i + m; j++)
            hu_buf_printf(&b, "<%04X> <%04X> <%04X>\n", rg[j].lo, rg[j].hi, rg[j].lo);
        hu_buf_puts(&b, "endbfrange\n");
    }
    /* each alias stands for its character above U+FFFF: UTF-16BE, a surrogate pair */
    for (size_t i = 0; i < f->nalias; i += 100) {
        size_t m = f->nalias - i < 100 ? f->nalias - i : 100;
        hu_buf_printf(&b, "%zu beginbfchar\n", m);
        for (size_t j = i; j < i + m; j++) {
            uint32_t v = f->alias_cp[j] - 0x10000;
            hu_buf_printf(&b, "<%04X> <%04X%04X>\n", f->alias_code[j], 0xD800 + (v >> 10),
                          0xDC00 + (v & 0x3FF));
        }
        hu_buf_puts(&b, "endbfchar\n");
    }
    free(rg);
    hu_buf_puts(&b, "endcmap\n"
                    "CMapName currentdict /CMap defineresource pop\n"
                    "end\n"
                    "end\n");
    HPDF_STATUS st = HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    hu_buf_free(&b);
    if (st != HPDF_OK) return st;
    /* The descendant CIDFont's CIDSystemInfo says Ordering (Identity-H), the encoding's name;
     * with Identity-H the ordering is "Identity". */
    HPDF_Array desc = HPDF_Dict_GetItem(font, "DescendantFonts", HPDF_OCLASS_ARRAY);
    HPDF_Dict cid = desc ? HPDF_Array_GetItem(desc, 0, HPDF_OCLASS_DICT) : NULL;
    HPDF_Dict info = cid ? HPDF_Dict_GetItem(cid, "CIDSystemInfo", HPDF_OCLASS_DICT) : NULL;
    if (info) {
        HPDF_String s = HPDF_String_New(font->mmgr, "Identity", NULL);
        if (!s) return HPDF_FAILD_TO_ALLOC_MEM;
        return HPDF_Dict_Add(info, "Ordering", s);
    }
    return HPDF_OK;
}

static void harulib_error(hu_diags *d, HPDF_Doc pdf, const hu_face_data *hf, const char *what) {
    unsigned long code = (unsigned long)HPDF_GetError(pdf);
    hu_error(d, NULL, 0, 0, NULL, "PDF 库%s字体“%s”失败（libharu 错误 0x%04lX）", what, hf->display,
             code);
    HPDF_ResetError(pdf);
}

static bool write_temp(const void *data, size_t len, char *path, size_t pathsize) {
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    snprintf(path, pathsize, "%s/huibao-font-XXXXXX", tmp);
    int fd = mkstemp(path);
    if (fd < 0) return false;
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            close(fd);
            unlink(path);
            return false;
        }
        p += w;
        len -= (size_t)w;
    }
    if (close(fd) != 0) {
        unlink(path);
        return false;
    }
    return true;
}

/* Give each used character above U+FFFF a private-use code (U+E000-U+F8FF) that no face uses
 * for itself: libharu's UTF-8 encoder writes 2-byte codes only. Returns false when the
 * private-use area runs out (more than ~6,000 such characters in one report). */
static bool assign_aliases(hu_pdf_fonts *pf, const hu_fonts *f) {
    hb_set_t *all = hb_set_create();
    for (int i = 0; i < pf->nfaces; i++) {
        hu_face_data fd;
        if (hu_fonts_face_data(f, i, &fd)) hb_set_union(all, fd.used);
    }
    size_t n = 0;
    hb_codepoint_t cp = 0xFFFF;
    while (hb_set_next(all, &cp))
        n++;
    bool ok = true;
    if (n) {
        pf->alias_cp = hu_xmalloc(n * sizeof *pf->alias_cp);
        pf->alias_code = hu_xmalloc(n * sizeof *pf->alias_code);
        uint32_t code = 0xE000;
        cp = 0xFFFF;
        while (hb_set_next(all, &cp)) {
            while (code <= 0xF8FF && hb_set_has(all, code))
                code++;
            if (code > 0xF8FF) {
                ok = false;
                break;
            }
            pf->alias_cp[pf->nalias] = cp;
            pf->alias_code[pf->nalias++] = (uint16_t)code++;
        }
    }
    hb_set_destroy(all);
    return ok;
}

uint32_t hu_pdf_fonts_code(const hu_pdf_fonts *f, uint32_t cp) {
    if (cp <= 0xFFFF) return cp;
    size_t lo = 0, hi = f->nalias;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->alias_cp[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->nalias && f->alias_cp[lo] == cp ? f->alias_code[lo] : HU_MISSING_GLYPH;
}

HPDF_Font hu_pdf_fonts_font(const hu_pdf_fonts *pf, int face) {
    return face >= 0 && face < pf->nfaces ? pf->font[face] : NULL;
}

void hu_pdf_fonts_free(hu_pdf_fonts *pf) {
    if (!pf) return;
    free(pf->font);
    free(pf->alias_cp);
    free(pf->alias_code);
    free(pf);
}

hu_pdf_fonts *hu_pdf_fonts_embed(hu_fonts *fonts, HPDF_Doc pdf, bool subset, hu_diags *d) {
    hu_pdf_fonts *pf = hu_xcalloc(1, sizeof *pf);
    pf->nfaces = hu_fonts_face_count(fonts);
    pf->font = hu_xcalloc(pf->nfaces > 0 ? (size_t)pf->nfaces : 1, sizeof *pf->font);
    HPDF_Font *out = pf->font;
    if (!assign_aliases(pf, fonts)) {
        hu_error(d, NULL, 0, 0, NULL,
                 "基本多文种平面之外的字符过多（%zu 种以上），PDF 无法全部容纳", pf->nalias);
        hu_pdf_fonts_free(pf);
        return NULL;
    }
    if (!HPDF_Doc_FindEncoder(pdf, "UTF-8") && HPDF_UseUTFEncodings(pdf) != HPDF_OK) {
        hu_error(d, NULL, 0, 0, NULL, "PDF 库无法启用 UTF-8 编码（libharu 错误 0x%04lX）",
                 (unsigned long)HPDF_GetError(pdf));
        HPDF_ResetError(pdf);
        hu_pdf_fonts_free(pf);
        return NULL;
    }
    int rc = 0;
    for (int i = 0; i < pf->nfaces; i++) {
        hu_face_data fd, *hf = &fd;
        if (!hu_fonts_face_data(fonts, i, &fd) || hb_set_is_empty(hf->used)) continue;
        const char *name = NULL;
        hb_codepoint_t first_big = 0xFFFF;
        bool has_alias = hb_set_next(hf->used, &first_big);
        if (has_alias && !subset) {
            char ch[8];
            ch[hu_utf8_encode(first_big, ch)] = 0;
            hu_error(d, NULL, 0, 0, NULL,
                     "字体“%s”要画基本多文种平面之外的字符（如“%s”，U+%04X），这需要子集化嵌入："
                     "请去掉 --no-subset",
                     hf->display, ch, (unsigned)first_big);
            rc = -1;
            continue;
        }
        if (!subset && hf->glyphs > 32768) {
            /* libs.md defect 2: libharu reads composite component ids as signed 16-bit and
             * drops those >= 32768, so characters would print blank (WenQuanYi Zen Hei has
             * 11,506 such composites); hb-subset renumbers the glyphs and avoids it */
            hu_error(d, NULL, 0, 0, NULL,
                     "字体“%s”有 %u 个字形（超过 32768），整体嵌入时 PDF 库会把部分字画成空白："
                     "请去掉 --no-subset",
                     hf->display, hf->glyphs);
            rc = -1;
            continue;
        }
        if (subset) {
            hb_blob_t *blob = subset_face(pf, hf, has_alias);
            unsigned len = 0;
            const char *data = blob ? hb_blob_get_data(blob, &len) : NULL;
            if (!data || !len) {
                hu_error(d, NULL, 0, 0, NULL, "字体“%s”子集化失败（hb-subset）", hf->display);
                hb_blob_destroy(blob);
                rc = -1;
                continue;
            }
            char path[PATH_MAX];
            if (!write_temp(data, len, path, sizeof path)) {
                hu_error(d, NULL, 0, 0, NULL, "无法写入临时字体文件（%s）：%s",
                         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", strerror(errno));
                hb_blob_destroy(blob);
                rc = -1;
                continue;
            }
            hb_blob_destroy(blob);
            name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
            /* libharu keeps the file open (FILE *) and reads glyf again when the PDF is saved,
             * so unlinking now is safe on POSIX and leaves nothing behind if the caller dies. */
            unlink(path);
        } else if (hf->in_collection) {
            name = HPDF_LoadTTFontFromFile2(pdf, hf->file, hf->index, HPDF_TRUE);
        } else {
            name = HPDF_LoadTTFontFromFile(pdf, hf->file, HPDF_TRUE);
        }
        if (!name) {
            harulib_error(d, pdf, hf, "载入");
            rc = -1;
            continue;
        }
        HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
        if (!font) {
            harulib_error(d, pdf, hf, "创建");
            rc = -1;
            continue;
        }
        mark_glyphs_used(font, hf, subset);
        if (fix_tounicode(pf, font) != HPDF_OK) {
            harulib_error(d, pdf, hf, "改写 ToUnicode 表时");
            rc = -1;
            continue;
        }
        out[i] = font;
    }
    for (int i = 0; i < pf->nfaces;
         i++) { /* emboldened twins draw with their plain face's subset */
        hu_face_data fd;
        if (hu_fonts_face_data(fonts, i, &fd) && fd.twin >= 0) out[i] = out[fd.twin];
    }
    if (rc != 0) {
        hu_pdf_fonts_free(pf);
        return NULL;
    }
    return pf;
}
