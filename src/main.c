/* main.c - the command line: build, check, render, fonts. Exit statuses (README.md):
 * 0 ok, 1 a build failed (output could not be produced), 2 bad input or usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "error.h"
#include "fonts.h"
#include "input.h"
#include "mustache.h"

static void usage(FILE *f) {
    fputs("用法：\n"
          "  huibao build 输入文件或文件夹… [-o 输出文件夹] [-f pdf,xlsx,md,html] [-t 模板]\n"
          "               [--history 文件夹] [--font 角色=字体文件] [--strict] [-j N] [-q]\n"
          "               [--depfile 文件]\n"
          "  huibao check 输入文件…            只检查输入，不生成文件\n"
          "  huibao render [--escape html|markdown|none] 模板 数据   渲染任意 Mustache 模板\n"
          "  huibao fonts [--font 角色=字体文件] [--check 输入文件]   列出字体及覆盖情况\n"
          "  huibao --help | --version\n"
          "\n"
          "退出状态：0 成功；1 生成失败；2 输入或用法错误。\n"
          "详见 README.md 与 docs/input.md。\n",
          f);
}

static int cmd_check(int argc, char **argv) {
    bool quiet = false;
    int nfiles = 0, bad = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
            quiet = true;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "huibao check: 未知选项 %s\n", argv[i]);
            return HU_EXIT_INPUT;
        }
    }
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) continue;
        nfiles++;
        hu_diags d = HU_DIAGS_INIT;
        if (hu_build_check_file(argv[i], &d) != 0) bad++;
        hu_diags_print(stderr, &d);
        if (!quiet && !hu_diags_failed(&d)) printf("%s: 检查通过\n", argv[i]);
        hu_diags_free(&d);
    }
    if (!nfiles) {
        fputs("huibao check: 请给出要检查的输入文件\n", stderr);
        return HU_EXIT_INPUT;
    }
    return bad ? HU_EXIT_INPUT : HU_EXIT_OK;
}

/* huibao render [--escape html|markdown|none] TEMPLATE DATA */
static int cmd_render(int argc, char **argv) {
    hu_escape esc = HU_ESC_HTML; /* the Mustache default, so spec examples behave */
    const char *args[2];
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--escape") || !strncmp(argv[i], "--escape=", 9)) {
            const char *v = argv[i][8] == '=' ? argv[i] + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v || !hu_mustache_escape_parse(v, &esc)) {
                fputs("huibao render: --escape 应为 html、markdown 或 none\n", stderr);
                return HU_EXIT_INPUT;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "huibao render: 未知选项 %s\n", argv[i]);
            return HU_EXIT_INPUT;
        } else if (n < 2) {
            args[n++] = argv[i];
        } else {
            fputs("huibao render: 参数过多（应为 模板 数据）\n", stderr);
            return HU_EXIT_INPUT;
        }
    }
    if (n != 2) {
        fputs("用法：huibao render [--escape html|markdown|none] 模板.mustache 数据.yaml\n",
              stderr);
        return HU_EXIT_INPUT;
    }
    hu_diags d = HU_DIAGS_INIT;
    int rc = hu_mustache_render_cmd(args[0], args[1], esc, stdout, &d);
    hu_diags_print(stderr, &d);
    hu_diags_free(&d);
    return rc == 0 ? HU_EXIT_OK : HU_EXIT_INPUT;
}

static int cmd_fonts(int argc, char **argv) {
    return hu_fonts_cmd(argc, argv);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return HU_EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return HU_EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("huibao %s\n", HU_VERSION);
        return HU_EXIT_OK;
    }
    if (!strcmp(cmd, "check")) return cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "build")) return hu_build_main(argc - 2, argv + 2);
    if (!strcmp(cmd, "render")) return cmd_render(argc - 2, argv + 2);
    if (!strcmp(cmd, "fonts")) return cmd_fonts(argc - 2, argv + 2);
    fprintf(stderr, "huibao: 未知命令“%s”\n\n", cmd);
    usage(stderr);
    return HU_EXIT_INPUT;
}
