// The worker's side of the "Inside the network" card (CALL.inspect, CALL.inspectedNeuron): runs
// the engine's inspection and its neuron ranking on the model being trained (on its best weights
// when validation says they are better than the latest), keeps it, and hands the page what it
// draws as typed arrays that are transferred, not copied: the guesses, and the activations of the
// one neuron on show (the activations of every unit stay here, and the page asks for another
// neuron's when the reader picks one). All the math is the engine's.
import * as Comlink from 'comlink';
import { INSPECT } from '../settings/defaults.js';
import { validationExcerpt, neuronActivations } from '../shared/inspect-data.js';
import { state } from './state.js';

const excerpts = new WeakMap(); // text object (text.js's staged text) -> its default excerpt
let last = null; // { id, trainer, inspection }: the latest inspection, for other neurons of it
let counter = 0;
let bestCopy = null; // { trainer, iteration, model }: the trainer's best weights, loaded to inspect

/**
 * The weights to look at: the best kept ones when the latest validation found the weights since
 * then worse (overfitting, or a bad patch), else the latest. { which, iteration, valLoss, net }
 * (net: the trainer, or a Model of the best weights, kept while they stay the best).
 */
function weightsToInspect(trainer, latestValLoss) {
  const best = trainer.best;
  if (!best || best.iteration === trainer.iteration || !(latestValLoss > best.valLoss)) {
    return { which: 'latest', iteration: trainer.iteration, valLoss: latestValLoss, net: trainer };
  }
  if (bestCopy?.trainer !== trainer || bestCopy.iteration !== best.iteration) {
    bestCopy?.model.dispose();
    bestCopy = { trainer, iteration: best.iteration, model: state.engine.loadModel(trainer.saveBest()) };
  }
  return { which: 'best', iteration: best.iteration, valLoss: best.valLoss, net: bestCopy.model };
}

/**
 * The default text to inspect: the start of the validation part of the text `trainer` trains on,
 * or of the text itself when the model holds none out (all of it trains).
 */
export function defaultExcerpt(trainer, text) {
  let excerpt = excerpts.get(text);
  if (excerpt === undefined) {
    excerpt = validationExcerpt(text.bytes, trainer.valChars, { maxChars: INSPECT.excerptChars,
      minChars: INSPECT.excerptMinChars, scanChars: INSPECT.excerptScanChars });
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
 * Inspects `options.text` (or, when it is empty, the default excerpt) with the trainer's latest
 * weights, or its best (weightsToInspect), and ranks every unit on it. latestValLoss: the
 * validation loss last measured. Returns the inspection without the activations of every unit
 * (see charrnn.d.ts) plus { id, neuron, activations (that neuron's), iteration (the latest),
 * weights: { which: 'latest' | 'best', iteration, valLoss }, vocab, source: 'validation' |
 * 'training' (no text held out) | 'custom', textName, inspectMs, rankMs, rankings }.
 */
export function inspectTrainer(trainer, text, { text: given = '', neuron } = {}, latestValLoss = NaN) {
  const custom = typeof given === 'string' && given.length > 0;
  const input = custom ? given : defaultExcerpt(trainer, text);
  const { net, ...weights } = weightsToInspect(trainer, latestValLoss);
  const t0 = performance.now();
  const r = net.inspect(input, { topK: Math.min(INSPECT.topK, trainer.vocab.length) });
  const t1 = performance.now();
  const rankings = net.rankNeurons(INSPECT.neuronsPerProperty);
  last = { id: ++counter, trainer, inspection: r };
  const shown = fit(r, neuron);
  const activations = neuronActivations(r, shown);
  const result = { id: last.id, chars: r.chars, topK: r.topK, layers: r.layers, hidden: r.hidden, layerHidden: r.layerHidden,
    hasCellState: r.hasCellState, text: input, ids: r.ids, topIds: r.topIds, topProbs: r.topProbs, pActual: r.pActual,
    neuron: shown, activations, iteration: trainer.iteration, weights, vocab: trainer.vocab,
    source: custom ? 'custom' : trainer.valChars > 0 ? 'validation' : 'training', textName: text.name, inspectMs: t1 - t0,
    rankMs: performance.now() - t1, rankings };
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
