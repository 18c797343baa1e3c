#!/usr/bin/env python3
"""Regenerate the seed corpora in tests/fuzz/corpus/<target>/ from the samples, the bad-input
corpus, the Mustache spec, a few hand-written Markdown documents and command lines. Seeds are
small (each under 20 KB); the fuzzers grow their own corpora in a scratch folder (see run.sh)."""
import hashlib
import json
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
src = os.path.normpath(os.path.join(here, "..", ".."))
shared = os.environ.get("HU_SHARED_DIR", os.path.join(src, "..", "shared"))
if not os.path.isfile(os.path.join(shared, "mustache-spec", "comments.json")):
    shared = os.path.join(src, "tests")  # the vendored copy of the spec
MAX = 20000


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX:
        return
    d = os.path.join(here, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(p):
    with open(p, "rb") as f:
        return f.read()


# --- inputs: samples (YAML and the same as JSON), bad inputs
samples = sorted(os.listdir(os.path.join(src, "samples")))
for s in samples:
    if s.endswith(".yaml"):
        put("fuzz_input", "sample-" + s, read(os.path.join(src, "samples", s)))
        put("fuzz_build", "sample-" + s, read(os.path.join(src, "samples", s)))
bad = os.path.join(src, "tests", "data", "bad")
for s in sorted(os.listdir(bad)):
    if s.endswith((".yaml", ".json")):
        put("fuzz_input", "bad-" + s, read(os.path.join(bad, s)))
        put("fuzz_build", "bad-" + s, read(os.path.join(bad, s)))
try:
    import yaml  # optional: the sample as JSON too

    y = yaml.safe_load(read(os.path.join(src, "samples", "2026-10.yaml")))
    put("fuzz_input", "sample-2026-10.json", json.dumps(y, ensure_ascii=False, indent=1, default=str))
except Exception:
    pass
MINIMAL = """title: 测试报告
org: 测试单位
period: 2026-03
indicators:
  - {name: 收入, unit: 亿元, value: 1.5, last_year: 1.2, target: 6, approx: true}
  - {name: 增速, unit: "%", value: 8.5, last_year: 7.1, kind: rate}
sections:
  - title: 主要工作情况
    sections:
      - title: 抓好招商
        text: "正文**加粗**和*强调*。\\n\\n| 项目 | 金额 |\\n|---|---:|\\n| 甲 | 1.5 |"
        points: [一, 二]
        highlights: [亮点]
      - 一段文字
  - title: 存在的问题
    points: [问题一]
attachments: [附件一]
"""
put("fuzz_input", "minimal.yaml", MINIMAL)
put("fuzz_build", "minimal.yaml", MINIMAL)
put("fuzz_build", "tiny.yaml", "title: 报告\norg: 单位\nperiod: 2026-01\n")

# --- Mustache: every spec test as TEMPLATE NUL DATA (partials under `partials:`)
spec = os.path.join(shared, "mustache-spec")
if os.path.isdir(spec):
    for fn in sorted(os.listdir(spec)):
        if not fn.endswith(".json") or "lambdas" in fn:
            continue
        for i, t in enumerate(json.load(open(os.path.join(spec, fn), encoding="utf-8"))["tests"]):
            data = t.get("data")
            if not isinstance(data, dict):
                data = {"_": data}
            data = dict(data)
            if t.get("partials"):
                data["partials"] = t["partials"]
            blob = t["template"].encode() + b"\0" + json.dumps(data, ensure_ascii=False).encode()
            put("fuzz_mustache", "spec-%s-%02d" % (fn[:-5].lstrip("~"), i), blob)
tdir = os.path.join(src, "templates")
for root, _, files in os.walk(tdir):
    for fn in files:
        if fn.endswith(".mustache"):
            rel = os.path.relpath(os.path.join(root, fn), tdir).replace("/", "-")
            put("fuzz_mustache", "tpl-" + rel, read(os.path.join(root, fn)) + b"\0" +
                read(os.path.join(src, "samples", "2026-10.yaml")))

# --- Markdown
MD = {
    # the fixture is a template: its structural-block tag lines are not Markdown
    "report.md": re.sub(rb"(?m)^\{\{[@/].*\n", b"",
                        read(os.path.join(src, "tests", "data", "pdf", "report.md.mustache"))),
    "headings.md": "# 标题很长很长很长很长很长很长很长很长很长很长很长很长\n\n区委、区政府：\n\n"
                   "## 一、主要工作情况\n\n### （一）坚持产业定力\n\n#### 1.加强服务\n\n##### （1）细节\n",
    "lead.md": "**（一）坚持产业定力，科学构建发展格局**。按照“一张蓝图绘到底”的发展思路，*楷体*，"
               "**加粗**，~~删除~~，`代码`，[链接](http://x)。\n",
    "table.md": "| 指标 | 单位 | 1—10月 | 同比 |\n|:---|:---:|---:|---|\n| 技工贸总收入 | 亿元 | 125.60 | 12.3% |\n"
                "| 很长很长很长很长很长很长很长很长很长很长的名称 | 个 | 24 | -1.5% |\n",
    "signature.md": "正文。\n\n<!-- signature -->\n\n某某区产业开发区管理委员会\n\n2026年11月5日\n",
    "recipient.md": "# 题\n\n<!-- recipient -->\n\n区委、区政府：\n\n正文\n",
    "lists.md": "- 一\n- 二\n  1. 甲\n  2. 乙\n\n> 引用\n\n```\ncode\n```\n\n---\n\n<div>html</div>\n",
    "latin.md": "Supercalifragilisticexpialidocious" * 30 + " 中文，English mixed 123.45%。\n",
    "breaks.md": "第一行\n第二行  \n第三行\\\n第四行 word\nword 中\n",
    "missing.md": "缺字\U00020000与私用\ue000，以及emoji😀。\n",
}
for k, v in MD.items():
    put("fuzz_markdown_layout", k, v)
    put("fuzz_build", "text-" + k, v)  # the structured half of fuzz_build reads text like this

# --- command lines: first byte picks the command (0 top level, 1 build, 2 check, 3 render,
# 4 fonts, 5 _spec; cli.h order), then NUL-separated arguments
CLI = {
    "build-all": (1, ["2026-10.yaml", "-o", "out", "-f", "pdf,md", "-t", "monthly", "--history",
                      "data/", "--font", "body=a.ttf", "--font=body=b.ttc#1", "--strict", "-j4",
                      "--depfile", "x.d", "-q", "--no-subset", "--", "-x.yaml"]),
    "build-errors": (1, ["x", "-f", "PDF,docx", "-j", "0", "--fromat", "-qh", "——format"]),
    "build-missing": (1, ["x.yaml", "-f"]),
    "check": (2, ["-q", "a.yaml", "b.yaml", "--help"]),
    "render": (3, ["--escape=md", "t.mustache", "d.yaml"]),
    "fonts": (4, ["--font", "kai=x.ttf", "--check", "in.yaml", "--strict"]),
    "top": (0, ["--version"]),
    "spec": (5, []),
}
for k, (c, args) in CLI.items():
    put("fuzz_cli", k, bytes([c]) + b"\0".join(a.encode("utf-8") for a in args))

# --- aliases (issue 15 items 1, 2): the loader's cycle, count and expansion limits
ALIASES = {
    "alias-cycle": "title: 测试\npreamble: &a [x, *a]\n",
    "alias-laughs": "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\n"
                    "d: &d [*c, *c, *c, *c]\nsections: [*d, *d]\n",
    "alias-merge": "base: &base {name: 工业增加值, unit: 亿元}\nindicators:\n"
                   "  - <<: *base\n    value: 1\n  - {<<: *base, value: 2}\n",
}
for k, v in ALIASES.items():
    put("fuzz_input", k, v.encode("utf-8"))

# --- -j results (jobresult.h): a child's result as written, and strings split at 0xFF
JOBRESULT = {
    "ok": b"S1:0T12:\xe6\xa0\x87\xe9\xa2\x98\xe6\xa0\x87\xe9\xa2\x98O15:out/2026-10.pdfD12:2026-10.yamlH1:3N1:4Z0:",
    "diag": b"S1:2v1:2f12:2026-10.yamll1:3c1:7p19:indicators[2].valuem6:abcdefX1:1Y1:0Z0:",
    "strings": b"\xff".join(x.encode("utf-8") for x in (
        "标题\nS0:\nO11:/etc/passwd", "某某局", "2026-10", "monthly", "2026-10.pdf", "a b:c.yaml",
        "f.yaml", "应为数字")),
}
for k, v in JOBRESULT.items():
    put("fuzz_jobresult", k, v)

# --- CFF tables (fuzz_cff): the CFF of real subsets, CID-keyed (Noto CJK: FDArray, FDSelect,
# subroutines) and name-keyed (TeX Gyre Termes), hinted and not; the first 4 bytes choose what
# the writer appends (fuzz_cff.c). Needs fontTools and the fonts test_cff uses.
CFF_FONTS = [("noto", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, "“《（，。中…"),
             ("termes", "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf",
              None, "“(A,.g")]
try:
    import io
    from fontTools import subset as ftsubset
    from fontTools.ttLib import TTFont
except ImportError:
    ftsubset = None
for name, path, index, text in CFF_FONTS:
    if ftsubset is None or not os.path.isfile(path):
        print("fuzz_cff: skipped", name, "(fontTools or the font missing)")
        continue
    for hinted in (False, True):
        font = TTFont(path, fontNumber=index or 0)
        opts = ftsubset.Options()
        opts.hinting = hinted
        opts.desubroutinize = False
        opts.notdef_outline = True
        sub = ftsubset.Subsetter(opts)
        sub.populate(text=text)
        sub.subset(font)
        buf = io.BytesIO()
        font.save(buf)
        cff = TTFont(io.BytesIO(buf.getvalue())).reader["CFF "]
        put("fuzz_cff", "%s-%s" % (name, "hinted" if hinted else "plain"), bytes([3, 0xf8, 2, 125]) + cff)

for t in ("fuzz_input", "fuzz_mustache", "fuzz_markdown_layout", "fuzz_build", "fuzz_cli", "fuzz_jobresult",
          "fuzz_cff"):
    d = os.path.join(here, "corpus", t)
    print(t, len(os.listdir(d)) if os.path.isdir(d) else 0, "seeds")
