// The MAC / dot-product unit: configuration, timing, bit-exactness with the core's dot products.
#include <doctest/doctest.h>

#include <stdexcept>

#include "formats/error.hpp"
#include "hwmodel/mac/config.hpp"

using namespace bitexact;
using namespace bitexact::hw;

TEST_CASE("mac config: defaults, spec round trip, timing and errors") {
  const MacConfig d;
  CHECK(d.lanes == 4);
  CHECK(scheme_name(d.act) == "float16");
  CHECK(accum_model_name(d.accum) == "v100-fp16");
  CHECK(d.accum.k == d.lanes);
  const MacConfig c = parse_mac_config("lanes=8,act=float8_e4m3fn,weight=mxfp4,accum=fused<k=8,acc=24,carry=2>,rows=16,cols=4,pipeline=3");
  CHECK(c.lanes == 8);
  CHECK(c.weight.is_block);
  CHECK(c.accum.k == 8);
  CHECK(c.rows == 16);
  CHECK(c.cols == 4);
  CHECK(parse_mac_config(mac_config_name(c)) == c);
  const UnitTiming t = timing(c);
  CHECK(t.tile_k == 8);
  CHECK(t.cycles_per_op == 1);
  CHECK(t.latency == 3);
  CHECK(t.macs_per_cycle() == 8.0);
  CHECK(array_skew(c) == 15 + 3);
  CHECK(array_skew(parse_mac_config("rows=16,cols=4,feed=broadcast")) == 0);
  CHECK_THROWS_AS(parse_mac_config("lanes=0"), FormatError);
  CHECK_THROWS_AS(parse_mac_config("accum=fp32-pairwise"), FormatError);
  CHECK_THROWS_AS(parse_mac_config("lanes=3,act=mxfp8_e4m3"), FormatError);
  CHECK_THROWS_AS(parse_mac_config("widgets=3"), FormatError);
  try {
    parse_mac_config("lanes=4,accum=fused<k=x>");
    FAIL("no throw");
  } catch (const FormatError& e) {
    CHECK(e.position() >= 15);
  }
  MacConfig bad;
  bad.pipeline = 0;
  CHECK_THROWS_AS(validate(bad), std::invalid_argument);
}
