/* fuzz_input.c - the input loader: bytes -> hu_value (YAML and JSON modes) -> report model,
 * then the analysis and the view model built from it (what every later stage consumes).
 *
 * Every input is loaded in both modes, so one corpus serves both parsers. Diagnostics are
 * formatted too: a message built from hostile text must not overflow anything.
 *
 * Memory is bounded per input byte: everything one input makes (value tree, report, model,
 * view) must fit in HU_FUZZ_BYTES_PER_BYTE times its size plus a fixed allowance, so an input
 * shape that makes memory grow faster than the text (issue 15: aliases expanding, short
 * sections at 2,000 bytes per byte) aborts here instead of only under a big file. Aliases
 * (the dictionary has anchors, aliases and merge keys) reach the cycle and the expansion
 * limits; the per-input timeout catches a walk that the limits do not bound. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "error.h"
#include "input.h"
#include "value.h"
#include "view.h"

static void consume(hu_diags *d) {
    char line[1024];
    for (size_t i = 0; i < d->n; i++)
        hu_diag_format(&d->v[i], line, sizeof line);
}

/* bench/bench_memory.sh measures about 100 bytes per byte for a check of many short sections;
 * the fixed part is the view of an empty report and the analysis tables (about 1 MB). */
#define HU_FUZZ_BYTES_PER_BYTE 400
#define HU_FUZZ_FIXED_BYTES (4u << 20)

static void one(const uint8_t *data, size_t size, bool json) {
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_value *root = hu_value_load_string(&a, (const char *)data, size,
                                          json ? "fuzz.json" : "fuzz.yaml", json, &d);
    if (root) {
        hu_report *r = hu_input_from_value(&a, root, json ? "fuzz.json" : "fuzz.yaml", &d);
        if (r) {
            hu_model_settings vs;
            hu_model_settings_default(&vs);
            vs.now = 1793836800; /* fixed: 2026-11-05 */
            hu_view_build(&a, hu_model_build(&a, r, NULL, &vs, NULL, NULL));
        }
    }
    if (a.total > HU_FUZZ_FIXED_BYTES + HU_FUZZ_BYTES_PER_BYTE * size) {
        fprintf(stderr, "fuzz_input: %zu bytes of input took %zu bytes of memory (%s)\n", size,
                a.total, json ? "JSON" : "YAML");
        abort();
    }
    consume(&d);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    one(data, size, false);
    one(data, size, true);
    return 0;
}
