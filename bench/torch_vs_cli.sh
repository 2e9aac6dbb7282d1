#!/usr/bin/env bash
# Training throughput of the PyTorch trainer (python/train.py) beside the CLI's, same model, same
# text, engines interleaved round by round; one JSON object per run on stdout.
#
#   bench/torch_vs_cli.sh                    # LSTM 2x128, batch 32, seq 50 on tinyshakespeare, 3 rounds
#   ROUNDS=5 CELL=gru HIDDEN=256 LAYERS=1 bench/torch_vs_cli.sh
#
# Engines: cli (charrnn train, one thread); torch-1t (one process, one thread: train.py's default
# here); torch-2t (one process, two threads); torch-ddp2 (torchrun, two processes of one thread
# each, batch/2 streams each). train.py holds OpenBLAS to PyTorch's thread count. chars_per_sec is
# the trainer's own figure: training steps only, start-up and evaluations excluded; load1 is the
# machine's load average as the run ended (others' work on a shared machine shows there).
# Needs scripts/build.sh native and scripts/setup.sh --python.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${DATA:-../shared/data/tinyshakespeare.txt}
[ -f "$data" ] || data=examples/corpora/tinyshakespeare.txt
rounds=${ROUNDS:-3}
cell=${CELL:-lstm} layers=${LAYERS:-2} hidden=${HIDDEN:-128} batch=${BATCH:-32} seq=${SEQ:-50}
cli_steps=${CLI_STEPS:-1000} torch_steps=${TORCH_STEPS:-100}
model=(--cell "$cell" --layers "$layers" --hidden "$hidden" --batch "$batch" --seq-len "$seq" --eval-every 1000000)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
name="$cell-${layers}x$hidden-b$batch-t$seq"

emit() { printf '{"name":"%s","engine":"%s","round":%d,"chars_per_sec":%.0f,"steps":%d,"load1":%s}\n' "$name" "$1" "$2" "$3" "$4" "$(cut -d" " -f1 /proc/loadavg)"; }
torch_rate() { tail -n 1 | /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["chars_per_sec"])'; }

for round in $(seq 1 "$rounds"); do
  rate=$(build/native/cli/charrnn train --data "$data" "${model[@]}" --threads 1 --max-steps "$cli_steps" \
           --checkpoint-dir "$tmp/ck" 2>&1 | tr '\r' '\n' | sed -n 's/.*(training \([0-9.]*\) chars\/s).*/\1/p')
  emit cli "$round" "$rate" "$cli_steps"
  for threads in 1 2; do
    rate=$(/usr/bin/python3 python/train.py --data "$data" "${model[@]}" --max-steps "$torch_steps" --threads "$threads" \
             --log-json --quiet | torch_rate)
    emit "torch-${threads}t" "$round" "$rate" "$torch_steps"
  done
  rate=$(GLOO_SOCKET_IFNAME=lo /usr/bin/python3 python/torchrun.py --nproc_per_node=2 \
           --master_addr=127.0.0.1 --master_port=$((29500 + RANDOM % 1000)) python/train.py --data "$data" "${model[@]}" \
           --max-steps "$torch_steps" --threads 1 --log-json --quiet 2>/dev/null | torch_rate)
  emit torch-ddp2 "$round" "$rate" "$torch_steps"
done
