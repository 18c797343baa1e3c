/* style.c - style.yaml over GB/T 9704-2012 defaults.
 *
 * The file is a two-level map (section -> key -> scalar) described by the tables below, so
 * every key is checked: an unknown section or key, or a value of the wrong type, is an error
 * at its line:col rather than a silently ignored setting. */
#include "style.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "value.h"

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
    s->chars_per_line = 28;
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
}

typedef enum { F_MM, F_PT, F_NUM, F_INT, F_BOOL, F_ROLE, F_STR } fkind;
typedef struct {
    const char *key;
    fkind kind;
    size_t off;
    double lo, hi; /* range for numbers */
} field;

#define FLD(k, kind, member, lo, hi)                                                               \
    { k, kind, offsetof(hu_style, member), lo, hi }
static const field page_fields[] = {FLD("width_mm", F_MM, page_w, 50, 2000),
                                    FLD("height_mm", F_MM, page_h, 50, 2000),
                                    FLD("margin_top_mm", F_MM, margin_top, 0, 500),
                                    FLD("margin_bottom_mm", F_MM, margin_bottom, 0, 500),
                                    FLD("margin_left_mm", F_MM, margin_left, 0, 500),
                                    FLD("margin_right_mm", F_MM, margin_right, 0, 500),
                                    {0}};
static const field body_fields[] = {FLD("role", F_ROLE, body_role, 0, 0),
                                    FLD("size_pt", F_PT, body_size, 4, 72),
                                    FLD("line_pitch_pt", F_PT, line_pitch, 4, 200),
                                    FLD("chars_per_line", F_INT, chars_per_line, 0, 200),
                                    FLD("indent_chars", F_NUM, indent_chars, 0, 10),
                                    FLD("punct_compress", F_BOOL, punct_compress, 0, 0),
                                    FLD("emph_role", F_ROLE, emph_role, 0, 0),
                                    FLD("strong_bold", F_BOOL, strong_bold, 0, 0),
                                    {0}};
static const field title_fields[] = {FLD("role", F_ROLE, title_role, 0, 0),
                                     FLD("size_pt", F_PT, title_size, 4, 100),
                                     FLD("line_pitch_pt", F_PT, title_line_pitch, 4, 200),
                                     FLD("bold", F_BOOL, title_bold, 0, 0),
                                     FLD("blank_lines_after", F_INT, title_blank_after, 0, 10),
                                     FLD("max_chars", F_NUM, title_max_chars, 0, 100),
                                     {0}};
#define HFLD(lv, arr)                                                                              \
    static const field arr##lv##_fields[] = {                                                      \
        FLD("role", F_ROLE, arr[lv - 1].role, 0, 0),                                               \
        FLD("size_pt", F_PT, arr[lv - 1].size, 4, 72),                                             \
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
                                     FLD("size_pt", F_PT, table_size, 4, 72),
                                     FLD("min_size_pt", F_PT, table_min_size, 3, 72),
                                     FLD("line_factor", F_NUM, table_line_factor, 1, 4),
                                     FLD("rule_pt", F_PT, table_rule, 0, 10),
                                     FLD("caption_role", F_ROLE, table_caption_role, 0, 0),
                                     FLD("caption_size_pt", F_PT, table_caption_size, 4, 72),
                                     {0}};
static const field pn_fields[] = {FLD("enabled", F_BOOL, page_number, 0, 0),
                                  FLD("role", F_ROLE, page_number_role, 0, 0),
                                  FLD("size_pt", F_PT, page_number_size, 4, 72),
                                  FLD("format", F_STR, page_number_format, 0, 0),
                                  FLD("offset_mm", F_MM, page_number_offset, 0, 100),
                                  FLD("inset_chars", F_NUM, page_number_inset_chars, 0, 20),
                                  {0}};
static const field sig_fields[] = {FLD("right_chars", F_NUM, signature_right_chars, 0, 20),
                                   FLD("date_shift_chars", F_NUM, date_shift_chars, 0, 20),
                                   FLD("blank_lines_before", F_INT, signature_blank_before, 0, 10),
                                   FLD("squeeze_min", F_NUM, squeeze_min, 0.5, 1),
                                   {0}};
static const field font_fields[] = {FLD("body", F_STR, font_spec[HU_ROLE_BODY], 0, 0),
                                    FLD("song", F_STR, font_spec[HU_ROLE_SONG], 0, 0),
                                    FLD("kai", F_STR, font_spec[HU_ROLE_KAI], 0, 0),
                                    FLD("hei", F_STR, font_spec[HU_ROLE_HEI], 0, 0),
                                    FLD("title", F_STR, font_spec[HU_ROLE_TITLE], 0, 0),
                                    FLD("latin", F_STR, font_spec[HU_ROLE_LATIN], 0, 0),
                                    FLD("latin_bold", F_STR, font_spec[HU_ROLE_LATIN_BOLD], 0, 0),
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
};

static void set_field(hu_style *s, hu_arena *a, const field *f, const hu_value *v, const char *file,
                      const char *path, hu_diags *d) {
    char *p = (char *)s + f->off;
    switch (f->kind) {
    case F_MM:
    case F_PT:
    case F_NUM:
    case F_INT: {
        if (v->kind != HU_V_NUM) {
            hu_error(d, file, v->line, v->col, path, "应为数字，实际为%s", hu_v_kind_name(v->kind));
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
            hu_error(d, file, v->line, v->col, path,
                     "未知字体角色“%s”，应为 body、song、kai、hei、title、latin 或 latin_bold",
                     v->kind == HU_V_STR ? v->str : hu_v_kind_name(v->kind));
            return;
        }
        *(hu_font_role *)p = (hu_font_role)r;
        return;
    }
    case F_STR:
        if (v->kind == HU_V_NULL) {
            *(const char **)p = NULL;
            return;
        }
        if (v->kind != HU_V_STR) {
            hu_error(d, file, v->line, v->col, path, "应为文本，实际为%s", hu_v_kind_name(v->kind));
            return;
        }
        *(const char **)p = hu_arena_strdup(a, v->str);
        return;
    }
}

/* A fonts: chain "a.ttf,b.ttc#1" with its relative paths made absolute against dir. */
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
    const char *slash = strrchr(file, '/');
    char *dir = slash ? hu_arena_strndup(a, file, (size_t)(slash - file)) : ".";
    for (size_t i = 0; i < root->n; i++) {
        const char *sec = root->keys[i];
        const hu_value *sv = root->items[i];
        if (strcmp(sec, "settings") == 0) { /* wording settings belong to the view */
            if (sv->kind != HU_V_MAP && sv->kind != HU_V_NULL)
                hu_error(d, file, sv->line, sv->col, sec, "应为映射，实际为%s",
                         hu_v_kind_name(sv->kind));
            else
                s->settings = sv;
            continue;
        }
        const field *fields = NULL;
        for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++)
            if (strcmp(sections[k].name, sec) == 0) fields = sections[k].fields;
        if (!fields) {
            hu_error(d, file, sv->line, sv->col, sec,
                     "未知的样式分组“%s”（可用：page、body、title、heading1～4、lead1～4、table、"
                     "page_number、signature、fonts、settings）",
                     sec);
            continue;
        }
        if (sv->kind == HU_V_NULL) continue;
        if (sv->kind != HU_V_MAP) {
            hu_error(d, file, sv->line, sv->col, sec, "应为映射，实际为%s",
                     hu_v_kind_name(sv->kind));
            continue;
        }
        for (size_t j = 0; j < sv->n; j++) {
            const field *f = fields;
            while (f->key && strcmp(f->key, sv->keys[j]) != 0)
                f++;
            char *path = hu_arena_printf(a, "%s.%s", sec, sv->keys[j]);
            if (!f->key) {
                hu_error(d, file, sv->items[j]->line, sv->items[j]->col, path, "未知的样式键“%s”",
                         sv->keys[j]);
                continue;
            }
            set_field(s, a, f, sv->items[j], file, path, d);
            if (fields == font_fields) {
                const char **spec = (const char **)((char *)s + f->off);
                *spec = absolutize(a, *spec, dir);
            }
        }
    }
}

int hu_style_load(hu_style *s, hu_arena *a, const char *const *files, size_t n, hu_diags *d) {
    size_t before = d->errors;
    struct stat st;
    for (size_t i = 0; i < n; i++)
        if (files[i] && stat(files[i], &st) == 0) load_file(s, a, files[i], d);
    if (s->table_min_size > s->table_size) s->table_min_size = s->table_size;
    if (hu_style_text_w(s) < 4 * s->body_size || hu_style_text_h(s) < 2 * s->line_pitch)
        hu_error(d, s->file, 0, 0, "page", "页边距过大，版心放不下正文");
    return d->errors > before ? -1 : 0;
}

int hu_style_load_dir(hu_style *s, hu_arena *a, const char *template_dir, hu_diags *d) {
    if (!template_dir) return hu_style_load(s, a, NULL, 0, d);
    const char *file = hu_arena_printf(a, "%s/style.yaml", template_dir);
    return hu_style_load(s, a, &file, 1, d);
}

void hu_style_font_options(const hu_style *s, const char *const *cli, hu_font_options *fo) {
    memset(fo, 0, sizeof *fo);
    for (int r = 0; r < HU_ROLE_COUNT; r++)
        fo->spec[r] = cli && cli[r] ? cli[r] : s->font_spec[r];
    fo->base_dir = NULL; /* --font paths are relative to the working folder, style's absolute */
}
