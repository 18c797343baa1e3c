/* fields.h - the fields of an input file, in one table.
 *
 * The validator (input.c) takes its lists of known keys from here, and the JSON Schema that
 * editors use for completion and checking while typing (docs/input.schema.json, written by
 * schema.c) is generated from the same table, so the two cannot drift apart; test_schema
 * checks the committed schema against a fresh one and the validator against every field's
 * type, requiredness and allowed values. */
#ifndef HU_FIELDS_H
#define HU_FIELDS_H
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    HU_F_TEXT,       /* non-empty text */
    HU_F_NUMBER,     /* a figure */
    HU_F_POSITIVE,   /* a figure above 0 (target) */
    HU_F_BOOL,       /* true / false */
    HU_F_INTEGER,    /* a small whole number: min..max */
    HU_F_ENUM,       /* one of `values` ("amount|rate") */
    HU_F_PERIOD,     /* YYYY-MM */
    HU_F_DATE,       /* YYYY-MM-DD */
    HU_F_NAME,       /* a template: a name or a folder path (template.h), no control characters */
    HU_F_TEXTS,      /* one text or a list of texts */
    HU_F_INDICATORS, /* a list of indicators */
    HU_F_SECTIONS,   /* a list of sections (each a map or a paragraph) */
    HU_F_IGNORED,    /* accepted and ignored ($schema, for editors) */
} hu_ftype;

typedef struct hu_field {
    const char *key; /* NULL ends a table */
    hu_ftype type;
    bool required;
    const char *values; /* HU_F_ENUM: "amount|rate" */
    int min, max;       /* HU_F_INTEGER */
    const char *doc;    /* what it is, in Chinese, for editors' tooltips */
} hu_field;

extern const hu_field hu_report_fields[];    /* the top level */
extern const hu_field hu_indicator_fields[]; /* indicators[i] */
extern const hu_field hu_section_fields[];   /* sections[i] given as a map */

/* The entry for key in table, or NULL. */
const hu_field *hu_field_find(const hu_field *table, const char *key);

#endif
