#!/usr/bin/env python3
"""Generate the man page and the bash completion from the option table.

    python3 packaging/gen.py HUIBAO OUTDIR

runs `HUIBAO _spec` (the JSON form of src/cli.c's option and command tables) and writes
OUTDIR/huibao.1, OUTDIR/huibao.1.gz and OUTDIR/huibao.bash. The build runs it (CMakeLists.txt),
so a command or option added to the table appears in both without editing anything here.

The prose the table does not hold (description, environment, files, examples) is in
packaging/huibao.1.in; its @NAME@ markers are replaced by the generated sections. The completion
logic is packaging/huibao.bash.in; @TABLES@ is replaced by the generated tables.

Only the Python standard library: this runs at build time on a fresh machine.
"""
import gzip
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


# ----------------------------------------------------------------------------- text

def is_wide(ch):
    return ord(ch) > 0x2E7F


def join_lines(text):
    """The table's help texts carry line breaks for the terminal; a paragraph joins them
    with the CJK rule of src/utf8.c hu_cjk_joins: no space when either neighbour is CJK."""
    out = ""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if out and not is_wide(out[-1]) and not is_wide(line[0]):
            out += " "
        out += line
    return out


def roff(text):
    """Escape text for a roff line: backslashes, hyphens (so copied options are ASCII
    hyphen-minus), and a leading control character."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if text[:1] in (".", "'"):
        text = "\\&" + text
    return text


def bold(text):
    return "\\fB" + roff(text) + "\\fR"


def ital(text):
    return "\\fI" + roff(text) + "\\fR"


# ----------------------------------------------------------------------------- the spec

def load_spec(huibao):
    out = subprocess.run([huibao, "_spec"], check=True, stdout=subprocess.PIPE).stdout
    return json.loads(out.decode("utf-8"))


def visible_commands(spec):
    return [c for c in spec["commands"] if not c["hidden"]]


def command_options(cmd):
    return [name for g in cmd["groups"] for name in g["options"]]


def choice_names(opt):
    names = []
    for c in opt["choices"]:
        names.append(c["name"])
        names.extend(c["aliases"])
    return names


def opt_value_label(opt):
    """What follows the option in --help: cli.c opt_left."""
    canon = [c["name"] for c in opt["choices"]]
    if opt["kind"] == "enum":
        return "|".join(canon)
    if opt["kind"] == "enum-list":
        return ",".join(canon)
    if opt["kind"] != "flag":
        return opt["metavar"]
    return None


def exit_statuses(spec):
    """[(code, meaning)] from the table's exit status line ("0 成功；1 生成失败；…")."""
    text = spec["exit_statuses"].split("：", 1)[-1]
    return [(m.group(1), m.group(2).strip()) for m in re.finditer(r"(\d+)\s*([^；。\n]+)", text)]


def args_synopsis(cmd):
    parts = []
    for a in cmd["args"]:
        s = ital(a["metavar"]) + ("…" if a["many"] else "")
        parts.append("[" + s + "]" if a["optional"] else s)
    return " ".join(parts)


# ----------------------------------------------------------------------------- man page

def man_synopsis(spec):
    lines = []
    for cmd in visible_commands(spec):
        lines.append(".br")
        lines.append(bold("huibao " + cmd["name"]) + " [" + ital("选项") + "] " + args_synopsis(cmd))
    lines.append(".br")
    lines.append(bold("huibao") + " " + ital("命令") + " " + bold("--help"))
    lines.append(".br")
    lines.append(bold("huibao help") + " [" + ital("命令") + "]")
    for g in spec["toplevel"]["groups"]:
        for name in g["options"]:
            lines.append(".br")
            lines.append(bold("huibao --" + name))
    return "\n".join(lines[1:])


def man_commands(spec, options):
    lines = []
    for cmd in visible_commands(spec):
        lines.append(".SS " + bold("huibao " + cmd["name"]) + " [" + ital("选项") + "] " + args_synopsis(cmd))
        lines.append(roff(join_lines(cmd["description"] or cmd["summary"])))
        if cmd["args"]:
            lines.append(".PP")
            lines.append("参数：")
            for a in cmd["args"]:
                lines.append(".TP")
                lines.append(ital(a["metavar"]) + ("…" if a["many"] else ""))
                lines.append(roff(join_lines(a["help"])))
        lines.append(".PP")
        groups = []
        for g in cmd["groups"]:
            names = []
            for name in g["options"]:
                o = options[name]
                names.append(bold("--" + name) + ("（" + bold("-" + o["short"]) + "）" if o["short"] else ""))
            groups.append(roff(g["title"]) + "：" + "、".join(names))
        lines.append("选项（见“选项”一节）：" + "；".join(groups) + "。")
    return "\n".join(lines)


def man_options(spec):
    users = {}
    for cmd in visible_commands(spec):
        for name in command_options(cmd):
            users.setdefault(name, []).append(cmd["name"])
    for g in spec["toplevel"]["groups"]:
        for name in g["options"]:
            users.setdefault(name, []).append("")
    lines = []
    for opt in spec["options"]:
        if opt["name"] not in users:
            continue
        head = bold("-" + opt["short"]) + ", " if opt["short"] else ""
        head += bold("--" + opt["name"])
        label = opt_value_label(opt)
        if label:
            head += " " + ital(label)
        lines.append(".TP")
        lines.append(head)
        body = join_lines(opt["help"])
        if not body.endswith(("。", "！", "？")):
            body += "。"
        extra = []
        # the choices: a ROLE=FILE option's roles, and aliases the value label does not show
        if opt["choices"] and (opt["kind"] == "key-path" or any(c["aliases"] for c in opt["choices"])):
            noun = opt["choice_noun"] or "可选值"
            names = []
            for c in opt["choices"]:
                names.append(c["name"] + ("（也可写作 " + "、".join(c["aliases"]) + "）" if c["aliases"] else ""))
            extra.append(noun + "：" + "、".join(names))
        if opt["kind"] == "int" and "min" in opt:
            extra.append("取值 %d–%d" % (opt["min"], opt["max"]))
        if opt["repeatable"]:
            extra.append("可重复")
        if set(users[opt["name"]]) >= {c["name"] for c in visible_commands(spec)}:
            extra.append("用于每个命令")
        else:
            extra.append("用于 " + "、".join("huibao " + c if c else "huibao" for c in users[opt["name"]]))
        text = roff(body + "；".join(extra) + "。")
        if opt["example"]:
            text += "例：" + bold(opt["example"]).replace(" ", "\\ ")  # unbreakable
        lines.append(text)
    return "\n".join(lines)


def man_exit(spec):
    lines = []
    for code, meaning in exit_statuses(spec):
        lines.append(".TP")
        lines.append(bold(code))
        lines.append(roff(meaning))
    return "\n".join(lines)


def man_date():
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    if sde and sde.isdigit():
        return time.strftime("%Y-%m-%d", time.gmtime(int(sde)))
    try:
        out = subprocess.run(["git", "-C", HERE, "log", "-1", "--format=%cs"], check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        return out.decode().strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def is_cjk_punct(ch):
    return 0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFFEF


def join_prose(text):
    """Roff reads a line break in running text as a space. The prose in huibao.1.in is wrapped
    for editing; a break between two CJK characters, or next to full-width punctuation, is no
    space in Chinese, so such text lines are joined. A break between a CJK character and a
    Latin word stays a space (the page's spacing convention). Not inside .nf blocks."""
    out = []
    fill = True
    prev_text = False
    for line in text.split("\n"):
        is_text = bool(line) and line[0] not in ".'"
        if is_text and prev_text and fill:
            a = re.sub(r"\\f[BIRP]", "", out[-1])
            b = re.sub(r"\\f[BIRP]", "", line)
            if a and b and ((is_wide(a[-1]) and is_wide(b[0])) or is_cjk_punct(a[-1])
                            or is_cjk_punct(b[0])):
                out[-1] += line
                continue
        if line.startswith(".nf"):
            fill = False
        elif line.startswith(".fi"):
            fill = True
        out.append(line)
        prev_text = is_text
    return "\n".join(out)


def break_points(text):
    """groff breaks Chinese between ideographs (the page's .cflags), but not between full-width
    punctuation and a Latin word after it ("、--format"): mark those places with \\: (a
    break point that prints nothing). Text lines only, not inside .nf blocks."""
    out, fill = [], True
    for line in text.split("\n"):
        if line.startswith(".nf"):
            fill = False
        elif line.startswith(".fi"):
            fill = True
        elif fill and line and line[0] not in ".'":
            line = re.sub("([\u3001\u3002\uff0c\uff1b\uff1a\uff09\u300b\u3011])(?=[\\\\\x21-\x7e])",
                          "\\1\\\\:", line)
        out.append(line)
    return "\n".join(out)


def man_page(spec):
    options = {o["name"]: o for o in spec["options"]}
    with open(os.path.join(HERE, "huibao.1.in"), encoding="utf-8") as f:
        text = join_prose(f.read())
    subst = {
        "VERSION": spec["version"],
        "DATE": man_date(),
        "SYNOPSIS": man_synopsis(spec),
        "COMMANDS": man_commands(spec, options),
        "OPTIONS": man_options(spec),
        "EXIT_STATUS": man_exit(spec),
    }

    def repl(m):
        return subst[m.group(1)]

    text = re.sub(r"@([A-Z_]+)@", repl, text)
    return break_points(text)


# ----------------------------------------------------------------------------- completion

def sh_words(words):
    return "'" + " ".join(words) + "'"


def opt_completion(opt):
    """How a value of this option completes: derived from the table's kind and metavar, so a
    new option gets the right completion without editing this script. "template" is the one
    option completed from the template search folders."""
    kind = opt["kind"]
    if kind == "flag":
        return None
    if opt["name"] == "template":
        return "template"
    if kind == "enum":
        return "enum"
    if kind == "enum-list":
        return "list"
    if kind == "key-path":
        return "keypath"
    if kind == "path":
        return "dir" if opt["metavar"] == "文件夹" else "file"
    return "none"  # int, string: nothing to offer


def completion(spec):
    cmds = visible_commands(spec)
    lines = ["_huibao_commands=" + sh_words(c["name"] for c in cmds)]
    top = []
    for g in spec["toplevel"]["groups"]:
        for name in g["options"]:
            top.append("--" + name)
    lines.append("_huibao_top_options=" + sh_words(top))
    lines.append("")
    lines.append("# The options a command takes (long names; short ones complete too when typed).")
    lines.append("_huibao_options() {")
    lines.append("    case $1 in")
    for c in cmds:
        lines.append("    %s) echo %s ;;" % (c["name"], sh_words("--" + n for n in command_options(c))))
    lines.append("    esac")
    lines.append("}")
    lines.append("")
    lines.append("# What an option's value is: none (a flag), or how to complete it.")
    lines.append("_huibao_value_kind() {")
    lines.append("    case $1 in")
    for o in spec["options"]:
        how = opt_completion(o)
        if how is None:
            continue
        pat = "--" + o["name"]
        if o["short"]:
            pat = "-" + o["short"] + "|" + pat
        lines.append("    %s) echo %s ;;" % (pat, how))
    lines.append("    *) echo flag ;;")
    lines.append("    esac")
    lines.append("}")
    lines.append("")
    lines.append("# The choices of an enum, list or key option.")
    lines.append("_huibao_choices() {")
    lines.append("    case $1 in")
    for o in spec["options"]:
        if not o["choices"]:
            continue
        pat = "--" + o["name"]
        if o["short"]:
            pat = "-" + o["short"] + "|" + pat
        lines.append("    %s) echo %s ;;" % (pat, sh_words(choice_names(o))))
    lines.append("    esac")
    lines.append("}")
    lines.append("")
    lines.append("# Short option letter -> long option (for -fpdf, -j4 and the like).")
    lines.append("_huibao_long() {")
    lines.append("    case $1 in")
    for o in spec["options"]:
        if o["short"]:
            lines.append("    %s) echo --%s ;;" % (o["short"], o["name"]))
    lines.append("    esac")
    lines.append("}")
    tables = "\n".join(lines)
    with open(os.path.join(HERE, "huibao.bash.in"), encoding="utf-8") as f:
        text = f.read()
    return text.replace("@TABLES@", tables).replace("@VERSION@", spec["version"])


# ----------------------------------------------------------------------------- main

def write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("用法：python3 packaging/gen.py HUIBAO程序 输出文件夹\n")
        return 2
    spec = load_spec(sys.argv[1])
    outdir = sys.argv[2]
    man = man_page(spec).encode("utf-8")
    write(os.path.join(outdir, "huibao.1"), man)
    # gzip -9n: no file name, no time stamp, so the bytes depend on the text alone
    write(os.path.join(outdir, "huibao.1.gz"), gzip.compress(man, compresslevel=9, mtime=0))
    write(os.path.join(outdir, "huibao.bash"), completion(spec).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
