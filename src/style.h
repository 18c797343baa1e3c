/* style.h - typesetting parameters of a template (templates/<name>/style.yaml), and the
 * wording settings (`settings:`) the report model takes.
 *
 * Every field has a GB/T 9704-2012 default (format.md §1), so a template without style.yaml
 * prints as the standard says. Lengths are stored in PDF points (1 pt = 25.4/72 mm); the YAML
 * file uses the unit named in each key (_mm or _pt); font sizes (size, min_size, caption_size,
 * formerly size_pt …) are points or 字号 names (三号, 小二). The style of a report is resolved
 * once (report.c) and handed to every stage that needs it. */
#ifndef HU_STYLE_H
#define HU_STYLE_H
#include <stdbool.h>

#include "arena.h"
#include "error.h"
#include "fonts.h"
#include "model.h"

#define HU_MM(x) ((x)*72.0 / 25.4)

typedef struct hu_heading_style {
    hu_font_role role;
    double size;         /* pt */
    bool bold;           /* synthetic bold (the standard says nothing about bold) */
    double indent_chars; /* first-line indent in body characters */
} hu_heading_style;

typedef struct hu_style {
    /* page (pt) */
    double page_w, page_h;
    double margin_top, margin_bottom, margin_left, margin_right;
    /* body grid */
    hu_font_role body_role;
    double body_size;   /* 16 pt = 3号 */
    double line_pitch;  /* 28.95 pt: 22 lines in 225 mm; from lines_per_page when set */
    int lines_per_page; /* 0: line_pitch as given */
    /* body characters per line (the tracking makes them fill the line; 0: no tracking); unless
     * style.yaml sets it, the 版心 width over the body size, rounded: 28 at the defaults */
    int chars_per_line;
    bool chars_per_line_set;
    double indent_chars; /* 2: 左空二字 */
    bool punct_compress; /* "），" pairs to 1.5 em */
    /* title (# heading) */
    hu_font_role title_role;
    double title_size;       /* 22 pt = 2号 */
    double title_line_pitch; /* pt */
    bool title_bold;
    int title_blank_after;  /* blank body lines after the title */
    double title_max_chars; /* longest title line, in title characters (0: full width) */
    /* ## .. ##### headings and run-in lead sentences of the same level */
    hu_heading_style heading[4];
    hu_heading_style lead[4]; /* only role and bold are used */
    /* emphasis (*text*) */
    hu_font_role emph_role;
    bool strong_bold; /* **text** outside a lead sentence */
    /* tables */
    hu_font_role table_role, table_header_role;
    double table_size, table_min_size; /* pt; shrink down to min before overflowing */
    double table_line_factor;          /* line pitch = size × factor */
    double table_rule;                 /* rule width, pt */
    hu_font_role table_caption_role;   /* 表题 (a "表1 …" paragraph right before a table) */
    double table_caption_size;         /* pt */
    /* page numbers */
    bool page_number;
    hu_font_role page_number_role;
    double page_number_size;        /* 14 pt = 4号 */
    const char *page_number_format; /* "— {n} —" */
    double page_number_offset;      /* from the text area's bottom to the top of the dash, pt */
    double page_number_inset_chars; /* from the text edge, in body characters */
    /* signature and date (format.md §1.3, no seal) */
    double signature_right_chars; /* 右空二字 */
    double date_shift_chars;      /* date starts 2 characters right of the 署名 */
    int signature_blank_before;   /* blank lines between the body and the 署名 */
    double squeeze_min;           /* pitch factor allowed to keep the signature with the body */
    /* fonts: role -> "path,path" chains (NULL: bundled); relative paths are made absolute
     * against the folder of the style.yaml that names them */
    const char *font_spec[HU_ROLE_COUNT];
    /* `settings:` of style.yaml: the report model's wording settings (its now is not set here) */
    hu_model_settings settings;
    const char *file; /* the last style.yaml read (NULL: none) */
    /* every style.yaml read, most general first (the dependencies of the PDF and DOCX) */
    const char **files;
    size_t nfiles;
} hu_style;

void hu_style_default(hu_style *s);
/* The style of one report: the defaults, then each of the n style.yaml files in order (the
 * template chain, most general first), each overriding only the keys it sets. A file that does
 * not exist is skipped (a template without style.yaml takes its parent's style, and in the end
 * the standard's). Unknown keys and wrong types are errors with file:line:col. Strings live in
 * the arena. Returns false when d got errors. */
bool hu_style_load(hu_style *s, hu_arena *a, const char *const *files, size_t n, hu_diags *d);
/* The size in points of a 字号 name (初号 … 八号; also written 小三号, 三号字). */
bool hu_style_zihao(const char *name, double *pt);
/* The first style.yaml key ("body.size") whose value differs between x and y, or NULL when
 * every key is equal (a static buffer). */
const char *hu_style_diff(const hu_style *x, const hu_style *y);
/* The font options of the style: per role the chain --font gave (cli[r], relative to the
 * working folder; cli may be NULL), else the style's fonts:. Strings point into s and cli. */
void hu_style_font_options(const hu_style *s, const char *const *cli, hu_font_options *fo);

/* Derived geometry. */
static inline double hu_style_text_w(const hu_style *s) {
    return s->page_w - s->margin_left - s->margin_right;
}
static inline double hu_style_text_h(const hu_style *s) {
    return s->page_h - s->margin_top - s->margin_bottom;
}
/* Tracking added to each body-size glyph so chars_per_line characters fill the text width
 * (−0.207 pt at the defaults, format.md §1.1). */
static inline double hu_style_tracking(const hu_style *s) {
    return s->chars_per_line > 0 ? hu_style_text_w(s) / s->chars_per_line - s->body_size : 0;
}

#endif
