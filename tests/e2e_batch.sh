#!/usr/bin/env bash
# Batch builds: a folder of months in one process, -j 1 and -j 2 give the same bytes; a bad
# month fails alone (the others are built, the exit status says some failed); check exits 2.
set -u
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1793836800
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: $1"; fail=$((fail+1)); }
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
"$HUIBAO" --version | grep -q '^huibao ' && ok || bad "--version"
echo "batch: $pass passed, $fail failed"
[ $fail = 0 ]
