/* fields.c - the table of input fields (see fields.h). Descriptions are what an editor shows
 * while the user types, so they say what to write, in the words of docs/input.md. */
#include "fields.h"

#include <string.h>

const hu_field hu_report_fields[] = {
    {"title", HU_F_TEXT, true, NULL, 0, 0, "标题，如“产业开发区2026年1—10月产业发展工作情况汇报”"},
    {"org", HU_F_TEXT, true, NULL, 0, 0, "发文机关（署名），如“某某区产业开发区管理委员会”"},
    {"period", HU_F_PERIOD, true, NULL, 0, 0, "统计期 YYYY-MM，如 2026-10（数据为 1—10 月累计）"},
    {"date", HU_F_DATE, false, NULL, 0, 0, "成文日期 YYYY-MM-DD，如 2026-11-05；省略时为生成当天"},
    {"to", HU_F_TEXT, false, NULL, 0, 0, "主送机关，如“区委、区政府”（自动加全角冒号）"},
    {"preamble", HU_F_TEXT, false, NULL, 0, 0,
     "开头段；以“现将有关情况汇报如下：”结尾（没有时模板自动补上）"},
    {"closing", HU_F_TEXT, false, NULL, 0, 0, "结束语，如“特此汇报。”"},
    {"template", HU_F_NAME, false, NULL, 0, 0,
     "模板名（依次在个人、本机系统、内置模板中查找）或模板文件夹的路径（含“/”或以“.”开头，"
     "相对于输入文件所在的文件夹），默认 monthly；见 docs/templates.md"},
    {"indicators", HU_F_INDICATORS, false, NULL, 0, 0,
     "主要指标：指标列表，或填有指标的工作簿文件名（如 2026-10-指标.xlsx，也可以是 .csv）"},
    {"sections", HU_F_SECTIONS, false, NULL, 0, 0,
     "正文，最多四级：一、（一）1.（1）；每一项是带 title 的部分，或一段文字"},
    {"attachments", HU_F_TEXTS, false, NULL, 0, 0, "附件说明：附件：1. ……"},
    {"$schema", HU_F_IGNORED, false, NULL, 0, 0, "编辑器使用的 JSON Schema 位置（huibao 不读）"},
    {NULL, 0, false, NULL, 0, 0, NULL},
};

const hu_field hu_indicator_fields[] = {
    {"name", HU_F_TEXT, true, NULL, 0, 0, "指标名称（同一文件内不能重复），如“技工贸总收入”"},
    {"unit", HU_F_TEXT, false, NULL, 0, 0, "单位，如 亿元、万元、个、%（% 要加引号：\"%\"）"},
    {"value", HU_F_NUMBER, true, NULL, 0, 0, "本期数（默认 1—N 月累计），只写数字，如 125.60"},
    {"last_year", HU_F_NUMBER, false, NULL, 0, 0, "上年同期数 → 同比"},
    {"last_month", HU_F_NUMBER, false, NULL, 0, 0, "上月累计数 → 当月值；省略时从往月文件取"},
    {"target", HU_F_POSITIVE, false, NULL, 0, 0, "年度目标 → 完成率、序时进度"},
    {"kind", HU_F_ENUM, false, "amount|profit|rate", 0, 0,
     "amount（数量）、profit（盈亏：利润等，负值为亏损，写“由盈转亏”“减亏”）或 rate（比率，按百分点"
     "比较）；不写时为数量，名称含“利润”“盈亏”“收益”等的按盈亏"},
    {"approx", HU_F_BOOL, false, NULL, 0, 0, "true 时写作“约……”"},
    {"decimals", HU_F_INTEGER, false, NULL, 0, 6,
     "小数位 0—6；默认 亿元 2 位，万元和个数 0 位，其余 1 位"},
    {"unchanged", HU_F_BOOL, false, NULL, 0, 0,
     "true：本期数确实与上月累计相同（不再警告“未更新”）"},
    {"note", HU_F_TEXT, false, NULL, 0, 0, "备注（进入 XLSX）"},
    {NULL, 0, false, NULL, 0, 0, NULL},
};

const hu_field hu_section_fields[] = {
    {"title", HU_F_TEXT, false, NULL, 0, 0,
     "一级：标题（必填，序号自动编排）；二至四级：引导句（与正文同段）"},
    {"text", HU_F_TEXT, false, NULL, 0, 0, "正文（Markdown）；换行不会变成空格"},
    {"points", HU_F_TEXTS, false, NULL, 0, 0, "列举，生成“一是……；二是……。”"},
    {"highlights", HU_F_TEXTS, false, NULL, 0, 0, "亮点，汇总到亮点部分并进入 XLSX"},
    {"sections", HU_F_SECTIONS, false, NULL, 0, 0, "下一级部分（最多四级）"},
    {NULL, 0, false, NULL, 0, 0, NULL},
};

const hu_field *hu_field_find(const hu_field *table, const char *key) {
    for (const hu_field *f = table; f->key; f++)
        if (!strcmp(f->key, key)) return f;
    return NULL;
}
