// Shared pieces of the fuzz targets (tests/fuzz/README.md): splitting an input into a text part
// and control bytes, the allowed-exception rule, and property checks that abort (so libFuzzer and
// the corpus replay both report them as a crash with the message on stderr).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>

#include "formats/error.hpp"

namespace bitexact::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

#define FUZZ_CHECK(cond, what)                                                              \
  do {                                                                                      \
    if (!(cond)) ::bitexact::fuzz::fail(std::string(#cond) + " -- " + std::string(what));   \
  } while (0)

// The input as "TEXT\nCONTROL" (or "TEXT\0CONTROL"): the text a parser reads, then bytes that pick
// formats, modes and codes for the properties. Without the separator the whole input is text and
// every pick is 0.
class Input {
 public:
  // sep: '\n' for one-line inputs (spec strings, values, vector lines), '\0' for whole files.
  Input(const uint8_t* data, size_t size, char sep = '\n') : all_(reinterpret_cast<const char*>(data), size) {
    const size_t nl = all_.find(sep);
    text_ = all_.substr(0, nl);
    if (nl != std::string_view::npos) ctl_ = all_.substr(nl + 1);
  }
  std::string_view all() const { return all_; }
  std::string_view text() const { return text_; }
  std::string_view control() const { return ctl_; }
  uint8_t u8() { return pos_ < ctl_.size() ? uint8_t(ctl_[pos_++]) : 0; }
  uint64_t u64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t(u8()) << (8 * i);
    return v;
  }
  size_t pick(size_t n) { return n == 0 ? 0 : u8() % n; }
  bool more() const { return pos_ < ctl_.size(); }

 private:
  std::string_view all_, text_, ctl_;
  size_t pos_ = 0;
};

// Runs f(); the project's typed errors (FormatError, std::invalid_argument, and `Extra` where a
// parser documents its own type) are the expected outcome of bad input. Any other exception is a
// bug: report its type and message and abort. Returns true when f() completed.
struct NoExtraError {};  // the default Extra: nothing throws it
template <class Extra = NoExtraError, class F>
bool allowed(F&& f) {
  try {
    f();
    return true;
  } catch (const FormatError&) {
    return false;
  } catch (const std::invalid_argument&) {
    return false;
  } catch (const Extra&) {
    return false;
  } catch (const std::exception& e) {
    fail(std::string("unexpected exception ") + typeid(e).name() + ": " + e.what());
  } catch (...) {
    fail("unexpected non-std exception");
  }
}

}  // namespace bitexact::fuzz

// --- helpers for the targets that round values (need emu/) ---------------------------------------
#ifdef BITEXACT_FUZZ_WITH_EMU
#include <fmt/format.h>

#include "emu/env.hpp"
#include "emu/reference/oracle.hpp"
#include "formats/catalog.hpp"
#include "formats/codec.hpp"
#include "formats/spec.hpp"

namespace bitexact::fuzz {

// Every rounding mode and policy the core and the oracle share.
inline Env pick_env(Input& in) {
  Env env;
  env.mode = RoundingMode(in.pick(8));
  if (env.mode == RoundingMode::SRR) env.sr_bits = 1 + int(in.pick(32));
  env.overflow = OverflowPolicy(in.pick(3));
  env.subnormals = SubnormalPolicy(in.pick(4));
  env.tininess = Tininess(in.pick(2));
  env.nan_to_nonan = NanToNoNan(in.pick(2));
  env.nan_sign = NanSign(in.pick(2));
  env.seed = in.u8();
  env.index = in.u8();
  return env;
}

inline std::string env_name(const Env& e) {
  return fmt::format("mode {} overflow {} subnormals {} tininess {} nan_to_nonan {} nan_sign {} seed {} index {}",
                     rounding_name(e.mode, e.sr_bits), int(e.overflow), int(e.subnormals), int(e.tininess),
                     int(e.nan_to_nonan), int(e.nan_sign), e.seed, e.index);
}

// A format the properties convert into: every catalogued format, plus a few generic shapes.
inline const Format& pick_format(Input& in) {
  static const std::vector<Format> formats = [] {
    std::vector<Format> v;
    for (const auto& e : Catalog::builtin().entries()) v.push_back(e.format);
    for (const char* s : {"e2m1", "e3m2<nan=none,inf=none>", "float<e=5,m=10,subnormals=false>", "e6m9",
                          "float<e=4,m=3,signed=false>", "int8", "uint4", "int8_sym", "q3.4", "posit16",
                          "posit<8,1>", "q7.8", "float<e=11,m=52>", "e8m23"})
      v.push_back(parse_format(s));
    return v;
  }();
  return formats[in.pick(formats.size())];
}

// The oracle method for conversions into `to`: value-set enumeration up to 8 bits, MPFR rounding
// beyond. Enumerating a 16-bit float builds a table of 65536 numbers per format (and the fuzzer
// meets new formats on most inputs); emu_exhaustive checks the two methods against each other.
inline reference::Method oracle_method(const Format& to) {
  return to.width() <= 8 ? reference::Method::Auto : reference::Method::Mpfr;
}

// Same class, sign and exact value (NaNs: both NaN).
inline bool same_value(const Unpacked& a, const Unpacked& b) {
  if (a.cls != b.cls) return false;
  if (a.cls == ValueClass::NaN) return true;
  if (a.sign != b.sign) return false;
  if (a.cls != ValueClass::Finite) return true;
  // Normalise the significands (odd) before comparing.
  auto norm = [](uint64_t s, int64_t e) {
    while (s && !(s & 1)) { s >>= 1; ++e; }
    return std::pair<uint64_t, int64_t>(s, e);
  };
  return norm(a.significand, a.exponent) == norm(b.significand, b.exponent);
}

// decode -> encode -> decode gives the same value for a code of f (NaN codes: f has a NaN).
inline void check_code_round_trip(const Format& f, uint64_t code) {
  const Unpacked u = decode(f, code);
  const std::string where = fmt::format("{} code 0x{:x}", spec_string(f), code);
  if (u.is_nan()) {
    FUZZ_CHECK(f.has_nan() || !f.is_float(), where + " decodes as NaN but the format has none");
    return;
  }
  const std::optional<uint64_t> back = encode(f, u);
  FUZZ_CHECK(back.has_value(), where + ": encode(decode(code)) has no code");
  FUZZ_CHECK((*back & ~f.facts.code_mask) == 0, where + ": encode gave a code wider than the format");
  FUZZ_CHECK(same_value(decode(f, *back), u), where + fmt::format(": re-encoded as 0x{:x}, another value", *back));
}

}  // namespace bitexact::fuzz
#endif
