// Stimulus for the LUT tile (rtl/sim/lut_adapter.hpp's LutOp: one LMMA): the activation sweep,
// every weight column, seeded-random integer and float16 tiles, and the back-to-back plane
// schedule. Shared by tests/rtl/test_lockstep_lut.cpp and tools/bench/bench_lockstep.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "hwmodel/lut/config.hpp"
#include "hwmodel/lut/tile.hpp"
#include "rtl/sim/lut_adapter.hpp"

namespace bitexact::rtl {

// Activation sets of M = 2 rows of K values: corners, then seeded random rows (full range and small,
// the small ones giving exact int8 tables). Written for K = 4; another K stretches each row (K = 8:
// the row, then its values negated in reverse order, every other one halved) or cuts it (K < 4).
inline std::vector<std::vector<int>> activation_sweep(int k = 4) {
  std::vector<std::vector<int>> s4 = {
      {-128, -128, -128, -128, 127, 127, 127, 127},  // extremes: tables quantized (e = 3 / 2)
      {127, -128, 1, -1, 0, 0, 0, 0},                // a zero table (e = 0)
      {31, -31, 31, -31, 1, 0, 0, 0},                // exact (max |E| = 124; e = 0 / -6)
      {-1, 2, -3, 4, 17, -5, 9, -2},                 // exact, small
  };
  std::mt19937 rng(6);
  for (int r = 0; r < 4; ++r) {
    std::vector<int> a(8);
    for (int& x : a) x = r % 2 ? int(rng() % 63) - 31 : int(rng() % 256) - 128;
    s4.push_back(a);
  }
  if (k == 4) return s4;
  std::vector<std::vector<int>> s;
  for (const auto& r4 : s4) {
    std::vector<int> a(size_t(2 * k));
    for (int m = 0; m < 2; ++m)
      for (int i = 0; i < k; ++i) a[size_t(m * k + i)] = i < 4 ? r4[size_t(m * 4 + i)] : std::min(127, -r4[size_t(m * 4 + 7 - i)] / (i % 2 + 1));
    s.push_back(a);
  }
  return s;
}

// Weight columns c0 .. c0 + N - 1 (K codes of B bits each, column index modulo 2^(K*B)) with
// activations a: one op.
inline LutOp weight_column_op(const LutConfig& c, const std::vector<int>& a, uint64_t c0) {
  const int K = c.k, N = c.n, B = c.w_bits;
  const uint64_t cols = uint64_t(1) << (K * B);
  std::vector<uint64_t> w(size_t(K * N));
  for (int n = 0; n < N; ++n)
    for (int k = 0; k < K; ++k) w[size_t(k * N + n)] = ((c0 + uint64_t(n)) % cols >> (k * B)) & ((1u << B) - 1);
  return make_op(c, a, std::move(w), {}, false);
}

// Every weight column (2^(K*B) of them) once per activation set, N per op.
inline void add_weight_sweep(std::vector<LutOp>& ops, const LutConfig& c, const std::vector<std::vector<int>>& acts) {
  const uint64_t cols = uint64_t(1) << (c.k * c.w_bits);
  for (const auto& a : acts)
    for (uint64_t c0 = 0; c0 < cols; c0 += uint64_t(c.n)) ops.push_back(weight_column_op(c, a, c0));
}

// Seeded-random integer tiles: full-range or small activations, random weights, an int32 psum
// (any, or INT32_MAX / INT32_MIN one time in four) or none (psum_pct: percent of unchained ops
// with one), K-groups chained (1..4 ops per output tile).
inline void add_random_tiles(std::vector<LutOp>& ops, const LutConfig& c, int n, uint64_t seed, int psum_pct = 50) {
  std::mt19937_64 rng(seed);
  int left = 0;
  for (int i = 0; i < n; ++i) {
    const bool chain = left > 0;
    left = chain ? left - 1 : int(rng() % 4);
    const bool small = rng() % 2;
    std::vector<int> a(size_t(c.m * c.k));
    for (int& x : a) x = small ? int(rng() % 63) - 31 : int(rng() % 256) - 128;
    std::vector<uint64_t> w(size_t(c.k * c.n));
    for (auto& x : w) x = rng() & ((1u << c.w_bits) - 1);
    std::vector<uint64_t> p;
    if (!chain && int(rng() % 100) < psum_pct) {
      p.resize(size_t(c.m * c.n));
      for (auto& x : p) x = rng() % 4 ? uint32_t(rng()) : (rng() % 2 ? 0x7fffffffu : 0x80000000u);
    }
    ops.push_back(make_op(c, std::move(a), std::move(w), std::move(p), chain));
  }
}

// An op of a float16-activation tile from its codes (M x K activations, K x N weights, an M x N
// psum of the accumulator format or none).
inline LutOp make_float_op(const LutConfig& c, std::vector<uint64_t> codes, std::vector<uint64_t> w,
                           std::vector<uint64_t> psum, bool chain = false) {
  LutOp op;
  op.codes = std::move(codes);
  op.w = std::move(w);
  op.psum = std::move(psum);
  op.chain = chain;
  Env env;
  hw::lut_precompute_tables(c, op.codes.data(), op.tables, env);
  op.planes.resize(size_t(c.w_bits) * size_t(c.n));
  hw::lut_reinterpret_weights(c, op.w.data(), op.planes.data());
  return op;
}

// Seeded-random float16-activation tiles: any code (normal, subnormal, zero, inf, NaN), rows of
// small values whose table sums cancel and round, of tiny values, of signed zeros; a psum of the
// accumulator format of every class or none; chained K-groups.
inline void add_float_tiles(std::vector<LutOp>& ops, const LutConfig& c, int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  int left = 0;
  const uint32_t specials[] = {0x7f800000u, 0xff800000u, 0x7fc00000u, 0x00000000u, 0x80000000u, 0x7f7fffffu,
                               0xff7fffffu, 0x00000001u, 0x807fffffu, 0x00800000u};
  const uint32_t specials16[] = {0x7c00u, 0xfc00u, 0x7e00u, 0x0000u, 0x8000u, 0x7bffu, 0xfbffu, 0x0001u, 0x83ffu, 0x0400u};
  for (int i = 0; i < n; ++i) {
    const bool chain = left > 0;
    left = chain ? left - 1 : int(rng() % 4);
    std::vector<uint64_t> codes(size_t(c.m * c.k));
    const int kind = int(rng() % 5);
    for (auto& x : codes) {
      const uint64_t r = rng();
      if (kind == 0) x = r & 0xffff;                                        // any code
      else if (kind == 1) x = (r & 0x83ff) | ((10 + (r >> 20) % 8) << 10);  // |a| in 2^-5 .. 2^3
      else if (kind == 2) x = (r % 16 == 0) ? (r >> 8) & 0x83ff : (r & 0x83ff) | ((14 + (r >> 20) % 3) << 10);
      else if (kind == 3) x = (r & 0x83ff) | (((r >> 20) % 3) << 10);        // subnormal or tiny: |a| < 2^-13
      else x = r % 8 ? (r >> 8) & 0x8000 : (r >> 8) & 0x83ff;                 // +-0 (a zero table), a few subnormals
    }
    std::vector<uint64_t> w(size_t(c.k * c.n));
    for (auto& x : w) x = rng() & ((1u << c.w_bits) - 1);
    std::vector<uint64_t> psum;
    if (!chain && rng() % 5) {
      psum.resize(size_t(c.m * c.n));
      for (auto& x : psum) {
        const uint64_t r = rng();
        if (c.accum == LutAccum::Fp16) {
          switch (r % 5) {
            case 0: x = (r >> 8) & 0xffff; break;                                             // any code
            case 1: x = specials16[(r >> 8) % 10]; break;
            case 2: x = (r >> 8) & 0x83ff; break;                                             // subnormal
            default: x = ((r >> 8) & 0x83ff) | (uint32_t(3 + (r >> 40) % 28) << 10); break;  // near the sums
          }
          continue;
        }
        switch (r % 5) {
          case 0: x = uint32_t(r >> 8); break;                                                    // any code
          case 1: x = specials[(r >> 8) % 10]; break;
          case 2: x = (r >> 8) & 0x807fffffu; break;                                              // subnormal
          default: x = ((r >> 8) & 0x807fffffu) | (uint32_t(120 + (r >> 40) % 16) << 23); break;  // near the sums
        }
      }
    }
    ops.push_back(make_float_op(c, std::move(codes), std::move(w), std::move(psum), chain));
  }
}

// Every plane of `ops` operations back to back, then the pipeline's drain.
inline std::vector<LutIn> lut_schedule(const LutConfig& c, size_t ops) {
  std::vector<LutIn> s;
  for (uint32_t i = 0; i < ops; ++i)
    for (int b = 0; b < c.w_bits; ++b) s.push_back(LutIn{true, i, uint8_t(b)});
  for (int i = 0; i <= c.pipeline; ++i) s.push_back(LutIn{});
  return s;
}

}  // namespace bitexact::rtl
