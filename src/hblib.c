/* hblib.c - HarfBuzz and hb-subset, loaded with dlopen; see hblib.h. */
#define HU_HBLIB_TABLE
#include "hblib.h"

#include "dynlib.h"

hu_hb_api hu_hb;

static hu_dynlib hb_lib =
    HU_DYNLIB(HU_LIBHBSUBSET_SONAME, HU_LIBHBSUBSET_PACKAGE, "读取和嵌入字体");

static void hb_load(void) {
    void *h = hu_dynlib_open_hb(&hb_lib); /* with the stand-ins (dynlib.h) */
    if (!h) return;
#define HU_LOAD(f) hu_dynlib_sym(&hb_lib, h, #f, &hu_hb.f);
    HU_HB_FUNCS(HU_LOAD)
#undef HU_LOAD
}

bool hu_hb_load(const char *name, hu_diags *d) {
    return d ? hu_dynlib_ready(&hb_lib, hb_load, name, d) : hu_dynlib_load(&hb_lib, hb_load);
}
