#!/usr/bin/env bash
# Ctrl-C (SIGINT) during training: the step finishes, a checkpoint is written, the exit status is
# 130 and the message says where; resuming from it continues exactly like an uninterrupted run.
set -euo pipefail
charrnn=$1 fixtures=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
settings=(--hidden 64 --embed 16 --batch 8 --seq-len 32 --seed 3)

"$charrnn" train --data "$fixtures/text.txt" "${settings[@]}" --max-steps 1000000 --eval-every 1000000 \
  --checkpoint-dir ck --log-json > interrupted.jsonl 2> interrupted.err &
pid=$!
for _ in $(seq 200); do [ -s interrupted.jsonl ] && break; sleep 0.05; done
kill -INT "$pid"
status=0
wait "$pid" || status=$?
cat interrupted.err
[ "$status" -eq 130 ] || { echo "FAIL: exit status $status, expected 130"; exit 1; }
last_step=$(tail -1 interrupted.jsonl | grep -o '"step":[0-9]*' | cut -d: -f2)
checkpoint=ck/checkpoint-step$last_step.safetensors
grep -q "Interrupted at step $last_step: checkpoint saved to $checkpoint" interrupted.err ||
  { echo "FAIL: the message does not name $checkpoint"; exit 1; }
[ -f "$checkpoint" ] || { echo "FAIL: $checkpoint missing"; exit 1; }

end=$((last_step + 3))
"$charrnn" train --data "$fixtures/text.txt" --resume "$checkpoint" --max-steps $end --eval-every 1000000 \
  --checkpoint-dir ck --log-json > resumed.jsonl
"$charrnn" train --data "$fixtures/text.txt" "${settings[@]}" --max-steps $end --eval-every 1000000 \
  --checkpoint-dir straight --log-json > straight.jsonl
# Compare the training fields of the resumed steps (the last line also has the final val_loss).
fields() { sed -E 's/,"val_loss":[^,}]*//' "$1"; }
diff <(fields straight.jsonl | tail -3) <(fields resumed.jsonl)
echo "ok: interrupted at step $last_step, resumed exactly"
