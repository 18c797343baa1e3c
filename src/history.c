/* history.c - finding and reading earlier months (history.h). */
#include "history.h"

#include "alloc.h"
#include "buf.h"
#include "decimal.h"
#include "fileio.h"
#include "period.h"
#include "strlist.h"

#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------ cache */

typedef struct entry {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    const char *path; /* as first read */
    /* The parsed tree and the arena that holds it, kept only until the file is validated:
     * history needs a month's figures, texts and their locations (slim_report), not the tree
     * of ~25 KB per 4 KB of YAML that the validated report points into. A batch of 1,000
     * months kept every tree and report in its parent: 52 MB of peak RSS (bench/README.md,
     * Session 9). */
    hu_value *root;
    hu_arena *tree;
    bool parsed;          /* false: the file does not parse */
    const char *period;   /* its `period` and `org` strings as written (NULL: absent, not text) */
    const char *org;      /* for hu_sibling, copied before the tree goes */
    const hu_report *rep; /* NULL: not validated yet, or it failed; a slim copy (slim_report) */
    bool validated;
    const char *err;    /* first error, for the skip warning */
    int peek_y, peek_m; /* a file that does not parse: the period its text or name gives */
    struct entry *next; /* in its hash bucket */
} entry;

/* Files by (device, inode). A hash table, because a batch over a flat archive folder looks up
 * every file of the folder once per report: with a list that was O(files²) per report. */
typedef struct table {
    entry **bucket;
    size_t nbucket, n;
} table;

struct hu_history_cache {
    hu_arena arena;
    table t;
    pthread_mutex_t lock;
    /* real paths of the batch's own inputs, sorted once they are looked up (a batch of 1,000
     * added each with a search of the list before it) */
    hu_strlist inputs;
    bool sorted;
    /* the arenas of hu_history_cache_preload's threads, which hold their entries */
    hu_arena **arenas;
    size_t narenas, caparenas;
    /* each folder scanned, as first listed (folder_scan) */
    struct folder **folders;
    size_t nfolders, capfolders;
};

/* A folder's input files, sorted by name, with what stat said of each when it was listed.
 * Listed once per cache: every report of a batch scans its folder for earlier months, and
 * the listing and a stat of every file of the folder were 38 of a report's system calls in a
 * batch of 36 months a folder (bench/README.md, Session 9). */
typedef struct folder {
    const char *key;    /* the prefix hu_history_load puts before the names; NULL: none */
    const char **names; /* prefix/name, sorted */
    struct stat *st;
    bool *ok; /* stat succeeded */
    size_t n;
    bool opened; /* opendir succeeded */
} folder;

hu_history_cache *hu_history_cache_new(void) {
    hu_history_cache *c = hu_xcalloc(1, sizeof *c);
    hu_arena_init(&c->arena);
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

static void entry_drop_tree(struct entry *e);

void hu_history_cache_free(hu_history_cache *c) {
    if (!c) return;
    pthread_mutex_destroy(&c->lock);
    for (size_t b = 0; b < c->t.nbucket; b++) /* files parsed but never validated */
        for (struct entry *e = c->t.bucket[b]; e; e = e->next)
            entry_drop_tree(e);
    for (size_t i = 0; i < c->narenas; i++) {
        hu_arena_free(c->arenas[i]);
        free(c->arenas[i]);
    }
    free(c->arenas);
    free(c->folders);
    free(c->t.bucket);
    hu_strlist_free(&c->inputs);
    hu_arena_free(&c->arena);
    free(c);
}

void hu_history_cache_add_input(hu_history_cache *c, const char *path) {
    char *rp = realpath(path, NULL);
    if (!rp) return;
    pthread_mutex_lock(&c->lock);
    hu_strlist_push(&c->inputs, rp);
    c->sorted = false;
    pthread_mutex_unlock(&c->lock);
    free(rp);
}

static int cmp_str(const void *x, const void *y);

/* With c->lock held (hu_history_load). */
static bool batch_input(hu_history_cache *c, const char *path) {
    if (!c || !c->inputs.n) return false;
    if (!c->sorted) {
        hu_strlist_sort_unique(&c->inputs);
        c->sorted = true;
    }
    char *rp = realpath(path, NULL);
    bool in = rp && bsearch(&rp, c->inputs.v, c->inputs.n, sizeof *c->inputs.v, cmp_str);
    free(rp);
    return in;
}

/* The period a file that does not parse was meant for: a `period: 2026-09` (YAML) or
 * `"period": "2026-09"` (JSON) in its text, else its name. False when neither says. */
static bool peek_period(const char *path, int *y, int *m) {
    hu_buf b = HU_BUF_INIT;
    hu_diags quiet = HU_DIAGS_INIT;
    bool found = false;
    if (hu_file_read(path, NULL, "文件", HU_MAX_INPUT_BYTES, &b, &quiet)) {
        const char *s = hu_buf_cstr(&b);
        for (const char *p = strstr(s, "period"); p && !found; p = strstr(p + 6, "period")) {
            bool at_key = p == s || p[-1] == '\n' || p[-1] == '"' || p[-1] == ' ';
            const char *q = p + 6;
            if (*q == '"') q++;
            while (*q == ' ' || *q == '\t')
                q++;
            if (!at_key || *q != ':') continue;
            q++;
            while (*q == ' ' || *q == '\t' || *q == '"' || *q == '\'')
                q++;
            int yy, mm, k = 0;
            if (sscanf(q, "%4d-%2d%n", &yy, &mm, &k) == 2 && k >= 6 && mm >= 1 && mm <= 12) {
                *y = yy, *m = mm;
                found = true;
            }
        }
    }
    hu_buf_free(&b);
    hu_diags_free(&quiet);
    return found || hu_period_from_name(path, y, m);
}

static const char *first_error(hu_arena *a, const hu_diags *d) {
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].severity == HU_ERROR) {
            char buf[512];
            hu_diag_format(&d->v[i], buf, sizeof buf);
            return hu_arena_strdup(a, buf);
        }
    return "无法读取";
}

static size_t slot(const table *t, dev_t dev, ino_t ino) {
    uint64_t h = ((uint64_t)dev * 0x9E3779B97F4A7C15u) ^ (uint64_t)ino;
    h ^= h >> 29, h *= 0xBF58476D1CE4E5B9u, h ^= h >> 32;
    return (size_t)(h & (t->nbucket - 1));
}

static void table_add(table *t, entry *e) {
    if (t->n >= t->nbucket) { /* keep the load at most 1 */
        size_t nb = t->nbucket ? t->nbucket * 2 : 64;
        entry **old = t->bucket;
        size_t oldn = t->nbucket;
        t->bucket = hu_xcalloc(nb, sizeof *t->bucket);
        t->nbucket = nb;
        for (size_t i = 0; i < oldn; i++)
            for (entry *x = old[i], *next; x; x = next) {
                next = x->next;
                size_t k = slot(t, x->dev, x->ino);
                x->next = t->bucket[k];
                t->bucket[k] = x;
            }
        free(old);
    }
    size_t k = slot(t, e->dev, e->ino);
    e->next = t->bucket[k];
    t->bucket[k] = e;
    t->n++;
}

static void entry_fill(hu_arena *a, entry *e, const char *path, const struct stat *st);

/* The entry of a file as it is now (size and mtime unchanged), or NULL. */
static entry *table_find(const table *t, const struct stat *st) {
    if (!t->nbucket) return NULL;
    for (entry *e = t->bucket[slot(t, st->st_dev, st->st_ino)]; e; e = e->next)
        if (e->dev == st->st_dev && e->ino == st->st_ino)
            return e->size == st->st_size && e->mtime.tv_sec == st->st_mtim.tv_sec &&
                           e->mtime.tv_nsec == st->st_mtim.tv_nsec
                       ? e
                       : NULL;
    return NULL;
}

/* Find or parse the file (parse only: validation waits until period/org match). A file that
 * changed since it was read (size or mtime) is read again into the same entry. */
static entry *cache_get(hu_arena *a, table *t, const char *path, const struct stat *st) {
    entry *e = NULL;
    if (t->nbucket)
        for (e = t->bucket[slot(t, st->st_dev, st->st_ino)]; e; e = e->next)
            if (e->dev == st->st_dev && e->ino == st->st_ino) break;
    if (e && e->size == st->st_size && e->mtime.tv_sec == st->st_mtim.tv_sec &&
        e->mtime.tv_nsec == st->st_mtim.tv_nsec)
        return e;
    if (!e) {
        e = hu_arena_alloc(a, sizeof *e);
        e->dev = st->st_dev;
        e->ino = st->st_ino;
        table_add(t, e);
    }
    entry_fill(a, e, path, st);
    return e;
}

static void entry_drop_tree(entry *e) {
    if (e->tree) {
        hu_arena_free(e->tree);
        free(e->tree);
    }
    e->tree = NULL;
    e->root = NULL;
}

static const char *str_field(const hu_value *root, const char *key);

/* Read and parse the file into e (its identity set): the tree into an arena of the entry's
 * own (freed once validated), everything kept into a. */
static void entry_fill(hu_arena *a, entry *e, const char *path, const struct stat *st) {
    entry_drop_tree(e);
    e->size = st->st_size;
    e->mtime = st->st_mtim;
    e->path = hu_arena_strdup(a, path);
    e->rep = NULL;
    e->validated = false;
    e->err = NULL;
    e->period = e->org = NULL;
    e->tree = hu_xmalloc(sizeof *e->tree);
    hu_arena_init(e->tree);
    hu_diags tmp = HU_DIAGS_INIT;
    e->root = hu_value_load_file(e->tree, e->path, e->path, &tmp);
    e->parsed = e->root != NULL;
    e->peek_y = e->peek_m = 0;
    if (e->parsed) {
        e->period = hu_arena_strdup(a, str_field(e->root, "period"));
        e->org = hu_arena_strdup(a, str_field(e->root, "org"));
    } else {
        e->err = first_error(a, &tmp);
        if (!peek_period(e->path, &e->peek_y, &e->peek_m)) e->peek_y = e->peek_m = 0;
        entry_drop_tree(e);
    }
    hu_diags_free(&tmp);
}

/* ------------------------------------------------------------------ a month as history keeps it
 *
 * A validated month copied without its tree: what build_series, hu_history_check and the
 * callers of hu_history_month read (history.h), each string copied once into the cache's
 * arena. A location's file is nearly always the month's own path: that is shared, not copied
 * for every figure and paragraph. */

typedef struct slim {
    hu_arena *a;
    const char *file;                /* the entry's path, shared */
    const char *last_src, *last_dup; /* the last other file name met, and its copy */
} slim;

static const char *slim_file(slim *s, const char *f) {
    if (!f || f == s->file) return f;
    if (f == s->last_src) return s->last_dup;
    s->last_src = f;
    s->last_dup = strcmp(f, s->file) == 0 ? s->file : hu_arena_strdup(s->a, f);
    return s->last_dup;
}

static hu_loc slim_loc(slim *s, hu_loc l) {
    l.file = slim_file(s, l.file);
    return l;
}

static hu_num slim_num(slim *s, const hu_num *n) {
    hu_num o = *n;
    o.text = hu_arena_strdup(s->a, n->text);
    o.loc = slim_loc(s, n->loc);
    return o;
}

static hu_text *slim_texts(slim *s, const hu_text *v, size_t n) {
    if (!n) return NULL;
    hu_text *o = hu_arena_alloc(s->a, n * sizeof *o);
    for (size_t i = 0; i < n; i++)
        o[i] = (hu_text){hu_arena_strdup(s->a, v[i].s), slim_loc(s, v[i].loc)};
    return o;
}

/* Sections: their text, points and highlights with locations and paths (collect); no titles,
 * which are not compared with last month's. */
static hu_section *slim_sections(slim *s, const hu_section *v, size_t n) {
    if (!n) return NULL;
    hu_section *o = hu_arena_alloc(s->a, n * sizeof *o);
    for (size_t i = 0; i < n; i++) {
        const hu_section *x = &v[i];
        hu_section *y = &o[i];
        y->text = hu_arena_strdup(s->a, x->text);
        y->points = slim_texts(s, x->points, x->npoints);
        y->npoints = x->npoints;
        y->highlights = slim_texts(s, x->highlights, x->nhighlights);
        y->nhighlights = x->nhighlights;
        y->sections = slim_sections(s, x->sections, x->nsections);
        y->nsections = x->nsections;
        y->level = x->level;
        y->plain = x->plain;
        y->loc = slim_loc(s, x->loc);
        y->text_loc = slim_loc(s, x->text_loc);
        y->path = hu_arena_strdup(s->a, x->path);
    }
    return o;
}

/* The month r (validated from e's tree) as history keeps it, in a. */
static const hu_report *slim_report(hu_arena *a, const entry *e, const hu_report *r) {
    slim s = {a, e->path, NULL, NULL};
    hu_report *o = hu_arena_alloc(a, sizeof *o);
    o->file = e->path;
    o->org = hu_arena_strdup(a, r->org);
    o->period = hu_arena_strdup(a, r->period);
    o->year = r->year;
    o->month = r->month;
    o->figures_file = hu_arena_strdup(a, r->figures_file);
    o->nindicators = r->nindicators;
    o->indicators =
        hu_arena_alloc(a, (r->nindicators ? r->nindicators : 1) * sizeof *o->indicators);
    for (size_t i = 0; i < r->nindicators; i++) {
        const hu_indicator *x = &r->indicators[i];
        hu_indicator *y = &o->indicators[i];
        y->name = hu_arena_strdup(a, x->name);
        y->value = slim_num(&s, &x->value);
        y->last_month = slim_num(&s, &x->last_month);
        y->kind = x->kind;
        y->unchanged = x->unchanged;
        y->decimals = x->decimals;
        y->loc = slim_loc(&s, x->loc);
        y->path = hu_arena_strdup(a, x->path);
    }
    o->sections = slim_sections(&s, r->sections, r->nsections);
    o->nsections = r->nsections;
    return o;
}

/* Validate e's tree in its own arena, keep the slim copy (or the first error) in a, and free
 * the tree. */
static void cache_validate(hu_arena *a, entry *e) {
    if (e->validated) return;
    e->validated = true;
    hu_diags tmp = HU_DIAGS_INIT;
    const hu_report *r = e->root ? hu_input_from_value(e->tree, e->root, e->path, &tmp) : NULL;
    if (r)
        e->rep = slim_report(a, e, r);
    else
        e->err = first_error(a, &tmp);
    hu_diags_free(&tmp);
    entry_drop_tree(e);
}

void hu_history_cache_validate_all(hu_history_cache *c) {
    if (!c) return;
    pthread_mutex_lock(&c->lock);
    for (size_t b = 0; b < c->t.nbucket; b++)
        for (entry *e = c->t.bucket[b]; e; e = e->next)
            if (e->root) cache_validate(&c->arena, e);
    pthread_mutex_unlock(&c->lock);
}

/* List the folder prefix (NULL: the current one) as hu_history_load spells its files, sorted,
 * each with its stat, into a (the cache's arena, or the report's without a cache). */
static folder *folder_list(hu_arena *a, const char *prefix) {
    folder *f = hu_arena_alloc(a, sizeof *f);
    memset(f, 0, sizeof *f);
    f->key = prefix ? hu_arena_strdup(a, prefix) : NULL;
    DIR *dp = opendir(prefix ? prefix : ".");
    if (!dp) return f;
    f->opened = true;
    size_t n = 0, cap = 16;
    const char **names = hu_arena_alloc(a, cap * sizeof *names);
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (!hu_path_is_input(de->d_name)) continue;
        if (n == cap) {
            names = hu_arena_grow(a, names, n, cap * 2, sizeof *names);
            cap *= 2;
        }
        names[n++] = prefix
                         ? hu_arena_printf(a, "%s%s%s", prefix,
                                           prefix[strlen(prefix) - 1] == '/' ? "" : "/", de->d_name)
                         : hu_arena_strdup(a, de->d_name);
    }
    closedir(dp);
    qsort(names, n, sizeof *names, cmp_str);
    f->names = names;
    f->n = n;
    f->st = hu_arena_alloc(a, (n ? n : 1) * sizeof *f->st);
    f->ok = hu_arena_alloc(a, (n ? n : 1) * sizeof *f->ok);
    for (size_t i = 0; i < n; i++)
        f->ok[i] = stat(names[i], &f->st[i]) == 0;
    return f;
}

/* The folder prefix as first listed for cache c (listed now if it was not), or listed now into
 * a when there is no cache. */
static const folder *folder_scan(hu_arena *a, hu_history_cache *c, const char *prefix) {
    if (!c) return folder_list(a, prefix);
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->nfolders; i++)
        if (prefix && c->folders[i]->key ? strcmp(c->folders[i]->key, prefix) == 0
                                         : !prefix && !c->folders[i]->key) {
            folder *f = c->folders[i];
            pthread_mutex_unlock(&c->lock);
            return f;
        }
    folder *f = folder_list(&c->arena, prefix); /* under the lock: c->arena is shared */
    HU_GROW(c->folders, c->nfolders, c->capfolders);
    c->folders[c->nfolders++] = f;
    pthread_mutex_unlock(&c->lock);
    return f;
}

/* hu_history_cache_preload's work: files[next…] parsed and validated by each thread into an
 * arena of its own, and entered into the table under the lock. */
typedef struct preload {
    hu_history_cache *c;
    const char **files;
    size_t n, next;
} preload;

static void *preload_thread(void *arg) {
    preload *p = arg;
    hu_history_cache *c = p->c;
    hu_arena *a = hu_xmalloc(sizeof *a);
    hu_arena_init(a);
    for (;;) {
        size_t i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
        if (i >= p->n) break;
        struct stat st;
        if (stat(p->files[i], &st) != 0 || !S_ISREG(st.st_mode) ||
            st.st_size > HU_HISTORY_MAX_BYTES)
            continue;
        pthread_mutex_lock(&c->lock);
        bool have = table_find(&c->t, &st) != NULL;
        pthread_mutex_unlock(&c->lock);
        if (have) continue; /* a hard link or symlink to a file already read */
        entry *e = hu_arena_alloc(a, sizeof *e);
        memset(e, 0, sizeof *e);
        e->dev = st.st_dev;
        e->ino = st.st_ino;
        entry_fill(a, e, p->files[i], &st);
        if (e->root) cache_validate(a, e);
        pthread_mutex_lock(&c->lock);
        entry *x = c->t.nbucket ? c->t.bucket[slot(&c->t, e->dev, e->ino)] : NULL;
        while (x && !(x->dev == e->dev && x->ino == e->ino))
            x = x->next;
        if (!x) {
            table_add(&c->t, e);
        } else if (strcmp(e->path, x->path) < 0) { /* the first name wins, as in one scan */
            entry *next = x->next;
            *x = *e;
            x->next = next;
        }
        pthread_mutex_unlock(&c->lock);
    }
    pthread_mutex_lock(&c->lock);
    HU_GROW(c->arenas, c->narenas, c->caparenas);
    c->arenas[c->narenas++] = a;
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* The folder hu_history_load scans for cur_file, as it spells its files' paths. */
static const char *scan_prefix(hu_arena *a, const char *cur_file, const char *dir) {
    return dir ? dir : cur_file ? hu_path_dir(a, cur_file) : NULL;
}

void hu_history_cache_preload(hu_history_cache *c, const char *const *inputs, size_t n,
                              const char *dir, int threads) {
    if (!c || !n) return;
    hu_arena a;
    hu_arena_init(&a);
    hu_strlist seen = {0};
    size_t nf = 0, cap = 64;
    const char **files = hu_arena_alloc(&a, cap * sizeof *files);
    for (size_t i = 0; i < n; i++) {
        const char *prefix = scan_prefix(&a, inputs[i], dir);
        const char *key = prefix ? prefix : ".";
        if (hu_strlist_has(&seen, key)) continue;
        hu_strlist_add(&seen, key);
        DIR *dp = opendir(key);
        if (!dp) continue;
        for (struct dirent *de; (de = readdir(dp));) {
            if (!hu_path_is_input(de->d_name)) continue;
            if (nf == cap) {
                files = hu_arena_grow(&a, files, nf, cap * 2, sizeof *files);
                cap *= 2;
            }
            files[nf++] =
                prefix ? hu_arena_printf(&a, "%s%s%s", prefix,
                                         prefix[strlen(prefix) - 1] == '/' ? "" : "/", de->d_name)
                       : hu_arena_strdup(&a, de->d_name);
        }
        closedir(dp);
    }
    /* by name, as hu_history_load meets them: of two links to one file, the first name's
     * entry is kept (it names the file in messages) */
    qsort(files, nf, sizeof *files, cmp_str);
    preload p = {c, files, nf, 0};
    if (threads < 1) threads = 1;
    if (threads > 16) threads = 16;
    pthread_t th[16];
    bool started[16] = {false};
    for (int k = 1; k < threads; k++)
        started[k] = pthread_create(&th[k], NULL, preload_thread, &p) == 0;
    preload_thread(&p);
    for (int k = 1; k < threads; k++)
        if (started[k]) pthread_join(th[k], NULL);
    /* and each folder listed as hu_history_load lists it: a batch's workers inherit that too */
    for (size_t i = 0; i < n; i++)
        (void)folder_scan(NULL, c, scan_prefix(&a, inputs[i], dir));
    hu_strlist_free(&seen);
    hu_arena_free(&a);
}

/* ------------------------------------------------------------------ history */

typedef struct series {
    const char *name;
    hu_months m;
} series;

struct hu_history {
    const hu_report *cur;
    const hu_report *month[13];
    const char **files;
    size_t nfiles;
    hu_sibling *siblings; /* as files */
    const char **used;
    size_t nused;
    series *series;
    size_t nseries;
};

static int cmp_str(const void *x, const void *y) {
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static const char *str_field(const hu_value *root, const char *key) {
    const hu_value *v = hu_v_get(root, key);
    return v && v->kind == HU_V_STR ? v->str : NULL;
}

static const hu_indicator *find_ind(const hu_report *r, const char *name) {
    if (!r || !name) return NULL;
    for (size_t i = 0; i < r->nindicators; i++)
        if (r->indicators[i].name && strcmp(r->indicators[i].name, name) == 0)
            return &r->indicators[i];
    return NULL;
}

static const char *num_text(hu_arena *a, const hu_num *n) {
    hu_dec d;
    if (n->text) return n->text;
    if (!hu_dec_from_num(n, &d)) return "?";
    return hu_dec_format(a, d, d.scale);
}

static bool num_eq(const hu_num *x, const hu_num *y) {
    hu_dec a, b;
    return hu_dec_from_num(x, &a) && hu_dec_from_num(y, &b) && hu_dec_cmp(a, b) == 0;
}

/* Fill one indicator's months and warn where the files contradict each other. */
static void build_series(hu_arena *a, hu_history *h, const hu_indicator *ci, series *s,
                         hu_diags *d) {
    const hu_report *cur = h->cur;
    int N = cur->month;
    s->name = ci->name;
    s->m.cum[N] = ci->value;
    s->m.file[N] = cur->file;
    for (int m = N - 1; m >= 1; m--) {
        const hu_report *next = m + 1 == N ? cur : h->month[m + 1];
        const hu_indicator *ni = m + 1 == N ? ci : find_ind(next, ci->name);
        const hu_indicator *mi = find_ind(h->month[m], ci->name);
        bool have_file = mi && mi->value.set;
        bool have_lm = ni && ni->last_month.set;
        if (have_file && have_lm && !num_eq(&mi->value, &ni->last_month))
            hu_warn(d, next->file, ni->last_month.loc.line, ni->last_month.loc.col, ni->path,
                    "往月数据不一致：“%s”在 %s 中的上月累计（1—%d月）为 %s，而 %s 中的本期数为 %s；"
                    "以 %s 为准",
                    ci->name, next->file, m, num_text(a, &ni->last_month), h->month[m]->file,
                    num_text(a, &mi->value), m + 1 == N ? next->file : h->month[m]->file);
        /* the current file's explicit last_month wins; otherwise a month's own file */
        if (have_lm && (m + 1 == N || !have_file)) {
            s->m.cum[m] = ni->last_month;
            s->m.file[m] = next->file;
        } else if (have_file) {
            s->m.cum[m] = mi->value;
            s->m.file[m] = h->month[m]->file;
        }
    }
}

static bool canonical(const char *file, const char *period) {
    const char *base = hu_path_base(file);
    size_t n = strlen(period);
    return strncmp(base, period, n) == 0 && base[n] == '.' && hu_path_is_input(base) &&
           strchr(base + n + 1, '.') == NULL;
}

hu_history *hu_history_load(hu_arena *a, const hu_report *cur, const char *dir,
                            hu_history_cache *cache, hu_diags *d) {
    hu_history *h = hu_arena_alloc(a, sizeof *h);
    h->cur = cur;
    h->nseries = cur->nindicators;
    h->series = hu_arena_alloc(a, (h->nseries ? h->nseries : 1) * sizeof *h->series);

    const char *prefix = dir ? dir : hu_path_dir(a, cur->file);
    const folder *fo = folder_scan(a, cache, prefix);
    if (!fo->opened) {
        hu_warn(d, prefix ? prefix : ".", 0, 0, NULL, "无法读取往月数据文件夹，不计算环比和趋势");
    } else {
        size_t n = fo->n;
        const char *const *names = fo->names;
        /* the current file as the folder's listing saw it, when it is there by that name */
        struct stat cst;
        bool have_cur = false;
        if (cur->file) {
            const char *const *at = bsearch(&cur->file, names, n, sizeof *names, cmp_str);
            if (at && fo->ok[at - names]) {
                cst = fo->st[at - names];
                have_cur = true;
            } else {
                have_cur = stat(cur->file, &cst) == 0;
            }
        }
        hu_arena *ca = cache ? &cache->arena : a;
        table local = {0}, *t = cache ? &cache->t : &local;
        if (cache) pthread_mutex_lock(&cache->lock);
        /* the entries this scan met: a file reached by two names (a hard link, a symlink)
         * counts once. A set of the scan's own, not a mark in each entry: the cache's entries
         * are a batch parent's, shared with its workers, and a write to one copies its page
         * into the worker (~2,000 page faults in a batch of 1,000 months). */
        size_t nmet = 16;
        while (nmet < 2 * n)
            nmet *= 2;
        const entry **met = hu_arena_alloc(a, nmet * sizeof *met);
        h->files = hu_arena_alloc(a, (n ? n : 1) * sizeof *h->files);
        h->siblings = hu_arena_alloc(a, (n ? n : 1) * sizeof *h->siblings);
        h->used = hu_arena_alloc(a, 13 * sizeof *h->used);
        for (size_t i = 0; i < n; i++) {
            if (!fo->ok[i] || !S_ISREG(fo->st[i].st_mode)) continue;
            struct stat st = fo->st[i];
            if (have_cur && st.st_dev == cst.st_dev && st.st_ino == cst.st_ino) continue;
            if (st.st_size > HU_HISTORY_MAX_BYTES) {
                /* not read (history.h); still a prerequisite: it could be edited to match */
                hu_sibling *sb = &h->siblings[h->nfiles];
                h->files[h->nfiles++] = names[i];
                *sb = (hu_sibling){names[i], NULL, NULL, true};
                int y = 0, m = 0;
                bool named = hu_period_from_name(names[i], &y, &m);
                if (!named || (y == cur->year && m >= 1 && m < cur->month))
                    hu_warn(d, names[i], 0, 0, NULL,
                            "跳过过大的文件（%lld KB；往月数据文件以 %u KB 为限，一个月的输入"
                            "通常只有几十 KB），不作为往月数据读取；如果它是往月数据，环比和"
                            "趋势会不完整",
                            (long long)(st.st_size >> 10), HU_HISTORY_MAX_BYTES >> 10);
                continue;
            }
            entry *e = cache_get(ca, t, names[i], &st);
            size_t at = ((uintptr_t)e >> 4) & (nmet - 1);
            while (met[at] && met[at] != e)
                at = (at + 1) & (nmet - 1);
            if (met[at]) continue; /* a hard link or symlink to a file already read */
            met[at] = e;
            hu_sibling *sb = &h->siblings[h->nfiles];
            h->files[h->nfiles++] = names[i];
            sb->file = names[i];
            if (!e->parsed) {
                sb->broken = true;
                /* Said only when it matters to this report: the file was meant for an earlier
                 * month of this year (its text or its name says so), or nothing tells what it
                 * is. A file the same batch builds gets its own errors instead. The text names
                 * no report, so a batch prints it once (build.c print_job_diags). */
                bool earlier = e->peek_y == cur->year && e->peek_m >= 1 && e->peek_m < cur->month;
                if ((earlier || !e->peek_y) && !batch_input(cache, names[i])) {
                    if (earlier)
                        hu_warn(d, names[i], 0, 0, NULL,
                                "这个 %d年%d月的文件无法读取，之后各月报告的往月数据缺少这个"
                                "月（环比、趋势不完整）：%s",
                                e->peek_y, e->peek_m, e->err);
                    else
                        hu_warn(d, names[i], 0, 0, NULL,
                                "跳过无法读取的文件（看不出是哪个月的数据；如果是往月数据，"
                                "环比和趋势会不完整）：%s",
                                e->err);
                }
                continue;
            }
            /* not a report of this office and year: not history, and no noise about it */
            const char *period = e->period, *org = e->org;
            sb->period = period;
            sb->org = org;
            int y, m, k = 0;
            if (!period || !org || !cur->org || strcmp(org, cur->org) != 0) continue;
            if (sscanf(period, "%4d-%2d%n", &y, &m, &k) != 2 || period[k] || y != cur->year ||
                m < 1 || m >= cur->month)
                continue;
            cache_validate(ca, e);
            if (!e->rep) {
                if (!batch_input(cache, names[i]))
                    hu_warn(d, names[i], 0, 0, NULL, "跳过有错误的往月文件（%d月）：%s", m, e->err);
                continue;
            }
            if (h->month[m]) {
                /* prefer the file named after its period (2026-09.yaml), else the first */
                bool take = canonical(names[i], period) && !canonical(h->month[m]->file, period);
                const hu_report *keep = take ? e->rep : h->month[m];
                hu_warn(d, names[i], 0, 0, NULL,
                        "往月数据重复：%s 与 %s 都是 %d年%d月的数据，使用 %s", h->month[m]->file,
                        names[i], y, m, keep->file);
                h->month[m] = keep;
                continue;
            }
            h->month[m] = e->rep;
        }
        if (cache) pthread_mutex_unlock(&cache->lock);
        for (size_t b = 0; b < local.nbucket; b++) /* without a cache, nothing is kept */
            for (entry *e = local.bucket[b]; e; e = e->next)
                entry_drop_tree(e);
        free(local.bucket);
        for (int m = 1; m < 13; m++)
            if (h->month[m]) h->used[h->nused++] = h->month[m]->file;
    }
    for (size_t i = 0; i < h->nseries; i++)
        build_series(a, h, &cur->indicators[i], &h->series[i], d);
    return h;
}

size_t hu_history_files(const hu_history *h, const char *const **out) {
    *out = h ? h->files : NULL;
    return h ? h->nfiles : 0;
}

size_t hu_history_siblings(const hu_history *h, const hu_sibling **out) {
    *out = h ? h->siblings : NULL;
    return h ? h->nfiles : 0;
}

size_t hu_history_used(const hu_history *h, const char *const **out) {
    *out = h ? h->used : NULL;
    return h ? h->nused : 0;
}

const hu_report *hu_history_month(const hu_history *h, int month) {
    if (!h || month < 1 || month > 12) return NULL;
    return h->month[month];
}

/* ------------------------------------------------------------------ a month not brought up to date
 */

/* Where a figure is: its cell or line (a workbook's figures carry their cell as the file). */
static hu_loc num_loc(const hu_num *n, const char *file) {
    hu_loc l = n->loc;
    if (!l.file) l.file = file;
    return l;
}

/* Text as compared: without blanks, so that a paragraph wrapped differently is the same. */
static char *squeeze(hu_arena *a, const char *s, size_t n) {
    char *out = hu_arena_alloc(a, n + 1), *w = out;
    for (size_t i = 0; i < n; i++) {
        if (strchr(" \t\r\n", s[i])) continue;
        if (i + 2 < n && !memcmp(s + i, "\xE3\x80\x80", 3)) { /* U+3000 */
            i += 2;
            continue;
        }
        *w++ = s[i];
    }
    *w = 0;
    return out;
}

/* Paragraphs shorter than this (in bytes, blanks left out) are stock phrases that may well
 * repeat every month: "无。", "详见附件。" */
#define STALE_MIN_BYTES 30

typedef struct piece {
    const char *key; /* squeezed */
    hu_loc loc;
    const char *path;
} piece;

typedef struct pieces {
    piece *v;
    size_t n, cap;
} pieces;

static void piece_add(hu_arena *a, pieces *p, const char *key, hu_loc loc, const char *path) {
    HU_ARENA_GROW(a, p->v, p->n, p->cap);
    p->v[p->n++] = (piece){key, loc, path};
}

static const piece *piece_find(const pieces *p, const char *key) {
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->v[i].key, key)) return &p->v[i];
    return NULL;
}

/* A section's paragraphs (blank-line separated), its points as one list, its highlights. The
 * line of a paragraph is the text's line plus the lines before it (a block scalar's first
 * line follows its indicator). */
static void collect(hu_arena *a, const hu_section *s, size_t n, pieces *paras, pieces *lists,
                    pieces *hls) {
    for (size_t i = 0; i < n; i++) {
        const hu_section *x = &s[i];
        if (x->text) {
            const char *t = x->text;
            int line = 0;
            while (*t) {
                const char *start = t;
                int first = line;
                /* up to a blank line */
                for (;;) {
                    const char *nl = strchr(t, '\n');
                    const char *end = nl ? nl : t + strlen(t);
                    bool blank_line = strspn(t, " \t\r") == (size_t)(end - t);
                    if (blank_line && t != start) break;
                    if (blank_line) start = nl ? nl + 1 : end, first = line + 1;
                    t = nl ? nl + 1 : end;
                    line++;
                    if (!nl) break;
                }
                char *key = squeeze(a, start, (size_t)(t - start));
                if (strlen(key) >= STALE_MIN_BYTES) {
                    hu_loc l = x->text_loc; /* a block scalar's is its first line's */
                    if (l.line && first) l.line += first, l.col = 0;
                    piece_add(a, paras, key, l,
                              x->plain ? x->path : hu_arena_printf(a, "%s.text", x->path));
                }
            }
        }
        if (x->npoints) {
            hu_buf b = HU_BUF_INIT;
            for (size_t k = 0; k < x->npoints; k++) {
                hu_buf_puts(&b, x->points[k].s);
                hu_buf_putc(&b, '\x1f');
            }
            char *key = squeeze(a, b.data, b.len);
            hu_buf_free(&b);
            if (strlen(key) >= STALE_MIN_BYTES)
                piece_add(a, lists, key, x->points[0].loc,
                          hu_arena_printf(a, "%s.points", x->path));
        }
        for (size_t k = 0; k < x->nhighlights; k++)
            piece_add(a, hls, squeeze(a, x->highlights[k].s, strlen(x->highlights[k].s)),
                      x->highlights[k].loc, hu_arena_printf(a, "%s.highlights[%zu]", x->path, k));
        collect(a, x->sections, x->nsections, paras, lists, hls);
    }
}

static const char *where_text(hu_arena *a, const hu_loc *l) {
    return l->line ? hu_arena_printf(a, "%s 第 %d 行", l->file, l->line) : l->file;
}

void hu_history_check(hu_arena *a, const hu_history *h, bool strict, hu_diags *d) {
    const hu_report *cur = h->cur;
    hu_severity sev = strict ? HU_ERROR : HU_WARNING;
    int N = cur->month;
    const hu_report *prev = N >= 2 ? h->month[N - 1] : NULL;
    for (size_t i = 0; i < h->nseries; i++) {
        const hu_indicator *ci = &cur->indicators[i];
        const series *s = &h->series[i];
        /* a cumulative amount that shrinks from one known month to the next */
        int before = 0;
        for (int m = 1; ci->kind == HU_IND_AMOUNT && m <= N; m++) {
            hu_dec x, y;
            if (!hu_dec_from_num(&s->m.cum[m], &y)) continue;
            if (before && hu_dec_from_num(&s->m.cum[before], &x) && hu_dec_cmp(y, x) < 0 &&
                s->m.file[m] && s->m.file[before] && strcmp(s->m.file[m], s->m.file[before]) != 0) {
                hu_loc l = num_loc(&s->m.cum[m], s->m.file[m]);
                hu_diag_add(
                    d, sev, l.file, l.line, l.col, NULL,
                    "往月数据不一致：“%s”的累计值从 %s 的 %s（1—%d月）减少到 %s 的 %s（1—%d月）",
                    ci->name, s->m.file[before], num_text(a, &s->m.cum[before]), before,
                    s->m.file[m], num_text(a, &s->m.cum[m]), m);
            }
            before = m;
        }
        /* 本期 equal to 上月累计: last month's figure left in place */
        if (N >= 2 && !ci->unchanged && ci->value.set && s->m.cum[N - 1].set &&
            num_eq(&ci->value, &s->m.cum[N - 1])) {
            hu_loc l = num_loc(&ci->value, cur->file);
            const char *from = s->m.file[N - 1] && strcmp(s->m.file[N - 1], cur->file) != 0
                                   ? s->m.file[N - 1]
                                   : "本文件的 last_month";
            hu_diag_add(d, sev, l.file, l.line, l.col, cur->figures_file ? NULL : ci->path,
                        "“%s”的本期数 %s 与上月累计（%s，%s）相同：是否忘了更新？确实没有变化"
                        "时%s",
                        ci->name, num_text(a, &ci->value),
                        N - 1 == 1 ? "1月" : hu_arena_printf(a, "1—%d月", N - 1), from,
                        cur->figures_file ? "在“本月无变化”列填“是”" : "加一行 unchanged: true");
        }
    }
    if (!prev) return;
    /* paragraphs, lists and highlights word for word as last month */
    pieces pp = {0}, pl = {0}, ph = {0}, cp = {0}, cl = {0}, ch = {0};
    collect(a, prev->sections, prev->nsections, &pp, &pl, &ph);
    collect(a, cur->sections, cur->nsections, &cp, &cl, &ch);
    for (size_t i = 0; i < cp.n; i++) {
        const piece *o = piece_find(&pp, cp.v[i].key);
        if (o)
            hu_diag_add(d, sev, cp.v[i].loc.file, cp.v[i].loc.line, cp.v[i].loc.col, cp.v[i].path,
                        "这段文字与上月（%s）的一字不差：是否忘了更新？", where_text(a, &o->loc));
    }
    for (size_t i = 0; i < cl.n; i++) {
        const piece *o = piece_find(&pl, cl.v[i].key);
        if (o)
            hu_diag_add(d, sev, cl.v[i].loc.file, cl.v[i].loc.line, cl.v[i].loc.col, cl.v[i].path,
                        "列举的各项与上月（%s）的完全相同：是否忘了更新？", where_text(a, &o->loc));
    }
    for (size_t i = 0; i < ch.n; i++) {
        const piece *o = piece_find(&ph, ch.v[i].key);
        if (o)
            hu_diag_add(d, sev, ch.v[i].loc.file, ch.v[i].loc.line, ch.v[i].loc.col, ch.v[i].path,
                        "亮点与上月（%s）的相同：亮点应是本月的新进展，请更新或删去",
                        where_text(a, &o->loc));
    }
}

const hu_months *hu_history_months(const hu_history *h, const char *name) {
    if (!h || !name) return NULL;
    for (size_t i = 0; i < h->nseries; i++)
        if (h->series[i].name && strcmp(h->series[i].name, name) == 0) return &h->series[i].m;
    return NULL;
}
