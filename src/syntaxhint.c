/* syntaxhint.c - Chinese explanations of YAML and JSON mistakes (see syntaxhint.h).
 *
 * Every check reads one or two source lines around the place libfyaml reported and matches a
 * mistake people actually make: an IME left in full-width mode (：，“ ” and 　), text that starts
 * with a character YAML treats as syntax (% @ ` ! | > [ { * & and quotes), ": " inside a
 * sentence, a list item without "- ", a comma after the last item of a JSON list. A check
 * answers only when the text shows that mistake; otherwise the message is a Chinese rendering
 * of libfyaml's, with the original after it, never a guess. */
#include "syntaxhint.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* ---------------------------------------------------------------- lines and columns */

typedef struct line {
    const char *s; /* first byte of the line */
    size_t n;      /* bytes, without the line break */
    size_t off;    /* offset of s in the text */
    int no;        /* 1-based */
} line;

static bool get_line(const char *text, size_t len, int no, line *l) {
    if (no < 1) return false;
    size_t i = 0;
    for (int k = 1; k < no; k++) {
        const char *nl = memchr(text + i, '\n', len - i);
        if (!nl) return false;
        i = (size_t)(nl - text) + 1;
    }
    const char *nl = memchr(text + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - text) : len;
    if (e > i && text[e - 1] == '\r') e--;
    *l = (line){text + i, e - i, i, no};
    return true;
}

/* Byte offset within l of character column col (1-based), clamped to the line. */
static size_t col_off(const line *l, int col) {
    size_t k = 0;
    for (int c = 1; c < col && k < l->n; c++) {
        uint32_t cp;
        k += hu_utf8_decode(l->s + k, l->n - k, &cp);
    }
    return k;
}

/* Character column (1-based) of byte offset off within l. */
static int off_col(const line *l, size_t off) {
    int c = 1;
    for (size_t k = 0; k < off && k < l->n; c++) {
        uint32_t cp;
        k += hu_utf8_decode(l->s + k, l->n - k, &cp);
    }
    return c;
}

/* The line holding byte offset off, whose number the caller knows from the parser's mark:
 * found by scanning back to the line break, so the cost is the line's length, not the
 * file's (these run for every value of a file). */
static line line_of(const char *text, size_t len, size_t off, int no) {
    if (off > len) off = len;
    size_t b = off;
    while (b > 0 && text[b - 1] != '\n')
        b--;
    const char *nl = memchr(text + off, '\n', len - off);
    size_t e = nl ? (size_t)(nl - text) : len;
    if (e > b && text[e - 1] == '\r') e--;
    return (line){text + b, e - b, b, no};
}

/* The line after l, or false at the end of the text. */
static bool next_line(const char *text, size_t len, const line *l, line *n) {
    size_t i = l->off + l->n;
    while (i < len && text[i] != '\n')
        i++; /* past a '\r' */
    if (i >= len) return false;
    *n = line_of(text, len, i + 1, l->no + 1);
    return true;
}

void hu_syntax_line_col_near(const char *text, size_t len, size_t base, int base_line, size_t off,
                             int *line_no, int *col) {
    if (off > len) off = len;
    if (base > off) base = off;
    int no = base_line;
    for (size_t i = base; i < off; i++)
        if (text[i] == '\n') no++;
    line l = line_of(text, len, off, no);
    *line_no = no;
    *col = off_col(&l, off - l.off);
}

void hu_syntax_line_col(const char *text, size_t len, size_t off, int *line_no, int *col) {
    int l = 1, c = 1;
    for (size_t i = 0; i < off && i < len;) {
        if (text[i] == '\n') {
            l++, c = 1, i++;
            continue;
        }
        uint32_t cp;
        i += hu_utf8_decode(text + i, len - i, &cp);
        c++;
    }
    *line_no = l;
    *col = c;
}

static uint32_t cp_at(const line *l, size_t off) {
    uint32_t cp = 0;
    if (off < l->n) hu_utf8_decode(l->s + off, l->n - off, &cp);
    return cp;
}

static size_t cp_len(const line *l, size_t off) {
    uint32_t cp;
    return off < l->n ? hu_utf8_decode(l->s + off, l->n - off, &cp) : 0;
}

static bool blank_line(const line *l) {
    size_t k = 0;
    while (k < l->n && (l->s[k] == ' ' || l->s[k] == '\t'))
        k++;
    return k == l->n || l->s[k] == '#';
}

/* Spaces that are no YAML blank: what Word, web pages and a full-width IME put where a space
 * belongs. */
static bool odd_space(uint32_t cp) {
    return cp == 0x3000 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
           cp == 0x205F || cp == 0xFEFF;
}

static const char *space_name(uint32_t cp) {
    if (cp == 0x3000) return "全角空格“　”";
    if (cp == 0xA0 || cp == 0x202F) return "不间断空格（NBSP）";
    if (cp == 0x200B || cp == 0xFEFF) return "看不见的零宽字符";
    return "特殊空格";
}

static void say(hu_synhint *h, const line *l, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void say(hu_synhint *h, const line *l, size_t off, const char *fmt, ...) {
    h->line = l->no;
    h->col = off_col(l, off);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->msg, sizeof h->msg, fmt, ap);
    va_end(ap);
}

/* A piece of the line for quoting: from off to the end (or n bytes), trimmed, cut at 40
 * characters (a long report title) with an ellipsis. */
static void excerpt(const line *l, size_t off, size_t n, char *out, size_t cap) {
    if (off > l->n) off = l->n;
    if (n > l->n - off) n = l->n - off;
    const char *s = l->s + off;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    size_t k = 0;
    int cps = 0;
    while (k < n && cps < 40) {
        uint32_t cp;
        k += hu_utf8_decode(s + k, n - k, &cp);
        cps++;
    }
    snprintf(out, cap, "%.*s%s", (int)k, s, k < n ? "…" : "");
}

/* ---------------------------------------------------------------- YAML line structure */

typedef struct yline {
    size_t ind;   /* ASCII spaces before the content */
    size_t body;  /* after the indentation and any "- " markers */
    int dashes;   /* "- " markers */
    size_t key;   /* offset of the ':' ending "key:", or (size_t)-1 */
    size_t value; /* start of the value: after "key: ", else body */
} yline;

static bool is_ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

static yline parse_yline(const line *l) {
    yline y = {0, 0, 0, (size_t)-1, 0};
    size_t k = 0;
    while (k < l->n && l->s[k] == ' ')
        k++;
    y.ind = k;
    while (k < l->n && l->s[k] == '-' && (k + 1 == l->n || l->s[k + 1] == ' ')) {
        y.dashes++;
        k++;
        while (k < l->n && l->s[k] == ' ')
            k++;
    }
    y.body = y.value = k;
    /* a key is plain text up to ": " (quoted keys are rare in these files) */
    if (k < l->n && (l->s[k] == '"' || l->s[k] == '\'')) return y;
    for (size_t i = k; i < l->n; i++) {
        if (l->s[i] == '#' && i > k && l->s[i - 1] == ' ') break;
        if (l->s[i] == ':' && (i + 1 == l->n || l->s[i + 1] == ' ')) {
            y.key = i;
            i++;
            while (i < l->n && l->s[i] == ' ')
                i++;
            y.value = i;
            break;
        }
    }
    return y;
}

/* An ASCII field name at off followed by optional blanks and a full-width colon: the offset
 * of the colon, or (size_t)-1. */
static size_t fullwidth_colon_after_ident(const line *l, size_t off) {
    size_t k = off;
    if (k >= l->n || !((l->s[k] >= 'a' && l->s[k] <= 'z') || (l->s[k] >= 'A' && l->s[k] <= 'Z')))
        return (size_t)-1;
    while (k < l->n && is_ident_char(l->s[k]))
        k++;
    while (k < l->n && l->s[k] == ' ')
        k++;
    return cp_at(l, k) == 0xFF1A ? k : (size_t)-1;
}

/* An ASCII field name at off followed by ':' and no blank ("title:产业…"). */
static size_t colon_without_space(const line *l, size_t off) {
    size_t k = off;
    if (k >= l->n || !((l->s[k] >= 'a' && l->s[k] <= 'z') || (l->s[k] >= 'A' && l->s[k] <= 'Z')))
        return (size_t)-1;
    while (k < l->n && is_ident_char(l->s[k]))
        k++;
    return k + 1 < l->n && l->s[k] == ':' && l->s[k + 1] != ' ' ? k : (size_t)-1;
}

static size_t ident_end(const line *l, size_t off) {
    while (off < l->n && is_ident_char(l->s[off]))
        off++;
    return off;
}

static bool fw_colon_hint(hu_synhint *h, const line *l, size_t off) {
    size_t c = fullwidth_colon_after_ident(l, off);
    if (c == (size_t)-1) return false;
    size_t after = c + cp_len(l, c), name = ident_end(l, off) - off;
    /* "unit： 亿元": the suggestion gets the one blank YAML wants, not the typed one too */
    while (after < l->n && (l->s[after] == ' ' || cp_at(l, after) == 0x3000))
        after += cp_len(l, after);
    char val[128];
    excerpt(l, after, l->n, val, sizeof val);
    say(h, l, c,
        "“%.*s”后面是全角冒号“：”：字段名和值之间要用半角冒号加空格，请改为“%.*s: %s”（把输入法"
        "切换到英文标点再输入冒号）",
        (int)name, l->s + off, (int)name, l->s + off, val);
    return true;
}

static bool no_space_hint(hu_synhint *h, const line *l, size_t off) {
    size_t c = colon_without_space(l, off);
    if (c == (size_t)-1) return false;
    char val[128];
    excerpt(l, c + 1, l->n, val, sizeof val);
    say(h, l, c, "“%.*s:”后面缺少空格：字段名和值之间要用半角冒号加一个空格，请改为“%.*s: %s”",
        (int)(c - off), l->s + off, (int)(c - off), l->s + off, val);
    return true;
}

/* An odd space in the indentation of l (after ASCII spaces and "- " markers). */
static bool odd_indent_hint(hu_synhint *h, const line *l) {
    size_t k = 0;
    while (k < l->n && (l->s[k] == ' ' || (l->s[k] == '-' && k + 1 < l->n && l->s[k + 1] == ' ')))
        k++;
    uint32_t cp = cp_at(l, k);
    if (!odd_space(cp)) return false;
    say(h, l, k,
        "缩进里有%s（常见于从 Word 或网页粘贴的文字）：YAML 只能用半角空格缩进，请把这一行开头的%s"
        "换成半角空格，并与同一层的其他行对齐",
        space_name(cp), space_name(cp));
    return true;
}

static bool tab_indent_hint(hu_synhint *h, const line *l) {
    size_t k = 0;
    while (k < l->n && (l->s[k] == ' ' || l->s[k] == '-'))
        k++;
    if (k >= l->n || l->s[k] != '\t') return false;
    say(h, l, k,
        "缩进里有 Tab 字符：YAML 只能用空格缩进，请把这一行开头的 Tab 换成空格（同一层的行缩进相"
        "同）；编辑器可设置“按 Tab 键插入空格”");
    return true;
}

/* The suggestion for text that must be quoted: the line's key part and the value in quotes. */
static void quoted_fix(const line *l, const yline *y, char *out, size_t cap) {
    char val[160];
    excerpt(l, y->value, l->n, val, sizeof val);
    bool dq = strchr(val, '"') != NULL;
    snprintf(out, cap, "%.*s%s%s%s", (int)(y->value - y->ind), l->s + y->ind, dq ? "'" : "\"", val,
             dq ? "'" : "\"");
}

static bool starter_hint(hu_synhint *h, const line *l, const yline *y, const char *fymsg) {
    if (y->value >= l->n) return false;
    char c = l->s[y->value];
    char fix[256];
    quoted_fix(l, y, fix, sizeof fix);
    switch (c) {
    case '%':
    case '@':
    case '`':
        say(h, l, y->value,
            "以“%c”开头的文字请加引号（YAML 不允许不加引号的文字以 %c 开头）：写成 %s", c, c, fix);
        return true;
    case '!':
        say(h, l, y->value, "以“!”开头的文字会被当作 YAML 的类型标签：请给整段文字加引号，写成 %s",
            fix);
        return true;
    case '|':
    case '>':
        say(h, l, y->value,
            "以“%c”开头会被当作多行文字的标记：如果“%c”是文字的一部分，请给整段文字加引号，写成 "
            "%s；如果要写多行文字，“%c”后面直接换行，文字从下一行开始并多缩进两格",
            c, c, fix, c);
        return true;
    case '[':
    case '{':
        say(h, l, y->value,
            "以“%c”开头会被当作%s：如果这是一段文字，请给整段文字加引号，写成 %s；如果要写%s，请检"
            "查括号是否配对、项之间是否用英文逗号分隔",
            c, c == '[' ? "列表 [a, b]" : "映射 {键: 值}", fix, c == '[' ? "列表" : "映射");
        return true;
    case '"':
    case '\'': {
        const char *close = c == '"' ? "”" : "’";
        const char *open = c == '"' ? "“" : "‘";
        if (strstr(fymsg, "trailing content")) {
            /* the quoted part and what follows it */
            size_t e = y->value + 1;
            while (e < l->n && l->s[e] != c)
                e++;
            char inner[128], rest[128];
            excerpt(l, y->value + 1, e - y->value - 1, inner, sizeof inner);
            excerpt(l, e + 1, l->n, rest, sizeof rest);
            char whole[160];
            excerpt(l, y->value, l->n, whole, sizeof whole);
            say(h, l, y->value,
                "文字以英文引号 %c 开头，YAML 只把引号里的“%s”当作内容，后面的“%s”就成了多余的："
                "请改用中文引号（%s%s%s%s），或给整段文字再加一层%s引号：%c%s%c",
                c, inner, rest, open, inner, close, rest, c == '"' ? "单" : "双",
                c == '"' ? '\'' : '"', whole, c == '"' ? '\'' : '"');
        } else {
            say(h, l, y->value,
                "文字以英文引号 %c 开头，YAML 会一直读到配对的 %c 为止，但没有找到：请改用中文引号"
                "%s%s，或补上结束的 %c",
                c, c, open, close, c);
        }
        return true;
    }
    case '*':
    case '&':
        say(h, l, y->value, "以“%c”开头会被当作 YAML 的%s：请给整段文字加引号，写成 %s%s", c,
            c == '*' ? "引用（别名）" : "锚点", fix,
            c == '*' ? "（只有 text 字段按 Markdown 处理，**加粗** 在其他字段中原样显示）" : "");
        return true;
    default:
        return false;
    }
}

/* Brackets from off to the end of l, outside quotes: the depth left open, and whether text
 * follows the bracket that closes the first one ("[重点]加强…"). */
static int flow_depth(const line *l, size_t off, bool *trailing) {
    int depth = 0;
    char q = 0;
    *trailing = false;
    for (size_t k = off; k < l->n; k++) {
        char c = l->s[k];
        if (q) {
            if (c == q) q = 0;
            continue;
        }
        if (c == '"' || c == '\'') q = c;
        if (c == '#' && k > off && l->s[k - 1] == ' ') break;
        if (c == '[' || c == '{') depth++;
        if ((c == ']' || c == '}') && depth > 0 && --depth == 0) {
            size_t e = k + 1;
            while (e < l->n && l->s[e] == ' ')
                e++;
            *trailing = e < l->n && l->s[e] != '#';
            return 0;
        }
    }
    return depth;
}

/* A line whose value opens a flow collection that is not closed on it or is followed by text:
 * the likely origin of a flow error reported further down. */
static bool flow_suspect(const line *l, size_t off) {
    bool trailing;
    return flow_depth(l, off, &trailing) > 0 || trailing;
}

static bool flow_hint(hu_synhint *h, const line *l, const yline *y, const char *fymsg) {
    bool trailing;
    char c = l->s[y->value];
    if (flow_depth(l, y->value, &trailing) > 0 && !trailing) {
        char fix[256];
        quoted_fix(l, y, fix, sizeof fix);
        say(h, l, y->value,
            "这一行的“%c”没有配对的“%c”：%s 要在同一段里用“%c”结束、项之间用英文逗号分隔；如果这"
            "是一段以“%c”开头的文字，请给整段文字加引号，写成 %s",
            c, c == '[' ? ']' : '}', c == '[' ? "列表 [a, b]" : "映射 {键: 值}",
            c == '[' ? ']' : '}', c, fix);
        return true;
    }
    return starter_hint(h, l, y, fymsg);
}

/* ": " inside the value: YAML reads a second "key: value". */
static bool colon_in_text_hint(hu_synhint *h, const line *l, const yline *y) {
    for (size_t i = y->value; i + 1 < l->n; i++)
        if (l->s[i] == ':' && l->s[i + 1] == ' ') {
            char fix[256];
            quoted_fix(l, y, fix, sizeof fix);
            say(h, l, i,
                "文字中的“: ”（英文冒号加空格）会被当作“字段: 值”的分隔：请改为中文冒号“：”，或给"
                "整段文字加引号，写成 %s",
                fix);
            return true;
        }
    return false;
}

/* The nearest earlier content line whose indentation is at most ind. */
static bool prev_line_at_most(const char *text, size_t len, int from, size_t ind, line *out,
                              yline *yo) {
    for (int no = from - 1; no >= 1; no--) {
        line p;
        if (!get_line(text, len, no, &p) || blank_line(&p)) continue;
        yline y = parse_yline(&p);
        if (y.ind <= ind) {
            *out = p;
            *yo = y;
            return true;
        }
    }
    return false;
}

static bool missing_dash_hint(hu_synhint *h, const char *text, size_t len, const line *l,
                              const yline *y) {
    if (y->dashes || y->body >= l->n) return false;
    line p;
    yline py;
    if (!prev_line_at_most(text, len, l->no, y->ind, &p, &py)) return false;
    if (!py.dashes || py.ind != y->ind) return false;
    char ex[128];
    excerpt(l, y->body, l->n, ex, sizeof ex);
    say(h, l, y->body,
        "这一行与上面列表的“- ”对齐（第 %d 行），却没有“- ”：如果“%s”是列表的新一项，请在前面加"
        "“- ”；如果它属于上一项，请再缩进，与上一项的内容对齐",
        p.no, ex);
    return true;
}

/* A "- " one or two columns off the items of its list. */
static bool dash_align_hint(hu_synhint *h, const char *text, size_t len, const line *l,
                            const yline *y) {
    for (int no = l->no - 1; no >= 1; no--) {
        line p;
        if (!get_line(text, len, no, &p) || blank_line(&p)) continue;
        yline py = parse_yline(&p);
        if (!py.dashes) continue;
        if (py.ind == y->ind) return false;
        size_t diff = py.ind > y->ind ? py.ind - y->ind : y->ind - py.ind;
        if (diff > 2) return false;
        say(h, l, y->ind,
            "这一行的“- ”比第 %d 行的“- ”%s了 %zu 格：同一列表的各项要对齐（“- ”前面的空格数相同）",
            p.no, y->ind > py.ind ? "多缩进" : "少缩进", diff);
        return true;
    }
    return false;
}

/* "to: 区委\n preamble: …": a line indented further than the key above continues its value. */
static bool over_indent_hint(hu_synhint *h, const char *text, size_t len, const line *l,
                             const yline *y) {
    for (int no = l->no + 1; no <= l->no + 3; no++) {
        line n;
        if (!get_line(text, len, no, &n)) return false;
        if (blank_line(&n)) continue;
        yline ny = parse_yline(&n);
        if (ny.key == (size_t)-1 || ny.ind <= y->ind) return false;
        say(h, &n, 0,
            "这一行比第 %d 行多缩进了 %zu "
            "格，被当作上一行的值的延续：同一层的字段要左对齐，请删去行首"
            "多余的空格",
            l->no, ny.ind - y->ind);
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------- fallback */

static const struct {
    const char *en, *zh;
} FY_MSGS[] = {
    {"tab character", "缩进里有 Tab 字符，YAML 只能用空格缩进"},
    {"use tab", "缩进里有 Tab 字符，YAML 只能用空格缩进"},
    {"flow sequence without a closing", "“[”没有配对的“]”"},
    {"flow mapping without a closing", "“{”没有配对的“}”"},
    {"double-quoted scalar without closing", "英文双引号 \" 没有配对的结束引号"},
    {"single-quoted scalar without closing", "英文单引号 ' 没有配对的结束引号"},
    {"wrongly indented single-quoted", "英文单引号 ' 没有配对的结束引号"},
    {"wrongly indented double-quoted", "英文双引号 \" 没有配对的结束引号"},
    {"wrongly indented sequence item", "列表项“- ”与同一列表的其他项没有对齐"},
    {"wrongly indented", "缩进与同一层的其他行不一致"},
    {"multiline plain key", "字段名不能跨行（这一行或下一行缺少“: ”，或者缩进不对）"},
    {"plain multiline", "多行文字中出现了“: ”（请改为中文冒号“：”，或给整段文字加引号）"},
    {"missing ':'", "这里应有“: ”（字段名后面的半角冒号加空格）"},
    {"block sequence on the same line", "“- ”开始的列表要另起一行"},
    {"indentation", "缩进不对：同一层的行要左对齐，下一层多缩进两格"},
    {"could not find expected ':'", "这里应有“: ”（字段名后面的半角冒号加空格）"},
    {"invalid value after mapping", "字段后面出现了多余的内容（缩进不对，或缺少“: ”）"},
    {"at the end of block sequence", "列表后面出现了缩进不对的内容"},
    {"nested block mapping on the same line", "同一行中出现了两个“: ”"},
    {"block scalar no linebreak", "“|”或“>”后面应直接换行"},
    {"did not find expected key", "这里应为“字段: 值”（缩进不对？）"},
    {"did not find expected '-'", "这里应为列表项“- ”（缩进不对？）"},
    {"did not find expected node content", "这里缺少内容"},
    {"block sequence entries not allowed", "这里不能开始列表（“- ”应在新的一行，并比字段多缩进）"},
    {"invalid mapping key", "这里不能有“字段: 值”"},
    {"plain scalar cannot start with", "文字不能以这个字符开头，请给整段文字加引号"},
    {"invalid tag", "以 ! 开头会被当作类型标签，请给文字加引号"},
    {"invalid anchor", "以 & 或 * 开头会被当作锚点或引用，请给文字加引号"},
    {"invalid comment without whitespace", "“#”前面要有空格才是注释"},
    {"missing comma", "缺少逗号"},
    {"trailing comma", "最后一项后面不能有逗号"},
    {"mismatched flow", "括号不配对"},
    {"invalid extra closing", "多了一个右括号"},
    {"Invalid JSON plain scalar", "JSON 中的文字要加英文双引号"},
    {"single quoted scalars not supported", "JSON 中的文字要用英文双引号，不能用单引号"},
    {"not supported in JSON mode", "这种写法在 JSON 中不允许"},
    {"JSON does not allow empty", "JSON 中这里不能为空"},
    {"invalid UTF8 escape", "转义字符无效"},
    {"invalid hex escape", "转义字符无效"},
    {"invalid escape", "转义字符（\\ 后面的字符）无效；要写反斜杠本身请写 \\\\"},
    {"unknown escape", "转义字符（\\ 后面的字符）无效；要写反斜杠本身请写 \\\\"},
    {"directive", "以 % 开头的行会被当作 YAML 指令，请给文字加引号"},
    {"document", "“---”或“...”会被当作文档分隔线"},
    {"unexpected alias", "以 * 开头会被当作引用，请给文字加引号"},
};

static void fallback(hu_synhint *h, bool json, int line_no, int col, const char *fymsg) {
    const char *zh = "格式不正确";
    for (size_t i = 0; i < sizeof FY_MSGS / sizeof *FY_MSGS; i++)
        if (strstr(fymsg, FY_MSGS[i].en)) {
            zh = FY_MSGS[i].zh;
            break;
        }
    h->line = line_no;
    h->col = col;
    snprintf(h->msg, sizeof h->msg, "%s 格式错误：%s（解析器原文：%s）", json ? "JSON" : "YAML", zh,
             fymsg);
}

/* ---------------------------------------------------------------- YAML */

static bool explain_yaml(hu_synhint *h, const char *text, size_t len, int line_no, int col,
                         const char *fymsg) {
    line l;
    if (!get_line(text, len, line_no, &l)) return false;
    yline y = parse_yline(&l);
    if (tab_indent_hint(h, &l) || odd_indent_hint(h, &l)) return true;
    if (strstr(fymsg, "tab")) {
        for (int no = line_no - 1; no >= 1 && no >= line_no - 3; no--) {
            line p;
            if (get_line(text, len, no, &p) && tab_indent_hint(h, &p)) return true;
        }
    }
    if (fw_colon_hint(h, &l, y.body) || no_space_hint(h, &l, y.body)) return true;
    /* a multi-line key or a missing ':' can come from the next lines */
    if (strstr(fymsg, "multiline plain key") || strstr(fymsg, "expected ':'") ||
        strstr(fymsg, "after mapping")) {
        for (int no = line_no + 1; no <= line_no + 3; no++) {
            line n;
            if (!get_line(text, len, no, &n)) break;
            if (blank_line(&n)) continue;
            yline ny = parse_yline(&n);
            if (tab_indent_hint(h, &n) || odd_indent_hint(h, &n) || fw_colon_hint(h, &n, ny.body) ||
                no_space_hint(h, &n, ny.body))
                return true;
            break;
        }
        if (y.key != (size_t)-1 && y.value < l.n && over_indent_hint(h, text, len, &l, &y))
            return true;
    }
    size_t at = col_off(&l, col);
    if (at >= y.value && starter_hint(h, &l, &y, fymsg)) return true;
    if ((strstr(fymsg, "nested block mapping") || strstr(fymsg, "mapping values")) &&
        colon_in_text_hint(h, &l, &y))
        return true;
    if (missing_dash_hint(h, text, len, &l, &y)) return true;
    if (strstr(fymsg, "wrongly indented sequence item") && y.dashes &&
        dash_align_hint(h, text, len, &l, &y))
        return true;
    /* a flow collection opened on an earlier line: the error shows where it went wrong, the
     * cause is usually text that started with [ or { */
    if (strstr(fymsg, "flow") || strstr(fymsg, "comma")) {
        for (int no = line_no; no >= 1 && no > line_no - 20; no--) {
            line p;
            if (!get_line(text, len, no, &p) || blank_line(&p)) continue;
            yline py = parse_yline(&p);
            if (py.value < p.n && (p.s[py.value] == '[' || p.s[py.value] == '{') &&
                flow_suspect(&p, py.value))
                return flow_hint(h, &p, &py, fymsg);
        }
    }
    return false;
}

/* ---------------------------------------------------------------- JSON */

/* The first character outside strings on l that JSON does not allow there. */
static bool json_line_hint(hu_synhint *h, const line *l) {
    bool in_str = false;
    for (size_t k = 0; k < l->n;) {
        char c = l->s[k];
        if (in_str) {
            if (c == '\\')
                k += 2;
            else {
                if (c == '"') in_str = false;
                k++;
            }
            continue;
        }
        uint32_t cp;
        size_t n = hu_utf8_decode(l->s + k, l->n - k, &cp);
        if (c == '"') {
            in_str = true;
        } else if (cp == 0x201C || cp == 0x201D) {
            /* “text” -> "text" */
            size_t e = k + n;
            while (e < l->n && cp_at(l, e) != 0x201D && cp_at(l, e) != 0x201C && l->s[e] != ',')
                e += cp_len(l, e);
            char inner[128];
            excerpt(l, k + n, e - k - n, inner, sizeof inner);
            say(h, l, k,
                "这里是中文引号“”：JSON 的字符串和字段名要用英文双引号，请把“%s”改为 \"%s\"", inner,
                inner);
            return true;
        } else if (cp == 0x2018 || cp == 0x2019 || c == '\'') {
            say(h, l, k, "JSON 的字符串要用英文双引号 \"…\"，不能用单引号（%s）",
                c == '\'' ? "'" : "‘’");
            return true;
        } else if (cp == 0xFF0C) {
            say(h, l, k, "这里是全角逗号“，”：JSON 中分隔各项的逗号要用英文半角“,”");
            return true;
        } else if (cp == 0xFF1A) {
            say(h, l, k, "这里是全角冒号“：”：JSON 中字段名后面的冒号要用英文半角“:”");
            return true;
        } else if (c == '/' && k + 1 < l->n && (l->s[k + 1] == '/' || l->s[k + 1] == '*')) {
            say(h, l, k,
                "JSON 不能写注释（// 或 /* */）：请删去；需要注释时请改用 YAML 格式（.yaml，# 开头"
                "是注释）");
            return true;
        } else if (c == '#') {
            say(h, l, k, "JSON 不能写注释（#）：请删去；需要注释时请改用 YAML 格式（.yaml）");
            return true;
        } else if (odd_space(cp)) {
            say(h, l, k, "这里有%s：JSON 中只能用半角空格", space_name(cp));
            return true;
        } else if (cp >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            size_t e = k;
            while (e < l->n && l->s[e] != ',' && l->s[e] != '}' && l->s[e] != ']' &&
                   l->s[e] != ' ' && cp_at(l, e) != 0xFF0C)
                e += cp_len(l, e);
            char word[128];
            excerpt(l, k, e - k, word, sizeof word);
            if (strcmp(word, "true") && strcmp(word, "false") && strcmp(word, "null")) {
                say(h, l, k, "JSON 中的文字要加英文双引号：“%s”应写作 \"%s\"", word, word);
                return true;
            }
            k = e;
            continue;
        }
        k += n;
    }
    return false;
}

/* Offset of the error position in the text. */
static size_t text_off(const char *text, size_t len, int line_no, int col) {
    line l;
    if (!get_line(text, len, line_no, &l)) return len;
    return l.off + col_off(&l, col);
}

/* Walk the text outside strings up to `upto`, keeping a stack of open brackets. Returns the
 * depth; opens[] gets the offsets of the still open ones (the last 64). */
static int bracket_scan(const char *text, size_t upto, size_t opens[64]) {
    int depth = 0;
    bool in_str = false;
    for (size_t k = 0; k < upto; k++) {
        char c = text[k];
        if (in_str) {
            if (c == '\\')
                k++;
            else if (c == '"' || c == '\n')
                in_str = false;
            continue;
        }
        if (c == '"') in_str = true;
        if (c == '[' || c == '{') {
            if (depth < 64) opens[depth] = k;
            depth++;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return depth;
}

static bool explain_json(hu_synhint *h, const char *text, size_t len, int line_no, int col,
                         const char *fymsg) {
    line l;
    if (!get_line(text, len, line_no, &l)) return false;
    if (json_line_hint(h, &l)) return true;
    for (int no = line_no - 1; no >= 1 && no >= line_no - 2; no--) {
        line p;
        if (!get_line(text, len, no, &p)) break;
        if (!blank_line(&p) && json_line_hint(h, &p)) return true;
    }
    size_t at = text_off(text, len, line_no, col);
    if (strstr(fymsg, "trailing comma")) {
        size_t k = at < len ? at : len;
        while (k > 0 && text[k] != ',')
            k--;
        int ln, cl;
        hu_syntax_line_col(text, len, k, &ln, &cl);
        h->line = ln, h->col = cl;
        snprintf(h->msg, sizeof h->msg,
                 "最后一项后面多了逗号：JSON 中“}”或“]”前面不能有逗号，请删去这个逗号");
        return true;
    }
    size_t rest = at;
    while (rest < len &&
           (text[rest] == ' ' || text[rest] == '\t' || text[rest] == '\r' || text[rest] == '\n'))
        rest++;
    size_t opens[64];
    if (rest >= len || strstr(fymsg, "without a closing") || strstr(fymsg, "mismatched")) {
        int depth = bracket_scan(text, rest >= len ? len : at, opens);
        if (depth > 0 && depth <= 64) {
            size_t o = opens[depth - 1];
            int ln, cl;
            hu_syntax_line_col(text, len, o, &ln, &cl);
            h->line = ln, h->col = cl;
            snprintf(h->msg, sizeof h->msg, "括号不配对：这个“%c”没有对应的“%c”（%s）", text[o],
                     text[o] == '[' ? ']' : '}',
                     rest >= len ? "文件在它关闭之前就结束了" : "在它关闭之前出现了另一种右括号");
            return true;
        }
    }
    if (strstr(fymsg, "missing comma")) {
        /* libfyaml points into the next token, one past its opening quote */
        size_t k = at;
        if (k > 0 && k <= len && text[k - 1] == '"') k--;
        while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t' || text[k - 1] == '\r' ||
                         text[k - 1] == '\n'))
            k--;
        int ln, cl;
        hu_syntax_line_col(text, len, k, &ln, &cl);
        h->line = ln, h->col = cl;
        bool eol = k >= len || text[k] == '\n' || text[k] == '\r';
        snprintf(h->msg, sizeof h->msg, "这里缺少逗号：JSON 中相邻的两项之间要用英文逗号“,”分隔%s",
                 eol ? "（这一行的末尾）" : "");
        return true;
    }
    return false;
}

void hu_syntax_explain(const char *text, size_t len, bool json, int line_no, int col,
                       const char *fymsg, hu_synhint *out) {
    memset(out, 0, sizeof *out);
    if (!fymsg) fymsg = "";
    bool ok = json ? explain_json(out, text, len, line_no, col, fymsg)
                   : explain_yaml(out, text, len, line_no, col, fymsg);
    if (!ok) fallback(out, json, line_no, col, fymsg);
}

/* ---------------------------------------------------------------- silent mistakes */

static bool bullet(uint32_t cp) {
    return cp == 0x2022 || cp == 0x00B7 || cp == 0x25CF || cp == 0x25AA || cp == 0x25A0 ||
           cp == 0x25C6 || cp == 0x2605 || cp == 0x203B || cp == 0xFF0D || cp == 0x2013 ||
           cp == 0x2014 || cp == 0x30FB || cp == 0xFF65 || cp == 0x25E6 || cp == 0x2043;
}

bool hu_syntax_check_plain(const char *text, size_t len, size_t start, size_t end, int start_line,
                           bool key, hu_synhint *out) {
    memset(out, 0, sizeof *out);
    if (start >= len || end > len || start >= end) return false;
    line l = line_of(text, len, start, start_line);
    size_t at = start - l.off;
    /* only blanks and "- " before the scalar on its line: it starts the line's content */
    bool line_start = true;
    for (size_t k = 0; k < at; k++)
        if (l.s[k] != ' ' && l.s[k] != '-') line_start = false;
    uint32_t cp = cp_at(&l, at);
    if (key && line_start && odd_space(cp)) {
        say(out, &l, at,
            "缩进里有%s（常见于从 Word 或网页粘贴的文字）：YAML "
            "只能用半角空格缩进，请把这一行开头的"
            "%s换成半角空格，并与同一层的其他行对齐",
            space_name(cp), space_name(cp));
        return true;
    }
    if (cp == '-' && odd_space(cp_at(&l, at + 1))) {
        say(out, &l, at,
            "“-”后面是%s：列表项要写成“- ”（半角减号加半角空格），否则整段会被当作一段文字",
            space_name(cp_at(&l, at + 1)));
        return true;
    }
    /* the continuation lines of a multi-line plain scalar */
    for (line p = l, n; next_line(text, len, &p, &n) && n.off < end; p = n) {
        yline y = parse_yline(&n);
        uint32_t first = cp_at(&n, y.body);
        if (fw_colon_hint(out, &n, y.body)) return true;
        if (bullet(first) || (first == '-' && odd_space(cp_at(&n, y.body + 1)))) {
            say(out, &n, y.body,
                "这一行以“%.*s”开头，被接到了上一行的文字后面：列表的每一项要写成“- ”（半角减号加"
                "空格）开头",
                (int)cp_len(&n, y.body), n.s + y.body);
            return true;
        }
    }
    return false;
}

bool hu_syntax_check_comment(const char *text, size_t len, size_t end, int end_line,
                             hu_synhint *out) {
    memset(out, 0, sizeof *out);
    size_t k = end;
    while (k < len && (text[k] == ' ' || text[k] == '\t'))
        k++;
    if (k == end || k >= len || text[k] != '#') return false;
    if (k + 1 >= len || text[k + 1] == ' ' || text[k + 1] == '\t' || text[k + 1] == '\n' ||
        text[k + 1] == '\r' || text[k + 1] == '#')
        return false;
    line l = line_of(text, len, k, end_line);
    char ex[128];
    excerpt(&l, k - l.off, l.n, ex, sizeof ex);
    say(out, &l, k - l.off,
        "“ %s”被当作注释忽略了（YAML 中空格后面的 # 开始注释）：如需保留，请给整段文字加引号，或"
        "去掉 # 前面的空格；是注释的话请在 # 后面加一个空格",
        ex);
    return true;
}
