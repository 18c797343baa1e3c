/* mustache.c - Mustache engine over hu_value (see mustache.h).
 *
 * Parsing works in passes over one flat item array, each linear:
 *   1. scan: text (split after every newline, so each text item is at most one line) and tags,
 *      honouring set-delimiter tags; positions tracked with a monotonic cursor;
 *   2. match: every opener learns the index of its closing tag (explicit stack, no recursion);
 *   3. standalone lines: a line holding only whitespace and one non-output tag (or only
 *      parent/block tags, as ~inheritance allows) loses its whitespace and newline;
 *   4. compact: removed items, comments and delimiter tags dropped, indices remapped;
 *   5. blocks: the body of a standalone block is dedented where it is written and re-indented
 *      where it is expanded (spec "Block reindentation").
 * Rendering walks the token array with a heap stack for sections; only partials, parents and
 * overridden blocks recurse, and their depth is bounded. */
#include "mustache.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "fileio.h"
#include "strlist.h"
#include "textclean.h"
#include "utf8.h"

enum {
    K_TEXT,
    K_VAR,      /* {{x}} escaped */
    K_RAW,      /* {{{x}}} / {{&x}} */
    K_SECTION,  /* {{#x}} */
    K_INVERTED, /* {{^x}} */
    K_CLOSE,    /* {{/x}} */
    K_PARTIAL,  /* {{>x}} */
    K_PARENT,   /* {{<x}} */
    K_BLOCK,    /* {{$x}} */
    K_COMMENT,  /* {{!x}} */
    K_DELIM,    /* {{=a b=}} */
    K_STRUCT,   /* {{@x}}: a structural block, reported out of band (hu_mustache_opts) */
};

typedef struct tok {
    unsigned char kind;
    bool dynamic;    /* {{>*name}} */
    bool standalone; /* its line was removed (or, for a block, it owns its line) */
    bool keep_nl;    /* "{{$b}}{{/b}}" alone on a line: standalone but the newline stays */
    bool removed;    /* scan-time only */
    bool bol;        /* starts a line of output (after standalone lines were removed) */
    bool nl;         /* text ending with '\n' */
    int line, col;
    const char *s; /* text, or the tag name (trimmed, without '*') */
    size_t n;
    const char *raw; /* tag content as written after the sigil (for matching closes) */
    size_t rawn;
    const char *ind; /* standalone: whitespace before the tag on its line */
    size_t indn;
    const char *site; /* standalone block: the indentation its content gets when expanded */
    size_t siten;
    const char **parts; /* dotted name split; nparts 0 means "." */
    size_t nparts;
    size_t end;     /* openers: index of the matching close */
    size_t *blocks; /* parents: indices of the blocks directly inside */
    size_t nblocks;
    bool linted; /* lint: already reported */
} tok;

typedef struct tpl {
    const char *name; /* file path or partial name, for messages */
    const char *src;
    size_t len;
    tok *t;
    size_t n;
} tpl;

/* One loaded partial/parent by name; t == NULL means known to be missing. */
typedef struct cache_ent {
    const char *name;
    tpl *t;
    bool reported;
} cache_ent;

typedef struct ov {
    const tpl *t;
    const tok *parent;
    const struct ov *next;
} ov;

typedef struct frame {
    unsigned char kind;
    size_t open;
    const hu_value *list;
    size_t idx;
    size_t nctx, nmaps, nindent;
    size_t start; /* K_STRUCT: where its output began */
} frame;

typedef struct R {
    hu_escape esc;
    bool strict;
    hu_arena a;
    hu_diags *d;
    hu_buf *out;
    /* partial sources: a spec map, or folders */
    const hu_value *pmap;
    char **dirs;     /* folders as given (paths are built from these) */
    char **realdirs; /* their real paths, for the escape check */
    size_t ndirs;
    void (*on_file)(void *, const char *);
    void *ud;
    const char *const *block_names;
    void (*on_block)(void *, const char *, size_t, size_t, size_t);
    void *block_ud;
    cache_ent *cache;
    size_t ncache, capcache;
    tpl **tpls; /* everything parsed, freed at the end */
    size_t ntpls, captpls;
    const hu_value **ctx;
    size_t nctx, capctx;
    /* The map frames of ctx, top last: a name is looked up only in maps, so deep stacks of
     * scalars (nested boolean sections) cost nothing per lookup. */
    const hu_value **maps;
    size_t nmaps, capmaps;
    frame *fr;
    size_t nfr, capfr;
    hu_buf indent;
    bool pending; /* output is at a template line start: write the indent before more output */
    bool abort;   /* a fatal render error (depth): unwind */
    unsigned long long work; /* tags and texts rendered so far (HU_MUSTACHE_MAX_WORK) */
    int errors;
    const hu_mustache_resolver *resolver; /* may be NULL */
    /* lint (hu_mustache_lint_file): every branch is visited, names the context lacks are
     * reported; the output is thrown away */
    bool lint, lint_strict;
    const char **known;   /* every key of the schema, for did-you-mean (NULL-terminated) */
    const char **defined; /* block names the rendered templates define */
    size_t ndefined, capdefined;
    struct lint_ov {
        const tpl *t;
        const tok *k;
    } * overrides; /* blocks a child overrides */
    size_t noverrides, capoverrides;
    const tpl **active; /* partials and parents being rendered (lint: no recursion) */
    size_t nactive, capactive;
} R;

/* ---------------------------------------------------------------- parsing */

typedef struct cursor {
    const char *src;
    size_t pos;
    int line, col;
} cursor;

/* Advance to byte offset p, counting lines and code points (columns are in characters). */
static void cur_to(cursor *c, size_t p) {
    for (; c->pos < p; c->pos++) {
        unsigned char ch = (unsigned char)c->src[c->pos];
        if (ch == '\n') {
            c->line++;
            c->col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c->col++;
        }
    }
}

static bool is_ws(char c) {
    return c == ' ' || c == '\t';
}
static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *find(const char *s, size_t from, size_t len, const char *pat, size_t m) {
    if (m == 0 || m > len) return NULL;
    const char *p = s + from, *end = s + len - m + 1;
    while (p < end) {
        p = memchr(p, pat[0], (size_t)(end - p));
        if (!p) return NULL;
        if (memcmp(p, pat, m) == 0) return p;
        p++;
    }
    return NULL;
}

typedef struct P {
    R *r;
    tpl *t;
    tok *it;
    size_t n, cap;
    bool failed;
} P;

static tok *push_item(P *p) {
    HU_GROW(p->it, p->n, p->cap);
    tok *k = &p->it[p->n++];
    memset(k, 0, sizeof *k);
    return k;
}

static void perr_at(P *p, int line, int col, const char *msg, const char *name, size_t n) {
    if (name)
        hu_error(p->r->d, p->t->name, line, col, NULL, "%s：%.*s", msg, (int)n, name);
    else
        hu_error(p->r->d, p->t->name, line, col, NULL, "%s", msg);
    p->failed = true;
}

static void add_text(P *p, const char *s, size_t n, cursor *c) {
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : n;
        tok *k = push_item(p);
        k->kind = K_TEXT;
        k->s = s + i;
        k->n = e - i;
        k->nl = nl != NULL;
        cur_to(c, (size_t)(s + i - c->src));
        k->line = c->line;
        k->col = c->col;
        i = e;
    }
}

static void trim(const char **s, size_t *n) {
    while (*n && is_space(**s))
        (*s)++, (*n)--;
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

static void split_name(P *p, tok *k) {
    if (k->n == 1 && k->s[0] == '.') return; /* implicit iterator */
    size_t parts = 1;
    for (size_t i = 0; i < k->n; i++)
        parts += k->s[i] == '.';
    k->parts = hu_arena_alloc(&p->r->a, parts * sizeof *k->parts);
    size_t b = 0;
    for (size_t i = 0; i <= k->n; i++) {
        if (i == k->n || k->s[i] == '.') {
            k->parts[k->nparts++] = hu_arena_strndup(&p->r->a, k->s + b, i - b);
            b = i + 1;
        }
    }
}

/* Pass 1. */
static void scan(P *p) {
    const char *s = p->t->src;
    size_t len = p->t->len;
    char otag[16] = "{{", ctag[16] = "}}";
    size_t on = 2, cn = 2;
    cursor c = {s, 0, 1, 1};
    size_t pos = 0;
    while (pos < len) {
        const char *o = find(s, pos, len, otag, on);
        if (!o) {
            add_text(p, s + pos, len - pos, &c);
            break;
        }
        size_t ts = (size_t)(o - s);
        add_text(p, s + pos, ts - pos, &c);
        cur_to(&c, ts);
        int line = c.line, col = c.col;
        size_t cs = ts + on;
        bool triple = cs < len && s[cs] == '{';
        char close[20];
        size_t closen = cn;
        if (triple) {
            close[0] = '}';
            memcpy(close + 1, ctag, cn);
            closen = cn + 1;
        } else {
            memcpy(close, ctag, cn);
        }
        const char *e = find(s, cs, len, close, closen);
        if (!e) {
            perr_at(p, line, col, "标签没有结束分隔符", ctag, cn);
            return;
        }
        const char *body = s + cs;
        size_t bn = (size_t)(e - body);
        pos = (size_t)(e - s) + closen;
        tok *k = push_item(p);
        k->line = line;
        k->col = col;
        char sig = bn ? body[0] : 0;
        switch (triple ? '{' : sig) {
        case '{':
            k->kind = K_RAW;
            break;
        case '&':
            k->kind = K_RAW;
            break;
        case '#':
            k->kind = K_SECTION;
            break;
        case '^':
            k->kind = K_INVERTED;
            break;
        case '/':
            k->kind = K_CLOSE;
            break;
        case '>':
            k->kind = K_PARTIAL;
            break;
        case '<':
            k->kind = K_PARENT;
            break;
        case '$':
            k->kind = K_BLOCK;
            break;
        case '!':
            k->kind = K_COMMENT;
            break;
        case '=':
            k->kind = K_DELIM;
            break;
        case '@':
            k->kind = K_STRUCT;
            break;
        default:
            k->kind = K_VAR;
            break;
        }
        if (k->kind != K_VAR && !triple) body++, bn--;
        if (triple) body++, bn--;
        if (k->kind == K_COMMENT) continue;
        if (k->kind == K_DELIM) {
            /* {{=<% %>=}}: two whitespace-free delimiters, neither containing '=' */
            if (!bn || body[bn - 1] != '=') {
                perr_at(p, line, col, "分隔符设置标签应以“=”结尾", NULL, 0);
                return;
            }
            bn--;
            trim(&body, &bn);
            size_t i = 0;
            while (i < bn && !is_space(body[i]))
                i++;
            size_t a1 = i;
            while (i < bn && is_space(body[i]))
                i++;
            const char *b2 = body + i;
            size_t b2n = bn - i;
            bool ok = a1 > 0 && b2n > 0 && a1 < sizeof otag && b2n < sizeof ctag &&
                      !memchr(body, '=', a1) && !memchr(b2, '=', b2n);
            for (size_t j = 0; ok && j < b2n; j++)
                ok = !is_space(b2[j]);
            if (!ok) {
                perr_at(p, line, col, "分隔符设置无效（应为两个不含空白和“=”的分隔符）", NULL, 0);
                return;
            }
            memcpy(otag, body, a1);
            on = a1;
            memcpy(ctag, b2, b2n);
            cn = b2n;
            continue;
        }
        trim(&body, &bn);
        k->raw = body;
        k->rawn = bn;
        if ((k->kind == K_PARTIAL || k->kind == K_PARENT) && bn && body[0] == '*') {
            k->dynamic = true;
            body++, bn--;
            trim(&body, &bn);
        }
        k->s = body;
        k->n = bn;
        if (bn == 0) {
            perr_at(p, line, col, "标签名为空", NULL, 0);
            return;
        }
        if (k->kind == K_VAR || k->kind == K_RAW || k->kind == K_SECTION || k->kind == K_INVERTED ||
            k->dynamic)
            split_name(p, k);
    }
}

static bool is_opener(int kind) {
    return kind == K_SECTION || kind == K_INVERTED || kind == K_PARENT || kind == K_BLOCK ||
           kind == K_STRUCT;
}

static const char *opener_sigil(int kind) {
    switch (kind) {
    case K_SECTION:
        return "#";
    case K_INVERTED:
        return "^";
    case K_PARENT:
        return "<";
    case K_STRUCT:
        return "@";
    default:
        return "$";
    }
}

/* Pass 2. */
static void match(P *p) {
    size_t *st = NULL, sn = 0, scap = 0;
    for (size_t i = 0; i < p->n && !p->failed; i++) {
        tok *k = &p->it[i];
        if (is_opener(k->kind)) {
            HU_GROW(st, sn, scap);
            st[sn++] = i;
        } else if (k->kind == K_CLOSE) {
            if (!sn) {
                hu_error(p->r->d, p->t->name, k->line, k->col, NULL,
                         "结束标签 {{/%.*s}} 没有对应的开始标签", (int)k->rawn, k->raw);
                p->failed = true;
                break;
            }
            tok *o = &p->it[st[sn - 1]];
            if (o->rawn != k->rawn || memcmp(o->raw, k->raw, k->rawn) != 0) {
                hu_error(p->r->d, p->t->name, k->line, k->col, NULL,
                         "结束标签 {{/%.*s}} 与第 %d 行第 %d 列的开始标签 {{%s%.*s}} 不匹配",
                         (int)k->rawn, k->raw, o->line, o->col, opener_sigil(o->kind), (int)o->rawn,
                         o->raw);
                p->failed = true;
                break;
            }
            o->end = i;
            k->end = st[sn - 1]; /* a close points back at its opener until compaction */
            sn--;
        }
    }
    if (!p->failed && sn) {
        tok *o = &p->it[st[sn - 1]];
        hu_error(p->r->d, p->t->name, o->line, o->col, NULL, "{{%s%.*s}} 没有结束标签 {{/%.*s}}",
                 opener_sigil(o->kind), (int)o->rawn, o->raw, (int)o->rawn, o->raw);
        p->failed = true;
    }
    free(st);
}

static bool ws_text(const tok *k) {
    size_t n = k->n;
    if (k->nl) {
        n--;
        if (n && k->s[n - 1] == '\r') n--;
    }
    for (size_t i = 0; i < n; i++)
        if (!is_ws(k->s[i])) return false;
    return true;
}

static bool silent_tag(int kind) {
    return kind != K_TEXT && kind != K_VAR && kind != K_RAW;
}

static int close_of(const P *p, const tok *k) {
    return p->it[k->end].kind;
}

static bool inherit_tag(const P *p, const tok *k) {
    if (k->kind == K_PARENT || k->kind == K_BLOCK) return true;
    if (k->kind == K_CLOSE) {
        int o = close_of(p, k);
        return o == K_PARENT || o == K_BLOCK;
    }
    return false;
}

/* Pass 3: standalone lines. */
static void standalone(P *p) {
    size_t i = 0;
    while (i < p->n) {
        size_t b = i, e = i; /* line = items [b, e] */
        while (e < p->n && !(p->it[e].kind == K_TEXT && p->it[e].nl))
            e++;
        if (e == p->n) e--;
        i = e + 1;
        size_t ntags = 0, first = SIZE_MAX, last = 0;
        bool ok = true;
        for (size_t j = b; j <= e && ok; j++) {
            tok *k = &p->it[j];
            if (k->kind == K_TEXT) {
                ok = ws_text(k);
            } else {
                ok = silent_tag(k->kind);
                ntags++;
                if (first == SIZE_MAX) first = j;
                last = j;
            }
        }
        if (!ok || ntags == 0) continue;
        bool keep_nl = false;
        if (ntags > 1) {
            /* "{{@blank}}{{/blank}}": an empty structural block owns its line */
            bool pair = ntags == 2 && p->it[first].kind == K_STRUCT && p->it[first].end == last;
            for (size_t j = b; j <= e && ok && !pair; j++)
                if (p->it[j].kind != K_TEXT) ok = inherit_tag(p, &p->it[j]);
            if (!ok) continue;
            /* "  {{$b}}{{/b}}": an empty block that owns its line keeps the newline
             * (mustache/spec#131): its content is indented, the line break remains. */
            const tok *f = &p->it[first];
            keep_nl = ntags == 2 && f->kind == K_BLOCK && f->end == last;
        }
        tok *ft = &p->it[first];
        if (first > b) {
            ft->ind = p->it[b].s;
            ft->indn = p->it[b].n;
        }
        for (size_t j = b; j <= e; j++) {
            tok *k = &p->it[j];
            if (k->kind == K_TEXT) {
                if (keep_nl && k->nl && j > last) {
                    /* keep only the line break */
                    size_t nn = k->n > 1 && k->s[k->n - 2] == '\r' ? 2 : 1;
                    k->s += k->n - nn;
                    k->n = nn;
                } else {
                    k->removed = true;
                }
            } else {
                k->standalone = true;
                k->keep_nl = keep_nl;
            }
        }
    }
}

/* Pass 4: drop removed text, comments, delimiter changes; remap indices; collect blocks. */
static void compact(P *p) {
    size_t *map = hu_xmalloc((p->n ? p->n : 1) * sizeof *map);
    size_t m = 0;
    for (size_t i = 0; i < p->n; i++) {
        tok *k = &p->it[i];
        map[i] = m;
        if ((k->kind == K_TEXT && (k->removed || k->n == 0)) || k->kind == K_COMMENT ||
            k->kind == K_DELIM)
            continue;
        if (m != i) p->it[m] = *k;
        m++;
    }
    for (size_t i = 0; i < m; i++) {
        tok *k = &p->it[i];
        if (is_opener(k->kind) || k->kind == K_CLOSE) k->end = map[k->end];
    }
    free(map);
    p->n = m;
    /* line starts */
    for (size_t i = 0; i < m; i++) {
        tok *k = &p->it[i];
        if (i == 0) {
            k->bol = true;
            continue;
        }
        const tok *pv = &p->it[i - 1];
        k->bol = (pv->kind == K_TEXT && pv->nl) ||
                 (pv->kind != K_TEXT && pv->standalone && !pv->keep_nl);
    }
    for (size_t i = 0; i < m; i++) {
        tok *k = &p->it[i];
        if (k->kind != K_PARENT) continue;
        size_t cnt = 0;
        for (size_t j = i + 1; j < k->end; j = is_opener(p->it[j].kind) ? p->it[j].end + 1 : j + 1)
            cnt += p->it[j].kind == K_BLOCK;
        if (!cnt) continue;
        k->blocks = hu_arena_alloc(&p->r->a, cnt * sizeof *k->blocks);
        for (size_t j = i + 1; j < k->end; j = is_opener(p->it[j].kind) ? p->it[j].end + 1 : j + 1)
            if (p->it[j].kind == K_BLOCK) k->blocks[k->nblocks++] = j;
    }
}

/* The indentation of a line-starting token for the dedent computation; false when the line
 * does not count (whitespace-only text, a removed section line). */
static bool line_indent(const tok *k, const char **s, size_t *n) {
    if (k->kind == K_TEXT) {
        if (ws_text(k)) return false;
        size_t i = 0;
        while (i < k->n && is_ws(k->s[i]))
            i++;
        *s = k->s;
        *n = i;
        return true;
    }
    if (k->standalone && !k->keep_nl) {
        if (k->kind != K_PARTIAL && k->kind != K_PARENT && k->kind != K_BLOCK) return false;
        *s = k->ind ? k->ind : "";
        *n = k->indn;
        return true;
    }
    *s = "";
    *n = 0;
    return true;
}

/* Pass 5: blocks. Outer blocks come first in token order, so an inner block's dedent is
 * computed on text its outer block has already dedented. */
static void blocks(P *p) {
    for (size_t i = 0; i < p->n; i++) {
        tok *b = &p->it[i];
        if (b->kind != K_BLOCK) continue;
        /* A block also owns its line when it shares it with its parent's opening tag. */
        bool sa = b->standalone;
        if (!sa) continue;
        const char *d = NULL;
        size_t dn = 0;
        for (size_t j = i + 1; j < b->end; j++) {
            tok *k = &p->it[j];
            const char *s;
            size_t n;
            if (!k->bol || !line_indent(k, &s, &n)) continue;
            if (!d) {
                d = s;
                dn = n;
            } else {
                size_t c = 0;
                while (c < dn && c < n && d[c] == s[c])
                    c++;
                dn = c;
            }
            if (!dn) break;
        }
        if (dn) {
            for (size_t j = i + 1; j < b->end; j++) {
                tok *k = &p->it[j];
                if (!k->bol) continue;
                if (k->kind == K_TEXT) {
                    size_t c = 0;
                    while (c < dn && c < k->n && is_ws(k->s[c]))
                        c++;
                    k->s += c;
                    k->n -= c;
                } else if (k->standalone && k->ind) {
                    size_t c = k->indn < dn ? k->indn : dn;
                    k->ind += c;
                    k->indn -= c;
                }
            }
            b->site = d;
            b->siten = dn;
        } else {
            b->site = b->ind;
            b->siten = b->indn;
        }
    }
}

static void free_tpl(tpl *t) {
    if (t) free(t->t);
}

/* Parse src (kept alive by the caller / arena) into a template; NULL on error. */
static tpl *parse(R *r, const char *name, const char *src, size_t len) {
    tpl *t = hu_arena_alloc(&r->a, sizeof *t);
    t->name = name;
    t->src = src;
    t->len = len;
    HU_GROW(r->tpls, r->ntpls, r->captpls);
    r->tpls[r->ntpls++] = t;
    P p = {r, t, NULL, 0, 0, false};
    scan(&p);
    if (!p.failed) match(&p);
    if (!p.failed) {
        standalone(&p);
        compact(&p);
        blocks(&p);
    }
    t->t = p.it;
    t->n = p.n;
    if (p.failed) {
        r->errors++;
        return NULL;
    }
    return t;
}

/* ---------------------------------------------------------------- loading */

/* A process's memo of template files. A report's templates are read twice (the lint, then
 * the render), and a batch worker renders one report after another with the same ones: each
 * time every partial was looked up in every folder (realpath: a readlink per path component)
 * and its file read and checked again, 45 system calls a report for the built-in template's
 * 5 partials (issue 19). With the memo on (hu_mustache_memo; the command line turns it on for
 * one run), each path's real path and each file's text are found once per process: template
 * files are taken not to change while one run of huibao reads them, as report.c's batch memo
 * takes the template and its style. Only what was found without a message is kept: a file
 * that cannot be read, or is not UTF-8, is read and reported again by every run that needs
 * it. Entries are few (a template's files and folders), so a list searched in order. */
typedef struct memo_ent {
    char *path;
    char *real; /* realpath(path); NULL: it has none (when has_real) */
    bool has_real, has_text;
    char *text; /* the file's text without its byte order mark (when has_text) */
    size_t len;
} memo_ent;

static struct {
    bool on;
    memo_ent *v;
    size_t n, cap;
} memo;
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;

void hu_mustache_memo(bool on) {
    pthread_mutex_lock(&memo_lock);
    if (!on) {
        for (size_t i = 0; i < memo.n; i++) {
            free(memo.v[i].path);
            free(memo.v[i].real);
            free(memo.v[i].text);
        }
        free(memo.v);
        memo.v = NULL;
        memo.n = memo.cap = 0;
    }
    memo.on = on;
    pthread_mutex_unlock(&memo_lock);
}

/* path's entry, added when new; the lock is held */
static memo_ent *memo_get(const char *path) {
    for (size_t i = 0; i < memo.n; i++)
        if (!strcmp(memo.v[i].path, path)) return &memo.v[i];
    HU_GROW(memo.v, memo.n, memo.cap);
    memo_ent *e = &memo.v[memo.n++];
    memset(e, 0, sizeof *e);
    e->path = hu_strdup(path);
    return e;
}

/* path's real path in the memo (NULL: none); the lock is held. A path whose last part is
 * not a symbolic link is its folder's real path and that part: one lstat when the folder is
 * known (realpath reads every part of the path again, one readlink each). */
static const char *memo_real(const char *path) {
    memo_ent *e = memo_get(path);
    if (e->has_real) return e->real;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : NULL;
    char *real = NULL;
    struct stat st;
    if (!slash || slash == path || !*base || !strcmp(base, ".") || !strcmp(base, "..")) {
        real = realpath(path, NULL); /* no folder to build on */
    } else if (lstat(path, &st) != 0) {
        real = NULL; /* missing (realpath would fail as well) */
    } else if (S_ISLNK(st.st_mode)) {
        real = realpath(path, NULL);
    } else {
        char *dir = hu_strndup(path, (size_t)(slash - path));
        const char *rd = memo_real(dir); /* may move the list: e is found again below */
        if (rd) {
            size_t dl = strlen(rd), bl = strlen(base);
            if (dl == 1) dl = 0; /* the root: "/" and the name */
            real = hu_xmalloc(dl + 1 + bl + 1);
            memcpy(real, rd, dl);
            real[dl] = '/';
            memcpy(real + dl + 1, base, bl + 1);
        }
        free(dir);
    }
    e = memo_get(path);
    e->real = real;
    e->has_real = true;
    return real;
}

char *hu_mustache_realpath(const char *path) {
    pthread_mutex_lock(&memo_lock);
    if (!memo.on) {
        pthread_mutex_unlock(&memo_lock);
        return realpath(path, NULL);
    }
    const char *real = memo_real(path);
    char *rp = real ? hu_strdup(real) : NULL;
    pthread_mutex_unlock(&memo_lock);
    if (!rp) errno = ENOENT;
    return rp;
}

/* The text memoised for path: copied into r's arena, true; false when there is none. */
static bool memo_text(R *r, const char *path, char **out, size_t *outn) {
    bool found = false;
    pthread_mutex_lock(&memo_lock);
    if (memo.on) {
        memo_ent *e = memo_get(path);
        if (e->has_text) {
            *out = hu_arena_strndup(&r->a, e->text, e->len);
            *outn = e->len;
            found = true;
        }
    }
    pthread_mutex_unlock(&memo_lock);
    return found;
}

static void memo_keep_text(const char *path, const char *text, size_t n) {
    pthread_mutex_lock(&memo_lock);
    if (memo.on) {
        memo_ent *e = memo_get(path);
        if (!e->has_text) {
            e->text = hu_xmalloc(n + 1);
            memcpy(e->text, text, n);
            e->text[n] = 0;
            e->len = n;
            e->has_text = true;
        }
    }
    pthread_mutex_unlock(&memo_lock);
}

static bool read_all(R *r, const char *path, const char *display, char **out, size_t *outn) {
    if (memo_text(r, path, out, outn)) return true;
    hu_buf b = HU_BUF_INIT;
    bool ok = hu_file_read(path, display, "模板文件", HU_MAX_TEMPLATE_BYTES, &b, r->d);
    if (ok) {
        const char *s = b.data ? b.data : "";
        size_t bad = hu_utf8_validate(s, b.len);
        if (bad != (size_t)-1) {
            cursor c = {s, 0, 1, 1};
            cur_to(&c, bad);
            hu_error(r->d, display, c.line, c.col, NULL, "模板不是有效的 UTF-8 文本");
            ok = false;
        }
    }
    if (ok) {
        size_t off = b.len >= 3 && memcmp(b.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        *out = hu_arena_strndup(&r->a, b.data ? b.data + off : "", b.len - off);
        *outn = b.len - off;
        memo_keep_text(path, *out, *outn);
    }
    hu_buf_free(&b);
    return ok;
}

static tpl *load_file(R *r, const char *path) {
    char *src;
    size_t n;
    const char *name = hu_arena_strdup(&r->a, path);
    if (!read_all(r, path, name, &src, &n)) {
        r->errors++;
        return NULL;
    }
    if (r->on_file) r->on_file(r->ud, path);
    return parse(r, name, src, n);
}

/* A partial name may use '/' to reach a subfolder, but never leave the allowed folders. */
static bool name_ok(const char *s, size_t n) {
    if (n == 0 || s[0] == '/' || memchr(s, 0, n)) return false;
    size_t b = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '/') {
            if (i - b == 2 && s[b] == '.' && s[b + 1] == '.') return false;
            b = i + 1;
        }
    }
    return true;
}

/* Whether real path rp lies inside one of the allowed folders. */
static bool inside_allowed(R *r, const char *rp) {
    for (size_t i = 0; i < r->ndirs; i++) {
        const char *d = r->realdirs[i];
        if (!d) continue;
        size_t dl = strlen(d);
        if (strncmp(rp, d, dl) == 0 && (rp[dl] == '/' || (dl == 1 && d[0] == '/'))) return true;
    }
    return false;
}

/* A file the resolver named, loaded once (cached under "\x01" and its path). */
static tpl *get_resolved(R *r, const char *path) {
    char *key = hu_arena_printf(&r->a, "\x01%s", path);
    for (size_t i = 0; i < r->ncache; i++)
        if (strcmp(r->cache[i].name, key) == 0) return r->cache[i].t;
    HU_GROW(r->cache, r->ncache, r->capcache);
    cache_ent *c = &r->cache[r->ncache++];
    c->name = key;
    c->reported = true;
    c->t = NULL;
    c->t = load_file(r, path);
    return c->t;
}

/* Returns the template for name, NULL when missing or broken (errors reported here). */
static tpl *get_partial(R *r, const char *name, size_t n, const tpl *from, const tok *at) {
    if (r->resolver && r->resolver->resolve) {
        char *nm = hu_arena_strndup(&r->a, name, n);
        const char *path = r->resolver->resolve(r->resolver->ud, from->name, nm);
        if (path) return get_resolved(r, path);
    }
    for (size_t i = 0; i < r->ncache; i++)
        if (strlen(r->cache[i].name) == n && memcmp(r->cache[i].name, name, n) == 0) {
            cache_ent *c = &r->cache[i];
            if (!c->t && r->strict && !c->reported) {
                c->reported = true;
                hu_error(r->d, from->name, at->line, at->col, NULL, "找不到局部模板“%.*s”", (int)n,
                         name);
                r->errors++;
            }
            return c->t;
        }
    HU_GROW(r->cache, r->ncache, r->capcache);
    cache_ent *c = &r->cache[r->ncache++];
    c->name = hu_arena_strndup(&r->a, name, n);
    c->t = NULL;
    c->reported = false;
    if (r->pmap) {
        const hu_value *v = hu_v_get(r->pmap, c->name);
        if (v && v->kind == HU_V_STR) c->t = parse(r, c->name, v->str, v->len);
        if (c->t) return c->t;
        if (v) {
            c->reported = true;
            return NULL; /* parse errors were reported */
        }
    } else if (!name_ok(name, n)) {
        c->reported = true;
        hu_error(r->d, from->name, at->line, at->col, NULL,
                 "局部模板名“%.*s”无效：不能是绝对路径，也不能含“..”", (int)n, name);
        r->errors++;
        return NULL;
    } else {
        for (size_t i = 0; i < r->ndirs; i++) {
            char *path = hu_arena_printf(&r->a, "%s/%s.mustache", r->dirs[i], c->name);
            char *rp = hu_mustache_realpath(path);
            if (!rp) continue;
            bool inside = inside_allowed(r, rp);
            free(rp);
            c->reported = true;
            if (!inside) {
                hu_error(r->d, from->name, at->line, at->col, NULL,
                         "局部模板“%s”（%s）指向允许的模板文件夹之外", c->name, path);
                r->errors++;
                return NULL;
            }
            c->t = load_file(r, path);
            return c->t;
        }
    }
    if (r->strict && !c->reported) {
        c->reported = true;
        hu_error(r->d, from->name, at->line, at->col, NULL, "找不到局部模板“%s”", c->name);
        r->errors++;
    }
    return NULL;
}

/* ---------------------------------------------------------------- rendering */

static const hu_value *lookup_parts(R *r, const char *const *parts, size_t nparts) {
    if (nparts == 0) return r->nctx ? r->ctx[r->nctx - 1] : NULL;
    for (size_t j = r->nmaps; j-- > 0;) {
        const hu_value *v = r->maps[j];
        const hu_value *x = hu_v_get(v, parts[0]);
        if (!x) continue;
        for (size_t i = 1; i < nparts && x; i++)
            x = hu_v_get(x, parts[i]);
        return x;
    }
    return NULL;
}

static const hu_value *lookup(R *r, const tok *k) {
    return lookup_parts(r, (const char *const *)k->parts, k->nparts);
}

static void flush_indent(R *r) {
    if (r->pending) {
        if (r->indent.len) hu_buf_put(r->out, r->indent.data, r->indent.len);
        r->pending = false;
    }
}

/* Whether the output continues a Markdown line that has no content yet: only indentation
 * and container markers (> , - , 1. ) since the last newline. Looks back a bounded distance
 * so long single-line outputs stay linear. */
static bool md_line_start(const hu_buf *o) {
    size_t i = o->len, lim = o->len > 64 ? o->len - 64 : 0;
    while (i > lim && o->data[i - 1] != '\n')
        i--;
    if (i == 0 || o->data[i - 1] == '\n') {
        /* [i, len) is the line so far */
        size_t j = i;
        for (;;) {
            while (j < o->len && is_ws(o->data[j]))
                j++;
            if (j == o->len) return true;
            char c = o->data[j];
            size_t m = j;
            if (c == '>' || c == '-' || c == '+' || c == '*') {
                m = j + 1;
            } else if (c >= '0' && c <= '9') {
                while (m < o->len && o->data[m] >= '0' && o->data[m] <= '9')
                    m++;
                if (m < o->len && (o->data[m] == '.' || o->data[m] == ')'))
                    m++;
                else
                    return false;
            } else {
                return false;
            }
            if (c != '>' && (m == o->len || !is_ws(o->data[m]))) return false;
            j = m;
        }
    }
    return false;
}

static void interpolate(R *r, const hu_value *v, bool raw) {
    const char *s;
    size_t n;
    if (!v) return;
    switch (v->kind) {
    case HU_V_BOOL:
        s = v->b ? "true" : "false";
        n = strlen(s);
        break;
    case HU_V_NUM:
    case HU_V_STR:
        s = v->str ? v->str : "";
        n = v->str ? (v->kind == HU_V_STR ? v->len : strlen(v->str)) : 0;
        break;
    default:
        return;
    }
    if (!n) return;
    flush_indent(r);
    if (raw || r->esc == HU_ESC_NONE) {
        hu_buf_put(r->out, s, n);
        return;
    }
    hu_mustache_escape(r->out, s, n, r->esc, r->esc == HU_ESC_MARKDOWN && md_line_start(r->out));
}

static void push_ctx(R *r, const hu_value *v) {
    HU_GROW(r->ctx, r->nctx, r->capctx);
    r->ctx[r->nctx++] = v;
    if (v && v->kind == HU_V_MAP) {
        HU_GROW(r->maps, r->nmaps, r->capmaps);
        r->maps[r->nmaps++] = v;
    }
}

static void push_frame(R *r, int kind, size_t open, const hu_value *list) {
    HU_GROW(r->fr, r->nfr, r->capfr);
    frame *f = &r->fr[r->nfr++];
    f->kind = (unsigned char)kind;
    f->open = open;
    f->list = list;
    f->idx = 0;
    f->nctx = r->nctx;
    f->nmaps = r->nmaps;
    f->nindent = r->indent.len;
}

static void push_indent(R *r, const char *s, size_t n) {
    if (n) hu_buf_put(&r->indent, s, n);
}

static void depth_error(R *r, const tpl *t, const tok *k) {
    hu_error(r->d, t->name, k->line, k->col, NULL,
             "局部模板、父模板或块嵌套超过 %d 层（是否递归引用了自身？）", HU_MUSTACHE_MAX_DEPTH);
    r->errors++;
    r->abort = true;
}

/* Resolve a partial/parent tag's template (static or dynamic name). */
static tpl *tag_template(R *r, const tpl *t, const tok *k) {
    if (!k->dynamic) return get_partial(r, k->s, k->n, t, k);
    const hu_value *v = lookup_parts(r, (const char *const *)k->parts, k->nparts);
    if (!v || v->kind != HU_V_STR || !v->len) {
        if (r->strict) {
            hu_error(r->d, t->name, k->line, k->col, NULL, "动态局部模板名 %.*s 不是非空文本",
                     (int)k->n, k->s);
            r->errors++;
        }
        return NULL;
    }
    return get_partial(r, v->str, v->len, t, k);
}

/* Whether structural block k may open here: a reserved name, not inside another one. */
static bool struct_open(R *r, const tpl *t, const tok *k) {
    if (!r->on_block) return true; /* nobody asks for blocks: the content renders as it is */
    bool known = false;
    for (const char *const *n = r->block_names; n && *n && !known; n++)
        known = strlen(*n) == k->n && memcmp(*n, k->s, k->n) == 0;
    if (!known) {
        hu_buf names = HU_BUF_INIT;
        for (const char *const *n = r->block_names; n && *n; n++)
            hu_buf_printf(&names, "%s%s", names.len ? " " : "", *n);
        hu_error(r->d, t->name, k->line, k->col, NULL, "未知的结构块 {{@%.*s}}（可用的有：%s）",
                 (int)k->n, k->s, hu_buf_cstr(&names));
        hu_buf_free(&names);
        r->errors++;
        r->abort = true;
        return false;
    }
    for (size_t j = 0; j < r->nfr; j++)
        if (r->fr[j].kind == K_STRUCT) {
            const tok *o = &t->t[r->fr[j].open];
            hu_error(r->d, t->name, k->line, k->col, NULL,
                     "结构块 {{@%.*s}} 不能放在另一个结构块 {{@%.*s}} 里面", (int)k->n, k->s,
                     (int)o->n, o->s);
            r->errors++;
            r->abort = true;
            return false;
        }
    return true;
}

/* ---------------------------------------------------------------- lint */

/* A name the context does not have, at tag k of t: once per tag. */
static void lint_unknown(R *r, const tpl *t, const tok *k) {
    if (k->linted || !k->nparts) return;
    ((tok *)k)->linted = true;
    hu_buf name = HU_BUF_INIT;
    for (size_t i = 0; i < k->nparts; i++)
        hu_buf_printf(&name, "%s%s", i ? "." : "", k->parts[i]);
    /* the part that is missing: the first one no frame has, or a later one of a dotted name */
    const char *miss = k->parts[0];
    if (k->nparts > 1 && lookup_parts(r, (const char *const *)k->parts, 1))
        for (size_t i = 2; i <= k->nparts; i++)
            if (!lookup_parts(r, (const char *const *)k->parts, i)) {
                miss = k->parts[i - 1];
                break;
            }
    const char *near = r->known ? hu_text_nearest(miss, r->known) : NULL;
    char hint[200] = "";
    if (near) snprintf(hint, sizeof hint, "；是否应为“%s”？", near);
    hu_diag_add(r->d, r->lint_strict ? HU_ERROR : HU_WARNING, t->name, k->line, k->col, NULL,
                "模板用到的“%s”在报告的视图中没有（这里什么也不会输出）%s字段见 "
                "docs/templates.md",
                hu_buf_cstr(&name), near ? hint : "。");
    if (r->lint_strict) r->errors++;
    hu_buf_free(&name);
}

static bool lint_active(const R *r, const tpl *t) {
    for (size_t i = 0; i < r->nactive; i++)
        if (r->active[i] == t) return true;
    return false;
}

static void lint_defined(R *r, const tok *k) {
    for (size_t i = 0; i < r->ndefined; i++)
        if (strlen(r->defined[i]) == k->n && !memcmp(r->defined[i], k->s, k->n)) return;
    HU_GROW(r->defined, r->ndefined, r->capdefined);
    r->defined[r->ndefined++] = hu_arena_strndup(&r->a, k->s, k->n);
}

/* Blocks a child overrides that no parent defines: their content never shows. */
static void lint_overrides(R *r) {
    const char **names = hu_arena_alloc(&r->a, (r->ndefined + 1) * sizeof *names);
    for (size_t i = 0; i < r->ndefined; i++)
        names[i] = r->defined[i];
    names[r->ndefined] = NULL;
    for (size_t i = 0; i < r->noverrides; i++) {
        const tpl *t = r->overrides[i].t;
        const tok *k = r->overrides[i].k;
        bool known = false;
        for (size_t j = 0; j < r->ndefined && !known; j++)
            known = strlen(r->defined[j]) == k->n && !memcmp(r->defined[j], k->s, k->n);
        if (known || k->linted) continue;
        ((tok *)k)->linted = true;
        char *nm = hu_arena_strndup(&r->a, k->s, k->n);
        const char *near = hu_text_nearest(nm, names);
        hu_buf all = HU_BUF_INIT;
        for (size_t j = 0; j < r->ndefined; j++)
            hu_buf_printf(&all, "%s%s", j ? "、" : "", r->defined[j]);
        char hint[200] = "";
        if (near) snprintf(hint, sizeof hint, "是否应为“%s”？", near);
        hu_diag_add(r->d, r->lint_strict ? HU_ERROR : HU_WARNING, t->name, k->line, k->col, NULL,
                    "父模板里没有块“%s”，这里覆盖的内容不会出现；%s可覆盖的块：%s", nm, hint,
                    r->ndefined ? hu_buf_cstr(&all) : "（无）");
        if (r->lint_strict) r->errors++;
        hu_buf_free(&all);
    }
}

static void render(R *r, const tpl *t, size_t i, size_t end, const ov *ovs, int depth) {
    size_t base = r->nfr;
    while (i < end && !r->abort) {
        const tok *k = &t->t[i];
        if (r->out->len > HU_MUSTACHE_MAX_OUTPUT) {
            /* Partials can multiply output exponentially (each includes another twice), so the
             * rendering is linear only in its output; stop there instead of exhausting memory. */
            hu_error(r->d, t->name, k->line, k->col, NULL,
                     "模板输出超过 %d MB 的上限（是否有局部模板或区段被反复展开？）",
                     HU_MUSTACHE_MAX_OUTPUT >> 20);
            r->errors++;
            r->abort = true;
            break;
        }
        /* Output alone does not bound the time: sections over lists that print nothing, and
         * partials that include each other twice per level with empty results, run for ever
         * with no output. Every token rendered counts. */
        /* a partial or parent costs its lookup and frame set-up, some 20 plain tokens */
        r->work += k->kind == K_PARTIAL || k->kind == K_PARENT ? 20 : 1;
        if (r->work > HU_MUSTACHE_MAX_WORK) {
            hu_error(r->d, t->name, k->line, k->col, NULL,
                     "模板渲染的工作量超过上限（%d 万步）：是否有区段或局部模板被层层反复展开？",
                     (int)(HU_MUSTACHE_MAX_WORK / 10000));
            r->errors++;
            r->abort = true;
            break;
        }
        switch (k->kind) {
        case K_TEXT:
            if (k->n) {
                flush_indent(r);
                hu_buf_put(r->out, k->s, k->n);
            }
            if (k->nl) r->pending = true;
            i++;
            break;
        case K_VAR:
        case K_RAW:
            if (r->lint) {
                if (!lookup(r, k)) lint_unknown(r, t, k);
            } else {
                interpolate(r, lookup(r, k), k->kind == K_RAW);
            }
            i++;
            break;
        case K_SECTION: {
            const hu_value *v = lookup(r, k);
            if (r->lint) {
                /* every branch: a list once per item (the schema has one), anything else
                 * once with nothing new in scope; an empty list ends a recursion */
                if (!v) lint_unknown(r, t, k);
                if (v && v->kind == HU_V_LIST && !v->n) {
                    i = k->end + 1;
                    break;
                }
                bool list = v && v->kind == HU_V_LIST;
                push_frame(r, K_SECTION, i, list ? v : NULL);
                push_ctx(r, list ? v->items[0] : v);
                i++;
                break;
            }
            if (!hu_v_truthy(v)) {
                i = k->end + 1;
                break;
            }
            bool list = v->kind == HU_V_LIST;
            push_frame(r, K_SECTION, i, list ? v : NULL);
            push_ctx(r, list ? v->items[0] : v);
            i++;
            break;
        }
        case K_INVERTED:
            if (r->lint) {
                if (!lookup(r, k)) lint_unknown(r, t, k);
                push_frame(r, K_INVERTED, i, NULL);
                i++;
                break;
            }
            if (hu_v_truthy(lookup(r, k))) {
                i = k->end + 1;
            } else {
                push_frame(r, K_INVERTED, i, NULL);
                i++;
            }
            break;
        case K_STRUCT: {
            if (!struct_open(r, t, k)) break;
            push_frame(r, K_STRUCT, i, NULL);
            r->fr[r->nfr - 1].start = r->out->len;
            i++;
            break;
        }
        case K_CLOSE: {
            frame *f = &r->fr[r->nfr - 1];
            if (f->kind == K_STRUCT && r->on_block)
                r->on_block(r->block_ud, t->t[f->open].s, t->t[f->open].n, f->start, r->out->len);
            if (f->list && ++f->idx < f->list->n) {
                r->nctx = f->nctx;
                r->nmaps = f->nmaps;
                push_ctx(r, f->list->items[f->idx]);
                i = f->open + 1;
                break;
            }
            r->nctx = f->nctx;
            r->nmaps = f->nmaps;
            r->indent.len = f->nindent;
            r->nfr--;
            i++;
            break;
        }
        case K_BLOCK: {
            if (r->lint) lint_defined(r, k);
            /* The outermost override wins (spec: top-level substitutions take precedence). */
            const tpl *ot = NULL;
            const tok *ob = NULL;
            for (const ov *o = ovs; o; o = o->next)
                for (size_t b = 0; b < o->parent->nblocks; b++) {
                    const tok *bk = &o->t->t[o->parent->blocks[b]];
                    if (bk->n == k->n && memcmp(bk->s, k->s, k->n) == 0) {
                        ot = o->t;
                        ob = bk;
                    }
                }
            if (ob) {
                if (depth + 1 > HU_MUSTACHE_MAX_DEPTH) {
                    depth_error(r, t, k);
                    break;
                }
                size_t nind = r->indent.len;
                if (k->standalone) {
                    push_indent(r, k->site, k->siten);
                    r->pending = true;
                }
                size_t obi = (size_t)(ob - ot->t);
                render(r, ot, obi + 1, ob->end, ovs, depth + 1);
                r->indent.len = nind;
                i = k->end + 1;
            } else {
                push_frame(r, K_BLOCK, i, NULL);
                if (k->standalone) {
                    push_indent(r, k->site, k->siten);
                    r->pending = true;
                }
                i++;
            }
            break;
        }
        case K_PARTIAL:
        case K_PARENT: {
            if (r->lint && k->dynamic) { /* named by the data: nothing to check here */
                i = k->kind == K_PARENT ? k->end + 1 : i + 1;
                break;
            }
            tpl *pt = tag_template(r, t, k);
            size_t next = k->kind == K_PARENT ? k->end + 1 : i + 1;
            if (r->lint && k->kind == K_PARENT)
                for (size_t b = 0; b < k->nblocks; b++) {
                    HU_GROW(r->overrides, r->noverrides, r->capoverrides);
                    r->overrides[r->noverrides++] = (struct lint_ov){t, &t->t[k->blocks[b]]};
                }
            if (pt && r->lint && lint_active(r, pt)) pt = NULL; /* checked where it began */
            if (pt) {
                if (depth + 1 > HU_MUSTACHE_MAX_DEPTH) {
                    depth_error(r, t, k);
                    break;
                }
                ov node = {t, k, ovs};
                size_t nind = r->indent.len;
                if (k->standalone) {
                    push_indent(r, k->ind, k->indn);
                    r->pending = true;
                }
                HU_GROW(r->active, r->nactive, r->capactive);
                r->active[r->nactive++] = pt;
                render(r, pt, 0, pt->n, k->kind == K_PARENT && k->nblocks ? &node : ovs, depth + 1);
                r->nactive--;
                r->indent.len = nind;
            }
            i = next;
            break;
        }
        default:
            i++;
            break;
        }
    }
    /* On abort, frames of this level may remain: drop them. */
    if (r->nfr > base) {
        r->nctx = r->fr[base].nctx;
        r->nmaps = r->fr[base].nmaps;
        r->indent.len = r->fr[base].nindent;
        r->nfr = base;
    }
}

/* ---------------------------------------------------------------- API */

static const hu_mustache_opts default_opts = {
    HU_ESC_MARKDOWN, NULL, 0, true, NULL, NULL, NULL, NULL, NULL};

static void r_init(R *r, const hu_mustache_opts *o, hu_buf *out, hu_diags *d) {
    memset(r, 0, sizeof *r);
    if (!o) o = &default_opts;
    r->esc = o->escape;
    r->strict = o->strict_partials;
    hu_arena_init(&r->a);
    r->d = d;
    r->out = out;
    r->on_file = o->on_file;
    r->ud = o->ud;
    r->block_names = o->block_names;
    r->on_block = o->on_block;
    r->block_ud = o->block_ud;
    r->pending = true;
}

static void r_dirs(R *r, const char *own, const hu_mustache_opts *o) {
    size_t extra = o ? o->npartial_dirs : 0;
    r->dirs = hu_arena_alloc(&r->a, (extra + 1) * sizeof *r->dirs);
    r->realdirs = hu_arena_alloc(&r->a, (extra + 1) * sizeof *r->realdirs);
    if (own) r->dirs[r->ndirs++] = hu_arena_strdup(&r->a, own);
    for (size_t i = 0; i < extra; i++)
        if (o->partial_dirs[i]) r->dirs[r->ndirs++] = hu_arena_strdup(&r->a, o->partial_dirs[i]);
    for (size_t i = 0; i < r->ndirs; i++) {
        char *rp = hu_mustache_realpath(r->dirs[i]);
        if (rp) {
            r->realdirs[i] = hu_arena_strdup(&r->a, rp);
            free(rp);
        }
    }
}

static int r_run(R *r, const tpl *t, const hu_value *ctx) {
    if (t) {
        push_ctx(r, ctx);
        render(r, t, 0, t->n, NULL, 0);
    }
    int rc = r->errors ? 1 : 0;
    for (size_t i = 0; i < r->ntpls; i++)
        free_tpl(r->tpls[i]);
    free(r->tpls);
    free(r->cache);
    free(r->ctx);
    free(r->maps);
    free(r->fr);
    free(r->defined);
    free(r->overrides);
    free(r->active);
    hu_buf_free(&r->indent);
    hu_arena_free(&r->a);
    /* make sure out is a valid C string even when nothing was written */
    if (!r->out->data) hu_buf_put(r->out, "", 0);
    return rc;
}

/* The main template file: its own folder is the first place partials are looked up, then
 * o's folders. NULL (and an error counted) when it cannot be read. */
static tpl *load_main(R *r, const char *template_path, const hu_mustache_opts *o) {
    char *own = hu_path_dir(&r->a, template_path);
    if (!own) own = hu_arena_strdup(&r->a, ".");
    r_dirs(r, own, o);
    tpl *t = load_file(r, template_path);
    if (!t && !r->errors) r->errors++;
    return t;
}

bool hu_mustache_render_file(const char *template_path, const hu_value *ctx,
                             const hu_mustache_opts *o, hu_buf *out, hu_diags *d) {
    return hu_mustache_render_file_with(template_path, ctx, o, NULL, out, d);
}

/* Every key of a tree, once each in the order first met, for did-you-mean. A schema holds
 * thousands of keys (most repeated, one per list item): the set is a hash table, where a
 * search of the list for each key made this 4 M instructions of every build. */
typedef struct key_set {
    const char **slot; /* open addressing, a power of two */
    size_t cap, n;
    hu_strlist *order;
} key_set;

static size_t key_hash(const char *s) {
    size_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void key_set_add(key_set *ks, const char *k) {
    if (!k) return;
    if (2 * (ks->n + 1) > ks->cap) {
        size_t cap = ks->cap ? 2 * ks->cap : 256;
        const char **slot = hu_xcalloc(cap, sizeof *slot);
        for (size_t i = 0; i < ks->cap; i++)
            if (ks->slot[i]) {
                size_t j = key_hash(ks->slot[i]) & (cap - 1);
                while (slot[j])
                    j = (j + 1) & (cap - 1);
                slot[j] = ks->slot[i];
            }
        free(ks->slot);
        ks->slot = slot;
        ks->cap = cap;
    }
    size_t j = key_hash(k) & (ks->cap - 1);
    for (; ks->slot[j]; j = (j + 1) & (ks->cap - 1))
        if (!strcmp(ks->slot[j], k)) return;
    ks->slot[j] = k;
    ks->n++;
    HU_GROW(ks->order->v, ks->order->n, ks->order->cap); /* new: no search of the list */
    ks->order->v[ks->order->n++] = hu_strdup(k);
}

static void collect_keys(const hu_value *v, key_set *ks) {
    if (!v) return;
    if (v->kind == HU_V_MAP) {
        for (size_t i = 0; i < v->n; i++) {
            key_set_add(ks, v->keys[i]);
            collect_keys(v->items[i], ks);
        }
    } else if (v->kind == HU_V_LIST) {
        for (size_t i = 0; i < v->n; i++)
            collect_keys(v->items[i], ks);
    }
}

bool hu_mustache_lint_file(const char *template_path, const hu_value *schema,
                           const hu_mustache_opts *o, const hu_mustache_resolver *res, bool strict,
                           hu_diags *d) {
    hu_buf out = HU_BUF_INIT;
    R r;
    r_init(&r, o, &out, d);
    r.resolver = res;
    r.lint = true;
    r.lint_strict = strict;
    r.on_block = NULL; /* structural blocks are the build's to check */
    hu_strlist keys = {0};
    key_set ks = {NULL, 0, 0, &keys};
    collect_keys(schema, &ks);
    free(ks.slot);
    r.known = hu_arena_alloc(&r.a, (keys.n + 1) * sizeof *r.known);
    for (size_t i = 0; i < keys.n; i++)
        r.known[i] = hu_arena_strdup(&r.a, keys.v[i]);
    r.known[keys.n] = NULL;
    hu_strlist_free(&keys);
    tpl *t = load_main(&r, template_path, o);
    if (t) {
        push_ctx(&r, schema);
        render(&r, t, 0, t->n, NULL, 0);
        lint_overrides(&r);
    }
    int rc = r_run(&r, NULL, NULL);
    hu_buf_free(&out);
    return rc == 0;
}

bool hu_mustache_render_file_with(const char *template_path, const hu_value *ctx,
                                  const hu_mustache_opts *o, const hu_mustache_resolver *res,
                                  hu_buf *out, hu_diags *d) {
    R r;
    r_init(&r, o, out, d);
    r.resolver = res;
    tpl *t = load_main(&r, template_path, o);
    return r_run(&r, t, ctx) == 0;
}

bool hu_mustache_render_string(const char *tpl_text, size_t len, const char *name,
                               const hu_value *ctx, const hu_mustache_opts *o,
                               const hu_value *partials, hu_buf *out, hu_diags *d) {
    R r;
    r_init(&r, o, out, d);
    r.pmap = partials;
    if (!partials) r_dirs(&r, NULL, o);
    const char *nm = hu_arena_strdup(&r.a, name ? name : "<模板>");
    char *src = hu_arena_strndup(&r.a, tpl_text ? tpl_text : "", tpl_text ? len : 0);
    tpl *t = parse(&r, nm, src, tpl_text ? len : 0);
    return r_run(&r, t, ctx) == 0;
}

bool hu_mustache_render_cmd(const char *template_path, const char *data_path, hu_escape esc,
                            FILE *out, hu_diags *d) {
    hu_arena a;
    hu_arena_init(&a);
    bool ok = false;
    hu_value *data = hu_value_load_file(&a, data_path, NULL, d);
    if (data) {
        hu_mustache_opts o = {esc, NULL, 0, true, NULL, NULL, NULL, NULL, NULL};
        hu_buf b = HU_BUF_INIT;
        ok = hu_mustache_render_file(template_path, data, &o, &b, d);
        if (ok && b.len && fwrite(b.data, 1, b.len, out) != b.len) {
            hu_error(d, NULL, 0, 0, NULL, "写出结果失败：%s", strerror(errno));
            ok = false;
        }
        hu_buf_free(&b);
    }
    hu_arena_free(&a);
    return ok;
}

bool hu_mustache_escape_parse(const char *name, hu_escape *esc) {
    if (!name) return false;
    if (strcmp(name, "html") == 0)
        *esc = HU_ESC_HTML;
    else if (strcmp(name, "markdown") == 0 || strcmp(name, "md") == 0)
        *esc = HU_ESC_MARKDOWN;
    else if (strcmp(name, "none") == 0)
        *esc = HU_ESC_NONE;
    else
        return false;
    return true;
}

/* ---------------------------------------------------------------- escaping */

static void esc_html(hu_buf *o, const char *s, size_t n) {
    size_t b = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        default:
            continue;
        }
        hu_buf_put(o, s + b, i - b);
        hu_buf_puts(o, rep);
        b = i + 1;
    }
    hu_buf_put(o, s + b, n - b);
}

static bool is_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* "&name;" or "&#123;" would be read as an entity. */
static bool entity_like(const char *s, size_t n) {
    size_t i = 1;
    if (i < n && s[i] == '#') i++;
    size_t b = i;
    while (i < n && is_alnum(s[i]) && i - b < 32)
        i++;
    return i > b && i < n && s[i] == ';';
}

static void esc_markdown(hu_buf *o, const char *s, size_t n, bool at_line_start) {
    size_t i = 0, n0 = n;
    bool lead = at_line_start;
    if (lead)
        while (i < n && is_space(s[i]))
            i++;
    /* Trailing blanks: two spaces before a template line break would make a hard break, and a
     * final newline (YAML block scalars keep one) would end the paragraph. One space stays. */
    while (n > i && is_space(s[n - 1]))
        n--;
    bool trailing_space = n < n0 && is_ws(s[n]) && !memchr(s + n, '\n', n0 - n);
    if (lead && i < n) {
        /* A block marker at the start of a line: heading, list, quote, setext/thematic. */
        char c = s[i];
        if (c == '#' || c == '-' || c == '+' || c == '=' || c == '>') {
            hu_buf_putc(o, '\\');
        } else if (c >= '0' && c <= '9') {
            size_t j = i;
            while (j < n && s[j] >= '0' && s[j] <= '9')
                j++;
            if (j < n && (s[j] == '.' || s[j] == ')') && j - i <= 9) {
                hu_buf_put(o, s + i, j - i);
                hu_buf_putc(o, '\\');
                i = j;
            }
        }
    }
    size_t b = i;
    for (; i < n; i++) {
        char c = s[i];
        switch (c) {
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '<':
        case '|':
        case '~':
            hu_buf_put(o, s + b, i - b);
            hu_buf_putc(o, '\\');
            b = i;
            break;
        case '&':
            if (entity_like(s + i, n - i)) {
                hu_buf_put(o, s + b, i - b);
                hu_buf_putc(o, '\\');
                b = i;
            }
            break;
        case '\r':
        case '\n': {
            /* A line break inside a value must not end the paragraph or start a block:
             * join the lines by the one rule (hu_cjk_joins). */
            size_t e = i; /* end of text before the break, trailing blanks dropped */
            while (e > b && is_ws(s[e - 1]))
                e--;
            hu_buf_put(o, s + b, e - b);
            size_t j = i;
            while (j < n && (is_space(s[j])))
                j++;
            uint32_t prev = e > 0 ? hu_utf8_before(s, e) : 0, next = 0;
            if (j < n) hu_utf8_decode(s + j, n - j, &next);
            if (prev && next && !hu_cjk_joins(prev, next)) hu_buf_putc(o, ' ');
            b = j;
            i = j - 1;
            break;
        }
        default:
            break;
        }
    }
    hu_buf_put(o, s + b, n - b);
    if (trailing_space) hu_buf_putc(o, ' ');
}

void hu_mustache_escape(hu_buf *out, const char *s, size_t n, hu_escape esc, bool at_line_start) {
    switch (esc) {
    case HU_ESC_HTML:
        esc_html(out, s, n);
        break;
    case HU_ESC_MARKDOWN:
        esc_markdown(out, s, n, at_line_start);
        break;
    default:
        hu_buf_put(out, s, n);
        break;
    }
}
