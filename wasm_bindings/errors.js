// The API's one error type, and the line between its errors and the engine's crashes.
//
// A CharRnnError is something the caller can act on; its `kind` says what (charrnn.d.ts,
// ErrorKind). Anything else thrown by the API (a WebAssembly.RuntimeError from a trap, an
// Emscripten abort, a stack overflow inside the engine) is passed on untouched: the engine's
// memory can no longer be trusted, so every object of that load() is dead. isCrash() says which.

export class CharRnnError extends Error {
  constructor(message, kind) {
    super(message);
    this.name = 'CharRnnError';
    this.kind = kind;
  }
}

/** True when an error thrown by this API is not a CharRnnError: load() the engine again. */
export function isCrash(error) {
  return !(error instanceof CharRnnError);
}

/**
 * Runs one call into the engine. What wasm_bindings/js_errors.h throws (an Error with the
 * engine's message and `charrnnKind`) becomes a CharRnnError of that kind; what Embind throws when
 * it cannot convert an argument (a TypeError, a BindingError) is the caller's 'argument'.
 */
export function callEngine(fn) {
  try {
    return fn();
  } catch (e) {
    if (typeof e?.charrnnKind === 'string') throw new CharRnnError(e.message, e.charrnnKind);
    if (e instanceof TypeError || e?.name === 'BindingError') throw new CharRnnError(e.message, 'argument');
    throw e;
  }
}
