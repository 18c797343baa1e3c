/* test_view.c - the view model: dates, periods, ordinals to 二十一, points, punctuation
 * clean-up, first/last flags, preamble and closing, highlights. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"
#include "doc.h"
#include "markdown.h"
#include "mustache.h"
#include "textclean.h"
#include "view.h"

static hu_arena A;

static hu_value *build(const char *yaml, const hu_model_settings *s) {
    hu_diags d = HU_DIAGS_INIT;
    hu_value *root = hu_value_load_string(&A, yaml, strlen(yaml), "t.yaml", false, &d);
    if (!root) hu_diags_print(stderr, &d);
    assert_non_null(root);
    hu_report *r = hu_input_from_value(&A, root, "dir/t.yaml", &d);
    if (!r) hu_diags_print(stderr, &d);
    assert_non_null(r);
    hu_model_settings def;
    hu_model_settings_default(&def);
    def.now = 1793809800; /* 2026-11-04T16:30:00Z = 2026-11-05 00:30 in Beijing */
    hu_value *v = hu_view_build(&A, hu_model_build(&A, r, NULL, s ? s : &def, NULL, NULL));
    assert_non_null(v);
    assert_int_equal(d.errors, 0);
    hu_diags_free(&d);
    return v;
}

/* "a.b.0.c" path lookup */
static const hu_value *at(const hu_value *v, const char *path) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && v; tok = strtok(NULL, ".")) {
        if (v->kind == HU_V_LIST) {
            size_t i = (size_t)atoi(tok);
            v = i < v->n ? v->items[i] : NULL;
        } else {
            v = hu_v_get(v, tok);
        }
    }
    if (!v) fail_msg("no %s", path);
    return v;
}
static const char *S(const hu_value *v, const char *path) {
    const hu_value *x = at(v, path);
    return x->kind == HU_V_NULL ? NULL : x->str;
}
static bool Bv(const hu_value *v, const char *path) {
    return at(v, path)->b;
}

#define HEAD "title: 标题\norg: 某某园区管委会\nperiod: 2026-10\n"

static void test_cn_numbers(void **state) {
    (void)state;
    static const struct {
        int n;
        const char *s;
    } rows[] = {{1, "一"},          {9, "九"},     {10, "十"},        {11, "十一"},
                {12, "十二"},       {19, "十九"},  {20, "二十"},      {21, "二十一"},
                {99, "九十九"},     {100, "一百"}, {101, "一百零一"}, {110, "一百一十"},
                {1001, "一千零一"}, {0, "零"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_string_equal(hu_cn_number(&A, rows[i].n), rows[i].s);
}

static void test_dates_and_period(void **state) {
    (void)state;
    hu_value *v = build(HEAD "date: 2026-11-05\n", NULL);
    assert_string_equal(S(v, "date.text"), "2026年11月5日");
    assert_false(Bv(v, "date.default"));
    assert_string_equal(S(v, "period.text"), "2026年10月");
    assert_string_equal(S(v, "period.month_text"), "10月份");
    assert_string_equal(S(v, "period.cumulative"), "1—10月");
    assert_string_equal(S(v, "period.schedule_text"), "83.3%");
    assert_string_equal(at(v, "period.month")->str, "10");
    assert_null(S(v, "period.quarter"));
    assert_string_equal(S(v, "source_file"), "t.yaml");
    /* no date: the generation date in Beijing (00:30 on the 5th, though UTC says the 4th) */
    v = build(HEAD, NULL);
    assert_string_equal(S(v, "date.text"), "2026年11月5日");
    assert_true(Bv(v, "date.default"));
    assert_string_equal(S(v, "generated_at"), "2026-11-04T16:30:00Z");
    /* zero padding never: 2027-01-08 */
    v = build("title: t\norg: o\nperiod: 2026-12\ndate: 2027-01-08\n", NULL);
    assert_string_equal(S(v, "date.text"), "2027年1月8日");
    assert_string_equal(S(v, "period.quarter"), "四季度");
    assert_string_equal(S(v, "period.quarter_cumulative"), "全年");
    v = build("title: t\norg: o\nperiod: 2026-01\n", NULL);
    assert_string_equal(S(v, "period.cumulative"), "1月");
    assert_string_equal(S(v, "period.schedule_text"), "8.3%");
    v = build("title: t\norg: o\nperiod: 2026-09\n", NULL);
    assert_string_equal(S(v, "period.quarter"), "三季度");
    assert_string_equal(S(v, "period.quarter_cumulative"), "前三季度");
}

static void test_ordinals(void **state) {
    (void)state;
    /* 21 level-1 sections; the 12th has 12 level-2, the 12th of those 12 level-3 with (1)..(3) */
    char yaml[16384];
    size_t o = (size_t)snprintf(yaml, sizeof yaml, HEAD "sections:\n");
    for (int i = 1; i <= 21; i++) {
        o += (size_t)snprintf(yaml + o, sizeof yaml - o, "  - title: 部分%d\n", i);
        if (i != 12) continue;
        o += (size_t)snprintf(yaml + o, sizeof yaml - o, "    sections:\n");
        for (int j = 1; j <= 12; j++) {
            o += (size_t)snprintf(yaml + o, sizeof yaml - o, "      - title: 小节%d。\n", j);
            if (j != 12) continue;
            o += (size_t)snprintf(yaml + o, sizeof yaml - o, "        sections:\n");
            for (int k = 1; k <= 12; k++) {
                o += (size_t)snprintf(yaml + o, sizeof yaml - o, "          - title: 条%d\n", k);
                if (k == 12)
                    o += (size_t)snprintf(yaml + o, sizeof yaml - o,
                                          "            sections: [{title: 甲}, {title: 乙}, "
                                          "{title: 丙}]\n");
            }
        }
    }
    hu_value *v = build(yaml, NULL);
    assert_string_equal(S(v, "sections.0.ordinal"), "一、");
    assert_string_equal(S(v, "sections.9.ordinal"), "十、");
    assert_string_equal(S(v, "sections.10.ordinal"), "十一、");
    assert_string_equal(S(v, "sections.11.ordinal"), "十二、");
    assert_string_equal(S(v, "sections.19.ordinal"), "二十、");
    assert_string_equal(S(v, "sections.20.ordinal"), "二十一、");
    assert_string_equal(S(v, "sections.20.heading"), "二十一、部分21");
    assert_true(Bv(v, "sections.0.first"));
    assert_false(Bv(v, "sections.0.last"));
    assert_true(Bv(v, "sections.20.last"));
    assert_string_equal(S(v, "sections.11.sections.0.ordinal"), "（一）");
    assert_string_equal(S(v, "sections.11.sections.11.ordinal"), "（十二）");
    /* the lead sentence loses its own full stop: the template adds it outside the strong */
    assert_string_equal(S(v, "sections.11.sections.11.lead"), "小节12");
    assert_string_equal(S(v, "sections.11.sections.11.sections.11.ordinal"), "12.");
    assert_string_equal(S(v, "sections.11.sections.11.sections.11.sections.2.ordinal"), "（3）");
    assert_string_equal(S(v, "sections.11.sections.11.sections.11.sections.2.path"),
                        "十二、（十二）12.（3）");
    assert_true(Bv(v, "sections.11.sections.11.sections.11.sections.2.last"));
    assert_true(Bv(v, "sections.11.sections.11.sections.11.sections.2.level4"));
}

static void test_plain_sections_and_flags(void **state) {
    (void)state;
    hu_value *v = build(HEAD "sections:\n"
                             "  - title: 主要工作情况\n"
                             "    sections:\n"
                             "      - 一段没有引导句的文字\n"
                             "      - title: 第一项\n"
                             "  - title: 存在的问题\n"
                             "    points: [甲, 乙]\n"
                             "  - title: 下一步工作打算\n",
                        NULL);
    assert_true(Bv(v, "sections.0.is_work"));
    assert_true(Bv(v, "sections.0.show_highlights"));
    assert_true(Bv(v, "sections.1.is_problems"));
    assert_true(Bv(v, "sections.2.is_plans"));
    assert_false(Bv(v, "sections.2.is_work"));
    assert_true(Bv(v, "has_problems"));
    /* a plain paragraph takes no ordinal; the next titled one is still （一） */
    assert_true(Bv(v, "sections.0.sections.0.plain"));
    assert_string_equal(S(v, "sections.0.sections.0.ordinal"), "");
    assert_string_equal(S(v, "sections.0.sections.1.ordinal"), "（一）");
    assert_true(Bv(v, "sections.0.sections.1.is_work"));
    assert_string_equal(S(v, "sections.1.points_text"), "一是甲；二是乙。");
}

static void test_points(void **state) {
    (void)state;
    hu_value *v = build(HEAD "sections:\n"
                             "  - title: 工作\n"
                             "    points: [加强金融服务。, 强化人才服务；, 完善配套]\n"
                             "  - title: 工作二\n"
                             "    points: [加强服务。积极对接, 强化人才服务]\n"
                             "  - title: 工作三\n"
                             "    points: [a, b, c, d, e, f, g, h, i, j, k]\n",
                        NULL);
    assert_string_equal(S(v, "sections.0.points_text"),
                        "一是加强金融服务；二是强化人才服务；三是完善配套。");
    assert_string_equal(S(v, "sections.0.points.0.prefix"), "一是");
    assert_string_equal(S(v, "sections.0.points.0.punct"), "；");
    assert_string_equal(S(v, "sections.0.points.2.punct"), "。");
    assert_true(Bv(v, "sections.0.points.0.first"));
    assert_true(Bv(v, "sections.0.points.2.last"));
    /* an item with a full stop inside: every item ends with 。 */
    assert_string_equal(S(v, "sections.1.points_text"),
                        "一是加强服务。积极对接。二是强化人才服务。");
    assert_string_equal(S(v, "sections.2.points.10.prefix"), "十一是");
}

static void test_punctuation_table(void **state) {
    (void)state;
    static const struct {
        const char *in, *want;
        bool md;
    } rows[] = {
        {"园区,企业", "园区，企业", false},
        {"增长12.3%,同比", "增长12.3%，同比", false},
        {"1,000万元", "1,000万元", false},
        {"Hello, world!", "Hello, world!", false},
        {"富岗路(二期)项目", "富岗路（二期）项目", false},
        {"(GDP)增长", "（GDP）增长", false},
        {"see (Table 1) here", "see (Table 1) here", false},
        {"是否达标?", "是否达标？", false},
        {"注意:安全", "注意：安全", false},
        {"10:30开会", "10:30开会", false},
        {"他说\"你好\"。", "他说“你好”。", false},
        {"按 \"OK\" 键", "按 \"OK\" 键", false},
        {"园区 , 企业", "园区，企业", false},
        {"访问 https://example.com/a,b?x=1 查看", "访问 https://example.com/a,b?x=1 查看", false},
        {"中文;English", "中文；English", false},
        {"效果好!", "效果好！", false},
        {"增长3.5%。", "增长3.5%。", false},
        {"其中:(1)企业", "其中：（1）企业", false},
        {"`a,b`中文,", "`a,b`中文，", true},
        {"[链接](http://x.cn/(a))。", "[链接](http://x.cn/(a))。", true},
        {"![图](a.png)说明", "![图](a.png)说明", true},
        {"```\n代码,不改\n```\n正文,改", "```\n代码,不改\n```\n正文，改", true},
        {"<!-- 注释,不改 -->", "<!-- 注释,不改 -->", true},
        {"完成率95%;", "完成率95%；", false},
        {"“十四五”规划(2021—2025年)", "“十四五”规划（2021—2025年）", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *got = hu_text_clean(&A, rows[i].in, rows[i].md);
        if (strcmp(got, rows[i].want) != 0)
            fail_msg("row %zu: \"%s\" -> \"%s\", want \"%s\"", i, rows[i].in, got, rows[i].want);
    }
}

static void test_lines(void **state) {
    (void)state;
    assert_string_equal(hu_text_oneline(&A, "第一行\n第二行"), "第一行第二行");
    assert_string_equal(hu_text_oneline(&A, "line one\nline two"), "line one line two");
    assert_string_equal(hu_text_oneline(&A, "产业链”、 区“7+2"), "产业链”、区“7+2");
    assert_string_equal(hu_text_oneline(&A, "  含 GDP 指标 \n"), "含 GDP 指标");
    /* the one join rule: nothing next to a CJK character, one space between other ones */
    assert_string_equal(hu_text_oneline(&A, "推进中文\nABC"), "推进中文ABC");
    assert_string_equal(hu_text_oneline(&A, "ABC\n推进"), "ABC推进");
    /* Markdown fields keep their line breaks (the document joins them); folded blanks go */
    assert_string_equal(hu_text_md_blanks(&A, "第一行\n第二行\n\n第二段\n"),
                        "第一行\n第二行\n\n第二段");
    assert_string_equal(hu_text_md_blanks(&A, "折叠 的 中文，`代码 空格` ok"),
                        "折叠的中文，`代码 空格` ok");
    assert_string_equal(hu_text_strip_end_punct(&A, "坚持定力。"), "坚持定力");
    assert_string_equal(hu_text_strip_end_punct(&A, "是否达标？ "), "是否达标");
}

/* Ordinals typed at the start of a section title (input.c strips them: the template numbers). */
static void test_ordinal_prefix(void **state) {
    (void)state;
    static const struct {
        const char *s;
        const char *rest; /* NULL: not an ordinal */
    } rows[] = {
        {"一、主要工作情况", "主要工作情况"},
        {"十二、其他", "其他"},
        {"（一）坚持产业定力", "坚持产业定力"},
        {"(三) 加快建设", "加快建设"},
        {"1. 招商引资", "招商引资"},
        {"2．项目建设", "项目建设"},
        {"3、开工", "开工"},
        {"（12）其他", "其他"},
        {"四、　全角空格", "全角空格"},
        {"1.5亿元项目落地", NULL},
        {"一是加强调度", NULL},
        {"十四五规划", NULL},
        {"2026年工作", NULL},
        {"（一）", NULL},
        {"一、", NULL},
        {"(注)说明", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        size_t mark = 0, k = hu_text_ordinal_len(rows[i].s, &mark);
        if (!rows[i].rest) {
            assert_int_equal(k, 0);
        } else {
            assert_string_equal(rows[i].s + k, rows[i].rest);
            /* the mark alone: what follows it up to k is blanks (" " or "　") */
            assert_true(mark > 0 && mark <= k);
            size_t j = mark;
            while (j < k && rows[i].s[j] == ' ')
                j++;
            while (j + 3 <= k && !strncmp(rows[i].s + j, "　", 3))
                j += 3;
            assert_int_equal(j, k);
            assert_true(rows[i].s[mark - 1] != ' ');
        }
    }
    size_t mark = 0;
    assert_int_equal(hu_text_ordinal_len("四、　全角空格", &mark), 9);
    assert_int_equal(mark, 6);                                        /* "四、" */
    assert_int_equal(hu_text_ordinal_len("四、　全角空格", NULL), 9); /* mark may be NULL */
}

static void test_cleaning_in_view(void **state) {
    (void)state;
    const char *y =
        HEAD "to: 区委,区政府\npreamble: 今年以来,各项工作成效明显\n"
             "sections:\n  - title: 主要工作情况\n    text: 企业(5家)增加,效果\"很好\"\n";
    hu_value *v = build(y, NULL);
    assert_string_equal(S(v, "to_line"), "区委，区政府：");
    assert_string_equal(S(v, "preamble_text"),
                        "今年以来，各项工作成效明显，现将有关情况汇报如下：");
    assert_string_equal(S(v, "sections.0.text"), "企业（5家）增加，效果“很好”");
    hu_model_settings s;
    hu_model_settings_default(&s);
    s.clean_punct = false;
    v = build(y, &s);
    assert_string_equal(S(v, "sections.0.text"), "企业(5家)增加,效果\"很好\"");
    assert_false(Bv(v, "settings.clean_punct"));
}

static void test_preamble_closing_attachments(void **state) {
    (void)state;
    /* a report with no section and no figure: nothing is announced "如下：" (issue 17) */
    hu_value *v = build(HEAD "preamble: 现将有关情况汇报如下：\n", NULL);
    assert_null(S(v, "preamble_text"));
    v = build(HEAD "preamble: 现将有关情况汇报如下：\nsections: [正文]\n", NULL);
    assert_string_equal(S(v, "preamble_text"), "现将有关情况汇报如下：");
    v = build(HEAD "preamble: 各项工作成效明显。\nclosing: 特此报告\n"
                   "attachments: [主要指标完成情况表]\nsections: [正文]\n",
              NULL);
    assert_string_equal(S(v, "preamble_text"), "各项工作成效明显。现将有关情况汇报如下：");
    assert_string_equal(S(v, "closing_text"), "特此报告。");
    assert_string_equal(S(v, "attachments.0.line"), "附件：主要指标完成情况表");
    assert_false(Bv(v, "attachments_numbered"));
    v = build(HEAD "attachments: [表一。, 表二]\nsections: [正文]\n", NULL);
    assert_string_equal(S(v, "preamble_text"), "现将2026年1—10月工作情况汇报如下：");
    assert_string_equal(S(v, "closing_text"), "特此汇报。");
    assert_string_equal(S(v, "attachments.0.line"), "附件：1. 表一");
    assert_string_equal(S(v, "attachments.1.line"), "2. 表二");
    assert_true(Bv(v, "attachments.1.last"));
}

static void test_indicators_and_highlights(void **state) {
    (void)state;
    hu_value *v =
        build(HEAD "indicators:\n"
                   "  - {name: 技工贸总收入, unit: 亿元, value: 125.60, last_year: 111.85,"
                   " last_month: 111.62, target: 150, approx: true}\n"
                   "  - {name: 税收收入, unit: 万元, value: 23420, last_year: 21780}\n"
                   "  - {name: 实际到位资金, unit: 亿元, value: 26.88, last_year: 28.10}\n"
                   "  - {name: 产销率, unit: \"%\", kind: rate, value: 98.3, last_year: 97.5}\n"
                   "sections:\n  - title: 主要工作情况\n"
                   "    sections:\n      - title: 坚持产业定力\n"
                   "        highlights: [电子包装园主体工程完工。]\n",
              NULL);
    assert_string_equal(S(v, "indicators.0.value_phrase"), "约125.60亿元");
    assert_string_equal(S(v, "indicators.0.yoy.text"), "同比增长12.3%");
    assert_string_equal(at(v, "indicators.0.yoy.pct")->str, "12.3");
    assert_string_equal(S(v, "indicators.0.month_value_text"), "13.98");
    assert_string_equal(S(v, "indicators.0.schedule.direction"), "ahead");
    assert_string_equal(S(v, "indicators.3.yoy.unit"), "个百分点");
    assert_true(Bv(v, "indicators.0.first"));
    assert_true(Bv(v, "indicators.3.last"));
    assert_string_equal(
        S(v, "indicator_summary"),
        "1—10月，完成技工贸总收入约125.60亿元，同比增长12.3%，完成年度目标的83.7%，"
        "超序时进度0.4个百分点；完成税收收入23420万元，同比增长7.5%；"
        "完成实际到位资金26.88亿元，同比下降4.3%；产销率为98.3%，同比提高0.8个百分点。");
    assert_true(Bv(v, "sections.0.show_indicators"));
    /* section highlights first, tagged; then automatic ones */
    assert_string_equal(S(v, "highlights.0.section"), "（一）坚持产业定力");
    assert_string_equal(S(v, "highlights.0.text"), "电子包装园主体工程完工");
    assert_string_equal(S(v, "highlights.0.source"), "section");
    assert_string_equal(S(v, "highlights.1.text"), "技工贸总收入增速最快，同比增长12.3%");
    assert_string_equal(S(v, "highlights.1.source"), "auto");
    assert_string_equal(S(v, "concerns.0.text"), "实际到位资金同比下降4.3%");
    assert_string_equal(S(v, "concerns.0.flag"), "需关注");
    assert_string_equal(S(v, "highlights_text"),
                        "一是电子包装园主体工程完工；二是技工贸总收入增速最快，同比增长12.3%；"
                        "三是技工贸总收入完成年度目标的83.7%，超序时进度0.4个百分点。");
    /* table: 当月/环比 and target columns appear because some row has them */
    /* the unit is part of the name cell: no 单位 column */
    assert_string_equal(S(v, "indicator_table.columns.1.title"), "1—10月");
    assert_string_equal(S(v, "indicator_table.columns.3.title"), "10月份");
    assert_string_equal(S(v, "indicator_table.columns.1.align"), "---:");
    assert_string_equal(S(v, "indicator_table.rows.2.cells.2.text"), "\u22124.3%");
    assert_string_equal(S(v, "indicator_table.rows.1.cells.3.text"), "—");
    /* trend without history: the two months the file itself knows */
    assert_string_equal(S(v, "trend.0.months.8.value_text"), "111.62");
    assert_string_equal(S(v, "trend.0.months.9.month_value_text"), "13.98");
    assert_null(S(v, "trend.0.months.7.value"));
}

/* The monthly template on the 2026-10 sample: every run-in lead sentence must be a STRONG node
 * that opens its paragraph (CommonMark's flanking rules reject **（一）…。**正文), the
 * signature block closes the report, and monthly-brief overrides blocks by inheritance. */
static hu_doc_span SPANS[16];
static size_t NSPANS;

static void add_span(void *ud, const char *name, size_t len, size_t start, size_t end) {
    (void)ud;
    assert_true(NSPANS < 16);
    SPANS[NSPANS++] = (hu_doc_span){hu_block_kind_of(name, len), start, end};
}

static char *render_sample(const char *tname, hu_diags *d) {
    const char *src = getenv("HU_SOURCE_DIR");
    if (!src) src = HU_SOURCE_DIR;
    char input[1024], tpl[1024], partials[1024];
    snprintf(input, sizeof input, "%s/samples/2026-10.yaml", src);
    snprintf(tpl, sizeof tpl, "%s/templates/%s/report.md.mustache", src, tname);
    snprintf(partials, sizeof partials, "%s/templates/partials", src);
    hu_report *r = hu_input_load(&A, input, d);
    assert_non_null(r);
    hu_history *h = hu_history_load(&A, r, NULL, NULL, d);
    hu_model_settings s;
    hu_model_settings_default(&s);
    s.now = 1793809800;
    hu_value *v = hu_view_build(&A, hu_model_build(&A, r, h, &s, NULL, NULL));
    const char *pd[1] = {partials};
    hu_mustache_opts mo = {HU_ESC_MARKDOWN, pd,       1,   true, NULL, NULL,
                           hu_block_names,  add_span, NULL};
    hu_buf md = HU_BUF_INIT;
    NSPANS = 0;
    int rc = hu_mustache_render_file(tpl, v, &mo, &md, d) ? 0 : 1;
    if (rc) hu_diags_print(stderr, d);
    assert_int_equal(rc, 0);
    return hu_buf_detach(&md);
}

/* The typed block of a kind among the document's top-level nodes (the last one). */
static cmark_node *typed(cmark_node *doc, hu_block_kind k) {
    cmark_node *found = NULL;
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n))
        if (hu_doc_block(n) == k) found = n;
    return found;
}

static const char *para_text(cmark_node *p) {
    return p ? cmark_node_get_literal(cmark_node_first_child(p)) : NULL;
}

static void test_monthly_template(void **state) {
    (void)state;
    hu_diags d = HU_DIAGS_INIT;
    char *md = render_sample("monthly", &d);
    assert_int_equal(d.errors, 0);
    cmark_node *doc = hu_doc_build(md, strlen(md), SPANS, NSPANS);
    int leads = 0, tables = 0;
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        if (!strcmp(cmark_node_get_type_string(n), "table")) tables++;
        assert_int_not_equal(cmark_node_get_type(n), CMARK_NODE_HTML_BLOCK); /* no markers */
        if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH) continue;
        cmark_node *c = cmark_node_first_child(n);
        const char *lit = c ? cmark_node_get_literal(c) : NULL;
        if (lit && (strstr(lit, "**（") == lit || strstr(lit, "**1") == lit))
            fail_msg("lead sentence not parsed as strong: %s", lit);
        if (c && cmark_node_get_type(c) == CMARK_NODE_STRONG) {
            leads++;
            cmark_node *after = cmark_node_next(c);
            const char *al = after ? cmark_node_get_literal(after) : "";
            assert_true(al && strncmp(al, "。", strlen("。")) == 0);
        }
    }
    assert_int_equal(leads, 9); /* （一）…（六） and （一）…（三） */
    assert_int_equal(tables, 1);
    /* the structural blocks, in order: recipient, preamble … closing, blank, attachments,
     * signature (last, two paragraphs) */
    static const hu_block_kind order[] = {HU_BLOCK_RECIPIENT,   HU_BLOCK_PREAMBLE,
                                          HU_BLOCK_CLOSING,     HU_BLOCK_BLANK,
                                          HU_BLOCK_ATTACHMENTS, HU_BLOCK_SIGNATURE};
    assert_int_equal(NSPANS, 6);
    for (size_t i = 0; i < NSPANS; i++)
        assert_int_equal(SPANS[i].kind, order[i]);
    cmark_node *sig = typed(doc, HU_BLOCK_SIGNATURE);
    assert_ptr_equal(sig, cmark_node_last_child(doc));
    assert_string_equal(para_text(cmark_node_first_child(sig)), "某某区产业开发区管理委员会");
    assert_string_equal(para_text(cmark_node_last_child(sig)), "2026年11月5日");
    assert_string_equal(para_text(cmark_node_first_child(typed(doc, HU_BLOCK_RECIPIENT))),
                        "区委、区政府：");
    assert_null(cmark_node_first_child(typed(doc, HU_BLOCK_BLANK)));
    assert_string_equal(para_text(cmark_node_first_child(typed(doc, HU_BLOCK_CLOSING))),
                        "特此汇报。");
    assert_non_null(strstr(md, "## 一、主要工作情况"));
    assert_non_null(strstr(md, "现将有关情况汇报如下："));
    assert_non_null(strstr(md, "工作亮点主要有：一是"));
    assert_null(strstr(md, "<!--")); /* nothing in band */
    cmark_node_free(doc);
    free(md);

    md = render_sample("monthly-brief", &d);
    assert_null(strstr(md, "| 指标 |"));       /* indicators block overridden */
    assert_null(strstr(md, "工作亮点主要有")); /* highlights block overridden */
    assert_non_null(strstr(md, "需关注的是："));
    assert_non_null(strstr(md, "特此汇报。")); /* closing given in the sample */
    assert_int_equal(NSPANS, 6);               /* the rest inherited */
    assert_int_equal(SPANS[2].kind, HU_BLOCK_CLOSING);
    assert_int_equal(SPANS[5].kind, HU_BLOCK_SIGNATURE);
    free(md);
    hu_diags_free(&d);
}

static int setup(void **state) {
    (void)state;
    hu_arena_init(&A);
    return 0;
}
static int teardown(void **state) {
    (void)state;
    hu_arena_free(&A);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cn_numbers),
        cmocka_unit_test(test_dates_and_period),
        cmocka_unit_test(test_ordinals),
        cmocka_unit_test(test_plain_sections_and_flags),
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_punctuation_table),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_cleaning_in_view),
        cmocka_unit_test(test_ordinal_prefix),
        cmocka_unit_test(test_preamble_closing_attachments),
        cmocka_unit_test(test_indicators_and_highlights),
        cmocka_unit_test(test_monthly_template),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
