// A small deterministic random generator (splitmix64 seeding + xoshiro128**).
// Hand-rolled on purpose: std:: distributions differ between libstdc++ (native) and libc++ (WASM),
// and native and WASM must produce the same model and the same samples for the same seed.
#pragma once
#include <cstdint>

namespace charrnn {

class Rng {
 public:
  explicit Rng(uint64_t seed = 1) { reseed(seed); }

  void reseed(uint64_t seed) {
    for (auto& word : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      word = static_cast<uint32_t>(z ^ (z >> 31));
    }
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
  }

  uint32_t next_u32() {
    const uint32_t result = rotl(s_[1] * 5, 7) * 9;
    const uint32_t t = s_[1] << 9;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 11);
    return result;
  }

  // Uniform in [0, 1) with 24 random bits: exactly representable as float, identical everywhere.
  float uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

  // The full state, so checkpoints can resume a run exactly.
  void get_state(uint32_t out[4]) const { for (int i = 0; i < 4; i++) out[i] = s_[i]; }
  void set_state(const uint32_t in[4]) { for (int i = 0; i < 4; i++) s_[i] = in[i]; }

 private:
  static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
  uint32_t s_[4];
};

}  // namespace charrnn
