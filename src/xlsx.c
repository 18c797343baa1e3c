/* xlsx.c - the figures workbook, from the report model (model.h) only.
 *
 * 主要指标 (one row per indicator, header on row 1, data from row 2):
 *   A 序号  B 指标  C 单位  D 本期(1—N月)  E 上年同期  F 增减额  G 同比  H 当月值(N月)  I 环比
 *   J 年度目标  K 完成率  L 序时进度差  M 备注      (O:P hidden: source of the 同比 chart)
 * Numbers are numbers (the 倍/持平/扭亏 wording stays in the text and in 备注); every derived
 * cell is a formula that shows exactly what the report text says, rounding boundaries included:
 *   F  =IF(AND(ISNUMBER(D2),ISNUMBER(E2)),ROUND(D2-E2,s),"")
 *   G  amount: =IF(AND(ISNUMBER(D2),ISNUMBER(E2),E2>0,D2>=0),ROUND(ROUND(D2-E2,s)/E2,3),"") 0.0%
 *      rate:   =IF(AND(ISNUMBER(D2),ISNUMBER(E2)),ROUND(ROUND(D2-E2,s),1),"")  百分点 (s > 1)
 *   H  amount: =IF(AND(ISNUMBER(D2),ISNUMBER('趋势'!Dp)),ROUND(D2-'趋势'!Dp,s),"")  (Dp: N-1月)
 *   I  amount: =IF(AND(ISNUMBER(H2),ISNUMBER(P),P>0,H2>=0),ROUND(ROUND(H2-P,s)/P,3),"")
 *              with P = '趋势'!Ep, last month's 当月值; rate: 本期 − 'N-1月' in 百分点
 *   K  =IF(AND(ISNUMBER(D2),ISNUMBER(J2),J2>0),ROUND(D2/J2,3),"")                      0.0%
 *   L  =IF(ISNUMBER(K2),ROUND(K2*100-ROUND(N/12*100,1),1),"")                          百分点
 * s is the indicator's exact_decimals: the inputs' differences are exact decimals at s places,
 * and ROUND(…,s) removes the binary noise of the subtraction (100.35-100 is 0.34999…). A ratio
 * of two such numbers is then rounded once, half away from zero, to what the text prints: ROUND
 * in Excel and LibreOffice rounds the 15-significant-digit value half away from zero, as the
 * exact analytics (analyze.c) does, so 100.35 against 100 shows 0.4% as the text says (a
 * formula on the raw quotient showed 0.3%). Amount cells hold the exact decimal and the number
 * format shows the indicator's decimals. Each formula carries its cached result, the model's own
 * figure (the same double the recalculation gives), so a reader that never recalculates shows
 * the same as one that does.
 *
 * 趋势: each indicator's months from the first month with a figure to N: 月份, 1—当月 (the
 * cumulative; a rate's 1—当月 rate), 当月值 (amounts: a formula on the two cumulatives). Month
 * N's 1—当月 is ='主要指标'!D, so editing 本期 or a month updates every figure.
 *
 * 图表: the 同比 column chart and each indicator's month charts. Charts have a sheet of their
 * own so that no printed page of a table holds the repeated header row without data under it.
 *
 * Reproducibility: with SOURCE_DATE_EPOCH the creation time is fixed and libxlsxwriter stamps
 * zip entries 1980-01-01, so two runs give identical bytes. */
#include "xlsx.h"

#include <cmark-gfm-core-extensions.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "doc.h"
#include "dynlib.h"
#include "sha256.h"
#include "spare.h"
#include "utf8.h"
#include "xlsxlib.h"

#define SHEET_IND "主要指标"
#define SHEET_HL "亮点"
#define SHEET_BODY "正文"
#define SHEET_TREND "趋势"
#define SHEET_CHARTS "图表"
#define SHEET_ABOUT "说明"

enum {
    C_NO,
    C_NAME,
    C_UNIT,
    C_VAL,
    C_LY,
    C_DIFF,
    C_YOY,
    C_MV,
    C_MOM,
    C_TGT,
    C_DONE,
    C_SCHED,
    C_NOTE,
    C_NCOLS,
    C_CHART_NAME = 14,
    C_CHART_YOY = 15
};
enum { T_NAME, T_UNIT, T_MONTH, T_CUM, T_MV, T_NOTE, T_NCOLS };
#define MAX_DEC 6
#define MAX_COLS 16
#define CELL_MAX_BYTES 32000 /* Excel keeps at most 32767 characters in a cell */

/* A wrapped cell, kept until the column widths are known to size its row: neither
 * libxlsxwriter nor LibreOffice grows rows for wrapped text on load. */
typedef struct wrapped {
    int row, col;
    double w;  /* display width of its longest line */
    int lines; /* explicit lines */
} wrapped;

typedef struct sheet {
    lxw_worksheet *ws;
    double w[MAX_COLS];   /* widest content seen, in Excel width units */
    double cap[MAX_COLS]; /* widest allowed before wrapping (0: none) */
    wrapped *wr;
    size_t nwr, capwr;
} sheet;

typedef struct ctx {
    hu_arena a; /* scratch strings, freed at the end */
    lxw_workbook *wb;
    const hu_model *m;
    hu_diags *d;
    const char *out;
    lxw_error err; /* first libxlsxwriter error */
    int month;     /* N of 1—N月 */
    /* formats */
    lxw_format *hdr, *text, *wrap, *center, *num[MAX_DEC + 1], *pct, *pp, *label, *title;
    lxw_format *cf_down, *cf_behind;
    lxw_format *struck;      /* font of ~~deleted~~ text inside a 正文 cell */
    lxw_format *wrap_struck; /* a 正文 cell that is ~~deleted~~ as a whole */
    /* 趋势: indicator i shows months first[i]..N from 0-based row start[i] */
    int *first, *start;
    int trend_last; /* last 0-based row of 趋势 */
} ctx;

/* A string bound for the file outside a cell (header, chart title, properties): cleaned. */
static const char *clean(struct ctx *c, const char *s);

/* ---------- text ---------- */

static double disp_width(const char *s) {
    double w = 0;
    size_t n = strlen(s);
    while (n) {
        uint32_t cp;
        size_t k = hu_utf8_decode(s, n, &cp);
        s += k;
        n -= k;
        if (cp == '\n') continue;
        w += (hu_is_cjk(cp) || hu_is_cjk_punct(cp) || cp >= 0x2E80) ? 2.0 : 1.1;
    }
    return w;
}

/* XML 1.0 cannot carry C0 controls; libxlsxwriter would write them raw and Excel would call the
 * file corrupt. Drop them and cut overlong text at a character boundary. */
static const char *clean(struct ctx *c, const char *s) {
    if (!s) return "";
    size_t n = strlen(s);
    bool bad = n > CELL_MAX_BYTES;
    for (size_t i = 0; i < n && !bad; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') bad = true;
    if (!bad) return s;
    hu_buf b = HU_BUF_INIT;
    size_t i = 0;
    for (; i < n && b.len < CELL_MAX_BYTES; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 && ch != '\n' && ch != '\t') continue;
        hu_buf_putc(&b, (char)ch);
    }
    if (i < n) {
        /* cut: drop a trailing partial character */
        b.len = hu_utf8_complete(b.data, b.len);
    }
    char *r = hu_arena_strndup(&c->a, hu_buf_cstr(&b), b.len);
    hu_buf_free(&b);
    return r;
}

static void chk(ctx *c, lxw_error e) {
    if (e != LXW_NO_ERROR && c->err == LXW_NO_ERROR) c->err = e;
}

static void track(sheet *s, int col, const char *text) {
    if (col < MAX_COLS) {
        double w = disp_width(text);
        if (w > s->w[col]) s->w[col] = w;
    }
}

/* Writes t (or, when rich is given, those fragments of t) and records its width. */
static void put_str_rich(ctx *c, sheet *s, int row, int col, const char *t, lxw_format *f,
                         lxw_rich_string_tuple **rich) {
    t = clean(c, t);
    if (!*t) {
        chk(c, hu_lxw.worksheet_write_blank(s->ws, row, col, f));
        return;
    }
    if (rich)
        chk(c, hu_lxw.worksheet_write_rich_string(s->ws, row, col, rich, f));
    else
        chk(c, hu_lxw.worksheet_write_string(s->ws, row, col, t, f));
    if (f != c->wrap && f != c->hdr && f != c->wrap_struck) {
        track(s, col, t);
        return;
    }
    /* each explicit line is measured on its own */
    wrapped w = {row, col, 0, 0};
    for (const char *p = t; p;) {
        const char *nl = strchr(p, '\n');
        char *line = hu_arena_strndup(&c->a, p, nl ? (size_t)(nl - p) : strlen(p));
        double lw = disp_width(line);
        track(s, col, line);
        w.lines += 1;
        if (lw > w.w) w.w = lw;
        p = nl ? nl + 1 : NULL;
    }
    HU_ARENA_GROW(&c->a, s->wr, s->nwr, s->capwr);
    s->wr[s->nwr++] = w;
}

static void put_str(ctx *c, sheet *s, int row, int col, const char *t, lxw_format *f) {
    put_str_rich(c, s, row, col, t, f, NULL);
}

/* Width of a number as displayed with d decimals plus a suffix. */
static void track_num(sheet *s, int col, double x, int d, const char *suffix) {
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*f%s", d, x, suffix ? suffix : "");
    track(s, col, tmp);
}

static void put_num(ctx *c, sheet *s, int row, int col, double x, int dec, lxw_format *f) {
    chk(c, hu_lxw.worksheet_write_number(s->ws, row, col, x, f));
    track_num(s, col, x, dec, NULL);
}

/* A formula with its cached result; has == false caches the empty string. */
static void put_formula(ctx *c, sheet *s, int row, int col, const char *formula, bool has, double x,
                        lxw_format *f, int dec, const char *suffix) {
    if (has) {
        chk(c, hu_lxw.worksheet_write_formula_num(s->ws, row, col, formula, f, x));
        track_num(s, col, x, dec, suffix);
    } else {
        chk(c, hu_lxw.worksheet_write_formula_str(s->ws, row, col, formula, f, ""));
    }
}

/* Column widths from content: CJK ≈ 2 units; wrap beyond the cap. Then rows tall enough for
 * their wrapped cells (about 15 points a line at 11 points). */
static void apply_widths(ctx *c, sheet *s, int ncols) {
    double final[MAX_COLS];
    for (int i = 0; i < MAX_COLS; i++)
        final[i] = 8.43; /* Excel's default */
    for (int i = 0; i < ncols && i < MAX_COLS; i++) {
        double w = s->w[i] + 2.0;
        if (w < 6) w = 6;
        if (s->cap[i] > 0 && w > s->cap[i]) w = s->cap[i];
        final[i] = w;
        chk(c, hu_lxw.worksheet_set_column(s->ws, i, i, w, NULL));
    }
    /* cells were written row by row, so one row's cells are adjacent */
    int row = -1, lines = 1;
    for (size_t k = 0; k <= s->nwr; k++) {
        if (k == s->nwr || s->wr[k].row != row) {
            if (row >= 0 && lines > 1)
                chk(c, hu_lxw.worksheet_set_row(s->ws, row, 15.0 * lines + 2, NULL));
            if (k == s->nwr) break;
            row = s->wr[k].row;
            lines = 1;
        }
        const wrapped *w = &s->wr[k];
        double avail = (w->col < MAX_COLS ? final[w->col] : 8.43) - 1.5;
        int n = w->lines - 1 + (int)ceil(w->w / (avail > 1 ? avail : 1));
        if (n > lines) lines = n;
    }
}

/* libxlsxwriter takes a chart title that starts with "=" for a cell reference and writes it as
 * one (an indicator named "=收入" gave a chart Excel must repair): such a title starts with the
 * full-width ＝ instead. */
static const char *chart_text(ctx *c, const char *s) {
    return s[0] == '=' ? hu_arena_printf(&c->a, "\xEF\xBC\x9D%s", s + 1) : s;
}

/* Excel header/footer strings treat & as a code, and "&&" is the escape for a literal one;
 * but libxlsxwriter 1.1.5 counts every "&G" (picture placeholder) in the string, the one in
 * "&&G" too, and when the count does not match the images it frees the header and keeps the
 * pointer: a title such as "R&G…" made workbook_close read freed memory (fuzz finding F8).
 * The full-width ＆ reads the same in a Chinese title and is no code at all. */
static const char *hf_escape(ctx *c, const char *s) {
    hu_buf b = HU_BUF_INIT;
    for (; s && *s; s++) {
        if (*s == '&')
            hu_buf_puts(&b, "\xEF\xBC\x86"); /* U+FF06 ＆ */
        else
            hu_buf_putc(&b, *s);
    }
    char *r = hu_arena_strdup(&c->a, hu_buf_cstr(&b));
    hu_buf_free(&b);
    return r;
}

/* A4. A table is fitted one page wide with its header row 1 repeated on every printed page; a
 * page of charts has no header row (it would stand there without data) and keeps its size, so
 * that its manual page breaks hold (a fitted sheet ignores them). */
static void print_setup(ctx *c, sheet *s, const char *what, bool landscape, bool table) {
    lxw_worksheet *ws = s->ws;
    if (landscape) hu_lxw.worksheet_set_landscape(ws);
    hu_lxw.worksheet_set_paper(ws, 9); /* A4 */
    hu_lxw.worksheet_set_margins(ws, 0.5, 0.5, 0.75, 0.75);
    if (table) {
        hu_lxw.worksheet_fit_to_pages(ws, 1, 0);
        chk(c, hu_lxw.worksheet_repeat_rows(ws, 0, 0));
    }
    const char *title = c->m->title ? clean(c, c->m->title) : NULL;
    const char *h = hu_arena_printf(&c->a, "&C&\"-,Bold\"%s%s%s", hf_escape(c, title ? title : ""),
                                    title ? " — " : "", what);
    /* the header field holds at most 255 characters: keep the sheet name alone if too long */
    if (hu_utf8_count(h, strlen(h)) > 250) h = hu_arena_printf(&c->a, "&C%s", what);
    chk(c, hu_lxw.worksheet_set_header(ws, h));
    chk(c, hu_lxw.worksheet_set_footer(ws, "&C第 &P 页 共 &N 页"));
}

/* ---------- formats ---------- */

static lxw_format *fmt(ctx *c) {
    lxw_format *f = hu_lxw.workbook_add_format(c->wb);
    hu_lxw.format_set_font_size(f, 11);
    hu_lxw.format_set_border(f, LXW_BORDER_THIN);
    hu_lxw.format_set_border_color(f, 0xBFBFBF);
    hu_lxw.format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void make_formats(ctx *c) {
    c->hdr = fmt(c);
    hu_lxw.format_set_bold(c->hdr);
    hu_lxw.format_set_text_wrap(c->hdr);
    hu_lxw.format_set_align(c->hdr, LXW_ALIGN_CENTER);
    hu_lxw.format_set_bg_color(c->hdr, 0xDDEBF7);
    c->text = fmt(c);
    c->wrap = fmt(c);
    hu_lxw.format_set_text_wrap(c->wrap);
    c->struck = hu_lxw.workbook_add_format(c->wb);
    hu_lxw.format_set_font_size(c->struck, 11);
    hu_lxw.format_set_font_strikeout(c->struck);
    c->wrap_struck = fmt(c);
    hu_lxw.format_set_text_wrap(c->wrap_struck);
    hu_lxw.format_set_font_strikeout(c->wrap_struck);
    c->center = fmt(c);
    hu_lxw.format_set_align(c->center, LXW_ALIGN_CENTER);
    for (int d = 0; d <= MAX_DEC; d++) {
        char nf[16] = "0";
        if (d) {
            nf[1] = '.';
            memset(nf + 2, '0', (size_t)d);
            nf[2 + d] = 0;
        }
        c->num[d] = fmt(c);
        hu_lxw.format_set_num_format(c->num[d], nf);
    }
    c->pct = fmt(c);
    hu_lxw.format_set_num_format(c->pct, "0.0%");
    c->pp = fmt(c);
    hu_lxw.format_set_num_format(c->pp, "+0.0\"个百分点\";-0.0\"个百分点\";0.0\"个百分点\"");
    c->label = fmt(c);
    hu_lxw.format_set_bold(c->label);
    hu_lxw.format_set_bg_color(c->label, 0xF2F2F2);
    c->title = hu_lxw.workbook_add_format(c->wb);
    hu_lxw.format_set_bold(c->title);
    hu_lxw.format_set_font_size(c->title, 14);
    /* conditional formats: declines in red type, lagging 序时进度 on a red fill */
    c->cf_down = hu_lxw.workbook_add_format(c->wb);
    hu_lxw.format_set_font_color(c->cf_down, 0xC00000);
    c->cf_behind = hu_lxw.workbook_add_format(c->wb);
    hu_lxw.format_set_font_color(c->cf_behind, 0x9C0006);
    hu_lxw.format_set_bg_color(c->cf_behind, 0xFFC7CE);
}

/* ---------- 趋势 ---------- */

static const char *cell_ref(ctx *c, const char *sheet, char col, int row0) {
    return sheet ? hu_arena_printf(&c->a, "'%s'!%c%d", sheet, col, row0 + 1)
                 : hu_arena_printf(&c->a, "%c%d", col, row0 + 1);
}

/* 0-based 趋势 row of indicator i's month m, or -1 when the sheet does not show it. */
static int trend_row(const ctx *c, size_t i, int m) {
    if (i >= c->m->nindicators || m < c->first[i] || m > c->month) return -1;
    return c->start[i] + (m - c->first[i]);
}

/* Which months each indicator shows: from its first month with a figure (its earlier months
 * would be rows of nothing) to N. */
static void trend_layout(ctx *c) {
    size_t n = c->m->nindicators;
    c->first = hu_arena_alloc(&c->a, (n ? n : 1) * sizeof *c->first);
    c->start = hu_arena_alloc(&c->a, (n ? n : 1) * sizeof *c->start);
    int row = 1;
    for (size_t i = 0; i < n; i++) {
        const hu_model_indicator *x = &c->m->indicators[i];
        int f = c->month;
        for (int k = 1; k <= x->nmonths && k <= c->month; k++)
            if (x->months[k - 1].cum.set) {
                f = k;
                break;
            }
        c->first[i] = f;
        c->start[i] = row;
        row += c->month - f + 1;
    }
    c->trend_last = row - 1;
}

static void write_trend(ctx *c, sheet *s) {
    lxw_worksheet *ws = s->ws;
    static const char *heads[T_NCOLS] = {"指标", "单位", "月份", "1—当月", "当月值", "备注"};
    for (int i = 0; i < T_NCOLS; i++)
        put_str(c, s, 0, i, heads[i], c->hdr);
    s->cap[T_NAME] = 30;
    s->cap[T_NOTE] = 24;
    for (size_t i = 0; i < c->m->nindicators; i++) {
        const hu_model_indicator *x = &c->m->indicators[i];
        int dec = x->decimals > MAX_DEC ? MAX_DEC : x->decimals, ex = x->exact_decimals;
        lxw_format *nf = c->num[dec];
        for (int m = c->first[i]; m <= c->month; m++) {
            const hu_model_month *mm = &x->months[m - 1];
            int r = trend_row(c, i, m);
            put_str(c, s, r, T_NAME, x->name, c->text);
            put_str(c, s, r, T_UNIT, x->unit, c->center);
            put_str(c, s, r, T_MONTH, mm->label, c->center);
            if (m == c->month) { /* the current month is 本期 on 主要指标 */
                const char *v = cell_ref(c, SHEET_IND, 'D', (int)i + 1);
                put_formula(c, s, r, T_CUM,
                            hu_arena_printf(&c->a, "=IF(ISNUMBER(%s),%s,\"\")", v, v), mm->cum.set,
                            mm->cum.num, nf, dec, NULL);
            } else if (mm->cum.set) {
                put_num(c, s, r, T_CUM, mm->cum.num, dec, nf);
            } else {
                chk(c, hu_lxw.worksheet_write_blank(ws, r, T_CUM, nf));
            }
            /* 当月值: this month's cumulative minus the last one (January: itself) */
            const char *d = cell_ref(c, NULL, 'D', r);
            if (x->rate) {
                chk(c, hu_lxw.worksheet_write_blank(ws, r, T_MV, nf));
            } else if (m == 1) {
                put_formula(c, s, r, T_MV,
                            hu_arena_printf(&c->a, "=IF(ISNUMBER(%s),%s,\"\")", d, d), mm->own.set,
                            mm->own.num, nf, dec, NULL);
            } else if (m > c->first[i]) {
                const char *p = cell_ref(c, NULL, 'D', r - 1);
                put_formula(c, s, r, T_MV,
                            hu_arena_printf(
                                &c->a, "=IF(AND(ISNUMBER(%s),ISNUMBER(%s)),ROUND(%s-%s,%d),\"\")",
                                d, p, d, p, ex),
                            mm->own.set, mm->own.num, nf, dec, NULL);
            } else {
                chk(c, hu_lxw.worksheet_write_blank(ws, r, T_MV, nf));
            }
            put_str(c, s, r, T_NOTE, mm->cum.set ? "" : "无数据", c->text);
        }
    }
    apply_widths(c, s, T_NCOLS);
    hu_lxw.worksheet_freeze_panes(ws, 1, 0);
    if (c->trend_last > 0)
        chk(c, hu_lxw.worksheet_autofilter(ws, 0, 0, c->trend_last, T_NCOLS - 1));
    print_setup(c, s, SHEET_TREND, true, true);
}

/* ---------- 主要指标 ---------- */

/* A difference of two figures in 百分点, rounded to the text's one decimal: the difference is
 * exact at s places first (ROUND(diff,s)), then rounded half away from zero. */
static const char *points(ctx *c, const char *diff, int s) {
    if (s <= 1) return hu_arena_printf(&c->a, "ROUND(%s,1)", diff);
    return hu_arena_printf(&c->a, "ROUND(ROUND(%s,%d),1)", diff, s);
}

/* The model's ratio in tenths of a percent as the cell's cached fraction: 4 -> 0.004. */
static double frac(int64_t tenths) {
    return (double)tenths / 1000.0;
}

static double tenths(int64_t t) {
    return (double)t / 10.0;
}

static void write_indicators(ctx *c, sheet *s) {
    lxw_worksheet *ws = s->ws;
    const hu_model *m = c->m;
    const char *heads[C_NCOLS] = {
        "序号",     "指标",     "单位",   hu_arena_printf(&c->a, "本期(%s)", m->period.cumulative),
        "上年同期", "增减额",   "同比",   hu_arena_printf(&c->a, "当月值(%d月)", c->month),
        "环比",     "年度目标", "完成率", "序时进度差",
        "备注"};
    for (int i = 0; i < C_NCOLS; i++)
        put_str(c, s, 0, i, heads[i], c->hdr);
    s->cap[C_NAME] = 34;
    s->cap[C_NOTE] = 40;

    size_t n = m->nindicators;
    int chart_n = 0;
    for (size_t i = 0; i < n; i++) {
        const hu_model_indicator *x = &m->indicators[i];
        int r = (int)i + 1, R = r + 1; /* 0-based row, Excel row number */
        int dec = x->decimals > MAX_DEC ? MAX_DEC : x->decimals, ex = x->exact_decimals;
        lxw_format *nf = c->num[dec];
        put_num(c, s, r, C_NO, (double)x->index, 0, c->center);
        put_str(c, s, r, C_NAME, x->name, c->wrap);
        put_str(c, s, r, C_UNIT, x->unit, c->center);
        const struct {
            int col;
            const hu_fig *f;
        } inputs[] = {{C_VAL, &x->value}, {C_LY, &x->last_year}, {C_TGT, &x->target}};
        for (size_t k = 0; k < sizeof inputs / sizeof *inputs; k++) {
            if (inputs[k].f->set)
                put_num(c, s, r, inputs[k].col, inputs[k].f->num, dec, nf);
            else
                chk(c, hu_lxw.worksheet_write_blank(ws, r, inputs[k].col, nf));
        }

        /* 增减额: the exact difference */
        put_formula(c, s, r, C_DIFF,
                    hu_arena_printf(&c->a,
                                    "=IF(AND(ISNUMBER(D%d),ISNUMBER(E%d)),ROUND(D%d-E%d,%d),\"\")",
                                    R, R, R, R, ex),
                    x->diff.set, x->diff.num, nf, dec, NULL);
        /* 同比: a percentage only from a positive base to a non-negative value, as the text
         * (otherwise it words 扭亏为盈/由盈转亏/减亏/增亏 or 无可比数据, format.md §4.2) */
        if (x->rate)
            put_formula(c, s, r, C_YOY,
                        hu_arena_printf(&c->a, "=IF(AND(ISNUMBER(D%d),ISNUMBER(E%d)),%s,\"\")", R,
                                        R, points(c, hu_arena_printf(&c->a, "D%d-E%d", R, R), ex)),
                        x->yoy.has_pct, tenths(x->yoy.tenths), c->pp, 1, "个百分点+");
        else
            put_formula(c, s, r, C_YOY,
                        hu_arena_printf(&c->a,
                                        "=IF(AND(ISNUMBER(D%d),ISNUMBER(E%d),E%d>0,D%d>=0),"
                                        "ROUND(ROUND(D%d-E%d,%d)/E%d,3),\"\")",
                                        R, R, R, R, R, R, ex, R),
                        x->yoy.has_pct, frac(x->yoy.tenths), c->pct, 3, NULL);
        /* 当月值 and 环比 from the months on 趋势 */
        int tp = trend_row(c, i, c->month - 1);
        if (x->rate) {
            chk(c, hu_lxw.worksheet_write_blank(ws, r, C_MV, nf));
            if (tp >= 0) {
                const char *p = cell_ref(c, SHEET_TREND, 'D', tp);
                put_formula(c, s, r, C_MOM,
                            hu_arena_printf(&c->a, "=IF(AND(ISNUMBER(D%d),ISNUMBER(%s)),%s,\"\")",
                                            R, p,
                                            points(c, hu_arena_printf(&c->a, "D%d-%s", R, p), ex)),
                            x->mom.has_pct, tenths(x->mom.tenths), c->pp, 1, "个百分点+");
            } else {
                chk(c, hu_lxw.worksheet_write_blank(ws, r, C_MOM, c->pp));
            }
        } else {
            if (c->month == 1)
                put_formula(c, s, r, C_MV,
                            hu_arena_printf(&c->a, "=IF(ISNUMBER(D%d),D%d,\"\")", R, R),
                            x->month_value.set, x->month_value.num, nf, dec, NULL);
            else if (tp >= 0) {
                const char *p = cell_ref(c, SHEET_TREND, 'D', tp);
                put_formula(c, s, r, C_MV,
                            hu_arena_printf(
                                &c->a, "=IF(AND(ISNUMBER(D%d),ISNUMBER(%s)),ROUND(D%d-%s,%d),\"\")",
                                R, p, R, p, ex),
                            x->month_value.set, x->month_value.num, nf, dec, NULL);
            } else
                chk(c, hu_lxw.worksheet_write_blank(ws, r, C_MV, nf));
            if (tp >= 0) {
                const char *p = cell_ref(c, SHEET_TREND, 'E', tp);
                put_formula(c, s, r, C_MOM,
                            hu_arena_printf(&c->a,
                                            "=IF(AND(ISNUMBER(H%d),ISNUMBER(%s),%s>0,H%d>=0),"
                                            "ROUND(ROUND(H%d-%s,%d)/%s,3),\"\")",
                                            R, p, p, R, R, p, ex, p),
                            x->mom.has_pct, frac(x->mom.tenths), c->pct, 3, NULL);
            } else {
                chk(c, hu_lxw.worksheet_write_blank(ws, r, C_MOM, c->pct));
            }
        }
        /* 完成率 and 序时进度差 (amounts: a rate's target is not "completed") */
        if (!x->rate) {
            put_formula(
                c, s, r, C_DONE,
                hu_arena_printf(&c->a,
                                "=IF(AND(ISNUMBER(D%d),ISNUMBER(J%d),J%d>0),ROUND(D%d/J%d,3),"
                                "\"\")",
                                R, R, R, R, R),
                x->completion_has, frac(x->completion_tenths), c->pct, 3, NULL);
            put_formula(c, s, r, C_SCHED,
                        hu_arena_printf(
                            &c->a, "=IF(ISNUMBER(K%d),ROUND(K%d*100-ROUND(%d/12*100,1),1),\"\")", R,
                            R, c->month),
                        x->schedule_has, tenths(x->schedule_gap_tenths), c->pp, 1, "个百分点+");
        } else {
            chk(c, hu_lxw.worksheet_write_blank(ws, r, C_DONE, c->pct));
            chk(c, hu_lxw.worksheet_write_blank(ws, r, C_SCHED, c->pp));
        }
        /* 备注: an estimate (约), the text's words where 同比 has no figure (扭亏为盈, 上年同期
         * 无可比数据: an empty cell alone would leave the reader guessing), the note */
        const char *parts[3] = {x->approx ? "约数" : NULL, x->yoy.has_pct ? NULL : x->yoy.text,
                                x->note};
        hu_buf nb = HU_BUF_INIT;
        for (int k = 0; k < 3; k++)
            if (parts[k] && *parts[k]) {
                if (nb.len) hu_buf_puts(&nb, "；");
                hu_buf_puts(&nb, parts[k]);
            }
        put_str(c, s, r, C_NOTE, hu_arena_strdup(&c->a, hu_buf_cstr(&nb)), c->wrap);
        hu_buf_free(&nb);
        /* hidden chart source: percentages only, a rate's 百分点 would not share the axis */
        if (!x->rate) {
            int cr = 1 + chart_n++;
            put_str(c, s, cr, C_CHART_NAME, x->name, NULL);
            put_formula(c, s, cr, C_CHART_YOY,
                        hu_arena_printf(&c->a, "=IF(ISNUMBER(G%d),G%d,\"\")", R, R), x->yoy.has_pct,
                        frac(x->yoy.tenths), c->pct, 3, NULL);
        }
    }
    int last = (int)n;
    apply_widths(c, s, C_NCOLS);
    if (chart_n) {
        lxw_row_col_options hide = {.hidden = 1};
        chk(c, hu_lxw.worksheet_set_column_opt(ws, C_CHART_NAME, C_CHART_YOY, 12, NULL, &hide));
        chk(c, hu_lxw.worksheet_write_string(ws, 0, C_CHART_NAME, "图表：指标", NULL));
        chk(c, hu_lxw.worksheet_write_string(ws, 0, C_CHART_YOY, "图表：同比", NULL));
    }
    hu_lxw.worksheet_freeze_panes(ws, 1, 2);
    if (n) chk(c, hu_lxw.worksheet_autofilter(ws, 0, 0, last, C_NCOLS - 1));
    if (n) {
        lxw_conditional_format down = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                       .criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN,
                                       .value = 0,
                                       .format = c->cf_down};
        chk(c, hu_lxw.worksheet_conditional_format_range(ws, 1, C_DIFF, last, C_YOY, &down));
        chk(c, hu_lxw.worksheet_conditional_format_range(ws, 1, C_MOM, last, C_MOM, &down));
        lxw_conditional_format behind = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                         .criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN,
                                         .value = 0,
                                         .format = c->cf_behind};
        chk(c, hu_lxw.worksheet_conditional_format_range(ws, 1, C_SCHED, last, C_SCHED, &behind));
        lxw_conditional_format behind_k = {.type = LXW_CONDITIONAL_TYPE_FORMULA,
                                           .value_string = "=AND(ISNUMBER($L2),$L2<0)",
                                           .format = c->cf_behind};
        chk(c, hu_lxw.worksheet_conditional_format_range(ws, 1, C_DONE, last, C_DONE, &behind_k));
    }
    print_setup(c, s, SHEET_IND, true, true);
}

/* ---------- 图表 ---------- */

static void write_charts(ctx *c, sheet *s) {
    lxw_worksheet *ws = s->ws;
    const hu_model *m = c->m;
    size_t n = m->nindicators;
    put_str(c, s, 0, 0,
            hu_arena_printf(&c->a, "%s主要指标同比增速与逐月走势（数据见“%s”“%s”两页）",
                            m->period.cumulative, SHEET_IND, SHEET_TREND),
            c->title);
    /* Charts printed whole: a page holds the 同比 chart, or two rows of month charts (a row is
     * 14 rows of 20 px; landscape A4 at 80% has room for about 40), with a break between. */
    int row = 2, on_page = 0;
    size_t nbreaks = 0;
    lxw_row_t *breaks = hu_arena_alloc(&c->a, (n / 2 + 3) * sizeof *breaks);
    /* 同比 of the amounts, from the hidden columns of 主要指标 */
    int chart_n = 0;
    for (size_t i = 0; i < n; i++)
        chart_n += !m->indicators[i].rate;
    if (chart_n) {
        lxw_chart *ch = hu_lxw.workbook_add_chart(c->wb, LXW_CHART_COLUMN);
        lxw_chart_series *se = hu_lxw.chart_add_series(ch, NULL, NULL);
        hu_lxw.chart_series_set_categories(se, SHEET_IND, 1, C_CHART_NAME, chart_n, C_CHART_NAME);
        hu_lxw.chart_series_set_values(se, SHEET_IND, 1, C_CHART_YOY, chart_n, C_CHART_YOY);
        hu_lxw.chart_series_set_name(se, "同比");
        hu_lxw.chart_series_set_labels(se);
        hu_lxw.chart_series_set_labels_num_format(se, "0.0%");
        lxw_chart_fill up = {.color = 0x4472C4}, downf = {.color = 0xC00000};
        /* color each bar by its sign (static: a recalculated sign keeps the old color) */
        lxw_chart_point *pts = hu_arena_alloc(&c->a, sizeof *pts * (size_t)chart_n);
        lxw_chart_point **pp = hu_arena_alloc(&c->a, sizeof *pp * (size_t)(chart_n + 1));
        int k = 0;
        for (size_t i = 0; i < n; i++) {
            const hu_model_indicator *x = &m->indicators[i];
            if (x->rate) continue;
            pts[k].fill = x->yoy.has_pct && x->yoy.tenths < 0 ? &downf : &up;
            pp[k] = &pts[k];
            k++;
        }
        pp[k] = NULL;
        chk(c, hu_lxw.chart_series_set_points(se, pp));
        hu_lxw.chart_title_set_name(
            ch, chart_text(c, hu_arena_printf(&c->a, "%s主要指标同比增速", m->period.cumulative)));
        lxw_chart_font tf = {.size = 12, .bold = 1};
        hu_lxw.chart_title_set_name_font(ch, &tf);
        hu_lxw.chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        hu_lxw.chart_axis_set_num_format(ch->y_axis, "0%");
        hu_lxw.chart_axis_set_label_position(ch->x_axis, LXW_CHART_AXIS_LABEL_POSITION_LOW);
        /* long Chinese names run into each other side by side: slant them */
        lxw_chart_font xf = {.size = 9, .rotation = chart_n > 6 ? -45 : 0};
        hu_lxw.chart_axis_set_num_font(ch->x_axis, &xf);
        hu_lxw.chart_show_hidden_data(ch);
        lxw_chart_options co = {.x_scale = 1.9, .y_scale = 1.3, .x_offset = 4, .y_offset = 4};
        chk(c, hu_lxw.worksheet_insert_chart_opt(ws, row, 0, ch, &co));
        row += 21;
        breaks[nbreaks++] = (lxw_row_t)row;
    }
    /* each indicator's months: 1—当月 as a line, 当月值 as columns (two points at least) */
    for (size_t i = 0; i < n; i++) {
        const hu_model_indicator *x = &m->indicators[i];
        int ncum = 0, nown = 0;
        for (int k = c->first[i]; k <= c->month; k++) {
            ncum += x->months[k - 1].cum.set;
            nown += x->months[k - 1].own.set;
        }
        int r0 = trend_row(c, i, c->first[i]), r1 = trend_row(c, i, c->month);
        const char *u = *x->unit ? hu_arena_printf(&c->a, "（%s）", x->unit) : "";
        bool any = false;
        for (int k = 0; k < 2; k++) {
            if (k == 0 ? ncum < 2 : x->rate || nown < 2) continue;
            lxw_chart *ch =
                hu_lxw.workbook_add_chart(c->wb, k == 0 ? LXW_CHART_LINE : LXW_CHART_COLUMN);
            lxw_chart_series *se = hu_lxw.chart_add_series(ch, NULL, NULL);
            hu_lxw.chart_series_set_categories(se, SHEET_TREND, r0, T_MONTH, r1, T_MONTH);
            hu_lxw.chart_series_set_values(se, SHEET_TREND, r0, k == 0 ? T_CUM : T_MV, r1,
                                           k == 0 ? T_CUM : T_MV);
            /* a rate over 1—N月 is no 累计值: its line is the rate itself */
            const char *what = k == 1 ? "当月值" : x->rate ? "" : "累计值";
            hu_lxw.chart_series_set_name(se, k == 1 ? "当月值" : "1—当月");
            if (k == 0) hu_lxw.chart_series_set_marker_type(se, LXW_CHART_MARKER_CIRCLE);
            hu_lxw.chart_title_set_name(
                ch, chart_text(c, hu_arena_printf(&c->a, "%s%s%s", clean(c, x->name), what, u)));
            lxw_chart_font tf = {.size = 11, .bold = 1};
            hu_lxw.chart_title_set_name_font(ch, &tf);
            hu_lxw.chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
            hu_lxw.chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
            /* bars measured from zero: an automatic minimum exaggerates small changes */
            bool neg = false;
            for (int j = c->first[i]; j <= c->month; j++)
                neg |= x->months[j - 1].own.set && x->months[j - 1].own.num < 0;
            if (k == 1 && !neg) hu_lxw.chart_axis_set_min(ch->y_axis, 0);
            lxw_chart_options co = {.x_scale = 0.9, .y_scale = 0.9, .x_offset = 4};
            chk(c, hu_lxw.worksheet_insert_chart_opt(ws, row, k * 8, ch, &co));
            any = true;
        }
        if (!any) continue;
        row += 14;
        if (++on_page == 2 && i + 1 < n) {
            breaks[nbreaks++] = (lxw_row_t)row;
            on_page = 0;
        }
    }
    print_setup(c, s, SHEET_CHARTS, true, false);
    hu_lxw.worksheet_set_print_scale(ws, 80); /* two charts side by side fit a landscape page */
    if (nbreaks) {
        breaks[nbreaks] = 0;
        chk(c, hu_lxw.worksheet_set_h_pagebreaks(ws, breaks));
    }
}

/* ---------- 亮点 ---------- */

static const char *hl_source(const hu_model_highlight *h) {
    return h->kind == HU_HL_SECTION ? "章节" : "自动提取";
}

static void write_highlights(ctx *c, sheet *s) {
    static const char *heads[] = {"序号", "章节", "亮点", "来源", "标记"};
    for (int i = 0; i < 5; i++)
        put_str(c, s, 0, i, heads[i], c->hdr);
    s->cap[1] = 40;
    s->cap[2] = 70;
    int r = 0;
    for (size_t i = 0; i < c->m->nhighlights; i++) {
        const hu_model_highlight *h = &c->m->highlights[i];
        r = (int)i + 1;
        put_num(c, s, r, 0, (double)r, 0, c->center);
        put_str(c, s, r, 1, h->section, c->wrap);
        put_str(c, s, r, 2, h->text, c->wrap);
        put_str(c, s, r, 3, hl_source(h), c->center);
        put_str(c, s, r, 4, h->concern ? "需关注" : NULL, c->center);
    }
    apply_widths(c, s, 5);
    hu_lxw.worksheet_freeze_panes(s->ws, 1, 0);
    if (r) chk(c, hu_lxw.worksheet_autofilter(s->ws, 0, 0, r, 4));
    print_setup(c, s, SHEET_HL, true, true);
}

/* ---------- 正文 ---------- */

/* The text of one Markdown block as the PDF sets it: the same parser and options, and the same
 * reading of its inlines (hu_doc_inlines), so no character the report shows goes missing
 * here and no markup shows. A soft break is nothing next to a CJK character and a space
 * between Latin words. ~~Deleted~~ runs are kept as runs of their own, written with a
 * struck-out font. */
typedef struct {
    size_t start; /* byte offset in the text */
    bool struck;
} run;

typedef struct {
    hu_buf b;
    run *runs;
    size_t nruns, cap;
    bool pending_break; /* a soft break waits for the next character */
} plain;

static void plain_put(ctx *c, plain *p, const char *s, bool struck) {
    if (!s || !*s) return;
    bool space = false;
    if (p->pending_break) { /* the one join rule, as every output (hu_cjk_joins) */
        uint32_t last = ' ', next = 0;
        if (p->b.len) last = hu_utf8_before(p->b.data, p->b.len);
        hu_utf8_decode(s, strlen(s), &next);
        space = !hu_cjk_joins(last, next) && last != ' ' && last != '\n' && next != ' ';
        p->pending_break = false;
    }
    if (!p->nruns || p->runs[p->nruns - 1].struck != struck) {
        HU_ARENA_GROW(&c->a, p->runs, p->nruns, p->cap);
        p->runs[p->nruns++] = (run){p->b.len, struck};
    }
    if (space) hu_buf_putc(&p->b, ' ');
    hu_buf_puts(&p->b, s);
}

typedef struct {
    ctx *c;
    plain *p;
} plain_ctx;

static void plain_piece(void *ctx, hu_md_piece piece, const char *s, unsigned style) {
    plain_ctx *k = ctx;
    if (piece == HU_MD_SOFTBREAK)
        k->p->pending_break = true;
    else
        plain_put(k->c, k->p, piece == HU_MD_TEXT ? s : "\n", style & HU_MD_STRIKE);
}

/* The inline children of n, read as markdown.c reads them for the PDF. */
static void plain_inlines(ctx *c, plain *p, cmark_node *n) {
    plain_ctx k = {c, p};
    hu_doc_inlines(n, 0, plain_piece, &k);
}

typedef struct body {
    ctx *c;
    sheet *s;
    int row;
} body;

static void body_row_rich(body *B, const char *path, const char *kind, const char *text,
                          lxw_rich_string_tuple **rich, lxw_format *f) {
    if (!text || !*text) return;
    B->row++;
    put_num(B->c, B->s, B->row, 0, (double)B->row, 0, B->c->center);
    put_str(B->c, B->s, B->row, 1, path, B->c->wrap);
    put_str(B->c, B->s, B->row, 2, kind, B->c->center);
    put_str_rich(B->c, B->s, B->row, 3, text, f, rich);
}

static void body_row(body *B, const char *path, const char *kind, const char *text) {
    body_row_rich(B, path, kind, text, NULL, B->c->wrap);
}

/* One row for the text in p; with struck runs, a rich string of the runs. */
static void body_plain_row(body *B, const char *path, const char *kind, plain *p) {
    ctx *c = B->c;
    const char *all = hu_buf_cstr(&p->b), *text = all;
    while (*text == ' ' || *text == '\n') /* blanks before the first character */
        text++;
    size_t lead = (size_t)(text - all);
    bool any = false;
    for (size_t i = 0; i < p->nruns; i++)
        any |= p->runs[i].struck;
    lxw_rich_string_tuple **list = NULL;
    if (any && *text && clean(c, text) == text) { /* not cleaned or cut: the runs still fit */
        lxw_rich_string_tuple *frags = hu_arena_alloc(&c->a, (p->nruns + 1) * sizeof *frags);
        list = hu_arena_alloc(&c->a, (p->nruns + 1) * sizeof *list);
        size_t nf = 0;
        for (size_t i = 0; i < p->nruns; i++) {
            size_t s0 = p->runs[i].start;
            size_t s1 = i + 1 < p->nruns ? p->runs[i + 1].start : p->b.len;
            if (s0 < lead) s0 = lead;
            if (s1 <= s0) continue;
            frags[nf] = (lxw_rich_string_tuple){p->runs[i].struck ? c->struck : NULL,
                                                hu_arena_strndup(&c->a, all + s0, s1 - s0)};
            list[nf] = &frags[nf];
            nf++;
        }
        list[nf] = NULL;
        /* libxlsxwriter wants two fragments at least: one alone is the whole cell, struck */
        if (nf == 1) {
            body_row_rich(B, path, kind, text, NULL,
                          frags[0].format == c->struck ? c->wrap_struck : c->wrap);
            return;
        }
    }
    body_row_rich(B, path, kind, text, list, c->wrap);
}

static void plain_free(plain *p) {
    hu_buf_free(&p->b);
    memset(p, 0, sizeof *p);
}

static void body_blocks(body *B, const char *path, const char *kind, cmark_node *n) {
    ctx *c = B->c;
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        plain p = {0};
        const char *t = cmark_node_get_type_string(k);
        switch (cmark_node_get_type(k)) {
        case CMARK_NODE_PARAGRAPH:
        case CMARK_NODE_HEADING:
            plain_inlines(c, &p, k);
            body_plain_row(B, path, kind, &p);
            break;
        case CMARK_NODE_CODE_BLOCK:
        case CMARK_NODE_HTML_BLOCK: {
            const char *lit = cmark_node_get_literal(k);
            if (cmark_node_get_type(k) == CMARK_NODE_HTML_BLOCK &&
                hu_doc_html_kind(lit) == HU_HTML_COMMENT)
                break;
            size_t len = lit ? strlen(lit) : 0;
            while (len && (lit[len - 1] == '\n' || lit[len - 1] == ' '))
                len--;
            if (len) body_row(B, path, kind, hu_arena_strndup(&c->a, lit, len));
            break;
        }
        case CMARK_NODE_THEMATIC_BREAK:
            break;
        default:
            if (t && (!strcmp(t, "table_row") || !strcmp(t, "table_header"))) {
                /* a table row: its cells, separated as in the Markdown */
                for (cmark_node *cell = cmark_node_first_child(k); cell;
                     cell = cmark_node_next(cell)) {
                    if (cell != cmark_node_first_child(k)) plain_put(c, &p, " | ", false);
                    plain_inlines(c, &p, cell);
                }
                body_plain_row(B, path, kind, &p);
            } else {
                body_blocks(B, path, kind, k); /* lists, items, quotes, tables */
            }
            break;
        }
        plain_free(&p);
    }
}

/* A Markdown field (a section's text): one row per paragraph, heading, list item paragraph,
 * code block and table row. */
static void body_md(body *B, const char *path, const char *kind, const char *md) {
    if (!md || !*md) return;
    cmark_node *doc = hu_doc_parse(md, strlen(md));
    body_blocks(B, path, kind, doc);
    cmark_node_free(doc);
}

/* A plain-text field (preamble, closing, points): written as it is, a row per paragraph. */
static void body_text(body *B, const char *path, const char *kind, const char *text) {
    if (!text) return;
    for (const char *p = text; *p;) {
        const char *e = strstr(p, "\n\n");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && (p[n - 1] == '\n' || p[n - 1] == ' '))
            n--;
        while (n && (*p == '\n' || *p == ' '))
            p++, n--;
        if (n) body_row(B, path, kind, hu_arena_strndup(&B->c->a, p, n));
        if (!e) break;
        p = e + 2;
    }
}

static void body_section(body *B, const hu_model_section *sec, const char *parent) {
    const char *self =
        sec->plain ? "" : hu_arena_printf(&B->c->a, "%s%s", sec->ordinal, sec->title);
    const char *path = !*self              ? (parent ? parent : "")
                       : parent && *parent ? hu_arena_printf(&B->c->a, "%s / %s", parent, self)
                                           : self;
    if (*self) body_row(B, path, "标题", self);
    body_md(B, path, "正文", sec->text);
    for (size_t i = 0; i < sec->npoints; i++)
        body_row(B, path, "要点",
                 hu_arena_printf(&B->c->a, "%s%s", sec->points[i].prefix, sec->points[i].text));
    for (size_t i = 0; i < sec->nsections; i++)
        body_section(B, &sec->sections[i], path);
}

/* The report's paragraphs as the default templates print them: 开头语, the paragraph of
 * figures, every section, 结束语, 附件说明. */
static void write_body(ctx *c, sheet *s) {
    static const char *heads[] = {"序号", "章节", "类型", "内容"};
    for (int i = 0; i < 4; i++)
        put_str(c, s, 0, i, heads[i], c->hdr);
    s->cap[1] = 36;
    s->cap[3] = 90;
    body B = {c, s, 0};
    const hu_model *m = c->m;
    body_text(&B, "（导语）", "正文", m->preamble_text);
    body_text(&B, "（主要指标）", "正文", m->indicator_summary);
    for (size_t i = 0; i < m->nsections; i++)
        body_section(&B, &m->sections[i], NULL);
    body_text(&B, "（结束语）", "正文", m->closing_text);
    for (size_t i = 0; i < m->nattachments; i++)
        body_row(&B, "（附件）", "附件", m->attachments[i].line);
    apply_widths(c, s, 4);
    hu_lxw.worksheet_freeze_panes(s->ws, 1, 0);
    if (B.row) chk(c, hu_lxw.worksheet_autofilter(s->ws, 0, 0, B.row, 3));
    print_setup(c, s, SHEET_BODY, true, true);
}

/* ---------- 说明 ---------- */

static void write_about(ctx *c, sheet *s) {
    const hu_model *m = c->m;
    put_str(c, s, 0, 0, "项目", c->hdr);
    put_str(c, s, 0, 1, "内容", c->hdr);
    s->cap[1] = 90;
    const char *rows[][2] = {
        {"单位", m->org},
        {"标题", m->title},
        {"报告期", m->period.text},
        {"累计期间", m->period.cumulative},
        {"序时进度", m->period.schedule_text},
        {"源文件", m->source_file},
        {"源文件 SHA-256", m->source_sha256},
        {"指标来源", m->figures_file ? hu_arena_printf(&c->a, "工作簿 %s", m->figures_file)
                                     : "源文件中的指标列表"},
        {"模板", m->template_name ? m->template_name : "默认"},
        {"生成时间", m->generated_text},
        {"生成工具", hu_arena_printf(&c->a, "huibao %s", m->tool_version)},
        {"公式", "增减额、同比、当月值、环比、完成率、序时进度差为公式，文件中保存了计算结果；修改"
                 "本期、上年同期、年度目标或“趋势”页的往月数后自动重算。"},
        {"精度", "增减额、当月值按输入数字的小数位精确计算，按指标的小数位显示；同比、环比、完成率"
                 "四舍五入到 0.1%，比率指标的同比、环比四舍五入到 0.1 个百分点，单元格保存的就是"
                 "这个数，与报告正文一致。"},
        {"口径", "上年同期（或上月）为零、缺失或为负数时不计算增速，单元格留空，正文的说法见备注。"
                 "比率类指标的同比、环比为百分点差。"},
        {"序时进度差", hu_arena_printf(&c->a,
                                       "完成率减序时进度（%d/12），单位为百分点；负数表示落后于序"
                                       "时进度，以红底标出。同比、环比下降以红字标出。",
                                       c->month)},
    };
    int n = (int)(sizeof rows / sizeof rows[0]);
    for (int i = 0; i < n; i++) {
        put_str(c, s, i + 1, 0, rows[i][0], c->label);
        put_str(c, s, i + 1, 1, rows[i][1], c->wrap);
    }
    apply_widths(c, s, 2);
    print_setup(c, s, SHEET_ABOUT, false, true);
}

/* ---------- the workbook ---------- */

static const char *lxw_msg(lxw_error e) {
    switch (e) {
    case LXW_ERROR_CREATING_XLSX_FILE:
        return "无法创建文件（目录不存在或没有写权限）";
    case LXW_ERROR_CREATING_TMPFILE:
        return "无法创建临时文件（请检查 TMPDIR 是否可写）";
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        return "内存不足";
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
    case LXW_ERROR_READING_TMPFILE:
        return "写入压缩包失败（磁盘可能已满）";
    default:
        return NULL;
    }
}

/* Where libxlsxwriter 1.1.4 would keep its temporary files (one per worksheet, chart, shared
 * strings and each XML part: 40 for a sample report), which it writes, reads back into the zip
 * and deletes; it has no in-memory output before 1.1.5. xlsxlib.c's lxw_tmpfile keeps them in
 * memory and ignores this; it stays for a library that would not bind to it. $TMPDIR when set
 * (it ignores TMPDIR itself and would use /tmp); else /dev/shm when it is a writable tmpfs, so
 * the files never reach a disk; else NULL, libxlsxwriter's default (/tmp). Asked once a
 * process. */
static const char *tmpdir_answer;
static void tmpdir_find(void) {
    const char *t = getenv("TMPDIR");
    struct statfs fs;
    if (t && *t)
        tmpdir_answer = t;
    else if (statfs("/dev/shm", &fs) == 0 && fs.f_type == 0x01021994 /* TMPFS_MAGIC */ &&
             access("/dev/shm", W_OK | X_OK) == 0)
        tmpdir_answer = "/dev/shm";
}
static const char *xlsx_tmpdir(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, tmpdir_find);
    return tmpdir_answer;
}

/* libxlsxwriter reports its own failures in English on stderr ("[ERROR] workbook_close(): Error
 * creating output xlsx file", "String exceeds Excel's limit"); huibao reports them in Chinese
 * through d, so stderr points at /dev/null while the library works. This is process-wide: with
 * hu_xlsx_start the rest of the report runs meanwhile, and it writes nothing to stderr (every
 * message goes to its hu_diags, printed after the report). Returns the saved descriptor, -1 if
 * none. */
static int mute_stderr(void) {
    fflush(stderr);
    int saved = dup(2), null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved < 0 || null < 0 || dup2(null, 2) < 0) {
        if (saved >= 0) close(saved);
        if (null >= 0) close(null);
        return -1;
    }
    close(null);
    return saved;
}

static void unmute_stderr(int saved) {
    if (saved < 0) return;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
}

bool hu_xlsx_write(const hu_model *m, const char *out_path, const hu_xlsx_options *o, hu_diags *d) {
    const char *name = o && o->display_path ? o->display_path : out_path;
    if (!m) {
        hu_error(d, name, 0, 0, NULL, "XLSX：报告模型缺失，无法生成工作簿");
        return false;
    }
    if (!out_path || !*out_path) {
        hu_error(d, NULL, 0, 0, NULL, "XLSX：未指定输出文件");
        return false;
    }
    /* on this thread: a workbook begun by hu_xlsx_start loads the library beside the PDF */
    if (!hu_lxw_load(name, d)) return false;
    ctx c = {0};
    hu_arena_init(&c.a);
    c.m = m;
    c.d = d;
    c.out = name;
    c.month = m->period.month >= 1 && m->period.month <= 12 ? m->period.month : 12;
    trend_layout(&c);

    /* Try the path first: libxlsxwriter only opens it at the very end and prints its own
     * English message to stderr when it cannot; library code must only report through d. */
    FILE *probe = fopen(out_path, "wb");
    if (!probe) {
        hu_error(d, name, 0, 0, NULL, "XLSX：无法创建文件（%s）：目录不存在或没有写权限",
                 strerror(errno));
        hu_arena_free(&c.a);
        return false;
    }
    fclose(probe);

    int muted = mute_stderr();
    lxw_workbook_options wo = {0};
    wo.tmpdir = (char *)xlsx_tmpdir();
    c.wb = hu_lxw.workbook_new_opt(out_path, &wo);
    if (!c.wb) {
        unmute_stderr(muted);
        hu_error(d, name, 0, 0, NULL, "XLSX：无法创建工作簿（内存不足或无法创建临时文件）");
        hu_arena_free(&c.a);
        return false;
    }
    make_formats(&c);
    sheet s_ind = {.ws = hu_lxw.workbook_add_worksheet(c.wb, SHEET_IND)};
    sheet s_hl = {.ws = hu_lxw.workbook_add_worksheet(c.wb, SHEET_HL)};
    sheet s_body = {.ws = hu_lxw.workbook_add_worksheet(c.wb, SHEET_BODY)};
    sheet s_trend = {.ws = hu_lxw.workbook_add_worksheet(c.wb, SHEET_TREND)};
    sheet s_charts = {.ws = hu_lxw.workbook_add_worksheet(c.wb, SHEET_CHARTS)};
    sheet s_about = {.ws = hu_lxw.workbook_add_worksheet(c.wb, SHEET_ABOUT)};
    if (!s_ind.ws || !s_hl.ws || !s_body.ws || !s_trend.ws || !s_charts.ws || !s_about.ws) {
        hu_lxw.workbook_close(c.wb); /* frees it; the partial file is the caller's temporary */
        unmute_stderr(muted);
        hu_error(d, name, 0, 0, NULL, "XLSX：无法创建工作表");
        hu_arena_free(&c.a);
        return false;
    }
    write_trend(&c, &s_trend);
    write_indicators(&c, &s_ind);
    write_charts(&c, &s_charts);
    write_highlights(&c, &s_hl);
    write_body(&c, &s_body);
    write_about(&c, &s_about);

    const char *org = clean(&c, m->org), *title = clean(&c, m->title);
    lxw_doc_properties props = {0};
    props.title = (char *)title;
    props.subject = (char *)hu_arena_printf(&c.a, "%s 主要指标与正文", m->period.text);
    props.author = (char *)org;
    props.company = props.author;
    props.category = "工作情况汇报";
    props.keywords = (char *)hu_arena_printf(&c.a, "工作情况汇报, 主要指标, %s", m->period.text);
    props.comments =
        (char *)clean(&c, hu_arena_printf(&c.a, "由 huibao %s 根据 %s 生成", m->tool_version,
                                          m->source_file ? m->source_file : "数据文件"));
    /* created: fixed by SOURCE_DATE_EPOCH (byte-identical runs); else the caller's clock */
    props.created = o && o->now > 0 ? (time_t)o->now : 0;
    chk(&c, hu_lxw.workbook_set_properties(c.wb, &props));

    lxw_error build_err = c.err;
    lxw_error e = hu_lxw.workbook_close(c.wb);
    unmute_stderr(muted);
    int rc = 0;
    if (e != LXW_NO_ERROR) {
        const char *msg = lxw_msg(e);
        hu_error(d, name, 0, 0, NULL, "XLSX：写入失败：%s（%s）", msg ? msg : "未知错误",
                 hu_lxw.lxw_strerror(e));
        rc = 1;
    } else if (build_err != LXW_NO_ERROR) {
        const char *msg = lxw_msg(build_err);
        hu_error(d, name, 0, 0, NULL, "XLSX：生成工作表时出错：%s（%s）",
                 msg ? msg : "内容超出 Excel 的限制", hu_lxw.lxw_strerror(build_err));
        rc = 1;
    }
    hu_arena_free(&c.a);
    return rc == 0;
}

/* ---------------------------------------------------------------- on a thread
 *
 * A report's workbook depends on the model only, and the model is complete before the PDF is
 * set: on a machine with a second core the workbook is written meanwhile (bench/README.md,
 * "PDF engine v2"). What makes that safe: the model is read-only from here on (const
 * everywhere after hu_model_build), the workbook has its own arena, diagnostics and temporary
 * files, libxlsxwriter and minizip keep no global state we share (its time stamps come from
 * o->now, not gmtime), and cmark-gfm's extension registry is filled before the thread starts
 * (the only global the workbook's Markdown parsing reads). */
struct hu_xlsx_job {
    const hu_model *m;
    char *out_path, *display_path;
    hu_xlsx_options o;
    bool has_o, threaded, ok;
    hu_diags d;
    hu_task task; /* the thread it is written on, when threaded (spare.h) */
    char sha[65]; /* of the file written, when hashed on the thread */
};

static void job_run(void *p) {
    hu_xlsx_job *j = p;
    /* on its thread, libxlsxwriter is loaded after the libraries the main thread needs sooner
     * (dynlib.h hu_dynlib_warm_wait) */
    if (j->threaded) hu_dynlib_warm_wait();
    j->ok = hu_xlsx_write(j->m, j->out_path, j->has_o ? &j->o : NULL, &j->d);
    hu_atomic *staged = j->has_o ? j->o.staged : NULL;
    if (!j->ok || !j->threaded || !staged) return;
    /* the file is closed: hashed here, off the report's critical path (hu_xlsx_finish_hashed) */
    if (!hu_sha256_file(j->out_path, j->sha)) j->sha[0] = 0;
    /* and made durable here too, while the main thread still sets the PDF: the commit then
     * does not wait for it (atomic.c, "fsyncs begun early") */
    hu_atomic_sync_here(staged);
}

hu_xlsx_job *hu_xlsx_start(const hu_model *m, const char *out_path, const hu_xlsx_options *o,
                           bool parallel) {
    hu_xlsx_job *j = hu_xcalloc(1, sizeof *j);
    j->m = m;
    j->out_path = out_path ? hu_strdup(out_path) : NULL;
    if (o) {
        j->o = *o;
        j->has_o = true;
        j->display_path = o->display_path ? hu_strdup(o->display_path) : NULL;
        j->o.display_path = j->display_path;
    }
    j->d = (hu_diags)HU_DIAGS_INIT;
    if (parallel) {
        /* filled here, once: the registry the thread's Markdown parsing reads */
        cmark_gfm_core_extensions_ensure_registered();
        /* set before the thread starts, which reads it (job_run); on a thread made before any
         * library was loaded when the run has one (spare.h), else on a new one */
        j->threaded = true;
        if (!hu_task_start(&j->task, job_run, j)) j->threaded = false;
    }
    return j;
}

bool hu_xlsx_finish(hu_xlsx_job *j, hu_diags *d) {
    return hu_xlsx_finish_hashed(j, d, NULL);
}

bool hu_xlsx_finish_hashed(hu_xlsx_job *j, hu_diags *d, char sha256[65]) {
    if (j->threaded)
        hu_task_join(&j->task);
    else
        job_run(j);
    bool ok = j->ok;
    if (sha256) memcpy(sha256, j->sha, 65);
    if (d) hu_diags_append(d, &j->d);
    hu_diags_free(&j->d);
    free(j->out_path);
    free(j->display_path);
    free(j);
    return ok;
}
