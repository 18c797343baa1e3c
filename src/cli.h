/* cli.h - the command line as data: every subcommand and every option is declared once, in
 * cli.c's tables, and one parser reads every subcommand's arguments from them. Help texts,
 * usage errors and the machine-readable spec (`huibao _spec`, for the man page and shell
 * completion) are all generated from the same tables, so they cannot disagree.
 *
 * Syntax accepted for every subcommand:
 *   --name value   --name=value   -x value   -xvalue   -x=value
 *   options may come before, between or after the positional arguments; `--` ends options;
 *   a lone `-` is a positional argument; -h/--help anywhere before `--` asks for help.
 * A separate value that looks like an option (starts with `-` and a non-digit) is not taken
 * as the value: `-o -q` is "-o is missing its value", not an output folder called "-q".
 * A single-valued option given twice keeps its last value (so a Makefile's $(FLAGS) can be
 * overridden); a repeatable one (--font) accumulates.
 *
 * Every usage error — unknown option (with a did-you-mean), missing, malformed or
 * out-of-range value, wrong number of arguments — is a Chinese message naming the option
 * and what is expected; the caller prints it and exits with HU_EXIT_INPUT (2). */
#ifndef HU_CLI_H
#define HU_CLI_H
#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "build.h"
#include "fonts.h"

/* How an option's value is read. */
typedef enum hu_opt_kind {
    HU_OPT_FLAG,      /* no value */
    HU_OPT_STRING,    /* any non-empty text */
    HU_OPT_PATH,      /* a file or folder (non-empty) */
    HU_OPT_INT,       /* a decimal integer in [min, max] */
    HU_OPT_ENUM,      /* one of choices */
    HU_OPT_ENUM_LIST, /* one or more of choices, separated by commas: a bit mask */
    HU_OPT_KEY_PATH,  /* KEY=PATH[,PATH…] with KEY one of choices; repeated keys chain */
} hu_opt_kind;

/* Every option of every subcommand. An option shared by subcommands is one entry. */
typedef enum hu_opt_id {
    HU_OPT_HELP,
    HU_OPT_VERSION,
    HU_OPT_OUTPUT,
    HU_OPT_FORMAT,
    HU_OPT_TEMPLATE,
    HU_OPT_HISTORY,
    HU_OPT_FONT,
    HU_OPT_STRICT,
    HU_OPT_NO_SUBSET,
    HU_OPT_JOBS,
    HU_OPT_DEPFILE,
    HU_OPT_QUIET,
    HU_OPT_ESCAPE,
    HU_OPT_CHECK,
    HU_OPT_XLSX,
    HU_OPT_COUNT
} hu_opt_id;

/* Choice lists hold at most this many entries (ENUM_LIST masks are unsigned). */
#define HU_CLI_MAX_CHOICES 16

typedef struct hu_opt {
    hu_opt_id id;
    const char *name; /* long name, without "--" */
    char short_name;  /* 0: none */
    hu_opt_kind kind;
    /* The value's name in help and messages ("文件夹", "N"); for ENUM and ENUM_LIST NULL,
     * the choices are shown. */
    const char *metavar;
    /* ENUM, ENUM_LIST: the values; KEY_PATH: the keys. NULL-terminated. A choice written
     * "markdown|md" is "markdown", also accepted as "md". ENUM_LIST sets bit i for choice i. */
    const char *const *choices;
    const char *choice_noun; /* what a choice is, for messages: "输出格式", "字体角色" */
    long min, max;           /* INT */
    bool repeatable;         /* meant to be given more than once: KEY_PATH chains, any kind's values
                              * are all kept in hu_opt_value.all; otherwise the last one counts */
    const char *help;        /* Chinese; '\n' starts a continuation line */
    const char *example;     /* a complete use, shown in messages: "-j 4" */
} hu_opt;

/* Options shown together under one heading; a group can be shared by subcommands. */
typedef struct hu_opt_group {
    const char *title;     /* "输出" */
    const hu_opt_id *opts; /* ended by HU_OPT_COUNT */
} hu_opt_group;

/* A positional argument. */
typedef struct hu_cmd_arg {
    const char *metavar; /* "输入文件或文件夹" */
    hu_opt_kind kind;    /* HU_OPT_PATH or HU_OPT_STRING */
    bool optional;
    bool many; /* this one takes all the remaining arguments (only the last may) */
    const char *help;
} hu_cmd_arg;

typedef enum hu_cmd_id {
    HU_CMD_BUILD,
    HU_CMD_CHECK,
    HU_CMD_NEW,
    HU_CMD_RENDER,
    HU_CMD_FONTS,
    HU_CMD_SPEC, /* hidden: prints the tables as JSON */
    HU_CMD_COUNT
} hu_cmd_id;

typedef struct hu_cmd {
    hu_cmd_id id;
    const char *name;
    const char *summary;               /* one line for `huibao --help` */
    const char *description;           /* shown under the usage line; may be NULL */
    const hu_cmd_arg *args;            /* ended by an entry with metavar NULL */
    const hu_opt_group *const *groups; /* NULL-terminated */
    const char *missing_args;          /* message when required arguments are missing */
    bool hidden;                       /* not listed by `huibao --help` */
} hu_cmd;

/* ---- the tables, as data ---- */

const hu_opt *hu_cli_option(hu_opt_id id);
/* The subcommands in the order `huibao --help` lists them (hidden ones last). */
const hu_cmd *hu_cli_command_at(int i);         /* NULL past the end */
const hu_cmd *hu_cli_command(const char *name); /* NULL when unknown */
bool hu_cli_cmd_has(const hu_cmd *cmd, hu_opt_id id);
/* The top level: `huibao [--help | --version]` (options help and version). */
const hu_cmd *hu_cli_toplevel(void);

/* ---- parsing ---- */

typedef struct hu_opt_value {
    int count;                       /* times given */
    const char *str;                 /* STRING, PATH: the last value (points into argv) */
    long num;                        /* INT: the value; ENUM: the choice's index */
    unsigned mask;                   /* ENUM_LIST: bit i for choice i */
    char *keyed[HU_CLI_MAX_CHOICES]; /* KEY_PATH: per key, the paths given, comma-joined */
    /* Every value given, as typed and in order (count entries; NULL for a flag): what a
     * repeatable option of any kind collects. */
    const char **all;
} hu_opt_value;

typedef struct hu_cli_args {
    const hu_cmd *cmd;
    hu_opt_value opt[HU_OPT_COUNT];
    char **pos; /* the positional arguments (point into argv) */
    int npos;
    hu_buf error; /* the usage error, complete lines, when parsing returned HU_CLI_USAGE */
} hu_cli_args;

enum { HU_CLI_OK = 0, HU_CLI_HELP = 1, HU_CLI_USAGE = 2 };

/* Parse argv[0..argc) (the arguments after the subcommand's name) for cmd. Returns HU_CLI_OK,
 * HU_CLI_HELP (-h/--help was given) or HU_CLI_USAGE (a->error holds the message). Never
 * exits and never prints. hu_cli_args_free(a) afterwards in every case. */
int hu_cli_parse(const hu_cmd *cmd, int argc, char *const *argv, hu_cli_args *a);
void hu_cli_args_free(hu_cli_args *a);

static inline bool hu_cli_flag(const hu_cli_args *a, hu_opt_id id) {
    return a->opt[id].count > 0;
}

/* ---- output ---- */

/* `huibao CMD --help`: usage line, description, arguments, option groups, exit statuses. */
void hu_cli_usage(const hu_cmd *cmd, FILE *out);
/* `huibao --help`: the subcommands. */
void hu_cli_overview(FILE *out);
/* `huibao _spec`: every subcommand and option as JSON (hidden commands included). */
void hu_cli_spec_json(FILE *out);
/* The message for an unknown subcommand name (with a did-you-mean), complete lines. */
void hu_cli_unknown_command(const char *name, hu_buf *out);

/* ---- from parsed arguments to the pipeline's options ---- */

/* --font values as the per-role chains hu_font_options.spec and hu_build_opts.font_spec
 * take (pointers into a; NULL for roles not given). */
void hu_cli_font_specs(const hu_cli_args *a, const char *spec[HU_ROLE_COUNT]);
/* Defaults, then every option of the build family that a's command accepts (-o -f -t
 * --history --font --strict --no-subset -j --depfile -q). Strings point into a and argv. */
void hu_cli_build_opts(const hu_cli_args *a, hu_build_opts *o);

#endif
