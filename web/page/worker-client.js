// The page's side of the worker: starts it, wraps it with Comlink, and notices when it dies (a
// script error, a trap in the engine). Calls to a dead worker would never answer, so each call
// waiting when it dies is rejected (watchWorker).
import * as Comlink from 'comlink';
import { workerTestOptions } from './test-hooks.js';
import { takeEarlyWorker } from './early-start-handover.js';
import { CALL, REPORT, reportOf } from '../shared/worker-protocol.js';
import { watchWorker } from '../../build/wasm/worker_calls.js';

/**
 * Starts a trainer worker. onReport(report) receives its reports (REPORT in worker-protocol.js);
 * onCrash(message) is called once if it dies. Returns { remote, ready, terminate }:
 * remote[CALL.x](...) calls the worker's API.
 */
export function startTrainer({ onReport, onCrash }) {
  // The first worker of the page was started by early-start.js, before this code had loaded.
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

  // The worker's reports; Comlink's answers carry an id and are Comlink's business.
  worker.addEventListener('message', ({ data }) => {
    const report = reportOf(data);
    if (!report) return;
    if (report.type === REPORT.crash) die(report.message);
    else onReport(report);
  });

  const remote = new Proxy({}, {
    get: (_, name) => (...args) => life.guard(() => api[name](...args)),
  });
  if (early?.failed) die(`The training worker stopped (${early.failed}).`);
  const ready = remote[CALL.init](new URL('./charrnn_training.wasm', import.meta.url).href, workerTestOptions());
  return {
    remote,
    ready,
    terminate: () => {
      life.die(Object.assign(new Error('The training worker was stopped.'), { name: 'EngineCrash' }));
      worker.terminate();
    },
  };
}
