/* test_docx.c - the DOCX renderer read back through the project's own bounded zip and XML
 * reader: which style each block gets (title, 主送机关, headings, run-in lead runs, the table,
 * 附件说明, 署名, 成文日期), characters XML cannot carry, reproducible bytes, and a reference
 * .docx whose styles win. The independent readers (python3-docx, LibreOffice) are in
 * tests/e2e_docx.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include <cmocka.h>

#include "docx.h"
#include "buf.h"
#include "doc.h"
#include "ooxml.h"

/* The template's typed blocks are written {{R}}…{{/}} (recipient), {{B}}{{/}} (blank),
 * {{A}}…{{/}} (attachments) and {{S}}…{{/}} (signature); doc_of turns them into the spans the
 * Mustache engine reports out of band. */
static const char *MD = "# 关于测试的情况汇报\n\n{{R}}区委、区政府：\n\n{{/}}"
                        "开头语。\n\n## 一、主要工作情况\n\n"
                        "| 指标 | 数值 |\n| --- | --: |\n| 收入 | 12.5 |\n\n"
                        "**（一）坚持产业定力**。正文*强调*与~~删除~~。\n\n"
                        "控制\x01字符与\x7f删除。\n\n特此汇报。\n\n{{B}}{{/}}"
                        "{{A}}附件：1. 第一个附件\n\n2\\. 第二个附件\n\n{{/}}"
                        "{{S}}某某单位\n\n2026年11月5日\n{{/}}";

static cmark_node *doc_of(const char *marked) {
    hu_buf md = HU_BUF_INIT;
    hu_doc_span spans[8];
    size_t n = 0;
    for (const char *p = marked; *p;) {
        if (p[0] == '{' && p[1] == '{' && p[3] == '}' && p[4] == '}') {
            if (p[2] == '/') {
                spans[n - 1].end = md.len;
            } else {
                hu_block_kind k = p[2] == 'R'   ? HU_BLOCK_RECIPIENT
                                  : p[2] == 'B' ? HU_BLOCK_BLANK
                                  : p[2] == 'A' ? HU_BLOCK_ATTACHMENTS
                                                : HU_BLOCK_SIGNATURE;
                spans[n++] = (hu_doc_span){k, md.len, md.len};
            }
            p += 5;
        } else {
            hu_buf_putc(&md, *p++);
        }
    }
    cmark_node *doc = hu_doc_build(md.data, md.len, spans, n);
    hu_buf_free(&md);
    return doc;
}

typedef struct para {
    char style[64];
    char text[512];
} para;

/* Renders md and returns the body's paragraphs (style id, text) in order; *ntbl tables. */
static size_t render(const char *md, const char *reference, para *out, size_t max, int *ntbl,
                     hu_buf *bytes, hu_buf *styles) {
    hu_style st;
    hu_style_default(&st);
    hu_docx_options o = {0};
    o.style = &st;
    o.title = "关于<测试>&的汇报";
    o.author = "某某单位";
    o.subject = "2026年10月";
    o.created = 1793809800LL;
    o.reproducible = true;
    o.reference = reference;
    cmark_node *doc = doc_of(md);
    hu_diags d = HU_DIAGS_INIT;
    int rc = hu_docx_render(doc, &o, bytes, &d) ? 0 : 1;
    cmark_node_free(doc);
    if (rc) hu_diags_print(stderr, &d);
    assert_int_equal(rc, 0);
    hu_zip_reader *z = hu_zip_open_mem(bytes->data, bytes->len, "t.docx", NULL, &d);
    assert_non_null(z);
    hu_buf xml = HU_BUF_INIT;
    assert_true(hu_zip_read(z, "word/document.xml", &xml, &d));
    if (styles) assert_true(hu_zip_read(z, "word/styles.xml", styles, &d));
    hu_zip_close(z);
    hu_xml *x = hu_xml_parse(xml.data, xml.len, "document.xml", 0, &d);
    assert_non_null(x);
    hu_xml_node *body = hu_xml_child(hu_xml_root(x), "body");
    size_t n = 0;
    *ntbl = 0;
    for (hu_xml_node *p = hu_xml_child(body, NULL); p; p = hu_xml_next(p, NULL)) {
        if (strcmp(hu_xml_local(p), "tbl") == 0) {
            (*ntbl)++;
            continue;
        }
        if (strcmp(hu_xml_local(p), "p") != 0 || n >= max) continue;
        hu_xml_node *ps = hu_xml_child(hu_xml_child(p, "pPr"), "pStyle");
        snprintf(out[n].style, sizeof out[n].style, "%s", ps ? hu_xml_attr(x, ps, "val") : "");
        snprintf(out[n].text, sizeof out[n].text, "%s", hu_xml_text(x, p));
        n++;
    }
    hu_xml_free(x);
    hu_buf_free(&xml);
    assert_int_equal(d.errors, 0);
    hu_diags_free(&d);
    return n;
}

static void test_blocks(void **state) {
    (void)state;
    para p[32];
    int ntbl;
    hu_buf b = HU_BUF_INIT;
    size_t n = render(MD, NULL, p, 32, &ntbl, &b, NULL);
    const char *want[][2] = {
        {"Title", "关于测试的情况汇报"},
        {"HuRecipient", "区委、区政府："},
        {"Normal", "开头语。"},
        {"HuHeading1", "一、主要工作情况"},
        {"Normal", "（一）坚持产业定力。正文强调与删除。"},
        {"Normal", "控制 字符与〓删除。"}, /* \x01 a space as in the PDF; DEL the missing mark */
        {"Normal", "特此汇报。"},
        {"Normal", ""}, /* <!-- blank --> */
        {"HuAttachment", "附件：1. 第一个附件"},
        {"HuAttachmentMore", "2. 第二个附件"},
        {"HuSignature", "某某单位"},
        {"HuDate", "2026年11月5日"},
    };
    assert_int_equal(n, sizeof want / sizeof *want);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(p[i].style, want[i][0]);
        assert_string_equal(p[i].text, want[i][1]);
    }
    assert_int_equal(ntbl, 1);
    /* the lead run, the emphasis run, the struck run; header repeat; the keep chain */
    assert_non_null(strstr(b.data, "PK")); /* a zip */
    hu_diags d = HU_DIAGS_INIT;
    hu_zip_reader *z = hu_zip_open_mem(b.data, b.len, "t.docx", NULL, &d);
    hu_buf xml = HU_BUF_INIT;
    assert_true(hu_zip_read(z, "word/document.xml", &xml, &d));
    const char *s = xml.data;
    assert_non_null(strstr(s, "<w:rStyle w:val=\"HuLead2\"/></w:rPr><w:t xml:space=\"preserve\">"
                              "（一）坚持产业定力。</w:t>"));
    assert_non_null(strstr(s, "<w:rStyle w:val=\"HuEmphasis\"/></w:rPr><w:t "
                              "xml:space=\"preserve\">强调</w:t>"));
    assert_non_null(strstr(s, "<w:strike/></w:rPr><w:t xml:space=\"preserve\">删除</w:t>"));
    assert_non_null(strstr(s, "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"));
    assert_non_null(strstr(s, "<w:pStyle w:val=\"HuTableNumber\"/></w:pPr><w:r><w:t "
                              "xml:space=\"preserve\">12.5</w:t>"));
    assert_non_null(strstr(s, "<w:pStyle w:val=\"Normal\"/><w:keepNext/></w:pPr><w:r><w:t "
                              "xml:space=\"preserve\">特此汇报。"));
    assert_non_null(strstr(s, "<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"579\" "
                              "w:charSpace=\"-842\"/>"));
    assert_true(hu_zip_read(z, "docProps/core.xml", &xml, &d));
    assert_non_null(strstr(xml.data, "<dc:title>关于&lt;测试&gt;&amp;的汇报</dc:title>"));
    assert_non_null(strstr(xml.data, "2026-11-04T16:30:00Z"));
    hu_zip_close(z);
    hu_buf_free(&xml);
    hu_diags_free(&d);
    /* the same document twice: the same bytes */
    hu_buf b2 = HU_BUF_INIT;
    render(MD, NULL, p, 32, &ntbl, &b2, NULL);
    assert_int_equal(b.len, b2.len);
    assert_memory_equal(b.data, b2.data, b.len);
    hu_buf_free(&b);
    hu_buf_free(&b2);
}

/* A reference .docx: its Normal (another id) and 主送机关 are used, ours fill in the rest; a
 * reference without styles.xml is an error naming it. */
static void test_reference(void **state) {
    (void)state;
    const char *styles =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"http://"
        "schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:style w:type=\"paragraph\" "
        "w:default=\"1\" w:styleId=\"a\"><w:name w:val=\"Normal\"/><w:rPr><w:rFonts "
        "w:eastAsia=\"仿宋_GB2312\"/></w:rPr></w:style><w:style w:type=\"paragraph\" "
        "w:styleId=\"x1\"><w:name w:val=\"主送机关\"/><w:pPr><w:numPr><w:numId w:val=\"3\"/>"
        "</w:numPr></w:pPr></w:style><w:style w:type=\"paragraph\" w:styleId=\"HuSignature\">"
        "<w:name w:val=\"别的样式\"/></w:style></w:styles>";
    const char *path = "test_docx_ref.docx";
    hu_zip_writer *w = hu_zipw_new(0);
    hu_zipw_add(w, "[Content_Types].xml", "<Types/>", 8);
    hu_zipw_add(w, "word/styles.xml", styles, strlen(styles));
    hu_buf zb = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_zipw_finish(w, &zb, &d));
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(zb.data, 1, zb.len, f);
    fclose(f);
    para p[32];
    int ntbl;
    hu_buf b = HU_BUF_INIT, st = HU_BUF_INIT;
    size_t n = render(MD, path, p, 32, &ntbl, &b, &st);
    assert_string_equal(p[1].style, "x1");
    assert_string_equal(p[2].style, "a");
    /* our 署名 could not keep its id, which the reference uses for another style */
    assert_string_equal(p[n - 2].style, "HuSignature2");
    assert_non_null(strstr(st.data, "仿宋_GB2312"));
    assert_non_null(strstr(st.data, "w:styleId=\"HuHeading1\""));
    assert_null(strstr(st.data, "numPr"));
    assert_null(strstr(st.data, "w:styleId=\"Normal\""));
    assert_non_null(strstr(st.data, "<w:basedOn w:val=\"a\"/>"));
    /* no styles.xml */
    w = hu_zipw_new(0);
    hu_zipw_add(w, "word/document.xml", "<x/>", 4);
    assert_true(hu_zipw_finish(w, &zb, &d));
    f = fopen(path, "wb");
    fwrite(zb.data, 1, zb.len, f);
    fclose(f);
    assert_false(hu_docx_check_reference(path, &d));
    assert_non_null(strstr(d.v[d.n - 1].msg, "styles.xml"));
    remove(path);
    hu_buf_free(&zb), hu_buf_free(&b), hu_buf_free(&st);
    hu_diags_free(&d);
}

/* A failed write names the system's reason, not only "写入失败" (issue 20). */
static void test_write_error(void **state) {
    (void)state;
    if (access("/dev/full", W_OK) != 0) skip();
    hu_style st;
    hu_style_default(&st);
    hu_docx_options o = {0};
    o.style = &st;
    o.created = 1793809800LL;
    o.reproducible = true;
    o.display_path = "out/2026-10.docx";
    cmark_node *doc = doc_of("# 标题\n\n正文。\n");
    hu_diags d = HU_DIAGS_INIT;
    assert_false(hu_docx_write(doc, &o, "/dev/full", &d));
    cmark_node_free(doc);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.v[d.n - 1].file, "out/2026-10.docx");
    assert_non_null(strstr(d.v[d.n - 1].msg, "写入失败："));
    assert_non_null(strstr(d.v[d.n - 1].msg, strerror(ENOSPC)));
    hu_diags_free(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
