/* test_cli.c - the command-line tables and parser (cli.h): every option kind, every spelling,
 * every usage error with its Chinese message, the help generated from the tables and the JSON
 * spec, and that the tables agree with the modules whose names they list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "build.h"
#include "cli.h"
#include "error.h"
#include "fonts.h"
#include "mustache.h"
#include "utf8.h"
#include "value.h"

/* ------------------------------------------------------------------ helpers */

#define MAXARGS 32

/* Parse a NULL-terminated list of arguments for the named command. */
static int parse_v(hu_cli_args *a, const char *cmd, const char *const *args) {
    static char *argv[MAXARGS];
    int n = 0;
    while (args[n]) {
        assert_true(n < MAXARGS);
        argv[n] = (char *)args[n];
        n++;
    }
    const hu_cmd *c = cmd ? hu_cli_command(cmd) : hu_cli_toplevel();
    assert_non_null(c);
    return hu_cli_parse(c, n, argv, a);
}
#define PARSE(a, cmd, ...) parse_v(a, cmd, (const char *const[]){__VA_ARGS__, NULL})

/* A usage error whose message contains every one of the NULL-terminated strings. */
static void expect_error_v(const char *cmd, const char *const *args, const char *const *want) {
    hu_cli_args a;
    int rc = parse_v(&a, cmd, args);
    const char *msg = hu_buf_cstr(&a.error);
    if (rc != HU_CLI_USAGE) {
        fprintf(stderr, "expected a usage error for huibao %s", cmd ? cmd : "");
        for (int i = 0; args[i]; i++)
            fprintf(stderr, " [%s]", args[i]);
        fprintf(stderr, ", got %d\n", rc);
    }
    assert_int_equal(rc, HU_CLI_USAGE);
    char prefix[64], hint[96];
    snprintf(prefix, sizeof prefix, "huibao%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    snprintf(hint, sizeof hint, "\n用 huibao%s%s --help 查看用法。\n", cmd ? " " : "",
             cmd ? cmd : "");
    assert_int_equal(strncmp(msg, prefix, strlen(prefix)), 0);
    assert_true(strlen(msg) > strlen(hint));
    assert_string_equal(msg + strlen(msg) - strlen(hint), hint);
    bool valid = true; /* arguments in UTF-8 give a message in UTF-8 (cut at characters) */
    for (int i = 0; args[i]; i++)
        valid = valid && hu_utf8_validate(args[i], strlen(args[i])) == (size_t)-1;
    if (valid) assert_true(hu_utf8_validate(msg, strlen(msg)) == (size_t)-1);
    for (int i = 0; want[i]; i++) {
        if (!strstr(msg, want[i])) fprintf(stderr, "message:\n%swanted: %s\n", msg, want[i]);
        assert_non_null(strstr(msg, want[i]));
    }
    hu_cli_args_free(&a);
}
#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define EXPECT_ERROR(cmd, args, ...) expect_error_v(cmd, args, ARGS(__VA_ARGS__))

/* Terminal columns, independent of cli.c: wide for CJK and full-width forms. */
static int columns(const char *s, size_t n) {
    int w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += hu_utf8_decode(s + i, n - i, &cp);
        w += (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xFF00 && cp <= 0xFF60) ? 2 : 1;
    }
    return w;
}

static char *capture(void (*fn)(const hu_cmd *, FILE *), const hu_cmd *cmd) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    if (fn)
        fn(cmd, f);
    else
        hu_cli_overview(f);
    fclose(f);
    return text;
}

/* ------------------------------------------------------------------ the tables */

static void test_tables_consistent(void **state) {
    (void)state;
    for (int i = 0; i < HU_OPT_COUNT; i++) {
        const hu_opt *o = hu_cli_option((hu_opt_id)i);
        assert_int_equal(o->id, i);
        assert_non_null(o->name);
        assert_non_null(o->help);
        for (int k = 0; k < i; k++) {
            const hu_opt *p = hu_cli_option((hu_opt_id)k);
            assert_string_not_equal(o->name, p->name);
            if (o->short_name) assert_int_not_equal(o->short_name, p->short_name);
        }
        if (o->kind != HU_OPT_FLAG) assert_non_null(o->example); /* messages show one */
        if (o->kind == HU_OPT_STRING || o->kind == HU_OPT_PATH || o->kind == HU_OPT_INT ||
            o->kind == HU_OPT_KEY_PATH)
            assert_non_null(o->metavar);
        if (o->kind == HU_OPT_ENUM || o->kind == HU_OPT_ENUM_LIST || o->kind == HU_OPT_KEY_PATH) {
            assert_non_null(o->choices);
            assert_non_null(o->choice_noun);
            int n = 0;
            while (o->choices[n])
                n++;
            assert_true(n > 0 && n <= HU_CLI_MAX_CHOICES);
        }
        if (o->kind == HU_OPT_INT) assert_true(o->min <= o->max);
        /* every option is used by some command or by the top level */
        bool used = hu_cli_cmd_has(hu_cli_toplevel(), o->id);
        for (int c = 0; hu_cli_command_at(c); c++)
            used = used || hu_cli_cmd_has(hu_cli_command_at(c), o->id);
        assert_true(used);
    }
    int ncmd = 0;
    for (const hu_cmd *c; (c = hu_cli_command_at(ncmd)); ncmd++) {
        assert_int_equal(c->id, ncmd);
        assert_ptr_equal(hu_cli_command(c->name), c);
        assert_true(hu_cli_cmd_has(c, HU_OPT_HELP)); /* every subcommand answers --help */
        /* only the last positional may take many */
        for (const hu_cmd_arg *p = c->args; p->metavar; p++)
            if (p->many) assert_null(p[1].metavar);
        /* within one command, no two options share a long or short name */
        for (int i = 0; i < HU_OPT_COUNT; i++)
            for (int k = 0; k < i; k++)
                if (hu_cli_cmd_has(c, (hu_opt_id)i) && hu_cli_cmd_has(c, (hu_opt_id)k))
                    assert_true(hu_cli_option((hu_opt_id)i)->short_name == 0 ||
                                hu_cli_option((hu_opt_id)i)->short_name !=
                                    hu_cli_option((hu_opt_id)k)->short_name);
    }
    assert_int_equal(ncmd, HU_CMD_COUNT);
    assert_null(hu_cli_command("nope"));
    assert_null(hu_cli_command_at(-1));
}

/* The names the tables list are the ones the modules decide: -f's bits are HU_FMT_*,
 * --escape's indices are hu_escape values, --font's keys are the font roles. */
static void test_tables_match_modules(void **state) {
    (void)state;
    static const struct {
        const char *name;
        unsigned bit;
    } fmts[] = {{"pdf", HU_FMT_PDF},
                {"xlsx", HU_FMT_XLSX},
                {"md", HU_FMT_MD},
                {"html", HU_FMT_HTML},
                {"docx", HU_FMT_DOCX}};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        hu_cli_args a;
        assert_int_equal(PARSE(&a, "build", "-f", fmts[i].name, "x.yaml"), HU_CLI_OK);
        hu_build_opts o;
        hu_cli_build_opts(&a, &o);
        assert_int_equal(o.formats, fmts[i].bit);
        hu_cli_args_free(&a);
    }
    const hu_opt *esc = hu_cli_option(HU_OPT_ESCAPE);
    for (int i = 0; esc->choices[i]; i++) {
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(esc->choices[i], "|"), esc->choices[i]);
        hu_escape e;
        assert_true(hu_mustache_escape_parse(name, &e));
        assert_int_equal((int)e, i);
        hu_cli_args a;
        assert_int_equal(PARSE(&a, "render", "--escape", name, "t", "d"), HU_CLI_OK);
        assert_int_equal(a.opt[HU_OPT_ESCAPE].num, i);
        hu_cli_args_free(&a);
    }
    const hu_opt *font = hu_cli_option(HU_OPT_FONT);
    int n = 0;
    for (; font->choices[n]; n++) {
        assert_string_equal(font->choices[n], hu_font_role_name((hu_font_role)n));
        assert_int_equal(hu_font_role_from_name(font->choices[n]), n);
    }
    assert_int_equal(n, HU_ROLE_COUNT);
}

/* ------------------------------------------------------------------ every kind, every spelling */

static void test_flags(void **state) {
    (void)state;
    hu_cli_args a;
    assert_int_equal(PARSE(&a, "build", "x.yaml", "--strict", "-q", "--no-subset"), HU_CLI_OK);
    hu_build_opts o;
    hu_cli_build_opts(&a, &o);
    assert_true(o.strict && o.quiet && !o.subset);
    assert_int_equal(a.npos, 1);
    assert_string_equal(a.pos[0], "x.yaml");
    hu_cli_args_free(&a);
    /* defaults when nothing is given */
    assert_int_equal(PARSE(&a, "build", "x.yaml"), HU_CLI_OK);
    hu_cli_build_opts(&a, &o);
    hu_build_opts d;
    hu_build_opts_default(&d);
    assert_string_equal(o.outdir, d.outdir);
    assert_int_equal(o.formats, HU_FMT_DEFAULT);
    assert_true(!o.strict && !o.quiet && o.subset && o.jobs == 0 && !o.depfile &&
                !o.template_name && !o.history_dir);
    for (int r = 0; r < HU_ROLE_COUNT; r++)
        assert_null(o.font_spec[r]);
    hu_cli_args_free(&a);
}

static void test_strings_and_paths(void **state) {
    (void)state;
    const char *const *forms[] = {
        ARGS("-o", "dir"),       ARGS("-odir"),        ARGS("-o=dir"),
        ARGS("--output", "dir"), ARGS("--output=dir"),
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const char *args[8];
        int n = 0;
        args[n++] = "in.yaml";
        for (int k = 0; forms[i][k]; k++)
            args[n++] = forms[i][k];
        args[n] = NULL;
        hu_cli_args a;
        assert_int_equal(parse_v(&a, "build", args), HU_CLI_OK);
        assert_string_equal(a.opt[HU_OPT_OUTPUT].str, "dir");
        assert_int_equal(a.npos, 1);
        hu_cli_args_free(&a);
    }
    hu_cli_args a;
    /* everything a build takes, before, between and after the inputs */
    assert_int_equal(PARSE(&a, "build", "-t", "monthly-brief", "a.yaml", "--history=h/", "b/",
                           "--depfile", "x.d", "-M", "y.d", "-o", "a", "--output", "b"),
                     HU_CLI_OK);
    hu_build_opts o;
    hu_cli_build_opts(&a, &o);
    assert_string_equal(o.template_name, "monthly-brief");
    assert_string_equal(o.history_dir, "h/");
    assert_string_equal(o.depfile, "y.d"); /* the last one counts */
    assert_string_equal(o.outdir, "b");
    assert_int_equal(a.opt[HU_OPT_OUTPUT].count, 2);
    assert_string_equal(a.opt[HU_OPT_OUTPUT].all[0], "a"); /* every value is kept */
    assert_string_equal(a.opt[HU_OPT_OUTPUT].all[1], "b");
    assert_null(a.opt[HU_OPT_OUTPUT].all[2]);
    assert_int_equal(a.npos, 2);
    assert_string_equal(a.pos[0], "a.yaml");
    assert_string_equal(a.pos[1], "b/");
    hu_cli_args_free(&a);
    /* a value may contain '=' and start with '-' when attached */
    assert_int_equal(PARSE(&a, "build", "--output=-odd=name", "x"), HU_CLI_OK);
    assert_string_equal(a.opt[HU_OPT_OUTPUT].str, "-odd=name");
    hu_cli_args_free(&a);
    /* `--` ends options; a lone `-` is an argument */
    assert_int_equal(PARSE(&a, "build", "-", "--", "-q", "--help", "--"), HU_CLI_OK);
    assert_int_equal(a.npos, 4);
    assert_string_equal(a.pos[0], "-");
    assert_string_equal(a.pos[1], "-q");
    assert_string_equal(a.pos[2], "--help");
    assert_string_equal(a.pos[3], "--");
    assert_false(hu_cli_flag(&a, HU_OPT_QUIET));
    hu_cli_args_free(&a);
    /* fonts --check */
    assert_int_equal(PARSE(&a, "fonts", "--check", "in.yaml", "--strict"), HU_CLI_OK);
    assert_string_equal(a.opt[HU_OPT_CHECK].str, "in.yaml");
    assert_true(hu_cli_flag(&a, HU_OPT_STRICT));
    assert_int_equal(a.npos, 0);
    hu_cli_args_free(&a);
}

static void test_integers(void **state) {
    (void)state;
    const char *const *forms[] = {ARGS("-j4"),      ARGS("-j", "4"),     ARGS("-j=4"),
                                  ARGS("--jobs=4"), ARGS("--jobs", "4"), ARGS("-j", "0004")};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const char *args[8] = {"x.yaml"};
        int n = 1;
        for (int k = 0; forms[i][k]; k++)
            args[n++] = forms[i][k];
        args[n] = NULL;
        hu_cli_args a;
        assert_int_equal(parse_v(&a, "build", args), HU_CLI_OK);
        hu_build_opts o;
        hu_cli_build_opts(&a, &o);
        assert_int_equal(o.jobs, 4);
        hu_cli_args_free(&a);
    }
    hu_cli_args a;
    assert_int_equal(PARSE(&a, "build", "-j1", "-j", "256", "x"), HU_CLI_OK); /* the bounds */
    assert_int_equal(a.opt[HU_OPT_JOBS].num, 256);
    hu_cli_args_free(&a);
}

static void test_enum(void **state) {
    (void)state;
    hu_cli_args a;
    assert_int_equal(PARSE(&a, "render", "t.mustache", "d.yaml"), HU_CLI_OK);
    assert_int_equal(a.opt[HU_OPT_ESCAPE].num, HU_ESC_HTML); /* the default */
    hu_cli_args_free(&a);
    assert_int_equal(PARSE(&a, "render", "--escape=md", "t", "d"), HU_CLI_OK); /* an alias */
    assert_int_equal(a.opt[HU_OPT_ESCAPE].num, HU_ESC_MARKDOWN);
    hu_cli_args_free(&a);
    assert_int_equal(PARSE(&a, "render", "t", "--escape", "none", "d"), HU_CLI_OK);
    assert_int_equal(a.opt[HU_OPT_ESCAPE].num, HU_ESC_NONE);
    assert_string_equal(a.pos[0], "t");
    assert_string_equal(a.pos[1], "d");
    hu_cli_args_free(&a);
}

static void test_enum_list(void **state) {
    (void)state;
    hu_cli_args a;
    assert_int_equal(PARSE(&a, "build", "-f", "md,html", "x"), HU_CLI_OK);
    assert_int_equal(a.opt[HU_OPT_FORMAT].mask, HU_FMT_MD | HU_FMT_HTML);
    hu_cli_args_free(&a);
    /* empty items and repeats are harmless; a later -f replaces an earlier one */
    assert_int_equal(PARSE(&a, "build", "-fpdf", "--format=,xlsx,,xlsx,", "x"), HU_CLI_OK);
    assert_int_equal(a.opt[HU_OPT_FORMAT].mask, HU_FMT_XLSX);
    hu_cli_args_free(&a);
}

static void test_key_path(void **state) {
    (void)state;
    hu_cli_args a;
    assert_int_equal(PARSE(&a, "build", "--font", "body=a.ttf", "x", "--font=body=b.ttc#1",
                           "--font", "latin=c.ttf,d.ttf"),
                     HU_CLI_OK);
    hu_build_opts o;
    hu_cli_build_opts(&a, &o);
    assert_string_equal(o.font_spec[HU_ROLE_BODY], "a.ttf,b.ttc#1"); /* repeated roles chain */
    assert_string_equal(o.font_spec[HU_ROLE_LATIN], "c.ttf,d.ttf");
    assert_null(o.font_spec[HU_ROLE_HEI]);
    assert_int_equal(a.opt[HU_OPT_FONT].count, 3);
    assert_string_equal(a.opt[HU_OPT_FONT].all[1], "body=b.ttc#1");
    assert_string_equal(a.opt[HU_OPT_FONT].all[2], "latin=c.ttf,d.ttf");
    /* the same chains for `fonts` */
    const char *spec[HU_ROLE_COUNT];
    hu_cli_font_specs(&a, spec);
    assert_string_equal(spec[HU_ROLE_BODY], "a.ttf,b.ttc#1");
    hu_cli_args_free(&a);
    assert_int_equal(PARSE(&a, "fonts", "--font", "kai=/x=y.ttf"), HU_CLI_OK);
    hu_cli_font_specs(&a, spec);
    assert_string_equal(spec[HU_ROLE_KAI], "/x=y.ttf"); /* only the first '=' splits */
    hu_cli_args_free(&a);
}

static void test_help(void **state) {
    (void)state;
    hu_cli_args a;
    for (int c = 0; hu_cli_command_at(c); c++) {
        const char *name = hu_cli_command_at(c)->name;
        assert_int_equal(PARSE(&a, name, "-h"), HU_CLI_HELP);
        hu_cli_args_free(&a);
        /* anywhere, even after a mistake or a missing value */
        assert_int_equal(PARSE(&a, name, "--bogus", "-j", "--help"), HU_CLI_HELP);
        hu_cli_args_free(&a);
    }
    assert_int_equal(PARSE(&a, NULL, "--help"), HU_CLI_HELP);
    hu_cli_args_free(&a);
    assert_int_equal(PARSE(&a, NULL, "--version"), HU_CLI_OK);
    assert_true(hu_cli_flag(&a, HU_OPT_VERSION));
    hu_cli_args_free(&a);
    assert_int_equal(PARSE(&a, NULL, "-V"), HU_CLI_OK);
    assert_true(hu_cli_flag(&a, HU_OPT_VERSION));
    hu_cli_args_free(&a);
    /* after `--` it is a file name */
    assert_int_equal(PARSE(&a, "check", "--", "--help"), HU_CLI_OK);
    assert_string_equal(a.pos[0], "--help");
    hu_cli_args_free(&a);
}

/* ------------------------------------------------------------------ every error */

/* Every option that takes a value, in every command that has it, given without one: last on
 * the line, and followed by another option. */
static void test_missing_values(void **state) {
    (void)state;
    for (int c = 0; hu_cli_command_at(c); c++) {
        const hu_cmd *cmd = hu_cli_command_at(c);
        for (int i = 0; i < HU_OPT_COUNT; i++) {
            const hu_opt *o = hu_cli_option((hu_opt_id)i);
            if (!hu_cli_cmd_has(cmd, o->id) || o->kind == HU_OPT_FLAG) continue;
            char lng[40], shrt[4] = {'-', o->short_name, 0};
            snprintf(lng, sizeof lng, "--%s", o->name);
            const char *spellings[] = {lng, o->short_name ? shrt : NULL};
            for (int s = 0; s < 2 && spellings[s]; s++) {
                char want[64];
                snprintf(want, sizeof want, "选项 %s 缺少值：应为", spellings[s]);
                expect_error_v(cmd->name, ARGS("a", "b", spellings[s]), ARGS(want, o->example));
                expect_error_v(cmd->name, ARGS(spellings[s], "--strict", "a", "b"), ARGS(want));
                expect_error_v(cmd->name, ARGS(spellings[s], "-q"), ARGS(want));
                expect_error_v(cmd->name, ARGS(spellings[s], "--"), ARGS(want));
            }
        }
    }
}

static void test_bad_values(void **state) {
    (void)state;
    /* empty */
    EXPECT_ERROR("build", ARGS("x", "-o", ""), "选项 -o 的值为空：应为文件夹，如 -o archive/");
    EXPECT_ERROR("build", ARGS("x", "--template="), "选项 --template 的值为空");
    EXPECT_ERROR("fonts", ARGS("--check="), "选项 --check 的值为空");
    /* integers */
    EXPECT_ERROR("build", ARGS("x", "-jabc"), "选项 -j 的值“abc”不是整数：应为 1 到 256 之间的整数",
                 "如 -j 4");
    EXPECT_ERROR("build", ARGS("x", "-j", "4.0"), "“4.0”不是整数");
    EXPECT_ERROR("build", ARGS("x", "-j", " 4"), "不是整数");
    EXPECT_ERROR("build", ARGS("x", "-j", "+4"), "不是整数");
    EXPECT_ERROR("build", ARGS("x", "-j", "４"), "不是整数");
    EXPECT_ERROR("build", ARGS("x", "-j", "-"), "不是整数");
    EXPECT_ERROR("build", ARGS("x", "--jobs=0"), "选项 --jobs 的值 0 超出范围：应为 1 到 256");
    EXPECT_ERROR("build", ARGS("x", "-j", "257"), "257 超出范围");
    EXPECT_ERROR("build", ARGS("x", "-j", "-3"), "-3 超出范围");
    EXPECT_ERROR("build", ARGS("x", "-j", "99999999999999999999999"), "超出范围");
    EXPECT_ERROR("build", ARGS("x", "-j", "-99999999999999999999999"), "超出范围");
    /* enum */
    EXPECT_ERROR("render", ARGS("--escape", "latex", "t", "d"),
                 "选项 --escape 里有未知的转义方式“latex”：应为 html、markdown、none 之一");
    EXPECT_ERROR("render", ARGS("--escape=HTML", "t", "d"), "是否应为“html”？（应为 html、");
    EXPECT_ERROR("render", ARGS("--escape=markdwn", "t", "d"), "是否应为“markdown”？");
    /* list */
    EXPECT_ERROR("build", ARGS("x", "-f", "pdf,odt"), "选项 -f 里有未知的输出格式“odt”：",
                 "应为 pdf、xlsx、md、html、docx 中的一个或多个，用半角逗号分隔");
    EXPECT_ERROR("build", ARGS("x", "-f", "PDF"), "未知的输出格式“PDF”，是否应为“pdf”？");
    EXPECT_ERROR("build", ARGS("x", "-f", "xslx"), "是否应为“xlsx”？");
    EXPECT_ERROR("build", ARGS("x", "-f", "pdf，md"), "全角标点，请用半角逗号");
    EXPECT_ERROR("build", ARGS("x", "-f", "pdf、md"), "全角标点");
    EXPECT_ERROR("build", ARGS("x", "-f", ","), "选项 -f 的值为空");
    EXPECT_ERROR("build", ARGS("x", "--format="), "选项 --format 的值为空");
    /* role=path */
    EXPECT_ERROR(
        "build", ARGS("x", "--font", "body"), "选项 --font 的值“body”缺少“=”",
        "应为角色=字体文件，字体角色为 body、song、kai、hei、title、latin、latin_bold 之一");
    EXPECT_ERROR("build", ARGS("x", "--font", "body＝a.ttf"), "“＝”应为半角的“=”");
    EXPECT_ERROR("build", ARGS("x", "--font", "=a.ttf"), "缺少字体角色");
    EXPECT_ERROR("build", ARGS("x", "--font", "bdy=a.ttf"),
                 "未知的字体角色“bdy”，是否应为“body”？");
    EXPECT_ERROR("fonts", ARGS("--font", "serif=a.ttf"), "未知的字体角色“serif”：应为");
    EXPECT_ERROR("fonts", ARGS("--font", "body="), "在“=”后面缺少文件");
    /* a flag with a value */
    EXPECT_ERROR("build", ARGS("x", "--strict=yes"), "选项 --strict 不带值，请去掉“=yes”");
    EXPECT_ERROR("build", ARGS("x", "--help=1"), "选项 --help 不带值");
}

static void test_unknown_options(void **state) {
    (void)state;
    EXPECT_ERROR("build", ARGS("x", "--fromat", "pdf"), "未知选项 --fromat，是否应为 --format？");
    EXPECT_ERROR("build", ARGS("x", "--hist", "h"), "是否应为 --history？"); /* a prefix */
    EXPECT_ERROR("build", ARGS("x", "--bogus"), "未知选项 --bogus\n");
    EXPECT_ERROR("build", ARGS("--"), "请给出输入文件或文件夹"); /* `--` alone: no input */
    EXPECT_ERROR("build", ARGS("x", "---"), "未知选项 ---");
    EXPECT_ERROR("build", ARGS("x", "--="), "未知选项 --");
    EXPECT_ERROR("build", ARGS("x", "-x"), "未知选项 -x\n");
    EXPECT_ERROR("build", ARGS("x", "-é"), "未知选项 -é");
    EXPECT_ERROR("build", ARGS("x", "-output", "d"), "选项 -output 应写作 --output");
    EXPECT_ERROR("build", ARGS("x", "-strict"), "应写作 --strict");
    EXPECT_ERROR("build", ARGS("x", "-qh"), "短选项不能合写：-qh 请分开写作 -q -h");
    EXPECT_ERROR("build", ARGS("x", "-qz"), "未知选项 -qz（-q 不带值）");
    /* an option of another command */
    EXPECT_ERROR("new", ARGS("2026-11", "-o", "d"),
                 "本命令没有选项 -o（它是 huibao build、huibao check 的选项）");
    EXPECT_ERROR("build", ARGS("x", "--escape=md"), "（它是 huibao render 的选项）");
    EXPECT_ERROR("render", ARGS("-q", "t", "d"),
                 "它是 huibao build、huibao check、huibao new 的选项");
    EXPECT_ERROR("build", ARGS("x", "--version"), "它是 huibao 的选项");
    EXPECT_ERROR(NULL, ARGS("-q"), "选项 -q 应写在命令名之后");
    EXPECT_ERROR(NULL, ARGS("--bogus"), "未知选项 --bogus");
    /* dashes typed with a Chinese input method */
    EXPECT_ERROR("build", ARGS("x", "——format", "pdf"), "“——format”", "半角“-”", "--format");
    EXPECT_ERROR("build", ARGS("x", "－o", "d"), "--output");
    EXPECT_ERROR("build", ARGS("x", "—strict"), "--strict");
    /* …unless the rest names no option: then it is a file name */
    hu_cli_args a;
    assert_int_equal(PARSE(&a, "check", "——报告.yaml"), HU_CLI_OK);
    hu_cli_args_free(&a);
    /* a very long unknown option is quoted in part, at a character boundary */
    char big[400];
    strcpy(big, "--");
    for (int i = 0; i < 100; i++)
        strcat(big, "汇");
    EXPECT_ERROR("build", ARGS("x", big), "未知选项 --汇汇");
}

static void test_argument_counts(void **state) {
    (void)state;
    EXPECT_ERROR("build", ARGS("-q"), "huibao build: 请给出输入文件或文件夹");
    EXPECT_ERROR("check", ARGS("-q"), "huibao check: 请给出要检查的输入文件");
    EXPECT_ERROR("render", ((const char *const[]){NULL}), "请给出输入文件（或模板文件和数据文件）");
    EXPECT_ERROR("render", ARGS("t", "d", "e"), "参数过多：“e”是多余的");
    EXPECT_ERROR("new", ARGS("-q"), "huibao new: 请给出要新建的月份，如 huibao new 2026-11");
    EXPECT_ERROR("new", ARGS("2026-11", "a", "b"), "参数过多：“b”是多余的");
    EXPECT_ERROR("fonts", ARGS("x.yaml"), "多余的参数“x.yaml”（本命令不接受参数）");
    EXPECT_ERROR("_spec", ARGS("x"), "多余的参数");
    EXPECT_ERROR(NULL, ARGS("--version", "build"), "多余的参数“build”");
}

static void test_unknown_command(void **state) {
    (void)state;
    hu_buf b = HU_BUF_INIT;
    hu_cli_unknown_command("bulid", &b);
    assert_non_null(strstr(hu_buf_cstr(&b), "huibao: 未知命令“bulid”，是否应为“build”？"));
    assert_non_null(strstr(hu_buf_cstr(&b), "可用的命令：build、check、new、render、fonts。"));
    assert_null(strstr(hu_buf_cstr(&b), "_spec"));
    hu_buf_clear(&b);
    hu_cli_unknown_command("zzzzzz", &b);
    assert_null(strstr(hu_buf_cstr(&b), "是否应为"));
    hu_buf_free(&b);
}

/* ------------------------------------------------------------------ generated output */

static void test_usage_text(void **state) {
    (void)state;
    for (int c = 0; hu_cli_command_at(c); c++) {
        const hu_cmd *cmd = hu_cli_command_at(c);
        char *text = capture(hu_cli_usage, cmd);
        char head[64];
        snprintf(head, sizeof head, "用法：huibao %s [选项]", cmd->name);
        assert_int_equal(strncmp(text, head, strlen(head)), 0);
        assert_non_null(strstr(text, "退出状态：0 成功；1 生成失败；2 输入或用法错误。"));
        for (int i = 0; i < HU_OPT_COUNT; i++) {
            const hu_opt *o = hu_cli_option((hu_opt_id)i);
            char lng[64];
            snprintf(lng, sizeof lng, "--%s", o->name);
            char shrt[8];
            snprintf(shrt, sizeof shrt, "-%c, --%s", o->short_name, o->name);
            if (hu_cli_cmd_has(cmd, o->id)) {
                assert_non_null(strstr(text, lng));
                if (o->short_name) assert_non_null(strstr(text, shrt));
                for (int k = 0; o->choices && o->choices[k]; k++) {
                    char name[32];
                    snprintf(name, sizeof name, "%.*s", (int)strcspn(o->choices[k], "|"),
                             o->choices[k]);
                    assert_non_null(strstr(text, name));
                }
            } else {
                /* "--check" is a prefix of nothing else; guard with a following space */
                char spaced[70];
                snprintf(spaced, sizeof spaced, "%s ", lng);
                if (strcmp(o->name, "help")) assert_null(strstr(text, spaced));
            }
        }
        for (const hu_cmd_arg *p = cmd->args; p->metavar; p++)
            assert_non_null(strstr(text, p->metavar));
        /* every line fits an 80-column terminal; help columns line up */
        int help_col = -1;
        for (char *line = text; *line;) {
            char *nl = strchr(line, '\n');
            assert_non_null(nl);
            size_t n = (size_t)(nl - line);
            assert_true(columns(line, n) <= 80);
            if (!strncmp(line, "  -", 3) || !strncmp(line, "      --", 8)) {
                /* an option line: the help starts after two or more spaces past the left */
                char *gap = strstr(strchr(line, '-'), "  ");
                if (gap && gap < nl) {
                    char *h = gap;
                    while (*h == ' ')
                        h++;
                    int col = columns(line, (size_t)(h - line));
                    if (help_col < 0) help_col = col;
                    assert_int_equal(col, help_col);
                }
            }
            line = nl + 1;
        }
        free(text);
    }
    char *text = capture(NULL, NULL);
    for (int c = 0; hu_cli_command_at(c); c++) {
        const hu_cmd *cmd = hu_cli_command_at(c);
        char want[64];
        snprintf(want, sizeof want, "  %s ", cmd->name);
        if (cmd->hidden)
            assert_null(strstr(text, want));
        else
            assert_non_null(strstr(text, want)), assert_non_null(strstr(text, cmd->summary));
    }
    assert_non_null(strstr(text, "huibao --version"));
    free(text);
}

/* The spec is valid JSON (read back with the YAML/JSON loader) and lists every command and
 * option with what a man page and a completion script need. */
static void test_spec_json(void **state) {
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    hu_cli_spec_json(f);
    fclose(f);
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_value *root = hu_value_load_string(&a, text, len, "spec.json", true, &d);
    hu_diags_print(stderr, &d);
    assert_non_null(root);
    const hu_value *cmds = hu_v_get(root, "commands"), *opts = hu_v_get(root, "options");
    assert_non_null(cmds);
    assert_non_null(opts);
    assert_int_equal(cmds->n, HU_CMD_COUNT);
    assert_int_equal(opts->n, HU_OPT_COUNT);
    for (size_t i = 0; i < opts->n; i++) {
        const hu_opt *o = hu_cli_option((hu_opt_id)i);
        const hu_value *name = hu_v_get(opts->items[i], "name");
        assert_non_null(name);
        assert_string_equal(name->str, o->name);
        const hu_value *choices = hu_v_get(opts->items[i], "choices");
        assert_non_null(choices);
        int n = 0;
        while (o->choices && o->choices[n])
            n++;
        assert_int_equal(choices->n, n);
    }
    const hu_value *build = cmds->items[HU_CMD_BUILD];
    assert_string_equal(hu_v_get(build, "name")->str, "build");
    const hu_value *groups = hu_v_get(build, "groups");
    size_t total = 0;
    for (size_t g = 0; g < groups->n; g++)
        total += hu_v_get(groups->items[g], "options")->n;
    size_t want = 0;
    for (int i = 0; i < HU_OPT_COUNT; i++)
        want += hu_cli_cmd_has(hu_cli_command("build"), (hu_opt_id)i);
    assert_int_equal(total, want);
    hu_diags_free(&d);
    hu_arena_free(&a);
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_consistent),
        cmocka_unit_test(test_tables_match_modules),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_strings_and_paths),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_enum),
        cmocka_unit_test(test_enum_list),
        cmocka_unit_test(test_key_path),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_missing_values),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_unknown_options),
        cmocka_unit_test(test_argument_counts),
        cmocka_unit_test(test_unknown_command),
        cmocka_unit_test(test_usage_text),
        cmocka_unit_test(test_spec_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
