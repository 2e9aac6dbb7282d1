// The worker's state, shared by its modules: the engine, the text the next model trains on, the
// model being trained, and the page's settings that act between chunks.
import { BUDGET, SAMPLING } from '../settings/defaults.js';

export const state = {
  engine: null, // the loaded engine (charrnn.js), once CALL.init has run
  staged: null, // the text the next Train uses: { bytes, name, textId, info, error } (see text.js)
  session: null, // the model being trained: see beginSession() in session.js
  running: false,
  // The periodic samples' settings (the page's Sample controls).
  sampling: { temperature: SAMPLING.temperature, prime: SAMPLING.prime, length: SAMPLING.length },
  testHooks: false, // the page was opened with ?test (CALL.crashForTest works)
  budgetMinutes: BUDGET.defaultMinutes, // Train for (Infinity: until stopped), for the model and the next
  threads: 1, // the page's Threads: shards per batch (at most the batch size), shards 2.. in helper workers
};
