// Lockstep glue for the LUT Tensor Core tile (rtl/units/lut): the ports of a verilated lut_tile /
// lut_tile_faults (or a netlist of lut_tile) against hw::LutTile with the same configuration, the
// stimulus unit (one LMMA: activations, weights, the tables and weight planes built from them) and
// the integer oracle the adapter applies as results retire. Shared by tests/rtl/test_lockstep_lut.cpp
// and tools/bench/bench_lockstep.cpp.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "emu/value_io.hpp"
#include "formats/spec.hpp"
#include "hwmodel/lut/config.hpp"
#include "hwmodel/lut/tile.hpp"
#include "rtl/sim/lockstep.hpp"

namespace bitexact::rtl {

using hw::LutAccum;
using hw::LutConfig;
using hw::LutTable;
using hw::LutTableSet;
using hw::LutTile;
using hw::LutTileInputs;
using hw::LutTileOutputs;
using hw::LutWeight;
using hw::UnitTiming;

constexpr int kMaxMN = 128;  // M x N of the largest tile an adapter carries
constexpr int kSW = 8;       // the tab_scale field width (lut_tile's SW)
constexpr int kNF = 2;       // the float tiles' columns in lut_tile_faults (its NF)

// One LMMA's stimulus.
struct LutOp {
  std::vector<int> act;         // M x K activation values (integer activations)
  std::vector<uint64_t> codes;  // M x K activation codes
  std::vector<uint64_t> w;      // K x N weight codes
  LutTableSet tables;           // from act (hw::lut_precompute_tables)
  std::vector<uint8_t> planes;  // B x N stored patterns (hw::lut_reinterpret_weights)
  std::vector<uint64_t> psum;   // M x N int32 codes, or empty
  bool chain = false;
  bool exact = false;           // every table entry equals its exact sum (the integer oracle applies)
};

// One cycle's inputs: a plain value (the harness records it) naming an op of the adapter's list.
struct LutIn {
  bool valid = false;
  uint32_t op = 0;
  uint8_t b = 0;  // the plane
};

struct LutOut {
  bool valid = false;
  uint8_t flags = 0;
  std::array<uint32_t, kMaxMN> r{};
};

// A float16 code's value, decoded here (not by the core).
// A float32 code's value.
inline double fp32_value(uint32_t c) {
  float f;
  std::memcpy(&f, &c, sizeof f);
  return double(f);
}

inline double fp16_value(uint16_t c) {
  const int e = (c >> 10) & 31, m = c & 1023;
  const double v = e == 31 ? (m ? NAN : INFINITY) : e == 0 ? std::ldexp(m, -24) : std::ldexp(1024 + m, e - 25);
  return c >> 15 ? -v : v;
}

// Field i of `width` bits (a divisor of 32, so no field straddles a word) of a packed port: a word
// operation instead of set_field's bit loop (the plane and table ports are written every cycle).
template <class Port>
inline void set_small(Port& p, int i, int width, uint32_t v) {
  if constexpr (std::is_integral_v<Port>) {
    set_field(p, i, width, v);
  } else {
    const int bit = i * width, sh = bit % 32;
    const uint32_t mask = ((uint32_t(1) << width) - 1) << sh;
    p[bit / 32] = (p[bit / 32] & ~mask) | ((v << sh) & mask);
  }
}

// 32-bit field i of a wide port (Verilator packs VlWide in 32-bit words).
template <class Port>
inline void set32(Port& p, int i, uint32_t v) {
  if constexpr (std::is_integral_v<Port>) set_field(p, i, 32, v);
  else p[i] = v;
}
template <class Port>
inline uint32_t get32(const Port& p, int i) {
  if constexpr (std::is_integral_v<Port>) return uint32_t(get_field(p, i, 32));
  else return p[i];
}

template <class TopT>
class LutAdapter {
 public:
  using Top = TopT;
  using In = LutIn;
  using Out = LutOut;

  // pre: the tile precomputes its tables from the activation codes (LutTileInputs::act; the RTL's
  // lut_tile_pre, int8 activations); fault 5 is then lut_tile_pre's PRE_FAULT 1.
  LutAdapter(const LutConfig& c, int fault = 0, bool pre = false)
      : cfg_(c), tile_(c, Env{}), fault_(fault), pre_(pre), timing_(timing(c)) {}

  void drive(Top& t, const In& in) const {
    if constexpr (requires { t.sel; }) t.sel = sel();
    if constexpr (requires { t.cfg_w_bits; }) {  // lut_tile_syn ties them by parameters
      t.cfg_w_bits = uint8_t(cfg_.w_bits);
      t.cfg_weight = uint8_t(cfg_.weight);
    }
    t.in_valid = in.valid;
    if (!in.valid) return;
    const LutOp& op = ops[in.op];
    const int M = cfg_.m, N = cfg_.n, K = cfg_.k, E = cfg_.entries();
    // K = 2, 4, 8 patterns and int8 / float16 codes divide 32 (set_small's fields).
    for (int n = 0; n < N; ++n) set_small(t.plane, n, K, op.planes[size_t(in.b) * N + n]);
    if (in.b != 0) return;  // tables and addend are read on plane 0 only
    if constexpr (requires { t.act; })
      for (int i = 0; i < M * K; ++i) set_small(t.act, i, 8, pre_ ? uint32_t(op.codes[size_t(i)] & 0xFF) : 0u);
    for (int i = 0; i < M * E; ++i) set_small(t.tab, i, tab_width(t), op.tables.code[size_t(i)]);
    for (int m = 0; m < M; ++m) set_field(t.tab_scale, m, kSW, uint64_t(int64_t(op.tables.scale_exp[size_t(m)])));
    t.psum_en = !op.psum.empty();
    t.chain = op.chain;
    for (int i = 0; i < M * N; ++i) set32(t.psum, i, op.psum.empty() ? 0 : uint32_t(op.psum[size_t(i)]));
  }
  Out sample(const Top& t) const {
    Out o;
    o.valid = t.out_valid;
    o.flags = t.out_flags;
    if (o.valid)
      for (int i = 0; i < cfg_.m * cfg_.n; ++i) o.r[size_t(i)] = get32(t.result, i);
    return o;
  }
  Out model(const In& in) {
    LutTileInputs li;
    if (in.valid) {
      const LutOp& op = ops[in.op];
      li.valid = true;
      if (pre_) li.act = op.codes.data();
      else li.tables = &op.tables;
      li.plane = &op.planes[size_t(in.b) * size_t(cfg_.n)];
      li.psum = op.psum.empty() ? nullptr : op.psum.data();
      li.chain = op.chain;
      if (in.b == 0) inflight_.push_back({in.op, tile_.cycle()});
    }
    const LutTileOutputs o = tile_.step(li);
    Out r;
    r.valid = o.valid;
    r.flags = o.flags;
    if (o.valid) {
      for (int i = 0; i < cfg_.m * cfg_.n; ++i) r.r[size_t(i)] = uint32_t(o.result[i]);
      retire(r, tile_.cycle() - 1);
    }
    return r;
  }
  int latency() const { return timing_.latency; }  // first plane -> result, planes back to back
  void reset_model() {
    tile_.reset();
    inflight_.clear();
    prev_known_ = false;
  }
  bool same(const Out& a, const Out& b) const {
    if (a.valid != b.valid) return false;
    if (!a.valid) return true;
    return a.flags == b.flags && std::equal(a.r.begin(), a.r.begin() + cfg_.m * cfg_.n, b.r.begin());
  }
  std::string show_in(const In& in) const {
    std::string s = "valid=" + std::to_string(in.valid);
    if (!in.valid) return s;
    const LutOp& op = ops[in.op];
    s += " op=" + std::to_string(in.op) + " plane=" + std::to_string(in.b) + "/" + std::to_string(cfg_.w_bits) +
         " patterns=";
    char h[8];
    for (int n = 0; n < cfg_.n; ++n) std::snprintf(h, sizeof h, "%x", unsigned(op.planes[size_t(in.b) * cfg_.n + n])), s += h;
    if (in.b != 0) return s;
    for (int m = 0; m < cfg_.m; ++m) {
      s += " a" + std::to_string(m) + "=[";
      for (int k = 0; k < cfg_.k; ++k)
        s += (k ? " " : "") + value_to_string(cfg_.act, op.codes[size_t(m * cfg_.k + k)]);
      s += "] T" + std::to_string(m) + "=[";
      for (int i = 0; i < cfg_.entries(); ++i) s += (i ? " " : "") + table_value(op.tables.code[size_t(m * cfg_.entries() + i)]);
      s += "]";
      if (cfg_.table == LutTable::Int8) s += "*2^" + std::to_string(op.tables.scale_exp[size_t(m)]);
    }
    s += op.chain ? " psum=chain" : op.psum.empty() ? " psum=none" : " psum=given";
    return s;
  }
  std::string show_out(const Out& o) const {
    std::string s = "valid=" + std::to_string(o.valid);
    if (!o.valid) return s;
    s += " flags=" + std::to_string(o.flags) + " result=[";
    const bool fp = cfg_.accum != LutAccum::Int32;
    char h[16];
    for (int i = 0; i < cfg_.m * cfg_.n; ++i) {
      s += (i ? (i % cfg_.n ? " " : " | ") : "");
      if (!fp) {
        s += std::to_string(int32_t(o.r[size_t(i)]));
        continue;
      }
      std::snprintf(h, sizeof h, "0x%08x=", unsigned(o.r[size_t(i)]));
      s += h + value_to_string(tile_.out_format(), o.r[size_t(i)]);
    }
    return s + "]";
  }

  std::vector<LutOp> ops;
  std::vector<std::array<uint32_t, kMaxMN>> kept;  // every result in operation order, when keep_results
  std::vector<uint8_t> kept_flags;                   // and its flags
  bool keep_results = false;
  // The integer oracle and the cycle law, counted as results retire (in operation order).
  std::array<uint64_t, 5> flag_count{};  // results with flag bit f (emu/env.hpp: x u o z v)
  uint64_t oracle_checked = 0, oracle_failed = 0, results = 0, flagged = 0, latency_failed = 0, interval_failed = 0;
  const LutConfig& config() const { return cfg_; }

 private:
  struct Flight { uint32_t op; uint64_t first_cycle; };
  // lut_tile_faults' select: 0..3 int8 tables into INT32 with FAULT 0..3; float tiles 4 (FP16
  // tables, FP32), 5 (int8, FP32), 6 (FP16, FP16), 7 (int8, FP16), 8 (FP16, FP16, FAULT 4); other K
  // (NF columns): 9 K=2 int8 into INT32, 10 K=8 int8 into INT32, 11 its FAULT 1, 12 K=2 FP16 into
  // FP32, 13 K=8 FP16 into FP16.
  uint8_t sel() const {
    if (pre_) {  // 14 int8 tables into INT32, 15 FP16 tables into INT32, 16 int8 tables with PRE_FAULT 1
      if (cfg_.k == 4 && cfg_.accum == LutAccum::Int32 && (fault_ == 0 || (fault_ == 5 && cfg_.table == LutTable::Int8)))
        return uint8_t(fault_ == 5 ? 16 : cfg_.table == LutTable::Int8 ? 14 : 15);
      throw std::invalid_argument("lut adapter: lut_tile_faults has no precompute tile of this configuration");
    }
    if (cfg_.k != 4) {
      const bool i32 = cfg_.accum == LutAccum::Int32 && cfg_.table == LutTable::Int8;
      if (cfg_.k == 2 && i32 && fault_ == 0) return 9;
      if (cfg_.k == 8 && i32 && (fault_ == 0 || fault_ == 1)) return uint8_t(10 + fault_);
      if (cfg_.k == 2 && cfg_.table == LutTable::Fp16 && cfg_.accum == LutAccum::Fp32 && fault_ == 0) return 12;
      if (cfg_.k == 8 && cfg_.table == LutTable::Fp16 && cfg_.accum == LutAccum::Fp16 && fault_ == 0) return 13;
      throw std::invalid_argument("lut adapter: lut_tile_faults has no tile of this K, table, accumulator and fault");
    }
    if (cfg_.accum == LutAccum::Int32) return uint8_t(fault_);
    if (fault_ == 4) return 8;
    return uint8_t((cfg_.accum == LutAccum::Fp32 ? 4 : 6) + (cfg_.table == LutTable::Int8 ? 1 : 0));
  }
  // The tab port's bits per entry: lut_tile_faults takes 16 (its int8 tiles read the low byte).
  int tab_width(const Top& t) const {
    if constexpr (requires { t.sel; }) return 16;
    return cfg_.table == LutTable::Int8 ? 8 : 16;
  }
  std::string table_value(uint16_t code) const {
    if (cfg_.table == LutTable::Int8) return std::to_string(int(int8_t(code)));
    char h[32];
    std::snprintf(h, sizeof h, "%g", fp16_value(code));
    return h;
  }
  void retire(const Out& r, uint64_t cycle) {
    if (inflight_.empty()) throw std::logic_error("lut adapter: a result with no operation in flight");
    const Flight f = inflight_.front();
    inflight_.pop_front();
    ++results;
    if (keep_results) kept.push_back(r.r), kept_flags.push_back(r.flags);
    flagged += r.flags != 0;
    for (int f = 0; f < 5; ++f) flag_count[size_t(f)] += (r.flags >> f) & 1;
    // Latency: the last plane entered at first_cycle + B - 1 at the earliest; the result comes
    // timing().latency cycles after the first plane when the planes are back to back.
    const UnitTiming& tm = timing_;
    if (cycle < f.first_cycle + uint64_t(tm.latency)) ++latency_failed;
    if (gapless_ && have_last_cycle_ && f.first_cycle == last_first_ + uint64_t(cfg_.w_bits) && cycle != last_cycle_ + uint64_t(cfg_.w_bits))
      ++interval_failed;  // back-to-back operations leave every W_BIT cycles
    if (gapless_ && cycle != f.first_cycle + uint64_t(tm.latency)) ++latency_failed;
    have_last_cycle_ = true, last_cycle_ = cycle, last_first_ = f.first_cycle;
    const LutOp& op = ops[f.op];
    const int M = cfg_.m, N = cfg_.n, K = cfg_.k;
    const bool known = op.exact && (!op.chain || prev_known_);
    if (known) {
      ++oracle_checked;
      bool ok = true;
      for (int m = 0; m < M; ++m)
        for (int n = 0; n < N; ++n) {
          int64_t v = op.chain ? int64_t(int32_t(prev_[size_t(m * N + n)]))
                               : op.psum.empty() ? 0 : int64_t(int32_t(uint32_t(op.psum[size_t(m * N + n)])));
          for (int k = 0; k < K; ++k)
            v += int64_t(op.act[size_t(m * K + k)]) * lut_weight_value(cfg_, op.w[size_t(k * N + n)]);
          const uint32_t got = r.r[size_t(m * N + n)];
          if (cfg_.accum == LutAccum::Int32) ok &= uint32_t(uint64_t(v)) == got;
          else ok &= fp32_value(got) == double(v);
        }
      if (!ok) ++oracle_failed;
    }
    prev_known_ = known;
    std::copy(r.r.begin(), r.r.end(), prev_.begin());
  }

 public:
  bool gapless_ = true;  // every op's planes back to back (the latency law holds with equality)

 private:
  LutConfig cfg_;
  LutTile tile_;
  int fault_;
  bool pre_;
  UnitTiming timing_;
  std::deque<Flight> inflight_;
  std::array<uint32_t, kMaxMN> prev_{};
  bool prev_known_ = false, have_last_cycle_ = false;
  uint64_t last_cycle_ = 0, last_first_ = 0;
};

inline LutConfig lut_cfg(int n, int w_bits, LutWeight wt, int pipeline, LutTable table = LutTable::Int8,
                  LutAccum accum = LutAccum::Int32, const char* act = "int8", int k = 4) {
  LutConfig c;
  c.m = 2, c.n = n, c.k = k, c.w_bits = w_bits, c.weight = wt, c.pipeline = pipeline;
  c.act = parse_format(act);
  c.table = table;
  c.accum = accum;
  validate(c);
  return c;
}

// Builds an op (tables, planes, exactness) from activations and weights.
inline LutOp make_op(const LutConfig& c, std::vector<int> act, std::vector<uint64_t> w, std::vector<uint64_t> psum, bool chain) {
  LutOp op;
  op.act = std::move(act);
  op.w = std::move(w);
  op.psum = std::move(psum);
  op.chain = chain;
  op.codes.resize(op.act.size());
  for (size_t i = 0; i < op.codes.size(); ++i) op.codes[i] = uint64_t(uint8_t(int8_t(op.act[i])));
  Env env;
  lut_precompute_tables(c, op.codes.data(), op.tables, env);
  op.planes.resize(size_t(c.w_bits) * size_t(c.n));
  lut_reinterpret_weights(c, op.w.data(), op.planes.data());
  // Exact iff every stored t_i * 2^e equals the entry's exact sum (computed here, not by the model);
  // the integer oracle is for the INT32 accumulator.
  // A float accumulator: exact when nothing rounds (float32 with these integer sums; no psum).
  op.exact = c.accum == LutAccum::Int32 || (c.accum == LutAccum::Fp32 && op.psum.empty() && !chain);
  for (int m = 0; m < c.m; ++m)
    for (int i = 0; i < c.entries(); ++i) {
      int64_t e = op.act[size_t(m * c.k)];
      for (int k = 1; k < c.k; ++k) e += ((i >> (k - 1)) & 1) ? op.act[size_t(m * c.k + k)] : -op.act[size_t(m * c.k + k)];
      const uint16_t code = op.tables.code[size_t(m * c.entries() + i)];
      if (c.table == LutTable::Fp16) {
        op.exact &= fp16_value(code) == double(e);
        continue;
      }
      const int64_t t = int8_t(code);
      const int s = op.tables.scale_exp[size_t(m)];
      const int64_t v = s >= 0 ? t * (int64_t(1) << s) : (t % (int64_t(1) << -s) ? INT64_MAX : t / (int64_t(1) << -s));
      op.exact &= v == e;
    }
  return op;
}

}  // namespace bitexact::rtl
