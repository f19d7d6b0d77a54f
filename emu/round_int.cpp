#include <stdexcept>

#include "emu/round_family.hpp"

namespace bitexact {

// Placeholder until the int family lands.
uint64_t round_int(const Format&, const Exact&, Env&) { throw std::logic_error("int family: not implemented"); }

}  // namespace bitexact
