// The two kinds of error. Errors the reader can act on are CharRnnErrors, and the page shows their
// message: the engine's own, and this worker's (usageError, inputError). Anything else (a trap, an
// abort) is a crash: the engine's memory can no longer be trusted, and the page replaces this
// worker. The engine's glue draws that line (isCrash, wasm_bindings/errors.js): it passes traps
// and aborts on untouched.
import { CharRnnError, isCrash } from '../../build/wasm/charrnn.js';
import { callEngine } from '../../build/wasm/errors.js';
import { state } from './state.js';
import { emit } from './reports.js';
import { REPORT } from '../shared/worker-protocol.js';

export { isCrash };

/** What a call waiting when the engine crashed is rejected with (the page knows it by its name). */
export class EngineCrash extends Error {
  constructor(cause) {
    super(`The training engine stopped working (${cause?.message ?? cause}).`);
    this.name = 'EngineCrash';
  }
}

/** A call the worker cannot take now (no model yet, no text yet): the message says what to do first. */
export function usageError(message) {
  return new CharRnnError(message, 'usage');
}

/** A text, file or setting the worker refuses: the message says what to change. */
export function inputError(message) {
  return new CharRnnError(message, 'input');
}

/** A crash: everything stops, and the page is told (it replaces this worker). */
export function crashed(e) {
  state.running = false;
  state.session = null;
  emit(REPORT.crash, { message: new EngineCrash(e).message });
}

// (module (func (export "trap") unreachable)): a trap as small as can be.
const TRAP_MODULE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0,
  7, 8, 1, 4, 116, 114, 97, 112, 0, 0, 10, 5, 1, 3, 0, 0, 11]);

/** CALL.crashForTest: traps inside an engine call, so the tests see a real crash (test pages only). */
export function crashForTest() {
  if (!state.testHooks) throw usageError('Only the test page (opened with ?test) can crash the engine on purpose.');
  const { trap } = new WebAssembly.Instance(new WebAssembly.Module(TRAP_MODULE)).exports;
  callEngine(trap);
}
