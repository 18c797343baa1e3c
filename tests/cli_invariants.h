/* cli_invariants.h - what hu_cli_parse promises for any argument vector (cli.h), checked by the
 * generated test (test_cli_argv.c) and the libFuzzer target (fuzz/fuzz_cli.c):
 *   - it returns OK, HELP or USAGE, and the same twice for the same arguments;
 *   - a usage error is never silent: "huibao CMD: …" ending with the --help hint, valid
 *     UTF-8 whenever the arguments are;
 *   - OK means every value read is one the option's kind allows (non-empty strings, integers
 *     in range, a non-empty mask of known bits, role chains) and the argument count fits;
 *   - help, and the pipeline options derived from the result, can always be produced.
 * Sanitizers and valgrind catch what this cannot see (reads past argv strings, leaks). */
#ifndef HU_TEST_CLI_INVARIANTS_H
#define HU_TEST_CLI_INVARIANTS_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "cli.h"
#include "utf8.h"

static bool cli_inv_valid_utf8(const char *s) {
    return hu_utf8_validate(s, strlen(s)) == (size_t)-1;
}

static const char *cli_inv_check_one(const hu_cmd *cmd, int argc, char *const *argv, int rc,
                                     const hu_cli_args *a) {
    if (rc != HU_CLI_OK && rc != HU_CLI_HELP && rc != HU_CLI_USAGE) return "unknown status";
    const char *msg = a->error.data ? a->error.data : "";
    if (rc != HU_CLI_USAGE) {
        if (*msg) return "an error message without a usage error";
    } else {
        if (strncmp(msg, "huibao", 6)) return "usage error not starting with huibao";
        const char *hint = " --help 查看用法。\n";
        size_t n = strlen(msg), h = strlen(hint);
        if (n <= h || strcmp(msg + n - h, hint)) return "usage error without the --help hint";
        bool valid = true;
        for (int i = 0; i < argc; i++)
            valid = valid && cli_inv_valid_utf8(argv[i]);
        if (valid && !cli_inv_valid_utf8(msg)) return "invalid UTF-8 in a message";
        return NULL;
    }
    if (rc == HU_CLI_HELP) return NULL;
    int min = 0, max = 0;
    for (const hu_cmd_arg *p = cmd->args; p->metavar; p++) {
        if (!p->optional) min++;
        max = p->many ? 1 << 30 : max + 1;
    }
    if (a->npos < min || a->npos > max) return "argument count out of bounds";
    for (int i = 0; i < a->npos; i++) {
        bool from_argv = false;
        for (int k = 0; k < argc; k++)
            from_argv = from_argv || a->pos[i] == argv[k];
        if (!from_argv) return "an argument that is not one of argv";
    }
    for (int i = 0; i < HU_OPT_COUNT; i++) {
        const hu_opt *o = hu_cli_option((hu_opt_id)i);
        const hu_opt_value *v = &a->opt[i];
        if (v->count && !hu_cli_cmd_has(cmd, o->id)) return "an option the command lacks";
        if (!v->count) continue;
        if (!v->all) return "values given but not kept";
        for (int k = 0; k < v->count; k++)
            if ((o->kind == HU_OPT_FLAG) != (v->all[k] == NULL)) return "a value kept wrongly";
        int nchoices = 0;
        while (o->choices && o->choices[nchoices])
            nchoices++;
        switch (o->kind) {
        case HU_OPT_FLAG:
            break;
        case HU_OPT_STRING:
        case HU_OPT_PATH:
            if (!v->str || !*v->str) return "empty string value";
            break;
        case HU_OPT_INT:
            if (v->num < o->min || v->num > o->max) return "integer out of range";
            break;
        case HU_OPT_ENUM:
            if (v->num < 0 || v->num >= nchoices) return "enum index out of range";
            break;
        case HU_OPT_ENUM_LIST:
            if (!v->mask || v->mask >> nchoices) return "bad list mask";
            break;
        case HU_OPT_KEY_PATH: {
            int set = 0;
            for (int k = 0; k < HU_CLI_MAX_CHOICES; k++) {
                if (!v->keyed[k]) continue;
                if (k >= nchoices || !*v->keyed[k]) return "bad keyed value";
                set++;
            }
            if (!set) return "a key=path option with no key set";
            break;
        }
        }
    }
    hu_build_opts o;
    hu_cli_build_opts(a, &o);
    if (!o.outdir || !*o.outdir || !o.formats) return "build options without output";
    return NULL;
}

/* Parse argv for cmd twice and check both results; NULL when all is well. */
static const char *cli_inv_run(const hu_cmd *cmd, int argc, char *const *argv) {
    hu_cli_args a, b;
    int rc = hu_cli_parse(cmd, argc, argv, &a);
    int rc2 = hu_cli_parse(cmd, argc, argv, &b);
    const char *bad = cli_inv_check_one(cmd, argc, argv, rc, &a);
    if (!bad &&
        (rc != rc2 || strcmp(a.error.data ? a.error.data : "", b.error.data ? b.error.data : "")))
        bad = "two parses of the same arguments differ";
    hu_cli_args_free(&a);
    hu_cli_args_free(&b);
    return bad;
}

/* Every command the parser knows, the top level included. */
static const hu_cmd *cli_inv_command(int i) {
    return i == 0 ? hu_cli_toplevel() : hu_cli_command_at(i - 1);
}
#define CLI_INV_NCOMMANDS (HU_CMD_COUNT + 1)

#endif
