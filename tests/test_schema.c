/* test_schema - the JSON Schema for editors (docs/input.schema.json) and the validator agree.
 *  1. The committed schema is what src/schema.c generates from the field table (run with
 *     HU_WRITE_SCHEMA=1 to rewrite it after changing src/fields.c).
 *  2. For every field of the table the validator does what the schema says: a typical value
 *     passes, a value of another type (or outside the allowed values) is an error at that
 *     field, a required field left out is an error, an unknown field is an error.
 * tests/e2e_schema.sh checks the schema itself with an independent validator (python3-jsonschema).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "input.h"
#include "schema.h"
#include "value.h"

static void test_committed_schema_is_generated(void **state) {
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/docs/input.schema.json", getenv("HU_SOURCE_DIR"));
    hu_buf want = HU_BUF_INIT;
    hu_schema_json(&want);
    if (getenv("HU_WRITE_SCHEMA")) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(want.data, 1, want.len, f);
        fclose(f);
    }
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    hu_buf got = HU_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        hu_buf_put(&got, chunk, n);
    fclose(f);
    if (got.len != want.len || memcmp(got.data, want.data, got.len))
        fprintf(stderr, "docs/input.schema.json is not what src/fields.c generates: rerun "
                        "this test with HU_WRITE_SCHEMA=1 and commit the file\n");
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.data, want.data, got.len);
    /* and it is JSON */
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_value *v = hu_value_load_string(&a, got.data, got.len, "input.schema.json", true, &d);
    hu_diags_print(stderr, &d);
    assert_non_null(v);
    assert_int_equal(hu_v_get(v, "additionalProperties")->kind, HU_V_BOOL);
    hu_diags_free(&d);
    hu_arena_free(&a);
    hu_buf_free(&got);
    hu_buf_free(&want);
}

/* A value of the field's type, and one the schema rejects, in YAML flow syntax. */
static const char *good_value(const hu_field *f) {
    switch (f->type) {
    case HU_F_TEXT:
        return "文字";
    case HU_F_NUMBER:
        return "-1.5";
    case HU_F_POSITIVE:
        return "2";
    case HU_F_BOOL:
        return "true";
    case HU_F_INTEGER:
        return "0";
    case HU_F_ENUM:
        return "rate";
    case HU_F_PERIOD:
        return "2026-10";
    case HU_F_DATE:
        return "2026-11-05";
    case HU_F_NAME:
        return "monthly-brief";
    case HU_F_TEXTS:
        return "[一项, 二项]";
    case HU_F_INDICATORS:
    case HU_F_SECTIONS:
        return "[]";
    case HU_F_IGNORED:
        return "../docs/input.schema.json";
    }
    return NULL;
}

static const char *bad_values(const hu_field *f) {
    switch (f->type) {
    case HU_F_TEXT:
        return f->required ? "[文字]|{a: 1}|\"  \"" : "[文字]|{a: 1}";
    case HU_F_NUMBER:
        return "[1]|true|abc";
    case HU_F_POSITIVE:
        return "-1|0|[1]";
    case HU_F_BOOL:
        return "yes|1|[true]";
    case HU_F_INTEGER:
        return "7|-1|1.5";
    case HU_F_ENUM:
        return "other|[rate]";
    case HU_F_PERIOD:
        return "2026-13|202610|[2026]";
    case HU_F_DATE:
        return "2026-13-01|[1]";
    case HU_F_NAME:
        return "\"\"|\"a\\x01b\"|[monthly]";
    case HU_F_TEXTS:
        return "{a: 1}|[[a]]|[1]|\"\"|[\"\"]";
    case HU_F_INDICATORS:
    case HU_F_SECTIONS:
        return "{a: 1}|文字";
    case HU_F_IGNORED:
        return "";
    }
    return "";
}

/* Validate base with FIELD: value placed at the object the table describes; returns the
 * number of errors at that field's path (or anywhere when path is NULL). */
static size_t errors_with(const hu_field *table, const char *key, const char *value,
                          const char *want_path, size_t *all) {
    char doc[2048];
    const char *head = "title: 标题\norg: 单位\nperiod: 2026-10\n";
    if (table == hu_report_fields) {
        /* the required fields themselves, unless this is the field */
        snprintf(doc, sizeof doc, "%s%s%s%s%s%s%s: %s\n",
                 strcmp(key, "title") ? "title: 标题\n" : "", "",
                 strcmp(key, "org") ? "org: 单位\n" : "", "",
                 strcmp(key, "period") ? "period: 2026-10\n" : "", "", key, value);
    } else if (table == hu_indicator_fields) {
        snprintf(doc, sizeof doc, "%sindicators:\n  - {%s%s%s: %s}\n", head,
                 strcmp(key, "name") ? "name: 指标, " : "",
                 strcmp(key, "value") ? "value: 1, " : "", key, value);
    } else {
        snprintf(doc, sizeof doc, "%ssections:\n  - {%s%s: %s}\n", head,
                 strcmp(key, "title") ? "title: 标题, " : "", key, value);
    }
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_value *v = hu_value_load_string(&a, doc, strlen(doc), "t.yaml", false, &d);
    if (v) hu_input_from_value(&a, v, "t.yaml", &d);
    size_t n = 0;
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].severity == HU_ERROR && d.v[i].path &&
            !strncmp(d.v[i].path, want_path, strlen(want_path)) &&
            strchr("[.", d.v[i].path[strlen(want_path)]))
            n++;
    *all = d.errors;
    if (*all && !n) hu_diags_print(stderr, &d);
    hu_diags_free(&d);
    hu_arena_free(&a);
    return n;
}

static void check_table(const hu_field *table, const char *prefix) {
    for (const hu_field *f = table; f->key; f++) {
        char path[128];
        snprintf(path, sizeof path, "%s%s", prefix, f->key);
        size_t all;
        /* a typical value passes */
        size_t n = errors_with(table, f->key, good_value(f), path, &all);
        if (all) fprintf(stderr, "%s: %s refused\n", path, good_value(f));
        assert_int_equal(all, 0);
        /* values of another type fail at the field */
        const char *p = bad_values(f);
        while (*p) {
            const char *e = strchr(p, '|');
            char v[64];
            snprintf(v, sizeof v, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
            n = errors_with(table, f->key, v, path, &all);
            if (!n) fprintf(stderr, "%s: %s accepted\n", path, v);
            assert_true(n > 0);
            p += strlen(v) + (e != NULL);
        }
    }
}

static void test_validator_follows_the_table(void **state) {
    (void)state;
    check_table(hu_report_fields, "");
    check_table(hu_indicator_fields, "indicators[0].");
    check_table(hu_section_fields, "sections[0].");
}

/* Required fields left out and unknown fields: errors, as the schema's "required" and
 * "additionalProperties": false say. */
static void test_required_and_unknown(void **state) {
    (void)state;
    const hu_field *tables[] = {hu_report_fields, hu_indicator_fields};
    const char *prefixes[] = {"", "indicators[0]."};
    for (int t = 0; t < 2; t++)
        for (const hu_field *f = tables[t]; f->key; f++) {
            if (!f->required) continue;
            char path[128];
            snprintf(path, sizeof path, "%s%s", prefixes[t], f->key);
            /* the document without the field */
            char doc[512];
            if (t == 0)
                snprintf(doc, sizeof doc, "%s%s%s", strcmp(f->key, "title") ? "title: 标题\n" : "",
                         strcmp(f->key, "org") ? "org: 单位\n" : "",
                         strcmp(f->key, "period") ? "period: 2026-10\n" : "");
            else
                snprintf(doc, sizeof doc,
                         "title: t\norg: o\nperiod: 2026-10\nindicators:\n  - {%s}\n",
                         strcmp(f->key, "name") ? "name: 指标" : "value: 1");
            hu_arena a;
            hu_arena_init(&a);
            hu_diags d = HU_DIAGS_INIT;
            hu_value *v = hu_value_load_string(&a, doc, strlen(doc), "t.yaml", false, &d);
            assert_non_null(v);
            assert_null(hu_input_from_value(&a, v, "t.yaml", &d));
            bool found = false;
            for (size_t i = 0; i < d.n; i++)
                if (d.v[i].path && !strcmp(d.v[i].path, path) && strstr(d.v[i].msg, "缺少必填字段"))
                    found = true;
            if (!found) hu_diags_print(stderr, &d);
            assert_true(found);
            hu_diags_free(&d);
            hu_arena_free(&a);
        }
    /* a level-1 section given as a map needs its title, a deeper one does not */
    size_t all;
    assert_true(errors_with(hu_section_fields, "title", "null", "sections[0].title", &all) > 0);
    /* unknown fields at every level */
    assert_true(errors_with(hu_report_fields, "titel", "x", "titel", &all) > 0);
    assert_true(errors_with(hu_indicator_fields, "unti", "x", "indicators[0].unti", &all) > 0);
    assert_true(errors_with(hu_section_fields, "point", "[x]", "sections[0].point", &all) > 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_committed_schema_is_generated),
        cmocka_unit_test(test_validator_follows_the_table),
        cmocka_unit_test(test_required_and_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
