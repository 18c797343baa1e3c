/* report.h - the pipeline for one report:
 *   input → history → analyze → model ─┬→ view → template → the rendered document (doc.h)
 *                                       │        → {.md, .pdf (layout), .html}
 *                                       └→ .xlsx
 * All requested outputs are produced into temporary files first and renamed into place only
 * when every one of them succeeded (all-or-nothing per report). */
#ifndef HU_REPORT_H
#define HU_REPORT_H
#include "build.h"
#include <stdio.h>

#include "error.h"
#include "mustache.h"
#include "strlist.h"

typedef struct hu_report_result {
    hu_strlist outputs; /* files written */
    hu_strlist deps;    /* every file read: input, history months, templates, style, fonts */
    /* The font files the PDF depends on, "ORIGIN\tPACKAGE\tFILE" (ORIGIN user, bundled or
     * debian; PACKAGE empty unless debian), in face order. */
    hu_strlist fonts;
    /* Fields with characters a default fallback face draws, "LINE\tPATH\tCHARACTERS". */
    hu_strlist fallbacks;
    char *title, *org, *period;
    char *template_desc; /* "monthly（内置模板）" or the folder given */
    int history_months;  /* earlier months' files used */
    int pages;           /* check: pages the layout made */
} hu_report_result;

/* Returns HU_EXIT_OK, HU_EXIT_INPUT (bad input, template or style) or HU_EXIT_BUILD. With
 * o->check every stage runs (template, document, fonts, layout) and nothing is written
 * (huibao check); with o->formats == 0 and no check, everything before the template. */
int hu_report_build(const char *input, const hu_build_opts *o, hu_report_result *res, hu_diags *d);
void hu_report_result_free(hu_report_result *r);
/* `huibao render [-t T] INPUT`: the report's template (o->template_name, else the input's, else
 * monthly) rendered with the view build uses (o->history_dir, the template's partials and
 * parents), written to out as the template produced it. The template's names are checked as in
 * a build. Returns HU_EXIT_*. */
int hu_report_render(const char *input, const hu_build_opts *o, hu_escape esc, FILE *out,
                     hu_diags *d);
/* Where the output of `input` with extension ext goes in outdir (malloc'd). */
char *hu_report_output_path(const char *outdir, const char *input, const char *ext);

#endif
