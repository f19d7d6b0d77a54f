// The DPn dot-product unit: n = lanes products per cycle into one accumulator that follows the
// configuration's accumulation model (emu/accum/), the block scales of MX inputs applied in the
// unit, the result rounded into the model's output format. Per-clock interface: step(inputs) ->
// outputs; a dot product's result leaves the unit `pipeline` cycles after its last chunk entered.
//
// Bit-exactness: the result of a dot product fed as chunks a[s*n .. s*n+n) is dot() of the whole
// vectors under the model (for MX inputs: the emulated GEMM's element, scales before or after the
// sum); tests/hwmodel/test_mac.cpp proves it. How the register is kept (emu/SEMANTICS.md terms):
// - fused models whose register fits a double's exact range: the K-term register as an exact
//   double, one fused step per k products (k = lanes: one step per cycle), promotion to the wide
//   accumulator every promote_every products, NaN/Inf/zero-sign classes tracked beside it;
// - the exact kind: a Kulisch register (emu/accum/kulisch.hpp);
// - any other model (sequential chains, rounded or L-Mul products, fused registers too wide for
//   a double): the products of the dot product are kept and the core's dot_terms() forms the
//   register's value at the end (the capacity grows to the longest K seen, not per step).
// No allocation or virtual dispatch per step once the first dot product of a length has run.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "emu/accum/kulisch.hpp"
#include "emu/env.hpp"
#include "emu/exact.hpp"
#include "hwmodel/mac/config.hpp"

namespace bitexact::hw {

// One operand code's decoded value (a table per operand scheme, shared by the units of an array).
struct MacValue {
  double v = 0;       // finite or zero values, exactly (the sign of a zero is `sign`)
  uint8_t cls = 0;    // ValueClass
  bool sign = false;
  bool snan = false;  // a signalling NaN (scalar operands raise invalid, as model_product)
};

struct MacOperandTable {
  bool block = false;
  size_t block_size = 0;           // MX: elements per scale
  uint64_t mask = 0;               // code bits
  std::vector<MacValue> value;     // per element code
  std::vector<double> scale;       // MX: per E8M0 scale code (NaN for the NaN code)
};

// Tables for one configuration's operands; decoding follows env's input policies (DAZ) for
// scalar operands, and the block element rules of the emulated GEMM for MX operands.
struct MacTables {
  MacOperandTable act, weight;
};
std::shared_ptr<const MacTables> make_mac_tables(const MacConfig& c, const Env& env);

struct DpnInputs {
  bool valid = false;  // a chunk enters this cycle
  bool first = false;  // it starts a new dot product (the register is cleared, c loaded)
  bool last = false;   // it ends the dot product: the result is valid `pipeline` cycles later
  int count = -1;      // active lanes 0..lanes (-1: all); lanes beyond it are gated off
  const uint64_t* a = nullptr;  // lanes activation codes (MX: element codes)
  const uint64_t* b = nullptr;  // lanes weight codes
  // MX operands: the E8M0 scale codes of the blocks this chunk lies in, max(1, lanes / block)
  // of them (lane l uses scale[l / block]); ignored for scalar operands.
  const uint64_t* scale_a = nullptr;
  const uint64_t* scale_b = nullptr;
  bool has_c = false;  // with first: the addend c, a code of accum.out_format
  uint64_t c = 0;
  uint64_t index = 0;  // with first: the random index of this dot product's stochastic roundings
};

struct DpnOutputs {
  bool valid = false;
  uint64_t code = 0;  // the result, a code of accum.out_format
  uint8_t flags = 0;  // the dot product's exception flags
};

class Dpn {
 public:
  // env: rounding mode (for models that leave the output rounding to it), policies and random
  // seed/stream. tables: shared decode tables (nullptr: built for this unit).
  Dpn(const MacConfig& c, const Env& env, std::shared_ptr<const MacTables> tables = nullptr);
  ~Dpn();
  Dpn(Dpn&&) noexcept;
  Dpn& operator=(Dpn&&) noexcept;

  DpnOutputs step(const DpnInputs& in);
  void reset();  // empties the register and the pipeline (the cycle counter restarts)
  uint64_t cycle() const { return cycle_; }
  const MacConfig& config() const { return cfg_; }

  // Which register representation this configuration uses: "fused-double", "kulisch" or "terms".
  const char* engine_name() const;

 private:
  struct State;
  MacConfig cfg_;
  std::unique_ptr<State> st_;
  uint64_t cycle_ = 0;
};

}  // namespace bitexact::hw
