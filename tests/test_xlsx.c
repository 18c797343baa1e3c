/* test_xlsx.c - the workbook writer, from the model of a real month (three YAML files: the
 * month and two earlier ones for the trend).
 *
 * The test writes xlsx_sample.xlsx and xlsx_sample.json (the template context generated from
 * the same model, plus the expected 正文 rows written out by hand) into $HU_XLSX_OUT or the
 * working directory; tests/xlsxcheck.py then reads both back with openpyxl (tests/e2e_xlsx.sh)
 * and checks every cell, formula, cached result and chart against it.
 *
 * `test_xlsx bench N [indicators]` times N writes instead (bench/bench_xlsx.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "arena.h"
#include "buf.h"
#include "error.h"
#include "history.h"
#include "input.h"
#include "model.h"
#include "value.h"
#include "view.h"
#include "xlsx.h"

/* ---------------------------------------------------------------- the month */

/* 1—10月, 序时进度 83.3%. August and September give the trend and 环比. */
static const char AUG[] =
    "title: 8月汇报\norg: 某某区产业开发区管理委员会\nperiod: 2026-08\n"
    "indicators:\n"
    "  - {name: 技工贸总收入, unit: 亿元, value: 100.30, last_month: 88.80}\n"
    "  - {name: 固定资产投资, unit: 亿元, value: 36.20, last_month: 32.30}\n"
    "  - {name: 税收收入, unit: 万元, value: 18600, last_month: 16350}\n"
    "  - {name: 招商引资合同金额, unit: 亿元, value: 60.10}\n"
    "  - {name: 实际到位资金, unit: 亿元, value: 22.18, last_month: 19.88}\n"
    "  - {name: 规模以上工业产品产销率, unit: '%', kind: rate, value: 97.9}\n";
static const char SEP[] =
    "title: 9月汇报\norg: 某某区产业开发区管理委员会\nperiod: 2026-09\n"
    "indicators:\n"
    "  - {name: 技工贸总收入, unit: 亿元, value: 112.40}\n"
    "  - {name: 固定资产投资, unit: 亿元, value: 40.05}\n"
    "  - {name: 税收收入, unit: 万元, value: 21040}\n"
    "  - {name: 招商引资合同金额, unit: 亿元, value: 70.20}\n"
    "  - {name: 实际到位资金, unit: 亿元, value: 24.78}\n"
    "  - {name: 规模以上工业产品产销率, unit: '%', kind: rate, value: 98.1}\n";
/* 13.75/111.85 = 12.29%, 13.20/12.10 = +9.1%, 125.6/150 = 83.7% (+0.4); 1.72/42.38 = 4.06%,
 * 4.05/3.85 = +5.2%, 44.1/55 = 80.2% (-3.1); 1640/21780 = 7.53%, 2380/2440 = -2.5%,
 * 23420/28000 = 83.6% (+0.3); 43.4/35 = +124.0% (1.2倍), 8.20/10.10 = -18.8%, 78.4/90 = 87.1%
 * (+3.8); -1.22/28.10 = -4.34%, 2.10/2.60 = -19.2%, 26.88/36 = 74.7% (-8.6); 新签约项目: zero
 * base, no 同比; 利润: -0.50 against -1.20, 减亏0.70; 产销率: +0.8 个百分点, 比1—9月提高0.2 */
static const char OCT[] =
    "title: 产业开发区2026年1—10月产业发展工作情况汇报\n"
    "org: 某某区产业开发区管理委员会\n"
    "period: 2026-10\n"
    "date: 2026-11-05\n"
    "to: 区委、区政府\n"
    "preamble: 今年以来，在区委、区政府的坚强领导下，产业开发区紧紧围绕产业发展目标，"
    "扎实开展精准招商、产业培育和项目建设工作，各项工作成效明显。\n"
    "closing: 特此汇报。\n"
    "indicators:\n"
    "  - {name: 技工贸总收入, unit: 亿元, value: 125.60, last_year: 111.85, target: 150, "
    "approx: true}\n"
    "  - {name: 固定资产投资, unit: 亿元, value: 44.10, last_year: 42.38, target: 55, approx: "
    "true}\n"
    "  - {name: 税收收入, unit: 万元, value: 23420, last_year: 21780, target: 28000}\n"
    "  - {name: 招商引资合同金额, unit: 亿元, value: 78.40, last_year: 35.00, target: 90}\n"
    "  - {name: 实际到位资金, unit: 亿元, value: 26.88, last_year: 28.10, target: 36}\n"
    "  - {name: 新签约项目, unit: 个, value: 24, last_year: 0, target: 30}\n"
    "  - {name: 利润总额, unit: 亿元, value: -0.50, last_year: -1.20, note: 含两家新投产企业}\n"
    "  - {name: 规模以上工业产品产销率, unit: '%', kind: rate, value: 98.3, last_year: 97.5}\n"
    "sections:\n"
    "  - title: 主要工作情况\n"
    "    sections:\n"
    "      - title: 坚持产业定力，科学构建发展格局\n"
    "        text: |\n"
    "          按照“一张蓝图绘到底”的**发展思路**，南片区按功能分片成块布局，\n"
    "          北片区以荆江大道为界布局食品产业。\n"
    "\n"
    "          目前，电子包装园已完成主体工程，6家企业签订入驻协议。\n"
    "        highlights: [电子包装园主体工程完工，6家企业签订入驻协议]\n"
    "        sections:\n"
    "          - title: 严守发展底线\n"
    "            text: |\n"
    "              婉拒了达不到入园要求的3个项目：\n"
    "\n"
    "              - 锂电池项目2个\n"
    "              - 食品项目1个\n"
    "      - title: 坚持要素保障，不断提升承载能力\n"
    "        points: [加强金融服务，为12家企业争取贷款1.85亿元, 强化人才服务，帮助企业招工1260人]\n"
    "        highlights: [为12家企业争取贷款1.85亿元]\n"
    "  - title: 存在的问题\n"
    "    points: [实际到位资金低于上年同期, 进出口总额同比下降, 单价*数量的口径调整]\n"
    "  - title: 下一步工作打算\n"
    "    text: |\n"
    "      对照年度目标逐项盘点，确保全年目标任务完成。\n"
    "\n"
    "      规格2*3米的a_b与__init__，型号<ABC-1><!-- 注 -->，`代码`，原定~~三季度~~年底完成。\n"
    "\n"
    "      | 项目 | 数量 |\n"
    "      |---|---:|\n"
    "      | 厂房 | 2 |\n"
    "\n"
    "      ~~整段删去的计划。~~\n"
    "attachments: [2026年1—10月主要经济指标完成情况表]\n";

/* What 正文 must hold: path, kind, plain text. */
static const char *const BODY[][3] = {
    {"（导语）", "正文",
     "今年以来，在区委、区政府的坚强领导下，产业开发区紧紧围绕产业发展目标，扎实开展精准招商、"
     "产业培育和项目建设工作，各项工作成效明显。现将有关情况汇报如下："},
    {"（主要指标）", "正文", NULL /* the model's indicator_summary, checked in test_summary */},
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
    {"（附件）", "附件", "附件：2026年1—10月主要经济指标完成情况表"},
};

static const char SUMMARY[] =
    "1—10月，完成技工贸总收入约125.60亿元，同比增长12.3%，完成年度目标的83.7%，超序时进度0.4个"
    "百分点；完成固定资产投资约44.10亿元，同比增长4.1%，完成年度目标的80.2%，低于序时进度3.1个"
    "百分点；完成税收收入23420万元，同比增长7.5%，完成年度目标的83.6%，超序时进度0.3个百分点；"
    "完成招商引资合同金额78.40亿元，同比增长1.2倍，完成年度目标的87.1%，超序时进度3.8个百分点；"
    "完成实际到位资金26.88亿元，同比下降4.3%，完成年度目标的74.7%，低于序时进度8.6个百分点；"
    "新签约项目24个，完成年度目标的80.0%，低于序时进度3.3个百分点；利润总额亏损0.50亿元，同比"
    "减亏0.70亿元；规模以上工业产品产销率为98.3%，同比提高0.8个百分点。";

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

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
}

/* The model of OCT (yaml: NULL) or of another month text, with AUG and SEP beside it. */
static hu_model *model_of(hu_arena *a, const char *yaml) {
    char dir[1024], path[1100];
    out_path(dir, sizeof dir, "xlsx_in");
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/2026-08.yaml", dir);
    write_file(path, AUG);
    snprintf(path, sizeof path, "%s/2026-09.yaml", dir);
    write_file(path, SEP);
    snprintf(path, sizeof path, "%s/2026-10.yaml", dir);
    write_file(path, yaml ? yaml : OCT);
    hu_diags d = HU_DIAGS_INIT;
    hu_report *r = hu_input_load(a, path, &d);
    if (!r) hu_diags_print(stderr, &d);
    assert_non_null(r);
    hu_history *h = hu_history_load(a, r, NULL, NULL, &d);
    hu_model_settings s;
    hu_model_settings_default(&s);
    s.now = 1795834800LL; /* 2026-11-28T03:00:00Z */
    hu_model *m = hu_model_build(a, r, h, &s, NULL, "monthly");
    hu_diags_free(&d);
    return m;
}

static hu_xlsx_options fixed_options(void) {
    hu_xlsx_options o = {.now = 1795834800LL, .now_from_env = true, .display_path = NULL};
    return o;
}

/* ---------------------------------------------------------------- tests */

static void test_summary(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_model *m = model_of(&a, NULL);
    assert_string_equal(m->indicator_summary, SUMMARY);
    assert_int_equal(m->nindicators, 8);
    assert_int_equal(m->indicators[0].known_months, 4); /* 7月 from August's last_month */
    assert_string_equal(m->indicators[0].mom.text, "环比增长9.1%");
    assert_string_equal(m->indicators[3].mom.text, "环比下降18.8%");
    assert_string_equal(m->indicators[7].mom.text, "比1—9月提高0.2个百分点");
    hu_arena_free(&a);
}

static void test_write_sample(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_model *m = model_of(&a, NULL);
    hu_diags d = HU_DIAGS_INIT;
    hu_xlsx_options o = fixed_options();
    char path[1024];
    int rc = hu_xlsx_write(m, out_path(path, sizeof path, "xlsx_sample.xlsx"), &o, &d) ? 0 : 1;
    if (d.n) hu_diags_print(stderr, &d);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);

    /* the context generated from the same model and what 正文 must hold, for xlsxcheck.py */
    hu_buf b = HU_BUF_INIT;
    hu_buf_puts(&b, "{\"view\":");
    json_value(&b, hu_view_build(&a, m));
    hu_buf_printf(&b, ",\"created\":%lld,\"body\":[", o.now);
    for (size_t i = 0; i < sizeof BODY / sizeof BODY[0]; i++) {
        hu_buf_puts(&b, i ? ",[" : "[");
        for (int k = 0; k < 3; k++) {
            if (k) hu_buf_putc(&b, ',');
            json_str(&b, BODY[i][k] ? BODY[i][k] : SUMMARY);
        }
        hu_buf_putc(&b, ']');
    }
    hu_buf_puts(&b, "]}\n");
    write_file(out_path(path, sizeof path, "xlsx_sample.json"), hu_buf_cstr(&b));
    hu_buf_free(&b);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* Same model, same SOURCE_DATE_EPOCH: identical bytes. */
static void test_reproducible(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_model *m = model_of(&a, NULL);
    hu_diags d = HU_DIAGS_INIT;
    hu_xlsx_options o = fixed_options();
    char p1[1024], p2[1024];
    out_path(p1, sizeof p1, "xlsx_repro1.xlsx");
    out_path(p2, sizeof p2, "xlsx_repro2.xlsx");
    assert_true(hu_xlsx_write(m, p1, &o, &d));
    assert_true(hu_xlsx_write(m, p2, &o, &d));
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
    /* no model */
    assert_false(hu_xlsx_write(NULL, "x.xlsx", NULL, &d));
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.v[0].msg, "模型"));
    /* an unwritable place: reported in Chinese, nothing printed, nonzero */
    hu_model *m = model_of(&a, NULL);
    assert_false(hu_xlsx_write(m, "/nonexistent-dir/x/out.xlsx", NULL, &d));
    assert_int_equal(d.errors, 2);
    assert_non_null(strstr(d.v[1].msg, "无法创建文件"));
    assert_string_equal(d.v[1].file, "/nonexistent-dir/x/out.xlsx");
    /* no path */
    assert_false(hu_xlsx_write(m, "", NULL, &d));
    assert_int_equal(d.errors, 3);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* A month with nothing but its title: a valid workbook with headers only. */
static void test_minimal(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_diags d = HU_DIAGS_INIT;
    char path[1024];
    hu_model *m = model_of(&a, "title: 空\norg: 某某区产业开发区管理委员会\nperiod: 2026-10\n");
    assert_true(hu_xlsx_write(m, out_path(path, sizeof path, "xlsx_empty.xlsx"), NULL, &d));
    assert_int_equal(d.n, 0);
    size_t n;
    char *b = slurp(path, &n);
    assert_non_null(b);
    assert_memory_equal(b, "PK", 2);
    free(b);
    hu_diags_free(&d);
    hu_arena_free(&a);
}

/* Control characters, a huge paragraph and header codes in the title do not break the file or
 * the writer (libxlsxwriter freed the header it kept on "&G": F8); nor does an indicator named
 * like a reference (its chart titles must stay text). */
static void test_hostile(void **state) {
    (void)state;
    hu_arena a;
    hu_arena_init(&a);
    hu_model *m = model_of(&a, NULL);
    m->title = "标题\x01含控制字符&&符号R&G与&[Picture]";
    hu_buf big = HU_BUF_INIT;
    for (int i = 0; i < 20000; i++)
        hu_buf_puts(&big, "长");
    m->closing_text = hu_arena_strdup(&a, hu_buf_cstr(&big)); /* 60000 bytes > one cell */
    hu_buf_free(&big);
    m->indicators[0].name = "=收入!A1";
    hu_diags d = HU_DIAGS_INIT;
    char path[1024];
    assert_true(hu_xlsx_write(m, out_path(path, sizeof path, "xlsx_hostile.xlsx"), NULL, &d));
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

/* A month with `n` indicators (12 months of history given as last_month only). */
static hu_model *big_model(hu_arena *a, int n) {
    hu_buf y = HU_BUF_INIT;
    hu_buf_puts(&y,
                "title: 压力测试\norg: 某某区产业开发区管理委员会\nperiod: 2026-12\nindicators:\n");
    for (int i = 0; i < n; i++)
        hu_buf_printf(&y,
                      "  - {name: 指标%d, unit: 亿元, value: %d.25, last_year: %d.5, last_month: "
                      "%d.75, target: %d}\n",
                      i + 1, 100 + i, 90 + i, 92 + i, 120 + i);
    hu_model *m = model_of(a, hu_arena_strdup(a, hu_buf_cstr(&y)));
    hu_buf_free(&y);
    return m;
}

static int bench(int runs, int n) {
    hu_arena a;
    hu_arena_init(&a);
    hu_model *m = n > 0 ? big_model(&a, n) : model_of(&a, NULL);
    hu_xlsx_options o = fixed_options();
    char path[1024];
    out_path(path, sizeof path, "xlsx_bench.xlsx");
    double best = 1e9, total = 0;
    for (int i = 0; i < runs; i++) {
        hu_diags d = HU_DIAGS_INIT;
        double t0 = now_s();
        int rc = hu_xlsx_write(m, path, &o, &d) ? 0 : 1;
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
           n > 0 ? hu_arena_printf(&a, "%d indicators, 1—12月", n) : "sample (8 indicators)", runs,
           total / runs * 1000, best * 1000, len);
    remove(path);
    hu_arena_free(&a);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "bench") == 0)
        return bench(atoi(argv[2]) > 0 ? atoi(argv[2]) : 1, argc >= 4 ? atoi(argv[3]) : 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary),      cmocka_unit_test(test_write_sample),
        cmocka_unit_test(test_reproducible), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_minimal),      cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
