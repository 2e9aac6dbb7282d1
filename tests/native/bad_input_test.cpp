// Bad text and bad settings: each is refused with a charrnn::Error whose message says what is
// wrong, before anything is allocated, and a refused change leaves a trainer as it was.
#include <string>
#include <vector>

#include "generation/sampler.h"
#include "test_helpers.h"
#include "text/utf8.h"

namespace charrnn {
namespace {

using test::error_message;
using test::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using test::small_model_config;
using test::small_text;
using test::small_train_config;

std::string create_error(const std::string& text, const ModelConfig& mc = small_model_config(CellType::LSTM),
                         const TrainConfig& tc = small_train_config()) {
  return error_message([&] { Trainer t(create_model_for_text(text, mc, tc), tc, text); });
}

TEST(BadText, Empty) { EXPECT_THAT(create_error(""), HasSubstr("The text is empty")); }

TEST(BadText, OneDistinctCharacter) {
  EXPECT_THAT(create_error(std::string(100, 'a')), HasSubstr("only one distinct character ('a' (U+0061))"));
  EXPECT_THAT(create_error("\n\n\n\n"), HasSubstr("only one distinct character (U+000A)"));
}

TEST(BadText, ShorterThanOneSequence) {
  TrainConfig tc = small_train_config();
  tc.seq_len = 20;
  tc.val_fraction = 0.0f;
  const std::string msg = create_error("abcdefghij", small_model_config(CellType::GRU), tc);
  EXPECT_THAT(msg, HasSubstr("too short: it has 10 characters"));
  EXPECT_THAT(msg, HasSubstr("needs at least 21"));
  // T + 1 characters are enough.
  EXPECT_EQ(create_error("abcdefghijabcdefghij!", small_model_config(CellType::GRU), tc), "<no error thrown>");
  // The validation part is held out first: the message counts it in.
  tc.val_fraction = 0.5f;
  EXPECT_THAT(create_error("abcdefghijabcdefghij!", small_model_config(CellType::GRU), tc),
              HasSubstr("needs at least 42 (including the validation part)"));
}

struct BadUtf8 {
  const char* what;
  std::string bytes;
  std::string message;
};

TEST(BadText, InvalidUtf8NamesTheByteOffset) {
  const std::vector<BadUtf8> cases = {
      {"bad continuation", std::string("ab\xC3(x"), "invalid byte 0xC3 at byte offset 2"},
      {"lone continuation byte", std::string("abc\x80"), "invalid byte 0x80 at byte offset 3"},
      {"overlong slash", std::string("a\xC0\xAF"), "invalid byte 0xC0 at byte offset 1"},
      {"overlong 3-byte", std::string("\xE0\x80\xAFzz"), "invalid byte 0xE0 at byte offset 0"},
      {"surrogate", std::string("ok \xED\xA0\x80"), "invalid byte 0xED at byte offset 3"},
      {"above U+10FFFF", std::string("x\xF4\x90\x80\x80"), "invalid byte 0xF4 at byte offset 1"},
      {"5-byte lead", std::string("x\xF8\x88\x80\x80\x80"), "invalid byte 0xF8 at byte offset 1"},
      {"truncated at end", std::string("abc\xE2\x82"), "invalid byte 0xE2 at byte offset 3"},
      {"truncated before ASCII", std::string("\xF0\x9F\x98z"), "invalid byte 0xF0 at byte offset 0"},
      {"after multibyte characters", std::string("\xC3\xA9\xE6\x97\xA5\xFF"), "invalid byte 0xFF at byte offset 5"},
  };
  for (const BadUtf8& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string msg = create_error(c.bytes + small_text());
    EXPECT_THAT(msg, HasSubstr("not valid UTF-8"));
    EXPECT_THAT(msg, HasSubstr(c.message));
    EXPECT_THAT(error_message([&] { decode_utf8(c.bytes); }), HasSubstr(c.message));
  }
}

TEST(BadText, TrainingTextOutsideTheModelVocabulary) {
  const TrainConfig tc = small_train_config();
  const Model model = create_model_for_text(small_text(), small_model_config(CellType::LSTM), tc);
  const std::string msg = error_message([&] { Trainer t(model, tc, small_text() + "~"); });
  EXPECT_THAT(msg, HasSubstr("The training text has the character '~' (U+007E)"));
  EXPECT_THAT(msg, HasSubstr("not in the model's vocabulary"));
}

// set_text checks the new text completely before replacing anything.
TEST(BadText, RefusedSetTextLosesNothing) {
  Trainer t = test::make_trainer(small_model_config(CellType::LSTM), small_train_config());
  t.step();
  t.step();
  const size_t chars = t.train_chars();
  const std::vector<float> state = t.carried_state().h[0];
  EXPECT_THAT(error_message([&] { t.set_text("short"); }), HasSubstr("too short"));
  EXPECT_THAT(error_message([&] { t.set_text(small_text() + "\xFF"); }), HasSubstr("not valid UTF-8"));
  EXPECT_THAT(error_message([&] { t.set_text(small_text() + "#"); }), HasSubstr("'#'"));
  EXPECT_EQ(t.train_chars(), chars);
  EXPECT_TRUE(test::bit_identical(t.carried_state().h[0], state));
  EXPECT_EQ(t.iteration(), 2);
  EXPECT_FALSE(t.step().skipped);
}

struct BadSetting {
  const char* what;
  void (*apply)(ModelConfig&, TrainConfig&);
  const char* message;
};

TEST(BadSettings, EachIsRefusedNamingTheSetting) {
  const std::vector<BadSetting> cases = {
      {"batch 0", [](ModelConfig&, TrainConfig& t) { t.batch_size = 0; }, "batch size must be between 1 and 65536 (got 0)"},
      {"batch -3", [](ModelConfig&, TrainConfig& t) { t.batch_size = -3; }, "batch size must be between 1 and 65536 (got -3)"},
      {"batch absurd", [](ModelConfig&, TrainConfig& t) { t.batch_size = 1 << 30; }, "batch size must be between"},
      {"T 0", [](ModelConfig&, TrainConfig& t) { t.seq_len = 0; }, "sequence length must be between 1 and 65536 (got 0)"},
      {"T -1", [](ModelConfig&, TrainConfig& t) { t.seq_len = -1; }, "sequence length must be between"},
      {"T absurd", [](ModelConfig&, TrainConfig& t) { t.seq_len = 10000000; }, "sequence length must be between"},
      {"layers 0", [](ModelConfig& m, TrainConfig&) { m.layers = 0; }, "number of layers must be between 1 and 64 (got 0)"},
      {"layers -2", [](ModelConfig& m, TrainConfig&) { m.layers = -2; }, "number of layers must be between 1 and 64"},
      {"layers absurd", [](ModelConfig& m, TrainConfig&) { m.layers = 1000; }, "number of layers must be between 1 and 64"},
      {"hidden 0", [](ModelConfig& m, TrainConfig&) { m.hidden_size = 0; }, "hidden size must be between 1 and"},
      {"hidden -5", [](ModelConfig& m, TrainConfig&) { m.hidden_size = -5; }, "hidden size must be between 1 and"},
      {"embedding 0", [](ModelConfig& m, TrainConfig&) { m.embed_size = 0; }, "embedding size must be between"},
      {"dropout 1", [](ModelConfig& m, TrainConfig&) { m.dropout = 1.0f; }, "dropout must be between 0 and 0.95"},
      {"dropout NaN", [](ModelConfig& m, TrainConfig&) { m.dropout = NAN; }, "dropout must be between"},
      {"lr negative", [](ModelConfig&, TrainConfig& t) { t.learning_rate = -1e-3f; }, "learning rate must be between"},
      {"lr inf", [](ModelConfig&, TrainConfig& t) { t.learning_rate = INFINITY; }, "learning rate must be between"},
      {"lr decay 2", [](ModelConfig&, TrainConfig& t) { t.lr_decay = 2.0f; }, "learning-rate decay must be between"},
      {"clip negative", [](ModelConfig&, TrainConfig& t) { t.grad_clip = -1.0f; }, "gradient clip must be between"},
      {"val 0.9", [](ModelConfig&, TrainConfig& t) { t.val_fraction = 0.9f; }, "validation fraction must be between"},
  };
  for (const BadSetting& c : cases) {
    SCOPED_TRACE(c.what);
    ModelConfig mc = small_model_config(CellType::LSTM);
    TrainConfig tc = small_train_config();
    c.apply(mc, tc);
    EXPECT_THAT(create_error(small_text(), mc, tc), HasSubstr(c.message));
  }
}

// Too big to fit: refused with the memory it would need, before allocating it (a 100000-wide
// LSTM would need ~300 GiB; if the check came after allocating, this test would crash or swap).
TEST(BadSettings, HugeModelsAreRefusedWithTheMemoryTheyNeed) {
  ModelConfig mc = small_model_config(CellType::LSTM);
  mc.hidden_size = 100000;
  std::string msg = create_error(small_text(), mc);
  EXPECT_THAT(msg, HasSubstr("would need about"));
  EXPECT_THAT(msg, HasSubstr("GiB"));
  EXPECT_THAT(msg, HasSubstr("Lower the hidden size"));

  // A large batch and sequence on a small model: the activations are what does not fit.
  TrainConfig tc = small_train_config();
  tc.batch_size = 65536;
  tc.seq_len = 65536;
  EXPECT_THAT(create_error(small_text(), small_model_config(CellType::GRU), tc), HasSubstr("GiB"));

  // The same check guards a Trainer built from an existing model with new settings.
  const Model model = create_model_for_text(small_text(), small_model_config(CellType::RNN), small_train_config());
  EXPECT_THAT(error_message([&] { Trainer t(model, tc, small_text()); }), HasSubstr("would need about"));
}

TEST(BadSettings, MemoryMessagesUseUnitsThatShowTheSize) {
  ModelConfig mc = small_model_config(CellType::LSTM);
  mc.vocab_size = 50;
  // Below a MiB the sizes are in KiB, not "0.0 MiB".
  EXPECT_THAT(error_message([&] { check_memory(mc, small_train_config(), 1024.0); }),
              MatchesRegex(".*about [1-9][0-9]* KiB of memory to train, more than the 1 KiB available.*"));
  EXPECT_THAT(error_message([&] { check_memory(mc, small_train_config(), 3.0 * 1024); }),
              Not(HasSubstr("0.0 MiB")));
}

TEST(BadSettings, UnknownNames) {
  EXPECT_THAT(error_message([] { parse_cell("transformer"); }), HasSubstr("Unknown cell type 'transformer'"));
  EXPECT_THAT(error_message([] { parse_optimizer("sgd"); }), HasSubstr("Unknown optimiser 'sgd'"));
}

TEST(BadPriming, CharacterNotInTheVocabulary) {
  const Model model = create_model_for_text(small_text(), small_model_config(CellType::LSTM), small_train_config());
  SampleOptions o;
  const std::string msg = error_message([&] { sample_text(model, "The \xE2\x82\xAC", 10, o); });
  EXPECT_THAT(msg, HasSubstr("The priming text has the character"));
  EXPECT_THAT(msg, HasSubstr("U+20AC"));
  EXPECT_THAT(msg, HasSubstr("at character 4"));
  EXPECT_THAT(error_message([&] { sample_text(model, "a\xC3", 10, o); }), HasSubstr("not valid UTF-8"));
  EXPECT_THAT(error_message([&] { sample_text(model, "a", -1, o); }), HasSubstr("sample length"));
}

}  // namespace
}  // namespace charrnn
