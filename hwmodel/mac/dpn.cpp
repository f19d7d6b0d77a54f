#include "hwmodel/mac/dpn.hpp"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <stdexcept>

#include "emu/accum/dot.hpp"
#include "emu/block/block_quantize.hpp"
#include "emu/block/exact_value.hpp"
#include "emu/exact_arith.hpp"
#include "emu/round.hpp"
#include "formats/codec.hpp"

namespace bitexact::hw {

namespace {

int ceil_log2(size_t n) { return n <= 1 ? 0 : int(std::bit_width(n - 1)); }

// The fused register as an exact double (the argument of emu/gemm_fast.hpp): products of two
// values of at most 26 significant bits are exact doubles, and a step's terms aligned to the grid
// 2^g are integers (or half integers with the jam bit) whose sum stays below 2^52, so trunc /
// floor / nearest-even of them and their sums are exact in any order. Values stay within
// 2^+-600 here, so exponents and powers of two are read and built from the bits.
inline double pow2(int n) { return std::bit_cast<double>(uint64_t(int64_t(n) + 1023) << 52); }
inline int expo(double x) { return int((std::bit_cast<uint64_t>(x) >> 52) & 0x7FF) - 1023; }

struct FusedKnobs {
  int acc = 24, guard = 0, carry = 2, k = 4;
  bool sticky = false, floor_align = false;
  Trunc step = Trunc::Rz;
};

inline double align1(double x, const FusedKnobs& f) {
  double y = f.floor_align ? std::floor(x) : std::trunc(x);
  if (f.sticky && y != x) y += f.floor_align ? 0.5 : std::copysign(0.5, x);
  return y;
}

// One fused step: products p[0..n) and the register R (0: empty, else its leading exponent eR)
// aligned to the largest exponent E on the grid g = E - (acc - 1) - guard, summed exactly, the
// carry-out beyond E + carry dropped by the alignment rule, then normalised and rounded to acc bits.
double fused_step(const double* p, size_t n, double R, int& eR, const FusedKnobs& f) {
  double mx = 0;
  for (size_t t = 0; t < n; ++t) mx = std::max(mx, std::fabs(p[t]));
  if (mx == 0 && R == 0) return 0;
  int E = mx > 0 ? expo(mx) : INT_MIN;
  if (R != 0) E = std::max(E, eR);
  const int g = E - (f.acc - 1) - f.guard;
  const double sc = pow2(-g);
  double S = 0;
  for (size_t t = 0; t < n; ++t) S += align1(p[t] * sc, f);
  if (R != 0) S += align1(R * sc, f);
  if (S == 0) return 0;
  const int over = (expo(S) + g) - (E + f.carry);
  if (over > 0) S = align1(S * pow2(-over), f) * pow2(over);
  const int lead = expo(S) + g;
  const int sh = f.acc - 1 - lead;
  const double q = S * pow2(g + sh);
  double r;
  switch (f.step) {
    case Trunc::Rz: r = std::trunc(q); break;
    case Trunc::Floor: r = std::floor(q); break;
    default: r = std::nearbyint(q); break;  // the host's default mode: nearest, ties to even
  }
  const double out = r * pow2(-sh);
  eR = expo(out);
  return out;
}

// NaN / Inf / zero-sign classes of a sum of terms (IEEE 754 addition rules over the set), as
// dot() resolves them.
struct Classes {
  bool nan = false, pos_inf = false, neg_inf = false, any = false, all_neg_zero = true;
  void reset() { *this = Classes{}; }
  void see(uint8_t cls, bool sign) {
    any = true;
    switch (ValueClass(cls)) {
      case ValueClass::NaN: nan = true; break;
      case ValueClass::Inf: (sign ? neg_inf : pos_inf) = true; break;
      case ValueClass::Finite: all_neg_zero = false; break;
      case ValueClass::Zero: if (!sign) all_neg_zero = false; break;
    }
  }
  bool special() const { return nan || pos_inf || neg_inf; }
  Exact result(Env& env) const {
    if (pos_inf && neg_inf) env.flags |= flag::invalid;
    if (nan || (pos_inf && neg_inf)) return Exact::nan();
    return Exact::inf(neg_inf);
  }
  bool zero_sign(RoundingMode mode) const { return any && all_neg_zero ? true : zero_sum_sign(mode); }
};

uint64_t round_out(const AccumModel& m, const Exact& x, Env& env) {
  if (!m.out_rounding) return round_to_format(m.out_format, x, env);
  const RoundingMode mode = env.mode;
  const int bits = env.sr_bits;
  env.mode = *m.out_rounding;
  env.sr_bits = m.out_sr_bits ? m.out_sr_bits : env.sr_bits;
  const uint64_t r = round_to_format(m.out_format, x, env);
  env.mode = mode;
  env.sr_bits = bits;
  return r;
}

// A product (or addend) as the unit forms it: an exact double with its class.
struct Term {
  double v = 0;
  uint8_t cls = uint8_t(ValueClass::Zero);
  bool sign = false;
};

Exact exact_term(const Term& t) {
  switch (ValueClass(t.cls)) {
    case ValueClass::NaN: return Exact::nan();
    case ValueClass::Inf: return Exact::inf(t.sign);
    case ValueClass::Zero: return Exact::zero(t.sign);
    case ValueClass::Finite: break;
  }
  return exact_of(t.v);
}

bool double_exact_format(const Format& f) {
  if (f.is_float()) return f.precision() <= 53 && f.facts.emax <= 900 && f.facts.emin - f.fp.man_bits >= -900;
  return f.family == Family::Int && f.width() <= 53;
}

enum class Engine : uint8_t { FusedDouble, Kulisch, Terms };

Engine pick_engine(const MacConfig& c) {
  const AccumModel& m = c.accum;
  const bool exact_products = m.product == ProductMode::Exact;
  if (m.kind == AccumKind::Exact && exact_products) return Engine::Kulisch;
  if (m.kind == AccumKind::Fused && exact_products && m.normalize == Normalize::Step && m.align_addend &&
      m.align != Trunc::Rne && m.acc_bits + m.guard_bits + 2 + ceil_log2(size_t(m.k) + 1) <= 52 &&
      double_exact_format(m.out_format) && (m.promote_every == 0 || double_exact_format(m.promote())))
    return Engine::FusedDouble;
  return Engine::Terms;
}

// One register: begin (with an optional addend), push products, finish into the output format.
struct Accumulator {
  Engine eng = Engine::Terms;
  const AccumModel* m = nullptr;
  FusedKnobs f;
  Classes cls;
  // FusedDouble
  std::vector<double> pend;
  size_t npend = 0, run = 0, promote = 0;
  double R = 0, W = 0;
  int eR = 0;
  // Flags of the promotion roundings: dot() raises them only when the sum is not special (NaN/Inf
  // classes are resolved before the chain runs), so they wait here until finish().
  uint8_t pflags = 0;
  // Kulisch, fed through an exact double partial sum: every product is a multiple of 2^lsb below
  // 2^top, so up to xlimit = 2^(53 - (top - lsb)) - 1 of them sum exactly in a double.
  Kulisch kul;
  double xsum = 0;
  uint64_t xcount = 0, xlimit = 0;
  // Terms
  std::vector<Exact> terms;
  Exact c;
  bool has_c = false;

  void init(const AccumModel& model, Engine e) {
    m = &model;
    eng = e;
    f = FusedKnobs{m->acc_bits, m->guard_bits, m->carry_bits, m->k, m->sticky, m->align == Trunc::Floor, m->step_round};
    pend.assign(size_t(std::max(m->k, 1)), 0.0);
    promote = m->promote_every > 0 ? size_t(m->promote_every) : 0;
  }

  // cx: the addend (nullptr: none); cv its value when finite.
  void begin(const Exact* cx, double cv, Env& env) {
    cls.reset();
    if (cx) cls.see(uint8_t(cx->cls), cx->sign);
    const bool cfin = cx && cx->cls == ValueClass::Finite;
    switch (eng) {
      case Engine::FusedDouble:
        npend = run = 0;
        R = W = 0;
        eR = 0;
        pflags = 0;
        if (!promote) {
          R = cfin ? cv : 0;
          eR = R != 0 ? expo(R) : 0;
        } else if (cfin) {
          W = wide_round(*cx, env);
        }
        break;
      case Engine::Kulisch:
        kul.clear();
        xsum = 0;
        xcount = 0;
        if (cfin) kul.add(*cx);
        break;
      case Engine::Terms:
        terms.clear();
        has_c = cx != nullptr;
        if (cx) c = *cx;
        break;
    }
  }

  void step_pending() {
    R = fused_step(pend.data(), npend, R, eR, f);
    npend = 0;
  }

  double wide_round(const Exact& x, Env& env) {
    const uint8_t saved = env.flags;
    env.flags = 0;
    const double w = to_double(decode(m->promote(), round_in_mode(m->promote(), x, m->promote_rounding, env)));
    pflags |= env.flags;
    env.flags = saved;
    return w;
  }

  // W + R rounded into the wide format (one rounding, as fused_accumulate's promotion).
  void promote_add(Env& env) {
    if (R != 0 && std::isfinite(W)) {
      const double s = W + R, bv = s - W, err = (W - (s - bv)) + (R - bv);
      W = wide_round(err == 0 ? exact_of(s) : exact_add(exact_of(W), exact_of(R), m->promote_rounding), env);
    }
    R = 0;
    eR = 0;
    run = 0;
  }

  void push(const Term& t, Env& env) {
    cls.see(t.cls, t.sign);
    switch (eng) {
      case Engine::FusedDouble:
        pend[npend++] = t.cls == uint8_t(ValueClass::Finite) ? t.v : 0.0;
        ++run;
        if (npend == size_t(f.k)) step_pending();
        if (promote && run == promote) {
          if (npend) step_pending();
          promote_add(env);
        }
        break;
      case Engine::Kulisch:
        if (t.cls != uint8_t(ValueClass::Finite)) break;
        if (xlimit == 0) {
          kul.add(exact_of(t.v));
        } else {
          xsum += t.v;
          if (++xcount == xlimit) flush_exact();
        }
        break;
      case Engine::Terms: terms.push_back(exact_term(t)); break;
    }
  }
  void push_exact(const Exact& x) {  // Terms engine: a product the core formed (rounded, L-Mul)
    terms.push_back(x);
  }

  void flush_exact() {
    if (xsum != 0) kul.add(exact_of(xsum));
    xsum = 0;
    xcount = 0;
  }

  uint64_t finish(Env& env) {
    if (eng == Engine::Terms) return dot_terms(*m, terms, has_c ? &c : nullptr, env);
    if (cls.special()) return round_out(*m, cls.result(env), env);
    const RoundingMode omode = m->out_rounding.value_or(env.mode);
    if (eng == Engine::Kulisch) {
      flush_exact();
      if (kul.is_zero()) return round_out(*m, Exact::zero(cls.zero_sign(omode)), env);
      return round_out(*m, kul.value(), env);
    }
    if (npend) step_pending();
    double v = R;
    if (promote) {
      if (run) promote_add(env);
      v = W;
    }
    env.flags |= pflags;
    if (v == 0) return round_out(*m, Exact::zero(cls.zero_sign(omode)), env);
    if (std::isinf(v)) return round_out(*m, Exact::inf(v < 0), env);
    return round_out(*m, exact_of(v), env);
  }
};

int64_t sign_extend(uint64_t code, int bits) {
  const uint64_t m = uint64_t{1} << (bits - 1);
  code &= (m << 1) - 1;
  return int64_t(code ^ m) - int64_t(m);
}

MacValue value_of(const Unpacked& u) {
  MacValue v;
  v.cls = uint8_t(u.cls);
  v.sign = u.sign;
  v.snan = u.is_nan() && u.signaling;
  v.v = u.is_finite_nonzero() || u.is_zero() ? to_double(u) : 0.0;
  return v;
}

MacOperandTable make_table(const Scheme& s, const Env& env) {
  MacOperandTable t;
  if (!s.is_block) {
    const Format& f = s.format;
    t.mask = f.facts.code_mask;
    t.value.resize(size_t(t.mask) + 1);
    for (uint64_t code = 0; code <= t.mask; ++code) t.value[code] = value_of(decode_operand(f, code, env));
    return t;
  }
  // MX elements and scales as the emulated GEMM reads block operands (decode, no input policies).
  const BlockFormat& b = s.block;
  t.block = true;
  t.block_size = b.block;
  const int bits = b.int_element ? b.int_bits : b.element.width();
  t.mask = (uint64_t{1} << bits) - 1;
  t.value.resize(size_t(t.mask) + 1);
  for (uint64_t code = 0; code <= t.mask; ++code) {
    if (b.int_element) {
      const double x = std::ldexp(double(sign_extend(code, b.int_bits)), -b.int_frac);
      MacValue v;
      v.v = x;
      v.cls = uint8_t(x == 0 ? ValueClass::Zero : ValueClass::Finite);
      v.sign = std::signbit(x);
      t.value[code] = v;
    } else {
      MacValue v = value_of(decode(b.element, code));
      v.snan = false;  // block elements are read as values (no signalling)
      t.value[code] = v;
    }
  }
  const uint64_t smask = b.scale.facts.code_mask;
  t.scale.resize(size_t(smask) + 1);
  for (uint64_t code = 0; code <= smask; ++code) t.scale[code] = block_scale_value(b, code);
  return t;
}

// Every finite non-zero value v of the table (times a finite scale) has lsb <= exponent of its
// lowest set bit and |v| < 2^top. Returns false when the table has no such value.
bool value_range(const MacOperandTable& t, int& lsb, int& top) {
  bool any = false;
  for (const MacValue& v : t.value) {
    if (ValueClass(v.cls) != ValueClass::Finite) continue;
    const Exact x = exact_of(v.v);
    const int lo = x.exponent + int(std::countr_zero(uint64_t(x.significand)));
    const int hi = x.exponent + msb(x.significand) + 1;
    lsb = any ? std::min(lsb, lo) : lo;
    top = any ? std::max(top, hi) : hi;
    any = true;
  }
  if (!any || !t.block) return any;
  int smin = 0, smax = 0;
  bool sany = false;
  for (double s : t.scale) {
    if (!std::isfinite(s) || s == 0) continue;
    const int e = std::ilogb(s);
    smin = sany ? std::min(smin, e) : e;
    smax = sany ? std::max(smax, e) : e;
    sany = true;
  }
  lsb += smin;
  top += smax;
  return true;
}

// x * s for a power of two s (NaN: NaN), exactly.
Exact scaled(const Exact& x, double s) {
  if (std::isnan(s) || x.cls == ValueClass::NaN) return Exact::nan();
  Exact r = x;
  if (r.cls == ValueClass::Finite) r.exponent += std::ilogb(s);
  return r;
}

}  // namespace

std::shared_ptr<const MacTables> make_mac_tables(const MacConfig& c, const Env& env) {
  validate(c);
  auto t = std::make_shared<MacTables>();
  t->act = make_table(c.act, env);
  t->weight = make_table(c.weight, env);
  return t;
}

struct Dpn::State {
  std::shared_ptr<const MacTables> tab;
  Env proto, e;
  Engine engine = Engine::Terms;
  Accumulator inner;
  bool block_in = false;    // either operand is an MX block scheme
  bool after = false;       // scales applied to each block's partial sum
  size_t after_block = 0;
  AccumModel add_model;     // the exact add of scaled block sums (scales=after)
  bool have_outer = false;
  Exact outer;
  double block_scale = 1;   // scales=after: the current block's scale product
  size_t pos = 0;           // products so far in this dot product
  bool active = false;
  size_t sa_div = 0, sb_div = 0;  // lane -> scale index divisors (0: one scale per chunk)
  std::vector<DpnOutputs> ring;
};

Dpn::Dpn(const MacConfig& c, const Env& env, std::shared_ptr<const MacTables> tables) : cfg_(c) {
  validate(c);
  st_ = std::make_unique<State>();
  State& s = *st_;
  s.tab = tables ? std::move(tables) : make_mac_tables(c, env);
  s.proto = env;
  s.proto.explicit_bits = {};
  s.proto.flags = 0;
  s.e = s.proto;
  s.engine = pick_engine(c);
  s.inner.init(cfg_.accum, s.engine);
  if (s.engine == Engine::Kulisch && !(s.block_in && c.accum.scales == ScaleApply::After)) {
    int la = 0, ta = 0, lb = 0, tb = 0;
    if (value_range(s.tab->act, la, ta) && value_range(s.tab->weight, lb, tb)) {
      const int span = (ta + tb) - (la + lb);
      if (span <= 40) s.inner.xlimit = (uint64_t{1} << (53 - span)) - 1;
    }
  }
  s.block_in = c.act.is_block || c.weight.is_block;
  s.after = s.block_in && c.accum.scales == ScaleApply::After;
  s.after_block = c.act.is_block ? c.act.block.block : s.block_in ? c.weight.block.block : 0;
  s.add_model = c.accum;
  s.add_model.kind = AccumKind::Exact;
  auto div = [&](const Scheme& sc) { return sc.is_block && sc.block.block < size_t(c.lanes) ? sc.block.block : 0; };
  s.sa_div = div(c.act);
  s.sb_div = div(c.weight);
  s.ring.assign(size_t(c.pipeline), DpnOutputs{});
}

Dpn::~Dpn() = default;
Dpn::Dpn(Dpn&&) noexcept = default;
Dpn& Dpn::operator=(Dpn&&) noexcept = default;

const char* Dpn::engine_name() const {
  switch (st_->engine) {
    case Engine::FusedDouble: return "fused-double";
    case Engine::Kulisch: return "kulisch";
    case Engine::Terms: return "terms";
  }
  return "?";
}

void Dpn::reset() {
  State& s = *st_;
  s.active = false;
  s.e = s.proto;
  for (DpnOutputs& o : s.ring) o = {};
  cycle_ = 0;
}

DpnOutputs Dpn::step(const DpnInputs& in) {
  State& s = *st_;
  const size_t slot = size_t(cycle_ % s.ring.size());
  const DpnOutputs out = s.ring[slot];
  s.ring[slot] = {};
  ++cycle_;
  if (!in.valid) return out;
  const AccumModel& m = cfg_.accum;
  Env& e = s.e;
  if (in.first) {
    e.flags = 0;
    e.index = in.index;
    s.pos = 0;
    s.active = true;
    Exact cx;
    double cv = 0;
    if (in.has_c) {
      const Unpacked u = decode_operand(m.out_format, in.c, e);
      if (u.is_nan() && u.signaling) e.flags |= flag::invalid;
      cx = Exact::from(u);
      if (u.is_finite_nonzero()) cv = to_double(u);
    }
    if (s.after) {
      s.have_outer = in.has_c;
      s.outer = cx;
      s.inner.begin(nullptr, 0, e);
    } else {
      s.inner.begin(in.has_c ? &cx : nullptr, cv, e);
    }
  } else if (!s.active) {
    throw std::logic_error("mac: a chunk arrived without a dot product started (first)");
  }
  const int n = in.count < 0 ? cfg_.lanes : std::min(in.count, cfg_.lanes);
  const MacOperandTable &ta = s.tab->act, &tb = s.tab->weight;
  const bool exact_products = m.product == ProductMode::Exact;
  for (int l = 0; l < n; ++l) {
    const uint64_t ca = in.a[l], cb = in.b[l];
    if (!exact_products) {
      s.inner.push_exact(model_product(m, cfg_.act.format, ca, cfg_.weight.format, cb, e));
      ++s.pos;
      continue;
    }
    const MacValue& x = ta.value[ca & ta.mask];
    const MacValue& y = tb.value[cb & tb.mask];
    double sab = 1;
    if (s.block_in) {
      if (ta.block) sab *= ta.scale[in.scale_a[s.sa_div ? size_t(l) / s.sa_div : 0] & (ta.scale.size() - 1)];
      if (tb.block) sab *= tb.scale[in.scale_b[s.sb_div ? size_t(l) / s.sb_div : 0] & (tb.scale.size() - 1)];
    }
    Term t;
    t.sign = x.sign != y.sign;
    const auto X = ValueClass(x.cls), Y = ValueClass(y.cls);
    if (X == ValueClass::NaN || Y == ValueClass::NaN) {
      if ((x.snan || y.snan) && !s.block_in) e.flags |= flag::invalid;  // as model_product
      t.cls = uint8_t(ValueClass::NaN);
    } else if ((X == ValueClass::Inf && Y == ValueClass::Zero) || (X == ValueClass::Zero && Y == ValueClass::Inf)) {
      e.flags |= flag::invalid;
      t.cls = uint8_t(ValueClass::NaN);
    } else if (!s.after && std::isnan(sab)) {
      t.cls = uint8_t(ValueClass::NaN);
    } else if (X == ValueClass::Inf || Y == ValueClass::Inf) {
      t.cls = uint8_t(ValueClass::Inf);
    } else if (X == ValueClass::Zero || Y == ValueClass::Zero) {
      t.cls = uint8_t(ValueClass::Zero);
    } else {
      t.cls = uint8_t(ValueClass::Finite);
      t.v = s.after ? x.v * y.v : x.v * y.v * sab;
    }
    s.inner.push(t, e);
    ++s.pos;
    if (s.after) {
      s.block_scale = sab;
      if (s.pos % s.after_block == 0) {
        // The block's sum rounded into the output format, scaled exactly, added with one rounding.
        const uint64_t p = s.inner.finish(e);
        const Exact sc = scaled(Exact::from(decode(m.out_format, p)), sab);
        const uint64_t r = dot_terms(s.add_model, std::span<const Exact>(&sc, 1), s.have_outer ? &s.outer : nullptr, e);
        s.outer = Exact::from(decode(m.out_format, r));
        s.have_outer = true;
        s.inner.begin(nullptr, 0, e);
      }
    }
  }
  if (in.last) {
    DpnOutputs r;
    r.valid = true;
    if (s.after) {
      if (s.pos % s.after_block != 0) {
        const uint64_t p = s.inner.finish(e);
        const Exact sc = scaled(Exact::from(decode(m.out_format, p)), s.block_scale);
        const uint64_t q = dot_terms(s.add_model, std::span<const Exact>(&sc, 1), s.have_outer ? &s.outer : nullptr, e);
        s.outer = Exact::from(decode(m.out_format, q));
        s.have_outer = true;
      }
      r.code = dot_terms(s.add_model, {}, s.have_outer ? &s.outer : nullptr, e);
    } else {
      r.code = s.inner.finish(e);
    }
    r.flags = e.flags;
    s.active = false;
    // The result leaves the pipeline `pipeline` cycles after this chunk entered.
    s.ring[slot] = r;
  }
  return out;
}

}  // namespace bitexact::hw
