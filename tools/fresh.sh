#!/usr/bin/env bash
# CI step "全新机器": the README's first command (bash tools/setup.sh) in a clean clone of the
# committed tree, with the test-only packages invisible to the build: pkg-config sees a folder
# of links to every .pc file on this machine except those the test packages install (cmocka's).
# A build step that needs a test package, or a file missing from git, fails here although the
# CI machine has everything installed. Uncommitted changes are not part of the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

git clone -q --no-hardlinks "$src" "$work/huibao"

hidden=""
for p in $(bash tools/deps.sh list test); do
    hidden="$hidden $( (dpkg -L "$p" 2>/dev/null || true) | (grep "\.pc$" || true) | xargs -r -n1 basename | tr "\n" " ")"
done
mkdir "$work/pkgconfig"
for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
    [ -d "$d" ] || continue
    for pc in "$d"/*.pc; do
        [ -e "$pc" ] || continue
        name=$(basename "$pc")
        case " $hidden " in *" $name "*) continue ;; esac
        [ -e "$work/pkgconfig/$name" ] || ln -s "$pc" "$work/pkgconfig/$name"
    done
done
export PKG_CONFIG_LIBDIR="$work/pkgconfig" PKG_CONFIG_PATH=""
if pkg-config --exists cmocka; then
    echo "全新机器：无法隐藏 cmocka（$hidden）" >&2
    exit 1
fi
hidden=$(echo $hidden)
echo "隐藏的 pkg-config 模块：${hidden:-（无）}"

cd "$work/huibao"
if ! bash tools/setup.sh >"$work/setup.log" 2>&1; then
    cat "$work/setup.log"
    echo "全新机器：bash tools/setup.sh 在干净的克隆中失败（测试用软件包不可见）" >&2
    exit 1
fi
latest=$(basename "$(ls samples/*.yaml | sort | tail -1)" .yaml)
for ext in pdf xlsx md; do
    if [ ! -s "out/$latest.$ext" ]; then
        cat "$work/setup.log"
        echo "全新机器：tools/setup.sh 没有生成 out/$latest.$ext" >&2
        exit 1
    fi
done
echo "bash tools/setup.sh：干净克隆中成功，生成了 out/$latest.pdf、.xlsx、.md"
