/* input.c - validate a loaded YAML/JSON tree into the report model.
 *
 * Every check reports and goes on, so one run shows every problem of a file. Unknown keys are
 * errors (a typo must never silently drop content) with a "did you mean" for near misses. */
#include "input.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fields.h"
#include "fileio.h"
#include "figures.h"
#include "numtext.h"
#include "textclean.h"
#include "utf8.h"

typedef struct ctx {
    hu_arena *a;
    hu_diags *d;
    const char *file;
    int month; /* the period's month once read (0 before), for messages */
} ctx;

#define ERR(c, v, path, ...)                                                                       \
    hu_error((c)->d, (c)->file, (v) ? (v)->line : 0, (v) ? (v)->col : 0, path, __VA_ARGS__)

/* ---------------------------------------------------------------- helpers */

/* Check that map only has known keys (fields.c); report the others with a suggestion. */
static void check_keys(ctx *c, const hu_value *map, const char *path, const hu_field *known) {
    size_t nk = 0;
    for (const hu_field *p = known; p->key; p++)
        nk++;
    const char **names = NULL;
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i];
        if (hu_field_find(known, k)) continue;
        if (!names) { /* the did-you-mean candidates, built at the first unknown key */
            size_t w = 0;
            names = hu_arena_alloc(c->a, (nk + 1) * sizeof *names);
            for (const hu_field *p = known; p->key; p++)
                if (p->type != HU_F_IGNORED) names[w++] = p->key;
            names[w] = NULL;
        }
        const char *best = hu_text_nearest(k, names);
        char *fp =
            path && *path ? hu_arena_printf(c->a, "%s.%s", path, k) : hu_arena_strdup(c->a, k);
        /* the key sits one line-col before its value; the value's location is close enough
         * for block style and exact for flow style keys on one line */
        const hu_value *v = map->items[i];
        if (best)
            ERR(c, v, fp, "未知的字段“%s”，是否应为“%s”？", k, best);
        else {
            char list[512] = "";
            for (const hu_field *p = known; p->key; p++) {
                if (p->type == HU_F_IGNORED) continue;
                if (strlen(list) + strlen(p->key) + 3 >= sizeof list) break;
                if (*list) strcat(list, "、");
                strcat(list, p->key);
            }
            ERR(c, v, fp, "未知的字段“%s”（可用的字段：%s）", k, list);
        }
    }
}

/* A short, printable rendering of what was found, for "expected X, found Y". */
static const char *found(ctx *c, const hu_value *v) {
    if (!v) return "（缺失）";
    switch (v->kind) {
    case HU_V_STR: {
        if (v->len <= 40) return hu_arena_printf(c->a, "文本 \"%s\"", v->str);
        /* cut on a code point boundary */
        size_t k = 0, cps = 0;
        uint32_t cp;
        while (k < v->len && cps < 20)
            k += hu_utf8_decode(v->str + k, v->len - k, &cp), cps++;
        return hu_arena_printf(c->a, "文本 \"%.*s…\"", (int)k, v->str);
    }
    case HU_V_NUM:
        return hu_arena_printf(c->a, "数字 %s", v->str);
    case HU_V_BOOL:
        return v->b ? "true" : "false";
    case HU_V_NULL:
        return "空值";
    case HU_V_LIST:
        return "列表";
    case HU_V_MAP:
        return "映射（键: 值）";
    }
    return "?";
}

/* "- 主要做法: 按照要求": the ": " in a sentence made YAML read a one-entry map. True (and
 * reported) when v is such a map: one key with Chinese in it, its value text or empty. */
static bool colon_split(ctx *c, const hu_value *v, const char *path) {
    if (!v || v->kind != HU_V_MAP || v->n != 1) return false;
    const hu_value *val = v->items[0];
    if (val->kind != HU_V_STR && val->kind != HU_V_NULL && val->kind != HU_V_NUM) return false;
    bool cjk = false;
    for (const char *k = v->keys[0]; *k; k++)
        if ((unsigned char)*k >= 0x80) cjk = true;
    if (!cjk) return false;
    ERR(c, v, path,
        "“%s: %s”中的“: ”（英文冒号加空格）使 YAML 把这段文字读成了“字段: 值”：请改为中文冒号“：”，"
        "或给整段文字加引号",
        v->keys[0], val->kind == HU_V_NULL ? "" : val->str);
    return true;
}

/* "title：主要工作" where a map was expected: a field name typed with a full-width colon (or
 * with no blank after ':'). True (and reported) when the text starts with one of known. */
static bool fw_key(ctx *c, const hu_value *v, const char *path, const hu_field *known) {
    if (!v || v->kind != HU_V_STR) return false;
    for (const hu_field *f = known; f->key; f++) {
        const char *const *k = &f->key;
        size_t n = strlen(*k);
        if (strncmp(v->str, *k, n)) continue;
        const char *p = v->str + n;
        while (*p == ' ')
            p++;
        if (!strncmp(p, "：", strlen("："))) {
            const char *val = p + strlen("：");
            while (*val == ' ' || !strncmp(val, "\u3000", strlen("\u3000")))
                val += *val == ' ' ? 1 : strlen("\u3000");
            ERR(c, v, path,
                "“%s”后面是全角冒号“：”：字段名和值之间要用半角冒号加空格，请改为“%s: %s”", *k, *k,
                val);
            return true;
        }
        if (*p == ':' && p[1] && p[1] != ' ') {
            ERR(c, v, path, "“%s:”后面缺少空格：请改为“%s: %s”", *k, *k, p + 1);
            return true;
        }
    }
    return false;
}

/* The paths of fields ("sections[2].sections[1].text") are made for every field a file has,
 * also when nothing is wrong (they are kept for later messages): by hand, because through
 * hu_arena_printf they were three quarters of validating a month (a batch's parent validates
 * every month of every folder before the fork). */
static char *subpath(ctx *c, const char *path, const char *key) {
    if (!path || !*path) return hu_arena_strdup(c->a, key);
    size_t np = strlen(path), nk = strlen(key);
    char *s = hu_arena_alloc(c->a, np + nk + 2);
    memcpy(s, path, np);
    s[np] = '.';
    memcpy(s + np + 1, key, nk + 1);
    return s;
}

/* path "[i]", as printf's "%s[%zu]" */
static char *subindex(ctx *c, const char *path, size_t i) {
    if (!path) path = "(null)";
    char num[24], *e = num + sizeof num, *q = e;
    *--q = 0;
    *--q = ']';
    do
        *--q = (char)('0' + i % 10);
    while (i /= 10);
    *--q = '[';
    size_t np = strlen(path), nn = (size_t)(e - q);
    char *s = hu_arena_alloc(c->a, np + nn);
    memcpy(s, path, np);
    memcpy(s + np, q, nn);
    return s;
}

/* Text field: must be a non-empty string when present; required ones report absence. */
static const char *get_text(ctx *c, const hu_value *map, const char *key, const char *path,
                            bool required, hu_loc *loc) {
    hu_value *v = hu_v_get(map, key);
    char *fp = subpath(c, path, key);
    if (!v || v->kind == HU_V_NULL) {
        if (required) ERR(c, map, fp, "缺少必填字段“%s”", key);
        return NULL;
    }
    if (v->kind != HU_V_STR) {
        if (!colon_split(c, v, fp)) ERR(c, v, fp, "应为文本，实际为%s", found(c, v));
        return NULL;
    }
    const char *s = v->str;
    size_t k = 0;
    while (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r')
        k++;
    if (!s[k]) {
        if (required) ERR(c, v, fp, "不能为空");
        return NULL;
    }
    for (size_t i = 0; i < v->len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') {
            ERR(c, v, fp, "含有不可见的控制字符 0x%02X", ch);
            return NULL;
        }
    }
    if (loc) *loc = (hu_loc){c->file, v->line, v->col};
    return s;
}

/* Normalise the decimal text of a number so analytics can parse it as [-]digits[.digits]. */
static const char *decimal_text(ctx *c, const hu_value *v) {
    const char *t = v->str;
    if (v->num == 0) return "0";
    const char *p = t + (*t == '+' || *t == '-');
    bool plain = true;
    for (const char *q = p; *q; q++)
        if (!((*q >= '0' && *q <= '9') || *q == '.')) plain = false;
    if (plain && *p && *p != '.') return *t == '+' ? t + 1 : t;
    /* exponent, hex, octal or ".5": reformat; values are bounded by HU_MAX_ABS below */
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.9f", v->num);
    char *e = tmp + strlen(tmp) - 1;
    while (*e == '0')
        *e-- = 0;
    if (*e == '.') *e = 0;
    return hu_arena_strdup(c->a, tmp);
}

#define HU_MAX_ABS 1e15 /* no report figure is larger; bigger ones are typos */

/* A figure. Text in a number field goes through the shared reader (numtext.h): a form with one
 * reading (23,420.5; full-width digits; "125.6亿" in an 亿元 indicator; "12.5%" for a rate; a
 * quoted number) is taken with a warning that says what was read; anything else is an error
 * that says what to write. unit and rate are the indicator's, for figures written with one. */
static hu_num get_num(ctx *c, const hu_value *map, const char *key, const char *path, bool required,
                      const char *unit, bool rate) {
    hu_num n = {0};
    hu_value *v = hu_v_get(map, key);
    char *fp = subpath(c, path, key);
    if (!v || v->kind == HU_V_NULL) {
        if (required) ERR(c, map, fp, "缺少必填字段“%s”（应为数字）", key);
        return n;
    }
    if (v->kind == HU_V_STR) {
        hu_numtext t;
        switch (hu_numtext_number(v->str, v->len, unit, rate, &t)) {
        case HU_NUMTEXT_REFUSED:
            ERR(c, v, fp, "应为数字；%s", t.msg);
            return n;
        case HU_NUMTEXT_OK:
            hu_warn(c->d, c->file, v->line, v->col, fp, "数字不必加引号：“%s”已按数字 %s 读取",
                    v->str, t.text);
            break;
        case HU_NUMTEXT_CONVERTED:
            hu_warn(c->d, c->file, v->line, v->col, fp, "%s%s", t.msg,
                    v->quoted ? "（数字也不必加引号）" : "");
            break;
        }
        if (fabs(t.value) > HU_MAX_ABS) {
            ERR(c, v, fp, "数值 %s 超出允许范围（绝对值不超过 10^15）", t.text);
            return n;
        }
        n.set = true;
        n.v = t.value == 0 ? 0 : t.value;
        n.text = hu_arena_strdup(c->a, t.text);
        n.loc = (hu_loc){c->file, v->line, v->col};
        return n;
    }
    if (v->kind != HU_V_NUM) {
        ERR(c, v, fp, "应为数字，实际为%s", found(c, v));
        return n;
    }
    if (!isfinite(v->num) || fabs(v->num) > HU_MAX_ABS) {
        ERR(c, v, fp, "数值 %s 超出允许范围（绝对值不超过 10^15）", v->str);
        return n;
    }
    n.set = true;
    n.v = v->num == 0 ? 0 : v->num; /* no -0.0 */
    n.text = decimal_text(c, v);
    n.loc = (hu_loc){c->file, v->line, v->col};
    return n;
}

static bool get_bool(ctx *c, const hu_value *map, const char *key, const char *path) {
    hu_value *v = hu_v_get(map, key);
    if (!v || v->kind == HU_V_NULL) return false;
    if (v->kind != HU_V_BOOL) {
        ERR(c, v, subpath(c, path, key), "应为 true 或 false，实际为%s", found(c, v));
        return false;
    }
    return v->b;
}

static hu_text *get_text_list(ctx *c, const hu_value *map, const char *key, const char *path,
                              size_t *count) {
    *count = 0;
    hu_value *v = hu_v_get(map, key);
    char *fp = subpath(c, path, key);
    if (!v || v->kind == HU_V_NULL) return NULL;
    if (v->kind == HU_V_STR) { /* a single string is a list of one */
        if (!v->len) {
            ERR(c, v, fp, "不能为空");
            return NULL;
        }
        hu_text *t = hu_arena_alloc(c->a, sizeof *t);
        t->s = v->str;
        t->loc = (hu_loc){c->file, v->line, v->col};
        *count = 1;
        return t;
    }
    if (v->kind != HU_V_LIST) {
        ERR(c, v, fp, "应为文本列表，实际为%s", found(c, v));
        return NULL;
    }
    hu_text *t = hu_arena_alloc(c->a, (v->n ? v->n : 1) * sizeof *t);
    size_t k = 0;
    for (size_t i = 0; i < v->n; i++) {
        hu_value *it = v->items[i];
        char *ip = subindex(c, fp, i);
        if (it->kind != HU_V_STR) {
            if (!colon_split(c, it, ip)) ERR(c, it, ip, "应为文本，实际为%s", found(c, it));
            continue;
        }
        if (!it->len) {
            ERR(c, it, ip, "不能为空");
            continue;
        }
        t[k].s = it->str;
        t[k].loc = (hu_loc){c->file, it->line, it->col};
        k++;
    }
    *count = k;
    return t;
}

/* ---------------------------------------------------------------- indicators */

static void load_indicator(ctx *c, hu_value *v, const char *path, hu_indicator *ind) {
    ind->path = path;
    ind->loc = (hu_loc){c->file, v->line, v->col};
    ind->decimals = -1;
    if (v->kind != HU_V_MAP) {
        if (!fw_key(c, v, path, hu_indicator_fields))
            ERR(c, v, path, "指标应为映射（name、unit、value 等字段），实际为%s", found(c, v));
        return;
    }
    check_keys(c, v, path, hu_indicator_fields);
    ind->name = get_text(c, v, "name", path, true, NULL);
    ind->unit = get_text(c, v, "unit", path, false, NULL);
    if (!ind->unit) ind->unit = "";
    hu_value *k = hu_v_get(v, "kind");
    ind->kind = HU_IND_AMOUNT;
    ind->profit = HU_PROFIT_BY_NAME;
    if (k && k->kind != HU_V_NULL) {
        if (k->kind == HU_V_STR && !strcmp(k->str, "rate"))
            ind->kind = HU_IND_RATE;
        else if (k->kind == HU_V_STR && !strcmp(k->str, "profit"))
            ind->profit = HU_PROFIT_YES;
        else if (k->kind == HU_V_STR && !strcmp(k->str, "amount"))
            ind->profit = HU_PROFIT_NO;
        else
            ERR(c, k, subpath(c, path, "kind"),
                "应为 amount（数量）、profit（盈亏：利润等，负值为亏损）或 rate（比率），实际为%s",
                found(c, k));
    }
    bool rate = ind->kind == HU_IND_RATE;
    hu_value *vv = hu_v_get(v, "value");
    if (vv && vv->kind == HU_V_NULL) /* `value:` left empty, as `huibao new` writes it */
        ERR(c, vv, subpath(c, path, "value"), "“%s”的本期数尚未填写：请在 value: 后面填写%s%s",
            ind->name ? ind->name : "",
            c->month > 1    ? hu_arena_printf(c->a, "1—%d月", c->month)
            : c->month == 1 ? "1月"
                            : "本期（1—N月）",
            rate            ? "的比率（不带 %）"
            : c->month == 1 ? "的数"
                            : "累计数");
    else
        ind->value = get_num(c, v, "value", path, true, ind->unit, rate);
    ind->last_year = get_num(c, v, "last_year", path, false, ind->unit, rate);
    ind->last_month = get_num(c, v, "last_month", path, false, ind->unit, rate);
    ind->target = get_num(c, v, "target", path, false, ind->unit, rate);
    ind->approx = get_bool(c, v, "approx", path);
    ind->unchanged = get_bool(c, v, "unchanged", path);
    ind->note = get_text(c, v, "note", path, false, NULL);
    hu_value *dv = hu_v_get(v, "decimals");
    if (dv && dv->kind != HU_V_NULL) {
        if (dv->kind != HU_V_NUM || dv->num != floor(dv->num) || dv->num < 0 || dv->num > 6)
            ERR(c, dv, subpath(c, path, "decimals"), "应为 0 到 6 的整数，实际为%s", found(c, dv));
        else
            ind->decimals = (int)dv->num;
    }
}

/* What holds for indicators wherever they were read from (the file or a workbook). */
static void check_indicators(ctx *c, const hu_report *r) {
    for (size_t i = 0; i < r->nindicators; i++) {
        const hu_indicator *ind = &r->indicators[i];
        if (ind->target.set && ind->target.v <= 0)
            hu_error(c->d, ind->target.loc.file, ind->target.loc.line, ind->target.loc.col,
                     subpath(c, ind->path, "target"), "年度目标应为正数，实际为 %s",
                     ind->target.text);
        for (size_t j = 0; j < i; j++) {
            const hu_indicator *o = &r->indicators[j];
            if (!ind->name || !o->name || strcmp(ind->name, o->name) != 0) continue;
            if (o->loc.line)
                hu_error(c->d, ind->loc.file, ind->loc.line, ind->loc.col, ind->path,
                         "指标名称“%s”与第 %d 行的指标重复", ind->name, o->loc.line);
            else
                hu_error(c->d, ind->loc.file, 0, 0, NULL, "指标名称“%s”与%s的指标重复", ind->name,
                         o->loc.file);
            break;
        }
    }
}

/* `indicators: 2026-10-指标.xlsx`: the figures are in a workbook or CSV beside the input. */
static void load_figures_file(ctx *c, hu_report *r, const hu_value *iv) {
    const char *name = iv->str;
    size_t n = strlen(name);
    if (!hu_figures_is_file(name)) {
        static const char *const other[] = {".xls",     ".et",  ".ods", ".xlsm", ".xlsb",
                                            ".numbers", ".wps", ".txt", NULL};
        for (int i = 0; other[i]; i++) {
            size_t m = strlen(other[i]);
            if (n > m && !strcasecmp(name + n - m, other[i])) {
                ERR(c, iv, "indicators",
                    "不能直接读取 %s 文件“%s”：请在 Excel 或 WPS 中另存为 Excel 工作簿（.xlsx）或 "
                    "CSV，再写新的文件名",
                    other[i], name);
                return;
            }
        }
        ERR(c, iv, "indicators",
            "应为指标列表，或填有指标的工作簿文件名（.xlsx 或 .csv，如 "
            "2026-10-指标.xlsx），实际为%s",
            found(c, iv));
        return;
    }
    /* relative to the input file's folder */
    const char *slash = strrchr(c->file, '/');
    const char *path =
        name[0] == '/' || !slash
            ? hu_arena_strdup(c->a, name)
            : hu_arena_printf(c->a, "%.*s/%s", (int)(slash - c->file), c->file, name);
    if (!hu_file_is_regular(path)) {
        ERR(c, iv, "indicators", "找不到工作簿“%s”（按输入文件所在的文件夹查找：%s）", name, path);
        return;
    }
    r->figures_file = path;
    hu_figures_load(c->a, path, r->month, &r->indicators, &r->nindicators, c->d);
}

/* ---------------------------------------------------------------- sections */

/* cmark-gfm keeps a container per nesting level and re-walks the open ones for every line:
 * 40 KB of "- - - …" or "> > > …" on one line took 1.6 GB and ended in an abort inside
 * cmark. No report nests lists or quotes more than a few levels; the limit is checked here, so
 * that `huibao check` refuses what the build could not typeset. Only container markers at a
 * line's start count: indentation alone cannot nest deeply without a quadratic file size. */
#define HU_MAX_MD_NESTING 32

static void check_md_nesting(ctx *c, const hu_value *v, const char *path) {
    int lineno = 1;
    for (const char *p = v->str; p && *p; lineno++) {
        int depth = 0;
        const char *q = p;
        for (;;) {
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q == '>') {
                q++;
            } else if ((*q == '-' || *q == '*' || *q == '+') && (q[1] == ' ' || q[1] == '\t')) {
                q += 2;
            } else {
                const char *r = q;
                while (*r >= '0' && *r <= '9' && r - q < 9)
                    r++;
                if (r == q || (*r != '.' && *r != ')') || (r[1] != ' ' && r[1] != '\t')) break;
                q = r + 2;
            }
            if (++depth > HU_MAX_MD_NESTING) {
                ERR(c, v, path,
                    "第 %d 行的列表或引用嵌套超过 %d 层（行首连续的“- ”“> ”“1. ”各算一层），"
                    "请减少嵌套，或在行首的符号前加反斜杠 \\ 使其按文字显示",
                    lineno, HU_MAX_MD_NESTING);
                return;
            }
        }
        p = strchr(q, '\n');
        if (p) p++;
    }
}

static void load_sections(ctx *c, hu_value *list, const char *path, int level, hu_section **out,
                          size_t *nout);

static void load_section(ctx *c, hu_value *v, const char *path, int level, hu_section *s) {
    s->level = level;
    s->path = path;
    s->loc = (hu_loc){c->file, v->line, v->col};
    if (v->kind == HU_V_STR) {
        /* a paragraph without a heading, at any level: a short month's report is often
         * nothing else */
        if (fw_key(c, v, path, hu_section_fields)) return;
        if (!v->str[strspn(v->str, " \t\r\n")]) {
            ERR(c, v, path, "这一部分是空的文字：请写上内容，或删去这一项");
            return;
        }
        s->plain = true;
        s->text = v->str;
        s->text_loc = s->loc;
        check_md_nesting(c, v, path);
        return;
    }
    if (v->kind != HU_V_MAP) {
        ERR(c, v, path, "部分应为映射（title、text、points…）或一段文本，实际为%s", found(c, v));
        return;
    }
    if (v->n == 1 && !hu_v_get(v, "title") && !hu_v_get(v, "text") && !hu_v_get(v, "points") &&
        !hu_v_get(v, "highlights") && !hu_v_get(v, "sections") && colon_split(c, v, path))
        return;
    check_keys(c, v, path, hu_section_fields);
    s->title_loc = s->text_loc = s->loc;
    s->title = get_text(c, v, "title", path, level == 1, &s->title_loc);
    size_t mark = 0, ord = s->title ? hu_text_ordinal_len(s->title, &mark) : 0;
    if (ord) {
        /* Titles pasted from last month's Word file often keep their "一、": the template
         * numbers sections itself, so the report would read "一、一、主要工作情况". */
        hu_warn(c->d, c->file, s->title_loc.line, s->title_loc.col, subpath(c, path, "title"),
                "标题开头的序号“%.*s”已去掉：序号由模板按层次自动编排", (int)mark, s->title);
        s->title += ord;
    }
    s->text = get_text(c, v, "text", path, false, &s->text_loc);
    if (s->text) check_md_nesting(c, hu_v_get(v, "text"), subpath(c, path, "text"));
    s->points = get_text_list(c, v, "points", path, &s->npoints);
    s->highlights = get_text_list(c, v, "highlights", path, &s->nhighlights);
    hu_value *sub = hu_v_get(v, "sections");
    if (sub && sub->kind != HU_V_NULL) {
        char *sp = subpath(c, path, "sections");
        if (level >= HU_MAX_SECTION_DEPTH)
            ERR(c, sub, sp, "层次过深：最多 %d 级（一、（一）1.（1））", HU_MAX_SECTION_DEPTH);
        else
            load_sections(c, sub, sp, level + 1, &s->sections, &s->nsections);
    }
    if (!s->title && !s->text && !s->npoints && !s->nsections)
        ERR(c, v, path, "这一部分没有内容（title、text、points、sections 都为空）");
}

static void load_sections(ctx *c, hu_value *list, const char *path, int level, hu_section **out,
                          size_t *nout) {
    *out = NULL;
    *nout = 0;
    if (list->kind != HU_V_LIST) {
        ERR(c, list, path, "应为列表，实际为%s", found(c, list));
        return;
    }
    if (list->n > HU_MAX_SECTIONS) {
        ERR(c, list, path, "部分过多（%zu 个，上限 %d）", (size_t)list->n, HU_MAX_SECTIONS);
        return;
    }
    *out = hu_arena_alloc(c->a, (list->n ? list->n : 1) * sizeof **out);
    for (size_t i = 0; i < list->n; i++)
        load_section(c, list->items[i], subindex(c, path, i), level, &(*out)[i]);
    *nout = list->n;
}

/* ---------------------------------------------------------------- top level */

/* Resource bounds on text. Typesetting costs about a hundred bytes of memory per byte of text
 * (glyph boxes, break opportunities, shaping buffers), so one runaway field — a whole document
 * pasted into `text`, a generated paragraph with no line breaks — could exhaust a small office
 * PC. The limits are far above any real monthly report (1 MB is some 330,000 Chinese
 * characters, a few hundred pages) and give a clear error instead. v is a map or a list (the
 * root is a map by the time this runs). */
static void check_text_sizes(ctx *c, const hu_value *v, const char *path, size_t *total) {
    for (size_t i = 0; i < v->n; i++) {
        const hu_value *it = v->items[i];
        if (it->kind == HU_V_STR) *total += it->len;
        bool big = it->kind == HU_V_STR && it->len > HU_MAX_TEXT_BYTES;
        if (!big && it->kind != HU_V_MAP && it->kind != HU_V_LIST) continue;
        /* the path is built only for containers and for the error */
        const char *p = v->kind == HU_V_MAP ? subpath(c, path, v->keys[i]) : subindex(c, path, i);
        if (big)
            ERR(c, it, p, "文本过长（%.1f MB），单个字段不能超过 %d MB；请拆分为多个部分或改为附件",
                it->len / 1048576.0, HU_MAX_TEXT_BYTES >> 20);
        else
            check_text_sizes(c, it, p, total);
    }
}

hu_report *hu_input_from_value(hu_arena *a, hu_value *root, const char *file, hu_diags *d) {
    ctx C = {a, d, file, 0}, *c = &C;
    size_t before = d->errors;
    if (root->kind != HU_V_MAP) {
        ERR(c, root, NULL, "文件顶层应为映射（title: …、org: … 等字段），实际为%s", found(c, root));
        return NULL;
    }
    hu_report *r = hu_arena_alloc(a, sizeof *r);
    r->file = file;
    r->root = root;
    check_keys(c, root, "", hu_report_fields);
    size_t text_bytes = 0, errors_before_sizes = d->errors;
    check_text_sizes(c, root, "", &text_bytes);
    if (text_bytes > HU_MAX_REPORT_TEXT_BYTES && d->errors == errors_before_sizes)
        ERR(c, root, NULL,
            "全部文本合计 %.1f MB，超过 %d MB 的上限；请把材料拆成几份报告或改为附件",
            text_bytes / 1048576.0, HU_MAX_REPORT_TEXT_BYTES >> 20);
    r->title = get_text(c, root, "title", "", true, NULL);
    r->org = get_text(c, root, "org", "", true, NULL);
    /* A title is typeset in 2号 on a few centred lines and written into the PDF's metadata,
     * which libharu caps at 65,535 bytes (a 21,800-character title failed there, after check
     * had passed it). Real titles stay under 80 characters, organ names under 40. */
    static const struct {
        const char *key;
        size_t max;
    } short_fields[] = {{"title", 500}, {"org", 200}};
    for (size_t i = 0; i < sizeof short_fields / sizeof *short_fields; i++) {
        const hu_value *fv = hu_v_get(root, short_fields[i].key);
        size_t n = fv && fv->kind == HU_V_STR ? hu_utf8_count(fv->str, fv->len) : 0;
        if (n > short_fields[i].max)
            ERR(c, fv, short_fields[i].key, "过长（%zu 个字），不能超过 %zu 个字；请精简", n,
                short_fields[i].max);
    }
    r->to = get_text(c, root, "to", "", false, NULL);
    r->preamble = get_text(c, root, "preamble", "", false, NULL);
    r->closing = get_text(c, root, "closing", "", false, NULL);
    r->template_name = get_text(c, root, "template", "", false, NULL);
    /* A NAME or a folder path, as -t takes (template.h decides and says what was searched);
     * only what no folder name can hold is refused here. */
    const hu_value *tv = hu_v_get(root, "template");
    if (tv && tv->kind == HU_V_STR) {
        bool bad = tv->len == 0;
        for (size_t i = 0; i < tv->len && !bad; i++)
            bad = (unsigned char)tv->str[i] < 0x20 || tv->str[i] == 0x7f;
        if (bad)
            ERR(c, tv, "template",
                "模板应写模板名（如 monthly、我局月报）或模板文件夹的路径（如 ./模板/我局月报），"
                "不能为空，也不能含换行等控制字符");
    }

    hu_value *pv = hu_v_get(root, "period");
    if (!pv || pv->kind == HU_V_NULL) {
        ERR(c, root, "period", "缺少必填字段“period”（统计期，格式 YYYY-MM，如 2026-10）");
    } else {
        /* 2026.10 arrives as a number; its text is kept as written */
        hu_datetext t;
        if (pv->kind != HU_V_STR && pv->kind != HU_V_NUM)
            ERR(c, pv, "period", "应为 YYYY-MM 格式的年月（如 2026-10），实际为%s", found(c, pv));
        else if (hu_numtext_period(pv->str, pv->len, &t) == HU_NUMTEXT_REFUSED)
            ERR(c, pv, "period", "%s", t.msg);
        else {
            if (t.status == HU_NUMTEXT_CONVERTED)
                hu_warn(d, file, pv->line, pv->col, "period", "%s", t.msg);
            r->year = t.year, r->month = t.month, r->period = hu_arena_strdup(a, t.text);
            c->month = t.month;
        }
    }
    hu_value *dv = hu_v_get(root, "date");
    if (dv && dv->kind != HU_V_NULL) {
        hu_datetext t;
        if (dv->kind != HU_V_STR && dv->kind != HU_V_NUM)
            ERR(c, dv, "date",
                "应为 YYYY-MM-DD 格式的有效日期（成文日期，如 2026-11-05），实际为%s",
                found(c, dv));
        else if (hu_numtext_date(dv->str, dv->len, &t) == HU_NUMTEXT_REFUSED)
            ERR(c, dv, "date", "%s", t.msg);
        else {
            if (t.status == HU_NUMTEXT_CONVERTED)
                hu_warn(d, file, dv->line, dv->col, "date", "%s", t.msg);
            r->has_date = true, r->date_y = t.year, r->date_m = t.month, r->date_d = t.day;
        }
    }

    hu_value *iv = hu_v_get(root, "indicators");
    if (iv && iv->kind == HU_V_STR) {
        load_figures_file(c, r, iv);
    } else if (iv && iv->kind != HU_V_NULL) {
        if (iv->kind != HU_V_LIST) {
            ERR(c, iv, "indicators", "应为指标列表，实际为%s", found(c, iv));
        } else if (iv->n > HU_MAX_INDICATORS) {
            ERR(c, iv, "indicators", "指标过多（%zu 个，上限 %d 个）", (size_t)iv->n,
                HU_MAX_INDICATORS);
        } else {
            r->indicators = hu_arena_alloc(a, (iv->n ? iv->n : 1) * sizeof *r->indicators);
            r->nindicators = iv->n;
            for (size_t i = 0; i < iv->n; i++)
                load_indicator(c, iv->items[i], subindex(c, "indicators", i), &r->indicators[i]);
        }
    }
    check_indicators(c, r);
    hu_value *sv = hu_v_get(root, "sections");
    if (sv && sv->kind != HU_V_NULL)
        load_sections(c, sv, "sections", 1, &r->sections, &r->nsections);

    size_t natt = 0;
    hu_text *att = get_text_list(c, root, "attachments", "", &natt);
    if (natt) {
        r->attachments = hu_arena_alloc(a, natt * sizeof *r->attachments);
        for (size_t i = 0; i < natt; i++)
            r->attachments[i] = (hu_attachment){att[i].s, att[i].loc};
        r->nattachments = natt;
    }
    return d->errors > before ? NULL : r;
}

hu_report *hu_input_load(hu_arena *a, const char *path, hu_diags *d) {
    hu_value *root = hu_value_load_file(a, path, path, d);
    if (!root) return NULL;
    return hu_input_from_value(a, root, hu_arena_strdup(a, path), d);
}
