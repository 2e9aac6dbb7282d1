// The C++ core's side of the Python tests: runs the WASM engine (build/wasm) under Node on one
// request and prints the answer as JSON on stdout.
//
//   node core_engine.mjs '{"model": "m.safetensors", "probs": "text"}'
//     -> {"vocab": [...], "rows": [[p, ...], ...]}: row i is the sampler's next-character
//        distribution (temperature 1) after the line-break start context and text[:i], i = 0..n
//   node core_engine.mjs '{"model": "m.safetensors", "sample": {"prime": "A", "length": 100, "seed": 3, "temperature": 0.8}}'
//     -> {"text": "..."}
//   node core_engine.mjs '{"train": {"text": "t.txt", "model": {...}, "train": {...}, "steps": 10, "init": "i.safetensors"}}'
//     -> {"losses": [...], "gradNorms": [...], "valLoss": v}: a WASM training session (model and
//        train: the JS API's settings) whose initial weights are written to `init` before step 1
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { load } = await import(path.join(root, 'build/wasm/charrnn.js'));

function train(engine, r) {
  const trainer = engine.createTrainer(fs.readFileSync(r.text), r.model, r.train);
  try {
    fs.writeFileSync(r.init, trainer.save());
    const losses = [], gradNorms = [];
    for (let i = 0; i < r.steps; i++) {
      const stats = trainer.train(1);
      losses.push(stats.loss);
      gradNorms.push(stats.gradNorm);
    }
    return { losses, gradNorms, valLoss: trainer.evaluate() };
  } finally {
    trainer.dispose();
  }
}

function probabilities(model, text) {
  const chars = Array.from(text);
  const sampler = model.sampler({});
  try {
    const rows = [];
    for (let i = 0; i <= chars.length; i++) {
      sampler.prime(chars.slice(0, i).join(''));
      rows.push(Array.from(sampler.probabilities()));
    }
    return { vocab: model.vocab, rows };
  } finally {
    sampler.dispose();
  }
}

const request = JSON.parse(process.argv[2]);
const engine = await load({ module: request.train ? 'training' : 'sampling' });
let answer;
if (request.train) {
  answer = train(engine, request.train);
} else {
  const model = engine.loadModel(fs.readFileSync(request.model));
  answer = request.probs !== undefined ? probabilities(model, request.probs) : { text: model.sample(request.sample) };
  model.dispose();
}
process.stdout.write(JSON.stringify(answer));
