// IEEE P3109 binary8pP (float family, inf = top): range facts per P, hand-checked against the
// working group's value tables (github.com/P3109/Public, Value Tables/HexStrings/K8/P*/).
#include <doctest/doctest.h>

#include <cmath>

#include "formats/catalog.hpp"
#include "formats/codec.hpp"

using namespace bitexact;

TEST_CASE("P3109 binary8pP: max finite and min subnormal per P, specials at 0x80 and 0x7F/0xFF") {
  struct Row {
    int P;
    double max_se, max_sf, min_pos;
  };
  const Row rows[] = {{1, std::ldexp(1, 62), std::ldexp(1, 63), std::ldexp(1, -63)},
                      {2, std::ldexp(1, 31), std::ldexp(1.5, 31), std::ldexp(1, -32)},
                      {3, 49152, 57344, std::ldexp(1, -17)},
                      {4, 224, 240, std::ldexp(1, -10)},
                      {5, 15, 15.5, std::ldexp(1, -7)},
                      {6, 3.875, 3.9375, std::ldexp(1, -6)},
                      {7, 1.96875, 1.984375, std::ldexp(1, -6)}};
  for (const Row& r : rows) {
    const std::string se = "binary8p" + std::to_string(r.P) + "se", sf = "binary8p" + std::to_string(r.P) + "sf";
    CAPTURE(r.P);
    const Format& e = Catalog::builtin().find(se)->format;
    const Format& f = Catalog::builtin().find(sf)->format;
    CHECK(e.fp.bias == (1 << (7 - r.P)));
    CHECK(max_finite(e).approx() == r.max_se);
    CHECK(max_finite(f).approx() == r.max_sf);
    CHECK(max_code(e, false) == 0x7E);
    CHECK(max_code(f, false) == 0x7F);
    CHECK(min_subnormal(e).approx() == r.min_pos);
    CHECK(min_subnormal(f).approx() == r.min_pos);
    CHECK(decode(e, 0x7F).is_inf());
    CHECK(decode(e, 0xFF).is_inf());
    CHECK(decode(e, 0xFF).sign);
    CHECK(*inf_code(e, true) == 0xFF);
    CHECK(!f.has_inf());
    CHECK(decode(e, 0x80).is_nan());
    CHECK(decode(f, 0x80).is_nan());
    CHECK(*zero_code(e, true) == 0x00);  // no -0
    const Unpacked one = decode(e, 0x40);  // 0x40 is 1.0 in every binary8pP
    CHECK(std::ldexp(double(one.significand), one.exponent) == 1.0);
  }
  CHECK(Catalog::builtin().find("binary8p3sf")->format.name == "float8_e5m2fnuz");
  CHECK(Catalog::builtin().find("binary8p4sf")->format.name == "float8_e4m3fnuz");
  CHECK(Catalog::builtin().find("binary8p4")->format.name == "binary8p4se");
}
