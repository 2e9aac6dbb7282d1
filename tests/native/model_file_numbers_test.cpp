// Regression tests from the libFuzzer target (tests/fuzz/, scripts/fuzz.sh): every JSON number the
// loader converts to an integer or a float is checked first, so a hostile value is refused with a
// charrnn::Error that says what is wrong, never converted with undefined behaviour or truncated
// into a different, valid-looking value. Also replays every input kept in tests/fuzz/regressions/.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <typeinfo>
#include <vector>

#include "generation/sampler.h"
#include "test_helpers.h"
#include "text/utf8.h"

namespace charrnn {
namespace {

using nlohmann::json;
using test::error_message;
using test::FileParts;
using test::HasSubstr;
using test::join_file;
using test::load_bytes;
using test::split_file;
using ::testing::StartsWith;

constexpr const char* kRefused = "This model file cannot be used: ";

// Numbers no integer field accepts: fractions, exponents, values past int64, uint64 and the
// IEEE double range of integers, booleans, strings, null.
json huge() { return json::parse("121553912902865797641"); }  // above 2^64: parsed as a double
json past_uint64() { return json::parse("18446744073709551616"); }

class ModelFileNumbers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Trainer t = test::make_trainer(test::small_model_config(CellType::GRU), test::small_train_config());
    t.step();
    model_file_ = new std::string(save_model(t.model(), nullptr, {}));
    SaveOptions o;
    o.checkpoint = true;
    checkpoint_file_ = new std::string(save_model(t.model(), &t, o));
  }
  static void TearDownTestSuite() {
    delete model_file_;
    delete checkpoint_file_;
  }
  static std::string load_error(const FileParts& parts) { return error_message([&] { load_bytes(join_file(parts)); }); }

  // The checkpoint with one entry of one JSON metadata object replaced.
  static FileParts with_meta(const char* meta_key, const char* key, const json& value) {
    FileParts p = split_file(*checkpoint_file_);
    json obj = test::meta_json(p, meta_key);
    obj[key] = value;
    test::set_meta_json(p, meta_key, obj);
    return p;
  }

  static std::string* model_file_;
  static std::string* checkpoint_file_;
};

std::string* ModelFileNumbers::model_file_ = nullptr;
std::string* ModelFileNumbers::checkpoint_file_ = nullptr;

// The fuzzer's first finding (after about 9 million executions): an rng word above 2^64 reached
// nlohmann-json's get<unsigned>() of a double, undefined behaviour (UBSan: "1.21554e+20 is outside
// the range of representable values of type 'unsigned int'").
TEST_F(ModelFileNumbers, RngWordAbove2To64IsRefused) {
  FileParts p = split_file(*checkpoint_file_);
  json st = test::meta_json(p, "trainer_state");
  st["rng"][0] = huge();
  test::set_meta_json(p, "trainer_state", st);
  const std::string msg = load_error(p);
  EXPECT_THAT(msg, StartsWith(kRefused));
  EXPECT_THAT(msg, HasSubstr("its random state is invalid: 'rng' holds " + huge().dump() +
                             ", not a whole number from 0 to 4294967295"));
}

TEST_F(ModelFileNumbers, RngWordsOutsideUint32OrAllZeroAreRefused) {
  for (const json& bad : {json(4294967296LL), json(-1), json(0.5), json(1.0), json(true), json("7"), json(nullptr),
                          past_uint64(), json(std::numeric_limits<uint64_t>::max())}) {
    SCOPED_TRACE(bad.dump());
    json rng = test::meta_json(split_file(*checkpoint_file_), "trainer_state")["rng"];
    rng[3] = bad;
    const std::string msg = load_error(with_meta("trainer_state", "rng", rng));
    EXPECT_THAT(msg, StartsWith(kRefused));
    EXPECT_THAT(msg, HasSubstr("its random state is invalid: 'rng' holds"));
  }
  EXPECT_THAT(load_error(with_meta("trainer_state", "rng", json::array({0, 0, 0, 0}))),
              HasSubstr("its random state is invalid: a generator's four words are all 0"));
  EXPECT_THAT(load_error(with_meta("trainer_state", "rng", json::object())),
              HasSubstr("its random state is invalid: 'rng' is {}, not 4 numbers"));
  // The largest words are fine.
  EXPECT_NO_THROW(load_bytes(join_file(
      with_meta("trainer_state", "rng", json::array({4294967295u, 4294967295u, 4294967295u, 4294967295u})))));
}

TEST_F(ModelFileNumbers, CountersMustBeWholeNumbersBelow2To53) {
  for (const char* key : {"iteration", "epoch", "step_in_epoch", "optimizer_steps"}) {
    for (const json& bad : {huge(), past_uint64(), json(std::numeric_limits<uint64_t>::max()),
                            json(9223372036854775808ull), json((int64_t{1} << 53) + 1), json(2.5), json(3.0),
                            json(1e300), json(true), json("3"), json(nullptr), json::array({1})}) {
      SCOPED_TRACE(std::string(key) + " = " + bad.dump());
      const std::string msg = load_error(with_meta("trainer_state", key, bad));
      EXPECT_THAT(msg, StartsWith(kRefused));
      EXPECT_THAT(msg, HasSubstr("its trainer state's '" + std::string(key) + "' is "));
      EXPECT_THAT(msg, HasSubstr("not a whole number from 0 to 9007199254740992"));
    }
    EXPECT_THAT(load_error(with_meta("trainer_state", key, std::numeric_limits<int64_t>::min())),
                HasSubstr("its trainer state has negative counters ('" + std::string(key) + "' is -9223372036854775808)"));
  }
  // 2^53 itself loads (and resumes: it only counts).
  EXPECT_NO_THROW(load_bytes(join_file(with_meta("trainer_state", "iteration", int64_t{1} << 53))));
}

TEST_F(ModelFileNumbers, LearningRateMustBeFiniteAndInRange) {
  for (const json& bad : {json(1e39), json(-1e39), json(1e300), json(-0.5), json(1e5), json(true), json("0.01"),
                          json(nullptr), huge()}) {
    SCOPED_TRACE(bad.dump());
    const std::string msg = load_error(with_meta("trainer_state", "learning_rate", bad));
    EXPECT_THAT(msg, StartsWith(kRefused));
    EXPECT_THAT(msg, HasSubstr("its trainer state's learning rate is " + bad.dump()));
    EXPECT_THAT(msg, HasSubstr("not a finite number from 0 to 10000"));
  }
  // An integer is a number like any other.
  EXPECT_EQ(load_bytes(join_file(with_meta("trainer_state", "learning_rate", 1))).resumable.learning_rate, 1.0f);
}

TEST_F(ModelFileNumbers, VocabularyCodePointsAreCheckedBeforeConversion) {
  const json good = test::meta_json(split_file(*model_file_), "vocab");
  // 4294967361 = 2^32 + 65 used to become 'A' (65) by truncation: a different, valid-looking vocabulary.
  for (const json& bad : {json(4294967361LL), huge(), past_uint64(), json(65.0), json(6.5e1), json(true), json(nullptr)}) {
    SCOPED_TRACE(bad.dump());
    FileParts p = split_file(*model_file_);
    json v = good;
    v[0] = bad;
    test::set_meta_json(p, "vocab", v);
    const std::string msg = load_error(p);
    EXPECT_THAT(msg, StartsWith(kRefused));
    EXPECT_THAT(msg, HasSubstr("its vocabulary holds " + bad.dump() + ", which is not a code point"));
  }
}

TEST_F(ModelFileNumbers, ModelConfigurationIntegersMustFitAnInt) {
  for (const char* key : {"vocab_size", "embed_size", "hidden_size", "layers"}) {
    // 4294967298 = 2^32 + 2 used to become 2 by truncation, which validate() accepts.
    for (const json& bad : {json(4294967298LL), json(-4294967295LL), huge(), past_uint64(), json(2.0), json(1e1),
                            json(true), json(nullptr), json::object()}) {
      SCOPED_TRACE(std::string(key) + " = " + bad.dump());
      FileParts p = split_file(*model_file_);
      json mc = test::meta_json(p, "model_config");
      mc[key] = bad;
      test::set_meta_json(p, "model_config", mc);
      const std::string msg = load_error(p);
      EXPECT_THAT(msg, StartsWith(kRefused));
      EXPECT_THAT(msg, HasSubstr("its model configuration has an invalid '" + std::string(key) + "' (" + bad.dump() +
                                 ": not a whole number from -2147483648 to 2147483647)"));
    }
  }
  for (const json& bad : {json(1e39), json(-1e300), json(true), json("0.1"), json(nullptr)}) {
    SCOPED_TRACE(bad.dump());
    FileParts p = split_file(*model_file_);
    json mc = test::meta_json(p, "model_config");
    mc["dropout"] = bad;
    test::set_meta_json(p, "model_config", mc);
    EXPECT_THAT(load_error(p), HasSubstr("its model configuration has an invalid 'dropout' (" + bad.dump() +
                                         ": not a finite number)"));
  }
}

TEST_F(ModelFileNumbers, TrainingConfigurationNumbersAreCheckedBeforeConversion) {
  for (const char* key : {"batch_size", "seq_len", "lr_decay_every"}) {
    for (const json& bad : {json(4294967300LL), huge(), json(4.0), json(false)}) {
      SCOPED_TRACE(std::string(key) + " = " + bad.dump());
      const std::string msg = load_error(with_meta("train_config", key, bad));
      EXPECT_THAT(msg, StartsWith(kRefused));
      EXPECT_THAT(msg, HasSubstr("its training configuration has an invalid '" + std::string(key) + "'"));
      EXPECT_THAT(msg, HasSubstr("not a whole number from -2147483648 to 2147483647"));
    }
  }
  for (const char* key : {"learning_rate", "lr_decay", "rmsprop_decay", "adam_beta1", "adam_beta2", "grad_clip",
                          "grad_clip_value", "l2", "val_fraction"}) {
    for (const json& bad : {json(1e39), json(-1e39), json(true), json("0.5"), json(nullptr)}) {
      SCOPED_TRACE(std::string(key) + " = " + bad.dump());
      const std::string msg = load_error(with_meta("train_config", key, bad));
      EXPECT_THAT(msg, StartsWith(kRefused));
      EXPECT_THAT(msg, HasSubstr("its training configuration has an invalid '" + std::string(key) + "'"));
      EXPECT_THAT(msg, HasSubstr("not a finite number"));
    }
  }
  // The seed is a string of digits: no sign, no spaces, no trailing text, no overflow.
  for (const char* bad : {"-1", " 7", "7 ", "7abc", "", "+7", "0x10", "18446744073709551616", "1e3"}) {
    SCOPED_TRACE(bad);
    const std::string msg = load_error(with_meta("train_config", "seed", bad));
    EXPECT_THAT(msg, StartsWith(kRefused));
    EXPECT_THAT(msg, HasSubstr("its training configuration has an invalid 'seed'"));
  }
  EXPECT_THAT(load_error(with_meta("train_config", "seed", 7)), HasSubstr("invalid 'seed' (7: not a string)"));
  EXPECT_EQ(load_bytes(join_file(with_meta("train_config", "seed", "18446744073709551615"))).train_config.seed,
            std::numeric_limits<uint64_t>::max());
}

TEST_F(ModelFileNumbers, TensorShapesAndOffsetsAreCheckedBeforeConversion) {
  for (const json& bad : {huge(), past_uint64(), json(std::numeric_limits<uint64_t>::max()), json(4294967297LL),
                          json(32.0), json(true), json("32")}) {
    SCOPED_TRACE(bad.dump());
    FileParts p = split_file(*model_file_);
    p.header["output.b"]["shape"] = json::array({bad});
    EXPECT_THAT(load_error(p), HasSubstr("'output.b' has an invalid dimension (" + bad.dump() +
                                         ": not a whole number from 0 to 4294967296)"));
  }
  for (const json& bad : {past_uint64(), huge(), json(1e3), json(true)}) {
    SCOPED_TRACE(bad.dump());
    FileParts p = split_file(*model_file_);
    p.header["output.b"]["data_offsets"][1] = bad;
    EXPECT_THAT(load_error(p), HasSubstr("'output.b' has no valid data_offsets"));
  }
  FileParts p = split_file(*model_file_);
  p.header["output.b"]["data_offsets"][1] = std::numeric_limits<uint64_t>::max();
  EXPECT_THAT(load_error(p), HasSubstr("'output.b' has data offsets beyond any file size"));
}

// Not JSON numbers but the same idea: checkpoint values training never writes are refused when
// loading, not discovered later as a run whose every step is silently skipped.
TEST_F(ModelFileNumbers, CheckpointStateThatTrainingNeverWritesIsRefused) {
  auto with_float = [](const char* tensor, float value) {
    FileParts p = split_file(*checkpoint_file_);
    const auto begin = p.header[tensor]["data_offsets"][0].get<size_t>();
    std::memcpy(&p.data[begin + 4], &value, 4);
    return p;
  };
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  for (const char* t : {"optimizer.m.layer0.wh", "optimizer.v.output.b"}) {
    SCOPED_TRACE(t);
    EXPECT_THAT(load_error(with_float(t, nan)),
                ::testing::AllOf(StartsWith(kRefused), HasSubstr("its optimiser state contains NaN values")));
  }
  EXPECT_THAT(load_error(with_float("optimizer.v.embedding", -1e-3f)),
              HasSubstr("its optimiser state holds a negative average of squared gradients"));
  EXPECT_THAT(load_error(with_float("optimizer.v.embedding", -inf)), HasSubstr("negative average of squared gradients"));
  // Adam's first moment has any sign, and a diverging run without clipping can overflow a moment.
  EXPECT_NO_THROW(load_bytes(join_file(with_float("optimizer.m.embedding", -1e-3f))));
  EXPECT_NO_THROW(load_bytes(join_file(with_float("optimizer.v.embedding", inf))));
  for (float bad : {nan, inf, -inf}) {
    EXPECT_THAT(load_error(with_float("state.h.0", bad)),
                ::testing::AllOf(StartsWith(kRefused), HasSubstr("its carried hidden state contains NaN or infinite values")));
  }
  // RMSProp's m is a squared average: negative is refused there.
  Trainer t = test::make_trainer(test::small_model_config(CellType::LSTM), test::small_train_config(OptimizerType::RMSProp));
  t.step();
  SaveOptions o;
  o.checkpoint = true;
  FileParts p = split_file(save_model(t.model(), &t, o));
  const float negative = -0.5f;
  std::memcpy(&p.data[p.header["optimizer.m.output.w"]["data_offsets"][0].get<size_t>()], &negative, 4);
  EXPECT_THAT(load_error(p), HasSubstr("negative average of squared gradients"));
  // And LSTM's cell state is carried state too.
  p = split_file(save_model(t.model(), &t, o));
  std::memcpy(&p.data[p.header["state.c.0"]["data_offsets"][0].get<size_t>() + 8], &inf, 4);
  EXPECT_THAT(load_error(p), HasSubstr("its carried hidden state contains NaN or infinite values"));
}

// Every input the fuzzer once crashed on (tests/fuzz/regressions/) is now either used or refused
// with a charrnn::Error, as the fuzz target itself requires.
TEST(FuzzRegressions, EveryKeptInputLoadsOrIsRefused) {
  namespace fs = std::filesystem;
  const fs::path dir = CHARRNN_FUZZ_REGRESSIONS_DIR;
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  int files = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".safetensors") continue;
    SCOPED_TRACE(e.path().filename().string());
    files++;
    std::ifstream in(e.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // What the fuzz target does with an input (tests/fuzz/load_model_fuzzer.cpp): any outcome but
    // success or a charrnn::Error fails.
    const std::string msg = error_message([&] {
      const LoadedModel loaded = load_bytes(bytes);
      SampleOptions o;
      o.seed = 3;
      sample_text(loaded.model, "", 20, o);
      if (loaded.is_checkpoint) {
        const std::vector<char32_t>& symbols = loaded.model.vocab.symbols();
        std::string text;
        for (size_t i = 0; i < 400; i++) append_utf8(text, symbols[i % symbols.size()]);
        Trainer t(loaded.model, loaded.train_config, text);
        restore_checkpoint(t, loaded);
        t.step();
      }
    });
    EXPECT_THAT(msg, ::testing::Not(HasSubstr("<not a charrnn::Error")));
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace charrnn
