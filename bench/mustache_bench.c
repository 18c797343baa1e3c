/* mustache_bench.c - timings for pathological templates and for Markdown normalisation.
 * Built and run by bench/bench_mustache.sh; prints one line per case (best of 3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "error.h"
#include "markdown.h"
#include "mustache.h"
#include "value.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void run(const char *label, const hu_buf *tpl, const hu_value *ctx, hu_escape esc) {
    double best = 1e9;
    size_t outlen = 0;
    for (int i = 0; i < 3; i++) {
        hu_mustache_opts o = {esc, NULL, 0, true, NULL, NULL, NULL, NULL, NULL};
        hu_buf out = HU_BUF_INIT;
        hu_diags d = HU_DIAGS_INIT;
        double t0 = now();
        int rc = hu_mustache_render_string(tpl->data, tpl->len, "bench", ctx, &o, NULL, &out, &d)
                     ? 0
                     : 1;
        double t = now() - t0;
        if (rc) {
            hu_diags_print(stderr, &d);
            exit(1);
        }
        if (t < best) best = t;
        outlen = out.len;
        hu_buf_free(&out);
        hu_diags_free(&d);
    }
    printf("%-52s template %9zu B  output %9zu B  %8.3f ms\n", label, tpl->len, outlen, best * 1e3);
}

int main(void) {
    hu_arena a;
    hu_arena_init(&a);
    hu_value *ctx = hu_v_map(&a);
    hu_v_set_bool(&a, ctx, "t", true);
    hu_v_set_str(&a, ctx, "x", "园区*发展*_好_");
    hu_value *list = hu_v_list(&a);
    for (int i = 0; i < 100000; i++) {
        hu_value *m = hu_v_map(&a);
        hu_v_set_num(&a, m, "i", i);
        hu_v_push(&a, list, m);
    }
    hu_v_set(&a, ctx, "list", list);
    /* a 10 MB value: Chinese text with Markdown specials and line breaks */
    hu_buf big = HU_BUF_INIT;
    while (big.len < 10u * 1024 * 1024)
        hu_buf_puts(&big, "全区完成*技工贸*总收入[约]125.6亿元，\n增长12.3%；a_b|c\n");
    hu_v_set(&a, ctx, "big", hu_v_strn(&a, big.data, big.len));
    hu_buf_free(&big);

    hu_buf t = HU_BUF_INIT;
    for (int i = 0; i < 10000; i++)
        hu_buf_puts(&t, "{{#t}}");
    hu_buf_puts(&t, "{{x}}");
    for (int i = 0; i < 10000; i++)
        hu_buf_puts(&t, "{{/t}}");
    run("10,000 nested sections", &t, ctx, HU_ESC_MARKDOWN);

    hu_buf_clear(&t);
    for (int i = 0; i < 10000; i++)
        hu_buf_puts(&t, "{{#t}}\n");
    hu_buf_puts(&t, "{{x}}\n");
    for (int i = 0; i < 10000; i++)
        hu_buf_puts(&t, "{{/t}}\n");
    run("10,000 nested sections, standalone lines", &t, ctx, HU_ESC_MARKDOWN);

    hu_buf_clear(&t);
    for (int i = 0; i < 10000; i++)
        hu_buf_puts(&t, "{{$b}}");
    hu_buf_puts(&t, "{{x}}");
    for (int i = 0; i < 10000; i++)
        hu_buf_puts(&t, "{{/b}}");
    run("10,000 nested blocks", &t, ctx, HU_ESC_MARKDOWN);

    hu_buf_clear(&t);
    for (int i = 0; i < 100000; i++)
        hu_buf_puts(&t, "{{x}} ");
    run("100,000 interpolation tags on one line", &t, ctx, HU_ESC_MARKDOWN);

    hu_buf_clear(&t);
    for (int i = 0; i < 100000; i++)
        hu_buf_puts(&t, "{{#t}}{{x}}{{/t}}\n");
    run("100,000 sections", &t, ctx, HU_ESC_MARKDOWN);

    hu_buf_clear(&t);
    hu_buf_puts(&t, "{{#list}}{{i}}、{{x}}\n{{/list}}");
    run("section over a 100,000-item list", &t, ctx, HU_ESC_MARKDOWN);

    hu_buf_clear(&t);
    hu_buf_puts(&t, "{{big}}");
    run("10 MB value, Markdown escaping", &t, ctx, HU_ESC_MARKDOWN);
    run("10 MB value, HTML escaping", &t, ctx, HU_ESC_HTML);
    hu_buf_clear(&t);
    hu_buf_puts(&t, "{{{big}}}");
    run("10 MB value, raw", &t, ctx, HU_ESC_MARKDOWN);

    /* Markdown normalisation of a report-sized and a large document */
    for (int scale = 1; scale <= 64; scale *= 8) {
        hu_buf md = HU_BUF_INIT;
        for (int s = 0; s < scale; s++)
            hu_buf_puts(&md,
                        "## 一、主要工作情况\n\n**（一）坚持高位推动**。全区上下\n"
                        "齐心协力，第1#楼完成总收入约125.6亿元，同比增长12.3%；C#与_下划线_。\n\n"
                        "| 指标 | 数值 |\n|:--|--:|\n| 收入（亿元） | 125.6 |\n\n"
                        "一是……；二是……；三是……。\n\n");
        double best = 1e9;
        size_t outlen = 0;
        for (int i = 0; i < 3; i++) {
            double t0 = now();
            char *n = hu_markdown_normalize(md.data, md.len);
            double el = now() - t0;
            if (el < best) best = el;
            outlen = strlen(n);
            free(n);
        }
        char label[64];
        snprintf(label, sizeof label, "hu_markdown_normalize, %d× report section", scale);
        printf("%-52s input    %9zu B  output %9zu B  %8.3f ms\n", label, md.len, outlen,
               best * 1e3);
        hu_buf_free(&md);
    }
    hu_buf_free(&t);
    hu_arena_free(&a);
    return 0;
}
