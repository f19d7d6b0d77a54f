// The arithmetic operations on codes of one format. Each decodes its operands, computes the
// exact (or exact-plus-sticky) result and ends in round_to_format(); flags go to env.flags.
//
// NaN results are the format's canonical NaN (positive); a signalling NaN operand raises invalid.
// min/max are IEEE 754-2019 minimumNumber/maximumNumber (a NaN loses to a number; -0 < +0).
// lt/le are signalling (invalid on any NaN), eq is quiet (invalid only on a signalling NaN),
// as SoftFloat's f32_lt / f32_le / f32_eq.
#pragma once

#include <cstdint>

#include "emu/env.hpp"
#include "formats/format.hpp"

namespace bitexact {

uint64_t convert(const Format& from, uint64_t code, const Format& to, Env& env);

uint64_t add(const Format& f, uint64_t a, uint64_t b, Env& env);
uint64_t sub(const Format& f, uint64_t a, uint64_t b, Env& env);
uint64_t mul(const Format& f, uint64_t a, uint64_t b, Env& env);
uint64_t div(const Format& f, uint64_t a, uint64_t b, Env& env);
uint64_t fma(const Format& f, uint64_t a, uint64_t b, uint64_t c, Env& env);  // a*b+c, one rounding
uint64_t sqrt(const Format& f, uint64_t a, Env& env);
uint64_t min(const Format& f, uint64_t a, uint64_t b, Env& env);
uint64_t max(const Format& f, uint64_t a, uint64_t b, Env& env);

bool eq(const Format& f, uint64_t a, uint64_t b, Env& env);
bool lt(const Format& f, uint64_t a, uint64_t b, Env& env);
bool le(const Format& f, uint64_t a, uint64_t b, Env& env);
bool eq_signaling(const Format& f, uint64_t a, uint64_t b, Env& env);
bool lt_quiet(const Format& f, uint64_t a, uint64_t b, Env& env);
bool le_quiet(const Format& f, uint64_t a, uint64_t b, Env& env);

// RISC-V fclass numbering: the index of the one class the value belongs to.
enum class FloatClass : uint8_t {
  NegInf = 0, NegNormal, NegSubnormal, NegZero, PosZero, PosSubnormal, PosNormal, PosInf, SignalingNaN, QuietNaN
};
FloatClass classify(const Format& f, uint64_t a);
const char* class_name(FloatClass c);

// Native interchange: exact when the value is representable, rounded under env otherwise.
uint64_t from_double(const Format& to, double x, Env& env);
uint64_t from_float(const Format& to, float x, Env& env);
double to_double(const Format& from, uint64_t code, Env& env);

}  // namespace bitexact
