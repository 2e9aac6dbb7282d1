#!/usr/bin/env bash
# `charrnn train --lines` memorises a short list; `charrnn sample --lines N` prints N whole lines
# and `--mark` tags each as a line of the text ("text") or not ("new"); the model file remembers
# the mode (`info`); a cap cuts lines ("cut").
set -euo pipefail
charrnn=$1 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"
printf 'Anna\nBoris\nCarla\nDmitri\nElena\nFiona\nGustav\nHelga\nIgor\nJana\n' > names.txt

"$charrnn" train --data names.txt --lines --val-fraction 0 --cell lstm --layers 1 --hidden 48 --embed 8 \
  --batch 10 --seq-len 8 --optimizer adam --lr 0.02 --max-steps 600 --max-epochs 1000 --threads 1 --quiet \
  --checkpoint-dir ckpt --save names.safetensors
"$charrnn" info --model names.safetensors | grep -q "trained on: *lines, each an example" || fail "info should say the model trained on lines"

out=$("$charrnn" sample --model names.safetensors --lines 20 --temperature 0.5 --seed 3 --mark --data names.txt 2>summary.txt)
[ "$(printf '%s\n' "$out" | wc -l)" -eq 20 ] || fail "expected 20 lines, got: $out"
from_text=$(printf '%s\n' "$out" | grep -c "^text	" || true)
[ "$from_text" -ge 18 ] || fail "expected nearly every line from the text, got $from_text of 20: $out"
printf '%s\n' "$out" | grep -v "^new	" | cut -f2 | while read -r name; do
  grep -qx "$name" names.txt || fail "'$name' is tagged text but is not a line of names.txt"
done
grep -q "^$from_text of 20 lines from the text" summary.txt || fail "summary: $(cat summary.txt)"

plain=$("$charrnn" sample --model names.safetensors --lines 3 --argmax)
[ "$(printf '%s\n' "$plain" | sort -u | wc -l)" -eq 1 ] || fail "argmax lines from the start context are all the same line"
grep -qx "$(printf '%s\n' "$plain" | head -1)" names.txt || fail "the argmax line should be a training line"
primed=$("$charrnn" sample --model names.safetensors --lines 1 --argmax --prime Fi)
[ "$primed" = Fiona ] || fail "primed with Fi, argmax should complete Fiona, got '$primed'"

cut=$("$charrnn" sample --model names.safetensors --lines 5 --max-line 2 --prime Dm --mark --data names.txt 2>/dev/null)
[ "$(printf '%s\n' "$cut" | grep -c "^cut	")" -eq 5 ] || fail "a 2-character cap cuts Dmitri: $cut"
echo "ok: lines trained, sampled and marked"
