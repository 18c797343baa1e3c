/* heap.h - how the process's memory is allocated: glibc's malloc set up for short runs.
 *
 * A run's dearest operation on the virtual machines we measure on is the first touch of a page
 * (~16 us for 4 KiB, ~0.2 ms for a 2 MiB transparent huge page that replaces 512 of them), and
 * the second is a wait for a lock another core holds (a futex sleep and wake-up, an IPI each).
 * So the heap keeps what it frees, lives in huge pages, and each of a single build's spare
 * threads (spare.h) allocates from an arena of its own, in a huge page, instead of queueing for
 * the main thread's (bench/README.md, Session 15). Everything here is advice to glibc and the
 * kernel: where it does not apply (another libc, valgrind, a sanitizer, transparent huge
 * pages "never") the calls change nothing or are not made, and the program works the same. */
#ifndef HU_HEAP_H
#define HU_HEAP_H

#include <stdbool.h>

/* First thing in main: keep freed memory, one arena, the main arena's first 8 MiB in huge
 * pages. */
void hu_heap_init(void);
/* Before a single build makes its n spare threads: an arena for each, when each can have its
 * arena in a huge page (hu_heap_thread_start). Returns whether it did; call once, before any
 * thread other than main has allocated. */
bool hu_heap_spare_threads(int n);
/* First thing on a spare thread: its arena made now, its allocations to come in a huge page.
 * Does nothing unless hu_heap_spare_threads said yes. */
void hu_heap_thread_start(void);
/* Last thing on a spare thread: what hu_heap_thread_start kept aside, freed. */
void hu_heap_thread_end(void);
/* Last thing in main: what hu_heap_init kept aside, freed. */
void hu_heap_end(void);

#endif
