// Stimulus for the DPn units (rtl/units/mac) in lockstep with hw::Dpn: seeded-random dot products
// and exhaustive operand-pair sweeps, written against any sink with the Lockstep interface
// (step(MacIn) / idle(k) / cycle(): the harness itself, ModelOnly, or a Recorder that keeps the
// schedule). Shared by tests/rtl/test_lockstep_mac.cpp and tools/bench/bench_lockstep.cpp.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <random>
#include <vector>

#include "rtl/sim/mac_adapter.hpp"

namespace bitexact::rtl::mac {

// ---- sinks ---------------------------------------------------------------------------------------

// The C++ model alone (no RTL, no comparison): the same stimulus through the adapter's model().
template <class Adapter>
struct ModelOnly {
  Adapter* ad;
  uint64_t n = 0;
  bool step(const MacIn& in) {
    ad->model(in);
    ++n;
    return true;
  }
  bool idle(int k) {
    for (int i = 0; i < k; ++i) step(MacIn{});
    return true;
  }
  uint64_t cycle() const { return n; }
};

// Keeps the inputs: a schedule to replay (the benchmark steps it three ways).
struct Recorder {
  std::vector<MacIn> s;
  bool step(const MacIn& in) {
    s.push_back(in);
    return true;
  }
  bool idle(int k) {
    s.insert(s.end(), size_t(k), MacIn{});
    return true;
  }
  uint64_t cycle() const { return s.size(); }
};

// ---- operand generators: per dot product a mode(), then per lane a(), b(); c() for an addend ------

// Two's complement int8: any code, or (one dot product in 8) codes near the limits; int32 addends,
// one in two near INT32_MAX / INT32_MIN (saturation).
struct Int8Codes {
  int mode(std::mt19937_64& rng) const { return rng() % 8 == 0; }
  uint64_t a(std::mt19937_64& rng, int wide) const { return wide ? (0x7E + rng() % 4) & 0xFF : rng() & 0xFF; }
  uint64_t b(std::mt19937_64& rng, int wide) const { return a(rng, wide); }
  uint64_t c(std::mt19937_64& rng) const {
    const uint64_t r = rng();
    return r % 4 == 0 ? uint32_t(0x7FFFFFFF - (r >> 40) % 300000)
           : r % 4 == 1 ? uint32_t(0x80000000 + (r >> 40) % 300000)
                        : uint32_t(r >> 16);
  }
};

// A float32 code for an addend: random sign, an exponent around the products' range (2^-30..2^21),
// random mantissa; now and then a special (NaN, sNaN, +-inf, +-0, a subnormal).
inline uint32_t random_f32_addend(std::mt19937_64& rng) {
  const uint64_t r = rng();
  switch (r % 16) {
    case 0: return 0x7FC00000u;
    case 1: return 0x7F800001u;  // signalling NaN: invalid
    case 2: return (r & 0x100 ? 0xFF800000u : 0x7F800000u);
    case 3: return (r & 0x100 ? 0x80000000u : 0u);
    case 4: return uint32_t((r >> 8) & 0x807FFFFFu);  // subnormal (or zero)
    default: {
      const uint32_t e = uint32_t(127 - 30 + (r >> 8) % 52);
      return uint32_t((r >> 63) << 31) | (e << 23) | uint32_t((r >> 16) & 0x7FFFFF);
    }
  }
}

// Minifloat codes of E exponent / M mantissa bits (OCP FP8 / FP6 / FP4, or an IEEE-style one with
// infinities): any code with NaNs / infinities kept rare, or (one dot product in 4) exponents near
// the bias so that sums cancel. Float32 addends with specials.
struct MinifloatCodes {
  int e = 4, m = 3;
  bool ieee = false;  // all-ones exponent: infinity / NaN (E5M2); else only S.1..1.1..1 is NaN (E4M3)
  bool nan = true;    // the format has NaN codes (FP6 / FP4 have none)
  int mode(std::mt19937_64& rng) const { return rng() % 4 == 0; }
  uint64_t a(std::mt19937_64& rng, int narrow) const {
    const int w = 1 + e + m;
    const uint64_t bias = (uint64_t{1} << (e - 1)) - 1, mmask = (uint64_t{1} << m) - 1;
    if (narrow) return (rng() & (uint64_t{1} << (w - 1))) | (bias << m) | (rng() & mmask);
    uint64_t c = rng() & ((uint64_t{1} << w) - 1);
    const uint64_t emask = ((uint64_t{1} << e) - 1) << m;
    if (ieee) {
      if ((c & emask) == emask && rng() % 8) c &= ~(uint64_t{1} << m);  // infinities, NaNs rare
    } else if (nan && (c & (emask | mmask)) == (emask | mmask) && rng() % 8) {
      c &= ~uint64_t{1};  // NaNs rare
    }
    return c;
  }
  uint64_t b(std::mt19937_64& rng, int narrow) const { return a(rng, narrow); }
  uint64_t c(std::mt19937_64& rng) const { return random_f32_addend(rng); }
};
inline constexpr MinifloatCodes kE4m3Codes{4, 3, false, true};
inline constexpr MinifloatCodes kE5m2Codes{5, 2, true, true};
inline constexpr MinifloatCodes kE2m3Codes{2, 3, false, false};  // OCP FP6: every code finite
inline constexpr MinifloatCodes kE3m2Codes{3, 2, false, false};
inline constexpr MinifloatCodes kE2m1Codes{2, 1, false, false};  // OCP FP4

// A mixed pair (E4M3 activations x E2M1 weights): each side its own codes, a dot product's mode
// shared.
struct MinifloatPair {
  MinifloatCodes A, B;
  int mode(std::mt19937_64& rng) const { return rng() % 4 == 0; }
  uint64_t a(std::mt19937_64& rng, int narrow) const { return A.a(rng, narrow); }
  uint64_t b(std::mt19937_64& rng, int narrow) const { return B.a(rng, narrow); }
  uint64_t c(std::mt19937_64& rng) const { return random_f32_addend(rng); }
};

// bfloat16 (products 2^-266 .. 2^256, beyond float32): per dot product any code (infinities, NaNs
// rare: sums overflow or underflow float32), exponents near 1, operands near 2^-63 (products near
// float32's subnormals: the output rounding) or near 2^64 (products near its overflow).
struct Bf16Codes {
  int mode(std::mt19937_64& rng) const { return int(rng() % 4); }
  uint64_t a(std::mt19937_64& rng, int mode) const {
    if (mode == 0) {
      uint64_t c = rng() & 0xFFFF;
      if ((c & 0x7F80) == 0x7F80 && rng() % 8) c &= 0xFF7F;
      return c;
    }
    const uint64_t lo = mode == 1 ? 125 : mode == 2 ? 52 : 186, e = lo + rng() % 6;
    return (rng() & 0x8000) | (e << 7) | (rng() & 0x7F);
  }
  uint64_t b(std::mt19937_64& rng, int mode) const { return a(rng, mode); }
  uint64_t c(std::mt19937_64& rng) const { return random_f32_addend(rng); }
};

// float16: any code (infinities, NaNs rare), or (one dot product in 3) exponents 13..17 around 1.
struct Fp16Codes {
  int mode(std::mt19937_64& rng) const { return rng() % 3 == 0; }
  uint64_t a(std::mt19937_64& rng, int narrow) const {
    if (narrow) return (rng() & 0x8000) | ((13 + rng() % 5) << 10) | (rng() & 0x3FF);
    uint64_t c = rng() & 0xFFFF;
    if ((c & 0x7C00) == 0x7C00 && rng() % 8) c &= 0xFBFF;
    return c;
  }
  uint64_t b(std::mt19937_64& rng, int narrow) const { return a(rng, narrow); }
  uint64_t c(std::mt19937_64& rng) const { return random_f32_addend(rng); }
};

// MX block operands (OCP MX v1.0: elements of a minifloat format, an E8M0 scale per block of 32):
// the elements as MinifloatPair draws them, per block and operand a scale: mostly 2^-20..2^20,
// one in eight near the E8M0 limits (sums that underflow or overflow float32), one in 64 the NaN
// code 0xFF.
struct MxCodes {
  MinifloatPair elems;
  int mode(std::mt19937_64& rng) const { return elems.mode(rng); }
  uint64_t a(std::mt19937_64& rng, int narrow) const { return elems.a(rng, narrow); }
  uint64_t b(std::mt19937_64& rng, int narrow) const { return elems.b(rng, narrow); }
  uint64_t c(std::mt19937_64& rng) const { return random_f32_addend(rng); }
  uint8_t scale(std::mt19937_64& rng) const {
    const uint64_t r = rng();
    if (r % 64 == 0) return 0xFF;
    if (r % 8 == 1) return uint8_t((r >> 8) % 2 ? (r >> 16) % 12 : 243 + (r >> 16) % 12);
    return uint8_t(107 + (r >> 8) % 41);
  }
};

// ---- schedules -----------------------------------------------------------------------------------

// Seeded-random dot products through a DP of `lanes`: K in 1..64 (only the last chunk partial: the
// fused units step per chunk), idle gaps (another cycle one time in four), an addend half of the
// time. Returns the sink's cycles (stops at a mismatch); `done` counts the dot products fed.
template <class Sink, class Gen>
uint64_t random_dots(Sink& ls, const Gen& gen, uint64_t seed, int dots, uint64_t* done = nullptr, int lanes = 4) {
  std::mt19937_64 rng(seed);
  for (int d = 0; d < dots; ++d) {
    const int K = 1 + int(rng() % 64);
    const int chunks = (K + lanes - 1) / lanes;
    const int mode = gen.mode(rng);
    uint8_t sa = 127, sb = 127;
    for (int s = 0; s < chunks; ++s) {
      MacIn in;
      in.valid = true;
      in.first = s == 0;
      in.last = s + 1 == chunks;
      in.count = in.last ? K - lanes * s : -1;
      if constexpr (requires { gen.scale(rng); }) {  // MX: a block's scales on each of its chunks
        if (s * lanes % 32 == 0) sa = gen.scale(rng), sb = gen.scale(rng);
        in.scale_a = sa, in.scale_b = sb;
      }
      for (int l = 0; l < lanes; ++l) {
        in.a[size_t(l)] = uint16_t(gen.a(rng, mode));
        in.b[size_t(l)] = uint16_t(gen.b(rng, mode));
      }
      if (in.first && rng() % 2) {
        in.has_c = true;
        in.c = gen.c(rng);
      }
      if (!ls.step(in)) return ls.cycle();
      while (rng() % 4 == 0)
        if (!ls.idle(1)) return ls.cycle();
    }
    if (done) ++*done;
  }
  ls.idle(4);
  return ls.cycle();
}

// Every (a, b) code pair of a_bits x b_bits on each lane listed, the other lanes 0 x 0, one
// single-chunk dot product per cycle, back to back; then 4 idle cycles (the last results leave).
// MX operands: under the block scales sa, sb. Returns the cycles run (stops at a mismatch).
template <class Sink>
uint64_t exhaustive_pairs(Sink& ls, std::initializer_list<int> lanes, int a_bits = 8, int b_bits = 8,
                          uint8_t sa = 127, uint8_t sb = 127) {
  for (int lane : lanes)
    for (uint32_t p = 0; p < (uint32_t{1} << (a_bits + b_bits)); ++p) {
      MacIn in;
      in.valid = in.first = in.last = true;
      in.a[size_t(lane)] = uint16_t(p >> b_bits);
      in.b[size_t(lane)] = uint16_t(p & ((1u << b_bits) - 1));
      in.scale_a = sa;
      in.scale_b = sb;
      if (!ls.step(in)) return ls.cycle();
    }
  ls.idle(4);
  return ls.cycle();
}

}  // namespace bitexact::rtl::mac
