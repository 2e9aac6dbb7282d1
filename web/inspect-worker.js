// The worker's side of the "Inside the network" card: runs the engine's inspection (and, when
// asked, its neuron ranking) on the model being trained, and hands the result to the page as
// typed arrays that are transferred, not copied. All the math is the engine's.
import * as Comlink from 'comlink';
import { INSPECT } from './default-settings.js';
import { validationExcerpt } from './inspect-excerpt.js';

const excerpts = new WeakMap(); // text object (worker.js's staged text) -> its default excerpt

/** The default text to inspect: the start of the validation part of the text `trainer` trains on. */
export function defaultExcerpt(trainer, text) {
  let excerpt = excerpts.get(text);
  if (excerpt === undefined) {
    excerpt = validationExcerpt(text.bytes, trainer.valChars, { maxChars: INSPECT.excerptChars,
      minChars: INSPECT.excerptMinChars });
    excerpts.set(text, excerpt);
  }
  return excerpt;
}

/**
 * Inspects `options.text` (or, when it is empty, the default excerpt) with the trainer's current
 * weights; with options.rank also ranks every unit on it. Returns the inspection (see charrnn.d.ts)
 * plus { iteration, vocab, source: 'validation' | 'custom', inspectMs, rankMs, rankings }.
 */
export function inspectTrainer(trainer, text, { text: given = '', rank = false } = {}) {
  const custom = typeof given === 'string' && given.length > 0;
  const input = custom ? given : defaultExcerpt(trainer, text);
  const t0 = performance.now();
  const r = trainer.inspect(input, { topK: Math.min(INSPECT.topK, trainer.vocab.length) });
  const t1 = performance.now();
  const rankings = rank ? trainer.rankNeurons(INSPECT.neuronsPerProperty) : null;
  const result = { ...r, text: input, iteration: trainer.iteration, vocab: trainer.vocab,
    source: custom ? 'custom' : 'validation', textName: text.name, inspectMs: t1 - t0,
    rankMs: rank ? performance.now() - t1 : 0, rankings };
  return Comlink.transfer(result, [r.ids.buffer, r.topIds.buffer, r.topProbs.buffer, r.pActual.buffer, r.h.buffer,
    r.c.buffer]);
}
