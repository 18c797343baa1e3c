/* test_model.c - the typed report model: figures at rounding boundaries (exact decimals, half
 * away from zero), the decimals rule, the 1—N月 series, the generation time in Beijing time and
 * the context generated from the model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "input.h"
#include "model.h"
#include "view.h"

static hu_arena A;

static hu_model *build(const char *yaml) {
    hu_diags d = HU_DIAGS_INIT;
    hu_value *root = hu_value_load_string(&A, yaml, strlen(yaml), "t.yaml", false, &d);
    if (!root) hu_diags_print(stderr, &d);
    assert_non_null(root);
    hu_report *r = hu_input_from_value(&A, root, "dir/t.yaml", &d);
    if (!r) hu_diags_print(stderr, &d);
    assert_non_null(r);
    hu_model_settings s;
    hu_model_settings_default(&s);
    s.now = 1793809800; /* 2026-11-04T16:30:00Z = 2026-11-05 00:30 in Beijing */
    hu_model *m = hu_model_build(&A, r, NULL, &s, NULL, NULL);
    assert_non_null(m);
    hu_diags_free(&d);
    return m;
}

#define HEAD "title: 标题\norg: 某某园区管委会\nperiod: 2026-10\n"

static void test_boundaries(void **state) {
    (void)state;
    hu_model *m =
        build(HEAD "indicators:\n"
                   "  - {name: 甲, unit: 亿元, value: 100.35, last_year: 100}\n"
                   "  - {name: 乙, unit: 亿元, value: 100.05, last_year: 100}\n"
                   "  - {name: 丙, unit: 亿元, value: 41.925, last_year: 40}\n"
                   "  - {name: 丁, unit: 亿元, value: 83.35, last_year: 80, target: 100}\n"
                   "  - {name: 戊, unit: '%', kind: rate, value: 98.35, last_year: 98.3}\n"
                   "  - {name: 己利润, unit: 亿元, value: -0.275, last_year: -1.5}\n"
                   "  - {name: 庚, unit: 亿元, value: 5, last_year: 0}\n");
    assert_int_equal(m->nindicators, 7);
    const hu_model_indicator *x = m->indicators;
    /* 0.35 / 100 = 0.35% exactly: 0.4% (a double quotient says 0.3499…) */
    assert_int_equal(x[0].decimals, 2);
    assert_int_equal(x[0].yoy.tenths, 4);
    assert_string_equal(x[0].yoy.text, "同比增长0.4%");
    assert_int_equal(x[1].yoy.tenths, 1);
    /* 增减额 of 3-decimal inputs: exact */
    assert_int_equal(x[2].decimals, 3);
    assert_string_equal(x[2].diff.text, "1.925");
    assert_string_equal(x[2].last_year.text, "40.000");
    assert_string_equal(x[2].value.exact, "41.925");
    /* 完成率 83.35% -> 83.4%, 序时进度 83.3%: +0.1 */
    assert_int_equal(x[3].completion_tenths, 834);
    assert_int_equal(x[3].schedule_gap_tenths, 1);
    assert_string_equal(x[3].schedule_short, "+0.1");
    /* 百分点 of a rate: 0.05 -> 0.1 */
    assert_true(x[4].rate);
    assert_int_equal(x[4].yoy.tenths, 1);
    assert_string_equal(x[4].yoy.unit, "个百分点");
    /* negative base: loss wording, no percentage */
    assert_int_equal(x[5].yoy.form, HU_WORDING_LOSS);
    assert_false(x[5].yoy.has_pct);
    assert_string_equal(x[5].yoy.text, "同比减亏1.225亿元");
    /* zero base: nothing to compare */
    assert_false(x[6].yoy.has);
    assert_int_equal(x[6].yoy.form, HU_WORDING_NONE);
    /* the table reads the same strings */
    assert_string_equal(m->table.cells[0 * m->table.ncols + 2], "0.4%");
    assert_string_equal(m->table.cells[2 * m->table.ncols + 1], "41.925");
}

static void test_months_and_time(void **state) {
    (void)state;
    hu_model *m = build(HEAD "indicators:\n"
                             "  - {name: 收入, unit: 亿元, value: 30.5, last_month: 27.25}\n");
    const hu_model_indicator *x = &m->indicators[0];
    assert_int_equal(x->decimals, 2);
    assert_int_equal(x->nmonths, 10);
    assert_int_equal(x->known_months, 2);
    assert_true(x->months[8].cum.set);
    assert_string_equal(x->months[8].cum.text, "27.25");
    assert_false(x->months[8].own.set); /* 8月 unknown */
    assert_string_equal(x->months[9].own.text, "3.25");
    assert_string_equal(x->month_value.text, "3.25");
    assert_string_equal(x->last_month_source, "input");
    assert_string_equal(m->generated_at, "2026-11-04T16:30:00Z");
    assert_string_equal(m->generated_text, "2026年11月5日 00:30（北京时间）");
    assert_string_equal(m->date.text, "2026年11月5日");
    assert_true(m->date.is_default);
    /* the context spells the model */
    hu_value *v = hu_view_build(&A, m);
    const hu_value *ind = hu_v_get(v, "indicators")->items[0];
    assert_string_equal(hu_v_get(ind, "month_value_text")->str, "3.25");
    assert_string_equal(hu_v_get(ind, "value")->str, "30.5");
    assert_string_equal(hu_v_get(v, "generated_text")->str, "2026年11月5日 00:30（北京时间）");
}

/* One item is not an enumeration: no lone "一是" (issue 17); two are. */
static void test_single_point(void **state) {
    (void)state;
    hu_model *m = build(HEAD "sections:\n  - title: 甲\n    points: [电子包装园主体工程完工]\n"
                             "  - title: 乙\n    points: [第一项, 第二项]\n");
    assert_true(m->nsections >= 2);
    assert_string_equal(m->sections[0].points_text, "电子包装园主体工程完工。");
    assert_string_equal(m->sections[1].points_text, "一是第一项；二是第二项。");
}

/* 由盈转亏/扭亏/亏损 are said of profits only (hu_analyze_is_profit); a revenue or an investment
 * with a negative side changes by an amount. Table figures take the minus sign U+2212. */
static void test_profit_wording(void **state) {
    (void)state;
    hu_model *m = build(HEAD "indicators:\n"
                             "  - {name: 利润总额, unit: 亿元, value: -1.5, last_year: 2}\n"
                             "  - {name: 营业收入, unit: 亿元, value: -2, last_year: 1}\n"
                             "  - {name: 累计投资, unit: 亿元, value: 3, last_year: -1}\n"
                             "  - {name: 净利润, unit: 万元, value: 3, last_year: -1}\n");
    const hu_model_indicator *x = m->indicators;
    assert_string_equal(x[0].yoy.text, "同比由盈转亏，减少3.5亿元");
    assert_non_null(strstr(x[0].sentence, "利润总额亏损1.5亿元"));
    assert_string_equal(x[1].yoy.text, "同比减少3亿元");
    assert_non_null(strstr(x[1].sentence, "营业收入为-2亿元"));
    assert_null(strstr(x[1].sentence, "亏"));
    assert_string_equal(x[2].yoy.text, "同比增加4亿元");
    assert_null(strstr(x[2].sentence, "扭亏"));
    assert_string_equal(x[3].yoy.text, "同比扭亏为盈，增加4万元");
    /* table: value column and 同比 column */
    const hu_model_table *t = &m->table;
    assert_string_equal(t->cells[0 * t->ncols + 1], "\u22121.5");
    assert_string_equal(t->cells[1 * t->ncols + 1], "\u22122");
    assert_string_equal(t->cells[1 * t->ncols + 2], "减少3");
    assert_string_equal(t->cells[0 * t->ncols + 2], "由盈转亏");
}

/* kind: profit and kind: amount override the name's guess: a 经营结余 is a profit, a
 * 土地出让收益 is revenue (its name holds 收益), 利润总额 with kind: amount is a plain amount. */
static void test_profit_kind(void **state) {
    (void)state;
    hu_model *m =
        build(HEAD "indicators:\n"
                   "  - {name: 经营结余, unit: 亿元, value: -1.5, last_year: 2, kind: profit}\n"
                   "  - {name: 土地出让收益, unit: 亿元, value: -2, last_year: 1, kind: amount}\n"
                   "  - {name: 利润总额, unit: 亿元, value: -1, last_year: 1, kind: amount}\n"
                   "  - {name: 投资收益, unit: 亿元, value: -1, last_year: 1}\n");
    const hu_model_indicator *x = m->indicators;
    assert_string_equal(x[0].yoy.text, "同比由盈转亏，减少3.5亿元");
    assert_non_null(strstr(x[0].sentence, "经营结余亏损1.5亿元"));
    assert_string_equal(x[1].yoy.text, "同比减少3亿元");
    assert_null(strstr(x[1].sentence, "亏"));
    assert_string_equal(x[2].yoy.text, "同比减少2亿元");
    assert_null(strstr(x[2].sentence, "亏"));
    assert_string_equal(x[3].yoy.text, "同比由盈转亏，减少2亿元"); /* no kind: the name */
}

/* A report of a preamble only does not announce "……汇报如下：" and then close (issue 17). */
static void test_preamble_alone(void **state) {
    (void)state;
    hu_model *m = build(HEAD "preamble: 10月份，我单位推进各项工作，现将有关情况汇报如下：\n");
    assert_string_equal(m->preamble_text, "10月份，我单位推进各项工作。");
    m = build(HEAD "preamble: 本月无重大事项\n");
    assert_string_equal(m->preamble_text, "本月无重大事项。");
    m = build(HEAD);
    assert_null(m->preamble_text);
    /* with a body the preamble announces it */
    m = build(HEAD "preamble: 本月工作平稳\nsections: [正文]\n");
    assert_string_equal(m->preamble_text, "本月工作平稳，现将有关情况汇报如下：");
}

int main(void) {
    hu_arena_init(&A);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundaries),      cmocka_unit_test(test_single_point),
        cmocka_unit_test(test_months_and_time), cmocka_unit_test(test_profit_wording),
        cmocka_unit_test(test_profit_kind),     cmocka_unit_test(test_preamble_alone),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    hu_arena_free(&A);
    return rc;
}
