// The page's side of the worker: starts it, wraps it with Comlink, and notices when it dies (a
// script error, a trap in the engine). Calls to a dead worker would never answer, so each call
// waiting when it dies is rejected (watchWorker).
import * as Comlink from 'comlink';
import { workerTestOptions } from './test-hooks.js';
import { takeEarlyWorker } from './preloaded.js';
import { watchWorker } from '../build/wasm/worker_calls.js';

/**
 * Starts a trainer worker. onEvent(message) receives its reports; onCrash(message) is called once
 * if it dies. Returns { remote, ready, terminate }: remote.method(...) calls the worker's API.
 */
export function startTrainer({ onEvent, onCrash }) {
  // The first worker of the page was started by preload.js, before this code had loaded.
  const early = takeEarlyWorker();
  const worker = early?.worker ?? new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const api = Comlink.wrap(worker);
  const life = watchWorker();
  const die = (message) => {
    const error = new Error(message);
    error.name = 'EngineCrash';
    if (!life.die(error)) return;
    worker.terminate();
    onCrash(message);
  };
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    die(`The training worker stopped (${event.message || 'its script failed to load'}).`);
  });

  // The worker's reports ({ report }); Comlink's answers carry an id and are Comlink's business.
  worker.addEventListener('message', ({ data }) => {
    if (!data?.report) return;
    if (data.report.type === 'crash') die(data.report.message);
    else onEvent(data.report);
  });

  const remote = new Proxy({}, {
    get: (_, name) => (...args) => life.guard(() => api[name](...args)),
  });
  if (early?.failed) die(`The training worker stopped (${early.failed}).`);
  const ready = remote.init(new URL('./charrnn_training.wasm', import.meta.url).href, workerTestOptions());
  return {
    remote,
    ready,
    terminate: () => {
      life.die(Object.assign(new Error('The training worker was stopped.'), { name: 'EngineCrash' }));
      worker.terminate();
    },
  };
}
