/* test_ooxml.c - the zip writer (order, timestamps, reproducible bytes), the bounded zip reader
 * (zip bombs, too many entries, bad member names, truncated and corrupt archives, duplicate
 * names) and the XML layer (escaping of hostile strings, refused DTDs, the node API). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ooxml.h"

static void build(hu_buf *out, long long mtime, const char *const *names, const char *const *data,
                  size_t n) {
    hu_zip_writer *w = hu_zipw_new(mtime);
    for (size_t i = 0; i < n; i++)
        hu_zipw_add(w, names[i], data[i], strlen(data[i]));
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_zipw_finish(w, out, &d));
    assert_int_equal(d.errors, 0);
    hu_diags_free(&d);
}

static uint16_t le16(const char *p) {
    return (uint16_t)((unsigned char)p[0] | (unsigned char)p[1] << 8);
}
static void put32(char *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (char)(v >> (8 * i));
}

/* Offsets of the local header and the central-directory header of the first member. */
static size_t central(const hu_buf *b) {
    for (size_t i = 0; i + 4 <= b->len; i++)
        if (memcmp(b->data + i, "PK\1\2", 4) == 0) return i;
    fail_msg("no central directory");
    return 0;
}

static bool opens(const hu_buf *b, const hu_zip_limits *lim, const char *expect_msg) {
    hu_diags d = HU_DIAGS_INIT;
    hu_zip_reader *z = hu_zip_open_mem(b->data, b->len, "t.zip", lim, &d);
    if (!z && expect_msg) {
        bool found = d.n && strstr(d.v[0].msg, expect_msg);
        if (!found) hu_diags_print(stderr, &d);
        assert_true(found);
    }
    hu_zip_close(z);
    hu_diags_free(&d);
    return z != NULL;
}

static void test_roundtrip_order(void **st) {
    (void)st;
    const char *names[] = {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "空.txt"};
    const char *data[] = {"<Types/>", "<Relationships/>", "<w:document>正文𠀀</w:document>", ""};
    hu_buf b = HU_BUF_INIT;
    build(&b, 0, names, data, 4);
    hu_diags d = HU_DIAGS_INIT;
    hu_zip_reader *z = hu_zip_open_mem(b.data, b.len, "t.zip", NULL, &d);
    assert_non_null(z);
    assert_int_equal(hu_zip_count(z), 4);
    hu_buf m = HU_BUF_INIT;
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(hu_zip_name(z, i), names[i]);
        assert_true(hu_zip_read(z, names[i], &m, &d));
        assert_int_equal(m.len, strlen(data[i]));
        assert_memory_equal(hu_buf_cstr(&m), data[i], m.len);
    }
    assert_true(hu_zip_has(z, "word/document.xml"));
    assert_false(hu_zip_has(z, "word/Document.xml"));
    assert_false(hu_zip_read(z, "word/styles.xml", &m, &d));
    assert_int_equal(d.errors, 1);
    hu_zip_close(z);
    hu_buf_free(&m);
    hu_buf_free(&b);
    hu_diags_free(&d);
}

/* Same parts, same bytes, whatever the time zone; the DOS time is the UTC calendar time. */
static void test_reproducible(void **st) {
    (void)st;
    const char *names[] = {"a.xml", "b/c.xml"};
    const char *data[] = {"<a>1</a>", "<c>2</c>"};
    hu_buf b1 = HU_BUF_INIT, b2 = HU_BUF_INIT, b3 = HU_BUF_INIT;
    setenv("TZ", "UTC", 1);
    tzset();
    build(&b1, 1793809800LL, names, data, 2); /* 2026-11-04T16:30:00Z */
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    build(&b2, 1793809800LL, names, data, 2);
    assert_int_equal(b1.len, b2.len);
    assert_memory_equal(b1.data, b2.data, b1.len);
    /* local header: time at 10, date at 12 */
    assert_int_equal(le16(b1.data + 10), (16 << 11) | (30 << 5));
    assert_int_equal(le16(b1.data + 12), ((2026 - 1980) << 9) | (11 << 5) | 4);
    /* deflated (method 8) */
    assert_int_equal(le16(b1.data + 8), 8);
    /* no time at all: 1980-01-01 00:00 */
    build(&b3, 0, names, data, 2);
    assert_int_equal(le16(b3.data + 10), 0);
    assert_int_equal(le16(b3.data + 12), (1 << 5) | 1);
    unsetenv("TZ");
    tzset();
    hu_buf_free(&b1), hu_buf_free(&b2), hu_buf_free(&b3);
}

static void test_bombs(void **st) {
    (void)st;
    /* 2 MiB of zeros deflates to about 2 KB: over the per-member cap and the ratio */
    size_t big = 2u << 20;
    char *zeros = calloc(big, 1);
    assert_non_null(zeros);
    hu_zip_writer *w = hu_zipw_new(0);
    hu_zipw_add(w, "word/styles.xml", zeros, big);
    hu_buf b = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_zipw_finish(w, &b, &d));
    hu_zip_limits lim;
    hu_zip_limits_default(&lim);
    assert_false(opens(&b, &lim, "疑为 zip 炸弹"));
    lim.max_entry_bytes = 1u << 20;
    assert_false(opens(&b, &lim, "超过上限"));

    /* several members each under the cap, together over the total */
    w = hu_zipw_new(0);
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i + 1);
        hu_zipw_add(w, name, zeros, 60000);
    }
    assert_true(hu_zipw_finish(w, &b, &d));
    hu_zip_limits_default(&lim);
    lim.max_total_bytes = 200000;
    assert_false(opens(&b, &lim, "可能是 zip 炸弹"));
    hu_zip_limits_default(&lim);
    assert_true(opens(&b, &lim, NULL));

    /* a member that lies about its size: declared 100 bytes, inflates to 60000 */
    w = hu_zipw_new(0);
    hu_zipw_add(w, "a.xml", zeros, 60000);
    assert_true(hu_zipw_finish(w, &b, &d));
    put32(b.data + 22, 100);
    put32(b.data + central(&b) + 24, 100);
    hu_zip_reader *z = hu_zip_open_mem(b.data, b.len, "lie.zip", NULL, &d);
    if (z) { /* libzip may already refuse it at open; if not, reading must */
        hu_buf m = HU_BUF_INIT;
        assert_false(hu_zip_read(z, "a.xml", &m, &d));
        assert_int_equal(m.len, 0);
        hu_buf_free(&m);
        hu_zip_close(z);
    }
    assert_true(d.errors >= 1);
    free(zeros);
    hu_buf_free(&b);
    hu_diags_free(&d);
}

static void test_too_many_entries(void **st) {
    (void)st;
    hu_zip_writer *w = hu_zipw_new(0);
    for (int i = 0; i < 300; i++) {
        char name[32];
        snprintf(name, sizeof name, "m/%d.xml", i);
        hu_zipw_add(w, name, "x", 1);
    }
    hu_buf b = HU_BUF_INIT;
    hu_diags d = HU_DIAGS_INIT;
    assert_true(hu_zipw_finish(w, &b, &d));
    hu_zip_limits lim;
    hu_zip_limits_default(&lim);
    assert_true(opens(&b, &lim, NULL));
    lim.max_entries = 299;
    assert_false(opens(&b, &lim, "成员过多"));
    hu_buf_free(&b);
    hu_diags_free(&d);
}

static void test_names(void **st) {
    (void)st;
    const char *good[] = {"word/document.xml", "[Content_Types].xml",
                          "_rels/.rels",       "word/",
                          "媒体/图片 1.png",   "a..b/c"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(hu_zip_name_ok(good[i]));
    const char *bad[] = {"",         "/etc/passwd", "../evil.xml", "word/../../x", "a\\b",
                         "C:/x",     "a//b",        "./a",         "a/./b",        "a\x01z",
                         "\xff.xml", "a/..",        "word//"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(hu_zip_name_ok(bad[i]));
    /* an archive holding one such member is refused as a whole */
    const char *names[] = {"word/document.xml", "../../evil.xml"};
    const char *data[] = {"<a/>", "<b/>"};
    hu_buf b = HU_BUF_INIT;
    build(&b, 0, names, data, 2);
    assert_false(opens(&b, NULL, "不安全"));
    /* two names that differ only in case */
    const char *n2[] = {"word/a.xml", "word/b.xml"};
    build(&b, 0, n2, data, 2);
    for (size_t i = 0; i + 10 <= b.len; i++)
        if (memcmp(b.data + i, "word/b.xml", 10) == 0) b.data[i + 5] = 'A';
    assert_false(opens(&b, NULL, "重名"));
    hu_buf_free(&b);
}

static void test_truncated_and_corrupt(void **st) {
    (void)st;
    const char *names[] = {"a.xml", "b.xml"};
    const char *data[] = {"<a>第一个成员的内容，足够长以便压缩。第一个成员的内容。</a>",
                          "<b>second member</b>"};
    hu_buf b = HU_BUF_INIT;
    build(&b, 0, names, data, 2);
    size_t cuts[] = {0, 3, 22, b.len / 2, b.len - 10, b.len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        hu_buf t = HU_BUF_INIT;
        hu_buf_put(&t, b.data, cuts[i]);
        if (opens(&t, NULL, "zip")) fail_msg("cut at %zu of %zu opened", cuts[i], b.len);
        hu_buf_free(&t);
    }
    hu_buf junk = HU_BUF_INIT;
    hu_buf_puts(&junk, "这不是 zip 文件");
    assert_false(opens(&junk, NULL, "不是完整有效的 zip"));
    hu_buf_free(&junk);
    /* a flipped byte in the first member's data: CRC or inflate error on reading */
    size_t off = 30 + strlen("a.xml") + 3;
    b.data[off] ^= 0x55;
    hu_diags d = HU_DIAGS_INIT;
    hu_zip_reader *z = hu_zip_open_mem(b.data, b.len, "bad.zip", NULL, &d);
    assert_non_null(z);
    hu_buf m = HU_BUF_INIT;
    assert_false(hu_zip_read(z, "a.xml", &m, &d));
    assert_true(hu_zip_read(z, "b.xml", &m, &d));
    assert_string_equal(hu_buf_cstr(&m), data[1]);
    hu_zip_close(z);
    hu_buf_free(&m);
    hu_buf_free(&b);
    hu_diags_free(&d);
    /* a path that is not a regular file, and one that does not exist */
    assert_null(hu_zip_open("/", NULL, &d));
    assert_null(hu_zip_open("/nonexistent/x.docx", NULL, &d));
    assert_int_equal(d.errors, 2);
    hu_diags_free(&d);
}

/* Hostile strings come out as well-formed XML that reads back as the same text, with every
 * character XML cannot carry replaced by 〓 (never dropped). */
static void test_escape(void **st) {
    (void)st;
    const char *in = "a&b<c>d\"e'f]]>g\x01h\x7fi\xc2\x85j\xef\xbf\xbek\xffl\t\n\r𠀀"
                     "<![CDATA[x]]>&amp;";
    const char *want = "a&b<c>d\"e'f]]>g〓h〓i〓j〓k〓l\t\n\r𠀀<![CDATA[x]]>&amp;";
    hu_buf b = HU_BUF_INIT;
    hu_buf_puts(&b, "<r a=\"");
    hu_xml_esc(&b, in);
    hu_buf_puts(&b, "\">");
    hu_xml_esc(&b, in);
    hu_buf_puts(&b, "</r>");
    assert_null(strstr(b.data, "]]>"));
    hu_diags d = HU_DIAGS_INIT;
    hu_xml *x = hu_xml_parse(b.data, b.len, "t.xml", 0, &d);
    if (!x) hu_diags_print(stderr, &d);
    assert_non_null(x);
    hu_xml_node *r = hu_xml_root(x);
    assert_string_equal(hu_xml_text(x, r), want);
    assert_string_equal(hu_xml_attr(x, r, "a"), want);
    hu_xml_free(x);
    hu_buf_free(&b);
    hu_diags_free(&d);
}

static void test_xml_refusals(void **st) {
    (void)st;
    const char *laughs = "<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE lolz [<!ENTITY lol "
                         "\"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>";
    const char *external = "<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><r/>";
    const char *broken = "<?xml version=\"1.0\"?>\n<a>\n  <b></a>";
    hu_diags d = HU_DIAGS_INIT;
    assert_null(hu_xml_parse(laughs, strlen(laughs), "l.xml", 0, &d));
    assert_non_null(strstr(d.v[0].msg, "DOCTYPE"));
    assert_null(hu_xml_parse(external, strlen(external), "e.xml", 0, &d));
    assert_null(hu_xml_parse(broken, strlen(broken), "b.xml", 0, &d));
    assert_int_equal(d.v[2].line, 3);
    assert_null(hu_xml_parse("", 0, "empty.xml", 0, &d));
    const char *many = "<a><b/><b/><b/><b/></a>";
    assert_null(hu_xml_parse(many, strlen(many), "m.xml", 4, &d));
    assert_non_null(strstr(d.v[4].msg, "过多"));
    hu_xml *x = hu_xml_parse(many, strlen(many), "m.xml", 10, &d);
    assert_non_null(x);
    hu_xml_free(x);
    assert_int_equal(d.errors, 5);
    hu_diags_free(&d);
}

/* The node API as the style reader uses it: namespaced lookups, attributes, a style copied
 * from one document into another, an attribute rewritten, serialisation. */
static void test_xml_api(void **st) {
    (void)st;
    const char *a = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/"
                    "2006/main\"><w:style w:type=\"paragraph\" w:styleId=\"a\"><w:name "
                    "w:val=\"Normal\"/></w:style><!-- x --><w:style w:styleId=\"b\"><w:name "
                    "w:val=\"标题 &amp; 1\"/><w:t>文<w:x/>字</w:t></w:style></w:styles>";
    const char *b = "<x:styles xmlns:x=\"http://schemas.openxmlformats.org/wordprocessingml/"
                    "2006/main\"><x:style x:styleId=\"HuDate\"><x:name "
                    "x:val=\"成文日期\"/></x:style></x:styles>";
    hu_diags d = HU_DIAGS_INIT;
    hu_xml *xa = hu_xml_parse(a, strlen(a), "a.xml", 0, &d);
    hu_xml *xb = hu_xml_parse(b, strlen(b), "b.xml", 0, &d);
    assert_non_null(xa);
    assert_non_null(xb);
    hu_xml_node *root = hu_xml_root(xa);
    assert_string_equal(hu_xml_local(root), "styles");
    assert_string_equal(hu_xml_ns(root),
                        "http://schemas.openxmlformats.org/wordprocessingml/2006/main");
    hu_xml_node *s1 = hu_xml_child(root, "style");
    hu_xml_node *s2 = hu_xml_next(s1, "style");
    assert_string_equal(hu_xml_attr(xa, s1, "styleId"), "a");
    assert_null(hu_xml_attr(xa, s1, "missing"));
    assert_string_equal(hu_xml_attr(xa, hu_xml_child(s2, "name"), "val"), "标题 & 1");
    assert_string_equal(hu_xml_text(xa, hu_xml_child(s2, "t")), "文字");
    assert_null(hu_xml_next(s2, "style"));
    hu_xml_node *copy = hu_xml_append_copy(xa, root, hu_xml_child(hu_xml_root(xb), "style"));
    hu_xml_set_attr(copy, "styleId", "HuDate2");
    hu_xml_set_attr(copy, "customStyle", "1");
    hu_xml_remove(s1);
    hu_buf out = HU_BUF_INIT;
    hu_xml_serialize(xa, &out);
    assert_non_null(strstr(out.data, "standalone=\"yes\""));
    assert_null(strstr(out.data, "styleId=\"a\""));
    hu_xml *again = hu_xml_parse(out.data, out.len, "out.xml", 0, &d);
    assert_non_null(again);
    hu_xml_node *last = hu_xml_next(hu_xml_child(hu_xml_root(again), "style"), "style");
    assert_non_null(last);
    assert_string_equal(hu_xml_ns(last),
                        "http://schemas.openxmlformats.org/wordprocessingml/2006/main");
    assert_string_equal(hu_xml_attr(again, last, "styleId"), "HuDate2");
    assert_string_equal(hu_xml_attr(again, last, "customStyle"), "1");
    assert_string_equal(hu_xml_attr(again, hu_xml_child(last, "name"), "val"), "成文日期");
    assert_int_equal(d.errors, 0);
    hu_xml_free(again);
    hu_xml_free(xa);
    hu_xml_free(xb);
    hu_buf_free(&out);
    hu_diags_free(&d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_order), cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_bombs),           cmocka_unit_test(test_too_many_entries),
        cmocka_unit_test(test_names),           cmocka_unit_test(test_truncated_and_corrupt),
        cmocka_unit_test(test_escape),          cmocka_unit_test(test_xml_refusals),
        cmocka_unit_test(test_xml_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
