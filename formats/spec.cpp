#include "formats/spec.hpp"

#include <cctype>
#include <string>

#include <fmt/format.h>

#include "formats/catalog.hpp"
#include "formats/error.hpp"

namespace bitexact {

namespace {

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Format parse() {
    if (s_.empty()) fail("empty format spec", 0);
    skip_space();
    const size_t name_start = pos_;
    while (pos_ < s_.size() && (std::isalnum(uc(s_[pos_])) || s_[pos_] == '_')) ++pos_;
    const std::string_view name = s_.substr(name_start, pos_ - name_start);
    if (name.empty()) fail("expected a format name", pos_);
    FloatParams p;
    std::string canonical;
    bool bias_given = false;
    const bool generic = name == "float";
    if (!generic) {
      if (const CatalogEntry* e = active_catalog().find(name)) {
        p = e->format.fp;
        canonical = e->format.name;
      } else if (!parse_exmy(name, p)) {
        fail(fmt::format("unknown format '{}' (see 'bitexact formats list')", name), name_start);
      }
    }
    skip_space();
    bool overridden = false;
    if (pos_ < s_.size() && s_[pos_] == '<') {
      ++pos_;
      bool seen_e = false, seen_m = false;
      std::string seen_keys = ",";
      skip_space();
      while (true) {
        const size_t key_start = pos_;
        while (pos_ < s_.size() && (std::isalpha(uc(s_[pos_])) || s_[pos_] == '_')) ++pos_;
        const std::string key(s_.substr(key_start, pos_ - key_start));
        if (key.empty()) fail("expected a key (e, m, bias, signed, subnormals, zero, inf, nan)", key_start);
        if (seen_keys.find("," + key + ",") != std::string::npos) fail(fmt::format("'{}' given twice", key), key_start);
        seen_keys += key + ",";
        skip_space();
        if (pos_ >= s_.size() || s_[pos_] != '=') fail(fmt::format("expected '=' after '{}'", key), pos_);
        ++pos_;
        skip_space();
        const size_t val_start = pos_;
        while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '>' && !std::isspace(uc(s_[pos_]))) ++pos_;
        const std::string val(s_.substr(val_start, pos_ - val_start));
        if (val.empty()) fail(fmt::format("expected a value for '{}'", key), val_start);
        if (key == "e") { p.exp_bits = int_value(val, val_start, 1, 15); seen_e = true; }
        else if (key == "m") { p.man_bits = int_value(val, val_start, 0, 52); seen_m = true; }
        else if (key == "bias") { p.bias = int_value(val, val_start, -32768, 32768); bias_given = true; }
        else if (key == "signed") p.is_signed = bool_value(val, val_start);
        else if (key == "subnormals") p.subnormals = bool_value(val, val_start);
        else if (key == "zero") p.has_zero = bool_value(val, val_start);
        else if (key == "inf") p.inf = inf_value(val, val_start);
        else if (key == "nan") p.nan = nan_value(val, val_start);
        else fail(fmt::format("unknown key '{}' (expected e, m, bias, signed, subnormals, zero, inf, nan)", key),
                  key_start);
        overridden = true;
        skip_space();
        if (pos_ >= s_.size()) fail("missing '>'", pos_);
        if (s_[pos_] == '>') { ++pos_; break; }
        if (s_[pos_] != ',') fail("expected ',' or '>'", pos_);
        ++pos_;
        skip_space();
      }
      if (generic && !(seen_e && seen_m)) fail("float<...> needs both e= and m=", name_start);
      if (generic && !bias_given) p.bias = (1 << (p.exp_bits - 1)) - 1;
    } else if (generic) {
      fail("expected '<' after 'float'", pos_);
    }
    skip_space();
    if (pos_ != s_.size()) fail("unexpected trailing characters", pos_);

    const CatalogEntry* same = active_catalog().find_params(p);
    std::string name_out = same ? same->format.name : (overridden || canonical.empty() ? "" : canonical);
    if (name_out.empty()) {
      Format shape;
      shape.fp = p;
      name_out = spec_string(shape);
    }
    try {
      return make_float_format(name_out, p);
    } catch (const FormatError& e) {
      throw FormatError(e.what(), std::string(s_), FormatError::npos);
    }
  }

 private:
  static unsigned char uc(char c) { return static_cast<unsigned char>(c); }

  [[noreturn]] void fail(const std::string& msg, size_t at) const {
    throw FormatError(fmt::format("bad format spec: {}", msg), std::string(s_), std::min(at, s_.size()));
  }

  void skip_space() {
    while (pos_ < s_.size() && std::isspace(uc(s_[pos_]))) ++pos_;
  }

  // eXmY with IEEE-like defaults.
  static bool parse_exmy(std::string_view n, FloatParams& p) {
    if (n.size() < 4 || (n[0] != 'e' && n[0] != 'E')) return false;
    size_t i = 1;
    int e = 0, m = 0, de = 0, dm = 0;
    while (i < n.size() && std::isdigit(uc(n[i])) && de < 3) e = e * 10 + (n[i++] - '0'), ++de;
    if (de == 0 || i >= n.size() || (n[i] != 'm' && n[i] != 'M')) return false;
    ++i;
    while (i < n.size() && std::isdigit(uc(n[i])) && dm < 3) m = m * 10 + (n[i++] - '0'), ++dm;
    if (dm == 0 || i != n.size() || e < 1 || e > 15 || m > 52) return false;
    p = FloatParams{};
    p.exp_bits = e;
    p.man_bits = m;
    p.bias = (1 << (e - 1)) - 1;
    return true;
  }

  int int_value(const std::string& v, size_t at, int lo, int hi) const {
    size_t i = 0;
    bool neg = false;
    if (i < v.size() && (v[i] == '-' || v[i] == '+')) neg = v[i++] == '-';
    if (i >= v.size()) fail(fmt::format("'{}' is not an integer", v), at);
    long long x = 0;
    for (; i < v.size(); ++i) {
      if (!std::isdigit(uc(v[i]))) fail(fmt::format("'{}' is not an integer", v), at + i);
      x = x * 10 + (v[i] - '0');
      if (x > 1000000) fail(fmt::format("'{}' is out of range {}..{}", v, lo, hi), at);
    }
    if (neg) x = -x;
    if (x < lo || x > hi) fail(fmt::format("'{}' is out of range {}..{}", v, lo, hi), at);
    return int(x);
  }

  bool bool_value(const std::string& v, size_t at) const {
    if (v == "true" || v == "1" || v == "yes") return true;
    if (v == "false" || v == "0" || v == "no") return false;
    fail(fmt::format("'{}' is not true or false", v), at);
  }

  InfPolicy inf_value(const std::string& v, size_t at) const {
    if (v == "ieee") return InfPolicy::Ieee;
    if (v == "none") return InfPolicy::None;
    if (v == "top") return InfPolicy::Top;
    fail(fmt::format("inf must be ieee, none or top, not '{}'", v), at);
  }

  NanPolicy nan_value(const std::string& v, size_t at) const {
    if (v == "ieee") return NanPolicy::Ieee;
    if (v == "allones" || v == "fn") return NanPolicy::AllOnes;
    if (v == "negzero" || v == "fnuz") return NanPolicy::NegZero;
    if (v == "none") return NanPolicy::None;
    fail(fmt::format("nan must be ieee, allones, negzero or none, not '{}'", v), at);
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Format parse_format(std::string_view spec) { return Parser(spec).parse(); }

const char* format_spec_help() {
  return "A FORMAT is a catalogue name or alias (float8_e4m3fn, e4m3, bf16, fp16, e2m1, ...; see "
         "'bitexact formats list'), an ExMy shape such as e3m3 (IEEE-like: bias 2^(E-1)-1, IEEE inf and NaN, "
         "subnormals; a catalogued shape such as e4m3 means the catalogued format), or "
         "float<e=E,m=M[,bias=B][,signed=true|false][,subnormals=true|false][,zero=true|false]"
         "[,inf=ieee|none|top][,nan=ieee|allones|negzero|none]>. NAME<key=value,...> overrides keys of a named format, "
         "e.g. float8_e4m3fn<subnormals=false>.";
}

}  // namespace bitexact
