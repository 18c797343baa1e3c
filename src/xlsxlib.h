/* xlsxlib.h - libxlsxwriter, loaded with dlopen when a workbook is made (see xlsxlib.c).
 *
 * xlsx.c (the report's workbook) and newmonth.c (huibao new's fill-in workbook) call
 * libxlsxwriter only through the table hu_lxw, after hu_lxw_load has answered true on any
 * thread: hu_lxw.workbook_new_opt(...), hu_lxw.worksheet_write_string(...), ... The types,
 * structs and constants are libxlsxwriter's own headers', and each entry has the type of the
 * function its header declares, so a mismatch is a compile error rather than a crash. */
#ifndef HU_XLSXLIB_H
#define HU_XLSXLIB_H
#include <stdbool.h>
#include <xlsxwriter.h>

#include "error.h"

/* Every libxlsxwriter function huibao calls (tests/test_sheet.c, which writes test workbooks
 * of its own, links the library directly). */
/* clang-format off */
#define HU_LXW_FUNCS(X) \
    X(chart_add_series) X(chart_axis_set_label_position) X(chart_axis_set_min) \
    X(chart_axis_set_num_font) X(chart_axis_set_num_format) X(chart_legend_set_position) \
    X(chart_series_set_categories) X(chart_series_set_labels) \
    X(chart_series_set_labels_num_format) X(chart_series_set_marker_type) \
    X(chart_series_set_name) X(chart_series_set_points) X(chart_series_set_values) \
    X(chart_show_blanks_as) X(chart_show_hidden_data) X(chart_title_set_name) \
    X(chart_title_set_name_font) \
    X(format_set_align) X(format_set_bg_color) X(format_set_bold) X(format_set_border) \
    X(format_set_border_color) X(format_set_font_color) X(format_set_font_size) \
    X(format_set_font_strikeout) X(format_set_num_format) X(format_set_text_wrap) \
    X(lxw_strerror) \
    X(workbook_add_chart) X(workbook_add_format) X(workbook_add_worksheet) X(workbook_close) \
    X(workbook_new) X(workbook_new_opt) X(workbook_set_properties) \
    X(worksheet_activate) X(worksheet_autofilter) X(worksheet_conditional_format_range) \
    X(worksheet_data_validation_range) X(worksheet_fit_to_pages) X(worksheet_freeze_panes) \
    X(worksheet_insert_chart_opt) X(worksheet_repeat_rows) X(worksheet_set_column) \
    X(worksheet_set_column_opt) X(worksheet_set_footer) X(worksheet_set_h_pagebreaks) \
    X(worksheet_set_header) X(worksheet_set_landscape) X(worksheet_set_margins) \
    X(worksheet_set_paper) X(worksheet_set_print_scale) X(worksheet_set_row) \
    X(worksheet_write_blank) X(worksheet_write_formula_num) X(worksheet_write_formula_str) \
    X(worksheet_write_number) X(worksheet_write_rich_string) X(worksheet_write_string)
/* clang-format on */

#define HU_LXW_FIELD(f) __typeof__(f) *f;
typedef struct hu_lxw_api {
    HU_LXW_FUNCS(HU_LXW_FIELD)
} hu_lxw_api;
#undef HU_LXW_FIELD

/* The functions; filled by the first hu_lxw_load, read-only after it. */
extern hu_lxw_api hu_lxw;

/* Loads libxlsxwriter on the calling thread (once per process; a later or concurrent call
 * waits for the first). False when it cannot be loaded, with a Chinese error against name
 * (the workbook's path as the user sees it) in d that names the library and its package. */
bool hu_lxw_load(const char *name, hu_diags *d);

#endif
