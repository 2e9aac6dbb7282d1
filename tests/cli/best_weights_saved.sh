#!/usr/bin/env bash
# `charrnn train --save` writes the weights with the lowest validation loss, not the last step's:
# on a text of random letters the model learns its training part by heart and its validation loss
# rises after the first evaluations. The saved file records the step and loss of the best
# evaluation in the --log-json log; --save-latest holds the last step; the summary says it overfitted.
set -euo pipefail
charrnn=$1 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"
# 4,000 letters of eight, from a fixed linear congruential generator (the same text everywhere).
awk 'BEGIN { x = 1; for (i = 0; i < 4000; i++) { x = (x * 75 + 74) % 65537; printf "%s", substr("abcdefgh", x % 8 + 1, 1)
             if (i % 40 == 39) printf "\n" } }' > random.txt

"$charrnn" train --data random.txt --hidden 64 --dropout 0 --max-steps 100 --evals 10 --threads 1 --log-json \
  --checkpoint-dir ck --save best.safetensors --save-latest last.safetensors > log.jsonl 2> summary.txt
cat summary.txt
# step and val_loss of every evaluation, then the lowest.
grep '"val_loss"' log.jsonl | sed -E 's/.*"step":([0-9]+).*"val_loss":([0-9.]+).*/\1 \2/' > evals.txt
[ "$(wc -l < evals.txt)" -eq 10 ] || fail "expected 10 evaluations: $(cat evals.txt)"
read -r best_step best_val < <(sort -k2,2g evals.txt | head -1)
read -r last_step last_val < <(tail -1 evals.txt)
[ "$best_step" -lt "$last_step" ] || fail "the run should overfit (best at step $best_step, last $last_step): $(cat evals.txt)"

info=$("$charrnn" info --model best.safetensors)
grep -q "iteration: *$best_step\$" <<<"$info" || fail "--save should hold step $best_step: $info"
grep -q "val. loss: *$(printf %.4f "$best_val") nats/char" <<<"$info" || fail "--save should record loss $best_val: $info"
grep -q "iteration: *$last_step\$" <<<"$("$charrnn" info --model last.safetensors)" || fail "--save-latest should hold step $last_step"
grep -q "Model: best.safetensors (the best weights: step $best_step, validation loss $(printf %.4f "$best_val")" summary.txt ||
  fail "the summary should name the best weights"
grep -q "Overfitting: validation loss rose from $(printf %.4f "$best_val") at step $best_step" summary.txt ||
  fail "the summary should say the model overfitted"
# The checkpoint stays the last step's state, to resume from.
grep -q "step: *$last_step " <<<"$("$charrnn" info --model "ck/checkpoint-step$last_step.safetensors")" ||
  fail "the final checkpoint should be the last step"
echo "ok: --save holds step $best_step (loss $best_val), the last step $last_step is at $last_val"
