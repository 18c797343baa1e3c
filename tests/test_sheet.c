/* test_sheet.c - indicators read from workbooks libxlsxwriter writes (constant_memory mode, so
 * every string is an inline string, not a shared one) and from CSV files: header names found
 * in any order below a merged title, a header spanning two rows, formulas with cached results
 * rounded to 15 digits, text numbers, empty rows, a second sheet; and the located errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>
#include <xlsxwriter/xmlwriter.h>

#include "arena.h"
#include "error.h"
#include "figures.h"
#include "sheet.h"

static char dir[256];

static const char *path(const char *name) {
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/hu_sheet_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Every message of d, one a line. */
static char *all_messages(const hu_diags *d) {
    size_t cap = 1;
    for (size_t i = 0; i < d->n; i++)
        cap += strlen(d->v[i].file ? d->v[i].file : "") + strlen(d->v[i].msg) + 4;
    char *s = calloc(1, cap);
    for (size_t i = 0; i < d->n; i++) {
        strcat(s, d->v[i].file ? d->v[i].file : "");
        strcat(s, ": ");
        strcat(s, d->v[i].msg);
        strcat(s, "\n");
    }
    return s;
}

static void expect_message(const hu_diags *d, const char *want) {
    char *all = all_messages(d);
    if (!strstr(all, want)) fprintf(stderr, "messages:\n%swanted: %s\n", all, want);
    assert_non_null(strstr(all, want));
    free(all);
}

static const hu_indicator *find(const hu_indicator *v, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].name, name)) return &v[i];
    fail_msg("no indicator %s", name);
    return NULL;
}

/* A fill-in sheet as an office makes it: a help sheet first, then 主要指标 with a merged
 * title row, a two-row header (单位 merged down, 本期 over 数值), columns in its own order, an
 * extra column, a formula, a text number, an empty row and a date. */
static void write_office_book(const char *file) {
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = dir};
    lxw_workbook *wb = workbook_new_opt(file, &opt);
    assert_non_null(wb);
    lxw_worksheet *help = workbook_add_worksheet(wb, "填写说明");
    worksheet_write_string(help, 0, 0, "本期列填 1—10 月累计数", NULL);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "主要指标");
    lxw_format *two = workbook_add_format(wb);
    format_set_num_format(two, "0.00");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    /* row 0: the title over all columns; rows 1-2: the header */
    worksheet_merge_range(ws, 0, 0, 0, 6, "2026年1—10月主要经济指标", NULL);
    worksheet_write_string(ws, 1, 0, "序号", NULL);
    worksheet_write_string(ws, 1, 1, "指标名称", NULL);
    worksheet_write_string(ws, 1, 2, "本期(1—10月)", NULL);
    worksheet_write_string(ws, 1, 3, "上年同期", NULL);
    worksheet_merge_range(ws, 1, 4, 2, 4, "计量单位", NULL);
    worksheet_write_string(ws, 1, 5, "责任科室", NULL);
    worksheet_write_string(ws, 1, 6, "填报日期", NULL);
    worksheet_write_string(ws, 2, 2, "", NULL);
    /* the figures */
    worksheet_write_number(ws, 3, 0, 1, NULL);
    worksheet_write_string(ws, 3, 1, "技工贸总收入", NULL);
    worksheet_write_number(ws, 3, 2, 125.6, two); /* shown as 125.60 */
    worksheet_write_number(ws, 3, 3, 111.85, NULL);
    worksheet_write_string(ws, 3, 4, "亿元", NULL);
    worksheet_write_string(ws, 3, 5, "经发科", NULL);
    worksheet_write_number(ws, 3, 6, 46330, date); /* 2026-11-04 */
    worksheet_write_number(ws, 4, 0, 2, NULL);
    worksheet_write_string(ws, 4, 1, "规模以上工业增加值", NULL);
    /* what 12.3 + 24.6 leaves in a double, saved as the formula's result */
    worksheet_write_formula_num(ws, 4, 2, "=12.3+24.6", NULL, 12.3 + 24.6);
    worksheet_write_string(ws, 4, 3, "28.30", NULL);
    worksheet_write_string(ws, 4, 4, "亿元", NULL);
    /* row 5 left empty */
    worksheet_write_number(ws, 6, 0, 3, NULL);
    worksheet_write_string(ws, 6, 1, "税收收入", NULL);
    worksheet_write_string(ws, 6, 2, "23,420", NULL); /* a number typed as text */
    worksheet_write_number(ws, 6, 3, 21780, NULL);
    worksheet_write_string(ws, 6, 4, "万元", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void test_office_book(void **state) {
    (void)state;
    const char *file = path("2026-10-指标.xlsx");
    write_office_book(file);
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_indicator *v = NULL;
    size_t n = 0;
    bool ok = hu_figures_load(&a, file, 10, &v, &n, &d);
    if (!ok) hu_diags_print(stderr, &d);
    assert_true(ok);
    assert_int_equal(d.errors, 0);
    assert_int_equal(n, 3);
    const hu_indicator *x = find(v, n, "技工贸总收入");
    assert_string_equal(x->unit, "亿元");
    assert_string_equal(x->value.text, "125.60"); /* the places its format shows */
    assert_string_equal(x->last_year.text, "111.85");
    assert_false(x->last_month.set);
    x = find(v, n, "规模以上工业增加值");
    assert_string_equal(x->value.text, "36.9"); /* 36.899999999999999 stored */
    assert_string_equal(x->last_year.text, "28.30");
    assert_string_equal(x->unit, "亿元");
    x = find(v, n, "税收收入");
    assert_true(x->value.set);
    assert_true(x->value.v == 23420);
    /* the column huibao does not know is named, the ones it passes over are not */
    expect_message(&d, "责任科室");
    char *all = all_messages(&d);
    assert_null(strstr(all, "序号"));
    free(all);
    /* messages name the sheet and the cell */
    const hu_sheet *s = hu_sheet_load(&a, file, HU_FIGURES_SHEET, NULL, &d);
    assert_non_null(s);
    const char *w = hu_sheet_where(&a, s, 6, 2), *tail = "/2026-10-指标.xlsx 工作表“主要指标” C7";
    assert_true(strlen(w) > strlen(tail));
    assert_string_equal(w + strlen(w) - strlen(tail), tail); /* the path as opened */
    const hu_cell *c = hu_sheet_cell(s, 3, 6);
    assert_non_null(c);
    assert_true(c->date);
    assert_string_equal(c->text, "2026-11-04");
    c = hu_sheet_cell(s, 4, 2);
    assert_non_null(c->formula);
    assert_int_equal(c->kind, HU_CELL_NUMBER);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* A figure written as text the number reader refuses is an error at its cell, quoted. */
static void test_text_in_value(void **state) {
    (void)state;
    const char *file = path("2026-10-指标.xlsx");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = dir};
    lxw_workbook *wb = workbook_new_opt(file, &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "主要指标");
    worksheet_write_string(ws, 0, 0, "指标", NULL);
    worksheet_write_string(ws, 0, 1, "单位", NULL);
    worksheet_write_string(ws, 0, 2, "本期", NULL);
    for (int r = 1; r <= 6; r++) {
        char name[32];
        snprintf(name, sizeof name, "指标%d", r);
        worksheet_write_string(ws, r, 0, name, NULL);
        worksheet_write_string(ws, r, 1, "亿元", NULL);
        if (r == 6)
            worksheet_write_string(ws, r, 2, "约12亿", NULL);
        else
            worksheet_write_number(ws, r, 2, r, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_indicator *v = NULL;
    size_t n = 0;
    assert_false(hu_figures_load(&a, file, 10, &v, &n, &d));
    expect_message(&d, "2026-10-指标.xlsx 工作表“主要指标” C7: 应为数字，实际为文本“约12亿”");
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* No 本期 column, no sheet of that name among several: errors saying what is there. */
static void test_missing_column_and_sheet(void **state) {
    (void)state;
    const char *file = path("缺列.xlsx");
    lxw_workbook *wb = workbook_new(file);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "主要指标");
    worksheet_write_string(ws, 0, 0, "指标", NULL);
    worksheet_write_string(ws, 0, 1, "单位", NULL);
    worksheet_write_string(ws, 0, 2, "完成数", NULL);
    worksheet_write_string(ws, 1, 0, "税收收入", NULL);
    worksheet_write_number(ws, 1, 2, 1, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_indicator *v = NULL;
    size_t n = 0;
    assert_false(hu_figures_load(&a, file, 10, &v, &n, &d));
    expect_message(&d, "本期");
    expect_message(&d, "缺列.xlsx 工作表“主要指标”");
    hu_diags_free(&d);

    file = path("缺表.xlsx");
    wb = workbook_new(file);
    workbook_add_worksheet(wb, "Sheet1");
    workbook_add_worksheet(wb, "汇总");
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    d = (hu_diags)HU_DIAGS_INIT;
    assert_false(hu_figures_load(&a, file, 10, &v, &n, &d));
    expect_message(&d, "主要指标");
    expect_message(&d, "汇总"); /* the sheets there are */
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static void put_bytes(const char *file, const char *bytes, size_t n) {
    FILE *f = fopen(file, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

/* A CSV as Excel on Chinese Windows saves it: GBK, CRLF, quoted fields with commas. */
static void test_csv_gbk(void **state) {
    (void)state;
    /* "指标,单位,本期,上年同期\r\n税收收入,万元,\"23,420\",21780\r\n" in GBK */
    static const char gbk[] = "\xd6\xb8\xb1\xea,\xb5\xa5\xce\xbb,\xb1\xbe\xc6\xda,"
                              "\xc9\xcf\xc4\xea\xcd\xac\xc6\xda\r\n"
                              "\xcb\xb0\xca\xd5\xca\xd5\xc8\xeb,\xcd\xf2\xd4\xaa,\"23,420\","
                              "21780\r\n";
    const char *file = path("指标.csv");
    put_bytes(file, gbk, sizeof gbk - 1);
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_indicator *v = NULL;
    size_t n = 0;
    bool ok = hu_figures_load(&a, file, 10, &v, &n, &d);
    if (!ok) hu_diags_print(stderr, &d);
    assert_true(ok);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "税收收入");
    assert_string_equal(v[0].unit, "万元");
    assert_true(v[0].value.v == 23420);
    assert_true(v[0].last_year.v == 21780);
    hu_diags_free(&d);
    /* bytes that are neither UTF-8 nor GBK: refused, saying how to save it */
    static const char bad[] = "\xd6\xb8\xb1\xea,\xff\xfe\xff\r\n";
    put_bytes(file, bad, sizeof bad - 1);
    d = (hu_diags)HU_DIAGS_INIT;
    assert_false(hu_figures_load(&a, file, 10, &v, &n, &d));
    expect_message(&d, "UTF-8");
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* Not a workbook: a text file and an old .xls under the .xlsx name. */
static void test_not_a_workbook(void **state) {
    (void)state;
    const char *file = path("假.xlsx");
    put_bytes(file, "指标,本期\n", strlen("指标,本期\n"));
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    assert_null(hu_sheet_load(&a, file, HU_FIGURES_SHEET, NULL, &d));
    assert_true(d.errors > 0);
    expect_message(&d, "假.xlsx");
    hu_diags_free(&d);
    static const char ole[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 padding padding";
    put_bytes(file, ole, sizeof ole - 1);
    d = (hu_diags)HU_DIAGS_INIT;
    assert_null(hu_sheet_load(&a, file, HU_FIGURES_SHEET, NULL, &d));
    expect_message(&d, ".xls");
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* The 类型 column: 盈亏 and 数量 say what kind: profit and kind: amount say (the name's guess
 * overridden), 比率 a rate, empty the name's guess; anything else is a located error. */
static void test_kind_column(void **state) {
    (void)state;
    const char *file = path("类型.xlsx");
    lxw_workbook *wb = workbook_new(file);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "主要指标");
    const char *head[] = {"指标", "本期", "类型"};
    for (int c = 0; c < 3; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    const char *rows[][2] = {
        {"经营结余", "盈亏"}, {"利润总额", "数量"}, {"净利润", ""}, {"产销率", "比率"}};
    for (int r = 0; r < 4; r++) {
        worksheet_write_string(ws, (lxw_row_t)(r + 1), 0, rows[r][0], NULL);
        worksheet_write_number(ws, (lxw_row_t)(r + 1), 1, 1, NULL);
        if (*rows[r][1]) worksheet_write_string(ws, (lxw_row_t)(r + 1), 2, rows[r][1], NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_indicator *v = NULL;
    size_t n = 0;
    assert_true(hu_figures_load(&a, file, 10, &v, &n, &d));
    assert_int_equal(find(v, n, "经营结余")->profit, HU_PROFIT_YES);
    assert_int_equal(find(v, n, "利润总额")->profit, HU_PROFIT_NO);
    assert_int_equal(find(v, n, "净利润")->profit, HU_PROFIT_BY_NAME);
    assert_int_equal(find(v, n, "产销率")->kind, HU_IND_RATE);
    hu_diags_free(&d);

    file = path("类型错.xlsx");
    wb = workbook_new(file);
    ws = workbook_add_worksheet(wb, "主要指标");
    for (int c = 0; c < 3; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    worksheet_write_string(ws, 1, 0, "利润总额", NULL);
    worksheet_write_number(ws, 1, 1, 1, NULL);
    worksheet_write_string(ws, 1, 2, "利润", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    d = (hu_diags)HU_DIAGS_INIT;
    assert_false(hu_figures_load(&a, file, 10, &v, &n, &d));
    expect_message(&d, "类型错.xlsx 工作表“主要指标” C2");
    expect_message(&d, "类型应为“数量”“盈亏”");
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* xlsxlib.c's XML attributes, which the library binds to in place of its own: the strings its
 * own make (LXW_ATTRIBUTE_COPY's cut at 2,079 bytes, "%d" of a uint32_t, "%.16G" in 32 bytes) */
static void test_attributes(void **state) {
    (void)state;
    char longs[3000];
    memset(longs, 'x', sizeof longs - 1);
    longs[sizeof longs - 1] = '\0';
    struct xml_attribute *a = lxw_new_attribute_str("ref", longs);
    assert_string_equal(a->key, "ref");
    assert_int_equal(strlen(a->value), LXW_MAX_ATTRIBUTE_LENGTH - 1);
    free(a);
    a = lxw_new_attribute_str(longs, "");
    assert_int_equal(strlen(a->key), LXW_MAX_ATTRIBUTE_LENGTH - 1);
    assert_string_equal(a->value, "");
    free(a);
    const uint32_t ints[] = {0, 1, 9, 10, 42, 1048576, 2147483647u, 2147483648u, 4294967295u};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        char want[16];
        snprintf(want, sizeof want, "%d", (int)ints[i]);
        a = lxw_new_attribute_int("r", ints[i]);
        assert_string_equal(a->value, want);
        free(a);
    }
    const double dbls[] = {0, -0.5, 1.0 / 3, 1e300, 123456789.125};
    for (size_t i = 0; i < sizeof dbls / sizeof *dbls; i++) {
        char want[LXW_ATTR_32];
        snprintf(want, sizeof want, "%.16G", dbls[i]);
        a = lxw_new_attribute_dbl("v", dbls[i]);
        assert_string_equal(a->value, want);
        free(a);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attributes),
        cmocka_unit_test(test_office_book),
        cmocka_unit_test(test_kind_column),
        cmocka_unit_test(test_text_in_value),
        cmocka_unit_test(test_missing_column_and_sheet),
        cmocka_unit_test(test_csv_gbk),
        cmocka_unit_test(test_not_a_workbook),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
