// The bit-serial PE (BitMoD-style; hardware.md §2.1, §2.2): `lanes` weight x activation pairs form
// a weight group. The PE latches the group (L activations, L weights), then streams one digit of
// every weight per lane per cycle (hwmodel/bitserial/decompose.hpp: a bit plane, a radix-4 Booth
// digit or a power-of-two term), cycles_per_weight cycles per group. Each cycle every lane forms
// the partial product activation x digit x 2^significance exactly (a shifted, signed copy of the
// activation's integer significand) and adds it into the group register, which is exact: a
// two's complement fixed-point register anchored at the group's smallest activation exponent
// (128 bits). When the last
// digit is in, the group register holds the exact dot product of the L pairs; it is handed to the
// accumulator, which follows the configuration's accumulation model over the stream of group sums
// (emu/accum/dot.hpp dot_terms: group g is the model's g-th term). The dot product's result leaves
// the PE the cycle after its last group's last digit.
//
// Bit-exactness (tests/hwmodel/test_bitserial.cpp):
// - exact models (Kulisch, any output format incl. int32): the result equals dot() of the whole
//   vectors, for any lanes (the exact sum does not depend on how it is grouped; a group that sums
//   to zero takes the sign dot() gives an exactly zero sum: -0 only when every product is -0, or in
//   round-down);
// - sequential (fma=true) and fused models: the result equals dot_terms() over the exact group
//   sums, in order: the model's terms are the PE's groups, not the individual products (BitMoD's
//   group accumulator is exact; its rounding happens in the accumulator that follows). With
//   lanes = 1 the groups are the products and the result equals dot().
// NaN / infinite activations: the group is formed by the IEEE class rules of the products
// (model_product: 0 x inf and signalling NaNs raise invalid; +inf and -inf in one group give NaN
// and invalid), as dot() does. Weights are always finite (validate()).
// Wide groups: when the activations of a group span more binades than the 128-bit group register
// holds (only formats with bfloat16's range can), every lane keeps its own exact product register
// and the group goes to the accumulator as its L products, one term each (exact models: the same
// result; sequential / fused models: L terms instead of one). wide_groups() counts them.
// No allocation or virtual dispatch per step once the first dot product of a length has run.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "emu/env.hpp"
#include "emu/exact.hpp"
#include "hwmodel/bitserial/config.hpp"
#include "hwmodel/bitserial/decompose.hpp"

namespace bitexact::hw {

// One activation code decoded (env's input policies applied): value = sign * mag * 2^exp.
struct SerialAct {
  uint32_t mag = 0;  // integer significand (0 for zeros)
  int32_t exp = 0;
  uint8_t cls = 0;   // ValueClass
  bool sign = false;
};

// Decode tables shared by the PEs of an array.
struct SerialTables {
  std::vector<SerialAct> act;  // per activation code
  uint64_t act_mask = 0, weight_mask = 0;
  WeightDigits w;
  int max_shift = 0;  // the largest digit significance
};
std::shared_ptr<const SerialTables> make_serial_tables(const BitSerialConfig& c, const Env& env);

struct SerialInputs {
  bool load = false;   // a weight group enters this cycle (only when ready())
  bool first = false;  // with load: it starts a dot product (the accumulator is cleared, c loaded)
  bool last = false;   // with load: it ends the dot product (the result leaves after its last digit)
  int count = -1;      // active lanes 0..lanes (-1: all); the others are gated off; 0: no term
  const uint64_t* a = nullptr;  // lanes activation codes
  const uint64_t* w = nullptr;  // lanes weight codes
  bool has_c = false;  // with first: the addend, a code of accum.out_format
  uint64_t c = 0;
  uint64_t index = 0;  // with first: added to env.index for this dot product's stochastic roundings
};

struct SerialOutputs {
  bool valid = false;  // a dot product's result leaves this cycle
  uint64_t code = 0;   // a code of accum.out_format
  uint8_t flags = 0;   // the dot product's exception flags
};

class BitSerialPe {
 public:
  BitSerialPe(const BitSerialConfig& c, const Env& env, std::shared_ptr<const SerialTables> tables = nullptr);
  ~BitSerialPe();
  BitSerialPe(BitSerialPe&&) noexcept;
  BitSerialPe& operator=(BitSerialPe&&) noexcept;

  // One clock. Throws std::logic_error when a group is loaded while the previous one still
  // streams, or a load without first follows a finished dot product.
  SerialOutputs step(const SerialInputs& in);
  void reset();
  bool ready() const;  // a group may be loaded in the next step
  uint64_t cycle() const { return cycle_; }
  int cycles_per_weight() const;
  const BitSerialConfig& config() const { return cfg_; }
  // Groups handed over as their lane products (the 128-bit group register was too narrow).
  uint64_t wide_groups() const;

 private:
  struct State;
  BitSerialConfig cfg_;
  std::unique_ptr<State> st_;
  uint64_t cycle_ = 0;
};

}  // namespace bitexact::hw
