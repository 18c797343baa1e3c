/* dynlib.c - libraries loaded with dlopen on first use; see dynlib.h. */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include "dynlib.h"

#include "paths.h"

#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is an object of this file name loaded? Read from the loader's list: an object's name there is
 * the path it was opened by, whose last part is its soname, except for our stand-ins (their
 * file names: libhuibao-md5.so, libhuibao-hb-*.so). Not with dlopen(RTLD_NOLOAD): closing such a
 * handle of a library another one needs (libxlsxwriter's libcrypto) leaked one of the loader's
 * lists (valgrind, tests/e2e_valgrind.sh). */
#if defined(HU_DYNLIB_PATHS) || defined(HU_STANDIN_FILES) || defined(HU_MD5_SHIM)
static int loaded_see(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    const char **name = arg;
    const char *slash = strrchr(info->dlpi_name, '/');
    if (*name && strcmp(slash ? slash + 1 : info->dlpi_name, *name) == 0) *name = NULL;
    return 0;
}

static bool loaded(const char *name) {
    dl_iterate_phdr(loaded_see, &name);
    return name == NULL;
}
#endif

/* ---------------------------------------------------------------- by path
 *
 * Why: a dlopen by soname maps the dynamic loader's cache (/etc/ld.so.cache), searches it and
 * unmaps it again, and the munmap of a process whose other threads run is a TLB shootdown: five
 * times a report, ~2 ms of its CPU (bench/README.md, Session 14). CMakeLists.txt (hu_lib_paths)
 * gives, for the libraries a report loads, the paths of each one's dependencies and its own,
 * dependencies first; opened in that order, every name a library needs is one loaded already and
 * the cache is never read. Not when LD_LIBRARY_PATH is set (a user's own copies must still be
 * found first), nor for a name the test hook hides; a path that fails (a library moved since the
 * build) leaves the soname to the loader, as before. The dependencies' handles are never closed:
 * like the library itself, they stay for the process. */
#ifdef HU_DYNLIB_PATHS
static const struct {
    const char *soname, *paths; /* "dep:dep:...:lib" */
} lib_paths[] = {HU_DYNLIB_PATHS};

static void *open_by_paths(const char *soname) {
    const char *paths = NULL;
    for (size_t i = 0; i < sizeof lib_paths / sizeof *lib_paths && !paths; i++)
        if (strcmp(lib_paths[i].soname, soname) == 0) paths = lib_paths[i].paths;
    if (!paths || getenv("LD_LIBRARY_PATH")) return NULL;
    void *h = NULL;
    for (const char *p = paths; *p;) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char path[PATH_MAX];
        if (n >= sizeof path) return NULL;
        memcpy(path, p, n), path[n] = 0;
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (!e) /* the library itself */
            h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
        else if (!loaded(base) && !dlopen(path, RTLD_LAZY | RTLD_LOCAL))
            break; /* the loader searches for it, as before */
        p += n + (e ? 1 : 0);
    }
    if (!h) dlerror(); /* by soname now: its message, not this one's */
    return h;
}
#endif

void *hu_dynlib_open(hu_dynlib *l) {
    /* a name no system has, so that the message is dlopen's own for a missing library */
    const char *name = hu_env_list_has("HU_TEST_NO_LIB", l->soname, strlen(l->soname))
                           ? "libhuibao-test-absent.so.0"
                           : l->soname;
#ifdef HU_DYNLIB_PATHS
    if (name == l->soname && !loaded(l->soname)) {
        void *h = open_by_paths(l->soname);
        if (h) return h;
    }
#endif
    /* RTLD_LAZY: a library's own calls into its dependencies are bound when first made, as
     * the dynamic loader does for linked libraries; RTLD_NOW bound every one of HarfBuzz's,
     * glib's and FreeType's at load time: ~110 more page faults a report (bench/README.md,
     * Session 8). The functions huibao calls are looked up with dlsym, so a missing one is
     * still found at load time. */
    void *h = dlopen(name, RTLD_LAZY | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(l->error, sizeof l->error, "%s", e ? e : l->soname);
    }
    return h;
}

bool hu_dynlib_sym(hu_dynlib *l, void *h, const char *name, void *slot) {
    void *p = dlsym(h, name);
    if (!p && !l->error[0])
        snprintf(l->error, sizeof l->error, "%s 中没有函数 %s（版本不符）", l->soname, name);
    memcpy(slot, &p, sizeof p); /* POSIX: a function pointer has an object pointer's size */
    return p != NULL;
}

bool hu_dynlib_load(hu_dynlib *l, void (*load)(void)) {
    pthread_once(&l->once, load);
    return !l->error[0];
}

bool hu_dynlib_ready(hu_dynlib *l, void (*load)(void), const char *name, hu_diags *d) {
    if (hu_dynlib_load(l, load)) return true;
    hu_error(d, name, 0, 0, NULL, "无法加载 %s（%s需要它）：%s。请安装 Debian 软件包 %s", l->soname,
             l->what, l->error, l->package);
    return false;
}

/* ---------------------------------------------------------------- libcrypto (dynlib.h)
 *
 * One lock for the decisions and the loads that follow them: a workbook's thread loading the
 * replacement and a batch worker's DOCX loading libzip must not interleave (libzip loaded
 * between the check and the replacement would have the real libcrypto loaded already, which is
 * harmless; the replacement loaded between libzip's check and its dlopen would not be). */
static pthread_mutex_t crypto_mu = PTHREAD_MUTEX_INITIALIZER;
static bool crypto_wanted; /* hu_dynlib_want_crypto */

void hu_dynlib_want_crypto(void) {
    pthread_mutex_lock(&crypto_mu);
    crypto_wanted = true;
    pthread_mutex_unlock(&crypto_mu);
}

/* ---------------------------------------------------------------- our stand-in libraries
 * (libhuibao-md5.so for libxlsxwriter's libcrypto, libhuibao-hb-*.so for HarfBuzz's FreeType,
 * GLib and Graphite2), installed side by side */
#if defined(HU_MD5_SHIM) && !defined(HU_SHIM_DIR)
#define HU_SHIM_DIR HU_MD5_SHIM_DIR
#define HU_SHIM_REL HU_MD5_SHIM_REL
#endif
#ifdef HU_SHIM_DIR
static void *shim_try(const char *dir, const char *file) {
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path) return NULL;
    /* RTLD_LOCAL: it only has to be loaded under its soname; nothing looks it up globally */
    void *h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    if (!h) dlerror();
    return h;
}

/* One of them as src/paths.c finds the data: BIN/file in a developer build (the build folder
 * holds both), BIN/../HU_SHIM_REL/file (an installed tree, wherever its prefix), the install
 * path. NULL when none loads. */
static void *shim_open(const char *file) {
    char dir[PATH_MAX];
    void *h = NULL;
    if (hu_exe_dir(dir, sizeof dir)) {
#ifdef HU_SOURCE_DIR /* developer builds only (CMake HU_DEV_SOURCE_LOOKUP; off in packages) */
        if ((h = shim_try(dir, file))) return h;
#endif
        char *slash = strrchr(dir, '/');
        if (slash) {
            char lib[PATH_MAX];
            *slash = 0;
            if ((size_t)snprintf(lib, sizeof lib, "%s/%s", dir, HU_SHIM_REL) < sizeof lib &&
                strcmp(lib, HU_SHIM_DIR) != 0 && (h = shim_try(lib, file)))
                return h;
        }
    }
    return shim_try(HU_SHIM_DIR, file);
}
#endif

void *hu_dynlib_open_hb(hu_dynlib *l) {
#ifdef HU_STANDIN_FILES
    static const char *const files[] = {HU_STANDIN_FILES};
    static const char *const sonames[] = {HU_STANDIN_SONAMES};
    enum { N = sizeof files / sizeof *files };
    _Static_assert(sizeof sonames / sizeof *sonames == N, "a soname for each stand-in");
    void *st[N] = {NULL};
    /* the real library already loaded (a program linked with HarfBuzz): nothing to stand in */
    for (size_t i = 0; i < N; i++)
        if (!loaded(sonames[i])) st[i] = shim_open(files[i]);
    void *h = hu_dynlib_open(l);
    bool any = false;
    for (size_t i = 0; !h && i < N; i++)
        if (st[i]) dlclose(st[i]), any = true;
    if (any) { /* refused beside them (a HarfBuzz needing more of them): as before */
        l->error[0] = 0;
        h = hu_dynlib_open(l);
    }
    /* loaded stand-ins stay: HarfBuzz depends on them */
    return h;
#else
    return hu_dynlib_open(l);
#endif
}

void *hu_dynlib_open_md5(hu_dynlib *l) {
#ifdef HU_MD5_SHIM
    pthread_mutex_lock(&crypto_mu);
    /* which libcrypto.so.3 is loaded, if any: the real one and/or the replacement */
    void *shim = crypto_wanted || loaded(HU_LIBCRYPTO_SONAME) || loaded(HU_MD5_SHIM)
                     ? NULL
                     : shim_open(HU_MD5_SHIM);
    void *h = hu_dynlib_open(l);
    if (!h && shim) { /* refused beside it: as before, with the real libcrypto */
        dlclose(shim);
        l->error[0] = 0;
        h = hu_dynlib_open(l);
    }
    /* a loaded replacement stays: h depends on it (and after a failure it was closed) */
    pthread_mutex_unlock(&crypto_mu);
    return h;
#else
    return hu_dynlib_open(l);
#endif
}

void *hu_dynlib_open_crypto(hu_dynlib *l) {
#ifdef HU_MD5_SHIM
    pthread_mutex_lock(&crypto_mu);
    if (loaded(HU_MD5_SHIM) && !loaded(HU_LIBCRYPTO_SONAME) &&
        !dlopen(HU_LIBCRYPTO_PATH, RTLD_LAZY | RTLD_GLOBAL)) {
        const char *e = dlerror();
        snprintf(l->error, sizeof l->error, "%s", e ? e : HU_LIBCRYPTO_PATH);
        pthread_mutex_unlock(&crypto_mu);
        return NULL;
    }
    void *h = hu_dynlib_open(l);
    pthread_mutex_unlock(&crypto_mu);
    return h;
#else
    return hu_dynlib_open(l);
#endif
}

static pthread_mutex_t warm_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t warm_cv = PTHREAD_COND_INITIALIZER;
static bool warm_loading;

void hu_dynlib_warm_begin(void) {
    pthread_mutex_lock(&warm_mu);
    warm_loading = true;
    pthread_mutex_unlock(&warm_mu);
}

void hu_dynlib_warm_end(void) {
    pthread_mutex_lock(&warm_mu);
    warm_loading = false;
    pthread_cond_broadcast(&warm_cv);
    pthread_mutex_unlock(&warm_mu);
}

void hu_dynlib_warm_wait(void) {
    pthread_mutex_lock(&warm_mu);
    while (warm_loading)
        pthread_cond_wait(&warm_cv, &warm_mu);
    pthread_mutex_unlock(&warm_mu);
}
