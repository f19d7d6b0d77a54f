#include "emu/quire.hpp"

#include <stdexcept>

#include "emu/round.hpp"
#include "formats/codec.hpp"
#include "formats/posit_format.hpp"

namespace bitexact {

using boost::multiprecision::cpp_int;

Quire::Quire(const Format& posit) : f_(posit) {
  if (posit.family != Family::Posit) throw std::invalid_argument("a quire needs a posit format, not '" + posit.name + "'");
  const int span = 2 * posit_max_scale(posit.pp);  // log2(maxpos^2 / minpos^2)
  width_ = 2 * span + 32;                           // = 2^(es+2)(n-2) + 32; 16n for es = 2
  lsb_ = -span;
  limit_ = cpp_int(1) << (width_ - 1);
}

void Quire::clear() {
  acc_ = 0;
  nar_ = false;
}

void Quire::accumulate(const cpp_int& v) {
  if (nar_) return;
  acc_ += v;
  if (acc_ >= limit_ || acc_ < -limit_) nar_ = true;
}

void Quire::add(uint64_t p) {
  const Unpacked u = decode(f_, p);
  if (u.is_nan()) { nar_ = true; return; }
  if (!u.is_finite_nonzero()) return;
  cpp_int v = cpp_int(u.significand) << (u.exponent - lsb_);  // posits are multiples of minpos >= 2^lsb_
  accumulate(u.sign ? cpp_int(-v) : v);
}

void Quire::sub(uint64_t p) {
  const Unpacked u = decode(f_, p);
  if (u.is_nan()) { nar_ = true; return; }
  if (!u.is_finite_nonzero()) return;
  cpp_int v = cpp_int(u.significand) << (u.exponent - lsb_);
  accumulate(u.sign ? v : cpp_int(-v));
}

void Quire::add_product(uint64_t a, uint64_t b, bool negate) {
  const Unpacked x = decode(f_, a), y = decode(f_, b);
  if (x.is_nan() || y.is_nan()) { nar_ = true; return; }
  if (!x.is_finite_nonzero() || !y.is_finite_nonzero()) return;
  // Each factor is a multiple of minpos, so the product is a multiple of minpos^2 = 2^lsb_.
  cpp_int v = (cpp_int(x.significand) * y.significand) << (x.exponent + y.exponent - lsb_);
  accumulate((x.sign != y.sign) != negate ? cpp_int(-v) : v);
}

void Quire::madd(uint64_t a, uint64_t b) { add_product(a, b, false); }
void Quire::msub(uint64_t a, uint64_t b) { add_product(a, b, true); }

void Quire::add(const Quire& q) {
  if (q.nar_) nar_ = true;
  accumulate(q.acc_);
}

Exact Quire::value() const {
  if (nar_) return Exact::nan();
  if (acc_ == 0) return Exact::zero(false);
  const bool sign = acc_ < 0;
  const cpp_int mag = sign ? cpp_int(-acc_) : acc_;
  const int top = int(boost::multiprecision::msb(mag));
  const int shift = top >= 127 ? top - 127 : 0;
  const cpp_int kept = mag >> shift;
  const bool sticky = shift > 0 && (mag & ((cpp_int(1) << shift) - 1)) != 0;
  const u128 sig = (u128(static_cast<uint64_t>(kept >> 64)) << 64) | u128(static_cast<uint64_t>(kept & ~uint64_t{0}));
  return Exact::finite(sign, sig, lsb_ + shift, sticky);
}

uint64_t Quire::to_posit(Env& env) const { return round_to_format(f_, value(), env); }

uint64_t fused_dot(const Format& posit, std::span<const uint64_t> a, std::span<const uint64_t> b, Env& env) {
  if (a.size() != b.size()) throw std::invalid_argument("fused_dot: operands of different lengths");
  Quire q(posit);
  for (size_t i = 0; i < a.size(); ++i) q.madd(a[i], b[i]);
  return q.to_posit(env);
}

}  // namespace bitexact
