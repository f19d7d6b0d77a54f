#include "hwmodel/lut/tile.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "emu/exact_arith.hpp"
#include "emu/round.hpp"
#include "formats/codec.hpp"
#include "formats/spec.hpp"

namespace bitexact::hw {

namespace {

constexpr int kFrac = 24;  // activations as int64 fixed point with LSB 2^-24 (validate() keeps them there)

const Format& fp16() {
  static const Format f = parse_format("float16");
  return f;
}

Format accum_format(LutAccum a) {
  switch (a) {
    case LutAccum::Int32: return parse_format("int<bits=32>");
    case LutAccum::Fp16: return parse_format("float16");
    case LutAccum::Fp32: return parse_format("float32");
  }
  return parse_format("float32");
}

// Roundings inside the tile: RNE with the caller's policies.
Env rne(const Env& env) {
  Env e = env;
  e.mode = RoundingMode::RNE;
  e.flags = 0;
  return e;
}

LutEntry entry_of(const Unpacked& u) {
  LutEntry e;
  e.cls = uint8_t(u.cls);
  e.sign = u.sign;
  if (u.cls == ValueClass::Finite) e.mant = int64_t(u.significand), e.exp = u.exponent;
  return e;
}

Exact exact_of(const LutEntry& e, bool negate, int scale_exp, uint64_t mul = 1) {
  const bool s = e.sign != negate;
  switch (ValueClass(e.cls)) {
    case ValueClass::Zero: return Exact::zero(s);
    case ValueClass::Inf: return Exact::inf(s);
    case ValueClass::NaN: return Exact::nan();
    case ValueClass::Finite: break;
  }
  return Exact::finite(s, u128(uint64_t(e.mant)) * mul, e.exp + scale_exp);
}

// x + y formed exactly, then one rounding into f (IEEE 754 special cases; an exact zero sum of
// non-zero operands is +0, as RNE gives).
uint64_t round_sum(const Format& f, const Exact& x, const Exact& y, Env& env) {
  if (x.cls == ValueClass::NaN || y.cls == ValueClass::NaN) return round_to_format(f, Exact::nan(), env);
  if (x.cls == ValueClass::Inf || y.cls == ValueClass::Inf) {
    if (x.cls == ValueClass::Inf && y.cls == ValueClass::Inf && x.sign != y.sign) {
      env.flags |= flag::invalid;
      return round_to_format(f, Exact::nan(), env);
    }
    return round_to_format(f, Exact::inf(x.cls == ValueClass::Inf ? x.sign : y.sign), env);
  }
  if (x.cls == ValueClass::Zero && y.cls == ValueClass::Zero) return round_to_format(f, Exact::zero(x.sign && y.sign), env);
  if (x.cls == ValueClass::Zero) return round_to_format(f, y, env);
  if (y.cls == ValueClass::Zero) return round_to_format(f, x, env);
  return round_to_format(f, exact_add(x, y, RoundingMode::RNE), env);
}

// An integer-valued entry times 2^b as an int64 (Int32 accumulators: entries are integers, README).
int64_t int_value(const LutEntry& e, bool negate, int b) {
  if (ValueClass(e.cls) != ValueClass::Finite) return 0;
  const int sh = e.exp + b;
  const int64_t mag = sh >= 0 ? (e.mant << sh) : (e.mant >> -sh);
  return (e.sign != negate) ? -mag : mag;
}

uint64_t wrap32(int64_t v) { return uint64_t(uint32_t(uint64_t(v))); }
int64_t as_i32(uint64_t code) { return int64_t(int32_t(uint32_t(code))); }

}  // namespace

int lut_weight_value(const LutConfig& c, uint64_t q) {
  const int B = c.w_bits;
  const int v = int(q & ((1u << B) - 1));
  switch (c.weight) {
    case LutWeight::Unsigned: return v;
    case LutWeight::Signed: return v >= (1 << (B - 1)) ? v - (1 << B) : v;
    case LutWeight::Odd: return 2 * v - ((1 << B) - 1);
  }
  return v;
}

void lut_precompute_tables(const LutConfig& c, const uint64_t* act, LutTableSet& out, Env& env) {
  const int M = c.m, K = c.k, E = c.entries();
  out.m = M;
  out.entries = E;
  out.entry.resize(size_t(M) * E);
  out.code.resize(size_t(M) * E);
  out.scale_exp.assign(size_t(M), 0);
  Env renv = rne(env);
  int64_t fixed[8];
  bool nan[8], inf[8], neg[8];
  std::vector<int64_t> sums(static_cast<size_t>(E));
  for (int r = 0; r < M; ++r) {
    for (int k = 0; k < K; ++k) {
      const Unpacked u = decode_operand(c.act, act[size_t(r) * K + k], env);
      nan[k] = u.cls == ValueClass::NaN, inf[k] = u.cls == ValueClass::Inf, neg[k] = u.sign;
      if (u.signaling) env.flags |= flag::invalid;
      fixed[k] = 0;
      if (u.cls == ValueClass::Finite) {
        const int64_t m = int64_t(u.significand) << (u.exponent + kFrac);
        fixed[k] = u.sign ? -m : m;
      }
    }
    bool table_nonfinite = false;
    LutEntry* ent = &out.entry[size_t(r) * E];
    uint16_t* code = &out.code[size_t(r) * E];
    for (int i = 0; i < E; ++i) {
      // Entry i: a0 + sum_k a_k * (2*bit_{k-1}(i) - 1), exactly (or its non-finite class).
      int64_t s = fixed[0];
      bool any_nan = nan[0], pinf = inf[0] && !neg[0], ninf = inf[0] && neg[0];
      for (int k = 1; k < K; ++k) {
        const bool plus = (i >> (k - 1)) & 1;
        s += plus ? fixed[k] : -fixed[k];
        any_nan |= nan[k];
        if (inf[k]) (neg[k] == plus ? ninf : pinf) = true;
      }
      sums[size_t(i)] = s;
      Exact x;
      if (any_nan || (pinf && ninf)) {
        if (!any_nan) renv.flags |= flag::invalid;
        x = Exact::nan();
      } else if (pinf || ninf) {
        x = Exact::inf(ninf);
      } else {
        x = Exact::finite(s < 0, u128(uint64_t(s < 0 ? -s : s)), -kFrac);
      }
      if (x.cls != ValueClass::Finite && x.cls != ValueClass::Zero) table_nonfinite = true;
      if (c.table == LutTable::Fp16) {
        const uint64_t cd = round_to_format(fp16(), x, renv);
        code[i] = uint16_t(cd);
        ent[i] = entry_of(decode(fp16(), cd));
      } else {
        ent[i] = LutEntry{0, 0, uint8_t(x.cls), x.sign};
      }
    }
    if (c.table == LutTable::Int8) {
      if (table_nonfinite) {  // an int8 table cannot hold inf / NaN: the whole table reads as NaN
        for (int i = 0; i < E; ++i) ent[i] = LutEntry{0, 0, uint8_t(ValueClass::NaN), false}, code[i] = 0x80;
        continue;
      }
      int64_t amax = 0;
      for (int i = 0; i < E; ++i) amax = std::max(amax, sums[size_t(i)] < 0 ? -sums[size_t(i)] : sums[size_t(i)]);
      // The scale 2^e: the smallest e with absmax <= 127 * 2^e (e = 0 for an all-zero table).
      int s = 0;  // e + kFrac
      if (amax > 0) {
        if (amax <= 127) {
          while ((amax << (1 - s)) <= 127) --s;
        } else {
          while (amax > (int64_t(127) << s)) ++s;
        }
      } else {
        s = kFrac;
      }
      out.scale_exp[size_t(r)] = s - kFrac;
      for (int i = 0; i < E; ++i) {
        const int64_t v = sums[size_t(i)];
        const uint64_t mag = uint64_t(v < 0 ? -v : v);
        int64_t t;
        if (s <= 0) {
          t = int64_t(mag << -s);
        } else {  // round half to even of mag / 2^s
          const uint64_t q = mag >> s, rem = mag & ((uint64_t(1) << s) - 1), half = uint64_t(1) << (s - 1);
          t = int64_t(q + ((rem > half || (rem == half && (q & 1))) ? 1 : 0));
          if (rem) renv.flags |= flag::inexact;
        }
        ent[i] = LutEntry{t, s - kFrac, uint8_t(t ? ValueClass::Finite : ValueClass::Zero), t != 0 && v < 0};
        code[i] = uint16_t(uint8_t(int8_t(v < 0 ? -t : t)));
      }
    }
  }
  env.flags |= renv.flags;
}

void lut_reinterpret_weights(const LutConfig& c, const uint64_t* w, uint8_t* planes) {
  const int K = c.k, N = c.n, B = c.w_bits;
  const uint64_t mask = (uint64_t(1) << B) - 1;
  for (int n = 0; n < N; ++n) {
    for (int b = 0; b < B; ++b) {
      uint8_t beta = 0;
      for (int k = 0; k < K; ++k) {
        uint64_t u = w[size_t(k) * N + n] & mask;
        if (c.weight == LutWeight::Signed) u ^= uint64_t(1) << (B - 1);
        beta |= uint8_t(((u >> b) & 1) << k);
      }
      // Sign element k = 0: beta_0 = 1 reads T[beta_1..] as is; beta_0 = 0 reads -T[~beta_1..].
      const uint8_t rest = uint8_t(beta >> 1);
      const uint8_t idx = (beta & 1) ? rest : uint8_t(~rest & ((1u << (K - 1)) - 1));
      planes[size_t(b) * N + n] = uint8_t((beta & 1 ? 0 : 1) | (idx << 1));
    }
  }
}

LutTile::LutTile(const LutConfig& c, const Env& env) : cfg_(c), env_(rne(env)), out_fmt_(accum_format(c.accum)) {
  validate(c);
  const int B = c.w_bits;
  z_ = c.weight == LutWeight::Unsigned ? (1 << B) - 1 : c.weight == LutWeight::Signed ? -1 : 0;
  halve_ = c.weight != LutWeight::Odd;
  const size_t mn = size_t(c.m) * size_t(c.n);
  acc_.assign(mn, 0);
  psum_.assign(mn, 0);
  last_.assign(mn, 0);
  slots_.resize(size_t(c.pipeline) + 1);
  for (auto& s : slots_) s.v.assign(mn, 0);
}

void LutTile::reset() {
  std::fill(acc_.begin(), acc_.end(), 0);
  for (auto& s : slots_) s.busy = false;
  plane_ = 0;
  have_last_ = false;
  tables_ = nullptr;
  cycle_ = 0;
  tables_built_ = 0;
}

void LutTile::add_plane(int b, const uint8_t* plane) {
  const int M = cfg_.m, N = cfg_.n, E = cfg_.entries();
  const LutTableSet& T = *tables_;
  if (cfg_.accum == LutAccum::Int32) {
    for (int m = 0; m < M; ++m) {
      const LutEntry* row = &T.entry[size_t(m) * E];
      const int64_t off = b == 0 ? int64_t(z_) * int_value(row[E - 1], false, 0) : 0;
      uint64_t* acc = &acc_[size_t(m) * N];
      for (int n = 0; n < N; ++n) {
        const uint8_t p = plane[n];
        const int64_t v = int_value(row[lut_pattern_index(p)], lut_pattern_sign(p), b);
        acc[n] = wrap32((b == 0 ? off : as_i32(acc[n])) + v);
      }
    }
    return;
  }
  for (int m = 0; m < M; ++m) {
    const LutEntry* row = &T.entry[size_t(m) * E];
    const LutEntry& ones = row[E - 1];
    const Exact off = z_ == 0 ? Exact::zero(false) : exact_of(ones, z_ < 0, 0, uint64_t(std::abs(z_)));
    uint64_t* acc = &acc_[size_t(m) * N];
    for (int n = 0; n < N; ++n) {
      const uint8_t p = plane[n];
      const Exact v = exact_of(row[lut_pattern_index(p)], lut_pattern_sign(p), b);
      if (b == 0)
        acc[n] = z_ == 0 ? round_to_format(out_fmt_, v, env_) : round_sum(out_fmt_, off, v, env_);
      else
        acc[n] = round_sum(out_fmt_, Exact::from(decode_operand(out_fmt_, acc[n], env_)), v, env_);
    }
  }
}

void LutTile::finish_op() {
  // Output stage: result = psum + h * acc, one rounding.
  Slot* slot = nullptr;
  for (auto& s : slots_)
    if (!s.busy) { slot = &s; break; }
  if (!slot) throw std::logic_error("lut tile: output pipeline full");
  const size_t mn = acc_.size();
  const uint64_t* ps = chain_ ? last_.data() : psum_.data();
  const bool add = chain_ || has_psum_;
  if (chain_ && !have_last_) throw std::invalid_argument("lut tile: chain without a previous operation");
  if (cfg_.accum == LutAccum::Int32) {
    for (size_t i = 0; i < mn; ++i) {
      const int64_t a = as_i32(acc_[i]);
      const int64_t h = halve_ ? (a >> 1) : a;
      slot->v[i] = wrap32((add ? as_i32(ps[i]) : 0) + h);
    }
  } else {
    for (size_t i = 0; i < mn; ++i) {
      Exact a = Exact::from(decode_operand(out_fmt_, acc_[i], env_));
      if (halve_ && a.cls == ValueClass::Finite) a.exponent -= 1;
      slot->v[i] = add ? round_sum(out_fmt_, Exact::from(decode_operand(out_fmt_, ps[i], env_)), a, env_)
                       : round_to_format(out_fmt_, a, env_);
    }
  }
  slot->busy = true;
  slot->ready = cycle_ + uint64_t(cfg_.pipeline);
  slot->flags = uint8_t(op_flags_ | env_.flags);
  std::copy(slot->v.begin(), slot->v.end(), last_.begin());
  have_last_ = true;
}

LutTileOutputs LutTile::step(const LutTileInputs& in) {
  if (in.valid) {
    if (plane_ == 0) {
      env_.flags = 0;
      op_flags_ = 0;
      if (in.tables) {
        tables_ = in.tables;
      } else if (in.act) {
        lut_precompute_tables(cfg_, in.act, own_, env_);
        tables_ = &own_;
        ++tables_built_;
      } else {
        throw std::invalid_argument("lut tile: plane 0 needs tables or activations");
      }
      if (tables_->m != cfg_.m || tables_->entries != cfg_.entries())
        throw std::invalid_argument("lut tile: tables of another shape");
      chain_ = in.chain;
      has_psum_ = in.psum != nullptr;
      if (has_psum_) std::copy(in.psum, in.psum + psum_.size(), psum_.begin());
    }
    if (!in.plane) throw std::invalid_argument("lut tile: a valid cycle needs a bit-plane");
    add_plane(plane_, in.plane);
    if (++plane_ == cfg_.w_bits) {
      finish_op();
      plane_ = 0;
    }
  }
  LutTileOutputs out;
  for (auto& s : slots_) {
    if (s.busy && s.ready == cycle_) {
      out.valid = true;
      out.result = s.v.data();
      out.flags = s.flags;
      s.busy = false;  // the buffer stays readable until the next step reuses it
    }
  }
  ++cycle_;
  return out;
}

LutGemmResult run_lut_gemm(const LutConfig& cfg, size_t rows, size_t cols, size_t depth,
                           std::span<const uint64_t> a, std::span<const uint64_t> w, std::span<const uint64_t> c,
                           std::span<uint64_t> out, Env& env) {
  validate(cfg);
  if (a.size() != rows * depth || w.size() != depth * cols || out.size() != rows * cols ||
      (!c.empty() && c.size() != rows * cols))
    throw std::invalid_argument("lut gemm: operand sizes do not match the shape");
  const size_t M = size_t(cfg.m), N = size_t(cfg.n), K = size_t(cfg.k), B = size_t(cfg.w_bits);
  const size_t mt = (rows + M - 1) / M, nt = (cols + N - 1) / N, groups = std::max<size_t>(1, (depth + K - 1) / K);
  const size_t cols_p = nt * N;
  // Offline: every weight group reinterpreted into bit-planes, planes[(g * B + b) * cols_p + n].
  std::vector<uint8_t> planes(groups * B * cols_p);
  {
    LutConfig wide = cfg;
    wide.n = int(cols_p);
    std::vector<uint64_t> wg(K * cols_p);
    for (size_t g = 0; g < groups; ++g) {
      std::fill(wg.begin(), wg.end(), 0);
      for (size_t k = 0; k < K && g * K + k < depth; ++k)
        std::copy_n(&w[(g * K + k) * cols], cols, &wg[k * cols_p]);
      lut_reinterpret_weights(wide, wg.data(), &planes[g * B * cols_p]);
    }
  }
  LutTile tile(cfg, env);
  LutGemmResult res;
  std::vector<LutTableSet> tables(groups);
  std::vector<uint64_t> act(M * K), psum(M * N), tplane(N);
  std::vector<uint8_t> pl(N);
  struct Pending { size_t mi, ni; bool last; };
  std::vector<Pending> fifo;
  size_t fifo_head = 0;
  uint8_t flags = 0;
  uint64_t last_valid = 0;
  auto take = [&](const LutTileOutputs& o) {
    if (!o.valid) return;
    last_valid = tile.cycle() - 1;
    const Pending p = fifo[fifo_head++];
    flags |= o.flags;
    if (!p.last) return;
    for (size_t r = 0; r < M && p.mi * M + r < rows; ++r)
      for (size_t n = 0; n < N && p.ni * N + n < cols; ++n) out[(p.mi * M + r) * cols + p.ni * N + n] = o.result[r * N + n];
  };
  for (size_t mi = 0; mi < mt; ++mi) {
    for (size_t g = 0; g < groups; ++g) {  // tables once per row tile and group, for every column tile
      for (size_t r = 0; r < M; ++r)
        for (size_t k = 0; k < K; ++k) {
          const size_t row = mi * M + r, kk = g * K + k;
          act[r * K + k] = row < rows && kk < depth ? a[row * depth + kk] : 0;
        }
      lut_precompute_tables(cfg, act.data(), tables[g], env);
      res.tables += M;
    }
    for (size_t ni = 0; ni < nt; ++ni) {
      if (!c.empty()) {
        std::fill(psum.begin(), psum.end(), 0);
        for (size_t r = 0; r < M && mi * M + r < rows; ++r)
          for (size_t n = 0; n < N && ni * N + n < cols; ++n) psum[r * N + n] = c[(mi * M + r) * cols + ni * N + n];
      }
      for (size_t g = 0; g < groups; ++g) {
        fifo.push_back({mi, ni, g + 1 == groups});
        ++res.ops;
        for (size_t b = 0; b < B; ++b) {
          LutTileInputs in;
          in.valid = true;
          in.plane = &planes[(g * B + b) * cols_p + ni * N];
          if (b == 0) {
            in.tables = &tables[g];
            in.chain = g > 0;
            in.psum = g == 0 && !c.empty() ? psum.data() : nullptr;
          }
          take(tile.step(in));
        }
      }
    }
  }
  for (int i = 0; i < cfg.pipeline; ++i) take(tile.step(LutTileInputs{}));
  res.cycles = last_valid;
  env.flags |= flags;
  return res;
}

uint16_t lut_rtl_exponent_scale(uint16_t code, int b) {
  // Adds b to bits 14..10 (the exponent field) in a 5-bit adder (the carry out is dropped, as in
  // an SV assignment to a 5-bit field); zero and subnormal codes gain a non-zero exponent.
  const uint16_t exp = uint16_t((code >> 10) & 0x1F);
  return uint16_t((code & 0x83FF) | (((exp + b) & 0x1F) << 10));
}

}  // namespace bitexact::hw
