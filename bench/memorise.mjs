#!/usr/bin/env node
// Memorise and sample: trains the page's engine (build/wasm/charrnn.js, one thread, under Node)
// in lines mode with the page's settings for it (the engine's recipe, core/training/recipe.h, as the
// presets Names and Sentences to memorise get it) on a list of short lines, and
// after each checkpoint of *training* time (sampling not counted) reports how much of the list the
// model reproduces:
//   - temperature 0.5: of --samples lines sampled from the start context, the share that are
//     exact training lines (the engine marks them), and how many distinct training lines they are;
//   - argmax: one greedy line per training line, primed with that line's first --argmax-prefix
//     characters (pure argmax from the start context is one line); the share that are exact
//     training lines, how many distinct ones, and the share that give back the very line primed.
// Prints one JSON line: {"name":"memorise","engine":"wasm","checkpoints":[...],"config"}.
//
//   node bench/memorise.mjs [--minutes 1,3,5] [--build build/wasm]
//     [--text examples/corpora/names-to-memorise.txt] [--samples 1000] [--argmax-prefix 2]
//     [--cell gru --layers 1 --hidden 256 --embed 32 --dropout 0 --batch 16 --seq-len 16
//      --optimizer adam --lr 3e-3 --lr-decay 0.95 --lr-decay-every 250 --seed 42]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ENGINE_OPTION_DEFAULTS, REPO, engineSettings, loadEngine, numberList, parseOptions, printResult, runMain } from './lib.mjs';

const USAGE = 'usage: node bench/memorise.mjs [--minutes 1,3,5] [--build DIR] [--text FILE] [--samples N] [--argmax-prefix N] [engine settings]';

function options() {
  const { o } = parseOptions(import.meta.url, USAGE, { defaults: {
    minutes: '1,3,5', build: path.join(REPO, 'build', 'wasm'),
    text: path.join(REPO, 'examples', 'corpora', 'names-to-memorise.txt'), samples: '1000', 'argmax-prefix': '2',
    ...ENGINE_OPTION_DEFAULTS,
  } });
  o.checkpoints = numberList(o.minutes).sort((a, b) => a - b);
  return { o };
}

const share = (k, n) => +(k / n).toFixed(4);

// Everything measured at one checkpoint: the engine samples and marks; this only counts.
function measure(trainer, trainingLines, o) {
  const warm = trainer.sampleLines({ count: Number(o.samples), temperature: 0.5, seed: 7 });
  const warmFromText = warm.filter((l) => l.fromText);
  const prefix = Number(o['argmax-prefix']);
  let greedyFromText = 0;
  let greedyExact = 0;
  const greedyDistinct = new Set();
  for (const line of trainingLines) {
    const prime = Array.from(line).slice(0, prefix).join('');
    const [g] = trainer.sampleLines({ count: 1, argmax: true, prime });
    if (g.fromText) {
      greedyFromText++;
      greedyDistinct.add(g.text);
    }
    if (g.text === line) greedyExact++;
  }
  const [pureArgmax] = trainer.sampleLines({ count: 1, argmax: true });
  return {
    t05_from_text: share(warmFromText.length, warm.length),
    t05_distinct_from_text: new Set(warmFromText.map((l) => l.text)).size,
    t05_distinct: new Set(warm.map((l) => l.text)).size,
    t05_samples: warm.length,
    argmax_from_text: share(greedyFromText, trainingLines.length),
    argmax_distinct_from_text: greedyDistinct.size,
    argmax_gives_back_primed_line: share(greedyExact, trainingLines.length),
    argmax_prefix_chars: prefix,
    argmax_from_start: pureArgmax.text,
    argmax_from_start_from_text: pureArgmax.fromText,
  };
}

async function main() {
  const { o } = options();
  const text = readFileSync(o.text, 'utf8');
  const trainingLines = [...new Set(text.split('\n').filter((l) => l.length > 0))];
  const charrnn = await loadEngine(o.build);
  // The page's (and the CLI's) recipe for memorising this list, for the longest checkpoint's budget.
  const recipe = charrnn.recipe([...text].length, { lines: true, minutes: o.checkpoints.at(-1) });
  const { model, train } = engineSettings(o, recipe.model, recipe.train);
  const trainer = charrnn.createTrainer(text, model, train);
  console.error(`memorise: ${trainingLines.length} lines; ${JSON.stringify(trainer.modelConfig)} ` +
    `${JSON.stringify(trainer.trainConfig)}; ${trainer.parameters} parameters`);
  let trainMs = 0;
  let lossSum = 0;
  let lossN = 0;
  const checkpoints = [];
  for (const minutes of o.checkpoints) {
    while (trainMs < minutes * 60000) {
      const t0 = performance.now();
      const s = trainer.train(1);
      trainMs += performance.now() - t0;
      if (Number.isFinite(s.loss)) {
        lossSum += s.loss;
        lossN++;
      }
    }
    const cp = { minutes, iteration: trainer.iteration, epoch: +trainer.epoch.toFixed(2),
      train_loss: +(lossSum / lossN).toFixed(4), ...measure(trainer, trainingLines, o) };
    lossSum = 0;
    lossN = 0;
    checkpoints.push(cp);
    console.error(`memorise: ${JSON.stringify(cp)}`);
  }
  const result = { name: 'memorise', engine: 'wasm', text: path.relative(REPO, path.resolve(o.text)),
    lines: trainingLines.length, checkpoints,
    config: { model: trainer.modelConfig, train: trainer.trainConfig, params: trainer.parameters, node: process.version } };
  trainer.dispose();
  printResult(result);
}

runMain(main);
