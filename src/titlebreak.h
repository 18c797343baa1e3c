/* titlebreak.h - where a multi-line title breaks (GB/T 9704-2012 7.3.1).
 *
 * "标题回行时，要做到词意完整，排列对称，长短适宜，间距恰当，标题排列应当使用梯形或菱形。"
 * The breaker decides, for a title of code points with advances:
 *   - lines end only between words (segment.h) where 禁则 allow (linebreak.h): 2026年第三季度,
 *     科技和工业信息化局, “五好园区”, 10.5% stay whole, and no line starts with 的 or a closing
 *     mark;
 *   - the lines form a 梯形 (each shorter than the one above) or a 菱形 (longer down to a middle
 *     line, then shorter); the last line is never the longest, no two adjacent lines are within
 *     one character (em) of each other, and there is no hourglass (a short line between longer
 *     ones);
 *   - lines up to the preferred width (style title.max_chars), longer ones up to the hard width
 *     (the text area) at a price, as few lines as possible, each extra line at a price;
 *   - among those, breaks at phrase boundaries win: before 关于 (after the organ), after 的,
 *     before and after 和/暨/与/及/并/同, at the edges of dates; then lines of even length.
 * When no breaking meets the shape (a title that is one long word), the nearest one is
 * returned; when a word is longer than a line, it is broken where 禁则 allow. No character is
 * ever dropped.
 *
 * Pure computation on plain arrays: no fonts, no libharu. The PDF layout (layout.c) and the
 * DOCX writer (docx.c) both call hu_title_lines with the style's title.max_chars and the text
 * width, so the two outputs break a title at the same places (one decision, one place): widths
 * are nominal, one em for Han and full-width marks, half an em for digits and Latin
 * (hu_title_char_width), which is what the bundled title faces draw within a few hundredths of
 * an em, and what Word draws with the office's fonts. */
#ifndef HU_TITLEBREAK_H
#define HU_TITLEBREAK_H
#include <stddef.h>
#include <stdint.h>

/* Nominal advance of cp in a title, in em: 1 for Han, kana, full-width forms and the marks set
 * full width in Chinese (“” ‘’ — … ·), 0.5 for everything else (digits, Latin, ASCII). */
double hu_title_char_width(uint32_t cp);

/* Breaks text[0..n) with advances w[0..n) into lines preferably no wider than max_width and
 * never wider than hard_width (a line over max_width costs as much as a poor break per em, so
 * it is taken only for a much better shape); em is the width of one title character (adjacent
 * lines differ by at least em). w, the widths and em share one unit (pt, em, twips ...). A
 * title no wider than max_width is one line. Line k is [start_k, ends[k]) with start_0 = 0 and
 * start_k = ends[k-1]; spaces at a line's edges are not counted in its width and are the caller's
 * to skip. At most max_lines lines (the last takes the rest). Returns the number of lines, 0 when
 * n is 0. */
size_t hu_title_break(const uint32_t *text, const double *w, size_t n, double max_width,
                      double hard_width, double em, size_t *ends, size_t max_lines);

/* The same on a UTF-8 title with nominal widths in em (hu_title_char_width): max_chars and
 * hard_chars as max_width and hard_width above (the PDF passes title.max_chars and the text
 * width in title characters less half a character). byte_ends[k] is the byte offset one past
 * line k. Returns the number of lines. */
size_t hu_title_break_utf8(const char *title, double max_chars, double hard_chars,
                           size_t *byte_ends, size_t max_lines);

/* THE title breaking of a report, for every output: text[0..n) (the title's characters after
 * soft breaks are resolved) at nominal widths, lines preferably no wider than max_chars title
 * characters (style title.max_chars; 0 or less: the text width) and never wider than the text
 * width less half a character (text_chars: the text width in title characters, so a centred
 * line keeps some white at both edges). ends[0..n) as hu_title_break, at most n lines.
 * Returns the number of lines. */
size_t hu_title_lines(const uint32_t *text, size_t n, double max_chars, double text_chars,
                      size_t *ends);

#endif
