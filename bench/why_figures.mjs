// The "why it works" figures (Karpathy, Johnson, Fei-Fei 2015) with the CLI, as JSON lines on
// stdout (bench/results/why.jsonl):
//   ngram:     the n-gram's validation loss, orders 1..7, on the text's validation split
//   advantage: a network against the 5-gram over the validation split (inspect --vs-ngram, in
//              20,000-character pieces, summed): mean loss of both, and where the advantage falls
//   reach:     the mean gradient size by distance 1..50 for each model given
// node bench/why_figures.mjs CHARRNN TEXT NETWORK_MODEL [REACH_MODEL...]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [charrnn, textFile, network, ...reachModels] = process.argv.slice(2);
if (!network) {
  console.error('usage: node bench/why_figures.mjs CHARRNN TEXT NETWORK_MODEL [REACH_MODEL...]');
  process.exit(2);
}
const valFraction = 0.1;
const run = (args) => execFileSync(charrnn, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
const emit = (o) => console.log(JSON.stringify(o));

for (let order = 1; order <= 7; order++) {
  emit({ figure: 'ngram', text: path.basename(textFile), val_fraction: valFraction,
         ...JSON.parse(run(['ngram', '--data', textFile, '--order', String(order), '--val-fraction', String(valFraction), '--json'])) });
}

// The validation split as the trainer takes it: the last floor(chars * 0.1) code points, in
// pieces that `charrnn inspect` takes (at most 20,000 characters).
const chars = Array.from(readFileSync(textFile, 'utf8'));
const val = chars.slice(chars.length - Math.floor(chars.length * valFraction));
const dir = mkdtempSync(path.join(tmpdir(), 'why-'));
const pieces = [];
for (let start = 0; start < val.length; start += 20000) {
  pieces.push(path.join(dir, `val-${start}.txt`));
  writeFileSync(pieces.at(-1), val.slice(start, start + 20000).join(''));
}
// The model's mean -ln p over the validation split read piece by piece (each from a line break),
// with the 5-gram's beside it and the advantage's split when `ngram`.
function overValidation(model, ngram) {
  let netNats = 0, ngramNats = 0, n = 0, advantage = 0, counted = 0;
  const kinds = new Map();
  for (const file of pieces) {
    const lines = run(['inspect', '--model', model, '--text', file, '--top-k', '1', '--json',
      ...(ngram ? ['--vs-ngram', '5', '--data', textFile, '--val-fraction', String(valFraction)] : [])])
      .trim().split('\n').map((l) => JSON.parse(l));
    const summary = ngram ? lines.pop().advantage : null;
    for (const c of lines.filter((l) => 'char' in l)) {  // not the {"summary"} line
      if (c.p_actual > 0 && (!ngram || c.p_ngram > 0)) {
        netNats -= Math.log(c.p_actual), n++;
        if (ngram) ngramNats -= Math.log(c.p_ngram);
      }
    }
    if (!ngram) continue;
    advantage += summary.nats;
    counted += summary.chars;
    for (const k of summary.by_context) {
      const sum = kinds.get(k.after) ?? { nats: 0, chars: 0 };
      sum.nats += k.advantage_share * summary.nats;
      sum.chars += k.chars;
      kinds.set(k.after, sum);
    }
  }
  if (!ngram) return { chars: n, network_loss: netNats / n };
  return { chars: n, network_loss: netNats / n, ngram_loss: ngramNats / n, advantage_nats: advantage,
    by_context: [...kinds].map(([after, s]) => ({ after, chars: s.chars, advantage_share: s.nats / advantage,
      text_share: s.chars / counted })) };
}

emit({ figure: 'advantage', model: network, order: 5, ...overValidation(network, true) });

const whole = path.join(dir, 'val.txt');
writeFileSync(whole, val.join(''));
for (const model of reachModels) {
  const steps = Number(/^iteration:\s*(\d+)/m.exec(run(['info', '--model', model]))?.[1]);
  emit({ figure: 'reach', model, steps, val_loss: overValidation(model, false).network_loss, max_distance: 50,
    ...JSON.parse(run(['reach', '--model', model, '--text', whole, '--max-distance', '50', '--samples', '200', '--json'])) });
}
