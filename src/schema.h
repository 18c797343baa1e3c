/* schema.h - the JSON Schema of an input file, generated from the field table (fields.h).
 *
 * docs/input.schema.json is this text; editors that know JSON Schema (VS Code with the YAML
 * extension, WPS's and JetBrains' editors) use it to complete field names and flag a wrong
 * type or an unknown field while the file is typed. test_schema keeps the committed file equal
 * to hu_schema_json() (HU_WRITE_SCHEMA=1 rewrites it). */
#ifndef HU_SCHEMA_H
#define HU_SCHEMA_H
#include "buf.h"

/* Append the schema (JSON, two-space indents, a final newline) to out. */
void hu_schema_json(hu_buf *out);

#endif
