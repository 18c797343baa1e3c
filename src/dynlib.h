/* dynlib.h - libraries loaded with dlopen on first use, not by the dynamic loader at start.
 *
 * Most runs need only some of huibao's libraries: -f md never segments Chinese words (ICU, or
 * where ICU is linked from its static archive only its data, libicudata: segment.c), a PDF
 * never reads a zip (libzip, libxml2). Mapping and relocating a library with its own
 * dependencies costs page faults and symbol lookups at every start, and on the virtual machines
 * we measure on a first-touched page costs ~16 us (bench/README.md). A library loaded here is
 * loaded by the first thread that needs it, once per process; its functions are called through
 * a table filled from dlsym, each entry typed from the library's own header (a mismatch is a
 * compile error, not a crash). Each is still a package dependency (packaging/cpack.cmake names
 * it: dpkg-shlibdeps cannot see a dlopen); where it is missing, the one run that needs it fails
 * with a Chinese error naming the Debian package.
 *
 * Testing the missing-library path: HU_TEST_NO_LIB=soname[,soname...] makes those sonames fail
 * to load, with dlopen's own message for a file that does not exist. */
#ifndef HU_DYNLIB_H
#define HU_DYNLIB_H
#include <pthread.h>
#include <stdbool.h>

#include "error.h"

typedef struct hu_dynlib {
    pthread_once_t once;
    const char *soname;  /* the soname compiled against (CMakeLists.txt hu_dlopen_lib) */
    const char *package; /* its Debian package, for the error */
    const char *what;    /* what needs it, in Chinese: "读写 .docx 文件" */
    char error[512];     /* why it could not be loaded; empty when it was */
} hu_dynlib;

#define HU_DYNLIB(soname, package, what)                                                           \
    { PTHREAD_ONCE_INIT, soname, package, what, "" }

/* dlopen(l->soname); NULL with l->error set when it cannot be loaded. For load functions. */
void *hu_dynlib_open(hu_dynlib *l);

/* Looks name up in h (from hu_dynlib_open) into *slot, a function pointer of the table; false,
 * with l->error set unless already, when the library lacks it. */
bool hu_dynlib_sym(hu_dynlib *l, void *h, const char *name, void *slot);

/* Runs load (which calls hu_dynlib_open and hu_dynlib_sym) once per process, on the first
 * caller's thread; a concurrent caller waits for it. True when the library is ready; false
 * with l->error set otherwise. */
bool hu_dynlib_load(hu_dynlib *l, void (*load)(void));

/* hu_dynlib_load, and when it fails an error against name (a file, as the user sees it) in d:
 * "无法加载 soname（what需要它）：why。请安装 Debian 软件包 package". */
bool hu_dynlib_ready(hu_dynlib *l, void (*load)(void), const char *name, hu_diags *d);

/* HarfBuzz, with stand-ins for the libraries it names and huibao never calls (FreeType, GLib,
 * Graphite2: src/shim/standin.c says why) loaded first, where the build made them: hu_dynlib_open
 * for libharfbuzz-subset. Refused beside them, it is loaded again with the real ones. */
void *hu_dynlib_open_hb(hu_dynlib *l);

/* libcrypto, which libxlsxwriter names in DT_NEEDED for three MD5 functions (src/shim/md5.c
 * says why they come from libhuibao-md5.so instead): hu_dynlib_open for libxlsxwriter. Unless
 * a libcrypto is already loaded, the replacement (soname libcrypto.so.3) is loaded first, from
 * beside the executable (a developer build), BIN/../LIBDIR/huibao/ or the install path; when it
 * is missing, or the library fails to load beside it (a libxlsxwriter importing more of
 * libcrypto: -z now binds every import at load time), the library is loaded as before, with
 * the real libcrypto. Never an error of its own. */
void *hu_dynlib_open_md5(hu_dynlib *l);

/* hu_dynlib_open for a library that needs the whole libcrypto (libzip, for ZIP encryption: its
 * imports are bound when first called). With the replacement loaded, the library's DT_NEEDED
 * libcrypto.so.3 would be satisfied by it and a call would end the process ("symbol lookup
 * error"); so the real libcrypto is loaded first, by its path, with RTLD_GLOBAL: every object's
 * lookups search the global scope before their own dependencies. */
void *hu_dynlib_open_crypto(hu_dynlib *l);

/* A library that needs the whole libcrypto will be loaded in this process (a DOCX is made):
 * libxlsxwriter then loads the real libcrypto at once instead of the replacement, which would
 * only be loaded beside it. */
void hu_dynlib_want_crypto(void);

/* The order of a single build's loads. The dynamic loader holds one lock for a whole dlopen
 * (mapping, relocating) and takes it for every dlsym: a thread loading a library the report
 * needs later (the workbook's libxlsxwriter with libcrypto, ~6 ms of CPU) made the warm-up
 * thread's HarfBuzz lookups and ICU's dlopen wait behind it, and the main thread waited for
 * those in turn (bench/README.md, Session 9: 9.7 ms at a load of 3; ICU linked, only its data's
 * short dlopen is left, and its engine is built beside the loads: report.h). So the warm-up thread
 * (main.c, report.c hu_report_warm_up) loads first: hu_dynlib_warm_begin before it is made,
 * hu_dynlib_warm_end once its libraries are loaded (ready or not), and a thread whose library
 * can wait calls hu_dynlib_warm_wait before loading it. Without a warm-up (a batch, -f md)
 * hu_dynlib_warm_wait returns at once. */
void hu_dynlib_warm_begin(void);
void hu_dynlib_warm_end(void);
void hu_dynlib_warm_wait(void);

#endif
