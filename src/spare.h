/* spare.h - one helper thread kept for reuse within a run.
 *
 * Why: on the virtual machines we measure on, making a thread costs 0.1-2 ms before it runs
 * (its stack mapped, clone, the idle core woken), a wake-up of a parked one ~0.03 ms
 * (bench/README.md, Session 9). A single build makes its warm-up thread first thing (main.c)
 * and needs a second thread again much later, for embedding fonts two at a time
 * (pdf_fonts.c): the warm-up thread, its work done, parks here and does that instead; and
 * then frees the report's fonts while the main thread puts the outputs in place (report.c). */
#ifndef HU_SPARE_H
#define HU_SPARE_H

#include <stdbool.h>

/* Makes the spare thread, which runs first() and then waits for a job. False when no thread
 * could be made (first() has not run then: the caller does without). */
bool hu_spare_start(void (*first)(void));
/* Hands fn(arg) to the spare thread. False when there is none or it has a job already: the
 * caller makes its own thread or does the work itself. The job starts once first() is done. */
bool hu_spare_submit(void (*fn)(void *), void *arg);
/* Waits until the job handed over by hu_spare_submit has finished. */
void hu_spare_wait(void);
/* Waits for first() and any job, then ends and joins the spare thread. */
void hu_spare_stop(void);

#endif
