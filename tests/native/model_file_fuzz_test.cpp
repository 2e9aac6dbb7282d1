// Random corruption of real model files and checkpoints: byte flips, truncations and edge values
// in the JSON header. Every result must either load and be usable (sampling; for checkpoints,
// resuming a training step) or be refused with a charrnn::Error: never a crash, never another
// exception type. (Run it under -fsanitize=address,undefined to catch out-of-bounds reads too.)
#include <cstdint>
#include <limits>
#include <string>
#include <typeinfo>
#include <vector>

#include "generation/sampler.h"
#include "test_helpers.h"

namespace charrnn {
namespace {

using nlohmann::json;
using test::FileParts;
using test::join_file;
using test::load_bytes;
using test::split_file;

// A small LSTM trained two steps with Adam (so the checkpoint has moments and carried state).
Trainer& trained() {
  static Trainer* t = [] {
    auto* trainer = new Trainer(create_model_for_text(test::small_text(), test::small_model_config(CellType::LSTM),
                                                      test::small_train_config()),
                                test::small_train_config(), test::small_text());
    trainer->step();
    trainer->step();
    return trainer;
  }();
  return *t;
}

// What a loaded file is used for: sampling, and for checkpoints resuming training. A file that
// loads must be usable without crashing (it may still be refused with a charrnn::Error).
void use(const LoadedModel& loaded, const std::string& text) {
  SampleOptions o;
  o.seed = 3;
  sample_text(loaded.model, "", 8, o);
  if (loaded.is_checkpoint) {
    Trainer t(loaded.model, loaded.train_config, text);
    restore_checkpoint(t, loaded);
    t.step();
  }
}

struct FuzzOutcomes {
  int used = 0, refused = 0;
};

// Loads and uses `bytes`; anything but success or a charrnn::Error is a failure.
void expect_load_or_error(const std::string& bytes, int iteration, FuzzOutcomes& outcomes) {
  try {
    use(load_bytes(bytes), test::small_text());
    outcomes.used++;
  } catch (const Error&) {
    outcomes.refused++;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "iteration " << iteration << ": escaped as " << typeid(e).name() << ": " << e.what();
  }
}

// Random byte flips (biased towards the header, where the structure is) and truncations.
FuzzOutcomes fuzz_bytes(const std::string& original, int iterations, uint64_t seed) {
  FuzzOutcomes outcomes;
  Rng rng(seed);
  const size_t header_end = 8 + split_file(original).header.dump().size();
  for (int i = 0; i < iterations; i++) {
    std::string bytes = original;
    if (rng.next_u32() % 4 == 0) {
      bytes.resize(rng.next_u32() % bytes.size());
    } else {
      const int flips = 1 + static_cast<int>(rng.next_u32() % 4);
      for (int k = 0; k < flips; k++) {
        const size_t range = rng.next_u32() % 2 ? header_end : bytes.size();
        bytes[rng.next_u32() % range] ^= static_cast<char>(1 + rng.next_u32() % 255);
      }
    }
    expect_load_or_error(bytes, i, outcomes);
  }
  return outcomes;
}

// Structured corruption: a random number in a random tensor's shape or offsets, or a random
// configuration field, set to an edge value. Gets past the JSON parser, unlike most byte flips.
FuzzOutcomes fuzz_header(const std::string& original, int iterations, uint64_t seed) {
  FuzzOutcomes outcomes;
  Rng rng(seed);
  const FileParts parts = split_file(original);
  std::vector<std::string> tensors;
  for (auto it = parts.header.begin(); it != parts.header.end(); ++it)
    if (it.key() != "__metadata__") tensors.push_back(it.key());
  const std::vector<json> edge = {-1, 0, 1, 2, 3, 7, 64, 65535, 65536, 2147483647LL, 4294967296LL,
                                  std::numeric_limits<int64_t>::max(), 1.5, -0.0, "x", nullptr};
  const char* config_fields[] = {"vocab_size", "embed_size", "hidden_size", "layers"};
  for (int i = 0; i < iterations; i++) {
    FileParts p = parts;
    const json& value = edge[rng.next_u32() % edge.size()];
    if (rng.next_u32() % 3 == 0) {
      json mc = test::meta_json(p, "model_config");
      mc[config_fields[rng.next_u32() % 4]] = value;
      test::set_meta_json(p, "model_config", mc);
    } else {
      json& t = p.header[tensors[rng.next_u32() % tensors.size()]];
      json& field = rng.next_u32() % 2 ? t["shape"] : t["data_offsets"];
      if (field.empty()) field.push_back(value);
      else field[rng.next_u32() % field.size()] = value;
    }
    expect_load_or_error(join_file(p), i, outcomes);
  }
  return outcomes;
}

// Both outcomes must occur, or the corruption is not reaching the interesting cases.
void expect_both_outcomes(const FuzzOutcomes& o, const char* what) {
  EXPECT_GT(o.used, 0) << what << ": no corrupted file was usable (is the corruption too blunt?)";
  EXPECT_GT(o.refused, 0) << what << ": no corrupted file was refused";
}

TEST(ModelFileFuzz, RandomCorruptionOfAModelNeverCrashes) {
  const std::string file = save_model(trained().model(), nullptr, {});
  expect_both_outcomes(fuzz_bytes(file, 2000, 1), "byte flips");
  expect_both_outcomes(fuzz_header(file, 500, 2), "header edits");
}

TEST(ModelFileFuzz, RandomCorruptionOfACheckpointNeverCrashes) {
  SaveOptions checkpoint;
  checkpoint.checkpoint = true;
  const std::string file = save_model(trained().model(), &trained(), checkpoint);
  expect_both_outcomes(fuzz_bytes(file, 2000, 3), "byte flips");
  expect_both_outcomes(fuzz_header(file, 500, 4), "header edits");
}

}  // namespace
}  // namespace charrnn
