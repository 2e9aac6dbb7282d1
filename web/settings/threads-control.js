// The Threads control: how many workers train the model (each batch is split into that many
// shards; the training worker runs one, helper workers the others). Applies at once. A number it
// cannot take gets its own message (with the range), which the worker's later reports do not
// overwrite; more threads than cores are allowed, with a hint that they will not be faster.
import { defaultThreads, THREADS } from './defaults.js';
import { formatNumber } from '../shared/format.js';
import { testData } from '../page/test-hooks.js';

const input = () => document.getElementById('threads');
const note = () => document.getElementById('threads-note');
const error = () => document.getElementById('threads-error');
const cores = () => navigator.hardwareConcurrency || 1;

/** The number the control shows (the default until the reader changes it). */
export function requestedThreads() {
  const n = Number(input().value);
  return Number.isSafeInteger(n) && n >= 1 ? n : defaultThreads(cores());
}

/**
 * Wires the control. onChange(n) when the reader commits a whole number; it resolves true when the
 * worker took it. A bad or refused number is put back.
 */
export function initThreadsControl({ onChange }) {
  const box = input();
  box.value = String(defaultThreads(cores()));
  box.max = String(THREADS.max);
  let inUse = box.value;
  box.addEventListener('change', async () => {
    // A number box holding something that is not a number ("abc") has the value "".
    const typed = box.validity.badInput ? null : box.value.trim();
    const n = Number(typed);
    if (!typed || !Number.isSafeInteger(n) || n < 1 || n > THREADS.max) {
      box.value = inUse;
      showError(`${typed ? `“${typed}” is not` : 'That is not'} a number of threads this page can use: type a ` +
        `whole number from 1 to ${formatNumber(THREADS.max)}. Training goes on with ${inUse}.`);
      return;
    }
    showError('');
    if (await onChange(n)) inUse = String(n);
    else box.value = inUse;
  });
  note().textContent = describe(null);
}

/** The message under the control for a number it did not take ('' removes it), brought into view. */
function showError(text) {
  const el = error();
  el.textContent = text;
  el.hidden = !text;
  if (text) el.scrollIntoView({ block: 'nearest' });
}

function describe(info) {
  let base = `This device has ${formatNumber(cores())} core${cores() === 1 ? '' : 's'}.`;
  // Allowed (the reader may know better), but each thread wants a core of its own.
  if (info?.requested > cores()) base += ' More threads than cores will not train faster.';
  if (!info || !info.batchSize) return base;
  if (info.running < info.threads && info.starting) {
    return `${base} ${formatNumber(info.threads)} in use once training runs (the other ` +
      `${info.threads === 2 ? 'one starts' : `${formatNumber(info.threads - 1)} start`} with it).`;
  }
  if (info.running < info.threads) return `${base} ${formatNumber(info.running)} of ${formatNumber(info.threads)} running.`;
  if (info.requested > info.threads) {
    return `${base} ${formatNumber(info.threads)} in use: at most one per text stream (batch size ${formatNumber(info.batchSize)}).`;
  }
  return `${base} ${formatNumber(info.threads)} in use.`;
}

/** Shows what the worker reports: { requested, threads, running, starting, batchSize }. */
export function showThreads(info) {
  note().textContent = describe(info);
  testData(input(), { threads: info?.threads, running: info?.running });
}
