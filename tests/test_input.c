/* Unit tests of the YAML/JSON loader and the report model validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "input.h"
#include "value.h"

static char *sample(const char *name) {
    static char p[4096];
    snprintf(p, sizeof p, "%s/samples/%s", getenv("HU_SOURCE_DIR"), name);
    return p;
}

static void test_sample_loads(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_report *r = hu_input_load(&a, sample("2026-10.yaml"), &d);
    hu_diags_print(stderr, &d);
    assert_non_null(r);
    assert_int_equal(d.errors, 0);
    assert_string_equal(r->org, "某某区产业开发区管理委员会");
    assert_int_equal(r->year, 2026);
    assert_int_equal(r->month, 10);
    assert_true(r->has_date);
    assert_int_equal(r->date_d, 5);
    assert_int_equal(r->nindicators, 11);
    assert_string_equal(r->indicators[0].name, "技工贸总收入");
    assert_string_equal(r->indicators[0].value.text, "125.60"); /* text kept as written */
    assert_true(r->indicators[0].approx);
    assert_int_equal(r->indicators[10].kind, HU_IND_RATE);
    assert_false(r->indicators[0].last_month.set);
    assert_int_equal(r->nsections, 3);
    assert_int_equal(r->sections[0].nsections, 6);
    assert_int_equal(r->sections[0].sections[1].npoints, 3);
    assert_int_equal(r->sections[0].sections[1].level, 2);
    assert_int_equal(r->nattachments, 1);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static hu_report *load_str(hu_arena *a, hu_diags *d, const char *yaml) {
    hu_value *v = hu_value_load_string(a, yaml, strlen(yaml), "t.yaml", false, d);
    return v ? hu_input_from_value(a, v, "t.yaml", d) : NULL;
}

static void test_all_errors_reported(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_report *r = load_str(&a, &d,
                            "title: x\n"
                            "period: 2026-13\n"
                            "indicators:\n"
                            "  - name: a\n"
                            "    value: abc\n"
                            "  - name: b\n"
                            "    value: 1\n"
                            "    kind: other\n");
    assert_null(r);
    /* org missing, period bad, value not a number, kind bad: all four in one run */
    assert_int_equal(d.errors, 4);
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].path && !strcmp(d.v[i].path, "indicators[0].value")) {
            assert_int_equal(d.v[i].line, 5);
            assert_int_equal(d.v[i].col, 12);
            found = 1;
        }
    assert_true(found);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static void test_number_text_normalised(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_report *r = load_str(&a, &d,
                            "title: x\norg: y\nperiod: 2026-03\n"
                            "indicators:\n"
                            "  - {name: a, value: 1.5e3, last_year: -0.0, target: +12}\n");
    assert_non_null(r);
    assert_string_equal(r->indicators[0].value.text, "1500");
    assert_string_equal(r->indicators[0].last_year.text, "0");
    assert_false(r->indicators[0].last_year.v < 0 || 1 / r->indicators[0].last_year.v < 0);
    assert_string_equal(r->indicators[0].target.text, "12");
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* A title that starts with its own "一、" loses it, with a warning at the title: the template
 * numbers the sections, so the report would read "一、一、". Plain-text sections keep it. */
static void test_title_ordinal_stripped(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_report *r = load_str(&a, &d,
                            "title: x\norg: y\nperiod: 2026-03\n"
                            "sections:\n"
                            "  - title: 一、主要工作情况\n"
                            "    sections:\n"
                            "      - title: （一） 坚持定力\n"
                            "      - 1.5亿元项目落地\n"
                            "  - title: 1.5亿元项目\n");
    assert_non_null(r);
    assert_string_equal(r->sections[0].title, "主要工作情况");
    assert_string_equal(r->sections[0].sections[0].title, "坚持定力");
    assert_string_equal(r->sections[0].sections[1].text, "1.5亿元项目落地");
    assert_string_equal(r->sections[1].title, "1.5亿元项目");
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 2);
    assert_string_equal(d.v[0].path, "sections[0].title");
    assert_int_equal(d.v[0].line, 5);
    assert_non_null(strstr(d.v[0].msg, "“一、”"));
    assert_string_equal(d.v[1].path, "sections[0].sections[0].title");
    assert_non_null(strstr(d.v[1].msg, "“（一）”"));
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static void test_json_same_model(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    const char *js = "{\"title\":\"x\",\"org\":\"y\",\"period\":\"2026-10\","
                     "\"indicators\":[{\"name\":\"a\",\"unit\":\"亿元\",\"value\":112.25,"
                     "\"last_year\":100}],\"sections\":[{\"title\":\"主要工作情况\","
                     "\"sections\":[\"一段文字\"]}]}";
    hu_value *v = hu_value_load_string(&a, js, strlen(js), "t.json", true, &d);
    assert_non_null(v);
    hu_report *r = hu_input_from_value(&a, v, "t.json", &d);
    assert_non_null(r);
    assert_string_equal(r->indicators[0].value.text, "112.25");
    assert_true(r->sections[0].sections[0].plain);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static bool has_msg(const hu_diags *d, const char *needle, int line) {
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->v[i].msg, needle) && (!line || d->v[i].line == line)) return true;
    return false;
}

static void test_alias_shared_not_copied(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    /* ordinary use: a value written once and referenced, shared rather than copied */
    const char *ok = "u: &u 亿元\nn: &n [说明一, 说明二]\nx: [*u, *u, *n, *n]\n";
    hu_value *v = hu_value_load_string(&a, ok, strlen(ok), "t.yaml", false, &d);
    assert_non_null(v);
    hu_value *x = hu_v_get(v, "x");
    assert_ptr_equal(x->items[0], hu_v_get(v, "u"));
    assert_ptr_equal(x->items[2], x->items[3]);
    assert_int_equal(d.errors, 0);

    /* a billion-laughs shape: refused where the expansion passes the cap, with little memory */
    const char *y = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                    "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n";
    assert_null(hu_value_load_string(&a, y, strlen(y), "t.yaml", false, &d));
    assert_true(has_msg(&d, "展开后的内容超过", 5));
    assert_true(a.total < 1024 * 1024);
    hu_diags_free(&d);

    /* an alias inside the node it names: a cycle, refused at the alias */
    const char *cyc = "title: x\npreamble: &a [x, *a]\n";
    assert_null(hu_value_load_string(&a, cyc, strlen(cyc), "t.yaml", false, &d));
    assert_true(has_msg(&d, "循环引用", 2));
    hu_diags_free(&d);

    /* too many aliases */
    hu_buf b = HU_BUF_INIT;
    hu_buf_puts(&b, "a: &a x\nl:\n");
    for (int i = 0; i < 1001; i++)
        hu_buf_puts(&b, "  - *a\n");
    assert_null(hu_value_load_string(&a, b.data, b.len, "t.yaml", false, &d));
    assert_true(has_msg(&d, "别名", 1003));
    hu_buf_free(&b);
    hu_diags_free(&d);

    /* deep flow nesting is refused before libfyaml reads it (it would take gigabytes) */
    hu_buf_puts(&b, "x: ");
    for (int i = 0; i < 100000; i++)
        hu_buf_putc(&b, '[');
    assert_null(hu_value_load_string(&a, b.data, b.len, "t.yaml", false, &d));
    assert_true(has_msg(&d, "嵌套层次", 1));
    hu_buf_free(&b);
    hu_diags_free(&d);
    /* brackets in plain text are not nesting */
    hu_buf_puts(&b, "x: 见");
    for (int i = 0; i < 100; i++)
        hu_buf_puts(&b, "[注");
    hu_buf_putc(&b, '\n');
    assert_non_null(hu_value_load_string(&a, b.data, b.len, "t.yaml", false, &d));
    assert_int_equal(d.errors, 0);
    hu_buf_free(&b);

    /* duplicate keys in a large map are found (sorted once, not scanned per key) */
    hu_buf_puts(&b, "m:\n");
    for (int i = 0; i < 5000; i++)
        hu_buf_printf(&b, "  k%d: v\n", i);
    hu_buf_puts(&b, "  k17: again\n");
    assert_null(hu_value_load_string(&a, b.data, b.len, "t.yaml", false, &d));
    assert_true(has_msg(&d, "键重复：第 19 行", 5002));
    hu_buf_free(&b);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* Figures and periods typed as people type them: one-reading forms become the model's exact
 * decimal text with a warning at the value; the others are errors with the form to write. */
static void test_typed_numbers_and_period(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_report *r = load_str(&a, &d,
                            "title: x\norg: y\nperiod: 2026年9月\ndate: 2026.10.8\n"
                            "indicators:\n"
                            "  - {name: a, unit: 亿元, value: 125.60亿, last_year: \"111.85\"}\n"
                            "  - {name: b, unit: 万元, value: \"23,420.5\", target: ３００００}\n"
                            "  - {name: c, unit: \"%\", kind: rate, value: 12.5%}\n");
    hu_diags_print(stderr, &d);
    assert_non_null(r);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 7);
    assert_string_equal(r->period, "2026-09");
    assert_int_equal(r->month, 9);
    assert_int_equal(r->date_m, 10);
    assert_int_equal(r->date_d, 8);
    assert_string_equal(r->indicators[0].value.text, "125.60");
    assert_string_equal(r->indicators[0].last_year.text, "111.85");
    assert_string_equal(r->indicators[1].value.text, "23420.5");
    assert_true(r->indicators[1].target.v == 30000);
    assert_string_equal(r->indicators[2].value.text, "12.5");
    assert_string_equal(d.v[2].path, "indicators[0].value");
    assert_non_null(strstr(d.v[2].msg, "“125.60亿”已按 125.60 读取"));
    hu_diags_free(&d);
    r = load_str(&a, &d,
                 "title: x\norg: y\nperiod: 2026-10\n"
                 "indicators:\n"
                 "  - {name: a, unit: 万元, value: 125.6亿}\n"
                 "  - {name: b, unit: 亿元, value: 约12亿}\n");
    assert_null(r);
    assert_int_equal(d.errors, 2);
    assert_non_null(strstr(d.v[0].msg, "125.6亿 = 1256000万元，请写 1256000"));
    assert_non_null(strstr(d.v[1].msg, "approx: true"));
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* A section may be a plain paragraph at every level, the top one included. */
static void test_plain_top_level_sections(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_report *r = load_str(&a, &d,
                            "title: x\norg: y\nperiod: 2026-01\n"
                            "sections:\n"
                            "  - 元旦、春节期间，全区安全生产形势总体平稳。\n"
                            "  - title: 主要工作情况\n"
                            "    text: 正文\n");
    assert_non_null(r);
    assert_int_equal(d.errors, 0);
    assert_int_equal(r->nsections, 2);
    assert_true(r->sections[0].plain);
    assert_int_equal(r->sections[0].level, 1);
    assert_string_equal(r->sections[0].text, "元旦、春节期间，全区安全生产形势总体平稳。");
    assert_int_equal(r->sections[0].text_loc.line, 5);
    assert_false(r->sections[1].plain);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* What a full-width colon or ": " in a sentence turns into, said as such. */
static void test_colon_mistakes_in_the_model(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_report *r = load_str(&a, &d,
                            "title: x\norg: y\nperiod: 2026-01\n"
                            "sections:\n"
                            "  - title：　主要工作情况\n"
                            "  - title: 存在问题\n"
                            "    points:\n"
                            "      - 主要做法: 按照要求推进\n"
                            "  - 主要做法: 按照要求推进\n"
                            "indicators:\n"
                            "  - name：收入\n");
    assert_null(r);
    assert_int_equal(d.errors, 4);
    assert_string_equal(d.v[0].path, "indicators[0]");
    assert_non_null(strstr(d.v[0].msg, "“name”后面是全角冒号“：”"));
    assert_string_equal(d.v[1].path, "sections[0]");
    assert_non_null(strstr(d.v[1].msg, "请改为“title: 主要工作情况”"));
    assert_string_equal(d.v[2].path, "sections[1].points[0]");
    assert_non_null(strstr(d.v[2].msg, "使 YAML 把这段文字读成了“字段: 值”"));
    assert_string_equal(d.v[3].path, "sections[2]");
    assert_non_null(strstr(d.v[3].msg, "“主要做法: 按照要求推进”中的“: ”"));
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static void test_nonfinite_has_path(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    const char *y =
        "title: x\nindicators:\n  - {name: a, value: 1e999}\n  - name: b\n    value: .nan\n";
    assert_null(hu_value_load_string(&a, y, strlen(y), "t.yaml", false, &d));
    assert_int_equal(d.errors, 2);
    assert_string_equal(d.v[0].path, "indicators[0].value");
    assert_int_equal(d.v[0].line, 3);
    assert_string_equal(d.v[1].path, "indicators[1].value");
    assert_int_equal(d.v[1].line, 5);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_loads),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_number_text_normalised),
        cmocka_unit_test(test_title_ordinal_stripped),
        cmocka_unit_test(test_json_same_model),
        cmocka_unit_test(test_alias_shared_not_copied),
        cmocka_unit_test(test_nonfinite_has_path),
        cmocka_unit_test(test_typed_numbers_and_period),
        cmocka_unit_test(test_plain_top_level_sections),
        cmocka_unit_test(test_colon_mistakes_in_the_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
