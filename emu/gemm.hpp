// Emulated GEMM: C = A * B (+ C) with any input schemes (scalar formats or block-scaled with the
// scales along K), any accumulation model (emu/accum/) and any output format. Every output element
// is exactly dot_terms() of its row and column under the model; fast paths (emu/gemm_fast.hpp)
// must equal gemm_reference() element for element, and tests/emu/test_gemm.cpp proves it.
//
// Determinism: elements are independent; element (i, j) uses an Env whose random index is
// env.index + ((i*N + j) << 32), so stochastic roundings do not depend on the thread count or the
// tiling. Flags are ORed over all elements into env.flags.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "emu/accum/accum_model.hpp"
#include "emu/env.hpp"
#include "emu/scheme.hpp"
#include "emu/tensor/quantize.hpp"

namespace bitexact {

// One operand stored K-major: `rows` rows of `k` elements (A: M x K as given; B: its transpose,
// N x K). Scalar schemes: `codes` only. Block schemes: `q` holds the rows concatenated (blocks
// along K, so k must be a multiple of the block size).
struct GemmOperand {
  Scheme scheme;
  size_t rows = 0, k = 0;
  std::vector<uint64_t> codes;  // scalar schemes: rows * k codes
  QuantizedTensor q;            // block schemes
};

// A scalar-format operand from codes: `codes` is rows x k row-major, or k x rows row-major when
// transpose is set (B given as K x N). Throws std::invalid_argument on a size mismatch.
GemmOperand gemm_operand(const Format& f, std::span<const uint64_t> codes, size_t rows, size_t k, bool transpose);

// Quantizes floats through a scheme (the same layouts); flags go to env.flags.
GemmOperand gemm_operand(const Scheme& s, std::span<const float> x, size_t rows, size_t k, bool transpose, Env& env,
                         int threads = 0);

// out[i*N + j] = the model's dot of A's row i and B's column j, plus c[i*N + j] (codes of
// m.out_format) when c is non-empty. a: M x K, b: N x K (transposed). threads = 0: OpenMP's default.
// Throws std::invalid_argument on shape mismatches, on block inputs with a product mode other
// than exact, on asymmetric group INT inputs, and with scales=after on blocks of different sizes.
void gemm(const AccumModel& m, const GemmOperand& a, const GemmOperand& b, std::span<const uint64_t> c,
          std::span<uint64_t> out, Env& env, int threads = 0);

// The generic path only: dot_terms() per element, no fast path.
void gemm_reference(const AccumModel& m, const GemmOperand& a, const GemmOperand& b, std::span<const uint64_t> c,
                    std::span<uint64_t> out, Env& env, int threads = 0);

// Codes convenience: A is M x K, B is K x N, both row-major, in scalar formats.
void gemm(const AccumModel& m, size_t M, size_t N, size_t K, const Format& fa, std::span<const uint64_t> A,
          const Format& fb, std::span<const uint64_t> B, std::span<const uint64_t> c, std::span<uint64_t> out,
          Env& env, int threads = 0);

// Whether gemm() takes a fast path for these operands and model (for tests and benchmarks).
bool gemm_has_fast_path(const AccumModel& m, const GemmOperand& a, const GemmOperand& b);

}  // namespace bitexact
