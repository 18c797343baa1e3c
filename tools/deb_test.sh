#!/usr/bin/env bash
# CI step "Debian 软件包": the .deb as the IT person gets it, on this machine (root).
#  1. build it twice with tools/deb.sh, from two clean clones of the committed tree at different
#     paths, under different umasks and locales: the two packages must be byte-identical
#     (SOURCE_DATE_EPOCH is the commit's time).
#  2. inspect it (dpkg-deb -I / -c / -x): name, version (CMakeLists.txt), architecture; Depends
#     names the package of every shared library the binary needs; Recommends is exactly the
#     fallback font packages of src/fonts.c and tools/deps.sh; the files (binary, templates,
#     fonts with licences, docs, copyright, man page, completion) under /usr only, root-owned,
#     modes 0755/0644, md5sums right; no path of the build machine in any file (clone paths,
#     build folders, /work, /tmp), no RPATH.
#  3. install it (apt-get install ./…deb, as the README says) and use it as a user would, from
#     an unrelated folder with a fresh HOME: huibao build on the packaged examples, every output
#     written and the PDF's fonts read from /usr/share/huibao; the Markdown identical to the
#     developer build's (HU_DEV_HUIBAO, if given); -t monthly-brief; `man -w huibao`, man's text,
#     whatis (mandb's index, updated by man-db's trigger); bash-completion loads the completion
#     on demand and it completes commands, formats and the installed templates.
#  4. purge it: nothing left behind (no file of the package, no huibao folder, no dpkg record,
#     the same *huibao* paths on the system as before).
# Refuses to run when huibao is already installed (it would remove it). Uncommitted changes
# are not part of the clones.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
[ "$(id -u)" = 0 ] || { echo "Debian 软件包测试需要 root（安装和卸载软件包）" >&2; exit 1; }
if dpkg-query -W -f='${Status}' huibao 2>/dev/null | grep -q "ok installed"; then
    echo "本机已安装 huibao 软件包：测试会卸载它，请先自行卸载（apt-get purge huibao）" >&2
    exit 1
fi
bash tools/deps.sh test
work=$(mktemp -d /tmp/hu-deb.XXXXXX)
installed=0
cleanup() {
    [ $installed = 1 ] && apt-get purge -y -qq -o DPkg::Lock::Timeout=300 huibao >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
# a command that stops the script (set -e) names its line
trap 'echo "FAIL 第 $LINENO 行的命令失败（退出状态 $?）"' ERR
fail=0
bad() { echo "FAIL $*"; fail=1; }
version=$(sed -n 's/^project(huibao VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
arch=$(dpkg --print-architecture)
apt_opts=(-y -qq -o DPkg::Lock::Timeout=300)

# 1. two builds, compared
git clone -q --no-hardlinks "$src" "$work/a/huibao"
git clone -q --no-hardlinks "$src" "$work/bb/elsewhere/huibao-2"
(cd "$work/a/huibao" && umask 022 && LANG=C.UTF-8 bash tools/deb.sh >"$work/a.log" 2>&1) ||
    { cat "$work/a.log"; echo "FAIL tools/deb.sh 失败"; exit 1; }
(cd "$work/bb/elsewhere/huibao-2" && umask 002 && LANG=zh_CN.UTF-8 bash tools/deb.sh out-deb >"$work/b.log" 2>&1) ||
    { cat "$work/b.log"; echo "FAIL tools/deb.sh 失败（第二次）"; exit 1; }
deb=$work/a/huibao/build-deb/huibao_${version}_${arch}.deb
deb2=$work/bb/elsewhere/huibao-2/out-deb/huibao_${version}_${arch}.deb
[ -f "$deb" ] && [ -f "$deb2" ] || { ls -R "$work" | head -50; echo "FAIL 没有生成 huibao_${version}_${arch}.deb"; exit 1; }
if cmp -s "$deb" "$deb2"; then
    echo "可重现：两次构建（不同路径、umask、语言环境）得到相同的软件包 $(sha256sum <"$deb" | cut -c1-16)…，$(stat -c %s "$deb") 字节"
else
    bad "两次构建的软件包不同："
    sha256sum "$deb" "$deb2"
    diff <(dpkg-deb -c "$deb") <(dpkg-deb -c "$deb2") | head -20 || true
    mkdir -p "$work/x1" "$work/x2"
    dpkg-deb -R "$deb" "$work/x1"; dpkg-deb -R "$deb2" "$work/x2"
    diff -r "$work/x1" "$work/x2" | head -20 || true
fi

# 2. inspection
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = huibao ] || bad "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || bad "Version: $(field Version)，CMakeLists.txt 为 $version"
[ "$(field Architecture)" = "$arch" ] || bad "Architecture: $(field Architecture)"
depends=$(field Depends)
mkdir -p "$work/root"
dpkg-deb -x "$deb" "$work/root"
dpkg-deb -e "$deb" "$work/control"
# the libraries the binary links, and those it loads with dlopen on first use (src/ooxml.c,
# src/xlsxlib.c, ...: their sonames are strings in it, libharu's spelt libhpdf-2.3.0.so;
# packaging/cpack.cmake names their packages).
# libhuibao-test-absent.so.0 is not one: it is the name dynlib.c's test hook (HU_TEST_NO_LIB)
# asks dlopen for, so that the error is dlopen's own; whether `strings` shows it alone depends
# on how the linker laid out .rodata.
# Nor are the sonames of HarfBuzz's stand-ins (src/shim/standin.c): the binary names them only to
# see whether the real library is loaded already (dynlib.c loaded), never loads them
# itself; HarfBuzz's own package brings the real ones, for when a stand-in is refused.
standin_sonames=$(for f in "$work"/root/usr/lib/*/huibao/libhuibao-hb-*.so "$work"/root/usr/lib/huibao/libhuibao-hb-*.so; do
    if [ -f "$f" ]; then objdump -p "$f" | awk '$1 == "SONAME" {print $2}'; fi
done)
for so in $( (objdump -p "$work/root/usr/bin/huibao" | awk '$1 == "NEEDED" {print $2}'
    strings "$work/root/usr/bin/huibao" | grep -E '^lib[a-z0-9_+-]+\.so\.[0-9]+$|^lib[a-z0-9_+-]+-[0-9.]+\.so$' |
        grep -v '^libhuibao-test-absent\.so\.0$' | grep -vxF "${standin_sonames:-libhuibao-none}") | sort -u); do
    path=$(ldconfig -p | awk -v so="$so" '$1 == so && p == "" {p = $NF} END {print p}')
    pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1 || true)
    [ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1 || true)
    case ", $depends" in
    *", $pkg "* | *", $pkg,"* | *", $pkg") ;;
    *) bad "Depends 缺少 $so 所在的软件包 $pkg：$depends" ;;
    esac
done
# the libraries linked from their static archives (CMakeLists.txt HU_STATIC_DEPS, on for the
# package: tools/deb.sh; ICU's libicuuc with libstdc++ and the unwinder too): not loaded, not in
# Depends, and named with their source packages' exact versions in Static-Built-Using (nettle,
# LGPL, in Built-Using too: packaging/cpack.cmake)
needed=$(objdump -p "$work/root/usr/bin/huibao" | awk '$1 == "NEEDED" {print $2}' | tr '\n' ' ')
sbu=""
# (ICU, CMakeLists.txt: libicuuc.a with libstdc++.a and libgcc_eh.a from gcc-12; its data,
# libicudata.so.72, is loaded at run time and stays in Depends through libicu72)
for a in cmark-gfm cmark-gfm-extensions fyaml nettle deflate icuuc stdc++ gcc_s; do
    case " $needed" in *" lib$a.so"*) bad "lib$a 应静态链接，却在 NEEDED 中：$needed" ;; esac
    archive=/usr/lib/$(gcc -print-multiarch)/lib$a.a
    case $a in stdc++) archive=$(gcc -print-file-name=libstdc++.a) ;; gcc_s) archive=$(gcc -print-file-name=libgcc_eh.a) ;; esac
    apkg=$(dpkg -S "$archive" | cut -d: -f1)
    sbu="$sbu$(dpkg-query -W -f='${source:Package} (= ${source:Version})' "$apkg")
"
done
sbu=$(LC_ALL=C sort -u <<<"$sbu" | sed '/^$/d' | paste -sd, | sed 's/,/, /g')
for p in libcmark-gfm0 libcmark-gfm-extensions0 libfyaml0 libnettle8 libdeflate0 libstdc++6 libgcc-s1; do
    case ", $depends" in *", $p"*) bad "Depends 不应含有已静态链接的 $p：$depends" ;; esac
done
[ "$(field Static-Built-Using)" = "$sbu" ] || bad "Static-Built-Using: $(field Static-Built-Using)，应为 $sbu"
[ "$(field Built-Using)" = "$(grep -o 'nettle (= [^)]*)' <<<"$sbu")" ] || bad "Built-Using: $(field Built-Using)，应为 nettle 的源码包"
# the hyphenation patterns are data read at run time (src/linebreak.c), which dpkg-shlibdeps
# cannot see: packaging/cpack.cmake names the package
case ", $depends," in
*", hyphen-en-us,"* | *", hyphen-en-us ("*) ;;
*) bad "Depends 缺少断行连字符词典 hyphen-en-us：$depends" ;;
esac
[ -f "$(strings "$work/root/usr/bin/huibao" | grep -m1 '^/usr/share/hyphen/.*\.dic$')" ] ||
    bad "huibao 所读的连字符词典路径不存在（应由 hyphen-en-us 安装）"
fonts_c=$(grep -o '"fonts-[a-z0-9-]*"' src/fonts.c | tr -d '"' | sort -u | tr '\n' ' ')
deps_sh=$(bash tools/deps.sh list build | tr ' ' '\n' | grep '^fonts-' | sort -u | tr '\n' ' ')
recommends=$(field Recommends | tr -d ' ' | tr ',' '\n' | sort -u | tr '\n' ' ')
[ -n "$fonts_c" ] && [ "$recommends" = "$fonts_c" ] && [ "$recommends" = "$deps_sh" ] ||
    bad "Recommends（$recommends）应与 src/fonts.c（$fonts_c）和 tools/deps.sh（$deps_sh）的字体软件包相同"
dpkg-deb -c "$deb" >"$work/list"
for f in usr/bin/huibao usr/share/man/man1/huibao.1.gz usr/share/bash-completion/completions/huibao \
    usr/share/doc/huibao/copyright usr/share/doc/huibao/README.md usr/share/doc/huibao/input.md \
    usr/share/doc/huibao/templates.md usr/share/doc/huibao/examples/2026-10.yaml \
    usr/share/huibao/fonts/README.md; do
    grep -q " \./$f$" "$work/list" || bad "软件包中没有 /$f"
done
for f in $(git ls-files templates fonts | grep -E '^templates/|\.ttf$|/LICENSE-'); do
    grep -q " \./usr/share/huibao/$f$" "$work/list" || bad "软件包中没有 /usr/share/huibao/$f"
done
# libxlsxwriter's libcrypto replacement (src/shim/md5.c): private, in LIBDIR/huibao, 0644
grep -Eq ' \./usr/lib/([a-z0-9_-]+/)?huibao/libhuibao-md5\.so$' "$work/list" ||
    bad "软件包中没有 /usr/lib/…/huibao/libhuibao-md5.so"
# HarfBuzz's FreeType, GLib and Graphite2 stand-ins (src/shim/standin.c), beside it
for dep in freetype glib graphite2; do
    grep -Eq " \./usr/lib/([a-z0-9_-]+/)?huibao/libhuibao-hb-$dep\.so$" "$work/list" ||
        bad "软件包中没有 /usr/lib/…/huibao/libhuibao-hb-$dep.so"
done
awk '{print $6}' "$work/list" | grep -v '^\./usr/' | grep -vx '\./' && bad "软件包中有 /usr 以外的文件"
awk '$2 != "root/root"' "$work/list" | grep . && bad "软件包中有不属于 root 的文件"
awk '$1 !~ /^(drwxr-xr-x|-rw-r--r--)$/ && $6 != "./usr/bin/huibao"' "$work/list" | grep . && bad "文件权限应为 0755/0644"
grep -q '^-rwxr-xr-x .* \./usr/bin/huibao$' "$work/list" || bad "/usr/bin/huibao 应为 0755"
(cd "$work/root" && md5sum --quiet -c "$work/control/md5sums") || bad "md5sums 与文件不符"
for p in "$work" "$src"; do
    hits=$(grep -rlaF -- "$p" "$work/root" "$work/control" || true)
    [ -z "$hits" ] || bad "软件包中含有构建路径 $p：$hits"
done
# what the build produced (the docs may quote example paths such as /tmp/x)
gzip -dc "$work/root/usr/share/man/man1/huibao.1.gz" >"$work/man.txt"
for f in "$work/root/usr/bin/huibao" "$work/man.txt" "$work/root/usr/share/bash-completion/completions/huibao"; do
    strings -a "$f" | grep -E '(/work|/tmp|/home|/root|build-deb|out-deb|CMakeFiles)/' && bad "$f 中含有构建机器上的路径"
done
readelf -d "$work/root/usr/bin/huibao" | grep -E 'RPATH|RUNPATH' && bad "程序带有 RPATH"
file "$work/root/usr/bin/huibao" | grep -q ', stripped' || bad "程序没有去掉调试符号"
echo "检查：$(grep -c '^-' "$work/list") 个文件；Depends: $depends；Recommends: $(field Recommends)；Static-Built-Using: $(field Static-Built-Using)"

# 3. install and use
before=$(find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp -o -path /work \
    -o -path /root -o -path /home -o -path /var/cache -o -path /var/log \) -prune -o -name '*huibao*' -print 2>/dev/null | sort || true)
installed=1
cp "$deb" "$work/huibao.deb"
# (apt 2.6 with --no-download fails on a local .deb: "Pathname to install is not absolute";
# every dependency is already installed by tools/deps.sh, so nothing is downloaded)
(cd "$work" && apt-get install "${apt_opts[@]}" ./huibao.deb >"$work/install.log" 2>&1) ||
    { cat "$work/install.log"; bad "apt-get install ./huibao.deb 失败"; exit 1; }
dpkg-query -W -f='${Status}' huibao | grep -q "install ok installed" || bad "安装后 dpkg 状态不对"
[ "$(command -v huibao)" = /usr/bin/huibao ] || bad "PATH 上的 huibao 不是 /usr/bin/huibao"
[ "$(/usr/bin/huibao --version)" = "huibao $version" ] || bad "huibao --version：$(/usr/bin/huibao --version)"

user=$work/user
mkdir -p "$user/home" "$user/报告/数据"
cp /usr/share/doc/huibao/examples/*.yaml "$user/报告/数据/"
run() { (cd "$user/报告" && env -i PATH=/usr/bin:/bin HOME="$user/home" LANG=C.UTF-8 SOURCE_DATE_EPOCH=1793836800 "$@"); }
if run huibao build 数据/2026-10.yaml -o 输出 -q >"$work/build.log" 2>&1; then
    for ext in pdf docx xlsx md; do
        [ -s "$user/报告/输出/2026-10.$ext" ] || bad "huibao build 没有生成 2026-10.$ext"
    done
    (cd "$user/报告/输出" && sha256sum --quiet -c SHA256SUMS) || bad "SHA256SUMS 不符"
    grep -q '"/usr/share/huibao/fonts/FandolFang-Regular.ttf"' "$user/报告/输出/index.json" ||
        bad "index.json 没有指向 /usr/share/huibao/fonts 的随附字体：$(grep -m3 Fandol "$user/报告/输出/index.json")"
    pdffonts "$user/报告/输出/2026-10.pdf" | grep -c FandolFang >/dev/null || bad "PDF 没有嵌入 FandolFang"
    title=$(awk '/^title:/ {sub(/^title: */, ""); gsub(/"/, ""); print; exit}' "$user/报告/数据/2026-10.yaml")
    pdftext=$(pdftotext "$user/报告/输出/2026-10.pdf" - | tr -d ' \n')
    grep -qF "$(printf '%s' "$title" | tr -d ' ')" <<<"$pdftext" ||
        bad "PDF 中没有标题“$title”"
    # a workbook loads the installed libhuibao-md5.so, not the real libcrypto (src/dynlib.c)
    mkdir -p "$work/ld"
    run env LD_DEBUG=libs LD_DEBUG_OUTPUT="$work/ld/log" huibao build 数据/2026-10.yaml -o 工作簿 -f xlsx -q ||
        bad "huibao build -f xlsx 失败"
    grep -hq 'calling init: /usr/lib/.*huibao/libhuibao-md5\.so$' "$work"/ld/log.* ||
        bad "生成工作簿时没有加载 /usr/lib/…/huibao/libhuibao-md5.so"
    grep -hq 'calling init: .*/libcrypto\.so' "$work"/ld/log.* && bad "生成工作簿时加载了 libcrypto"
    cmp -s "$user/报告/输出/2026-10.xlsx" "$user/报告/工作簿/2026-10.xlsx" ||
        bad "只生成工作簿（不加载 libcrypto）与完整构建（加载 libcrypto）的 .xlsx 不同"
    if [ -n "${HU_DEV_HUIBAO:-}" ]; then
        (cd "$user/报告" && env -i PATH=/usr/bin:/bin HOME="$user/home" LANG=C.UTF-8 SOURCE_DATE_EPOCH=1793836800 \
            "$HU_DEV_HUIBAO" build 数据/2026-10.yaml -o 开发版 -q -f md,pdf) || bad "开发版 huibao build 失败"
        cmp -s "$user/报告/输出/2026-10.md" "$user/报告/开发版/2026-10.md" || bad "安装版与开发版的 Markdown 不同"
        if cmp -s "$user/报告/输出/2026-10.pdf" "$user/报告/开发版/2026-10.pdf"; then
            echo "安装版与开发版（$HU_DEV_HUIBAO）生成的 PDF、Markdown 逐字节相同"
        else
            bad "安装版与开发版的 PDF 不同"
        fi
    fi
else
    cat "$work/build.log"; bad "安装后 huibao build 失败"
fi
run huibao build 数据/2026-10.yaml -t monthly-brief -f md -o 简版 -q >"$work/brief.log" 2>&1 &&
    [ -s "$user/报告/简版/2026-10.md" ] || { cat "$work/brief.log"; bad "huibao build -t monthly-brief 失败"; }
[ -z "$(ls -A "$user/home")" ] || [ "$(cd "$user/home" && find . -type f)" = "./.cache/huibao/fonts.sha256" ] ||
    bad "huibao 在 HOME 下写了缓存以外的文件：$(cd "$user/home" && find . -type f)"

[ "$(man -w huibao)" = /usr/share/man/man1/huibao.1.gz ] || bad "man -w huibao：$(man -w huibao 2>&1)"
# (whole outputs into variables first: with pipefail, grep -q closing a pipe early would fail
# the writer with SIGPIPE and the test with it)
mantext=$(LANG=C.UTF-8 MANWIDTH=80 man huibao 2>/dev/null || true)
grep -q "huibao build \[选项\]" <<<"$mantext" || bad "man huibao 的内容不对"
whatis huibao 2>/dev/null | grep -q "^huibao (1) *- " || bad "whatis huibao 没有结果（mandb 没有索引手册页）"

comp=$(cd "$user/报告" && env -i PATH=/usr/bin:/bin HOME="$user/home" bash --norc -c '
    source /usr/share/bash-completion/bash_completion
    _completion_loader huibao >/dev/null 2>&1 || __load_completion huibao
    complete -p huibao
    c() { COMP_LINE=$1; COMP_POINT=${#1}; read -ra COMP_WORDS <<<"$1"; COMP_WORDS+=(""); COMP_CWORD=$((${#COMP_WORDS[@]}-1))
          COMPREPLY=(); _huibao huibao "" "${COMP_WORDS[COMP_CWORD-1]}"; echo "${COMPREPLY[*]}"; }
    c "huibao "; c "huibao build -f "; c "huibao build -t "; c "huibao build --font "' 2>&1)
# the commands are the option table's (the installed binary's _spec), public ones only
cmds=$(/usr/bin/huibao _spec | python3 -c 'import json, sys
print(" ".join(c["name"] for c in json.load(sys.stdin)["commands"] if not c["name"].startswith("_")))')
expected="complete -F _huibao huibao
$cmds help
pdf xlsx md html docx
monthly monthly-brief
body= song= kai= hei= title= latin= latin_bold="
[ "$comp" = "$expected" ] || bad "bash-completion 载入的补全不对：
$comp
应为：
$expected"

# 4. purge: nothing left behind
apt-get purge "${apt_opts[@]}" huibao >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; bad "apt-get purge huibao 失败"; }
installed=0
dpkg-query -W -f='${Status}' huibao 2>/dev/null | grep -q "ok installed" && bad "卸载后 dpkg 仍记录 huibao 已安装"
multiarch=$(gcc -print-multiarch) # /usr/lib/MULTIARCH/ stays; its huibao/ must not
awk '{print substr($6, 2)}' "$work/list" | while read -r f; do
    case $f in
    /usr/ | /usr/bin/ | /usr/lib/ | "/usr/lib/$multiarch/" | /usr/share/ | /usr/share/man/ | /usr/share/man/man1/ | /usr/share/doc/ | \
        /usr/share/bash-completion/ | /usr/share/bash-completion/completions/) ;;
    *) if [ -e "$f" ]; then echo "$f"; fi ;;
    esac
done >"$work/left"
[ -s "$work/left" ] && bad "卸载后仍有文件：$(cat "$work/left")"
ls /var/lib/dpkg/info/huibao.* >/dev/null 2>&1 && bad "卸载后仍有 /var/lib/dpkg/info/huibao.*"
man -w huibao >/dev/null 2>&1 && bad "卸载后 man -w huibao 仍找到手册页"
after=$(find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp -o -path /work \
    -o -path /root -o -path /home -o -path /var/cache -o -path /var/log \) -prune -o -name '*huibao*' -print 2>/dev/null | sort || true)
[ "$before" = "$after" ] || bad "卸载后系统中名为 *huibao* 的路径与安装前不同：$(diff <(echo "$before") <(echo "$after"))"

if [ $fail = 0 ]; then
    echo "安装、使用（huibao build、man、补全）、卸载：通过，没有遗留文件"
fi
exit $fail
