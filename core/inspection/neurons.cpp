#include "inspection/neurons.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "errors.h"
#include "inspection/code_syntax.h"

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
  CodeSyntax syntax = code_syntax(text);
  TextProperty quotes{"inside quotes", "1 inside a double-quoted string (\" or “ ”; not in comments, \\\" does not close it), else 0",
                      std::move(syntax.in_string)};
  TextProperty line{"line position", "characters since the last line break", {}};
  TextProperty depth{"bracket depth", "open (, [ and { not yet closed, outside strings and comments",
                     std::move(syntax.bracket_depth)};
  TextProperty comment{"inside a comment", "1 inside /* */, or after // or # (not #include, #define...) up to the line's end, else 0",
                       std::move(syntax.in_comment)};
  TextProperty indent{"indentation", "leading spaces and tabs of the current line", {}};
  TextProperty word{"inside a word", "1 on letters, digits, ' and _, else 0", {}};
  TextProperty if_condition{"inside an if condition", "1 from the keyword if to the ) that closes its condition, else 0",
                            std::move(syntax.in_if_condition)};
  TextProperty if_statement{"inside an if statement",
                            "1 from the keyword if to the end of its body (its { } block or its one statement), else 0",
                            std::move(syntax.in_if_statement)};
  for (TextProperty* p : {&line, &indent, &word}) p->values.resize(N);
  bool at_line_start = true;
  int column = 0, indentation = 0;
  for (size_t i = 0; i < N; i++) {
    const char32_t ch = text[i];
    if (ch == U'\n') {
      column = 0, indentation = 0, at_line_start = true;
    } else {
      column++;
      if (at_line_start && (ch == U' ' || ch == U'\t')) indentation++;
      else at_line_start = false;
    }
    line.values[i] = static_cast<float>(column);
    indent.values[i] = static_cast<float>(indentation);
    word.values[i] = ch != U'\n' && is_word_char(ch) ? 1.0f : 0.0f;
  }
  return {quotes, line, depth, comment, indent, word, if_condition, if_statement};
}

std::vector<std::string> text_property_names() {
  std::vector<std::string> names;
  for (const TextProperty& p : text_properties({})) names.push_back(p.name);
  return names;
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
