// The DPI-C golden model (rtl/dpi): its numbering equals the C++ enums and the SystemVerilog package,
// its results equal the independent oracle (emu/reference) case by case, and bad arguments give
// status codes instead of crashes.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "emu/env.hpp"
#include "emu/operation.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/spec.hpp"
#include "rtl/dpi/bitexact_dpi.h"

using namespace bitexact;
using reference::Method;
using reference::Op;
using reference::OracleResult;

// The header's numbering is the C++ enums' numbering (a renumbered enum fails to compile here).
static_assert(BX_OP_ADD == int(Operation::Add) && BX_OP_SUB == int(Operation::Sub) &&
              BX_OP_MUL == int(Operation::Mul) && BX_OP_DIV == int(Operation::Div) &&
              BX_OP_FMA == int(Operation::Fma) && BX_OP_SQRT == int(Operation::Sqrt) &&
              BX_OP_MIN == int(Operation::Min) && BX_OP_MAX == int(Operation::Max) &&
              BX_OP_EQ == int(Operation::Eq) && BX_OP_LT == int(Operation::Lt) && BX_OP_LE == int(Operation::Le) &&
              BX_OP_CONVERT == int(Operation::Convert));
static_assert(BX_RM_RNE == int(RoundingMode::RNE) && BX_RM_RNA == int(RoundingMode::RNA) &&
              BX_RM_RTZ == int(RoundingMode::RTZ) && BX_RM_RUP == int(RoundingMode::RUP) &&
              BX_RM_RDN == int(RoundingMode::RDN) && BX_RM_ROD == int(RoundingMode::ROD) &&
              BX_RM_SR == int(RoundingMode::SR) && BX_RM_SRR == int(RoundingMode::SRR));
static_assert(BX_OVF_IEEE == int(OverflowPolicy::Ieee) && BX_OVF_SATURATE == int(OverflowPolicy::Saturate) &&
              BX_OVF_WRAP == int(OverflowPolicy::Wrap));
static_assert(BX_SUB_KEEP == int(SubnormalPolicy::Keep) && BX_SUB_FTZ == int(SubnormalPolicy::FlushOut) &&
              BX_SUB_DAZ == int(SubnormalPolicy::FlushIn) && BX_SUB_FTZ_DAZ == int(SubnormalPolicy::FlushBoth));
static_assert(BX_TINY_AFTER == int(Tininess::AfterRounding) && BX_TINY_BEFORE == int(Tininess::BeforeRounding));
static_assert(BX_FLAG_INEXACT == flag::inexact && BX_FLAG_UNDERFLOW == flag::underflow &&
              BX_FLAG_OVERFLOW == flag::overflow && BX_FLAG_DIVBYZERO == flag::divbyzero &&
              BX_FLAG_INVALID == flag::invalid);
static_assert(sizeof(unsigned long long) == 8 && sizeof(unsigned int) == 4);

namespace {

#define BX_CONST(name) {#name, static_cast<long long>(name)}
const std::map<std::string, long long> kHeaderConstants = {
    BX_CONST(BX_OK), BX_CONST(BX_ERR_FORMAT), BX_CONST(BX_ERR_OPERATION), BX_CONST(BX_ERR_ROUNDING),
    BX_CONST(BX_ERR_OVERFLOW), BX_CONST(BX_ERR_SUBNORMALS), BX_CONST(BX_ERR_TININESS), BX_CONST(BX_ERR_OPERAND),
    BX_CONST(BX_ERR_RANDOM), BX_CONST(BX_ERR_MODEL), BX_CONST(BX_ERR_ARGUMENT), BX_CONST(BX_ERR_INTERNAL),
    BX_CONST(BX_OP_ADD), BX_CONST(BX_OP_SUB), BX_CONST(BX_OP_MUL), BX_CONST(BX_OP_DIV), BX_CONST(BX_OP_FMA),
    BX_CONST(BX_OP_SQRT), BX_CONST(BX_OP_MIN), BX_CONST(BX_OP_MAX), BX_CONST(BX_OP_EQ), BX_CONST(BX_OP_LT),
    BX_CONST(BX_OP_LE), BX_CONST(BX_OP_CONVERT), BX_CONST(BX_RM_RNE), BX_CONST(BX_RM_RNA), BX_CONST(BX_RM_RTZ),
    BX_CONST(BX_RM_RUP), BX_CONST(BX_RM_RDN), BX_CONST(BX_RM_ROD), BX_CONST(BX_RM_SR), BX_CONST(BX_RM_SRR),
    BX_CONST(BX_OVF_IEEE), BX_CONST(BX_OVF_SATURATE), BX_CONST(BX_OVF_WRAP), BX_CONST(BX_SUB_KEEP),
    BX_CONST(BX_SUB_FTZ), BX_CONST(BX_SUB_DAZ), BX_CONST(BX_SUB_FTZ_DAZ), BX_CONST(BX_TINY_AFTER),
    BX_CONST(BX_TINY_BEFORE), BX_CONST(BX_FLAG_INEXACT), BX_CONST(BX_FLAG_UNDERFLOW), BX_CONST(BX_FLAG_OVERFLOW),
    BX_CONST(BX_FLAG_DIVBYZERO), BX_CONST(BX_FLAG_INVALID),
};
#undef BX_CONST

struct Result {
  int status;
  unsigned long long code;
  unsigned int flags;
};

Result op(const char* f, int o, unsigned long long a, unsigned long long b = 0, unsigned long long c = 0,
          int rm = BX_RM_RNE, int ovf = BX_OVF_IEEE, int sub = BX_SUB_KEEP, int tiny = BX_TINY_AFTER,
          unsigned long long rnd = 0) {
  Result r{0, 0xDEAD, 0xDEAD};
  r.status = bx_op(f, o, rm, ovf, sub, tiny, a, b, c, rnd, &r.code, &r.flags);
  return r;
}

Env env_of(int rm, int ovf, int sub, int tiny) {
  Env e;
  e.mode = RoundingMode(rm & 0xFF);
  e.sr_bits = rm >> 8;
  e.overflow = OverflowPolicy(ovf);
  e.subnormals = SubnormalPolicy(sub);
  e.tininess = Tininess(tiny);
  return e;
}

}  // namespace

TEST_CASE("the SystemVerilog package declares the header's constants with the same values") {
  std::ifstream in(BITEXACT_DPI_PKG);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const std::regex decl(R"(localparam\s+int(\s+unsigned)?\s+(BX_\w+)\s*=\s*(-?\d+)\s*;)");
  std::map<std::string, long long> sv;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), decl); it != std::sregex_iterator(); ++it)
    sv[(*it)[2].str()] = std::stoll((*it)[3].str());
  CHECK(sv == kHeaderConstants);
  // Every C function has its import, and the rounding helper encodes sr:R as the header does.
  for (const char* fn : {"bx_op", "bx_convert", "bx_dot_sv", "bx_width", "bx_is_nan", "bx_error_message"})
  {
    const bool declared = text.find(std::string("function int ") + fn + "(") != std::string::npos ||
                          text.find(std::string("function string ") + fn + "(") != std::string::npos;
    CHECK_MESSAGE(declared, fn);
  }
  CHECK(text.find("return BX_RM_SRR | (r << 8);") != std::string::npos);
  CHECK(BX_RM_SR_BITS(3) == 0x307);
}

TEST_CASE("hand-worked E4M3 products") {
  // 2 * 2 = 4
  Result r = op("e4m3", BX_OP_MUL, 0x40, 0x40);
  CHECK(r.status == BX_OK);
  CHECK(r.code == 0x48);
  CHECK(r.flags == 0);
  // 448 * 2 overflows: NaN 0x7F in OCP's non-saturating mode, 448 (0x7E) saturating
  r = op("float8_e4m3fn", BX_OP_MUL, 0x7E, 0x40);
  CHECK(r.code == 0x7F);
  CHECK(r.flags == (BX_FLAG_OVERFLOW | BX_FLAG_INEXACT));
  r = op("e4m3", BX_OP_MUL, 0xFE, 0x40, 0, BX_RM_RNE, BX_OVF_SATURATE);
  CHECK(r.code == 0xFE);
  CHECK(r.flags == (BX_FLAG_OVERFLOW | BX_FLAG_INEXACT));
  // 2^-9 * 0.5 = 2^-10, halfway between 0 and the smallest subnormal: ties to the even code 0
  r = op("e4m3", BX_OP_MUL, 0x01, 0x30);
  CHECK(r.code == 0x00);
  CHECK(r.flags == (BX_FLAG_UNDERFLOW | BX_FLAG_INEXACT));
  // 3 * 2^-9 * 0.5 = 1.5 * 2^-9: ties to 2 * 2^-9 (code 0x02); toward zero 0x01
  CHECK(op("e4m3", BX_OP_MUL, 0x03, 0x30).code == 0x02);
  CHECK(op("e4m3", BX_OP_MUL, 0x03, 0x30, 0, BX_RM_RTZ).code == 0x01);
  // the same with flush-to-zero: 2^-10 rounds to a subnormal, which flushes to +0
  r = op("e4m3", BX_OP_MUL, 0x03, 0x30, 0, BX_RM_RNE, BX_OVF_IEEE, BX_SUB_FTZ);
  CHECK(r.code == 0x00);
  CHECK(r.flags == (BX_FLAG_UNDERFLOW | BX_FLAG_INEXACT));
  // NaN * 1 is NaN (class compared with bx_is_nan)
  r = op("e4m3", BX_OP_MUL, 0xFF, 0x38);
  CHECK(bx_is_nan("e4m3", r.code) == 1);
  CHECK(bx_is_nan("e4m3", 0x7E) == 0);
  CHECK(bx_width("e4m3") == 8);
  CHECK(bx_width("bf16") == 16);
  CHECK(bx_width("posit<16,1>") == 16);
  // Comparisons give 0 / 1; lt is signalling
  CHECK(op("e4m3", BX_OP_LT, 0x38, 0x40).code == 1);
  r = op("e4m3", BX_OP_LT, 0x7F, 0x40);
  CHECK(r.code == 0);
  CHECK(r.flags == BX_FLAG_INVALID);
  // fma, sqrt: 1 * 1 + 1 = 2 in float16; sqrt(4) = 2 in float32
  CHECK(op("float16", BX_OP_FMA, 0x3C00, 0x3C00, 0x3C00).code == 0x4000);
  CHECK(op("float32", BX_OP_SQRT, 0x40800000).code == 0x40000000);
}

TEST_CASE("conversions and stochastic rounding with explicit random bits") {
  unsigned long long code = 0;
  unsigned int flags = 0;
  // float32 1.0 -> bfloat16 1.0
  CHECK(bx_convert("float32", "bf16", BX_RM_RNE, BX_OVF_IEEE, BX_SUB_KEEP, BX_TINY_AFTER, 0x3F800000, 0, &code,
                   &flags) == BX_OK);
  CHECK(code == 0x3F80);
  CHECK(flags == 0);
  // float16 1.0625 (0x3C40) lies halfway between E4M3 1.0 (0x38) and 1.125 (0x39): fraction 1/2.
  // sr:3 rounds up iff floor(1/2 * 8) + r >= 8, r = the low 3 random bits: r = 3 -> 0x38, r = 4 -> 0x39.
  const int sr3 = BX_RM_SR_BITS(3);
  CHECK(bx_convert("float16", "e4m3", sr3, 0, 0, 0, 0x3C40, 3, &code, &flags) == BX_OK);
  CHECK(code == 0x38);
  CHECK(flags == BX_FLAG_INEXACT);
  CHECK(bx_convert("float16", "e4m3", sr3, 0, 0, 0, 0x3C40, 4, &code, &flags) == BX_OK);
  CHECK(code == 0x39);
  CHECK(bx_convert("float16", "e4m3", sr3, 0, 0, 0, 0x3C40, 0xFFFFFFFFFFFFFFF8ULL | 3, &code, &flags) == BX_OK);
  CHECK(code == 0x38);  // bits above R are not used
  // sr: up iff the 64-bit word u < floor(1/2 * 2^64) = 2^63
  CHECK(bx_convert("float16", "e4m3", BX_RM_SR, 0, 0, 0, 0x3C40, (1ULL << 63) - 1, &code, &flags) == BX_OK);
  CHECK(code == 0x39);
  CHECK(bx_convert("float16", "e4m3", BX_RM_SR, 0, 0, 0, 0x3C40, 1ULL << 63, &code, &flags) == BX_OK);
  CHECK(code == 0x38);
  // exact results draw nothing: the same for any random word
  CHECK(bx_convert("float16", "e4m3", sr3, 0, 0, 0, 0x3C00, 7, &code, &flags) == BX_OK);
  CHECK(code == 0x38);
  CHECK(flags == 0);
}

TEST_CASE("status codes for bad arguments, outputs untouched") {
  CHECK(op("e4m3x", BX_OP_MUL, 1, 1).status == BX_ERR_FORMAT);
  CHECK(op(nullptr, BX_OP_MUL, 1, 1).status == BX_ERR_FORMAT);
  Result r = op("e4m3", 12, 1, 1);
  CHECK(r.status == BX_ERR_OPERATION);
  CHECK(r.code == 0xDEAD);
  CHECK(op("e4m3", -1, 1, 1).status == BX_ERR_OPERATION);
  CHECK(op("e4m3", BX_OP_MUL, 1, 1, 0, 8).status == BX_ERR_ROUNDING);
  CHECK(op("e4m3", BX_OP_MUL, 1, 1, 0, BX_RM_SRR).status == BX_ERR_ROUNDING);  // sr:R needs R
  CHECK(op("e4m3", BX_OP_MUL, 1, 1, 0, BX_RM_SR_BITS(33)).status == BX_ERR_ROUNDING);
  CHECK(op("e4m3", BX_OP_MUL, 1, 1, 0, BX_RM_RNE | (3 << 8)).status == BX_ERR_ROUNDING);
  CHECK(op("e4m3", BX_OP_MUL, 1, 1, 0, BX_RM_RNE, 3).status == BX_ERR_OVERFLOW);
  CHECK(op("e4m3", BX_OP_MUL, 1, 1, 0, BX_RM_RNE, 0, 4).status == BX_ERR_SUBNORMALS);
  CHECK(op("e4m3", BX_OP_MUL, 1, 1, 0, BX_RM_RNE, 0, 0, 2).status == BX_ERR_TININESS);
  CHECK(op("e4m3", BX_OP_MUL, 0x100, 1).status == BX_ERR_OPERAND);
  CHECK(op("e4m3", BX_OP_MUL, 1, 0xFFFFFFFFFFFFFFFFULL).status == BX_ERR_OPERAND);  // a sign-extended operand
  CHECK(op("e4m3", BX_OP_SQRT, 0x38, 0x1FF).status == BX_OK);  // operands beyond the arity are ignored
  unsigned int flags = 0;
  CHECK(bx_op("e4m3", BX_OP_MUL, 0, 0, 0, 0, 1, 1, 0, 0, nullptr, &flags) == BX_ERR_ARGUMENT);
  CHECK(bx_is_nan("e4m3", 0x100) == BX_ERR_OPERAND);
  CHECK(bx_width("nope") == BX_ERR_FORMAT);
  std::map<std::string, int> messages;
  for (int s = BX_OK; s >= BX_ERR_INTERNAL; --s) messages[bx_error_message(s)] = s;
  CHECK(messages.size() == 12);  // one distinct message per status
  CHECK(std::string(bx_error_message(BX_ERR_FORMAT)).find("format") != std::string::npos);
  CHECK(std::string(bx_error_message(-99)) == "unknown status code");
}

TEST_CASE("every E4M3 and E5M2 pair against the oracle, every deterministic mode and both overflow policies") {
  // 2 formats x 4 operations x 6 modes x 2 policies x 65536 pairs = 6.3 million cases
  size_t cases = 0, mismatches = 0;
  for (const char* name : {"float8_e4m3fn", "float8_e5m2"}) {
    const Format f = parse_format(name);
    for (auto [o, ro] : {std::pair{BX_OP_ADD, Op::Add}, {BX_OP_SUB, Op::Sub}, {BX_OP_MUL, Op::Mul},
                         {BX_OP_DIV, Op::Div}})
      for (int rm = BX_RM_RNE; rm <= BX_RM_ROD; ++rm)
        for (int ovf : {BX_OVF_IEEE, BX_OVF_SATURATE}) {
          const Env e = env_of(rm, ovf, BX_SUB_KEEP, BX_TINY_AFTER);
          for (unsigned a = 0; a < 256; ++a)
            for (unsigned b = 0; b < 256; ++b) {
              const Result r = op(name, o, a, b, 0, rm, ovf);
              const OracleResult want = reference::oracle_binary(ro, f, a, b, e, Method::Enumerate);
              ++cases;
              if (r.status != BX_OK || r.code != want.code || r.flags != want.flags) {
                if (++mismatches <= 5)
                  FAIL_CHECK(std::string(name) << " op " << o << " rm " << rm << " ovf " << ovf << " a=" << a << " b=" << b
                                  << ": dpi " << r.code << "/" << r.flags << " oracle " << want.code << "/"
                                  << int(want.flags));
              }
            }
        }
  }
  CHECK(cases == 2u * 4 * 6 * 2 * 65536);
  CHECK(mismatches == 0);
}

TEST_CASE("every float16 code into E4M3 and FP4 against the oracle, with ftz, tininess-before and sr:4") {
  size_t cases = 0, mismatches = 0;
  const Format from = parse_format("float16");
  for (const char* to_name : {"float8_e4m3fn", "float4_e2m1fn"}) {
    const Format to = parse_format(to_name);
    struct Mode {
      int rm, ovf, sub, tiny;
    };
    for (Mode m : {Mode{BX_RM_RNE, BX_OVF_IEEE, BX_SUB_KEEP, BX_TINY_AFTER},
                   Mode{BX_RM_RUP, BX_OVF_SATURATE, BX_SUB_FTZ, BX_TINY_BEFORE},
                   Mode{BX_RM_SR_BITS(4), BX_OVF_IEEE, BX_SUB_KEEP, BX_TINY_AFTER}})
      for (unsigned a = 0; a < 65536; ++a) {
        const unsigned long long rnd = a * 0x9E3779B97F4A7C15ULL;  // a different word per case
        unsigned long long code = 0;
        unsigned int flags = 0;
        const int s = bx_convert("float16", to_name, m.rm, m.ovf, m.sub, m.tiny, a, rnd, &code, &flags);
        Env e = env_of(m.rm, m.ovf, m.sub, m.tiny);
        e.explicit_bits = std::span<const uint64_t>(reinterpret_cast<const uint64_t*>(&rnd), 1);
        const OracleResult want = reference::oracle_convert(from, a, to, e, Method::Enumerate);
        ++cases;
        if (s != BX_OK || code != want.code || flags != want.flags) {
          if (++mismatches <= 5)
            FAIL_CHECK(std::string(to_name) << " rm " << m.rm << " a=" << a << ": dpi " << code << "/" << flags << " oracle "
                               << want.code << "/" << int(want.flags));
        }
      }
  }
  CHECK(cases == 2u * 3 * 65536);
  CHECK(mismatches == 0);
}

TEST_CASE("concurrent callers get the results of sequential ones") {
  // Two threads on different formats and modes while the spec memo fills: same answers as alone.
  auto sweep = [](const char* f, int rm, std::vector<unsigned long long>& out) {
    for (unsigned a = 0; a < 256; ++a)
      for (unsigned b = 0; b < 256; ++b) out.push_back(op(f, BX_OP_ADD, a, b, 0, rm).code);
  };
  std::vector<unsigned long long> s1, s2, p1, p2;
  sweep("e5m2", BX_RM_RTZ, s1);
  sweep("float<e=3,m=4,bias=4>", BX_RM_RNA, s2);
  std::thread t1([&] { sweep("e5m2", BX_RM_RTZ, p1); });
  std::thread t2([&] { sweep("float<e=3,m=4,bias=4>", BX_RM_RNA, p2); });
  t1.join();
  t2.join();
  CHECK(p1 == s1);
  CHECK(p2 == s2);
}

namespace {

// E4M3 code -> value, written out for the test: (-1)^s 2^(e-7) (1 + m/8), subnormals 2^-6 m/8.
double e4m3_value(unsigned code) {
  const int e = (code >> 3) & 15, m = code & 7;
  const double mag = e == 0 ? std::ldexp(m / 8.0, -6) : std::ldexp(1 + m / 8.0, e - 7);
  return (code & 0x80) ? -mag : mag;
}

uint32_t bits_of(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  return u;
}

struct DotResult {
  int status;
  unsigned long long code;
  unsigned int flags;
};

DotResult dot_of(const char* model, const char* fa, const std::vector<unsigned long long>& a,
                 const std::vector<unsigned long long>& b, unsigned long long c = 0, int has_c = 0,
                 const std::vector<unsigned long long>& rnd = {}) {
  DotResult r{0, 0xDEAD, 0xDEAD};
  r.status = bx_dot(model, fa, fa, int(a.size()), a.data(), b.data(), c, has_c, BX_RM_RNE, BX_OVF_IEEE, BX_SUB_KEEP,
                    BX_TINY_AFTER, rnd.data(), int(rnd.size()), &r.code, &r.flags);
  return r;
}

}  // namespace

TEST_CASE("dot products: hand-worked answers") {
  // E4M3 [1, 2, 0.5, -1] . [2, 2, 1, 1] = 5.5 exactly: float32 0x40B00000; + c = 1.0: 6.5
  const std::vector<unsigned long long> a8{0x38, 0x40, 0x30, 0xB8}, b8{0x40, 0x40, 0x38, 0x38};
  DotResult r = dot_of("exact", "e4m3", a8, b8);
  CHECK(r.status == BX_OK);
  CHECK(r.code == 0x40B00000);
  CHECK(r.flags == 0);
  CHECK(dot_of("exact", "e4m3", a8, b8, 0x3F800000, 1).code == 0x40D00000);
  CHECK(dot_of("fp32-fma", "e4m3", a8, b8).code == 0x40B00000);
  // float16 [2048, 1, 1] . [1, 1, 1]: an fp16 fma chain rounds 2049 to 2048 (tie to even) twice;
  // exact accumulation keeps 2050 (0x6801)
  const std::vector<unsigned long long> a16{0x6800, 0x3C00, 0x3C00}, b16{0x3C00, 0x3C00, 0x3C00};
  r = dot_of("fp16-fma", "float16", a16, b16);
  CHECK(r.code == 0x6800);
  CHECK(r.flags == BX_FLAG_INEXACT);
  r = dot_of("exact<out=float16>", "float16", a16, b16);
  CHECK(r.code == 0x6801);
  CHECK(r.flags == 0);
  // V100 fused step (Fasi et al.): 4 products aligned to the largest exponent in a 24-bit register
  // with truncation: 1 + 2^-24 + 2^-24 loses both small terms, the exact sum 1 + 2^-23 is float32 0x3F800001
  const unsigned long long one = 0x3C00, tiny = 0x0C00;  // float16 1.0 and 2^-12 (2^-12 * 2^-12 = 2^-24)
  const std::vector<unsigned long long> av{one, tiny, tiny}, bv{one, tiny, tiny};
  CHECK(dot_of("v100-fp16", "float16", av, bv).code == 0x3F800000);
  CHECK(dot_of("exact", "float16", av, bv).code == 0x3F800001);
  // an empty dot product is +0; with c it is c
  CHECK(dot_of("exact", "e4m3", {}, {}).code == 0);
  CHECK(dot_of("exact", "e4m3", {}, {}, 0x40490FDB, 1).code == 0x40490FDB);
}

TEST_CASE("dot products: exact accumulation of E4M3 vectors against double sums, fp32-fma against fmaf") {
  // Products of E4M3 values span 2^-18 .. 2^17.6 with 8-bit significands: a sum of 32 of them is exact
  // in a double, and one cast to float is the correctly rounded float32 result.
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    unsigned code = unsigned(state >> 56);
    return (code & 0x7F) == 0x7F ? code & 0xFE : code;  // no NaN
  };
  size_t cases = 0, mismatches = 0;
  for (int t = 0; t < 3000; ++t) {
    const int n = 1 + t % 32;
    std::vector<unsigned long long> a(n), b(n);
    double sum = 0;
    float chain = 0.0f;
    for (int i = 0; i < n; ++i) {
      a[i] = next();
      b[i] = next();
      sum += e4m3_value(unsigned(a[i])) * e4m3_value(unsigned(b[i]));
      chain = std::fmaf(float(e4m3_value(unsigned(a[i]))), float(e4m3_value(unsigned(b[i]))), chain);
    }
    const DotResult exact = dot_of("exact", "float8_e4m3fn", a, b, 0, 1);  // c = +0, as the double and fmaf sums
    const DotResult fma = dot_of("fp32-fma", "float8_e4m3fn", a, b, 0, 1);
    cases += 2;
    if (exact.status != BX_OK || exact.code != bits_of(float(sum))) ++mismatches;
    if (fma.status != BX_OK || fma.code != bits_of(chain)) ++mismatches;
    if (mismatches && mismatches <= 2 && (exact.code != bits_of(float(sum)) || fma.code != bits_of(chain)))
      FAIL_CHECK("n=" << n << " exact " << exact.code << " vs " << bits_of(float(sum)) << ", fma " << fma.code
                      << " vs " << bits_of(chain));
  }
  CHECK(cases == 6000);
  CHECK(mismatches == 0);
}

TEST_CASE("dot products: explicit random words for a stochastic accumulator, and bad arguments") {
  // A float16 accumulator rounded stochastically at every inexact step: 2048 + 1 is inexact (a tie,
  // fraction 1/2), so it draws one word: below 2^63 it rounds up to 2050, otherwise down to 2048.
  const char* model = "sequential<acc=float16,acc_round=sr,out=float16>";
  const std::vector<unsigned long long> a{0x6800, 0x3C00}, b{0x3C00, 0x3C00};
  CHECK(dot_of(model, "float16", a, b, 0, 0, {0}).code == 0x6801);
  CHECK(dot_of(model, "float16", a, b, 0, 0, {1ULL << 63}).code == 0x6800);
  CHECK(dot_of(model, "float16", a, b, 0, 0, {}).status == BX_ERR_RANDOM);  // a draw with no words given
  CHECK(dot_of(model, "float16", {0x6800, 0x3C00, 0x3C00}, {0x3C00, 0x3C00, 0x3C00}, 0, 0, {0}).status ==
        BX_ERR_RANDOM);  // two inexact steps, one word
  CHECK(dot_of(model, "float16", {0x3C00}, {0x3C00}, 0, 0, {}).status == BX_OK);  // exact: no draw

  unsigned long long r = 0;
  unsigned int f = 0;
  const unsigned long long x[2] = {0x38, 0x38};
  CHECK(dot_of("nonsense<k=4>", "e4m3", {0x38}, {0x38}).status == BX_ERR_MODEL);
  CHECK(dot_of("exact", "e4m3x", {0x38}, {0x38}).status == BX_ERR_FORMAT);
  CHECK(dot_of("exact", "e4m3", {0x138}, {0x38}).status == BX_ERR_OPERAND);
  CHECK(dot_of("exact", "e4m3", {0x38}, {0x38}, 1ULL << 32, 1).status == BX_ERR_OPERAND);  // c is a float32 code
  CHECK(bx_dot("exact", "e4m3", "e4m3", -1, x, x, 0, 0, 0, 0, 0, 0, nullptr, 0, &r, &f) == BX_ERR_ARGUMENT);
  CHECK(bx_dot("exact", "e4m3", "e4m3", 2, nullptr, x, 0, 0, 0, 0, 0, 0, nullptr, 0, &r, &f) == BX_ERR_ARGUMENT);
  CHECK(bx_dot("exact", "e4m3", "e4m3", 2, x, x, 0, 0, 0, 0, 0, 0, nullptr, 1, &r, &f) == BX_ERR_ARGUMENT);
  CHECK(bx_dot("exact", "e4m3", "e4m3", 2, x, x, 0, 0, 9, 0, 0, 0, nullptr, 0, &r, &f) == BX_ERR_ROUNDING);
  // mixed operand formats: E4M3 x E5M2 (1.0 * 1.0 + 1.0 * 1.0 = 2)
  const unsigned long long y[2] = {0x3C, 0x3C};
  CHECK(bx_dot("exact", "e4m3", "e5m2", 2, x, y, 0, 0, 0, 0, 0, 0, nullptr, 0, &r, &f) == BX_OK);
  CHECK(r == 0x40000000);
  // bx_dot_sv outside a simulator: no svdpi functions to read the arrays with
  CHECK(bx_dot_sv("exact", "e4m3", "e4m3", nullptr, nullptr, 0, 0, 0, 0, 0, 0, nullptr, &r, &f) == BX_ERR_ARGUMENT);
}
