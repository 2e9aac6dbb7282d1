// Time-to-quality exploration, natively: trains one setting for fixed numbers of training
// characters and prints the validation loss (whole held-out split) at each, one JSON line per
// checkpoint. Used to choose the page's recommended settings without spending WASM minutes:
// the character counts are what single-thread WASM trains in 3 and 10 minutes at the speed
// bench/wasm_bench.mjs measured for that configuration. bench/time_to_quality.mjs then
// confirms the choice in WASM itself.
//
//   build/bench-native/bench/charrnn_ttq --text ../shared/data/tinyshakespeare.txt \
//     --chars-at 3600000,12000000 --cell lstm --layers 2 --hidden 128 --batch 32 --seq 50 \
//     --optimizer adam --lr 3e-3 [--lr-decay 0.9 --lr-decay-every 500] [--dropout 0] [--embed 32]
//   (--hidden 256,128: one size per layer)
//   [--budget-minutes 10 --page-chars-per-sec 29000]: the learning rate follows a time budget
//   (core/training/schedule.h) on a simulated clock, the time the page takes for the characters
//   trained so far at that speed; --budget-minutes inf: until stopped.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "model/config.h"
#include "training/trainer.h"

int main(int argc, char** argv) {
  std::string text_path;
  std::vector<double> chars_at;
  charrnn::ModelConfig mc;
  charrnn::TrainConfig tc;
  double budget_minutes = 0, page_chars_per_sec = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--text") text_path = v;
    else if (a == "--chars-at") {
      std::stringstream ss(v);
      std::string item;
      while (std::getline(ss, item, ',')) chars_at.push_back(std::stod(item));
    } else if (a == "--cell") mc.cell = charrnn::parse_cell(v);
    else if (a == "--layers") mc.layers = std::stoi(v);
    else if (a == "--hidden") charrnn::set_hidden_sizes(mc, charrnn::parse_hidden_sizes(v));  // 192 or 256,128
    else if (a == "--embed") mc.embed_size = std::stoi(v);
    else if (a == "--dropout") mc.dropout = std::stof(v);
    else if (a == "--batch") tc.batch_size = std::stoi(v);
    else if (a == "--seq") tc.seq_len = std::stoi(v);
    else if (a == "--optimizer") tc.optimizer = charrnn::parse_optimizer(v);
    else if (a == "--lr") tc.learning_rate = std::stof(v);
    else if (a == "--lr-decay") tc.lr_decay = std::stof(v);
    else if (a == "--lr-decay-every") tc.lr_decay_every = std::stoi(v);
    else if (a == "--grad-clip") tc.grad_clip = std::stof(v);
    else if (a == "--seed") tc.seed = std::stoull(v);
    else if (a == "--budget-minutes") budget_minutes = std::stod(v);
    else if (a == "--page-chars-per-sec") page_chars_per_sec = std::stod(v);
    else {
      std::cerr << "charrnn_ttq: unknown option " << a << "\n";
      return 2;
    }
  }
  std::ifstream f(text_path, std::ios::binary);
  if (budget_minutes > 0 && !(page_chars_per_sec > 0)) {
    std::cerr << "charrnn_ttq: --budget-minutes needs --page-chars-per-sec (the simulated clock's speed)\n";
    return 2;
  }
  if (!f || chars_at.empty()) {
    std::cerr << "charrnn_ttq: needs --text PATH and --chars-at N[,N...]\n";
    return 2;
  }
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  try {
    charrnn::Trainer trainer(charrnn::create_model_for_text(text, mc, tc), tc, text);
    const double per_step = static_cast<double>(tc.batch_size) * tc.seq_len;
    // One number for a uniform model (as in the rows so far), a list for per-layer sizes.
    std::string hidden_json = std::to_string(mc.hidden_size);
    if (mc.per_layer_hidden()) {
      hidden_json = "[";
      for (int h : mc.hidden_sizes) hidden_json += (hidden_json.size() > 1 ? "," : "") + std::to_string(h);
      hidden_json += "]";
    }
    double trained = 0.0, loss_sum = 0.0;
    int loss_n = 0;
    if (budget_minutes > 0) trainer.set_budget(budget_minutes * 60);
    const auto t0 = std::chrono::steady_clock::now();
    for (double target : chars_at) {
      while (trained + per_step / 2 < target) {
        if (budget_minutes > 0) trainer.set_clock(trained / page_chars_per_sec);
        const charrnn::StepResult r = trainer.step();
        trained += per_step;
        if (!r.skipped) loss_sum += r.loss, loss_n++;
      }
      const double val = trainer.evaluate();
      if (budget_minutes > 0) trainer.observe_validation(val);
      const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::printf(
          "{\"cell\":\"%s\",\"layers\":%d,\"hidden\":%s,\"embed\":%d,\"dropout\":%g,\"batch\":%d,\"seq\":%d,"
          "\"optimizer\":\"%s\",\"lr\":%g,\"lr_decay\":%g,\"lr_decay_every\":%d,\"chars\":%.0f,\"iteration\":%lld,"
          "\"epoch\":%.3f,\"train_loss\":%.4f,\"val_loss\":%.4f,\"native_seconds\":%.1f,\"budget_minutes\":%g,"
          "\"page_chars_per_sec\":%g,\"lr_now\":%g}\n",
          charrnn::cell_name(mc.cell), mc.layers, hidden_json.c_str(), mc.embed_size, mc.dropout, tc.batch_size,
          tc.seq_len, charrnn::optimizer_name(tc.optimizer), tc.learning_rate, tc.lr_decay, tc.lr_decay_every,
          trained, static_cast<long long>(trainer.iteration()), trainer.epoch_progress(),
          loss_n ? loss_sum / loss_n : 0.0, val, sec, budget_minutes, page_chars_per_sec, trainer.learning_rate());
      std::fflush(stdout);
      loss_sum = 0.0;
      loss_n = 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "charrnn_ttq: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
