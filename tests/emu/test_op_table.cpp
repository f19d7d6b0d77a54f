#include <doctest/doctest.h>

#include "emu/op_table.hpp"
#include "emu/ops.hpp"
#include "formats/catalog.hpp"

using namespace bitexact;

TEST_CASE("operation tables equal the generic operations on every pair of every <=8-bit format") {
  size_t formats = 0;
  for (const CatalogEntry& e : Catalog::builtin().entries()) {
    const Format& f = e.format;
    if (f.width() > 8) continue;
    ++formats;
    for (BinaryOp op : {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div, BinaryOp::Min, BinaryOp::Max})
      for (RoundingMode mode : {RoundingMode::RNE, RoundingMode::RTZ}) {
        CAPTURE(f.name);
        CAPTURE(int(op));
        Env env;
        env.mode = mode;
        const BinaryOpTable t(op, f, env);
        const uint64_t n = uint64_t{1} << f.width();
        size_t bad = 0;
        for (uint64_t a = 0; a < n; ++a)
          for (uint64_t b = 0; b < n; ++b) {
            Env x = env, y = env;
            bad += t.apply(a, b, x) != apply_binary(op, f, a, b, y) || x.flags != y.flags;
          }
        CHECK(bad == 0);
      }
  }
  CHECK(formats == 51);  // 24 floats (12 + 12 P3109), 7 integers, 17 codebooks + HiFloat8, 2 posits
  Env sr;
  sr.mode = RoundingMode::SR;
  CHECK_THROWS_AS(BinaryOpTable(BinaryOp::Add, Catalog::builtin().find("e4m3")->format, sr), std::invalid_argument);
  CHECK_THROWS_AS(BinaryOpTable(BinaryOp::Add, Catalog::builtin().find("fp16")->format, Env{}),
                  std::invalid_argument);
}
