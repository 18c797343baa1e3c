/* fonts.c - font roles, fallback chains, HarfBuzz metrics and coverage checks. See fonts.h and
 * fonts/README.md; the PDF's font objects are made in pdf_fonts.c. */
#include "fonts.h"

#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "hblib.h"
#include "buf.h"
#include "cff.h"
#include "paths.h"
#include "utf8.h"

/* ---------------------------------------------------------------- roles */

const char *const hu_font_role_names[HU_ROLE_COUNT + 1] = {"body",  "song",  "kai",        "hei",
                                                           "title", "latin", "latin_bold", NULL};
static const char *const role_labels[HU_ROLE_COUNT] = {
    "正文（仿宋）", "宋体", "楷体", "黑体", "标题（小标宋）", "西文和数字", "西文和数字（粗体）"};
/* The bundled default of each role, in fonts/ (see fonts/README.md). */
static const char *const role_default[HU_ROLE_COUNT] = {
    "FandolFang-Regular.ttf",  "FandolSong-Regular.ttf", "FandolKai-Regular.ttf",
    "FandolHei-Regular.ttf",   "FandolSong-Bold.ttf",    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf"};

int hu_font_role_from_name(const char *name) {
    if (!name) return -1;
    for (int i = 0; i < HU_ROLE_COUNT; i++)
        if (!strcmp(name, hu_font_role_names[i])) return i;
    return -1;
}

const char *hu_font_role_name(hu_font_role r) {
    return (unsigned)r < HU_ROLE_COUNT ? hu_font_role_names[r] : "?";
}

const char *hu_font_role_label(hu_font_role r) {
    return (unsigned)r < HU_ROLE_COUNT ? role_labels[r] : "?";
}

/* ---------------------------------------------------------------- faces */

typedef struct hu_face {
    char *file;    /* path as opened */
    char *display; /* file, or "file#N" inside a collection */
    char *key;     /* realpath#N: one face object per font, however many roles use it */
    unsigned index;
    bool in_collection;
    hb_blob_t *blob;
    const struct font_map *map; /* blob's memory when we mapped it (map_font_file), else NULL */
    hb_face_t *face;
    hb_font_t *font;
    unsigned upem, glyphs;
    double asc, desc;
    double weight;
    bool cff;       /* CFF outlines (OpenType/CFF, .otf/.otc), else TrueType glyf */
    bool cid_keyed; /* a CID-keyed CFF */
    char *ros;      /* its "Registry-Ordering-Supplement", or NULL */
    /* read from the name table at first use (face_names), which a PDF, XLSX and Markdown run
     * never makes: ~0.36 ms of the fonts' thread for the seven faces of a sample report,
     * which the main thread waits for (bench/README.md, Session 13) */
    char *family, *fullname;
    bool named;     /* family and fullname are set (under names_lock) */
    hb_set_t *used; /* code points the document draws with this face */
    hu_font_origin origin;
    const char *package; /* Debian package of a fallback face (static string), else NULL */
    bool embolden;       /* draw with synthetic bold (a regular fallback in a bold role) */
    int twin;            /* embolden: the plain face it shares its subset with; else -1 */
    bool consulted;      /* a lookup looked at this face (the PDF depends on the file) */
} hu_face;

/* Faces are shared by the threads of a report (the fonts' own, the main thread, the
 * workbook's): their names are read under this lock (face_names). */
static pthread_mutex_t names_lock = PTHREAD_MUTEX_INITIALIZER;

#define HU_MAX_CHAIN 16
/* Lookup cache entry per BMP code point: 0 = not looked up yet, 0xFFFF = no face, else face+1.
 * In blocks of 256 code points, made when one of theirs is first looked up: a report meets
 * ~100 blocks of all roles together, where whole 64 K tables for every role it used cost
 * ~4 M instructions of clearing a report (callgrind of a batch, bench/README.md Session 5). */
typedef struct cache_block {
    uint16_t face[256];
    float adv[256];
} cache_block;
typedef struct role_cache {
    cache_block *blk[256];
} role_cache;

static void role_cache_clear(role_cache *c) {
    for (int b = 0; b < 256; b++) {
        free(c->blk[b]);
        c->blk[b] = NULL;
    }
}

struct hu_fonts {
    hu_face **faces;
    int nfaces, capfaces;
    int chain[HU_ROLE_COUNT][HU_MAX_CHAIN];
    int nchain[HU_ROLE_COUNT];
    int nown[HU_ROLE_COUNT]; /* the role's own faces (user + bundled); the rest are fallbacks */
    bool bold_latin[HU_ROLE_COUNT]; /* Latin and digits from the latin_bold chain */
    role_cache cache[HU_ROLE_COUNT];
    /* Default fallback fonts (sys_fonts[]): why each could not be used (NULL: opened), and
     * the packages of those, space-separated. */
    char *sys_problem[8];
    char *missing_packages;
    /* The folder of the default fallback faces while they are not opened yet (fallbacks_open),
     * else NULL. */
    char *fallback_dir;
    bool parallel_embed; /* hu_fonts_set_parallel_embed */
    bool keep_pages;     /* hu_fonts_set_keep_pages */
};

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = hu_xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

static void face_free(hu_face *f) {
    if (!f) return;
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    hb_set_destroy(f->used);
    free(f->file);
    free(f->display);
    free(f->key);
    free(f->family);
    free(f->fullname);
    free(f->ros);
    free(f);
}

/* A copy of src sharing its font data (blob, face, font: references), with its own strings and
 * an empty used set. */
static hu_face *face_clone(const hu_face *src) {
    hu_face *hf = hu_xcalloc(1, sizeof *hf);
    *hf = *src;
    hf->file = hu_strdup(src->file);
    hf->display = hu_strdup(src->display);
    hf->key = hu_strdup(src->key);
    hf->blob = hb_blob_reference(src->blob);
    hf->face = hb_face_reference(src->face);
    hf->font = hb_font_reference(src->font);
    pthread_mutex_lock(&names_lock); /* src may be being named (face_names) */
    hf->named = src->named;
    hf->family = src->named ? hu_strdup(src->family) : NULL;
    hf->fullname = src->named ? hu_strdup(src->fullname) : NULL;
    pthread_mutex_unlock(&names_lock);
    hf->ros = src->ros ? hu_strdup(src->ros) : NULL;
    hf->used = hb_set_create();
    hf->consulted = false;
    return hf;
}

/* ---------------------------------------------------------------- kept faces
 *
 * A batch worker builds report after report with the same font files. Opening them is cheap in
 * instructions, but every report would map each file afresh, fault in again the pages its
 * glyph reads touch (on this project's VM a fault costs as much as several thousand
 * instructions) and rebuild HarfBuzz's lazily loaded tables (cmap, hmtx, glyf accelerators).
 * With hu_fonts_keep_faces(true) each face opened successfully is kept, with its mapping and
 * HarfBuzz objects, for the life of the process (or until hu_fonts_keep_faces(false)); a later
 * hu_fonts_open of the same file, unchanged (device, inode, size and modification time), takes
 * a copy of it with its own used set. Nothing a report records lives in the kept face, so the
 * output of a report does not depend on what was built before it (tests/e2e_batch.sh). */
typedef struct kept_face {
    char *path; /* as given to open_face */
    unsigned index;
    bool explicit_index;
    struct stat st;
    hu_face *face;
} kept_face;

static struct {
    bool on;
    kept_face *v;
    size_t n, cap;
} kept;

void hu_fonts_keep_faces(bool on) {
    if (!on) {
        for (size_t i = 0; i < kept.n; i++) {
            free(kept.v[i].path);
            face_free(kept.v[i].face);
        }
        free(kept.v);
        kept.v = NULL;
        kept.n = kept.cap = 0;
    }
    kept.on = on;
}

static bool same_stat(const struct stat *a, const struct stat *b) {
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static const hu_face *kept_find(const char *path, unsigned index, bool explicit_index,
                                const struct stat *st) {
    for (size_t i = 0; kept.on && i < kept.n; i++) {
        const kept_face *k = &kept.v[i];
        if (k->index == index && k->explicit_index == explicit_index && same_stat(&k->st, st) &&
            !strcmp(k->path, path))
            return k->face;
    }
    return NULL;
}

static void kept_add(const char *path, unsigned index, bool explicit_index, const struct stat *st,
                     const hu_face *hf) {
    if (!kept.on) return;
    HU_GROW(kept.v, kept.n, kept.cap);
    kept.v[kept.n++] = (kept_face){hu_strdup(path), index, explicit_index, *st, face_clone(hf)};
}

static char *face_name(hb_face_t *face, hb_ot_name_id_t id) {
    hb_language_t en = hb_language_from_string("en", -1);
    unsigned len = hb_ot_name_get_utf8(face, id, en, NULL, NULL);
    if (!len) return NULL;
    unsigned size = len + 1;
    char *s = hu_xmalloc(size);
    hb_ot_name_get_utf8(face, id, en, &size, s);
    return s;
}

/* A face's family and full name, read from its name table once. const: the names are a cache
 * of the table, filled in place. */
static void face_names(const hu_face *cf) {
    hu_face *hf = (hu_face *)cf;
    pthread_mutex_lock(&names_lock);
    if (!hf->named) {
        hb_face_t *face = hf->face;
        hf->family = face_name(face, HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY);
        if (!hf->family) hf->family = face_name(face, HB_OT_NAME_ID_FONT_FAMILY);
        if (!hf->family) hf->family = face_name(face, HB_OT_NAME_ID_POSTSCRIPT_NAME);
        if (!hf->family) hf->family = hu_strdup("?");
        hf->fullname = face_name(face, HB_OT_NAME_ID_FULL_NAME);
        if (!hf->fullname) hf->fullname = hu_strdup(hf->family);
        hf->named = true;
    }
    pthread_mutex_unlock(&names_lock);
}

static bool has_table(hb_face_t *face, hb_tag_t tag) {
    hb_blob_t *b = hb_face_reference_table(face, tag);
    bool ok = hb_blob_get_length(b) > 0;
    hb_blob_destroy(b);
    return ok;
}

/* OS/2 fsType bit 1 (0x0002): "restricted licence embedding" — libharu refuses such fonts and
 * so would the font's licence; say so when the font is opened, not after layout. */
static bool embedding_restricted(hb_face_t *face) {
    hb_blob_t *b = hb_face_reference_table(face, HB_TAG('O', 'S', '/', '2'));
    unsigned len;
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(b, &len);
    bool r = len >= 10 && ((p[8] << 8 | p[9]) & 0x000F) == 0x0002;
    hb_blob_destroy(b);
    return r;
}

static unsigned be16(const char *p) {
    return (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
}

static uint32_t be32(const char *p) {
    return (uint32_t)be16(p) << 16 | be16(p + 2);
}

/* The first table of face's directory that reaches past the end of its file (a file cut short,
 * whose glyphs HarfBuzz would read as empty and print blank), or 0 when all are whole; 'sfnt'
 * when the directory itself is cut. */
static hb_tag_t truncated_table(hb_face_t *face) {
    hb_blob_t *blob = hb_face_reference_blob(face);
    unsigned len = 0;
    const char *p = hb_blob_get_data(blob, &len);
    hb_tag_t bad = 0;
    uint32_t off = 0;
    if (len >= 16 && !memcmp(p, "ttcf", 4)) {
        unsigned idx = hb_face_get_index(face);
        off = 12 + 4 * idx + 4 <= len ? be32(p + 12 + 4 * idx) : len;
    }
    if ((uint64_t)off + 12 > len) {
        bad = HB_TAG('s', 'f', 'n', 't');
    } else {
        unsigned n = be16(p + off + 4);
        for (unsigned i = 0; i < n && !bad; i++) {
            uint64_t rec = (uint64_t)off + 12 + 16 * (uint64_t)i;
            if (rec + 16 > len) {
                bad = HB_TAG('s', 'f', 'n', 't');
                break;
            }
            if ((uint64_t)be32(p + rec + 8) + be32(p + rec + 12) > len) bad = be32(p + rec);
        }
    }
    hb_blob_destroy(blob);
    return bad;
}

/* Checks the CFF table of face (the PDF embeds it as it is, subset): NULL when usable, else why
 * not. Fills cid_keyed and ros ("Adobe-GB1-5") for a CID-keyed font. */
static const char *check_cff(hb_face_t *face, bool *cid_keyed, char **ros) {
    hb_blob_t *b = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    unsigned len = 0;
    const char *data = hb_blob_get_data(b, &len);
    hu_cff c;
    const char *why = NULL;
    hu_cff_open(&c, data, len, &why);
    if (!why && c.nglyphs != hb_face_get_glyph_count(face)) why = "字形数与 maxp 表不符";
    if (!why && c.cid_keyed) {
        uint16_t *cid = hu_xmalloc((size_t)c.nglyphs * sizeof *cid);
        if (!hu_cff_cids(&c, cid)) why = "字符集（charset）损坏";
        free(cid);
    }
    *cid_keyed = !why && c.cid_keyed;
    *ros = *cid_keyed ? xprintf("%s-%s-%d", c.registry, c.ordering, c.supplement) : NULL;
    hb_blob_destroy(b);
    return why;
}

static int add_face(hu_fonts *f, hu_face *hf) {
    if (f->nfaces == f->capfaces) {
        f->capfaces = f->capfaces ? 2 * f->capfaces : 8;
        f->faces = hu_xrealloc(f->faces, (size_t)f->capfaces * sizeof *f->faces);
    }
    f->faces[f->nfaces] = hf;
    return f->nfaces++;
}

/* A font file mapped read-only and private, as hb_blob_create_from_file maps it, but by us: so
 * that hu_fonts_release_pages knows the memory is a file mapping whose pages can be dropped
 * and read again (MADV_DONTNEED would zero memory that hb had read into the heap instead).
 * Why drop them (issue 19 item 4): the kernel maps 64 KB around every page a glyph read
 * touches, so subsetting a 6 MB Fandol face leaves 2-3 MB of it in our resident set, and a
 * report using five faces held 11 MB of font pages at its peak (200 pages: 45 MB, of which
 * heap 19, libraries 14). Dropping each face's pages after its last use keeps one face's at
 * a time. The pages stay in the page cache: reading them again costs a minor fault. */
typedef struct font_map {
    void *addr;
    size_t len;
} font_map;

static void font_unmap(void *user) {
    font_map *m = user;
    munmap(m->addr, m->len);
    free(m);
}

static hb_blob_t *map_font_file(const char *file, const font_map **map) {
    *map = NULL;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    void *addr = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size > 0 && (uintmax_t)st.st_size <= UINT_MAX)
        addr = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_NORESERVE, fd, 0);
    close(fd);
    if (addr == MAP_FAILED) return hb_blob_create_from_file_or_fail(file); /* empty, or odd */
    font_map *m = hu_xmalloc(sizeof *m);
    m->addr = addr, m->len = (size_t)st.st_size;
    *map = m;
    return hb_blob_create((const char *)addr, (unsigned)m->len, HB_MEMORY_MODE_READONLY, m,
                          font_unmap);
}

/* Opens file#index for role, reporting every failure in Chinese with the file and the role.
 * Returns the face index in f, or -1. */
static int open_face(hu_fonts *f, hu_font_role role, const char *file, unsigned index,
                     bool explicit_index, hu_font_origin origin, const char *package, hu_diags *d) {
    const char *label = role_labels[role], *rname = hu_font_role_names[role];
    struct stat st;
    if (stat(file, &st) != 0) {
        if (errno == ENOENT)
            hu_error(d, NULL, 0, 0, NULL, "字体文件“%s”不存在（角色 %s，%s）", file, rname, label);
        else
            hu_error(d, NULL, 0, 0, NULL, "无法读取字体文件“%s”：%s（角色 %s，%s）", file,
                     strerror(errno), rname, label);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        /* a FIFO would block the read below forever */
        hu_error(d, NULL, 0, 0, NULL, "“%s”是%s，不是字体文件（角色 %s，%s）", file,
                 S_ISDIR(st.st_mode) ? "文件夹" : "特殊文件（如命名管道）", rname, label);
        return -1;
    }
    const hu_face *k = kept_find(file, index, explicit_index, &st);
    if (k) {
        for (int i = 0; i < f->nfaces; i++)
            if (!strcmp(f->faces[i]->key, k->key)) return i;
        hu_face *hf = face_clone(k);
        hf->origin = origin;
        hf->package = package;
        return add_face(f, hf);
    }
    char real[PATH_MAX];
    if (!realpath(file, real)) snprintf(real, sizeof real, "%s", file);
    char *key = xprintf("%s#%u", real, index);
    for (int i = 0; i < f->nfaces; i++)
        if (!strcmp(f->faces[i]->key, key)) {
            free(key);
            return i;
        }
    const font_map *map;
    hb_blob_t *blob = map_font_file(file, &map);
    if (!blob) {
        hu_error(d, NULL, 0, 0, NULL, "无法读取字体文件“%s”（角色 %s，%s）", file, rname, label);
        free(key);
        return -1;
    }
    unsigned count = hb_face_count(blob);
    if (count == 0) {
        hu_error(d, NULL, 0, 0, NULL,
                 "“%s”不是字体文件（%s；需要 TrueType .ttf、OpenType .otf 或字体集合 .ttc、.otc）"
                 "（角色 %s，%s）",
                 file, hb_blob_get_length(blob) ? "无法识别的格式" : "文件是空的", rname, label);
        hb_blob_destroy(blob);
        free(key);
        return -1;
    }
    if (index >= count) {
        if (count == 1)
            hu_error(d, NULL, 0, 0, NULL,
                     "字体文件“%s”不是字体集合，只能用第 0 个字体，不能用 #%u（角色 %s，%s）", file,
                     index, rname, label);
        else
            hu_error(d, NULL, 0, 0, NULL,
                     "字体集合“%s”只有 %u 个字体（#0 到 #%u），没有 #%u（角色 %s，%s）", file,
                     count, count - 1, index, rname, label);
        hb_blob_destroy(blob);
        free(key);
        return -1;
    }
    hb_face_t *face = hb_face_create(blob, index);
    /* A file cut short (a copy or download that stopped) opens and measures, then prints its
     * glyphs blank: refuse it here, so that check and fonts say what build would refuse. */
    hb_tag_t cut = truncated_table(face);
    const char *why = NULL;
    bool cff = false, cid_keyed = false;
    char *ros = NULL;
    if (cut) {
        char tag[5];
        hb_tag_to_string(cut, tag);
        tag[4] = 0;
        hu_error(
            d, NULL, 0, 0, NULL,
            "字体文件“%s”不完整（表 %s 超出文件末尾，文件可能没有复制或下载完），字会印成空白："
            "请重新复制或安装该字体，或换用其他字体（角色 %s，%s）",
            file, tag, rname, label);
        goto refuse;
    }
    unsigned glyphs = hb_face_get_glyph_count(face);
    if (glyphs == 0 || hb_face_get_upem(face) == 0) {
        hu_error(d, NULL, 0, 0, NULL, "“%s”不是可用的字体文件（没有字形）（角色 %s，%s）", file,
                 rname, label);
        goto refuse;
    }
    if (!has_table(face, HB_TAG('g', 'l', 'y', 'f'))) {
        if (has_table(face, HB_TAG('C', 'F', 'F', ' '))) {
            cff = true;
            why = check_cff(face, &cid_keyed, &ros);
            if (why) {
                hu_error(
                    d, NULL, 0, 0, NULL,
                    "字体文件“%s”的 CFF 表损坏（%s），无法嵌入 PDF：请重新复制或安装该字体，或换用"
                    "其他字体（角色 %s，%s）",
                    file, why, rname, label);
                goto refuse;
            }
        } else if (has_table(face, HB_TAG('C', 'F', 'F', '2'))) {
            hu_error(d, NULL, 0, 0, NULL,
                     "字体“%s”是 CFF2 轮廓的 OpenType 字体（多为可变字体），PDF 不能嵌入这种轮廓："
                     "请换用该字体的静态版本（.otf 或 .ttf）（角色 %s，%s）",
                     file, rname, label);
            goto refuse;
        } else {
            hu_error(d, NULL, 0, 0, NULL,
                     "字体“%s”没有字形轮廓（既无 TrueType 的 glyf 表，也无 CFF 表），无法嵌入 PDF"
                     "（角色 %s，%s）",
                     file, rname, label);
            goto refuse;
        }
    }
    if (embedding_restricted(face)) {
        hu_error(
            d, NULL, 0, 0, NULL,
            "字体“%s”的许可不允许嵌入文档（OS/2 fsType=受限），请换用允许嵌入的字体（角色 %s，%s）",
            file, rname, label);
        goto refuse;
    }
    hu_face *hf = hu_xcalloc(1, sizeof *hf);
    hf->file = hu_strdup(file);
    hf->in_collection = explicit_index || count > 1;
    hf->display = hf->in_collection ? xprintf("%s#%u", file, index) : hu_strdup(file);
    hf->key = key;
    hf->index = index;
    hf->blob = blob;
    hf->map = map;
    hf->face = face;
    hf->font = hb_font_create(face);
    hf->upem = hb_face_get_upem(face);
    hf->glyphs = glyphs;
    hf->cff = cff;
    hf->cid_keyed = cid_keyed;
    hf->ros = ros;
    hb_font_extents_t ext;
    if (hb_font_get_h_extents(hf->font, &ext)) {
        hf->asc = (double)ext.ascender / hf->upem;
        hf->desc = (double)ext.descender / hf->upem;
    } else {
        hf->asc = 0.88;
        hf->desc = -0.12;
    }
    hf->weight = hb_style_get_value(hf->font, HB_STYLE_TAG_WEIGHT);
    hf->used = hb_set_create();
    hf->origin = origin;
    hf->package = package;
    hf->twin = -1;
    kept_add(file, index, explicit_index, &st, hf);
    return add_face(f, hf);
refuse:
    free(ros);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    free(key);
    return -1;
}

static void chain_add(hu_fonts *f, hu_font_role role, int face) {
    for (int i = 0; i < f->nchain[role]; i++)
        if (f->chain[role][i] == face) return;
    if (f->nchain[role] < HU_MAX_CHAIN) f->chain[role][f->nchain[role]++] = face;
}

/* Parses one comma-separated spec ("a.ttf, b.ttc#1") and opens each entry for role. */
static bool open_spec(hu_fonts *f, hu_font_role role, const char *spec, const char *base_dir,
                      hu_diags *d) {
    bool ok = true;
    const char *p = spec;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n) {
            char *item = hu_xmalloc(n + 1);
            memcpy(item, p, n);
            item[n] = 0;
            unsigned index = 0;
            bool explicit_index = false;
            char *hash = strrchr(item, '#');
            if (hash && hash[1]) {
                char *end;
                unsigned long v = strtoul(hash + 1, &end, 10);
                if (!*end && hash[1] >= '0' && hash[1] <= '9') {
                    if (v > 0xFFFF) {
                        hu_error(d, NULL, 0, 0, NULL, "字体“%s”的集合序号 #%lu 太大（角色 %s，%s）",
                                 item, v, hu_font_role_names[role], role_labels[role]);
                        free(item);
                        ok = false;
                        goto next;
                    }
                    index = (unsigned)v;
                    explicit_index = true;
                    *hash = 0;
                }
            }
            char *path = (item[0] != '/' && base_dir && *base_dir)
                             ? xprintf("%s/%s", base_dir, item)
                             : hu_strdup(item);
            int face = open_face(f, role, path, index, explicit_index, HU_FONT_USER, NULL, d);
            if (face < 0)
                ok = false;
            else
                chain_add(f, role, face);
            free(path);
            free(item);
        }
    next:
        if (!e) break;
        p = e + 1;
    }
    return ok;
}

/* ---------------------------------------------------------------- default fallback chains
 *
 * The bundled Fandol fonts cover GB 2312 (and about 1,300 more characters); names and places
 * bring the rest of GBK, CJK Extension A and sometimes Extension B. These TrueType fonts from
 * Debian packages (tools/deps.sh installs them with the build packages) cover all of GBK and
 * Extension A and B between them; fonts/README.md has the measurements (bench/font_coverage.py)
 * and the reasons for each choice. */

typedef struct sys_font {
    const char *file; /* under the fallback folder (HU_FALLBACK_FONTS_DIR) */
    unsigned index;   /* face in a collection */
    const char *package;
} sys_font;

enum { SYS_UMING, SYS_UKAI, SYS_ZENHEI, SYS_HANA_A, SYS_HANA_B, SYS_COUNT };
_Static_assert(SYS_COUNT <= sizeof((hu_fonts *)0)->sys_problem / sizeof(char *),
               "hu_fonts.sys_problem holds one entry per default fallback font");

static const sys_font sys_fonts[SYS_COUNT] = {
    /* AR PL UMing CN: 宋 (Ming), mainland forms; GBK 19,592 of 21,791, 762 of Ext-A */
    [SYS_UMING] = {"arphic/uming.ttc", 0, "fonts-arphic-uming"},
    /* AR PL UKai CN: 楷, same repertoire as UMing less 375 GBK characters */
    [SYS_UKAI] = {"arphic/ukai.ttc", 0, "fonts-arphic-ukai"},
    /* WenQuanYi Zen Hei: 黑; GBK all but 12 compatibility ideographs, all of Ext-A */
    [SYS_ZENHEI] = {"wqy/wqy-zenhei.ttc", 0, "fonts-wqy-zenhei"},
    /* HanaMinA (花園明朝 A): Mincho (宋-like); all of GBK and Ext-A */
    [SYS_HANA_A] = {"hanazono/HanaMinA.ttf", 0, "fonts-hanazono"},
    /* HanaMinB: CJK Extensions B and later, all 42,711 of B */
    [SYS_HANA_B] = {"hanazono/HanaMinB.ttf", 0, "fonts-hanazono"},
};

/* Each role's fallback faces in order, ended by -1: a face of the role's own style first,
 * then 宋 / Mincho faces that have the rest. Never a 黑 face for a 宋, 仿宋 or 楷 role. */
static const signed char sys_chain[HU_ROLE_COUNT][SYS_COUNT + 1] = {
    [HU_ROLE_BODY] = {SYS_UMING, SYS_HANA_A, SYS_HANA_B, -1, -1, -1},
    [HU_ROLE_SONG] = {SYS_UMING, SYS_HANA_A, SYS_HANA_B, -1, -1, -1},
    [HU_ROLE_KAI] = {SYS_UKAI, SYS_UMING, SYS_HANA_A, SYS_HANA_B, -1, -1},
    [HU_ROLE_HEI] = {SYS_ZENHEI, SYS_HANA_A, SYS_HANA_B, -1, -1, -1},
    [HU_ROLE_TITLE] = {SYS_UMING, SYS_HANA_A, SYS_HANA_B, -1, -1, -1},
    [HU_ROLE_LATIN] = {SYS_UMING, SYS_HANA_A, SYS_HANA_B, -1, -1, -1},
    [HU_ROLE_LATIN_BOLD] = {SYS_UMING, SYS_HANA_A, SYS_HANA_B, -1, -1, -1},
};
/* every role has a row (an all-zero row would never end) */
_Static_assert(HU_ROLE_LATIN_BOLD == HU_ROLE_COUNT - 1, "sys_chain needs a row for each role");

/* A second face object for face, drawn with synthetic bold (it shares the font data and the
 * embedded subset). */
static int add_emboldened(hu_fonts *f, int face) {
    const hu_face *src = f->faces[face];
    char *key = xprintf("%s+bold", src->key);
    for (int i = 0; i < f->nfaces; i++)
        if (!strcmp(f->faces[i]->key, key)) {
            free(key);
            return i;
        }
    hu_face *hf = face_clone(src);
    free(hf->key);
    hf->key = key;
    hf->embolden = true;
    /* one embedded subset for both: libharu keeps the first font of a name and silently
     * drops a second one (HPDF_Doc_FindFontDef), so two subsets of UMing could not coexist */
    hf->twin = face;
    return add_face(f, hf);
}

/* Opens the default fallback faces from dir ("" = none) and appends them to every chain. A
 * font that is missing or unusable is recorded (sys_problem), never an error. Fixed order, so
 * face numbers are the same on every run with the same packages installed. */
static void add_default_fallbacks(hu_fonts *f, const char *dir) {
    if (!dir || !*dir) return;
    int sys_face[SYS_COUNT];
    bool tried[SYS_COUNT] = {false};
    hu_buf missing = HU_BUF_INIT;
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        /* a regular fallback in a role whose own font is bold gets synthetic bold */
        bool bold_role = f->nchain[r] && f->faces[f->chain[r][0]]->weight >= 600;
        for (int i = 0; sys_chain[r][i] >= 0; i++) {
            int k = sys_chain[r][i];
            if (!tried[k]) {
                tried[k] = true;
                char *path = xprintf("%s/%s", dir, sys_fonts[k].file);
                struct stat st;
                hu_diags quiet = HU_DIAGS_INIT;
                sys_face[k] = -1;
                if (stat(path, &st) != 0 && errno == ENOENT)
                    f->sys_problem[k] =
                        xprintf("%s 不存在（未安装 Debian 软件包 %s）", path, sys_fonts[k].package);
                else if ((sys_face[k] = open_face(f, r, path, sys_fonts[k].index, false,
                                                  HU_FONT_FALLBACK, sys_fonts[k].package, &quiet)) <
                         0)
                    f->sys_problem[k] = hu_strdup(quiet.n ? quiet.v[0].msg : path);
                hu_diags_free(&quiet);
                free(path);
            }
            int face = sys_face[k];
            if (face < 0) continue;
            if (bold_role && f->faces[face]->weight < 600) face = add_emboldened(f, face);
            chain_add(f, r, face);
        }
    }
    for (int k = 0; k < SYS_COUNT; k++)
        if (f->sys_problem[k] && !strstr(hu_buf_cstr(&missing), sys_fonts[k].package)) {
            if (missing.len) hu_buf_putc(&missing, ' ');
            hu_buf_puts(&missing, sys_fonts[k].package);
        }
    f->missing_packages = hu_buf_detach(&missing);
}

hu_fonts *hu_fonts_open(const hu_font_options *o, hu_diags *d) {
    return hu_fonts_open_ex(o, NULL, d);
}

hu_fonts *hu_fonts_open_ex(const hu_font_options *o, bool *user_fault, hu_diags *d) {
    bool dummy;
    if (!user_fault) user_fault = &dummy;
    *user_fault = false;
    hu_font_options none = {{0}, NULL, NULL};
    if (!o) o = &none;
    if (!hu_hb_load(NULL, d)) return NULL; /* HarfBuzz reads every face (hblib.h) */
    hu_fonts *f = hu_xcalloc(1, sizeof *f);
    char *dir = o->fonts_dir ? hu_strdup(o->fonts_dir) : hu_data_dir("fonts");
    if (!dir) {
        hu_error(d, NULL, 0, 0, NULL,
                 "找不到随附的字体文件夹 fonts/（安装不完整？可用环境变量 HUIBAO_DATA_DIR 指向含 "
                 "fonts/ 的文件夹）");
        free(f);
        return NULL;
    }
    bool ok = true, user_ok = true;
    int bundled[HU_ROLE_COUNT];
    /* Open in a fixed order (user specs, then bundled faces) so face numbers, and with them
     * libharu's subset tags, are the same on every run. */
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        if (o->spec[r] && *o->spec[r] && !open_spec(f, r, o->spec[r], o->base_dir, d))
            user_ok = false;
    }
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        char *path = xprintf("%s/%s", dir, role_default[r]);
        bundled[r] = open_face(f, r, path, 0, false, HU_FONT_BUNDLED, NULL, d);
        if (bundled[r] < 0) ok = false;
        free(path);
    }
    free(dir);
    if (!ok || !user_ok) {
        *user_fault = ok; /* the bundled fonts are whole: the user's font is the cause */
        hu_fonts_free(f);
        return NULL;
    }
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        chain_add(f, r, bundled[r]);
        f->nown[r] = f->nchain[r];
    }
    /* Fallbacks: a CJK role falls back to the song chain, then the latin chain (Liberation
     * Serif has ― U+2015, which Fandol lacks); the latin roles fall back to the song chain, the
     * bold one also to the regular latin chain. */
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        if (r == HU_ROLE_LATIN_BOLD)
            for (int i = 0; i < f->nown[HU_ROLE_LATIN]; i++)
                chain_add(f, r, f->chain[HU_ROLE_LATIN][i]);
        if (r != HU_ROLE_SONG)
            for (int i = 0; i < f->nown[HU_ROLE_SONG]; i++)
                chain_add(f, r, f->chain[HU_ROLE_SONG][i]);
        if (r != HU_ROLE_LATIN)
            for (int i = 0; i < f->nown[HU_ROLE_LATIN]; i++)
                chain_add(f, r, f->chain[HU_ROLE_LATIN][i]);
    }
    /* Last, the default fallback faces from Debian's font packages: after everything the user
     * chose and everything bundled, so they only ever draw what none of those has. Opened when
     * first needed (fallbacks_open): most reports never need them. */
    const char *fb = getenv("HUIBAO_FALLBACK_FONTS_DIR");
    f->fallback_dir = hu_strdup(fb ? fb : HU_FALLBACK_FONTS_DIR);
    /* The title is 小标宋, a heavy face whatever weight its file declares (方正小标宋 says 400) */
    for (int r = 0; r < HU_ROLE_COUNT; r++)
        f->bold_latin[r] = r != HU_ROLE_LATIN && r != HU_ROLE_LATIN_BOLD &&
                           (r == HU_ROLE_TITLE || f->faces[f->chain[r][0]]->weight >= 600);
    return f;
}

void hu_fonts_free(hu_fonts *f) {
    if (!f) return;
    for (int i = 0; i < f->nfaces; i++)
        face_free(f->faces[i]);
    free(f->faces);
    for (int r = 0; r < HU_ROLE_COUNT; r++)
        role_cache_clear(&f->cache[r]);
    for (int k = 0; k < SYS_COUNT; k++)
        free(f->sys_problem[k]);
    free(f->missing_packages);
    free(f->fallback_dir);
    free(f);
}

/* Opens the default fallback faces if they are not yet. Why not in hu_fonts_open: they are
 * five faces in four files (two of them 17 and 31 MB), opened, mapped and read on every run,
 * and a report whose characters the bundled faces all have (nearly every month) never looks
 * at them: on the sample, perf stat 40 runs alternating, 2.1 ms of task-clock and 15 page
 * faults of ~70 ms and ~790 (a page fault costs ~16 us on the machines we measure on). They
 * come last in every chain, so a lookup that one of the faces before them answers is the same
 * without them; one that none answers opens them first (lookup_slow). They are opened in the
 * same order as before, after every other face, so face numbers, and with them the PDF's font
 * names, do not change. Whatever lists the chains or the missing packages opens them first. */
static void fallbacks_open(const hu_fonts *cf) {
    hu_fonts *f = (hu_fonts *)cf; /* every hu_fonts is made by hu_fonts_open, never const */
    if (!f->fallback_dir) return;
    char *dir = f->fallback_dir;
    f->fallback_dir = NULL;
    add_default_fallbacks(f, dir);
    free(dir);
}

/* ---------------------------------------------------------------- lookup */

/* Characters the latin face draws before the role's CJK faces: ASCII, Latin-1 and Latin
 * Extended letters (pinyin), and general punctuation — except the marks that are full-width in
 * Chinese text (“” ‘’ — … · × ÷ and friends), which must come from the CJK face. */
bool hu_fonts_latin_first(uint32_t cp) {
    if (cp >= 0x20 && cp < 0x7F) return true;
    if (cp >= 0xA0 && cp <= 0x24F) return cp != 0xB7 && cp != 0xD7 && cp != 0xF7;
    if (cp >= 0x2000 && cp <= 0x206F) {
        switch (cp) {
        case 0x2014:
        case 0x2015:
        case 0x2016:
        case 0x2018:
        case 0x2019:
        case 0x201C:
        case 0x201D:
        case 0x2025:
        case 0x2026:
        case 0x2030:
        case 0x2032:
        case 0x2033:
        case 0x203B:
            return false;
        default:
            return true;
        }
    }
    return cp >= 0x20A0 && cp <= 0x20CF; /* currency signs */
}

static bool face_glyph(const hu_face *hf, uint32_t cp, hb_codepoint_t *gid) {
    return hb_font_get_nominal_glyph(hf->font, cp, gid) && *gid != 0;
}

bool hu_fonts_face_has(const hu_fonts *f, int face, uint32_t cp) {
    hb_codepoint_t g;
    return face >= 0 && face < f->nfaces && face_glyph(f->faces[face], cp, &g);
}

/* Private use: a character only a font made for it can mean (an office's own font given with
 * --font); the default fallback faces have private-use glyphs of their own (HanaMinA 1,402,
 * UMing 105) that would print something else. */
static bool private_use(uint32_t cp) {
    return (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000;
}

bool hu_fonts_bold_latin(const hu_fonts *f, hu_font_role role) {
    return (unsigned)role < HU_ROLE_COUNT && f->bold_latin[role];
}

/* Every face looked at is marked consulted: its file decides the output
 * (hu_fonts_consulted_files). */
static int lookup_slow(hu_fonts *f, hu_font_role role, uint32_t cp, double *adv) {
    hb_codepoint_t gid;
    if (role != HU_ROLE_LATIN && role != HU_ROLE_LATIN_BOLD && hu_fonts_latin_first(cp)) {
        /* the bold latin faces first in a bold role, then the regular ones */
        hu_font_role lr[2] = {HU_ROLE_LATIN_BOLD, HU_ROLE_LATIN};
        for (int k = f->bold_latin[role] ? 0 : 1; k < 2; k++)
            for (int i = 0; i < f->nown[lr[k]]; i++) {
                hu_face *hf = f->faces[f->chain[lr[k]][i]];
                hf->consulted = true;
                if (face_glyph(hf, cp, &gid)) {
                    *adv = (double)hb_font_get_glyph_h_advance(hf->font, gid) / hf->upem;
                    return f->chain[lr[k]][i];
                }
            }
    }
    bool pua = private_use(cp);
    int i = 0;
again:
    for (; i < f->nchain[role]; i++) {
        hu_face *hf = f->faces[f->chain[role][i]];
        if (pua && hf->origin == HU_FONT_FALLBACK) break; /* fallbacks come last */
        hf->consulted = true;
        if (face_glyph(hf, cp, &gid)) {
            *adv = (double)hb_font_get_glyph_h_advance(hf->font, gid) / hf->upem;
            return f->chain[role][i];
        }
    }
    if (f->fallback_dir && !pua) { /* not opened yet: they go after the faces just looked at */
        fallbacks_open(f);
        goto again;
    }
    *adv = 0;
    return -1;
}

int hu_fonts_lookup(hu_fonts *f, hu_font_role role, uint32_t cp, double *advance_em) {
    double dummy;
    if (!advance_em) advance_em = &dummy;
    *advance_em = 0;
    if ((unsigned)role >= HU_ROLE_COUNT || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    /* Above U+FFFF (rare: 𠀡-like characters in names, from CJK Extension B on): no cache. */
    if (cp > 0xFFFF) return lookup_slow(f, role, cp, advance_em);
    cache_block **bp = &f->cache[role].blk[cp >> 8], *b = *bp;
    if (!b) b = *bp = hu_xcalloc(1, sizeof *b);
    unsigned i = cp & 0xFF;
    uint16_t e = b->face[i];
    if (e == 0) {
        double adv;
        int face = lookup_slow(f, role, cp, &adv);
        b->face[i] = face < 0 ? 0xFFFF : (uint16_t)(face + 1);
        b->adv[i] = (float)adv;
        e = b->face[i];
    }
    if (e == 0xFFFF) return -1;
    *advance_em = b->adv[i];
    return e - 1;
}

int hu_fonts_face_count(const hu_fonts *f) {
    return f->nfaces;
}

const char *hu_fonts_face_path(const hu_fonts *f, int face) {
    return face >= 0 && face < f->nfaces ? f->faces[face]->display : NULL;
}

const char *hu_fonts_face_family(const hu_fonts *f, int face) {
    if (face < 0 || face >= f->nfaces) return NULL;
    face_names(f->faces[face]);
    return f->faces[face]->family;
}

double hu_fonts_ascender(const hu_fonts *f, int face) {
    return face >= 0 && face < f->nfaces ? f->faces[face]->asc : 0.88;
}

double hu_fonts_descender(const hu_fonts *f, int face) {
    return face >= 0 && face < f->nfaces ? f->faces[face]->desc : -0.12;
}

bool hu_fonts_wants_fake_bold(const hu_fonts *f, hu_font_role role) {
    if ((unsigned)role >= HU_ROLE_COUNT || !f->nchain[role]) return false;
    return f->faces[f->chain[role][0]]->weight < 600;
}

int hu_fonts_chain(const hu_fonts *f, hu_font_role role, const int **faces) {
    fallbacks_open(f);
    if ((unsigned)role >= HU_ROLE_COUNT) {
        if (faces) *faces = NULL;
        return 0;
    }
    if (faces) *faces = f->chain[role];
    return f->nchain[role];
}

hu_font_origin hu_fonts_face_origin(const hu_fonts *f, int face, const char **package) {
    bool ok = face >= 0 && face < f->nfaces;
    if (package) *package = ok ? f->faces[face]->package : NULL;
    return ok ? f->faces[face]->origin : HU_FONT_USER;
}

const char *hu_fonts_face_name(const hu_fonts *f, int face) {
    if (face < 0 || face >= f->nfaces) return NULL;
    face_names(f->faces[face]);
    return f->faces[face]->fullname;
}

bool hu_fonts_face_embolden(const hu_fonts *f, int face) {
    return face >= 0 && face < f->nfaces && f->faces[face]->embolden;
}

void hu_fonts_consulted_files(const hu_fonts *f, hu_font_file_cb cb, void *ctx) {
    for (int i = 0; i < f->nfaces; i++) {
        const hu_face *hf = f->faces[i];
        if (!hf->consulted) continue;
        bool seen = false; /* faces of one collection, or a face and its emboldened twin */
        for (int j = 0; j < i && !seen; j++)
            seen = f->faces[j]->consulted && !strcmp(f->faces[j]->file, hf->file);
        if (!seen) cb(ctx, hf->file, hf->origin, hf->package);
    }
}

void hu_fonts_reset_consulted(hu_fonts *f) {
    for (int i = 0; i < f->nfaces; i++)
        f->faces[i]->consulted = false;
    /* a cached answer would not mark its faces again */
    for (int r = 0; r < HU_ROLE_COUNT; r++)
        role_cache_clear(&f->cache[r]);
}

const char *hu_fonts_missing_fallbacks(const hu_fonts *f) {
    fallbacks_open(f);
    return f->missing_packages ? f->missing_packages : "";
}

void hu_fonts_note_missing_fallbacks(const hu_fonts *f, const char *file, hu_diags *d) {
    const char *pk = hu_fonts_missing_fallbacks(f);
    if (!*pk) return;
    hu_diag_add(d, HU_NOTE, file, 0, 0, NULL,
                "默认后备字体不全（Debian 软件包 %s 未安装或不可用），随附字体没有的字符可能显示为"
                "〓；安装：apt-get install %s（或运行 tools/deps.sh），详见 huibao fonts",
                pk, pk);
}

void hu_fonts_use(hu_fonts *f, int face, uint32_t cp) {
    hb_codepoint_t g;
    if (face < 0 || face >= f->nfaces || cp > 0x10FFFF) return;
    if (f->faces[face]->twin >= 0) face = f->faces[face]->twin;
    hu_face *hf = f->faces[face];
    /* A code point the face lacks would only draw .notdef; keeping it out keeps subsets exact.
     * One already recorded is not looked up again (every glyph drawn comes here). */
    if (hb_set_has(hf->used, cp)) return;
    if (face_glyph(hf, cp, &g)) hb_set_add(hf->used, cp);
}

void hu_fonts_set_parallel_embed(hu_fonts *f, bool on) {
    f->parallel_embed = on;
}

bool hu_fonts_parallel_embed(const hu_fonts *f) {
    return f->parallel_embed;
}

void hu_fonts_set_keep_pages(hu_fonts *f, bool on) {
    f->keep_pages = on;
}

/* Each call is a madvise(MADV_DONTNEED) per mapping, and with another thread of the process
 * alive (the workbook's, the second face's) each is a TLB shootdown: an interrupt to the other
 * core, dear in a virtual machine and dearer when that core's vCPU is not running. Measured on
 * the sample (hyperfine -N, 30 runs, load ~5): 22 such calls, mean wall 100.6 ms, system 46.4 ms;
 * without them 79.7 ms and 32.2 ms, at the cost of 8 MB more peak RSS (25.9 -> 33.8 MB) that
 * no goal bounds. So a short report (hu_fonts_set_keep_pages) keeps its font pages; a long one
 * drops them, for the 200-page peak (27.4 MB; 37.4 MB when kept). */
void hu_fonts_release_pages(const hu_fonts *f, int face) {
    if (kept.on || f->keep_pages) return; /* the next report reads them again */
    for (int i = 0; i < f->nfaces; i++) {
        const font_map *m = f->faces[i]->map;
        if (!m || (face >= 0 && i != face)) continue;
        bool again = false; /* an emboldened twin shares its plain face's mapping */
        for (int j = 0; j < i && face < 0 && !again; j++)
            again = f->faces[j]->map == m;
        if (!again) (void)madvise(m->addr, m->len, MADV_DONTNEED);
    }
}

bool hu_fonts_face_data(const hu_fonts *f, int face, hu_face_data *out) {
    if (face < 0 || face >= f->nfaces) return false;
    const hu_face *hf = f->faces[face];
    *out = (hu_face_data){hf->file, hf->display, hf->index, hf->in_collection, hf->glyphs, hf->twin,
                          hf->face, hf->used,    hf->cff};
    return true;
}

size_t hu_fonts_used_count(const hu_fonts *f, int face) {
    if (face < 0 || face >= f->nfaces) return 0;
    if (f->faces[face]->twin >= 0) face = f->faces[face]->twin;
    return hb_set_get_population(f->faces[face]->used);
}

/* ---------------------------------------------------------------- coverage */

/* Every character iconv decodes from the double-byte codes lead0..lead1 x trail0..trail1 of
 * charset (0x7F is never a trail byte), in code order. */
static size_t decode_double_byte(const char *charset, int lead0, int lead1, int trail0, int trail1,
                                 uint32_t *out, size_t cap) {
    size_t n = 0;
    iconv_t cd = iconv_open("UTF-32BE", charset);
    if (cd == (iconv_t)-1) return 0;
    for (int lead = lead0; lead <= lead1; lead++) {
        for (int trail = trail0; trail <= trail1; trail++) {
            if (trail == 0x7F) continue;
            char in[2] = {(char)lead, (char)trail};
            unsigned char ob[8];
            char *ip = in, *op = (char *)ob;
            size_t il = 2, ol = sizeof ob;
            iconv(cd, NULL, NULL, NULL, NULL);
            if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || ol != 4) continue;
            uint32_t cp =
                (uint32_t)ob[0] << 24 | (uint32_t)ob[1] << 16 | (uint32_t)ob[2] << 8 | ob[3];
            if (n < cap) out[n++] = cp;
        }
    }
    iconv_close(cd);
    return n;
}

size_t hu_fonts_gb2312(uint32_t *out) {
    return decode_double_byte("GB2312", 0xA1, 0xF7, 0xA1, 0xFE, out, HU_GB2312_MAX);
}

size_t hu_fonts_gbk(uint32_t *out) {
    return decode_double_byte("GBK", 0x81, 0xFE, 0x40, 0xFE, out, HU_GBK_MAX);
}

const char *hu_fonts_punct(void) {
    /* Everything the templates, the number formatter and the typesetter emit besides Han: full
     * width punctuation, brackets, quotes, dashes, units and the missing-glyph mark, plus ASCII. */
    return "，。、；：？！（）《》〈〉“”‘’—…·％〔〕【】「」『』～－＋×÷±°℃‰№〇／＜＞＝"
           "―–•※〓　"
           " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
           "abcdefghijklmnopqrstuvwxyz{|}~";
}

static void cp_text(uint32_t cp, char out[8]) {
    size_t n = hu_utf8_encode(cp, out);
    out[n] = 0;
}

size_t hu_fonts_check_roles(hu_fonts *f, unsigned mask, const char *text, const char *file,
                            int line, int col, const char *path, bool strict, hu_diags *d) {
    mask &= HU_ROLE_MASK_ALL;
    if (!text || !mask) return 0;
    size_t len = strlen(text), total = 0;
    bool one_line = !memchr(text, '\n', len);
    hb_set_t *seen = hb_set_create();
    size_t i = 0, k = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = hu_utf8_decode(text + i, len - i, &cp);
        size_t idx = k++;
        i += n;
        if (cp < 0x20 || cp == 0x7F) continue; /* line breaks, tabs: never drawn as glyphs */
        unsigned missing = 0;
        int nroles = 0, nmissing = 0;
        for (int r = 0; r < HU_ROLE_COUNT; r++) {
            if (!(mask & (1u << r))) continue;
            nroles++;
            if (hu_fonts_lookup(f, r, cp, NULL) < 0) missing |= 1u << r, nmissing++;
        }
        if (!missing) continue;
        total++;
        if (hb_set_has(seen, cp)) continue;
        hb_set_add(seen, cp);
        size_t count = 1;
        for (size_t j = i, kk = k; j < len;) { /* later occurrences, for the message */
            uint32_t c2;
            j += hu_utf8_decode(text + j, len - j, &c2);
            kk++;
            if (c2 == cp) count++;
        }
        char ch[8];
        cp_text(cp, ch);
        char where[64] = "";
        int c = col;
        if (one_line && col > 0)
            c = col + (int)idx;
        else
            snprintf(where, sizeof where, "（第 %zu 个字符）", idx + 1);
        char times[32] = "";
        if (count > 1) snprintf(times, sizeof times, "，共 %zu 处", count);
        hu_severity sev = strict ? HU_ERROR : HU_WARNING;
        if (nmissing == nroles) {
            hu_diag_add(d, sev, file, line, c, path,
                        "字符“%s”(U+%04X)没有任何字体包含，将显示为〓%s%s", ch, (unsigned)cp, where,
                        times);
        } else {
            hu_buf rb = HU_BUF_INIT;
            for (int r = 0; r < HU_ROLE_COUNT; r++)
                if (missing & (1u << r)) {
                    if (rb.len) hu_buf_puts(&rb, "、");
                    hu_buf_puts(&rb, role_labels[r]);
                }
            hu_diag_add(d, sev, file, line, c, path,
                        "字符“%s”(U+%04X)在%s的字体中都没有，用这些字体时将显示为〓%s%s", ch,
                        (unsigned)cp, hu_buf_cstr(&rb), where, times);
            hu_buf_free(&rb);
        }
    }
    hb_set_destroy(seen);
    return total;
}

/* Characters drawn by a default fallback face, grouped by the faces that draw them in each
 * role of the mask (-1: the role draws it with its own or a bundled face, or not at all). */
typedef struct fb_group {
    int face[HU_ROLE_COUNT];
    hu_buf chars;
    size_t n;
} fb_group;

static const char *const role_short[HU_ROLE_COUNT] = {"正文", "宋体", "楷体",    "黑体",
                                                      "标题", "西文", "粗体西文"};

#define FB_SHOW 40 /* characters a note shows per group; index.json gets them all */

static void fb_describe(const hu_fonts *f, const fb_group *g, unsigned mask, hu_buf *out) {
    bool done[HU_ROLE_COUNT] = {false};
    int nroles = 0, nfb = 0;
    for (int r = 0; r < HU_ROLE_COUNT; r++)
        if (mask & (1u << r)) nroles++, nfb += g->face[r] >= 0;
    bool first = true;
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        if (g->face[r] < 0 || done[r]) continue;
        const hu_face *hf = f->faces[g->face[r]];
        if (!first) hu_buf_puts(out, "，");
        first = false;
        if (nroles > 1 && nfb > 0) {
            /* the roles drawing it with the same font file */
            bool firstrole = true;
            for (int q = r; q < HU_ROLE_COUNT; q++) {
                if (g->face[q] < 0 || done[q] || strcmp(f->faces[g->face[q]]->file, hf->file))
                    continue;
                done[q] = true;
                hu_buf_printf(out, "%s%s", firstrole ? "" : "、", role_short[q]);
                firstrole = false;
            }
            hu_buf_puts(out, "用 ");
        }
        face_names(hf);
        hu_buf_printf(out, "%s〔%s〕", hf->fullname, hf->package ? hf->package : "?");
        done[r] = true;
    }
}

size_t hu_fonts_note_fallbacks(hu_fonts *f, unsigned mask, const char *text, const char *file,
                               int line, int col, const char *path, hu_buf *chars, hu_diags *d) {
    if (!text) return 0;
    size_t len = strlen(text), total = 0, first_idx = 0;
    bool one_line = !memchr(text, '\n', len);
    hb_set_t *seen = hb_set_create();
    fb_group *g = NULL;
    size_t ng = 0;
    for (size_t i = 0, k = 0; i < len; k++) {
        uint32_t cp;
        i += hu_utf8_decode(text + i, len - i, &cp);
        if (cp < 0x20 || hb_set_has(seen, cp)) continue;
        hb_set_add(seen, cp);
        int face[HU_ROLE_COUNT];
        bool any = false;
        for (int r = 0; r < HU_ROLE_COUNT; r++) {
            face[r] = (mask & (1u << r)) ? hu_fonts_lookup(f, r, cp, NULL) : -1;
            if (face[r] >= 0 && f->faces[face[r]]->origin != HU_FONT_FALLBACK) face[r] = -1;
            any = any || face[r] >= 0;
        }
        if (!any) continue;
        if (!total++) first_idx = k;
        if (chars) hu_buf_put_cp(chars, cp);
        size_t j = 0;
        while (j < ng && memcmp(g[j].face, face, sizeof face))
            j++;
        if (j == ng) {
            g = hu_xrealloc(g, (ng + 1) * sizeof *g);
            memcpy(g[ng].face, face, sizeof face);
            g[ng].chars = (hu_buf)HU_BUF_INIT;
            g[ng++].n = 0;
        }
        if (g[j].n++ < FB_SHOW) hu_buf_put_cp(&g[j].chars, cp);
    }
    hb_set_destroy(seen);
    if (total && d) {
        hu_buf m = HU_BUF_INIT;
        hu_buf_puts(&m, "随附字体没有、由后备字体显示的字符：");
        for (size_t j = 0; j < ng; j++) {
            if (j) hu_buf_puts(&m, "；");
            hu_buf_puts(&m, hu_buf_cstr(&g[j].chars));
            if (g[j].n > FB_SHOW) hu_buf_printf(&m, " 等 %zu 个", g[j].n);
            hu_buf_puts(&m, "（");
            fb_describe(f, &g[j], mask, &m);
            hu_buf_puts(&m, "）");
        }
        hu_diag_add(d, HU_NOTE, file, line, one_line && col > 0 ? col + (int)first_idx : col, path,
                    "%s", hu_buf_cstr(&m));
        hu_buf_free(&m);
    }
    for (size_t j = 0; j < ng; j++)
        hu_buf_free(&g[j].chars);
    free(g);
    return total;
}

/* ---------------------------------------------------------------- the chains, listed */

typedef struct cover {
    size_t have, total;
    uint32_t miss[8];
    size_t nmiss;
} cover;

static void cover_add(cover *c, bool ok, uint32_t cp) {
    c->total++;
    if (ok)
        c->have++;
    else if (c->nmiss < sizeof c->miss / sizeof *c->miss)
        c->miss[c->nmiss++] = cp;
}

static void print_cover(FILE *out, const char *what, const cover *c) {
    fprintf(out, "%s %zu/%zu", what, c->have, c->total);
    if (c->have < c->total) {
        fputs("，缺：", out);
        for (size_t i = 0; i < c->nmiss; i++) {
            char ch[8];
            cp_text(c->miss[i], ch);
            fprintf(out, "%s%s(U+%04X)", i ? " " : "", ch, (unsigned)c->miss[i]);
        }
        if (c->total - c->have > c->nmiss) fprintf(out, " 等 %zu 个", c->total - c->have);
    }
}

static size_t punct_set(uint32_t *out, size_t cap) {
    const char *s = hu_fonts_punct();
    size_t len = strlen(s), n = 0;
    for (size_t i = 0; i < len && n < cap;) {
        uint32_t cp;
        i += hu_utf8_decode(s + i, len - i, &cp);
        out[n++] = cp;
    }
    return n;
}

/* Where a face of role r's chain comes from, for the listing. */
static void print_origin(FILE *out, const hu_fonts *f, hu_font_role r, int i) {
    const hu_face *hf = f->faces[f->chain[r][i]];
    switch (hf->origin) {
    case HU_FONT_USER:
        fputs(i >= f->nown[r] ? "（用户指定，借自其他角色）" : "（用户指定）", out);
        break;
    case HU_FONT_BUNDLED:
        fputs(i >= f->nown[r] ? "（随附，借自其他角色）" : "（随附）", out);
        break;
    case HU_FONT_FALLBACK:
        fprintf(out, "（默认后备：Debian 软件包 %s%s）", hf->package,
                hf->embolden ? "，加伪粗体" : "");
        break;
    }
}

/* The outline format of a face, for the listing: how the PDF embeds it. */
static const char *outline_kind(const hu_face *hf) {
    static char buf[160];
    if (!hf->cff) return "TrueType 轮廓";
    if (!hf->cid_keyed) return "CFF 轮廓（名称键控）";
    snprintf(buf, sizeof buf, "CFF 轮廓（CID 键控，%s）", hf->ros ? hf->ros : "?");
    return buf;
}

void hu_fonts_print_chains(hu_fonts *f, FILE *out) {
    fallbacks_open(f);
    uint32_t *gb = hu_xmalloc(HU_GB2312_MAX * sizeof *gb),
             *gbk = hu_xmalloc(HU_GBK_MAX * sizeof *gbk);
    uint32_t punct[256];
    size_t ngb = hu_fonts_gb2312(gb), ngbk = hu_fonts_gbk(gbk), npunct = punct_set(punct, 256);
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        fprintf(out, "%s：%s\n", hu_font_role_names[r], role_labels[r]);
        for (int i = 0; i < f->nchain[r]; i++) {
            int face = f->chain[r][i];
            const hu_face *hf = f->faces[face];
            cover c = {0};
            size_t hk = 0, ha = 0;
            for (size_t j = 0; j < ngb; j++)
                cover_add(&c, hu_fonts_face_has(f, face, gb[j]), gb[j]);
            for (size_t j = 0; j < ngbk; j++)
                hk += hu_fonts_face_has(f, face, gbk[j]);
            for (uint32_t cp = HU_EXT_A_FIRST; cp <= HU_EXT_A_LAST; cp++)
                ha += hu_fonts_face_has(f, face, cp);
            fprintf(out, "  %d. %s", i + 1, hf->display);
            print_origin(out, f, r, i);
            face_names(hf);
            fprintf(out, "\n     %s，%s，%u 个字形，", hf->fullname, outline_kind(hf), hf->glyphs);
            print_cover(out, "GB 2312", &c);
            fprintf(out, "，GBK %zu/%zu，扩展 A %zu/%u\n", hk, ngbk, ha,
                    HU_EXT_A_LAST - HU_EXT_A_FIRST + 1);
        }
        for (int i = 0; sys_chain[r][i] >= 0; i++)
            if (f->sys_problem[sys_chain[r][i]])
                fprintf(out, "  -. 未能使用的默认后备字体：%s\n", f->sys_problem[sys_chain[r][i]]);
        cover cg = {0}, ck = {0}, ca = {0}, cpn = {0};
        for (size_t j = 0; j < ngb; j++)
            cover_add(&cg, hu_fonts_lookup(f, r, gb[j], NULL) >= 0, gb[j]);
        for (size_t j = 0; j < ngbk; j++)
            cover_add(&ck, hu_fonts_lookup(f, r, gbk[j], NULL) >= 0, gbk[j]);
        for (uint32_t cp = HU_EXT_A_FIRST; cp <= HU_EXT_A_LAST; cp++)
            cover_add(&ca, hu_fonts_lookup(f, r, cp, NULL) >= 0, cp);
        for (size_t j = 0; j < npunct; j++)
            cover_add(&cpn, hu_fonts_lookup(f, r, punct[j], NULL) >= 0, punct[j]);
        fputs("   合计：", out);
        print_cover(out, "GB 2312", &cg);
        fputs("；", out);
        print_cover(out, "GBK", &ck);
        fputs("；", out);
        print_cover(out, "扩展 A", &ca);
        fputs("；", out);
        print_cover(out, "标点和符号", &cpn);
        fputs("\n", out);
    }
    const char *pk = hu_fonts_missing_fallbacks(f);
    if (*pk)
        fprintf(out,
                "\n默认后备字体不全：请安装 Debian 软件包 %s（apt-get install %s，或运行 "
                "tools/deps.sh），否则随附字体没有的字符显示为〓。\n",
                pk, pk);
    free(gb);
    free(gbk);
}
