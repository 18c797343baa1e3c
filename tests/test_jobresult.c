/* Unit tests of the -j result records (jobresult.c): what a child writes the parent reads back
 * unchanged, whatever the title, file names and messages hold; a result cut short, forged or
 * naming an unexpected output is refused. The first case is issue 15's: a title with
 * newlines once injected records, turned a failed report into a success and put /etc/passwd
 * among the outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobresult_check.h"

static void fill(hu_report_result *r, hu_diags *d, const char *title) {
    r->title = strdup(title);
    r->org = strdup("某某区\n发展和改革局");
    r->period = strdup("2026-10");
    r->template_desc = strdup("monthly（内置模板）");
    r->history_months = 13;
    r->pages = 4;
    hu_strlist_add(&r->outputs, "out/2026-10.pdf");
    hu_strlist_add(&r->outputs, "out/2026-10\nO15:out/evil.pdf");
    hu_strlist_add(&r->deps, "数据/2026-10.yaml");
    hu_strlist_add(&r->deps, "数据/a b:c;$d.yaml");
    hu_error(d, "数据/2026-10.yaml", 3, 7, "indicators[2].value", "应为数字\nS1:0\nZ0:");
    hu_warn(d, NULL, 0, 0, NULL, "%s", "");
    hu_diag_add(d, HU_NOTE, "fonts/x.ttf", 1, 1, NULL, "后备字体：堃");
}

static void test_round_trip_hostile_strings(void **state) {
    (void)state;
    const char *titles[] = {"关于2026年1—10月重点工作推进情况的汇报",
                            "标题\nS0:\nO11:/etc/passwd\nZ0:", "",
                            "99999999999999999999999:", "Z0:"};
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
        hu_report_result r = {0};
        hu_diags d = HU_DIAGS_INIT;
        fill(&r, &d, titles[i]);
        const char *bad = jobresult_check(HU_EXIT_BUILD, &r, &d, true);
        if (bad) fprintf(stderr, "title %zu: %s\n", i, bad);
        assert_null(bad);
        hu_report_result_free(&r);
        hu_diags_free(&d);
    }
}

static bool read_str(const char *s, int *st, hu_report_result *r) {
    hu_diags d = HU_DIAGS_INIT;
    bool ok = hu_jobresult_read(s, strlen(s), jrc_accept_out, NULL, st, r, &d);
    hu_diags_free(&d);
    return ok;
}

static void test_refused(void **state) {
    (void)state;
    const char *bad[] = {
        "",                           /* nothing: the child died before writing */
        "S1:0",                       /* no end record */
        "S1:0Z0:x",                   /* bytes after the end */
        "S1:3Z0:",                    /* a status huibao never exits with */
        "S2:-1Z0:",                   /* negative status */
        "Z0:",                        /* no status */
        "S1:0O11:/etc/passwdZ0:",     /* an output the parent does not expect */
        "S1:0T1:aT1:bZ0:",            /* a title twice */
        "S1:0v1:2Z0:",                /* a diagnostic without its message */
        "S1:0m1:xZ0:",                /* a message without its diagnostic */
        "S1:0q1:xZ0:",                /* an unknown tag */
        "S99999999999999999999:0Z0:", /* a length past the end */
        "S1:0N11:99999999999Z0:",     /* pages out of range */
        "S1:0D0:Z0:",                 /* an empty dependency */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        hu_report_result r = {0};
        int st = 42;
        bool ok = read_str(bad[i], &st, &r);
        if (ok) fprintf(stderr, "accepted: %s\n", bad[i]);
        assert_false(ok);
        assert_int_equal(st, 42);
        assert_int_equal(r.outputs.n, 0);
        hu_report_result_free(&r);
    }
}

static void test_counts_beyond_recorded(void **state) {
    (void)state;
    /* a child that counted 500 errors records at most 200: the counts still decide */
    hu_report_result r = {0};
    hu_diags d = HU_DIAGS_INIT;
    int st = -1;
    assert_true(
        hu_jobresult_read("S1:2v1:2m2:abX3:500Y1:7Z0:", 26, jrc_accept_out, NULL, &st, &r, &d));
    assert_int_equal(st, 2);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.errors, 500);
    assert_int_equal(d.warnings, 7);
    hu_report_result_free(&r);
    hu_diags_free(&d);
}

/* A worker's socket carries result after result: the frame says where one ends, waits for a
 * result still arriving, and gives up on bytes that cannot become one. */
static void test_frame(void **state) {
    (void)state;
    static const struct {
        const char *s;
        size_t want;
    } cases[] = {
        {"", 0},
        {"S", 0},
        {"S1", 0},
        {"S1:", 0},
        {"S1:0", 0},              /* no end record yet */
        {"S1:0Z0:", 7},           /* whole */
        {"S1:0Z0:S1:0", 7},       /* and the next one's first bytes */
        {"T4:Z0:xZ0:", 10},       /* "Z0:" inside a payload ends nothing */
        {"S1:0m12:abc", 0},       /* a payload still arriving */
        {"Sx", HU_JOBRESULT_BAD}, /* not a length */
        {"S1:0Z", 0},
        {"S1:0Z-", HU_JOBRESULT_BAD},
        {"S99999999999999999999999:", HU_JOBRESULT_BAD}, /* longer than any result */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t got = hu_jobresult_frame(cases[i].s, strlen(cases[i].s));
        if (got != cases[i].want) fprintf(stderr, "case %zu \"%s\": %zu\n", i, cases[i].s, got);
        assert_true(got == cases[i].want);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_hostile_strings),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_counts_beyond_recorded),
        cmocka_unit_test(test_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
