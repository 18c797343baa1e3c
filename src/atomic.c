#define _GNU_SOURCE /* O_PATH */
#include "atomic.h"

#include "alloc.h"
#include "buf.h"
#include "fileio.h"
#include "paths.h"
#include "spare.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A killed build (SIGKILL, power loss, an archive job timed out by its scheduler) leaves its
 * hidden temporary files behind; they never replace anything, but they pile up in archive
 * folders. A temporary file is stale when the process named in it no longer runs AND nobody
 * holds its lock: the PID test alone would be wrong on a shared (NFS) folder written from
 * several machines, and the lock test alone has a window between a writer's open() and its
 * flock() — while that window is open the writer's PID is alive, so together they are safe. */
bool hu_process_running(long pid) {
    if (pid <= 0) return false;
    if (kill((pid_t)pid, 0) != 0 && errno != EPERM) return false;
    /* the children of a killed batch stay zombies until init reaps them, which can take a
     * while; their files are stale already */
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return true;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *rp = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
    return !(rp && rp[1] == ' ' && rp[2] == 'Z');
}

static bool stale_pid(const char *name) {
    const char *t = strstr(name, ".tmp-");
    if (!t) return false;
    char *end;
    long pid = strtol(t + 5, &end, 10);
    if (end == t + 5 || *end != '-' || pid <= 0) return false;
    for (const char *q = end + 1; *q; q++)
        if (*q < '0' || *q > '9') return false;
    if (pid == (long)getpid()) return false;
    return !hu_process_running(pid);
}

size_t hu_atomic_sweep(const char *dir) {
    DIR *dp = opendir(dir && *dir ? dir : ".");
    if (!dp) return 0;
    size_t removed = 0;
    hu_buf path = HU_BUF_INIT;
    for (struct dirent *e; (e = readdir(dp));) {
        if (e->d_name[0] != '.' || !strstr(e->d_name, ".tmp-") || !stale_pid(e->d_name)) continue;
        hu_buf_clear(&path);
        hu_buf_printf(&path, "%s/%s", dir && *dir ? dir : ".", e->d_name);
        int fd = open(path.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) continue;
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            unlink(path.data) == 0)
            removed++;
        close(fd);
    }
    closedir(dp);
    hu_buf_free(&path);
    return removed;
}

/* Each output folder (dest's first dirlen bytes, "" for the current one) is swept once per
 * process, at its first output. */
static void sweep_once(const char *dest, size_t dirlen) {
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static char **seen;
    static size_t nseen, capseen;
    char *dir = hu_strndup(dest, dirlen);
    pthread_mutex_lock(&mu);
    bool done = false;
    for (size_t i = 0; i < nseen && !done; i++)
        done = strcmp(seen[i], dir) == 0;
    if (!done) {
        HU_GROW(seen, nseen, capseen);
        seen[nseen++] = dir;
    }
    pthread_mutex_unlock(&mu);
    if (done) {
        free(dir);
        return;
    }
    hu_atomic_sweep(dir); /* dir stays in `seen` for the life of the process */
}

bool hu_atomic_begin(hu_atomic *w, const char *dest, hu_diags *d) {
    static unsigned counter;
    w->dest = w->tmp = NULL;
    w->early = NULL;
    struct stat st;
    if (stat(dest, &st) == 0 && S_ISDIR(st.st_mode)) {
        hu_error(d, dest, 0, 0, NULL, "输出路径是一个文件夹，无法写入文件");
        return false;
    }
    const char *slash = strrchr(dest, '/');
    size_t dirlen = slash ? (size_t)(slash - dest) + 1 : 0;
    size_t n = strlen(dest) + 64;
    char *tmp = hu_xmalloc(n);
    /* __atomic keeps temp names unique when -j builds run in threads */
    unsigned k = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
    snprintf(tmp, n, "%.*s.%s.tmp-%ld-%u", (int)dirlen, dest, dest + dirlen, (long)getpid(), k);
    sweep_once(dest, dirlen);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        hu_error(d, dest, 0, 0, NULL, "无法在输出文件夹中创建文件：%s", strerror(errno));
        free(tmp);
        return false;
    }
    (void)flock(fd, LOCK_EX); /* a fresh file: nobody else can hold it; see hu_atomic_sweep */
    w->dest = hu_strdup(dest);
    w->tmp = tmp;
    w->lockfd = fd;
    return true;
}

/* fsync, 0 or its errno. A failed fsync (EIO, ENOSPC, EDQUOT on a network file system) means
 * the bytes may not be on the disk: the file is then not renamed over the old output. EINVAL
 * (a file system that cannot sync) is taken as done, as nothing better can be had there. */
static int sync_fd(int fd) {
    if (fsync(fd) == 0 || errno == EINVAL) return 0;
    return errno;
}

/* HU_TEST_FSYNC_FAIL, for the test suite: a comma-separated list of output file names
 * ("2026-10.md") whose temporary file's fsync fails with EIO, wherever it is made (early or in
 * the commit's round). tmp is "<dir>/.<name>.tmp-<pid>-<n>". */
static bool test_fsync_fails(const char *tmp) {
    if (!tmp) return false;
    const char *base = strrchr(tmp, '/');
    base = base ? base + 2 : tmp + 1;
    const char *end = strstr(base, ".tmp-");
    return hu_env_list_has("HU_TEST_FSYNC_FAIL", base, end ? (size_t)(end - base) : strlen(base));
}

/* fsync of a temporary file (tmp, for the test hook) or of `also` (tmp NULL). */
static int sync_file(int fd, const char *tmp) {
    if (test_fsync_fails(tmp)) return EIO;
    return sync_fd(fd);
}

/* One fsync on a thread beside the caller (hu_atomic_commit_all). */
typedef struct {
    int fd, err;
    const char *tmp;
} sync_job;

static void sync_task(void *arg) {
    sync_job *j = arg;
    j->err = sync_file(j->fd, j->tmp);
}

enum {
    SET = 7
}; /* files fsynced at once; a report has at most five outputs, and its manifest two */

static bool sync_threads = true; /* hu_atomic_sync_threads */

void hu_atomic_sync_threads(bool on) {
    sync_threads = on;
}

/* A descriptor of w's temporary file as it is now, for its size and its fsync: the one
 * hu_atomic_begin opened (no second open) while that file still has a name, which can only be
 * w->tmp; else (a writer replaced the file by renaming another over it, as libzip does, or
 * someone removed it) the file now at w->tmp, opened here (*own: to be closed). -1: none. */
static int tmp_fd_of(int lockfd, const char *tmp, struct stat *st, bool *own) {
    *own = false;
    if (fstat(lockfd, st) == 0 && st->st_nlink > 0) return lockfd;
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (fstat(fd, st) != 0) {
        close(fd);
        return -1;
    }
    *own = true;
    return fd;
}

static int tmp_fd(const hu_atomic *w, struct stat *st, bool *own) {
    return tmp_fd_of(w->lockfd, w->tmp, st, own);
}

/* ---------------------------------------------------------------- fsyncs begun early
 *
 * A single build's outputs are complete at different times: the Markdown before the PDF is
 * set, the workbook on its thread while the PDF is, the PDF last. Each is fsynced as soon as
 * it is complete, on a thread that is otherwise idle (the run's spare threads, spare.h, or the
 * workbook's own), so that the commit's round of fsyncs is left with what is made last (the
 * manifest, the journal record): it waited ~2.5 ms for five fsyncs on five new threads, most
 * of that for the outputs (bench/README.md, Session 10). The guarantee is unchanged: the
 * commit renames nothing before every file of its set has been fsynced, early or in its
 * round, and a failed early fsync fails the set as a failed one of the round does. The early
 * fsync has its own record (the hu_atomic is copied while the fsync runs, report.c). */
struct hu_atomic_early {
    int lockfd;
    const char *tmp; /* w->tmp, which lives until the early fsync has been waited for */
    int err;         /* its answer, once done */
    int ticket;      /* the spare thread's (hu_spare_wait), -1: done */
};

/* fsync the file w->tmp names now; err as sync_fd. */
static int sync_tmp(int lockfd, const char *tmp) {
    struct stat st;
    bool own;
    int fd = tmp_fd_of(lockfd, tmp, &st, &own);
    if (fd < 0) return 0; /* gone: the commit reports it (sync_set) */
    int err = sync_file(fd, tmp);
    if (own) close(fd);
    return err;
}

static void early_run(void *arg) {
    struct hu_atomic_early *e = arg;
    e->err = sync_tmp(e->lockfd, e->tmp);
}

/* A new record of an early fsync of w, not begun; NULL when w takes none (no threads, already
 * committed or aborted, or one begun already). */
static struct hu_atomic_early *early_new(const hu_atomic *w) {
    if (!sync_threads || !w->tmp || w->early) return NULL;
    struct hu_atomic_early *e = hu_xmalloc(sizeof *e);
    *e = (struct hu_atomic_early){w->lockfd, w->tmp, 0, -1};
    return e;
}

void hu_atomic_sync_soon(hu_atomic *w) {
    struct hu_atomic_early *e = early_new(w);
    if (!e) return;
    e->ticket = hu_spare_submit_idle(early_run, e);
    if (e->ticket < 0) {
        free(e); /* no idle thread: the commit's round fsyncs it */
        return;
    }
    w->early = e;
}

void hu_atomic_sync_here(hu_atomic *w) {
    struct hu_atomic_early *e = early_new(w);
    if (!e) return;
    e->err = sync_tmp(e->lockfd, e->tmp);
    w->early = e;
}

/* Waits for w's early fsync, if any, and forgets it: its answer (0 when there was none). */
static int early_settle(hu_atomic *w) {
    struct hu_atomic_early *e = w->early;
    if (!e) return 0;
    if (e->ticket >= 0) hu_spare_wait(e->ticket);
    int err = e->err;
    free(e);
    w->early = NULL;
    return err;
}

/* ---------------------------------------------------------------- old outputs
 *
 * Renaming over an existing output frees the old file's blocks in rename(2) itself (the last
 * link of an inode nobody has open is gone): ~0.2-0.7 ms per file on this VM's ext4 (mounted
 * with discard), 1-3 ms for a report's five, all on the main thread after the last fsync. A
 * single build keeps the old file open (O_PATH: nothing is read) across its rename and closes
 * it on an idle spare thread afterwards, where the blocks are freed while the main thread
 * fsyncs the folder and exits. Only where the fsyncs use threads (hu_atomic_sync_threads);
 * a batch's worker commits on a thread of its own already. */
enum { HELD = 16 };
static struct {
    pthread_mutex_t mu;
    int fd[HELD];
    size_t n;
} held = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* The old file at dest, held open across its replacement; -1: none. */
static int hold_old(const char *dest) {
    if (!sync_threads) return -1;
    return open(dest, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

static void keep_old(int fd) {
    if (fd < 0) return;
    pthread_mutex_lock(&held.mu);
    if (held.n < HELD) {
        held.fd[held.n++] = fd;
        fd = -1;
    }
    pthread_mutex_unlock(&held.mu);
    if (fd >= 0) close(fd);
}

typedef struct {
    int fd[HELD];
    size_t n;
} held_job;

static void close_held(void *arg) {
    held_job *j = arg;
    for (size_t i = 0; i < j->n; i++)
        close(j->fd[i]);
    free(j);
}

/* The old files held so far closed on an idle spare thread, else here. */
static void drop_old(void) {
    held_job *j[2] = {NULL, NULL};
    pthread_mutex_lock(&held.mu);
    if (held.n) { /* every other file to each spare thread: two are freed at once */
        for (int k = 0; k < 2; k++) {
            j[k] = hu_xmalloc(sizeof *j[k]);
            j[k]->n = 0;
        }
        for (size_t i = 0; i < held.n; i++)
            j[i % 2]->fd[j[i % 2]->n++] = held.fd[i];
        held.n = 0;
    }
    pthread_mutex_unlock(&held.mu);
    if (!j[0]) return;
    if (!j[1]->n || hu_spare_submit_idle(close_held, j[1]) < 0) { /* all to one */
        memcpy(j[0]->fd + j[0]->n, j[1]->fd, j[1]->n * sizeof *j[1]->fd);
        j[0]->n += j[1]->n;
        free(j[1]);
    }
    if (hu_spare_submit(close_held, j[0]) < 0) close_held(j[0]);
}

/* The first half of a commit: every file of the set (n <= SET) checked (an empty or missing one
 * is removed and reported) and fsynced, with `also`, all at once (those fsynced early are
 * waited for); on a failed fsync none is kept. False when any failed; the files still to rename
 * keep their tmp. */
static bool sync_set(hu_atomic *const *ws, size_t n, int also, hu_diags *d) {
    sync_job job[SET + 1] = {{0, 0, NULL}};
    bool own[SET + 1] = {false};
    size_t of[SET]; /* per file of the set: its job, or SET + 1 (none: early, or dropped) */
    size_t nfd = 0;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        hu_atomic *w = ws[i];
        of[i] = SET + 1;
        struct stat st;
        int fd = tmp_fd(w, &st, &own[nfd]);
        if (fd < 0 || st.st_size == 0) {
            hu_error(d, w->dest, 0, 0, NULL, "生成的文件为空或不存在，未覆盖原有文件");
            if (own[nfd]) close(fd);
            own[nfd] = false;
            hu_atomic_abort(w); /* its tmp is now NULL: not renamed below */
            ok = false;
            continue;
        }
        if (w->early) { /* fsynced, or being fsynced, already */
            if (own[nfd]) close(fd);
            own[nfd] = false;
            continue;
        }
        of[i] = nfd;
        job[nfd++] = (sync_job){fd, 0, w->tmp};
    }
    size_t nown = nfd;
    if (also >= 0) job[nfd++] = (sync_job){also, 0, NULL};
    /* beside this thread: the run's idle spare threads first, else new ones (spare.h) */
    hu_task task[SET + 1];
    bool started[SET + 1] = {false};
    for (size_t k = 1; sync_threads && k < nfd; k++)
        started[k] = hu_task_start(&task[k], sync_task, &job[k]);
    if (nfd) sync_task(&job[0]);
    for (size_t k = 1; k < nfd; k++) {
        if (started[k])
            hu_task_join(&task[k]);
        else
            sync_task(&job[k]); /* no thread (to be had): here, after the others */
    }
    int err = 0;
    for (size_t i = 0; i < n; i++) { /* in the set's order, the early ones' answers too */
        if (!ws[i]->tmp) continue;
        int e = of[i] <= SET ? job[of[i]].err : early_settle(ws[i]);
        if (!err) err = e;
    }
    if (!err && also >= 0) err = job[nfd - 1].err;
    for (size_t k = 0; k < nown; k++)
        if (own[k]) close(job[k].fd);
    if (err) { /* one file of the set may not be on the disk: none replaces its old output */
        for (size_t i = 0; i < n; i++) {
            if (!ws[i]->tmp) continue;
            hu_error(d, ws[i]->dest, 0, 0, NULL, "无法把输出文件写入磁盘（%s），未覆盖原有文件",
                     strerror(err));
            hu_atomic_abort(ws[i]);
        }
        return false;
    }
    return ok;
}

/* The second half: each synced file renamed over its destination. */
static bool rename_set(hu_atomic *const *ws, size_t n, bool *placed, hu_diags *d) {
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        hu_atomic *w = ws[i];
        if (!w->tmp) continue;
        int old = hold_old(w->dest);
        if (rename(w->tmp, w->dest) != 0) {
            hu_error(d, w->dest, 0, 0, NULL, "无法写入输出文件：%s", strerror(errno));
            if (old >= 0) close(old);
            hu_atomic_abort(w);
            ok = false;
            continue;
        }
        keep_old(old);
        close(w->lockfd);
        free(w->tmp);
        free(w->dest);
        w->tmp = w->dest = NULL;
        if (placed) placed[i] = true;
    }
    return ok;
}

/* Why the fsyncs of a report's files are issued together, from threads, rather than one after
 * another: on ext4 (and XFS, btrfs) an fsync of a file that was just written allocates its
 * blocks and then waits for a commit of the file system's journal and a flush of the disk's
 * cache, ~1-3 ms on the disks measured (bench/README.md, Session 5). Issued one after another,
 * each fsync waits for a commit of its own; issued at once they join the same commit. The
 * alternatives considered: syncfs(2) would also wait for every other program's unwritten data
 * on that file system (a build server's compilers, other users' files), so its cost depends
 * on strangers; sync_file_range(2) guarantees nothing about the metadata a renamed file needs.
 * The guarantee stays that of hu_atomic_commit: no file is renamed before every file of the
 * set (and `also`) has been fsynced.
 *
 * A batch's worker turns the threads off (hu_atomic_sync_threads): there the whole commit
 * already runs on the worker's committing thread while the worker builds its next report
 * (build.c run_worker), so the fsyncs' waits, one after another, overlap with that build
 * instead of costing a thread per file; the guarantee is the same. */
bool hu_atomic_commit_all(hu_atomic *const *ws, size_t n, int also, bool *placed, hu_diags *d) {
    if (n > SET) { /* `also` goes with the first set: it is durable before any rename */
        bool first = hu_atomic_commit_all(ws, SET, also, placed, d);
        return hu_atomic_commit_all(ws + SET, n - SET, -1, placed ? placed + SET : NULL, d) &&
               first;
    }
    for (size_t i = 0; placed && i < n; i++)
        placed[i] = false;
    bool ok = sync_set(ws, n, also, d);
    ok = rename_set(ws, n, placed, d) && ok;
    drop_old();
    return ok;
}

bool hu_atomic_commit_then(hu_atomic *const *ws, size_t n, hu_atomic *const *then, size_t nthen,
                           int also, bool *placed, hu_diags *d) {
    hu_atomic *set[SET] = {NULL};
    if (n + nthen > SET) { /* more than one round: the plain way, the second set after */
        bool ok = hu_atomic_commit_all(ws, n, also, placed, d);
        for (size_t i = 0; placed && ok && i < n; i++)
            ok = placed[i];
        if (ok) return hu_atomic_commit_all(then, nthen, -1, NULL, d);
        for (size_t i = 0; i < nthen; i++)
            hu_atomic_abort(then[i]);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        set[i] = ws[i];
    for (size_t i = 0; i < nthen; i++)
        set[n + i] = then[i];
    for (size_t i = 0; placed && i < n; i++)
        placed[i] = false;
    bool ok = sync_set(set, n + nthen, also, d);
    bool all = true;
    for (size_t i = 0; i < n; i++)
        all = all && ws[i]->tmp;
    ok = rename_set(ws, n, placed, d) && ok;
    for (size_t i = 0; i < n; i++)
        all = all && (!placed || placed[i]);
    for (size_t i = 0; i < nthen; i++)
        all = all && then[i]->tmp;
    if (!all || !ok) {
        for (size_t i = 0; i < nthen; i++)
            hu_atomic_abort(then[i]);
        drop_old();
        return false;
    }
    ok = rename_set(then, nthen, NULL, d);
    drop_old();
    return ok;
}

bool hu_atomic_commit(hu_atomic *w, hu_diags *d) {
    return hu_atomic_commit_all(&w, 1, -1, NULL, d);
}

void hu_atomic_abort(hu_atomic *w) {
    (void)early_settle(w); /* its thread uses the descriptor and the name */
    if (w->tmp) {
        unlink(w->tmp);
        close(w->lockfd);
    }
    free(w->tmp);
    free(w->dest);
    w->tmp = w->dest = NULL;
}

bool hu_atomic_stage(hu_atomic *w, const char *dest, const void *data, size_t len, hu_diags *d) {
    if (!hu_atomic_begin(w, dest, d)) return false;
    if (!hu_file_write(w->tmp, dest, data, len, d)) {
        hu_atomic_abort(w);
        return false;
    }
    return true;
}

bool hu_atomic_write(const char *dest, const void *data, size_t len, hu_diags *d) {
    hu_atomic w;
    return hu_atomic_stage(&w, dest, data, len, d) && hu_atomic_commit(&w, d);
}
