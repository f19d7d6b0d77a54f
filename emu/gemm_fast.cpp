#include "emu/gemm_fast.hpp"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>

#include <immintrin.h>

#include "emu/accum/dot.hpp"
#include "emu/block/exact_value.hpp"
#include "emu/exact_arith.hpp"
#include "emu/round.hpp"
#include "emu/tensor/parallel.hpp"
#include "formats/codec.hpp"

namespace bitexact {

namespace {

int ceil_log2(size_t n) { return n <= 1 ? 0 : int(std::bit_width(n - 1)); }

bool small_float(const GemmOperand& o) {
  return !o.scheme.is_block && o.scheme.format.is_float() && o.scheme.format.precision() <= 26 &&
         o.scheme.format.width() <= 32;
}

// Every finite value of a float format is a multiple of 2^lsb and below 2^top.
int value_lsb(const Format& f) { return f.facts.emin - f.fp.man_bits; }
int value_top(const Format& f) { return f.facts.emax + 1; }

// ---- The fused chain on exact doubles (semantics: emu/SEMANTICS.md "The fused K-term model").

struct Fused {
  int acc, guard, carry, k;
  bool sticky, floor_align;
  Trunc step;
};

inline double align1(double x, const Fused& f) {
  double y = f.floor_align ? std::floor(x) : std::trunc(x);
  if (f.sticky && y != x) y += f.floor_align ? 0.5 : std::copysign(0.5, x);
  return y;
}

// The register after one step given the products' sum of aligned terms is formed by `sum_terms`.
// R: register value (0 = empty), eR its exponent. Returns the new register.
inline double finish_step(double S, int E, int g, const Fused& f, int& eR) {
  if (S == 0) return 0;
  const int over = (std::ilogb(S) + g) - (E + f.carry);
  if (over > 0) S = std::ldexp(align1(std::ldexp(S, -over), f), over);
  const double v = std::ldexp(S, g);
  const int lead = std::ilogb(v);
  const double q = std::ldexp(v, f.acc - 1 - lead);
  double r;
  switch (f.step) {
    case Trunc::Rz: r = std::trunc(q); break;
    case Trunc::Floor: r = std::floor(q); break;
    default: r = std::nearbyint(q); break;  // the default rounding mode: nearest, ties to even
  }
  const double R = std::ldexp(r, lead - (f.acc - 1));
  eR = std::ilogb(R);
  return R;
}

// One step over n products a[t]*b[t], scalar.
inline double step_scalar(const double* a, const double* b, size_t n, double R, int& eR, const Fused& f, double* buf) {
  double mx = 0;
  for (size_t t = 0; t < n; ++t) {
    buf[t] = a[t] * b[t];
    mx = std::max(mx, std::fabs(buf[t]));
  }
  if (mx == 0 && R == 0) return 0;
  int E = mx > 0 ? std::ilogb(mx) : INT_MIN;
  if (R != 0) E = std::max(E, eR);
  const int g = E - (f.acc - 1) - f.guard;
  const double sc = std::ldexp(1.0, -g);
  double S = 0;
  for (size_t t = 0; t < n; ++t) S += align1(buf[t] * sc, f);
  if (R != 0) S += align1(R * sc, f);
  return finish_step(S, E, g, f, eR);
}

// The same with AVX2 for n a multiple of 4 (exact arithmetic: the order of the sums is free).
__attribute__((target("avx2"))) double step_avx2(const double* a, const double* b, size_t n, double R, int& eR,
                                                 const Fused& f, double* buf) {
  const __m256d absmask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFFLL));
  __m256d mx = _mm256_setzero_pd();
  for (size_t t = 0; t < n; t += 4) {
    const __m256d p = _mm256_mul_pd(_mm256_loadu_pd(a + t), _mm256_loadu_pd(b + t));
    _mm256_storeu_pd(buf + t, p);
    mx = _mm256_max_pd(mx, _mm256_and_pd(p, absmask));
  }
  __m128d m2 = _mm_max_pd(_mm256_castpd256_pd128(mx), _mm256_extractf128_pd(mx, 1));
  m2 = _mm_max_sd(m2, _mm_unpackhi_pd(m2, m2));
  const double mxd = _mm_cvtsd_f64(m2);
  if (mxd == 0 && R == 0) return 0;
  int E = mxd > 0 ? std::ilogb(mxd) : INT_MIN;
  if (R != 0) E = std::max(E, eR);
  const int g = E - (f.acc - 1) - f.guard;
  const __m256d sc = _mm256_set1_pd(std::ldexp(1.0, -g));
  __m256d s = _mm256_setzero_pd();
  if (!f.sticky) {
    if (f.floor_align) {
      for (size_t t = 0; t < n; t += 4)
        s = _mm256_add_pd(s, _mm256_round_pd(_mm256_mul_pd(_mm256_loadu_pd(buf + t), sc), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
    } else {
      for (size_t t = 0; t < n; t += 4)
        s = _mm256_add_pd(s, _mm256_round_pd(_mm256_mul_pd(_mm256_loadu_pd(buf + t), sc), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC));
    }
  } else {
    const __m256d half = _mm256_set1_pd(0.5);
    const __m256d signmask = _mm256_castsi256_pd(_mm256_set1_epi64x(int64_t(0x8000000000000000ULL)));
    for (size_t t = 0; t < n; t += 4) {
      const __m256d x = _mm256_mul_pd(_mm256_loadu_pd(buf + t), sc);
      const __m256d y = f.floor_align ? _mm256_round_pd(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)
                                      : _mm256_round_pd(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
      const __m256d lost = _mm256_cmp_pd(y, x, _CMP_NEQ_OQ);
      const __m256d jam = f.floor_align ? half : _mm256_or_pd(half, _mm256_and_pd(x, signmask));
      s = _mm256_add_pd(s, _mm256_add_pd(y, _mm256_and_pd(lost, jam)));
    }
  }
  __m128d s2 = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
  double S = _mm_cvtsd_f64(_mm_add_sd(s2, _mm_unpackhi_pd(s2, s2)));
  if (R != 0) S += align1(R * std::ldexp(1.0, -g), f);
  return finish_step(S, E, g, f, eR);
}

// The register after the chain over products [0, n) starting from R.
double chain(const double* a, const double* b, size_t n, double R, const Fused& f, bool avx2, double* buf) {
  int eR = R != 0 ? std::ilogb(R) : 0;
  const size_t k = size_t(f.k);
  for (size_t s = 0; s < n; s += k) {
    const size_t len = std::min(k, n - s);
    R = (avx2 && len % 4 == 0) ? step_avx2(a + s, b + s, len, R, eR, f, buf)
                               : step_scalar(a + s, b + s, len, R, eR, f, buf);
  }
  return R;
}

uint64_t round_mode(const Format& fmt, const Exact& x, std::optional<RoundingMode> mode, int sr_bits, Env& e) {
  if (!mode) return round_to_format(fmt, x, e);
  const RoundingMode saved = e.mode;
  const int bits = e.sr_bits;
  e.mode = *mode;
  if (sr_bits) e.sr_bits = sr_bits;
  const uint64_t r = round_to_format(fmt, x, e);
  e.mode = saved;
  e.sr_bits = bits;
  return r;
}

// W + R rounded into the wide format: exact double sum where possible, else exact_add.
double promote_add(double W, double R, const AccumModel& m, bool fast_f32, Env& e) {
  if (R == 0) return W;
  const double s = W + R;
  const double bv = s - W;
  const double err = (W - (s - bv)) + (R - bv);
  if (err == 0 && fast_f32) {
    const double a = std::fabs(s);
    if (a >= 0x1p-125 && a <= 0x1.fffffcp127) {
      const double r = double(float(s));  // float32 RNE: the host's default rounding
      if (r != s) e.flags |= flag::inexact;
      return r;
    }
  }
  Exact x = W == 0 ? exact_of(R) : exact_add(exact_of(W), exact_of(R), m.promote_rounding);
  if (err == 0) x = exact_of(s);
  return to_double(decode(m.promote(), round_in_mode(m.promote(), x, m.promote_rounding, e)));
}

}  // namespace

bool fast_gemm_supported(const AccumModel& m, const GemmOperand& a, const GemmOperand& b) {
  if (!small_float(a) || !small_float(b) || m.product != ProductMode::Exact) return false;
  const size_t K = a.k;
  if (m.kind == AccumKind::Exact) {
    const Format &fa = a.scheme.format, &fb = b.scheme.format;
    return (value_top(fa) + value_top(fb)) - (value_lsb(fa) + value_lsb(fb)) + ceil_log2(K + 1) <= 53;
  }
  if (m.kind != AccumKind::Fused) return false;
  if (m.normalize != Normalize::Step || !m.align_addend || m.align == Trunc::Rne) return false;
  if (m.acc_bits + m.guard_bits + 2 + ceil_log2(size_t(m.k) + 1) > 52) return false;
  if (m.promote_every && (!m.promote().is_float() || m.promote().precision() > 53)) return false;
  return true;
}

void fast_gemm(const AccumModel& m, const GemmOperand& a, const GemmOperand& b, std::span<const uint64_t> c,
               std::span<uint64_t> out, Env& env, int threads) {
  const size_t M = a.rows, N = b.rows, K = a.k;
  Env proto = env;
  proto.explicit_bits = {};
  // Decode once into exact doubles; rows holding NaN or Inf go through the generic element.
  std::vector<double> A(M * K), B(N * K);
  std::vector<uint8_t> bad_a(M), bad_b(N);
  auto fill = [&](const GemmOperand& o, std::vector<double>& v, std::vector<uint8_t>& bad) {
    const long long rows = (long long)o.rows;
#pragma omp parallel for num_threads(thread_count(threads)) schedule(static)
    for (long long r = 0; r < rows; ++r) {
      for (size_t t = 0; t < K; ++t) {
        const Unpacked u = decode_operand(o.scheme.format, o.codes[size_t(r) * K + t], proto);
        if (u.is_nan() || u.is_inf()) bad[size_t(r)] = 1;
        v[size_t(r) * K + t] = u.is_finite_nonzero() || u.is_zero() ? to_double(u) : 0.0;
      }
    }
  };
  fill(a, A, bad_a);
  fill(b, B, bad_b);

  const bool avx2 = __builtin_cpu_supports("avx2");
  const Fused fp{m.acc_bits, m.guard_bits, m.carry_bits, m.k, m.sticky, m.align == Trunc::Floor, m.step_round};
  const bool fast_f32 = m.promote().name == "float32" && m.promote_rounding == RoundingMode::RNE;
  const size_t promote = m.promote_every > 0 ? size_t(m.promote_every) : 0;
  // Tiles: 64 columns of B (their rows stay in L2) by 16 rows of A.
  constexpr size_t TJ = 64, TI = 16;
  const size_t ti = (M + TI - 1) / TI, tj = (N + TJ - 1) / TJ;
  const long long tiles = (long long)(ti * tj);
  uint8_t flags = 0;
#pragma omp parallel num_threads(thread_count(threads)) reduction(| : flags)
  {
    Env e = proto;
    std::vector<Exact> prods;
    std::vector<double> buf(size_t(std::max(m.k, 4)) + 4);
#pragma omp for schedule(dynamic, 1)
    for (long long tile = 0; tile < tiles; ++tile) {
      const size_t j0 = size_t(tile) / ti * TJ, i0 = size_t(tile) % ti * TI;
      for (size_t j = j0; j < std::min(N, j0 + TJ); ++j)
        for (size_t i = i0; i < std::min(M, i0 + TI); ++i) {
          const size_t idx = i * N + j;
          e.flags = 0;
          e.index = proto.index + (uint64_t(idx) << 32);
          const uint64_t* cp = c.empty() ? nullptr : &c[idx];
          const double* ar = &A[i * K];
          const double* br = &B[j * K];
          double cv = 0;
          bool generic = bad_a[i] || bad_b[j];
          if (cp && !generic) {
            const Unpacked u = decode_operand(m.out_format, *cp, e);
            if (!(u.is_finite_nonzero() || u.is_zero())) generic = true;
            else cv = to_double(u);
            if (u.is_finite_nonzero() && u.significand >> 53) generic = true;
          }
          double v = 0;
          if (!generic && m.kind == AccumKind::Exact) {
            double s = 0;
            for (size_t t = 0; t < K; ++t) s += ar[t] * br[t];  // exact: every partial sum fits 53 bits
            if (s == 0 && cv == 0) {
              generic = true;  // the zero's sign follows the generic rule
            } else {
              const Exact x = cv == 0 ? exact_of(s) : s == 0 ? exact_of(cv) : exact_add(exact_of(s), exact_of(cv), e.mode);
              out[idx] = round_mode(m.out_format, x, m.out_rounding, m.out_sr_bits, e);
              flags |= e.flags;
              continue;
            }
          } else if (!generic) {
            if (!promote) {
              v = chain(ar, br, K, cv, fp, avx2, buf.data());
            } else {
              double W = 0;
              if (cv != 0) W = to_double(decode(m.promote(), round_in_mode(m.promote(), exact_of(cv), m.promote_rounding, e)));
              for (size_t s = 0; s < K && std::isfinite(W); s += promote) {
                const double R = chain(ar + s, br + s, std::min(promote, K - s), 0.0, fp, avx2, buf.data());
                W = promote_add(W, R, m, fast_f32, e);
              }
              v = W;
            }
            if (v == 0 || !std::isfinite(v)) generic = true;
          }
          if (generic) {
            e.flags = 0;
            e.index = proto.index + (uint64_t(idx) << 32);
            out[idx] = gemm_element(m, a, b, i, j, cp, e, prods);
          } else {
            out[idx] = round_mode(m.out_format, exact_of(v), m.out_rounding, m.out_sr_bits, e);
          }
          flags |= e.flags;
        }
    }
  }
  env.flags |= flags;
}

}  // namespace bitexact
