/* report.c - interim: validation only, until the stage modules land (see /tmp/report.c). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "input.h"

void hu_report_result_free(hu_report_result *r) {
    hu_strlist_free(&r->outputs);
    hu_strlist_free(&r->deps);
    free(r->title);
    free(r->org);
    free(r->period);
    memset(r, 0, sizeof *r);
}

int hu_report_build(const char *input, const hu_build_opts *o, hu_report_result *res, hu_diags *d) {
    hu_arena a;
    hu_arena_init(&a);
    hu_report *r = hu_input_load(&a, input, d);
    hu_strlist_add(&res->deps, input);
    hu_arena_free(&a);
    if (!r) return HU_EXIT_INPUT;
    if (o->formats) {
        hu_error(d, input, 0, 0, NULL, "输出格式尚未提供");
        return HU_EXIT_BUILD;
    }
    return HU_EXIT_OK;
}
