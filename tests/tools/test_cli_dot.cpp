// Dot products in `gen` / `verify` / `merge`: K-term lines under an accumulation model, checked
// against an independent exact sum, round trips, shards, and a caught wrong line.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "tests/tools/vectors_test_util.hpp"

namespace {

using namespace vec_test;
using cli_test::bitexact;
using cli_test::slurp;

// Every FP4 E2M1 value, by code (OCP MX v1.0: 0, 0.5, 1, 1.5, 2, 3, 4, 6 and their negatives).
double e2m1(uint64_t c) {
  static const double v[8] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  return (c & 8 ? -1 : 1) * v[c & 7];
}

uint32_t f32_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

}  // namespace

TEST_CASE("dot: exhaustive FP4 2-term dot products equal the exact sum (exact model, float32 out)") {
  const GenRun g = gen({"--format", "e2m1", "--op", "dot", "--k", "2", "--accum", "exact", "--level", "exhaustive",
                        "--encoding", "testfloat"});
  REQUIRE(g.run.rc == 0);
  CHECK(g.manifest["operation"] == "dot");
  CHECK(g.manifest["k"] == 2);
  CHECK(g.manifest["accum"] == "exact");
  CHECK(g.manifest["to"]["name"] == "float32");
  const auto l = split_lines(g.file("float4_e2m1fn_dot2_exact_rne.txt"));
  REQUIRE(l.size() == 65536);
  for (uint64_t i = 0; i < 65536; ++i) {
    const uint64_t a0 = i >> 12, a1 = (i >> 8) & 15, b0 = (i >> 4) & 15, b1 = i & 15;
    const double sum = e2m1(a0) * e2m1(b0) + e2m1(a1) * e2m1(b1);  // exact in double and in float32
    uint32_t want = f32_bits(float(sum));
    // -0: exact accumulation gives -0 only when every product is -0 (IEEE sum-of-zeros rule), else +0.
    if (sum == 0) want = (std::signbit(e2m1(a0) * e2m1(b0)) && std::signbit(e2m1(a1) * e2m1(b1))) ? 0x80000000u : 0u;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%llX %llX %llX %llX %08X 00", (unsigned long long)a0, (unsigned long long)a1,
                  (unsigned long long)b0, (unsigned long long)b1, want);
    if (l[i] != buf) {
      CAPTURE(i);
      CHECK(l[i] == buf);
      break;
    }
  }
}

TEST_CASE("dot: hand-worked lines, gen -> verify, a caught mismatch, shards") {
  const GenRun s = gen({"--format", "e4m3", "--op", "dot", "--k", "4", "--accum", "fp32-fma", "--level", "sanity",
                        "--encoding", "testfloat,jsonl"});
  REQUIRE(s.run.rc == 0);
  const std::string txt = s.file("float8_e4m3fn_dot4_fp32-fma_rne.txt");
  CHECK(txt.rfind("00 38 38 38 38 38 38 38 40400000 00\n", 0) == 0);  // 0*1 + 1*1 + 1*1 + 1*1 = 3
  CHECK(txt.find("38 38 38 38 38 38 38 38 40800000 00\n") != std::string::npos);  // 4
  CHECK(txt.find("38 38 38 38 B8 38 38 38 41000000 00\n") == std::string::npos);  // b0 = -1 gives 2, not 8
  CHECK(txt.find("38 38 38 38 B8 38 38 38 40000000 00\n") != std::string::npos);
  CHECK(lines(txt) == 13 * 8 + 13);  // one-hot over 8 operands of 13 sanity codes, then all at the i-th code
  CHECK(s.file("float8_e4m3fn_dot4_fp32-fma_rne.jsonl").find(R"("a0":"0x00","a1":"0x38")") != std::string::npos);

  const GenRun g = gen({"--format", "e4m3", "--format-b", "e5m2", "--op", "dot", "--k", "4", "--accum", "h100-fp8",
                        "--addend", "--rounding", "rne,rtz", "--count", "2000"});
  REQUIRE(g.run.rc == 0);
  CHECK(g.manifest["format_b"]["name"] == "float8_e5m2");
  CHECK(g.manifest["addend"] == true);
  CHECK(g.manifest["arity"] == 9);
  const Run v = bitexact({"verify", "--manifest", (g.dir / "manifest.json").string()});
  CHECK(v.rc == 0);
  CHECK(v.out.find("total: 12000 passed, 0 failed") != std::string::npos);
  // A wrong result bit in line 7 of the TestFloat text.
  auto l = split_lines(g.file("float8_e4m3fn_x_float8_e5m2_dot4c_h100-fp8_rne.txt"));
  std::string& line = l[6];
  const size_t pos = line.size() - 4;  // the last digit of the result (then " FF")
  line[pos] = line[pos] == '0' ? '1' : '0';
  std::string dut;
  for (const auto& x : l) dut += x + "\n";
  {
    std::ofstream f(g.dir / "dut_float8_e4m3fn_x_float8_e5m2_dot4c_h100-fp8_rne.txt");
    f << dut;
  }
  const Run bad = bitexact({"verify", "--manifest", (g.dir / "manifest.json").string(),
                            (g.dir / "dut_float8_e4m3fn_x_float8_e5m2_dot4c_h100-fp8_rne.txt").string()});
  CHECK(bad.rc == 1);
  CHECK(bad.out.find("dut_float8_e4m3fn_x_float8_e5m2_dot4c_h100-fp8_rne.txt:7: dot a0=") != std::string::npos);
  CHECK(bad.out.find(": 1999 passed, 1 failed") != std::string::npos);

  // Shards merge into the unsharded bytes.
  const fs::path root = cli_test::scratch_dir();
  const std::vector<std::string> args{"--format", "e4m3", "--op", "dot", "--k", "8", "--accum", "fused<k=4,acc=13>",
                                      "--count", "1000"};
  auto with = [&](std::vector<std::string> extra) {
    auto a = args;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  const GenRun one = gen(args, root / "one");
  REQUIRE(one.run.rc == 0);
  REQUIRE(gen(with({"--shard", "1/2"}), root / "s1").run.rc == 0);
  REQUIRE(gen(with({"--shard", "2/2"}), root / "s2").run.rc == 0);
  const Run m = bitexact({"merge", (root / "s2").string(), (root / "s1").string(), "--out-dir", (root / "m").string()});
  REQUIRE(m.rc == 0);
  CHECK(slurp(root / "m" / "manifest.json") == one.file("manifest.json"));
  for (const auto& f : one.manifest["files"]) CHECK(slurp(root / "m" / f["name"].get<std::string>()) == one.file(f["name"]));
}
