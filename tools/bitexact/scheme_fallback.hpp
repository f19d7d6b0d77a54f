// TEMPORARY: the scalar part of the quantization-scheme API (emu/scheme.hpp, owned by the block
// branch), so `bitexact error` builds and is tested before that branch lands. Removed on merge.
#pragma once

#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "emu/env.hpp"
#include "emu/ops.hpp"
#include "formats/float_codec.hpp"
#include "formats/spec.hpp"

namespace bitexact {

struct Scheme {
  Format format;
};
inline Scheme parse_scheme(std::string_view spec) { return {parse_format(spec)}; }
inline std::string scheme_name(const Scheme& s) { return s.format.name; }
inline std::string scheme_family(const Scheme&) { return "float"; }
inline double bits_per_value(const Scheme& s) { return s.format.width(); }
inline size_t scheme_block_size(const Scheme&) { return 0; }
struct QuantizeStats {
  uint64_t clipped = 0, flushed_to_zero = 0, nonfinite = 0;
  std::vector<double> block_scale;
};
inline void fake_quantize(const Scheme& s, std::span<const double> in, std::span<double> out, const Env& env,
                          QuantizeStats* stats = nullptr, int = 0) {
  Env e0;
  const double maxv = to_double(s.format, max_code(s.format, false), e0);
  for (size_t i = 0; i < in.size(); ++i) {
    Env e = env;
    e.index = i;
    out[i] = to_double(s.format, from_double(s.format, in[i], e), e0);
    if (stats && std::isfinite(in[i]) && std::fabs(in[i]) > maxv) ++stats->clipped;
  }
}

}  // namespace bitexact
