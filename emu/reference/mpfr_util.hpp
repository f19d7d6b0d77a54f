// Small RAII helpers around MPFR for the oracle (internal to emu/reference/).
#pragma once

#include <cstdint>  // before mpfr.h, so that the intmax_t functions (mpfr_get_uj, ...) are declared
#include <memory>

#include <mpfr.h>

namespace bitexact::reference {

// Enough bits for any exact sum in the catalogued formats: float64 fma spans
// 2^2048 (product of two maxima) down to 2^-2148 (product of two minimum subnormals).
inline constexpr mpfr_prec_t kMaxPrec = 4608;
// Precision of div and sqrt results; the direction of inexactness is kept separately.
inline constexpr mpfr_prec_t kQuotientPrec = 400;

// An owned MPFR number; allocated once at its largest precision, then set_prec'd downwards
// (mpfr_set_prec reallocates only when growing).
class Mp {
 public:
  explicit Mp(mpfr_prec_t alloc = 128) { mpfr_init2(v_, alloc); }
  ~Mp() { mpfr_clear(v_); }
  Mp(const Mp&) = delete;
  Mp& operator=(const Mp&) = delete;
  mpfr_ptr get() { return v_; }
  mpfr_srcptr get() const { return v_; }
  operator mpfr_ptr() { return v_; }
  operator mpfr_srcptr() const { return v_; }

 private:
  mpfr_t v_;
};

// value = sig * 2^exp exactly (x's precision must be at least 64 bits).
inline void set_sig_exp(mpfr_ptr x, uint64_t sig, long exp) { mpfr_set_uj_2exp(x, sig, exp, MPFR_RNDN); }

// Compares the true magnitude |x| (+ a positive amount below x's last bit when sticky) with p >= 0.
inline int cmp_sticky(mpfr_srcptr x, bool sticky, mpfr_srcptr p) {
  const int c = mpfr_cmpabs(x, p);
  return c == 0 && sticky ? 1 : c;
}

}  // namespace bitexact::reference
