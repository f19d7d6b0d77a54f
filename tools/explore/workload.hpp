// The workload of `bitexact explore`: a list of GEMM layers, each with its full shape (what the
// hardware cost is computed for: tokens x K x N, run `count` times per forward pass) and the sample
// whose numerics are emulated (sample_m x sample_k activations, sample_n x sample_k weights), drawn
// from seeded synthetic distributions or read from the user's .npy tensors.
//
// The built-in default is the seven projections of one Llama-2-7B block (hwmodel/layers.hpp) at
// 2048 tokens, 32 blocks; the emulated samples are scaled down in M, K and N (32 x 256 x 64) so the
// whole report runs in well under two minutes on two cores.
//
// Workload TOML (every key optional unless marked; unknown keys are errors):
//   name = "my model"          tokens = 2048          seed = 1      (seed: added to --seed)
//   [[layer]]
//   name = "q_proj"  (required)  k = 4096  n = 4096  (required unless both .npy files are given)
//   count = 32                    runs per forward pass
//   sample_m = 32  sample_k = 256  sample_n = 64      the emulated sample (capped at tokens / k / n)
//   weights = "w.npy"             (N, K) array, PyTorch nn.Linear layout; relative to the TOML file
//   activations = "x.npy"         (M, K) array
//   weight_dist = "normal"        weight_channel_spread = 0.3   (log-normal sigma of per-output-channel scales)
//   act_dist = "student-t:4"      act_outlier_channels = 0.01  act_outlier_factor = 20
// Errors are WorkloadError with one line "FILE:LINE:COL: what".
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "emu/distributions.hpp"

namespace bitexact::explore {

struct WorkloadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Where one operand's sample comes from.
struct TensorSource {
  std::string npy;                // a .npy path as given (resolved: npy_path); empty: synthetic
  std::string npy_path;
  Distribution dist;              // synthetic: the element distribution (variance 1)
  double channel_spread = 0;      // log-normal sigma of a per-channel scale (0: none)
  double outlier_channels = 0;    // fraction of channels multiplied by outlier_factor
  double outlier_factor = 1;
};

struct Layer {
  std::string name;
  uint64_t K = 0, N = 0;          // full shape; M is the workload's tokens
  uint64_t count = 1;             // runs per forward pass (per-block count x blocks)
  uint64_t sample_m = 32, sample_k = 256, sample_n = 64;
  TensorSource weights, activations;
};

struct Workload {
  std::string name;
  std::string source;             // "built-in" or the TOML path
  std::string description;        // one sentence for the report
  uint64_t tokens = 2048;         // GEMM M of the cost part
  uint64_t seed = 0;              // added to the run's seed
  std::vector<Layer> layers;
};

// Caps each layer's sample at its full shape (sample_m <= tokens, sample_k <= K, sample_n <= N).
void cap_samples(Workload& w);

// The built-in default (Llama-2-7B projections, synthetic tensors).
Workload default_workload();

// Parses workload TOML; `file` names it in errors and anchors relative .npy paths. The .npy files
// are not read here (make_tensors reads them).
Workload parse_workload(std::string_view text, const std::string& file);
// Reads and parses a file (an unreadable file is a WorkloadError "FILE: cannot read").
Workload load_workload(const std::string& path);

// Every .npy of the workload read and checked against the layer's shape (K, N from the files when
// the TOML left them out). A bad file is a WorkloadError "FILE: ..." (the .npy's own message).
void resolve_npy_shapes(Workload& w);

// One layer's sample: activations M x K and weights N x K (each row one output channel), float32
// values, K padded with zeros to a multiple of kKAlign so every block scheme tiles it.
inline constexpr uint64_t kKAlign = 128;
struct LayerTensors {
  uint64_t m = 0, k = 0, n = 0;   // k: padded
  std::vector<float> a, w;
};
LayerTensors make_tensors(const Layer& l, uint64_t seed, size_t layer_index);

}  // namespace bitexact::explore
