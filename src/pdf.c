/* pdf.c - drawing laid-out pages with libharu 2.3.0.
 *
 * Only drawing happens here: positions come from layout.c, metrics from fonts.c. Each run is
 * placed with an absolute text matrix (Tm) instead of TextOut, because libharu's TextOut
 * moves relative to a text position it tracks by measuring the text itself, which is both
 * slower and wrong once char spacing is involved (see shared docs/libs.md). Justification is
 * Tc (SetCharSpace) per run; SetWordSpace is never used (no effect on 2-byte codes). */
#include "pdf.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "alloc.h"
#include "hpdflib.h"
#include "linebreak.h"
#include "paths.h"
#include "pdf_fonts.h"
#include "pdf_write.h"
#include "segment.h"

/* ---------- the metrics provider backed by fonts.c (kept out of layout.c so the layout
 * and its tests link without the font module) ---------- */

static int fm_lookup(void *ctx, hu_font_role role, uint32_t cp, double *adv) {
    return hu_fonts_lookup(ctx, role, cp, adv);
}
static void fm_use(void *ctx, int face, uint32_t cp) {
    hu_fonts_use(ctx, face, cp);
}
static bool fm_fake_bold(void *ctx, hu_font_role role) {
    return hu_fonts_wants_fake_bold(ctx, role);
}

hu_metrics hu_metrics_from_fonts(hu_fonts *f) {
    return (hu_metrics){f, fm_lookup, fm_use, fm_fake_bold};
}

static double ms_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

void hu_pdf_options_default(hu_pdf_options *o) {
    memset(o, 0, sizeof *o);
    o->subset = true;
    o->now = hu_build_time(NULL);
}

/* ---------- libharu errors ---------- */

typedef struct {
    HPDF_STATUS err, detail;
} hpdf_err;

static void on_error(HPDF_STATUS err, HPDF_STATUS detail, void *user) {
    hpdf_err *e = user;
    if (!e->err) e->err = err, e->detail = detail;
}

/* What a libharu error means to the person who ran the build. The codes are libharu's
 * (hpdf_error.h); the ones that reach users come from the file system (a full disk shows as a
 * zlib error: the compressed stream could not be written), memory, strings over its 64 KB
 * limit and broken fonts. */
static const char *hpdf_msg(HPDF_STATUS err) {
    switch (err) {
    case HPDF_FAILD_TO_ALLOC_MEM:
        return "内存不足";
    case HPDF_FILE_IO_ERROR:
    case HPDF_FILE_OPEN_ERROR:
    case HPDF_ZLIB_ERROR:
        return "磁盘可能已满或没有写权限";
    case HPDF_STRING_OUT_OF_RANGE:
        return "一段文字超出 PDF 库的长度上限（64 KB）";
    case HPDF_TTF_MISSING_TABLE:
    case HPDF_TTF_INVALID_CMAP:
    case HPDF_TTF_INVALID_FOMAT:
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
    case HPDF_INVALID_FONT_NAME:
    case HPDF_FONT_EXISTS:
        return "字体文件无法嵌入（文件不完整或格式不受支持）";
    case HPDF_EXCEED_JWW_CODE_NUM_LIMIT:
    case HPDF_EXCEED_GSTATE_LIMIT:
        return "报告超出 PDF 库的上限（页数或对象过多）";
    default:
        return "PDF 库内部错误";
    }
}

/* ---------- drawing ---------- */

static void info_date(HPDF_Doc pdf, HPDF_InfoType t, long long epoch) {
    time_t tt = (time_t)epoch;
    struct tm tm;
    gmtime_r(&tt, &tm);
    HPDF_Date dt = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                    tm.tm_sec,         'Z',           0,          0};
    HPDF_SetInfoDateAttr(pdf, t, dt);
}

typedef struct {
    hu_pdf_fonts *fonts;
    hu_diags *d;
} finish_ctx;

/* hu_pdf_write's before_streams: the font programs into their streams */
static bool fonts_finish(void *arg) {
    finish_ctx *c = arg;
    return hu_pdf_fonts_finish(c->fonts, c->d);
}

bool hu_pdf_draw(hu_layout *lay, hu_fonts *f, const hu_pdf_info *info, bool subset,
                 const char *out_path, hu_pdf_stats *stats, hu_diags *d) {
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const char *name = info && info->display_path ? info->display_path : out_path;
    hpdf_err e = {0, 0};
    if (!hu_hpdf_load(name, d)) return false; /* libharu, with dlopen (hpdflib.h) */
    HPDF_Doc pdf = HPDF_New(on_error, &e);
    if (!pdf) {
        hu_error(d, name, 0, 0, NULL, "无法初始化 PDF 库（内存不足）");
        return false;
    }
    /* no libharu compression: pdf_fonts.c deflates every stream with libdeflate; no libharu
     * encoder: the bookmarks' and the information's text strings are ours (hu_pdf_text_string) */

    /* The layout recorded nothing yet: record every glyph it placed, then embed. A streamed
     * layout makes each page twice, here and to draw it (copying runs costs far less than
     * keeping every page's runs). */
    int nfaces = hu_fonts_face_count(f);
    hu_pdf_cuts *cuts = hu_pdf_cuts_new(nfaces);
    /* per face, the BMP characters already recorded, a bit each (8 KB a face): hu_fonts_use
     * looks each glyph up in an hb_set, ~25 ns, and a report draws each character many times
     * (sample 2026-10: 0.17-0.3 ms of the main thread's CPU, which is on the critical path
     * here; bench/README.md, Session 12). Recording a character twice changes nothing. */
    uint64_t *seen = hu_xcalloc(nfaces > 0 ? (size_t)nfaces * 1024 : 1, sizeof *seen);
    for (size_t p = 0; p < lay->npages; p++) {
        const hu_page *pg = hu_layout_page(lay, p);
        for (size_t r = 0; r < pg->nruns; r++) {
            const hu_run *run = &pg->runs[r];
            uint64_t *fs = run->face >= 0 && run->face < nfaces ? seen + run->face * 1024 : NULL;
            for (size_t i = 0; i < run->n; i++) {
                uint32_t cp = run->cps[i];
                bool again = false;
                if (fs && cp < 0x10000) {
                    uint64_t bit = (uint64_t)1 << (cp & 63);
                    again = fs[cp >> 6] & bit;
                    fs[cp >> 6] |= bit;
                }
                if (!again) hu_fonts_use(f, run->face, cp);
                if (run->cut && run->cut[i]) hu_pdf_cuts_add(cuts, run->face, cp, run->cut[i]);
            }
        }
    }
    free(seen);
    /* the biggest face's program may still be deflated on the helper while the pages are
     * drawn (pdf_fonts.c, "two threads"): hu_pdf_write waits for it (fonts_finish) */
    hu_pdf_fonts *fonts = hu_pdf_fonts_begin(f, pdf, subset, cuts, d);
    hu_pdf_cuts_free(cuts);
    if (!fonts) {
        HPDF_Free(pdf);
        return false;
    }
    if (stats) {
        stats->embed_ms = ms_since(&t0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
    }

    HPDF_SetPageMode(pdf, lay->noutline ? HPDF_PAGE_MODE_USE_OUTLINE : HPDF_PAGE_MODE_USE_NONE);
    HPDF_Page *pages = hu_xcalloc(lay->npages ? lay->npages : 1, sizeof *pages);
    size_t nruns = 0, nglyphs = 0;
    for (size_t p = 0; p < lay->npages && !e.err; p++) {
        const hu_page *pg = hu_layout_page(lay, p);
        HPDF_Page page = pages[p] = HPDF_AddPage(pdf);
        HPDF_Page_SetWidth(page, (HPDF_REAL)lay->page_w);
        HPDF_Page_SetHeight(page, (HPDF_REAL)lay->page_h);
        if (pg->nrules) {
            HPDF_Page_SetRGBStroke(page, 0, 0, 0);
            double lw = -1;
            for (size_t r = 0; r < pg->nrules; r++) {
                const hu_rule *ru = &pg->rules[r];
                if (ru->width != lw) HPDF_Page_SetLineWidth(page, (HPDF_REAL)(lw = ru->width));
                hu_pdf_path_to(page, ru->x0, ru->y0, false);
                hu_pdf_path_to(page, ru->x1, ru->y1, true);
            }
            HPDF_Page_Stroke(page);
        }
        if (!pg->nruns) {
            if (!e.err) e.err = hu_pdf_deflate_page(fonts, page);
            continue;
        }
        HPDF_Page_SetRGBFill(page, 0, 0, 0);
        HPDF_Page_SetRGBStroke(page, 0, 0, 0);
        HPDF_Page_BeginText(page);
        int cur_face = -1;
        double cur_size = -1, cur_cs = 0, cur_lw = -1;
        bool bold = false;
        for (size_t r = 0; r < pg->nruns && !e.err; r++) {
            const hu_run *run = &pg->runs[r];
            if (!hu_pdf_fonts_font(fonts, run->face)) {
                hu_error(d, name, 0, 0, NULL, "内部错误：第 %d 页的字体 %d 未嵌入", pg->number,
                         run->face);
                break;
            }
            if (run->face != cur_face || run->size != cur_size) {
                HPDF_STATUS st = hu_pdf_fonts_select(fonts, page, run->face, run->size);
                if (st != HPDF_OK && !e.err) e.err = st;
                cur_face = run->face, cur_size = run->size;
            }
            if (run->char_space != cur_cs) {
                /* libharu rejects Tc outside [HPDF_MIN_CHARSPACE, HPDF_MAX_CHARSPACE] and then
                 * refuses to save the whole document (fuzzing F3) */
                double cs = run->char_space;
                if (cs < HPDF_MIN_CHARSPACE) cs = HPDF_MIN_CHARSPACE;
                if (cs > HPDF_MAX_CHARSPACE) cs = HPDF_MAX_CHARSPACE;
                HPDF_Page_SetCharSpace(page, (HPDF_REAL)cs);
                cur_cs = run->char_space;
            }
            /* a regular fallback face standing in for a bold one is emboldened too */
            bool want_bold = run->fake_bold || hu_fonts_face_embolden(f, run->face);
            if (want_bold != bold) {
                bold = want_bold;
                HPDF_Page_SetTextRenderingMode(page, bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
            }
            if (bold && cur_lw != 0.035 * run->size) {
                /* line width is a graphics-state operator, legal inside BT/ET */
                HPDF_Page_SetLineWidth(page, (HPDF_REAL)(cur_lw = 0.035 * run->size));
            }
            HPDF_STATUS tm = hu_pdf_text_at(page, run->x, run->y);
            if (tm != HPDF_OK && !e.err) e.err = tm;
            HPDF_STATUS st = hu_pdf_fonts_show(fonts, page, run->face, run->cps, run->cut, run->n);
            if (st != HPDF_OK && !e.err) e.err = st;
            nruns++;
            nglyphs += run->n;
        }
        if (bold) HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
        HPDF_Page_EndText(page);
        /* the page is complete: libharu keeps it until the save, deflated from now on */
        if (!e.err) e.err = hu_pdf_deflate_page(fonts, page);
    }

    hu_pdf_fonts_pages_done(fonts);
    /* outline: the title at the root, headings nested by level */
    HPDF_Outline stack[6] = {0};
    for (size_t i = 0; i < lay->noutline && !e.err; i++) {
        const hu_outline_entry *o = &lay->outline[i];
        int lv = o->level < 0 ? 0 : o->level > 4 ? 4 : o->level;
        HPDF_Outline parent = NULL;
        for (int k = lv - 1; k >= 0 && !parent; k--)
            parent = stack[k];
        /* made with an empty title, which then gets its text string in the same place */
        HPDF_Outline ol = HPDF_CreateOutline(pdf, parent, "", NULL);
        if (!ol) break;
        HPDF_STATUS ts = hu_pdf_text_string(ol, "Title", o->title);
        if (ts != HPDF_OK) {
            if (!e.err) e.err = ts;
            break;
        }
        HPDF_Outline_SetOpened(ol, HPDF_TRUE);
        if (o->page >= 0 && (size_t)o->page < lay->npages) {
            HPDF_Destination dst = HPDF_Page_CreateDestination(pages[o->page]);
            if (dst) {
                hu_pdf_dest_xyz(pages[o->page], dst, o->y);
                HPDF_Outline_SetDestination(ol, dst);
            }
        }
        stack[lv] = ol;
        for (int k = lv + 1; k < 6; k++)
            stack[k] = NULL;
    }
    free(pages);

    if (info) {
        /* each entry made in its place (libharu makes the dictionary at the first), then given
         * its text string there */
        const char *keys[] = {"Title", "Author", "Subject", "Creator"};
        const HPDF_InfoType types[] = {HPDF_INFO_TITLE, HPDF_INFO_AUTHOR, HPDF_INFO_SUBJECT,
                                       HPDF_INFO_CREATOR};
        const char *vals[] = {info->title, info->author, info->subject,
                              info->creator ? info->creator : "huibao"};
        for (int k = 0; k < 4 && !e.err; k++) {
            if (!vals[k]) continue;
            HPDF_STATUS ts = HPDF_SetInfoAttr(pdf, types[k], "");
            if (ts == HPDF_OK) ts = hu_pdf_info_text(pdf, keys[k], vals[k]);
            if (ts != HPDF_OK && !e.err) e.err = ts;
        }
        if (info->created > 0) {
            info_date(pdf, HPDF_INFO_CREATION_DATE, info->created);
            info_date(pdf, HPDF_INFO_MOD_DATE, info->created);
        }
    }
    if (stats) {
        stats->draw_ms = ms_since(&t0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        stats->runs = nruns, stats->glyphs = nglyphs, stats->pages = lay->npages;
    }
    int rc = 0;
    if (e.err) {
        hu_error(d, name, 0, 0, NULL, "生成 PDF 失败：%s（libharu 错误 0x%04X，详情 %u）",
                 hpdf_msg(e.err), (unsigned)e.err, (unsigned)e.detail);
        rc = -1;
    } else {
        /* out_path is the caller's temporary file (atomic.h): a half-written one is removed.
         * NULL (huibao check): the whole file is made in memory and dropped. The file layout
         * (object streams, cross-reference stream) is ours, not libharu's (pdf_write.c) */
        finish_ctx fc = {fonts, d};
        HPDF_STATUS sv = hu_pdf_write(pdf, out_path, stats && out_path ? stats->sha256 : NULL,
                                      fonts_finish, &fc);
        if (sv != HPDF_OK || e.err) {
            hu_error(d, name, 0, 0, NULL, "无法写入 PDF 文件：%s（libharu 错误 0x%04X）",
                     e.err ? hpdf_msg(e.err) : "写入失败", (unsigned)e.err);
            if (out_path) remove(out_path);
            rc = -1;
        }
    }
    HPDF_Free(pdf);
    hu_pdf_fonts_free(fonts);
    if (stats) {
        stats->save_ms = ms_since(&t0);
        struct stat sb;
        stats->pdf_bytes = rc == 0 && out_path && stat(out_path, &sb) == 0 ? (long)sb.st_size : 0;
    }
    return rc == 0;
}

/* ---------- the whole build ---------- */

bool hu_pdf_build(cmark_node *doc, const hu_model *model, const hu_pdf_options *opts,
                  const char *out_path, hu_diags *d) {
    hu_pdf_options defaults;
    if (!opts) {
        hu_pdf_options_default(&defaults);
        opts = &defaults;
    }
    hu_pdf_stats local = {0}, *stats = opts->stats ? opts->stats : &local;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    hu_arena a;
    hu_arena_init(&a);
    hu_style defaults_style;
    const hu_style *st = opts->style;
    if (!st) {
        hu_style_default(&defaults_style);
        st = &defaults_style;
    }
    bool ok = false;
    hu_layout *lay = NULL;
    hu_fonts *own = NULL, *f = opts->fonts;
    if (!f) {
        f = own = hu_fonts_open(NULL, d);
        if (!f) goto done;
        stats->fonts_open_ms = ms_since(&t0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
    }
    /* titles and table cells are broken between words: not without ICU; lines are broken at
     * libunibreak's opportunities; libharu writes the document (all three with dlopen, loaded
     * by now on a single build's warm-up thread): a missing one is reported before any work */
    const char *name = opts->display_path ? opts->display_path : out_path;
    if (!hu_segment_ready(name, d) || !hu_linebreak_ready(name, d) || !hu_hpdf_load(name, d))
        goto done;
    hu_fonts_reset_consulted(f); /* the font files this PDF depends on are the layout's */
    hu_metrics m = hu_metrics_from_fonts(f);
    m.use = NULL; /* hu_pdf_draw records exactly the glyphs it draws */
    size_t first_diag = d->n;
    lay = hu_layout_stream(&a, doc, st, &m, model && model->source_path ? model->source_path : name,
                           d);
    hu_model_locate_diags(model, d, first_diag);
    if (!lay) goto done;
    stats->layout_ms = ms_since(&t0);
    if (lay->missing && opts->strict)
        hu_error(d, name, 0, 0, NULL, "有 %zu 个字符没有任何字体可以显示（已画作“〓”）",
                 lay->missing);
    if (hu_diags_failed(d)) goto done;
    hu_pdf_info info = {0};
    info.title = model ? model->title : NULL;
    if (!info.title)
        for (size_t i = 0; i < lay->noutline && !info.title; i++)
            if (lay->outline[i].level == 0) info.title = lay->outline[i].title;
    info.author = model ? model->org : NULL;
    info.subject = model ? model->period.text : NULL;
    info.creator = "huibao " HU_VERSION;
    info.created = opts->now;
    info.display_path = opts->display_path;
    ok = hu_pdf_draw(lay, f, &info, opts->subset, out_path, stats, d);
    if (ok && opts->font_file) hu_fonts_consulted_files(f, opts->font_file, opts->font_file_ctx);
done:
    hu_layout_release(lay);
    hu_fonts_free(own);
    hu_arena_free(&a);
    return ok;
}
