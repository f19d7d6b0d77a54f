#include <doctest/doctest.h>

#include "formats/catalog.hpp"
#include "formats/error.hpp"

using namespace bitexact;

TEST_CASE("the embedded catalogue lists the formats in file order, each with a source") {
  const auto& e = Catalog::builtin().entries();
  REQUIRE(e.size() == 59);  // 29 floats (17 + 12 P3109), 7 integers, 17 codebooks + HiFloat8, 5 posits
  CHECK(e.front().format.name == "float64");
  CHECK(e[16].format.name == "ue4m3");
  CHECK(e.back().format.name == "binary8p7sf");
  for (const auto& x : e) {
    CAPTURE(x.format.name);
    CHECK_FALSE(x.source.empty());
  }
}

TEST_CASE("a user catalogue parses, and its errors name file and line") {
  const Catalog c = Catalog::parse(R"(
[my_e3m3]
exp_bits = 3
man_bits = 3
bias = 2
inf = "none"
nan = "none"
aliases = ["mine"]
source = "test"
)", "user.toml");
  REQUIRE(c.find("MINE") != nullptr);
  CHECK(c.find("mine")->format.fp.bias == 2);

  CHECK_THROWS_WITH_AS(Catalog::parse("[x]\nexp_bits = 3\n", "bad.toml"),
                       "bad.toml:1: format 'x': missing or mistyped key 'man_bits'", FormatError);
  CHECK_THROWS_WITH_AS(Catalog::parse("[x\n", "broken.toml"), doctest::Contains("broken.toml:1:"), FormatError);
  CHECK_THROWS_WITH_AS(Catalog::parse(R"([a]
exp_bits = 3
man_bits = 3
bias = 2
inf = "sometimes"
nan = "none"
source = "t"
)", "p.toml"), doctest::Contains("inf must be"), FormatError);
}

TEST_CASE("duplicate names or aliases are rejected") {
  const char* text = R"([a]
exp_bits = 3
man_bits = 3
bias = 2
inf = "none"
nan = "none"
source = "t"
aliases = ["b"]
[b]
exp_bits = 3
man_bits = 3
bias = 2
inf = "none"
nan = "none"
source = "t"
)";
  CHECK_THROWS_WITH_AS(Catalog::parse(text, "d.toml"), doctest::Contains("already used by 'a'"), FormatError);
}

TEST_CASE("catalogue values are checked, not truncated or defaulted") {
  const std::string head = "[f]\nexp_bits = 4\nman_bits = 3\ninf = \"none\"\nnan = \"allones\"\nsource = \"t\"\n";
  CHECK(Catalog::parse(head + "bias = 7\n", "ok.toml").find("f") != nullptr);
  CHECK_THROWS_WITH_AS(Catalog::parse(head + "bias = 4294967303\n", "big.toml"),
                       doctest::Contains("bias = 4294967303 is out of range"), FormatError);
  CHECK_THROWS_WITH_AS(Catalog::parse(head + "bias = 7\nsigned = \"yes\"\n", "b.toml"),
                       doctest::Contains("signed must be true or false"), FormatError);
  CHECK_THROWS_WITH_AS(Catalog::parse(head + "bias = 7\nsubnormal = false\n", "k.toml"),
                       doctest::Contains("unknown key 'subnormal'"), FormatError);
  CHECK_THROWS_WITH_AS(Catalog::parse("[\"float<e=4>\"]\nexp_bits = 4\n", "n.toml"),
                       doctest::Contains("letters, digits and '_'"), FormatError);
  CHECK_THROWS_WITH_AS(Catalog::load_file("/"), doctest::Contains("not a readable regular file"), FormatError);
  CHECK_THROWS_WITH_AS(Catalog::load_file("/nonexistent/catalog.toml"), doctest::Contains("cannot read"),
                       FormatError);
}

TEST_CASE("integer keys of a user catalogue must be TOML integers (bias = 1e27 was cast to int64: fuzz_catalog)") {
  for (const char* bias : {"1e27", "7.0", "\"7\""}) {
    CAPTURE(bias);
    const std::string text = std::string("[x]\nexp_bits = 4\nman_bits = 3\nbias = ") + bias +
                             "\ninf = \"none\"\nnan = \"allones\"\nsource = \"t\"\n";
    CHECK_THROWS_WITH_AS(Catalog::parse(text, "u.toml"), "u.toml:1: format 'x': missing or mistyped key 'bias'", FormatError);
  }
}
