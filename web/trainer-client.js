// The page's side of the worker: starts it, wraps it with Comlink, and notices when it dies (a
// script error, a trap in the engine). Calls to a dead worker would never answer, so every call
// races against its death.
import * as Comlink from 'comlink';
import { workerTestOptions } from './test-hooks.js';
import { takeEarlyWorker } from './preloaded.js';

/**
 * Starts a trainer worker. onEvent(message) receives its reports; onCrash(message) is called once
 * if it dies. Returns { remote, ready, terminate }: remote.method(...) calls the worker's API.
 */
export function startTrainer({ onEvent, onCrash }) {
  // The first worker of the page was started by preload.js, before this code had loaded.
  const early = takeEarlyWorker();
  const worker = early?.worker ?? new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const api = Comlink.wrap(worker);
  let dead = false;
  let markDead;
  const death = new Promise((_, reject) => {
    markDead = (message) => {
      const error = new Error(message);
      error.name = 'EngineCrash';
      reject(error);
    };
  });
  death.catch(() => {}); // each call reports it; this one is only for the race

  const die = (message) => {
    if (dead) return;
    dead = true;
    worker.terminate();
    markDead(message);
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
    get: (_, name) => (...args) => (dead ? death : Promise.race([api[name](...args), death])),
  });
  if (early?.failed) die(`The training worker stopped (${early.failed}).`);
  const ready = remote.init(new URL('./charrnn_training.wasm', import.meta.url).href, workerTestOptions());
  return {
    remote,
    ready,
    terminate: () => {
      dead = true;
      worker.terminate();
    },
  };
}
