#!/usr/bin/python3
"""md2typ.py IN.md OUT.typ - the Typst side of the comparison (bench/run.sh section 5).

Turns the Markdown huibao wrote into Typst markup on huibao's default page (GB/T 9704-2012:
A4, margins 37/35/28/26 mm, 16 pt 仿宋 body on a 28.95 pt pitch, 22 pt 宋体 title, 黑体 and
楷体 headings, 12 pt tables, "— 1 —" page numbers), with the Fandol fonts of
texlive-lang-chinese (typst --font-path). Only what huibao's Markdown uses: headings,
paragraphs with a bold run-in lead, GFM tables. Not a general converter."""
import re
import sys

SPECIAL = re.compile(r'([\\#$*_`<>@\[\]~=+/-])')


def esc(s):
    return SPECIAL.sub(r'\\\1', s)


def inline(s):
    # **lead**: the run-in lead sentence, in 黑体 as huibao sets a level-1 lead
    out, pos = [], 0
    for m in re.finditer(r'\*\*(.+?)\*\*', s):
        out.append(esc(s[pos:m.start()]))
        out.append('#text(font: "FandolHei")[%s]' % esc(m.group(1)))
        pos = m.end()
    out.append(esc(s[pos:]))
    return ''.join(out)


PAGE = r'''#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  numbering: "— 1 —", number-align: center)
#set text(font: "FandolFang R", size: 16pt, lang: "zh")
#set par(justify: true, first-line-indent: 2em, leading: 12.95pt)
#show par: set block(spacing: 12.95pt)
#show heading: set text(size: 16pt, weight: "regular")
#show heading.where(level: 1): set text(font: "FandolHei")
#show heading.where(level: 2): set text(font: "FandolKai")
#show heading: it => block(above: 12.95pt, below: 12.95pt, h(2em) + it.body)
'''


def main():
    lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
    out = [PAGE]
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.startswith('# '):
            out.append('#align(center, text(font: "FandolSong", size: 22pt)[%s])\n' % esc(ln[2:]))
        elif ln.startswith('#'):
            level = len(ln) - len(ln.lstrip('#'))
            out.append('%s %s\n' % ('=' * (level - 1), inline(ln[level + 1:])))
        elif ln.startswith('|'):
            rows = []
            while i < len(lines) and lines[i].startswith('|'):
                cells = [c.strip() for c in lines[i].strip().strip('|').split('|')]
                if not all(re.fullmatch(r':?-+:?', c) for c in cells):
                    rows.append(cells)
                i += 1
            n = len(rows[0])
            body = ', '.join('[%s]' % inline(c) for r in rows for c in r)
            out.append('#text(size: 12pt, font: "FandolSong")[#table(columns: %d, %s)]\n' % (n, body))
            continue
        elif ln.strip():
            out.append(inline(ln) + '\n')
        else:
            out.append('\n')
        i += 1
    open(sys.argv[2], 'w', encoding='utf-8').write(''.join(out))


main()
