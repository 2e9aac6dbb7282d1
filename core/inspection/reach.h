// How far back the network remembers ("Visualizing and Understanding Recurrent Networks",
// Karpathy, Johnson, Fei-Fei 2015, section 4.4, after their figure of the gradient's reach): for
// a position t of a text, the size of d ln p(x_t | x_<t) / d e_{t-k}, the gradient of the log
// probability of the character that came with respect to the embedded input k steps back,
//   size(t, k) = || d ln p(x_t | x_<t) / d e_{t-k} ||_2    (over the E embedding components)
// for k = 1..D; and over a text, its mean by distance over a sample of positions.
//
// Each position costs one forward and one backward pass over its D-step window, the model's own
// (model_forward / model_backward, dropout off), from a one-hot loss gradient at t: the loss is
// -ln p(x_t | ...) at the window's last step and no target at the others, so model_backward's
// d loss / d embedded inputs is the strip (with its sign turned). The state before the window is
// carried from the text's start as the inspection reads it (a line break first when the
// vocabulary has one), streamed forward once; it receives no gradient (truncated at D).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"

namespace charrnn {

constexpr int kDefaultReachDistance = 50;
constexpr int kMaxReachDistance = 1000;
constexpr int kDefaultReachSamples = 200;

struct ReachOptions {
  int max_distance = kDefaultReachDistance;  // D, 1..kMaxReachDistance
  int samples = kDefaultReachSamples;  // positions averaged, evenly spaced; 0: every position
};

// The gradients of ln p(x_t | x_<t) at positions of one text, asked in ascending order of t.
class ReachProbe {
 public:
  // Throws charrnn::Error for an empty text, characters outside the model's vocabulary, or a
  // distance outside 1..kMaxReachDistance.
  ReachProbe(const Model& model, const std::string& utf8_text, int max_distance);

  int chars() const { return static_cast<int>(ids_.size()); }
  int embed_size() const { return model_.config.embed_size; }

  // [K, E] with K = min(D, t): row k-1 is d ln p(x_t | x_<t) / d e_{t-k}. t in 1..chars()-1, not
  // before the last position asked (the carried state only moves forward).
  const std::vector<float>& gradient_at(int t);
  // [K]: the rows' norms.
  std::vector<float> sizes_at(int t);

 private:
  void read_up_to(int position);  // carries state_ over ids_[streamed_, position)

  const Model& model_;
  std::vector<int32_t> ids_;  // [N]
  int D_ = 0, streamed_ = 0, last_t_ = 0;
  RecurrentState state_;  // after the start context and ids_[0, streamed_)
  Activations acts_;  // B = 1, T = D, with the backward buffers
  std::vector<int32_t> targets_;  // [D]
  std::vector<float> grads_, d_embedded_, gradient_;  // [params], [D, E], [K, E]
};

struct Reach {
  int max_distance = 0;  // D
  std::vector<int32_t> positions;  // the positions averaged, ascending
  std::vector<double> by_distance;  // [D] the mean size at distance k = 1..D over the positions that reach k
  std::vector<int64_t> counts;  // [D] how many positions reach distance k
};

// The positions a text of `chars` characters is averaged over: from the first that reaches D back
// (1 when the text is shorter) to the last, evenly spaced, at most `samples` of them (0: all).
// A caller that spreads the work (the page, a few positions at a time) asks a ReachProbe for these.
std::vector<int32_t> reach_positions(int chars, int max_distance, int samples);

// reach_positions' positions, their strips averaged by distance.
Reach reach_over_text(const Model& model, const std::string& utf8_text, const ReachOptions& options = {});

// One position's strip [min(D, t)], nearest first.
std::vector<float> reach_at(const Model& model, const std::string& utf8_text, int position,
                            int max_distance = kDefaultReachDistance);

}  // namespace charrnn
