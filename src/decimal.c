/* decimal.c - exact decimals (decimal.h).
 *
 * Numbers are scaled integers (hu_dec); intermediate products use a 128-bit integer so that
 * "(value - base) x 1000 / base" is exact before the one rounding step. Rounding is half-up on
 * the magnitude, which is what 四舍五入 means to a reader (-4.05 -> -4.1). */
#include "decimal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 i128;

#define DEC_MAX_DIGITS 18
static const int64_t P10[19] = {1LL,
                                10LL,
                                100LL,
                                1000LL,
                                10000LL,
                                100000LL,
                                1000000LL,
                                10000000LL,
                                100000000LL,
                                1000000000LL,
                                10000000000LL,
                                100000000000LL,
                                1000000000000LL,
                                10000000000000LL,
                                100000000000000LL,
                                1000000000000000LL,
                                10000000000000000LL,
                                100000000000000000LL,
                                1000000000000000000LL};

static i128 iabs(i128 x) {
    return x < 0 ? -x : x;
}

/* round(n / d) half-up on the magnitude; d != 0. */
static i128 div_round(i128 n, i128 d) {
    bool neg = (n < 0) != (d < 0);
    i128 an = iabs(n), ad = iabs(d);
    i128 q = an / ad, r = an % ad;
    if (r * 2 >= ad) q++;
    return neg ? -q : q;
}

/* ------------------------------------------------------------------ parsing */

bool hu_dec_parse(const char *s, hu_dec *out) {
    if (!s) return false;
    while (*s == ' ' || *s == '\t')
        s++;
    bool neg = false;
    if (*s == '+' || *s == '-') neg = *s++ == '-';
    char digits[400];
    int nd = 0, frac = 0;
    bool seen_digit = false, seen_point = false;
    for (;; s++) {
        if (*s >= '0' && *s <= '9') {
            seen_digit = true;
            if (nd == 0 && *s == '0') { /* leading zero: only the position matters */
                if (seen_point) frac++;
                continue;
            }
            if (nd >= (int)sizeof digits) return false;
            digits[nd++] = *s;
            if (seen_point) frac++;
        } else if (*s == '.' && !seen_point) {
            seen_point = true;
        } else {
            break;
        }
    }
    if (!seen_digit) return false;
    long exp10 = 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        bool eneg = false;
        if (*s == '+' || *s == '-') eneg = *s++ == '-';
        if (!isdigit((unsigned char)*s)) return false;
        while (isdigit((unsigned char)*s)) {
            if (exp10 < 10000) exp10 = exp10 * 10 + (*s - '0');
            s++;
        }
        if (eneg) exp10 = -exp10;
    }
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s) return false;
    long scale = frac - exp10;
    /* keep at most 18 significant digits, rounding the rest half-up */
    int keep = nd;
    bool round_up = false;
    if (keep > DEC_MAX_DIGITS) {
        round_up = digits[DEC_MAX_DIGITS] >= '5';
        scale -= nd - DEC_MAX_DIGITS;
        keep = DEC_MAX_DIGITS;
    }
    i128 m = 0;
    for (int i = 0; i < keep; i++)
        m = m * 10 + (digits[i] - '0');
    if (round_up) m++;
    if (m >= P10[18]) { /* 999… rounded up to 19 digits */
        m = div_round(m, 10);
        scale--;
    }
    if (scale > 18) { /* more decimals than we keep: round them away */
        if (scale - 18 > 19) {
            m = 0;
        } else {
            i128 d = 1;
            for (long i = 0; i < scale - 18; i++)
                d *= 10;
            m = div_round(m, d);
        }
        scale = 18;
    }
    while (scale < 0) {
        m *= 10;
        scale++;
        if (m >= P10[18]) return false;
    }
    if (m == 0) scale = 0;
    out->m = (int64_t)(neg ? -m : m);
    out->scale = (int)scale;
    return true;
}

bool hu_dec_from_num(const hu_num *n, hu_dec *out) {
    if (!n || !n->set) return false;
    if (n->text && hu_dec_parse(n->text, out)) return true;
    if (!isfinite(n->v)) return false;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.15g", n->v);
    return hu_dec_parse(tmp, out);
}

/* Both at the larger scale, as 128-bit integers. */
static int align2(hu_dec a, hu_dec b, i128 *A, i128 *B) {
    int s = a.scale > b.scale ? a.scale : b.scale;
    *A = (i128)a.m * P10[s - a.scale];
    *B = (i128)b.m * P10[s - b.scale];
    return s;
}

int hu_dec_cmp(hu_dec a, hu_dec b) {
    i128 A, B;
    align2(a, b, &A, &B);
    return A < B ? -1 : A > B;
}

int hu_dec_sign(hu_dec a) {
    return a.m < 0 ? -1 : a.m > 0;
}

hu_dec hu_dec_abs(hu_dec a) {
    if (a.m < 0) a.m = -a.m;
    return a;
}

static bool from_i128(i128 r, int scale, hu_dec *out) {
    while (scale > 0 && r % 10 == 0 && iabs(r) >= P10[18]) {
        r /= 10;
        scale--;
    }
    if (iabs(r) >= P10[18]) return false;
    out->m = (int64_t)r;
    out->scale = r == 0 ? 0 : scale;
    return true;
}

bool hu_dec_sub(hu_dec a, hu_dec b, hu_dec *out) {
    i128 A, B;
    int s = align2(a, b, &A, &B);
    return from_i128(A - B, s, out);
}

/* a at scale `decimals`, rounded half-up on the magnitude. */
static i128 round_to(hu_dec a, int decimals) {
    if (decimals >= a.scale) {
        i128 m = a.m;
        for (int i = a.scale; i < decimals; i++)
            m *= 10;
        return m;
    }
    return div_round(a.m, P10[a.scale - decimals]);
}

hu_dec hu_dec_round(hu_dec a, int decimals) {
    if (decimals < 0) decimals = 0;
    if (decimals > 18) decimals = 18;
    hu_dec r;
    if (!from_i128(round_to(a, decimals), decimals, &r)) return a;
    r.scale = decimals; /* keep the requested places even when trailing zeros */
    if (r.m == 0) r.scale = decimals;
    return r;
}

static void i128_digits(i128 v, char *buf, size_t size) {
    char tmp[48];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v > 0 && n < 47);
    size_t j = 0;
    while (n > 0 && j + 1 < size)
        buf[j++] = tmp[--n];
    buf[j] = 0;
}

char *hu_dec_format(hu_arena *a, hu_dec d, int decimals) {
    if (decimals < 0) decimals = 0;
    if (decimals > 18) decimals = 18;
    i128 r = round_to(d, decimals);
    bool neg = r < 0;
    char digits[64];
    i128_digits(iabs(r), digits, sizeof digits);
    size_t n = strlen(digits);
    char out[96];
    size_t o = 0;
    if (neg) out[o++] = '-';
    if ((int)n <= decimals) { /* 0.05 -> "0" "." "05" */
        out[o++] = '0';
        out[o++] = '.';
        for (int i = 0; i < decimals - (int)n; i++)
            out[o++] = '0';
        memcpy(out + o, digits, n);
        o += n;
    } else {
        size_t ip = n - (size_t)decimals;
        memcpy(out + o, digits, ip);
        o += ip;
        if (decimals > 0) {
            out[o++] = '.';
            memcpy(out + o, digits + ip, (size_t)decimals);
            o += (size_t)decimals;
        }
    }
    out[o] = 0;
    return hu_arena_strdup(a, out);
}

double hu_dec_to_double(hu_dec d) {
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%lldE-%d", (long long)d.m, d.scale);
    double x = strtod(tmp, NULL);
    return x == 0 ? 0 : x; /* never -0.0 */
}

bool hu_dec_ratio_tenths(hu_dec num, hu_dec den, int64_t mul, int64_t *tenths) {
    i128 N, D;
    align2(num, den, &N, &D);
    if (D == 0) return false;
    /* only absurd inputs (36-digit spans) lose precision here */
    while (iabs(N) > (i128)P10[18] * P10[12] || iabs(D) > (i128)P10[18] * P10[12]) {
        N /= 10;
        D /= 10;
        if (D == 0) return false;
    }
    i128 q = div_round(N * mul * 10, D);
    if (iabs(q) > (i128)P10[18]) return false;
    *tenths = (int64_t)q;
    return true;
}

char *hu_tenths_text(hu_arena *a, int64_t t) {
    int64_t m = t < 0 ? -t : t;
    return hu_arena_printf(a, "%s%lld.%lld", t < 0 ? "-" : "", (long long)(m / 10),
                           (long long)(m % 10));
}
