/* docx.h - the editable report: a WordprocessingML document (.docx) for Word, WPS and
 * LibreOffice, set up the way a 公文 template is, so revisions keep the format.
 *
 * It reads the same cmark-gfm document the PDF layout reads (layout.h states what the Markdown
 * means) and renders every block as a paragraph of a named style — 标题 (Title), 主送机关, 正文
 * (Normal), 一级标题…四级标题, run-in lead sentences as character styles (一级引导句…) inside
 * the body paragraph, 表格 with 表头/表格文字/表格数字, 附件说明, 署名, 成文日期, 页码 — with
 * no direct formatting except what a single document needs (strike, bold, nested list indent).
 * Page setup per GB/T 9704 from style.yaml: A4, margins, a document grid of 22 lines × 28
 * characters, odd/even footers "— N —".
 *
 * A template folder may hold reference.docx: its styles (matched by name) replace ours, like
 * pandoc's --reference-doc; read with the bounded reader of ooxml.h. */
#ifndef HU_DOCX_H
#define HU_DOCX_H
#include <cmark-gfm.h>
#include <stdbool.h>

#include "buf.h"
#include "error.h"
#include "fonts.h"
#include "layout.h"
#include "style.h"

typedef struct hu_docx_options {
    const hu_style *style;     /* resolved style.yaml (hu_style_load) */
    const hu_metrics *metrics; /* widths for the title lines, the signature, table columns */
    /* Font family per role; NULL: the names offices have (仿宋, 宋体, 楷体, 黑体, 方正小标宋简体,
     * Times New Roman). hu_docx_font_names fills those style.yaml or --font chose. */
    const char *font_name[HU_ROLE_COUNT];
    const char *title, *author, *subject; /* document properties (NULL: none) */
    long long created;                    /* dcterms:created/modified, epoch seconds */
    bool reproducible;     /* SOURCE_DATE_EPOCH set: zip members dated `created`, else 1980-01-01 */
    const char *reference; /* reference .docx whose styles win (NULL: none) */
    const char *display_path; /* the name messages use */
    /* Table columns exactly the PDF's (colwidth.h hu_table_geometry with no header slack);
     * false, the default: short headers get the quarter em Word's own metrics need. */
    bool exact_columns;
} hu_docx_options;

/* The .docx bytes of doc into out. Returns false with the reason in d (a bad reference
 * .docx, a zip failure). */
bool hu_docx_render(cmark_node *doc, const hu_docx_options *o, hu_buf *out, hu_diags *d);
/* hu_docx_render, then the bytes to path (written in place; report.c passes a temporary). */
bool hu_docx_write(cmark_node *doc, const hu_docx_options *o, const char *path, hu_diags *d);

/* For each role whose chain starts with a font the user gave (style.yaml fonts:, --font), the
 * family name of that face; NULL elsewhere. */
void hu_docx_font_names(hu_fonts *f, const hu_font_options *fo, const char *out[HU_ROLE_COUNT]);

/* Opens a reference .docx and reads its styles as a build would, reporting what is wrong
 * (for `huibao check`). Returns true when usable. */
bool hu_docx_check_reference(const char *path, hu_diags *d);

#endif
