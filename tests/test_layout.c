/* test_layout.c - the typesetter on crafted documents with fake monospace metrics
 * (CJK 1 em, ASCII 0.5 em, face = role), so every expectation is plain arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cmark-gfm-core-extensions.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "layout.h"
#include "linebreak.h"
#include "mustache.h"
#include "utf8.h"

static int fake_lookup(void *ctx, hu_font_role role, uint32_t cp, double *adv) {
    (void)ctx;
    if (cp == 0xE000 || cp == 0x20000) return -1; /* characters no face has */
    *adv = cp < 0x2000 && cp != 0xB7 ? 0.5 : 1.0;
    return (int)role;
}
static const hu_metrics fake = {NULL, fake_lookup, NULL, NULL};

static cmark_node *parse(const char *md) {
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE);
    cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("table"));
    cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("strikethrough"));
    cmark_parser_feed(p, md, strlen(md));
    cmark_node *doc = cmark_parser_finish(p);
    cmark_parser_free(p);
    return doc;
}

/* Glyph i's advance in run (layout.h): the fake face's less the squeeze, in em. */
static double run_adv(const hu_run *run, size_t i) {
    double adv = 0;
    fake_lookup(NULL, 0, run->cps[i], &adv);
    if (run->cut) adv -= ((run->cut[i] >> 4) + (run->cut[i] & 15)) / 8.0;
    return adv;
}

/* A laid-out page as text lines: runs grouped by baseline, top to bottom. */
typedef struct {
    double y, x0, x1; /* baseline, left of first glyph, right end of last glyph (advance) */
    char text[512];
    int page;
    bool pageno;
} tline;

static size_t lines_of(const hu_layout *lay, tline *out, size_t max) {
    size_t n = 0;
    for (size_t p = 0; p < lay->npages; p++) {
        const hu_page *pg = &lay->pages[p];
        size_t start = n;
        for (size_t r = 0; r < pg->nruns; r++) {
            const hu_run *run = &pg->runs[r];
            tline *t = NULL;
            for (size_t k = start; k < n; k++)
                if (fabs(out[k].y - run->y) < 0.5 && out[k].pageno == (run->kind != HU_RUN_TEXT))
                    t = &out[k];
            if (!t) {
                if (n >= max) break;
                t = &out[n++];
                memset(t, 0, sizeof *t);
                t->y = run->y, t->x0 = run->x, t->page = (int)p;
                t->pageno = run->kind != HU_RUN_TEXT;
            }
            double x = run->x;
            char *e = t->text + strlen(t->text);
            for (size_t i = 0; i < run->n; i++) {
                x += run_adv(run, i) * run->size + run->char_space;
                e += hu_utf8_encode(run->cps[i], e);
            }
            *e = 0;
            if (run->x < t->x0) t->x0 = run->x;
            if (x - run->char_space > t->x1) t->x1 = x - run->char_space;
        }
        /* sort this page's lines by y descending (top first) */
        for (size_t a = start; a < n; a++)
            for (size_t b = a + 1; b < n; b++)
                if (out[b].y > out[a].y) {
                    tline tmp = out[a];
                    out[a] = out[b], out[b] = tmp;
                }
    }
    return n;
}

static hu_arena A;
static hu_style S;
static hu_diags D = HU_DIAGS_INIT;
static tline LN[2000];

static size_t run_md(const char *md, hu_layout **lay_out) {
    hu_style_default(&S);
    cmark_node *doc = parse(md);
    hu_layout *lay = hu_layout_document(&A, doc, &S, &fake, NULL, &D);
    assert_non_null(lay);
    cmark_node_free(doc);
    if (lay_out) *lay_out = lay;
    size_t n = lines_of(lay, LN, 2000);
    if (getenv("DUMP"))
        for (size_t i = 0; i < n; i++)
            printf("p%d %7.2f %7.2f-%7.2f |%s|\n", LN[i].page, LN[i].y, LN[i].x0, LN[i].x1,
                   LN[i].text);
    return n;
}

/* md as a template whose structural blocks ({{@signature}}…{{/signature}}) become typed
 * blocks, as report.c builds the rendered document. */
static hu_doc_span SP[16];
static size_t NSP;

static void add_span(void *ud, const char *name, size_t len, size_t start, size_t end) {
    (void)ud;
    assert_true(NSP < 16);
    SP[NSP++] = (hu_doc_span){hu_block_kind_of(name, len), start, end};
}

static size_t run_tpl(const char *tpl, hu_layout **lay_out) {
    hu_style_default(&S);
    hu_mustache_opts o = {HU_ESC_MARKDOWN, NULL,     0,   true, NULL, NULL,
                          hu_block_names,  add_span, NULL};
    hu_buf md = HU_BUF_INIT;
    NSP = 0;
    assert_true(hu_mustache_render_string(tpl, strlen(tpl), "t", hu_v_map(&A), &o, NULL, &md, &D));
    cmark_node *doc = hu_doc_build(md.data, md.len, SP, NSP);
    hu_buf_free(&md);
    hu_layout *lay = hu_layout_document(&A, doc, &S, &fake, NULL, &D);
    assert_non_null(lay);
    cmark_node_free(doc);
    if (lay_out) *lay_out = lay;
    size_t n = lines_of(lay, LN, 2000);
    if (getenv("DUMP"))
        for (size_t i = 0; i < n; i++)
            printf("p%d %7.2f %7.2f-%7.2f |%s|\n", LN[i].page, LN[i].y, LN[i].x0, LN[i].x1,
                   LN[i].text);
    return n;
}

static int setup(void **s) {
    (void)s;
    hu_arena_init(&A);
    return 0;
}
static int teardown(void **s) {
    (void)s;
    hu_arena_free(&A);
    hu_diags_free(&D);
    return 0;
}

static double text_l(void) {
    return HU_MM(28);
}
static double text_r(void) {
    return HU_MM(210 - 26);
}

static char *rep(const char *unit, int n) {
    static char buf[8][20000];
    static int k;
    char *b = buf[k++ % 8];
    b[0] = 0;
    for (int i = 0; i < n; i++)
        strcat(b, unit);
    return b;
}

/* 28 characters of 16 pt fill the 156 mm line exactly; justified lines end at the margin. */
static void test_grid_and_justification(void **s) {
    (void)s;
    char md[20000];
    snprintf(md, sizeof md, "%s\n", rep("汉", 100));
    size_t n = run_md(md, NULL);
    assert_int_equal(n, 5); /* 26 + 28 + 28 + 18 chars, plus the page number */
    assert_int_equal(hu_utf8_count(LN[0].text, strlen(LN[0].text)), 26);
    assert_int_equal(hu_utf8_count(LN[1].text, strlen(LN[1].text)), 28);
    /* first line indented by two characters */
    assert_true(fabs(LN[0].x0 - (text_l() + 2 * (442.2047 / 28))) < 0.05);
    for (int i = 0; i < 3; i++)
        assert_true(fabs(LN[i].x1 - (text_r() + hu_style_tracking(&S) * 0)) < 0.3);
    /* line pitch 28.95 */
    assert_true(fabs(LN[0].y - LN[1].y - 28.95) < 0.01);
}

/* No line starts with a closing mark or ends with an opening one. */
static void test_kinsoku(void **s) {
    (void)s;
    /* put a "，" exactly where a line would start, and a "“" where a line would end */
    char md[4000];
    snprintf(md, sizeof md, "%s，%s“引号”%s（括号）%s。\n", rep("甲", 26), rep("乙", 26),
             rep("丙", 20), rep("丁", 40));
    size_t n = run_md(md, NULL);
    for (size_t i = 0; i < n; i++) {
        if (LN[i].pageno) continue;
        uint32_t first, last = 0;
        hu_utf8_decode(LN[i].text, strlen(LN[i].text), &first);
        for (const char *p = LN[i].text; *p;)
            p += hu_utf8_decode(p, strlen(p), &last);
        assert_false(hu_linebreak_no_start(first));
        assert_false(hu_linebreak_no_end(last));
        /* every line ends inside the text area */
        assert_true(LN[i].x1 <= text_r() + 0.3);
    }
    /* a full line of Han cannot take the comma in: one 甲 goes down with it (push-out) and
     * the first line is spread to the margin */
    assert_int_equal(hu_utf8_count(LN[0].text, strlen(LN[0].text)), 25);
    assert_int_equal(strncmp(LN[1].text, "甲，", 6), 0);
    assert_true(fabs(LN[0].x1 - text_r()) < 0.3);
}

static void test_unbreakable_units(void **s) {
    (void)s;
    char md[4000];
    /* line 1 holds 26 chars: place —— and …… and 12.5% across the line end */
    snprintf(md, sizeof md, "%s——%s……%s增长12.5%%%s\n", rep("甲", 25), rep("乙", 27), rep("丙", 26),
             rep("丁", 30));
    size_t n = run_md(md, NULL);
    for (size_t i = 0; i + 1 < n; i++) {
        if (LN[i + 1].pageno) continue;
        const char *a = LN[i].text;
        size_t la = strlen(a);
        /* no line ends in a single — or … nor starts with one */
        assert_false(la >= 3 && strcmp(a + la - 3, "—") == 0 &&
                     !(la >= 6 && strcmp(a + la - 6, "——") == 0));
        assert_false(strncmp(LN[i + 1].text, "—", 3) == 0 && strncmp(LN[i + 1].text, "——", 6) != 0);
        assert_false(la >= 3 && strcmp(a + la - 3, "…") == 0 &&
                     !(la >= 6 && strcmp(a + la - 6, "……") == 0));
        assert_false(strncmp(LN[i + 1].text, "%", 1) == 0);
        assert_false(la && a[la - 1] >= '0' && a[la - 1] <= '9' && LN[i + 1].text[0] >= '0' &&
                     LN[i + 1].text[0] <= '9');
    }
    bool found = false;
    for (size_t i = 0; i < n; i++)
        found |= strstr(LN[i].text, "12.5%") != NULL;
    assert_true(found);
}

static void test_linebreak_rules(void **s) {
    (void)s;
    uint32_t t[32];
    unsigned char b[32];
    const char *src = "增长12.5%，达3.45亿元——“好”……";
    size_t n = 0;
    for (const char *p = src; *p;)
        p += hu_utf8_decode(p, strlen(p), &t[n++]);
    hu_linebreak_compute(t, n, b);
    /* 增|长|1 2 . 5 % ， : no break inside 12.5%， */
    for (size_t i = 2; i <= 6; i++)
        assert_int_equal(b[i], HU_BRK_NO);
    /* 达|3.45亿元: none inside 3.45亿元 */
    for (size_t i = 9; i <= 13; i++)
        assert_int_equal(b[i], HU_BRK_NO);
    assert_int_equal(b[15], HU_BRK_NO); /* between — — */
    assert_int_equal(b[17], HU_BRK_NO); /* after “ */
    assert_int_equal(b[18], HU_BRK_NO); /* before ” */
    assert_int_equal(b[20], HU_BRK_NO); /* between … … */
    assert_int_equal(b[7], HU_BRK_ALLOW);
    assert_int_equal(b[n - 1], HU_BRK_MUST);
    assert_int_equal(b[0], HU_BRK_ALLOW);
}

static size_t decode(const char *src, uint32_t *t, size_t max) {
    size_t n = 0;
    for (const char *p = src; *p && n < max;)
        p += hu_utf8_decode(p, strlen(p), &t[n++]);
    return n;
}

/* Hyphenation points (libhyphen, hyphen-en-us): in English words only, 2 letters before and 3
 * after at least; none in acronyms, CamelCase, URLs, paths or IDs. */
static void test_hyphens(void **s) {
    (void)s;
    assert_true(hu_linebreak_hyphens_ready()); /* hyphen-en-us installed (tools/deps.sh) */
    uint32_t t[200];
    unsigned char hy[200];
    const char *src = "引进（Siemens Healthineers）和International，SAP S/4HANA的itemCode，"
                      "www.example.gov.cn/portal及Contemporary Co., Limited";
    size_t n = decode(src, t, 200);
    hu_linebreak_hyphens(t, n, hy);
    char out[400];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        o += (size_t)hu_utf8_encode(t[i], out + o);
        if (hy[i]) out[o++] = '-';
    }
    out[o] = 0;
    assert_string_equal(out,
                        "引进（Siemens Health-i-neers）和In-ter-na-tional，SAP S/4HANA的itemCode，"
                        "www.example.gov.cn/portal及Con-tem-po-rary Co., Lim-ited");
}

/* Inside a URL, path or ID a line breaks before a mark, after "//", after "=" and "&"; never
 * after "-" or ".". */
static void test_url_breaks(void **s) {
    (void)s;
    uint32_t t[200];
    const char *src = "https://www.example.gov.cn/a_b?x=1&y=2#top HN-KFQ-2026-0815";
    size_t n = decode(src, t, 200);
    char out[400];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        o += (size_t)hu_utf8_encode(t[i], out + o);
        if (hu_linebreak_url_break(t, n, i)) out[o++] = '|';
    }
    out[o] = 0;
    assert_string_equal(
        out, "https://|www|.example|.gov|.cn|/a|_b|?x|=|1|&|y|=|2|#top HN|-KFQ|-2026|-0815");
}

/* A loose line before a long English word: the word is hyphenated (the hyphen drawn, the
 * text layer rejoins it), not the line spread. */
static void test_hyphenated_line(void **s) {
    (void)s;
    /* first line: 2 em indent + 17 汉字 + （ + "Siemens " = 24 em of 28; "Healthineers" (6 em)
     * does not fit, "Health-" (3.5 em) does */
    char md[4000];
    snprintf(md, sizeof md, "%s（Siemens Healthineers），%s。\n", rep("汉", 17), rep("文", 40));
    size_t before = D.warnings;
    size_t n = run_md(md, NULL);
    assert_int_equal(D.warnings, before);
    assert_true(n >= 3);
    const char *a = LN[0].text, *b = LN[1].text;
    size_t la = strlen(a);
    assert_true(la > 0 && a[la - 1] == '-');
    assert_true(strstr(a, "Health") != NULL);
    assert_true(b[0] >= 'a' && b[0] <= 'z');
    assert_true(fabs(LN[0].x1 - text_r()) < 0.3); /* justified to the margin, hyphen included */
}

/* A long URL is broken at its marks (nothing added, no emergency break, no warning). */
static void test_url_line(void **s) {
    (void)s;
    char md[4000];
    snprintf(md, sizeof md,
             "%s详见https://www.example.gov.cn/zwgk/2026/10/t20261015_123456.html，%s。\n",
             rep("汉", 20), rep("文", 40));
    size_t before = D.warnings;
    size_t n = run_md(md, NULL);
    assert_int_equal(D.warnings, before);
    char all[4000] = "";
    for (size_t i = 0; i + 1 < n; i++) {
        size_t la = strlen(LN[i].text);
        assert_true(la > 0);
        char last = LN[i].text[la - 1];
        assert_true(last != '-' && last != '.');
        strcat(all, LN[i].text);
    }
    assert_non_null(strstr(all, "https://www.example.gov.cn/zwgk/2026/10/t20261015_123456.html"));
}

/* The last line never holds one character (+ punctuation): one is pulled down. */
static void test_lonely_last_line(void **s) {
    (void)s;
    char md[4000];
    snprintf(md, sizeof md, "%s甲。\n", rep("乙", 26 + 27));
    size_t n = run_md(md, NULL);
    assert_true(n >= 3);
    const char *last = LN[n - 2].text; /* n-1 is the page number */
    assert_true(hu_utf8_count(last, strlen(last)) >= 3);
    /* and the shortened line above is still justified to the margin */
    assert_true(fabs(LN[n - 3].x1 - text_r()) < 0.3);
}

/* A soft break is nothing between CJK and a space between Latin words. */
static void test_soft_breaks(void **s) {
    (void)s;
    size_t n = run_md("中文\n继续 and\nLatin\n", NULL);
    assert_true(n >= 1);
    /* spaces are not drawn but leave a gap; the glyphs are contiguous otherwise */
    assert_string_equal(LN[0].text, "中文继续andLatin");
}

static void fill_para(char *md, size_t cap, int paras, int chars) {
    md[0] = 0;
    for (int i = 0; i < paras; i++) {
        strncat(md, rep("文", chars), cap - strlen(md) - 1);
        strncat(md, "\n\n", cap - strlen(md) - 1);
    }
}

/* Widows and orphans: no paragraph leaves one line alone at a page foot or top. */
static void test_widow_orphan(void **s) {
    (void)s;
    static char md[200000];
    /* 7 paragraphs of 3 lines = 21 lines, then a 3-line paragraph that would split 1 + 2 */
    fill_para(md, sizeof md, 7, 26 + 28 + 10);
    strcat(md, rep("末", 26 + 28 + 10));
    strcat(md, "\n");
    hu_layout *lay;
    size_t n = run_md(md, &lay);
    assert_int_equal(lay->npages, 2);
    int p1 = 0, last_para_p1 = 0;
    for (size_t i = 0; i < n; i++)
        if (!LN[i].pageno && LN[i].page == 0) {
            p1++;
            if (strstr(LN[i].text, "末")) last_para_p1++;
        }
    assert_int_equal(last_para_p1, 0); /* the whole paragraph moved */
    assert_int_equal(p1, 21);
}

static void test_widow(void **s) {
    (void)s;
    static char md[200000];
    /* 6 paragraphs of 3 lines = 18 lines; then a 5-line paragraph: 4 fit, 1 would be a widow */
    fill_para(md, sizeof md, 6, 26 + 28 + 10);
    strcat(md, rep("末", 26 + 28 * 3 + 10));
    strcat(md, "\n");
    hu_layout *lay;
    size_t n = run_md(md, &lay);
    int top2 = 0;
    for (size_t i = 0; i < n; i++)
        if (!LN[i].pageno && LN[i].page == 1 && strstr(LN[i].text, "末")) top2++;
    assert_int_equal(top2, 2); /* 3 + 2, not 4 + 1 */
}

/* A page never ends with a hyphenated line (TeX's \brokenpenalty, Chicago 7.41): the reader
 * would turn the page mid-word and pdftotext, which rejoins "Health-|ineers" only within a page,
 * would keep the hyphen. The hyphenated line starts the next page instead. */
static void test_hyphen_not_at_page_foot(void **s) {
    (void)s;
    static char md[200000];
    /* 6 paragraphs of 3 lines = 18 lines; then a paragraph whose 4th line (the page's 22nd)
     * ends "Health-" and which goes on for 2 more lines */
    fill_para(md, sizeof md, 6, 26 + 28 + 10);
    char *e = md + strlen(md);
    snprintf(e, sizeof md - strlen(md), "%s\\\n%s（Siemens Healthineers），%s。\n",
             rep("汉", 26 + 28 + 28), rep("汉", 19), rep("文", 60));
    hu_layout *lay;
    size_t n = run_md(md, &lay);
    size_t hy = n;
    for (size_t i = 0; i < n; i++)
        if (!LN[i].pageno && strstr(LN[i].text, "Health") && strchr(LN[i].text, '-')) hy = i;
    assert_true(hy < n);
    assert_int_equal(LN[hy].page, 1); /* it would be page 1's last line (22nd) */
    assert_true(hy + 1 < n && LN[hy + 1].page == 1 && !LN[hy + 1].pageno);
    int p1 = 0;
    for (size_t i = 0; i < n; i++)
        if (!LN[i].pageno && LN[i].page == 0) p1++;
    assert_int_equal(p1, 21); /* 18 + the paragraph's three lines before it */
}

/* A heading is never the last line of a page. */
static void test_heading_keep_with_next(void **s) {
    (void)s;
    static char md[200000];
    fill_para(md, sizeof md, 7, 26 + 28 + 10); /* 21 lines */
    strcat(md, "## 二、存在的问题\n\n");
    strcat(md, rep("问", 26 + 28 + 10));
    strcat(md, "\n");
    size_t n = run_md(md, NULL);
    for (size_t i = 0; i < n; i++)
        if (strstr(LN[i].text, "二、存在的问题")) assert_int_equal(LN[i].page, 1);
}

/* Tables break between rows and repeat the header row. */
static void test_table_breaks_and_repeats_header(void **s) {
    (void)s;
    static char md[200000];
    fill_para(md, sizeof md, 5, 26 + 28); /* 10 lines */
    strcat(md, "| 指标 | 数值 |\n|---|---|\n");
    for (int i = 0; i < 40; i++) {
        char row[128];
        snprintf(row, sizeof row, "| 指标%d | %d.5 |\n", i, i * 7);
        strcat(md, row);
    }
    hu_layout *lay;
    size_t n = run_md(md, &lay);
    assert_true(lay->npages >= 2);
    int headers = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(LN[i].text, "指标数值") == 0) { /* header cells share a baseline */
            headers++;
        }
        /* numbers are right-aligned in their column: "…7.5" ends at the same x */
    }
    assert_int_equal(headers, (int)lay->npages - 0 - (lay->npages > 2 ? 0 : 0));
    /* every table row lies inside the text area */
    for (size_t p = 0; p < lay->npages; p++)
        for (size_t r = 0; r < lay->pages[p].nrules; r++) {
            const hu_rule *ru = &lay->pages[p].rules[r];
            assert_true(ru->y0 >= HU_MM(35) - 0.5 && ru->y1 >= HU_MM(35) - 0.5);
        }
}

/* No table leaves a single body row at a page foot or carries one alone to the next page,
 * whatever the table's length and position. */
static void test_table_row_widows(void **s) {
    (void)s;
    static char md[200000];
    int splits = 0;
    for (int paras = 1; paras <= 8; paras++)
        for (int rows = 4; rows <= 40; rows += 3) {
            fill_para(md, sizeof md, paras, 26 + 28); /* 2 lines each */
            strcat(md, "| 项目 | 数值 |\n|---|---|\n");
            for (int i = 0; i < rows; i++) {
                char row[64];
                snprintf(row, sizeof row, "| 行%d | %d |\n", i, i);
                strcat(md, row);
            }
            hu_layout *lay;
            size_t n = run_md(md, &lay);
            int per_page[16] = {0};
            for (size_t i = 0; i < n; i++)
                if (!LN[i].pageno && strncmp(LN[i].text, "行", 3) == 0 && LN[i].page < 16)
                    per_page[LN[i].page]++;
            int pages_with_rows = 0, first = -1;
            for (int p = 0; p < 16; p++) {
                if (per_page[p] && first < 0) first = p;
                if (per_page[p]) pages_with_rows++;
                if (per_page[p] == 1) {
                    print_message("paras=%d rows=%d: page %d holds one row\n", paras, rows, p + 1);
                    fail();
                }
            }
            /* where a table starts at a page foot, three rows at least go with its header */
            if (pages_with_rows > 1 && per_page[first] < 3) {
                print_message("paras=%d rows=%d: %d rows under the header\n", paras, rows,
                              per_page[first]);
                fail();
            }
            splits += pages_with_rows > 1;
        }
    assert_true(splits > 10); /* the loop did exercise tables that break */
}

/* A 表题 paragraph is centred over its table; a continuation page starts with 续表1 (right
 * aligned) over the repeated header; the white above the table (from the text's em box to the
 * caption's) equals the white below it (from the last rule to the next line's em box), and
 * the next line is on the body grid. */
static void test_table_caption_and_spacing(void **s) {
    (void)s;
    static char md[200000];
    /* one page of text but four lines, the table, a closing line */
    fill_para(md, sizeof md, 1, 28 * 2);
    strcat(md, "表1　主要指标\n\n| 指标 | 数值 |\n|---|--:|\n");
    for (int i = 0; i < 4; i++) {
        char row[64];
        snprintf(row, sizeof row, "| 指标%d | %d.5 |\n", i, i);
        strcat(md, row);
    }
    strcat(md, "\n结束。\n");
    hu_layout *lay;
    size_t n = run_md(md, &lay);
    assert_int_equal(lay->npages, 1);
    size_t cap = 0, end = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(LN[i].text, "表1　主要指标") == 0) cap = i;
        if (strcmp(LN[i].text, "结束。") == 0) end = i;
    }
    assert_true(cap > 0 && end > cap);
    double mid = (text_l() + text_r()) / 2;
    assert_true(fabs((LN[cap].x0 + LN[cap].x1) / 2 - mid) < 0.5);
    /* the table's top and bottom rules */
    const hu_page *pg = &lay->pages[0];
    double top = -1, bot = 1e9;
    for (size_t r = 0; r < pg->nrules; r++) {
        const hu_rule *ru = &pg->rules[r];
        if (fabs(ru->y0 - ru->y1) > 0.01) continue;
        if (ru->y0 > top) top = ru->y0;
        if (ru->y0 < bot) bot = ru->y0;
    }
    assert_true(top > LN[end].y && top < LN[cap].y);
    double above = (LN[cap - 1].y - 0.12 * 16) - (LN[cap].y + 0.88 * 14);
    double below = bot - (LN[end].y + 0.88 * 16);
    assert_true(fabs(above - below) < 0.01);
    assert_true(above >= (28.95 - 16) / 2 + 6);
    double k = (HU_MM(297) - HU_MM(37) - LN[end].y - (28.95 - 16) / 2 - 0.88 * 16) / 28.95;
    assert_true(fabs(k - round(k)) < 1e-6);

    /* a long table: 续表1 over the header on every page it goes on to */
    fill_para(md, sizeof md, 1, 28);
    strcat(md, "表1　主要指标\n\n| 指标 | 数值 |\n|---|--:|\n");
    for (int i = 0; i < 80; i++) {
        char row[64];
        snprintf(row, sizeof row, "| 指标%d | %d.5 |\n", i, i);
        strcat(md, row);
    }
    n = run_md(md, &lay);
    assert_true(lay->npages >= 3);
    int conts = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (strcmp(LN[i].text, "续表1") == 0) {
            conts++;
            assert_true(LN[i].page > 0);
            assert_true(fabs(LN[i].x1 - text_r()) < 0.5);
            assert_string_equal(LN[i + 1].text, "指标数值");
            assert_int_equal(LN[i + 1].page, LN[i].page);
        }
    assert_int_equal(conts, (int)lay->npages - 1);
}

/* Tag-like text is shown as typed, comments vanish, <br> breaks the line: no character of
 * the report disappears because Markdown took it for HTML. */
static void test_html_shown_as_typed(void **s) {
    (void)s;
    size_t n = run_md("型号<ABC-1>投产<!-- 注 -->，<b>粗</b>甲<br>乙\n\n<div>块</div>\n", NULL);
    bool tag = false, b = false, comment = false, block = false, split = false;
    for (size_t i = 0; i < n; i++) {
        if (LN[i].pageno) continue;
        tag |= strstr(LN[i].text, "型号<ABC-1>投产，") != NULL;
        b |= strstr(LN[i].text, "<b>粗</b>甲") != NULL;
        comment |= strstr(LN[i].text, "注") != NULL;
        block |= strcmp(LN[i].text, "<div>块</div>") == 0;
        split |= strcmp(LN[i].text, "乙") == 0;
    }
    assert_true(tag);
    assert_true(b);
    assert_false(comment);
    assert_true(block);
    assert_true(split);
}

/* x of the left edge of the first glyph cp on page pg (NAN when absent), and its baseline. */
static double glyph_x(const hu_page *pg, uint32_t cp, double *baseline) {
    for (size_t r = 0; r < pg->nruns; r++) {
        const hu_run *run = &pg->runs[r];
        double x = run->x;
        for (size_t i = 0; i < run->n; i++) {
            if (run->cps[i] == cp) {
                *baseline = run->y;
                return x;
            }
            x += run_adv(run, i) * run->size + run->char_space;
        }
    }
    return NAN;
}

/* ~~deleted~~ text keeps its characters and gets a line through them, from the left edge of
 * its first glyph to the right edge of its last, at mid-height; in a paragraph with a run-in
 * lead too, where tag-like text after the lead is shown as typed. */
static void test_strikethrough(void **s) {
    (void)s;
    hu_layout *lay;
    size_t n = run_md("甲乙~~丙丁~~戊\n\n**（一）坚持**。正文<X-1>~~删~~了\n", &lay);
    assert_int_equal(lay->npages, 1);
    const hu_page *pg = &lay->pages[0];
    bool whole = false, lead = false;
    for (size_t i = 0; i < n; i++) {
        whole |= strcmp(LN[i].text, "甲乙丙丁戊") == 0;
        lead |= strcmp(LN[i].text, "（一）坚持。正文<X-1>删了") == 0;
    }
    assert_true(whole);
    assert_true(lead);
    assert_int_equal(pg->nrules, 2);
    double y1 = 0, y2 = 0, y3 = 0, y4 = 0;
    double x_bing = glyph_x(pg, 0x4E19 /* 丙 */, &y1), x_wu = glyph_x(pg, 0x620A /* 戊 */, &y2);
    double x_del = glyph_x(pg, 0x5220 /* 删 */, &y3), x_le = glyph_x(pg, 0x4E86 /* 了 */, &y4);
    const hu_rule *r1 = &pg->rules[0], *r2 = &pg->rules[1];
    assert_true(fabs(r1->x0 - x_bing) < 0.01);
    assert_true(fabs(r1->x1 - x_wu) < 0.01); /* tracking past 丁 belongs to the gap */
    assert_true(fabs(r1->y0 - r1->y1) < 0.001);
    assert_true(fabs(r1->y0 - (y1 + 0.38 * 16)) < 0.01);
    assert_true(fabs(r2->x0 - x_del) < 0.01);
    assert_true(fabs(r2->x1 - x_le) < 0.01);
    assert_true(fabs(r2->y0 - (y3 + 0.38 * 16)) < 0.01);
    assert_true(r1->width > 0.5 && r1->width < 1.0);
    (void)y2, (void)y4;
}

/* Page numbers: odd pages right, even pages left, one character in, "— N —". */
static void test_page_numbers(void **s) {
    (void)s;
    static char md[200000];
    fill_para(md, sizeof md, 30, 26 + 28);
    hu_layout *lay;
    size_t n = run_md(md, &lay);
    assert_true(lay->npages >= 3);
    double ch = 442.2047 / 28;
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (!LN[i].pageno) continue;
        seen++;
        char want[32];
        snprintf(want, sizeof want, "—%d—", LN[i].page + 1);
        assert_string_equal(LN[i].text, want);
        if ((LN[i].page + 1) % 2)
            assert_true(fabs(LN[i].x1 - (text_r() - ch)) < 0.5);
        else
            assert_true(fabs(LN[i].x0 - (text_l() + ch)) < 0.5);
        assert_true(LN[i].y < HU_MM(35) - HU_MM(7));
    }
    assert_int_equal(seen, (int)lay->npages);
}

/* The signature block: 署名 右空二字, the date two characters right of it, never alone. */
static void test_signature(void **s) {
    (void)s;
    static char md[200000];
    fill_para(md, sizeof md, 10, 26 + 28); /* 20 lines: the block (3 lines) needs squeezing */
    strcat(md, "特此报告。\n\n{{@signature}}\n示例产业开发区管理委员会\n\n2026年11月5日\n{{/"
               "signature}}\n");
    hu_layout *lay;
    size_t n = run_tpl(md, &lay);
    assert_int_equal(lay->npages, 1);
    assert_int_equal(lay->squeezed, 1);
    double ch = 442.2047 / 28;
    const tline *org = NULL, *date = NULL;
    for (size_t i = 0; i < n; i++) {
        if (strstr(LN[i].text, "管理委员会")) org = &LN[i];
        if (strstr(LN[i].text, "2026年")) date = &LN[i];
    }
    assert_non_null(org);
    assert_non_null(date);
    assert_true(fabs(org->x1 - (text_r() - 2 * ch)) < 0.5);
    assert_true(fabs(date->x0 - (org->x0 + 2 * ch)) < 0.5);
    assert_true(date->y < org->y);
    assert_true(org->y - date->y < 28.95 + 0.01);
}

/* The signature block after a table on a full page: the text lines tighten, the rows keep
 * their height and stay edge to edge, and everything fits one page. */
static void test_signature_after_table(void **s) {
    (void)s;
    static char md[200000];
    fill_para(md, sizeof md, 8, 26 + 28); /* 16 lines */
    strcat(md, "| 指标 | 数值 |\n|---|---:|\n");
    for (int i = 0; i < 4; i++)
        strcat(md, "| 收入 | 12.5 |\n");
    strcat(md, "\n特此报告。\n\n{{@signature}}\n示例产业开发区管理委员会\n\n2026年11月5日\n{{/"
               "signature}}\n");
    hu_layout *lay;
    size_t n = run_tpl(md, &lay);
    assert_int_equal(lay->npages, 1);
    assert_int_equal(lay->squeezed, 1);
    const hu_page *pg = &lay->pages[0];
    /* horizontal rules of the table: the rows' top and bottom edges, each row's bottom being
     * the next row's top (to within rounding), rows of equal height as set */
    double ys[64];
    size_t ny = 0;
    for (size_t r = 0; r < pg->nrules && ny < 64; r++)
        if (fabs(pg->rules[r].y0 - pg->rules[r].y1) < 0.001) ys[ny++] = pg->rules[r].y0;
    assert_int_equal(ny, 10); /* 5 rows × (top, bottom) */
    for (size_t k = 1; k + 1 < ny; k += 2)
        assert_true(fabs(ys[k] - ys[k + 1]) < 0.01);
    double rh = ys[0] - ys[1];
    for (size_t k = 0; k < ny; k += 2)
        assert_true(fabs((ys[k] - ys[k + 1]) - rh) < 0.01);
    /* every text line inside the text area, the date last */
    double bottom = HU_MM(35);
    const tline *date = NULL;
    for (size_t i = 0; i < n; i++) {
        if (LN[i].pageno) continue;
        assert_true(LN[i].y > bottom - 0.01);
        if (strstr(LN[i].text, "2026年")) date = &LN[i];
    }
    assert_non_null(date);
    for (size_t i = 0; i < n; i++)
        if (!LN[i].pageno) assert_true(LN[i].y >= date->y - 0.01);
}

/* hu_layout_stream (pdf.c draws page by page from it) gives the pages hu_layout_document
 * gives, run for run and rule for rule, with the same outline, page count and glyph use: a
 * table continued under 续表 and its repeated header, page numbers, bold, struck text, a
 * heading in the outline and the signature block. Pages can be made in any order and again. */
static size_t USES;
static uint64_t USE_SUM;
static void count_use(void *ctx, int face, uint32_t cp) {
    (void)ctx;
    USES++;
    USE_SUM += (uint64_t)cp * 31u + (uint64_t)face;
}

static void assert_same_page(const hu_page *a, const hu_page *b) {
    assert_int_equal(a->number, b->number);
    assert_int_equal(a->nruns, b->nruns);
    assert_int_equal(a->nrules, b->nrules);
    for (size_t r = 0; r < a->nruns; r++) {
        const hu_run *x = &a->runs[r], *y = &b->runs[r];
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->face, y->face);
        assert_int_equal(x->n, y->n);
        assert_int_equal(x->fake_bold, y->fake_bold);
        /* the same arithmetic: equal to the bit, not within a tolerance */
        assert_memory_equal(&x->size, &y->size, sizeof x->size);
        assert_memory_equal(&x->x, &y->x, sizeof x->x);
        assert_memory_equal(&x->y, &y->y, sizeof x->y);
        assert_memory_equal(&x->char_space, &y->char_space, sizeof x->char_space);
        assert_memory_equal(x->cps, y->cps, x->n * sizeof *x->cps);
        assert_memory_equal(x->cut, y->cut, x->n);
    }
    if (a->nrules) assert_memory_equal(a->rules, b->rules, a->nrules * sizeof *a->rules);
}

static void test_stream_pages(void **s) {
    (void)s;
    static char md[200000];
    strcpy(md, "# 关于**2026年**工作的报告\n\n## 一、总体情况\n\n");
    char *e = md + strlen(md);
    for (int i = 0; i < 12; i++)
        e += sprintf(e, "**（%d）加粗的引导句。**正文%s~~删去~~12.5%%。\n\n", i + 1,
                     rep("文字", 20 + i));
    strcat(md, "表1　主要指标\n\n| 指标 | 数值 |\n|---|---:|\n");
    for (int i = 0; i < 60; i++) {
        char row[128];
        snprintf(row, sizeof row, "| 指标%d | %d.5 |\n", i, i * 7);
        strcat(md, row);
    }
    strcat(md, "\n特此报告。\n\n{{@signature}}\n示例产业开发区管理委员会\n\n2026年11月5日\n{{/"
               "signature}}\n");
    hu_style_default(&S);
    hu_mustache_opts o = {HU_ESC_MARKDOWN, NULL,     0,   true, NULL, NULL,
                          hu_block_names,  add_span, NULL};
    hu_buf buf = HU_BUF_INIT;
    NSP = 0;
    assert_true(hu_mustache_render_string(md, strlen(md), "t", hu_v_map(&A), &o, NULL, &buf, &D));
    cmark_node *doc = hu_doc_build(buf.data, buf.len, SP, NSP);
    hu_buf_free(&buf);
    hu_metrics m = fake;
    m.use = count_use;
    USES = 0, USE_SUM = 0;
    hu_layout *all = hu_layout_document(&A, doc, &S, &m, NULL, &D);
    size_t uses = USES;
    uint64_t use_sum = USE_SUM;
    USES = 0, USE_SUM = 0;
    hu_layout *st = hu_layout_stream(&A, doc, &S, &m, NULL, &D);
    cmark_node_free(doc);
    assert_non_null(all);
    assert_non_null(st);
    assert_null(st->pages);
    assert_non_null(st->pager);
    assert_int_equal(USES, 0); /* nothing recorded before a page is made */
    assert_true(all->npages >= 3);
    assert_int_equal(all->npages, st->npages);
    assert_int_equal(all->missing, st->missing);
    assert_int_equal(all->squeezed, st->squeezed);
    assert_int_equal(all->noutline, st->noutline);
    for (size_t i = 0; i < all->noutline; i++) {
        assert_int_equal(all->outline[i].level, st->outline[i].level);
        assert_int_equal(all->outline[i].page, st->outline[i].page);
        assert_string_equal(all->outline[i].title, st->outline[i].title);
        assert_memory_equal(&all->outline[i].y, &st->outline[i].y, sizeof(double));
    }
    bool cont = false, pageno = false;
    for (size_t p = 0; p < st->npages; p++) {
        const hu_page *pg = hu_layout_page(st, p);
        assert_same_page(&all->pages[p], pg);
        for (size_t r = 0; r < pg->nruns; r++) {
            pageno = pageno || pg->runs[r].kind == HU_RUN_PAGE_NUMBER;
            cont = cont || (pg->runs[r].n >= 2 && pg->runs[r].cps[0] == 0x7EED); /* 续 */
        }
    }
    assert_true(cont && pageno);
    assert_int_equal(USES, uses); /* every drawn glyph once per making of the pages */
    assert_true(USE_SUM == use_sum);
    /* out of order and again: the same pages */
    for (size_t p = st->npages; p-- > 0;)
        assert_same_page(&all->pages[p], hu_layout_page(st, p));
    assert_null(hu_layout_page(st, st->npages));
    assert_true(hu_layout_page(all, 0) == &all->pages[0]);
    hu_layout_release(st);
    assert_null(st->pager);
    hu_layout_release(st); /* twice, and on a materialised layout: nothing */
    hu_layout_release(all);
}

static void test_signature_date_longer(void **s) {
    (void)s;
    size_t n = run_tpl("正文。\n\n{{@signature}}\n某局\n\n2026年11月15日\n{{/signature}}\n", NULL);
    double ch = 442.2047 / 28;
    const tline *org = NULL, *date = NULL;
    for (size_t i = 0; i < n; i++) {
        if (strstr(LN[i].text, "某局")) org = &LN[i];
        if (strstr(LN[i].text, "2026")) date = &LN[i];
    }
    assert_true(fabs(date->x1 - (text_r() - 2 * ch)) < 0.5);
    assert_true(fabs(date->x0 - (org->x0 + 2 * ch)) < 0.5);
}

/* Title centred and balanced; run-in lead in the heading font; recipient flush left. */
static void test_title_lead_recipient(void **s) {
    (void)s;
    hu_layout *lay;
    size_t n = run_tpl("# 关于示例产业开发区二〇二六年十月份工作情况和下一步打算的汇报\n\n"
                       "{{@recipient}}\n区委、区政府：\n{{/recipient}}\n\n"
                       "**（一）坚持产业定力**。按照发展思路推进。\n",
                       &lay);
    assert_true(n >= 4);
    /* two title lines in a 梯形 (the upper longer by at least one character), broken between
     * words (after the date, before 工作情况), centred */
    assert_string_equal(LN[0].text, "关于示例产业开发区二〇二六年十月份");
    assert_string_equal(LN[1].text, "工作情况和下一步打算的汇报");
    double mid = (text_l() + text_r()) / 2;
    assert_true(fabs((LN[0].x0 + LN[0].x1) / 2 - mid) < 1);
    /* recipient */
    assert_string_equal(LN[2].text, "区委、区政府：");
    assert_true(fabs(LN[2].x0 - text_l()) < 0.01);
    /* one blank line between title and recipient: the white between the title's em box and
     * the recipient's is that of an empty body line between two body lines (2 × 28.95 − 16),
     * and the recipient sits on the body grid */
    double title_em_bottom = LN[1].y - 0.12 * 22, recip_em_top = LN[2].y + 0.88 * 16;
    assert_true(fabs((title_em_bottom - recip_em_top) - (2 * 28.95 - 16)) < 0.01);
    double top = HU_MM(297) - HU_MM(37);
    double k = (top - LN[2].y - (28.95 - 16) / 2 - 0.88 * 16) / 28.95;
    assert_true(fabs(k - round(k)) < 1e-6);
    /* the lead is in the kai role (face 2 in the fake), the body continues in role 0 */
    const hu_page *pg = &lay->pages[0];
    bool kai = false, body = false;
    for (size_t r = 0; r < pg->nruns; r++) {
        if (pg->runs[r].face == HU_ROLE_KAI && pg->runs[r].cps[0] == 0xFF08) kai = true;
        if (pg->runs[r].face == HU_ROLE_BODY && pg->runs[r].cps[0] == 0x6309) body = true;
    }
    assert_true(kai);
    assert_true(body);
    /* outline: the title */
    assert_int_equal(lay->noutline, 1);
}

/* Layout markers typed in the text are comments, never instructions: "<!-- signature -->"
 * does not swallow what follows (it cut a 23-page report to one page), "<!-- recipient -->"
 * and "<!-- blank -->" change nothing; and a one-line paragraph ending in "：" after the title
 * is body text unless the template made it the recipient block. */
static void test_markers_in_text(void **s) {
    (void)s;
    static char md[200000], plain[200000];
    const char *head = "# 标题\n\n现将有关情况汇报如下：\n\n";
    snprintf(plain, sizeof plain, "%s", head);
    fill_para(plain + strlen(plain), sizeof plain - strlen(plain), 60, 26 + 28);
    strcat(plain, "最后一段。\n");
    snprintf(md, sizeof md, "%s<!-- recipient -->\n\n<!-- signature -->\n\n<!-- blank -->\n\n",
             head);
    fill_para(md + strlen(md), sizeof md - strlen(md), 60, 26 + 28);
    strcat(md, "最后一段。\n");
    hu_layout *a, *b;
    size_t na = run_md(plain, &a);
    static tline first[2000];
    memcpy(first, LN, sizeof first);
    size_t nb = run_md(md, &b);
    assert_true(a->npages >= 4);
    assert_int_equal(a->npages, b->npages);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(first[i].text, LN[i].text);
        assert_true(fabs(first[i].x0 - LN[i].x0) < 0.001 && fabs(first[i].y - LN[i].y) < 0.001);
    }
    assert_string_equal(LN[nb - 2].text, "最后一段。");
    /* the preamble ending in ：is indented like any paragraph */
    double ch = 442.2047 / 28;
    assert_string_equal(LN[1].text, "现将有关情况汇报如下：");
    assert_true(fabs(LN[1].x0 - (text_l() + 2 * ch)) < 0.01);
}

static void test_missing_glyph(void **s) {
    (void)s;
    hu_layout *lay;
    /* U+E000 and U+20000 no face has; U+20021 (Extension B) one has, so it stays */
    size_t n = run_md("甲\xee\x80\x80乙\xf0\xa0\x80\x80丙\xf0\xa0\x80\xa1\n", &lay);
    (void)n;
    assert_int_equal(lay->missing, 2);
    assert_string_equal(LN[0].text, "甲〓乙〓丙\xf0\xa0\x80\xa1");
}

static void test_punct_compression(void **s) {
    (void)s;
    hu_layout *lay;
    run_md("甲（乙），丙\n", &lay);
    /* ）， together take 1.5 em: 丙 starts at indent + 5.5 chars */
    const hu_page *pg = &lay->pages[0];
    double ch = 442.2047 / 28;
    double x_bing = -1;
    for (size_t r = 0; r < pg->nruns; r++) {
        double x = pg->runs[r].x;
        for (size_t i = 0; i < pg->runs[r].n; i++) {
            if (pg->runs[r].cps[i] == 0x4E19) x_bing = x;
            x += run_adv(&pg->runs[r], i) * pg->runs[r].size + pg->runs[r].char_space;
        }
    }
    assert_true(fabs(x_bing - (text_l() + 2 * ch + 4.5 * ch + 0.5 * hu_style_tracking(&S) * 0)) <
                0.6);
}

/* The squeeze of each mark reaches the drawing (hu_run.cut, issue 17): ")" before "，" loses
 * its right half for good; an opening mark starting a wrapped line its left half (its box
 * starts at the margin, its ink where it was); a closing mark squeezed at a line end its right
 * half (its box ends at the margin). Nothing else is cut. */
static uint8_t cut_of(const hu_layout *lay, uint32_t cp, int nth, double *x) {
    for (size_t p = 0; p < lay->npages; p++)
        for (size_t r = 0; r < lay->pages[p].nruns; r++) {
            const hu_run *run = &lay->pages[p].runs[r];
            double gx = run->x;
            for (size_t i = 0; i < run->n; i++) {
                if (run->cps[i] == cp && nth-- == 0) {
                    if (x) *x = gx;
                    return run->cut ? run->cut[i] : 0;
                }
                gx += run_adv(run, i) * run->size + run->char_space;
            }
        }
    return 0xFF;
}

static void test_squeeze_cuts(void **s) {
    (void)s;
    hu_layout *lay;
    double ch = 442.2047 / 28, x = 0;
    run_md("甲（乙），丙\n", &lay);
    assert_int_equal(cut_of(lay, 0xFF09, 0, NULL), 0x04); /* ） r = 4/8 */
    assert_int_equal(cut_of(lay, 0xFF08, 0, NULL), 0);
    assert_int_equal(cut_of(lay, 0x4E19, 0, NULL), 0);
    /* a wrapped line starting with “: 26 + 2 (indent) fill the first line */
    char md[2000];
    snprintf(md, sizeof md, "%s“引号”%s。\n", rep("甲", 26), rep("乙", 30));
    run_md(md, &lay);
    assert_int_equal(cut_of(lay, 0x201C, 0, &x), 0x40); /* “ l = 4/8 */
    assert_true(fabs(x - text_l()) < 0.01);             /* its box starts at the margin */
    /* 2 (indent) + 10 + ， + 15 + 。 = 29 em: the line-end 。 and the ， give up their right
     * halves; the 。's box ends at the margin */
    snprintf(md, sizeof md, "%s，%s。%s\n", rep("甲", 10), rep("乙", 15), rep("丙", 30));
    run_md(md, &lay);
    assert_int_equal(cut_of(lay, 0xFF0C, 0, NULL), 0x04);
    assert_int_equal(cut_of(lay, 0x3002, 0, &x), 0x04);
    assert_true(fabs(x + 0.5 * 16 - text_r()) < 0.3);
    (void)ch;
}

/* Squeeze before stretch (clreq "Line Adjustment"): when "12亿元。" (unbreakable, and 。 may
 * not start a line) overflows the first line by one em, the line-end 。 and a comma inside the
 * line give up their blank halves; the line is not broken before 12 and spread instead. */
static void test_squeeze_before_stretch(void **s) {
    (void)s;
    char md[4000];
    snprintf(md, sizeof md, "%s，%s，12亿元。%s\n", rep("汉", 10), rep("汉", 11), rep("文", 40));
    size_t n = run_md(md, NULL);
    assert_true(n >= 2);
    const char *t = LN[0].text;
    size_t len = strlen(t);
    assert_true(len > strlen("亿元。"));
    assert_string_equal(t + len - strlen("亿元。"), "亿元。");
    /* the 。 ink ends inside the text area; no glyph starts past it */
    assert_true(LN[0].x1 - 8.0 < text_r() + 0.5);
    assert_true(strncmp(LN[1].text, "文", strlen("文")) == 0);
    assert_int_equal(D.warnings, 0);
}

/* A number stays with its measure word and a range stays whole wherever the line ends,
 * except as the line breaker's last resorts (typeset.h): a range may part after its dash (both
 * years whole) where keeping it whole would spread a line past HU_HAN_STRETCH_OK_EM, and a
 * number from its unit where it would spread one past HU_HAN_STRETCH_WARN_EM (here the first
 * line is all 汉字, so only whole characters can move: "…座谈会4场，道路6.8|公里" at some
 * offsets). A number itself is never split, and no line is left loose (no warning). */
static void test_number_words(void **s) {
    (void)s;
    int range_splits = 0, unit_splits = 0;
    for (int k = 0; k < 28; k++) {
        char md[4000];
        snprintf(md, sizeof md, "%s%s召开座谈会4场，道路6.8公里，规划（2026—2030年）。%s\n",
                 rep("汉", 30), rep("汉", k), rep("文", 30));
        size_t n = run_md(md, NULL);
        for (size_t i = 0; i + 1 < n; i++) {
            const char *a = LN[i].text, *b = LN[i + 1].text;
            size_t la = strlen(a);
            char last = la ? a[la - 1] : 0;
            bool digit_end = last >= '0' && last <= '9';
            /* no line ends inside a number (2026|—, 2030|年, 6.|8) */
            if (digit_end) {
                assert_true(strncmp(b, "场", 3) == 0 || strncmp(b, "公里", 6) == 0);
                unit_splits++;
            }
            assert_false(last == '.');
            if (la >= 3 && strcmp(a + la - 3, "—") == 0 && b[0] >= '0' && b[0] <= '9')
                range_splits++;
        }
        assert_int_equal(D.warnings, 0);
    }
    /* measured: 4 ranges and 1 unit parted of the 28 offsets (before the last resorts, the
     * lines around them were spread up to 0.09 em) */
    assert_true(range_splits <= 4);
    assert_true(unit_splits <= 1);
}

/* Every cap reports and keeps the content: a signature block of ten lines is set whole with a
 * warning; a 署名 line wider than the room is wrapped, not cut. */
static void test_signature_caps(void **s) {
    (void)s;
    char md[4000] = "正文。\n\n{{@signature}}\n";
    for (int i = 1; i <= 10; i++) {
        char line[64];
        snprintf(line, sizeof line, "联合署名单位%d\n\n", i);
        strcat(md, line);
    }
    strcat(md, "{{/signature}}\n");
    size_t before = D.warnings;
    size_t n = run_tpl(md, NULL);
    assert_int_equal(D.warnings, before + 1);
    assert_non_null(strstr(D.v[D.n - 1].msg, "10 行"));
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found += strstr(LN[i].text, "联合署名单位") != NULL;
    assert_int_equal(found, 10);
    /* a 40-character 署名: all 40 characters are set, inside the text area */
    snprintf(md, sizeof md, "正文。\n\n{{@signature}}\n%s\n\n2026年11月5日\n{{/signature}}\n",
             rep("署", 40));
    n = run_tpl(md, NULL);
    int chars = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = LN[i].text;
        while ((p = strstr(p, "署")))
            chars++, p += strlen("署");
        if (strstr(LN[i].text, "署")) {
            assert_true(LN[i].x0 > text_l() - 0.5);
            assert_true(LN[i].x1 < text_r() + 0.5);
        }
    }
    assert_int_equal(chars, 40);
}

/* Past HU_MAX_PAGES (10,000) pages the layout stops with an error instead of unbounded work
 * and a libharu failure at 32,768. */
static void test_page_cap(void **s) {
    (void)s;
    size_t lines = 10000 * 22 + 50, len = 8 + lines * 2;
    char *md = malloc(len + 8);
    assert_non_null(md);
    strcpy(md, "```\n");
    char *p = md + 4;
    for (size_t i = 0; i < lines; i++)
        *p++ = 'a', *p++ = '\n';
    strcpy(p, "```\n");
    hu_style_default(&S);
    cmark_node *doc = parse(md);
    free(md);
    size_t before = D.errors;
    hu_layout *lay = hu_layout_document(&A, doc, &S, &fake, NULL, &D);
    cmark_node_free(doc);
    assert_null(lay);
    assert_int_equal(D.errors, before + 1);
    assert_non_null(strstr(D.v[D.n - 1].msg, "10000 页"));
    D.errors = before;
}

/* Appends a GFM table of ncols columns (header 列0…, delimiter row, and a body row of figures
 * when body) to md. */
static void put_table(char *md, int ncols, bool body) {
    strcat(md, "|");
    for (int c = 0; c < ncols; c++)
        sprintf(md + strlen(md), "列%d|", c);
    strcat(md, "\n|");
    for (int c = 0; c < ncols; c++)
        strcat(md, "---|");
    strcat(md, "\n");
    if (!body) return;
    strcat(md, "|");
    for (int c = 0; c < ncols; c++)
        sprintf(md + strlen(md), "%d|", c * 7);
    strcat(md, "\n");
}

/* A table wider than the page at the smallest size, every cell broken anywhere: an error that
 * names it, never columns run off the page. */
static void test_table_too_wide(void **s) {
    (void)s;
    static char md[20000];
    strcpy(md, "说明。\n\n");
    put_table(md, 70, true);
    size_t before = D.errors;
    run_md(md, NULL);
    assert_int_equal(D.errors, before + 1);
    assert_non_null(strstr(D.v[D.n - 1].msg, "70 列"));
    D.errors = before;
    /* 20 columns still fit */
    md[0] = 0;
    put_table(md, 20, false);
    run_md(md, NULL);
    assert_int_equal(D.errors, before);
}

/* 附件说明 (GB/T 9704 7.3.4): "附件：1. 名称" at 左空二字, a wrapped name under the name's first
 * character, "2." under "1.". */
static void test_attachments(void **s) {
    (void)s;
    char md[4000];
    snprintf(md, sizeof md,
             "正文。\n\n{{@attachments}}\n附件：1. %s\n\n2\\. 重点项目清单\n{{/attachments}}\n",
             rep("名", 40));
    size_t n = run_tpl(md, NULL);
    double ch = 442.2047 / 28;
    const tline *a1 = NULL, *wrap = NULL, *a2 = NULL;
    for (size_t i = 0; i < n; i++) {
        if (strstr(LN[i].text, "附件"))
            a1 = &LN[i];
        else if (a1 && !wrap && strncmp(LN[i].text, "名", 3) == 0)
            wrap = &LN[i];
        if (strstr(LN[i].text, "2.")) a2 = &LN[i];
    }
    assert_non_null(a1);
    assert_non_null(wrap);
    assert_non_null(a2);
    assert_true(fabs(a1->x0 - (text_l() + 2 * ch)) < 0.5);
    /* "附件：" is three characters, "1. " 1.5 (fake metrics: half-width figures and space) */
    double name_x = text_l() + 5 * ch + 1.5 * ch;
    assert_true(fabs(wrap->x0 - name_x) < 1.0);
    assert_true(fabs(a2->x0 - (text_l() + 5 * ch)) < 0.5);
}

/* Page feet: when the body ends on the page's last line, "特此汇报。" and the signature do not
 * stand alone on the next page; body lines come over with them (HU_CARRY_LINES). */
static void test_closing_not_alone(void **s) {
    (void)s;
    static char md[200000];
    fill_para(md, sizeof md, 5, 26 + 28 * 3); /* 20 lines */
    strcat(md, rep("文", 26 + 28));           /* 22 lines: the page is full */
    strcat(md, "\n\n{{@closing}}\n特此汇报。\n{{/closing}}\n\n{{@signature}}\n某某单位\n\n"
               "2026年11月5日\n{{/signature}}\n");
    hu_layout *lay;
    size_t n = run_tpl(md, &lay);
    assert_int_equal(lay->npages, 2);
    /* the second page begins with body text, not with the closing */
    const tline *top2 = NULL;
    for (size_t i = 0; i < n; i++)
        if (LN[i].page == 1 && !LN[i].pageno) {
            top2 = &LN[i];
            break;
        }
    assert_non_null(top2);
    assert_true(strncmp(top2->text, "文", 3) == 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linebreak_rules),
        cmocka_unit_test(test_hyphens),
        cmocka_unit_test(test_url_breaks),
        cmocka_unit_test(test_hyphenated_line),
        cmocka_unit_test(test_url_line),
        cmocka_unit_test(test_squeeze_before_stretch),
        cmocka_unit_test(test_number_words),
        cmocka_unit_test(test_signature_caps),
        cmocka_unit_test(test_page_cap),
        cmocka_unit_test(test_table_too_wide),
        cmocka_unit_test(test_attachments),
        cmocka_unit_test(test_closing_not_alone),
        cmocka_unit_test(test_grid_and_justification),
        cmocka_unit_test(test_kinsoku),
        cmocka_unit_test(test_unbreakable_units),
        cmocka_unit_test(test_lonely_last_line),
        cmocka_unit_test(test_soft_breaks),
        cmocka_unit_test(test_widow_orphan),
        cmocka_unit_test(test_widow),
        cmocka_unit_test(test_hyphen_not_at_page_foot),
        cmocka_unit_test(test_heading_keep_with_next),
        cmocka_unit_test(test_table_breaks_and_repeats_header),
        cmocka_unit_test(test_table_row_widows),
        cmocka_unit_test(test_table_caption_and_spacing),
        cmocka_unit_test(test_html_shown_as_typed),
        cmocka_unit_test(test_strikethrough),
        cmocka_unit_test(test_page_numbers),
        cmocka_unit_test(test_signature),
        cmocka_unit_test(test_signature_after_table),
        cmocka_unit_test(test_stream_pages),
        cmocka_unit_test(test_signature_date_longer),
        cmocka_unit_test(test_title_lead_recipient),
        cmocka_unit_test(test_markers_in_text),
        cmocka_unit_test(test_missing_glyph),
        cmocka_unit_test(test_punct_compression),
        cmocka_unit_test(test_squeeze_cuts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
