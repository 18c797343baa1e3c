#!/bin/bash
# e2e_docx.sh - the Word document read back by independent tools.
#  1. Every sample, a hostile report (XML metacharacters, ]]>, DEL and C1 controls, long runs,
#     Extension B characters in every field) and a generated 50-page report are built with
#     -f docx,pdf,md: `unzip -t`, xmllint on every part, tests/docxcheck.py (python3-docx:
#     styles, section, margins, grid, odd/even footers, every paragraph's text equal to the
#     Markdown's), two builds byte-identical (also under another TZ).
#  2. LibreOffice Writer (libreoffice-writer-nogui) converts them to PDF, with fontconfig
#     aliases from the office font names to the bundled Fandol faces: the page count is within
#     one page of huibao's PDF, pdftotext holds every sentence of the Markdown, and every full
#     page of body text has 22 lines. Skipped when soffice is absent.
#  3. A reference.docx in a template folder: its styles win, ours fill in; a broken or hostile
#     reference.docx is refused by build and by check, naming the file.
# Outputs stay in $HU_BUILD_DIR/tests/docx_e2e for inspection.
set -u
export LC_ALL=C.UTF-8
BUILD=${HU_BUILD_DIR:-$(pwd)/..}
SRC=${HU_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
: "${HUIBAO:?}"
PY=/usr/bin/python3
CHECK="$SRC/tests/docxcheck.py"
OUT="$BUILD/tests/docx_e2e"
rm -rf "$OUT" && mkdir -p "$OUT"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
for tool in xmllint unzip pdftotext pdfinfo; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (tools/deps.sh test)"; exit 1; }
done
$PY -c 'import docx' 2>/dev/null || { echo "FAIL: /usr/bin/python3 lacks docx (apt-get install python3-docx)"; exit 1; }
export SOURCE_DATE_EPOCH=1793809800

# structure of one .docx: zip, every XML part, python-docx against the Markdown
structure() { # docx md [docxcheck options…]
    local f=$1 md=$2
    shift 2
    unzip -tq "$f" >/dev/null && ok || bad "unzip -t $f"
    local x="$OUT/x.$$"
    rm -rf "$x" && mkdir -p "$x" && (cd "$x" && unzip -q "$f")
    local n=0
    while IFS= read -r part; do
        n=$((n + 1))
        xmllint --noout "$part" 2>"$OUT/xmllint.err" || { bad "xmllint $(basename "$f"): ${part#$x/}"; cat "$OUT/xmllint.err"; }
    done < <(find "$x" -type f \( -name '*.xml' -o -name '*.rels' \))
    [ "$n" -ge 9 ] && ok || bad "$f has only $n XML parts"
    rm -rf "$x"
    $PY "$CHECK" "$f" "$md" "$@" >"$OUT/check.log" 2>&1 && ok || { bad "docxcheck $(basename "$f")"; cat "$OUT/check.log"; }
}

# 1. the samples
for s in "$SRC"/samples/*.yaml; do
    n=$(basename "$s" .yaml)
    "$HUIBAO" build -q "$s" -f docx,pdf,md -o "$OUT/a" || { bad "build $n"; continue; }
    "$HUIBAO" build -q "$s" -f docx -o "$OUT/b" || bad "second build $n"
    TZ=America/New_York "$HUIBAO" build -q "$s" -f docx -o "$OUT/c" || bad "third build $n"
    cmp -s "$OUT/a/$n.docx" "$OUT/b/$n.docx" && ok || bad "$n.docx differs between two builds"
    cmp -s "$OUT/a/$n.docx" "$OUT/c/$n.docx" && ok || bad "$n.docx depends on TZ"
    title=$(sed -n 's/^title: *//p' "$s" | head -1 | tr -d '"')
    structure "$OUT/a/$n.docx" "$OUT/a/$n.md" --title "$title"
done
# docx is one of the default formats
"$HUIBAO" build -q "$SRC/samples/2026-10.yaml" -o "$OUT/default" && [ -f "$OUT/default/2026-10.docx" ] && ok || bad "default formats lack docx"

# 1b. a hostile report: every field carries markup, controls, ]]> and Extension B characters
long=$(printf '长%.0s' $(seq 1 3000))
cat >"$OUT/hostile.json" <<JSON
{"title": "关于<w:t>&amp;]]>\"测试\"与𠀀𪚥的汇报",
 "org": "某某<局>&\"办\"'公室'𠀡\u007f",
 "period": "2026-10", "date": "2026-11-05",
 "to": "区委&区政府]]><![CDATA[x]]>：",
 "preamble": "开头语含\u0085下一行控制符、]]>和<?xml?>以及&#x1;字样。",
 "closing": "特此汇报<!--x-->。",
 "indicators": [{"name": "收入<&>\"'𠀀", "unit": "亿元", "value": 10, "last_year": 9, "note": "]]>注"}],
 "sections": [{"title": "主要工作情况&<>", "text": "正文${long}。",
   "points": ["要点一<w:p>]]>", "要点二𪚥"],
   "sections": [{"title": "坚持<b>加粗</b>与&amp;", "text": "二级正文]]>。"}]}],
 "attachments": ["附件名<&>]]>𠀀", "第二个附件\u007f"]}
JSON
if "$HUIBAO" build -q "$OUT/hostile.json" -f docx,pdf,md -o "$OUT/h" 2>"$OUT/hostile.err"; then
    ok
    structure "$OUT/h/hostile.docx" "$OUT/h/hostile.md"
    $PY - "$OUT/h/hostile.docx" <<'PYEOF' && ok || bad "hostile strings not kept"
import sys, docx, zipfile
d = docx.Document(sys.argv[1])
text = "\n".join(p.text for p in d.paragraphs)
want = ["关于<w:t>&amp;]]>", "与𠀀𪚥的汇报", "区委&区政府]]><![CDATA[x]]>：", "要点一<w:p>]]>",
        "附件名<&>]]>𠀀", "某某<局>&", "'公室'𠀡〓", "开头语含〓下一行"]
missing = [w for w in want if w not in text.replace("\n", "")]
cp = d.core_properties
xml = b"".join(zipfile.ZipFile(sys.argv[1]).read(n) for n in zipfile.ZipFile(sys.argv[1]).namelist())
ctrl = [c for c in range(0x20) if c not in (9, 10, 13) and bytes([c]) in xml] + \
       (["DEL"] if b"\x7f" in xml else []) + (["C1"] if "\u0085".encode() in xml else [])
ok = not missing and cp.title.startswith("关于<w:t>") and "𠀡" in cp.author and not ctrl
if not ok:
    print("missing:", missing, "title:", cp.title, "author:", cp.author, "controls:", ctrl)
sys.exit(0 if ok else 1)
PYEOF
    # a 3000-character run and the Extension B characters survive into the text
    grep -q "$long" "$OUT/h/hostile.md" && ok || bad "long run lost in md"
else
    bad "hostile build failed"
    cat "$OUT/hostile.err"
fi

# 1c. a 50-page report
$PY "$SRC/bench/gen_report.py" report --pages 50 --seed 7 "$OUT/big.yaml" >/dev/null 2>&1 || bad "gen_report.py"
"$HUIBAO" build -q "$OUT/big.yaml" -f docx,pdf,md -o "$OUT/a" && ok || bad "build big"
structure "$OUT/a/big.docx" "$OUT/a/big.md"

# 3. reference.docx: styles matched by name win, ours fill the rest
DATA="$OUT/data"
mkdir -p "$DATA/templates"
cp -r "$SRC/templates/." "$DATA/templates/"
ln -s "$SRC/fonts" "$DATA/fonts"
$PY - "$DATA/templates/monthly/reference.docx" <<'PYEOF' || bad "making a reference.docx with python-docx"
import sys, docx
from docx.oxml.ns import qn
from docx.shared import Pt
d = docx.Document()  # python-docx's own template: Normal, Title, Heading 1 … of its own ids
n = d.styles["Normal"]
n.font.size = Pt(15)
n.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
d.styles.add_style("主送机关", 1).font.size = Pt(17)
d.save(sys.argv[1])
PYEOF
if HUIBAO_DATA_DIR="$DATA" "$HUIBAO" build -q "$SRC/samples/2026-10.yaml" -f docx,md -o "$OUT/ref"; then
    ok
    structure "$OUT/ref/2026-10.docx" "$OUT/ref/2026-10.md" --reference
    $PY - "$OUT/ref/2026-10.docx" <<'PYEOF' && ok || bad "reference styles not used"
import sys, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
n = d.styles["Normal"]
ea = n.element.rPr.rFonts.get(qn("w:eastAsia"))
rec = d.styles["主送机关"]
h1 = d.styles["一级标题"]  # not in the reference: huibao's own
ok = ea == "仿宋_GB2312" and n.font.size.pt == 15 and rec.font.size.pt == 17 and \
     h1.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
ids = [s.style_id for s in d.styles]
ok = ok and len(ids) == len(set(ids))
print("ok" if ok else f"Normal {ea} {n.font.size}, 主送机关 {rec.font.size}, ids {len(ids)}/{len(set(ids))}")
sys.exit(0 if ok else 1)
PYEOF
else
    bad "build with reference.docx"
fi
# a broken reference.docx: build and check refuse it as input (exit 2), naming the file; nothing
# is written
printf 'PK\003\004 not really a zip' >"$DATA/templates/monthly/reference.docx"
rm -rf "$OUT/refbad"
HUIBAO_DATA_DIR="$DATA" "$HUIBAO" build -q "$SRC/samples/2026-10.yaml" -f docx -o "$OUT/refbad" 2>"$OUT/refbad.err"
rc=$?
[ $rc = 2 ] && grep -q "reference.docx" "$OUT/refbad.err" && ok || { bad "broken reference.docx: exit $rc"; cat "$OUT/refbad.err"; }
[ ! -e "$OUT/refbad/2026-10.docx" ] && ok || bad "a docx was written with a broken reference"
HUIBAO_DATA_DIR="$DATA" "$HUIBAO" check "$SRC/samples/2026-10.yaml" 2>"$OUT/refcheck.err"
rc=$?
[ $rc = 2 ] && grep -q "reference.docx" "$OUT/refcheck.err" && ok || { bad "check with a broken reference.docx: exit $rc"; cat "$OUT/refcheck.err"; }
# a zip bomb as reference.docx: 100 MB of zeros in word/styles.xml
$PY - "$DATA/templates/monthly/reference.docx" <<'PYEOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("word/styles.xml", b"\0" * (100 << 20))
PYEOF
HUIBAO_DATA_DIR="$DATA" "$HUIBAO" build -q "$SRC/samples/2026-10.yaml" -f docx -o "$OUT/refbad" 2>"$OUT/bomb.err"
rc=$?
[ $rc = 2 ] && grep -q "zip 炸弹\|超过上限" "$OUT/bomb.err" && ok || { bad "zip bomb reference: exit $rc"; cat "$OUT/bomb.err"; }
# check says the same, with the same exit status (check = build minus writing)
HUIBAO_DATA_DIR="$DATA" "$HUIBAO" check "$SRC/samples/2026-10.yaml" 2>"$OUT/bombcheck.err"
rc=$?
[ $rc = 2 ] && grep -q "zip 炸弹\|超过上限" "$OUT/bombcheck.err" && ok || { bad "check of a zip bomb reference: exit $rc"; cat "$OUT/bombcheck.err"; }
rm -f "$DATA/templates/monthly/reference.docx"

# 2. LibreOffice: page count, every sentence, 22 lines a full page
if ! command -v soffice >/dev/null 2>&1; then
    echo "FAIL: LibreOffice (soffice) not installed: bash tools/deps.sh test (libreoffice-writer-nogui)"
    fail=$((fail + 1))
else
    # the office font names resolve to the bundled faces, as docs/templates.md §9 describes
    FC="$OUT/fonts.conf"
    {
        echo '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        echo '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        echo "<dir>$SRC/fonts</dir><cachedir>$OUT/fccache</cachedir>"
        for pair in 仿宋:FandolFang 仿宋_GB2312:FandolFang 宋体:FandolSong 楷体:FandolKai \
            楷体_GB2312:FandolKai 黑体:FandolHei "Times New Roman:Liberation Serif"; do
            echo "<match target=\"pattern\"><test name=\"family\"><string>${pair%%:*}</string></test><edit name=\"family\" mode=\"assign\" binding=\"strong\"><string>${pair#*:}</string></edit></match>"
        done
        echo '<match target="pattern"><test name="family"><string>方正小标宋简体</string></test><edit name="family" mode="assign" binding="strong"><string>FandolSong</string></edit><edit name="weight" mode="assign" binding="strong"><const>bold</const></edit></match>'
        echo '</fontconfig>'
    } >"$FC"
    PROFILE="$OUT/lo-profile"
    docs=()
    for f in "$OUT"/a/*.docx; do docs+=("$f"); done
    if FONTCONFIG_FILE="$FC" timeout 600 soffice -env:UserInstallation="file://$PROFILE" --headless --norestore \
        --convert-to pdf --outdir "$OUT/lo" "${docs[@]}" >"$OUT/soffice.log" 2>&1; then
        ok
    else
        bad "soffice --convert-to pdf (see $OUT/soffice.log)"
    fi
    for f in "${docs[@]}"; do
        n=$(basename "$f" .docx)
        lo="$OUT/lo/$n.pdf"
        [ -f "$lo" ] || { bad "LibreOffice made no PDF of $n"; continue; }
        $PY - "$lo" "$OUT/a/$n.pdf" "$OUT/a/$n.md" <<'PYEOF' && ok || bad "LibreOffice rendering of $n"
import re, subprocess, sys
lo, ours, md = sys.argv[1:4]
def pages(p):
    return int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", p], capture_output=True, text=True).stdout).group(1))
fails = []
nl, nh = pages(lo), pages(ours)
if abs(nl - nh) > 1:
    fails.append(f"{nl} pages in LibreOffice, {nh} in huibao's PDF")
# reading order (a centred 表题 beside the header row is interleaved with it) and content
# stream order: a sentence counts when either extraction holds it
PUNCT = "，。；：、！？"
flats = []
for mode in ([], ["-raw"]):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", *mode, lo, "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"—\s*\d+\s*—", "", text)
    # LibreOffice 7.4 hangs a closing mark past the margin and sometimes draws none (Word and
    # WPS honour w:overflowPunct="0"): sentences are compared without their punctuation
    flats.append(re.sub(r"\s+", "", flat).translate({ord(c): None for c in PUNCT}))
body = open(md, encoding="utf-8").read()
missing = 0
for para in re.split(r"\n\s*\n", body):
    if para.startswith("|") or para.startswith("<!--"):
        continue
    t = re.sub(r"^#+\s*", "", para).replace("**", "")
    t = re.sub(r"\\(.)", r"\1", t)
    for sent in re.split(r"(?<=[。；：])", t):
        s = re.sub(r"\s+", "", sent).translate({ord(c): None for c in PUNCT})
        if len(s) >= 2 and all(s not in f for f in flats):
            missing += 1
            if missing <= 3:
                fails.append(f"sentence not in LibreOffice's PDF: {s[:40]}")
# lines per page: the body-size text lines of every page that holds nothing else
xml = subprocess.run(["pdftotext", "-bbox-layout", lo, "-"], capture_output=True, text=True).stdout
full = 0
counts = []
pgs = re.findall(r"<page .*?</page>", xml, re.S)
for k, pg in enumerate(pgs[:-1]):
    lines = [(float(a), float(b)) for a, b in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', pg)]
    body_lines = [l for l in lines if l[0] < 742]  # above the page number
    heights = [b - a for a, b in body_lines]
    if k == 0 or not body_lines or any(h < 18 or h > 23 for h in heights):
        continue  # the title page, or a page with a table
    tops = sorted({round(a) for a, b in body_lines})
    full += 1
    counts.append(len(tops))
# a page may end a line early (widows, orphans, a heading kept with its text), never hold more;
# in a long report most pages are full
if counts and (max(counts) > 22 or (len(counts) >= 10 and counts.count(22) * 2 < len(counts))):
    fails.append(f"lines per full page: {counts}, want 22 (at most, and on most pages)")
for f in fails[:6]:
    print("  ", f)
print(f"{lo}: {nl} pages (huibao {nh}), {full} full pages checked, {missing} sentences missing")
sys.exit(1 if fails else 0)
PYEOF
        pdftoppm -r 40 -png -f 1 -l 2 "$lo" "$OUT/lo/$n" 2>/dev/null
    done
fi

echo "docx: $pass passed, $fail failed"
[ $fail = 0 ]
