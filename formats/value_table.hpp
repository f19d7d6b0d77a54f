// An explicit finite value set: the meaning of every code of a codebook (lookup) format such as
// NF4, ternary, binary, power-of-two weights, BitMoD's FP3/FP4 variants or a user's codebook.
//
// Each code is a value (finite, +-0, +-inf), a NaN, or unused (decodes as NaN; never produced).
// All finite values lie on one binary grid, value = g * 2^grid_exp with |g| < 2^124, so that
// rounding (emu/round_table.cpp) can work in exact 128-bit integer arithmetic.
//
// For rounding, the values are seen from zero outwards on each side (emu/SEMANTICS.md,
// "Codebook formats"): side[s] lists the magnitudes 0 (a real value, or a virtual zero in a
// zero-free table), then every value of sign s by increasing magnitude, then a virtual end
// point one "last gap" beyond the extreme value, past which a result overflows. The position
// in that list is the value's rank; ties go to the even rank.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <memory>

#include "formats/format.hpp"
#include "formats/spec_term.hpp"
#include "formats/unpacked.hpp"

namespace bitexact {

struct ValueTable {
 public:
  using u128 = unsigned __int128;
  static constexpr uint64_t kNone = ~uint64_t{0};

  // One code's meaning, as given to build(): a value (Zero / Finite / Inf with sign), a NaN,
  // or unused (std::nullopt).
  using Entry = std::optional<Unpacked>;

  struct Side {
    std::vector<u128> mag;       // [0] = 0, [1..k] values of this sign (grid units), [k+1] virtual end
    std::vector<uint64_t> code;  // code of each point; kNone for the virtual zero / virtual end
    bool real_zero = false;      // mag[0] is a value of the table
  };

  // Validates and builds a table; throws FormatError naming `name` on a bad table (fewer than
  // two finite values, a repeated finite value, a width outside 1..16, more entries than
  // 2^width, values spanning more than 124 bits of grid, or a side without values in a table
  // without zero). Codes past entries.size() are unused.
  static ValueTable build(std::string name, int width, std::vector<Entry> entries);
  // Finite values given as doubles (NaN entries become NaN codes), in code order.
  static ValueTable from_doubles(std::string name, int width, const std::vector<double>& values);

  const std::string& name() const { return name_; }
  int width() const { return width_; }
  uint64_t code_count() const { return uint64_t{1} << width_; }

  // The value of a code; an unused code (or one beyond the code space) reads as a quiet NaN.
  Unpacked decode(uint64_t code) const;
  bool is_used(uint64_t code) const;
  // The code holding exactly this value (+-0 by sign where the table has both), if any.
  std::optional<uint64_t> encode(const Unpacked& v) const;

  bool has_zero() const { return side_[0].real_zero; }
  bool has_nan() const { return nan_code_[0] != kNone || nan_code_[1] != kNone; }
  bool has_inf() const { return inf_code_[0] != kNone || inf_code_[1] != kNone; }
  std::optional<uint64_t> nan_code(bool sign) const;  // the NaN of that sign, else any NaN
  std::optional<uint64_t> inf_code(bool sign) const;
  std::optional<uint64_t> zero_code(bool sign) const; // -0 where the table has one, else +0
  uint64_t max_code(bool sign) const;        // the extreme value of that side (+: largest; -: most negative)
  uint64_t smallest_code(bool sign) const;   // the non-zero value of that sign nearest to zero
  bool side_empty(bool sign) const { return side_[sign].mag.size() == 2; }

  const Side& side(bool sign) const { return side_[sign]; }
  int grid_exp() const { return grid_exp_; }

  // Every finite value in ascending order (zero once), with its code.
  struct Point {
    Unpacked value;
    uint64_t code;
  };
  std::vector<Point> sorted_values() const;
  // "{-1, -0.696..., ..., 1}" with shortest round-trip decimals (exact values: sorted_values()).
  std::string values_string(size_t limit = 64) const;

  bool operator==(const ValueTable& o) const;

 private:
  std::string name_;
  int width_ = 0;
  std::vector<Entry> entries_;  // size == code_count()
  Side side_[2];
  int grid_exp_ = 0;
  uint64_t nan_code_[2] = {kNone, kNone};
  uint64_t inf_code_[2] = {kNone, kNone};
  uint64_t neg_zero_code_ = kNone;
};

// A table format (Family::Table): fills facts.width / code_mask (sign_bit 0), the special codes,
// spec and is_signed. name empty: table->name().
Format make_table_format(std::string name, std::string spec, std::shared_ptr<const ValueTable> table);

Unpacked table_decode(const Format& f, uint64_t code);
std::optional<uint64_t> table_encode(const Format& f, const Unpacked& v);

// The table family's spec forms: nf4, ternary, binary, pow2<bits=B[,emax=E][,zero=true|false]>,
// bitmod<bits=3|4[,variant=er_pos|er_neg|ea_pos|ea_neg]>, codebook<file=PATH>. nullopt for other names.
std::optional<Format> parse_table_spec(const SpecTerm& t);

// The exact value of a double (finite non-zero values get an odd significand).
Unpacked unpack_double(double d);

// ---- the built-in codebooks (sources in formats/catalog.toml and README) ----

// NF4: QLoRA's 16 NormalFloat values, code i = the i-th value in ascending order (bitsandbytes).
ValueTable nf4_table();
// Ternary {-1, 0, +1} in 2-bit two's complement: 00 = 0, 01 = +1, 11 = -1, 10 unused.
ValueTable ternary_table();
// Binary {-1, +1}, bipolar: code c is 2c - 1 (0 = -1, 1 = +1).
ValueTable binary_table();
// Power-of-two weights, sign-magnitude with the sign in the top bit. The (bits-1)-bit field k
// holds 2^(emax - (2^(bits-1) - 1) + k) without zero (DenseShift), or, with zero, field 0 is
// +-0 and field k >= 1 holds 2^(emax - (2^(bits-1) - 1) + k). bits 1..7 (2..7 with zero).
ValueTable pow2_table(int bits, int emax, bool zero);
// BitMoD (HPCA 2025) extended types: FP3 {0, +-1, +-2, +-4} or FP4 (E2M1 x 2: 0, +-1, +-2, +-3,
// +-4, +-6, +-8, +-12), sign-magnitude, with the redundant -0 code (sign bit alone) holding the
// special value: variant "er_pos" (+3 / +10), "er_neg" (-3 / -10), "ea_pos" (+6 / +16),
// "ea_neg" (-6 / -16), or "" (the base type, -0 kept as a signed zero).
ValueTable bitmod_table(int bits, std::string_view variant);

}  // namespace bitexact
