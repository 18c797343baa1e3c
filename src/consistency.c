/* consistency.c - a report against its period and its folder (consistency.h). */
#include "consistency.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fileio.h"
#include "period.h"

typedef struct ctx {
    const hu_report *r;
    bool strict;
    hu_diags *d;
    int found;
} ctx;

static void say(ctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(ctx *c, const char *key, const char *fmt, ...) {
    const hu_value *v = hu_v_get(c->r->root, key);
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hu_diag_add(c->d, c->strict ? HU_ERROR : HU_WARNING, c->r->file, v ? v->line : 0,
                v ? v->col : 0, key, "%s", msg);
    c->found++;
}

static int days_in(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* The title names the report's period: its first phrase with months (or, without one, its
 * years) names this period; later phrases name it or a later one (……及11月份工作打算). */
static void check_title(ctx *c) {
    const hu_report *r = c->r;
    if (!r->title) return;
    hu_period_phrase p[16];
    size_t n = hu_period_phrases(r->title, p, 16);
    if (n > 16) n = 16;
    bool seen_months = false;
    for (size_t i = 0; i < n; i++) {
        const hu_period_phrase *x = &p[i];
        bool first = !seen_months && x->kind != HU_PHRASE_YEAR;
        if (x->kind != HU_PHRASE_YEAR) seen_months = true;
        bool ok =
            hu_period_phrase_names(x, r->year, r->month) ||
            (!first && seen_months && hu_period_phrase_after(x, r->year, r->month)) ||
            (x->kind == HU_PHRASE_YEAR && hu_period_phrase_after(x, r->year, r->month) && i > 0);
        if (ok) continue;
        hu_buf want = HU_BUF_INIT;
        hu_period_phrase_write(x, r->year, r->month, &want);
        say(c, "title",
            "标题中的“%.*s”与 period（%s）不符，%d年%d月的报告应写“%s”；从上个月复制的文件请改标题",
            (int)(x->end - x->start), r->title + x->start, r->period, r->year, r->month,
            hu_buf_cstr(&want));
        hu_buf_free(&want);
        return; /* one finding per title: the rest follows from the same copy */
    }
}

/* 2026-09.yaml holds the September report. */
static void check_name(ctx *c) {
    const hu_report *r = c->r;
    int y, m;
    if (!r->file || !hu_period_from_name(r->file, &y, &m)) return;
    if (y == r->year && m == r->month) return;
    const char *base = hu_path_base(r->file);
    char *stem = hu_path_stem(r->file);
    const char *ext = strrchr(base, '.');
    say(c, "period",
        "文件名 %s 表示 %d年%d月，而 period 是 %s：生成的 %s.pdf "
        "等文件名是%d月，内容却是%d月的报告；"
        "请把 period 改为 %04d-%02d，或把文件改名为 %04d-%02d%s",
        base, y, m, r->period, stem, m, r->month, y, m, r->year, r->month, ext ? ext : "");
    free(stem);
}

/* The 成文日期 comes after the period it reports on. */
static void check_date(ctx *c) {
    const hu_report *r = c->r;
    if (!r->has_date) return;
    long date = r->date_y * 10000L + r->date_m * 100 + r->date_d;
    long end = r->year * 10000L + r->month * 100 + days_in(r->year, r->month);
    char d[16];
    snprintf(d, sizeof d, "%04d-%02d-%02d", r->date_y, r->date_m, r->date_d);
    if (date < end) {
        say(c, "date",
            "成文日期 %s 早于统计期 %d年%d月的结束（%d月%d日）：%d年1—%d月的汇报在这之后才能成文；"
            "是从上个月复制来的日期吗？",
            d, r->year, r->month, r->month, days_in(r->year, r->month), r->year, r->month);
    } else if (date > end + 10000) {
        say(c, "date", "成文日期 %s 比统计期 %d年%d月晚一年以上，请核对年份", d, r->year, r->month);
    }
}

/* Two files of one office for one month, and an org spelt unlike the folder's other months. */
static void check_folder(ctx *c, const hu_history *h) {
    const hu_report *r = c->r;
    const hu_sibling *s;
    size_t n = hu_history_siblings(h, &s);
    if (!n || !r->period || !r->org) return;
    for (size_t i = 0; i < n; i++)
        if (!s[i].broken && s[i].period && s[i].org && !strcmp(s[i].period, r->period) &&
            !strcmp(s[i].org, r->org)) {
            say(c, "period",
                "同一文件夹的 %s 也是 %s 的 %d年%d月报告：两份会互相矛盾；从上个月复制后是否忘了改 "
                "period？",
                s[i].file, r->org, r->year, r->month);
            break;
        }
    /* the org every other month of the folder writes, when they agree */
    const char *other = NULL;
    size_t count = 0;
    hu_buf files = HU_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (s[i].broken || !s[i].org || !s[i].period) continue;
        /* another month of the same office, or several offices sharing the folder */
        if (!strcmp(s[i].org, r->org) || (other && strcmp(other, s[i].org))) {
            hu_buf_free(&files);
            return;
        }
        other = s[i].org;
        if (count < 3) hu_buf_printf(&files, "%s%s", count ? "、" : "", hu_path_base(s[i].file));
        count++;
    }
    if (!other) return;
    if (count > 3) hu_buf_printf(&files, " 等 %zu 个文件", count);
    say(c, "org",
        "org“%s”与同一文件夹其他月份（%s）的“%s”不同：那些月份不会作为往月数据使用（环比、累计趋势"
        "缺失）；同一单位请写成一样",
        r->org, hu_buf_cstr(&files), other);
    hu_buf_free(&files);
}

int hu_consistency_check(const hu_report *r, const hu_history *h, bool strict, hu_diags *d) {
    ctx c = {r, strict, d, 0};
    check_title(&c);
    check_name(&c);
    check_date(&c);
    if (h) check_folder(&c, h);
    return c.found;
}
