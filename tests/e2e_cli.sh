#!/usr/bin/env bash
# e2e_cli.sh - the command line as a user meets it, on the real binary:
#  1. --help: `huibao --help`/-h/help list the subcommands; every subcommand (from the hidden
#     `huibao _spec`, i.e. the option table) answers --help and -h on stdout with exit 0 and
#     names each of its options; `huibao help CMD` is the same text; --version.
#  2. every option of every subcommand that takes a value, given without one (last on the line,
#     before another option, before --): exit 2 and the Chinese message naming the option and
#     what it expects — never a crash (the old `build x.yaml -f` segfault), never silent.
#  3. malformed and out-of-range values, unknown options and commands: exit 2, the message.
#  4. README.md's usage blocks are exactly the generated help (tools/readme_usage.py --check).
#  5. locale: with zh_CN.UTF-8 (generated here with localedef into a private LOCPATH) a system
#     error reads in Chinese, with C in English; outputs (PDF, XLSX, MD, HTML, stdout) are
#     byte-identical under C, zh_CN.UTF-8 and de_DE.UTF-8 (a decimal comma locale).
#  6. random argument vectors on the binary (HU_CLI_E2E_RUNS, default 120): exit 0, 1 or 2,
#     a message whenever 2, no signal, no sanitizer report.
# A tool this needs (python3, localedef, the locales and libc-l10n data) missing fails the test.
# Env: HUIBAO (the binary), HU_SOURCE_DIR.
set -u
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
SRC=$HU_SOURCE_DIR
PY=/usr/bin/python3
TMP=$(mktemp -d /tmp/hu-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export SOURCE_DATE_EPOCH=1793836800
unset LANGUAGE
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $*"; fail=$((fail+1)); }

# run ARGS…: sets rc, out (stdout), err (stderr); cwd is a scratch folder. ENV (a list of
# VAR=value, for env) is the environment's change for the run.
ENV=()
run() {
    (cd "$TMP/cwd" && env "${ENV[@]}" "$HUIBAO" "$@") >"$TMP/out" 2>"$TMP/err"
    rc=$?
    out=$(cat "$TMP/out")
    err=$(cat "$TMP/err")
}
mkdir -p "$TMP/cwd"

# ---------------------------------------------------------------- tools
for tool in "$PY" localedef; do
    command -v "$tool" >/dev/null || bad "tool missing: $tool (bash tools/deps.sh test)"
done
[ -f /usr/share/i18n/locales/zh_CN ] && [ -f /usr/share/i18n/locales/de_DE ] ||
    bad "locale sources missing: apt-get install locales"
[ -f /usr/share/locale/zh_CN/LC_MESSAGES/libc.mo ] ||
    bad "glibc's Chinese messages missing: apt-get install libc-l10n"
[ $fail = 0 ] || { echo "cli: $pass passed, $fail failed"; exit 1; }

# ---------------------------------------------------------------- 1. help
run _spec
[ $rc = 0 ] && "$PY" -c 'import json,sys; json.load(sys.stdin)' <<<"$out" && ok ||
    bad "huibao _spec: exit $rc, not JSON: $err"
cp "$TMP/out" "$TMP/spec.json"
# one line per command: name, hidden, then its options as kind:long:short
"$PY" - "$TMP/spec.json" >"$TMP/cmds" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
opts = {o["name"]: o for o in d["options"]}
for c in d["commands"]:
    names = [n for g in c["groups"] for n in g["options"]]
    print(c["name"], int(c["hidden"]),
          " ".join("%s:%s:%s" % (opts[n]["kind"], n, opts[n]["short"] or "") for n in names))
EOF
[ "$(wc -l <"$TMP/cmds")" -ge 4 ] && ok || bad "_spec lists $(wc -l <"$TMP/cmds") commands"
# the spec is not allowed to lose what build has always taken
for o in flag:strict: flag:no-subset: flag:quiet:q path:output:o enum-list:format:f \
    string:template:t path:history: key-path:font: integer:jobs:j path:depfile:M; do
    grep -qE "^build 0 (.* )?$o( |\$)" "$TMP/cmds" && ok || bad "build lacks option $o in _spec"
done

for h in --help -h help; do
    run $h
    [ $rc = 0 ] && [ -z "$err" ] && ok || bad "huibao $h: exit $rc, stderr: $err"
    while read -r name hidden _; do
        if [ "$hidden" = 0 ]; then
            grep -q "^  $name " <<<"$out" && ok || bad "huibao $h does not list $name"
        else
            grep -q "$name" <<<"$out" && bad "huibao $h lists hidden $name" || ok
        fi
    done <"$TMP/cmds"
done
run
[ $rc = 2 ] && grep -q "用法：huibao 命令" <<<"$err" && ok || bad "huibao alone: exit $rc: $err"
run --version
[ $rc = 0 ] && grep -qE '^huibao [0-9]+\.[0-9]+\.[0-9]+$' <<<"$out" && ok || bad "--version: $out"
run -V
[ $rc = 0 ] && grep -q '^huibao ' <<<"$out" && ok || bad "-V: $out"

while read -r name hidden opts; do
    run "$name" --help
    help=$out
    [ $rc = 0 ] && [ -z "$err" ] && grep -q "^用法：huibao $name " <<<"$help" && ok ||
        bad "huibao $name --help: exit $rc, stderr: $err"
    run "$name" -h
    [ "$out" = "$help" ] && ok || bad "huibao $name -h differs from --help"
    run help "$name"
    [ $rc = 0 ] && [ "$out" = "$help" ] && ok || bad "huibao help $name differs from --help"
    run "$name" x.yaml --bogus --help # --help anywhere wins
    [ $rc = 0 ] && [ "$out" = "$help" ] && ok || bad "huibao $name x.yaml --bogus --help: exit $rc"
    for o in $opts; do
        IFS=: read -r kind long short <<<"$o"
        grep -q -- "--$long" <<<"$help" && ok || bad "huibao $name --help does not show --$long"
        [ -z "$short" ] || grep -q -- "-$short, --$long" <<<"$help" && ok ||
            bad "huibao $name --help does not show -$short, --$long"
    done
    # no line wider than 80 columns (CJK characters count two)
    "$PY" -c '
import sys, unicodedata
for l in sys.stdin.read().splitlines():
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
    if w > 80: sys.exit("too wide (%d): %s" % (w, l))' <<<"$help" && ok || bad "huibao $name --help is wider than 80 columns"
done <"$TMP/cmds"

# ---------------------------------------------------------------- 2. each option missing its value
expect2() { # expect2 MESSAGE ARGS…: exit 2 and MESSAGE on stderr, nothing on stdout
    local want=$1
    shift
    run "$@"
    if [ $rc = 2 ] && grep -qF -- "$want" <<<"$err" && [ -z "$out" ]; then ok; else
        bad "huibao $*: exit $rc, expected 2 and “$want”; stderr: $err"
    fi
}
nmissing=0
while read -r name hidden opts; do
    for o in $opts; do
        IFS=: read -r kind long short <<<"$o"
        [ "$kind" = flag ] && continue
        for sp in "--$long" ${short:+"-$short"}; do
            expect2 "选项 $sp 缺少值：应为" "$name" x.yaml "$sp"
            expect2 "选项 $sp 缺少值：应为" "$name" "$sp" --help-me x.yaml
            expect2 "选项 $sp 缺少值：应为" "$name" "$sp" -- x.yaml
            nmissing=$((nmissing+1))
        done
    done
done <"$TMP/cmds"
[ $nmissing -ge 14 ] && ok || bad "only $nmissing option spellings take values"
# the issue's cases by name
expect2 "huibao build: 选项 -f 缺少值：应为 pdf、xlsx、md、html、docx 中的一个或多个" build x.yaml -f
expect2 "huibao build: 选项 -j 缺少值：应为 1 到 256 之间的整数，如 -j 4" build x.yaml -j
expect2 "huibao build: 选项 --font 缺少值：应为角色=字体文件" build x.yaml --font
expect2 "用 huibao build --help 查看用法。" build x.yaml -f

# ---------------------------------------------------------------- 3. bad values, unknown names
expect2 "选项 -j 的值“abc”不是整数" build x.yaml -jabc
expect2 "选项 -j 的值 0 超出范围：应为 1 到 256 之间的整数" build x.yaml -j 0
expect2 "选项 --jobs 的值 1000 超出范围" build x.yaml --jobs=1000
expect2 "选项 -f 里有未知的输出格式“odt”" build x.yaml -f pdf,odt
expect2 "请用半角逗号" build x.yaml -f pdf，md
expect2 "未知的字体角色“bodyy”，是否应为“body”？" build x.yaml --font bodyy=a.ttf
expect2 "未知的字体角色“bodyy”" fonts --font bodyy=a.ttf
expect2 "选项 --font 的值“body”缺少“=”" fonts --font body
expect2 "选项 --escape 里有未知的转义方式“latex”" render --escape latex t d
expect2 "选项 -o 的值为空" build x.yaml -o ""
expect2 "选项 --strict 不带值" build x.yaml --strict=1
expect2 "未知选项 --fromat，是否应为 --format？" build x.yaml --fromat pdf
expect2 "未知选项 --bogus" build --bogus
expect2 "本命令没有选项 -o（它是 huibao build、huibao check 的选项）" render x.yaml -o out
expect2 "应写作 --output" build x.yaml -output out
expect2 "短选项不能合写" build x.yaml -qh
expect2 "选项应以半角“-”开头：--format" build x.yaml ——format pdf
expect2 "请给出输入文件或文件夹" build -q
expect2 "请给出要检查的输入文件" check
expect2 "请给出输入文件（或模板文件和数据文件）" render --escape html
expect2 "参数过多：“e”是多余的" render t d e
expect2 "多余的参数“x”" fonts x
expect2 "huibao: 未知命令“bulid”，是否应为“build”？" bulid x.yaml
expect2 "选项 -q 应写在命令名之后" -q build x.yaml

# ---------------------------------------------------------------- 4. README
"$PY" "$SRC/tools/readme_usage.py" --check "$HUIBAO" && ok || bad "README.md's usage is stale"

# ---------------------------------------------------------------- 5. locale
LOC="$TMP/locales"
mkdir -p "$LOC"
for l in zh_CN de_DE; do
    localedef -i $l -f UTF-8 "$LOC/$l.UTF-8" >/dev/null 2>&1
    [ -f "$LOC/$l.UTF-8/LC_MESSAGES/SYS_LC_MESSAGES" ] || [ -d "$LOC/$l.UTF-8/LC_MESSAGES" ] ||
        bad "localedef -i $l -f UTF-8 failed"
done
cp "$SRC/samples/2026-10.yaml" "$TMP/cwd/"
# a system error (mkdir under a plain file: not a folder) in the user's language
: >"$TMP/none"
ENV=(LOCPATH="$LOC" LC_ALL=zh_CN.UTF-8)
run build -q 2026-10.yaml -o "$TMP/none/out"
[ $rc = 1 ] && grep -qF "不是目录" <<<"$err" && ok ||
    bad "zh_CN.UTF-8: exit $rc, strerror not in Chinese: $err"
ENV=(-u LC_ALL -u LC_MESSAGES LOCPATH="$LOC" LANG=zh_CN.UTF-8)
run build -q 2026-10.yaml -o "$TMP/none/out"
grep -qF "不是目录" <<<"$err" && ok || bad "LANG=zh_CN.UTF-8: $err"
ENV=(LC_ALL=C)
run build -q 2026-10.yaml -o "$TMP/none/out"
[ $rc = 1 ] && grep -qF "Not a directory" <<<"$err" && ok ||
    bad "C locale: $err"
# the same bytes under every locale; first make sure de_DE really has a decimal comma, so
# the comparison could fail if LC_NUMERIC followed the environment
dec=$(env LOCPATH="$LOC" LC_ALL=de_DE.UTF-8 "$PY" -c 'import locale; locale.setlocale(locale.LC_ALL, ""); print(locale.format_string("%.1f", 1.5))')
[ "$dec" = "1,5" ] && ok || bad "de_DE.UTF-8 does not format 1.5 as 1,5 (got “$dec”)"
for l in C zh_CN.UTF-8 de_DE.UTF-8; do
    ENV=(LOCPATH="$LOC" LC_ALL=$l)
    run build 2026-10.yaml -f pdf,xlsx,md,html -o "$TMP/o-$l"
    [ $rc = 0 ] && ok || bad "build under $l: exit $rc: $err"
    echo "$out" | sed "s#$TMP/o-$l#OUT#" >"$TMP/stdout-$l"
    run build --help
    echo "$out" >"$TMP/help-$l"
done
ENV=()
for l in zh_CN.UTF-8 de_DE.UTF-8; do
    for e in pdf xlsx md html; do
        cmp -s "$TMP/o-C/2026-10.$e" "$TMP/o-$l/2026-10.$e" && ok ||
            bad "2026-10.$e differs between C and $l"
    done
    cmp -s "$TMP/stdout-C" "$TMP/stdout-$l" && ok || bad "build's stdout differs under $l"
    cmp -s "$TMP/help-C" "$TMP/help-$l" && ok || bad "build --help differs under $l"
done

# ---------------------------------------------------------------- 6. random vectors
"$PY" - "$TMP/spec.json" "${HU_CLI_E2E_RUNS:-120}" >"$TMP/vectors" <<'EOF'
import json, random, sys
d = json.load(open(sys.argv[1]))
rng = random.Random(12)
tokens = ["--", "-", "", "x.yaml", "2026-10.yaml", "=", "——format", "-qh", "\u6c47" * 40,
          "0", "4", "257", "abc", "pdf,md", "PDF", "body=a.ttf", "body", "md", "latex"]
for o in d["options"]:
    tokens += ["--" + o["name"], "--%s=" % o["name"], "--%s=x" % o["name"]]
    if o["short"]:
        tokens += ["-" + o["short"], "-%s4" % o["short"]]
cmds = [c["name"] for c in d["commands"]] + ["help", "bogus"]
for _ in range(int(sys.argv[2])):
    v = [rng.choice(cmds)] + [rng.choice(tokens) for _ in range(rng.randrange(0, 8))]
    print(json.dumps(v, ensure_ascii=False))
EOF
nrun=0
while IFS= read -r line; do
    mapfile -d '' -t argv < <("$PY" -c 'import json,sys; sys.stdout.write("\0".join(json.loads(sys.argv[1])))' "$line")
    rm -rf "$TMP/cwd/out"
    (cd "$TMP/cwd" && timeout 60 "$HUIBAO" "${argv[@]}") >/dev/null 2>"$TMP/err"
    rc=$?
    nrun=$((nrun+1))
    if [ $rc -gt 2 ] || grep -qE "Sanitizer|runtime error|LeakSanitizer" "$TMP/err"; then
        bad "huibao $line: exit $rc: $(head -5 "$TMP/err")"
    elif [ $rc = 2 ] && [ ! -s "$TMP/err" ]; then
        bad "huibao $line: exit 2 without a message"
    else
        ok
    fi
done <"$TMP/vectors"
[ $nrun -ge 1 ] && ok || bad "no random vector ran"

echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
