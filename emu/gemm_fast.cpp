#include "emu/gemm_fast.hpp"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <cstdlib>

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
  if (o.scheme.is_block || !o.scheme.format.is_float()) return false;
  const Format& f = o.scheme.format;  // products exact in double, exponents far from double's limits
  return f.precision() <= 26 && f.facts.emin - f.fp.man_bits >= -240 && f.facts.emax < 240;
}

// Every finite value of a float format is a multiple of 2^lsb and below 2^top.
int value_lsb(const Format& f) { return f.facts.emin - f.fp.man_bits; }
int value_top(const Format& f) { return f.facts.emax + 1; }


// The fused knobs the kernels read.
struct Fused {
  int acc, guard, carry, k;
  bool sticky, floor_align;
  Trunc step;
};

// The kernels, twice: portable, and compiled for AVX2 (picked at run time). Both compute the same
// exact values (emu/gemm_kernel.inc); only the instructions differ.
namespace portable {
#include "emu/gemm_kernel.inc"
}  // namespace portable
// (clang has no GCC target pragma; its attribute push does the same for the fuzz build.)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif
namespace avx2 {
#define BITEXACT_GEMM_AVX2 1
#include "emu/gemm_kernel.inc"
#undef BITEXACT_GEMM_AVX2
}  // namespace avx2
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

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

  // BITEXACT_GEMM_PORTABLE=1 forces the portable kernels (tests prove both equal the generic path).
  const char* portable_env = std::getenv("BITEXACT_GEMM_PORTABLE");
  const bool use_avx2 = __builtin_cpu_supports("avx2") && !(portable_env && *portable_env == '1');
  const auto chain = use_avx2 ? avx2::chain : portable::chain;
  const auto exact_sum = use_avx2 ? avx2::exact_sum : portable::exact_sum;
  const Fused fp{m.acc_bits, m.guard_bits, m.carry_bits, m.k, m.sticky, m.align == Trunc::Floor, m.step_round};
  const bool fast_f32 = m.promote().name == "float32" && m.promote_rounding == RoundingMode::RNE;
  const size_t promote = m.promote_every > 0 ? size_t(m.promote_every) : 0;
  // The lane kernels: 8 columns at once in float lanes where every quantity is an exact float,
  // else 4 columns in double lanes where the exponents stay far from double's limits.
  const Format &fa = a.scheme.format, &fb = b.scheme.format;
  const int plsb = value_lsb(fa) + value_lsb(fb), ptop = value_top(fa) + value_top(fb);
  const int sum_bits = m.acc_bits + m.guard_bits + 2 + ceil_log2(size_t(m.k) + 1);
  const bool lane_ok = use_avx2 && m.kind == AccumKind::Fused && m.promote_rounding != RoundingMode::SR &&
                       m.promote_rounding != RoundingMode::SRR;
  const bool lanes8 = lane_ok && fa.precision() + fb.precision() <= 24 && plsb >= -50 && ptop <= 36 && sum_bits <= 23 &&
                      K <= 65536 && m.carry_bits <= 8;
  const bool lanes4 = !lanes8 && lane_ok && plsb >= -300 && ptop <= 300 && sum_bits <= 52 && K <= (size_t{1} << 20) &&
                      m.carry_bits <= 16;
  const size_t W = lanes8 ? 8 : lanes4 ? 4 : 0;  // columns per lane group
  const double clo = lanes8 ? 0x1p-50 : 0x1p-300, chi = lanes8 ? 0x1p36 : 0x1p300;
  std::vector<float> Af, Bp8;
  std::vector<double> Bp4;
  if (W) {
    if (lanes8) Af.assign(A.begin(), A.end());
    const size_t groups = N / W;
    (lanes8 ? Bp8.resize(groups * K * W) : Bp4.resize(groups * K * W));
    for (size_t gi = 0; gi < groups; ++gi)
      for (size_t t = 0; t < K; ++t)
        for (size_t l = 0; l < W; ++l) {
          const double v = B[(gi * W + l) * K + t];
          if (lanes8) Bp8[(gi * K + t) * W + l] = float(v);
          else Bp4[(gi * K + t) * W + l] = v;
        }
  }
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
    // The addend of element idx: false when it needs the generic path.
    auto addend = [&](size_t idx, double& cv) {
      cv = 0;
      if (c.empty()) return true;
      const Unpacked u = decode_operand(m.out_format, c[idx], e);
      if (!(u.is_finite_nonzero() || u.is_zero())) return false;
      if (u.is_finite_nonzero() && u.significand >> 53) return false;
      cv = to_double(u);
      return true;
    };
    // One element: pre is the chain's value when the lane kernel computed it.
    auto element = [&](size_t i, size_t j, const double* pre) {
      const size_t idx = i * N + j;
      e.flags = 0;
      e.index = proto.index + (uint64_t(idx) << 32);
      const uint64_t* cp = c.empty() ? nullptr : &c[idx];
      const double* ar = &A[i * K];
      const double* br = &B[j * K];
      double cv = 0;
      bool generic = bad_a[i] || bad_b[j] || !addend(idx, cv);
      double v = 0;
      if (!generic && pre) {
        v = *pre;
        if (v == 0 || !std::isfinite(v)) generic = true;
      } else if (!generic && m.kind == AccumKind::Exact) {
        const double s = exact_sum(ar, br, K);  // exact: every partial sum fits 53 bits
        if (s == 0 && cv == 0) {
          generic = true;  // the zero's sign follows the generic rule
        } else {
          const Exact x = cv == 0 ? exact_of(s) : s == 0 ? exact_of(cv) : exact_add(exact_of(s), exact_of(cv), e.mode);
          out[idx] = round_mode(m.out_format, x, m.out_rounding, m.out_sr_bits, e);
          flags |= e.flags;
          return;
        }
      } else if (!generic) {
        if (!promote) {
          v = chain(ar, br, K, cv, fp, buf.data());
        } else {
          double W = 0;
          if (cv != 0) W = to_double(decode(m.promote(), round_in_mode(m.promote(), exact_of(cv), m.promote_rounding, e)));
          for (size_t s = 0; s < K && std::isfinite(W); s += promote) {
            const double R = chain(ar + s, br + s, std::min(promote, K - s), 0.0, fp, buf.data());
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
    };
    // W elements of row i through a lane kernel (columns j..j+W-1), when their inputs allow.
    auto lane_chain = [&](size_t i, size_t j, size_t s, size_t n, double* R) {
      if (lanes8) {
        float Rf[8];
        for (size_t l = 0; l < 8; ++l) Rf[l] = float(R[l]);
        avx2::chain8(&Af[i * K + s], &Bp8[((j / 8) * K + s) * 8], n, Rf, fp);
        for (size_t l = 0; l < 8; ++l) R[l] = Rf[l];
      } else {
        avx2::chain4(&A[i * K + s], &Bp4[((j / 4) * K + s) * 4], n, R, fp);
      }
    };
    auto group = [&](size_t i, size_t j) {
      bool ok = !bad_a[i];
      double R0[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      for (size_t l = 0; l < W && ok; ++l) {
        double cv = 0;
        ok = !bad_b[j + l] && addend(i * N + j + l, cv) &&
             (cv == 0 || (std::fabs(cv) >= clo && std::fabs(cv) < chi && (!lanes8 || double(float(cv)) == cv)));
        R0[l] = cv;
      }
      if (!ok) {
        for (size_t l = 0; l < W; ++l) element(i, j + l, nullptr);
        return;
      }
      double v[8];
      if (!promote) {
        lane_chain(i, j, 0, K, R0);
        for (size_t l = 0; l < W; ++l) v[l] = R0[l];
      } else {
        e.flags = 0;
        for (size_t l = 0; l < W; ++l)
          v[l] = R0[l] == 0 ? 0 : to_double(decode(m.promote(), round_in_mode(m.promote(), exact_of(R0[l]), m.promote_rounding, e)));
        for (size_t s = 0; s < K; s += promote) {
          double R[8] = {0, 0, 0, 0, 0, 0, 0, 0};
          lane_chain(i, j, s, std::min(promote, K - s), R);
          for (size_t l = 0; l < W; ++l)
            if (std::isfinite(v[l])) v[l] = promote_add(v[l], R[l], m, fast_f32, e);
        }
        flags |= e.flags;
      }
      for (size_t l = 0; l < W; ++l) element(i, j + l, &v[l]);
    };
#pragma omp for schedule(dynamic, 1)
    for (long long tile = 0; tile < tiles; ++tile) {
      const size_t j0 = size_t(tile) / ti * TJ, i0 = size_t(tile) % ti * TI;
      const size_t j1 = std::min(N, j0 + TJ), i1 = std::min(M, i0 + TI);
      size_t j = j0;
      if (W)
        for (; j + W <= j1; j += W)
          for (size_t i = i0; i < i1; ++i) group(i, j);
      for (; j < j1; ++j)
        for (size_t i = i0; i < i1; ++i) element(i, j, nullptr);
    }
  }
  env.flags |= flags;
}

}  // namespace bitexact
