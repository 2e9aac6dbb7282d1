// A helper worker of data-parallel training (see shard_helpers.js): one WASM instance with a
// ShardRunner; run() fills its replica's buffers from the message, runs the shard and answers with copies
// of what the trainer needs back (transferred). No logic here beyond copying: it is all in core/.
import * as Comlink from 'comlink';
import { load } from './charrnn.js';

let engine = null; // loaded once: the helper serves one trainer after another (HelperPool)
let runner = null; // a ShardRunner (shard_helpers.js)

const api = {
  // wasmModule: the trainer's engine already compiled (posted, not compiled again here), if it has it.
  async init({ wasmUrl, wasmModule, modelBytes, B, T, count }) {
    engine ??= await load({ wasmUrl, wasmModule });
    runner?.dispose();
    runner = engine.createShardRunner(modelBytes, B, T, count);
  },
  // The trainer is done with this helper: its replica goes (the pool keeps the worker).
  release() {
    runner?.dispose();
    runner = null;
  },
  run(job) {
    const result = runner.run(job);
    return Comlink.transfer(result, [result.grads.buffer, result.state.buffer, result.rng.buffer]);
  },
};

if (typeof WorkerGlobalScope !== 'undefined') {
  Comlink.expose(api);
} else {
  const [{ parentPort }, { default: nodeEndpoint }] = await Promise.all([
    import('node:worker_threads'), import('comlink/dist/esm/node-adapter.mjs')]);
  Comlink.expose(api, nodeEndpoint(parentPort));
}
