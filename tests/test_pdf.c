/* test_pdf.c - the whole PDF path with the bundled fonts: tests/data/pdf/report.md.mustache ->
 * report.pdf in the working directory (tests/e2e_pdf.sh then checks that file with poppler
 * and qpdf) and determinism (style.yaml: test_style.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "doc.h"
#include "mustache.h"
#include "pdf.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
    s[n] = 0;
    fclose(f);
    if (len) *len = (size_t)n;
    return s;
}

/* The fixture is a template (its structural blocks are {{@recipient}} and {{@signature}}): the
 * rendered document as report.c makes it. The Markdown goes to md_out for pdfcheck.py. */
static void add_span(void *ud, const char *name, size_t len, size_t start, size_t end) {
    hu_doc_span *s = ud;
    while (s->kind != HU_BLOCK_NONE)
        s++;
    *s = (hu_doc_span){hu_block_kind_of(name, len), start, end};
}

static cmark_node *render(const char *tpl, const char *md_out) {
    hu_arena a;
    hu_arena_init(&a);
    hu_doc_span spans[8];
    memset(spans, 0, sizeof spans);
    hu_mustache_opts o = {HU_ESC_MARKDOWN, NULL,     0,    true, NULL, NULL,
                          hu_block_names,  add_span, spans};
    hu_buf md = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_mustache_render_string(tpl, strlen(tpl), "report.md.mustache", hu_v_map(&a), &o,
                                          NULL, &md, &d));
    size_t n = 0;
    while (n < 8 && spans[n].kind != HU_BLOCK_NONE)
        n++;
    assert_int_equal(n, 2);
    FILE *f = fopen(md_out, "wb");
    assert_non_null(f);
    fwrite(md.data, 1, md.len, f);
    fclose(f);
    cmark_node *doc = hu_doc_build(md.data, md.len, spans, n);
    hu_buf_free(&md);
    hu_diags_free(&d);
    hu_arena_free(&a);
    return doc;
}

static const char *src_dir(void) {
    const char *s = getenv("HU_SOURCE_DIR");
    return s ? s : HU_SOURCE_DIR;
}

static int build(const char *md_path, const char *out, const char *template_dir, hu_diags *d) {
    char *md = slurp(md_path, NULL);
    assert_non_null(md);
    char md_out[4096];
    snprintf(md_out, sizeof md_out, "%s", out);
    char *dot = strrchr(md_out, '.');
    snprintf(dot ? dot : md_out + strlen(md_out), 8, ".md");
    cmark_node *doc = render(md, md_out);
    free(md);
    hu_pdf_options o;
    hu_pdf_options_default(&o);
    o.now = 1793836800; /* 2026-11-05 */
    hu_arena sa;
    hu_arena_init(&sa);
    hu_style style;
    hu_style_default(&style);
    hu_fonts *fonts = NULL;
    if (template_dir) {
        const char *file = hu_arena_printf(&sa, "%s/style.yaml", template_dir);
        assert_true(hu_style_load(&style, &sa, &file, 1, d));
        hu_font_options fo;
        hu_style_font_options(&style, NULL, &fo);
        fonts = hu_fonts_open(&fo, d);
        assert_non_null(fonts);
    }
    o.style = &style;
    o.fonts = fonts;
    hu_pdf_stats st = {0};
    o.stats = &st;
    hu_model model;
    memset(&model, 0, sizeof model);
    model.title = "示例产业开发区关于2026年10月份产业发展工作情况的汇报";
    model.org = "示例产业开发区管理委员会";
    model.period.text = "2026年10月";
    int rc = hu_pdf_build(doc, &model, &o, out, d) ? 0 : 1;
    if (getenv("HU_PDF_VERBOSE"))
        fprintf(stderr,
                "fonts open %.2f ms, layout %.2f ms, embed %.2f ms, draw %.2f "
                "ms, save %.2f ms; %zu pages, %zu runs, %zu glyphs, %ld bytes\n",
                st.fonts_open_ms, st.layout_ms, st.embed_ms, st.draw_ms, st.save_ms, st.pages,
                st.runs, st.glyphs, st.pdf_bytes);
    cmark_node_free(doc);
    hu_fonts_free(fonts);
    hu_arena_free(&sa);
    return rc;
}

static void test_report_pdf(void **s) {
    (void)s;
    char md[4096];
    snprintf(md, sizeof md, "%s/tests/data/pdf/report.md.mustache", src_dir());
    const char *out = getenv("HU_PDF_OUT") ? getenv("HU_PDF_OUT") : "report.pdf";
    hu_diags d = HU_DIAGS_INIT;
    int rc = build(md, out, NULL, &d);
    hu_diags_print(stderr, &d);
    assert_int_equal(rc, 0);
    assert_int_equal(d.errors, 0);
    hu_diags_free(&d);
    /* byte-identical when built again with the same clock */
    hu_diags d2 = HU_DIAGS_INIT;
    assert_int_equal(build(md, "report-again.pdf", NULL, &d2), 0);
    size_t n1, n2;
    char *a = slurp(out, &n1), *b = slurp("report-again.pdf", &n2);
    assert_true(n1 > 1000);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    assert_int_equal(memcmp(a, "%PDF-", 5), 0);
    free(a), free(b);
    remove("report-again.pdf");
    hu_diags_free(&d2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_pdf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
