/* build.h - the batch: every input of a command line (files and folders) through report.h's
 * pipeline, in parallel when asked, then the manifest and the Makefile depfile. */
#ifndef HU_BUILD_H
#define HU_BUILD_H
#include <stdbool.h>

#include "error.h"
#include "report.h"

/* Validate one input (and what a build would warn about). 0 ok, else HU_EXIT_INPUT. */
int hu_build_check_file(const char *path, hu_diags *d);
/* Build one report. Returns HU_EXIT_OK, HU_EXIT_BUILD or HU_EXIT_INPUT. */
int hu_build_one(const char *input, const hu_build_opts *o, hu_diags *d);

/* `huibao build` with its options read (cli.c): build every input, a file or a folder of
 * them, as o says. Returns the worst status of the batch (HU_EXIT_*). */
int hu_build_run(const hu_build_opts *o, char *const *inputs, int ninputs);

#endif
