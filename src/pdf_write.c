/* pdf_write.c - writing a finished libharu document ourselves: PDF 1.5, every object that is
 * not a stream packed into deflated object streams, a deflated cross-reference stream instead
 * of the xref table, stream lengths written directly (issue 19: PDF bytes).
 *
 * Why our own writer for the file and not (b), repacking the bytes libharu's writer made:
 * libharu 2.3.0 writes every object in turn, then a classic xref table; it cannot write object
 * streams. Repacking its output would mean parsing PDF syntax back (object boundaries, the
 * indirect /Length objects it writes after each stream, strings that may contain anything)
 * and copying the whole file, font programs included, a second time. Walking its object table
 * instead costs nothing extra: each object's value is still serialised by libharu itself
 * (HPDF_Obj_WriteValue, the same function its writer calls, running the same before-write hooks
 * that close pages and count outline entries), only where the bytes go is ours. Like
 * pdf_fonts.c this reads libharu 2.3.0's private structs (its object table, dict elements,
 * memory streams), so it carries the same version pins; the two files are the only users of
 * libharu's private headers.
 *
 * The layout: "%PDF-1.5", the stream objects (page contents, font programs, ToUnicode maps;
 * already deflated by pdf_fonts.c) with their /Length inline, then the object streams, then
 * the cross-reference stream, whose dictionary is the trailer. libharu makes one indirect
 * number object per stream for its /Length; those are not written, and the objects are
 * renumbered 1..n without them so the cross-reference has no free entries but object 0.
 * Everything depends only on the document: the output is reproducible. */
#include "pdf_write.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <hpdf_version.h>
#include <libdeflate.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "hpdflib.h"
#include "pdf_fonts.h"
#include "sha256.h"
#include "utf8.h"

#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3 || HPDF_BUGFIX_VERSION != 0
#error "pdf_write.c uses libharu's private headers and is written for libharu 2.3.0 only"
#endif
_Static_assert(sizeof HPDF_VERSION_TEXT == sizeof "2.3.0",
               "pdf_write.c is written for libharu 2.3.0 (HPDF_VERSION_TEXT)");

/* Objects per object stream: a reader inflates a whole stream to get one object, and a
 * 200-page report has a few thousand small objects. */
#define OBJSTM_MAX 200
/* The object and cross-reference streams are small (tens of KB). Level 9 against 12: 24 bytes
 * more on a sample report, 50 M fewer instructions on a 52-page one (bench/README.md,
 * Session 5: PDF size). Sample 2026-10's 6.2 KB of such objects take 0.07-0.18 ms at level 9
 * (Session 12), packed while the helper thread may still be deflating the body face's font
 * program (before_streams below): off the critical path, so no reason to go lower. */
#define OBJSTM_LEVEL 9

/* A libharu stream that appends to a hu_buf (stream->attr). */
static HPDF_STATUS buf_write(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n) {
    hu_buf_put(s->attr, p, n);
    return HPDF_OK;
}

static bool is_stream(const void *obj) {
    const HPDF_Obj_Header *h = obj;
    return (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT && ((HPDF_Dict)obj)->stream;
}

/* The stream object d as "N 0 obj ... endobj" onto b (out appends to b too): its entries as
 * HPDF_Dict_Write writes them but /Length direct (libharu insists on an indirect one) and no
 * /Filter of libharu's. */
static HPDF_STATUS write_stream_object(HPDF_Dict d, unsigned id, HPDF_Stream out, hu_buf *b) {
    if (d->filter != HPDF_STREAM_FILTER_NONE || d->stream->type != HPDF_STREAM_MEMORY)
        return HPDF_INVALID_OBJECT; /* pdf_fonts.c deflates every stream itself */
    HPDF_STATUS st = HPDF_OK;
    hu_buf_printf(b, "%u 0 obj\012<<\012", id);
    if (d->before_write_fn && (st = d->before_write_fn(d)) != HPDF_OK) return st;
    for (HPDF_UINT i = 0; i < d->list->count; i++) {
        HPDF_DictElement el = HPDF_List_ItemAt(d->list, i);
        const HPDF_Obj_Header *h = el->value;
        if (!h) return HPDF_INVALID_OBJECT;
        if ((h->obj_id & HPDF_OTYPE_HIDDEN) || !strcmp(el->key, "Length") ||
            !strcmp(el->key, "Filter"))
            continue;
        st |= HPDF_Stream_WriteEscapeName(out, el->key);
        st |= HPDF_Stream_WriteChar(out, ' ');
        st |= HPDF_Obj_Write(el->value, out, NULL);
        st |= HPDF_Stream_WriteChar(out, '\012');
    }
    if (d->write_fn) st |= d->write_fn(d, out);
    if (st != HPDF_OK) return st;
    HPDF_Stream s = d->stream;
    HPDF_UINT nbuf = HPDF_MemStream_GetBufCount(s), total = HPDF_Stream_Size(s);
    hu_buf_printf(b, "/Length %u\012>>\012stream\015\012", (unsigned)total);
    size_t start = b->len;
    for (HPDF_UINT i = 0; i < nbuf && b->len - start < total; i++) {
        HPDF_UINT len = 0;
        HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(s, i, &len);
        if (len > total - (b->len - start)) len = (HPDF_UINT)(total - (b->len - start));
        if (p) hu_buf_put(b, p, len);
    }
    if (b->len - start != total) return HPDF_INVALID_OBJECT;
    hu_buf_puts(b, "\012endstream\012endobj\012");
    if (d->after_write_fn) st = d->after_write_fn(d);
    return st;
}

/* data deflated onto b. */
static bool deflate_onto(struct libdeflate_compressor *z, const void *data, size_t len, hu_buf *b) {
    size_t cap = libdeflate_zlib_compress_bound(z, len);
    hu_buf_grow(b, cap);
    size_t n = libdeflate_zlib_compress(z, data, len, b->data + b->len, cap);
    b->len += n;
    return n > 0;
}

/* v as w big-endian bytes at p. */
static void put_be(unsigned char *p, int w, unsigned long long v) {
    for (int i = w - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static int bytes_for(unsigned long long v) {
    int w = 1;
    while (w < 8 && v >> (8 * w))
        w++;
    return w;
}

/* The file: bytes collect in b and go to fp (NULL: dropped) once past a 64 KB, so the whole
 * file is never in memory at once; off counts what went before b. */
typedef struct {
    FILE *fp;
    hu_buf b;
    size_t off;
    bool err;
    struct sha256_ctx *sha; /* NULL: not hashed */
} out_file;

static void of_flush(out_file *o, size_t above) {
    if (o->b.len <= above) return;
    if (o->fp && fwrite(o->b.data, 1, o->b.len, o->fp) != o->b.len) o->err = true;
    if (o->sha) sha256_update(o->sha, o->b.len, (const uint8_t *)o->b.data);
    o->off += o->b.len;
    o->b.len = 0;
}

static size_t of_tell(const out_file *o) {
    return o->off + o->b.len;
}

typedef struct {
    unsigned char type;    /* 0 free, 1 at an offset, 2 in an object stream */
    unsigned long long f2; /* offset or object stream number */
    unsigned f3;           /* generation or index in the object stream */
} xref_row;

/* Why not libharu's UTF-8 encoder (HPDF_UseUTFEncodings): its set-up clears and fills tables of
 * 256 KB for every document (~0.3 ms of the main thread's CPU for the sample report, on its
 * critical path, bench/README.md Session 13), to convert a few bookmark titles, and it truncates
 * code points above U+FFFF. The bytes are those it wrote for BMP text: '<', the hex digits of
 * FE FF and the UTF-16BE code units (HPDF_Binary_Write, through the same HPDF_Stream_WriteBinary
 * its strings used), '>'. */
HPDF_STATUS hu_pdf_text_string(HPDF_Dict dict, const char *key, const char *utf8) {
    if (!dict) return HPDF_INVALID_DOCUMENT;
    size_t n = strlen(utf8);
    /* at most two code units (4 bytes) per UTF-8 sequence of one byte or more */
    unsigned char *u = hu_xmalloc(2 + 4 * n);
    size_t len = 0;
    u[len++] = 0xFE, u[len++] = 0xFF;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += hu_utf8_decode(utf8 + i, n - i, &cp); /* >= 1; U+FFFD for an invalid sequence */
        uint16_t cu[2];
        for (size_t k = 0, m = hu_utf16_encode(cp, cu); k < m; k++)
            u[len++] = (unsigned char)(cu[k] >> 8), u[len++] = (unsigned char)cu[k];
    }
    HPDF_Binary b = HPDF_Binary_New(dict->mmgr, u, (HPDF_UINT)len);
    free(u);
    if (!b) return HPDF_FAILD_TO_ALLOC_MEM;
    return HPDF_Dict_Add(dict, key, b); /* frees b on failure */
}

HPDF_STATUS hu_pdf_info_text(HPDF_Doc pdf, const char *key, const char *utf8) {
    return hu_pdf_text_string(pdf->info, key, utf8);
}

HPDF_STATUS hu_pdf_write(HPDF_Doc pdf, const char *path, char sha256[65],
                         bool (*before_streams)(void *), void *arg) {
    if (sha256) sha256[0] = 0;
    HPDF_Xref xref = pdf->xref;
    /* one cross-reference section, no encryption: what hu_pdf_draw makes */
    if (!xref || xref->prev || xref->start_offset != 0 || !pdf->catalog || pdf->encrypt_on)
        return HPDF_INVALID_DOCUMENT;
    HPDF_UINT nent = xref->entries->count;

    /* the /Length number objects of streams are dropped; the rest are numbered 1..n in
     * libharu's order */
    unsigned char *drop = hu_xcalloc(nent ? nent : 1, 1);
    for (HPDF_UINT i = 1; i < nent; i++) {
        HPDF_XrefEntry e = HPDF_Xref_GetEntry(xref, i);
        if (e->entry_typ != HPDF_IN_USE_ENTRY || !e->obj || !is_stream(e->obj)) continue;
        HPDF_Number len = HPDF_Dict_GetItem(e->obj, "Length", HPDF_OCLASS_NUMBER);
        if (!len) continue;
        HPDF_UINT32 lid = len->header.obj_id;
        if ((lid & HPDF_OTYPE_INDIRECT) && (lid & 0xFFFFFF) < nent) drop[lid & 0xFFFFFF] = 1;
    }
    unsigned n = 0;
    void **obj = hu_xmalloc((nent ? nent : 1) * sizeof *obj); /* by new number - 1 */
    for (HPDF_UINT i = 1; i < nent; i++) {
        HPDF_XrefEntry e = HPDF_Xref_GetEntry(xref, i);
        if (drop[i] || e->entry_typ != HPDF_IN_USE_ENTRY || !e->obj) continue;
        HPDF_Obj_Header *h = e->obj;
        obj[n++] = h;
        h->obj_id = (h->obj_id & 0xFF000000u) | n;
    }
    free(drop);

    struct sha256_ctx sha;
    sha256_init(&sha);
    out_file of = {NULL, HU_BUF_INIT, 0, false, sha256 ? &sha : NULL};
    hu_buf *file = &of.b, body = HU_BUF_INIT, index = HU_BUF_INIT;
    HPDF_STATUS st = HPDF_OK;
    HPDF_Stream out = HPDF_CallbackWriter_New(pdf->mmgr, buf_write, &body);
    HPDF_Stream fout = HPDF_CallbackWriter_New(pdf->mmgr, buf_write, file);
    struct libdeflate_compressor *z = hu_pdf_deflate_new(OBJSTM_LEVEL);
    unsigned nos = (n + OBJSTM_MAX - 1) / OBJSTM_MAX; /* upper bound on object streams */
    xref_row *row = hu_xcalloc((size_t)n + nos + 2, sizeof *row);
    if (!out || !fout || !z) {
        st = HPDF_FAILD_TO_ALLOC_MEM;
        goto done;
    }
    if (path && !(of.fp = fopen(path, "wb"))) {
        st = HPDF_FILE_IO_ERROR;
        goto done;
    }
    hu_buf_puts(file, "%PDF-1.5\012%\267\276\255\252\012");

    /* The objects that are not streams first: serialising them runs the hooks that may still
     * add to a page's contents (libharu closes an open text object there). */
    unsigned *member = hu_xmalloc(((size_t)n ? n : 1) * sizeof *member);
    size_t *end = hu_xmalloc(((size_t)n ? n : 1) * sizeof *end);
    unsigned nm = 0;
    for (unsigned k = 0; k < n && st == HPDF_OK; k++) {
        if (is_stream(obj[k])) continue;
        st = HPDF_Obj_WriteValue(obj[k], out, NULL);
        hu_buf_putc(&body, '\012');
        member[nm] = k + 1, end[nm++] = body.len;
    }
    /* the object streams, deflated before any stream is written (the font programs may still
     * be being deflated on another thread: before_streams waits for them) and written after the
     * streams: "number offset" pairs, then the objects */
    unsigned next_id = n + 1, ngroups = 0;
    typedef struct {
        hu_buf packed;
        unsigned count;
        size_t nidx;
    } objstm;
    objstm *os = hu_xcalloc(nos ? nos : 1, sizeof *os);
    for (unsigned first = 0; first < nm && st == HPDF_OK; first += OBJSTM_MAX) {
        unsigned last = first + OBJSTM_MAX < nm ? first + OBJSTM_MAX : nm;
        size_t base = first ? end[first - 1] : 0;
        index.len = 0;
        for (unsigned m = first; m < last; m++) {
            size_t off = (m ? end[m - 1] : 0) - base;
            hu_buf_printf(&index, "%u %zu\012", member[m], off);
            row[member[m]] = (xref_row){2, next_id + ngroups, m - first};
        }
        objstm *g = &os[ngroups++];
        g->count = last - first, g->nidx = index.len;
        hu_buf_put(&index, body.data + base, end[last - 1] - base);
        if (!deflate_onto(z, index.data, index.len, &g->packed)) st = HPDF_FAILD_TO_ALLOC_MEM;
    }
    free(member);
    free(end);
    if (st == HPDF_OK && before_streams && !before_streams(arg)) st = HPDF_INVALID_DOCUMENT;
    /* the stream objects, in number order */
    for (unsigned k = 0; k < n && st == HPDF_OK; k++) {
        if (!is_stream(obj[k])) continue;
        row[k + 1] = (xref_row){1, of_tell(&of), 0};
        st = write_stream_object(obj[k], k + 1, fout, file);
        of_flush(&of, 1 << 16);
    }
    for (unsigned i = 0; i < ngroups && st == HPDF_OK; i++, next_id++) {
        const objstm *g = &os[i];
        row[next_id] = (xref_row){1, of_tell(&of), 0};
        hu_buf_printf(file,
                      "%u 0 obj\012<</Type/ObjStm/N %u/First %zu/Filter/FlateDecode/Length "
                      "%zu>>\012stream\015\012",
                      next_id, g->count, g->nidx, g->packed.len);
        hu_buf_put(file, g->packed.data, g->packed.len);
        hu_buf_puts(file, "\012endstream\012endobj\012");
        of_flush(&of, 1 << 16);
    }
    for (unsigned i = 0; i < ngroups; i++)
        hu_buf_free(&os[i].packed);
    free(os);
    if (st != HPDF_OK) goto done;

    /* the cross-reference stream (object next_id), its rows PNG-Up predicted */
    unsigned xid = next_id, size = xid + 1;
    size_t xoff = of_tell(&of);
    row[0] = (xref_row){0, 0, 65535};
    row[xid] = (xref_row){1, xoff, 0};
    unsigned long long max2 = 0;
    unsigned max3 = 0;
    for (unsigned i = 0; i < size; i++) {
        if (row[i].f2 > max2) max2 = row[i].f2;
        if (row[i].f3 > max3) max3 = row[i].f3;
    }
    int w2 = bytes_for(max2), w3 = bytes_for(max3), cols = 1 + w2 + w3;
    unsigned char *tab = hu_xcalloc((size_t)size * (cols + 1), 1);
    unsigned char *prev = hu_xcalloc((size_t)cols, 1), *cur = hu_xmalloc((size_t)cols);
    for (unsigned i = 0; i < size; i++) {
        cur[0] = row[i].type;
        put_be(cur + 1, w2, row[i].f2);
        put_be(cur + 1 + w2, w3, row[i].f3);
        unsigned char *t = tab + (size_t)i * (cols + 1);
        t[0] = 2; /* PNG Up */
        for (int c = 0; c < cols; c++)
            t[1 + c] = (unsigned char)(cur[c] - prev[c]);
        memcpy(prev, cur, (size_t)cols);
    }
    hu_buf packed = HU_BUF_INIT;
    bool ok = deflate_onto(z, tab, (size_t)size * (cols + 1), &packed);
    free(tab);
    free(prev);
    free(cur);
    if (!ok) {
        hu_buf_free(&packed);
        st = HPDF_FAILD_TO_ALLOC_MEM;
        goto done;
    }
    HPDF_Obj_Header *info = (HPDF_Obj_Header *)pdf->info;
    hu_buf_printf(file, "%u 0 obj\012<</Type/XRef/Size %u/W[1 %d %d]/Root %u 0 R", xid, size, w2,
                  w3, (unsigned)(((HPDF_Obj_Header *)pdf->catalog)->obj_id & 0xFFFFFF));
    if (info && (info->obj_id & HPDF_OTYPE_INDIRECT))
        hu_buf_printf(file, "/Info %u 0 R", (unsigned)(info->obj_id & 0xFFFFFF));
    hu_buf_printf(file,
                  "/Filter/FlateDecode/DecodeParms<</Columns %d/Predictor 12>>/Length "
                  "%zu>>\012stream\015\012",
                  cols, packed.len);
    hu_buf_put(file, packed.data, packed.len);
    hu_buf_printf(file, "\012endstream\012endobj\012startxref\012%zu\012%%%%EOF\012", xoff);
    hu_buf_free(&packed);

    of_flush(&of, 0);
done:
    if (of.fp && fclose(of.fp) != 0) of.err = true;
    if (of.err && st == HPDF_OK) st = HPDF_FILE_IO_ERROR;
    if (sha256 && st == HPDF_OK) {
        uint8_t digest[SHA256_DIGEST_SIZE];
        sha256_digest(&sha, sizeof digest, digest);
        hu_sha256_hex(digest, sha256);
    }
    hu_pdf_deflate_free(z);
    if (out) HPDF_Stream_Free(out);
    if (fout) HPDF_Stream_Free(fout);
    free(row);
    free(obj);
    hu_buf_free(file);
    hu_buf_free(&body);
    hu_buf_free(&index);
    return st;
}
