// The Threads control: how many workers train the model (each batch is split into that many
// shards; the training worker runs one, helper workers the others). Applies at once.
import { defaultThreads, THREADS } from './default-settings.js';
import { formatNumber } from './format.js';
import { testData } from './test-hooks.js';

const input = () => document.getElementById('threads');
const note = () => document.getElementById('threads-note');
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
    const n = Number(box.value);
    if (!Number.isSafeInteger(n) || n < 1 || n > THREADS.max) {
      box.value = inUse;
      note().textContent = `Threads must be a whole number from 1 to ${THREADS.max}. ${describe(null)}`;
      return;
    }
    if (await onChange(n)) inUse = String(n);
    else box.value = inUse;
  });
  note().textContent = describe(null);
}

function describe(info) {
  const base = `This device has ${formatNumber(cores())} core${cores() === 1 ? '' : 's'}.`;
  if (!info || !info.batchSize) return base;
  if (info.running < info.threads) return `${base} ${formatNumber(info.running)} of ${formatNumber(info.threads)} running.`;
  if (info.requested > info.threads) {
    return `${base} ${formatNumber(info.threads)} in use: at most one per text stream (batch size ${formatNumber(info.batchSize)}).`;
  }
  return `${base} ${formatNumber(info.threads)} in use.`;
}

/** Shows what the worker reports: { requested, threads, running, batchSize }. */
export function showThreads(info) {
  note().textContent = describe(info);
  testData(input(), { threads: info?.threads, running: info?.running });
}
