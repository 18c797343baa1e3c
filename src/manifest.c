#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "atomic.h"
#include "buf.h"
#include "fileio.h"
#include "sha256.h"
#include "strlist.h"
#include "value.h"

#define JOURNAL ".huibao-journal"
/* Journals are small (a line per report since the last finished run); a huge one was not
 * written by huibao and is not read. */
#define JOURNAL_MAX (64u << 20)

/* ---------------------------------------------------------------- the folder lock */

int hu_outdir_lock(const char *outdir, hu_diags *d) {
    int fd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        hu_error(d, outdir, 0, 0, NULL, "无法打开输出文件夹：%s", strerror(errno));
        return -1;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        /* a file system without flock: go on unlocked rather than fail every build */
        break;
    }
    return fd;
}

void hu_outdir_unlock(int fd) {
    if (fd < 0) return;
    (void)fsync(fd);
    close(fd); /* releases the flock */
}

/* ---------------------------------------------------------------- helpers */

static char *join(const char *dir, const char *name) {
    hu_buf p = HU_BUF_INIT;
    size_t L = strlen(dir);
    hu_buf_printf(&p, "%s%s%s", dir, L && dir[L - 1] == '/' ? "" : "/", name);
    return hu_buf_detach(&p);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *str_of(const hu_value *m, const char *key) {
    const hu_value *v = hu_v_get(m, key);
    return v && v->kind == HU_V_STR ? v->str : "";
}

/* ---------------------------------------------------------------- the journal */

bool hu_manifest_journal(const char *outdir, const hu_manifest_rec *r, hu_diags *d) {
    hu_buf line = HU_BUF_INIT;
    hu_buf_printf(&line, "{\"pid\": %ld, \"name\": ", (long)getpid());
    hu_buf_put_json(&line, r->name);
    hu_buf_puts(&line, ", \"period\": ");
    hu_buf_put_json(&line, r->period);
    hu_buf_puts(&line, ", \"org\": ");
    hu_buf_put_json(&line, r->org);
    hu_buf_puts(&line, ", \"title\": ");
    hu_buf_put_json(&line, r->title);
    hu_buf_puts(&line, ", \"outputs\": [");
    for (size_t i = 0; i < r->noutputs; i++) {
        if (i) hu_buf_puts(&line, ", ");
        hu_buf_put_json(&line, r->outputs[i]);
    }
    hu_buf_puts(&line, "]}\n");
    char *path = join(outdir, JOURNAL);
    /* O_NOFOLLOW: a link planted under the journal's name must not make us append to its
     * target */
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    struct stat st;
    const char *why = NULL;
    if (fd < 0)
        why = errno == ELOOP ? "它是一个符号链接（不会跟随链接写入）" : strerror(errno);
    else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        why = "它不是普通文件";
    else if (write(fd, line.data, line.len) != (ssize_t)line.len)
        why = strerror(errno);
    if (why) hu_error(d, path, 0, 0, NULL, "无法写入输出文件夹的记录文件：%s", why);
    bool ok = !why;
    if (fd >= 0) close(fd);
    free(path);
    hu_buf_free(&line);
    return ok;
}

static bool running(long pid) {
    if (pid <= 0) return false;
    if (pid == (long)getpid()) return false; /* our own records are ours to apply */
    return hu_process_running(pid);
}

/* ---------------------------------------------------------------- the manifest */

typedef struct entry {
    char *name, *period, *org, *title;
    hu_strlist outputs;
} entry;

typedef struct entries {
    entry *v;
    size_t n, cap;
} entries;

static entry *find_or_add(entries *es, const char *name) {
    for (size_t k = 0; k < es->n; k++)
        if (!strcmp(es->v[k].name, name)) return &es->v[k];
    if (es->n == es->cap) {
        es->cap = es->cap ? es->cap * 2 : 16;
        es->v = realloc(es->v, es->cap * sizeof *es->v);
        if (!es->v) abort();
    }
    entry *e = &es->v[es->n++];
    memset(e, 0, sizeof *e);
    e->name = hu_strdup(name);
    return e;
}

static void set_meta(entry *e, const hu_value *m) {
    free(e->period), free(e->org), free(e->title);
    e->period = hu_strdup(str_of(m, "period"));
    e->org = hu_strdup(str_of(m, "org"));
    e->title = hu_strdup(str_of(m, "title"));
}

static int cmp_entry(const void *a, const void *b) {
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* The lines of an existing SHA256SUMS, "HEX  NAME", sorted by name (escaped or odd lines are
 * left out: those files are hashed again). */
typedef struct {
    char *name;
    char hex[65];
} sum_line;

static int cmp_sum(const void *a, const void *b) {
    return strcmp(((const sum_line *)a)->name, ((const sum_line *)b)->name);
}

static size_t read_sums(const char *path, sum_line **out) {
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    struct stat st;
    if (fd < 0) return 0;
    FILE *fp = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? fdopen(fd, "r") : NULL;
    if (!fp) {
        close(fd);
        return 0;
    }
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, fp)) > 0) {
        if (line[len - 1] == '\n') line[--len] = 0;
        if (len < 67 || line[64] != ' ' || line[65] != ' ' ||
            strspn(line, "0123456789abcdef") != 64)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = realloc(*out, cap * sizeof **out);
            if (!*out) abort();
        }
        memcpy((*out)[n].hex, line, 64);
        (*out)[n].hex[64] = 0;
        (*out)[n++].name = hu_strdup(line + 66);
    }
    free(line);
    fclose(fp);
    if (n) qsort(*out, n, sizeof **out, cmp_sum);
    return n;
}

/* Existing index.json entries, so that incremental builds keep the other months. */
static void read_index(const char *outdir, entries *es) {
    char *p = join(outdir, "index.json");
    hu_arena a;
    hu_arena_init(&a);
    hu_diags ignore = HU_DIAGS_INIT;
    struct stat st;
    hu_value *old =
        lstat(p, &st) == 0 && S_ISREG(st.st_mode) ? hu_value_load_file(&a, p, NULL, &ignore) : NULL;
    hu_diags_free(&ignore);
    hu_value *reports = hu_v_get(old, "reports");
    for (size_t i = 0; reports && reports->kind == HU_V_LIST && i < reports->n; i++) {
        hu_value *r = reports->items[i];
        hu_value *nm = hu_v_get(r, "name");
        if (!nm || nm->kind != HU_V_STR) continue;
        entry *e = find_or_add(es, nm->str);
        set_meta(e, r);
        hu_value *outs = hu_v_get(r, "outputs");
        for (size_t k = 0; outs && outs->kind == HU_V_LIST && k < outs->n; k++)
            if (outs->items[k]->kind == HU_V_STR) hu_strlist_add(&e->outputs, outs->items[k]->str);
    }
    hu_arena_free(&a);
    free(p);
}

/* Read the journal: apply the records of finished processes to es (their outputs into fresh),
 * keep the lines of running ones in `keep`. */
static void read_journal(const char *outdir, entries *es, hu_strlist *fresh, hu_buf *keep) {
    char *p = join(outdir, JOURNAL);
    hu_buf text = HU_BUF_INIT;
    hu_diags ignore = HU_DIAGS_INIT;
    int fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    struct stat st;
    bool regular = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (fd >= 0) close(fd);
    if (regular) hu_file_read(p, NULL, "文件", JOURNAL_MAX, &text, &ignore);
    hu_arena a;
    hu_arena_init(&a);
    for (char *line = text.data, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (!nl) break; /* a record cut short by a kill mid-write */
        hu_value *m = hu_value_load_string(&a, line, len, p, true, &ignore);
        hu_value *pid = hu_v_get(m, "pid");
        hu_value *name = hu_v_get(m, "name");
        if (!pid || pid->kind != HU_V_NUM || !name || name->kind != HU_V_STR || !*name->str)
            continue;
        if (running((long)pid->num)) {
            hu_buf_put(keep, line, len + 1);
            continue;
        }
        entry *e = find_or_add(es, name->str);
        set_meta(e, m);
        hu_value *outs = hu_v_get(m, "outputs");
        for (size_t k = 0; outs && outs->kind == HU_V_LIST && k < outs->n; k++) {
            const hu_value *o = outs->items[k];
            /* only plain names inside the folder */
            if (o->kind != HU_V_STR || !*o->str || strchr(o->str, '/') || o->str[0] == '.')
                continue;
            hu_strlist_add(&e->outputs, o->str);
            hu_strlist_add(fresh, o->str);
        }
    }
    hu_arena_free(&a);
    hu_diags_free(&ignore);
    hu_buf_free(&text);
    free(p);
}

bool hu_manifest_update(const char *outdir, hu_diags *d) {
    int lock = hu_outdir_lock(outdir, d);
    if (lock < 0) return false;

    entries es = {0};
    hu_strlist fresh = {0}; /* outputs put in place by finished processes: hash again */
    hu_buf keep = HU_BUF_INIT;
    read_index(outdir, &es);
    read_journal(outdir, &es, &fresh, &keep);
    if (es.n) qsort(es.v, es.n, sizeof *es.v, cmp_entry);
    if (fresh.n) qsort(fresh.v, fresh.n, sizeof *fresh.v, cmp_str);

    hu_buf idx = HU_BUF_INIT, sums = HU_BUF_INIT;
    hu_buf_puts(&idx, "{\n  \"generator\": \"huibao " HU_VERSION "\",\n  \"reports\": [");
    hu_strlist files = {0};
    size_t shown = 0;
    for (size_t i = 0; i < es.n; i++) {
        entry *e = &es.v[i];
        /* keep only outputs that still exist */
        hu_strlist live = {0};
        for (size_t k = 0; k < e->outputs.n; k++) {
            char *p = join(outdir, e->outputs.v[k]);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISREG(st.st_mode)) {
                hu_strlist_add(&live, e->outputs.v[k]);
                hu_strlist_add(&files, e->outputs.v[k]);
            }
            free(p);
        }
        if (!live.n) { /* every output of this report is gone: so is its entry */
            hu_strlist_free(&live);
            continue;
        }
        qsort(live.v, live.n, sizeof *live.v, cmp_str);
        hu_buf_puts(&idx, shown++ ? ",\n    {" : "\n    {");
        hu_buf_puts(&idx, "\"name\": ");
        hu_buf_put_json(&idx, e->name);
        hu_buf_puts(&idx, ", \"period\": ");
        hu_buf_put_json(&idx, e->period);
        hu_buf_puts(&idx, ", \"org\": ");
        hu_buf_put_json(&idx, e->org);
        hu_buf_puts(&idx, ", \"title\": ");
        hu_buf_put_json(&idx, e->title);
        hu_buf_puts(&idx, ", \"outputs\": [");
        for (size_t k = 0; k < live.n; k++) {
            if (k) hu_buf_puts(&idx, ", ");
            hu_buf_put_json(&idx, live.v[k]);
        }
        hu_buf_puts(&idx, "]}");
        hu_strlist_free(&live);
    }
    hu_buf_puts(&idx, shown ? "\n  ]\n}\n" : "]\n}\n");
    if (files.n) qsort(files.v, files.n, sizeof *files.v, cmp_str);

    char *sums_path = join(outdir, "SHA256SUMS");
    sum_line *old_sums;
    size_t nold = read_sums(sums_path, &old_sums);
    bool ok = true;
    for (size_t k = 0; k < files.n; k++) {
        char hex[65];
        sum_line key = {files.v[k], ""};
        const sum_line *prev =
            nold ? bsearch(&key, old_sums, nold, sizeof *old_sums, cmp_sum) : NULL;
        bool rewritten =
            fresh.n && bsearch(&files.v[k], fresh.v, fresh.n, sizeof *fresh.v, cmp_str);
        if (prev && !rewritten) {
            hu_buf_printf(&sums, "%s  %s\n", prev->hex, files.v[k]);
            continue;
        }
        char *p = join(outdir, files.v[k]);
        if (!hu_sha256_file(p, hex)) {
            hu_error(d, p, 0, 0, NULL, "无法读取输出文件以计算校验和");
            ok = false;
        } else {
            hu_buf_printf(&sums, "%s  %s\n", hex, files.v[k]);
        }
        free(p);
    }
    char *idx_path = join(outdir, "index.json");
    ok = hu_atomic_write(idx_path, idx.data, idx.len, d) && ok;
    ok = hu_atomic_write(sums_path, sums.data ? sums.data : "", sums.len, d) && ok;
    /* the applied records are done with; records of runs still going stay */
    char *jpath = join(outdir, JOURNAL);
    if (ok) {
        if (keep.len)
            ok = hu_atomic_write(jpath, keep.data, keep.len, d);
        else if (unlink(jpath) != 0 && errno != ENOENT)
            ok = false;
    }
    /* huibao before 0.2 locked with a file of this name; it only ends up in archives */
    char *legacy = join(outdir, ".huibao.lock");
    struct stat st;
    if (lstat(legacy, &st) == 0 && (S_ISLNK(st.st_mode) || (S_ISREG(st.st_mode) && !st.st_size)))
        unlink(legacy);

    free(legacy);
    free(jpath);
    free(idx_path);
    free(sums_path);
    for (size_t i = 0; i < es.n; i++) {
        free(es.v[i].name), free(es.v[i].period), free(es.v[i].org), free(es.v[i].title);
        hu_strlist_free(&es.v[i].outputs);
    }
    free(es.v);
    for (size_t i = 0; i < nold; i++)
        free(old_sums[i].name);
    free(old_sums);
    hu_strlist_free(&fresh);
    hu_strlist_free(&files);
    hu_buf_free(&keep);
    hu_buf_free(&idx);
    hu_buf_free(&sums);
    hu_outdir_unlock(lock);
    return ok;
}

bool hu_manifest_is_own_file(const char *dir, const char *name) {
    if (!strcmp(name, JOURNAL)) return true;
    if (strcmp(name, "index.json") != 0) return false;
    char *p = join(dir, "SHA256SUMS");
    struct stat st;
    bool r = lstat(p, &st) == 0;
    free(p);
    return r;
}
