/* test_base.c - the base helpers every stage shares: UTF-8 stepping and cutting (utf8.h),
 * path parts (fileio.h) and outputs put in place together (atomic.h). Each replaced a hand-written
 * copy in several files; the edge cases below are the ones those copies handled differently. */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "arena.h"
#include "atomic.h"
#include "buf.h"
#include "error.h"
#include "fileio.h"
#include "spare.h"
#include "utf8.h"

static void utf8_before(void **state) {
    (void)state;
    const char *s = "a汇𠀀b"; /* 1 + 3 + 4 + 1 bytes */
    assert_int_equal(hu_utf8_before(s, 0), 0);
    assert_int_equal(hu_utf8_before(s, 1), 'a');
    assert_int_equal(hu_utf8_before(s, 4), 0x6C47);
    assert_int_equal(hu_utf8_before(s, 8), 0x20000);
    assert_int_equal(hu_utf8_before(s, 9), 'b');
    /* a run of continuation bytes: at most 4 bytes back, and a replacement character */
    const char bad[] = "x\x80\x80\x80\x80\x80";
    assert_int_equal(hu_utf8_before(bad, 6), 0xFFFD);
}

static void utf8_complete(void **state) {
    (void)state;
    const char *s = "ab汇报𠀀"; /* 2 + 3 + 3 + 4 bytes */
    assert_int_equal(hu_utf8_complete(s, 0), 0);
    assert_int_equal(hu_utf8_complete(s, 2), 2);
    assert_int_equal(hu_utf8_complete(s, 3), 2); /* inside 汇 */
    assert_int_equal(hu_utf8_complete(s, 4), 2);
    assert_int_equal(hu_utf8_complete(s, 5), 5);
    assert_int_equal(hu_utf8_complete(s, 9), 8);  /* one byte of 𠀀 */
    assert_int_equal(hu_utf8_complete(s, 11), 8); /* three of its four */
    assert_int_equal(hu_utf8_complete(s, 12), 12);
    /* invalid input is left as it is rather than eaten */
    assert_int_equal(hu_utf8_complete("\x80\x80", 2), 2);
    assert_int_equal(hu_utf8_complete("a\x80", 2), 2);
}

static void soft_break(void **state) {
    (void)state;
    assert_false(hu_soft_break_is_space(0x63A8, 0x8FDB)); /* 推⏎进 */
    assert_false(hu_soft_break_is_space(0x6587, 'A'));    /* 文⏎A: CJK on one side */
    assert_true(hu_soft_break_is_space('d', 'A'));        /* two Latin words */
    assert_false(hu_soft_break_is_space(' ', 'A'));       /* never a doubled space */
    assert_false(hu_soft_break_is_space('d', ' '));
    assert_false(hu_soft_break_is_space('\n', 'A')); /* after a hard break */
}

static void path_parts(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    assert_string_equal(hu_path_dir(&a, "a/b/c.yaml"), "a/b");
    assert_string_equal(hu_path_dir(&a, "/c.yaml"), "/");
    assert_string_equal(hu_path_dir(&a, "./c.yaml"), ".");
    assert_null(hu_path_dir(&a, "c.yaml"));
    assert_string_equal(hu_path_base("a/b/c.yaml"), "c.yaml");
    assert_string_equal(hu_path_base("c.yaml"), "c.yaml");
    assert_string_equal(hu_path_base("a/"), "");
    char *stem = hu_path_stem("归档/2026年10月.yaml");
    assert_string_equal(stem, "2026年10月");
    free(stem);
    stem = hu_path_stem("a/.hidden");
    assert_string_equal(stem, ".hidden");
    free(stem);
    assert_true(hu_path_is_input("x/2026-10.YML"));
    assert_false(hu_path_is_input("x/.2026-10.yaml"));
    assert_false(hu_path_is_input("2026-10.yaml.bak"));
    hu_arena_free(&a);
}

static char *slurp(const char *dir, const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    hu_buf b = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    bool ok = hu_file_read(path, NULL, "文件", 1 << 20, &b, &d);
    hu_diags_free(&d);
    if (!ok) {
        hu_buf_free(&b);
        return NULL;
    }
    return hu_buf_detach(&b);
}

/* hu_atomic_commit_all: the complete files go in place, an empty one is reported and removed
 * and leaves the old output as it was, `also` is fsynced and left open, no temporary file is
 * left behind. */
/* dir holds exactly `want` files and no temporary one (".tmp-"): a commit left nothing behind.
 * Removes them and dir. */
static void remove_outputs(const char *dir, int want) {
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    int n = 0;
    for (struct dirent *e; (e = readdir(dp));) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, ".."))) continue;
        assert_null(strstr(e->d_name, ".tmp-"));
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
        n++;
    }
    closedir(dp);
    assert_int_equal(n, want);
    rmdir(dir);
}

static void commit_all(void **state) {
    (void)state;
    char dir[] = "/tmp/huibao-test-atomic-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char old[600];
    snprintf(old, sizeof old, "%s/b.md", dir);
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_atomic_write(old, "old", 3, &d));
    hu_atomic w[3];
    hu_atomic *set[3] = {&w[0], &w[1], &w[2]};
    const char *names[3] = {"a.pdf", "b.md", "c.xlsx"};
    const char *data[3] = {"pdf", "", "xlsx"};
    for (int i = 0; i < 3; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        assert_true(hu_atomic_begin(&w[i], p, &d));
        assert_true(hu_file_write(w[i].tmp, p, data[i], strlen(data[i]), &d));
    }
    assert_false(hu_diags_failed(&d));
    int also = open(dir, O_RDONLY | O_DIRECTORY);
    assert_true(also >= 0);
    bool placed[3];
    assert_false(hu_atomic_commit_all(set, 3, also, placed, &d));
    assert_true(placed[0] && !placed[1] && placed[2]);
    assert_true(hu_diags_failed(&d));
    assert_true(fcntl(also, F_GETFD) >= 0); /* still the caller's */
    close(also);
    char *t;
    assert_string_equal(t = slurp(dir, "a.pdf"), "pdf"), free(t);
    assert_string_equal(t = slurp(dir, "b.md"), "old"), free(t);
    assert_string_equal(t = slurp(dir, "c.xlsx"), "xlsx"), free(t);
    remove_outputs(dir, 3);
    hu_diags_free(&d);
}

static void no_first(void) {}

/* Three files of a set in dir, a.pdf, b.md, c.xlsx, staged with the given contents. */
static void stage3(const char *dir, hu_atomic w[3], const char *const data[3], hu_diags *d) {
    const char *names[3] = {"a.pdf", "b.md", "c.xlsx"};
    for (int i = 0; i < 3; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        assert_true(hu_atomic_stage(&w[i], p, data[i], strlen(data[i]), d));
    }
}

/* fsyncs begun early (hu_atomic_sync_soon on the spare threads, hu_atomic_sync_here on the
 * caller's): the set goes in place as one fsynced in the commit's round would; a failed early
 * fsync (HU_TEST_FSYNC_FAIL) fails the whole set, every file named, and replaces nothing. */
static void commit_early(void **state) {
    (void)state;
    assert_true(hu_spare_start(no_first));
    char dir[] = "/tmp/huibao-test-early-XXXXXX";
    assert_non_null(mkdtemp(dir));
    hu_diags d = HU_DIAGS_INIT;
    hu_atomic w[3];
    hu_atomic *set[3] = {&w[0], &w[1], &w[2]};
    const char *const old[3] = {"pdf1", "md1", "xlsx1"}, *const now[3] = {"pdf2", "md2", "xlsx2"};
    stage3(dir, w, old, &d);
    hu_atomic_sync_soon(&w[0]);
    hu_atomic_sync_here(&w[1]);
    bool placed[3];
    assert_true(hu_atomic_commit_all(set, 3, -1, placed, &d));
    assert_true(placed[0] && placed[1] && placed[2]);
    assert_false(hu_diags_failed(&d));
    char *t;
    assert_string_equal(t = slurp(dir, "b.md"), "md1"), free(t);

    stage3(dir, w, now, &d);
    setenv("HU_TEST_FSYNC_FAIL", "b.md", 1);
    hu_atomic_sync_soon(&w[0]);
    hu_atomic_sync_soon(&w[1]); /* the one that fails, early when a spare thread is idle */
    hu_atomic_sync_here(&w[2]);
    assert_false(hu_atomic_commit_all(set, 3, -1, placed, &d));
    unsetenv("HU_TEST_FSYNC_FAIL");
    assert_true(!placed[0] && !placed[1] && !placed[2]);
    assert_int_equal(d.errors, 3);
    for (size_t i = 0; i < d.n; i++)
        assert_non_null(strstr(d.v[i].msg, "无法把输出文件写入磁盘"));
    assert_string_equal(t = slurp(dir, "a.pdf"), "pdf1"), free(t);
    assert_string_equal(t = slurp(dir, "b.md"), "md1"), free(t);
    assert_string_equal(t = slurp(dir, "c.xlsx"), "xlsx1"), free(t);

    /* abandoned with an early fsync under way: nothing left behind */
    stage3(dir, w, now, &d);
    for (int i = 0; i < 3; i++) {
        hu_atomic_sync_soon(&w[i]);
        hu_atomic_abort(&w[i]);
    }
    hu_spare_stop();
    remove_outputs(dir, 3);
    hu_diags_free(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_before), cmocka_unit_test(utf8_complete),
        cmocka_unit_test(soft_break),  cmocka_unit_test(path_parts),
        cmocka_unit_test(commit_all),  cmocka_unit_test(commit_early),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
