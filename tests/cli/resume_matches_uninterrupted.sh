#!/usr/bin/env bash
# A run stopped at step 12 and resumed from its checkpoint to step 26 logs exactly the same step
# losses (and validation losses) as one run straight to step 26 with the same seed. Dropout is on,
# so the random state must be restored too; the resumed part crosses an epoch boundary.
set -euo pipefail
charrnn=$1 fixtures=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
settings=(--hidden 24 --embed 8 --layers 2 --dropout 0.2 --batch 16 --seq-len 16 --optimizer adam --seed 7 --eval-every 5)

"$charrnn" train --data "$fixtures/text.txt" "${settings[@]}" --max-steps 26 --checkpoint-dir straight --log-json \
  > straight.jsonl
"$charrnn" train --data "$fixtures/text.txt" "${settings[@]}" --max-steps 12 --checkpoint-dir split --log-json \
  > first_part.jsonl
"$charrnn" train --data "$fixtures/text.txt" --resume split/checkpoint-step12.safetensors --max-steps 26 \
  --checkpoint-dir split --eval-every 5 --log-json > second_part.jsonl

[ "$(wc -l < straight.jsonl)" -eq 26 ] || { echo "FAIL: expected 26 step lines"; exit 1; }
grep -q '"val_loss"' straight.jsonl || { echo "FAIL: no evaluation logged"; exit 1; }
epochs=$(grep -o '"epoch":[0-9.]*' straight.jsonl | tail -1 | cut -d: -f2)
awk -v e="$epochs" 'BEGIN { exit !(e >= 1) }' || { echo "FAIL: the run should cross an epoch (epoch $epochs)"; exit 1; }
# Steps 1-11 match (step 12 of the first part carries the final, full evaluation instead of none).
diff <(head -11 straight.jsonl) <(head -11 first_part.jsonl)
# Every line of the resumed part (steps 13-26, loss, grad norm, lr, epoch, val_loss) is identical.
diff <(sed -n '13,26p' straight.jsonl) second_part.jsonl
echo "ok: resumed losses equal the uninterrupted run's"
