/* layout.h - the Chinese typesetter: cmark-gfm AST -> pages of positioned boxes.
 *
 * Pure computation, no libharu: text metrics come from a hu_metrics provider (the real one
 * wraps fonts.h; tests use fake monospace metrics). pdf.c draws the result.
 *
 * What the Markdown means (the contract with the template author):
 *   # 标题            the title: title role, 22 pt, centred; lines broken between words in a
 *                     梯形/菱形 (titlebreak.h); digits and Latin bold; one blank line after it
 *   ## 一、…          level-1 heading (黑体); ### （一）… level 2 (楷体); #### / ##### levels 3-4
 * (仿宋)
 *   **（一）坚持…**。正文…   a paragraph that starts with strong text: the strong text (and a
 *                     directly following 。，；：) is a run-in lead sentence in the heading font of
 *                     its level (from its ordinal 一、/（一）/1./（1）, else one below the current
 *                     heading); the rest of the paragraph stays in the body font on the same line
 *   *text*            emphasis: 楷体; **text** elsewhere: synthetic bold
 *   ~~text~~          strikethrough: the characters stay, a rule goes through their middle
 *   GFM table         table: widths from min/max content (colwidth.h), the font shrunk down to
 *                     table.min_size_pt before any cell wraps, cells wrapped between words only
 *                     (segment.h), numbers right-aligned, 黑体 header repeated under 续表 on
 *                     each continuation page, at least three body rows under the header at a
 *                     page foot, equal white above and below tied to the body grid
 *   表1　标题         a paragraph right before a table starting with 表1/表一/附表2 and a space
 *                     (or a colon, or nothing) is its 表题: centred above it (table.caption_*)
 *   soft line break   nothing between CJK characters, a space between Latin words
 *
 *   raw HTML            shown as typed ("<ABC-1>"), <br> a line break, comments never shown
 *
 * and the template's typed blocks (doc.h: CMARK_NODE_CUSTOM_BLOCK nodes, never HTML comments,
 * so nothing typed in the data can make one):
 *
 *   HU_BLOCK_BLANK       one empty line (before 附件说明, GB/T 9704 7.3.4); none at a page top.
 *   HU_BLOCK_RECIPIENT   its paragraphs are the 主送机关 line: flush left, no indent.
 *   HU_BLOCK_SIGNATURE   署名 then 成文日期, one paragraph each (format.md §1.3, no seal), set
 *                        where the block stands (the template ends the report with it): one
 *                        blank line below the body, 署名 右空二字, the date on the next line
 *                        starting two characters right of the 署名 (or 右空二字 with the 署名
 *                        moved left when the date is longer), and never alone on a page: the
 *                        last page is tightened instead.
 *   other kinds          their paragraphs as body text.
 */
#ifndef HU_LAYOUT_H
#define HU_LAYOUT_H
#include <cmark-gfm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"
#include "fonts.h"
#include "style.h"

/* Where text metrics come from. */
typedef struct hu_metrics {
    void *ctx;
    /* The face drawing cp in role and its advance in em; -1 when no face has cp. */
    int (*lookup)(void *ctx, hu_font_role role, uint32_t cp, double *advance_em);
    /* Records that face draws cp (for subsetting); may be NULL. */
    void (*use)(void *ctx, int face, uint32_t cp);
    /* True when bold text in role must be synthesised; may be NULL (always synthesise). */
    bool (*fake_bold)(void *ctx, hu_font_role role);
} hu_metrics;

/* The provider backed by the font module. */
hu_metrics hu_metrics_from_fonts(hu_fonts *f);

typedef enum { HU_RUN_TEXT, HU_RUN_PAGE_NUMBER } hu_run_kind;

/* Glyphs of one face and size drawn with one TextOut: glyph k sits at
 * x + sum_{j<k} (advance_j × size + char_space), on the baseline y.
 *
 * A punctuation mark squeezed by the justifier (clreq compression, typeset.h) is drawn as a
 * narrower glyph with the same ink: cut[k] is 16 × l + r, its box losing l eighths of an em
 * on the left (an opening mark: the glyph's origin sits l/8 em right of its ink's) and r on
 * the right, and advance_k above is its natural advance less (l + r)/8 em. The squeeze is the
 * line's (clreq's amounts, the nearest eighth where a mark gives only part of its half), so a
 * PDF's text layer can show each character in its own box (pdf_fonts.c). 0: not squeezed. */
typedef struct hu_run {
    hu_run_kind kind;
    int face;
    double size;
    double x, y; /* PDF points, origin bottom-left */
    double char_space;
    const uint32_t *cps;
    size_t n;
    bool fake_bold;
    const uint8_t *cut; /* n squeezes, as above */
} hu_run;

typedef struct hu_rule {
    double x0, y0, x1, y1, width;
} hu_rule;

typedef struct hu_page {
    hu_run *runs;
    size_t nruns;
    hu_rule *rules;
    size_t nrules;
    int number; /* 1-based */
} hu_page;

typedef struct hu_outline_entry {
    int level;         /* 0 = title, 1..4 = ## .. ##### */
    const char *title; /* UTF-8 */
    int page;          /* 0-based page index */
    double y;          /* top of the heading line, PDF points */
} hu_outline_entry;

typedef struct hu_layout_pager hu_layout_pager;

typedef struct hu_layout {
    hu_page *pages; /* every page (hu_layout_document); NULL for hu_layout_stream */
    size_t npages;
    hu_outline_entry *outline;
    size_t noutline;
    double page_w, page_h;
    size_t missing;         /* characters drawn as HU_MISSING_GLYPH */
    size_t squeezed;        /* pages tightened to keep the signature block with the body */
    hu_layout_pager *pager; /* hu_layout_stream's pages, made one at a time */
} hu_layout;

/* Lays out doc (the rendered document, doc.h). Everything lives in a. Its messages (a table
 * wider than the page, a line with no break opportunity, the page cap) name where (the input
 * file; may be NULL).
 * Never drops content; returns NULL when the style is unusable or the report would pass
 * HU_MAX_PAGES (typeset.h) pages (reported in d). */
hu_layout *hu_layout_document(hu_arena *a, cmark_node *doc, const hu_style *st, const hu_metrics *m,
                              const char *where, hu_diags *d);

/* The same layout with its pages kept as placed lines: hu_layout_page makes one page's runs
 * and rules at a time, so a whole report's runs never exist at once (pdf.c draws and releases
 * each page before the next; issue 19). The pages' positions, the outline, npages, missing and
 * squeezed are final when it returns: what it reports is what hu_layout_document reports.
 * The pages live outside the arena until hu_layout_release. */
hu_layout *hu_layout_stream(hu_arena *a, cmark_node *doc, const hu_style *st, const hu_metrics *m,
                            const char *where, hu_diags *d);
/* Page pi (0-based) of either kind of layout; for a streamed one it is valid until the next
 * call or hu_layout_release. Glyph use (hu_metrics.use) is recorded each time a streamed page
 * is made, as hu_layout_document records it for every page. NULL past the last page. */
const hu_page *hu_layout_page(hu_layout *lay, size_t pi);
/* Frees what hu_layout_stream kept outside the arena; nothing for hu_layout_document's. */
void hu_layout_release(hu_layout *lay);

#endif
