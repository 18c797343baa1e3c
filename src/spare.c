/* spare.c - one helper thread kept for reuse within a run; see spare.h. */
#include "spare.h"

#include <pthread.h>
#include <stddef.h>

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    bool alive; /* made and not yet stopped */
    bool stop;  /* told to end once idle */
    bool busy;  /* a job handed over and not finished */
    void (*first)(void);
    void (*fn)(void *);
    void *arg;
} sp = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void *spare_main(void *unused) {
    (void)unused;
    sp.first();
    pthread_mutex_lock(&sp.mu);
    for (;;) {
        while (!sp.fn && !sp.stop)
            pthread_cond_wait(&sp.cv, &sp.mu);
        if (!sp.fn) break; /* stopped, nothing left to do */
        void (*fn)(void *) = sp.fn;
        void *arg = sp.arg;
        pthread_mutex_unlock(&sp.mu);
        fn(arg);
        pthread_mutex_lock(&sp.mu);
        sp.fn = NULL;
        sp.busy = false;
        pthread_cond_broadcast(&sp.cv);
    }
    pthread_mutex_unlock(&sp.mu);
    return NULL;
}

bool hu_spare_start(void (*first)(void)) {
    if (sp.alive) return false;
    sp.first = first;
    sp.stop = sp.busy = false;
    sp.fn = NULL;
    sp.alive = pthread_create(&sp.th, NULL, spare_main, NULL) == 0;
    return sp.alive;
}

bool hu_spare_submit(void (*fn)(void *), void *arg) {
    pthread_mutex_lock(&sp.mu);
    bool ok = sp.alive && !sp.stop && !sp.busy;
    if (ok) {
        sp.fn = fn, sp.arg = arg, sp.busy = true;
        pthread_cond_broadcast(&sp.cv);
    }
    pthread_mutex_unlock(&sp.mu);
    return ok;
}

void hu_spare_wait(void) {
    pthread_mutex_lock(&sp.mu);
    while (sp.busy)
        pthread_cond_wait(&sp.cv, &sp.mu);
    pthread_mutex_unlock(&sp.mu);
}

void hu_spare_stop(void) {
    if (!sp.alive) return;
    pthread_mutex_lock(&sp.mu);
    sp.stop = true;
    pthread_cond_broadcast(&sp.cv);
    pthread_mutex_unlock(&sp.mu);
    pthread_join(sp.th, NULL);
    sp.alive = false;
}
