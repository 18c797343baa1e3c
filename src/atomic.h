/* atomic.h - outputs appear whole or not at all.
 *
 * A stage writes to a temporary file beside the destination (same folder, so rename(2) is
 * atomic); only a complete, flushed and fsync'ed file is renamed over the destination. A
 * failed or killed run leaves the previous good output untouched and no truncated file. */
#ifndef HU_ATOMIC_H
#define HU_ATOMIC_H
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct hu_atomic {
    char *dest;
    char *tmp;  /* "<dir>/.<name>.tmp-<pid>-<n>" */
    int lockfd; /* holds flock(LOCK_EX) on tmp while the output is being written */
    /* An fsync of the complete temporary file begun before the commit (hu_atomic_sync_soon,
     * hu_atomic_sync_here), NULL: none. The commit waits for it and takes its answer instead
     * of making its own. */
    struct hu_atomic_early *early;
} hu_atomic;

/* Reserve a temporary path for dest (creates the empty file with mode 0644 minus umask).
 * Reports an error (unwritable folder, dest is a directory …) and returns false on failure.
 * The first call for a folder in a process also removes temporary files that killed runs left
 * there (hu_atomic_sweep). */
bool hu_atomic_begin(hu_atomic *w, const char *dest, hu_diags *d);
/* fsync the temporary file and rename it over dest. */
bool hu_atomic_commit(hu_atomic *w, hu_diags *d);
/* Put n outputs in place together: fsync every temporary file, and the descriptor `also`
 * (-1: none; the caller keeps it open), all at once on threads, and only then rename each over
 * its destination. A file that is empty or missing is removed and reported, the others still
 * go in place; false when any failed. placed (NULL, or n entries): which went in place. Like
 * hu_atomic_commit it does not fsync the folder: the renames become durable with the folder's fsync
 * (hu_outdir_unlock, hu_outdir_sync). */
bool hu_atomic_commit_all(hu_atomic *const *ws, size_t n, int also, bool *placed, hu_diags *d);
/* Whether hu_atomic_commit_all and hu_atomic_commit_then fsync the files of a set at once, on
 * threads beside the caller (the run's idle spare threads, else new ones: spare.h hu_task), with
 * fsyncs begun early (hu_atomic_sync_soon, hu_atomic_sync_here) and old outputs held open across
 * their renames (on, the default), or one after another on the calling thread (a batch's worker,
 * whose commits already run beside its next build). Either way no file is renamed before every
 * file of its set is fsynced. */
void hu_atomic_sync_threads(bool on);
/* One round of fsyncs for two sets: every file of ws and of then, and `also`, fsynced at once;
 * then ws renamed over their destinations, and then's only when every one of ws went in place
 * (otherwise then's temporary files are removed, without a message). For a report's outputs
 * and the manifest naming them (manifest.h hu_manifest_commit). False when anything was not
 * put in place. */
bool hu_atomic_commit_then(hu_atomic *const *ws, size_t n, hu_atomic *const *then, size_t nthen,
                           int also, bool *placed, hu_diags *d);
/* w's temporary file is complete (nothing writes to it any more): fsync it now on an idle spare
 * thread (spare.h), so that the commit finds it on the disk already and waits only for the
 * files made last. Nothing happens (the commit fsyncs it as before) when the fsyncs of a set
 * are not made on threads (hu_atomic_sync_threads: a batch's worker) or no spare thread is
 * idle. A failed fsync is reported by the commit, as one of its own would be. */
void hu_atomic_sync_soon(hu_atomic *w);
/* hu_atomic_sync_soon made on the calling thread: for a writer's own thread (the workbook's,
 * xlsx.c), which has nothing else to do once its file is closed. */
void hu_atomic_sync_here(hu_atomic *w);
/* Remove the temporary file (after a failed stage). Safe to call twice. */
void hu_atomic_abort(hu_atomic *w);
/* Remove the temporary files in dir that no running huibao is writing: their process is gone
 * and nobody holds their lock. Returns how many were removed. */
size_t hu_atomic_sweep(const char *dir);
/* True while process pid runs (a zombie, dead but not yet reaped by its new parent, does not
 * run). Used to tell files and records of killed runs from those of runs still going. */
bool hu_process_running(long pid);
/* hu_atomic_begin and the whole buffer written to the temporary file, ready for a commit;
 * on failure nothing is left and false is returned. */
bool hu_atomic_stage(hu_atomic *w, const char *dest, const void *data, size_t len, hu_diags *d);
/* Write a whole buffer atomically (hu_atomic_stage, then hu_atomic_commit). */
bool hu_atomic_write(const char *dest, const void *data, size_t len, hu_diags *d);

#endif
