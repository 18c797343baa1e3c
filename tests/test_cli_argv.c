/* test_cli_argv.c - no argument vector makes the command line misbehave: a generated test over
 * permutations of option spellings, values and stray arguments, for every subcommand and the
 * top level, checked against cli_invariants.h. Runs in the plain, valgrind and ASan+UBSan
 * suites (the last is where a bad read or overflow would show).
 *
 * The tokens come from the option table itself (every long and short spelling, with values
 * attached, separate or missing, good and bad for every kind) plus hostile strings; the test
 * parses every single token, every bare option spelling paired with every token (both
 * orders; attached-value spellings left out of the pairs), and HU_CLI_RANDOM (default 3000) random
 * vectors of up to 12 tokens per command from a fixed seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_invariants.h"

#define MAXTOK 2000
static char *tokens[MAXTOK];
static int ntokens;

static void add(const char *s) {
    assert_true(ntokens < MAXTOK);
    for (int i = 0; i < ntokens; i++)
        if (!strcmp(tokens[i], s)) return;
    tokens[ntokens] = strdup(s);
    assert_non_null(tokens[ntokens]);
    ntokens++;
}

/* Values every kind gets tried with: good ones for some kind, bad ones for all. */
static const char *const values[] = {
    "",           "x",      "out", "0",     "1",       "4",
    "256",        "257",    "-1",  "abc",   "4.5",     "99999999999999999999",
    "pdf",        "pdf,md", ",",   "PDF",   "pdf，md", "docx",
    "body=a.ttf", "body",   "=x",  "bdy=x", "body=",   "md",
    "latex",      "html",   "-",   "--",    "=",       "kai=a,b",
    "x.yaml"};

static void make_tokens(void) {
    ntokens = 0;
    char b[128];
    for (int i = 0; i < HU_OPT_COUNT; i++) {
        const hu_opt *o = hu_cli_option((hu_opt_id)i);
        snprintf(b, sizeof b, "--%s", o->name);
        add(b);
        snprintf(b, sizeof b, "-%s", o->name); /* one dash */
        add(b);
        snprintf(b, sizeof b, "--%.3s", o->name); /* a prefix */
        add(b);
        if (o->short_name) {
            snprintf(b, sizeof b, "-%c", o->short_name);
            add(b);
            snprintf(b, sizeof b, "-%cq", o->short_name); /* merged */
            add(b);
        }
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
            snprintf(b, sizeof b, "--%s=%s", o->name, values[v]);
            add(b);
            if (o->short_name) {
                snprintf(b, sizeof b, "-%c%s", o->short_name, values[v]);
                add(b);
                snprintf(b, sizeof b, "-%c=%s", o->short_name, values[v]);
                add(b);
            }
        }
    }
    for (size_t v = 0; v < sizeof values / sizeof values[0]; v++)
        add(values[v]);
    static const char *const hostile[] = {
        "---",     "--=", "-=",   "-é",       "\xff\xfe",     "\xe6\xb1", "——format", "－o",
        "—strict", "–q",  "-q-h", "--font==", "--font=body=", "-j-1",     "-j--",     "--fromat",
        "--hist",  "-qh", "-qx",  "build",    "check",        "render",   "fonts",    "help",
        "_spec",   "-V",  "-h",   "--help",   "--version"};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        add(hostile[i]);
    /* long ones: a long ASCII value and option name; long CJK arguments, option names and
     * values, one and two bytes off the character grid (messages cut them at a character) */
    static char big[2100];
    memset(big, 'a', 2000);
    big[2000] = 0;
    add(big);
    big[0] = big[1] = '-';
    add(big);
    char cjk[1000] = "";
    for (int i = 0; i < 300; i++)
        strcat(cjk, "汇");
    static const char *const prefixes[] = {
        "", "--", "--x", "--xy", "--font=", "--font=x", "-f", "-fx", "--format=pdf,", "--escape="};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        snprintf(big, sizeof big, "%s%s", prefixes[i], cjk);
        add(big);
    }
}

static void free_tokens(void) {
    for (int i = 0; i < ntokens; i++)
        free(tokens[i]);
    ntokens = 0;
}

static void check(const hu_cmd *cmd, int argc, char **argv) {
    const char *bad = cli_inv_run(cmd, argc, argv);
    if (bad) {
        fprintf(stderr, "huibao %s:", cmd->name);
        for (int i = 0; i < argc; i++)
            fprintf(stderr, " [%s]", argv[i]);
        fprintf(stderr, "\n  %s\n", bad);
    }
    assert_null(bad);
}

/* "--name" or "-x" of some option, nothing attached. */
static bool is_bare(const char *t) {
    for (int i = 0; i < HU_OPT_COUNT; i++) {
        const hu_opt *o = hu_cli_option((hu_opt_id)i);
        if ((t[0] == '-' && t[1] == '-' && !strcmp(t + 2, o->name)) ||
            (t[0] == '-' && o->short_name && t[1] == o->short_name && !t[2]))
            return true;
    }
    return false;
}

static void test_singles_and_pairs(void **state) {
    (void)state;
    make_tokens();
    size_t runs = 0;
    for (int c = 0; c < CLI_INV_NCOMMANDS; c++) {
        const hu_cmd *cmd = cli_inv_command(c);
        check(cmd, 0, NULL);
        for (int i = 0; i < ntokens; i++) {
            char *argv[2] = {tokens[i], NULL};
            check(cmd, 1, argv);
            runs++;
        }
        /* pairs: every bare option spelling (no value attached) with every bare spelling,
         * value and hostile string, both ways round */
        for (int i = 0; i < ntokens; i++) {
            if (!is_bare(tokens[i])) continue;
            for (int k = 0; k < ntokens; k++) {
                if (strchr(tokens[k], '=') && tokens[k][0] == '-') continue;
                char *argv[3] = {tokens[i], tokens[k], NULL};
                check(cmd, 2, argv);
                char *rev[3] = {tokens[k], tokens[i], NULL};
                check(cmd, 2, rev);
                runs += 2;
            }
        }
    }
    printf("test_cli_argv: %d tokens, %zu single and paired vectors\n", ntokens, runs);
    free_tokens();
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint32_t rnd(void) {
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33);
}

static void test_random_vectors(void **state) {
    (void)state;
    make_tokens();
    const char *env = getenv("HU_CLI_RANDOM");
    long per = env ? atol(env) : 3000;
    size_t ok = 0, help = 0, usage = 0;
    for (int c = 0; c < CLI_INV_NCOMMANDS; c++) {
        const hu_cmd *cmd = cli_inv_command(c);
        for (long r = 0; r < per; r++) {
            char *argv[13];
            int argc = (int)(rnd() % 13);
            for (int i = 0; i < argc; i++)
                argv[i] = tokens[rnd() % (uint32_t)ntokens];
            argv[argc] = NULL;
            check(cmd, argc, argv);
            hu_cli_args a;
            int rc = hu_cli_parse(cmd, argc, argv, &a);
            ok += rc == HU_CLI_OK, help += rc == HU_CLI_HELP, usage += rc == HU_CLI_USAGE;
            hu_cli_args_free(&a);
        }
    }
    /* the generator must reach all three outcomes, or it tests less than it claims */
    printf("test_cli_argv: random vectors: %zu ok, %zu help, %zu usage errors\n", ok, help, usage);
    assert_true(ok > 0 && help > 0 && usage > 0);
    free_tokens();
}

/* Help and the spec for every command, into a file nobody reads: no crash, no leak. */
static void test_help_always(void **state) {
    (void)state;
    FILE *f = fopen("/dev/null", "w");
    assert_non_null(f);
    for (int c = 0; hu_cli_command_at(c); c++)
        hu_cli_usage(hu_cli_command_at(c), f);
    hu_cli_usage(hu_cli_toplevel(), f);
    hu_cli_overview(f);
    hu_cli_spec_json(f);
    fclose(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_singles_and_pairs),
        cmocka_unit_test(test_random_vectors),
        cmocka_unit_test(test_help_always),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
