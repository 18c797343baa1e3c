/* sheet.c - a worksheet of an .xlsx, or a CSV file, as typed cells (sheet.h).
 *
 * Why by hand: Debian has no C library that reads .xlsx (libxlsxwriter only writes), and the
 * parts needed are few and small — the workbook's sheet list and relationships, the shared
 * strings, the number formats of the styles and one worksheet — all plain SpreadsheetML that
 * the bounded zip and XML reader of ooxml.h already opens safely. Elements are matched by local
 * name, so Strict OOXML (another namespace) reads the same as Transitional. */
#include "sheet.h"

#include "alloc.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "fileio.h"
#include "ooxml.h"
#include "utf8.h"
#include "value.h"

/* XML nodes per part: a sheet of 1000 indicators × 20 columns is about 60,000. */
#define MAX_NODES 1000000

/* ---------------------------------------------------------------- cells */

typedef struct cellvec {
    hu_cell *v;
    size_t n, cap;
} cellvec;

static hu_cell *cell_push(cellvec *cv) {
    HU_GROW(cv->v, cv->n, cv->cap);
    hu_cell *c = &cv->v[cv->n++];
    memset(c, 0, sizeof *c);
    c->decimals = -1;
    return c;
}

/* The collected cells into the sheet (in a; the vector is freed), with the sheet's size. Both
 * readers, .xlsx and CSV, end here. */
static void cells_to_sheet(cellvec *cv, hu_arena *a, hu_sheet *s) {
    s->cells = hu_arena_alloc(a, (cv->n ? cv->n : 1) * sizeof *s->cells);
    if (cv->n) memcpy(s->cells, cv->v, cv->n * sizeof *cv->v);
    s->ncells = cv->n;
    for (size_t i = 0; i < cv->n; i++) {
        if (cv->v[i].row + 1 > s->nrows) s->nrows = cv->v[i].row + 1;
        if (cv->v[i].col + 1 > s->ncols) s->ncols = cv->v[i].col + 1;
    }
    free(cv->v);
    cv->v = NULL;
    cv->n = 0;
}

static int cmp_cell(const void *x, const void *y) {
    const hu_cell *a = x, *b = y;
    if (a->row != b->row) return a->row < b->row ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

const char *hu_sheet_ref(int r, int c, char *buf) {
    char letters[8];
    int k = 0;
    for (int x = c + 1; x > 0 && k < 7; x = (x - 1) / 26)
        letters[k++] = (char)('A' + (x - 1) % 26);
    int w = 0;
    while (k)
        buf[w++] = letters[--k];
    snprintf(buf + w, 16 - (size_t)w, "%d", r + 1);
    return buf;
}

const char *hu_sheet_where(hu_arena *a, const hu_sheet *s, int r, int c) {
    char ref[16];
    const char *at = c >= 0 ? hu_sheet_ref(r, c, ref) : hu_arena_printf(a, "第 %d 行", r + 1);
    if (s->csv) return hu_arena_printf(a, "%s %s", s->file, at);
    return hu_arena_printf(a, "%s 工作表“%s” %s", s->file, s->name ? s->name : "", at);
}

/* Binary search for the first cell of row r. */
static size_t row_start(const hu_sheet *s, int r) {
    size_t lo = 0, hi = s->ncells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->cells[mid].row < r)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const hu_cell *hu_sheet_row(const hu_sheet *s, int r, size_t *n) {
    size_t i = row_start(s, r), k = i;
    while (k < s->ncells && s->cells[k].row == r)
        k++;
    *n = k - i;
    return k > i ? &s->cells[i] : NULL;
}

const hu_cell *hu_sheet_cell(const hu_sheet *s, int r, int c) {
    size_t n;
    const hu_cell *row = hu_sheet_row(s, r, &n);
    for (size_t i = 0; i < n; i++)
        if (row[i].col == c) return &row[i];
    return NULL;
}

/* ---------------------------------------------------------------- numbers */

/* x rounded to 15 significant digits as a plain decimal without trailing zeros. */
static void num15(double x, char *out, size_t cap) {
    if (!(fabs(x) >= 1e-15)) { /* zero, tiny or NaN (never stored by a spreadsheet) */
        snprintf(out, cap, "0");
        return;
    }
    char e[48];
    snprintf(e, sizeof e, "%.14e", x); /* "-3.68999999999999e+01" */
    const char *p = e;
    bool neg = *p == '-';
    if (neg) p++;
    char digits[16];
    int nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && nd < 15) digits[nd++] = *p;
    int exp = *p == 'e' ? atoi(p + 1) : 0;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    hu_buf b = HU_BUF_INIT;
    if (neg) hu_buf_putc(&b, '-');
    if (exp < 0) {
        hu_buf_puts(&b, "0.");
        for (int z = 0; z < -exp - 1; z++)
            hu_buf_putc(&b, '0');
        hu_buf_put(&b, digits, (size_t)nd);
    } else {
        for (int i = 0; i <= exp; i++)
            hu_buf_putc(&b, i < nd ? digits[i] : '0');
        if (nd > exp + 1) {
            hu_buf_putc(&b, '.');
            hu_buf_put(&b, digits + exp + 1, (size_t)(nd - exp - 1));
        }
    }
    snprintf(out, cap, "%s", hu_buf_cstr(&b));
    hu_buf_free(&b);
}

const char *hu_cell_decimal(hu_arena *a, const hu_cell *c, bool points) {
    const char *t = c->text ? c->text : "0";
    bool neg = *t == '-';
    if (neg) t++;
    const char *dot = strchr(t, '.');
    size_t ni = dot ? (size_t)(dot - t) : strlen(t);
    const char *frac = dot ? dot + 1 : "";
    hu_buf b = HU_BUF_INIT;
    if (points) { /* move the point two places right, exactly on the text */
        hu_buf_put(&b, t, ni);
        size_t nf = strlen(frac);
        for (size_t k = 0; k < 2; k++)
            hu_buf_putc(&b, k < nf ? frac[k] : '0');
        if (nf > 2) {
            hu_buf_putc(&b, '.');
            hu_buf_puts(&b, frac + 2);
        }
    } else {
        hu_buf_puts(&b, t);
    }
    /* leading zeros of the integer part ("012.5" after the shift of 0.125) */
    char *s = hu_buf_detach(&b);
    char *p = s;
    while (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
        p++;
    const char *d2 = strchr(p, '.');
    int have = d2 ? (int)strlen(d2 + 1) : 0;
    hu_buf_puts(&b, neg && strspn(p, "0.") != strlen(p) ? "-" : "");
    hu_buf_puts(&b, p);
    if (c->decimals > have) {
        if (!have) hu_buf_putc(&b, '.');
        for (int k = have; k < c->decimals && k < 15; k++)
            hu_buf_putc(&b, '0');
    }
    free(s);
    char *r = hu_arena_strdup(a, hu_buf_cstr(&b));
    hu_buf_free(&b);
    return r;
}

/* What a number format says: a date or time, a percentage, how many decimals. */
typedef struct numfmt {
    bool date, percent;
    int decimals; /* -1: General */
} numfmt;

static numfmt fmt_builtin(int id) {
    numfmt f = {false, false, -1};
    switch (id) {
    case 1:
    case 3:
    case 5:
    case 6:
    case 37:
    case 38:
    case 41:
    case 42:
        f.decimals = 0;
        break;
    case 2:
    case 4:
    case 7:
    case 8:
    case 39:
    case 40:
    case 43:
    case 44:
        f.decimals = 2;
        break;
    case 9:
        f.percent = true, f.decimals = 0;
        break;
    case 10:
        f.percent = true, f.decimals = 2;
        break;
    default:
        /* 14–22 and 45–47 dates and times; 27–36 and 50–58 the CJK locales' dates */
        if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
            (id >= 50 && id <= 58))
            f.date = true;
        break;
    }
    return f;
}

static numfmt fmt_code(const char *code) {
    numfmt f = {false, false, -1};
    if (!code || !strcasecmp(code, "General") || !strcmp(code, "@")) return f;
    bool after_point = false, exp = false;
    int dec = 0;
    bool digits = false;
    for (const char *p = code; *p && *p != ';'; p++) {
        char ch = *p;
        if (ch == '"') { /* literal text */
            for (p++; *p && *p != '"'; p++)
                ;
            if (!*p) break;
            continue;
        }
        if (ch == '\\' || ch == '_' || ch == '*') { /* an escaped, padded or repeated char */
            if (p[1]) p++;
            continue;
        }
        if (ch == '[') { /* [Red], [$-804], [>100]; [h] [mm] [ss] are elapsed time */
            const char *q = strchr(p, ']');
            if (!q) break;
            char c1 = (char)(p[1] | 0x20);
            if (c1 == 'h' || c1 == 'm' || c1 == 's') f.date = true;
            p = q;
            continue;
        }
        char lc = (char)(ch | 0x20);
        if ((unsigned char)ch < 0x80 && (lc == 'y' || lc == 'm' || lc == 'd' || lc == 'h' ||
                                         lc == 's' || lc == 'e' || lc == 'g')) {
            if (lc == 'e' && (p[1] == '+' || p[1] == '-')) { /* 0.00E+00 */
                exp = true;
                p++;
                continue;
            }
            f.date = true;
            continue;
        }
        if (ch == '%') f.percent = true;
        if (ch == '.') after_point = true;
        if (ch == '0' || ch == '#' || ch == '?') {
            digits = true;
            if (after_point && !exp) dec++;
        }
    }
    if (!f.date && digits && !exp) f.decimals = dec;
    return f;
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil(long long z, int *y, int *m, int *d) {
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long yy = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* A date serial as the date it shows: 1900 system (with Lotus' 1900-02-29, serial 60) or 1904. */
static const char *serial_date(hu_arena *a, double v, bool d1904) {
    if (!(v >= 0 && v < 3e6)) return hu_arena_strdup(a, "（无效日期）");
    long long s = (long long)floor(v);
    if (!d1904 && s == 60) return hu_arena_strdup(a, "1900-02-29");
    /* 1899-12-30 is day -25569 of the epoch; serials below 60 are one day later (no 02-29) */
    long long days = d1904 ? s - 24107 : s - 25569 + (s < 60 ? 1 : 0);
    int y, m, d;
    civil(days, &y, &m, &d);
    if (s == 0 && !d1904) return hu_arena_strdup(a, "（时间）");
    return hu_arena_printf(a, "%04d-%02d-%02d", y, m, d);
}

/* ---------------------------------------------------------------- workbook parts */

typedef struct book {
    hu_arena *a;
    hu_diags *d;
    const char *path;
    hu_zip_reader *z;
    hu_buf buf;
    const char **sst; /* shared strings */
    size_t nsst;
    numfmt *xf; /* per cellXfs index */
    size_t nxf;
    bool d1904;
} book;

/* "xl/" + "worksheets/sheet1.xml", "/xl/…" absolute; ".." resolved within the package. */
static const char *resolve(hu_arena *a, const char *base_dir, const char *target) {
    hu_buf b = HU_BUF_INIT;
    if (target[0] == '/')
        hu_buf_puts(&b, target + 1);
    else {
        hu_buf_puts(&b, base_dir);
        hu_buf_puts(&b, target);
    }
    /* normalise segments */
    char *s = hu_buf_detach(&b);
    char *segs[64];
    int n = 0;
    bool ok = true;
    for (char *tok = strtok(s, "/"); tok; tok = strtok(NULL, "/")) {
        if (!strcmp(tok, ".")) continue;
        if (!strcmp(tok, "..")) {
            if (n)
                n--;
            else
                ok = false;
            continue;
        }
        if (n < 64) segs[n++] = tok;
    }
    for (int i = 0; i < n; i++) {
        if (i) hu_buf_putc(&b, '/');
        hu_buf_puts(&b, segs[i]);
    }
    free(s);
    char *r = ok ? hu_arena_strdup(a, hu_buf_cstr(&b)) : NULL;
    hu_buf_free(&b);
    return r;
}

static const char *dir_of_part(hu_arena *a, const char *part) {
    const char *slash = strrchr(part, '/');
    return slash ? hu_arena_strndup(a, part, (size_t)(slash - part + 1)) : "";
}

/* Parses a member; NULL (and an error) when it is missing or malformed. */
static hu_xml *part(book *b, const char *name, bool required) {
    if (!hu_zip_has(b->z, name)) {
        if (required)
            hu_error(b->d, b->path, 0, 0, NULL,
                     "工作簿缺少 %s：文件已损坏，或不是 Excel、WPS、LibreOffice 保存的 .xlsx",
                     name);
        return NULL;
    }
    if (!hu_zip_read(b->z, name, &b->buf, b->d)) return NULL;
    const char *label = hu_arena_printf(b->a, "%s:%s", b->path, name);
    return hu_xml_parse(b->buf.data, b->buf.len, label, MAX_NODES, b->d);
}

typedef struct rel {
    const char *id, *type, *target; /* target resolved */
} rel;

/* The relationships of a part ("xl/workbook.xml" -> "xl/_rels/workbook.xml.rels"). */
static rel *read_rels(book *b, const char *of_part, size_t *n) {
    *n = 0;
    const char *dir = dir_of_part(b->a, of_part);
    const char *base = of_part + strlen(dir);
    const char *name = hu_arena_printf(b->a, "%s_rels/%s.rels", dir, base);
    hu_xml *x = part(b, name, false);
    if (!x) return NULL;
    size_t cap = 0;
    for (hu_xml_node *r = hu_xml_child(hu_xml_root(x), "Relationship"); r;
         r = hu_xml_next(r, "Relationship"))
        cap++;
    rel *v = hu_arena_alloc(b->a, (cap ? cap : 1) * sizeof *v);
    for (hu_xml_node *r = hu_xml_child(hu_xml_root(x), "Relationship"); r;
         r = hu_xml_next(r, "Relationship")) {
        const char *mode = hu_xml_attr(x, r, "TargetMode");
        const char *id = hu_xml_attr(x, r, "Id"), *type = hu_xml_attr(x, r, "Type"),
                   *target = hu_xml_attr(x, r, "Target");
        if (!id || !type || !target || (mode && !strcmp(mode, "External")))
            continue; /* external links are never followed */
        const char *t = resolve(b->a, dir, target);
        if (!t) continue;
        v[*n] = (rel){hu_arena_strdup(b->a, id), hu_arena_strdup(b->a, type), t};
        (*n)++;
    }
    hu_xml_free(x);
    return v;
}

static bool type_is(const char *type, const char *suffix) {
    size_t n = strlen(type), m = strlen(suffix);
    return n >= m && !strcmp(type + n - m, suffix);
}

/* Excel writes characters XML cannot hold as _xHHHH_ (a carriage return is _x000D_, a literal
 * "_x" sequence is escaped as _x005F_x…): decoded as every OOXML reader does. */
static char *unescape(hu_arena *a, const char *s) {
    if (!strstr(s, "_x")) return hu_arena_strdup(a, s);
    hu_buf b = HU_BUF_INIT;
    for (const char *p = s; *p;) {
        unsigned cp;
        int used = 0;
        if (p[0] == '_' && p[1] == 'x' && sscanf(p + 2, "%4x%n", &cp, &used) == 1 && used == 4 &&
            p[6] == '_' && strspn(p + 2, "0123456789abcdefABCDEF") >= 4) {
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
            hu_buf_put_cp(&b, cp);
            p += 7;
        } else {
            hu_buf_putc(&b, *p++);
        }
    }
    char *r = hu_arena_strdup(a, hu_buf_cstr(&b));
    hu_buf_free(&b);
    return r;
}

/* The text of a string item (<si>, <is>): its <t>, or its runs' <t>; phonetic runs (<rPh>)
 * are not part of the text. */
static const char *rich_text(hu_arena *a, hu_xml *x, const hu_xml_node *n) {
    hu_buf b = HU_BUF_INIT;
    for (hu_xml_node *c = hu_xml_child(n, NULL); c; c = hu_xml_next(c, NULL)) {
        const char *l = hu_xml_local(c);
        if (!strcmp(l, "t"))
            hu_buf_puts(&b, hu_xml_text(x, c));
        else if (!strcmp(l, "r"))
            for (hu_xml_node *t = hu_xml_child(c, "t"); t; t = hu_xml_next(t, "t"))
                hu_buf_puts(&b, hu_xml_text(x, t));
    }
    char *s = unescape(a, hu_buf_cstr(&b));
    hu_buf_free(&b);
    return s;
}

static bool read_sst(book *b, const char *name) {
    hu_xml *x = part(b, name, true);
    if (!x) return false;
    hu_xml_node *root = hu_xml_root(x);
    size_t n = 0;
    for (hu_xml_node *si = hu_xml_child(root, "si"); si; si = hu_xml_next(si, "si"))
        n++;
    b->sst = hu_arena_alloc(b->a, (n ? n : 1) * sizeof *b->sst);
    for (hu_xml_node *si = hu_xml_child(root, "si"); si; si = hu_xml_next(si, "si"))
        b->sst[b->nsst++] = rich_text(b->a, x, si);
    hu_xml_free(x);
    return true;
}

static bool read_styles(book *b, const char *name) {
    hu_xml *x = part(b, name, true);
    if (!x) return false;
    hu_xml_node *root = hu_xml_root(x);
    /* custom formats by id */
    typedef struct {
        int id;
        numfmt f;
    } custom;
    size_t ncustom = 0;
    custom *cv = NULL;
    hu_xml_node *fmts = hu_xml_child(root, "numFmts");
    for (hu_xml_node *f = hu_xml_child(fmts, "numFmt"); f; f = hu_xml_next(f, "numFmt"))
        ncustom++;
    cv = hu_arena_alloc(b->a, (ncustom ? ncustom : 1) * sizeof *cv);
    ncustom = 0;
    for (hu_xml_node *f = hu_xml_child(fmts, "numFmt"); f; f = hu_xml_next(f, "numFmt")) {
        const char *id = hu_xml_attr(x, f, "numFmtId"), *code = hu_xml_attr(x, f, "formatCode");
        if (!id) continue;
        cv[ncustom++] = (custom){atoi(id), fmt_code(code)};
    }
    hu_xml_node *xfs = hu_xml_child(root, "cellXfs");
    size_t n = 0;
    for (hu_xml_node *f = hu_xml_child(xfs, "xf"); f; f = hu_xml_next(f, "xf"))
        n++;
    b->xf = hu_arena_alloc(b->a, (n ? n : 1) * sizeof *b->xf);
    for (hu_xml_node *f = hu_xml_child(xfs, "xf"); f; f = hu_xml_next(f, "xf")) {
        const char *id = hu_xml_attr(x, f, "numFmtId");
        int k = id ? atoi(id) : 0;
        numfmt nf = fmt_builtin(k);
        for (size_t i = 0; i < ncustom; i++)
            if (cv[i].id == k) nf = cv[i].f;
        b->xf[b->nxf++] = nf;
    }
    hu_xml_free(x);
    return true;
}

/* "C7" -> row 6, col 2. False when it is no cell reference. */
static bool parse_ref(const char *s, int *row, int *col) {
    long c = 0, r = 0;
    const char *p = s;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
        c = c * 26 + ((*p | 0x20) - 'a' + 1);
        if (c > 100000) return false;
        p++;
    }
    if (p == s) return false;
    const char *q = p;
    while (*p >= '0' && *p <= '9') {
        r = r * 10 + (*p - '0');
        if (r > 10000000) return false;
        p++;
    }
    if (p == q || *p || r < 1) return false;
    *row = (int)r - 1;
    *col = (int)c - 1;
    return true;
}

static bool blank(const char *s) {
    for (; s && *s; s++)
        if (!strchr(" \t\r\n", *s)) {
            /* the ideographic space and NBSP count as blank too */
            if (!strncmp(s, "\xE3\x80\x80", 3)) {
                s += 2;
                continue;
            }
            if (!strncmp(s, "\xC2\xA0", 2)) {
                s += 1;
                continue;
            }
            return false;
        }
    return true;
}

/* True when a formula refers to another workbook: "[1]Sheet1!A1" or "'[a.xlsx]S'!A1". */
static bool external_ref(const char *f) {
    for (const char *p = f; p && *p; p++) {
        if (*p == '"') { /* a string literal */
            for (p++; *p && *p != '"'; p++)
                ;
            if (!*p) break;
            continue;
        }
        if (*p == '[' && p[1] && p[1] != ']' && strchr(p, ']')) {
            const char *q = strchr(p, ']');
            if (q[1] && q[1] != ']' && strchr(q, '!')) return true;
        }
    }
    return false;
}

static bool read_sheet(book *b, const char *name, hu_sheet *s) {
    hu_xml *x = part(b, name, true);
    if (!x) return false;
    hu_xml_node *root = hu_xml_root(x);
    hu_xml_node *data = hu_xml_child(root, "sheetData");
    cellvec cv = {0};
    bool ok = true;
    int prev_row = -1, content_rows = 0;
    for (hu_xml_node *row = hu_xml_child(data, "row"); row && ok; row = hu_xml_next(row, "row")) {
        const char *rr = hu_xml_attr(x, row, "r");
        int r = rr ? atoi(rr) - 1 : prev_row + 1;
        if (r < 0 || r > 10000000 || r <= prev_row) {
            hu_error(
                b->d, hu_sheet_where(b->a, s, prev_row + 1, -1), 0, 0, NULL,
                "行号“%s”无效或顺序错乱：文件已损坏，请在 Excel、WPS 或 LibreOffice 中重新保存",
                rr ? rr : "");
            ok = false;
            break;
        }
        prev_row = r;
        int prev_col = -1;
        bool counted = false;
        for (hu_xml_node *c = hu_xml_child(row, "c"); c; c = hu_xml_next(c, "c")) {
            const char *ref = hu_xml_attr(x, c, "r");
            int cr = r, cc = prev_col + 1;
            if (ref && (!parse_ref(ref, &cr, &cc) || cr != r)) {
                hu_error(
                    b->d, hu_sheet_where(b->a, s, r, -1), 0, 0, NULL,
                    "单元格引用“%s”无效：文件已损坏，请在 Excel、WPS 或 LibreOffice 中重新保存",
                    ref);
                ok = false;
                break;
            }
            prev_col = cc;
            if (cc >= HU_SHEET_MAX_COLS) {
                s->cut_cols = true;
                continue;
            }
            const char *t = hu_xml_attr(x, c, "t");
            const char *st = hu_xml_attr(x, c, "s");
            hu_xml_node *fn = hu_xml_child(c, "f"), *vn = hu_xml_child(c, "v"),
                        *isn = hu_xml_child(c, "is");
            const char *v = vn ? hu_xml_text(x, vn) : NULL;
            hu_cell cell;
            memset(&cell, 0, sizeof cell);
            cell.row = r, cell.col = cc, cell.decimals = -1;
            if (fn) {
                const char *ft = hu_xml_text(x, fn);
                cell.formula =
                    *ft ? hu_arena_strdup(b->a, ft) : "（共享公式）"; /* the part is freed */
                cell.external = external_ref(ft);
            }
            if (!t) t = "n";
            if (!strcmp(t, "inlineStr")) {
                cell.kind = HU_CELL_TEXT;
                cell.text = isn ? rich_text(b->a, x, isn) : "";
            } else if (fn && (!vn || (!*v && strcmp(t, "str")))) {
                /* no <v>, or openpyxl's empty <v></v>: a formula never calculated */
                cell.kind = HU_CELL_NOVALUE;
            } else if (!strcmp(t, "s")) {
                char *end;
                unsigned long k = v ? strtoul(v, &end, 10) : 0;
                if (!v || *end || end == v || k >= b->nsst) {
                    hu_error(b->d, hu_sheet_where(b->a, s, r, cc), 0, 0, NULL,
                             "共享字符串编号“%s”不存在：文件已损坏，请在 Excel、WPS 或 LibreOffice "
                             "中重新保存",
                             v ? v : "");
                    ok = false;
                    break;
                }
                cell.kind = HU_CELL_TEXT;
                cell.text = b->sst[k];
            } else if (!strcmp(t, "str")) {
                cell.kind = HU_CELL_TEXT;
                cell.text = unescape(b->a, v ? v : "");
            } else if (!strcmp(t, "b")) {
                cell.kind = HU_CELL_BOOL;
                bool on = v && !strcmp(v, "1");
                cell.text = on ? "TRUE" : "FALSE";
                cell.num = on;
            } else if (!strcmp(t, "e")) {
                cell.kind = HU_CELL_ERROR;
                cell.text = v ? hu_arena_strdup(b->a, v) : "#N/A";
            } else if (!strcmp(t, "d")) { /* an ISO 8601 date (Strict files) */
                cell.kind = HU_CELL_NUMBER;
                cell.date = true;
                cell.text = v ? hu_arena_strndup(b->a, v, strcspn(v, "T")) : "";
            } else {
                if (!v || blank(v)) continue; /* a formatted empty cell */
                char *end;
                double num = strtod(v, &end);
                while (*end == ' ')
                    end++;
                if (*end || end == v || !isfinite(num)) {
                    hu_error(
                        b->d, hu_sheet_where(b->a, s, r, cc), 0, 0, NULL,
                        "数值“%.40s”无效：文件已损坏，请在 Excel、WPS 或 LibreOffice 中重新保存",
                        v);
                    ok = false;
                    break;
                }
                char buf[400];
                num15(num, buf, sizeof buf);
                cell.kind = HU_CELL_NUMBER;
                cell.num = num;
                cell.text = hu_arena_strdup(b->a, buf);
                size_t k = st ? strtoul(st, NULL, 10) : 0;
                numfmt nf = k < b->nxf ? b->xf[k] : fmt_builtin(0);
                cell.date = nf.date;
                cell.percent = nf.percent;
                cell.decimals = nf.decimals;
                if (cell.date) cell.text = serial_date(b->a, num, b->d1904);
            }
            if ((cell.kind == HU_CELL_TEXT && blank(cell.text)) || cell.kind == HU_CELL_EMPTY)
                continue;
            if (!counted && ++content_rows > HU_SHEET_MAX_ROWS) {
                hu_error(b->d, b->path, 0, 0, NULL,
                         "工作表“%s”有内容的行超过 %d 行，不像是一张指标表；请只保留指标所在的表",
                         s->name, HU_SHEET_MAX_ROWS);
                ok = false;
                break;
            }
            counted = true;
            *cell_push(&cv) = cell;
        }
    }
    /* vertically merged text (a 单位 or a header cell spanning rows) holds for every row of its
     * range, as the reader sees it; across columns it stays in its first column */
    qsort(cv.v, cv.n, sizeof *cv.v, cmp_cell);
    int nrows = cv.n ? cv.v[cv.n - 1].row + 1 : 0;
    size_t base = cv.n;
    hu_xml_node *merges = hu_xml_child(root, "mergeCells");
    for (hu_xml_node *m = hu_xml_child(merges, "mergeCell"); m && ok;
         m = hu_xml_next(m, "mergeCell")) {
        const char *ref = hu_xml_attr(x, m, "ref");
        const char *colon = ref ? strchr(ref, ':') : NULL;
        int r0, c0, r1, c1;
        if (!colon) continue;
        char first[32];
        snprintf(first, sizeof first, "%.*s", (int)(colon - ref), ref);
        if (!parse_ref(first, &r0, &c0) || !parse_ref(colon + 1, &r1, &c1) || r1 <= r0 ||
            c0 >= HU_SHEET_MAX_COLS)
            continue;
        hu_sheet sorted = {.cells = cv.v, .ncells = base}; /* the cells read, not the copies */
        const hu_cell *top = hu_sheet_cell(&sorted, r0, c0);
        if (!top || top->kind != HU_CELL_TEXT) continue;
        hu_cell copy = *top;
        for (int r = r0 + 1; r <= r1 && r < nrows; r++) {
            sorted.cells = cv.v; /* cell_push may move the vector */
            if (hu_sheet_cell(&sorted, r, c0)) continue;
            copy.row = r;
            copy.merged = true;
            *cell_push(&cv) = copy;
        }
    }
    hu_xml_free(x);
    if (!ok) {
        free(cv.v);
        return false;
    }
    qsort(cv.v, cv.n, sizeof *cv.v, cmp_cell);
    cells_to_sheet(&cv, b->a, s);
    return true;
}

/* What a file that is no zip most likely is, by its first bytes. */
static const char *not_zip_kind(const unsigned char *h, size_t n) {
    if (n >= 8 && !memcmp(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return "旧的 Excel 97-2003（.xls）或 WPS（.et）格式";
    if (n >= 5 && (!memcmp(h, "<?xml", 5) || !memcmp(h, "<html", 5) || !memcmp(h, "<HTML", 5)))
        return "网页或 XML 表格（常见于系统导出的“.xls”）";
    return NULL;
}

static hu_sheet *load_xlsx(hu_arena *a, const char *path, const char *want, bool *fallback,
                           hu_diags *d) {
    /* what it is, before the zip reader says "not a zip" */
    FILE *f = fopen(path, "rb");
    if (!f) {
        hu_error(d, path, 0, 0, NULL, "无法打开工作簿：%s", strerror(errno));
        return NULL;
    }
    unsigned char head[8] = {0};
    size_t hn = fread(head, 1, sizeof head, f);
    fclose(f);
    if (hn < 4 || memcmp(head, "PK\x03\x04", 4) != 0) {
        const char *kind = not_zip_kind(head, hn);
        if (kind)
            hu_error(d, path, 0, 0, NULL,
                     "这是%s，不是 .xlsx 工作簿：请在 Excel 或 WPS 中“另存为”"
                     "Excel 工作簿（.xlsx）",
                     kind);
        else
            hu_error(
                d, path, 0, 0, NULL,
                "不是 .xlsx 工作簿（不是 zip 文件）：文件已损坏或只是改了扩展名；请在 Excel 或 "
                "WPS 中“另存为”Excel 工作簿（.xlsx）");
        return NULL;
    }
    hu_zip_limits lim;
    hu_zip_limits_default(&lim);
    lim.max_entries = 10000;
    lim.max_entry_bytes = HU_SHEET_MAX_BYTES;
    lim.max_total_bytes = 4 * (uint64_t)HU_SHEET_MAX_BYTES;
    book b = {a, d, path, NULL, HU_BUF_INIT, NULL, 0, NULL, 0, false};
    b.z = hu_zip_open(path, &lim, d);
    if (!b.z) return NULL;
    hu_sheet *s = hu_arena_alloc(a, sizeof *s);
    s->file = path;
    hu_xml *wb = NULL;
    bool ok = false;

    /* the workbook part, from the package relationships */
    const char *wb_name = "xl/workbook.xml";
    size_t nr;
    rel *pr = read_rels(&b, "", &nr);
    for (size_t i = 0; i < nr; i++)
        if (type_is(pr[i].type, "/officeDocument")) wb_name = pr[i].target;
    wb = part(&b, wb_name, true);
    if (!wb) goto done;
    hu_xml_node *wroot = hu_xml_root(wb);
    if (strcmp(hu_xml_local(wroot), "workbook") != 0) {
        hu_error(d, path, 0, 0, NULL,
                 "不是 Excel 工作簿（%s 的根元素是 %s）：可能是 Word 或 PowerPoint 文件", wb_name,
                 hu_xml_local(wroot));
        goto done;
    }
    const char *d1904 = hu_xml_attr(wb, hu_xml_child(wroot, "workbookPr"), "date1904");
    b.d1904 = d1904 && (!strcmp(d1904, "1") || !strcmp(d1904, "true"));
    size_t nwr;
    rel *wr = read_rels(&b, wb_name, &nwr);
    for (size_t i = 0; i < nwr; i++) {
        if (type_is(wr[i].type, "/sharedStrings") && !read_sst(&b, wr[i].target)) goto done;
        if (type_is(wr[i].type, "/styles") && !read_styles(&b, wr[i].target)) goto done;
    }
    /* the worksheets, in the workbook's order */
    hu_buf names = HU_BUF_INIT;
    const char *chosen = NULL, *first = NULL, *first_name = NULL;
    int nsheets = 0;
    for (hu_xml_node *sh = hu_xml_child(hu_xml_child(wroot, "sheets"), "sheet"); sh;
         sh = hu_xml_next(sh, "sheet")) {
        const char *nm = hu_xml_attr(wb, sh, "name"), *id = hu_xml_attr(wb, sh, "id");
        const char *target = NULL;
        for (size_t i = 0; id && i < nwr; i++)
            if (!strcmp(wr[i].id, id) && type_is(wr[i].type, "/worksheet")) target = wr[i].target;
        if (!target || !nm) continue; /* a chart sheet, a dialog sheet, a broken entry */
        nsheets++;
        hu_buf_printf(&names, "%s“%s”", names.len ? "、" : "", nm);
        if (!first) first = target, first_name = hu_arena_strdup(a, nm);
        if (want && !chosen && !strcmp(nm, want)) {
            chosen = target;
            s->name = hu_arena_strdup(a, nm);
        }
    }
    if (!chosen && (!want || nsheets == 1) && first) {
        chosen = first;
        s->name = first_name;
        if (fallback) *fallback = want != NULL;
    }
    if (!chosen) {
        if (nsheets)
            hu_error(d, path, 0, 0, NULL,
                     "工作簿中没有名为“%s”的工作表（有 %s）：请把指标所在的"
                     "工作表改名为“%s”",
                     want, hu_buf_cstr(&names), want);
        else
            hu_error(d, path, 0, 0, NULL, "工作簿中没有工作表");
        hu_buf_free(&names);
        goto done;
    }
    hu_buf_free(&names);
    ok = read_sheet(&b, chosen, s);
done:
    hu_xml_free(wb);
    hu_buf_free(&b.buf);
    hu_zip_close(b.z);
    return ok ? s : NULL;
}

/* ---------------------------------------------------------------- CSV */

static hu_sheet *load_csv(hu_arena *a, const char *path, hu_diags *d) {
    hu_buf raw = HU_BUF_INIT;
    if (!hu_file_read(path, NULL, "文件", HU_SHEET_MAX_BYTES, &raw, d)) return NULL;
    hu_sheet *s = hu_arena_alloc(a, sizeof *s);
    s->file = path;
    s->csv = true;
    s->encoding = "UTF-8";
    const unsigned char *u = (const unsigned char *)raw.data;
    size_t len = raw.len;
    const char *text = raw.data ? raw.data : "";
    char *converted = NULL;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        hu_error(
            d, path, 0, 0, NULL,
            "CSV 文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8（逗号分隔）”");
        hu_buf_free(&raw);
        return NULL;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) text += 3, len -= 3;
    if (memchr(text, 0, len)) {
        hu_error(d, path, 0, 0, NULL,
                 "文件含有 NUL 字节，不是 CSV 文本：请另存为“CSV UTF-8（逗号分隔）”");
        hu_buf_free(&raw);
        return NULL;
    }
    if (hu_utf8_validate(text, len) != (size_t)-1) {
        size_t cn;
        converted = hu_gb18030_to_utf8(text, len, &cn);
        if (!converted) {
            hu_error(
                d, path, 0, 0, NULL,
                "CSV 文件既不是 UTF-8 也不是 GBK（GB18030）编码：请另存为“CSV UTF-8（逗号分隔）”");
            hu_buf_free(&raw);
            return NULL;
        }
        text = converted;
        len = cn;
        s->encoding = "GB18030";
    }
    /* the separator: the one the first line uses most, outside quotes */
    int count[3] = {0, 0, 0};
    const char seps[3] = {',', ';', '\t'};
    bool q = false;
    for (size_t i = 0; i < len && (q || (text[i] != '\n' && text[i] != '\r')); i++) {
        if (text[i] == '"') q = !q;
        for (int k = 0; k < 3 && !q; k++)
            count[k] += text[i] == seps[k];
    }
    char sep = ',';
    if (count[1] > count[0] && count[1] >= count[2]) sep = ';';
    if (count[2] > count[0] && count[2] > count[1]) sep = '\t';

    cellvec cv = {0};
    hu_buf field = HU_BUF_INIT;
    int row = 0, col = 0, content_rows = 0;
    bool row_has = false, quoted = false, ok = true;
    size_t i = 0;
    while (ok) {
        bool end_field = false, end_row = false, eof = i >= len;
        if (eof) {
            end_field = true, end_row = true;
        } else if (quoted) {
            if (text[i] == '"' && i + 1 < len && text[i + 1] == '"') {
                hu_buf_putc(&field, '"');
                i += 2;
            } else if (text[i] == '"') {
                quoted = false;
                i++;
            } else {
                hu_buf_putc(&field, text[i++]);
            }
            continue;
        } else if (text[i] == '"' && strspn(hu_buf_cstr(&field), " ") == field.len) {
            hu_buf_clear(&field);
            quoted = true;
            i++;
            continue;
        } else if (text[i] == sep) {
            end_field = true;
            i++;
        } else if (text[i] == '\n' || text[i] == '\r') {
            end_field = end_row = true;
            i += text[i] == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
        } else {
            hu_buf_putc(&field, text[i++]);
        }
        if (end_field) {
            const char *t = hu_buf_cstr(&field);
            if (col < HU_SHEET_MAX_COLS && !blank(t)) {
                if (!row_has && ++content_rows > HU_SHEET_MAX_ROWS) {
                    hu_error(d, path, 0, 0, NULL, "CSV 文件有内容的行超过 %d 行，不像是一张指标表",
                             HU_SHEET_MAX_ROWS);
                    ok = false;
                    break;
                }
                row_has = true;
                hu_cell *c = cell_push(&cv);
                c->row = row, c->col = col, c->kind = HU_CELL_TEXT;
                c->text = hu_arena_strdup(a, t);
            } else if (col >= HU_SHEET_MAX_COLS && !blank(t)) {
                s->cut_cols = true;
            }
            hu_buf_clear(&field);
            col++;
        }
        if (end_row) {
            row++, col = 0, row_has = false;
            if (eof) break;
        }
    }
    if (quoted && ok) {
        hu_error(d, path, 0, 0, NULL, "CSV 文件末尾有未闭合的引号：第 %d 行起的引号没有配对", row);
        ok = false;
    }
    hu_buf_free(&field);
    free(converted);
    hu_buf_free(&raw);
    if (!ok) {
        free(cv.v);
        return NULL;
    }
    cells_to_sheet(&cv, a, s);
    return s;
}

static bool ends_ci(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

hu_sheet *hu_sheet_load(hu_arena *a, const char *path, const char *want, bool *fallback,
                        hu_diags *d) {
    if (fallback) *fallback = false;
    if (ends_ci(path, ".csv")) return load_csv(a, path, d);
    return load_xlsx(a, path, want, fallback, d);
}
