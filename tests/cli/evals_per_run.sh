#!/usr/bin/env bash
# Evaluations per run, not every N steps: a run of 300 steps evaluates --evals times (20 by
# default), evenly (every 15 steps, the last being the final evaluation at step 300), so a short
# run shows its validation loss; --eval-every N still evaluates every N steps.
set -euo pipefail
charrnn=$1 fixtures=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"
settings=(--hidden 16 --embed 8 --batch 4 --seq-len 16 --max-steps 300 --threads 1 --log-json)
eval_steps() { grep '"val_loss"' "$1" | sed -E 's/.*"step":([0-9]+).*/\1/' | tr '\n' ' '; }

"$charrnn" train --data "$fixtures/text.txt" "${settings[@]}" --checkpoint-dir default > default.jsonl
expected=$(seq 15 15 300 | tr '\n' ' ')
[ "$(eval_steps default.jsonl)" = "$expected" ] || fail "evaluations at steps $(eval_steps default.jsonl), expected $expected"
! grep '"val_loss"' default.jsonl | grep -q '"val_loss":null' || fail "the text has a validation split: every loss is a number"

"$charrnn" train --data "$fixtures/text.txt" "${settings[@]}" --evals 3 --checkpoint-dir three > three.jsonl
[ "$(eval_steps three.jsonl)" = "100 200 300 " ] || fail "--evals 3: evaluations at steps $(eval_steps three.jsonl)"
"$charrnn" train --data "$fixtures/text.txt" "${settings[@]}" --eval-every 120 --checkpoint-dir every > every.jsonl
[ "$(eval_steps every.jsonl)" = "120 240 300 " ] || fail "--eval-every 120: evaluations at steps $(eval_steps every.jsonl)"
[ -f default/checkpoint-step15.safetensors ] || fail "each evaluation writes a checkpoint"
echo "ok: evaluations at steps $expected"
