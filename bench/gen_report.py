#!/usr/bin/python3
"""gen_report.py - realistic monthly inputs for the benchmarks (stdlib only, deterministic).

  gen_report.py report --pages N [--seed S] [--with-history] OUT.yaml
      One report (2026-10) of about N printed pages (GB/T 9704 layout: 22 lines of 28
      characters): indicators, many sections and subsections with text, 一是/二是 points and
      highlights. --with-history also writes 2026-01..09 of the same office beside it.
  gen_report.py batch --count 1000 [--years 3] [--pages 4] [--seed S] [--layout flat|org] DIR
      COUNT monthly files across many offices and years (every office: January..December of
      each year in turn, the last office cut short). Cumulative figures are consistent: each
      month's value is the previous month's plus a positive increment, last_year is the same
      office's figure for the same month a year earlier, and last_month is left out so that
      huibao's history fills it from the earlier files. --layout flat puts every file in DIR
      (named ORG-YYYY-MM.yaml); --layout org puts each office in its own DIR/ORG/ folder.

The text is assembled from phrase pools of common GB 2312 characters, so every character is in
the bundled Fandol fonts (no coverage warnings) and the line breaker sees realistic Chinese:
full-width punctuation, quoted names, numbers with units.
"""
import argparse
import os
import random
import sys

# --------------------------------------------------------------------------- phrase pools

DISTRICTS = [
    "东湖", "西山", "南岭", "北塘", "青石", "白沙", "金桥", "银河", "长江", "黄河", "松江", "柳林",
    "桃源", "杏花", "梅溪", "竹园", "清水", "红星", "光明", "新华", "和平", "建设", "高新", "临港",
    "滨江", "望城", "云台", "龙泉", "凤凰", "石门", "朝阳", "永安", "太平", "长乐", "福田", "丰收",
]
ORG_KINDS = [
    ("产业开发区管理委员会", "产业开发区", "产业发展"),
    ("经济开发区管理委员会", "经济开发区", "经济发展"),
    ("高新技术产业园区管理委员会", "高新区", "园区建设"),
    ("工业园区管理委员会", "工业园区", "工业经济"),
    ("商务局", "商务局", "商务"),
    ("发展和改革局", "发展改革局", "发展改革"),
]

TOPICS = [
    "招商引资", "项目建设", "产业培育", "要素保障", "营商环境", "安全生产", "科技创新", "人才引进",
    "金融服务", "土地利用", "节能减排", "园区配套", "企业服务", "对外开放", "数字经济", "质量品牌",
    "队伍建设", "改革攻坚", "市场主体培育", "重点项目调度", "基础设施建设", "生态环境保护",
    "统计监测", "政策落实", "风险防范", "民生保障",
]
VERBS = [
    "坚持", "聚焦", "强化", "突出", "深化", "狠抓", "着力", "持续", "加快", "全力", "扎实推进", "统筹",
]
AIMS = [
    "科学构建发展格局", "不断提升承载能力", "培育良好产业生态", "激发园区发展活力",
    "深入优化营商环境", "守牢安全生产底线", "推动高质量发展", "夯实发展基础", "增强发展后劲",
    "提升服务效能", "筑牢发展支撑", "释放发展潜能", "厚植发展优势", "打造一流环境",
]
PROJECTS = [
    "电子包装园", "食品产业园", "配电五期", "标准化厂房", "智能制造基地", "物流园", "孵化器",
    "污水处理厂", "创业服务中心", "新材料产业园", "冷链物流中心", "人才公寓",
]
COMPANIES = [
    "国泰食品", "大农米业", "正源食品", "洞庭苇田", "华强电子", "恒达包装", "天宇科技", "金鑫材料",
    "瑞丰机械", "永盛纺织", "新远医药", "同创智能", "宏图物流", "长城建材", "东方电气", "北辰光电",
]
ROADS = ["杨树路", "建业北路", "荆江大道", "创业大道", "工业一路", "滨湖路", "科技路", "纬三路"]
SENT = [
    "按照“一张蓝图绘到底”的发展思路，围绕{topic}工作目标，细化任务清单，压实工作责任，"
    "推动各项工作落地见效。",
    "{m}月以来，累计走访企业{n1}家次，协调解决用地、用工、融资等问题{n2}个，企业满意度明显提升。",
    "{proj}项目完成投资{f1}亿元，占年度计划的{p1}%，主体工程已基本完工，预计年底前投入使用。",
    "坚持“以亩产论英雄、用实绩比高低”的理念，对入园项目从环保、安全、税收、投资强度等方面"
    "进行综合把关，婉拒了达不到入园要求的项目{n3}个。",
    "组织开展{topic}专项行动，召开调度会{n3}次，印发《{topic}工作方案》，形成了上下联动、"
    "齐抓共管的工作格局。",
    "{co}、{co2}等企业通过追加投资和技术改造实现“二次创业”，新增产值{f1}亿元。",
    "{road}建成通车，园区道路“五纵七横”交通网络基本成形，配套服务功能进一步完善。",
    "联合人社部门组织招聘会{n3}次，帮助企业招工{n4}人，缓解了企业用工难题。",
    "为{n2}家企业争取各类奖补资金{n5}万元，惠企政策做到应享尽享、直达快享。",
    "开展安全生产大排查大整治，检查企业{n1}家次，发现并整改隐患{n4}处，整改率达100%。",
    "积极对接金融机构，拓展企业融资渠道，为{n2}家企业争取贷款{f2}亿元。",
    "同时，严守发展底线，从追求总量扩张向绿色化、低碳化、安全化、循环化转型，"
    "推动发展方式持续优化。",
    "在主导产业引进上，围绕“一主一特”产业定位，以强链、补链、延链为抓手，"
    "引进招商项目{n3}个，合同引资额{f1}亿元。",
    "强化目标激励，修订了《绩效考核方案》，采取细化量化考核方式，以实效定成绩，"
    "充分调动了干部职工的积极性。",
    "深化“放管服”改革，推行“一窗受理、集成服务”，企业开办时间压缩至{n3}个工作日以内。",
    "建立重点企业联系制度，实行“一企一策”精准帮扶，{co}等企业产能利用率稳步提升。",
]
POINTS = [
    "加强{topic}，积极对接上级部门，为{n2}家企业解决实际困难{n3}项",
    "强化服务保障，所有入园项目明确服务专班，实行一线工作法，现场解决企业在投产、生产、"
    "经营中遇到的问题",
    "设立服务窗口，在政务中心设立企业手续办理绿色通道，安排{n3}人驻点办公",
    "落实惠企政策，编印《惠企政策宣传册》，为{co}等{n2}家企业争取奖补资金{n5}万元",
    "完善生产生活配套，{road}建成通车，新增停车位{n4}个",
    "推进{proj}建设，完成投资{f1}亿元，形象进度达到{p1}%",
    "开展{topic}专项检查，覆盖企业{n1}家次，督促整改问题{n3}个",
    "组织企业参加各类展会{n3}次，达成合作意向{n2}项",
]
PROBLEMS = [
    "部分签约项目资金到位慢、开工迟，项目转化率有待提高",
    "外向型企业受外部需求影响较大，进出口总额增速放缓",
    "园区土地、用工等要素制约仍然突出，标准化厂房供给不足",
    "龙头企业带动作用不够明显，产业链上下游配套不够完善",
    "科技创新能力不强，高新技术企业数量偏少",
    "部分企业生产经营困难，市场需求不足，订单减少",
    "基础设施历史欠账较多，配套服务功能仍需完善",
]
HIGHLIGHTS = [
    "{proj}主体工程完工，{n3}家企业签订入驻协议",
    "为{n2}家企业争取贷款{f2}亿元",
    "为{n2}家企业争取奖补资金{n5}万元",
    "新引进亿元以上项目{n3}个",
    "{co}成功入选省级专精特新企业",
    "帮助企业招工{n4}人",
]
NEXT = [
    ("全力冲刺全年目标", "对照年度目标逐项盘点，对滞后指标实行专班调度，确保全年目标任务完成。"),
    ("加快重点项目建设", "紧盯签约项目开工、开工项目投产，推动{proj}等项目按期推进。"),
    ("持续优化营商环境", "深化“一线工作法”，完善企业诉求“接诉即办”机制，推动惠企政策直达快享。"),
    ("强化要素保障", "盘活闲置低效用地，加快标准化厂房建设，新增供地{n4}亩。"),
    ("抓好安全生产", "压实企业主体责任，常态化开展隐患排查治理，坚决遏制较大以上事故发生。"),
    ("深化改革创新", "推进园区市场化建设运营，探索与市场主体合作开发“园中园”项目。"),
]

# name, unit, full-year value, kind, has target; decimals follow huibao's defaults
INDICATORS = [
    ("技工贸总收入", "亿元", 150.0, "amount", True),
    ("规模以上工业增加值", "亿元", 37.0, "amount", False),
    ("高新技术产业增加值", "亿元", 24.0, "amount", False),
    ("固定资产投资", "亿元", 53.0, "amount", True),
    ("税收收入", "万元", 28000, "amount", True),
    ("招商引资合同金额", "亿元", 92.0, "amount", True),
    ("新签约项目", "个", 30, "amount", True),
    ("实际到位资金", "亿元", 33.0, "amount", True),
    ("新增规模以上工业企业", "家", 10, "amount", False),
    ("进出口总额", "万美元", 12300, "amount", False),
    ("社会消费品零售总额", "亿元", 41.0, "amount", True),
    ("规模以上工业产品产销率", "%", 98.0, "rate", False),
]

NUMS = "一二三四五六七八九十"


def cn_num(n):
    if n <= 10:
        return NUMS[n - 1]
    if n < 20:
        return "十" + NUMS[n - 11]
    t, u = divmod(n, 10)
    return NUMS[t - 1] + "十" + (NUMS[u - 1] if u else "")


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def fill(self, tpl, month=10):
        r = self.r
        co, co2 = r.sample(COMPANIES, 2)
        return tpl.format(
            topic=r.choice(TOPICS), proj=r.choice(PROJECTS), co=co, co2=co2,
            road=r.choice(ROADS), m=month,
            n1=r.randint(80, 400), n2=r.randint(5, 40), n3=r.randint(2, 12),
            n4=r.randint(100, 2000), n5=r.randint(100, 3000),
            f1="%.2f" % r.uniform(0.5, 30), f2="%.2f" % r.uniform(0.3, 5),
            p1=r.randint(40, 98))

    def paragraph(self, nsent, month):
        return "".join(self.fill(self.r.choice(SENT), month) for _ in range(nsent))

    def heading(self):
        return self.r.choice(VERBS) + self.r.choice(TOPICS) + "，" + self.r.choice(AIMS)

    def item(self, month, with_title=True):
        """A level-2/3 section: title + text (about 300 characters), sometimes points."""
        r = self.r
        it = {}
        if with_title:
            it["title"] = self.heading()
        if r.random() < 0.3:
            it["points"] = [self.fill(p, month) for p in r.sample(POINTS, r.randint(2, 4))]
            if r.random() < 0.5:
                it["text"] = self.paragraph(1, month)
        else:
            it["text"] = self.paragraph(r.randint(3, 5), month)
        if r.random() < 0.3:
            it["highlights"] = [self.fill(r.choice(HIGHLIGHTS), month)]
        return it


# --------------------------------------------------------------------------- YAML writer
# Only what the generator produces: dicts, lists, str, int, float. Strings are always
# double-quoted (JSON escaping is valid YAML), so no character can change their meaning.

def q(s):
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return q(v)


def emit(v, ind, lines):
    sp = "  " * ind
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                lines.append(f"{sp}{k}:")
                emit(x, ind + 1, lines)
            else:
                lines.append(f"{sp}{k}: {scalar(x)}")
    else:
        for x in v:
            if isinstance(x, dict):
                sub = []
                emit(x, ind + 1, sub)
                first = sub[0].lstrip()
                lines.append(f"{sp}- {first}")
                lines.extend(sub[1:])
            else:
                lines.append(f"{sp}- {scalar(x)}")


def dump(doc, path, comment):
    lines = [f"# {comment}"]
    emit(doc, 0, lines)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


# --------------------------------------------------------------------------- reports

# Printed capacity: 22 lines × 28 characters. Calibrated against huibao's PDF (paragraph
# ends, headings and the blank-free GB/T layout leave about 540 characters per page).
CHARS_PER_PAGE = 540
# The title, preamble, the indicator paragraph and table, highlights, problems, next steps and
# signature of a 12-indicator report fill about this many pages on their own.
FIXED_PAGES = 4.0


def text_len(it):
    n = len(it.get("title", "")) + len(it.get("text", ""))
    n += sum(len(p) + 3 for p in it.get("points", []))
    return n


def body_sections(g, pages, month):
    """Sections of 主要工作情况 filling about `pages` pages. Long reports get a third level
    (（一） → 1.) so numbering stays realistic: at most 12 level-2 sections per 一、."""
    budget = max(pages, 0.3) * CHARS_PER_PAGE
    items, used = [], 0
    while used < budget:
        it = g.item(month)
        items.append(it)
        used += text_len(it)
    if len(items) <= 8:
        return [{"title": "主要工作情况", "sections": items}]
    # big report: groups of (一)…, each holding several 1. 2. 3. items
    groups, k = [], 0
    per = 5
    while k < len(items):
        chunk = items[k:k + per]
        k += per
        groups.append({"title": g.heading(), "text": g.paragraph(1, month), "sections": chunk})
    tops, per_top = [], 12
    for i in range(0, len(groups), per_top):
        tops.append({"title": ("主要工作情况" if i == 0 else g.r.choice(TOPICS) + "工作情况"),
                     "sections": groups[i:i + per_top]})
    return tops


def indicators(org_series, year, month, r):
    out = []
    for name, unit, _, kind, has_target in INDICATORS:
        s = org_series[name]
        ind = {"name": name, "unit": unit}
        if kind == "rate":
            ind["kind"] = "rate"
        cur, ly = s["cum"][year][month], s["cum"][year - 1][month]
        ind["value"], ind["last_year"] = cur, ly
        if has_target:
            ind["target"] = s["target"][year]
        if name in ("技工贸总收入", "固定资产投资") :
            ind["approx"] = True
        out.append(ind)
    return out


def rounder(unit):
    if unit in ("万元", "个", "家", "万美元"):
        return lambda x: int(round(x))
    if unit == "亿元":
        return lambda x: round(x, 2)
    return lambda x: round(x, 1)


def series_for(r, years):
    """Per indicator: cumulative figures per year and month (1..12), consistent across
    months (never decreasing) and across years (last_year = the earlier year's figure)."""
    s = {}
    scale = r.uniform(0.5, 2.0)
    for name, unit, full, kind, _ in INDICATORS:
        rd = rounder(unit)
        cum, target = {}, {}
        base = full * scale
        for y in [years[0] - 1] + list(years):
            base *= r.uniform(0.95, 1.2)
            if kind == "rate":
                cum[y] = {m: round(min(99.9, r.uniform(95, 99.5)), 1) for m in range(1, 13)}
            else:
                c, row = 0.0, {}
                for m in range(1, 13):
                    c += base / 12 * r.uniform(0.7, 1.3)
                    row[m] = rd(c)
                # integers and rounding can tie; keep strictly cumulative sums non-decreasing
                for m in range(2, 13):
                    row[m] = max(row[m], row[m - 1])
                cum[y] = row
            target[y] = rd(base * r.uniform(1.0, 1.15))
        s[name] = {"cum": cum, "target": target}
    return s


def month_doc(g, org, year, month, pages, series):
    full, short, area = org
    r = g.r
    span = f"1—{month}月" if month > 1 else "1月"
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    doc = {
        "title": f"{short}{year}年{span}{area}工作情况汇报",
        "org": full,
        "period": f"{year}-{month:02d}",
        "date": f"{ny}-{nm:02d}-{r.randint(3, 9):02d}",
        "to": r.choice(["区委、区政府", "市委、市政府", "县委、县政府"]),
        "preamble": f"今年以来，在上级党委、政府的坚强领导下，{short}紧紧围绕年度目标任务，"
                    f"扎实开展{r.choice(TOPICS)}、{r.choice(TOPICS)}和{r.choice(TOPICS)}工作，"
                    "各项工作成效明显。",
        "closing": "特此汇报。",
        "indicators": indicators(series, year, month, r),
    }
    secs = body_sections(g, pages - FIXED_PAGES, month)
    secs.append({"title": "存在的问题",
                 "points": r.sample(PROBLEMS, r.randint(3, 4))})
    nxt = r.sample(NEXT, r.randint(3, 4))
    secs.append({"title": "下一步工作打算",
                 "sections": [{"title": t, "text": g.fill(x, month)} for t, x in nxt]})
    doc["sections"] = secs
    doc["attachments"] = [f"{year}年{span}主要经济指标完成情况表"]
    return doc


def org_list(n, r):
    orgs, seen = [], set()
    while len(orgs) < n:
        d, (full, short, area) = r.choice(DISTRICTS), r.choice(ORG_KINDS)
        if (d, full) in seen:
            continue
        seen.add((d, full))
        orgs.append((f"{d}区{full}", f"{d}区{short}", area))
    return orgs


def cmd_report(a):
    g = Gen(a.seed)
    org = ("某某区产业开发区管理委员会", "产业开发区", "产业发展")
    series = series_for(g.r, [2026])
    doc = month_doc(g, org, 2026, 10, a.pages, series)
    dump(doc, a.out, f"gen_report.py report --pages {a.pages} --seed {a.seed}（虚构数据）")
    if a.with_history:
        # January..September of the same office beside it (short reports), so the build reads
        # history, fills 上月累计 and draws the trend as it does for a real month
        where = os.path.dirname(os.path.abspath(a.out))
        for m in range(1, 10):
            dump(month_doc(g, org, 2026, m, 3, series), os.path.join(where, f"2026-{m:02d}.yaml"),
                 f"gen_report.py report --with-history（虚构数据）")


def cmd_batch(a):
    r = random.Random(a.seed)
    per_org = a.years * 12
    norgs = -(-a.count // per_org)
    orgs = org_list(norgs, r)
    years = list(range(2027 - a.years, 2027))
    os.makedirs(a.dir, exist_ok=True)
    made = 0
    for oi, org in enumerate(orgs):
        g = Gen(a.seed * 7919 + oi)
        series = series_for(g.r, years)
        code = f"org{oi + 1:03d}"
        where = a.dir if a.layout == "flat" else os.path.join(a.dir, code)
        os.makedirs(where, exist_ok=True)
        for y in years:
            for m in range(1, 13):
                if made == a.count:
                    return
                pages = max(3.0, a.pages + g.r.uniform(-1, 1))
                doc = month_doc(g, org, y, m, pages, series)
                dump(doc, os.path.join(where, f"{code}-{y}-{m:02d}.yaml"),
                     f"gen_report.py batch（虚构数据）{code}")
                made += 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("report")
    a.add_argument("--pages", type=float, required=True)
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--with-history", action="store_true",
                   help="also write 2026-01..09 of the same office beside OUT")
    a.add_argument("out")
    b = sub.add_parser("batch")
    b.add_argument("--count", type=int, default=1000)
    b.add_argument("--years", type=int, default=3)
    b.add_argument("--pages", type=float, default=4)
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--layout", choices=("flat", "org"), default="flat")
    b.add_argument("dir")
    a = p.parse_args()
    if a.cmd == "report":
        cmd_report(a)
    else:
        cmd_batch(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
