// Lockstep glue for the DPn array (rtl/units/mac/bitexact_mac_array.sv, integer or floating-point PEs):
// the edge ports of a verilated bitexact_mac_array(_faults) against hw::MacArray (hwmodel/mac/array.hpp) with
// the same configuration (rows x cols, systolic feed); every PE's valid, and on valid its code and
// flags, must agree every cycle.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "hwmodel/mac/array.hpp"
#include "rtl/sim/lockstep.hpp"

namespace bitexact::rtl {

inline constexpr int kArrayMax = 4;   // rows, cols at most
inline constexpr int kArrayLanes = 4;

// One cycle's edge chunks: a row's A chunk carries the control and the addends of its PEs.
struct ArrayIn {
  struct Row {
    bool valid = false, first = false, last = false, has_c = false;
    int count = -1;  // -1: all lanes
    std::array<uint64_t, kArrayLanes> a{};
    std::array<uint64_t, kArrayMax> c{};  // addend of PE (r, c), read with first when has_c
  };
  struct Col {
    bool valid = false;
    std::array<uint64_t, kArrayLanes> b{};
  };
  std::array<Row, kArrayMax> row{};
  std::array<Col, kArrayMax> col{};
};

struct ArrayOut {
  std::array<hw::DpnOutputs, kArrayMax * kArrayMax> pe{};  // row-major
};

template <class TopT>
class MacArrayAdapter {
 public:
  using Top = TopT;
  using In = ArrayIn;
  using Out = ArrayOut;

  explicit MacArrayAdapter(const hw::MacConfig& c, const Env& env = Env{})
      : cfg_(c), array_(c, env), rows_(c.rows), cols_(c.cols), lanes_(c.lanes) {}

  void drive(Top& t, const In& in) const {
    if constexpr (requires { t.fault; }) t.fault = uint8_t(fault);
    const int aw = cfg_.act.format.width(), bw = cfg_.weight.format.width(), cw = 32;
    const int cnt_w = count_width();
    for (int r = 0; r < rows_; ++r) {
      const ArrayIn::Row& x = in.row[size_t(r)];
      set_field(t.in_a_valid, r, 1, x.valid);
      set_field(t.in_a_first, r, 1, x.first);
      set_field(t.in_a_last, r, 1, x.last);
      set_field(t.in_a_count, r, cnt_w, uint64_t(x.count < 0 ? lanes_ : x.count));
      set_field(t.in_a_has_c, r, 1, x.has_c);
      for (int l = 0; l < lanes_; ++l) set_field(t.in_a, r * lanes_ + l, aw, x.a[size_t(l)]);
      for (int c = 0; c < cols_; ++c) set_field(t.in_c, r * cols_ + c, cw, x.c[size_t(c)]);
    }
    for (int c = 0; c < cols_; ++c) {
      set_field(t.in_b_valid, c, 1, in.col[size_t(c)].valid);
      for (int l = 0; l < lanes_; ++l) set_field(t.in_b, c * lanes_ + l, bw, in.col[size_t(c)].b[size_t(l)]);
    }
  }
  Out sample(const Top& t) const {
    Out o;
    for (int i = 0; i < rows_ * cols_; ++i) {
      o.pe[size_t(i)].valid = get_field(t.out_valid, i, 1);
      o.pe[size_t(i)].code = get_field(t.out_code, i, 32);
      o.pe[size_t(i)].flags = uint8_t(get_field(t.out_flags, i, 5));
    }
    return o;
  }
  Out model(const In& in) {
    std::array<hw::EdgeChunk, kArrayMax> left{}, top{};
    for (int r = 0; r < rows_; ++r) {
      const ArrayIn::Row& x = in.row[size_t(r)];
      left[size_t(r)] = hw::EdgeChunk{x.valid, x.first, x.last, x.count, x.a.data(), nullptr,
                                      x.has_c ? x.c.data() : nullptr, 0};
    }
    for (int c = 0; c < cols_; ++c)
      top[size_t(c)] = hw::EdgeChunk{in.col[size_t(c)].valid, false, false, -1, in.col[size_t(c)].b.data()};
    const auto o = array_.step(hw::ArrayInputs{std::span(left.data(), size_t(rows_)), std::span(top.data(), size_t(cols_))});
    Out r;
    for (size_t i = 0; i < o.size(); ++i) r.pe[i] = o[i];
    return r;
  }
  void reset_model() { array_.reset(); }
  bool same(const Out& a, const Out& b) const {
    for (int i = 0; i < rows_ * cols_; ++i) {
      const hw::DpnOutputs &x = a.pe[size_t(i)], &y = b.pe[size_t(i)];
      if (x.valid != y.valid || (x.valid && (x.code != y.code || x.flags != y.flags))) return false;
    }
    return true;
  }
  std::string show_in(const In& in) const {
    std::string s;
    for (int r = 0; r < rows_; ++r) {
      const ArrayIn::Row& x = in.row[size_t(r)];
      s += " A" + std::to_string(r) + (x.valid ? "" : "=-");
      if (!x.valid) continue;
      s += "[" + std::string(x.first ? "f" : "") + (x.last ? "l" : "") + " n=" + std::to_string(x.count < 0 ? lanes_ : x.count);
      for (int l = 0; l < lanes_; ++l) s += " " + operand(x.a[size_t(l)]);
      if (x.first && x.has_c)
        for (int c = 0; c < cols_; ++c) s += " c" + std::to_string(c) + "=" + result(x.c[size_t(c)]);
      s += "]";
    }
    for (int c = 0; c < cols_; ++c) {
      s += " B" + std::to_string(c) + (in.col[size_t(c)].valid ? "[" : "=-");
      if (!in.col[size_t(c)].valid) continue;
      for (int l = 0; l < lanes_; ++l) s += (l ? " " : "") + operand(in.col[size_t(c)].b[size_t(l)]);
      s += "]";
    }
    return s.substr(1);
  }
  std::string show_out(const Out& o) const {
    std::string s;
    char b[64];
    for (int i = 0; i < rows_ * cols_; ++i) {
      const hw::DpnOutputs& x = o.pe[size_t(i)];
      std::snprintf(b, sizeof b, " PE%d,%d=", i / cols_, i % cols_);
      s += b;
      if (!x.valid) {
        s += "-";
        continue;
      }
      std::snprintf(b, sizeof b, "/0x%02x", unsigned(x.flags));
      s += result(x.code) + b;
    }
    return s.substr(1);
  }

  int fault = 0;
  const hw::MacConfig& config() const { return cfg_; }

 private:
  // Integer codes as signed values (two's complement), float codes in hex; results int32 / float32.
  bool fp() const { return cfg_.act.format.is_float(); }
  std::string operand(uint64_t code) const {
    char b[32];
    if (fp()) std::snprintf(b, sizeof b, "0x%02llx", (unsigned long long)code);
    else std::snprintf(b, sizeof b, "%d", int(int8_t(code)));
    return b;
  }
  std::string result(uint64_t code) const {
    char b[32];
    if (fp()) std::snprintf(b, sizeof b, "0x%08llx", (unsigned long long)code);
    else std::snprintf(b, sizeof b, "%d", int32_t(code));
    return b;
  }
  int count_width() const {
    int w = 0;
    while ((1 << w) < lanes_ + 1) ++w;
    return w;
  }
  hw::MacConfig cfg_;
  hw::MacArray array_;
  int rows_, cols_, lanes_;
};

}  // namespace bitexact::rtl
