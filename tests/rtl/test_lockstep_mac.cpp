// The DPn RTL (rtl/units/mac) in lockstep with hw::Dpn (hwmodel/mac): every cycle's outputs and
// valid timing compared by the harness (rtl/sim/lockstep.hpp). INT8 x INT8 DP4 into an exact
// register, INT32 out (accum=exact<out=int32>, pipeline 2): directed corners, every operand pair on
// every lane's multiplier, seeded-random dot products; a FAULT variant must be caught.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "Vmac_int8_dp4.h"
#include "Vmac_int8_dp4_fault.h"
#include "hwmodel/mac/config.hpp"
#include "tests/rtl/mac_adapter.hpp"

using namespace bitexact;
using namespace bitexact::rtl;
using namespace bitexact::rtl::test;

namespace {

const char* kInt8Spec = "lanes=4,act=int8,weight=int8,accum=exact<out=int32>,pipeline=2";

template <class Top>
struct IntRig {
  MacAdapter<Top> ad{hw::parse_mac_config(kInt8Spec), 8, 8};
  Lockstep<MacAdapter<Top>> ls;
  explicit IntRig(const std::string& name) : ls(ad, options(name)) {}
  static LockstepOptions options(const std::string& name) {
    LockstepOptions o;
    o.name = name;
    return o;
  }
};

MacIn chunk(bool first, bool last, std::initializer_list<int> a, std::initializer_list<int> b, int count = -1) {
  MacIn in;
  in.valid = true;
  in.first = first;
  in.last = last;
  in.count = count;
  size_t l = 0;
  for (int x : a) in.a[l++] = uint64_t(x) & 0xFF;
  l = 0;
  for (int x : b) in.b[l++] = uint64_t(x) & 0xFF;
  return in;
}

// Every (a, b) code pair on every lane's multiplier, the other lanes 0 x 0, one single-chunk dot
// product per cycle, back to back. Returns the cycles run (stops at a mismatch).
template <class LS>
uint64_t exhaustive_pairs(LS& ls) {
  for (int lane = 0; lane < 4; ++lane)
    for (uint32_t p = 0; p < 65536; ++p) {
      MacIn in;
      in.valid = in.first = in.last = true;
      in.a[size_t(lane)] = p >> 8;
      in.b[size_t(lane)] = p & 0xFF;
      if (!ls.step(in)) return ls.cycle();
    }
  ls.idle(4);
  return ls.cycle();
}

// Seeded-random dot products: K in 1..64 (a partial last chunk), random idle cycles between
// chunks, an addend c half of the time (random, or near the INT32 limits to saturate).
template <class LS>
uint64_t random_dots(LS& ls, uint64_t seed, int dots, uint64_t* results = nullptr) {
  std::mt19937_64 rng(seed);
  for (int d = 0; d < dots; ++d) {
    const int K = 1 + int(rng() % 64);
    const int chunks = (K + 3) / 4;
    const bool wide = rng() % 8 == 0;  // codes near the INT8 limits
    for (int s = 0; s < chunks; ++s) {
      MacIn in;
      in.valid = true;
      in.first = s == 0;
      in.last = s + 1 == chunks;
      in.count = in.last ? K - 4 * s : -1;
      for (int l = 0; l < 4; ++l) {
        in.a[size_t(l)] = wide ? (0x7E + rng() % 4) & 0xFF : rng() & 0xFF;
        in.b[size_t(l)] = wide ? (0x7E + rng() % 4) & 0xFF : rng() & 0xFF;
      }
      if (in.first && rng() % 2) {
        in.has_c = true;
        const uint64_t r = rng();
        in.c = r % 4 == 0 ? uint32_t(0x7FFFFFFF - (r >> 40) % 300000) : r % 4 == 1 ? uint32_t(0x80000000 + (r >> 40) % 300000) : uint32_t(r >> 16);
      }
      if (!ls.step(in)) return ls.cycle();
      while (rng() % 4 == 0)
        if (!ls.idle(1)) return ls.cycle();
    }
    if (results) ++*results;
  }
  ls.idle(4);
  return ls.cycle();
}

}  // namespace

TEST_CASE("lockstep mac int8 dp4: directed corners (limits, gated lanes, addends, saturation, back to back)") {
  IntRig<Vmac_int8_dp4> rig("mac_int8_dp4");
  auto& ls = rig.ls;
  const std::vector<MacIn> seq = {
      chunk(true, true, {0, 0, 0, 0}, {0, 0, 0, 0}),
      chunk(true, true, {-128, -128, 127, -128}, {-128, 127, 127, -128}),  // 16384 - 16256 + 16129 + 16384
      chunk(true, false, {-128, -128, -128, -128}, {-128, -128, -128, -128}),
      chunk(false, true, {127, 127, 127, 127}, {-128, -128, -128, -128}, 2),  // lanes 2, 3 gated
      chunk(true, true, {5, 6, 7, 8}, {1, 1, 1, 1}, 0),                          // every lane gated: 0
  };
  for (const MacIn& in : seq) REQUIRE(ls.step(in));
  // Addends at the INT32 limits: exact, then saturated with invalid (the core's IEEE overflow policy).
  for (uint32_t c : {0x7FFFFFFFu, 0x80000000u, 0x7FFFC000u, 0x80004000u}) {
    MacIn in = chunk(true, true, {127, -128, 0, 0}, {127, -128, 0, 0});
    in.has_c = true;
    in.c = c;
    REQUIRE(ls.step(in));
    in.a = {};
    in.b = {};
    REQUIRE(ls.step(in));
    REQUIRE(ls.step(MacIn{}));
  }
  REQUIRE(ls.idle(4));
  CHECK(!ls.mismatch());
  // Hand-worked: the second dot product (cycle 1) leaves at cycle 3 with 32641.
  IntRig<Vmac_int8_dp4> r2("mac_int8_dp4");
  std::vector<std::pair<uint64_t, uint64_t>> got;
  for (uint64_t t = 0; t < 8; ++t) {
    const MacIn in = t < seq.size() ? seq[t] : MacIn{};
    const MacOut m = r2.ad.model(in);  // the model alone: the harness compares the RTL to it above
    if (m.valid) got.emplace_back(t, m.code);
  }
  REQUIRE(got.size() == 4);
  CHECK(got[0] == std::pair<uint64_t, uint64_t>{2, 0});
  CHECK(got[1] == std::pair<uint64_t, uint64_t>{3, 32641});
  CHECK(got[2] == std::pair<uint64_t, uint64_t>{5, uint64_t(4 * 16384 + 2 * -16256) & 0xFFFFFFFF});
  CHECK(got[3] == std::pair<uint64_t, uint64_t>{6, 0});
}

TEST_CASE("lockstep mac int8 dp4: every int8 x int8 pair on every lane (262144 dot products)") {
  IntRig<Vmac_int8_dp4> rig("mac_int8_dp4");
  const uint64_t cycles = exhaustive_pairs(rig.ls);
  if (rig.ls.mismatch()) FAIL(rig.ls.mismatch()->report);
  CHECK(cycles == 4 * 65536 + 4);
}

TEST_CASE("lockstep mac int8 dp4: seeded-random dot products (K 1..64, gaps, addends, saturation)") {
  IntRig<Vmac_int8_dp4> rig("mac_int8_dp4");
  uint64_t done = 0;
  for (uint64_t seed : {1, 2, 3}) {
    random_dots(rig.ls, seed, 20000, &done);
    if (rig.ls.mismatch()) FAIL(rig.ls.mismatch()->report);
  }
  CHECK(done == 60000);
}

TEST_CASE("lockstep mac int8 dp4: the harness catches an injected fault (FAULT=1) and reports it") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "bitexact_lockstep_mac";
  fs::remove_all(dir);
  MacAdapter<Vmac_int8_dp4_fault> ad(hw::parse_mac_config(kInt8Spec), 8, 8);
  LockstepOptions opt;
  opt.name = "mac_int8_dp4_fault";
  opt.trace_dir = dir.string();
  Lockstep<MacAdapter<Vmac_int8_dp4_fault>> ls(ad, opt);
  // Random dot products rarely multiply -128 by -128 on lane 3: the exhaustive sweep does.
  exhaustive_pairs(ls);
  REQUIRE(ls.mismatch());
  const Mismatch& m = *ls.mismatch();
  MESSAGE(m.report);
  // Lane 3's pair (0x80, 0x80) enters at cycle 3 * 65536 + 0x8080; its result leaves 2 cycles later.
  CHECK(m.cycle == 3 * 65536 + 0x8080 + 2);
  CHECK(m.report.find("rtl   : valid=1 code=0xffffc000 (-16384)") != std::string::npos);
  CHECK(m.report.find("model : valid=1 code=0x00004000 (16384)") != std::string::npos);
  REQUIRE(!m.trace_path.empty());
  CHECK(fs::file_size(m.trace_path) > 0);
  // The harness stops: later steps do not simulate.
  const uint64_t c = ls.cycle();
  CHECK(!ls.step(MacIn{}));
  CHECK(ls.cycle() == c);
}

TEST_CASE("lockstep mac int8 dp4: throughput (cycles/s with checking, beside the C++ model alone)") {
  IntRig<Vmac_int8_dp4> rig("mac_int8_dp4");
  auto t0 = std::chrono::steady_clock::now();
  const uint64_t cyc = random_dots(rig.ls, 7, 20000);
  const double t_ls = seconds_since(t0);
  REQUIRE(!rig.ls.mismatch());
  // The same stimulus through the model alone (a Lockstep-free replay of the same generator).
  struct ModelOnly {
    MacAdapter<Vmac_int8_dp4>* ad;
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
  MacAdapter<Vmac_int8_dp4> ad(hw::parse_mac_config(kInt8Spec), 8, 8);
  ModelOnly mo{&ad};
  t0 = std::chrono::steady_clock::now();
  const uint64_t cyc2 = random_dots(mo, 7, 20000);
  const double t_m = seconds_since(t0);
  CHECK(cyc2 == cyc);
  char line[200];
  std::snprintf(line, sizeof line, "mac int8 dp4: %llu cycles, lockstep %.3g cycles/s (%.3f s), model alone %.3g cycles/s (%.3f s)",
                (unsigned long long)cyc, double(cyc) / t_ls, t_ls, double(cyc2) / t_m, t_m);
  MESSAGE(line);
}
