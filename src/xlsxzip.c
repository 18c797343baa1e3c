/* xlsxzip.c - a workbook's zip entries deflated by libdeflate; see xlsxzip.h.
 *
 * Why: libxlsxwriter 1.1.4 zips each of a workbook's parts (40 for a sample report, 143 KB of
 * XML) with minizip, which deflates with zlib at Z_DEFAULT_COMPRESSION, hard-coded in
 * packager.c's _add_file_to_zip and _add_buffer_to_zip: ~13.8 M instructions a report, ~12 % of
 * a batch's CPU. libdeflate, which the PDF already uses, compresses a whole buffer at a fraction
 * of that and smaller at the same level (bench/README.md, Session 9).
 *
 * How: libxlsxwriter calls minizip through its PLT (zipOpen, zipOpenNewFileInZip4_64,
 * zipWriteInFileInZip, zipCloseFileInZip, zipClose: the five it imports, every one of its call
 * sites in 1.1.4 with the same arguments: Z_DEFLATED, level -1, raw 0), and the executable comes
 * first in every object's lookup scope, so the three entry functions defined here are the ones
 * it binds to (CMakeLists.txt exports them). A deflated entry is opened instead as a raw one
 * through minizip's own zipOpenNewFileInZip4_64, with the same name, date, level (which sets
 * the general-purpose flags) and zip64 choice, so its headers come out as before; the entry's
 * bytes are gathered here, deflated at once with libdeflate (raw deflate, as zip stores it) and
 * written through minizip's zipWriteInFileInZip, and zipCloseFileInZipRaw64 records the size
 * and CRC-32 (libdeflate's) that zlib would have counted. minizip still writes the headers, the
 * central directory and the file. The one header field that differs: zlib's deflate marks text
 * in the central directory's internal attributes, a raw entry leaves them 0 (as Excel does);
 * readers ignore it. Anything else (a stored entry, one opened raw by its caller, a call when
 * HU_TEST_XLSX_ZLIB is set) passes straight through to minizip, which deflates with zlib as
 * before: the bytes are then those of libxlsxwriter alone.
 *
 * minizip's functions are looked up in libxlsxwriter's own dependencies (hu_xlsxzip_bind),
 * else with RTLD_NEXT (a program that links libxlsxwriter); if neither finds them these
 * functions answer ZIP_INTERNALERROR, so libxlsxwriter reports its zip error rather than crash
 * (no library huibao loads calls them otherwise: libzip, for .docx, has its own zip_* names).
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
#include "pdf_fonts.h"

#define HU_ZIP_FUNCS(X)                                                                            \
    X(zipOpenNewFileInZip4_64)                                                                     \
    X(zipWriteInFileInZip) X(zipCloseFileInZip) X(zipCloseFileInZipRaw64) X(zipClose)
#define HU_ZIP_FIELD(f) __typeof__(f) *f;
static struct { HU_ZIP_FUNCS(HU_ZIP_FIELD) } real;
#undef HU_ZIP_FIELD

static void *bound_handle;
static bool all_zlib; /* HU_TEST_XLSX_ZLIB: every entry through minizip's zlib */
static bool resolved; /* every function of real found */
static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;

static void resolve(void) {
    void *h = bound_handle ? bound_handle : RTLD_NEXT;
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

void hu_xlsxzip_bind(void *handle) {
    bound_handle = handle; /* before resolve's once: both run under xlsxlib.c's load once */
    pthread_once(&resolve_once, resolve);
}

static bool ready(void) {
    pthread_once(&resolve_once, resolve);
    return resolved;
}

/* The entry being gathered on this thread (file is NULL when none), and the buffers and
 * compressor kept for the next one. */
static _Thread_local struct {
    zipFile file;
    unsigned char *in, *out;
    size_t len, in_cap, out_cap;
    struct libdeflate_compressor *z;
} cur;

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
    cur.len = 0;
    return err;
}

int zipWriteInFileInZip(zipFile file, const void *buf, unsigned len) {
    if (!ready()) return ZIP_INTERNALERROR;
    if (!file || file != cur.file) return real.zipWriteInFileInZip(file, buf, len);
    if (len > SIZE_MAX - cur.len) return ZIP_INTERNALERROR;
    if (cur.len + len > cur.in_cap) {
        size_t cap = cur.in_cap ? cur.in_cap : 64 * 1024;
        while (cap < cur.len + len)
            cap = cap > SIZE_MAX / 2 ? cur.len + len : cap * 2;
        cur.in = hu_xrealloc(cur.in, cap);
        cur.in_cap = cap;
    }
    memcpy(cur.in + cur.len, buf, len);
    cur.len += len;
    return ZIP_OK;
}

/* The gathered entry deflated and written as the raw entry's data, then closed. */
static int finish_entry(zipFile file) {
    cur.file = NULL;
    size_t bound = libdeflate_deflate_compress_bound(cur.z, cur.len);
    if (bound > cur.out_cap) {
        free(cur.out);
        cur.out = hu_xmalloc(bound);
        cur.out_cap = bound;
    }
    /* never 0 with a buffer of the bound (libdeflate.h): stored blocks at worst */
    size_t n = libdeflate_deflate_compress(cur.z, cur.in, cur.len, cur.out, cur.out_cap);
    if (n == 0) return ZIP_INTERNALERROR;
    for (size_t off = 0; off < n;) { /* minizip takes an unsigned length */
        unsigned k = n - off > (1u << 30) ? 1u << 30 : (unsigned)(n - off);
        int err = real.zipWriteInFileInZip(file, cur.out + off, k);
        if (err != ZIP_OK) return err;
        off += k;
    }
    uint32_t crc = libdeflate_crc32(0, cur.in, cur.len);
    return real.zipCloseFileInZipRaw64(file, cur.len, crc);
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
    free(cur.in);
    free(cur.out);
    hu_pdf_deflate_free(cur.z);
    cur.in = cur.out = NULL;
    cur.z = NULL;
    cur.len = cur.in_cap = cur.out_cap = 0;
    return err;
}
