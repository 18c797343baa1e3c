/* Unit tests of the number, period and date reader (numtext.c): what is converted, with which
 * message, and what is refused with which hint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "numtext.h"

static hu_numtext num(const char *s, const char *unit, bool rate) {
    hu_numtext r;
    hu_numtext_number(s, strlen(s), unit, rate, &r);
    return r;
}

#define EXPECT_OK(s, unit, rate, want)                                                             \
    do {                                                                                           \
        hu_numtext r_ = num(s, unit, rate);                                                        \
        assert_int_equal(r_.status, HU_NUMTEXT_OK);                                                \
        assert_string_equal(r_.text, want);                                                        \
        assert_string_equal(r_.msg, "");                                                           \
    } while (0)

#define EXPECT_CONV(s, unit, rate, want, part)                                                     \
    do {                                                                                           \
        hu_numtext r_ = num(s, unit, rate);                                                        \
        if (r_.status != HU_NUMTEXT_CONVERTED) fprintf(stderr, "%s: %s\n", s, r_.msg);             \
        assert_int_equal(r_.status, HU_NUMTEXT_CONVERTED);                                         \
        assert_string_equal(r_.text, want);                                                        \
        if (!strstr(r_.msg, part)) fprintf(stderr, "%s: %s\n", s, r_.msg);                         \
        assert_non_null(strstr(r_.msg, part));                                                     \
    } while (0)

#define EXPECT_REFUSED(s, unit, rate, part)                                                        \
    do {                                                                                           \
        hu_numtext r_ = num(s, unit, rate);                                                        \
        if (r_.status != HU_NUMTEXT_REFUSED || !strstr(r_.msg, part))                              \
            fprintf(stderr, "%s: %d %s\n", s, r_.status, r_.msg);                                  \
        assert_int_equal(r_.status, HU_NUMTEXT_REFUSED);                                           \
        assert_string_equal(r_.text, "");                                                          \
        assert_non_null(strstr(r_.msg, part));                                                     \
    } while (0)

static void test_plain(void **state) {
    (void)state;
    EXPECT_OK("125.60", "亿元", false, "125.60"); /* fraction digits as written */
    EXPECT_OK("-3.5", "%", true, "-3.5");
    EXPECT_OK("0", "个", false, "0");
    hu_numtext r = num("125.60", "亿元", false);
    assert_true(r.value == 125.6);
    EXPECT_CONV("007", "个", false, "7", "已按 7 读取");
    EXPECT_OK("+12", "个", false, "12");
    EXPECT_OK(".5", "个", false, "0.5");
    EXPECT_OK("-0.0", "个", false, "0.0"); /* no negative zero */
}

static void test_separators_and_fullwidth(void **state) {
    (void)state;
    EXPECT_CONV("23,420.5", "万元", false, "23420.5", "去掉了千分位逗号");
    EXPECT_CONV("1,234,567", "元", false, "1234567", "“1,234,567”已按 1234567 读取");
    EXPECT_CONV("１２５．６", "亿元", false, "125.6", "全角数字和符号换成了半角");
    EXPECT_CONV("－３", "个", false, "-3", "全角");
    EXPECT_CONV("\xe2\x88\x92"
                "3",
                "个", false, "-3", "全角"); /* U+2212 minus */
    EXPECT_CONV("２３,４２０", "万元", false, "23420", "千分位");
    EXPECT_REFUSED("1,23", "个", false, "逗号不是千分位");
    EXPECT_REFUSED("12,5", "个", false, "逗号不是千分位");
    EXPECT_REFUSED("1234,567", "个", false, "逗号不是千分位");
    EXPECT_REFUSED("1,2345", "个", false, "逗号不是千分位");
    EXPECT_REFUSED("23，420", "万元", false, "全角逗号"); /* may as well be a list */
    EXPECT_REFUSED("1.234.567", "个", false, "只能有一个小数点");
    EXPECT_REFUSED("23 420", "个", false, "不是数字");
    EXPECT_REFUSED("125。6", "亿元", false, "不是数字");
}

static void test_units(void **state) {
    (void)state;
    EXPECT_CONV("125.6亿", "亿元", false, "125.6", "去掉了数字后面的“亿”");
    EXPECT_CONV("125.6亿元", "亿元", false, "125.6", "单位已写在 unit 中");
    EXPECT_CONV("125.6 亿元", "亿元", false, "125.6", "单位已写在 unit 中");
    EXPECT_CONV("36家", "家", false, "36", "去掉了数字后面的“家”");
    EXPECT_CONV("3.2万人", "万人", false, "3.2", "去掉了");
    EXPECT_CONV("1.2万", "万人次", false, "1.2", "去掉了");
    /* another magnitude: refused with the figure in the indicator's unit */
    EXPECT_REFUSED("125.6亿", "万元", false,
                   "“125.6亿”与指标单位“万元”不一致：125.6亿 = 1256000万元，请写 1256000"
                   "（或把 unit 改为 亿元）");
    EXPECT_REFUSED("1256000万", "亿元", false, "= 125.6亿元，请写 125.6");
    EXPECT_REFUSED("1256000000元", "亿元", false, "请写 12.56（或把 unit 改为 元）");
    EXPECT_REFUSED("0.05亿元", "万元", false, "请写 500");
    EXPECT_REFUSED("3万", "人", false, "= 30000人，请写 30000");
    EXPECT_REFUSED("1.2亿", "千瓦时", false, "= 120000000千瓦时"); /* 千瓦时 is no 千 × 瓦时 */
    EXPECT_REFUSED("12亿元", "万人", false, "与指标单位“万人”不一致；value 只写数字");
    EXPECT_REFUSED("12个", "家", false, "不一致");
    EXPECT_REFUSED("125.6亿", "", false, "数字后面不能带单位“亿”。value 只写数字 125.6");
    EXPECT_REFUSED("125.6亿元", NULL, false, "unit: 亿元");
}

static void test_percent(void **state) {
    (void)state;
    EXPECT_CONV("12.5%", "%", true, "12.5", "去掉了数字后面的“%”");
    EXPECT_CONV("12.5%", "%", false, "12.5", "单位已写在 unit 中");
    EXPECT_CONV("12.5％", "%", true, "12.5", "全角");
    EXPECT_CONV("12.5%", "", true, "12.5", "比率指标的单位是 %");
    EXPECT_REFUSED("12.5%", "亿元", false, "带 %，而这个指标的单位是“亿元”");
    EXPECT_REFUSED("12.5%", "", false,
                   "value 只写数字 12.5，并加 unit: %（比率指标再加 kind: rate）");
}

static void test_words(void **state) {
    (void)state;
    EXPECT_REFUSED("约12亿", "亿元", false, "约数请写成 value: 12 并加一行 approx: true");
    EXPECT_REFUSED("大约 3.5", "亿元", false, "value: 3.5");
    EXPECT_REFUSED("超过12亿", "亿元", false, "不是确切的数字");
    EXPECT_REFUSED("近 5", "个", false, "不是确切的数字");
    EXPECT_REFUSED("(12.5)", "亿元", false, "负数请写成 -12.5");
    EXPECT_REFUSED("（12.5）", "亿元", false, "负数请写成 -12.5");
    EXPECT_REFUSED("—", "亿元", false, "没有这项数据");
    EXPECT_REFUSED("暂无", "亿元", false, "没有这项数据");
    EXPECT_REFUSED("十二", "个", false, "不是数字");
    EXPECT_REFUSED("", "个", false, "空的");
    EXPECT_REFUSED("1234567890123456", "元", false, "超过 15 位");
    EXPECT_REFUSED("1e5", "元", false, "不是数字"); /* no exponents in typed figures */
    char big[300];
    memset(big, '1', sizeof big - 1);
    big[sizeof big - 1] = 0;
    EXPECT_REFUSED(big, "元", false, "太长");
}

static hu_datetext period(const char *s) {
    hu_datetext r;
    hu_numtext_period(s, strlen(s), &r);
    return r;
}

#define EXPECT_PERIOD(s, st, want, part)                                                           \
    do {                                                                                           \
        hu_datetext r_ = period(s);                                                                \
        if (r_.status != (st) || !strstr(r_.msg, part)) fprintf(stderr, "%s: %s\n", s, r_.msg);    \
        assert_int_equal(r_.status, st);                                                           \
        assert_string_equal(r_.text, want);                                                        \
        assert_non_null(strstr(r_.msg, part));                                                     \
    } while (0)

static void test_period(void **state) {
    (void)state;
    EXPECT_PERIOD("2026-10", HU_NUMTEXT_OK, "2026-10", "");
    hu_datetext r = period("2026-10");
    assert_int_equal(r.year, 2026);
    assert_int_equal(r.month, 10);
    EXPECT_PERIOD("2026-9", HU_NUMTEXT_CONVERTED, "2026-09",
                  "“2026-9”已按 2026-09（2026年9月）读取");
    EXPECT_PERIOD("2026.10", HU_NUMTEXT_CONVERTED, "2026-10", "已按 2026-10");
    EXPECT_PERIOD("2026.1", HU_NUMTEXT_CONVERTED, "2026-01", "2026年1月");
    EXPECT_PERIOD("2026/10", HU_NUMTEXT_CONVERTED, "2026-10", "统计期请写成 YYYY-MM");
    EXPECT_PERIOD("2026年10月", HU_NUMTEXT_CONVERTED, "2026-10", "已按 2026-10");
    EXPECT_PERIOD("2026年9月份", HU_NUMTEXT_CONVERTED, "2026-09", "已按 2026-09");
    EXPECT_PERIOD("2026年1—10月", HU_NUMTEXT_CONVERTED, "2026-10", "已按 2026-10");
    EXPECT_PERIOD("2026年1-10月", HU_NUMTEXT_CONVERTED, "2026-10", "已按 2026-10");
    EXPECT_PERIOD("2026年1月至10月", HU_NUMTEXT_CONVERTED, "2026-10", "已按 2026-10");
    EXPECT_PERIOD("２０２６－１０", HU_NUMTEXT_CONVERTED, "2026-10", "已按 2026-10");
    EXPECT_PERIOD("2026年7—9月", HU_NUMTEXT_REFUSED, "", "统计期是从 1 月起的累计");
    EXPECT_PERIOD("2026-13", HU_NUMTEXT_REFUSED, "", "月份应为 1 到 12");
    EXPECT_PERIOD("2026-0", HU_NUMTEXT_REFUSED, "", "月份应为 1 到 12");
    EXPECT_PERIOD("26-10", HU_NUMTEXT_REFUSED, "", "年份请写 4 位");
    EXPECT_PERIOD("10月", HU_NUMTEXT_REFUSED, "", "应写成 YYYY-MM");
    EXPECT_PERIOD("2026-10-05", HU_NUMTEXT_REFUSED, "", "像是日期");
    EXPECT_PERIOD("2026-100", HU_NUMTEXT_REFUSED, "", "不是统计期");
    EXPECT_PERIOD("2026年10", HU_NUMTEXT_REFUSED, "", "不是统计期");
    EXPECT_PERIOD("", HU_NUMTEXT_REFUSED, "", "YYYY-MM");
}

static hu_datetext date(const char *s) {
    hu_datetext r;
    hu_numtext_date(s, strlen(s), &r);
    return r;
}

static void test_date(void **state) {
    (void)state;
    hu_datetext r = date("2026-11-05");
    assert_int_equal(r.status, HU_NUMTEXT_OK);
    assert_int_equal(r.day, 5);
    r = date("2026-11-5");
    assert_int_equal(r.status, HU_NUMTEXT_CONVERTED);
    assert_string_equal(r.text, "2026-11-05");
    assert_non_null(strstr(r.msg, "已按 2026-11-05（2026年11月5日）读取"));
    r = date("2026年11月5日");
    assert_int_equal(r.status, HU_NUMTEXT_CONVERTED);
    assert_string_equal(r.text, "2026-11-05");
    r = date("2026.11.05");
    assert_int_equal(r.status, HU_NUMTEXT_CONVERTED);
    r = date("2024/2/29");
    assert_int_equal(r.status, HU_NUMTEXT_CONVERTED);
    r = date("2026-02-29");
    assert_int_equal(r.status, HU_NUMTEXT_REFUSED);
    assert_non_null(strstr(r.msg, "不是有效的日期"));
    r = date("2026-11");
    assert_int_equal(r.status, HU_NUMTEXT_REFUSED);
    assert_non_null(strstr(r.msg, "YYYY-MM-DD"));
    r = date("2026-11/05");
    assert_int_equal(r.status, HU_NUMTEXT_REFUSED);
    r = date("11月5日");
    assert_int_equal(r.status, HU_NUMTEXT_REFUSED);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain), cmocka_unit_test(test_separators_and_fullwidth),
        cmocka_unit_test(test_units), cmocka_unit_test(test_percent),
        cmocka_unit_test(test_words), cmocka_unit_test(test_period),
        cmocka_unit_test(test_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
