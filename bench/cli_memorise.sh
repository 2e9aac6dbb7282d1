#!/usr/bin/env bash
# Memorising a list with the CLI's own defaults: `charrnn train --lines --max-minutes M` and no
# other setting (the recipe's memorising settings, core/training/recipe.h), then --samples lines
# sampled at temperature 0.5 from the saved model: the share that are lines of the list and how
# many distinct lines of the list they are. The issue's target (issue 25), at 3 minutes: >= 95%
# and >= 300 distinct of 500. One JSON line on stdout, appended to bench/results/cli_memorise.jsonl.
#
#   bench/cli_memorise.sh [MINUTES [TEXT [SAMPLES]]]   # 3, examples/corpora/names-to-memorise.txt, 500
#
# Wall-clock minutes (the budget counts evaluations and checkpoints too), on every core
# (--threads default); load1 is the machine's load average as training ended (others' work on a
# shared machine shows there). Needs scripts/build.sh native.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-3} text=${2:-examples/corpora/names-to-memorise.txt} samples=${3:-500}
charrnn=${CHARRNN:-build/native/cli/charrnn}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$charrnn" train --data "$text" --lines --max-minutes "$minutes" --checkpoint-dir "$tmp/ck" --save "$tmp/names.safetensors" \
  --log-json > "$tmp/log.jsonl" 2> "$tmp/train.txt"
load1=$(cut -d" " -f1 /proc/loadavg)
last=$(tail -1 "$tmp/log.jsonl")
field() { sed -E "s/.*\"$1\":([^,}]*).*/\1/" <<<"$last"; }
"$charrnn" sample --model "$tmp/names.safetensors" --lines "$samples" --temperature 0.5 --seed 7 --mark --data "$text" \
  > "$tmp/samples.txt" 2>/dev/null
from_text=$(grep -c "^text	" "$tmp/samples.txt" || true)
distinct=$(grep "^text	" "$tmp/samples.txt" | cut -f2 | sort -u | wc -l)
lines=$(grep -c . "$text")
recipe=$(head -1 "$tmp/train.txt")
printf '{"name":"cli_memorise","text":"%s","lines":%d,"minutes":%s,"steps":%s,"epoch":%.2f,"loss_last_step":%.4f,"t05_samples":%d,"t05_from_text":%.4f,"t05_distinct_from_text":%d,"load1":%s,"recipe":"%s","date":"%s"}\n' \
  "$text" "$lines" "$minutes" "$(field step)" "$(field epoch)" "$(field loss)" "$samples" \
  "$(awk -v a="$from_text" -v n="$samples" 'BEGIN { print a / n }')" "$distinct" "$load1" "${recipe//\"/\\\"}" \
  "$(date -u +%Y-%m-%d)" | tee -a bench/results/cli_memorise.jsonl
