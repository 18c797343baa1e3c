/* xlsxlib.c - libxlsxwriter, loaded with dlopen when a workbook is made; see xlsxlib.h.
 *
 * Why not linked: libxlsxwriter 1.1.4 as Debian builds it needs libcrypto (for the MD5 of
 * inserted images, which huibao never inserts) and libminizip. Mapping and relocating the three
 * at every start cost 3.5 M instructions (~4.5 ms of CPU here) and ~140 page faults
 * (bench/README.md, Session 8), on the main thread before main(), in every run: -f pdf, -f md,
 * check of a PDF, --version. Loaded here instead, by the first workbook, on the thread that
 * writes it (xlsx.c hu_xlsx_start), so a report's main thread goes on with its PDF meanwhile
 * and a run without a workbook never loads it. The dlopen itself costs more than the start-up
 * did with RTLD_NOW (8.3 M instructions: every relocation of libcrypto bound at load time,
 * each searching huibao's whole global scope); dynlib.h loads with RTLD_LAZY, as the dynamic
 * loader does at start, so only the calls a workbook makes are bound. It stays a
 * package dependency (packaging/cpack.cmake names it: dpkg-shlibdeps cannot see a dlopen);
 * CMakeLists.txt checks its headers and version at build time and compiles in the soname pkg-config
 * found; a machine without it gets a Chinese error naming the package, at the workbook's path, and
 * the build fails as any output's failure does (exit 1; check, which builds the workbook without
 * writing it, reports the same).
 *
 * Nor is libcrypto loaded with it (session 11): of its 4.7 MB libxlsxwriter imports MD5_Init,
 * MD5_Update and MD5_Final, and mapping and relocating it (21,000 relocations) was most of the
 * dlopen: 3.5 of 4.1 ms of CPU and 130 of 147 page faults single-threaded, ~6 ms of CPU in a
 * report, with the dynamic loader's lock held meanwhile. libhuibao-md5.so (src/shim/md5.c), a
 * small library with libcrypto's soname and those three functions, is loaded first
 * (dynlib.h hu_dynlib_open_md5) and satisfies libxlsxwriter's DT_NEEDED: the dlopen costs
 * 1.0 ms and 27 faults, a report -3 ms of wall time and -6 ms of CPU (bench/README.md,
 * Session 11). Without it (not installed, or refused by a newer libxlsxwriter) libcrypto is
 * loaded as before; a run that also makes a DOCX loads the real one (libzip needs it whole).
 *
 * The handle is never closed: the process ends soon after its last workbook anyway, a batch's
 * next report (-j 1, or a worker's) finds the library loaded, and dlclose would cost munmap
 * system calls and TLB shootdowns on this machine for nothing; libcrypto (when it is the real
 * one) is linked with -z nodelete and would stay anyway. Nothing of it leaks by valgrind's
 * measure (tests/e2e_valgrind.sh traces -j 2 workers writing workbooks on threads): the
 * loader's records stay reachable, and the atexit cleanup the real libcrypto registers if it is
 * ever initialised (huibao never calls it; libxlsxwriter only for an image's MD5) runs at exit
 * as when it was linked.
 *
 * The test suite sees the message a machine without it gets with HU_TEST_NO_LIB (dynlib.h). */
#define _GNU_SOURCE /* fopencookie */
#include "xlsxlib.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <xlsxwriter/xmlwriter.h>

#include "alloc.h"
#include "dynlib.h"

#if !defined(LXW_VERSION_ID) || LXW_VERSION_ID < 114
#error "libxlsxwriter 1.1.4 or later needed (apt-get install libxlsxwriter-dev)"
#endif

hu_lxw_api hu_lxw;

static hu_dynlib lxw_lib =
    HU_DYNLIB(HU_LIBXLSXWRITER_SONAME, HU_LIBXLSXWRITER_PACKAGE, "生成 .xlsx 工作簿");

static void lxw_load_once(void) {
    void *h = hu_dynlib_open_md5(&lxw_lib); /* without libcrypto (see the top) */
    if (!h) return;
#define HU_LOAD(f) hu_dynlib_sym(&lxw_lib, h, #f, &hu_lxw.f);
    HU_LXW_FUNCS(HU_LOAD)
#undef HU_LOAD
}

bool hu_lxw_load(const char *name, hu_diags *d) {
    return hu_dynlib_ready(&lxw_lib, lxw_load_once, name, d);
}

/* ---------------------------------------------------------------- temporary files in memory
 *
 * libxlsxwriter 1.1.4 writes every part of a workbook (each sheet, chart, drawing, the shared
 * strings, styles, ...: 40 for a sample report) to a temporary file from lxw_tmpfile(), reads
 * it back into the zip and closes it; each file cost ~11 system calls (open, unlink, fcntl,
 * fstat, writes, lseek, reads, close) and, on this ext4, an inode search at creation. It calls
 * lxw_tmpfile through its PLT and the function is public (xlsxwriter/utility.h, "can be
 * over-ridden with a user defined version"), so this definition, exported from the executable
 * (CMakeLists.txt: --export-dynamic-symbol), is the one the dlopen'd library binds to: the
 * executable comes first in every object's lookup scope. What the library does with the FILE
 * (1.1.4's packager.c, worksheet.c, xmlwriter.c; its PLT imports no fileno or fstat, and
 * fdopen only for its own tmpfileplus, which this replaces): fprintf/fputs/fputc/fwrite, fflush,
 * rewind, ftell, fseek (images), fread until feof, fclose. A fopencookie() stream over a growable
 * buffer does all of these; nothing needs a descriptor. The tmpdir argument (xlsx.c's TMPDIR or
 * /dev/shm) is then unused. */
typedef struct memfile {
    char *data;
    size_t len, cap, pos;
} memfile;

static ssize_t mf_read(void *cookie, char *buf, size_t n) {
    memfile *m = cookie;
    if (m->pos >= m->len) return 0;
    size_t k = m->len - m->pos < n ? m->len - m->pos : n;
    memcpy(buf, m->data + m->pos, k);
    m->pos += k;
    return (ssize_t)k;
}

static ssize_t mf_write(void *cookie, const char *buf, size_t n) {
    memfile *m = cookie;
    if (n > (size_t)SSIZE_MAX - m->pos) {
        errno = EFBIG;
        return -1;
    }
    size_t end = m->pos + n;
    if (end > m->cap) {
        size_t cap = m->cap ? m->cap : 8192;
        while (cap < end)
            cap = cap > SIZE_MAX / 2 ? end : cap * 2;
        m->data = hu_xrealloc(m->data, cap);
        m->cap = cap;
    }
    if (m->pos > m->len) memset(m->data + m->len, 0, m->pos - m->len); /* a seek past the end */
    memcpy(m->data + m->pos, buf, n);
    m->pos = end;
    if (end > m->len) m->len = end;
    return (ssize_t)n;
}

static int mf_seek(void *cookie, off64_t *off, int whence) {
    memfile *m = cookie;
    off64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (off64_t)m->pos : (off64_t)m->len;
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
        errno = EINVAL;
        return -1;
    }
    if ((*off < 0 && base + *off < 0) || (*off > 0 && *off > (off64_t)SSIZE_MAX - base)) {
        errno = EINVAL;
        return -1;
    }
    m->pos = (size_t)(base + *off);
    *off = (off64_t)m->pos;
    return 0;
}

static int mf_close(void *cookie) {
    memfile *m = cookie;
    free(m->data);
    free(m);
    return 0;
}

FILE *lxw_tmpfile(char *tmpdir) {
    (void)tmpdir;
    memfile *m = hu_xcalloc(1, sizeof *m);
    cookie_io_functions_t io = {mf_read, mf_write, mf_seek, mf_close};
    FILE *f = fopencookie(m, "w+", io);
    if (!f) {
        free(m);
        return NULL;
    }
    /* one thread writes a workbook's parts (xlsx.c), so the stream needs no lock of its own:
     * without, each of the ~10,000 fprintf/fputs/fputc calls of a sample workbook took and gave
     * back glibc's stream lock, two atomic operations each (-0.72 M of 43.5 M instructions of
     * a run making only the workbook, callgrind) */
    __fsetlocking(f, FSETLOCKING_BYCALLER);
    return f;
}

/* ---------------------------------------------------------------- XML attributes
 *
 * libxlsxwriter 1.1.4 makes each attribute of each XML element it writes (5,788 for a sample
 * workbook: 3,238 strings, 2,230 integers, 320 numbers) as a struct xml_attribute, two arrays
 * of LXW_MAX_ATTRIBUTE_LENGTH (2,080) bytes (xlsxwriter/xmlwriter.h), each filled by strncpy,
 * which pads it with zeros to its end: ~4 KB written for an attribute of a few bytes, ~24 MB
 * a workbook; an integer is formatted by snprintf. The library calls these three through its
 * PLT and they are public (xmlwriter.h), so these definitions, exported from the executable
 * (CMakeLists.txt), are the ones it binds to, as lxw_tmpfile above. The block is the same
 * (malloc'd, of the same size: the library frees it with free()), and so are the strings: cut
 * at 2,079 bytes as LXW_ATTRIBUTE_COPY cuts them, integers as "%d" prints the library's
 * uint32_t, numbers by the library's own format ("%.16G" in 32 bytes, lxw_sprintf_dbl). Only
 * the bytes after each string's end are left unwritten: the library reads both arrays as
 * strings only (1.1.4's xmlwriter.c: fprintf "%s", strpbrk, the escaping loop until the NUL).
 * The struct, its size and these three functions are the same in every release from 1.1.4 to
 * 1.2.3 (read in the project's repository), so a library upgraded under a built huibao still
 * frees blocks of the size it expects. tests/e2e_dlopen.sh checks the library binds to them,
 * test_sheet that the strings are the library's; the workbooks are the same bytes. */
static void attr_copy(char *dst, const char *src) {
    size_t n = strnlen(src, LXW_MAX_ATTRIBUTE_LENGTH - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static struct xml_attribute *attr_new(const char *key) {
    struct xml_attribute *a = malloc(sizeof *a);
    if (!a) hu_out_of_memory(sizeof *a);
    attr_copy(a->key, key);
    return a;
}

struct xml_attribute *lxw_new_attribute_str(const char *key, const char *value) {
    struct xml_attribute *a = attr_new(key);
    attr_copy(a->value, value);
    return a;
}

struct xml_attribute *lxw_new_attribute_int(const char *key, uint32_t value) {
    struct xml_attribute *a = attr_new(key);
    /* what snprintf("%d") prints of the uint32_t the library passes: its bits as an int */
    int32_t v = (int32_t)value;
    uint32_t u = v < 0 ? 0u - value : value;
    char digits[12];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    char *o = a->value;
    if (v < 0) *o++ = '-';
    while (n)
        *o++ = digits[--n];
    *o = '\0';
    return a;
}

struct xml_attribute *lxw_new_attribute_dbl(const char *key, double value) {
    struct xml_attribute *a = attr_new(key);
    snprintf(a->value, LXW_ATTR_32, "%.16G", value);
    return a;
}
