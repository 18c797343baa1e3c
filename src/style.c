/* style.c - style.yaml over GB/T 9704-2012 defaults.
 *
 * The file is a two-level map (section -> key -> scalar) described by the tables below, and
 * one validator walks them for every section, `settings:` included: an unknown section or key
 * (with the nearest known name as a did-you-mean), a value of the wrong type or out of range is
 * an error at its line:col rather than a silently ignored setting. The same tables list the
 * fields hu_style_diff compares. */
#include "style.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "fileio.h"
#include "textclean.h"
#include "value.h"

/* The values the file may leave to be computed: characters per line from the 版心 width and the
 * body size (rounded to the nearest: 156 mm at 16 pt gives 27.6, so 28 and a tracking of
 * −0.207 pt, as GB/T 9704 7.2 wants), and the line pitch from lines_per_page when that is set
 * (rounded down to 0.01 pt so that many lines always fit). */
static void derive(hu_style *s) {
    if (!s->chars_per_line_set && s->body_size > 0)
        s->chars_per_line = (int)(hu_style_text_w(s) / s->body_size + 0.5);
    if (s->lines_per_page > 0)
        s->line_pitch = (double)(long)(hu_style_text_h(s) / s->lines_per_page * 100) / 100;
}

void hu_style_default(hu_style *s) {
    memset(s, 0, sizeof *s);
    s->page_w = HU_MM(210);
    s->page_h = HU_MM(297);
    s->margin_top = HU_MM(37);
    s->margin_bottom = HU_MM(35);
    s->margin_left = HU_MM(28);
    s->margin_right = HU_MM(26);
    s->body_role = HU_ROLE_BODY;
    s->body_size = 16;
    s->line_pitch = 28.95;
    s->lines_per_page = 0;
    s->chars_per_line_set = false; /* derived: 28 at 16 pt in 156 mm */
    s->indent_chars = 2;
    s->punct_compress = true;
    s->title_role = HU_ROLE_TITLE;
    s->title_size = 22;
    s->title_line_pitch = 36;
    s->title_bold = false;
    s->title_blank_after = 1;
    s->title_max_chars = 18;
    static const hu_font_role hr[4] = {HU_ROLE_HEI, HU_ROLE_KAI, HU_ROLE_BODY, HU_ROLE_BODY};
    for (int i = 0; i < 4; i++) {
        s->heading[i] = (hu_heading_style){hr[i], 16, false, 2};
        /* Levels 3-4 share the body face, so a bold lead sentence is what sets it apart. */
        s->lead[i] = (hu_heading_style){hr[i], 16, i >= 2, 0};
    }
    s->emph_role = HU_ROLE_KAI;
    s->strong_bold = true;
    s->table_role = HU_ROLE_SONG;
    s->table_header_role = HU_ROLE_HEI;
    s->table_size = 10.5; /* 五号: an 8-column indicator table fits 156 mm */
    s->table_min_size = 9;
    s->table_line_factor = 1.45;
    s->table_rule = 0.5;
    s->table_caption_role = HU_ROLE_HEI; /* 表题 黑体 */
    s->table_caption_size = 14;          /* 四号 */
    s->page_number = true;
    s->page_number_role = HU_ROLE_SONG;
    s->page_number_size = 14;
    s->page_number_format = "— {n} —";
    s->page_number_offset = HU_MM(7);
    s->page_number_inset_chars = 1;
    s->signature_right_chars = 2;
    s->date_shift_chars = 2;
    s->signature_blank_before = 1;
    s->squeeze_min = 0.85;
    hu_model_settings_default(&s->settings);
    derive(s);
}

/* 字号: the sizes of Chinese typesetting, in points (GB/T 148 does not define them; these are
 * the values every Chinese word processor uses). */
static const struct {
    const char *name;
    double pt;
} zihao[] = {{"初号", 42},  {"小初", 36},  {"一号", 26},   {"小一", 24},
             {"二号", 22},  {"小二", 18},  {"三号", 16},   {"小三", 15},
             {"四号", 14},  {"小四", 12},  {"五号", 10.5}, {"小五", 9},
             {"六号", 7.5}, {"小六", 6.5}, {"七号", 5.5},  {"八号", 5}};
#define NZIHAO (sizeof zihao / sizeof zihao[0])

bool hu_style_zihao(const char *name, double *pt) {
    size_t n = strlen(name);
    /* "小三号" and "三号字" are how people also write them */
    char buf[32];
    if (n >= sizeof buf) return false;
    memcpy(buf, name, n + 1);
    if (n > 3 && !strcmp(buf + n - 3, "字")) buf[n -= 3] = 0;
    if (n > 6 && !strncmp(buf, "小", 3) && !strcmp(buf + n - 3, "号")) buf[n -= 3] = 0;
    for (size_t i = 0; i < NZIHAO; i++)
        if (!strcmp(buf, zihao[i].name)) {
            *pt = zihao[i].pt;
            return true;
        }
    return false;
}

typedef enum {
    F_MM,   /* a length in millimetres, stored in points */
    F_PT,   /* a length in points */
    F_SIZE, /* a font size: points or a 字号 name */
    F_NUM,
    F_INT,
    F_BOOL,
    F_ROLE,
    F_STR,
    F_FONTS /* a font chain; relative paths against the style.yaml's folder */
} fkind;
typedef struct {
    const char *key;
    fkind kind;
    size_t off;
    double lo, hi;     /* range for numbers */
    const char *alias; /* the key's older name, still read (size_pt for size) */
} field;

#define FLD(k, kind, member, lo, hi)                                                               \
    { k, kind, offsetof(hu_style, member), lo, hi, NULL }
#define SIZE(k, member, lo, hi)                                                                    \
    { k, F_SIZE, offsetof(hu_style, member), lo, hi, k "_pt" }
static const field page_fields[] = {FLD("width_mm", F_MM, page_w, 50, 2000),
                                    FLD("height_mm", F_MM, page_h, 50, 2000),
                                    FLD("margin_top_mm", F_MM, margin_top, 0, 500),
                                    FLD("margin_bottom_mm", F_MM, margin_bottom, 0, 500),
                                    FLD("margin_left_mm", F_MM, margin_left, 0, 500),
                                    FLD("margin_right_mm", F_MM, margin_right, 0, 500),
                                    {0}};
static const field body_fields[] = {FLD("role", F_ROLE, body_role, 0, 0),
                                    SIZE("size", body_size, 4, 72),
                                    FLD("line_pitch_pt", F_PT, line_pitch, 4, 200),
                                    FLD("lines_per_page", F_INT, lines_per_page, 1, 200),
                                    FLD("chars_per_line", F_INT, chars_per_line, 0, 200),
                                    FLD("indent_chars", F_NUM, indent_chars, 0, 10),
                                    FLD("punct_compress", F_BOOL, punct_compress, 0, 0),
                                    FLD("emph_role", F_ROLE, emph_role, 0, 0),
                                    FLD("strong_bold", F_BOOL, strong_bold, 0, 0),
                                    {0}};
static const field title_fields[] = {FLD("role", F_ROLE, title_role, 0, 0),
                                     SIZE("size", title_size, 4, 100),
                                     FLD("line_pitch_pt", F_PT, title_line_pitch, 4, 200),
                                     FLD("bold", F_BOOL, title_bold, 0, 0),
                                     FLD("blank_lines_after", F_INT, title_blank_after, 0, 10),
                                     FLD("max_chars", F_NUM, title_max_chars, 0, 100),
                                     {0}};
#define HFLD(lv, arr)                                                                              \
    static const field arr##lv##_fields[] = {                                                      \
        FLD("role", F_ROLE, arr[lv - 1].role, 0, 0),                                               \
        SIZE("size", arr[lv - 1].size, 4, 72),                                                     \
        FLD("bold", F_BOOL, arr[lv - 1].bold, 0, 0),                                               \
        FLD("indent_chars", F_NUM, arr[lv - 1].indent_chars, 0, 10),                               \
        {0}};
HFLD(1, heading)
HFLD(2, heading)
HFLD(3, heading)
HFLD(4, heading)
HFLD(1, lead)
HFLD(2, lead)
HFLD(3, lead)
HFLD(4, lead)
static const field table_fields[] = {FLD("role", F_ROLE, table_role, 0, 0),
                                     FLD("header_role", F_ROLE, table_header_role, 0, 0),
                                     SIZE("size", table_size, 4, 72),
                                     SIZE("min_size", table_min_size, 3, 72),
                                     FLD("line_factor", F_NUM, table_line_factor, 1, 4),
                                     FLD("rule_pt", F_PT, table_rule, 0, 10),
                                     FLD("caption_role", F_ROLE, table_caption_role, 0, 0),
                                     SIZE("caption_size", table_caption_size, 4, 72),
                                     {0}};
static const field pn_fields[] = {FLD("enabled", F_BOOL, page_number, 0, 0),
                                  FLD("role", F_ROLE, page_number_role, 0, 0),
                                  SIZE("size", page_number_size, 4, 72),
                                  FLD("format", F_STR, page_number_format, 0, 0),
                                  FLD("offset_mm", F_MM, page_number_offset, 0, 100),
                                  FLD("inset_chars", F_NUM, page_number_inset_chars, 0, 20),
                                  {0}};
static const field sig_fields[] = {FLD("right_chars", F_NUM, signature_right_chars, 0, 20),
                                   FLD("date_shift_chars", F_NUM, date_shift_chars, 0, 20),
                                   FLD("blank_lines_before", F_INT, signature_blank_before, 0, 10),
                                   FLD("squeeze_min", F_NUM, squeeze_min, 0.5, 1),
                                   {0}};
static const field font_fields[] = {FLD("body", F_FONTS, font_spec[HU_ROLE_BODY], 0, 0),
                                    FLD("song", F_FONTS, font_spec[HU_ROLE_SONG], 0, 0),
                                    FLD("kai", F_FONTS, font_spec[HU_ROLE_KAI], 0, 0),
                                    FLD("hei", F_FONTS, font_spec[HU_ROLE_HEI], 0, 0),
                                    FLD("title", F_FONTS, font_spec[HU_ROLE_TITLE], 0, 0),
                                    FLD("latin", F_FONTS, font_spec[HU_ROLE_LATIN], 0, 0),
                                    FLD("latin_bold", F_FONTS, font_spec[HU_ROLE_LATIN_BOLD], 0, 0),
                                    {0}};
/* the wording settings the report model takes (docs/templates.md §2) */
static const field settings_fields[] = {
    FLD("bei", F_BOOL, settings.bei, 0, 0),
    FLD("clean_punct", F_BOOL, settings.clean_punct, 0, 0),
    FLD("max_auto_highlights", F_INT, settings.max_auto_highlights, -1, 1000),
    {0}};

static const struct {
    const char *name;
    const field *fields;
} sections[] = {
    {"page", page_fields},         {"body", body_fields},         {"title", title_fields},
    {"heading1", heading1_fields}, {"heading2", heading2_fields}, {"heading3", heading3_fields},
    {"heading4", heading4_fields}, {"lead1", lead1_fields},       {"lead2", lead2_fields},
    {"lead3", lead3_fields},       {"lead4", lead4_fields},       {"table", table_fields},
    {"page_number", pn_fields},    {"signature", sig_fields},     {"fonts", font_fields},
    {"settings", settings_fields},
};
#define NSECTIONS (sizeof sections / sizeof sections[0])

/* "a、b、c" of a NULL-terminated list, in a */
static const char *list_of(hu_arena *a, const char *const *names) {
    hu_buf b = HU_BUF_INIT;
    for (size_t i = 0; names[i]; i++)
        hu_buf_printf(&b, "%s%s", i ? "、" : "", names[i]);
    const char *r = hu_arena_strdup(a, hu_buf_cstr(&b));
    hu_buf_free(&b);
    return r;
}

/* "，是否应为“x”？" when word is near one of names, else "" */
static const char *did_you_mean(hu_arena *a, const char *word, const char *const *names) {
    const char *n = hu_text_nearest(word, names);
    return n ? hu_arena_printf(a, "，是否应为“%s”？", n) : "";
}

/* A font chain "a.ttf,b.ttc#1" with its relative paths made absolute against dir. */
static const char *absolutize(hu_arena *a, const char *spec, const char *dir) {
    if (!spec || !dir) return spec;
    hu_buf b = HU_BUF_INIT;
    const char *p = spec;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        while (n && *p == ' ')
            p++, n--;
        if (b.len) hu_buf_putc(&b, ',');
        if (n && *p != '/') {
            hu_buf_puts(&b, dir);
            hu_buf_putc(&b, '/');
        }
        hu_buf_put(&b, p, n);
        p += n;
        if (*p == ',') p++;
    }
    const char *r = hu_arena_strdup(a, hu_buf_cstr(&b));
    hu_buf_free(&b);
    return r;
}

/* The value v of field f into s, or an error at v. dir: the style.yaml's folder. */
static void set_field(hu_style *s, hu_arena *a, const field *f, const hu_value *v, const char *file,
                      const char *dir, const char *path, hu_diags *d) {
    char *p = (char *)s + f->off;
    switch (f->kind) {
    case F_SIZE:
        if (v->kind == HU_V_STR) {
            double pt;
            if (!hu_style_zihao(v->str, &pt)) {
                const char *names[NZIHAO + 1];
                for (size_t i = 0; i < NZIHAO; i++)
                    names[i] = zihao[i].name;
                names[NZIHAO] = NULL;
                /* names differ in whole characters (三好 for 三号): nearest by characters */
                const char *near = NULL;
                for (size_t i = 0; i < NZIHAO && !near; i++)
                    if (strlen(v->str) == strlen(names[i]) &&
                        (!strncmp(v->str, names[i], 3) || !strcmp(v->str + 3, names[i] + 3)))
                        near = names[i];
                hu_error(d, file, v->line, v->col, path, "未知的字号“%s”%s（应为磅值，或字号：%s）",
                         v->str, near ? hu_arena_printf(a, "，是否应为“%s”？", near) : "",
                         list_of(a, names));
                return;
            }
            *(double *)p = pt;
            return;
        }
        goto number; /* a number of points */
    case F_MM:
    case F_PT:
    case F_NUM:
    case F_INT:
    number : {
        if (v->kind != HU_V_NUM) {
            hu_error(d, file, v->line, v->col, path, "应为%s，实际为%s",
                     f->kind == F_SIZE ? "磅值或字号（如 16 或 三号）" : "数字",
                     hu_v_kind_name(v->kind));
            return;
        }
        if (v->num < f->lo || v->num > f->hi) {
            hu_error(d, file, v->line, v->col, path, "数值 %s 超出范围（%g～%g）", v->str, f->lo,
                     f->hi);
            return;
        }
        if (f->kind == F_INT) {
            if (v->num != (int)v->num) {
                hu_error(d, file, v->line, v->col, path, "应为整数，实际为 %s", v->str);
                return;
            }
            *(int *)p = (int)v->num;
        } else {
            *(double *)p = f->kind == F_MM ? HU_MM(v->num) : v->num;
        }
        return;
    }
    case F_BOOL:
        if (v->kind != HU_V_BOOL) {
            hu_error(d, file, v->line, v->col, path, "应为 true 或 false，实际为%s",
                     hu_v_kind_name(v->kind));
            return;
        }
        *(bool *)p = v->b;
        return;
    case F_ROLE: {
        int r = v->kind == HU_V_STR ? hu_font_role_from_name(v->str) : -1;
        if (r < 0) {
            const char *const *names = hu_font_role_names;
            const char *w = v->kind == HU_V_STR ? v->str : hu_v_kind_name(v->kind);
            hu_error(d, file, v->line, v->col, path, "未知字体角色“%s”%s（应为 %s）", w,
                     v->kind == HU_V_STR ? did_you_mean(a, w, names) : "", list_of(a, names));
            return;
        }
        *(hu_font_role *)p = (hu_font_role)r;
        return;
    }
    case F_STR:
    case F_FONTS:
        if (v->kind == HU_V_NULL) {
            *(const char **)p = NULL;
            return;
        }
        if (v->kind != HU_V_STR) {
            hu_error(d, file, v->line, v->col, path, "应为文本，实际为%s", hu_v_kind_name(v->kind));
            return;
        }
        *(const char **)p =
            f->kind == F_FONTS ? absolutize(a, v->str, dir) : hu_arena_strdup(a, v->str);
        return;
    }
}

/* The field of fields named key (or by its older name), or NULL. */
static const field *field_of(const field *fields, const char *key) {
    for (const field *f = fields; f->key; f++)
        if (!strcmp(f->key, key) || (f->alias && !strcmp(f->alias, key))) return f;
    return NULL;
}

/* One section's map over s. */
static void load_section(hu_style *s, hu_arena *a, const char *sec, const field *fields,
                         const hu_value *sv, const char *file, const char *dir, hu_diags *d) {
    const char *keys[32];
    size_t nk = 0;
    for (const field *f = fields; f->key && nk < 31; f++)
        keys[nk++] = f->key;
    keys[nk] = NULL;
    const field *seen[32] = {0};
    const char *seen_as[32] = {0};
    size_t nseen = 0;
    for (size_t j = 0; j < sv->n; j++) {
        const hu_value *v = sv->items[j];
        const char *path = hu_arena_printf(a, "%s.%s", sec, sv->keys[j]);
        const field *f = field_of(fields, sv->keys[j]);
        if (!f) {
            hu_error(d, file, v->line, v->col, path, "未知的样式键“%s”%s（%s 下可用：%s）",
                     sv->keys[j], did_you_mean(a, sv->keys[j], keys), sec, list_of(a, keys));
            continue;
        }
        for (size_t k = 0; k < nseen; k++)
            if (seen[k] == f)
                hu_error(d, file, v->line, v->col, path, "“%s”与前面的“%s”是同一项，只能写一个",
                         sv->keys[j], seen_as[k]);
        if (nseen < 32) {
            seen_as[nseen] = sv->keys[j];
            seen[nseen++] = f;
        }
        set_field(s, a, f, v, file, dir, path, d);
        /* the line pitch is given or derived from lines_per_page; characters per line are
         * derived unless given (a later file's choice wins) */
        if (f->off == offsetof(hu_style, line_pitch)) s->lines_per_page = 0;
        if (f->off == offsetof(hu_style, chars_per_line)) s->chars_per_line_set = true;
    }
    if (fields == body_fields && hu_v_get(sv, "lines_per_page") && hu_v_get(sv, "line_pitch_pt")) {
        const hu_value *v = hu_v_get(sv, "lines_per_page");
        hu_error(d, file, v->line, v->col, "body.lines_per_page",
                 "lines_per_page 与 line_pitch_pt 只能写一个（行距由每面行数算出，或直接给出）");
    }
}

/* One style.yaml over s. */
static void load_file(hu_style *s, hu_arena *a, const char *file, hu_diags *d) {
    hu_value *root = hu_value_load_file(a, file, NULL, d);
    if (!root) return;
    s->file = file;
    s->files = hu_arena_grow(a, s->files, s->nfiles, s->nfiles + 1, sizeof *s->files);
    s->files[s->nfiles++] = file;
    if (root->kind == HU_V_NULL) return; /* an empty file */
    if (root->kind != HU_V_MAP) {
        hu_error(d, file, root->line, root->col, NULL, "style.yaml 的顶层应为映射（键: 值）");
        return;
    }
    const char *names[NSECTIONS + 1];
    for (size_t k = 0; k < NSECTIONS; k++)
        names[k] = sections[k].name;
    names[NSECTIONS] = NULL;
    const char *dir = hu_path_dir(a, file);
    if (!dir) dir = ".";
    for (size_t i = 0; i < root->n; i++) {
        const char *sec = root->keys[i];
        const hu_value *sv = root->items[i];
        const field *fields = NULL;
        for (size_t k = 0; k < NSECTIONS; k++)
            if (strcmp(sections[k].name, sec) == 0) fields = sections[k].fields;
        if (!fields) {
            hu_error(d, file, sv->line, sv->col, sec, "未知的样式分组“%s”%s（可用：%s）", sec,
                     did_you_mean(a, sec, names), list_of(a, names));
            continue;
        }
        if (sv->kind == HU_V_NULL) continue;
        if (sv->kind != HU_V_MAP) {
            hu_error(d, file, sv->line, sv->col, sec, "应为映射，实际为%s",
                     hu_v_kind_name(sv->kind));
            continue;
        }
        load_section(s, a, sec, fields, sv, file, dir, d);
    }
}

bool hu_style_load(hu_style *s, hu_arena *a, const char *const *files, size_t n, hu_diags *d) {
    size_t before = d->errors;
    for (size_t i = 0; i < n; i++)
        if (files[i] && hu_file_is_regular(files[i])) load_file(s, a, files[i], d);
    if (s->table_min_size > s->table_size) s->table_min_size = s->table_size;
    derive(s);
    if (hu_style_text_w(s) < 4 * s->body_size || hu_style_text_h(s) < 2 * s->line_pitch)
        hu_error(d, s->file, 0, 0, "page", "页边距过大，版心放不下正文");
    return d->errors == before;
}

void hu_style_font_options(const hu_style *s, const char *const *cli, hu_font_options *fo) {
    memset(fo, 0, sizeof *fo);
    for (int r = 0; r < HU_ROLE_COUNT; r++)
        fo->spec[r] = cli && cli[r] ? cli[r] : s->font_spec[r];
    fo->base_dir = NULL; /* --font paths are relative to the working folder, style's absolute */
}

const char *hu_style_diff(const hu_style *x, const hu_style *y) {
    static char key[64];
    for (size_t k = 0; k < NSECTIONS; k++)
        for (const field *f = sections[k].fields; f->key; f++) {
            const char *px = (const char *)x + f->off, *py = (const char *)y + f->off;
            bool same;
            switch (f->kind) {
            case F_INT:
                same = *(const int *)px == *(const int *)py;
                break;
            case F_BOOL:
                same = *(const bool *)px == *(const bool *)py;
                break;
            case F_ROLE:
                same = *(const hu_font_role *)px == *(const hu_font_role *)py;
                break;
            case F_STR:
            case F_FONTS: {
                const char *sx = *(const char *const *)px, *sy = *(const char *const *)py;
                same = sx == sy || (sx && sy && !strcmp(sx, sy));
                break;
            }
            default: { /* lengths: equal to a millionth of a point (mm round trip) */
                double dx = *(const double *)px, dy = *(const double *)py;
                same = dx - dy < 1e-6 && dy - dx < 1e-6;
            }
            }
            if (!same) {
                snprintf(key, sizeof key, "%s.%s", sections[k].name, f->key);
                return key;
            }
        }
    return NULL;
}
