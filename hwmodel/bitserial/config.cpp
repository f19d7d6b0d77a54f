#include "hwmodel/bitserial/config.hpp"

#include <charconv>
#include <stdexcept>

#include "formats/codec.hpp"
#include "formats/error.hpp"
#include "hwmodel/config_spec.hpp"
#include "formats/spec.hpp"
#include "hwmodel/bitserial/decompose.hpp"

namespace bitexact::hw {

namespace {

[[noreturn]] void bad(const std::string& msg) { throw std::invalid_argument("bitserial: " + msg); }

int encoding_bits(SerialEncoding e) { return e == SerialEncoding::BitPlane ? 1 : 2; }

}  // namespace

BitSerialConfig::BitSerialConfig() {
  act = parse_format("float16");
  weight = parse_format("int8");
  encoding = SerialEncoding::Booth4;
  accum = parse_accum_model("exact");
}

bool BitSerialConfig::operator==(const BitSerialConfig& o) const {
  return lanes == o.lanes && bits_per_cycle == o.bits_per_cycle && act.name == o.act.name &&
         weight.name == o.weight.name && encoding == o.encoding && accum == o.accum && rows == o.rows &&
         cols == o.cols;
}

const char* serial_encoding_name(SerialEncoding e) {
  switch (e) {
    case SerialEncoding::BitPlane: return "bitplane";
    case SerialEncoding::Booth4: return "booth4";
    case SerialEncoding::Terms: return "terms";
  }
  return "?";
}

SerialEncoding default_encoding(const Format& weight, int bits_per_cycle) {
  if (weight.family != Family::Int) return SerialEncoding::Terms;
  return bits_per_cycle == 1 ? SerialEncoding::BitPlane : SerialEncoding::Booth4;
}

void validate(const BitSerialConfig& c) {
  if (c.lanes < 1 || c.lanes > 1024) bad("lanes must be 1..1024");
  if (c.rows < 1 || c.rows > 4096 || c.cols < 1 || c.cols > 4096) bad("rows and cols must be 1..4096");
  if (c.bits_per_cycle != 1 && c.bits_per_cycle != 2) bad("bits per cycle must be 1 or 2");
  if (encoding_bits(c.encoding) != c.bits_per_cycle)
    bad(std::string(serial_encoding_name(c.encoding)) + " streams " + std::to_string(encoding_bits(c.encoding)) +
        " bit(s) per cycle, not " + std::to_string(c.bits_per_cycle));
  const Format& a = c.act;
  if ((a.family != Family::Int && a.family != Family::Float) || a.width() > 16)
    bad("activations are integers or floats of at most 16 bits ('" + a.name + "')");
  if (a.is_float() && a.precision() > 24) bad("activation significands are at most 24 bits");
  if (a.family == Family::Int && a.ip.bits > 16) bad("integer activations are at most 16 bits");
  decompose_weights(c.weight, c.encoding);  // throws for weights the PE does not stream
  if (c.accum.kind == AccumKind::Pairwise)
    bad("a pairwise model orders the whole K in software; the group accumulator needs exact, sequential or fused");
  if (c.accum.product != ProductMode::Exact)
    bad("the PE forms every product exactly (product=exact); rounded / L-Mul products are MAC-unit knobs");
  if (c.accum.kind == AccumKind::Sequential && !c.accum.fma)
    bad("a sequential model with fma=false rounds each product; the PE's group sums are exact (use fma=true)");
}

int cycles_per_weight(const BitSerialConfig& c) { return decompose_weights(c.weight, c.encoding).cycles; }

UnitTiming timing(const BitSerialConfig& c) {
  UnitTiming t;
  t.tile_m = 1;
  t.tile_n = 1;
  t.tile_k = c.lanes;
  t.cycles_per_op = cycles_per_weight(c);
  t.latency = t.cycles_per_op + 1;
  return t;
}

BitSerialConfig parse_bitserial_config(std::string_view spec) {
  BitSerialConfig c;
  bool encoding_given = false;
  ConfigSpec p(spec, "bitserial");
  p.each([&](std::string_view key, std::string_view val) {
    if (key == "lanes") c.lanes = p.integer(val);
    else if (key == "bits") c.bits_per_cycle = p.integer(val);
    else if (key == "rows") c.rows = p.integer(val);
    else if (key == "cols") c.cols = p.integer(val);
    else if (key == "act") c.act = parse_format(val);
    else if (key == "weight") c.weight = parse_format(val);
    else if (key == "accum") c.accum = parse_accum_model(val);
    else if (key == "encoding") {
      encoding_given = true;
      c.encoding = p.choice(val, "encoding", {SerialEncoding::BitPlane, SerialEncoding::Booth4, SerialEncoding::Terms},
                            serial_encoding_name);
    } else {
      p.fail_key("lanes, bits, act, weight, encoding, accum, rows, cols");
    }
  });
  if (!encoding_given) c.encoding = default_encoding(c.weight, c.bits_per_cycle);
  p.validated([&] { validate(c); });
  return c;
}

std::string bitserial_config_name(const BitSerialConfig& c) {
  return "lanes=" + std::to_string(c.lanes) + ",bits=" + std::to_string(c.bits_per_cycle) + ",act=" + c.act.name +
         ",weight=" + c.weight.name + ",encoding=" + serial_encoding_name(c.encoding) +
         ",accum=" + accum_model_name(c.accum) + ",rows=" + std::to_string(c.rows) + ",cols=" + std::to_string(c.cols);
}

}  // namespace bitexact::hw
