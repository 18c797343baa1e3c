/* value.c - the generic tree and its YAML/JSON loader.
 *
 * We drive libfyaml's event parser instead of its document API because events carry a start
 * mark for every node (the document API of 0.7 has none for collections), and because we want
 * our own duplicate-key message that names both places. */
#include "value.h"

#include "alloc.h"
#include "fileio.h"

#include <errno.h>
#include <iconv.h>
#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "paste.h"
#include "syntaxhint.h"
#include "utf8.h"

/* ---------------------------------------------------------------- construction */

static hu_value *vnew(hu_arena *a, hu_vkind k) {
    hu_value *v = hu_arena_alloc(a, sizeof *v);
    v->kind = k;
    return v;
}

hu_value *hu_v_null(hu_arena *a) {
    return vnew(a, HU_V_NULL);
}

hu_value *hu_v_bool(hu_arena *a, bool b) {
    hu_value *v = vnew(a, HU_V_BOOL);
    v->b = b;
    v->str = b ? "true" : "false";
    v->len = strlen(v->str);
    return v;
}

hu_value *hu_v_num_text(hu_arena *a, double x, const char *text) {
    hu_value *v = vnew(a, HU_V_NUM);
    if (x == 0) x = 0; /* never carry -0.0 into any output */
    v->num = x;
    if (text) {
        v->str = hu_arena_strdup(a, text);
    } else {
        /* shortest text that reads back as the same double */
        /* shortest text that reads back as the same double; integers never in exponent
         * form (%g would print 10 as "1e+01") */
        char tmp[64];
        if (x == (double)(long long)x && x > -1e15 && x < 1e15) {
            snprintf(tmp, sizeof tmp, "%lld", (long long)x);
        } else {
            for (int prec = 1; prec <= 17; prec++) {
                snprintf(tmp, sizeof tmp, "%.*g", prec, x);
                if (strtod(tmp, NULL) == x) break;
            }
        }
        v->str = hu_arena_strdup(a, tmp);
    }
    v->len = strlen(v->str);
    return v;
}

hu_value *hu_v_num(hu_arena *a, double x) {
    return hu_v_num_text(a, x, NULL);
}

hu_value *hu_v_strn(hu_arena *a, const char *s, size_t n) {
    hu_value *v = vnew(a, HU_V_STR);
    v->str = hu_arena_strndup(a, s, n);
    v->len = n;
    return v;
}

hu_value *hu_v_str(hu_arena *a, const char *s) {
    return s ? hu_v_strn(a, s, strlen(s)) : hu_v_null(a);
}

hu_value *hu_v_list(hu_arena *a) {
    return vnew(a, HU_V_LIST);
}
hu_value *hu_v_map(hu_arena *a) {
    return vnew(a, HU_V_MAP);
}

hu_value *hu_v_map_sized(hu_arena *a, size_t cap) {
    hu_value *m = hu_v_map(a);
    if (cap) {
        m->items = hu_arena_alloc(a, cap * sizeof *m->items);
        m->keys = hu_arena_alloc(a, cap * sizeof *m->keys);
        m->cap = cap;
    }
    return m;
}

static void reserve(hu_arena *a, hu_value *c, bool keys) {
    if (c->n < c->cap) return;
    size_t cap = c->cap ? c->cap * 2 : 8;
    c->items = hu_arena_grow(a, c->items, c->n, cap, sizeof *c->items);
    if (keys) c->keys = hu_arena_grow(a, c->keys, c->n, cap, sizeof *c->keys);
    c->cap = cap;
}

void hu_v_push(hu_arena *a, hu_value *list, hu_value *item) {
    reserve(a, list, false);
    list->items[list->n++] = item;
}

void hu_v_set(hu_arena *a, hu_value *map, const char *key, hu_value *val) {
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0) {
            map->items[i] = val;
            return;
        }
    reserve(a, map, true);
    map->keys[map->n] = hu_arena_strdup(a, key);
    map->items[map->n++] = val;
}

void hu_v_set_lit(hu_arena *a, hu_value *map, const char *key, hu_value *val) {
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0) {
            map->items[i] = val;
            return;
        }
    reserve(a, map, true);
    map->keys[map->n] = key;
    map->items[map->n++] = val;
}

hu_value *hu_v_const_bool(bool b) {
    static hu_value t = {.kind = HU_V_BOOL, .b = true, .str = "true", .len = 4};
    static hu_value f = {.kind = HU_V_BOOL, .b = false, .str = "false", .len = 5};
    return b ? &t : &f;
}

hu_value *hu_v_const_null(void) {
    static hu_value n = {.kind = HU_V_NULL};
    return &n;
}

hu_value *hu_v_get(const hu_value *map, const char *key) {
    if (!map || map->kind != HU_V_MAP) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0) return map->items[i];
    return NULL;
}

void hu_v_set_str(hu_arena *a, hu_value *m, const char *k, const char *s) {
    hu_v_set(a, m, k, hu_v_str(a, s));
}
void hu_v_set_num(hu_arena *a, hu_value *m, const char *k, double x) {
    hu_v_set(a, m, k, hu_v_num(a, x));
}
void hu_v_set_bool(hu_arena *a, hu_value *m, const char *k, bool b) {
    hu_v_set(a, m, k, hu_v_bool(a, b));
}

bool hu_v_truthy(const hu_value *v) {
    if (!v) return false;
    switch (v->kind) {
    case HU_V_NULL:
        return false;
    case HU_V_BOOL:
        return v->b;
    case HU_V_LIST:
        return v->n > 0;
    default:
        return true;
    }
}

const char *hu_v_kind_name(hu_vkind k) {
    switch (k) {
    case HU_V_NULL:
        return "空值";
    case HU_V_BOOL:
        return "布尔值";
    case HU_V_NUM:
        return "数字";
    case HU_V_STR:
        return "文本";
    case HU_V_LIST:
        return "列表";
    case HU_V_MAP:
        return "映射";
    }
    return "?";
}

/* ---------------------------------------------------------------- encodings */

static void line_col_at(const char *s, size_t off, int *line, int *col) {
    int l = 1, c = 1;
    for (size_t i = 0; i < off;) {
        if (s[i] == '\n') {
            l++, c = 1, i++;
            continue;
        }
        uint32_t cp;
        i += hu_utf8_decode(s + i, off - i, &cp);
        c++;
    }
    *line = l;
    *col = c;
}

char *hu_gb18030_to_utf8(const char *s, size_t n, size_t *outn) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return NULL;
    size_t cap = n * 2 + 16, left = cap, inleft = n;
    char *out = hu_xmalloc(cap + 1), *op = out;
    char *ip = (char *)s;
    size_t r = iconv(cd, &ip, &inleft, &op, &left);
    iconv_close(cd);
    if (r == (size_t)-1 || inleft) {
        free(out);
        return NULL;
    }
    *outn = cap - left;
    out[*outn] = 0;
    return out;
}

/* ---------------------------------------------------------------- scalars */

static bool match_num(const char *s, size_t n, bool json, double *out, bool *nonfinite) {
    *nonfinite = false;
    if (n == 0 || n > 400) return false;
    char tmp[401];
    memcpy(tmp, s, n);
    tmp[n] = 0;
    if (!json) {
        const char *p = tmp + (tmp[0] == '+' || tmp[0] == '-');
        if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF")) {
            *out = tmp[0] == '-' ? -INFINITY : INFINITY;
            *nonfinite = true;
            return true;
        }
        if (!strcmp(tmp, ".nan") || !strcmp(tmp, ".NaN") || !strcmp(tmp, ".NAN")) {
            *out = NAN;
            *nonfinite = true;
            return true;
        }
        if (tmp[0] == '0' && (tmp[1] == 'x' || tmp[1] == 'o') && tmp[2]) {
            char *end;
            errno = 0;
            unsigned long long u = strtoull(tmp + 2, &end, tmp[1] == 'x' ? 16 : 8);
            if (*end) return false;
            *out = (double)u;
            return true;
        }
    }
    /* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? ; JSON: no '+', no bare '.' */
    const char *p = tmp;
    if (*p == '-' || (!json && *p == '+')) p++;
    const char *digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    size_t intdigits = (size_t)(p - digits);
    size_t fracdigits = 0;
    if (*p == '.') {
        p++;
        const char *f = p;
        while (*p >= '0' && *p <= '9')
            p++;
        fracdigits = (size_t)(p - f);
        if (json && (intdigits == 0 || fracdigits == 0)) return false;
    }
    if (intdigits + fracdigits == 0) return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        const char *e = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == e) return false;
    }
    if (*p) return false;
    errno = 0;
    double x = strtod(tmp, NULL);
    if (!isfinite(x)) *nonfinite = true;
    *out = x;
    return true;
}

/* ---------------------------------------------------------------- loader */

typedef struct frame {
    hu_value *node;
    const char *pending_key; /* maps: key waiting for its value */
    int key_line, key_col;
    bool dup_reported; /* a duplicate key was explained; its followers are the same mistake */
    size_t weight;     /* expanded size so far (see node_weight) */
    long anchor;       /* index of the node's own anchor, -1 when it has none */
} frame;

typedef struct anchor {
    const char *name;
    hu_value *v;
    size_t weight; /* the node's expanded size, once it is complete */
    bool open;     /* a collection still being read: an alias to it would be a cycle */
} anchor;

/* Aliases are shared, never copied, so memory stays bounded; but every stage after loading
 * walks the tree, and a shared node is walked once per reference. The loader therefore
 * refuses aliases that refer to a node containing themselves (a cycle: `a: &x [*x]`), caps
 * their number, and caps what they add to the expanded size of the document ("billion laughs":
 * ten aliases of ten aliases of … of one string). Ordinary use — a unit or note written once
 * and referenced a few times — stays far below both caps. */
#define HU_MAX_ALIASES 1000
#define HU_MAX_ALIAS_EXPANSION (1u << 20) /* weight units, about bytes */

/* A node's weight: what a walk over the expanded tree visits, in about bytes. */
static size_t node_weight(const hu_value *v) {
    return 16 + (v->kind == HU_V_STR || v->kind == HU_V_NUM ? v->len : 0);
}

typedef struct loader {
    hu_arena *a;
    hu_diags *d;
    const char *file;
    bool json;
    const char *text; /* the source as parsed, for explaining mistakes */
    size_t len;
    int odd_indents;         /* keys indented with full-width spaces, past the ones reported */
    size_t last_end;         /* where the last event with a position ended */
    int last_line, last_col; /* the same place as line and column */
    int pastes, comments;    /* notices of each kind so far (MAX_REPEATS are shown) */
    frame stack[HU_MAX_DEPTH + 1];
    int depth;
    hu_value *root;
    int ndocs;
    anchor *anchors;
    size_t nanchors, capanchors;
    long *ahash; /* open addressing over anchor names: index into anchors, -1 empty */
    size_t nhash;
    size_t naliases, expansion;
    bool stop; /* a limit was hit: stop reading (the file is refused anyway) */
} loader;

static void mark_of(struct fy_event *e, int *line, int *col) {
    const struct fy_mark *m = fy_event_start_mark(e);
    *line = m ? m->line + 1 : 0;
    *col = m ? m->column + 1 : 0;
}

static const char *tok_text(hu_arena *a, struct fy_token *t, size_t *len) {
    size_t n = 0;
    const char *s = t ? fy_token_get_text(t, &n) : NULL;
    if (!s) s = "", n = 0;
    if (len) *len = n;
    return hu_arena_strndup(a, s, n);
}

static size_t name_hash(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void hash_put(loader *L, size_t idx) {
    size_t mask = L->nhash - 1, i = name_hash(L->anchors[idx].name) & mask;
    while (L->ahash[i] >= 0 && strcmp(L->anchors[L->ahash[i]].name, L->anchors[idx].name) != 0)
        i = (i + 1) & mask;
    L->ahash[i] = (long)idx; /* a later anchor of the same name replaces the earlier (YAML) */
}

static long find_anchor(const loader *L, const char *name) {
    if (!L->nhash) return -1;
    size_t mask = L->nhash - 1, i = name_hash(name) & mask;
    for (; L->ahash[i] >= 0; i = (i + 1) & mask)
        if (!strcmp(L->anchors[L->ahash[i]].name, name)) return L->ahash[i];
    return -1;
}

/* Returns the anchor's index, -1 when t is NULL. */
static long add_anchor(loader *L, struct fy_token *t, hu_value *v, bool open) {
    if (!t) return -1;
    HU_ARENA_GROW(L->a, L->anchors, L->nanchors, L->capanchors);
    size_t idx = L->nanchors++;
    L->anchors[idx] = (anchor){tok_text(L->a, t, NULL), v, node_weight(v), open};
    if (2 * L->nanchors > L->nhash) { /* keep the table at most half full */
        size_t n = L->nhash ? L->nhash * 2 : 64;
        L->ahash = hu_arena_alloc(L->a, n * sizeof *L->ahash);
        for (size_t i = 0; i < n; i++)
            L->ahash[i] = -1;
        L->nhash = n;
        for (size_t i = 0; i + 1 < L->nanchors; i++)
            hash_put(L, i);
    }
    hash_put(L, idx);
    return (long)idx;
}

/* Maps up to this size check duplicate keys as they are read (see attach). */
#define SMALL_MAP 32

/* Attach a finished node to its parent (or make it the root). */
static void attach(loader *L, hu_value *v, size_t weight) {
    if (L->depth == 0) {
        L->root = v;
        return;
    }
    frame *f = &L->stack[L->depth - 1];
    f->weight += weight;
    if (f->node->kind == HU_V_LIST) {
        hu_v_push(L->a, f->node, v);
        return;
    }
    if (!f->pending_key) {
        /* this node is a key */
        if (v->kind != HU_V_STR && v->kind != HU_V_NUM && v->kind != HU_V_BOOL) {
            hu_error(L->d, L->file, v->line, v->col, NULL, "映射的键必须是简单文本，这里是%s",
                     hu_v_kind_name(v->kind));
            f->pending_key = "";
        } else {
            f->pending_key = v->str;
        }
        f->key_line = v->line;
        f->key_col = v->col;
        return;
    }
    const char *key = f->pending_key;
    f->pending_key = NULL;
    /* small maps are checked here; large ones once, sorted, when they end (check_keys):
     * a scan per key is quadratic, and 100,000 keys took half a minute */
    for (size_t i = 0; f->node->n < SMALL_MAP && i < f->node->n; i++)
        if (strcmp(f->node->keys[i], key) == 0) {
            if (f->dup_reported) return;
            /* The same key again at the column of the item's first key, in a list item: the
             * commonest cause is a new item written without its "- " (the keys that follow
             * repeat too, so one message says it for all of them). */
            bool item = L->depth >= 2 && L->stack[L->depth - 2].node->kind == HU_V_LIST;
            if (item && f->key_col == f->node->col) {
                hu_error(L->d, L->file, f->key_line, f->key_col, NULL,
                         "“%s”在这一项中已经写过（第 %d 行）：如果从这一行起是列表的新一项，请在行"
                         "首写“- ”，与第 %d 行的“- ”对齐（字段名仍与上一项的字段对齐）；如果确实"
                         "写了两遍，请删除或合并其中一个",
                         key, f->node->items[i]->line, f->node->line);
                f->dup_reported = true;
            } else {
                hu_error(L->d, L->file, f->key_line, f->key_col, key,
                         "键重复：第 %d 行已有同名的键，请删除或合并其中一个",
                         f->node->items[i]->line);
            }
            return;
        }
    hu_value *m = f->node;
    reserve(L->a, m, true);
    m->keys[m->n] = key;
    m->items[m->n++] = v;
}

#define MAX_REPEATS 10

/* Text pasted from Word or a web page: indents of full-width spaces, no-break spaces and
 * zero-width characters are cleaned (paste.h), with a notice at the first of them. */
static void paste_clean(loader *L, struct fy_event *e, hu_value *v) {
    size_t n;
    hu_paste_counts c;
    char *t = hu_paste_clean(L->a, v->str, v->len, &n, &c);
    if (!t) return;
    v->str = t;
    v->len = n;
    int line = v->line, col = v->col;
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    if (L->text && sm && em && em->input_pos > sm->input_pos && em->input_pos <= L->len) {
        size_t off = hu_paste_find(L->text + sm->input_pos, em->input_pos - sm->input_pos);
        if (off != (size_t)-1)
            hu_syntax_line_col_near(L->text, L->len, sm->input_pos, sm->line + 1,
                                    sm->input_pos + off, &line, &col);
    }
    /* a whole document pasted: the first few places, then a count (errors must not be
     * crowded out of the messages shown) */
    if (++L->pastes > MAX_REPEATS) return;
    char what[512];
    hu_paste_describe(&c, what, sizeof what);
    hu_diag_add(L->d, HU_NOTE, L->file, line, col, NULL,
                "文字中有从 Word 或网页粘贴带入的格式字符：%s", what);
}

static void comment_warn(loader *L, const hu_synhint *h) {
    if (++L->comments <= MAX_REPEATS) hu_warn(L->d, L->file, h->line, h->col, NULL, "%s", h->msg);
}

typedef struct key_ix {
    const char *key;
    size_t i;
} key_ix;

static int cmp_key_ix(const void *a, const void *b) {
    const key_ix *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static void check_keys(loader *L, const frame *f) {
    const hu_value *m = f->node;
    if (m->n < SMALL_MAP) return;
    key_ix *ix = hu_xmalloc(m->n * sizeof *ix);
    for (size_t i = 0; i < m->n; i++)
        ix[i] = (key_ix){m->keys[i], i};
    qsort(ix, m->n, sizeof *ix, cmp_key_ix);
    for (size_t i = 1; i < m->n; i++)
        if (!strcmp(ix[i].key, ix[i - 1].key)) {
            const hu_value *first = m->items[ix[i - 1].i], *dup = m->items[ix[i].i];
            hu_error(L->d, L->file, dup->line, dup->col, ix[i].key,
                     "键重复：第 %d 行已有同名的键，请删除或合并其中一个", first->line);
        }
    free(ix);
}

/* The field path of the value being read ("indicators[2].value"), for messages about a value
 * found while loading; NULL at the top. */
static const char *field_path(loader *L) {
    hu_buf b = HU_BUF_INIT;
    for (int i = 0; i < L->depth && i <= HU_MAX_DEPTH - 1; i++) {
        const frame *f = &L->stack[i];
        if (f->node->kind == HU_V_LIST)
            hu_buf_printf(&b, "[%zu]", (size_t)f->node->n);
        else if (f->pending_key)
            hu_buf_printf(&b, "%s%s", b.len ? "." : "", f->pending_key);
    }
    const char *p = b.len ? hu_arena_strdup(L->a, b.data) : NULL;
    hu_buf_free(&b);
    return p;
}

static hu_value *scalar(loader *L, struct fy_event *e, bool clean) {
    size_t n;
    struct fy_token *t = e->scalar.value;
    const char *s = tok_text(L->a, t, &n);
    enum fy_scalar_style st = t ? fy_token_scalar_style(t) : FYSS_PLAIN;
    int line, col;
    mark_of(e, &line, &col);
    if (!line) /* an empty value has no mark: the "- " or "key:" before it */
        line = L->last_line, col = L->last_col;
    hu_value *v;
    bool plain = st == FYSS_PLAIN;
    double x;
    bool nonfinite;
    if (plain && (n == 0 || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
                  !strcmp(s, "NULL"))) {
        v = hu_v_null(L->a);
    } else if (plain && (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))) {
        v = hu_v_bool(L->a, true);
    } else if (plain && (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))) {
        v = hu_v_bool(L->a, false);
    } else if (plain && match_num(s, n, L->json, &x, &nonfinite)) {
        if (nonfinite) {
            hu_error(L->d, L->file, line, col, field_path(L),
                     "数值 %s 不是有限数（不支持 NaN、无穷大或超出范围的数）", s);
        }
        v = hu_v_num_text(L->a, nonfinite ? 0 : x, s);
    } else {
        v = vnew(L->a, HU_V_STR);
        v->str = s;
        v->len = n;
        v->quoted = !plain;
    }
    v->line = line;
    v->col = col;
    if (v->kind == HU_V_STR && clean) paste_clean(L, e, v);
    add_anchor(L, e->scalar.anchor, v, false);
    return v;
}

/* One mistake can reach us twice (the scalar check and the parser's error): say it once. */
static void error_once(loader *L, const hu_synhint *h) {
    for (size_t i = L->d->n; i-- > 0 && i + 8 >= L->d->n;) {
        const hu_diag *g = &L->d->v[i];
        if (g->line == h->line && g->col == h->col && !strcmp(g->msg, h->msg)) return;
    }
    hu_error(L->d, L->file, h->line, h->col, NULL, "%s", h->msg);
}

/* An error in Chinese about the text at line:col (see syntaxhint.h). */
static void explain(loader *L, int line, int col, const char *fymsg) {
    if (L->d->errors > 200) { /* past what is shown: count, do not read the text again */
        hu_error(L->d, L->file, line, col, NULL, "YAML 格式错误");
        return;
    }
    hu_synhint h;
    hu_syntax_explain(L->text, L->len, L->json, line, col, fymsg, &h);
    error_once(L, &h);
}

static bool ascii(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

/* Mistakes YAML reads without complaint, seen in the source of one scalar: a tag or a Chinese
 * anchor name (text that started with ! or &), a key indented with full-width spaces, Word
 * bullets, and a "#1" that became a comment. */
static bool check_source(loader *L, struct fy_event *e, bool key) {
    if (L->json) return false;
    struct fy_token *tag = e->scalar.tag, *anchor = e->scalar.anchor;
    if (tag || anchor) {
        const struct fy_mark *m = fy_token_start_mark(tag ? tag : anchor);
        size_t n = 0;
        const char *name = anchor ? fy_token_get_text(anchor, &n) : NULL;
        if (tag || !name || !ascii(name, n)) {
            if (m) explain(L, m->line + 1, m->column + 1, tag ? "invalid tag" : "invalid anchor");
            return true;
        }
    }
    struct fy_token *t = e->scalar.value;
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    hu_synhint h;
    if (!sm || !em) {
        /* an empty value has no marks: "- #1 号楼" left the item empty; look right after the
         * "- " or ": " that came before it */
        size_t q = L->last_end;
        while (q < L->len && (L->text[q] == '-' || L->text[q] == ':'))
            q++;
        if (hu_syntax_check_comment(L->text, L->len, q, L->last_line, &h)) comment_warn(L, &h);
        return false;
    }
    if (t && fy_token_scalar_style(t) != FYSS_PLAIN) return false;
    bool bad =
        hu_syntax_check_plain(L->text, L->len, sm->input_pos, em->input_pos, sm->line + 1, key, &h);
    if (bad) {
        if (key && L->depth) L->stack[L->depth - 1].dup_reported = true;
        /* a whole file pasted with full-width indents: three lines say it, a count the rest */
        if (!(key && strstr(h.msg, "缩进里有") && ++L->odd_indents > 3)) error_once(L, &h);
    }
    if (hu_syntax_check_comment(L->text, L->len, em->input_pos, em->line + 1, &h))
        comment_warn(L, &h);
    return bad;
}

static void set_last(loader *L, const struct fy_mark *m) {
    L->last_end = m->input_pos;
    L->last_line = m->line + 1;
    L->last_col = m->column + 1;
}

static void handle(loader *L, struct fy_event *e) {
    int line, col;
    const struct fy_mark *em = fy_event_end_mark(e);
    if (em && e->type != FYET_SCALAR) set_last(L, em);
    switch (e->type) {
    case FYET_DOCUMENT_START:
        L->ndocs++;
        if (L->ndocs == 2) {
            mark_of(e, &line, &col);
            hu_error(L->d, L->file, line, col, NULL, "一个文件只能有一个文档（发现多余的 ---）");
        }
        break;
    case FYET_SCALAR:
        /* inside a part nested too deep (already reported) nothing is attached: the frame
         * stack ends at HU_MAX_DEPTH */
        if (L->ndocs <= 1 && L->depth <= HU_MAX_DEPTH) {
            frame *f = L->depth ? &L->stack[L->depth - 1] : NULL;
            bool key = f && f->node->kind == HU_V_MAP && !f->pending_key;
            /* a key indented with full-width spaces is an error, not a paste to clean */
            bool bad = check_source(L, e, key);
            hu_value *v = scalar(L, e, !bad);
            attach(L, v, node_weight(v));
            if (em) set_last(L, em);
        }
        break;
    case FYET_ALIAS: {
        if (L->depth > HU_MAX_DEPTH) break;
        mark_of(e, &line, &col);
        const char *name = tok_text(L->a, e->alias.anchor, NULL);
        long ai = find_anchor(L, name);
        hu_value *target = ai >= 0 ? L->anchors[ai].v : NULL;
        size_t weight = ai >= 0 ? L->anchors[ai].weight : 0;
        if (!target) {
            /* "- *重点*加强…": text, not a reference */
            explain(L, line, col, "unexpected alias");
            target = hu_v_null(L->a);
        } else if (L->anchors[ai].open) {
            hu_error(L->d, L->file, line, col, NULL,
                     "别名 *%s 引用了包含它自己的内容（循环引用），无法展开；请删除这个别名", name);
            L->stop = true;
            break;
        } else if (++L->naliases > HU_MAX_ALIASES) {
            hu_error(L->d, L->file, line, col, NULL, "YAML 别名（*名称）超过 %d 个，请直接写出内容",
                     HU_MAX_ALIASES);
            L->stop = true;
            break;
        } else if ((L->expansion += weight) > HU_MAX_ALIAS_EXPANSION) {
            hu_error(L->d, L->file, line, col, NULL,
                     "别名 *%s 等展开后的内容超过 %u "
                     "MB（别名层层嵌套引用会成倍放大内容），请直接写出内容",
                     name, HU_MAX_ALIAS_EXPANSION >> 20);
            L->stop = true;
            break;
        }
        /* shared, not copied */
        if (L->ndocs <= 1) attach(L, target, weight);
        break;
    }
    case FYET_SEQUENCE_START:
    case FYET_MAPPING_START: {
        mark_of(e, &line, &col);
        bool map = e->type == FYET_MAPPING_START;
        hu_value *v = map ? hu_v_map(L->a) : hu_v_list(L->a);
        v->line = line;
        v->col = col;
        if (L->depth >= HU_MAX_DEPTH) {
            /* refused at once: reading on would let libfyaml and the tree grow with the rest
             * of a file that is rejected anyway */
            hu_error(L->d, L->file, line, col, NULL, "嵌套层次超过 %d 层", HU_MAX_DEPTH);
            L->stop = true;
            break;
        }
        long ai = add_anchor(L, map ? e->mapping_start.anchor : e->sequence_start.anchor, v, true);
        L->stack[L->depth++] = (frame){v, NULL, 0, 0, false, node_weight(v), ai};
        break;
    }
    case FYET_SEQUENCE_END:
    case FYET_MAPPING_END: {
        if (L->depth == 0) break;
        frame *f = &L->stack[--L->depth];
        if (e->type == FYET_MAPPING_END) check_keys(L, f);
        if (f->anchor >= 0) {
            L->anchors[f->anchor].open = false;
            L->anchors[f->anchor].weight = f->weight;
        }
        if (L->ndocs <= 1) attach(L, f->node, f->weight);
        break;
    }
    default:
        break;
    }
}

/* libfyaml's errors, collected rather than printed: printing shows the offending token's
 * source line, and that code in libfyaml 0.7/0.8 reads out of bounds or crashes on some
 * inputs (fuzzing finding F7: a 1 KB file with a bad alias in a long flow mapping made
 * `huibao check` die with SIGSEGV; upstream pantoniou/libfyaml#108, #189, #223). Collected
 * errors carry line, column and message, which is all we show. */
static void collect_fy_errors(loader *L, struct fy_diag *diag) {
    bool any = false;
    void *it = NULL;
    struct fy_diag_error *e;
    char last[1024] = "";
    while ((e = fy_diag_errors_iterate(diag, &it)) != NULL) {
        if (e->type < FYET_ERROR) continue;
        hu_synhint h;
        hu_syntax_explain(L->text, L->len, L->json, e->line > 0 ? e->line : 0,
                          e->column > 0 ? e->column : 0, e->msg ? e->msg : "", &h);
        any = true;
        if (!strcmp(last, h.msg)) continue; /* one mistake, reported twice by the parser */
        snprintf(last, sizeof last, "%s", h.msg);
        error_once(L, &h);
    }
    if (!any) hu_error(L->d, L->file, 0, 0, NULL, "%s格式错误", L->json ? "JSON " : "YAML ");
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Where flow collections ([ or {) nest deeper than HU_MAX_DEPTH, or (size_t)-1.
 *
 * libfyaml's scanner keeps state for every open flow level and reads ahead before it hands
 * out the first event inside them: 20 MB of "[" took 7 GB and two minutes before the
 * loader's own depth check ever ran. This pass finds such nesting in the bytes first. It
 * counts a bracket only where YAML lets a node start (line start, after "- ", ": ", "[", "{"
 * or "," in a flow), skips quoted scalars and comments, so "见[1" in plain text is not
 * counted; being a pre-check, a miss only means libfyaml sees the file. */
static size_t flow_too_deep(const char *s, size_t n) {
    int depth = 0;
    bool start = true;
    for (size_t i = 0; i < n; i++) {
        char c = s[i], next = i + 1 < n ? s[i + 1] : '\n';
        bool sep = next == ' ' || next == '\t' || next == '\n' || next == '\r';
        if (c == '\n') {
            start = true;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            continue;
        } else if (c == '#' &&
                   (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n')) {
            while (i + 1 < n && s[i + 1] != '\n')
                i++;
        } else if (start && (c == '"' || c == '\'')) {
            for (i++; i < n; i++) {
                if (c == '"' && s[i] == '\\' && i + 1 < n)
                    i++;
                else if (s[i] == c && !(c == '\'' && i + 1 < n && s[i + 1] == '\''))
                    break;
                else if (s[i] == c)
                    i++; /* '' inside a single-quoted scalar */
            }
            start = false;
        } else if (start && (c == '[' || c == '{')) {
            if (++depth > HU_MAX_DEPTH) return i;
        } else if (depth > 0 && (c == ']' || c == '}')) {
            depth--;
            start = false;
        } else if (depth > 0 && c == ',') {
            start = true;
        } else if ((c == '-' || c == '?') && start && sep) {
            start = true;
        } else if (c == ':' && (sep || (depth > 0 && strchr(",[]{}", next)))) {
            start = true;
        } else {
            start = false;
        }
    }
    return (size_t)-1;
}

/* Whether text may hold a YAML explicit key: a '?' at the start of a line, after "- " or an
 * opening/separating flow mark, followed by a blank or the end. Over-approximates (a question
 * mark in plain text after a blank counts too): it only decides whether libfyaml's parser is
 * destroyed after a stream error (see its use). */
static bool may_have_explicit_key(const char *text, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '?') continue;
        char prev = i ? text[i - 1] : '\n', next = i + 1 < len ? text[i + 1] : '\n';
        bool before = prev == '\n' || prev == ' ' || prev == '\t' || prev == '-' || prev == '{' ||
                      prev == '[' || prev == ',';
        bool after = next == ' ' || next == '\t' || next == '\r' || next == '\n';
        if (before && after) return true;
    }
    return false;
}

hu_value *hu_value_load_string(hu_arena *a, const char *text, size_t len, const char *display,
                               bool json, hu_diags *d) {
    const char *file = display ? display : "<输入>";
    size_t before = d->errors;
    char *converted = NULL;
    const unsigned char *u = (const unsigned char *)text;

    if (len >= 4 && ((u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF) ||
                     (u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0))) {
        hu_error(d, file, 0, 0, NULL, "文件是 UTF-32 编码，请在编辑器中另存为 UTF-8 编码");
        return NULL;
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        hu_error(d, file, 0, 0, NULL,
                 "文件是 UTF-16 编码（Windows 记事本的“Unicode”），请另存为 UTF-8 编码");
        return NULL;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) text += 3, len -= 3;
    const char *nul = memchr(text, 0, len);
    if (nul) {
        size_t off = (size_t)(nul - text);
        /* ASCII text with every other byte NUL is UTF-16 without a BOM */
        if (len >= 4 && (text[0] == 0 || text[1] == 0) && (text[2] == 0 || text[3] == 0)) {
            hu_error(d, file, 0, 0, NULL, "文件看起来是 UTF-16 编码，请另存为 UTF-8 编码");
        } else {
            int line, col;
            line_col_at(text, off, &line, &col);
            hu_error(d, file, line, col, NULL, "文件含有 NUL 字节（二进制数据？），不是文本文件");
        }
        return NULL;
    }
    size_t bad = hu_utf8_validate(text, len);
    if (bad != (size_t)-1) {
        size_t cn;
        converted = hu_gb18030_to_utf8(text, len, &cn);
        if (converted) {
            hu_diag_add(d, HU_NOTE, file, 0, 0, NULL,
                        "文件不是 UTF-8 编码，已按 GB18030（GBK）编码读取；建议另存为 UTF-8");
            text = converted;
            len = cn;
        } else {
            int line, col;
            line_col_at(text, bad, &line, &col);
            hu_error(d, file, line, col, NULL,
                     "文件含有无效的 UTF-8 字节 0x%02X，也不是 GB18030/GBK 编码；请另存为 UTF-8",
                     (unsigned char)text[bad]);
            return NULL;
        }
    }
    size_t k = 0;
    while (k < len && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' || text[k] == '\n'))
        k++;
    if (k == len) {
        hu_error(d, file, 0, 0, NULL, "文件为空");
        free(converted);
        return NULL;
    }

    size_t deep = flow_too_deep(text, len);
    if (deep != (size_t)-1) {
        int line, col;
        line_col_at(text, deep, &line, &col);
        hu_error(d, file, line, col, NULL, "嵌套层次超过 %d 层", HU_MAX_DEPTH);
        free(converted);
        return NULL;
    }

    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.level = FYET_ERROR;
    dcfg.colorize = false;
    dcfg.show_source = false;
    struct fy_diag *diag = fy_diag_create(&dcfg);
    if (diag) fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg cfg = {.flags = FYPCF_ALLOW_DUPLICATE_KEYS |
                                        (json ? FYPCF_JSON_FORCE : FYPCF_JSON_NONE),
                               .diag = diag};
    struct fy_parser *fyp = fy_parser_create(&cfg);
    loader L = {.a = a, .d = d, .file = file, .json = json, .text = text, .len = len};
    if (!fyp || fy_parser_set_string(fyp, text, len) != 0) {
        hu_error(d, file, 0, 0, NULL, "无法创建解析器");
    } else {
        struct fy_event *e;
        while (!L.stop && (e = fy_parser_parse(fyp)) != NULL) {
            handle(&L, e);
            fy_parser_event_free(fyp, e);
        }
        if (!L.stop && fy_parser_get_stream_error(fyp)) collect_fy_errors(&L, diag);
        if (L.odd_indents > 3)
            hu_error(d, file, 0, 0, NULL, "另有 %d 行的缩进里也有全角空格或其他特殊空格",
                     L.odd_indents - 3);
        if (L.comments > MAX_REPEATS)
            hu_warn(d, file, 0, 0, NULL, "另有 %d 处文字后面的“ #”被当作注释忽略了",
                    L.comments - MAX_REPEATS);
        if (L.pastes > MAX_REPEATS)
            hu_diag_add(d, HU_NOTE, file, 0, 0, NULL,
                        "另有 %d 段文字中的 Word 或网页格式字符已清理", L.pastes - MAX_REPEATS);
    }
    /* libfyaml 0.7.12 (Debian 12) frees an indentation record twice in fy_parser_destroy after
     * a stream error inside an explicit key ("? o:<TAB>:" is enough; found by fuzz_input,
     * regressions/fuzz_input/libfyaml-complex-key-destroy-crash.yaml): the process would die
     * with SIGSEGV. That parser is left undestroyed (its memory is lost until exit, a few KB
     * a file; tests/fuzz/lsan.supp already names libfyaml's leaks). */
    bool fy_poisoned = fyp && fy_parser_get_stream_error(fyp) && may_have_explicit_key(text, len);
    if (fyp && !fy_poisoned) fy_parser_destroy(fyp);
    fy_diag_destroy(diag);
    free(converted);
    if (d->errors > before) return NULL;
    if (!L.root || L.root->kind == HU_V_NULL) {
        hu_error(d, file, 0, 0, NULL, "文件没有内容");
        return NULL;
    }
    return L.root;
}

hu_value *hu_value_load_file(hu_arena *a, const char *path, const char *display, hu_diags *d) {
    const char *file = display ? display : path;
    hu_buf b = HU_BUF_INIT;
    if (!hu_file_read(path, file, "输入文件", HU_MAX_INPUT_BYTES, &b, d)) {
        hu_buf_free(&b);
        return NULL;
    }
    hu_value *v =
        hu_value_load_string(a, b.data ? b.data : "", b.len, file, ends_with(path, ".json"), d);
    hu_buf_free(&b);
    return v;
}
