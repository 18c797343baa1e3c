/* test_xlsxlib.c - libxlsxwriter loaded with dlopen (xlsxlib.c): the table is complete, and the
 * in-memory temporary files (lxw_tmpfile) behave as a file does for everything libxlsxwriter
 * 1.1.4 does with them: fprintf/fputs/fputc/fwrite, fflush, ftell, rewind, fseek, fread until
 * feof, fclose. That the loaded library binds to this lxw_tmpfile is checked from the dynamic
 * loader's log (tests/e2e_dlopen.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "xlsxlib.h"

static void test_load(void **state) {
    (void)state;
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_lxw_load("x.xlsx", &d));
    assert_true(hu_lxw_load("x.xlsx", &d)); /* once */
    assert_int_equal(d.n, 0);
    const void *const *f = (const void *const *)&hu_lxw;
    for (size_t i = 0; i < sizeof hu_lxw / sizeof(void *); i++)
        assert_non_null(f[i]);
    assert_string_equal(hu_lxw.lxw_strerror(LXW_NO_ERROR), "No error.");
    hu_diags_free(&d);
}

/* The bytes of line i of the test file. */
static int line(char *out, size_t cap, int i) {
    return snprintf(out, cap, "<row r=\"%d\"><c t=\"s\"><v>%d</v></c></row>\n", i, i * 7);
}

static void test_memfile(void **state) {
    (void)state;
    FILE *f = lxw_tmpfile("/nonexistent-directory");
    assert_non_null(f);
    /* ~470 KB through fprintf, fputs, fputc, fwrite: the buffer grows many times */
    size_t want = 0;
    char buf[128];
    for (int i = 0; i < 10000; i++) {
        int n = line(buf, sizeof buf, i);
        switch (i % 4) {
        case 0:
            fprintf(f, "<row r=\"%d\"><c t=\"s\"><v>%d</v></c></row>\n", i, i * 7);
            break;
        case 1:
            fputs(buf, f);
            break;
        case 2:
            for (int k = 0; k < n; k++)
                fputc(buf[k], f);
            break;
        default:
            assert_int_equal(fwrite(buf, 1, (size_t)n, f), (size_t)n);
        }
        want += (size_t)n;
    }
    assert_int_equal(fflush(f), 0);
    assert_int_equal(ftell(f), (long)want);
    /* read back as the packager does: rewind, fread 16 KiB until a short read at feof */
    rewind(f);
    char *all = malloc(want + 1), chunk[16384];
    size_t got = 0, k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
        assert_true(got + k <= want);
        memcpy(all + got, chunk, k);
        got += k;
        if (k < sizeof chunk) assert_true(feof(f));
    }
    assert_true(feof(f));
    assert_false(ferror(f));
    assert_int_equal(got, want);
    size_t off = 0;
    for (int i = 0; i < 10000; i++) {
        int n = line(buf, sizeof buf, i);
        assert_memory_equal(all + off, buf, (size_t)n);
        off += (size_t)n;
    }
    /* seeks: set, cur, end, before the start (refused), past the end (zeros when written) */
    assert_int_equal(fseek(f, 5, SEEK_SET), 0);
    assert_int_equal(fread(chunk, 1, 3, f), 3);
    assert_memory_equal(chunk, all + 5, 3);
    assert_int_equal(fseek(f, -2, SEEK_CUR), 0);
    assert_int_equal(ftell(f), 6);
    assert_int_equal(fgetc(f), (unsigned char)all[6]);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    assert_int_equal(ftell(f), (long)want);
    assert_int_not_equal(fseek(f, -1, SEEK_SET), 0);
    assert_int_equal(fseek(f, 10, SEEK_END), 0);
    assert_int_equal(fputs("END", f), 1);
    assert_int_equal(ftell(f), (long)want + 13);
    /* an overwrite at the start, after reading */
    rewind(f);
    assert_int_equal(fputs("AB", f), 1);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    char *again = malloc(want + 64);
    assert_int_equal(fread(again, 1, want + 64, f), want + 13);
    assert_memory_equal(again, "AB", 2);
    assert_memory_equal(again + 2, all + 2, want - 2);
    for (size_t i = want; i < want + 10; i++)
        assert_int_equal(again[i], 0);
    assert_memory_equal(again + want + 10, "END", 3);
    assert_int_equal(fclose(f), 0);
    free(all);
    free(again);
    /* an empty file reads as empty */
    f = lxw_tmpfile(NULL);
    assert_non_null(f);
    rewind(f);
    assert_int_equal(fread(chunk, 1, sizeof chunk, f), 0);
    assert_true(feof(f));
    assert_int_equal(fclose(f), 0);
}

/* A workbook through the table whose tmpdir does not exist, with a rich string (a temporary
 * file opened while cells are written) and a chart: it is written. */
static void test_workbook(void **state) {
    (void)state;
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_lxw_load(NULL, &d));
    const char *path = "xlsxlib_test.xlsx";
    lxw_workbook_options o = {.tmpdir = "/nonexistent-directory"};
    lxw_workbook *wb = hu_lxw.workbook_new_opt(path, &o);
    assert_non_null(wb);
    lxw_worksheet *ws = hu_lxw.workbook_add_worksheet(wb, "表");
    lxw_format *bold = hu_lxw.workbook_add_format(wb);
    hu_lxw.format_set_bold(bold);
    lxw_rich_string_tuple a = {bold, "加粗"}, b = {NULL, "普通"};
    lxw_rich_string_tuple *rich[] = {&a, &b, NULL};
    assert_int_equal(hu_lxw.worksheet_write_rich_string(ws, 0, 0, rich, NULL), LXW_NO_ERROR);
    for (int r = 1; r <= 200; r++)
        assert_int_equal(hu_lxw.worksheet_write_number(ws, r, 0, r * 1.5, NULL), LXW_NO_ERROR);
    lxw_chart *ch = hu_lxw.workbook_add_chart(wb, LXW_CHART_LINE);
    lxw_chart_series *se = hu_lxw.chart_add_series(ch, NULL, NULL);
    hu_lxw.chart_series_set_values(se, "表", 1, 0, 200, 0);
    assert_int_equal(hu_lxw.worksheet_insert_chart_opt(ws, 1, 2, ch, NULL), LXW_NO_ERROR);
    assert_int_equal(hu_lxw.workbook_close(wb), LXW_NO_ERROR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char sig[4] = {0};
    assert_int_equal(fread(sig, 1, 4, f), 4);
    assert_memory_equal(sig, "PK\3\4", 4);
    fclose(f);
    remove(path);
    hu_diags_free(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_memfile),
        cmocka_unit_test(test_workbook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
