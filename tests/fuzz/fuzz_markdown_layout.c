/* fuzz_markdown_layout.c - Markdown -> cmark-gfm -> the typesetter, with the real bundled fonts
 * (opened once in LLVMFuzzerInitialize) and the GB/T 9704 default style.
 *
 * Also checks the promises of markdown.h that the .md output relies on: normalising is
 * idempotent (set HU_FUZZ_NO_IDEMPOTENT=1 to skip that check), and the HTML page renders. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "error.h"
#include "fonts.h"
#include "layout.h"
#include "markdown.h"
#include "style.h"

static hu_fonts *fonts;
static hu_metrics metrics;
static bool check_idempotent = true;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    hu_font_options fo;
    memset(&fo, 0, sizeof fo);
    hu_diags d = HU_DIAGS_INIT;
    fonts = hu_fonts_open(&fo, &d);
    if (!fonts) {
        hu_diags_print(stderr, &d);
        abort();
    }
    hu_diags_free(&d);
    metrics = hu_metrics_from_fonts(fonts);
    const char *e = getenv("HU_FUZZ_NO_IDEMPOTENT");
    check_idempotent = !(e && *e && strcmp(e, "0"));
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *md = (const char *)data;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_style st;
    hu_style_default(&st);

    cmark_node *doc = hu_doc_parse(md, size);
    hu_layout *lay = hu_layout_document(&a, doc, &st, &metrics, "fuzz.md", &d);
    if (!lay) abort(); /* the default style is always usable: layout must not fail on content */
    cmark_node_free(doc);

    char *n1 = hu_markdown_normalize(md, size);
    if (check_idempotent) {
        char *n2 = hu_markdown_normalize(n1, strlen(n1));
        if (strcmp(n1, n2) != 0) {
            fprintf(stderr, "normalize is not idempotent:\n--- once\n%s\n--- twice\n%s\n", n1, n2);
            abort();
        }
        free(n2);
    }
    char *html = hu_markdown_to_html(n1, strlen(n1), NULL);
    free(html);
    free(n1);

    hu_diags_free(&d);
    hu_arena_free(&a);
    return 0;
}
