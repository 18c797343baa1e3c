/* test_heap.c - the heap's set-up (heap.h): a single build's spare threads allocate from arenas
 * of their own, not the main thread's, and in a transparent huge page. Checked from the kernel's
 * side (/proc/self/smaps), not from our own bookkeeping. Skipped where it does not apply: a
 * sanitizer's or valgrind's malloc, or transparent huge pages "never" (heap.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "heap.h"
#include "spare.h"

/* AnonHugePages (kB) of the mapping that holds p, or -1 when no mapping does. */
static long huge_kb(const void *p) {
    FILE *f = fopen("/proc/self/smaps", "r");
    assert_non_null(f);
    char line[512];
    bool in = false;
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, ' ') > strchr(line, '-')) {
            in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
            continue;
        }
        if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1) break;
    }
    fclose(f);
    return kb;
}

enum { NBLOCKS = 512, BLOCK = 1000 };
typedef struct {
    char *first;
    long kb;
} job_result;

/* What a spare thread's job does: many small blocks, written (as the workbook's and the font
 * threads' allocations are). */
static void job(void *arg) {
    job_result *r = arg;
    char **b = malloc(NBLOCKS * sizeof *b);
    assert_non_null(b);
    for (int i = 0; i < NBLOCKS; i++) {
        b[i] = malloc(BLOCK);
        assert_non_null(b[i]);
        memset(b[i], i & 0xFF, BLOCK);
    }
    r->first = b[0];
    r->kb = huge_kb(b[0]);
    for (int i = 0; i < NBLOCKS; i++)
        free(b[i]);
    free(b);
}

static void no_first(void) {}

static void spare_thread_arena(void **state) {
    (void)state;
    hu_heap_init();
    if (!hu_heap_spare_threads(3)) {
        hu_heap_end();
        skip(); /* another malloc than glibc's, or no transparent huge pages */
    }
    assert_true(hu_spare_start(no_first));
    job_result r[2] = {{NULL, -1}, {NULL, -1}};
    int t0 = hu_spare_submit(job, &r[0]);
    int t1 = hu_spare_submit(job, &r[1]);
    assert_true(t0 >= 0 && t1 >= 0);
    hu_spare_wait(t0);
    hu_spare_wait(t1);
    hu_spare_stop();
    char *mine = malloc(BLOCK);
    assert_non_null(mine);
    for (int i = 0; i < 2; i++) {
        /* not in the main arena (glibc's brk heap, below the break) */
        assert_true((uintptr_t)r[i].first >= (uintptr_t)sbrk(0));
        /* in a huge page */
        assert_true(r[i].kb >= 2048);
    }
    /* two threads, two arenas: their heaps are 64 MiB apart at least */
    uintptr_t a = (uintptr_t)r[0].first, b = (uintptr_t)r[1].first;
    assert_true((a > b ? a - b : b - a) >= ((uintptr_t)64 << 20) - ((uintptr_t)4 << 20));
    /* the main thread stays in the main arena */
    assert_true((uintptr_t)mine < (uintptr_t)sbrk(0));
    free(mine);
    hu_heap_end();
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(spare_thread_arena)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
