/* docx.c - the report as a WordprocessingML package (see docx.h).
 *
 * Three steps:
 *  1. Styles: our style set gets its ids; with a reference .docx, a style of the same name
 *     there takes the place of ours (its id is used), the rest of ours are added to its set.
 *  2. The walk: every block of the cmark-gfm document is classified once (classify(), the one
 *     place that knows which block a node is: today the HTML-comment markers and Markdown
 *     shapes layout.c reads, later the typed blocks of the rendered document) and written as a
 *     paragraph or table of document.xml. Values that depend on the text (the signature's and
 *     date's right indents, the attachment hanging indent, the table's font size) are noted.
 *  3. styles.xml from the style set and those values, the other parts, and the zip.
 *
 * Units: style.yaml lengths are points; WordprocessingML wants twentieths of a point (twips),
 * half-points for font sizes and hundredths of a character for *Chars indents. */
#include "docx.h"

#include <cmark-gfm-core-extensions.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "colwidth.h"
#include "linebreak.h"
#include "doc.h"
#include "fileio.h"
#include "ooxml.h"
#include "segment.h"
#include "titlebreak.h"
#include "utf8.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define SOFT_BREAK 0x110001u
#define EPS 0.01
/* hu_table_params.header_slack_em of the DOCX (colwidth.h): Word and WPS measure a header
 * with the office's fonts and space figures from CJK, so a 4-character header sized by our
 * metrics alone wraps there ("完成|率"). */
#define DOCX_HEADER_SLACK_EM 0.25
/* The space those programs put between a figure and a Han character in a table cell (about a
 * fifth of an em in LibreOffice 7.4, which ignores w:autoSpaceDN), added to the figure's width
 * when the DOCX measures its cells (hu_docx_options.exact_columns: not). */
#define DOCX_AUTOSPACE_EM 0.25

static int tw(double pt) {
    return (int)lround(pt * 20);
}

/* ================================================================ the style set */

enum {
    S_NORMAL,
    S_TITLE,
    S_H1,
    S_H2,
    S_H3,
    S_H4,
    S_RECIPIENT,
    S_ATTACH,
    S_ATTACH_MORE,
    S_SIGNATURE,
    S_DATE,
    S_VERBATIM,
    S_CAPTION,
    S_TABLE,
    S_TTEXT,
    S_TNUM,
    S_THEAD,
    S_PAGENO,
    S_PAGENO_EVEN,
    S_LEAD1,
    S_LEAD2,
    S_LEAD3,
    S_LEAD4,
    S_EMPH,
    S_COUNT
};

typedef struct sdef {
    char type; /* 'p' paragraph, 'c' character, 't' table */
    const char *id, *name;
    const char *alias; /* another name a reference template may use for it, or NULL */
} sdef;

/* Normal and Title are Word's built-in styles, which Chinese Word shows as 正文 and 标题. */
static const sdef SDEF[S_COUNT] = {
    {'p', "Normal", "Normal", "正文"},
    {'p', "Title", "Title", "标题"},
    {'p', "HuHeading1", "一级标题", NULL},
    {'p', "HuHeading2", "二级标题", NULL},
    {'p', "HuHeading3", "三级标题", NULL},
    {'p', "HuHeading4", "四级标题", NULL},
    {'p', "HuRecipient", "主送机关", NULL},
    {'p', "HuAttachment", "附件说明", NULL},
    {'p', "HuAttachmentMore", "附件说明（续）", NULL},
    {'p', "HuSignature", "署名", NULL},
    {'p', "HuDate", "成文日期", NULL},
    {'p', "HuVerbatim", "原样文本", NULL},
    {'p', "HuTableCaption", "表题", NULL},
    {'t', "HuTable", "表格", NULL},
    {'p', "HuTableText", "表格文字", NULL},
    {'p', "HuTableNumber", "表格数字", NULL},
    {'p', "HuTableHeader", "表头", NULL},
    {'p', "HuPageNumber", "页码", NULL},
    {'p', "HuPageNumberEven", "页码（双页）", NULL},
    {'c', "HuLead1", "一级引导句", NULL},
    {'c', "HuLead2", "二级引导句", NULL},
    {'c', "HuLead3", "三级引导句", NULL},
    {'c', "HuLead4", "四级引导句", NULL},
    {'c', "HuEmphasis", "强调", NULL},
};

/* The font family names offices have; the bundled Fandol faces are the documented alternates
 * (docs/templates.md). altName is what Word tries when the first is not installed. */
static const char *const OFFICE_FONT[HU_ROLE_COUNT] = {
    "仿宋", "宋体", "楷体", "黑体", "方正小标宋简体", "Times New Roman", "Times New Roman"};
static const char *const OFFICE_ALT[HU_ROLE_COUNT] = {
    "仿宋_GB2312",    "SimSun",           "楷体_GB2312",     "SimHei",
    "方正小标宋_GBK", "Liberation Serif", "Liberation Serif"};

/* ================================================================ inline text */

enum { A_STRONG = 1, A_EMPH = 2, A_STRIKE = 4, A_LEAD = 8 };

typedef struct ptext {
    uint32_t *cp;
    uint8_t *at;
    size_t n, cap;
} ptext;

static void pt_push(ptext *t, uint32_t cp, unsigned at) {
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 128;
        t->cp = hu_xrealloc(t->cp, t->cap * sizeof *t->cp);
        t->at = hu_xrealloc(t->at, t->cap);
    }
    /* as the layout measures them: a tab or control character is a space */
    if (cp != '\n' && cp != SOFT_BREAK && cp < 0x20) cp = ' ';
    t->cp[t->n] = cp;
    t->at[t->n++] = (uint8_t)at;
}

static void pt_utf8(ptext *t, const char *s, unsigned at) {
    if (!s) return;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += hu_utf8_decode(s + i, n - i, &cp);
        if (cp == '\r') continue;
        pt_push(t, cp == '\n' ? ' ' : cp, at);
    }
}

static void pt_free(ptext *t) {
    free(t->cp), free(t->at);
    memset(t, 0, sizeof *t);
}

typedef struct {
    ptext *t;
    unsigned base;
} collector;

static void collect_piece(void *ctx, hu_md_piece piece, const char *s, unsigned style) {
    collector *k = ctx;
    unsigned at = k->base | ((style & HU_MD_STRONG) ? A_STRONG : 0) |
                  ((style & HU_MD_EMPH) ? A_EMPH : 0) | ((style & HU_MD_STRIKE) ? A_STRIKE : 0);
    if (piece == HU_MD_TEXT)
        pt_utf8(k->t, s, at);
    else
        pt_push(k->t, piece == HU_MD_SOFTBREAK ? SOFT_BREAK : '\n', at);
}

static void collect(ptext *t, cmark_node *n, unsigned base) {
    collector k = {t, base};
    hu_doc_inlines(n, 0, collect_piece, &k);
}

static void collect_node(ptext *t, cmark_node *n, unsigned base) {
    collector k = {t, base};
    hu_doc_inline(n, 0, collect_piece, &k);
}

/* As layout.c: a soft break follows the one join rule (hu_cjk_joins), else a space between
 * Latin words; the blanks that start and end a block are never set. */
static void resolve(ptext *t) {
    size_t o = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->cp[i] == SOFT_BREAK) {
            uint32_t a = o > 0 ? t->cp[o - 1] : ' ';
            uint32_t b = i + 1 < t->n ? t->cp[i + 1] : ' ';
            if (!hu_soft_break_is_space(a, b)) continue;
            t->cp[i] = ' ';
        }
        t->cp[o] = t->cp[i], t->at[o] = t->at[i];
        o++;
    }
    t->n = o;
    while (t->n > 0 && (t->cp[t->n - 1] == ' ' || t->cp[t->n - 1] == '\n'))
        t->n--;
    size_t s = 0;
    while (s < t->n && t->cp[s] == ' ')
        s++;
    if (s) {
        memmove(t->cp, t->cp + s, (t->n - s) * sizeof *t->cp);
        memmove(t->at, t->at + s, t->n - s);
        t->n -= s;
    }
}

/* ================================================================ the writer */

typedef struct W {
    const hu_docx_options *o;
    const hu_style *st;
    hu_diags *d;
    char *id[S_COUNT];
    hu_buf body;
    /* walk state, as layout.c keeps it */
    bool sig_mode;  /* inside the signature block */
    bool recipient; /* inside the recipient block */
    int attach;     /* inside the attachments block: 1 at its first paragraph, 2 after */
    int cur_level;
    ptext t, sig;
    long keep_at; /* where <w:keepNext/> would go in the last paragraph, or -1 */
    /* the last paragraphs: where their keepNext would go, their style, whether empty */
    struct {
        long at;
        int style;
        bool empty;
    } recent[16];
    int nrecent;
    bool last_is_table;
    /* geometry (pt) */
    double W, trk, chw;
    int scale; /* w:w of body-size text, percent: chars_per_line glyphs fill the line */
    /* values the text decides, for styles.xml */
    double sig_right, date_right; /* in body characters */
    double attach_label;          /* width of "1. " in body characters; 0: not numbered */
    bool attach_numbered;
    double table_size;
    bool any_table;
} W;

static bool latin_alnum(uint32_t c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '%';
}

/* A boundary between a Han character and a Latin letter or figure. */
static bool han_latin_gap(uint32_t a, uint32_t b) {
    bool ha = hu_is_cjk(a) && !hu_is_cjk_punct(a), hb = hu_is_cjk(b) && !hu_is_cjk_punct(b);
    return (ha && latin_alnum(b)) || (hb && latin_alnum(a));
}

/* Advance of cp in em as the layout measures it (the font's, or a nominal 1/2 or 1 em when no
 * metrics are given). */
static double adv_em(W *w, hu_font_role role, uint32_t cp) {
    double em = 1;
    if (!w->o->metrics || w->o->metrics->lookup(w->o->metrics->ctx, role, cp, &em) < 0)
        em = cp < 0x80 ? 0.5 : 1;
    return em;
}

/* Width of cps in pt as the layout measures them: font advances at size, plus the grid's
 * tracking for body-size text. */
static double width(W *w, hu_font_role role, double size, const uint32_t *cp, size_t n) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (cp[i] == '\n') continue;
        sum += adv_em(w, role, cp[i]) * size + (fabs(size - w->st->body_size) < EPS ? w->trk : 0);
    }
    return sum;
}

static void chars_ind(hu_buf *b, const char *side, double chars, double chw) {
    hu_buf_printf(b, " w:%sChars=\"%ld\" w:%s=\"%d\"", side, lround(chars * 100), side,
                  tw(chars * chw));
}

/* <w:p><w:pPr><w:pStyle/>…: keep_at marks the place for a keepNext (schema order). */
static void para_begin(W *w, int style, const char *extra_ppr) {
    hu_buf_printf(&w->body, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/>", w->id[style]);
    w->keep_at = (long)w->body.len;
    if (w->nrecent == 16) {
        memmove(w->recent, w->recent + 1, 15 * sizeof *w->recent);
        w->nrecent--;
    }
    w->recent[w->nrecent].at = w->keep_at;
    w->recent[w->nrecent].style = style;
    w->recent[w->nrecent++].empty = true;
    if (extra_ppr) hu_buf_puts(&w->body, extra_ppr);
    hu_buf_puts(&w->body, "</w:pPr>");
    w->last_is_table = false;
}

static void para_end(W *w) {
    /* a paragraph with a run is not empty */
    if (w->nrecent && strstr(w->body.data + w->recent[w->nrecent - 1].at, "<w:r>"))
        w->recent[w->nrecent - 1].empty = false;
    hu_buf_puts(&w->body, "</w:p>");
}

static void empty_para(W *w) {
    para_begin(w, S_NORMAL, NULL);
    para_end(w);
}

static void runs(W *w, hu_buf *b, const ptext *t, size_t s, size_t e, int lead_style,
                 bool body_role);

/* 表题: the paragraph in w->t, centred above its table and kept with it. */
static void do_caption(W *w) {
    para_begin(w, S_CAPTION, NULL);
    runs(w, &w->body, &w->t, 0, w->t.n, -1, false);
    para_end(w);
}

/* Runs for t[s..e): one run per stretch of equal attributes, '\n' a <w:br/>. body_role: the
 * paragraph's font is the body font, so *emphasis* switches to the 强调 style. */
static void runs(W *w, hu_buf *b, const ptext *t, size_t s, size_t e, int lead_style,
                 bool body_role) {
    hu_buf u = HU_BUF_INIT;
    for (size_t i = s; i < e;) {
        if (t->cp[i] == '\n') {
            hu_buf_puts(b, "<w:r><w:br/></w:r>");
            i++;
            continue;
        }
        size_t j = i;
        while (j < e && t->cp[j] != '\n' && t->at[j] == t->at[i])
            j++;
        unsigned at = t->at[i];
        hu_buf_puts(b, "<w:r>");
        int rs = (at & A_LEAD) ? lead_style : (at & A_EMPH) && body_role ? S_EMPH : -1;
        bool bold = (at & A_STRONG) && w->st->strong_bold && !(at & A_LEAD);
        bool strike = at & A_STRIKE;
        if (rs >= 0 || bold || strike) {
            hu_buf_puts(b, "<w:rPr>");
            if (rs >= 0) hu_buf_printf(b, "<w:rStyle w:val=\"%s\"/>", w->id[rs]);
            if (bold) hu_buf_puts(b, "<w:b/><w:bCs/>");
            if (strike) hu_buf_puts(b, "<w:strike/>");
            hu_buf_puts(b, "</w:rPr>");
        }
        hu_buf_clear(&u);
        for (size_t k = i; k < j; k++)
            hu_buf_put_cp(&u, t->cp[k]);
        hu_buf_puts(b, "<w:t xml:space=\"preserve\">");
        hu_xml_esc_n(b, hu_buf_cstr(&u), u.len);
        hu_buf_puts(b, "</w:t></w:r>");
        i = j;
    }
    hu_buf_free(&u);
}

/* ---------------------------------------------------------------- blocks */

typedef enum {
    B_SKIP,
    B_TITLE,
    B_HEADING,
    B_RECIPIENT,
    B_BODY,
    B_ATTACH,
    B_ATTACH_MORE,
    B_SIGNATURE, /* a paragraph of the signature block (署名, 成文日期) */
    B_VERBATIM,
    B_BLANK,
    B_CAPTION, /* 表题: a "表1　…" paragraph right before a table (doc.h) */
    B_TYPED,   /* a structural block of the template (doc.h) */
    B_TABLE,
    B_LIST,
    B_CONTAINER,
} bkind;

static bool is_type(cmark_node *n, const char *name) {
    const char *s = cmark_node_get_type_string(n);
    return s && strcmp(s, name) == 0;
}

/* The run-in lead sentence's level from its ordinal (一、 （一） 1. （1）), 0 when none: the
 * rule layout.c applies (ordinal_level). */
static int ordinal_level(const ptext *t) {
    if (t->n < 2) return 0;
    static const char *num = "一二三四五六七八九十";
    char buf[8];
    uint32_t c0 = t->cp[0];
    if (c0 == 0xFF08 && t->n >= 3) {
        uint32_t c1 = t->cp[1];
        if (c1 >= '0' && c1 <= '9') return 4;
        buf[hu_utf8_encode(c1, buf)] = 0;
        return strstr(num, buf) ? 2 : 0;
    }
    if (c0 >= '0' && c0 <= '9') {
        size_t i = 0;
        while (i < t->n && t->cp[i] >= '0' && t->cp[i] <= '9')
            i++;
        return i < t->n && (t->cp[i] == '.' || t->cp[i] == 0xFF0E) ? 3 : 0;
    }
    buf[hu_utf8_encode(c0, buf)] = 0;
    if (strstr(num, buf))
        for (size_t i = 1; i < t->n && i < 3; i++)
            if (t->cp[i] == 0x3001) return 1;
    return 0;
}

/* A paragraph's text into w->t, with a run-in lead sentence marked A_LEAD; returns its level
 * (0: none). As layout.c's do_paragraph: the lead is a first **strong** child, and a 。，；：！？
 * right after it belongs to it. */
static int paragraph_text(W *w, cmark_node *n, const char *prefix) {
    ptext *t = &w->t;
    t->n = 0;
    if (prefix) pt_utf8(t, prefix, 0);
    cmark_node *first = cmark_node_first_child(n);
    int lv = 0;
    if (!prefix && first && cmark_node_get_type(first) == CMARK_NODE_STRONG) {
        ptext lead = {0};
        collect(&lead, first, 0);
        lv = ordinal_level(&lead);
        pt_free(&lead);
        if (lv == 0) lv = w->cur_level + 1;
        if (lv > 4) lv = 4;
        if (lv < 1) lv = 1;
        collect(t, first, A_LEAD);
        for (cmark_node *c = cmark_node_next(first); c; c = cmark_node_next(c)) {
            if (cmark_node_get_type(c) == CMARK_NODE_TEXT) {
                const char *s = cmark_node_get_literal(c);
                uint32_t cp = 0;
                size_t k = s && *s ? hu_utf8_decode(s, strlen(s), &cp) : 0;
                if (c == cmark_node_next(first) && k &&
                    (cp == 0x3002 || cp == 0xFF0C || cp == 0xFF1B || cp == 0xFF1A || cp == 0xFF01 ||
                     cp == 0xFF1F)) {
                    pt_push(t, cp, A_LEAD);
                    pt_utf8(t, s + k, 0);
                } else {
                    pt_utf8(t, s, 0);
                }
            } else {
                collect_node(t, c, 0);
            }
        }
    } else {
        collect(t, n, 0);
    }
    resolve(t);
    return lv;
}

/* THE ONE PLACE that decides which block a node is. The structure is the rendered document's
 * (doc.h): # is the title, ## … ##### headings, and the template's typed blocks say which
 * paragraphs are the 主送机关, the 附件说明 (the first, then its continuations), the 署名 and
 * 成文日期, and where an empty line goes; nothing is guessed from the text. For a paragraph
 * the text is left in w->t and *lead its lead level. */
static bkind classify(W *w, cmark_node *n, int *lead) {
    *lead = 0;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_HEADING:
        return cmark_node_get_heading_level(n) == 1 ? B_TITLE : B_HEADING;
    case CMARK_NODE_PARAGRAPH: {
        *lead = paragraph_text(w, n, NULL);
        if (w->t.n == 0) return B_SKIP;
        if (w->sig_mode) return B_SIGNATURE;
        if (w->recipient) return B_RECIPIENT;
        if (w->attach) return w->attach++ == 1 ? B_ATTACH : B_ATTACH_MORE;
        cmark_node *next = cmark_node_next(n);
        size_t label;
        if (next && is_type(next, "table") && hu_doc_caption_label(w->t.cp, w->t.n, &label))
            return B_CAPTION;
        return B_BODY;
    }
    case CMARK_NODE_LIST:
        return B_LIST;
    case CMARK_NODE_BLOCK_QUOTE:
        return B_CONTAINER;
    case CMARK_NODE_CODE_BLOCK:
        return B_VERBATIM;
    case CMARK_NODE_HTML_BLOCK:
        /* a comment is an author's note, never an instruction, whatever it says */
        return hu_doc_html_kind(cmark_node_get_literal(n)) != HU_HTML_COMMENT ? B_VERBATIM : B_SKIP;
    case CMARK_NODE_CUSTOM_BLOCK:
        return hu_doc_block(n) == HU_BLOCK_BLANK ? B_BLANK : B_TYPED;
    case CMARK_NODE_THEMATIC_BREAK:
        return B_BLANK;
    default:
        return is_type(n, "table") ? B_TABLE : B_SKIP;
    }
}

static void do_title(W *w, cmark_node *n) {
    ptext *t = &w->t;
    t->n = 0;
    collect(t, n, 0);
    resolve(t);
    if (t->n == 0) return;
    const hu_style *st = w->st;
    /* the lines break where the PDF's do: the one title breaker, on the same nominal widths */
    size_t *ends = hu_xmalloc(t->n * sizeof *ends);
    size_t nl = hu_title_lines(t->cp, t->n, st->title_max_chars, w->W / st->title_size, ends);
    para_begin(w, S_TITLE, NULL);
    size_t s = 0;
    for (size_t k = 0; k < nl; k++) {
        while (s < ends[k] && t->cp[s] == ' ')
            s++;
        size_t e = ends[k];
        while (e > s && t->cp[e - 1] == ' ')
            e--;
        runs(w, &w->body, t, s, e, -1, st->title_role == st->body_role);
        if (k + 1 < nl) hu_buf_puts(&w->body, "<w:r><w:br/></w:r>");
        s = ends[k];
    }
    free(ends);
    para_end(w);
}

static void do_heading(W *w, cmark_node *n) {
    int lv = cmark_node_get_heading_level(n) - 1;
    if (lv > 4) lv = 4;
    ptext *t = &w->t;
    t->n = 0;
    collect(t, n, 0);
    resolve(t);
    w->cur_level = lv;
    if (t->n == 0) return;
    para_begin(w, S_H1 + lv - 1, NULL);
    runs(w, &w->body, t, 0, t->n, -1, w->st->heading[lv - 1].role == w->st->body_role);
    para_end(w);
}

static void do_verbatim(W *w, cmark_node *n) {
    ptext *t = &w->t;
    t->n = 0;
    const char *s = cmark_node_get_literal(n);
    if (!s) return;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += hu_utf8_decode(s + i, len - i, &cp);
        if (cp != '\r') pt_push(t, cp, 0);
    }
    while (t->n && t->cp[t->n - 1] == '\n')
        t->n--;
    if (!t->n) return;
    para_begin(w, S_VERBATIM, NULL);
    runs(w, &w->body, t, 0, t->n, -1, true);
    para_end(w);
}

static bool is_row(cmark_node *n) {
    return is_type(n, "table_row") || is_type(n, "table_header");
}

static void do_table(W *w, cmark_node *tbl) {
    const hu_style *st = w->st;
    size_t nc = cmark_gfm_extensions_get_table_columns(tbl);
    uint8_t *al = cmark_gfm_extensions_get_table_alignments(tbl);
    size_t nr = 0;
    for (cmark_node *r = cmark_node_first_child(tbl); r; r = cmark_node_next(r))
        nr += is_row(r);
    if (!nc || !nr) return;
    ptext *cells = hu_xcalloc(nr * nc, sizeof *cells);
    bool *hdr = hu_xcalloc(nr, sizeof *hdr);
    double *cw = hu_xcalloc(nc, sizeof *cw);
    size_t ri = 0;
    for (cmark_node *r = cmark_node_first_child(tbl); r; r = cmark_node_next(r)) {
        if (!is_row(r)) continue;
        hdr[ri] = cmark_gfm_extensions_get_table_row_is_header(r);
        size_t ci = 0;
        for (cmark_node *c = cmark_node_first_child(r); c && ci < nc; c = cmark_node_next(c)) {
            if (!is_type(c, "table_cell")) continue;
            ptext *t = &cells[ri * nc + ci++];
            collect(t, c, 0);
            resolve(t);
        }
        ri++;
    }
    /* The size and the columns: the one table geometry (colwidth.h) on extents measured as
     * layout.c measures them (font advances in em, the same punctuation rules) */
    hu_cell_extent *ext = hu_xcalloc(nr * nc, sizeof *ext);
    double *em = NULL;
    for (size_t i = 0; i < nr * nc; i++) {
        ptext *t = &cells[i];
        if (!t->n) continue;
        hu_font_role role = hdr[i / nc] ? st->table_header_role : st->table_role;
        em = hu_xrealloc(em, t->n * sizeof *em);
        for (size_t k = 0; k < t->n; k++)
            em[k] = adv_em(w, role, t->cp[k]);
        /* Word, WPS and LibreOffice put space between figures and Han ("0.9 个百分点")
         * whatever autoSpaceDN says: measured here as they draw it */
        for (size_t k = 0; k + 1 < t->n && !w->o->exact_columns; k++)
            if (han_latin_gap(t->cp[k], t->cp[k + 1])) em[k] += DOCX_AUTOSPACE_EM;
        ext[i] = hu_cell_extent_of(t->cp, em, t->n, st->punct_compress);
    }
    free(em);
    const double pad_em = 0.5;
    hu_table_params tpar = {w->W, st->table_size, st->table_min_size, pad_em,
                            w->o->exact_columns ? 0 : DOCX_HEADER_SLACK_EM};
    hu_table_geom geom = hu_table_geometry(ext, hdr, nr, nc, &tpar, cw);
    free(ext);
    /* Word sizes fonts in half points: the next smaller one, so the text fits its columns */
    double size = floor(geom.size * 2 + 1e-9) / 2;
    w->table_size = w->any_table ? fmin(w->table_size, size) : size;
    w->any_table = true;
    /* grid columns in twips, summing to the text width exactly */
    int total = tw(w->W), sum = 0;
    int *gc = hu_xcalloc(nc, sizeof *gc);
    for (size_t c = 0; c < nc; c++) {
        gc[c] = c + 1 < nc ? tw(cw[c] + 2 * pad_em * geom.size) : total - sum;
        sum += gc[c];
    }
    hu_buf *b = &w->body;
    hu_buf_printf(b,
                  "<w:tbl><w:tblPr><w:tblStyle w:val=\"%s\"/><w:tblW w:w=\"%d\" w:type=\"dxa\"/>"
                  "<w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/>"
                  /* the padding the columns were sized with, on the table itself: LibreOffice
                   * takes the table style's margins from "Normal Table" (108 twips) */
                  "<w:tblCellMar><w:left w:w=\"%d\" w:type=\"dxa\"/><w:right w:w=\"%d\" "
                  "w:type=\"dxa\"/></w:tblCellMar><w:tblLook "
                  "w:val=\"0420\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" "
                  "w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
                  w->id[S_TABLE], total, tw(pad_em * geom.size), tw(pad_em * geom.size));
    for (size_t c = 0; c < nc; c++)
        hu_buf_printf(b, "<w:gridCol w:w=\"%d\"/>", gc[c]);
    hu_buf_puts(b, "</w:tblGrid>");
    for (size_t r = 0; r < nr; r++) {
        /* rows never split across pages; the header rows repeat on every page */
        hu_buf_printf(b, "<w:tr><w:trPr><w:cantSplit/>%s</w:trPr>", hdr[r] ? "<w:tblHeader/>" : "");
        for (size_t c = 0; c < nc; c++) {
            ptext *t = &cells[r * nc + c];
            int style = S_TTEXT;
            if (hdr[r])
                style = S_THEAD;
            else if (al && al[c] == 'r')
                style = S_TNUM;
            else if ((!al || !al[c]) && hu_cell_numeric(t->cp, t->n))
                style = S_TNUM;
            const char *jc = !hdr[r] && al && al[c] == 'c' ? "<w:jc w:val=\"center\"/>" : "";
            hu_buf_printf(b,
                          "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/><w:vAlign "
                          "w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"%s\"/>%s"
                          "</w:pPr>",
                          gc[c], w->id[style], jc);
            runs(w, b, t, 0, t->n, -1, false);
            hu_buf_puts(b, "</w:p></w:tc>");
        }
        hu_buf_puts(b, "</w:tr>");
    }
    hu_buf_puts(b, "</w:tbl>");
    w->last_is_table = true;
    w->keep_at = -1;
    w->nrecent = 0; /* a table ends the chain kept with the signature */
    for (size_t i = 0; i < nr * nc; i++)
        pt_free(&cells[i]);
    free(cells), free(hdr), free(cw), free(gc);
}

static void do_paragraph(W *w, bkind k, int lead, double extra_indent) {
    ptext *t = &w->t;
    int style = k == B_RECIPIENT     ? S_RECIPIENT
                : k == B_ATTACH      ? S_ATTACH
                : k == B_ATTACH_MORE ? S_ATTACH_MORE
                                     : S_NORMAL;
    if (k == B_ATTACH) {
        /* "附件：1. 名称": numbered when a label follows the colon */
        size_t i = 3;
        bool digits = i < t->n && t->cp[i] >= '0' && t->cp[i] <= '9';
        w->attach_numbered = w->attach_numbered || digits;
    }
    if (k == B_ATTACH || k == B_ATTACH_MORE) {
        /* the label "1. " (or "12. ") : its width decides the hanging indent */
        size_t s = k == B_ATTACH ? 3 : 0, e = s;
        while (e < t->n && t->cp[e] >= '0' && t->cp[e] <= '9')
            e++;
        if (e > s && e < t->n && (t->cp[e] == '.' || t->cp[e] == 0xFF0E)) {
            e++;
            while (e < t->n && t->cp[e] == ' ')
                e++;
            double lw = width(w, w->st->body_role, w->st->body_size, t->cp + s, e - s) / w->chw;
            w->attach_label = fmax(w->attach_label, lw);
        }
    }
    char extra[160] = "";
    if (extra_indent > 0) {
        hu_buf e = HU_BUF_INIT;
        hu_buf_puts(&e, "<w:ind");
        chars_ind(&e, "firstLine", w->st->indent_chars + extra_indent, w->chw);
        hu_buf_puts(&e, "/>");
        snprintf(extra, sizeof extra, "%s", e.data);
        hu_buf_free(&e);
    }
    para_begin(w, style, extra[0] ? extra : NULL);
    runs(w, &w->body, t, 0, t->n, lead ? S_LEAD1 + lead - 1 : -1, true);
    para_end(w);
}

static void do_blocks(W *w, cmark_node *parent, double indent);

static void do_list(W *w, cmark_node *list, double indent) {
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    int k = cmark_node_get_list_start(list);
    for (cmark_node *itm = cmark_node_first_child(list); itm; itm = cmark_node_next(itm), k++) {
        bool first = true;
        for (cmark_node *b = cmark_node_first_child(itm); b; b = cmark_node_next(b)) {
            if (cmark_node_get_type(b) == CMARK_NODE_PARAGRAPH) {
                char pre[32];
                snprintf(pre, sizeof pre, ordered ? "%d." : "●", k);
                int lead = paragraph_text(w, b, first ? pre : NULL);
                if (w->t.n == 0) {
                } else if (w->sig_mode) {
                    /* a list inside the signature block: its text joins the block */
                    if (w->sig.n) pt_push(&w->sig, '\n', 0);
                    for (size_t i = 0; i < w->t.n; i++)
                        pt_push(&w->sig, w->t.cp[i], w->t.at[i]);
                } else {
                    do_paragraph(w, B_BODY, lead, indent);
                }
            } else if (cmark_node_get_type(b) == CMARK_NODE_LIST) {
                do_list(w, b, indent + 1);
            } else {
                do_blocks(w, b, indent);
            }
            first = false;
        }
    }
}

static void do_block(W *w, cmark_node *n, double indent) {
    int lead;
    bkind k = classify(w, n, &lead);
    switch (k) {
    case B_SKIP:
        break;
    case B_TITLE:
        do_title(w, n);
        break;
    case B_HEADING:
        do_heading(w, n);
        break;
    case B_RECIPIENT:
    case B_BODY:
    case B_ATTACH:
    case B_ATTACH_MORE:
        do_paragraph(w, k, lead, indent);
        break;
    case B_SIGNATURE:
        if (w->sig.n) pt_push(&w->sig, '\n', 0);
        for (size_t i = 0; i < w->t.n; i++)
            pt_push(&w->sig, w->t.cp[i], w->t.at[i]);
        break;
    case B_VERBATIM:
        do_verbatim(w, n);
        break;
    case B_BLANK:
        empty_para(w);
        break;
    case B_CAPTION:
        do_caption(w);
        break;
    case B_TYPED: {
        hu_block_kind bk = hu_doc_block(n);
        w->recipient = bk == HU_BLOCK_RECIPIENT;
        w->sig_mode = bk == HU_BLOCK_SIGNATURE;
        w->attach = bk == HU_BLOCK_ATTACHMENTS;
        do_blocks(w, n, indent);
        w->recipient = w->sig_mode = false;
        w->attach = 0;
        break;
    }
    case B_TABLE:
        do_table(w, n);
        break;
    case B_LIST:
        do_list(w, n, indent);
        break;
    case B_CONTAINER:
        do_blocks(w, n, indent);
        break;
    }
}

static void do_blocks(W *w, cmark_node *parent, double indent) {
    for (cmark_node *b = cmark_node_first_child(parent); b; b = cmark_node_next(b))
        do_block(w, b, indent);
}

/* 署名 and 成文日期 (GB/T 9704 7.3.5.2, no seal): the 署名 右空二字, the date starting two
 * characters right of the 署名, or 右空二字 itself with the 署名 moved left when it is longer —
 * the right indents go into the two styles. The paragraph before is kept with them. */
static void do_signature(W *w) {
    ptext *t = &w->sig;
    if (!t->n) return;
    size_t ls[64], le[64], n = 0, s = 0;
    for (size_t i = 0; i <= t->n && n < 64; i++)
        if (i == t->n || t->cp[i] == '\n') {
            ls[n] = s, le[n] = i, n++;
            s = i + 1;
        }
    const hu_style *st = w->st;
    w->sig_right = st->signature_right_chars;
    w->date_right = st->signature_right_chars;
    if (n >= 2) {
        double wo = width(w, st->body_role, st->body_size, t->cp + ls[0], le[0] - ls[0]);
        double wd = width(w, st->body_role, st->body_size, t->cp + ls[1], le[1] - ls[1]);
        double right = w->W - st->signature_right_chars * w->chw;
        double xo = right - wo, xd = xo + st->date_shift_chars * w->chw;
        if (xd + wd > right + EPS) {
            xd = right - wd;
            xo = xd - st->date_shift_chars * w->chw;
        }
        w->sig_right = fmax(0, (w->W - xo - wo) / w->chw);
        w->date_right = fmax(0, (w->W - xd - wd) / w->chw);
    }
    /* The signature never goes to a page alone (7.3.5.5; the PDF tightens the last page, Word
     * cannot): the paragraphs before it are kept with it back to the last text paragraph —
     * the 附件说明, the blank line before them and the closing "特此汇报。". Inserted from the
     * last paragraph backwards so the earlier offsets stay valid. */
    for (int k = w->nrecent - 1; k >= 0; k--) {
        long at = w->recent[k].at;
        hu_buf tail = HU_BUF_INIT;
        hu_buf_put(&tail, w->body.data + at, w->body.len - (size_t)at);
        w->body.len = (size_t)at;
        hu_buf_puts(&w->body, "<w:keepNext/>");
        hu_buf_put(&w->body, tail.data, tail.len);
        hu_buf_free(&tail);
        int st_k = w->recent[k].style;
        if (!w->recent[k].empty && st_k != S_ATTACH && st_k != S_ATTACH_MORE) break;
    }
    for (size_t i = 0; i < n; i++) {
        if (le[i] <= ls[i]) continue;
        para_begin(w, i == 1 ? S_DATE : S_SIGNATURE, NULL);
        runs(w, &w->body, t, ls[i], le[i], -1, true);
        para_end(w);
    }
}

/* ================================================================ parts */

static const char *font_of(const W *w, hu_font_role r) {
    return w->o->font_name[r] ? w->o->font_name[r] : OFFICE_FONT[r];
}

static void rfonts(W *w, hu_buf *b, hu_font_role r, bool latin_too) {
    hu_buf_puts(b, "<w:rFonts w:ascii=\"");
    const char *latin = latin_too ? font_of(w, r) : font_of(w, HU_ROLE_LATIN);
    hu_xml_esc(b, latin);
    hu_buf_puts(b, "\" w:hAnsi=\"");
    hu_xml_esc(b, latin);
    hu_buf_puts(b, "\" w:eastAsia=\"");
    hu_xml_esc(b, font_of(w, r));
    hu_buf_puts(b, "\" w:cs=\"");
    hu_xml_esc(b, latin);
    /* “” — … are East Asian in Chinese text (full width, from the CJK font, as in the PDF) */
    hu_buf_puts(b, "\" w:hint=\"eastAsia\"/>");
}

/* Width scale and size: body-size text is set chars_per_line to a line as in the PDF (which
 * tracks each glyph by -0.207 pt, format.md §1.1) by narrowing the glyphs to the grid's
 * character pitch (98 %); other sizes keep 100 %. Not tracking: LibreOffice drops negative
 * character spacing from East Asian text under a character grid and sets only 27 to a line. */
static void sz(W *w, hu_buf *b, double pt) {
    int scale = fabs(pt - w->st->body_size) < EPS ? w->scale : 100;
    hu_buf_printf(b, "<w:w w:val=\"%d\"/>", scale);
    long v = lround(pt * 2);
    hu_buf_printf(b, "<w:sz w:val=\"%ld\"/><w:szCs w:val=\"%ld\"/>", v, v);
}

static void style_open(W *w, hu_buf *b, int s, int based, bool qformat) {
    const sdef *d = &SDEF[s];
    const char *type = d->type == 'p' ? "paragraph" : d->type == 'c' ? "character" : "table";
    hu_buf_printf(b, "<w:style w:type=\"%s\"%s w:styleId=\"", type,
                  s == S_NORMAL  ? " w:default=\"1\""
                  : s <= S_TITLE ? ""
                                 : " w:customStyle=\"1\"");
    hu_xml_esc(b, w->id[s]);
    hu_buf_puts(b, "\"><w:name w:val=\"");
    hu_xml_esc(b, d->name);
    hu_buf_puts(b, "\"/>");
    if (based >= 0) {
        hu_buf_puts(b, "<w:basedOn w:val=\"");
        hu_xml_esc(b, w->id[based]);
        hu_buf_puts(b, "\"/>");
    }
    if (d->type == 'p' && s != S_NORMAL) {
        hu_buf_puts(b, "<w:next w:val=\"");
        hu_xml_esc(b, w->id[s == S_TTEXT || s == S_TNUM || s == S_THEAD ? s : S_NORMAL]);
        hu_buf_puts(b, "\"/>");
    }
    if (qformat) hu_buf_puts(b, "<w:qFormat/>");
}

/* Indents: first line (positive) or hanging (negative), left, right, in body characters. */
static void ind(W *w, hu_buf *b, double first, double left, double right) {
    hu_buf_puts(b, "<w:ind");
    if (left > 0 || first < 0) chars_ind(b, "left", left, w->chw);
    if (right > 0) chars_ind(b, "right", right, w->chw);
    if (first < 0)
        chars_ind(b, "hanging", -first, w->chw);
    else
        chars_ind(b, "firstLine", first, w->chw);
    hu_buf_puts(b, "/>");
}

static void spacing(hu_buf *b, double before, double after, double line, bool exact) {
    hu_buf_printf(b, "<w:spacing w:before=\"%d\" w:after=\"%d\" w:line=\"%d\" w:lineRule=\"%s\"/>",
                  tw(before), tw(after), exact ? tw(line) : 240, exact ? "exact" : "auto");
}

static void styles_xml(W *w, hu_buf *b) {
    const hu_style *st = w->st;
    double pitch = st->line_pitch;
    hu_buf_puts(b, XML_DECL "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>");
    rfonts(w, b, st->body_role, false);
    hu_buf_printf(b, "<w:sz w:val=\"%ld\"/><w:szCs w:val=\"%ld\"/>", lround(st->body_size * 2),
                  lround(st->body_size * 2));
    hu_buf_puts(b, "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr>"
                   "</w:rPrDefault><w:pPrDefault/></w:docDefaults>");
    /* 正文: 3号仿宋, justified, 左空二字, one line of the 22-line grid each (exact line pitch).
     * The paragraphs do not snap to the grid's characters: LibreOffice gives a character
     * wider than a grid cell two cells, so a 16 pt face on the 15.79 pt cells of a 28-character
     * grid ran 14 to a line there, and 27 when snapping is off. Glyphs at 98 % width (sz())
     * set 28 to a line in Word, WPS and LibreOffice alike; the grid stays in the section for
     * 页面设置 (22 × 28) and for text typed in other styles. */
    style_open(w, b, S_NORMAL, -1, true);
    hu_buf_puts(b, "<w:pPr><w:widowControl/><w:kinsoku/><w:overflowPunct w:val=\"0\"/>"
                   "<w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/>"
                   "<w:snapToGrid w:val=\"0\"/>");
    spacing(b, 0, 0, pitch, true);
    ind(w, b, st->indent_chars, 0, 0);
    hu_buf_puts(b, "<w:jc w:val=\"both\"/></w:pPr><w:rPr>");
    rfonts(w, b, st->body_role, false);
    sz(w, b, st->body_size);
    hu_buf_puts(b, "</w:rPr></w:style>");
    /* 标题: centred, its own line pitch (off the grid), the blank lines after it as space */
    style_open(w, b, S_TITLE, S_NORMAL, true);
    hu_buf_puts(b, "<w:pPr><w:keepNext/><w:keepLines/><w:snapToGrid w:val=\"0\"/>");
    spacing(b, 0, st->title_blank_after * pitch, st->title_line_pitch, true);
    ind(w, b, 0, 0, 0);
    hu_buf_puts(b, "<w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>");
    rfonts(w, b, st->title_role, false);
    hu_buf_puts(b, st->title_bold ? "<w:b/><w:bCs/>" : "<w:b w:val=\"0\"/><w:bCs w:val=\"0\"/>");
    sz(w, b, st->title_size);
    hu_buf_puts(b, "</w:rPr></w:style>");
    for (int i = 0; i < 4; i++) {
        const hu_heading_style *h = &st->heading[i];
        style_open(w, b, S_H1 + i, S_NORMAL, true);
        hu_buf_puts(b, "<w:pPr><w:keepNext/><w:keepLines/>");
        ind(w, b, h->indent_chars, 0, 0);
        hu_buf_printf(b, "<w:outlineLvl w:val=\"%d\"/></w:pPr><w:rPr>", i + 1);
        rfonts(w, b, h->role, false);
        hu_buf_puts(b, h->bold ? "<w:b/><w:bCs/>" : "");
        sz(w, b, h->size);
        hu_buf_puts(b, "</w:rPr></w:style>");
    }
    style_open(w, b, S_RECIPIENT, S_NORMAL, true);
    hu_buf_puts(b, "<w:pPr><w:keepNext/>");
    ind(w, b, 0, 0, 0);
    hu_buf_puts(b, "</w:pPr></w:style>");
    /* 附件说明 (7.3.4): 左空二字 "附件：", a wrapped name under the name's first character; with
     * several attachments "附件：1. …" and "2. …" under "1." */
    double colon = 3, label = w->attach_numbered ? w->attach_label : 0;
    style_open(w, b, S_ATTACH, S_NORMAL, true);
    hu_buf_puts(b, "<w:pPr><w:keepNext/>");
    ind(w, b, -(colon + label), st->indent_chars + colon + label, 0);
    hu_buf_puts(b, "</w:pPr></w:style>");
    style_open(w, b, S_ATTACH_MORE, S_ATTACH, false);
    hu_buf_puts(b, "<w:pPr>");
    ind(w, b, -label, st->indent_chars + colon + label, 0);
    hu_buf_puts(b, "</w:pPr></w:style>");
    style_open(w, b, S_SIGNATURE, S_NORMAL, true);
    hu_buf_puts(b, "<w:pPr><w:keepNext/><w:keepLines/>");
    spacing(b, st->signature_blank_before * pitch, 0, pitch, true);
    ind(w, b, 0, 0, w->sig_right);
    hu_buf_puts(b, "<w:jc w:val=\"right\"/></w:pPr></w:style>");
    style_open(w, b, S_DATE, S_NORMAL, true);
    hu_buf_puts(b, "<w:pPr><w:keepLines/>");
    ind(w, b, 0, 0, w->date_right);
    hu_buf_puts(b, "<w:jc w:val=\"right\"/></w:pPr></w:style>");
    style_open(w, b, S_VERBATIM, S_NORMAL, false);
    hu_buf_puts(b, "<w:pPr>");
    ind(w, b, 0, 0, 0);
    hu_buf_puts(b, "<w:jc w:val=\"left\"/></w:pPr></w:style>");
    style_open(w, b, S_CAPTION, S_NORMAL, true);
    hu_buf_puts(b, "<w:pPr><w:keepNext/><w:snapToGrid w:val=\"0\"/>");
    ind(w, b, 0, 0, 0);
    hu_buf_puts(b, "<w:jc w:val=\"center\"/></w:pPr><w:rPr>");
    rfonts(w, b, st->table_caption_role, false);
    sz(w, b, st->table_caption_size);
    hu_buf_puts(b, "</w:rPr></w:style>");
    /* 表格: 0.5 pt rules, cell margins as the PDF's (0.5 em sides, 0.3 em top and bottom) */
    double ts = w->any_table ? w->table_size : st->table_size;
    style_open(w, b, S_TABLE, -1, true);
    int rule = (int)lround(st->table_rule * 8);
    if (rule < 2) rule = 2;
    hu_buf_puts(b, "<w:tblPr><w:tblBorders>");
    static const char *const edges[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
    for (int i = 0; i < 6; i++)
        hu_buf_printf(b, "<w:%s w:val=\"single\" w:sz=\"%d\" w:space=\"0\" w:color=\"000000\"/>",
                      edges[i], rule);
    hu_buf_printf(b,
                  "</w:tblBorders><w:tblCellMar><w:top w:w=\"%d\" w:type=\"dxa\"/><w:left "
                  "w:w=\"%d\" w:type=\"dxa\"/><w:bottom w:w=\"%d\" w:type=\"dxa\"/><w:right "
                  "w:w=\"%d\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
                  tw(0.3 * ts), tw(0.5 * ts), tw(0.3 * ts), tw(0.5 * ts));
    style_open(w, b, S_TTEXT, S_NORMAL, true);
    hu_buf_puts(b, "<w:pPr><w:widowControl w:val=\"0\"/><w:snapToGrid w:val=\"0\"/>");
    spacing(b, 0, 0, ts * st->table_line_factor, true);
    ind(w, b, 0, 0, 0);
    hu_buf_puts(b, "<w:jc w:val=\"left\"/></w:pPr><w:rPr>");
    rfonts(w, b, st->table_role, false);
    sz(w, b, ts);
    hu_buf_puts(b, "</w:rPr></w:style>");
    style_open(w, b, S_TNUM, S_TTEXT, false);
    hu_buf_puts(b, "<w:pPr><w:jc w:val=\"right\"/></w:pPr></w:style>");
    style_open(w, b, S_THEAD, S_TTEXT, false);
    hu_buf_puts(b, "<w:pPr><w:keepNext/><w:jc w:val=\"center\"/></w:pPr><w:rPr>");
    rfonts(w, b, st->table_header_role, false);
    hu_buf_puts(b, "</w:rPr></w:style>");
    /* 页码: 4号半角宋体, 一字线 on each side; odd pages 居右空一字, even 居左空一字 */
    double inset = st->page_number_inset_chars;
    style_open(w, b, S_PAGENO, S_NORMAL, false);
    hu_buf_puts(b, "<w:pPr><w:snapToGrid w:val=\"0\"/>");
    spacing(b, 0, 0, st->page_number_size, true);
    hu_buf_printf(b,
                  "<w:ind w:left=\"0\" w:right=\"%d\" w:firstLine=\"0\" w:firstLineChars=\"0\"/>",
                  tw(inset * w->chw));
    hu_buf_puts(b, "<w:jc w:val=\"right\"/></w:pPr><w:rPr>");
    rfonts(w, b, st->page_number_role, true);
    sz(w, b, st->page_number_size);
    hu_buf_puts(b, "</w:rPr></w:style>");
    style_open(w, b, S_PAGENO_EVEN, S_PAGENO, false);
    hu_buf_printf(b,
                  "<w:pPr><w:ind w:left=\"%d\" w:right=\"0\" w:firstLine=\"0\" "
                  "w:firstLineChars=\"0\"/><w:jc w:val=\"left\"/></w:pPr></w:style>",
                  tw(inset * w->chw));
    for (int i = 0; i < 4; i++) {
        const hu_heading_style *l = &st->lead[i];
        style_open(w, b, S_LEAD1 + i, -1, true);
        hu_buf_puts(b, "<w:rPr>");
        rfonts(w, b, l->role, false);
        /* bold only where the level asks for it (levels 3-4 by default), as the PDF sets it */
        if (l->bold) hu_buf_puts(b, "<w:b/><w:bCs/>");
        hu_buf_puts(b, "</w:rPr></w:style>");
    }
    style_open(w, b, S_EMPH, -1, true);
    hu_buf_puts(b, "<w:rPr>");
    rfonts(w, b, st->emph_role, false);
    hu_buf_puts(b, "</w:rPr></w:style>");
    hu_buf_puts(b, "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name "
                   "w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>"
                   "<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
                   "<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom "
                   "w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar>"
                   "</w:tblPr></w:style></w:styles>");
}

static void font_table(W *w, hu_buf *b) {
    hu_buf_puts(b, XML_DECL "<w:fonts xmlns:w=\"" NS_W "\">");
    const char *seen[HU_ROLE_COUNT];
    int ns = 0;
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        const char *name = font_of(w, (hu_font_role)r);
        bool dup = false;
        for (int k = 0; k < ns; k++)
            dup = dup || strcmp(seen[k], name) == 0;
        if (dup) continue;
        seen[ns++] = name;
        bool latin = r == HU_ROLE_LATIN;
        hu_buf_puts(b, "<w:font w:name=\"");
        hu_xml_esc(b, name);
        hu_buf_puts(b, "\">");
        if (!w->o->font_name[r]) {
            hu_buf_puts(b, "<w:altName w:val=\"");
            hu_xml_esc(b, OFFICE_ALT[r]);
            hu_buf_puts(b, "\"/>");
        }
        hu_buf_printf(b,
                      "<w:charset w:val=\"%s\"/><w:family w:val=\"%s\"/><w:pitch "
                      "w:val=\"%s\"/></w:font>",
                      latin ? "00" : "86", latin ? "roman" : "modern",
                      latin ? "variable" : "fixed");
    }
    hu_buf_puts(b, "</w:fonts>");
}

static void footer(W *w, hu_buf *b, int style) {
    hu_buf_printf(b,
                  XML_DECL "<w:ftr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R
                           "\"><w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>",
                  w->id[style]);
    const char *f = w->st->page_number_format ? w->st->page_number_format : "— {n} —";
    const char *at = strstr(f, "{n}");
    size_t pre = at ? (size_t)(at - f) : strlen(f);
    if (pre) {
        hu_buf_puts(b, "<w:r><w:t xml:space=\"preserve\">");
        hu_xml_esc_n(b, f, pre);
        hu_buf_puts(b, "</w:t></w:r>");
    }
    if (at) {
        hu_buf_puts(b, "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText "
                       "xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar "
                       "w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar "
                       "w:fldCharType=\"end\"/></w:r>");
        if (at[3]) {
            hu_buf_puts(b, "<w:r><w:t xml:space=\"preserve\">");
            hu_xml_esc(b, at + 3);
            hu_buf_puts(b, "</w:t></w:r>");
        }
    }
    hu_buf_puts(b, "</w:p></w:ftr>");
}

static void iso_time(char *out, size_t n, long long t) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void core_xml(W *w, hu_buf *b) {
    const hu_docx_options *o = w->o;
    char when[32];
    iso_time(when, sizeof when, o->created);
    hu_buf_puts(b, XML_DECL
                "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
                "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/"
                "dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
    const char *tags[] = {"dc:title", "dc:subject", "dc:creator", "cp:lastModifiedBy"};
    const char *vals[] = {o->title, o->subject, o->author, o->author};
    for (int i = 0; i < 4; i++) {
        if (!vals[i]) continue;
        hu_buf_printf(b, "<%s>", tags[i]);
        hu_xml_esc(b, vals[i]);
        hu_buf_printf(b, "</%s>", tags[i]);
    }
    hu_buf_printf(b,
                  "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
                  "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified>"
                  "</cp:coreProperties>",
                  when, when);
}

/* ================================================================ the reference .docx */

/* Its styles.xml (numbering links removed: huibao writes 一、（一） as text) and its theme,
 * which styles may refer to. */
typedef struct refdoc {
    hu_xml *styles;
    hu_buf theme;
} refdoc;

static int ref_open(const char *path, refdoc *r, hu_diags *d) {
    memset(r, 0, sizeof *r);
    hu_zip_limits lim;
    hu_zip_limits_default(&lim);
    lim.max_entries = 1000;
    lim.max_entry_bytes = 16u << 20;
    lim.max_total_bytes = 64u << 20;
    hu_zip_reader *z = hu_zip_open(path, &lim, d);
    if (!z) return -1;
    hu_buf b = HU_BUF_INIT;
    int rc = -1;
    char name[4096];
    if (!hu_zip_has(z, "word/styles.xml")) {
        hu_error(
            d, path, 0, 0, NULL,
            "参考文档中没有 word/styles.xml：请用 Word 或 WPS 另存为 .docx 后再放入模板文件夹");
        goto done;
    }
    if (!hu_zip_read(z, "word/styles.xml", &b, d)) goto done;
    snprintf(name, sizeof name, "%s:word/styles.xml", path);
    r->styles = hu_xml_parse(b.data, b.len, name, 0, d);
    if (!r->styles) goto done;
    hu_xml_node *root = hu_xml_root(r->styles);
    if (strcmp(hu_xml_local(root), "styles") != 0 || !hu_xml_ns(root) ||
        strcmp(hu_xml_ns(root), NS_W) != 0) {
        hu_error(d, name, 0, 0, NULL, "不是 Word 的样式表（根元素应为 w:styles）");
        goto done;
    }
    for (hu_xml_node *s = hu_xml_child(root, "style"); s; s = hu_xml_next(s, "style")) {
        hu_xml_node *ppr = hu_xml_child(s, "pPr");
        hu_xml_node *num = ppr ? hu_xml_child(ppr, "numPr") : NULL;
        if (num) hu_xml_remove(num);
    }
    if (hu_zip_has(z, "word/theme/theme1.xml")) {
        if (!hu_zip_read(z, "word/theme/theme1.xml", &b, d)) goto done;
        snprintf(name, sizeof name, "%s:word/theme/theme1.xml", path);
        hu_xml *th = hu_xml_parse(b.data, b.len, name, 0, d);
        if (!th) goto done;
        hu_xml_serialize(th, &r->theme);
        hu_xml_free(th);
    }
    rc = 0;
done:
    hu_buf_free(&b);
    hu_zip_close(z);
    return rc;
}

static void ref_free(refdoc *r) {
    hu_xml_free(r->styles);
    hu_buf_free(&r->theme);
}

/* Our ids: a reference style with our name (or alias) and type lends its id; the others keep
 * ours, renamed if the reference uses that id for something else. */
static void assign_ids(W *w, refdoc *r) {
    for (int s = 0; s < S_COUNT; s++)
        w->id[s] = hu_strdup(SDEF[s].id);
    if (!r || !r->styles) return;
    hu_xml *x = r->styles;
    hu_xml_node *root = hu_xml_root(x);
    bool taken[S_COUNT] = {0};
    for (hu_xml_node *n = hu_xml_child(root, "style"); n; n = hu_xml_next(n, "style")) {
        const char *type = hu_xml_attr(x, n, "type"), *id = hu_xml_attr(x, n, "styleId");
        const char *name = hu_xml_attr(x, hu_xml_child(n, "name"), "val");
        const char *def = hu_xml_attr(x, n, "default");
        if (!type || !id) continue;
        for (int s = 0; s < S_COUNT; s++) {
            const sdef *sd = &SDEF[s];
            if (taken[s] || type[0] != sd->type) continue;
            bool match = name && (strcasecmp(name, sd->name) == 0 ||
                                  (sd->alias && strcasecmp(name, sd->alias) == 0));
            if (s == S_NORMAL && def && (strcmp(def, "1") == 0 || strcmp(def, "true") == 0))
                match = true;
            if (match) {
                free(w->id[s]);
                w->id[s] = hu_strdup(id);
                taken[s] = true;
            }
        }
    }
    /* our own ids must not collide with an unrelated style of the reference */
    for (int s = 0; s < S_COUNT; s++) {
        if (taken[s]) continue;
        for (int k = 2;; k++) {
            bool clash = false;
            for (hu_xml_node *n = hu_xml_child(root, "style"); n && !clash;
                 n = hu_xml_next(n, "style")) {
                const char *id = hu_xml_attr(x, n, "styleId");
                clash = id && strcmp(id, w->id[s]) == 0;
            }
            if (!clash) break;
            hu_buf nb = HU_BUF_INIT;
            hu_buf_printf(&nb, "%s%d", SDEF[s].id, k);
            free(w->id[s]);
            w->id[s] = hu_buf_detach(&nb);
        }
    }
}

/* The reference's styles.xml with ours added where it has no style of that id. */
static int merge_styles(refdoc *r, const hu_buf *ours, hu_buf *out, hu_diags *d) {
    hu_xml *mine = hu_xml_parse(ours->data, ours->len, "styles.xml", 0, d);
    if (!mine) return -1;
    hu_xml *x = r->styles;
    hu_xml_node *root = hu_xml_root(x);
    for (hu_xml_node *n = hu_xml_child(hu_xml_root(mine), "style"); n;
         n = hu_xml_next(n, "style")) {
        const char *id = hu_xml_attr(mine, n, "styleId");
        bool have = false;
        for (hu_xml_node *m = hu_xml_child(root, "style"); m && !have;
             m = hu_xml_next(m, "style")) {
            const char *mid = hu_xml_attr(x, m, "styleId");
            have = mid && id && strcmp(mid, id) == 0;
        }
        if (!have) hu_xml_append_copy(x, root, n);
    }
    hu_xml_serialize(x, out);
    hu_xml_free(mine);
    return 0;
}

bool hu_docx_check_reference(const char *path, hu_diags *d) {
    refdoc r;
    int rc = ref_open(path, &r, d);
    ref_free(&r);
    return rc == 0;
}

/* ================================================================ the package */

void hu_docx_font_names(hu_fonts *f, const hu_font_options *fo, const char *out[HU_ROLE_COUNT]) {
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        out[r] = NULL;
        const int *faces;
        if (!f || !fo || !fo->spec[r] || hu_fonts_chain(f, (hu_font_role)r, &faces) < 1) continue;
        const char *fam = hu_fonts_face_family(f, faces[0]);
        if (fam && *fam) out[r] = fam;
    }
}

bool hu_docx_render(cmark_node *doc, const hu_docx_options *o, hu_buf *out, hu_diags *d) {
    /* titles and table cells are broken between words: not without ICU; their widths come
     * from libunibreak's break opportunities */
    const char *name = o->display_path ? o->display_path : "docx";
    if (!hu_segment_ready(name, d) || !hu_linebreak_ready(name, d)) return false;
    W w;
    memset(&w, 0, sizeof w);
    w.o = o, w.st = o->style, w.d = d;
    w.keep_at = -1;
    const hu_style *st = o->style;
    w.W = hu_style_text_w(st);
    w.trk = hu_style_tracking(st);
    w.chw = st->body_size + w.trk;
    w.scale = 100;
    if (st->chars_per_line > 0) {
        double cell = (double)(tw(st->page_w) - tw(st->margin_left) - tw(st->margin_right)) / 20 /
                      st->chars_per_line;
        if (cell < st->body_size) w.scale = (int)floor(100 * cell / st->body_size);
        if (w.scale < 1) w.scale = 1;
    }
    refdoc ref;
    memset(&ref, 0, sizeof ref);
    int rc = -1;
    hu_buf part = HU_BUF_INIT, styles = HU_BUF_INIT;
    hu_zip_writer *z = NULL;
    if (o->reference && ref_open(o->reference, &ref, d) != 0) goto done;
    assign_ids(&w, o->reference ? &ref : NULL);

    /* the body */
    do_blocks(&w, doc, 0);
    do_signature(&w);
    if (w.last_is_table || !w.body.len) empty_para(&w);

    z = hu_zipw_new(o->reproducible ? o->created : 0);
    bool pn = st->page_number;
    bool theme = ref.theme.len > 0;
    hu_buf_puts(
        &part, XML_DECL
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default "
        "Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+"
        "xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override "
        "PartName=\"/word/document.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override "
        "PartName=\"/word/styles.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override "
        "PartName=\"/word/settings.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/><Override "
        "PartName=\"/word/fontTable.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>");
    if (pn)
        hu_buf_puts(&part, "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/"
                           "vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
                           "<Override PartName=\"/word/footer2.xml\" ContentType=\"application/"
                           "vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>");
    if (theme)
        hu_buf_puts(&part, "<Override PartName=\"/word/theme/theme1.xml\" "
                           "ContentType=\"application/vnd.openxmlformats-officedocument.theme+"
                           "xml\"/>");
    hu_buf_puts(&part, "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
                       "vnd.openxmlformats-package.core-properties+xml\"/><Override "
                       "PartName=\"/docProps/app.xml\" ContentType=\"application/"
                       "vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>");
    hu_zipw_add_buf(z, "[Content_Types].xml", &part);

    hu_buf_clear(&part);
    hu_buf_puts(&part,
                XML_DECL "<Relationships "
                         "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
                         "officeDocument/2006/relationships/officeDocument\" "
                         "Target=\"word/document.xml\"/><Relationship Id=\"rId2\" "
                         "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/"
                         "metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship "
                         "Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
                         "2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
                         "</Relationships>");
    hu_zipw_add_buf(z, "_rels/.rels", &part);

    /* document.xml: the body, then the section (page, margins, grid, footers) */
    hu_buf_clear(&part);
    hu_buf_puts(&part, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:body>");
    hu_buf_put(&part, w.body.data ? w.body.data : "", w.body.len);
    hu_buf_puts(&part, "<w:sectPr>");
    if (pn)
        hu_buf_puts(&part, "<w:footerReference w:type=\"even\" r:id=\"rId5\"/>"
                           "<w:footerReference w:type=\"default\" r:id=\"rId4\"/>");
    int mt = tw(st->margin_top), mb = tw(st->margin_bottom), ml = tw(st->margin_left),
        mr = tw(st->margin_right), pw = tw(st->page_w), ph = tw(st->page_h);
    /* the page number's dash top sits page_number.offset below the text area (GB/T 9704 7.5):
     * the dash is 0.40 em above the baseline, the baseline about 0.14 em (the face's descent)
     * above the bottom of its exact-height line, which is where w:footer measures from */
    double fpt = st->margin_bottom - st->page_number_offset - 0.40 * st->page_number_size -
                 0.14 * st->page_number_size;
    int ft = tw(fmax(0, fpt));
    hu_buf_printf(&part,
                  "<w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" "
                  "w:bottom=\"%d\" w:left=\"%d\" w:header=\"851\" w:footer=\"%d\" "
                  "w:gutter=\"0\"/><w:cols w:space=\"425\"/>",
                  pw, ph, mt, mr, mb, ml, ft);
    /* the grid as Word computes it: linePitch in twips; charSpace in 4096ths of a point added
     * to the Normal style's size so that chars_per_line characters fill the text width */
    if (st->chars_per_line > 0) {
        double pitch_pt = (double)(pw - ml - mr) / 20.0 / st->chars_per_line;
        long cs = (long)floor((pitch_pt - st->body_size) * 4096);
        hu_buf_printf(
            &part, "<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"%d\" w:charSpace=\"%ld\"/>",
            tw(st->line_pitch), cs);
    } else {
        hu_buf_printf(&part, "<w:docGrid w:type=\"lines\" w:linePitch=\"%d\"/>",
                      tw(st->line_pitch));
    }
    hu_buf_puts(&part, "</w:sectPr></w:body></w:document>");
    hu_zipw_add_buf(z, "word/document.xml", &part);

    hu_buf_clear(&part);
    hu_buf_puts(&part,
                XML_DECL "<Relationships "
                         "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
                         "officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
                         "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/"
                         "officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>"
                         "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/"
                         "officeDocument/2006/relationships/fontTable\" "
                         "Target=\"fontTable.xml\"/>");
    if (pn)
        hu_buf_puts(&part, "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/"
                           "officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>"
                           "<Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/"
                           "officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>");
    if (theme)
        hu_buf_puts(&part, "<Relationship Id=\"rId6\" Type=\"http://schemas.openxmlformats.org/"
                           "officeDocument/2006/relationships/theme\" "
                           "Target=\"theme/theme1.xml\"/>");
    hu_buf_puts(&part, "</Relationships>");
    hu_zipw_add_buf(z, "word/_rels/document.xml.rels", &part);

    styles_xml(&w, &styles);
    if (o->reference) {
        if (merge_styles(&ref, &styles, &part, d) != 0) goto done;
        hu_zipw_add_buf(z, "word/styles.xml", &part);
    } else {
        hu_zipw_add_buf(z, "word/styles.xml", &styles);
    }

    hu_buf_clear(&part);
    hu_buf_printf(&part,
                  XML_DECL "<w:settings xmlns:w=\"" NS_W
                           "\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"%d\"/>%s"
                           "<w:characterSpacingControl w:val=\"%s\"/><w:compat><w:compatSetting "
                           "w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/"
                           "office/word\" w:val=\"15\"/></w:compat><w:themeFontLang "
                           "w:val=\"en-US\" w:eastAsia=\"zh-CN\"/><w:decimalSymbol w:val=\".\"/>"
                           "<w:listSeparator w:val=\",\"/></w:settings>",
                  tw(2 * w.chw), pn ? "<w:evenAndOddHeaders/>" : "",
                  st->punct_compress ? "compressPunctuation" : "doNotCompress");
    hu_zipw_add_buf(z, "word/settings.xml", &part);

    hu_buf_clear(&part);
    font_table(&w, &part);
    hu_zipw_add_buf(z, "word/fontTable.xml", &part);
    if (pn) {
        hu_buf_clear(&part);
        footer(&w, &part, S_PAGENO);
        hu_zipw_add_buf(z, "word/footer1.xml", &part);
        hu_buf_clear(&part);
        footer(&w, &part, S_PAGENO_EVEN);
        hu_zipw_add_buf(z, "word/footer2.xml", &part);
    }
    if (theme) hu_zipw_add_buf(z, "word/theme/theme1.xml", &ref.theme);

    hu_buf_clear(&part);
    core_xml(&w, &part);
    hu_zipw_add_buf(z, "docProps/core.xml", &part);
    hu_buf_clear(&part);
    hu_buf_puts(&part, XML_DECL "<Properties xmlns=\"http://schemas.openxmlformats.org/"
                                "officeDocument/2006/extended-properties\" "
                                "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/"
                                "2006/docPropsVTypes\"><Application>huibao</Application>");
    if (o->author) {
        hu_buf_puts(&part, "<Company>");
        hu_xml_esc(&part, o->author);
        hu_buf_puts(&part, "</Company>");
    }
    hu_buf_puts(&part, "</Properties>");
    hu_zipw_add_buf(z, "docProps/app.xml", &part);
    rc = hu_zipw_finish(z, out, d) ? 0 : -1;
    z = NULL;
done:
    hu_zipw_free(z);
    ref_free(&ref);
    for (int s = 0; s < S_COUNT; s++)
        free(w.id[s]);
    hu_buf_free(&w.body);
    hu_buf_free(&part);
    hu_buf_free(&styles);
    pt_free(&w.t);
    pt_free(&w.sig);
    return rc == 0;
}

bool hu_docx_write(cmark_node *doc, const hu_docx_options *o, const char *path, hu_diags *d) {
    hu_buf b = HU_BUF_INIT;
    if (!hu_docx_render(doc, o, &b, d)) {
        hu_buf_free(&b);
        return false;
    }
    /* hu_file_write names the system's reason ("写入失败：设备上没有空间") */
    bool ok = hu_file_write(path, o->display_path ? o->display_path : path, b.data, b.len, d);
    hu_buf_free(&b);
    return ok;
}
