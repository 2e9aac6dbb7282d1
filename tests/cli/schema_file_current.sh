#!/usr/bin/env bash
# python/train.py reads a copy of the engine's settings table (python/settings.json), so that it
# needs only PyTorch: the copy must be what `charrnn schema` prints now.
#   schema_file_current.sh CHARRNN REPO
set -u
charrnn=$1 repo=$2
schema=$("$charrnn" schema) || { echo "FAIL: charrnn schema exited $?" >&2; exit 1; }
if ! diff <(echo "$schema") "$repo/python/settings.json"; then
  echo "FAIL: python/settings.json is not what 'charrnn schema' prints (lines above: < now, > the file)." >&2
  echo "Run: build/native/cli/charrnn schema > python/settings.json" >&2
  exit 1
fi
echo "ok: python/settings.json is current"
