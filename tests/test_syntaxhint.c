/* Unit tests of the Chinese explanations of YAML/JSON mistakes (syntaxhint.c) and of the
 * Word-paste cleaner (paste.c): for each mistake office staff make, the message, the line and
 * the column, with libfyaml's own error where one is reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "paste.h"
#include "syntaxhint.h"
#include "value.h"

#define HEAD "title: 汇报\norg: 某某单位\nperiod: 2026-10\n"

/* Load text and return the first error (or warning) message, with its place. */
static const char *first_msg(const char *text, bool json, hu_severity sev, int *line, int *col) {
    static char msg[2048];
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_value_load_string(&a, text, strlen(text), json ? "t.json" : "t.yaml", json, &d);
    msg[0] = 0;
    *line = *col = -1;
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].severity == sev) {
            snprintf(msg, sizeof msg, "%s", d.v[i].msg);
            *line = d.v[i].line;
            *col = d.v[i].col;
            break;
        }
    hu_diags_free(&d);
    hu_arena_free(&a);
    return msg;
}

#define EXPECT(text, json, sev, l, c, part)                                                        \
    do {                                                                                           \
        int line_, col_;                                                                           \
        const char *m_ = first_msg(text, json, sev, &line_, &col_);                                \
        if (!strstr(m_, part) || line_ != (l) || col_ != (c))                                      \
            fprintf(stderr, "got %d:%d %s\nwant %d:%d %s\n", line_, col_, m_, l, c, part);         \
        assert_non_null(strstr(m_, part));                                                         \
        assert_int_equal(line_, l);                                                                \
        assert_int_equal(col_, c);                                                                 \
        assert_null(strstr(m_, "invalid"));                                                        \
    } while (0)

#define ERROR_AT(text, l, c, part) EXPECT(text, false, HU_ERROR, l, c, part)
#define JSON_ERROR_AT(text, l, c, part) EXPECT(text, true, HU_ERROR, l, c, part)

static void test_fullwidth_colon(void **state) {
    (void)state;
    ERROR_AT("title：产业开发区汇报\norg: 某某单位\n", 1, 6,
             "“title”后面是全角冒号“：”：字段名和值之间要用半角冒号加空格，请改为“title: "
             "产业开发区汇报”");
    ERROR_AT(HEAD "indicators:\n  - name: 收入\n    value：125.60\n", 6, 10,
             "请改为“value: 125.60”");
    ERROR_AT(HEAD "closing：特此汇报。\n", 4, 8, "“closing”后面是全角冒号");
    /* the blank typed after the full-width colon is not doubled in the suggestion */
    ERROR_AT(HEAD "indicators:\n  - name: 收入\n    unit： 亿元\n", 6, 9, "请改为“unit: 亿元”");
    ERROR_AT(HEAD "indicators:\n  - name: 收入\n    unit：\u3000亿元\n", 6, 9,
             "请改为“unit: 亿元”");
    ERROR_AT("title:产业开发区汇报\norg: 某某单位\n", 1, 6, "“title:”后面缺少空格");
    /* a full-width colon inside Chinese text is right and says nothing */
    int l, c;
    assert_string_equal(first_msg(HEAD "to: 区委：区政府\n", false, HU_ERROR, &l, &c), "");
}

static void test_indentation(void **state) {
    (void)state;
    ERROR_AT(HEAD "sections:\n  - title: 主要工作\n\xe3\x80\x80\xe3\x80\x80text: 正文\n", 6, 1,
             "缩进里有全角空格“　”");
    ERROR_AT(HEAD "sections:\n  - title: 主要工作\n    text: 正文\n  \xe3\x80\x80points: [a]\n", 7,
             3, "缩进里有全角空格“　”");
    ERROR_AT(HEAD "sections:\n  - title: 主要工作\n\xc2\xa0\xc2\xa0  text: 正文\n", 6, 1,
             "缩进里有不间断空格（NBSP）");
    ERROR_AT(HEAD "sections:\n\t- title: 主要工作\n", 5, 1, "缩进里有 Tab 字符");
    ERROR_AT(HEAD "to: 区委\n preamble: 今年以来\n", 5, 1, "这一行比第 4 行多缩进了 1 格");
    ERROR_AT(HEAD "indicators:\n  - name: a\n    value: 1\n   - name: b\n     value: 2\n", 7, 4,
             "这一行的“- ”比第 5 行的“- ”多缩进了 1 格");
    /* a whole file pasted with full-width indents: three messages and a count, no 键重复 */
    const char *pasted = "\xe3\x80\x80title: a\n\xe3\x80\x80org: b\n\xe3\x80\x80period: c\n"
                         "\xe3\x80\x80to: d\n\xe3\x80\x80"
                         "closing: e\n";
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    assert_null(hu_value_load_string(&a, pasted, strlen(pasted), "t.yaml", false, &d));
    assert_int_equal(d.errors, 4);
    assert_int_equal(d.v[2].line, 3);
    assert_non_null(strstr(d.v[3].msg, "另有 2 行的缩进里也有全角空格"));
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static void test_text_starting_with_syntax(void **state) {
    (void)state;
    ERROR_AT(HEAD "indicators:\n  - name: 占比\n    unit: %\n    value: 45\n", 6, 11,
             "以“%”开头的文字请加引号（YAML 不允许不加引号的文字以 % 开头）：写成 unit: \"%\"");
#define ITEM(x) HEAD "sections:\n  - title: 主要工作\n    points:\n      - " x "\n"
    ERROR_AT(ITEM("*重点*加强金融服务"), 7, 9,
             "以“*”开头会被当作 YAML 的引用（别名）：请给整段文字加引号，写成 - "
             "\"*重点*加强金融服务\"");
    ERROR_AT(ITEM("&重点 加强金融服务"), 7, 9, "以“&”开头会被当作 YAML 的锚点");
    ERROR_AT(ITEM("@各园区：请报送"), 7, 9, "以“@”开头的文字请加引号");
    ERROR_AT(ITEM("`代码`"), 7, 9, "以“`”开头的文字请加引号");
    ERROR_AT(ITEM("!重要 加强金融服务"), 7, 9, "以“!”开头的文字会被当作 YAML 的类型标签");
    ERROR_AT(ITEM("!重要加强金融服务"), 7, 9, "以“!”开头的文字会被当作 YAML 的类型标签");
    ERROR_AT(ITEM("|重点|加强"), 7, 9, "以“|”开头会被当作多行文字的标记");
    ERROR_AT(ITEM(">50家企业参会"), 7, 9, "写成 - \">50家企业参会\"");
    ERROR_AT(ITEM("[重点]加强金融服务"), 7, 9, "以“[”开头会被当作列表 [a, b]");
    ERROR_AT(ITEM("{重点}加强金融服务"), 7, 9, "以“{”开头会被当作映射 {键: 值}");
    ERROR_AT(ITEM("\"一张蓝图\"绘到底"), 7, 9,
             "文字以英文引号 \" 开头，YAML 只把引号里的“一张蓝图”当作内容，后面的“绘到底”就成了"
             "多余的：请改用中文引号（“一张蓝图”绘到底），或给整段文字再加一层单引号：'\"一张蓝图"
             "\"绘到底'");
    ERROR_AT(ITEM("'一张蓝图'绘到底"), 7, 9, "再加一层双引号：\"'一张蓝图'绘到底\"");
    ERROR_AT(ITEM("\"一张蓝图绘到底"), 7, 9, "但没有找到：请改用中文引号“”，或补上结束的 \"");
    ERROR_AT(HEAD "sections:\n  - title: 主要工作\n    points:\n      -\xe3\x80\x80加强\n", 7, 7,
             "“-”后面是全角空格“　”");
    ERROR_AT(HEAD "indicators: [1, 2\nsections: []\n", 4, 13, "这一行的“[”没有配对的“]”");
}

static void test_colon_and_missing_dash(void **state) {
    (void)state;
    ERROR_AT(HEAD "sections:\n  - title: 主要工作\n    text: 主要做法: 按照要求推进\n", 6, 15,
             "文字中的“: ”（英文冒号加空格）会被当作“字段: 值”的分隔：请改为中文冒号“：”，或给整段"
             "文字加引号，写成 text: \"主要做法: 按照要求推进\"");
    ERROR_AT(ITEM("加强\n      强化"), 8, 7,
             "这一行与上面列表的“- ”对齐（第 7 行），却没有“- ”：如果“强化”是列表的新一项");
    ERROR_AT(HEAD "sections:\n  - title: A\n    text: x\n  title: B\n", 7, 3,
             "如果“title: B”是列表的新一项，请在前面加“- ”");
    /* the same keys again in one item: one message naming the missing "- " */
    const char *t = HEAD "sections:\n  - title: A\n    text: x\n    title: B\n    text: y\n";
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    assert_null(hu_value_load_string(&a, t, strlen(t), "t.yaml", false, &d));
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.v[0].line, 7);
    assert_non_null(strstr(d.v[0].msg, "请在行首写“- ”，与第 5 行的“- ”对齐"));
    hu_diags_free(&d);
    /* outside a list a repeated key stays a repeated key */
    t = "title: a\norg: b\ntitle: c\n";
    assert_null(hu_value_load_string(&a, t, strlen(t), "t.yaml", false, &d));
    assert_non_null(strstr(d.v[0].msg, "键重复"));
    hu_diags_free(&d);
    hu_arena_free(&a);
    ERROR_AT(HEAD "sections:\n  - title: 主要工作\n    points:\n      • 加强\n      • 强化\n", 8, 7,
             "这一行以“•”开头，被接到了上一行的文字后面");
}

static void test_comment_warning(void **state) {
    (void)state;
    EXPECT(ITEM("加强金融服务 #1"), false, HU_WARNING, 7, 16,
           "“ #1”被当作注释忽略了（YAML 中空格后面的 # 开始注释）");
    EXPECT(ITEM("#1 号楼"), false, HU_WARNING, 7, 9, "“ #1 号楼”被当作注释忽略了");
    int l, c;
    /* a comment written as one ("# ...") and a # inside a word are no mistake */
    assert_string_equal(first_msg(ITEM("加强金融服务  # 待核实"), false, HU_WARNING, &l, &c), "");
    assert_string_equal(first_msg(ITEM("推进3#厂房建设"), false, HU_WARNING, &l, &c), "");
    assert_string_equal(first_msg(ITEM("\"加强 #1\""), false, HU_WARNING, &l, &c), "");
}

/* Many of one notice: ten places and a count, so that errors are not crowded out. */
static void test_repeated_notices_are_counted(void **state) {
    (void)state;
    hu_buf b = HU_BUF_INIT;
    hu_buf_puts(&b, HEAD "attachments:\n");
    for (int i = 0; i < 15; i++)
        hu_buf_printf(&b, "  - 附件 #%d\n  - \xe3\x80\x80表%d\n", i, i);
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    assert_non_null(hu_value_load_string(&a, b.data, b.len, "t.yaml", false, &d));
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.warnings, 11);
    assert_int_equal(d.n, 22);
    assert_non_null(strstr(d.v[20].msg, "另有 5 处文字后面的“ #”被当作注释忽略了"));
    assert_non_null(strstr(d.v[21].msg, "另有 5 段文字中的 Word 或网页格式字符已清理"));
    hu_diags_free(&d);
    hu_arena_free(&a);
    hu_buf_free(&b);
}

static void test_json(void **state) {
    (void)state;
    JSON_ERROR_AT("{\n  \"title\": “汇报”,\n  \"org\": \"y\"\n}\n", 2, 12,
                  "这里是中文引号“”：JSON 的字符串和字段名要用英文双引号，请把“汇报”改为 \"汇报\"");
    JSON_ERROR_AT("{\n  “title”: \"汇报\"\n}\n", 2, 3, "请把“title”改为 \"title\"");
    JSON_ERROR_AT("{\n  \"title\": \"汇报\",\n  \"org\": \"y\",\n}\n", 3, 13,
                  "最后一项后面多了逗号：JSON 中“}”或“]”前面不能有逗号，请删去这个逗号");
    JSON_ERROR_AT("{\"a\": [\"x\", \"y\",]}", 1, 16, "最后一项后面多了逗号");
    JSON_ERROR_AT("{\n  \"title\": \"汇报\"\n  \"org\": \"y\"\n}\n", 2, 16,
                  "这里缺少逗号：JSON 中相邻的两项之间要用英文逗号“,”分隔（这一行的末尾）");
    JSON_ERROR_AT("{\n  \"org\": \"某某单位\"，\n  \"a\": 1\n}\n", 2, 16, "这里是全角逗号“，”");
    JSON_ERROR_AT("{\n  \"org\"： \"y\"\n}\n", 2, 8, "这里是全角冒号“：”");
    JSON_ERROR_AT("{\n  'org': 'y'\n}\n", 2, 3, "不能用单引号");
    JSON_ERROR_AT("{\n  \"org\": \"y\" // 单位\n}\n", 2, 14, "JSON 不能写注释");
    JSON_ERROR_AT("{\n  \"org\": 某某单位\n}\n", 2, 10,
                  "JSON 中的文字要加英文双引号：“某某单位”应写作 \"某某单位\"");
    JSON_ERROR_AT("{\n  \"a\": [\"x\", \"y\"\n}\n", 2, 8, "括号不配对：这个“[”没有对应的“]”");
    JSON_ERROR_AT("{\n  \"a\": \"x\"\n", 1, 1, "文件在它关闭之前就结束了");
}

static void test_fallback_keeps_english_in_parentheses(void **state) {
    (void)state;
    hu_synhint h;
    hu_syntax_explain("a: b\n", 5, false, 1, 1, "some new libfyaml message", &h);
    assert_string_equal(h.msg,
                        "YAML 格式错误：格式不正确（解析器原文：some new libfyaml message）");
    hu_syntax_explain("a: b\n", 5, false, 1, 3, "did not find expected key", &h);
    assert_non_null(strstr(h.msg, "YAML 格式错误：这里应为“字段: 值”"));
    assert_int_equal(h.line, 1);
    assert_int_equal(h.col, 3);
    /* positions past the text are safe */
    hu_syntax_explain("a: b", 4, true, 99, 99, "missing comma in flow mapping", &h);
    assert_true(h.msg[0] != 0);
}

static void test_paste_clean(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_paste_counts c;
    size_t n;
    const char *s = "\xe3\x80\x80\xe3\x80\x80元旦期间\xe2\x80\x8b平稳\n"
                    "\xe3\x80\x80第二段 Windows\xc2\xa0"
                    "10，姓\xe3\x80\x80名";
    char *t = hu_paste_clean(&a, s, strlen(s), &n, &c);
    assert_non_null(t);
    assert_string_equal(t, "元旦期间平稳\n第二段 Windows 10，姓\xe3\x80\x80名");
    assert_int_equal(n, strlen(t));
    assert_int_equal(c.indents, 3);
    assert_int_equal(c.spaces, 1);
    assert_int_equal(c.invisible, 1);
    char d[256];
    hu_paste_describe(&c, d, sizeof d);
    assert_string_equal(d, "段首的全角空格 3 个（已去掉，段首缩进由排版生成）、不间断空格 1 个（已"
                           "换成普通空格）、看不见的零宽字符 1 个（已去掉）");
    assert_null(hu_paste_clean(&a, "姓\xe3\x80\x80名", 7, &n, &c)); /* nothing to clean */
    /* a joiner inside an emoji sequence stays */
    const char *e = "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x92\xbb";
    assert_null(hu_paste_clean(&a, e, strlen(e), &n, &c));
    assert_int_equal(hu_paste_find("  |\n    \xe3\x80\x80x", 12), 8);
    assert_int_equal(hu_paste_find("ab\xe3\x80\x80x", 6), (size_t)-1);
    hu_arena_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fullwidth_colon),
        cmocka_unit_test(test_indentation),
        cmocka_unit_test(test_text_starting_with_syntax),
        cmocka_unit_test(test_colon_and_missing_dash),
        cmocka_unit_test(test_comment_warning),
        cmocka_unit_test(test_repeated_notices_are_counted),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_fallback_keeps_english_in_parentheses),
        cmocka_unit_test(test_paste_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
