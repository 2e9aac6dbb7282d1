#!/usr/bin/env bash
# Runs a command and checks its exit status and its output (stdout and stderr together).
#   expect.sh STATUS REGEX -- COMMAND...
# STATUS: a number, or "fail" for any non-zero status. REGEX: an extended regular expression
# (grep -E) that the output must match, its lines joined by spaces (so .* can span lines).
set -u
expected_status=$1 pattern=$2
shift 2
[ "$1" = "--" ] && shift
output=$("$@" 2>&1)
status=$?
echo "$output"
if [ "$expected_status" = fail ]; then
  [ "$status" -ne 0 ] || { echo "FAIL: expected a non-zero exit status, got 0" >&2; exit 1; }
else
  [ "$status" -eq "$expected_status" ] || { echo "FAIL: expected exit status $expected_status, got $status" >&2; exit 1; }
fi
tr '\n' ' ' <<<"$output" | grep -Eq -- "$pattern" || { echo "FAIL: output does not match /$pattern/" >&2; exit 1; }
echo "ok: status $status, output matches /$pattern/"
