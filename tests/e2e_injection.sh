#!/usr/bin/env bash
# Data can never inject formatting: Markdown syntax in input values comes out literally in the
# .md (as parsed by cmark-gfm: checked through the .html), the .html and the .pdf text.
set -u
export LC_ALL=C.UTF-8
. "${HU_SOURCE_DIR:?}/tests/lib.sh"
cat > "$work/inj.yaml" <<'YAML'
title: 测试*强调*与#号|竖线[链接](http://x.cn)ok汇报
org: "<b>某单位</b>"
period: 2026-10
date: 2026-11-05
to: "# 区委"
indicators:
  - {name: "收入_下划线_`代码`", unit: 亿元, value: 10, last_year: 9}
sections:
  - title: 主要工作情况
    points:
      - "1. 不是列表"
      - "- 也不是列表"
      - "> 不是引用 ~~删除~~ ![图](y.png)"
    sections:
      - title: "**坚持**高位推动"
        text: 正文。
YAML
"$HUIBAO" build -q "$work/inj.yaml" -f md,html,pdf -o "$work/out" || { echo "FAIL: build"; echo "injection: 0 passed, 1 failed"; exit 1; }
html="$work/out/inj.html"
for tag in '<em>' '<a href' '<b>' '<h1>区委' '<ol' '<blockquote' '<del>' '<img' '<code>'; do
    if grep -qF "$tag" "$html"; then bad "html has $tag"; else ok; fi
done
text=$(pdftotext -enc UTF-8 "$work/out/inj.pdf" - | tr -d ' \n\f')
for lit in '测试*强调*与#号|竖线[链接](http://x.cn)ok汇报' '<b>某单位</b>' '#区委' '收入_下划线_`代码`' '1.不是列表' '-也不是列表' '>不是引用~~删除~~![图](y.png)' '**坚持**高位推动'; do
    if grep -qF -- "$lit" <<<"$text"; then ok; else bad "pdf lacks literal: $lit"; fi
done
for lit in '测试*强调*与#号|竖线[链接](http://x.cn)ok汇报' '&lt;b&gt;某单位&lt;/b&gt;'; do
    if grep -qF -- "$lit" "$html"; then ok; else bad "html lacks literal: $lit"; fi
done
finish "injection"
