#!/usr/bin/python3
"""genreport.py N OUT.yaml - a report of about N pages whose body text is unlike the samples:
URLs, IDs, long Latin names, 10亿元, 12.4%；, punctuation clusters, numbers with measure words,
quoted and bracketed names. Deterministic (a fixed seed), so the test's figures are stable."""
import random
import sys

R = random.Random(20261015)
WORDS = ("园区 企业 项目 招商 投资 建设 服务 产业 发展 推进 落实 完善 机制 平台 创新 协调 "
         "保障 监管 安全 生产 环保 税收 人才 金融 土地 规划 审批 改革 督查 考核 统筹 培育 "
         "壮大 集群 链条 配套 基础设施 营商环境 数字化 绿色低碳 高质量 专项 排查 整改 "
         "调度 会商 对接 签约 开工 投产 达产 入驻 孵化 研发 转化 申报 认定 奖补").split()
MEASURE = "场 次 个 家 项 件 人 名 户 吨 台 套 辆 座 批 期 轮 篇 份 天 倍 栋 宗 笔 例".split()
LATIN = ["International Business Machines", "Schneider Electric", "Siemens Healthineers",
         "ABB", "SAP S/4HANA", "Windows Server 2022", "ERP", "5G", "ISO 9001", "GB/T 9704-2012",
         "Contemporary Amperex Technology Co., Limited"]
URLS = ["https://www.example.gov.cn/zwgk/2026/10/t20261015_123456.html",
        "http://zwfw.example.gov.cn/portal/#/guide?itemCode=11430100MB1234567X",
        "www.kfq.example.cn/tzgg/index.shtml"]
IDS = ["91430100MA4L8X2K3P", "湘发改投资〔2026〕123号", "HN-KFQ-2026-0815-007", "XM2026100001"]


def clause():
    k = R.random()
    w = "".join(R.choice(WORDS) for _ in range(R.randint(2, 5)))
    if k < 0.15:
        return w + "%d%s" % (R.randint(1, 999), R.choice(MEASURE))
    if k < 0.25:
        return w + "%.2f亿元，同比增长%.1f%%" % (R.uniform(0.5, 150), R.uniform(-20, 40))
    if k < 0.32:
        return "完成%s%d.%d公里" % (w, R.randint(1, 99), R.randint(0, 9))
    if k < 0.38:
        return "引进%s（%s）" % (w, R.choice(LATIN))
    if k < 0.42:
        return "详见%s" % R.choice(URLS)
    if k < 0.47:
        return "编号%s的%s" % (R.choice(IDS), w)
    if k < 0.53:
        return "制定《%s实施方案（%d—%d年）》" % (w, R.randint(2020, 2026), R.randint(2027, 2035))
    if k < 0.58:
        return "开展“%s”%s" % ("".join(R.choice(WORDS) for _ in range(2)), w)
    if k < 0.62:
        return "%s（%s、%s）" % (w, R.choice(WORDS), R.choice(WORDS))
    if k < 0.66:
        return "占比12.4%%；%s" % w
    return w


def paragraph():
    out = []
    for _ in range(R.randint(4, 14)):
        out.append(clause())
        out.append(R.choice("，，，，；、"))
    out[-1] = R.choice("。。。！")
    return "".join(out)


def main():
    pages = int(sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write("title: 产业开发区2026年1—10月工作情况汇报\norg: 某某区产业开发区管理委员会\n"
                "period: 2026-10\ndate: 2026-11-05\nto: 区委、区政府\n"
                "indicators:\n  - name: 技工贸总收入\n    unit: 亿元\n    value: 125.6\n"
                "sections:\n")
        # about 20 body lines of 28 characters a page
        for _ in range(pages * 22 * 28 // 155):
            f.write("  - \"%s\"\n" % paragraph().replace("\\", "\\\\").replace('"', '\\"'))
        f.write("closing: 特此汇报。\n")


main()
