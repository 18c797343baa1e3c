/* value.h - a JSON-like tree with source locations.
 *
 * It is both what a YAML/JSON file loads into (before the report model is validated from it)
 * and the Mustache context the view builds for templates and the XLSX writer. All nodes live
 * in a hu_arena. Maps keep insertion order (templates and tables rely on it). */
#ifndef HU_VALUE_H
#define HU_VALUE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"

typedef enum { HU_V_NULL, HU_V_BOOL, HU_V_NUM, HU_V_STR, HU_V_LIST, HU_V_MAP } hu_vkind;

typedef struct hu_value hu_value;
/* 64 bytes (was 80): a parsed input and the template context are mostly these nodes, so
 * their size is most of the memory per input byte (issue 15 item 6); a list or map holds at
 * most HU_MAX_INPUT_BYTES items, so 32-bit counts suffice. */
struct hu_value {
    hu_vkind kind;
    /* where it came from: 1-based, 0 when built in code */
    int line, col;
    bool b;
    bool quoted; /* a quoted YAML scalar (always a string) */
    double num;
    /* HU_V_STR: the text (NUL-terminated; len excludes the NUL). HU_V_NUM: the number as
     * written in the file (for exact decimal arithmetic) or as formatted, never NULL. */
    const char *str;
    size_t len;
    /* HU_V_LIST: items[0..n); HU_V_MAP: keys[i] -> items[i] */
    hu_value **items;
    const char **keys;
    uint32_t n, cap;
};

/* Constructors (arena-owned). */
hu_value *hu_v_null(hu_arena *a);
hu_value *hu_v_bool(hu_arena *a, bool b);
hu_value *hu_v_num(hu_arena *a, double x); /* text formatted shortest-exact */
hu_value *hu_v_num_text(hu_arena *a, double x, const char *text);
hu_value *hu_v_str(hu_arena *a, const char *s); /* copies s; NULL -> null value */
hu_value *hu_v_strn(hu_arena *a, const char *s, size_t n);
hu_value *hu_v_list(hu_arena *a);
hu_value *hu_v_map(hu_arena *a);
/* A map with room for cap keys from the start: growing doubles and the arena keeps every old
 * array, so a map of known size built in code is best made at that size. */
hu_value *hu_v_map_sized(hu_arena *a, size_t cap);
void hu_v_push(hu_arena *a, hu_value *list, hu_value *item);
/* Sets or replaces key (key is copied). */
void hu_v_set(hu_arena *a, hu_value *map, const char *key, hu_value *val);
/* hu_v_set for a key that outlives the map (a string literal): not copied. The template
 * context has some thirty keys on every section, point and indicator; copying each was a
 * tenth of a large report's memory. */
void hu_v_set_lit(hu_arena *a, hu_value *map, const char *key, hu_value *val);
/* Shared, immutable true / false / null nodes (no location) for trees built in code: the
 * template context holds tens of thousands of flags. Never modify what these return. */
hu_value *hu_v_const_bool(bool b);
hu_value *hu_v_const_null(void);
hu_value *hu_v_get(const hu_value *map, const char *key); /* NULL when absent or not a map */
/* Convenience setters for the view builder. */
void hu_v_set_str(hu_arena *a, hu_value *map, const char *key, const char *s);
void hu_v_set_num(hu_arena *a, hu_value *map, const char *key, double x);
void hu_v_set_bool(hu_arena *a, hu_value *map, const char *key, bool b);
/* Mustache truthiness: false, null, empty list are falsey ("" and 0 are truthy per spec). */
bool hu_v_truthy(const hu_value *v);
const char *hu_v_kind_name(hu_vkind k); /* Chinese name for messages: 数字, 文本 … */

/* Load a YAML or JSON file (JSON when the name ends in .json). Accepts a UTF-8 BOM; a
 * GB18030/GBK file is converted with a notice; UTF-16/32, NUL bytes, invalid UTF-8, duplicate
 * keys, NaN/Inf and out-of-range numbers are errors with file:line:col. Returns NULL on error
 * (all problems are in d). `display` is the name used in messages (NULL: path). */
hu_value *hu_value_load_file(hu_arena *a, const char *path, const char *display, hu_diags *d);
hu_value *hu_value_load_string(hu_arena *a, const char *text, size_t len, const char *display,
                               bool json, hu_diags *d);
/* Converts GB18030 (a superset of GBK and GB2312, what Chinese Windows programs save as "ANSI")
 * to UTF-8: malloc'd, NUL-terminated, *outn bytes. NULL when the bytes are not GB18030 either.
 * The YAML loader and the CSV reader (sheet.h) share it. */
char *hu_gb18030_to_utf8(const char *s, size_t n, size_t *outn);
/* Limits that turn hostile input into a clear error instead of exhausting memory. An input
 * file may hold at most what the report's text may total (8 MB): the input shape that costs
 * most memory per byte (tens of thousands of one-line sections) then stays under 1 GB (about
 * 90 bytes per input byte, bench/bench_memory.sh); at 20 MB it took 1.6 GB and 40 s before
 * the page cap refused it. A GB18030 file may still convert to more UTF-8 text than that: the
 * total-text limit (input.c) catches it. Templates are not inputs of that shape. */
#define HU_MAX_INPUT_BYTES (8u * 1024 * 1024)
#define HU_MAX_TEMPLATE_BYTES (64u * 1024 * 1024)
#define HU_MAX_DEPTH 64

#endif
