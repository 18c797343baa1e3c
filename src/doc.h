/* doc.h - the rendered document: what the template made of the report model, as one tree that
 * every output renders (.md and .html in markdown.c, the PDF through layout.c, DOCX).
 *
 * It is a cmark-gfm document (extensions table and strikethrough with "~~" only; a soft line
 * break beside a CJK character already removed, hu_cjk_joins in utf8.h) in which the template's
 * structural blocks are typed nodes: CMARK_NODE_CUSTOM_BLOCK nodes whose kind hu_doc_block()
 * tells, holding the block's own paragraphs as children:
 *
 *   HU_BLOCK_RECIPIENT    主送机关: its paragraph is set flush left
 *   HU_BLOCK_PREAMBLE     开头语 (ordinary paragraphs)
 *   HU_BLOCK_CLOSING      结束语 (ordinary paragraphs)
 *   HU_BLOCK_ATTACHMENTS  附件说明: one paragraph per attachment
 *   HU_BLOCK_BLANK        one empty body line (before 附件说明, GB/T 9704 7.3.4); no children
 *   HU_BLOCK_SIGNATURE    署名 then 成文日期, one paragraph each (format.md §1.3)
 *
 * The template decides which blocks there are and where (reserved tags {{@recipient}}…
 * {{/recipient}}, docs/templates.md); the Mustache engine reports them out of band, so nothing
 * in the report's data can make one: a `<!-- signature -->` typed in a section's text is an
 * HTML comment node like any other, shown by no renderer and obeyed by none.
 *
 * Everything else is plain CommonMark/GFM: headings (# title, ## 一、 …), paragraphs (a
 * paragraph opening with **strong** text is a run-in lead sentence), lists, tables, code, raw
 * HTML (hu_doc_html_kind says what it is to a report). Renderers read inline content through
 * hu_doc_inlines, so they agree on every character. */
#ifndef HU_DOC_H
#define HU_DOC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmark-gfm.h>

typedef enum {
    HU_BLOCK_NONE = 0, /* not a typed block */
    HU_BLOCK_RECIPIENT,
    HU_BLOCK_PREAMBLE,
    HU_BLOCK_CLOSING,
    HU_BLOCK_ATTACHMENTS,
    HU_BLOCK_BLANK,
    HU_BLOCK_SIGNATURE
} hu_block_kind;

/* The template tag names of the kinds ("recipient", "preamble", "closing", "attachments",
 * "blank", "signature"), NULL-terminated, in hu_block_kind order from HU_BLOCK_RECIPIENT: the
 * block_names a report's Mustache rendering accepts. */
extern const char *const hu_block_names[];
const char *hu_block_name(hu_block_kind k);                   /* NULL for HU_BLOCK_NONE */
hu_block_kind hu_block_kind_of(const char *name, size_t len); /* HU_BLOCK_NONE when unknown */

/* A typed block of the template's output: bytes [start, end) of the Markdown text. */
typedef struct hu_doc_span {
    hu_block_kind kind;
    size_t start, end;
} hu_doc_span;

/* The document of Markdown text md[0..len) with the typed blocks spans[0..n) (in order, not
 * overlapping, as the Mustache engine reports them). The text between and inside the blocks is
 * parsed piece by piece, so a block always starts and ends at a block boundary. Free with
 * cmark_node_free. Never NULL. */
cmark_node *hu_doc_build(const char *md, size_t len, const hu_doc_span *spans, size_t n);

/* A table's 表题 (caption) is the paragraph right before it whose text starts with a label:
 * 表 (or 附表) and a number (1, 一, 1-2, 1.2), then a space, a full-width space, a colon or
 * the end. True for such text cp[0..n); *label_end gets the end of the label ("表1"), which
 * continuation pages repeat as "续表1". The PDF layout and the DOCX writer both ask this. */
bool hu_doc_caption_label(const uint32_t *cp, size_t n, size_t *label_end);

/* The kind of a node: a typed block made by hu_doc_build, else HU_BLOCK_NONE. */
hu_block_kind hu_doc_block(cmark_node *n);

/* Plain Markdown as a document (no typed blocks): section texts, tests. Never NULL. */
cmark_node *hu_doc_parse(const char *md, size_t len);

/* A parser with the document's options and extensions attached (options or'ed with
 * extra_options, e.g. CMARK_OPT_SOURCEPOS), for callers that feed it themselves; free with
 * cmark_parser_free. And the extension list the renderers pass to cmark (free the list with
 * cmark_llist_free(cmark_get_default_mem_allocator(), l)). */
cmark_parser *hu_doc_parser(int extra_options);
cmark_llist *hu_doc_extensions(void);

/* What a raw HTML node's literal is to a report: an author's comment (never shown), a <br>
 * line break, or text that merely looked like a tag ("<ABC-1>", shown as typed). */
typedef enum { HU_HTML_COMMENT, HU_HTML_BR, HU_HTML_TEXT } hu_html_kind;
hu_html_kind hu_doc_html_kind(const char *literal);

/* Inline content read as report text — the one reading every renderer shares. fn gets each
 * piece in order: literal text (text, code spans, tag-like raw HTML as typed), soft breaks, and
 * line breaks (hard breaks and <br>); comments give nothing. style holds the HU_MD_* marks the
 * piece sits inside, or'ed onto the style passed in. */
enum { HU_MD_STRONG = 1, HU_MD_EMPH = 2, HU_MD_STRIKE = 4 };
typedef enum { HU_MD_TEXT, HU_MD_SOFTBREAK, HU_MD_LINEBREAK } hu_md_piece;
typedef void (*hu_md_inline_fn)(void *ctx, hu_md_piece piece, const char *text, unsigned style);
/* One inline node n. */
void hu_doc_inline(cmark_node *n, unsigned style, hu_md_inline_fn fn, void *ctx);
/* The inline children of n (a paragraph, heading, table cell, or an emphasis node). */
void hu_doc_inlines(cmark_node *n, unsigned style, hu_md_inline_fn fn, void *ctx);

#endif
