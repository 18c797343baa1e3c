/* manifest.h - what an output folder says about itself: SHA256SUMS (the format `sha256sum -c`
 * reads) and index.json (period, org, title and outputs of every report in it).
 *
 * Both stay right across parallel builds (several `make -j` invocations, -j children) and
 * killed ones. The folder itself is the lock (flock on the directory: no lock file is left
 * behind to end up in the archive sent on). Before a report puts its outputs in place it
 * appends a record to the folder's journal (.huibao-journal); hu_manifest_update applies the
 * records of every process that has finished — its own, its children's, and those of runs
 * that were killed before they could update the manifest — and drops them. A killed batch
 * therefore cannot leave SHA256SUMS naming the old bytes of outputs it had already replaced. */
#ifndef HU_MANIFEST_H
#define HU_MANIFEST_H
#include <stdbool.h>
#include <stddef.h>

#include "atomic.h"
#include "error.h"
#include "strlist.h"

/* Open outdir and take its exclusive lock (blocks). Returns the folder's descriptor, or -1
 * with an error in d. */
int hu_outdir_lock(const char *outdir, hu_diags *d);
/* fsync the folder (renames inside it are durable) and release the lock. */
void hu_outdir_unlock(int fd);
/* Release the lock without the fsync: a report's renames are made durable once for the run,
 * by the folder's fsync in hu_manifest_update (before it renames SHA256SUMS and index.json)
 * or by hu_outdir_sync when the manifest is not updated. */
void hu_outdir_release(int fd);
/* fsync the folder outdir: the renames made in it are durable. */
void hu_outdir_sync(const char *outdir);

typedef struct hu_manifest_rec {
    const char *name; /* the input's stem, which names its outputs */
    const char *period, *org, *title;
    const char *const *outputs; /* file names inside the folder */
    size_t noutputs;
    /* With a PDF among the outputs: the font files it used, "ORIGIN\tPACKAGE\tFILE", and the
     * fields with characters a fallback face draws, "LINE\tPATH\tCHARACTERS" (report.h). */
    const hu_strlist *fonts, *fallbacks;
    /* Where the figures came from: the workbook's file name and SHA-256, "" and "" when the
     * input lists them (index.json: "figures"). */
    const char *figures, *figures_sha256;
    /* NULL, or per output the file as it is put in place, from hu_manifest_file_sum: its
     * SHA-256 is then taken from here by hu_manifest_update instead of read back, as long as
     * the file is still the one described (an entry NULL or "": read back). */
    const char *const *sums;
} hu_manifest_rec;

/* "HEX SIZE MTIME DEV INO" of the file at path (MTIME in ns), for hu_manifest_rec.sums; hex
 * is its SHA-256 when the caller has it (hashed from the bytes it wrote), NULL to read the file.
 * False (out "") when the file cannot be read. */
#define HU_MANIFEST_SUM_MAX 160
bool hu_manifest_file_sum(const char *path, const char *hex, char out[HU_MANIFEST_SUM_MAX]);

/* With the lock held: record that this process is about to put r's outputs in place. With
 * keep_fd, the journal's descriptor is handed over (*keep_fd, -1 on failure) for the caller to
 * fsync together with the outputs (hu_atomic_commit_all) and close; without, it is closed. */
bool hu_manifest_journal(const char *outdir, const hu_manifest_rec *r, int *keep_fd, hu_diags *d);

/* Apply the journal records of processes that are no longer running (and this process's own)
 * to index.json and SHA256SUMS. Takes the lock itself. Files named in applied records are
 * hashed again (unless the record carries the sum of the very file still there); the lines of other
 * files are carried over from the existing SHA256SUMS, so that `sha256sum -c` keeps reporting an
 * output damaged after it was built. */
bool hu_manifest_update(const char *outdir, hu_diags *d);

/* One report's outputs (ws, staged: atomic.h) and the manifest naming them put in place
 * together, with the folder's lock held (lock) and the report's journal record written
 * (hu_manifest_journal, keep_fd: jfd): one round of fsyncs (the outputs, the journal, index.json
 * and SHA256SUMS), the renames, one fsync of the folder (manifest.c says why that is as safe as
 * hu_atomic_commit_all followed by hu_manifest_update). *manifest_done: the manifest was
 * updated; false, the outputs were put in place the usual way (hu_atomic_commit_all) and
 * hu_manifest_update is still due. placed as in hu_atomic_commit_all. */
bool hu_manifest_commit(const char *outdir, int lock, hu_atomic *const *ws, size_t n, int jfd,
                        bool *placed, bool *manifest_done, hu_diags *d);

/* True for a file name huibao writes into an output folder for itself (index.json beside a
 * SHA256SUMS, the journal), which must never be taken for an input. */
bool hu_manifest_is_own_file(const char *dir, const char *name);

#endif
