/* Unit tests of OpenType/CFF support: the CFF reader (cff.c) on hand-built tables of every
 * charset format, on every truncation and on flipped bytes; on the real fonts of the test
 * packages (fonts-noto-cjk: a collection of CID-keyed CFF; fonts-texgyre: name-keyed CFF); the
 * font module opening them for any role and in chains, and refusing CFF2, a damaged CFF table
 * and a file cut short at open (so check reports what build would refuse), with the user's
 * font named as the cause; and the PDF module embedding them as CIDFontType0C. The PDF itself
 * is checked with poppler, qpdf and fontTools in tests/e2e_cff.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cff.h"
#include "fonts.h"
#include "pdf_fonts.h"

/* fonts-noto-cjk and fonts-texgyre (tools/deps.sh TEST_PKGS) */
#define NOTO "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define NOTO_BOLD "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
#define TERMES "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf"
#define TERMES_BOLD "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-bold.otf"

static char tmp_dir[2048];

/* ---------------------------------------------------------------- hand-built tables */

static void put16(hu_buf *b, unsigned v) {
    hu_buf_putc(b, (char)(v >> 8));
    hu_buf_putc(b, (char)v);
}

static void put_int(hu_buf *b, int v) { /* a DICT operand, always 3 bytes (28 hi lo) */
    hu_buf_putc(b, 28);
    put16(b, (unsigned)v & 0xFFFF);
}

/* An INDEX of n objects of lengths len[] with contents data (concatenated), offSize 2. */
static void put_index(hu_buf *b, unsigned n, const unsigned *len, const char *data) {
    put16(b, n);
    if (!n) return;
    hu_buf_putc(b, 2);
    unsigned off = 1, total = 0;
    for (unsigned i = 0; i <= n; i++) {
        put16(b, off);
        if (i < n) off += len[i], total += len[i];
    }
    hu_buf_put(b, data, total);
}

/* A CFF table of nglyphs glyphs (each an endchar), CID-keyed (ROS Adobe-Identity-0) or not,
 * with the charset bytes given (format byte included). */
static void build_cff(hu_buf *b, bool cid_keyed, unsigned nglyphs, const char *charset,
                      size_t charset_len) {
    b->len = 0;
    hu_buf_put(b, "\x01\x00\x04\x02", 4); /* header */
    unsigned name_len = 4;
    put_index(b, 1, &name_len, "Test");
    /* top DICT: [ROS] charset CharStrings, each operand 3 bytes: its length is known */
    unsigned dict_len = (cid_keyed ? 11 : 0) + 4 + 4;
    size_t top_at = b->len;
    size_t strings_at = top_at + 2 + 1 + 4 + dict_len;
    size_t gsubr_at = strings_at + 2 + 1 + 6 + 5 + 8;
    size_t charset_at = gsubr_at + 2;
    size_t cs_at = charset_at + charset_len;
    hu_buf dict = HU_BUF_INIT;
    if (cid_keyed) {
        put_int(&dict, 391), put_int(&dict, 392), put_int(&dict, 0);
        hu_buf_put(&dict, "\x0c\x1e", 2);
    }
    put_int(&dict, (int)charset_at), hu_buf_putc(&dict, 15);
    put_int(&dict, (int)cs_at), hu_buf_putc(&dict, 17);
    assert_int_equal(dict.len, dict_len);
    put_index(b, 1, &dict_len, dict.data);
    hu_buf_free(&dict);
    assert_int_equal(b->len, strings_at);
    unsigned slen[2] = {5, 8};
    put_index(b, 2, slen, "AdobeIdentity");
    assert_int_equal(b->len, gsubr_at);
    put16(b, 0); /* no global subroutines */
    hu_buf_put(b, charset, charset_len);
    unsigned *cl = malloc(nglyphs * sizeof *cl);
    char *cs = malloc(nglyphs);
    for (unsigned i = 0; i < nglyphs; i++)
        cl[i] = 1, cs[i] = 14; /* endchar */
    put_index(b, nglyphs, cl, cs);
    free(cl);
    free(cs);
}

static void test_charset_formats(void **st) {
    (void)st;
    hu_buf b = HU_BUF_INIT;
    hu_cff c;
    uint16_t cid[8];
    /* format 0: one CID per glyph after .notdef */
    build_cff(&b, true, 4, "\x00\x10\x00\x00\x05\x7f\xff", 7);
    assert_true(hu_cff_open(&c, b.data, b.len, NULL));
    assert_true(c.cid_keyed);
    assert_int_equal(c.nglyphs, 4);
    assert_string_equal(c.registry, "Adobe");
    assert_string_equal(c.ordering, "Identity");
    assert_int_equal(c.supplement, 0);
    assert_true(hu_cff_cids(&c, cid));
    assert_int_equal(cid[0], 0);
    assert_int_equal(cid[1], 0x1000);
    assert_int_equal(cid[2], 5);
    assert_int_equal(cid[3], 0x7FFF);
    /* format 1: ranges of (first, nLeft as one byte) */
    build_cff(&b, true, 6, "\x01\x00\x64\x02\x10\x00\x01", 7);
    assert_true(hu_cff_open(&c, b.data, b.len, NULL));
    assert_true(hu_cff_cids(&c, cid));
    uint16_t want1[6] = {0, 100, 101, 102, 0x1000, 0x1001};
    assert_memory_equal(cid, want1, sizeof want1);
    /* format 2: ranges of (first, nLeft as two bytes) */
    build_cff(&b, true, 5, "\x02\x4e\x00\x00\x03", 5);
    assert_true(hu_cff_open(&c, b.data, b.len, NULL));
    assert_true(hu_cff_cids(&c, cid));
    uint16_t want2[5] = {0, 0x4E00, 0x4E01, 0x4E02, 0x4E03};
    assert_memory_equal(cid, want2, sizeof want2);
    /* a charset of an unknown format (its end is not recorded: one that is too short reads
     * on into the CharStrings, still inside the table, which test_damaged_tables covers) */
    build_cff(&b, true, 6, "\x03\x00\x64\x02", 4);
    assert_true(hu_cff_open(&c, b.data, b.len, NULL));
    assert_false(hu_cff_cids(&c, cid));
    /* name-keyed: the charset holds names (SIDs); CIDs are the glyph ids */
    build_cff(&b, false, 3, "\x00\x00\x22\x00\x23", 5);
    assert_true(hu_cff_open(&c, b.data, b.len, NULL));
    assert_false(c.cid_keyed);
    assert_string_equal(c.registry, "");
    assert_true(hu_cff_cids(&c, cid));
    assert_int_equal(cid[1], 1);
    assert_int_equal(cid[2], 2);
    hu_buf_free(&b);
}

/* Every truncation and every single flipped byte of a table is read without reading outside it
 * (ASan and valgrind watch); a truncation is refused by hu_cff_open or hu_cff_cids. */
static void test_damaged_tables(void **st) {
    (void)st;
    hu_buf b = HU_BUF_INIT;
    build_cff(&b, true, 6, "\x01\x00\x64\x02\x10\x00\x01", 7);
    uint16_t cid[64];
    for (size_t len = 0; len < b.len; len++) {
        char *cut = malloc(len ? len : 1); /* exactly len bytes: ASan sees a read past them */
        memcpy(cut, b.data, len);
        hu_cff c;
        if (hu_cff_open(&c, cut, len, NULL)) assert_false(hu_cff_cids(&c, cid));
        free(cut);
    }
    for (size_t i = 0; i < b.len; i++)
        for (int bit = 0; bit < 8; bit++) {
            char *x = malloc(b.len);
            memcpy(x, b.data, b.len);
            x[i] ^= (char)(1 << bit);
            hu_cff c;
            if (hu_cff_open(&c, x, b.len, NULL) && c.nglyphs <= 64) hu_cff_cids(&c, cid);
            free(x);
        }
    hu_buf_free(&b);
}

/* ---------------------------------------------------------------- the writer */

/* A subset of file#index for the characters of text (hb-subset, as pdf_fonts.c makes it;
 * hinted keeps the hints and subroutines that NO_HINTING drops), its glyph ids per character
 * into gid[]. */
static hb_face_t *subset_of(const char *file, unsigned index, const char *text, bool hinted,
                            unsigned *gid, unsigned *n) {
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
    assert_non_null(blob);
    hb_face_t *face = hb_face_create(blob, index);
    hb_blob_destroy(blob);
    hb_font_t *font = hb_font_create(face);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    uint32_t cps[32];
    *n = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s;) { /* UTF-8, 1-3 bytes */
        uint32_t cp = *s < 0x80 ? *s : *s < 0xE0 ? (*s & 0x1Fu) : (*s & 0x0Fu);
        int more = *s < 0x80 ? 0 : *s < 0xE0 ? 1 : 2;
        s++;
        while (more-- > 0)
            cp = cp << 6 | (*s++ & 0x3Fu);
        cps[(*n)++] = cp;
        hb_set_add(hb_subset_input_unicode_set(in), cp);
    }
    if (!hinted) hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, in);
    assert_non_null(plan);
    const hb_map_t *o2n = hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (unsigned i = 0; i < *n; i++) {
        hb_codepoint_t g = 0;
        assert_true(hb_font_get_nominal_glyph(font, cps[i], &g));
        gid[i] = hb_map_get(o2n, g);
    }
    hb_face_t *sub = hb_subset_plan_execute_or_fail(plan);
    assert_non_null(sub);
    hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(in);
    hb_font_destroy(font);
    hb_face_destroy(face);
    return sub;
}

/* face with its CFF table replaced by cff (and maxp's glyph count by nglyphs), so HarfBuzz's
 * own CFF interpreter can measure the appended glyphs. */
static hb_font_t *font_with_cff(hb_face_t *sub, const hu_buf *cff, unsigned nglyphs) {
    hb_blob_t *file = hb_face_reference_blob(sub); /* a builder face lists no tables */
    hb_face_t *face = hb_face_create(file, 0);
    hb_blob_destroy(file);
    hb_face_t *b = hb_face_builder_create();
    hb_tag_t tags[32];
    unsigned nt = 32;
    hb_face_get_table_tags(face, 0, &nt, tags);
    assert_true(nt > 3);
    for (unsigned i = 0; i < nt; i++) {
        hb_blob_t *t = hb_face_reference_table(face, tags[i]);
        if (tags[i] == HB_TAG('C', 'F', 'F', ' ')) {
            hb_blob_destroy(t);
            t = hb_blob_create(cff->data, (unsigned)cff->len, HB_MEMORY_MODE_READONLY, NULL, NULL);
        } else if (tags[i] == HB_TAG('m', 'a', 'x', 'p')) {
            unsigned len;
            const char *d = hb_blob_get_data(t, &len);
            char *m = malloc(len);
            memcpy(m, d, len);
            m[4] = (char)(nglyphs >> 8), m[5] = (char)nglyphs;
            hb_blob_destroy(t);
            t = hb_blob_create(m, len, HB_MEMORY_MODE_WRITABLE, m, free);
        }
        hb_face_builder_add_table(b, tags[i], t);
        hb_blob_destroy(t);
    }
    hb_blob_t *all = hb_face_reference_blob(b);
    hb_face_destroy(b);
    hb_face_destroy(face);
    hb_face_t *f = hb_face_create(all, 0);
    hb_blob_destroy(all);
    hb_font_t *font = hb_font_create(f);
    hb_face_destroy(f);
    return font;
}

/* Appending glyphs to the CFF of real subsets, CID-keyed (Noto: FDArray, FDSelect) and
 * name-keyed (Termes: the names go into the String INDEX), with and without hints and
 * subroutines: the table reopens with the glyphs added, every old glyph keeps its CID, the
 * new ones get the codes returned (CIDs past the largest, or glyph ids), and HarfBuzz measures
 * each new glyph as its source moved by dx. The same input gives the same bytes. */
static void test_append(void **st) {
    (void)st;
    const struct {
        const char *file;
        unsigned index;
        const char *text;
    } fonts[] = {{NOTO, 2, "“《（，。中…"}, {TERMES, 0, "“(A,.g"}};
    for (size_t fi = 0; fi < 2; fi++)
        for (int hinted = 0; hinted < 2; hinted++) {
            unsigned gid[32], n;
            hb_face_t *sub =
                subset_of(fonts[fi].file, fonts[fi].index, fonts[fi].text, hinted, gid, &n);
            hb_blob_t *t = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
            unsigned len;
            const char *data = hb_blob_get_data(t, &len);
            hu_cff c;
            assert_true(hu_cff_open(&c, data, len, NULL));
            assert_int_equal(c.cid_keyed, fi == 0);
            hu_cff_glyph add[32];
            for (unsigned i = 0; i < n; i++) /* 0 to 7 eighths off the left, narrower */
                add[i] = (hu_cff_glyph){gid[i], -(int)(i % 8) * 125, 1000 - 125 * (int)(i % 5)};
            unsigned code[32];
            hu_buf out = HU_BUF_INIT, again = HU_BUF_INIT;
            assert_true(hu_cff_append(&c, add, n, &out, code));
            unsigned code2[32];
            assert_true(hu_cff_append(&c, add, n, &again, code2));
            assert_int_equal(out.len, again.len);
            assert_memory_equal(out.data, again.data, out.len);
            hu_cff c2;
            assert_true(hu_cff_open(&c2, out.data, out.len, NULL));
            assert_int_equal(c2.nglyphs, c.nglyphs + n);
            assert_int_equal(c2.cid_keyed, c.cid_keyed);
            assert_string_equal(c2.registry, c.registry);
            assert_string_equal(c2.ordering, c.ordering);
            uint16_t cid1[64], cid2[96];
            assert_true(c.nglyphs <= 64);
            assert_true(hu_cff_cids(&c, cid1));
            assert_true(hu_cff_cids(&c2, cid2));
            assert_memory_equal(cid1, cid2, c.nglyphs * sizeof *cid1);
            unsigned max = 0;
            for (unsigned g = 0; g < c.nglyphs; g++)
                max = cid1[g] > max ? cid1[g] : max;
            hb_font_t *before = hb_font_create(sub);
            hb_font_t *after = font_with_cff(sub, &out, c2.nglyphs);
            for (unsigned i = 0; i < n; i++) {
                unsigned want = c.cid_keyed ? max + 1 + i : c.nglyphs + i;
                assert_int_equal(code[i], want);
                assert_int_equal(cid2[c.nglyphs + i], c.cid_keyed ? want : c.nglyphs + i);
                hb_glyph_extents_t a, b;
                assert_true(hb_font_get_glyph_extents(before, gid[i], &a));
                assert_true(hb_font_get_glyph_extents(after, c.nglyphs + i, &b));
                assert_int_equal(b.x_bearing, a.x_bearing + add[i].dx);
                assert_int_equal(b.width, a.width);
                assert_int_equal(b.y_bearing, a.y_bearing);
                assert_int_equal(b.height, a.height);
                assert_true(a.width > 0 && a.height < 0); /* not an empty glyph */
                /* the old glyphs are untouched */
                assert_true(hb_font_get_glyph_extents(after, gid[i], &b));
                assert_memory_equal(&a, &b, sizeof a);
            }
            hb_font_destroy(before);
            hb_font_destroy(after);
            /* a damaged table: every truncation and flipped byte is read within bounds and
             * either refused or written (ASan and valgrind watch) */
            for (size_t cut = 0; cut < out.len; cut += hinted ? 1 : 7) {
                char *x = malloc(cut ? cut : 1);
                memcpy(x, out.data, cut);
                hu_cff cx;
                hu_buf o = HU_BUF_INIT;
                if (hu_cff_open(&cx, x, cut, NULL) && cx.nglyphs <= 256)
                    hu_cff_append(&cx, add, n, &o, code);
                hu_buf_free(&o);
                free(x);
            }
            for (size_t i = 0; hinted && i < len; i++) {
                char *x = malloc(len);
                memcpy(x, data, len);
                x[i] ^= (char)(1 << (i % 8));
                hu_cff cx;
                hu_buf o = HU_BUF_INIT;
                if (hu_cff_open(&cx, x, len, NULL) && cx.nglyphs <= 256) {
                    bool ok = hu_cff_append(&cx, add, n, &o, code);
                    assert_true(ok || o.len == 0);
                }
                hu_buf_free(&o);
                free(x);
            }
            hu_buf_free(&out);
            hu_buf_free(&again);
            hb_blob_destroy(t);
            hb_face_destroy(sub);
        }
    /* a CID-keyed table whose largest CID is 65535: the new glyphs take the lowest free CIDs
     * (hb-subset writes this subset's charset in format 0: one CID per glyph) */
    {
        unsigned gid[32], n;
        hb_face_t *sub = subset_of(NOTO, 2, "“，", false, gid, &n);
        hb_blob_t *t = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
        unsigned len;
        const char *data = hb_blob_get_data(t, &len);
        char *x = malloc(len);
        memcpy(x, data, len);
        hu_cff c;
        assert_true(hu_cff_open(&c, x, len, NULL));
        assert_int_equal((unsigned char)x[c.charset], 0);
        uint16_t before[16];
        assert_true(c.nglyphs <= 16 && hu_cff_cids(&c, before));
        x[c.charset + 1 + 2 * (c.nglyphs - 2)] = (char)0xFF; /* the last glyph's CID */
        x[c.charset + 2 + 2 * (c.nglyphs - 2)] = (char)0xFF;
        hu_cff_glyph add[2] = {{gid[0], -500, 500}, {gid[1], 0, 500}};
        unsigned code[2];
        hu_buf out = HU_BUF_INIT;
        assert_true(hu_cff_append(&c, add, 2, &out, code));
        unsigned want = 1;
        for (int k = 0; k < 2; k++, want++) { /* the lowest CIDs no glyph has */
            for (bool taken = true; taken; want += taken) {
                taken = false;
                for (unsigned g = 0; g + 1 < c.nglyphs; g++)
                    taken |= before[g] == want;
            }
            assert_int_equal(code[k], want);
        }
        hu_cff c2;
        uint16_t after[16];
        assert_true(hu_cff_open(&c2, out.data, out.len, NULL));
        assert_true(hu_cff_cids(&c2, after));
        assert_int_equal(after[c.nglyphs - 1], 0xFFFF);
        assert_int_equal(after[c.nglyphs], code[0]);
        assert_int_equal(after[c.nglyphs + 1], code[1]);
        hu_buf_free(&out);
        free(x);
        hb_blob_destroy(t);
        hb_face_destroy(sub);
    }
    /* what the writer does not take: a CID-keyed table without an FDArray (the hand-built
     * ones), a glyph past the table */
    hu_buf b = HU_BUF_INIT, o = HU_BUF_INIT;
    build_cff(&b, true, 4, "\x00\x10\x00\x00\x05\x7f\xff", 7);
    hu_cff c;
    assert_true(hu_cff_open(&c, b.data, b.len, NULL));
    hu_cff_glyph g = {1, -500, 500};
    unsigned code;
    assert_false(hu_cff_append(&c, &g, 1, &o, &code));
    assert_int_equal(o.len, 0);
    hu_buf_free(&b);
    unsigned gid[32], n;
    hb_face_t *sub = subset_of(TERMES, 0, "A", false, gid, &n);
    hb_blob_t *t = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
    unsigned len;
    const char *data = hb_blob_get_data(t, &len);
    assert_true(hu_cff_open(&c, data, len, NULL));
    g.gid = c.nglyphs;
    assert_false(hu_cff_append(&c, &g, 1, &o, &code));
    hb_blob_destroy(t);
    hb_face_destroy(sub);
    hu_buf_free(&o);
}

/* ---------------------------------------------------------------- real fonts */

static hb_blob_t *cff_table(const char *file, unsigned index, hu_cff *c) {
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
    if (!blob) fprintf(stderr, "%s missing: run tools/deps.sh test\n", file);
    assert_non_null(blob);
    hb_face_t *face = hb_face_create(blob, index);
    hb_blob_t *t = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    unsigned len;
    const char *data = hb_blob_get_data(t, &len);
    assert_true(hu_cff_open(c, data, len, NULL));
    assert_int_equal(c->nglyphs, hb_face_get_glyph_count(face));
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return t;
}

static void test_real_fonts(void **st) {
    (void)st;
    hu_cff c;
    hb_blob_t *t = cff_table(NOTO, 2, &c); /* Noto Sans CJK SC */
    assert_true(c.cid_keyed);
    assert_string_equal(c.registry, "Adobe");
    assert_string_equal(c.ordering, "Identity");
    uint16_t *cid = malloc(c.nglyphs * sizeof *cid);
    assert_true(hu_cff_cids(&c, cid));
    free(cid);
    hb_blob_destroy(t);
    t = cff_table(TERMES, 0, &c);
    assert_false(c.cid_keyed);
    assert_true(c.nglyphs > 1000);
    hb_blob_destroy(t);
}

/* A copy of file with its bytes changed by edit, in tmp_dir. */
static const char *edited_copy(const char *file, const char *name, size_t keep,
                               void (*edit)(char *, size_t)) {
    static char out[4][4096];
    static int k;
    k = (k + 1) % 4;
    FILE *in = fopen(file, "rb");
    assert_non_null(in);
    hu_buf b = HU_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0 && (!keep || b.len < keep))
        hu_buf_put(&b, chunk, n);
    fclose(in);
    if (keep && b.len > keep) b.len = keep;
    if (edit) edit(b.data, b.len);
    snprintf(out[k], sizeof out[k], "%s/%s", tmp_dir, name);
    FILE *o = fopen(out[k], "wb");
    assert_non_null(o);
    fwrite(b.data, 1, b.len, o);
    fclose(o);
    hu_buf_free(&b);
    return out[k];
}

/* The table directory entry of tag in an sfnt (not a collection), or NULL. */
static char *table_entry(char *p, size_t len, const char *tag) {
    unsigned n = (unsigned)(unsigned char)p[4] << 8 | (unsigned char)p[5];
    for (unsigned i = 0; i < n && 12 + 16 * (i + 1) <= len; i++)
        if (!memcmp(p + 12 + 16 * i, tag, 4)) return p + 12 + 16 * i;
    return NULL;
}

static void rename_cff_to_cff2(char *p, size_t len) {
    char *e = table_entry(p, len, "CFF ");
    assert_non_null(e);
    memcpy(e, "CFF2", 4);
}

static void break_cff_version(char *p, size_t len) {
    char *e = table_entry(p, len, "CFF ");
    assert_non_null(e);
    size_t off = (size_t)(unsigned char)e[8] << 24 | (size_t)(unsigned char)e[9] << 16 |
                 (size_t)(unsigned char)e[10] << 8 | (unsigned char)e[11];
    assert_true(off < len);
    p[off] = 9; /* major version 9 */
}

static hu_fonts *open_one(hu_font_role role, const char *spec, bool *user_fault, hu_diags *d) {
    hu_font_options o = {{0}, NULL, NULL};
    o.spec[role] = spec;
    return hu_fonts_open_ex(&o, user_fault, d);
}

static bool diags_contain(const hu_diags *d, const char *needle) {
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->v[i].msg, needle)) return true;
    return false;
}

static void expect_refused(hu_font_role role, const char *spec, const char *needle) {
    hu_diags d = HU_DIAGS_INIT;
    bool user_fault = false;
    hu_fonts *f = open_one(role, spec, &user_fault, &d);
    if (f || !diags_contain(&d, needle)) {
        hu_diags_print(stderr, &d);
        fprintf(stderr, "expected an error containing “%s” for %s\n", needle, spec);
    }
    assert_null(f);
    assert_true(user_fault); /* the user's font, not the installation: exit 2 */
    assert_true(diags_contain(&d, needle));
    assert_true(diags_contain(&d, hu_font_role_name(role)));
    hu_diags_free(&d);
}

static void test_open_refusals(void **st) {
    (void)st;
    /* CFF2 (variable fonts): PDF cannot embed it */
    expect_refused(HU_ROLE_LATIN, edited_copy(TERMES, "cff2.otf", 0, rename_cff_to_cff2), "CFF2");
    /* a CFF table that does not parse */
    const char *broken = edited_copy(TERMES, "broken.otf", 0, break_cff_version);
    expect_refused(HU_ROLE_BODY, broken, "CFF 表损坏");
    expect_refused(HU_ROLE_BODY, broken, "broken.otf");
    /* a collection cut short: its fonts' tables run past the end of the file */
    char spec[4200];
    snprintf(spec, sizeof spec, "%s#2", edited_copy(NOTO, "cut.ttc", 4 << 20, NULL));
    expect_refused(HU_ROLE_HEI, spec, "不完整");
    expect_refused(HU_ROLE_HEI, spec, "cut.ttc");
    /* a broken installation is not the user's fault */
    hu_diags d = HU_DIAGS_INIT;
    hu_font_options o = {{0}, NULL, NULL};
    o.fonts_dir = tmp_dir; /* no bundled fonts there */
    bool user_fault = true;
    assert_null(hu_fonts_open_ex(&o, &user_fault, &d));
    assert_false(user_fault);
    hu_diags_free(&d);
}

static size_t count_in(const hu_buf *b, const char *needle) {
    size_t n = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= b->len; i++)
        n += !memcmp(b->data + i, needle, k);
    return n;
}

/* Every role can be an OpenType/CFF face, alone or in a chain with TrueType faces; the PDF
 * module embeds them as CIDFontType0 (checked further with poppler in e2e_cff.sh). */
static void test_every_role_and_embed(void **st) {
    (void)st;
    hu_font_options o = {{0}, NULL, NULL};
    const char *spec[HU_ROLE_COUNT] = {
        [HU_ROLE_BODY] = NOTO "#2",
        [HU_ROLE_SONG] = TERMES "," NOTO "#2", /* a chain: name-keyed, then CID-keyed */
        [HU_ROLE_KAI] = NOTO "#2",
        [HU_ROLE_HEI] = NOTO_BOLD "#2",
        [HU_ROLE_TITLE] = NOTO_BOLD "#2",
        [HU_ROLE_LATIN] = TERMES,
        [HU_ROLE_LATIN_BOLD] = TERMES_BOLD,
    };
    for (int r = 0; r < HU_ROLE_COUNT; r++)
        o.spec[r] = spec[r];
    hu_diags d = HU_DIAGS_INIT;
    hu_fonts *f = hu_fonts_open(&o, &d);
    hu_diags_print(stderr, &d);
    assert_non_null(f);
    /* the characters go where the chains say */
    const uint32_t han = 0x6C47 /* 汇 */, digit = '7';
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        int face = hu_fonts_lookup(f, (hu_font_role)r, han, NULL);
        assert_true(face >= 0);
        hu_face_data fd;
        assert_true(hu_fonts_face_data(f, face, &fd));
        assert_true(fd.cff);
        assert_non_null(strstr(fd.file, "NotoSansCJK"));
        assert_int_equal(fd.index, 2);
        face = hu_fonts_lookup(f, (hu_font_role)r, digit, NULL);
        assert_true(hu_fonts_face_data(f, face, &fd));
        assert_non_null(
            strstr(fd.file, r == HU_ROLE_TITLE || r == HU_ROLE_HEI || r == HU_ROLE_LATIN_BOLD
                                ? "texgyretermes-bold"
                                : "texgyretermes-regular"));
    }
    /* embedding: one CIDFontType0 per used CFF face */
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_Page page = HPDF_AddPage(pdf);
    int faces[3] = {hu_fonts_lookup(f, HU_ROLE_BODY, han, NULL),
                    hu_fonts_lookup(f, HU_ROLE_BODY, digit, NULL),
                    hu_fonts_lookup(f, HU_ROLE_TITLE, han, NULL)};
    uint32_t cps[3] = {han, digit, han};
    for (int i = 0; i < 3; i++)
        hu_fonts_use(f, faces[i], cps[i]);
    hu_fonts_use(f, faces[0], 0x2026); /* … and ⋯ share one glyph in Noto */
    hu_fonts_use(f, faces[0], 0x22EF);
    hu_pdf_fonts *pf = hu_pdf_fonts_embed(f, pdf, true, NULL, &d);
    hu_diags_print(stderr, &d);
    assert_non_null(pf);
    HPDF_Page_BeginText(page);
    for (int i = 0; i < 3; i++) {
        assert_non_null(hu_pdf_fonts_font(pf, faces[i]));
        assert_int_equal(hu_pdf_fonts_select(pf, page, faces[i], 16), HPDF_OK);
        assert_int_equal(hu_pdf_fonts_show(pf, page, faces[i], &cps[i], NULL, 1), HPDF_OK);
    }
    uint32_t dots[2] = {0x2026, 0x22EF};
    assert_int_equal(hu_pdf_fonts_select(pf, page, faces[0], 16), HPDF_OK);
    assert_int_equal(hu_pdf_fonts_show(pf, page, faces[0], dots, NULL, 2), HPDF_OK);
    HPDF_Page_EndText(page);
    char out[4200];
    snprintf(out, sizeof out, "%s/every-role.pdf", tmp_dir);
    assert_int_equal(HPDF_SaveToFile(pdf, out), HPDF_OK);
    hu_pdf_fonts_free(pf);
    HPDF_Free(pdf);
    hu_fonts_free(f);
    /* the file: FontFile3 /CIDFontType0C, CIDFontType0, no CIDToGIDMap for those faces, and
     * the second character of the shared glyph as ActualText */
    FILE *in = fopen(out, "rb");
    assert_non_null(in);
    hu_buf b = HU_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        hu_buf_put(&b, chunk, n);
    fclose(in);
    hu_buf_putc(&b, 0);
    assert_int_equal(count_in(&b, "/CIDFontType0C"), 3); /* Noto regular and bold, Termes */
    assert_int_equal(count_in(&b, "/CIDFontType0\012"), 3);
    assert_int_equal(count_in(&b, "/CIDToGIDMap"), 0);
    /* … and ⋯ share a glyph: ⋯ is drawn with a copy of it appended to the CFF (cff.h), its
     * own CID, given back by ToUnicode, no /ActualText */
    assert_int_equal(count_in(&b, "/ActualText"), 0);
    hu_buf_free(&b);
    hu_diags_free(&d);
}

int main(void) {
    setenv("HUIBAO_FALLBACK_FONTS_DIR", "", 1);
    const char *t = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/hu-test-cff-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp_dir)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charset_formats),      cmocka_unit_test(test_damaged_tables),
        cmocka_unit_test(test_real_fonts),           cmocka_unit_test(test_open_refusals),
        cmocka_unit_test(test_every_role_and_embed), cmocka_unit_test(test_append),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmp_dir);
    return rc;
}
