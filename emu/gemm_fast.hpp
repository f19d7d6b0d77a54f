// The emulated GEMM's fast paths and the pieces gemm.cpp and gemm_fast.cpp share (internal to emu/).
//
// Fast paths work on exact doubles: inputs decoded once; a product of two formats with at most
// 26-bit significands is exact in double; a fused step's aligned terms are integers (or half
// integers, with the jam bit) on the register's grid whose sum stays below 2^53, so truncation to
// the grid is trunc/floor(x * 2^-g) and every sum is exact. Whatever they cannot do exactly in
// double (non-finite inputs, a zero result's sign, wide promotions) they hand to gemm_element().
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "emu/accum/accum_model.hpp"
#include "emu/env.hpp"
#include "emu/exact.hpp"
#include "emu/gemm.hpp"

namespace bitexact {

// A block element's exact value before scaling and its block's scale (NVFP4: times the tensor scale).
struct BlockElement {
  double elem = 0, scale = 1;
};
BlockElement block_element(const GemmOperand& op, size_t row, size_t k);

void check_gemm_args(const AccumModel& m, const GemmOperand& a, const GemmOperand& b, std::span<const uint64_t> c,
                     std::span<uint64_t> out);

// The generic value of one output element (row i of a, row j of b); prods is scratch space.
uint64_t gemm_element(const AccumModel& m, const GemmOperand& a, const GemmOperand& b, size_t i, size_t j,
                      const uint64_t* c, Env& e, std::vector<Exact>& prods);

bool fast_gemm_supported(const AccumModel& m, const GemmOperand& a, const GemmOperand& b);
void fast_gemm(const AccumModel& m, const GemmOperand& a, const GemmOperand& b, std::span<const uint64_t> c,
               std::span<uint64_t> out, Env& env, int threads);

}  // namespace bitexact
