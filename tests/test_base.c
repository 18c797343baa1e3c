/* test_base.c - the base helpers every stage shares: UTF-8 stepping and cutting (utf8.h) and
 * path parts (fileio.h). Each replaced a hand-written copy in several files; the edge cases
 * below are the ones those copies handled differently. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "fileio.h"
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_before),
        cmocka_unit_test(utf8_complete),
        cmocka_unit_test(soft_break),
        cmocka_unit_test(path_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
