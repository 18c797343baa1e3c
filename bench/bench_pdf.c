/* bench_pdf.c - time the typesetter: layout alone, then the full build split into font
 * embedding (hb-subset + libharu font load), drawing and libharu's save.
 * usage: bench_pdf REPORT.md [--scale N] [--iter K] [--out FILE]
 * --scale N repeats the body N times (the generated "50-page" report). */
#include <cmark-gfm-core-extensions.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "pdf.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    int scale = 1, iter = 5;
    const char *out = "/tmp/bench_pdf.pdf";
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--scale"))
            scale = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--iter"))
            iter = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--out"))
            out = argv[i + 1];
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) return 2;
    hu_buf src = HU_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        hu_buf_put(&src, chunk, n);
    fclose(f);
    /* the fixture is a template: its structural-block tags ({{@signature}} …) are no text */
    size_t w = 0;
    for (size_t r = 0; r < src.len;) {
        const char *e = memchr(src.data + r, '\n', src.len - r);
        size_t ln = e ? (size_t)(e - (src.data + r)) + 1 : src.len - r;
        if (!(ln >= 2 && src.data[r] == '{' && src.data[r + 1] == '{')) {
            memmove(src.data + w, src.data + r, ln);
            w += ln;
        }
        r += ln;
    }
    src.len = w;
    src.data[w] = 0;
    /* title + recipient stay once; the body up to the signature is repeated */
    const char *s = hu_buf_cstr(&src);
    const char *body = strstr(s, "## ");
    const char *sig = strstr(s, "特此报告");
    hu_buf md = HU_BUF_INIT;
    hu_buf_put(&md, s, (size_t)(body - s));
    for (int k = 0; k < scale; k++)
        hu_buf_put(&md, body, (size_t)(sig - body));
    hu_buf_puts(&md, sig);

    cmark_gfm_core_extensions_ensure_registered();
    double t0 = now_ms();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("table"));
    cmark_parser_feed(p, md.data, md.len);
    cmark_node *doc = cmark_parser_finish(p);
    cmark_parser_free(p);
    double parse_ms = now_ms() - t0;

    hu_pdf_options o;
    hu_pdf_options_default(&o);
    hu_diags d = HU_DIAGS_INIT;
    hu_arena a;
    hu_arena_init(&a);
    hu_style st;
    hu_style_default(&st);
    hu_fonts *fonts = hu_fonts_open(NULL, &d);
    if (!fonts) {
        hu_diags_print(stderr, &d);
        return 1;
    }
    hu_metrics m = hu_metrics_from_fonts(fonts);
    m.use = NULL;
    double best_layout = 1e9;
    size_t pages = 0, arena = 0;
    for (int k = 0; k < iter; k++) {
        hu_arena la;
        hu_arena_init(&la);
        t0 = now_ms();
        hu_layout *lay = hu_layout_document(&la, doc, &st, &m, NULL, &d);
        double ms = now_ms() - t0;
        if (ms < best_layout) best_layout = ms;
        pages = lay->npages;
        arena = la.total;
        hu_arena_free(&la);
    }
    hu_fonts_free(fonts);
    hu_arena_free(&a);

    hu_pdf_stats best = {0};
    double best_total = 1e9;
    for (int k = 0; k < iter; k++) {
        hu_pdf_stats sts = {0};
        o.stats = &sts;
        t0 = now_ms();
        if (!hu_pdf_build(doc, NULL, &o, out, &d)) {
            hu_diags_print(stderr, &d);
            return 1;
        }
        double ms = now_ms() - t0;
        if (ms < best_total) best_total = ms, best = sts;
    }
    printf("%-28s pages %3zu  glyphs %6zu  runs %5zu  pdf %7ld bytes  layout arena %zu KB\n",
           argv[1], pages, best.glyphs, best.runs, best.pdf_bytes, arena / 1024);
    printf("  parse %.2f ms | layout %.2f ms (alone, best of %d) | full build %.2f ms = "
           "fonts open %.2f + layout %.2f + embed/subset %.2f + draw %.2f + save %.2f\n",
           parse_ms, best_layout, iter, best_total, best.fonts_open_ms, best.layout_ms,
           best.embed_ms, best.draw_ms, best.save_ms);
    cmark_node_free(doc);
    hu_buf_free(&md);
    hu_buf_free(&src);
    hu_diags_free(&d);
    return 0;
}
