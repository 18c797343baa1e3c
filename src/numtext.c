/* numtext.c - numbers, periods and dates as people type them (see numtext.h).
 *
 * The rule for "unambiguous": a form is converted only when every reader of the report would
 * take the same figure from it and the figure is in the indicator's own unit. Full-width
 * digits, a comma every three digits, the unit already given in `unit:` and the % of a rate
 * qualify. A different magnitude (亿 in a 万元 indicator), a comma elsewhere (1,23 could be a
 * decimal comma), words such as 约 or 超过, accounting brackets and anything unrecognised are
 * refused; the message carries the figure to write where it can be computed exactly. */
#include "numtext.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define MAX_IN 200 /* longer text is no figure */

static void say(char *msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(char *msg, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, HU_NUMTEXT_MSG, fmt, ap);
    va_end(ap);
}

/* Append to a reason list, separated by "，". */
static void add_reason(char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_reason(char *why, size_t cap, const char *fmt, ...) {
    size_t k = strlen(why);
    if (k && k + 4 < cap) strcpy(why + k, "，"), k += strlen("，");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why + k, cap - k, fmt, ap);
    va_end(ap);
}

/* The text as the user wrote it, trimmed and cut for quoting in a message. */
static void quote_src(const char *s, size_t n, char out[96]) {
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    size_t k = 0, cps = 0;
    uint32_t cp;
    while (k < n && cps < 24 && k < 80) {
        size_t l = hu_utf8_decode(s + k, n - k, &cp);
        if (k + l > 80) break;
        k += l, cps++;
    }
    snprintf(out, 96, "%.*s%s", (int)k, s, k < n ? "…" : "");
}

/* Full-width ASCII forms (Ｕ+FF01–FF5E) become ASCII, the ideographic space and no-break spaces
 * become spaces, U+2212 minus becomes '-'; *fw tells whether anything changed. The full-width
 * comma stays: "23，420" is as likely a list as a thousands separator. Returns the length, or
 * (size_t)-1 when the text is too long to be a figure. */
static size_t normalise(const char *s, size_t n, char *out, size_t cap, bool *fw) {
    size_t k = 0;
    *fw = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = hu_utf8_decode(s + i, n - i, &cp);
        if (k + 4 >= cap) return (size_t)-1;
        if (cp >= 0xFF01 && cp <= 0xFF5E && cp != 0xFF0C) {
            out[k++] = (char)(cp - 0xFF01 + 0x21);
            *fw = true;
        } else if (cp == 0x3000 || cp == 0xA0 || cp == 0x202F) {
            out[k++] = ' ';
        } else if (cp == 0x2212) {
            out[k++] = '-';
            *fw = true;
        } else {
            memcpy(out + k, s + i, l);
            k += l;
        }
        i += l;
    }
    out[k] = 0;
    /* trim */
    size_t a = 0;
    while (a < k && (out[a] == ' ' || out[a] == '\t'))
        a++;
    while (k > a && (out[k - 1] == ' ' || out[k - 1] == '\t'))
        k--;
    memmove(out, out + a, k - a);
    out[k - a] = 0;
    return k - a;
}

static bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

static bool starts(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Magnitude words that may lead a unit or follow a figure, longest first. 千 and 百 are left
 * out on purpose: 千瓦时, 千克 and 百分点 are units of their own, not thousands of 瓦时. */
static const struct {
    const char *word;
    int exp;
} MAGS[] = {{"万亿", 12}, {"千万", 7}, {"百万", 6}, {"十万", 5}, {"亿", 8}, {"万", 4}};

/* Split a unit into its magnitude word (exponent) and base: 亿元 -> 8, 元; 个 -> 0, 个. */
static const char *split_unit(const char *u, int *exp) {
    for (size_t i = 0; i < sizeof MAGS / sizeof *MAGS; i++)
        if (starts(u, MAGS[i].word)) {
            *exp = MAGS[i].exp;
            return u + strlen(MAGS[i].word);
        }
    *exp = 0;
    return u;
}

/* digits of int part `ip` and fraction `fp` times 10^k, as a plain decimal without leading or
 * trailing zeros (at least "0"). */
static void shift_decimal(const char *ip, const char *fp, int k, bool neg, char *out, size_t cap) {
    char digits[96];
    size_t ni = strlen(ip), nf = strlen(fp);
    if (ni + nf + 1 > sizeof digits) {
        snprintf(out, cap, "?");
        return;
    }
    memcpy(digits, ip, ni);
    memcpy(digits + ni, fp, nf);
    digits[ni + nf] = 0;
    long point = (long)ni + k; /* digits before the decimal point */
    long total = (long)(ni + nf);
    char buf[256];
    size_t b = 0;
    if (point <= 0) {
        buf[b++] = '0';
        buf[b++] = '.';
        for (long z = 0; z < -point && b < 200; z++)
            buf[b++] = '0';
        for (long i = 0; i < total && b < 250; i++)
            buf[b++] = digits[i];
    } else {
        for (long i = 0; i < point && b < 250; i++)
            buf[b++] = i < total ? digits[i] : '0';
        if (point < total) {
            buf[b++] = '.';
            for (long i = point; i < total && b < 250; i++)
                buf[b++] = digits[i];
        }
    }
    buf[b] = 0;
    /* trailing zeros of the fraction, then leading zeros of the integer part */
    if (strchr(buf, '.')) {
        while (b && buf[b - 1] == '0')
            buf[--b] = 0;
        if (b && buf[b - 1] == '.') buf[--b] = 0;
    }
    const char *p = buf;
    while (p[0] == '0' && p[1] && p[1] != '.')
        p++;
    bool zero = strspn(p, "0.") == strlen(p);
    snprintf(out, cap, "%s%s", neg && !zero ? "-" : "", p);
}

/* Words before a figure that make it no exact figure. */
static const char *const APPROX[] = {"大约", "约", NULL};
static const char *const BOUND[] = {"超过", "不到", "不足", "近", "超", "逾", "达", NULL};
/* What people write for "no figure". */
static const char *const NONE[] = {"-",   "--",  "—",  "——",   "/",      "无", "暂无",
                                   "N/A", "n/a", "空", "待定", "待统计", NULL};

/* The advice names what to change: the YAML field, or the column of a workbook (figures.h). */
typedef struct words {
    const char *none;      /* no figure */
    const char *approx;    /* 约…: %s the figure */
    const char *approx0;   /* 约… without a readable figure */
    const char *exact;     /* 超过… */
    const char *no_unit;   /* not a figure */
    const char *only;      /* a % in an indicator with another unit */
    const char *pct_unit;  /* a % without unit: %s the figure */
    const char *suffix;    /* a unit without unit: %s figure, %s suggestion */
    const char *unit_to;   /* "或把 unit 改为" */
    const char *in_unit;   /* "单位已写在 unit 中" */
    const char *mismatch;  /* another unit after the figure */
    const char *unit_said; /* the unit after the figure is the indicator's */
} words;

static const words YAML_WORDS = {
    "没有这项数据时请删去这个字段",
    "约数请写成 value: %s 并加一行 approx: true（报告中写作“约……”）",
    "约数请只写数字，并加一行 approx: true（报告中写作“约……”）",
    "value 请填写统计的确切数值，如 125.6",
    "应写成数字，如 125.6（单位写在 unit 中，不加引号）",
    "value 只写数字",
    "value 只写数字 %s，并加 unit: %%（比率指标再加 kind: rate）",
    "value 只写数字 %s，单位写在 unit 字段（如 unit: %s）",
    "或把 unit 改为",
    "已写在 unit 中",
    "value 只写数字，单位写在 unit 中",
    "单位已写在 unit 中",
};

static const words SHEET_WORDS = {
    "没有这项数据时请让单元格空着",
    "约数请只填数字 %s，并在“约数”列填“是”（报告中写作“约……”）",
    "约数请只填数字，并在“约数”列填“是”（报告中写作“约……”）",
    "请填写统计的确切数值，如 125.6",
    "应填数字，如 125.6（单位填在“单位”列）",
    "单元格只填数字",
    "单元格只填数字 %s，并在“单位”列填 %%（比率指标在“类型”列填“比率”）",
    "单元格只填数字 %s，单位填在“单位”列（如 %s）",
    "或把“单位”列改为",
    "已填在“单位”列",
    "单元格只填数字，单位填在“单位”列",
    "单位已填在“单位”列",
};

static hu_numtext_status number(const char *s, size_t n, const char *unit, bool rate,
                                const words *W, hu_numtext *out);

hu_numtext_status hu_numtext_number(const char *s, size_t n, const char *unit, bool rate,
                                    hu_numtext *out) {
    return number(s, n, unit, rate, &YAML_WORDS, out);
}

hu_numtext_status hu_numtext_cell(const char *s, size_t n, const char *unit, bool rate,
                                  hu_numtext *out) {
    return number(s, n, unit, rate, &SHEET_WORDS, out);
}

static hu_numtext_status number(const char *s, size_t n, const char *unit, bool rate,
                                const words *W, hu_numtext *out) {
    memset(out, 0, sizeof *out);
    char src[96];
    quote_src(s, n, src);
    char buf[4 * MAX_IN + 8];
    bool fw;
    size_t len = n > MAX_IN ? (size_t)-1 : normalise(s, n, buf, sizeof buf, &fw);
    out->status = HU_NUMTEXT_REFUSED;
    if (len == (size_t)-1) {
        say(out->msg, "文字太长，不是一个数字；应写成数字，如 125.6");
        return out->status;
    }
    if (len == 0) {
        say(out->msg, "是空的文字；应写成数字，如 125.6");
        return out->status;
    }
    for (const char *const *w = NONE; *w; w++)
        if (!strcmp(buf, *w)) {
            say(out->msg, "“%s”不是数字：%s", src, W->none);
            return out->status;
        }
    const char *p = buf;
    for (const char *const *w = APPROX; *w; w++)
        if (starts(p, *w)) {
            hu_numtext rest;
            const char *r = p + strlen(*w);
            if (number(r, strlen(r), unit, rate, W, &rest) != HU_NUMTEXT_REFUSED) {
                char advice[HU_NUMTEXT_MSG];
                snprintf(advice, sizeof advice, W->approx, rest.text);
                say(out->msg, "“%s”：%s", src, advice);
            } else {
                say(out->msg, "“%s”：%s", src, W->approx0);
            }
            return out->status;
        }
    for (const char *const *w = BOUND; *w; w++)
        if (starts(p, *w) && (is_digit(p[strlen(*w)]) || p[strlen(*w)] == ' ')) {
            say(out->msg, "“%s”不是确切的数字：%s", src, W->exact);
            return out->status;
        }
    if (*p == '(' && p[len - 1] == ')') {
        say(out->msg, "“%s”：负数请写成 -%.*s，不用括号", src, (int)(len - 2), p + 1);
        return out->status;
    }
    bool neg = false;
    if (*p == '-' || *p == '+') neg = *p++ == '-';
    /* integer part, with a comma every three digits allowed */
    char ip[64], fp[64];
    size_t ni = 0, nf = 0, group = 0;
    bool commas = false, comma_ok = true, any = false;
    while (is_digit(*p) || (*p == ',' && is_digit(p[1]))) {
        if (*p == ',') {
            if (!commas && (group < 1 || group > 3)) comma_ok = false;
            if (commas && group != 3) comma_ok = false;
            commas = true;
            group = 0;
        } else {
            if (ni + 1 >= sizeof ip) break;
            ip[ni++] = *p;
            group++;
            any = true;
        }
        p++;
    }
    if (commas && group != 3) comma_ok = false;
    ip[ni] = 0;
    bool point = false;
    if (*p == '.' && (is_digit(p[1]) || ni)) {
        point = true;
        p++;
        while (is_digit(*p) && nf + 1 < sizeof fp) {
            fp[nf++] = *p++;
            any = true;
        }
    }
    fp[nf] = 0;
    if (!any || ni > 15 || (is_digit(*p))) {
        if (any && ni > 15)
            say(out->msg, "“%s”的整数部分超过 15 位，不像是统计数；请检查", src);
        else
            say(out->msg, "“%s”不是数字：%s", src, W->no_unit);
        return out->status;
    }
    if (commas && !comma_ok) {
        say(out->msg,
            "“%s”中的逗号不是千分位（每三位一个）：小数点请写“.”，如 1.23；千分位可以不写", src);
        return out->status;
    }
    if (*p == '.' || *p == ',') {
        say(out->msg, "“%s”不是数字：只能有一个小数点，不能有多余的“%c”", src, *p);
        return out->status;
    }
    /* the suffix: a unit or % */
    while (*p == ' ')
        p++;
    const char *suffix = p;
    if (starts(suffix, "，") && is_digit(suffix[strlen("，")])) {
        say(out->msg, "“%s”中有全角逗号“，”：千分位请写半角“,”或不写，小数点请写“.”", src);
        return out->status;
    }
    if (strpbrk(suffix, "0123456789")) {
        say(out->msg, "“%s”不是数字：%s", src, W->no_unit);
        return out->status;
    }
    const char *u = unit ? unit : "";
    char why[256] = "";
    if (fw) add_reason(why, sizeof why, "全角数字和符号换成了半角");
    if (commas) add_reason(why, sizeof why, "去掉了千分位逗号");
    if (*suffix) {
        bool pct = !strcmp(suffix, "%");
        int es, eu;
        const char *bs = split_unit(suffix, &es), *bu = split_unit(u, &eu);
        char fig[160]; /* the figure alone, for the messages */
        shift_decimal(ni ? ip : "0", fp, 0, neg, fig, sizeof fig);
        if (!strcmp(suffix, u) || (pct && rate && (!*u || !strcmp(u, "%")))) {
            add_reason(why, sizeof why, "去掉了数字后面的“%s”（%s）", suffix,
                       pct && !*u ? "比率指标的单位是 %" : W->unit_said);
        } else if (pct) {
            if (*u)
                say(out->msg, "“%s”带 %%，而这个指标的单位是“%s”：%s", src, u, W->only);
            else {
                char advice[HU_NUMTEXT_MSG];
                snprintf(advice, sizeof advice, W->pct_unit, fig);
                say(out->msg, "“%s”带 %%：%s", src, advice);
            }
            return out->status;
        } else if (!*u) {
            char advice[HU_NUMTEXT_MSG];
            snprintf(advice, sizeof advice, W->suffix, fig, *bs ? suffix : "亿元");
            say(out->msg, "“%s”：数字后面不能带单位“%s”。%s", src, suffix, advice);
            return out->status;
        } else if (es != eu && (!*bs || !strcmp(bs, bu)) && (es || *bs)) {
            /* same base, another magnitude: the figure in the indicator's unit */
            shift_decimal(ni ? ip : "0", fp, es - eu, neg, fig, sizeof fig);
            say(out->msg, "“%s”与指标单位“%s”不一致：%s = %s%s，请写 %s（%s %.*s%s）", src, u, src,
                fig, u, fig, W->unit_to, (int)(bs - suffix), suffix, bu);
            return out->status;
        } else if (es == eu && !*bs && es) {
            add_reason(why, sizeof why, "去掉了数字后面的“%s”（单位“%s”%s）", suffix, u,
                       W->in_unit);
        } else {
            say(out->msg, "“%s”：数字后面的“%s”与指标单位“%s”不一致；%s", src, suffix, u,
                W->mismatch);
            return out->status;
        }
    }
    /* the decimal as written: no '+', no leading zeros, fraction digits kept */
    const char *ipp = ip;
    while (ipp[0] == '0' && ipp[1])
        ipp++;
    bool zero = strspn(ipp, "0") == strlen(ipp) && strspn(fp, "0") == nf;
    snprintf(out->text, sizeof out->text, "%s%s%s%s", neg && !zero ? "-" : "", *ipp ? ipp : "0",
             nf ? "." : "", fp);
    out->value = strtod(out->text, NULL);
    if (!*why && !(point && !nf) && !(ipp != ip)) {
        out->status = HU_NUMTEXT_OK;
        return out->status;
    }
    out->status = HU_NUMTEXT_CONVERTED;
    if (!*why) add_reason(why, sizeof why, "写法已规范");
    say(out->msg, "“%s”已按 %s 读取：%s", src, out->text, why);
    return out->status;
}

/* ---------------------------------------------------------------- periods and dates */

/* Read 1–4 ASCII digits at *p; returns the number or -1. *nd gets the digit count. */
static int read_int(const char **p, int maxd, int *nd) {
    int v = 0, k = 0;
    while (is_digit(**p) && k < maxd) {
        v = v * 10 + (**p - '0');
        (*p)++, k++;
    }
    *nd = k;
    if (is_digit(**p)) return -1; /* too many digits */
    return k ? v : -1;
}

/* Range marks between the first and last month: 1—10月, 1-10月, 1至10月, 1~10月. */
static bool range_mark(const char **p) {
    static const char *const marks[] = {"—", "–", "-", "~", "至", "到", "〜", NULL};
    for (const char *const *m = marks; *m; m++)
        if (starts(*p, *m)) {
            *p += strlen(*m);
            return true;
        }
    return false;
}

static bool leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

hu_numtext_status hu_numtext_period(const char *s, size_t n, hu_datetext *out) {
    memset(out, 0, sizeof *out);
    out->status = HU_NUMTEXT_REFUSED;
    char src[96];
    quote_src(s, n, src);
    char buf[4 * MAX_IN + 8];
    bool fw;
    size_t len = n > MAX_IN ? (size_t)-1 : normalise(s, n, buf, sizeof buf, &fw);
    const char *expect = "统计期应写成 YYYY-MM（年-月，如 2026-10，表示 1—10 月累计）";
    if (len == (size_t)-1 || len == 0) {
        say(out->msg, "%s", expect);
        return out->status;
    }
    const char *p = buf;
    int yd, md, y = read_int(&p, 4, &yd), m = -1;
    if (y < 0 || yd != 4) {
        if (y >= 0 && yd == 2)
            say(out->msg, "“%s”：年份请写 4 位，%s", src, expect);
        else
            say(out->msg, "“%s”不是统计期：%s", src, expect);
        return out->status;
    }
    bool canonical = false;
    if (*p == '-' || *p == '/' || *p == '.') {
        char sep = *p++;
        m = read_int(&p, 2, &md);
        if (m >= 0 && (*p == '-' || *p == '/' || *p == '.') && p[1]) {
            say(out->msg, "“%s”像是日期：统计期只写年和月（如 %d-%02d），成文日期写在 date 字段",
                src, y, m);
            return out->status;
        }
        canonical = sep == '-' && md == 2 && !fw;
    } else if (starts(p, "年")) {
        p += strlen("年");
        int first = read_int(&p, 2, &md);
        bool range = false;
        if (first >= 0 && starts(p, "月")) {
            const char *q = p + strlen("月");
            if (range_mark(&q)) p = q, range = true; /* 1月—10月 */
        }
        if (first >= 0 && (range || range_mark(&p))) {
            m = read_int(&p, 2, &md);
            if (m >= 0 && first != 1) {
                say(out->msg,
                    "“%s”：统计期是从 1 月起的累计，只写截止的年月（如 %d-%02d）；%d—%d 月这样的"
                    "时段无法表示",
                    src, y, m, first, m);
                return out->status;
            }
        } else {
            m = first;
        }
        if (m >= 0 && starts(p, "月")) {
            p += strlen("月");
            if (starts(p, "份")) p += strlen("份");
        } else {
            m = -1;
        }
    }
    if (m < 0 || *p) {
        say(out->msg, "“%s”不是统计期：%s", src, expect);
        return out->status;
    }
    if (y < 1900 || y > 2999 || m < 1 || m > 12) {
        say(out->msg, "“%s”：%s；%s", src,
            m < 1 || m > 12 ? "月份应为 1 到 12" : "年份应在 1900 到 2999 之间", expect);
        return out->status;
    }
    out->year = y, out->month = m;
    snprintf(out->text, sizeof out->text, "%04d-%02d", y, m);
    out->status = canonical ? HU_NUMTEXT_OK : HU_NUMTEXT_CONVERTED;
    if (!canonical)
        say(out->msg, "“%s”已按 %s（%d年%d月）读取：统计期请写成 YYYY-MM", src, out->text, y, m);
    return out->status;
}

hu_numtext_status hu_numtext_date(const char *s, size_t n, hu_datetext *out) {
    memset(out, 0, sizeof *out);
    out->status = HU_NUMTEXT_REFUSED;
    char src[96];
    quote_src(s, n, src);
    char buf[4 * MAX_IN + 8];
    bool fw;
    size_t len = n > MAX_IN ? (size_t)-1 : normalise(s, n, buf, sizeof buf, &fw);
    const char *expect = "成文日期应写成 YYYY-MM-DD（如 2026-11-05）";
    if (len == (size_t)-1 || len == 0) {
        say(out->msg, "%s", expect);
        return out->status;
    }
    const char *p = buf;
    int yd, md = 0, dd = 0, y = read_int(&p, 4, &yd), m = -1, d = -1;
    bool canonical = false;
    if (y >= 0 && yd == 4 && (*p == '-' || *p == '/' || *p == '.')) {
        char sep = *p++;
        m = read_int(&p, 2, &md);
        if (m >= 0 && *p == sep) {
            p++;
            d = read_int(&p, 2, &dd);
        } else {
            m = -1;
        }
        canonical = sep == '-' && md == 2 && dd == 2 && !fw;
    } else if (y >= 0 && yd == 4 && starts(p, "年")) {
        p += strlen("年");
        m = read_int(&p, 2, &md);
        if (m >= 0 && starts(p, "月")) {
            p += strlen("月");
            d = read_int(&p, 2, &dd);
            if (d >= 0 && starts(p, "日"))
                p += strlen("日");
            else if (d >= 0 && starts(p, "号"))
                p += strlen("号");
            else
                d = -1;
        }
    }
    if (y < 0 || m < 0 || d < 0 || *p) {
        say(out->msg, "“%s”不是日期：%s", src, expect);
        return out->status;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
        d > mdays[m - 1] + (m == 2 && leap(y))) {
        say(out->msg, "“%s”不是有效的日期（%d年没有%d月%d日）：%s", src, y, m, d, expect);
        return out->status;
    }
    out->year = y, out->month = m, out->day = d;
    snprintf(out->text, sizeof out->text, "%04d-%02d-%02d", y, m, d);
    out->status = canonical ? HU_NUMTEXT_OK : HU_NUMTEXT_CONVERTED;
    if (!canonical)
        say(out->msg, "“%s”已按 %s（%d年%d月%d日）读取：成文日期请写成 YYYY-MM-DD", src, out->text,
            y, m, d);
    return out->status;
}
