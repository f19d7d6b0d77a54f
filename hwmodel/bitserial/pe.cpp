#include "hwmodel/bitserial/pe.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "emu/accum/dot.hpp"
#include "emu/exact_arith.hpp"
#include "formats/codec.hpp"

namespace bitexact::hw {

using i128 = __int128;

std::shared_ptr<const SerialTables> make_serial_tables(const BitSerialConfig& c, const Env& env) {
  validate(c);
  auto t = std::make_shared<SerialTables>();
  const size_t na = size_t{1} << c.act.width();
  t->act_mask = na - 1;
  t->weight_mask = (uint64_t{1} << c.weight.width()) - 1;
  t->act.resize(na);
  for (uint64_t code = 0; code < na; ++code) {
    const Unpacked u = decode_operand(c.act, code, env);
    SerialAct& s = t->act[code];
    s.cls = uint8_t(u.cls);
    s.sign = u.sign;
    if (u.is_finite_nonzero()) {
      // Strip trailing zeros so that the exponent is the value's lowest set bit.
      const int tz = std::countr_zero(u.significand);
      s.mag = uint32_t(u.significand >> tz);
      s.exp = u.exponent + tz;
    }
  }
  t->w = decompose_weights(c.weight, c.encoding);
  for (const SerialDigit& d : t->w.digits) t->max_shift = std::max(t->max_shift, int(d.shift));
  return t;
}

struct BitSerialPe::State {
  std::shared_ptr<const SerialTables> t;
  Env env;      // this dot product's environment (index, flags)
  Env base;     // the environment the PE was built with
  RoundingMode zero_mode = RoundingMode::RNE;
  int lanes = 0, cycles = 0;
  // The group being streamed.
  bool busy = false, last = false, special = false, wide = false, all_neg_zero = true;
  int digit = 0, n = 0;
  std::vector<int64_t> amag;   // signed activation significand per lane
  std::vector<int32_t> off;    // per lane: activation exponent - the group anchor
  std::vector<uint32_t> wcode; // per lane
  std::vector<int32_t> aexp;   // per lane (the wide path)
  std::vector<i128> lane_acc;  // per lane (the wide path)
  std::vector<uint8_t> zsign;  // per lane: the sign of a zero product
  int32_t anchor = 0;
  i128 acc = 0;
  Exact special_value;
  // The dot product.
  bool open = false;           // a dot product has started and not finished
  std::vector<Exact> groups;
  bool has_c = false;
  Exact c;
  // The output register.
  bool out_valid = false;
  uint64_t out_code = 0;
  uint8_t out_flags = 0;
  uint64_t wide_groups = 0;
};

BitSerialPe::BitSerialPe(const BitSerialConfig& c, const Env& env, std::shared_ptr<const SerialTables> tables)
    : cfg_(c), st_(std::make_unique<State>()) {
  validate(c);
  st_->t = tables ? std::move(tables) : make_serial_tables(c, env);
  st_->base = env;
  st_->base.flags = 0;
  st_->env = st_->base;
  st_->zero_mode = c.accum.out_rounding.value_or(env.mode);
  st_->lanes = c.lanes;
  st_->cycles = st_->t->w.cycles;
  st_->amag.resize(size_t(c.lanes));
  st_->off.resize(size_t(c.lanes));
  st_->wcode.resize(size_t(c.lanes));
  st_->aexp.resize(size_t(c.lanes));
  st_->lane_acc.resize(size_t(c.lanes));
  st_->zsign.resize(size_t(c.lanes));
}

BitSerialPe::~BitSerialPe() = default;
BitSerialPe::BitSerialPe(BitSerialPe&&) noexcept = default;
BitSerialPe& BitSerialPe::operator=(BitSerialPe&&) noexcept = default;

void BitSerialPe::reset() {
  State& s = *st_;
  s.busy = s.open = s.out_valid = false;
  s.groups.clear();
  s.env = s.base;
  cycle_ = 0;
}

bool BitSerialPe::ready() const { return !st_->busy; }
int BitSerialPe::cycles_per_weight() const { return st_->cycles; }
uint64_t BitSerialPe::wide_groups() const { return st_->wide_groups; }

SerialOutputs BitSerialPe::step(const SerialInputs& in) {
  State& s = *st_;
  const SerialTables& t = *s.t;
  ++cycle_;
  // The output register: a result finished in the previous cycle leaves now.
  SerialOutputs out;
  if (s.out_valid) {
    out.valid = true;
    out.code = s.out_code;
    out.flags = s.out_flags;
    s.out_valid = false;
  }
  if (in.load) {
    if (s.busy) throw std::logic_error("bitserial: a group was loaded while the previous one still streams");
    if (in.first) {
      s.open = true;
      s.groups.clear();
      s.env = s.base;
      s.env.index = s.base.index + in.index;
      s.has_c = in.has_c;
      if (in.has_c) {
        const Unpacked u = decode_operand(cfg_.accum.out_format, in.c, s.env);
        if (u.is_nan() && u.signaling) s.env.flags |= flag::invalid;
        s.c = Exact::from(u);
      }
    } else if (!s.open) {
      throw std::logic_error("bitserial: a group without first after a finished dot product");
    }
    const int n = in.count < 0 ? s.lanes : std::min(in.count, s.lanes);
    s.n = n;
    s.busy = true;
    s.last = in.last;
    s.digit = 0;
    s.special = false;
    s.all_neg_zero = true;
    s.acc = 0;
    s.wide = false;
    bool special = false;
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (int l = 0; l < n; ++l) {
      const uint64_t ac = in.a[l] & t.act_mask, wc = in.w[l] & t.weight_mask;
      const SerialAct& a = t.act[ac];
      s.wcode[size_t(l)] = uint32_t(wc);
      const int64_t w = t.w.integer[wc];
      if (a.cls == uint8_t(ValueClass::NaN) || a.cls == uint8_t(ValueClass::Inf)) special = true;
      if (a.cls == uint8_t(ValueClass::Finite)) {
        s.amag[size_t(l)] = a.sign ? -int64_t(a.mag) : int64_t(a.mag);
        s.aexp[size_t(l)] = a.exp;
        lo = std::min(lo, a.exp);
        hi = std::max(hi, a.exp);
      } else {
        s.amag[size_t(l)] = 0;
      }
      // A zero product keeps the IEEE sign (activation sign xor weight sign); any other clears it.
      const bool wneg = w < 0 || (w == 0 && t.w.zero_sign[wc]);
      s.zsign[size_t(l)] = a.sign != wneg;
      if (a.cls != uint8_t(ValueClass::Zero) && w != 0) s.all_neg_zero = false;
      else if (a.sign == wneg) s.all_neg_zero = false;
    }
    if (special) {
      // The class rules of the products, as dot() applies them (flags from model_product).
      bool nan = false, pinf = false, ninf = false;
      for (int l = 0; l < n; ++l) {
        const Exact p = model_product(cfg_.accum, cfg_.act, in.a[l] & t.act_mask, cfg_.weight, in.w[l] & t.weight_mask, s.env);
        if (p.cls == ValueClass::NaN) nan = true;
        if (p.cls == ValueClass::Inf) (p.sign ? ninf : pinf) = true;
      }
      if (pinf && ninf) s.env.flags |= flag::invalid;
      s.special = true;
      s.special_value = nan || (pinf && ninf) ? Exact::nan() : Exact::inf(ninf);
    } else if (lo != INT32_MAX) {
      s.anchor = lo;
      const int span = hi - lo;
      s.wide = span + t.max_shift + 26 + std::bit_width(unsigned(s.lanes * s.cycles)) > 125;
      if (s.wide) {
        ++s.wide_groups;
        std::fill(s.lane_acc.begin(), s.lane_acc.end(), i128(0));
      }
      for (int l = 0; l < n; ++l) s.off[size_t(l)] = s.amag[size_t(l)] ? s.aexp[size_t(l)] - lo : 0;
    }
  }
  if (s.busy) {
    // One digit of every lane's weight: partial product = activation x digit x 2^significance.
    if (!s.special) {
      const int C = s.cycles, j = s.digit;
      const SerialDigit* dg = t.w.digits.data();
      if (!s.wide) {
        i128 acc = s.acc;
        for (int l = 0; l < s.n; ++l) {
          const SerialDigit d = dg[size_t(s.wcode[size_t(l)]) * size_t(C) + size_t(j)];
          // A zero activation adds nothing; skipping it also keeps its offset out of the shift (a
          // group of zero activations leaves the offsets of the group before, up to ~230 bits:
          // shifting by them is undefined even for a zero value, found by UBSan).
          if (d.digit && s.amag[size_t(l)])
            acc += i128(s.amag[size_t(l)] * d.digit) << (s.off[size_t(l)] + d.shift);
        }
        s.acc = acc;
      } else {
        for (int l = 0; l < s.n; ++l) {
          const SerialDigit d = dg[size_t(s.wcode[size_t(l)]) * size_t(C) + size_t(j)];
          if (d.digit) s.lane_acc[size_t(l)] += i128(s.amag[size_t(l)] * d.digit) << d.shift;
        }
      }
    }
    if (++s.digit == s.cycles) {
      // The group is complete: its exact sum goes to the accumulator.
      s.busy = false;
      Exact g;
      if (s.wide) {
        // Wider than the 128-bit group register: the lanes' exact products go over one by one.
        for (int l = 0; l < s.n; ++l) {
          const i128 p = s.lane_acc[size_t(l)];
          s.groups.push_back(p == 0 ? Exact::zero(s.zsign[size_t(l)])
                                    : Exact::finite(p < 0, p < 0 ? u128(-p) : u128(p), s.aexp[size_t(l)] + t.w.lsb));
        }
      } else if (s.special) {
        g = s.special_value;
      } else if (s.acc == 0) {
        g = Exact::zero(s.all_neg_zero || zero_sum_sign(s.zero_mode));
      } else {
        const bool neg = s.acc < 0;
        g = Exact::finite(neg, neg ? u128(-s.acc) : u128(s.acc), s.anchor + t.w.lsb);
      }
      // An empty group (count 0) has no products: no term (dot() of no products is +0, and an
      // empty group must not turn the sum of -0 products into +0).
      if (!s.wide && s.n > 0) s.groups.push_back(g);
      if (s.last) {
        s.out_code = dot_terms(cfg_.accum, s.groups, s.has_c ? &s.c : nullptr, s.env);
        s.out_flags = s.env.flags;
        s.out_valid = true;
        s.open = false;
      }
    }
  }
  return out;
}

}  // namespace bitexact::hw
