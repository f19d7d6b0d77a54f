// Workload TOML of `bitexact explore --workload FILE` (tools/explore/workload.hpp). Input: the TOML
// text. Properties, for a workload that parses: every layer has a name and a non-zero shape (or .npy
// files for it), samples are capped at the full shape, and the synthetic sample of each small layer
// (no .npy) is drawn with the padded size. Allowed errors: WorkloadError (FormatError,
// std::invalid_argument).
#include "tests/fuzz/fuzz_common.hpp"

#include "tools/explore/workload.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;
using namespace bitexact::explore;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Workload w;
  if (!allowed<WorkloadError>([&] { w = parse_workload(text, "fuzz/w.toml"); })) return 0;
  cap_samples(w);
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Layer& l = w.layers[i];
    FUZZ_CHECK(!l.name.empty(), "a layer without a name");
    const bool npy = !l.weights.npy.empty() || !l.activations.npy.empty();
    if (!npy) FUZZ_CHECK(l.K > 0 && l.N > 0, "layer '" + l.name + "' without a shape");
    if (npy) continue;  // make_tensors would read the files
    FUZZ_CHECK(l.sample_m <= w.tokens && l.sample_k <= l.K && l.sample_n <= l.N, "layer '" + l.name + "' sample beyond its shape");
    const uint64_t kp = (l.sample_k + kKAlign - 1) / kKAlign * kKAlign;
    if (l.sample_m > 4096 || l.sample_n > 4096 || kp > 4096 || (l.sample_m + l.sample_n) * kp > (uint64_t{1} << 16)) continue;
    LayerTensors t;
    if (!allowed<WorkloadError>([&] { t = make_tensors(l, 1, i); })) continue;
    FUZZ_CHECK(t.k % kKAlign == 0 && t.k >= l.sample_k, "padded k");
    FUZZ_CHECK(t.a.size() == t.m * t.k && t.w.size() == t.n * t.k, "tensor sizes");
  }
  return 0;
}
