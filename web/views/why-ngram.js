// "Better or worse than the n-gram model": per character, ln p_net - ln p_ngram, the network's
// log-probability of the character that came less the n-gram's (core/inspection/ngram.h), as a
// colouring of the inspected text (inspect-render.js: setColouring), and the sentence of figures
// beside it: both models' validation loss, and where the advantage falls (advantage()).
import { formatNumber, formatLoss } from '../shared/format.js';

// Advantages of this many nats (or more) take the scale's ends: e^2 is 7 times the probability.
const FULL_SCALE_NATS = 2;

/** Per character, (ln p_net - ln p_ngram) / FULL_SCALE_NATS (NaN where either gave none). */
export function advantageValues(pNet, pNgram) {
  const values = new Float32Array(pNet.length);
  for (let i = 0; i < values.length; i++) {
    const d = Math.log(pNet[i]) - Math.log(pNgram[i]);
    values[i] = Number.isFinite(d) ? d / FULL_SCALE_NATS : NaN;
  }
  return values;
}

/** The colouring for InspectRender.setColouring. */
export function ngramColouring(order, pNet, pNgram) {
  const values = advantageValues(pNet, pNgram);
  const describe = (i) => {
    const d = values[i] * FULL_SCALE_NATS;
    if (!Number.isFinite(d)) return 'The n-gram model gave it no probability to compare.';
    const p = (x) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
    return `The ${order}-gram model gave it ${p(pNgram[i])}: the network was ${d >= 0 ? 'better' : 'worse'} by ` +
      `${Math.abs(d).toFixed(2)} nats.`;
  };
  return { name: `ln p(network) − ln p(${order}-gram)`, low: `${order}-gram better`, high: 'network better', values,
    describe };
}

/** Mean -ln p over the characters both models gave a probability. */
function meanSurprise(p, other) {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] > 0 && other[i] > 0) {
      sum += -Math.log(p[i]);
      n++;
    }
  }
  return n ? sum / n : NaN;
}

/**
 * The figures as sentences: [losses, shares]. r: whyNgram's answer (with the network's latest
 * validation loss); pNet: the inspection's pActual; bits: the page's unit.
 */
export function ngramSentences(r, { pNet, bits }) {
  const loss = (x) => formatLoss(x, { bits, digits: 3 });
  const validation = Number.isFinite(r.valLoss)
    ? `Validation loss: the ${r.order}-gram model ${loss(r.valLoss)}, the network ${loss(r.netValLoss)}.`
    : `The model holds no text out: no validation loss to compare.`;
  const here = `On this text: the network ${loss(meanSurprise(pNet, r.pNgram))}, the ${r.order}-gram ` +
    `${loss(meanSurprise(r.pNgram, pNet))}.`;
  const pct = (x) => `${Math.round(100 * x) || 0}%`; // no "-0%"
  const shares = r.advantage.byContext.filter((k) => k.chars > 0).map((k) =>
    `after a ${k.after}, ${pct(k.advantageShare)} of the advantage on ${pct(k.textShare)} of the characters`);
  const where = r.advantage.nats > 0 && shares.length
    ? `The network's advantage (${formatNumber(Math.round(r.advantage.nats))} nats in all): ${shares.join('; ')}.`
    : r.advantage.nats > 0 ? '' : `The ${r.order}-gram model does better on this text overall.`;
  return [`${validation} ${here}`, where];
}
