// The DPn RTL (rtl/units/mac) in lockstep with hw::Dpn (hwmodel/mac): every cycle's outputs and
// valid timing compared by the harness (rtl/sim/lockstep.hpp). INT8 x INT8 DP4 into an exact
// register, INT32 out (accum=exact<out=int32>, pipeline 2); floating-point DP4s with a fused
// register (E4M3, E5M2, FP16, FP6 E2M3 / E3M2, FP4 E2M1, E4M3 x E2M1, BF16); the 2 x 2 array.
// Directed corners, every operand pair on every lane's multiplier (<= 8-bit codes), seeded-random
// dot products (rtl/sim/mac_stimulus.hpp), GEMM tiles against the core; FAULT variants must be caught.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <deque>
#include <map>
#include <random>

#include "Vmac_int8_dp4.h"
#include "Vmac_array_2x2.h"
#include "Vmac_fp8_e4m3_dp4.h"
#include "Vmac_mx_dp4.h"
#if BITEXACT_NETLIST_SIM
#include "Vnet_mac_int8_dp4.h"
#endif
#include "emu/accum/dot.hpp"
#include "hwmodel/mac/config.hpp"
#include "rtl/sim/mac_adapter.hpp"
#include "rtl/sim/mac_array_adapter.hpp"
#include "rtl/sim/mac_stimulus.hpp"

using namespace bitexact;
using namespace bitexact::rtl;

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

// Seeded-random dot products through the harness, then the same stimulus through a second adapter's
// model alone: cycles per second of both (the MESSAGE the README quotes).
template <class Adapter, class Gen>
void throughput(const char* what, Lockstep<Adapter>& ls, Adapter& alone, const Gen& gen, uint64_t seed, int dots) {
  auto t0 = std::chrono::steady_clock::now();
  const uint64_t cyc = mac::random_dots(ls, gen, seed, dots);
  const double t_ls = seconds_since(t0);
  REQUIRE(!ls.mismatch());
  mac::ModelOnly<Adapter> mo{&alone};
  t0 = std::chrono::steady_clock::now();
  const uint64_t cyc2 = mac::random_dots(mo, gen, seed, dots);
  const double t_m = seconds_since(t0);
  CHECK(cyc2 == cyc);
  char line[200];
  std::snprintf(line, sizeof line, "%s: %llu cycles, lockstep %.3g cycles/s (%.3f s), model alone %.3g cycles/s (%.3f s)",
                what, (unsigned long long)cyc, double(cyc) / t_ls, t_ls, double(cyc2) / t_m, t_m);
  MESSAGE(line);
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
  const uint64_t cycles = mac::exhaustive_pairs(rig.ls, {0, 1, 2, 3});
  if (rig.ls.mismatch()) FAIL(rig.ls.mismatch()->report);
  CHECK(cycles == 4 * 65536 + 4);
}

TEST_CASE("lockstep mac int8 dp4: seeded-random dot products (K 1..64, gaps, addends, saturation)") {
  IntRig<Vmac_int8_dp4> rig("mac_int8_dp4");
  uint64_t done = 0;
  for (uint64_t seed : {1, 2, 3}) {
    mac::random_dots(rig.ls, mac::Int8Codes{}, seed, 20000, &done);
    if (rig.ls.mismatch()) FAIL(rig.ls.mismatch()->report);
  }
  CHECK(done == 60000);
}

TEST_CASE("lockstep mac int8 dp4: the harness catches an injected fault (FAULT=1) and reports it") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "bitexact_lockstep_mac";
  fs::remove_all(dir);
  MacAdapter<Vmac_int8_dp4> ad(hw::parse_mac_config(kInt8Spec), 8, 8);
  ad.fault = 1;  // lane 3's multiplier drops the product's top bit
  LockstepOptions opt;
  opt.name = "mac_int8_dp4_fault1";
  opt.trace_dir = dir.string();
  Lockstep<MacAdapter<Vmac_int8_dp4>> ls(ad, opt);
  // Random dot products rarely multiply -128 by -128 on lane 3: the exhaustive sweep does.
  mac::exhaustive_pairs(ls, {0, 1, 2, 3});
  REQUIRE(ls.mismatch());
  const Mismatch& m = *ls.mismatch();
  MESSAGE(m.report);
  // Lane 3's pair (0x80, 0x80) enters at cycle 3 * 65536 + 0x8080; its result leaves 2 cycles later.
  CHECK(m.cycle == 3 * 65536 + 0x8080 + 2);
  CHECK(m.report.find("<- the result's input") != std::string::npos);
  CHECK(m.report.find("rtl   : valid=1 code=0xffffc000 (-16384)") != std::string::npos);
  CHECK(m.report.find("model : valid=1 code=0x00004000 (16384)") != std::string::npos);
  REQUIRE(!m.trace_path.empty());
  CHECK(fs::file_size(m.trace_path) > 0);
  // The harness stops: later steps do not simulate.
  const uint64_t c = ls.cycle();
  CHECK(!ls.step(MacIn{}));
  CHECK(ls.cycle() == c);
}

TEST_CASE("lockstep mac int8 dp4: FAULT=2 (saturation bound off by one) is caught at the INT32_MAX addend") {
  IntRig<Vmac_int8_dp4> rig("mac_int8_dp4_fault2");
  rig.ad.fault = 2;
  MacIn in = chunk(true, true, {0, 0, 0, 0}, {0, 0, 0, 0});
  in.has_c = true;
  in.c = 0x7FFFFFFF;
  rig.ls.step(in);
  rig.ls.idle(3);
  REQUIRE(rig.ls.mismatch());
  CHECK(rig.ls.mismatch()->report.find("rtl   : valid=1 code=0x7ffffffe (2147483646) flags=0x10") != std::string::npos);
}

TEST_CASE("lockstep mac int8 dp4: throughput (cycles/s with checking, beside the C++ model alone)") {
  IntRig<Vmac_int8_dp4> rig("mac_int8_dp4");
  MacAdapter<Vmac_int8_dp4> alone(hw::parse_mac_config(kInt8Spec), 8, 8);
  throughput("mac int8 dp4", rig.ls, alone, mac::Int8Codes{}, 7, 20000);
}

// ---- the gate-level netlist: the NAND/NOR/NOT + DFF netlist yosys 0.23 makes of the same unit
// (rtl/synth/synth.py --netlist mac_int8_dp4, the one whose area hwmodel/tech/yosys_area.toml holds),
// verilated and run in lockstep against the same C++ model: synthesis kept the function.
#if BITEXACT_NETLIST_SIM
TEST_CASE("lockstep mac int8 dp4 gate netlist (yosys): every pair on every lane, limits, random dot products") {
  IntRig<Vnet_mac_int8_dp4> rig("mac_int8_dp4_netlist");
  auto& ls = rig.ls;
  const auto t0 = std::chrono::steady_clock::now();
  const uint64_t pairs = mac::exhaustive_pairs(ls, {0, 1, 2, 3});
  if (ls.mismatch()) FAIL(ls.mismatch()->report);
  CHECK(pairs == 4 * 65536 + 4);
  // Addends at and beyond the INT32 limits (saturation and invalid), multi-chunk dot products.
  for (uint32_t c : {0x7FFFFFFFu, 0x80000000u, 0x7FFFC000u, 0x80004000u}) {
    MacIn in = chunk(true, false, {127, -128, -128, -128}, {127, -128, -128, -128});
    in.has_c = true;
    in.c = c;
    for (const MacIn& x : {in, chunk(false, true, {-128, -128, 127, 127}, {-128, -128, -128, -128}, 3)})
      if (!ls.step(x)) FAIL(ls.mismatch()->report);
  }
  uint64_t done = 0;
  mac::random_dots(ls, mac::Int8Codes{}, 4, 4000, &done);
  if (ls.mismatch()) FAIL(ls.mismatch()->report);
  CHECK(done == 4000);
  MESSAGE("mac int8 dp4 netlist: " << ls.cycle() << " cycles in lockstep, " << double(ls.cycle()) / seconds_since(t0)
                                   << " cycles/s");
}
#endif

// ---- FP8 E4M3 x E4M3 DP4, fused 24-bit register (v100-fp16: align to the largest exponent,
// truncation, renormalised and truncated every step), float32 out --------------------------------

namespace {

const char* kFp8Spec = "lanes=4,act=float8_e4m3fn,weight=float8_e4m3fn,accum=v100-fp16,pipeline=2";

// The h100-fp8 register width (13 bits, truncation) with one fused step per chunk (k = 4): the
// fp top's third unit (fault select 2).
const char* kFp8Acc13Spec = "lanes=4,act=float8_e4m3fn,weight=float8_e4m3fn,accum=h100-fp8<k=4>,pipeline=2";
// E5M2 x E5M2 (IEEE infinities, quiet and signalling NaNs) under v100-fp16: fault select 3.
const char* kE5m2Spec = "lanes=4,act=float8_e5m2,weight=float8_e5m2,accum=v100-fp16,pipeline=2";
// FP16 x FP16 under v100-fp16 (Volta's configuration): fault select 4.
const char* kFp16Spec = "lanes=4,act=float16,weight=float16,accum=v100-fp16,pipeline=2";
// The fp top's lane fields are 16 bits wide (the FP16 unit's); the 8-bit units read the low byte.
constexpr int kFpLane = 16;

template <class Top = Vmac_fp8_e4m3_dp4>
struct FpRig {
  MacAdapter<Top> ad;
  Lockstep<MacAdapter<Top>> ls;
  explicit FpRig(const char* spec = kFp8Spec, int select = 0, const char* name = "mac_fp8_e4m3_dp4")
      : ad(hw::parse_mac_config(spec), kFpLane, kFpLane), ls((ad.fault = select, ad), IntRig<Vmac_int8_dp4>::options(name)) {}
};
using Fp8Rig = FpRig<>;

MacIn fp_chunk(bool first, bool last, std::initializer_list<uint64_t> a, std::initializer_list<uint64_t> b,
               int count = -1) {
  MacIn in;
  in.valid = true;
  in.first = first;
  in.last = last;
  in.count = count;
  std::copy(a.begin(), a.end(), in.a.begin());
  std::copy(b.begin(), b.end(), in.b.begin());
  return in;
}

std::vector<MacIn> fp8_directed() {
  std::vector<MacIn> seq = {
      fp_chunk(true, true, {0x7E, 0x7E, 0x7E, 0x7E}, {0x7E, 0x7E, 0x7E, 0x7E}),  // 4 * 448^2
      fp_chunk(true, true, {0x80, 0x80, 0x00, 0x80}, {0x38, 0x38, 0xB8, 0x38}),  // all -0: -0
      fp_chunk(true, true, {0x80, 0x00, 0x80, 0x80}, {0x38, 0x38, 0x38, 0x38}),  // one +0: +0
      fp_chunk(true, true, {0x38, 0xB8, 0x01, 0x81}, {0x38, 0x38, 0x01, 0x01}),  // cancels to +0
      fp_chunk(true, true, {0x7E, 0x01, 0x00, 0x00}, {0x7E, 0x01, 0x00, 0x00}),  // 2^-18 under 448^2: dropped
      fp_chunk(true, true, {0x7F, 0x38, 0x38, 0x38}, {0x38, 0x38, 0x38, 0x38}),  // NaN
      fp_chunk(true, false, {0x38, 0x38, 0x38, 0x38}, {0x38, 0x38, 0x38, 0x38}),
      fp_chunk(false, true, {0x7E, 0x01, 0x01, 0x01}, {0x7E, 0x01, 0x01, 0x01}, 3),  // truncated below 2^-6
      fp_chunk(true, true, {0x38, 0x38, 0x38, 0x38}, {0x38, 0x38, 0x38, 0x38}, 0),   // no lane: +0
  };
  for (uint32_t c : {0x3F800001u, 0x4B800001u, 0xCB800000u, 0x7F800001u, 0x7FC00000u, 0xFF800000u,
                     0x80000000u, 0x00000001u, 0x807FFFFFu, 0x4F000000u}) {
    MacIn in = fp_chunk(true, true, {0x38, 0xB8, 0x7E, 0x01}, {0x38, 0x38, 0xFE, 0x01});
    in.has_c = true;
    in.c = c;
    seq.push_back(in);
    in.count = 0;  // the addend alone
    seq.push_back(in);
  }
  return seq;
}

}  // namespace

TEST_CASE("lockstep mac fp8 e4m3 dp4: every e4m3 x e4m3 pair on every lane (262144 dot products)") {
  Fp8Rig rig;
  mac::exhaustive_pairs(rig.ls, {0, 1, 2, 3});
  if (rig.ls.mismatch()) FAIL(rig.ls.mismatch()->report);
  CHECK(rig.ls.cycle() == 4 * 65536 + 4);
}

TEST_CASE("lockstep mac fp8 e4m3 dp4: directed corners (NaN, signed zeros, limits, truncation, addends)") {
  Fp8Rig rig;
  auto& ls = rig.ls;
  // 0x7E = 448 (max), 0x01 = 2^-9 (min subnormal), 0x38 = 1, 0x80 = -0, 0x7F = NaN.
  const std::vector<MacIn> seq = fp8_directed();
  for (const MacIn& in : seq)
    if (!ls.step(in)) break;
  ls.idle(4);
  if (ls.mismatch()) FAIL(ls.mismatch()->report);
  // Hand-worked values from the model (the RTL agreed with it above).
  Fp8Rig r2;
  std::vector<uint64_t> got;
  for (size_t t = 0; t < 11; ++t) {
    const MacOut m = r2.ad.model(t < 9 ? seq[t] : MacIn{});
    if (m.valid) got.push_back(m.code);
  }
  REQUIRE(got.size() == 8);
  CHECK(got[0] == 0x49440000u);  // 802816 = 4 * 448^2 = 1.53125 * 2^19
  CHECK(got[1] == 0x80000000u);
  CHECK(got[2] == 0x00000000u);
  CHECK(got[3] == 0x00000000u);
  CHECK(got[4] == 0x48440000u);  // 200704: 2^-18 below the 24-bit grid of 448^2 (2^-6)
}

TEST_CASE("lockstep mac fp8 e4m3 dp4: seeded-random dot products (K 1..64, gaps, addends with specials)") {
  Fp8Rig rig;
  uint64_t done = 0;
  for (uint64_t seed : {11, 12, 13}) {
    mac::random_dots(rig.ls, mac::kE4m3Codes, seed, 15000, &done);
    if (rig.ls.mismatch()) FAIL(rig.ls.mismatch()->report);
  }
  CHECK(done == 45000);
}

TEST_CASE("lockstep mac fp8 e4m3 dp4: FAULT=1 (alignment rounds to nearest) is caught by random dot products, not by single products") {
  Fp8Rig rig;
  rig.ad.fault = 1;
  // Every pair on lane 0: one exact product per dot product, nothing is aligned away: no mismatch.
  mac::exhaustive_pairs(rig.ls, {0});
  CHECK(!rig.ls.mismatch());
  Fp8Rig r2;
  r2.ad.fault = 1;
  mac::random_dots(r2.ls, mac::kE4m3Codes, 11, 15000);
  REQUIRE(r2.ls.mismatch());
  MESSAGE(r2.ls.mismatch()->report);
  CHECK(r2.ls.mismatch()->report.find("rtl   : valid=1 code=0x4728dd9b (43229.605) flags=0x00") != std::string::npos);
  CHECK(r2.ls.mismatch()->report.find("model : valid=1 code=0x4728dd9c (43229.61) flags=0x00") != std::string::npos);
}

TEST_CASE("lockstep mac fp8 e4m3 dp4: throughput (cycles/s with checking, beside the C++ model alone)") {
  Fp8Rig rig;
  MacAdapter<Vmac_fp8_e4m3_dp4> alone(hw::parse_mac_config(kFp8Spec), kFpLane, kFpLane);
  throughput("mac fp8 e4m3 dp4", rig.ls, alone, mac::kE4m3Codes, 17, 15000);
}

// ---- GEMM tiles: an M x N output tile, each element a K-long dot product fed chunk by chunk, back
// to back; every result also checked against the core's dot() (emu/accum, not the unit model) ----

namespace {

// Feeds C[i][j] = c[i][j] + sum_k A[i][k] B[k][j] through the unit; returns the results in order
// (read from the RTL's outputs), or an empty vector on a mismatch.
template <class LS>
std::vector<MacOut> gemm_tile(LS& ls, int M, int N, int K, const std::vector<uint64_t>& A,
                              const std::vector<uint64_t>& B, const std::vector<uint64_t>* C) {
  std::vector<MacOut> out;
  auto take = [&] {
    if (ls.rtl_out().valid) out.push_back(ls.rtl_out());
  };
  const int chunks = (K + 3) / 4;
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j)
      for (int s = 0; s < chunks; ++s) {
        MacIn in;
        in.valid = true;
        in.first = s == 0;
        in.last = s + 1 == chunks;
        in.count = in.last ? K - 4 * s : -1;
        for (int l = 0; l < 4 && 4 * s + l < K; ++l) {
          in.a[size_t(l)] = A[size_t(i * K + 4 * s + l)];
          in.b[size_t(l)] = B[size_t((4 * s + l) * N + j)];
        }
        in.has_c = in.first && C;
        in.c = C ? (*C)[size_t(i * N + j)] : 0;
        if (!ls.step(in)) return {};
        take();
      }
  for (int t = 0; t < 4; ++t) {
    if (!ls.step(MacIn{})) return {};
    take();
  }
  return out;
}

}  // namespace

TEST_CASE("lockstep mac: GEMM tiles (8 x 8 outputs, K = 96) through both units, results == the core's dot()") {
  std::mt19937_64 rng(2026);
  const int M = 8, N = 8, K = 96;
  for (int tile = 0; tile < 2; ++tile) {
    // INT8 with an INT32 C (exact int64 sums clamped, and dot()).
    IntRig<Vmac_int8_dp4> ri("mac_int8_dp4");
    std::vector<uint64_t> A(M * K), B(K * N), C(M * N);
    for (auto& x : A) x = rng() & 0xFF;
    for (auto& x : B) x = rng() & 0xFF;
    for (auto& x : C) x = uint32_t(rng() >> 40) - (1u << 23);
    const auto got = gemm_tile(ri.ls, M, N, K, A, B, &C);
    if (ri.ls.mismatch()) FAIL(ri.ls.mismatch()->report);
    REQUIRE(got.size() == size_t(M * N));
    const hw::MacConfig& cfg = ri.ad.config();
    int bad = 0;
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) {
        int64_t sum = int32_t(C[size_t(i * N + j)]);
        std::vector<uint64_t> a(A.begin() + i * K, A.begin() + (i + 1) * K), b(K);
        for (int k = 0; k < K; ++k) {
          b[size_t(k)] = B[size_t(k * N + j)];
          sum += int64_t(int8_t(a[size_t(k)])) * int8_t(b[size_t(k)]);
        }
        Env env;
        const uint64_t want = dot(cfg.accum, cfg.act.format, a, cfg.weight.format, b, C[size_t(i * N + j)], true, env);
        const MacOut& o = got[size_t(i * N + j)];
        bad += o.code != (uint64_t(sum) & 0xFFFFFFFF) || o.code != want || o.flags != env.flags;
      }
    CHECK(bad == 0);

    // E4M3 under v100-fp16 with a float32 C.
    Fp8Rig rf;
    auto e4m3 = [&] {  // finite codes (NaN, 0x7F / 0xFF, would make most sums NaN)
      const uint64_t c = rng() & 0xFF;
      return (c & 0x7F) == 0x7F ? c & 0xFE : c;
    };
    for (auto& x : A) x = e4m3();
    for (auto& x : B) x = e4m3();
    for (auto& x : C) x = uint32_t(((rng() & 1) << 31) | ((127 - 8 + rng() % 24) << 23) | (rng() & 0x7FFFFF));
    const auto gf = gemm_tile(rf.ls, M, N, K, A, B, &C);
    if (rf.ls.mismatch()) FAIL(rf.ls.mismatch()->report);
    REQUIRE(gf.size() == size_t(M * N));
    const hw::MacConfig& cf = rf.ad.config();
    bad = 0;
    int nonzero = 0;
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) {
        std::vector<uint64_t> a(A.begin() + i * K, A.begin() + (i + 1) * K), b(K);
        for (int k = 0; k < K; ++k) b[size_t(k)] = B[size_t(k * N + j)];
        Env env;
        const uint64_t want = dot(cf.accum, cf.act.format, a, cf.weight.format, b, C[size_t(i * N + j)], true, env);
        const MacOut& o = gf[size_t(i * N + j)];
        bad += o.code != want || o.flags != env.flags;
        nonzero += (o.code & 0x7FFFFFFF) != 0 && (o.code & 0x7F800000) != 0x7F800000;
      }
    CHECK(bad == 0);
    CHECK(nonzero == M * N);  // finite, non-zero sums: the alignment and truncation at work
  }
}

TEST_CASE("lockstep mac fp8 e4m3 dp4: a 13-bit register (h100-fp8, k = 4): every pair on lanes 0 and 3, corners, seeded-random dot products") {
  Fp8Rig rig(kFp8Acc13Spec, 2, "mac_fp8_e4m3_dp4_acc13");
  mac::exhaustive_pairs(rig.ls, {0, 3});
  for (const MacIn& in : fp8_directed())
    if (!rig.ls.step(in)) break;
  uint64_t done = 0;
  for (uint64_t seed : {21, 22}) mac::random_dots(rig.ls, mac::kE4m3Codes, seed, 15000, &done);
  if (rig.ls.mismatch()) FAIL(rig.ls.mismatch()->report);
  CHECK(done == 30000);
  // The register width matters: the 24-bit unit disagrees with the 13-bit model on the same stimulus.
  Fp8Rig wrong(kFp8Acc13Spec, 0, "mac_fp8_e4m3_dp4_acc24_vs_13");
  mac::random_dots(wrong.ls, mac::kE4m3Codes, 21, 15000);
  CHECK(wrong.ls.mismatch());
}

TEST_CASE("lockstep mac fp8 e5m2 dp4 (v100-fp16): every pair on lanes 0 and 3, infinities and NaNs, seeded-random dot products") {
  Fp8Rig rig(kE5m2Spec, 3, "mac_fp8_e5m2_dp4");
  mac::exhaustive_pairs(rig.ls, {0, 3});
  // 0x7C +inf, 0xFC -inf, 0x7D signalling NaN, 0x7E quiet NaN, 0x3C 1, 0x00 +0.
  const std::vector<MacIn> seq = {
      fp_chunk(true, true, {0x7C, 0x3C, 0x3C, 0x3C}, {0x3C, 0x3C, 0x3C, 0x3C}),  // +inf
      fp_chunk(true, true, {0x7C, 0xFC, 0x3C, 0x3C}, {0x3C, 0x3C, 0x3C, 0x3C}),  // +inf + -inf: NaN, invalid
      fp_chunk(true, true, {0x7C, 0x3C, 0x3C, 0x3C}, {0x00, 0x3C, 0x3C, 0x3C}),  // inf x 0: NaN, invalid
      fp_chunk(true, true, {0x7D, 0x3C, 0x3C, 0x3C}, {0x3C, 0x3C, 0x3C, 0x3C}),  // sNaN: invalid
      fp_chunk(true, true, {0x7E, 0x3C, 0x3C, 0x3C}, {0x3C, 0x3C, 0x3C, 0x3C}),  // qNaN
      fp_chunk(true, true, {0x7B, 0x7B, 0x7B, 0x7B}, {0x7B, 0x7B, 0x7B, 0x7B}),  // 4 * 57344^2
  };
  for (const MacIn& in : seq)
    if (!rig.ls.step(in)) break;
  MacIn inf_c = fp_chunk(true, true, {0x7C, 0x3C, 0x3C, 0x3C}, {0x3C, 0x3C, 0x3C, 0x3C});
  inf_c.has_c = true;
  inf_c.c = 0xFF800000u;  // -inf addend against a +inf product: invalid
  rig.ls.step(inf_c);
  uint64_t done = 0;
  for (uint64_t seed : {31, 32}) mac::random_dots(rig.ls, mac::kE5m2Codes, seed, 15000, &done);
  if (rig.ls.mismatch()) FAIL(rig.ls.mismatch()->report);
  CHECK(done == 30000);
  // The flags of the specials, from the model (the RTL agreed above).
  Fp8Rig r2(kE5m2Spec, 3, "mac_fp8_e5m2_dp4");
  std::vector<MacOut> got;
  for (size_t t = 0; t < seq.size() + 2; ++t) {
    const MacOut m = r2.ad.model(t < seq.size() ? seq[t] : MacIn{});
    if (m.valid) got.push_back(m);
  }
  REQUIRE(got.size() == 6);
  CHECK(got[0].code == 0x7F800000u);
  CHECK((got[1].code == 0x7FC00000u && got[1].flags == 0x10));
  CHECK((got[2].code == 0x7FC00000u && got[2].flags == 0x10));
  CHECK(got[3].flags == 0x10);
  CHECK(got[4].flags == 0);
}

// ---- FP16 x FP16 DP4 under v100-fp16 (Volta's tensor-core configuration): 11 x 11-bit significand
// products (22 bits, the smallest 2^-48) into the fused 24-bit register, float32 out ---------------

namespace {

uint32_t f32_code(float f) {
  uint32_t c;
  std::memcpy(&c, &f, 4);
  return c;
}

}  // namespace

TEST_CASE("lockstep mac fp16 dp4 (v100-fp16): every code against 4 partners on each side, corners, random dot products, a GEMM tile == dot()") {
  Fp8Rig rig(kFp16Spec, 4, "mac_fp16_dp4");
  auto& ls = rig.ls;
  // Every a code x {1, -1.5, 65504, 2^-24} and every b code x {1 + 2^-10, -2, 2^-14, +inf}, one
  // product per cycle on lane (code % 4), the other lanes 0 x 0.
  const uint16_t bs[] = {0x3C00, 0xBE00, 0x7BFF, 0x0001}, as[] = {0x3C01, 0xC000, 0x0400, 0x7C00};
  for (int side = 0; side < 2 && !ls.mismatch(); ++side)
    for (uint32_t code = 0; code < 65536; ++code)
      for (int k = 0; k < 4; ++k) {
        MacIn in;
        in.valid = in.first = in.last = true;
        const size_t lane = code % 4;
        in.a[lane] = side == 0 ? uint16_t(code) : as[k];
        in.b[lane] = side == 0 ? bs[k] : uint16_t(code);
        if (!ls.step(in)) break;
      }
  if (!ls.idle(4)) FAIL(ls.mismatch()->report);  // the sweep's last results leave
  // Corners. 0x7BFF 65504, 0x3C00 1, 0xBC00 -1, 0x0001 2^-24, 0x8000 -0, 0x7C00 +inf, 0xFC00 -inf,
  // 0x7D00 signalling NaN, 0x7E00 quiet NaN.
  const std::vector<MacIn> seq = {
      fp_chunk(true, true, {0x7BFF, 0x7BFF, 0x7BFF, 0x7BFF}, {0x7BFF, 0x7BFF, 0x7BFF, 0x7BFF}),  // 4 * 65504^2, exact
      fp_chunk(true, true, {0x0001, 0x0000, 0x0000, 0x0000}, {0x0001, 0x0000, 0x0000, 0x0000}),  // 2^-48 alone, exact
      fp_chunk(true, true, {0x3C00, 0x0001, 0x0000, 0x0000}, {0x3C00, 0x0001, 0x0000, 0x0000}),  // 2^-48 under 1: dropped
      fp_chunk(true, true, {0x3C00, 0xBC00, 0x0001, 0x0000}, {0x3C00, 0x3C00, 0x0001, 0x0000}),  // 1 - 1: +0 (2^-48 truncated at the alignment to 1)
      fp_chunk(true, true, {0x8000, 0x8000, 0x0000, 0x8000}, {0x3C00, 0x3C00, 0xBC00, 0x3C00}),  // all -0: -0
      fp_chunk(true, true, {0x7C00, 0x3C00, 0x3C00, 0x3C00}, {0x3C00, 0x3C00, 0x3C00, 0x3C00}),  // +inf
      fp_chunk(true, true, {0x7C00, 0xFC00, 0x3C00, 0x3C00}, {0x3C00, 0x3C00, 0x3C00, 0x3C00}),  // +inf + -inf: NaN, invalid
      fp_chunk(true, true, {0x7C00, 0x3C00, 0x3C00, 0x3C00}, {0x0000, 0x3C00, 0x3C00, 0x3C00}),  // inf x 0: NaN, invalid
      fp_chunk(true, true, {0x7D00, 0x3C00, 0x3C00, 0x3C00}, {0x3C00, 0x3C00, 0x3C00, 0x3C00}),  // sNaN: invalid
      fp_chunk(true, true, {0x7E00, 0x3C00, 0x3C00, 0x3C00}, {0x3C00, 0x3C00, 0x3C00, 0x3C00}),  // qNaN
      fp_chunk(true, false, {0x7BFF, 0x3C00, 0x3C00, 0x3C00}, {0x7BFF, 0x3C00, 0x3C00, 0x3C00}),
      fp_chunk(false, true, {0x3C01, 0x0001, 0x0001, 0x0001}, {0x3C01, 0x3C00, 0x3C00, 0x3C00}, 3),  // truncation across chunks
  };
  std::vector<MacOut> got;
  for (const MacIn& in : seq) {
    if (!ls.step(in)) FAIL(ls.mismatch()->report);
    if (ls.rtl_out().valid) got.push_back(ls.rtl_out());
  }
  for (int t = 0; t < 3; ++t) {
    if (!ls.step(MacIn{})) FAIL(ls.mismatch()->report);
    if (ls.rtl_out().valid) got.push_back(ls.rtl_out());
  }
  REQUIRE(got.size() == seq.size() - 1);
  // Hand-worked: 4 (2^16 - 2^5)^2 = 2^34 - 2^24 + 2^12 (22 significant bits: exact in the register).
  CHECK(got[0].code == f32_code(17163096064.0f));
  CHECK(got[1].code == f32_code(std::ldexp(1.0f, -48)));
  CHECK(got[2].code == 0x3F800000u);
  CHECK(got[3].code == 0u);
  CHECK(got[4].code == 0x80000000u);
  CHECK(got[5].code == 0x7F800000u);
  CHECK((got[6].code == 0x7FC00000u && got[6].flags == 0x10));
  CHECK((got[7].code == 0x7FC00000u && got[7].flags == 0x10));
  CHECK((got[8].code == 0x7FC00000u && got[8].flags == 0x10));
  CHECK((got[9].code == 0x7FC00000u && got[9].flags == 0));
  for (uint32_t c : {0x3F800001u, 0x4B800001u, 0xCB800000u, 0x7F800001u, 0xFF800000u, 0x80000000u, 0x00000001u,
                     0x807FFFFFu, 0x4F000000u}) {  // addends with products and alone
    MacIn in = fp_chunk(true, true, {0x3C00, 0xBC00, 0x7BFF, 0x0001}, {0x3C00, 0x3C00, 0xFBFF, 0x0001});
    in.has_c = true;
    in.c = c;
    if (!ls.step(in)) FAIL(ls.mismatch()->report);
    in.count = 0;
    if (!ls.step(in)) FAIL(ls.mismatch()->report);
  }
  uint64_t done = 0;
  for (uint64_t seed : {41, 42}) mac::random_dots(ls, mac::Fp16Codes{}, seed, 10000, &done);
  if (ls.mismatch()) FAIL(ls.mismatch()->report);
  CHECK(done == 20000);
  // A GEMM tile of finite codes with float32 addends, each result also == the core's dot().
  std::mt19937_64 rng(2027);
  const int M = 8, N = 8, K = 96;
  std::vector<uint64_t> A(M * K), B(K * N), C(M * N);
  for (auto& x : A) x = mac::Fp16Codes{}.a(rng, rng() % 2) & 0xFBFF;
  for (auto& x : B) x = mac::Fp16Codes{}.a(rng, rng() % 2) & 0xFBFF;
  for (auto& x : C) x = uint32_t(((rng() & 1) << 31) | ((127 - 8 + rng() % 24) << 23) | (rng() & 0x7FFFFF));
  const auto gf = gemm_tile(ls, M, N, K, A, B, &C);
  if (ls.mismatch()) FAIL(ls.mismatch()->report);
  REQUIRE(gf.size() == size_t(M * N));
  const hw::MacConfig& cf = rig.ad.config();
  int bad = 0;
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      std::vector<uint64_t> a(A.begin() + i * K, A.begin() + (i + 1) * K), b(K);
      for (int k = 0; k < K; ++k) b[size_t(k)] = B[size_t(k * N + j)];
      Env env;
      const uint64_t want = dot(cf.accum, cf.act.format, a, cf.weight.format, b, C[size_t(i * N + j)], true, env);
      bad += gf[size_t(i * N + j)].code != want || gf[size_t(i * N + j)].flags != env.flags;
    }
  CHECK(bad == 0);
  MESSAGE("mac fp16 dp4: " << ls.cycle() << " cycles in lockstep");
}

// ---- FP6 (E2M3, E3M2), FP4 (E2M1) and mixed E4M3 x E2M1 operands under v100-fp16 (the fp top's
// selects 5..8): every operand pair on every lane, corners, seeded-random dot products ------------

namespace {

struct SmallFp {
  const char* name;
  const char* spec;
  int select, a_bits, b_bits;
  mac::MinifloatPair gen;
  uint64_t a_max, b_max, a_min, b_min;  // largest finite and smallest subnormal codes
  uint32_t four_max;                    // float32 of 4 * max(a) * max(b), hand-worked
};

// Every pair on every lane; max x max on four lanes (hand-worked), min x min, signed zeros, a sum
// that cancels, partial chunks, the float32 addend corners alone and with products; random dot
// products. Returns the results checked (pairs + directed + random).
void small_fp_case(const SmallFp& t) {
  Fp8Rig rig(t.spec, t.select, t.name);
  auto& ls = rig.ls;
  const uint64_t pairs = uint64_t(4) << (t.a_bits + t.b_bits);
  CHECK(mac::exhaustive_pairs(ls, {0, 1, 2, 3}, t.a_bits, t.b_bits) == pairs + 4);
  if (ls.mismatch()) FAIL(ls.mismatch()->report);
  const uint64_t sa = uint64_t{1} << (t.a_bits - 1), sb = uint64_t{1} << (t.b_bits - 1);  // sign bits
  const uint64_t a1 = t.a_max, b1 = t.b_max;
  std::vector<MacIn> seq = {
      fp_chunk(true, true, {a1, a1, a1, a1}, {b1, b1, b1, b1}),
      fp_chunk(true, true, {t.a_min, 0, 0, 0}, {t.b_min, 0, 0, 0}),
      fp_chunk(true, true, {sa, sa, 0, sa}, {b1, b1, sb | b1, b1}),           // -0 + -0 + -0 + -0: -0
      fp_chunk(true, true, {a1, a1 | sa, t.a_min, 0}, {b1, b1, t.b_min, 0}),  // max - max + min^2
      fp_chunk(true, false, {a1, t.a_min, t.a_min, t.a_min}, {b1, t.b_min, t.b_min, t.b_min}),
      fp_chunk(false, true, {a1 | sa, t.a_min, t.a_min, t.a_min}, {b1, t.b_min, t.b_min, t.b_min}, 2),
  };
  for (uint32_t c : {0x3F800001u, 0x4B800001u, 0xCB800000u, 0x7F800001u, 0xFF800000u, 0x80000000u, 0x00000001u}) {
    MacIn in = fp_chunk(true, true, {a1, a1 | sa, t.a_min, 1}, {b1, b1, t.b_min, 1});
    in.has_c = true;
    in.c = c;
    seq.push_back(in);
    in.count = 0;
    seq.push_back(in);
  }
  std::vector<MacOut> got;
  for (const MacIn& in : seq) {
    if (!ls.step(in)) FAIL(ls.mismatch()->report);
    if (ls.rtl_out().valid) got.push_back(ls.rtl_out());
  }
  for (int i = 0; i < 3; ++i) {
    if (!ls.step(MacIn{})) FAIL(ls.mismatch()->report);
    if (ls.rtl_out().valid) got.push_back(ls.rtl_out());
  }
  REQUIRE(got.size() == seq.size() - 1);
  CHECK(got[0].code == t.four_max);
  CHECK(got[2].code == 0x80000000u);
  uint64_t done = 0;
  for (uint64_t seed : {51, 52}) mac::random_dots(ls, t.gen, seed + uint64_t(t.select), 6000, &done);
  if (ls.mismatch()) FAIL(ls.mismatch()->report);
  CHECK(done == 12000);
  MESSAGE(std::string(t.name) << ": " << pairs << " operand pairs, " << seq.size() << " directed chunks, " << done
                  << " random dot products, " << ls.cycle() << " cycles in lockstep");
}

const char* kE2m3Spec = "lanes=4,act=float6_e2m3fn,weight=float6_e2m3fn,accum=v100-fp16,pipeline=2";
const char* kE3m2Spec = "lanes=4,act=float6_e3m2fn,weight=float6_e3m2fn,accum=v100-fp16,pipeline=2";
const char* kE2m1Spec = "lanes=4,act=float4_e2m1fn,weight=float4_e2m1fn,accum=v100-fp16,pipeline=2";
const char* kE4m3E2m1Spec = "lanes=4,act=float8_e4m3fn,weight=float4_e2m1fn,accum=v100-fp16,pipeline=2";

}  // namespace

// 7.5 = 0x1F (E2M3), 28 = 0x1F (E3M2), 6 = 0x7 (E2M1), 448 = 0x7E (E4M3); smallest subnormals 0x01.
TEST_CASE("lockstep mac fp6 e2m3 dp4 (v100-fp16): every pair on every lane, corners, seeded-random dot products") {
  small_fp_case({"mac_fp6_e2m3_dp4", kE2m3Spec, 5, 6, 6, {mac::kE2m3Codes, mac::kE2m3Codes}, 0x1F, 0x1F, 1, 1, 0x43610000u});
}
TEST_CASE("lockstep mac fp6 e3m2 dp4 (v100-fp16): every pair on every lane, corners, seeded-random dot products") {
  small_fp_case({"mac_fp6_e3m2_dp4", kE3m2Spec, 6, 6, 6, {mac::kE3m2Codes, mac::kE3m2Codes}, 0x1F, 0x1F, 1, 1, 0x45440000u});
}
TEST_CASE("lockstep mac fp4 e2m1 dp4 (v100-fp16): every pair on every lane, corners, seeded-random dot products") {
  small_fp_case({"mac_fp4_e2m1_dp4", kE2m1Spec, 7, 4, 4, {mac::kE2m1Codes, mac::kE2m1Codes}, 0x7, 0x7, 1, 1, 0x43100000u});
}
TEST_CASE("lockstep mac e4m3 x e2m1 dp4 (v100-fp16, mixed): every pair on every lane, corners, seeded-random dot products") {
  small_fp_case({"mac_e4m3_e2m1_dp4", kE4m3E2m1Spec, 8, 8, 4, {mac::kE4m3Codes, mac::kE2m1Codes}, 0x7E, 0x7, 1, 1, 0x46280000u});
}

TEST_CASE("lockstep mac fp4 e2m1 dp4: FAULT=2 (subnormal operands read as 2^0) is caught at the first subnormal pair") {
  MacAdapter<Vmac_fp8_e4m3_dp4> ad(hw::parse_mac_config(kE2m1Spec), kFpLane, kFpLane);
  ad.fault = 9;
  LockstepOptions opt = IntRig<Vmac_int8_dp4>::options("mac_fp4_e2m1_dp4_fault2");
  opt.trace_dir = (std::filesystem::temp_directory_path() / "bitexact_lockstep_mac").string();
  Lockstep<MacAdapter<Vmac_fp8_e4m3_dp4>> ls(ad, opt);
  mac::exhaustive_pairs(ls, {0, 1, 2, 3}, 4, 4);
  REQUIRE(ls.mismatch());
  MESSAGE(ls.mismatch()->report);
  // Pair (a, b) = (0x1, 0x1) = 0.5 x 0.5 enters at cycle 0x11 and leaves 2 cycles later: 0.125, not 0.25.
  CHECK(ls.mismatch()->cycle == 0x11 + 2);
  CHECK(ls.mismatch()->report.find("rtl   : valid=1 code=0x3e000000 (0.125) flags=0x00") != std::string::npos);
  CHECK(ls.mismatch()->report.find("model : valid=1 code=0x3e800000 (0.25) flags=0x00") != std::string::npos);
}

// ---- BF16 x BF16 DP4 under v100-fp16 (select 10): products from 2^-266 to 2^256, the result rounded
// to nearest even into float32 (overflow to infinity, subnormals, overflow / underflow / inexact) ---

namespace {
const char* kBf16Spec = "lanes=4,act=bfloat16,weight=bfloat16,accum=v100-fp16,pipeline=2";
}  // namespace

TEST_CASE("lockstep mac bf16 dp4 (v100-fp16): every code against 2 partners on each side, float32 overflow and subnormal rounding, random dot products") {
  Fp8Rig rig(kBf16Spec, 10, "mac_bf16_dp4");
  auto& ls = rig.ls;
  // Every a code x {1 + 2^-7, 2^-70} and every b code x {-1.5, 2^100}: every exponent meets the
  // subnormal and overflow boundaries of float32.
  const uint16_t bs[] = {0x3F81, 0x1C80}, as[] = {0xBFC0, 0x7180};
  for (int side = 0; side < 2 && !ls.mismatch(); ++side)
    for (uint32_t code = 0; code < 65536; ++code)
      for (int k = 0; k < 2; ++k) {
        MacIn in;
        in.valid = in.first = in.last = true;
        const size_t lane = code % 4;
        in.a[lane] = side == 0 ? uint16_t(code) : as[k];
        in.b[lane] = side == 0 ? bs[k] : uint16_t(code);
        if (!ls.step(in)) break;
      }
  if (!ls.idle(4)) FAIL(ls.mismatch()->report);
  // 0x7F7F the largest finite, 0x1A00 2^-75, 0x1A40 1.5 x 2^-75, 0x1A80 2^-74, 0x0001 2^-133,
  // 0x3F80 1, 0x7F80 +inf, 0x7FA0 signalling NaN.
  const std::vector<MacIn> seq = {
      fp_chunk(true, true, {0x7F7F, 0, 0, 0}, {0x7F7F, 0, 0, 0}),            // 2^255.99: +inf, overflow + inexact
      fp_chunk(true, true, {0x7F7F, 0xFF7F, 0, 0}, {0x7F7F, 0x7F7F, 0, 0}),  // max^2 - max^2: +0, exact
      fp_chunk(true, true, {0x1A00, 0, 0, 0}, {0x1A00, 0, 0, 0}),            // 2^-150: a tie, to even 0 (underflow)
      fp_chunk(true, true, {0x1A40, 0, 0, 0}, {0x1A00, 0, 0, 0}),            // 1.5 x 2^-150: 2^-149
      fp_chunk(true, true, {0x1A80, 0, 0, 0}, {0x1A00, 0, 0, 0}),            // 2^-149: exact
      fp_chunk(true, true, {0x0001, 0, 0, 0}, {0x0001, 0, 0, 0}),            // 2^-266: +0, underflow
      fp_chunk(true, true, {0x8001, 0, 0, 0}, {0x0001, 0, 0, 0}),            // -2^-266: -0, underflow
      fp_chunk(true, true, {0x7F80, 0x3F80, 0, 0}, {0x3F80, 0x3F80, 0, 0}),  // +inf
      fp_chunk(true, true, {0x7FA0, 0x3F80, 0, 0}, {0x3F80, 0x3F80, 0, 0}),  // sNaN: invalid
      fp_chunk(true, false, {0x7F7F, 0, 0, 0}, {0x3F80, 0, 0, 0}),
      fp_chunk(false, true, {0x7F7F, 0x7F7F, 0, 0}, {0x3F80, 0x3F80, 0, 0}),  // 3 x max: +inf, overflow
  };
  std::vector<MacOut> got;
  for (const MacIn& in : seq) {
    if (!ls.step(in)) FAIL(ls.mismatch()->report);
    if (ls.rtl_out().valid) got.push_back(ls.rtl_out());
  }
  for (int t = 0; t < 3; ++t) {
    if (!ls.step(MacIn{})) FAIL(ls.mismatch()->report);
    if (ls.rtl_out().valid) got.push_back(ls.rtl_out());
  }
  REQUIRE(got.size() == seq.size() - 1);
  // Flags: inexact 0x01, underflow 0x02, overflow 0x04, invalid 0x10.
  CHECK((got[0].code == 0x7F800000u && got[0].flags == 0x05));
  CHECK((got[1].code == 0u && got[1].flags == 0));
  CHECK((got[2].code == 0u && got[2].flags == 0x03));
  CHECK((got[3].code == 1u && got[3].flags == 0x03));
  CHECK((got[4].code == 1u && got[4].flags == 0));
  CHECK((got[5].code == 0u && got[5].flags == 0x03));
  CHECK((got[6].code == 0x80000000u && got[6].flags == 0x03));
  CHECK((got[7].code == 0x7F800000u && got[7].flags == 0));
  CHECK((got[8].code == 0x7FC00000u && got[8].flags == 0x10));
  CHECK((got[9].code == 0x7F800000u && got[9].flags == 0x05));
  uint64_t done = 0;
  for (uint64_t seed : {61, 62}) mac::random_dots(ls, mac::Bf16Codes{}, seed, 8000, &done);
  if (ls.mismatch()) FAIL(ls.mismatch()->report);
  CHECK(done == 16000);
  MESSAGE("mac bf16 dp4: " << ls.cycle() << " cycles in lockstep");
}

TEST_CASE("lockstep mac bf16 dp4: FAULT=4 (the float32 subnormal rounding ignores the sticky bit) is caught") {
  MacAdapter<Vmac_fp8_e4m3_dp4> ad(hw::parse_mac_config(kBf16Spec), kFpLane, kFpLane);
  ad.fault = 16;
  LockstepOptions opt = IntRig<Vmac_int8_dp4>::options("mac_bf16_dp4_fault4");
  opt.trace_dir = (std::filesystem::temp_directory_path() / "bitexact_lockstep_mac").string();
  Lockstep<MacAdapter<Vmac_fp8_e4m3_dp4>> ls(ad, opt);
  // 2^-150 exactly (a tie, to even 0) agrees; (1 + 2^-7) 2^-75 x 2^-75 = 2^-150 + 2^-157 is above the
  // tie and rounds up to 2^-149, which the faulty unit takes for a tie (0).
  CHECK(ls.step(fp_chunk(true, true, {0x1A00, 0, 0, 0}, {0x1A00, 0, 0, 0})));
  ls.step(fp_chunk(true, true, {0x1A01, 0, 0, 0}, {0x1A00, 0, 0, 0}));
  ls.idle(3);
  REQUIRE(ls.mismatch());
  MESSAGE(ls.mismatch()->report);
  CHECK(ls.mismatch()->cycle == 3);
  CHECK(ls.mismatch()->report.find("rtl   : valid=1 code=0x00000000 (0) flags=0x03") != std::string::npos);
  CHECK(ls.mismatch()->report.find("model : valid=1 code=0x00000001 (1e-45) flags=0x03") != std::string::npos);
}

// ---- MX block inputs (OCP MX v1.0: FP8 / FP6 / FP4 elements, an E8M0 scale per block of 32, applied
// to each product before the fused sum; v100-fp16, float32 rounding of the result): the fp top's
// selects 11..15, verilated as Vmac_mx_dp4 ----------------------------------------------------------------------------------

namespace {

struct MxCase {
  const char* name;
  const char* spec;
  int select, a_bits, b_bits;
  mac::MxCodes gen;
  uint64_t a_max, b_max, a_one, b_one;  // largest finite and 1.0 element codes
  uint32_t four_max;                    // float32 of 4 * max(a) * max(b) under scales 2^0, hand-worked
};

// One single-chunk dot product on lane 0 (or all four lanes) under block scales sa, sb.
MacIn mx_chunk(uint64_t a, uint64_t b, uint8_t sa, uint8_t sb, bool all_lanes = false) {
  MacIn in;
  in.valid = in.first = in.last = true;
  for (int l = 0; l < (all_lanes ? 4 : 1); ++l) in.a[size_t(l)] = uint16_t(a), in.b[size_t(l)] = uint16_t(b);
  in.scale_a = sa;
  in.scale_b = sb;
  return in;
}

void mx_case(const MxCase& t) {
  FpRig<Vmac_mx_dp4> rig(t.spec, t.select, t.name);
  auto& ls = rig.ls;
  // Every element pair on every lane under unit scales, and on lane 3 under scales that push the
  // products below float32's subnormals (2^-127 x 2^-100), above its range (2^127 x 2^100) and NaN.
  const uint64_t pairs = uint64_t(1) << (t.a_bits + t.b_bits);
  mac::exhaustive_pairs(ls, {0, 1, 2, 3}, t.a_bits, t.b_bits);
  for (auto [sa, sb] : {std::pair<uint8_t, uint8_t>{0, 27}, {254, 227}, {0xFF, 127}, {127, 0xFF}})
    mac::exhaustive_pairs(ls, {3}, t.a_bits, t.b_bits, sa, sb);
  if (ls.mismatch()) FAIL(ls.mismatch()->report);
  const std::vector<MacIn> seq = {
      mx_chunk(t.a_max, t.b_max, 127, 127, true),  // 4 max^2
      mx_chunk(t.a_one, t.b_one, 0, 105),           // 2^-127 x 2^-22 = 2^-149: exact
      mx_chunk(t.a_max, t.b_max, 254, 254),         // 2^254 max^2: +inf, overflow + inexact
      mx_chunk(t.a_max, t.b_max, 0, 0),             // 2^-254 max^2: +0, underflow + inexact
      mx_chunk(0, 0, 0xFF, 127),                    // a NaN scale: NaN even for 0 x 0, no invalid
  };
  std::vector<MacOut> got;
  for (const MacIn& in : seq) {
    if (!ls.step(in)) FAIL(ls.mismatch()->report);
    if (ls.rtl_out().valid) got.push_back(ls.rtl_out());
  }
  for (int i = 0; i < 3; ++i) {
    if (!ls.step(MacIn{})) FAIL(ls.mismatch()->report);
    if (ls.rtl_out().valid) got.push_back(ls.rtl_out());
  }
  REQUIRE(got.size() == seq.size());
  CHECK((got[0].code == t.four_max && got[0].flags == 0));
  CHECK((got[1].code == 1u && got[1].flags == 0));
  CHECK((got[2].code == 0x7F800000u && got[2].flags == 0x05));
  CHECK((got[3].code == 0u && got[3].flags == 0x03));
  CHECK((got[4].code == 0x7FC00000u && got[4].flags == 0));
  uint64_t done = 0;
  for (uint64_t seed : {71, 72}) mac::random_dots(ls, t.gen, seed + uint64_t(t.select), 6000, &done);
  if (ls.mismatch()) FAIL(ls.mismatch()->report);
  CHECK(done == 12000);
  MESSAGE(std::string(t.name) << ": " << 8 * pairs << " element pairs under 5 scale pairs, " << seq.size()
                              << " directed, " << done << " random dot products, " << ls.cycle()
                              << " cycles in lockstep");
}

const char* kMxfp8Spec = "lanes=4,act=mxfp8_e4m3,weight=mxfp8_e4m3,accum=v100-fp16,pipeline=2";
const char* kMxfp4Spec = "lanes=4,act=mxfp4,weight=mxfp4,accum=v100-fp16,pipeline=2";
const char* kMxfp6Spec = "lanes=4,act=mxfp6_e2m3,weight=mxfp6_e3m2,accum=v100-fp16,pipeline=2";
const char* kMxfp8x4Spec = "lanes=4,act=mxfp8_e4m3,weight=mxfp4,accum=v100-fp16,pipeline=2";

}  // namespace

// Elements: 448 = 0x7E, 1 = 0x38 (E4M3); 6 = 0x7, 1 = 0x2 (E2M1); 7.5 = 0x1F, 1 = 0x08 (E2M3);
// 28 = 0x1F, 1 = 0x0C (E3M2). 4 x 7.5 x 28 = 840 = 0x44520000.
TEST_CASE("lockstep mac mxfp8 e4m3 dp4 (E8M0 scales, v100-fp16): every element pair, scales at the float32 limits and NaN, random blocks") {
  mx_case({"mac_mxfp8_e4m3_dp4", kMxfp8Spec, 11, 8, 8, {{mac::kE4m3Codes, mac::kE4m3Codes}}, 0x7E, 0x7E, 0x38, 0x38, 0x49440000u});
}
TEST_CASE("lockstep mac mxfp4 dp4 (E8M0 scales, v100-fp16): every element pair, scales at the float32 limits and NaN, random blocks") {
  mx_case({"mac_mxfp4_dp4", kMxfp4Spec, 12, 4, 4, {{mac::kE2m1Codes, mac::kE2m1Codes}}, 0x7, 0x7, 0x2, 0x2, 0x43100000u});
}
TEST_CASE("lockstep mac mxfp6 e2m3 x mxfp6 e3m2 dp4 (E8M0 scales, v100-fp16): every element pair, scales at the limits and NaN, random blocks") {
  mx_case({"mac_mxfp6_dp4", kMxfp6Spec, 13, 6, 6, {{mac::kE2m3Codes, mac::kE3m2Codes}}, 0x1F, 0x1F, 0x08, 0x0C, 0x44520000u});
}
TEST_CASE("lockstep mac mxfp8 e4m3 x mxfp4 dp4 (E8M0 scales, v100-fp16): every element pair, scales at the limits and NaN, random blocks") {
  mx_case({"mac_mxfp8_mxfp4_dp4", kMxfp8x4Spec, 14, 8, 4, {{mac::kE4m3Codes, mac::kE2m1Codes}}, 0x7E, 0x7, 0x38, 0x2, 0x46280000u});
}

TEST_CASE("lockstep mac mxfp4 dp4: FAULT=3 (the NaN scale code read as 2^128) is caught") {
  MacAdapter<Vmac_mx_dp4> ad(hw::parse_mac_config(kMxfp4Spec), kFpLane, kFpLane);
  ad.fault = 15;
  LockstepOptions opt = IntRig<Vmac_int8_dp4>::options("mac_mxfp4_dp4_fault3");
  opt.trace_dir = (std::filesystem::temp_directory_path() / "bitexact_lockstep_mac").string();
  Lockstep<MacAdapter<Vmac_mx_dp4>> ls(ad, opt);
  uint64_t done = 0;
  mac::random_dots(ls, mac::MxCodes{{mac::kE2m1Codes, mac::kE2m1Codes}}, 81, 6000, &done);
  REQUIRE(ls.mismatch());
  MESSAGE(ls.mismatch()->report);
  CHECK(ls.mismatch()->report.find("=NaN") != std::string::npos);  // a NaN scale among the inputs shown
  CHECK(ls.mismatch()->report.find("model : valid=1 code=0x7fc00000 (nan) flags=0x00") != std::string::npos);
}

// ---- the 2 x 2 arrays of INT8 and E4M3 DP4 PEs with systolic skew (bitexact_mac_array) against
// hw::MacArray: GEMM tiles fed with the skew (row r and column c delayed r and c cycles), back to
// back or with gaps; every PE's result also == the exact int64 sum, clamped ---------------------------

namespace {

const char* kArraySpec = "lanes=4,act=int8,weight=int8,accum=exact<out=int32>,pipeline=2,rows=2,cols=2,feed=systolic";
const char* kBroadcastArraySpec = "lanes=4,act=int8,weight=int8,accum=exact<out=int32>,pipeline=2,rows=2,cols=2,feed=broadcast";
// The array top's select 2: E4M3 x E4M3 PEs with v100-fp16's fused 24-bit register, float32 out.
const char* kFpArraySpec =
    "lanes=4,act=float8_e4m3fn,weight=float8_e4m3fn,accum=v100-fp16,pipeline=2,rows=2,cols=2,feed=systolic";

struct ArrayRun {
  uint64_t cycles = 0, tiles = 0, results = 0, oracle_failed = 0;
};

// `tiles` random 2 x 2 output tiles of K in 1..40 (the last chunk partial), addends half of the
// time (near the INT32 limits one time in four), 0..2 idle cycles between tiles; also checks each
// PE's results, in order, against the exact sums. fp (the E4M3 array's configuration): finite E4M3
// codes (exponents near 1 one tile in four), float32 addends, each result against the core's dot().
template <class Top>
ArrayRun array_tiles(Lockstep<MacArrayAdapter<Top>>& ls, uint64_t seed, int tiles, const hw::MacConfig* fp = nullptr,
                     bool broadcast = false) {
  const uint64_t skew = broadcast ? 0 : 1;  // broadcast: every PE takes the edge chunks at once
  constexpr int R = 2, C = 2;
  std::mt19937_64 rng(seed);
  std::map<uint64_t, ArrayIn> sched;  // cycle -> inputs
  std::deque<int64_t> want[R][C];
  uint64_t base = 0;
  for (int t = 0; t < tiles; ++t) {
    const int K = 1 + int(rng() % 40), chunks = (K + 3) / 4;
    const bool wide = rng() % 4 == 0;
    auto code = [&]() -> uint64_t {
      if (!fp) return wide ? (0x7E + rng() % 4) & 0xFF : rng() & 0xFF;
      const uint64_t x = mac::kE4m3Codes.a(rng, wide);
      return (x & 0x7F) == 0x7F ? x ^ 1 : x;  // finite
    };
    std::vector<uint64_t> A(size_t(R * K)), B(size_t(K * C));
    for (auto& x : A) x = code();
    for (auto& x : B) x = code();
    const bool has_c = rng() % 2;
    int64_t cval[R][C] = {};
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) {
        const uint64_t x = rng();
        if (fp) {
          cval[r][c] = !has_c ? 0 : int64_t(((x & 1) << 31) | ((127 - 8 + (x >> 8) % 24) << 23) | ((x >> 16) & 0x7FFFFF));
          std::vector<uint64_t> a(A.begin() + r * K, A.begin() + (r + 1) * K), b(static_cast<size_t>(K), 0);
          for (int k = 0; k < K; ++k) b[size_t(k)] = B[size_t(k * C + c)];
          Env env;
          want[r][c].push_back(int64_t(dot(fp->accum, fp->act.format, a, fp->weight.format, b, uint64_t(cval[r][c]), has_c, env)));
          continue;
        }
        cval[r][c] = !has_c ? 0 : x % 4 == 0 ? int64_t(INT32_MAX) - int64_t((x >> 40) % 100000) : int32_t(uint32_t(x >> 16));
        int64_t s = cval[r][c];
        for (int k = 0; k < K; ++k) s += int64_t(int8_t(A[size_t(r * K + k)])) * int8_t(B[size_t(k * C + c)]);
        want[r][c].push_back(std::clamp<int64_t>(s, INT32_MIN, INT32_MAX));
      }
    for (int s = 0; s < chunks; ++s) {
      for (int r = 0; r < R; ++r) {
        ArrayIn::Row& x = sched[base + uint64_t(s) + skew * uint64_t(r)].row[size_t(r)];
        x.valid = true, x.first = s == 0, x.last = s + 1 == chunks;
        x.count = x.last ? K - 4 * s : -1;
        for (int l = 0; l < 4 && 4 * s + l < K; ++l) x.a[size_t(l)] = A[size_t(r * K + 4 * s + l)];
        x.has_c = has_c && x.first;
        for (int c = 0; c < C; ++c) x.c[size_t(c)] = uint32_t(cval[r][c]);
      }
      for (int c = 0; c < C; ++c) {
        ArrayIn::Col& y = sched[base + uint64_t(s) + skew * uint64_t(c)].col[size_t(c)];
        y.valid = true;
        for (int l = 0; l < 4 && 4 * s + l < K; ++l) y.b[size_t(l)] = B[size_t((4 * s + l) * C + c)];
      }
    }
    base += uint64_t(chunks) + (rng() % 3 == 0 ? rng() % 3 : 0);
  }
  ArrayRun run;
  const uint64_t end = base + R + C + 4;
  for (uint64_t cyc = 0; cyc < end; ++cyc) {
    const auto it = sched.find(cyc);
    if (!ls.step(it == sched.end() ? ArrayIn{} : it->second)) break;
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) {
        const hw::DpnOutputs& o = ls.rtl_out().pe[size_t(r * C + c)];
        if (!o.valid) continue;
        ++run.results;
        if (want[r][c].empty() || uint64_t(want[r][c].front()) % (uint64_t(1) << 32) != o.code) ++run.oracle_failed;
        if (!want[r][c].empty()) want[r][c].pop_front();
      }
  }
  run.cycles = ls.cycle();
  run.tiles = uint64_t(tiles);
  return run;
}

// One array variant (the top's select `sel`, on its fault port) in lockstep with `spec`'s model over
// `tiles` random tiles, every PE result checked against the oracle; then, where `wrong_spec` is given,
// the same variant against that model must mismatch (the select really reaches the PEs).
void array_case(const char* name, const char* spec, int sel, uint64_t seed, int tiles, bool broadcast = false,
                const char* wrong_spec = nullptr) {
  const hw::MacConfig cfg = hw::parse_mac_config(spec);
  const hw::MacConfig* fp = cfg.act.format.is_float() ? &cfg : nullptr;  // array_tiles draws E4M3 codes then
  MacArrayAdapter<Vmac_array_2x2> ad(cfg);
  ad.fault = sel;
  Lockstep<MacArrayAdapter<Vmac_array_2x2>> ls(ad, IntRig<Vmac_int8_dp4>::options(name));
  const ArrayRun run = array_tiles(ls, seed, tiles, fp, broadcast);
  if (ls.mismatch()) FAIL(ls.mismatch()->report);
  CHECK(run.results == 4 * run.tiles);
  CHECK(run.oracle_failed == 0);
  if (wrong_spec) {
    MacArrayAdapter<Vmac_array_2x2> wrong(hw::parse_mac_config(wrong_spec));
    wrong.fault = sel;
    Lockstep<MacArrayAdapter<Vmac_array_2x2>> lw(wrong, IntRig<Vmac_int8_dp4>::options(std::string(name) + "_vs_wrong"));
    array_tiles(lw, seed, 50);
    CHECK(lw.mismatch());
  }
  MESSAGE(std::string(name) << ": " << run.tiles << " tiles, " << run.results << " PE results, " << run.cycles << " cycles in lockstep");
}

}  // namespace

TEST_CASE("lockstep mac array 2x2 int8 dp4 (systolic skew): random GEMM tiles back to back and with gaps, results == exact sums") {
  array_case("mac_array_2x2", kArraySpec, 0, 11, 6000);
}

TEST_CASE("lockstep mac array 2x2: FAULT=1 (B not skewed down the columns) is caught and reported") {
  MacArrayAdapter<Vmac_array_2x2> ad(hw::parse_mac_config(kArraySpec));
  ad.fault = 1;
  LockstepOptions opt = IntRig<Vmac_int8_dp4>::options("mac_array_2x2_fault1");
  opt.trace_dir = (std::filesystem::temp_directory_path() / "bitexact_lockstep_mac").string();
  Lockstep<MacArrayAdapter<Vmac_array_2x2>> ls(ad, opt);
  array_tiles(ls, 12, 200);
  REQUIRE(ls.mismatch());
  MESSAGE(ls.mismatch()->report);
  CHECK(ls.mismatch()->report.find("PE1,") != std::string::npos);
  CHECK(!ls.mismatch()->trace_path.empty());
}

TEST_CASE("lockstep mac array 2x2 e4m3 dp4 (v100-fp16, systolic skew): random GEMM tiles back to back and with gaps, results == the core's dot(), the integer model caught") {
  array_case("mac_array_2x2_e4m3", kFpArraySpec, 2, 13, 4000, false, kArraySpec);
}

TEST_CASE("lockstep mac array 2x2 int8 dp4, broadcast feed: random GEMM tiles without skew, results == exact sums, the systolic schedule caught") {
  // Against the systolic model (and schedule) the PEs off the edges disagree.
  array_case("mac_array_2x2_broadcast", kBroadcastArraySpec, 3, 14, 6000, true, kArraySpec);
}
