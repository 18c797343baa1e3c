/* report.h - the pipeline for one report:
 *   input → history → analyze → model ─┬→ view → template → the rendered document (doc.h)
 *                                       │        → {.md, .pdf (layout), .html}
 *                                       └→ .xlsx
 * All requested outputs are produced into temporary files first and renamed into place only
 * when every one of them succeeded (all-or-nothing per report). */
#ifndef HU_REPORT_H
#define HU_REPORT_H
#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "fonts.h"
#include "mustache.h"
#include "strlist.h"

enum { HU_FMT_PDF = 1, HU_FMT_XLSX = 2, HU_FMT_MD = 4, HU_FMT_HTML = 8, HU_FMT_DOCX = 16 };
/* DOCX is a default output: the editable copy is what a report's revision rounds start from
 * (without it the secretary retypes the PDF), and it costs a few milliseconds. */
#define HU_FMT_DEFAULT (HU_FMT_PDF | HU_FMT_DOCX | HU_FMT_XLSX | HU_FMT_MD)

typedef struct hu_build_opts {
    const char *outdir;        /* default "out" */
    unsigned formats;          /* HU_FMT_* */
    const char *template_name; /* overrides the input's `template` */
    const char *history_dir;   /* NULL: the input's folder */
    const char *font_spec[HU_ROLE_COUNT];
    bool strict; /* warnings about the report's consistency, the template's names and
                  * characters no font has are errors */
    bool check;  /* huibao check: every stage, nothing written, a summary line per input */
    bool quiet;
    bool subset; /* subset fonts (default true) */
    int jobs;
    const char *depfile;
    /* Shared by the reports of a batch so each month file is parsed once (NULL: none). */
    struct hu_history_cache *history_cache;
} hu_build_opts;

void hu_build_opts_default(hu_build_opts *o);

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
    char *figures; /* the workbook or CSV the indicators came from, NULL: the input lists them */
} hu_report_result;

/* Returns HU_EXIT_OK, HU_EXIT_INPUT (bad input, template or style) or HU_EXIT_BUILD. With
 * o->check every stage runs (template, document, fonts, layout) and nothing is written
 * (huibao check); with o->formats == 0 and no check, everything before the template. */
int hu_report_build(const char *input, const hu_build_opts *o, hu_report_result *res, hu_diags *d);
/* A report's last step, putting its complete outputs in place: the journal record, one fsync
 * round of the outputs and the record, the renames (report.c). */
typedef struct hu_report_commit hu_report_commit;
/* hu_report_build up to that step: when a build (not a check) succeeded, *commit is set (else
 * NULL) and the outputs are still temporary files — nothing is in place and nothing counted
 * done until hu_report_commit_run has returned HU_EXIT_OK. A batch worker
 * runs the commit on a thread while it builds the next report (build.c). */
int hu_report_build_staged(const char *input, const hu_build_opts *o, hu_report_result *res,
                           hu_diags *d, hu_report_commit **commit);
/* Run and free a commit (any thread; the report's res and d must not be used elsewhere
 * meanwhile): adds the outputs put in place to res->outputs and any error to d. Returns
 * HU_EXIT_OK or HU_EXIT_BUILD; whatever was not put in place is removed. */
int hu_report_commit_run(hu_report_commit *c, hu_report_result *res, hu_diags *d);
/* hu_report_build for a run of one report: its outputs and the folder's manifest put in place
 * together (manifest.h hu_manifest_commit). *manifest_done: index.json and SHA256SUMS are up
 * to date; false, hu_manifest_update is still due (as after hu_report_build). */
int hu_report_build_with_manifest(const char *input, const hu_build_opts *o, hu_report_result *res,
                                  bool *manifest_done, hu_diags *d);
/* A batch's process keeps the template each report asks for, its style and its lint, found
 * once (report.c, "a batch's memo"); off frees them. */
void hu_report_memo(bool on);
/* Whether a report may start threads of its own (the workbook beside the PDF, two font faces
 * embedded at once): on by default. A batch's worker turns it off when the batch has a worker
 * per core: the cores are already busy, and a thread per report only adds its creation, its
 * exit (a TLB shootdown on this kind of machine) and the waits (build.c, run_worker). Short
 * reports keep their font pages either way (fonts.h hu_fonts_set_keep_pages). */
void hu_report_threads(bool on);

/* Loads now what every PDF or DOCX report would load on its way: HarfBuzz (fonts are opened
 * first), ICU (or, where it is linked, its data), libunibreak and libharu, all with dlopen
 * (hblib.h, segment.c, linebreak.c, hpdflib.h), and has ICU's word iterator and Chinese
 * dictionary engine built (hu_segment_prepare): with ICU linked, on another spare thread beside
 * these loads when there is one (spare.h), else here after them. A single build calls it on its
 * first spare thread while the input is read (main.c); a batch in its parent before fork(), so
 * that every worker inherits them (build.c). A library that cannot be loaded is reported by the
 * report that needs it, not here. */
void hu_report_warm_up(void);
/* Drop a commit without running it: its temporary files are removed. */
void hu_report_commit_abort(hu_report_commit *c);
void hu_report_result_free(hu_report_result *r);
/* `huibao render [-t T] INPUT`: the report's template (o->template_name, else the input's, else
 * monthly) rendered with the view build uses (o->history_dir, the template's partials and
 * parents), written to out as the template produced it. The template's names are checked as in
 * a build. Returns HU_EXIT_*. */
int hu_report_render(const char *input, const hu_build_opts *o, hu_escape esc, FILE *out,
                     hu_diags *d);

/* `huibao fonts --check`: the coverage answer build and check give (each string against the
 * fonts of the roles the template's style draws it with, --font first), nothing else. Returns
 * HU_EXIT_OK or HU_EXIT_INPUT; *missing counts the characters no font has, *fallback_fields the
 * fields with characters only a default fallback face has. */
int hu_report_check_fonts(const char *input, const hu_build_opts *o, size_t *missing,
                          size_t *fallback_fields, hu_diags *d);
/* The fonts a build with o would open (o->template_name's style.yaml, else monthly's, and
 * --font), for `huibao fonts`; NULL after an error. */
hu_fonts *hu_report_fonts(const hu_build_opts *o, hu_diags *d);
/* Where the output of `input` with extension ext goes in outdir (malloc'd). */
char *hu_report_output_path(const char *outdir, const char *input, const char *ext);

#endif
