#!/bin/bash
# e2e_include_order.sh - data flows one way: no source file includes the header of a later
# pipeline stage, and the renderers see the input, the history and the analysis only through
# the report model (they render what it decided and decide nothing themselves).
#
# The stages are ORDER below, earliest first: extend the list (a new file goes into its stage,
# a new stage into its place) rather than the checks. Includes are followed through src/'s own
# headers, so a header cannot smuggle an earlier stage in. A file in no stage is reported (add
# it to ORDER) but does not fail the test.
set -u
SRC=${HU_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
/usr/bin/python3 - "$SRC/src" <<'PYEOF'
import os, re, sys

# (stage, modules, sees earlier stages only through the model)
ORDER = [
    ("base", "arena buf utf8 error paths strlist sha256 atomic value textclean period yamlout",
     False),
    ("input", "input figures sheet", False),
    ("decimal", "decimal", False),
    ("history", "history consistency", False),
    ("analyze", "analyze", False),
    ("model", "model", False),
    ("template", "view mustache template", True),
    ("document", "doc", True),
    ("resources", "fonts style linebreak", True),
    ("render", "markdown layout pdf pdf_fonts xlsx docx", True),
    ("driver", "report build cli main newmonth", False),
]
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


fails, notes = [], []
for f in sorted(includes):
    mod = f.rsplit(".", 1)[0]
    if mod not in stage_of:
        notes.append(f"NOTE: src/{f} is in no stage: add it to ORDER in tests/e2e_include_order.sh")
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
for n in notes:
    print(n)
for x in fails:
    print("FAIL:", x)
print(f"include order: {len(includes)} files, {len(fails)} violations")
sys.exit(1 if fails else 0)
PYEOF
