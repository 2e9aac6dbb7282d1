// Samples: the periodic ones while training (text, or whole lines in lines mode) with their
// greedy line, and the one the page asks for, streamed in small pieces.
import { SAMPLING } from '../settings/defaults.js';
import { REPORT } from '../shared/worker-protocol.js';
import { state } from './state.js';
import { emit } from './reports.js';
import { usageError } from './crashes.js';
import { hold, release, nextTask } from './engine-turns.js';

// Characters per streamed message: the first ones show at once, and the stream stays cheap.
const STREAM_CHUNK = 24;

/** CALL.setSampling: the periodic samples' settings (any of temperature, prime, length). */
export function setSampling(settings) {
  state.sampling = { ...state.sampling, ...settings };
}

/**
 * A sampler primed with the priming text. Characters outside the model's vocabulary are left out
 * (the rest still primes) and named in primeError.
 */
function primedSampler(t, settings, prime) {
  const sampler = t.sampler(settings);
  const left = Array.from(sampler.primeKnown(prime));
  if (left.length === 0) return { sampler, prime, primeError: null };
  const kept = Array.from(prime).filter((ch) => !left.includes(ch)).join('');
  const named = left.map((ch) => `“${ch}”`).join(', ');
  return { sampler, prime: kept, primeError: `The priming text's ${named} ${left.length === 1 ? 'is' : 'are'} not ` +
    'in the model\'s vocabulary and ' + (left.length === 1 ? 'was' : 'were') + ' left out.' };
}

function greedyLine(t, prime) {
  const { sampler } = primedSampler(t, { argmax: true }, prime);
  try {
    return sampler.next(SAMPLING.greedyLength);
  } finally {
    sampler.dispose();
  }
}

/** A sample with the page's settings (lines mode: a few lines), reported as REPORT.sample or REPORT.lines. */
export function periodicSample() {
  const s = state.session;
  const t = s.trainer;
  if (t.trainConfig.lines) {
    periodicLines(s);
    return;
  }
  const { sampling } = state;
  const { sampler, prime, primeError } = primedSampler(t, { temperature: sampling.temperature, seed: ++s.sampleSeed },
    sampling.prime);
  let text;
  try {
    text = sampler.next(Math.min(sampling.length, SAMPLING.maxPeriodicLength));
  } finally {
    sampler.dispose();
  }
  emit(REPORT.sample, { iteration: t.iteration, text, prime, primeError, greedy: greedyLine(t, prime),
    temperature: sampling.temperature });
  s.lastSample = performance.now();
}

/** Lines mode: a few whole lines, each marked by the engine as from the text or new, and the greedy line. */
function periodicLines(s) {
  const t = s.trainer;
  const { temperature } = state.sampling;
  const lines = t.sampleLines({ count: SAMPLING.lines, maxChars: SAMPLING.maxLineChars, temperature,
    seed: ++s.sampleSeed });
  const [greedy] = t.sampleLines({ count: 1, maxChars: SAMPLING.maxLineChars, argmax: true });
  emit(REPORT.lines, { iteration: t.iteration, lines, greedy: greedy.text, temperature });
  s.lastSample = performance.now();
}

/** CALL.sample: a sample now, streamed to the page in small pieces (REPORT.streamStart, then REPORT.stream). */
export async function streamSample({ id, temperature, prime, length }) {
  if (!state.session) throw usageError('There is no model to sample from yet: press Train first.');
  hold();
  try {
    const { session } = state;
    const t = session.trainer;
    const seed = ++session.sampleSeed;
    const primed = primedSampler(t, { temperature, seed }, prime);
    const iteration = t.iteration;
    emit(REPORT.streamStart, { id, iteration, temperature, prime: primed.prime, primeError: primed.primeError });
    let text = '';
    try {
      while (text.length < length) {
        const piece = primed.sampler.next(Math.min(STREAM_CHUNK, length - text.length));
        text += piece;
        emit(REPORT.stream, { id, text: piece });
        await nextTask();
      }
    } finally {
      primed.sampler.dispose();
    }
    const greedy = greedyLine(t, primed.prime);
    return { id, iteration, text, greedy, prime: primed.prime, primeError: primed.primeError, temperature };
  } finally {
    release();
  }
}
