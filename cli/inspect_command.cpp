#include "inspect_command.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "errors.h"
#include "file_io.h"
#include "inspection/inspect.h"
#include "model_loading.h"
#include "inspection/neurons.h"
#include "text/utf8.h"

namespace charrnn_cli {

namespace {

using json = nlohmann::ordered_json;  // keys in the order written: char, top, p_actual, ...

struct Neuron {
  int layer = -1, unit = -1;  // 0-based; layer -1: none chosen
  bool cell_state = false;
};

// "L:U" (both counted from 1, as `charrnn neurons`, the page and the widget show them), optionally
// "L:U:c" for an LSTM's tanh(c).
Neuron parse_neuron(const std::string& spec, const charrnn::Inspection& in) {
  Neuron n;
  if (spec.empty()) return n;
  char state = 'h';
  char extra = 0;
  const int got = std::sscanf(spec.c_str(), "%d:%d:%c%c", &n.layer, &n.unit, &state, &extra);
  if (got < 2 || got > 3 || (state != 'h' && state != 'c'))
    throw charrnn::Error("--neuron takes LAYER:UNIT (counted from 1), or LAYER:UNIT:c for an LSTM's cell state; got '" +
                         spec + "'.");
  std::string units;  // "of units 1 to 128", or per layer "of 256, 128 units"
  for (int h : in.layer_hidden) units += (units.empty() ? "" : ", ") + std::to_string(h);
  const bool uniform = std::all_of(in.layer_hidden.begin(), in.layer_hidden.end(), [&](int h) { return h == in.hidden; });
  units = uniform ? "of units 1 to " + std::to_string(in.hidden) : "of " + units + " units";
  if (n.layer < 1 || n.layer > in.layers || n.unit < 1 || n.unit > in.layer_hidden[static_cast<size_t>(n.layer - 1)])
    throw charrnn::Error("--neuron " + spec + " is outside the model: it has layers 1 to " + std::to_string(in.layers) +
                         " " + units + ".");
  n.layer--, n.unit--;
  n.cell_state = state == 'c';
  if (n.cell_state && !in.has_cell_state) throw charrnn::Error("--neuron " + spec + ": only an LSTM has a cell state.");
  return n;
}

std::string utf8(char32_t cp) {
  std::string s;
  charrnn::append_utf8(s, cp);
  return s;
}

// A character as a terminal shows it: line break, tab and space made visible.
std::string visible(char32_t cp) {
  if (cp == U'\n') return "\\n";
  if (cp == U'\t') return "\\t";
  if (cp == U' ') return "' '";
  if (cp < 0x20 || cp == 0x7F) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
  }
  return utf8(cp);
}

double number_or_null(float x) { return static_cast<double>(x); }

// After the characters: the network's advantage over the n-gram, sum(ln p_net - ln p_ngram), and
// the share of it on characters after a line break, a closing bracket, a quote, against their share
// of the text. With --json one more line: {"advantage": {...}}.
std::string advantage_summary(const charrnn::AdvantageSplit& a, int order, bool as_json) {
  if (as_json) {
    json after = json::array();
    for (const charrnn::AdvantageShare& s : a.by_context)
      after.push_back({{"after", s.after}, {"chars", s.chars}, {"advantage_share", s.advantage_share},
                       {"text_share", s.text_share}});
    return json{{"advantage", {{"order", order}, {"nats", a.total_advantage}, {"chars", a.chars}, {"by_context", after}}}}
               .dump() + "\n";
  }
  char line[200];
  std::snprintf(line, sizeof line, "\nAdvantage over the %d-gram: %.1f nats over %lld characters (%.3f nats/char)\n", order,
                a.total_advantage, static_cast<long long>(a.chars), a.chars > 0 ? a.total_advantage / a.chars : 0.0);
  std::string out = line;
  for (const charrnn::AdvantageShare& s : a.by_context) {
    std::snprintf(line, sizeof line, "  after a %-16s %5.1f%% of the advantage, %5.1f%% of the characters\n",
                  (s.after + ":").c_str(), 100.0 * s.advantage_share, 100.0 * s.text_share);
    out += line;
  }
  return out;
}

// Over the characters after the first that are in the vocabulary (the first has no guess recorded
// before it): the mean cost in nats per character, and how often the likeliest guess was right.
struct Summary {
  int64_t chars = 0, top1 = 0, skipped = 0;  // skipped: outside the vocabulary
  double nats = 0;
};

Summary summarise(const charrnn::Inspection& in) {
  Summary s;
  const size_t K = static_cast<size_t>(in.top_k);
  for (size_t i = 0; i < static_cast<size_t>(in.chars); i++) {
    if (in.ids[i] < 0) {
      s.skipped++;
      continue;
    }
    if (i == 0 || !std::isfinite(in.p_actual[i])) continue;
    s.chars++;
    s.nats -= std::log(static_cast<double>(in.p_actual[i]));
    s.top1 += in.top_ids[(i - 1) * K] == in.ids[i];
  }
  return s;
}

std::string summary_text(const Summary& s, bool as_json) {
  const double mean = s.chars > 0 ? s.nats / static_cast<double>(s.chars) : NAN;
  const double top1 = s.chars > 0 ? static_cast<double>(s.top1) / static_cast<double>(s.chars) : NAN;
  if (as_json)
    return json{{"summary", {{"chars", s.chars}, {"nats_per_char", std::isfinite(mean) ? json(mean) : json(nullptr)},
                             {"top1", std::isfinite(top1) ? json(top1) : json(nullptr)}, {"skipped", s.skipped}}}}
               .dump() + "\n";
  char line[240];
  std::snprintf(line, sizeof line,
                "\n%lld characters after the first: %.3f nats/char on average; the top guess was the character that "
                "came %.1f%% of the time",
                static_cast<long long>(s.chars), mean, 100.0 * top1);
  std::string out = line;
  if (s.skipped > 0) out += " (" + std::to_string(s.skipped) + " outside the vocabulary, skipped)";
  return out + ".\n";
}

// The column names above the table, aligned with its rows.
std::string header(const std::string& neuron, bool ngram, int top_k) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%-6s %-8s", "char", "p(char)");
  std::string out = buf;
  if (!neuron.empty()) {
    std::snprintf(buf, sizeof buf, " %-10s", ("act " + neuron).c_str());
    out += buf;
  }
  if (ngram) out += " p(n-gram)  ";
  std::snprintf(buf, sizeof buf, "  next: the %d likeliest next characters, with their probabilities\n", top_k);
  return out + buf;
}

}  // namespace

int run_inspect(const InspectOptions& o, const VsNgramOptions& vs) {
  const charrnn::LoadedModel loaded = load_model_file(o.model);
  const charrnn::Model& m = loaded.model;
  const charrnn::Inspection in = charrnn::inspect_text(m, read_file(o.text, "text to inspect"), {o.top_k});
  const Neuron neuron = parse_neuron(o.neuron, in);
  const std::vector<float> p_ngram = vs.order > 0 ? ngram_p_actual_for(m, in, vs) : std::vector<float>{};
  const size_t N = static_cast<size_t>(in.chars), H = static_cast<size_t>(in.hidden), K = static_cast<size_t>(in.top_k);
  auto activation = [&](size_t i) {
    const std::vector<float>& a = neuron.cell_state ? in.c : in.h;
    return a[(static_cast<size_t>(neuron.layer) * N + i) * H + static_cast<size_t>(neuron.unit)];
  };
  std::string out = o.json ? "" : header(o.neuron, !p_ngram.empty(), in.top_k);
  for (size_t i = 0; i < N; i++) {
    if (o.json) {
      json line{{"char", utf8(in.text[i])}};
      json top = json::array();
      for (size_t k = 0; k < K; k++) {
        const int32_t id = in.top_ids[i * K + k];
        top.push_back({utf8(m.vocab.symbols()[static_cast<size_t>(id)]), in.top_probs[i * K + k]});
      }
      line["top"] = top;
      const float p = in.p_actual[i];
      line["p_actual"] = std::isfinite(p) ? json(number_or_null(p)) : json(nullptr);
      if (in.ids[i] < 0) line["in_vocabulary"] = false;
      if (neuron.layer >= 0) line["activation"] = activation(i);
      if (!p_ngram.empty()) line["p_ngram"] = p_ngram[i];
      out += line.dump() + "\n";
    } else {
      char head[64];
      const float p = in.p_actual[i];
      std::snprintf(head, sizeof head, "%-6s p=%-6s", visible(in.text[i]).c_str(),
                    std::isfinite(p) ? (std::to_string(p).substr(0, 5)).c_str() : "-");
      out += head;
      if (neuron.layer >= 0) {
        char act[32];
        std::snprintf(act, sizeof act, " act=%+.3f", activation(i));
        out += act;
      }
      if (!p_ngram.empty()) {
        char ngram[32];
        std::snprintf(ngram, sizeof ngram, " ngram=%.3f", p_ngram[i]);
        out += ngram;
      }
      out += "  next:";
      for (size_t k = 0; k < K; k++) {
        char guess[64];
        const int32_t id = in.top_ids[i * K + k];
        std::snprintf(guess, sizeof guess, " %s %.3f", visible(m.vocab.symbols()[static_cast<size_t>(id)]).c_str(),
                      in.top_probs[i * K + k]);
        out += guess;
      }
      if (in.ids[i] < 0) out += "  (not in the vocabulary: skipped)";
      out += "\n";
    }
  }
  out += summary_text(summarise(in), o.json);
  if (!p_ngram.empty()) out += advantage_summary(charrnn::split_advantage(in.text, in.p_actual, p_ngram), vs.order, o.json);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) throw charrnn::Error("Cannot write to standard output.");
  return 0;
}

int run_neurons(const NeuronsOptions& o) {
  const std::vector<std::string> names = charrnn::text_property_names();
  for (const std::string& wanted : o.properties)
    if (std::find(names.begin(), names.end(), wanted) == names.end()) {
      std::string list;
      for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
      throw charrnn::Error("--property '" + wanted + "' is not a property. Use one of: " + list + ".");
    }
  const charrnn::LoadedModel loaded = load_model_file(o.model);
  const charrnn::Inspection in = charrnn::inspect_text(loaded.model, read_file(o.text, "text to inspect"), {1});
  const std::vector<charrnn::PropertyRanking> ranks = charrnn::rank_neurons(in, o.per_property);
  std::string out;
  for (const charrnn::PropertyRanking& r : ranks) {
    if (!o.properties.empty() && std::find(o.properties.begin(), o.properties.end(), r.property) == o.properties.end())
      continue;
    if (o.json) {
      json best = json::array();
      for (const charrnn::NeuronScore& s : r.best)
        best.push_back({{"layer", s.layer + 1}, {"unit", s.unit + 1}, {"state", s.cell_state ? "c" : "h"}, {"r", s.r}});
      out += json{{"property", r.property}, {"varies", r.varies}, {"best", best}}.dump() + "\n";
      continue;
    }
    out += r.property + " (" + r.description + "):\n";
    if (!r.varies) out += "  does not vary in this text\n";
    for (const charrnn::NeuronScore& s : r.best) {
      char name[32], line[96];
      std::snprintf(name, sizeof name, "%d:%d%s", s.layer + 1, s.unit + 1, s.cell_state ? ":c" : "");
      std::snprintf(line, sizeof line, "  %-9s r = %+.3f\n", name, s.r);
      out += line;
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) throw charrnn::Error("Cannot write to standard output.");
  return 0;
}

}  // namespace charrnn_cli
