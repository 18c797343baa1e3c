/* markdown.h - GitHub-flavoured Markdown through cmark-gfm: parse to an AST (for the PDF
 * typesetter), normalise the .md output, render a standalone HTML page.
 *
 * Extensions attached everywhere: table, strikethrough, autolink, tagfilter. Table nodes have
 * no public type constants: compare cmark_node_get_type_string(n) with "table", "table_row",
 * "table_cell" (see docs/libs.md).
 *
 * Chinese text: a soft line break between two CJK characters is removed when parsing, so no
 * output (HTML renders a soft break as a space, the PDF as whatever it likes) puts a space
 * inside Chinese text; between other characters it stays a soft break. */
#ifndef HU_MARKDOWN_H
#define HU_MARKDOWN_H
#include <stddef.h>

#include <cmark-gfm.h>

/* Parse md[0..len) into a document (extensions attached, CJK soft breaks joined). The caller
 * frees it with cmark_node_free. The extensions live in cmark-gfm's global registry, so the
 * tree needs no parser kept alive. Never NULL (aborts on out-of-memory like cmark does). */
cmark_node *hu_markdown_parse(const char *md, size_t len);

/* Parse and render back as GFM (tables as pipe tables, no line wrapping), with the escapes
 * cmark adds where they are not needed removed (none are left in Chinese text). Idempotent:
 * normalising the result again gives the same bytes. Returns a malloc'd string (free()). */
char *hu_markdown_normalize(const char *md, size_t len);

/* What a raw HTML node's literal is to a report: an author's comment (also the layout markers
 * `<!-- signature -->` …, never shown), a `<br>` line break, or text that merely looked like a
 * tag ("<ABC-1>", shown as typed). The PDF and the HTML page both go by this. */
typedef enum { HU_HTML_COMMENT, HU_HTML_BR, HU_HTML_TEXT } hu_html_kind;
hu_html_kind hu_markdown_html_kind(const char *literal);

/* Inline content read as report text — the one reading the PDF and the workbook share. fn gets
 * each piece in order: literal text (text, code spans, tag-like raw HTML as typed), soft
 * breaks, and line breaks (hard breaks and <br>); comments give nothing. style holds the
 * HU_MD_* marks the piece sits inside, or'ed onto the style passed in. */
enum { HU_MD_STRONG = 1, HU_MD_EMPH = 2, HU_MD_STRIKE = 4 };
typedef enum { HU_MD_TEXT, HU_MD_SOFTBREAK, HU_MD_LINEBREAK } hu_md_piece;
typedef void (*hu_md_inline_fn)(void *ctx, hu_md_piece piece, const char *text, unsigned style);
/* One inline node n. */
void hu_markdown_inline(cmark_node *n, unsigned style, hu_md_inline_fn fn, void *ctx);
/* The inline children of n (a paragraph, heading, table cell, or an emphasis node). */
void hu_markdown_inlines(cmark_node *n, unsigned style, hu_md_inline_fn fn, void *ctx);

/* A standalone HTML5 page (UTF-8 meta, embedded stylesheet with a Chinese font stack, readable
 * on a phone, bordered tables). title is escaped; NULL means "工作情况汇报". Raw HTML in md is
 * never passed through: it shows as typed (comments hidden, <br> a line break), as in the PDF.
 * Returns a malloc'd string (free()). */
char *hu_markdown_to_html(const char *md, size_t len, const char *title);

/* Render an already parsed document's body as HTML (no page around it); malloc'd. Turns the
 * document's raw HTML nodes into text first (see hu_markdown_to_html). */
char *hu_markdown_render_html_body(cmark_node *doc);

#endif
