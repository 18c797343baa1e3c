/* doc.c - the rendered document (doc.h): parsing the template's Markdown with cmark-gfm, the
 * typed structural blocks, and the one reading of inline content every renderer shares. */
#include "doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm-core-extensions.h>

#include "alloc.h"
#include "buf.h"
#include "utf8.h"

/* No "autolink": a bare URL or e-mail in input data would become a link (and cmark-gfm's
 * extended autolinks swallow the CJK text after the URL: "http://x.cn）的汇报"). A printed
 * report has no links, and data must never turn into formatting. */
static const char *const ext_names[] = {"table", "strikethrough", "tagfilter"};

/* Only "~~text~~" is strikethrough. GFM's default also takes single tildes, but Chinese text
 * writes ranges as "1~3季度、4~6月", which would turn into struck-out text and lose both "~" in
 * the PDF. The renderer escapes every "~", so the .md reads the same on any GFM viewer. */
#define HU_CMARK_PARSE_OPTS CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE

cmark_llist *hu_doc_extensions(void) {
    cmark_gfm_core_extensions_ensure_registered();
    cmark_llist *l = NULL;
    cmark_mem *mem = cmark_get_default_mem_allocator();
    for (size_t i = 0; i < sizeof ext_names / sizeof *ext_names; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(ext_names[i]);
        if (e) l = cmark_llist_append(mem, l, e);
    }
    return l;
}

static uint32_t last_cp(const char *s) {
    return s ? hu_utf8_before(s, strlen(s)) : 0;
}

static uint32_t first_cp(const char *s) {
    size_t n = s ? strlen(s) : 0;
    if (!n) return 0;
    uint32_t cp;
    hu_utf8_decode(s, n, &cp);
    return cp;
}

/* The character a node shows at its end (or start): text and code literals, or the last
 * descendant of an inline container (emphasis, link). 0 when unknown. */
static uint32_t edge_cp(cmark_node *n, bool end) {
    while (n) {
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
            const char *lit = cmark_node_get_literal(n);
            return end ? last_cp(lit) : first_cp(lit);
        }
        n = end ? cmark_node_last_child(n) : cmark_node_first_child(n);
    }
    return 0;
}

/* Remove the soft breaks the one join rule joins (hu_cjk_joins: either neighbour CJK), so no
 * renderer puts a space there. */
static void join_cjk_breaks(cmark_node *doc) {
    cmark_iter *it = cmark_iter_new(doc);
    cmark_node **kill = NULL;
    size_t nk = 0, cap = 0;
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_SOFTBREAK) continue;
        uint32_t a = edge_cp(cmark_node_previous(n), true);
        uint32_t b = edge_cp(cmark_node_next(n), false);
        if (hu_cjk_joins(a, b)) {
            HU_GROW(kill, nk, cap);
            kill[nk++] = n;
        }
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < nk; i++) {
        cmark_node *prev = cmark_node_previous(kill[i]), *next = cmark_node_next(kill[i]);
        cmark_node_free(kill[i]);
        /* merge adjacent text nodes so later stages see one run of text */
        if (prev && next && cmark_node_get_type(prev) == CMARK_NODE_TEXT &&
            cmark_node_get_type(next) == CMARK_NODE_TEXT) {
            hu_buf b = HU_BUF_INIT;
            hu_buf_puts(&b, cmark_node_get_literal(prev));
            hu_buf_puts(&b, cmark_node_get_literal(next));
            cmark_node_set_literal(prev, hu_buf_cstr(&b));
            hu_buf_free(&b);
            /* a later soft break that followed next now follows prev: looked up afresh */
            cmark_node_free(next);
        }
    }
    free(kill);
}

cmark_parser *hu_doc_parser(int extra_options) {
    cmark_llist *exts = hu_doc_extensions();
    cmark_parser *p = cmark_parser_new(HU_CMARK_PARSE_OPTS | extra_options);
    for (cmark_llist *l = exts; l; l = l->next)
        cmark_parser_attach_syntax_extension(p, l->data);
    cmark_llist_free(cmark_get_default_mem_allocator(), exts);
    return p;
}

cmark_node *hu_doc_parse(const char *md, size_t len) {
    cmark_parser *p = hu_doc_parser(0);
    cmark_parser_feed(p, md ? md : "", md ? len : 0);
    cmark_node *doc = cmark_parser_finish(p);
    cmark_parser_free(p);
    join_cjk_breaks(doc);
    return doc;
}

/* ------------------------------------------------------------------ typed blocks */

const char *const hu_block_names[] = {"recipient", "preamble",  "closing", "attachments",
                                      "blank",     "signature", NULL};

/* user_data of a typed block: the address of its kind here, so a node made elsewhere (user
 * data NULL or anything else) is never taken for one */
static const hu_block_kind kinds[] = {HU_BLOCK_NONE,     HU_BLOCK_RECIPIENT,   HU_BLOCK_PREAMBLE,
                                      HU_BLOCK_CLOSING,  HU_BLOCK_ATTACHMENTS, HU_BLOCK_BLANK,
                                      HU_BLOCK_SIGNATURE};
#define NKINDS (sizeof kinds / sizeof *kinds)

const char *hu_block_name(hu_block_kind k) {
    return k > HU_BLOCK_NONE && (size_t)k < NKINDS ? hu_block_names[k - 1] : NULL;
}

hu_block_kind hu_block_kind_of(const char *name, size_t len) {
    for (size_t i = 1; i < NKINDS; i++)
        if (strlen(hu_block_names[i - 1]) == len && memcmp(hu_block_names[i - 1], name, len) == 0)
            return kinds[i];
    return HU_BLOCK_NONE;
}

hu_block_kind hu_doc_block(cmark_node *n) {
    if (!n || cmark_node_get_type(n) != CMARK_NODE_CUSTOM_BLOCK) return HU_BLOCK_NONE;
    const void *u = cmark_node_get_user_data(n);
    for (size_t i = 1; i < NKINDS; i++)
        if (u == &kinds[i]) return kinds[i];
    return HU_BLOCK_NONE;
}

/* Parse md[a..b) and move its blocks to the end of parent. */
static void parse_into(cmark_node *parent, const char *md, size_t a, size_t b) {
    if (b <= a) return;
    cmark_node *part = hu_doc_parse(md + a, b - a);
    cmark_node *c;
    while ((c = cmark_node_first_child(part))) {
        cmark_node_unlink(c);
        cmark_node_append_child(parent, c);
    }
    cmark_node_free(part);
}

cmark_node *hu_doc_build(const char *md, size_t len, const hu_doc_span *spans, size_t n) {
    cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const hu_doc_span *s = &spans[i];
        if (s->start < at || s->end < s->start || s->end > len || s->kind <= HU_BLOCK_NONE ||
            (size_t)s->kind >= NKINDS)
            continue; /* not in order: the engine never reports such a span */
        parse_into(doc, md, at, s->start);
        cmark_node *blk = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
        cmark_node_set_user_data(blk, (void *)&kinds[s->kind]);
        parse_into(blk, md, s->start, s->end);
        cmark_node_append_child(doc, blk);
        at = s->end;
    }
    parse_into(doc, md, at, len);
    return doc;
}

hu_html_kind hu_doc_html_kind(const char *lit) {
    if (!lit) return HU_HTML_COMMENT;
    const char *s = lit + strspn(lit, " ");
    if (strncmp(s, "<!--", 4) == 0) return HU_HTML_COMMENT;
    size_t len = strlen(s);
    while (len && s[len - 1] == '\n')
        len--;
    if (len >= 4 && strncasecmp(s, "<br", 3) == 0 && s[len - 1] == '>' &&
        strspn(s + 3, " /") == len - 4)
        return HU_HTML_BR;
    return HU_HTML_TEXT;
}

void hu_doc_inline(cmark_node *n, unsigned style, hu_md_inline_fn fn, void *ctx) {
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
        fn(ctx, HU_MD_TEXT, cmark_node_get_literal(n), style);
        break;
    case CMARK_NODE_SOFTBREAK:
        fn(ctx, HU_MD_SOFTBREAK, NULL, style);
        break;
    case CMARK_NODE_LINEBREAK:
        fn(ctx, HU_MD_LINEBREAK, NULL, style);
        break;
    case CMARK_NODE_HTML_INLINE: {
        /* Report text is not HTML: a tag-like run ("<ABC-1>", "<b>") is shown as typed so that
         * no character vanishes; comments are the author's notes, and <br> is the one tag
         * people use for a line break. */
        const char *h = cmark_node_get_literal(n);
        switch (hu_doc_html_kind(h)) {
        case HU_HTML_COMMENT:
            break;
        case HU_HTML_BR:
            fn(ctx, HU_MD_LINEBREAK, NULL, style);
            break;
        case HU_HTML_TEXT:
            fn(ctx, HU_MD_TEXT, h, style);
            break;
        }
        break;
    }
    case CMARK_NODE_STRONG:
        hu_doc_inlines(n, style | HU_MD_STRONG, fn, ctx);
        break;
    case CMARK_NODE_EMPH:
        hu_doc_inlines(n, style | HU_MD_EMPH, fn, ctx);
        break;
    default: { /* links and images give their text; ~~strikethrough~~ is an extension node */
        const char *t = cmark_node_get_type_string(n);
        bool strike = t && strcmp(t, "strikethrough") == 0;
        hu_doc_inlines(n, style | (strike ? HU_MD_STRIKE : 0), fn, ctx);
        break;
    }
    }
}

void hu_doc_inlines(cmark_node *n, unsigned style, hu_md_inline_fn fn, void *ctx) {
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
        hu_doc_inline(c, style, fn, ctx);
}

bool hu_doc_caption_label(const uint32_t *cp, size_t n, size_t *label_end) {
    size_t i = 0;
    if (i < n && cp[i] == 0x9644) i++;           /* 附 */
    if (i >= n || cp[i] != 0x8868) return false; /* 表 */
    i++;
    size_t d = i;
    static const char cn[] = "一二三四五六七八九十";
    for (; i < n; i++) {
        uint32_t c = cp[i];
        char buf[8];
        buf[hu_utf8_encode(c, buf)] = 0;
        bool digit = (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19) ||
                     (c >= 0x4E00 && strstr(cn, buf));
        bool sep = (c == '-' || c == '.' || c == 0x2014 || c == 0xFF0E) && i > d && i + 1 < n &&
                   cp[i + 1] >= '0' && cp[i + 1] <= '9';
        if (!digit && !sep) break;
    }
    if (i == d) return false;
    *label_end = i;
    return i == n || cp[i] == ' ' || cp[i] == 0x3000 || cp[i] == 0xFF1A || cp[i] == ':';
}
