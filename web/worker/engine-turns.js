// Who has the engine: the training loop runs chunks of steps, and an API call (or a streamed
// sample) holds the engine while it runs, so no chunk starts meanwhile; a chunk whose shards are
// out in helper workers finishes before a call goes on.
import { isCrash, crashed, EngineCrash } from './crashes.js';

let holds = 0; // > 0 while an API call or a streamed sample has the engine to itself
let holdWaiters = [];
let stepping = null; // a chunk of steps whose shards are out in helpers: other calls wait for it

export function hold() {
  holds++;
}

export function release() {
  holds--;
  if (holds === 0) for (const wake of holdWaiters.splice(0)) wake();
}

export const isHeld = () => holds > 0;

/** Resolves when the last hold is released. */
export const released = () => new Promise((resolve) => holdWaiters.push(resolve));

/** Runs a chunk of parallel steps (a promise) that calls wait for; its result. */
export async function stepInParallel(chunk) {
  stepping = chunk;
  try {
    return await chunk;
  } finally {
    stepping = null;
  }
}

// A task boundary without setTimeout's 4 ms clamp: the page's messages are handled in between.
const channel = new MessageChannel();
const wakeups = [];
channel.port1.onmessage = () => wakeups.shift()?.();
export const nextTask = () => new Promise((resolve) => {
  wakeups.push(resolve);
  channel.port2.postMessage(0);
});

/** Wraps an API method: it has the engine to itself, and a crash stops everything and is reported as such. */
export function guard(fn) {
  return async (...args) => {
    // The call has the engine to itself: no training chunk starts until it returns (it may await
    // a file or the database meanwhile), and one under way (its shards out in helper workers)
    // finishes first.
    hold();
    try {
      while (stepping) await stepping.catch(() => {});
      return await fn(...args);
    } catch (e) {
      if (!isCrash(e)) throw e;
      crashed(e);
      throw new EngineCrash(e);
    } finally {
      release();
    }
  };
}
