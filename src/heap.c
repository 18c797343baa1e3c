/* heap.c - glibc's malloc set up for short runs; see heap.h. */
#include "heap.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#ifdef __GLIBC__
/* The heap's first HU_HUGE_HEAP bytes from here on in transparent huge pages (2 MiB each).
 *
 * Why: on the virtual machines we measure on (bench/README.md, Session 8) the first touch of a
 * 4 KiB page costs ~16 us, and the first touch of a 2 MiB huge page ~0.2 ms: one huge page
 * costs what 12 small pages do, and replaces 512. The sample report's heap took ~500 faults
 * (~8 ms of its ~75 ms of CPU); with this it takes four huge pages. Debian's kernels default
 * to transparent huge pages "madvise": only ranges marked MADV_HUGEPAGE get them, and only
 * where a whole aligned 2 MiB range lies inside the marked mapping. The heap grows by brk in
 * small steps, and each step is a new mapping without the mark (glibc's hugetlb=1 tunable
 * marks only steps of 2 MiB or more, so it moved faults rather than saving them: measured
 * 1,641 -> 1,472, no gain). Hence one step of HU_HUGE_HEAP made here, aligned and marked once.
 *
 * How: a block of HU_HUGE_HEAP + 2 MiB is allocated from the top of the heap (growing it by
 * brk) and freed again (M_TRIM_THRESHOLD keeps it); the part of it from the first 2 MiB
 * boundary on is marked, and the part before the boundary is taken by a block that is never
 * written (heap_gap, freed at exit), so that the allocations that follow start on the boundary.
 * Nothing is touched here: a huge page is only faulted in when an allocation in it is written.
 *
 * Why 8 MiB: the sample's heap fits in it (12 MiB saves nothing more there). A huge page counts
 * whole in the resident set, written or not; measured peak RSS (GNU time, 3 runs, KB, without
 * -> with): 60 pages 22,240 -> 23,600-25,300, 100 pages 23,500 -> 24,100, 200 pages 27,600 ->
 * 27,600 (issue 19: <= 30 MiB), 230 pages 28,800 -> 29,200. With 12 MiB a 170-page report
 * reached 29,400 and with 16 MiB the 200-page one 31,400, over the goal.
 *
 * Only when the block comes from the brk heap (glibc's main arena): under valgrind or a
 * sanitizer malloc is theirs and nothing is marked. */
#define HU_HUGE_HEAP ((size_t)8 << 20)
#define HU_HUGE_PAGE ((uintptr_t)2 << 20)
/* glibc's header before each block: a block that starts where another ends lies this far on */
#define CHUNK_HDR (2 * sizeof(size_t))
static void *heap_gap;
static bool glibc_heap; /* the main arena is glibc's brk heap, and marked */

static void heap_huge_pages(void) {
    uintptr_t brk0 = (uintptr_t)sbrk(0);
    char *big = malloc(HU_HUGE_HEAP + HU_HUGE_PAGE);
    uintptr_t p = (uintptr_t)big, brk1 = (uintptr_t)sbrk(0);
    uintptr_t from = (p + HU_HUGE_PAGE - 1) & ~(HU_HUGE_PAGE - 1);
    uintptr_t to = brk1 & ~(HU_HUGE_PAGE - 1);
    bool ours = big && brk0 != (uintptr_t)-1 && p < brk1 && p + HU_HUGE_HEAP <= brk1 && to > from;
    free(big);
    if (!ours) return;
    glibc_heap = true;
    /* the gap up to the boundary, less the header of the block after it */
    if (from - p > 64 * 1024) heap_gap = malloc(from - p - CHUNK_HDR);
    (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
}

void hu_heap_init(void) {
    /* Keep freed memory for reuse instead of handing it back to the kernel (issue 19 item 6).
     * A report allocates and frees many blocks of 128 KiB to a few MiB (deflate state for every
     * zip member and PDF stream, font tables, page buffers); by default glibc maps each of these
     * afresh and unmaps it on free, and trims the heap's top, so the same memory is faulted in
     * again and again: on the sample ~2,400 page faults a report, ~1,900 with this. A first
     * touch of a page is the dearest thing a short run does (~16 us each on the virtual
     * machines we measure on, bench/README.md Session 6). Peak RSS does not change (200 pages:
     * 28.3 MB either way); a batch worker keeps, between reports, at most its largest report's
     * heap. 32 MiB is the largest threshold glibc accepts; blocks above it are still mapped. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    /* One arena for every thread (the workbook's, the font preparing one, ICU's warm-up): the
     * main arena, whose first 8 MiB are huge pages (heap_huge_pages). By default each thread
     * that allocates gets an arena of its own, a mapping grown a page at a time: on the sample
     * ~250 page faults (~4 ms of CPU) more, measured with perf stat (819 -> 1,070). A single
     * build's spare threads get arenas of their own in huge pages (hu_heap_spare_threads). */
    mallopt(M_ARENA_MAX, 1);
    heap_huge_pages();
}

void hu_heap_end(void) {
    free(heap_gap);
    heap_gap = NULL;
}

/* ---- an arena of its own for each spare thread, in a huge page ----
 *
 * Why: with one arena every allocation that a thread's cache of small blocks (tcache: up to 7
 * blocks of each size up to 1,032 bytes) cannot serve takes the main arena's lock, and when
 * another thread holds it the caller sleeps on a futex until it is woken: a system call each,
 * a context switch and an IPI on the virtual machines we measure on. The sample report made 84
 * such waits a run (perf probe on glibc's lock wait: from calloc, malloc, free and realloc),
 * from the workbook's thread (libxlsxwriter 1.1.4 allocates every XML attribute as a 4,168-byte
 * block, above the cache's limit), the main thread's layout and HarfBuzz on the font threads;
 * ~1.5-2 ms a run of the threads' time off the CPU waiting (perf sched). An arena for each
 * thread removes the waits, but glibc grows a thread's arena (a 64 MiB reservation aligned to
 * its size, HEAP_MAX below, made readable as it grows) a page at a time: +570 page faults and
 * +4 ms of wall time on the sample. With the thread arenas in huge pages (measured first with
 * glibc's own tunables glibc.malloc.hugetlb=1 and top_pad=2 MiB, which can only be set in the
 * environment before the program starts) the faults are those of one arena and the run is
 * 1.3-1.9 ms shorter, a 200-page report 12 ms (bench/README.md, Session 15); each thread's
 * huge page adds 2 MiB to the resident set.
 *
 * How: before the threads exist, the arena cap is raised to one per thread and the top padding
 * to 2 MiB, so that a thread's heap is made with more than 2 MiB readable at once (glibc reads
 * the cap once, at the first arena it makes: hence before any thread allocates). Each thread's
 * first allocation makes its arena, and glibc writes the heap's header on its first page: the
 * first 2 MiB range of the heap then holds a small page and can no longer become a huge one
 * when marked. So the whole reservation is marked MADV_HUGEPAGE and the rest of that first
 * range is taken by a block that is never written (as the main arena's gap, above): the
 * thread's allocations begin in the second range, whose first touch brings one huge page. (The
 * other way, MADV_COLLAPSE of the first range, took 0.3-0.6 ms a thread and the memory map's
 * write lock, and gave half the gain.) The heap is recognised by the header glibc puts at the
 * 64 MiB boundary below the block, whose first word points to the arena just after it;
 * anything else is left alone.
 *
 * With transparent huge pages "never" the threads share the main arena as before: their own
 * arenas in small pages cost more than the waits. With "always" a heap is in huge pages from
 * its first touch, and no gap is needed. */
enum { HEAP_MAX = 64 << 20, HEADER_MAX = 256 };
static enum { THP_NEVER, THP_MADVISE, THP_ALWAYS } thp;
static bool thread_heaps;
static _Thread_local void *thread_gap;

static void thp_mode(void) {
    char buf[80] = {0};
    int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n > 0 && strstr(buf, "[always]")) thp = THP_ALWAYS;
    if (n > 0 && strstr(buf, "[madvise]")) thp = THP_MADVISE;
}

bool hu_heap_spare_threads(int n) {
    if (thread_heaps) return true;
    if (n <= 0 || !glibc_heap) return false;
    thp_mode();
    if (thp == THP_NEVER) return false;
    mallopt(M_TOP_PAD, (int)HU_HUGE_PAGE);
    mallopt(M_ARENA_MAX, n + 1);
    thread_heaps = true;
    return true;
}

void hu_heap_thread_start(void) {
    /* under "always" the heap is in huge pages from its first touch: nothing to do */
    if (!thread_heaps || thp != THP_MADVISE || thread_gap) return;
    char *p = malloc(1); /* makes this thread's arena, or finds the one it was given */
    uintptr_t a = (uintptr_t)p, base = a & ~(uintptr_t)(HEAP_MAX - 1);
    unsigned char resident;
    /* in a heap's first 2 MiB, not in the main arena (its brk heap is below sbrk(0)), and the
     * heap's first page mapped (glibc's malloc never maps a block this small by itself) */
    if (p && a >= (uintptr_t)sbrk(0) && a - base < HU_HUGE_PAGE &&
        mincore((void *)base, 4096, &resident) == 0) {
        uintptr_t arena = *(const uintptr_t *)base;
        if (arena > base && arena - base <= HEADER_MAX &&
            madvise((void *)base, HEAP_MAX, MADV_HUGEPAGE) == 0) {
            /* the second 2 MiB made readable (glibc grows a thread's heap only as far as an
             * allocation needs), then the rest of the first taken: the top of the heap, where
             * allocations begin, is then the second range's start, and its header the range's
             * first touch */
            char *x = malloc(2 * HU_HUGE_PAGE);
            uintptr_t top = (uintptr_t)x - CHUNK_HDR; /* x's chunk: the top once freed */
            free(x);
            if (x && top < base + HU_HUGE_PAGE - 4096)
                thread_gap = malloc(base + HU_HUGE_PAGE - top - CHUNK_HDR);
        }
    }
    free(p);
}

void hu_heap_thread_end(void) {
    free(thread_gap);
    thread_gap = NULL;
}
#else
void hu_heap_init(void) {}
void hu_heap_end(void) {}
bool hu_heap_spare_threads(int n) {
    (void)n;
    return false;
}
void hu_heap_thread_start(void) {}
void hu_heap_thread_end(void) {}
#endif
