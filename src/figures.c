/* figures.c - indicators from a workbook or CSV (figures.h). */
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "numtext.h"
#include "sheet.h"
#include "textclean.h"
#include "utf8.h"

/* ---------------------------------------------------------------- the columns */

#define DERIVED HU_FIG_NCOLS /* a column huibao computes: passed over */

static const struct {
    int field;
    const char *names; /* the first is what huibao writes */
} COLS[] = {
    {HU_FIG_NAME, "指标|指标名称"},
    {HU_FIG_UNIT, "单位|计量单位"},
    {HU_FIG_VALUE, "本期|本期数|本期累计"},
    {HU_FIG_LAST_MONTH, "上月累计|上月累计数"},
    {HU_FIG_LAST_YEAR, "上年同期|上年同期数|去年同期"},
    {HU_FIG_TARGET, "年度目标|全年目标|年度任务"},
    {HU_FIG_KIND, "类型"},
    {HU_FIG_DECIMALS, "小数位|小数位数"},
    {HU_FIG_APPROX, "约数"},
    {HU_FIG_UNCHANGED, "本月无变化"},
    {HU_FIG_NOTE, "备注"},
    {DERIVED, "序号|增减额|同比|当月值|环比|完成率|序时进度差|图表：指标|图表：同比"},
};
#define NCOLDEFS (sizeof COLS / sizeof *COLS)

const char *hu_figures_header(hu_figcol c) {
    static char names[HU_FIG_NCOLS][32];
    for (size_t i = 0; i < NCOLDEFS; i++)
        if (COLS[i].field == (int)c) {
            size_t n = strcspn(COLS[i].names, "|");
            snprintf(names[c], sizeof names[c], "%.*s", (int)n, COLS[i].names);
            return names[c];
        }
    return "";
}

bool hu_figures_is_file(const char *name) {
    size_t n = strlen(name);
    return (n > 5 && !strcasecmp(name + n - 5, ".xlsx")) ||
           (n > 4 && !strcasecmp(name + n - 4, ".csv"));
}

/* A header as compared: no blanks (a header wrapped over two lines, padded with full-width
 * spaces), no period in brackets at its end ("本期(1—10月)"), no colon. *bracket gets what the
 * brackets held (may be NULL). */
static char *norm_header(hu_arena *a, const char *s, const char **bracket) {
    hu_buf b = HU_BUF_INIT;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = hu_utf8_decode(s + i, n - i, &cp);
        if (!(cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 || cp == 0xA0))
            hu_buf_put(&b, s + i, k);
        i += k;
    }
    char *t = hu_arena_strdup(a, hu_buf_cstr(&b));
    hu_buf_free(&b);
    if (bracket) *bracket = NULL;
    size_t L = strlen(t);
    const char *close = NULL, *open = NULL;
    if (L && t[L - 1] == ')')
        close = t + L - 1, open = strrchr(t, '(');
    else if (L >= 3 && !strcmp(t + L - 3, "）")) {
        close = t + L - 3;
        for (char *p = t; (p = strstr(p, "（")) != NULL; p += 3)
            open = p;
    }
    if (open && open > t && open < close) {
        if (bracket)
            *bracket = hu_arena_strndup(a, open + (*open == '(' ? 1 : 3),
                                        (size_t)(close - open) - (*open == '(' ? 1 : 3));
        t[open - t] = 0;
        L = strlen(t);
    }
    while (L && t[L - 1] == ':')
        t[--L] = 0;
    if (L >= 3 && !strcmp(t + L - 3, "：")) t[L - 3] = 0;
    return t;
}

static int column_of(const char *h) {
    for (size_t i = 0; i < NCOLDEFS; i++)
        for (const char *p = COLS[i].names; *p;) {
            size_t n = strcspn(p, "|");
            if (strlen(h) == n && !strncmp(h, p, n)) return COLS[i].field;
            p += n + (p[n] == '|');
        }
    return -1;
}

/* ---------------------------------------------------------------- reading */

typedef struct fctx {
    hu_arena *a;
    hu_diags *d;
    const hu_sheet *s;
    int col[HU_FIG_NCOLS];
    /* notes gathered over the sheet, said once */
    hu_buf textnum;
    int ntextnum;
    hu_buf external;
    int nexternal;
    int month; /* the report's, 0 unknown */
} fctx;

static const hu_cell *at(fctx *f, int r, hu_figcol c) {
    return f->col[c] >= 0 ? hu_sheet_cell(f->s, r, f->col[c]) : NULL;
}

static const char *where(fctx *f, int r, hu_figcol c) {
    return hu_sheet_where(f->a, f->s, r, f->col[c]);
}

static bool is_empty(const hu_cell *c) {
    return !c || c->kind == HU_CELL_EMPTY;
}

/* The cell as a message quotes it. */
static const char *shown(fctx *f, const hu_cell *c) {
    switch (c->kind) {
    case HU_CELL_TEXT: {
        size_t n = strlen(c->text), k = 0, cps = 0;
        uint32_t cp;
        while (k < n && cps < 30)
            k += hu_utf8_decode(c->text + k, n - k, &cp), cps++;
        return hu_arena_printf(f->a, "文本“%.*s%s”", (int)k, c->text, k < n ? "…" : "");
    }
    case HU_CELL_NUMBER:
        return c->date ? hu_arena_printf(f->a, "日期 %s（单元格是日期格式）", c->text)
                       : hu_arena_printf(f->a, "数字 %s", c->text);
    case HU_CELL_BOOL:
        return hu_arena_printf(f->a, "逻辑值 %s", c->text);
    case HU_CELL_ERROR:
        return hu_arena_printf(f->a, "错误值 %s", c->text);
    default:
        return "空单元格";
    }
}

/* A cell that holds no usable value at all: an error value or a formula without result. */
static bool unusable(fctx *f, const hu_cell *c, const char *loc) {
    if (c->kind == HU_CELL_NOVALUE) {
        hu_error(f->d, loc, 0, 0, NULL,
                 "公式“=%s”没有保存计算结果（程序生成的工作簿常见），不能当作 0：请在 Excel、WPS "
                 "或 LibreOffice 中打开并保存一次，或直接填写数字",
                 c->formula);
        return true;
    }
    if (c->kind == HU_CELL_ERROR) {
        hu_error(f->d, loc, 0, 0, NULL, "单元格是错误值 %s%s：请改正%s或直接填写数字", c->text,
                 c->formula ? "（公式计算出错）" : "", c->formula ? "公式" : "");
        return true;
    }
    return false;
}

static void note_external(fctx *f, int r, hu_figcol col, const hu_cell *c) {
    if (!c->external) return;
    char ref[16];
    if (f->nexternal++ < 3)
        hu_buf_printf(&f->external, "%s%s", f->external.len ? "、" : "",
                      hu_sheet_ref(r, f->col[col], ref));
}

/* Text: a name, unit or note. Control characters other than tab and line feed go (an Excel
 * escape such as _x000D_ is a carriage return). */
static const char *read_text(fctx *f, int r, hu_figcol col, const char *what) {
    const hu_cell *c = at(f, r, col);
    if (is_empty(c)) return NULL;
    const char *loc = where(f, r, col);
    if (unusable(f, c, loc)) return NULL;
    if (c->kind == HU_CELL_BOOL || (c->kind == HU_CELL_NUMBER && c->date)) {
        hu_error(f->d, loc, 0, 0, NULL, "%s应为文字，实际为%s", what, shown(f, c));
        return NULL;
    }
    note_external(f, r, col, c);
    const char *t = c->kind == HU_CELL_NUMBER ? hu_cell_decimal(f->a, c, false) : c->text;
    hu_buf b = HU_BUF_INIT;
    for (const char *p = t; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '\r') {
            if (p[1] != '\n') hu_buf_putc(&b, '\n');
        } else if (ch >= 0x20 || ch == '\t' || ch == '\n') {
            hu_buf_putc(&b, (char)ch);
        }
    }
    /* trimmed: a cell padded with blanks reads as its text */
    const char *s = hu_buf_cstr(&b);
    size_t a0 = strspn(s, " \t\n"), L = strlen(s);
    while (L > a0 && strchr(" \t\n", s[L - 1]))
        L--;
    char *out = hu_arena_strndup(f->a, s + a0, L - a0);
    hu_buf_free(&b);
    return *out ? out : NULL;
}

#define MAX_ABS 1e15 /* as input.c: no report figure is larger */

/* A figure, through the shared reader. */
static hu_num read_num(fctx *f, int r, hu_figcol col, const char *unit, bool rate) {
    hu_num n = {0};
    const hu_cell *c = at(f, r, col);
    if (is_empty(c)) return n;
    const char *loc = where(f, r, col);
    if (unusable(f, c, loc)) return n;
    note_external(f, r, col, c);
    hu_numtext t;
    if (c->kind == HU_CELL_NUMBER && !c->date) {
        bool pct_unit = rate || (unit && !strcmp(unit, "%"));
        if (c->percent && !pct_unit) {
            hu_error(f->d, loc, 0, 0, NULL,
                     "单元格是百分比格式（显示为 %s%%），而指标单位是“%s”：请把单元格改为常规或数值"
                     "格式，或把单位改为 %%",
                     hu_cell_decimal(f->a, c, true), unit && *unit ? unit : "（空）");
            return n;
        }
        const char *text = hu_cell_decimal(f->a, c, c->percent);
        if (hu_numtext_cell(text, strlen(text), NULL, false, &t) == HU_NUMTEXT_REFUSED) {
            hu_error(f->d, loc, 0, 0, NULL, "数字 %s 不是有效的统计数：%s", text, t.msg);
            return n;
        }
    } else if (c->kind == HU_CELL_TEXT) {
        hu_numtext_status st = hu_numtext_cell(c->text, strlen(c->text), unit, rate, &t);
        if (st == HU_NUMTEXT_REFUSED) {
            hu_error(f->d, loc, 0, 0, NULL, "应为数字，实际为%s：%s", shown(f, c), t.msg);
            return n;
        }
        /* a number typed as text (the green triangle in Excel) reads as the number */
        char ref[16];
        if (f->ntextnum++ < 3)
            hu_buf_printf(&f->textnum, "%s%s“%s”→ %s", f->textnum.len ? "、" : "",
                          hu_sheet_ref(r, f->col[col], ref), c->text, t.text);
    } else {
        hu_error(f->d, loc, 0, 0, NULL, "应为数字，实际为%s", shown(f, c));
        return n;
    }
    if (fabs(t.value) > MAX_ABS) {
        hu_error(f->d, loc, 0, 0, NULL, "数值 %s 超出允许范围（绝对值不超过 10^15）", t.text);
        return n;
    }
    n.set = true;
    n.v = t.value == 0 ? 0 : t.value;
    n.text = hu_arena_strdup(f->a, t.text);
    n.loc = (hu_loc){loc, 0, 0};
    return n;
}

/* 是/否 and the ways people write them. -1 when unreadable (reported), 0 or 1. */
static int read_flag(fctx *f, int r, hu_figcol col) {
    const hu_cell *c = at(f, r, col);
    if (is_empty(c)) return 0;
    const char *loc = where(f, r, col);
    if (unusable(f, c, loc)) return -1;
    if (c->kind == HU_CELL_BOOL ||
        (c->kind == HU_CELL_NUMBER && !c->date && (!strcmp(c->text, "0") || !strcmp(c->text, "1"))))
        return c->num != 0;
    static const char *const yes[] = {"是",  "√",    "✓",    "✔",    "Y", "y",  "yes", "Yes",
                                      "YES", "true", "TRUE", "True", "1", "约", NULL};
    static const char *const no[] = {"否",    "×",     "N",     "n", "no", "No", "NO",
                                     "false", "FALSE", "False", "0", "-",  "—",  NULL};
    if (c->kind == HU_CELL_TEXT) {
        const char *t = read_text(f, r, col, "");
        if (!t) return 0;
        for (int i = 0; yes[i]; i++)
            if (!strcmp(t, yes[i])) return 1;
        for (int i = 0; no[i]; i++)
            if (!strcmp(t, no[i])) return 0;
    }
    hu_error(f->d, loc, 0, 0, NULL, "应填“是”或空着，实际为%s", shown(f, c));
    return -1;
}

/* The 本期 header's period ("1—10月") against the report's month: a workbook of last month
 * named by this month's input is the copy-last-month mistake. */
static void check_header_period(fctx *f, int r, const char *bracket, int month) {
    if (!bracket || month < 1) return;
    /* the last number before "月" */
    int last = -1;
    for (const char *p = bracket; *p; p++)
        if (*p >= '0' && *p <= '9') {
            int v = 0;
            const char *q = p;
            while (*q >= '0' && *q <= '9' && v < 100)
                v = v * 10 + (*q++ - '0');
            if (!strncmp(q, "月", strlen("月"))) last = v;
            p = q - 1;
        }
    if (last >= 1 && last <= 12 && last != month)
        hu_warn(f->d, where(f, r, HU_FIG_VALUE), 0, 0, NULL,
                "“本期”列的表头写的是“%s”，而这份报告是 %d 月的：是否用了别的月份的工作簿？",
                bracket, month);
}

/* Names that start a footnote under the table, not an indicator. */
static bool footnote(const char *name) {
    static const char *const starts[] = {
        "注：", "注:", "注 ", "说明：", "说明:", "资料来源", "数据来源", "填报", "制表", NULL};
    for (int i = 0; starts[i]; i++)
        if (!strncmp(name, starts[i], strlen(starts[i]))) return true;
    return !strcmp(name, "注");
}

bool hu_figures_load(hu_arena *a, const char *path, int month, hu_indicator **out, size_t *nout,
                     hu_diags *d) {
    *out = NULL;
    *nout = 0;
    size_t errors = d->errors;
    bool fallback = false;
    const hu_sheet *s = hu_sheet_load(a, path, HU_FIGURES_SHEET, &fallback, d);
    if (!s) return false;
    if (fallback)
        hu_diag_add(d, HU_NOTE, path, 0, 0, NULL,
                    "工作簿中没有名为“%s”的工作表，读取了唯一的工作表“%s”", HU_FIGURES_SHEET,
                    s->name);
    fctx F = {a, d, s, {0}, HU_BUF_INIT, 0, HU_BUF_INIT, 0, month}, *f = &F;

    /* the header: the first row (of the first 30) with both 指标 and 本期 */
    int header = -1, name_only = -1;
    const char *bracket[HU_SHEET_MAX_COLS] = {0};
    for (int r = 0; r < s->nrows && r < 30 && header < 0; r++) {
        size_t n;
        const hu_cell *row = hu_sheet_row(s, r, &n);
        bool has_name = false, has_value = false;
        for (size_t i = 0; i < n; i++) {
            if (row[i].kind != HU_CELL_TEXT) continue;
            int k = column_of(norm_header(a, row[i].text, NULL));
            has_name |= k == HU_FIG_NAME;
            has_value |= k == HU_FIG_VALUE;
        }
        if (has_name && has_value) header = r;
        if (has_name && name_only < 0) name_only = r;
    }
    const char *sheet_label =
        s->csv ? hu_arena_strdup(a, path) : hu_arena_printf(a, "%s 工作表“%s”", path, s->name);
    if (header < 0) {
        if (name_only >= 0)
            hu_error(d, hu_sheet_where(a, s, name_only, -1), 0, 0, NULL,
                     "表头缺少“本期”列：请把填写本期数（1—N月累计）的那一列的表头写作“本期”");
        else
            hu_error(d, sheet_label, 0, 0, NULL,
                     "找不到表头：前 30 行中应有一行同时有“指标”和“本期”两列（列的顺序不限，"
                     "其他列见 docs/input.md）");
        return false;
    }
    for (int c = 0; c < HU_FIG_NCOLS; c++)
        f->col[c] = -1;
    size_t n;
    const hu_cell *hrow = hu_sheet_row(s, header, &n);
    hu_buf ignored = HU_BUF_INIT;
    const char *known[NCOLDEFS * 4 + 1];
    size_t nk = 0;
    for (size_t i = 0; i < NCOLDEFS; i++) {
        for (const char *p = COLS[i].names; *p && nk < NCOLDEFS * 4;) {
            size_t L = strcspn(p, "|");
            known[nk++] = hu_arena_strndup(a, p, L);
            p += L + (p[L] == '|');
        }
    }
    known[nk] = NULL;
    for (size_t i = 0; i < n; i++) {
        const hu_cell *c = &hrow[i];
        if (c->kind != HU_CELL_TEXT) continue;
        const char *br;
        const char *h = norm_header(a, c->text, &br);
        int k = column_of(h);
        if (k < 0) {
            const char *near = hu_text_nearest(h, known);
            char ref[16];
            hu_buf_printf(&ignored, "%s%s“%s”%s%s%s", ignored.len ? "、" : "",
                          hu_sheet_ref(header, c->col, ref), c->text, near ? "（是否应为“" : "",
                          near ? near : "", near ? "”？）" : "");
            continue;
        }
        if (k == DERIVED) continue;
        if (f->col[k] >= 0) {
            char ref[16];
            hu_error(d, hu_sheet_where(a, s, header, c->col), 0, 0, NULL,
                     "表头“%s”重复：%s 列已经是“%s”，请删去或改名其中一列", c->text,
                     hu_sheet_ref(header, f->col[k], ref), hu_figures_header((hu_figcol)k));
            continue;
        }
        f->col[k] = c->col;
        if (c->col < HU_SHEET_MAX_COLS) bracket[c->col] = br;
    }
    if (ignored.len)
        hu_diag_add(d, HU_NOTE, hu_sheet_where(a, s, header, -1), 0, 0, NULL,
                    "这些列不是指标表的列，没有读取：%s", hu_buf_cstr(&ignored));
    hu_buf_free(&ignored);
    if (s->cut_cols)
        hu_diag_add(d, HU_NOTE, sheet_label, 0, 0, NULL, "第 %d 列以后的内容没有读取",
                    HU_SHEET_MAX_COLS);
    if (d->errors > errors) return false;
    check_header_period(f, header, bracket[f->col[HU_FIG_VALUE]], month);

    /* the rows */
    size_t cap = 16, count = 0;
    hu_indicator *inds = hu_arena_alloc(a, cap * sizeof *inds);
    for (int r = header + 1; r < s->nrows; r++) {
        static const hu_figcol figs[] = {HU_FIG_VALUE, HU_FIG_LAST_MONTH, HU_FIG_LAST_YEAR,
                                         HU_FIG_TARGET};
        bool any_fig = false;
        for (size_t k = 0; k < sizeof figs / sizeof *figs; k++)
            any_fig |= !is_empty(at(f, r, figs[k]));
        const hu_cell *nc = at(f, r, HU_FIG_NAME);
        const char *name = read_text(f, r, HU_FIG_NAME, "指标名称");
        if (!name) {
            if (any_fig && is_empty(nc)) {
                hu_error(d, where(f, r, HU_FIG_NAME), 0, 0, NULL,
                         "这一行填了数字，但没有指标名称：请在“指标”列填写名称，或删去这一行");
            }
            continue;
        }
        if (!any_fig && footnote(name)) continue;
        if (count >= HU_MAX_INDICATORS) {
            hu_error(d, sheet_label, 0, 0, NULL, "指标过多（超过 %d 个）", HU_MAX_INDICATORS);
            break;
        }
        if (count == cap) {
            inds = hu_arena_grow(a, inds, count, cap * 2, sizeof *inds);
            cap *= 2;
        }
        hu_indicator *ind = &inds[count];
        memset(ind, 0, sizeof *ind);
        ind->name = name;
        ind->path = hu_arena_printf(a, "indicators[%zu]", count);
        ind->loc = (hu_loc){hu_sheet_where(a, s, r, -1), 0, 0};
        ind->decimals = -1;
        ind->unit = read_text(f, r, HU_FIG_UNIT, "单位");
        if (!ind->unit) ind->unit = "";
        ind->kind = HU_IND_AMOUNT;
        const hu_cell *kc = at(f, r, HU_FIG_KIND);
        if (!is_empty(kc)) {
            const char *k = read_text(f, r, HU_FIG_KIND, "类型");
            if (k && (!strcmp(k, "比率") || !strcmp(k, "rate")))
                ind->kind = HU_IND_RATE;
            else if (k && (!strcmp(k, "盈亏") || !strcmp(k, "profit")))
                ind->profit = HU_PROFIT_YES;
            else if (k && (!strcmp(k, "数量") || !strcmp(k, "amount")))
                ind->profit = HU_PROFIT_NO;
            else
                hu_error(d, where(f, r, HU_FIG_KIND), 0, 0, NULL,
                         "类型应为“数量”“盈亏”（利润等，负值为亏损）或“比率”（比率按百分点比较），"
                         "实际为%s",
                         shown(f, kc));
        }
        bool rate = ind->kind == HU_IND_RATE;
        ind->value = read_num(f, r, HU_FIG_VALUE, ind->unit, rate);
        if (!ind->value.set && is_empty(at(f, r, HU_FIG_VALUE)))
            hu_error(d, where(f, r, HU_FIG_VALUE), 0, 0, NULL,
                     "“%s”的本期数尚未填写：请在“本期”列填写%s%s", name,
                     f->month > 1    ? hu_arena_printf(a, "1—%d月", f->month)
                     : f->month == 1 ? "1月"
                                     : "本期（1—N月）",
                     rate            ? "的比率"
                     : f->month == 1 ? "的数"
                                     : "累计数");
        ind->last_month = read_num(f, r, HU_FIG_LAST_MONTH, ind->unit, rate);
        ind->last_year = read_num(f, r, HU_FIG_LAST_YEAR, ind->unit, rate);
        ind->target = read_num(f, r, HU_FIG_TARGET, ind->unit, rate);
        int ap = read_flag(f, r, HU_FIG_APPROX), un = read_flag(f, r, HU_FIG_UNCHANGED);
        ind->approx = ap > 0;
        ind->unchanged = un > 0;
        ind->note = read_text(f, r, HU_FIG_NOTE, "备注");
        const hu_cell *dc = at(f, r, HU_FIG_DECIMALS);
        if (!is_empty(dc) && !unusable(f, dc, where(f, r, HU_FIG_DECIMALS))) {
            const char *t = dc->kind == HU_CELL_NUMBER && !dc->date ? dc->text
                            : dc->kind == HU_CELL_TEXT              ? dc->text
                                                                    : "";
            char *end;
            long v = strtol(t, &end, 10);
            if (!*t || *end || v < 0 || v > 6)
                hu_error(d, where(f, r, HU_FIG_DECIMALS), 0, 0, NULL,
                         "小数位应为 0 到 6 的整数，实际为%s", shown(f, dc));
            else
                ind->decimals = (int)v;
        }
        count++;
    }
    if (f->ntextnum && !s->csv) /* in a CSV every figure is text */
        hu_diag_add(d, HU_NOTE, sheet_label, 0, 0, NULL,
                    "%d 个单元格中的数字是文字格式，已按数字读取：%s%s", f->ntextnum,
                    hu_buf_cstr(&f->textnum), f->ntextnum > 3 ? " 等" : "");
    if (f->nexternal)
        hu_diag_add(d, HU_NOTE, sheet_label, 0, 0, NULL,
                    "%d 个单元格的公式引用其他工作簿（%s%s）：huibao 不打开外部文件，读取的是保存时"
                    "的计算结果",
                    f->nexternal, hu_buf_cstr(&f->external), f->nexternal > 3 ? " 等" : "");
    hu_buf_free(&f->textnum);
    hu_buf_free(&f->external);
    if (!count && d->errors == errors)
        hu_error(d, sheet_label, 0, 0, NULL, "表头（第 %d 行）下面没有指标：请在表头下逐行填写指标",
                 header + 1);
    if (d->errors > errors) return false;
    *out = inds;
    *nout = count;
    return true;
}
