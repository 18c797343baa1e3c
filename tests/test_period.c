/* Unit tests of the period-phrase parser (period.c): what a title names, whether it names the
 * report's period, how it rolls to the next month, and what a file name says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "period.h"

/* The phrases of s as "kind:year:first-last[text]" joined by spaces. */
static char *show(const char *s) {
    hu_period_phrase p[16];
    size_t n = hu_period_phrases(s, p, 16);
    hu_buf b = HU_BUF_INIT;
    for (size_t i = 0; i < n && i < 16; i++)
        hu_buf_printf(&b, "%s%d:%d:%d-%d[%.*s]", i ? " " : "", (int)p[i].kind, p[i].year,
                      p[i].first, p[i].last, (int)(p[i].end - p[i].start), s + p[i].start);
    return hu_buf_detach(&b);
}

#define EXPECT_PHRASES(s, want)                                                                    \
    do {                                                                                           \
        char *got_ = show(s);                                                                      \
        if (strcmp(got_, want)) fprintf(stderr, "%s\n  got  %s\n  want %s\n", s, got_, want);      \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_forms(void **state) {
    (void)state;
    /* kinds: 0 year, 1 month, 2 range, 3 quarter, 4 half, 5 first quarters, 6 whole year */
    EXPECT_PHRASES("产业开发区2026年1—10月产业发展工作情况汇报", "2:2026:1-10[2026年1—10月]");
    EXPECT_PHRASES("关于1-9月份工作情况的汇报", "2:0:1-9[1-9月份]");
    EXPECT_PHRASES("1月至10月", "2:0:1-10[1月至10月]");
    EXPECT_PHRASES("1月份至10月份", "2:0:1-10[1月份至10月份]");
    EXPECT_PHRASES("2026年一至十月", "2:2026:1-10[2026年一至十月]");
    EXPECT_PHRASES("1～10月", "2:0:1-10[1～10月]");
    EXPECT_PHRASES("1——10月", "2:0:1-10[1——10月]");
    EXPECT_PHRASES("2026年10月份工作总结及11月份工作计划",
                   "1:2026:10-10[2026年10月份] 1:0:11-11[11月份]");
    EXPECT_PHRASES("十月份工作", "1:0:10-10[十月份]");
    EXPECT_PHRASES("2026年十二月", "1:2026:12-12[2026年十二月]");
    EXPECT_PHRASES("2026年第三季度经济运行", "3:2026:7-9[2026年第三季度]");
    EXPECT_PHRASES("园区三季度工作", "3:0:7-9[三季度]");
    EXPECT_PHRASES("2026年上半年", "4:2026:1-6[2026年上半年]");
    EXPECT_PHRASES("下半年打算", "4:0:7-12[下半年]");
    EXPECT_PHRASES("前三季度", "5:0:1-9[前三季度]");
    EXPECT_PHRASES("2026年全年", "6:2026:1-12[2026年全年]");
    EXPECT_PHRASES("2026年度工作总结", "0:2026:0-0[2026年度]");
    EXPECT_PHRASES("2026年工作总结和2027年工作打算", "0:2026:0-0[2026年] 0:2027:0-0[2027年]");
    /* not periods */
    EXPECT_PHRASES("10月15日召开", "");
    EXPECT_PHRASES("近3个月", "");
    EXPECT_PHRASES("统一月报格式", "");
    EXPECT_PHRASES("第13月", "");
    EXPECT_PHRASES("12.5月", "");
    EXPECT_PHRASES("10—3月", "1:0:3-3[3月]"); /* a backwards range is not one range */
    EXPECT_PHRASES("", "");
}

static bool names(const char *s, int y, int m) {
    hu_period_phrase p;
    assert_int_equal(hu_period_phrases(s, &p, 1), 1);
    return hu_period_phrase_names(&p, y, m);
}

static void test_names(void **state) {
    (void)state;
    assert_true(names("2026年1—10月", 2026, 10));
    assert_false(names("2026年1—9月", 2026, 10));
    assert_false(names("2025年1—10月", 2026, 10));
    assert_true(names("1—10月", 2031, 10));
    assert_true(names("前三季度", 2026, 9));
    assert_false(names("前三季度", 2026, 10));
    assert_true(names("三季度", 2026, 9));
    assert_true(names("上半年", 2026, 6));
    assert_true(names("全年", 2026, 12));
    assert_false(names("全年", 2026, 11));
    assert_true(names("2026年度", 2026, 4));
    assert_false(names("2025年", 2026, 4));
    hu_period_phrase p;
    hu_period_phrases("11月份工作打算", &p, 1);
    assert_true(hu_period_phrase_after(&p, 2026, 10));
    assert_false(hu_period_phrase_after(&p, 2026, 11));
    hu_period_phrases("2027年工作打算", &p, 1);
    assert_true(hu_period_phrase_after(&p, 2026, 12));
}

#define EXPECT_ROLL(s, fy, fm, ty, tm, want)                                                       \
    do {                                                                                           \
        char *got_ = hu_period_roll(s, fy, fm, ty, tm);                                            \
        if (strcmp(got_, want)) fprintf(stderr, "%s\n  got  %s\n  want %s\n", s, got_, want);      \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_roll(void **state) {
    (void)state;
    EXPECT_ROLL("产业开发区2026年1—9月产业发展工作情况汇报", 2026, 9, 2026, 10,
                "产业开发区2026年1—10月产业发展工作情况汇报");
    EXPECT_ROLL("关于1-9月份工作情况的汇报", 2026, 9, 2026, 10, "关于1-10月份工作情况的汇报");
    EXPECT_ROLL("9月份工作总结及10月份工作计划", 2026, 9, 2026, 10,
                "10月份工作总结及11月份工作计划");
    EXPECT_ROLL("2026年前三季度工作情况", 2026, 9, 2026, 10, "2026年1—10月工作情况");
    EXPECT_ROLL("2026年1—8月工作情况", 2026, 8, 2026, 9, "2026年1—9月工作情况");
    EXPECT_ROLL("2026年三季度", 2026, 9, 2026, 12, "2026年四季度");
    EXPECT_ROLL("2026年第三季度", 2026, 9, 2026, 10, "2026年10月");
    EXPECT_ROLL("2026年上半年", 2026, 6, 2026, 7, "2026年1—7月");
    EXPECT_ROLL("一至九月", 2026, 9, 2026, 10, "一至十月");
    EXPECT_ROLL("2026年1月", 2026, 1, 2026, 2, "2026年2月");
    EXPECT_ROLL("2026年1—11月", 2026, 11, 2026, 12, "2026年1—12月");
    EXPECT_ROLL("2026年全年工作总结", 2026, 12, 2027, 1, "2027年1月工作总结");
    EXPECT_ROLL("2026年1—12月", 2026, 12, 2027, 1, "2027年1月");
    EXPECT_ROLL("2026年度工作总结", 2026, 12, 2027, 1, "2027年度工作总结");
    EXPECT_ROLL("1—10月暨全年目标完成预测", 2026, 10, 2026, 11, "1—11月暨全年目标完成预测");
    EXPECT_ROLL("12月份工作及1月份打算", 2026, 12, 2027, 1, "1月份工作及2月份打算");
    EXPECT_ROLL("没有期间的标题", 2026, 9, 2026, 10, "没有期间的标题");
    /* the phrase written for a period (check's suggestion) */
    hu_period_phrase p;
    hu_period_phrases("2026年1—9月", &p, 1);
    hu_buf b = HU_BUF_INIT;
    hu_period_phrase_write(&p, 2026, 10, &b);
    assert_string_equal(hu_buf_cstr(&b), "2026年1—10月");
    hu_buf_free(&b);
}

static void test_names_of_files(void **state) {
    (void)state;
    int y = 0, m = 0;
    assert_true(hu_period_from_name("data/2026-09.yaml", &y, &m));
    assert_int_equal(y, 2026);
    assert_int_equal(m, 9);
    assert_true(hu_period_from_name("2026_10-草稿.yml", &y, &m));
    assert_int_equal(m, 10);
    assert_true(hu_period_from_name("/a/202611.json", &y, &m));
    assert_int_equal(m, 11);
    assert_true(hu_period_from_name("2026年1—7月汇报.yaml", &y, &m));
    assert_int_equal(m, 7);
    assert_true(hu_period_from_name("汇报2026.3.yaml", &y, &m));
    assert_int_equal(m, 3);
    assert_false(hu_period_from_name("notes.yaml", &y, &m));
    assert_false(hu_period_from_name("2026-13.yaml", &y, &m));
    assert_false(hu_period_from_name("12026-10.yaml", &y, &m));
    assert_false(hu_period_from_name("2026年.yaml", &y, &m));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_roll),
        cmocka_unit_test(test_names_of_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
