/* fontcmd.c - `huibao fonts` (fontcmd.h). */
#include "fontcmd.h"

#include <stdio.h>

#include "fonts.h"

int hu_fontcmd_run(const hu_build_opts *o, const char *check) {
    hu_diags d = HU_DIAGS_INIT;
    int rc = HU_EXIT_OK;
    if (check) {
        size_t missing = 0, fallback = 0;
        rc = hu_report_check_fonts(check, o, &missing, &fallback, &d);
        hu_diags_print(stderr, &d);
        if (rc == HU_EXIT_OK) {
            if (missing == 0)
                printf("%s：所有字符都有字体可以显示", check);
            else
                printf("%s：%zu 处字符没有字体可以显示（见上）", check, missing);
            if (fallback)
                printf("；%zu 个字段有随附字体没有、由后备字体显示的字符（见上）", fallback);
            putchar('\n');
        }
    } else {
        hu_fonts *f = hu_report_fonts(o, &d);
        if (f) hu_fonts_print_chains(f, stdout);
        hu_diags_print(stderr, &d);
        if (!f) rc = HU_EXIT_INPUT;
        hu_fonts_free(f);
    }
    hu_diags_free(&d);
    return rc;
}
