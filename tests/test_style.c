/* test_style.c - style.yaml: one validator for every section (settings: included) with
 * did-you-mean, 字号 names, derived characters per line and lines per page, a template chain
 * where each file overrides only the keys it sets, and the bundled file equal to the defaults
 * in every key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "style.h"

static char g_dir[] = "/tmp/hu-style-XXXXXX";
static int g_files;

/* A style.yaml with text in the test's folder; its path lives until the test ends. */
static const char *write_style(hu_arena *a, const char *text) {
    const char *path = hu_arena_printf(a, "%s/style%d.yaml", g_dir, g_files++);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static int load(hu_style *st, hu_arena *a, hu_diags *d, const char *text) {
    const char *file = write_style(a, text);
    hu_style_default(st);
    return hu_style_load(st, a, &file, 1, d) ? 0 : -1;
}

static int setup(void **s) {
    (void)s;
    return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **s) {
    (void)s;
    for (int i = 0; i < g_files; i++) {
        char p[64];
        snprintf(p, sizeof p, "%s/style%d.yaml", g_dir, i);
        remove(p);
    }
    return rmdir(g_dir);
}

/* d's message i contains want, at line */
static void expect(const hu_diags *d, size_t i, int line, const char *want) {
    assert_true(i < d->n);
    if (!strstr(d->v[i].msg, want) || d->v[i].line != line)
        fprintf(stderr, "message %zu (line %d): %s\nwanted (line %d): %s\n", i, d->v[i].line,
                d->v[i].msg, line, want);
    assert_non_null(strstr(d->v[i].msg, want));
    assert_int_equal(d->v[i].line, line);
    assert_int_equal(d->v[i].severity, HU_ERROR);
}

static void test_errors_located_with_did_you_mean(void **s) {
    (void)s;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_style st;
    assert_int_equal(load(&st, &a, &d,
                          "page:\n  margin_top_mm: 30\n"    /* 1-2 */
                          "body:\n  size_pt: big\n"         /* 3-4 */
                          "  colour: red\n"                 /* 5 */
                          "  indnet_chars: 3\n"             /* 6 */
                          "table:\n  role: comic\n"         /* 7-8 */
                          "  header_role: hie\n"            /* 9 */
                          "bdy:\n  size: 12\n"              /* 10-11 */
                          "settings:\n  bie: false\n"       /* 12-13 */
                          "  clean_punct: yes please\n"     /* 14 */
                          "  max_auto_highlights: 2000\n"), /* 15 */
                     -1);
    hu_diags_print(stderr, &d);
    assert_int_equal(d.errors, 9);
    expect(&d, 0, 4, "未知的字号“big”（应为磅值，或字号：初号、小初");
    expect(&d, 1, 5, "未知的样式键“colour”（body 下可用：role、size、line_pitch_pt");
    expect(&d, 2, 6, "未知的样式键“indnet_chars”，是否应为“indent_chars”？");
    expect(&d, 3, 8, "未知字体角色“comic”（应为 body、song、kai、hei、title、latin、latin_bold）");
    expect(&d, 4, 9, "未知字体角色“hie”，是否应为“hei”？");
    /* (a map's position is its first key's: keys carry none of their own) */
    expect(&d, 5, 11, "未知的样式分组“bdy”，是否应为“body”？");
    /* settings: the same validator, the same messages */
    expect(&d, 6, 13, "未知的样式键“bie”，是否应为“bei”？（settings 下可用：bei、clean_punct、");
    expect(&d, 7, 14, "应为 true 或 false");
    expect(&d, 8, 15, "超出范围（-1～1000）");
    assert_string_equal(d.v[2].path, "body.indnet_chars");
    /* what was valid still applies */
    assert_true(st.margin_top > HU_MM(29.9) && st.margin_top < HU_MM(30.1));
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static void test_zihao(void **s) {
    (void)s;
    double pt = 0;
    assert_true(hu_style_zihao("三号", &pt) && pt == 16);
    assert_true(hu_style_zihao("小二", &pt) && pt == 18);
    assert_true(hu_style_zihao("小三号", &pt) && pt == 15);
    assert_true(hu_style_zihao("五号字", &pt) && pt == 10.5);
    assert_true(hu_style_zihao("初号", &pt) && pt == 42);
    assert_false(hu_style_zihao("三", &pt));
    assert_false(hu_style_zihao("十号", &pt));
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_style st;
    assert_int_equal(load(&st, &a, &d,
                          "body:\n  size: 四号\ntitle:\n  size_pt: 小二\n"
                          "table:\n  size: 小四\n  min_size_pt: 五号\n  caption_size: 16\n"),
                     0);
    assert_true(st.body_size == 14 && st.title_size == 18 && st.table_size == 12);
    assert_true(st.table_min_size == 10.5 && st.table_caption_size == 16);
    assert_int_equal(d.n, 0);
    /* an unknown name, and the same key under both its names */
    assert_int_equal(load(&st, &a, &d, "body:\n  size: 三好\n  size_pt: 16\n"), -1);
    hu_diags_print(stderr, &d);
    expect(&d, 0, 2, "未知的字号“三好”，是否应为“三号”？（应为磅值，或字号：初号、小初、一号");
    expect(&d, 1, 3, "“size_pt”与前面的“size”是同一项，只能写一个");
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static void test_derived_lines_and_characters(void **s) {
    (void)s;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_style st;
    hu_style_default(&st);
    /* GB/T 9704: 28 characters of 三号 in the 156 mm line */
    assert_int_equal(st.chars_per_line, 28);
    assert_true(hu_style_tracking(&st) > -0.21 && hu_style_tracking(&st) < -0.20);
    /* 四号: 442.2 / 14 = 31.6 → 32 characters, not the 28 that would spread the text */
    assert_int_equal(load(&st, &a, &d, "body:\n  size: 四号\n"), 0);
    assert_int_equal(st.chars_per_line, 32);
    assert_true(hu_style_tracking(&st) < 0 && hu_style_tracking(&st) > -0.25);
    /* wider margins: fewer characters */
    assert_int_equal(load(&st, &a, &d, "page:\n  margin_left_mm: 38\n  margin_right_mm: 36\n"), 0);
    assert_int_equal(st.chars_per_line, 24); /* 136 mm / 16 pt = 24.1 */
    /* given: kept, whatever the size; 0: no tracking */
    assert_int_equal(load(&st, &a, &d, "body:\n  size: 四号\n  chars_per_line: 28\n"), 0);
    assert_int_equal(st.chars_per_line, 28);
    assert_int_equal(load(&st, &a, &d, "body:\n  chars_per_line: 0\n"), 0);
    assert_true(hu_style_tracking(&st) == 0);
    /* lines per page: the pitch that fits them in the 225 mm 版心 */
    assert_int_equal(load(&st, &a, &d, "body:\n  lines_per_page: 20\n"), 0);
    assert_true(st.line_pitch == 31.88); /* 637.8 / 20, rounded down to 0.01 pt */
    assert_true(st.line_pitch * 20 <= hu_style_text_h(&st));
    assert_int_equal(load(&st, &a, &d, "body:\n  lines_per_page: 22\n"), 0);
    assert_true(st.line_pitch * 22 <= hu_style_text_h(&st) &&
                st.line_pitch * 23 > hu_style_text_h(&st));
    assert_int_equal(d.n, 0);
    /* both in one file: which one is meant? */
    assert_int_equal(load(&st, &a, &d, "body:\n  line_pitch_pt: 30\n  lines_per_page: 20\n"), -1);
    expect(&d, 0, 3, "lines_per_page 与 line_pitch_pt 只能写一个");
    assert_int_equal(load(&st, &a, &d, "body:\n  lines_per_page: 0\n"), -1);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* A child template's style.yaml overrides only the keys it sets; settings: merge key by key. */
static void test_chain_overrides_only_what_it_sets(void **s) {
    (void)s;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    const char *files[3];
    files[0] = write_style(&a, "body:\n  size: 四号\n  lines_per_page: 20\ntable:\n  role: hei\n"
                               "settings:\n  bei: false\n  max_auto_highlights: 1\n");
    files[1] = hu_arena_printf(&a, "%s/no-such-style.yaml", g_dir); /* a member without one */
    files[2] = write_style(&a, "title:\n  size: 小二\nbody:\n  line_pitch_pt: 30\n"
                               "settings:\n  max_auto_highlights: 5\n");
    hu_style st, def;
    hu_style_default(&def);
    hu_style_default(&st);
    assert_true(hu_style_load(&st, &a, files, 3, &d));
    assert_int_equal(d.n, 0);
    assert_true(st.body_size == 14 && st.chars_per_line == 32); /* the parent's */
    assert_true(st.table_role == HU_ROLE_HEI);
    assert_true(st.title_size == 18); /* the child's */
    assert_true(st.line_pitch == 30); /* the child's pitch replaces the parent's lines_per_page */
    assert_false(st.settings.bei);    /* the parent's */
    assert_true(st.settings.clean_punct); /* nobody's: the default */
    assert_int_equal(st.settings.max_auto_highlights, 5);
    assert_true(st.table_size == def.table_size && st.margin_top == def.margin_top);
    /* the files read, most general first: the dependencies of the outputs */
    assert_int_equal(st.nfiles, 2);
    assert_string_equal(st.files[0], files[0]);
    assert_string_equal(st.files[1], files[2]);
    assert_string_equal(st.file, files[2]);
    /* a relative font path is the folder of the style.yaml that names it */
    const char *f3 = write_style(&a, "fonts:\n  body: my.ttf, /abs/b.ttc#1\n");
    assert_true(hu_style_load(&st, &a, &f3, 1, &d));
    char *want = hu_arena_printf(&a, "%s/my.ttf,/abs/b.ttc#1", g_dir);
    assert_string_equal(st.font_spec[HU_ROLE_BODY], want);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static void test_bundled_style_yaml_is_the_defaults(void **s) {
    (void)s;
    const char *src = getenv("HU_SOURCE_DIR") ? getenv("HU_SOURCE_DIR") : HU_SOURCE_DIR;
    hu_arena a;
    hu_arena_init(&a);
    const char *file = hu_arena_printf(&a, "%s/templates/monthly/style.yaml", src);
    assert_int_equal(access(file, R_OK), 0); /* a missing file fails, it is not skipped */
    hu_style st, def;
    hu_style_default(&def);
    hu_style_default(&st);
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_style_load(&st, &a, &file, 1, &d));
    hu_diags_print(stderr, &d);
    assert_int_equal(d.n, 0);
    assert_int_equal(st.nfiles, 1);
    /* every key of every section, settings: included */
    const char *diff = hu_style_diff(&st, &def);
    if (diff) fprintf(stderr, "style.yaml differs from the defaults at %s\n", diff);
    assert_null(diff);
    /* and the comparison sees a change in any section */
    st.settings.max_auto_highlights = 4;
    assert_string_equal(hu_style_diff(&st, &def), "settings.max_auto_highlights");
    st.settings.max_auto_highlights = def.settings.max_auto_highlights;
    st.lead[3].bold = !st.lead[3].bold;
    assert_string_equal(hu_style_diff(&st, &def), "lead4.bold");
    st.lead[3].bold = def.lead[3].bold;
    st.page_number_format = "{n}";
    assert_string_equal(hu_style_diff(&st, &def), "page_number.format");
    hu_diags_free(&d);
    hu_arena_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors_located_with_did_you_mean),
        cmocka_unit_test(test_zihao),
        cmocka_unit_test(test_derived_lines_and_characters),
        cmocka_unit_test(test_chain_overrides_only_what_it_sets),
        cmocka_unit_test(test_bundled_style_yaml_is_the_defaults),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
