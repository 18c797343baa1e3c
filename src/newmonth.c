/* newmonth.c - `huibao new`: the next month's input from the latest earlier one (newmonth.h). */
#include "newmonth.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "arena.h"
#include "atomic.h"
#include "buf.h"
#include "error.h"
#include "figures.h"
#include "fileio.h"
#include "input.h"
#include "manifest.h"
#include "numtext.h"
#include "paths.h"
#include "period.h"
#include "value.h"
#include "xlsxlib.h"
#include "yamlout.h"

/* ---------------------------------------------------------------- the months of a folder */

typedef struct monthfile {
    const char *path;
    int y, m;
    const char *org; /* NULL when the file gives none */
} monthfile;

static int cmp_str(const void *x, const void *y) {
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static const char *join(hu_arena *a, const char *dir, const char *name) {
    size_t n = strlen(dir);
    if (!strcmp(dir, ".")) return hu_arena_strdup(a, name);
    return hu_arena_printf(a, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

static bool raw_period(const hu_value *root, int *y, int *m) {
    const hu_value *v = hu_v_get(root, "period");
    hu_datetext t;
    if (!v || (v->kind != HU_V_STR && v->kind != HU_V_NUM)) return false;
    if (hu_numtext_period(v->str, v->len, &t) == HU_NUMTEXT_REFUSED) return false;
    *y = t.year, *m = t.month;
    return true;
}

/* Every input file of dir with a readable period (the files are only parsed, not checked). */
static size_t scan(hu_arena *a, const char *dir, monthfile **out, hu_diags *d) {
    *out = NULL;
    DIR *dp = opendir(dir);
    if (!dp) {
        hu_error(d, dir, 0, 0, NULL, "无法读取文件夹：%s", strerror(errno));
        return 0;
    }
    size_t n = 0, cap = 16;
    const char **names = hu_arena_alloc(a, cap * sizeof *names);
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.' || !hu_path_is_input(e->d_name) ||
            hu_manifest_is_own_file(dir, e->d_name))
            continue;
        if (n == cap) {
            names = hu_arena_grow(a, names, n, cap * 2, sizeof *names);
            cap *= 2;
        }
        names[n++] = join(a, dir, e->d_name);
    }
    closedir(dp);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    monthfile *v = hu_arena_alloc(a, (n ? n : 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!hu_file_is_regular(names[i])) continue;
        hu_diags quiet = HU_DIAGS_INIT;
        hu_value *root = hu_value_load_file(a, names[i], names[i], &quiet);
        hu_diags_free(&quiet);
        int y, m;
        if (!root || !raw_period(root, &y, &m)) continue;
        const hu_value *org = hu_v_get(root, "org");
        v[k++] = (monthfile){names[i], y, m, org && org->kind == HU_V_STR ? org->str : NULL};
    }
    *out = v;
    return k;
}

static bool canonical(const monthfile *f) {
    char want[16];
    snprintf(want, sizeof want, "%04d-%02d", f->y, f->m);
    const char *base = hu_path_base(f->path);
    return !strncmp(base, want, strlen(want)) && base[strlen(want)] == '.';
}

static bool same_org(const char *x, const char *y) {
    return x && y && !strcmp(x, y);
}

/* The file of org for y-m: the one named after its period when there are several. */
static const monthfile *find_month(const monthfile *v, size_t n, const char *org, int y, int m) {
    const monthfile *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (v[i].y == y && v[i].m == m && same_org(v[i].org, org) &&
            (!best || (canonical(&v[i]) && !canonical(best))))
            best = &v[i];
    return best;
}

/* ---------------------------------------------------------------- rolling */

static int days_in(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static const char *cum_label(hu_arena *a, int m) {
    return m <= 1 ? "1月" : hu_arena_printf(a, "1—%d月", m);
}

/* The new file's name: the source's with its period replaced ("2026-10.yaml" → "2026-11.yaml",
 * "园区-2026-10.yaml" → "园区-2026-11.yaml"), else the period itself. */
static const char *new_stem(hu_arena *a, const char *src, int sy, int sm, int y, int m) {
    char *stem = hu_path_stem(src);
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-%02d", sy, sm);
    snprintf(to, sizeof to, "%04d-%02d", y, m);
    char *at = strstr(stem, from);
    const char *r =
        at ? hu_arena_printf(a, "%.*s%s%s", (int)(at - stem), stem, to, at + strlen(from))
           : hu_arena_strdup(a, to);
    free(stem);
    return r;
}

typedef struct row {
    const hu_indicator *ind;
    const hu_num *last_month, *last_year, *target; /* NULL: not known */
    int decimals;                                  /* written out, -1 none */
} row;

static const hu_indicator *find_ind(const hu_report *r, const char *name) {
    for (size_t i = 0; r && i < r->nindicators; i++)
        if (r->indicators[i].name && !strcmp(r->indicators[i].name, name)) return &r->indicators[i];
    return NULL;
}

static void plan_rows(const hu_report *src, const hu_report *year_ago, int y, int m, row *rows) {
    bool prev = src->year * 12 + src->month == y * 12 + m - 1 && src->year == y;
    for (size_t i = 0; i < src->nindicators; i++) {
        const hu_indicator *ind = &src->indicators[i];
        row *r = &rows[i];
        memset(r, 0, sizeof *r);
        r->ind = ind;
        r->last_month = prev && ind->value.set ? &ind->value : NULL;
        const hu_indicator *ya = year_ago ? find_ind(year_ago, ind->name) : NULL;
        r->last_year = ya && ya->value.set ? &ya->value : NULL;
        r->target = ind->target.set && src->year == y ? &ind->target : NULL;
        /* the places the source showed, kept when the numbers left would show fewer */
        r->decimals = ind->decimals;
        if (r->decimals < 0) {
            int had = hu_analyze_decimals(ind, src->month, NULL), now = 0;
            const hu_num *left[] = {r->last_month, r->last_year, r->target};
            for (int k = 0; k < 3; k++) {
                int w = hu_analyze_written_decimals(left[k]);
                if (w > now) now = w;
            }
            if (had > now) r->decimals = had;
        }
    }
}

/* ---------------------------------------------------------------- the new file */

static hu_value *num_value(hu_arena *a, const hu_num *n) {
    return hu_v_num_text(a, n->v, n->text ? n->text : "0");
}

static hu_value *rolled_text(hu_arena *a, const hu_value *v, const hu_report *src, int y, int m) {
    if (!v || v->kind != HU_V_STR) return (hu_value *)v;
    char *s = hu_period_roll(v->str, src->year, src->month, y, m);
    hu_value *r = hu_v_str(a, s);
    free(s);
    return r;
}

typedef struct comments {
    hu_yaml_comment *v;
    size_t n, cap;
} comments;

static void comment(hu_arena *a, comments *c, const hu_value *node, const char *text) {
    HU_ARENA_GROW(a, c->v, c->n, c->cap);
    c->v[c->n++] = (hu_yaml_comment){node, text};
}

static hu_value *build_tree(hu_arena *a, const hu_report *src, const row *rows, int y, int m,
                            const char *workbook, comments *com) {
    const hu_value *sr = src->root;
    hu_value *root = hu_v_map(a);
    const hu_value *schema = hu_v_get(sr, "$schema");
    if (schema) hu_v_set(a, root, "$schema", (hu_value *)schema);
    hu_v_set(a, root, "title", rolled_text(a, hu_v_get(sr, "title"), src, y, m));
    hu_v_set(a, root, "org", hu_v_get(sr, "org"));
    hu_v_set(a, root, "period", hu_v_str(a, hu_arena_printf(a, "%04d-%02d", y, m)));
    if (src->has_date) {
        int shift = (y * 12 + m) - (src->year * 12 + src->month);
        int idx = src->date_y * 12 + src->date_m - 1 + shift;
        int dy = idx / 12, dm = idx % 12 + 1;
        int dd = src->date_d > days_in(dy, dm) ? days_in(dy, dm) : src->date_d;
        hu_value *dv = hu_v_str(a, hu_arena_printf(a, "%04d-%02d-%02d", dy, dm, dd));
        hu_v_set(a, root, "date", dv);
        comment(a, com, dv, "成文日期：请按实际改");
    }
    static const char *const kept[] = {"to", "preamble", "closing", "template", NULL};
    for (int i = 0; kept[i]; i++)
        if (hu_v_get(sr, kept[i])) hu_v_set(a, root, kept[i], hu_v_get(sr, kept[i]));
    const char *span = cum_label(a, m);
    if (workbook) {
        hu_value *w = hu_v_str(a, workbook);
        hu_v_set(a, root, "indicators", w);
    } else if (src->nindicators) {
        hu_value *list = hu_v_list(a);
        for (size_t i = 0; i < src->nindicators; i++) {
            const row *r = &rows[i];
            const hu_indicator *ind = r->ind;
            hu_value *x = hu_v_map(a);
            hu_v_set(a, x, "name", hu_v_str(a, ind->name));
            if (ind->unit && *ind->unit) hu_v_set(a, x, "unit", hu_v_str(a, ind->unit));
            /* the kind as written (no kind: the name still decides) */
            if (ind->kind == HU_IND_RATE) hu_v_set(a, x, "kind", hu_v_str(a, "rate"));
            if (ind->kind == HU_IND_AMOUNT && ind->profit != HU_PROFIT_BY_NAME)
                hu_v_set(a, x, "kind",
                         hu_v_str(a, ind->profit == HU_PROFIT_YES ? "profit" : "amount"));
            hu_value *val = hu_v_null(a);
            hu_v_set(a, x, "value", val);
            comment(a, com, val,
                    hu_arena_printf(a, "请填写：%d年%s%s", y, span,
                                    ind->kind == HU_IND_RATE ? "的比率" : "累计数"));
            if (r->last_month) hu_v_set(a, x, "last_month", num_value(a, r->last_month));
            if (r->last_year) {
                hu_v_set(a, x, "last_year", num_value(a, r->last_year));
            } else {
                hu_value *ly = hu_v_null(a);
                hu_v_set(a, x, "last_year", ly);
                comment(a, com, ly,
                        hu_arena_printf(a, "可填：%d年%s%s（上年同期）", y - 1, span,
                                        ind->kind == HU_IND_RATE ? "" : "累计数"));
            }
            if (r->target) {
                hu_v_set(a, x, "target", num_value(a, r->target));
            } else if (ind->target.set) { /* a new year: last year's target is not this one's */
                hu_value *t = hu_v_null(a);
                hu_v_set(a, x, "target", t);
                comment(a, com, t, hu_arena_printf(a, "可填：%d年年度目标", y));
            }
            if (ind->approx) hu_v_set(a, x, "approx", hu_v_bool(a, true));
            if (r->decimals >= 0)
                hu_v_set(a, x, "decimals",
                         hu_v_num_text(a, r->decimals, hu_arena_printf(a, "%d", r->decimals)));
            if (ind->note) hu_v_set(a, x, "note", hu_v_str(a, ind->note));
            hu_v_push(a, list, x);
        }
        hu_v_set(a, root, "indicators", list);
    }
    if (hu_v_get(sr, "sections")) hu_v_set(a, root, "sections", hu_v_get(sr, "sections"));
    const hu_value *att = hu_v_get(sr, "attachments");
    if (att && att->kind == HU_V_LIST) {
        hu_value *l = hu_v_list(a);
        for (size_t i = 0; i < att->n; i++)
            hu_v_push(a, l, rolled_text(a, att->items[i], src, y, m));
        hu_v_set(a, root, "attachments", l);
    } else if (att) {
        hu_v_set(a, root, "attachments", rolled_text(a, att, src, y, m));
    }
    return root;
}

/* ---------------------------------------------------------------- the fill-in workbook */

/* A number cell shows the places its text has ("125.60": 0.00). */
static lxw_format *num_format(lxw_workbook *wb, lxw_format **cache, int dec, bool fill) {
    if (dec < 0) dec = 0;
    if (dec > 6) dec = 6;
    lxw_format **slot = &cache[dec * 2 + fill];
    if (!*slot) {
        *slot = hu_lxw.workbook_add_format(wb);
        char code[16] = "0";
        if (dec) {
            strcat(code, ".");
            for (int i = 0; i < dec; i++)
                strcat(code, "0");
        }
        hu_lxw.format_set_num_format(*slot, code);
        hu_lxw.format_set_border(*slot, LXW_BORDER_THIN);
        if (fill) hu_lxw.format_set_bg_color(*slot, 0xFFF2CC);
    }
    return *slot;
}

static void put_num(lxw_worksheet *ws, int r, int c, const hu_num *n, lxw_workbook *wb,
                    lxw_format **cache, lxw_format *empty) {
    if (!n || !n->set) {
        hu_lxw.worksheet_write_blank(ws, r, c, empty);
        return;
    }
    hu_lxw.worksheet_write_number(ws, r, c, n->v,
                                  num_format(wb, cache, hu_analyze_written_decimals(n), false));
}

static bool write_workbook(const char *path, const hu_report *src, const row *rows, int y, int m,
                           long long now, hu_diags *d, const char *display) {
    if (!hu_lxw_load(display, d)) return false;
    lxw_workbook *wb = hu_lxw.workbook_new(path);
    if (!wb) {
        hu_error(d, display, 0, 0, NULL, "无法创建工作簿（内存不足或无法创建临时文件）");
        return false;
    }
    lxw_worksheet *ws = hu_lxw.workbook_add_worksheet(wb, HU_FIGURES_SHEET);
    lxw_worksheet *help = hu_lxw.workbook_add_worksheet(wb, "填写说明");
    lxw_format *hdr = hu_lxw.workbook_add_format(wb), *hdr_fill = hu_lxw.workbook_add_format(wb);
    lxw_format *text = hu_lxw.workbook_add_format(wb), *center = hu_lxw.workbook_add_format(wb);
    lxw_format *wrap = hu_lxw.workbook_add_format(wb);
    lxw_format *nums[14] = {0};
    for (int i = 0; i < 2; i++) {
        lxw_format *f = i ? hdr_fill : hdr;
        hu_lxw.format_set_bold(f);
        hu_lxw.format_set_border(f, LXW_BORDER_THIN);
        hu_lxw.format_set_align(f, LXW_ALIGN_CENTER);
        hu_lxw.format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        hu_lxw.format_set_text_wrap(f);
        hu_lxw.format_set_bg_color(f, i ? 0xFFD966 : 0xD9D9D9);
    }
    hu_lxw.format_set_border(text, LXW_BORDER_THIN);
    hu_lxw.format_set_border(center, LXW_BORDER_THIN);
    hu_lxw.format_set_align(center, LXW_ALIGN_CENTER);
    hu_lxw.format_set_border(wrap, LXW_BORDER_THIN);
    hu_lxw.format_set_text_wrap(wrap);

    /* the columns: what figures.c reads, in the order staff fill them */
    enum {
        C_NO,
        C_NAME,
        C_UNIT,
        C_VAL,
        C_LM,
        C_LY,
        C_TGT,
        C_KIND,
        C_DEC,
        C_APPROX,
        C_SAME,
        C_NOTE
    };
    bool have_lm = m >= 2;
    int col[C_NOTE + 1], nc = 0;
    for (int k = 0; k <= C_NOTE; k++)
        col[k] = k == C_LM && !have_lm ? -1 : nc++;
    char h_val[48], h_lm[48];
    if (m <= 1)
        snprintf(h_val, sizeof h_val, "%s(1月)", hu_figures_header(HU_FIG_VALUE));
    else
        snprintf(h_val, sizeof h_val, "%s(1—%d月)", hu_figures_header(HU_FIG_VALUE), m);
    if (m == 2)
        snprintf(h_lm, sizeof h_lm, "%s(1月)", hu_figures_header(HU_FIG_LAST_MONTH));
    else
        snprintf(h_lm, sizeof h_lm, "%s(1—%d月)", hu_figures_header(HU_FIG_LAST_MONTH), m - 1);
    const char *heads[C_NOTE + 1] = {"序号",
                                     hu_figures_header(HU_FIG_NAME),
                                     hu_figures_header(HU_FIG_UNIT),
                                     h_val,
                                     h_lm,
                                     hu_figures_header(HU_FIG_LAST_YEAR),
                                     hu_figures_header(HU_FIG_TARGET),
                                     hu_figures_header(HU_FIG_KIND),
                                     hu_figures_header(HU_FIG_DECIMALS),
                                     hu_figures_header(HU_FIG_APPROX),
                                     hu_figures_header(HU_FIG_UNCHANGED),
                                     hu_figures_header(HU_FIG_NOTE)};
    static const double widths[C_NOTE + 1] = {6, 30, 10, 16, 16, 14, 12, 8, 8, 8, 12, 32};
    for (int k = 0; k <= C_NOTE; k++) {
        if (col[k] < 0) continue;
        hu_lxw.worksheet_write_string(ws, 0, col[k], heads[k], k == C_VAL ? hdr_fill : hdr);
        hu_lxw.worksheet_set_column(ws, col[k], col[k], widths[k], NULL);
    }
    hu_lxw.worksheet_set_row(ws, 0, 30, NULL);
    int last = (int)src->nindicators;
    for (int i = 0; i < last; i++) {
        const row *r = &rows[i];
        const hu_indicator *ind = r->ind;
        int R = i + 1;
        hu_lxw.worksheet_write_number(ws, R, col[C_NO], i + 1, center);
        hu_lxw.worksheet_write_string(ws, R, col[C_NAME], ind->name, wrap);
        hu_lxw.worksheet_write_string(ws, R, col[C_UNIT], ind->unit ? ind->unit : "", center);
        int show = r->decimals >= 0 ? r->decimals : hu_analyze_decimals(ind, src->month, NULL);
        hu_lxw.worksheet_write_blank(ws, R, col[C_VAL], num_format(wb, nums, show, true));
        if (have_lm) put_num(ws, R, col[C_LM], r->last_month, wb, nums, text);
        put_num(ws, R, col[C_LY], r->last_year, wb, nums, text);
        put_num(ws, R, col[C_TGT], r->target, wb, nums, text);
        /* the kind as decided (a cell always says it, so 数量 on a 利润 row would say "no") */
        hu_lxw.worksheet_write_string(ws, R, col[C_KIND],
                                      ind->kind == HU_IND_RATE              ? "比率"
                                      : hu_analyze_indicator_is_profit(ind) ? "盈亏"
                                                                            : "数量",
                                      center);
        if (r->decimals >= 0)
            hu_lxw.worksheet_write_number(ws, R, col[C_DEC], r->decimals, center);
        else
            hu_lxw.worksheet_write_blank(ws, R, col[C_DEC], center);
        if (ind->approx)
            hu_lxw.worksheet_write_string(ws, R, col[C_APPROX], "是", center);
        else
            hu_lxw.worksheet_write_blank(ws, R, col[C_APPROX], center);
        hu_lxw.worksheet_write_blank(ws, R, col[C_SAME], center);
        if (ind->note)
            hu_lxw.worksheet_write_string(ws, R, col[C_NOTE], ind->note, wrap);
        else
            hu_lxw.worksheet_write_blank(ws, R, col[C_NOTE], wrap);
    }
    if (last) {
        /* 本期: numbers only, with what to write when the cell is selected */
        lxw_data_validation v = {0};
        v.validate = LXW_VALIDATION_TYPE_DECIMAL;
        v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        v.minimum_number = -1e15;
        v.maximum_number = 1e15;
        v.input_title = "本期数";
        char msg[160];
        if (m <= 1)
            snprintf(msg, sizeof msg, "填写%d年1月的数，只填数字，单位见“单位”列", y);
        else
            snprintf(msg, sizeof msg, "填写%d年1—%d月累计数，只填数字，单位见“单位”列", y, m);
        v.input_message = msg;
        v.error_title = "只能填数字";
        v.error_message = "本期数只填数字：不带单位、不写“约”（约数请在“约数”列填“是”）。";
        hu_lxw.worksheet_data_validation_range(ws, 1, col[C_VAL], last, col[C_VAL], &v);
        lxw_data_validation k = {0};
        const char *kinds[] = {"数量", "盈亏", "比率", NULL};
        k.validate = LXW_VALIDATION_TYPE_LIST;
        k.value_list = (char **)kinds;
        hu_lxw.worksheet_data_validation_range(ws, 1, col[C_KIND], last, col[C_KIND], &k);
        lxw_data_validation yes = {0};
        const char *yes_list[] = {"是", NULL};
        yes.validate = LXW_VALIDATION_TYPE_LIST;
        yes.value_list = (char **)yes_list;
        hu_lxw.worksheet_data_validation_range(ws, 1, col[C_APPROX], last, col[C_APPROX], &yes);
        hu_lxw.worksheet_data_validation_range(ws, 1, col[C_SAME], last, col[C_SAME], &yes);
        lxw_data_validation dv = {0};
        dv.validate = LXW_VALIDATION_TYPE_INTEGER;
        dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv.minimum_number = 0;
        dv.maximum_number = 6;
        hu_lxw.worksheet_data_validation_range(ws, 1, col[C_DEC], last, col[C_DEC], &dv);
    }
    hu_lxw.worksheet_freeze_panes(ws, 1, 2);

    static const char *const lines[] = {
        "只需填写黄色的“本期”列：每个指标的 1—N 月累计数（比率指标填比率），只填数字。",
        "数字不带单位、不写“约”；约数在“约数”列填“是”，报告中写作“约……”。",
        "“上月累计”“上年同期”“年度目标”已按往月文件填好，有更正可直接改。",
        "本期数确实与上月累计相同时，在“本月无变化”列填“是”，否则 huibao 会提示“是否忘了更新”。",
        "可以增删行（指标）；列的顺序可以调整，表头文字不要改。序号列不读取。",
        ("填好后保存为 .xlsx（Excel、WPS 都可以），在输入文件所在的文件夹运行 huibao check，再 "
         "huibao build。"),
    };
    lxw_format *big = hu_lxw.workbook_add_format(wb);
    hu_lxw.format_set_bold(big);
    hu_lxw.format_set_font_size(big, 12);
    hu_lxw.worksheet_write_string(help, 0, 0, "填写说明", big);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        char t[512];
        snprintf(t, sizeof t, "%zu. %s", i + 1, lines[i]);
        hu_lxw.worksheet_write_string(help, (int)i + 1, 0, t, NULL);
    }
    hu_lxw.worksheet_set_column(help, 0, 0, 100, NULL);
    hu_lxw.worksheet_activate(ws);

    lxw_doc_properties props = {0};
    char title[200];
    snprintf(title, sizeof title, "%d年%d月 主要指标（填写）", y, m);
    props.title = title;
    props.author = (char *)(src->org ? src->org : "");
    props.comments = "由 huibao new 生成：填写“本期”列后由 huibao build 读取";
    props.created = (time_t)now;
    hu_lxw.workbook_set_properties(wb, &props);
    lxw_error e = hu_lxw.workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        hu_error(d, display, 0, 0, NULL, "写入工作簿失败：%s", hu_lxw.lxw_strerror(e));
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- writing without overwriting */

/* Puts the finished temporary file at dest unless something is there: link(2) fails on an
 * existing name, so a file made meanwhile is never replaced. File systems without hard links
 * (FAT on a USB stick) fall back to a rename after a last look. */
static bool place(hu_atomic *w, hu_diags *d) {
    if (link(w->tmp, w->dest) == 0) {
        hu_atomic_abort(w); /* removes the temporary name; the file stays at dest */
        return true;
    }
    if (errno == EEXIST) {
        hu_error(d, w->dest, 0, 0, NULL, "文件已存在，不会覆盖");
        hu_atomic_abort(w);
        return false;
    }
    struct stat st;
    if (lstat(w->dest, &st) == 0) {
        hu_error(d, w->dest, 0, 0, NULL, "文件已存在，不会覆盖");
        hu_atomic_abort(w);
        return false;
    }
    return hu_atomic_commit(w, d);
}

static bool write_text(const char *dest, const hu_buf *b, hu_atomic *w, hu_diags *d) {
    if (!hu_atomic_begin(w, dest, d)) return false;
    FILE *f = fopen(w->tmp, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        if (f) fclose(f);
        hu_error(d, dest, 0, 0, NULL, "写入失败：%s", strerror(errno));
        hu_atomic_abort(w);
        return false;
    }
    fclose(f);
    return true;
}

/* ---------------------------------------------------------------- the command */

static const char *dir_of(hu_arena *a, const char *path) {
    const char *dir = hu_path_dir(a, path);
    return dir ? dir : ".";
}

int hu_new_run(const hu_new_opts *o) {
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    int rc = HU_EXIT_INPUT;
    hu_atomic wy = {0}, wx = {0};
    bool wy_open = false, wx_open = false;

    hu_datetext pt;
    if (hu_numtext_period(o->period, strlen(o->period), &pt) == HU_NUMTEXT_REFUSED) {
        hu_error(&d, NULL, 0, 0, NULL, "统计期“%s”：%s", o->period, pt.msg);
        goto out;
    }
    int Y = pt.year, M = pt.month;

    /* the source: FROM, or the latest earlier month of the folder */
    const char *from = o->from ? o->from : ".";
    struct stat st;
    if (stat(from, &st) != 0) {
        hu_error(&d, from, 0, 0, NULL, "找不到：%s", strerror(errno));
        goto out;
    }
    bool from_file = S_ISREG(st.st_mode);
    const char *dir = from_file ? dir_of(&a, from) : from;
    monthfile *mf;
    size_t nmf = scan(&a, dir, &mf, &d);
    if (hu_diags_failed(&d)) goto out;
    const char *src_path = NULL;
    if (from_file) {
        src_path = from;
    } else {
        int best = -1;
        for (size_t i = 0; i < nmf; i++) {
            int k = mf[i].y * 12 + mf[i].m - 1;
            if (k < Y * 12 + M - 1 && k > best) best = k;
        }
        if (best < 0) {
            hu_error(&d, dir, 0, 0, NULL,
                     "文件夹中没有早于 %d年%d月 的输入文件：请给出上月的输入文件，如 huibao new "
                     "%04d-%02d 上月.yaml",
                     Y, M, Y, M);
            goto out;
        }
        hu_buf orgs = HU_BUF_INIT;
        const monthfile *pick = NULL;
        int norgs = 0;
        for (size_t i = 0; i < nmf; i++) {
            if (mf[i].y * 12 + mf[i].m - 1 != best) continue;
            if (!pick || !same_org(pick->org, mf[i].org)) {
                bool seen = false;
                for (size_t k = 0; k < i; k++)
                    seen |= mf[k].y * 12 + mf[k].m - 1 == best && same_org(mf[k].org, mf[i].org);
                if (!seen) {
                    norgs++;
                    hu_buf_printf(&orgs, "%s%s（%s）", orgs.len ? "、" : "",
                                  mf[i].org ? mf[i].org : "没有 org", mf[i].path);
                }
            }
            if (!pick || (canonical(&mf[i]) && !canonical(pick))) pick = &mf[i];
        }
        if (norgs > 1) {
            hu_error(&d, dir, 0, 0, NULL,
                     "文件夹中 %d年%d月 有几个单位的输入：%s；请写明从哪个文件开始，如 huibao new "
                     "%04d-%02d %s",
                     best / 12, best % 12 + 1, hu_buf_cstr(&orgs), Y, M, pick->path);
            hu_buf_free(&orgs);
            goto out;
        }
        hu_buf_free(&orgs);
        src_path = pick->path;
    }

    /* the source must be a good month */
    hu_diags sd = HU_DIAGS_INIT;
    hu_report *src = hu_input_load(&a, src_path, &sd);
    if (!src) {
        hu_diags_append(&d, &sd);
        hu_error(&d, src_path, 0, 0, NULL, "这个月的输入有错误，改正后才能由它生成下个月的输入");
        hu_diags_free(&sd);
        goto out;
    }
    hu_diags_free(&sd);
    if (src->year * 12 + src->month >= Y * 12 + M) {
        hu_error(&d, src_path, 0, 0, NULL, "它是 %d年%d月 的输入，不早于要新建的 %d年%d月",
                 src->year, src->month, Y, M);
        goto out;
    }
    const monthfile *exists = find_month(mf, nmf, src->org, Y, M);
    if (exists) {
        hu_error(
            &d, exists->path, 0, 0, NULL,
            "已经有 %d年%d月 的输入（period: %04d-%02d），没有新建；要重新开始请先删去或改名它", Y,
            M, Y, M);
        goto out;
    }
    const monthfile *ya = find_month(mf, nmf, src->org, Y - 1, M);
    const hu_report *year_ago = NULL;
    if (ya) {
        hu_diags yd = HU_DIAGS_INIT;
        year_ago = hu_input_load(&a, ya->path, &yd);
        if (!year_ago)
            hu_warn(&d, ya->path, 0, 0, NULL, "上年同期的输入有错误，没有从中取上年同期数");
        hu_diags_free(&yd);
    }

    /* where the new files go */
    const char *stem = new_stem(&a, src_path, src->year, src->month, Y, M);
    size_t sl = strlen(src_path);
    const char *ext = sl > 4 && !strcasecmp(src_path + sl - 4, ".yml") ? ".yml" : ".yaml";
    const char *sdir = dir_of(&a, src_path);
    const char *yaml_path = join(&a, sdir, hu_arena_printf(&a, "%s%s", stem, ext));
    bool xlsx = o->xlsx || src->figures_file;
    const char *book_name = NULL, *book_path = NULL;
    if (xlsx) {
        const char *old = src->figures_file ? hu_path_base(src->figures_file) : NULL;
        char from_p[16], to_p[16];
        snprintf(from_p, sizeof from_p, "%04d-%02d", src->year, src->month);
        snprintf(to_p, sizeof to_p, "%04d-%02d", Y, M);
        const char *at = old ? strstr(old, from_p) : NULL;
        book_name =
            at && !strcasecmp(old + strlen(old) - 5, ".xlsx")
                ? hu_arena_printf(&a, "%.*s%s%s", (int)(at - old), old, to_p, at + strlen(from_p))
                : hu_arena_printf(&a, "%s-指标.xlsx", stem);
        book_path = join(&a, sdir, book_name);
    }
    const char *targets[2] = {yaml_path, book_path};
    for (int i = 0; i < 2; i++) {
        struct stat ts;
        if (targets[i] && lstat(targets[i], &ts) == 0) {
            hu_error(&d, targets[i], 0, 0, NULL,
                     "文件已存在，不会覆盖；要重新生成请先删去或改名它");
            goto out;
        }
    }

    row *rows = hu_arena_alloc(&a, (src->nindicators ? src->nindicators : 1) * sizeof *rows);
    plan_rows(src, year_ago, Y, M, rows);
    comments com = {0};
    hu_value *tree = build_tree(&a, src, rows, Y, M, book_name, &com);
    hu_buf text = HU_BUF_INIT;
    hu_buf head = HU_BUF_INIT;
    hu_buf_printf(&head, "# %d年%d月的输入，由 huibao new 从 %s 生成。\n", Y, M,
                  hu_path_base(src_path));
    if (book_name)
        hu_buf_printf(&head, "# 请在 %s 的“本期”列填写各项指标的%s累计数，", book_name,
                      cum_label(&a, M));
    else if (src->nindicators)
        hu_buf_printf(&head, "# 请填写每个指标的 value（%s累计数），", cum_label(&a, M));
    else
        hu_buf_puts(&head, "# ");
    hu_buf_printf(&head, "更新正文、列举和亮点，然后运行 huibao check %s\n\n",
                  hu_path_base(yaml_path));
    bool ok = hu_yaml_write(&a, tree, hu_buf_cstr(&head), com.v, com.n, yaml_path, &text, &d);
    hu_buf_free(&head);
    if (!ok) {
        hu_buf_free(&text);
        rc = HU_EXIT_BUILD;
        goto out;
    }
    rc = HU_EXIT_BUILD;
    wy_open = write_text(yaml_path, &text, &wy, &d);
    hu_buf_free(&text);
    if (!wy_open) goto out;
    if (book_path) {
        if (!hu_atomic_begin(&wx, book_path, &d)) goto out;
        wx_open = true;
        if (!write_workbook(wx.tmp, src, rows, Y, M, hu_build_time(NULL), &d, book_path)) goto out;
    }
    /* both complete: put them in place, the workbook first (the file names it) */
    if (wx_open) {
        wx_open = false;
        if (!place(&wx, &d)) goto out;
    }
    wy_open = false;
    if (!place(&wy, &d)) {
        if (book_path) unlink(book_path);
        goto out;
    }
    rc = HU_EXIT_OK;
    if (!o->quiet) {
        printf("%s\n", yaml_path);
        if (book_path) printf("%s\n", book_path);
    }
    size_t n = src->nindicators;
    if (!o->quiet) {
        if (book_path)
            hu_diag_add(
                &d, HU_NOTE, yaml_path, 0, 0, NULL,
                "已从 %s 新建 %d年%d月的输入：请在 %s 的“本期”列填写 %zu 项指标，更新正文和亮"
                "点，再运行 huibao check %s",
                src_path, Y, M, book_path, n, yaml_path);
        else
            hu_diag_add(
                &d, HU_NOTE, yaml_path, 0, 0, NULL,
                "已从 %s 新建 %d年%d月的输入：请填写 %zu 项指标的 value，更新正文和亮点，再运"
                "行 huibao check %s",
                src_path, Y, M, n, yaml_path);
    }
out:
    if (wx_open) hu_atomic_abort(&wx);
    if (wy_open) hu_atomic_abort(&wy);
    hu_diags_print(stderr, &d);
    hu_diags_free(&d);
    hu_arena_free(&a);
    return rc;
}
