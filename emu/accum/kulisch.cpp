#include "emu/accum/kulisch.hpp"

#include <stdexcept>

namespace bitexact {

namespace {

int32_t floor64(int32_t e) { return e >= 0 ? e / 64 * 64 : -((-e + 63) / 64 * 64); }

}  // namespace

// Makes room for a term whose LSB is 2^exponent and whose significand has up to 128 bits,
// with a whole spare limb of headroom above it (2^63 such terms cannot overflow).
void Kulisch::reserve_for(int32_t exponent) {
  if (limbs_.empty()) lsb_ = floor64(exponent);
  if (exponent < lsb_) {
    const int32_t nl = floor64(exponent);
    limbs_.insert(limbs_.begin(), size_t((lsb_ - nl) / 64), 0);
    lsb_ = nl;
  }
  const size_t need = size_t((exponent - lsb_) / 64) + 4;  // 2 limbs of term + 1 straddle + 1 spare
  if (limbs_.size() < need) {
    const uint64_t ext = !limbs_.empty() && (limbs_.back() >> 63) ? ~uint64_t{0} : 0;
    limbs_.resize(need, ext);
  }
}

void Kulisch::add(const Exact& x) {
  if (x.cls == ValueClass::Zero) return;
  if (x.cls != ValueClass::Finite || x.sticky) throw std::invalid_argument("Kulisch::add: not an exact finite value");
  reserve_for(x.exponent);
  const int s = x.exponent - lsb_;
  const size_t i0 = size_t(s / 64);
  const int off = s % 64;
  const uint64_t lo = uint64_t(x.significand), hi = uint64_t(x.significand >> 64);
  uint64_t w[3] = {lo << off, off ? (lo >> (64 - off)) | (hi << off) : hi, off ? hi >> (64 - off) : 0};
  if (!x.sign) {
    unsigned carry = 0;
    for (size_t i = i0; i < limbs_.size(); ++i) {
      const uint64_t add = i - i0 < 3 ? w[i - i0] : 0;
      if (i - i0 >= 3 && carry == 0) break;
      const uint64_t t = limbs_[i] + add;
      const unsigned c1 = t < add;
      limbs_[i] = t + carry;
      carry = c1 | (limbs_[i] < t);
    }
  } else {
    unsigned borrow = 0;
    for (size_t i = i0; i < limbs_.size(); ++i) {
      const uint64_t sub = i - i0 < 3 ? w[i - i0] : 0;
      if (i - i0 >= 3 && borrow == 0) break;
      const uint64_t t = limbs_[i] - sub;
      const unsigned b1 = limbs_[i] < sub;
      limbs_[i] = t - borrow;
      borrow = b1 | (t < uint64_t(borrow));
    }
  }
}

bool Kulisch::is_zero() const {
  for (uint64_t l : limbs_)
    if (l) return false;
  return true;
}

Exact Kulisch::value() const {
  if (is_zero()) return Exact::zero(false);
  const bool neg = (limbs_.back() >> 63) != 0;
  std::vector<uint64_t> mag(limbs_);
  if (neg) {  // two's complement negation
    unsigned carry = 1;
    for (auto& l : mag) {
      l = ~l + carry;
      carry = carry && l == 0;
    }
  }
  size_t top = mag.size() - 1;
  while (mag[top] == 0) --top;
  const int topbit = int(top) * 64 + 63 - std::countl_zero(mag[top]);
  const int shift = topbit >= 127 ? topbit - 127 : 0;  // keep 128 bits
  auto bit_window = [&](int from) {  // 64 bits starting at bit `from` (may be negative)
    uint64_t r = 0;
    for (int b = 0; b < 64; ++b) {
      const int p = from + b;
      if (p < 0 || p > topbit) continue;
      if ((mag[size_t(p / 64)] >> (p % 64)) & 1) r |= uint64_t{1} << b;
    }
    return r;
  };
  const u128 sig = (u128(bit_window(shift + 64)) << 64) | bit_window(shift);
  bool sticky = false;
  for (int p = 0; p < shift && !sticky; ++p) {
    if (p % 64 == 0 && p + 64 <= shift && mag[size_t(p / 64)] == 0) {
      p += 63;
      continue;
    }
    sticky = (mag[size_t(p / 64)] >> (p % 64)) & 1;
  }
  return Exact::finite(neg, sig, lsb_ + shift, sticky);
}

}  // namespace bitexact
