// Evaluation of one candidate on a workload: the numerics on each layer's emulated sample
// (quantization error of activations and weights, and of the GEMM output under the candidate's
// accumulation model, against the exact product of the unquantized float32 samples) and the
// hardware figures of each layer's full shape (cycles from hwmodel/gemm_runner, energy from
// hwmodel/cost, memory footprint at the schemes' storage bits).
//
// Determinism: every tensor is a pure function of (seed, layer, element index); quantization and
// the emulated GEMM give the same bytes for any thread count (emu/gemm.hpp); candidates are
// evaluated one after another. So results depend on the inputs only, never on --threads or --shard.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hwmodel/cost/synth_area.hpp"
#include "hwmodel/cost/tech.hpp"
#include "tools/explore/candidates.hpp"
#include "tools/explore/workload.hpp"

namespace bitexact::explore {

struct ErrorFigures {
  double sqnr_db = 0;  // 10 log10(sum x^2 / sum (q - x)^2), +inf when exact (emu/metrics.hpp)
  double max_abs = 0;  // max |q - x|
  double max_rel = 0;  // max |q - x| / |x| (x = 0: 0 if q = 0, else inf)
  double rmse = 0;
  double signal_rms = 0;  // sqrt(sum x^2 / n): the scale max_abs is measured against
};

struct LayerResult {
  std::string layer;
  ErrorFigures act, weight, out;
  // The layer's full shape (tokens x N x K), one run.
  uint64_t m = 0, n = 0, k = 0;
  uint64_t cycles = 0;
  double utilization = 0;
  double compute_j = 0, sram_j = 0, dram_j = 0;
  double weight_bytes = 0, act_bytes = 0;  // operands at their storage bits (block scales included)
  uint64_t count = 1;                      // runs per forward pass
};

struct CandidateResult {
  Candidate cand;
  UnitCost unit;
  double act_bits = 0, weight_bits = 0;  // storage bits per element, block scales included
  std::vector<LayerResult> layers;
  // Over the workload (each layer times its count):
  double out_sqnr_db = 0;      // mean over layers of the GEMM-output SQNR (dB)
  double out_sqnr_min_db = 0;  // the worst layer
  double act_sqnr_db = 0, weight_sqnr_db = 0;  // means over layers
  double out_max_rel_rms = 0;  // max over layers of max |error| / rms(reference)
  // One forward pass: energy_j = compute + SRAM (on chip, the Pareto axis); dram_j beside it.
  double energy_j = 0, compute_j = 0, sram_j = 0, dram_j = 0;
  double time_s = 0;           // one forward pass on the array
  double peak_tops = 0;        // the array's
  double array_area_mm2 = 0;   // analytic
  double area_per_mac_um2 = 0; // one unit's area / its MACs per cycle
  double weight_bytes = 0;     // all weights of the workload (each layer once per count)
  bool pareto_energy = false, pareto_area = false;  // on the frontier (set by mark_pareto)
};

struct EvalSettings {
  HwSettings hw;
  uint64_t seed = 1;
  int threads = 0;  // 0: OpenMP's default
};

// Holds the workload's samples and exact references, and caches the numerics of each
// (activation, weight, accumulation model) so candidates that differ only in the unit share them.
class Evaluator {
 public:
  Evaluator(const Workload& w, const EvalSettings& s);
  // Throws std::invalid_argument (one line) when the candidate cannot be evaluated.
  CandidateResult evaluate(const Candidate& c);
  const Workload& workload() const { return w_; }

 private:
  struct Numerics {
    std::vector<ErrorFigures> act, weight, out;  // per layer
  };
  const Numerics& numerics(const Candidate& c);

  Workload w_;
  EvalSettings s_;
  hw::cost::TechLibrary tech_;
  hw::cost::SynthTable synth_;
  std::vector<LayerTensors> tensors_;
  std::vector<std::vector<double>> reference_;  // per layer: the exact GEMM of the float32 samples, M x N
  std::map<std::string, Numerics> cache_;
};

}  // namespace bitexact::explore
