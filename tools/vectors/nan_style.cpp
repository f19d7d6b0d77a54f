#include "tools/vectors/nan_style.hpp"

#include <stdexcept>
#include <string>

#include "formats/codec.hpp"

namespace bitexact::vectors {

NanStyle parse_nan_style(std::string_view s) {
  if (s == "canonical") return NanStyle::Canonical;
  if (s == "x86") return NanStyle::X86;
  throw std::invalid_argument("unknown NaN style '" + std::string(s) + "' (expected canonical or x86)");
}

std::string_view nan_style_name(NanStyle s) { return s == NanStyle::X86 ? "x86" : "canonical"; }

namespace {

bool ieee_nan_format(const Format& f) {
  return f.is_float() && f.fp.nan == NanPolicy::Ieee && f.fp.man_bits > 0;
}

// `code` (an IEEE NaN of from) quieted and carried into `to`: sign kept, payload aligned at the
// mantissa's top (SoftFloat's common-NaN form), quiet bit set.
uint64_t carry_nan(const Format& from, uint64_t code, const Format& to) {
  const int mf = from.fp.man_bits, mt = to.fp.man_bits;
  uint64_t payload = code & from.facts.man_mask;
  payload = mt >= mf ? payload << (mt - mf) : payload >> (mf - mt);
  const bool sign = (code & from.facts.sign_bit) != 0;
  return (sign ? to.facts.sign_bit : 0) | (uint64_t(to.facts.exp_field_max) << mt) | (uint64_t{1} << (mt - 1)) |
         payload;
}

}  // namespace

uint64_t apply_nan_style(NanStyle style, const VectorOp& op, const uint64_t* x, uint64_t r) {
  if (style == NanStyle::Canonical || op.boolean_result() || op.is_dot()) return r;
  const Format& to = op.result_format();
  if (!ieee_nan_format(to) || !decode(to, r).is_nan()) return r;
  const uint64_t default_nan = to.facts.sign_bit | (uint64_t(to.facts.exp_field_max) << to.fp.man_bits) |
                               (uint64_t{1} << (to.fp.man_bits - 1));
  const int n = op.arity();
  if (op.op == Operation::Fma) {
    // inf * 0 (+ anything) is invalid before c is looked at: the default NaN.
    const Unpacked a = decode(op.f, x[0]), b = decode(op.f, x[1]);
    if (!a.is_nan() && !b.is_nan() && ((a.is_inf() && b.is_zero()) || (a.is_zero() && b.is_inf()))) return default_nan;
  }
  for (int i = 0; i < n; ++i) {
    const Format& f = op.operand_format(i);
    if (ieee_nan_format(f) && decode(f, x[i]).is_nan()) return carry_nan(f, x[i], to);
  }
  return default_nan;
}

}  // namespace bitexact::vectors
