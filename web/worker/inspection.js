// The worker's side of the "Inside the network" card (CALL.inspect, CALL.inspectedNeuron): runs
// the engine's inspection (and, when asked, its neuron ranking) on the model being trained, keeps
// it, and hands the page what it draws as typed arrays that are transferred, not copied: the
// guesses, and the activations of the one neuron on show (the activations of every unit stay here,
// and the page asks for another neuron's when the reader picks one). All the math is the engine's.
import * as Comlink from 'comlink';
import { INSPECT } from '../settings/defaults.js';
import { validationExcerpt, neuronActivations } from '../shared/inspect-data.js';

const excerpts = new WeakMap(); // text object (text.js's staged text) -> its default excerpt
let last = null; // { id, trainer, inspection }: the latest inspection, for other neurons of it
let counter = 0;

/**
 * The default text to inspect: the start of the validation part of the text `trainer` trains on,
 * or of the text itself when the model holds none out (all of it trains).
 */
export function defaultExcerpt(trainer, text) {
  let excerpt = excerpts.get(text);
  if (excerpt === undefined) {
    excerpt = validationExcerpt(text.bytes, trainer.valChars, { maxChars: INSPECT.excerptChars,
      minChars: INSPECT.excerptMinChars });
    excerpts.set(text, excerpt);
  }
  return excerpt;
}

/** The neuron asked for, made to fit the model (layer and unit clamped; tanh c only with a cell state). */
function fit(inspection, { layer = 0, unit = 0, cellState = false } = {}) {
  const l = Math.max(0, Math.min(inspection.layers - 1, layer));
  return { layer: l, unit: Math.max(0, Math.min(inspection.layerHidden[l] - 1, unit)),
    cellState: !!cellState && inspection.hasCellState };
}

/**
 * Inspects `options.text` (or, when it is empty, the default excerpt) with the trainer's current
 * weights; with options.rank also ranks every unit on it. Returns the inspection without the
 * activations of every unit (see charrnn.d.ts) plus { id, neuron, activations (that neuron's),
 * iteration, vocab, source: 'validation' | 'training' (no text held out) | 'custom', textName, inspectMs, rankMs, rankings }.
 */
export function inspectTrainer(trainer, text, { text: given = '', rank = false, neuron } = {}) {
  const custom = typeof given === 'string' && given.length > 0;
  const input = custom ? given : defaultExcerpt(trainer, text);
  const t0 = performance.now();
  const r = trainer.inspect(input, { topK: Math.min(INSPECT.topK, trainer.vocab.length) });
  const t1 = performance.now();
  const rankings = rank ? trainer.rankNeurons(INSPECT.neuronsPerProperty) : null;
  last = { id: ++counter, trainer, inspection: r };
  const shown = fit(r, neuron);
  const activations = neuronActivations(r, shown);
  const result = { id: last.id, chars: r.chars, topK: r.topK, layers: r.layers, hidden: r.hidden, layerHidden: r.layerHidden,
    hasCellState: r.hasCellState, text: input, ids: r.ids, topIds: r.topIds, topProbs: r.topProbs, pActual: r.pActual,
    neuron: shown, activations, iteration: trainer.iteration, vocab: trainer.vocab,
    source: custom ? 'custom' : trainer.valChars > 0 ? 'validation' : 'training', textName: text.name, inspectMs: t1 - t0,
    rankMs: rank ? performance.now() - t1 : 0, rankings };
  return Comlink.transfer(result, [r.ids.buffer, r.topIds.buffer, r.topProbs.buffer, r.pActual.buffer,
    activations.buffer]);
}

/**
 * Another neuron of inspection `id` (the latest one of this trainer): { id, neuron, activations };
 * null if a newer inspection or another model has replaced it.
 */
export function inspectedNeuron(trainer, { id, ...neuron }) {
  if (!last || last.id !== id || last.trainer !== trainer) return null;
  const shown = fit(last.inspection, neuron);
  const activations = neuronActivations(last.inspection, shown);
  return Comlink.transfer({ id, neuron: shown, activations }, [activations.buffer]);
}
