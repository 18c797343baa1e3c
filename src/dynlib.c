/* dynlib.c - libraries loaded with dlopen on first use; see dynlib.h. */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is soname in HU_TEST_NO_LIB's comma-separated list? */
static bool test_absent(const char *soname) {
    const char *list = getenv("HU_TEST_NO_LIB");
    size_t n = strlen(soname);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, soname, n) == 0) return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

void *hu_dynlib_open(hu_dynlib *l) {
    /* a name no system has, so that the message is dlopen's own for a missing library */
    const char *name = test_absent(l->soname) ? "libhuibao-test-absent.so.0" : l->soname;
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
