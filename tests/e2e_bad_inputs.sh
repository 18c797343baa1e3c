#!/usr/bin/env bash
# Every file in tests/data/bad/ is checked with `huibao check`: the exit status and each
# expected line of its .expect file (fixed strings that must all appear in the messages;
# a line "not: text" must not appear). No message may carry libfyaml's English except in
# the parentheses "（解析器原文：…）" after a Chinese explanation.
set -u
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
dir="$HU_SOURCE_DIR/tests/data/bad"
pass=0 fail=0
cd "$dir" || exit 1
alone=$(mktemp -d)
trap 'rm -rf "$alone"' EXIT
english='\b(invalid|scalar|mapping|sequence|expected|indentation|indented|trailing|multiline|plain|disallows|missing|quoted|comma|bracket|brace|alias|anchor|tag|JSON mode|document start)\b'
for input in *.yaml *.json; do
    exp="${input%.*}.expect"
    [ -f "$exp" ] || { echo "FAIL $input: no $exp"; fail=$((fail+1)); continue; }
    want=$(sed -n 's/^exit: //p' "$exp" | head -1)
    # alone in a folder, so the other bad files are not read as its earlier months
    cp "$input" "$alone/"
    out=$(cd "$alone" && "$HUIBAO" check "$input" 2>&1)
    rc=$?
    rm -f "$alone/$input"
    ok=1
    if [ "$rc" != "$want" ]; then
        echo "FAIL $input: exit $rc, expected $want"; ok=0
    fi
    while IFS= read -r line; do
        case "$line" in
        exit:*|"") continue ;;
        "not: "*)
            if grep -qF -- "${line#not: }" <<<"$out"; then
                echo "FAIL $input: unexpected message: ${line#not: }"; ok=0
            fi
            continue ;;
        esac
        if ! grep -qF -- "$line" <<<"$out"; then
            echo "FAIL $input: missing message: $line"; ok=0
        fi
    done < "$exp"
    # every error names the file
    if [ "$want" != 0 ] && ! grep -q "^$input" <<<"$out"; then
        echo "FAIL $input: messages do not start with the file name"; ok=0
    fi
    if sed -e "s/^$input[:0-9]*: //" -e 's/（解析器原文：[^）]*）//g' <<<"$out" | grep -qE "$english"; then
        echo "FAIL $input: parser English outside （解析器原文：…）"; ok=0
    fi
    if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "---- output:"; echo "$out"; fi
done
# docs/input.md's 常见错误 shows messages of these files: each must be what huibao prints
docs=0
while IFS= read -r line; do
    input=${line%%:*}
    [ -f "$input" ] || continue
    cp "$input" "$alone/"
    if ! (cd "$alone" && "$HUIBAO" check "$input" 2>&1) | grep -qxF -- "$line"; then
        echo "FAIL docs/input.md shows a message huibao does not print: $line"; fail=$((fail+1))
    fi
    rm -f "$alone/$input"
    docs=$((docs+1))
done < <(grep -E '^[0-9]{2}-[a-z0-9-]+\.(yaml|json)(:[0-9]+:[0-9]+)?: ' "$HU_SOURCE_DIR/docs/input.md")
[ "$docs" -ge 30 ] || { echo "FAIL docs/input.md: only $docs messages found in 常见错误"; fail=$((fail+1)); }
echo "bad inputs: $pass passed, $fail failed; $docs messages in docs/input.md checked"
[ $fail = 0 ]
