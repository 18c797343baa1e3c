/* fuzz_mustache.c - the template engine on hostile templates and data.
 *
 * The input is TEMPLATE NUL DATA: the bytes before the first NUL are the template, the rest
 * is a YAML document giving the context (an empty map when it does not load). When the data
 * has a top-level `partials:` map, it serves as the partials (name -> template text), which
 * exercises partials, parents, blocks and dynamic names without touching the file system.
 * The escaping mode is picked from the input size so all three are covered. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "error.h"
#include "mustache.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *tpl = (const char *)data;
    const uint8_t *nul = memchr(data, 0, size);
    size_t tlen = nul ? (size_t)(nul - data) : size;
    const char *yaml = nul ? (const char *)nul + 1 : "";
    size_t ylen = nul ? size - tlen - 1 : 0;

    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_value *ctx = ylen ? hu_value_load_string(&a, yaml, ylen, "data.yaml", false, &d) : NULL;
    if (!ctx) ctx = hu_v_map(&a);
    hu_value *partials = hu_v_get(ctx, "partials");
    if (!partials || partials->kind != HU_V_MAP) partials = hu_v_map(&a);
    hu_diags_free(&d);
    d = (hu_diags)HU_DIAGS_INIT;

    static const hu_escape modes[] = {HU_ESC_MARKDOWN, HU_ESC_HTML, HU_ESC_NONE};
    hu_mustache_opts o = {
        modes[size % 3], NULL, 0, (size / 3) % 2 == 0, NULL, NULL, NULL, NULL, NULL};
    hu_buf out = HU_BUF_INIT;
    hu_mustache_render_string(tpl, tlen, "fuzz.mustache", ctx, &o, partials, &out, &d);
    char line[1024];
    for (size_t i = 0; i < d.n; i++)
        hu_diag_format(&d.v[i], line, sizeof line);
    hu_buf_free(&out);
    hu_diags_free(&d);
    hu_arena_free(&a);
    return 0;
}
