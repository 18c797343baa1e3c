#!/usr/bin/env bash
# e2e_robustness.sh - `huibao build` on hostile cases, and the nothing-lost promise.
#
#  1. tests/data/bad-build/*.expect (format in tests/data/bad-build/README.md): huge inputs
#     generated here (never stored in git), broken and escaping templates, unusable fonts,
#     characters no font has, unwritable outputs. Each case: exit status, messages, which
#     outputs exist, no temporary file left, no crash (no signal), bounded time.
#  2. Nothing lost: after a good build, a build that fails at a later stage (an output that is
#     a folder, a font cut short, a broken style.yaml, bad input) leaves every
#     earlier output byte-identical and no temporary file behind.
#  3. Killed mid-write: builds of a large report, SIGKILLed after random delays, never leave a
#     truncated output: every output is byte-identical to a complete build of one of the two
#     inputs that were alternated (qpdf --check and openpyxl pass on those).
# Env: HUIBAO (the binary), HU_SOURCE_DIR; KILL_ROUNDS (default 30).
set -u
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
SRC=$HU_SOURCE_DIR
CASES="$SRC/tests/data/bad-build"
PY=/usr/bin/python3
export SOURCE_DATE_EPOCH=1793836800
TMP=$(mktemp -d /tmp/hu-robust.XXXXXX)
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $*"; fail=$((fail+1)); }
note() { echo "FAIL $*"; } # one check of a test; the test counts once (ok or bad) at its end

# ---------------------------------------------------------------- fixtures
DATA="$TMP/data"
mkdir -p "$DATA" "$TMP/gen" "$TMP/out"
cp -r "$SRC/templates" "$DATA/templates"
cp -r "$CASES/templates/." "$DATA/templates/"
cp "$CASES/fixtures/outside.mustache" "$DATA/outside.mustache"
ln -s "$DATA/outside.mustache" "$DATA/templates/bad-symlink/evil.mustache"
export HUIBAO_DATA_DIR="$DATA"
: >"$TMP/a-file"
# a real font cut short: its table directory reaches past the end of the file; refused when
# the fonts are opened (so check reports it too), an input error
head -c 300000 "$SRC/fonts/FandolFang-Regular.ttf" >"$TMP/truncated.ttf"

HDR=$'title: 测试报告\norg: 测试单位\nperiod: 2026-03\n'
generate() { # name -> $TMP/gen/name/name.yaml
    mkdir -p "$TMP/gen/$1"
    local f="$TMP/gen/$1/$1.yaml"
    case $1 in
    01-paragraph-7mb-no-break) # within the 8 MB file limit, past the 1 MB limit of one value
        { printf '%ssections:\n  - title: 主要工作情况\n    text: ' "$HDR"; head -c 7340032 /dev/zero | tr '\0' 'x'; echo; } >"$f" ;;
    02-latin-word-50000)
        { printf '%ssections:\n  - title: 主要工作情况\n    text: ' "$HDR"; head -c 50000 /dev/zero | tr '\0' 'a'; echo; } >"$f" ;;
    03-indicators-10000)
        { printf '%sindicators:\n' "$HDR"; for ((i = 0; i < 10000; i++)); do echo "  - {name: 指标$i, unit: 亿元, value: $i}"; done; } >"$f" ;;
    19-input-over-8mb)
        { printf '%spreamble: ' "$HDR"; head -c $((8 * 1024 * 1024)) /dev/zero | tr '\0' 'x'; echo; } >"$f" ;;
    21-sections-2001)
        { printf '%ssections:\n' "$HDR"; for ((i = 0; i < 2001; i++)); do echo "  - title: 部分$i"; done; } >"$f" ;;
    22-table-2000-rows)
        { printf '%ssections:\n  - title: 主要工作情况\n    text: |\n      | 项目 | 金额 | 说明 |\n      |---|---:|---|\n' "$HDR"
          for ((i = 0; i < 2000; i++)); do echo "      | 项目$i | $i.5 | 说明文字说明文字$i |"; done; } >"$f" ;;
    28-paragraph-1mb-no-break) # just under the 1 MB limit of one text value
        { printf '%ssections:\n  - title: 主要工作情况\n    text: ' "$HDR"; head -c 1040000 /dev/zero | tr '\0' 'x'; echo; } >"$f" ;;
    29-report-text-over-8mb) # ten values of 330,000 characters each: every one within its own
        # limit; saved as GB18030 (2 bytes a character, 6.6 MB: within the 8 MB file limit), read
        # as 9.9 MB of UTF-8 text
        { printf '%ssections:\n  - title: 主要工作情况\n    sections:\n' "$HDR"
          for ((i = 0; i < 10; i++)); do printf '      - '; head -c 330000 /dev/zero | sed 's/\x0/经/g'; echo; done; } |
            iconv -f UTF-8 -t GB18030 >"$f" ;;
    *) echo "no generator for $1" >&2; return 1 ;;
    esac
}

temp_files() { find "$1" -name '.*.tmp-*' 2>/dev/null; }
outputs_in() { find "$1" -maxdepth 1 -type f \( -name '*.md' -o -name '*.pdf' -o -name '*.docx' -o -name '*.xlsx' -o -name '*.html' \) 2>/dev/null; }

# ---------------------------------------------------------------- 1. the corpus
for exp in "$CASES"/*.expect; do
    name=$(basename "$exp" .expect)
    want=$(sed -n 's/^exit: //p' "$exp" | head -1)
    args=$(sed -n 's/^args: //p' "$exp" | head -1)
    maxs=$(sed -n 's/^max-seconds: //p' "$exp" | head -1)
    out="$TMP/out/$name"
    mkdir -p "$out"
    if grep -qx 'input: generated' "$exp"; then
        generate "$name" || { bad "$name: cannot generate input"; continue; }
        input="$TMP/gen/$name/$name.yaml"
    else
        # alone in a folder: the build reads the input's folder for earlier months
        mkdir -p "$TMP/gen/$name"
        cp "$CASES/$name.yaml" "$TMP/gen/$name/"
        input="$TMP/gen/$name/$name.yaml"
    fi
    grep -qx 'setup: output-is-dir' "$exp" && mkdir -p "$out/$name.pdf"
    args=${args//@TMP@/$TMP}
    args=${args//@SRC@/$SRC}
    args=${args//@OUT@/$out}
    read -r -a argv <<<"$args"
    case " $args " in *" -o "*) ;; *) argv+=(-o "$out") ;; esac
    t0=$(date +%s%N)
    msgs=$(cd "$(dirname "$input")" && timeout "${maxs:-300}" "$HUIBAO" build "$(basename "$input")" "${argv[@]}" 2>&1)
    rc=$?
    ns=$(($(date +%s%N) - t0))
    secs=$(printf '%d.%02d' $((ns / 1000000000)) $((ns % 1000000000 / 10000000)))
    okc=1
    if [ $rc -ge 124 ]; then
        note "$name: exit $rc (timeout or signal: crash?) after ${secs}s"; okc=0
    elif [ "$rc" != "$want" ]; then
        note "$name: exit $rc, expected $want"; okc=0
    fi
    while IFS= read -r line; do
        case "$line" in
        exit:* | args:* | input:* | setup:* | max-seconds:* | "") ;;
        no-outputs)
            o=$(outputs_in "$out")
            [ -z "$o" ] || { note "$name: outputs written although the build failed: $o"; okc=0; } ;;
        outputs:*)
            for ext in ${line#outputs:}; do
                [ -s "$out/$name.$ext" ] || { note "$name: $name.$ext missing or empty"; okc=0; }
            done ;;
        pdf-contains:*)
            want_text=${line#pdf-contains: }
            if ! pdftotext "$out/$name.pdf" - 2>/dev/null | grep -qF -- "$want_text"; then
                note "$name: the PDF does not contain “$want_text”"; okc=0
            fi ;;
        *)
            grep -qF -- "$line" <<<"$msgs" || { note "$name: missing message: $line"; okc=0; } ;;
        esac
    done <"$exp"
    tf=$(temp_files "$out")
    [ -z "$tf" ] || { note "$name: temporary files left: $tf"; okc=0; }
    if [ $okc = 1 ]; then
        ok; printf 'ok   %-32s exit %s  %ss\n' "$name" "$rc" "$secs"
    else
        fail=$((fail + 1))
        echo "---- output of $name:"; head -c 2000 <<<"$msgs"; echo
    fi
    rm -rf "$out" "$TMP/gen/$name"
done

# ---------------------------------------------------------------- 2. a later stage fails
hashes() { (cd "$1" && sha256sum ./*.md ./*.pdf ./*.docx ./*.xlsx 2>/dev/null | sort -k2); }
NL="$TMP/nl"
mkdir -p "$NL/in" "$NL/out"
cp "$SRC/samples/2026-10.yaml" "$NL/in/r.yaml"
if ! msgs=$("$HUIBAO" build -q "$NL/in/r.yaml" -o "$NL/out" --history "$SRC/samples" 2>&1); then
    bad "nothing-lost: the first build of the sample failed:"; echo "$msgs" | head -5
    echo "robustness: $pass passed, $fail failed"
    exit 1
fi
before=$(hashes "$NL/out")
[ "$(wc -l <<<"$before")" = 4 ] || bad "nothing-lost: the first build did not give md, pdf, docx and xlsx"
# the input changes, so a build that got through would change every output
sed -i 's/特此汇报。/特此汇报，请审阅。/' "$NL/in/r.yaml"
changed_input() { sed -i "s/^title: .*/title: 产业开发区2026年1—10月产业发展工作情况汇报$1/" "$NL/in/r.yaml"; }

nothing_lost() { # label expected-exit command...
    local label=$1 want=$2
    shift 2
    local msgs rc
    msgs=$("$@" 2>&1)
    rc=$?
    local now
    now=$(hashes "$NL/out")
    local okc=1
    [ "$rc" = "$want" ] || { note "nothing-lost/$label: exit $rc, expected $want"; okc=0; }
    [ "$now" = "$before" ] || { note "nothing-lost/$label: earlier outputs changed"; diff <(echo "$before") <(echo "$now"); okc=0; }
    local tf
    tf=$(temp_files "$NL/out")
    [ -z "$tf" ] || { note "nothing-lost/$label: temporary files left: $tf"; okc=0; }
    if [ $okc = 1 ]; then ok; echo "ok   nothing-lost/$label (exit $rc)"; else fail=$((fail + 1)); echo "$msgs" | head -5; fi
}
# (a) the XLSX, written last, cannot be written: md and pdf were already complete temp files
mv "$NL/out/r.xlsx" "$NL/r.xlsx.saved"
mkdir "$NL/out/r.xlsx"
before=$(hashes "$NL/out")
nothing_lost "xlsx-path-is-folder" 1 "$HUIBAO" build -q "$NL/in/r.yaml" -o "$NL/out" --history "$SRC/samples"
rmdir "$NL/out/r.xlsx"
mv "$NL/r.xlsx.saved" "$NL/out/r.xlsx"
before=$(hashes "$NL/out")
# (b) a font cut short (refused when the fonts are opened, before any output is begun)
nothing_lost "font-truncated" 2 "$HUIBAO" build -q "$NL/in/r.yaml" -o "$NL/out" --history "$SRC/samples" --font "body=$TMP/truncated.ttf"
# (c) a broken style.yaml in the template the outputs were built with
cp -r "$SRC/templates/monthly" "$DATA/templates/mine"
NL2="$TMP/nl2"
mkdir -p "$NL2"
"$HUIBAO" build -q "$NL/in/r.yaml" -o "$NL/out" --history "$SRC/samples" -t mine >/dev/null 2>&1 || bad "nothing-lost: build with template copy failed"
before=$(hashes "$NL/out")
changed_input "（修订）"
printf '\nbody:\n  size_pt: 大\n' >>"$DATA/templates/mine/style.yaml"
nothing_lost "style-broken" 2 "$HUIBAO" build -q "$NL/in/r.yaml" -o "$NL/out" --history "$SRC/samples" -t mine
# (d) the template breaks
cp "$SRC/templates/monthly/style.yaml" "$DATA/templates/mine/style.yaml"
printf '{{#sections}}\n' >>"$DATA/templates/mine/report.md.mustache"
nothing_lost "template-broken" 2 "$HUIBAO" build -q "$NL/in/r.yaml" -o "$NL/out" --history "$SRC/samples" -t mine
# (e) the input breaks
printf 'closng: 错字\n' >>"$NL/in/r.yaml"
nothing_lost "input-broken" 2 "$HUIBAO" build -q "$NL/in/r.yaml" -o "$NL/out" --history "$SRC/samples"
# (f) --strict and a character no font has
sed -i '$d' "$NL/in/r.yaml"
printf 'closing: 特此汇报\xee\x80\x80。\n' >>"$NL/in/r.yaml"
sed -i '/^closing: 特此汇报，请审阅。$/d' "$NL/in/r.yaml"
nothing_lost "strict-missing-char" 2 "$HUIBAO" build -q "$NL/in/r.yaml" -o "$NL/out" --history "$SRC/samples" --strict

# ---------------------------------------------------------------- 3. killed mid-write
K="$TMP/kill"
mkdir -p "$K/a" "$K/b" "$K/in" "$K/out"
big_input() { # variant -> stdout: a report of ~40 pages
    printf 'title: 压力测试报告%s\norg: 测试单位\nperiod: 2026-06\nindicators:\n' "$1"
    for ((i = 0; i < 300; i++)); do echo "  - {name: 指标$i$1, unit: 亿元, value: $((i + 7)).5, last_year: $((i + 5)).25, target: $((i * 3 + 20))}"; done
    echo "sections:"
    for ((s = 0; s < 3; s++)); do
        echo "  - title: 第${s}部分$1"
        echo "    sections:"
        for ((k = 0; k < 40; k++)); do
            echo "      - title: 坚持第${k}项工作$1"
            echo "        text: 按照一张蓝图绘到底的发展思路，围绕产业链条精准招商，推动项目落地见效，第${k}项工作取得明显成效，完成投资$k.5亿元，同比增长$k.2%，带动就业${k}00人。"
            echo "        points: [加强金融服务$k, 强化人才服务$k, 优化营商环境$k]"
        done
    done
}
big_input A >"$K/a/big.yaml"
big_input B >"$K/b/big.yaml"
t0=$(date +%s%N)
refs_ok=1
"$HUIBAO" build -q "$K/a/big.yaml" -o "$K/a" >/dev/null 2>&1 || { bad "kill: reference build A failed"; refs_ok=0; }
ms=$((($(date +%s%N) - t0) / 1000000))
"$HUIBAO" build -q "$K/b/big.yaml" -o "$K/b" >/dev/null 2>&1 || { bad "kill: reference build B failed"; refs_ok=0; }
if [ $refs_ok = 0 ]; then
    echo "robustness: $pass passed, $fail failed"
    exit 1
fi
for v in a b; do
    qpdf --check "$K/$v/big.pdf" >/dev/null 2>&1 || bad "kill: reference $v PDF fails qpdf --check"
    $PY -c 'import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])' "$K/$v/big.xlsx" 2>/dev/null ||
        bad "kill: reference $v XLSX does not open with openpyxl"
done
declare -A good
for v in a b; do
    for ext in md pdf docx xlsx; do good[$(sha256sum <"$K/$v/big.$ext" | cut -c1-64)]=$v; done
done
rounds=${KILL_ROUNDS:-30}
killed=0 truncated=0 left=0 kill_bad=0
echo "kill: a full build takes ${ms} ms; $rounds rounds of SIGKILL at random moments"
for ((r = 0; r < rounds; r++)); do
    v=$([ $((r % 2)) = 0 ] && echo a || echo b)
    cp "$K/$v/big.yaml" "$K/in/big.yaml"
    "$HUIBAO" build -q "$K/in/big.yaml" -o "$K/out" >/dev/null 2>&1 &
    pid=$!
    # spread the kills over the whole build, with extra weight on the end (renames, manifests)
    d=$((RANDOM % (ms + ms / 4 + 1)))
    sleep "$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))"
    kill -9 $pid 2>/dev/null && killed=$((killed + 1))
    wait $pid 2>/dev/null
    for f in "$K/out"/big.md "$K/out"/big.pdf "$K/out"/big.docx "$K/out"/big.xlsx; do
        [ -e "$f" ] || continue
        h=$(sha256sum <"$f" | cut -c1-64)
        if [ -z "${good[$h]:-}" ]; then
            truncated=$((truncated + 1))
            note "kill round $r: $(basename "$f") ($(stat -c %s "$f") bytes) is neither complete version"; kill_bad=1
            cp "$f" "$TMP/../hu-robust-bad-$r-$(basename "$f")" 2>/dev/null
        fi
    done
    # manifests are whole too
    if [ -e "$K/out/index.json" ] && ! $PY -c 'import json, sys; json.load(open(sys.argv[1]))' "$K/out/index.json" 2>/dev/null; then
        note "kill round $r: index.json is not valid JSON"; kill_bad=1
    fi
    if [ -e "$K/out/SHA256SUMS" ] && grep -qvE '^[0-9a-f]{64}  .+' "$K/out/SHA256SUMS"; then
        note "kill round $r: SHA256SUMS has a malformed line"; kill_bad=1
    fi
    # anything else in the folder must be hidden (a temp file of a killed run, the lock)
    for f in "$K/out"/*; do
        [ -e "$f" ] || continue
        case $(basename "$f") in big.md | big.pdf | big.docx | big.xlsx | index.json | SHA256SUMS) ;; *) note "kill round $r: unexpected file $f"; kill_bad=1 ;; esac
    done
done
left=$(temp_files "$K/out" | wc -l)
if [ $kill_bad = 0 ]; then ok; echo "ok   kill: $killed builds killed mid-way, no truncated output ($left hidden temp files of killed runs left)"; else bad "kill: $truncated truncated or foreign outputs in $rounds rounds"; fi
# a build after the kills completes and gives the reference bytes
cp "$K/b/big.yaml" "$K/in/big.yaml"
if "$HUIBAO" build -q "$K/in/big.yaml" -o "$K/out" >/dev/null 2>&1 &&
    cmp -s "$K/out/big.pdf" "$K/b/big.pdf" && cmp -s "$K/out/big.xlsx" "$K/b/big.xlsx" && cmp -s "$K/out/big.md" "$K/b/big.md" &&
    cmp -s "$K/out/big.docx" "$K/b/big.docx"; then
    ok; echo "ok   kill: the next build completes with the reference bytes"
else
    bad "kill: the build after the kills does not give the reference outputs"
fi
# ... and removes what the killed runs left behind (their processes are gone)
if [ "$(temp_files "$K/out" | wc -l)" = 0 ]; then
    ok; echo "ok   kill: the next build removed the killed runs' temporary files"
else
    bad "kill: temporary files of killed runs are still there: $(temp_files "$K/out" | head -3 | tr '\n' ' ')"
fi
# a temporary file whose writer is still running is never touched
sleep 30 & live=$!
: >"$K/out/.big.pdf.tmp-$live-0"
"$HUIBAO" build -q "$K/in/big.yaml" -o "$K/out" >/dev/null 2>&1
if [ -e "$K/out/.big.pdf.tmp-$live-0" ]; then ok; echo "ok   kill: a live writer's temporary file is left alone"; else bad "kill: a live writer's temporary file was removed"; fi
kill $live 2>/dev/null; wait $live 2>/dev/null
rm -f "$K/out/.big.pdf.tmp-$live-0"

echo "robustness: $pass passed, $fail failed"
[ $fail = 0 ]
