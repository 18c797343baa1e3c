/* test_mustache.c - the Mustache spec (../shared/mustache-spec, or the vendored copy in
 * tests/mustache-spec) and the engine's own rules: Markdown escaping checked through cmark-gfm,
 * path containment, error locations, depth limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "arena.h"
#include "buf.h"
#include "error.h"
#include "markdown.h"
#include "mustache.h"
#include "value.h"

/* The spec lives in ../shared/mustache-spec beside the checkout on developers' machines; a
 * clean clone elsewhere (CI) may not have it, so a copy of the same spec version is vendored
 * under tests/mustache-spec (MIT, LICENSE beside it). HU_SHARED_DIR overrides both. */
static const char *shared_dir(void) {
    const char *s = getenv("HU_SHARED_DIR");
    if (s && *s) return s;
    if (access(HU_SOURCE_DIR "/../shared/mustache-spec/comments.json", R_OK) == 0)
        return HU_SOURCE_DIR "/../shared";
    return HU_SOURCE_DIR "/tests";
}

/* ------------------------------------------------------------------ spec */

static const char *const modules[] = {"comments", "delimiters", "interpolation", "inverted",
                                      "partials", "sections",   "~inheritance",  "~dynamic-names"};

static void test_spec(void **state) {
    (void)state;
    size_t total_pass = 0, total_fail = 0;
    for (size_t m = 0; m < sizeof modules / sizeof *modules; m++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/mustache-spec/%s.json", shared_dir(), modules[m]);
        hu_arena a;
        hu_arena_init(&a);
        hu_diags d = HU_DIAGS_INIT;
        hu_value *spec = hu_value_load_file(&a, path, NULL, &d);
        if (!spec) hu_diags_print(stderr, &d);
        assert_non_null(spec);
        hu_value *tests = hu_v_get(spec, "tests");
        assert_non_null(tests);
        size_t pass = 0, fail = 0;
        for (size_t i = 0; i < tests->n; i++) {
            hu_value *t = tests->items[i];
            hu_value *name = hu_v_get(t, "name"), *tpl = hu_v_get(t, "template");
            hu_value *exp = hu_v_get(t, "expected");
            hu_mustache_opts o = {HU_ESC_HTML, NULL, 0, false, NULL, NULL, NULL, NULL, NULL};
            hu_buf out = HU_BUF_INIT;
            hu_diags dd = HU_DIAGS_INIT;
            hu_value *partials = hu_v_get(t, "partials");
            int rc = hu_mustache_render_string(tpl->str, tpl->len, name->str, hu_v_get(t, "data"),
                                               &o, partials ? partials : hu_v_map(&a), &out, &dd)
                         ? 0
                         : 1;
            if (rc == 0 && out.len == exp->len && memcmp(out.data, exp->str, exp->len) == 0) {
                pass++;
            } else {
                fail++;
                fprintf(stderr,
                        "FAIL %s / %s\n  template: %s\n  expected: [%s]\n  got:      [%s]\n",
                        modules[m], name->str, tpl->str, exp->str, out.data ? out.data : "");
                hu_diags_print(stderr, &dd);
            }
            hu_buf_free(&out);
            hu_diags_free(&dd);
        }
        printf("%s: %zu passed, %zu failed\n", modules[m], pass, fail);
        total_pass += pass;
        total_fail += fail;
        hu_diags_free(&d);
        hu_arena_free(&a);
    }
    printf("mustache spec (%s/mustache-spec): %zu/%zu\n", shared_dir(), total_pass,
           total_pass + total_fail);
    assert_int_equal(total_fail, 0);
    assert_int_equal(total_pass, 184);
}

/* ------------------------------------------------------------------ helpers */

static hu_arena A;

static hu_value *yaml(const char *s) {
    hu_diags d = HU_DIAGS_INIT;
    hu_value *v = hu_value_load_string(&A, s, strlen(s), "data", false, &d);
    if (!v) hu_diags_print(stderr, &d);
    hu_diags_free(&d);
    assert_non_null(v);
    return v;
}

/* Render with Markdown escaping; returns malloc'd output (NULL and diags kept on error). */
static char *md_render(const char *tpl, const hu_value *ctx) {
    hu_mustache_opts o = {HU_ESC_MARKDOWN, NULL, 0, true, NULL, NULL, NULL, NULL, NULL};
    hu_buf out = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    int rc = hu_mustache_render_string(tpl, strlen(tpl), "t", ctx, &o, NULL, &out, &d) ? 0 : 1;
    if (rc) hu_diags_print(stderr, &d);
    hu_diags_free(&d);
    assert_int_equal(rc, 0);
    return hu_buf_detach(&out);
}

static bool is_autolink(cmark_node *n) {
    cmark_node *c = cmark_node_first_child(n);
    if (!c || cmark_node_next(c) || cmark_node_get_type(c) != CMARK_NODE_TEXT) return false;
    const char *url = cmark_node_get_url(n), *text = cmark_node_get_literal(c);
    size_t ul = strlen(url), tl = strlen(text);
    return ul >= tl && strcmp(url + ul - tl, text) == 0;
}

/* Concatenated literal text of the tree, and whether a formatting node occurs in it. */
static bool has_formatting(cmark_node *doc, hu_buf *text, const char *allow) {
    bool bad = false;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node *n = cmark_iter_get_node(it);
        const char *ts = cmark_node_get_type_string(n);
        if (strcmp(ts, "text") == 0) {
            hu_buf_puts(text, cmark_node_get_literal(n));
        } else if (strcmp(ts, "softbreak") == 0) {
            hu_buf_putc(text, '\n');
        } else if (strcmp(ts, "link") == 0 && is_autolink(n)) {
            /* a bare URL or e-mail address in data is linked by GFM's autolink extension:
             * the text stays the same, which is all "literal" asks for */
        } else if (strcmp(ts, "document") != 0 && strcmp(ts, "paragraph") != 0 &&
                   !strstr(allow, ts)) {
            fprintf(stderr, "unexpected node: %s\n", ts);
            bad = true;
        }
    }
    cmark_iter_free(it);
    return bad;
}

/* ------------------------------------------------------------------ markdown escaping */

/* allow: node types the template itself makes ("list item", "heading", "block_quote"). */
static void check_literal_in(const char *tpl, const char *value, const char *allow) {
    hu_value *ctx = hu_v_map(&A);
    hu_v_set_str(&A, ctx, "x", value);
    char *md = md_render(tpl, ctx);
    cmark_node *doc = hu_doc_parse(md, strlen(md));
    assert_non_null(doc);
    hu_buf text = HU_BUF_INIT;
    bool bad = has_formatting(doc, &text, allow);
    /* the whole value must come back as text (surrounding blanks are not content) */
    char trimmed[256];
    const char *v = value;
    while (*v == ' ')
        v++;
    snprintf(trimmed, sizeof trimmed, "%s", v);
    for (size_t l = strlen(trimmed); l && trimmed[l - 1] == ' ';)
        trimmed[--l] = 0;
    if (bad || !strstr(hu_buf_cstr(&text), trimmed))
        fprintf(stderr, "value [%s]\n  md   [%s]\n  text [%s]\n", value, md, hu_buf_cstr(&text));
    assert_false(bad);
    assert_non_null(strstr(hu_buf_cstr(&text), trimmed));
    hu_buf_free(&text);
    cmark_node_free(doc);
    free(md);
}

static void check_literal(const char *tpl, const char *value) {
    check_literal_in(tpl, value, "");
}

static void test_markdown_escape(void **state) {
    (void)state;
    static const char *const values[] = {
        "*强调*",       "**粗体**",   "_下划线_",     "__x__",
        "# 标题",       "## 二级",    "|a|b|",        "[链接](x.png)",
        "![图](a.png)", "`代码`",     "<b>html</b>",  "<http://example.com>",
        "a\\b",         "\\*",        "~~删除~~",     "~x~",
        "1. 列表",      "1) 列表",    "- 列表",       "+ 列表",
        "* 列表",       "> 引用",     "---",          "===",
        "***",          "&amp;",      "&#35;",        "a]b[c",
        "12. x",        "[x]: y",     "    缩进代码", "```",
        "~~~",          "<!-- c -->", "x  ",          "a|b",
        "\\",           "[^1]",       "- [ ] 任务",
    };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        const char *v = values[i];
        /* at the start of a paragraph, in the middle of one, in a heading, in a list item */
        check_literal("{{x}}\n", v);
        check_literal("前文{{x}}后文\n", v);
        check_literal("前文\n{{x}}\n", v);
        check_literal("{{x}}{{x}}\n", v);
        check_literal_in("## {{x}}\n", v, "heading");
        check_literal_in("- {{x}}\n", v, "list item");
        check_literal_in("1. {{x}}\n", v, "list item");
        check_literal_in("> {{x}}\n", v, "block_quote");
        check_literal_in("> - {{x}}\n", v, "block_quote list item");
    }
    /* in a table cell the value stays inside its cell */
    hu_value *ctx = hu_v_map(&A);
    hu_v_set_str(&A, ctx, "x", "a|b*c*");
    char *md = md_render("| h1 | h2 |\n|---|---|\n| {{x}} | y |\n", ctx);
    cmark_node *doc = hu_doc_parse(md, strlen(md));
    cmark_node *table = cmark_node_first_child(doc);
    assert_string_equal(cmark_node_get_type_string(table), "table");
    cmark_node *row = cmark_node_next(cmark_node_first_child(table));
    cmark_node *cell = cmark_node_first_child(row);
    assert_string_equal(cmark_node_get_type_string(cell), "table_cell");
    hu_buf text = HU_BUF_INIT;
    for (cmark_node *n = cmark_node_first_child(cell); n; n = cmark_node_next(n)) {
        assert_string_equal(cmark_node_get_type_string(n), "text");
        hu_buf_puts(&text, cmark_node_get_literal(n));
    }
    assert_string_equal(hu_buf_cstr(&text), "a|b*c*");
    hu_buf_free(&text);
    cmark_node_free(doc);
    free(md);
}

static void test_markdown_minimal(void **state) {
    (void)state;
    hu_value *ctx = yaml("a: 坚持高位推动，全区完成“十四五”规划目标（95.2%）。\n"
                         "b: \"第一行\\n第二行\\nand more\\nwords\\n\"\n"
                         "c: \"-3.2\"\n"
                         "d: \"1. 第一\"\n");
    char *md = md_render("{{a}}\n{{b}}。\n增长{{c}}%\n{{c}}\n{{d}}\n前{{d}}\n{{{d}}}\n", ctx);
    assert_string_equal(md, "坚持高位推动，全区完成“十四五”规划目标（95.2%）。\n"
                            "第一行第二行and more words。\n"
                            "增长-3.2%\n"
                            "\\-3.2\n"
                            "1\\. 第一\n"
                            "前1. 第一\n"
                            "1. 第一\n");
    free(md);
    /* HTML and none */
    hu_buf b = HU_BUF_INIT;
    hu_mustache_escape(&b, "<a href=\"x\">&</a>", 17, HU_ESC_HTML, false);
    assert_string_equal(hu_buf_cstr(&b), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    hu_buf_clear(&b);
    hu_mustache_escape(&b, "*x*", 3, HU_ESC_NONE, true);
    assert_string_equal(hu_buf_cstr(&b), "*x*");
    hu_buf_free(&b);
    hu_escape e;
    assert_true(hu_mustache_escape_parse("markdown", &e) && e == HU_ESC_MARKDOWN);
    assert_true(hu_mustache_escape_parse("html", &e) && e == HU_ESC_HTML);
    assert_true(hu_mustache_escape_parse("none", &e) && e == HU_ESC_NONE);
    assert_false(hu_mustache_escape_parse("latex", &e));
}

/* ------------------------------------------------------------------ files */

static char tmpdir[256];

static void write_file(const char *rel, const char *text) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, rel);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup_dir(void **state) {
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/hu_mustache_XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    char p[512];
    snprintf(p, sizeof p, "%s/tpl", tmpdir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/shared", tmpdir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/tpl/sub", tmpdir);
    mkdir(p, 0755);
    write_file("secret.mustache", "SECRET");
    write_file("tpl/a.mustache", "A{{>b}}{{>sub/c}}");
    write_file("tpl/b.mustache", "B");
    write_file("tpl/sub/c.mustache", "C");
    write_file("shared/s.mustache", "S{{x}}");
    char target[512], link[512];
    snprintf(target, sizeof target, "%s/secret.mustache", tmpdir);
    snprintf(link, sizeof link, "%s/tpl/evil.mustache", tmpdir);
    if (symlink(target, link) != 0) return -1;
    snprintf(target, sizeof target, "%s/tpl/b.mustache", tmpdir);
    snprintf(link, sizeof link, "%s/tpl/good.mustache", tmpdir);
    if (symlink(target, link) != 0) return -1;
    return 0;
}

static int teardown_dir(void **state) {
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

typedef struct deps {
    hu_buf list;
} deps;

static void on_file(void *ud, const char *path) {
    deps *dp = ud;
    const char *base = strrchr(path, '/');
    hu_buf_puts(&dp->list, base ? base + 1 : path);
    hu_buf_putc(&dp->list, ';');
}

/* Render tpl/NAME.mustache (written first from text); returns rc, output and first diag. */
static int render_tmp(const char *text, hu_buf *out, char *msg, size_t msgsize) {
    write_file("tpl/main.mustache", text);
    char path[512], shared[512];
    snprintf(path, sizeof path, "%s/tpl/main.mustache", tmpdir);
    snprintf(shared, sizeof shared, "%s/shared", tmpdir);
    const char *dirs[] = {shared};
    hu_mustache_opts o = {HU_ESC_MARKDOWN, dirs, 1, true, NULL, NULL, NULL, NULL, NULL};
    hu_value *ctx = yaml("x: 1\nn: [1, 2]\n");
    hu_diags d = HU_DIAGS_INIT;
    int rc = hu_mustache_render_file(path, ctx, &o, out, &d) ? 0 : 1;
    msg[0] = 0;
    if (d.n) hu_diag_format(&d.v[0], msg, msgsize);
    hu_diags_free(&d);
    return rc;
}

static void test_files_and_deps(void **state) {
    (void)state;
    char path[512], shared[512];
    snprintf(path, sizeof path, "%s/tpl/a.mustache", tmpdir);
    snprintf(shared, sizeof shared, "%s/shared", tmpdir);
    const char *dirs[] = {shared};
    deps dp = {HU_BUF_INIT};
    hu_mustache_opts o = {HU_ESC_MARKDOWN, dirs, 1, true, on_file, &dp, NULL, NULL, NULL};
    hu_buf out = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_mustache_render_file(path, hu_v_map(&A), &o, &out, &d));
    assert_string_equal(hu_buf_cstr(&out), "ABC");
    assert_string_equal(hu_buf_cstr(&dp.list), "a.mustache;b.mustache;c.mustache;");
    hu_buf_free(&out);
    hu_buf_free(&dp.list);
    hu_diags_free(&d);

    char msg[1024];
    /* shared folder, symlink inside the allowed folders */
    assert_int_equal(render_tmp("{{>s}}{{>good}}", &out, msg, sizeof msg), 0);
    assert_string_equal(hu_buf_cstr(&out), "S1B");
    hu_buf_free(&out);
}

static void expect_error(const char *tpl, const char *where, const char *what) {
    hu_buf out = HU_BUF_INIT;
    char msg[1024];
    int rc = render_tmp(tpl, &out, msg, sizeof msg);
    if (rc == 0 || !strstr(msg, where) || !strstr(msg, what))
        fprintf(stderr, "template [%s]: rc %d, message [%s]\n", tpl, rc, msg);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(msg, where));
    assert_non_null(strstr(msg, what));
    hu_buf_free(&out);
}

static void test_path_escapes(void **state) {
    (void)state;
    expect_error("{{>../secret}}", "main.mustache:1:1:", "无效");
    expect_error("x\n  {{>sub/../../secret}}", "main.mustache:2:3:", "无效");
    expect_error("{{>/etc/passwd}}", "main.mustache:1:1:", "无效");
    expect_error("{{>evil}}", "main.mustache:1:1:", "之外");
    expect_error("{{<evil}}{{/evil}}", "main.mustache:1:1:", "之外");
}

static void test_error_locations(void **state) {
    (void)state;
    expect_error("第一行\n  {{#n}}\n没有结束", "main.mustache:2:3:", "没有结束标签");
    expect_error("{{#a}}\n{{#b}}\n{{/a}}\n", "main.mustache:3:1:", "不匹配");
    expect_error("中文{{/a}}", "main.mustache:1:3:", "没有对应的开始标签");
    expect_error("abc\n中文 {{x", "main.mustache:2:4:", "没有结束分隔符");
    expect_error("{{=<%=}}", "main.mustache:1:1:", "分隔符");
    expect_error("{{= a=b c =}}", "main.mustache:1:1:", "分隔符");
    expect_error("a {{>nope}}", "main.mustache:1:3:", "找不到局部模板");
    expect_error("{{<nope}}{{/nope}}", "main.mustache:1:1:", "找不到局部模板");
    expect_error("{{}}", "main.mustache:1:1:", "标签名为空");
    /* an error inside a partial names the partial's file */
    write_file("tpl/broken.mustache", "ok\n{{#x}}");
    expect_error("{{>broken}}", "broken.mustache:2:1:", "没有结束标签");
}

static void test_depth_limit(void **state) {
    (void)state;
    write_file("tpl/self.mustache", "x{{>self}}");
    expect_error("{{>self}}", "self.mustache:1:2:", "嵌套超过");
    /* dynamic recursion in spec (non-strict) mode is stopped too */
    hu_value *parts = yaml("p: \"{{>*name}}\"\n");
    hu_value *ctx = yaml("name: p\n");
    hu_mustache_opts o = {HU_ESC_HTML, NULL, 0, false, NULL, NULL, NULL, NULL, NULL};
    hu_buf out = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    assert_false(hu_mustache_render_string("{{>p}}", 6, "t", ctx, &o, parts, &out, &d));
    assert_true(d.errors >= 1);
    hu_buf_free(&out);
    hu_diags_free(&d);
}

static void test_work_limit(void **state) {
    (void)state;
    /* sections over a 100-item list six deep print nothing for 10^12 steps: the work budget
     * ends it with a located error, in well under a second */
    hu_value *ctx =
        yaml("l: [0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,"
             "5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,"
             "0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9]\n");
    const char *t = "x\n{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}";
    hu_mustache_opts o = {HU_ESC_HTML, NULL, 0, true, NULL, NULL, NULL, NULL, NULL};
    hu_buf out = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    assert_false(hu_mustache_render_string(t, strlen(t), "t", ctx, &o, NULL, &out, &d));
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.v[0].msg, "工作量超过上限"));
    assert_int_equal(d.v[0].line, 2);
    hu_buf_free(&out);
    hu_diags_free(&d);
}

static void test_output_limit(void **state) {
    (void)state;
    /* 12 partials, each including the next twice, the last 64 KB of text: 2^12 copies = 256 MB
     * of output from little work. Rendering stops with an error at the documented output limit
     * instead (the work budget is test_work_limit's). */
    hu_buf y = HU_BUF_INIT;
    for (char c = 'a'; c < 'm'; c++)
        hu_buf_printf(&y, "%c: \"{{>%c}}{{>%c}}\"\n", c, c + 1, c + 1);
    hu_buf_puts(&y, "m: \"");
    for (int i = 0; i < 4096; i++)
        hu_buf_puts(&y, "0123456789abcdef");
    hu_buf_puts(&y, "\"\n");
    hu_value *parts = yaml(y.data);
    hu_value *ctx = yaml("x: 1\n");
    hu_mustache_opts o = {HU_ESC_HTML, NULL, 0, true, NULL, NULL, NULL, NULL, NULL};
    hu_buf out = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    assert_false(hu_mustache_render_string("{{>a}}", 6, "t", ctx, &o, parts, &out, &d));
    assert_int_equal(d.errors, 1);
    assert_true(out.len <= (size_t)HU_MUSTACHE_MAX_OUTPUT + 65536 + 64); /* one token past */
    assert_non_null(strstr(d.v[0].msg, "模板输出超过"));
    hu_buf_free(&y);
    hu_buf_free(&out);
    hu_diags_free(&d);
}

static void test_deep_nesting(void **state) {
    (void)state;
    /* 10,000 nested sections render without recursion */
    hu_buf t = HU_BUF_INIT;
    for (int i = 0; i < 10000; i++)
        hu_buf_puts(&t, "{{#a}}");
    hu_buf_puts(&t, "{{b}}");
    for (int i = 0; i < 10000; i++)
        hu_buf_puts(&t, "{{/a}}");
    hu_value *ctx = yaml("a: true\nb: 深\n");
    hu_mustache_opts o = {HU_ESC_MARKDOWN, NULL, 0, true, NULL, NULL, NULL, NULL, NULL};
    hu_buf out = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_mustache_render_string(t.data, t.len, "t", ctx, &o, NULL, &out, &d));
    assert_string_equal(hu_buf_cstr(&out), "深");
    hu_buf_free(&out);
    hu_buf_free(&t);
    hu_diags_free(&d);
}

static void test_inheritance_override(void **state) {
    (void)state;
    write_file("tpl/base.mustache",
               "# {{$title}}默认标题{{/title}}\n\n{{$body}}\n正文\n{{/body}}\n");
    hu_buf out = HU_BUF_INIT;
    char msg[1024];
    assert_int_equal(render_tmp("{{<base}}\n{{$body}}\n覆盖的正文{{x}}\n{{/body}}\n{{/base}}\n",
                                &out, msg, sizeof msg),
                     0);
    assert_string_equal(hu_buf_cstr(&out), "# 默认标题\n\n覆盖的正文1\n");
    hu_buf_free(&out);
}

static const char *source_dir(void) {
    const char *s = getenv("HU_SOURCE_DIR");
    return s && *s ? s : HU_SOURCE_DIR;
}

static char *slurp(FILE *f) {
    hu_buf b = HU_BUF_INIT;
    char chunk[4096];
    size_t n;
    rewind(f);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        hu_buf_put(&b, chunk, n);
    return hu_buf_detach(&b);
}

/* `huibao render`: a page extending a layout, partials beside it, YAML data. */
static void test_render_cmd(void **state) {
    (void)state;
    char tpl[4096], data[4096], exp[4096];
    snprintf(tpl, sizeof tpl, "%s/tests/data/mustache/page.mustache", source_dir());
    snprintf(data, sizeof data, "%s/tests/data/mustache/data.yaml", source_dir());
    snprintf(exp, sizeof exp, "%s/tests/data/mustache/expected.md", source_dir());
    FILE *f = tmpfile();
    assert_non_null(f);
    hu_diags d = HU_DIAGS_INIT;
    int rc = hu_mustache_render_cmd(tpl, data, HU_ESC_MARKDOWN, f, &d) ? 0 : 1;
    hu_diags_print(stderr, &d);
    assert_int_equal(rc, 0);
    char *got = slurp(f);
    fclose(f);
    FILE *e = fopen(exp, "rb");
    assert_non_null(e);
    char *want = slurp(e);
    fclose(e);
    assert_string_equal(got, want);
    free(got);
    free(want);
    /* a missing data file is an error, nothing is written */
    f = tmpfile();
    rc = hu_mustache_render_cmd(tpl, "/nonexistent.yaml", HU_ESC_MARKDOWN, f, &d) ? 0 : 1;
    assert_int_not_equal(rc, 0);
    assert_int_equal(ftell(f), 0);
    fclose(f);
    hu_diags_free(&d);
}

/* ------------------------------------------------------------------ structural blocks */

typedef struct {
    char name[16];
    size_t start, end;
} span;
static span SPANS[8];
static size_t NSPANS;

static void on_block(void *ud, const char *name, size_t len, size_t start, size_t end) {
    (void)ud;
    assert_true(NSPANS < 8 && len < 16);
    memcpy(SPANS[NSPANS].name, name, len);
    SPANS[NSPANS].name[len] = 0;
    SPANS[NSPANS].start = start;
    SPANS[NSPANS].end = end;
    NSPANS++;
}

static const char *const NAMES[] = {"recipient", "signature", "blank", NULL};

static int blocks_render(const char *tpl, const hu_value *ctx, hu_buf *out, hu_diags *d) {
    hu_mustache_opts o = {HU_ESC_MARKDOWN, NULL, 0, true, NULL, NULL, NAMES, on_block, NULL};
    NSPANS = 0;
    return hu_mustache_render_string(tpl, strlen(tpl), "t.mustache", ctx, &o, NULL, out, d) ? 0 : 1;
}

/* {{@name}}…{{/name}} reports the output range it made, out of band; values can neither open
 * nor fake a block; unknown names and nesting are template errors at the tag. */
static void test_structural_blocks(void **state) {
    (void)state;
    hu_buf out = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    hu_value *ctx = yaml("to: 区委：\norg: '{{@signature}}<!-- signature -->'\nlist: [a, b]\n");
    const char *tpl = "# 题\n\n{{@recipient}}\n{{to}}\n{{/recipient}}\n\n正文{{org}}\n\n"
                      "{{@blank}}{{/blank}}\n{{#list}}{{.}}{{/list}}\n\n{{@signature}}\n某局\n\n"
                      "{{#list}}\n{{.}}\n{{/list}}\n{{/signature}}\n";
    assert_int_equal(blocks_render(tpl, ctx, &out, &d), 0);
    const char *o = hu_buf_cstr(&out);
    /* the tags write nothing and their lines go (standalone); the value's "tags" are text */
    assert_string_equal(o, "# 题\n\n区委：\n\n正文{{@signature}}\\<!-- signature -->\n\nab\n\n"
                           "某局\n\na\nb\n");
    assert_int_equal(NSPANS, 3);
    assert_string_equal(SPANS[0].name, "recipient");
    assert_int_equal(SPANS[0].end - SPANS[0].start, strlen("区委：\n"));
    assert_memory_equal(o + SPANS[0].start, "区委：\n", strlen("区委：\n"));
    assert_string_equal(SPANS[1].name, "blank");
    assert_int_equal(SPANS[1].start, SPANS[1].end);
    assert_string_equal(SPANS[2].name, "signature");
    assert_string_equal(o + SPANS[2].start, "某局\n\na\nb\n");
    hu_buf_clear(&out);

    /* an unknown name: an error at the tag naming the known ones */
    assert_int_not_equal(blocks_render("a\n{{@sigature}}\nx\n{{/sigature}}\n", ctx, &out, &d), 0);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.v[0].line, 2);
    assert_int_equal(d.v[0].col, 1);
    assert_non_null(strstr(d.v[0].msg, "sigature"));
    assert_non_null(strstr(d.v[0].msg, "recipient signature blank"));
    hu_buf_clear(&out);
    /* nesting */
    assert_int_not_equal(
        blocks_render("{{@signature}}\n{{@blank}}{{/blank}}\n{{/signature}}\n", ctx, &out, &d), 0);
    assert_int_equal(d.errors, 2);
    assert_non_null(strstr(d.v[1].msg, "不能放在另一个结构块"));
    assert_int_equal(d.v[1].line, 2);
    hu_buf_clear(&out);
    /* a close that does not match */
    assert_int_not_equal(blocks_render("{{@blank}}\n{{/signature}}\n", ctx, &out, &d), 0);
    assert_int_equal(d.errors, 3);
    hu_buf_clear(&out);
    /* nobody asking for blocks (huibao render): the content, no error */
    hu_mustache_opts plain = {HU_ESC_MARKDOWN, NULL, 0, true, NULL, NULL, NULL, NULL, NULL};
    const char *t2 = "{{@anything}}\nx\n{{/anything}}\n";
    assert_true(hu_mustache_render_string(t2, strlen(t2), "t", ctx, &plain, NULL, &out, &d));
    assert_string_equal(hu_buf_cstr(&out), "x\n");
    assert_int_equal(d.errors, 3);
    hu_buf_free(&out);
    hu_diags_free(&d);
}

/* Render tpl/NAME (an existing file) with the shared folder; rc 0 ok, the output, the deps
 * callback's list and the first message. */
static int render_named(const char *name, hu_buf *out, hu_buf *deplist, char *msg, size_t msgsize) {
    char path[512], shared[512];
    snprintf(path, sizeof path, "%s/tpl/%s", tmpdir, name);
    snprintf(shared, sizeof shared, "%s/shared", tmpdir);
    const char *dirs[] = {shared};
    deps dp = {HU_BUF_INIT};
    hu_mustache_opts o = {HU_ESC_MARKDOWN, dirs, 1, true, on_file, &dp, NULL, NULL, NULL};
    hu_diags d = HU_DIAGS_INIT;
    int rc = hu_mustache_render_file(path, yaml("x: 1\n"), &o, out, &d) ? 0 : 1;
    msg[0] = 0;
    if (d.n) hu_diag_format(&d.v[0], msg, msgsize);
    hu_diags_free(&d);
    hu_buf_clear(deplist);
    hu_buf_puts(deplist, hu_buf_cstr(&dp.list));
    hu_buf_free(&dp.list);
    return rc;
}

/* The process's memo (hu_mustache_memo): real paths as realpath gives them, links and escapes
 * still checked, every file read reported to the deps callback, texts kept until it is turned
 * off, files with errors reported every time. */
static void test_memo(void **state) {
    (void)state;
    hu_mustache_memo(true);
    const char *rel[] = {"/tpl/b.mustache",
                         "/tpl/good.mustache",
                         "/tpl/evil.mustache",
                         "/tpl/nope.mustache",
                         "/tpl/sub/../b.mustache",
                         "/tpl/sub/c.mustache",
                         "/tpl/.",
                         "/tpl/sub/..",
                         "/tpl/b.mustache/x",
                         "/nope/b.mustache",
                         "/tpl/sub/",
                         "/tpl//sub//c.mustache",
                         ""};
    for (int pass = 0; pass < 2; pass++) /* the second from the memo */
        for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
            char p[512];
            snprintf(p, sizeof p, "%s%s", tmpdir, rel[i]);
            char *want = realpath(p, NULL), *got = hu_mustache_realpath(p);
            if (!want != !got || (want && strcmp(want, got)))
                fprintf(stderr, "%s: realpath %s, memo %s\n", p, want ? want : "NULL",
                        got ? got : "NULL");
            assert_true(!want == !got);
            if (want) assert_string_equal(got, want);
            free(want);
            free(got);
        }
    char *root = hu_mustache_realpath("/"), *tmp = hu_mustache_realpath("/tmp");
    char *want = realpath("/tmp", NULL);
    assert_string_equal(root, "/");
    assert_string_equal(tmp, want);
    free(root), free(tmp), free(want);

    hu_buf out = HU_BUF_INIT, dl = HU_BUF_INIT;
    char msg[1024];
    write_file("tpl/m1.mustache", "{{>good}}{{>sub/c}}{{>s}}");
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(render_named("m1.mustache", &out, &dl, msg, sizeof msg), 0);
        assert_string_equal(hu_buf_cstr(&out), "BCS1");
        assert_string_equal(hu_buf_cstr(&dl), "m1.mustache;good.mustache;c.mustache;s.mustache;");
        hu_buf_clear(&out);
    }
    write_file("tpl/m2.mustache", "{{>evil}}");
    for (int pass = 0; pass < 2; pass++) {
        assert_int_not_equal(render_named("m2.mustache", &out, &dl, msg, sizeof msg), 0);
        assert_non_null(strstr(msg, "之外"));
        hu_buf_clear(&out);
    }
    /* a file's text is kept while the memo is on */
    write_file("tpl/m3.mustache", "{{>p3}}");
    write_file("tpl/p3.mustache", "one");
    assert_int_equal(render_named("m3.mustache", &out, &dl, msg, sizeof msg), 0);
    assert_string_equal(hu_buf_cstr(&out), "one");
    hu_buf_clear(&out);
    write_file("tpl/p3.mustache", "two");
    assert_int_equal(render_named("m3.mustache", &out, &dl, msg, sizeof msg), 0);
    assert_string_equal(hu_buf_cstr(&out), "one");
    hu_buf_clear(&out);
    /* a file that is not UTF-8 is not kept: reported by every render */
    write_file("tpl/m4.mustache", "{{>bad}}");
    write_file("tpl/bad.mustache", "\xff");
    for (int pass = 0; pass < 2; pass++) {
        assert_int_not_equal(render_named("m4.mustache", &out, &dl, msg, sizeof msg), 0);
        assert_non_null(strstr(msg, "UTF-8"));
        hu_buf_clear(&out);
    }
    /* off: read again */
    hu_mustache_memo(false);
    assert_int_equal(render_named("m3.mustache", &out, &dl, msg, sizeof msg), 0);
    assert_string_equal(hu_buf_cstr(&out), "two");
    hu_buf_free(&out);
    hu_buf_free(&dl);
}

int main(void) {
    hu_arena_init(&A);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec),
        cmocka_unit_test(test_markdown_escape),
        cmocka_unit_test(test_markdown_minimal),
        cmocka_unit_test(test_files_and_deps),
        cmocka_unit_test(test_path_escapes),
        cmocka_unit_test(test_error_locations),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_output_limit),
        cmocka_unit_test(test_work_limit),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_inheritance_override),
        cmocka_unit_test(test_render_cmd),
        cmocka_unit_test(test_structural_blocks),
        cmocka_unit_test(test_memo),
    };
    int rc = cmocka_run_group_tests(tests, setup_dir, teardown_dir);
    hu_arena_free(&A);
    return rc;
}
