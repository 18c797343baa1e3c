/* test_segment.c - word segmentation (segment.c), the title breaker (titlebreak.c) and column
 * widths (colwidth.c): the pure modules the PDF and DOCX writers share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colwidth.h"
#include "segment.h"
#include "titlebreak.h"
#include "utf8.h"

/* "a|b|c": the words of s as segment.c sees them. */
static const char *seg(const char *s) {
    static char out[4096];
    unsigned char b[1024];
    size_t n = hu_segment_words_utf8(s, b);
    char *o = out;
    size_t len = strlen(s), i = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t cp;
        size_t m = hu_utf8_decode(s + i, len - i, &cp);
        memcpy(o, s + i, m);
        o += m, i += m;
        if (b[k] && k + 1 < n) *o++ = '|';
    }
    *o = 0;
    return out;
}

/* true when "a|b" appears in seg(s), i.e. a word boundary between a and b */
static bool has(const char *s, const char *piece) {
    return strstr(seg(s), piece) != NULL;
}

static void test_icu_misreadings_corrected(void **state) {
    (void)state;
    /* ICU: 专|项|排|查 and 2026|年前|三|季度 (shared docs/libs.md) */
    assert_true(has("关于开展重大事故隐患专项排查整治行动的汇报", "专项排查"));
    assert_false(has("关于开展重大事故隐患专项排查整治行动的汇报", "专|项"));
    const char *t = "区科技和工业信息化局关于2026年前三季度工业经济运行情况的汇报";
    assert_true(has(t, "|2026年前三季度|"));
    assert_true(has(t, "区科技和工业信息化局|关于|"));
    /* units and numbers */
    assert_string_equal(seg("实际利用外资（万美元）"), "实际利用外资|（万美元）");
    assert_string_equal(seg("比上月提高2.5个百分点"), "比上月提高|2.5个百分点");
    assert_true(has("新签约项目30余项，投资3000多万元", "30余项"));
    assert_true(has("新签约项目30余项，投资3000多万元", "3000多万元"));
    assert_true(has("增幅5%～8%之间", "|5%～8%|"));
    assert_true(has("同比增长-3.5%", "-3.5%"));
}

static void test_dates_and_periods(void **state) {
    (void)state;
    assert_true(has("关于2026年1—10月全区固定资产投资的汇报", "关于|2026年1—10月|全区"));
    assert_true(has("2026年11月5日召开", "2026年11月5日|"));
    assert_true(has("高新区2026年上半年工作", "|2026年上半年|"));
    assert_true(has("2026年度党风廉政建设", "2026年度|"));
    assert_true(has("今年前三季度全区", "|前三季度|"));
    assert_true(has("1-9月份累计", "1-9月份|"));
    /* a year is not glued to a following count: 2026年|18个 */
    assert_true(has("2026年18个项目", "2026年|18个"));
}

static void test_names(void **state) {
    (void)state;
    /* organs take the words before them, up to another organ, 关于 or a function word */
    assert_true(has("市场监督管理局关于食品安全", "市场监督管理局|关于"));
    assert_true(has("高新区管委会关于招商引资", "高新区管委会|关于"));
    assert_true(has("县人力资源和社会保障局关于稳就业", "县人力资源和社会保障局|关于"));
    assert_true(has("中共某某区委某某区人民政府关于", "中共某某区委|某某区人民政府|关于"));
    assert_true(has("区政府办公室关于", "区政府办公室|关于"));
    /* 格局 is not an organ */
    assert_true(has("构建新发展格局和全局", "|和|"));
    /* quoted names whole, the conjunction on its own */
    assert_true(has("创建“五好园区”工作推进情况和下一步", "|“五好园区”|"));
    assert_true(has("创建“五好园区”工作推进情况和下一步", "情况|和|下一步"));
    assert_true(has("贯彻落实《优化营商环境条例》情况", "|《优化营商环境条例》|"));
    /* Latin codes join the word they modify */
    assert_true(has("全市5G基站建设", "5G基站"));
    assert_true(has("占GDP比重", "占GDP"));
    /* lone characters ICU leaves join their neighbours: 保|交|楼 */
    assert_true(has("和保交楼工作", "保交楼"));
}

static void test_segment_edges(void **state) {
    (void)state;
    unsigned char b[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    hu_segment_words(NULL, 0, b); /* n = 0 writes nothing */
    assert_int_equal(b[0], 9);
    uint32_t odd[] = {0x110000, 0xD800, 'a', 0x4E00};
    hu_segment_words(odd, 4, b);
    assert_int_equal(b[3], 1);
    assert_int_equal(hu_segment_words_utf8("", b), 0);
    assert_int_equal(hu_segment_words_utf8("中文", b), 2);
    assert_int_equal(b[1], 1);
    assert_true(hu_segment_is_function_char(0x548C));  /* 和 */
    assert_false(hu_segment_is_function_char(0x5730)); /* 地: 用地, 土地 */
}

/* ------------------------------------------------------------------ titles */

static size_t decode(const char *s, uint32_t *t, double *w) {
    size_t len = strlen(s), n = 0;
    for (size_t i = 0; i < len;) {
        i += hu_utf8_decode(s + i, len - i, &t[n]);
        w[n] = hu_title_char_width(t[n]);
        n++;
    }
    return n;
}

/* The lines' widths follow a 梯形 or 菱形: rising, then falling, the last line falling, adjacent
 * lines at least one em apart. */
static void assert_shape(const double *lw, size_t nl, const char *title) {
    if (nl < 2) return;
    size_t peak = 0;
    for (size_t k = 1; k < nl; k++)
        if (lw[k] > lw[peak]) peak = k;
    for (size_t k = 0; k + 1 < nl; k++) {
        bool ok = fabs(lw[k] - lw[k + 1]) >= 1 - 1e-9 &&
                  (k < peak ? lw[k] < lw[k + 1] : lw[k] > lw[k + 1]);
        if (!ok) print_message("bad shape (line %zu): %s\n", k, title);
        assert_true(ok);
    }
    assert_true(peak < nl - 1);
}

/* Every title of the hand-marked corpus breaks only at its marks, in shape, with no character
 * lost. The same corpus judges the PDF in e2e_typeset.sh (with jieba as a second opinion). */
static void test_title_corpus(void **state) {
    (void)state;
    char path[1024];
    const char *src = getenv("HU_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/data/titles/titles.txt", src ? src : HU_SOURCE_DIR);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[2048];
    int titles = 0, lines = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char title[2048];
        bool mark[512] = {0};
        size_t o = 0, pos = 0, len = strlen(line);
        for (size_t i = 0; i < len;) {
            if (line[i] == '/') {
                mark[pos] = true;
                i++;
                continue;
            }
            uint32_t cp;
            size_t m = hu_utf8_decode(line + i, len - i, &cp);
            memcpy(title + o, line + i, m);
            o += m, i += m, pos++;
        }
        title[o] = 0;
        uint32_t t[512];
        double w[512], lw[32];
        size_t n = decode(title, t, w), ends[32];
        size_t nl = hu_title_break(t, w, n, 18, 19.6, 1, ends, 32);
        assert_true(nl >= 2 && nl <= 5);
        assert_int_equal(ends[nl - 1], n);
        size_t s = 0;
        for (size_t k = 0; k < nl; k++) {
            assert_true(ends[k] > s);
            if (k + 1 < nl && !mark[ends[k]]) {
                print_message("break at %zu not marked: %s\n", ends[k], line);
                fail();
            }
            lw[k] = 0;
            for (size_t i = s; i < ends[k]; i++)
                lw[k] += w[i];
            assert_true(lw[k] <= 19.6 + 1e-9);
            s = ends[k];
        }
        assert_shape(lw, nl, title);
        titles++, lines += (int)nl;
    }
    fclose(f);
    assert_true(titles >= 30);
    print_message("%d titles, %d lines\n", titles, lines);
}

static size_t brk(const char *title, double maxc, double hard, char out[][256], size_t max) {
    size_t be[32];
    size_t nl = hu_title_break_utf8(title, maxc, hard, be, max);
    size_t s = 0;
    for (size_t k = 0; k < nl; k++) {
        memcpy(out[k], title + s, be[k] - s);
        out[k][be[k] - s] = 0;
        s = be[k];
    }
    assert_int_equal(s, strlen(title));
    return nl;
}

static void test_title_cases(void **state) {
    (void)state;
    char l[32][256];
    /* short: one line */
    assert_int_equal(brk("关于2026年10月份工作情况的汇报", 18, 19.6, l, 32), 1);
    /* the examples: never 建|设, 招商|引资, 隐|患, 交|易 */
    size_t nl =
        brk("关于2026年第三季度全市重点项目建设推进情况和下一步工作安排的汇报", 18, 19.6, l, 32);
    assert_int_equal(nl, 2);
    assert_string_equal(l[0], "关于2026年第三季度全市重点项目建设");
    assert_string_equal(l[1], "推进情况和下一步工作安排的汇报");
    nl = brk("高新区管委会关于2026年1—9月招商引资工作情况的报告", 18, 19.6, l, 32);
    assert_string_equal(l[0], "高新区管委会关于2026年1—9月");
    /* 的 never starts a line */
    nl = brk("区科技和工业信息化局关于2026年前三季度工业经济运行情况的汇报", 18, 19.6, l, 32);
    for (size_t k = 1; k < nl; k++)
        assert_true(strncmp(l[k], "的", 3) != 0);
    /* one long word: broken somewhere, nothing lost (brk checks the byte count) */
    nl = brk("中华人民共和国国家发展和改革委员会中华人民共和国国家发展和改革委员会", 18, 19.6, l,
             32);
    assert_true(nl >= 2);
    /* max_lines is respected: the last line takes the rest */
    assert_int_equal(
        brk("关于2026年第三季度全市重点项目建设推进情况和下一步工作安排的汇报", 8, 8, l, 2), 2);
    /* empty */
    size_t be[4];
    assert_int_equal(hu_title_break_utf8("", 18, 19.6, be, 4), 0);
    assert_int_equal(hu_title_break(NULL, NULL, 0, 18, 19.6, 1, be, 4), 0);
}

/* Whatever the width, no two adjacent lines are equal and none is an hourglass when the
 * title has enough word boundaries; nothing is ever lost. */
static void test_title_widths(void **state) {
    (void)state;
    const char *title = "关于2026年全区经济社会发展主要目标任务完成情况和2027年工作思路的汇报";
    uint32_t t[256];
    double w[256];
    size_t n = decode(title, t, w);
    for (double maxc = 8; maxc <= 30; maxc += 0.5) {
        size_t ends[32];
        size_t nl = hu_title_break(t, w, n, maxc, maxc + 1.5, 1, ends, 32);
        assert_int_equal(ends[nl - 1], n);
        double lw[32];
        size_t s = 0;
        for (size_t k = 0; k < nl; k++) {
            lw[k] = 0;
            for (size_t i = s; i < ends[k]; i++)
                lw[k] += w[i];
            assert_true(lw[k] <= maxc + 1.5 + 1e-9);
            s = ends[k];
        }
        assert_shape(lw, nl, title);
    }
}

static void test_char_width(void **state) {
    (void)state;
    assert_true(hu_title_char_width(0x4E2D) == 1.0);
    assert_true(hu_title_char_width(0x201C) == 1.0); /* “ */
    assert_true(hu_title_char_width(0x2014) == 1.0); /* — */
    assert_true(hu_title_char_width(0xFF08) == 1.0); /* （ */
    assert_true(hu_title_char_width('2') == 0.5);
    assert_true(hu_title_char_width('G') == 0.7);
    assert_true(hu_title_char_width('%') == 0.5);
}

/* ------------------------------------------------------------------ columns */

static void test_colwidths(void **state) {
    (void)state;
    double mn[3] = {2, 4, 1}, mx[3] = {4, 10, 2}, out[3];
    /* fits: max + spare in proportion to max (16 of 32) */
    assert_int_equal(hu_colwidths(mn, mx, 3, 32, out), HU_COLS_FIT);
    assert_true(fabs(out[0] - 8) < 1e-9 && fabs(out[1] - 20) < 1e-9 && fabs(out[2] - 4) < 1e-9);
    /* wraps: min + (avail − Σmin) × (max − min) / (Σmax − Σmin): 7 + 4 × (2, 6, 1) / 9 */
    assert_int_equal(hu_colwidths(mn, mx, 3, 11, out), HU_COLS_WRAP);
    assert_true(fabs(out[0] - (2 + 4.0 * 2 / 9)) < 1e-9);
    assert_true(fabs(out[1] - (4 + 4.0 * 6 / 9)) < 1e-9);
    assert_true(fabs(out[0] + out[1] + out[2] - 11) < 1e-9);
    /* overflows: the minimum */
    assert_int_equal(hu_colwidths(mn, mx, 3, 5, out), HU_COLS_OVERFLOW);
    assert_true(out[0] == 2 && out[1] == 4 && out[2] == 1);
    /* a max below its min counts as the min; all zero: equal shares */
    double z[2] = {0, 0}, m2[2] = {3, 0}, o2[2];
    assert_int_equal(hu_colwidths(z, z, 2, 10, o2), HU_COLS_FIT);
    assert_true(o2[0] == 5 && o2[1] == 5);
    assert_int_equal(hu_colwidths(m2, z, 2, 6, o2), HU_COLS_FIT);
    assert_true(fabs(o2[0] - 6) < 1e-9 && o2[1] == 0);
    assert_int_equal(hu_colwidths(NULL, NULL, 0, 10, NULL), HU_COLS_FIT);
    /* the font scale: 1 when it fits, the exact fit above the floor, else the floor */
    double w[2] = {100, 200};
    assert_true(hu_colwidths_fit_scale(w, 2, 10, 400, 9 / 10.5) == 1);
    assert_true(fabs(hu_colwidths_fit_scale(w, 2, 10, 300, 9 / 10.5) - 300.0 / 320) < 1e-9);
    assert_true(fabs(hu_colwidths_fit_scale(w, 2, 10, 100, 9 / 10.5) - 9 / 10.5) < 1e-9);
}

/* The words holding a figure of text t[0..n), as a boundary map: 1 at the ends of those words,
 * 2 inside them, 0 elsewhere. */
static void digit_word_map(const uint32_t *t, size_t n, const unsigned char *bnd,
                           unsigned char *map) {
    for (size_t s = 0; s < n;) {
        size_t e = s;
        while (e + 1 < n && !bnd[e])
            e++;
        bool digit = false;
        for (size_t i = s; i <= e; i++)
            digit = digit || (t[i] >= '0' && t[i] <= '9') || (t[i] >= 0xFF10 && t[i] <= 0xFF19);
        for (size_t i = s; i <= e; i++)
            map[i] = digit ? (i == e ? 1 : 2) : 0;
        s = e + 1;
    }
}

/* hu_segment_digit_words finds the words holding a figure that hu_segment_words finds. */
static void check_digit_words(const uint32_t *t, size_t n) {
    unsigned char *a = malloc(n + 1), *b = malloc(n + 1), *ma = malloc(n + 1), *mb = malloc(n + 1);
    hu_segment_words(t, n, a);
    hu_segment_digit_words(t, n, b);
    digit_word_map(t, n, a, ma);
    digit_word_map(t, n, b, mb);
    for (size_t i = 0; i < n; i++)
        if (ma[i] != mb[i]) {
            char buf[400];
            size_t o = 0;
            for (size_t k = i >= 20 ? i - 20 : 0; k < n && k < i + 20; k++)
                o += (size_t)hu_utf8_encode(t[k], buf + o);
            buf[o] = 0;
            fail_msg("digit words differ at %zu: %s", i, buf);
        }
    free(a), free(b), free(ma), free(mb);
}

static size_t decode_n(const char *s, size_t len, uint32_t *t) {
    size_t n = 0;
    for (size_t i = 0; i < len;)
        i += hu_utf8_decode(s + i, len - i, &t[n++]);
    return n;
}

static void test_digit_words(void **state) {
    (void)state;
    static const char *const cases[] = {
        "全区完成规上工业增加值142.94亿元，同比增长6.8%，增速比前三季度提高0.5个百分点。",
        "“五好园区”创建，完成3项。“招商引资，12个项目。”其余4项",
        "（一）2026年1—10月，签约项目30余个，总投资3000多万元；其中，外资2.5亿美元：占比12%！",
        "数字3，5和7；甲，乙，丙。“我们，2026年。”（见表1，第3行）",
        "市场监督管理局，2026年前三季度，关于5G基站的报告，GDP比重10%。",
        "他说：“今年完成，明年再说。”然后，12月底前完成",
        "，。12，，3。",
        "1",
        "无数字的一句话，还有一句。"};
    uint32_t t[512];
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        check_digit_words(t, decode_n(cases[c], strlen(cases[c]), t));
    /* whole input files, each as one text and line by line: every clause of the samples */
    static const char *const files[] = {"samples/2026-08.yaml", "samples/2026-09.yaml",
                                        "samples/2026-10.yaml", "samples/json/2026-10.json",
                                        "tests/data/titles/titles.txt"};
    const char *src = getenv("HU_SOURCE_DIR");
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", src ? src : HU_SOURCE_DIR, files[f]);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        char *buf = malloc(1 << 20);
        size_t len = fread(buf, 1, (1 << 20) - 1, fp);
        fclose(fp);
        uint32_t *u = malloc((len + 1) * sizeof *u);
        check_digit_words(u, decode_n(buf, len, u));
        for (char *line = buf, *end; line < buf + len; line = end + 1) {
            end = memchr(line, '\n', (size_t)(buf + len - line));
            if (!end) end = buf + len;
            size_t n = decode_n(line, (size_t)(end - line), u);
            if (n) check_digit_words(u, n);
        }
        free(u), free(buf);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digit_words),       cmocka_unit_test(test_icu_misreadings_corrected),
        cmocka_unit_test(test_dates_and_periods), cmocka_unit_test(test_names),
        cmocka_unit_test(test_segment_edges),     cmocka_unit_test(test_title_corpus),
        cmocka_unit_test(test_title_cases),       cmocka_unit_test(test_title_widths),
        cmocka_unit_test(test_char_width),        cmocka_unit_test(test_colwidths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
