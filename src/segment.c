/* segment.c - word boundaries: ICU's dictionary BreakIterator, corrected by rules.
 *
 * Why ICU: it is the one maintained Chinese word segmenter in Debian with a C API
 * (libicu-dev; Debian 12 ships ICU 72 and its CJK dictionary). Why rules on top: measured on
 * the report titles in tests/data/titles/titles.txt, ICU alone splits 招商引资, 营商环境,
 * 专项排查, 管委会 into single characters, cuts organ names (区|科技|和|工业|信息|化|局), numbers
 * from their units (2.5|个|百分|点) and reads 2026年前三季度 as 2026|年前|三|季度.
 *
 * The rules, in the order applied:
 *  1. Number expressions are one word: a number with its unit or period (12.5%, 3.45亿元,
 *     2.5个百分点, 30余项, 1—10月份, 5%～8%) and a date with everything that follows it
 *     (2026年11月5日, 2026年1—9月, 2026年前三季度, 2026年度). Their edges are word boundaries
 *     even where ICU joined across them (年前|三).
 *  2. A small lexicon of report vocabulary that ICU does not know (periods such as 前三季度 and
 *     上半年, whose edges are also boundaries; fixed terms such as 招商引资; organ stems with 和
 *     such as 人力资源和社会保障) is kept whole.
 *  3. Quoted names (“五好园区” 《……》) and short bracketed units (（万美元）) are one word with
 *     their marks, up to 12 and 8 characters inside.
 *  4. A single Han character that ICU left alone and that is not a function word (的 和 暨 …)
 *     joins both neighbours: ICU's fallback for an unknown word is one character each, and
 *     such a character is far more often part of a word (专|项, 保|交|楼) than one by itself.
 *  5. Organ names: a word ending in 局, 委员会, 管委会, 党工委, 办公室, 人民政府 … takes the
 *     words before it up to a function word, a number or punctuation (市场监督管理局), at most
 *     16 characters.
 * Rules only join, except for the edges in 1 and 2. */
#include "segment.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/udata.h>

#include "alloc.h"
#include "dynlib.h"
#include "utf8.h"

/* ------------------------------------------------------------------ lexicon */

/* Periods: kept whole, and their edges are word boundaries (2026年|前三季度 inside a date is
 * joined again by rule 1). */
static const char *const periods[] = {
    "第一季度", "第二季度", "第三季度", "第四季度", "一季度", "二季度",  "三季度", "四季度",
    "前三季度", "前两季度", "前二季度", "上半年",   "下半年", "全年",    "年初",   "年底",
    "年末",     "年中",     "上旬",     "中旬",     "下旬",   "今冬明春"};

/* Report vocabulary ICU splits: terms that must not be broken in a title or a cell, organ
 * stems joined by 和, and units. Longest match wins at each position. */
static const char *const words[] = {
    /* units */
    "个百分点", "百分点", "万美元", "亿美元", "万元", "亿元", "千瓦时", "人次", "标准箱", "平方米",
    "平方公里",
    /* organ stems and organs */
    "发展和改革", "工业和信息化", "科技和工业信息化", "人力资源和社会保障", "住房和城乡建设",
    "自然资源和规划", "文化和旅游", "林业和草原", "退役军人事务", "卫生健康", "市场监督管理",
    "生态环境", "应急管理", "农业农村", "交通运输", "政务服务", "投资促进", "行政审批", "医疗保障",
    "管委会", "党工委", "委员会", "管理委员会", "人民政府", "办公室", "管理局", "发改委", "卫健委",
    "国资委", "经信委", "科技局", "商务局", "高新区", "开发区", "经开区", "产业园", "工业园",
    "园区", "区委", "县委", "市委", "党委", "党工委", "产业开发区",
    /* report terms */
    "招商引资", "营商环境", "优化营商环境", "重点项目", "重大项目", "安全生产", "固定资产投资",
    "固定资产", "规模以上", "规上", "增加值", "进出口", "外贸进出口", "对接", "比重", "工作会议",
    "安全形势", "分析报告", "情况报告", "情况汇报", "工作报告", "产业发展", "经济社会发展",
    "目标任务", "工业经济", "重点工作", "平稳健康发展", "城市更新行动", "外资企业", "民营企业",
    "国有企业", "工业企业", "全社会", "用电量", "实际利用外资", "利用外资", "外商直接投资",
    "对外贸易", "专项排查", "隐患排查", "风险隐患", "事故隐患", "重大事故隐患", "专项整治",
    "专项行动", "高质量发展", "高质量", "制度性", "交易成本", "制度性交易成本", "信息化", "数字化",
    "智能化", "专精特新", "党风廉政", "党风廉政建设", "反腐败", "保交楼", "稳就业", "保民生",
    "稳增长", "互联网", "工业互联网", "标识解析", "二级节点", "基站", "抽检", "秋冬种",
    "高标准农田", "高标准", "一网通办", "放管服", "十四五", "十五五", "脱贫攻坚", "乡村振兴",
    "巩固拓展", "有效衔接", "新兴产业", "战略性新兴产业", "中小企业", "梯度培育", "老旧小区",
    "城镇老旧小区", "城市更新", "经济运行", "经济指标", "主要指标", "工作情况", "推进情况",
    "进展情况", "完成情况", "运行情况", "执行情况", "落实情况", "开展情况", "建设情况", "改善情况",
    "增长情况", "督查情况", "存在问题", "工作安排", "工作打算", "工作思路", "工作计划", "下一步",
    "进一步", "一般公共预算", "大气污染防治", "水环境质量", "消防安全", "食品安全", "科技创新",
    "创新平台", "高新技术", "高新技术企业", "数字经济", "核心产业", "产业转移", "粤港澳大湾区",
    "长三角", "大湾区", "同比", "环比", "序时进度", "技工贸", "总收入", "规模工业", "税收收入",
    "合同金额", "企业用工", "大检查", "百日攻坚", "五好园区"};

/* Last characters of an organ name (rule 5); a word ending in 局 that is one of nonorgan[]
 * is not an organ. */
static const char *const organ_suffix[] = {"局",       "委员会", "管委会", "党工委", "办公室",
                                           "人民政府", "政府",   "厅",     "区委",   "县委",
                                           "市委",     "党委",   "发改委", "卫健委", "国资委"};
static const char *const nonorgan[] = {"格局", "布局",   "开局", "大局", "全局", "变局",
                                       "结局", "新格局", "当局", "棋局", "困局", "破局"};

typedef struct {
    uint32_t cp[16];
    size_t n;
} u32word;

#define NPER (sizeof periods / sizeof *periods)
#define NWORD (sizeof words / sizeof *words)
#define NSUF (sizeof organ_suffix / sizeof *organ_suffix)
#define NNON (sizeof nonorgan / sizeof *nonorgan)
static u32word per_w[NPER], word_w[NWORD], suf_w[NSUF], non_w[NNON];

/* A first-character filter per list: bit (c mod 4096) is set when some entry starts with c.
 * Every position of every text is tried against every list (rules 1 and 2); without the
 * filter the comparisons were 6 % of all the instructions of building the sample report. */
typedef uint64_t first_set[64];
static first_set per_first, word_first, unit_first;

static void note_first(first_set f, const u32word *w) {
    if (w->n) f[(w->cp[0] >> 6) & 63] |= (uint64_t)1 << (w->cp[0] & 63);
}

static bool may_start(const first_set f, uint32_t c) {
    return (f[(c >> 6) & 63] >> (c & 63)) & 1;
}

static void to32(const char *s, u32word *w) {
    size_t len = strlen(s);
    w->n = 0;
    for (size_t i = 0; i < len && w->n < 16;) {
        uint32_t cp;
        i += hu_utf8_decode(s + i, len - i, &cp);
        w->cp[w->n++] = cp;
    }
}

/* ICU, in one of two ways (CMakeLists.txt HU_STATIC_DEPS):
 *
 * Linked (HU_ICU_STATIC: libicuuc.a with what it needs of libstdc++): the functions are called
 * directly, and only ICU's data, libicudata.so (31 MB, no dependencies, 7 relocations), is mapped
 * with dlopen by the first segmentation and handed to ICU (udata_setCommonData) before any other
 * call. Not as a DT_NEEDED library: libicuuc.a's code addresses the data's symbol directly (it is
 * built as position-dependent code for a PIE), so the linker would place a copy relocation and
 * the dynamic loader copy all 31 MB into the executable at every start, --version too. Not
 * libicudata.a either: 31 MB more in the package (7.5 MB compressed), a second copy of data
 * libicu72 installs anyway (libxml2 needs it), and not shared with the pages of the DOCX's
 * libxml2 or of any other program using ICU. The data's symbol itself is defined below as an
 * empty table of contents (what ICU's own stubdata library holds), so that the link needs no
 * libicudata; ICU looks there only for an entry the real data lacks, and finds none there either.
 *
 * Loaded (a sanitizer, fuzzing or HU_STATIC_DEPS=OFF build): libicuuc with libicudata and
 * libstdc++ is loaded with dlopen by the first segmentation (dynlib.h): 2.5-3 ms of the loader
 * and ~80 page faults that a run without a PDF or a DOCX (-f md, -f xlsx, check -f md, new,
 * fonts), which never segments, does not pay. ICU's C API is renamed per version
 * (unicode/urename.h: ubrk_open is ubrk_open_72), so the names looked up are the macros'
 * expansions, as the headers compiled against spell them.
 *
 * Either way the rest of this file calls ICU(f), and the error for a missing library is the same
 * (hu_segment_ready), naming the library loaded: libicudata or libicuuc. */
#define HU_STR(x) #x
#define HU_XSTR(x) HU_STR(x)
static hu_dynlib icu_lib = HU_DYNLIB(HU_LIBICU_SONAME, HU_LIBICU_PACKAGE, "标题和表格的中文分词");

#ifdef HU_ICU_STATIC
#define ICU(f) f

/* ICU's stubdata (icu4c/source/stubdata/stubdata.cpp): a valid common-data header whose table of
 * contents is empty. Hidden: never exported, so that the shared libicuuc a DOCX loads (through
 * libxml2) binds to the real data in libicudata.so. */
__attribute__((visibility("hidden"))) const struct {
    uint16_t header_size;
    uint8_t magic1, magic2;
    UDataInfo info;
    char padding[8];
    uint32_t count, reserved;
    uint32_t toc[2];
} U_ICUDATA_ENTRY_POINT = {32,
                           0xda,
                           0x27,
                           {sizeof(UDataInfo),
                            0,
                            U_IS_BIG_ENDIAN,
                            U_CHARSET_FAMILY,
                            sizeof(UChar),
                            0,
                            {0x54, 0x6f, 0x43, 0x50}, /* "ToCP" */
                            {1, 0, 0, 0},
                            {0, 0, 0, 0}},
                           {0},
                           0,
                           0,
                           {0, 0}};

static void icu_load(void) {
    void *h = hu_dynlib_open(&icu_lib);
    const void *data = NULL;
    if (!h || !hu_dynlib_sym(&icu_lib, h, HU_XSTR(U_ICUDATA_ENTRY_POINT), &data)) return;
    UErrorCode e = U_ZERO_ERROR;
    udata_setCommonData(data, &e);
    if (U_FAILURE(e))
        snprintf(icu_lib.error, sizeof icu_lib.error, "%s: udata_setCommonData: %s", icu_lib.soname,
                 u_errorName(e));
}
#else
#define ICU(f) icu.f
#define HU_ICU_FUNCS(X)                                                                            \
    X(ubrk_open) X(ubrk_close) X(ubrk_clone) X(ubrk_setText) X(ubrk_first) X(ubrk_next)
#define HU_FIELD(f) __typeof__(f) *f;
static struct { HU_ICU_FUNCS(HU_FIELD) } icu;
#undef HU_FIELD

static void icu_load(void) {
    void *h = hu_dynlib_open(&icu_lib);
    if (!h) return;
#define HU_LOAD(f) hu_dynlib_sym(&icu_lib, h, HU_XSTR(f), &icu.f);
    HU_ICU_FUNCS(HU_LOAD)
#undef HU_LOAD
}
#endif

static UBreakIterator *icu_tmpl; /* cloned per call; NULL when ICU has no word data */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Clones of icu_tmpl no call is using: a clone is taken from here and given back rather than
 * made and closed per call (ubrk_clone and ubrk_close were an eighth of segmenting the sample
 * report's texts). An iterator serves one thread at a time; ubrk_setText resets it wholly, so
 * a reused clone finds the same boundaries as a new one. At most one per thread that
 * segments at the same time is ever made. */
#define HU_SPARE_ITERS 8
static UBreakIterator *spare_iters[HU_SPARE_ITERS];
static size_t nspare;
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;

static void close_tmpl(void) {
    for (size_t i = 0; i < nspare; i++)
        ICU(ubrk_close)(spare_iters[i]);
    nspare = 0;
    ICU(ubrk_close)(icu_tmpl);
    icu_tmpl = NULL;
}

static UBreakIterator *iter_take(UErrorCode *e) {
    UBreakIterator *bi = NULL;
    pthread_mutex_lock(&spare_lock);
    if (nspare) bi = spare_iters[--nspare];
    pthread_mutex_unlock(&spare_lock);
    return bi ? bi : icu_tmpl ? ICU(ubrk_clone)(icu_tmpl, e) : NULL;
}

static void iter_give(UBreakIterator *bi) {
    pthread_mutex_lock(&spare_lock);
    if (nspare < HU_SPARE_ITERS) spare_iters[nspare++] = bi, bi = NULL;
    pthread_mutex_unlock(&spare_lock);
    if (bi) ICU(ubrk_close)(bi);
}

static void sort_list(u32word *list, size_t nl);

static void init(void) {
    for (size_t i = 0; i < NPER; i++)
        to32(periods[i], &per_w[i]), note_first(per_first, &per_w[i]);
    for (size_t i = 0; i < NWORD; i++)
        to32(words[i], &word_w[i]), note_first(word_first, &word_w[i]);
    sort_list(per_w, NPER), sort_list(word_w, NWORD);
    for (size_t i = 0; i < NSUF; i++)
        to32(organ_suffix[i], &suf_w[i]);
    for (size_t i = 0; i < NNON; i++)
        to32(nonorgan[i], &non_w[i]);
    /* without the library every character is a word and the rules still join (as without
     * ICU's word data); PDF and DOCX refuse to be made that way (hu_segment_ready) */
    if (!hu_dynlib_load(&icu_lib, icu_load)) return;
    UErrorCode e = U_ZERO_ERROR;
    icu_tmpl = ICU(ubrk_open)(UBRK_WORD, "zh", NULL, 0, &e);
    if (U_FAILURE(e)) icu_tmpl = NULL;
    /* The template lives as long as the process; closed at exit so that leak checkers do not
     * take ICU's interior pointers into it for a leak. */
    if (icu_tmpl) atexit(close_tmpl);
}

/* ------------------------------------------------------------------ classes */

static bool is_han(uint32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x3134F) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3007;
}

static bool is_digit(uint32_t c) {
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

bool hu_segment_is_function_char(uint32_t c) {
    static const char fn[] = "的之和与及暨并或在对为把将向从以于由被等是了着也都而且但就还又即"
                             "如若因按经给让使至到同跟";
    if (!is_han(c)) return false;
    char buf[8];
    buf[hu_utf8_encode(c, buf)] = 0;
    return strstr(fn, buf) != NULL;
}

static bool ascii_alpha(uint32_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
static bool ascii_alnum(uint32_t c) {
    return ascii_alpha(c) || (c >= '0' && c <= '9');
}

static bool match_at(const uint32_t *t, size_t n, size_t i, const u32word *w) {
    if (i + w->n > n) return false;
    for (size_t k = 0; k < w->n; k++)
        if (t[i + k] != w->cp[k]) return false;
    return true;
}

/* The lists are sorted by their first character once (sort_list), so the entries that may
 * match at a position are one range, found by binary search: scanning all of word_w[] at every
 * position that passed the first-character filter was a third of segmenting a paragraph. Only
 * the longest match's length is used, so the order of the entries does not matter. */
static int by_first(const void *a, const void *b) {
    uint32_t x = ((const u32word *)a)->cp[0], y = ((const u32word *)b)->cp[0];
    return (x > y) - (x < y);
}

static void sort_list(u32word *list, size_t nl) {
    qsort(list, nl, sizeof *list, by_first);
}

/* Longest entry of list (sorted by sort_list) matching at i; 0 when none. */
static size_t longest(const uint32_t *t, size_t n, size_t i, const u32word *list, size_t nl,
                      const first_set first) {
    if (i >= n || !may_start(first, t[i])) return 0;
    size_t lo = 0, hi = nl; /* the first entry starting with t[i] or after it */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (list[mid].cp[0] < t[i])
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t best = 0;
    for (size_t k = lo; k < nl && list[k].cp[0] == t[i]; k++)
        if (list[k].n > best && match_at(t, n, i, &list[k])) best = list[k].n;
    return best;
}

static bool ends_with(const uint32_t *t, size_t s, size_t e, const u32word *w) {
    return e - s >= w->n && match_at(t, e, e - w->n, w);
}

/* ------------------------------------------------------------------ numbers */

static bool one_of(uint32_t c, const char *set) {
    if (!c) return false;
    char buf[8];
    buf[hu_utf8_encode(c, buf)] = 0;
    return strstr(set, buf) != NULL;
}

/* Units after a number, longest first where one is a prefix of another. */
static const char *const units[] = {
    "个百分点", "百分点", "万亿元", "亿美元", "万美元",   "亿元",     "万元",   "千元",
    "美元",     "元",     "万吨",   "吨",     "亿千瓦时", "万千瓦时", "千瓦时", "万千瓦",
    "千瓦",     "万人次", "人次",   "万人",   "人",       "名",       "位",     "个",
    "家",       "项",     "户",     "件",     "次",       "台",       "套",     "辆",
    "艘",       "座",     "所",     "宗",     "批次",     "批",       "条",     "场",
    "期",       "轮",     "万亩",   "亩",     "公顷",     "万平方米", "平方米", "平方公里",
    "公里",     "千米",   "立方米", "米",     "万标箱",   "标准箱",   "小时",   "天",
    "周岁",     "岁",     "年度",   "年底",   "年初",     "年末",     "年",     "月份",
    "月底",     "月初",   "月",     "日",     "号",       "季度",     "%",      "％",
    "‰",        "℃",      "倍",     "成",     "万",       "亿",       "千",     "GW",
    "MW",       "kW",     "TEU"};
#define NUNIT (sizeof units / sizeof *units)
static u32word unit_w[NUNIT];
static pthread_once_t unit_once = PTHREAD_ONCE_INIT;
static void unit_init(void) {
    for (size_t i = 0; i < NUNIT; i++)
        to32(units[i], &unit_w[i]), note_first(unit_first, &unit_w[i]);
    sort_list(unit_w, NUNIT);
}

static size_t unit_at(const uint32_t *t, size_t n, size_t i) {
    pthread_once(&unit_once, unit_init);
    return longest(t, n, i, unit_w, NUNIT, unit_first);
}

static bool is_date_unit(const uint32_t *t, size_t s, size_t e) {
    /* the unit t[s..e) is 年/年度/月/月份 (a date that may go on) */
    uint32_t a = t[s];
    return (a == 0x5E74 /* 年 */ || a == 0x6708 /* 月 */) && e - s <= 2 && t[e - 1] != 0x5E95 &&
           t[e - 1] != 0x521D && t[e - 1] != 0x672B;
}

/* "12", "3.45", "1,200", "２０２６" from i; returns the end. */
static size_t scan_num(const uint32_t *t, size_t n, size_t i) {
    if (i >= n || !is_digit(t[i])) return i;
    while (i < n) {
        if (is_digit(t[i]))
            i++;
        else if ((t[i] == '.' || t[i] == ',' || t[i] == 0xFF0E) && i + 1 < n && is_digit(t[i + 1]))
            i++;
        else
            break;
    }
    return i;
}

/* A number with its modifiers and unit: "30余项", "3000多万元", "12.5%"; us and ue get
 * the unit's place (equal when none). */
static size_t scan_quantity(const uint32_t *t, size_t n, size_t i, size_t *us, size_t *ue) {
    size_t e = scan_num(t, n, i);
    if (e == i) return i;
    if (e < n && one_of(t[e], "多余")) e++;
    size_t u = unit_at(t, n, e);
    *us = e, *ue = e + u;
    e += u;
    if (u && e < n && one_of(t[e], "多余") && e + 1 < n && unit_at(t, n, e + 1)) {
        *ue = e + 1 + unit_at(t, n, e + 1);
        e = *ue;
    }
    return e;
}

static bool is_range_mark(uint32_t c) {
    return c == 0x2014 || c == 0x2013 || c == '-' || c == 0xFF5E || c == '~' || c == 0x301C ||
           c == 0x81F3 /* 至 */;
}

/* A number expression from i (rule 1); returns its end, i when there is none. */
static size_t scan_expr(const uint32_t *t, size_t n, size_t i) {
    size_t s = i;
    if (i + 1 < n && one_of(t[i], "+-−＋－") && is_digit(t[i + 1]) &&
        (i == 0 || !is_digit(t[i - 1])))
        i++;
    size_t us, ue;
    size_t e = scan_quantity(t, n, i, &us, &ue);
    if (e == i) return s;
    /* a range: 1—10月, 5%～8%, 3至5年 */
    if (e + 1 < n && is_range_mark(t[e]) && is_digit(t[e + 1])) {
        size_t us2, ue2;
        size_t e2 = scan_quantity(t, n, e + 1, &us2, &ue2);
        if (e2 > e + 1) e = e2, us = us2, ue = ue2;
    }
    /* a date goes on: 2026年 + 11月5日, 1—9月, 第三季度, 前三季度, 上半年 */
    while (ue > us && is_date_unit(t, us, ue) && e < n) {
        size_t p = longest(t, n, e, per_w, NPER, per_first);
        if (p) {
            e += p;
            break;
        }
        if (!is_digit(t[e])) break;
        size_t us2, ue2;
        size_t e2 = scan_quantity(t, n, e, &us2, &ue2);
        if (e2 + 1 < n && is_range_mark(t[e2]) && is_digit(t[e2 + 1]))
            e2 = scan_quantity(t, n, e2 + 1, &us2, &ue2);
        /* only a month, day or quarter continues a date: 2026年10月, not 2026年18个 */
        if (ue2 == us2 || !(t[us2] == 0x6708 || t[us2] == 0x65E5 || t[us2] == 0x53F7 ||
                            t[us2] == 0x5B63 /* 月 日 号 季 */))
            break;
        e = e2;
        us = us2, ue = ue2;
    }
    return e;
}

/* ------------------------------------------------------------------ ICU */

static void icu_bounds(const uint32_t *t, size_t n, unsigned char *b) {
    memset(b, 0, n);
    UErrorCode e = U_ZERO_ERROR;
    UBreakIterator *bi = iter_take(&e);
    if (!bi || U_FAILURE(e)) { /* no ICU data: every character is a word; rules still join */
        if (bi) ICU(ubrk_close)(bi);
        memset(b, 1, n);
        return;
    }
    /* one block: UTF-16 offset -> code point, then the UTF-16 text */
    size_t *cp_end = hu_xmalloc((2 * n + 1) * (sizeof *cp_end + sizeof(UChar)));
    UChar *u = (UChar *)(cp_end + 2 * n + 1);
    size_t ul = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = t[i];
        if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
        uint16_t cu[2];
        for (size_t k = 0, m = hu_utf16_encode(c, cu); k < m; k++)
            cp_end[ul] = i, u[ul++] = (UChar)cu[k];
    }
    ICU(ubrk_setText)(bi, u, (int32_t)ul, &e);
    if (U_SUCCESS(e)) {
        for (int32_t p = ICU(ubrk_first)(bi); p != UBRK_DONE; p = ICU(ubrk_next)(bi))
            if (p > 0 && (size_t)p <= ul) b[cp_end[p - 1]] = 1;
    } else {
        memset(b, 1, n);
    }
    iter_give(bi);
    free(cp_end);
}

/* ------------------------------------------------------------------ rules */

static void protect(unsigned char *prot, size_t s, size_t e) { /* no boundary inside [s, e) */
    for (size_t k = s; k + 1 < e; k++)
        prot[k] = 1;
}

static bool is_open_quote(uint32_t c) {
    return c == 0x201C || c == 0x300A || c == 0x2018 || c == 0x300C || c == 0x300E || c == 0x3008;
}
static uint32_t close_of(uint32_t c) {
    switch (c) {
    case 0x201C:
        return 0x201D;
    case 0x300A:
        return 0x300B;
    case 0x2018:
        return 0x2019;
    case 0x300C:
        return 0x300D;
    case 0x300E:
        return 0x300F;
    case 0x3008:
        return 0x3009;
    case 0xFF08:
        return 0xFF09;
    case '(':
        return ')';
    case 0x3014:
        return 0x3015;
    case 0x3010:
        return 0x3011;
    }
    return 0;
}

/* Rule 3's span opened at t[i]: the index of its closing mark, within 12 characters inside
 * for a quote and 8 for a bracket, and not past a second opening mark of the same kind; 0 when
 * t[i] opens none (a closing mark is never at 0). */
static size_t quoted_end(const uint32_t *t, size_t n, size_t i) {
    uint32_t cl = close_of(t[i]);
    if (!cl) return 0;
    size_t lim = is_open_quote(t[i]) ? 12 : 8;
    for (size_t k = i + 1; k < n && k <= i + lim + 1; k++) {
        if (t[k] == cl) return k;
        if (t[k] == t[i]) break;
    }
    return 0;
}

/* A "content" word for rules 4 and 5: Han characters only, not a function word. */
static bool content_word(const uint32_t *t, size_t s, size_t e) {
    for (size_t k = s; k < e; k++)
        if (!is_han(t[k])) return false;
    return !(e - s == 1 && hu_segment_is_function_char(t[s]));
}

static bool starts_with_guanyu(const uint32_t *t, size_t s, size_t e) {
    return e - s >= 2 && t[s] == 0x5173 && t[s + 1] == 0x4E8E; /* 关于 */
}

/* Word starts from boundaries: ws[0..nw) and ws[nw] = n; returns nw. */
static size_t words_of(const unsigned char *bnd, size_t n, size_t *ws) {
    size_t nw = 0;
    for (size_t k = 0; k < n; k++)
        if (k == 0 || bnd[k - 1]) ws[nw++] = k;
    ws[nw] = n;
    return nw;
}

/* A neighbour a lone character joins (rule 4): Han content words other than 关于, and Latin
 * letters or digits. */
static bool joinable(const uint32_t *t, size_t s, size_t e) {
    if (starts_with_guanyu(t, s, e) && e - s == 2) return false;
    bool latin = true;
    for (size_t k = s; k < e; k++)
        latin = latin && ascii_alnum(t[k]);
    return latin || content_word(t, s, e);
}

/* The word t[s..e) names an organ (ends in 局, 委员会 … and is not 格局, 布局 …). */
static bool is_organ(const uint32_t *t, size_t s, size_t e) {
    bool organ = false;
    for (size_t k = 0; k < NSUF && !organ; k++)
        organ = ends_with(t, s, e, &suf_w[k]);
    for (size_t k = 0; k < NNON && organ; k++)
        if (e - s == non_w[k].n && ends_with(t, s, e, &non_w[k])) organ = false;
    return organ;
}

void hu_segment_words(const uint32_t *t, size_t n, unsigned char *bnd) {
    if (n == 0) return;
    pthread_once(&once, init);
    /* one block: the word starts (rules 4 and 5), then force and prot */
    size_t *ws = hu_xmalloc((n + 1) * sizeof *ws + 2 * n);
    unsigned char *force = (unsigned char *)(ws + n + 1), *prot = force + n;
    memset(force, 0, 2 * n);
    icu_bounds(t, n, bnd);

    /* 1. number expressions; 2. periods: whole, with boundaries at their edges */
    for (size_t i = 0; i < n;) {
        size_t e = i;
        bool at_start = i == 0 || !is_digit(t[i - 1]);
        if (at_start && (is_digit(t[i]) || one_of(t[i], "+-−＋－"))) e = scan_expr(t, n, i);
        /* part of a Latin token (5G, G20, 3D): ICU's word */
        if (e > i && ((e < n && ascii_alpha(t[e])) || (i > 0 && ascii_alpha(t[i - 1])))) e = i;
        if (e == i) e = i + longest(t, n, i, per_w, NPER, per_first);
        if (e > i) {
            protect(prot, i, e);
            if (i > 0) force[i - 1] = 1;
            force[e - 1] = 1;
            i = e;
        } else {
            i++;
        }
    }
    /* 2. the lexicon (every match, longest at each position) */
    for (size_t i = 0; i < n; i++) {
        size_t m = longest(t, n, i, word_w, NWORD, word_first);
        if (m) protect(prot, i, i + m);
    }
    /* 3. quoted names and bracketed units */
    for (size_t i = 0; i < n; i++) {
        size_t k = quoted_end(t, n, i);
        if (k) protect(prot, i, k + 1);
    }
    for (size_t k = 0; k < n; k++) {
        if (force[k]) bnd[k] = 1;
        if (prot[k]) bnd[k] = 0;
    }
    bnd[n - 1] = 1;

    /* 4. a lone non-function Han character joins its neighbours: content words and Latin
     * tokens (占GDP), not function words, 关于, punctuation or a number's edge */
    size_t nw = words_of(bnd, n, ws);
    for (size_t w = 0; w < nw; w++) {
        size_t s = ws[w], e = ws[w + 1];
        if (e - s != 1 || !is_han(t[s]) || hu_segment_is_function_char(t[s])) continue;
        if (w > 0 && joinable(t, ws[w - 1], s) && !force[s - 1]) prot[s - 1] = 1;
        if (w + 1 < nw && joinable(t, e, ws[w + 2]) && !force[s]) prot[s] = 1;
    }
    /* ... and a Latin acronym or code joins the Han word it modifies (GDP比重, 5G基站) */
    for (size_t w = 0; w + 1 < nw; w++) {
        size_t s = ws[w], e = ws[w + 1];
        bool latin = true;
        for (size_t k = s; k < e; k++)
            latin = latin && ascii_alnum(t[k]);
        if (latin && !force[e - 1] && content_word(t, e, ws[w + 2])) prot[e - 1] = 1;
    }
    for (size_t k = 0; k + 1 < n; k++)
        if (prot[k]) bnd[k] = 0;

    /* 5. organ names take the content words before them, up to another organ (中共某某区委|
     * 某某区人民政府), except that an office belongs to its organ (区政府办公室) */
    nw = words_of(bnd, n, ws);
    for (size_t w = 0; w < nw; w++) {
        size_t s = ws[w], e = ws[w + 1];
        if (!content_word(t, s, e)) continue;
        if (!is_organ(t, s, e)) continue;
        bool office = e - s >= 3 && t[e - 3] == 0x529E && t[e - 2] == 0x516C && t[e - 1] == 0x5BA4;
        size_t first = w;
        while (first > 0 && content_word(t, ws[first - 1], ws[first]) &&
               !starts_with_guanyu(t, ws[first - 1], ws[first]) && e - ws[first - 1] <= 16 &&
               (office || !is_organ(t, ws[first - 1], ws[first])))
            first--;
        protect(prot, ws[first], e);
    }
    for (size_t k = 0; k + 1 < n; k++)
        if (prot[k]) bnd[k] = 0;
    bnd[n - 1] = 1;
    free(ws);
}

/* A mark after which both ICU and every rule above see a word boundary that nothing crosses,
 * when a 汉字 stands on either side of it (clause marks: WB "Other", or MidNum and MidLetter,
 * which join only figures and letters, UAX #29 WB6-7 and WB11-12; none is in a lexicon, a unit
 * or a number expression, and rules 4 and 5 join only Han and Latin words). */
static bool clause_mark(uint32_t c) {
    return c == 0x3002 || c == 0xFF0C || c == 0x3001 || c == 0xFF1B || c == 0xFF1A || c == 0xFF01 ||
           c == 0xFF1F;
}

void hu_segment_digit_words(const uint32_t *t, size_t n, unsigned char *bnd) {
    size_t start = 0, guard = 0; /* no split before guard: inside a rule-3 span */
    bool digit = false;
    for (size_t i = 0; i < n; i++) {
        size_t k = quoted_end(t, n, i); /* rule 3's spans */
        if (k > guard) guard = k;
        digit = digit || is_digit(t[i]);
        bool split = i + 1 < n && i >= guard && i > start && clause_mark(t[i]) &&
                     is_han(t[i - 1]) && is_han(t[i + 1]);
        if (!split && i + 1 < n) continue;
        /* the piece start..i */
        if (digit)
            hu_segment_words(t + start, i + 1 - start, bnd + start);
        else
            memset(bnd + start, 1, i + 1 - start);
        start = i + 1, digit = false;
    }
}

void hu_segment_prepare(void) {
    /* ICU creates its dictionary break engine lazily, on the first Han text an iterator
     * meets, and keeps it in a process-wide factory that clones of icu_tmpl share: one short
     * Chinese text with a number is enough to build it and the rules' tables */
    static const uint32_t text[] = {0x6C47, 0x62A5, '2', '0', '2', '6', 0x5E74}; /* 汇报2026年 */
    unsigned char b[sizeof text / sizeof *text];
    hu_segment_words(text, sizeof text / sizeof *text, b);
}

void hu_segment_load(void) {
    (void)hu_dynlib_load(&icu_lib, icu_load);
}

bool hu_segment_linked(void) {
#ifdef HU_ICU_STATIC
    return true;
#else
    return false;
#endif
}

bool hu_segment_ready(const char *name, hu_diags *d) {
    pthread_once(&once, init);
    return hu_dynlib_ready(&icu_lib, icu_load, name, d);
}

size_t hu_segment_words_utf8(const char *s, unsigned char *bnd) {
    size_t len = strlen(s), n = 0;
    uint32_t *t = hu_xmalloc((len + 1) * sizeof *t);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += hu_utf8_decode(s + i, len - i, &cp);
        t[n++] = cp;
    }
    hu_segment_words(t, n, bnd);
    free(t);
    return n;
}
