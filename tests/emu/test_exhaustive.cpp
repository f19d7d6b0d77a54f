// Exhaustive conformance of the core (emu/ops.hpp) with the independent oracle
// (emu/reference/) for every catalogued format of at most 8 bits, plus known answers that pin
// the oracle itself to emu/SEMANTICS.md, and a cross-check of the oracle's two neighbour methods.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <mutex>
#include <string>
#include <vector>

#include "emu/reference/conformance.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/catalog.hpp"
#include "tests/reduced.hpp"

using namespace bitexact;
using namespace bitexact::reference;

namespace {

const Format& F(const char* n) { return Catalog::builtin().find(n)->format; }
constexpr uint8_t X = flag::inexact, U = flag::underflow, O = flag::overflow, Z = flag::divbyzero,
                  V = flag::invalid;
constexpr RoundingMode kModes[] = {RoundingMode::RNE, RoundingMode::RNA, RoundingMode::RTZ,
                                   RoundingMode::RUP, RoundingMode::RDN, RoundingMode::ROD};

// Reduced sweep (BITEXACT_REDUCED=1, the sanitizer build): one or two formats per kind instead of
// all 50, and 1/50 of the random fma triples.
const char* const kReducedFormats[] = {"float8_e4m3fn", "float8_e5m2fnuz", "float8_e8m0fnu", "float6_e3m2fn",
                                       "float4_e2m1fn", "int4", "nf4"};

std::vector<const Format*> small_formats() {
  std::vector<const Format*> v;
  for (const CatalogEntry& e : Catalog::builtin().entries()) {
    if (e.format.width() > 8) continue;
    if (bitexact_test::reduced() &&
        std::find(std::begin(kReducedFormats), std::end(kReducedFormats), e.format.name) == std::end(kReducedFormats))
      continue;
    v.push_back(&e.format);
  }
  return v;
}

// The options every case starts from: all formats (or the reduced set) and their random counts.
ConformanceOptions base_options() {
  ConformanceOptions o;
  if (bitexact_test::reduced()) {
    for (const Format* f : small_formats()) o.formats.push_back(f->name);
    o.fma_random_cases = bitexact_test::reduce(o.fma_random_cases, 50);
    o.variant_fma_random_cases = bitexact_test::reduce(o.variant_fma_random_cases, 50);
  }
  return o;
}

// Checks every row and returns the number of cases run.
uint64_t check_rows(const std::vector<ConformanceRow>& rows) {
  uint64_t cases = 0;
  for (const ConformanceRow& r : rows) {
    cases += r.cases;
    CHECK_MESSAGE(r.mismatches == 0, r.format, " ", r.operation, " ", r.mode, "/", r.overflow, " ", r.variant,
                  ": ", r.mismatches, " of ", r.cases, " differ; first: ", r.first_mismatch);
  }
  MESSAGE(cases, " cases in ", rows.size(), " rows", std::string(bitexact_test::reduced() ? " (reduced sweep)" : ""));
  return cases;
}

ConformanceOptions only(bool convert, bool sqrt, bool binary, bool fma) {
  ConformanceOptions o = base_options();
  o.convert = convert;
  o.sqrt = sqrt;
  o.binary = binary;
  o.fma = fma;
  o.variants = false;
  o.stochastic = false;
  return o;
}

// The oracle on a float32 input, with both neighbour methods; they must agree.
OracleResult o32(const char* to, float x, RoundingMode m = RoundingMode::RNE,
                 OverflowPolicy p = OverflowPolicy::Ieee, Tininess t = Tininess::AfterRounding) {
  Env env;
  env.mode = m;
  env.overflow = p;
  env.tininess = t;
  const uint64_t code = std::bit_cast<uint32_t>(x);
  const OracleResult a = oracle_convert(F("float32"), code, F(to), env, Method::Mpfr);
  if (F(to).width() <= 16) {
    const OracleResult b = oracle_convert(F("float32"), code, F(to), env, Method::Enumerate);
    CHECK_MESSAGE(a == b, to, " ", x);
  }
  return a;
}

// Cases in the rows run_conformance makes for one (mode, policy, variant) per format.
uint64_t rows_cases(const ConformanceOptions& o, uint64_t fma_random) {
  uint64_t n = 0;
  const uint64_t targets = Catalog::builtin().entries().size();
  for (const Format* f : small_formats()) {
    const uint64_t c = uint64_t{1} << f->width();
    n += c * targets + 2 * 65536 + c + 4 * c * c;
    n += f->width() <= o.fma_exhaustive_max_bits ? c * c * c : fma_random;
  }
  return n;
}

uint64_t sum_codes(int power) {
  uint64_t n = 0;
  for (const Format* f : small_formats()) n += uint64_t{1} << (power * f->width());
  return n;
}

}  // namespace

TEST_CASE("oracle known answers (worked by hand from SEMANTICS.md)") {
  using RM = RoundingMode;
  const OverflowPolicy SAT = OverflowPolicy::Saturate;
  // OCP E4M3: the lattice extends one step (480) past max 448; overflow is decided after rounding.
  CHECK(o32("float8_e4m3fn", 464) == OracleResult{0x7E, X, 0});
  CHECK(o32("float8_e4m3fn", 465) == OracleResult{0x7F, O | X, 0});
  CHECK(o32("float8_e4m3fn", -465) == OracleResult{0xFF, O | X, 0});
  CHECK(o32("float8_e4m3fn", 465, RM::RNE, SAT) == OracleResult{0x7E, O | X, 0});
  CHECK(o32("float8_e4m3fn", 480) == OracleResult{0x7F, O | X, 0});
  CHECK(o32("float8_e4m3fn", 1e6f, RM::RTZ) == OracleResult{0x7E, O | X, 0});
  CHECK(o32("float8_e4m3fn", 449, RM::ROD) == OracleResult{0x7E, O | X, 0});  // odd candidate is 480
  CHECK(o32("float8_e4m3fn", -1e6f, RM::RUP) == OracleResult{0xFE, O | X, 0});
  CHECK(o32("float8_e4m3fn", -1e6f, RM::RDN) == OracleResult{0xFF, O | X, 0});
  CHECK(o32("float8_e4m3fn", INFINITY) == OracleResult{0x7F, V, 0});
  CHECK(o32("float8_e4m3fn", -INFINITY, RM::RNE, SAT) == OracleResult{0xFE, O | X, 0});
  CHECK(o32("float8_e4m3fn", 1.0625f) == OracleResult{0x38, X, 0});           // tie -> even 1.0
  CHECK(o32("float8_e4m3fn", 1.0625f, RM::RNA) == OracleResult{0x39, X, 0});  // tie -> away
  CHECK(o32("float8_e4m3fn", 1.01f, RM::ROD) == OracleResult{0x39, X, 0});
  // float16: 65520 is the midpoint of 65504 (0x7BFF, odd) and 65536 (virtual 0x7C00, even).
  CHECK(o32("float16", 65519) == OracleResult{0x7BFF, X, 0});
  CHECK(o32("float16", 65520) == OracleResult{0x7C00, O | X, 0});
  CHECK(o32("float16", 65520, RM::ROD) == OracleResult{0x7BFF, X, 0});  // max is odd: no overflow
  CHECK(o32("float16", 0x1p-25f) == OracleResult{0x0000, U | X, 0});     // half the min subnormal
  CHECK(o32("float16", 0x1.8p-25f) == OracleResult{0x0001, U | X, 0});
  // Just below 2^-14 = min normal: 2^-14 (1 - 2^-12) is the midpoint of the 11-bit unbounded
  // candidates, rounds to 2^-14 there (tie to even), so it is not tiny after rounding.
  CHECK(o32("float16", 0x1.ffep-15f) == OracleResult{0x0400, X, 0});
  CHECK(o32("float16", 0x1.ffep-15f, RM::RNE, OverflowPolicy::Ieee, Tininess::BeforeRounding) ==
        OracleResult{0x0400, U | X, 0});
  // 2^-14 - 2^-25 is an 11-bit value below 2^-14: tiny, although it rounds to the normal 2^-14.
  CHECK(o32("float16", 0x1.ffcp-15f) == OracleResult{0x0400, U | X, 0});
  // E8M0: ties by the exponent field's LSB; the no-zero gap {0, 2^-127}; zero and negatives.
  CHECK(o32("float8_e8m0fnu", 3) == OracleResult{0x80, X, 0});  // 2 (field 128, even) / 4
  CHECK(o32("float8_e8m0fnu", 6) == OracleResult{0x82, X, 0});  // 4 (129) / 8 (130, even)
  CHECK(o32("float8_e8m0fnu", 3, RM::ROD) == OracleResult{0x81, X, 0});
  CHECK(o32("float8_e8m0fnu", 0) == OracleResult{0xFF, V, 0});
  CHECK(o32("float8_e8m0fnu", 0, RM::RNE, SAT) == OracleResult{0x00, U | X, 0});
  CHECK(o32("float8_e8m0fnu", 0x1p-128f) == OracleResult{0x00, U | X, 0});  // tie -> 0 (even) -> min
  CHECK(o32("float8_e8m0fnu", 0x1.8p-128f) == OracleResult{0x00, X, 0});    // rounds to 2^-127
  CHECK(o32("float8_e8m0fnu", 0x1.8p-128f, RM::RNE, OverflowPolicy::Ieee, Tininess::BeforeRounding) ==
        OracleResult{0x00, U | X, 0});
  CHECK(o32("float8_e8m0fnu", 0x1p-140f, RM::RUP) == OracleResult{0x00, U | X, 0});
  CHECK(o32("float8_e8m0fnu", 0x1.8p127f) == OracleResult{0xFE, X, 0});  // 2^127 (254, even) / 2^128
  CHECK(o32("float8_e8m0fnu", 0x1.cp127f) == OracleResult{0xFF, O | X, 0});
  CHECK(o32("float8_e8m0fnu", 0x1.cp127f, RM::RNE, SAT) == OracleResult{0xFE, O | X, 0});
  CHECK(o32("float8_e8m0fnu", -1) == OracleResult{0xFF, V, 0});
  CHECK(o32("float8_e8m0fnu", -1, RM::RNE, SAT) == OracleResult{0x00, V, 0});
  // Unsigned UE4M3: negative values are invalid unless they round to zero.
  CHECK(o32("ue4m3", -1) == OracleResult{0x7F, V, 0});
  CHECK(o32("ue4m3", -1, RM::RNE, SAT) == OracleResult{0x00, V, 0});
  CHECK(o32("ue4m3", -0x1p-12f) == OracleResult{0x00, U | X, 0});
  CHECK(o32("ue4m3", -0x1p-12f, RM::RDN) == OracleResult{0x7F, V, 0});
  CHECK(o32("ue4m3", -0.0f) == OracleResult{0x00, 0, 0});
  // fnuz: no -0; NaN is 0x80.
  CHECK(o32("float8_e4m3fnuz", -0.0f) == OracleResult{0x00, 0, 0});
  CHECK(o32("float8_e4m3fnuz", -NAN) == OracleResult{0x80, 0, 0});
  CHECK(o32("float8_e4m3fnuz", -0x1p-12f) == OracleResult{0x00, U | X, 0});
  // FP4: no inf, no NaN.
  CHECK(o32("float4_e2m1fn", 5) == OracleResult{0x6, X, 0});
  CHECK(o32("float4_e2m1fn", 100) == OracleResult{0x7, O | X, 0});
  CHECK(o32("float4_e2m1fn", -INFINITY) == OracleResult{0xF, O | X, 0});
  CHECK(o32("float4_e2m1fn", NAN) == OracleResult{0x7, V, 0});

  Env e;
  const Format& fp4 = F("float4_e2m1fn");
  CHECK(oracle_binary(Op::Div, fp4, 0x0, 0x0, e) == OracleResult{0x7, V, 0});  // 0/0: NaN -> +max
  CHECK(oracle_binary(Op::Div, fp4, 0x2, 0x0, e) == OracleResult{0x7, Z | O | X, 0});
  CHECK(oracle_binary(Op::Div, fp4, 0x2, 0x8, e) == OracleResult{0xF, Z | O | X, 0});
  Env mld = e;
  mld.nan_to_nonan = NanToNoNan::Zero;
  CHECK(oracle_binary(Op::Div, fp4, 0x0, 0x0, mld) == OracleResult{0x8, V, 0});
  const Format& f32 = F("float32");
  CHECK(oracle_binary(Op::Div, f32, 0x3F800000, 0x40400000, e) == OracleResult{0x3EAAAAAB, X, 0});
  CHECK(oracle_sqrt(f32, 0x40000000, e) == OracleResult{0x3FB504F3, X, 0});
  CHECK(oracle_fma(f32, 0x3F800001, 0x3F800001, 0xBF800002, e) == OracleResult{0x28800000, 0, 0});
  CHECK(oracle_fma(f32, 0x7F800000, 0x00000000, 0x7FC00000, e) == OracleResult{0x7FC00000, V, 0});
  CHECK(oracle_binary(Op::Mul, f32, 0x00800001, 0x3F000000, e) == OracleResult{0x00400000, U | X, 0});
  CHECK(oracle_binary(Op::Mul, f32, 0x00800000, 0x3F000000, e) == OracleResult{0x00400000, 0, 0});
  CHECK(oracle_binary(Op::Sub, f32, 0x3F800000, 0x3F800000, e) == OracleResult{0x00000000, 0, 0});
  Env rdn = e;
  rdn.mode = RM::RDN;
  CHECK(oracle_binary(Op::Sub, f32, 0x3F800000, 0x3F800000, rdn) == OracleResult{0x80000000, 0, 0});
  CHECK(oracle_binary(Op::Sub, F("float8_e4m3fnuz"), 0x38, 0x38, rdn) == OracleResult{0x00, 0, 0});
  const Format& f64 = F("float64");
  CHECK(oracle_binary(Op::Div, f64, 0x3FF0000000000000, 0x4008000000000000, e) ==
        OracleResult{0x3FD5555555555555, X, 0});
  // Exact on the extended lattice above max: no random draw, but overflow.
  Env sr = e;
  sr.mode = RM::SR;
  const uint64_t words[] = {~uint64_t{0}};  // u = 2^64-1 >= F: the lower candidate
  sr.explicit_bits = words;
  CHECK(oracle_convert(f32, std::bit_cast<uint32_t>(480.0f), F("float8_e4m3fn"), sr) == OracleResult{0x7F, O | X, 0});
  CHECK(oracle_convert(f32, std::bit_cast<uint32_t>(449.0f), F("float8_e4m3fn"), sr) == OracleResult{0x7E, X, 1});
}

TEST_CASE("exhaustive: every code converted to every catalogued format, float16/bfloat16 into each") {
  const auto rows = run_conformance(only(true, false, false, false));
  const uint64_t targets = Catalog::builtin().entries().size();
  CHECK(check_rows(rows) == 12 * (sum_codes(1) * targets + small_formats().size() * 2 * 65536));
}

TEST_CASE("exhaustive: sqrt of every code, add/sub/mul/div of every pair") {
  const auto rows = run_conformance(only(false, true, true, false));
  CHECK(check_rows(rows) == 12 * (sum_codes(1) + 4 * sum_codes(2)));
}

TEST_CASE("exhaustive: fma of every triple (<= 6 bits), 1,000,000 random triples per wider format") {
  ConformanceOptions o = only(false, false, false, true);
  const auto rows = run_conformance(o);
  uint64_t expected = 0;
  for (const Format* f : small_formats())
    expected += f->width() <= 6 ? 12 * (uint64_t{1} << (3 * f->width())) : 12 * ((o.fma_random_cases + 11) / 12);
  CHECK(check_rows(rows) == expected);
}

TEST_CASE("exhaustive: tininess before rounding, ftz and daz under every mode") {
  ConformanceOptions o = base_options();
  o.deterministic = false;
  o.stochastic = false;
  const auto rows = run_conformance(o);
  uint64_t with_variant = 0;
  for (const ConformanceRow& r : rows) with_variant += !r.variant.empty();
  CHECK(with_variant == rows.size());
  CHECK(check_rows(rows) == 6 * 3 * rows_cases(o, o.variant_fma_random_cases));
}

TEST_CASE("exhaustive: sr and sr:3 with counter-based random words") {
  ConformanceOptions o = base_options();
  o.deterministic = false;
  o.variants = false;
  const auto rows = run_conformance(o);
  CHECK(check_rows(rows) == 2 * rows_cases(o, o.fma_random_cases / 12));
}

TEST_CASE("oracle: value-set enumeration and MPFR neighbours agree on every <= 8-bit case") {
  // Every float16 / bfloat16 code into each <= 8-bit format, and every pair through the four
  // binary operations, under every mode (stochastic ones included) and both policies.
  struct Job {
    const Format* f;
    const Format* from;  // conversion source, or nullptr for the binary operations
    Env env;
  };
  std::vector<Job> jobs;
  std::vector<Env> envs;
  for (RoundingMode m : kModes) {
    for (OverflowPolicy p : {OverflowPolicy::Ieee, OverflowPolicy::Saturate}) {
      Env e;
      e.mode = m;
      e.overflow = p;
      envs.push_back(e);
    }
  }
  Env t;
  t.tininess = Tininess::BeforeRounding;
  envs.push_back(t);
  t = {};
  t.subnormals = SubnormalPolicy::FlushOut;
  envs.push_back(t);
  for (int r : {0, 3}) {
    Env s;
    s.mode = r == 0 ? RoundingMode::SR : RoundingMode::SRR;
    s.sr_bits = r;
    envs.push_back(s);
  }
  for (const Format* f : small_formats())
    for (const Env& e : envs) {
      jobs.push_back({f, &F("float16"), e});
      jobs.push_back({f, &F("bfloat16"), e});
      jobs.push_back({f, nullptr, e});
    }
  std::atomic<uint64_t> cases{0}, bad{0};
  std::string first;
  std::mutex m;
  parallel_for(jobs.size(), 2, [&](uint64_t j) {
    const Job& job = jobs[j];
    const uint64_t n = uint64_t{1} << job.f->width();
    uint64_t local = 0;
    auto compare = [&](const Case& c, uint64_t i) {
      Env e = job.env;
      e.index = i;
      const OracleResult a = run_oracle(c, e, Method::Enumerate), b = run_oracle(c, e, Method::Mpfr);
      ++local;
      if (!(a == b)) {
        std::lock_guard<std::mutex> lock(m);
        if (bad++ == 0) {
          CaseOutcome o;
          o.core_code = a.code, o.core_flags = a.flags, o.core_draws = a.draws, o.oracle = b;
          first = "(enumerate as 'core', mpfr as 'oracle') " + describe_case(c, e, o);
        }
      }
    };
    if (job.from) {
      for (uint64_t i = 0; i < 65536; ++i) compare(Case{Op::Convert, job.from, job.f, i, 0, 0}, i);
    } else {
      for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div})
        for (uint64_t i = 0; i < n * n; ++i) compare(Case{op, job.f, nullptr, i / n, i % n, 0}, i);
      for (uint64_t i = 0; i < n; ++i) compare(Case{Op::Sqrt, job.f, nullptr, i, 0, 0}, i);
    }
    cases += local;
  });
  INFO(first);
  CHECK(bad == 0);
  MESSAGE(cases.load(), " cases", std::string(bitexact_test::reduced() ? " (reduced sweep)" : ""));
  CHECK(cases == envs.size() * (small_formats().size() * 2 * 65536 + 4 * sum_codes(2) + sum_codes(1)));
}
