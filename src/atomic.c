#include "atomic.h"

#include "buf.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool hu_atomic_begin(hu_atomic *w, const char *dest, hu_diags *d) {
    static unsigned counter;
    w->dest = w->tmp = NULL;
    struct stat st;
    if (stat(dest, &st) == 0 && S_ISDIR(st.st_mode)) {
        hu_error(d, dest, 0, 0, NULL, "输出路径是一个文件夹，无法写入文件");
        return false;
    }
    const char *slash = strrchr(dest, '/');
    size_t dirlen = slash ? (size_t)(slash - dest) + 1 : 0;
    size_t n = strlen(dest) + 64;
    char *tmp = malloc(n);
    if (!tmp) abort();
    /* __atomic keeps temp names unique when -j builds run in threads */
    unsigned k = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
    snprintf(tmp, n, "%.*s.%s.tmp-%ld-%u", (int)dirlen, dest, dest + dirlen, (long)getpid(), k);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        hu_error(d, dest, 0, 0, NULL, "无法在输出文件夹中创建文件：%s", strerror(errno));
        free(tmp);
        return false;
    }
    close(fd);
    w->dest = hu_strdup(dest);
    w->tmp = tmp;
    return true;
}

bool hu_atomic_commit(hu_atomic *w, hu_diags *d) {
    int fd = open(w->tmp, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
        hu_error(d, w->dest, 0, 0, NULL, "生成的文件为空或不存在，未覆盖原有文件");
        if (fd >= 0) close(fd);
        hu_atomic_abort(w);
        return false;
    }
    fsync(fd);
    close(fd);
    if (rename(w->tmp, w->dest) != 0) {
        hu_error(d, w->dest, 0, 0, NULL, "无法写入输出文件：%s", strerror(errno));
        hu_atomic_abort(w);
        return false;
    }
    free(w->tmp);
    free(w->dest);
    w->tmp = w->dest = NULL;
    return true;
}

void hu_atomic_abort(hu_atomic *w) {
    if (w->tmp) unlink(w->tmp);
    free(w->tmp);
    free(w->dest);
    w->tmp = w->dest = NULL;
}

bool hu_atomic_write(const char *dest, const void *data, size_t len, hu_diags *d) {
    hu_atomic w;
    if (!hu_atomic_begin(&w, dest, d)) return false;
    FILE *f = fopen(w.tmp, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0) ok = false;
    if (!ok) {
        hu_error(d, dest, 0, 0, NULL, "写入失败：%s", strerror(errno));
        hu_atomic_abort(&w);
        return false;
    }
    return hu_atomic_commit(&w, d);
}
