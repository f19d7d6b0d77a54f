#include "hwmodel/unit.hpp"

namespace bitexact::hw {

std::string_view unit_kind_name(UnitKind k) {
  switch (k) {
    case UnitKind::Mac: return "mac";
    case UnitKind::BitSerial: return "bitserial";
    case UnitKind::Lut: return "lut";
  }
  return "?";
}

}  // namespace bitexact::hw
