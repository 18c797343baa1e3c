#!/usr/bin/env python3
"""Keep README.md's usage section equal to the help huibao generates from its option table.

Every block in README.md of the form

    <!-- huibao-help: build -->
    ```text
    …
    ```
    <!-- /huibao-help -->

holds the output of `huibao build --help` (`huibao-help:` with no command: `huibao --help`).

    python3 tools/readme_usage.py HUIBAO            # rewrite the blocks from HUIBAO's help
    python3 tools/readme_usage.py --check HUIBAO    # exit 1 and show the difference if stale
"""
import difflib
import os
import re
import subprocess
import sys

BLOCK = re.compile(r"(<!-- huibao-help:(?P<cmd>[^>]*?) -->\n```text\n)(?P<body>.*?)(```\n<!-- /huibao-help -->)",
                   re.S)


def help_of(huibao, cmd):
    args = [huibao] + ([cmd] if cmd else []) + ["--help"]
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if r.returncode != 0 or r.stderr:
        sys.exit("readme_usage: %s failed (%d): %s" % (" ".join(args), r.returncode,
                                                         r.stderr.decode("utf-8", "replace")))
    return r.stdout.decode("utf-8")


def main():
    argv = sys.argv[1:]
    check = "--check" in argv
    argv = [a for a in argv if a != "--check"]
    if len(argv) != 1:
        sys.exit(__doc__)
    huibao = argv[0]
    readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    blocks = list(BLOCK.finditer(text))
    if not blocks:
        sys.exit("readme_usage: README.md has no <!-- huibao-help: … --> block")
    new = BLOCK.sub(lambda m: m.group(1) + help_of(huibao, m.group("cmd").strip()) + m.group(4), text)
    if check:
        if new != text:
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True),
                                                       "README.md", "huibao --help"))
            print("README.md 的用法与 huibao --help 不一致：运行 python3 tools/readme_usage.py %s" % huibao)
            return 1
        print("README.md: %d 段用法与 --help 一致（%s）" % (
            len(blocks), "、".join("huibao%s --help" % (" " + m.group("cmd").strip() if m.group("cmd").strip() else "")
                                  for m in blocks)))
        return 0
    if new != text:
        with open(readme, "w", encoding="utf-8") as f:
            f.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
