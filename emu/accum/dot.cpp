#include "emu/accum/dot.hpp"

#include <stdexcept>
#include <vector>

#include "emu/accum/fused.hpp"
#include "emu/accum/kulisch.hpp"
#include "emu/accum/lmul.hpp"
#include "emu/exact_arith.hpp"
#include "emu/round.hpp"
#include "formats/codec.hpp"

namespace bitexact {

namespace {

// NaN, infinities and zero signs of a sum of terms (IEEE 754 addition rules, applied to the set).
struct Specials {
  bool nan = false, pos_inf = false, neg_inf = false;
  bool any_finite = false, all_neg_zero = true, any = false;
  void see(const Exact& x) {
    any = true;
    switch (x.cls) {
      case ValueClass::NaN: nan = true; break;
      case ValueClass::Inf: (x.sign ? neg_inf : pos_inf) = true; break;
      case ValueClass::Finite: any_finite = true; all_neg_zero = false; break;
      case ValueClass::Zero: if (!x.sign) all_neg_zero = false; break;
    }
  }
  bool special() const { return nan || pos_inf || neg_inf; }
  // The special result (call when special()); raises invalid for inf - inf.
  Exact result(Env& env) const {
    if (pos_inf && neg_inf) env.flags |= flag::invalid;
    if (nan || (pos_inf && neg_inf)) return Exact::nan();
    return Exact::inf(neg_inf);
  }
  // The sign of an exactly zero sum in `mode`.
  bool zero_sign(RoundingMode mode) const { return any && all_neg_zero ? true : zero_sum_sign(mode); }
};

RoundingMode out_mode(const AccumModel& m, const Env& env) { return m.out_rounding.value_or(env.mode); }

uint64_t round_out(const AccumModel& m, const Exact& x, Env& env) {
  if (!m.out_rounding) return round_to_format(m.out_format, x, env);
  const RoundingMode mode = env.mode;
  const int bits = env.sr_bits;
  env.mode = *m.out_rounding;
  env.sr_bits = m.out_sr_bits ? m.out_sr_bits : env.sr_bits;
  const uint64_t r = round_to_format(m.out_format, x, env);
  env.mode = mode;
  env.sr_bits = bits;
  return r;
}

// x + y for any classes, exact up to exact_add's jammed sticky (one rounding follows).
Exact add2(const Exact& x, const Exact& y, RoundingMode mode, Env& env) {
  if (x.cls == ValueClass::NaN || y.cls == ValueClass::NaN) return Exact::nan();
  if (x.cls == ValueClass::Inf || y.cls == ValueClass::Inf) {
    if (x.cls == ValueClass::Inf && y.cls == ValueClass::Inf && x.sign != y.sign) {
      env.flags |= flag::invalid;
      return Exact::nan();
    }
    return x.cls == ValueClass::Inf ? x : y;
  }
  if (x.cls == ValueClass::Zero && y.cls == ValueClass::Zero)
    return Exact::zero(x.sign == y.sign ? x.sign : zero_sum_sign(mode));
  if (x.cls == ValueClass::Zero) return y;
  if (y.cls == ValueClass::Zero) return x;
  return exact_add(x, y, mode);
}

Exact decoded(const Format& f, uint64_t code) { return Exact::from(decode(f, code)); }

uint64_t exact_kind(const AccumModel& m, std::span<const Exact> p, const Exact* c, Env& env) {
  Specials sp;
  for (const Exact& x : p) sp.see(x);
  if (c) sp.see(*c);
  if (sp.special()) return round_out(m, sp.result(env), env);
  Kulisch k;
  for (const Exact& x : p) k.add(x);
  if (c) k.add(*c);
  if (k.is_zero()) return round_out(m, Exact::zero(sp.zero_sign(out_mode(m, env))), env);
  return round_out(m, k.value(), env);
}

uint64_t sequential_kind(const AccumModel& m, std::span<const Exact> p, const Exact* c, Env& env) {
  const Format& acc = m.acc();
  bool have = false;
  Exact a = Exact::zero(false);
  if (c) {
    a = decoded(acc, round_in_mode(acc, *c, m.acc_rounding, env));
    have = true;
  }
  for (const Exact& x0 : p) {
    Exact x = x0;
    if (!m.fma && m.product == ProductMode::Exact && x.cls != ValueClass::NaN)
      x = decoded(m.prod(), round_in_mode(m.prod(), x, m.product_rounding, env));
    const Exact s = have ? add2(a, x, m.acc_rounding, env) : x;
    a = s.cls == ValueClass::NaN ? Exact::nan() : decoded(acc, round_in_mode(acc, s, m.acc_rounding, env));
    have = true;
  }
  if (!have) return round_out(m, Exact::zero(false), env);
  return round_out(m, a, env);
}

uint64_t pairwise_kind(const AccumModel& m, std::span<const Exact> p, const Exact* c, Env& env) {
  const Format& acc = m.acc();
  std::vector<Exact> level(p.begin(), p.end());
  auto sum = [&](const Exact& x, const Exact& y) {
    const Exact s = add2(x, y, m.acc_rounding, env);
    return s.cls == ValueClass::NaN ? s : decoded(acc, round_in_mode(acc, s, m.acc_rounding, env));
  };
  while (level.size() > 1) {
    std::vector<Exact> next;
    next.reserve((level.size() + 1) / 2);
    for (size_t i = 0; i + 1 < level.size(); i += 2) next.push_back(sum(level[i], level[i + 1]));
    if (level.size() % 2) next.push_back(level.back());
    level.swap(next);
  }
  if (level.empty()) return round_out(m, c ? *c : Exact::zero(false), env);
  return round_out(m, c ? sum(level[0], *c) : level[0], env);
}

uint64_t fused_kind(const AccumModel& m, std::span<const Exact> p, const Exact* c, Env& env) {
  Specials sp;
  for (const Exact& x : p) sp.see(x);
  if (c) sp.see(*c);
  if (sp.special()) return round_out(m, sp.result(env), env);
  const Exact v = fused_accumulate(m, p, c, env);
  if (v.cls == ValueClass::Zero) return round_out(m, Exact::zero(sp.zero_sign(out_mode(m, env))), env);
  return round_out(m, v, env);
}

}  // namespace

uint64_t round_in_mode(const Format& f, const Exact& x, RoundingMode mode, Env& env) {
  const RoundingMode saved = env.mode;
  env.mode = mode;
  const uint64_t r = round_to_format(f, x, env);
  env.mode = saved;
  return r;
}

Exact model_product(const AccumModel& m, const Format& fa, uint64_t a, const Format& fb, uint64_t b, Env& env) {
  const Unpacked x = decode_operand(fa, a, env), y = decode_operand(fb, b, env);
  const bool sign = x.sign != y.sign;
  if (x.is_nan() || y.is_nan()) {
    if ((x.is_nan() && x.signaling) || (y.is_nan() && y.signaling)) env.flags |= flag::invalid;
    return Exact::nan();
  }
  if ((x.is_inf() && y.is_zero()) || (x.is_zero() && y.is_inf())) {
    env.flags |= flag::invalid;
    return Exact::nan();
  }
  if (x.is_inf() || y.is_inf()) return Exact::inf(sign);
  if (x.is_zero() || y.is_zero()) return Exact::zero(sign);
  switch (m.product) {
    case ProductMode::Exact: return exact_mul(x, y);
    case ProductMode::Lmul: return lmul_exact(x, y, lmul_offset_bits(lmul_mantissa_bits(fa, fb)));
    case ProductMode::Rounded: break;
  }
  return decoded(m.prod(), round_in_mode(m.prod(), exact_mul(x, y), m.product_rounding, env));
}

uint64_t dot_terms(const AccumModel& m, std::span<const Exact> p, const Exact* c, Env& env) {
  switch (m.kind) {
    case AccumKind::Exact: return exact_kind(m, p, c, env);
    case AccumKind::Sequential: return sequential_kind(m, p, c, env);
    case AccumKind::Pairwise: return pairwise_kind(m, p, c, env);
    case AccumKind::Fused: return fused_kind(m, p, c, env);
  }
  return 0;
}

uint64_t dot(const AccumModel& m, const Format& fa, std::span<const uint64_t> a, const Format& fb,
             std::span<const uint64_t> b, uint64_t c, bool has_c, Env& env) {
  if (a.size() != b.size()) throw std::invalid_argument("dot: operands of different lengths");
  std::vector<Exact> p(a.size());
  for (size_t i = 0; i < a.size(); ++i) p[i] = model_product(m, fa, a[i], fb, b[i], env);
  Exact cv;
  if (has_c) {
    const Unpacked u = decode_operand(m.out_format, c, env);
    if (u.is_nan() && u.signaling) env.flags |= flag::invalid;
    cv = Exact::from(u);
  }
  return dot_terms(m, p, has_c ? &cv : nullptr, env);
}

}  // namespace bitexact
