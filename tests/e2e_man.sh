#!/usr/bin/env bash
# e2e_man.sh - the man page the build generated (packaging/gen.py → $HU_BUILD_DIR/huibao.1),
# read as `man huibao` shows it (man-db + groff, UTF-8, 80 columns) and checked against the
# option table (`huibao _spec`) and the sources, not against the generator's own code:
#  1. groff and man-db render it without a single warning; no line is wider than 80 columns
#     (Chinese text breaks between characters: the page's .class/.cflags rules); lexgrog (what
#     mandb and apropos index) reads its NAME line; the .gz holds the same page, without a
#     file name or time stamp.
#  2. every visible command is in 用法 and 命令 with its arguments; every option of the table
#     is in 选项 with its short form, its value, its help text (whitespace aside) and every
#     choice; each command's options are listed under it; the hidden _spec is nowhere.
#  3. every exit status of the table is in 退出状态.
#  4. every environment variable the sources read (getenv("…") in src/) is an entry of
#     环境变量, and HUIBAO_DATA_DIR, SOURCE_DATE_EPOCH, XDG_CACHE_HOME, XDG_DATA_HOME are there.
#  5. 文件 names the template search folders in their order (per-user, system, built-in),
#     the bundled fonts, every default fallback font file of src/fonts.c, the font cache, the
#     output folder's index.json and SHA256SUMS, and the completion script.
# Env: HUIBAO (the binary), HU_SOURCE_DIR, HU_BUILD_DIR.
set -euo pipefail
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}" "${HU_BUILD_DIR:?}"
page=$HU_BUILD_DIR/huibao.1
for t in man groff preconv lexgrog; do
    command -v $t >/dev/null || { echo "FAIL $t 未安装（bash tools/deps.sh test 安装 man-db）"; exit 1; }
done
[ -s "$page" ] || { echo "FAIL 没有生成 $page"; exit 1; }
tmp=$(mktemp -d /tmp/hu-man.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

# 1. rendering
export LANG=C.UTF-8 LC_ALL=C.UTF-8 MANWIDTH=80 MAN_KEEP_FORMATTING=
unset MANPAGER PAGER
if ! preconv -e UTF-8 "$page" | groff -man -Tutf8 -ww -z 2>"$tmp/groff.err" || [ -s "$tmp/groff.err" ]; then
    echo "FAIL groff 有警告："; cat "$tmp/groff.err"; fail=1
fi
man --warnings -l "$page" 2>"$tmp/man.err" | col -bx >"$tmp/page.txt" || true
if [ -s "$tmp/man.err" ]; then echo "FAIL man 有警告："; cat "$tmp/man.err"; fail=1; fi
name=$(lexgrog "$page" || true)
case "$name" in
*'"huibao - '*) ;;
*) echo "FAIL lexgrog 读不出名称行：$name"; fail=1 ;;
esac
if ! cmp -s <(gzip -dc "$HU_BUILD_DIR/huibao.1.gz") "$page"; then
    echo "FAIL huibao.1.gz 与 huibao.1 不同"; fail=1
fi
if [ "$(od -An -tx1 -j3 -N5 "$HU_BUILD_DIR/huibao.1.gz" | tr -d ' ')" != 0000000000 ]; then
    echo "FAIL huibao.1.gz 带有文件名或时间戳（应为 gzip -n）"; fail=1
fi

"$HUIBAO" _spec >"$tmp/spec.json"

# 2-5. content, by section of the rendered page
/usr/bin/python3 - "$tmp/spec.json" "$tmp/page.txt" "$HU_SOURCE_DIR" <<'EOF' || fail=1
import json, re, sys, unicodedata, glob, os
spec = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(sys.argv[2], encoding="utf-8").read()
src = sys.argv[3]
bad = []

def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

for n, line in enumerate(text.split("\n"), 1):
    if width(line) > 80:
        bad.append("第 %d 行超过 80 列（%d）：%s" % (n, width(line), line))

# sections: a heading is a line at column 0
sections, cur = {}, None
for line in text.split("\n"):
    if line and not line[0].isspace() and not line.startswith("HUIBAO(1)") and not line.startswith("huibao "):
        cur = line.strip()
        sections[cur] = ""
    elif cur:
        sections[cur] += line + "\n"
for s in ["名称", "用法", "描述", "命令", "选项", "退出状态", "环境变量", "文件", "示例", "参见"]:
    if s not in sections:
        bad.append("缺少一节：" + s)
        sections.setdefault(s, "")
squash = lambda s: re.sub(r"\s+", "", s)

cmds = [c for c in spec["commands"] if not c["hidden"]]
opts = {o["name"]: o for o in spec["options"]}
# the options section, split into entries (an entry starts at 7 spaces with a '-')
entries, key = {}, None
for line in sections["选项"].split("\n"):
    m = re.match(r"^ {7}(-\S, )?--([a-z-]+)\b(.*)$", line)
    if m:
        key = m.group(2)
        entries[key] = line + "\n"
    elif key:
        entries[key] += line + "\n"
for c in cmds:
    syn = "huibao %s [选项]" % c["name"]
    if syn not in sections["用法"]:
        bad.append("用法中没有 " + syn)
    for a in c["args"]:
        if a["metavar"] not in sections["用法"]:
            bad.append("用法中没有 %s 的参数 %s" % (c["name"], a["metavar"]))
    # the command's block in 命令: from its heading to the next
    m = re.search(r"^ {3}huibao %s \[选项\].*?(?=^ {3}huibao |\Z)" % re.escape(c["name"]),
                  sections["命令"], re.S | re.M)
    if not m:
        bad.append("命令一节中没有 huibao " + c["name"])
        continue
    block = m.group(0)
    if squash(c["description"] or c["summary"]) not in squash(block):
        bad.append("命令 %s 的说明与选项表不同" % c["name"])
    for g in c["groups"]:
        for name in g["options"]:
            if "--" + name not in block:
                bad.append("命令 %s 下没有列出 --%s" % (c["name"], name))
    for a in c["args"]:
        if squash(a["help"]) not in squash(block):
            bad.append("命令 %s 的参数 %s 的说明与选项表不同" % (c["name"], a["metavar"]))
used = {n for c in cmds for g in c["groups"] for n in g["options"]}
used |= {n for g in spec["toplevel"]["groups"] for n in g["options"]}
for name in sorted(used):
    o = opts[name]
    e = entries.get(name)
    if e is None:
        bad.append("选项一节中没有 --" + name)
        continue
    head = e.split("\n")[0].strip()
    want = ("-%s, --%s" % (o["short"], name)) if o["short"] else "--" + name
    if not head.startswith(want):
        bad.append("选项 --%s 的标题应以“%s”开头：%s" % (name, want, head))
    if o["metavar"] and o["kind"] not in ("enum", "enum-list") and o["metavar"] not in head:
        bad.append("选项 --%s 的标题中没有值 %s" % (name, o["metavar"]))
    if squash(o["help"]) not in squash(e):
        bad.append("选项 --%s 的说明与 --help 不同" % name)
    for ch in o["choices"]:
        for v in [ch["name"]] + ch["aliases"]:
            if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(v), e):
                bad.append("选项 --%s 没有列出取值 %s" % (name, v))
    if o["example"] and squash(o["example"]) not in squash(e):
        bad.append("选项 --%s 没有示例 %s" % (name, o["example"]))
for c in spec["commands"]:
    if c["hidden"] and re.search(r"(?<![\w])%s(?![\w])" % re.escape(c["name"]), text):
        bad.append("隐藏的命令 %s 出现在手册中" % c["name"])

# 3. exit statuses
codes = re.findall(r"(\d+)\s*([^；。\n]+)", spec["exit_statuses"].split("：", 1)[-1])
if not codes:
    bad.append("选项表里读不出退出状态")
for code, meaning in codes:
    if not re.search(r"^ {7}%s\s+%s" % (code, re.escape(meaning.strip())), sections["退出状态"], re.M):
        bad.append("退出状态一节中没有 %s %s" % (code, meaning))

# 4. environment: every variable a source file reads
env = set()
for f in glob.glob(os.path.join(src, "src", "*.c")):
    env |= set(re.findall(r'getenv\("([A-Z_][A-Z0-9_]*)"\)', open(f, encoding="utf-8").read()))
env |= {"HUIBAO_DATA_DIR", "SOURCE_DATE_EPOCH", "XDG_CACHE_HOME", "XDG_DATA_HOME"}
heads = set()
for line in sections["环境变量"].split("\n"):
    m = re.match(r"^ {7}([A-Z_][A-Z0-9_]*(?:, [A-Z_][A-Z0-9_]*)*)(?:\s|$)", line)
    if m:
        heads |= {v.strip() for v in m.group(1).split(",")}
for v in sorted(env - heads):
    bad.append("环境变量一节中没有 " + v)

# 5. files
files = squash(sections["文件"])
order = ["${XDG_DATA_HOME:-~/.local/share}/huibao/templates/", "/usr/local/share/huibao/templates/",
         "/usr/share/huibao/templates/"]
pos = [files.find(p) for p in order]
if -1 in pos:
    bad.append("文件一节缺少模板文件夹：%s" % [p for p, i in zip(order, pos) if i < 0])
m = re.search(r"个人模板文件夹、单位（系统）模板文件夹、内置模板", files)
if not m:
    bad.append("文件一节没有写明模板的查找顺序（个人、单位、内置）")
for p in ["/usr/share/huibao/fonts/", "~/.cache/huibao/fonts.sha256", "index.json", "SHA256SUMS",
          "/usr/share/bash-completion/completions/huibao", "/usr/share/doc/huibao/"]:
    if p not in files:
        bad.append("文件一节中没有 " + p)
fonts_c = open(os.path.join(src, "src", "fonts.c"), encoding="utf-8").read()
sys_fonts = re.findall(r'\{"([a-z]+)/([A-Za-z0-9-]+\.tt[cf])", \d+, "fonts-', fonts_c)
if not sys_fonts:
    bad.append("src/fonts.c 里读不出默认后备字体表（sys_fonts）")
for d, f in sys_fonts:
    if f not in files or d not in files:
        bad.append("文件一节中没有默认后备字体 %s/%s" % (d, f))

for b in bad:
    print("FAIL", b)
print("man: %d 个命令、%d 个选项、%d 个退出状态、%d 个环境变量已核对" % (len(cmds), len(used), len(codes), len(env)))
sys.exit(1 if bad else 0)
EOF
exit $fail
