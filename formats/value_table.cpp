#include "formats/value_table.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "formats/codebook.hpp"
#include "formats/error.hpp"
#include "formats/hifloat8.hpp"

namespace bitexact {

namespace {

using u128 = ValueTable::u128;

}  // namespace

Unpacked unpack_double(double d) {
  Unpacked u;
  u.sign = std::signbit(d);
  if (std::isnan(d)) {
    u.cls = ValueClass::NaN;
    return u;
  }
  if (std::isinf(d)) {
    u.cls = ValueClass::Inf;
    return u;
  }
  if (d == 0) {
    u.cls = ValueClass::Zero;
    return u;
  }
  int e = 0;
  const double m = std::frexp(std::fabs(d), &e);  // m in [0.5, 1)
  uint64_t sig = uint64_t(std::ldexp(m, 64 - 11));  // 53 bits, exact
  int exp = e - (64 - 11);
  const int tz = std::countr_zero(sig);
  u.cls = ValueClass::Finite;
  u.significand = sig >> tz;
  u.exponent = exp + tz;
  return u;
}

namespace {

// Lowest set bit exponent of a finite non-zero value.
int lsb_exp(const Unpacked& u) { return u.exponent + std::countr_zero(u.significand); }
int msb_exp(const Unpacked& u) { return u.exponent + 63 - std::countl_zero(u.significand); }

}  // namespace

ValueTable ValueTable::build(std::string name, int width, std::vector<Entry> entries) {
  auto fail = [&](const std::string& msg) -> void {
    throw FormatError(fmt::format("codebook '{}': {}", name, msg));
  };
  if (width < 1 || width > 16) fail(fmt::format("width {} is outside 1..16", width));
  const uint64_t n = uint64_t{1} << width;
  if (entries.size() > n) fail(fmt::format("{} entries do not fit {} bits", entries.size(), width));
  entries.resize(n);

  ValueTable t;
  t.name_ = std::move(name);
  t.width_ = width;

  // Normalise finite values (odd significands) and collect them.
  struct Fin {
    Unpacked v;
    uint64_t code;
  };
  std::vector<Fin> fin;
  bool any_zero = false;
  for (uint64_t c = 0; c < n; ++c) {
    if (!entries[c]) continue;
    Unpacked& u = *entries[c];
    switch (u.cls) {
      case ValueClass::NaN:
        if (t.nan_code_[u.sign] == kNone) t.nan_code_[u.sign] = c;
        continue;
      case ValueClass::Inf:
        if (t.inf_code_[u.sign] != kNone) fail(fmt::format("{}inf given twice", u.sign ? "-" : "+"));
        t.inf_code_[u.sign] = c;
        continue;
      case ValueClass::Zero:
        if (u.sign) {
          if (t.neg_zero_code_ != kNone) fail("-0 given twice");
          t.neg_zero_code_ = c;
          continue;  // -0 is the same point as +0
        }
        if (any_zero) fail("0 given twice");
        any_zero = true;
        break;
      case ValueClass::Finite: {
        if (u.significand == 0) fail("a finite entry with a zero significand");
        const int tz = std::countr_zero(u.significand);
        u.significand >>= tz;
        u.exponent += tz;
        u.subnormal = false;
        u.signaling = false;
        break;
      }
    }
    fin.push_back({u, c});
  }
  if (t.neg_zero_code_ != kNone && !any_zero) {  // a table with only -0: it is the zero
    Unpacked z;
    z.cls = ValueClass::Zero;
    fin.push_back({z, t.neg_zero_code_});
    any_zero = true;
    t.neg_zero_code_ = kNone;
  }
  if (fin.size() < 2) fail("needs at least two distinct finite values");

  // The common grid.
  int g = 0, top = 0;
  bool first = true;
  for (const Fin& f : fin) {
    if (f.v.cls != ValueClass::Finite) continue;
    g = first ? lsb_exp(f.v) : std::min(g, lsb_exp(f.v));
    top = first ? msb_exp(f.v) : std::max(top, msb_exp(f.v));
    first = false;
  }
  if (first) fail("needs a non-zero finite value");
  if (top - g > 122) fail(fmt::format("values span {} bits (at most 123: largest / finest step < 2^123)", top - g + 1));
  t.grid_exp_ = g;

  // Split into sides by increasing magnitude.
  struct Pt {
    u128 mag;
    uint64_t code;
  };
  std::vector<Pt> pos, neg;
  for (const Fin& f : fin) {
    if (f.v.cls == ValueClass::Zero) continue;
    const u128 m = u128(f.v.significand) << (f.v.exponent - g);
    (f.v.sign ? neg : pos).push_back({m, f.code});
  }
  auto by_mag = [](const Pt& a, const Pt& b) { return a.mag < b.mag; };
  std::sort(pos.begin(), pos.end(), by_mag);
  std::sort(neg.begin(), neg.end(), by_mag);
  for (auto* v : {&pos, &neg})
    for (size_t i = 1; i < v->size(); ++i)
      if ((*v)[i].mag == (*v)[i - 1].mag)
        fail(fmt::format("codes {} and {} hold the same value", (*v)[i - 1].code, (*v)[i].code));

  uint64_t zero_code = kNone;
  for (const Fin& f : fin)
    if (f.v.cls == ValueClass::Zero) zero_code = f.code;

  for (int s = 0; s < 2; ++s) {
    const std::vector<Pt>& mine = s ? neg : pos;
    const std::vector<Pt>& other = s ? pos : neg;
    if (mine.empty() && !any_zero) fail(fmt::format("has no {} value and no zero", s ? "negative" : "positive"));
    Side& side = t.side_[s];
    side.real_zero = any_zero;
    side.mag.push_back(0);
    side.code.push_back(s && t.neg_zero_code_ != kNone ? t.neg_zero_code_ : zero_code);
    for (const Pt& p : mine) {
      side.mag.push_back(p.mag);
      side.code.push_back(p.code);
    }
    // The virtual end: the extreme value E of this side plus the gap to its inward neighbour N
    // (the next value toward the other side, which may lie on the other side).
    const u128 e = side.mag.back();
    u128 gap;
    if (mine.size() >= 2) gap = e - mine[mine.size() - 2].mag;
    else if (mine.size() == 1 && any_zero) gap = e;
    else if (mine.size() == 1) gap = e + other.front().mag;  // zero-free: N is the other side's smallest
    else gap = other.front().mag;                             // empty side: E = 0, N = the other's smallest
    side.mag.push_back(e + gap);
    side.code.push_back(kNone);
  }
  t.entries_ = std::move(entries);
  return t;
}

ValueTable ValueTable::from_doubles(std::string name, int width, const std::vector<double>& values) {
  std::vector<Entry> e;
  e.reserve(values.size());
  for (double d : values) e.push_back(unpack_double(d));
  return build(std::move(name), width, std::move(e));
}

Unpacked ValueTable::decode(uint64_t code) const {
  if (code < entries_.size() && entries_[code]) return *entries_[code];
  Unpacked u;
  u.cls = ValueClass::NaN;
  return u;
}

bool ValueTable::is_used(uint64_t code) const { return code < entries_.size() && entries_[code].has_value(); }

std::optional<uint64_t> ValueTable::encode(const Unpacked& v) const {
  switch (v.cls) {
    case ValueClass::NaN: return nan_code(v.sign);
    case ValueClass::Inf: return inf_code(v.sign);
    case ValueClass::Zero: return zero_code(v.sign);
    case ValueClass::Finite: break;
  }
  if (v.significand == 0) return std::nullopt;
  const int tz = std::countr_zero(v.significand);
  const uint64_t sig = v.significand >> tz;
  const int64_t exp = int64_t(v.exponent) + tz;
  if (exp < grid_exp_) return std::nullopt;
  const int64_t shift = exp - grid_exp_;
  if (shift + (63 - std::countl_zero(sig)) > 124) return std::nullopt;
  const u128 m = u128(sig) << shift;
  const Side& s = side_[v.sign];
  auto it = std::lower_bound(s.mag.begin() + 1, s.mag.end() - 1, m);
  if (it == s.mag.end() - 1 || *it != m) return std::nullopt;
  return s.code[size_t(it - s.mag.begin())];
}

std::optional<uint64_t> ValueTable::nan_code(bool sign) const {
  if (nan_code_[sign] != kNone) return nan_code_[sign];
  if (nan_code_[!sign] != kNone) return nan_code_[!sign];
  return std::nullopt;
}

std::optional<uint64_t> ValueTable::inf_code(bool sign) const {
  if (inf_code_[sign] != kNone) return inf_code_[sign];
  return std::nullopt;
}

std::optional<uint64_t> ValueTable::zero_code(bool sign) const {
  if (!has_zero()) return std::nullopt;
  return side_[sign].code[0];
}

uint64_t ValueTable::max_code(bool sign) const {
  const Side& s = side_[sign];
  return s.code[s.code.size() - 2];  // the extreme value (the zero code when the side is empty)
}

uint64_t ValueTable::smallest_code(bool sign) const {
  const Side& s = side_[sign];
  if (s.code.size() > 2) return s.code[1];
  return side_[!sign].code[1];
}

std::vector<ValueTable::Point> ValueTable::sorted_values() const {
  std::vector<Point> out;
  const Side& n = side_[1];
  for (size_t i = n.mag.size() - 2; i >= 1; --i) out.push_back({decode(n.code[i]), n.code[i]});
  if (has_zero()) out.push_back({decode(side_[0].code[0]), side_[0].code[0]});
  const Side& p = side_[0];
  for (size_t i = 1; i + 1 < p.mag.size(); ++i) out.push_back({decode(p.code[i]), p.code[i]});
  return out;
}

std::string ValueTable::values_string(size_t limit) const {
  const auto pts = sorted_values();
  std::string s = "{";
  for (size_t i = 0; i < pts.size(); ++i) {
    if (i == limit && pts.size() > limit + 1) {
      s += fmt::format(", ... ({} more)", pts.size() - i);
      break;
    }
    if (i) s += ", ";
    s += fmt::format("{}", to_double(pts[i].value));
  }
  return s + "}";
}

bool ValueTable::operator==(const ValueTable& o) const {
  if (width_ != o.width_) return false;
  for (uint64_t c = 0; c < code_count(); ++c) {
    const Unpacked a = decode(c), b = o.decode(c);
    if (is_used(c) != o.is_used(c) || a.cls != b.cls || a.sign != b.sign) return false;
    if (a.cls == ValueClass::Finite && (a.significand != b.significand || a.exponent != b.exponent)) return false;
  }
  return true;
}

// ---- built-in codebooks ----

ValueTable nf4_table() {
  // QLoRA (Dettmers et al., 2023), Appendix E / bitsandbytes get_4bit_type("nf4"): float32 values.
  static const double kNf4[16] = {
      -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
      -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
      0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
      0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0};
  std::vector<double> v;
  for (double d : kNf4) v.push_back(double(float(d)));  // the float32 constants (each d already is one)
  return ValueTable::from_doubles("nf4", 4, v);
}

ValueTable ternary_table() {
  std::vector<ValueTable::Entry> e(4);
  e[0] = unpack_double(0.0);
  e[1] = unpack_double(1.0);
  e[3] = unpack_double(-1.0);
  return ValueTable::build("ternary", 2, std::move(e));
}

ValueTable binary_table() { return ValueTable::from_doubles("binary", 1, {-1.0, 1.0}); }

ValueTable pow2_table(int bits, int emax, bool zero) {
  const std::string name = fmt::format("pow2<bits={},emax={},zero={}>", bits, emax, zero);
  if (bits < (zero ? 2 : 1) || bits > 7)
    throw FormatError(fmt::format("{}: bits must be {}..7", name, zero ? 2 : 1));
  if (emax < -900 || emax > 900) throw FormatError(fmt::format("{}: emax must be within -900..900", name));
  const int field = bits - 1;
  const int lowest = emax - ((1 << field) - 1);
  std::vector<ValueTable::Entry> e(size_t{1} << bits);
  for (int s = 0; s < 2; ++s)
    for (int k = 0; k < (1 << field); ++k) {
      const uint64_t code = (uint64_t(s) << field) | uint64_t(k);
      Unpacked u;
      u.sign = s != 0;
      if (zero && k == 0) {
        u.cls = ValueClass::Zero;
      } else {
        u.cls = ValueClass::Finite;
        u.significand = 1;
        u.exponent = lowest + k;
      }
      e[code] = u;
    }
  return ValueTable::build(name, bits, std::move(e));
}

ValueTable bitmod_table(int bits, std::string_view variant) {
  std::vector<double> mags;
  double special = 0;
  if (bits == 3) {
    mags = {0, 1, 2, 4};
    if (variant == "er_pos") special = 3;
    else if (variant == "er_neg") special = -3;
    else if (variant == "ea_pos") special = 6;
    else if (variant == "ea_neg") special = -6;
  } else if (bits == 4) {
    mags = {0, 1, 2, 3, 4, 6, 8, 12};
    if (variant == "er_pos") special = 10;
    else if (variant == "er_neg") special = -10;
    else if (variant == "ea_pos") special = 16;
    else if (variant == "ea_neg") special = -16;
  } else {
    throw FormatError(fmt::format("BitMoD types are 3 or 4 bits, not {}", bits));
  }
  if (special == 0 && !variant.empty())
    throw FormatError(fmt::format("unknown BitMoD variant '{}' (er_pos, er_neg, ea_pos, ea_neg)", variant));
  const std::string name = variant.empty() ? fmt::format("bitmod_fp{}", bits) : fmt::format("bitmod_fp{}_{}", bits, variant);
  const size_t half = mags.size();
  std::vector<double> v(2 * half);
  for (size_t i = 0; i < half; ++i) {
    v[i] = mags[i];
    v[half + i] = -mags[i];
  }
  if (special != 0) v[half] = special;  // the -0 code holds the special value
  return ValueTable::from_doubles(name, bits, v);
}

// ---- the table family ----

Format make_table_format(std::string name, std::string spec, std::shared_ptr<const ValueTable> table) {
  const ValueTable& t = *table;
  Format f;
  f.family = Family::Table;
  f.name = name.empty() ? t.name() : std::move(name);
  f.spec = std::move(spec);
  f.facts.width = t.width();
  f.facts.code_mask = t.code_count() - 1;
  f.facts.sign_bit = 0;  // negation is not a bit flip in general
  f.facts.max_code = t.max_code(false);
  f.facts.min_code = t.smallest_code(false);
  SpecialCodes& sc = f.special;
  sc.nan = t.nan_code(false);
  sc.pos_inf = t.inf_code(false);
  sc.neg_inf = t.inf_code(true);
  sc.pos_zero = t.zero_code(false);
  if (t.has_zero() && *t.zero_code(true) != *t.zero_code(false)) sc.neg_zero = t.zero_code(true);
  sc.pos_max = t.max_code(false);
  sc.neg_max = t.max_code(true);
  sc.pos_min = t.smallest_code(false);
  sc.neg_min = t.smallest_code(true);
  f.is_signed = !t.side_empty(true);
  f.table = std::move(table);
  return f;
}

Unpacked table_decode(const Format& f, uint64_t code) { return f.table->decode(code & f.facts.code_mask); }

std::optional<uint64_t> table_encode(const Format& f, const Unpacked& v) { return f.table->encode(v); }

std::optional<Format> parse_table_spec(const SpecTerm& t) {
  auto make = [&](ValueTable v, std::string spec) {
    auto p = std::make_shared<const ValueTable>(std::move(v));
    return make_table_format("", std::move(spec), std::move(p));
  };
  auto wrap = [&](auto&& fn) -> Format {
    try {
      return fn();
    } catch (const FormatError& e) {
      if (e.input() == t.text) throw;
      throw FormatError(fmt::format("bad format spec: {}", e.what()), t.text, t.name_pos);
    }
  };
  if (t.name == "hifloat8") {  // formats/hifloat8.hpp: the table is HiF8's own definition
    t.check_keys("");
    return make(ValueTable::build("hifloat8", 8, hifloat8_entries()), "hifloat8");
  }
  if (t.name == "nf4" || t.name == "ternary" || t.name == "binary") {
    t.check_keys("");
    if (t.name == "nf4") return make(nf4_table(), "nf4");
    if (t.name == "ternary") return make(ternary_table(), "ternary");
    return make(binary_table(), "binary");
  }
  if (t.name == "pow2") {
    t.check_keys("bits,emax,zero");
    const SpecArg* b = t.find("bits");
    if (!b) t.fail("pow2<...> needs bits=", t.name_pos);
    const int bits = t.int_value(*b, 1, 7);
    const int emax = t.find("emax") ? t.int_value(*t.find("emax"), -900, 900) : 0;
    const bool zero = t.find("zero") ? t.bool_value(*t.find("zero")) : false;
    if (zero && bits < 2) t.fail("pow2 with zero needs bits >= 2", b->value_pos);
    const std::string spec = fmt::format("pow2<bits={},emax={},zero={}>", bits, emax, zero);
    return wrap([&] { return make(pow2_table(bits, emax, zero), spec); });
  }
  if (t.name == "bitmod") {
    t.check_keys("bits,variant");
    const SpecArg* b = t.find("bits");
    if (!b) t.fail("bitmod<...> needs bits=3 or bits=4", t.name_pos);
    const int bits = t.int_value(*b, 3, 4);
    std::string variant;
    if (const SpecArg* v = t.find("variant")) {
      variant = v->value;
      if (variant != "er_pos" && variant != "er_neg" && variant != "ea_pos" && variant != "ea_neg")
        t.fail(fmt::format("variant must be er_pos, er_neg, ea_pos or ea_neg, not '{}'", variant), v->value_pos);
    }
    const std::string spec =
        variant.empty() ? fmt::format("bitmod<bits={}>", bits) : fmt::format("bitmod<bits={},variant={}>", bits, variant);
    return wrap([&] { return make(bitmod_table(bits, variant), spec); });
  }
  if (t.name == "codebook") {
    t.check_keys("file");
    const SpecArg* file = t.find("file");
    if (!file) t.fail("codebook<...> needs file=PATH", t.name_pos);
    ValueTable v = load_codebook(file->value);  // its errors name the file and line
    return make(std::move(v), fmt::format("codebook<file={}>", file->value));
  }
  return std::nullopt;
}

}  // namespace bitexact
