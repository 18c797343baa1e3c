/* hpdflib.c - libharu, loaded with dlopen; see hpdflib.h. */
#define HU_HPDFLIB_TABLE
#include "hpdflib.h"

#include "dynlib.h"

hu_hpdf_api hu_hpdf;

static hu_dynlib hpdf_lib = HU_DYNLIB(HU_LIBHPDF_SONAME, HU_LIBHPDF_PACKAGE, "生成 PDF 文件");

static void hpdf_load(void) {
    void *h = hu_dynlib_open(&hpdf_lib);
    if (!h) return;
#define HU_LOAD(f) hu_dynlib_sym(&hpdf_lib, h, #f, &hu_hpdf.f);
    HU_HPDF_FUNCS(HU_LOAD)
#undef HU_LOAD
}

bool hu_hpdf_load(const char *name, hu_diags *d) {
    return d ? hu_dynlib_ready(&hpdf_lib, hpdf_load, name, d)
             : hu_dynlib_load(&hpdf_lib, hpdf_load);
}
