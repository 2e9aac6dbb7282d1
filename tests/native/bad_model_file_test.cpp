// Hostile model files: each defect of a real saved file (built by editing its JSON header or its
// bytes) is refused with a charrnn::Error that says what is wrong. (Random corruption: see
// model_file_fuzz_test.cpp.)
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "test_helpers.h"

namespace charrnn {
namespace {

using nlohmann::json;
using test::error_message;
using test::FileParts;
using test::HasSubstr;
using test::join_file;
using test::join_raw;
using test::load_bytes;
using test::split_file;

// A small trained LSTM saved as a model file and as an Adam checkpoint. Tensor order in the data:
// embedding, layer0.wx, layer0.wh, layer0.b, output.w, output.b.
class BadModelFile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Trainer t = test::make_trainer(test::small_model_config(CellType::LSTM), test::small_train_config());
    t.step();
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

  static std::string load_error(const std::string& bytes) { return error_message([&] { load_bytes(bytes); }); }
  static std::string load_error(const FileParts& parts) { return load_error(join_file(parts)); }
  static FileParts model_parts() { return split_file(*model_file_); }
  static FileParts checkpoint_parts() { return split_file(*checkpoint_file_); }
  static json offsets(int64_t begin, int64_t end) { return json::array({begin, end}); }
  static int64_t begin_of(const FileParts& p, const char* t) { return p.header[t]["data_offsets"][0].get<int64_t>(); }
  static int64_t end_of(const FileParts& p, const char* t) { return p.header[t]["data_offsets"][1].get<int64_t>(); }

  static std::string* model_file_;
  static std::string* checkpoint_file_;
};

std::string* BadModelFile::model_file_ = nullptr;
std::string* BadModelFile::checkpoint_file_ = nullptr;

TEST_F(BadModelFile, TheUneditedFilesLoad) {
  EXPECT_FALSE(load_bytes(*model_file_).is_checkpoint);
  EXPECT_TRUE(load_bytes(*checkpoint_file_).is_checkpoint);
  // Taking a file apart and joining it again (without the header's alignment padding) keeps it valid.
  EXPECT_TRUE(test::bit_identical(load_bytes(join_file(model_parts())).model.params,
                                  load_bytes(*model_file_).model.params));
}

TEST_F(BadModelFile, EmptyOrTooShort) {
  EXPECT_THAT(load_error(""), HasSubstr("the file is empty"));
  EXPECT_THAT(load_error("abc"), HasSubstr("only 3 bytes long"));
  EXPECT_THAT(load_error(std::string(8, '\0')), HasSubstr("not valid JSON"));
}

TEST_F(BadModelFile, Truncated) {
  // Inside the data section: the last tensors end past what is left.
  EXPECT_THAT(load_error(model_file_->substr(0, model_file_->size() - 10)), HasSubstr("(truncated file?)"));
  // Inside the header.
  EXPECT_THAT(load_error(model_file_->substr(0, 100)), HasSubstr("truncated or not a safetensors file"));
}

TEST_F(BadModelFile, HeaderLengthPastTheEnd) {
  for (uint64_t claimed : {uint64_t{1} << 20, uint64_t{0xFFFFFFFFFFFFFFFFull}, uint64_t{model_file_->size()}}) {
    std::string bytes = *model_file_;
    for (int i = 0; i < 8; i++) bytes[static_cast<size_t>(i)] = static_cast<char>((claimed >> (8 * i)) & 0xFF);
    EXPECT_THAT(load_error(bytes), HasSubstr("its header claims " + std::to_string(claimed) + " bytes"));
  }
}

TEST_F(BadModelFile, HeaderIsNotJsonOrNotAnObject) {
  const std::string data = model_parts().data;
  EXPECT_THAT(load_error(join_raw("{\"embedding\": {\"dtype\": \"F32\", ", data)), HasSubstr("not valid JSON"));
  EXPECT_THAT(load_error(join_raw("\xFF\xFE{}", data)), HasSubstr("not valid JSON"));
  EXPECT_THAT(load_error(join_raw("[1, 2, 3]", data)), HasSubstr("not a JSON object"));
  FileParts p = model_parts();
  p.header["embedding"] = "F32";
  EXPECT_THAT(load_error(p), HasSubstr("the entry 'embedding' is not an object"));
}

TEST_F(BadModelFile, NegativeOrReversedOffsets) {
  FileParts p = model_parts();
  p.header["embedding"]["data_offsets"] = offsets(-4, end_of(p, "embedding"));
  EXPECT_THAT(load_error(p), HasSubstr("'embedding' has negative or reversed data offsets"));
  p = model_parts();
  p.header["output.b"]["data_offsets"] = offsets(end_of(p, "output.b"), begin_of(p, "output.b"));
  EXPECT_THAT(load_error(p), HasSubstr("'output.b' has negative or reversed data offsets"));
  p = model_parts();
  p.header["output.b"]["data_offsets"] = json::array({"0", "4"});
  EXPECT_THAT(load_error(p), HasSubstr("'output.b' has no valid data_offsets"));
  p.header["output.b"]["data_offsets"] = json::array({0});
  EXPECT_THAT(load_error(p), HasSubstr("'output.b' has no valid data_offsets"));
}

TEST_F(BadModelFile, OverlappingOffsets) {
  FileParts p = model_parts();
  // layer0.b moved 4 bytes back, into layer0.wh.
  p.header["layer0.b"]["data_offsets"] = offsets(begin_of(p, "layer0.b") - 4, end_of(p, "layer0.b") - 4);
  EXPECT_THAT(load_error(p), HasSubstr("'layer0.b' overlaps another tensor"));
  // Two tensors on the same bytes.
  p = model_parts();
  p.header["output.b"]["data_offsets"] = offsets(0, end_of(p, "output.b") - begin_of(p, "output.b"));
  EXPECT_THAT(load_error(p), HasSubstr("overlaps another tensor"));
}

TEST_F(BadModelFile, GapsAndUnusedBytes) {
  FileParts p = model_parts();
  p.header.erase("layer0.wh");
  EXPECT_THAT(load_error(p), HasSubstr("a gap in the data before the tensor 'layer0.b'"));
  p = model_parts();
  p.data += std::string(16, '\0');
  EXPECT_THAT(load_error(p), HasSubstr("16 bytes no tensor uses"));
}

TEST_F(BadModelFile, OffsetsPastTheEnd) {
  FileParts p = model_parts();
  const int64_t end = end_of(p, "output.b");
  p.header["output.b"]["data_offsets"] = offsets(begin_of(p, "output.b") + 8, end + 8);
  const std::string msg = load_error(p);
  EXPECT_THAT(msg, HasSubstr("'output.b' ends at byte " + std::to_string(end + 8)));
  EXPECT_THAT(msg, HasSubstr("data section has only " + std::to_string(p.data.size())));
  p.header["output.b"]["data_offsets"] = offsets(0, std::numeric_limits<int64_t>::max());
  EXPECT_THAT(load_error(p), HasSubstr("'output.b' ends at byte"));
}

TEST_F(BadModelFile, TensorBytesDisagreeWithItsShape) {
  FileParts p = model_parts();
  p.header["output.b"]["shape"] = json::array({1000});
  EXPECT_THAT(load_error(p), HasSubstr("'output.b' has 128 bytes"));  // V = 32 floats
  EXPECT_THAT(load_error(p), HasSubstr("but its shape needs 4000"));
  p.header["output.b"]["shape"] = json::array({-1});
  EXPECT_THAT(load_error(p), HasSubstr("'output.b' has an invalid dimension"));
  p.header["output.b"]["shape"] = json::array({1.5});
  EXPECT_THAT(load_error(p), HasSubstr("'output.b' has an invalid dimension"));
  p.header["output.b"]["shape"] = json::array({4294967296LL, 4294967296LL});
  EXPECT_THAT(load_error(p), HasSubstr("'output.b' is impossibly large"));
  p.header["output.b"].erase("shape");
  EXPECT_THAT(load_error(p), HasSubstr("'output.b' has no shape"));
}

TEST_F(BadModelFile, ShapesThatDisagreeWithTheConfiguration) {
  FileParts p = model_parts();
  const json shape = p.header["layer0.wx"]["shape"];  // [E, 4H]
  p.header["layer0.wx"]["shape"] = json::array({shape[1], shape[0]});
  EXPECT_THAT(load_error(p), HasSubstr("'layer0.wx' has shape [64, 8] but the configuration says [8, 64]"));

  // The configuration claims a different hidden size than the tensors hold.
  p = model_parts();
  json mc = test::meta_json(p, "model_config");
  mc["hidden_size"] = 15;
  test::set_meta_json(p, "model_config", mc);
  EXPECT_THAT(load_error(p), HasSubstr("but the configuration says"));

  // A configuration far larger than the file is refused before allocating its parameters.
  mc["hidden_size"] = 1 << 20;
  mc["layers"] = 64;
  test::set_meta_json(p, "model_config", mc);
  EXPECT_THAT(load_error(p), HasSubstr("parameters but the file holds fewer"));
}

TEST_F(BadModelFile, VocabularyThatDisagreesWithTheOutputLayer) {
  FileParts p = model_parts();
  json vocab = test::meta_json(p, "vocab");
  const size_t n = vocab.size();
  vocab.erase(vocab.size() - 1);
  test::set_meta_json(p, "vocab", vocab);
  EXPECT_THAT(load_error(p), HasSubstr("its vocabulary has " + std::to_string(n - 1) +
                                       " symbols but the output layer has " + std::to_string(n)));
}

TEST_F(BadModelFile, BadVocabularyEntries) {
  struct Case {
    json vocab_edit;
    const char* message;
  };
  const json good = test::meta_json(model_parts(), "vocab");
  auto with_first = [&](const json& v) {
    json copy = good;
    copy[0] = v;
    return copy;
  };
  const std::vector<Case> cases = {
      {with_first(good[1]), "not sorted and distinct"},
      {with_first(-1), "not a code point"},
      {with_first("a"), "not a code point"},
      {with_first(0x110000), "invalid code point"},
      {with_first(0xD800), "invalid code point"},
      {json::object(), "not a JSON array"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.vocab_edit.dump());
    FileParts p = model_parts();
    test::set_meta_json(p, "vocab", c.vocab_edit);
    EXPECT_THAT(load_error(p), HasSubstr(c.message));
  }
  FileParts p = model_parts();
  p.header["__metadata__"]["vocab"] = "[1, 2,";
  EXPECT_THAT(load_error(p), HasSubstr("not a JSON array"));
}

TEST_F(BadModelFile, WrongDtype) {
  for (const char* dtype : {"F64", "I32", "BF16", "f32"}) {
    FileParts p = model_parts();
    p.header["output.w"]["dtype"] = dtype;
    EXPECT_THAT(load_error(p), HasSubstr("'output.w' has dtype " + std::string(dtype) + " (only F32 and F16"));
  }
  FileParts p = model_parts();
  p.header["output.w"]["dtype"] = 32;
  EXPECT_THAT(load_error(p), HasSubstr("'output.w' has no dtype"));
}

TEST_F(BadModelFile, UnknownExtraTensors) {
  FileParts p = model_parts();
  const int64_t end = static_cast<int64_t>(p.data.size());
  p.header["surprise"] = {{"dtype", "F32"}, {"shape", {2}}, {"data_offsets", offsets(end, end + 8)}};
  p.data += std::string(8, '\0');
  EXPECT_THAT(load_error(p), HasSubstr("holds 1 tensor that does not belong to its configuration"));
  // Checkpoint tensors in a file without trainer state are extra too.
  p = checkpoint_parts();
  p.header["__metadata__"].erase("trainer_state");
  EXPECT_THAT(load_error(p), HasSubstr("tensors that do not belong to its configuration"));
}

TEST_F(BadModelFile, MissingTensor) {
  FileParts p = model_parts();
  const int64_t begin = begin_of(p, "output.b");
  p.header.erase("output.b");
  p.data.resize(static_cast<size_t>(begin));
  EXPECT_THAT(load_error(p), HasSubstr("the tensor 'output.b' is missing"));
}

TEST_F(BadModelFile, NonFiniteWeights) {
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                    -std::numeric_limits<float>::infinity()}) {
    FileParts p = model_parts();
    std::memcpy(&p.data[static_cast<size_t>(begin_of(p, "layer0.wh")) + 12], &bad, 4);
    EXPECT_THAT(load_error(p), HasSubstr("its weights contain NaN or infinite values"));
  }
  // Half-precision NaN too.
  Trainer t = test::make_trainer(test::small_model_config(CellType::GRU), test::small_train_config());
  SaveOptions half;
  half.f16 = true;
  FileParts p = split_file(save_model(t.model(), nullptr, half));
  p.data[static_cast<size_t>(begin_of(p, "output.b")) + 1] = '\x7E';
  EXPECT_THAT(load_error(p), HasSubstr("NaN or infinite"));
}

TEST_F(BadModelFile, BadMetadata) {
  FileParts p = model_parts();
  p.header["__metadata__"].erase("format");
  EXPECT_THAT(load_error(p), HasSubstr("its metadata has no 'format'"));
  p = model_parts();
  p.header.erase("__metadata__");
  EXPECT_THAT(load_error(p), HasSubstr("its metadata has no 'format'"));
  p = model_parts();
  p.header["__metadata__"]["format"] = "pytorch";
  EXPECT_THAT(load_error(p), HasSubstr("not a char-rnn model (format 'pytorch')"));
  p = model_parts();
  p.header["__metadata__"]["format_version"] = "2";
  EXPECT_THAT(load_error(p), HasSubstr("format version 2; this build reads version 1"));
  p = model_parts();
  p.header["__metadata__"]["format_version"] = 1;
  EXPECT_THAT(load_error(p), HasSubstr("__metadata__ entry 'format_version' is not a string"));
  p = model_parts();
  p.header["__metadata__"] = json::array();
  EXPECT_THAT(load_error(p), HasSubstr("__metadata__ is not an object"));
}

TEST_F(BadModelFile, BadModelConfiguration) {
  struct Case {
    const char* key;
    json value;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"cell", "transformer", "Unknown cell type 'transformer'"},
      {"layers", 0, "number of layers must be between 1 and 64"},
      {"hidden_size", -16, "hidden size must be between"},
      {"hidden_size", "16", "invalid 'hidden_size'"},
      {"dropout", 3.0, "dropout must be between"},
      {"vocab_size", 1, "vocabulary size must be between"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.key);
    FileParts p = model_parts();
    json mc = test::meta_json(p, "model_config");
    mc[c.key] = c.value;
    test::set_meta_json(p, "model_config", mc);
    EXPECT_THAT(load_error(p), HasSubstr(c.message));
  }
  FileParts p = model_parts();
  json mc = test::meta_json(p, "model_config");
  mc.erase("embed_size");
  test::set_meta_json(p, "model_config", mc);
  EXPECT_THAT(load_error(p), HasSubstr("has no 'embed_size'"));
  p.header["__metadata__"]["model_config"] = "{oops";
  EXPECT_THAT(load_error(p), HasSubstr("model configuration is not a JSON object"));
}

TEST_F(BadModelFile, BadCheckpointState) {
  FileParts p = checkpoint_parts();
  json st = test::meta_json(p, "trainer_state");
  st.erase("rng");
  test::set_meta_json(p, "trainer_state", st);
  EXPECT_THAT(load_error(p), HasSubstr("its trainer state is incomplete"));

  p = checkpoint_parts();
  st = test::meta_json(p, "trainer_state");
  st["rng"] = json::array({1, 2, 3});
  test::set_meta_json(p, "trainer_state", st);
  EXPECT_THAT(load_error(p), HasSubstr("its random state is invalid"));

  p = checkpoint_parts();
  st = test::meta_json(p, "trainer_state");
  st["iteration"] = -5;
  test::set_meta_json(p, "trainer_state", st);
  EXPECT_THAT(load_error(p), HasSubstr("negative counters"));

  p = checkpoint_parts();
  p.header["__metadata__"]["trainer_state"] = "not json";
  EXPECT_THAT(load_error(p), HasSubstr("its trainer state is incomplete"));

  p = checkpoint_parts();
  json tc = test::meta_json(p, "train_config");
  tc["batch_size"] = 0;
  test::set_meta_json(p, "train_config", tc);
  EXPECT_THAT(load_error(p), HasSubstr("batch size must be between"));

  // A different batch size than the stored carried state.
  tc["batch_size"] = 3;
  test::set_meta_json(p, "train_config", tc);
  EXPECT_THAT(load_error(p), HasSubstr("'state.h.0' has shape [4, 16] but the configuration says [3, 16]"));

  p = checkpoint_parts();
  tc = test::meta_json(p, "train_config");
  tc["seed"] = "forty-two";
  test::set_meta_json(p, "train_config", tc);
  EXPECT_THAT(load_error(p), HasSubstr("invalid 'seed'"));

  // Adam's checkpoint claiming RMSProp: the second moments are then extra tensors.
  p = checkpoint_parts();
  tc = test::meta_json(p, "train_config");
  tc["optimizer"] = "rmsprop";
  test::set_meta_json(p, "train_config", tc);
  EXPECT_THAT(load_error(p), HasSubstr("tensors that do not belong"));
}

}  // namespace
}  // namespace charrnn
