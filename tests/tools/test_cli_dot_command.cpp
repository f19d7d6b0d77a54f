// bitexact dot, run as a subprocess: exact output for hand-worked dot products under the presets,
// JSON, --list-models, and one-line errors with exit codes 2 (usage) and 3 (input).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/tools/cli_run.hpp"

namespace {

using namespace cli_test;

size_t line_count(const std::string& s) { return size_t(std::count(s.begin(), s.end(), '\n')); }

void check_one_error_line(const Run& r) {
  CHECK(line_count(r.err) == 1);
  CHECK(r.err.rfind("bitexact: ", 0) == 0);
}

}  // namespace

TEST_CASE("dot: the README example (h100-fp8, E4M3) as a table and as CSV") {
  const Run r = bitexact({"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--accum", "h100-fp8", "--a", "1,2,3",
                          "--b", "0.5,0.25,1", "--c", "0.25"});
  CHECK(r.rc == 0);
  CHECK(r.err == "");
  CHECK(r.out ==
        "accum     n  result      value  flags  vioux\n"
        "h100-fp8  3  0x40880000  4.25   00     .....\n");
}

TEST_CASE("dot: Fasi et al.'s V100 truncation and the k of each preset, against exact") {
  // fp16 0x0c00 = 2^-12: four products 2^-24, then 1*1. v100 (k=4) sums the four exactly before
  // the 1 arrives: 1 + 2^-22; a100 (k=8) aligns all five to 1 and drops them: 1.
  const std::string t = "0x0c00,0x0c00,0x0c00,0x0c00,1";
  auto run = [&](const char* model) {
    return bitexact({"dot", "--a-format", "float16", "--b-format", "float16", "--accum", model, "--a", t, "--b", t, "-o",
                     "csv"});
  };
  CHECK(run("v100-fp16").out == "accum,n,result,value,flags\nv100-fp16,5,0x3f800002,1.0000002,00\n");
  CHECK(run("a100-fp16").out == "accum,n,result,value,flags\na100-fp16,5,0x3f800000,1,00\n");
  CHECK(run("exact").out == "accum,n,result,value,flags\nexact,5,0x3f800002,1.0000002,00\n");
  // With c = 1 the V100 register is aligned to 1 from the first step: 1.
  const Run c = bitexact({"dot", "--a-format", "float16", "--b-format", "float16", "--accum", "v100-fp16", "--a",
                          "0x0c00,0x0c00,0x0c00,0x0c00", "--b", "0x0c00,0x0c00,0x0c00,0x0c00", "--c", "1", "-o", "csv"});
  CHECK(c.out == "accum,n,result,value,flags\nv100-fp16,4,0x3f800000,1,00\n");
}

TEST_CASE("dot: sequential fp16 chain, L-Mul products, custom specs, JSON") {
  const Run s = bitexact({"dot", "--a-format", "float16", "--b-format", "float16", "--accum", "fp16-fma", "--a",
                          "2048,1,1", "--b", "1,1,1", "-o", "csv"});
  CHECK(s.out == "accum,n,result,value,flags\nfp16-fma,3,0x6800,2048,01\n");
  const Run l = bitexact({"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--accum", "exact<product=lmul>", "--a",
                          "1.5", "--b", "1.5", "-o", "csv"});
  CHECK(l.out == "accum,n,result,value,flags\nexact<product=lmul>,1,0x40080000,2.125,00\n");
  const Run j = bitexact({"dot", "--a-format", "e5m2", "--b-format", "e5m2", "--accum",
                          "fused<k=4,acc=24,round=rne,out=float16>", "--a", "3,5", "--b", "7,10", "-o", "json"});
  REQUIRE(j.rc == 0);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["schema_version"] == 1);
  CHECK(doc["context"]["accum"] == "fused<k=4,acc=24,carry=2,align=rz,round=rne,out=float16>");
  CHECK(doc["context"]["out_format"]["name"] == "float16");
  CHECK(doc["results"][0]["value"] == "71");  // 3*7 + 5*10
  CHECK(doc["results"][0]["result"] == "0x5470");
  CHECK(doc["results"][0]["flags"] == 0);
}

TEST_CASE("dot --list-models: every preset with its source") {
  const Run r = bitexact({"dot", "--list-models", "-o", "json"});
  REQUIRE(r.rc == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["models"].size() == 10);
  bool seen = false;
  for (const auto& m : doc["models"]) {
    CHECK(!m["source"].get<std::string>().empty());
    CHECK(!m["established"].get<std::string>().empty());
    if (m["name"] == "deepseek-v3") {
      seen = true;
      CHECK(m["spec"] == "fused<k=32,acc=13,carry=2,align=rz,round=rz,promote=128,wide=float32>");
    }
  }
  CHECK(seen);
}

TEST_CASE("dot: errors are one line, usage errors exit 2, bad values exit 3") {
  const Run m = bitexact({"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--accum", "fused<k=0>", "--a", "1", "--b", "1"});
  CHECK(m.rc == 2);
  check_one_error_line(m);
  CHECK(m.err.find("'k' = 0 is out of range") != std::string::npos);
  const Run v = bitexact({"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--a", "1,zz", "--b", "1,2"});
  CHECK(v.rc == 3);
  check_one_error_line(v);
  CHECK(v.err.find("--a item 2") != std::string::npos);
  const Run n = bitexact({"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--a", "1,2", "--b", "1"});
  CHECK(n.rc == 2);
  check_one_error_line(n);
  const Run f = bitexact({"dot", "--a-format", "nosuchformat", "--b-format", "e4m3", "--a", "1", "--b", "1"});
  CHECK(f.rc == 2);
  check_one_error_line(f);
  const Run q = bitexact({"dot", "--a", "1", "--b", "1"});
  CHECK(q.rc == 2);
  check_one_error_line(q);
  // --random-bits where nothing rounds stochastically is a mistake, not ignored ...
  const Run unused = bitexact({"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--a", "1", "--b", "1", "--random-bits", "0"});
  CHECK(unused.rc == 2);
  CHECK(unused.out.empty());
  CHECK(unused.err ==
        "bitexact: --random-bits: nothing is rounded stochastically (give --rounding sr or sr:R, or a model with a "
        "_round=sr key)\n");
  // ... but feeds a model's own stochastic rounding: 1 + 2^-12 into a float16 register (a quarter of its
  // ulp at 1) rounds up under the word 0 and down under the largest word.
  for (const auto& [word, result] : {std::pair{"0", "0x3f802000"}, std::pair{"ffffffffffffffff", "0x3f800000"}}) {
    const Run sr = bitexact({"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--accum", "seq<acc=float16,acc_round=sr>",
                             "--a", "1,0x01", "--b", "1,0x20", "--random-bits", word, "-o", "csv"});
    CHECK(sr.rc == 0);
    CHECK(sr.out.find(std::string(",") + result + ",") != std::string::npos);
  }
}
