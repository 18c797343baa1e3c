/* ooxml.c - zip (libzip) and XML (libxml2) for Office Open XML files; see ooxml.h. */
#include "ooxml.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "alloc.h"
#include "arena.h"
#include "dynlib.h"
#include "utf8.h"

/* ================================================================ the libraries
 *
 * libzip and libxml2 are loaded when first needed (dynlib.h), not when huibao starts: most runs
 * (build -f pdf,xlsx,md, check of such a build, new, render, fonts) never read or write a zip
 * of their own, and mapping and relocating the two libraries with theirs (libbz2, liblzma) at
 * every start cost ~36 page faults, ~0.75 M instructions and ~32 system calls (issue 19
 * item 6; bench/README.md, Session 6). They are package dependencies as before (packaging/
 * cpack.cmake names them: dpkg-shlibdeps cannot see a dlopen); a machine without them gets a
 * Chinese error naming the package from the one run that needs them. The names are the
 * sonames this was compiled against (CMakeLists.txt), and the prototypes come from their
 * headers, so a mismatch is a compile error rather than a crash. */
/* clang-format off */
#define HU_ZIP_FUNCS(X) \
    X(zip_close) X(zip_discard) X(zip_error_fini) X(zip_error_init) X(zip_error_set) \
    X(zip_error_strerror) X(zip_fclose) X(zip_file_add) X(zip_file_set_mtime) X(zip_file_strerror) \
    X(zip_fopen_index) X(zip_fread) X(zip_get_num_entries) X(zip_name_locate) \
    X(zip_open_from_source) X(zip_set_file_compression) X(zip_source_buffer) \
    X(zip_source_buffer_create) X(zip_source_close) X(zip_source_free) X(zip_source_keep) \
    X(zip_source_open) X(zip_source_read) X(zip_stat_index) X(zip_stat_init) X(zip_strerror)
#define HU_XML_FUNCS(X) \
    X(xmlAddChild) X(xmlCtxtGetLastError) X(xmlCtxtReadMemory) X(xmlDOMWrapReconcileNamespaces) \
    X(xmlDocCopyNode) X(xmlDocDumpMemoryEnc) X(xmlDocGetRootElement) X(xmlFreeDoc) X(xmlFreeNode) \
    X(xmlFreeParserCtxt) X(xmlInitParser) X(xmlNewParserCtxt) X(xmlNodeGetContent) \
    X(xmlNodeListGetString) X(xmlSetNsProp) X(xmlUnlinkNode)
/* clang-format on */
#define HU_FIELD(f) __typeof__(f) *f;
static struct { HU_ZIP_FUNCS(HU_FIELD) } zl;
static struct {
    HU_XML_FUNCS(HU_FIELD)
    xmlFreeFunc *xmlFree; /* a variable in libxml2: its deallocator */
} xl;
#undef HU_FIELD

static hu_dynlib zip_lib =
    HU_DYNLIB(HU_LIBZIP_SONAME, HU_LIBZIP_PACKAGE, "读写 .docx 文件和读取 .xlsx 工作簿");
static hu_dynlib xml_lib =
    HU_DYNLIB(HU_LIBXML2_SONAME, HU_LIBXML2_PACKAGE, "读取 .docx 文件和 .xlsx 工作簿");

static void zip_load(void) {
    void *h = hu_dynlib_open_crypto(&zip_lib); /* it needs libcrypto (dynlib.h) */
    if (!h) return;
#define HU_LOAD(f) hu_dynlib_sym(&zip_lib, h, #f, &zl.f);
    HU_ZIP_FUNCS(HU_LOAD)
#undef HU_LOAD
}

static void xml_load(void) {
    void *h = hu_dynlib_open(&xml_lib);
    if (!h) return;
#define HU_LOAD(f) hu_dynlib_sym(&xml_lib, h, #f, &xl.f);
    HU_XML_FUNCS(HU_LOAD)
#undef HU_LOAD
    if (hu_dynlib_sym(&xml_lib, h, "xmlFree", &xl.xmlFree) && !xml_lib.error[0]) xl.xmlInitParser();
}

static void *xmalloc(size_t n) {
    void *p = hu_xmalloc(n ? n : 1);
    return p;
}

/* ================================================================ writing a zip */

typedef struct member {
    char *name;
    void *data;
    size_t len;
} member;

struct hu_zip_writer {
    long long mtime;
    member *m;
    size_t n, cap;
};

hu_zip_writer *hu_zipw_new(long long mtime) {
    hu_zip_writer *w = hu_xcalloc(1, sizeof *w);
    w->mtime = mtime;
    return w;
}

void hu_zipw_add(hu_zip_writer *w, const char *name, const void *data, size_t len) {
    HU_GROW(w->m, w->n, w->cap);
    member *m = &w->m[w->n++];
    m->name = hu_strdup(name);
    m->data = xmalloc(len);
    if (len) memcpy(m->data, data, len);
    m->len = len;
}

void hu_zipw_add_buf(hu_zip_writer *w, const char *name, const hu_buf *b) {
    hu_zipw_add(w, name, b->data ? b->data : "", b->len);
}

void hu_zipw_free(hu_zip_writer *w) {
    if (!w) return;
    for (size_t i = 0; i < w->n; i++)
        free(w->m[i].name), free(w->m[i].data);
    free(w->m);
    free(w);
}

/* libzip turns a time_t into the DOS date and time with localtime(); hand it the instant whose
 * local calendar time equals the UTC calendar time of t, so the bytes do not depend on TZ. */
static time_t dos_utc(long long t) {
    const long long lo = 315532800LL;  /* 1980-01-01T00:00:00Z */
    const long long hi = 4354819199LL; /* 2107-12-31T23:59:59Z */
    if (t < lo) t = lo;
    if (t > hi) t = hi;
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    tm.tm_isdst = -1;
    return mktime(&tm);
}

bool hu_zipw_finish(hu_zip_writer *w, hu_buf *out, hu_diags *d) {
    if (!hu_dynlib_ready(&zip_lib, zip_load, NULL, d)) {
        hu_zipw_free(w);
        return false;
    }
    zip_error_t ze;
    zl.zip_error_init(&ze);
    bool ok = false;
    zip_source_t *src = zl.zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = src ? zl.zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
    if (!za) {
        hu_error(d, NULL, 0, 0, NULL, "无法创建 zip：%s", zl.zip_error_strerror(&ze));
        if (src) zl.zip_source_free(src);
        goto done;
    }
    zl.zip_source_keep(src); /* the archive's bytes are read back after zip_close */
    time_t mt = dos_utc(w->mtime);
    for (size_t i = 0; i < w->n; i++) {
        member *m = &w->m[i];
        zip_source_t *s = zl.zip_source_buffer(za, m->data, m->len, 0);
        zip_int64_t idx = s ? zl.zip_file_add(za, m->name, s, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            if (s) zl.zip_source_free(s);
            hu_error(d, NULL, 0, 0, NULL, "无法写入 zip 成员 %s：%s", m->name, zl.zip_strerror(za));
            zl.zip_discard(za);
            zl.zip_source_free(src);
            goto done;
        }
        if (zl.zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 6) != 0 ||
            zl.zip_file_set_mtime(za, (zip_uint64_t)idx, mt, 0) != 0) {
            hu_error(d, NULL, 0, 0, NULL, "无法设置 zip 成员 %s：%s", m->name, zl.zip_strerror(za));
            zl.zip_discard(za);
            zl.zip_source_free(src);
            goto done;
        }
    }
    if (zl.zip_close(za) != 0) {
        hu_error(d, NULL, 0, 0, NULL, "无法完成 zip：%s", zl.zip_strerror(za));
        zl.zip_discard(za);
        zl.zip_source_free(src);
        goto done;
    }
    hu_buf_clear(out);
    if (zl.zip_source_open(src) != 0) {
        hu_error(d, NULL, 0, 0, NULL, "无法读取生成的 zip");
        zl.zip_source_free(src);
        goto done;
    }
    char chunk[65536];
    zip_int64_t got;
    while ((got = zl.zip_source_read(src, chunk, sizeof chunk)) > 0)
        hu_buf_put(out, chunk, (size_t)got);
    zl.zip_source_close(src);
    zl.zip_source_free(src);
    ok = got == 0;
    if (!ok) hu_error(d, NULL, 0, 0, NULL, "无法读取生成的 zip");
done:
    zl.zip_error_fini(&ze);
    hu_zipw_free(w);
    return ok;
}

/* ================================================================ reading a zip */

void hu_zip_limits_default(hu_zip_limits *l) {
    l->max_entries = 4096;
    l->max_entry_bytes = 64u << 20;
    l->max_total_bytes = 256u << 20;
    l->max_ratio = 200;
    l->max_name_bytes = 1024;
}

struct hu_zip_reader {
    char *label;
    void *data;
    zip_source_t *src;
    zip_t *za;
    hu_zip_limits lim;
    uint64_t read_total;
    char **names;
    size_t n;
};

bool hu_zip_name_ok(const char *name) {
    size_t n = strlen(name);
    if (!n || name[0] == '/' || hu_utf8_validate(name, n) != (size_t)-1) return false;
    if (name[n - 1] == '/') n--; /* a directory entry */
    const char *seg = name;
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = i < n ? (unsigned char)name[i] : '/';
        if (c < 0x20 || c == 0x7F || c == '\\' || c == ':') return false;
        if (c != '/') continue;
        size_t len = (size_t)(name + i - seg);
        if (len == 0 || (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return false;
        seg = name + i + 1;
    }
    return true;
}

static int cmp_icase(const void *a, const void *b) {
    return strcasecmp(*(char *const *)a, *(char *const *)b);
}

void hu_zip_close(hu_zip_reader *z) {
    if (!z) return;
    if (z->za) zl.zip_discard(z->za); /* read-only: nothing to write; frees the source */
    for (size_t i = 0; i < z->n; i++)
        free(z->names[i]);
    free(z->names);
    free(z->data);
    free(z->label);
    free(z);
}

/* Prints a size as MiB or bytes. */
static const char *human(char *buf, size_t n, uint64_t v) {
    if (v >= (1u << 20))
        snprintf(buf, n, "%.1f MB", (double)v / (1u << 20));
    else
        snprintf(buf, n, "%llu 字节", (unsigned long long)v);
    return buf;
}

hu_zip_reader *hu_zip_open_mem(const void *data, size_t len, const char *name,
                               const hu_zip_limits *lim, hu_diags *d) {
    if (!hu_dynlib_ready(&zip_lib, zip_load, name ? name : "zip", d)) return NULL;
    hu_zip_reader *z = hu_xcalloc(1, sizeof *z);
    z->label = hu_strdup(name ? name : "zip");
    if (lim)
        z->lim = *lim;
    else
        hu_zip_limits_default(&z->lim);
    const char *L = z->label;
    char h1[32], h2[32];
    if (len > z->lim.max_total_bytes) {
        hu_error(d, L, 0, 0, NULL, "文件过大（%s，上限 %s）", human(h1, sizeof h1, len),
                 human(h2, sizeof h2, z->lim.max_total_bytes));
        goto fail;
    }
    z->data = xmalloc(len);
    if (len) memcpy(z->data, data, len);
    zip_error_t ze;
    zl.zip_error_init(&ze);
    z->src = zl.zip_source_buffer_create(z->data, len, 0, &ze);
    /* libzip takes an empty file for an empty archive; the smallest real one is 22 bytes */
    if (len < 22) zl.zip_error_set(&ze, ZIP_ER_NOZIP, 0);
    if (z->src && len >= 22)
        z->za = zl.zip_open_from_source(z->src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!z->za) {
        hu_error(d, L, 0, 0, NULL, "不是完整有效的 zip 文件（%s）：请用 Word 或 WPS 重新保存",
                 zl.zip_error_strerror(&ze));
        zl.zip_error_fini(&ze);
        if (z->src) zl.zip_source_free(z->src);
        goto fail;
    }
    zl.zip_error_fini(&ze);
    zip_int64_t ne = zl.zip_get_num_entries(z->za, 0);
    if (ne < 0 || (uint64_t)ne > z->lim.max_entries) {
        hu_error(d, L, 0, 0, NULL, "zip 成员过多（%lld 个，上限 %zu）", (long long)ne,
                 z->lim.max_entries);
        goto fail;
    }
    z->names = hu_xcalloc((size_t)ne + 1, sizeof *z->names);
    uint64_t total = 0;
    for (zip_int64_t i = 0; i < ne; i++) {
        zip_stat_t st;
        zl.zip_stat_init(&st);
        if (zl.zip_stat_index(z->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &st) != 0 ||
            !(st.valid & ZIP_STAT_NAME) || !(st.valid & ZIP_STAT_SIZE) ||
            !(st.valid & ZIP_STAT_COMP_SIZE)) {
            hu_error(d, L, 0, 0, NULL, "zip 第 %lld 个成员无法读取", (long long)i + 1);
            goto fail;
        }
        if (strlen(st.name) > z->lim.max_name_bytes || !hu_zip_name_ok(st.name)) {
            hu_error(d, L, 0, 0, NULL,
                     "zip 成员名“%.200s”不安全（绝对路径、..、反斜杠、控制字符或过长），拒绝打开",
                     st.name);
            goto fail;
        }
        z->names[z->n++] = hu_strdup(st.name);
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
            hu_error(d, L, 0, 0, NULL, "zip 成员 %s 已加密，无法读取", st.name);
            goto fail;
        }
        if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE &&
            st.comp_method != ZIP_CM_DEFLATE) {
            hu_error(d, L, 0, 0, NULL, "zip 成员 %s 的压缩方式（%d）不受支持", st.name,
                     (int)st.comp_method);
            goto fail;
        }
        if (st.size > z->lim.max_entry_bytes) {
            hu_error(d, L, 0, 0, NULL, "zip 成员 %s 解压后 %s，超过上限 %s", st.name,
                     human(h1, sizeof h1, st.size), human(h2, sizeof h2, z->lim.max_entry_bytes));
            goto fail;
        }
        total += st.size;
        if (total > z->lim.max_total_bytes) {
            hu_error(d, L, 0, 0, NULL, "zip 全部成员解压后超过上限 %s（可能是 zip 炸弹）",
                     human(h2, sizeof h2, z->lim.max_total_bytes));
            goto fail;
        }
        if (st.size > 65536 && (st.comp_size == 0 || st.size / st.comp_size > z->lim.max_ratio)) {
            hu_error(d, L, 0, 0, NULL,
                     "zip 成员 %s 的压缩比超过 %u:1（%s 压成 %llu 字节），疑为 zip 炸弹，拒绝打开",
                     st.name, z->lim.max_ratio, human(h1, sizeof h1, st.size),
                     (unsigned long long)st.comp_size);
            goto fail;
        }
    }
    /* part names are case-insensitive in OPC: two members that differ only in case are as
     * ambiguous as two of the same name */
    char **sorted = xmalloc((z->n ? z->n : 1) * sizeof *sorted);
    memcpy(sorted, z->names, z->n * sizeof *sorted);
    qsort(sorted, z->n, sizeof *sorted, cmp_icase);
    for (size_t i = 1; i < z->n; i++)
        if (strcasecmp(sorted[i - 1], sorted[i]) == 0) {
            hu_error(d, L, 0, 0, NULL, "zip 中有重名成员 %s", sorted[i]);
            free(sorted);
            goto fail;
        }
    free(sorted);
    return z;
fail:
    hu_zip_close(z);
    return NULL;
}

hu_zip_reader *hu_zip_open(const char *path, const hu_zip_limits *lim, hu_diags *d) {
    hu_zip_limits def;
    if (!lim) {
        hu_zip_limits_default(&def);
        lim = &def;
    }
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        hu_error(d, path, 0, 0, NULL, "无法读取：%s", f ? "不是普通文件" : strerror(errno));
        if (f) fclose(f);
        return NULL;
    }
    if ((uint64_t)st.st_size > lim->max_total_bytes) {
        char h1[32], h2[32];
        hu_error(d, path, 0, 0, NULL, "文件过大（%s，上限 %s）", human(h1, sizeof h1, st.st_size),
                 human(h2, sizeof h2, lim->max_total_bytes));
        fclose(f);
        return NULL;
    }
    hu_buf b = HU_BUF_INIT;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= lim->max_total_bytes)
        hu_buf_put(&b, chunk, got);
    bool err = ferror(f);
    fclose(f);
    if (err) {
        hu_error(d, path, 0, 0, NULL, "读取失败");
        hu_buf_free(&b);
        return NULL;
    }
    hu_zip_reader *z = hu_zip_open_mem(b.data, b.len, path, lim, d);
    hu_buf_free(&b);
    return z;
}

size_t hu_zip_count(const hu_zip_reader *z) {
    return z->n;
}
const char *hu_zip_name(const hu_zip_reader *z, size_t i) {
    return i < z->n ? z->names[i] : NULL;
}

bool hu_zip_has(const hu_zip_reader *z, const char *name) {
    for (size_t i = 0; i < z->n; i++)
        if (strcmp(z->names[i], name) == 0) return true;
    return false;
}

bool hu_zip_read(hu_zip_reader *z, const char *name, hu_buf *out, hu_diags *d) {
    hu_buf_clear(out);
    hu_buf_put(out, "", 0);
    zip_int64_t idx = zl.zip_name_locate(z->za, name, ZIP_FL_ENC_RAW);
    zip_stat_t st;
    zl.zip_stat_init(&st);
    if (idx < 0 || zl.zip_stat_index(z->za, (zip_uint64_t)idx, ZIP_FL_ENC_RAW, &st) != 0) {
        hu_error(d, z->label, 0, 0, NULL, "缺少 zip 成员 %s", name);
        return false;
    }
    zip_file_t *f = zl.zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (!f) {
        hu_error(d, z->label, 0, 0, NULL, "无法打开 zip 成员 %s：%s", name, zl.zip_strerror(z->za));
        return false;
    }
    char chunk[65536];
    zip_int64_t got;
    bool ok = true;
    /* read to the end (libzip checks the CRC there), but never past the declared size */
    while ((got = zl.zip_fread(f, chunk, sizeof chunk)) > 0) {
        if (out->len + (uint64_t)got > st.size ||
            z->read_total + out->len + (uint64_t)got > z->lim.max_total_bytes) {
            hu_error(d, z->label, 0, 0, NULL, "zip 成员 %s 解压后超过声明的大小，文件已损坏", name);
            ok = false;
            break;
        }
        hu_buf_put(out, chunk, (size_t)got);
    }
    if (ok && got < 0) {
        hu_error(d, z->label, 0, 0, NULL, "zip 成员 %s 已损坏（%s）", name,
                 zl.zip_file_strerror(f));
        ok = false;
    }
    if (ok && out->len != st.size) {
        hu_error(d, z->label, 0, 0, NULL, "zip 成员 %s 不完整（%zu / %llu 字节）", name, out->len,
                 (unsigned long long)st.size);
        ok = false;
    }
    zl.zip_fclose(f);
    z->read_total += out->len;
    if (!ok) hu_buf_clear(out);
    return ok;
}

/* ================================================================ writing XML */

#define MISSING_MARK "\xE3\x80\x93" /* U+3013 〓 */

void hu_xml_esc_n(hu_buf *b, const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            switch (c) {
            case '&':
                hu_buf_puts(b, "&amp;");
                break;
            case '<':
                hu_buf_puts(b, "&lt;");
                break;
            case '>': /* also keeps "]]>" out of text */
                hu_buf_puts(b, "&gt;");
                break;
            case '"':
                hu_buf_puts(b, "&quot;");
                break;
            case '\t':
                hu_buf_puts(b, "&#9;");
                break;
            case '\n':
                hu_buf_puts(b, "&#10;");
                break;
            case '\r':
                hu_buf_puts(b, "&#13;");
                break;
            default:
                if (c < 0x20 || c == 0x7F)
                    hu_buf_puts(b, MISSING_MARK);
                else
                    hu_buf_putc(b, (char)c);
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = hu_utf8_decode(s + i, n - i, &cp);
        if (k == 1 || (cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
            hu_buf_puts(b, MISSING_MARK);
        else
            hu_buf_put(b, s + i, k);
        i += k;
    }
}

void hu_xml_esc(hu_buf *b, const char *s) {
    if (s) hu_xml_esc_n(b, s, strlen(s));
}

/* ================================================================ reading XML */

struct hu_xml {
    xmlDocPtr doc;
    hu_arena a;
};

#define NODE(n) ((xmlNodePtr)(n))
#define HNODE(n) ((hu_xml_node *)(n))

static const char *find(const char *s, size_t n, const char *pat) {
    size_t m = strlen(pat);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(s + i, pat, m) == 0) return s + i;
    return NULL;
}

/* True when the prolog (before the root element) declares a document type. */
static bool has_doctype(const char *s, size_t n) {
    size_t i = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) i = 3;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
            i++;
        if (i + 1 >= n || s[i] != '<') return false;
        const char *end = NULL;
        if (s[i + 1] == '?')
            end = find(s + i, n - i, "?>");
        else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
            end = find(s + i + 4, n - i - 4, "-->");
        else
            return n - i >= 9 && strncasecmp(s + i, "<!DOCTYPE", 9) == 0;
        if (!end) return false;
        i = (size_t)(end - s) + (s[i + 1] == '?' ? 2 : 3);
    }
}

hu_xml *hu_xml_parse(const char *data, size_t len, const char *name, size_t max_nodes,
                     hu_diags *d) {
    if (!hu_dynlib_ready(&xml_lib, xml_load, name, d)) return NULL;
    if (!max_nodes) max_nodes = 2000000;
    if (len > INT_MAX) {
        hu_error(d, name, 0, 0, NULL, "XML 过大");
        return NULL;
    }
    if (has_doctype(data, len)) {
        hu_error(d, name, 0, 0, NULL,
                 "XML 含有文档类型声明（DOCTYPE），Office 文件不应有，拒绝读取");
        return NULL;
    }
    /* every node but text starts with '<': count them before libxml2 allocates anything */
    size_t lt = 0;
    for (size_t i = 0; i < len; i++)
        lt += data[i] == '<';
    if (lt > max_nodes) {
        hu_error(d, name, 0, 0, NULL, "XML 元素过多（超过 %zu 个）", max_nodes);
        return NULL;
    }
    xmlParserCtxtPtr ctx = xl.xmlNewParserCtxt();
    if (!ctx) hu_out_of_memory(sizeof *ctx); /* libxml2 fails only for memory */
    xmlDocPtr doc = xl.xmlCtxtReadMemory(ctx, data, (int)len, name, NULL,
                                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        xmlErrorPtr e = xl.xmlCtxtGetLastError(ctx);
        char msg[256] = "格式错误";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t m = strlen(msg);
            while (m && (msg[m - 1] == '\n' || msg[m - 1] == ' '))
                msg[--m] = 0;
        }
        hu_error(d, name, e ? e->line : 0, e ? e->int2 : 0, NULL, "XML 无法解析：%s", msg);
        xl.xmlFreeParserCtxt(ctx);
        return NULL;
    }
    xl.xmlFreeParserCtxt(ctx);
    if (doc->intSubset || doc->extSubset || !xl.xmlDocGetRootElement(doc)) {
        hu_error(d, name, 0, 0, NULL, "XML 含有文档类型声明或没有根元素，拒绝读取");
        xl.xmlFreeDoc(doc);
        return NULL;
    }
    hu_xml *x = hu_xcalloc(1, sizeof *x);
    x->doc = doc;
    hu_arena_init(&x->a);
    return x;
}

void hu_xml_free(hu_xml *x) {
    if (!x) return;
    xl.xmlFreeDoc(x->doc);
    hu_arena_free(&x->a);
    free(x);
}

hu_xml_node *hu_xml_root(const hu_xml *x) {
    return HNODE(xl.xmlDocGetRootElement(x->doc));
}

const char *hu_xml_local(const hu_xml_node *n) {
    return (const char *)NODE(n)->name;
}

const char *hu_xml_ns(const hu_xml_node *n) {
    return NODE(n)->ns ? (const char *)NODE(n)->ns->href : NULL;
}

static hu_xml_node *elem_from(xmlNodePtr c, const char *local) {
    for (; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && (!local || strcmp((const char *)c->name, local) == 0))
            return HNODE(c);
    return NULL;
}

hu_xml_node *hu_xml_child(const hu_xml_node *n, const char *local) {
    return n ? elem_from(NODE(n)->children, local) : NULL;
}

hu_xml_node *hu_xml_next(const hu_xml_node *n, const char *local) {
    return n ? elem_from(NODE(n)->next, local) : NULL;
}

static xmlAttrPtr find_attr(const hu_xml_node *n, const char *local) {
    for (xmlAttrPtr a = NODE(n)->properties; a; a = a->next)
        if (strcmp((const char *)a->name, local) == 0) return a;
    return NULL;
}

const char *hu_xml_attr(hu_xml *x, const hu_xml_node *n, const char *local) {
    xmlAttrPtr a = n ? find_attr(n, local) : NULL;
    if (!a) return NULL;
    xmlChar *v = xl.xmlNodeListGetString(x->doc, a->children, 1);
    char *s = hu_arena_strdup(&x->a, v ? (const char *)v : "");
    (*xl.xmlFree)(v);
    return s;
}

const char *hu_xml_text(hu_xml *x, const hu_xml_node *n) {
    xmlChar *v = xl.xmlNodeGetContent(NODE(n));
    char *s = hu_arena_strdup(&x->a, v ? (const char *)v : "");
    (*xl.xmlFree)(v);
    return s;
}

void hu_xml_set_attr(hu_xml_node *n, const char *local, const char *value) {
    xmlAttrPtr a = find_attr(n, local);
    xmlNsPtr ns = a ? a->ns : NODE(n)->ns;
    xl.xmlSetNsProp(NODE(n), ns, (const xmlChar *)local, (const xmlChar *)value);
}

void hu_xml_remove(hu_xml_node *n) {
    xl.xmlUnlinkNode(NODE(n));
    xl.xmlFreeNode(NODE(n));
}

hu_xml_node *hu_xml_append_copy(hu_xml *x, hu_xml_node *parent, const hu_xml_node *src) {
    xmlNodePtr c = xl.xmlDocCopyNode(NODE(src), x->doc, 1);
    if (!c) hu_out_of_memory(0); /* libxml2 fails only for memory */
    xl.xmlAddChild(NODE(parent), c);
    /* the copy declared the namespaces it uses on itself: drop those the new parent has */
    xl.xmlDOMWrapReconcileNamespaces(NULL, c, 0);
    return HNODE(c);
}

void hu_xml_serialize(const hu_xml *x, hu_buf *out) {
    xmlChar *mem = NULL;
    int size = 0;
    x->doc->standalone = 1;
    xl.xmlDocDumpMemoryEnc(x->doc, &mem, &size, "UTF-8");
    hu_buf_clear(out);
    hu_buf_put(out, mem ? (const char *)mem : "", mem ? (size_t)size : 0);
    (*xl.xmlFree)(mem);
}
