/* template.h - finding a report template, decided once for build, check and render.
 *
 * A template is a folder holding report.md.mustache (and optionally style.yaml,
 * reference.docx and partials of its own). `-t SPEC` or the input's `template:` field names it:
 *
 *   SPEC with a '/' or starting with '.': a folder path (or the path of its report.md.mustache)
 *     — for -t relative to the working directory, for `template:` to the input file's folder;
 *   otherwise a NAME, looked up in this order, the first folder NAME/ found winning:
 *     1. $HUIBAO_DATA_DIR/templates (tests and one-off setups; it adds, it hides nothing)
 *     2. per user: ${XDG_DATA_HOME:-~/.local/share}/huibao/templates
 *     3. system: huibao/templates under each folder of ${XDG_DATA_DIRS:-/usr/local/share:
 *        /usr/share} (an office's IT person installs into /usr/local/share/huibao/templates)
 *     4. built in: the installation's share/huibao/templates, or the source tree's templates/.
 * A NAME/ folder found without report.md.mustache is an error (a half-made override is named,
 * not skipped). "partials" is not a template: it holds the shared partials, searched in the
 * same order after the template's own folders.
 *
 * Extending: when report.md.mustache opens (after comments) with `{{<NAME}}` and NAME is a
 * template, that template is the parent: its text fills every block the child does not
 * override, its folder is searched for partials after the child's, and its style.yaml comes
 * before the child's (the child's overrides only the keys it sets). A parent with the child's
 * own name is looked up after the place the child was found, so a per-user `monthly` can
 * extend the built-in `monthly`. Otherwise (`{{<monthly-base}}`) the name is an ordinary
 * partial. docs/templates.md shows all this to an office. */
#ifndef HU_TEMPLATE_H
#define HU_TEMPLATE_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "error.h"
#include "mustache.h"

typedef enum hu_tpl_origin {
    HU_TPL_FOLDER, /* given as a path */
    HU_TPL_ENV,    /* $HUIBAO_DATA_DIR/templates */
    HU_TPL_USER,
    HU_TPL_SYSTEM,
    HU_TPL_BUILTIN
} hu_tpl_origin;

typedef struct hu_template hu_template;
struct hu_template {
    const char *name; /* as asked ("monthly", "./我局模板") */
    const char *dir;  /* the folder */
    const char *file; /* dir/report.md.mustache (or the file given) */
    hu_tpl_origin origin;
    int level;                 /* index of the search folder it was found in; -1 for a path */
    const hu_template *parent; /* the template it extends, or NULL */
    const char *parent_tag;    /* the NAME of its opening {{<NAME}} when that is parent */
    /* Folders for partials after the template's own: the parents' folders, then every
     * shared partials/ folder in search order. */
    const char **partial_dirs;
    size_t npartial_dirs;
    /* style.yaml files of the chain, most general (the root parent's) first. */
    const char **styles;
    size_t nstyles;
    const char *reference_docx; /* the nearest in the chain, or NULL */
};

/* Where a template was asked for, for messages: the input's `template:` value or -t. */
typedef struct hu_tpl_ask {
    const char *spec;     /* NAME or path */
    const char *base_dir; /* a relative path's folder; NULL: the working directory */
    const char *file;     /* the input file for a `template:` field; NULL for -t */
    int line, col;
} hu_tpl_ask;

/* Find the template and its chain. NULL after an error in d (what was searched, and a
 * did-you-mean among the templates that exist). Everything lives in a. */
const hu_template *hu_template_find(hu_arena *a, const hu_tpl_ask *ask, hu_diags *d);

/* The folders a NAME is looked up in, in order (existing ones only); origins may be NULL. */
size_t hu_template_search_dirs(hu_arena *a, const char ***dirs, hu_tpl_origin **origins);

/* "个人模板文件夹" … for messages and `huibao render -t` */
const char *hu_template_origin_name(hu_tpl_origin o);

/* Rendering options for t: its partial folders and the resolver that finds its parents. */
void hu_template_mustache(const hu_template *t, hu_mustache_opts *o, hu_mustache_resolver *res);

/* Check the names t uses against the report view's fields (hu_mustache_lint_file with
 * hu_view_schema): warnings at the template's file:line:col, errors when strict. Returns
 * false when errors were added. */
bool hu_template_lint(const hu_template *t, bool strict, hu_diags *d);

#endif
