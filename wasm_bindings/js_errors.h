// Runs a core call and turns a charrnn::Error (or any std::exception) into a JavaScript Error
// with the same message, so JS callers get `try { } catch (e) { e.message }` and never a pointer.
#pragma once
#include <emscripten/val.h>

#include <exception>
#include <string>

namespace charrnn_bindings {

[[noreturn]] inline void throw_js_error(std::string message) {
  emscripten::val error = emscripten::val::global("Error").new_(emscripten::val(message));
  message = std::string();  // release before unwinding: the JS throw skips C++ destructors
  error.throw_();
}

template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  std::string message;
  try {
    return f();
  } catch (const std::bad_alloc&) {
    message = "Out of memory: the model or the text is too large for this tab. Lower the sizes and try again.";
  } catch (const std::exception& e) {
    message = e.what();
  }
  throw_js_error(std::move(message));
}

}  // namespace charrnn_bindings
