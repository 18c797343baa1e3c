/* markdown.c - the rendered document as .md and as an HTML page (see markdown.h). */
#include "markdown.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "ooxml.h"
#include "utf8.h"

/* The nodes of doc for which want() holds, in document order, to be replaced after the walk
 * (a cmark iterator must not see the tree change under it). *n gets the count; free() it. */
static cmark_node **nodes_where(cmark_node *doc, bool (*want)(cmark_node *), size_t *n) {
    cmark_iter *it = cmark_iter_new(doc);
    cmark_node **v = NULL;
    size_t cap = 0;
    *n = 0;
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || !want(c)) continue;
        HU_GROW(v, *n, cap);
        v[(*n)++] = c;
    }
    cmark_iter_free(it);
    return v;
}

static bool is_raw_html(cmark_node *c) {
    cmark_node_type ty = cmark_node_get_type(c);
    return ty == CMARK_NODE_HTML_INLINE || ty == CMARK_NODE_HTML_BLOCK;
}

/* As in the PDF (layout.c): raw HTML in report text is text that looked like a tag, so the
 * page shows it as typed instead of cmark's "raw HTML omitted"; comments stay hidden and <br>
 * is a line break. */
static void html_as_text(cmark_node *doc) {
    size_t n;
    cmark_node **v = nodes_where(doc, is_raw_html, &n);
    for (size_t i = 0; i < n; i++) {
        const char *lit = cmark_node_get_literal(v[i]);
        hu_html_kind kind = hu_doc_html_kind(lit);
        if (kind == HU_HTML_COMMENT) { /* markers and notes: gone */
            cmark_node_free(v[i]);     /* unlinks it */
            continue;
        }
        cmark_node *r;
        if (cmark_node_get_type(v[i]) == CMARK_NODE_HTML_INLINE) {
            r = cmark_node_new(kind == HU_HTML_BR ? CMARK_NODE_LINEBREAK : CMARK_NODE_TEXT);
            if (kind == HU_HTML_TEXT) cmark_node_set_literal(r, lit);
        } else {
            size_t len = strlen(lit);
            r = cmark_node_new(CMARK_NODE_PARAGRAPH);
            cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
            while (len && lit[len - 1] == '\n')
                len--;
            char *cut = hu_strndup(lit, len);
            cmark_node_set_literal(t, cut);
            free(cut);
            cmark_node_append_child(r, t);
        }
        cmark_node_replace(v[i], r);
        cmark_node_free(v[i]);
    }
    free(v);
}

char *hu_markdown_render_html_body(cmark_node *doc) {
    html_as_text(doc);
    cmark_llist *exts = hu_doc_extensions();
    char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, exts);
    cmark_llist_free(cmark_get_default_mem_allocator(), exts);
    return html;
}

/* An HTML block that is never closed (a `<!--` without `-->`) runs to the end of its container
 * and keeps the blank lines it swallowed; cmark's renderer writes them back inside the list
 * item with its indentation, and the next parse swallows one more line each time, so the .md
 * would grow on every normalisation (fuzzing finding F5). Trailing blank lines of an HTML
 * block carry nothing, in Markdown or in the HTML it passes through, so they are dropped. */
static void trim_html_blocks(cmark_node *doc) {
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(c) != CMARK_NODE_HTML_BLOCK) continue;
        const char *lit = cmark_node_get_literal(c);
        if (!lit) continue;
        size_t n = strlen(lit), e = n;
        while (e > 0 && (lit[e - 1] == '\n' || lit[e - 1] == ' ' || lit[e - 1] == '\t' ||
                         lit[e - 1] == '\r'))
            e--;
        if (e + 1 >= n) continue; /* at most the final newline: nothing to trim */
        char *t = hu_xmalloc(e + 2);
        memcpy(t, lit, e);
        t[e] = '\n';
        t[e + 1] = 0;
        cmark_node_set_literal(c, t);
        free(t);
    }
    cmark_iter_free(it);
}

/* The tree as XML: two documents are the same when these strings are equal. */
static char *tree_of(const char *md, size_t len) {
    cmark_node *doc = hu_doc_parse(md, len);
    trim_html_blocks(doc);
    char *x = cmark_render_xml(doc, CMARK_OPT_DEFAULT);
    cmark_node_free(doc);
    return x;
}

static bool is_ascii_punct(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

/* Letters for CommonMark's flanking rules: not whitespace, not punctuation. */
static bool flank_letter(uint32_t cp) {
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Whether the escape b[i] = '\\' before ASCII punctuation b[i+1] is needless by CommonMark's
 * own rules, judged from its neighbours alone. */
static bool escape_locally_needless(const char *b, size_t n, size_t i) {
    uint32_t prev = hu_utf8_before(b, i), next = 0;
    if (i + 2 < n) hu_utf8_decode(b + i + 2, n - i - 2, &next);
    switch (b[i + 1]) {
    case '#':
    case '>': /* only special where a line starts; after a non-ASCII character it does not */
        return prev >= 0x80;
    case '<': /* no tag, autolink or HTML construct starts with a non-ASCII character */
    case '&': /* nor does an entity */
    case '!': /* an image needs "![" */
        return next >= 0x80;
    case '~': /* strikethrough needs "~~" (doc.c's parse options): a lone tilde is text */
        return b[i + 2] != '~' && !(b[i + 2] == '\\' && b[i + 3] == '~') &&
               (i == 0 || b[i - 1] != '~');
    case '_': /* between two letters `_` can neither open nor close emphasis */
        return flank_letter(prev) && flank_letter(next);
    default:
        return false;
    }
}

/* Remove the escapes of block b[0..n) marked in drop (escape positions); returns the new n. */
static size_t drop_escapes(char *b, size_t n, const bool *drop) {
    size_t w = 0;
    for (size_t r = 0; r < n; r++)
        if (!drop[r]) b[w++] = b[r];
    b[w] = 0;
    return w;
}

/* Drop the escapes next to non-ASCII characters in one top-level block b[0..n) (NUL-terminated
 * in place) when the block's tree stays the same without them. The first version tested each
 * escape alone with a parse of the whole block, which is quadratic: a 16 KB paragraph of
 * "中*文_" took 84 s. Now the work is a bounded number of parses per block: escapes that
 * CommonMark's rules make needless from their neighbours go in one step (`#` mid-line, `<`
 * before a Chinese character, `_` between letters …); the rest, which may pair up (`*`, `~`,
 * `[`, `` ` ``, `|`), go class by class, all of a class at once when the tree allows it, else
 * one by one for the first few. Whatever is decided is checked against the tree, and the
 * decision depends only on the block's text, so normalising again gives the same bytes. */
typedef struct {
    char *b, *work;
    size_t n;
    const char *ref; /* the block's tree */
    bool *cand, *drop, *fresh;
} cleaner;

typedef bool (*esc_pred)(const cleaner *c, size_t i, size_t arg);

/* Drop, in addition, every remaining candidate escape for which pred holds; keep that only
 * when the block's tree is unchanged. Returns how many were tried. */
static size_t try_drop(cleaner *c, esc_pred pred, size_t arg) {
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        c->fresh[i] = c->cand[i] && !c->drop[i] && pred(c, i, arg);
        if (c->fresh[i]) c->drop[i] = true, k++;
    }
    if (!k) return 0;
    memcpy(c->work, c->b, c->n + 1);
    size_t wn = drop_escapes(c->work, c->n, c->drop);
    char *t = tree_of(c->work, wn);
    bool same = strcmp(t, c->ref) == 0;
    free(t);
    if (!same)
        for (size_t i = 0; i < c->n; i++)
            if (c->fresh[i]) c->drop[i] = false;
    return k;
}

static bool p_local(const cleaner *c, size_t i, size_t arg) {
    (void)arg;
    return escape_locally_needless(c->b, c->n, i);
}
static bool p_class(const cleaner *c, size_t i, size_t ch) {
    return (unsigned char)c->b[i + 1] == ch;
}
static bool p_at(const cleaner *c, size_t i, size_t at) {
    (void)c;
    return i == at;
}

static size_t clean_block(char *b, size_t n) {
    cleaner c = {b,
                 hu_xmalloc(n + 1),
                 n,
                 NULL,
                 hu_xcalloc(n + 1, 1),
                 hu_xcalloc(n + 1, 1),
                 hu_xcalloc(n + 1, 1)};
    size_t ncand = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (b[i] != '\\') continue;
        /* `~` wherever it is: "1~10月" is how Chinese text writes a range */
        if (is_ascii_punct(b[i + 1]) && (b[i + 1] == '~' || hu_utf8_before(b, i) >= 0x80 ||
                                         (i + 2 < n && (unsigned char)b[i + 2] >= 0x80))) {
            c.cand[i] = true;
            ncand++;
        }
        i++; /* skip the escaped character (it may be a backslash itself) */
    }
    if (ncand) {
        char *ref = tree_of(b, n);
        c.ref = ref;
        try_drop(&c, p_local, 0);
        for (unsigned ch = '!'; ch <= '~'; ch++) {
            if (!is_ascii_punct((char)ch) || !try_drop(&c, p_class, ch)) continue;
            /* some of this class are needed: test the first few alone (bounded work) */
            for (size_t i = 0, tried = 0; i < n && tried < 6 && n <= 65536; i++)
                if (c.cand[i] && !c.drop[i] && (unsigned char)b[i + 1] == ch) {
                    tried++;
                    try_drop(&c, p_at, i);
                }
        }
        free(ref);
        n = drop_escapes(b, n, c.drop);
    }
    free(c.work), free(c.cand), free(c.drop), free(c.fresh);
    return n;
}

/* A code span holding only spaces or line breaks has no stable CommonMark form: cmark's
 * renderer pads it with a space on each side and its parser strips padding only from spans
 * that are not all spaces, so every round adds two (fuzzing, tests/fuzz/README.md F2). Such a
 * span shows as blank anyway; it becomes one plain space. */
static bool is_blank_code(cmark_node *c) {
    if (cmark_node_get_type(c) != CMARK_NODE_CODE) return false;
    const char *lit = cmark_node_get_literal(c);
    return !lit || strspn(lit, " \n\r") == strlen(lit);
}

/* Returns how many spans were replaced. */
static size_t blank_code_to_space(cmark_node *doc) {
    size_t n;
    cmark_node **victims = nodes_where(doc, is_blank_code, &n);
    for (size_t i = 0; i < n; i++) {
        cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(t, " ");
        cmark_node_replace(victims[i], t);
        cmark_node_free(victims[i]);
    }
    free(victims);
    return n;
}

/* One parse-render-clean pass. *fixed is set when the result is known to be a fixed point
 * (its tree is the tree it was rendered from). */
static char *normalize_once(const char *md, size_t len, bool *fixed) {
    *fixed = false;
    cmark_node *doc = hu_doc_parse(md, len);
    size_t blanked = blank_code_to_space(doc);
    trim_html_blocks(doc);
    char *r = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
    size_t rn = strlen(r);
    /* Rendered text that is the input byte for byte, with no code span blanked, parses to the
     * input's tree, which is `ref` (trim_html_blocks is applied to both and is idempotent):
     * stable without the two parses of tree_of. (A report's .md came here already rendered
     * by cmark; it usually differs from the rendering only in a final empty line.) */
    if (!blanked && rn == len && memcmp(r, md, len) == 0 && !memchr(r, '\\', rn)) {
        cmark_node_free(doc);
        *fixed = true;
        return r;
    }
    char *ref = cmark_render_xml(doc, CMARK_OPT_DEFAULT);
    cmark_node_free(doc);
    /* cmark escapes every `#`, `~`, `_`, `*` … in text whether or not it could mean anything
     * there, which leaves backslashes inside Chinese sentences ("第1\\#楼"). Each top-level
     * block is cleaned on its own (cmark's output has no link reference definitions, so blocks
     * do not affect each other's inline parse): an escape beside a non-ASCII character goes when
     * the block's tree is the same without it. The result is kept only if the whole document's
     * tree is still the original one. Every step depends only on cmark's rendering of the tree,
     * so normalising the result again gives the same bytes. */
    char *check = tree_of(r, rn);
    bool stable = strcmp(check, ref) == 0;
    free(check);
    if (!stable) {
        /* cmark's rendering does not read back as the same tree (odd input such as empty list
         * items): the caller renders again from the new tree */
        free(ref);
        return r;
    }
    *fixed = true;
    /* Without a backslash clean_block has no escape to drop in any block: the cleaned text
     * would be r itself, whose tree was just checked. */
    if (!memchr(r, '\\', rn)) {
        free(ref);
        return r;
    }
    cmark_parser *p = hu_doc_parser(CMARK_OPT_SOURCEPOS);
    cmark_parser_feed(p, r, rn);
    cmark_node *sdoc = cmark_parser_finish(p);
    cmark_parser_free(p);
    /* byte offset of each line start */
    size_t nlines = 1;
    for (size_t i = 0; i < rn; i++)
        nlines += r[i] == '\n';
    size_t *ls = hu_xmalloc((nlines + 1) * sizeof *ls);
    size_t k = 0;
    ls[k++] = 0;
    for (size_t i = 0; i < rn; i++)
        if (r[i] == '\n') ls[k++] = i + 1;
    ls[nlines] = rn;
    hu_buf out = HU_BUF_INIT, blk = HU_BUF_INIT;
    size_t done = 0; /* bytes of r already copied */
    for (cmark_node *n = cmark_node_first_child(sdoc); n; n = cmark_node_next(n)) {
        int sl = cmark_node_get_start_line(n), el = cmark_node_get_end_line(n);
        if (sl < 1 || el < sl || (size_t)el > nlines) continue;
        size_t a = ls[sl - 1], e = (size_t)el < nlines ? ls[el] : rn;
        if (a < done) continue;
        hu_buf_put(&out, r + done, a - done);
        hu_buf_clear(&blk);
        hu_buf_put(&blk, r + a, e - a);
        blk.len = clean_block(blk.data, blk.len);
        hu_buf_put(&out, blk.data, blk.len);
        done = e;
    }
    hu_buf_put(&out, r + done, rn - done);
    hu_buf_free(&blk);
    free(ls);
    cmark_node_free(sdoc);
    check = tree_of(out.data, out.len);
    stable = strcmp(check, ref) == 0;
    free(check);
    free(ref);
    if (!stable) {
        hu_buf_free(&out);
        return r;
    }
    free(r);
    return hu_buf_detach(&out);
}

char *hu_markdown_normalize(const char *md, size_t len) {
    /* Every caller's text is valid UTF-8 (the loaders check), but the function must not rely
     * on it: cmark passes invalid bytes through its renderer, and the byte-level escape
     * cleaning then takes them for Chinese text, so such a document needed many rounds to
     * settle (fuzzing finding F6). Invalid bytes and NULs become U+FFFD first, as cmark's own
     * parser would read them. */
    hu_buf clean = HU_BUF_INIT;
    if (memchr(md, 0, len) || hu_utf8_validate(md, len) != (size_t)-1) {
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            size_t k = hu_utf8_decode(md + i, len - i, &cp);
            if (cp == 0 || cp == 0xFFFD)
                hu_buf_puts(&clean, "\xEF\xBF\xBD");
            else
                hu_buf_put(&clean, md + i, k);
            i += k;
        }
        md = hu_buf_cstr(&clean);
        len = clean.len;
    }
    bool fixed;
    char *out = normalize_once(md, len, &fixed);
    hu_buf_free(&clean);
    /* A round whose rendering read back as its own tree is final: normalising its output
     * parses to that tree, renders the same text and cleans it the same way (the cleaning
     * depends only on a block's text). Otherwise (odd input such as empty list items) go on
     * until a round changes nothing; a handful settles every case seen in fuzzing. */
    for (int round = 0; !fixed && round < 16; round++) {
        char *next = normalize_once(out, strlen(out), &fixed);
        bool same = strcmp(next, out) == 0;
        free(out);
        out = next;
        if (same) break;
    }
    return out;
}

static const char page_style[] =
    "body{font-family:FangSong,\"仿宋\",\"FangSong_GB2312\",\"STFangsong\",SimSun,\"宋体\","
    "\"Songti SC\",serif;font-size:16pt;line-height:1.8;color:#000;background:#fff;"
    "max-width:42em;margin:0 auto;padding:1.5em 1em;}\n"
    "h1{font-family:SimSun,\"宋体\",\"Songti SC\",serif;font-size:22pt;text-align:center;"
    "font-weight:bold;line-height:1.4;margin:0.6em 0 1em;}\n"
    "h2{font-family:SimHei,\"黑体\",\"Heiti SC\",sans-serif;font-size:16pt;font-weight:normal;"
    "margin:1em 0 0.3em;}\n"
    "h3{font-family:KaiTi,\"楷体\",\"Kaiti SC\",serif;font-size:16pt;font-weight:normal;"
    "margin:0.8em 0 0.3em;}\n"
    "p{margin:0.3em 0;text-indent:2em;text-align:justify;}\n"
    "table{border-collapse:collapse;margin:0.8em 0;font-size:12pt;line-height:1.5;"
    "display:block;overflow-x:auto;max-width:100%;}\n"
    "th,td{border:1px solid #000;padding:0.2em 0.5em;}\n"
    "th{font-weight:bold;background:#f2f2f2;}\n"
    "li p{text-indent:0;}\n"
    /* typed blocks (doc.h): 主送机关 flush left, an empty line (the signature block's rules
     * are written by signature_style) */
    ".hu-recipient p{text-indent:0;}\n"
    ".hu-blank{height:1.8em;}\n"
    "@media (max-width:600px){body{font-size:13pt;padding:1em 0.6em;}h1{font-size:18pt;}}\n";

/* Typed blocks as HTML: a <div> of its own class around the block's paragraphs. */
static void set_block_html(cmark_node *doc, bool on) {
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        hu_block_kind k = hu_doc_block(n);
        if (k == HU_BLOCK_NONE) continue;
        char open[64];
        snprintf(open, sizeof open, "<div class=\"hu-%s\">", hu_block_name(k));
        cmark_node_set_on_enter(n, on ? open : "");
        cmark_node_set_on_exit(n, on ? "</div>" : "");
    }
}

char *hu_markdown_render(cmark_node *doc) {
    set_block_html(doc, false);
    char *r = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
    char *md = hu_markdown_normalize(r, strlen(r));
    free(r);
    return md;
}

/* 署名 and 成文日期 as the PDF sets them (layout.c do_signature): the block shrinks to its
 * widest line and sits against the right margin less signature_right_chars; the 署名 starts at
 * its left edge and the date date_shift_chars further right. So the longer of the two ends at
 * 右空二字 and the other follows from it — the same rule, not a right-aligned approximation.
 * Lines after the second end at the margin, as in the PDF. One body line is 1.8em. */
static void signature_style(hu_buf *b, const hu_html_place *pl) {
    hu_html_place def = {2, 2, 1};
    if (!pl) pl = &def;
    hu_buf_printf(b,
                  ".hu-signature{display:table;margin:%.4gem %.4gem 0 auto;}\n"
                  ".hu-signature p{text-indent:0;text-align:left;margin:0;white-space:nowrap;}\n"
                  ".hu-signature p:nth-child(2){padding-left:%.4gem;}\n"
                  ".hu-signature p:nth-child(n+3){text-align:right;}\n",
                  1.8 * (pl->signature_blank_before > 0 ? pl->signature_blank_before : 0),
                  pl->signature_right_chars, pl->date_shift_chars);
}

char *hu_markdown_html(cmark_node *doc, const char *title, const hu_html_place *place) {
    set_block_html(doc, true);
    char *body = hu_markdown_render_html_body(doc);
    set_block_html(doc, false);
    hu_buf b = HU_BUF_INIT;
    hu_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>");
    /* the one escaper of markup (ooxml.h): XML rules are valid HTML, and a control character
     * in a title shows as 〓 there as in every other output */
    hu_xml_esc(&b, title ? title : "工作情况汇报");
    hu_buf_puts(&b, "</title>\n<style>\n");
    hu_buf_puts(&b, page_style);
    signature_style(&b, place);
    hu_buf_puts(&b, "</style>\n</head>\n<body>\n");
    hu_buf_puts(&b, body);
    hu_buf_puts(&b, "</body>\n</html>\n");
    free(body);
    return hu_buf_detach(&b);
}

char *hu_markdown_to_html(const char *md, size_t len, const char *title) {
    cmark_node *doc = hu_doc_parse(md, len);
    char *page = hu_markdown_html(doc, title, NULL);
    cmark_node_free(doc);
    return page;
}
