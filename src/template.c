/* template.c - finding a template and its chain (template.h). */
#include "template.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "fileio.h"
#include "paths.h"
#include "strlist.h"
#include "textclean.h"
#include "view.h"

#define TPL_FILE "report.md.mustache"
/* Templates extending templates: deeper than this is a loop in all but name. */
#define MAX_CHAIN 8

static bool is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *hu_template_origin_name(hu_tpl_origin o) {
    switch (o) {
    case HU_TPL_FOLDER:
        return "指定的文件夹";
    case HU_TPL_ENV:
        return "HUIBAO_DATA_DIR";
    case HU_TPL_USER:
        return "个人模板";
    case HU_TPL_SYSTEM:
        return "本机系统模板";
    default:
        return "内置模板";
    }
}

/* ---------------------------------------------------------------- the search folders */

typedef struct place {
    char *dir;
    char *real;
    hu_tpl_origin origin;
} place;

static void add_place(place *v, size_t *n, size_t max, char *dir, hu_tpl_origin origin) {
    if (!dir) return;
    char *real = hu_mustache_realpath(dir);
    if (!real || !is_dir(real) || *n >= max) {
        free(real);
        free(dir);
        return;
    }
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(v[i].real, real)) {
            /* one folder reached twice (the package's /usr/share is also in XDG_DATA_DIRS):
             * keep its first place, call it what it is */
            if (origin == HU_TPL_BUILTIN) v[i].origin = origin;
            free(real);
            free(dir);
            return;
        }
    v[*n].dir = dir;
    v[*n].real = real;
    v[*n].origin = origin;
    (*n)++;
}

static char *join2(const char *a, const char *b) {
    hu_buf p = HU_BUF_INIT;
    size_t n = strlen(a);
    hu_buf_printf(&p, "%s%s%s", a, n && a[n - 1] == '/' ? "" : "/", b);
    return hu_buf_detach(&p);
}

#define MAX_PLACES 16

static size_t places(place *v) {
    size_t n = 0;
    const char *env = getenv("HUIBAO_DATA_DIR");
    if (env && *env) add_place(v, &n, MAX_PLACES, join2(env, "templates"), HU_TPL_ENV);
    const char *xdh = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (xdh && *xdh == '/')
        add_place(v, &n, MAX_PLACES, join2(xdh, "huibao/templates"), HU_TPL_USER);
    else if (home && *home)
        add_place(v, &n, MAX_PLACES, join2(home, ".local/share/huibao/templates"), HU_TPL_USER);
    const char *xdd = getenv("XDG_DATA_DIRS");
    if (!xdd || !*xdd) xdd = "/usr/local/share:/usr/share";
    for (const char *p = xdd; *p;) {
        size_t k = strcspn(p, ":");
        if (k && p[0] == '/') { /* relative entries are ignored, as the XDG spec says */
            char *base = hu_strndup(p, k);
            add_place(v, &n, MAX_PLACES, join2(base, "huibao/templates"), HU_TPL_SYSTEM);
            free(base);
        }
        p += k + (p[k] == ':');
    }
    add_place(v, &n, MAX_PLACES, hu_builtin_dir("templates"), HU_TPL_BUILTIN);
    return n;
}

static void free_places(place *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(v[i].dir), free(v[i].real);
}

size_t hu_template_search_dirs(hu_arena *a, const char ***dirs, hu_tpl_origin **origins) {
    place v[MAX_PLACES];
    size_t n = places(v);
    *dirs = hu_arena_alloc(a, (n + 1) * sizeof **dirs);
    if (origins) *origins = hu_arena_alloc(a, (n + 1) * sizeof **origins);
    for (size_t i = 0; i < n; i++) {
        (*dirs)[i] = hu_arena_strdup(a, v[i].dir);
        if (origins) (*origins)[i] = v[i].origin;
    }
    free_places(v, n);
    return n;
}

/* ---------------------------------------------------------------- the parent tag */

/* The NAME of a `{{<NAME}}` that opens the template text (after blanks and comments), or
 * NULL. A template that changes its delimiters first names no parent this way. */
static char *opening_parent(hu_arena *a, const char *s) {
    if (!strncmp(s, "\xEF\xBB\xBF", 3)) s += 3;
    for (;;) {
        s += strspn(s, " \t\r\n");
        if (!strncmp(s, "{{!", 3)) {
            const char *e = strstr(s, "}}");
            if (!e) return NULL;
            s = e + 2;
            continue;
        }
        break;
    }
    if (strncmp(s, "{{<", 3)) return NULL;
    s += 3;
    const char *e = strstr(s, "}}");
    if (!e) return NULL;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (s == e || *s == '*') return NULL;
    return hu_arena_strndup(a, s, (size_t)(e - s));
}

/* ---------------------------------------------------------------- finding */

static bool name_like(const char *spec) {
    return !strchr(spec, '/') && spec[0] != '.';
}

typedef struct finder {
    hu_arena *a;
    place v[MAX_PLACES];
    size_t n;
    hu_diags *d;
    const hu_tpl_ask *ask;
} finder;

/* The templates that exist (for did-you-mean and the not-found message). */
static void known_names(finder *f, hu_strlist *out) {
    for (size_t i = 0; i < f->n; i++) {
        DIR *dp = opendir(f->v[i].dir);
        if (!dp) continue;
        struct dirent *e;
        while ((e = readdir(dp))) {
            if (e->d_name[0] == '.' || !strcmp(e->d_name, "partials")) continue;
            char *p = hu_arena_printf(f->a, "%s/%s/" TPL_FILE, f->v[i].dir, e->d_name);
            if (hu_file_is_regular(p)) hu_strlist_add(out, e->d_name);
        }
        closedir(dp);
    }
}

static void err(finder *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void err(finder *f, const char *fmt, ...) {
    const hu_tpl_ask *k = f->ask;
    va_list ap;
    va_start(ap, fmt);
    char msg[4096];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hu_diag_add(f->d, HU_ERROR, k->file, k->file ? k->line : 0, k->file ? k->col : 0,
                k->file ? "template" : NULL, "%s", msg);
}

static void not_found(finder *f, const char *name) {
    hu_buf where = HU_BUF_INIT;
    for (size_t i = 0; i < f->n; i++)
        hu_buf_printf(&where, "%s%s（%s）", i ? "、" : "", f->v[i].dir,
                      hu_template_origin_name(f->v[i].origin));
    if (!f->n) hu_buf_puts(&where, "（没有任何模板文件夹）");
    hu_strlist names = {0};
    known_names(f, &names);
    const char **list = hu_arena_alloc(f->a, (names.n + 1) * sizeof *list);
    hu_buf all = HU_BUF_INIT;
    for (size_t i = 0; i < names.n; i++) {
        list[i] = hu_arena_strdup(f->a, names.v[i]);
        hu_buf_printf(&all, "%s%s", i ? "、" : "", names.v[i]);
    }
    const char *near = hu_text_nearest(name, list);
    hu_buf hint = HU_BUF_INIT;
    if (near) hu_buf_printf(&hint, "是否应为“%s”？", near);
    if (names.n) hu_buf_printf(&hint, "现有的模板：%s。", hu_buf_cstr(&all));
    hu_buf_puts(&hint, "自己的模板文件夹可用路径指定，如 -t ./我的模板（见 docs/templates.md）");
    err(f, "找不到模板“%s”（在这些文件夹中查找了：%s）；%s", name, hu_buf_cstr(&where),
        hu_buf_cstr(&hint));
    hu_buf_free(&where);
    hu_buf_free(&all);
    hu_buf_free(&hint);
    hu_strlist_free(&names);
}

/* Look NAME up from search place `from` on; fills dir/file/level. */
static bool lookup_name(finder *f, const char *name, size_t from, hu_template *t, bool report) {
    for (size_t i = from; i < f->n; i++) {
        char *dir = hu_arena_printf(f->a, "%s/%s", f->v[i].dir, name);
        if (!is_dir(dir)) continue;
        char *file = hu_arena_printf(f->a, "%s/" TPL_FILE, dir);
        if (!hu_file_is_regular(file)) {
            if (report)
                err(f,
                    "模板文件夹 %s 里没有 " TPL_FILE "：请补上模板文件，或删去这个文件夹（模板“%s”"
                    "按查找顺序只用第一个找到的同名文件夹）",
                    dir, name);
            return false;
        }
        if (!hu_path_inside(file, dir)) {
            if (report) err(f, "模板文件 %s 指向模板文件夹之外（符号链接），不予读取", file);
            return false;
        }
        t->dir = dir;
        t->file = file;
        t->origin = f->v[i].origin;
        t->level = (int)i;
        return true;
    }
    if (report) not_found(f, name);
    return false;
}

static bool lookup_path(finder *f, const char *spec, hu_template *t) {
    const char *base = f->ask->base_dir;
    char *p = spec[0] == '/' || !base ? hu_arena_strdup(f->a, spec)
                                      : hu_arena_printf(f->a, "%s/%s", base, spec);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = 0;
    if (hu_file_is_regular(p)) {
        t->file = p;
        t->dir = hu_path_dir(f->a, p);
        if (!t->dir) t->dir = ".";
    } else if (is_dir(p)) {
        t->dir = p;
        t->file = hu_arena_printf(f->a, "%s/" TPL_FILE, p);
        if (!hu_file_is_regular(t->file)) {
            err(f, "模板文件夹 %s 里没有 " TPL_FILE, p);
            return false;
        }
    } else {
        err(f, "找不到模板文件夹 %s%s", p,
            f->ask->file ? "（template 字段里的相对路径从输入文件所在的文件夹算起）" : "");
        return false;
    }
    t->origin = HU_TPL_FOLDER;
    t->level = -1;
    return true;
}

static const hu_template *find(finder *f, const char *spec, const hu_template *child, int depth);

/* The parent named by t's opening {{<NAME}}, when NAME is a template. */
static bool chain_parent(finder *f, hu_template *t, int depth) {
    hu_buf src = HU_BUF_INIT;
    hu_diags quiet = HU_DIAGS_INIT; /* a file that cannot be read is reported by the render */
    bool ok = hu_file_read(t->file, NULL, "模板文件", 1 << 20, &src, &quiet);
    hu_diags_free(&quiet);
    char *name = ok ? opening_parent(f->a, hu_buf_cstr(&src)) : NULL;
    hu_buf_free(&src);
    if (!name || !name_like(name) || !strcmp(name, "partials")) return true;
    const hu_template *p = find(f, name, t, depth + 1);
    if (!p) return !hu_diags_failed(f->d);
    t->parent = p;
    t->parent_tag = name;
    return true;
}

static const hu_template *find(finder *f, const char *spec, const hu_template *child, int depth) {
    hu_template *t = hu_arena_alloc(f->a, sizeof *t);
    t->name = hu_arena_strdup(f->a, spec);
    if (depth > MAX_CHAIN) {
        err(f, "模板“%s”的继承超过 %d 层（是否互相继承？）", spec, MAX_CHAIN);
        return NULL;
    }
    if (child) {
        /* a parent: a template by that name, else it is an ordinary partial (NULL, no error);
         * the child's own name continues the search after the child's place */
        size_t from =
            child->level >= 0 && !strcmp(spec, child->name) ? (size_t)child->level + 1 : 0;
        if (!lookup_name(f, spec, from, t, false)) return NULL;
        char *rt = hu_mustache_realpath(t->dir);
        for (const hu_template *c = child; c && rt; c = c->parent) {
            char *rc = hu_mustache_realpath(c->dir);
            bool same = rc && !strcmp(rc, rt);
            free(rc);
            if (same) {
                free(rt);
                err(f, "模板 %s 继承了它自己（{{<%s}}）", child->file, spec);
                return NULL;
            }
        }
        free(rt);
    } else if (name_like(spec)) {
        if (!strcmp(spec, "partials") || !strcmp(spec, "..")) {
            err(f, "“%s”不是模板：partials 文件夹放的是共享的局部模板", spec);
            return NULL;
        }
        if (!lookup_name(f, spec, 0, t, true)) return NULL;
    } else if (!lookup_path(f, spec, t)) {
        return NULL;
    }
    if (!chain_parent(f, t, depth)) return NULL;
    return t;
}

/* Partial folders, styles and reference.docx of the chain. */
static void finish(finder *f, hu_template *t) {
    size_t depth = 0;
    for (const hu_template *c = t->parent; c; c = c->parent)
        depth++;
    t->partial_dirs = hu_arena_alloc(f->a, (depth + f->n + 1) * sizeof *t->partial_dirs);
    for (const hu_template *c = t->parent; c; c = c->parent)
        t->partial_dirs[t->npartial_dirs++] = c->dir;
    for (size_t i = 0; i < f->n; i++) {
        char *p = hu_arena_printf(f->a, "%s/partials", f->v[i].dir);
        if (is_dir(p)) t->partial_dirs[t->npartial_dirs++] = p;
    }
    const hu_template *chain[MAX_CHAIN + 2];
    size_t n = 0;
    for (const hu_template *c = t; c && n < MAX_CHAIN + 2; c = c->parent)
        chain[n++] = c;
    t->styles = hu_arena_alloc(f->a, (n + 1) * sizeof *t->styles);
    for (size_t i = n; i-- > 0;) {
        char *s = hu_arena_printf(f->a, "%s/style.yaml", chain[i]->dir);
        if (hu_file_is_regular(s)) t->styles[t->nstyles++] = s;
    }
    for (size_t i = 0; i < n && !t->reference_docx; i++) {
        char *r = hu_arena_printf(f->a, "%s/reference.docx", chain[i]->dir);
        if (hu_file_is_regular(r)) t->reference_docx = r;
    }
}

const hu_template *hu_template_find(hu_arena *a, const hu_tpl_ask *ask, hu_diags *d) {
    finder f = {a, {{0}}, 0, d, ask};
    f.n = places(f.v);
    const hu_template *t = NULL;
    if (!ask->spec || !*ask->spec)
        err(&f, "模板名为空");
    else
        t = find(&f, ask->spec, NULL, 0);
    if (t) finish(&f, (hu_template *)t);
    free_places(f.v, f.n);
    return t;
}

/* ---------------------------------------------------------------- rendering */

static const char *resolve(void *ud, const char *from, const char *name) {
    for (const hu_template *c = ud; c; c = c->parent)
        if (c->parent && !strcmp(from, c->file) && !strcmp(name, c->parent_tag))
            return c->parent->file;
    return NULL;
}

void hu_template_mustache(const hu_template *t, hu_mustache_opts *o, hu_mustache_resolver *res) {
    o->partial_dirs = t->partial_dirs;
    o->npartial_dirs = t->npartial_dirs;
    res->resolve = resolve;
    res->ud = (void *)t;
}

bool hu_template_lint(const hu_template *t, bool strict, hu_diags *d) {
    hu_arena a;
    hu_arena_init(&a);
    hu_value *schema = hu_view_schema(&a);
    hu_mustache_opts o = {HU_ESC_MARKDOWN, NULL, 0, true, NULL, NULL, NULL, NULL, NULL};
    hu_mustache_resolver res;
    hu_template_mustache(t, &o, &res);
    bool ok = hu_mustache_lint_file(t->file, schema, &o, &res, strict, d);
    hu_arena_free(&a);
    return ok;
}
