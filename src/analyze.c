/* analyze.c - exact decimal comparisons and their Chinese statistical wording.
 *
 * Numbers are exact decimals (decimal.h), so "(value - base) x 1000 / base" is exact before the
 * one rounding step. Rounding is half-up on the magnitude, which is what 四舍五入 means to a
 * reader (-4.05 -> -4.1). */
#include "analyze.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ comparisons */

const hu_cmp_words hu_words_yoy = {"同比", "与上年同期持平", "上年同期无可比数据"};
const hu_cmp_words hu_words_mom = {"环比", "与上月持平", "上月无可比数据"};

static hu_cmp cmp_empty(const hu_cmp_words *w, bool with_none) {
    hu_cmp r;
    memset(&r, 0, sizeof r);
    r.form = HU_FORM_NONE;
    r.dir = HU_DIR_NONE;
    r.text = with_none && w->none ? w->none : "";
    r.short_text = "—";
    return r;
}

static hu_cmp compare_dec(hu_arena *a, hu_dec v, hu_dec b, hu_ind_kind kind, bool profit, bool bei,
                          const char *unit, int decimals, const hu_cmp_words *w) {
    hu_cmp r = cmp_empty(w, true);
    if (!unit) unit = "";
    r.has_change = hu_dec_sub(v, b, &r.change);
    if (!r.has_change) return r; /* beyond 18 digits: say nothing rather than something wrong */
    if (kind == HU_IND_RATE) {
        hu_dec one = {1, 0};
        int64_t t;
        if (!hu_dec_ratio_tenths(r.change, one, 1, &t)) return r;
        r.has = r.has_pct = true;
        r.form = HU_FORM_POINTS;
        r.tenths = t;
        const char *mag = hu_tenths_text(a, t < 0 ? -t : t);
        r.pct_text = hu_arena_printf(a, "%s个百分点", mag);
        if (t == 0) {
            r.form = HU_FORM_FLAT;
            r.dir = HU_DIR_FLAT;
            r.text = w->flat;
            r.short_text = "持平";
        } else if (t > 0) {
            r.dir = HU_DIR_UP;
            r.text = hu_arena_printf(a, "%s提高%s个百分点", w->prefix, mag);
            r.short_text = hu_arena_printf(a, "%s个百分点", mag);
        } else {
            r.dir = HU_DIR_DOWN;
            r.text = hu_arena_printf(a, "%s下降%s个百分点", w->prefix, mag);
            r.short_text = hu_arena_printf(a, "-%s个百分点", mag);
        }
        return r;
    }
    int sb = hu_dec_sign(b), sv = hu_dec_sign(v);
    if (sb == 0) return r; /* no percentage of nothing */
    if (sb > 0 && sv >= 0) {
        int64_t t;
        if (!hu_dec_ratio_tenths(r.change, b, 100, &t)) return r;
        r.has = r.has_pct = true;
        r.tenths = t;
        const char *mag = hu_tenths_text(a, t < 0 ? -t : t);
        r.pct_text = hu_arena_printf(a, "%s%%", mag);
        if (t == 0) {
            r.form = HU_FORM_FLAT;
            r.dir = HU_DIR_FLAT;
            r.text = w->flat;
            r.short_text = "持平";
        } else if (t > 0) {
            r.dir = HU_DIR_UP;
            int64_t times;
            if (bei && t >= 1000 && hu_dec_ratio_tenths(r.change, b, 1, &times)) {
                r.form = HU_FORM_BEI;
                r.times_tenths = times;
                r.pct_text = hu_arena_printf(a, "%s倍", hu_tenths_text(a, times));
                r.text = hu_arena_printf(a, "%s增长%s", w->prefix, r.pct_text);
                r.short_text = r.pct_text;
            } else {
                r.form = HU_FORM_PERCENT;
                r.text = hu_arena_printf(a, "%s增长%s", w->prefix, r.pct_text);
                r.short_text = r.pct_text;
            }
        } else {
            r.form = HU_FORM_PERCENT; /* 倍 is never used for decreases */
            r.dir = HU_DIR_DOWN;
            r.text = hu_arena_printf(a, "%s下降%s", w->prefix, r.pct_text);
            r.short_text = hu_arena_printf(a, "-%s", r.pct_text);
        }
        return r;
    }
    /* A negative side: a percentage of a loss means nothing; say what happened and by how
     * much, in the indicator's own unit. */
    hu_dec mag = hu_dec_abs(r.change);
    r.change_text = hu_dec_format(a, mag, decimals);
    bool zero_change = hu_dec_sign(hu_dec_round(mag, decimals)) == 0;
    r.has = true;
    r.form = HU_FORM_LOSS;
    if (!profit) {
        /* not a profit: no 盈 or 亏, the change in the indicator's unit */
        int c = hu_dec_sign(r.change);
        if (c == 0 || zero_change) {
            r.form = HU_FORM_FLAT;
            r.dir = HU_DIR_FLAT;
            r.text = w->flat;
            r.short_text = "持平";
        } else {
            r.dir = c > 0 ? HU_DIR_UP : HU_DIR_DOWN;
            const char *verb = c > 0 ? "增加" : "减少";
            r.text = hu_arena_printf(a, "%s%s%s%s", w->prefix, verb, r.change_text, unit);
            r.short_text = hu_arena_printf(a, "%s%s", verb, r.change_text);
        }
        return r;
    }
    if (sb > 0) { /* profit last year, loss now */
        r.loss = HU_LOSS_TURN_LOSS;
        r.dir = HU_DIR_DOWN;
        r.text = hu_arena_printf(a, "%s由盈转亏，减少%s%s", w->prefix, r.change_text, unit);
        r.short_text = "由盈转亏";
    } else if (sv > 0) {
        r.loss = HU_LOSS_TURN_PROFIT;
        r.dir = HU_DIR_UP;
        r.text = hu_arena_printf(a, "%s扭亏为盈，增加%s%s", w->prefix, r.change_text, unit);
        r.short_text = "扭亏为盈";
    } else {
        int c = hu_dec_cmp(hu_dec_abs(v), hu_dec_abs(b));
        if (c == 0 || zero_change) {
            r.form = HU_FORM_FLAT;
            r.dir = HU_DIR_FLAT;
            r.text = w->flat;
            r.short_text = "持平";
        } else if (c < 0) {
            r.loss = HU_LOSS_LESS;
            r.dir = HU_DIR_UP;
            r.text = hu_arena_printf(a, "%s减亏%s%s", w->prefix, r.change_text, unit);
            r.short_text = hu_arena_printf(a, "减亏%s", r.change_text);
        } else {
            r.loss = HU_LOSS_MORE;
            r.dir = HU_DIR_DOWN;
            r.text = hu_arena_printf(a, "%s增亏%s%s", w->prefix, r.change_text, unit);
            r.short_text = hu_arena_printf(a, "增亏%s", r.change_text);
        }
    }
    return r;
}

hu_cmp hu_analyze_compare(hu_arena *a, const hu_num *value, const hu_num *base, hu_ind_kind kind,
                          bool profit, bool bei, const char *unit, int decimals,
                          const hu_cmp_words *w) {
    hu_dec v, b;
    if (!hu_dec_from_num(value, &v)) return cmp_empty(w, false);
    if (!hu_dec_from_num(base, &b)) return cmp_empty(w, true);
    return compare_dec(a, v, b, kind, profit, bei, unit, decimals, w);
}

bool hu_analyze_is_profit(const char *name) {
    static const char *const words[] = {"利润", "利税", "盈利", "盈亏", "损益", "收益", "净利"};
    if (!name) return false;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(name, words[i])) return true;
    return false;
}

bool hu_analyze_indicator_is_profit(const hu_indicator *ind) {
    return ind->kind == HU_IND_AMOUNT &&
           (ind->profit == HU_PROFIT_YES ||
            (ind->profit == HU_PROFIT_BY_NAME && hu_analyze_is_profit(ind->name)));
}

/* ------------------------------------------------------------------ indicators */

int hu_analyze_written_decimals(const hu_num *n) {
    if (!n || !n->set) return 0;
    if (!n->text) {
        hu_dec d;
        return hu_dec_from_num(n, &d) ? d.scale : 0;
    }
    /* "125.60" -> 2, "1.5e3" -> 0, "2.5e-2" -> 3: digits after the point minus the exponent */
    const char *s = n->text, *dot = strchr(s, '.');
    long frac = 0;
    if (dot)
        for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++)
            frac++;
    const char *e = strpbrk(s, "eE");
    if (e) frac -= strtol(e + 1, NULL, 10);
    if (frac < 0) frac = 0;
    return frac > 18 ? 18 : (int)frac;
}

/* The used 上月累计: the file's explicit value wins over history. */
static const hu_num *used_last_month(const hu_indicator *ind, int month, const hu_months *months) {
    if (ind->last_month.set) return &ind->last_month;
    if (months && month >= 2) return &months->cum[month - 1];
    return NULL;
}

int hu_analyze_decimals(const hu_indicator *ind, int month, const hu_months *months) {
    if (ind->decimals >= 0) return ind->decimals > 18 ? 18 : ind->decimals;
    int d = 0;
    const hu_num *nums[] = {&ind->value, &ind->last_year, used_last_month(ind, month, months),
                            &ind->target};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        int k = hu_analyze_written_decimals(nums[i]);
        if (k > d) d = k;
    }
    return d > HU_MAX_AUTO_DECIMALS ? HU_MAX_AUTO_DECIMALS : d;
}

char *hu_analyze_format(hu_arena *a, const hu_num *n, int decimals) {
    hu_dec d;
    if (!hu_dec_from_num(n, &d)) return NULL;
    return hu_dec_format(a, d, decimals);
}

int64_t hu_analyze_schedule_tenths(int month) {
    if (month < 1) month = 1;
    if (month > 12) month = 12;
    return (month * 1000 + 6) / 12; /* half-up: month 10 -> 833 */
}

static bool is_money(const char *unit) {
    return unit && strstr(unit, "元") != NULL;
}

/* A row label "其中：工业投资" names a part of the indicator above it; in a sentence the part
 * is "工业投资" (*part gets "其中，" then, else ""). */
static const char *sentence_name(const char *name, const char **part) {
    static const char *const qizhong[] = {"其中：", "其中:", "其中，", "其中,"};
    if (part) *part = "";
    if (!name) return "";
    for (size_t q = 0; q < sizeof qizhong / sizeof *qizhong; q++) {
        size_t k = strlen(qizhong[q]);
        if (strncmp(name, qizhong[q], k) == 0 && name[k]) {
            if (part) *part = "其中，";
            return name + k;
        }
    }
    return name;
}

static const char *cum_label(hu_arena *a, int month) {
    return month <= 1 ? "1月" : hu_arena_printf(a, "1—%d月", month);
}

void hu_analyze_indicator(hu_arena *a, const hu_indicator *ind, int month, const hu_months *months,
                          bool bei, hu_ind_result *out) {
    memset(out, 0, sizeof *out);
    const char *unit = ind->unit ? ind->unit : "";
    int dec = hu_analyze_decimals(ind, month, months);
    out->decimals = dec;
    out->value_text = hu_analyze_format(a, &ind->value, dec);
    if (out->value_text)
        out->value_phrase =
            hu_arena_printf(a, "%s%s%s", ind->approx ? "约" : "", out->value_text, unit);
    out->last_year_text = hu_analyze_format(a, &ind->last_year, dec);

    hu_dec v, ly;
    bool have_v = hu_dec_from_num(&ind->value, &v);
    if (have_v && hu_dec_from_num(&ind->last_year, &ly) && hu_dec_sub(v, ly, &out->diff)) {
        out->diff_set = true;
        out->diff_text = hu_dec_format(a, out->diff, dec);
    }
    bool profit = hu_analyze_indicator_is_profit(ind);
    out->yoy = hu_analyze_compare(a, &ind->value, &ind->last_year, ind->kind, profit, bei, unit,
                                  dec, &hu_words_yoy);

    const hu_num *lmu = used_last_month(ind, month, months);
    if (lmu) out->last_month = *lmu;
    out->last_month_text = hu_analyze_format(a, &out->last_month, dec);

    hu_dec lm, prev_own;
    bool have_lm = month >= 2 && hu_dec_from_num(&out->last_month, &lm);
    hu_cmp_words mw = hu_words_mom;
    if (ind->kind == HU_IND_AMOUNT) {
        if (have_v && month == 1) {
            out->month_set = true;
            out->month_value = v;
        } else if (have_v && have_lm) {
            out->month_set = hu_dec_sub(v, lm, &out->month_value);
        }
        /* 环比: this month's own value against the previous month's own value */
        bool have_prev = false;
        if (have_lm && month == 2) {
            prev_own = lm;
            have_prev = true;
        } else if (have_lm && month >= 3 && months) {
            hu_dec lm2;
            if (hu_dec_from_num(&months->cum[month - 2], &lm2))
                have_prev = hu_dec_sub(lm, lm2, &prev_own);
        }
        if (out->month_set && have_prev)
            out->mom = compare_dec(a, out->month_value, prev_own, HU_IND_AMOUNT, profit, bei, unit,
                                   dec, &mw);
        else
            out->mom = cmp_empty(&mw, false);
    } else {
        /* a cumulative rate is not additive: no 当月值; compare with 1—(N-1)月 in 百分点 */
        const char *lbl = cum_label(a, month - 1);
        mw.prefix = hu_arena_printf(a, "比%s", lbl);
        mw.flat = hu_arena_printf(a, "与%s持平", lbl);
        mw.none = "";
        if (have_v && have_lm)
            out->mom = compare_dec(a, v, lm, HU_IND_RATE, false, false, unit, dec, &mw);
        else
            out->mom = cmp_empty(&mw, false);
    }
    if (out->month_set) {
        out->month_value_text = hu_dec_format(a, out->month_value, dec);
        out->month_value_phrase =
            hu_arena_printf(a, "%s%s%s", ind->approx ? "约" : "", out->month_value_text, unit);
    }

    /* 年度目标 and 序时进度 (amounts only: a rate's target is not "completed") */
    out->target_text = hu_analyze_format(a, &ind->target, dec);
    hu_dec tg;
    int64_t c;
    /* a loss completes no share of a target: no "完成年度目标的-1.0%" */
    if (ind->kind == HU_IND_AMOUNT && have_v && hu_dec_sign(v) >= 0 &&
        hu_dec_from_num(&ind->target, &tg) && hu_dec_sign(tg) > 0 &&
        hu_dec_ratio_tenths(v, tg, 100, &c)) {
        out->completion_has = true;
        out->completion_tenths = c;
        out->completion_pct_text = hu_arena_printf(a, "%s%%", hu_tenths_text(a, c));
        out->completion_text = hu_arena_printf(a, "完成年度目标的%s", out->completion_pct_text);
        /* the gap of the two figures as printed, so that 87.3% - 83.3% reads as 4.0 */
        int64_t gap = c - hu_analyze_schedule_tenths(month);
        int64_t mag = gap < 0 ? -gap : gap;
        out->schedule_has = true;
        out->schedule_gap_tenths = gap;
        out->schedule_gap_text = hu_tenths_text(a, mag);
        if (gap > 0) {
            out->schedule_dir = HU_DIR_UP;
            out->schedule_text = hu_arena_printf(a, "超序时进度%s个百分点", out->schedule_gap_text);
            out->schedule_short = hu_arena_printf(a, "+%s", out->schedule_gap_text);
        } else if (gap < 0) {
            out->schedule_dir = HU_DIR_DOWN;
            out->schedule_text =
                hu_arena_printf(a, "低于序时进度%s个百分点", out->schedule_gap_text);
            out->schedule_short = hu_arena_printf(a, "-%s", out->schedule_gap_text);
        } else {
            out->schedule_dir = HU_DIR_FLAT;
            out->schedule_text = "与序时进度持平";
            out->schedule_short = "0.0";
        }
    }

    /* one clause for the opening paragraph. A row label "其中：工业投资" names a part of the
     * indicator above it: the clause reads "其中，完成工业投资……", never "完成其中：工业投资". A
     * negative amount is a loss: "利润总额亏损1.50亿元", not "完成利润总额-1.50亿元". */
    if (out->value_phrase) {
        const char *s, *part, *name = sentence_name(ind->name, &part);
        if (ind->kind == HU_IND_RATE)
            s = hu_arena_printf(a, "%s%s为%s", part, name, out->value_phrase);
        else if (have_v && hu_dec_sign(v) < 0 && profit)
            s = hu_arena_printf(a, "%s%s亏损%s%s%s", part, name, ind->approx ? "约" : "",
                                hu_dec_format(a, hu_dec_abs(v), dec), unit);
        else if (have_v && hu_dec_sign(v) < 0) /* not a loss: "完成" a negative reads wrong */
            s = hu_arena_printf(a, "%s%s为%s", part, name, out->value_phrase);
        else if (is_money(unit))
            s = hu_arena_printf(a, "%s完成%s%s", part, name, out->value_phrase);
        else
            s = hu_arena_printf(a, "%s%s%s", part, name, out->value_phrase);
        if (out->yoy.has) s = hu_arena_printf(a, "%s，%s", s, out->yoy.text);
        if (out->completion_has)
            s = hu_arena_printf(a, "%s，%s，%s", s, out->completion_text, out->schedule_text);
        out->sentence = s;
    }
    if (out->month_set && month >= 2) {
        const char *s = hu_arena_printf(a, "%d月份%s%s", month, is_money(unit) ? "完成" : "为",
                                        out->month_value_phrase);
        if (out->mom.has) s = hu_arena_printf(a, "%s，%s", s, out->mom.text);
        out->month_sentence = s;
    }
}

/* ------------------------------------------------------------------ highlights */

size_t hu_analyze_highlights(hu_arena *a, const hu_indicator *inds, const hu_ind_result *res,
                             size_t n, int max_positive, hu_auto_highlight **out) {
    hu_auto_highlight *v = hu_arena_alloc(a, sizeof *v * (2 * n + 1));
    size_t k = 0, positive = 0;
    size_t limit = max_positive < 0 ? (size_t)-1 : (size_t)max_positive;

    /* fastest growth: only meaningful among two or more growing amounts; money amounts
     * (…元) when there are such, since "增速最快" of a count of 4 firms reads oddly */
    size_t best = n, growing = 0;
    bool money_only = false;
    for (size_t i = 0; i < n; i++)
        if (inds[i].kind == HU_IND_AMOUNT && res[i].yoy.has_pct && res[i].yoy.dir == HU_DIR_UP &&
            inds[i].unit && strstr(inds[i].unit, "元"))
            growing++;
    money_only = growing >= 2;
    growing = 0;
    for (size_t i = 0; i < n; i++) {
        const hu_cmp *y = &res[i].yoy;
        if (inds[i].kind != HU_IND_AMOUNT || !y->has_pct || y->dir != HU_DIR_UP) continue;
        if (money_only && !(inds[i].unit && strstr(inds[i].unit, "元"))) continue;
        growing++;
        if (best == n || y->tenths > res[best].yoy.tenths) best = i;
    }
    if (growing >= 2 && positive < limit) {
        v[k++] = (hu_auto_highlight){best,
                                     hu_arena_printf(a, "%s增速最快，%s",
                                                     sentence_name(inds[best].name, NULL),
                                                     res[best].yoy.text),
                                     false, "fastest"};
        positive++;
    }
    for (size_t i = 0; i < n && positive < limit; i++) {
        if (!res[i].schedule_has || res[i].schedule_dir != HU_DIR_UP) continue;
        v[k++] =
            (hu_auto_highlight){i,
                                hu_arena_printf(a, "%s%s，%s", sentence_name(inds[i].name, NULL),
                                                res[i].completion_text, res[i].schedule_text),
                                false, "ahead"};
        positive++;
    }
    /* concerns: one per indicator, never limited */
    for (size_t i = 0; i < n; i++) {
        bool down = res[i].yoy.has && res[i].yoy.dir == HU_DIR_DOWN;
        bool behind = res[i].schedule_has && res[i].schedule_dir == HU_DIR_DOWN;
        if (!down && !behind) continue;
        const char *t = sentence_name(inds[i].name, NULL);
        if (down) t = hu_arena_printf(a, "%s%s", t, res[i].yoy.text);
        if (behind)
            t = hu_arena_printf(a, "%s%s%s，%s", t, down ? "，" : "", res[i].completion_text,
                                res[i].schedule_text);
        v[k++] = (hu_auto_highlight){i, t, true, down ? "decline" : "behind"};
    }
    *out = v;
    return k;
}
