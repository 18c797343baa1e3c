#!/usr/bin/env bash
# Batch builds: a folder of months in one process, -j 1 and -j 2 give the same bytes; a bad
# month fails alone (the others are built, the exit status says some failed); check exits 2;
# -j's workers build many reports each, identically, and a killed worker costs one report (the
# one it was building or putting in place; one it held besides is built by another worker).
set -u
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
export SOURCE_DATE_EPOCH=1793836800
mkdir -p "$work/in"
cp "$HU_SOURCE_DIR"/samples/2026-0*.yaml "$HU_SOURCE_DIR"/samples/2026-10.yaml "$work/in/"
"$HUIBAO" build -q "$work/in" -o "$work/j1" -j 1; rc1=$?
"$HUIBAO" build -q "$work/in" -o "$work/j2" -j 2; rc2=$?
[ $rc1 = 0 ] && [ $rc2 = 0 ] && ok || bad "batch exit $rc1/$rc2"
for f in 2026-08 2026-09 2026-10; do
    for e in pdf xlsx md; do
        cmp -s "$work/j1/$f.$e" "$work/j2/$f.$e" && ok || bad "$f.$e differs between -j 1 and -j 2"
    done
done
cmp -s "$work/j1/SHA256SUMS" "$work/j2/SHA256SUMS" && ok || bad "SHA256SUMS differ"
(cd "$work/j2" && sha256sum -c --quiet SHA256SUMS) && ok || bad "sha256sum -c"
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert [r['period'] for r in d['reports']]==['2026-08','2026-09','2026-10'], d" "$work/j2/index.json" && ok || bad "index.json"

# one bad month among good ones
printf 'title: 坏\norg: x\nperiod: 2026-13\n' > "$work/in/2026-11.yaml"
out=$("$HUIBAO" build -q "$work/in" -o "$work/j3" -j 2 2>&1); rc=$?
[ $rc = 2 ] && ok || bad "exit $rc with a bad month, expected 2"
grep -q "2026-11.yaml:3:9: 错误: period" <<<"$out" && ok || bad "bad month's message: $out"
[ -f "$work/j3/2026-10.pdf" ] && [ -f "$work/j3/2026-08.xlsx" ] && ok || bad "good months not built"
[ ! -e "$work/j3/2026-11.pdf" ] && [ ! -e "$work/j3/2026-11.md" ] && ok || bad "bad month left an output"
ls -a "$work/j3" | grep -q 'tmp-\|huibao-job' && bad "temporary files left" || ok
"$HUIBAO" check "$work/in/2026-11.yaml" >/dev/null 2>&1; [ $? = 2 ] && ok || bad "check exit"
"$HUIBAO" build --bogus >/dev/null 2>&1; [ $? = 2 ] && ok || bad "usage exit"

# -j: what is printed follows the inputs' order, not the order the jobs end in. The first
# input is a long report (it ends last with -j 2), the rest are short; the bad month warns.
mkdir -p "$work/order"
/usr/bin/python3 "$HU_SOURCE_DIR/bench/gen_report.py" report --pages 30 --seed 3 "$work/order/2026-01.yaml" >/dev/null \
    || bad "gen_report.py"
cp "$work/in"/2026-0*.yaml "$work/in"/2026-1*.yaml "$work/order/"
"$HUIBAO" check "$work/order" -j 1 >"$work/c1.out" 2>"$work/c1.err"
"$HUIBAO" check "$work/order" -j 2 >"$work/c2.out" 2>"$work/c2.err"
grep -c '检查通过\|未通过' "$work/c1.out" | grep -qx 5 && ok || bad "check -j 1: $(cat "$work/c1.out")"
cmp -s "$work/c1.out" "$work/c2.out" && ok || bad "check -j 2 prints in another order: $(diff "$work/c1.out" "$work/c2.out")"
sed 's/（[0-9.]* 秒）//' "$work/c1.err" >"$work/c1.e"; sed 's/（[0-9.]* 秒）//' "$work/c2.err" >"$work/c2.e"
cmp -s "$work/c1.e" "$work/c2.e" && ok || bad "check -j 2 messages in another order: $(diff "$work/c1.e" "$work/c2.e")"
head -1 "$work/c2.out" | grep -q '2026-01.yaml' && ok || bad "first line is not the first input: $(head -1 "$work/c2.out")"

# -j N: N worker processes, each building report after report. A generated batch (two offices,
# 16 months, one long report first): -j 1, -j 2 and -j 3 give the same bytes, so nothing of one
# report (fonts' used glyphs, caches, the arena) leaks into the next one a worker builds.
W=$work/workers
mkdir -p "$W"
/usr/bin/python3 "$HU_SOURCE_DIR/bench/gen_report.py" batch --count 16 --layout flat "$W/in" >/dev/null ||
    bad "gen_report.py batch"
/usr/bin/python3 "$HU_SOURCE_DIR/bench/gen_report.py" report --pages 60 --seed 9 "$W/in/aa-long.yaml" >/dev/null ||
    bad "gen_report.py report"
n=$(ls "$W/in" | wc -l)
for j in 1 2 3; do
    "$HUIBAO" build -q "$W/in" -o "$W/j$j" -j $j -f pdf,xlsx,md 2>"$W/j$j.err"
    [ $? = 0 ] && ok || bad "workers: -j $j exit status: $(tail -3 "$W/j$j.err")"
done
[ "$(ls "$W/j1"/*.pdf | wc -l)" = "$n" ] && ok || bad "workers: $n inputs, $(ls "$W/j1"/*.pdf | wc -l) PDFs"
for j in 2 3; do
    diff -r "$W/j1" "$W/j$j" >/dev/null && ok || bad "workers: -j $j differs from -j 1: $(diff -rq "$W/j1" "$W/j$j" | head -3)"
    cmp -s "$W/j1.err" "$W/j$j.err" && ok || bad "workers: -j $j messages differ: $(diff "$W/j1.err" "$W/j$j.err" | head -4)"
done

# A report that fails between good ones: the worker that met it builds the next ones as -j 1
# does, and the exit status says some failed.
mkdir -p "$W/in2"
cp "$W"/in/*.yaml "$W/in2/"
mid=$(ls "$W/in2" | sed -n 9p)
sed -i 's/^period: .*/period: 2026-13/' "$W/in2/$mid"
"$HUIBAO" build -q "$W/in2" -o "$W/f1" -j 1 -f pdf,xlsx,md 2>"$W/f1.err"; rc1=$?
"$HUIBAO" build -q "$W/in2" -o "$W/f2" -j 2 -f pdf,xlsx,md 2>"$W/f2.err"; rc2=$?
[ $rc1 = 2 ] && [ $rc2 = 2 ] && ok || bad "workers: a bad month among good ones: exit $rc1/$rc2, expected 2"
grep -q "${mid}:[0-9]*:[0-9]*: 错误: period" "$W/f2.err" && ok || bad "workers: the bad month's message: $(head -3 "$W/f2.err")"
[ "$(ls "$W/f2"/*.pdf | wc -l)" = $((n - 1)) ] && ok || bad "workers: not every good month was built"
diff -r "$W/f1" "$W/f2" >/dev/null && ok || bad "workers: -j 2 differs from -j 1 with a bad month: $(diff -rq "$W/f1" "$W/f2" | head -3)"
cmp -s "$W/f1.err" "$W/f2.err" && ok || bad "workers: messages differ with a bad month: $(diff "$W/f1.err" "$W/f2.err" | head -4)"

# What a batch whose worker was killed holding the long report must show (LABEL DIR ERR RC):
# exit 1, that report alone failed with the signal message and left nothing, no temporary
# file, every other output byte for byte as -j 1 built it, SHA256SUMS matching.
after_kill() {
    local label=$1 dir=$2 err=$3 rc=$4 same=0 f
    [ "$rc" = 1 ] && ok || bad "$label: a killed worker: exit $rc, expected 1"
    grep -q "aa-long.yaml: 错误: 生成过程异常终止（信号 9），这份报告未生成" "$err" && ok ||
        bad "$label: no message for the killed report: $(grep -v 警告 "$err" | head -3)"
    grep -q "共 $n 份报告：$((n - 1)) 份成功，1 份失败" "$err" && ok || bad "$label: summary: $(grep 共 "$err")"
    ls "$dir" | grep -q '^aa-long\.' && bad "$label: the killed report left outputs: $(ls "$dir" | grep aa-long)" || ok
    ls -A "$dir" | grep -q '\.tmp-' && bad "$label: temporary files left: $(ls -A "$dir" | grep '\.tmp-' | head -3)" || ok
    for f in "$W"/j1/*.pdf "$W"/j1/*.xlsx "$W"/j1/*.md; do
        case $f in */aa-long.*) continue ;; esac
        cmp -s "$f" "$dir/$(basename "$f")" && same=$((same + 1))
    done
    [ $same = $((3 * (n - 1))) ] && ok || bad "$label: after the kill, $same of $((3 * (n - 1))) outputs as -j 1 built them"
    (cd "$dir" && sha256sum -c --quiet SHA256SUMS) && ok || bad "$label: SHA256SUMS after a killed worker"
}

# A worker killed while it builds the long report: that report alone fails, with a message;
# a new worker takes its place and every other report is built, byte for byte as by -j 1;
# nothing of the killed report is left in the output folder.
K=$W/killed
"$HUIBAO" build "$W/in" -o "$K" -j 2 -f pdf,xlsx,md >/dev/null 2>"$W/k.err" &
bp=$!
victim=""
# The long report's temporary files carry its worker's pid. Looked for with a glob, not
# `ls | grep`: two processes per look made each look slow enough, on a loaded machine, to miss
# the files' whole life (seen once at load 7).
for _ in $(seq 6000); do
    for t in "$K"/.aa-long.*.tmp-*-*; do
        [ -e "$t" ] || continue
        victim=${t##*.tmp-}
        victim=${victim%-*}
        case $victim in '' | *[!0-9]*) victim="" ;; *) break 2 ;; esac
    done
    sleep 0.005
done
if [ -n "$victim" ] && grep -q "^PPid:[[:space:]]*$bp\$" "/proc/$victim/status" 2>/dev/null; then
    kill -KILL "$victim"
    wait $bp; rc=$?
    after_kill workers "$K" "$W/k.err" $rc
else
    wait $bp
    bad "workers: the long report's worker was not seen (victim '$victim')"
fi
# A worker puts a report's outputs in place on a thread while it builds the next report it was
# handed (build.c run_worker). The output folder's lock is held here, so the long report's
# commit waits for it while its worker builds the next report; that worker is killed then: the
# long report fails, nothing of it is left (no output, no journal record applied); the report
# that was being built is built again by another worker; every other output is as -j 1 built
# it, and SHA256SUMS and index.json agree with the folder.
O=$W/overlap
mkdir -p "$O"
exec 9<"$O"
flock -x 9 # held by this shell (huibao gets no copy of it: 9<&-) until `exec 9<&-`
"$HUIBAO" build "$W/in" -o "$O" -j 2 -f pdf,xlsx,md >/dev/null 2>"$W/o.err" 9<&- &
bp=$!
victim="" next=""
for _ in $(seq 20000); do
    if [ -z "$victim" ]; then
        for t in "$O"/.aa-long.*.tmp-*-*; do
            [ -e "$t" ] || continue
            v=${t##*.tmp-}
            v=${v%-*}
            case $v in '' | *[!0-9]*) ;; *) victim=$v ;; esac
        done
    else # the long report is built (it waits for the lock) when its worker starts another
        for t in "$O"/.*.tmp-"$victim"-*; do
            [ -e "$t" ] || continue
            case $t in "$O"/.aa-long.*) continue ;; esac
            next=$t
            break 2
        done
    fi
    sleep 0.002
done
if [ -n "$next" ] && grep -q "^PPid:[[:space:]]*$bp\$" "/proc/$victim/status" 2>/dev/null; then
    kill -KILL "$victim"
    sleep 0.2
    exec 9<&-
    wait $bp; rc=$?
    after_kill overlap "$O" "$W/o.err" $rc
    grep -q 'aa-long\.' "$O/SHA256SUMS" && bad "overlap: SHA256SUMS names the killed report" || ok
    /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['reports'])==int(sys.argv[2]), len(d['reports'])" \
        "$O/index.json" $((n - 1)) && ok || bad "overlap: index.json does not list the $((n - 1)) reports built"
else
    exec 9<&-
    wait $bp
    bad "overlap: the long report's worker was not seen starting the next report (victim '$victim')"
fi
# A worker's one committing thread (build.c run_worker): its last report's commit, still waiting
# for the output folder's lock when the parent has no more reports for it, completes before
# the worker exits (the report is answered for, not failed as a worker gone); and a commit
# that fails is reported with its file while the worker's other reports go in place. Three
# months at -j 2: one worker builds two of them, the other one, each commit waiting for the
# lock this shell holds until every month's outputs are built.
commit_held() { # DIR: wait until the three months' temporary PDFs exist (built, committing)
    local dir=$1 k t seen
    for _ in $(seq 6000); do
        seen=0
        for k in 2026-08 2026-09 2026-10; do
            for t in "$dir"/."$k".pdf.tmp-*-*; do
                [ -e "$t" ] && seen=$((seen + 1)) && break
            done
        done
        [ $seen = 3 ] && return 0
        sleep 0.005
    done
    return 1
}
C=$work/commit
mkdir -p "$C/in" "$C/ok" "$C/bad"
cp "$work/in"/2026-08.yaml "$work/in"/2026-09.yaml "$work/in"/2026-10.yaml "$C/in/"
exec 8<"$C/ok"
flock -x 8
"$HUIBAO" build -q "$C/in" -o "$C/ok" -j 2 -f pdf,xlsx,md 2>"$C/ok.err" 8<&- &
bp=$!
commit_held "$C/ok" || bad "commit: the three months were not seen built while the lock was held"
sleep 0.2
exec 8<&-
wait $bp; rc=$?
[ $rc = 0 ] && ok || bad "commit: exit $rc after waiting for the lock: $(grep -v 警告 "$C/ok.err" | head -3)"
[ "$(ls "$C/ok" | grep -c '^2026-.*\.\(pdf\|xlsx\|md\)$')" = 9 ] && ok || bad "commit: outputs: $(ls "$C/ok")"
ls -A "$C/ok" | grep -q '\.tmp-\|huibao-journal' && bad "commit: left behind: $(ls -A "$C/ok")" || ok
(cd "$C/ok" && sha256sum -c --quiet SHA256SUMS) && ok || bad "commit: SHA256SUMS"
for e in pdf xlsx md; do
    cmp -s "$work/j1/2026-10.$e" "$C/ok/2026-10.$e" && ok || bad "commit: 2026-10.$e differs from -j 1's"
done
exec 8<"$C/bad"
flock -x 8
"$HUIBAO" build "$C/in" -o "$C/bad" -j 2 -f pdf,xlsx,md >/dev/null 2>"$C/bad.err" 8<&- &
bp=$!
commit_held "$C/bad" || bad "commit: (failing) the three months were not seen built while the lock was held"
mkdir -p "$C/bad/2026-09.pdf/x" # its rename now fails: a folder is in the way
exec 8<&-
wait $bp; rc=$?
[ $rc = 1 ] && ok || bad "commit: a failed commit: exit $rc, expected 1"
grep -q "/2026-09.pdf: 错误: 无法写入输出文件" "$C/bad.err" && ok ||
    bad "commit: the failed file's message: $(grep -v 警告 "$C/bad.err" | head -3)"
grep -q "共 3 份报告：2 份成功，1 份失败" "$C/bad.err" && ok || bad "commit: summary: $(grep 共 "$C/bad.err")"
for k in 2026-08 2026-10; do
    for e in pdf xlsx md; do
        cmp -s "$C/ok/$k.$e" "$C/bad/$k.$e" && ok || bad "commit: $k.$e not put in place beside the failed commit"
    done
done
ls -A "$C/bad" | grep -q '\.tmp-' && bad "commit: temporary files left: $(ls -A "$C/bad")" || ok
"$HUIBAO" --version | grep -q '^huibao ' && ok || bad "--version"
finish "batch"
