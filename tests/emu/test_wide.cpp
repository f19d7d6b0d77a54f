// The core against the MPFR oracle on the wide formats (float16, bfloat16, tfloat32, float32,
// float64): every pair / triple of special values, then seeded random cases biased toward the
// hard ones (cancellation, halfway cases, subnormal and overflowing results) for every
// operation and every mode. For the 16-bit formats the oracle's two neighbour methods
// (value-set enumeration and MPFR rounding) are also checked against each other.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "emu/random.hpp"
#include "emu/reference/conformance.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/catalog.hpp"
#include "formats/codec.hpp"
#include "tests/reduced.hpp"

using namespace bitexact;
using namespace bitexact::reference;

namespace {

const Format& F(const std::string& n) { return Catalog::builtin().find(n)->format; }
const char* const kWide[] = {"float16", "bfloat16", "tfloat32", "float32", "float64"};
constexpr RoundingMode kModes[] = {RoundingMode::RNE, RoundingMode::RNA, RoundingMode::RTZ,
                                   RoundingMode::RUP, RoundingMode::RDN, RoundingMode::ROD};
constexpr Op kOps[] = {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Fma, Op::Sqrt, Op::Convert};

// Random cases per (format, operation, mode); BITEXACT_WIDE_CASES overrides (for quick runs).
// The reduced sweep (BITEXACT_REDUCED=1, the sanitizer build): 20,000.
uint64_t random_cases() {
  if (const char* s = std::getenv("BITEXACT_WIDE_CASES")) return std::strtoull(s, nullptr, 10);
  return bitexact_test::reduce(1'000'000, 50);
}

struct Rng {
  uint64_t seed, stream, ctr;
  uint64_t next() { return counter_random(seed, stream, ctr++); }
  uint64_t below(uint64_t n) { return next() % n; }
  int range(int lo, int hi) { return lo + int(below(uint64_t(hi - lo + 1))); }  // [lo, hi]
  bool coin() { return next() & 1; }
};

// Codes of a wide (IEEE-style) format built from fields.
struct Fields {
  const Format* f;
  int M;
  int64_t max_field;  // largest finite exponent field
  uint64_t sign;

  explicit Fields(const Format& fmt)
      : f(&fmt), M(fmt.fp.man_bits), max_field(int64_t(fmt.facts.max_code >> fmt.fp.man_bits)),
        sign(fmt.facts.sign_bit) {}
  uint64_t code(bool s, int64_t field, uint64_t man) const {
    field = std::clamp<int64_t>(field, 0, max_field);
    return (s ? sign : 0) | (uint64_t(field) << M) | (man & f->facts.man_mask);
  }
  int64_t field(uint64_t c) const { return int64_t((c & ~sign & f->facts.code_mask) >> M); }
  uint64_t mantissa(Rng& r) const {
    const uint64_t mask = f->facts.man_mask;
    const int k = r.range(0, M);
    switch (r.below(8)) {
      case 0: return 0;
      case 1: return mask;
      case 2: return 1;
      case 3: return uint64_t{1} << (M - 1);
      case 4: return (r.next() >> k << k) & mask;                       // trailing zeros
      case 5: return (r.next() | ((uint64_t{1} << k) - 1)) & mask;      // trailing ones
      default: return r.next() & mask;
    }
  }
  // A biased random operand.
  uint64_t operand(Rng& r) const {
    const bool s = r.coin();
    switch (r.below(10)) {
      case 0: return r.next() & f->facts.code_mask;                          // any code
      case 1: return specials()[r.below(specials().size())];
      case 2: return code(s, r.range(0, 3), mantissa(r));                    // near the subnormals
      case 3: return code(s, max_field - r.range(0, 3), mantissa(r));        // near overflow
      case 4:
      case 5: return code(s, f->fp.bias + r.range(-4, 4), mantissa(r));      // near one
      default: return code(s, r.range(0, int(max_field)), mantissa(r));
    }
  }
  const std::vector<uint64_t>& specials() const {
    thread_local std::vector<uint64_t> v;
    thread_local const Format* of = nullptr;
    if (of == f) return v;
    of = f;
    v.clear();
    const uint64_t man = f->facts.man_mask, exp_all = uint64_t(f->facts.exp_field_max) << M;
    for (bool s : {false, true}) {
      const uint64_t sb = s ? sign : 0;
      for (uint64_t c : {uint64_t{0}, uint64_t{1}, uint64_t{2}, man, man - 1, man + 1, man + 2,  // zero, subnormals, min normal
                         f->facts.max_code, f->facts.max_code - 1,
                         uint64_t(f->fp.bias) << M, (uint64_t(f->fp.bias) << M) + 1, (uint64_t(f->fp.bias) << M) - 1,
                         (uint64_t(f->fp.bias) << M) | (uint64_t{1} << (M - 1)),
                         exp_all, exp_all | (uint64_t{1} << (M - 1)), exp_all | 1})  // inf, qNaN, sNaN
        v.push_back(sb | c);
    }
    return v;
  }
};

// A value of `from` at (or a few codes around) a midpoint of `to`'s lattice, when `from` is wider.
uint64_t near_midpoint(const Format& from, const Format& to, Rng& r) {
  const Fields ft(to), ff(from);
  uint64_t t = r.coin() ? ft.operand(r) : ft.code(r.coin(), r.coin() ? r.range(0, 3) : ft.max_field - r.range(0, 1),
                                                         ft.mantissa(r));
  const Unpacked u = decode(to, t);
  if (!u.is_finite_nonzero()) return ff.operand(r);
  Unpacked m = u;
  m.significand = 2 * u.significand + 1;  // the midpoint above t
  m.exponent = u.exponent - 1;
  const auto c = encode(from, m);
  if (!c) return ff.operand(r);
  const int64_t k = r.range(-2, 2);
  return (*c + uint64_t(k)) & from.facts.code_mask;
}

// A biased random case for op on f (convert: from f to another wide format).
Case random_case(Op op, const Format& f, Rng& r, uint64_t i) {
  const Fields fd(f);
  Case c{op, &f, nullptr, fd.operand(r), fd.operand(r), fd.operand(r)};
  const int M = fd.M;
  const int64_t bias = f.fp.bias;
  Env rne;
  switch (op) {
    case Op::Add:
    case Op::Sub: {
      const int64_t ea = fd.field(c.a);
      switch (r.below(6)) {
        case 0: c.b = fd.code(r.coin(), ea + r.range(-3, 3), fd.mantissa(r)); break;          // cancellation
        case 1: c.b = fd.code(r.coin(), ea - (M + 1) + r.range(-2, 1), fd.mantissa(r)); break;  // ~half ulp
        case 2: c.b = ((c.a ^ (r.coin() ? fd.sign : 0)) + uint64_t(r.range(-3, 3))) & f.facts.code_mask; break;
        case 3: c.b = fd.code(r.coin(), ea - (M + 2 + r.range(0, 40)), fd.mantissa(r)); break;
        default: break;
      }
      break;
    }
    case Op::Mul:
    case Op::Div: {
      const int64_t ea = fd.field(c.a);
      // Result exponent field near the subnormals or near overflow.
      const int64_t target = r.coin() ? r.range(-M - 2, 3) : fd.max_field + r.range(-2, 2);
      switch (r.below(3)) {
        case 0:
          c.b = fd.code(r.coin(), op == Op::Mul ? target - ea + bias : ea + bias - target, fd.mantissa(r));
          break;
        case 1: c.b = (c.a + uint64_t(r.range(-3, 3))) & f.facts.code_mask; break;  // quotient near 1
        default: break;
      }
      break;
    }
    case Op::Fma: {
      switch (r.below(5)) {
        case 0:
        case 1: {  // c near -(a*b): massive cancellation
          const uint64_t p = oracle_binary(Op::Mul, f, c.a, c.b, rne).code;
          c.c = ((p ^ fd.sign) + uint64_t(r.range(-2, 2))) & f.facts.code_mask;
          break;
        }
        case 2: {  // c around half an ulp of the product
          const uint64_t p = oracle_binary(Op::Mul, f, c.a, c.b, rne).code;
          c.c = fd.code(r.coin(), fd.field(p) - (M + 1) + r.range(-2, 1), fd.mantissa(r));
          break;
        }
        default: break;
      }
      break;
    }
    case Op::Sqrt: {
      switch (r.below(4)) {
        case 0: {  // y^2 + y*ulp(y) = (y + ulp/2)^2 - ulp^2/4: sqrt just below a midpoint
          const uint64_t y = fd.code(false, bias + r.range(-4, 4), fd.mantissa(r));
          const uint64_t yu = fd.code(false, fd.field(y) - M, y & f.facts.man_mask);
          Env e;
          e.mode = kModes[r.below(6)];
          c.a = (oracle_fma(f, y, y, yu, e).code + uint64_t(r.range(-1, 1))) & f.facts.code_mask;
          break;
        }
        case 1: {  // perfect squares and their neighbours
          const uint64_t y = fd.code(false, bias + r.range(-20, 20), fd.mantissa(r) >> (M / 2 + 1));
          c.a = (oracle_binary(Op::Mul, f, y, y, rne).code + uint64_t(r.range(-1, 1))) & f.facts.code_mask;
          break;
        }
        default: c.a &= ~fd.sign; break;
      }
      break;
    }
    case Op::Convert: {
      static const std::vector<const Format*> wide = [] {
        std::vector<const Format*> v;
        for (const char* n : kWide) v.push_back(&F(n));
        return v;
      }();
      std::vector<const Format*> others;
      others.reserve(wide.size());
      for (const Format* w : wide)
        if (w != &f) others.push_back(w);
      c.to = others[i % others.size()];
      if (r.below(3) != 0 && c.to->fp.man_bits < f.fp.man_bits) c.a = near_midpoint(f, *c.to, r);
      break;
    }
  }
  return c;
}

// The environment of case i in a row of mode m: the policy and subnormal/tininess/NaN variants
// cycle with i so that every row covers them.
Env case_env(RoundingMode m, int sr_bits, uint64_t i) {
  Env e;
  e.mode = m;
  e.sr_bits = sr_bits;
  e.overflow = (i & 1) ? OverflowPolicy::Saturate : OverflowPolicy::Ieee;
  switch ((i >> 1) % 10) {
    case 6: e.tininess = Tininess::BeforeRounding; break;
    case 7: e.subnormals = SubnormalPolicy::FlushOut; break;
    case 8: e.subnormals = SubnormalPolicy::FlushIn; break;
    case 9: e.subnormals = SubnormalPolicy::FlushBoth, e.nan_sign = NanSign::Positive; break;
    default: break;
  }
  e.seed = 7;
  e.index = i;
  return e;
}

struct Tally {
  std::atomic<uint64_t> cases{0}, mismatches{0}, method_mismatches{0};
  std::mutex m;
  std::vector<std::string> first;  // a few mismatch descriptions
  void record(const std::string& s) {
    std::lock_guard<std::mutex> lock(m);
    if (first.size() < 20) first.push_back(s);
  }
};

// Core against oracle (and, for 16-bit formats, enumeration against MPFR neighbours).
void check_one(const Case& c, const Env& env, Tally& t, uint64_t& local) {
  const CaseOutcome o = check_case(c, env);
  ++local;
  if (!o.ok()) {
    ++t.mismatches;
    t.record(describe_case(c, env, o));
  }
  const Format& rf = c.op == Op::Convert ? *c.to : *c.f;
  if (rf.width() <= 16) {
    const OracleResult m = run_oracle(c, env, Method::Mpfr);
    if (!(m == o.oracle)) {
      ++t.method_mismatches;
      CaseOutcome x = o;
      x.core_code = m.code, x.core_flags = m.flags, x.core_draws = m.draws;
      t.record("(mpfr neighbours as 'core') " + describe_case(c, env, x));
    }
  }
}

void report(Tally& t) {
  std::string all;
  for (const std::string& s : t.first) all += s + "\n";
  INFO(all);
  CHECK(t.mismatches == 0);
  CHECK(t.method_mismatches == 0);
}

}  // namespace

TEST_CASE("wide formats: every combination of special values, every mode, policy and variant") {
  Tally t;
  struct Job {
    const Format* f;
    Op op;
  };
  std::vector<Job> jobs;
  for (const char* n : kWide) jobs.push_back({&F(n), Op::Fma});  // the big ones first
  for (const char* n : kWide)
    for (Op op : kOps)
      if (op != Op::Fma) jobs.push_back({&F(n), op});
  parallel_for(jobs.size(), 2, [&](uint64_t j) {
    const Format& f = *jobs[j].f;
    const Op op = jobs[j].op;
    const Fields fd(f);
    const std::vector<uint64_t> sp = fd.specials();
    const uint64_t n = sp.size();
    std::vector<const Format*> targets;
    for (const char* w : kWide) targets.push_back(&F(w));
    uint64_t local = 0;
    for (RoundingMode m : kModes) {
      // policies x variants, as case_env cycles them (the reduced sweep: every 7th combination)
      for (uint64_t v = 0; v < 20; v += bitexact_test::reduced() ? 7 : 1) {
        const Env env = case_env(m, 0, v);
        switch (op) {
          case Op::Sqrt:
            for (uint64_t a : sp) check_one(Case{op, &f, nullptr, a, 0, 0}, env, t, local);
            break;
          case Op::Convert:
            for (const Format* to : targets)
              for (uint64_t a : sp) check_one(Case{op, &f, to, a, 0, 0}, env, t, local);
            break;
          case Op::Fma:
            for (uint64_t i = 0; i < n * n * n; ++i)
              check_one(Case{op, &f, nullptr, sp[i / (n * n)], sp[(i / n) % n], sp[i % n]}, env, t, local);
            break;
          default:
            for (uint64_t i = 0; i < n * n; ++i) check_one(Case{op, &f, nullptr, sp[i / n], sp[i % n], 0}, env, t, local);
        }
      }
    }
    t.cases += local;
  });
  report(t);
  CHECK(t.cases > (bitexact_test::reduced() ? 5'000'000 / 7 : 5'000'000));
  MESSAGE("special-value cases: ", t.cases.load(), std::string(bitexact_test::reduced() ? " (reduced sweep)" : ""));
}

namespace {

// Random cases for one format: every operation under every deterministic mode (n cases each),
// and sr / sr:5 (n/10 each).
void run_random(const char* name) {
  const uint64_t n = random_cases();
  const Format& f = F(name);
  Tally t;
  struct Job {
    Op op;
    RoundingMode mode;
    int sr_bits;
    uint64_t cases;
  };
  std::vector<Job> jobs;
  for (Op op : kOps) {
    for (RoundingMode m : kModes) jobs.push_back({op, m, 0, n});
    jobs.push_back({op, RoundingMode::SR, 0, n / 10});
    jobs.push_back({op, RoundingMode::SRR, 5, n / 10});
  }
  parallel_for(jobs.size(), 2, [&](uint64_t j) {
    const Job& job = jobs[j];
    uint64_t local = 0;
    for (uint64_t i = 0; i < job.cases; ++i) {
      Rng r{2024, j, i << 6};
      const Case c = random_case(job.op, f, r, i);
      check_one(c, case_env(job.mode, job.sr_bits, i), t, local);
    }
    t.cases += local;
  });
  report(t);
  CHECK(t.cases == 7 * (6 * n + 2 * (n / 10)));
  MESSAGE(std::string(name), ": ", t.cases.load(), " random cases");
}

}  // namespace

TEST_CASE("float16: seeded random cases biased to hard cases, per operation and mode") { run_random("float16"); }
TEST_CASE("bfloat16: seeded random cases biased to hard cases, per operation and mode") { run_random("bfloat16"); }
TEST_CASE("tfloat32: seeded random cases biased to hard cases, per operation and mode") { run_random("tfloat32"); }
TEST_CASE("float32: seeded random cases biased to hard cases, per operation and mode") { run_random("float32"); }
TEST_CASE("float64: seeded random cases biased to hard cases, per operation and mode") { run_random("float64"); }
