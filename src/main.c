/* main.c - the command line: reads the arguments with cli.c's tables and runs build, check,
 * render or fonts. Exit statuses (README.md): 0 ok, 1 a build failed (output could not be
 * produced), 2 bad input or usage. */
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "dynlib.h"
#include "error.h"
#include "fontcmd.h"
#include "heap.h"
#include "mustache.h"
#include "report.h"
#include "newmonth.h"
#include "spare.h"

/* ICU's Chinese dictionary engine, loaded on a spare thread while this one reads the input,
 * the earlier months and the template (issue 19 item 6). Loading it is the largest fixed cost
 * of a report after the dynamic loader: ~8 M instructions of building Unicode sets, and the
 * pages of ICU's data it touches; the first title or table cell the PDF or DOCX layout
 * segments would otherwise wait for it (hu_segment_prepare is a pthread_once: a caller that
 * comes first does the work, one that comes later finds it done, one that comes while it runs
 * waits). Only for one input file: a batch forks its workers (build.c), and loads the engine
 * in the parent before that itself. */
static bool warm_start(const hu_cli_args *a, const hu_build_opts *o) {
    struct stat st;
    unsigned f = o->formats ? o->formats : HU_FMT_DEFAULT;
    if (!(f & (HU_FMT_PDF | HU_FMT_DOCX)) || a->npos != 1 || stat(a->pos[0], &st) != 0 ||
        !S_ISREG(st.st_mode))
        return false;
    /* HarfBuzz, ICU (where it is linked, only its data), libunibreak and libharu on the first of
     * the run's spare threads, made here before any library is loaded, and ICU's engine on the
     * second beside them when ICU is linked, else after them on the first (report.h); afterwards
     * they take the workbook, the PDF's second font embedding thread and the fonts' freeing
     * (spare.h) */
    hu_dynlib_warm_begin(); /* its loads come first (dynlib.h) */
    if (hu_spare_start(hu_report_warm_up)) return true;
    hu_dynlib_warm_end();
    return false;
}

static int build_run(const hu_cli_args *a, const hu_build_opts *o) {
    bool warm = warm_start(a, o);
    int rc = hu_build_run(o, a->pos, a->npos);
    if (warm) hu_spare_stop();
    return rc;
}

static int cmd_build(const hu_cli_args *a) {
    hu_build_opts o;
    hu_cli_build_opts(a, &o);
    return build_run(a, &o);
}

static int cmd_check(const hu_cli_args *a) {
    hu_build_opts o;
    hu_cli_build_opts(a, &o);
    /* -f: check only what build would make with it; without -f every output, HTML too */
    if (!hu_cli_flag(a, HU_OPT_FORMAT)) o.formats = 0;
    o.check = true;
    return build_run(a, &o);
}

static int cmd_new(const hu_cli_args *a) {
    hu_new_opts o = {a->pos[0], a->npos > 1 ? a->pos[1] : NULL, hu_cli_flag(a, HU_OPT_XLSX),
                     hu_cli_flag(a, HU_OPT_QUIET)};
    return hu_new_run(&o);
}

static int cmd_render(const hu_cli_args *a) {
    hu_diags d = HU_DIAGS_INIT;
    int rc;
    if (a->npos == 1) {
        /* a report input through its template, with the view build uses */
        hu_build_opts o;
        hu_cli_build_opts(a, &o);
        hu_escape esc =
            a->opt[HU_OPT_ESCAPE].count ? (hu_escape)a->opt[HU_OPT_ESCAPE].num : HU_ESC_MARKDOWN;
        rc = hu_report_render(a->pos[0], &o, esc, stdout, &d);
    } else if (hu_cli_flag(a, HU_OPT_TEMPLATE) || hu_cli_flag(a, HU_OPT_HISTORY)) {
        fprintf(stderr,
                "huibao render: 用 %s 时只给一个输入文件（模板由 -t 指定）\n"
                "用 huibao render --help 查看用法。\n",
                hu_cli_flag(a, HU_OPT_TEMPLATE) ? "-t" : "--history");
        return HU_EXIT_INPUT;
    } else {
        /* html unless given: the Mustache default, so spec examples behave */
        hu_escape esc = (hu_escape)a->opt[HU_OPT_ESCAPE].num;
        rc = hu_mustache_render_cmd(a->pos[0], a->pos[1], esc, stdout, &d) ? HU_EXIT_OK
                                                                           : HU_EXIT_INPUT;
    }
    hu_diags_print(stderr, &d);
    hu_diags_free(&d);
    return rc;
}

static int cmd_fonts(const hu_cli_args *a) {
    hu_build_opts o;
    hu_cli_build_opts(a, &o);
    return hu_fontcmd_run(&o, a->opt[HU_OPT_CHECK].str);
}

/* Parse argv for cmd; print its help or usage error when that is what the arguments ask or
 * give. Returns -1 when the command should run (a then holds its arguments), else the exit
 * status. */
static int parse(const hu_cmd *cmd, int argc, char **argv, hu_cli_args *a) {
    switch (hu_cli_parse(cmd, argc, argv, a)) {
    case HU_CLI_OK:
        return -1;
    case HU_CLI_HELP:
        if (cmd == hu_cli_toplevel())
            hu_cli_overview(stdout);
        else
            hu_cli_usage(cmd, stdout);
        return HU_EXIT_OK;
    default:
        fputs(hu_buf_cstr(&a->error), stderr);
        return HU_EXIT_INPUT;
    }
}

static int run(int argc, char **argv) {
    if (argc < 2) {
        hu_cli_overview(stderr);
        return HU_EXIT_INPUT;
    }
    hu_cli_args a;
    const char *name = argv[1];
    int rc;
    if (name[0] == '-' && name[1]) { /* huibao --help, --version, or a mistake */
        rc = parse(hu_cli_toplevel(), argc - 1, argv + 1, &a);
        if (rc < 0 && hu_cli_flag(&a, HU_OPT_VERSION)) {
            printf("huibao %s\n", HU_VERSION);
            rc = HU_EXIT_OK;
        } else if (rc < 0) { /* "huibao --": no command */
            hu_cli_overview(stderr);
            rc = HU_EXIT_INPUT;
        }
        hu_cli_args_free(&a);
        return rc;
    }
    if (!strcmp(name, "help")) { /* huibao help [COMMAND] */
        const hu_cmd *cmd = argc > 2 ? hu_cli_command(argv[2]) : NULL;
        if (argc > 2 && !cmd) {
            hu_buf b = HU_BUF_INIT;
            hu_cli_unknown_command(argv[2], &b);
            fputs(hu_buf_cstr(&b), stderr);
            hu_buf_free(&b);
            return HU_EXIT_INPUT;
        }
        if (cmd)
            hu_cli_usage(cmd, stdout);
        else
            hu_cli_overview(stdout);
        return HU_EXIT_OK;
    }
    const hu_cmd *cmd = hu_cli_command(name);
    if (!cmd) {
        hu_buf b = HU_BUF_INIT;
        hu_cli_unknown_command(name, &b);
        fputs(hu_buf_cstr(&b), stderr);
        hu_buf_free(&b);
        return HU_EXIT_INPUT;
    }
    rc = parse(cmd, argc - 2, argv + 2, &a);
    /* one run: its template files are read and resolved once (mustache.c's memo) */
    hu_mustache_memo(true);
    if (rc < 0) {
        switch (cmd->id) {
        case HU_CMD_BUILD:
            rc = cmd_build(&a);
            break;
        case HU_CMD_CHECK:
            rc = cmd_check(&a);
            break;
        case HU_CMD_NEW:
            rc = cmd_new(&a);
            break;
        case HU_CMD_RENDER:
            rc = cmd_render(&a);
            break;
        case HU_CMD_FONTS:
            rc = cmd_fonts(&a);
            break;
        case HU_CMD_SPEC:
            hu_cli_spec_json(stdout);
            rc = HU_EXIT_OK;
            break;
        default:
            rc = HU_EXIT_INPUT;
            break;
        }
    }
    hu_mustache_memo(false);
    hu_cli_args_free(&a);
    return rc;
}

int main(int argc, char **argv) {
    hu_heap_init();
    /* System error texts (strerror) in the user's language, as UTF-8 like every message we
     * print. Only LC_MESSAGES follows the environment: LC_NUMERIC stays "C" (printf and strtod
     * keep the decimal point) and LC_CTYPE stays "C" (character classes, case folding and
     * HarfBuzz's default language stay the same), so output bytes never depend on LANG.
     * glibc converts translations to LC_CTYPE's codeset unless told otherwise, hence the
     * explicit UTF-8 for libc's message domain. */
    setlocale(LC_MESSAGES, "");
    bind_textdomain_codeset("libc", "UTF-8");
    int rc = run(argc, argv);
    hu_heap_end();
    return rc;
}
