/* build.c - runs the stages for each report, in parallel when asked, and writes outputs,
 * Makefile dependencies and the archive manifest.
 *
 * A report is all-or-nothing: every requested output is first written to a temporary file
 * beside its destination; only when all of them are complete are they renamed into place. A
 * report that fails leaves the previous outputs exactly as they were.
 *
 * With -j N (N > 1) each report is built in a forked child: one report that crashes or runs
 * out of memory cannot take the batch down, and the libraries we use need no thread safety. */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "atomic.h"
#include "buf.h"
#include "history.h"
#include "input.h"
#include "paths.h"
#include "report.h"
#include "sha256.h"
#include "strlist.h"
#include "value.h"

void hu_build_opts_default(hu_build_opts *o) {
    memset(o, 0, sizeof *o);
    o->outdir = "out";
    o->formats = HU_FMT_DEFAULT;
    o->subset = true;
    o->jobs = 0;
}

/* ---------------------------------------------------------------- helpers */

static bool is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *base_name(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static bool input_ext(const char *name) {
    const char *dot = strrchr(name, '.');
    return dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json"));
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expand folders into their input files (sorted, not recursive). */
static void expand_inputs(char **args, int n, hu_strlist *out, hu_diags *d) {
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
        while ((e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.' || !input_ext(e->d_name)) continue;
            hu_buf b = HU_BUF_INIT;
            size_t L = strlen(args[i]);
            hu_buf_printf(&b, "%s%s%s", args[i], L && args[i][L - 1] == '/' ? "" : "/", e->d_name);
            hu_strlist_add(&found, b.data);
            hu_buf_free(&b);
        }
        closedir(dir);
        qsort(found.v, found.n, sizeof *found.v, cmp_str);
        if (!found.n) hu_warn(d, args[i], 0, 0, NULL, "文件夹中没有 .yaml、.yml 或 .json 输入文件");
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

/* ---------------------------------------------------------------- one report */

int hu_build_check_file(const char *path, hu_diags *d) {
    hu_report_result res = {0};
    hu_build_opts o;
    hu_build_opts_default(&o);
    o.formats = 0; /* validate, analyse and check fonts; write nothing */
    int rc = hu_report_build(path, &o, &res, d);
    hu_report_result_free(&res);
    return rc;
}

int hu_build_one(const char *input, const hu_build_opts *o, hu_diags *d) {
    hu_report_result res = {0};
    int rc = hu_report_build(input, o, &res, d);
    hu_report_result_free(&res);
    return rc;
}

/* ---------------------------------------------------------------- job results */

typedef struct job {
    const char *input;
    pid_t pid;
    char *result_path; /* child's serialised result */
    hu_report_result res;
    int status;
    hu_diags diags;
    bool done;
} job;

/* A child hands its result back as lines in a file: "S status", "E message", "O output",
 * "D dependency", "T title", "G org", "P period". Messages are already formatted. */
static void save_result(const char *path, int status, const hu_report_result *r,
                        const hu_diags *d) {
    FILE *f = fopen(path, "w");
    if (!f) return;
    fprintf(f, "S %d\n", status);
    char line[4096];
    for (size_t i = 0; i < d->n; i++) {
        hu_diag_format(&d->v[i], line, sizeof line);
        for (char *p = line; *p; p++)
            if (*p == '\n') *p = ' ';
        fprintf(f, "%c %s\n", d->v[i].severity == HU_ERROR ? 'E' : 'W', line);
    }
    for (size_t i = 0; i < r->outputs.n; i++)
        fprintf(f, "O %s\n", r->outputs.v[i]);
    for (size_t i = 0; i < r->deps.n; i++)
        fprintf(f, "D %s\n", r->deps.v[i]);
    if (r->title) fprintf(f, "T %s\n", r->title);
    if (r->org) fprintf(f, "G %s\n", r->org);
    if (r->period) fprintf(f, "P %s\n", r->period);
    fclose(f);
}

static void load_result(job *j) {
    FILE *f = fopen(j->result_path, "r");
    j->status = HU_EXIT_BUILD;
    if (!f) {
        hu_error(&j->diags, j->input, 0, 0, NULL, "生成过程意外终止（没有结果）");
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n') line[--n] = 0;
        if (n < 2) continue;
        const char *v = line + 2;
        switch (line[0]) {
        case 'S':
            j->status = atoi(v);
            break;
        case 'E':
            hu_diag_add(&j->diags, HU_ERROR, NULL, 0, 0, NULL, "%s", v);
            break;
        case 'W':
            hu_diag_add(&j->diags, HU_WARNING, NULL, 0, 0, NULL, "%s", v);
            break;
        case 'O':
            hu_strlist_add(&j->res.outputs, v);
            break;
        case 'D':
            hu_strlist_add(&j->res.deps, v);
            break;
        case 'T':
            j->res.title = hu_strdup(v);
            break;
        case 'G':
            j->res.org = hu_strdup(v);
            break;
        case 'P':
            j->res.period = hu_strdup(v);
            break;
        }
    }
    free(line);
    fclose(f);
    unlink(j->result_path);
}

/* Messages from a child were formatted there; print them verbatim. */
static void print_job_diags(const job *j, bool forked) {
    if (!forked) {
        hu_diags_print(stderr, &j->diags);
        return;
    }
    for (size_t i = 0; i < j->diags.n; i++)
        fprintf(stderr, "%s\n", j->diags.v[i].msg);
}

/* ---------------------------------------------------------------- depfile and manifest */

static void dep_escape(hu_buf *b, const char *s) {
    for (; *s; s++) {
        if (*s == ' ' || *s == '#' || *s == '\\') hu_buf_putc(b, '\\');
        if (*s == '$') hu_buf_putc(b, '$');
        hu_buf_putc(b, *s);
    }
}

static bool write_depfile(const char *path, job *jobs, size_t n, hu_diags *d) {
    hu_buf b = HU_BUF_INIT;
    hu_strlist all = {0};
    for (size_t i = 0; i < n; i++) {
        job *j = &jobs[i];
        if (j->status != HU_EXIT_OK || !j->res.outputs.n) continue;
        for (size_t k = 0; k < j->res.outputs.n; k++) {
            if (k) hu_buf_putc(&b, ' ');
            dep_escape(&b, j->res.outputs.v[k]);
        }
        hu_buf_puts(&b, ":");
        for (size_t k = 0; k < j->res.deps.n; k++) {
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
    bool ok = hu_atomic_write(path, b.data ? b.data : "", b.len, d);
    hu_buf_free(&b);
    return ok;
}

static void json_str(hu_buf *b, const char *s) {
    hu_buf_putc(b, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            hu_buf_putc(b, '\\'), hu_buf_putc(b, (char)c);
        else if (c < 0x20)
            hu_buf_printf(b, "\\u%04x", c);
        else
            hu_buf_putc(b, (char)c);
    }
    hu_buf_putc(b, '"');
}

typedef struct entry {
    char *name, *period, *org, *title;
    hu_strlist outputs;
} entry;

static int cmp_entry(const void *a, const void *b) {
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static char *stem(const char *path) {
    const char *b = base_name(path);
    char *s = hu_strdup(b);
    char *dot = strrchr(s, '.');
    if (dot && dot != s) *dot = 0;
    return s;
}

/* The lines of an existing SHA256SUMS, "HEX  NAME", sorted by name (escaped or odd lines are
 * left out: those files are hashed again). */
typedef struct {
    char *name;
    char hex[65];
} sum_line;

static int cmp_sum(const void *a, const void *b) {
    return strcmp(((const sum_line *)a)->name, ((const sum_line *)b)->name);
}

static size_t read_sums(const char *path, sum_line **out) {
    *out = NULL;
    FILE *fp = fopen(path, "r");
    if (!fp) return 0;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, fp)) > 0) {
        if (line[len - 1] == '\n') line[--len] = 0;
        if (len < 67 || line[64] != ' ' || line[65] != ' ' ||
            strspn(line, "0123456789abcdef") != 64)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = realloc(*out, cap * sizeof **out);
            if (!*out) abort();
        }
        memcpy((*out)[n].hex, line, 64);
        (*out)[n].hex[64] = 0;
        (*out)[n++].name = hu_strdup(line + 66);
    }
    free(line);
    fclose(fp);
    if (n) qsort(*out, n, sizeof **out, cmp_sum);
    return n;
}

/* SHA256SUMS (the format `sha256sum -c` reads) and index.json for one output folder. Runs
 * under an flock so that parallel `make -j` invocations writing the same folder serialise.
 *
 * Only the files this run wrote are hashed; the other months' lines are carried over from the
 * existing SHA256SUMS. That keeps `make -j` over an archive of a thousand months linear (each
 * invocation used to re-read every output in the folder, some 300 MB), and it is what a
 * checksum file is for: it records the files as huibao wrote them, so `sha256sum -c` still
 * reports a month that was changed or damaged afterwards instead of the next build hiding it. */
static bool write_manifest(const char *outdir, job *jobs, size_t njobs, hu_diags *d) {
    hu_buf p = HU_BUF_INIT;
    hu_buf_printf(&p, "%s/.huibao.lock", outdir);
    int lock = open(p.data, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock >= 0) flock(lock, LOCK_EX);

    entry *ents = NULL;
    size_t n = 0, cap = 0;
    /* existing index first, so incremental builds keep the other months */
    hu_buf_clear(&p);
    hu_buf_printf(&p, "%s/index.json", outdir);
    hu_arena a;
    hu_arena_init(&a);
    hu_diags ignore = HU_DIAGS_INIT;
    struct stat st;
    hu_value *old = stat(p.data, &st) == 0 ? hu_value_load_file(&a, p.data, NULL, &ignore) : NULL;
    hu_diags_free(&ignore);
    hu_value *reports = hu_v_get(old, "reports");
    for (size_t i = 0; reports && reports->kind == HU_V_LIST && i < reports->n; i++) {
        hu_value *r = reports->items[i];
        hu_value *nm = hu_v_get(r, "name");
        if (!nm || nm->kind != HU_V_STR) continue;
        if (n == cap) cap = cap ? cap * 2 : 16, ents = realloc(ents, cap * sizeof *ents);
        entry *e = &ents[n++];
        memset(e, 0, sizeof *e);
        e->name = hu_strdup(nm->str);
        hu_value *v;
        e->period = hu_strdup((v = hu_v_get(r, "period")) && v->kind == HU_V_STR ? v->str : "");
        e->org = hu_strdup((v = hu_v_get(r, "org")) && v->kind == HU_V_STR ? v->str : "");
        e->title = hu_strdup((v = hu_v_get(r, "title")) && v->kind == HU_V_STR ? v->str : "");
        hu_value *outs = hu_v_get(r, "outputs");
        for (size_t k = 0; outs && outs->kind == HU_V_LIST && k < outs->n; k++)
            if (outs->items[k]->kind == HU_V_STR) hu_strlist_add(&e->outputs, outs->items[k]->str);
    }
    hu_arena_free(&a);
    for (size_t i = 0; i < njobs; i++) {
        job *j = &jobs[i];
        if (j->status != HU_EXIT_OK || !j->res.outputs.n) continue;
        char *name = stem(j->input);
        entry *e = NULL;
        for (size_t k = 0; k < n; k++)
            if (!strcmp(ents[k].name, name)) e = &ents[k];
        if (!e) {
            if (n == cap) cap = cap ? cap * 2 : 16, ents = realloc(ents, cap * sizeof *ents);
            e = &ents[n++];
            memset(e, 0, sizeof *e);
            e->name = hu_strdup(name);
        } else {
            free(e->period), free(e->org), free(e->title);
        }
        free(name);
        e->period = hu_strdup(j->res.period ? j->res.period : "");
        e->org = hu_strdup(j->res.org ? j->res.org : "");
        e->title = hu_strdup(j->res.title ? j->res.title : "");
        for (size_t k = 0; k < j->res.outputs.n; k++)
            hu_strlist_add(&e->outputs, base_name(j->res.outputs.v[k]));
    }
    if (n) qsort(ents, n, sizeof *ents, cmp_entry);

    hu_buf idx = HU_BUF_INIT, sums = HU_BUF_INIT;
    hu_buf_puts(&idx, "{\n  \"generator\": \"huibao " HU_VERSION "\",\n  \"reports\": [");
    hu_strlist files = {0};
    for (size_t i = 0; i < n; i++) {
        entry *e = &ents[i];
        /* keep only outputs that still exist */
        hu_strlist live = {0};
        for (size_t k = 0; k < e->outputs.n; k++) {
            hu_buf_clear(&p);
            hu_buf_printf(&p, "%s/%s", outdir, e->outputs.v[k]);
            if (stat(p.data, &st) == 0 && S_ISREG(st.st_mode)) {
                hu_strlist_add(&live, e->outputs.v[k]);
                hu_strlist_add(&files, e->outputs.v[k]);
            }
        }
        qsort(live.v, live.n, sizeof *live.v, cmp_str);
        hu_buf_puts(&idx, i ? ",\n    {" : "\n    {");
        hu_buf_puts(&idx, "\"name\": ");
        json_str(&idx, e->name);
        hu_buf_puts(&idx, ", \"period\": ");
        json_str(&idx, e->period);
        hu_buf_puts(&idx, ", \"org\": ");
        json_str(&idx, e->org);
        hu_buf_puts(&idx, ", \"title\": ");
        json_str(&idx, e->title);
        hu_buf_puts(&idx, ", \"outputs\": [");
        for (size_t k = 0; k < live.n; k++) {
            if (k) hu_buf_puts(&idx, ", ");
            json_str(&idx, live.v[k]);
        }
        hu_buf_puts(&idx, "]}");
        hu_strlist_free(&live);
    }
    hu_buf_puts(&idx, n ? "\n  ]\n}\n" : "]\n}\n");
    qsort(files.v, files.n, sizeof *files.v, cmp_str);
    hu_strlist fresh = {0}; /* what this run wrote */
    for (size_t i = 0; i < njobs; i++)
        if (jobs[i].status == HU_EXIT_OK)
            for (size_t k = 0; k < jobs[i].res.outputs.n; k++)
                hu_strlist_add(&fresh, base_name(jobs[i].res.outputs.v[k]));
    qsort(fresh.v, fresh.n, sizeof *fresh.v, cmp_str);
    hu_buf_clear(&p);
    hu_buf_printf(&p, "%s/SHA256SUMS", outdir);
    sum_line *old_sums;
    size_t nold = read_sums(p.data, &old_sums);
    bool ok = true;
    for (size_t k = 0; k < files.n; k++) {
        char hex[65];
        sum_line key = {files.v[k], ""};
        const sum_line *prev =
            nold ? bsearch(&key, old_sums, nold, sizeof *old_sums, cmp_sum) : NULL;
        bool rewritten =
            fresh.n && bsearch(&files.v[k], fresh.v, fresh.n, sizeof *fresh.v, cmp_str);
        if (prev && !rewritten) {
            hu_buf_printf(&sums, "%s  %s\n", prev->hex, files.v[k]);
            continue;
        }
        hu_buf_clear(&p);
        hu_buf_printf(&p, "%s/%s", outdir, files.v[k]);
        if (!hu_sha256_file(p.data, hex)) {
            hu_error(d, p.data, 0, 0, NULL, "无法读取输出文件以计算校验和");
            ok = false;
            continue;
        }
        hu_buf_printf(&sums, "%s  %s\n", hex, files.v[k]);
    }
    hu_buf_clear(&p);
    hu_buf_printf(&p, "%s/index.json", outdir);
    ok = hu_atomic_write(p.data, idx.data, idx.len, d) && ok;
    hu_buf_clear(&p);
    hu_buf_printf(&p, "%s/SHA256SUMS", outdir);
    ok = hu_atomic_write(p.data, sums.data ? sums.data : "", sums.len, d) && ok;

    for (size_t i = 0; i < n; i++) {
        free(ents[i].name), free(ents[i].period), free(ents[i].org), free(ents[i].title);
        hu_strlist_free(&ents[i].outputs);
    }
    free(ents);
    for (size_t i = 0; i < nold; i++)
        free(old_sums[i].name);
    free(old_sums);
    hu_strlist_free(&fresh);
    hu_strlist_free(&files);
    hu_buf_free(&idx);
    hu_buf_free(&sums);
    hu_buf_free(&p);
    if (lock >= 0) close(lock); /* releases the flock */
    return ok;
}

/* ---------------------------------------------------------------- the batch */

static void prewarm_history(const hu_strlist *files, const hu_build_opts *o) {
    hu_strlist dirs = {0};
    for (size_t i = 0; i < files->n; i++) {
        const char *f = files->v[i];
        const char *slash = strrchr(f, '/');
        hu_buf dir = HU_BUF_INIT;
        if (o->history_dir)
            hu_buf_puts(&dir, o->history_dir);
        else if (slash)
            hu_buf_put(&dir, f, (size_t)(slash - f));
        else
            hu_buf_puts(&dir, ".");
        if (!hu_strlist_has(&dirs, hu_buf_cstr(&dir))) {
            hu_strlist_add(&dirs, hu_buf_cstr(&dir));
            hu_arena a;
            hu_arena_init(&a);
            hu_diags quiet = HU_DIAGS_INIT; /* each report reports its own problems */
            hu_report *r = hu_input_load(&a, f, &quiet);
            if (r) hu_history_load(&a, r, o->history_dir, o->history_cache, &quiet);
            hu_diags_free(&quiet);
            hu_arena_free(&a);
        }
        hu_buf_free(&dir);
    }
    hu_strlist_free(&dirs);
}

static int parse_formats(const char *s, unsigned *out) {
    unsigned f = 0;
    char *copy = hu_strdup(s), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, "pdf"))
            f |= HU_FMT_PDF;
        else if (!strcmp(t, "xlsx"))
            f |= HU_FMT_XLSX;
        else if (!strcmp(t, "md"))
            f |= HU_FMT_MD;
        else if (!strcmp(t, "html"))
            f |= HU_FMT_HTML;
        else if (!strcmp(t, "docx"))
            f |= HU_FMT_DOCX;
        else {
            fprintf(stderr, "huibao build: 未知的输出格式“%s”（可用：pdf、docx、xlsx、md、html）\n",
                    t);
            free(copy);
            return -1;
        }
    }
    free(copy);
    if (!f) return -1;
    *out = f;
    return 0;
}

/* "--font role=path": repeated roles build a comma-separated chain, first given first. */
static int add_font(hu_build_opts *o, const char *arg, char **owned) {
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        fprintf(stderr, "huibao: --font 的格式应为 角色=字体文件，如 body=/path/simfang.ttf\n");
        return -1;
    }
    char role[32];
    size_t rl = (size_t)(eq - arg);
    if (rl >= sizeof role) rl = sizeof role - 1;
    memcpy(role, arg, rl);
    role[rl] = 0;
    int r = hu_font_role_from_name(role);
    if (r < 0) {
        fprintf(stderr, "huibao: 未知的字体角色“%s”（可用：body、song、kai、hei、title、latin）\n",
                role);
        return -1;
    }
    hu_buf b = HU_BUF_INIT;
    if (o->font_spec[r]) hu_buf_printf(&b, "%s,", o->font_spec[r]);
    hu_buf_puts(&b, eq + 1);
    free(owned[r]);
    owned[r] = hu_buf_detach(&b);
    o->font_spec[r] = owned[r];
    return 0;
}

int hu_build_main(int argc, char **argv) {
    hu_build_opts o;
    hu_build_opts_default(&o);
    char *font_owned[HU_ROLE_COUNT] = {0};
    char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int ninputs = 0, rc = HU_EXIT_OK;
    bool usage_error = false;
    for (int i = 0; i < argc && !usage_error; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define NEEDS_VALUE()                                                                              \
    do {                                                                                           \
        if (!val) {                                                                                \
            fprintf(stderr, "huibao build: 选项 %s 需要一个值\n", a);                              \
            usage_error = true;                                                                    \
            continue;                                                                              \
        }                                                                                          \
        i++;                                                                                       \
    } while (0)
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            NEEDS_VALUE();
            o.outdir = val;
        } else if (!strcmp(a, "-f") || !strcmp(a, "--format")) {
            NEEDS_VALUE();
            if (parse_formats(val, &o.formats)) usage_error = true;
        } else if (!strcmp(a, "-t") || !strcmp(a, "--template")) {
            NEEDS_VALUE();
            o.template_name = val;
        } else if (!strcmp(a, "--history")) {
            NEEDS_VALUE();
            o.history_dir = val;
        } else if (!strcmp(a, "--font")) {
            NEEDS_VALUE();
            if (add_font(&o, val, font_owned)) usage_error = true;
        } else if (!strcmp(a, "--depfile") || !strcmp(a, "-M")) {
            NEEDS_VALUE();
            o.depfile = val;
        } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
            NEEDS_VALUE();
            char *end;
            long j = strtol(val, &end, 10);
            if (*end || j < 1 || j > 256) {
                fprintf(stderr, "huibao build: -j 需要 1 到 256 之间的整数\n");
                usage_error = true;
            }
            o.jobs = (int)j;
        } else if (!strncmp(a, "-j", 2) && a[2]) {
            o.jobs = atoi(a + 2);
            if (o.jobs < 1 || o.jobs > 256) usage_error = true;
        } else if (!strcmp(a, "--strict")) {
            o.strict = true;
        } else if (!strcmp(a, "--no-subset")) {
            o.subset = false;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o.quiet = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "huibao build: 未知选项 %s（huibao --help 查看用法）\n", a);
            usage_error = true;
        } else {
            inputs[ninputs++] = argv[i];
        }
#undef NEEDS_VALUE
    }
    if (!usage_error && !ninputs) {
        fputs("huibao build: 请给出输入文件或文件夹\n", stderr);
        usage_error = true;
    }
    if (usage_error) {
        free(inputs);
        for (int r = 0; r < HU_ROLE_COUNT; r++)
            free(font_owned[r]);
        return HU_EXIT_INPUT;
    }

    hu_diags top = HU_DIAGS_INIT;
    hu_strlist files = {0};
    expand_inputs(inputs, ninputs, &files, &top);
    free(inputs);
    hu_diags_print(stderr, &top);
    if (hu_diags_failed(&top)) rc = HU_EXIT_INPUT;
    hu_diags_free(&top);

    if (!is_dir(o.outdir) && mkdir(o.outdir, 0777) != 0) {
        fprintf(stderr, "%s: 错误: 无法创建输出文件夹：%s\n", o.outdir, strerror(errno));
        hu_strlist_free(&files);
        for (int r = 0; r < HU_ROLE_COUNT; r++)
            free(font_owned[r]);
        return HU_EXIT_BUILD;
    }
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = o.jobs ? o.jobs : (int)(ncpu > 0 ? ncpu : 1);
    if ((size_t)jobs > files.n) jobs = (int)files.n;
    bool forked = jobs > 1;
    bool progress = !o.quiet && isatty(2) && files.n > 1;

    /* One history cache for the batch. Forked workers inherit what the parent loaded before
     * the fork, so the parent first scans each input folder once: without this every report
     * of a folder holding n months parsed all n files (quadratic; bench/README.md). */
    o.history_cache = hu_history_cache_new();
    if (forked) prewarm_history(&files, &o);

    job *js = calloc(files.n ? files.n : 1, sizeof *js);
    double t0 = now_sec();
    size_t next = 0, running = 0, finished = 0;
    while (finished < files.n) {
        /* start jobs while there is room */
        while (next < files.n && (running < (size_t)jobs || !forked)) {
            job *j = &js[next++];
            j->input = files.v[next - 1];
            if (progress) {
                fprintf(stderr, "\r\033[K[%zu/%zu] %s  %.1f 秒", finished + 1, files.n,
                        base_name(j->input), now_sec() - t0);
                fflush(stderr);
            }
            if (!forked) {
                j->status = hu_report_build(j->input, &o, &j->res, &j->diags);
                j->done = true;
                finished++;
                if (progress) fputs("\r\033[K", stderr);
                print_job_diags(j, false);
                continue;
            }
            hu_buf p = HU_BUF_INIT;
            hu_buf_printf(&p, "%s/.huibao-job-%ld-%zu", o.outdir, (long)getpid(), next);
            j->result_path = hu_buf_detach(&p);
            fflush(NULL);
            pid_t pid = fork();
            if (pid == 0) {
                hu_report_result res = {0};
                hu_diags d = HU_DIAGS_INIT;
                int st = hu_report_build(j->input, &o, &res, &d);
                save_result(j->result_path, st, &res, &d);
                _exit(0);
            }
            if (pid < 0) {
                hu_error(&j->diags, j->input, 0, 0, NULL, "无法启动子进程：%s", strerror(errno));
                j->status = HU_EXIT_BUILD;
                j->done = true;
                finished++;
                continue;
            }
            j->pid = pid;
            running++;
        }
        if (!forked) break;
        int wst;
        pid_t pid = wait(&wst);
        if (pid < 0) break;
        for (size_t k = 0; k < next; k++) {
            job *j = &js[k];
            if (j->pid != pid || j->done) continue;
            j->done = true;
            running--;
            finished++;
            load_result(j);
            if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
                hu_error(&j->diags, j->input, 0, 0, NULL, "生成过程异常终止（%s %d）",
                         WIFSIGNALED(wst) ? "信号" : "状态",
                         WIFSIGNALED(wst) ? WTERMSIG(wst) : WEXITSTATUS(wst));
                j->status = HU_EXIT_BUILD;
            }
            if (progress) fputs("\r\033[K", stderr);
            print_job_diags(j, true);
        }
    }
    if (progress) fputs("\r\033[K", stderr);

    size_t failed = 0, ok = 0;
    for (size_t i = 0; i < files.n; i++) {
        if (js[i].status != HU_EXIT_OK)
            failed++;
        else
            ok++;
        if (js[i].status > rc) rc = js[i].status;
    }
    hu_diags d = HU_DIAGS_INIT;
    if (ok && o.formats) {
        if (!write_manifest(o.outdir, js, files.n, &d))
            rc = rc > HU_EXIT_BUILD ? rc : HU_EXIT_BUILD;
    }
    if (o.depfile && !write_depfile(o.depfile, js, files.n, &d))
        rc = rc > HU_EXIT_BUILD ? rc : HU_EXIT_BUILD;
    hu_diags_print(stderr, &d);
    hu_diags_free(&d);
    if (!o.quiet) {
        for (size_t i = 0; i < files.n; i++)
            for (size_t k = 0; js[i].status == HU_EXIT_OK && k < js[i].res.outputs.n; k++)
                printf("%s\n", js[i].res.outputs.v[k]);
        if (files.n > 1 || failed)
            fprintf(stderr, "共 %zu 份报告：%zu 份成功，%zu 份失败（%.2f 秒）\n", files.n, ok,
                    failed, now_sec() - t0);
    }
    for (size_t i = 0; i < files.n; i++) {
        hu_report_result_free(&js[i].res);
        hu_diags_free(&js[i].diags);
        free(js[i].result_path);
    }
    free(js);
    hu_history_cache_free(o.history_cache);
    hu_strlist_free(&files);
    for (int r = 0; r < HU_ROLE_COUNT; r++)
        free(font_owned[r]);
    return rc;
}
