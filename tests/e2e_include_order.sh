#!/bin/bash
# e2e_include_order.sh - data flows one way: no source file includes the header of a later
# pipeline stage, and the renderers see the input, the history and the analysis only through
# the report model (they render what it decided and decide nothing themselves).
#
# The stages, earliest first, are the table "Stage order" of docs/architecture.md, read here
# (the order is written once, where a newcomer reads it): a new file goes into its stage's row,
# a new stage into its place. Includes are followed through src/'s own headers, so a header
# cannot smuggle a later stage in. A file of src/ in no stage fails the test, as does a module
# named in the table that has no file.
set -u
SRC=${HU_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
command -v /usr/bin/python3 >/dev/null || { echo "FAIL: /usr/bin/python3 missing"; exit 1; }
/usr/bin/python3 - "$SRC/src" "$SRC/docs/architecture.md" <<'PYEOF'
import os, re, sys

# | n | stage | modules | through the model |   between the "Stage order" heading and the next one
ORDER = []
in_table = False
for line in open(sys.argv[2], encoding="utf-8"):
    if line.startswith("## "):
        in_table = line.strip() == "## Stage order"
        continue
    m = re.match(r"\|\s*(\d+)\s*\|\s*(\w+)\s*\|([^|]*)\|\s*(yes|no)\s*\|", line) if in_table else None
    if m:
        mods = " ".join(re.findall(r"`(\w+)`", m.group(3)))
        ORDER.append((m.group(2), mods, m.group(4) == "yes"))
if len(ORDER) < 5:
    print(f"FAIL: no stage table under '## Stage order' in {sys.argv[2]}")
    sys.exit(1)
BARRIER = "model"  # what "through the model" skips: the stages after base and before this one

src = sys.argv[1]
stage_of = {}
for i, (name, mods, _) in enumerate(ORDER):
    for m in mods.split():
        stage_of[m] = i
barrier = [n for n, _, _ in ORDER].index(BARRIER)
hidden = {i for i in range(1, barrier)}  # input, analyze, history

includes = {}
for f in os.listdir(src):
    if f.endswith((".c", ".h")):
        text = open(os.path.join(src, f), encoding="utf-8").read()
        includes[f] = re.findall(r'^\s*#\s*include\s+"([^"]+)"', text, re.M)


def closure(f):
    """Every src/ header f reaches, with the chain that reaches it."""
    seen, todo = {}, [(h, [h]) for h in includes.get(f, [])]
    while todo:
        h, chain = todo.pop()
        if h in seen or h not in includes:
            continue
        seen[h] = chain
        todo += [(g, chain + [g]) for g in includes[h]]
    return seen


fails = []
for f in sorted(includes):
    mod = f.rsplit(".", 1)[0]
    if mod not in stage_of:
        fails.append(f"src/{f} is in no stage: add it to the stage table of docs/architecture.md")
        continue
    me = stage_of[mod]
    through_model = ORDER[me][2]
    for h, chain in sorted(closure(f).items()):
        hm = h.rsplit(".", 1)[0]
        if hm == mod or hm not in stage_of:
            continue
        st = stage_of[hm]
        via = " -> ".join([f] + chain)
        if st > me:
            fails.append(f"src/{f} ({ORDER[me][0]}) includes {h} of the later stage "
                         f"{ORDER[st][0]}: {via}")
        elif through_model and st in hidden:
            fails.append(f"src/{f} ({ORDER[me][0]}) includes {h} ({ORDER[st][0]}): it must read "
                         f"the model instead: {via}")
files = {f.rsplit(".", 1)[0] for f in includes}
for m in sorted(set(stage_of) - files):
    fails.append(f"docs/architecture.md names module {m}, which has no file in src/")
for x in fails:
    print("FAIL:", x)
print(f"include order: {len(includes)} files in {len(ORDER)} stages, {len(fails)} violations")
sys.exit(1 if fails else 0)
PYEOF
