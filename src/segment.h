/* segment.h - Chinese word segmentation for titles and table cells.
 *
 * Where a line may break without splitting a word: 2026年第三季度, 招商引资, 科技和工业信息化局,
 * “五好园区”, （万美元）, 2.5个百分点 each stay whole. Body text does not use this (Chinese body
 * text breaks between any two characters); titles (GB/T 9704 7.3.1 词意完整) and table cells do.
 *
 * ICU's dictionary word BreakIterator (libicu, locale "zh") is the base. It misreads report
 * vocabulary (专项排查 and 招商引资 become single characters, 2026年前三季度 becomes 年前|三), so
 * rules are applied on top of it, each only ever joining characters into a word except at the
 * edges of number and period expressions (segment.c lists them and says why).
 *
 * Pure computation: no fonts, no libharu. Thread-safe. */
#ifndef HU_SEGMENT_H
#define HU_SEGMENT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* bnd[i] = 1 when a word ends after text[i], i.e. a line break between text[i] and text[i+1]
 * keeps every word whole; 0 inside a word. bnd[n-1] is 1. Spaces and punctuation are words of
 * their own (whether a line may start or end with a mark is linebreak.h's business, not this).
 * n may be 0. */
void hu_segment_words(const uint32_t *text, size_t n, unsigned char *bnd);

/* hu_segment_words where it matters to a figure, for less: bnd is hu_segment_words' result in
 * every clause holding a digit (0-9, ０-９) and 1 after every character elsewhere, so the words
 * holding a digit are the same. Clauses end at 。，、；：！？ between two 汉字, outside quotes and
 * brackets, where no word boundary depends on the text beyond them; segmenting a long
 * paragraph's figures costs the clauses around them instead of the whole paragraph. */
void hu_segment_digit_words(const uint32_t *text, size_t n, unsigned char *bnd);

/* Same for UTF-8: bnd gets one entry per code point (at most strlen(s) entries are written);
 * returns the number of code points. Invalid UTF-8 bytes count as U+FFFD. */
size_t hu_segment_words_utf8(const char *s, unsigned char *bnd);

/* Does now what the first segmentation of a process would do: builds the lexicons and has
 * ICU load its Chinese dictionary engine (about 8 million instructions, the largest fixed
 * cost of a report after the dynamic loader). A batch calls it in the parent before fork()
 * so that every child inherits the loaded engine instead of loading its own (build.c).
 * Optional: hu_segment_words does the same on first use. */
void hu_segment_prepare(void);

/* Loads ICU's library only (dlopen, dynlib.h: libicuuc with libstdc++, or where ICU is linked
 * only its data, libicudata), without the lexicons and the engine of hu_segment_prepare. A shared
 * ICU's warm-up loads it with the other libraries and builds the engine after them, so that the
 * dynamic loader's lock is free for another thread meanwhile (report.c hu_report_warm_up). */
void hu_segment_load(void);

/* Is ICU linked into the executable (CMakeLists.txt HU_STATIC_DEPS)? Then hu_segment_prepare,
 * after hu_segment_load, takes no lock of the dynamic loader and can run beside its loads. */
bool hu_segment_linked(void);

/* Is ICU's library loaded (segment.c loads it with dlopen on first use, dynlib.h)? False, with
 * an error against name in d naming the Debian package, when it cannot be: every character
 * would then be a word of its own, so the PDF and the DOCX, whose titles and table cells are
 * broken between words, are not made. */
bool hu_segment_ready(const char *name, hu_diags *d);

/* Single characters that are words of their own between phrases and never join a
 * neighbour: 的 和 与 及 暨 并 或 在 对 为 …. The title breaker prefers lines around them. */
bool hu_segment_is_function_char(uint32_t cp);

#endif
