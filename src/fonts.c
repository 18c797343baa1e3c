/* fonts.c - font roles, fallback chains, HarfBuzz metrics, coverage checks, hb-subset and
 * embedding through libharu with a valid ToUnicode CMap. See fonts.h and fonts/README.md. */
#include "fonts.h"

#include <errno.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <iconv.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "paths.h"
#include "utf8.h"
#include "value.h"

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
    hb_face_t *face;
    hb_font_t *font;
    unsigned upem, glyphs;
    double asc, desc;
    double weight;
    char *family, *fullname;
    hb_set_t *used; /* code points the document draws with this face */
    hu_font_origin origin;
    const char *package; /* Debian package of a fallback face (static string), else NULL */
    bool embolden;       /* draw with synthetic bold (a regular fallback in a bold role) */
    int twin;            /* embolden: the plain face it shares its subset with; else -1 */
    bool consulted;      /* a lookup looked at this face (the PDF depends on the file) */
} hu_face;

#define HU_MAX_CHAIN 16
/* Lookup cache entry per BMP code point: 0 = not looked up yet, 0xFFFF = no face, else face+1. */
typedef struct role_cache {
    uint16_t *face;
    float *adv;
} role_cache;

struct hu_fonts {
    hu_face **faces;
    int nfaces, capfaces;
    int chain[HU_ROLE_COUNT][HU_MAX_CHAIN];
    int nchain[HU_ROLE_COUNT];
    int nown[HU_ROLE_COUNT]; /* the role's own faces (user + bundled); the rest are fallbacks */
    bool bold_latin[HU_ROLE_COUNT]; /* Latin and digits from the latin_bold chain */
    role_cache cache[HU_ROLE_COUNT];
    /* Characters above U+FFFF reach the PDF under a private-use alias (hu_fonts_pdf_code);
     * set by hu_fonts_embed, sorted by cp and so by alias too. */
    uint32_t *alias_cp;
    uint16_t *alias_code;
    size_t nalias;
    /* Default fallback fonts (sys_fonts[]): why each could not be used (NULL: opened), and
     * the packages of those, space-separated. */
    char *sys_problem[8];
    char *missing_packages;
};

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = malloc((size_t)n + 1);
    if (!p) abort();
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
    free(f);
}

static char *face_name(hb_face_t *face, hb_ot_name_id_t id) {
    hb_language_t en = hb_language_from_string("en", -1);
    unsigned len = hb_ot_name_get_utf8(face, id, en, NULL, NULL);
    if (!len) return NULL;
    unsigned size = len + 1;
    char *s = malloc(size);
    if (!s) abort();
    hb_ot_name_get_utf8(face, id, en, &size, s);
    return s;
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

static int add_face(hu_fonts *f, hu_face *hf) {
    if (f->nfaces == f->capfaces) {
        f->capfaces = f->capfaces ? 2 * f->capfaces : 8;
        f->faces = realloc(f->faces, (size_t)f->capfaces * sizeof *f->faces);
        if (!f->faces) abort();
    }
    f->faces[f->nfaces] = hf;
    return f->nfaces++;
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
    char real[PATH_MAX];
    if (!realpath(file, real)) snprintf(real, sizeof real, "%s", file);
    char *key = xprintf("%s#%u", real, index);
    for (int i = 0; i < f->nfaces; i++)
        if (!strcmp(f->faces[i]->key, key)) {
            free(key);
            return i;
        }
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
    if (!blob) {
        hu_error(d, NULL, 0, 0, NULL, "无法读取字体文件“%s”（角色 %s，%s）", file, rname, label);
        free(key);
        return -1;
    }
    unsigned count = hb_face_count(blob);
    if (count == 0) {
        hu_error(d, NULL, 0, 0, NULL,
                 "“%s”不是字体文件（%s；需要 TrueType .ttf 或字体集合 .ttc）（角色 %s，%s）", file,
                 hb_blob_get_length(blob) ? "无法识别的格式" : "文件是空的", rname, label);
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
    unsigned glyphs = hb_face_get_glyph_count(face);
    if (glyphs == 0 || hb_face_get_upem(face) == 0) {
        hu_error(d, NULL, 0, 0, NULL, "“%s”不是可用的字体文件（没有字形）（角色 %s，%s）", file,
                 rname, label);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        free(key);
        return -1;
    }
    if (!has_table(face, HB_TAG('g', 'l', 'y', 'f'))) {
        bool cff = has_table(face, HB_TAG('C', 'F', 'F', ' ')) ||
                   has_table(face, HB_TAG('C', 'F', 'F', '2'));
        if (cff)
            hu_error(
                d, NULL, 0, 0, NULL,
                "字体“%s”是 CFF（PostScript 轮廓）OpenType 字体，PDF 库只能嵌入 TrueType 轮廓；"
                "请先转换：fontforge -lang=ff -c 'Open($1); Generate($2)' 原字体.otf 新字体.ttf"
                "（角色 %s，%s）",
                file, rname, label);
        else
            hu_error(d, NULL, 0, 0, NULL,
                     "字体“%s”没有 TrueType 轮廓（glyf 表），无法嵌入 PDF（角色 %s，%s）", file,
                     rname, label);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        free(key);
        return -1;
    }
    if (embedding_restricted(face)) {
        hu_error(
            d, NULL, 0, 0, NULL,
            "字体“%s”的许可不允许嵌入文档（OS/2 fsType=受限），请换用允许嵌入的字体（角色 %s，%s）",
            file, rname, label);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        free(key);
        return -1;
    }
    hu_face *hf = calloc(1, sizeof *hf);
    if (!hf) abort();
    hf->file = hu_strdup(file);
    hf->in_collection = explicit_index || count > 1;
    hf->display = hf->in_collection ? xprintf("%s#%u", file, index) : hu_strdup(file);
    hf->key = key;
    hf->index = index;
    hf->blob = blob;
    hf->face = face;
    hf->font = hb_font_create(face);
    hf->upem = hb_face_get_upem(face);
    hf->glyphs = glyphs;
    hb_font_extents_t ext;
    if (hb_font_get_h_extents(hf->font, &ext)) {
        hf->asc = (double)ext.ascender / hf->upem;
        hf->desc = (double)ext.descender / hf->upem;
    } else {
        hf->asc = 0.88;
        hf->desc = -0.12;
    }
    hf->weight = hb_style_get_value(hf->font, HB_STYLE_TAG_WEIGHT);
    hf->family = face_name(face, HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY);
    if (!hf->family) hf->family = face_name(face, HB_OT_NAME_ID_FONT_FAMILY);
    if (!hf->family) hf->family = face_name(face, HB_OT_NAME_ID_POSTSCRIPT_NAME);
    if (!hf->family) hf->family = hu_strdup("?");
    hf->fullname = face_name(face, HB_OT_NAME_ID_FULL_NAME);
    if (!hf->fullname) hf->fullname = hu_strdup(hf->family);
    hf->used = hb_set_create();
    hf->origin = origin;
    hf->package = package;
    hf->twin = -1;
    return add_face(f, hf);
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
            char *item = malloc(n + 1);
            if (!item) abort();
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
    hu_face *hf = calloc(1, sizeof *hf);
    if (!hf) abort();
    *hf = *src;
    hf->file = hu_strdup(src->file);
    hf->display = hu_strdup(src->display);
    hf->key = key;
    hf->blob = hb_blob_reference(src->blob);
    hf->face = hb_face_reference(src->face);
    hf->font = hb_font_reference(src->font);
    hf->family = hu_strdup(src->family);
    hf->fullname = hu_strdup(src->fullname);
    hf->used = hb_set_create();
    hf->embolden = true;
    hf->consulted = false;
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
    hu_font_options none = {{0}, NULL, NULL};
    if (!o) o = &none;
    hu_fonts *f = calloc(1, sizeof *f);
    if (!f) abort();
    char *dir = o->fonts_dir ? hu_strdup(o->fonts_dir) : hu_data_dir("fonts");
    if (!dir) {
        hu_error(d, NULL, 0, 0, NULL,
                 "找不到随附的字体文件夹 fonts/（安装不完整？可用环境变量 HUIBAO_DATA_DIR 指向含 "
                 "fonts/ 的文件夹）");
        free(f);
        return NULL;
    }
    bool ok = true;
    int bundled[HU_ROLE_COUNT];
    /* Open in a fixed order (user specs, then bundled faces) so face numbers, and with them
     * libharu's subset tags, are the same on every run. */
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        if (o->spec[r] && *o->spec[r] && !open_spec(f, r, o->spec[r], o->base_dir, d)) ok = false;
    }
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        char *path = xprintf("%s/%s", dir, role_default[r]);
        bundled[r] = open_face(f, r, path, 0, false, HU_FONT_BUNDLED, NULL, d);
        if (bundled[r] < 0) ok = false;
        free(path);
    }
    free(dir);
    if (!ok) {
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
     * chose and everything bundled, so they only ever draw what none of those has. */
    const char *fb = getenv("HUIBAO_FALLBACK_FONTS_DIR");
    add_default_fallbacks(f, fb ? fb : HU_FALLBACK_FONTS_DIR);
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
    for (int r = 0; r < HU_ROLE_COUNT; r++) {
        free(f->cache[r].face);
        free(f->cache[r].adv);
    }
    free(f->alias_cp);
    free(f->alias_code);
    for (int k = 0; k < SYS_COUNT; k++)
        free(f->sys_problem[k]);
    free(f->missing_packages);
    free(f);
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
    for (int i = 0; i < f->nchain[role]; i++) {
        hu_face *hf = f->faces[f->chain[role][i]];
        if (pua && hf->origin == HU_FONT_FALLBACK) break; /* fallbacks come last */
        hf->consulted = true;
        if (face_glyph(hf, cp, &gid)) {
            *adv = (double)hb_font_get_glyph_h_advance(hf->font, gid) / hf->upem;
            return f->chain[role][i];
        }
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
    role_cache *c = &f->cache[role];
    if (!c->face) {
        c->face = calloc(0x10000, sizeof *c->face);
        c->adv = calloc(0x10000, sizeof *c->adv);
        if (!c->face || !c->adv) abort();
    }
    uint16_t e = c->face[cp];
    if (e == 0) {
        double adv;
        int face = lookup_slow(f, role, cp, &adv);
        c->face[cp] = face < 0 ? 0xFFFF : (uint16_t)(face + 1);
        c->adv[cp] = (float)adv;
        e = c->face[cp];
    }
    if (e == 0xFFFF) return -1;
    *advance_em = c->adv[cp];
    return e - 1;
}

int hu_fonts_face_count(const hu_fonts *f) {
    return f->nfaces;
}

const char *hu_fonts_face_path(const hu_fonts *f, int face) {
    return face >= 0 && face < f->nfaces ? f->faces[face]->display : NULL;
}

const char *hu_fonts_face_family(const hu_fonts *f, int face) {
    return face >= 0 && face < f->nfaces ? f->faces[face]->family : NULL;
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
    return face >= 0 && face < f->nfaces ? f->faces[face]->fullname : NULL;
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

const char *hu_fonts_missing_fallbacks(const hu_fonts *f) {
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
    /* A code point the face lacks would only draw .notdef; keeping it out keeps subsets exact. */
    if (face_glyph(hf, cp, &g)) hb_set_add(hf->used, cp);
}

size_t hu_fonts_used_count(const hu_fonts *f, int face) {
    if (face < 0 || face >= f->nfaces) return 0;
    if (f->faces[face]->twin >= 0) face = f->faces[face]->twin;
    return hb_set_get_population(f->faces[face]->used);
}

/* ---------------------------------------------------------------- embedding */

static void cp_text(uint32_t cp, char out[8]);

/* Tables libharu never reads: dropping them keeps hb-subset's output (and libharu's whole-table
 * copies) small. Bitmap strikes (EBDT/EBLC/EBSC) are the big ones in some CJK fonts. */
static const hb_tag_t drop_tables[] = {
    HB_TAG('E', 'B', 'D', 'T'), HB_TAG('E', 'B', 'L', 'C'), HB_TAG('E', 'B', 'S', 'C'),
    HB_TAG('C', 'B', 'D', 'T'), HB_TAG('C', 'B', 'L', 'C'), HB_TAG('s', 'b', 'i', 'x'),
    HB_TAG('S', 'V', 'G', ' '), HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
    HB_TAG('G', 'D', 'E', 'F'), HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'),
    HB_TAG('M', 'A', 'T', 'H'), HB_TAG('k', 'e', 'r', 'n'), HB_TAG('v', 'h', 'e', 'a'),
    HB_TAG('v', 'm', 't', 'x'), HB_TAG('V', 'O', 'R', 'G'), HB_TAG('D', 'S', 'I', 'G'),
    HB_TAG('F', 'F', 'T', 'M'), HB_TAG('h', 'd', 'm', 'x'), HB_TAG('L', 'T', 'S', 'H'),
    HB_TAG('V', 'D', 'M', 'X'), HB_TAG('m', 'o', 'r', 'x'), HB_TAG('k', 'e', 'r', 'x'),
    HB_TAG('P', 'C', 'L', 'T'), HB_TAG('g', 'a', 's', 'p'),
};

/* libharu 2.3.0 rewrites the embedded font table by table in the order of its required tags,
 * ending with 'prep', then seeks back to each table to checksum it. An absent table is written
 * as an empty one at the current end; seeking to exactly the end of its memory stream fails
 * when that end falls on a 4096-byte block boundary (HPDF_MemStream_SeekFunc finds no block:
 * HPDF_INVALID_OBJECT, the whole PDF cannot be saved). Fonts without hinting (ours: fontforge
 * output, and every subset made with NO_HINTING) have no 'prep', so roughly one embedded font
 * in a thousand hit it (fuzzing, tests/fuzz/README.md F3). A 'prep' program that does nothing
 * (PUSHB[0] 0, POP) keeps the last table non-empty, so no seek lands on the end. */
/* face is parsed from whole (a builder face cannot list its tables in HarfBuzz 6); cmap, when
 * given, replaces the face's own. */
static hb_blob_t *with_prep_and_cmap(hb_face_t *face, hb_blob_t *whole, hb_blob_t *cmap) {
    hb_blob_t *prep = hb_face_reference_table(face, HB_TAG('p', 'r', 'e', 'p'));
    unsigned plen = hb_blob_get_length(prep);
    hb_blob_destroy(prep);
    if (plen && !cmap) return hb_blob_reference(whole);
    hb_face_t *b = hb_face_builder_create();
    hb_tag_t tags[64];
    unsigned start = 0, n;
    do {
        n = sizeof tags / sizeof *tags;
        hb_face_get_table_tags(face, start, &n, tags);
        for (unsigned i = 0; i < n; i++) {
            if (cmap && tags[i] == HB_TAG('c', 'm', 'a', 'p')) continue;
            hb_blob_t *t = hb_face_reference_table(face, tags[i]);
            hb_face_builder_add_table(b, tags[i], t);
            hb_blob_destroy(t);
        }
        start += n;
    } while (n == sizeof tags / sizeof *tags);
    if (cmap) hb_face_builder_add_table(b, HB_TAG('c', 'm', 'a', 'p'), cmap);
    if (!plen) {
        static const char noop[4] = {(char)0xB0, 0x00, 0x21, 0x00}; /* PUSHB[0] 0; POP; pad */
        hb_blob_t *p = hb_blob_create(noop, 3, HB_MEMORY_MODE_READONLY, NULL, NULL);
        hb_face_builder_add_table(b, HB_TAG('p', 'r', 'e', 'p'), p);
        hb_blob_destroy(p);
    }
    hb_blob_t *out = hb_face_reference_blob(b);
    hb_face_destroy(b);
    return out;
}

/* ---- our own cmap for the subset ----
 *
 * libharu reads only the (3,1) format-4 subtable, so it cannot see a character above U+FFFF;
 * and it builds the CIDToGIDMap by looking up all 65,536 codes, each by a linear scan over the
 * subtable's segments (HPDF_TTFontDef_GetGlyphid). hb-subset writes one segment per run of
 * consecutive characters — hundreds for a page of Chinese — which made that scan a sixth of
 * the time to write a PDF. So the subset gets a cmap we write: format 4 with few segments
 * (runs merged across small gaps, whose codes map to glyph 0), where each character above
 * U+FFFF also appears under its private-use alias. */

typedef struct {
    uint32_t code;
    uint16_t gid;
} cmap_pair;

static int cmp_pair(const void *x, const void *y) {
    const cmap_pair *a = x, *b = y;
    return a->code < b->code ? -1 : a->code > b->code;
}

static void put16(hu_buf *b, unsigned v) {
    char c[2] = {(char)(v >> 8), (char)v};
    hu_buf_put(b, c, 2);
}
static void put32(hu_buf *b, uint32_t v) {
    put16(b, v >> 16);
    put16(b, v & 0xFFFF);
}

/* Format 4 over pairs (BMP codes, sorted). Runs whose gap is at most `gap` unused codes share a
 * segment. Returns false when the subtable would pass format 4's 64 KB limits. */
static bool cmap_format4(hu_buf *b, const cmap_pair *p, size_t n, unsigned gap) {
    size_t cap = n + 1, nseg = 0;
    uint32_t *s0 = malloc(cap * sizeof *s0), *s1 = malloc(cap * sizeof *s1);
    size_t *first = malloc(cap * sizeof *first); /* index into p of each segment's first pair */
    if (!s0 || !s1 || !first) abort();
    for (size_t i = 0; i < n; i++) {
        if (nseg && p[i].code - s1[nseg - 1] <= gap + 1u) {
            s1[nseg - 1] = p[i].code;
        } else {
            s0[nseg] = s1[nseg] = p[i].code, first[nseg] = i;
            nseg++;
        }
    }
    /* a segment whose glyphs follow its codes one for one needs no glyph array (idDelta) */
    bool *delta = calloc(nseg + 1, sizeof *delta);
    if (!delta) abort();
    size_t arr = 0;
    for (size_t k = 0; k < nseg; k++) {
        size_t cnt = (k + 1 < nseg ? first[k + 1] : n) - first[k];
        delta[k] = cnt == s1[k] - s0[k] + 1;
        for (size_t i = first[k] + 1; delta[k] && i < first[k] + cnt; i++)
            delta[k] = p[i].gid == p[i - 1].gid + 1;
        if (!delta[k]) arr += s1[k] - s0[k] + 1;
    }
    size_t segs = nseg + 1; /* + the closing 0xFFFF segment */
    size_t len = 16 + 8 * segs + 2 * arr;
    bool ok = len <= 0xFFFF && segs <= 0x7FFF && (nseg == 0 || s1[nseg - 1] < 0xFFFF);
    if (ok) {
        unsigned es = 0; /* entrySelector: 2^es ≤ segs < 2^(es+1) */
        while ((2u << es) <= segs)
            es++;
        unsigned sr = 2u << es; /* searchRange */
        put16(b, 4), put16(b, (unsigned)len), put16(b, 0);
        put16(b, (unsigned)(2 * segs)), put16(b, sr), put16(b, es);
        put16(b, (unsigned)(2 * segs - sr));
        for (size_t k = 0; k < nseg; k++)
            put16(b, s1[k]);
        put16(b, 0xFFFF), put16(b, 0); /* reservedPad */
        for (size_t k = 0; k < nseg; k++)
            put16(b, s0[k]);
        put16(b, 0xFFFF);
        for (size_t k = 0; k < nseg; k++)
            put16(b, delta[k] ? (p[first[k]].gid - s0[k]) & 0xFFFF : 0);
        put16(b, 1);
        size_t at = 0; /* glyph array entries before segment k */
        for (size_t k = 0; k < nseg; k++) {
            if (delta[k]) {
                put16(b, 0);
                continue;
            }
            size_t off = 2 * (segs - k) + 2 * at;
            if (off > 0xFFFF) ok = false;
            put16(b, (unsigned)off);
            at += s1[k] - s0[k] + 1;
        }
        put16(b, 0);
        for (size_t k = 0; k < nseg; k++) {
            if (delta[k]) continue;
            size_t i = first[k];
            for (uint32_t c = s0[k]; c <= s1[k]; c++)
                put16(b, i < n && p[i].code == c ? p[i++].gid : 0);
        }
    }
    free(s0), free(s1), free(first), free(delta);
    return ok;
}

/* The cmap table for subset face sub: its own BMP mappings plus the aliases of the
 * characters above U+FFFF that it has. NULL when it cannot be built. Only (3,1) format 4:
 * a PDF reader maps codes to glyphs through the CIDToGIDMap and never reads the embedded
 * font's cmap, so a second subtable would only make the file bigger. */
static hb_blob_t *build_cmap(const hu_fonts *f, hb_face_t *sub) {
    hb_set_t *cps = hb_set_create();
    hb_face_collect_unicodes(sub, cps);
    hb_font_t *font = hb_font_create(sub);
    size_t n = hb_set_get_population(cps), nb = 0;
    cmap_pair *bmp = malloc((n + f->nalias + 1) * sizeof *bmp);
    if (!bmp) abort();
    hb_codepoint_t cp = HB_SET_VALUE_INVALID, gid;
    while (hb_set_next(cps, &cp) && cp <= 0xFFFF)
        if (hb_font_get_nominal_glyph(font, cp, &gid) && gid)
            bmp[nb++] = (cmap_pair){cp, (uint16_t)gid};
    for (size_t i = 0; i < f->nalias; i++)
        if (hb_font_get_nominal_glyph(font, f->alias_cp[i], &gid) && gid)
            bmp[nb++] = (cmap_pair){f->alias_code[i], (uint16_t)gid};
    qsort(bmp, nb, sizeof *bmp, cmp_pair);
    size_t u = 0; /* codes are unique by construction; make sure, format 4 needs it */
    for (size_t i = 0; i < nb; i++)
        if (!u || bmp[i].code != bmp[u - 1].code) bmp[u++] = bmp[i];
    nb = u;
    hb_font_destroy(font);
    hb_set_destroy(cps);
    /* Gaps of up to 256 unused codes share a segment (their glyph array entries are zeros,
     * which Flate compresses to almost nothing): measured with callgrind on the sample and a
     * 50-page report, 64 and 1024 both cost more instructions, 65535 far more (libharu then
     * reads and copies a 40 KB glyph array per face). */
    hu_buf f4 = HU_BUF_INIT;
    unsigned gap = 256;
    while (!cmap_format4(&f4, bmp, nb, gap)) {
        f4.len = 0;
        if (gap == 0) break;
        gap /= 2;
    }
    hb_blob_t *blob = NULL;
    if (f4.len) {
        hu_buf t = HU_BUF_INIT;
        put16(&t, 0), put16(&t, 1);                /* version, one subtable: */
        put16(&t, 3), put16(&t, 1), put32(&t, 12); /* Windows Unicode BMP, format 4 */
        hu_buf_put(&t, f4.data, f4.len);
        unsigned tlen = (unsigned)t.len;
        char *data = hu_buf_detach(&t);
        blob = hb_blob_create(data, tlen, HB_MEMORY_MODE_READONLY, data, free);
    }
    hu_buf_free(&f4);
    free(bmp);
    return blob;
}

/* The hb-subset input for the code points face hf draws. */
static hb_subset_input_t *subset_input(const hu_face *hf) {
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return NULL;
    hb_set_union(hb_subset_input_unicode_set(in), hf->used);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop_tables / sizeof *drop_tables; i++)
        hb_set_add(drop, drop_tables[i]);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    return in;
}

/* libharu embeds only the glyphs it marked as used while measuring text, plus the direct
 * components of a composite glyph: it does not follow a component that is itself a composite
 * (AR PL UMing's small roman numerals ⅰ-ⅹ, U+2170: composite -> composite -> outline), so
 * such characters printed blank (tests/fontcheck.py found them). Mark the whole glyph closure
 * ourselves: every glyph of an hb-subset subset (keep == NULL), or the glyphs hb-subset would
 * keep for a whole font. */
static void mark_glyphs_used(HPDF_Font font, hb_face_t *face, const hu_face *hf, bool subset) {
    HPDF_FontAttr fa = font ? (HPDF_FontAttr)font->attr : NULL;
    HPDF_FontDef def = fa ? fa->fontdef : NULL;
    if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr) return;
    HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
    if (subset) {
        for (unsigned g = 0; g < tt->num_glyphs; g++)
            tt->glyph_tbl.flgs[g] = 1;
        return;
    }
    hb_subset_input_t *in = subset_input(hf);
    hb_subset_plan_t *plan = in ? hb_subset_plan_create_or_fail(face, in) : NULL;
    if (plan) {
        const hb_map_t *keep = hb_subset_plan_old_to_new_glyph_mapping(plan);
        for (unsigned g = 0; g < tt->num_glyphs; g++)
            if (hb_map_has(keep, g)) tt->glyph_tbl.flgs[g] = 1;
        hb_subset_plan_destroy(plan);
    }
    hb_subset_input_destroy(in);
}

static hb_blob_t *subset_face(const hu_fonts *f, hu_face *hf, bool has_alias) {
    hb_subset_input_t *in = subset_input(hf);
    if (!in) return NULL;
    hb_face_t *sub = hb_subset_or_fail(hf->face, in);
    hb_subset_input_destroy(in);
    if (!sub) return NULL;
    /* the builder face hb-subset returns cannot be read back table by table: serialise it once
     * and parse the bytes */
    hb_blob_t *bytes = hb_face_reference_blob(sub);
    hb_face_destroy(sub);
    hb_face_t *parsed = hb_face_create(bytes, 0);
    hb_blob_t *cmap = build_cmap(f, parsed);
    /* without our cmap the aliases have no glyph: fail rather than draw .notdef */
    hb_blob_t *blob = cmap || !has_alias ? with_prep_and_cmap(parsed, bytes, cmap) : NULL;
    hb_blob_destroy(cmap);
    hb_face_destroy(parsed);
    hb_blob_destroy(bytes);
    return blob;
}

/* libharu writes the encoder's CID CMap (begincidrange) as ToUnicode, which is not a ToUnicode
 * CMap at all (libs.md defect 1). With the UTF-8 encoder code == code point, so the exact
 * replacement is an identity bfrange table over the BMP minus the surrogate rows, except the
 * private-use aliases, which map back to their characters above U+FFFF. */
static HPDF_STATUS fix_tounicode(const hu_fonts *f, HPDF_Font font) {
    HPDF_Dict cmap = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!cmap || !cmap->stream) return HPDF_INVALID_OBJECT;
    static const char *const keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
    /* RemoveElement only returns DICT_ITEM_NOT_FOUND (it sets no error on the document). */
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        HPDF_Dict_RemoveElement(cmap, keys[i]);
    HPDF_MemStream_FreeData(cmap->stream);
    hu_buf b = HU_BUF_INIT;
    hu_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n"
                    "12 dict begin\n"
                    "begincmap\n"
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                    "/CMapName /Adobe-Identity-UCS def\n"
                    "/CMapType 2 def\n"
                    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* identity ranges: whole rows, and around the aliases in the private-use rows */
    typedef struct {
        unsigned lo, hi;
    } range;
    range *rg = malloc((256 + f->nalias) * sizeof *rg);
    if (!rg) abort();
    /* assign_aliases hands out codes in increasing order, so alias_code is sorted too */
    const uint16_t *codes = f->alias_code;
    size_t n = 0, ai = 0;
    for (unsigned hi = 0; hi < 256; hi++) {
        if (hi >= 0xD8 && hi <= 0xDF) continue;
        unsigned lo = hi << 8, end = lo | 0xFF;
        while (ai < f->nalias && codes[ai] <= end) {
            if (codes[ai] > lo) rg[n++] = (range){lo, codes[ai] - 1u};
            lo = codes[ai++] + 1u;
        }
        if (lo <= end) rg[n++] = (range){lo, end};
    }
    for (size_t i = 0; i < n; i += 100) {
        size_t m = n - i < 100 ? n - i : 100;
        hu_buf_printf(&b, "%zu beginbfrange\n", m);
        for (size_t j = i; j < i + m; j++)
            hu_buf_printf(&b, "<%04X> <%04X> <%04X>\n", rg[j].lo, rg[j].hi, rg[j].lo);
        hu_buf_puts(&b, "endbfrange\n");
    }
    /* each alias stands for its character above U+FFFF: UTF-16BE, a surrogate pair */
    for (size_t i = 0; i < f->nalias; i += 100) {
        size_t m = f->nalias - i < 100 ? f->nalias - i : 100;
        hu_buf_printf(&b, "%zu beginbfchar\n", m);
        for (size_t j = i; j < i + m; j++) {
            uint32_t v = f->alias_cp[j] - 0x10000;
            hu_buf_printf(&b, "<%04X> <%04X%04X>\n", f->alias_code[j], 0xD800 + (v >> 10),
                          0xDC00 + (v & 0x3FF));
        }
        hu_buf_puts(&b, "endbfchar\n");
    }
    free(rg);
    hu_buf_puts(&b, "endcmap\n"
                    "CMapName currentdict /CMap defineresource pop\n"
                    "end\n"
                    "end\n");
    HPDF_STATUS st = HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    hu_buf_free(&b);
    if (st != HPDF_OK) return st;
    /* The descendant CIDFont's CIDSystemInfo says Ordering (Identity-H), the encoding's name;
     * with Identity-H the ordering is "Identity". */
    HPDF_Array desc = HPDF_Dict_GetItem(font, "DescendantFonts", HPDF_OCLASS_ARRAY);
    HPDF_Dict cid = desc ? HPDF_Array_GetItem(desc, 0, HPDF_OCLASS_DICT) : NULL;
    HPDF_Dict info = cid ? HPDF_Dict_GetItem(cid, "CIDSystemInfo", HPDF_OCLASS_DICT) : NULL;
    if (info) {
        HPDF_String s = HPDF_String_New(font->mmgr, "Identity", NULL);
        if (!s) return HPDF_FAILD_TO_ALLOC_MEM;
        return HPDF_Dict_Add(info, "Ordering", s);
    }
    return HPDF_OK;
}

static void harulib_error(hu_diags *d, HPDF_Doc pdf, const hu_face *hf, const char *what) {
    unsigned long code = (unsigned long)HPDF_GetError(pdf);
    hu_error(d, NULL, 0, 0, NULL, "PDF 库%s字体“%s”失败（libharu 错误 0x%04lX）", what, hf->display,
             code);
    HPDF_ResetError(pdf);
}

static bool write_temp(const void *data, size_t len, char *path, size_t pathsize) {
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    snprintf(path, pathsize, "%s/huibao-font-XXXXXX", tmp);
    int fd = mkstemp(path);
    if (fd < 0) return false;
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            close(fd);
            unlink(path);
            return false;
        }
        p += w;
        len -= (size_t)w;
    }
    if (close(fd) != 0) {
        unlink(path);
        return false;
    }
    return true;
}

/* Give each used character above U+FFFF a private-use code (U+E000-U+F8FF) that no face uses
 * for itself: libharu's UTF-8 encoder writes 2-byte codes only. Returns false when the
 * private-use area runs out (more than ~6,000 such characters in one report). */
static bool assign_aliases(hu_fonts *f) {
    free(f->alias_cp), free(f->alias_code);
    f->alias_cp = NULL, f->alias_code = NULL, f->nalias = 0;
    hb_set_t *all = hb_set_create();
    for (int i = 0; i < f->nfaces; i++)
        hb_set_union(all, f->faces[i]->used);
    size_t n = 0;
    hb_codepoint_t cp = 0xFFFF;
    while (hb_set_next(all, &cp))
        n++;
    bool ok = true;
    if (n) {
        f->alias_cp = malloc(n * sizeof *f->alias_cp);
        f->alias_code = malloc(n * sizeof *f->alias_code);
        if (!f->alias_cp || !f->alias_code) abort();
        uint32_t code = 0xE000;
        cp = 0xFFFF;
        while (hb_set_next(all, &cp)) {
            while (code <= 0xF8FF && hb_set_has(all, code))
                code++;
            if (code > 0xF8FF) {
                ok = false;
                break;
            }
            f->alias_cp[f->nalias] = cp;
            f->alias_code[f->nalias++] = (uint16_t)code++;
        }
    }
    hb_set_destroy(all);
    return ok;
}

uint32_t hu_fonts_pdf_code(const hu_fonts *f, uint32_t cp) {
    if (cp <= 0xFFFF) return cp;
    size_t lo = 0, hi = f->nalias;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->alias_cp[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->nalias && f->alias_cp[lo] == cp ? f->alias_code[lo] : HU_MISSING_GLYPH;
}

int hu_fonts_embed(hu_fonts *f, HPDF_Doc pdf, HPDF_Font *out, bool subset, hu_diags *d) {
    for (int i = 0; i < f->nfaces; i++)
        out[i] = NULL;
    if (!assign_aliases(f)) {
        hu_error(d, NULL, 0, 0, NULL,
                 "基本多文种平面之外的字符过多（%zu 种以上），PDF 无法全部容纳", f->nalias);
        return -1;
    }
    if (!HPDF_Doc_FindEncoder(pdf, "UTF-8") && HPDF_UseUTFEncodings(pdf) != HPDF_OK) {
        hu_error(d, NULL, 0, 0, NULL, "PDF 库无法启用 UTF-8 编码（libharu 错误 0x%04lX）",
                 (unsigned long)HPDF_GetError(pdf));
        HPDF_ResetError(pdf);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < f->nfaces; i++) {
        hu_face *hf = f->faces[i];
        if (hb_set_is_empty(hf->used)) continue;
        const char *name = NULL;
        hb_codepoint_t first_big = 0xFFFF;
        bool has_alias = hb_set_next(hf->used, &first_big);
        if (has_alias && !subset) {
            char ch[8];
            cp_text(first_big, ch);
            hu_error(d, NULL, 0, 0, NULL,
                     "字体“%s”要画基本多文种平面之外的字符（如“%s”，U+%04X），这需要子集化嵌入："
                     "请去掉 --no-subset",
                     hf->display, ch, (unsigned)first_big);
            rc = -1;
            continue;
        }
        if (!subset && hf->glyphs > 32768) {
            /* libs.md defect 2: libharu reads composite component ids as signed 16-bit and
             * drops those >= 32768, so characters would print blank (WenQuanYi Zen Hei has
             * 11,506 such composites); hb-subset renumbers the glyphs and avoids it */
            hu_error(d, NULL, 0, 0, NULL,
                     "字体“%s”有 %u 个字形（超过 32768），整体嵌入时 PDF 库会把部分字画成空白："
                     "请去掉 --no-subset",
                     hf->display, hf->glyphs);
            rc = -1;
            continue;
        }
        if (subset) {
            hb_blob_t *blob = subset_face(f, hf, has_alias);
            unsigned len = 0;
            const char *data = blob ? hb_blob_get_data(blob, &len) : NULL;
            if (!data || !len) {
                hu_error(d, NULL, 0, 0, NULL, "字体“%s”子集化失败（hb-subset）", hf->display);
                hb_blob_destroy(blob);
                rc = -1;
                continue;
            }
            char path[PATH_MAX];
            if (!write_temp(data, len, path, sizeof path)) {
                hu_error(d, NULL, 0, 0, NULL, "无法写入临时字体文件（%s）：%s",
                         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", strerror(errno));
                hb_blob_destroy(blob);
                rc = -1;
                continue;
            }
            hb_blob_destroy(blob);
            name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
            /* libharu keeps the file open (FILE *) and reads glyf again when the PDF is saved,
             * so unlinking now is safe on POSIX and leaves nothing behind if the caller dies. */
            unlink(path);
        } else if (hf->in_collection) {
            name = HPDF_LoadTTFontFromFile2(pdf, hf->file, hf->index, HPDF_TRUE);
        } else {
            name = HPDF_LoadTTFontFromFile(pdf, hf->file, HPDF_TRUE);
        }
        if (!name) {
            harulib_error(d, pdf, hf, "载入");
            rc = -1;
            continue;
        }
        HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
        if (!font) {
            harulib_error(d, pdf, hf, "创建");
            rc = -1;
            continue;
        }
        mark_glyphs_used(font, hf->face, hf, subset);
        if (fix_tounicode(f, font) != HPDF_OK) {
            harulib_error(d, pdf, hf, "改写 ToUnicode 表时");
            rc = -1;
            continue;
        }
        out[i] = font;
    }
    for (int i = 0; i < f->nfaces; i++) /* emboldened twins draw with their plain face's subset */
        if (f->faces[i]->twin >= 0) out[i] = out[f->faces[i]->twin];
    return rc;
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

/* Checks text against every role in mask; each distinct character is reported once per call,
 * naming the roles that lack it (or "no font at all"). Returns the number of occurrences. */
static size_t check_text_mask(hu_fonts *f, unsigned mask, const char *text, const char *file,
                              int line, int col, const char *path, bool strict, hu_diags *d) {
    if (!text) return 0;
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

size_t hu_fonts_check_text(hu_fonts *f, hu_font_role role, const char *text, const char *file,
                           int line, int col, const char *path, bool strict, hu_diags *d) {
    if ((unsigned)role >= HU_ROLE_COUNT) return 0;
    return check_text_mask(f, 1u << role, text, file, line, col, path, strict, d);
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
            g = realloc(g, (ng + 1) * sizeof *g);
            if (!g) abort();
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

/* ---------------------------------------------------------------- huibao fonts */

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

static void walk_check(hu_fonts *f, const hu_value *v, const char *file, hu_buf *path, bool strict,
                       hu_diags *d, size_t *total, size_t *fallback) {
    if (!v) return;
    size_t mark = path->len;
    switch (v->kind) {
    case HU_V_STR: {
        /* The loader's column is the first character of the text, also for quoted scalars. */
        int col = v->col;
        const char *p = path->len ? path->data : NULL;
        *total += check_text_mask(f, HU_ROLE_MASK_ALL, v->str, file, v->line, col, p, strict, d);
        /* the latin role draws Latin letters and digits only, never a fallback character */
        unsigned cjk = HU_ROLE_MASK_ALL & ~(1u << HU_ROLE_LATIN) & ~(1u << HU_ROLE_LATIN_BOLD);
        *fallback += hu_fonts_note_fallbacks(f, cjk, v->str, file, v->line, col, p, NULL, d) > 0;
        break;
    }
    case HU_V_LIST:
        for (size_t i = 0; i < v->n; i++) {
            hu_buf_printf(path, "[%zu]", i);
            walk_check(f, v->items[i], file, path, strict, d, total, fallback);
            path->len = mark;
            if (path->data) path->data[mark] = 0;
        }
        break;
    case HU_V_MAP:
        for (size_t i = 0; i < v->n; i++) {
            if (path->len) hu_buf_putc(path, '.');
            hu_buf_puts(path, v->keys[i]);
            walk_check(f, v->items[i], file, path, strict, d, total, fallback);
            path->len = mark;
            if (path->data) path->data[mark] = 0;
        }
        break;
    default:
        break;
    }
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

/* `huibao fonts` without --check: each role's chain, where each face comes from, what each
 * covers and what the whole chain covers. */
static void list_chains(hu_fonts *f, FILE *out) {
    uint32_t *gb = malloc(HU_GB2312_MAX * sizeof *gb), *gbk = malloc(HU_GBK_MAX * sizeof *gbk);
    uint32_t punct[256];
    if (!gb || !gbk) abort();
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
            fprintf(out, "\n     %s，%u 个字形，", hf->fullname, hf->glyphs);
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

int hu_fonts_cmd(const hu_font_options *o, const char *check, bool strict) {
    hu_diags d = HU_DIAGS_INIT;
    hu_fonts *f = hu_fonts_open(o, &d);
    if (!f) {
        hu_diags_print(stderr, &d);
        hu_diags_free(&d);
        return HU_EXIT_INPUT;
    }
    int rc = HU_EXIT_OK;
    if (check) {
        hu_arena a;
        hu_arena_init(&a);
        hu_value *root = hu_value_load_file(&a, check, NULL, &d);
        size_t total = 0, fallback = 0;
        if (root) {
            hu_buf path = HU_BUF_INIT;
            walk_check(f, root, check, &path, strict, &d, &total, &fallback);
            hu_buf_free(&path);
        }
        if (total) hu_fonts_note_missing_fallbacks(f, NULL, &d);
        hu_diags_print(stderr, &d);
        if (!root || hu_diags_failed(&d))
            rc = HU_EXIT_INPUT;
        else if (total == 0)
            printf("%s：所有字符都有字体可以显示", check);
        else
            printf("%s：%zu 处字符没有字体可以显示（见上）", check, total);
        if (root && fallback)
            printf("；%zu 个字段有随附字体没有、由后备字体显示的字符（见上）", fallback);
        if (root) putchar('\n');
        hu_arena_free(&a);
    } else {
        list_chains(f, stdout);
        hu_diags_print(stderr, &d);
    }
    hu_diags_free(&d);
    hu_fonts_free(f);
    return rc;
}
