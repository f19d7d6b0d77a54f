#include <bit>

#include "emu/exact_arith.hpp"
#include "emu/ops.hpp"
#include "emu/round.hpp"

namespace bitexact {

uint64_t convert(const Format& from, uint64_t code, const Format& to, Env& env) {
  const Unpacked u = decode_operand(from, code, env);
  if (u.is_nan() && u.signaling) env.flags |= flag::invalid;
  return round_to_format(to, Exact::from(u), env);
}

namespace {
// The host's own types, spelled out rather than looked up in the (editable) catalogue: their
// layout is fixed by the hardware, not by formats/catalog.toml.
const Format& native_double() {
  static const Format f = make_float_format("float64", {11, 52, 1023, true, true, true, InfPolicy::Ieee, NanPolicy::Ieee});
  return f;
}
const Format& native_float() {
  static const Format f = make_float_format("float32", {8, 23, 127, true, true, true, InfPolicy::Ieee, NanPolicy::Ieee});
  return f;
}
}  // namespace

uint64_t from_double(const Format& to, double x, Env& env) {
  return convert(native_double(), std::bit_cast<uint64_t>(x), to, env);
}

uint64_t from_float(const Format& to, float x, Env& env) {
  return convert(native_float(), std::bit_cast<uint32_t>(x), to, env);
}

double to_double(const Format& from, uint64_t code, Env& env) {
  return std::bit_cast<double>(convert(from, code, native_double(), env));
}

}  // namespace bitexact
