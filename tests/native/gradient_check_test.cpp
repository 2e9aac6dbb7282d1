// Finite-difference gradient checks of model_backward against model_forward, for every cell type,
// 1-3 layer stacks, per-layer hidden sizes (wider and narrower layers above each other) and dropout, over every element of every parameter tensor (the tensors are
// tiny), starting from a non-zero carried state so the h0/c0 path is exercised.
//
// The engine is float32, so the numeric gradient is a central difference with a fairly large step
// and the comparison allows |num - ana| <= kAbsTol + kRelTol * max(|num|, |ana|). Verified to fail
// on a dropped LSTM dc_next term, a flipped GRU sign and a dropped dropout mask in the backward pass.
#include <cmath>
#include <string>
#include <vector>

#include "training/shard.h"
#include "numerics/softmax_loss.h"
#include "test_helpers.h"

namespace charrnn {
namespace {

constexpr float kStep = 5e-3f;
constexpr double kAbsTol = 1e-4;
constexpr double kRelTol = 2e-2;
// Tensor-level bound: ||num - ana|| / (||num|| + ||ana||), much tighter than any single element.
constexpr double kTensorRelTol = 1e-2;

struct Problem {
  Model model;
  int B, T;
  std::vector<int32_t> inputs, targets;
  RecurrentState state;
  uint64_t dropout_seed = 99;
};

// hidden_sizes: one per layer, or empty for every layer at 5 units.
Problem make_problem(CellType cell, int layers, float dropout, int B, int T, std::vector<int> hidden_sizes = {}) {
  ModelConfig c;
  c.cell = cell;
  c.vocab_size = 5;
  c.embed_size = 3;
  c.hidden_size = 5;
  c.hidden_sizes = std::move(hidden_sizes);
  c.layers = layers;
  c.dropout = dropout;
  Problem p{Model::create(c, Vocab::from_code_points({U'a', U'b', U'c', U'd', U'e'}), 1234), B, T, {}, {}, {}};
  Rng rng(5678);
  // Larger-than-initial weights so gates are away from 0.5 and every term matters.
  for (float& w : p.model.params) w *= 2.0f;
  // Inputs use ids 0..3 only, so the embedding row of id 4 must get exactly zero gradient.
  for (int i = 0; i < T * B; i++) {
    p.inputs.push_back(static_cast<int32_t>(rng.next_u32() % 4));
    p.targets.push_back(static_cast<int32_t>(rng.next_u32() % 5));
  }
  p.state.resize(c, B);
  for (auto& h : p.state.h) for (float& v : h) v = rng.uniform(-0.8f, 0.8f);
  for (auto& cs : p.state.c) for (float& v : cs) v = rng.uniform(-1.5f, 1.5f);
  return p;
}

// One dropout generator per stream, the same ones every time: the same masks for every call.
std::vector<Rng> stream_rngs(const Problem& p) {
  std::vector<Rng> rngs;
  for (int b = 0; b < p.B; b++) rngs.emplace_back(p.dropout_seed + static_cast<uint64_t>(b));
  return rngs;
}

// Mean loss (as model_backward differentiates it), with the same dropout masks every time.
double mean_loss(Problem& p, Activations& acts) {
  std::vector<Rng> rngs = stream_rngs(p);
  const double sum = model_forward(p.model, acts, p.state, p.inputs.data(), p.targets.data(), p.B, p.T,
                                   p.model.config.dropout > 0.0f ? rngs.data() : nullptr);
  return sum / (static_cast<double>(p.B) * p.T);
}

// The gradient as a trainer with `shards` shards computes it: each shard's streams (with their
// slice of the carried state and their own dropout generators), summed in shard order.
std::vector<float> analytic_gradient(Problem& p, Activations& acts, int shards = 1) {
  if (shards == 1) {
    std::vector<float> grads(p.model.params.size(), 0.0f);
    mean_loss(p, acts);
    model_backward(p.model, acts, p.inputs.data(), p.targets.data(), p.B, p.T, grads.data(),
                   1.0f / static_cast<float>(p.B * p.T));
    return grads;
  }
  std::vector<float> sum(p.model.params.size(), 0.0f);
  std::vector<Rng> rngs = stream_rngs(p);
  for (int s = 0; s < shards; s++) {
    const int first = shard_first_stream(p.B, shards, s), count = shard_first_stream(p.B, shards, s + 1) - first;
    Shard shard;
    shard.allocate(p.model.config, first, count, p.T, p.model.params.size());
    for (int l = 0; l < p.model.config.layers; l++) {
      const size_t L = static_cast<size_t>(l);
      const int H = p.model.config.hidden(l);
      std::copy_n(p.state.h[L].begin() + first * H, count * H, shard.state.h[L].begin());
      std::copy_n(p.state.c[L].begin() + first * H, count * H, shard.state.c[L].begin());
    }
    shard.run(p.model, p.inputs.data(), p.targets.data(), p.B, p.T,
              p.model.config.dropout > 0.0f ? rngs.data() : nullptr);
    for (size_t i = 0; i < sum.size(); i++) sum[i] += shard.grads[i];
  }
  return sum;
}

double numeric_gradient(Problem& p, Activations& acts, size_t index) {
  float& w = p.model.params[index];
  const float saved = w;
  w = saved + kStep;
  const double up = mean_loss(p, acts);
  w = saved - kStep;
  const double down = mean_loss(p, acts);
  w = saved;
  return (up - down) / (2.0 * static_cast<double>(kStep));
}

// Checks every element of every tensor; reports the worst elements by name.
void check_all_tensors(Problem& p, int shards = 1) {
  Activations acts;
  acts.allocate(p.model.config, p.B, p.T);
  const std::vector<float> ana = analytic_gradient(p, acts, shards);
  for (const TensorSlot& t : p.model.layout.tensors) {
    double diff_sq = 0, num_sq = 0, ana_sq = 0;
    int bad = 0;
    for (size_t i = 0; i < t.size; i++) {
      const double num = numeric_gradient(p, acts, t.offset + i);
      const double a = ana[t.offset + i];
      diff_sq += (num - a) * (num - a);
      num_sq += num * num;
      ana_sq += a * a;
      if (std::abs(num - a) > kAbsTol + kRelTol * std::max(std::abs(num), std::abs(a)) && bad++ < 3)
        ADD_FAILURE() << t.name << "[" << i << "]: numeric " << num << " vs analytic " << a;
    }
    const double rel = std::sqrt(diff_sq) / (std::sqrt(num_sq) + std::sqrt(ana_sq) + 1e-12);
    EXPECT_LT(rel, kTensorRelTol) << t.name << ": relative error of the whole tensor";
    EXPECT_GT(num_sq, 0.0) << t.name << ": no gradient at all (the check would prove nothing)";
    EXPECT_EQ(bad, 0) << t.name << ": " << bad << " of " << t.size << " elements disagree";
  }
}

struct Case {
  CellType cell;
  int layers;
  float dropout;
  std::vector<int> hidden_sizes = {};  // empty: every layer 5 units
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string sizes;
  for (int h : info.param.hidden_sizes) sizes += "_" + std::to_string(h);
  return std::string(cell_name(info.param.cell)) + "_" + std::to_string(info.param.layers) + "layers" +
         (sizes.empty() ? "" : "_hidden" + sizes) + (info.param.dropout > 0 ? "_dropout" : "");
}

class GradientCheck : public ::testing::TestWithParam<Case> {};

TEST_P(GradientCheck, EveryParameterMatchesFiniteDifferences) {
  const Case c = GetParam();
  Problem p = make_problem(c.cell, c.layers, c.dropout, /*B=*/3, /*T=*/4, c.hidden_sizes);
  check_all_tensors(p);
}

INSTANTIATE_TEST_SUITE_P(
    Cells, GradientCheck,
    ::testing::Values(Case{CellType::RNN, 1, 0}, Case{CellType::LSTM, 1, 0}, Case{CellType::GRU, 1, 0},
                      Case{CellType::RNN, 2, 0}, Case{CellType::LSTM, 2, 0}, Case{CellType::GRU, 2, 0},
                      Case{CellType::RNN, 3, 0}, Case{CellType::LSTM, 3, 0}, Case{CellType::GRU, 3, 0},
                      Case{CellType::RNN, 2, 0.3f}, Case{CellType::LSTM, 2, 0.3f}, Case{CellType::GRU, 3, 0.3f},
                      // Per-layer sizes: a layer's input is the one below's width, the output
                      // layer's the top's; narrower above (7, 4), wider above (3, 6), both (6, 3, 5).
                      Case{CellType::RNN, 2, 0, {7, 4}}, Case{CellType::LSTM, 2, 0, {7, 4}},
                      Case{CellType::GRU, 2, 0, {7, 4}}, Case{CellType::RNN, 2, 0, {3, 6}},
                      Case{CellType::LSTM, 2, 0, {3, 6}}, Case{CellType::GRU, 2, 0, {3, 6}},
                      Case{CellType::RNN, 3, 0.3f, {6, 3, 5}}, Case{CellType::LSTM, 3, 0.3f, {6, 3, 5}},
                      Case{CellType::GRU, 3, 0.3f, {6, 3, 5}}),
    case_name);

// The embedding gradient is dx of the first layer scattered to the rows of the input ids:
// rows of ids that never occur get nothing; a row used several times sums its uses.
TEST(GradientCheckEmbedding, RowsOfUnusedIdsGetZeroAndUsedRowsMatch) {
  for (CellType cell : {CellType::RNN, CellType::LSTM, CellType::GRU}) {
    SCOPED_TRACE(cell_name(cell));
    Problem p = make_problem(cell, 2, 0.0f, 2, 5);
    Activations acts;
    acts.allocate(p.model.config, p.B, p.T);
    const std::vector<float> ana = analytic_gradient(p, acts);
    const int E = p.model.config.embed_size;
    const size_t unused_row = p.model.layout.embedding + 4 * static_cast<size_t>(E);
    for (int e = 0; e < E; e++) EXPECT_EQ(ana[unused_row + static_cast<size_t>(e)], 0.0f);
    double max_diff = 0;
    for (size_t i = p.model.layout.embedding; i < unused_row; i++)
      max_diff = std::max(max_diff, std::abs(numeric_gradient(p, acts, i) - ana[i]));
    EXPECT_LT(max_diff, kAbsTol * 3);
  }
}

// A longer unroll (T=5, B=2) through the carried state: gradients must still agree.
TEST(GradientCheckLongerUnroll, LstmAndGruWithCarriedState) {
  for (CellType cell : {CellType::LSTM, CellType::GRU}) {
    SCOPED_TRACE(cell_name(cell));
    Problem p = make_problem(cell, 2, 0.0f, 2, 5);
    check_all_tensors(p);
  }
}

// Data parallelism: the batch's streams split over 2 and 3 shards (uneven: 5 streams), each with
// its slice of the carried state and its streams' dropout masks, summed: still the gradient of the
// whole batch's mean loss.
TEST(GradientCheckShards, UnevenShardsSumToTheBatchGradient) {
  for (const Case& c : {Case{CellType::LSTM, 2, 0.3f}, Case{CellType::GRU, 2, 0.3f}, Case{CellType::RNN, 1, 0},
                        Case{CellType::LSTM, 2, 0.3f, {6, 3}}}) {
    for (int shards : {2, 3}) {
      SCOPED_TRACE(std::string(cell_name(c.cell)) + ", " + std::to_string(shards) + " shards");
      Problem p = make_problem(c.cell, c.layers, c.dropout, /*B=*/5, /*T=*/3, c.hidden_sizes);
      check_all_tensors(p, shards);
    }
  }
}

// The softmax cross-entropy on its own: d(sum loss * scale)/d(logits) = (p - onehot) * scale.
TEST(GradientCheckSoftmax, MatchesFiniteDifferencesOfTheLoss) {
  const int N = 3, V = 5;
  Rng rng(3);
  std::vector<float> logits(N * V);
  for (float& x : logits) x = rng.uniform(-3.0f, 3.0f);
  const std::vector<int32_t> targets = {0, 3, 4};
  const float scale = 0.5f;
  std::vector<float> grad = logits;
  softmax_cross_entropy_forward(grad.data(), targets.data(), N, V);
  softmax_cross_entropy_backward(grad.data(), targets.data(), N, V, scale);
  for (int i = 0; i < N * V; i++) {
    std::vector<float> up = logits, down = logits;
    up[static_cast<size_t>(i)] += kStep;
    down[static_cast<size_t>(i)] -= kStep;
    const double num = scale *
                       (softmax_cross_entropy_forward(up.data(), targets.data(), N, V) -
                        softmax_cross_entropy_forward(down.data(), targets.data(), N, V)) /
                       (2.0 * kStep);
    EXPECT_NEAR(num, grad[static_cast<size_t>(i)], 1e-4) << "logit " << i;
  }
  // And the loss value itself: -log softmax(target).
  std::vector<float> row(logits.begin(), logits.begin() + V);
  double z = 0;
  for (float x : row) z += std::exp(static_cast<double>(x));
  const double expected = std::log(z) - row[0];
  EXPECT_NEAR(softmax_cross_entropy_forward(row.data(), targets.data(), 1, V), expected, 1e-5);
}

}  // namespace
}  // namespace charrnn
