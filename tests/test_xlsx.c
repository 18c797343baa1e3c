/* test_xlsx.c - the workbook writer against a view model built by hand after view.h's contract.
 *
 * The sample view below is what view.c is expected to produce for a 1—10月 report: every
 * figure was computed by hand (comments on each row). The test writes xlsx_sample.xlsx and
 * xlsx_sample.json (the view plus the expected 正文 rows) into $HU_XLSX_OUT or the working
 * directory; tests/xlsxcheck.py then reads both back with openpyxl (tests/e2e_xlsx.sh).
 *
 * `test_xlsx bench N [indicators]` times N writes instead (bench/bench_xlsx.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include <cmocka.h>

#include "arena.h"
#include "buf.h"
#include "error.h"
#include "value.h"
#include "xlsx.h"

/* ---------------------------------------------------------------- view construction */

typedef struct cmp_spec {
    int has;         /* 0: no comparison */
    const char *pct; /* percent or 百分点 (also for 倍: times holds the multiple); NULL: none */
    const char *unit; /* "%", "个百分点", "倍" */
    const char *dir;
    const char *text;
} cmp_spec;

typedef struct ind_spec {
    const char *name, *unit, *kind;
    int dec;
    bool approx;
    const char *v, *ly, *mv, *tg, *note;
    cmp_spec yoy, mom;
    const char *done; /* completion pct, NULL: none */
    const char *gap;  /* schedule gap (signed, 百分点), NULL: none */
    /* trend: cumulative and month values for months 8, 9, 10 (NULL: unknown) */
    const char *cum[3], *mon[3];
} ind_spec;

/* 1—10月: 序时进度 10/12 = 83.3%. Ratios computed by hand, rounded half-up to one decimal. */
static const ind_spec SPECS[] = {
    /* 13.75/111.85 = 12.29%; 1.10/12.10 = 9.09%; 125.6/150 = 83.73% -> 83.7 - 83.3 = +0.4 */
    {"技工贸总收入",
     "亿元",
     "amount",
     2,
     true,
     "125.60",
     "111.85",
     "13.20",
     "150",
     NULL,
     {1, "12.3", "%", "up", "同比增长12.3%"},
     {1, "9.1", "%", "up", "环比增长9.1%"},
     "83.7",
     "0.4",
     {"100.30", "112.40", "125.60"},
     {"11.50", "12.10", "13.20"}},
    /* 1.72/42.38 = 4.06%; 0.20/3.85 = 5.19%; 44.1/55 = 80.18% -> 80.2 - 83.3 = -3.1 (behind) */
    {"固定资产投资",
     "亿元",
     "amount",
     2,
     true,
     "44.10",
     "42.38",
     "4.05",
     "55",
     NULL,
     {1, "4.1", "%", "up", "同比增长4.1%"},
     {1, "5.2", "%", "up", "环比增长5.2%"},
     "80.2",
     "-3.1",
     {"36.20", "40.05", "44.10"},
     {"3.90", "3.85", "4.05"}},
    /* 1640/21780 = 7.53%; -60/2440 = -2.46%; 23420/28000 = 83.64% -> +0.3 */
    {"税收收入",
     "万元",
     "amount",
     0,
     false,
     "23420",
     "21780",
     "2380",
     "28000",
     NULL,
     {1, "7.5", "%", "up", "同比增长7.5%"},
     {1, "-2.5", "%", "down", "环比下降2.5%"},
     "83.6",
     "0.3",
     {"18600", "21040", "23420"},
     {"2250", "2440", "2380"}},
    /* 43.4/35 = 124% -> 增长1.2倍; 78.4/90 = 87.11% -> +3.8 */
    {"招商引资合同金额",
     "亿元",
     "amount",
     2,
     false,
     "78.40",
     "35.00",
     NULL,
     "90",
     NULL,
     {1, "124.0", "倍", "up", "同比增长1.2倍"},
     {0, NULL, NULL, "none", ""},
     "87.1",
     "3.8",
     {"60.10", "70.20", "78.40"},
     {NULL, NULL, NULL}},
    /* -1.22/28.10 = -4.34% (decline); -0.50/2.60 = -19.23%; 26.88/36 = 74.67% -> 74.7 - 83.3 */
    {"实际到位资金",
     "亿元",
     "amount",
     2,
     false,
     "26.88",
     "28.10",
     "2.10",
     "36",
     NULL,
     {1, "-4.3", "%", "down", "同比下降4.3%"},
     {1, "-19.2", "%", "down", "环比下降19.2%"},
     "74.7",
     "-8.6",
     {"22.18", "24.78", "26.88"},
     {"2.30", "2.60", "2.10"}},
    /* zero base: no 同比; (3-3)/3 = 0 -> 持平; 24/30 = 80.0% -> -3.3 */
    {"新签约项目",
     "个",
     "amount",
     0,
     false,
     "24",
     "0",
     "3",
     "30",
     NULL,
     {0, NULL, NULL, "none", "上年同期无可比数据"},
     {1, "0.0", "%", "flat", "环比持平"},
     "80.0",
     "-3.3",
     {"18", "21", "24"},
     {"2", "3", "3"}},
    /* missing base and target */
    {"新增规模以上工业企业",
     "家",
     "amount",
     0,
     false,
     "8",
     NULL,
     NULL,
     NULL,
     NULL,
     {0, NULL, NULL, "none", "上年同期无可比数据"},
     {0, NULL, NULL, "none", ""},
     NULL,
     NULL,
     {NULL, NULL, "8"},
     {NULL, NULL, NULL}},
    /* negative base: 扭亏为盈, no percentage; -50/200 = -25.0% */
    {"利润总额",
     "万元",
     "amount",
     0,
     false,
     "1250",
     "-380",
     "150",
     NULL,
     "含园区平台公司",
     {1, NULL, NULL, "up", "同比扭亏为盈"},
     {1, "-25.0", "%", "down", "环比下降25.0%"},
     NULL,
     NULL,
     {"900", "1100", "1250"},
     {"110", "200", "150"}},
    /* -510/10760 = -4.74% */
    {"进出口总额",
     "万美元",
     "amount",
     0,
     false,
     "10250",
     "10760",
     NULL,
     NULL,
     NULL,
     {1, "-4.7", "%", "down", "同比下降4.7%"},
     {0, NULL, NULL, "none", ""},
     NULL,
     NULL,
     {"8200", "9300", "10250"},
     {NULL, NULL, NULL}},
    /* rate: 98.3 - 97.5 = +0.8 个百分点; against 1—9月 98.0: +0.3 */
    {"规模以上工业产品产销率",
     "%",
     "rate",
     1,
     false,
     "98.3",
     "97.5",
     NULL,
     NULL,
     "按规模以上工业企业口径统计",
     {1, "0.8", "个百分点", "up", "同比提高0.8个百分点"},
     {1, "0.3", "个百分点", "up", "比1—9月提高0.3个百分点"},
     NULL,
     NULL,
     {"97.9", "98.0", "98.3"},
     {NULL, NULL, NULL}},
};
#define NSPECS (sizeof SPECS / sizeof SPECS[0])

static void set_numtext(hu_arena *a, hu_value *m, const char *k, const char *t) {
    hu_v_set(a, m, k, t ? hu_v_num_text(a, strtod(t, NULL), t) : hu_v_null(a));
}

static hu_value *cmp_value(hu_arena *a, const cmp_spec *c) {
    hu_value *m = hu_v_map(a);
    bool bei = c->unit && strcmp(c->unit, "倍") == 0;
    double times = c->pct ? floor(strtod(c->pct, NULL) / 10 + 0.5) / 10 : 0; /* 124.0 -> 1.2 */
    hu_v_set_bool(a, m, "has", c->has);
    hu_v_set_bool(a, m, "has_pct", c->pct != NULL);
    set_numtext(a, m, "pct", c->pct);
    hu_v_set_str(a, m, "pct_text",
                 !c->pct ? NULL
                 : bei
                     ? hu_arena_printf(a, "%.1f倍", times)
                     : hu_arena_printf(a, "%s%s", c->pct[0] == '-' ? c->pct + 1 : c->pct, c->unit));
    hu_v_set(a, m, "times", bei ? hu_v_num(a, times) : hu_v_null(a));
    hu_v_set_str(a, m, "direction", c->dir);
    hu_v_set_str(a, m, "text", c->text);
    hu_v_set_str(a, m, "unit", c->unit);
    return m;
}

static hu_value *section(hu_arena *a, const char *ord, int level, const char *title,
                         const char *text) {
    hu_value *s = hu_v_map(a);
    hu_v_set_str(a, s, "ordinal", ord);
    hu_v_set_num(a, s, "level", level);
    hu_v_set_str(a, s, "title", title);
    hu_v_set_str(a, s, "text", text);
    hu_v_set(a, s, "points", hu_v_list(a));
    hu_v_set(a, s, "sections", hu_v_list(a));
    hu_v_set(a, s, "highlights", hu_v_list(a));
    return s;
}

static void add_point(hu_arena *a, hu_value *sec, const char *prefix, const char *text) {
    hu_value *p = hu_v_map(a);
    hu_v_set_str(a, p, "prefix", prefix);
    hu_v_set_str(a, p, "text", text);
    hu_v_push(a, hu_v_get(sec, "points"), p);
}

static hu_value *highlight(hu_arena *a, const char *sec, const char *text, const char *src,
                           const char *flag) {
    hu_value *h = hu_v_map(a);
    hu_v_set_str(a, h, "section", sec);
    hu_v_set_str(a, h, "text", text);
    hu_v_set_str(a, h, "source", src);
    hu_v_set_str(a, h, "flag", flag);
    return h;
}

static hu_value *sample_view(hu_arena *a) {
    hu_value *v = hu_v_map(a);
    hu_v_set_str(a, v, "title", "产业开发区2026年1—10月产业发展工作情况汇报");
    hu_v_set_str(a, v, "org", "某某区产业开发区管理委员会");
    hu_v_set_str(a, v, "to", "区委、区政府");
    hu_v_set_str(a, v, "preamble",
                 "今年以来，在区委、区政府的坚强领导下，产业开发区紧紧围绕产业发展目标，"
                 "扎实开展精准招商、产业培育和项目建设工作，各项工作成效明显。");
    hu_v_set_str(a, v, "closing", "特此汇报。");
    hu_v_set_str(a, v, "template", "default");
    hu_v_set_str(a, v, "source_file", "2026-10.yaml");
    hu_v_set_str(a, v, "source_sha256",
                 "9f2c1e0b7a6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b");
    hu_v_set_str(a, v, "generated_at", "2026-11-28T03:00:00Z");
    hu_v_set_str(a, v, "tool_version", "0.1.0");

    hu_value *p = hu_v_map(a);
    hu_v_set_num(a, p, "year", 2026);
    hu_v_set_num(a, p, "month", 10);
    hu_v_set_str(a, p, "text", "2026年10月");
    hu_v_set_str(a, p, "month_text", "10月份");
    hu_v_set_str(a, p, "cumulative", "1—10月");
    hu_v_set(a, p, "quarter", hu_v_null(a));
    hu_v_set(a, p, "schedule_pct", hu_v_num_text(a, 83.3, "83.3"));
    hu_v_set_str(a, p, "schedule_text", "83.3%");
    hu_v_set(a, v, "period", p);

    hu_value *inds = hu_v_list(a), *trend = hu_v_list(a);
    for (size_t i = 0; i < NSPECS; i++) {
        const ind_spec *s = &SPECS[i];
        hu_value *m = hu_v_map(a);
        hu_v_set_num(a, m, "index", (double)(i + 1));
        hu_v_set_str(a, m, "name", s->name);
        hu_v_set_str(a, m, "unit", s->unit);
        hu_v_set_str(a, m, "kind", s->kind);
        hu_v_set_bool(a, m, "approx", s->approx);
        hu_v_set_num(a, m, "decimals", s->dec);
        hu_v_set_str(a, m, "note", s->note);
        set_numtext(a, m, "value", s->v);
        hu_v_set_str(a, m, "value_text", s->v);
        set_numtext(a, m, "last_year", s->ly);
        hu_v_set_str(a, m, "last_year_text", s->ly);
        set_numtext(a, m, "month_value", s->mv);
        hu_v_set_str(a, m, "month_value_text", s->mv);
        set_numtext(a, m, "target", s->tg);
        hu_v_set_str(a, m, "target_text", s->tg);
        hu_v_set(a, m, "yoy", cmp_value(a, &s->yoy));
        hu_v_set(a, m, "mom", cmp_value(a, &s->mom));
        hu_value *c = hu_v_map(a);
        hu_v_set_bool(a, c, "has", s->done != NULL);
        set_numtext(a, c, "pct", s->done);
        hu_v_set_str(a, c, "pct_text", s->done ? hu_arena_printf(a, "%s%%", s->done) : NULL);
        hu_v_set(a, m, "completion", c);
        hu_value *g = hu_v_map(a);
        hu_v_set_bool(a, g, "has", s->gap != NULL);
        set_numtext(a, g, "gap", s->gap);
        hu_v_set_str(a, g, "direction", !s->gap ? "even" : s->gap[0] == '-' ? "behind" : "ahead");
        hu_v_set(a, m, "schedule", g);
        hu_v_set_bool(a, m, "first", i == 0);
        hu_v_set_bool(a, m, "last", i + 1 == NSPECS);
        hu_v_push(a, inds, m);

        hu_value *t = hu_v_map(a), *months = hu_v_list(a);
        hu_v_set_str(a, t, "name", s->name);
        hu_v_set_str(a, t, "unit", s->unit);
        for (int k = 0; k < 3; k++) {
            if (!s->cum[k] && !s->mon[k]) continue;
            hu_value *mm = hu_v_map(a);
            hu_v_set_num(a, mm, "month", 8 + k);
            hu_v_set_str(a, mm, "label", hu_arena_printf(a, "%d月", 8 + k));
            set_numtext(a, mm, "value", s->cum[k]);
            set_numtext(a, mm, "month_value", s->mon[k]);
            hu_v_push(a, months, mm);
        }
        hu_v_set(a, t, "months", months);
        hu_v_push(a, trend, t);
    }
    hu_v_set(a, v, "indicators", inds);
    hu_v_set_bool(a, v, "has_indicators", true);
    hu_v_set(a, v, "trend", trend);
    hu_v_set_str(a, v, "indicator_summary",
                 "1—10月，园区完成技工贸总收入约125.60亿元，同比增长12.3%；"
                 "实际到位资金26.88亿元，同比下降4.3%。");

    /* sections: Markdown text with emphasis, a soft break inside a paragraph, a list */
    hu_value *secs = hu_v_list(a);
    hu_value *s1 = section(a, "一、", 1, "主要工作情况", NULL);
    hu_value *s11 = section(a, "（一）", 2, "坚持产业定力，科学构建发展格局",
                            "按照“一张蓝图绘到底”的**发展思路**，南片区按功能分片成块布局，\n"
                            "北片区以荆江大道为界布局食品产业。\n"
                            "\n"
                            "目前，电子包装园已完成主体工程，6家企业签订入驻协议。\n");
    hu_value *s111 = section(a, "1.", 3, "严守发展底线",
                             "婉拒了达不到入园要求的3个项目：\n\n- 锂电池项目2个\n- 食品项目1个");
    hu_v_push(a, hu_v_get(s11, "sections"), s111);
    hu_value *s12 = section(a, "（二）", 2, "坚持要素保障，不断提升承载能力", NULL);
    add_point(a, s12, "一是", "加强金融服务，为12家企业争取贷款1.85亿元");
    add_point(a, s12, "二是", "强化人才服务，帮助企业招工1260人");
    hu_v_push(a, hu_v_get(s1, "sections"), s11);
    hu_v_push(a, hu_v_get(s1, "sections"), s12);
    hu_value *s2 = section(a, "二、", 1, "存在的问题", NULL);
    add_point(a, s2, "一是", "实际到位资金低于上年同期");
    add_point(a, s2, "二是", "进出口总额同比下降");
    add_point(a, s2, "三是", "单价*数量的口径调整"); /* plain text: the * stays */
    /* Markdown the PDF shows as typed (2*3, a_b, __init__, a tag-like model number), markup
     * it does not show (a comment, a code span's backticks, ~~ ~~), and a table */
    hu_value *s3 =
        section(a, "三、", 1, "下一步工作打算",
                "对照年度目标逐项盘点，确保全年目标任务完成。\n\n"
                "规格2*3米的a_b与__init__，型号<ABC-1><!-- 注 -->，`代码`，原定~~三季度~~年底完成。"
                "\n\n| 项目 | 数量 |\n|---|---:|\n| 厂房 | 2 |\n\n~~整段删去的计划。~~\n");
    hu_v_push(a, secs, s1);
    hu_v_push(a, secs, s2);
    hu_v_push(a, secs, s3);
    hu_v_set(a, v, "sections", secs);

    hu_value *hl = hu_v_list(a);
    hu_v_push(a, hl,
              highlight(a, "（一）坚持产业定力，科学构建发展格局",
                        "电子包装园主体工程完工，6家企业签订入驻协议", "section", NULL));
    hu_v_push(a, hl,
              highlight(a, "（二）坚持要素保障，不断提升承载能力", "为12家企业争取贷款1.85亿元",
                        "section", NULL));
    hu_v_push(
        a, hl,
        highlight(a, "主要指标", "技工贸总收入同比增长12.3%，超序时进度0.4个百分点", "auto", NULL));
    hu_v_push(a, hl,
              highlight(a, "主要指标", "实际到位资金同比下降4.3%，低于序时进度8.6个百分点", "auto",
                        "需关注"));
    hu_v_set(a, v, "highlights", hl);
    hu_value *att = hu_v_list(a), *at = hu_v_map(a);
    hu_v_set_num(a, at, "index", 1);
    hu_v_set_str(a, at, "name", "2026年1—10月主要经济指标完成情况表");
    hu_v_push(a, att, at);
    hu_v_set(a, v, "attachments", att);
    hu_v_set_bool(a, v, "has_attachments", true);
    return v;
}

/* What 正文 must hold for sample_view: path, kind, plain text. */
static const char *const BODY[][3] = {
    {"（导语）", "正文",
     "今年以来，在区委、区政府的坚强领导下，产业开发区紧紧围绕产业发展目标，扎实开展精准招商、"
     "产业培育和项目建设工作，各项工作成效明显。"},
    {"（主要指标）", "正文",
     "1—10月，园区完成技工贸总收入约125.60亿元，同比增长12.3%；实际到位资金26.88亿元，同比下降"
     "4.3%。"},
    {"一、主要工作情况", "标题", "一、主要工作情况"},
    {"一、主要工作情况 / （一）坚持产业定力，科学构建发展格局", "标题",
     "（一）坚持产业定力，科学构建发展格局"},
    {"一、主要工作情况 / （一）坚持产业定力，科学构建发展格局", "正文",
     "按照“一张蓝图绘到底”的发展思路，南片区按功能分片成块布局，北片区以荆江大道为界布局食品产业"
     "。"},
    {"一、主要工作情况 / （一）坚持产业定力，科学构建发展格局", "正文",
     "目前，电子包装园已完成主体工程，6家企业签订入驻协议。"},
    {"一、主要工作情况 / （一）坚持产业定力，科学构建发展格局 / 1.严守发展底线", "标题",
     "1.严守发展底线"},
    {"一、主要工作情况 / （一）坚持产业定力，科学构建发展格局 / 1.严守发展底线", "正文",
     "婉拒了达不到入园要求的3个项目："},
    {"一、主要工作情况 / （一）坚持产业定力，科学构建发展格局 / 1.严守发展底线", "正文",
     "锂电池项目2个"},
    {"一、主要工作情况 / （一）坚持产业定力，科学构建发展格局 / 1.严守发展底线", "正文",
     "食品项目1个"},
    {"一、主要工作情况 / （二）坚持要素保障，不断提升承载能力", "标题",
     "（二）坚持要素保障，不断提升承载能力"},
    {"一、主要工作情况 / （二）坚持要素保障，不断提升承载能力", "要点",
     "一是加强金融服务，为12家企业争取贷款1.85亿元"},
    {"一、主要工作情况 / （二）坚持要素保障，不断提升承载能力", "要点",
     "二是强化人才服务，帮助企业招工1260人"},
    {"二、存在的问题", "标题", "二、存在的问题"},
    {"二、存在的问题", "要点", "一是实际到位资金低于上年同期"},
    {"二、存在的问题", "要点", "二是进出口总额同比下降"},
    {"二、存在的问题", "要点", "三是单价*数量的口径调整"},
    {"三、下一步工作打算", "标题", "三、下一步工作打算"},
    {"三、下一步工作打算", "正文", "对照年度目标逐项盘点，确保全年目标任务完成。"},
    {"三、下一步工作打算", "正文",
     "规格2*3米的a_b与__init__，型号<ABC-1>，代码，原定三季度年底完成。"},
    {"三、下一步工作打算", "正文", "项目 | 数量"},
    {"三、下一步工作打算", "正文", "厂房 | 2"},
    {"三、下一步工作打算", "正文", "整段删去的计划。"},
    {"（结束语）", "正文", "特此汇报。"},
    {"（附件）", "附件", "1. 2026年1—10月主要经济指标完成情况表"},
};

/* ---------------------------------------------------------------- JSON dump */

static void json_str(hu_buf *b, const char *s) {
    hu_buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            hu_buf_putc(b, '\\');
            hu_buf_putc(b, (char)c);
        } else if (c == '\n') {
            hu_buf_puts(b, "\\n");
        } else if (c < 0x20) {
            hu_buf_printf(b, "\\u%04x", c);
        } else {
            hu_buf_putc(b, (char)c);
        }
    }
    hu_buf_putc(b, '"');
}

static void json_value(hu_buf *b, const hu_value *v) {
    switch (v->kind) {
    case HU_V_NULL:
        hu_buf_puts(b, "null");
        break;
    case HU_V_BOOL:
        hu_buf_puts(b, v->b ? "true" : "false");
        break;
    case HU_V_NUM:
        hu_buf_printf(b, "%.17g", v->num);
        break;
    case HU_V_STR:
        json_str(b, v->str);
        break;
    case HU_V_LIST:
        hu_buf_putc(b, '[');
        for (size_t i = 0; i < v->n; i++) {
            if (i) hu_buf_putc(b, ',');
            json_value(b, v->items[i]);
        }
        hu_buf_putc(b, ']');
        break;
    case HU_V_MAP:
        hu_buf_putc(b, '{');
        for (size_t i = 0; i < v->n; i++) {
            if (i) hu_buf_putc(b, ',');
            json_str(b, v->keys[i]);
            hu_buf_putc(b, ':');
            json_value(b, v->items[i]);
        }
        hu_buf_putc(b, '}');
        break;
    }
}

/* ---------------------------------------------------------------- helpers */

static const char *out_path(char *buf, size_t n, const char *name) {
    const char *dir = getenv("HU_XLSX_OUT");
    snprintf(buf, n, "%s/%s", dir && *dir ? dir : ".", name);
    return buf;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    hu_buf b = HU_BUF_INIT;
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        hu_buf_put(&b, tmp, k);
    fclose(f);
    *len = b.len;
    return hu_buf_detach(&b);
}

static hu_xlsx_options fixed_options(void) {
    hu_xlsx_options o = {.now = 1795834800LL, /* 2026-11-28T03:00:00Z */
                         .now_from_env = true,
                         .source_name = "2026-10.yaml",
                         .source_sha256 = NULL,
                         .template_name = NULL};
    return o;
}

/* ---------------------------------------------------------------- tests */

static void test_write_sample(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_value *v = sample_view(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_xlsx_options o = fixed_options();
    char path[1024];
    int rc = hu_xlsx_write(v, out_path(path, sizeof path, "xlsx_sample.xlsx"), &o, &d);
    if (d.n) hu_diags_print(stderr, &d);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);

    /* the view and what 正文 must hold, for xlsxcheck.py */
    hu_buf b = HU_BUF_INIT;
    hu_buf_puts(&b, "{\"view\":");
    json_value(&b, v);
    hu_buf_printf(&b, ",\"created\":%lld,\"body\":[", o.now);
    for (size_t i = 0; i < sizeof BODY / sizeof BODY[0]; i++) {
        hu_buf_puts(&b, i ? ",[" : "[");
        for (int k = 0; k < 3; k++) {
            if (k) hu_buf_putc(&b, ',');
            json_str(&b, BODY[i][k]);
        }
        hu_buf_putc(&b, ']');
    }
    hu_buf_puts(&b, "]}\n");
    FILE *f = fopen(out_path(path, sizeof path, "xlsx_sample.json"), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
    fclose(f);
    hu_buf_free(&b);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* Same view, same SOURCE_DATE_EPOCH: identical bytes. */
static void test_reproducible(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_value *v = sample_view(&a);
    hu_diags d = HU_DIAGS_INIT;
    hu_xlsx_options o = fixed_options();
    char p1[1024], p2[1024];
    out_path(p1, sizeof p1, "xlsx_repro1.xlsx");
    out_path(p2, sizeof p2, "xlsx_repro2.xlsx");
    assert_int_equal(hu_xlsx_write(v, p1, &o, &d), 0);
    assert_int_equal(hu_xlsx_write(v, p2, &o, &d), 0);
    size_t n1, n2;
    char *b1 = slurp(p1, &n1), *b2 = slurp(p2, &n2);
    assert_non_null(b1);
    assert_non_null(b2);
    assert_true(n1 > 5000);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    free(b1);
    free(b2);
    remove(p1);
    remove(p2);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

static void test_errors(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    /* no view */
    assert_int_not_equal(hu_xlsx_write(NULL, "x.xlsx", NULL, &d), 0);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.v[0].msg, "视图"));
    /* a view that is not a map */
    assert_int_not_equal(hu_xlsx_write(hu_v_list(&a), "x.xlsx", NULL, &d), 0);
    assert_int_equal(d.errors, 2);
    /* an unwritable place: reported in Chinese, nothing printed, nonzero */
    hu_value *v = sample_view(&a);
    assert_int_not_equal(hu_xlsx_write(v, "/nonexistent-dir/x/out.xlsx", NULL, &d), 0);
    assert_int_equal(d.errors, 3);
    assert_non_null(strstr(d.v[2].msg, "无法创建文件"));
    assert_string_equal(d.v[2].file, "/nonexistent-dir/x/out.xlsx");
    /* no path */
    assert_int_not_equal(hu_xlsx_write(v, "", NULL, &d), 0);
    assert_int_equal(d.errors, 4);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* An empty view (no period, indicators, sections): a valid workbook with headers only. */
static void test_minimal(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    char path[1024];
    assert_int_equal(
        hu_xlsx_write(hu_v_map(&a), out_path(path, sizeof path, "xlsx_empty.xlsx"), NULL, &d), 0);
    assert_int_equal(d.n, 0);
    size_t n;
    char *b = slurp(path, &n);
    assert_non_null(b);
    assert_memory_equal(b, "PK", 2);
    free(b);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* Control characters, a huge paragraph, a 16-digit number and odd kinds do not break the
 * file or the writer; nor do header codes in the title (libxlsxwriter freed the header it
 * kept on "&G": F8). */
static void test_hostile(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_value *v = sample_view(&a);
    hu_v_set_str(&a, v, "title", "标题\x01含控制字符&&符号R&G与&[Picture]");
    hu_buf big = HU_BUF_INIT;
    for (int i = 0; i < 20000; i++)
        hu_buf_puts(&big, "长");
    hu_v_set_str(&a, v, "closing", hu_buf_cstr(&big)); /* 60000 bytes > one cell */
    hu_buf_free(&big);
    hu_value *ind = hu_v_get(v, "indicators")->items[0];
    /* an indicator with figures and a trend, named like a reference: its chart titles must
     * stay text */
    hu_v_set_str(&a, hu_v_get(v, "indicators")->items[1], "name", "=收入!A1");
    hu_v_set_str(&a, hu_v_get(v, "trend")->items[0], "name", "=收入!A1");
    hu_v_set_num(&a, ind, "decimals", 40);
    hu_v_set(&a, ind, "value", hu_v_str(&a, "not a number"));
    hu_v_set(&a, v, "sections", hu_v_str(&a, "not a list"));
    hu_diags d = HU_DIAGS_INIT;
    char path[1024];
    assert_int_equal(hu_xlsx_write(v, out_path(path, sizeof path, "xlsx_hostile.xlsx"), NULL, &d),
                     0);
    assert_int_equal(d.errors, 0);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* ---------------------------------------------------------------- bench */

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A view with `n` indicators (the sample's, repeated under new names) and 12 months. */
static hu_value *big_view(hu_arena *a, int n) {
    hu_value *v = sample_view(a);
    hu_value *inds = hu_v_get(v, "indicators"), *trend = hu_v_get(v, "trend");
    hu_value *ni = hu_v_list(a), *nt = hu_v_list(a);
    for (int i = 0; i < n; i++) {
        hu_value *src = inds->items[(size_t)i % inds->n], *m = hu_v_map(a);
        for (size_t k = 0; k < src->n; k++)
            hu_v_set(a, m, src->keys[k], src->items[k]);
        const char *name = hu_arena_printf(a, "%s%d", hu_v_get(src, "name")->str, i + 1);
        hu_v_set_str(a, m, "name", name);
        hu_v_set_num(a, m, "index", i + 1);
        hu_v_push(a, ni, m);
        hu_value *t = hu_v_map(a), *ms = hu_v_list(a);
        hu_v_set_str(a, t, "name", name);
        hu_v_set(a, t, "unit", hu_v_get(trend->items[(size_t)i % trend->n], "unit"));
        for (int mo = 1; mo <= 12; mo++) {
            hu_value *mm = hu_v_map(a);
            hu_v_set_num(a, mm, "month", mo);
            hu_v_set_str(a, mm, "label", hu_arena_printf(a, "%d月", mo));
            hu_v_set_num(a, mm, "value", 10.0 * mo + i);
            hu_v_set_num(a, mm, "month_value", 10.0 + (i + mo) % 7);
            hu_v_push(a, ms, mm);
        }
        hu_v_set(a, t, "months", ms);
        hu_v_push(a, nt, t);
    }
    hu_v_set(a, v, "indicators", ni);
    hu_v_set(a, v, "trend", nt);
    hu_v_set_num(a, hu_v_get(v, "period"), "month", 12);
    return v;
}

static int bench(int runs, int n) {
    hu_arena a;
    hu_arena_init(&a);
    hu_value *v = n > 0 ? big_view(&a, n) : sample_view(&a);
    hu_xlsx_options o = fixed_options();
    char path[1024];
    out_path(path, sizeof path, "xlsx_bench.xlsx");
    double best = 1e9, total = 0;
    for (int i = 0; i < runs; i++) {
        hu_diags d = HU_DIAGS_INIT;
        double t0 = now_s();
        int rc = hu_xlsx_write(v, path, &o, &d);
        double dt = now_s() - t0;
        hu_diags_free(&d);
        if (rc) {
            fprintf(stderr, "bench: write failed\n");
            hu_arena_free(&a);
            return 1;
        }
        total += dt;
        if (dt < best) best = dt;
    }
    size_t len = 0;
    free(slurp(path, &len));
    printf("xlsx %s: %d runs, mean %.2f ms, best %.2f ms, %zu bytes\n",
           n > 0 ? hu_arena_printf(&a, "%d indicators x 12 months", n) : "sample (10 indicators)",
           runs, total / runs * 1000, best * 1000, len);
    remove(path);
    hu_arena_free(&a);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "bench") == 0)
        return bench(atoi(argv[2]) > 0 ? atoi(argv[2]) : 1, argc >= 4 ? atoi(argv[3]) : 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_sample), cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_errors),       cmocka_unit_test(test_minimal),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
