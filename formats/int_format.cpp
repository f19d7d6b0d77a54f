#include "formats/int_format.hpp"

#include <bit>
#include <cctype>

#include <fmt/format.h>

#include "formats/error.hpp"

namespace bitexact {

int64_t int_min(const IntParams& p) {
  if (!p.is_signed) return 0;
  const int64_t half = int64_t{1} << (p.bits - 1);
  return p.symmetric ? -(half - 1) : -half;
}

int64_t int_max(const IntParams& p) {
  return p.is_signed ? (int64_t{1} << (p.bits - 1)) - 1 : (int64_t{1} << p.bits) - 1;
}

std::string int_canonical_name(const IntParams& p) {
  const char* u = p.is_signed ? "" : "u";
  if (p.frac_bits == 0) return fmt::format("{}int{}{}", u, p.bits, p.symmetric ? "_sym" : "");
  const int m = p.bits - p.frac_bits - (p.is_signed ? 1 : 0);
  if (m >= 0 && p.frac_bits > 0 && !p.symmetric) return fmt::format("{}q{}.{}", u, m, p.frac_bits);
  return fmt::format("{}int<bits={},frac={}{}>", u, p.bits, p.frac_bits, p.symmetric ? ",symmetric=true" : "");
}

Format make_int_format(std::string name, const IntParams& p) {
  if (p.bits < 1 || p.bits > 32) throw FormatError(fmt::format("integer width {} is outside 1..32", p.bits));
  if (p.symmetric && !p.is_signed) throw FormatError("symmetric integers must be signed");
  if (p.symmetric && p.bits < 2) throw FormatError("symmetric integers need at least 2 bits");
  if (p.frac_bits < -256 || p.frac_bits > 256) throw FormatError(fmt::format("frac_bits {} is outside -256..256", p.frac_bits));
  Format f;
  f.family = Family::Int;
  f.ip = p;
  f.name = name.empty() ? int_canonical_name(p) : std::move(name);
  f.facts.width = p.bits;
  f.facts.code_mask = (uint64_t{1} << p.bits) - 1;
  f.facts.sign_bit = p.is_signed ? uint64_t{1} << (p.bits - 1) : 0;
  f.facts.max_code = int_code_of(p, int_max(p));
  f.facts.min_code = 1;
  f.spec = int_spec_string(p);
  f.is_signed = p.is_signed;
  SpecialCodes& sc = f.special;
  sc.pos_zero = 0;
  sc.pos_max = int_code_of(p, int_max(p));
  sc.neg_max = int_code_of(p, p.is_signed ? int_min(p) : 0);
  sc.pos_min = 1;
  sc.neg_min = p.is_signed ? f.facts.code_mask : 0;  // -1
  return f;
}

Unpacked int_decode(const Format& f, uint64_t code) {
  const IntParams& p = f.ip;
  code &= f.facts.code_mask;
  int64_t k = int64_t(code);
  if (p.is_signed && (code & f.facts.sign_bit)) k -= int64_t{1} << p.bits;
  Unpacked u;
  if (k == 0) return u;  // +0
  u.cls = ValueClass::Finite;
  u.sign = k < 0;
  u.significand = uint64_t(k < 0 ? -k : k);
  u.exponent = -p.frac_bits;
  return u;
}

std::optional<uint64_t> int_encode(const Format& f, const Unpacked& v) {
  const IntParams& p = f.ip;
  if (v.is_zero()) return 0;
  if (!v.is_finite_nonzero() || v.significand == 0) return std::nullopt;
  // k = sig * 2^(exponent + frac_bits) must be an integer within the decodable range.
  const int64_t sh = int64_t(v.exponent) + p.frac_bits;
  uint64_t sig = v.significand;
  if (sh < 0) {
    if (sh <= -64 || (sig & ((uint64_t{1} << -sh) - 1)) != 0) return std::nullopt;
    sig >>= -sh;
  } else {
    if (sh >= 40 || std::bit_width(sig) + sh > 40) return std::nullopt;
    sig <<= sh;
  }
  const int64_t k = v.sign ? -int64_t(sig) : int64_t(sig);
  const int64_t lo = p.is_signed ? -(int64_t{1} << (p.bits - 1)) : 0;
  if (k < lo || k > int_max(p)) return std::nullopt;
  return int_code_of(p, k);
}

std::string int_spec_string(const IntParams& p) {
  std::string s = fmt::format("int<bits={}", p.bits);
  if (!p.is_signed) s += ",signed=false";
  if (p.symmetric) s += ",symmetric=true";
  if (p.frac_bits != 0) s += fmt::format(",frac={}", p.frac_bits);
  return s + ">";
}

namespace {

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 4) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::optional<Format> parse_int_spec(const SpecTerm& t) {
  const std::string& n = t.name;
  IntParams p;
  bool named_width = false;  // intN / uintN / qM.N: the width is in the name
  std::string_view rest;
  if (n == "int" || n == "uint" || n == "fixed") {
    p.is_signed = n != "uint";
  } else if (n.rfind("uint", 0) == 0 && all_digits(std::string_view(n).substr(4))) {
    p.is_signed = false;
    p.bits = to_int(std::string_view(n).substr(4));
    named_width = true;
  } else if (n.rfind("int", 0) == 0) {
    rest = std::string_view(n).substr(3);
    bool sym = false;
    if (rest.size() > 4 && rest.substr(rest.size() - 4) == "_sym") {
      sym = true;
      rest.remove_suffix(4);
    }
    if (!all_digits(rest)) return std::nullopt;
    p.bits = to_int(rest);
    p.symmetric = sym;
    named_width = true;
  } else if ((n.rfind("q", 0) == 0 || n.rfind("uq", 0) == 0) && n.find('.') != std::string::npos) {
    p.is_signed = n[0] == 'q';
    std::string_view body = std::string_view(n).substr(p.is_signed ? 1 : 2);
    const size_t dot = body.find('.');
    if (!all_digits(body.substr(0, dot)) || !all_digits(body.substr(dot + 1))) return std::nullopt;
    const int m = to_int(body.substr(0, dot)), fr = to_int(body.substr(dot + 1));
    p.frac_bits = fr;
    p.bits = m + fr + (p.is_signed ? 1 : 0);
    named_width = true;
  } else {
    return std::nullopt;
  }
  if (named_width && (p.bits < 1 || p.bits > 32))
    t.fail(fmt::format("integer width {} is outside 1..32", p.bits), t.name_pos);

  const bool fixed = n == "fixed";
  int m = -1;
  bool have_n = false;
  for (const SpecArg& a : t.args) {
    if (a.key.empty()) {
      if (a.value == "symmetric") p.symmetric = true;
      else if (a.value == "unsigned") p.is_signed = false;
      else t.fail(fmt::format("unknown flag '{}' (symmetric, unsigned, or key=value)", a.value), a.value_pos);
      continue;
    }
    if (a.key == "bits" && !fixed) p.bits = t.int_value(a, 1, 32);
    else if (a.key == "signed") p.is_signed = t.bool_value(a);
    else if (a.key == "symmetric") p.symmetric = t.bool_value(a);
    else if ((a.key == "frac" && !fixed) || (a.key == "n" && fixed)) {
      p.frac_bits = t.int_value(a, -256, 256);
      have_n = true;
    } else if (a.key == "m" && fixed) m = t.int_value(a, 0, 32);
    else
      t.fail(fmt::format("unknown key '{}' (expected {})", a.key,
                         fixed ? "m, n, signed, symmetric" : "bits, signed, symmetric, frac"),
             a.key_pos);
  }
  if (fixed) {
    if (m < 0 || !have_n) t.fail("fixed<...> needs m= and n=", t.name_pos);
    p.bits = m + p.frac_bits + (p.is_signed ? 1 : 0);
  } else if (!named_width && !t.find("bits")) {
    t.fail(fmt::format("{}<...> needs bits=", n), t.name_pos);
  }
  try {
    return make_int_format("", p);
  } catch (const FormatError& e) {
    throw FormatError(fmt::format("bad format spec: {}", e.what()), t.text, t.name_pos);
  }
}

}  // namespace bitexact
