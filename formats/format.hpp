// A number format descriptor: what a format IS, independent of any arithmetic.
//
// A value of a format is a code (an unsigned integer of width() bits) plus its Format.
// Only the float family (any ExMy) is implemented here; the Family tag and the
// per-family parameter structs leave room for int, fixed, posit, codebook and block.
#pragma once

#include <cstdint>
#include <string>

namespace bitexact {

enum class Family : uint8_t { Float };  // int, fixed, posit, codebook, block come later

// Which codes, if any, encode infinity.
enum class InfPolicy : uint8_t {
  Ieee,  // top exponent field with zero mantissa is +-inf (requires NanPolicy::Ieee)
  None,  // no infinity
  Top,   // the largest magnitude code (S.111...1) is +-inf (IEEE P3109 "extended" formats)
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

struct Format {
  Family family = Family::Float;
  std::string name;      // canonical name, or the normalised spec string for generic formats
  FloatParams fp;
  FloatFacts facts;

  int width() const { return facts.width; }
  bool has_inf() const { return fp.inf != InfPolicy::None; }
  bool has_nan() const { return fp.nan != NanPolicy::None; }
  bool has_neg_zero() const { return fp.is_signed && fp.has_zero && fp.nan != NanPolicy::NegZero; }
  // Precision in bits of the normal significand (hidden bit included).
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

// The spec string that reproduces this format (float<e=..,m=..,...>).
std::string spec_string(const Format& f);

}  // namespace bitexact
