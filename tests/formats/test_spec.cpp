#include <doctest/doctest.h>

#include "formats/error.hpp"
#include "formats/spec.hpp"

using namespace bitexact;

TEST_CASE("catalogue names and aliases print their canonical name") {
  CHECK(parse_format("float8_e4m3fn").name == "float8_e4m3fn");
  CHECK(parse_format("E4M3").name == "float8_e4m3fn");
  CHECK(parse_format("ocp_e4m3").name == "float8_e4m3fn");
  CHECK(parse_format("fp16").name == "float16");
  CHECK(parse_format("bf16").name == "bfloat16");
  CHECK(parse_format("e8m0").name == "float8_e8m0fnu");
  CHECK(parse_format("e2m1").name == "float4_e2m1fn");
  CHECK(parse_format("  tf32 ").name == "tfloat32");
}

TEST_CASE("ExMy shapes outside the catalogue are IEEE-like") {
  const Format f = parse_format("e3m3");
  CHECK(f.fp.exp_bits == 3);
  CHECK(f.fp.man_bits == 3);
  CHECK(f.fp.bias == 3);
  CHECK(f.has_inf());
  CHECK(f.fp.nan == NanPolicy::Ieee);
  CHECK(f.name == "float<e=3,m=3,bias=3,inf=ieee,nan=ieee>");
}

TEST_CASE("float<...> with keys, and a generic spec equal to a catalogue entry gets its name") {
  CHECK(parse_format("float<e=5,m=2,bias=15>").name == "float8_e5m2");
  CHECK(parse_format("float<e=4, m=3, inf=none, nan=allones>").name == "float8_e4m3fn");
  CHECK(parse_format("float<e=4,m=3,bias=8,inf=none,nan=fnuz>").name == "float8_e4m3fnuz");
  const Format f = parse_format("float<e=6,m=9,bias=20,subnormals=false>");
  CHECK(f.fp.bias == 20);
  CHECK_FALSE(f.fp.subnormals);
  CHECK(f.width() == 16);
}

TEST_CASE("NAME<...> overrides keys of a named format") {
  const Format f = parse_format("float8_e4m3fn<subnormals=false>");
  CHECK_FALSE(f.fp.subnormals);
  CHECK(f.fp.nan == NanPolicy::AllOnes);
  CHECK(f.name == "float<e=4,m=3,bias=7,subnormals=false,inf=none,nan=allones>");
}

namespace {
size_t error_position(const char* spec) {
  try {
    parse_format(spec);
  } catch (const FormatError& e) {
    return e.position();
  }
  FAIL("no error for ", spec);
  return 0;
}
}  // namespace

TEST_CASE("malformed specs point at the offending character") {
  CHECK(error_position("float<e=4,m=x>") == 12);
  CHECK(error_position("float<e=4,m=3") == 13);
  CHECK(error_position("float<e=4;m=3>") == 9);
  CHECK(error_position("float<e=4,q=3>") == 10);
  CHECK(error_position("float<e=4,m=3,nan=maybe>") == 18);
  CHECK(error_position("float8_e4m3fx") == 0);
  CHECK(error_position("e4m3 junk") == 5);
  CHECK(error_position("float<e=99,m=3>") == 8);
  CHECK(error_position("") == 0);
  CHECK(error_position("float<e=4,m=3,e=5>") == 14);
  CHECK_THROWS_WITH_AS(parse_format("float<e=4,m=x>"),
                       "bad format spec: 'x' is not an integer (at character 13 of 'float<e=4,m=x>')", FormatError);
}

TEST_CASE("semantically invalid specs are rejected with a reason") {
  CHECK_THROWS_WITH_AS(parse_format("float<e=4,m=3,inf=ieee,nan=allones>"),
                       "invalid float format 'float<e=4,m=3,bias=7,inf=ieee,nan=allones>': inf=ieee requires nan=ieee",
                       FormatError);
  CHECK_THROWS_AS(parse_format("float<e=1,m=0,inf=ieee,nan=ieee>"), FormatError);
  CHECK_THROWS_AS(parse_format("float<e=4,m=53>"), FormatError);
}

TEST_CASE("formats without parameters refuse arguments, pointing at the first one") {
  CHECK_THROWS_WITH_AS(parse_format("nf4<a>"), "bad format spec: 'nf4' takes no arguments (at character 5 of 'nf4<a>')",
                       FormatError);
  CHECK_THROWS_WITH_AS(parse_format("hifloat8<x=1>"),
                       "bad format spec: 'hifloat8' takes no arguments (at character 10 of 'hifloat8<x=1>')", FormatError);
}

TEST_CASE("every table-family spec prints as a spec that parses back to the same format") {
  // bitmod<bits=4> printed as bitmod_fp4, which did not parse until the catalogue listed it (fuzz_spec).
  for (const char* s : {"bitmod<bits=4>", "bitmod<bits=3>", "bitmod<bits=4,variant=er_pos>", "bitmod<bits=3,variant=ea_neg>",
                        "pow2<bits=3,emax=0,zero=true>", "pow2<bits=5,emax=2>", "nf4", "ternary", "binary", "hifloat8"}) {
    CAPTURE(s);
    const Format f = parse_format(s);
    const std::string printed = spec_string(f);
    Format g;
    REQUIRE_NOTHROW(g = parse_format(printed));
    CHECK(spec_string(g) == printed);
    CHECK(g.name == f.name);
    CHECK(g.width() == f.width());
  }
  CHECK(parse_format("bitmod<bits=4>").name == "bitmod_fp4");
  CHECK(spec_string(parse_format("bitmod_fp4")) == spec_string(parse_format("bitmod<bits=4>")));
  CHECK(parse_format("bitmod_fp4").width() == 4);
}

TEST_CASE("a format given as another spec's key value: the outer spec's name, the key, the position inside the outer spec") {
  const std::string outer = "acc<out=float<e=4,m=x>>";
  SpecArg arg{"out", "float<e=4,m=x>", 4, 8};
  CHECK(parse_format_arg(outer, SpecArg{"out", "e4m3", 4, 8}, "bad thing").name == "float8_e4m3fn");
  try {
    parse_format_arg(outer, arg, "bad thing");
    FAIL("no error");
  } catch (const FormatError& e) {
    CHECK(e.position() == 8 + 12);  // the x, counted in the outer spec
    CHECK(std::string(e.what()) ==
          "bad thing: 'out': bad format spec: 'x' is not an integer (at character 13 of 'float<e=4,m=x>') "
          "(at character 21 of 'acc<out=float<e=4,m=x>>')");
  }
  // An unreadable codebook file stays a file error (the CLI's exit 3, not 2).
  const std::string file_outer = "acc<out=codebook<file=/nonexistent/cb.toml>>";
  CHECK_THROWS_AS(parse_format_arg(file_outer, SpecArg{"out", "codebook<file=/nonexistent/cb.toml>", 4, 8}, "bad thing"),
                  FormatFileError);
}
