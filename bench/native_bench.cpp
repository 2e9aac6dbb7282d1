// The native engine of the benchmark: the same core the WASM build compiles, built with
// -O3 -march=native, timed on one configuration. Prints exactly one JSON line on stdout:
//   {"name","engine":"native","chars_per_sec","runs",["sample_chars_per_sec","sample_runs"],"loss","config"}
// Progress goes to stderr. Run by bench/run.mjs (which interleaves it with the other engines);
// by hand:
//   build/bench-native/bench/charrnn_bench --text ../shared/data/tinyshakespeare.txt \
//     --name lstm-2x128-b32-t50 --cell lstm --layers 2 --hidden 128 --embed 32 --batch 32 --seq 50
//
// Timing: `--warmup-seconds` of untimed steps (at least `--warmup` steps), then `--runs` timed
// runs of as many steps as fill `--seconds` each (measured on the warm-up); chars/s of a run is
// B*T*steps / wall time. chars_per_sec is the median run. Sampling: one stream, temperature 1,
// primed with "ROMEO:", `--runs` timed runs of as many characters as fill `--seconds` each.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "model/config.h"
#include "generation/sampler.h"
#include "thread_pool.h"
#include "training/trainer.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string json_array(const std::vector<double>& v) {
  std::ostringstream o;
  o << '[';
  for (size_t i = 0; i < v.size(); i++) o << (i ? "," : "") << v[i];
  o << ']';
  return o.str();
}

[[noreturn]] void usage(const char* msg) {
  std::cerr << "charrnn_bench: " << msg << "\n"
            << "usage: charrnn_bench --text PATH [--name N] [--cell lstm|gru|rnn] [--layers L] [--hidden H]\n"
               "  [--embed E] [--batch B] [--seq T] [--runs R] [--warmup S] [--warmup-seconds X] [--seconds X]\n"
               "  [--sample 0|1] [--optimizer rmsprop|adam] [--lr X] [--threads N]\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string text_path, name;
  charrnn::ModelConfig mc;
  charrnn::TrainConfig tc;
  int runs = 5, warmup = 2, sample = 1, threads = 1;
  double seconds = 1.0, warmup_seconds = 0.5;
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    if (i + 1 >= argc) usage(("missing value for " + a).c_str());
    const std::string v = argv[++i];
    if (a == "--text") text_path = v;
    else if (a == "--name") name = v;
    else if (a == "--cell") mc.cell = charrnn::parse_cell(v);
    else if (a == "--layers") mc.layers = std::stoi(v);
    else if (a == "--hidden") mc.hidden_size = std::stoi(v);
    else if (a == "--embed") mc.embed_size = std::stoi(v);
    else if (a == "--batch") tc.batch_size = std::stoi(v);
    else if (a == "--seq") tc.seq_len = std::stoi(v);
    else if (a == "--runs") runs = std::stoi(v);
    else if (a == "--warmup") warmup = std::stoi(v);
    else if (a == "--warmup-seconds") warmup_seconds = std::stod(v);
    else if (a == "--seconds") seconds = std::stod(v);
    else if (a == "--sample") sample = std::stoi(v);
    else if (a == "--optimizer") tc.optimizer = charrnn::parse_optimizer(v);
    else if (a == "--lr") tc.learning_rate = std::stof(v);
    else if (a == "--threads") threads = std::stoi(v);
    else usage(("unknown option " + a).c_str());
  }
  if (text_path.empty()) usage("--text is required");
  if (runs < 1) usage("--runs must be at least 1");
  std::ifstream f(text_path, std::ios::binary);
  if (!f) usage(("cannot read " + text_path).c_str());
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (name.empty()) {
    name = std::string(charrnn::cell_name(mc.cell)) + "-" + std::to_string(mc.layers) + "x" +
           std::to_string(mc.hidden_size) + "-b" + std::to_string(tc.batch_size) + "-t" + std::to_string(tc.seq_len);
  }

  try {
    // Threads as `charrnn train --threads` runs them: the batch split into shards on a pool.
    charrnn_cli::ThreadPool pool(threads);
    charrnn::Trainer trainer(charrnn::create_model_for_text(text, mc, tc), tc, text,
                             {threads, [&pool](int n, const std::function<void(int)>& body) { pool.for_each(n, body); }});
    const double chars_per_step = static_cast<double>(tc.batch_size) * tc.seq_len;

    // Warm-up: caches, page faults, branch predictors; also measures the step time.
    int warm_steps = 0;
    const auto tw = Clock::now();
    while (warm_steps < warmup || seconds_since(tw) < warmup_seconds) {
      trainer.step();
      warm_steps++;
    }
    const double step_sec = seconds_since(tw) / warm_steps;
    const int steps = std::max(1, static_cast<int>(seconds / step_sec + 0.5));

    std::vector<double> train_runs;
    float loss = 0.0f;
    for (int r = 0; r < runs; r++) {
      const auto t0 = Clock::now();
      for (int s = 0; s < steps; s++) loss = trainer.step().loss;
      const double sec = seconds_since(t0);
      train_runs.push_back(chars_per_step * steps / sec);
      std::fprintf(stderr, "native %s run %d/%d: %d steps, %.3f s, %.0f chars/s, loss %.4f\n", name.c_str(), r + 1,
                   runs, steps, sec, train_runs.back(), loss);
    }

    std::vector<double> sample_runs;
    if (sample) {
      charrnn::SampleOptions so;
      so.temperature = 1.0f;
      charrnn::Sampler sampler(trainer.model(), so);
      sampler.prime("ROMEO:");
      int n = 64;
      auto t0 = Clock::now();
      for (int i = 0; i < n; i++) sampler.next_id();
      for (;;) {  // warm-up doubles until it takes the warm-up time; that sets the run length
        const double sec = seconds_since(t0);
        if (sec >= std::min(warmup_seconds, 0.25)) {
          n = std::max(64, static_cast<int>(n * seconds / sec));
          break;
        }
        n *= 2;
        t0 = Clock::now();
        for (int i = 0; i < n; i++) sampler.next_id();
      }
      for (int r = 0; r < runs; r++) {
        const auto ts = Clock::now();
        volatile int sink = 0;
        for (int i = 0; i < n; i++) sink = sink + sampler.next_id();
        sample_runs.push_back(n / seconds_since(ts));
        std::fprintf(stderr, "native %s sample run %d/%d: %.0f chars/s\n", name.c_str(), r + 1, runs,
                     sample_runs.back());
      }
    }

    std::ostringstream o;
    o << "{\"name\":\"" << name << "\",\"engine\":\"native\",\"threads\":" << threads
      << ",\"chars_per_sec\":" << median(train_runs)
      << ",\"runs\":" << json_array(train_runs);
    if (sample) o << ",\"sample_chars_per_sec\":" << median(sample_runs) << ",\"sample_runs\":" << json_array(sample_runs);
    o << ",\"loss\":" << loss << ",\"config\":{\"cell\":\"" << charrnn::cell_name(mc.cell) << "\",\"layers\":" << mc.layers
      << ",\"hidden\":" << mc.hidden_size << ",\"embed\":" << mc.embed_size << ",\"batch\":" << tc.batch_size
      << ",\"seq\":" << tc.seq_len << ",\"vocab\":" << trainer.model().config.vocab_size
      << ",\"params\":" << trainer.model().params.size() << ",\"steps_per_run\":" << steps
      << ",\"optimizer\":\"" << charrnn::optimizer_name(tc.optimizer) << "\",\"lr\":" << tc.learning_rate << "}}";
    std::cout << o.str() << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "charrnn_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
