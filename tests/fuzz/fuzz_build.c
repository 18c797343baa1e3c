/* fuzz_build.c - one whole report build (hu_report_build: input, view, fonts coverage, the
 * bundled monthly template, Markdown, PDF, XLSX) on a fuzzed input, twice:
 *   1. the bytes as the YAML file itself (the loader and validation, mostly);
 *   2. the bytes as the *text* of a report that always validates: lines become the title, org,
 *      recipient, preamble, indicators (name; figures derived from the bytes) and sections
 *      ("## x" a level-1 title, "### x" level 2, "- x" a point, "* x" a highlight, anything
 *      else Markdown text), written as quoted YAML strings. Raw fuzzed YAML almost never gets
 *      past validation, so this is what drives the template, Markdown, PDF and XLSX stages.
 *
 * Beyond "no crash", it checks the all-or-nothing promise of report.h after every run:
 *   - no temporary file is left in the output folder;
 *   - a failed build leaves the previous outputs untouched (same inode: nothing renamed over);
 *   - a successful build leaves every requested output non-empty.
 * SOURCE_DATE_EPOCH is fixed so runs are reproducible. */
#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "error.h"
#include "report.h"

static char dir[64], input[128], outdir[128];
static const char *const exts[] = {"md", "pdf", "xlsx"};
static bool verbose; /* HU_FUZZ_VERBOSE=1: print each build's messages (replaying one input) */

static void cleanup(void) {
    char p[256];
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/in.%s", outdir, exts[i]);
        unlink(p);
    }
    unlink(input);
    rmdir(outdir);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    setenv("SOURCE_DATE_EPOCH", "1793836800", 1);
    verbose = getenv("HU_FUZZ_VERBOSE") != NULL;
    snprintf(dir, sizeof dir, "%s", "/tmp/hu-fuzz-build-XXXXXX");
    if (!mkdtemp(dir)) abort();
    snprintf(input, sizeof input, "%s/in.yaml", dir);
    snprintf(outdir, sizeof outdir, "%s/out", dir);
    if (mkdir(outdir, 0755) != 0) abort();
    atexit(cleanup);
    return 0;
}

static ino_t inode_of(const char *ext) {
    char p[256];
    struct stat st;
    snprintf(p, sizeof p, "%s/in.%s", outdir, ext);
    return stat(p, &st) == 0 ? st.st_ino : 0;
}

static off_t size_of(const char *ext) {
    char p[256];
    struct stat st;
    snprintf(p, sizeof p, "%s/in.%s", outdir, ext);
    return stat(p, &st) == 0 ? st.st_size : -1;
}

/* ---------------------------------------------------------------- structured input */

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void put(sbuf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) abort();
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
static void puts_(sbuf *b, const char *s) {
    put(b, s, strlen(s));
}

/* A YAML double-quoted scalar holding s[0..n) as valid UTF-8 without control characters
 * (the validator rejects those, which would end the run before the later stages). */
static void quoted(sbuf *b, const char *s, size_t n) {
    puts_(b, "\"");
    size_t kept = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = len && i + len <= n;
        for (size_t k = 1; ok && k < len; k++)
            ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
        if (ok && len == 2 && c < 0xC2) ok = false;
        if (ok && len == 3) {
            unsigned cp = (c & 15u) << 12 | ((unsigned char)s[i + 1] & 63u) << 6 |
                          ((unsigned char)s[i + 2] & 63u);
            ok = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
        }
        if (ok && len == 4) {
            unsigned cp = (c & 7u) << 18 | ((unsigned char)s[i + 1] & 63u) << 12;
            ok = cp >= 0x10000 && cp <= 0x10FFFF;
        }
        if (!ok) {
            i++;
            continue;
        }
        if (len == 1 && (c < 0x20 || c == 0x7F)) {
            i++;
            continue;
        }
        if (c == '"' || c == '\\') puts_(b, "\\");
        put(b, s + i, len);
        i += len;
        kept++;
    }
    if (!kept) puts_(b, "空"); /* empty text is an error too */
    puts_(b, "\"");
}

static size_t structured(const uint8_t *data, size_t size, sbuf *b) {
    const char *s = (const char *)data, *end = s + size;
    const char *line[512];
    size_t len[512], nl = 0;
    while (s < end && nl < 512) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e) e = end;
        line[nl] = s;
        len[nl++] = (size_t)(e - s);
        s = e + 1;
    }
    unsigned h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    char tmp[160];
    size_t k = 0;
    b->n = 0;
    puts_(b, "title: ");
    k < nl ? quoted(b, line[k], len[k]) : puts_(b, "\"报告\"");
    k++;
    puts_(b, "\norg: ");
    k < nl ? quoted(b, line[k], len[k]) : puts_(b, "\"单位\"");
    k++;
    snprintf(tmp, sizeof tmp, "\nperiod: 2026-%02u\n", 1 + h % 12);
    puts_(b, tmp);
    if (h & 16 && k < nl) puts_(b, "to: "), quoted(b, line[k], len[k]), puts_(b, "\n"), k++;
    if (h & 32 && k < nl) puts_(b, "preamble: "), quoted(b, line[k], len[k]), puts_(b, "\n"), k++;
    static const char *const units[] = {"亿元", "万元", "个", "%", "", "平方米", "家"};
    size_t nind = (h >> 8) % 6;
    if (nind && k < nl) puts_(b, "indicators:\n");
    for (size_t i = 0; i < nind && k < nl; i++, k++) {
        unsigned x = h ^ (unsigned)(i * 2654435761u);
        puts_(b, "  - name: ");
        quoted(b, line[k], len[k]);
        snprintf(tmp, sizeof tmp, "%zu\"\n    unit: \"%s\"\n    value: %u.%02u\n", i, units[x % 7],
                 x % 100000, x % 97);
        b->n--; /* continue the quoted name with the index: names must differ */
        puts_(b, tmp);
        if (x & 1)
            snprintf(tmp, sizeof tmp, "    last_year: %u.%u\n", (x >> 3) % 100000, x % 9),
                puts_(b, tmp);
        if (x & 2)
            snprintf(tmp, sizeof tmp, "    last_month: %u\n", (x >> 5) % 100000), puts_(b, tmp);
        if (x & 4) snprintf(tmp, sizeof tmp, "    target: %u\n", (x >> 7) % 1000000), puts_(b, tmp);
        if (x & 8) puts_(b, "    kind: rate\n");
        if (x & 16) puts_(b, "    approx: true\n");
    }
    /* sections: "## " opens a level-1 section, "### " a level-2 one inside it; other lines
     * gather into the open section's text (kept as one Markdown string with its line breaks),
     * points ("- ") and highlights ("* ") */
    puts_(b, "sections:\n");
    int level = 0;
    sbuf text = {0}, pts = {0}, hls = {0};
    for (;; k++) {
        bool eof = k >= nl;
        const char *l = eof ? "" : line[k];
        size_t n = eof ? 0 : len[k];
        bool h1 = n >= 3 && !memcmp(l, "## ", 3), h2 = n >= 4 && !memcmp(l, "### ", 4) && level;
        if (eof || h1 || h2) {
            /* flush the open section */
            const char *ind = level == 2 ? "        " : "    ";
            if (level == 0 && (text.n || pts.n || hls.n))
                puts_(b, "  - title: \"主要工作情况\"\n"), level = 1;
            if (text.n)
                puts_(b, ind), puts_(b, "text: \""), put(b, text.p, text.n), puts_(b, "\"\n");
            if (pts.n) puts_(b, ind), puts_(b, "points: ["), put(b, pts.p, pts.n), puts_(b, "]\n");
            if (hls.n)
                puts_(b, ind), puts_(b, "highlights: ["), put(b, hls.p, hls.n), puts_(b, "]\n");
            text.n = pts.n = hls.n = 0;
            if (eof) break;
        }
        if (h1) {
            puts_(b, "  - title: "), quoted(b, l + 3, n - 3), puts_(b, "\n");
            level = 1;
        } else if (h2) {
            if (level == 1) puts_(b, "    sections:\n");
            puts_(b, "      - title: "), quoted(b, l + 4, n - 4), puts_(b, "\n");
            level = 2;
        } else if (n >= 2 && (!memcmp(l, "- ", 2) || !memcmp(l, "* ", 2))) {
            sbuf *list = l[0] == '-' ? &pts : &hls;
            if (list->n) puts_(list, ", ");
            quoted(list, l + 2, n - 2);
        } else {
            /* a line of Markdown text: quoted, then spliced without its quotes */
            sbuf q = {0};
            quoted(&q, l, n);
            if (text.n) puts_(&text, "\\n");
            if (n) put(&text, q.p + 1, q.n - 2);
            free(q.p);
        }
    }
    free(text.p), free(pts.p), free(hls.p);
    if (level == 0) puts_(b, "  - title: \"主要工作情况\"\n");
    return b->n;
}

/* ---------------------------------------------------------------- one build */

static void build_one(const uint8_t *data, size_t size) {
    FILE *f = fopen(input, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    if (fclose(f) != 0) abort();

    ino_t before[3];
    for (int i = 0; i < 3; i++)
        before[i] = inode_of(exts[i]);

    hu_build_opts o;
    hu_build_opts_default(&o);
    o.outdir = outdir;
    o.history_dir = dir;
    o.formats = HU_FMT_MD | HU_FMT_PDF | HU_FMT_XLSX;
    o.quiet = true;
    hu_report_result res = {0};
    hu_diags d = HU_DIAGS_INIT;
    int rc = hu_report_build(input, &o, &res, &d);
    char line[1024];
    for (size_t i = 0; i < d.n; i++)
        hu_diag_format(&d.v[i], line, sizeof line);
    if (verbose) {
        fprintf(stderr, "hu_report_build: exit %d\n", rc);
        hu_diags_print(stderr, &d);
    }

    DIR *dd = opendir(outdir);
    if (!dd) abort();
    struct dirent *e;
    while ((e = readdir(dd)) != NULL) {
        if (strstr(e->d_name, ".tmp-")) {
            fprintf(stderr, "temporary file left behind: %s (rc %d)\n", e->d_name, rc);
            abort();
        }
    }
    closedir(dd);
    for (int i = 0; i < 3; i++) {
        if (rc != HU_EXIT_OK && inode_of(exts[i]) != before[i]) {
            fprintf(stderr, "failed build (rc %d) replaced in.%s\n", rc, exts[i]);
            abort();
        }
        if (rc == HU_EXIT_OK && size_of(exts[i]) <= 0) {
            fprintf(stderr, "successful build left in.%s missing or empty\n", exts[i]);
            abort();
        }
    }
    hu_report_result_free(&res);
    hu_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static sbuf b;
    build_one(data, size);
    structured(data, size, &b);
    if (verbose) fprintf(stderr, "---- structured input:\n%s----\n", b.p);
    build_one((const uint8_t *)b.p, b.n);
    return 0;
}
