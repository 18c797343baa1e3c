/* view.h - the template context: the report model (model.h) as one hu_value tree for the
 * Mustache templates. Every figure appears raw and formatted, as the model decided it.
 * docs/templates.md documents every field with the sample's value beside it.
 *
 * CONTRACT (field names are stable; consumer: templates/):
 *
 *   title, org, to, preamble, closing, template         strings (to/preamble/closing may be null)
 *   source_file, source_sha256                           input file name (basename) and its SHA-256
 *   period: { year, month (numbers), text "2026年10月", month_text "10月份",
 *             cumulative "1—10月", quarter "三季度" or null (only for months 3/6/9/12),
 *             schedule_pct 83.3 (序时进度, number), schedule_text "83.3%" }
 *   date:   { year, month, day, text "2026年11月5日" }  (成文日期; defaults to generation date)
 *   generated_at: "2026-11-28T03:00:00Z" (SOURCE_DATE_EPOCH when set), generated_text
 *   "2026年11月28日 11:00（北京时间）"
 *   tool_version: "0.1.0"
 *   settings: { bei (bool: 倍 form for >=100%), clean_punct (bool), max_auto_highlights (number) }
 *   indicators: [ {
 *       index (1-based), name, unit, kind "amount"|"rate", approx (bool), decimals, note,
 *       value (number), value_text "125.60" (decimals applied), value_phrase "约125.60亿元",
 *       last_year, last_year_text, diff (value-last_year), diff_text,
 *       yoy: { has (bool), pct (number, one decimal; or 百分点 for rate), pct_text "12.3%",
 *              direction "up"|"down"|"flat"|"none", text "同比增长12.3%" (or 提高…个百分点,
 *              增长1.3倍, 与上年同期持平, 上年同期无可比数据, 扭亏为盈 …), unit "%"|"个百分点"|"倍"
 * }, month_value, month_value_text (当月值; null when unknown), mom: { has, pct, pct_text,
 * direction, text "环比增长3.2%" }, target, target_text, completion: { has, pct, pct_text "87.3%",
 * text "完成年度目标的87.3%" }, schedule: { has, gap (completion - 序时进度, 百分点), gap_text
 * "4.0", direction "ahead"|"behind"|"even", text "超序时进度4.0个百分点" }, sentence
 * "完成技工贸总收入约125.60亿元，同比增长12.3%" (one clause for the summary), first, last (bool) }
 * ] indicator_summary: "1—10月，园区完成……；……。" (the opening paragraph of figures) has_indicators
 * (bool) sections: [ {                               level-1 sections, in input order ordinal
 * "一、", index, level 1, title "主要工作情况", text (Markdown), path "一、", is_work / is_problems
 * / is_plans (bool, from the title), first, last, points: [ { prefix "一是", text, first, last } ],
 * points_text "一是……；二是……。", highlights: [ {text} ], sections: [ { ordinal "（一）", level 2,
 * title (lead sentence), text, points…, sections: [ { ordinal "1.", level 3 … sections: [ { ordinal
 * "（1）" } ] } ] } ] } ] highlights: [ { section "（一）坚持产业定力…", text, source
 * "section"|"auto", flag "需关注"|null } ] auto_highlights: same shape, source "auto" only
 *   attachments: [ { index, name } ], has_attachments
 *   trend: [ { name, unit, months: [ { month, label "1月", value, month_value } ] } ]
 *
 * ADDITIONS (docs/templates.md documents each with the sample's value):
 *   to_line "区委、区政府：", preamble_text (ends 现将有关情况汇报如下：), closing_text
 * (特此汇报。) period: cumulative_text "1—10月份", year_cumulative, last_cumulative "1—9月",
 *           quarter_cumulative "前三季度"; date: iso, default (bool: generation date used)
 *   indicators[]: last_month, last_month_text, last_month_source "input"|"history"|null,
 *       month_value_phrase, month_sentence, schedule.short "+0.4";
 *       yoy/mom: has_pct, form "percent"|"bei"|"points"|"loss"|"flat"|"none", short (table
 *       cell), times (倍), change_text (loss wordings)
 *   indicator_table: { columns: [ { title, align "---"|"---:" } ], rows: [ { cells: [ {text} ] } ]
 * } trend[]: kind, known; months[]: value_text, month_value_text, source (file) sections[]: lead
 * (title without end punctuation), heading, tag, plain, has_text, has_points, has_body,
 * has_highlights, has_sections, show_indicators, show_highlights, level1..level4; points[]: index,
 * punct, full highlights[]: kind "section"|"fastest"|"ahead"|"decline"|"behind", indicator;
 *   highlight_points / highlights_text, concerns / concerns_text, has_highlight_points,
 *   has_concerns, has_problems, has_plans, has_sections, has_history, indicators_standalone
 *   attachments[]: label "1. ", line "附件：1. …"; attachments_numbered
 */
#ifndef HU_VIEW_H
#define HU_VIEW_H
#include "arena.h"
#include "model.h"
#include "value.h"

/* The Mustache context of model m: the fields above, every one taken from the model as it is
 * (no figure, word or decimal place is decided here). */
hu_value *hu_view_build(hu_arena *a, const hu_model *m);

/* Every field a view can have, for checking the names a template uses (hu_mustache_lint_file):
 * the view of a model with one item in every list and sections HU_VIEW_SCHEMA_DEPTH levels
 * deep (the input's limit), values null, false or empty. */
#define HU_VIEW_SCHEMA_DEPTH 4
hu_value *hu_view_schema(hu_arena *a);

#endif
