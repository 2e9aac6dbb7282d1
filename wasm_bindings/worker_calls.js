// Calls to a worker that can die (a script error, a trap in the engine, terminate()): a call to a
// dead worker would never answer, so when it dies every call still waiting is rejected, and later
// calls are rejected at once. Used by the helper workers of threads (shard_helpers.js) and by the
// page for its training worker (web/page/worker-client.js).
//
// Why not Promise.race([call, death]) with one long-lived `death` promise: each race leaves a
// reaction on `death` that is freed only when it settles, i.e. never while the worker lives. At a
// call per training step (20 a second for a small model) that is a leak of megabytes an hour; the
// page's soak (bench/soak.mjs --heap-snapshots, node bench/heap_diff.mjs) showed the chain of
// PromiseReactions growing by one per call.

/** Tracks one worker's life: guard(() => call()) gives the call's promise, or the death's error. */
export function watchWorker() {
  const waiting = new Set(); // the reject functions of calls not answered yet
  let death = null;
  return {
    /** The error the worker died with, or null while it lives. */
    get death() { return death; },
    /** How many calls wait for an answer (for tests). */
    get waiting() { return waiting.size; },
    /**
     * Runs call() (a function returning a promise) now, unless the worker is dead: its answer, or
     * the death. Called synchronously, so the message goes out before the caller's next long task.
     */
    guard(call) {
      if (death) return Promise.reject(death);
      let answer;
      try {
        answer = call();
      } catch (e) {
        return Promise.reject(e);
      }
      return new Promise((resolve, reject) => {
        waiting.add(reject);
        Promise.resolve(answer).then(resolve, reject).finally(() => waiting.delete(reject));
      });
    },
    /** The worker died with error: calls waiting, and every later one, reject with it. Once only. */
    die(error) {
      if (death) return false;
      death = error;
      for (const reject of waiting) reject(error);
      waiting.clear();
      return true;
    },
  };
}
