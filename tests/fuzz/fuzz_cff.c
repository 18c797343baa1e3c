/* fuzz_cff.c - the CFF table reader and writer (cff.h) on damaged tables. The input's first 4
 * bytes choose what to append (how many glyphs, which, moved how far, how wide); the rest is a
 * CFF table, as a font file would hand it to pdf_fonts.c. Never a crash or a read outside the
 * table; a table the writer extends opens again with the glyphs appended, its old glyphs'
 * CIDs unchanged and each new glyph's code its CID (CID-keyed) or glyph id (name-keyed).
 * The seeds are CFF tables of real subsets (make_corpus.py, from the fonts test_cff uses). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cff.h"

static void fail(const char *why) {
    fprintf(stderr, "fuzz_cff: %s\n", why);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 4) return 0;
    unsigned n = data[0] % 5, pick = data[2];
    int dx = (int8_t)data[1] * 4, adv = data[3] * 4;
    /* a copy of exactly the table's bytes, so that ASan sees any read past its end */
    size_t len = size - 4;
    unsigned char *t = malloc(len ? len : 1);
    if (!t) return 0;
    memcpy(t, data + 4, len);
    hu_cff c;
    const char *why = NULL;
    if (!hu_cff_open(&c, t, len, &why)) {
        if (!why) fail("a table refused without a reason");
        free(t);
        return 0;
    }
    uint16_t *cid = malloc(((size_t)c.nglyphs + 5) * sizeof *cid);
    bool cids = cid && hu_cff_cids(&c, cid);
    if (n && c.nglyphs && cid) {
        hu_cff_glyph g[4];
        for (unsigned j = 0; j < n && j < 4; j++)
            g[j] = (hu_cff_glyph){(pick + 7 * j) % c.nglyphs, dx, adv};
        if (n > 4) n = 4;
        hu_buf out = HU_BUF_INIT;
        unsigned code[4];
        if (hu_cff_append(&c, g, n, &out, code)) {
            hu_cff c2;
            if (!hu_cff_open(&c2, out.data, out.len, NULL))
                fail("the extended table does not open");
            if (c2.nglyphs != c.nglyphs + n) fail("the extended table has the wrong glyph count");
            if (c2.cid_keyed != c.cid_keyed) fail("the extended table changed its kind");
            uint16_t *cid2 = malloc((size_t)c2.nglyphs * sizeof *cid2);
            if (cid2 && hu_cff_cids(&c2, cid2)) {
                if (cids && memcmp(cid, cid2, (size_t)c.nglyphs * sizeof *cid) != 0)
                    fail("an old glyph's CID changed");
                for (unsigned j = 0; j < n; j++)
                    if (code[j] != (c.cid_keyed ? cid2[c.nglyphs + j] : c.nglyphs + j))
                        fail("a new glyph's code is not its CID or glyph id");
            } else if (cid2) {
                fail("the extended table's charset does not read");
            }
            free(cid2);
        } else if (out.len) {
            fail("a refused append left output");
        }
        hu_buf_free(&out);
    }
    free(cid);
    free(t);
    return 0;
}
