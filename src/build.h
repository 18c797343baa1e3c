/* build.h - the pipeline for one report and the command-line entry points that drive it.
 * input → history → analyze/view → template → Markdown → {md, html, pdf, docx}; view → xlsx. */
#ifndef HU_BUILD_H
#define HU_BUILD_H
#include <stdbool.h>

#include "error.h"
#include "fonts.h"

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
/* Validate one input (and what a build would warn about). 0 ok, else HU_EXIT_INPUT. */
int hu_build_check_file(const char *path, hu_diags *d);
/* Build one report. Returns HU_EXIT_OK, HU_EXIT_BUILD or HU_EXIT_INPUT. */
int hu_build_one(const char *input, const hu_build_opts *o, hu_diags *d);

/* `huibao build` with its options read (cli.c): build every input, a file or a folder of
 * them, as o says. Returns the worst status of the batch (HU_EXIT_*). */
int hu_build_run(const hu_build_opts *o, char *const *inputs, int ninputs);

#endif
