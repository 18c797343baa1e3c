/* yamlout.c - block-style YAML from a value tree (yamlout.h). */
#include "yamlout.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* Characters YAML does not allow unescaped in a scalar, or that other tools read as a line
 * break or a byte order mark. */
static bool unprintable(uint32_t cp) {
    return (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF ||
           (cp >= 0xD800 && cp <= 0xDFFF);
}

static bool all_printable(const char *s, bool allow_newline) {
    size_t n = strlen(s);
    if (hu_utf8_validate(s, n) != (size_t)-1) return false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += hu_utf8_decode(s + i, n - i, &cp);
        if (unprintable(cp) || (cp == '\n' && !allow_newline) || cp == '\r') return false;
    }
    return true;
}

/* An all-ASCII text that YAML 1.1 or 1.2 resolves to null, a boolean or a number would change
 * type when read back plain; only plain words are written without quotes. */
static bool ascii_word_ok(const char *s) {
    static const char *const reserved[] = {"null", "true", "false", "yes", "no",
                                           "on",   "off",  "y",     "n",   NULL};
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_')) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              strchr("_ ./-", *p)))
            return false;
    char low[8];
    size_t n = strlen(s);
    if (n >= sizeof low) return true;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    for (int i = 0; reserved[i]; i++)
        if (!strcmp(low, reserved[i])) return false;
    return true;
}

/* 2026-11 and 2026-11-05, as month files write period and date: text to huibao's loader
 * (YAML 1.2), and the read-back check proves it. */
static bool period_or_date(const char *s) {
    size_t n = strlen(s);
    if (n != 7 && n != 10) return false;
    for (size_t i = 0; i < n; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9')) return false;
    return true;
}

static bool plain_ok(const char *s) {
    size_t n = strlen(s);
    if (!n || strchr(" \t", s[0]) || strchr(" \t", s[n - 1])) return false;
    if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) || s[n - 1] == ':') return false;
    if (strstr(s, ": ") || strstr(s, " #") || strchr(s, '\t')) return false;
    if (!all_printable(s, false)) return false;
    bool ascii = true;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p >= 0x80) ascii = false;
    return !ascii || ascii_word_ok(s) || period_or_date(s);
}

static void quoted(hu_buf *out, const char *s) {
    hu_buf_putc(out, '"');
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = hu_utf8_decode(s + i, n - i, &cp);
        switch (cp) {
        case '"':
            hu_buf_puts(out, "\\\"");
            break;
        case '\\':
            hu_buf_puts(out, "\\\\");
            break;
        case '\n':
            hu_buf_puts(out, "\\n");
            break;
        case '\t':
            hu_buf_puts(out, "\\t");
            break;
        case '\r':
            hu_buf_puts(out, "\\r");
            break;
        default:
            if (unprintable(cp))
                hu_buf_printf(out, cp < 0x100 ? "\\x%02X" : "\\u%04X", (unsigned)cp);
            else
                hu_buf_put(out, s + i, k);
        }
        i += k;
    }
    hu_buf_putc(out, '"');
}

void hu_yaml_scalar(hu_buf *out, const char *s) {
    if (plain_ok(s))
        hu_buf_puts(out, s);
    else
        quoted(out, s);
}

/* A literal block keeps a multi-line text as it is read: its first non-blank line must not
 * start with a blank (that would need an indentation indicator), and nothing unprintable. */
static bool block_ok(const char *s) {
    if (!strchr(s, '\n') || !all_printable(s, true)) return false;
    const char *p = s;
    while (*p == '\n')
        p++;
    return *p && *p != ' ' && *p != '\t';
}

/* A long one-line text with blanks (a paragraph that was folded from several lines, >-) is
 * folded again at blanks between words, so the file keeps short lines: folding turns each line
 * break back into the one blank. */
#define FOLD_WIDTH 72

static bool fold_ok(const char *s) {
    size_t n = strlen(s);
    if (n <= FOLD_WIDTH || strchr(s, '\n') || !plain_ok(s) || !all_printable(s, false))
        return false;
    for (size_t i = 1; i + 1 < n; i++)
        if (s[i] == ' ' && s[i - 1] != ' ' && s[i + 1] != ' ') return true;
    return false;
}

static void folded(hu_buf *out, const char *s, int indent) {
    hu_buf_puts(out, ">-\n");
    size_t n = strlen(s), start = 0, width = 0;
    for (int i = 0; i < indent; i++)
        hu_buf_putc(out, ' ');
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = hu_utf8_decode(s + i, n - i, &cp);
        bool breakable = cp == ' ' && i > 0 && s[i - 1] != ' ' && i + 1 < n && s[i + 1] != ' ';
        if (breakable && width >= FOLD_WIDTH / 2) {
            hu_buf_put(out, s + start, i - start);
            hu_buf_putc(out, '\n');
            for (int j = 0; j < indent; j++)
                hu_buf_putc(out, ' ');
            start = i + 1;
            width = 0;
        } else {
            width += cp >= 0x1100 ? 2 : 1;
        }
        i += k;
    }
    hu_buf_put(out, s + start, n - start);
    hu_buf_putc(out, '\n');
}

static void block(hu_buf *out, const char *s, int indent) {
    size_t n = strlen(s), t = 0;
    while (t < n && s[n - 1 - t] == '\n')
        t++;
    hu_buf_puts(out, t == 0 ? "|-\n" : t == 1 ? "|\n" : "|+\n");
    const char *p = s;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len) {
            for (int i = 0; i < indent; i++)
                hu_buf_putc(out, ' ');
            hu_buf_put(out, p, len);
        }
        hu_buf_putc(out, '\n');
        if (!nl) break;
        p = nl + 1;
    }
}

typedef struct ctx {
    hu_buf *out;
    const hu_yaml_comment *comments;
    size_t ncomments;
} ctx;

static const char *comment_of(const ctx *c, const hu_value *v) {
    for (size_t i = 0; i < c->ncomments; i++)
        if (c->comments[i].node == v) return c->comments[i].text;
    return NULL;
}

static void pad(ctx *c, int n) {
    for (int i = 0; i < n; i++)
        hu_buf_putc(c->out, ' ');
}

static void emit_map(ctx *c, const hu_value *m, int indent, bool inline_first);
static void emit_list(ctx *c, const hu_value *l, int indent);

/* The value after "key:" or "- " (the line so far ends there); indent is that entry's. */
static void emit_after(ctx *c, const hu_value *v, int indent, bool in_list) {
    const char *com = comment_of(c, v);
    switch (v->kind) {
    case HU_V_NULL:
        if (in_list) hu_buf_puts(c->out, "null");
        break;
    case HU_V_BOOL:
        if (!in_list) hu_buf_putc(c->out, ' ');
        hu_buf_puts(c->out, v->b ? "true" : "false");
        break;
    case HU_V_NUM:
        if (!in_list) hu_buf_putc(c->out, ' ');
        hu_buf_puts(c->out, v->str);
        break;
    case HU_V_STR:
        if (!in_list) hu_buf_putc(c->out, ' ');
        if (block_ok(v->str)) {
            block(c->out, v->str, indent + 2);
            return; /* the block ends its own lines; no comment after it */
        }
        if (fold_ok(v->str) && !com) {
            folded(c->out, v->str, indent + 2);
            return;
        }
        hu_yaml_scalar(c->out, v->str);
        break;
    case HU_V_LIST:
        if (!v->n) {
            hu_buf_puts(c->out, in_list ? "[]" : " []");
            break;
        }
        hu_buf_putc(c->out, '\n');
        emit_list(c, v, indent + 2);
        return;
    case HU_V_MAP:
        if (!v->n) {
            hu_buf_puts(c->out, in_list ? "{}" : " {}");
            break;
        }
        if (in_list) {
            emit_map(c, v, indent + 2, true);
            return;
        }
        hu_buf_putc(c->out, '\n');
        emit_map(c, v, indent + 2, false);
        return;
    }
    if (com) hu_buf_printf(c->out, "%s# %s", v->kind == HU_V_NULL ? "      " : "  ", com);
    hu_buf_putc(c->out, '\n');
}

static void emit_map(ctx *c, const hu_value *m, int indent, bool inline_first) {
    for (size_t i = 0; i < m->n; i++) {
        if (i || !inline_first) pad(c, indent);
        hu_yaml_scalar(c->out, m->keys[i]);
        hu_buf_putc(c->out, ':');
        emit_after(c, m->items[i], indent, false);
    }
}

static void emit_list(ctx *c, const hu_value *l, int indent) {
    for (size_t i = 0; i < l->n; i++) {
        pad(c, indent);
        const hu_value *it = l->items[i];
        if (it->kind == HU_V_LIST && it->n) {
            hu_buf_puts(c->out, "-\n");
            emit_list(c, it, indent + 2);
            continue;
        }
        hu_buf_puts(c->out, "- ");
        emit_after(c, it, indent, true);
    }
}

static bool same(const hu_value *x, const hu_value *y) {
    if (!x || !y || x->kind != y->kind) return false;
    switch (x->kind) {
    case HU_V_NULL:
        return true;
    case HU_V_BOOL:
        return x->b == y->b;
    case HU_V_NUM:
        return !strcmp(x->str, y->str);
    case HU_V_STR:
        return x->len == y->len && !memcmp(x->str, y->str, x->len);
    case HU_V_LIST:
    case HU_V_MAP:
        if (x->n != y->n) return false;
        for (size_t i = 0; i < x->n; i++) {
            if (x->kind == HU_V_MAP && strcmp(x->keys[i], y->keys[i]) != 0) return false;
            if (!same(x->items[i], y->items[i])) return false;
        }
        return true;
    }
    return false;
}

bool hu_yaml_write(hu_arena *a, const hu_value *root, const char *head,
                   const hu_yaml_comment *comments, size_t ncomments, const char *name, hu_buf *out,
                   hu_diags *d) {
    size_t start = out->len;
    if (head) hu_buf_puts(out, head);
    ctx c = {out, comments, ncomments};
    emit_map(&c, root, 0, false);
    /* read back with the loader every month file goes through */
    hu_diags tmp = HU_DIAGS_INIT;
    hu_value *back =
        hu_value_load_string(a, out->data + start, out->len - start, name, false, &tmp);
    bool ok = back && !hu_diags_failed(&tmp) && same(root, back);
    if (!ok) {
        char first[512] = "";
        for (size_t i = 0; i < tmp.n; i++)
            if (tmp.v[i].severity == HU_ERROR) {
                hu_diag_format(&tmp.v[i], first, sizeof first);
                break;
            }
        hu_error(d, name, 0, 0, NULL,
                 "内部错误：写出的 YAML 读回后与原内容不一致%s%s（请把上月的输入文件报告给维护者）",
                 *first ? "：" : "", first);
    }
    hu_diags_free(&tmp);
    return ok;
}
