/* spare.h - helper threads kept for reuse within a run.
 *
 * Why: on the virtual machines we measure on, making a thread costs 0.1-2 ms before it runs
 * (its stack mapped, clone, the idle core woken), a wake-up of a parked one ~0.03 ms; and
 * pthread_create waits for any dlopen in progress on another thread (glibc 2.36 holds the
 * loader's TLS lock while it maps and relocates a library, and a new thread's TLS is set up
 * under that lock): making the workbook's thread while the warm-up thread loaded ICU took the
 * main thread up to 5 ms (bench/README.md, Session 9). So a single build makes its threads
 * first thing (main.c), before any library is loaded: one runs the warm-up and then parks,
 * the others park at once; the workbook (xlsx.c), the second font-embedding thread
 * (pdf_fonts.c), the early fsyncs (atomic.c) and the freeing of the report's fonts (report.c)
 * are handed to them (three: spare.c says why). */
#ifndef HU_SPARE_H
#define HU_SPARE_H

#include <pthread.h>
#include <stdbool.h>

/* Makes the spare threads: the first runs first() and then waits for a job, the others wait
 * at once. False when no thread could be made (first() has not run then: the caller does
 * without). */
bool hu_spare_start(void (*first)(void));
/* Hands fn(arg) to a spare thread, one that is idle (one still running first() takes it once
 * first() is done). Returns a ticket for hu_spare_wait; -1 when there is no spare thread or
 * every one has a job: the caller makes its own thread or does the work itself. */
int hu_spare_submit(void (*fn)(void *), void *arg);
/* hu_spare_submit to a thread that is idle now only (not one still running first()): for a
 * job that may be left undone (an early fsync, atomic.h), which must not take the place a job
 * that needs a thread (the PDF's font embedding) would have had. */
int hu_spare_submit_idle(void (*fn)(void *), void *arg);
/* Waits until the job of ticket (from hu_spare_submit, >= 0) has finished; not for a job handed
 * to the same thread after it. */
void hu_spare_wait(int ticket);
/* Waits for first() and every job, then ends and joins the spare threads. */
void hu_spare_stop(void);

/* A job run beside the caller: on a spare thread when one is free (hu_spare_submit), else on a
 * thread of its own. The one way the workbook (xlsx.c) and the PDF's second font-embedding
 * thread (pdf_fonts.c) are started, with or without spare threads (a batch's workers have
 * none). Lives until hu_task_join. */
typedef struct hu_task {
    void (*fn)(void *);
    void *arg;
    int ticket; /* the spare thread's (>= 0), or -1: th */
    pthread_t th;
} hu_task;
/* Starts fn(arg) beside the caller; false when no thread could be had: the caller then runs it
 * itself. */
bool hu_task_start(hu_task *t, void (*fn)(void *), void *arg);
/* Waits until a started task has finished. */
void hu_task_join(hu_task *t);

#endif
