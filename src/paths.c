#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"

static bool is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *join(const char *a, const char *b) {
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = hu_xmalloc(n);
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

static char *try_dir(const char *base, const char *sub) {
    char *p = join(base, sub);
    if (is_dir(p)) return p;
    free(p);
    return NULL;
}

char *hu_data_dir(const char *sub) {
    char *p;
    const char *env = getenv("HUIBAO_DATA_DIR");
    if (env && *env && (p = try_dir(env, sub))) return p;
    return hu_builtin_dir(sub);
}

bool hu_exe_dir(char *dir, size_t size) {
    if (size < 2) return false;
    ssize_t n = readlink("/proc/self/exe", dir, size - 1);
    if (n <= 0) return false;
    dir[n] = 0;
    char *slash = strrchr(dir, '/');
    if (!slash) return false;
    *slash = 0;
    return true;
}

bool hu_env_list_has(const char *var, const char *item, size_t n) {
    for (const char *p = getenv(var); p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && memcmp(p, item, n) == 0) return true;
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

char *hu_builtin_dir(const char *sub) {
    char *p;
    char exe[PATH_MAX];
    if (hu_exe_dir(exe, sizeof exe)) {
        /* BIN/huibao → BIN/../share/huibao, written without the "..": the folder is recorded
         * in index.json and the depfile, where /usr/share/huibao/fonts/… is what a reader
         * and make expect (a symlinked bin folder resolves through /proc/self/exe already) */
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            char *share = join(exe, "share/huibao");
            p = try_dir(share, sub);
            free(share);
            if (p) return p;
        }
    }
#ifdef HU_SOURCE_DIR /* developer builds only (CMake HU_DEV_SOURCE_LOOKUP; off in packages) */
    if ((p = try_dir(HU_SOURCE_DIR, sub))) return p;
#endif
    if ((p = try_dir(HU_INSTALL_DATADIR, sub))) return p;
    return NULL;
}

long long hu_build_time(bool *from_env) {
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        long long t = strtoll(s, &end, 10);
        if (!*end && t >= 0) {
            if (from_env) *from_env = true;
            return t;
        }
    }
    if (from_env) *from_env = false;
    return (long long)time(NULL);
}
