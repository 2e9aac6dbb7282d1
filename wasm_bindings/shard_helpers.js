// Helper workers for data-parallel training (the engine's side of "threads"): each is a worker
// with its own WASM instance holding a replica of the model's shape (core/training/shard_replica.h). Per
// step the trainer sends each helper the weights and its shard's streams (inputs, targets,
// carried state, dropout generators) as transferred buffers, runs shard 0 itself meanwhile, and
// takes back gradients, loss, final state and generators. No SharedArrayBuffer is needed, so this
// works on any static host (no COOP/COEP headers). Messaging is Comlink's; in Node the helpers are
// worker_threads through Comlink's Node adapter.
import * as Comlink from 'comlink';
import { watchWorker } from './worker_calls.js';

/** Running under Node (not a page or a worker): charrnn.js reads its .wasm from disk then. */
export const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined' &&
  typeof WorkerGlobalScope === 'undefined';

/** One helper: { remote, life (watchWorker: its calls end when it dies), terminate }. */
async function spawn(url) {
  const life = watchWorker();
  // A call to a stopped worker would never answer: stopping it ends them.
  const stop = (terminate) => {
    terminate();
    life.die(new Error('The training thread was stopped.'));
  };
  if (isNode) {
    const [{ Worker }, { default: nodeEndpoint }] = await Promise.all([
      import('node:worker_threads'), import('comlink/dist/esm/node-adapter.mjs')]);
    const worker = new Worker(new URL(url));
    worker.on('error', (e) => life.die(new Error(`A training thread stopped (${e.message}).`)));
    worker.on('exit', (code) => life.die(new Error(`A training thread exited (code ${code}).`)));
    return { remote: Comlink.wrap(nodeEndpoint(worker)), life, terminate: () => stop(() => worker.terminate()) };
  }
  if (typeof Worker !== 'function') {
    throw new Error('This browser cannot start workers from a worker, which more threads need.');
  }
  const worker = new Worker(url, { type: 'module' });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    const error = new Error(`A training thread stopped (${event.message || 'its script failed to load'}).`);
    life.die(Object.assign(error, { scriptFailed: !event.message }));
  });
  return { remote: Comlink.wrap(worker), life, terminate: () => stop(() => worker.terminate()) };
}

export class ShardHelpers {
  #helpers;
  constructor(helpers) { this.#helpers = helpers; }

  /**
   * Starts one helper per shard after the first: shard s (1..) gets counts[s] streams of a batch
   * of B with T steps, on the model in modelBytes (a saved model file: shape and vocabulary).
   */
  static async start(options) {
    try {
      return await ShardHelpers.#start(options);
    } catch (e) {
      // WebKit fails to start a worker from a worker when the HTTP cache revalidates its script (a
      // 304 answer, as for the second helper of the same address): once more, from addresses no cache holds.
      if (!e.scriptFailed) throw e;
      return ShardHelpers.#start({ ...options, fresh: `${Date.now().toString(36)}` });
    }
  }

  static async #start({ url, wasmUrl, wasmModule, modelBytes, B, T, counts, fresh }) {
    const helpers = [];
    try {
      for (let s = 1; s < counts.length; s++) {
        helpers.push(await spawn(fresh ? `${url}${url.includes('?') ? '&' : '?'}fresh=${fresh}-${s}` : url));
      }
      await Promise.all(helpers.map((h, i) =>
        h.life.guard(() => h.remote.init({ wasmUrl, wasmModule, modelBytes: modelBytes.slice(), B, T, count: counts[i + 1] }))));
    } catch (e) {
      for (const h of helpers) h.terminate();
      throw e;
    }
    return new ShardHelpers(helpers);
  }

  /** Runs shard s (1..) in its helper: job { weights, inputs, targets, state, rng } (transferred). */
  run(s, job) {
    const h = this.#helpers[s - 1];
    const buffers = Object.values(job).map((a) => a.buffer);
    return h.life.guard(() => h.remote.run(Comlink.transfer(job, buffers)));
  }

  terminate() {
    for (const h of this.#helpers) h.terminate();
    this.#helpers = [];
  }
}
