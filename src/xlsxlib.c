/* xlsxlib.c - libxlsxwriter, loaded with dlopen when a workbook is made; see xlsxlib.h.
 *
 * Why not linked: libxlsxwriter 1.1.4 as Debian builds it needs libcrypto (for the MD5 of
 * inserted images, which huibao never inserts) and libminizip. Mapping and relocating the three
 * at every start cost ~4.5 ms of CPU and ~130 page faults (bench/README.md, Session 8), on the
 * main thread before main(), in every run: -f pdf, -f md, check of a PDF, --version. Loaded
 * here instead, by the first workbook, on the thread that writes it (xlsx.c hu_xlsx_start), so
 * a report's main thread goes on with its PDF meanwhile and a run without a workbook never
 * loads it. It stays a package dependency (packaging/cpack.cmake names it: dpkg-shlibdeps
 * cannot see a dlopen); CMakeLists.txt checks its headers and version at build time and
 * compiles in the soname pkg-config found; a machine without it gets a Chinese error naming the
 * package, at the workbook's path, and the build fails as any output's failure does (exit 1;
 * check, which builds the workbook without writing it, reports the same).
 *
 * The handle is never closed: the process ends soon after its last workbook anyway, a batch's
 * next report (-j 1, or a worker's) finds the library loaded, and dlclose would cost munmap
 * system calls and TLB shootdowns on this machine for nothing. Nothing of it leaks by
 * valgrind's measure: the loader's records stay reachable, and libcrypto (which pins itself
 * with RTLD_NODELETE once initialised) runs its atexit cleanup at exit as it did when linked.
 *
 * HU_TEST_XLSXWRITER_SONAME, for the test suite only (tests/e2e_xlsx_dlopen.sh): another
 * soname to load instead (a name without '/'), so that a test can see the message a machine
 * without the library gets. */
#include "xlsxlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(LXW_VERSION_ID) || LXW_VERSION_ID < 114
#error "libxlsxwriter 1.1.4 or later needed (apt-get install libxlsxwriter-dev)"
#endif

hu_lxw_api hu_lxw;

static pthread_once_t lxw_once = PTHREAD_ONCE_INIT;
static const char *lxw_soname = HU_LIBXLSXWRITER_SONAME;
static char load_error[512]; /* empty when loaded */

static void lxw_load_once(void) {
    const char *test = getenv("HU_TEST_XLSXWRITER_SONAME");
    if (test && *test && !strchr(test, '/')) lxw_soname = test;
    void *h = dlopen(lxw_soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(load_error, sizeof load_error, "%s", e ? e : lxw_soname);
        return;
    }
#define HU_LOAD(f)                                                                                 \
    if (!load_error[0]) {                                                                          \
        void *p = dlsym(h, #f);                                                                    \
        if (!p)                                                                                    \
            snprintf(load_error, sizeof load_error, "%s 中没有函数 %s（版本不符）", lxw_soname,    \
                     #f);                                                                          \
        memcpy(&hu_lxw.f, &p, sizeof p); /* POSIX: a function pointer has an object's size */      \
    }
    HU_LXW_FUNCS(HU_LOAD)
#undef HU_LOAD
}

bool hu_lxw_load(const char *name, hu_diags *d) {
    pthread_once(&lxw_once, lxw_load_once);
    if (!load_error[0]) return true;
    hu_error(d, name, 0, 0, NULL,
             "无法加载 %s（生成 .xlsx 工作簿需要它）：%s。请安装 Debian 软件包 %s", lxw_soname,
             load_error, HU_LIBXLSXWRITER_PACKAGE);
    return false;
}
