#include "tools/explore/workload.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "emu/random.hpp"
#include "emu/tensor/npy.hpp"
#include "formats/error.hpp"
#include "hwmodel/layers.hpp"

namespace bitexact::explore {

namespace {

// Synthetic operands of the default workload. These are assumptions, not measurements: Gaussian
// weights with a log-normal spread of per-output-channel scales, heavy-tailed (Student-t)
// activations with a few outlier input channels, the pattern LLM.int8() reports for transformer
// hidden states (Dettmers et al., arXiv 2208.07339: a small set of feature dimensions carries
// magnitudes far above the rest), and the heaviest tails at the input of down_proj (the SwiGLU
// product of two activations).
TensorSource synth(DistKind kind, double param, double spread, double outliers, double factor) {
  TensorSource t;
  t.dist.kind = kind;
  t.dist.param = param;
  t.channel_spread = spread;
  t.outlier_channels = outliers;
  t.outlier_factor = factor;
  return t;
}

[[noreturn]] void fail(const std::string& file, const toml::source_region& r, const std::string& what) {
  throw WorkloadError(fmt::format("{}:{}:{}: {}", file, r.begin.line, r.begin.column, what));
}

uint64_t get_uint(const std::string& file, const toml::node& n, std::string_view key, uint64_t lo, uint64_t hi) {
  const auto* v = n.as_integer();
  if (!v) fail(file, n.source(), fmt::format("{} must be an integer", key));
  const int64_t x = v->get();
  if (x < 0 || uint64_t(x) < lo || uint64_t(x) > hi)
    fail(file, n.source(), fmt::format("{} must be {}..{} (got {})", key, lo, hi, x));
  return uint64_t(x);
}

double get_real(const std::string& file, const toml::node& n, std::string_view key, double lo, double hi) {
  double x = 0;
  if (const auto* f = n.as_floating_point()) x = f->get();
  else if (const auto* i = n.as_integer()) x = double(i->get());
  else fail(file, n.source(), fmt::format("{} must be a number", key));
  if (!(x >= lo && x <= hi)) fail(file, n.source(), fmt::format("{} must be in [{}, {}] (got {})", key, lo, hi, x));
  return x;
}

std::string get_string(const std::string& file, const toml::node& n, std::string_view key) {
  const auto* s = n.as_string();
  if (!s) fail(file, n.source(), fmt::format("{} must be a string", key));
  if (s->get().empty()) fail(file, n.source(), fmt::format("{} must not be empty", key));
  return s->get();
}

Distribution get_dist(const std::string& file, const toml::node& n, std::string_view key) {
  const std::string spec = get_string(file, n, key);
  try {
    return parse_distribution(spec);
  } catch (const FormatError& e) {
    fail(file, n.source(), fmt::format("{}: {}", key, e.what()));
  }
}

constexpr uint64_t kMaxDim = uint64_t(1) << 24;       // a full GEMM dimension
constexpr uint64_t kMaxSample = uint64_t(1) << 14;    // one emulated sample dimension
constexpr uint64_t kMaxSampleElems = uint64_t(1) << 26;

}  // namespace

void cap_samples(Workload& w) {
  for (Layer& l : w.layers) {
    if (l.activations.npy.empty()) l.sample_m = std::min(l.sample_m, w.tokens);
    if (l.K != 0) l.sample_k = std::min(l.sample_k, l.K);
    if (l.N != 0 && l.weights.npy.empty()) l.sample_n = std::min(l.sample_n, l.N);
  }
}

Workload default_workload() {
  const hw::ModelPreset& p = hw::model_preset("llama2-7b");
  Workload w;
  w.name = "llama2-7b";
  w.source = "built-in";
  w.description = fmt::format(
      "The seven projections of one Llama-2-7B transformer block at 2048 tokens, x{} blocks ({}), with synthetic "
      "weights and activations.",
      p.blocks, p.source);
  w.tokens = 2048;
  for (const hw::LayerShape& s : p.layers) {
    Layer l;
    l.name = std::string(s.name);
    l.K = s.K, l.N = s.N;
    l.count = uint64_t(s.per_block) * uint64_t(p.blocks);
    const bool attn_in = l.name == "q_proj" || l.name == "k_proj" || l.name == "v_proj";
    const bool mlp_in = l.name == "gate_proj" || l.name == "up_proj";
    if (attn_in || mlp_in) {  // post-RMSNorm hidden states: heavy tails and outlier channels
      l.activations = synth(DistKind::StudentT, 4, 0, 0.01, 20);
      l.weights = synth(DistKind::Normal, 0, 0.3, 0, 1);
    } else if (l.name == "o_proj") {  // attention output: milder
      l.activations = synth(DistKind::Laplace, 0, 0, 0, 1);
      l.weights = synth(DistKind::Normal, 0, 0.3, 0, 1);
    } else {  // down_proj: the SwiGLU product, the heaviest tails
      l.activations = synth(DistKind::StudentT, 3, 0, 0.005, 50);
      l.weights = synth(DistKind::Laplace, 0, 0.3, 0, 1);
    }
    w.layers.push_back(std::move(l));
  }
  cap_samples(w);
  return w;
}

Workload parse_workload(std::string_view text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    fail(file, e.source(), std::string(e.description()));
  }
  Workload w;
  w.name = std::filesystem::path(file).stem().string();
  w.source = file;
  w.description = fmt::format("The layers of {}.", file);
  const std::filesystem::path base = std::filesystem::path(file).parent_path();
  bool any_layer = false;
  for (auto&& [key, node] : root) {
    const std::string k(key.str());
    if (k == "name") w.name = get_string(file, node, k);
    else if (k == "description") w.description = get_string(file, node, k);
    else if (k == "tokens") w.tokens = get_uint(file, node, k, 1, kMaxDim);
    else if (k == "seed") w.seed = get_uint(file, node, k, 0, uint64_t(std::numeric_limits<int64_t>::max()));
    else if (k == "layer") {
      const toml::array* arr = node.as_array();
      if (!arr || !arr->is_array_of_tables()) fail(file, node.source(), "layer must be an array of tables ([[layer]])");
      for (auto&& item : *arr) {
        const toml::table& t = *item.as_table();
        Layer l;
        l.weights = synth(DistKind::Normal, 0, 0, 0, 1);
        l.activations = synth(DistKind::Normal, 0, 0, 0, 1);
        bool has_name = false, has_k = false, has_n = false;
        bool sm = false, sk = false, sn = false;
        for (auto&& [lk, ln] : t) {
          const std::string f(lk.str());
          if (f == "name") l.name = get_string(file, ln, f), has_name = true;
          else if (f == "k") l.K = get_uint(file, ln, f, 1, kMaxDim), has_k = true;
          else if (f == "n") l.N = get_uint(file, ln, f, 1, kMaxDim), has_n = true;
          else if (f == "count") l.count = get_uint(file, ln, f, 1, kMaxDim);
          else if (f == "sample_m") l.sample_m = get_uint(file, ln, f, 1, kMaxSample), sm = true;
          else if (f == "sample_k") l.sample_k = get_uint(file, ln, f, 1, kMaxSample), sk = true;
          else if (f == "sample_n") l.sample_n = get_uint(file, ln, f, 1, kMaxSample), sn = true;
          else if (f == "weights" || f == "activations") {
            TensorSource& s = f == "weights" ? l.weights : l.activations;
            s.npy = get_string(file, ln, f);
            const std::filesystem::path p(s.npy);
            s.npy_path = p.is_absolute() || base.empty() ? p.string() : (base / p).string();
          } else if (f == "weight_dist") l.weights.dist = get_dist(file, ln, f);
          else if (f == "act_dist") l.activations.dist = get_dist(file, ln, f);
          else if (f == "weight_channel_spread") l.weights.channel_spread = get_real(file, ln, f, 0, 4);
          else if (f == "act_channel_spread") l.activations.channel_spread = get_real(file, ln, f, 0, 4);
          else if (f == "act_outlier_channels") l.activations.outlier_channels = get_real(file, ln, f, 0, 1);
          else if (f == "act_outlier_factor") l.activations.outlier_factor = get_real(file, ln, f, 1e-6, 1e6);
          else if (f == "weight_outlier_channels") l.weights.outlier_channels = get_real(file, ln, f, 0, 1);
          else if (f == "weight_outlier_factor") l.weights.outlier_factor = get_real(file, ln, f, 1e-6, 1e6);
          else fail(file, ln.source(), fmt::format("unknown layer key '{}'", f));
        }
        if (!has_name) fail(file, t.source(), "a [[layer]] needs a name");
        if (!has_k && l.activations.npy.empty() && l.weights.npy.empty())
          fail(file, t.source(), fmt::format("layer '{}' needs k (or a .npy file to take it from)", l.name));
        if (!has_n && l.weights.npy.empty())
          fail(file, t.source(), fmt::format("layer '{}' needs n (or weights = \"FILE.npy\")", l.name));
        if (l.sample_m * l.sample_k > kMaxSampleElems || l.sample_n * l.sample_k > kMaxSampleElems)
          fail(file, t.source(), fmt::format("layer '{}': the sample has more than 2^26 elements", l.name));
        (void)sm, (void)sk, (void)sn;
        for (const Layer& o : w.layers)
          if (o.name == l.name) fail(file, t.source(), fmt::format("layer name '{}' is used twice", l.name));
        w.layers.push_back(std::move(l));
        any_layer = true;
      }
    } else {
      fail(file, node.source(), fmt::format("unknown key '{}' (name, description, tokens, seed, [[layer]])", k));
    }
  }
  if (!any_layer) throw WorkloadError(fmt::format("{}:1:1: no [[layer]] table", file));
  cap_samples(w);
  return w;
}

Workload load_workload(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw WorkloadError(fmt::format("{}: cannot read", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in.good() && !in.eof()) throw WorkloadError(fmt::format("{}: cannot read", path));
  return parse_workload(ss.str(), path);
}

namespace {

NpyArray read_checked(const TensorSource& s, const Layer& l, const char* what) {
  NpyArray a;
  try {
    a = read_npy(s.npy_path);
  } catch (const NpyError& e) {
    throw WorkloadError(e.what());
  }
  if (a.shape.size() != 2)
    throw WorkloadError(fmt::format("{}: layer '{}': {} must be a 2-D array, not {}-D", s.npy_path, l.name, what,
                                    a.shape.size()));
  if (!npy_is_float(a.type))
    throw WorkloadError(fmt::format("{}: layer '{}': {} must be float16/32/64, not {}", s.npy_path, l.name, what,
                                    npy_type_name(a.type)));
  if (a.shape[0] == 0 || a.shape[1] == 0 || a.shape[0] > kMaxSample * 4 || a.shape[1] > kMaxSample * 4 ||
      a.size() > kMaxSampleElems)
    throw WorkloadError(fmt::format("{}: layer '{}': {} shape ({}, {}) is empty or too large (at most 2^26 elements)",
                                    s.npy_path, l.name, what, a.shape[0], a.shape[1]));
  return a;
}

}  // namespace

void resolve_npy_shapes(Workload& w) {
  for (Layer& l : w.layers) {
    uint64_t k = l.K;
    if (!l.weights.npy.empty()) {
      const NpyArray a = read_checked(l.weights, l, "weights (N, K)");
      if (l.N != 0 && l.N != a.shape[0])
        throw WorkloadError(fmt::format("{}: layer '{}': weights have N = {} rows, the TOML says n = {}",
                                        l.weights.npy_path, l.name, a.shape[0], l.N));
      if (k != 0 && k != a.shape[1])
        throw WorkloadError(fmt::format("{}: layer '{}': weights have K = {} columns, the TOML says k = {}",
                                        l.weights.npy_path, l.name, a.shape[1], k));
      l.N = a.shape[0], k = a.shape[1];
      l.sample_n = a.shape[0];
    }
    if (!l.activations.npy.empty()) {
      const NpyArray a = read_checked(l.activations, l, "activations (M, K)");
      if (k != 0 && k != a.shape[1])
        throw WorkloadError(fmt::format("{}: layer '{}': activations have K = {} columns, the layer has K = {}",
                                        l.activations.npy_path, l.name, a.shape[1], k));
      k = a.shape[1];
      l.sample_m = a.shape[0];
    }
    l.K = k;
    if (!l.weights.npy.empty() || !l.activations.npy.empty()) l.sample_k = k;
  }
}

namespace {

// Per-channel multipliers of a synthetic operand: log-normal spread, outlier channels.
std::vector<double> channel_scales(const TensorSource& s, uint64_t seed, uint64_t channels) {
  std::vector<double> c(channels, 1.0);
  Distribution normal;
  const double threshold = s.outlier_channels * 18446744073709551616.0;  // fraction * 2^64
  for (uint64_t i = 0; i < channels; ++i) {
    if (s.channel_spread > 0) c[i] = det_exp(s.channel_spread * sample(normal, seed ^ 0x5ca1e, i));
    if (s.outlier_channels > 0 && double(counter_random(seed, 7, i)) < threshold) c[i] *= s.outlier_factor;
  }
  return c;
}

std::vector<float> load_sample(const TensorSource& s, const Layer& l, uint64_t rows, uint64_t k, uint64_t kpad) {
  const NpyArray a = read_checked(s, l, "tensor");
  const std::vector<double> v = npy_to_doubles(a);
  std::vector<float> out(rows * kpad, 0.0f);
  for (uint64_t r = 0; r < rows; ++r)
    for (uint64_t j = 0; j < k; ++j) out[r * kpad + j] = float(v[r * k + j]);
  return out;
}

}  // namespace

LayerTensors make_tensors(const Layer& l, uint64_t seed, size_t layer_index) {
  LayerTensors t;
  t.m = l.sample_m;
  t.n = l.sample_n;
  const uint64_t k = l.sample_k;
  t.k = (k + kKAlign - 1) / kKAlign * kKAlign;
  const uint64_t sa = counter_random(seed, 0xa11, layer_index), sw = counter_random(seed, 0xb22, layer_index);
  if (!l.activations.npy.empty()) {
    t.a = load_sample(l.activations, l, t.m, k, t.k);
  } else {  // a[m][j] = sample * scale of input channel j
    const std::vector<double> cs = channel_scales(l.activations, sa, k);
    t.a.assign(t.m * t.k, 0.0f);
    for (uint64_t r = 0; r < t.m; ++r)
      for (uint64_t j = 0; j < k; ++j) t.a[r * t.k + j] = float(sample(l.activations.dist, sa, r * k + j) * cs[j]);
  }
  if (!l.weights.npy.empty()) {
    t.w = load_sample(l.weights, l, t.n, k, t.k);
  } else {  // w[n][j] = sample * scale of output channel n (and of input channel j for outliers)
    const std::vector<double> cs = channel_scales(l.weights, sw, t.n);
    t.w.assign(t.n * t.k, 0.0f);
    for (uint64_t r = 0; r < t.n; ++r)
      for (uint64_t j = 0; j < k; ++j) t.w[r * t.k + j] = float(sample(l.weights.dist, sw, r * k + j) * cs[r]);
  }
  return t;
}

}  // namespace bitexact::explore
