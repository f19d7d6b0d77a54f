#include "hwmodel/mac/config.hpp"

#include <charconv>
#include <stdexcept>

#include "formats/error.hpp"
#include "hwmodel/config_spec.hpp"
#include "formats/spec.hpp"

namespace bitexact::hw {

namespace {

[[noreturn]] void bad(const std::string& msg) { throw std::invalid_argument("mac: " + msg); }

void check_scheme(const Scheme& s, const char* which, const MacConfig& c) {
  if (!s.is_block) {
    const Format& f = s.format;
    if (f.width() > 16 || (f.family != Family::Float && f.family != Family::Int))
      bad(std::string(which) + ": scalar operands are float or int formats of at most 16 bits");
    return;
  }
  const BlockFormat& b = s.block;
  if (b.kind != BlockKind::Mx) bad(std::string(which) + ": only MX block schemes (power-of-two scales) enter the unit");
  if (b.block == 0) bad(std::string(which) + ": per-tensor groups are not block inputs");
  const size_t n = size_t(c.lanes);
  if (b.block % n != 0 && n % b.block != 0)
    bad(std::string(which) + ": the block size must be a multiple or a divisor of lanes");
  if (c.accum.product != ProductMode::Exact) bad("block inputs need product=exact");
}

}  // namespace

MacConfig::MacConfig() {
  act = parse_scheme("float16");
  weight = act;
  accum = parse_accum_model("v100-fp16");
}

bool MacConfig::operator==(const MacConfig& o) const {
  return lanes == o.lanes && scheme_name(act) == scheme_name(o.act) && scheme_name(weight) == scheme_name(o.weight) &&
         accum == o.accum && rows == o.rows && cols == o.cols && pipeline == o.pipeline && feed == o.feed;
}

void validate(const MacConfig& c) {
  if (c.lanes < 1 || c.lanes > 1024) bad("lanes must be 1..1024");
  if (c.rows < 1 || c.rows > 4096 || c.cols < 1 || c.cols > 4096) bad("rows and cols must be 1..4096");
  if (c.pipeline < 1 || c.pipeline > 64) bad("pipeline must be 1..64");
  if (c.accum.kind == AccumKind::Pairwise)
    bad("a pairwise model orders the whole K in software; a DPn register needs exact, sequential or fused");
  check_scheme(c.act, "act", c);
  check_scheme(c.weight, "weight", c);
  if (c.act.is_block && c.weight.is_block && c.accum.scales == ScaleApply::After &&
      c.act.block.block != c.weight.block.block)
    bad("scales=after needs equal block sizes along K");
}

UnitTiming timing(const MacConfig& c) {
  UnitTiming t;
  t.tile_m = 1;
  t.tile_n = 1;
  t.tile_k = c.lanes;
  t.cycles_per_op = 1;
  t.latency = c.pipeline;
  return t;
}

int array_skew(const MacConfig& c) { return c.feed == ArrayFeed::Systolic ? (c.rows - 1) + (c.cols - 1) : 0; }

const char* array_feed_name(ArrayFeed f) { return f == ArrayFeed::Systolic ? "systolic" : "broadcast"; }

MacConfig parse_mac_config(std::string_view spec) {
  MacConfig c;
  ConfigSpec p(spec, "mac");
  p.each([&](std::string_view key, std::string_view val) {
    if (key == "lanes") c.lanes = p.integer(val);
    else if (key == "rows") c.rows = p.integer(val);
    else if (key == "cols") c.cols = p.integer(val);
    else if (key == "pipeline") c.pipeline = p.integer(val);
    else if (key == "act") c.act = parse_scheme(val);
    else if (key == "weight") c.weight = parse_scheme(val);
    else if (key == "accum") c.accum = parse_accum_model(val);
    else if (key == "feed")
      c.feed = p.choice(val, "feed", {ArrayFeed::Systolic, ArrayFeed::Broadcast}, array_feed_name);
    else p.fail_key("lanes, act, weight, accum, rows, cols, pipeline, feed");
  });
  p.validated([&] { validate(c); });
  return c;
}

std::string mac_config_name(const MacConfig& c) {
  return "lanes=" + std::to_string(c.lanes) + ",act=" + scheme_name(c.act) + ",weight=" + scheme_name(c.weight) +
         ",accum=" + accum_model_name(c.accum) + ",rows=" + std::to_string(c.rows) + ",cols=" + std::to_string(c.cols) +
         ",pipeline=" + std::to_string(c.pipeline) + ",feed=" + array_feed_name(c.feed);
}

}  // namespace bitexact::hw
