#include "emu/round.hpp"

#include <bit>
#include <cassert>
#include <stdexcept>

#include "emu/round_decision.hpp"
#include "emu/round_family.hpp"
#include "formats/codec.hpp"

namespace bitexact {

namespace {

// Overflow under the IEEE policy goes to infinity for these directions, to max otherwise.
bool overflow_to_infinity(RoundingMode mode, bool sign) {
  switch (mode) {
    case RoundingMode::RTZ:
    case RoundingMode::ROD: return false;
    case RoundingMode::RUP: return !sign;
    case RoundingMode::RDN: return sign;
    default: return true;
  }
}

// The smallest representable magnitude code (+0, or min for formats without zero).
uint64_t lowest_code(const Format& f) { return f.fp.has_zero ? 0 : f.facts.min_code; }

}  // namespace

uint64_t nan_result(const Format& f, bool sign, const Env& env) {
  if (f.family == Family::Int) return int_nan_result(f, env);
  if (f.family == Family::Table) return table_nan_result(f, sign, env);
  const bool s = env.nan_sign == NanSign::Preserve && sign;
  if (auto c = nan_code(f, s)) return *c;
  // ml_dtypes: quiet_NaN() of the MX types is the -0 code, and a negative NaN is its negation, +0.
  if (env.nan_to_nonan == NanToNoNan::Zero) return s ? 0 : f.facts.sign_bit;
  return max_code(f, false);
}

uint64_t round_to_format(const Format& f, const Exact& x, Env& env) {
  if (!f.is_float()) [[unlikely]] return round_other_family(f, x, env);
  // The float family from here on (the hot path, one function so the compiler keeps it whole).
  const FloatParams& p = f.fp;
  const FloatFacts& fx = f.facts;
  const int m = p.man_bits;

  // A value outside an unsigned format's domain, or infinity/zero where the format has none.
  auto invalid_result = [&](bool sign) -> uint64_t {
    env.flags |= flag::invalid;
    if (env.overflow == OverflowPolicy::Saturate || !f.has_nan())
      return sign ? lowest_code(f) : max_code(f, false);
    return nan_result(f, false, env);
  };

  switch (x.cls) {
    case ValueClass::NaN:
      if (!f.has_nan()) env.flags |= flag::invalid;
      return nan_result(f, x.sign, env);
    case ValueClass::Inf:
      if (!p.is_signed && x.sign) return invalid_result(true);
      if (env.overflow == OverflowPolicy::Saturate || (!f.has_inf() && !f.has_nan())) {
        env.flags |= flag::overflow | flag::inexact;  // OFP8 Table 3: SAT maps +-inf to +-max
        return max_code(f, x.sign);
      }
      if (f.has_inf()) return *inf_code(f, x.sign);
      env.flags |= flag::invalid;
      return nan_result(f, x.sign, env);
    case ValueClass::Zero:
      if (p.has_zero) return *zero_code(f, x.sign);
      if (env.overflow == OverflowPolicy::Saturate) {
        env.flags |= flag::underflow | flag::inexact;
        return fx.min_code;
      }
      env.flags |= flag::invalid;
      return f.has_nan() ? nan_result(f, false, env) : fx.min_code;
    case ValueClass::Finite: break;
  }

  assert(x.significand != 0);
  const bool sign = x.sign;
  const int L = msb(x.significand);
  const int64_t E = int64_t(x.exponent) + L;  // floor(log2 |x|)
  const int emin = fx.emin;
  const bool tiny_before = E < emin;

  // Quantum (LSB exponent) of the lattice x rounds to: p bits in a normal binade, the fixed
  // subnormal quantum below emin, or {0, 2^emin} when the format has no subnormals.
  int64_t q;
  if (!tiny_before) q = E - m;
  else if (p.subnormals) q = int64_t(emin) - m;
  else q = emin;

  Split s = split(x.significand, q - x.exponent, x.sticky);
  const bool inexact = s.inexact();
  uint64_t rnd = 0;
  if (is_stochastic(env.mode) && inexact) rnd = env.draw();
  // With no mantissa bits, a normal binade's code LSB is the exponent field's LSB.
  auto code_lsb = [&](int64_t binade, uint64_t k) -> bool {
    return m == 0 && binade >= emin ? ((binade + p.bias) & 1) != 0 : (k & 1) != 0;
  };
  uint64_t kept = s.kept;
  if (round_away(env.mode, sign, code_lsb(E, kept), s, rnd, env.sr_bits)) ++kept;

  // Tininess after rounding: x rounded to p bits with an unbounded exponent range is below 2^emin.
  // Stochastic modes always detect tininess before rounding.
  bool tiny = tiny_before;
  if (tiny_before && env.tininess == Tininess::AfterRounding && !is_stochastic(env.mode) && E == emin - 1) {
    const Split su = split(x.significand, (E - m) - x.exponent, x.sticky);
    const bool all_ones = su.kept == (uint64_t{1} << (m + 1)) - 1;
    const bool odd = m == 0 ? ((E + p.bias) & 1) != 0 : (su.kept & 1) != 0;  // virtual binade's code LSB
    if (all_ones && round_away(env.mode, sign, odd, su, 0, 0))  // rod: only M = 0 with an even virtual binade
      tiny = false;
  }

  uint8_t fl = 0;
  if (inexact) fl |= flag::inexact;
  if (tiny && inexact) fl |= flag::underflow;

  // Unsigned formats: only a result that rounds to zero survives a negative sign.
  if (sign && !p.is_signed) {
    if (kept == 0 && p.has_zero) {
      env.flags |= fl;
      return 0;
    }
    return invalid_result(true);
  }

  if (tiny && env.flush_outputs() && p.has_zero) {
    env.flags |= fl | flag::underflow | flag::inexact;
    return *zero_code(f, sign);
  }

  if (kept == 0) {
    env.flags |= fl;
    if (p.has_zero) return *zero_code(f, sign);
    env.flags |= flag::underflow | flag::inexact;
    return (sign ? fx.sign_bit : 0) | fx.min_code;
  }

  // Normalise the rounded value kept * 2^q and check it against the largest finite value.
  const int km = 63 - std::countl_zero(kept);
  const int64_t Er = q + km;
  const uint64_t sign_bits = sign ? fx.sign_bit : 0;
  bool overflow = Er > fx.emax;
  uint64_t sig_norm = 0;
  if (!overflow && Er >= emin) {
    sig_norm = km >= m ? kept >> (km - m) : kept << (m - km);  // km - m is 0 or 1 (exact carry)
    overflow = Er == fx.emax && sig_norm > fx.max_significand;
  }
  if (overflow) {
    env.flags |= fl | flag::overflow | flag::inexact;
    if (env.overflow == OverflowPolicy::Saturate || !overflow_to_infinity(env.mode, sign))
      return max_code(f, sign);
    if (f.has_inf()) return *inf_code(f, sign);
    if (f.has_nan()) return nan_result(f, sign, env);
    return max_code(f, sign);
  }
  env.flags |= fl;
  if (Er >= emin) {
    const uint64_t field = uint64_t(Er + p.bias);
    return sign_bits | (field << m) | (sig_norm & fx.man_mask);
  }
  return sign_bits | kept;  // subnormal: q == emin - m, so kept is the mantissa field
}

uint64_t round_other_family(const Format& f, const Exact& x, Env& env) {
  switch (f.family) {
    case Family::Float: break;  // round_to_format itself

    case Family::Int: return round_int(f, x, env);

    case Family::Posit: return round_posit(f, x, env);

    case Family::Table: return round_table(f, x, env);
  }
  throw std::logic_error("round_other_family: not another family");
}

}  // namespace bitexact
