// Helper workers for data-parallel training (the engine's side of "threads"): each is a worker
// with its own WASM instance holding a replica of the model's shape (core/training/shard_replica.h). Per
// step the trainer sends each helper the weights and its shard's streams (inputs, targets,
// carried state, dropout generators) as transferred buffers, runs shard 0 itself meanwhile, and
// takes back gradients, loss, final state and generators. No SharedArrayBuffer is needed, so this
// works on any static host (no COOP/COEP headers). Messaging is Comlink's; in Node the helpers are
// worker_threads through Comlink's Node adapter.
//
// Here: the workers (HelperPool, ShardHelpers), a trainer's steps with them (ParallelTraining, which
// Trainer.trainInParallel() uses) and what each helper runs (ShardRunner).
import * as Comlink from 'comlink';
import { CharRnnError, callEngine } from './errors.js';
import { watchWorker } from './worker_calls.js';

/** Running under Node (not a page or a worker): load() reads the .wasm from disk then. */
export const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined' &&
  typeof WorkerGlobalScope === 'undefined';

/** One helper: { remote, life (watchWorker: its calls end when it dies), busy (holds Node open while a call is out), terminate }. */
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
    // An idle helper must not keep Node running after the script's last line: the worker is
    // referenced only while a call to it is out (which the caller is waiting for).
    worker.unref();
    let calls = 0;
    const busy = (promise) => {
      if (calls++ === 0) worker.ref();
      return promise.finally(() => { if (--calls === 0) worker.unref(); });
    };
    return { remote: Comlink.wrap(nodeEndpoint(worker)), life, busy, terminate: () => stop(() => worker.terminate()) };
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
  return { remote: Comlink.wrap(worker), life, busy: (promise) => promise, terminate: () => stop(() => worker.terminate()) };
}

/**
 * One engine's helper workers, kept from one trainer to the next: a trainer's helpers come back
 * here when it is disposed or its configuration changes, and the next trainer takes them (with
 * its own model) instead of starting workers again. Firefox (ESR 153) now and then blocks a worker
 * for good in `new Worker()` when it comes just after that worker terminated another of its
 * workers (a new model, Reset, a model loaded, another number of threads): about one run in six
 * of tests/engines' journeys froze the page's trainer so. Workers that live on are not terminated
 * and not started again; a new model's helpers are also ready sooner.
 */
export class HelperPool {
  #spawn; // { url, wasmUrl, wasmModule }
  #idle = []; // helpers (spawn()) that run no trainer's shards
  #started = 0;
  constructor(spawn) { this.#spawn = spawn; }

  /** How many helper workers were started, and how many wait for a trainer now. */
  get counts() { return { started: this.#started, idle: this.#idle.length }; }

  /**
   * Helpers for shards 1..: shard s gets counts[s] streams of a batch of B with T steps, on the
   * model in modelBytes (a saved model file: shape and vocabulary).
   */
  async start({ modelBytes, B, T, counts }) {
    try {
      return await this.#start({ modelBytes, B, T, counts });
    } catch (e) {
      // WebKit fails to start a worker from a worker when the HTTP cache revalidates its script (a
      // 304 answer, as for the second helper of the same address): once more, from addresses no cache holds.
      if (!e.scriptFailed) throw e;
      return this.#start({ modelBytes, B, T, counts, fresh: `${Date.now().toString(36)}` });
    }
  }

  async #start({ modelBytes, B, T, counts, fresh }) {
    const { url, wasmUrl, wasmModule } = this.#spawn;
    const helpers = [];
    try {
      for (let s = 1; s < counts.length; s++) {
        let h;
        while ((h = this.#idle.pop()) && h.life.death);
        if (!h) {
          h = await spawn(fresh ? `${url}${url.includes('?') ? '&' : '?'}fresh=${fresh}-${s}` : url);
          this.#started++;
        }
        helpers.push(h);
      }
      await Promise.all(helpers.map((h, i) =>
        h.busy(h.life.guard(() => h.remote.init({ wasmUrl, wasmModule, modelBytes: modelBytes.slice(), B, T, count: counts[i + 1] })))));
    } catch (e) {
      for (const h of helpers) h.terminate();
      throw e;
    }
    return new ShardHelpers(helpers, this);
  }

  /** Helpers back from a trainer: they drop its model and wait for the next. */
  release(helpers) {
    for (const h of helpers) {
      if (h.life.death) continue;
      h.busy(h.life.guard(() => h.remote.release())).catch(() => {}); // a helper that died is not taken again
      this.#idle.push(h);
    }
  }
}

/** A trainer's helpers, one per shard after the first. */
export class ShardHelpers {
  #helpers;
  #pool;
  constructor(helpers, pool) {
    this.#helpers = helpers;
    this.#pool = pool;
  }

  /** Runs shard s (1..) in its helper: job { weights, inputs, targets, state, rng } (transferred). */
  run(s, job) {
    const h = this.#helpers[s - 1];
    const buffers = Object.values(job).map((a) => a.buffer);
    return h.busy(h.life.guard(() => h.remote.run(Comlink.transfer(job, buffers))));
  }

  /** Back to the pool (the trainer is done with them). */
  release() {
    this.#pool.release(this.#helpers);
    this.#helpers = [];
  }

  /** Stops them (one failed: the others are not trusted either). */
  terminate() {
    for (const h of this.#helpers) h.terminate();
    this.#helpers = [];
  }
}

// A step waits at least this long for a helper before running its shard here instead.
const HELPER_TIMEOUT_MS = 30000;

function withTimeout(promise, ms) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`A training thread did not answer within ${Math.round(ms / 1000)} s.`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * A trainer's steps with helper workers: started on the first train() in the background, stopped
 * for good when one fails (its shard then runs in the trainer's thread, and training goes on there;
 * threadError says why, once).
 */
export class ParallelTraining {
  #session; // () => the trainer's engine handle (throws once the trainer is disposed)
  #pool; // the engine's HelperPool
  #helpers = null; // ShardHelpers while they run
  #starting = null;
  #threadError = null; // { message, reported }
  #closed = false;
  /** A step is out in the helpers: nothing else may use the trainer. */
  stepping = false;

  constructor(session, pool) {
    this.#session = session;
    this.#pool = pool;
  }

  get helperThreads() { return this.#helpers ? this.#session().shards() - 1 : 0; }

  /** Starts the helpers unless they run, are starting or failed; resolves when they run or could not start. */
  start() {
    const h = this.#session(), N = h.shards();
    if (N === 1 || this.#helpers || this.#starting || this.#threadError) return this.#starting;
    const counts = Array.from({ length: N }, (_, s) => h.shardStreams(s));
    const modelBytes = callEngine(() => h.save(false, false)).slice(); // shape and vocabulary; weights come per step
    const { batchSize: B, seqLen: T } = h.trainConfig();
    this.#starting = this.#pool.start({ modelBytes, B, T, counts })
      .then((helpers) => {
        if (this.#closed) helpers.release();
        else this.#helpers = helpers;
      }, (e) => { this.#stop(e); })
      .finally(() => { this.#starting = null; });
    return this.#starting;
  }

  /**
   * Up to `steps` steps (fewer after maxMs) with the helpers: their time summed ({ sendMs,
   * ownShardMs, waitMs, finishMs }), or null when no helpers run (yet): train in this thread then.
   */
  async train(steps, maxMs) {
    this.start();
    if (!this.#helpers) return null;
    const start = performance.now();
    const timing = { sendMs: 0, ownShardMs: 0, waitMs: 0, finishMs: 0 };
    callEngine(() => this.#session().takeSummary()); // the caller's summary: this call's steps only
    this.stepping = true;
    try {
      for (let done = 0; done < steps && this.#helpers && !this.#session().budgetSpent(); done++) {
        await this.#step(timing);
        if (performance.now() - start >= maxMs) break;
      }
    } finally {
      this.stepping = false;
    }
    return timing;
  }

  /** Why the helpers stopped, the first time it is asked; null otherwise. */
  takeThreadError() {
    const e = this.#threadError;
    if (!e || e.reported) return null;
    e.reported = true;
    return e.message;
  }

  /** The model's configuration changed: the helpers start again, with it, at the next train(). */
  restart() {
    const stop = () => {
      this.#helpers?.release();
      this.#helpers = null;
    };
    stop();
    this.#starting?.then(stop);
  }

  /** The trainer is disposed: the helpers go back to the pool, and any starting go once they are up. */
  close() {
    this.#closed = true;
    this.#helpers?.release();
    this.#helpers = null;
  }

  #stop(reason) {
    this.#helpers?.terminate();
    this.#helpers = null;
    this.#threadError = { message: `${reason.message ?? reason} Training goes on in one thread.` };
  }

  // One step: shards 1.. to the helpers (weights and exchange buffers copied out of WASM memory and
  // transferred), shard 0 here meanwhile, then their results in and one update. timing adds up
  // where the time went (the costs beside the shards' own compute: bench/wasm_bench.mjs prints them).
  async #step(timing) {
    const t0 = performance.now();
    let h = this.#session();
    const N = h.shards();
    callEngine(() => h.beginStep());
    const weights = h.weights().slice();
    const jobs = [];
    for (let s = 1; s < N; s++) {
      callEngine(() => h.exportShard(s));
      const b = h.shardBuffers(s);
      jobs.push(this.#helpers.run(s, { weights: s === N - 1 ? weights : weights.slice(), inputs: b.inputs.slice(),
        targets: b.targets.slice(), state: b.state.slice(), rng: b.rng.slice() }));
    }
    const t1 = performance.now();
    callEngine(() => h.runShard(0));
    const t2 = performance.now();
    // A helper that neither answers nor dies (a hung worker) would hold the step for ever: past
    // many times this thread's own shard, it counts as lost.
    const limitMs = Math.max(HELPER_TIMEOUT_MS, 50 * (t2 - t1));
    const results = await Promise.allSettled(jobs.map((job) => withTimeout(job, limitMs)));
    const t3 = performance.now();
    h = this.#session();
    let lost = null;
    for (let s = 1; s < N; s++) {
      const r = results[s - 1];
      try {
        if (r.status !== 'fulfilled') throw r.reason;
        const b = h.shardBuffers(s);
        b.grads.set(r.value.grads);
        b.state.set(r.value.state);
        b.rng.set(r.value.rng);
        callEngine(() => h.importShard(s, r.value.loss));
      } catch (e) {
        // Nothing of the trainer changed when the shard was sent (its generators are taken back
        // only by importShard, the last thing above): the same shard, here.
        lost ??= e;
        callEngine(() => h.runShard(s));
      }
    }
    if (lost) this.#stop(lost);
    callEngine(() => h.finishStep());
    timing.sendMs += t1 - t0;
    timing.ownShardMs += t2 - t1;
    timing.waitMs += t3 - t2;
    timing.finishMs += performance.now() - t3;
  }
}

/** What a helper worker runs (shard_helper_worker.js): a job's arrays into the engine's ShardReplica, the shard, copies out. */
export class ShardRunner {
  #replica;
  constructor(replica) { this.#replica = replica; }
  run(job) {
    const b = this.#replica.buffers();
    for (const key of ['weights', 'inputs', 'targets', 'state', 'rng']) {
      if (job[key]?.length !== b[key].length) throw new CharRnnError(`A shard's ${key} do not fit its replica.`, 'argument');
      b[key].set(job[key]);
    }
    const loss = callEngine(() => this.#replica.run());
    const out = this.#replica.buffers(); // the run may have grown memory: fresh views
    return { loss, grads: out.grads.slice(), state: out.state.slice(), rng: out.rng.slice() };
  }
  dispose() { this.#replica?.delete(); this.#replica = null; }
}
