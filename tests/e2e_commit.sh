#!/usr/bin/env bash
# A single build's commit with fsyncs begun early (atomic.c, "fsyncs begun early"): the
# Markdown is fsynced as soon as it is written, the workbook on its own thread, the PDF right
# after it is set, and the commit's round waits for them. A failed fsync of any of them, early
# or in the round (HU_TEST_FSYNC_FAIL, atomic.c's test hook), fails the build as before: exit
# 1, every output of the set named with the reason in Chinese, no old output replaced (nor
# index.json or SHA256SUMS), no temporary file left (the journal's record stays for the next
# run, manifest.h), the folder still consistent (sha256sum -c). The same build without the hook then replaces every output.
set -u
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
export SOURCE_DATE_EPOCH=1793836800
unset HU_TEST_FSYNC_FAIL
mkdir -p "$work/in" "$work/out"
cp "$HU_SOURCE_DIR"/samples/2026-0*.yaml "$HU_SOURCE_DIR"/samples/2026-10.yaml "$work/in/"
in=$work/in/2026-10.yaml
O=$work/out
"$HUIBAO" build -q "$in" -o "$O" -f pdf,xlsx,md,html,docx 2>"$work/err"; rc=$?
[ $rc = 0 ] && ok || bad "first build: exit $rc: $(head -3 "$work/err")"
mkdir -p "$work/old"
cp -p "$O"/* "$work/old/"
# a new title: every output's bytes change
sed -i 's/^title: 产业开发区/title: 新产业开发区/' "$in"
for name in 2026-10.md 2026-10.xlsx 2026-10.pdf 2026-10.docx 2026-10.html index.json; do
    HU_TEST_FSYNC_FAIL=$name "$HUIBAO" build "$in" -o "$O" -f pdf,xlsx,md,html,docx >"$work/out.txt" 2>"$work/err"; rc=$?
    [ $rc = 1 ] && ok || bad "$name: exit $rc with its fsync failing, expected 1"
    for f in 2026-10.md 2026-10.xlsx 2026-10.pdf; do
        grep -q "/$f: 错误: 无法把输出文件写入磁盘（.*），未覆盖原有文件" "$work/err" && ok ||
            bad "$name: no message for $f: $(head -5 "$work/err")"
    done
    for f in "$work/old"/*; do
        cmp -s "$f" "$O/${f##*/}" && ok || bad "$name: ${f##*/} was replaced although an fsync failed"
    done
    # the journal's record stays for the next run (manifest.h), as after any failed report
    [ "$(ls -A "$O" | grep -v '^\.huibao-journal$' | sort)" = "$(ls -A "$work/old" | sort)" ] && ok ||
        bad "$name: left behind: $(ls -A "$O" | tr '\n' ' ')"
    (cd "$O" && sha256sum -c --quiet SHA256SUMS) && ok || bad "$name: SHA256SUMS no longer matches"
    [ ! -s "$work/out.txt" ] && ok || bad "$name: outputs listed as written: $(cat "$work/out.txt")"
done
# the same build without the hook: everything replaced
"$HUIBAO" build -q "$in" -o "$O" -f pdf,xlsx,md,html,docx 2>"$work/err"; rc=$?
[ $rc = 0 ] && ok || bad "build after the failures: exit $rc: $(head -3 "$work/err")"
for e in md xlsx pdf docx html; do
    cmp -s "$work/old/2026-10.$e" "$O/2026-10.$e" && bad "2026-10.$e not replaced" || ok
done
ls -A "$O" | grep -q '\.tmp-\|huibao-journal' && bad "left behind: $(ls -A "$O" | tr '\n' ' ')" || ok
(cd "$O" && sha256sum -c --quiet SHA256SUMS) && ok || bad "SHA256SUMS after the rebuild"
grep -q '新产业开发区' "$O/index.json" && ok || bad "index.json not updated"
finish "commit"
