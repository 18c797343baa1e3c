/* test_analyze.c - table-driven checks of the statistical wording, every expected string
 * computed by hand (see the comment on each row). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyze.h"

static hu_num N(const char *t) {
    hu_num n;
    memset(&n, 0, sizeof n);
    if (t) {
        n.set = true;
        n.text = t;
        n.v = strtod(t, NULL);
    }
    return n;
}

static int failures;
#define EXPECT_STR(row, what, got, want)                                                           \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        if (!g_ || strcmp(g_, w_) != 0) {                                                          \
            print_error("row %d %s: got \"%s\", want \"%s\"\n", (int)(row), what,                  \
                        g_ ? g_ : "(null)", w_);                                                   \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* ------------------------------------------------------------------ 同比 wording */

typedef struct {
    hu_ind_kind kind;
    const char *value, *base;
    bool bei;
    const char *unit;
    int decimals;
    const char *text;   /* expected hu_cmp.text */
    const char *short_; /* expected table cell */
    bool has;
    hu_dir dir;
} cmp_case;

#define A HU_IND_AMOUNT
#define R HU_IND_RATE
static const cmp_case yoy_cases[] = {
    /* 12.25/100 = 12.25% -> half-up 12.3 (binary floating point gives 12.2) */
    {A, "112.25", "100", true, "亿元", 2, "同比增长12.3%", "12.3%", true, HU_DIR_UP},
    /* 0.05% -> 0.1 */
    {A, "100.05", "100", true, "亿元", 2, "同比增长0.1%", "0.1%", true, HU_DIR_UP},
    /* 0.04% -> 0.0 -> 持平 */
    {A, "100.04", "100", true, "亿元", 2, "与上年同期持平", "持平", true, HU_DIR_FLAT},
    /* -0.05% -> -0.1 (half-up on the magnitude) */
    {A, "99.95", "100", true, "亿元", 2, "同比下降0.1%", "-0.1%", true, HU_DIR_DOWN},
    /* -0.04% -> 持平, never -0.0 */
    {A, "99.96", "100", true, "亿元", 2, "与上年同期持平", "持平", true, HU_DIR_FLAT},
    {A, "95.9", "100", true, "亿元", 2, "同比下降4.1%", "-4.1%", true, HU_DIR_DOWN},
    /* trailing zero kept */
    {A, "105", "100", true, "万元", 0, "同比增长5.0%", "5.0%", true, HU_DIR_UP},
    /* exactly +100% -> 倍 form, 1.0倍 */
    {A, "200", "100", true, "万元", 0, "同比增长1.0倍", "1.0倍", true, HU_DIR_UP},
    /* +130% -> 1.3倍 */
    {A, "230", "100", true, "万元", 0, "同比增长1.3倍", "1.3倍", true, HU_DIR_UP},
    /* 倍 switched off */
    {A, "230", "100", false, "万元", 0, "同比增长130.0%", "130.0%", true, HU_DIR_UP},
    {A, "199.9", "100", true, "万元", 0, "同比增长99.9%", "99.9%", true, HU_DIR_UP},
    /* 99.96% rounds to 100.0% -> 倍 form, 0.9996 -> 1.0倍 */
    {A, "199.96", "100", true, "万元", 0, "同比增长1.0倍", "1.0倍", true, HU_DIR_UP},
    /* 倍 never for decreases */
    {A, "50", "100", true, "万元", 0, "同比下降50.0%", "-50.0%", true, HU_DIR_DOWN},
    {A, "0", "100", true, "万元", 0, "同比下降100.0%", "-100.0%", true, HU_DIR_DOWN},
    /* zero base: no percentage at all */
    {A, "10", "0", true, "万元", 0, "上年同期无可比数据", "—", false, HU_DIR_NONE},
    {A, "0", "0", true, "万元", 0, "上年同期无可比数据", "—", false, HU_DIR_NONE},
    {A, "10", "0.00", true, "亿元", 2, "上年同期无可比数据", "—", false, HU_DIR_NONE},
    /* missing base */
    {A, "10", NULL, true, "万元", 0, "上年同期无可比数据", "—", false, HU_DIR_NONE},
    /* negative bases: |-0.5| < |-1.2| -> 减亏 0.70 */
    {A, "-0.5", "-1.2", true, "亿元", 2, "同比减亏0.70亿元", "减亏0.70", true, HU_DIR_UP},
    /* -1.5 vs -1.2 -> 增亏 0.30 */
    {A, "-1.5", "-1.2", true, "亿元", 2, "同比增亏0.30亿元", "增亏0.30", true, HU_DIR_DOWN},
    /* 0.8 - (-1.2) = 2.00 */
    {A, "0.8", "-1.2", true, "亿元", 2, "同比扭亏为盈，增加2.00亿元", "扭亏为盈", true, HU_DIR_UP},
    /* 1.2 -> -0.3: 1.50 less */
    {A, "-0.3", "1.2", true, "亿元", 2, "同比由盈转亏，减少1.50亿元", "由盈转亏", true,
     HU_DIR_DOWN},
    {A, "-1.2", "-1.2", true, "亿元", 2, "与上年同期持平", "持平", true, HU_DIR_FLAT},
    /* loss wiped out: 减亏 by the whole loss */
    {A, "0", "-1.2", true, "亿元", 2, "同比减亏1.20亿元", "减亏1.20", true, HU_DIR_UP},
    {A, "-500", "-1200", true, "万元", 0, "同比减亏700万元", "减亏700", true, HU_DIR_UP},
    /* a change that rounds away at the unit's decimals reads as 持平 */
    {A, "-1.201", "-1.2", true, "亿元", 2, "与上年同期持平", "持平", true, HU_DIR_FLAT},
    /* rates: 百分点 */
    {R, "96.6", "97.3", true, "%", 1, "同比下降0.7个百分点", "-0.7个百分点", true, HU_DIR_DOWN},
    {R, "20.8", "18.7", true, "%", 1, "同比提高2.1个百分点", "2.1个百分点", true, HU_DIR_UP},
    /* a zero rate is a valid base */
    {R, "5", "0", true, "%", 1, "同比提高5.0个百分点", "5.0个百分点", true, HU_DIR_UP},
    {R, "18.24", "18.2", true, "%", 1, "与上年同期持平", "持平", true, HU_DIR_FLAT},
    /* 0.05 points -> 0.1 */
    {R, "18.25", "18.2", true, "%", 1, "同比提高0.1个百分点", "0.1个百分点", true, HU_DIR_UP},
    {R, "3", NULL, true, "%", 1, "上年同期无可比数据", "—", false, HU_DIR_NONE},
    /* rates never use 倍 */
    {R, "50", "10", true, "%", 1, "同比提高40.0个百分点", "40.0个百分点", true, HU_DIR_UP},
    {R, "-2.5", "1.5", true, "%", 1, "同比下降4.0个百分点", "-4.0个百分点", true, HU_DIR_DOWN},
    /* 1e3 vs 500 = +100% */
    {A, "1e3", "500", true, "万元", 0, "同比增长1.0倍", "1.0倍", true, HU_DIR_UP},
    {A, "1.5", "1.2", true, "亿元", 2, "同比增长25.0%", "25.0%", true, HU_DIR_UP},
    /* 1.4/11.1 = 12.6126% */
    {A, "12.5", "11.1", true, "亿元", 2, "同比增长12.6%", "12.6%", true, HU_DIR_UP},
    /* -2/3 = -66.666% */
    {A, "0.001", "0.003", true, "亿元", 2, "同比下降66.7%", "-66.7%", true, HU_DIR_DOWN},
    {A, "2", "3", true, "个", 0, "同比下降33.3%", "-33.3%", true, HU_DIR_DOWN},
    /* 0.35% exactly -> 0.4 (100.35 as a double is 100.3499…, which would give 0.3) */
    {A, "100.35", "100", true, "亿元", 2, "同比增长0.4%", "0.4%", true, HU_DIR_UP},
    {A, "1.0035", "1", true, "亿元", 2, "同比增长0.4%", "0.4%", true, HU_DIR_UP},
    /* -12.35% -> -12.4 */
    {A, "87.65", "100", true, "亿元", 2, "同比下降12.4%", "-12.4%", true, HU_DIR_DOWN},
    /* 2.45倍 -> 2.5倍 */
    {A, "345", "100", true, "万元", 0, "同比增长2.5倍", "2.5倍", true, HU_DIR_UP},
    /* different scales align */
    {A, "112.25", "100.00", true, "亿元", 2, "同比增长12.3%", "12.3%", true, HU_DIR_UP},
    {A, "1.5e2", "100", true, "万元", 0, "同比增长50.0%", "50.0%", true, HU_DIR_UP},
    /* 0.0449% -> 0.0 */
    {A, "2000.898", "2000", true, "万元", 0, "与上年同期持平", "持平", true, HU_DIR_FLAT},
    /* 12 / 1 = +1100% -> 11.0倍 */
    {A, "12", "1", true, "家", 0, "同比增长11.0倍", "11.0倍", true, HU_DIR_UP},
    /* big figures keep exactness: 13120/12800 = 2.5% */
    {A, "13120", "12800", true, "亿元", 2, "同比增长2.5%", "2.5%", true, HU_DIR_UP},
};

static void test_yoy_table(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    failures = 0;
    for (size_t i = 0; i < sizeof yoy_cases / sizeof yoy_cases[0]; i++) {
        const cmp_case *c = &yoy_cases[i];
        hu_num v = N(c->value), b = N(c->base);
        hu_cmp r = hu_analyze_compare(&a, &v, &b, c->kind, true, c->bei, c->unit, c->decimals,
                                      &hu_words_yoy);
        EXPECT_STR(i, "text", r.text, c->text);
        EXPECT_STR(i, "short", r.short_text, c->short_);
        if (r.has != c->has || r.dir != c->dir) {
            print_error("row %zu: has %d dir %d, want %d %d\n", i, r.has, r.dir, c->has, c->dir);
            failures++;
        }
        if (r.text && (strstr(r.text, "-0.0") || strstr(r.text, "inf") || strstr(r.text, "nan"))) {
            print_error("row %zu: forbidden figure in %s\n", i, r.text);
            failures++;
        }
    }
    hu_arena_free(&a);
    assert_int_equal(failures, 0);
}

static void test_mom_words(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    failures = 0;
    hu_num v = N("13.2"), b = N("12.8"); /* 0.4/12.8 = 3.125% */
    hu_cmp r = hu_analyze_compare(&a, &v, &b, A, true, true, "亿元", 2, &hu_words_mom);
    EXPECT_STR(1, "mom", r.text, "环比增长3.1%");
    v = N("12.8");
    r = hu_analyze_compare(&a, &v, &b, A, true, true, "亿元", 2, &hu_words_mom);
    EXPECT_STR(2, "mom flat", r.text, "与上月持平");
    v = N("6.4"); /* -50% */
    r = hu_analyze_compare(&a, &v, &b, A, true, true, "亿元", 2, &hu_words_mom);
    EXPECT_STR(3, "mom down", r.text, "环比下降50.0%");
    /* no value: nothing at all */
    hu_num none = N(NULL);
    r = hu_analyze_compare(&a, &none, &b, A, true, true, "亿元", 2, &hu_words_yoy);
    EXPECT_STR(4, "no value", r.text, "");
    assert_false(r.has);
    hu_arena_free(&a);
    assert_int_equal(failures, 0);
}

/* ------------------------------------------------------------------ formatting */

/* The one decimals rule: `decimals:` when set, else the most decimals written in value,
 * last_year, the 上月累计 used and target (trailing zeros count: they were written). */
static void test_decimals_rule(void **state) {
    (void)state;
    static const struct {
        const char *v, *ly, *lm, *tg;
        int set, want;
    } rows[] = {
        {"125.60", "111.85", NULL, "150", -1, 2},
        {"150", "120", NULL, NULL, -1, 0},
        {"100.35", "100", NULL, NULL, -1, 2},
        {"41.925", "40", NULL, NULL, -1, 3},
        {"8", "4", "7.5", NULL, -1, 1},
        {"8", "4", NULL, "10.000", -1, 3},
        {"0.00", "1", NULL, NULL, -1, 2},
        {"1.5e3", "2.5e-2", NULL, NULL, -1, 3},
        {"1.123456789", "1", NULL, NULL, -1, 6},
        {"125.60", "111.85", NULL, NULL, 0, 0},
        {"3", "2", NULL, NULL, 4, 4},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        hu_indicator ind;
        memset(&ind, 0, sizeof ind);
        ind.value = N(rows[i].v);
        ind.last_year = N(rows[i].ly);
        ind.last_month = N(rows[i].lm);
        ind.target = N(rows[i].tg);
        ind.decimals = rows[i].set;
        assert_int_equal(hu_analyze_decimals(&ind, 10, NULL), rows[i].want);
    }
    /* the 上月累计 from history counts when the file has none */
    hu_months m;
    memset(&m, 0, sizeof m);
    m.cum[9] = N("27.125");
    hu_indicator ind;
    memset(&ind, 0, sizeof ind);
    ind.value = N("30");
    ind.decimals = -1;
    assert_int_equal(hu_analyze_decimals(&ind, 10, &m), 3);
    ind.last_month = N("26");
    assert_int_equal(hu_analyze_decimals(&ind, 10, &m), 0);
}

static void test_format(void **state) {
    (void)state;
    static const struct {
        const char *in;
        int dec;
        const char *want;
    } rows[] = {
        {"125.6", 2, "125.60"},
        {"125.605", 2, "125.61"},
        {"0.125", 2, "0.13"},
        {"2.5", 0, "3"},
        {"-2.5", 0, "-3"},
        {"-0.04", 1, "0.0"},              /* never -0.0 */
        {"1234567.891", 2, "1234567.89"}, /* no thousands separators */
        {"9.995", 2, "10.00"},            /* a double holds 9.99499…: exact text decides */
        {"0.05", 1, "0.1"},
        {"100", 0, "100"},
        {"1e3", 1, "1000.0"},
        {"-0", 2, "0.00"},
    };
    hu_arena a;
    hu_arena_init(&a);
    failures = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        hu_num n = N(rows[i].in);
        EXPECT_STR(i, "format", hu_analyze_format(&a, &n, rows[i].dec), rows[i].want);
    }
    hu_num unset = N(NULL);
    assert_null(hu_analyze_format(&a, &unset, 2));
    hu_dec d;
    assert_false(hu_dec_parse("12abc", &d));
    assert_false(hu_dec_parse("", &d));
    assert_false(hu_dec_parse("1e", &d));
    hu_arena_free(&a);
    assert_int_equal(failures, 0);
}

static void test_schedule(void **state) {
    (void)state;
    /* N/12 to one decimal, format.md §4.5 */
    static const int64_t want[13] = {0, 83, 167, 250, 333, 417, 500, 583, 667, 750, 833, 917, 1000};
    for (int m = 1; m <= 12; m++)
        assert_int_equal(hu_analyze_schedule_tenths(m), want[m]);
}

/* ------------------------------------------------------------------ whole indicators */

static hu_indicator ind(const char *name, const char *unit, const char *value,
                        const char *last_year, const char *last_month, const char *target) {
    hu_indicator i;
    memset(&i, 0, sizeof i);
    i.name = name;
    i.unit = unit;
    i.value = N(value);
    i.last_year = N(last_year);
    i.last_month = N(last_month);
    i.target = N(target);
    i.kind = HU_IND_AMOUNT;
    i.decimals = -1;
    return i;
}

static void test_indicator_full(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    failures = 0;
    hu_indicator i = ind("技工贸总收入", "亿元", "125.60", "111.85", "111.62", "150");
    i.approx = true;
    hu_ind_result r;
    hu_analyze_indicator(&a, &i, 10, NULL, true, &r);
    EXPECT_STR(1, "value_text", r.value_text, "125.60");
    EXPECT_STR(2, "phrase", r.value_phrase, "约125.60亿元");
    /* 13.75 / 111.85 = 12.293% */
    EXPECT_STR(3, "yoy", r.yoy.text, "同比增长12.3%");
    EXPECT_STR(4, "diff", r.diff_text, "13.75");
    /* 125.60 - 111.62 */
    EXPECT_STR(5, "month", r.month_value_text, "13.98");
    /* 125.6/150 = 83.733% -> 83.7; 83.7 - 83.3 = 0.4 */
    EXPECT_STR(6, "completion", r.completion_text, "完成年度目标的83.7%");
    EXPECT_STR(7, "schedule", r.schedule_text, "超序时进度0.4个百分点");
    EXPECT_STR(8, "sentence", r.sentence,
               "完成技工贸总收入约125.60亿元，同比增长12.3%，完成年度目标的83.7%，"
               "超序时进度0.4个百分点");
    assert_false(r.mom.has); /* no month 8 known */
    EXPECT_STR(9, "month sentence", r.month_sentence, "10月份完成约13.98亿元");
    hu_arena_free(&a);
    assert_int_equal(failures, 0);
}

static void test_targets(void **state) {
    (void)state;
    static const struct {
        const char *value, *target;
        int month;
        const char *completion, *schedule;
        hu_dir dir;
    } rows[] = {
        {"87.3", "100", 10, "完成年度目标的87.3%", "超序时进度4.0个百分点", HU_DIR_UP},
        {"60", "100", 10, "完成年度目标的60.0%", "低于序时进度23.3个百分点", HU_DIR_DOWN},
        {"50", "100", 6, "完成年度目标的50.0%", "与序时进度持平", HU_DIR_FLAT},
        /* 2/3 = 66.67% -> 66.7 = 序时进度 for August */
        {"2", "3", 8, "完成年度目标的66.7%", "与序时进度持平", HU_DIR_FLAT},
        /* 74/100 in August: 74.0 - 66.7 = 7.3 */
        {"74", "100", 8, "完成年度目标的74.0%", "超序时进度7.3个百分点", HU_DIR_UP},
        /* over the year's target in December */
        {"120", "100", 12, "完成年度目标的120.0%", "超序时进度20.0个百分点", HU_DIR_UP},
        /* January: 8.3% */
        {"5", "100", 1, "完成年度目标的5.0%", "低于序时进度3.3个百分点", HU_DIR_DOWN},
    };
    hu_arena a;
    hu_arena_init(&a);
    failures = 0;
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        hu_indicator i = ind("x", "万元", rows[k].value, NULL, NULL, rows[k].target);
        hu_ind_result r;
        hu_analyze_indicator(&a, &i, rows[k].month, NULL, true, &r);
        EXPECT_STR(k, "completion", r.completion_text, rows[k].completion);
        EXPECT_STR(k, "schedule", r.schedule_text, rows[k].schedule);
        if (r.schedule_dir != rows[k].dir) failures++;
    }
    /* a zero or missing target: no completion */
    hu_indicator z = ind("x", "万元", "5", NULL, NULL, "0");
    hu_ind_result r;
    hu_analyze_indicator(&a, &z, 3, NULL, true, &r);
    assert_false(r.completion_has);
    assert_false(r.schedule_has);
    hu_arena_free(&a);
    assert_int_equal(failures, 0);
}

static void test_month_values(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    failures = 0;
    hu_ind_result r;
    /* January: 当月值 is the value itself, no last_month needed, no 环比 */
    hu_indicator jan = ind("税收", "万元", "1520", "1400", NULL, NULL);
    hu_analyze_indicator(&a, &jan, 1, NULL, true, &r);
    EXPECT_STR(1, "jan month", r.month_value_text, "1520");
    assert_false(r.mom.has);
    assert_null(r.month_sentence);

    /* October from history: own10 = 30 - 27 = 3, own9 = 27 - 24.5 = 2.5 -> +20.0% */
    hu_months m;
    memset(&m, 0, sizeof m);
    m.cum[8] = N("24.5");
    m.cum[9] = N("27");
    hu_indicator oct = ind("税收", "万元", "30", NULL, NULL, NULL);
    oct.decimals = 1;
    hu_analyze_indicator(&a, &oct, 10, &m, true, &r);
    EXPECT_STR(2, "oct month", r.month_value_text, "3.0");
    EXPECT_STR(3, "oct mom", r.mom.text, "环比增长20.0%");
    EXPECT_STR(4, "last_month from history", r.last_month_text, "27.0");

    /* the file's explicit last_month wins: own10 = 30 - 26 = 4, own9 = 26 - 24.5 = 1.5 */
    oct.last_month = N("26");
    hu_analyze_indicator(&a, &oct, 10, &m, true, &r);
    EXPECT_STR(5, "explicit month", r.month_value_text, "4.0");
    /* 4/1.5 = 2.667 -> +166.7% -> 倍: 1.7倍 */
    EXPECT_STR(6, "explicit mom", r.mom.text, "环比增长1.7倍");

    /* February: own1 is January's cumulative value */
    hu_indicator feb = ind("税收", "万元", "5", NULL, "2", NULL);
    hu_analyze_indicator(&a, &feb, 2, NULL, true, &r);
    EXPECT_STR(7, "feb mom", r.mom.text, "环比增长50.0%");
    EXPECT_STR(8, "feb sentence", r.month_sentence, "2月份完成3万元，环比增长50.0%");

    /* a month without last_month and without history: no 当月值 */
    hu_indicator lone = ind("税收", "万元", "5", NULL, NULL, NULL);
    hu_analyze_indicator(&a, &lone, 5, NULL, true, &r);
    assert_false(r.month_set);
    assert_null(r.month_value_text);

    /* rates: no 当月值, compared with 1—(N-1)月 in 百分点 */
    hu_indicator rate = ind("产品销售率", "%", "96.6", "97.3", "96.3", NULL);
    rate.kind = HU_IND_RATE;
    hu_analyze_indicator(&a, &rate, 10, NULL, true, &r);
    assert_false(r.month_set);
    EXPECT_STR(9, "rate mom", r.mom.text, "比1—9月提高0.3个百分点");
    EXPECT_STR(10, "rate sentence", r.sentence, "产品销售率为96.6%，同比下降0.7个百分点");
    hu_analyze_indicator(&a, &rate, 2, NULL, true, &r);
    EXPECT_STR(11, "rate mom feb", r.mom.text, "比1月提高0.3个百分点");

    /* a monthly loss makes 环比 use the loss wording: own10 = -1, own9 = 2 */
    hu_indicator loss = ind("利润", "万元", "10", NULL, "11", NULL);
    m.cum[8] = N("9");
    hu_analyze_indicator(&a, &loss, 10, &m, true, &r);
    EXPECT_STR(12, "loss mom", r.mom.text, "环比由盈转亏，减少3万元");
    hu_arena_free(&a);
    assert_int_equal(failures, 0);
}

/* Wording a secretary corrects (issue 17): a "其中：" row reads as the part it is, a loss as a
 * loss, and a loss completes no share of its target. */
static void test_sentence_wording(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    failures = 0;
    hu_ind_result r;
    hu_indicator part = ind("其中：工业投资", "亿元", "36.90", "30.00", NULL, "50");
    hu_analyze_indicator(&a, &part, 10, NULL, true, &r);
    /* 36.90/30 = +23.0%; 36.90/50 = 73.8%; schedule 83.3 -> -9.5 */
    EXPECT_STR(1, "part", r.sentence,
               "其中，完成工业投资36.90亿元，同比增长23.0%，完成年度目标的73.8%，"
               "低于序时进度9.5个百分点");
    hu_indicator loss = ind("利润总额", "亿元", "-1.50", "2.00", NULL, "150");
    hu_analyze_indicator(&a, &loss, 10, NULL, true, &r);
    EXPECT_STR(2, "loss", r.sentence, "利润总额亏损1.50亿元，同比由盈转亏，减少3.50亿元");
    assert_false(r.completion_has);
    assert_false(r.schedule_has);
    hu_indicator rate = ind("其中，出口占比", "%", "12.5", NULL, NULL, NULL);
    rate.kind = HU_IND_RATE;
    hu_analyze_indicator(&a, &rate, 10, NULL, true, &r);
    EXPECT_STR(3, "part rate", r.sentence, "其中，出口占比为12.5%");
    /* "其中：" alone is a name, not a part */
    hu_indicator odd = ind("其中：", "个", "3", NULL, NULL, NULL);
    hu_analyze_indicator(&a, &odd, 10, NULL, true, &r);
    EXPECT_STR(4, "odd", r.sentence, "其中：3个");
    hu_arena_free(&a);
    assert_int_equal(failures, 0);
}

static void test_highlights(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_indicator inds[4] = {
        ind("技工贸总收入", "亿元", "112.25", "100", NULL, "120"), /* +12.3%, 93.5% ahead */
        ind("规模工业增加值", "亿元", "95.9", "100", NULL, NULL),  /* -4.1% */
        ind("税收", "万元", "130", "100", NULL, "200"),            /* +30.0%, 65.0% behind */
        ind("固定资产投资", "亿元", "50", "0", NULL, NULL),        /* no base */
    };
    hu_ind_result res[4];
    for (int i = 0; i < 4; i++)
        hu_analyze_indicator(&a, &inds[i], 10, NULL, true, &res[i]);
    hu_auto_highlight *h;
    size_t n = hu_analyze_highlights(&a, inds, res, 4, 3, &h);
    assert_int_equal(n, 4);
    assert_string_equal(h[0].text, "税收增速最快，同比增长30.0%");
    assert_false(h[0].concern);
    assert_string_equal(h[1].text, "技工贸总收入完成年度目标的93.5%，超序时进度10.2个百分点");
    assert_string_equal(h[2].text, "规模工业增加值同比下降4.1%");
    assert_true(h[2].concern);
    assert_string_equal(h[3].text, "税收完成年度目标的65.0%，低于序时进度18.3个百分点");
    assert_true(h[3].concern);
    /* the limit cuts positive ones only */
    n = hu_analyze_highlights(&a, inds, res, 4, 0, &h);
    assert_int_equal(n, 2);
    assert_true(h[0].concern && h[1].concern);
    hu_arena_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yoy_table),     cmocka_unit_test(test_mom_words),
        cmocka_unit_test(test_decimals_rule), cmocka_unit_test(test_format),
        cmocka_unit_test(test_schedule),      cmocka_unit_test(test_indicator_full),
        cmocka_unit_test(test_targets),       cmocka_unit_test(test_month_values),
        cmocka_unit_test(test_highlights),    cmocka_unit_test(test_sentence_wording),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
