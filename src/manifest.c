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

#include "alloc.h"
#include "arena.h"
#include "atomic.h"
#include "buf.h"
#include "fileio.h"
#include "paste.h"
#include "sha256.h"
#include "strlist.h"
#include "utf8.h"
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

void hu_outdir_release(int fd) {
    if (fd >= 0) close(fd); /* releases the flock */
}

void hu_outdir_sync(const char *outdir) {
    int fd = open(outdir && *outdir ? outdir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)fsync(fd);
    close(fd);
}

/* ---------------------------------------------------------------- helpers */

static char *join(const char *dir, const char *name) {
    hu_buf p = HU_BUF_INIT;
    size_t L = strlen(dir);
    hu_buf_puts(&p, dir); /* by hand: a batch's manifest joins a path per output, twice */
    if (!L || dir[L - 1] != '/') hu_buf_putc(&p, '/');
    hu_buf_puts(&p, name);
    return hu_buf_detach(&p);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *str_of(const hu_value *m, const char *key) {
    const hu_value *v = hu_v_get(m, key);
    return v && v->kind == HU_V_STR ? v->str : "";
}

/* ---------------------------------------------------------------- an output's sum
 *
 * A worker knows the bytes it puts in place: it records their SHA-256 with the file's
 * identity (size, modification time, device, inode; a rename keeps them all), so that the
 * run's last step takes the sum from the record instead of reading every output back (1,000
 * months: 227 MB read and hashed by one process after every report was done). A file that is
 * no longer the one described (rewritten since, by anything) is read and hashed as before. */

static void sum_key(const struct stat *st, char *out, size_t size) {
    snprintf(out, size, "%lld %lld %llu %llu", (long long)st->st_size,
             (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec,
             (unsigned long long)st->st_dev, (unsigned long long)st->st_ino);
}

bool hu_manifest_file_sum(const char *path, const char *hex, char out[HU_MANIFEST_SUM_MAX]) {
    out[0] = 0;
    char own[65];
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if (!hex) {
        if (!hu_sha256_file(path, own)) return false;
        hex = own;
        struct stat again; /* the same file before and after: nothing wrote it meanwhile */
        if (stat(path, &again) != 0 || again.st_size != st.st_size ||
            again.st_mtim.tv_sec != st.st_mtim.tv_sec ||
            again.st_mtim.tv_nsec != st.st_mtim.tv_nsec || again.st_ino != st.st_ino)
            return false;
    }
    char key[HU_MANIFEST_SUM_MAX - 66];
    sum_key(&st, key, sizeof key);
    snprintf(out, HU_MANIFEST_SUM_MAX, "%.64s %s", hex, key);
    return true;
}

/* The SHA-256 in sum (hu_manifest_file_sum's form) when the file at path is still the file it
 * describes. */
static bool sum_still(const char *sum, const char *path, char hex[65]) {
    if (!sum || strlen(sum) < 66 || sum[64] != ' ' || strspn(sum, "0123456789abcdef") != 64)
        return false;
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    char key[HU_MANIFEST_SUM_MAX];
    sum_key(&st, key, sizeof key);
    if (strcmp(sum + 65, key) != 0) return false;
    memcpy(hex, sum, 64);
    hex[64] = 0;
    return true;
}

/* ---------------------------------------------------------------- the journal */

bool hu_manifest_journal(const char *outdir, const hu_manifest_rec *r, int *keep_fd, hu_diags *d) {
    if (keep_fd) *keep_fd = -1;
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
    hu_buf_puts(&line, "]");
    if (r->sums) {
        hu_buf_puts(&line, ", \"sums\": [");
        for (size_t i = 0; i < r->noutputs; i++) {
            if (i) hu_buf_puts(&line, ", ");
            hu_buf_put_json(&line, r->sums[i] ? r->sums[i] : "");
        }
        hu_buf_puts(&line, "]");
    }
    if (r->figures) {
        hu_buf_puts(&line, ", \"figures\": ");
        hu_buf_put_json(&line, r->figures);
        hu_buf_puts(&line, ", \"figures_sha256\": ");
        hu_buf_put_json(&line, r->figures_sha256 ? r->figures_sha256 : "");
    }
    const hu_strlist *lists[2] = {r->fonts, r->fallbacks};
    const char *keys[2] = {"fonts", "fallbacks"};
    for (int l = 0; l < 2; l++) {
        hu_buf_printf(&line, ", \"%s\": [", keys[l]);
        for (size_t i = 0; lists[l] && i < lists[l]->n; i++) {
            if (i) hu_buf_puts(&line, ", ");
            hu_buf_put_json(&line, lists[l]->v[i]);
        }
        hu_buf_puts(&line, "]");
    }
    hu_buf_puts(&line, "}\n");
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
    if (ok && keep_fd)
        *keep_fd = fd;
    else if (fd >= 0)
        close(fd);
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
    hu_strlist fonts;     /* "ORIGIN\tPACKAGE\tFILE\tSHA256" */
    hu_strlist fallbacks; /* "LINE\tPATH\tCHARACTERS" */
    /* where the figures came from: NULL unknown (a record from before), "" the input itself,
     * else the workbook's file name */
    char *figures, *figures_sha256;
} entry;

typedef struct entries {
    entry *v;
    size_t n, cap;
    /* v's indices + 1 by name (open addressing, 0 empty): a run of 1,000 reports looked each
     * record's name up among all the entries before it */
    size_t *slot;
    size_t nslot; /* a power of two, > 2 n */
} entries;

static size_t name_hash(const char *s) {
    size_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void entries_rehash(entries *es) {
    free(es->slot);
    es->nslot = es->nslot ? es->nslot * 2 : 64;
    es->slot = hu_xcalloc(es->nslot, sizeof *es->slot);
    for (size_t k = 0; k < es->n; k++) {
        size_t h = name_hash(es->v[k].name) & (es->nslot - 1);
        while (es->slot[h])
            h = (h + 1) & (es->nslot - 1);
        es->slot[h] = k + 1;
    }
}

static entry *find_or_add(entries *es, const char *name) {
    if (2 * (es->n + 1) >= es->nslot) entries_rehash(es);
    size_t h = name_hash(name) & (es->nslot - 1);
    for (; es->slot[h]; h = (h + 1) & (es->nslot - 1))
        if (!strcmp(es->v[es->slot[h] - 1].name, name)) return &es->v[es->slot[h] - 1];
    HU_GROW(es->v, es->n, es->cap);
    es->slot[h] = es->n + 1;
    entry *e = &es->v[es->n++];
    memset(e, 0, sizeof *e);
    e->name = hu_strdup(name);
    return e;
}

/* The sums the applied records carry (hu_manifest_rec.sums), by output name: the last
 * record's, or NULL where the last record naming the output had none. */
typedef struct known_sum {
    char *name, *sum;
    size_t seq;
} known_sum;

typedef struct known_sums {
    known_sum *v;
    size_t n, cap;
} known_sums;

static int cmp_known(const void *a, const void *b) {
    const known_sum *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorted by name, the last of each name kept. */
static void known_finish(known_sums *ks) {
    if (!ks->n) return;
    qsort(ks->v, ks->n, sizeof *ks->v, cmp_known);
    size_t w = 0;
    for (size_t i = 0; i < ks->n; i++) {
        if (i + 1 < ks->n && !strcmp(ks->v[i].name, ks->v[i + 1].name)) {
            free(ks->v[i].name), free(ks->v[i].sum);
            continue;
        }
        ks->v[w++] = ks->v[i];
    }
    ks->n = w;
}

static const char *known_get(const known_sums *ks, const char *name) {
    known_sum key = {(char *)name, NULL, 0};
    size_t lo = 0, hi = ks->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(ks->v[mid].name, key.name);
        if (!c) return ks->v[mid].sum;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void known_free(known_sums *ks) {
    for (size_t i = 0; i < ks->n; i++)
        free(ks->v[i].name), free(ks->v[i].sum);
    free(ks->v);
}

static void set_meta(entry *e, const hu_value *m) {
    free(e->period), free(e->org), free(e->title);
    e->period = hu_strdup(str_of(m, "period"));
    e->org = hu_strdup(str_of(m, "org"));
    e->title = hu_strdup(str_of(m, "title"));
}

static void set_figures(entry *e, const char *file, const char *sha) {
    free(e->figures), free(e->figures_sha256);
    e->figures = hu_strdup(file);
    e->figures_sha256 = hu_strdup(sha ? sha : "");
}

/* An existing index.json entry's fonts and fallback characters, back in entry form. */
static void load_font_record(entry *e, const hu_value *r) {
    const hu_value *l = hu_v_get(r, "fonts");
    hu_buf b = HU_BUF_INIT;
    for (size_t k = 0; l && l->kind == HU_V_LIST && k < l->n; k++) {
        const hu_value *x = l->items[k];
        hu_buf_clear(&b);
        hu_buf_printf(&b, "%s\t%s\t%s\t%s", str_of(x, "origin"), str_of(x, "package"),
                      str_of(x, "file"), str_of(x, "sha256"));
        hu_strlist_add(&e->fonts, hu_buf_cstr(&b));
    }
    l = hu_v_get(r, "fallback_characters");
    for (size_t k = 0; l && l->kind == HU_V_LIST && k < l->n; k++) {
        const hu_value *x = l->items[k], *line = hu_v_get(x, "line");
        hu_buf_clear(&b);
        hu_buf_printf(&b, "%d\t%s\t%s", line && line->kind == HU_V_NUM ? (int)line->num : 0,
                      str_of(x, "field"), str_of(x, "characters"));
        hu_strlist_add(&e->fallbacks, hu_buf_cstr(&b));
    }
    hu_buf_free(&b);
}

/* Splits "a\tb\tc…" into at most n fields (the last keeps any further tabs). */
static int split_tabs(char *s, char **out, int n) {
    int k = 0;
    out[k++] = s;
    for (char *p = s; *p && k < n; p++)
        if (*p == '\t') *p = 0, out[k++] = p + 1;
    return k;
}

/* The SHA-256 of a font file for index.json. Hashing the fonts a report uses (30 MB for the
 * bundled ones alone) took as long as building the sample report, so the hashes are kept in
 * a per-user cache, $XDG_CACHE_HOME/huibao/fonts.sha256 (~/.cache/…), one line per file:
 * "HEX SIZE MTIME CTIME DEV INO PATH" (times in ns). A file whose size, times and identity are
 * unchanged is not read again, as git trusts its index; anything else is hashed anew. The
 * cache lives outside the output folder so that nothing but reports ends up in an archive;
 * without a writable home the fonts are simply hashed every time. */
typedef struct font_sums {
    hu_strlist lines; /* the cache file's lines, then new ones */
    /* lines' indices + 1 by the line's file name (open addressing, 0 empty): a batch's
     * manifest looks up each font of each of its 1,000 records, and the cache had grown to
     * ~700 lines (linear scans, and a quadratic load through hu_strlist_add) */
    size_t *slot, nslot;
    /* per slot: the line was checked against the file (stat) in this run, or written by it */
    bool *fresh;
    bool loaded, changed;
    char *path; /* NULL: no cache */
} font_sums;

static void font_key(const struct stat *st, char *key, size_t size) {
    snprintf(key, size, "%lld %lld %lld %llu %llu", (long long)st->st_size,
             (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec,
             (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec,
             (unsigned long long)st->st_dev, (unsigned long long)st->st_ino);
}

/* The file name of a cache line (after its sixth space), NULL for a malformed line. */
static const char *font_line_file(const char *l) {
    const char *sp = l;
    for (int k = 0; k < 6 && sp; k++)
        sp = strchr(sp + 1, ' ');
    return sp ? sp + 1 : NULL;
}

/* The slot for file: its line's, or the empty one where it would go. */
static size_t font_slot(const font_sums *fs, const char *file) {
    size_t h = name_hash(file) & (fs->nslot - 1);
    for (; fs->slot[h]; h = (h + 1) & (fs->nslot - 1))
        if (!strcmp(font_line_file(fs->lines.v[fs->slot[h] - 1]), file)) break;
    return h;
}

static void font_rehash(font_sums *fs) {
    free(fs->slot), free(fs->fresh);
    fs->nslot = fs->nslot ? fs->nslot * 2 : 64;
    while (fs->nslot <= 2 * fs->lines.n)
        fs->nslot *= 2;
    fs->slot = hu_xcalloc(fs->nslot, sizeof *fs->slot);
    fs->fresh = hu_xcalloc(fs->nslot, sizeof *fs->fresh);
    for (size_t i = 0; i < fs->lines.n; i++)
        fs->slot[font_slot(fs, font_line_file(fs->lines.v[i]))] = i + 1;
}

/* Read the cache, the first time a font is looked up (a run without a PDF never needs it).
 * A file named on several lines keeps its last line. */
static void font_sums_load(font_sums *fs) {
    fs->loaded = true;
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    hu_buf p = HU_BUF_INIT;
    if (xdg && *xdg == '/')
        hu_buf_printf(&p, "%s/huibao", xdg);
    else if (home && *home == '/')
        hu_buf_printf(&p, "%s/.cache/huibao", home);
    else
        return;
    fs->path = hu_buf_detach(&p);
    hu_buf text = HU_BUF_INIT;
    hu_diags ignore = HU_DIAGS_INIT;
    char *file = join(fs->path, "fonts.sha256");
    if (hu_file_is_regular(file) && hu_file_read(file, NULL, "文件", 16u << 20, &text, &ignore))
        for (char *l = text.data, *nl; l && *l; l = nl ? nl + 1 : NULL) {
            nl = strchr(l, '\n');
            if (nl) *nl = 0;
            if (strlen(l) > 66 && l[64] == ' ' && font_line_file(l)) hu_strlist_push(&fs->lines, l);
        }
    free(file);
    hu_buf_free(&text);
    hu_diags_free(&ignore);
    /* one line per file: a later line replaces an earlier one */
    font_rehash(fs);
    size_t w = 0;
    for (size_t i = 0; i < fs->lines.n; i++) {
        size_t h = font_slot(fs, font_line_file(fs->lines.v[i]));
        if (fs->slot[h] - 1 != i) {
            free(fs->lines.v[i]);
            continue;
        }
        fs->lines.v[w++] = fs->lines.v[i];
    }
    if (w != fs->lines.n) {
        fs->lines.n = w;
        memset(fs->slot, 0, fs->nslot * sizeof *fs->slot);
        for (size_t i = 0; i < fs->lines.n; i++)
            fs->slot[font_slot(fs, font_line_file(fs->lines.v[i]))] = i + 1;
    }
}

/* Write the cache back when a line was added or replaced. */
static void font_sums_save(font_sums *fs) {
    if (fs->changed && fs->path) {
        hu_buf b = HU_BUF_INIT;
        for (size_t i = 0; i < fs->lines.n; i++)
            hu_buf_printf(&b, "%s\n", fs->lines.v[i]);
        /* a cache: a folder that cannot be made or written only costs the hashing next time */
        char *dir = hu_strdup(fs->path), *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = 0;
            (void)mkdir(dir, 0700);
        }
        (void)mkdir(fs->path, 0700);
        free(dir);
        char *file = join(fs->path, "fonts.sha256");
        hu_diags ignore = HU_DIAGS_INIT;
        hu_atomic_write(file, b.data ? b.data : "", b.len, &ignore);
        hu_diags_free(&ignore);
        free(file);
        hu_buf_free(&b);
    }
    hu_strlist_free(&fs->lines);
    free(fs->slot), free(fs->fresh);
    free(fs->path);
}

/* Fills hex (65 bytes) with file's SHA-256, "" when it cannot be read. A file is looked at
 * (stat) once per run: every record of a batch names the same few fonts. */
static void font_sha(font_sums *fs, const char *file, char *hex) {
    hex[0] = 0;
    if (!fs->loaded) font_sums_load(fs);
    if (2 * (fs->lines.n + 1) >= fs->nslot) font_rehash(fs);
    size_t h = font_slot(fs, file);
    const char *l = fs->slot[h] ? fs->lines.v[fs->slot[h] - 1] : NULL;
    if (l && fs->fresh[h]) {
        memcpy(hex, l, 64);
        hex[64] = 0;
        return;
    }
    struct stat st;
    if (stat(file, &st) != 0) return;
    char key[160];
    font_key(&st, key, sizeof key);
    size_t klen = strlen(key);
    if (l && !strncmp(l + 65, key, klen) && l[65 + klen] == ' ') {
        memcpy(hex, l, 64);
        hex[64] = 0;
        fs->fresh[h] = true;
        return;
    }
    if (!hu_sha256_file(file, hex)) return;
    /* the file's line, new or replacing its stale one */
    hu_buf b = HU_BUF_INIT;
    hu_buf_printf(&b, "%s %s %s", hex, key, file);
    if (l) {
        free(fs->lines.v[fs->slot[h] - 1]);
        fs->lines.v[fs->slot[h] - 1] = hu_buf_detach(&b);
    } else {
        hu_strlist_push(&fs->lines, hu_buf_cstr(&b));
        fs->slot[h] = fs->lines.n;
    }
    hu_buf_free(&b);
    fs->fresh[h] = true;
    fs->changed = true;
}

/* "fonts" and "fallback_characters" of one index.json entry. */
static void json_font_record(hu_buf *idx, const entry *e) {
    hu_buf_puts(idx, ",\n     \"fonts\": [");
    for (size_t k = 0; k < e->fonts.n; k++) {
        char *c = hu_strdup(e->fonts.v[k]), *f[4] = {"", "", "", ""};
        split_tabs(c, f, 4);
        hu_buf_puts(idx, k ? ",\n       {\"file\": " : "\n       {\"file\": ");
        hu_buf_put_json(idx, f[2]);
        hu_buf_puts(idx, ", \"origin\": ");
        hu_buf_put_json(idx, f[0]);
        if (*f[1]) {
            hu_buf_puts(idx, ", \"package\": ");
            hu_buf_put_json(idx, f[1]);
        }
        hu_buf_puts(idx, ", \"sha256\": ");
        hu_buf_put_json(idx, f[3]);
        hu_buf_puts(idx, "}");
        free(c);
    }
    hu_buf_puts(idx, "],\n     \"fallback_characters\": [");
    for (size_t k = 0; k < e->fallbacks.n; k++) {
        char *c = hu_strdup(e->fallbacks.v[k]), *f[3] = {"0", "", ""};
        split_tabs(c, f, 3);
        hu_buf_printf(idx, "%s{\"field\": ", k ? ",\n       " : "\n       ");
        hu_buf_put_json(idx, f[1]);
        hu_buf_printf(idx, ", \"line\": %d, \"characters\": ", atoi(f[0]));
        hu_buf_put_json(idx, f[2]);
        hu_buf_puts(idx, "}");
        free(c);
    }
    hu_buf_puts(idx, "]");
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
        HU_GROW(*out, n, cap);
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
        load_font_record(e, r);
        const hu_value *fig = hu_v_get(r, "figures");
        if (fig && fig->kind == HU_V_MAP)
            set_figures(e, !strcmp(str_of(fig, "source"), "workbook") ? str_of(fig, "file") : "",
                        str_of(fig, "sha256"));
    }
    hu_arena_free(&a);
    free(p);
}

/* One journal record as read: the fields hu_manifest_journal writes. A string field that is
 * absent or not text is NULL; a list that is absent or not a list has is_list false, and its
 * items that are not text are NULL. */
typedef struct jlist {
    bool is_list;
    size_t n, cap;
    const char **v;
} jlist;

typedef struct jrec {
    bool has_pid;
    long pid;
    const char *name, *period, *org, *title, *figures, *figures_sha256;
    jlist outputs, sums, fonts, fallbacks;
} jrec;

static void jlist_add(hu_arena *a, jlist *l, const char *s) {
    HU_ARENA_GROW(a, l->v, l->n, l->cap);
    l->v[l->n++] = s;
}

/* A record through the general loader (libfyaml): any line, as before. */
static bool jrec_from_value(hu_arena *a, const hu_value *m, jrec *r) {
    memset(r, 0, sizeof *r);
    if (!m || m->kind != HU_V_MAP) return false;
    const hu_value *pid = hu_v_get(m, "pid");
    if (pid && pid->kind == HU_V_NUM) r->has_pid = true, r->pid = (long)pid->num;
    const char *const skeys[] = {"name", "period", "org", "title", "figures", "figures_sha256"};
    const char **sout[] = {&r->name,  &r->period,  &r->org,
                           &r->title, &r->figures, &r->figures_sha256};
    for (int k = 0; k < 6; k++) {
        const hu_value *v = hu_v_get(m, skeys[k]);
        *sout[k] = v && v->kind == HU_V_STR ? v->str : NULL;
    }
    const char *const lkeys[] = {"outputs", "sums", "fonts", "fallbacks"};
    jlist *lout[] = {&r->outputs, &r->sums, &r->fonts, &r->fallbacks};
    for (int k = 0; k < 4; k++) {
        const hu_value *v = hu_v_get(m, lkeys[k]);
        if (!v || v->kind != HU_V_LIST) continue;
        lout[k]->is_list = true;
        for (size_t i = 0; i < v->n; i++)
            jlist_add(a, lout[k], v->items[i]->kind == HU_V_STR ? v->items[i]->str : NULL);
    }
    return true;
}

/* A JSON string as hu_manifest_journal writes it: escapes only \" \\ and \u0009 (the tabs
 * between a font's or a fallback's fields; anything else, such as another control character,
 * is left to the general loader), valid UTF-8, cleaned as the loader cleans text (paste.h).
 * NULL when the text is not of that form. */
static const char *fast_string(hu_arena *a, const char **pp, const char *end) {
    const char *p = *pp;
    if (p >= end || *p != '"') return NULL;
    p++;
    size_t n = 0;
    const char *q = p;
    bool ascii = true;
    for (; q < end && *q != '"'; q++, n++) {
        if ((unsigned char)*q < 0x20 || *q == 0x7f) return NULL;
        if ((unsigned char)*q >= 0x80) ascii = false;
        if (*q == '\\') {
            if (q + 1 < end && (q[1] == '"' || q[1] == '\\'))
                q++;
            else if (end - q >= 6 && !memcmp(q, "\\u0009", 6))
                q += 5;
            else
                return NULL;
        }
    }
    if (q >= end) return NULL;
    char *s = hu_arena_alloc(a, n + 1), *w = s;
    for (const char *r = p; r < q; r++) {
        if (*r != '\\')
            *w++ = *r;
        else if (r[1] == 'u')
            *w++ = '\t', r += 5;
        else
            *w++ = *++r;
    }
    *w = 0;
    *pp = q + 1;
    if (ascii) return s; /* nothing for the cleaner: it changes only non-ASCII characters */
    if (hu_utf8_validate(s, n) != (size_t)-1) return NULL;
    size_t cn;
    hu_paste_counts c;
    char *t = hu_paste_clean(a, s, n, &cn, &c);
    return t ? t : s;
}

static void skip_blanks(const char **pp, const char *end) {
    while (*pp < end && (**pp == ' ' || **pp == '\t'))
        (*pp)++;
}

/* The record in line[0..len) when it has exactly the form hu_manifest_journal writes (its keys
 * at most once each, strings, lists of strings, an integer pid); false for anything else,
 * which the general loader then reads. Reading a batch's 1,000 records through libfyaml was
 * two thirds of its manifest update (bench/README.md, Session 8). */
static bool jrec_fast(hu_arena *a, const char *line, size_t len, jrec *r) {
    memset(r, 0, sizeof *r);
    const char *p = line, *end = line + len;
    skip_blanks(&p, end);
    if (p >= end || *p++ != '{') return false;
    unsigned seen = 0;
    for (bool first = true;; first = false) {
        skip_blanks(&p, end);
        if (p < end && *p == '}') {
            p++;
            break;
        }
        if (!first) {
            if (p >= end || *p++ != ',') return false;
            skip_blanks(&p, end);
        }
        const char *key = fast_string(a, &p, end);
        if (!key) return false;
        skip_blanks(&p, end);
        if (p >= end || *p++ != ':') return false;
        skip_blanks(&p, end);
        static const char *const keys[] = {"pid",   "name",    "period",         "org",
                                           "title", "figures", "figures_sha256", "outputs",
                                           "sums",  "fonts",   "fallbacks"};
        int k = 0;
        while (k < 11 && strcmp(keys[k], key))
            k++;
        if (k == 11 || (seen & (1u << k))) return false;
        seen |= 1u << k;
        if (k == 0) { /* digits only */
            long v = 0;
            const char *d = p;
            while (p < end && *p >= '0' && *p <= '9' && p - d < 15)
                v = v * 10 + (*p++ - '0');
            if (p == d || (p < end && *p >= '0' && *p <= '9')) return false;
            r->has_pid = true, r->pid = v;
        } else if (k <= 6) {
            const char **out[] = {NULL,      &r->name,    &r->period,        &r->org,
                                  &r->title, &r->figures, &r->figures_sha256};
            if (!(*out[k] = fast_string(a, &p, end))) return false;
        } else {
            jlist *l = k == 7   ? &r->outputs
                       : k == 8 ? &r->sums
                       : k == 9 ? &r->fonts
                                : &r->fallbacks;
            if (p >= end || *p++ != '[') return false;
            l->is_list = true;
            skip_blanks(&p, end);
            if (p < end && *p == ']') {
                p++;
                continue;
            }
            for (;;) {
                skip_blanks(&p, end);
                const char *s = fast_string(a, &p, end);
                if (!s) return false;
                jlist_add(a, l, s);
                skip_blanks(&p, end);
                if (p < end && *p == ',') {
                    p++;
                    continue;
                }
                if (p >= end || *p++ != ']') return false;
                break;
            }
        }
    }
    skip_blanks(&p, end);
    return p == end;
}

/* Remembers hu_process_running per pid: a batch's records name its few workers, each many
 * times. */
typedef struct pid_memo {
    long pid[8];
    bool run[8];
    size_t n;
} pid_memo;

static bool running_memo(pid_memo *pm, long pid) {
    for (size_t i = 0; i < pm->n && i < 8; i++)
        if (pm->pid[i] == pid) return pm->run[i];
    bool r = running(pid);
    pm->pid[pm->n % 8] = pid, pm->run[pm->n % 8] = r;
    pm->n++;
    return r;
}

/* Read the journal: apply the records of finished processes to es (their outputs into fresh),
 * keep the lines of running ones in `keep`. */
static void read_journal(const char *outdir, entries *es, hu_strlist *fresh, known_sums *ks,
                         hu_buf *keep, font_sums *fs) {
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
    pid_memo pm = {{0}, {0}, 0};
    for (char *line = text.data, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (!nl) break; /* a record cut short by a kill mid-write */
        jrec r;
        if (!jrec_fast(&a, line, len, &r))
            jrec_from_value(&a, hu_value_load_string(&a, line, len, p, true, &ignore), &r);
        if (!r.has_pid || !r.name || !*r.name) continue;
        if (running_memo(&pm, r.pid)) {
            hu_buf_put(keep, line, len + 1);
            continue;
        }
        entry *e = find_or_add(es, r.name);
        free(e->period), free(e->org), free(e->title);
        e->period = hu_strdup(r.period ? r.period : "");
        e->org = hu_strdup(r.org ? r.org : "");
        e->title = hu_strdup(r.title ? r.title : "");
        if (r.figures) set_figures(e, r.figures, r.figures_sha256 ? r.figures_sha256 : "");
        const jlist *outs = &r.outputs, *sums = &r.sums;
        bool wrote_pdf = false;
        for (size_t k = 0; outs->is_list && k < outs->n; k++) {
            const char *o = outs->v[k];
            /* only plain names inside the folder */
            if (!o || !*o || strchr(o, '/') || o[0] == '.') continue;
            hu_strlist_add(&e->outputs, o);
            hu_strlist_push(fresh, o);
            const char *sv = sums->is_list && sums->n == outs->n ? sums->v[k] : NULL;
            HU_GROW(ks->v, ks->n, ks->cap);
            ks->v[ks->n] = (known_sum){hu_strdup(o), sv && *sv ? hu_strdup(sv) : NULL, ks->n};
            ks->n++;
            size_t ol = strlen(o);
            wrote_pdf |= ol > 4 && !strcmp(o + ol - 4, ".pdf");
        }
        /* the font record belongs to the PDF: a run that wrote none keeps the old one */
        if (!wrote_pdf) continue;
        hu_strlist_free(&e->fonts);
        hu_strlist_free(&e->fallbacks);
        for (size_t k = 0; r.fonts.is_list && k < r.fonts.n; k++) {
            if (!r.fonts.v[k]) continue;
            char *c = hu_strdup(r.fonts.v[k]), *f[3] = {"", "", ""};
            if (split_tabs(c, f, 3) == 3) {
                /* each font with the SHA-256 of the file as it was used */
                char hex[65];
                font_sha(fs, f[2], hex);
                hu_buf b = HU_BUF_INIT;
                const char *parts[7] = {f[0], "\t", f[1], "\t", f[2], "\t", hex};
                for (int q = 0; q < 7; q++)
                    hu_buf_puts(&b, parts[q]);
                hu_strlist_add(&e->fonts, hu_buf_cstr(&b));
                hu_buf_free(&b);
            }
            free(c);
        }
        for (size_t k = 0; r.fallbacks.is_list && k < r.fallbacks.n; k++)
            if (r.fallbacks.v[k]) hu_strlist_add(&e->fallbacks, r.fallbacks.v[k]);
    }
    hu_arena_free(&a);
    hu_diags_free(&ignore);
    hu_buf_free(&text);
    free(p);
}

/* A SHA256SUMS line, "HEX  NAME" */
static void sum_put(hu_buf *sums, const char *hex, const char *name) {
    hu_buf_puts(sums, hex);
    hu_buf_puts(sums, "  ");
    hu_buf_puts(sums, name);
    hu_buf_putc(sums, '\n');
}

/* Outputs about to be renamed into the folder (hu_manifest_commit): by name, the temporary
 * file that holds them until then. */
typedef struct pending {
    const char *const *names, *const *tmps;
    size_t n;
} pending;

/* The file named name in outdir as it will be once the pending renames are done. */
static char *output_path(const char *outdir, const char *name, const pending *pd) {
    for (size_t i = 0; pd && i < pd->n; i++)
        if (!strcmp(pd->names[i], name)) return hu_strdup(pd->tmps[i]);
    return join(outdir, name);
}

/* With the lock held: index.json and SHA256SUMS (idx, sums) from the existing ones and the
 * journal's records of finished processes, and the journal lines to keep (records of runs
 * still going). False when an output could not be hashed (reported). */
static bool manifest_make(const char *outdir, const pending *pd, hu_buf *idx, hu_buf *sums,
                          hu_buf *keep, hu_diags *d) {
    entries es = {0};
    hu_strlist fresh = {0}; /* outputs put in place by finished processes: hash again */
    known_sums ks = {0};    /* unless their records carry the sum */
    read_index(outdir, &es);
    font_sums fs = {0}; /* loaded at its first font */
    read_journal(outdir, &es, &fresh, &ks, keep, &fs);
    known_finish(&ks);
    font_sums_save(&fs);
    if (es.n) qsort(es.v, es.n, sizeof *es.v, cmp_entry);
    hu_strlist_sort_unique(&fresh); /* many records name the same output */

    hu_buf_puts(idx, "{\n  \"generator\": \"huibao " HU_VERSION "\",\n  \"reports\": [");
    hu_strlist files = {0};
    size_t shown = 0;
    for (size_t i = 0; i < es.n; i++) {
        entry *e = &es.v[i];
        /* keep only outputs that still exist */
        hu_strlist live = {0};
        for (size_t k = 0; k < e->outputs.n; k++) {
            char *p = output_path(outdir, e->outputs.v[k], pd);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISREG(st.st_mode)) {
                hu_strlist_add(&live, e->outputs.v[k]);
                hu_strlist_push(&files, e->outputs.v[k]);
            }
            free(p);
        }
        if (!live.n) { /* every output of this report is gone: so is its entry */
            hu_strlist_free(&live);
            continue;
        }
        qsort(live.v, live.n, sizeof *live.v, cmp_str);
        hu_buf_puts(idx, shown++ ? ",\n    {" : "\n    {");
        hu_buf_puts(idx, "\"name\": ");
        hu_buf_put_json(idx, e->name);
        hu_buf_puts(idx, ", \"period\": ");
        hu_buf_put_json(idx, e->period);
        hu_buf_puts(idx, ", \"org\": ");
        hu_buf_put_json(idx, e->org);
        hu_buf_puts(idx, ", \"title\": ");
        hu_buf_put_json(idx, e->title);
        hu_buf_puts(idx, ", \"outputs\": [");
        for (size_t k = 0; k < live.n; k++) {
            if (k) hu_buf_puts(idx, ", ");
            hu_buf_put_json(idx, live.v[k]);
        }
        hu_buf_puts(idx, "]");
        if (e->figures && *e->figures) {
            hu_buf_puts(idx, ",\n     \"figures\": {\"source\": \"workbook\", \"file\": ");
            hu_buf_put_json(idx, e->figures);
            hu_buf_puts(idx, ", \"sha256\": ");
            hu_buf_put_json(idx, e->figures_sha256);
            hu_buf_puts(idx, "}");
        } else if (e->figures) {
            hu_buf_puts(idx, ",\n     \"figures\": {\"source\": \"input\"}");
        }
        json_font_record(idx, e);
        hu_buf_puts(idx, "}");
        hu_strlist_free(&live);
    }
    hu_buf_puts(idx, shown ? "\n  ]\n}\n" : "]\n}\n");
    hu_strlist_sort_unique(&files);

    char *sums_path = join(outdir, "SHA256SUMS");
    sum_line *old_sums;
    size_t nold = read_sums(sums_path, &old_sums);
    free(sums_path);
    bool ok = true;
    for (size_t k = 0; k < files.n; k++) {
        char hex[65];
        sum_line key = {files.v[k], ""};
        const sum_line *prev =
            nold ? bsearch(&key, old_sums, nold, sizeof *old_sums, cmp_sum) : NULL;
        bool rewritten =
            fresh.n && bsearch(&files.v[k], fresh.v, fresh.n, sizeof *fresh.v, cmp_str);
        if (prev && !rewritten) {
            sum_put(sums, prev->hex, files.v[k]);
            continue;
        }
        char *p = output_path(outdir, files.v[k], pd);
        if (rewritten && sum_still(known_get(&ks, files.v[k]), p, hex)) {
            sum_put(sums, hex, files.v[k]);
        } else if (!hu_sha256_file(p, hex)) {
            hu_error(d, p, 0, 0, NULL, "无法读取输出文件以计算校验和");
            ok = false;
        } else {
            sum_put(sums, hex, files.v[k]);
        }
        free(p);
    }
    for (size_t i = 0; i < es.n; i++) {
        free(es.v[i].name), free(es.v[i].period), free(es.v[i].org), free(es.v[i].title);
        free(es.v[i].figures), free(es.v[i].figures_sha256);
        hu_strlist_free(&es.v[i].outputs);
        hu_strlist_free(&es.v[i].fonts), hu_strlist_free(&es.v[i].fallbacks);
    }
    free(es.v);
    free(es.slot);
    known_free(&ks);
    for (size_t i = 0; i < nold; i++)
        free(old_sums[i].name);
    free(old_sums);
    hu_strlist_free(&fresh);
    hu_strlist_free(&files);
    return ok;
}

/* index.json and SHA256SUMS staged beside their destinations (w[0], w[1]); false when either
 * could not be (reported; nothing staged is left). */
static bool manifest_stage(const char *outdir, const hu_buf *idx, const hu_buf *sums,
                           hu_atomic w[2], hu_diags *d) {
    char *paths[2] = {join(outdir, "index.json"), join(outdir, "SHA256SUMS")};
    const hu_buf *bufs[2] = {idx, sums};
    bool ok = true;
    for (int k = 0; k < 2; k++) {
        w[k].tmp = NULL;
        if (ok &&
            !hu_atomic_stage(&w[k], paths[k], bufs[k]->data ? bufs[k]->data : "", bufs[k]->len, d))
            ok = false;
    }
    if (!ok) hu_atomic_abort(&w[0]);
    free(paths[0]), free(paths[1]);
    return ok;
}

/* The applied records are done with: the journal keeps only those of runs still going. */
static bool journal_rewrite(const char *outdir, const hu_buf *keep, hu_diags *d) {
    char *jpath = join(outdir, JOURNAL);
    bool ok = true;
    if (keep->len)
        ok = hu_atomic_write(jpath, keep->data, keep->len, d);
    else if (unlink(jpath) != 0 && errno != ENOENT)
        ok = false;
    free(jpath);
    return ok;
}

/* huibao before 0.2 locked with a file of this name; it only ends up in archives */
static void remove_legacy_lock(const char *outdir) {
    char *legacy = join(outdir, ".huibao.lock");
    struct stat st;
    if (lstat(legacy, &st) == 0 && (S_ISLNK(st.st_mode) || (S_ISREG(st.st_mode) && !st.st_size)))
        unlink(legacy);
    free(legacy);
}

bool hu_manifest_update(const char *outdir, hu_diags *d) {
    int lock = hu_outdir_lock(outdir, d);
    if (lock < 0) return false;
    hu_buf idx = HU_BUF_INIT, sums = HU_BUF_INIT, keep = HU_BUF_INIT;
    bool ok = manifest_make(outdir, NULL, &idx, &sums, &keep, d);
    /* index.json and SHA256SUMS are made durable together with the folder, which holds the
     * renames of the reports' outputs (hu_outdir_release): the outputs are in place on the
     * disk before the manifest naming their bytes replaces the old one (hu_atomic_commit_all:
     * one round of fsyncs where there were three) */
    {
        char *paths[2] = {join(outdir, "index.json"), join(outdir, "SHA256SUMS")};
        hu_atomic w[2];
        hu_atomic *set[2];
        size_t nset = 0;
        const hu_buf *bufs[2] = {&idx, &sums};
        for (int k = 0; k < 2; k++) {
            if (hu_atomic_stage(&w[k], paths[k], bufs[k]->data ? bufs[k]->data : "", bufs[k]->len,
                                d))
                set[nset++] = &w[k];
            else
                ok = false;
        }
        ok = hu_atomic_commit_all(set, nset, lock, NULL, d) && ok;
        free(paths[0]), free(paths[1]);
    }
    if (ok) ok = journal_rewrite(outdir, &keep, d);
    remove_legacy_lock(outdir);
    hu_buf_free(&keep);
    hu_buf_free(&idx);
    hu_buf_free(&sums);
    hu_outdir_unlock(lock);
    return ok;
}

/* One report's run (hu_report_commit_run): the outputs and the manifest put in place in one
 * round of fsyncs and one fsync of the folder, where the two steps took two rounds and two
 * folder fsyncs (bench/README.md, Session 8).
 *
 * Why this is as safe as the two steps: the journal record naming the outputs (with the sums
 * of their new bytes) is on the disk before anything is renamed (it is fsynced in the same
 * round as the files, and the round completes before the first rename), and it is removed only
 * after the folder's fsync has made every rename durable. A crash between the first rename and
 * that fsync can leave any mix of old and new names on the disk — as a crash between the
 * outputs' renames and the manifest's own step could before — and the record is still there:
 * the next run in the folder applies it (its process no longer runs) and hashes every output
 * it names that is not the file the record describes, so SHA256SUMS comes to name the bytes on
 * the disk either way. The manifest is renamed only when every output went in place; otherwise
 * it is dropped and the record left for the next run, as for a report that failed. A journal
 * removal that is lost in a crash after the fsync leaves a record that is applied again:
 * harmless, the outputs it names are hashed again if they changed. */
bool hu_manifest_commit(const char *outdir, int lock, hu_atomic *const *ws, size_t n, int jfd,
                        bool *placed, bool *manifest_done, hu_diags *d) {
    *manifest_done = false;
    enum { MAXN = 8 };
    const char *names[MAXN], *tmps[MAXN];
    bool fast = n <= MAXN;
    for (size_t i = 0; fast && i < n; i++) {
        names[i] = strrchr(ws[i]->dest, '/') ? strrchr(ws[i]->dest, '/') + 1 : ws[i]->dest;
        tmps[i] = ws[i]->tmp;
    }
    pending pd = {names, tmps, fast ? n : 0};
    hu_buf idx = HU_BUF_INIT, sums = HU_BUF_INIT, keep = HU_BUF_INIT;
    hu_diags md = HU_DIAGS_INIT; /* a manifest that cannot be made here is made the usual way */
    hu_atomic w[2];
    fast = fast && manifest_make(outdir, &pd, &idx, &sums, &keep, &md) &&
           manifest_stage(outdir, &idx, &sums, w, &md);
    hu_diags_free(&md);
    bool ok;
    if (fast) {
        hu_atomic *then[2] = {&w[0], &w[1]};
        ok = hu_atomic_commit_then(ws, n, then, 2, jfd, placed, d);
        bool all = true;
        for (size_t i = 0; i < n; i++)
            all = all && (!placed || placed[i]);
        if (ok && all && fsync(lock) != 0 && errno != EINVAL) ok = false;
        if (ok && all) {
            *manifest_done = true;
            if (!journal_rewrite(outdir, &keep, d)) ok = false;
            remove_legacy_lock(outdir);
        }
    } else {
        ok = hu_atomic_commit_all(ws, n, jfd, placed, d);
    }
    hu_buf_free(&keep);
    hu_buf_free(&idx);
    hu_buf_free(&sums);
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
