/* cli.c - the option and subcommand tables, the one parser that reads them, and everything
 * generated from them: help, usage errors, the JSON spec (cli.h).
 *
 * Why not getopt_long: it prints its own English messages, cannot say what value an option
 * expects, has no notion of a value's type or range, and would still need a second table for
 * help; here one declaration gives parsing, checking, help and the spec. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "textclean.h"
#include "utf8.h"

/* ---------------------------------------------------------------- the options */

/* Bit i of -f's mask is choice i: the order of HU_FMT_* (build.h; test_cli checks it). */
static const char *const format_names[] = {"pdf", "xlsx", "md", "html", "docx", NULL};
/* Index i is hu_escape value i (mustache.h; test_cli checks it). */
static const char *const escape_names[] = {"html", "markdown|md", "none", NULL};

static const hu_opt options[HU_OPT_COUNT] = {
    [HU_OPT_HELP] = {HU_OPT_HELP, "help", 'h', HU_OPT_FLAG, .help = "显示本帮助并退出"},
    [HU_OPT_VERSION] = {HU_OPT_VERSION, "version", 'V', HU_OPT_FLAG, .help = "显示版本号并退出"},
    [HU_OPT_OUTPUT] = {HU_OPT_OUTPUT, "output", 'o', HU_OPT_PATH, "文件夹",
                       .help = "输出文件夹（默认 out，没有时自动创建）", .example = "-o archive/"},
    [HU_OPT_FORMAT] = {HU_OPT_FORMAT, "format", 'f', HU_OPT_ENUM_LIST, NULL, format_names,
                       "输出格式",
                       .help = "输出格式，多个用逗号分隔，默认 pdf,docx,xlsx,md；\nhtml "
                               "为网页预览，docx 为可修改的 Word 文档",
                       .example = "-f pdf,md"},
    [HU_OPT_TEMPLATE] = {HU_OPT_TEMPLATE, "template", 't', HU_OPT_STRING, "模板",
                         .help = "模板名或模板文件夹的路径（含“/”或以“.”开头），"
                                 "代替输入文件里的 template 字段；模板名依次在"
                                 "个人、本机系统、内置模板中查找（docs/templates.md）",
                         .example = "-t monthly-brief"},
    [HU_OPT_HISTORY] = {HU_OPT_HISTORY, "history", 0, HU_OPT_PATH, "文件夹",
                        .help = "往月数据所在文件夹（默认为输入文件所在文件夹）",
                        .example = "--history data/2025/"},
    [HU_OPT_FONT] = {HU_OPT_FONT, "font", 0, HU_OPT_KEY_PATH, "角色=字体文件", hu_font_role_names,
                     "字体角色", .repeatable = true,
                     .help = "某一角色改用的字体，可重复；\n同一角色的多个字体依次后备。\n"
                             "角色：body 正文（仿宋）、song 宋体、kai 楷体、\n"
                             "hei 黑体、title 标题（小标宋）、\n"
                             "latin 西文和数字、latin_bold 标题等粗体中的\n"
                             "西文和数字。TrueType 和 OpenType/CFF 字体均可，\n"
                             "字体集合（.ttc、.otc）写作 文件.ttc#序号",
                     .example = "--font body=/usr/share/fonts/simfang.ttf"},
    [HU_OPT_STRICT] = {HU_OPT_STRICT, "strict", 0, HU_OPT_FLAG,
                       .help = "把警告当作错误：没有字体可以显示的字符；\n"
                               "build、check 还有标题、文件名、成文日期与期间不符，\n"
                               "org 与同文件夹其他月份不同，模板用到视图中没有的字段"},
    [HU_OPT_NO_SUBSET] = {HU_OPT_NO_SUBSET, "no-subset", 0, HU_OPT_FLAG,
                          .help = "PDF 嵌入完整字体而非子集（文件大得多）"},
    [HU_OPT_JOBS] = {HU_OPT_JOBS, "jobs", 'j', HU_OPT_INT, "N", .min = 1, .max = 256,
                     .help = "同时生成的报告数（默认为 CPU 核数）", .example = "-j 4"},
    [HU_OPT_DEPFILE] = {HU_OPT_DEPFILE, "depfile", 'M', HU_OPT_PATH, "文件",
                        .help = "写出 Makefile 依赖文件，\n供 make 只重新生成变了的报告",
                        .example = "--depfile out/2026-10.d"},
    [HU_OPT_QUIET] = {HU_OPT_QUIET, "quiet", 'q', HU_OPT_FLAG,
                      .help = "安静模式：只输出警告和错误"},
    [HU_OPT_ESCAPE] = {HU_OPT_ESCAPE, "escape", 0, HU_OPT_ENUM, NULL, escape_names, "转义方式",
                       .help = "{{变量}} 的转义方式（默认 html，与 Mustache 规范一致；"
                               "markdown 也可写作 md）",
                       .example = "--escape markdown"},
    [HU_OPT_CHECK] = {HU_OPT_CHECK, "check", 0, HU_OPT_PATH, "输入文件",
                      .help = "不列出字体，改为列出输入文件中没有字体可以显示的字符（精确到行列）",
                      .example = "--check 2026-10.yaml"},
    [HU_OPT_XLSX] = {HU_OPT_XLSX, "xlsx", 0, HU_OPT_FLAG,
                     .help = "指标另写进一个填写用的工作簿（2026-11-指标.xlsx），\n"
                             "在 Excel 或 WPS 中填“本期”一列即可"},
};

/* ---------------------------------------------------------------- groups and commands */

#define END HU_OPT_COUNT
static const hu_opt_id g_input_ids[] = {HU_OPT_TEMPLATE, HU_OPT_HISTORY, END};
static const hu_opt_id g_fonts_ids[] = {HU_OPT_FONT, HU_OPT_STRICT, END};
static const hu_opt_id g_output_ids[] = {HU_OPT_OUTPUT, HU_OPT_FORMAT, HU_OPT_DEPFILE,
                                         HU_OPT_NO_SUBSET, END};
static const hu_opt_id g_run_ids[] = {HU_OPT_JOBS, END};
static const hu_opt_id g_common_ids[] = {HU_OPT_QUIET, HU_OPT_HELP, END};
static const hu_opt_id g_help_ids[] = {HU_OPT_HELP, END};
static const hu_opt_id g_render_ids[] = {HU_OPT_ESCAPE, END};
static const hu_opt_id g_fonts_cmd_ids[] = {HU_OPT_CHECK, END};
static const hu_opt_id g_template_ids[] = {HU_OPT_TEMPLATE, END};
static const hu_opt_id g_new_ids[] = {HU_OPT_XLSX, END};
static const hu_opt_id g_top_ids[] = {HU_OPT_HELP, HU_OPT_VERSION, END};
#undef END

/* Shared groups: `check` takes every group of build, so the same command line checks what build
 * would do with it (-f: only those formats; -o and --depfile: that build could write there). */
static const hu_opt_group g_input = {"输入与模板", g_input_ids};
static const hu_opt_group g_fonts = {"字体", g_fonts_ids};
static const hu_opt_group g_output = {"输出", g_output_ids};
static const hu_opt_group g_run = {"运行", g_run_ids};
static const hu_opt_group g_common = {"其他", g_common_ids};
static const hu_opt_group g_help = {"其他", g_help_ids};
static const hu_opt_group g_render = {"渲染", g_render_ids};
static const hu_opt_group g_fonts_cmd = {"检查", g_fonts_cmd_ids};
static const hu_opt_group g_template = {"模板", g_template_ids};
static const hu_opt_group g_new = {"指标", g_new_ids};
static const hu_opt_group g_top = {"选项", g_top_ids};

static const hu_opt_group *const build_groups[] = {&g_input, &g_fonts,  &g_output,
                                                   &g_run,   &g_common, NULL};
static const hu_opt_group *const check_groups[] = {&g_input, &g_fonts,  &g_output,
                                                   &g_run,   &g_common, NULL};
static const hu_opt_group *const render_groups[] = {&g_input, &g_render, &g_help, NULL};
static const hu_opt_group *const new_groups[] = {&g_new, &g_common, NULL};
/* fonts: the template's style.yaml names fonts too, so -t is what build would use */
static const hu_opt_group *const fonts_groups[] = {&g_template, &g_fonts, &g_fonts_cmd, &g_help,
                                                   NULL};
static const hu_opt_group *const spec_groups[] = {&g_help, NULL};
static const hu_opt_group *const top_groups[] = {&g_top, NULL};

static const hu_cmd_arg build_args[] = {
    {"输入文件或文件夹", HU_OPT_PATH, false, true,
     ".yaml、.yml 或 .json 输入文件，\n或含有这类文件的文件夹（不含子文件夹）"},
    {0}};
static const hu_cmd_arg check_args[] = {
    {"输入文件或文件夹", HU_OPT_PATH, false, true,
     "要检查的 .yaml、.yml 或 .json 输入文件，\n或含有这类文件的文件夹（不含子文件夹）"},
    {0}};
static const hu_cmd_arg new_args[] = {
    {"统计期", HU_OPT_STRING, false, false, "要新建的月份，如 2026-11"},
    {"从", HU_OPT_PATH, true, false,
     "从哪个月的输入文件开始，或在哪个文件夹里找；\n默认在当前文件夹找统计期之前最近的一个月"},
    {0}};
static const hu_cmd_arg render_args[] = {
    {"模板文件", HU_OPT_PATH, true, false,
     "任意 Mustache 模板文件（局部模板从它所在的文件夹查找），数据原样作为上下文；"
     "不给时用 -t 或输入里的报告模板"},
    {"数据", HU_OPT_PATH, false, false,
     "YAML 或 JSON 文件；用报告模板时是一个月的输入，模板看到的是 build 所用的视图"},
    {0}};
static const hu_cmd_arg no_args[] = {{0}};

static const hu_cmd commands[HU_CMD_COUNT] = {
    {HU_CMD_BUILD, "build", "生成报告：PDF、XLSX、Markdown，可选 HTML 预览",
     "按输入生成报告，默认写到 out/ 下与输入同名的 .pdf、.docx、.xlsx、.md 文件；\n"
     "每份报告要么全部生成，要么保持上次的输出不变。",
     build_args, build_groups, "请给出输入文件或文件夹", false},
    {HU_CMD_CHECK, "check", "做 build 的每一步但不写文件，报告所有问题",
     "与 build 接受同样的输入和选项，走完每一步（输入、往月数据、模板、字体、排版），\n"
     "报告 build 会报告的所有问题，但不写任何文件；每个输入最后一行为结论。",
     check_args, check_groups, "请给出要检查的输入文件或文件夹", false},
    {HU_CMD_NEW, "new", "从上个月的输入新建下个月的输入（可另附填写用的工作簿）",
     "按上个月的输入写出新一个月的输入文件：统计期、成文日期和标题中的期间顺延，\n"
     "指标保留名称、单位、目标等，上月累计和上年同期自动填好，本期数留空待填；\n"
     "正文原样保留作为起点。已有的文件不会被覆盖。",
     new_args, new_groups, "请给出要新建的月份，如 huibao new 2026-11", false},
    {HU_CMD_RENDER, "render", "渲染报告模板或任意 Mustache 模板，输出到屏幕",
     "huibao render [-t 模板] 输入.yaml：用报告模板渲染一个月的输入\n"
     "（与 build 相同的视图、局部模板和继承），输出 Markdown，用于编写和调试模板；\n"
     "huibao render 模板文件 数据文件：用数据原样渲染任意 Mustache 模板。",
     render_args, render_groups, "请给出输入文件（或模板文件和数据文件）", false},
    {HU_CMD_FONTS, "fonts", "列出各角色的字体及覆盖情况，或检查输入中缺字",
     "列出每个字体角色的字体链、实际文件及 GB 2312 覆盖情况；\n"
     "用 --check 时改为列出输入文件中没有任何字体包含的字符。",
     no_args, fonts_groups, NULL, false},
    {HU_CMD_SPEC, "_spec", "以 JSON 输出命令行规格（供生成手册页和补全脚本）", NULL, no_args,
     spec_groups, NULL, true},
};

static const hu_cmd toplevel = {HU_CMD_COUNT, "", NULL, NULL, no_args, top_groups, NULL, true};

static const char exit_statuses[] = "退出状态：0 成功；1 生成失败；2 输入或用法错误。\n";

const hu_opt *hu_cli_option(hu_opt_id id) {
    return (unsigned)id < HU_OPT_COUNT ? &options[id] : NULL;
}

const hu_cmd *hu_cli_command_at(int i) {
    return i >= 0 && i < HU_CMD_COUNT ? &commands[i] : NULL;
}

const hu_cmd *hu_cli_command(const char *name) {
    for (int i = 0; name && i < HU_CMD_COUNT; i++)
        if (!strcmp(commands[i].name, name)) return &commands[i];
    return NULL;
}

const hu_cmd *hu_cli_toplevel(void) {
    return &toplevel;
}

bool hu_cli_cmd_has(const hu_cmd *cmd, hu_opt_id id) {
    for (const hu_opt_group *const *g = cmd->groups; *g; g++)
        for (const hu_opt_id *p = (*g)->opts; *p != HU_OPT_COUNT; p++)
            if (*p == id) return true;
    return false;
}

/* "huibao build" or "huibao" for the top level. */
static void prog_name(const hu_cmd *cmd, hu_buf *b) {
    hu_buf_puts(b, "huibao");
    if (cmd->name[0]) hu_buf_printf(b, " %s", cmd->name);
}

/* ---------------------------------------------------------------- choices */

/* Does s[0..n) name choice c ("markdown|md" names markdown and md)? */
static bool choice_is(const char *c, const char *s, size_t n) {
    while (*c) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (len == n && !memcmp(c, s, n)) return true;
        if (!bar) break;
        c = bar + 1;
    }
    return false;
}

static int choice_find(const hu_opt *o, const char *s, size_t n) {
    for (int i = 0; o->choices && o->choices[i]; i++)
        if (choice_is(o->choices[i], s, n)) return i;
    return -1;
}

/* The canonical name of choice i: the text before any '|'. */
static void choice_name(const hu_opt *o, int i, hu_buf *b) {
    const char *c = o->choices[i], *bar = strchr(c, '|');
    hu_buf_put(b, c, bar ? (size_t)(bar - c) : strlen(c));
}

static void choices_joined(const hu_opt *o, const char *sep, hu_buf *b) {
    for (int i = 0; o->choices && o->choices[i]; i++) {
        if (i) hu_buf_puts(b, sep);
        choice_name(o, i, b);
    }
}

/* A choice close to s[0..n) (same letters in another case, or a likely typo), for
 * "是否应为……？"; NULL when none is. Returned in a static buffer. */
static const char *choice_near(const hu_opt *o, const char *s, size_t n) {
    static char best[64];
    const char *names[HU_CLI_MAX_CHOICES + 1];
    char store[HU_CLI_MAX_CHOICES][64];
    int k = 0;
    for (int i = 0; o->choices && o->choices[i] && k < HU_CLI_MAX_CHOICES; i++, k++) {
        const char *c = o->choices[i], *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (len >= sizeof store[k]) len = sizeof store[k] - 1;
        memcpy(store[k], c, len);
        store[k][len] = 0;
        names[k] = store[k];
        if (len == n && !strncasecmp(store[k], s, n)) {
            memcpy(best, store[k], len + 1);
            return best;
        }
    }
    names[k] = NULL;
    char word[64];
    if (n >= sizeof word) return NULL;
    memcpy(word, s, n);
    word[n] = 0;
    const char *near = hu_text_nearest(word, names);
    if (!near) return NULL;
    snprintf(best, sizeof best, "%s", near);
    return best;
}

/* What a value of o must be: "1 到 256 之间的整数", "html、markdown、none 之一" … */
static void expected(const hu_opt *o, hu_buf *b) {
    switch (o->kind) {
    case HU_OPT_FLAG:
        break;
    case HU_OPT_STRING:
    case HU_OPT_PATH:
        hu_buf_puts(b, o->metavar);
        break;
    case HU_OPT_INT:
        hu_buf_printf(b, "%ld 到 %ld 之间的整数", o->min, o->max);
        break;
    case HU_OPT_ENUM:
        choices_joined(o, "、", b);
        hu_buf_puts(b, " 之一");
        break;
    case HU_OPT_ENUM_LIST:
        choices_joined(o, "、", b);
        hu_buf_puts(b, " 中的一个或多个，用半角逗号分隔");
        break;
    case HU_OPT_KEY_PATH:
        hu_buf_printf(b, "%s，%s为 ", o->metavar, o->choice_noun);
        choices_joined(o, "、", b);
        hu_buf_puts(b, " 之一");
        break;
    }
    if (o->example) hu_buf_printf(b, "，如 %s", o->example);
}

/* ---------------------------------------------------------------- errors */

/* How much of s to quote in a message: at most about 60 bytes, cut at a character boundary. */
/* The length of s[0..n) cut to at most max bytes at a character boundary. */
static int cut_len(const char *s, size_t n, size_t max) {
    if (n <= max) return (int)n;
    return (int)hu_utf8_complete(s, max);
}

/* How much of s to quote in a message: all of it up to 64 bytes, else about 60. */
static int quote_len(const char *s) {
    size_t n = strlen(s);
    return n <= 64 ? (int)n : cut_len(s, n, 60);
}
#define Q(s) quote_len(s), (s)

/* "选项 -f 里有未知的输出格式“docx”，是否应为“xlsx”？" for s[0..n), a value or part of one. */
static int unknown_choice(hu_cli_args *a, const hu_opt *o, const char *spelled, const char *s,
                          size_t n);

static int fail(hu_cli_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(hu_cli_args *a, const char *fmt, ...) {
    hu_buf *b = &a->error;
    prog_name(a->cmd, b);
    hu_buf_puts(b, ": ");
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    hu_buf_puts(b, tmp);
    hu_buf_puts(b, "\n用 ");
    prog_name(a->cmd, b);
    hu_buf_puts(b, " --help 查看用法。\n");
    return HU_CLI_USAGE;
}

static int fail_value(hu_cli_args *a, const hu_opt *o, const char *spelled, const char *what) {
    hu_buf e = HU_BUF_INIT;
    expected(o, &e);
    const char *exp = hu_buf_cstr(&e);
    const char *sp = (unsigned char)exp[0] < 0x80 ? " " : ""; /* 应为 pdf… / 应为文件夹 */
    size_t n = strlen(what);
    bool question = n >= 3 && !strcmp(what + n - 3, "？");
    int rc = question ? fail(a, "选项 %s %s（应为%s%s）", spelled, what, sp, exp)
                      : fail(a, "选项 %s %s：应为%s%s", spelled, what, sp, exp);
    hu_buf_free(&e);
    return rc;
}

/* ---------------------------------------------------------------- values */

static int set_int(hu_cli_args *a, const hu_opt *o, const char *spelled, const char *v) {
    const char *p = v;
    if (*p == '-') p++;
    bool digits = *p != 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9') digits = false;
    char what[160];
    if (!digits) {
        snprintf(what, sizeof what, "的值“%.*s”不是整数", Q(v));
        return fail_value(a, o, spelled, what);
    }
    errno = 0;
    long n = strtol(v, NULL, 10);
    if (errno == ERANGE || n < o->min || n > o->max) {
        snprintf(what, sizeof what, "的值 %.*s 超出范围", Q(v));
        return fail_value(a, o, spelled, what);
    }
    a->opt[o->id].num = n;
    return HU_CLI_OK;
}

static int set_enum(hu_cli_args *a, const hu_opt *o, const char *spelled, const char *v) {
    int i = choice_find(o, v, strlen(v));
    if (i < 0) {
        return unknown_choice(a, o, spelled, v, strlen(v));
    }
    a->opt[o->id].num = i;
    return HU_CLI_OK;
}

static int unknown_choice(hu_cli_args *a, const hu_opt *o, const char *spelled, const char *s,
                          size_t n) {
    char item[80], what[300];
    snprintf(item, sizeof item, "%.*s", cut_len(s, n, 60), s);
    int k = (int)strlen(item);
    const char *near = choice_near(o, s, n);
    if (near)
        snprintf(what, sizeof what, "里有未知的%s“%.*s”，是否应为“%s”？", o->choice_noun, k, item,
                 near);
    else
        snprintf(what, sizeof what, "里有未知的%s“%.*s”", o->choice_noun, k, item);
    return fail_value(a, o, spelled, what);
}

static bool has_fullwidth_sep(const char *v) {
    return strstr(v, "，") || strstr(v, "、") || strstr(v, "＝") || strstr(v, "；");
}

static int set_list(hu_cli_args *a, const hu_opt *o, const char *spelled, const char *v) {
    if (has_fullwidth_sep(v))
        return fail_value(a, o, spelled, "的值里有全角标点，请用半角逗号“,”分隔");
    unsigned mask = 0;
    for (const char *p = v; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n) {
            int i = choice_find(o, p, n);
            if (i < 0) return unknown_choice(a, o, spelled, p, n);
            mask |= 1u << i;
        }
        p += n + (comma != NULL);
    }
    if (!mask) return fail_value(a, o, spelled, "的值为空");
    a->opt[o->id].mask = mask;
    return HU_CLI_OK;
}

static int set_keyed(hu_cli_args *a, const hu_opt *o, const char *spelled, const char *v) {
    const char *eq = strchr(v, '=');
    if (!eq) {
        char what[200];
        snprintf(what, sizeof what, "的值“%.*s”缺少“=”", Q(v));
        if (strstr(v, "＝")) snprintf(what, sizeof what, "的值里的“＝”应为半角的“=”");
        return fail_value(a, o, spelled, what);
    }
    size_t kn = (size_t)(eq - v);
    int k = kn ? choice_find(o, v, kn) : -1;
    if (!kn) {
        char what[200];
        snprintf(what, sizeof what, "的值“%.*s”缺少%s", Q(v), o->choice_noun);
        return fail_value(a, o, spelled, what);
    }
    if (k < 0) return unknown_choice(a, o, spelled, v, kn);
    if (!eq[1]) {
        char what[200];
        snprintf(what, sizeof what, "的值“%.*s”在“=”后面缺少文件", Q(v));
        return fail_value(a, o, spelled, what);
    }
    char **slot = &a->opt[o->id].keyed[k];
    hu_buf b = HU_BUF_INIT;
    if (*slot) hu_buf_printf(&b, "%s,", *slot);
    hu_buf_puts(&b, eq + 1);
    free(*slot);
    *slot = hu_buf_detach(&b);
    return HU_CLI_OK;
}

static int set_value(hu_cli_args *a, const hu_opt *o, const char *spelled, const char *v) {
    switch (o->kind) {
    case HU_OPT_FLAG:
        break;
    case HU_OPT_STRING:
    case HU_OPT_PATH:
        if (!*v) return fail_value(a, o, spelled, "的值为空");
        a->opt[o->id].str = v;
        break;
    case HU_OPT_INT:
        return set_int(a, o, spelled, v);
    case HU_OPT_ENUM:
        return set_enum(a, o, spelled, v);
    case HU_OPT_ENUM_LIST:
        return set_list(a, o, spelled, v);
    case HU_OPT_KEY_PATH:
        return set_keyed(a, o, spelled, v);
    }
    return HU_CLI_OK;
}

/* ---------------------------------------------------------------- lookup */

static const hu_opt *find_long(const hu_cmd *cmd, const char *name, size_t n) {
    for (const hu_opt_group *const *g = cmd->groups; *g; g++)
        for (const hu_opt_id *p = (*g)->opts; *p != HU_OPT_COUNT; p++)
            if (strlen(options[*p].name) == n && !memcmp(options[*p].name, name, n))
                return &options[*p];
    return NULL;
}

static const hu_opt *find_short(const hu_cmd *cmd, char c) {
    for (const hu_opt_group *const *g = cmd->groups; *g; g++)
        for (const hu_opt_id *p = (*g)->opts; *p != HU_OPT_COUNT; p++)
            if (c && options[*p].short_name == c) return &options[*p];
    return NULL;
}

/* The commands other than cmd that have an option, for "它是 huibao build 的选项". */
static void owners(const hu_cmd *cmd, const hu_opt *o, hu_buf *b) {
    const hu_cmd *all[HU_CMD_COUNT + 1];
    int n = 0;
    for (int i = 0; i < HU_CMD_COUNT; i++)
        if (!commands[i].hidden) all[n++] = &commands[i];
    all[n++] = &toplevel;
    bool first = true;
    for (int i = 0; i < n; i++) {
        if (all[i] == cmd || !hu_cli_cmd_has(all[i], o->id)) continue;
        if (!first) hu_buf_puts(b, "、");
        prog_name(all[i], b);
        first = false;
    }
}

/* "未知选项 --fromat，是否应为 --format？" and the like. spelled is the option as typed
 * (without any =value), name its long name or short letter without dashes. */
static int unknown_option(hu_cli_args *a, const char *spelled, const char *name, bool is_long) {
    const hu_cmd *cmd = a->cmd;
    const hu_opt *other = NULL;
    for (int i = 0; i < HU_OPT_COUNT && !other; i++)
        if (is_long ? !strcmp(options[i].name, name)
                    : (options[i].short_name && name[0] == options[i].short_name && !name[1]))
            other = &options[i];
    if (other) {
        hu_buf who = HU_BUF_INIT;
        owners(cmd, other, &who);
        int rc = cmd == &toplevel ? fail(a, "选项 %.*s 应写在命令名之后（它是 %s 的选项）",
                                         Q(spelled), hu_buf_cstr(&who))
                                  : fail(a, "本命令没有选项 %.*s（它是 %s 的选项）", Q(spelled),
                                         hu_buf_cstr(&who));
        hu_buf_free(&who);
        return rc;
    }
    const char *names[HU_OPT_COUNT + 1];
    int n = 0;
    for (const hu_opt_group *const *g = cmd->groups; *g; g++)
        for (const hu_opt_id *p = (*g)->opts; *p != HU_OPT_COUNT; p++)
            names[n++] = options[*p].name;
    names[n] = NULL;
    const char *near = is_long ? hu_text_nearest(name, names) : NULL;
    /* a prefix of exactly one option ("--hist") */
    if (is_long && !near && strlen(name) >= 2) {
        int hits = 0;
        for (int i = 0; i < n; i++)
            if (!strncmp(names[i], name, strlen(name))) hits++, near = names[i];
        if (hits != 1) near = NULL;
    }
    if (near) return fail(a, "未知选项 %.*s，是否应为 --%s？", Q(spelled), near);
    return fail(a, "未知选项 %.*s", Q(spelled));
}

/* An argument that starts with a full-width or Chinese dash (－ — –) and then names an option
 * of cmd: the IME typed the dashes. Returns the option's long name, else NULL. */
static const hu_opt *fullwidth_dash_option(const hu_cmd *cmd, const char *s) {
    static const char *const dashes[] = {"－", "—", "–", "‐", NULL};
    size_t skipped = 0;
    for (bool more = true; more;) {
        more = false;
        for (const char *const *d = dashes; *d; d++)
            if (!strncmp(s, *d, strlen(*d))) s += strlen(*d), skipped++, more = true;
        while (*s == '-')
            s++, skipped++, more = true;
    }
    if (!skipped || !*s) return NULL;
    size_t n = strcspn(s, "=＝");
    if (n == 1) return find_short(cmd, s[0]);
    return find_long(cmd, s, n);
}

/* ---------------------------------------------------------------- the parser */

static bool looks_like_option(const char *s) {
    return s[0] == '-' && s[1] && !(s[1] >= '0' && s[1] <= '9');
}

static int max_args(const hu_cmd *cmd, int *min) {
    int n = 0, m = 0;
    for (const hu_cmd_arg *p = cmd->args; p->metavar; p++) {
        if (p->many) n = INT_MAX;
        if (n != INT_MAX) n++;
        if (!p->optional) m++;
    }
    *min = m;
    return n;
}

static void args_synopsis(const hu_cmd *cmd, hu_buf *b) {
    for (const hu_cmd_arg *p = cmd->args; p->metavar; p++)
        hu_buf_printf(b, "%s%s%s%s%s", p == cmd->args ? "" : " ", p->optional ? "[" : "",
                      p->metavar, p->many ? "…" : "", p->optional ? "]" : "");
}

int hu_cli_parse(const hu_cmd *cmd, int argc, char *const *argv, hu_cli_args *a) {
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->pos = hu_xcalloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof *a->pos);
    bool can_help = hu_cli_cmd_has(cmd, HU_OPT_HELP);
    for (int i = 0; i < argc && can_help; i++) {
        if (!strcmp(argv[i], "--")) break;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            a->opt[HU_OPT_HELP].count = 1;
            return HU_CLI_HELP;
        }
    }
    bool ended = false;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (ended || arg[0] != '-' || !arg[1]) {
            const hu_opt *fw = ended ? NULL : fullwidth_dash_option(cmd, arg);
            if (fw)
                return fail(a, "“%.*s”开头的破折号是全角或中文的，选项应以半角“-”开头：--%s",
                            Q(arg), fw->name);
            a->pos[a->npos++] = argv[i];
            continue;
        }
        if (!strcmp(arg, "--")) {
            ended = true;
            continue;
        }
        const hu_opt *o;
        const char *value = NULL; /* attached: --name=value, -xvalue */
        char spelled[80];
        if (arg[1] == '-') {
            const char *name = arg + 2, *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);
            snprintf(spelled, sizeof spelled, "--%.*s", cut_len(name, n, 60), name);
            o = find_long(cmd, name, n);
            if (!o) {
                char bare[64];
                snprintf(bare, sizeof bare, "%.*s", cut_len(name, n, 63), name);
                return unknown_option(a, spelled, bare, true);
            }
            if (eq) value = eq + 1;
        } else {
            /* "-output": a long name behind one dash */
            const hu_opt *longish = arg[2] ? find_long(cmd, arg + 1, strcspn(arg + 1, "=")) : NULL;
            if (longish)
                return fail(a, "选项 %.*s 应写作 --%s（长选项用两个“-”）", Q(arg), longish->name);
            snprintf(spelled, sizeof spelled, "-%c", arg[1]);
            o = find_short(cmd, arg[1]);
            if (!o) {
                if ((unsigned char)arg[1] >= 0x80) return fail(a, "未知选项 %.*s", Q(arg));
                char bare[2] = {arg[1], 0};
                return unknown_option(a, spelled, bare, false);
            }
            if (arg[2]) {
                if (o->kind == HU_OPT_FLAG) {
                    bool all_flags = true;
                    for (const char *p = arg + 1; *p; p++) {
                        const hu_opt *f = find_short(cmd, *p);
                        if (!f || f->kind != HU_OPT_FLAG) all_flags = false;
                    }
                    if (all_flags) {
                        hu_buf sep = HU_BUF_INIT;
                        for (const char *p = arg + 1; *p; p++)
                            hu_buf_printf(&sep, "%s-%c", p == arg + 1 ? "" : " ", *p);
                        int rc = fail(a, "短选项不能合写：%.*s 请分开写作 %s", Q(arg),
                                      hu_buf_cstr(&sep));
                        hu_buf_free(&sep);
                        return rc;
                    }
                    return fail(a, "未知选项 %.*s（%s 不带值）", Q(arg), spelled);
                }
                value = arg + 2 + (arg[2] == '=');
            }
        }
        if (o->kind == HU_OPT_FLAG) {
            if (value) return fail(a, "选项 %s 不带值，请去掉“=%.*s”", spelled, Q(value));
        } else if (!value) {
            if (i + 1 >= argc || looks_like_option(argv[i + 1]) || !strcmp(argv[i + 1], "--"))
                return fail_value(a, o, spelled, "缺少值");
            value = argv[++i];
        }
        hu_opt_value *ov = &a->opt[o->id];
        if (!ov->all) {
            ov->all = hu_xcalloc((size_t)argc + 1, sizeof *ov->all);
        }
        ov->all[ov->count++] = value;
        int rc = value ? set_value(a, o, spelled, value) : HU_CLI_OK;
        if (rc != HU_CLI_OK) return rc;
    }
    int min, max = max_args(cmd, &min);
    if (a->npos < min) {
        if (cmd->missing_args) return fail(a, "%s", cmd->missing_args);
        hu_buf s = HU_BUF_INIT;
        args_synopsis(cmd, &s);
        int rc = fail(a, "缺少参数（应为 %s）", hu_buf_cstr(&s));
        hu_buf_free(&s);
        return rc;
    }
    if (a->npos > max) {
        hu_buf s = HU_BUF_INIT;
        args_synopsis(cmd, &s);
        int rc =
            max ? fail(a, "参数过多：“%.*s”是多余的（应为 %s）", Q(a->pos[max]), hu_buf_cstr(&s))
                : fail(a, "多余的参数“%.*s”（本命令不接受参数）", Q(a->pos[max]));
        hu_buf_free(&s);
        return rc;
    }
    return HU_CLI_OK;
}

void hu_cli_args_free(hu_cli_args *a) {
    for (int i = 0; i < HU_OPT_COUNT; i++) {
        for (int k = 0; k < HU_CLI_MAX_CHOICES; k++)
            free(a->opt[i].keyed[k]);
        free(a->opt[i].all);
    }
    free(a->pos);
    hu_buf_free(&a->error);
    memset(a, 0, sizeof *a);
}

/* ---------------------------------------------------------------- help */

/* Terminal columns of a character: 2 for East Asian wide and full-width ones, else 1.
 * Quotes, dashes and the ellipsis are ambiguous (1 in most terminals). */
static int cp_columns(uint32_t cp) {
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    return wide ? 2 : 1;
}

static int columns(const char *s) {
    int w = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += hu_utf8_decode(s + i, n - i, &cp);
        w += cp_columns(cp);
    }
    return w;
}

/* Line-breaking classes for help text: no line starts with a closing mark, none ends with an
 * opening one (禁则), and Latin words are not split. */
static bool closing(uint32_t cp) {
    if (cp < 0x80) return cp && strchr(",.;:!?)]}", (int)cp);
    return cp == 0xFF0C || cp == 0x3002 || cp == 0x3001 || cp == 0xFF1B || cp == 0xFF1A ||
           cp == 0xFF1F || cp == 0xFF01 || cp == 0xFF09 || cp == 0x201D || cp == 0x2019 ||
           cp == 0x300B || cp == 0x300D || cp == 0x2026;
}
static bool opening(uint32_t cp) {
    return cp == '(' || cp == '[' || cp == 0xFF08 || cp == 0x201C || cp == 0x2018 || cp == 0x300A ||
           cp == 0x300C;
}

#define HELP_WIDTH 80

/* Write s[0..n) (one paragraph, no '\n') wrapped to width columns; every line after the first
 * is indented by indent spaces. */
static void wrap(FILE *out, const char *s, size_t n, int width, int indent) {
    if (width < 20) width = 20;
    size_t start = 0;
    while (start < n) {
        int w = 0;
        size_t i = start, brk = 0, next = 0; /* brk: end of the line, next: start of the next */
        uint32_t prev = 0;
        while (i < n) {
            uint32_t cp;
            size_t k = hu_utf8_decode(s + i, n - i, &cp);
            bool can = i > start && ((prev == ' ' && cp != ' ') ||
                                     ((cp_columns(prev) == 2 || cp_columns(cp) == 2) &&
                                      !closing(cp) && !opening(prev) && cp != ' '));
            if (can) {
                brk = i;
                next = i;
                while (brk > start && s[brk - 1] == ' ')
                    brk--;
            }
            if (w + cp_columns(cp) > width && brk > start) break;
            w += cp_columns(cp);
            prev = cp;
            i += k;
        }
        if (i >= n) brk = next = n;
        fwrite(s + start, 1, brk - start, out);
        fputc('\n', out);
        start = next;
        if (start < n) fprintf(out, "%*s", indent, "");
    }
}

/* "-o, --output 文件夹" */
static void opt_left(const hu_opt *o, hu_buf *b) {
    if (o->short_name)
        hu_buf_printf(b, "-%c, ", o->short_name);
    else
        hu_buf_puts(b, "    ");
    hu_buf_printf(b, "--%s", o->name);
    if (o->kind == HU_OPT_ENUM) {
        hu_buf_putc(b, ' ');
        choices_joined(o, "|", b);
    } else if (o->kind == HU_OPT_ENUM_LIST) {
        hu_buf_putc(b, ' ');
        choices_joined(o, ",", b);
    } else if (o->kind != HU_OPT_FLAG) {
        hu_buf_printf(b, " %s", o->metavar);
    }
}

#define HELP_INDENT 2
#define HELP_MAX_LEFT 31

/* One entry: left column, then the help text, its continuation lines aligned. */
static void entry(FILE *out, const char *left, const char *help, int col) {
    int w = columns(left);
    fprintf(out, "%*s%s", HELP_INDENT, "", left);
    if (w > col) {
        fputc('\n', out);
        w = -HELP_INDENT;
    }
    fprintf(out, "%*s", col - w + 2, "");
    int indent = HELP_INDENT + col + 2;
    for (const char *p = help; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        wrap(out, p, n, HELP_WIDTH - indent, indent);
        if (!nl) break;
        p = nl + 1;
        fprintf(out, "%*s", indent, "");
    }
}

void hu_cli_usage(const hu_cmd *cmd, FILE *out) {
    hu_buf b = HU_BUF_INIT;
    prog_name(cmd, &b);
    fprintf(out, "用法：%s [选项]", hu_buf_cstr(&b));
    hu_buf_clear(&b);
    args_synopsis(cmd, &b);
    fprintf(out, "%s%s\n", b.len ? " " : "", hu_buf_cstr(&b));
    if (cmd->description) {
        fputc('\n', out);
        for (const char *p = cmd->description; *p;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            wrap(out, p, n, HELP_WIDTH, 0);
            if (!nl) break;
            p = nl + 1;
        }
    }

    int col = 0;
    for (const hu_cmd_arg *p = cmd->args; p->metavar; p++) {
        int w = columns(p->metavar);
        if (w > col && w <= HELP_MAX_LEFT) col = w;
    }
    for (const hu_opt_group *const *g = cmd->groups; *g; g++)
        for (const hu_opt_id *p = (*g)->opts; *p != HU_OPT_COUNT; p++) {
            hu_buf_clear(&b);
            opt_left(&options[*p], &b);
            int w = columns(hu_buf_cstr(&b));
            if (w > col && w <= HELP_MAX_LEFT) col = w;
        }
    if (cmd->args[0].metavar) {
        fputs("\n参数：\n", out);
        for (const hu_cmd_arg *p = cmd->args; p->metavar; p++)
            entry(out, p->metavar, p->help, col);
    }
    for (const hu_opt_group *const *g = cmd->groups; *g; g++) {
        fprintf(out, "\n%s：\n", (*g)->title);
        for (const hu_opt_id *p = (*g)->opts; *p != HU_OPT_COUNT; p++) {
            hu_buf_clear(&b);
            opt_left(&options[*p], &b);
            entry(out, hu_buf_cstr(&b), options[*p].help, col);
        }
    }
    fprintf(out, "\n%s", exit_statuses);
    hu_buf_free(&b);
}

void hu_cli_overview(FILE *out) {
    fputs("huibao（汇报）：把一个月的结构化数据生成正式的工作情况汇报。\n\n"
          "用法：huibao 命令 [选项] [参数…]\n\n命令：\n",
          out);
    int col = 0;
    for (int i = 0; i < HU_CMD_COUNT; i++) {
        int w = columns(commands[i].name);
        if (!commands[i].hidden && w > col) col = w;
    }
    for (int i = 0; i < HU_CMD_COUNT; i++)
        if (!commands[i].hidden) entry(out, commands[i].name, commands[i].summary, col);
    fputs("\n  huibao 命令 --help   查看该命令的参数和选项\n"
          "  huibao --version     显示版本号\n\n",
          out);
    fputs(exit_statuses, out);
    fputs("详见 README.md 与 docs/input.md。\n", out);
}

void hu_cli_unknown_command(const char *name, hu_buf *out) {
    const char *names[HU_CMD_COUNT + 2];
    int n = 0;
    for (int i = 0; i < HU_CMD_COUNT; i++)
        if (!commands[i].hidden) names[n++] = commands[i].name;
    names[n++] = "help";
    names[n] = NULL;
    const char *near = hu_text_nearest(name, names);
    hu_buf_printf(out, "huibao: 未知命令“%.*s”", Q(name));
    if (near) hu_buf_printf(out, "，是否应为“%s”？", near);
    hu_buf_puts(out, "\n可用的命令：");
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], "help")) hu_buf_printf(out, "%s%s", i ? "、" : "", names[i]);
    hu_buf_puts(out, "。用 huibao --help 查看用法。\n");
}

/* ---------------------------------------------------------------- the spec as JSON */

static const char *kind_name(hu_opt_kind k) {
    static const char *const names[] = {"flag", "string",    "path",    "integer",
                                        "enum", "enum-list", "key-path"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static void json_cmd(hu_buf *b, const hu_cmd *cmd) {
    hu_buf_puts(b, "{\"name\": ");
    hu_buf_put_json(b, cmd->name);
    hu_buf_puts(b, ", \"summary\": ");
    hu_buf_put_json(b, cmd->summary);
    hu_buf_puts(b, ", \"description\": ");
    hu_buf_put_json(b, cmd->description);
    hu_buf_printf(b, ", \"hidden\": %s,\n     \"args\": [", cmd->hidden ? "true" : "false");
    for (const hu_cmd_arg *p = cmd->args; p->metavar; p++) {
        hu_buf_puts(b, p == cmd->args ? "{\"metavar\": " : ", {\"metavar\": ");
        hu_buf_put_json(b, p->metavar);
        hu_buf_printf(
            b, ", \"kind\": \"%s\", \"optional\": %s, \"many\": %s, \"help\": ", kind_name(p->kind),
            p->optional ? "true" : "false", p->many ? "true" : "false");
        hu_buf_put_json(b, p->help);
        hu_buf_putc(b, '}');
    }
    hu_buf_puts(b, "],\n     \"groups\": [");
    for (const hu_opt_group *const *g = cmd->groups; *g; g++) {
        hu_buf_puts(b, g == cmd->groups ? "{\"title\": " : ", {\"title\": ");
        hu_buf_put_json(b, (*g)->title);
        hu_buf_puts(b, ", \"options\": [");
        for (const hu_opt_id *p = (*g)->opts; *p != HU_OPT_COUNT; p++) {
            if (p != (*g)->opts) hu_buf_puts(b, ", ");
            hu_buf_put_json(b, options[*p].name);
        }
        hu_buf_puts(b, "]}");
    }
    hu_buf_puts(b, "]}");
}

void hu_cli_spec_json(FILE *out) {
    hu_buf b = HU_BUF_INIT;
    hu_buf_puts(&b, "{\"program\": \"huibao\", \"version\": \"" HU_VERSION "\",\n");
    hu_buf_puts(&b, " \"exit_statuses\": ");
    hu_buf_put_json(&b, exit_statuses);
    hu_buf_puts(&b, ",\n \"toplevel\": ");
    json_cmd(&b, &toplevel);
    hu_buf_puts(&b, ",\n \"commands\": [\n    ");
    for (int i = 0; i < HU_CMD_COUNT; i++) {
        if (i) hu_buf_puts(&b, ",\n    ");
        json_cmd(&b, &commands[i]);
    }
    hu_buf_puts(&b, "],\n \"options\": [\n    ");
    for (int i = 0; i < HU_OPT_COUNT; i++) {
        const hu_opt *o = &options[i];
        if (i) hu_buf_puts(&b, ",\n    ");
        hu_buf_puts(&b, "{\"name\": ");
        hu_buf_put_json(&b, o->name);
        char s[2] = {o->short_name, 0};
        hu_buf_puts(&b, ", \"short\": ");
        if (o->short_name)
            hu_buf_put_json(&b, s);
        else
            hu_buf_puts(&b, "null");
        hu_buf_printf(&b, ", \"kind\": \"%s\", \"metavar\": ", kind_name(o->kind));
        if (o->metavar)
            hu_buf_put_json(&b, o->metavar);
        else
            hu_buf_puts(&b, "null");
        hu_buf_puts(&b, ", \"choices\": [");
        for (int k = 0; o->choices && o->choices[k]; k++) {
            if (k) hu_buf_puts(&b, ", ");
            hu_buf_puts(&b, "{\"name\": ");
            hu_buf tmp = HU_BUF_INIT;
            choice_name(o, k, &tmp);
            hu_buf_put_json(&b, hu_buf_cstr(&tmp));
            hu_buf_free(&tmp);
            hu_buf_puts(&b, ", \"aliases\": [");
            const char *bar = strchr(o->choices[k], '|');
            for (bool first = true; bar; first = false) {
                const char *next = strchr(bar + 1, '|');
                size_t n = next ? (size_t)(next - bar - 1) : strlen(bar + 1);
                char *al = hu_strndup(bar + 1, n);
                if (!first) hu_buf_puts(&b, ", ");
                hu_buf_put_json(&b, al);
                free(al);
                bar = next;
            }
            hu_buf_puts(&b, "]}");
        }
        hu_buf_puts(&b, "], \"choice_noun\": ");
        if (o->choice_noun)
            hu_buf_put_json(&b, o->choice_noun);
        else
            hu_buf_puts(&b, "null");
        if (o->kind == HU_OPT_INT)
            hu_buf_printf(&b, ", \"min\": %ld, \"max\": %ld", o->min, o->max);
        hu_buf_printf(&b, ", \"repeatable\": %s, \"help\": ", o->repeatable ? "true" : "false");
        hu_buf_put_json(&b, o->help);
        hu_buf_puts(&b, ", \"example\": ");
        if (o->example)
            hu_buf_put_json(&b, o->example);
        else
            hu_buf_puts(&b, "null");
        hu_buf_putc(&b, '}');
    }
    hu_buf_puts(&b, "]}\n");
    fwrite(b.data, 1, b.len, out);
    hu_buf_free(&b);
}

/* ---------------------------------------------------------------- to the pipeline */

void hu_cli_font_specs(const hu_cli_args *a, const char *spec[HU_ROLE_COUNT]) {
    for (int r = 0; r < HU_ROLE_COUNT; r++)
        spec[r] = r < HU_CLI_MAX_CHOICES ? a->opt[HU_OPT_FONT].keyed[r] : NULL;
}

void hu_cli_build_opts(const hu_cli_args *a, hu_build_opts *o) {
    hu_build_opts_default(o);
    const hu_opt_value *v = a->opt;
    if (v[HU_OPT_OUTPUT].count) o->outdir = v[HU_OPT_OUTPUT].str;
    if (v[HU_OPT_FORMAT].count) o->formats = v[HU_OPT_FORMAT].mask;
    if (v[HU_OPT_TEMPLATE].count) o->template_name = v[HU_OPT_TEMPLATE].str;
    if (v[HU_OPT_HISTORY].count) o->history_dir = v[HU_OPT_HISTORY].str;
    hu_cli_font_specs(a, o->font_spec);
    if (v[HU_OPT_STRICT].count) o->strict = true;
    if (v[HU_OPT_NO_SUBSET].count) o->subset = false;
    if (v[HU_OPT_JOBS].count) o->jobs = (int)v[HU_OPT_JOBS].num;
    if (v[HU_OPT_DEPFILE].count) o->depfile = v[HU_OPT_DEPFILE].str;
    if (v[HU_OPT_QUIET].count) o->quiet = true;
}
