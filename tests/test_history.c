/* test_history.c - earlier months from a temporary folder: series, last_month, 环比 and the
 * warnings for months that disagree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "analyze.h"
#include "history.h"

static char dir[256];

static void put(const char *name, const char *text) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *path(const char *name) {
    static char p[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/hu_history_XXXXXX");
    if (!mkdtemp(dir)) return -1;
    put("2026-08.yaml", "title: t\norg: 某某园区\nperiod: 2026-08\n"
                        "indicators:\n"
                        "  - {name: 税收收入, unit: 万元, value: 18000, last_year: 17000}\n"
                        "  - {name: 利润, unit: 万元, value: 500}\n");
    /* September says August was 17900: disagrees with 2026-08.yaml */
    put("2026-09.yaml", "title: t\norg: 某某园区\nperiod: 2026-09\n"
                        "indicators:\n"
                        "  - {name: 税收收入, unit: 万元, value: 21080, last_month: 17900}\n"
                        "  - {name: 利润, unit: 万元, value: 450}\n");
    put("2026-10.yaml", "title: t\norg: 某某园区\nperiod: 2026-10\n"
                        "indicators:\n"
                        "  - {name: 税收收入, unit: 万元, value: 23420, last_year: 21780}\n"
                        "  - {name: 利润, unit: 万元, value: 470}\n"
                        "  - {name: 新指标, unit: 个, value: 3}\n");
    /* not history: another office, another year, a later month, a broken file, not data */
    put("other-org.yaml", "title: t\norg: 别的园区\nperiod: 2026-07\n");
    put("2025-12.yaml", "title: t\norg: 某某园区\nperiod: 2025-12\n");
    put("2026-11.yaml", "title: t\norg: 某某园区\nperiod: 2026-11\n");
    put("broken.yaml", "title: [unclosed\n");
    put("notes.txt", "not data\n");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    const char *names[] = {"2026-08.yaml", "2026-09.yaml",     "2026-10.yaml", "other-org.yaml",
                           "2025-12.yaml", "2026-11.yaml",     "broken.yaml",  "notes.txt",
                           "2026-07.yaml", "2026-09-copy.yaml"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(path(names[i]));
    rmdir(dir);
    return 0;
}

static bool has_warning(const hu_diags *d, const char *a, const char *b, const char *c) {
    for (size_t i = 0; i < d->n; i++) {
        const char *m = d->v[i].msg;
        if (d->v[i].severity == HU_WARNING && strstr(m, a) && (!b || strstr(m, b)) &&
            (!c || strstr(m, c)))
            return true;
    }
    return false;
}

static void test_three_months(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_report *cur = hu_input_load(&a, path("2026-10.yaml"), &d);
    assert_non_null(cur);
    hu_history *h = hu_history_load(&a, cur, NULL, NULL, &d);
    assert_non_null(h);
    hu_history_check(&a, h, false, &d);
    assert_int_equal(d.errors, 0);

    const char *const *used;
    assert_int_equal(hu_history_used(h, &used), 2);
    assert_string_equal(used[0], path("2026-08.yaml"));
    assert_string_equal(used[1], path("2026-09.yaml"));
    /* every data file read, sorted, the current one excluded; notes.txt is not data */
    const char *const *files;
    size_t nf = hu_history_files(h, &files);
    assert_int_equal(nf, 6);
    assert_string_equal(files[0], path("2025-12.yaml"));
    for (size_t i = 0; i < nf; i++)
        assert_null(strstr(files[i], "2026-10.yaml"));

    /* series: 8 and 9 from their own files, 10 from the current */
    const hu_months *m = hu_history_months(h, "税收收入");
    assert_non_null(m);
    assert_string_equal(m->cum[8].text, "18000");
    assert_string_equal(m->cum[9].text, "21080");
    assert_string_equal(m->cum[10].text, "23420");
    assert_false(m->cum[7].set);
    assert_null(hu_history_months(h, "没有这个指标"));
    const hu_months *nm = hu_history_months(h, "新指标");
    assert_non_null(nm);
    assert_false(nm->cum[9].set);

    /* 当月 = 23420 - 21080 = 2340; 9月 own = 21080 - 18000 = 3080; 环比 -24.0% */
    hu_ind_result r;
    hu_analyze_indicator(&a, &cur->indicators[0], 10, m, true, &r);
    assert_string_equal(r.month_value_text, "2340");
    assert_string_equal(r.mom.text, "环比下降24.0%");

    /* the disagreement names both files */
    assert_true(has_warning(&d, "17900", path("2026-09.yaml"), path("2026-08.yaml")));
    /* 利润 shrinks from 500 to 450: both files named */
    assert_true(has_warning(&d, "利润", path("2026-08.yaml"), path("2026-09.yaml")));
    /* the broken file is skipped with a warning, the others silently */
    bool broken = false;
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].file && strstr(d.v[i].file, "broken.yaml")) broken = true;
    assert_true(broken);
    for (size_t i = 0; i < d.n; i++)
        assert_null(d.v[i].file ? strstr(d.v[i].file, "other") : NULL);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static void test_explicit_wins_and_cache(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    put("2026-09-copy.yaml", "title: t\norg: 某某园区\nperiod: 2026-09\n"
                             "indicators:\n  - {name: 税收收入, unit: 万元, value: 1}\n");
    const char *txt = "title: t\norg: 某某园区\nperiod: 2026-10\n"
                      "indicators:\n"
                      "  - {name: 税收收入, unit: 万元, value: 23420, last_month: 21000}\n";
    hu_value *root = hu_value_load_string(&a, txt, strlen(txt), "mem.yaml", false, &d);
    assert_non_null(root);
    hu_report *cur = hu_input_from_value(&a, root, "mem.yaml", &d);
    assert_non_null(cur);
    hu_history_cache *cache = hu_history_cache_new();
    hu_history *h = hu_history_load(&a, cur, dir, cache, &d);
    const hu_months *m = hu_history_months(h, "税收收入");
    /* explicit last_month wins over 2026-09.yaml's 21080, with a warning naming both */
    assert_string_equal(m->cum[9].text, "21000");
    assert_true(has_warning(&d, "21000", "mem.yaml", path("2026-09.yaml")));
    /* two files for September: the first by name is used, the other named in a warning */
    assert_true(has_warning(&d, "重复", path("2026-09-copy.yaml"), path("2026-09.yaml")));
    /* a second load through the cache sees the same reports */
    hu_diags d2 = HU_DIAGS_INIT;
    hu_history *h2 = hu_history_load(&a, cur, dir, cache, &d2);
    assert_ptr_equal(hu_history_month(h, 8), hu_history_month(h2, 8));
    assert_int_equal(d2.warnings, d.warnings); /* same findings, reported again */
    hu_diags_free(&d2);
    hu_history_cache_free(cache);
    unlink(path("2026-09-copy.yaml"));
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static void test_no_history(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_report *cur = hu_input_load(&a, path("2026-08.yaml"), &d);
    assert_non_null(cur);
    hu_history *h = hu_history_load(&a, cur, "/nonexistent/dir", NULL, &d);
    assert_non_null(h);
    assert_int_equal(d.errors, 0);
    assert_true(d.warnings >= 1);
    const hu_months *m = hu_history_months(h, "税收收入");
    assert_string_equal(m->cum[8].text, "18000");
    assert_false(m->cum[7].set);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static size_t count_sev(const hu_diags *d, hu_severity sev, const char *needle) {
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].severity == sev && strstr(d->v[i].msg, needle)) n++;
    return n;
}

/* A month copied from the last one: figures, paragraphs, lists and highlights left as they
 * were are warnings, errors with strict; unchanged: true and short stock phrases are not. */
static void test_stale_month(void **state) {
    (void)state;
    char sub[300];
    snprintf(sub, sizeof sub, "%s/stale", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    const char *sep = "title: t\norg: 某某园区\nperiod: 2026-09\n"
                      "indicators:\n"
                      "  - {name: 税收收入, unit: 万元, value: 21080}\n"
                      "  - {name: 新签约项目, unit: 个, value: 21}\n"
                      "  - {name: 企业数, unit: 家, value: 6}\n"
                      "sections:\n"
                      "  - title: 主要工作情况\n"
                      "    text: |\n"
                      "      按照“一张蓝图绘到底”的发展思路，南片区按功能分片成块布局同类产业。\n"
                      "\n"
                      "      9月引进招商项目3个，合同引资额8.55亿元，均为电子信息产业项目。\n"
                      "    points: [加强金融服务，为12家企业争取贷款1.85亿元, 强化人才服务]\n"
                      "    highlights: [电子包装园主体工程完工]\n"
                      "  - title: 下一步工作打算\n"
                      "    text: 无。\n";
    const char *oct = "title: t\norg: 某某园区\nperiod: 2026-10\n"
                      "indicators:\n"
                      "  - {name: 税收收入, unit: 万元, value: 21080.0}\n"
                      "  - {name: 新签约项目, unit: 个, value: 21, unchanged: true}\n"
                      "  - {name: 企业数, unit: 家, value: 8}\n"
                      "sections:\n"
                      "  - title: 主要工作情况\n"
                      "    text: |\n"
                      "      10月引进招商项目3个，合同引资额7.55亿元，其中电子信息产业项目2个。\n"
                      "\n"
                      "      按照“一张蓝图绘到底”的发展思路，\n"
                      "      南片区按功能分片成块布局同类产业。\n"
                      "    points: [加强金融服务，为12家企业争取贷款1.85亿元, 强化人才服务]\n"
                      "    highlights: [电子包装园主体工程完工, 新增规模以上工业企业2家]\n"
                      "  - title: 下一步工作打算\n"
                      "    text: 无。\n";
    char p9[400], p10[400];
    snprintf(p9, sizeof p9, "%s/2026-09.yaml", sub);
    snprintf(p10, sizeof p10, "%s/2026-10.yaml", sub);
    FILE *f = fopen(p9, "w");
    fputs(sep, f);
    fclose(f);
    f = fopen(p10, "w");
    fputs(oct, f);
    fclose(f);
    for (int strict = 0; strict < 2; strict++) {
        hu_arena a;
        hu_arena_init(&a);
        hu_diags d = HU_DIAGS_INIT;
        hu_report *cur = hu_input_load(&a, p10, &d);
        assert_non_null(cur);
        hu_history *h = hu_history_load(&a, cur, NULL, NULL, &d);
        hu_history_check(&a, h, strict, &d);
        hu_severity sev = strict ? HU_ERROR : HU_WARNING;
        /* 21080.0 is 21080: not updated; 21 with unchanged: true and 6 -> 8 are fine */
        assert_int_equal(count_sev(&d, sev, "本期数"), 1);
        assert_int_equal(count_sev(&d, sev, "“税收收入”的本期数 21080.0 与上月累计（1—9月"), 1);
        /* the paragraph rewrapped is the same paragraph; its line is its own (13; September's 11)
         */
        assert_int_equal(count_sev(&d, sev, "这段文字与上月"), 1);
        bool at11 = false;
        for (size_t i = 0; i < d.n; i++)
            if (strstr(d.v[i].msg, "这段文字") && d.v[i].line == 13 &&
                strstr(d.v[i].msg, "第 11 行"))
                at11 = true;
        assert_true(at11);
        assert_int_equal(count_sev(&d, sev, "列举的各项与上月"), 1);
        assert_int_equal(count_sev(&d, sev, "亮点与上月"), 1);
        /* "无。" repeats every month */
        assert_int_equal(d.errors + d.warnings, 4);
        hu_diags_free(&d);
        hu_arena_free(&a);
    }
    unlink(p9);
    unlink(p10);
    rmdir(sub);
}

/* Writes name: text followed by a YAML comment padding it to size bytes. */
static void put_padded(const char *name, const char *text, size_t size) {
    FILE *f = fopen(path(name), "w");
    assert_non_null(f);
    fputs(text, f);
    size_t n = strlen(text);
    while (n + 41 <= size) {
        fputs("# ......................................\n", f);
        n += 41;
    }
    fclose(f);
}

static void test_oversized_siblings(void **state) {
    (void)state;
    /* files over HU_HISTORY_MAX_BYTES are not read: a real earlier month (warned: history is
     * incomplete), a file whose name says nothing (warned), a later month (silent) */
    char sub[256];
    snprintf(sub, sizeof sub, "%.200s/big", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    char keep[256];
    snprintf(keep, sizeof keep, "%s", dir);
    snprintf(dir, sizeof dir, "%s", sub);
    const char *head8 = "title: t\norg: 某某园区\nperiod: 2026-08\n"
                        "indicators:\n  - {name: 税收收入, unit: 万元, value: 18000}\n";
    put_padded("2026-08.yaml", head8, HU_HISTORY_MAX_BYTES + 100);
    put("2026-09.yaml", "title: t\norg: 某某园区\nperiod: 2026-09\n"
                        "indicators:\n  - {name: 税收收入, unit: 万元, value: 21080}\n");
    put_padded("dump.yaml", "a: [1\n", 3 * HU_HISTORY_MAX_BYTES);
    put_padded("2026-12.yaml", "title: t\n", HU_HISTORY_MAX_BYTES + 1);
    /* at the limit: still read */
    put_padded("2026-07.yaml",
               "title: t\norg: 某某园区\nperiod: 2026-07\n"
               "indicators:\n  - {name: 税收收入, unit: 万元, value: 15000}\n",
               HU_HISTORY_MAX_BYTES);
    put("2026-10.yaml", "title: t\norg: 某某园区\nperiod: 2026-10\n"
                        "indicators:\n  - {name: 税收收入, unit: 万元, value: 23420}\n");
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_report *cur = hu_input_load(&a, path("2026-10.yaml"), &d);
    assert_non_null(cur);
    hu_history_cache *cache = hu_history_cache_new();
    hu_history *h = hu_history_load(&a, cur, NULL, cache, &d);
    assert_null(hu_history_month(h, 8));
    assert_non_null(hu_history_month(h, 9));
    assert_non_null(hu_history_month(h, 7));
    assert_true(has_warning(&d, "过大", NULL, NULL));
    size_t big = 0;
    for (size_t i = 0; i < d.n; i++)
        if (strstr(d.v[i].msg, "过大")) {
            big++;
            assert_true(strstr(d.v[i].file, "2026-08.yaml") || strstr(d.v[i].file, "dump.yaml"));
        }
    assert_int_equal(big, 2);
    /* still prerequisites (they could be edited to match), as broken siblings */
    const char *const *files;
    size_t nf = hu_history_files(h, &files);
    assert_int_equal(nf, 5);
    const hu_sibling *sib;
    assert_int_equal(hu_history_siblings(h, &sib), 5);
    for (size_t i = 0; i < nf; i++)
        if (strstr(sib[i].file, "dump.yaml")) assert_true(sib[i].broken);
    hu_history_cache_free(cache);
    hu_diags_free(&d);
    hu_arena_free(&a);
    const char *names[] = {"2026-07.yaml", "2026-08.yaml", "2026-09.yaml",
                           "2026-10.yaml", "2026-12.yaml", "dump.yaml"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(path(names[i]));
    snprintf(dir, sizeof dir, "%s", keep);
    rmdir(sub);
}

/* The cache keeps a month's figures, texts and their locations, not its parsed tree (freed as
 * soon as the month is validated, issue 19 item 6): what history reads of a cached month must
 * not point into that tree. Under ASan a pointer left into it is a use after free; without, the
 * freed blocks are written over before the month is read. Three ways in: a batch's preload and
 * validate_all, a cache filled by hu_history_load itself, and no cache. */
static void test_cached_month_outlives_tree(void **state) {
    (void)state;
    char sub[300], p9[400], p10[400], po[400];
    snprintf(sub, sizeof sub, "%.200s/slim", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    snprintf(p9, sizeof p9, "%s/2026-09.yaml", sub);
    snprintf(p10, sizeof p10, "%s/2026-10.yaml", sub);
    snprintf(po, sizeof po, "%s/other.yaml", sub);
    const char *sep = "title: 九月\norg: 某某园区\nperiod: 2026-09\n"
                      "indicators:\n"
                      "  - {name: 税收收入, unit: 万元, value: 21080, last_month: 18000}\n"
                      "sections:\n"
                      "  - title: 主要工作情况\n"
                      "    text: |\n"
                      "      按照“一张蓝图绘到底”的发展思路，南片区按功能分片成块布局同类产业。\n"
                      "    points: [加强金融服务，为12家企业争取贷款1.85亿元, 强化人才服务]\n"
                      "    highlights: [电子包装园主体工程完工]\n";
    const char *oct = "title: 十月\norg: 某某园区\nperiod: 2026-10\n"
                      "indicators:\n"
                      "  - {name: 税收收入, unit: 万元, value: 21080}\n"
                      "sections:\n"
                      "  - title: 主要工作情况\n"
                      "    text: |\n"
                      "      按照“一张蓝图绘到底”的发展思路，南片区按功能分片成块布局同类产业。\n"
                      "    points: [加强金融服务，为12家企业争取贷款1.85亿元, 强化人才服务]\n"
                      "    highlights: [电子包装园主体工程完工]\n";
    const char *files[][2] = {
        {p9, sep}, {p10, oct}, {po, "title: t\norg: 别的园区\nperiod: 2026-07\n"}};
    for (size_t i = 0; i < 3; i++) {
        FILE *f = fopen(files[i][0], "w");
        assert_non_null(f);
        fputs(files[i][1], f);
        fclose(f);
    }
    for (int mode = 0; mode < 3; mode++) {
        hu_history_cache *cache = mode < 2 ? hu_history_cache_new() : NULL;
        if (mode == 0) { /* as a batch's parent before its fork */
            const char *inputs[] = {p10};
            hu_history_cache_add_input(cache, p10);
            hu_history_cache_preload(cache, inputs, 1, NULL, 2);
            hu_history_cache_validate_all(cache);
        } else if (mode == 1) { /* a first load through the cache validates September */
            hu_arena a0;
            hu_arena_init(&a0);
            hu_diags d0 = HU_DIAGS_INIT;
            hu_report *cur0 = hu_input_load(&a0, p10, &d0);
            assert_non_null(cur0);
            assert_non_null(hu_history_month(hu_history_load(&a0, cur0, NULL, cache, &d0), 9));
            hu_diags_free(&d0);
            hu_arena_free(&a0);
        }
        /* the freed trees' memory handed out again and written over */
        void *junk[16];
        for (size_t i = 0; i < 16; i++) {
            junk[i] = malloc(64 * 1024);
            assert_non_null(junk[i]);
            memset(junk[i], 0xA5, 64 * 1024);
        }
        hu_arena a;
        hu_arena_init(&a);
        hu_diags d = HU_DIAGS_INIT;
        hu_report *cur = hu_input_load(&a, p10, &d);
        assert_non_null(cur);
        hu_history *h = hu_history_load(&a, cur, NULL, cache, &d);
        const hu_report *sepr = hu_history_month(h, 9);
        assert_non_null(sepr);
        assert_null(sepr->root); /* no tree kept */
        assert_null(sepr->title);
        assert_string_equal(sepr->file, p9);
        assert_string_equal(sepr->org, "某某园区");
        assert_string_equal(sepr->period, "2026-09");
        assert_int_equal(sepr->month, 9);
        assert_int_equal(sepr->nindicators, 1);
        const hu_indicator *ind = &sepr->indicators[0];
        assert_string_equal(ind->name, "税收收入");
        assert_string_equal(ind->path, "indicators[0]");
        assert_string_equal(ind->value.text, "21080");
        assert_true(ind->value.set);
        assert_string_equal(ind->value.loc.file, p9);
        assert_int_equal(ind->value.loc.line, 5);
        assert_string_equal(ind->last_month.text, "18000");
        assert_int_equal(sepr->nsections, 1);
        assert_non_null(strstr(sepr->sections[0].text, "一张蓝图绘到底"));
        assert_string_equal(sepr->sections[0].path, "sections[0]");
        assert_int_equal(sepr->sections[0].npoints, 2);
        assert_string_equal(sepr->sections[0].points[1].s, "强化人才服务");
        assert_int_equal(sepr->sections[0].points[0].loc.line, 10);
        assert_string_equal(sepr->sections[0].highlights[0].s, "电子包装园主体工程完工");
        assert_string_equal(sepr->sections[0].highlights[0].loc.file, p9);
        /* the series and the siblings */
        const hu_months *m = hu_history_months(h, "税收收入");
        assert_string_equal(m->cum[9].text, "21080");
        assert_string_equal(m->file[9], p9);
        assert_string_equal(m->cum[8].text, "18000");
        const hu_sibling *sb;
        size_t ns = hu_history_siblings(h, &sb);
        assert_int_equal(ns, 2);
        assert_string_equal(sb[0].file, p9);
        assert_string_equal(sb[1].file, po);
        assert_string_equal(sb[1].org, "别的园区");
        assert_string_equal(sb[1].period, "2026-07");
        assert_false(sb[1].broken);
        /* and the warnings that quote September's text and figures */
        hu_history_check(&a, h, false, &d);
        char at9[460];
        snprintf(at9, sizeof at9, "%s 第 9 行", p9);
        assert_int_equal(count_sev(&d, HU_WARNING, "“税收收入”的本期数 21080 与上月累计"), 1);
        assert_int_equal(count_sev(&d, HU_WARNING, p9), 4);
        assert_int_equal(count_sev(&d, HU_WARNING, at9), 1);
        assert_int_equal(count_sev(&d, HU_WARNING, "列举的各项与上月"), 1);
        assert_int_equal(count_sev(&d, HU_WARNING, "亮点与上月"), 1);
        hu_diags_free(&d);
        hu_arena_free(&a);
        for (size_t i = 0; i < 16; i++)
            free(junk[i]);
        hu_history_cache_free(cache);
    }
    for (size_t i = 0; i < 3; i++)
        unlink(files[i][0]);
    rmdir(sub);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_months),
        cmocka_unit_test(test_explicit_wins_and_cache),
        cmocka_unit_test(test_no_history),
        cmocka_unit_test(test_stale_month),
        cmocka_unit_test(test_oversized_siblings),
        cmocka_unit_test(test_cached_month_outlives_tree),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
