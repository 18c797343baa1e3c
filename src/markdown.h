/* markdown.h - the rendered document (doc.h) as GitHub-flavoured Markdown (the .md) and as a
 * standalone HTML page; the normalisation of Markdown text both rest on.
 *
 * Typed blocks are rendered as their content: in the .md as plain paragraphs (Markdown has no
 * way to say "署名"), in the HTML inside <div class="hu-signature"> … with a stylesheet that
 * sets them as the printed report does. Chinese text: the document has no soft break beside a
 * CJK character (doc.h), so neither output puts a space inside Chinese text. */
#ifndef HU_MARKDOWN_H
#define HU_MARKDOWN_H
#include <stddef.h>

#include <cmark-gfm.h>

#include "doc.h"

/* Parse and render back as GFM (tables as pipe tables, no line wrapping), with the escapes
 * cmark adds where they are not needed removed (none are left in Chinese text). Idempotent:
 * normalising the result again gives the same bytes. Returns a malloc'd string (free()). */
char *hu_markdown_normalize(const char *md, size_t len);

/* The document as the .md: normalised GFM (see hu_markdown_normalize), typed blocks as their
 * paragraphs. malloc'd (free()). */
char *hu_markdown_render(cmark_node *doc);

/* Where the PDF puts the 署名 and 成文日期 (style.yaml; format.md §1.3, no seal), in body
 * characters: the page's stylesheet places the signature block's paragraphs the same way. */
typedef struct hu_html_place {
    double signature_right_chars; /* the 署名 ends this far from the right edge (右空二字) */
    double date_shift_chars;      /* the 成文日期 starts this far right of the 署名 */
    int signature_blank_before;   /* empty lines between the body and the 署名 */
} hu_html_place;

/* The document as a standalone HTML5 page (see hu_markdown_to_html). Turns the document's raw
 * HTML nodes into text (comments go), so render it after the other outputs. The typed blocks
 * (doc.h) are <div class="hu-KIND"> in the document's order; place NULL means GB/T 9704's
 * 2, 2, 1. malloc'd. */
char *hu_markdown_html(cmark_node *doc, const char *title, const hu_html_place *place);

/* A standalone HTML5 page (UTF-8 meta, embedded stylesheet with a Chinese font stack, readable
 * on a phone, bordered tables). title is escaped; NULL means "工作情况汇报". Raw HTML in md is
 * never passed through: it shows as typed (comments hidden, <br> a line break), as in the PDF.
 * Returns a malloc'd string (free()). */
char *hu_markdown_to_html(const char *md, size_t len, const char *title);

/* Render an already parsed document's body as HTML (no page around it); malloc'd. Turns the
 * document's raw HTML nodes into text first (see hu_markdown_to_html). */
char *hu_markdown_render_html_body(cmark_node *doc);

#endif
