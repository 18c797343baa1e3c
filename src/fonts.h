/* fonts.h - font roles, fallback chains, HarfBuzz metrics and coverage.
 *
 * A role (body 仿宋, song 宋, kai 楷, hei 黑, title 小标宋-like, latin serif) maps to a chain of
 * font files; each character is drawn by the first face in its role's chain that has it (the
 * latin face comes first for Latin letters and digits only, the latin_bold face in the title and
 * other bold roles). A chain is: the user's fonts for
 * the role, the role's bundled font, the song and latin chains' own fonts, then the role's
 * default fallback faces from Debian font packages (tools/deps.sh installs them with the build
 * packages; fonts/README.md says which and why). Faces are numbered across the whole set; the
 * layout engine records (face, code point) for every glyph it emits, and the PDF module
 * (pdf_fonts.h) subsets and embeds the faces used. No libharu type appears here.
 *
 * The typesetter never measures text through libharu: all metrics come from here. */
#ifndef HU_FONTS_H
#define HU_FONTS_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

struct hu_buf;
struct hb_face_t; /* HarfBuzz (hb.h) */
struct hb_set_t;

typedef enum {
    HU_ROLE_BODY,  /* 仿宋: body text, levels 3-4 */
    HU_ROLE_SONG,  /* 宋: page numbers, tables */
    HU_ROLE_KAI,   /* 楷: level-2 headings */
    HU_ROLE_HEI,   /* 黑: level-1 headings, table headers */
    HU_ROLE_TITLE, /* bold Song (小标宋-like): the title */
    HU_ROLE_LATIN, /* Latin serif for digits and Latin text */
    /* Bold Latin serif for digits and Latin text in bold roles: the title, and any role whose
     * first face is a bold weight (2026 in a 小标宋 title must not look thin) */
    HU_ROLE_LATIN_BOLD,
    HU_ROLE_COUNT
} hu_font_role;

/* The roles' names in hu_font_role order, NULL-terminated (the --font keys). */
extern const char *const hu_font_role_names[HU_ROLE_COUNT + 1];
/* "body", "song", "kai", "hei", "title", "latin", "latin_bold"; -1 for an unknown name. */
int hu_font_role_from_name(const char *name);
const char *hu_font_role_name(hu_font_role r);

typedef struct hu_font_options {
    /* Per role: NULL for the bundled default, or a comma-separated chain of font files, each
     * "path" or "file.ttc#index", tried before the bundled fonts of that role. */
    const char *spec[HU_ROLE_COUNT];
    const char *fonts_dir; /* NULL: find the bundled fonts/ (source or installed tree) */
    const char *base_dir;  /* relative paths in spec resolve against this (style.yaml's folder) */
} hu_font_options;

/* Where the default fallback fonts are (Debian's folder of TrueType fonts). The environment
 * variable HUIBAO_FALLBACK_FONTS_DIR replaces it; set to "" it turns the fallbacks off. */
#define HU_FALLBACK_FONTS_DIR "/usr/share/fonts/truetype"

/* Where a face comes from. */
typedef enum {
    HU_FONT_USER,     /* --font or style.yaml */
    HU_FONT_BUNDLED,  /* fonts/ */
    HU_FONT_FALLBACK, /* a default fallback face from a Debian package */
} hu_font_origin;

typedef struct hu_fonts hu_fonts;

/* Opens every face of every chain (the default fallback faces when first needed: a lookup
 * that no face before them answers, hu_fonts_chain, hu_fonts_print_chains or
 * hu_fonts_missing_fallbacks opens them, in the same order and with the same face numbers as
 * if opened here; fonts.c, fallbacks_open, says why). A face has TrueType (glyf) or CFF outlines
 * (OpenType/CFF .otf, and .otc/.ttc collections of either; not CFF2). A missing, unreadable,
 * damaged or truncated file, or one whose licence forbids embedding, is an error naming the file
 * and the role, reported here so that check and `huibao fonts` say what build would refuse. Returns
 * NULL on error. A default fallback font that is not installed or cannot be used is no error: it is
 * left out of the chains (hu_fonts_note_missing_fallbacks says so). */
hu_fonts *hu_fonts_open(const hu_font_options *o, hu_diags *d);
/* hu_fonts_open that also says, on failure, whether a font the user named (--font, style.yaml)
 * was the cause (*user_fault true: an input error, exit 2) or the bundled fonts are missing or
 * damaged (false: a broken installation, exit 1). user_fault may be NULL. */
hu_fonts *hu_fonts_open_ex(const hu_font_options *o, bool *user_fault, hu_diags *d);
void hu_fonts_free(hu_fonts *f);
/* A process that builds many reports (a batch worker) keeps every face it opens, mapped and
 * parsed, for the next hu_fonts_open of the same unchanged file; hu_fonts_release_pages then
 * leaves the pages in place. Off by default; false frees what was kept. fonts.c says why. */
void hu_fonts_keep_faces(bool on);

/* The face that draws cp in role and its advance in em (1.0 = the font size). Returns -1 when
 * no face in the chain has the character. Fast: the layout calls it for every character. */
int hu_fonts_lookup(hu_fonts *f, hu_font_role role, uint32_t cp, double *advance_em);
int hu_fonts_face_count(const hu_fonts *f);                  /* the faces opened so far */
const char *hu_fonts_face_path(const hu_fonts *f, int face); /* "x.ttc#1" for collections */
const char *hu_fonts_face_family(const hu_fonts *f, int face);
double hu_fonts_ascender(const hu_fonts *f, int face);  /* em */
double hu_fonts_descender(const hu_fonts *f, int face); /* em, negative */
/* True when a role should get synthetic bold where a style asks for bold: the role's first face
 * is not a bold weight (OS/2 usWeightClass < 600). False for the bundled title face. */
bool hu_fonts_wants_fake_bold(const hu_fonts *f, hu_font_role role);

/* The layout records every glyph it draws, so only those are embedded. */
void hu_fonts_use(hu_fonts *f, int face, uint32_t cp);

/* What the PDF module needs to embed a face (pdf_fonts.c). Pointers into f. */
typedef struct hu_face_data {
    const char *file;    /* the font file as opened */
    const char *display; /* file, or "file#N" inside a collection */
    unsigned index;      /* the face's number within its file */
    bool in_collection;
    unsigned glyphs;
    int twin;                    /* an emboldened copy shares face twin's embedded font; else -1 */
    struct hb_face_t *hb;        /* the HarfBuzz face (for hb-subset) */
    const struct hb_set_t *used; /* the code points recorded with hu_fonts_use */
    bool cff;                    /* CFF outlines (OpenType/CFF): embedded as CIDFontType0C */
} hu_face_data;
/* Whether the PDF module may embed two faces at a time, on two threads (default false): faster
 * on a second core, at the cost of a second face's pages and buffers in memory. report.c
 * allows it for short reports only (the peak of a long one must stay small). */
void hu_fonts_set_parallel_embed(hu_fonts *f, bool on);
bool hu_fonts_parallel_embed(const hu_fonts *f);
/* Whether hu_fonts_release_pages keeps the pages instead (default false): report.c keeps them
 * for short reports, whose peak RSS no goal bounds and for which dropping them is dear
 * (fonts.c has the figures). */
void hu_fonts_set_keep_pages(hu_fonts *f, bool on);
/* Drops from memory the pages of face's font file (face < 0: every face's) that reading it
 * brought in; they are read again, from the page cache, when next needed. Nothing changes
 * but the resident set: the PDF module calls it after embedding each face (fonts.c says why). */
void hu_fonts_release_pages(const hu_fonts *f, int face);
/* False for a face number out of range. */
bool hu_fonts_face_data(const hu_fonts *f, int face, hu_face_data *out);

/* Report every character of text that some role of role_mask (bit r for role r) cannot draw,
 * as a warning (error when strict) at file:line:col with the field path: each distinct
 * character once, naming the roles that lack it, or "no font at all" when none has it. Returns
 * the number of such characters. The per-field coverage of a report (which role draws which
 * field) is report.c's check_coverage, used by build, check and `huibao fonts --check`. */
#define HU_ROLE_MASK_ALL ((1u << HU_ROLE_COUNT) - 1)
size_t hu_fonts_check_roles(hu_fonts *f, unsigned role_mask, const char *text, const char *file,
                            int line, int col, const char *path, bool strict, hu_diags *d);

/* The visible stand-in the layout draws for a character no font has (〓, U+3013, GETA MARK,
 * the traditional Chinese typesetter's mark for a missing character). */
#define HU_MISSING_GLYPH 0x3013

/* ---- additions (fonts.c) ---- */

/* Origin of face; *package (may be NULL) gets the Debian package of a fallback face, else NULL. */
hu_font_origin hu_fonts_face_origin(const hu_fonts *f, int face, const char **package);
/* The face's full name from its name table ("AR PL UMing CN"). */
const char *hu_fonts_face_name(const hu_fonts *f, int face);
/* True when the face draws with synthetic bold: a regular-weight fallback face in a role whose
 * own font is bold (the title), so the fallback characters are not lighter than their line. */
bool hu_fonts_face_embolden(const hu_fonts *f, int face);

/* Every font file the lookups since hu_fonts_open or hu_fonts_reset_consulted consulted (each
 * character's lookup went through the faces before the one that drew it, and through the whole
 * chain for a character none has): the inputs the PDF depends on. One call per file, in face order;
 * a collection is named once. origin and package as hu_fonts_face_origin. */
typedef void (*hu_font_file_cb)(void *ctx, const char *file, hu_font_origin origin,
                                const char *package);
void hu_fonts_consulted_files(const hu_fonts *f, hu_font_file_cb cb, void *ctx);
/* Forget what earlier lookups consulted (the coverage check's), so that the next layout's
 * lookups alone decide hu_fonts_consulted_files. */
void hu_fonts_reset_consulted(hu_fonts *f);

/* The Debian packages whose default fallback fonts are missing or unusable, space-separated
 * ("" when every one was opened). */
const char *hu_fonts_missing_fallbacks(const hu_fonts *f);
/* A note (HU_NOTE) naming the missing fallback packages and how to install them, at file;
 * nothing when none is missing. */
void hu_fonts_note_missing_fallbacks(const hu_fonts *f, const char *file, hu_diags *d);

/* The characters of text that a default fallback face draws in some role of role_mask (bit r
 * for role r): one note (HU_NOTE) for the field at file:line:col with its path, naming the
 * characters and the faces (and packages) that draw them. Each distinct character once, in
 * order of appearance; they are appended to chars (UTF-8) when it is not NULL. Returns the
 * number of distinct such characters. d may be NULL (only collect). */
size_t hu_fonts_note_fallbacks(hu_fonts *f, unsigned role_mask, const char *text, const char *file,
                               int line, int col, const char *path, struct hu_buf *chars,
                               hu_diags *d);

/* Chinese label of a role for messages: "正文（仿宋）", "黑体" … */
const char *hu_font_role_label(hu_font_role r);
/* The faces of role's chain in lookup order (user entries, bundled default, then fallbacks:
 * song chain, latin chain). Returns the count; *faces points into f. */
int hu_fonts_chain(const hu_fonts *f, hu_font_role role, const int **faces);
/* True when face's cmap maps cp to a real glyph (not .notdef). */
bool hu_fonts_face_has(const hu_fonts *f, int face, uint32_t cp);
/* True when role draws Latin letters and digits with the latin_bold chain: the title role, and
 * any role whose first face is a bold weight (OS/2 usWeightClass >= 600). */
bool hu_fonts_bold_latin(const hu_fonts *f, hu_font_role role);
/* True for the characters the latin face draws before a role's CJK faces: ASCII, Latin-1,
 * Latin Extended (pinyin), non-CJK general punctuation and currency signs. Not “” ‘’ — … · × ÷,
 * which are full-width in Chinese text and come from the CJK face. */
bool hu_fonts_latin_first(uint32_t cp);
/* Number of distinct code points recorded with hu_fonts_use for face. */
size_t hu_fonts_used_count(const hu_fonts *f, int face);

/* Every character of GB 2312 (rows 0xA1-0xF7, cells 0xA1-0xFE, through iconv), in code order;
 * out must hold HU_GB2312_MAX entries. Returns the count (7445 with glibc). */
#define HU_GB2312_MAX 8000
size_t hu_fonts_gb2312(uint32_t *out);
/* Every character glibc's iconv decodes from a GBK double-byte code (lead 0x81-0xFE, trail
 * 0x40-0xFE without 0x7F), in code order; out must hold HU_GBK_MAX entries. Returns the count
 * (21,791 with glibc 2.36). */
#define HU_GBK_MAX 24000
/* CJK Unified Ideographs Extension A as of Unicode 3.0 (6,582 characters). */
#define HU_EXT_A_FIRST 0x3400u
#define HU_EXT_A_LAST 0x4DB5u
size_t hu_fonts_gbk(uint32_t *out);
/* UTF-8 string of the punctuation and symbols huibao emits (full-width marks, quotes, dashes,
 * units, the missing mark 〓 and printable ASCII), for coverage checks and the font sheet. */
const char *hu_fonts_punct(void);

/* `huibao fonts`: each role's chain with its files, where each comes from (--font or
 * style.yaml, bundled, a Debian fallback package) and its coverage (GB 2312, GBK, CJK
 * Extension A, the punctuation huibao emits), then the fallback packages that are missing. */
void hu_fonts_print_chains(hu_fonts *f, FILE *out);

#endif
