// The two kinds of error. Errors the reader can act on are CharRnnErrors, and the page shows their
// message; anything else (a trap, an abort) is a crash: the engine's memory can no longer be
// trusted, and the page replaces this worker.
import { CharRnnError } from '../../build/wasm/charrnn.js';
import { state } from './state.js';
import { emit } from './reports.js';
import { REPORT } from '../shared/worker-protocol.js';

// Traps and aborts, by their message: charrnn.js relabels them CharRnnError for now. Once it leaves
// them as WebAssembly.RuntimeError (or the abort's error), isCrash is !(e instanceof CharRnnError).
const TRAP = /^(Aborted|unreachable|memory access out of bounds|RuntimeError|null function|table index|integer overflow|divide by zero|Maximum call stack)/i;

/** Whether `e` is an engine crash rather than an error the reader can act on. */
export function isCrash(e) {
  return !(e instanceof Error) || e.name !== 'CharRnnError' || TRAP.test(e.message);
}

/** What a call waiting when the engine crashed is rejected with (the page knows it by its name). */
export class EngineCrash extends Error {
  constructor(cause) {
    super(`The training engine stopped working (${cause?.message ?? cause}).`);
    this.name = 'EngineCrash';
  }
}

/** An error the reader can act on: its message says what to do. */
export function userError(message) {
  return new CharRnnError(message);
}

/** A crash: everything stops, and the page is told (it replaces this worker). */
export function crashed(e) {
  state.running = false;
  state.session = null;
  emit(REPORT.crash, { message: new EngineCrash(e).message });
}
