/* syntaxhint.h - Chinese explanations of YAML and JSON mistakes, from the source text.
 *
 * libfyaml reports a syntax error as an English message at a line and column, and for the
 * mistakes people make with a Chinese input method both often point elsewhere: a full-width
 * colon reads "invalid multiline plain key", a missing "- " reads "invalid scalar at the end
 * of block sequence". hu_syntax_explain() looks at the text around that place and names the
 * cause and the fix in Chinese, at the place of the mistake; libfyaml's words appear only in
 * parentheses after a Chinese rendering when no cause is recognised.
 *
 * hu_syntax_check_plain() does the same for mistakes YAML accepts silently, given the source
 * of one plain scalar the parser read: a key indented with full-width spaces, "-　" typed with a
 * full-width space, Word bullets or a key with a full-width colon folded into the line above.
 * value.c calls both; they only read the text. */
#ifndef HU_SYNTAXHINT_H
#define HU_SYNTAXHINT_H
#include <stdbool.h>
#include <stddef.h>

typedef struct hu_synhint {
    int line, col; /* 1-based, columns in characters: where the mistake is */
    char msg[1024];
} hu_synhint;

/* Explain a syntax error libfyaml reported at line:col (1-based; col counts characters) with
 * message fymsg. Always fills out: a recognised cause, or a Chinese rendering of fymsg with
 * the original in parentheses. */
void hu_syntax_explain(const char *text, size_t len, bool json, int line, int col,
                       const char *fymsg, hu_synhint *out);

/* Check the source of one plain scalar, text[start..end) (byte offsets from the parser's
 * marks; start_line is the 1-based line of start); key tells whether it is a mapping key.
 * Returns true and fills out when it shows a mistake that YAML reads without complaint. The
 * cost is the scalar's own lines, so a check per value keeps loading linear. */
bool hu_syntax_check_plain(const char *text, size_t len, size_t start, size_t end, int start_line,
                           bool key, hu_synhint *out);

/* A comment that follows a scalar on its line and starts right after the "#" with no blank
 * ("加强金融服务 #1"): the "#1" was meant as text. end is the byte offset where the scalar
 * ended, on line end_line. Returns true and fills out with a warning's text and place. */
bool hu_syntax_check_comment(const char *text, size_t len, size_t end, int end_line,
                             hu_synhint *out);

/* Line and column (1-based, characters) of byte offset off: from the start of the text, or
 * (_near) from an earlier offset base known to be on line base_line, at the cost of the
 * distance only. */
void hu_syntax_line_col(const char *text, size_t len, size_t off, int *line, int *col);
void hu_syntax_line_col_near(const char *text, size_t len, size_t base, int base_line, size_t off,
                             int *line, int *col);

#endif
