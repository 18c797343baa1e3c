#!/usr/bin/env bash
# docs/input.schema.json checked by an independent validator (Debian's python3-jsonschema),
# the way an editor uses it: every sample and staff input passes; inputs huibao refuses for a
# field's type, value or name are flagged by the schema too; a JSON input naming its schema
# with "$schema" (so editors find it) still builds. test_schema keeps the file generated from
# the same table as the validator.
set -u
: "${HUIBAO:?}" "${HU_SOURCE_DIR:?}"
PY=/usr/bin/python3
if ! $PY -c 'import jsonschema, yaml' 2>/dev/null; then
    echo "FAIL: /usr/bin/python3 lacks jsonschema or yaml (apt-get install python3-jsonschema python3-yaml)"
    exit 1
fi
cd "$HU_SOURCE_DIR" || exit 1
$PY - <<'PYEOF'
import glob, json, sys
import jsonschema, yaml

# YAML as huibao reads it (YAML 1.2 core schema): 2026-11-05 and yes are text
import re
class Loader(yaml.SafeLoader):
    pass
Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                             re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

def load(path):
    with open(path, encoding="utf-8-sig") as f:
        return json.load(f) if path.endswith(".json") else yaml.load(f, Loader=Loader)

schema = json.load(open("docs/input.schema.json", encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(schema)
v = jsonschema.Draft7Validator(schema)
fail = 0
good = sorted(glob.glob("samples/*.yaml") + glob.glob("samples/json/*.json")
              + glob.glob("samples/archive/**/*.yaml", recursive=True)
              + glob.glob("tests/data/staff/*.yaml"))
for p in good:
    errs = list(v.iter_errors(load(p)))
    if errs:
        fail = 1
        print(f"FAIL {p}: the schema flags a valid input: {errs[0].message} at {list(errs[0].path)}")
# refused by huibao for the field's type, value or name: the schema flags them too
bad = ["03-value-not-number", "05-unknown-key-suggest", "06-unknown-indicator-key",
       "19-bad-period", "21-bad-kind", "22-bad-decimals", "23-sections-too-deep",
       "29-negative-target", "86-template-control", "32-yes-is-not-bool", "33-points-not-list",
       "40-missing-value", "41-name-is-number", "43-indicators-map", "44-empty-title",
       "45-unknown-section-key", "18-missing-required"]
for name in bad:
    p = f"tests/data/bad/{name}.yaml"
    if not list(v.iter_errors(load(p))):
        fail = 1
        print(f"FAIL {p}: huibao refuses it, the schema does not")
print(f"schema: {len(good)} valid inputs pass, {len(bad)} refused ones flagged")
sys.exit(fail)
PYEOF
rc=$?
# an editor's "$schema" line does not stop a build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$PY - "$tmp/2026-10.json" <<'PYEOF'
import json, sys, yaml
d = yaml.load(open("samples/2026-10.yaml", encoding="utf-8"), Loader=yaml.BaseLoader)
d = {"$schema": "../docs/input.schema.json", **d}
# BaseLoader reads every scalar as text: give the figures back as numbers
for ind in d.get("indicators", []):
    for k in ("value", "last_year", "last_month", "target", "decimals"):
        if k in ind: ind[k] = float(ind[k]) if "." in ind[k] else int(ind[k])
    if "approx" in ind: ind["approx"] = ind["approx"] == "true"
json.dump(d, open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PYEOF
if ! out=$(cd "$tmp" && "$HUIBAO" check 2026-10.json 2>&1); then
    echo "FAIL: a JSON input with \"\$schema\" is refused: $out"
    rc=1
fi
exit $rc
