// Stimulus for the bit-serial PE (rtl/sim/bitserial_adapter.hpp's Group: one weight group): the
// directed corners, exhaustive code pairs and seeded-random dot products of each datapath, and the
// schedule that loads groups whenever the PE is ready. Shared by tests/rtl/test_lockstep_bitserial.cpp
// and tools/bench/bench_lockstep.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/bitserial/pe.hpp"
#include "rtl/sim/bitserial_adapter.hpp"

namespace bitexact::rtl::bitserial {

// A group with the same activation and weight code on every lane.
inline Group uniform_group(uint64_t a, uint64_t w, bool first, bool last, int count = kLanes) {
  Group g;
  for (int l = 0; l < kLanes; ++l) g.a[l] = a, g.w[l] = w;
  g.first = first, g.last = last, g.count = count;
  return g;
}

inline uint64_t i32(int64_t v) { return uint64_t(v) & 0xFFFFFFFFu; }

// Seeded-random dot products of 1..max_groups groups; fill(rng, g, d) sets the lanes (and addend)
// of a group of dot product d. Common to every datapath: first / last, a partial last group one
// time in four, idle cycles before one group in eight.
template <class Fill>
std::vector<Group> random_dots_with(uint64_t seed, int dots, int max_groups, Fill fill) {
  std::mt19937_64 rng(seed);
  std::vector<Group> gs;
  for (int d = 0; d < dots; ++d) {
    const int n = 1 + int(rng() % uint64_t(max_groups));
    for (int k = 0; k < n; ++k) {
      Group g;
      g.first = k == 0;
      g.last = k == n - 1;
      fill(rng, g, d);
      if (g.last && rng() % 4 == 0) g.count = int(rng() % (kLanes + 1));
      if (rng() % 8 == 0) g.idle = int(rng() % 4);
      gs.push_back(g);
    }
  }
  return gs;
}

// Every (activation, weight) code pair of int8 x int4 on one lane: once with lane 0 active and
// garbage in the gated lanes (count = 1), once on lane i % 4 with zero activations beside it.
inline std::vector<Group> exhaustive_pairs() {
  std::vector<Group> gs;
  std::mt19937_64 rng(7);
  for (int pass = 0; pass < 2; ++pass)
    for (uint64_t a = 0; a < 256; ++a)
      for (uint64_t w = 0; w < 16; ++w) {
        Group g;
        const int lane = pass == 0 ? 0 : int((a * 16 + w) % kLanes);
        for (int l = 0; l < kLanes; ++l) {
          g.a[l] = pass == 0 ? rng() & 0xFF : 0;
          g.w[l] = rng() & 0xF;
        }
        g.a[lane] = a;
        g.w[lane] = w;
        g.count = pass == 0 ? 1 : kLanes;
        gs.push_back(g);
      }
  return gs;
}

// int8 x int4 corners: the largest group sums of either sign, the addend at the int32 limits
// (clamped results), a dot product that leaves the int32 range and comes back (exact accumulation:
// no flag), empty and partial groups, idle cycles, a long dot product.
inline std::vector<Group> directed() {
  std::vector<Group> gs;
  auto group = [](int a, int w, bool first, bool last, int count = kLanes) {
    return uniform_group(uint64_t(a) & 0xFF, uint64_t(w) & 0xF, first, last, count);
  };
  for (int a : {-128, -1, 0, 1, 127})
    for (int w : {-8, -1, 0, 1, 7}) gs.push_back(group(a, w, true, true));
  Group g = group(-128, -8, true, true);  // +4096 onto INT32_MAX: clamps, invalid
  g.has_c = true, g.c = i32(INT32_MAX);
  gs.push_back(g);
  g = group(127, -8, true, true);  // -4064 onto INT32_MIN: clamps, invalid
  g.has_c = true, g.c = i32(INT32_MIN);
  gs.push_back(g);
  g = group(-128, -8, true, false);  // out of range and back: INT32_MAX + 4096 - 4096
  g.has_c = true, g.c = i32(INT32_MAX);
  gs.push_back(g);
  gs.push_back(group(-128, 8, false, true));
  g = group(-128, 7, true, true);  // exactly INT32_MIN
  g.has_c = true, g.c = i32(int64_t(INT32_MIN) + 3584);
  gs.push_back(g);
  gs.push_back(group(5, 3, true, true, 0));  // an empty group: 0
  g = group(5, 3, true, true, 0);            // an empty group with an addend: the addend
  g.has_c = true, g.c = i32(-77);
  gs.push_back(g);
  for (int n = 0; n <= kLanes; ++n) gs.push_back(group(-3, -5, true, true, n));
  g = group(100, -7, true, true);
  g.idle = 3;
  gs.push_back(g);
  for (int k = 0; k < 300; ++k) gs.push_back(group(-128, -8, k == 0, k == 299));  // 300 x the largest sum
  return gs;
}

// E4M3 x E2M1 corners: the largest products over 300 groups and then the smallest (rounded), ties
// to even both ways at 2^25 + 2 and 2^25 + 6 units of 2^-10, -0 products (-0 x w, +0 x -0, every
// product -0 or not, an empty group after -0 products), cancellation to +0, NaN on an active and on
// a gated lane, subnormal activations, an empty group.
inline std::vector<Group> directed_fp() {
  std::vector<Group> gs;
  for (uint64_t a : {0x00, 0x80, 0x01, 0x07, 0x08, 0x7E, 0xFE, 0x38})
    for (uint64_t w : {0x0, 0x8, 0x1, 0x7, 0xF, 0x2}) gs.push_back(uniform_group(a, w, true, true));
  for (int k = 0; k < 300; ++k) gs.push_back(uniform_group(0x7E, 0x7, k == 0, false));  // 448 x 6
  gs.push_back(uniform_group(0x01, 0x1, false, true, 1));                                // + 2^-10
  for (uint64_t tail : {0x01, 0x03}) {                                                   // 2^25 + 2 / + 6 units
    for (int k = 0; k < 8; ++k) gs.push_back(uniform_group(0x78, 0x6, k == 0, false));  // 256 x 4
    gs.push_back(uniform_group(tail, 0x2, false, true, 1));
  }
  Group g = uniform_group(0x80, 0x3, true, true);  // every product -0
  g.a[1] = 0x00, g.w[1] = 0x8;
  gs.push_back(g);
  g.last = false;  // ... and an empty group after it: still -0
  gs.push_back(g);
  g.first = false, g.last = true, g.count = 0;
  gs.push_back(g);
  g.first = true, g.count = kLanes;
  g.a[2] = 0x00, g.w[2] = 0x0;  // one +0 product: +0
  gs.push_back(g);
  g = uniform_group(0x40, 0x3, true, true);  // 4 x 1.5 - 4 x 1.5: +0
  g.w[1] = 0xB;
  g.count = 2;
  gs.push_back(g);
  g = uniform_group(0x30, 0x5, true, true);
  g.a[2] = 0x7F;  // NaN on an active lane
  gs.push_back(g);
  g.count = 2;  // ... and gated off
  gs.push_back(g);
  g.a[1] = 0xFF;
  gs.push_back(g);
  gs.push_back(uniform_group(0x05, 0x9, true, true, 0));  // an empty group
  g = uniform_group(0x05, 0x9, true, false);
  g.idle = 2;
  gs.push_back(g);
  gs.push_back(uniform_group(0x06, 0xC, false, true, 3));
  return gs;
}

// Seeded-random int8 x int4 (fp: E4M3 x E2M1) dot products. int: an addend half of the time
// (sometimes near the int32 limits); fp: none, NaN activations thinned to one code in 2,500, a
// third of the groups near the largest products (448 x 6, one sign per dot product) beside tiny
// activations, so that sums pass 2^24 units of 2^-10 with low bits to round.
inline std::vector<Group> random_dots(uint64_t seed, int dots, int max_groups, bool fp = false) {
  return random_dots_with(seed, dots, max_groups, [fp](std::mt19937_64& rng, Group& g, int d) {
    for (int l = 0; l < kLanes; ++l) {
      g.a[l] = rng() & 0xFF, g.w[l] = rng() & 0xF;
      while (fp && e4m3_nan(g.a[l]) && rng() % 10 != 0) g.a[l] = rng() & 0xFF;
    }
    if (fp && rng() % 3 == 0)
      for (int l = 0; l < kLanes; ++l) g.a[l] = 0x70 + rng() % 15 + (d & 1 ? 0x80 : 0), g.w[l] = 0x6 + (rng() & 1);
    else if (fp)
      for (int l = 0; l < kLanes; ++l)
        if (rng() % 2) g.a[l] = rng() & 0x8F;
    if (!fp && g.first && rng() % 2) {
      g.has_c = true;
      const uint64_t pick = rng() % 4;
      g.c = pick == 0 ? i32(INT32_MAX - int64_t(rng() % 20000)) : pick == 1 ? i32(INT32_MIN + int64_t(rng() % 20000))
                                                                           : rng() & 0xFFFFFFFFu;
    }
  });
}

// float16 activations: every code on every lane position (four consecutive codes per group,
// rotated by two lanes in the second pass) against random weights (wmask: the weight code's bits;
// 0 included: inf x 0), and every code alone on lane 0 against weight code % (wmask + 1).
inline std::vector<Group> f16_codes(uint64_t wmask = 0xF) {
  std::vector<Group> gs;
  std::mt19937_64 rng(11);
  for (int pass = 0; pass < 3; ++pass)
    for (uint64_t c = 0; c < 65536; c += kLanes) {
      Group g;
      for (int l = 0; l < kLanes; ++l) {
        g.a[(l + 2 * pass) % kLanes] = c + uint64_t(l);
        g.w[l] = rng() & wmask;
      }
      if (pass == 2)
        for (int l = 0; l < kLanes; ++l) {
          Group h = g;
          h.a[0] = c + uint64_t(l), h.w[0] = (c + uint64_t(l)) % (wmask + 1), h.count = 1;
          gs.push_back(h);
        }
      else
        gs.push_back(g);
    }
  return gs;
}

// The float16 activation corners of the float16 PEs.
inline constexpr uint64_t kF16Corners[] = {0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x3c00,
                                           0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7c01};

// float16 x int4 corners: the corners above against weights 0, 1, 7, -8, -1; 300 groups of
// 4 x 65504 x -8 and then 2^-24 (rounded); +inf and -inf in different groups (NaN, invalid); inf
// beside finite groups; inf x 0 on a gated lane (not counted) and on an active one (NaN, invalid);
// a qNaN beside +inf and -inf; a signalling NaN (invalid); every product -0; cancellation to +0; an
// empty group; float32 ties 1 + 2^-24 (to even, down) and 1 + 3 x 2^-24 (up).
inline std::vector<Group> directed_f16() {
  std::vector<Group> gs;
  for (uint64_t a : kF16Corners)
    for (uint64_t w : {0x0, 0x1, 0x7, 0x8, 0xF}) gs.push_back(uniform_group(a, w, true, true));
  for (int k = 0; k < 300; ++k) gs.push_back(uniform_group(0x7bff, 0x8, k == 0, false));
  gs.push_back(uniform_group(0x0001, 0x1, false, true, 1));
  gs.push_back(uniform_group(0x7c00, 0x1, true, false, 1));  // +inf
  gs.push_back(uniform_group(0x7c00, 0xF, false, true, 1));  // then -inf: NaN, invalid
  gs.push_back(uniform_group(0x7c00, 0x3, true, false, 1));  // +inf
  gs.push_back(uniform_group(0x3c00, 0x7, false, true));     // and a finite group: +inf
  Group g = uniform_group(0x3c00, 0x2, true, true, 2);
  g.a[3] = 0x7c00, g.w[3] = 0;  // inf x 0 on a gated lane
  gs.push_back(g);
  g.count = 4;  // ... and active: NaN, invalid
  gs.push_back(g);
  g = uniform_group(0x7c00, 0x1, true, true);
  g.w[1] = 0xF, g.a[2] = 0x7e00;  // +inf, -inf and a qNaN
  gs.push_back(g);
  g = uniform_group(0x3c00, 0x1, true, true);
  g.a[1] = 0x7d00;  // a signalling NaN
  gs.push_back(g);
  g = uniform_group(0x8000, 0x3, true, true);
  g.a[1] = 0x0000, g.w[1] = 0xF;  // every product -0
  gs.push_back(g);
  g = uniform_group(0x3c00, 0x1, true, true, 2);
  g.w[1] = 0xF;  // 1 - 1 = +0
  gs.push_back(g);
  gs.push_back(uniform_group(0x3c00, 0x1, true, true, 0));  // an empty group
  for (uint64_t tail : {0x0001, 0x0003}) {
    g = uniform_group(0x3c00, 0x1, true, true, 2);
    g.a[1] = tail;
    gs.push_back(g);
  }
  return gs;
}

// float16 x E2M3 corners: the float16 corners against E2M3 weights 0, -0, the smallest subnormal
// 0.125, 1, -7.5 (the largest, 4 terms), 300 groups of 4 x 65504 x 7.5 then 2^-24 x 0.125 (rounded),
// inf x -0 (NaN, invalid), every product -0 (-0 weights), the float32 ties 1 + 2^-24 and 1 + 3 x 2^-24.
inline std::vector<Group> directed_f16_e2m3() {
  std::vector<Group> gs;
  for (uint64_t a : kF16Corners)
    for (uint64_t w : {0x00, 0x20, 0x01, 0x08, 0x3F}) gs.push_back(uniform_group(a, w, true, true));
  for (int k = 0; k < 300; ++k) gs.push_back(uniform_group(0x7bff, 0x1F, k == 0, false));
  gs.push_back(uniform_group(0x0001, 0x01, false, true, 1));
  Group g = uniform_group(0x3c00, 0x08, true, true);
  g.a[2] = 0xfc00, g.w[2] = 0x20;  // -inf x -0
  gs.push_back(g);
  gs.push_back(uniform_group(0x3c00, 0x20, true, true));  // 1 x -0: every product -0
  for (uint64_t tail : {0x0001, 0x0003}) {                // 1 + tail x 2^-24 (weights 1)
    g = uniform_group(0x3c00, 0x08, true, true, 2);
    g.a[1] = tail;
    gs.push_back(g);
  }
  return gs;
}

// Seeded-random float16 dot products: any code (inf and NaN thinned to one in ten), a third of the
// groups with large magnitudes beside tiny ones so that sums round; weights any code of wmask.
inline std::vector<Group> random_dots_f16(uint64_t seed, int dots, int max_groups, uint64_t wmask = 0xF) {
  return random_dots_with(seed, dots, max_groups, [wmask](std::mt19937_64& rng, Group& g, int) {
    const bool wide = rng() % 3 == 0;
    for (int l = 0; l < kLanes; ++l) {
      g.a[l] = rng() & 0xFFFF, g.w[l] = rng() & wmask;
      while (f16_special(g.a[l]) && rng() % 10 != 0) g.a[l] = rng() & 0xFFFF;
      if (wide) g.a[l] = (g.a[l] & 0x83FF) | (l % 2 ? uint64_t(24 + rng() % 6) << 10 : uint64_t(rng() % 4) << 10);
    }
  });
}

// bfloat16 x int4 corners: zeros, the smallest subnormal 2^-133, the largest subnormal, the
// smallest normal 2^-126, 1, +-max (3.39e38), +-inf, qNaN, sNaN against weights 0, 1, 7, -8, -1
// (the largest products overflow float32 to inf); one largest product alone (exact, below
// FLT_MAX); +max - max + 2^-133 (a subnormal float32 result, exact); 2^-126 - 2^-133 x 7 (below the
// normal range); 300 groups of 4 x max x -8 then 2^-133 (-inf); the float32 ties 1 + 2^-24 (to even,
// down) and 1 + 3 x 2^-24 (up); inf x 0 (NaN, invalid); +inf and -inf (NaN, invalid); every
// product -0.
inline std::vector<Group> directed_bf16() {
  std::vector<Group> gs;
  for (uint64_t a : {0x0000, 0x8000, 0x0001, 0x007f, 0x0080, 0x3f80, 0x7f7f, 0xff7f, 0x7f80, 0xff80, 0x7fc0, 0x7f81})
    for (uint64_t w : {0x0, 0x1, 0x7, 0x8, 0xF}) gs.push_back(uniform_group(a, w, true, true));
  gs.push_back(uniform_group(0x7f7f, 0x1, true, true, 1));
  Group g = uniform_group(0x7f7f, 0x1, true, true, 3);
  g.a[1] = 0xff7f, g.a[2] = 0x0001;  // max - max + 2^-133
  gs.push_back(g);
  g = uniform_group(0x0080, 0x1, true, true, 2);
  g.a[1] = 0x8001, g.w[1] = 0x7;  // 2^-126 - 7 x 2^-133
  gs.push_back(g);
  for (int k = 0; k < 300; ++k) gs.push_back(uniform_group(0x7f7f, 0x8, k == 0, false));
  gs.push_back(uniform_group(0x0001, 0x1, false, true, 1));
  for (uint64_t tail : {0x3380, 0x3440}) {  // 2^-24, 3 x 2^-24
    g = uniform_group(0x3f80, 0x1, true, true, 2);
    g.a[1] = tail;
    gs.push_back(g);
  }
  g = uniform_group(0x3f80, 0x2, true, true);
  g.a[3] = 0x7f80, g.w[3] = 0;  // inf x 0
  gs.push_back(g);
  g = uniform_group(0x7f80, 0x1, true, true, 2);
  g.w[1] = 0xF;  // +inf, -inf
  gs.push_back(g);
  g = uniform_group(0x8000, 0x3, true, true);
  g.a[1] = 0x0000, g.w[1] = 0xF;  // every product -0
  gs.push_back(g);
  return gs;
}

// Seeded-random bfloat16 x int4 dot products: any code (inf and NaN thinned to one in ten); a
// quarter of the groups near the top of the range (exponents 250..254: sums overflow float32), a
// quarter of tiny values (exponents 0..3: subnormal float32 results), the rest mixing both ends
// with ordinary magnitudes so that sums round.
inline std::vector<Group> random_dots_bf16(uint64_t seed, int dots, int max_groups) {
  return random_dots_with(seed, dots, max_groups, [](std::mt19937_64& rng, Group& g, int) {
    const int kind = int(rng() % 4);
    for (int l = 0; l < kLanes; ++l) {
      g.a[l] = rng() & 0xFFFF, g.w[l] = rng() & 0xF;
      while (bf16_special(g.a[l]) && rng() % 10 != 0) g.a[l] = rng() & 0xFFFF;
      if (bf16_special(g.a[l])) continue;
      const uint64_t e = kind == 0 ? 250 + rng() % 5 : kind == 1 ? rng() % 4 : kind == 2 && l % 2 ? 100 + rng() % 50 : 200 + rng() % 50;
      if (kind != 3) g.a[l] = (g.a[l] & 0x807F) | e << 7;
    }
  });
}

// Every cycle's inputs for a list of groups, each loaded as soon as the PE (a BitSerialPe of the
// configuration) is ready and its idle cycles are spent, until the last result has left.
inline std::vector<SerialIn> schedule(const hw::BitSerialConfig& cfg, const std::vector<Group>& gs) {
  hw::BitSerialPe pe(cfg, Env{});
  const auto dots = uint64_t(std::count_if(gs.begin(), gs.end(), [](const Group& g) { return g.last; }));
  std::vector<SerialIn> s;
  size_t next = 0;
  int idle = gs.empty() ? 0 : gs[0].idle;
  uint64_t results = 0;
  while (next < gs.size() || !pe.ready() || results < dots) {
    hw::SerialInputs si;
    SerialIn in;
    if (next < gs.size() && pe.ready()) {
      if (idle > 0) {
        --idle;
      } else {
        in.load = true;
        in.g = gs[next];
        fill(si, in.g);
        if (++next < gs.size()) idle = gs[next].idle;
      }
    }
    results += pe.step(si).valid;
    s.push_back(in);
  }
  return s;
}

}  // namespace bitexact::rtl::bitserial
