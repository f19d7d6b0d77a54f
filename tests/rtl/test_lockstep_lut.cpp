// The LUT Tensor Core tile's RTL (rtl/units/lut/lut_tile.sv) in lockstep with hw::LutTile
// (hwmodel/lut/tile.hpp) through rtl/sim/lockstep.hpp: outputs and valid timing compared every
// cycle. INT8 activations, int8 tables with their power-of-two scale, INT32 accumulator, K = 4,
// W_BIT 1..4 and every weight mapping. Two verilations: M2N8K4 PIPELINE=1 wrapped with the three
// FAULT variants (lut_tile_faults.sv), and the default M2N64K4 PIPELINE=2. Besides the model, the
// results of operations whose tables are exact are checked against the exact integer dot product
// computed here.
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
#include "Vlut_m2n8.h"
#include "emu/value_io.hpp"
#include "formats/spec.hpp"
#include "hwmodel/lut/config.hpp"
#include "hwmodel/lut/tile.hpp"
#include "rtl/sim/lockstep.hpp"

using namespace bitexact;
using namespace bitexact::hw;
using namespace bitexact::rtl;

namespace {

constexpr int kMaxMN = 128;  // M x N of the largest verilated tile
constexpr int kSW = 8;       // the tab_scale field width (lut_tile's SW)

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
double fp16_value(uint16_t c) {
  const int e = (c >> 10) & 31, m = c & 1023;
  const double v = e == 31 ? (m ? NAN : INFINITY) : e == 0 ? std::ldexp(m, -24) : std::ldexp(1024 + m, e - 25);
  return c >> 15 ? -v : v;
}

// Field i of `width` bits (a divisor of 32, so no field straddles a word) of a packed port: a word
// operation instead of set_field's bit loop (the plane and table ports are written every cycle).
template <class Port>
void set_small(Port& p, int i, int width, uint32_t v) {
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
void set32(Port& p, int i, uint32_t v) {
  if constexpr (std::is_integral_v<Port>) set_field(p, i, 32, v);
  else p[i] = v;
}
template <class Port>
uint32_t get32(const Port& p, int i) {
  if constexpr (std::is_integral_v<Port>) return uint32_t(get_field(p, i, 32));
  else return p[i];
}

template <class TopT>
class LutAdapter {
 public:
  using Top = TopT;
  using In = LutIn;
  using Out = LutOut;

  LutAdapter(const LutConfig& c, int fault = 0) : cfg_(c), tile_(c, Env{}), fault_(fault), timing_(timing(c)) {}

  void drive(Top& t, const In& in) const {
    if constexpr (requires { t.sel; }) t.sel = uint8_t(cfg_.accum != LutAccum::Int32 ? 4 : fault_);
    t.cfg_w_bits = uint8_t(cfg_.w_bits);
    t.cfg_weight = uint8_t(cfg_.weight);
    t.in_valid = in.valid;
    if (!in.valid) return;
    const LutOp& op = ops[in.op];
    const int M = cfg_.m, N = cfg_.n, K = cfg_.k, E = cfg_.entries();
    static_assert(32 % 4 == 0 && 32 % 16 == 0);  // K = 4 patterns, int8 / float16 codes
    for (int n = 0; n < N; ++n) set_small(t.plane, n, K, op.planes[size_t(in.b) * N + n]);
    if (in.b != 0) return;  // tables and addend are read on plane 0 only
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
      li.tables = &op.tables;
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
  // The integer oracle and the cycle law, counted as results retire (in operation order).
  std::array<uint64_t, 5> flag_count{};  // results with flag bit f (emu/env.hpp: x u o z v)
  uint64_t oracle_checked = 0, oracle_failed = 0, results = 0, flagged = 0, latency_failed = 0, interval_failed = 0;
  const LutConfig& config() const { return cfg_; }

 private:
  struct Flight { uint32_t op; uint64_t first_cycle; };
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
          ok &= uint32_t(uint64_t(v)) == r.r[size_t(m * N + n)];
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
  UnitTiming timing_;
  std::deque<Flight> inflight_;
  std::array<uint32_t, kMaxMN> prev_{};
  bool prev_known_ = false, have_last_cycle_ = false;
  uint64_t last_cycle_ = 0, last_first_ = 0;
};

LutConfig lut_cfg(int n, int w_bits, LutWeight wt, int pipeline, LutTable table = LutTable::Int8,
                  LutAccum accum = LutAccum::Int32, const char* act = "int8") {
  LutConfig c;
  c.m = 2, c.n = n, c.k = 4, c.w_bits = w_bits, c.weight = wt, c.pipeline = pipeline;
  c.act = parse_format(act);
  c.table = table;
  c.accum = accum;
  validate(c);
  return c;
}

// Builds an op (tables, planes, exactness) from activations and weights.
LutOp make_op(const LutConfig& c, std::vector<int> act, std::vector<uint64_t> w, std::vector<uint64_t> psum, bool chain) {
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
  op.exact = c.accum == LutAccum::Int32;
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

// Activation rows for the sweep: corners, then seeded random rows (full range and small, the
// small ones giving exact int8 tables).
std::vector<std::vector<int>> activation_sweep() {
  std::vector<std::vector<int>> s = {
      {-128, -128, -128, -128, 127, 127, 127, 127},  // extremes: tables quantized (e = 3 / 2)
      {127, -128, 1, -1, 0, 0, 0, 0},                // a zero table (e = 0)
      {31, -31, 31, -31, 1, 0, 0, 0},                // exact (max |E| = 124; e = 0 / -6)
      {-1, 2, -3, 4, 17, -5, 9, -2},                 // exact, small
  };
  std::mt19937 rng(6);
  for (int r = 0; r < 4; ++r) {
    std::vector<int> a(8);
    for (int& x : a) x = r % 2 ? int(rng() % 63) - 31 : int(rng() % 256) - 128;
    s.push_back(a);
  }
  return s;
}

const char* wname(LutWeight w) { return lut_weight_name(w); }

// Every weight column (K codes of B bits: 2^(K*B) columns) once per activation set, N per op.
template <class Top>
void add_weight_sweep(LutAdapter<Top>& ad, const std::vector<std::vector<int>>& acts) {
  const LutConfig& c = ad.config();
  const int K = c.k, N = c.n, B = c.w_bits;
  const uint64_t cols = uint64_t(1) << (K * B);
  for (const auto& a : acts)
    for (uint64_t c0 = 0; c0 < cols; c0 += uint64_t(N)) {
      std::vector<uint64_t> w(size_t(K * N));
      for (int n = 0; n < N; ++n)
        for (int k = 0; k < K; ++k) w[size_t(k * N + n)] = ((c0 + uint64_t(n)) % cols >> (k * B)) & ((1u << B) - 1);
      ad.ops.push_back(make_op(c, a, std::move(w), {}, false));
    }
}

// Seeded random tiles: full-range or small activations, random weights, a random int32 psum or
// none, K-groups chained (1-4 ops per output tile).
template <class Top>
void add_random_tiles(LutAdapter<Top>& ad, int ops, uint32_t seed) {
  const LutConfig& c = ad.config();
  std::mt19937_64 rng(seed);
  int left = 0;
  for (int i = 0; i < ops; ++i) {
    const bool chain = left > 0;
    if (!chain) left = int(rng() % 4);
    else --left;
    const bool small = rng() % 2;
    std::vector<int> a(size_t(c.m * c.k));
    for (int& x : a) x = small ? int(rng() % 63) - 31 : int(rng() % 256) - 128;
    std::vector<uint64_t> w(size_t(c.k * c.n));
    for (auto& x : w) x = rng() & ((1u << c.w_bits) - 1);
    std::vector<uint64_t> p;
    if (!chain && rng() % 2) {
      p.resize(size_t(c.m * c.n));
      for (auto& x : p) x = rng() % 4 ? uint32_t(rng()) : (rng() % 2 ? 0x7fffffffu : 0x80000000u);
    }
    ad.ops.push_back(make_op(c, std::move(a), std::move(w), std::move(p), chain));
  }
}

constexpr LutWeight kWeights[] = {LutWeight::Unsigned, LutWeight::Signed, LutWeight::Odd};

}  // namespace

TEST_CASE("lut rtl M2N8K4: every weight column x an activation sweep, W_BIT 1..4, every mapping, in lockstep") {
  const auto acts = activation_sweep();
  uint64_t cycles = 0, ops = 0, checked = 0;
  for (int B = 1; B <= 4; ++B)
    for (LutWeight wt : kWeights) {
      CAPTURE(B);
      const std::string wn = wname(wt);
      CAPTURE(wn);
      LutAdapter<Vlut_m2n8> ad(lut_cfg(8, B, wt, 1));
      add_weight_sweep(ad, acts);
      const RunStats st = run(ad, "lut_m2n8");
      if (st.mismatch) FAIL(st.mismatch->report);
      CHECK(ad.results == st.ops);
      CHECK(ad.oracle_failed == 0);
      CHECK(ad.latency_failed == 0);
      CHECK(ad.interval_failed == 0);
      CHECK(ad.oracle_checked > 0);
      // W_BIT cycles per op: ops back to back, the drain after them.
      CHECK(st.cycles == st.ops * uint64_t(B) + uint64_t(ad.config().pipeline) + 1);
      cycles += st.cycles, ops += st.ops, checked += ad.oracle_checked;
    }
  MESSAGE("lut m2n8 sweep: " << ops << " ops, " << cycles << " cycles in lockstep, " << checked
                             << " ops also == the exact integer dot product");
}

TEST_CASE("lut rtl M2N8K4: seeded random tiles (psum, chained K-groups, idle gaps between planes)") {
  uint64_t ops = 0, cycles = 0;
  for (int B = 1; B <= 4; ++B)
    for (LutWeight wt : kWeights) {
      CAPTURE(B);
      const std::string wn = wname(wt);
      CAPTURE(wn);
      LutAdapter<Vlut_m2n8> ad(lut_cfg(8, B, wt, 1));
      add_random_tiles(ad, 400, uint32_t(100 * B + int(wt)));
      const RunStats st = run(ad, "lut_m2n8", 20, uint32_t(B));
      if (st.mismatch) FAIL(st.mismatch->report);
      CHECK(ad.results == st.ops);
      CHECK(ad.oracle_failed == 0);
      CHECK(ad.latency_failed == 0);
      ops += st.ops, cycles += st.cycles;
    }
  MESSAGE("lut m2n8 random: " << ops << " ops, " << cycles << " cycles in lockstep");
}

TEST_CASE("lut rtl M2N64K4 (the default tile, FP16 tables, PIPELINE=2): random tiles and a weight sweep, W_BIT 1..4") {
  const auto acts = activation_sweep();
  uint64_t ops = 0, cycles = 0;
  for (int B = 1; B <= 4; ++B)
    for (LutWeight wt : kWeights) {
      CAPTURE(B);
      const std::string wn = wname(wt);
      CAPTURE(wn);
      LutAdapter<Vlut_m2n64> ad(lut_cfg(64, B, wt, 2, LutTable::Fp16));
      add_weight_sweep(ad, {acts[0], acts[2], acts[4]});
      add_random_tiles(ad, 400, uint32_t(7 * B + int(wt)));
      const RunStats st = run(ad, "lut_m2n64", B == 2 ? 15 : 0, 3);
      if (st.mismatch) FAIL(st.mismatch->report);
      CHECK(ad.results == st.ops);
      CHECK(ad.oracle_failed == 0);
      CHECK(ad.latency_failed == 0);
      CHECK(ad.interval_failed == 0);
      CHECK(ad.oracle_checked == ad.results);  // int8 activations: every fp16 table is exact
      ops += st.ops, cycles += st.cycles;
    }
  MESSAGE("lut m2n64 fp16 tables: " << ops << " ops, " << cycles << " cycles in lockstep, every op == the exact integer dot product");
}

// Float activations (any code of the activation format: normal, subnormal, zero, inf, NaN; a third
// of the rows small so that the table sums cancel and round), a float32 psum of every class or
// none, chained K-groups.
template <class Top>
void add_float_tiles(LutAdapter<Top>& ad, int ops, uint32_t seed) {
  const LutConfig& c = ad.config();
  std::mt19937_64 rng(seed);
  int left = 0;
  const uint32_t specials[] = {0x7f800000u, 0xff800000u, 0x7fc00000u, 0x00000000u, 0x80000000u, 0x7f7fffffu,
                               0xff7fffffu, 0x00000001u, 0x807fffffu, 0x00800000u};
  for (int i = 0; i < ops; ++i) {
    const bool chain = left > 0;
    if (!chain) left = int(rng() % 4);
    else --left;
    LutOp op;
    op.codes.resize(size_t(c.m * c.k));
    const int kind = int(rng() % 3);
    for (auto& x : op.codes) {
      const uint64_t r = rng();
      if (kind == 0) x = r & 0xffff;                                        // any code
      else if (kind == 1) x = (r & 0x83ff) | ((10 + (r >> 20) % 8) << 10);  // |a| in 2^-5 .. 2^3
      else x = (r % 16 == 0) ? (r >> 8) & 0x83ff : (r & 0x83ff) | ((14 + (r >> 20) % 3) << 10);
    }
    op.w.resize(size_t(c.k * c.n));
    for (auto& x : op.w) x = rng() & ((1u << c.w_bits) - 1);
    if (!chain && rng() % 5) {
      op.psum.resize(size_t(c.m * c.n));
      for (auto& x : op.psum) {
        const uint64_t r = rng();
        switch (r % 5) {
          case 0: x = uint32_t(r >> 8); break;                                                  // any code
          case 1: x = specials[(r >> 8) % 10]; break;
          case 2: x = (r >> 8) & 0x807fffffu; break;                                            // subnormal
          default: x = ((r >> 8) & 0x807fffffu) | (uint32_t(120 + (r >> 40) % 16) << 23); break;  // near the sums
        }
      }
    }
    op.chain = chain;
    Env env;
    lut_precompute_tables(c, op.codes.data(), op.tables, env);
    op.planes.resize(size_t(c.w_bits) * size_t(c.n));
    lut_reinterpret_weights(c, op.w.data(), op.planes.data());
    ad.ops.push_back(std::move(op));
  }
}

TEST_CASE("lut rtl M2N8K4 FP16 tables, FP32 accumulator: float16 and int8 activations, every class of psum, flags") {
  const auto acts = activation_sweep();
  uint64_t ops = 0, cycles = 0, flagged = 0;
  std::array<uint64_t, 5> fc{};
  for (int B = 1; B <= 4; ++B)
    for (LutWeight wt : kWeights) {
      CAPTURE(B);
      const std::string wn = wname(wt);
      CAPTURE(wn);
      {
        LutAdapter<Vlut_m2n8> ad(lut_cfg(8, B, wt, 1, LutTable::Fp16, LutAccum::Fp32, "float16"));
        add_float_tiles(ad, 1000, uint32_t(31 * B + int(wt)));
        const RunStats st = run(ad, "lut_m2n8_fp32", B == 3 ? 15 : 0, 5);
        if (st.mismatch) FAIL(st.mismatch->report);
        CHECK(ad.results == st.ops);
        CHECK(ad.latency_failed == 0);
        ops += st.ops, cycles += st.cycles, flagged += ad.flagged;
        for (size_t f = 0; f < 5; ++f) fc[f] += ad.flag_count[f];
      }
      if (B <= 3) {
        LutAdapter<Vlut_m2n8> ad(lut_cfg(8, B, wt, 1, LutTable::Fp16, LutAccum::Fp32));
        add_weight_sweep(ad, {acts[0], acts[4]});
        const RunStats st = run(ad, "lut_m2n8_fp32_int8");
        if (st.mismatch) FAIL(st.mismatch->report);
        CHECK(ad.results == st.ops);
        ops += st.ops, cycles += st.cycles;
      }
    }
  CHECK(fc[0] > 0);  // inexact
  CHECK(fc[4] > 0);  // invalid (inf - inf)
  // Overflow and underflow cannot happen here: every table entry times 2^b is a multiple of 2^-24
  // below 2^20, so |h * acc| < 2^21 is either 0 or >= 2^-25 (never tiny), and next to FLT_MAX it is
  // below half an ulp (2^103).
  CHECK(fc[1] == 0);
  CHECK(fc[2] == 0);
  MESSAGE("lut m2n8 fp32: " << ops << " ops, " << cycles << " cycles in lockstep, " << flagged
                            << " results with flags (inexact " << fc[0] << ", underflow " << fc[1] << ", overflow " << fc[2]
                            << ", invalid " << fc[4] << ")");
}

TEST_CASE("lut rtl: the injected faults are caught, with cycle, inputs, both outputs and an FST trace") {
  const auto acts = activation_sweep();
  SUBCASE("FAULT=1 (negation as ones' complement) is caught in the first negated plane") {
    LutAdapter<Vlut_m2n8> ad(lut_cfg(8, 2, LutWeight::Unsigned, 1), 1);
    add_weight_sweep(ad, acts);
    const RunStats st = run(ad, "lut_m2n8_fault1");
    REQUIRE(st.mismatch);
    MESSAGE(st.mismatch->report);
    CHECK(st.mismatch->cycle < 8);
    CHECK(st.mismatch->report.find("rtl   : valid=1") != std::string::npos);
    CHECK(st.mismatch->report.find("model : valid=1") != std::string::npos);
    REQUIRE(!st.mismatch->trace_path.empty());
    CHECK(std::filesystem::file_size(st.mismatch->trace_path) > 0);
  }
  SUBCASE("FAULT=2 (plane 3 weighs 4): invisible at W_BIT <= 3, caught at W_BIT = 4") {
    for (int B = 1; B <= 4; ++B) {
      CAPTURE(B);
      LutAdapter<Vlut_m2n8> ad(lut_cfg(8, B, LutWeight::Signed, 1), 2);
      add_weight_sweep(ad, {acts[2]});
      const RunStats st = run(ad, "lut_m2n8_fault2");
      CHECK(bool(st.mismatch) == (B == 4));
    }
  }
  SUBCASE("FAULT=3 (no reinterpretation offset, as the published RTL): caught for unsigned and signed, not odd") {
    for (LutWeight wt : kWeights) {
      const std::string wn = wname(wt);
      CAPTURE(wn);
      LutAdapter<Vlut_m2n8> ad(lut_cfg(8, 3, wt, 1), 3);
      add_weight_sweep(ad, {acts[3]});
      const RunStats st = run(ad, "lut_m2n8_fault3");
      CHECK(bool(st.mismatch) == (wt != LutWeight::Odd));
    }
  }
}

TEST_CASE("lut rtl: simulation throughput (M2N64K4 W2: lockstep, the RTL alone, the C++ model alone)") {
  LutAdapter<Vlut_m2n64> ad(lut_cfg(64, 2, LutWeight::Unsigned, 2, LutTable::Fp16));
  add_random_tiles(ad, 20000, 42);
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
