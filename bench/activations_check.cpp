// Accuracy of core/numerics/activations.h against double precision, over every float in [-30, 30]
// (every 97th bit pattern, to run in seconds). Prints one JSON line per function.
//   g++ -std=c++17 -O2 -Icore bench/activations_check.cpp -o /tmp/act && /tmp/act
//   (under -msimd128: NODE_PATH=/usr/share/nodejs em++ -std=c++17 -O2 -msimd128 -Icore
//    bench/activations_check.cpp -o /tmp/act.js && node --no-experimental-fetch /tmp/act.js)
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "numerics/activations.h"

namespace {

struct Worst {
  double rel = 0, abs = 0;
  float at_rel = 0, at_abs = 0;
};

template <class F, class G>
Worst check(F approx, G exact, float lo, float hi) {
  Worst w;
  for (int sign = 0; sign < 2; sign++) {
    for (uint32_t bits = 0; bits < 0x7F800000u; bits += 97) {
      float x;
      const uint32_t b = bits | (sign ? 0x80000000u : 0u);
      std::memcpy(&x, &b, 4);
      if (!(x >= lo && x <= hi)) {
        if (std::fabs(x) > std::fmax(std::fabs(lo), std::fabs(hi))) break;
        continue;
      }
      const double e = exact(static_cast<double>(x));
      const double a = approx(x);
      const double err = std::fabs(a - e);
      if (err > w.abs) { w.abs = err; w.at_abs = x; }
      if (e != 0 && err / std::fabs(e) > w.rel) { w.rel = err / std::fabs(e); w.at_rel = x; }
    }
  }
  return w;
}

void report(const char* name, const Worst& w) {
  std::printf("{\"fn\":\"%s\",\"max_rel_err\":%.3g,\"at\":%.9g,\"max_abs_err\":%.3g,\"at_abs\":%.9g}\n", name, w.rel,
              w.at_rel, w.abs, w.at_abs);
}

}  // namespace

int main() {
  report("exp [-80,80]", check(charrnn::exp_approx, [](double x) { return std::exp(x); }, -80.0f, 80.0f));
  report("sigmoid [-30,30]", check(charrnn::sigmoid, [](double x) { return 1.0 / (1.0 + std::exp(-x)); }, -30.0f, 30.0f));
  report("tanh [-30,30]", check(charrnn::tanh_act, [](double x) { return std::tanh(x); }, -30.0f, 30.0f));
  report("libm sigmoid (float)", check(charrnn::sigmoid_ref, [](double x) { return 1.0 / (1.0 + std::exp(-x)); }, -30.0f, 30.0f));
  report("libm tanhf", check(charrnn::tanh_ref, [](double x) { return std::tanh(x); }, -30.0f, 30.0f));
  return 0;
}
