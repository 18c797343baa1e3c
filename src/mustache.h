/* mustache.h - the template engine: Mustache (spec v1.4 modules comments, delimiters,
 * interpolation, inverted, partials, sections, plus the optional ~inheritance and
 * ~dynamic-names modules; no lambdas) over hu_value contexts, with one addition: structural
 * blocks `{{@name}}…{{/name}}` reported out of band (see hu_mustache_opts).
 *
 * A template is parsed once into a flat token array (sections know where they end), and the
 * renderer walks it with an explicit stack, so time is linear in template size plus output
 * size and deep nesting does not exhaust the C stack. Partials and parents (`{{>name}}`,
 * `{{<name}}…{{/name}}`, `{{>*dyn}}`) are loaded and parsed once per render call.
 *
 * Partial lookup (file mode): NAME → DIR/NAME.mustache, trying the folder of the template file
 * first, then each of o->partial_dirs in order. Names that are absolute or contain a `..`
 * component, and files whose real path (symlinks resolved) lies outside those folders, are
 * errors. Nesting of partials/parents/overridden blocks is bounded by HU_MUSTACHE_MAX_DEPTH.
 *
 * Errors (template syntax, missing partial in strict mode, path escapes, depth) are reported
 * through hu_diags with the template file, line and column; the functions return nonzero. */
#ifndef HU_MUSTACHE_H
#define HU_MUSTACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "value.h"

#define HU_MUSTACHE_MAX_DEPTH 64
/* Rendering stops with an error once the output passes this size. */
#define HU_MUSTACHE_MAX_OUTPUT (64 << 20)
/* Work a rendering may do, in tokens (a partial or parent counts 20): about a second, the
 * bound on time that output size alone is not (loops and partials that print nothing). The
 * sample report takes some 10,000; a 2,000-section report a few hundred thousand. */
#define HU_MUSTACHE_MAX_WORK 20000000ULL

typedef enum hu_escape {
    HU_ESC_HTML,     /* & < > " → entities (the spec's escaping) */
    HU_ESC_MARKDOWN, /* {{x}} shows literally after a GFM parser reads it (see hu_mustache_escape)
                      */
    HU_ESC_NONE,
} hu_escape;

typedef struct hu_mustache_opts {
    hu_escape escape;
    /* Extra folders searched for partials and parents after the template's own folder
     * (e.g. the shared partials folder). May be NULL/0. */
    const char *const *partial_dirs;
    size_t npartial_dirs;
    /* true: a partial or parent that cannot be found is an error (reports);
     * false: it renders as the empty string (the spec's behaviour). */
    bool strict_partials;
    /* Called once for every template file read (the template itself and each partial or
     * parent), with the path as opened: lets the caller write Makefile depfiles. May be NULL. */
    void (*on_file)(void *ud, const char *path);
    void *ud;
    /* Structural blocks, out of band: `{{@name}}…{{/name}}` writes its content as usual and
     * reports the byte range [start, end) of out it produced to on_block (when it closes),
     * instead of writing any marker into the text. No interpolated value can therefore open,
     * close or fake a block. name must be one of block_names (NULL-terminated), else it is a
     * template error at the tag; blocks do not nest. A `{{@x}}{{/x}}` pair alone on a line is
     * standalone. With on_block NULL the tags only render their content (huibao render). */
    const char *const *block_names;
    void (*on_block)(void *ud, const char *name, size_t name_len, size_t start, size_t end);
    void *block_ud;
} hu_mustache_opts;

/* Render the template file at template_path with context ctx, appending to out.
 * o may be NULL (Markdown escaping, strict partials, no extra folders).
 * Returns false when an error was added to d (out then holds partial output). */
bool hu_mustache_render_file(const char *template_path, const hu_value *ctx,
                             const hu_mustache_opts *o, hu_buf *out, hu_diags *d);

/* Where a template's parent is when it is not a partial: a template extending another template
 * (template.h). resolve is asked first for every partial or parent name, with the file that
 * names it (the path as opened); it returns the file to read or NULL to search the folders.
 * Files it names are not subject to the folder check (the caller found them). */
typedef struct hu_mustache_resolver {
    const char *(*resolve)(void *ud, const char *from, const char *name);
    void *ud;
} hu_mustache_resolver;

/* hu_mustache_render_file with a resolver (may be NULL). */
bool hu_mustache_render_file_with(const char *template_path, const hu_value *ctx,
                                  const hu_mustache_opts *o, const hu_mustache_resolver *res,
                                  hu_buf *out, hu_diags *d);

/* Check the names a template uses against schema, a context holding every field (null where
 * a report may have none) and one item in every list (hu_view_schema): every section,
 * inverted section, partial and parent is visited whatever the data (an empty list ends a
 * recursion, a partial already being rendered is not entered again). A tag naming what no
 * enclosing context has ({{indicator_sumary}}, {{#has_concern}}) and a block a child overrides
 * that no parent defines ({{$highlight}}) are warnings at the template's file:line:col with a
 * did-you-mean, errors with strict. Dynamic partial names are not followed. Returns false
 * when errors were added (template syntax, missing partials, or strict findings). */
bool hu_mustache_lint_file(const char *template_path, const hu_value *schema,
                           const hu_mustache_opts *o, const hu_mustache_resolver *res, bool strict,
                           hu_diags *d);

/* Render template text tpl[0..len). name is used in messages. Partials come from the map
 * `partials` (name → template string; the spec's form) when it is non-NULL, otherwise from
 * o->partial_dirs. Same return convention. */
bool hu_mustache_render_string(const char *tpl, size_t len, const char *name, const hu_value *ctx,
                               const hu_mustache_opts *o, const hu_value *partials, hu_buf *out,
                               hu_diags *d);

/* `huibao render [--escape html|markdown|none] TEMPLATE DATA`: data from a YAML or JSON file,
 * partials beside the template (strict), result written to out only when rendering succeeded. */
bool hu_mustache_render_cmd(const char *template_path, const char *data_path, hu_escape esc,
                            FILE *out, hu_diags *d);

/* Append s[0..n) to out escaped as esc. For HU_ESC_MARKDOWN, at_line_start says that the text
 * begins a Markdown line (only then are a leading `#`, `-`, `+`, `=`, `>` or `1.` escaped).
 * Markdown escaping backslash-escapes \ ` * _ [ ] < | ~ and entity-like &, never CJK text or
 * full-width punctuation, and joins line breaks so a value stays inside its block: with
 * nothing when either neighbour is CJK, else with one space (hu_cjk_joins). */
void hu_mustache_escape(hu_buf *out, const char *s, size_t n, hu_escape esc, bool at_line_start);

/* "html", "markdown"/"md", "none" → *esc; returns false for anything else. */
bool hu_mustache_escape_parse(const char *name, hu_escape *esc);

/* The process's memo of template files (mustache.c says why): on, every path's real path and
 * every template file's text are found once and kept until it is turned off, which frees
 * them. Off (the default) reads and resolves every time. For a process whose template files
 * do not change while it runs: the command line turns it on for one run. Thread-safe. */
void hu_mustache_memo(bool on);

/* realpath(path, NULL) (free the result), through the memo when it is on. */
char *hu_mustache_realpath(const char *path);

#endif
