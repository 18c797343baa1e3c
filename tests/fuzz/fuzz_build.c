/* fuzz_build.c - one whole report build (hu_report_build: input, view, fonts coverage, the
 * bundled monthly template, Markdown, PDF, XLSX) on a fuzzed YAML input.
 *
 * Beyond "no crash", it checks the all-or-nothing promise of report.h after every run:
 *   - no temporary file is left in the output folder;
 *   - a failed build leaves the previous outputs untouched (same inode: nothing renamed over);
 *   - a successful build leaves every requested output non-empty.
 * SOURCE_DATE_EPOCH is fixed so runs are reproducible. */
#include <dirent.h>
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FILE *f = fopen(input, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    if (fclose(f) != 0) abort();

    ino_t before[3];
    for (int i = 0; i < 3; i++) before[i] = inode_of(exts[i]);

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
    for (size_t i = 0; i < d.n; i++) hu_diag_format(&d.v[i], line, sizeof line);

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
    return 0;
}
