/* yamlout.h - a value tree (value.h) written as block-style YAML that people edit: plain
 * scalars where YAML reads them back as the same text, double quotes where it would not
 * (a leading "- ", ": ", " #", a text that reads as a number, a date or true), multi-line
 * text as a literal block (|). Comments can follow a map entry ("value:  # 请填写").
 *
 * Why not libfyaml's emitter: it writes no comments, and its choice between plain, quoted and
 * block styles is its own; the office reading the file needs the layout of a hand-written
 * month file. What is written is read back by the same loader huibao uses and compared with
 * the tree (hu_yaml_write checks it), so a quoting mistake is an error, never a changed text. */
#ifndef HU_YAMLOUT_H
#define HU_YAMLOUT_H
#include <stdbool.h>

#include "arena.h"
#include "buf.h"
#include "error.h"
#include "value.h"

/* A comment written after the entry whose value is `node` (compared by pointer). */
typedef struct hu_yaml_comment {
    const hu_value *node;
    const char *text; /* without "# " */
} hu_yaml_comment;

/* Appends root (a map) to out as YAML: `head` first (comment lines, each "# …\n", may be
 * NULL), then the entries. Reads the text back and compares it with root: false (and an
 * internal error in d naming `name`) when they differ. */
bool hu_yaml_write(hu_arena *a, const hu_value *root, const char *head,
                   const hu_yaml_comment *comments, size_t ncomments, const char *name, hu_buf *out,
                   hu_diags *d);

/* Appends s as one YAML scalar on one line: plain when that reads back as the same text,
 * else double-quoted. */
void hu_yaml_scalar(hu_buf *out, const char *s);

#endif
