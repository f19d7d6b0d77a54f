#include "emu/ops.hpp"
#include "formats/codec.hpp"

namespace bitexact {

FloatClass classify(const Format& f, uint64_t code) {
  const Unpacked u = decode(f, code);
  switch (u.cls) {
    case ValueClass::NaN: return u.signaling ? FloatClass::SignalingNaN : FloatClass::QuietNaN;
    case ValueClass::Inf: return u.sign ? FloatClass::NegInf : FloatClass::PosInf;
    case ValueClass::Zero: return u.sign ? FloatClass::NegZero : FloatClass::PosZero;
    case ValueClass::Finite:
      if (u.subnormal) return u.sign ? FloatClass::NegSubnormal : FloatClass::PosSubnormal;
      return u.sign ? FloatClass::NegNormal : FloatClass::PosNormal;
  }
  return FloatClass::QuietNaN;
}

const char* class_name(FloatClass c) {
  static const char* names[] = {"-inf", "-normal", "-subnormal", "-zero", "+zero",
                                "+subnormal", "+normal", "+inf", "snan", "qnan"};
  return names[int(c)];
}

}  // namespace bitexact
