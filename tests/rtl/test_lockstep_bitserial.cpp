// Lockstep co-simulation of the bit-serial PE through the shared harness (rtl/sim/lockstep.hpp):
// rtl/units/bitserial/bitserial_pe.sv (bit planes and radix-4 Booth, int8 activations x int4
// weights, 4 lanes, exact int32 out; one verilated model carrying both encodings) and
// bitserial_pe_fp.sv (E4M3 activations x E2M1 weights as leading-one terms, exact, float32 out) get
// the same inputs every clock as hwmodel/bitserial's BitSerialPe; ready, valid, and on valid the
// code and flags are compared every cycle. On top of the harness: each result is checked against the
// core's dot() and an exact sum written here, the cycles per weight group against ceil(bits / bits
// per cycle) (the terms: the largest popcount of an E2M1 significand, 2) and the result's latency.
// On the first mismatch the harness stops and reports (cycle, recent inputs, both outputs decoded,
// an FST of the last cycles); this file adds the dot product the due result belongs to.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <cmath>
#include <cstring>

#include "Vbitserial_pe_fp.h"
#include "Vbitserial_pe_int.h"
#if BITEXACT_NETLIST_SIM
#include "Vnet_bitserial_int8_int4.h"
#endif
#include "emu/accum/dot.hpp"
#include "formats/spec.hpp"
#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/bitserial/pe.hpp"
#include "rtl/sim/bitserial_adapter.hpp"
#include "rtl/sim/lockstep.hpp"

using namespace bitexact;
using namespace bitexact::hw;
using namespace bitexact::rtl::bitserial;

namespace {

constexpr int kTraceCycles = 64;  // the FST covers this many cycles before the mismatch

// One verilated configuration (V: bitserial_pe_faults or bitserial_pe_fp_faults) against BitSerialPe,
// through rtl::Lockstep, with this unit's checks on top: the schedule (a group is loaded whenever the
// model is ready), cycles per weight, latency, each result against dot() and an exact sum.
template <class V>
class Lockstep {
 public:
  explicit Lockstep(const Unit& u, OverflowPolicy ovf = OverflowPolicy::Ieee)
      : u_(u), ovf_(ovf), cfg_(parse_bitserial_config(u.spec)) {}

  Report run(const std::vector<Group>& gs, int fault = 0) {
    Report r;
    BitSerialAdapter<V> ad(u_, fault, ovf_);
    rtl::LockstepOptions opt;
    opt.name = std::string("bitserial-") + u_.name + "-fault" + std::to_string(fault) +
               (ovf_ == OverflowPolicy::Ieee ? "" : "-ovf" + std::to_string(int(ovf_)));
    opt.trace_cycles = kTraceCycles;
    opt.reset_cycles = 1;
    rtl::Lockstep<BitSerialAdapter<V>> ls(ad, opt);
    const Format fa = cfg_.act, fw = cfg_.weight;
    const int C = u_.cycles;
    std::deque<Dot> inflight;  // finished loading (last seen), result not yet out
    Dot open;
    size_t next = 0;
    int idle = gs.empty() ? 0 : gs[0].idle;
    uint64_t last_load = 0;
    bool waiting_ready = false;
    const uint64_t want = want_dots(gs);
    std::ostringstream err;
    const auto t0 = std::chrono::steady_clock::now();
    uint64_t cyc = 0;
    auto idle_after = uint64_t(2 * C + 2);  // quiet cycles checked after the last result
    while (r.ok && (next < gs.size() || !ad.pe().ready() || r.dots < want || idle_after-- > 0)) {
      if (cyc > 64 + 4 * uint64_t(C + 8) * (gs.size() + 1)) {
        err << "lockstep (" << u_.name << "): no progress at cycle " << cyc << "\n";
        r.ok = false;
        break;
      }
      SerialIn in;
      const bool model_ready = ad.pe().ready();
      if (next < gs.size() && model_ready) {
        if (idle > 0) {
          --idle;
        } else {
          in.load = true;
          in.g = gs[next];
          if (++next < gs.size()) idle = gs[next].idle;
        }
      }
      if (!ls.step(in)) {
        err << ls.mismatch()->report;
        if (!inflight.empty()) err << "  the result due is the dot product of:\n" << dot_text(inflight.front());
        r.ok = false;
        break;
      }
      const SerialOut& mo = ad.last();
      // Cycles per weight: ready comes back exactly C cycles after a load.
      if (waiting_ready && model_ready) {
        if (cyc - last_load != uint64_t(C)) {
          err << "cycles per weight: " << (cyc - last_load) << ", want " << C << " at cycle " << cyc << "\n";
          r.ok = false;
        }
        waiting_ready = false;
      }
      if (r.ok && mo.valid) check_result(r, err, inflight, mo, cyc, fa, fw, C);
      if (in.load) {
        if (in.g.first) open = Dot{};
        open.groups.push_back(&gs[next - 1]);
        open.last_load = cyc;
        if (in.g.last) inflight.push_back(open);
        last_load = cyc;
        waiting_ready = true;
        ++r.groups;
      }
      ++cyc;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.cycles = cyc;
    r.what = err.str();
    return r;
  }

  // The C++ model alone on the same schedule (for the throughput comparison); `schedule` (if given)
  // receives every cycle's inputs.
  Report run_model(const std::vector<Group>& gs, std::vector<SerialIn>* schedule = nullptr) {
    Report r;
    Env env;
    BitSerialPe pe(cfg_, env);
    const auto t0 = std::chrono::steady_clock::now();
    size_t next = 0;
    int idle = gs.empty() ? 0 : gs[0].idle;
    uint64_t sink = 0;
    while (next < gs.size() || !pe.ready() || r.dots < want_dots(gs)) {
      SerialInputs in;
      if (next < gs.size() && pe.ready()) {
        if (idle > 0) {
          --idle;
        } else {
          fill(in, gs[next]);
          if (schedule) schedule->push_back(SerialIn{true, gs[next]});
          if (++next < gs.size()) idle = gs[next].idle;
        }
      }
      if (schedule && !in.load) schedule->push_back(SerialIn{});
      const SerialOutputs o = pe.step(in);
      if (o.valid) ++r.dots, sink += o.code;
      ++r.cycles;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.groups = gs.size() + (sink & 0);
    return r;
  }

  // The verilated top alone clocked through a schedule (no model, no checks): results counted.
  Report run_rtl(const std::vector<SerialIn>& schedule) {
    Report r;
    BitSerialAdapter<V> ad(u_, 0);
    VerilatedContext ctx;
    V top(&ctx);
    ad.drive(top, SerialIn{});
    top.rst_n = 0;
    top.clk = 0;
    top.eval();
    top.clk = 1;
    top.eval();
    top.rst_n = 1;
    const auto t0 = std::chrono::steady_clock::now();
    for (const SerialIn& in : schedule) {
      ad.drive(top, in);
      top.clk = 0;
      top.eval();
      r.dots += top.out_valid;
      top.clk = 1;
      top.eval();
      ++r.cycles;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    top.final();
    return r;
  }

  const BitSerialConfig& config() const { return cfg_; }

 private:
  // A dot product in flight: its groups and the cycle of its last load.
  struct Dot {
    std::vector<const Group*> groups;
    uint64_t last_load = 0;
  };

  static uint64_t want_dots(const std::vector<Group>& gs) {
    return uint64_t(std::count_if(gs.begin(), gs.end(), [](const Group& g) { return g.last; }));
  }

  std::string dot_text(const Dot& d) const {
    std::string s;
    for (const Group* g : d.groups) s += "    " + group_text(*g, u_.fp, u_.f16, u_.e2m3) + "\n";
    return s;
  }

  // A result (the model's, equal to the RTL's): against the core's dot() and an exact sum written
  // here, and its latency.
  void check_result(Report& r, std::ostringstream& err, std::deque<Dot>& inflight, const SerialOut& mo, uint64_t cyc,
                    const Format& fa, const Format& fw, int C) {
    if (inflight.empty()) {
      err << "a result with no dot product in flight at cycle " << cyc << "\n";
      r.ok = false;
      return;
    }
    const Dot d = inflight.front();
    inflight.pop_front();
    std::vector<uint64_t> va, vw;
    int64_t exact = 0;
    uint64_t c = 0;
    bool has_c = false, nan = false, all_neg_zero = true, any = false, pinf = false, ninf = false, invalid = false;
    for (const Group* gp : d.groups) {
      for (int l = 0; l < std::min(gp->count, kLanes); ++l) {
        va.push_back(gp->a[l]);
        vw.push_back(gp->w[l]);
        if (u_.f16) {  // float16 x int4 (E2M3): units of 2^-24 (2^-27); IEEE classes
          const uint64_t a = gp->a[l];
          const int64_t w = u_.e2m3 ? e2m3_units(gp->w[l]) : sext(gp->w[l], 4);
          const bool neg = ((a >> 15) & 1) != (u_.e2m3 ? ((gp->w[l] >> 5) & 1) != 0 : w < 0);
          any = true;
          if (f16_nan(a)) {
            nan = true;
            invalid |= (a & 0x200) == 0;  // signalling
          } else if (f16_special(a)) {
            if (w == 0) nan = invalid = true;  // inf x 0
            else (neg ? ninf : pinf) = true;
          } else {
            const int64_t p = f16_units(a) * w;
            exact += p;
            if (p != 0 || !neg) all_neg_zero = false;
          }
        } else if (u_.fp) {
          nan = nan || e4m3_nan(gp->a[l]);
          any = true;
          const int64_t p = e4m3_units(gp->a[l]) * e2m1_units(gp->w[l]);
          exact += p;
          if (p != 0 || (((gp->a[l] >> 7) ^ (gp->w[l] >> 3)) & 1) == 0) all_neg_zero = false;
        } else {
          exact += sext(gp->a[l], 8) * sext(gp->w[l], 4);
        }
      }
      if (gp->first) c = gp->c, has_c = gp->has_c;
    }
    uint64_t want_code = 0;
    unsigned want_flags = 0;
    if (u_.f16) {  // float32(exact x 2^-24): one rounding, then exact scaling (the result is >= 2^-24)
      const float f = std::ldexp(float(exact), u_.e2m3 ? -27 : -24);
      uint32_t c32;
      std::memcpy(&c32, &f, 4);
      const bool is_nan = nan || (pinf && ninf);
      want_code = is_nan ? 0x7fc00000u : pinf ? 0x7f800000u : ninf ? 0xff800000u
                : exact == 0 ? (any && all_neg_zero ? 0x80000000u : 0u) : c32;
      want_flags = invalid || (pinf && ninf) ? 16u : !is_nan && !pinf && !ninf && int64_t(float(exact)) != exact ? 1u : 0u;
    } else if (u_.fp) {  // float32(exact x 2^-10): one rounding (int64 -> float is correctly rounded), then exact scaling
      const float f = std::ldexp(float(exact), -10);
      uint32_t c32;
      std::memcpy(&c32, &f, 4);
      want_code = nan ? 0x7fc00000u : exact == 0 ? (any && all_neg_zero ? 0x80000000u : 0u) : c32;
      want_flags = !nan && double(float(exact)) != double(exact) ? 1u : 0u;
    } else {
      if (has_c) exact += sext(c, 32);
      const bool clamp = exact > INT32_MAX || exact < INT32_MIN;
      // Out of range (emu/round_int.cpp): ieee clamps + invalid, saturate clamps + overflow|inexact,
      // wrap keeps the low 32 bits + overflow|inexact.
      want_code = uint64_t(ovf_ == OverflowPolicy::Wrap ? exact : std::clamp<int64_t>(exact, INT32_MIN, INT32_MAX)) &
                  0xFFFFFFFFu;
      want_flags = !clamp ? 0u : ovf_ == OverflowPolicy::Ieee ? 16u : 5u;
    }
    Env e;
    e.overflow = ovf_;
    const uint64_t core = dot(cfg_.accum, fa, va, fw, vw, c, has_c, e);
    if (mo.code != want_code || mo.flags != want_flags || core != mo.code || e.flags != mo.flags) {
      err << "at cycle " << cyc << " the model gives " << decode_out(mo.code, mo.flags, u_.fp) << ", dot() "
          << decode_out(core, e.flags, u_.fp) << ", the oracle " << decode_out(want_code, want_flags, u_.fp)
          << " (exact sum " << exact << ") for\n" << dot_text(d);
      r.ok = false;
    }
    if (cyc - d.last_load != uint64_t(C)) {
      err << "latency: the result left " << (cyc - d.last_load) << " cycles after the last load, want " << C
          << " at cycle " << cyc << "\n";
      r.ok = false;
    }
    ++r.dots;
    r.inexact += (mo.flags & 1) != 0;
    r.clamped += (mo.flags & 20) != 0;  // invalid (ieee) or overflow
    r.nans += u_.fp && mo.code == 0x7fc00000u;
    r.infs += u_.fp && (mo.code & 0x7fffffffu) == 0x7f800000u;
    r.invalid += (mo.flags & 16) != 0;
    r.neg_zeros += u_.fp && mo.code == 0x80000000u;
  }

  Unit u_;
  OverflowPolicy ovf_;
  BitSerialConfig cfg_;
};

// Every (activation, weight) code pair on one lane: once with lane 0 active and garbage in the gated
// lanes (count = 1), once on lane i % 4 with zero activations beside it (count = 4).
std::vector<Group> exhaustive_pairs() {
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

uint64_t i32(int64_t v) { return uint64_t(v) & 0xFFFFFFFFu; }

// Directed corners: the largest group sums of either sign, the addend at the int32 limits (clamped
// results raise invalid), a dot product that leaves the int32 range and comes back (exact
// accumulation: no flag), empty and partial groups, idle cycles.
std::vector<Group> directed() {
  std::vector<Group> gs;
  auto group = [](int a, int w, bool first, bool last, int count = kLanes) {
    Group g;
    for (int l = 0; l < kLanes; ++l) g.a[l] = uint64_t(a) & 0xFF, g.w[l] = uint64_t(w) & 0xF;
    g.first = first, g.last = last, g.count = count;
    return g;
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
  gs.push_back(group(5, 3, true, true, 0));   // an empty group: 0
  g = group(5, 3, true, true, 0);             // an empty group with an addend: the addend
  g.has_c = true, g.c = i32(-77);
  gs.push_back(g);
  for (int n = 0; n <= kLanes; ++n) gs.push_back(group(-3, -5, true, true, n));
  g = group(100, -7, true, true);
  g.idle = 3;
  gs.push_back(g);
  // A long dot product: 300 groups of the largest positive group sum.
  for (int k = 0; k < 300; ++k) gs.push_back(group(-128, -8, k == 0, k == 299));
  return gs;
}

// Floating-point corners (E4M3 x E2M1): the largest products over 300 groups and then the smallest
// (rounded), ties to even both ways at 2^25 + 2 and 2^25 + 6 units of 2^-10, -0 products (-0 x w,
// +0 x -0, every product -0 or not, an empty group after -0 products), cancellation to +0, NaN on an active and on a gated lane,
// subnormal activations, an empty group.
std::vector<Group> directed_fp() {
  std::vector<Group> gs;
  auto group = [](uint64_t a, uint64_t w, bool first, bool last, int count = kLanes) {
    Group g;
    for (int l = 0; l < kLanes; ++l) g.a[l] = a, g.w[l] = w;
    g.first = first, g.last = last, g.count = count;
    return g;
  };
  for (uint64_t a : {0x00, 0x80, 0x01, 0x07, 0x08, 0x7E, 0xFE, 0x38})
    for (uint64_t w : {0x0, 0x8, 0x1, 0x7, 0xF, 0x2}) gs.push_back(group(a, w, true, true));
  for (int k = 0; k < 300; ++k) gs.push_back(group(0x7E, 0x7, k == 0, false));  // 448 x 6
  gs.push_back(group(0x01, 0x1, false, true, 1));                                // + 2^-10
  for (uint64_t tail : {0x01, 0x03}) {                                           // 2^25 + 2 / + 6 units
    for (int k = 0; k < 8; ++k) gs.push_back(group(0x78, 0x6, k == 0, false));  // 256 x 4
    gs.push_back(group(tail, 0x2, false, true, 1));
  }
  Group g = group(0x80, 0x3, true, true);  // every product -0
  g.a[1] = 0x00, g.w[1] = 0x8;
  gs.push_back(g);
  g.last = false;  // ... and an empty group after it: still -0
  gs.push_back(g);
  g.first = false, g.last = true, g.count = 0;
  gs.push_back(g);
  g.first = true, g.count = kLanes;
  g.a[2] = 0x00, g.w[2] = 0x0;  // one +0 product: +0
  gs.push_back(g);
  g = group(0x40, 0x3, true, true);  // 4 x 1.5 - 4 x 1.5: +0
  g.w[1] = 0xB;
  g.count = 2;
  gs.push_back(g);
  g = group(0x30, 0x5, true, true);
  g.a[2] = 0x7F;  // NaN on an active lane
  gs.push_back(g);
  g.count = 2;  // ... and gated off
  gs.push_back(g);
  g.a[1] = 0xFF;
  gs.push_back(g);
  gs.push_back(group(0x05, 0x9, true, true, 0));  // an empty group
  g = group(0x05, 0x9, true, false);
  g.idle = 2;
  gs.push_back(g);
  gs.push_back(group(0x06, 0xC, false, true, 3));
  return gs;
}

// Seeded-random dot products: 1..max_groups groups, a partial last group now and then, an addend
// half of the time (sometimes near the int32 limits; fp: none, NaN activations thinned to one code
// in 2,500, a third of the groups near the largest products so that sums need rounding), occasional
// idle cycles.
std::vector<Group> random_dots(uint64_t seed, int dots, int max_groups, bool fp = false) {
  std::mt19937_64 rng(seed);
  std::vector<Group> gs;
  for (int d = 0; d < dots; ++d) {
    const int n = 1 + int(rng() % uint64_t(max_groups));
    for (int k = 0; k < n; ++k) {
      Group g;
      for (int l = 0; l < kLanes; ++l) {
        g.a[l] = rng() & 0xFF, g.w[l] = rng() & 0xF;
        while (fp && e4m3_nan(g.a[l]) && rng() % 10 != 0) g.a[l] = rng() & 0xFF;
      }
      // fp: a third of the groups near the largest products (448 x 6, one sign per dot product) and
      // tiny activations beside them, so that sums pass 2^24 units of 2^-10 with low bits to round.
      if (fp && rng() % 3 == 0)
        for (int l = 0; l < kLanes; ++l) g.a[l] = 0x70 + rng() % 15 + (d & 1 ? 0x80 : 0), g.w[l] = 0x6 + (rng() & 1);
      else if (fp)
        for (int l = 0; l < kLanes; ++l)
          if (rng() % 2) g.a[l] = rng() & 0x8F;
      g.first = k == 0;
      g.last = k == n - 1;
      if (g.last && rng() % 4 == 0) g.count = int(rng() % (kLanes + 1));
      if (!fp && g.first && rng() % 2) {
        g.has_c = true;
        const uint64_t pick = rng() % 4;
        g.c = pick == 0 ? i32(INT32_MAX - int64_t(rng() % 20000)) : pick == 1 ? i32(INT32_MIN + int64_t(rng() % 20000))
                                                                             : rng() & 0xFFFFFFFFu;
      }
      if (rng() % 8 == 0) g.idle = int(rng() % 4);
      gs.push_back(g);
    }
  }
  return gs;
}

// float16 x int4: every float16 code on every lane position (four consecutive codes per group,
// rotated by two lanes in the second pass) against random int4 weights (0 included: inf x 0), and
// every code alone on lane 0 against weight code % 16 (the product alone).
std::vector<Group> f16_codes(uint64_t wmask = 0xF) {
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

// float16 x int4 corners: zeros, subnormals, the smallest normal, 1, +-65504, +-inf, qNaN, sNaN
// against weights 0, 1, 7, -8, -1; 300 groups of 4 x 65504 x -8 and then 2^-24 (rounded); +inf and
// -inf in different groups (NaN, invalid); inf beside finite groups; inf x 0 on a gated lane (not
// counted) and on an active one (NaN, invalid); a qNaN beside +inf and -inf; a signalling NaN
// (invalid); every product -0; cancellation to +0; an empty group; float32 ties 1 + 2^-24 (to even,
// down) and 1 + 3 x 2^-24 (up).
std::vector<Group> directed_f16() {
  std::vector<Group> gs;
  auto group = [](uint64_t a, uint64_t w, bool first, bool last, int count = kLanes) {
    Group g;
    for (int l = 0; l < kLanes; ++l) g.a[l] = a, g.w[l] = w;
    g.first = first, g.last = last, g.count = count;
    return g;
  };
  for (uint64_t a : {0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x3c00, 0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7c01})
    for (uint64_t w : {0x0, 0x1, 0x7, 0x8, 0xF}) gs.push_back(group(a, w, true, true));
  for (int k = 0; k < 300; ++k) gs.push_back(group(0x7bff, 0x8, k == 0, false));
  gs.push_back(group(0x0001, 0x1, false, true, 1));
  gs.push_back(group(0x7c00, 0x1, true, false, 1));  // +inf
  gs.push_back(group(0x7c00, 0xF, false, true, 1));  // then -inf: NaN, invalid
  gs.push_back(group(0x7c00, 0x3, true, false, 1));  // +inf
  gs.push_back(group(0x3c00, 0x7, false, true));     // and a finite group: +inf
  Group g = group(0x3c00, 0x2, true, true, 2);
  g.a[3] = 0x7c00, g.w[3] = 0;  // inf x 0 on a gated lane
  gs.push_back(g);
  g.count = 4;  // ... and active: NaN, invalid
  gs.push_back(g);
  g = group(0x7c00, 0x1, true, true);
  g.w[1] = 0xF, g.a[2] = 0x7e00;  // +inf, -inf and a qNaN
  gs.push_back(g);
  g = group(0x3c00, 0x1, true, true);
  g.a[1] = 0x7d00;  // a signalling NaN
  gs.push_back(g);
  g = group(0x8000, 0x3, true, true);
  g.a[1] = 0x0000, g.w[1] = 0xF;  // every product -0
  gs.push_back(g);
  g = group(0x3c00, 0x1, true, true, 2);
  g.w[1] = 0xF;  // 1 - 1 = +0
  gs.push_back(g);
  gs.push_back(group(0x3c00, 0x1, true, true, 0));  // an empty group
  for (uint64_t tail : {0x0001, 0x0003}) {
    g = group(0x3c00, 0x1, true, true, 2);
    g.a[1] = tail;
    gs.push_back(g);
  }
  return gs;
}

// float16 x E2M3 corners: the float16 corners against E2M3 weights 0, -0, the smallest subnormal
// 0.125, 1, -7.5 (the largest, 4 terms), 300 groups of 4 x 65504 x 7.5 then 2^-24 x 0.125 (rounded),
// inf x -0 (NaN, invalid), every product -0 (-0 weights), the float32 ties 1 + 2^-24 and 1 + 3 x 2^-24.
std::vector<Group> directed_f16_e2m3() {
  std::vector<Group> gs;
  auto group = [](uint64_t a, uint64_t w, bool first, bool last, int count = kLanes) {
    Group g;
    for (int l = 0; l < kLanes; ++l) g.a[l] = a, g.w[l] = w;
    g.first = first, g.last = last, g.count = count;
    return g;
  };
  for (uint64_t a : {0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x3c00, 0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7c01})
    for (uint64_t w : {0x00, 0x20, 0x01, 0x08, 0x3F}) gs.push_back(group(a, w, true, true));
  for (int k = 0; k < 300; ++k) gs.push_back(group(0x7bff, 0x1F, k == 0, false));
  gs.push_back(group(0x0001, 0x01, false, true, 1));
  Group g = group(0x3c00, 0x08, true, true);
  g.a[2] = 0xfc00, g.w[2] = 0x20;  // -inf x -0
  gs.push_back(g);
  g = group(0x3c00, 0x20, true, true);  // 1 x -0: every product -0
  gs.push_back(g);
  for (uint64_t tail : {0x0001, 0x0003}) {  // 1 + tail x 2^-24 (weights 1)
    g = group(0x3c00, 0x08, true, true, 2);
    g.a[1] = tail;
    gs.push_back(g);
  }
  return gs;
}

// Seeded-random float16 x int4 dot products: 1..max_groups groups, any code (inf and NaN thinned to
// one in ten), a third of the groups with large magnitudes beside tiny ones so that sums round, a
// partial last group now and then, idle cycles.
std::vector<Group> random_dots_f16(uint64_t seed, int dots, int max_groups, uint64_t wmask = 0xF) {
  std::mt19937_64 rng(seed);
  std::vector<Group> gs;
  for (int d = 0; d < dots; ++d) {
    const int n = 1 + int(rng() % uint64_t(max_groups));
    for (int k = 0; k < n; ++k) {
      Group g;
      const bool wide = rng() % 3 == 0;
      for (int l = 0; l < kLanes; ++l) {
        g.a[l] = rng() & 0xFFFF, g.w[l] = rng() & wmask;
        while (f16_special(g.a[l]) && rng() % 10 != 0) g.a[l] = rng() & 0xFFFF;
        if (wide) g.a[l] = (g.a[l] & 0x83FF) | (l % 2 ? uint64_t(24 + rng() % 6) << 10 : uint64_t(rng() % 4) << 10);
      }
      g.first = k == 0;
      g.last = k == n - 1;
      if (g.last && rng() % 4 == 0) g.count = int(rng() % (kLanes + 1));
      if (rng() % 8 == 0) g.idle = int(rng() % 4);
      gs.push_back(g);
    }
  }
  return gs;
}

template <class V>
void check_config(const Unit& u, int faults) {
  Lockstep<V> ls(u);
  CHECK(cycles_per_weight(ls.config()) == u.cycles);
  const uint64_t wmask = (uint64_t(1) << u.w_bits) - 1;
  const std::vector<Group> ex = u.f16 ? f16_codes(wmask) : exhaustive_pairs(),
                           dir = u.e2m3 ? directed_f16_e2m3() : u.f16 ? directed_f16() : u.fp ? directed_fp() : directed(),
                           rnd = u.f16 ? random_dots_f16(21, 3000, 12, wmask)
                                       : random_dots(uint64_t(u.cycles * 1000 + u.fp), 3000, 12, u.fp);
  for (const auto* gs : {&ex, &dir, &rnd}) {
    const Report r = ls.run(*gs);
    INFO(r.what);
    CHECK(r.ok);
    MESSAGE(std::string(u.name) << ": " << r.dots << " dot products, " << r.groups << " groups, " << r.cycles
                   << " cycles in lockstep, " << r.cycles / r.seconds << " cycles/s; results inexact " << r.inexact
                   << ", clamped " << r.clamped << ", NaN " << r.nans << ", -0 " << r.neg_zeros << ", inf " << r.infs
                   << ", invalid " << r.invalid);
  }
  // Every fault is caught (on the random stimulus; E4M3: the corners, which hold the rounding cases),
  // with the report and a trace.
  for (int fault = 1; fault <= faults; ++fault) {
    const Report r = ls.run(u.fp && !u.f16 ? dir : rnd, fault);
    CHECK_FALSE(r.ok);
    CHECK(r.what.find("lockstep mismatch") != std::string::npos);
    CHECK(r.what.find(".fst") != std::string::npos);
    MESSAGE(r.what);
  }
}

}  // namespace

TEST_CASE("lockstep bitserial: bit planes (1 bit/cycle), int8 x int4, 4 lanes, exact int32") {
  check_config<Vbitserial_pe_int>(kBitPlane, 3);
}

// The gate-level netlist yosys 0.23 makes of the bit-plane PE (rtl/synth/synth.py --netlist
// bitserial_int8_int4_bitplane: the NAND/NOR/NOT + DFF netlist whose area yosys_area.toml holds),
// verilated, through the same stimulus and checks: synthesis kept the function.
#if BITEXACT_NETLIST_SIM
TEST_CASE("lockstep bitserial gate netlist (yosys): bit planes, int8 x int4, every pair, corners, random dot products") {
  check_config<Vnet_bitserial_int8_int4>(kBitPlane, 0);
}
#endif

TEST_CASE("lockstep bitserial: radix-4 Booth (2 bits/cycle), int8 x int4, 4 lanes, exact int32") {
  check_config<Vbitserial_pe_int>(kBooth, 3);
}

TEST_CASE("lockstep bitserial: int32 out of range under saturate and wrap (OVERFLOW 1, 2), both encodings") {
  // The corners and the random dot products (addends near the int32 limits) against BitSerialPe
  // built with Env::overflow = Saturate / Wrap.
  for (const Unit* u : {&kBitPlane, &kBooth})
    for (OverflowPolicy p : {OverflowPolicy::Saturate, OverflowPolicy::Wrap}) {
      Lockstep<Vbitserial_pe_int> ls(*u, p);
      for (const std::vector<Group>& gs : {directed(), random_dots(uint64_t(u->cycles * 1000 + 7), 2000, 12)}) {
        const Report r = ls.run(gs);
        INFO(r.what);
        CHECK(r.ok);
        CHECK(r.clamped > 0);
        MESSAGE(std::string(u->name) << " overflow=" << int(p) << ": " << r.dots << " dot products, " << r.clamped
                                     << " out of range");
      }
    }
}

TEST_CASE("lockstep bitserial: E4M3 x E2M1 terms (2 terms/weight), 4 lanes, exact float32") {
  check_config<Vbitserial_pe_fp>(kFp, 1);
}

TEST_CASE("lockstep bitserial: float16 x int4 bit planes (IEEE inf / NaN), 4 lanes, exact float32") {
  check_config<Vbitserial_pe_fp>(kFp16, 1);
}

TEST_CASE("lockstep bitserial: float16 x E2M3 (float6_e2m3fn) terms (4 terms/weight), 4 lanes, exact float32") {
  check_config<Vbitserial_pe_fp>(kFp16E2m3, 0);  // the datapaths of kFp (terms) and kFp16 (IEEE float16) carry FAULT 1
}

// Throughput of each datapath on 10,000 random dot products: lockstep through the harness with every
// check, the verilated top alone on the same schedule, the C++ model alone.
template <class V>
void throughput(const Unit& u) {
  Lockstep<V> ls(u);
  const std::vector<Group> rnd = random_dots(99, 10000, 12, u.fp);
  const Report r = ls.run(rnd);
  CHECK(r.ok);
  std::vector<SerialIn> schedule;
  const Report m = ls.run_model(rnd, &schedule);
  CHECK(m.dots == r.dots);
  const Report v = ls.run_rtl(schedule);
  CHECK(v.dots == r.dots);
  MESSAGE(std::string(u.name) << ": " << m.cycles << " cycles; lockstep (RTL + model + checks) " << r.cycles / r.seconds
                              << " cycles/s, RTL alone " << v.cycles / v.seconds << " cycles/s, C++ model alone "
                              << m.cycles / m.seconds << " cycles/s");
}

TEST_CASE("lockstep bitserial: throughput with checking vs the RTL and the C++ model alone") {
  throughput<Vbitserial_pe_int>(kBitPlane);
  throughput<Vbitserial_pe_int>(kBooth);
  throughput<Vbitserial_pe_fp>(kFp);
}
