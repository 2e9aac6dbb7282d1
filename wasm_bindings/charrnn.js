// The JavaScript API of the engine: `await load()` gives plain objects and real Errors, not
// Embind handles. The build copies this file and its modules next to the generated ones.
//
//   import { load } from './charrnn.js';
//   const charrnn = await load();
//   const trainer = charrnn.createTrainer(text, { cell: 'lstm', hiddenSize: 128 }, { batchSize: 32 });
//   // or each layer its own size, bottom first: { cell: 'lstm', layers: 2, hiddenSizes: [256, 128] }
//   const stats = trainer.train(10);            // { loss, iteration, epoch, ... }
//   trainer.sample({ prime: 'ROMEO:', length: 200, temperature: 0.8 });
//   const bytes = trainer.save({ checkpoint: true });  // Uint8Array (.safetensors)
//
// Threads: createTrainer(text, model, train, { threads: 4 }) splits each batch into 4 shards;
// `await trainer.trainInParallel(steps)` runs shards 2..4 in helper workers (one WASM instance
// each, see shard_helpers.js) and gives the same model as train(), which runs them one by one.
//
// Errors: a CharRnnError (with its `kind`) is one the caller can act on; anything else is a crash
// of the engine (a trap, an abort): isCrash(e), then load() again. See errors.js.
//
// Every default setting is the engine's own (core/model/config.h, core/generation/sampler.h): `charrnn.defaults`.
//
// The modules: loader.js (load()), wrappers.js (Model, Trainer, Sampler), arguments.js (checks),
// errors.js (CharRnnError), shard_helpers.js (threads).
export { load } from './loader.js';
export { CharRnnError, isCrash } from './errors.js';
