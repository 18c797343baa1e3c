/* xlsxzip.c - a workbook's zip entries deflated by libdeflate; see xlsxzip.h.
 *
 * Why: libxlsxwriter 1.1.4 zips each of a workbook's parts (40 for a sample report, 143 KB of
 * XML) with minizip, which deflates with zlib at Z_DEFAULT_COMPRESSION, hard-coded in
 * packager.c's _add_file_to_zip and _add_buffer_to_zip: ~13.8 M instructions a report, ~12 % of
 * a batch's CPU. libdeflate, which the PDF already uses, compresses a whole buffer in a fraction
 * of that: at the level chosen (xlsxzip.h), -10.5 M instructions for a sample workbook, for 6 %
 * more bytes (bench/README.md, Session 9).
 *
 * How: libxlsxwriter calls minizip through its PLT (zipOpen, zipOpenNewFileInZip4_64,
 * zipWriteInFileInZip, zipCloseFileInZip, zipClose: the five it imports, every one of its call
 * sites in 1.1.4 with the same arguments: Z_DEFLATED, level -1, raw 0), and the executable comes
 * first in every object's lookup scope, so the four defined here (an entry's three, and zipClose,
 * which releases what the entries kept) are the ones it binds to (CMakeLists.txt exports them). A
 * deflated entry is opened instead as a raw one through minizip's own zipOpenNewFileInZip4_64, with
 * the same name, date, level (which sets the general-purpose flags) and zip64 choice, so its
 * headers come out as before; the entry's bytes are gathered here, deflated at once with libdeflate
 * (raw deflate, as zip stores it) and written through minizip's zipWriteInFileInZip, and
 * zipCloseFileInZipRaw64 records the size and CRC-32 (libdeflate's) that zlib would have counted.
 * minizip still writes the headers, the central directory and the file. The one header field that
 * differs: zlib's deflate marks text in the central directory's internal attributes, a raw entry
 * leaves them 0 (as Excel does); readers ignore it. Anything else (a stored entry, one opened raw
 * by its caller, a call when HU_TEST_XLSX_ZLIB is set) passes straight through to minizip, which
 * deflates with zlib as before: the bytes are then those of libxlsxwriter alone.
 *
 * minizip's own functions are looked up, at the first call (from libxlsxwriter, so loaded by
 * then), in libxlsxwriter's dependencies: dlsym on its handle (dlopen with RTLD_NOLOAD, the
 * soname xlsxlib.c loads) searches the library and what it needs, never the executable; else
 * with RTLD_NEXT (a program linked with libxlsxwriter, whose libraries are global). If neither
 * finds them these functions answer ZIP_INTERNALERROR, so libxlsxwriter reports its zip error
 * rather than crash (no library huibao loads calls them otherwise: libzip, for .docx, has its
 * own zip_* names).
 *
 * Threads: an entry is opened, written and closed by one thread (libxlsxwriter writes a
 * workbook on the thread that calls workbook_close; xlsx.c runs it on a thread of its own,
 * newmonth.c on the main thread), so the entry being gathered is kept per thread and no lock is
 * taken. Its buffers and compressor are kept from entry to entry of the workbook, so that the
 * pages a large part faulted in serve the next, and are released by zipClose; the compressor's
 * memory goes back to the process's cache (pdf_fonts.h, hu_pdf_deflate_new) for the next
 * compressor of the report or the batch. Memory: an entry's XML once more and its compressed
 * copy, on top of libxlsxwriter's own copy in its temporary file (xlsxlib.c): bench/README.md. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "xlsxzip.h"

#include <dlfcn.h>
#include <libdeflate.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* minizip's own header, by its directory: libzip's <zip.h> has the same name */
#include <minizip/zip.h>

#include "alloc.h"
#include "buf.h"
#include "pdf_fonts.h"

#define HU_ZIP_FUNCS(X)                                                                            \
    X(zipOpenNewFileInZip4_64)                                                                     \
    X(zipWriteInFileInZip) X(zipCloseFileInZip) X(zipCloseFileInZipRaw64) X(zipClose)
#define HU_ZIP_FIELD(f) __typeof__(f) *f;
static struct { HU_ZIP_FUNCS(HU_ZIP_FIELD) } real;
#undef HU_ZIP_FIELD

static bool all_zlib; /* HU_TEST_XLSX_ZLIB: every entry through minizip's zlib */
static bool resolved; /* every function of real found */
static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;

static void resolve(void) {
    /* never closed, as xlsxlib.c's own handle: the library stays for the process anyway */
    void *h = dlopen(HU_LIBXLSXWRITER_SONAME, RTLD_NOLOAD | RTLD_LAZY | RTLD_LOCAL);
    if (!h) h = RTLD_NEXT;
    bool ok = true;
#define HU_ZIP_LOAD(f)                                                                             \
    {                                                                                              \
        void *p = dlsym(h, #f);                                                                    \
        if (!p) ok = false; /* neither search includes the executable: never ours */               \
        memcpy(&real.f, &p, sizeof p);                                                             \
    }
    HU_ZIP_FUNCS(HU_ZIP_LOAD)
#undef HU_ZIP_LOAD
    const char *t = getenv("HU_TEST_XLSX_ZLIB");
    all_zlib = t && *t;
    resolved = ok;
}

static bool ready(void) {
    pthread_once(&resolve_once, resolve);
    return resolved;
}

/* The entry being gathered on this thread (file is NULL when none), and the buffers and
 * compressor kept for the next one. */
static _Thread_local struct {
    zipFile file;
    hu_buf in; /* the entry's bytes */
    unsigned char *out;
    size_t out_cap;
    struct libdeflate_compressor *z;
    char name[128]; /* the entry's name, for the memo ("" when too long) */
} cur;

/* ---- a batch's memo ----
 *
 * In a batch, many parts are the same from one workbook to the next: the theme, the styles, the
 * content types, the drawing of the charts sheet, the relationships (bench/README.md, Session 9:
 * 40 % of the XML of 200 months' workbooks repeats a part of the same name of another one). With
 * the memo on (hu_xlsxzip_memo, a batch's worker), the last deflated copy of each part name is kept
 * with its XML, and a part whose name, size, CRC-32 and bytes are those kept is written from it
 * rather than deflated again: the same bytes, since libdeflate's output depends on nothing but the
 * input and the level. Parts of MEMO_PART_MAX bytes or more are not kept (the sheets of a long
 * report: they change every month), nor anything past MEMO_BYTES_MAX in all. Workbooks of a worker
 * may be written on two threads at once (a report's commit overlaps the next build), hence the
 * lock, held for a lookup or an insertion, never while deflating. */
enum { MEMO_SLOTS = 256, MEMO_PART_MAX = 64 * 1024, MEMO_BYTES_MAX = 2 * 1024 * 1024 };
typedef struct {
    char *name; /* NULL: empty */
    uint32_t crc;
    size_t len, zlen;
    unsigned char *in, *z;
} memo_slot;
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static bool memo_on;
static size_t memo_bytes;
static memo_slot memo[MEMO_SLOTS];

static memo_slot *memo_slot_of(const char *name) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return &memo[h % MEMO_SLOTS];
}

static void memo_clear(memo_slot *m) {
    if (m->name) memo_bytes -= m->len + m->zlen;
    free(m->name);
    free(m->in);
    free(m->z);
    memset(m, 0, sizeof *m);
}

void hu_xlsxzip_memo(bool on) {
    pthread_mutex_lock(&memo_lock);
    memo_on = on;
    if (!on)
        for (int i = 0; i < MEMO_SLOTS; i++)
            memo_clear(&memo[i]);
    pthread_mutex_unlock(&memo_lock);
}

/* Is the gathered entry one the memo keeps (a name, and small)? */
static bool memo_fits(void) {
    return cur.name[0] && cur.in.len < MEMO_PART_MAX;
}

/* The kept deflated copy of the gathered entry into cur.out: its length, or 0. */
static size_t memo_find(uint32_t crc) {
    size_t n = 0;
    if (!memo_fits()) return 0;
    pthread_mutex_lock(&memo_lock);
    memo_slot *m = memo_slot_of(cur.name);
    if (memo_on && m->name && m->crc == crc && m->len == cur.in.len && !strcmp(m->name, cur.name) &&
        !memcmp(m->in, cur.in.data, cur.in.len) && m->zlen <= cur.out_cap) {
        memcpy(cur.out, m->z, m->zlen);
        n = m->zlen;
    }
    pthread_mutex_unlock(&memo_lock);
    return n;
}

/* Keeps the gathered entry and its n deflated bytes in cur.out, in place of its name's last. */
static void memo_keep(uint32_t crc, size_t n) {
    if (!memo_fits()) return;
    pthread_mutex_lock(&memo_lock);
    memo_slot *m = memo_slot_of(cur.name);
    if (memo_on) {
        memo_clear(m);
        size_t len = cur.in.len;
        if (memo_bytes + len + n <= MEMO_BYTES_MAX) {
            size_t k = strlen(cur.name) + 1;
            m->name = memcpy(hu_xmalloc(k), cur.name, k);
            m->in = hu_xmalloc(len ? len : 1);
            m->z = hu_xmalloc(n);
            memcpy(m->in, cur.in.data, len);
            memcpy(m->z, cur.out, n);
            m->crc = crc;
            m->len = len;
            m->zlen = n;
            memo_bytes += len + n;
        }
    }
    pthread_mutex_unlock(&memo_lock);
}

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local,
                            const void *extrafield_global, uInt size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password, uLong crcForCrypting,
                            uLong versionMadeBy, uLong flagBase, int zip64) {
    if (!ready()) return ZIP_INTERNALERROR;
    bool ours = method == Z_DEFLATED && !raw && !password && !all_zlib;
    if (ours && !cur.z) cur.z = hu_pdf_deflate_new(HU_XLSXZIP_LEVEL);
    if (!cur.z) ours = false; /* no memory for a compressor: zlib's smaller state may fit */
    int err = real.zipOpenNewFileInZip4_64(
        file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
        size_extrafield_global, comment, method, level, ours ? 1 : raw, windowBits, memLevel,
        strategy, password, crcForCrypting, versionMadeBy, flagBase, zip64);
    cur.file = err == ZIP_OK && ours ? file : NULL;
    hu_buf_clear(&cur.in);
    size_t k = filename ? strlen(filename) : sizeof cur.name;
    if (k < sizeof cur.name)
        memcpy(cur.name, filename, k + 1);
    else
        cur.name[0] = '\0';
    return err;
}

int zipWriteInFileInZip(zipFile file, const void *buf, unsigned len) {
    if (!ready()) return ZIP_INTERNALERROR;
    if (!file || file != cur.file) return real.zipWriteInFileInZip(file, buf, len);
    if (len >= SIZE_MAX / 2 - cur.in.len) return ZIP_INTERNALERROR; /* hu_buf doubles */
    hu_buf_put(&cur.in, buf, len);
    return ZIP_OK;
}

/* The gathered entry deflated and written as the raw entry's data, then closed. */
static int finish_entry(zipFile file) {
    cur.file = NULL;
    const unsigned char *in = (const unsigned char *)cur.in.data;
    size_t len = cur.in.len;
    size_t bound = libdeflate_deflate_compress_bound(cur.z, len);
    if (bound > cur.out_cap) {
        free(cur.out);
        cur.out = hu_xmalloc(bound);
        cur.out_cap = bound;
    }
    uint32_t crc = libdeflate_crc32(0, in, len);
    size_t n = memo_find(crc);
    if (!n) {
        /* never 0 with a buffer of the bound (libdeflate.h): stored blocks at worst */
        n = libdeflate_deflate_compress(cur.z, in, len, cur.out, cur.out_cap);
        if (n == 0) return ZIP_INTERNALERROR;
        memo_keep(crc, n);
    }
    for (size_t off = 0; off < n;) { /* minizip takes an unsigned length */
        unsigned k = n - off > (1u << 30) ? 1u << 30 : (unsigned)(n - off);
        int err = real.zipWriteInFileInZip(file, cur.out + off, k);
        if (err != ZIP_OK) return err;
        off += k;
    }
    return real.zipCloseFileInZipRaw64(file, len, crc);
}

int zipCloseFileInZip(zipFile file) {
    if (!ready()) return ZIP_INTERNALERROR;
    if (file && file == cur.file) return finish_entry(file);
    return real.zipCloseFileInZip(file);
}

/* The workbook's last call (libxlsxwriter's error paths call it too): what the thread kept for
 * its entries is released. minizip's own zipClose closes an entry left open through our
 * zipCloseFileInZip (its call goes through its PLT), so nothing is lost there either. */
int zipClose(zipFile file, const char *global_comment) {
    if (!ready()) return ZIP_INTERNALERROR;
    int err = real.zipClose(file, global_comment);
    cur.file = NULL;
    hu_buf_free(&cur.in);
    free(cur.out);
    hu_pdf_deflate_free(cur.z);
    cur.out = NULL;
    cur.z = NULL;
    cur.out_cap = 0;
    return err;
}
