/* period.c - period phrases (period.h).
 *
 * The text is decoded once into code points with their byte offsets; a phrase is tried at
 * every code point (longest form first) and the scan resumes after it, so the work is linear
 * in the text. Written by hand: no Debian library reads Chinese period expressions, and the
 * grammar is a dozen fixed forms. */
#include "period.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "fileio.h"
#include "utf8.h"

typedef struct text {
    uint32_t *cp;
    size_t *off; /* byte offset of cp[i]; off[n] is the length */
    size_t n;
} text;

static void decode(const char *s, text *t) {
    size_t len = strlen(s);
    t->cp = hu_xmalloc((len + 1) * sizeof *t->cp);
    t->off = hu_xmalloc((len + 1) * sizeof *t->off);
    t->n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t k = hu_utf8_decode(s + i, len - i, &c);
        t->off[t->n] = i;
        t->cp[t->n++] = c;
        i += k;
    }
    t->off[t->n] = len;
}

static uint32_t at(const text *t, size_t i) {
    return i < t->n ? t->cp[i] : 0;
}

static bool is_digit(uint32_t c) {
    return c >= '0' && c <= '9';
}

/* 一…九 and 两 as digits, 十 as ten; -1 for anything else. */
static int cn_value(uint32_t c) {
    static const uint32_t d[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                 0x516D, 0x4E03, 0x516B, 0x4E5D}; /* 一二三四五六七八九 */
    for (int i = 0; i < 9; i++)
        if (c == d[i]) return i + 1;
    if (c == 0x4E24) return 2;  /* 两 */
    if (c == 0x5341) return 10; /* 十 */
    return -1;
}

static bool is_han(uint32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x3FFFF);
}

/* A number 1..99 at i: one or two ASCII digits (not inside a longer run of digits or after a
 * decimal point), or a Chinese numeral (九, 十, 十二, 二十, 二十一). *len gets its length. */
static int number(const text *t, size_t i, size_t *len, bool *chinese) {
    uint32_t c = at(t, i);
    if (is_digit(c)) {
        if (i > 0 && (is_digit(t->cp[i - 1]) || t->cp[i - 1] == '.')) return -1;
        size_t k = i;
        int v = 0;
        while (k < t->n && is_digit(t->cp[k]) && k - i < 3)
            v = v * 10 + (int)(t->cp[k++] - '0');
        if (k - i > 2) return -1;
        *len = k - i;
        *chinese = false;
        return v;
    }
    int a = cn_value(c);
    if (a < 0) return -1;
    *chinese = true;
    int b = cn_value(at(t, i + 1));
    if (a == 10) { /* 十, 十二 */
        if (b > 0 && b < 10) {
            *len = 2;
            return 10 + b;
        }
        *len = 1;
        return 10;
    }
    if (b == 10) { /* 二十, 二十一 */
        int e = cn_value(at(t, i + 2));
        if (e > 0 && e < 10) {
            *len = 3;
            return a * 10 + e;
        }
        *len = 2;
        return a * 10;
    }
    *len = 1;
    return a;
}

/* A range separator at i; its length in code points (0: none). */
static size_t separator(const text *t, size_t i) {
    uint32_t c = at(t, i);
    if (c == 0x2014) return at(t, i + 1) == 0x2014 ? 2 : 1; /* — or —— */
    if (c == 0x2013 || c == '-' || c == 0xFF0D || c == 0xFF5E || c == '~' || c == 0x301C ||
        c == 0x81F3 || c == 0x5230) /* – - － ～ ~ 〜 至 到 */
        return 1;
    return 0;
}

/* A date's day after a month ("10月15日"): then the month is not a period. */
static bool day_follows(const text *t, size_t i) {
    size_t len;
    bool cn;
    int d = number(t, i, &len, &cn);
    uint32_t e = at(t, i + len);
    return d > 0 && d <= 31 && (e == 0x65E5 || e == 0x53F7); /* 日 号 */
}

#define YUE 0x6708  /* 月 */
#define FEN 0x4EFD  /* 份 */
#define NIAN 0x5E74 /* 年 */
#define DU 0x5EA6   /* 度 */
#define JI 0x5B63   /* 季 */

/* The months part of a phrase at i (no year). Fills p (kind, first, last, form) and returns its
 * length in code points; 0 when there is none. */
static size_t body(const text *t, size_t i, hu_period_phrase *p) {
    uint32_t c = at(t, i);
    size_t len;
    bool cn;
    /* 上半年 下半年 */
    if ((c == 0x4E0A || c == 0x4E0B) && at(t, i + 1) == 0x534A && at(t, i + 2) == NIAN) {
        p->kind = HU_PHRASE_HALF;
        p->first = c == 0x4E0A ? 1 : 7;
        p->last = c == 0x4E0A ? 6 : 12;
        return 3;
    }
    /* 全年 全年度 */
    if (c == 0x5168 && at(t, i + 1) == NIAN) {
        p->kind = HU_PHRASE_WHOLE_YEAR;
        p->first = 1;
        p->last = 12;
        p->du = at(t, i + 2) == DU;
        return p->du ? 3 : 2;
    }
    /* 前三季度 */
    if (c == 0x524D) {
        int q = number(t, i + 1, &len, &cn);
        if (q >= 1 && q <= 4 && at(t, i + 1 + len) == JI && at(t, i + 2 + len) == DU) {
            p->kind = q == 4 ? HU_PHRASE_WHOLE_YEAR : HU_PHRASE_FIRST_QUARTERS;
            p->first = 1;
            p->last = 3 * q;
            p->chinese = cn;
            return 3 + len;
        }
        return 0;
    }
    /* 第三季度 三季度 3季度 */
    bool di = c == 0x7B2C;
    size_t j = i + di;
    int a = number(t, j, &len, &cn);
    if (a < 1) return 0;
    if (at(t, j + len) == JI && at(t, j + len + 1) == DU) {
        if (a > 4) return 0;
        p->kind = HU_PHRASE_QUARTER;
        p->first = 3 * a - 2;
        p->last = 3 * a;
        p->chinese = cn;
        p->di = di;
        return di + len + 2;
    }
    if (di || a > 12) return 0;
    /* 1—10月, 1月至10月, 一至十月 */
    size_t k = j + len;
    bool each = at(t, k) == YUE;
    if (each) {
        k++;
        if (at(t, k) == FEN) k++;
    }
    size_t sl = separator(t, k);
    if (sl) {
        size_t len2;
        bool cn2;
        int b = number(t, k + sl, &len2, &cn2);
        size_t e = k + sl + len2;
        if (b >= a && b <= 12 && cn2 == cn && at(t, e) == YUE && !day_follows(t, e + 1)) {
            p->kind = HU_PHRASE_RANGE;
            p->first = a;
            p->last = b;
            p->chinese = cn;
            p->each = each;
            p->fen = at(t, e + 1) == FEN;
            return e + 1 + p->fen - i;
        }
    }
    /* 10月 10月份 */
    if (at(t, j + len) == YUE && !day_follows(t, j + len + 1)) {
        p->kind = HU_PHRASE_MONTH;
        p->first = p->last = a;
        p->chinese = cn;
        p->fen = at(t, j + len + 1) == FEN;
        return len + 1 + p->fen;
    }
    return 0;
}

/* The separator of a range phrase as written, for rolling it in its own form. */
static void keep_sep(const char *s, const text *t, size_t i, size_t n, hu_period_phrase *p) {
    p->sep[0] = 0;
    if (p->kind != HU_PHRASE_RANGE) return;
    for (size_t k = i; k < i + n; k++) {
        size_t sl = separator(t, k);
        if (!sl) continue;
        /* the separator follows the first number (and its 月) */
        size_t a = t->off[k], b = t->off[k + sl];
        if (b - a < sizeof p->sep) {
            memcpy(p->sep, s + a, b - a);
            p->sep[b - a] = 0;
        }
        return;
    }
}

/* A phrase at i: its length in code points, 0 when none starts here. */
static size_t phrase_at(const char *s, const text *t, size_t i, hu_period_phrase *p) {
    memset(p, 0, sizeof *p);
    uint32_t prev = i ? t->cp[i - 1] : 0;
    /* a year: four digits alone, then 年 */
    if (is_digit(at(t, i)) && !is_digit(prev)) {
        int y = 0;
        size_t k = i;
        while (k < t->n && is_digit(t->cp[k]) && k - i < 5)
            y = y * 10 + (int)(t->cp[k++] - '0');
        if (k - i == 4 && y >= 1900 && y <= 2999 && at(t, k) == NIAN) {
            size_t n = body(t, k + 1, p);
            p->year = y;
            if (n) {
                keep_sep(s, t, k + 1, n, p);
                return k + 1 + n - i;
            }
            memset(p, 0, sizeof *p);
            p->year = y;
            p->kind = HU_PHRASE_YEAR;
            p->du = at(t, k + 1) == DU;
            return k + 1 + p->du - i;
        }
        if (k - i > 2) return 0; /* part of a longer number */
    }
    size_t n = body(t, i, p);
    if (!n) return 0;
    /* A Chinese numeral glued to a word is not a month ("统一月报"): a bare numeral month needs
     * 月份, or a year, a non-Han character or the start before it. Quarters and the named
     * periods are unambiguous. */
    if (p->chinese && (p->kind == HU_PHRASE_MONTH || p->kind == HU_PHRASE_RANGE) && is_han(prev) &&
        prev != NIAN && !(p->kind == HU_PHRASE_MONTH && p->fen))
        return 0;
    keep_sep(s, t, i, n, p);
    return n;
}

size_t hu_period_phrases(const char *s, hu_period_phrase *out, size_t max) {
    if (!s) return 0;
    text t;
    decode(s, &t);
    size_t count = 0;
    for (size_t i = 0; i < t.n;) {
        hu_period_phrase p;
        size_t n = phrase_at(s, &t, i, &p);
        if (!n) {
            i++;
            continue;
        }
        p.start = t.off[i];
        p.end = t.off[i + n];
        if (out && count < max) out[count] = p;
        count++;
        i += n;
    }
    free(t.cp);
    free(t.off);
    return count;
}

bool hu_period_phrase_names(const hu_period_phrase *p, int year, int month) {
    if (p->year && p->year != year) return false;
    if (p->kind == HU_PHRASE_YEAR) return p->year == year;
    return p->last == month;
}

bool hu_period_phrase_after(const hu_period_phrase *p, int year, int month) {
    int py = p->year ? p->year : year;
    if (p->kind == HU_PHRASE_YEAR) return py > year;
    return py * 12 + p->last > year * 12 + month;
}

/* ---------------------------------------------------------------- writing */

static void put_num(hu_buf *b, int v, bool chinese) {
    static const char *const cn[] = {"",   "一", "二", "三", "四",   "五",  "六",
                                     "七", "八", "九", "十", "十一", "十二"};
    if (chinese && v >= 1 && v <= 12)
        hu_buf_puts(b, cn[v]);
    else
        hu_buf_printf(b, "%d", v);
}

static void put_month(hu_buf *b, const hu_period_phrase *p, int m) {
    put_num(b, m, p->chinese);
    hu_buf_puts(b, p->fen ? "月份" : "月");
}

/* 1—m月 in p's form (its separator, 份 and numerals; "1月" for January). */
static void put_cumulative(hu_buf *b, const hu_period_phrase *p, int first, int m) {
    if (first >= m) {
        put_month(b, p, m);
        return;
    }
    put_num(b, first, p->chinese);
    if (p->each) hu_buf_puts(b, p->fen ? "月份" : "月");
    hu_buf_puts(b, p->sep[0] ? p->sep : (p->chinese ? "至" : "—"));
    put_month(b, p, m);
}

void hu_period_phrase_write(const hu_period_phrase *p0, int year, int month, hu_buf *b) {
    /* a quarter's numeral says nothing about how months are written: digits, as usual */
    hu_period_phrase q = *p0;
    const hu_period_phrase *p = &q;
    if (q.kind != HU_PHRASE_MONTH && q.kind != HU_PHRASE_RANGE) q.chinese = false;
    if (p->year) hu_buf_printf(b, "%d年", year);
    switch (p->kind) {
    case HU_PHRASE_YEAR:
        if (!p->year) hu_buf_printf(b, "%d年", year);
        if (p->du) hu_buf_puts(b, "度");
        return;
    case HU_PHRASE_MONTH:
        put_month(b, p, month);
        return;
    case HU_PHRASE_RANGE:
        if (p->first == 1) {
            put_cumulative(b, p, 1, month);
        } else { /* 7—9月: the same number of months, ending with month */
            int first = month - (p->last - p->first);
            put_cumulative(b, p, first < 1 ? 1 : first, month);
        }
        return;
    case HU_PHRASE_QUARTER:
        if (month % 3 == 0) {
            if (p->di) hu_buf_puts(b, "第");
            put_num(b, month / 3, p0->chinese);
            hu_buf_puts(b, "季度");
        } else {
            put_num(b, month, p->chinese);
            hu_buf_puts(b, "月");
        }
        return;
    case HU_PHRASE_HALF:
        if (p->first == 7 && month >= 7) {
            if (month == 12)
                hu_buf_puts(b, "下半年");
            else
                put_cumulative(b, p, 7, month);
            return;
        }
        break;
    case HU_PHRASE_FIRST_QUARTERS:
    case HU_PHRASE_WHOLE_YEAR:
        break;
    }
    /* the named cumulative periods */
    switch (month) {
    case 3:
        hu_buf_puts(b, "一季度");
        break;
    case 6:
        hu_buf_puts(b, "上半年");
        break;
    case 9:
        hu_buf_puts(b, "前三季度");
        break;
    case 12:
        hu_buf_puts(b, p->du ? "全年度" : "全年");
        break;
    default:
        put_cumulative(b, p, 1, month);
        break;
    }
}

char *hu_period_roll(const char *s, int from_y, int from_m, int to_y, int to_m) {
    hu_buf b = HU_BUF_INIT;
    size_t n = hu_period_phrases(s, NULL, 0);
    hu_period_phrase *v = hu_xmalloc((n ? n : 1) * sizeof *v);
    hu_period_phrases(s, v, n);
    int shift = (to_y * 12 + to_m) - (from_y * 12 + from_m);
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        const hu_period_phrase *p = &v[i];
        hu_buf_put(&b, s + done, p->start - done);
        done = p->end;
        int py = p->year ? p->year : from_y;
        if (p->kind == HU_PHRASE_YEAR ||
            (p->kind == HU_PHRASE_WHOLE_YEAR && !hu_period_phrase_names(p, from_y, from_m))) {
            /* a year, or the whole year as a target ("全年目标"): only the year moves */
            if (p->year || p->kind == HU_PHRASE_YEAR)
                hu_period_phrase_write(p, py + (to_y - from_y), 12, &b);
            else
                hu_buf_put(&b, s + p->start, p->end - p->start);
            continue;
        }
        int end = py * 12 + (p->last - 1) + shift;
        int ny = end / 12, nm = end % 12 + 1;
        hu_period_phrase_write(p, ny, nm, &b);
    }
    hu_buf_puts(&b, s + done);
    free(v);
    return hu_buf_detach(&b);
}

/* ---------------------------------------------------------------- file names */

bool hu_period_from_name(const char *name, int *year, int *month) {
    char *stem = hu_strdup(hu_path_base(name));
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem) *dot = 0;
    bool found = false;
    for (size_t i = 0; stem[i] && !found; i++) {
        if (i > 0 && stem[i - 1] >= '0' && stem[i - 1] <= '9') continue;
        size_t k = i;
        while (stem[k] >= '0' && stem[k] <= '9')
            k++;
        if (k - i != 4 && k - i != 6) continue;
        int y = atoi((char[5]){stem[i], stem[i + 1], stem[i + 2], stem[i + 3], 0});
        int m = -1;
        if (k - i == 6) {
            m = (stem[i + 4] - '0') * 10 + (stem[i + 5] - '0');
        } else if (stem[k] == '-' || stem[k] == '_' || stem[k] == '.') {
            size_t e = k + 1;
            while (stem[e] >= '0' && stem[e] <= '9')
                e++;
            if (e - k - 1 >= 1 && e - k - 1 <= 2)
                m = atoi((char[3]){stem[k + 1], e - k - 1 == 2 ? stem[k + 2] : 0, 0});
        }
        if (y >= 1900 && y <= 2999 && m >= 1 && m <= 12) {
            *year = y;
            *month = m;
            found = true;
        }
    }
    if (!found) {
        hu_period_phrase p[8];
        size_t n = hu_period_phrases(stem, p, 8);
        for (size_t i = 0; i < n && i < 8 && !found; i++)
            if (p[i].year && p[i].kind != HU_PHRASE_YEAR) {
                *year = p[i].year;
                *month = p[i].last;
                found = true;
            }
    }
    free(stem);
    return found;
}
