/* spare.c - helper threads kept for reuse within a run; see spare.h. */
#include "spare.h"

#include <pthread.h>
#include <stddef.h>

#include "heap.h"

/* Three. While the PDF is made, two are busy: the workbook on one and the warm-up, then the
 * second font-embedding thread, on the other (with ICU linked, ICU's engine is built on one of
 * the others first, in the run's first milliseconds, before the workbook's turn: report.h). When it
 * is written, the early fsyncs of the PDF and the Markdown (atomic.h) take both, so with two the
 * report's fonts were freed on the main thread in 9 runs of 10: unmapping the font files (their
 * page tables torn down, the other CPUs' TLBs flushed) took 1.3-2.7 ms of its CPU right before the
 * commit (bench/README.md, Session 11). A third takes the freeing and does it during the commit's
 * waits for the disk; it is made with the others, before any library is loaded, for ~0.1 ms. */
#define HU_SPARES 3

typedef struct slot {
    pthread_t th;
    pthread_cond_t cv; /* a job handed to this thread, or the stop */
    bool made;
    bool warming;       /* still running first() */
    void (*fn)(void *); /* the job handed over and not finished, or NULL */
    void *arg;
    /* jobs handed to this thread and jobs it finished, so far: a ticket names its job's
     * number, and waiting for it does not wait for a later job of the same thread too (an
     * early fsync's waiter for the fonts' freeing handed over after it, report.c) */
    int given, finished;
} slot;

/* Each thread waits on its own condition and the caller on `done`: a job wakes only the
 * thread it is handed to and a finished one only its waiter. With one condition for all, every
 * hand-over and every end woke both spare threads and the caller (a wake-up is an IPI and a
 * context switch on the VMs measured; a single build's commit hands over up to eight jobs,
 * bench/README.md, Session 10). */
static struct {
    pthread_mutex_t mu;
    pthread_cond_t done; /* a job or first() finished */
    bool alive;          /* made and not yet stopped */
    bool stop;           /* told to end once idle */
    void (*first)(void);
    slot s[HU_SPARES];
} sp = {.mu = PTHREAD_MUTEX_INITIALIZER,
        .done = PTHREAD_COND_INITIALIZER,
        .s = {{.cv = PTHREAD_COND_INITIALIZER},
              {.cv = PTHREAD_COND_INITIALIZER},
              {.cv = PTHREAD_COND_INITIALIZER}}};
_Static_assert(HU_SPARES == 3, "one initializer per spare thread above");

static void *spare_main(void *arg) {
    slot *me = arg;
    hu_heap_thread_start(); /* its own arena, in a huge page (heap.h) */
    if (me == &sp.s[0]) {
        sp.first();
        pthread_mutex_lock(&sp.mu);
        me->warming = false;
        pthread_cond_broadcast(&sp.done);
        pthread_mutex_unlock(&sp.mu);
    }
    pthread_mutex_lock(&sp.mu);
    for (;;) {
        while (!me->fn && !sp.stop)
            pthread_cond_wait(&me->cv, &sp.mu);
        if (!me->fn) break; /* stopped, nothing left to do */
        void (*fn)(void *) = me->fn;
        void *fa = me->arg;
        pthread_mutex_unlock(&sp.mu);
        fn(fa);
        pthread_mutex_lock(&sp.mu);
        me->fn = NULL;
        me->finished++;
        pthread_cond_broadcast(&sp.done);
    }
    pthread_mutex_unlock(&sp.mu);
    hu_heap_thread_end();
    return NULL;
}

bool hu_spare_start(void (*first)(void)) {
    if (sp.alive) return false;
    sp.first = first;
    sp.stop = false;
    /* an arena for each, before any of them allocates (heap.h) */
    (void)hu_heap_spare_threads(HU_SPARES);
    /* the idle ones first: once the first runs, its dlopen would hold up their making */
    for (int i = HU_SPARES - 1; i >= 0; i--) {
        slot *s = &sp.s[i];
        s->fn = NULL, s->warming = i == 0;
        s->made = pthread_create(&s->th, NULL, spare_main, s) == 0;
        sp.alive |= s->made;
    }
    if (!sp.s[0].made) { /* first() must run on the first: without it, none */
        hu_spare_stop();
        return false;
    }
    return true;
}

static int submit(void (*fn)(void *), void *arg, bool warming_too) {
    int t = -1;
    pthread_mutex_lock(&sp.mu);
    if (sp.alive && !sp.stop) {
        /* an idle thread rather than one still warming up */
        for (int i = 0; i < HU_SPARES && t < 0; i++)
            if (sp.s[i].made && !sp.s[i].fn && !sp.s[i].warming) t = i;
        for (int i = 0; i < HU_SPARES && t < 0 && warming_too; i++)
            if (sp.s[i].made && !sp.s[i].fn) t = i;
    }
    int ticket = -1;
    if (t >= 0) {
        sp.s[t].fn = fn, sp.s[t].arg = arg;
        ticket = ++sp.s[t].given * HU_SPARES + t;
    }
    pthread_mutex_unlock(&sp.mu);
    /* after the unlock: the thread woken does not find the mutex still held */
    if (t >= 0) pthread_cond_signal(&sp.s[t].cv);
    return ticket;
}

int hu_spare_submit(void (*fn)(void *), void *arg) {
    return submit(fn, arg, true);
}

int hu_spare_submit_idle(void (*fn)(void *), void *arg) {
    return submit(fn, arg, false);
}

void hu_spare_wait(int ticket) {
    if (ticket < HU_SPARES) return; /* -1, or not a ticket */
    slot *s = &sp.s[ticket % HU_SPARES];
    pthread_mutex_lock(&sp.mu);
    while (s->finished < ticket / HU_SPARES)
        pthread_cond_wait(&sp.done, &sp.mu);
    pthread_mutex_unlock(&sp.mu);
}

void hu_spare_stop(void) {
    if (!sp.alive) return;
    pthread_mutex_lock(&sp.mu);
    sp.stop = true;
    for (int i = 0; i < HU_SPARES; i++)
        pthread_cond_signal(&sp.s[i].cv);
    pthread_mutex_unlock(&sp.mu);
    for (int i = 0; i < HU_SPARES; i++)
        if (sp.s[i].made) pthread_join(sp.s[i].th, NULL);
    sp.alive = false;
}

static void *task_main(void *p) {
    hu_task *t = p;
    t->fn(t->arg);
    return NULL;
}

bool hu_task_start(hu_task *t, void (*fn)(void *), void *arg) {
    t->fn = fn;
    t->arg = arg;
    t->ticket = hu_spare_submit(fn, arg);
    return t->ticket >= 0 || pthread_create(&t->th, NULL, task_main, t) == 0;
}

void hu_task_join(hu_task *t) {
    if (t->ticket >= 0)
        hu_spare_wait(t->ticket);
    else
        pthread_join(t->th, NULL);
}
