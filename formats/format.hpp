// A number format descriptor: what a format IS, independent of any arithmetic.
//
// A value of a format is a code (an unsigned integer of width() bits) plus its Format.
// Families: Float (any ExMy with its special-value policies), Int (integers and fixed point),
// Posit, and Table (an explicit value list: codebooks such as NF4, HiFloat8). Block-scaled
// formats are composites of these (emu/scheme.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace bitexact {

enum class Family : uint8_t { Float, Int, Posit, Table };
const char* family_name(Family f);

// Which codes, if any, encode infinity.
enum class InfPolicy : uint8_t {
  Ieee,  // top exponent field with zero mantissa is +-inf (requires NanPolicy::Ieee)
  None,  // no infinity
};

// Which codes, if any, encode NaN.
enum class NanPolicy : uint8_t {
  Ieee,     // top exponent field with non-zero mantissa (IEEE 754; quiet if mantissa MSB set)
  AllOnes,  // only the all-ones magnitude code (S.1111.111, "fn": OCP E4M3, E8M0)
  NegZero,  // only the code with sign set and all else zero (0x80, "fnuz"); no -0
  None,     // no NaN
};

struct FloatParams {
  int exp_bits = 0;       // E
  int man_bits = 0;       // M (stored mantissa bits, hidden bit excluded)
  int bias = 0;
  bool is_signed = true;  // has a sign bit (width = 1+E+M) or not (width = E+M)
  bool subnormals = true; // exponent field 0 holds subnormals; false: codes there all read as zero
  bool has_zero = true;   // false (E8M0): exponent field 0 is an ordinary normal binade, no zero
  InfPolicy inf = InfPolicy::Ieee;
  NanPolicy nan = NanPolicy::Ieee;

  bool operator==(const FloatParams&) const = default;
};

// Facts derived once from FloatParams; every consumer reads these instead of re-deriving.
struct FloatFacts {
  int width = 0;             // code width in bits
  uint64_t code_mask = 0;    // (1 << width) - 1
  uint64_t sign_bit = 0;     // 0 for unsigned formats
  uint64_t man_mask = 0;     // (1 << M) - 1
  int exp_field_max = 0;     // 2^E - 1
  int emin = 0;              // exponent of the smallest normal binade (unbiased)
  int emax = 0;              // exponent of the binade holding the largest finite value
  uint64_t max_code = 0;     // magnitude code of the largest finite value
  uint64_t min_code = 0;     // magnitude code of the smallest positive value
  uint64_t min_normal_code = 0;
  uint64_t max_significand = 0;  // integer significand (hidden bit included) of max finite
  bool top_field_special = false;  // exponent field 2^E-1 is reserved for inf/NaN (IEEE style)
};

// Integers and fixed point: value = integer(code) * 2^-frac_bits.
struct IntParams {
  int bits = 0;            // code width, 1..32
  bool is_signed = true;   // two's complement; false: unsigned
  bool symmetric = false;  // signed only: the most negative code is never produced (INT4 in [-7, 7])
  int frac_bits = 0;       // Qm.n fixed point: n (0 for plain integers)
  bool operator==(const IntParams&) const = default;
};

// posit<n, es> (2022 Posit Standard: es = 2).
struct PositParams {
  int n = 0;
  int es = 0;
  bool operator==(const PositParams&) const = default;
};

// An explicit finite value list (formats/value_table.hpp).
struct ValueTable;

// Special codes of a non-float format (the float family derives its own from FloatParams).
struct SpecialCodes {
  std::optional<uint64_t> nan;                 // the canonical NaN (NaR for posits)
  std::optional<uint64_t> pos_inf, neg_inf;
  std::optional<uint64_t> pos_zero, neg_zero;  // neg_zero only where -0 is distinct
  uint64_t pos_max = 0, neg_max = 0;           // largest finite value of each sign (neg_max: most negative)
  uint64_t pos_min = 0, neg_min = 0;           // smallest non-zero magnitude of each sign
};

struct Format {
  Family family = Family::Float;
  std::string name;      // canonical name, or the normalised spec string for generic formats
  FloatParams fp;        // Family::Float
  FloatFacts facts;      // every family sets width, code_mask and sign_bit (0 where negation is not a sign bit)
  IntParams ip;          // Family::Int
  PositParams pp;        // Family::Posit
  std::shared_ptr<const ValueTable> table;  // Family::Table
  SpecialCodes special;  // every family but Float
  std::string spec;      // every family but Float: the canonical spec string (spec_string() returns it)
  bool is_signed = true; // has negative values

  int width() const { return facts.width; }
  bool is_float() const { return family == Family::Float; }
  bool has_inf() const { return is_float() ? fp.inf == InfPolicy::Ieee : special.pos_inf.has_value(); }
  bool has_nan() const { return is_float() ? fp.nan != NanPolicy::None : special.nan.has_value(); }
  bool has_zero() const { return is_float() ? fp.has_zero : special.pos_zero.has_value(); }
  bool has_neg_zero() const {
    return is_float() ? fp.is_signed && fp.has_zero && fp.nan != NanPolicy::NegZero : special.neg_zero.has_value();
  }
  // Precision in bits of the normal significand (hidden bit included); floats only.
  int precision() const { return fp.man_bits + 1; }
};

// Every format's values lie within 2^kMinExponent .. 2^(kMaxExponent+1) (binary128's range).
inline constexpr int kMaxExponent = 16384;
inline constexpr int kMinExponent = -16500;

// Builds a float format, validating the parameters; throws FormatError on a bad combination.
Format make_float_format(std::string name, const FloatParams& p);

// Derived numeric facts, as exact binary values: value = significand * 2^exponent.
struct BinaryValue {
  uint64_t significand;
  int exponent;
  double approx() const;
};
BinaryValue max_finite(const Format& f);
BinaryValue min_normal(const Format& f);
BinaryValue min_subnormal(const Format& f);  // equals min_normal when there are no subnormals
BinaryValue epsilon(const Format& f);         // distance from 1 to the next larger value: 2^-M
int binade_count(const Format& f);            // number of distinct exponents holding finite non-zero values

// Policy names as the spec grammar and the catalogue spell them.
const char* inf_policy_name(InfPolicy p);
const char* nan_policy_name(NanPolicy p);

// The spec string that reproduces this format (float<e=..,m=..,...>, int<...>, posit<n,es>, ...).
std::string spec_string(const Format& f);

}  // namespace bitexact
