#include "emu/reference/family_oracle.hpp"

#include <stdexcept>

#include "emu/reference/round_value_set.hpp"
#include "emu/reference/posit_oracle.hpp"

namespace bitexact::reference {

namespace {
[[noreturn]] void missing(const Format& f) {
  throw std::logic_error(std::string("oracle: the ") + family_name(f.family) + " family is not implemented");
}
}  // namespace

OracleResult family_round_exact(const Format& f, mpfr_srcptr x, bool sticky, bool sign, const Env& env, Method method) {
  switch (f.family) {
    case Family::Float: break;

    case Family::Int: return vs_round_exact(f, x, sticky, sign, env, method);

    case Family::Posit: return posit_round_exact(f, x, sticky, sign, env);

    case Family::Table: return vs_round_exact(f, x, sticky, sign, env, method);
  }
  missing(f);
}

OracleResult family_nan_result(const Format& f, bool sign, bool from_operation, const Env& env) {
  switch (f.family) {
    case Family::Float: break;

    case Family::Int:
    case Family::Table:
      return vs_nan_result(f, !from_operation && env.nan_sign == NanSign::Preserve && sign, env);

    case Family::Posit: return posit_nan_result(f);

  }
  missing(f);
}

OracleResult family_inf_result(const Format& f, bool sign, const Env& env) {
  switch (f.family) {
    case Family::Float: break;

    case Family::Int:
    case Family::Table: return vs_inf_result(f, sign, env);

    case Family::Posit: return posit_inf_result(f);

  }
  missing(f);
}

OracleResult family_zero_result(const Format& f, bool sign, const Env& env) {
  switch (f.family) {
    case Family::Float: break;

    case Family::Int:
    case Family::Table: return vs_zero_result(f, sign, env);

    case Family::Posit: return posit_zero_result(f);

  }
  missing(f);
}

}  // namespace bitexact::reference
