// Picks a neuron worth showing in the inspect example (index.html): runs a text through a model
// with the engine's inspection and ranks every unit by how well it tracks simple properties of the
// text (the engine's rankNeurons), then prints the best units per property.
//   node examples/embed/pick-neuron.mjs [model.safetensors] [corpus.txt] [characters]
// Defaults: the Shakespeare model, the start of its validation text (the last 10% of
// tinyshakespeare.txt, which it never trained on), about 700 characters. Needs build/wasm
// (scripts/build.sh wasm).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from '../../build/wasm/charrnn.js';
import { validationExcerpt } from '../../web/shared/inspect-data.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const [modelFile = path.join(root, 'examples/models/shakespeare.safetensors'),
  corpusFile = path.join(root, 'examples/corpora/tinyshakespeare.txt'), chars = '700'] = process.argv.slice(2);

const engine = await load();
const model = engine.loadModel(fs.readFileSync(modelFile));
const corpus = new Uint8Array(fs.readFileSync(corpusFile));
const { valChars } = engine.describeText(corpus, 0.1); // the split the CLI trained with
const text = validationExcerpt(corpus, valChars, { maxChars: Number(chars), minChars: Math.round(Number(chars) / 2) });
const inspection = model.inspect(text, { topK: 5 });
const mean = inspection.pActual.reduce((s, p) => (p > 0 ? s - Math.log(p) : s), 0) / inspection.chars;
console.log(`${path.basename(modelFile)}: ${model.config.cell} ${model.config.layers}x${model.config.hiddenSize}; ` +
  `${inspection.chars} characters, mean surprise ${mean.toFixed(3)} nats/char`);
for (const ranking of model.rankNeurons(5)) {
  const best = ranking.best.map((s) => `${s.layer + 1}:${s.unit + 1}${s.cellState ? ' c' : ' h'} r=${s.r.toFixed(3)}`);
  console.log(`${ranking.property.padEnd(16)} ${ranking.varies ? best.join(' | ') : '(does not vary)'}`);
}
console.log('\nThe text (for the text attribute):\n' + JSON.stringify(text));
