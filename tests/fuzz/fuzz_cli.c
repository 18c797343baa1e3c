/* fuzz_cli.c - the command-line parser on fuzzed argument vectors. The first byte picks the
 * command (the top level or a subcommand), the rest is split at NUL bytes into arguments
 * (at most 64). Each vector is parsed twice and checked against tests/cli_invariants.h —
 * never a crash, never a silent usage error, only values the option table allows — and the
 * pipeline options are derived from every accepted vector. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../cli_invariants.h"

#define MAXARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const hu_cmd *cmd = cli_inv_command(data[0] % CLI_INV_NCOMMANDS);
    /* one copy, NUL-terminated, split in place: each argument is its own string */
    char *buf = malloc(size);
    if (!buf) return 0;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = 0;
    char *argv[MAXARGS + 1];
    int argc = 0;
    for (char *p = buf; argc < MAXARGS && p < buf + size - 1; p += strlen(p) + 1)
        argv[argc++] = p;
    /* strdup each so a read past an argument's end is caught by ASan, not hidden by the next */
    for (int i = 0; i < argc; i++)
        argv[i] = strdup(argv[i]);
    argv[argc] = NULL;
    const char *bad = cli_inv_run(cmd, argc, argv);
    if (bad) {
        fprintf(stderr, "fuzz_cli: huibao %s: %s\n", cmd->name, bad);
        abort();
    }
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(buf);
    return 0;
}
