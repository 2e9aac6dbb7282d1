// Runs a core call and turns a C++ exception into a JavaScript Error with the same message and a
// `charrnnKind`, which the JS API (errors.js) turns into a CharRnnError of that kind:
//   'input'    a charrnn::Error: the text, settings or model file was refused (the message says why)
//   'memory'   std::bad_alloc: nothing changed; smaller sizes may fit
//   'internal' any other std::exception: a bug of the engine (it unwound; the message is C++'s)
// so JS callers get `try { } catch (e) { e.kind, e.message }` and never a pointer. A trap or an
// abort is not caught here: it reaches JS as itself (a WebAssembly.RuntimeError).
#pragma once
#include <emscripten/val.h>

#include <exception>
#include <new>
#include <string>

#include "errors.h"

namespace charrnn_bindings {

[[noreturn]] inline void throw_js_error(std::string message, const char* kind) {
  emscripten::val error = emscripten::val::global("Error").new_(emscripten::val(message));
  error.set("charrnnKind", emscripten::val(kind));
  message = std::string();  // release before unwinding: the JS throw skips C++ destructors
  error.throw_();
}

template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  std::string message;
  const char* kind = "internal";
  try {
    return f();
  } catch (const charrnn::Error& e) {
    message = e.what();
    kind = "input";
  } catch (const std::bad_alloc&) {
    message = "Out of memory: the model or the text is too large for this tab. Lower the sizes and try again.";
    kind = "memory";
  } catch (const std::exception& e) {
    message = std::string("The engine failed unexpectedly (") + e.what() + "). Please report this as a bug.";
  }
  throw_js_error(std::move(message), kind);
}

}  // namespace charrnn_bindings
