#!/usr/bin/env node
// Time to quality: trains the page's engine (build/wasm/charrnn.js, one thread, under Node) with
// the page's recommended settings on tinyshakespeare and reports the validation loss (nats/char,
// on the whole held-out last 10%) after each checkpoint of *training* time: the evaluations are
// not counted on the training clock. Prints one JSON line:
//   {"name":"time-to-quality","engine":"wasm","chars_per_sec","val_loss_3min","val_loss_10min",
//    "checkpoints":[{"minutes","val_loss","train_loss","iteration","epoch","chars"}],"config"}
//
//   node bench/time_to_quality.mjs [--minutes 1,2,3,5,7,10] [--build build/wasm] [--text PATH]
//     [--cell gru --layers 2 --hidden 192 --embed 32 --dropout 0.1 --batch 32 --seq-len 50
//      --optimizer adam --lr 3e-3 --lr-decay 0.95 --lr-decay-every 250 --grad-clip 5 --seed 42]
//     [--threads N]
//   (the defaults are the page's: web/settings/defaults.js, its Threads default included: helper
//   workers as worker_threads, started while the first steps train, as the page's are)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { defaultThreads } from '../web/settings/defaults.js';
import { ENGINE_OPTION_DEFAULTS, REPO, SHAKESPEARE, engineSettings, loadEngine, numberList, parseOptions, printResult,
  runMain } from './lib.mjs';

const USAGE = 'usage: node bench/time_to_quality.mjs [--minutes 1,2,3,5,7,10] [--budget-minutes M] [--build DIR] [--text PATH] [--threads N] [engine settings]';

// The settings are the page's: the engine's recipe for the text (core/training/recipe.h), and with
// --budget-minutes its time budget (the schedule too): what a visitor's tab does when they open the
// page and wait.

function options() {
  const { o } = parseOptions(import.meta.url, USAGE, { defaults: {
    minutes: '1,2,3,5,7,10', 'budget-minutes': undefined, build: path.join(REPO, 'build', 'wasm'), threads: String(defaultThreads(os.cpus().length)),
    text: SHAKESPEARE, ...ENGINE_OPTION_DEFAULTS,
  } });
  o.checkpoints = numberList(o.minutes).sort((a, b) => a - b);
  return { o };
}

async function main() {
  const { o } = options();
  const text = readFileSync(o.text, 'utf8');
  const charrnn = await loadEngine(o.build);
  const threads = Number(o.threads);
  const budget = o['budget-minutes'] === undefined ? 0 : Number(o['budget-minutes']);
  const recipe = charrnn.recipe([...text].length, { minutes: budget });
  const { model, train } = engineSettings(o, recipe.model, recipe.train);
  const trainer = charrnn.createTrainer(text, model, train, { threads });
  if (budget) trainer.trainFor(budget);
  const { batchSize, seqLen } = trainer.trainConfig; // the page's choices over the engine's defaults
  const charsPerStep = batchSize * seqLen;
  console.error(`time-to-quality: ${JSON.stringify(trainer.modelConfig)} ${JSON.stringify(trainer.trainConfig)}; ` +
    `${trainer.parameters} parameters, ${trainer.valChars} validation chars`);

  let trainMs = 0;
  let steps = 0;
  let lossSum = 0;
  let lossN = 0;
  const checkpoints = [];
  for (const minutes of o.checkpoints) {
    const budgetMs = minutes * 60000;
    while (trainMs < budgetMs) {
      const t0 = performance.now();
      const s = threads > 1 ? await trainer.trainInParallel(1) : trainer.train(1);
      trainMs += performance.now() - t0;
      steps++;
      if (Number.isFinite(s.loss)) {
        lossSum += s.loss;
        lossN++;
      }
    }
    const te = performance.now();
    const valLoss = trainer.evaluate();
    const cp = {
      minutes, val_loss: +valLoss.toFixed(4), train_loss: +(lossSum / lossN).toFixed(4), iteration: trainer.iteration,
      epoch: +trainer.epoch.toFixed(3), chars: steps * charsPerStep, train_seconds: +(trainMs / 1000).toFixed(1),
      eval_seconds: +((performance.now() - te) / 1000).toFixed(1),
    };
    lossSum = 0;
    lossN = 0;
    checkpoints.push(cp);
    console.error(`time-to-quality: ${JSON.stringify(cp)}`);
  }
  const at = (m) => checkpoints.find((c) => c.minutes === m)?.val_loss;
  const result = {
    name: 'time-to-quality', engine: 'wasm', threads, helper_threads: trainer.helperThreads,
    chars_per_sec: Math.round((steps * charsPerStep) / (trainMs / 1000)),
    val_loss_3min: at(3) ?? null, val_loss_10min: at(10) ?? null,
    checkpoints,
    config: { model, train: trainer.trainConfig, params: trainer.parameters, val_chars: trainer.valChars, node: process.version },
  };
  trainer.dispose();
  printResult(result);
}

runMain(main);
