/* Unit tests of the font module: role chains, fallback order, user fonts first, .ttc
 * addressing, bad font files, coverage reporting, code points above U+FFFF, embedding, the
 * default fallback chains from Debian's fonts (and a machine without some of them).
 *
 * Also the font sheet generator for tests/e2e_fonts.sh and bench/bench_fonts.sh:
 *   test_fonts --sheet OUT.pdf [--full] [--role NAME] [--chars N]
 * draws every GB 2312 character (or the first N) and all punctuation huibao emits through each
 * role (or one) and prints the seconds it took; test_fonts --punct prints that punctuation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fonts.h"
#include "paths.h"
#include "pdf_fonts.h"
#include "utf8.h"

#define UMING "/usr/share/fonts/truetype/arphic/uming.ttc" /* Debian fonts-arphic-uming */

static char fonts_dir[2048];
static char tmp_dir[2048];

static bool exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

static const char *font_file(const char *name) {
    static char p[8][4096];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", fonts_dir, name);
    return p[k];
}

static const char *tmp_file(const char *name, const char *content, size_t len) {
    static char p[8][4096];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", tmp_dir, name);
    FILE *f = fopen(p[k], "wb");
    assert_non_null(f);
    if (len) fwrite(content, 1, len, f);
    fclose(f);
    return p[k];
}

static bool diags_contain(const hu_diags *d, const char *needle) {
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->v[i].msg, needle)) return true;
    return false;
}

static bool ends_with(const char *s, const char *tail) {
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

static int face_of(hu_fonts *f, hu_font_role role, uint32_t cp) {
    double adv;
    return hu_fonts_lookup(f, role, cp, &adv);
}

/* The default fallback fonts (Debian packages tools/deps.sh installs with the build ones). The
 * other tests run without them (HUIBAO_FALLBACK_FONTS_DIR=""), on the bundled fonts alone. */
#define FALLBACK_DIR "/usr/share/fonts/truetype"
static const char *const fallback_files[] = {"arphic/uming.ttc", "arphic/ukai.ttc",
                                             "wqy/wqy-zenhei.ttc", "hanazono/HanaMinA.ttf",
                                             "hanazono/HanaMinB.ttf"};

static void collect_file(void *ctx, const char *file, hu_font_origin origin, const char *package) {
    hu_buf *b = ctx;
    hu_buf_printf(b, "%s|%d|%s\n", file, (int)origin, package ? package : "");
}

static const char *path_of(hu_fonts *f, hu_font_role role, uint32_t cp) {
    int face = face_of(f, role, cp);
    return face < 0 ? "(none)" : hu_fonts_face_path(f, face);
}

/* ------------------------------------------------------------------ tests */

static void test_role_names(void **state) {
    (void)state;
    for (int r = 0; r < HU_ROLE_COUNT; r++)
        assert_int_equal(hu_font_role_from_name(hu_font_role_name(r)), r);
    assert_int_equal(hu_font_role_from_name("body"), HU_ROLE_BODY);
    assert_int_equal(hu_font_role_from_name("latin"), HU_ROLE_LATIN);
    assert_int_equal(hu_font_role_from_name("Body"), -1);
    assert_int_equal(hu_font_role_from_name("fangsong"), -1);
    assert_int_equal(hu_font_role_from_name(NULL), -1);
    assert_string_equal(hu_font_role_label(HU_ROLE_HEI), "黑体");
}

static void test_default_chains(void **state) {
    (void)state;
    hu_diags d = HU_DIAGS_INIT;
    hu_fonts *f = hu_fonts_open(NULL, &d);
    hu_diags_print(stderr, &d);
    assert_non_null(f);
    assert_int_equal(d.errors, 0);
    assert_int_equal(hu_fonts_face_count(f), 7);
    /* Han from each role's own face */
    assert_true(ends_with(path_of(f, HU_ROLE_BODY, 0x4E2D), "FandolFang-Regular.ttf"));
    assert_true(ends_with(path_of(f, HU_ROLE_SONG, 0x4E2D), "FandolSong-Regular.ttf"));
    assert_true(ends_with(path_of(f, HU_ROLE_KAI, 0x4E2D), "FandolKai-Regular.ttf"));
    assert_true(ends_with(path_of(f, HU_ROLE_HEI, 0x4E2D), "FandolHei-Regular.ttf"));
    assert_true(ends_with(path_of(f, HU_ROLE_TITLE, 0x4E2D), "FandolSong-Bold.ttf"));
    /* the latin role falls back to Song for Han */
    assert_true(ends_with(path_of(f, HU_ROLE_LATIN, 0x4E2D), "FandolSong-Regular.ttf"));
    /* digits, ASCII letters, % and . from the latin face in every role */
    const uint32_t latin[] = {'1', '0', 'A', 'z', '%', '.', ' ', 0x2013 /* – */, 0xE9 /* é */};
    /* ... in the bold latin face in the title (小标宋) and in latin_bold itself */
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        bool bold = r == HU_ROLE_TITLE || r == HU_ROLE_LATIN_BOLD;
        assert_int_equal(hu_fonts_bold_latin(f, r), r == HU_ROLE_TITLE);
        for (size_t i = 0; i < sizeof latin / sizeof *latin; i++)
            assert_true(ends_with(path_of(f, r, latin[i]), bold ? "LiberationSerif-Bold.ttf"
                                                                : "LiberationSerif-Regular.ttf"));
    }
    /* full-width punctuation and “” ‘’ — … · from the CJK face */
    const uint32_t cjk[] = {0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01,
                            0xFF08, 0xFF09, 0x300A, 0x300B, 0x201C, 0x201D, 0x2018,
                            0x2019, 0x2014, 0x2026, 0x00B7, 0xFF05, 0x3000, HU_MISSING_GLYPH};
    for (size_t i = 0; i < sizeof cjk / sizeof *cjk; i++)
        assert_true(ends_with(path_of(f, HU_ROLE_BODY, cjk[i]), "FandolFang-Regular.ttf"));
    /* Fandol lacks ― U+2015 (GB 2312 A1AA in glibc's table): Liberation Serif is the fallback */
    assert_true(ends_with(path_of(f, HU_ROLE_BODY, 0x2015), "LiberationSerif-Regular.ttf"));
    /* metrics: a Han character is 1 em, a full-width comma too; digits narrower */
    double adv;
    assert_true(hu_fonts_lookup(f, HU_ROLE_BODY, 0x4E2D, &adv) >= 0);
    assert_true(adv > 0.99 && adv < 1.01);
    assert_true(hu_fonts_lookup(f, HU_ROLE_BODY, 0xFF0C, &adv) >= 0);
    assert_true(adv > 0.99 && adv < 1.01);
    assert_true(hu_fonts_lookup(f, HU_ROLE_BODY, '1', &adv) >= 0);
    assert_true(adv > 0.4 && adv < 0.6); /* Times-like digits are 0.5 em */
    /* cached lookups give the same answer */
    double adv2;
    assert_int_equal(hu_fonts_lookup(f, HU_ROLE_BODY, '1', &adv2), face_of(f, HU_ROLE_BODY, '1'));
    assert_true(adv == adv2);
    /* no bundled face has a private-use character, nor Extension B or emoji */
    assert_int_equal(hu_fonts_lookup(f, HU_ROLE_BODY, 0xE000, &adv), -1);
    assert_true(adv == 0);
    assert_int_equal(hu_fonts_lookup(f, HU_ROLE_BODY, 0x20000, &adv), -1);
    assert_int_equal(hu_fonts_lookup(f, HU_ROLE_BODY, 0x1F600, NULL), -1);
    /* vertical metrics in em */
    for (int i = 0; i < hu_fonts_face_count(f); i++) {
        assert_true(hu_fonts_ascender(f, i) > 0.5 && hu_fonts_ascender(f, i) < 1.3);
        assert_true(hu_fonts_descender(f, i) < 0 && hu_fonts_descender(f, i) > -0.5);
        assert_non_null(hu_fonts_face_family(f, i));
    }
    assert_string_equal(hu_fonts_face_family(f, face_of(f, HU_ROLE_BODY, 0x4E2D)), "FandolFang");
    /* synthetic bold: the title face is a real bold, the others are single weights */
    assert_false(hu_fonts_wants_fake_bold(f, HU_ROLE_TITLE));
    assert_true(hu_fonts_wants_fake_bold(f, HU_ROLE_HEI));
    assert_true(hu_fonts_wants_fake_bold(f, HU_ROLE_BODY));
    hu_fonts_free(f);
    hu_diags_free(&d);
}

static void test_user_font_first(void **state) {
    (void)state;
    hu_diags d = HU_DIAGS_INIT;
    hu_font_options o = {{0}, NULL, NULL};
    /* body pointed at the bundled Kai: Kai draws body Han, Fang stays behind it in the chain */
    o.spec[HU_ROLE_BODY] = font_file("FandolKai-Regular.ttf");
    hu_fonts *f = hu_fonts_open(&o, &d);
    assert_non_null(f);
    assert_true(ends_with(path_of(f, HU_ROLE_BODY, 0x4E2D), "FandolKai-Regular.ttf"));
    const int *chain;
    int n = hu_fonts_chain(f, HU_ROLE_BODY, &chain);
    assert_int_equal(n, 4); /* Kai, Fang, Song (fallback), Liberation (fallback) */
    assert_true(ends_with(hu_fonts_face_path(f, chain[0]), "FandolKai-Regular.ttf"));
    assert_true(ends_with(hu_fonts_face_path(f, chain[1]), "FandolFang-Regular.ttf"));
    /* the same file in two roles is one face */
    assert_int_equal(hu_fonts_face_count(f), 7);
    assert_int_equal(face_of(f, HU_ROLE_BODY, 0x4E2D), face_of(f, HU_ROLE_KAI, 0x4E2D));
    hu_fonts_free(f);

    /* a Latin-only user font for body: Han falls through to the bundled Fang */
    o.spec[HU_ROLE_BODY] = font_file("LiberationSerif-Regular.ttf");
    f = hu_fonts_open(&o, &d);
    assert_non_null(f);
    assert_true(ends_with(path_of(f, HU_ROLE_BODY, 0x4E2D), "FandolFang-Regular.ttf"));
    hu_fonts_free(f);

    /* relative paths resolve against base_dir; a comma-separated chain keeps its order */
    o.spec[HU_ROLE_BODY] = " FandolHei-Regular.ttf , FandolKai-Regular.ttf";
    o.base_dir = fonts_dir;
    f = hu_fonts_open(&o, &d);
    hu_diags_print(stderr, &d);
    assert_non_null(f);
    n = hu_fonts_chain(f, HU_ROLE_BODY, &chain);
    assert_true(n >= 3);
    assert_true(ends_with(hu_fonts_face_path(f, chain[0]), "FandolHei-Regular.ttf"));
    assert_true(ends_with(hu_fonts_face_path(f, chain[1]), "FandolKai-Regular.ttf"));
    assert_true(ends_with(hu_fonts_face_path(f, chain[2]), "FandolFang-Regular.ttf"));
    assert_true(ends_with(path_of(f, HU_ROLE_BODY, 0x4E2D), "FandolHei-Regular.ttf"));
    hu_fonts_free(f);

    /* a bold face in a role (Song Bold as 黑体) takes bold Latin and digits */
    o.spec[HU_ROLE_BODY] = NULL;
    o.spec[HU_ROLE_HEI] = font_file("FandolSong-Bold.ttf");
    f = hu_fonts_open(&o, &d);
    assert_non_null(f);
    assert_true(hu_fonts_bold_latin(f, HU_ROLE_HEI));
    assert_true(ends_with(path_of(f, HU_ROLE_HEI, '7'), "LiberationSerif-Bold.ttf"));
    assert_true(ends_with(path_of(f, HU_ROLE_BODY, '7'), "LiberationSerif-Regular.ttf"));
    hu_fonts_free(f);
    o.spec[HU_ROLE_HEI] = NULL;

    /* a user latin font draws digits in every role */
    o.spec[HU_ROLE_BODY] = NULL;
    o.spec[HU_ROLE_LATIN] = "FandolHei-Regular.ttf";
    f = hu_fonts_open(&o, &d);
    assert_non_null(f);
    assert_true(ends_with(path_of(f, HU_ROLE_BODY, '7'), "FandolHei-Regular.ttf"));
    assert_true(ends_with(path_of(f, HU_ROLE_BODY, 0x4E2D), "FandolFang-Regular.ttf"));
    hu_fonts_free(f);
    assert_int_equal(d.errors, 0);
    hu_diags_free(&d);
}

static void test_ttc(void **state) {
    (void)state;
    if (!exists(UMING)) {
        fprintf(stderr, "skip: %s absent (Debian package fonts-arphic-uming)\n", UMING);
        skip();
    }
    hu_diags d = HU_DIAGS_INIT;
    hu_font_options o = {{0}, NULL, NULL};
    o.spec[HU_ROLE_SONG] = UMING "#1";
    hu_fonts *f = hu_fonts_open(&o, &d);
    hu_diags_print(stderr, &d);
    assert_non_null(f);
    int face = face_of(f, HU_ROLE_SONG, 0x4E2D);
    assert_string_equal(hu_fonts_face_path(f, face), UMING "#1");
    assert_string_equal(hu_fonts_face_family(f, face), "AR PL UMing HK");
    /* a collection without an index is face #0 */
    hu_fonts_free(f);
    o.spec[HU_ROLE_SONG] = UMING;
    f = hu_fonts_open(&o, &d);
    assert_non_null(f);
    face = face_of(f, HU_ROLE_SONG, 0x4E2D);
    assert_string_equal(hu_fonts_face_path(f, face), UMING "#0");
    assert_string_equal(hu_fonts_face_family(f, face), "AR PL UMing CN");
    hu_fonts_free(f);
    assert_int_equal(d.errors, 0);
    /* an index past the end */
    o.spec[HU_ROLE_SONG] = UMING "#9";
    f = hu_fonts_open(&o, &d);
    assert_null(f);
    assert_true(diags_contain(&d, "只有 4 个字体"));
    assert_true(diags_contain(&d, "#9"));
    assert_true(diags_contain(&d, "song"));
    hu_diags_free(&d);
}

static void expect_open_error(const char *spec, hu_font_role role, const char *needle) {
    hu_diags d = HU_DIAGS_INIT;
    hu_font_options o = {{0}, NULL, NULL};
    o.spec[role] = spec;
    hu_fonts *f = hu_fonts_open(&o, &d);
    if (f || !diags_contain(&d, needle) || !diags_contain(&d, hu_font_role_name(role))) {
        hu_diags_print(stderr, &d);
        fprintf(stderr, "expected an error containing “%s” for %s\n", needle, spec);
    }
    assert_null(f);
    assert_true(d.errors >= 1);
    assert_true(diags_contain(&d, needle));
    assert_true(diags_contain(&d, hu_font_role_name(role))); /* the role is named */
    hu_diags_free(&d);
}

static void test_bad_font_files(void **state) {
    (void)state;
    const char *text = tmp_file("notes.ttf", "这不是字体文件\n", strlen("这不是字体文件\n"));
    const char *empty = tmp_file("empty.ttf", "", 0);
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/nonexistent.ttf", tmp_dir);
    expect_open_error(text, HU_ROLE_BODY, "不是字体文件");
    expect_open_error(text, HU_ROLE_BODY, "notes.ttf");
    expect_open_error(empty, HU_ROLE_HEI, "空的");
    expect_open_error(empty, HU_ROLE_HEI, "empty.ttf");
    expect_open_error(missing, HU_ROLE_TITLE, "不存在");
    expect_open_error(missing, HU_ROLE_TITLE, "nonexistent.ttf");
    expect_open_error(tmp_dir, HU_ROLE_KAI, "是文件夹");
    char withindex[4200];
    snprintf(withindex, sizeof withindex, "%s#1", font_file("FandolKai-Regular.ttf"));
    expect_open_error(withindex, HU_ROLE_KAI, "不是字体集合");
    /* OpenType/CFF fonts (and damaged ones): test_cff.c */
    /* every bad entry of a chain is reported, not only the first */
    char chain[9000];
    snprintf(chain, sizeof chain, "%s,%s", text, missing);
    hu_diags d = HU_DIAGS_INIT;
    hu_font_options o = {{0}, NULL, NULL};
    o.spec[HU_ROLE_BODY] = chain;
    assert_null(hu_fonts_open(&o, &d));
    assert_int_equal(d.errors, 2);
    hu_diags_free(&d);
    /* a missing bundled folder */
    o.spec[HU_ROLE_BODY] = NULL;
    o.fonts_dir = missing;
    assert_null(hu_fonts_open(&o, &d));
    assert_true(d.errors >= 1);
    hu_diags_free(&d);
}

static void test_check_text(void **state) {
    (void)state;
    hu_diags d = HU_DIAGS_INIT;
    hu_fonts *f = hu_fonts_open(NULL, &d);
    assert_non_null(f);
    /* everything covered: nothing reported */
    assert_int_equal(
        hu_fonts_check_roles(f, 1u << HU_ROLE_BODY,
                             "全区实现技工贸总收入125.6亿元，同比增长12.5%。“十四五”——……", "r.yaml",
                             3, 10, "preamble", false, &d),
        0);
    assert_int_equal(d.n, 0);
    /* above U+FFFF and a private-use character, on one line: column = start + offset */
    size_t n = hu_fonts_check_roles(f, 1u << HU_ROLE_BODY, "甲𠀀乙\xee\x80\x80丙𠀀", "r.yaml", 3,
                                    10, "sections[0].title", false, &d);
    hu_diags_print(stderr, &d);
    assert_int_equal(n, 3);
    assert_int_equal(d.n, 2); /* one per distinct character */
    assert_int_equal(d.warnings, 2);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.v[0].line, 3);
    assert_int_equal(d.v[0].col, 11);
    assert_string_equal(d.v[0].file, "r.yaml");
    assert_string_equal(d.v[0].path, "sections[0].title");
    assert_non_null(strstr(d.v[0].msg, "“𠀀”(U+20000)"));
    assert_non_null(strstr(d.v[0].msg, "〓"));
    assert_non_null(strstr(d.v[0].msg, "共 2 处"));
    assert_int_equal(d.v[1].col, 13);
    assert_non_null(strstr(d.v[1].msg, "(U+E000)没有任何字体包含，将显示为〓"));
    hu_diags_free(&d);
    /* a multi-line string: the position is the string's, the message counts characters */
    n = hu_fonts_check_roles(f, 1u << HU_ROLE_KAI, "第一行\n第二\xee\x80\x81", "r.yaml", 7, 5,
                             "text", true, &d);
    assert_int_equal(n, 1);
    assert_int_equal(d.errors, 1); /* strict */
    assert_int_equal(d.v[0].line, 7);
    assert_int_equal(d.v[0].col, 5);
    assert_non_null(strstr(d.v[0].msg, "第 7 个字符"));
    hu_diags_free(&d);
    /* a role whose user font lacks a character that its fallbacks have: not reported */
    assert_int_equal(
        hu_fonts_check_roles(f, 1u << HU_ROLE_LATIN, "中文", NULL, 0, 0, NULL, false, &d), 0);
    hu_fonts_free(f);
    hu_diags_free(&d);
}

static void test_fallback_chains(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof fallback_files / sizeof *fallback_files; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/%s", FALLBACK_DIR, fallback_files[i]);
        if (!exists(p)) fprintf(stderr, "%s missing: run tools/deps.sh build\n", p);
        assert_true(exists(p));
    }
    setenv("HUIBAO_FALLBACK_FONTS_DIR", FALLBACK_DIR, 1);
    hu_diags d = HU_DIAGS_INIT;
    hu_fonts *f = hu_fonts_open(NULL, &d);
    assert_non_null(f);
    assert_int_equal(d.n, 0);
    assert_string_equal(hu_fonts_missing_fallbacks(f), "");
    hu_fonts_note_missing_fallbacks(f, NULL, &d);
    assert_int_equal(d.n, 0);
    /* 堃 (GBK, not GB 2312): each role's own style first; never a 黑 face for 宋/仿宋/楷 */
    const uint32_t kun = 0x5803;
    const char *pkg;
    int body = face_of(f, HU_ROLE_BODY, kun);
    assert_string_equal(hu_fonts_face_path(f, body), FALLBACK_DIR "/arphic/uming.ttc#0");
    assert_string_equal(hu_fonts_face_name(f, body), "AR PL UMing CN");
    assert_int_equal(hu_fonts_face_origin(f, body, &pkg), HU_FONT_FALLBACK);
    assert_string_equal(pkg, "fonts-arphic-uming");
    assert_false(hu_fonts_face_embolden(f, body));
    assert_int_equal(face_of(f, HU_ROLE_SONG, kun), body);
    assert_string_equal(hu_fonts_face_path(f, face_of(f, HU_ROLE_KAI, kun)),
                        FALLBACK_DIR "/arphic/ukai.ttc#0");
    assert_string_equal(hu_fonts_face_path(f, face_of(f, HU_ROLE_HEI, kun)),
                        FALLBACK_DIR "/wqy/wqy-zenhei.ttc#0");
    /* the title's own face is bold: the regular UMing gets synthetic bold there, and shares
     * the embedded subset with the body's UMing */
    int title = face_of(f, HU_ROLE_TITLE, kun);
    assert_true(title != body);
    assert_string_equal(hu_fonts_face_path(f, title), FALLBACK_DIR "/arphic/uming.ttc#0");
    assert_true(hu_fonts_face_embolden(f, title));
    hu_fonts_use(f, title, kun);
    hu_fonts_use(f, body, 0x5586); /* 喆 */
    assert_int_equal(hu_fonts_used_count(f, body), 2);
    assert_int_equal(hu_fonts_used_count(f, title), 2);
    /* what the bundled fonts have stays theirs */
    assert_true(ends_with(path_of(f, HU_ROLE_BODY, 0x4E2D), "FandolFang-Regular.ttf"));
    assert_true(ends_with(path_of(f, HU_ROLE_BODY, 0x2015), "LiberationSerif-Regular.ttf"));
    assert_int_equal(hu_fonts_face_origin(f, face_of(f, HU_ROLE_BODY, 0x4E2D), NULL),
                     HU_FONT_BUNDLED);
    /* Extension A: UMing lacks 㐀 U+3400, Hanazono A has it; Zen Hei has all of Ext-A */
    assert_true(ends_with(path_of(f, HU_ROLE_BODY, 0x3400), "HanaMinA.ttf"));
    assert_true(ends_with(path_of(f, HU_ROLE_HEI, 0x3400), "wqy-zenhei.ttc#0"));
    /* Extension B: 𠀁 U+20001 only in Hanazono B, in every role; 𪚥 U+2A6A5 in A already */
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        assert_true(ends_with(path_of(f, r, 0x20001), "HanaMinB.ttf"));
        assert_true(ends_with(path_of(f, r, 0x2A6A5), "HanaMinA.ttf"));
    }
    /* private use never comes from a fallback face (HanaMinA has U+F137…), emoji may */
    assert_int_equal(face_of(f, HU_ROLE_BODY, 0xE000), -1);
    assert_int_equal(face_of(f, HU_ROLE_BODY, 0xF137), -1);
    assert_int_equal(hu_fonts_face_origin(f, face_of(f, HU_ROLE_BODY, 0xE78D), NULL),
                     HU_FONT_BUNDLED); /* Fandol's own private-use glyph (GB 18030 ︐) */
    /* the chain: own faces, bundled song and latin, then the fallbacks */
    const int *chain;
    int n = hu_fonts_chain(f, HU_ROLE_BODY, &chain);
    assert_int_equal(n, 6);
    assert_true(ends_with(hu_fonts_face_path(f, chain[3]), "uming.ttc#0"));
    assert_true(ends_with(hu_fonts_face_path(f, chain[4]), "HanaMinA.ttf"));
    assert_true(ends_with(hu_fonts_face_path(f, chain[5]), "HanaMinB.ttf"));
    hu_fonts_free(f);

    /* consulted files: only the faces a lookup went through */
    f = hu_fonts_open(NULL, &d);
    hu_buf files = HU_BUF_INIT;
    face_of(f, HU_ROLE_BODY, 0x4E2D);
    hu_fonts_consulted_files(f, collect_file, &files);
    assert_true(strstr(hu_buf_cstr(&files), "FandolFang-Regular.ttf|1|\n") != NULL);
    assert_null(strstr(hu_buf_cstr(&files), "Song"));
    assert_null(strstr(hu_buf_cstr(&files), "uming"));
    hu_buf_clear(&files);
    face_of(f, HU_ROLE_TITLE, kun); /* through Song Bold, Song, Liberation to UMing */
    face_of(f, HU_ROLE_BODY, kun);
    hu_fonts_consulted_files(f, collect_file, &files);
    const char *fl = hu_buf_cstr(&files);
    assert_non_null(strstr(fl, "FandolSong-Bold.ttf|1|"));
    assert_non_null(strstr(fl, "LiberationSerif-Regular.ttf|1|"));
    assert_non_null(strstr(fl, FALLBACK_DIR "/arphic/uming.ttc|2|fonts-arphic-uming\n"));
    /* the title's emboldened UMing and the body's are one file, listed once */
    assert_null(strstr(strstr(fl, "uming.ttc") + 1, "uming.ttc"));
    assert_null(strstr(fl, "Hana"));
    hu_buf_free(&files);

    /* notes: one per field, naming characters and faces, at the first one's column */
    hu_buf chars = HU_BUF_INIT;
    size_t k = hu_fonts_note_fallbacks(f, 1u << HU_ROLE_BODY, "张堃、王喆、张堃与𠀁", "r.yaml", 4,
                                       9, "preamble", &chars, &d);
    assert_int_equal(k, 3);
    assert_string_equal(hu_buf_cstr(&chars), "堃喆𠀁");
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].severity, HU_NOTE);
    assert_int_equal(d.warnings + d.errors, 0);
    assert_int_equal(d.v[0].line, 4);
    assert_int_equal(d.v[0].col, 10);
    assert_string_equal(d.v[0].path, "preamble");
    assert_non_null(strstr(d.v[0].msg, "堃喆（AR PL UMing CN〔fonts-arphic-uming〕）"));
    assert_non_null(strstr(d.v[0].msg, "𠀁（HanaMinB Regular〔fonts-hanazono〕）"));
    hu_diags_free(&d);
    /* several roles: the faces per role */
    hu_buf_clear(&chars);
    k = hu_fonts_note_fallbacks(f, 1u << HU_ROLE_BODY | 1u << HU_ROLE_HEI, "堃", "r.yaml", 1, 1,
                                "title", NULL, &d);
    assert_int_equal(k, 1);
    assert_non_null(strstr(d.v[0].msg, "正文用 AR PL UMing CN"));
    assert_non_null(strstr(d.v[0].msg, "黑体用 WenQuanYi Zen Hei〔fonts-wqy-zenhei〕"));
    hu_diags_free(&d);
    /* bundled characters only: no note */
    assert_int_equal(
        hu_fonts_note_fallbacks(f, HU_ROLE_MASK_ALL, "中文12", NULL, 0, 0, NULL, &chars, &d), 0);
    assert_int_equal(d.n, 0);
    hu_buf_free(&chars);
    hu_fonts_free(f);

    /* a machine with only some packages (UMing present, Zen Hei broken, the rest missing):
     * no error; the chains keep what is there; the missing packages are named */
    char dir[2100], cmd[10000];
    snprintf(dir, sizeof dir, "%s/partial", tmp_dir);
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/arphic' '%s/wqy' && ln -s " FALLBACK_DIR
             "/arphic/uming.ttc '%s/arphic/' && echo 不是字体 > '%s/wqy/wqy-zenhei.ttc'",
             dir, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    setenv("HUIBAO_FALLBACK_FONTS_DIR", dir, 1);
    f = hu_fonts_open(NULL, &d);
    assert_non_null(f);
    assert_int_equal(d.n, 0);
    assert_string_equal(hu_fonts_missing_fallbacks(f),
                        "fonts-arphic-ukai fonts-wqy-zenhei fonts-hanazono");
    assert_true(ends_with(path_of(f, HU_ROLE_KAI, kun), "uming.ttc#0"));
    assert_int_equal(face_of(f, HU_ROLE_HEI, kun), -1); /* no 宋 stand-in for 黑 */
    assert_int_equal(face_of(f, HU_ROLE_BODY, 0x20001), -1);
    hu_fonts_note_missing_fallbacks(f, "r.yaml", &d);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].severity, HU_NOTE);
    assert_non_null(strstr(d.v[0].msg, "apt-get install fonts-arphic-ukai fonts-wqy-zenhei"));
    hu_diags_free(&d);
    hu_fonts_free(f);
    /* turned off */
    setenv("HUIBAO_FALLBACK_FONTS_DIR", "", 1);
    f = hu_fonts_open(NULL, &d);
    assert_int_equal(face_of(f, HU_ROLE_BODY, kun), -1);
    assert_int_equal(hu_fonts_face_count(f), HU_ROLE_COUNT); /* the bundled faces only */
    hu_fonts_free(f);
    hu_diags_free(&d);
}

static void test_gbk_coverage(void **state) {
    (void)state;
    uint32_t *gbk = malloc(HU_GBK_MAX * sizeof *gbk);
    size_t n = hu_fonts_gbk(gbk);
    assert_int_equal(n, 21791);
    setenv("HUIBAO_FALLBACK_FONTS_DIR", FALLBACK_DIR, 1);
    hu_diags d = HU_DIAGS_INIT;
    hu_fonts *f = hu_fonts_open(NULL, &d);
    assert_non_null(f);
    /* every role draws all of GBK (none in the private use area) and Extension A */
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        for (size_t i = 0; i < n; i++) {
            assert_false(gbk[i] >= 0xE000 && gbk[i] <= 0xF8FF);
            if (face_of(f, r, gbk[i]) < 0)
                fprintf(stderr, "%s lacks U+%04X\n", hu_font_role_name(r), gbk[i]);
            assert_true(face_of(f, r, gbk[i]) >= 0);
        }
        for (uint32_t cp = HU_EXT_A_FIRST; cp <= HU_EXT_A_LAST; cp++)
            assert_true(face_of(f, r, cp) >= 0);
    }
    hu_fonts_free(f);
    hu_diags_free(&d);
    setenv("HUIBAO_FALLBACK_FONTS_DIR", "", 1);
    free(gbk);
}

static void test_gb2312_coverage(void **state) {
    (void)state;
    uint32_t *gb = malloc(HU_GB2312_MAX * sizeof *gb);
    size_t n = hu_fonts_gb2312(gb);
    assert_int_equal(n, 7445); /* 682 symbols + 6763 Han */
    assert_int_equal(gb[0], 0x3000);
    hu_diags d = HU_DIAGS_INIT;
    hu_fonts *f = hu_fonts_open(NULL, &d);
    assert_non_null(f);
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        for (size_t i = 0; i < n; i++) {
            if (face_of(f, r, gb[i]) < 0)
                fprintf(stderr, "%s lacks U+%04X\n", hu_font_role_name(r), gb[i]);
            assert_true(face_of(f, r, gb[i]) >= 0);
        }
        const char *p = hu_fonts_punct();
        size_t len = strlen(p);
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            i += hu_utf8_decode(p + i, len - i, &cp);
            assert_true(face_of(f, r, cp) >= 0);
        }
    }
    hu_fonts_free(f);
    hu_diags_free(&d);
    free(gb);
}

/* ------------------------------------------------------------------ the font sheet */

/* Draws text with role, one Tj per run of one face; returns the next y. */
static float draw_lines(HPDF_Doc pdf, HPDF_Page *page, hu_fonts *f, const hu_pdf_fonts *fonts,
                        hu_font_role role, const uint32_t *cps, size_t n, float y) {
    const float size = 10, left = 50, width = 495, lead = 14;
    float x = left;
    uint32_t *run = malloc((n + 1) * sizeof *run);
    size_t nrun = 0;
    int run_face = -1;
    float run_x = left;
    HPDF_Page_BeginText(*page);
    for (size_t i = 0; i <= n; i++) {
        double adv = 0;
        int face = i < n ? hu_fonts_lookup(f, role, cps[i], &adv) : -1;
        if (i < n && face < 0) continue;
        bool wrap = i < n && x + adv * size > left + width;
        if (nrun && (i == n || face != run_face || wrap)) {
            assert_int_equal(hu_pdf_fonts_select(fonts, *page, run_face, size), HPDF_OK);
            HPDF_Page_SetTextMatrix(*page, 1, 0, 0, 1, run_x, y);
            assert_int_equal(hu_pdf_fonts_show(fonts, *page, run_face, run, NULL, nrun), HPDF_OK);
            nrun = 0;
        }
        if (i == n) break;
        if (wrap) {
            x = left;
            y -= lead;
            if (y < 50) {
                HPDF_Page_EndText(*page);
                *page = HPDF_AddPage(pdf);
                HPDF_Page_SetSize(*page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
                HPDF_Page_BeginText(*page);
                y = 800;
            }
        }
        if (!nrun) {
            run_face = face;
            run_x = x;
        }
        run[nrun++] = cps[i];
        x += (float)(adv * size);
    }
    HPDF_Page_EndText(*page);
    free(run);
    return y - lead;
}

/* Any libharu error during the sheet is a failure, including ones the code recovers from: the
 * PDF writer may install a handler that treats every error as fatal. */
static int haru_errors;
static void haru_error(HPDF_STATUS code, HPDF_STATUS detail, void *data) {
    (void)data;
    fprintf(stderr, "libharu error 0x%04X (detail %u)\n", (unsigned)code, (unsigned)detail);
    haru_errors++;
}

/* The sheet: per role, a page break, then every GB 2312 character and then the punctuation. */
static int write_sheet(const char *out, bool subset, int only_role, size_t chars, double *seconds) {
    uint32_t *cps = malloc((HU_GB2312_MAX + 512) * sizeof *cps);
    size_t n = hu_fonts_gb2312(cps);
    if (chars && chars < n) n = chars;
    const char *p = hu_fonts_punct();
    size_t len = strlen(p);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += hu_utf8_decode(p + i, len - i, &cp);
        if (cp != ' ') cps[n++] = cp; /* spaces are not text pdftotext can give back */
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    hu_diags d = HU_DIAGS_INIT;
    hu_fonts *f = hu_fonts_open(NULL, &d);
    if (!f) {
        hu_diags_print(stderr, &d);
        return -1;
    }
    HPDF_Doc pdf = HPDF_New(haru_error, NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        if (only_role >= 0 && r != only_role) continue;
        for (size_t i = 0; i < n; i++) {
            double adv;
            hu_fonts_use(f, hu_fonts_lookup(f, r, cps[i], &adv), cps[i]);
        }
    }
    hu_pdf_fonts *fonts = hu_pdf_fonts_embed(f, pdf, subset, NULL, &d);
    int rc = fonts ? 0 : -1;
    if (rc == 0) {
        for (int r = 0; r < HU_ROLE_COUNT; r++) {
            if (only_role >= 0 && r != only_role) continue;
            HPDF_Page page = HPDF_AddPage(pdf);
            HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
            draw_lines(pdf, &page, f, fonts, r, cps, n, 800);
        }
        if (HPDF_SaveToFile(pdf, out) != HPDF_OK) rc = -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (haru_errors) rc = -1;
    if (seconds) *seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    hu_diags_print(stderr, &d);
    HPDF_Free(pdf);
    hu_pdf_fonts_free(fonts);
    hu_fonts_free(f);
    hu_diags_free(&d);
    free(cps);
    return rc;
}

static long file_size(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static void test_embed_sheet(void **state) {
    (void)state;
    /* written to the build's tests folder (the working directory under ctest) */
    assert_int_equal(write_sheet("fontsheet.pdf", true, -1, 0, NULL), 0);
    long a = file_size("fontsheet.pdf");
    assert_true(a > 100000);
    /* deterministic: same input, same bytes (no temp names or dates leak in) */
    assert_int_equal(write_sheet("fontsheet2.pdf", true, -1, 0, NULL), 0);
    FILE *x = fopen("fontsheet.pdf", "rb"), *y = fopen("fontsheet2.pdf", "rb");
    assert_non_null(x);
    assert_non_null(y);
    int cx, cy;
    do {
        cx = fgetc(x);
        cy = fgetc(y);
    } while (cx == cy && cx != EOF);
    assert_int_equal(cx, cy);
    fclose(x);
    fclose(y);
    unlink("fontsheet2.pdf");
}

static void test_embed_unused_and_ttc(void **state) {
    (void)state;
    hu_diags d = HU_DIAGS_INIT;
    hu_font_options o = {{0}, NULL, NULL};
    bool ttc = exists(UMING);
    if (ttc) o.spec[HU_ROLE_SONG] = UMING "#2";
    hu_fonts *f = hu_fonts_open(&o, &d);
    assert_non_null(f);
    HPDF_Doc pdf = HPDF_New(haru_error, NULL);
    HPDF_UseUTFEncodings(pdf); /* the caller may have enabled it already */
    int song = face_of(f, HU_ROLE_SONG, 0x6C47);
    hu_fonts_use(f, song, 0x6C47); /* 汇 */
    hu_fonts_use(f, song, 0xE000); /* ignored: the face lacks it */
    /* 𠀡 (U+20021, Extension B): UMing has it, the bundled Song does not (ignored then) */
    hu_fonts_use(f, song, 0x20021);
    assert_int_equal(hu_fonts_used_count(f, song), ttc ? 2 : 1);
    if (ttc) assert_true(hu_fonts_lookup(f, HU_ROLE_SONG, 0x20021, NULL) == song);
    int nf = hu_fonts_face_count(f);
    hu_pdf_fonts *fonts = hu_pdf_fonts_embed(f, pdf, true, NULL, &d);
    assert_non_null(fonts);
    for (int i = 0; i < nf; i++) {
        if (i == song)
            assert_non_null(hu_pdf_fonts_font(fonts, i));
        else
            assert_null(hu_pdf_fonts_font(fonts, i)); /* unused faces are not embedded */
    }
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_BeginText(page);
    assert_int_equal(hu_pdf_fonts_select(fonts, page, song, 20), HPDF_OK);
    HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, 100, 700);
    /* 𠀡 above U+FFFF is drawn with its own CID (no alias); U+E000 was not recorded */
    const uint32_t text[] = {0x6C47, 0x20021};
    assert_int_equal(hu_pdf_fonts_show(fonts, page, song, text, NULL, ttc ? 2 : 1), HPDF_OK);
    HPDF_Page_EndText(page);
    assert_int_equal(HPDF_SaveToFile(pdf, "fontsheet-ttc.pdf"), HPDF_OK);
    assert_int_equal(haru_errors, 0);
    HPDF_Free(pdf);
    hu_pdf_fonts_free(fonts);
    hu_fonts_free(f);
    hu_diags_free(&d);
}

int main(int argc, char **argv) {
    char *dir = hu_data_dir("fonts");
    if (!dir) {
        fputs("fonts/ not found\n", stderr);
        return 1;
    }
    snprintf(fonts_dir, sizeof fonts_dir, "%s", dir);
    free(dir);
    if (argc >= 2 && !strcmp(argv[1], "--punct")) {
        fputs(hu_fonts_punct(), stdout);
        return 0;
    }
    if (argc >= 3 && !strcmp(argv[1], "--sheet")) {
        bool subset = true;
        int role = -1;
        size_t chars = 0;
        for (int i = 3; i < argc; i++) {
            if (!strcmp(argv[i], "--chars") && i + 1 < argc) chars = strtoul(argv[++i], NULL, 10);
            if (!strcmp(argv[i], "--full")) subset = false;
            if (!strcmp(argv[i], "--role") && i + 1 < argc)
                role = hu_font_role_from_name(argv[++i]);
        }
        double s;
        int rc = write_sheet(argv[2], subset, role, chars, &s);
        printf("%.3f\n", s);
        return rc ? 1 : 0;
    }
    /* the bundled fonts alone, except where a test turns the default fallbacks on */
    setenv("HUIBAO_FALLBACK_FONTS_DIR", "", 1);
    const char *t = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/hu-test-fonts-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp_dir)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_names),           cmocka_unit_test(test_default_chains),
        cmocka_unit_test(test_user_font_first),      cmocka_unit_test(test_ttc),
        cmocka_unit_test(test_bad_font_files),       cmocka_unit_test(test_check_text),
        cmocka_unit_test(test_gb2312_coverage),      cmocka_unit_test(test_embed_sheet),
        cmocka_unit_test(test_embed_unused_and_ttc), cmocka_unit_test(test_fallback_chains),
        cmocka_unit_test(test_gbk_coverage),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmp_dir);
    return rc;
}
