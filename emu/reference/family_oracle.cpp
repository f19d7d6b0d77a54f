#include "emu/reference/family_oracle.hpp"

#include <stdexcept>

namespace bitexact::reference {

namespace {
[[noreturn]] void missing(const Format& f) {
  throw std::logic_error(std::string("oracle: the ") + family_name(f.family) + " family is not implemented");
}
}  // namespace

OracleResult family_round_exact(const Format& f, mpfr_srcptr, bool, bool, const Env&, Method) {
  switch (f.family) {
    case Family::Float: break;

    case Family::Int: break;

    case Family::Posit: break;

    case Family::Table: break;
  }
  missing(f);
}

OracleResult family_nan_result(const Format& f, bool, bool, const Env&) {
  switch (f.family) {
    case Family::Float: break;

    case Family::Int: break;

    case Family::Posit: break;

    case Family::Table: break;
  }
  missing(f);
}

OracleResult family_inf_result(const Format& f, bool, const Env&) {
  switch (f.family) {
    case Family::Float: break;

    case Family::Int: break;

    case Family::Posit: break;

    case Family::Table: break;
  }
  missing(f);
}

OracleResult family_zero_result(const Format& f, bool, const Env&) {
  switch (f.family) {
    case Family::Float: break;

    case Family::Int: break;

    case Family::Posit: break;

    case Family::Table: break;
  }
  missing(f);
}

}  // namespace bitexact::reference
