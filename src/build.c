/* build.c - runs the stages for each report, in parallel when asked, and writes outputs,
 * Makefile dependencies and the archive manifest.
 *
 * A report is all-or-nothing: every requested output is first written to a temporary file
 * beside its destination; only when all of them are complete are they renamed into place. A
 * report that fails leaves the previous outputs exactly as they were.
 *
 * With -j N (N > 1) the reports are built by N forked worker processes, each building one
 * report after another: one report that crashes or runs out of memory cannot take the batch
 * down (it alone fails, and its worker is replaced), and the libraries we use need no thread
 * safety. Workers report back through sockets (see "job results") and die with the parent. */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "arena.h"
#include "atomic.h"
#include "buf.h"
#include "jobresult.h"
#include "fileio.h"
#include "fonts.h"
#include "history.h"
#include "input.h"
#include "manifest.h"
#include "report.h"
#include "strlist.h"

/* ---------------------------------------------------------------- helpers */

static bool is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with_ci(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Expand folders into their input files (sorted, not recursive). Files huibao wrote itself
 * (index.json of an output folder that is also the input folder) are not inputs; a file saved
 * as "2026-10.yaml.txt" by an editor is named, not passed over in silence. A folder without
 * any input is an error: an unattended archive build must not report success for nothing. */
static void expand_inputs(char *const *args, int n, hu_strlist *out, hu_diags *d) {
    for (int i = 0; i < n; i++) {
        if (!is_dir(args[i])) {
            hu_strlist_add(out, args[i]);
            continue;
        }
        DIR *dir = opendir(args[i]);
        if (!dir) {
            hu_error(d, args[i], 0, 0, NULL, "无法读取文件夹：%s", strerror(errno));
            continue;
        }
        hu_strlist found = {0};
        struct dirent *e;
        size_t L = strlen(args[i]);
        while ((e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.') continue;
            hu_buf b = HU_BUF_INIT;
            hu_buf_printf(&b, "%s%s%s", args[i], L && args[i][L - 1] == '/' ? "" : "/", e->d_name);
            if (hu_path_is_input(e->d_name) && !hu_manifest_is_own_file(args[i], e->d_name)) {
                hu_strlist_add(&found, b.data);
            } else if (ends_with_ci(e->d_name, ".yaml.txt") ||
                       ends_with_ci(e->d_name, ".yml.txt") ||
                       ends_with_ci(e->d_name, ".json.txt")) {
                hu_warn(d, b.data, 0, 0, NULL,
                        "扩展名是 .txt，不作为输入读取；如果这是一个月的数据，请去掉末尾的 .txt");
            }
            hu_buf_free(&b);
        }
        closedir(dir);
        if (found.n) qsort(found.v, found.n, sizeof *found.v, cmp_str);
        if (!found.n)
            hu_error(d, args[i], 0, 0, NULL,
                     "文件夹中没有 .yaml、.yml 或 .json 输入文件（子文件夹不会被读取）");
        for (size_t k = 0; k < found.n; k++)
            hu_strlist_add(out, found.v[k]);
        hu_strlist_free(&found);
    }
}

static double now_sec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* huibao check -o / --depfile: could build make and write `path` (a folder, or a file's folder
 * when is_file)? The nearest existing folder on the way must be a folder we may write in. The
 * same messages as build's, so check reports what build would refuse. */
static void parent_dir(char *p) {
    char *slash = strrchr(p, '/');
    if (!slash)
        strcpy(p, ".");
    else if (slash == p)
        p[1] = 0;
    else
        *slash = 0;
}

static bool could_write(const char *path, bool is_file, hu_diags *d) {
    size_t L = strlen(path);
    char *p = hu_xmalloc(L + 2), *missing = NULL; /* room for "." */
    memcpy(p, path, L + 1);
    while (L > 1 && p[L - 1] == '/')
        p[--L] = 0;
    if (!L || is_file) parent_dir(p);
    struct stat st;
    bool found;
    while (!(found = stat(p, &st) == 0) && strcmp(p, ".") != 0 && strcmp(p, "/") != 0) {
        /* build would make the missing folders below the nearest existing one */
        free(missing);
        missing = hu_strdup(p);
        parent_dir(p);
    }
    bool ok = false;
    if (!found)
        hu_error(d, path, 0, 0, NULL, "无法访问“%s”：%s", p, strerror(errno));
    else if (!S_ISDIR(st.st_mode) && is_file)
        hu_error(d, path, 0, 0, NULL, "无法在输出文件夹中创建文件：%s", strerror(ENOTDIR));
    else if (!S_ISDIR(st.st_mode))
        hu_error(d, path, 0, 0, NULL, "无法创建输出文件夹：%s（“%s”是一个文件）", strerror(ENOTDIR),
                 p);
    else {
        int err = access(p, W_OK | X_OK) == 0 ? 0 : errno;
        if (!err)
            ok = true;
        else if (missing && !is_file) /* build's mkdir of the first missing folder fails */
            hu_error(d, path, 0, 0, NULL, "无法创建输出文件夹“%s”：%s", missing, strerror(err));
        else
            hu_error(d, path, 0, 0, NULL, "无法在输出文件夹中创建文件：%s", strerror(err));
    }
    free(missing);
    free(p);
    return ok;
}

/* mkdir -p that remembers which folders it made, so that a run that writes nothing can take
 * them away again (a failed first run must not leave an empty out/ behind). */
static bool make_dirs(const char *path, hu_strlist *made, hu_diags *d) {
    if (is_dir(path)) return true;
    char *p = hu_strdup(path);
    size_t L = strlen(p);
    while (L > 1 && p[L - 1] == '/')
        p[--L] = 0;
    bool ok = true;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s) continue;
        char c = *s;
        *s = 0;
        if (!is_dir(p)) {
            if (mkdir(p, 0777) == 0) {
                hu_strlist_add(made, p);
            } else {
                if (errno == EEXIST)
                    hu_error(d, path, 0, 0, NULL, "无法创建输出文件夹：%s（“%s”是一个文件）",
                             strerror(ENOTDIR), p);
                else
                    hu_error(d, path, 0, 0, NULL, "无法创建输出文件夹“%s”：%s", p, strerror(errno));
                ok = false;
            }
        }
        *s = c;
        if (!c || !ok) break;
    }
    free(p);
    return ok;
}

static void remove_made_dirs(hu_strlist *made) {
    for (size_t i = made->n; i-- > 0;)
        (void)rmdir(made->v[i]); /* only succeeds while it is empty */
}

/* ---------------------------------------------------------------- one report */

int hu_build_check_file(const char *path, hu_diags *d) {
    hu_report_result res = {0};
    hu_build_opts o;
    hu_build_opts_default(&o);
    o.formats = 0;
    o.check = true; /* every stage, nothing written */
    int rc = hu_report_build(path, &o, &res, d);
    hu_report_result_free(&res);
    return rc;
}

int hu_build_one(const char *input, const hu_build_opts *o, hu_diags *d) {
    hu_report_result res = {0};
    int rc = hu_report_build(input, o, &res, d);
    if (o->formats && !o->check) hu_outdir_sync(o->outdir); /* its renames: durable */
    hu_report_result_free(&res);
    return rc;
}

/* ---------------------------------------------------------------- job results
 *
 * With -j a worker builds a report and hands its result to the parent through its socket
 * (jobresult.h): no file in the output folder (a planted link there cannot redirect it, and
 * nothing is left behind when the batch is killed). The parent accepts only outputs it expects
 * for that input, and a status it can read. */

typedef struct job {
    const char *input;
    hu_buf msg; /* the result records received so far */
    hu_report_result res;
    int status;
    hu_diags diags;
    bool done;
    bool retried; /* handed back once by a worker that died (worker_reap) */
} job;

/* The output files a report of `input` may write under o (what the parent accepts). */
static bool expected_output(const hu_build_opts *o, const char *input, const char *path) {
    static const struct {
        unsigned fmt;
        const char *ext;
    } exts[] = {{HU_FMT_PDF, "pdf"},
                {HU_FMT_XLSX, "xlsx"},
                {HU_FMT_MD, "md"},
                {HU_FMT_HTML, "html"},
                {HU_FMT_DOCX, "docx"}};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        if (!(o->formats & exts[i].fmt)) continue;
        char *p = hu_report_output_path(o->outdir, input, exts[i].ext);
        bool same = !strcmp(p, path);
        free(p);
        if (same) return true;
    }
    return false;
}

typedef struct accept_ctx {
    const hu_build_opts *o;
    const char *input;
} accept_ctx;

static bool accept_output(const char *path, void *ctx) {
    const accept_ctx *a = ctx;
    return expected_output(a->o, a->input, path);
}

/* Fill j from the worker's records; false when they cannot be read (j->diags says why). */
static bool parse_result(job *j, const hu_build_opts *o) {
    accept_ctx a = {o, j->input};
    if (hu_jobresult_read(j->msg.data ? j->msg.data : "", j->msg.len, accept_output, &a, &j->status,
                          &j->res, &j->diags))
        return true;
    hu_error(&j->diags, j->input, 0, 0, NULL, "生成过程返回的结果无法识别，按失败处理");
    j->status = HU_EXIT_BUILD;
    return false;
}

static void write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return;
        p += k;
        n -= (size_t)k;
    }
}

/* A report's messages. Those about other files (a sibling month, the template, style.yaml)
 * are the same for every report of a batch that meets them: each is printed once. */
static void print_job_diags(const job *j, hu_strlist *printed) {
    hu_diags own = HU_DIAGS_INIT;
    for (size_t i = 0; i < j->diags.n; i++) {
        const hu_diag *g = &j->diags.v[i];
        if (printed && (!g->file || strcmp(g->file, j->input) != 0)) {
            char key[2048];
            snprintf(key, sizeof key, "%d\t%s\t%d\t%d\t%s", (int)g->severity,
                     g->file ? g->file : "", g->line, g->col, g->msg ? g->msg : "");
            if (hu_strlist_has(printed, key)) continue;
            hu_strlist_add(printed, key);
        }
        hu_diag_add(&own, g->severity, g->file, g->line, g->col, g->path, "%s",
                    g->msg ? g->msg : "");
    }
    hu_diags_print(stderr, &own);
    hu_diags_free(&own);
}

/* "2026-10" as 2026年10月 (the text as written when it is not that form). */
static void period_words(const char *p, char *out, size_t n) {
    int y, m, k = 0;
    if (p && sscanf(p, "%4d-%2d%n", &y, &m, &k) == 2 && !p[k])
        snprintf(out, n, "%d年%d月", y, m);
    else
        snprintf(out, n, "%s", p ? p : "");
}

/* huibao check: one line per input, on stdout. */
static void check_summary(const job *j, bool quiet) {
    size_t e = j->diags.errors, w = j->diags.warnings;
    if (j->status != HU_EXIT_OK) {
        printf("%s: 未通过：%zu 个错误", j->input, e ? e : 1);
        if (w) printf("、%zu 个警告", w);
        putchar('\n');
        return;
    }
    if (quiet) return;
    char period[64];
    period_words(j->res.period, period, sizeof period);
    printf("%s: 检查通过", j->input);
    if (w) printf("，%zu 个警告", w);
    printf(" — %s", period);
    if (j->res.template_desc) printf("，模板 %s", j->res.template_desc);
    if (j->res.figures) printf("，指标取自 %s", j->res.figures);
    if (j->res.history_months)
        printf("，用到 %d 个往月文件", j->res.history_months);
    else
        printf("，没有往月文件");
    if (j->res.pages) printf("，排版 %d 页", j->res.pages);
    putchar('\n');
}

/* What the batch prints as each report ends. */
typedef struct batch_out {
    hu_strlist printed; /* messages about other files already shown */
    size_t failed;
    bool check, quiet;
} batch_out;

static void job_finished(const job *j, batch_out *b) {
    print_job_diags(j, &b->printed);
    if (j->status != HU_EXIT_OK) b->failed++;
    if (b->check) {
        fflush(stderr);
        check_summary(j, b->quiet);
        fflush(stdout);
    }
}

/* Prints the reports that have ended, in the order of the inputs: with -j the jobs end in any
 * order, but an archive's log must read the same from run to run and with -j 1 or -j 2. A
 * report that ends early waits (in memory) for those before it. */
static void report_finished(const job *js, size_t n, size_t *reported, batch_out *b) {
    while (*reported < n && js[*reported].done)
        job_finished(&js[(*reported)++], b);
}

/* ---------------------------------------------------------------- depfile */

/* A name make cannot express: ';' and '=' end or redirect a rule in a target list, '%' makes a
 * pattern rule, a backslash is taken literally only in some positions, and newlines and other
 * control characters have no escape at all. */
static int dep_bad_char(const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || c == ';' || c == '=' || c == '%' || c == '\\') return c;
    }
    return 0;
}

static void dep_escape(hu_buf *b, const char *s) {
    for (; *s; s++) {
        if (strchr(" #:*?[]", *s)) hu_buf_putc(b, '\\');
        if (*s == '$') hu_buf_putc(b, '$');
        hu_buf_putc(b, *s);
    }
}

static void dep_refuse(hu_diags *d, const char *depfile, const char *name, int c) {
    char shown[8];
    if (c < 0x20 || c == 0x7f)
        snprintf(shown, sizeof shown, "\\x%02X", c);
    else
        snprintf(shown, sizeof shown, "%c", c);
    hu_error(d, depfile, 0, 0, NULL,
             "文件名“%s”含有 make 无法表示的字符“%s”，依赖文件没有写出；请给这个文件改名", name,
             shown);
}

static bool write_depfile(const char *path, job *jobs, size_t n, hu_diags *d) {
    hu_buf b = HU_BUF_INIT;
    hu_strlist all = {0};
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        job *j = &jobs[i];
        if (j->status != HU_EXIT_OK || !j->res.outputs.n) continue;
        for (size_t k = 0; k < j->res.outputs.n; k++) {
            int c = dep_bad_char(j->res.outputs.v[k]);
            if (c) dep_refuse(d, path, j->res.outputs.v[k], c), ok = false;
            if (k) hu_buf_putc(&b, ' ');
            dep_escape(&b, j->res.outputs.v[k]);
        }
        hu_buf_puts(&b, ":");
        for (size_t k = 0; k < j->res.deps.n; k++) {
            if (hu_strlist_has(&all, j->res.deps.v[k])) {
                hu_buf_puts(&b, " \\\n  ");
                dep_escape(&b, j->res.deps.v[k]);
                continue;
            }
            int c = dep_bad_char(j->res.deps.v[k]);
            if (c) dep_refuse(d, path, j->res.deps.v[k], c), ok = false;
            hu_buf_puts(&b, " \\\n  ");
            dep_escape(&b, j->res.deps.v[k]);
            hu_strlist_add(&all, j->res.deps.v[k]);
        }
        hu_buf_putc(&b, '\n');
    }
    /* like gcc -MP: a removed dependency must not break make */
    for (size_t k = 0; k < all.n; k++) {
        hu_buf_putc(&b, '\n');
        dep_escape(&b, all.v[k]);
        hu_buf_puts(&b, ":\n");
    }
    hu_strlist_free(&all);
    if (ok) ok = hu_atomic_write(path, b.data ? b.data : "", b.len, d);
    hu_buf_free(&b);
    return ok;
}

/* The same file (device and inode), for refusing a depfile that would overwrite an input. */
static bool same_file(const char *a, const char *b) {
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* ---------------------------------------------------------------- the batch */

/* Every input folder's files read into the batch's history cache before the fork, on as many
 * threads as the batch has workers (history.h hu_history_cache_preload): a worker then finds
 * every earlier month parsed and validated. */
static void prewarm_history(const hu_strlist *files, const hu_build_opts *o, int jobs) {
    hu_history_cache_preload(o->history_cache, (const char *const *)files->v, files->n,
                             o->history_dir, jobs);
}

/* The huibao binary itself is a dependency of every output: a new version may typeset
 * differently, and make should rebuild the archive with it. exe: its path, read once for the
 * run (self_path), or NULL. */
static void add_self_dep(hu_report_result *res, const char *exe) {
    if (exe) hu_strlist_add(&res->deps, exe);
}

/* The running binary's path into buf, or NULL. */
static const char *self_path(char *buf, size_t size) {
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0) return NULL;
    buf[n] = 0;
    return buf;
}

static void start_progress(bool on, size_t done, size_t total, size_t failed, const char *input,
                           double t0) {
    if (!on) return;
    fprintf(stderr, "\r\033[K[%zu/%zu] %s  %.1f 秒", done + 1, total, hu_path_base(input),
            now_sec() - t0);
    if (failed) fprintf(stderr, "  已有 %zu 份失败", failed);
    fflush(stderr);
}

/* ---------------------------------------------------------------- workers
 *
 * With -j N the parent starts N worker processes, each forked once, and hands them the reports
 * over a socket, up to two at a time (run_worker): the index of an input (4 bytes), answered
 * by that report's result records (jobresult.h). A worker builds report after report in the
 * process it was forked as, so the heap it has faulted in serves every report after its first
 * (a fresh process per report cost 92 ms of CPU a report against 52 in one process;
 * bench/README.md). Nothing of one report outlives it in the worker: a report opens the fonts
 * (with their used-glyph sets) and its arena and frees both, exactly as -j 1 does in the
 * parent; what is kept is what every report reads the same (the font faces, the template, its
 * style and lint: hu_fonts_keep_faces, hu_report_memo). A worker that crashes or is killed
 * costs the oldest report it held (being built or being put in place): that report fails with
 * a message, the other one goes to another worker, a new worker is forked in its place, and
 * the batch goes on. */

/* A worker holds up to two reports: it builds the second while the first's outputs are put in
 * place (see run_worker). Their results come back in the order they were handed out. */
#define WORKER_QUEUE 2

typedef struct worker {
    pid_t pid;            /* 0: no process in this slot */
    int fd;               /* the parent's end of the socket; -1 when closed */
    job *q[WORKER_QUEUE]; /* the reports handed to it and not yet answered, oldest first */
    size_t nq;
    hu_buf in;     /* bytes received and not yet a whole result */
    bool stopping; /* no more reports for it: its socket is shut for writing */
} worker;

/* Fill n bytes from fd; false at the end of the stream or on an error. */
static bool read_full(int fd, void *p, size_t n) {
    char *c = p;
    while (n) {
        ssize_t k = read(fd, c, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        c += k;
        n -= (size_t)k;
    }
    return true;
}

/* A report a worker has built, waiting for its outputs to be put in place. */
typedef struct staged {
    hu_report_result res;
    hu_diags d;
    int status;
    hu_report_commit *commit; /* NULL: nothing (more) to put in place */
    int fd;                   /* the worker's socket, for the answer */
} staged;

/* Put s's outputs in place (unless its build failed) and answer the parent with its result:
 * only now does the report count as done. */
static void staged_finish(staged *s) {
    if (s->commit) s->status = hu_report_commit_run(s->commit, &s->res, &s->d);
    s->commit = NULL;
    hu_buf b = HU_BUF_INIT;
    hu_jobresult_write(&b, s->status, &s->res, &s->d);
    write_all(s->fd, b.data, b.len);
    hu_buf_free(&b);
    hu_report_result_free(&s->res);
    hu_diags_free(&s->d);
}

/* The worker's one committing thread, started at its first commit and kept until the worker
 * ends: it puts in place the report it is handed (job) and answers for it, then waits for the
 * next. One thread for the worker's life, not one per report: a thread's creation and exit
 * (clone3, its stack released with madvise: a TLB shootdown interrupting the other core) cost
 * more on this kind of machine than the commit's bookkeeping (bench/README.md, Session 9). */
typedef struct committer {
    pthread_mutex_t mu;
    pthread_cond_t todo, done; /* job handed over; job finished */
    staged *job;               /* being put in place; NULL: idle */
    bool stop, started;
    pthread_t th;
} committer;

static void *committer_main(void *arg) {
    committer *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->job && !c->stop)
            pthread_cond_wait(&c->todo, &c->mu);
        if (!c->job) break;
        staged *s = c->job;
        pthread_mutex_unlock(&c->mu);
        staged_finish(s);
        pthread_mutex_lock(&c->mu);
        c->job = NULL;
        pthread_cond_signal(&c->done);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Wait until the report handed to c is in place and answered for. */
static void committer_wait(committer *c) {
    if (!c->started) return;
    pthread_mutex_lock(&c->mu);
    while (c->job)
        pthread_cond_wait(&c->done, &c->mu);
    pthread_mutex_unlock(&c->mu);
}

/* Hand s to c (idle: committer_wait first); false when no thread could be had. */
static bool committer_give(committer *c, staged *s) {
    if (!c->started) {
        c->job = NULL;
        c->stop = false;
        pthread_mutex_init(&c->mu, NULL);
        pthread_cond_init(&c->todo, NULL);
        pthread_cond_init(&c->done, NULL);
        if (pthread_create(&c->th, NULL, committer_main, c) != 0) {
            pthread_cond_destroy(&c->done);
            pthread_cond_destroy(&c->todo);
            pthread_mutex_destroy(&c->mu);
            return false;
        }
        c->started = true;
    }
    pthread_mutex_lock(&c->mu);
    c->job = s;
    pthread_cond_signal(&c->todo);
    pthread_mutex_unlock(&c->mu);
    return true;
}

/* The last report in place and answered for; the thread gone. */
static void committer_end(committer *c) {
    if (!c->started) return;
    pthread_mutex_lock(&c->mu);
    while (c->job)
        pthread_cond_wait(&c->done, &c->mu);
    c->stop = true;
    pthread_cond_signal(&c->todo);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->th, NULL);
    pthread_cond_destroy(&c->done);
    pthread_cond_destroy(&c->todo);
    pthread_mutex_destroy(&c->mu);
    c->started = false;
}

/* The worker's side: read an input's index, build it, answer with its result; again until the
 * parent shuts the socket. Never returns.
 *
 * Putting a report's outputs in place waits for the disk (one fsync round, atomic.c), so the
 * worker's committing thread does it while the worker builds the next report the parent has
 * already handed it: at most two reports in flight, the older one committing. The thread
 * answers for its report as soon as the commit has returned (so a report is counted done only
 * after its outputs are in place, and one put in place is answered at once, as without the
 * thread); the next report's answer or commit waits for that commit, so the answers keep the
 * order of the reports and at most one commit runs. If the worker dies, the parent fails the
 * older report it held (being built, or being put in place: as a report killed in its commit
 * always was) and hands the newer one, not yet put in place, to another worker (worker_reap);
 * the dead worker's temporary files are swept.
 *
 * Nothing else in a worker runs on a thread of its own: with as many workers as cores (-j's
 * default; -j 2 on two cores) the workers already keep every core busy, so a report's own
 * threads (the workbook, two faces embedded at once) are off (hu_report_threads) unless the
 * batch has fewer workers than cores (`threads`), and the fsyncs of a commit, already beside
 * the next build, are issued one after another, not a thread each (hu_atomic_sync_threads). */
static void run_worker(int fd, const job *js, size_t n, const hu_build_opts *o, pid_t parent,
                       bool threads) {
    /* die with the parent: a killed batch must not leave reports being built behind it */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    signal(SIGPIPE, SIG_DFL);
    hu_fonts_keep_faces(true); /* opened and read once per worker, not per report */
    hu_report_memo(true);      /* and the template, its style and lint */
    hu_report_threads(threads);
    hu_atomic_sync_threads(false);
    staged slot[2];
    committer cm = {.started = false};
    int use = 0;
    uint32_t idx;
    while (read_full(fd, &idx, sizeof idx)) {
        if (idx >= n) _exit(1);
        staged *s = &slot[use];
        use ^= 1; /* never the slot being committed */
        memset(s, 0, sizeof *s);
        s->d = (hu_diags)HU_DIAGS_INIT;
        s->fd = fd;
        s->status = hu_report_build_staged(js[idx].input, o, &s->res, &s->d, &s->commit);
        committer_wait(&cm);
        if (!s->commit || !committer_give(&cm, s))
            staged_finish(s); /* a failed build, or no thread to be had: here */
    }
    committer_end(&cm);
    close(fd);
    hu_fonts_keep_faces(false);
    hu_report_memo(false);
    /* exit, not _exit: the atexit handlers free what the libraries keep (ICU's break iterator),
     * so valgrind --trace-children finds the worker clean; stdio was flushed before the fork */
    exit(0);
}

/* Fork a worker into slot w (the other slots' sockets are closed in it); threads: its reports
 * may use threads of their own (run_worker). False when no process could be made (errno says
 * why). */
static bool worker_start(worker *w, worker *all, int nw, const job *js, size_t n,
                         const hu_build_opts *o, pid_t self, void *const *parent_only, int np,
                         bool threads) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        for (int k = 0; k < nw; k++)
            if (all[k].fd >= 0) close(all[k].fd);
        /* the parent's bookkeeping, never used here: freed, so that no copy of it outlives its
         * last reference in a register (valgrind: "definitely lost" at the worker's exit) */
        for (int k = 0; k < np; k++)
            free(parent_only[k]);
        run_worker(sv[1], js, n, o, self, threads);
    }
    int err = errno;
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        errno = err;
        return false;
    }
    w->pid = pid;
    w->fd = sv[0];
    w->nq = 0;
    hu_buf_clear(&w->in);
    w->stopping = false;
    return true;
}

/* Hand report j (index i) to w; false when the worker is gone (its end of the socket closed). */
static bool worker_give(worker *w, job *j, size_t i) {
    uint32_t idx = (uint32_t)i;
    ssize_t k;
    while ((k = send(w->fd, &idx, sizeof idx, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    w->q[w->nq++] = j;
    return k == (ssize_t)sizeof idx;
}

static void job_fail(job *j, const char *fmt, int v) {
    hu_error(&j->diags, j->input, 0, 0, NULL, fmt, v);
    j->status = HU_EXIT_BUILD;
    hu_strlist_free(&j->res.outputs);
    hu_buf_free(&j->msg);
    j->done = true;
}

/* The worker's process has ended (its socket reached its end): reap it. The oldest report it
 * held (being built, or being put in place) failed with how the process ended; a newer one,
 * not yet put in place, goes back to be built by another worker (*retry), once: a report
 * that was handed back before fails too (it may be what kills workers). Returns how many
 * reports were failed. */
static size_t worker_reap(worker *w, size_t *retry, size_t *nretry, const job *js) {
    int wst = 0;
    close(w->fd);
    w->fd = -1;
    while (waitpid(w->pid, &wst, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    hu_buf_clear(&w->in);
    size_t failed = 0;
    for (size_t i = 0; i < w->nq; i++) {
        job *j = w->q[i];
        if (i > 0 && !j->retried && retry) {
            j->retried = true;
            retry[(*nretry)++] = (size_t)(j - js);
            continue;
        }
        if (WIFSIGNALED(wst))
            job_fail(j, "生成过程异常终止（信号 %d），这份报告未生成", WTERMSIG(wst));
        else
            job_fail(j, "生成过程异常退出（状态 %d），这份报告未生成",
                     WIFEXITED(wst) ? WEXITSTATUS(wst) : -1);
        failed++;
    }
    w->nq = 0;
    return failed;
}

/* The oldest report of w is answered (or failed): take it off the queue. */
static job *worker_pop(worker *w) {
    job *j = w->q[0];
    for (size_t i = 1; i < w->nq; i++)
        w->q[i - 1] = w->q[i];
    w->nq--;
    return j;
}

/* The bytes w has sent: each whole result answers its oldest report. Returns how many reports
 * ended; a worker that sends what is not our records is killed (its reports fail when it is
 * reaped, the one whose answer was garbled here). */
static size_t worker_results(worker *w, const hu_build_opts *o) {
    size_t ended = 0;
    while (w->in.len) {
        if (!w->nq) { /* bytes nobody asked for: not our worker's records */
            kill(w->pid, SIGKILL);
            hu_buf_clear(&w->in);
            break;
        }
        job *j = w->q[0];
        size_t end = hu_jobresult_frame(w->in.data, w->in.len);
        if (end == 0 && w->in.len <= HU_JOBRESULT_MAX) break; /* still arriving */
        if (end == 0 || end == HU_JOBRESULT_BAD) {
            kill(w->pid, SIGKILL);
            hu_error(&j->diags, j->input, 0, 0, NULL,
                     end == 0 ? "生成过程返回的结果过大，按失败处理"
                              : "生成过程返回的结果无法识别，按失败处理");
            j->status = HU_EXIT_BUILD;
            hu_buf_clear(&w->in);
        } else {
            hu_buf_put(&j->msg, w->in.data, end);
            parse_result(j, o);
            memmove(w->in.data, w->in.data + end, w->in.len - end + 1); /* and the NUL */
            w->in.len -= end;
        }
        hu_buf_free(&j->msg);
        j->done = true;
        worker_pop(w);
        ended++;
    }
    return ended;
}

/* An input's identity for drop_same_file: its index, and its device and inode when stat
 * could tell them. */
typedef struct file_id {
    size_t i;
    bool known;
    dev_t dev;
    ino_t ino;
    const char *name;
} file_id;

static int cmp_file_id(const void *a, const void *b) {
    const file_id *x = a, *y = b;
    if (x->known != y->known) return x->known ? -1 : 1;
    if (x->known && x->dev != y->dev) return x->dev < y->dev ? -1 : 1;
    if (x->known && x->ino != y->ino) return x->ino < y->ino ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_file_name(const void *a, const void *b) {
    const file_id *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* The same file given twice (by one name or two: a link, a/../a) is built once, at its first
 * place. Each input is stat'ed once and the identities sorted: comparing every pair (stat of
 * both each time) took a million stat calls, 2-5 s before the first report, for 1,000 inputs. */
static void drop_same_file(hu_strlist *files) {
    size_t n = files->n;
    if (n < 2) return;
    file_id *ids = hu_xcalloc(n, sizeof *ids);
    bool *dup = hu_xcalloc(n, sizeof *dup);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        ids[i] = (file_id){i, stat(files->v[i], &st) == 0, 0, 0, files->v[i]};
        if (ids[i].known) ids[i].dev = st.st_dev, ids[i].ino = st.st_ino;
    }
    /* a later one with the device and inode of an earlier one */
    qsort(ids, n, sizeof *ids, cmp_file_id);
    for (size_t k = 1; k < n; k++)
        if (ids[k].known && ids[k - 1].known && ids[k].dev == ids[k - 1].dev &&
            ids[k].ino == ids[k - 1].ino)
            dup[ids[k].i] = true;
    /* a later one with the name of an earlier one (one that stat could not tell) */
    qsort(ids, n, sizeof *ids, cmp_file_name);
    for (size_t k = 1; k < n; k++)
        if (!strcmp(ids[k].name, ids[k - 1].name)) dup[ids[k].i] = true;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (dup[i])
            free(files->v[i]);
        else
            files->v[w++] = files->v[i];
    }
    files->n = w;
    free(dup);
    free(ids);
}

/* Two inputs with one stem (2026-10.yaml and 2026-10.json, or one name in two folders) would
 * write the same outputs: both fail, each naming the other (every other, in input order). */
typedef struct stem_of {
    size_t i;
    char *stem;
} stem_of;

static int cmp_stem(const void *a, const void *b) {
    const stem_of *x = a, *y = b;
    int c = strcmp(x->stem, y->stem);
    return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

static void mark_same_stem(job *js, size_t n, const char *outdir) {
    stem_of *st = hu_xcalloc(n ? n : 1, sizeof *st);
    for (size_t i = 0; i < n; i++)
        st[i] = (stem_of){i, hu_path_stem(js[i].input)};
    /* sorted by stem, then input order: each stem's inputs in a run (not every pair compared,
     * a million strcmp calls for 1,000 inputs) */
    if (n > 1) qsort(st, n, sizeof *st, cmp_stem);
    for (size_t a = 0, b; a < n; a = b) {
        for (b = a + 1; b < n && !strcmp(st[a].stem, st[b].stem); b++)
            ;
        for (size_t x = a; b - a > 1 && x < b; x++)
            for (size_t y = a; y < b; y++) {
                if (x == y) continue;
                size_t i = st[x].i, k = st[y].i;
                hu_error(&js[i].diags, js[i].input, 0, 0, NULL,
                         "与 %s 同名，两者的输出（%s/%s.*）会互相覆盖，都未生成；请改名其中一个",
                         js[k].input, outdir, st[x].stem);
                js[i].status = HU_EXIT_INPUT;
                js[i].done = true;
            }
    }
    for (size_t i = 0; i < n; i++)
        free(st[i].stem);
    free(st);
}

int hu_build_run(const hu_build_opts *opts, char *const *inputs, int ninputs) {
    hu_build_opts o = *opts;
    int rc = HU_EXIT_OK;
    hu_diags top = HU_DIAGS_INIT;
    hu_strlist files = {0};
    expand_inputs(inputs, ninputs, &files, &top);
    drop_same_file(&files);
    if (o.depfile)
        for (size_t i = 0; i < files.n; i++)
            if (same_file(o.depfile, files.v[i]))
                hu_error(&top, o.depfile, 0, 0, NULL,
                         "--depfile 指向输入文件 %s，会把它覆盖；请换一个依赖文件名", files.v[i]);
    bool refused = false;
    if (o.depfile)
        for (size_t i = 0; i < files.n; i++)
            refused |= same_file(o.depfile, files.v[i]);
    hu_diags_print(stderr, &top);
    if (hu_diags_failed(&top)) rc = HU_EXIT_INPUT;
    hu_diags_free(&top);
    if (refused || !files.n) {
        hu_strlist_free(&files);
        return HU_EXIT_INPUT;
    }

    hu_strlist made = {0};
    if (o.check) {
        hu_diags md = HU_DIAGS_INIT;
        /* both checked, so that check reports every place it could not write */
        bool ok = could_write(o.outdir, false, &md);
        if (o.depfile && !could_write(o.depfile, true, &md)) ok = false;
        hu_diags_print(stderr, &md);
        hu_diags_free(&md);
        if (!ok) {
            hu_strlist_free(&files);
            return HU_EXIT_BUILD;
        }
    } else if (o.formats) {
        hu_diags md = HU_DIAGS_INIT;
        bool ok = make_dirs(o.outdir, &made, &md);
        hu_diags_print(stderr, &md);
        hu_diags_free(&md);
        if (!ok) {
            remove_made_dirs(&made);
            hu_strlist_free(&made);
            hu_strlist_free(&files);
            return HU_EXIT_BUILD;
        }
    }
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = o.jobs ? o.jobs : (int)(ncpu > 0 ? ncpu : 1);
    if ((size_t)jobs > files.n) jobs = (int)files.n;
    bool forked = jobs > 1;
    /* a core no worker uses: then a worker's reports use threads as a single build does */
    bool spare_cores = ncpu > jobs;
    bool progress = !o.quiet && isatty(2) && files.n > 1;

    /* One history cache for the batch. Forked workers inherit what the parent loaded before
     * the fork, so the parent first scans each input folder once: without this every report
     * of a folder holding n months parsed all n files (quadratic; bench/README.md). */
    o.history_cache = hu_history_cache_new();
    for (size_t i = 0; i < files.n; i++)
        hu_history_cache_add_input(o.history_cache, files.v[i]);
    if (forked) {
        prewarm_history(&files, &o, jobs);
        /* what every report would otherwise do again in each worker (issue 19 item 6):
         * validate the earlier months it reads, and load ICU's dictionary engine */
        hu_history_cache_validate_all(o.history_cache);
        hu_report_warm_up(); /* and HarfBuzz */
    }
    batch_out bo = {{0}, 0, o.check, o.quiet};

    job *js = hu_xcalloc(files.n ? files.n : 1, sizeof *js);
    for (size_t i = 0; i < files.n; i++)
        js[i].input = files.v[i];
    mark_same_stem(js, files.n, o.outdir);
    size_t finished = 0, reported = 0;
    for (size_t i = 0; i < files.n; i++)
        if (js[i].done) finished++;
    report_finished(js, files.n, &reported, &bo);
    double t0 = now_sec();
    size_t next = 0;
    bool manifest_done = false;
    if (!forked && files.n > 1) { /* as in a worker */
        hu_fonts_keep_faces(true);
        hu_report_memo(true);
    }
    for (; !forked && next < files.n; next++) {
        job *j = &js[next];
        if (j->done) continue;
        start_progress(progress, finished, files.n, bo.failed, j->input, t0);
        /* a run of one report puts the manifest in place with its outputs (report.h) */
        if (files.n == 1 && o.formats && !o.check)
            j->status =
                hu_report_build_with_manifest(j->input, &o, &j->res, &manifest_done, &j->diags);
        else
            j->status = hu_report_build(j->input, &o, &j->res, &j->diags);
        j->done = true;
        finished++;
        if (progress) fputs("\r\033[K", stderr);
        report_finished(js, files.n, &reported, &bo);
    }
    hu_fonts_keep_faces(false);
    hu_report_memo(false);
    pid_t self = getpid();
    worker *ws = hu_xcalloc((size_t)jobs, sizeof *ws);
    struct pollfd *pf = hu_xcalloc((size_t)jobs, sizeof *pf);
    worker **pw = hu_xcalloc((size_t)jobs, sizeof *pw);
    for (int k = 0; k < jobs; k++)
        ws[k].fd = -1;
    /* reports handed back by a worker that died, built before the next new one */
    size_t *retry = hu_xcalloc(files.n ? files.n : 1, sizeof *retry), nretry = 0;
    while (forked && finished < files.n) {
        /* every worker gets a report (a slot without a process gets a new one) before any gets a
         * second one to build while the first is put in place; without more, it is told so */
        for (size_t want = 1; want <= WORKER_QUEUE; want++)
            for (int k = 0; k < jobs; k++) {
                worker *w = &ws[k];
                while (next < files.n && js[next].done)
                    next++;
                if (w->stopping || w->nq >= want) continue;
                if (!nretry && next >= files.n) {
                    if (w->pid) shutdown(w->fd, SHUT_WR);
                    w->stopping = w->pid != 0;
                    continue;
                }
                size_t i = nretry ? retry[--nretry] : next++;
                job *j = &js[i];
                void *parent_only[] = {pf, pw, retry};
                if (!w->pid && !worker_start(w, ws, jobs, js, files.n, &o, self, parent_only, 3,
                                             spare_cores)) {
                    hu_error(&j->diags, j->input, 0, 0, NULL, "无法启动子进程：%s",
                             strerror(errno));
                    j->status = HU_EXIT_BUILD;
                    j->done = true;
                    finished++;
                    report_finished(js, files.n, &reported, &bo);
                    k--; /* this slot tries again with the next report */
                    continue;
                }
                start_progress(progress, finished, files.n, bo.failed, j->input, t0);
                /* a worker that is gone is seen at its socket's end: the report fails there */
                (void)worker_give(w, j, i);
            }
        size_t np = 0;
        for (int k = 0; k < jobs; k++)
            if (ws[k].fd >= 0) {
                pf[np] = (struct pollfd){ws[k].fd, POLLIN, 0};
                pw[np++] = &ws[k];
            }
        if (!np) break; /* cannot happen: every report is handed out or failed */
        if (poll(pf, np, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (size_t k = 0; k < np; k++) {
            if (!pf[k].revents) continue;
            worker *w = pw[k];
            char chunk[65536];
            ssize_t got = read(w->fd, chunk, sizeof chunk);
            if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            size_t ended;
            const char *last = w->nq ? w->q[0]->input : NULL;
            if (got > 0) {
                hu_buf_put(&w->in, chunk, (size_t)got);
                ended = worker_results(w, &o);
            } else { /* the worker's process ended: a report it held failed */
                bool held = w->nq > 0;
                ended = worker_reap(w, retry, &nretry, js);
                w->stopping = false;
                /* its temporary files, unlocked now, are not left until the next run */
                if (held && !o.check && o.formats) (void)hu_atomic_sweep(o.outdir);
            }
            if (!ended) continue;
            finished += ended;
            if (progress) fputs("\r\033[K", stderr);
            report_finished(js, files.n, &reported, &bo);
            if (progress && finished < files.n)
                start_progress(progress, finished - 1, files.n, bo.failed, last, t0);
        }
    }
    /* the workers still waiting for a report see their socket close and exit */
    for (int k = 0; k < jobs; k++)
        if (ws[k].pid) {
            ws[k].nq = 0;
            worker_reap(&ws[k], NULL, NULL, js);
        }
    for (int k = 0; k < jobs; k++)
        hu_buf_free(&ws[k].in);
    free(retry);
    free(ws);
    free(pf);
    free(pw);
    if (progress) fputs("\r\033[K", stderr);

    size_t failed = 0, ok = 0;
    char exebuf[4096];
    const char *exe = self_path(exebuf, sizeof exebuf);
    for (size_t i = 0; i < files.n; i++) {
        if (js[i].status != HU_EXIT_OK)
            failed++;
        else
            ok++;
        if (js[i].status > rc) rc = js[i].status;
        if (js[i].status == HU_EXIT_OK) add_self_dep(&js[i].res, exe);
    }
    hu_diags d = HU_DIAGS_INIT;
    /* the reports' renames are made durable here, once for the run (report.c) */
    if (ok && o.formats && !o.check && !manifest_done && !hu_manifest_update(o.outdir, &d))
        rc = rc > HU_EXIT_BUILD ? rc : HU_EXIT_BUILD;
    else if (!ok && o.formats && !o.check)
        hu_outdir_sync(o.outdir); /* a failed report may still have put an output in place */
    if (o.depfile) {
        for (size_t i = 0; i < files.n; i++)
            for (size_t k = 0; js[i].status == HU_EXIT_OK && k < js[i].res.deps.n; k++)
                if (same_file(o.depfile, js[i].res.deps.v[k]))
                    hu_error(&d, o.depfile, 0, 0, NULL,
                             "--depfile 指向报告读取的文件 %s，会把它覆盖；依赖文件没有写出",
                             js[i].res.deps.v[k]);
        if (!hu_diags_failed(&d) && !o.check && !write_depfile(o.depfile, js, files.n, &d))
            rc = rc > HU_EXIT_BUILD ? rc : HU_EXIT_BUILD;
        else if (hu_diags_failed(&d))
            rc = HU_EXIT_INPUT;
    }
    hu_diags_print(stderr, &d);
    hu_diags_free(&d);
    if (!ok) remove_made_dirs(&made);
    if (!o.quiet) {
        for (size_t i = 0; i < files.n; i++)
            for (size_t k = 0; js[i].status == HU_EXIT_OK && k < js[i].res.outputs.n; k++)
                printf("%s\n", js[i].res.outputs.v[k]);
        if (o.check && files.n > 1)
            fprintf(stderr, "共检查 %zu 份输入：%zu 份通过，%zu 份未通过（%.2f 秒）\n", files.n, ok,
                    failed, now_sec() - t0);
        else if (!o.check && (files.n > 1 || failed))
            fprintf(stderr, "共 %zu 份报告：%zu 份成功，%zu 份失败（%.2f 秒）\n", files.n, ok,
                    failed, now_sec() - t0);
    }
    for (size_t i = 0; i < files.n; i++) {
        hu_buf_free(&js[i].msg);
        hu_report_result_free(&js[i].res);
        hu_diags_free(&js[i].diags);
    }
    free(js);
    hu_strlist_free(&bo.printed);
    hu_history_cache_free(o.history_cache);
    hu_strlist_free(&files);
    hu_strlist_free(&made);
    return rc;
}
