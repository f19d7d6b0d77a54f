// Lockstep glue for the DPn units (rtl/units/mac): the ports of a verilated bitexact_mac_dpn_* (or its
// yosys netlist) against hw::Dpn (hwmodel/mac/dpn.hpp) with the same configuration. Shared by
// tests/rtl/test_lockstep_mac.cpp and tools/bench/bench_lockstep.cpp.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "emu/value_io.hpp"
#include "hwmodel/mac/dpn.hpp"
#include "rtl/sim/lockstep.hpp"

namespace bitexact::rtl {

inline constexpr int kMaxLanes = 16;

struct MacIn {
  bool valid = false, first = false, last = false;
  int count = -1;  // -1: all lanes (the model's convention; the port gets LANES)
  std::array<uint16_t, kMaxLanes> a{}, b{};  // operand codes (at most 16 bits: MacConfig's limit)
  uint8_t scale_a = 127, scale_b = 127;      // MX operands: the E8M0 scales of the chunk's block (127: 1)
  bool has_c = false;
  uint64_t c = 0;
};

struct MacOut {
  bool valid = false;
  uint64_t code = 0;
  uint8_t flags = 0;
};

// Top: a verilated bitexact_mac_dpn_* with ports in_* / out_*; a_w, b_w: operand code bits.
template <class TopT>
class MacAdapter {
 public:
  using Top = TopT;
  using In = MacIn;
  using Out = MacOut;

  MacAdapter(const hw::MacConfig& c, int a_w, int b_w, const Env& env = Env{})
      : cfg_(c), dpn_(c, env), a_w_(a_w), b_w_(b_w) {}

  void drive(Top& t, const In& in) const {
    if constexpr (requires { t.fault; }) t.fault = uint8_t(fault);
    t.in_valid = in.valid;
    t.in_first = in.first;
    t.in_last = in.last;
    t.in_count = in.count < 0 ? cfg_.lanes : in.count;
    for (int l = 0; l < cfg_.lanes; ++l) {
      set_field(t.in_a, l, a_w_, in.a[size_t(l)]);
      set_field(t.in_b, l, b_w_, in.b[size_t(l)]);
    }
    if constexpr (requires { t.in_scale_a; }) {
      t.in_scale_a = in.scale_a;
      t.in_scale_b = in.scale_b;
    }
    t.in_has_c = in.has_c;
    t.in_c = std::remove_reference_t<decltype(t.in_c)>(in.c);
  }
  Out sample(const Top& t) const { return {bool(t.out_valid), uint64_t(t.out_code), uint8_t(t.out_flags)}; }
  Out model(const In& in) {
    hw::DpnInputs d;
    d.valid = in.valid;
    d.first = in.first;
    d.last = in.last;
    d.count = in.count;
    for (int l = 0; l < cfg_.lanes; ++l) {
      a64_[size_t(l)] = in.a[size_t(l)];
      b64_[size_t(l)] = in.b[size_t(l)];
    }
    d.a = a64_.data();
    d.b = b64_.data();
    scale64_[0] = in.scale_a;
    scale64_[1] = in.scale_b;
    d.scale_a = &scale64_[0];  // one scale per chunk: lanes <= the MX block (validate())
    d.scale_b = &scale64_[1];
    d.has_c = in.has_c;
    d.c = in.c;
    const hw::DpnOutputs o = dpn_.step(d);
    return {o.valid, o.code, o.flags};
  }
  void reset_model() { dpn_.reset(); }
  int latency() const { return cfg_.pipeline; }  // a result belongs to the chunk `pipeline` cycles back
  bool same(const Out& r, const Out& m) const {
    return r.valid == m.valid && (!r.valid || (r.code == m.code && r.flags == m.flags));
  }
  std::string show_in(const In& in) const {
    std::string s = "valid=" + std::to_string(in.valid);
    if (!in.valid) return s;
    s += " first=" + std::to_string(in.first) + " last=" + std::to_string(in.last) +
         " count=" + std::to_string(in.count < 0 ? cfg_.lanes : in.count) + " a=[" + codes(in.a, cfg_.act) +
         "] b=[" + codes(in.b, cfg_.weight) + "]";
    auto scale = [](uint8_t e) { return e == 0xFF ? std::string("NaN") : "2^" + std::to_string(int(e) - 127); };
    if (cfg_.act.is_block) s += " scale_a=" + scale(in.scale_a);
    if (cfg_.weight.is_block) s += " scale_b=" + scale(in.scale_b);
    if (in.first) s += in.has_c ? " c=" + value(cfg_.accum.out_format, in.c) : " c=none";
    return s;
  }
  std::string show_out(const Out& o) const {
    std::string s = "valid=" + std::to_string(o.valid);
    if (!o.valid) return s;
    char hex[32];
    std::snprintf(hex, sizeof hex, " flags=0x%02x", unsigned(o.flags));
    return s + " code=" + value(cfg_.accum.out_format, o.code) + hex;
  }

  const hw::MacConfig& config() const { return cfg_; }
  int fault = 0;  // a top with a `fault` select port (the *_faults.sv tops): which variant answers
  hw::Dpn& dpn() { return dpn_; }

 private:
  std::string codes(const std::array<uint16_t, kMaxLanes>& v, const Scheme& s) const {
    std::string r;
    for (int l = 0; l < cfg_.lanes; ++l) {  // (appending, not `" " + value`: GCC 12's LTO warns on that)
      if (l) r += ' ';
      r += value(s.is_block ? s.block.element : s.format, v[size_t(l)]);
    }
    return r;
  }
  // "0x4000 (16384)": the code and its decoded value.
  static std::string value(const Format& f, uint64_t code) {
    char hex[32];
    const int digits = std::clamp((f.width() + 3) / 4, 1, 16);
    std::snprintf(hex, sizeof hex, "0x%0*llx", digits, (unsigned long long)code);
    return std::string(hex) + " (" + value_to_string(f, code) + ")";
  }

  hw::MacConfig cfg_;
  hw::Dpn dpn_;
  int a_w_, b_w_;
  std::array<uint64_t, kMaxLanes> a64_{}, b64_{};  // the model's operand arrays
  std::array<uint64_t, 2> scale64_{};
};

}  // namespace bitexact::rtl
