/* decimal.h - exact decimals: every figure as the number's text was written ("112.25"),
 * parsed into a scaled integer, never through binary floating point (112.25 against 100 must
 * print 12.3%, and a double would say 12.2%). Used by the history (a cumulative value that
 * shrinks) and the analysis. Pure functions; strings come from the caller's arena. */
#ifndef HU_DECIMAL_H
#define HU_DECIMAL_H
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "input.h"

/* value = m / 10^scale. At most 18 significant digits (more are rounded half-up), scale 0..18. */
typedef struct hu_dec {
    int64_t m;
    int scale;
} hu_dec;

/* Parse "112.25", "-3", "+0.5", "1.5e3". False on anything else or a value beyond 1e18. */
bool hu_dec_parse(const char *s, hu_dec *out);
/* The number's text when present, else its double (set in code); false when !n->set. */
bool hu_dec_from_num(const hu_num *n, hu_dec *out);
int hu_dec_cmp(hu_dec a, hu_dec b);
int hu_dec_sign(hu_dec a);
/* a - b; false on overflow (beyond 18 digits). */
bool hu_dec_sub(hu_dec a, hu_dec b, hu_dec *out);
hu_dec hu_dec_abs(hu_dec a);
/* Round half-up (on the magnitude) to `decimals` places (0..18); pads with zeros. */
hu_dec hu_dec_round(hu_dec a, int decimals);
/* Exactly `decimals` places, half-up, "-" only when the rounded value is not zero. */
char *hu_dec_format(hu_arena *a, hu_dec d, int decimals);
double hu_dec_to_double(hu_dec d);
/* round(num / den * mul) in tenths, half-up on the magnitude; false when den == 0.
 * E.g. hu_dec_ratio_tenths(12.25, 100, 100) -> 123 (12.3). */
bool hu_dec_ratio_tenths(hu_dec num, hu_dec den, int64_t mul, int64_t *tenths);
/* "12.3" from 123, "-4.1" from -41, "0.0" from 0 (never "-0.0"). */
char *hu_tenths_text(hu_arena *a, int64_t tenths);

#endif
