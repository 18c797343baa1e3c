/* schema.c - write the input's JSON Schema (draft-07, what editors support best) from the
 * field table. Every object forbids unknown fields, as the validator does; sections are four
 * definitions, one per level, so a fifth level is flagged like the validator flags it. */
#include "schema.h"

#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "input.h"

static void indent(hu_buf *b, int n) {
    hu_buf_putc(b, '\n');
    for (int i = 0; i < n; i++)
        hu_buf_puts(b, "  ");
}

static void jstr(hu_buf *b, const char *s) {
    hu_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            hu_buf_putc(b, '\\'), hu_buf_putc(b, *s);
        else
            hu_buf_putc(b, *s);
    }
    hu_buf_putc(b, '"');
}

static void key(hu_buf *b, int depth, const char *k, bool *first) {
    if (!*first) hu_buf_putc(b, ',');
    *first = false;
    indent(b, depth);
    jstr(b, k);
    hu_buf_puts(b, ": ");
}

static void str_prop(hu_buf *b, int depth, const char *k, const char *v, bool *first) {
    key(b, depth, k, first);
    jstr(b, v);
}

static const char *TEXT_PATTERN = "\\S"; /* at least one character that is not blank */

/* The schema of one field's value, as the members of an object (already opened). */
static void field_body(hu_buf *b, int d, const hu_field *f, int level, bool title_required,
                       bool *first) {
    char tmp[64];
    switch (f->type) {
    case HU_F_TEXT:
        /* a blank optional text counts as left out, as in the validator */
        str_prop(b, d, "type", "string", first);
        if (f->required || (title_required && !strcmp(f->key, "title")))
            str_prop(b, d, "pattern", TEXT_PATTERN, first);
        break;
    case HU_F_NUMBER:
        str_prop(b, d, "type", "number", first);
        break;
    case HU_F_POSITIVE:
        str_prop(b, d, "type", "number", first);
        key(b, d, "exclusiveMinimum", first);
        hu_buf_puts(b, "0");
        break;
    case HU_F_BOOL:
        str_prop(b, d, "type", "boolean", first);
        break;
    case HU_F_INTEGER:
        str_prop(b, d, "type", "integer", first);
        snprintf(tmp, sizeof tmp, "%d", f->min);
        key(b, d, "minimum", first);
        hu_buf_puts(b, tmp);
        snprintf(tmp, sizeof tmp, "%d", f->max);
        key(b, d, "maximum", first);
        hu_buf_puts(b, tmp);
        break;
    case HU_F_ENUM: {
        key(b, d, "enum", first);
        hu_buf_putc(b, '[');
        const char *p = f->values;
        while (*p) {
            const char *e = strchr(p, '|');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            char v[64];
            snprintf(v, sizeof v, "%.*s", (int)n, p);
            if (p != f->values) hu_buf_puts(b, ", ");
            jstr(b, v);
            p += n + (e != NULL);
        }
        hu_buf_putc(b, ']');
        break;
    }
    case HU_F_PERIOD:
        str_prop(b, d, "type", "string", first);
        str_prop(b, d, "pattern", "^[0-9]{4}-(0[1-9]|1[0-2])$", first);
        break;
    case HU_F_DATE:
        str_prop(b, d, "type", "string", first);
        str_prop(b, d, "pattern", "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", first);
        break;
    case HU_F_NAME: /* what input.c refuses: empty, or a control character */
        str_prop(b, d, "type", "string", first);
        str_prop(b, d, "pattern", "^[^\\u0000-\\u001f\\u007f]+$", first);
        break;
    case HU_F_TEXTS:
        key(b, d, "oneOf", first);
        hu_buf_puts(b, "[");
        indent(b, d + 1);
        hu_buf_puts(b, "{\"type\": \"string\", \"minLength\": 1},");
        indent(b, d + 1);
        hu_buf_puts(b,
                    "{\"type\": \"array\", \"items\": {\"type\": \"string\", \"minLength\": 1}}");
        indent(b, d);
        hu_buf_puts(b, "]");
        break;
    case HU_F_INDICATORS:
        /* the list, or the workbook or CSV that holds it (figures.h) */
        key(b, d, "oneOf", first);
        hu_buf_puts(b, "[");
        indent(b, d + 1);
        hu_buf_printf(b,
                      "{\"type\": \"array\", \"maxItems\": %d, "
                      "\"items\": {\"$ref\": \"#/definitions/indicator\"}},",
                      HU_MAX_INDICATORS);
        indent(b, d + 1);
        hu_buf_puts(b, "{\"type\": \"string\", \"pattern\": "
                       "\"\\\\.([xX][lL][sS][xX]|[cC][sS][vV])$\"}");
        indent(b, d);
        hu_buf_puts(b, "]");
        break;
    case HU_F_SECTIONS:
        str_prop(b, d, "type", "array", first);
        key(b, d, "maxItems", first);
        hu_buf_printf(b, "%d", HU_MAX_SECTIONS);
        key(b, d, "items", first);
        hu_buf_printf(b, "{\"$ref\": \"#/definitions/section%d\"}", level);
        break;
    case HU_F_IGNORED:
        str_prop(b, d, "type", "string", first);
        break;
    }
}

/* "properties", "required" and "additionalProperties" of an object from a table; level is
 * the level of the sections a "sections" field holds (0: none allowed). */
static void object_members(hu_buf *b, int d, const hu_field *table, int level, bool title_required,
                           bool *first) {
    str_prop(b, d, "type", "object", first);
    key(b, d, "additionalProperties", first);
    hu_buf_puts(b, "false");
    bool rfirst = true;
    for (const hu_field *f = table; f->key; f++) {
        bool req = f->required || (title_required && !strcmp(f->key, "title"));
        if (!req) continue;
        if (rfirst) {
            key(b, d, "required", first);
            hu_buf_putc(b, '[');
        } else {
            hu_buf_puts(b, ", ");
        }
        rfirst = false;
        jstr(b, f->key);
    }
    if (!rfirst) hu_buf_putc(b, ']');
    key(b, d, "properties", first);
    hu_buf_putc(b, '{');
    bool pfirst = true;
    for (const hu_field *f = table; f->key; f++) {
        if (f->type == HU_F_SECTIONS && level > HU_MAX_SECTION_DEPTH) continue;
        key(b, d + 1, f->key, &pfirst);
        hu_buf_putc(b, '{');
        bool ffirst = true;
        str_prop(b, d + 2, "description", f->doc, &ffirst);
        field_body(b, d + 2, f, level, title_required, &ffirst);
        indent(b, d + 1);
        hu_buf_putc(b, '}');
    }
    indent(b, d);
    hu_buf_putc(b, '}');
}

void hu_schema_json(hu_buf *b) {
    bool first = true;
    hu_buf_putc(b, '{');
    str_prop(b, 1, "$schema", "http://json-schema.org/draft-07/schema#", &first);
    str_prop(b, 1, "title", "huibao 月度工作情况汇报的输入文件", &first);
    str_prop(b, 1, "description",
             "每月一个 YAML 或 JSON 文件，字段说明见 docs/input.md。本文件由 src/fields.c 生成，"
             "请勿手改（HU_WRITE_SCHEMA=1 运行 test_schema 重新生成）。",
             &first);
    object_members(b, 1, hu_report_fields, 1, false, &first);
    key(b, 1, "definitions", &first);
    hu_buf_putc(b, '{');
    bool dfirst = true;
    key(b, 2, "indicator", &dfirst);
    hu_buf_putc(b, '{');
    bool ifirst = true;
    str_prop(b, 3, "description", "一个指标", &ifirst);
    object_members(b, 3, hu_indicator_fields, 0, false, &ifirst);
    indent(b, 2);
    hu_buf_putc(b, '}');
    for (int level = 1; level <= HU_MAX_SECTION_DEPTH; level++) {
        char name[32];
        snprintf(name, sizeof name, "section%d", level);
        key(b, 2, name, &dfirst);
        hu_buf_putc(b, '{');
        bool sfirst = true;
        str_prop(b, 3, "description",
                 level == 1 ? "一级部分：带 title 的映射，或一段没有标题的文字"
                            : "下一级部分：映射（title 为引导句），或一段文字",
                 &sfirst);
        key(b, 3, "oneOf", &sfirst);
        hu_buf_putc(b, '[');
        indent(b, 4);
        hu_buf_puts(b, "{\"type\": \"string\", \"pattern\": \"\\\\S\"},");
        indent(b, 4);
        hu_buf_putc(b, '{');
        bool ofirst = true;
        object_members(b, 5, hu_section_fields, level + 1, level == 1, &ofirst);
        indent(b, 4);
        hu_buf_putc(b, '}');
        indent(b, 3);
        hu_buf_putc(b, ']');
        indent(b, 2);
        hu_buf_putc(b, '}');
    }
    indent(b, 1);
    hu_buf_putc(b, '}');
    indent(b, 0);
    hu_buf_puts(b, "}\n");
    (void)first;
}
