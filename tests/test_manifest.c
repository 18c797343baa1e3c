/* Unit tests of the output folder's manifest (manifest.c): SHA256SUMS takes an output's SHA-256
 * from the journal record that put it in place (hu_manifest_rec.sums) only while the file is
 * still the one the record describes; a file rewritten since, or a record without sums (an
 * older huibao's), is read and hashed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest.h"
#include "sha256.h"

static char dir[64];

static int setup(void **state) {
    (void)state;
    strcpy(dir, "/tmp/hu-test-manifest-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *path_of(const char *name) {
    static char p[2][256];
    static int k;
    k ^= 1;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void put(const char *name, const char *text) {
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The SHA256SUMS line of name, its hex ("" when absent). */
static void sums_hex(const char *name, char hex[65]) {
    hex[0] = 0;
    FILE *f = fopen(path_of("SHA256SUMS"), "r");
    assert_non_null(f);
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (strlen(line) > 66 && !strcmp(line + 66, name)) {
            memcpy(hex, line, 64);
            hex[64] = 0;
        }
    }
    fclose(f);
}

static void journal(const char *name, const char *const *outs, size_t n, const char *const *sums) {
    hu_manifest_rec r = {name, "2026-10", "某局", "标题", outs, n, NULL, NULL, NULL, NULL, sums};
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_manifest_journal(dir, &r, NULL, &d));
    assert_int_equal(d.n, 0);
    hu_diags_free(&d);
}

static void update(void) {
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_manifest_update(dir, &d));
    assert_int_equal(d.n, 0);
    hu_diags_free(&d);
}

static void test_file_sum_is_the_files(void **state) {
    (void)state;
    put("a.md", "# 标题\n\n正文。\n");
    char sum[HU_MANIFEST_SUM_MAX], hex[65];
    assert_true(hu_manifest_file_sum(path_of("a.md"), NULL, sum));
    assert_true(hu_sha256_file(path_of("a.md"), hex));
    assert_int_equal(strncmp(sum, hex, 64), 0);
    struct stat st;
    assert_int_equal(stat(path_of("a.md"), &st), 0);
    char size[32];
    snprintf(size, sizeof size, " %lld ", (long long)st.st_size);
    assert_int_equal(strncmp(sum + 64, size, strlen(size)), 0);
    /* with the hex given the file is not read: what the caller hashed as it wrote */
    char given[65];
    memset(given, 'e', 64);
    given[64] = 0;
    assert_true(hu_manifest_file_sum(path_of("a.md"), given, sum));
    assert_int_equal(strncmp(sum, given, 64), 0);
    assert_false(hu_manifest_file_sum(path_of("missing.md"), NULL, sum));
    assert_string_equal(sum, "");
}

static void test_sum_taken_from_record(void **state) {
    (void)state;
    put("b.md", "本月情况。\n");
    /* a sum whose hex is not the file's: that SHA256SUMS shows it proves the record's sum is
     * used and the file not read again */
    char fake[65], sum[HU_MANIFEST_SUM_MAX];
    memset(fake, 'a', 64);
    fake[64] = 0;
    assert_true(hu_manifest_file_sum(path_of("b.md"), fake, sum));
    const char *outs[] = {"b.md"}, *sums[] = {sum};
    journal("b", outs, 1, sums);
    update();
    char hex[65];
    sums_hex("b.md", hex);
    assert_string_equal(hex, fake);
}

static void test_rewritten_file_hashed_again(void **state) {
    (void)state;
    put("c.md", "第一版。\n");
    char fake[65], sum[HU_MANIFEST_SUM_MAX];
    memset(fake, 'b', 64);
    fake[64] = 0;
    assert_true(hu_manifest_file_sum(path_of("c.md"), fake, sum));
    const char *outs[] = {"c.md"}, *sums[] = {sum};
    journal("c", outs, 1, sums);
    /* replaced after the record (another file, another size): the record no longer describes
     * it */
    assert_int_equal(unlink(path_of("c.md")), 0);
    put("c.md", "第二版，长一些。\n");
    update();
    char hex[65], real[65];
    sums_hex("c.md", hex);
    assert_true(hu_sha256_file(path_of("c.md"), real));
    assert_string_equal(hex, real);
}

static void test_record_without_sums(void **state) {
    (void)state;
    put("d.md", "没有记录校验和的旧版本。\n");
    put("e.md", "一条记录的后一次没有校验和。\n");
    const char *outs[] = {"d.md"};
    journal("d", outs, 1, NULL);
    /* e: a record with a (wrong) sum, then a later one without: the later one decides */
    char fake[65], sum[HU_MANIFEST_SUM_MAX];
    memset(fake, 'c', 64);
    fake[64] = 0;
    assert_true(hu_manifest_file_sum(path_of("e.md"), fake, sum));
    const char *eouts[] = {"e.md"}, *esums[] = {sum};
    journal("e", eouts, 1, esums);
    journal("e", eouts, 1, NULL);
    update();
    char hex[65], real[65];
    sums_hex("d.md", hex);
    assert_true(hu_sha256_file(path_of("d.md"), real));
    assert_string_equal(hex, real);
    sums_hex("e.md", hex);
    assert_true(hu_sha256_file(path_of("e.md"), real));
    assert_string_equal(hex, real);
}

static void test_many_records(void **state) {
    (void)state;
    /* more entries than the name table's first size: every one found again by its name */
    enum { N = 300 };
    for (int i = 0; i < N; i++) {
        char name[32], file[40], text[64];
        snprintf(name, sizeof name, "m%03d", i);
        snprintf(file, sizeof file, "m%03d.md", i);
        snprintf(text, sizeof text, "第 %d 份。\n", i);
        put(file, text);
        const char *outs[] = {file};
        journal(name, outs, 1, NULL);
        if (i % 7 == 0) journal(name, outs, 1, NULL); /* a name twice: one entry */
    }
    update();
    FILE *f = fopen(path_of("index.json"), "r");
    assert_non_null(f);
    char line[1024];
    int entries = 0;
    while (fgets(line, sizeof line, f))
        entries += strstr(line, "\"name\": \"m") != NULL;
    fclose(f);
    assert_int_equal(entries, N);
    for (int i = 0; i < N; i += 37) {
        char file[40], hex[65], real[65];
        snprintf(file, sizeof file, "m%03d.md", i);
        sums_hex(file, hex);
        assert_true(hu_sha256_file(path_of(file), real));
        assert_string_equal(hex, real);
    }
}

static bool file_has(const char *path, const char *text) {
    FILE *f = fopen(path, "r");
    if (!f) return false;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, text) != NULL;
}

static void test_font_hash_cache(void **state) {
    (void)state;
    /* the per-user cache of font hashes ($XDG_CACHE_HOME/huibao/fonts.sha256), looked up by
     * file name: a stale line (the file changed) is replaced, a file named twice keeps one
     * line, other files' lines stay, and an unchanged cache is not written again */
    char cache[256], cfile[300];
    snprintf(cache, sizeof cache, "%s/cache", dir);
    snprintf(cfile, sizeof cfile, "%s/huibao/fonts.sha256", cache);
    setenv("XDG_CACHE_HOME", cache, 1);
    mkdir(cache, 0700);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/huibao", cache);
    mkdir(sub, 0700);
    enum { NF = 40 };
    FILE *c = fopen(cfile, "w");
    assert_non_null(c);
    for (int i = 0; i < 300; i++) /* other files' lines */
        fprintf(c, "%064d 1 2 3 4 %d /elsewhere/font %d.ttf\n", 0, i, i);
    char fonts[NF][256];
    for (int i = 0; i < NF; i++) {
        char name[32], text[64];
        snprintf(name, sizeof name, "font%02d.ttf", i);
        snprintf(text, sizeof text, "字体 %d\n", i);
        put(name, text);
        snprintf(fonts[i], sizeof fonts[i], "%s", path_of(name));
        /* a stale line (wrong times), twice for some */
        fprintf(c, "%064d 9 9 9 9 9 %s\n", 1, fonts[i]);
        if (i % 3 == 0) fprintf(c, "%064d 8 8 8 8 8 %s\n", 2, fonts[i]);
    }
    fclose(c);
    put("r.pdf", "%PDF\n");
    for (int rec = 0; rec < 3; rec++) {
        hu_strlist fl = {0};
        for (int i = 0; i < NF; i++) {
            char e[320];
            snprintf(e, sizeof e, "bundled\t\t%.255s", fonts[i]);
            hu_strlist_add(&fl, e);
        }
        const char *outs[] = {"r.pdf"};
        hu_manifest_rec r = {"r", "2026-10", "某局", "标题", outs, 1, &fl, NULL, NULL, NULL, NULL};
        hu_diags d = HU_DIAGS_INIT;
        assert_true(hu_manifest_journal(dir, &r, NULL, &d));
        hu_diags_free(&d);
        hu_strlist_free(&fl);
    }
    update();
    for (int i = 0; i < NF; i++) {
        char real[65], line[300];
        assert_true(hu_sha256_file(fonts[i], real));
        assert_true(file_has(path_of("index.json"), real));
        snprintf(line, sizeof line, "%s ", real);
        assert_true(file_has(cfile, line));
    }
    assert_false(file_has(path_of("index.json"),
                          "0000000000000000000000000000000000000000000000000000000000000001"));
    assert_false(file_has(cfile, " 9 9 9 9 9 "));
    assert_false(file_has(cfile, " 8 8 8 8 8 "));
    assert_true(file_has(cfile, "/elsewhere/font 299.ttf\n"));
    /* one line per file */
    FILE *f = fopen(cfile, "r");
    assert_non_null(f);
    char line[512];
    int lines = 0;
    while (fgets(line, sizeof line, f))
        lines++;
    fclose(f);
    assert_int_equal(lines, 300 + NF);
    /* nothing changed: the cache is not rewritten (a rewrite is a new file: rename) */
    struct stat before, after;
    assert_int_equal(stat(cfile, &before), 0);
    hu_strlist fl = {0};
    char e[320];
    snprintf(e, sizeof e, "bundled\t\t%.255s", fonts[0]);
    hu_strlist_add(&fl, e);
    const char *outs[] = {"r.pdf"};
    hu_manifest_rec r = {"r", "2026-10", "某局", "标题", outs, 1, &fl, NULL, NULL, NULL, NULL};
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_manifest_journal(dir, &r, NULL, &d));
    hu_diags_free(&d);
    hu_strlist_free(&fl);
    update();
    assert_int_equal(stat(cfile, &after), 0);
    assert_true(before.st_ino == after.st_ino);
    unsetenv("XDG_CACHE_HOME");
}

static void read_all(const char *name, char *buf, size_t size) {
    FILE *f = fopen(path_of(name), "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
}

/* A run of one report: its outputs and the manifest put in place in one round
 * (hu_manifest_commit); the manifest is what hu_atomic_commit_all and hu_manifest_update make. */
static void test_commit_with_manifest(void **state) {
    (void)state;
    put("old.md", "上月。\n");
    const char *old_outs[] = {"old.md"};
    journal("old", old_outs, 1, NULL);
    update();
    for (int round = 0; round < 2; round++) {
        /* round 0: everything goes in place; round 1: an empty output refuses the set */
        const char *names[] = {"r.md", "r.pdf"};
        const char *texts[] = {round ? "" : "本月。\n", "%PDF-1.5 本月\n"};
        hu_atomic w[2], *set[2];
        char sumbuf[2][HU_MANIFEST_SUM_MAX];
        const char *sums[2];
        hu_diags d = HU_DIAGS_INIT;
        for (int k = 0; k < 2; k++) {
            if (*texts[k])
                assert_true(
                    hu_atomic_stage(&w[k], path_of(names[k]), texts[k], strlen(texts[k]), &d));
            else /* an empty output, as a writer that wrote nothing */
                assert_true(hu_atomic_begin(&w[k], path_of(names[k]), &d));
            set[k] = &w[k];
            hu_manifest_file_sum(w[k].tmp, NULL, sumbuf[k]);
            sums[k] = sumbuf[k];
        }
        char before[4096];
        read_all("SHA256SUMS", before, sizeof before);
        hu_manifest_rec r = {"r",  "2026-10", "某局", "标题", names, 2,
                             NULL, NULL,      NULL,   NULL,   sums};
        int lock = hu_outdir_lock(dir, &d);
        assert_true(lock >= 0);
        int jfd = -1;
        assert_true(hu_manifest_journal(dir, &r, &jfd, &d));
        bool placed[2], done = true;
        bool ok = hu_manifest_commit(dir, lock, set, 2, jfd, placed, &done, &d);
        close(jfd);
        hu_outdir_release(lock);
        struct stat st;
        if (round == 0) {
            assert_true(ok && done && placed[0] && placed[1]);
            assert_int_equal(d.n, 0);
            for (int k = 0; k < 2; k++) {
                char hex[65], real[65];
                sums_hex(names[k], hex);
                assert_true(hu_sha256_file(path_of(names[k]), real));
                assert_string_equal(hex, real);
            }
            char hex[65];
            sums_hex("old.md", hex); /* the other report's line is kept */
            assert_int_equal(strlen(hex), 64);
            assert_true(file_has(path_of("index.json"), "\"name\": \"r\""));
            assert_true(file_has(path_of("index.json"), "\"name\": \"old\""));
            assert_int_not_equal(lstat(path_of(".huibao-journal"), &st), 0);
            /* the same manifest as the two steps make */
            char idx1[8192], sums1[4096], idx2[8192], sums2[4096];
            read_all("index.json", idx1, sizeof idx1);
            read_all("SHA256SUMS", sums1, sizeof sums1);
            journal("r", names, 2, NULL);
            update();
            read_all("index.json", idx2, sizeof idx2);
            read_all("SHA256SUMS", sums2, sizeof sums2);
            assert_string_equal(idx1, idx2);
            assert_string_equal(sums1, sums2);
        } else {
            /* r.pdf went in place, r.md did not: the manifest is left to the journal's record */
            assert_false(ok);
            assert_false(done);
            assert_false(placed[0]);
            assert_true(placed[1]);
            char after[4096];
            read_all("SHA256SUMS", after, sizeof after);
            assert_string_equal(before, after);
            assert_int_equal(lstat(path_of(".huibao-journal"), &st), 0);
            update(); /* the next run applies the record: SHA256SUMS names the bytes on disk */
            char hex[65], real[65];
            sums_hex("r.pdf", hex);
            assert_true(hu_sha256_file(path_of("r.pdf"), real));
            assert_string_equal(hex, real);
            sums_hex("r.md", hex);
            assert_true(hu_sha256_file(path_of("r.md"), real));
            assert_string_equal(hex, real);
        }
        hu_diags_free(&d);
    }
}

/* The journal's records are read by a fast reader when they have exactly the form
 * hu_manifest_journal writes, by the general loader otherwise: both give the same manifest. A
 * record with an extra key goes the general way (the key is ignored, as always). */
static void test_journal_fast_and_general(void **state) {
    (void)state;
    const char *lines[] = {
        /* pasted text (full-width indent, no-break space) is cleaned both ways; a tab escaped */
        "{\"pid\": 2147480001, \"name\": \"r\", \"period\": \"2026-10\", \"org\": "
        "\"\xe3\x80\x80某局\", "
        "\"title\": \"标\xc2\xa0题 \\\"引\\\\号\\\"\", \"outputs\": [\"r.md\", \"r.pdf\"], "
        "\"sums\": [\"\", \"\"], \"figures\": \"f.xlsx\", \"figures_sha256\": \"ab\", "
        "\"fonts\": [\"user\\u0009\\u0009/nonexistent/a.ttf\"], "
        "\"fallbacks\": [\"3\\u0009sections[0].text\\u0009\xe5\x96\x86\"]",
        /* a name only some lists */
        "{\"pid\": 2147480002, \"name\": \"s\", \"outputs\": [\"s.md\", \"../x\", \".hidden\"]",
    };
    char text[2][2048];
    for (int way = 0; way < 2; way++) {
        /* way 0: as written; way 1: with a key the fast reader does not know */
        char sub[300];
        snprintf(sub, sizeof sub, "%.200s/w%d", dir, way);
        assert_int_equal(mkdir(sub, 0700), 0);
        char p[400];
        snprintf(p, sizeof p, "%s/r.md", sub);
        FILE *f = fopen(p, "w");
        fputs("正文。\n", f);
        fclose(f);
        snprintf(p, sizeof p, "%s/r.pdf", sub);
        f = fopen(p, "w");
        fputs("%PDF\n", f);
        fclose(f);
        snprintf(p, sizeof p, "%s/s.md", sub);
        f = fopen(p, "w");
        fputs("另一份。\n", f);
        fclose(f);
        snprintf(p, sizeof p, "%s/.huibao-journal", sub);
        f = fopen(p, "w");
        for (int k = 0; k < 2; k++)
            fprintf(f, "%s%s}\n", lines[k], way ? ", \"extra\": 1" : "");
        fclose(f);
        hu_diags d = HU_DIAGS_INIT;
        assert_true(hu_manifest_update(sub, &d));
        hu_diags_free(&d);
        snprintf(p, sizeof p, "%s/index.json", sub);
        f = fopen(p, "r");
        size_t n = fread(text[way], 1, sizeof text[way] - 1, f);
        text[way][n] = 0;
        fclose(f);
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", sub);
        assert_int_equal(system(cmd), 0);
    }
    assert_string_equal(text[0], text[1]);
    assert_non_null(strstr(text[0], "\"org\": \"某局\""));
    assert_non_null(strstr(text[0], "\"title\": \"标 题 \\\"引\\\\号\\\"\""));
    assert_non_null(strstr(text[0], "\"file\": \"/nonexistent/a.ttf\", \"origin\": \"user\""));
    assert_non_null(strstr(text[0], "\"field\": \"sections[0].text\", \"line\": 3"));
    assert_non_null(strstr(text[0], "\"outputs\": [\"s.md\"]"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_sum_is_the_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sum_taken_from_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rewritten_file_hashed_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_without_sums, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_font_hash_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_with_manifest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_journal_fast_and_general, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
