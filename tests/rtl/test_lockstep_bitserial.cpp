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

#include <boost/multiprecision/cpp_int.hpp>

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
#include "Vbitserial_pe_fp2.h"
#include "Vbitserial_pe_int.h"
#if BITEXACT_NETLIST_SIM
#include "Vnet_bitserial_int8_int4.h"
#endif
#include "emu/accum/dot.hpp"
#include "formats/spec.hpp"
#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/bitserial/pe.hpp"
#include "rtl/sim/bitserial_adapter.hpp"
#include "rtl/sim/bitserial_stimulus.hpp"
#include "rtl/sim/lockstep.hpp"

using namespace bitexact;
using namespace bitexact::hw;
using namespace bitexact::rtl::bitserial;

namespace {

constexpr int kTraceCycles = 64;  // the FST covers this many cycles before the mismatch

using boost::multiprecision::cpp_int;

// A bfloat16 code in units of 2^-133 (its smallest subnormal), exactly; inf / NaN: 0.
cpp_int bf16_units(uint64_t c) {
  const int e = int(c >> 7 & 255), m = int(c & 127);
  if (e == 255) return 0;
  const cpp_int u = e == 0 ? cpp_int(m) : cpp_int(128 + m) << (e - 1);
  return c & 0x8000 ? cpp_int(-u) : u;
}

// S x 2^L (S != 0) rounded to float32, nearest even, written here: subnormals, overflow to inf,
// flags inexact 1, underflow 2 (tiny after rounding and inexact), overflow 4.
void round_f32(const cpp_int& S, int L, uint32_t& code, unsigned& flags) {
  const bool neg = S < 0;
  const cpp_int m = neg ? cpp_int(-S) : S;
  const int p = int(msb(m));
  auto rne = [&m](int r, bool& inexact) {  // m / 2^r rounded to nearest even (r <= 0: exact)
    if (r <= 0) return cpp_int(m << -r);
    cpp_int q = m >> r;
    const cpp_int rem = m & ((cpp_int(1) << r) - 1), half = cpp_int(1) << (r - 1);
    inexact = rem != 0;
    if (rem > half || (rem == half && bit_test(q, 0))) ++q;
    return q;
  };
  bool inexact = false, inexact24 = false;
  const cpp_int q24 = rne(p - 23, inexact24);  // at 24 bits, unbounded exponent: tininess
  const bool tiny = p + L + (q24 == (cpp_int(1) << 24) ? 1 : 0) < -126;
  int r = std::max(p - 23, -149 - L);
  cpp_int q = rne(r, inexact);
  if (q == (cpp_int(1) << 24)) q >>= 1, ++r;
  flags = inexact ? 1u : 0u;
  if (tiny && inexact) flags |= 2u;
  const uint32_t sign = neg ? 0x80000000u : 0u;
  if (r + L == -149 && q <= (cpp_int(1) << 23)) {  // subnormal (or 2^-126 reached by rounding)
    code = sign | q.convert_to<uint32_t>();
    return;
  }
  const int biased = r + L + 23 + 127;
  if (biased >= 255) {
    code = sign | 0x7f800000u;
    flags |= 5u;
    return;
  }
  code = sign | uint32_t(biased) << 23 | (q - (cpp_int(1) << 23)).convert_to<uint32_t>();
}

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
    uint64_t last_load = 0;
    bool waiting_ready = false;
    std::ostringstream err;
    // The loads as the model accepts them (shared with the benchmark), then quiet cycles checked
    // after the last result.
    std::vector<SerialIn> sched = schedule(cfg_, gs);
    sched.resize(sched.size() + size_t(2 * C + 2));
    const auto t0 = std::chrono::steady_clock::now();
    uint64_t cyc = 0;
    for (const SerialIn& in : sched) {
      const bool model_ready = ad.pe().ready();
      if (in.load && !model_ready) {
        err << "lockstep (" << u_.name << "): the schedule loads a group while the model is busy at cycle " << cyc << "\n";
        r.ok = false;
        break;
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
        open.groups.push_back(in.g);
        open.last_load = cyc;
        if (in.g.last) inflight.push_back(open);
        last_load = cyc;
        waiting_ready = true;
        ++r.groups;
      }
      ++cyc;
      if (!r.ok) break;
    }
    if (r.ok && r.dots != want_dots(gs)) {
      err << "lockstep (" << u_.name << "): " << r.dots << " results, want " << want_dots(gs) << "\n";
      r.ok = false;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.cycles = cyc;
    r.what = err.str();
    return r;
  }

  // The C++ model alone stepping a schedule (for the throughput comparison).
  Report run_model(const std::vector<SerialIn>& sched) {
    Report r;
    BitSerialPe pe(cfg_, Env{});
    const auto t0 = std::chrono::steady_clock::now();
    for (const SerialIn& in : sched) {
      SerialInputs si;
      if (in.load) fill(si, in.g);
      r.dots += pe.step(si).valid;
      ++r.cycles;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
  }

  // The verilated top alone clocked through a schedule (no model, no checks): results counted.
  Report run_rtl(const std::vector<SerialIn>& sched) {
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
    for (const SerialIn& in : sched) {
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
    std::vector<Group> groups;
    uint64_t last_load = 0;
  };

  static uint64_t want_dots(const std::vector<Group>& gs) {
    return uint64_t(std::count_if(gs.begin(), gs.end(), [](const Group& g) { return g.last; }));
  }

  std::string dot_text(const Dot& d) const {
    std::string s;
    for (const Group& g : d.groups) s += "    " + group_text(g, u_.fp, u_.f16, u_.e2m3, u_.bitmod, u_.bf16) + "\n";
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
    cpp_int wide = 0;  // bfloat16's exact sum
    uint64_t c = 0;
    bool has_c = false, nan = false, all_neg_zero = true, any = false, pinf = false, ninf = false, invalid = false;
    for (const Group& grp : d.groups) {
      const Group* gp = &grp;
      for (int l = 0; l < std::min(gp->count, kLanes); ++l) {
        va.push_back(gp->a[l]);
        vw.push_back(gp->w[l]);
        if (u_.bf16) {  // bfloat16 x int4: units of 2^-133, beyond int64; IEEE classes
          const uint64_t a = gp->a[l];
          const int64_t w = sext(gp->w[l], 4);
          const bool neg = ((a >> 15) & 1) != (w < 0);
          any = true;
          if (bf16_nan(a)) {
            nan = true;
            invalid |= (a & 0x40) == 0;  // signalling
          } else if (bf16_special(a)) {
            if (w == 0) nan = invalid = true;  // inf x 0
            else (neg ? ninf : pinf) = true;
          } else {
            const cpp_int p = bf16_units(a) * w;
            wide += p;
            if (p != 0 || !neg) all_neg_zero = false;
          }
        } else if (u_.f16) {  // float16 x int4 (E2M3): units of 2^-24 (2^-27); IEEE classes
          const uint64_t a = gp->a[l];
          const int64_t w = u_.e2m3 ? e2m3_units(gp->w[l]) : u_.bitmod ? bitmod_fp4_er_pos_value(gp->w[l]) : sext(gp->w[l], 4);
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
    if (u_.bf16) {  // float32(wide x 2^-133), rounded here (subnormal results, overflow)
      const bool is_nan = nan || (pinf && ninf);
      uint32_t c32 = 0;
      unsigned fl = 0;
      if (!is_nan && !pinf && !ninf && wide != 0) round_f32(wide, -133, c32, fl);
      want_code = is_nan ? 0x7fc00000u : pinf ? 0x7f800000u : ninf ? 0xff800000u
                : wide == 0 ? (any && all_neg_zero ? 0x80000000u : 0u) : c32;
      want_flags = invalid || (pinf && ninf) ? 16u : is_nan || pinf || ninf ? 0u : fl;
    } else if (u_.f16) {  // float32(exact x 2^-24): one rounding, then exact scaling (the result is >= 2^-24)
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
    r.subnormals += u_.fp && (mo.code & 0x7f800000u) == 0 && (mo.code & 0x7fffffu) != 0;
  }

  Unit u_;
  OverflowPolicy ovf_;
  BitSerialConfig cfg_;
};

template <class V>
void check_config(const Unit& u, int faults) {
  Lockstep<V> ls(u);
  CHECK(cycles_per_weight(ls.config()) == u.cycles);
  const uint64_t wmask = (uint64_t(1) << u.w_bits) - 1;
  const std::vector<Group> ex = u.f16 ? f16_codes(wmask) : exhaustive_pairs(),
                           dir = u.bf16 ? directed_bf16() : u.e2m3 ? directed_f16_e2m3() : u.f16 ? directed_f16()
                               : u.fp ? directed_fp() : directed(),
                           rnd = u.bf16  ? random_dots_bf16(23, 3000, 12)
                                 : u.f16 ? random_dots_f16(21, 3000, 12, wmask)
                                         : random_dots(uint64_t(u.cycles * 1000 + u.fp), 3000, 12, u.fp);
  for (const auto* gs : {&ex, &dir, &rnd}) {
    const Report r = ls.run(*gs);
    INFO(r.what);
    CHECK(r.ok);
    MESSAGE(std::string(u.name) << ": " << r.dots << " dot products, " << r.groups << " groups, " << r.cycles
                   << " cycles in lockstep, " << r.cycles / r.seconds << " cycles/s; results inexact " << r.inexact
                   << ", clamped " << r.clamped << ", NaN " << r.nans << ", -0 " << r.neg_zeros << ", inf " << r.infs
                   << ", invalid " << r.invalid << ", subnormal " << r.subnormals);
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

TEST_CASE("lockstep bitserial: bfloat16 x int4 bit planes (288-bit exact register), 4 lanes, float32 with subnormals and overflow") {
  check_config<Vbitserial_pe_fp2>(kBf16, 1);  // its faulty copy (fault select 8) is FAULT 3: no overflow detection
}

TEST_CASE("lockstep bitserial: float16 x BitMoD codebook (bitmod_fp4_er_pos) terms (2 terms/weight), 4 lanes, exact float32") {
  check_config<Vbitserial_pe_fp2>(kFp16Bitmod, 1);  // its faulty copy (fault select 6) is FAULT 2: the extra value 10 read as 0
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
  const std::vector<SerialIn> sched = schedule(ls.config(), rnd);
  const Report m = ls.run_model(sched);
  CHECK(m.dots == r.dots);
  const Report v = ls.run_rtl(sched);
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
