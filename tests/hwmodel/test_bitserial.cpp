// The bit-serial unit: configuration, timing, the weight decompositions (every code of every
// supported weight format), and the PE / array bit-exact with the core's dot products.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "formats/codec.hpp"
#include "formats/error.hpp"
#include "formats/spec.hpp"
#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/bitserial/decompose.hpp"

using namespace bitexact;
using namespace bitexact::hw;

namespace {

// Every weight format the PE streams, with the encodings that apply.
const std::vector<std::string> kIntWeights = {"int2", "int3", "int4", "int5", "int6", "int7", "int8",
                                              "uint2", "uint3", "uint4", "uint5", "uint6", "uint7", "uint8"};
const std::vector<std::string> kTermWeights = {
    "float4_e2m1fn", "float6_e2m3fn", "float6_e3m2fn", "bitmod_fp3", "bitmod_fp3_er_pos", "bitmod_fp3_er_neg",
    "bitmod_fp3_ea_pos", "bitmod_fp3_ea_neg", "bitmod<bits=4>", "bitmod_fp4_er_pos", "bitmod_fp4_er_neg",
    "bitmod_fp4_ea_pos", "bitmod_fp4_ea_neg", "int4", "int8", "uint4"};

// The weight's value as a double (exact for these formats).
double value(const Format& f, uint64_t c) { return to_double(decode(f, c)); }

double reconstruct(const WeightDigits& wd, uint64_t code) {
  double s = 0;
  for (int j = 0; j < wd.cycles; ++j) {
    const SerialDigit d = wd.digits[code * size_t(wd.cycles) + size_t(j)];
    s += double(d.digit) * std::ldexp(1.0, d.shift + wd.lsb);
  }
  return s;
}

}  // namespace

TEST_CASE("bitserial config: defaults, spec round trip, timing and errors") {
  const BitSerialConfig d;
  CHECK(d.lanes == 4);
  CHECK(d.bits_per_cycle == 2);
  CHECK(d.act.name == "float16");
  CHECK(d.weight.name == "int8");
  CHECK(d.encoding == SerialEncoding::Booth4);
  CHECK(accum_model_name(d.accum) == "exact");
  CHECK(timing(d).cycles_per_op == 4);  // BitMoD: INT8 in 4 cycles
  CHECK(timing(d).latency == 5);
  CHECK(timing(d).macs_per_cycle() == 1.0);
  const BitSerialConfig c = parse_bitserial_config("lanes=8,act=float8_e4m3fn,weight=bitmod_fp4_er_pos,rows=16,cols=4");
  CHECK(c.encoding == SerialEncoding::Terms);
  CHECK(timing(c).cycles_per_op == 2);  // BitMoD: FP4 in 2 cycles
  CHECK(timing(c).tile_k == 8);
  CHECK(parse_bitserial_config(bitserial_config_name(c)) == c);
  CHECK(parse_bitserial_config("bits=1,weight=int4").encoding == SerialEncoding::BitPlane);
  CHECK(timing(parse_bitserial_config("bits=1,weight=int4")).cycles_per_op == 4);
  CHECK(timing(parse_bitserial_config("weight=int6")).cycles_per_op == 3);  // BitMoD: INT6 in 3 cycles
  CHECK(timing(parse_bitserial_config("weight=bitmod_fp3")).cycles_per_op == 1);
  CHECK(timing(parse_bitserial_config("weight=bitmod_fp3_er_pos")).cycles_per_op == 2);
  CHECK(timing(parse_bitserial_config("weight=int8,accum=exact<out=int32>,act=int8")).cycles_per_op == 4);
  CHECK_THROWS_AS(parse_bitserial_config("lanes=0"), FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("accum=fp32-pairwise"), FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("accum=fp32-seq"), FormatError);  // product rounded
  CHECK_THROWS_AS(parse_bitserial_config("weight=float4_e2m1fn,encoding=booth4"), FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("weight=float8_e4m3fn"), FormatError);  // NaN codes
  CHECK_THROWS_AS(parse_bitserial_config("weight=int16"), FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("act=float32"), FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("bits=1,weight=int4,encoding=booth4"), FormatError);
  CHECK_THROWS_AS(parse_bitserial_config("widgets=3"), FormatError);
}

TEST_CASE("bitserial decompositions: hand-worked digits") {
  // int4 -3 = 1101b: planes 1, 0, 1, -1 (the MSB plane weighs -8): 1 + 4 - 8 = -3.
  const auto p = bit_planes(-3, 4, true);
  REQUIRE(p.size() == 4);
  CHECK(p[0].digit == 1);
  CHECK(p[1].digit == 0);
  CHECK(p[2].digit == 1);
  CHECK(p[3].digit == -1);
  // int8 -128 = 1000 0000b: Booth digits 0, 0, 0, -2 (x 4^3 = -128).
  const auto b = booth4_digits(-128, 8, true);
  REQUIRE(b.size() == 4);
  CHECK(b[3].digit == -2);
  CHECK(b[3].shift == 6);
  CHECK((b[0].digit == 0 && b[1].digit == 0 && b[2].digit == 0));
  // int8 127 = 0111 1111b: digits -1, 0, 0, 2 -> -1 + 2*64 = 127.
  const auto b2 = booth4_digits(127, 8, true);
  CHECK(b2[0].digit == -1);
  CHECK(b2[1].digit == 0);
  CHECK(b2[2].digit == 0);
  CHECK(b2[3].digit == 2);
  // uint4 15: a zero sign bit makes 6 bits, 3 digits: -1 + 0*4 + 1*16.
  const auto b3 = booth4_digits(15, 4, false);
  REQUIRE(b3.size() == 3);
  CHECK(b3[0].digit == -1);
  CHECK(b3[1].digit == 0);
  CHECK(b3[2].digit == 1);
  // FP4 (BitMoD, scaled x2) 12 = 8 + 4; -10 = -8 - 2.
  const auto t = leading_one_terms(12);
  REQUIRE(t.size() == 2);
  CHECK((t[0].digit == 1 && t[0].shift == 3 && t[1].shift == 2));
  const auto t2 = leading_one_terms(-10);
  REQUIRE(t2.size() == 2);
  CHECK((t2[0].digit == -1 && t2[0].shift == 3 && t2[1].digit == -1 && t2[1].shift == 1));
  // e2m1 6.0 = 1.1b x 2^2: W = 12 at lsb -1 (0.5 is the smallest value), terms 8 + 4.
  const WeightDigits e = decompose_weights(parse_format("float4_e2m1fn"), SerialEncoding::Terms);
  CHECK(e.lsb == -1);
  CHECK(e.cycles == 2);
  CHECK(e.integer[0x7] == 12);
  CHECK(e.integer[0xF] == -12);
}

TEST_CASE("bitserial decompositions: every code of every weight format reconstructs; cycles = closed form") {
  size_t codes = 0;
  for (const std::string& name : kIntWeights) {
    const Format f = parse_format(name);
    const int b = f.ip.bits;
    for (SerialEncoding e : {SerialEncoding::BitPlane, SerialEncoding::Booth4, SerialEncoding::Terms}) {
      const WeightDigits wd = decompose_weights(f, e);
      CAPTURE(name);
      CAPTURE(serial_encoding_name(e));
      int max_terms = 0;
      for (uint64_t c = 0; c < (uint64_t{1} << b); ++c) {
        CHECK(reconstruct(wd, c) == value(f, c));
        CHECK(double(wd.integer[c]) == value(f, c));
        const int64_t w = wd.integer[c];
        max_terms = std::max(max_terms, std::popcount(uint64_t(w < 0 ? -w : w)));
        for (int j = 0; j < wd.cycles; ++j) {
          const int dg = wd.digits[c * size_t(wd.cycles) + size_t(j)].digit;
          CHECK(dg >= (e == SerialEncoding::Booth4 ? -2 : -1));
          CHECK(dg <= (e == SerialEncoding::Booth4 ? 2 : 1));
        }
        ++codes;
      }
      // Closed forms: b planes; ceil(b/2) Booth digits (unsigned: ceil((b+1)/2)); the largest popcount.
      if (e == SerialEncoding::BitPlane) CHECK(wd.cycles == b);
      if (e == SerialEncoding::Booth4) CHECK(wd.cycles == (f.ip.is_signed ? (b + 1) / 2 : (b + 2) / 2));
      if (e == SerialEncoding::Terms) CHECK(wd.cycles == std::max(1, max_terms));
    }
  }
  for (const std::string& name : kTermWeights) {
    const Format f = parse_format(name);
    const WeightDigits wd = decompose_weights(f, SerialEncoding::Terms);
    CAPTURE(name);
    for (uint64_t c = 0; c < (uint64_t{1} << f.width()); ++c, ++codes) CHECK(reconstruct(wd, c) == value(f, c));
    // FP4 and every BitMoD type: at most 2 terms (BitMoD's 2 cycles); FP3 without a special value: 1.
    if (name.starts_with("bitmod") || name == "float4_e2m1fn") CHECK(wd.cycles <= 2);
    if (name == "bitmod_fp3") CHECK(wd.cycles == 1);
    if (name == "float6_e2m3fn") CHECK(wd.cycles == 4);
    if (name == "float6_e3m2fn") CHECK(wd.cycles == 3);
  }
  MESSAGE("codes checked: " << codes);
}
