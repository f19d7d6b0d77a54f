// The LUT Tensor Core tile's RTL (rtl/units/lut/lut_tile.sv) in lockstep with hw::LutTile
// (hwmodel/lut/tile.hpp) through rtl/sim/lockstep.hpp: outputs and valid timing compared every
// cycle. INT8 activations, int8 tables with their power-of-two scale, INT32 accumulator, K = 4,
// W_BIT 1..4 and every weight mapping; float16 activations with FP16 or int8 tables into FP32 or
// FP16. Two verilations: M2N8K4 PIPELINE=1 wrapped with the three FAULT variants and the M2N2 float
// tiles (lut_tile_faults.sv), and the default M2N64K4 PIPELINE=2. Besides the model, the results of
// operations whose tables are exact are checked against the exact dot product computed here, and
// the FP16 corners against values worked by hand.
#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vlut_m2n64.h"
#include "Vlut_m2n2x.h"
#include "Vlut_m2n8.h"
#if BITEXACT_NETLIST_SIM
#include "Vnet_lut_m2n2.h"
#endif
#include "emu/value_io.hpp"
#include "formats/spec.hpp"
#include "hwmodel/lut/config.hpp"
#include "hwmodel/lut/tile.hpp"
#include "rtl/sim/lockstep.hpp"
#include "rtl/sim/lut_adapter.hpp"
#include "rtl/sim/lut_stimulus.hpp"

using namespace bitexact;
using namespace bitexact::hw;
using namespace bitexact::rtl;

namespace {

struct RunStats {
  uint64_t cycles = 0, ops = 0;
  std::optional<Mismatch> mismatch;
};

// Runs every op of the adapter through a fresh lockstep, planes back to back (gap_pct: the
// percentage of planes preceded by 1-2 idle cycles), then drains the pipeline.
template <class Top>
RunStats run(LutAdapter<Top>& ad, const std::string& name, int gap_pct = 0, uint32_t seed = 1) {
  LockstepOptions o;
  o.name = name;
  o.trace_dir = (std::filesystem::temp_directory_path() / "bitexact-rtl-lut").string();
  o.record = true;
  ad.gapless_ = gap_pct == 0;
  Lockstep<LutAdapter<Top>> ls(ad, o);
  std::mt19937 rng(seed);
  RunStats st;
  for (uint32_t i = 0; i < ad.ops.size(); ++i)
    for (int b = 0; b < ad.config().w_bits; ++b) {
      if (gap_pct && int(rng() % 100) < gap_pct && !ls.idle(1 + int(rng() % 2))) goto done;
      if (!ls.step(LutIn{true, i, uint8_t(b)})) goto done;
    }
  ls.idle(ad.config().pipeline + 1);
done:
  st.cycles = ls.cycle();
  st.ops = ad.ops.size();
  st.mismatch = ls.mismatch();
  return st;
}

// run() whose lockstep must agree: a mismatch fails the test case with its report; every op's
// result came, with its latency and back-to-back interval, and every exact op equals the integer
// oracle.
template <class Top>
RunStats checked_run(LutAdapter<Top>& ad, const std::string& name, int gap_pct = 0, uint32_t seed = 1) {
  const RunStats st = run(ad, name, gap_pct, seed);
  if (st.mismatch) FAIL(st.mismatch->report);
  CHECK(ad.results == st.ops);
  CHECK(ad.oracle_failed == 0);
  CHECK(ad.latency_failed == 0);
  CHECK(ad.interval_failed == 0);
  return st;
}

const char* wname(LutWeight w) { return lut_weight_name(w); }

constexpr LutWeight kWeights[] = {LutWeight::Unsigned, LutWeight::Signed, LutWeight::Odd};

// f(W_BIT, weight mapping) for W_BIT 1..4 and every mapping, each captured for a failing check.
template <class F>
void for_each_wbit_mapping(F&& f) {
  for (int B = 1; B <= 4; ++B)
    for (LutWeight wt : kWeights) {
      CAPTURE(B);
      const std::string wn = wname(wt);
      CAPTURE(wn);
      f(B, wt);
    }
}

}  // namespace

TEST_CASE("lut rtl M2N8K4: every weight column x an activation sweep, W_BIT 1..4, every mapping, in lockstep") {
  const auto acts = activation_sweep();
  uint64_t cycles = 0, ops = 0, checked = 0;
  for_each_wbit_mapping([&](int B, LutWeight wt) {
    LutAdapter<Vlut_m2n8> ad(lut_cfg(8, B, wt, 1));
    add_weight_sweep(ad.ops, ad.config(), acts);
    const RunStats st = checked_run(ad, "lut_m2n8");
    CHECK(ad.oracle_checked > 0);
    // W_BIT cycles per op: ops back to back, the drain after them.
    CHECK(st.cycles == st.ops * uint64_t(B) + uint64_t(ad.config().pipeline) + 1);
    cycles += st.cycles, ops += st.ops, checked += ad.oracle_checked;
  });
  MESSAGE("lut m2n8 sweep: " << ops << " ops, " << cycles << " cycles in lockstep, " << checked
                             << " ops also == the exact integer dot product");
}

TEST_CASE("lut rtl M2N8K4: seeded random tiles (psum, chained K-groups, idle gaps between planes)") {
  uint64_t ops = 0, cycles = 0;
  for_each_wbit_mapping([&](int B, LutWeight wt) {
    LutAdapter<Vlut_m2n8> ad(lut_cfg(8, B, wt, 1));
    add_random_tiles(ad.ops, ad.config(), 400, uint32_t(100 * B + int(wt)));
    const RunStats st = checked_run(ad, "lut_m2n8", 20, uint32_t(B));
    ops += st.ops, cycles += st.cycles;
  });
  MESSAGE("lut m2n8 random: " << ops << " ops, " << cycles << " cycles in lockstep");
}

// The gate-level netlist yosys 0.23 makes of the synthesis top (rtl/synth/synth.py --netlist
// lut_m2n8_int2 --param N=2: the M2N8 area configuration at N = 2, INT8 tables, INT32, W2 signed
// weights tied by parameters; NAND/NOR/NOT + DFF), verilated, in lockstep with hw::LutTile:
// synthesis kept the function.
#if BITEXACT_NETLIST_SIM
TEST_CASE("lut gate netlist (yosys) M2N2K4 W2 signed: every weight column x the activation sweep, random tiles") {
  const auto t0 = std::chrono::steady_clock::now();
  LutAdapter<Vnet_lut_m2n2> ad(lut_cfg(2, 2, LutWeight::Signed, 1));
  add_weight_sweep(ad.ops, ad.config(), activation_sweep());
  const size_t sweep = ad.ops.size();
  add_random_tiles(ad.ops, ad.config(), 4000, 77);
  const RunStats st = checked_run(ad, "lut_m2n2_netlist", 20, 5);
  CHECK(ad.oracle_checked > 0);
  MESSAGE("lut m2n2 netlist: " << sweep << " sweep + " << st.ops - sweep << " random ops, " << st.cycles
                               << " cycles in lockstep, " << double(st.cycles) / seconds_since(t0) << " cycles/s");
}
#endif

TEST_CASE("lut rtl M2N64K4 (the default tile, FP16 tables, PIPELINE=2): random tiles and a weight sweep, W_BIT 1..4") {
  const auto acts = activation_sweep();
  uint64_t ops = 0, cycles = 0;
  for_each_wbit_mapping([&](int B, LutWeight wt) {
    LutAdapter<Vlut_m2n64> ad(lut_cfg(64, B, wt, 2, LutTable::Fp16));
    add_weight_sweep(ad.ops, ad.config(), {acts[0], acts[2], acts[4]});
    add_random_tiles(ad.ops, ad.config(), 400, uint32_t(7 * B + int(wt)));
    const RunStats st = checked_run(ad, "lut_m2n64", B == 2 ? 15 : 0, 3);
    CHECK(ad.oracle_checked == ad.results);  // int8 activations: every fp16 table is exact
    ops += st.ops, cycles += st.cycles;
  });
  MESSAGE("lut m2n64 fp16 tables: " << ops << " ops, " << cycles << " cycles in lockstep, every op == the exact integer dot product");
}

TEST_CASE("lut rtl M2N2K4 FP16 tables, FP32 accumulator: float16 and int8 activations, every class of psum, flags") {
  const auto acts = activation_sweep();
  uint64_t ops = 0, cycles = 0, flagged = 0;
  std::array<uint64_t, 5> fc{};
  for_each_wbit_mapping([&](int B, LutWeight wt) {
    {
      LutAdapter<Vlut_m2n8> ad(lut_cfg(kNF, B, wt, 1, LutTable::Fp16, LutAccum::Fp32, "float16"));
      add_float_tiles(ad.ops, ad.config(), 1000, uint32_t(31 * B + int(wt)));
      const RunStats st = checked_run(ad, "lut_m2n2_fp32", B == 3 ? 15 : 0, 5);
      ops += st.ops, cycles += st.cycles, flagged += ad.flagged;
      for (size_t f = 0; f < 5; ++f) fc[f] += ad.flag_count[f];
    }
    if (B <= 3) {
      LutAdapter<Vlut_m2n8> ad(lut_cfg(kNF, B, wt, 1, LutTable::Fp16, LutAccum::Fp32));
      add_weight_sweep(ad.ops, ad.config(), {acts[0], acts[4]});
      const RunStats st = checked_run(ad, "lut_m2n2_fp32_int8");
      ops += st.ops, cycles += st.cycles;
    }
  });
  CHECK(fc[0] > 0);  // inexact
  CHECK(fc[4] > 0);  // invalid (inf - inf)
  // Overflow and underflow cannot happen here: every table entry times 2^b is a multiple of 2^-24
  // below 2^20, so |h * acc| < 2^21 is either 0 or >= 2^-25 (never tiny), and next to FLT_MAX it is
  // below half an ulp (2^103).
  CHECK(fc[1] == 0);
  CHECK(fc[2] == 0);
  MESSAGE("lut m2n2 fp32: " << ops << " ops, " << cycles << " cycles in lockstep, " << flagged
                            << " results with flags (inexact " << fc[0] << ", underflow " << fc[1] << ", overflow " << fc[2]
                            << ", invalid " << fc[4] << ")");
}

// Float results by class, counted over an adapter's kept results (codes of the accumulator format).
struct ClassCount {
  uint64_t inf = 0, nan = 0, subnormal = 0, neg_zero = 0, pos_zero = 0, normal = 0;
  void add(const LutConfig& c, const std::array<uint32_t, kMaxMN>& r) {
    const bool h = c.accum == LutAccum::Fp16;
    for (int i = 0; i < c.m * c.n; ++i) {
      const uint32_t x = r[size_t(i)];
      const uint32_t e = h ? (x >> 10) & 31 : (x >> 23) & 255, m = h ? x & 1023 : x & 0x7fffff, top = h ? 31 : 255;
      const bool neg = h ? (x >> 15) & 1 : x >> 31;
      if (e == top) ++(m ? nan : inf);
      else if (e == 0) ++(m ? subnormal : neg ? neg_zero : pos_zero);
      else ++normal;
    }
  }
};

TEST_CASE("lut rtl M2N2K4 int8 tables (per-table 2^e scale), FP32 accumulator: float16 and int8 activations") {
  const auto acts = activation_sweep();
  uint64_t ops = 0, cycles = 0, checked = 0;
  std::array<uint64_t, 5> fc{};
  for_each_wbit_mapping([&](int B, LutWeight wt) {
    {
      LutAdapter<Vlut_m2n8> ad(lut_cfg(kNF, B, wt, 1, LutTable::Int8, LutAccum::Fp32, "float16"));
      add_float_tiles(ad.ops, ad.config(), 1000, uint32_t(53 * B + int(wt)));
      const RunStats st = checked_run(ad, "lut_m2n2_int8_fp32", B == 2 ? 15 : 0, 9);
      ops += st.ops, cycles += st.cycles;
      for (size_t f = 0; f < 5; ++f) fc[f] += ad.flag_count[f];
    }
    if (B <= 2) {  // int8 activations: the tables are exact while max |E| <= 127, and so is the sum
      LutAdapter<Vlut_m2n8> ad(lut_cfg(kNF, B, wt, 1, LutTable::Int8, LutAccum::Fp32));
      add_weight_sweep(ad.ops, ad.config(), acts);
      const RunStats st = checked_run(ad, "lut_m2n2_int8_fp32_int8");
      CHECK(ad.oracle_checked > 0);
      ops += st.ops, cycles += st.cycles, checked += ad.oracle_checked;
    }
  });
  CHECK(fc[0] > 0);
  // An int8 table cannot hold an infinity (a table with a non-finite entry reads NaN), so the
  // accumulator never becomes infinite and inf - inf (invalid) cannot happen.
  CHECK(fc[4] == 0);
  MESSAGE("lut m2n2 int8 tables -> fp32: " << ops << " ops, " << cycles << " cycles in lockstep, " << checked
                                           << " ops also == the exact dot product (inexact " << fc[0] << ")");
}

TEST_CASE("lut rtl M2N2K4 FP16 accumulator (FP16 and int8 tables): overflow to inf, subnormals, NaN, signed zeros, flags") {
  uint64_t ops = 0, cycles = 0;
  std::array<uint64_t, 5> fc{};
  ClassCount cc;
  for (LutTable tb : {LutTable::Fp16, LutTable::Int8}) {
    const std::string tn = lut_table_name(tb);
    CAPTURE(tn);
    for_each_wbit_mapping([&](int B, LutWeight wt) {
      LutAdapter<Vlut_m2n8> ad(lut_cfg(kNF, B, wt, 1, tb, LutAccum::Fp16, "float16"));
      ad.keep_results = true;
      add_float_tiles(ad.ops, ad.config(), tb == LutTable::Fp16 ? 2000 : 1000, uint32_t(71 * B + int(wt) + 7 * int(tb)));
      const RunStats st = checked_run(ad, "lut_m2n2_fp16", B == 3 ? 15 : 0, 11);
      ops += st.ops, cycles += st.cycles;
      for (size_t f = 0; f < 5; ++f) fc[f] += ad.flag_count[f];
      for (const auto& r : ad.kept) cc.add(ad.config(), r);
    });
  }
  CHECK(fc[0] > 0);  // inexact
  CHECK(fc[2] > 0);  // overflow to inf
  CHECK(fc[4] > 0);  // invalid (inf - inf)
  CHECK(cc.inf > 0);
  CHECK(cc.nan > 0);
  CHECK(cc.subnormal > 0);
  CHECK(cc.neg_zero > 0);
  CHECK(cc.pos_zero > 0);
  MESSAGE("lut m2n2 fp16 accumulator: " << ops << " ops, " << cycles << " cycles in lockstep; flags: inexact " << fc[0]
                                        << ", underflow " << fc[1] << ", overflow " << fc[2] << ", invalid " << fc[4]
                                        << "; unit results: " << cc.normal << " normal, " << cc.subnormal << " subnormal, "
                                        << cc.pos_zero << " +0, " << cc.neg_zero << " -0, " << cc.inf << " inf, " << cc.nan
                                        << " NaN");
}

TEST_CASE("lut rtl M2N2K4 FP16 accumulator: hand-worked corners (odd W4: overflow, subnormals, signed zeros, NaN, inf - inf)") {
  // Odd W4: w = 2q - 15; only a[m][0] is non-zero, so every table entry is a0 and plane b adds
  // +-a0 * 2^b (bit b of q) to the accumulator, rounded to float16 after every plane.
  // Weight columns q = 15, 0, 8, 7, 1, 2, 3, 4 (w = 15, -15, 1, -1, -13, -11, -9, -7), two per op.
  LutAdapter<Vlut_m2n8> ad(lut_cfg(kNF, 4, LutWeight::Odd, 1, LutTable::Fp16, LutAccum::Fp16, "float16"));
  ad.keep_results = true;
  const uint64_t q[8] = {15, 0, 8, 7, 1, 2, 3, 4};
  // Op 0: row 0 a0 = 8192 (0x7000): planes +-8192, 16384, 32768, 65536; row 1 a0 = 2^-24 (0x0001).
  // Op 1: row 0 all zeros (the sign of zero follows the planes: -0 only when every plane adds -0);
  // row 1 a NaN activation. Op 2: op 0's activations with a psum ([m][column]).
  const std::vector<uint64_t> act[3] = {{0x7000, 0, 0, 0, 0x0001, 0, 0, 0},
                                        {0, 0, 0, 0, 0x7e00, 0x3c00, 0, 0},
                                        {0x7000, 0, 0, 0, 0x0001, 0, 0, 0}};
  const uint64_t psum2[16] = {0xfc00, 0xfc00, 0x8000, 0x7000, 0x7bff, 0x7e00, 0x0000, 0xf000,
                              0x8001, 0x000f, 0x03ff, 0x8000, 0x0000, 0x0000, 0x0000, 0x0000};
  for (int o = 0; o < 3; ++o)
    for (int p = 0; p < 4; ++p) {
      std::vector<uint64_t> w(size_t(4 * kNF), 0), ps;
      for (int n = 0; n < kNF; ++n)
        w[size_t(n)] = q[2 * p + n], w[size_t(kNF + n)] = 5, w[size_t(2 * kNF + n)] = 10, w[size_t(3 * kNF + n)] = 3;
      if (o == 2)
        for (int m = 0; m < 2; ++m)
          for (int n = 0; n < kNF; ++n) ps.push_back(psum2[m * 8 + 2 * p + n]);
      ad.ops.push_back(make_float_op(ad.config(), act[o], w, ps));
    }
  const RunStats st = checked_run(ad, "lut_m2n2_fp16_corners");
  REQUIRE(ad.kept.size() == 12);
  // [m][column]. Op 0, row 0: 15 * 8192 = 122880 and -13 / -11 / -9 * 8192 overflow (+-inf); the
  // last plane of w = +-1 brings +-57344 back to +-8192 exactly; -7 * 8192 = -57344 (0xFB00).
  // Row 1: w * 2^-24, subnormals, exact.
  const uint32_t want[3][16] = {
      {0x7c00, 0xfc00, 0x7000, 0xf000, 0xfc00, 0xfc00, 0xfc00, 0xfb00,
       0x000f, 0x800f, 0x0001, 0x8001, 0x800d, 0x800b, 0x8009, 0x8007},
      // Op 1: row 0 +0 except q = 0 (every plane negative): -0; row 1 the default NaN.
      {0x0000, 0x8000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
       0x7e00, 0x7e00, 0x7e00, 0x7e00, 0x7e00, 0x7e00, 0x7e00, 0x7e00},
      // Op 2: +inf + -inf = NaN (invalid); -inf + -inf; 8192 + -0; -8192 + 8192 = +0; -inf + 65504;
      // -inf + NaN; -inf + +0; -57344 + -8192 = -65536 overflows; row 1: 15 - 1 = 14, -15 + 15 = +0,
      // 1 + 1023 = 1024 (the smallest normal, 0x0400), -1 + -0, then w * 2^-24 + 0.
      {0x7e00, 0xfc00, 0x7000, 0x0000, 0xfc00, 0x7e00, 0xfc00, 0xfc00,
       0x000e, 0x0000, 0x0400, 0x8001, 0x800d, 0x800b, 0x8009, 0x8007}};
  const uint8_t want_flags[3] = {5, 0, 21};  // overflow + inexact; a quiet NaN raises nothing; + invalid
  for (int o = 0; o < 3; ++o) {
    CAPTURE(o);
    uint8_t flags = 0;
    for (int p = 0; p < 4; ++p) {
      flags |= ad.kept_flags[size_t(4 * o + p)];
      for (int m = 0; m < 2; ++m)
        for (int n = 0; n < kNF; ++n) {
          CAPTURE(m);
          CAPTURE(p);
          CHECK(ad.kept[size_t(4 * o + p)][size_t(m * kNF + n)] == want[o][m * 8 + 2 * p + n]);
        }
    }
    CHECK(flags == want_flags[o]);
  }
}

// Other table sizes (lut_tile_faults' NF = 2-column tiles of another K): K = 2 (2 entries per
// table) and K = 8 (128 entries, a 128:1 mux per unit).
TEST_CASE("lut rtl M2N2 K=2 and K=8, int8 tables into INT32: weight columns x the activation sweep, random tiles, W_BIT 1..4") {
  uint64_t ops = 0, cycles = 0, checked = 0;
  for (int K : {2, 8}) {
    CAPTURE(K);
    for_each_wbit_mapping([&](int B, LutWeight wt) {
      LutAdapter<Vlut_m2n2x> ad(lut_cfg(kNF, B, wt, 1, LutTable::Int8, LutAccum::Int32, "int8", K));
      // Every weight column where there are few enough (2^(K*B): K = 2 all, K = 8 W_BIT 1).
      if (K * B <= 8) add_weight_sweep(ad.ops, ad.config(), activation_sweep(K));
      add_random_tiles(ad.ops, ad.config(), 300, uint64_t(1000 * K + 10 * B + int(wt)));
      const RunStats st = checked_run(ad, "lut_k" + std::to_string(K), B == 3 ? 15 : 0, uint32_t(K + B));
      CHECK(ad.oracle_checked > 0);
      ops += st.ops, cycles += st.cycles, checked += ad.oracle_checked;
    });
  }
  MESSAGE("lut m2n2 K=2, K=8 int8 tables -> int32: " << ops << " ops, " << cycles << " cycles in lockstep, " << checked
                                                     << " ops also == the exact integer dot product");
}

TEST_CASE("lut rtl M2N2 K=2 FP16 tables into FP32, K=8 FP16 tables into FP16: float16 activations, every class of psum") {
  uint64_t ops = 0, cycles = 0;
  std::array<uint64_t, 5> fc{};
  for (int K : {2, 8}) {
    CAPTURE(K);
    for_each_wbit_mapping([&](int B, LutWeight wt) {
      LutAdapter<Vlut_m2n2x> ad(lut_cfg(kNF, B, wt, 1, LutTable::Fp16, K == 2 ? LutAccum::Fp32 : LutAccum::Fp16,
                                       "float16", K));
      add_float_tiles(ad.ops, ad.config(), 400, uint64_t(77 * K + 5 * B + int(wt)));
      const RunStats st = checked_run(ad, "lut_k" + std::to_string(K) + "_fp", B == 2 ? 15 : 0, uint32_t(K * B));
      ops += st.ops, cycles += st.cycles;
      for (size_t f = 0; f < 5; ++f) fc[f] += ad.flag_count[f];
    });
  }
  CHECK(fc[0] > 0);  // inexact
  CHECK(fc[4] > 0);  // invalid
  MESSAGE("lut m2n2 K=2 fp16 -> fp32, K=8 fp16 -> fp16: " << ops << " ops, " << cycles << " cycles in lockstep (inexact "
                                                           << fc[0] << ", overflow " << fc[2] << ", invalid " << fc[4] << ")");
}

// The in-tile precompute (rtl/units/lut/lut_tile_pre.sv against LutTile fed LutTileInputs::act):
// the M2N2K4 tile forms its tables from the int8 activations in the first plane's cycle.
TEST_CASE("lut rtl M2N2K4 in-tile precompute from int8 activations: int8 and FP16 tables into INT32, W_BIT 1..4") {
  const auto acts = activation_sweep();
  uint64_t ops = 0, cycles = 0, checked = 0, inexact = 0;
  for (LutTable tb : {LutTable::Int8, LutTable::Fp16}) {
    const std::string tn = lut_table_name(tb);
    CAPTURE(tn);
    for_each_wbit_mapping([&](int B, LutWeight wt) {
      LutAdapter<Vlut_m2n2x> ad(lut_cfg(kNF, B, wt, 1, tb, LutAccum::Int32), 0, true);
      if (B <= 2) add_weight_sweep(ad.ops, ad.config(), acts);
      add_random_tiles(ad.ops, ad.config(), 300, uint64_t(31 * B + int(wt) + 9 * int(tb)));
      const RunStats st = checked_run(ad, "lut_pre", B == 3 ? 15 : 0, uint32_t(B));
      CHECK(ad.oracle_checked > 0);
      if (tb == LutTable::Fp16) CHECK(ad.oracle_checked == ad.results);  // exact fp16 tables
      ops += st.ops, cycles += st.cycles, checked += ad.oracle_checked, inexact += ad.flag_count[0];
    });
  }
  CHECK(inexact > 0);  // int8 tables of full-range activations round (the inexact flag joins the result)
  MESSAGE("lut m2n2 precompute: " << ops << " ops, " << cycles << " cycles in lockstep, " << checked
                                  << " ops also == the exact integer dot product, " << inexact << " inexact (int8 tables rounded)");
}

TEST_CASE("lut rtl: the injected faults are caught, with cycle, inputs, both outputs and an FST trace") {
  const auto acts = activation_sweep();
  SUBCASE("FAULT=1 (negation as ones' complement) is caught in the first negated plane") {
    LutAdapter<Vlut_m2n8> ad(lut_cfg(8, 2, LutWeight::Unsigned, 1), 1);
    add_weight_sweep(ad.ops, ad.config(), acts);
    const RunStats st = run(ad, "lut_m2n8_fault1");
    REQUIRE(st.mismatch);
    MESSAGE(st.mismatch->report);
    CHECK(st.mismatch->cycle < 8);
    CHECK(st.mismatch->report.find("rtl   : valid=1") != std::string::npos);
    CHECK(st.mismatch->report.find("model : valid=1") != std::string::npos);
    REQUIRE(!st.mismatch->trace_path.empty());
    CHECK(std::filesystem::file_size(st.mismatch->trace_path) > 0);
  }
  SUBCASE("FAULT=4 (the float adders drop the alignment's sticky bit) is caught in FP16 accumulation") {
    LutAdapter<Vlut_m2n8> ad(lut_cfg(kNF, 2, LutWeight::Unsigned, 1, LutTable::Fp16, LutAccum::Fp16, "float16"), 4);
    add_float_tiles(ad.ops, ad.config(), 2000, 17);
    const RunStats st = run(ad, "lut_m2n2_fault4");
    REQUIRE(st.mismatch);
    MESSAGE(st.mismatch->report);
  }
  SUBCASE("FAULT=1 in a K=8 tile (128-entry tables) is caught") {
    LutAdapter<Vlut_m2n2x> ad(lut_cfg(kNF, 2, LutWeight::Unsigned, 1, LutTable::Int8, LutAccum::Int32, "int8", 8), 1);
    add_random_tiles(ad.ops, ad.config(), 200, 5);
    const RunStats st = run(ad, "lut_k8_fault1");
    REQUIRE(st.mismatch);
    CHECK(st.mismatch->report.find("rtl   : valid=1") != std::string::npos);
  }
  SUBCASE("PRE_FAULT=1 (the in-tile precompute truncates int8 entries) is caught") {
    LutAdapter<Vlut_m2n2x> ad(lut_cfg(kNF, 2, LutWeight::Unsigned, 1), 5, true);
    add_random_tiles(ad.ops, ad.config(), 200, 6);
    const RunStats st = run(ad, "lut_pre_fault1");
    REQUIRE(st.mismatch);
    MESSAGE(st.mismatch->report);
  }
  SUBCASE("FAULT=2 (plane 3 weighs 4): invisible at W_BIT <= 3, caught at W_BIT = 4") {
    for (int B = 1; B <= 4; ++B) {
      CAPTURE(B);
      LutAdapter<Vlut_m2n8> ad(lut_cfg(8, B, LutWeight::Signed, 1), 2);
      add_weight_sweep(ad.ops, ad.config(), {acts[2]});
      const RunStats st = run(ad, "lut_m2n8_fault2");
      CHECK(bool(st.mismatch) == (B == 4));
    }
  }
  SUBCASE("FAULT=3 (no reinterpretation offset, as the published RTL): caught for unsigned and signed, not odd") {
    for (LutWeight wt : kWeights) {
      const std::string wn = wname(wt);
      CAPTURE(wn);
      LutAdapter<Vlut_m2n8> ad(lut_cfg(8, 3, wt, 1), 3);
      add_weight_sweep(ad.ops, ad.config(), {acts[3]});
      const RunStats st = run(ad, "lut_m2n8_fault3");
      CHECK(bool(st.mismatch) == (wt != LutWeight::Odd));
    }
  }
}

TEST_CASE("lut rtl: simulation throughput (M2N64K4 W2: lockstep, the RTL alone, the C++ model alone)") {
  LutAdapter<Vlut_m2n64> ad(lut_cfg(64, 2, LutWeight::Unsigned, 2, LutTable::Fp16));
  add_random_tiles(ad.ops, ad.config(), 20000, 42);
  const uint64_t cycles = 2 * ad.ops.size();
  auto t0 = std::chrono::steady_clock::now();
  const RunStats st = run(ad, "lut_m2n64_speed");
  const double t_ls = seconds_since(t0);
  REQUIRE(!st.mismatch);
  {  // the RTL alone: the same port driving, no model, no compare
    VerilatedContext ctx;
    Vlut_m2n64 top(&ctx);
    top.rst_n = 0, top.clk = 0, top.eval(), top.clk = 1, top.eval(), top.rst_n = 1;
    uint64_t valid = 0;
    t0 = std::chrono::steady_clock::now();
    for (uint32_t i = 0; i < ad.ops.size(); ++i)
      for (uint8_t b = 0; b < 2; ++b) {
        ad.drive(top, LutIn{true, i, b});
        top.clk = 0, top.eval();
        valid += top.out_valid;
        top.clk = 1, top.eval();
      }
    const double t_rtl = seconds_since(t0);
    CHECK(valid == ad.ops.size() - 1);
    MESSAGE("lut m2n64 W2 RTL alone: " << double(cycles) / t_rtl << " cycles/s");
  }
  LutTile tile(ad.config(), Env{});
  t0 = std::chrono::steady_clock::now();
  uint64_t valid = 0;
  for (const LutOp& op : ad.ops)
    for (int b = 0; b < 2; ++b) {
      LutTileInputs li;
      li.valid = true, li.tables = &op.tables, li.plane = &op.planes[size_t(b) * 64];
      li.psum = op.psum.empty() ? nullptr : op.psum.data(), li.chain = op.chain;
      valid += tile.step(li).valid;
    }
  const double t_model = seconds_since(t0);
  CHECK(valid == ad.ops.size() - 1);  // the last result is still in the pipeline
  MESSAGE("lut m2n64 W2: " << st.cycles << " cycles; lockstep " << double(st.cycles) / t_ls
                           << " cycles/s, C++ model alone " << double(cycles) / t_model << " cycles/s");
}
