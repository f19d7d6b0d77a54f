// The quire of posit<n,es>: the exact fixed-point accumulator of the 2022 Posit Standard
// (its quire format and quire functions) behind fused dot products.
//
// A quire is a two's complement fixed-point number whose LSB is minpos^2 = 2^(-2^(es+1)(n-2)).
// Its width is 2^(es+2)(n-2) + 32 bits: every product of two posits fits exactly, with a sign bit
// and 31 carry-guard bits, so at least 2^31 products of maxpos^2 can be summed. For es = 2 that is
// the standard's 16n bits; for other es it is the same construction (minpos^2 .. maxpos^2 plus
// 32 bits), as the earlier posit drafts defined the quire for any es. Sums are exact; the only
// rounding is qToP (to_posit). Leaving the quire's range makes it NaR (bitexact's choice).
#pragma once

#include <cstdint>
#include <span>

#include <boost/multiprecision/cpp_int.hpp>

#include "emu/env.hpp"
#include "emu/exact.hpp"
#include "formats/format.hpp"

namespace bitexact {

class Quire {
 public:
  explicit Quire(const Format& posit);  // throws std::invalid_argument for a non-posit format

  int width() const { return width_; }
  int lsb_exponent() const { return lsb_; }  // the quire's LSB is 2^lsb_exponent()
  bool is_nar() const { return nar_; }

  void clear();                        // qClear: 0
  void add(uint64_t p);                // qAddP: q + p
  void sub(uint64_t p);                // qSubP: q - p
  void madd(uint64_t a, uint64_t b);   // qMulAdd: q + a*b, exactly
  void msub(uint64_t a, uint64_t b);   // qMulSub: q - a*b, exactly
  void add(const Quire& q);            // qAddQ (same posit format)

  // The exact value (NaR as NaN); significand: the top 128 bits, sticky below them.
  Exact value() const;
  // qToP: the quire rounded once into the posit format under env.
  uint64_t to_posit(Env& env) const;

 private:
  void accumulate(const boost::multiprecision::cpp_int& v);
  void add_product(uint64_t a, uint64_t b, bool negate);

  Format f_;
  int width_ = 0, lsb_ = 0;
  boost::multiprecision::cpp_int acc_;  // value = acc_ * 2^lsb_
  boost::multiprecision::cpp_int limit_;  // |acc_| must stay below 2^(width-1)
  bool nar_ = false;
};

// Fused dot product: sum of a[i]*b[i] in a quire, rounded once (a and b have equal length).
uint64_t fused_dot(const Format& posit, std::span<const uint64_t> a, std::span<const uint64_t> b, Env& env);

}  // namespace bitexact
