/* test_tablegeom.c - one table geometry for PDF and DOCX (colwidth.h): the PDF layout's column
 * rules and the DOCX's w:gridCol widths for the same table with the same (fake monospace)
 * metrics are the same columns, for the samples' indicator table and for a nine-column table
 * that has to shrink and wrap; and hu_table_geometry's own steps on hand-made extents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "colwidth.h"
#include "doc.h"
#include "docx.h"
#include "layout.h"
#include "linebreak.h"
#include "segment.h"
#include "ooxml.h"
#include "utf8.h"

static int fake_lookup(void *ctx, hu_font_role role, uint32_t cp, double *adv) {
    (void)ctx;
    *adv = cp < 0x2000 && cp != 0xB7 ? 0.5 : 1.0;
    return (int)role;
}
static const hu_metrics fake = {NULL, fake_lookup, NULL, NULL};

/* The samples' table (samples/2026-08.yaml as the monthly template renders it). */
static const char *SAMPLE =
    "表1　2026年1—8月主要指标完成情况\n\n"
    "| 指标 | 1—8月 | 同比 | 8月份 | 环比 | 年度目标 | 完成率 | 序时进度差 |\n"
    "| --- | --: | --: | --: | --: | --: | --: | --: |\n"
    "| 技工贸总收入（亿元） | 98.45 | 11.7% | 12.25 | — | 150.00 | 65.6% | -1.1 |\n"
    "| 规模以上工业增加值（亿元） | 24.36 | 8.8% | 3.21 | — | — | — | — |\n"
    "| 高新技术产业增加值（亿元） | 15.62 | 16.1% | 2.12 | — | — | — | — |\n"
    "| 固定资产投资（亿元） | 35.20 | 6.3% | 4.30 | — | 55.00 | 64.0% | -2.7 |\n"
    "| 税收收入（万元） | 18650 | 7.7% | 2350 | — | 28000 | 66.6% | -0.1 |\n"
    "| 招商引资合同金额（亿元） | 62.30 | 21.7% | 7.70 | — | 90.00 | 69.2% | +2.5 |\n"
    "| 新签约项目（个） | 18 | 20.0% | 2 | — | 30 | 60.0% | -6.7 |\n"
    "| 实际到位资金（亿元） | 21.40 | -7.0% | 2.60 | — | 36.00 | 59.4% | -7.3 |\n"
    "| 新增规模以上工业企业（家） | 5 | 66.7% | 1 | — | — | — | — |\n"
    "| 进出口总额（万美元） | 8420 | -4.3% | 1070 | — | — | — | — |\n"
    "| 规模以上工业产品产销率（%） | 97.8 | 0.9个百分点 | — | — | — | — | — |\n";

/* Nine columns that do not fit at 10.5 pt: shrunk to 9 pt, then wrapped between words. */
static const char *WIDE =
    "1—10月，全市外贸外资运行总体平稳。\n\n"
    "| 指标 | 单位 | 1—10月 | 同比 | 10月份 | 环比 | 年度目标 | 完成率 | 较序时进度 |\n"
    "|---|---|--:|---|--:|---|--:|--:|---|\n"
    "| 实际利用外资 | 万美元 | 12850 | 增长3.2% | 1320 | 下降1.5% | 16000 | 80.3% | "
    "低于3.0个百分点 |\n"
    "| 外商直接投资（含再投资） | 万美元 | 8620 | 下降3.5% | 905 | 增长6.1% | 11000 | 78.4% | "
    "低于4.9个百分点 |\n"
    "| 跨境电商交易额 | 亿元 | 21.35 | 增长14.7% | 2.41 | 增长8.3% | 25 | 85.4% | "
    "超序时进度2.1个百分点 |\n"
    "| 加工贸易占进出口比重 | % | 23.6 | 提高1.8个百分点 | 24.1 | 提高0.6个百分点 | — | — | — |\n"
    "| 外资企业全社会用电量 | 万千瓦时 | 18640 | 增长6.9% | 1975 | 增长2.2% | — | — | — |\n";

/* Column widths of the PDF layout's first table: the gaps between its vertical rules. */
static size_t pdf_columns(const char *md, double *out, size_t max) {
    hu_arena a;
    hu_arena_init(&a);
    hu_style st;
    hu_style_default(&st);
    hu_diags d = HU_DIAGS_INIT;
    cmark_node *doc = hu_doc_parse(md, strlen(md));
    hu_layout *lay = hu_layout_document(&a, doc, &st, &fake, NULL, &d);
    assert_non_null(lay);
    double xs[64];
    size_t n = 0;
    const hu_page *pg = &lay->pages[0];
    double top = -1;
    for (size_t r = 0; r < pg->nrules; r++) { /* the first row's vertical rules */
        const hu_rule *ru = &pg->rules[r];
        if (fabs(ru->x0 - ru->x1) > 1e-6) continue;
        if (top < 0) top = ru->y0;
        if (fabs(ru->y0 - top) > 1e-6 || n >= 64) continue;
        xs[n++] = ru->x0;
    }
    size_t nc = 0;
    for (size_t i = 1; i < n && nc < max; i++)
        out[nc++] = xs[i] - xs[i - 1];
    cmark_node_free(doc);
    hu_arena_free(&a);
    hu_diags_free(&d);
    return nc;
}

/* The DOCX's w:gridCol widths (twips) of its first table. */
static size_t docx_columns(const char *md, bool exact, double *out, size_t max) {
    hu_style st;
    hu_style_default(&st);
    hu_docx_options o = {0};
    o.style = &st;
    o.metrics = &fake;
    o.created = 1793809800LL;
    o.reproducible = true;
    o.exact_columns = exact;
    hu_diags d = HU_DIAGS_INIT;
    hu_buf bytes = HU_BUF_INIT, xml = HU_BUF_INIT;
    cmark_node *doc = hu_doc_parse(md, strlen(md));
    assert_true(hu_docx_render(doc, &o, &bytes, &d));
    cmark_node_free(doc);
    hu_zip_reader *z = hu_zip_open_mem(bytes.data, bytes.len, "t.docx", NULL, &d);
    assert_non_null(z);
    assert_true(hu_zip_read(z, "word/document.xml", &xml, &d));
    hu_zip_close(z);
    size_t n = 0;
    for (const char *p = hu_buf_cstr(&xml); (p = strstr(p, "<w:gridCol w:w=\"")) && n < max;) {
        p += strlen("<w:gridCol w:w=\"");
        out[n++] = atof(p);
    }
    hu_buf_free(&bytes), hu_buf_free(&xml);
    hu_diags_free(&d);
    return n;
}

static void same_columns(const char *md, size_t want) {
    double pdf[64], docx[64], loose[64];
    memset(loose, 0, sizeof loose);
    size_t np = pdf_columns(md, pdf, 64), nd = docx_columns(md, true, docx, 64);
    assert_int_equal(np, want);
    assert_int_equal(nd, want);
    for (size_t c = 0; c < np; c++) {
        if (getenv("DUMP")) printf("col %zu: pdf %.2f pt, docx %.0f twips\n", c, pdf[c], docx[c]);
        /* twips are whole: each column within one twip, the last takes the rounding */
        assert_true(fabs(pdf[c] * 20 - docx[c]) <= (c + 1 == np ? (double)np : 1.0));
    }
    /* the default DOCX: the same number of columns, the text width in total */
    size_t nl = docx_columns(md, false, loose, 64);
    assert_int_equal(nl, want);
    double a = 0, b = 0;
    for (size_t c = 0; c < np; c++)
        a += docx[c], b += loose[c];
    assert_true(a == b);
}

static void test_sample_table(void **state) {
    (void)state;
    same_columns(SAMPLE, 8);
}

static void test_wide_table(void **state) {
    (void)state;
    same_columns(WIDE, 9);
}

/* hu_table_geometry on hand-made extents (em at the table size). */
static void test_geometry_steps(void **state) {
    (void)state;
    bool hdr[2] = {true, false};
    double cw[2];
    hu_table_params p = {100, 10, 9, 0.5, 0};
    /* fits at 10 pt: everything on one line, spare width in proportion to content */
    hu_cell_extent fit[4] = {{2, 2, 1, false}, {2, 2, 1, false}, {3, 2, 1, false}, {1, 1, 1, true}};
    hu_table_geom g = hu_table_geometry(fit, hdr, 2, 2, &p, cw);
    assert_true(g.size == 10 && g.word_breaks && g.cols == HU_COLS_FIT);
    assert_true(fabs(cw[0] + cw[1] + 2 * 10 - 100) < 1e-9);
    /* too wide at 10 pt: shrinks to what fits, not below 9 pt */
    hu_cell_extent wide[4] = {
        {2, 2, 1, false}, {2, 2, 1, false}, {7, 3, 1, false}, {1, 1, 1, true}};
    g = hu_table_geometry(wide, hdr, 2, 2, &p, cw);
    /* (7 + 1) + (2 + 1) em: the header "2" is the second column's soft minimum */
    assert_true(fabs(g.size - 100.0 / 11) < 1e-9 && g.cols == HU_COLS_FIT);
    hu_cell_extent wider[4] = {
        {2, 2, 1, false}, {2, 2, 1, false}, {12, 3, 1, false}, {1, 1, 1, true}};
    g = hu_table_geometry(wider, hdr, 2, 2, &p, cw);
    assert_true(fabs(g.size - 9) < 1e-9 && g.word_breaks && g.cols == HU_COLS_WRAP);
    /* words that do not fit even at 9 pt: break anywhere 禁则 allow */
    hu_cell_extent words[4] = {
        {2, 2, 1, false}, {2, 2, 1, false}, {20, 12, 1, false}, {1, 1, 1, true}};
    g = hu_table_geometry(words, hdr, 2, 2, &p, cw);
    assert_false(g.word_breaks);
    /* the header slack widens a short header's column */
    hu_table_params ps = p;
    ps.header_slack_em = 0.25;
    double cw2[2];
    hu_table_geometry(wider, hdr, 2, 2, &p, cw);
    hu_table_geometry(wider, hdr, 2, 2, &ps, cw2);
    assert_true(cw2[1] > cw[1]); /* the short header "2" of the figures column */
}

/* Extents: words, 禁则 pieces, numbers. */
static void test_extent(void **state) {
    (void)state;
    const char *s = "实际利用外资（万美元）";
    uint32_t cp[32];
    double em[32];
    size_t n = 0;
    for (size_t i = 0; s[i];) {
        i += hu_utf8_decode(s + i, strlen(s + i), &cp[n]);
        em[n++] = 1;
    }
    hu_cell_extent e = hu_cell_extent_of(cp, em, n, true);
    assert_true(e.total == 11);
    assert_true(e.word_min >= 4.5); /* （万美元） whole, its ） may hang half */
    assert_true(e.any_min < e.word_min);
    assert_false(e.numeric);
    uint32_t num[] = {'-', '1', '2', '.', '5', '%'};
    assert_true(hu_cell_numeric(num, 6));
}

/* hu_cell_extent_from on the caller's own break opportunities and words (what layout.c
 * measures a cell with) is hu_cell_extent_of, to the bit. */
static void test_extent_from(void **state) {
    (void)state;
    const char *cells[] = {
        "实际利用外资（万美元）",        "同比增长12.5%", "“五好园区”创建", "-3.0%",
        "Health engineers 2026年1—10月", "，。"};
    for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
        const char *s = cells[c];
        uint32_t cp[64];
        double em[64];
        size_t n = 0;
        for (size_t i = 0; s[i];) {
            i += hu_utf8_decode(s + i, strlen(s + i), &cp[n]);
            em[n] = cp[n] < 0x80 ? 0.5 : 1;
            n++;
        }
        hu_punct_fit pf[64];
        unsigned char brk[64], bnd[64];
        hu_punct_fit_compute(cp, em, n, true, pf);
        hu_linebreak_compute(cp, n, brk);
        hu_segment_words(cp, n, bnd);
        hu_cell_extent a = hu_cell_extent_of(cp, em, n, true);
        hu_cell_extent b = hu_cell_extent_from(cp, em, n, pf, brk, bnd);
        assert_memory_equal(&a.total, &b.total, sizeof a.total);
        assert_memory_equal(&a.word_min, &b.word_min, sizeof a.word_min);
        assert_memory_equal(&a.any_min, &b.any_min, sizeof a.any_min);
        assert_int_equal(a.numeric, b.numeric);
        assert_true(b.total > 0);
    }
    hu_cell_extent z = hu_cell_extent_from(NULL, NULL, 0, NULL, NULL, NULL);
    assert_true(z.total == 0 && z.word_min == 0 && z.any_min == 0 && !z.numeric);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extent_from), cmocka_unit_test(test_sample_table),
        cmocka_unit_test(test_wide_table),  cmocka_unit_test(test_geometry_steps),
        cmocka_unit_test(test_extent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
