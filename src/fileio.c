#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_name(mode_t m) {
    if (S_ISDIR(m)) return "文件夹";
    if (S_ISFIFO(m)) return "命名管道（FIFO）";
    if (S_ISCHR(m) || S_ISBLK(m)) return "设备文件";
    if (S_ISSOCK(m)) return "套接字";
    return "特殊文件";
}

bool hu_file_read(const char *path, const char *display, const char *what, size_t max, hu_buf *out,
                  hu_diags *d) {
    const char *file = display ? display : path;
    /* O_NONBLOCK: opening a FIFO for reading must not wait for a writer; the fstat below then
     * refuses it. For regular files the flag has no effect on read(). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        hu_error(d, file, 0, 0, NULL, "无法打开%s：%s", what, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        hu_error(d, file, 0, 0, NULL, "无法读取%s：%s", what, strerror(errno));
        close(fd);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        hu_error(d, file, 0, 0, NULL, "这是%s，不是普通文件，不能作为%s读取", kind_name(st.st_mode),
                 what);
        close(fd);
        return false;
    }
    if ((unsigned long long)st.st_size > max) {
        hu_error(d, file, 0, 0, NULL, "%s超过 %zu MB 的上限", what, max >> 20);
        close(fd);
        return false;
    }
    size_t start = out->len;
    hu_buf_grow(out, (size_t)st.st_size + 1);
    for (;;) {
        /* the file may grow while it is read: the cap holds for what is actually read */
        if (out->len - start >= max) {
            char probe;
            ssize_t more = read(fd, &probe, 1);
            if (more > 0) {
                hu_error(d, file, 0, 0, NULL, "%s超过 %zu MB 的上限", what, max >> 20);
                close(fd);
                out->len = start;
                out->data[start] = 0;
                return false;
            }
            break;
        }
        hu_buf_grow(out, 65536);
        size_t room = out->cap - out->len - 1;
        if (room > max - (out->len - start)) room = max - (out->len - start);
        ssize_t n = read(fd, out->data + out->len, room);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            hu_error(d, file, 0, 0, NULL, "读取%s失败：%s", what, strerror(errno));
            close(fd);
            out->len = start;
            out->data[start] = 0;
            return false;
        }
        if (n == 0) break;
        out->len += (size_t)n;
    }
    out->data[out->len] = 0;
    close(fd);
    return true;
}

bool hu_file_write(const char *path, const char *display, const void *data, size_t len,
                   hu_diags *d) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
    int err = fd < 0 ? errno : 0;
    for (const char *p = data; !err && len;) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            err = n < 0 ? errno : ENOSPC;
            break;
        }
        p += n, len -= (size_t)n;
    }
    if (fd >= 0 && close(fd) != 0 && !err) err = errno;
    if (err) hu_error(d, display ? display : path, 0, 0, NULL, "写入失败：%s", strerror(err));
    return !err;
}

bool hu_file_is_regular(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *hu_path_base(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

char *hu_path_dir(hu_arena *a, const char *p) {
    const char *slash = strrchr(p, '/');
    if (!slash) return NULL;
    return hu_arena_strndup(a, p, slash == p ? 1 : (size_t)(slash - p));
}

char *hu_path_stem(const char *p) {
    const char *b = hu_path_base(p);
    const char *dot = strrchr(b, '.');
    return hu_strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

bool hu_path_is_input(const char *name) {
    name = hu_path_base(name);
    if (name[0] == '.') return false;
    const char *dot = strrchr(name, '.');
    return dot && dot != name &&
           (!strcasecmp(dot, ".yaml") || !strcasecmp(dot, ".yml") || !strcasecmp(dot, ".json"));
}

bool hu_path_inside(const char *path, const char *dir) {
    char *rp = realpath(path, NULL), *rd = realpath(dir, NULL);
    bool in = false;
    if (rp && rd) {
        size_t n = strlen(rd);
        in = strncmp(rp, rd, n) == 0 && (rp[n] == '/' || (n == 1 && rd[0] == '/'));
    }
    free(rp);
    free(rd);
    return in;
}
