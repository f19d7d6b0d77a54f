// The oracle's operations: special cases per emu/SEMANTICS.md ("Special inputs", "Operations"),
// exact results with MPFR, then round_exact().
#include "emu/reference/oracle.hpp"

#include <bit>
#include <stdexcept>

#include "emu/reference/mpfr_util.hpp"
#include "emu/reference/round_exact.hpp"
#include "formats/codec.hpp"

namespace bitexact::reference {

namespace {

struct OpScratch {
  Mp a{64}, b{64}, c{64}, prod{160}, x{kMaxPrec};
};
OpScratch& op_scratch() {
  thread_local OpScratch s;
  return s;
}

// decode() with denormals-are-zero applied: a subnormal operand reads as a zero of its sign.
Unpacked operand(const Format& f, uint64_t code, const Env& env) {
  Unpacked u = decode(f, code);
  const bool daz = env.subnormals == SubnormalPolicy::FlushIn || env.subnormals == SubnormalPolicy::FlushBoth;
  if (u.is_finite_nonzero() && u.subnormal && daz) {
    u.cls = ValueClass::Zero;
    u.significand = 0;
    u.exponent = 0;
    u.subnormal = false;
  }
  return u;
}

int bit_width(uint64_t v) { return int(std::bit_width(v)); }

OracleResult invalid_result(const Format& f, const Env& env) {
  OracleResult r = nan_operation_result(f, env);
  r.flags |= flag::invalid;
  return r;
}

// Rounds the exact value held (signed) in x.
OracleResult round_signed(const Format& f, mpfr_ptr x, bool sticky, const Env& env, Method method) {
  const bool sign = mpfr_signbit(x) != 0;
  mpfr_abs(x, x, MPFR_RNDN);
  return round_exact(f, x, sticky, sign, env, method);
}

// x = a + b exactly, for finite non-zero a, b (signed significand/exponent pairs).
void exact_sum(mpfr_ptr x, mpfr_srcptr a, long ea_lsb, long ea_top, mpfr_srcptr b, long eb_lsb, long eb_top) {
  const long top = std::max(ea_top, eb_top) + 1, bottom = std::min(ea_lsb, eb_lsb);
  mpfr_set_prec(x, std::max(top - bottom, 2L));
  if (mpfr_add(x, a, b, MPFR_RNDN) != 0) throw std::logic_error("oracle: inexact sum");
}

void load(mpfr_ptr m, const Unpacked& u) {
  set_sig_exp(m, u.significand, u.exponent);
  if (u.sign) mpfr_neg(m, m, MPFR_RNDN);
}

}  // namespace

const char* op_name(Op op) {
  switch (op) {
    case Op::Convert: return "convert";
    case Op::Add: return "add";
    case Op::Sub: return "sub";
    case Op::Mul: return "mul";
    case Op::Div: return "div";
    case Op::Fma: return "fma";
    case Op::Sqrt: return "sqrt";
  }
  return "?";
}

OracleResult oracle_convert(const Format& from, uint64_t a, const Format& to, const Env& env, Method method) {
  const Unpacked u = operand(from, a, env);
  switch (u.cls) {
    case ValueClass::NaN: {
      OracleResult r = nan_convert_result(to, u.sign, env);
      if (u.signaling) r.flags |= flag::invalid;
      return r;
    }
    case ValueClass::Inf: return inf_result(to, u.sign, env);
    case ValueClass::Zero: return zero_result(to, u.sign, env);
    case ValueClass::Finite: break;
  }
  OpScratch& s = op_scratch();
  mpfr_set_prec(s.x, 64);
  set_sig_exp(s.x, u.significand, u.exponent);
  return round_exact(to, s.x, false, u.sign, env, method);
}

OracleResult oracle_from_string(const Format& to, const std::string& text, const Env& env, Method method) {
  // Every rounding boundary is a dyadic number no smaller than 2^(kMinExponent-1) and values reach
  // 2^(kMaxExponent+1), so 34000 bits below the leading bit pass every boundary.
  constexpr mpfr_prec_t kParsePrec = 34000;
  thread_local Mp x(kParsePrec);
  mpfr_set_prec(x, kParsePrec);
  char* end = nullptr;
  int ternary = mpfr_strtofr(x, text.c_str(), &end, 0, MPFR_RNDZ);
  if (end == text.c_str() || *end != '\0')
    throw std::invalid_argument("oracle_from_string: MPFR cannot parse '" + text + "'");
  // An integer format under overflow=wrap reads the value modulo its span: every bit of a large
  // integer part counts, so keep kParsePrec bits below the binary point, not below the leading bit.
  if (to.family == Family::Int && env.overflow == OverflowPolicy::Wrap && mpfr_regular_p(x) && mpfr_get_exp(x) > 0) {
    mpfr_set_prec(x, kParsePrec + mpfr_prec_t(mpfr_get_exp(x)));
    ternary = mpfr_strtofr(x, text.c_str(), &end, 0, MPFR_RNDZ);
  }
  const bool sign = !text.empty() && text[0] == '-';
  if (mpfr_nan_p(x)) return nan_convert_result(to, sign, env);
  if (mpfr_inf_p(x)) return inf_result(to, sign, env);
  if (mpfr_zero_p(x)) {
    if (ternary != 0) throw std::invalid_argument("oracle_from_string: '" + text + "' underflows MPFR");
    return zero_result(to, sign, env);
  }
  return round_signed(to, x, ternary != 0, env, method);
}

OracleResult oracle_binary(Op op, const Format& f, uint64_t ca, uint64_t cb, const Env& env, Method method) {
  Unpacked a = operand(f, ca, env), b = operand(f, cb, env);
  if (a.is_nan() || b.is_nan()) {
    OracleResult r = nan_operation_result(f, env);
    if (a.signaling || b.signaling) r.flags |= flag::invalid;
    return r;
  }
  OpScratch& s = op_scratch();
  switch (op) {
    case Op::Add:
    case Op::Sub: {
      if (op == Op::Sub) b.sign = !b.sign;
      if (a.is_inf() || b.is_inf()) {
        if (a.is_inf() && b.is_inf() && a.sign != b.sign) return invalid_result(f, env);
        return inf_result(f, a.is_inf() ? a.sign : b.sign, env);
      }
      const bool zero_sum_sign = env.mode == RoundingMode::RDN;
      if (a.is_zero() && b.is_zero()) return zero_result(f, a.sign == b.sign ? a.sign : zero_sum_sign, env);
      if (a.is_zero() || b.is_zero()) {
        const Unpacked& v = a.is_zero() ? b : a;
        mpfr_set_prec(s.x, 64);
        load(s.x, v);
        return round_signed(f, s.x, false, env, method);
      }
      load(s.a, a);
      load(s.b, b);
      exact_sum(s.x, s.a, a.exponent, a.exponent + bit_width(a.significand), s.b, b.exponent,
                b.exponent + bit_width(b.significand));
      if (mpfr_zero_p(s.x.get())) return zero_result(f, zero_sum_sign, env);
      return round_signed(f, s.x, false, env, method);
    }
    case Op::Mul: {
      const bool sign = a.sign != b.sign;
      if (a.is_inf() || b.is_inf()) {
        if (a.is_zero() || b.is_zero()) return invalid_result(f, env);
        return inf_result(f, sign, env);
      }
      if (a.is_zero() || b.is_zero()) return zero_result(f, sign, env);
      load(s.a, a);
      load(s.b, b);
      mpfr_set_prec(s.x, 128);
      if (mpfr_mul(s.x, s.a, s.b, MPFR_RNDN) != 0) throw std::logic_error("oracle: inexact product");
      return round_signed(f, s.x, false, env, method);
    }
    case Op::Div: {
      const bool sign = a.sign != b.sign;
      if (a.is_inf()) {
        if (b.is_inf()) return invalid_result(f, env);
        return inf_result(f, sign, env);
      }
      if (b.is_inf()) return zero_result(f, sign, env);
      if (b.is_zero()) {
        if (a.is_zero()) return invalid_result(f, env);
        OracleResult r = inf_result(f, sign, env);
        r.flags |= flag::divbyzero;
        return r;
      }
      if (a.is_zero()) return zero_result(f, sign, env);
      set_sig_exp(s.a, a.significand, a.exponent);
      set_sig_exp(s.b, b.significand, b.exponent);
      mpfr_set_prec(s.x, kQuotientPrec);
      const int tern = mpfr_div(s.x, s.a, s.b, MPFR_RNDZ);  // |true| >= |x|, > when tern != 0
      return round_exact(f, s.x, tern != 0, sign, env, method);
    }
    default: throw std::invalid_argument("oracle_binary: op must be add, sub, mul or div");
  }
}

OracleResult oracle_fma(const Format& f, uint64_t ca, uint64_t cb, uint64_t cc, const Env& env, Method method) {
  const Unpacked a = operand(f, ca, env), b = operand(f, cb, env), c = operand(f, cc, env);
  const bool inf_times_zero = (a.is_inf() && b.is_zero()) || (a.is_zero() && b.is_inf());
  if (a.is_nan() || b.is_nan() || c.is_nan()) {
    OracleResult r = nan_operation_result(f, env);
    if (a.signaling || b.signaling || c.signaling || inf_times_zero) r.flags |= flag::invalid;
    return r;
  }
  if (inf_times_zero) return invalid_result(f, env);
  const bool psign = a.sign != b.sign;
  if (a.is_inf() || b.is_inf()) {
    if (c.is_inf() && c.sign != psign) return invalid_result(f, env);
    return inf_result(f, psign, env);
  }
  if (c.is_inf()) return inf_result(f, c.sign, env);
  const bool zero_sum_sign = env.mode == RoundingMode::RDN;
  const bool pzero = a.is_zero() || b.is_zero();
  OpScratch& s = op_scratch();
  if (pzero) {
    if (c.is_zero()) return zero_result(f, psign == c.sign ? psign : zero_sum_sign, env);
    mpfr_set_prec(s.x, 64);
    load(s.x, c);
    return round_signed(f, s.x, false, env, method);
  }
  load(s.a, a);
  load(s.b, b);
  mpfr_set_prec(s.prod, 128);
  if (mpfr_mul(s.prod, s.a, s.b, MPFR_RNDN) != 0) throw std::logic_error("oracle: inexact product");
  if (c.is_zero()) {
    mpfr_set_prec(s.x, 128);
    mpfr_set(s.x, s.prod, MPFR_RNDN);
    return round_signed(f, s.x, false, env, method);
  }
  load(s.c, c);
  const long ep = long(a.exponent) + b.exponent;
  const long ptop = ep + bit_width(a.significand) + bit_width(b.significand);
  exact_sum(s.x, s.prod, ep, ptop, s.c, c.exponent, c.exponent + bit_width(c.significand));
  if (mpfr_zero_p(s.x.get())) return zero_result(f, zero_sum_sign, env);
  return round_signed(f, s.x, false, env, method);
}

OracleResult oracle_sqrt(const Format& f, uint64_t ca, const Env& env, Method method) {
  const Unpacked a = operand(f, ca, env);
  if (a.is_nan()) {
    OracleResult r = nan_operation_result(f, env);
    if (a.signaling) r.flags |= flag::invalid;
    return r;
  }
  if (a.is_zero()) return zero_result(f, a.sign, env);
  if (a.sign) return invalid_result(f, env);
  if (a.is_inf()) return inf_result(f, false, env);
  OpScratch& s = op_scratch();
  set_sig_exp(s.a, a.significand, a.exponent);
  mpfr_set_prec(s.x, kQuotientPrec);
  const int tern = mpfr_sqrt(s.x, s.a, MPFR_RNDZ);
  return round_exact(f, s.x, tern != 0, false, env, method);
}

}  // namespace bitexact::reference
