#!/usr/bin/env bash
# e2e_completion.sh - the bash completion the build generated ($HU_BUILD_DIR/huibao.bash), in a
# plain `bash --norc` (no bash-completion package) with COMP_LINE/COMP_POINT/COMP_WORDS set as
# bash sets them for a Tab at the end of the line, checked against the option table
# (`huibao _spec`):
#  1. it is valid bash and registers itself: `complete -p huibao` names its function.
#  2. `huibao <Tab>`: the visible commands and help, never the hidden _spec; `huibao help <Tab>`.
#  3. `huibao CMD --<Tab>`: exactly the options of CMD's groups in the table, for every command.
#  4. every enum, list and ROLE=FILE option, on a command that takes it: its choices (roles
#     with "=", no space after); the comma list completes its last item and leaves out the ones
#     given (-f pdf,  --format=md,p  -fpdf,d), with readline's part before '=' taken off.
#  5. -t: template folders (with report.md.mustache) from the per-user folder
#     ($XDG_DATA_HOME/huibao/templates), HUIBAO_DATA_DIR's and the installation's, merged; not
#     partials/ nor a folder without a template; a path-like value completes folders.
#  6. values that are paths: -o folders only; --font ROLE=… files (quoted: a name with a space);
#     positional arguments and anything after -- files; -j nothing.
# Env: HUIBAO (the binary), HU_SOURCE_DIR, HU_BUILD_DIR.
set -euo pipefail
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}" "${HU_BUILD_DIR:?}"
script=$HU_BUILD_DIR/huibao.bash
[ -s "$script" ] || { echo "FAIL 没有生成 $script"; exit 1; }
tmp=$(mktemp -d /tmp/hu-comp.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

if ! bash -n "$script"; then echo "FAIL $script 不是合法的 bash"; exit 1; fi
reg=$(bash --norc -c "source '$script'; complete -p huibao")
[ "$reg" = "complete -F _huibao huibao" ] || { echo "FAIL complete -p huibao：$reg"; fail=1; }

# a scratch folder to complete in, a per-user template, a folder that is no template
mkdir -p "$tmp/cwd/out dir" "$tmp/cwd/sub" "$tmp/xdg/huibao/templates/单位月报" "$tmp/xdg/huibao/templates/草稿"
touch "$tmp/cwd/a.ttf" "$tmp/cwd/2026-10.yaml" "$tmp/cwd/my font.ttc" "$tmp/xdg/huibao/templates/单位月报/report.md.mustache"
mkdir -p "$tmp/bin"
ln -s "$(readlink -f "$HUIBAO")" "$tmp/bin/huibao"

# comp LINE: the candidates bash would get for a Tab at the end of LINE, sorted, one a line;
# then "nospace" and/or "filenames" when the function asked for them.
cat >"$tmp/harness.sh" <<'EOF'
source "$HU_COMP_SCRIPT"
compopt() { # record what the function asks of readline
    local o
    while [ $# -gt 0 ]; do [ "$1" = -o ] && { shift; printf '%s\n' "$1" >>"$HU_COMP_OPTS"; }; shift; done
}
comp() {
    local line=$1 w
    COMP_LINE=$line COMP_POINT=${#line} COMP_WORDBREAKS=$' \t\n"'"'"'><=;|&(:'
    # COMP_WORDS as bash splits them: at blanks, and at COMP_WORDBREAKS characters
    COMP_WORDS=()
    w=""
    local i c
    for ((i = 0; i < ${#line}; i++)); do
        c=${line:i:1}
        if [[ $c == [[:space:]] ]]; then
            [[ -n $w ]] && COMP_WORDS+=("$w")
            w=""
        elif [[ $c == [=:] ]]; then
            [[ -n $w && $w != [=:]* ]] && { COMP_WORDS+=("$w"); w=""; }
            w+=$c
        else
            [[ $w == [=:]* ]] && { COMP_WORDS+=("$w"); w=""; }
            w+=$c
        fi
    done
    COMP_WORDS+=("$w")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    : >"$HU_COMP_OPTS"
    COMPREPLY=()
    _huibao huibao "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]:-}"
    { printf '%s\n' "${COMPREPLY[@]}" | sort; sort -u "$HU_COMP_OPTS"; } | sed '/^$/d'
}
comp "$1"
EOF
# expect LINE WANT…: the candidates (and options) are exactly WANT
expect() {
    local line=$1
    shift
    local got want
    got=$(cd "$tmp/cwd" && HU_COMP_SCRIPT=$script HU_COMP_OPTS=$tmp/opts PATH="$tmp/bin:$PATH" \
        XDG_DATA_HOME=$tmp/xdg HUIBAO_DATA_DIR=$HU_SOURCE_DIR bash --norc "$tmp/harness.sh" "$line")
    # candidates sorted, then the options, as the harness prints them
    want=$(printf '%s\n' "$@" | awk 'NF && $0 != "nospace" && $0 != "filenames"' | sort
        printf '%s\n' "$@" | awk '$0 == "nospace" || $0 == "filenames"' | sort -u)
    if [ "$got" != "$want" ]; then
        echo "FAIL [$line]"
        echo "  应为：$(echo $want)"
        echo "  实为：$(echo $got)"
        fail=1
    fi
}

"$HUIBAO" _spec >"$tmp/spec.json"
# the table, as shell lines: "cmd NAME OPT…", "choices OPT KIND CMD CHOICE…", "top OPT…"
/usr/bin/python3 - "$tmp/spec.json" >"$tmp/table" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1], encoding="utf-8"))
cmds = [c for c in spec["commands"] if not c["hidden"]]
print("visible", *[c["name"] for c in cmds])
print("hidden", *[c["name"] for c in spec["commands"] if c["hidden"]])
for c in cmds:
    print("cmd", c["name"], *["--" + n for g in c["groups"] for n in g["options"]])
for o in spec["options"]:
    if not o["choices"]:
        continue
    users = [c["name"] for c in cmds if any(o["name"] in g["options"] for g in c["groups"])]
    if users:
        names = [v for ch in o["choices"] for v in [ch["name"]] + ch["aliases"]]
        print("choices", "--" + o["name"], o["short"] or "-", o["kind"], users[0], *names)
EOF

# 2. commands
read -ra visible <<<"$(sed -n 's/^visible //p' "$tmp/table")"
expect "huibao " "${visible[@]}" help
expect "huibao help " "${visible[@]}"
for h in $(sed -n 's/^hidden//p' "$tmp/table"); do
    expect "huibao $h" ""
done
expect "huibao -" --help --version

# 3. each command's options
while read -r tag name opts; do
    [ "$tag" = cmd ] || continue
    read -ra o <<<"$opts"
    expect "huibao $name --" "${o[@]}"
done <"$tmp/table"

# 4. choices of every option that has them
while read -r tag opt short kind cmd choices; do
    [ "$tag" = choices ] || continue
    read -ra c <<<"$choices"
    case $kind in
    key-path)
        expect "huibao $cmd $opt " $(printf '%s= ' "${c[@]}") nospace
        expect "huibao $cmd $opt=" $(printf '%s= ' "${c[@]}") nospace
        ;;
    *)
        expect "huibao $cmd $opt " "${c[@]}"
        [ "$short" != - ] && expect "huibao $cmd -$short " "${c[@]}"
        ;;
    esac
done <"$tmp/table"
# the comma list of -f, completed item by item
expect "huibao build -f pdf," pdf,xlsx pdf,md pdf,html pdf,docx
expect "huibao build -f pdf,md,x" pdf,md,xlsx
expect "huibao build --format=md,p" md,pdf
expect "huibao build -fpdf,d" -fpdf,docx
expect "huibao build --font b" body=  nospace
expect "huibao render --escape m" markdown md

# 5. templates: per-user, HUIBAO_DATA_DIR's (the source tree here) and the installation's
expect "huibao build -t " monthly monthly-brief 单位月报
expect "huibao build --template=mon" monthly monthly-brief
expect "huibao build -t 单" 单位月报
expect "huibao build -t ./s" ./sub filenames

# 6. paths
expect "huibao build -o " "out dir" sub filenames
expect "huibao build --output=o" "out dir" filenames
expect "huibao build --font title=" "2026-10.yaml" "a.ttf" "my font.ttc" "out dir" sub filenames
expect "huibao build --font=title=m" "my font.ttc" filenames
expect "huibao build 2026" 2026-10.yaml filenames
expect "huibao build -- --" "" filenames
expect "huibao render a" a.ttf filenames
expect "huibao build -j " ""
expect "huibao nosuch -" ""

[ $fail = 0 ] && echo "补全：与选项表一致"
exit $fail
