// The computations behind the claims (tools/explore/claims.hpp): each returns the project's own
// numbers, so that tests can check them against independent computations and claims.cpp can put
// them beside the published figures. Grouped by family: formats and numerics (claims_formats.cpp),
// hardware cost and cycles (claims_hw.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/format.hpp"

namespace bitexact::explore {

// --- formats and numerics (claims_formats.cpp) --------------------------------------------------

// A format's finite non-zero positive values grouped by binade (floor(log2 v)).
struct BinadeCensus {
  int binades = 0;           // distinct binades holding a finite non-zero value
  double max_finite = 0;     // largest finite value
  double min_positive = 0;   // smallest positive value
  double log2_range = 0;     // log2(max_finite / min_positive)
  // values_per_binade[k]: how many binades hold exactly k positive finite values (k = 0..255; index 256
  // counts the binades of 256 or more).
  std::vector<int> values_per_binade;
  int finite_codes = 0;      // codes with a finite value (zeros included)
};
// Enumerates every code of a format of at most 16 bits through decode().
BinadeCensus binade_census(const Format& f);

// Relative error |approx - exact| / |exact| statistics over a set of operand pairs.
struct ErrStats {
  double mean = 0, max = 0;
  uint64_t n = 0;
  // Grid statistics only: the mean with each pair weighted by 1/(x y), i.e. operands distributed
  // log-uniformly over the binade (Benford-like, as significands of real data tend to be).
  double mean_log = 0;
};
// L-Mul (emu/accum/lmul.hpp) on every pair of finite non-zero codes of f, against the exact product.
ErrStats lmul_error_all_pairs(const Format& f);
// The FP8 multiplier on the same pairs: the exact product rounded (RNE) into f by emu's mul(),
// over the pairs whose exact product lies in f's normal range.
ErrStats fp_mul_error_all_pairs(const Format& f);
// The paper's comparison: operands x, y are every pair of `grid_bits`-bit significands in [1, 2)
// (1 + i 2^-grid_bits), each product exact in float64. "fp8 multiply": x, y rounded (RNE) into
// the FP8 format, multiplied by emu's mul() (one more RNE rounding into the format);
// "L-Mul m-bit": x, y rounded (RNE) into a float with m mantissa bits, then L-Mul. Error against
// the exact x*y.
ErrStats fp8_multiply_from_grid(const Format& fp8, int grid_bits);
ErrStats lmul_from_grid(int mantissa_bits, int grid_bits);

// Block-format error on synthetic tensors: SQNR (dB) of fake_quantize (emu/scheme.hpp) against the
// input, measured by measure_error (emu/metrics.hpp).
struct BlockErrorRow {
  std::string dist;    // distribution label
  std::string scheme;  // scheme spec as given to parse_scheme
  double sqnr_db = 0;
  double mse = 0;
};
// dists x schemes, each tensor `n` elements drawn with seed, every value multiplied by `scale`.
std::vector<BlockErrorRow> block_errors(const std::vector<std::string>& dists, const std::vector<std::string>& schemes,
                                        size_t n, uint64_t seed, int threads, double scale = 1);
// The distributions the claims use: label -> emu Distribution spec with outliers.
// "normal", "laplace", "student-t:3", "normal+outliers" (0.1% of elements x 30).
std::vector<std::string> claim_distributions();

// Accumulation error against K: E4M3 GEMMs (emu/gemm.hpp; M = N = `mn`, inputs N(0,1) rounded into
// E4M3) under each accumulation model, the normwise relative error ||C - C_exact||_F / ||C_exact||_F
// with C_exact from the Kulisch model rounded once into float64 ("exact<out=float64>"), per K.
struct AccumErrRow {
  std::string model;
  size_t k = 0;
  double rel_err = 0;
};
std::vector<AccumErrRow> accumulation_errors(const std::vector<std::string>& models, const std::vector<size_t>& ks,
                                             size_t mn, uint64_t seed, int threads);

// --- hardware (claims_hw.cpp) -------------------------------------------------------------------

struct LinearFit {
  double slope = 0, intercept = 0, r2 = 0;
};
// Least squares y = slope x + intercept; r2 the coefficient of determination (1 for a perfect line;
// 1 also when every y is equal).
LinearFit fit_line(const std::vector<double>& x, const std::vector<double>& y);

// FP8 vs INT8 DP4 at 28 nm, 1 GHz (hwmodel/cost estimate_mac): INT8 x INT8 into exact INT32, FP8
// x FP8 into a fused tensor-core register.
struct Fp8Int8Row {
  std::string format, accum;
  double area_ratio = 0, energy_ratio = 0;  // FP8 / INT8
};
std::vector<Fp8Int8Row> fp8_vs_int8_cost();

// LUT Tensor Core DP4 (M = N = 1, K = 4, W_INTw x A_FP16, FP16 table and accumulator) against the
// FP16 MAC DP4, both with the LUT-TC flow's calibration (LUT-TC Fig. 12's comparison).
struct LutMacRow {
  int w_bits = 0;
  double lut_tops_mm2 = 0, mac_tops_mm2 = 0;  // TFLOPS/mm2 (2 ops per MAC)
  double density_ratio = 0;                   // LUT / MAC
  double energy_ratio = 0;                    // MAC pJ per MAC / LUT pJ per MAC
};
std::vector<LutMacRow> lut_vs_mac_dp4(int max_bits);

// Bit-serial PE (Stripes/Loom-style bit planes, 1 bit per cycle, INT8 activations x INTb
// weights): cycles of a GEMM clocked through the PE array model (hwmodel/bitserial/array.hpp
// run_gemm) and energy per MAC from the cost model, per weight width b.
struct BitSerialRow {
  int w_bits = 0;
  uint64_t gemm_cycles = 0;
  int cycles_per_weight = 0;
  double energy_per_mac_pj = 0;
};
struct BitSerialSweep {
  std::vector<BitSerialRow> rows;
  LinearFit cycles_fit, energy_fit;  // against w_bits
  size_t m = 0, n = 0, k = 0;        // the GEMM
};
BitSerialSweep bitserial_sweep(int min_bits, int max_bits, size_t m, size_t n, size_t k, uint64_t seed, int threads);

// LUT-TC Table 2 ablation (W_INT2 x A_INT8, M2N64K4, INT8 tables, INT32 accumulators, 28 nm) as
// ratios to the UNPU baseline: density (area) and power efficiency of + weight reinterpretation,
// + negation elimination, + DFG transform = LUT Tensor Core; and the W1 A8 tile's TOPS/W.
struct LutAblation {
  double density[3] = {0, 0, 0}, power_eff[3] = {0, 0, 0};
  double w1_tops_per_w = 0;
};
LutAblation lut_ablation();

// BitMoD's PE (4 lanes, 2 bits per cycle, FP16 activations x FP4 E2M1 weights as terms, FP16 FMA
// accumulation) against one FP16 FMA, both at 28 nm, 1 GHz with their own calibration.
struct BitmodVsFma {
  double pe_area_per_mac = 0, fma_area_per_mac = 0;  // um2 per (MAC / cycle)
  double pe_pj_per_mac = 0, fma_pj_per_mac = 0;
};
BitmodVsFma bitmod_vs_fp16_fma();

// INT4 against INT8: a DP4 MAC's throughput per area (28 nm, exact INT32 accumulation) and a
// bit-plane bit-serial PE's MACs per cycle (INT8 activations).
struct Int4Int8 {
  double dp4_density_ratio = 0;   // (TOPS/mm2 INT4) / (TOPS/mm2 INT8)
  double serial_macs_ratio = 0;   // (MACs/cycle INT4) / (MACs/cycle INT8)
};
Int4Int8 int4_vs_int8();

// LUT Tensor Core design-space points, all with the LUT-TC flow's calibration (--flow luttc28), 28 nm,
// 1 GHz. Activations "int8" (INT8 tables, INT32 accumulators) or a float format (FP16 tables, and
// FP32 accumulators in tiles / FP16 in the M = N = 1 dot-product units).
struct LutPoint {
  int m = 0, n = 0, k = 0, w_bits = 0;
  std::string act;
  double tops_mm2 = 0, tops_w = 0;
};
// The dot-product unit (M = N = 1, W1) for K = 2..7 (LUT-TC Fig. 11's sweep).
std::vector<LutPoint> lut_k_sweep(const std::string& act);
// Tiles of M x N x K = 512 with K = 4 (M = 1, 2, 4, 8, 16), W1 (LUT-TC's tensor-core DSE).
std::vector<LutPoint> lut_tile_shapes(const std::string& act);
// The M2N64K4 tile (512 lanes) against a MAC tensor core of 128 DP4 units (512 MACs per cycle, the
// weights dequantized to the activation format: act x act, INT32 or fused 24-bit accumulation), per
// activation format and weight width.
struct LutVsMacTc {
  std::string act;
  int w_bits = 0;
  double density_ratio = 0, efficiency_ratio = 0;  // LUT / MAC: TOPS/mm2, TOPS/W
};
std::vector<LutVsMacTc> lut_vs_mac_tc();

// LUT Tensor Core tile (M2N64K4, INT8 activations, INT8 tables, INT32 accumulator) clocked through a
// GEMM by run_lut_gemm (hwmodel/lut/tile.hpp), per weight width W = 1..4.
struct LutCycleRow {
  int w_bits = 0;
  uint64_t cycles = 0, ops = 0;
};
struct LutCycleSweep {
  std::vector<LutCycleRow> rows;
  LinearFit fit;  // cycles against w_bits
  size_t m = 0, n = 0, k = 0;
};
LutCycleSweep lut_cycle_sweep(size_t m, size_t n, size_t k, uint64_t seed);

// L-Mul's energy argument from the cost model's primitives (hwmodel/cost/primitives.hpp, 45 nm):
// a float multiplier (significand multiplier incl. exponent add) against one integer adder over
// the exponent and mantissa bits; a dot-product step adds one float add (aligner / normaliser on
// the accumulator's significand) to both.
struct LmulEnergy {
  std::string format;  // "float32", "float8_e4m3fn"
  double mul_pj = 0, add_int_pj = 0, fp_add_pj = 0;
  double elementwise_saving = 0;  // 1 - add_int / mul
  double dot_saving = 0;          // 1 - (add_int + fp_add) / (mul + fp_add)
};
std::vector<LmulEnergy> lmul_energy();

// Energy per FMA of a sequential FMA unit (one lane, 28 nm) for FP64 and FP8 E5M2 (FP8 accumulation,
// as FPnew's FP8 lanes).
struct FmaLadder {
  double fp64_pj = 0, fp8_pj = 0;
};
FmaLadder fma_ladder();

// Horowitz's energy ladder at 45 nm: one INT8 MAC (exact INT32) and one FP32 FMA.
struct EnergyLadder {
  double int8_mac_pj = 0, fp32_mac_pj = 0;
};
EnergyLadder energy_ladder();

}  // namespace bitexact::explore
