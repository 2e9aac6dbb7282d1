// The .safetensors container on its own: float16 conversion (rounding, subnormals, inf, NaN),
// the layout of what write_safetensors produces, and that parse_safetensors reads it back.
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "numerics/rng.h"
#include "files/safetensors.h"
#include "test_helpers.h"

namespace charrnn {
namespace {

float bits_to_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

TEST(Half, KnownValues) {
  EXPECT_EQ(float_to_half(0.0f), 0x0000);
  EXPECT_EQ(float_to_half(-0.0f), 0x8000);
  EXPECT_EQ(float_to_half(1.0f), 0x3C00);
  EXPECT_EQ(float_to_half(-2.0f), 0xC000);
  EXPECT_EQ(float_to_half(0.5f), 0x3800);
  EXPECT_EQ(float_to_half(65504.0f), 0x7BFF);  // largest finite half
  EXPECT_EQ(float_to_half(0x1p-14f), 0x0400);  // smallest normal
  EXPECT_EQ(float_to_half(0x1p-24f), 0x0001);  // smallest subnormal
  EXPECT_EQ(float_to_half(0x1.ff8p-15f), 0x03FF);  // largest subnormal
  EXPECT_EQ(half_to_float(0x3C00), 1.0f);
  EXPECT_EQ(half_to_float(0x7BFF), 65504.0f);
  EXPECT_EQ(half_to_float(0x0001), 0x1p-24f);
  EXPECT_EQ(half_to_float(0x03FF), 0x1.ff8p-15f);
  EXPECT_EQ(half_to_float(0x8001), -0x1p-24f);
}

TEST(Half, RoundsToNearestEven) {
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties go to the even mantissa.
  EXPECT_EQ(float_to_half(1.0f + 0x1p-11f), 0x3C00);
  EXPECT_EQ(float_to_half(1.0f + 3 * 0x1p-11f), 0x3C02);
  EXPECT_EQ(float_to_half(1.0f + 0x1p-11f + 0x1p-20f), 0x3C01);
  EXPECT_EQ(float_to_half(1.0f + 0x1p-11f - 0x1p-20f), 0x3C00);
  // Subnormal ties: 2^-25 is halfway between 0 and 2^-24 (to 0); 3 * 2^-25 between 1 and 2 ulps (to 2).
  EXPECT_EQ(float_to_half(0x1p-25f), 0x0000);
  EXPECT_EQ(float_to_half(3 * 0x1p-25f), 0x0002);
  EXPECT_EQ(float_to_half(0x1p-25f + 0x1p-35f), 0x0001);
  EXPECT_EQ(float_to_half(0x1p-26f), 0x0000);
  EXPECT_EQ(float_to_half(-0x1p-26f), 0x8000);
  // The largest subnormal rounds up into the smallest normal.
  EXPECT_EQ(float_to_half(0x1.ffcp-15f), 0x0400);
}

TEST(Half, OverflowInfinityAndNaN) {
  EXPECT_EQ(float_to_half(65519.0f), 0x7BFF);  // below the halfway point to 65536
  EXPECT_EQ(float_to_half(65520.0f), 0x7C00);  // halfway: ties to even, which is infinity
  EXPECT_EQ(float_to_half(1e10f), 0x7C00);
  EXPECT_EQ(float_to_half(-1e10f), 0xFC00);
  EXPECT_EQ(float_to_half(std::numeric_limits<float>::infinity()), 0x7C00);
  EXPECT_EQ(float_to_half(-std::numeric_limits<float>::infinity()), 0xFC00);
  const uint16_t nan = float_to_half(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(nan & 0x7C00, 0x7C00);
  EXPECT_NE(nan & 0x03FF, 0) << "a NaN must not become infinity";
  EXPECT_NE(float_to_half(bits_to_float(0x7F800001u)) & 0x03FF, 0) << "signalling NaN with a low payload";
  EXPECT_TRUE(std::isinf(half_to_float(0x7C00)));
  EXPECT_TRUE(std::isinf(half_to_float(0xFC00)) && half_to_float(0xFC00) < 0);
  EXPECT_TRUE(std::isnan(half_to_float(0x7E00)));
}

TEST(Half, EveryHalfRoundTripsThroughFloat) {
  for (uint32_t h = 0; h <= 0xFFFF; h++) {
    const float f = half_to_float(static_cast<uint16_t>(h));
    if (std::isnan(f)) {
      EXPECT_TRUE(((h >> 10) & 0x1F) == 0x1F && (h & 0x3FF) != 0) << std::hex << h;
      EXPECT_TRUE(std::isnan(half_to_float(float_to_half(f))));
      continue;
    }
    ASSERT_EQ(float_to_half(f), h) << std::hex << "half 0x" << h << " -> " << f;
  }
}

// Random floats over the whole half range convert to the nearest half (ties to even).
TEST(Half, RandomFloatsGoToTheNearestHalf) {
  Rng rng(17);
  for (int i = 0; i < 200000; i++) {
    // Exponents from far below the subnormals to above the largest half.
    const uint32_t exp = 100 + rng.next_u32() % 45, mant = rng.next_u32() & 0x7FFFFF, sign = rng.next_u32() & 1;
    const float f = bits_to_float(sign << 31 | exp << 23 | mant);
    const uint16_t h = float_to_half(f);
    const double got = half_to_float(h);
    if (std::isinf(got)) {
      ASSERT_GE(std::abs(f), 65520.0f) << f;
      continue;
    }
    // The neighbours one half-ulp either way must be no closer.
    const double err = std::abs(got - f);
    for (int d : {-1, 1}) {
      const uint16_t n = static_cast<uint16_t>((h & 0x7FFF) + d) | (h & 0x8000);
      if ((h & 0x7FFF) == 0 && d < 0) continue;
      const double other = half_to_float(n);
      if (std::isinf(other)) continue;
      ASSERT_LE(err, std::abs(other - f)) << "float " << f << " -> half 0x" << std::hex << h;
    }
  }
}

TEST(SafeTensors, WritesTheDocumentedLayoutAndParsesItBack) {
  const std::vector<float> a = {1.0f, -2.5f, 3.25f, 0.0f, 5.0f, 6.0f}, b = {0.5f, -0.25f};
  const std::string file =
      write_safetensors({{"k", "v"}}, {{"a", {2, 3}, a.data(), false}, {"b", {2}, b.data(), true}});
  uint64_t n = 0;
  for (int i = 7; i >= 0; i--) n = (n << 8) | static_cast<uint8_t>(file[static_cast<size_t>(i)]);
  EXPECT_EQ(n % 8, 0u) << "the data section starts 8-byte aligned";
  EXPECT_EQ(file.size(), 8 + n + 6 * 4 + 2 * 2);
  const nlohmann::json header = nlohmann::json::parse(file.substr(8, n));
  EXPECT_EQ(header["a"]["dtype"], "F32");
  EXPECT_EQ(header["b"]["dtype"], "F16");
  EXPECT_EQ(header["b"]["data_offsets"], nlohmann::json::array({24, 28}));
  EXPECT_EQ(header["__metadata__"]["k"], "v");

  const SafeTensorsView view = parse_safetensors(reinterpret_cast<const uint8_t*>(file.data()), file.size());
  EXPECT_EQ(view.metadata.at("k"), "v");
  EXPECT_EQ(view.read_floats("a", {2, 3}), a);
  EXPECT_EQ(view.read_floats("b", {2}), b);  // both values are exact halves
  EXPECT_THAT(test::error_message([&] { view.read_floats("a", {3, 2}); }), test::HasSubstr("has shape [2, 3]"));
  EXPECT_THAT(test::error_message([&] { view.read_floats("c", {1}); }), test::HasSubstr("'c' is missing"));
}

TEST(SafeTensors, WritesLittleEndianFloats) {
  const float one = 1.0f;
  const std::string file = write_safetensors({}, {{"x", {1}, &one, false}});
  EXPECT_EQ(file.substr(file.size() - 4), std::string("\x00\x00\x80\x3F", 4));
}

}  // namespace
}  // namespace charrnn
