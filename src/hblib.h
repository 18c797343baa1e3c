/* hblib.h - HarfBuzz and hb-subset, loaded with dlopen (dynlib.h) instead of at every start.
 *
 * fonts.c and pdf_fonts.c call HarfBuzz by its own names: this header, included after HarfBuzz's
 * (hb.h, hb-ot.h, hb-subset.h), turns each name into the entry of one table that
 * hu_hb_load fills from libharfbuzz-subset (and libharfbuzz, its dependency, which dlsym
 * searches too). Why: the two libraries bring glib, FreeType, graphite2, libpng, brotli and
 * pcre2 with them, ~70 page faults and ~1.1 M instructions of the dynamic loader at every start
 * (bench/README.md, Session 8), and a run that makes only Markdown or a workbook never opens a
 * font; for a PDF the loading happens on main.c's warm-up thread while the input is read. Each
 * entry has the type HarfBuzz's header declares (__typeof__), so a mismatch is a compile error.
 * A new HarfBuzz call in fonts.c or pdf_fonts.c goes into HU_HB_FUNCS and gets its #define
 * below; until it does, the link fails (huibao no longer links HarfBuzz), which is the point. */
#ifndef HU_HBLIB_H
#define HU_HBLIB_H
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <stdbool.h>

#include "error.h"

/* clang-format off */
#define HU_HB_FUNCS(X) \
    X(hb_blob_create) X(hb_blob_create_from_file_or_fail) X(hb_blob_destroy) X(hb_blob_get_data) \
    X(hb_blob_get_length) X(hb_blob_reference) X(hb_face_builder_add_table) \
    X(hb_face_builder_create) X(hb_face_count) X(hb_face_create) X(hb_face_destroy) \
    X(hb_face_get_glyph_count) X(hb_face_get_index) X(hb_face_get_upem) X(hb_face_reference) \
    X(hb_face_reference_blob) X(hb_face_reference_table) X(hb_font_create) X(hb_font_destroy) \
    X(hb_font_get_glyph_h_advance) X(hb_font_get_h_extents) X(hb_font_get_nominal_glyph) \
    X(hb_font_reference) X(hb_language_from_string) X(hb_map_clear) X(hb_map_create) \
    X(hb_map_destroy) X(hb_map_get) X(hb_map_get_population) X(hb_map_set) \
    X(hb_ot_name_get_utf8) X(hb_set_add) X(hb_set_create) X(hb_set_destroy) \
    X(hb_set_get_population) X(hb_set_has) X(hb_set_is_empty) X(hb_set_next) X(hb_set_union) \
    X(hb_style_get_value) X(hb_subset_input_create_or_fail) X(hb_subset_input_destroy) \
    X(hb_subset_input_set) X(hb_subset_input_set_flags) X(hb_subset_input_unicode_set) \
    X(hb_subset_plan_create_or_fail) X(hb_subset_plan_destroy) X(hb_subset_plan_execute_or_fail) \
    X(hb_subset_plan_old_to_new_glyph_mapping) X(hb_tag_to_string)
/* clang-format on */

#define HU_HB_FIELD(f) __typeof__(f) *f;
typedef struct hu_hb_api {
    HU_HB_FUNCS(HU_HB_FIELD)
} hu_hb_api;
#undef HU_HB_FIELD

/* The functions; filled by the first hu_hb_load, read-only after it. */
extern hu_hb_api hu_hb;

/* Loads HarfBuzz on the calling thread (once per process; a concurrent caller waits for the
 * first). False when it cannot be loaded, with a Chinese error against name in d naming the
 * library and its Debian package (d may be NULL: a warm-up that only wants it loaded). */
bool hu_hb_load(const char *name, hu_diags *d);

#ifndef HU_HBLIB_TABLE /* hblib.c fills the table under the real names */
/* clang-format off */
#define hb_blob_create (hu_hb.hb_blob_create)
#define hb_blob_create_from_file_or_fail (hu_hb.hb_blob_create_from_file_or_fail)
#define hb_blob_destroy (hu_hb.hb_blob_destroy)
#define hb_blob_get_data (hu_hb.hb_blob_get_data)
#define hb_blob_get_length (hu_hb.hb_blob_get_length)
#define hb_blob_reference (hu_hb.hb_blob_reference)
#define hb_face_builder_add_table (hu_hb.hb_face_builder_add_table)
#define hb_face_builder_create (hu_hb.hb_face_builder_create)
#define hb_face_count (hu_hb.hb_face_count)
#define hb_face_create (hu_hb.hb_face_create)
#define hb_face_destroy (hu_hb.hb_face_destroy)
#define hb_face_get_glyph_count (hu_hb.hb_face_get_glyph_count)
#define hb_face_get_index (hu_hb.hb_face_get_index)
#define hb_face_get_upem (hu_hb.hb_face_get_upem)
#define hb_face_reference (hu_hb.hb_face_reference)
#define hb_face_reference_blob (hu_hb.hb_face_reference_blob)
#define hb_face_reference_table (hu_hb.hb_face_reference_table)
#define hb_font_create (hu_hb.hb_font_create)
#define hb_font_destroy (hu_hb.hb_font_destroy)
#define hb_font_get_glyph_h_advance (hu_hb.hb_font_get_glyph_h_advance)
#define hb_font_get_h_extents (hu_hb.hb_font_get_h_extents)
#define hb_font_get_nominal_glyph (hu_hb.hb_font_get_nominal_glyph)
#define hb_font_reference (hu_hb.hb_font_reference)
#define hb_language_from_string (hu_hb.hb_language_from_string)
#define hb_map_clear (hu_hb.hb_map_clear)
#define hb_map_create (hu_hb.hb_map_create)
#define hb_map_destroy (hu_hb.hb_map_destroy)
#define hb_map_get (hu_hb.hb_map_get)
#define hb_map_get_population (hu_hb.hb_map_get_population)
#define hb_map_set (hu_hb.hb_map_set)
#define hb_ot_name_get_utf8 (hu_hb.hb_ot_name_get_utf8)
#define hb_set_add (hu_hb.hb_set_add)
#define hb_set_create (hu_hb.hb_set_create)
#define hb_set_destroy (hu_hb.hb_set_destroy)
#define hb_set_get_population (hu_hb.hb_set_get_population)
#define hb_set_has (hu_hb.hb_set_has)
#define hb_set_is_empty (hu_hb.hb_set_is_empty)
#define hb_set_next (hu_hb.hb_set_next)
#define hb_set_union (hu_hb.hb_set_union)
#define hb_style_get_value (hu_hb.hb_style_get_value)
#define hb_subset_input_create_or_fail (hu_hb.hb_subset_input_create_or_fail)
#define hb_subset_input_destroy (hu_hb.hb_subset_input_destroy)
#define hb_subset_input_set (hu_hb.hb_subset_input_set)
#define hb_subset_input_set_flags (hu_hb.hb_subset_input_set_flags)
#define hb_subset_input_unicode_set (hu_hb.hb_subset_input_unicode_set)
#define hb_subset_plan_create_or_fail (hu_hb.hb_subset_plan_create_or_fail)
#define hb_subset_plan_destroy (hu_hb.hb_subset_plan_destroy)
#define hb_subset_plan_execute_or_fail (hu_hb.hb_subset_plan_execute_or_fail)
#define hb_subset_plan_old_to_new_glyph_mapping (hu_hb.hb_subset_plan_old_to_new_glyph_mapping)
#define hb_tag_to_string (hu_hb.hb_tag_to_string)
/* clang-format on */
#endif

#endif
