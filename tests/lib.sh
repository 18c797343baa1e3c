# tests/lib.sh - the preamble the end-to-end scripts share; sourced (". tests/lib.sh"), not run.
#
# It gives a script: HUIBAO and HU_SOURCE_DIR checked (ctest sets both, see CMakeLists.txt);
# $work, a new folder removed when the script exits; the counters pass and fail, with
# `ok` and `bad WHAT` to count a check (bad prints "FAIL: WHAT"); and `finish NAME`, the last
# line of a script, which prints "NAME: P passed, F failed" and gives the script's status (0
# only when nothing failed). A script that needs more at exit (chmod before removing, a second
# folder) sets its own trap after sourcing this file.
: "${HUIBAO:?HUIBAO: the huibao binary to test}" "${HU_SOURCE_DIR:?HU_SOURCE_DIR: the source tree}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() {
    echo "FAIL: $*"
    fail=$((fail + 1))
}
finish() {
    echo "$1: $pass passed, $fail failed"
    [ "$fail" = 0 ]
}
