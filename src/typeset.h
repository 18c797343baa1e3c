/* typeset.h - the typesetter's named constants, each with its source.
 *
 * Everything here is a typographic decision of the layout (layout.c) or of the drawing
 * (pdf.c); the page geometry (margins, sizes, 22 lines × 28 characters, fonts) is style.yaml's
 * and lives in style.c with its own sources. Sources are GB/T 9704-2012 clauses, the W3C's
 * "Requirements for Chinese Text Layout" (clreq, https://www.w3.org/TR/clreq/, sections named
 * as in its text) and GB/T 15834-2011; shared docs/format.md quotes them. Where no source
 * decides, the value says "our choice" and why. Lengths in em are of the text's own size. */
#ifndef HU_TYPESET_H
#define HU_TYPESET_H

/* ---------------------------------------------------------------- vertical metrics */

/* The baseline sits 0.88 em below the top of the ideographic em box (the em box spans -0.12 to
 * 0.88 em in the CJK fonts we use: OpenType BASE ideo -120/880), and the em box is centred in
 * its line (clreq "Line Height": the line gap is split above and below). */
#define HU_BASELINE_EM 0.88
/* ~~deleted text~~: the rule goes through the middle of the em box (0.38 em above the
 * baseline: 0.88 - 0.5) and is 0.05 em thick. Our choice: the weight of a 3号 stroke. */
#define HU_STRIKE_RISE_EM 0.38
#define HU_STRIKE_WIDTH_EM 0.05
/* The top of the page number's dash "—" sits about 0.40 em above its baseline in the bundled
 * 宋体 (measured); GB/T 9704 7.5 places the dash's top 7 mm under the text area. */
#define HU_PAGENO_DASH_TOP_EM 0.40

/* ---------------------------------------------------------------- justification
 * clreq "Line Adjustment": reduce before expanding. A justified line is first squeezed (a
 * line-end mark to half width, then opening/closing brackets and quotes, then ，、；：, then
 * 。？！, each to half width, format.md §2.7), and only a line still short is spread: Latin word
 * spaces first, then the gaps between Han and Latin, then every gap between 汉字 equally. */

/* A squeezed mark is drawn as a glyph as wide as its squeeze (layout.h, hu_run.cut; pdf_fonts.c
 * appends one per mark and squeeze to the font): the squeeze on each side is counted in
 * HU_CUT_STEPS-ths of an em. Our choice: the amounts clreq uses (half an em, the usual case) are
 * exact, and a mark that gives only part of its half (a line squeezed by less than all its marks
 * hold) is within 1/16 em of its place in the text layer, under the 0.1 em at which poppler reads
 * a gap as a space, with at most four glyphs per mark and side (each costs the PDF ~30 bytes).
 * It is hu_run.cut's unit, which pdf_fonts.c reads as eighths: not to be changed alone. */
#define HU_CUT_STEPS 8

/* A Latin word space may grow by this much (clreq: "maximum 1/2 em" for the whole space; the
 * Latin faces' space is about 1/4 em). */
#define HU_SPACE_STRETCH_EM 0.25
/* A gap between a Han character and a Latin letter or figure may grow by this much. clreq
 * allows up to 1/4 em there; our choice is less, because pdftotext and PDF readers take a gap
 * over about 0.1 em for a word space, and a copied "12.4%" must not become "12.4 %". */
#define HU_EDGE_STRETCH_EM 0.08
/* The extra advance between two 汉字 a justified line may take without notice: 0.05 em
 * (issue 17; the xelatex anchor's worst is 0.035 em). Our line breaker prices anything over it
 * steeply, so it happens only where no breaking avoids it. */
#define HU_HAN_STRETCH_OK_EM 0.05
/* A line whose 汉字 gaps grow past this is warned, naming it and the unbreakable piece that
 * would not move up (at most HU_LOOSE_WARNINGS a paragraph): the line breaker prices such a
 * line above every other choice, so only a change of wording avoids it. The margin over
 * HU_HAN_STRETCH_OK_EM (0.08 pt at 3号) is below what an eye or pdftotext notices; a number
 * parted from its unit to save less is the worse defect (HU_PENALTY_UNIT). */
#define HU_HAN_STRETCH_WARN_EM 0.055
#define HU_LOOSE_WARNINGS 3
/* Past HU_HAN_STRETCH_OK_EM, the gaps between two letters or figures of a Latin run (a
 * URL, an ID, 142.94) take more, up to this, before the gaps between 汉字 grow past it (our
 * choice: below the ~0.1 em at which pdftotext reads a gap as a word space, so a copied
 * "142.94" stays whole; a figure's shape tolerates slight letter-spacing better than a run of
 * 汉字 tolerates uneven rhythm). HU_BAD_LETTER prices it per em of extra per gap. */
#define HU_LETTER_STRETCH_EM 0.08
#define HU_BAD_LETTER 3000.0
/* Past one em of extra advance between characters a line is no longer read as a line: it is
 * set start-aligned instead (our choice; PDF viewers also reject Tc values that large). */
#define HU_STRETCH_GIVE_UP_EM 1.0

/* ---------------------------------------------------------------- the line breaker
 * Breaks are chosen over the whole paragraph (total fit, as Knuth and Plass's algorithm):
 * each line costs its badness, each break its penalty, and the breaking with the least sum
 * wins. Our choices, set so that the order is: a tight line < a line squeezed by its marks <
 * a line spread up to HU_HAN_STRETCH_OK_EM < a break inside a URL, path or ID at one of its
 * marks < a hyphenated English word < a range parted after its dash < a break between two
 * letters or figures of a long Latin run (warned) < a number parted from its unit < a line spread
 * past HU_HAN_STRETCH_WARN_EM (warned) < breaking a 禁则. Moving breaks several lines up to absorb
 * an unbreakable piece is always tried first: a spread past OK costs more than any sum of lines
 * within it. */

/* Badness of a line whose 汉字 gaps grow by x em: HU_BAD_STRETCH × (x / OK)³, and past OK
 * also HU_BAD_STRETCH_OVER per em over (1000 per 0.001 em: steeper than any within-OK
 * arrangement of a paragraph's lines can cost, so the breaker spreads past OK only when no
 * breaking avoids it, issue 17's bound). */
#define HU_BAD_STRETCH 100.0
#define HU_BAD_STRETCH_OVER 1e6
/* Badness per em squeezed: the line-end mark, brackets and pause marks, full stops. */
#define HU_BAD_SQUEEZE_END 8.0
#define HU_BAD_SQUEEZE_MID 40.0
#define HU_BAD_SQUEEZE_STOP 90.0
/* A paragraph's last line holding one character (or one and its punctuation): clreq
 * "Paragraph Adjustment Rules", an orphan does not make a line. */
#define HU_PENALTY_LONELY 20000.0
/* A break inside a URL, path or ID at one of its marks (hu_linebreak_url_break: "gov|.cn",
 * "https://|www", "HN|-KFQ"), nothing added: possible, not pretty. */
#define HU_PENALTY_LATIN_BREAK 150.0
/* A break at a hyphenation point of an English word ("Health-|ineers", libhyphen,
 * linebreak.h), a hyphen drawn: more than any line spread within HU_HAN_STRETCH_OK_EM costs
 * (HU_BAD_STRETCH), so a word is hyphenated only to keep a line from spreading past it (0.0005
 * em over costs as much). Our choice, as TeX's \hyphenpenalty makes hyphens a last resort for
 * loose lines. */
#define HU_PENALTY_HYPHEN 500.0
/* A break inside a Latin run where UAX #14 allows none: the run is longer than a line could
 * take without a loose line; a warning names it. */
#define HU_PENALTY_EMERGENCY 4000.0
/* A break after the dash of a number range inside its expression ("（2026—|2030年）"), or
 * before the sign of a negative figure ("增长|-17.4%"): GB/T 9704-1999 8.2.3 keeps numbers and
 * years whole, and both stay whole here; UAX #14 allows the break after a dash (B2). Only to
 * avoid a line spread 0.003 em past OK (a range split is the defect issue 17 names when it is
 * needless; a first line followed by a 9-em "（2026—2030年）》，" has no other way). */
#define HU_PENALTY_RANGE 3000.0
/* A break between a number and its measure word or unit ("142.94|亿元", "4|场"): the number
 * itself stays whole (GB/T 9704-1999 8.2.3), and its unit with it unless that would spread a
 * line past HU_HAN_STRETCH_WARN_EM (= HU_BAD_STRETCH_OVER × 0.005 em). Our choice. */
#define HU_PENALTY_UNIT 5000.0
/* A break the 禁则 forbid: only when nothing else fits the line at all. */
#define HU_PENALTY_FORBIDDEN 1e7
/* A Latin run this long (em) or longer is "long": breaks inside it at a URL's or ID's marks
 * (hu_linebreak_url_break) are allowed (our choice: a third of a line; shorter runs move whole,
 * but for a hyphenated word). */
#define HU_LONG_LATIN_EM 9.0

/* ---------------------------------------------------------------- pages */

/* A page that would hold only the 结束语, 附件说明 and signature takes up to this many body
 * lines from the page before (issue 17: "特此汇报。" and the 署名 alone on the last page read
 * as an afterthought; GB/T 9704 7.3.5.5 asks for the signature to stand with the body). */
#define HU_CARRY_LINES 2

/* ---------------------------------------------------------------- limits
 * Every limit reports when it is reached; none drops content. */

/* The most pages one report may have (issue 15: libharu fails past 32,767; 10,000 pages of a
 * monthly report is already an input mistake). Exceeding it is an error naming the limit. */
#define HU_MAX_PAGES 10000
/* 署名 and 成文日期 are two lines (GB/T 9704 7.3.5); a signature block may hold up to this many
 * (several organs sign jointly); more lines are set as well, with a warning. */
#define HU_SIGNATURE_LINES 8

/* ---------------------------------------------------------------- tables (colwidth.h) */

/* Cell padding: half an em left and right, 0.3 em above and below (our choice: the figures
 * clear the rules by a thin space, and 40 rows still fit two pages). */
#define HU_TABLE_PAD_EM 0.5
#define HU_TABLE_VPAD_EM 0.3
/* A 表题's line is 1.5 em high with its em box at the top (the white above the table is
 * measured to the caption's ink). */
#define HU_CAPTION_LINE_EM 1.5

/* ---------------------------------------------------------------- drawing (pdf.c) */

/* Synthetic bold: glyphs filled and stroked with a line 0.035 em wide (our choice: the weight
 * difference between the bundled 仿宋 and 黑体 stems). */
#define HU_FAKE_BOLD_STROKE_EM 0.035

#endif
