#!/bin/bash
# e2e_html_place.sh - the HTML preview places the typed blocks as the PDF does.
#
# The .html is drawn by an independent renderer (WeasyPrint, HTML+CSS to PDF) and compared with
# huibao's own PDF through pdftotext -bbox, in body characters (the PDF's character pitch, the
# HTML's em): the 主送机关 starts at the left edge of the text; the body lines, 附件说明, 署名 and
# 成文日期 come in the same order; the 成文日期 starts 2 characters right of the 署名 and the
# longer of the two ends 2 characters from the right edge (format.md §1.3: with a long 署名 the
# date follows it; with a short one the date takes 右空二字 and the 署名 moves left). A
# style.yaml that moves the signature moves it in both.
set -u
export LC_ALL=C.UTF-8
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
command -v weasyprint >/dev/null || {
    echo "FAIL: weasyprint missing (tools/deps.sh test installs it)"
    exit 1
}
export SOURCE_DATE_EPOCH=1793836800

# measure FILE.pdf SIG DATE: "pitch left right recipient_x sig_x sig_end date_x date_end order"
measure() {
    pdftotext -bbox-layout "$1" - | /usr/bin/python3 -c '
import re, sys
sig, date = sys.argv[1], sys.argv[2]
lines = []
for m in re.finditer(r"<line xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\"[^>]*>(.*?)</line>", sys.stdin.read(), re.S):
    words = "".join(re.findall(r">([^<]*)</word>", m.group(4)))
    lines.append((float(m.group(1)), float(m.group(3)), words))
# the text edges: where most lines start and where the justified lines end
from collections import Counter
text = [l for l in lines if len(l[2]) >= 10]
left = Counter(round(l[0] * 2) / 2 for l in text).most_common(1)[0][0]
right = Counter(round(l[1] * 2) / 2 for l in text).most_common(1)[0][0]
def find(t):
    for i, l in enumerate(lines):
        if l[2] == t:
            return i, l
    sys.exit("no line " + t + " in " + repr([l[2] for l in lines][-8:]))
ri, rec = find(sys.argv[3])
si, s = find(sig)
di, d = find(date)
pitch = (s[1] - s[0]) / len(sig)  # the 署名 is all Han: one body character each
ai = max(i for i, l in enumerate(lines) if l[2].startswith("附件："))
order = "ok" if ri < ai < si and di == si + 1 else "bad"
print("%.3f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %s" % (pitch, left, right, rec[0], s[0], s[1], d[0], d[1], order))
' "$2" "$3" "$4"
}

# compare NAME SIG DATE RECIPIENT: the HTML and the PDF of $work/NAME place the blocks alike
compare() {
    local name=$1 sig=$2 date=$3 rec=$4 p h
    # only the blocks around the body: the sections in between change nothing here and cost
    # WeasyPrint most of its time; one font file for every role (the page's own font stack
    # names Windows fonts this machine may not have)
    /usr/bin/python3 - "$work/out/$name.html" "$work/$name.cut.html" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
a = s.index("</div>", s.index('<div class="hu-preamble">')) + 6
b = s.index('<div class="hu-closing">')
open(sys.argv[2], "w", encoding="utf-8").write(s[:a] + s[b:])
PY
    weasyprint -s "$work/one-font.css" "$work/$name.cut.html" "$work/$name.html.pdf" 2>/dev/null ||
        { bad "$name: weasyprint failed"; return; }
    p=$(measure "$work/out/$name.pdf" "$sig" "$date" "$rec") || { bad "$name: pdf: $p"; return; }
    h=$(measure "$work/$name.html.pdf" "$sig" "$date" "$rec") || { bad "$name: html: $h"; return; }
    /usr/bin/python3 - "$name" "$p" "$h" "${5:-2}" "${6:-2}" <<'PY' && ok || bad "$name: placement differs (pdf: $p; html: $h)"
import sys
name, want_right, want_shift = sys.argv[1], float(sys.argv[4]), float(sys.argv[5])
def chars(m):
    pitch, left, right, rx, sx, se, dx, de, order = m.split()
    pitch, left, right, rx, sx, se, dx, de = map(float, (pitch, left, right, rx, sx, se, dx, de))
    return {"recipient": (rx - left) / pitch, "shift": (dx - sx) / pitch,
            "right": (right - max(se, de)) / pitch, "order": order}
p, h = chars(sys.argv[2]), chars(sys.argv[3])
bad = []
for k in ("recipient", "shift", "right"):
    if abs(p[k] - h[k]) > 0.25:
        bad.append("%s: pdf %.2f, html %.2f chars" % (k, p[k], h[k]))
if abs(p["shift"] - want_shift) > 0.25 or abs(p["right"] - want_right) > 0.25:
    bad.append("pdf itself: shift %.2f right %.2f" % (p["shift"], p["right"]))
if abs(p["recipient"]) > 0.25:
    bad.append("recipient not flush left: %.2f" % p["recipient"])
if p["order"] != "ok" or h["order"] != "ok":
    bad.append("order pdf %s html %s" % (p["order"], h["order"]))
if bad:
    print("; ".join(bad))
    sys.exit(1)
PY
}

mkdir -p "$work/in" "$work/out"
printf '@font-face{font-family:HuTest;src:url(file://%s)}\n*{font-family:HuTest !important}\n' \
    "$HU_SOURCE_DIR/fonts/FandolFang-Regular.ttf" >"$work/one-font.css"
cp "$HU_SOURCE_DIR/samples/2026-10.yaml" "$work/in/long.yaml"
# a short 署名: the date is the longer line
sed -e 's/^org: .*/org: 某局/' "$HU_SOURCE_DIR/samples/2026-10.yaml" >"$work/in/short.yaml"
"$HUIBAO" build -q "$work/in/long.yaml" "$work/in/short.yaml" -f pdf,html -o "$work/out" ||
    bad "build"
compare long 某某区产业开发区管理委员会 2026年11月5日 区委、区政府：
compare short 某局 2026年11月5日 区委、区政府：

# the 署名 three characters from the edge and the date four right of it, in a template's
# style.yaml: both outputs follow it
mkdir -p "$work/tpl"
printf '{{<monthly}}{{/monthly}}\n' >"$work/tpl/report.md.mustache"
printf 'signature:\n  right_chars: 3\n  date_shift_chars: 4\n' >"$work/tpl/style.yaml"
if "$HUIBAO" build -q -t "$work/tpl" "$work/in/long.yaml" -f pdf,html -o "$work/out" 2>"$work/err"; then
    compare long 某某区产业开发区管理委员会 2026年11月5日 区委、区政府： 3 4
else
    bad "build with a style.yaml moving the signature: $(cat "$work/err")"
fi
finish "html placement"
