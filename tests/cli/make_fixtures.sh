#!/usr/bin/env bash
# Writes the files the CLI tests read into DIR: texts (good and bad), a tiny trained model, a
# checkpoint, a float16 model and broken model files.   make_fixtures.sh CHARRNN SOURCE_DIR DIR
set -euo pipefail
charrnn=$1 source_dir=$2 dir=$3
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"

# 30 copies of five proverbs: small enough to train in milliseconds, long enough to validate on.
for _ in $(seq 30); do cat "$source_dir/examples/corpora/sentences.txt"; done > text.txt
printf 'valid\xff\xfeinvalid' > invalid_utf8.txt  # the first bad byte is at offset 5
printf 'abcabc' > short.txt
for _ in $(seq 30); do echo 'Zebras zigzag: a text with letters the proverbs lack.'; done > other_text.txt
: > empty.txt
head -c 4000 /dev/urandom > corrupt.safetensors

# A 2-layer LSTM (the gates tests read its input, forget and output gates; the recipe would pick a GRU).
"$charrnn" train --data text.txt --cell lstm --layers 2 --hidden 16 --embed 8 --batch 4 --seq-len 16 --max-steps 5 \
  --checkpoint-dir checkpoints --save model.safetensors --quiet
cp checkpoints/checkpoint-step5.safetensors checkpoint.safetensors
"$charrnn" train --data text.txt --resume checkpoint.safetensors --max-steps 6 --checkpoint-dir checkpoints \
  --save model_f16.safetensors --f16 --quiet
# Per-layer hidden sizes (16 then 8 units: two layers of the recipe's GRU): a model and a checkpoint.
"$charrnn" train --data text.txt --hidden 16,8 --embed 8 --batch 4 --seq-len 16 --max-steps 3 \
  --checkpoint-dir per_layer_checkpoints --save per_layer.safetensors --quiet
cp per_layer_checkpoints/checkpoint-step3.safetensors per_layer_checkpoint.safetensors
head -c 1500 model.safetensors > truncated.safetensors
echo "fixtures written to $dir"
