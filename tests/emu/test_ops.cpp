// Known answers for the operations' special cases (IEEE 754-2019 chapter 7, SoftFloat behaviour).
#include <doctest/doctest.h>

#include "emu/ops.hpp"
#include "formats/catalog.hpp"

using namespace bitexact;

namespace {
const Format& F(const char* n) { return Catalog::builtin().find(n)->format; }
constexpr uint8_t X = flag::inexact, U = flag::underflow, O = flag::overflow, Z = flag::divbyzero,
                  V = flag::invalid;
}  // namespace

TEST_CASE("float32 arithmetic known answers") {
  const Format& f = F("float32");
  Env e;
  CHECK(add(f, 0x3F800000, 0x3F800000, e) == 0x40000000);
  CHECK(e.flags == 0);
  CHECK(add(f, 0x3F800000, 0x33800000, e) == 0x3F800000);  // 1 + 2^-24: tie to even
  CHECK(e.flags == X);
  e = {};
  CHECK(div(f, 0x3F800000, 0x40400000, e) == 0x3EAAAAAB);  // 1/3
  e = {};
  e.mode = RoundingMode::RTZ;
  CHECK(div(f, 0x3F800000, 0x40400000, e) == 0x3EAAAAAA);
  e = {};
  CHECK(sqrt(f, 0x40000000, e) == 0x3FB504F3);
  e = {};
  CHECK(fma(f, 0x3F800001, 0x3F800001, 0xBF800002, e) == 0x28800000);  // exact 2^-46
  CHECK(e.flags == 0);
  e = {};
  CHECK(mul(f, 0x7F7FFFFF, 0x40000000, e) == 0x7F800000);
  CHECK(e.flags == (O | X));
  e = {};
  CHECK(mul(f, 0x00800000, 0x3F000000, e) == 0x00400000);  // exact subnormal: no underflow flag
  CHECK(e.flags == 0);
  e = {};
  CHECK(mul(f, 0x00800001, 0x3F000000, e) == 0x00400000);  // 0x1.000002p-127: inexact subnormal
  CHECK(e.flags == (U | X));
}

TEST_CASE("zero signs of exact sums") {
  const Format& f = F("float16");
  Env e;
  CHECK(sub(f, 0x3C00, 0x3C00, e) == 0x0000);
  e.mode = RoundingMode::RDN;
  CHECK(sub(f, 0x3C00, 0x3C00, e) == 0x8000);
  CHECK(add(f, 0x8000, 0x8000, e) == 0x8000);
  e.mode = RoundingMode::RNE;
  CHECK(add(f, 0x8000, 0x0000, e) == 0x0000);
  CHECK(fma(f, 0x8000, 0x3C00, 0x0000, e) == 0x0000);
  CHECK(fma(f, 0x8000, 0x3C00, 0x8000, e) == 0x8000);
  CHECK(sqrt(f, 0x8000, e) == 0x8000);
}

TEST_CASE("invalid operations and division by zero") {
  const Format& f = F("float16");
  auto run = [&](auto op) {
    Env e;
    const uint64_t r = op(e);
    return std::pair<uint64_t, uint8_t>{r, e.flags};
  };
  CHECK(run([&](Env& e) { return add(f, 0x7C00, 0xFC00, e); }) == std::pair<uint64_t, uint8_t>{0x7E00, V});
  CHECK(run([&](Env& e) { return mul(f, 0x7C00, 0x0000, e); }) == std::pair<uint64_t, uint8_t>{0x7E00, V});
  CHECK(run([&](Env& e) { return div(f, 0x0000, 0x8000, e); }) == std::pair<uint64_t, uint8_t>{0x7E00, V});
  CHECK(run([&](Env& e) { return div(f, 0x3C00, 0x8000, e); }) == std::pair<uint64_t, uint8_t>{0xFC00, Z});
  CHECK(run([&](Env& e) { return sqrt(f, 0xBC00, e); }) == std::pair<uint64_t, uint8_t>{0x7E00, V});
  CHECK(run([&](Env& e) { return fma(f, 0x7C00, 0x0000, 0x7E00, e); }) == std::pair<uint64_t, uint8_t>{0x7E00, V});
  CHECK(run([&](Env& e) { return add(f, 0x7C01, 0x3C00, e); }) == std::pair<uint64_t, uint8_t>{0x7E00, V});
  CHECK(run([&](Env& e) { return add(f, 0x7E01, 0x3C00, e); }) == std::pair<uint64_t, uint8_t>{0x7E00, 0});
  CHECK(run([&](Env& e) { return fma(f, 0x7C00, 0x3C00, 0xFC00, e); }) == std::pair<uint64_t, uint8_t>{0x7E00, V});
}

TEST_CASE("E4M3 arithmetic stays in the format's semantics") {
  const Format& f = F("float8_e4m3fn");
  Env e;
  CHECK(mul(f, 0x7E, 0x40, e) == 0x7F);  // 448 * 2 overflows to NaN (no inf)
  CHECK(e.flags == (O | X));
  e = {};
  e.overflow = OverflowPolicy::Saturate;
  CHECK(mul(f, 0x7E, 0x40, e) == 0x7E);
  e = {};
  CHECK(add(f, 0x7F, 0x38, e) == 0x7F);  // NaN in, NaN out, quiet: no flags
  CHECK(e.flags == 0);
  CHECK(div(f, 0x38, 0x00, e) == 0x7F);  // 1/0: inf is not representable: NaN, divbyzero
  CHECK(e.flags == (Z | V));
}

TEST_CASE("min, max, comparisons and classify") {
  const Format& f = F("float16");
  Env e;
  CHECK(min(f, 0x8000, 0x0000, e) == 0x8000);
  CHECK(max(f, 0x8000, 0x0000, e) == 0x0000);
  CHECK(min(f, 0x7E00, 0x3C00, e) == 0x3C00);
  CHECK(max(f, 0xBC00, 0x7E00, e) == 0xBC00);
  CHECK(e.flags == 0);
  CHECK(min(f, 0x7C01, 0x3C00, e) == 0x3C00);
  CHECK(e.flags == V);
  e = {};
  CHECK(eq(f, 0x8000, 0x0000, e));
  CHECK_FALSE(lt(f, 0x8000, 0x0000, e));
  CHECK(le(f, 0xFC00, 0x7BFF, e));
  CHECK(lt(f, 0x0001, 0x0002, e));
  CHECK(lt(f, 0xC000, 0xBC00, e));
  CHECK(e.flags == 0);
  CHECK_FALSE(eq(f, 0x7E00, 0x7E00, e));
  CHECK(e.flags == 0);
  CHECK_FALSE(lt_quiet(f, 0x7E00, 0x3C00, e));
  CHECK(e.flags == 0);
  CHECK_FALSE(lt(f, 0x7E00, 0x3C00, e));
  CHECK(e.flags == V);
  CHECK(classify(f, 0xFC00) == FloatClass::NegInf);
  CHECK(classify(f, 0x8001) == FloatClass::NegSubnormal);
  CHECK(classify(f, 0x3C00) == FloatClass::PosNormal);
  CHECK(classify(f, 0x7C01) == FloatClass::SignalingNaN);
  CHECK(classify(f, 0x7E00) == FloatClass::QuietNaN);
  CHECK(classify(F("e4m3"), 0xFF) == FloatClass::QuietNaN);
}

TEST_CASE("float64 extremes") {
  const Format& f = F("float64");
  Env e;
  CHECK(mul(f, 0x0000000000000001ULL, 0x3FE0000000000000ULL, e) == 0);  // 2^-1075: tie to zero
  CHECK(e.flags == (U | X));
  e = {};
  CHECK(div(f, 0x3FF0000000000000ULL, 0x7FEFFFFFFFFFFFFFULL, e) == 0x0004000000000000ULL);
  CHECK(e.flags == (U | X));
  e = {};
  CHECK(fma(f, 0x7FEFFFFFFFFFFFFFULL, 0x4000000000000000ULL, 0xFFEFFFFFFFFFFFFFULL, e) == 0x7FEFFFFFFFFFFFFFULL);
  CHECK(e.flags == 0);  // 2max - max = max exactly: fma has no intermediate overflow
}
