#include "inspection/neurons.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "errors.h"

namespace charrnn {

namespace {

bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' || c == '_';
  // Beyond ASCII: letters of other scripts, but not their punctuation, spaces and symbols.
  return !(c == 0xA0 || (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) || c == 0xFEFF);
}

}  // namespace

std::vector<TextProperty> text_properties(const std::vector<char32_t>& text) {
  const size_t N = text.size();
  TextProperty quotes{"inside quotes", "1 between an opening and a closing double quote (\" or “ ”), else 0", {}};
  TextProperty line{"line position", "characters since the last line break", {}};
  TextProperty depth{"bracket depth", "open (, [ and { not yet closed", {}};
  TextProperty comment{"inside a comment", "1 inside /* */, or after // or # up to the line's end, else 0", {}};
  TextProperty indent{"indentation", "leading spaces and tabs of the current line", {}};
  TextProperty word{"inside a word", "1 on letters, digits, ' and _, else 0", {}};
  for (TextProperty* p : {&quotes, &line, &depth, &comment, &indent, &word}) p->values.resize(N);
  bool in_quotes = false, in_block = false, in_line_comment = false, at_line_start = true;
  int column = 0, brackets = 0, indentation = 0, block_chars = 0;
  for (size_t i = 0; i < N; i++) {
    const char32_t ch = text[i];
    const char32_t prev = i > 0 ? text[i - 1] : U'\n';
    if (ch == U'\n') {
      column = 0, indentation = 0, at_line_start = true, in_line_comment = false;
    } else {
      column++;
      if (at_line_start && (ch == U' ' || ch == U'\t')) indentation++;
      else at_line_start = false;
    }
    if (ch == U'"') in_quotes = !in_quotes;
    else if (ch == U'“') in_quotes = true;
    else if (ch == U'”') in_quotes = false;
    if (ch == U'(' || ch == U'[' || ch == U'{') brackets++;
    else if ((ch == U')' || ch == U']' || ch == U'}') && brackets > 0) brackets--;
    bool closing = false;  // the "/" of "*/" still belongs to the comment
    if (in_block) {
      if (prev == U'*' && ch == U'/' && block_chars > 0) in_block = false, closing = true;
      block_chars++;
    } else if (!in_line_comment) {
      if (prev == U'/' && ch == U'*') in_block = true, block_chars = 0;
      else if ((prev == U'/' && ch == U'/') || ch == U'#') in_line_comment = true;
    }
    quotes.values[i] = in_quotes ? 1.0f : 0.0f;
    line.values[i] = static_cast<float>(column);
    depth.values[i] = static_cast<float>(brackets);
    comment.values[i] = in_block || in_line_comment || closing ? 1.0f : 0.0f;
    indent.values[i] = static_cast<float>(indentation);
    word.values[i] = ch != U'\n' && is_word_char(ch) ? 1.0f : 0.0f;
  }
  return {quotes, line, depth, comment, indent, word};
}

double pearson(const float* x, size_t x_stride, const float* y, size_t n) {
  if (n < 2) return 0.0;
  double mx = 0.0, my = 0.0;
  for (size_t i = 0; i < n; i++) mx += x[i * x_stride], my += y[i];
  mx /= static_cast<double>(n), my /= static_cast<double>(n);
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (size_t i = 0; i < n; i++) {
    const double dx = x[i * x_stride] - mx, dy = y[i] - my;
    sxy += dx * dy, sxx += dx * dx, syy += dy * dy;
  }
  if (sxx <= 0.0 || syy <= 0.0) return 0.0;
  return sxy / std::sqrt(sxx * syy);
}

std::vector<PropertyRanking> rank_neurons(const Inspection& in, int per_property) {
  if (per_property < 1) throw Error("Ask for at least one neuron per property.");
  const size_t N = static_cast<size_t>(in.chars), H = static_cast<size_t>(in.hidden);
  std::vector<PropertyRanking> out;
  for (const TextProperty& p : text_properties(in.text)) {
    PropertyRanking rank{p.name, p.description, false, {}};
    rank.varies = std::any_of(p.values.begin(), p.values.end(), [&](float v) { return v != p.values[0]; });
    if (rank.varies) {
      std::vector<NeuronScore> all;
      for (int state = 0; state < (in.has_cell_state ? 2 : 1); state++) {
        const std::vector<float>& acts = state ? in.c : in.h;
        for (int l = 0; l < in.layers; l++) {
          // Layer l's own units only: past H_l a row is padding (inspect.h).
          const size_t H_l = in.layer_hidden.empty() ? H : static_cast<size_t>(in.layer_hidden[static_cast<size_t>(l)]);
          for (size_t u = 0; u < H_l; u++) {
            const float* x = acts.data() + static_cast<size_t>(l) * N * H + u;  // [L, N, H]: stride H over N
            all.push_back({l, static_cast<int>(u), state == 1, static_cast<float>(pearson(x, H, p.values.data(), N))});
          }
        }
      }
      const size_t k = std::min(all.size(), static_cast<size_t>(per_property));
      std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(),
                        [](const NeuronScore& a, const NeuronScore& b) {
                          const float fa = std::fabs(a.r), fb = std::fabs(b.r);
                          if (fa != fb) return fa > fb;
                          return std::tie(a.layer, a.cell_state, a.unit) < std::tie(b.layer, b.cell_state, b.unit);
                        });
      rank.best.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k));
    }
    out.push_back(std::move(rank));
  }
  return out;
}

}  // namespace charrnn
