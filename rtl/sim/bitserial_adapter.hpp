// Lockstep glue for the bit-serial PE (rtl/units/bitserial): the ports of a verilated
// bitserial_pe_faults / bitserial_pe_fp_faults (or a netlist of bitserial_pe) against
// hw::BitSerialPe with the same configuration, and the stimulus unit (one weight group). Shared by
// tests/rtl/test_lockstep_bitserial.cpp and tools/bench/bench_lockstep.cpp.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/bitserial/pe.hpp"
#include "rtl/sim/lockstep.hpp"

namespace bitexact::rtl::bitserial {

using hw::BitSerialConfig;
using hw::BitSerialPe;
using hw::SerialInputs;
using hw::SerialOutputs;
using hw::parse_bitserial_config;

constexpr int kLanes = 4;

// One weight group as the stimulus gives it; idle = cycles to wait (load low) before loading it.
struct Group {
  uint64_t a[kLanes] = {}, w[kLanes] = {};
  int count = kLanes;
  bool first = true, last = true, has_c = false;
  uint64_t c = 0;
  int idle = 0;
};

inline int64_t sext(uint64_t code, int bits) { return int64_t(code << (64 - bits)) >> (64 - bits); }

inline std::string flag_letters(unsigned f) {  // TestFloat's letters: v invalid, o overflow, x inexact
  std::string s;
  if (f & 16) s += 'v';
  if (f & 8) s += 'i';
  if (f & 4) s += 'o';
  if (f & 2) s += 'u';
  if (f & 1) s += 'x';
  return s.empty() ? "-" : s;
}

// The floating-point configuration's operands as integers: an E4M3 code in units of 2^-9 (its
// smallest subnormal), an E2M1 code in units of 2^-1; products then count units of 2^-10.
inline bool e4m3_nan(uint64_t c) { return (c & 0x7F) == 0x7F; }
inline int64_t e4m3_units(uint64_t c) {
  const int e = int(c >> 3 & 15), m = int(c & 7);
  const int64_t u = e == 0 ? m : int64_t(8 + m) << (e - 1);
  return c & 0x80 ? -u : u;
}
inline int64_t e2m1_units(uint64_t c) {
  const int e = int(c >> 1 & 3), m = int(c & 1);
  const int64_t u = e == 0 ? m : int64_t(2 + m) << (e - 1);
  return c & 0x8 ? -u : u;
}

// A float16 code in units of 2^-24 (its smallest subnormal); inf / NaN: 0 (the caller classifies).
inline bool f16_special(uint64_t c) { return (c >> 10 & 31) == 31; }
inline bool f16_nan(uint64_t c) { return f16_special(c) && (c & 1023) != 0; }
inline int64_t f16_units(uint64_t c) {
  const int e = int(c >> 10 & 31), m = int(c & 1023);
  if (e == 31) return 0;
  const int64_t u = e == 0 ? m : int64_t(1024 + m) << (e - 1);
  return c & 0x8000 ? -u : u;
}

// bfloat16: an all-ones exponent is inf (mantissa 0) or NaN (signalling: mantissa MSB 0).
inline bool bf16_special(uint64_t c) { return (c >> 7 & 255) == 255; }
inline bool bf16_nan(uint64_t c) { return bf16_special(c) && (c & 127) != 0; }
inline double bf16_value(uint64_t c) {  // finite codes
  const int e = int(c >> 7 & 255), m = int(c & 127);
  const double v = e == 0 ? std::ldexp(double(m), -133) : std::ldexp(double(128 + m), e - 134);
  return c & 0x8000 ? -v : v;
}

// A float6_e2m3fn code in units of 2^-3 (its smallest subnormal), signed.
inline int64_t e2m3_units(uint64_t c) {
  const int e = int(c >> 3 & 3), m = int(c & 7);
  const int64_t u = e == 0 ? m : int64_t(8 + m) << (e - 1);
  return c & 0x20 ? -u : u;
}

// bitmod_fp4_er_pos (formats/catalog.toml: BitMoD's FP4 with the extra value 10 in the -0 code),
// written here from the codebook, not read from the core.
inline int64_t bitmod_fp4_er_pos_value(uint64_t c) {
  static constexpr int8_t v[16] = {0, 1, 2, 3, 4, 6, 8, 12, 10, -1, -2, -3, -4, -6, -8, -12};
  return v[c & 15];
}

inline std::string decode_out(uint64_t code, unsigned flags, bool fp) {
  char b[96];
  if (fp) {
    float f;
    const uint32_t c32 = uint32_t(code);
    std::memcpy(&f, &c32, 4);
    std::snprintf(b, sizeof b, "0x%08llx (%.9g) flags %s", (unsigned long long)code, double(f), flag_letters(flags).c_str());
  } else {
    std::snprintf(b, sizeof b, "0x%08llx (%lld) flags %s", (unsigned long long)code, (long long)sext(code, 32),
                  flag_letters(flags).c_str());
  }
  return b;
}

// f16: float16 activations x int4 weights (fp is then true too), or x E2M3 weights (e2m3), or x
// bitmod_fp4_er_pos (bitmod); bf16 (with f16): bfloat16 activations.
inline std::string group_text(const Group& g, bool fp, bool f16 = false, bool e2m3 = false, bool bitmod = false,
                              bool bf16 = false) {
  std::ostringstream o;
  o << "count=" << g.count << " a=[";
  for (int l = 0; l < kLanes; ++l) {
    o << (l ? "," : "");
    if (bf16) {
      const uint64_t c = g.a[l];
      if (bf16_nan(c)) o << ((c & 0x40) ? "qnan" : "snan");
      else if (bf16_special(c)) o << ((c & 0x8000) ? "-inf" : "inf");
      else o << bf16_value(c);
      continue;
    }
    if (f16) {
      const uint64_t c = g.a[l];
      if (f16_nan(c)) o << ((c & 0x200) ? "qnan" : "snan");
      else if (f16_special(c)) o << ((c & 0x8000) ? "-inf" : "inf");
      else o << ((c & 0x8000) ? "-" : "") << std::ldexp(double(std::llabs(f16_units(c))), -24);
      continue;
    }
    if (!fp) o << sext(g.a[l], 8);
    else if (e4m3_nan(g.a[l])) o << "nan";
    else o << ((g.a[l] & 0x80) ? "-" : "") << std::ldexp(double(std::llabs(e4m3_units(g.a[l]))), -9);
  }
  o << "] w=[";
  for (int l = 0; l < kLanes; ++l) {
    o << (l ? "," : "");
    if (bitmod) o << bitmod_fp4_er_pos_value(g.w[l]);
    else if (e2m3) o << ((g.w[l] & 0x20) ? "-" : "") << std::ldexp(double(std::llabs(e2m3_units(g.w[l]))), -3);
    else if (!fp || f16) o << sext(g.w[l], 4);
    else o << ((g.w[l] & 0x8) ? "-" : "") << std::ldexp(double(std::llabs(e2m1_units(g.w[l]))), -1);
  }
  o << "]";
  if (g.first) o << " first";
  if (g.last) o << " last";
  if (g.has_c) o << " c=" << sext(g.c, 32);
  return o.str();
}

struct Report {
  bool ok = true;
  uint64_t cycles = 0, dots = 0, groups = 0;
  uint64_t inexact = 0, nans = 0, neg_zeros = 0, clamped = 0, infs = 0, invalid = 0, subnormals = 0;  // results of each kind
  double seconds = 0;
  std::string what;  // the mismatch, as printed
};

// One configuration under test: the model's spec, the PE's cycles per weight group written from the
// encodings' definitions (not from the model), and which verilated encoding serves it.
struct Unit {
  const char* name;
  const char* spec;
  int cycles;  // int4 bit planes 4, Booth ceil(4/2) = 2; E2M1 terms: popcount of 1.1b = 2
  bool fp;
  int enc;             // the int top's `enc` port (0 bit planes, 1 Booth)
  int a_bits = 8;      // the top's activation lane field
  bool f16 = false;    // float16 activations
  int sel = 0;         // the fp top's `fault` select of the good PE (its FAULT 1 variant: sel + 1)
  int w_bits = 4;      // the weight code width (the fp top's lanes are 8 bits)
  bool e2m3 = false;   // float16 x E2M3 weights (terms)
  bool bitmod = false; // float16 x bitmod_fp4_er_pos (terms of the codebook value)
  bool bf16 = false;   // bfloat16 activations (with f16: IEEE classes), int4 bit planes
};
inline const Unit kBitPlane{"bitplane", "lanes=4,act=int8,weight=int4,bits=1,accum=exact<out=int32>", 4, false, 0};
inline const Unit kBooth{"booth", "lanes=4,act=int8,weight=int4,bits=2,accum=exact<out=int32>", 2, false, 1};
inline const Unit kFp{"e4m3xe2m1", "lanes=4,act=float8_e4m3fn,weight=float4_e2m1fn,encoding=terms,accum=exact", 2, true, 0, 16};
inline const Unit kFp16{"fp16xint4", "lanes=4,act=float16,weight=int4,bits=1,encoding=bitplane,accum=exact", 4, true, 0, 16, true, 2};
inline const Unit kFp16E2m3{"fp16xe2m3", "lanes=4,act=float16,weight=float6_e2m3fn,encoding=terms,accum=exact", 4, true, 0, 16,
                            true, 4, 6, true};
inline const Unit kBf16{"bf16xint4", "lanes=4,act=bfloat16,weight=int4,bits=1,encoding=bitplane,accum=exact", 4, true, 0, 16,
                        true, 7, 4, false, false, true};
inline const Unit kFp16Bitmod{"fp16xbitmod", "lanes=4,act=float16,weight=bitmod_fp4_er_pos,encoding=terms,accum=exact", 2, true, 0,
                              16, true, 5, 4, false, true};

// One cycle's inputs (a group loaded or not) and outputs, as the shared harness records them.
struct SerialIn {
  bool load = false;
  Group g;
};
struct SerialOut {
  bool ready = false, valid = false;
  uint64_t code = 0;
  uint8_t flags = 0;
};

inline void fill(SerialInputs& in, const Group& g) {
  in.load = true;
  in.first = g.first;
  in.last = g.last;
  in.count = g.count;
  in.a = g.a;
  in.w = g.w;
  in.has_c = g.has_c;
  in.c = g.c;
}

// The glue between a verilated bitserial_pe_faults / bitserial_pe_fp_faults and BitSerialPe for
// rtl/sim/lockstep.hpp: ready, valid, and on valid code and flags must agree.
template <class TopT>
class BitSerialAdapter {
 public:
  using Top = TopT;
  using In = SerialIn;
  using Out = SerialOut;

  BitSerialAdapter(const Unit& u, int fault, OverflowPolicy ovf = OverflowPolicy::Ieee)
      : u_(u), fault_(fault), ovf_(ovf), cfg_(parse_bitserial_config(u.spec)), pe_(cfg_, env_of(ovf)) {}
  static Env env_of(OverflowPolicy ovf) {
    Env e;
    e.overflow = ovf;
    return e;
  }

  void drive(Top& t, const In& in) const {
    if constexpr (requires { t.enc; }) t.enc = uint8_t(u_.enc);
    if constexpr (requires { t.ovf; }) t.ovf = uint8_t(ovf_);  // 0 ieee, 1 saturate, 2 wrap
    if constexpr (requires { t.fault; }) t.fault = uint8_t(u_.sel + fault_);
    t.in_load = in.load;
    t.in_first = in.load && in.g.first;
    t.in_last = in.load && in.g.last;
    t.in_count = uint8_t(in.load ? in.g.count : 0);
    t.in_has_c = in.load && in.g.has_c;
    t.in_c = in.load ? uint32_t(in.g.c) : 0u;
    for (int l = 0; l < kLanes; ++l) {
      rtl::set_field(t.in_a, l, u_.a_bits, in.load ? in.g.a[l] : 0);
      rtl::set_field(t.in_w, l, u_.fp ? 8 : 4, in.load ? in.g.w[l] : 0);
    }
  }
  Out sample(const Top& t) const { return {bool(t.out_ready), bool(t.out_valid), uint64_t(t.out_code), uint8_t(t.out_flags)}; }
  Out model(const In& in) {
    SerialInputs si;
    if (in.load) fill(si, in.g);
    Out o;
    o.ready = pe_.ready();
    const SerialOutputs r = pe_.step(si);
    o.valid = r.valid, o.code = r.code, o.flags = r.flags;
    last_ = o;
    return o;
  }
  void reset_model() { pe_.reset(); }
  bool same(const Out& r, const Out& m) const {
    return r.ready == m.ready && r.valid == m.valid && (!r.valid || (r.code == m.code && r.flags == m.flags));
  }
  std::string show_in(const In& in) const { return in.load ? "load " + group_text(in.g, u_.fp, u_.f16, u_.e2m3, u_.bitmod, u_.bf16) : "no load"; }
  std::string show_out(const Out& o) const {
    return "ready=" + std::to_string(o.ready) + " valid=" + std::to_string(o.valid) +
           (o.valid ? " " + decode_out(o.code, o.flags, u_.fp) : std::string());
  }

  BitSerialPe& pe() { return pe_; }
  const Out& last() const { return last_; }  // the model's outputs of the latest cycle
  const BitSerialConfig& config() const { return cfg_; }

 private:
  Unit u_;
  int fault_;
  OverflowPolicy ovf_;
  BitSerialConfig cfg_;
  BitSerialPe pe_;
  Out last_;
};

}  // namespace bitexact::rtl::bitserial
