/* fuzz_jobresult.c - the records a -j child hands its result in (jobresult.h), both ways:
 * (1) the bytes as a result the parent reads: never a crash, and what it accepts reads back
 * the same after it is written again; (2) the bytes, split at 0xFF, as the strings of a result
 * (title, org, period, template, an output, a dependency, a file and a message of a
 * diagnostic): written and read back unchanged, no prefix accepted (tests/jobresult_check.h).
 * Issue 15's record injection (a title with newlines forging an output and a status) is found
 * by (2) within seconds on the old line records. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../jobresult_check.h"

static char *piece(const uint8_t **p, const uint8_t *end) {
    const uint8_t *s = *p, *e = memchr(s, 0xFF, (size_t)(end - s));
    if (!e) e = end;
    *p = e < end ? e + 1 : end;
    return strndup((const char *)s, (size_t)(e - s)); /* stops at a NUL: C strings */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* (1) the bytes as a result */
    hu_report_result r = {0};
    hu_diags d = HU_DIAGS_INIT;
    int st = -1;
    size_t frame = hu_jobresult_frame((const char *)data, size);
    if (frame != HU_JOBRESULT_BAD && frame > size) {
        fprintf(stderr, "fuzz_jobresult: a frame longer than its bytes\n");
        abort();
    }
    if (hu_jobresult_read((const char *)data, size, jrc_accept_out, NULL, &st, &r, &d)) {
        if (frame != size) {
            fprintf(stderr, "fuzz_jobresult: a result read whole is not framed whole\n");
            abort();
        }
        const char *bad = jobresult_check(st, &r, &d, false);
        if (bad) {
            fprintf(stderr, "fuzz_jobresult (read, written again): %s\n", bad);
            abort();
        }
    } else if (r.outputs.n) {
        fprintf(stderr, "fuzz_jobresult: a refused result keeps outputs\n");
        abort();
    }
    hu_report_result_free(&r);
    hu_diags_free(&d);

    /* (2) the bytes as a result's strings */
    const uint8_t *p = data, *end = data + size;
    hu_report_result w = {0};
    hu_diags wd = HU_DIAGS_INIT;
    w.title = piece(&p, end);
    w.org = piece(&p, end);
    w.period = piece(&p, end);
    w.template_desc = piece(&p, end);
    char *out = piece(&p, end), *dep = piece(&p, end), *file = piece(&p, end),
         *msg = piece(&p, end);
    char *o = malloc(strlen(out) + 5);
    memcpy(o, "out/", 4);
    strcpy(o + 4, out);
    hu_strlist_add(&w.outputs, o);
    if (*dep) hu_strlist_add(&w.deps, dep);
    w.history_months = size > 0 ? data[0] : 0;
    w.pages = (int)size;
    hu_diag_add(&wd, size > 1 ? (hu_severity)(data[1] % 3) : HU_ERROR, *file ? file : NULL,
                (int)(size % 1000), (int)(size % 7), *msg ? msg : NULL, "%s", msg);
    const char *bad = jobresult_check(size > 2 ? data[2] % 3 : 0, &w, &wd, size < 2048);
    if (bad) {
        fprintf(stderr, "fuzz_jobresult (written, read): %s\n", bad);
        abort();
    }
    free(o), free(out), free(dep), free(file), free(msg);
    hu_report_result_free(&w);
    hu_diags_free(&wd);
    return 0;
}
