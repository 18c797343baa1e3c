/* fontcmd.h - `huibao fonts`: the font chains a build would use, or (--check) the characters of
 * an input no font can draw. */
#ifndef HU_FONTCMD_H
#define HU_FONTCMD_H

#include "report.h"

/* Without check: lists each role's chain (o's template's style.yaml fonts and --font first)
 * with its files, where each comes from and its coverage. With check (an input file): the
 * coverage answer build and check give for it (report.h), with a summary line. o->strict makes
 * missing characters errors. Returns an exit status (HU_EXIT_*). */
int hu_fontcmd_run(const hu_build_opts *o, const char *check);

#endif
