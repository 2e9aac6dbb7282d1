// UTF-8 and the vocabulary: one symbol per code point (accents, CJK, emoji), ordered by code
// point, encode/decode round trips, and a text with thousands of distinct symbols trains.
#include <cmath>
#include <string>
#include <vector>

#include "generation/sampler.h"
#include "test_helpers.h"
#include "text/utf8.h"
#include "text/vocab.h"

namespace charrnn {
namespace {

using test::error_message;
using test::HasSubstr;

TEST(Utf8, DecodesEachLengthToOneCodePoint) {
  // 1, 2, 3 and 4 bytes: 'a', 'é', '日', '😀'.
  const std::string text = "a\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80";
  EXPECT_EQ(decode_utf8(text), (std::vector<char32_t>{U'a', U'\u00E9', U'\u65E5', U'\U0001F600'}));
  EXPECT_EQ(encode_utf8(U"a\u00E9\u65E5\U0001F600"), text);
}

TEST(Utf8, BoundaryCodePointsRoundTrip) {
  for (char32_t cp : {0x0u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFDu, 0xFFFFu, 0x10000u, 0x10FFFFu}) {
    std::string s;
    append_utf8(s, cp);
    ASSERT_EQ(decode_utf8(s), std::vector<char32_t>{cp}) << std::hex << cp;
  }
  EXPECT_TRUE(decode_utf8("").empty());
}

TEST(Vocab, DistinctSymbolsOfALongTextAreTheSortedUniqueCodePoints) {
  // Long enough for the bitmap path, with every length of code point, the ends of Unicode and
  // values past it (a hostile caller's: kept, last, for from_code_points to refuse).
  std::vector<char32_t> text;
  const std::vector<char32_t> symbols = {0x0, U'\n', U' ', U'a', U'z', 0x7F, 0x80, U'\u00E9', U'\u65E5', 0xFFFF,
                                         U'\U0001F600', 0x10FFFF};
  for (int i = 0; i < 10000; i++) text.push_back(symbols[static_cast<size_t>(i * 7) % symbols.size()]);
  EXPECT_EQ(distinct_sorted(text), symbols);
  text.push_back(0x110000);
  text.push_back(0xFFFFFFFF);
  text.push_back(0x110000);
  std::vector<char32_t> with_beyond = symbols;
  with_beyond.push_back(0x110000);
  with_beyond.push_back(0xFFFFFFFF);
  EXPECT_EQ(distinct_sorted(text), with_beyond);
  // A short text (sorted directly) gives what a long one does.
  EXPECT_EQ(distinct_sorted({U'b', U'a', U'b', U'\u65E5'}), (std::vector<char32_t>{U'a', U'b', U'\u65E5'}));
  EXPECT_TRUE(distinct_sorted({}).empty());
  EXPECT_THAT(error_message([&] { Vocab::from_chars(text); }), HasSubstr("invalid code point"));
  // Encoding: ASCII and the rest give the ids of the sorted symbols.
  const Vocab vocab = Vocab::from_chars(std::vector<char32_t>(text.begin(), text.end() - 3));
  EXPECT_EQ(vocab.encode(std::vector<char32_t>{U'a', U'\u65E5', 0x0, 0x10FFFF}, "text"),
            (std::vector<int32_t>{3, 8, 0, 11}));
  EXPECT_THAT(error_message([&] { vocab.encode(std::vector<char32_t>{U'b'}, "text"); }), HasSubstr("'b'"));
}

TEST(Utf8, RejectsWhatIsNotUtf8) {
  EXPECT_THAT(error_message([] { decode_utf8("\xC1\xBF"); }), HasSubstr("byte offset 0"));  // overlong 0x7F
  EXPECT_THAT(error_message([] { decode_utf8("ab\xF0\x8F\xBF\xBF"); }), HasSubstr("byte offset 2"));  // overlong U+FFFF
  EXPECT_THAT(error_message([] { decode_utf8("\xED\xBF\xBF"); }), HasSubstr("0xED at byte offset 0"));  // U+DFFF
  EXPECT_THAT(error_message([] { decode_utf8("\xE6\x97"); }), HasSubstr("0xE6 at byte offset 0"));
  EXPECT_THAT(error_message([] { decode_utf8("x\xFE"); }), HasSubstr("0xFE at byte offset 1"));
}

TEST(Vocab, AccentsCjkAndEmojiAreSingleSymbols) {
  const std::string text = "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80\xF0\x9F\x98\x80!";  // "café 日本 😀😀!"
  const Vocab v = Vocab::from_text(text);
  EXPECT_EQ(v.size(), 9);  // c a f é space 日 本 😀 !
  EXPECT_TRUE(v.contains(U'\u00E9'));
  EXPECT_TRUE(v.contains(U'\U0001F600'));
  EXPECT_EQ(v.encode(text, "text").size(), 11u);
  EXPECT_EQ(v.symbol_utf8(v.id(U'\U0001F600')), "\xF0\x9F\x98\x80");
}

TEST(Vocab, CombiningMarksAreTheirOwnCodePoints) {
  // 'e' + U+0301 (combining acute) is one user-perceived character but two code points.
  const Vocab v = Vocab::from_text("e\xCC\x81");
  EXPECT_EQ(v.size(), 2);
}

TEST(Vocab, OrderedByCodePoint) {
  const Vocab v = Vocab::from_text("\xF0\x9F\x98\x80z\xE6\x97\xA5" "a\xC3\xA9" "A\n ");
  EXPECT_EQ(v.symbols(), (std::vector<char32_t>{U'\n', U' ', U'A', U'a', U'z', U'\u00E9', U'\u65E5', U'\U0001F600'}));
  for (int i = 0; i < v.size(); i++) EXPECT_EQ(v.id(v.symbols()[static_cast<size_t>(i)]), i);
  // The order does not depend on the text's order.
  EXPECT_EQ(Vocab::from_text("zyxabc").symbols(), Vocab::from_text("abcxyz").symbols());
}

TEST(Vocab, EncodeDecodeRoundTrip) {
  const std::string text = "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln \xE2\x80\x94 \xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x8C\x8D\n";
  const Vocab v = Vocab::from_text(text);
  EXPECT_EQ(v.decode(v.encode(text, "text")), text);
  EXPECT_EQ(Vocab::from_text(encode_utf8(std::u32string(v.symbols().begin(), v.symbols().end()))).symbols(), v.symbols());
}

TEST(Vocab, UnknownCharactersAreNamed) {
  const Vocab v = Vocab::from_text("abc");
  EXPECT_THAT(error_message([&] { v.id(U'\u65E5'); }), HasSubstr("'\xE6\x97\xA5' (U+65E5) is not in the vocabulary"));
  EXPECT_THAT(error_message([&] { v.encode("ab\t", "priming text"); }),
              HasSubstr("The priming text has the character U+0009 (at character 2)"));
}

TEST(Vocab, FromCodePointsRefusesUnsortedDuplicatesAndInvalid) {
  EXPECT_THAT(error_message([] { Vocab::from_code_points({U'b', U'a'}); }), HasSubstr("not sorted and distinct"));
  EXPECT_THAT(error_message([] { Vocab::from_code_points({U'a', U'a'}); }), HasSubstr("not sorted and distinct"));
  EXPECT_THAT(error_message([] { Vocab::from_code_points({U'a', 0xD800}); }), HasSubstr("invalid code point"));
  EXPECT_THAT(error_message([] { Vocab::from_code_points({U'a', 0x110000}); }), HasSubstr("invalid code point"));
}

// 3000 distinct CJK code points (U+4E00..), each twice: a big vocabulary trains a step.
TEST(Vocab, ThousandsOfDistinctSymbolsTrain) {
  std::u32string cps;
  for (int round = 0; round < 2; round++)
    for (char32_t cp = 0x4E00; cp < 0x4E00 + 3000; cp++) cps.push_back(cp);
  const std::string text = encode_utf8(cps);
  ModelConfig mc = test::small_model_config(CellType::GRU);
  TrainConfig tc = test::small_train_config();
  Trainer t(create_model_for_text(text, mc, tc), tc, text);
  EXPECT_EQ(t.model().config.vocab_size, 3000);
  const StepResult first = t.step();
  EXPECT_FALSE(first.skipped);
  EXPECT_NEAR(first.loss, std::log(3000.0), 0.5) << "an untrained model is near uniform";
  for (int i = 0; i < 20; i++) t.step();
  EXPECT_TRUE(std::isfinite(t.step().loss));
  SampleOptions o;
  const std::string sample = sample_text(t.model(), "\xE4\xB8\x80", 20, o);  // primed with U+4E00
  EXPECT_EQ(decode_utf8(sample).size(), 20u);
}

}  // namespace
}  // namespace charrnn
