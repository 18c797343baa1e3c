/* test_markdown.c - cmark-gfm wrapper: normalisation is stable (tables, CJK, escapes), lead
 * sentences parse as STRONG, soft breaks inside Chinese text vanish in HTML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "markdown.h"

static const char report[] = "# 关于2026年1—10月工作情况的汇报\n"
                             "\n"
                             "市委办公室：\n"
                             "\n"
                             "今年以来，园区坚持“稳中求进”！现将有关情况汇报如下：\n"
                             "\n"
                             "## 一、主要工作情况\n"
                             "\n"
                             "**（一）坚持高位推动**。全区上下\n"
                             "齐心协力，完成技工贸总收入约125.6亿元，同比增长12.3%；增长-3.2%。\n"
                             "第1#楼，A~B，a_b，x*y，C++ 与 C#，编号#3。\n"
                             "\n"
                             "| 指标 | 数值 | 增长 |\n"
                             "|:---|---:|:-:|\n"
                             "| 技工贸总收入（亿元） | 125.6 | 12.3% |\n"
                             "| 含\\|竖线 | `a\\|b` | **—** |\n"
                             "\n"
                             "1. 第一\n"
                             "2. 第二\n"
                             "\n"
                             "（1）项目一；（2）项目二。一是……；二是……。\n"
                             "\n"
                             "附件：1. 指标表\n"
                             "\n"
                             "某某园区管理委员会\n"
                             "2026年11月5日\n";

static char *norm(const char *s) {
    return hu_markdown_normalize(s, strlen(s));
}

static void assert_idempotent(const char *in) {
    char *a = norm(in);
    char *b = norm(a);
    if (strcmp(a, b) != 0) fprintf(stderr, "input:\n%s\nfirst:\n%s\nsecond:\n%s\n", in, a, b);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_idempotent(void **state) {
    (void)state;
    assert_idempotent(report);
    static const char *const tricky[] = {
        "实施**“十四五”规划**全面，增长**12.5%**全区\n",
        "a\\*b* 第\\*号\\* x\n",
        "C\\# 与 第#楼 _a_ 中_文_字 \\_\\_init\\_\\_\n",
        "- 列表\n  续行中文\n  - 子项\n",
        "> 引用中文\n> 第二行\n",
        "第一行\nsecond line\n第三行\n",
        "1\\. 不是列表\n\n\\- 不是列表\n\n\\# 不是标题\n",
        "中文\\<b\\>不是标签\\</b\\>，\\[不是链接\\](x)，\\`不是代码\\`。\n",
        "`代码|里` 和 ``两个`反引号``\n",
        "```\n代码块 #*_\n```\n",
        "行尾两个空格  \n硬换行\n",
        "中文\\\\反斜杠\\\\\n",
        "http://x.com/中文 和 www.gov.cn。\n",
        "***\n\n---\n\n第一段\n===\n",
        "| a |\n|---|\n| 中#文~删~ |\n",
        "~~删除~~与~单~\n",
        "",
        "\n\n\n",
        /* F5: an unclosed HTML comment inside a list item swallowed one more blank line on
         * every normalisation */
        "第<!-- re  - 一\n  - 二\n    1.  甲\n    <!-- end list =->\n      - 一一      rd\nword "
        "中\n",
        "- a\n  <!-- x\n\n\n\n  y\n",
    };
    for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++)
        assert_idempotent(tricky[i]);
}

static void test_no_stray_escapes(void **state) {
    (void)state;
    char *a = norm(report);
    /* Chinese text comes back without backslashes; the table's needed `\|` stays */
    assert_non_null(strstr(a, "第1#楼"));
    assert_non_null(strstr(a, "C++ 与 C#，编号#3。"));
    assert_non_null(strstr(a, "全区上下齐心协力"));
    assert_non_null(strstr(a, "| 含\\|竖线 |"));
    assert_null(strstr(a, "\\。"));
    free(a);
}

static cmark_node *find_type(cmark_node *root, const char *type) {
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    cmark_node *found = NULL;
    while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        if (ev == CMARK_EVENT_ENTER &&
            strcmp(cmark_node_get_type_string(cmark_iter_get_node(it)), type) == 0)
            found = cmark_iter_get_node(it);
    cmark_iter_free(it);
    return found;
}

static void check_table(cmark_node *doc) {
    cmark_node *t = find_type(doc, "table");
    assert_non_null(t);
    assert_int_equal(cmark_gfm_extensions_get_table_columns(t), 3);
    uint8_t *al = cmark_gfm_extensions_get_table_alignments(t);
    assert_int_equal(al[0], 'l');
    assert_int_equal(al[1], 'r');
    assert_int_equal(al[2], 'c');
    cmark_node *hdr = cmark_node_first_child(t);
    assert_string_equal(cmark_node_get_type_string(hdr), "table_header");
    assert_true(cmark_gfm_extensions_get_table_row_is_header(hdr));
    int rows = 0;
    for (cmark_node *r = hdr; r; r = cmark_node_next(r))
        rows++;
    assert_int_equal(rows, 3);
    cmark_node *last = cmark_node_last_child(t);
    cmark_node *c0 = cmark_node_first_child(last);
    assert_string_equal(cmark_node_get_type_string(c0), "table_cell");
    assert_string_equal(cmark_node_get_literal(cmark_node_first_child(c0)), "含|竖线");
    cmark_node *c1 = cmark_node_next(c0);
    assert_int_equal(cmark_node_get_type(cmark_node_first_child(c1)), CMARK_NODE_CODE);
    assert_string_equal(cmark_node_get_literal(cmark_node_first_child(c1)), "a|b");
}

static void test_table_round_trip(void **state) {
    (void)state;
    cmark_node *doc = hu_doc_parse(report, strlen(report));
    check_table(doc);
    cmark_node_free(doc);
    char *a = norm(report);
    assert_non_null(strstr(a, "| 指标 | 数值 | 增长 |\n| :-- | --: | :-: |\n"));
    doc = hu_doc_parse(a, strlen(a));
    check_table(doc);
    cmark_node_free(doc);
    free(a);
}

static void assert_strong(const char *md, const char *text) {
    cmark_node *doc = hu_doc_parse(md, strlen(md));
    cmark_node *s = find_type(doc, "strong");
    if (!s) fprintf(stderr, "no strong node in: %s\n", md);
    assert_non_null(s);
    assert_string_equal(cmark_node_get_literal(cmark_node_first_child(s)), text);
    cmark_node_free(doc);
}

static void test_strong_lead(void **state) {
    (void)state;
    assert_strong("**（一）坚持高位推动**。正文继续。\n", "（一）坚持高位推动");
    assert_strong("**一是坚持高位推动。** 正文\n", "一是坚持高位推动。");
    assert_strong("**“十四五”规划**全面\n", "“十四五”规划");
    /* the CommonMark flanking trap (commonmark-spec#650): stays literal */
    const char *trap = "**（一）坚持高位推动。**正文\n";
    cmark_node *doc = hu_doc_parse(trap, strlen(trap));
    assert_null(find_type(doc, "strong"));
    cmark_node_free(doc);
    /* and survives normalisation */
    char *a = norm("**（一）坚持高位推动**。正文\n");
    assert_string_equal(a, "**（一）坚持高位推动**。正文\n");
    free(a);
}

static void test_html(void **state) {
    (void)state;
    const char *md =
        "# 标题\n\n全区上下\n齐心协力，hello\nworld，中文\nLatin。\n\n"
        "**（一）坚持**。正文\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>x</script>\n";
    char *h = hu_markdown_to_html(md, strlen(md), "关于<测试>的汇报");
    assert_non_null(strstr(h, "<!DOCTYPE html>"));
    assert_non_null(strstr(h, "<meta charset=\"utf-8\">"));
    assert_non_null(strstr(h, "name=\"viewport\""));
    assert_non_null(strstr(h, "<title>关于&lt;测试&gt;的汇报</title>"));
    assert_non_null(strstr(h, "FangSong"));
    assert_non_null(strstr(h, "仿宋"));
    assert_non_null(strstr(h, "max-width"));
    assert_non_null(strstr(h, "border"));
    assert_non_null(strstr(h, "<h1>标题</h1>"));
    /* a soft break beside a CJK character is gone (中文⏎Latin too); between Latin words it
     * stays */
    assert_non_null(strstr(h, "全区上下齐心协力，hello\nworld，中文Latin。"));
    assert_non_null(strstr(h, "<strong>（一）坚持</strong>。正文"));
    assert_non_null(strstr(h, "<table>"));
    assert_null(strstr(h, "<script>"));
    free(h);
    /* the default title */
    h = hu_markdown_to_html("x", 1, NULL);
    assert_non_null(strstr(h, "<title>工作情况汇报</title>"));
    free(h);
}

/* How many nodes of doc have this type name ("softbreak", "strikethrough" …). */
static int count_nodes(cmark_node *doc, const char *type) {
    int k = 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        if (ev == CMARK_EVENT_ENTER &&
            strcmp(cmark_node_get_type_string(cmark_iter_get_node(it)), type) == 0)
            k++;
    cmark_iter_free(it);
    return k;
}

/* Chinese ranges "1~3季度、4~6月" stay text (only "~~x~~" strikes through), in the tree and,
 * without backslashes, in the normalised Markdown. */
static void test_single_tilde_is_text(void **state) {
    (void)state;
    const char *md = "第1~3季度与4~6月，增长~~明显~~。\n";
    cmark_node *doc = hu_doc_parse(md, strlen(md));
    assert_int_equal(count_nodes(doc, "strikethrough"), 1); /* only ~~明显~~ */
    cmark_node_free(doc);
    char *a = norm(md);
    assert_string_equal(a, md);
    free(a);
    a = norm("1\\~10月 与 a\\~b\n");
    assert_string_equal(a, "1~10月 与 a~b\n");
    free(a);
}

/* The HTML page shows tag-like text as typed, like the PDF; comments stay hidden. */
static void test_html_page_shows_tags(void **state) {
    (void)state;
    const char *md = "型号<ABC-1>投产<!-- 注 -->甲<br>乙\n\n<div>块</div>\n\n<!-- signature -->\n";
    char *h = hu_markdown_to_html(md, strlen(md), "t");
    assert_non_null(strstr(h, "型号&lt;ABC-1&gt;投产"));
    assert_non_null(strstr(h, "甲<br />"));
    assert_non_null(strstr(h, "<p>&lt;div&gt;块&lt;/div&gt;</p>"));
    assert_null(strstr(h, "注"));
    assert_null(strstr(h, "<div>"));
    assert_null(strstr(h, "omitted")); /* markers and comments leave nothing behind */
    free(h);
}

static void test_parse_joins_cjk(void **state) {
    (void)state;
    /* the one rule: a soft break beside a CJK character joins (辛/abc and abc/壬 too); between
     * two Latin words it stays */
    const char *md = "甲乙\n丙丁**戊**\n己，\n*庚*\n辛\nabc\n壬\nxyz\nend\n";
    cmark_node *doc = hu_doc_parse(md, strlen(md));
    assert_int_equal(count_nodes(doc, "softbreak"), 1); /* xyz/end */
    cmark_node *p = cmark_node_first_child(doc);
    assert_string_equal(cmark_node_get_literal(cmark_node_first_child(p)), "甲乙丙丁");
    cmark_node_free(doc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idempotent),       cmocka_unit_test(test_single_tilde_is_text),
        cmocka_unit_test(test_no_stray_escapes), cmocka_unit_test(test_table_round_trip),
        cmocka_unit_test(test_strong_lead),      cmocka_unit_test(test_html),
        cmocka_unit_test(test_parse_joins_cjk),  cmocka_unit_test(test_html_page_shows_tags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
