// The Threads control: how many workers train the model (each batch is split into that many
// shards; the training worker runs one, helper workers the others). Applies at once.
import { defaultThreads } from './default-settings.js';
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

/** Wires the control; onChange(n) when the reader commits a whole number (a bad one is put back). */
export function initThreadsControl({ onChange }) {
  const box = input();
  box.value = String(defaultThreads(cores()));
  box.max = String(Math.max(cores(), 2) * 2);
  let last = box.value;
  box.addEventListener('change', () => {
    const n = Number(box.value);
    if (!Number.isSafeInteger(n) || n < 1 || n > Number(box.max)) {
      box.value = last;
      note().textContent = `Threads must be a whole number from 1 to ${box.max}. ${describe(null)}`;
      return;
    }
    last = box.value;
    onChange(n);
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
