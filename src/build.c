/* build.c - runs the stages for each report and writes outputs atomically. */
#include "build.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "atomic.h"
#include "input.h"

void hu_build_opts_default(hu_build_opts *o) {
    memset(o, 0, sizeof *o);
    o->outdir = "out";
    o->formats = HU_FMT_DEFAULT;
    o->subset = true;
    o->jobs = 0;
}

int hu_build_check_file(const char *path, hu_diags *d) {
    hu_arena a;
    hu_arena_init(&a);
    hu_report *r = hu_input_load(&a, path, d);
    hu_arena_free(&a);
    return r ? HU_EXIT_OK : HU_EXIT_INPUT;
}

int hu_build_one(const char *input, const hu_build_opts *o, hu_diags *d) {
    (void)o;
    hu_arena a;
    hu_arena_init(&a);
    hu_report *r = hu_input_load(&a, input, d);
    hu_arena_free(&a);
    if (!r) return HU_EXIT_INPUT;
    hu_error(d, input, 0, 0, NULL, "尚未实现输出格式");
    return HU_EXIT_BUILD;
}

int hu_build_main(int argc, char **argv) {
    hu_build_opts o;
    hu_build_opts_default(&o);
    int rc = HU_EXIT_OK;
    for (int i = 0; i < argc; i++) {
        hu_diags d = HU_DIAGS_INIT;
        int r = hu_build_one(argv[i], &o, &d);
        hu_diags_print(stderr, &d);
        hu_diags_free(&d);
        if (r > rc) rc = r;
    }
    return rc;
}

int hu_build_render_main(int argc, char **argv) {
    (void)argc, (void)argv;
    fputs("huibao render: 尚未实现\n", stderr);
    return HU_EXIT_BUILD;
}

int hu_build_fonts_main(int argc, char **argv) {
    (void)argc, (void)argv;
    fputs("huibao fonts: 尚未实现\n", stderr);
    return HU_EXIT_BUILD;
}
