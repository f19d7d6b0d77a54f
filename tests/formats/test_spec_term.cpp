// The splitters of formats/spec_term.hpp that the scheme, accumulation-model and unit-config
// parsers and the CLI's comma lists share: item ends outside nested <...>, keyed argument lists
// with the position of every fault.
#include <doctest/doctest.h>

#include <string>

#include "formats/error.hpp"
#include "formats/spec_term.hpp"

using namespace bitexact;

TEST_CASE("nested_item_end: the first stop character outside <...>") {
  const std::string list = "a=1,b=f<x,y>,c";  // the comma inside f<x,y> belongs to b's value
  CHECK(nested_item_end(list, 0) == 3);
  CHECK(nested_item_end(list, 4) == 12);
  CHECK(nested_item_end(list, 13) == list.size());
  CHECK(nested_item_end("", 0) == 0);
  const std::string spec = "fused<k=4,out=float<e=5,m=2>>";
  CHECK(nested_item_end(spec, 8, ",>") == 9);    // k's value ends at the comma
  CHECK(nested_item_end(spec, 14, ",>") == 28);  // out's value ends at the list's own '>'
  CHECK(nested_item_end(spec, 0) == spec.size());
}

TEST_CASE("split_nested_args: keys, trimmed values with nested lists, positions") {
  const std::string s = "fused<k=4, out = float<e=5,m=2> >";
  const std::vector<SpecArg> a = split_nested_args(s, 5, "bad accumulation model");
  REQUIRE(a.size() == 2);
  CHECK(a[0].key == "k");
  CHECK(a[0].value == "4");
  CHECK(a[0].key_pos == 6);
  CHECK(a[0].value_pos == 8);
  CHECK(a[1].key == "out");
  CHECK(a[1].value == "float<e=5,m=2>");
  CHECK(a[1].key_pos == 11);
  CHECK(a[1].value_pos == 17);
  CHECK(split_nested_args("exact< > ", 5, "x", true).empty());
}

TEST_CASE("split_nested_args: every fault named at its position") {
  auto fault = [](const std::string& s, bool allow_empty = false) -> std::string {
    try {
      split_nested_args(s, s.find('<'), "bad scheme spec", allow_empty);
    } catch (const FormatError& e) {
      CHECK(e.input() == s);
      return e.what();
    }
    return "no error";
  };
  CHECK(fault("nvfp4<>") == "bad scheme spec: expected a key (at character 7 of 'nvfp4<>')");
  CHECK(fault("exact<>", true) == "no error");
  CHECK(fault("fused<k 4>") == "bad scheme spec: expected '=' after 'k' (at character 9 of 'fused<k 4>')");
  CHECK(fault("fused<k=>") == "bad scheme spec: expected a value for 'k' (at character 9 of 'fused<k=>')");
  CHECK(fault("mx<block=2,block=3>") == "bad scheme spec: 'block' given twice (at character 12 of 'mx<block=2,block=3>')");
  CHECK(fault("fused<k=4") == "bad scheme spec: missing '>' (at character 10 of 'fused<k=4')");
  CHECK(fault("mx<elem=float<e=3,m=2>") ==
        "bad scheme spec: missing '>' (at character 23 of 'mx<elem=float<e=3,m=2>')");
  CHECK(fault("exact<k=4> x") == "bad scheme spec: unexpected trailing characters (at character 12 of 'exact<k=4> x')");
  CHECK(fault("exact<> x", true) == "bad scheme spec: unexpected trailing characters (at character 9 of 'exact<> x')");
}
