#include <stdexcept>

#include "emu/round_family.hpp"

namespace bitexact {

// Placeholder until the posit family lands.
uint64_t round_posit(const Format&, const Exact&, Env&) { throw std::logic_error("posit family: not implemented"); }

}  // namespace bitexact
