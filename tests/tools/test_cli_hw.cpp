// `bitexact hw`, run as a subprocess: the unit table against the cost model's calibrated anchors,
// JSON structure with the component breakdown, GEMM cycles against the closed form worked by hand,
// layer presets, the HTML page, the Accelergy export, and every bad input's one line and exit code.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/tools/cli_run.hpp"

namespace {

using cli_test::Run;
using cli_test::scratch_dir;
using cli_test::slurp;
namespace fs = std::filesystem;

Run hw(std::vector<std::string> args) {
  args.insert(args.begin(), "hw");
  return cli_test::bitexact(args);
}

void check_error(const Run& r, int rc, const std::string& line) {
  CHECK(r.rc == rc);
  CHECK(r.out == "");
  CHECK(r.err == line + "\n");
}

nlohmann::json json_of(const Run& r) {
  REQUIRE(r.rc == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_SUITE("tools_cli_hw") {

TEST_CASE("hw: the default table has one row per format pair") {
  const Run r = hw({});
  CHECK(r.rc == 0);
  CHECK(r.err == "");
  CHECK(r.out.find("unit  act            weight         macs_per_cycle  area_um2  synth_um2  synth_ratio  pj_per_mac") == 0);
  CHECK(r.out.find("mac   int8           int8                        4     770.1") != std::string::npos);
  CHECK(r.out.find("float8_e4m3fn") != std::string::npos);
  CHECK(r.out.find("float16") != std::string::npos);
}

TEST_CASE("hw: JSON reproduces the calibrated anchors and carries the breakdown") {
  // The LUT Tensor Core tile W2 A8 (INT8 table, INT32 accumulators) is calibrated on 11,991 um2 and
  // 16.22 mW at 28 nm, 1 GHz; 256 MAC/cycle = 0.512 TOPS.
  const nlohmann::json j = json_of(hw({"--unit", "lut", "--formats", "int8:int2", "-f", "json"}));
  CHECK(j["schema_version"] == 1);
  CHECK(j["context"]["node_nm"] == 28.0);
  CHECK(j["context"]["clock_hz"] == 1e9);
  const auto& u = j["units"][0];
  CHECK(u["unit"] == "lut");
  CHECK(u["macs_per_cycle"] == 256.0);
  CHECK(u["area_um2"].get<double>() == doctest::Approx(11991.29).epsilon(1e-3));
  CHECK(u["mw"].get<double>() == doctest::Approx(16.22).epsilon(1e-3));
  CHECK(u["tops"].get<double>() == doctest::Approx(0.512));
  CHECK(u["band_pct"] == 25.0);
  double area = 0;
  for (const auto& c : u["components"]) area += c["area_um2"].get<double>();
  CHECK(area == doctest::Approx(u["area_um2"].get<double>()));
  // The BitMoD FP16 FMA (DP1, fp16-fma) is the FP family's anchor: 1968.7 um2, 0.77 pJ.
  const nlohmann::json f = json_of(hw({"--formats", "fp16:fp16", "--lanes", "1", "--accum", "fp16-fma", "-f", "json"}));
  CHECK(f["units"][0]["area_um2"].get<double>() == doctest::Approx(1968.7).epsilon(2e-3));
  CHECK(f["units"][0]["pj_per_mac"].get<double>() == doctest::Approx(0.77).epsilon(2e-3));
}

TEST_CASE("hw: bitserial cycles per weight come from the PE model") {
  // hwmodel/bitserial: FP4 as 2 terms, FP6 E2M3 as up to 4 terms, UINT4 as 3 Booth digits, INT8 as 4.
  const nlohmann::json j = json_of(hw({"--unit", "bitserial", "--formats", "fp16:e2m1,fp16:float6_e2m3fn,int8:uint4,fp16:int8", "-f", "json"}));
  CHECK(j["units"][0]["macs_per_cycle"] == 2.0);
  CHECK(j["units"][1]["macs_per_cycle"] == 1.0);
  CHECK(j["units"][2]["macs_per_cycle"].get<double>() == doctest::Approx(4.0 / 3));
  CHECK(j["units"][3]["macs_per_cycle"] == 1.0);
  // 1 bit per cycle (bit planes): INT8 takes 8 cycles.
  const nlohmann::json b = json_of(hw({"--unit", "bitserial", "--formats", "int8:int8", "--bits-per-cycle", "1", "-f", "json"}));
  CHECK(b["units"][0]["macs_per_cycle"] == 0.5);
}

TEST_CASE("hw: node, clock and flow change what they should") {
  const auto at = [](std::vector<std::string> extra) {
    std::vector<std::string> a{"--formats", "e4m3:e4m3", "-f", "json"};
    a.insert(a.end(), extra.begin(), extra.end());
    return json_of(hw(a))["units"][0];
  };
  const auto base = at({}), n45 = at({"--node", "45"}), fast = at({"--clock", "2GHz"}), flow = at({"--flow", "luttc28"});
  CHECK(base["area_um2"].get<double>() == doctest::Approx(n45["area_um2"].get<double>() * 0.377));
  CHECK(fast["tops"].get<double>() == doctest::Approx(2 * base["tops"].get<double>()));
  CHECK(fast["pj_per_mac"] == base["pj_per_mac"]);
  CHECK(flow["area_um2"].get<double>() < base["area_um2"].get<double>());
  CHECK(at({"--clock", "500 MHz"})["tops"].get<double>() == doctest::Approx(0.004));
}

TEST_CASE("hw: GEMM cycles follow the closed form, layer presets run every projection") {
  // DP4 units in a 2x3 array: TM = 2, TN = 3, K/4 ops per tile. M=5, N=7, K=10: tiles 3 x 3,
  // 3 ops each -> 27 ops; cycles = 26 + latency 2 + skew of the last tile ((1-1) + (1-1)) = 28.
  const nlohmann::json j = json_of(hw({"--formats", "int8:int8", "--shape", "5x7x10", "--array", "2x3", "-f", "json"}));
  const auto& r = j["rows"][0];
  CHECK(r["cycles"] == 28);
  CHECK(r["util"].get<double>() == doctest::Approx(350.0 / (28 * 24)));
  // Traffic (hwmodel/gemm_runner.hpp): SRAM A 3 x 5 x 10 + B 3 x 7 x 10 bytes + C 35 x 4 bytes = 500
  // bytes in 64-bit accesses of a 256 KB buffer (Horowitz 32 KB 20 pJ -> 1 MB 100 pJ, log-log: 52.5 pJ
  // at 45 nm, x 0.513 to 28 nm); DRAM 50 + 70 + 140 bytes at 30 pJ/bit.
  const double e256k = std::exp2(std::log2(20.0) + 3 * (std::log2(100.0) - std::log2(20.0)) / 5) * 0.513;
  CHECK(r["sram_uj"].get<double>() == doctest::Approx(500 * 8 / 64.0 * e256k * 1e-6));
  CHECK(r["dram_uj"].get<double>() == doctest::Approx(260 * 8 * 30 * 1e-6));
  // A LUT tile (2x64x4, W2): one op = 2 cycles; 4096^3 on 1x1: 2048 x 64 x 1024 ops.
  const nlohmann::json l =
      json_of(hw({"--unit", "lut", "--formats", "int8:int2", "--shape", "4096x4096x4096", "--array", "1x1", "-f", "json"}));
  CHECK(l["rows"][0]["cycles"] == uint64_t(2048) * 64 * 1024 * 2 - 2 + 3);
  const nlohmann::json p = json_of(hw({"--formats", "int8:int2", "--layers", "llama2-7b", "--tokens", "16", "-f", "json"}));
  REQUIRE(p["rows"].size() == 8);  // 7 projections + total
  CHECK(p["rows"][4]["layer"] == "gate_proj");
  CHECK(p["rows"][4]["n"] == 11008);
  CHECK(p["rows"][4]["runs"] == 32.0);
  CHECK(p["rows"][7]["layer"] == "total");
  CHECK(p["rows"][7]["m"].is_null());
  CHECK(p["rows"][7]["runs"] == 1.0);
}

TEST_CASE("hw: --breakdown lists components, csv is RFC 4180") {
  const Run r = hw({"--unit", "lut", "--formats", "int8:int2", "--breakdown", "-f", "csv"});
  CHECK(r.rc == 0);
  CHECK(r.out.find("unit,act,weight,component,primitive,count,area_um2,energy_pj_per_cycle,in_unit\n") == 0);
  CHECK(r.out.find("lut,int8,int2,table read muxes,\"mux(8,8)\",128,") != std::string::npos);
  CHECK(r.out.find("precompute (vector unit, outside the tile)") != std::string::npos);
}

TEST_CASE("hw: --html writes a self-contained page, --accelergy writes ERT.yaml and ART.yaml") {
  const fs::path d = scratch_dir();
  const Run r = hw({"--unit", "mac,lut", "--formats", "int8:int2,fp16:int2", "--shape", "64x64x64", "--html",
                    (d / "hw.html").string(), "--accelergy", (d / "acc").string()});
  CHECK(r.rc == 0);
  const std::string html = slurp(d / "hw.html");
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("Area per MAC/cycle") != std::string::npos);
  CHECK(html.find("Cost breakdown by component") != std::string::npos);
  CHECK(html.find("Area from synthesis") != std::string::npos);
  CHECK(html.find("int_mul_8x8") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  const std::string ert = slurp(d / "acc" / "ERT.yaml"), art = slurp(d / "acc" / "ART.yaml");
  CHECK(ert.find("ERT:\n  version: 0.3\n  tables:\n  - name: bitexact.mac_int8_x_int2\n") != std::string::npos);
  CHECK(ert.find("- name: mac_random") != std::string::npos);
  CHECK(art.find("ART:\n  version: 0.3\n") != std::string::npos);
  CHECK(art.find("- name: bitexact.lut_int8_x_int2\n    area: 1199") != std::string::npos);
  fs::remove_all(d);
}

TEST_CASE("hw: the area from synthesis sits beside the analytic one, --synth lists every configuration") {
  // At 45 nm the measured area is the stored GE x 0.798 um2 unscaled, a primitive's analytic area the
  // Horowitz constant (int_mul(8x8): 4.4 um2/bit2 x 64 = 281.6 um2).
  const auto s = json_of(hw({"--synth", "--node", "45", "-f", "json"}));
  CHECK(s["context"]["yosys"].get<std::string>().rfind("Yosys 0.23", 0) == 0);
  CHECK(s["context"]["nand2_um2"] == 0.798);
  bool seen_mul = false, seen_unit = false;
  for (const auto& r : s["synth"]) {
    INFO(r["name"].get<std::string>());
    CHECK(r["synth_um2"].get<double>() == doctest::Approx(r["ge"].get<double>() * 0.798));
    CHECK(r["ratio"].get<double>() ==
          doctest::Approx(r["synth_um2"].get<double>() / r["analytic_um2"].get<double>()));
    if (r["name"] == "int_mul_8x8") {
      seen_mul = true;
      CHECK(r["compared"] == "int_mul(8x8)");
      CHECK(r["analytic_um2"].get<double>() == doctest::Approx(281.6));
    }
    if (r["kind"] == "unit") seen_unit = true;
  }
  CHECK(seen_mul);
  CHECK(seen_unit);
  // The unit table: the INT8 and E4M3 DP4s have synthesized configurations, E5M2 none (null; "-" in
  // tables).
  const auto u = json_of(hw({"--formats", "int8:int8,e5m2:e5m2", "-f", "json"}));
  const auto& i8 = u["units"][0];
  REQUIRE(i8["synth_um2"].is_number());
  CHECK(i8["synth_ratio"].get<double>() ==
        doctest::Approx(i8["synth_um2"].get<double>() / i8["area_um2"].get<double>()));
  CHECK(u["units"][1]["synth_um2"].is_null());
  CHECK(u["units"][1]["synth_ratio"].is_null());
  // Another lane count is another configuration: no measured figure.
  CHECK(json_of(hw({"--formats", "int8:int8", "--lanes", "8", "-f", "json"}))["units"][0]["synth_um2"].is_null());
  // The bit-serial PE: bit planes (1 bit/cycle) and Booth (2 bits/cycle) are two synthesized configurations.
  const auto b1 = json_of(hw({"--unit", "bitserial", "--formats", "int8:int4", "--bits-per-cycle", "1", "-f", "json"}));
  const auto b2 = json_of(hw({"--unit", "bitserial", "--formats", "int8:int4", "-f", "json"}));
  REQUIRE(b1["units"][0]["synth_um2"].is_number());
  REQUIRE(b2["units"][0]["synth_um2"].is_number());
  CHECK(b1["units"][0]["synth_um2"].get<double>() != b2["units"][0]["synth_um2"].get<double>());
  // The LUT tile: LUT-TC's M2N64K4 (the default tile) and M2N8 are synthesized with INT8 tables, INT32
  // accumulators and W2 signed weights; another tile shape has none.
  const auto l = json_of(hw({"--unit", "lut", "--formats", "int8:int2", "-f", "json"}));
  CHECK(l["units"][0]["synth_um2"].is_number());
  CHECK(json_of(hw({"--unit", "lut", "--formats", "int8:int2", "--lut-tile", "2x8x4", "-f", "json"}))["units"][0]
            ["synth_um2"].is_number());
  CHECK(json_of(hw({"--unit", "lut", "--formats", "int8:int2", "--lut-tile", "2x16x4", "-f", "json"}))["units"][0]
            ["synth_um2"].is_null());
  const Run t = hw({"--synth"});
  CHECK(t.rc == 0);
  CHECK(t.out.find("name ") == 0);
  CHECK(t.out.find("int_mul(8x8)") != std::string::npos);
}

TEST_CASE("hw: --tech overrides constants from a folder") {
  const fs::path d = scratch_dir();
  std::ofstream(d / "bitfusion45.toml") << "[meta]\nnode_nm = 45\nvoltage_v = 0.9\nmodel_node_nm = 45\n"
                                           "[int_mac_area_c0]\nvalue = 1023.03\nunit = \"um2\"\nsource = \"t\"\nhow = \"M\"\n";
  const auto a = json_of(hw({"--formats", "int8:int8", "--lanes", "1", "--node", "45", "-f", "json"}));
  const auto b = json_of(hw({"--formats", "int8:int8", "--lanes", "1", "--node", "45", "--tech", d.string(), "-f", "json"}));
  CHECK(b["units"][0]["area_um2"].get<double>() == doctest::Approx(a["units"][0]["area_um2"].get<double>() + 1000));
  std::ofstream(d / "broken.toml") << "[meta\n";
  const Run bad = hw({"--tech", d.string()});
  CHECK(bad.rc == 3);
  CHECK(bad.err.find("bitexact: --tech: " + (d / "broken.toml").string() + ": line 1:") == 0);
  fs::remove_all(d);
}

TEST_CASE("hw: bad inputs are one line and exit 2 (usage) or 3 (input)") {
  check_error(hw({"--unit", "foo"}), 2, "bitexact: --unit: 'foo' is not mac, bitserial or lut");
  check_error(hw({"--clock", "1XHz"}), 2, "bitexact: --clock: '1XHz' is not a frequency (e.g. 1GHz, 800MHz, 1.5e9)");
  check_error(hw({"--node", "3"}), 2,
              "bitexact: --node: no scaling factors from 45 nm to 3 nm (known nodes: 5, 7, 16, 22, 28, 40, 45, 65)");
  check_error(hw({"--shape", "1x2"}), 2, "bitexact: --shape: '1x2' is not MxNxK (positive integers)");
  check_error(hw({"--array", "0x4"}), 2, "bitexact: --array: '0x4' is not RxC (positive integers)");
  check_error(hw({"--layers", "gpt"}), 2, "bitexact: --layers: unknown preset 'gpt' (llama2-7b, bitnet-b1.58-3b, bitnet-3b)");
  check_error(hw({"--shape", "2x2x2", "--layers", "llama2-7b"}), 2, "bitexact: --shape and --layers exclude each other");
  check_error(hw({"--unit", "lut", "--formats", "fp16:fp16"}), 2,
              "bitexact: --formats: the lut unit takes integer weights of 1..8 bits (e.g. fp16:int2), not 'fp16'");
  check_error(hw({"--formats", "e4m3:posit<8,2>"}), 2,
              "bitexact: mac e4m3:posit<8,2>: cost model: posit formats are not modelled ('posit8')");
  check_error(hw({"--formats", "e4m3:e4m3:e4m3"}), 2,
              "bitexact: --formats: 'e4m3:e4m3:e4m3' is not ACT:WEIGHT (e.g. e4m3:e4m3, fp16:int2)");
  check_error(hw({"--flow", "x"}), 2, "bitexact: --flow: 'x' is not native, bitmod28 or luttc28");
  // Options that no chosen unit reads (mac is the default unit).
  check_error(hw({"--lut-tile", "2x2x0"}), 2, "bitexact: --lut-tile applies to --unit lut");
  check_error(hw({"--unit", "mac,bitserial", "--lut-variant", "unpu"}), 2, "bitexact: --lut-variant applies to --unit lut");
  check_error(hw({"--bits-per-cycle", "1"}), 2, "bitexact: --bits-per-cycle applies to --unit bitserial");
  check_error(hw({"--unit", "lut", "--formats", "int8:int2", "--lanes", "8"}), 2,
              "bitexact: --lanes applies to --unit mac and bitserial");
  check_error(hw({"--unit", "lut", "--formats", "int8:int2", "--accum", "h100-fp8"}), 2,
              "bitexact: --accum applies to --unit mac and bitserial");
  check_error(hw({"--tokens", "4"}), 2, "bitexact: --tokens applies to --layers");
  // ... and are read where one is.
  CHECK(hw({"--unit", "mac,lut", "--formats", "int8:int2", "--lut-tile", "2x8x4", "--lanes", "8", "--tokens", "1",
            "--layers", "bitnet-3b"}).rc == 0);
  check_error(hw({"-f", "jsonl"}), 2, "bitexact: --format: jsonl is not offered by hw (use json)");
  check_error(hw({"--tech", "/nonexistent/dir"}), 3, "bitexact: --tech: /nonexistent/dir: not a folder");
  const Run bad_fmt = hw({"--formats", "e9q:int8"});
  CHECK(bad_fmt.rc == 2);
  CHECK(bad_fmt.err.find("bitexact: --formats: activation 'e9q':") == 0);
  CHECK(bad_fmt.err.find('\n') == bad_fmt.err.size() - 1);
}

}  // TEST_SUITE
