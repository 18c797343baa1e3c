#!/usr/bin/env bash
# e2e_hostile.sh - unattended archive builds against hostile and careless folders (issue 15).
#
# Every case runs the real binary under a time limit and a memory limit, and checks the exit
# status, the Chinese message, which files exist afterwards, and that no sanitizer or signal
# ended it. The last case puts every hostile file beside good months in one folder and checks
# that the batch builds every good month and names every bad one.
# Env: HUIBAO (the binary), HU_SOURCE_DIR.
set -u
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
SRC=$HU_SOURCE_DIR
export SOURCE_DATE_EPOCH=1793836800
TMP=$(mktemp -d /tmp/hu-hostile.XXXXXX)
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
for tool in python3 make sha256sum timeout; do
    command -v $tool >/dev/null || { echo "FAIL: $tool is missing"; exit 1; }
done

# Sanitizer builds cannot run under ulimit -v (the shadow memory is reserved up front); they
# get ASan's own RSS limit instead.
if "$HUIBAO" --version >/dev/null 2>&1 && nm -C "$HUIBAO" 2>/dev/null | grep -q __asan_init; then
    export ASAN_OPTIONS="${ASAN_OPTIONS:-}:hard_rss_limit_mb=1024"
    LIMIT_V=unlimited
    LIMIT_T=120
else
    LIMIT_V=$((1024 * 1024)) # KiB: 1 GiB
    LIMIT_T=30
fi
# The time limit catches a hang (a FIFO opened, an alias bomb expanded, a loop without end), not
# slowness: each of these runs takes well under a second alone, but CI runs two suites side by
# side on two cores, and a sanitizer build is several times slower (bench/ measures speed).
# run NAME EXPECTED_STATUS ARGS... : runs huibao with LIMIT_T s and 1 GiB, output in $TMP/NAME.err
run() {
    local name=$1 want=$2
    shift 2
    (ulimit -v $LIMIT_V; exec timeout -s KILL $LIMIT_T "$HUIBAO" "$@") >"$TMP/$name.out" 2>"$TMP/$name.err"
    local st=$?
    if [ $st -ne "$want" ]; then
        bad "$name: exit $st, expected $want"
        sed 's/^/    /' "$TMP/$name.err" | head -20
        return 1
    fi
    if grep -q "Sanitizer\|runtime error" "$TMP/$name.err"; then
        bad "$name: sanitizer report"
        head -20 "$TMP/$name.err"
        return 1
    fi
    return 0
}
has() { # name text...
    local name=$1
    shift
    for t in "$@"; do
        grep -qF -- "$t" "$TMP/$name.err" || { bad "$name: message lacks “$t”"; sed 's/^/    /' "$TMP/$name.err" | head -20; return 1; }
    done
    return 0
}
month() { # file period [title]
    printf 'title: %s\norg: 测试单位\nperiod: %s\ndate: %s-28\nindicators:\n  - {name: 营业收入, unit: 亿元, value: 12.5, last_year: 11}\nsections:\n  - title: 主要工作情况\n    text: 本月工作平稳推进。\n' \
        "${3:-测试单位工作情况汇报}" "$2" "$2" >"$1"
}

# ---------------------------------------------------------------- -j results cannot be forged
D=$TMP/inject
mkdir -p "$D/in"
month "$D/in/2026-01.yaml" 2026-01
# a literal-block title with lines that look like the old line records
printf 'title: |-\n  注入测试\n  S 0\n  O /etc/passwd\n  D /etc/shadow\norg: 测试单位\nperiod: 2026-02\ndate: 2026-02-28\nsections:\n  - title: 情况\n    text: 正文。\n' >"$D/in/2026-02.yaml"
# a bad month that must stay a failure
printf 'title: 坏月份\norg: 测试单位\nperiod: 2026-13\n' >"$D/in/2026-03.yaml"
if run inject 2 build "$D/in" -o "$D/out" -j 2 --depfile "$D/dep.mk" -f md; then
    if grep -q "/etc/passwd\|/etc/shadow" "$D/dep.mk" "$TMP/inject.out" 2>/dev/null; then
        bad "inject: a path from a title reached the depfile or the output list"
    elif ! /usr/bin/python3 -c '
import json,sys
r={x["name"]: x for x in json.load(open(sys.argv[1]))["reports"]}
t=r["2026-02"]["title"]
assert t=="注入测试\nS 0\nO /etc/passwd\nD /etc/shadow", repr(t)
assert "2026-03" not in r' "$D/out/index.json"; then
        bad "inject: index.json lost the literal-block title or lists the failed month"
    elif [ -e "$D/out/2026-03.md" ]; then
        bad "inject: the failed month has an output"
    else
        ok
    fi
fi

# ---------------------------------------------------------------- same stem
D=$TMP/stem
mkdir -p "$D/a" "$D/b"
month "$D/a/2026-04.yaml" 2026-04
month "$D/a/2026-05.yaml" 2026-05
printf '{"title": "JSON 版", "org": "测试单位", "period": "2026-04", "date": "2026-04-28"}\n' >"$D/a/2026-04.json"
month "$D/b/2026-05.yaml" 2026-05 另一个文件夹
month "$D/b/2026-06.yaml" 2026-06
if run stem 2 build "$D/a" "$D/b" -o "$D/out" -f md -j 2 &&
    has stem "2026-04.json" "同名" "2026-05.yaml"; then
    if [ -e "$D/out/2026-04.md" ] || [ -e "$D/out/2026-05.md" ] || [ ! -e "$D/out/2026-06.md" ]; then
        bad "stem: colliding months were written or the good month was not"
    else
        ok
    fi
fi
# the same file twice is built once, not a collision
D=$TMP/twice
mkdir -p "$D"
month "$D/2026-04.yaml" 2026-04
run twice 0 build "$D/2026-04.yaml" "$D" "$D/../twice/2026-04.yaml" -o "$D/out" -f md && ok

# ---------------------------------------------------------------- FIFOs never hang a batch
D=$TMP/fifo
mkdir -p "$D/in" "$D/tpl/t"
month "$D/in/2026-01.yaml" 2026-01
mkfifo "$D/in/2026-02.yaml"
if run fifo 2 build "$D/in" -o "$D/out" -f md -j 2 && has fifo "命名管道" "2026-02.yaml"; then
    [ -e "$D/out/2026-01.md" ] && ok || bad "fifo: the good month was not built"
fi
mkfifo "$D/font.ttf"
if run fifo-font 2 build "$D/in/2026-01.yaml" -o "$D/out2" -f pdf --font "body=$D/font.ttf"; then
    has fifo-font "命名管道" && ok
fi
mkdir -p "$D/tpl/templates"
cp -r "$SRC/templates/." "$D/tpl/templates/"
rm "$D/tpl/templates/partials/monthly-base.mustache"
mkfifo "$D/tpl/templates/partials/monthly-base.mustache"
if HUIBAO_DATA_DIR="$D/tpl" run fifo-partial 2 build "$D/in/2026-01.yaml" -o "$D/out3" -f md; then
    has fifo-partial "命名管道" && ok
fi

# ---------------------------------------------------------------- planted links
D=$TMP/links
mkdir -p "$D/in" "$D/out"
month "$D/in/2026-01.yaml" 2026-01
month "$D/in/2026-02.yaml" 2026-02
echo "precious" >"$D/target"
ln -s "$D/target" "$D/out/.huibao.lock"
for n in 1 2 3 4 5 6 7 8; do ln -s "$D/target" "$D/out/.huibao-job-$$-$n"; done
if run links 0 build "$D/in" -o "$D/out" -f md -j 2; then
    [ "$(cat "$D/target")" = precious ] && ok || bad "links: a planted link's target was written"
fi
ln -s "$D/target" "$D/out/.huibao-journal"
if run links-journal 1 build "$D/in/2026-01.yaml" -o "$D/out" -f md; then
    has links-journal "符号链接" && [ "$(cat "$D/target")" = precious ] && ok
fi

# a main template that links out of its folder is refused like such a partial
mkdir -p "$D/data/templates/evil"
cp -r "$SRC/templates/partials" "$D/data/templates/"
printf '# 外部模板\n' >"$D/outside.mustache"
ln -s "$D/outside.mustache" "$D/data/templates/evil/report.md.mustache"
if HUIBAO_DATA_DIR="$D/data" run links-template 2 build "$D/in/2026-01.yaml" -t evil -o "$D/o2" -f md; then
    has links-template "模板文件夹之外" && ok
fi

# ---------------------------------------------------------------- hostile templates
# loops that print nothing, and partials that double at each level: a work budget, not hours
mkdir -p "$D/data/templates/loop" "$D/data/templates/double"
printf '{{#indicators}}{{#indicators}}{{#indicators}}{{#indicators}}{{#indicators}}{{#indicators}}{{/indicators}}{{/indicators}}{{/indicators}}{{/indicators}}{{/indicators}}{{/indicators}}# 标题\n' \
    >"$D/data/templates/loop/report.md.mustache"
printf '{{> d1}}\n' >"$D/data/templates/double/report.md.mustache"
for i in $(seq 1 40); do printf '{{> d%d}}{{> d%d}}' $((i + 1)) $((i + 1)) >"$D/data/templates/double/d$i.mustache"; done
: >"$D/data/templates/double/d41.mustache"
python3 - "$D/in/big.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("title: 指标多\norg: 测试单位\nperiod: 2026-01\ndate: 2026-01-31\nindicators:\n")
    for i in range(60):
        f.write(f"  - {{name: 指标{i}, unit: 亿元, value: {i}.5}}\n")
PY
for t in loop double; do
    if HUIBAO_DATA_DIR="$D/data" run "template-$t" 2 build "$D/in/big.yaml" -t $t -o "$D/o3" -f md; then
        has "template-$t" "工作量超过上限" && ok
    fi
done
rm "$D/in/big.yaml"

# ---------------------------------------------------------------- killed batches
# After SIGKILL of a whole -j batch, the next (successful) build leaves a SHA256SUMS that
# `sha256sum -c` accepts in full: no genuine output reported FAILED.
D=$TMP/killed
mkdir -p "$D/in"
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do month "$D/in/2026-$m.yaml" "2026-$m"; done
"$HUIBAO" build "$D/in" -o "$D/out" -f md,pdf -j 2 -q 2>/dev/null
for round in 1 2 3 4 5 6; do
    # change every month so the outputs differ, then kill the batch at a random moment
    sed -i "s/本月工作平稳推进[^。]*。/本月工作平稳推进（第$round轮）。/" "$D"/in/*.yaml
    setsid "$HUIBAO" build "$D/in" -o "$D/out" -f md,pdf -j 2 -q 2>/dev/null &
    pid=$!
    sleep "0.$((RANDOM % 9 + 1))"
    kill -KILL -- -$pid 2>/dev/null
    wait $pid 2>/dev/null
    # a later build of one month only
    "$HUIBAO" build "$D/in/2026-01.yaml" -o "$D/out" -f md,pdf -q 2>/dev/null
    if ! (cd "$D/out" && sha256sum -c --quiet SHA256SUMS >/dev/null 2>&1); then
        bad "killed: round $round: SHA256SUMS does not match the outputs"
        (cd "$D/out" && sha256sum -c SHA256SUMS 2>&1 | grep -v ': OK' | head -5)
        break
    fi
done
[ "$round" = 6 ] && ok
# a damaged output is still reported (the manifest is not rebuilt blindly)
echo x >>"$D/out/2026-05.md"
"$HUIBAO" build "$D/in/2026-01.yaml" -o "$D/out" -f md -q 2>/dev/null
(cd "$D/out" && sha256sum -c SHA256SUMS 2>/dev/null | grep -q '2026-05.md: FAILED') && ok ||
    bad "killed: a damaged output is no longer reported by sha256sum -c"
ls -A "$D/out" | grep -q "^\.huibao" && bad "killed: hidden files left: $(ls -A "$D/out" | grep '^\.')" || ok

# Killing the parent of a -j batch ends its children too, and the next run sweeps their files.
D=$TMP/orphans
mkdir -p "$D/in"
python3 - "$D/in" <<'EOF'
import sys
d = sys.argv[1]
para = "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，推动高质量发展取得新成效。" * 40
for m in range(1, 13):
    with open(f"{d}/2026-{m:02d}.yaml", "w") as f:
        f.write(f"title: 长报告\norg: 测试单位\nperiod: 2026-{m:02d}\ndate: 2026-{m:02d}-28\nsections:\n")
        for i in range(120):
            f.write(f"  - title: 第{i}部分\n    text: {para}\n")
EOF
"$HUIBAO" build "$D/in" -o "$D/out" -f pdf -j 2 -q 2>/dev/null &
parent=$!
kids=""
for _ in $(seq 100); do
    kids=$(pgrep -P $parent | tr '\n' ' ')
    [ -n "$kids" ] && break
    sleep 0.02
done
sleep 0.2
kill -KILL $parent
wait $parent 2>/dev/null
sleep 1
alive=""
for k in $kids; do # a zombie (dead, not yet reaped by init) does not count
    st=$(sed 's/.*) //' "/proc/$k/stat" 2>/dev/null | cut -c1)
    [ -n "$st" ] && [ "$st" != Z ] && alive="$alive $k"
done
if [ -n "$alive" ]; then
    bad "orphans: children still running after the parent was killed:$alive"
    kill -KILL $alive 2>/dev/null
elif [ -z "$kids" ]; then
    bad "orphans: no children seen (the batch finished too fast to test)"
else
    "$HUIBAO" build "$D/in/2026-01.yaml" -o "$D/out" -f md -q 2>/dev/null
    if ls -A "$D/out" | grep -q '\.tmp-'; then
        bad "orphans: temporary files not swept: $(ls -A "$D/out" | grep '\.tmp-' | head -3)"
    else
        ok
    fi
fi

# ---------------------------------------------------------------- depfiles make can read
D=$TMP/dep
mkdir -p "$D/in" "$D/out"
month "$D/in/2026-03.yaml" 2026-03
month "$D/in/2026-02 旧版#1.yaml" 2026-02 # space and '#': escaped
month "$D/in/2026-01:x.yaml" 2026-01      # ':' escaped
if run dep 0 build "$D/in/2026-03.yaml" -o "$D/out" -f md --depfile "$D/out/dep.mk"; then
    grep -qF "$(readlink -f "$HUIBAO")" "$D/out/dep.mk" || bad "dep: the huibao binary is not listed"
    printf 'all: %s\n-include dep.mk\n' "$D/out/2026-03.md" >"$D/out/Makefile"
    (cd "$D/out" && make -q -f Makefile all >/dev/null 2>&1)
    st=$?
    [ $st -le 1 ] && ok || bad "dep: make cannot read the depfile (status $st): $(cd "$D/out" && make -n -f Makefile all 2>&1 | head -3)"
fi
rm "$D/in/2026-02 旧版#1.yaml"
month "$D/in/2026-02;rm.yaml" 2026-02 # ';' cannot be expressed: refused by name
if run dep-refuse 1 build "$D/in/2026-03.yaml" -o "$D/out" -f md --depfile "$D/dep2.mk"; then
    has dep-refuse "2026-02;rm.yaml" "make 无法表示" && [ ! -e "$D/dep2.mk" ] && ok
fi
rm "$D/in/2026-02;rm.yaml"
month "$D/in/2026-02 旧版#1.yaml" 2026-02
cp "$D/in/2026-03.yaml" "$D/keep.yaml"
if run dep-input 2 build "$D/in/2026-03.yaml" -o "$D/out" -f md --depfile "$D/in/2026-03.yaml"; then
    has dep-input "--depfile" && cmp -s "$D/in/2026-03.yaml" "$D/keep.yaml" && ok ||
        bad "dep-input: the input was overwritten"
fi
if run dep-history 2 build "$D/in/2026-03.yaml" -o "$D/out" -f md --depfile "$D/in/2026-02 旧版#1.yaml"; then
    has dep-history "--depfile" && ok
fi

# ---------------------------------------------------------------- careless colleagues
D=$TMP/careless
mkdir -p "$D/in" "$D/empty"
month "$D/in/2026-01.yaml" 2026-01
month "$D/in/2026-02.YAML" 2026-02
month "$D/in/2026-03.yaml.txt" 2026-03
if run careless 0 build "$D/in" -o "$D/a/b/c" -f md; then
    [ -e "$D/a/b/c/2026-01.md" ] && [ -e "$D/a/b/c/2026-02.md" ] || bad "careless: -o a/b/c or .YAML not built"
    has careless "2026-03.yaml.txt" ".txt"
    ls -A "$D/a/b/c" | grep -q "^\.huibao" && bad "careless: hidden files left in the output folder: $(ls -A "$D/a/b/c")"
    ok
fi
if run careless-empty 2 build "$D/empty" -o "$D/e"; then
    has careless-empty "没有" && [ ! -e "$D/e" ] && ok || bad "careless-empty: output folder created"
fi
printf 'title: 坏\norg: x\nperiod: 2026-13\n' >"$D/bad.yaml"
if run careless-failed 2 build "$D/bad.yaml" -o "$D/never/made"; then
    [ ! -e "$D/never" ] && ok || bad "careless-failed: a failed run left an empty output folder"
fi
# output folder == input folder: later runs do not take index.json for a month
run careless-same 0 build "$D/in" -o "$D/in" -f md && run careless-same2 0 build "$D/in" -o "$D/in" -f md &&
    { grep -q "index.json" "$TMP/careless-same2.err" && bad "careless-same: index.json read as input" || ok; }
# SOURCE_DATE_EPOCH standing in for a missing date is said
printf 'title: 无日期\norg: 测试单位\nperiod: 2026-01\n' >"$D/nodate.yaml"
run careless-date 0 build "$D/nodate.yaml" -o "$D/o" -f md && has careless-date "SOURCE_DATE_EPOCH" "date" && ok

# ---------------------------------------------------------------- a full disk
# every format on a file system that fills up: exit 1, the reason in Chinese (no library's
# English on stderr), the previous outputs untouched. CI runs as root, like this machine.
D=$TMP/full
mkdir -p "$D/fs"
if mount -t tmpfs -o size=400k tmpfs "$D/fs" 2>/dev/null; then
    month "$D/m.yaml" 2026-03
    "$HUIBAO" build -q "$D/m.yaml" -o "$D/fs/out" -f md 2>/dev/null
    cp "$D/fs/out/m.md" "$D/m.md.before"
    sed -i 's/本月工作平稳推进/本月工作平稳推进，各项任务有序开展/' "$D/m.yaml"
    for f in pdf xlsx docx; do
        # fill the file system, then free 8 KB: the Markdown fits, the $f does not
        head -c $((1024 * 1024)) /dev/zero >"$D/fs/fill" 2>/dev/null
        truncate -s -8K "$D/fs/fill"
        if run "full-$f" 1 build "$D/m.yaml" -o "$D/fs/out" -f "md,$f"; then
            if grep -q '^\[ERROR\]\|^\[WARNING\]' "$TMP/full-$f.err"; then
                bad "full-$f: a library's English reached stderr: $(cat "$TMP/full-$f.err")"
            elif ! cmp -s "$D/fs/out/m.md" "$D/m.md.before"; then
                bad "full-$f: the previous output changed"
            elif ls -A "$D/fs/out" | grep -q '\.tmp-'; then
                bad "full-$f: temporary files left"
            else
                has "full-$f" "错误" && ok
            fi
        fi
        rm -f "$D/fs/fill"
    done
    umount "$D/fs"
else
    bad "full disk: cannot mount a tmpfs (the test runs as root)"
fi

# ---------------------------------------------------------------- control characters
printf 'title: 控制字符\norg: x\nperiod: 2026-01\n"k\\e[2Jey": 1\n' >"$TMP/ctl.yaml"
if run ctl 2 check "$TMP/ctl.yaml"; then
    if grep -q $'\e' "$TMP/ctl.err"; then bad "ctl: an escape character reached the terminal"; else has ctl '\x1B' && ok; fi
fi

# ---------------------------------------------------------------- one folder holding all of it
# Every hostile file beside good months of the same office: every good month builds (their
# history reads the hostile siblings too), every bad one is named, within the time limit and 1 GiB.
D=$TMP/all
mkdir -p "$D/in"
for m in 01 02 03 04 05 06; do month "$D/in/2026-$m.yaml" "2026-$m"; done
H='title: 坏\norg: 测试单位\n'
printf "${H}period: 2026-07\npreamble: &a [x, *a]\n" >"$D/in/2026-07.yaml"
python3 - "$D/in" <<'PY'
import sys
d = sys.argv[1]
h = "title: 坏\norg: 测试单位\n"
s = h + "period: 2026-08\na0: &a0 \"lol\"\n"
for i in range(1, 10):
    s += "a%d: &a%d [%s]\n" % (i, i, ",".join(["*a%d" % (i - 1)] * 10))
open(f"{d}/2026-08.yaml", "w").write(s + "preamble: *a9\n")
open(f"{d}/2026-09.yaml", "w").write(h + "period: 2026-09\nx: " + "[" * 8_000_000 + "\n")  # just inside the 8 MB file limit
open(f"{d}/2026-10.yaml", "w").write(h + "period: 2026-10\nsections:\n  - title: 情况\n    text: \"" + "- " * 20000 + "末\"\n")
open(f"{d}/2026-11.yaml", "w").write("title: " + "标" * 21800 + "\norg: 测试单位\nperiod: 2026-11\n")
m = "".join("  k%d: v\n" % i for i in range(100000))
open(f"{d}/2026-12.yaml", "w").write(h + "period: 2026-12\nextra:\n" + m)
PY
mkfifo "$D/in/2025-12.yaml"
month "$D/in/2026-01.json.txt" 2026-01
if run all 2 build "$D/in" -o "$D/out" -j 2 -f md; then
    for m in 01 02 03 04 05 06; do
        [ -e "$D/out/2026-$m.md" ] || bad "all: good month 2026-$m not built"
    done
    has all "2026-07.yaml" "循环引用" "2026-08.yaml" "展开后的内容" "2026-09.yaml" "嵌套层次" \
        "2026-10.yaml" "嵌套超过" "2026-11.yaml" "过长" "2026-12.yaml" "2025-12.yaml" "命名管道" \
        "2026-01.json.txt" "共 13 份报告：6 份成功，7 份失败" && ok
fi
# and `check` of one good month is not slowed or stopped by them
run all-check 0 check "$D/in/2026-06.yaml" && ok

echo "hostile: $pass passed, $fail failed"
[ $fail -eq 0 ]
