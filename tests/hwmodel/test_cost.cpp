// The cost model against its published anchors (hardware.md §8.4). Each check says what it is:
//   CALIBRATED ON — the anchor a constant was fitted to; checking it again only proves the fit
//                   was transcribed correctly (the factor is recomputed here from the model);
//   PREDICTION    — an anchor no constant was fitted to (out of sample): the model's real test.
// Anchor values are typed in here from hardware.md (independently of hwmodel/tech/*.toml), and the
// TOML copies are checked against them.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "emu/accum/accum_model.hpp"
#include "emu/scheme.hpp"
#include "formats/spec.hpp"
#include "hwmodel/cost/accelergy.hpp"
#include "hwmodel/cost/estimate.hpp"
#include "hwmodel/cost/primitives.hpp"
#include "hwmodel/cost/synth_area.hpp"
#include "hwmodel/cost/tech.hpp"

using namespace bitexact;
using namespace bitexact::hw::cost;
using bitexact::hw::MacConfig;
using bitexact::hw::parse_mac_config;
using bitexact::hw::timing;

namespace {

const TechLibrary& tech() {
  static const TechLibrary t = TechLibrary::embedded();
  return t;
}
CostContext at(double node, double clock = 1e9) { return {&tech(), node, clock}; }

double rel(double model, double anchor) { return model / anchor - 1; }

Estimate mac(int lanes, const char* a, const char* w, const char* acc, double node = 28) {
  MacCostInput in;
  in.lanes = lanes;
  in.act = parse_scheme(a);
  in.weight = parse_scheme(w);
  in.accum = parse_accum_model(acc);
  return estimate_mac(in, at(node));
}

Estimate lut(LutVariant v, int w_bits = 2, int m = 2, int n = 64, int k = 4, LutTableKind table = LutTableKind::Int8,
             LutAccumKind accum = LutAccumKind::Int32, const char* act = "int8") {
  LutCostInput in;
  in.m = m, in.n = n, in.k = k, in.w_bits = w_bits;
  in.act = parse_format(act);
  in.table = table;
  in.accum = accum;
  in.variant = v;
  return estimate_lut(in, at(28));
}

Estimate bitmod_pe() {
  BitSerialCostInput in;
  in.lanes = 4;
  in.bits_per_cycle = 2;
  in.act = parse_format("fp16");
  in.weight = parse_format("e2m1");
  in.accum = parse_accum_model("fp16-fma");
  return estimate_bitserial(in, at(28));
}

// Solves c0 + c1 b + c2 b^2 = y through three points (Cramer's rule), independently of the TOML.
struct Quad {
  double c0, c1, c2;
};
Quad fit3(const double b[3], const double y[3]) {
  auto det = [](double a, double bb, double c, double d, double e, double f, double g, double h, double i) {
    return a * (e * i - f * h) - bb * (d * i - f * g) + c * (d * h - e * g);
  };
  const double D = det(1, b[0], b[0] * b[0], 1, b[1], b[1] * b[1], 1, b[2], b[2] * b[2]);
  const double D0 = det(y[0], b[0], b[0] * b[0], y[1], b[1], b[1] * b[1], y[2], b[2], b[2] * b[2]);
  const double D1 = det(1, y[0], b[0] * b[0], 1, y[1], b[1] * b[1], 1, y[2], b[2] * b[2]);
  const double D2 = det(1, b[0], y[0], 1, b[1], y[1], 1, b[2], y[2]);
  return {D0 / D, D1 / D, D2 / D};
}

}  // namespace

TEST_SUITE("hwmodel_cost") {

TEST_CASE("technology tables: every constant carries value, unit, source, node, voltage and how") {
  const auto& c = tech().constants();
  CHECK(c.size() >= 50);
  for (const auto& [key, k] : c) {
    INFO(key);
    CHECK(!k.unit.empty());
    CHECK(!k.source.empty());
    CHECK((k.how == "V" || k.how == "D" || k.how == "M"));
    CHECK(k.node_nm > 0);
    CHECK(k.voltage_v > 0);
  }
  CHECK(tech().at("horowitz45.int_mul_area").value == 4.4);
  CHECK(tech().at("horowitz45.reg_area").node_nm == 40);        // an entry's own node
  CHECK(tech().at("horowitz45.reg_area").model_node_nm == 45);  // used at the file's node
  CHECK(tech().at("bitmod28.fp16_fma_area").voltage_v == 0.9);
  CHECK_THROWS_WITH_AS(tech().at("horowitz45.nope"), "technology constant 'horowitz45.nope' is not defined",
                       std::invalid_argument);
}

TEST_CASE("technology tables: malformed files are one-line errors with the line") {
  TechLibrary t;
  CHECK_THROWS_WITH_AS(t.add_toml("[meta]\nnode_nm = 45\nvoltage_v = 0.9\nmodel_node_nm = 45\n[x]\nvalue = 1\n", "f"),
                       "f: line 5: 'x' has no unit", std::invalid_argument);
  CHECK_THROWS_WITH_AS(t.add_toml("[x]\nvalue = 1\n", "g"), doctest::Contains("g: no [meta] table"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(t.add_toml("[meta\n", "h"), doctest::Contains("h: line 1:"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(t.add_toml("[meta]\nnode_nm = 45\nvoltage_v = 0.9\nmodel_node_nm = 45\n[x]\nvalue = 1\n"
                                  "unit = \"um2\"\nsource = \"s\"\nhow = \"Q\"\n",
                                  "f"),
                       doctest::Contains("how must be V"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(t.add_dir("/nonexistent/tech"), "/nonexistent/tech: not a folder", std::invalid_argument);
}

TEST_CASE("technology tables: a --tech folder overrides constants by name") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "bitexact_test_cost_tech";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "horowitz45.toml") << "[meta]\nnode_nm = 45\nvoltage_v = 0.9\nmodel_node_nm = 45\n"
                                            "[int_mul_area]\nvalue = 8.8\nunit = \"um2/bit2\"\nsource = \"test\"\n"
                                            "how = \"M\"\n";
  TechLibrary t = TechLibrary::embedded();
  t.add_dir(dir.string());
  CHECK(t("horowitz45.int_mul_area") == 8.8);
  CHECK(t("horowitz45.int_add_area") == 4.3);  // the rest stays
  Primitives p(t);
  CHECK(p.int_mul(8, 8).area_um2 == doctest::Approx(8.8 * 64));
  fs::remove_all(dir);
}

TEST_CASE("node scaling: direct factors, reciprocals, chains (hardware.md §3.4)") {
  const TechLibrary& t = tech();
  CHECK(t.scale(45, 28).area == doctest::Approx(0.377));
  CHECK(t.scale(45, 28).energy == doctest::Approx(0.513));
  CHECK(t.scale(28, 45).area == doctest::Approx(1 / 0.377));
  CHECK(t.scale(28, 16).area == doctest::Approx(0.570));  // direct, not via 45 (0.504)
  CHECK(t.scale(45, 5).area == doctest::Approx(0.377 * 0.129));
  CHECK(t.scale(45, 5).path == "45->28->5");
  CHECK(t.scale(65, 7).area == doctest::Approx(0.253 * 0.180));
  CHECK(t.scale(28, 28).area == 1);
  CHECK_THROWS_WITH_AS(t.scale(45, 3), doctest::Contains("no scaling factors from 45 nm to 3 nm (known nodes: 5, 7"),
                       std::invalid_argument);
  // An estimate scales with its node: the same unit at 45 and 28 nm differ by the 45 -> 28 factors.
  const Estimate a45 = mac(4, "e4m3", "e4m3", "h100-fp8", 45), a28 = mac(4, "e4m3", "e4m3", "h100-fp8", 28);
  CHECK(a28.area_um2 == doctest::Approx(a45.area_um2 * 0.377));
  CHECK(a28.energy_per_cycle_pj == doctest::Approx(a45.energy_per_cycle_pj * 0.513));
}

TEST_CASE("primitives: hand-worked values of hardware.md §8.1") {
  Primitives p(tech());
  CHECK(p.int_mul(8, 8).area_um2 == doctest::Approx(281.6));  // Horowitz 8b mult 282 um2
  CHECK(p.int_mul(8, 8).energy_pj == doctest::Approx(0.1984));  // 0.2 pJ
  CHECK(p.int_add(32).area_um2 == doctest::Approx(137.6));      // 32b add 137 um2
  CHECK(p.fp_mul(11, 11).area_um2 == doctest::Approx(1633.5));  // FP16 mult 1640 um2
  CHECK(p.fp_mul(24, 24).area_um2 == doctest::Approx(7776));    // FP32 mult 7700 um2
  CHECK(p.align_norm(11).area_um2 == doctest::Approx(37 * 11 * std::log2(11.0)));  // FP16 add 1360 um2
  CHECK(p.align_norm(11).area_um2 == doctest::Approx(1360).epsilon(0.04));
  CHECK(p.align_norm(24).area_um2 == doctest::Approx(4184).epsilon(0.03));
  CHECK(p.mux(8, 8).area_um2 == doctest::Approx(7 * 8 * 2.4));
  CHECK(p.shifter(32, 32).area_um2 == doctest::Approx(250));  // Aladdin's 32-bit shifter
  CHECK(p.shifter(32, 32).energy_pj == doctest::Approx(0.416));
  CHECK(p.reg(10).area_um2 == doctest::Approx(59.8));
  CHECK(p.reg(10).energy_pj == doctest::Approx(10 * 0.009 * 0.5));
  CHECK(p.sram_access_pj(8192, 64) == doctest::Approx(10));
  CHECK(p.sram_access_pj(32768, 64) == doctest::Approx(20));
  CHECK(p.sram_access_pj(1 << 20, 64) == doctest::Approx(100));
  CHECK(p.sram_access_pj(16384, 32) == doctest::Approx(10 * std::sqrt(2.0) / 2));
  CHECK(p.dram_access_pj(64) == doctest::Approx(64 * 30));
  CHECK(ceil_log2(1) == 0);
  CHECK(ceil_log2(14) == 4);
}

TEST_CASE("Bit Fusion INT MAC PEs (45 nm): INT2/8/16 CALIBRATED ON, INT4 a PREDICTION, within 10%") {
  // hardware.md §2.2 / §8.4: per-PE values of the 4x4 arrays.
  const double bits[3] = {2, 8, 16}, area[3] = {81.1, 510.7, 1679.4}, energy[3] = {44, 236, 717};
  const Quad a = fit3(bits, area), e = fit3(bits, energy);
  // The TOML holds this fit (rounded): recomputed here, not trusted.
  CHECK(tech()("bitfusion45.int_mac_area_c0") == doctest::Approx(a.c0).epsilon(1e-3));
  CHECK(tech()("bitfusion45.int_mac_area_c1") == doctest::Approx(a.c1).epsilon(1e-3));
  CHECK(tech()("bitfusion45.int_mac_area_c2") == doctest::Approx(a.c2).epsilon(1e-3));
  CHECK(tech()("bitfusion45.int_mac_energy_c0") == doctest::Approx(e.c0).epsilon(1e-3));
  CHECK(tech()("bitfusion45.int_mac_energy_c1") == doctest::Approx(e.c1).epsilon(1e-3));
  CHECK(tech()("bitfusion45.int_mac_energy_c2") == doctest::Approx(e.c2).epsilon(1e-3));
  CHECK(tech()("bitfusion45.int8_area") == 510.7);
  struct Row {
    int b;
    double area, energy_pj;
    bool in_sample;
  };
  for (const Row& r : {Row{2, 81.1, 0.044, true}, Row{4, 191.6, 0.093, false}, Row{8, 510.7, 0.236, true},
                       Row{16, 1679.4, 0.717, true}}) {
    const std::string f = "int" + std::to_string(r.b);
    const Estimate m = mac(1, f.c_str(), f.c_str(), "exact<out=int32>", 45);
    INFO("INT" << r.b << (r.in_sample ? " (calibrated on)" : " (prediction)") << ": area " << m.area_um2
               << " um2, energy " << m.energy_per_cycle_pj << " pJ");
    CHECK(std::fabs(rel(m.area_um2, r.area)) < (r.in_sample ? 1e-3 : 0.10));
    CHECK(std::fabs(rel(m.energy_per_cycle_pj, r.energy_pj)) < (r.in_sample ? 2e-3 : 0.10));
    CHECK(m.family == "int_mac");
    CHECK(m.band == doctest::Approx(0.10));
  }
  // INT4, the out-of-sample point: -5.1% area, -1.2% energy.
  const Estimate i4 = mac(1, "int4", "int4", "exact<out=int32>", 45);
  CHECK(rel(i4.area_um2, 191.6) == doctest::Approx(-0.0515).epsilon(0.02));
  // Away from 45 nm the band widens by the node-scaling uncertainty: 1.10 x 1.25 - 1.
  CHECK(mac(1, "int8", "int8", "exact<out=int32>", 28).band == doctest::Approx(0.375));
}

TEST_CASE("BitMoD 28 nm PEs: FP16 FMA CALIBRATED ON, FP16 x INT8 and the BitMoD PE's area PREDICTIONS within 25%") {
  const TechLibrary& t = tech();
  // The calibration factor is anchor / model-without-factor; recompute it from the model.
  const Estimate fma = mac(1, "fp16", "fp16", "fp16-fma");
  const double raw_area = fma.area_um2 / t("bitmod28.fp_area_factor");
  const double raw_energy = fma.energy_per_cycle_pj / t("bitmod28.fp_energy_factor");
  CHECK(t("bitmod28.fp_area_factor") == doctest::Approx(1968.7 / raw_area).epsilon(1e-3));
  CHECK(t("bitmod28.fp_energy_factor") == doctest::Approx(0.77 / raw_energy).epsilon(1e-3));
  // Calibrated on: reproduces the anchor by construction.
  CHECK(fma.area_um2 == doctest::Approx(1968.7).epsilon(2e-3));
  CHECK(fma.energy_per_cycle_pj == doctest::Approx(0.77).epsilon(2e-3));
  // The factor itself is plausible: slow-corner DC synthesis with registers vs Horowitz's units.
  CHECK(t("bitmod28.fp_area_factor") > 1.0);
  CHECK(t("bitmod28.fp_area_factor") < 2.0);

  // PREDICTION: FP16 + FP16 x INT8 -> FP16 (ANT/OliVe-style PE): 1318.6 um2, 0.613 pJ.
  const Estimate mixed = mac(1, "fp16", "int8", "fp16-fma");
  INFO("FP16xINT8: " << mixed.area_um2 << " um2 (" << rel(mixed.area_um2, 1318.6) * 100 << "%), "
                     << mixed.energy_per_cycle_pj << " pJ (" << rel(mixed.energy_per_cycle_pj, 0.613) * 100 << "%)");
  CHECK(std::fabs(rel(mixed.area_um2, 1318.6)) < 0.25);
  CHECK(std::fabs(rel(mixed.energy_per_cycle_pj, 0.613)) < 0.25);
  CHECK(mixed.area_um2 < fma.area_um2);  // direction: cheaper than the FP16 FMA

  // PREDICTION (area): the BitMoD PE, 4 lanes, 2 bits per cycle, FP16 activations: 1793.7 um2.
  const Estimate pe = bitmod_pe();
  INFO("BitMoD PE: " << pe.area_um2 << " um2 (" << rel(pe.area_um2, 1793.7) * 100 << "%)");
  CHECK(std::fabs(rel(pe.area_um2, 1793.7)) < 0.25);
  CHECK(pe.macs_per_cycle == 2);  // FP4 weights: 2 terms -> 4 MACs per 2 cycles
  // CALIBRATED ON (energy): the bit-serial energy factor is fitted on the PE's 0.586 mW.
  const double pe_raw = pe.energy_per_cycle_pj / t("bitmod28.bitserial_energy_factor");
  CHECK(t("bitmod28.bitserial_energy_factor") == doctest::Approx(0.586 / pe_raw).epsilon(1e-3));
  CHECK(pe.energy_per_cycle_pj == doctest::Approx(0.586).epsilon(2e-3));
  // PREDICTION from the calibrated numbers: BitMoD's headline 0.293 pJ/MAC at FP4 weights and
  // 2.2x area efficiency vs the FP16 FMA (hardware.md §9.9): area per MAC/cycle 897 vs 1968.7.
  CHECK(pe.energy_per_mac_pj() == doctest::Approx(0.293).epsilon(0.01));
  CHECK(fma.area_per_mac_um2() / pe.area_per_mac_um2() == doctest::Approx(2.2).epsilon(0.25));
}

TEST_CASE("LUT Tensor Core tile (W2 A8, M2N64K4, 28 nm, 1 GHz): CALIBRATED ON 11,991 um2 and 16.22 mW") {
  const TechLibrary& t = tech();
  const Estimate tile = lut(LutVariant::LutTc);
  CHECK(t("luttc28.lut_area_factor") == doctest::Approx(11991.29 / (tile.area_um2 / t("luttc28.lut_area_factor"))).epsilon(1e-3));
  CHECK(t("luttc28.lut_energy_factor") ==
        doctest::Approx(16.22 / (tile.energy_per_cycle_pj / t("luttc28.lut_energy_factor"))).epsilon(1e-3));
  CHECK(std::fabs(rel(tile.area_um2, 11991.29)) < 0.25);
  CHECK(std::fabs(rel(tile.power_mw(), 16.22)) < 0.25);
  // hardware.md §1.5 [D]: 256 MAC/cycle = 0.512 TOPS at 1 GHz, 42.7 TOPS/mm2, 31.6 TOPS/W.
  CHECK(tile.macs_per_cycle == 256);
  CHECK(tile.tops() == doctest::Approx(0.512));
  CHECK(tile.tops_per_mm2() == doctest::Approx(42.7).epsilon(0.01));
  CHECK(tile.tops_per_w() == doctest::Approx(31.6).epsilon(0.01));
  // The factor is below 1: Horowitz-style standalone adders and registers overstate dense arrays
  // (hardware.md §8.2 expected 1.8-2.4x too high before calibration).
  CHECK(1 / t("luttc28.lut_area_factor") > 1.5);
  CHECK(1 / t("luttc28.lut_area_factor") < 2.5);
  // Precompute runs on the vector unit: counted, but outside the tile.
  CHECK(tile.outside_energy_per_cycle_pj > 0);
}

TEST_CASE("LUT Tensor Core: PREDICTIONS — the UNPU ablation steps, W1 TOPS/W, DP4 density vs the FP16 MAC") {
  const Estimate unpu = lut(LutVariant::Unpu), re = lut(LutVariant::Reinterp), neg = lut(LutVariant::NegElim),
                 tc = lut(LutVariant::LutTc);
  // Table 2: normalised compute density (area) 1.317x, 1.351x, 1.440x; power efficiency 1.301x, 1.347x, 1.442x.
  const double d_re = unpu.area_um2 / re.area_um2, d_neg = unpu.area_um2 / neg.area_um2,
               d_tc = unpu.area_um2 / tc.area_um2;
  const double p_re = unpu.power_mw() / re.power_mw(), p_neg = unpu.power_mw() / neg.power_mw(),
               p_tc = unpu.power_mw() / tc.power_mw();
  INFO("density " << d_re << " " << d_neg << " " << d_tc << "; power efficiency " << p_re << " " << p_neg << " "
                  << p_tc);
  // Direction: every step helps, in order.
  CHECK(1 < d_re);
  CHECK(d_re < d_neg);
  CHECK(d_neg < d_tc);
  CHECK(1 < p_re);
  CHECK(p_re < p_neg);
  CHECK(p_neg < p_tc);
  // Rough size: each within 15% of the published ratio.
  CHECK(std::fabs(rel(d_re, 1.317)) < 0.15);
  CHECK(std::fabs(rel(d_neg, 1.351)) < 0.15);
  CHECK(std::fabs(rel(d_tc, 1.440)) < 0.15);
  CHECK(std::fabs(rel(p_re, 1.301)) < 0.15);
  CHECK(std::fabs(rel(p_neg, 1.347)) < 0.15);
  CHECK(std::fabs(rel(p_tc, 1.442)) < 0.15);

  // W1 A8: 512 MAC/cycle; Table 3 gives 63.78 TOPS/W.
  const Estimate w1 = lut(LutVariant::LutTc, 1);
  INFO("W1: " << w1.tops_per_w() << " TOPS/W");
  CHECK(w1.macs_per_cycle == 512);
  CHECK(std::fabs(rel(w1.tops_per_w(), 63.78)) < 0.25);

  // Fig. 12: W_INT1 x A_FP16 LUT DP4 61.55 vs W_FP16 x A_FP16 MAC DP4 3.39 TFLOPS/mm2 (18.2x), both from
  // one synthesis flow, so both are costed here with the LUT-TC flow's factors (flow = luttc28), both
  // accumulating in FP16. The MAC DP4's area is a genuine prediction (~2,360 um2 derived from 3.39).
  CostContext c = at(28);
  c.flow = "luttc28";
  LutCostInput l;
  l.m = 1, l.n = 1, l.k = 4, l.w_bits = 1, l.act = parse_format("fp16");
  l.table = LutTableKind::Fp16, l.accum = LutAccumKind::Fp16;
  const Estimate lut_dp4 = estimate_lut(l, c);
  const Estimate mac_dp4 =
      estimate_mac({4, parse_scheme("fp16"), parse_scheme("fp16"), parse_accum_model("pairwise<acc=float16,out=float16>")}, c);
  const double ratio = lut_dp4.tops_per_mm2() / mac_dp4.tops_per_mm2();
  INFO("DP4: LUT " << lut_dp4.area_um2 << " um2 " << lut_dp4.tops_per_mm2() << " TOPS/mm2; MAC " << mac_dp4.area_um2
                   << " um2 " << mac_dp4.tops_per_mm2() << " TOPS/mm2; ratio " << ratio);
  CHECK(std::fabs(rel(mac_dp4.area_um2, 8e-3 / 3.39 * 1e6)) < 0.25);  // 2,360 um2
  // Direction right; size NOT reproduced: the model's LUT DP4 carries its own FP16 accumulator (an
  // FP adder is ~250 um2 here), while the published 130 um2 cannot hold one. The model gives ~5x
  // with accumulators counted; README "The cost model" discusses the gap.
  CHECK(ratio > 3);
  CHECK(ratio < 18.2 * 2);
}

TEST_CASE("FP8 vs INT8 MAC cost: PREDICTION in Qualcomm's 1.5-2.8x band (hardware.md §3.3)") {
  // DP4 lanes at 28 nm; INT8 accumulates in INT32, FP8 in a tensor-core fused register.
  const Estimate i8 = mac(4, "int8", "int8", "exact<out=int32>");
  for (const char* f : {"e4m3", "e5m2"}) {
    for (const char* acc : {"h100-fp8", "fused<k=4,acc=24,out=float32>"}) {
      const Estimate f8 = mac(4, f, f, acc);
      const double r = f8.area_um2 / i8.area_um2;
      INFO(std::string(f) << " with " << std::string(acc) << ": FP8/INT8 area " << r << ", energy "
             << f8.energy_per_cycle_pj / i8.energy_per_cycle_pj);
      CHECK(r > 1.5);  // model: 1.80 / 2.44 (E4M3), 1.54 / 2.18 (E5M2)
      CHECK(r < 2.8);
    }
  }
}

TEST_CASE("Energy ladder (45 nm, Horowitz): INT8 MAC ~0.23 pJ, FP32 MAC ~4.6 pJ, ratio ~20x") {
  const Estimate i8 = mac(1, "int8", "int8", "exact<out=int32>", 45);
  const Estimate f32 = mac(1, "fp32", "fp32", "fp32-fma", 45);
  INFO("INT8 " << i8.energy_per_mac_pj() << " pJ, FP32 " << f32.energy_per_mac_pj() << " pJ");
  CHECK(i8.energy_per_mac_pj() == doctest::Approx(0.23).epsilon(0.1));
  CHECK(f32.energy_per_mac_pj() == doctest::Approx(4.6).epsilon(0.5));
  CHECK(f32.energy_per_mac_pj() / i8.energy_per_mac_pj() == doctest::Approx(20).epsilon(0.5));
}

TEST_CASE("estimates: breakdown sums, metrics, MX block scales, formats and accumulators") {
  const Estimate e = mac(4, "mxfp4", "mxfp4", "h100-fp8");
  double area = 0, energy = 0;
  for (const Component& c : e.components) area += c.area_um2, energy += c.energy_pj;
  CHECK(area == doctest::Approx(e.area_um2));
  CHECK(energy == doctest::Approx(e.energy_per_cycle_pj));
  bool scale = false;
  for (const Component& c : e.components) scale |= c.name == "weight block-scale exponent adder";
  CHECK(scale);
  CHECK(e.macs_per_cycle == 4);
  CHECK(e.tops() == doctest::Approx(8e-3));
  CHECK(e.power_mw() == doctest::Approx(e.energy_per_cycle_pj));  // at 1 GHz, mW = pJ per cycle
  // Narrower operands cost less; a wider accumulator costs more.
  CHECK(mac(4, "e2m1", "e2m1", "h100-fp8").area_um2 < mac(4, "e4m3", "e4m3", "h100-fp8").area_um2);
  CHECK(mac(4, "bf16", "bf16", "fused<k=4,acc=24>").area_um2 < mac(4, "fp16", "fp16", "fused<k=4,acc=24>").area_um2);
  CHECK(mac(4, "e4m3", "e4m3", "fused<k=4,acc=13>").area_um2 < mac(4, "e4m3", "e4m3", "fused<k=4,acc=24>").area_um2);
  CHECK(mac(4, "int4", "int4", "exact<out=int32>").area_um2 < mac(4, "int8", "int8", "exact<out=int32>").area_um2);
  // Every supported spelling runs: FP6, MXINT8, NVFP4, Kulisch and sequential accumulators.
  CHECK(mac(4, "e3m2", "e2m3", "fp32-fma").area_um2 > 0);
  CHECK(mac(8, "mxint8", "mxint8", "fp32-fma").area_um2 > 0);
  CHECK(mac(16, "nvfp4", "nvfp4", "fused<k=16,acc=24>").area_um2 > 0);
  CHECK(mac(4, "e4m3", "e4m3", "exact").area_um2 > mac(4, "e4m3", "e4m3", "h100-fp8").area_um2);
  // Clock: throughput and power scale, energy per MAC does not.
  const Estimate slow = estimate_mac({4, parse_scheme("e4m3"), parse_scheme("e4m3"), parse_accum_model("h100-fp8")},
                                     at(28, 5e8));
  CHECK(slow.tops() == doctest::Approx(4e-3));
  CHECK(slow.energy_per_mac_pj() == doctest::Approx(mac(4, "e4m3", "e4m3", "h100-fp8").energy_per_mac_pj()));
}

TEST_CASE("the mac model's MacConfig is costed as its DPn unit") {
  const MacConfig c = parse_mac_config("lanes=8,act=float8_e4m3fn,weight=mxfp4,accum=fused<k=8,acc=24>,rows=4,cols=4");
  const Estimate e = estimate_mac(c, at(28));
  const Estimate d = mac(8, "e4m3", "mxfp4", "fused<k=8,acc=24>");
  CHECK(e.area_um2 == doctest::Approx(d.area_um2));
  CHECK(e.macs_per_cycle == 8);
  CHECK(e.macs_per_cycle == timing(c).macs_per_cycle());  // the cost model's throughput is the unit's
}

TEST_CASE("the bit-serial and LUT models' configs are costed with their own cycle counts") {
  // BitMoD: FP16 activations, FP4 (E2M1) weights as terms, 2 bits per cycle.
  const bitexact::hw::BitSerialConfig bs = bitexact::hw::parse_bitserial_config(
      "lanes=4,bits=2,act=float16,weight=float4_e2m1fn,encoding=terms,accum=fused<k=4,acc=24>");
  const Estimate b = estimate_bitserial(bs, at(28));
  CHECK(b.cycles_per_op == bitexact::hw::cycles_per_weight(bs));
  CHECK(b.macs_per_cycle == doctest::Approx(bitexact::hw::timing(bs).macs_per_cycle()));
  CHECK(b.area_um2 == doctest::Approx(bitmod_pe().area_um2).epsilon(0.05));
  // LUT-TC W2 A8 with INT8 tables and INT32 accumulators: the calibrated tile.
  bitexact::hw::LutConfig lc;
  lc.act = parse_format("int8");
  lc.table = bitexact::hw::LutTable::Int8;
  lc.accum = bitexact::hw::LutAccum::Int32;
  const Estimate l = estimate_lut(lc, at(28));
  CHECK(l.area_um2 == doctest::Approx(11991.29).epsilon(1e-3));
  CHECK(l.macs_per_cycle == bitexact::hw::timing(lc).macs_per_cycle());
  CHECK(estimate_lut(lc, at(28), LutVariant::Unpu).area_um2 > l.area_um2);
}

TEST_CASE("bit-serial: cycles per weight and Stripes/Loom-style 1 bit per cycle") {
  BitSerialCostInput in;
  in.lanes = 4;
  in.act = parse_format("int8");
  in.accum = parse_accum_model("exact<out=int32>");
  for (int bits : {2, 4, 8}) {
    for (int bpc : {1, 2}) {
      in.weight = parse_format("int" + std::to_string(bits));
      in.bits_per_cycle = bpc;
      const Estimate e = estimate_bitserial(in, at(28));
      CHECK(e.cycles_per_op == (bits + bpc - 1) / bpc);
      CHECK(e.macs_per_cycle == doctest::Approx(4.0 / e.cycles_per_op));
    }
  }
}

TEST_CASE("errors: unmodelled formats, bad shapes, unknown nodes") {
  CHECK_THROWS_WITH_AS(mac(4, "posit<8,2>", "e4m3", "h100-fp8"), doctest::Contains("cost model: posit formats"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(mac(0, "e4m3", "e4m3", "h100-fp8"), "cost model: mac lanes must be 1..1024",
                       std::invalid_argument);
  CHECK_THROWS_AS(mac(4, "e4m3", "e4m3", "h100-fp8", 3), std::invalid_argument);
  CHECK_THROWS_WITH_AS(lut(LutVariant::LutTc, 9), "cost model: LUT W_BIT must be 1..8", std::invalid_argument);
}

TEST_CASE("Accelergy export: ERT and ART in Accelergy 0.3's layout") {
  std::vector<NamedEstimate> units{{"lut_w2", lut(LutVariant::LutTc)}, {"mac_e4m3", mac(4, "e4m3", "e4m3", "h100-fp8")}};
  const std::string ert = accelergy_ert_yaml(units), art = accelergy_art_yaml(units);
  CHECK(ert.find("ERT:\n  version: 0.3\n  tables:\n  - name: bitexact.lut_w2\n    actions:\n    - name: mac_random\n"
                 "      arguments: null\n      energy: ") != std::string::npos);
  CHECK(ert.find("  - name: bitexact.lut_w2.table_read_muxes[0..127]\n    actions:\n    - name: compute\n") !=
        std::string::npos);
  CHECK(ert.find("precompute") == std::string::npos);  // outside the tile: not a tile component
  CHECK(art.find("ART:\n  version: 0.3\n  tables:\n  - name: bitexact.lut_w2\n    area: 11992") != std::string::npos);
  CHECK(art.find("  - name: bitexact.mac_e4m3.significand_multipliers[0..3]\n    area: ") != std::string::npos);
  CHECK(identifier("dp4 e4m3 x e4m3, acc <k=4>") == "dp4_e4m3_x_e4m3_acc_k_4");
}

TEST_CASE("area from synthesis: the embedded yosys table is consistent (GE = transistors / 4, area = GE x NAND2)") {
  const SynthTable t = embedded_synth_table();
  CHECK(t.yosys.rfind("Yosys 0.23", 0) == 0);  // the DFF cost of stat -tech cmos is 0.23's
  CHECK(t.nand2_um2 == 0.798);                 // Nangate45 NAND2_X1 (hardware.md §6)
  REQUIRE(t.entries.size() >= 9);
  int units = 0;
  for (const SynthEntry& e : t.entries) {
    INFO(e.name);
    CHECK(e.transistors_exact);
    CHECK(e.cells > 0);
    CHECK(e.ge == doctest::Approx(e.transistors / 4.0));
    CHECK(e.area_um2_45 == doctest::Approx(e.ge * 0.798).epsilon(1e-6));
    CHECK(e.transistors >= 16 * e.dffs);                // a $_DFF_P_ costs 16 in 0.23
    CHECK(e.transistors_cmos <= e.transistors + 16);    // the richer gate set never needs much more
    CHECK(tech().at("yosys_area." + e.name).value == e.area_um2_45);  // also a technology constant
    if (e.kind == "unit") {
      ++units;
      CHECK((e.hw_unit == "mac" || e.hw_unit == "bitserial" || e.hw_unit == "lut"));
      CHECK((e.hw_unit == "lut" ? !e.lut_tile.empty() : e.lanes > 0));
    } else {
      CHECK(primitive_area_um2(Primitives(tech()), e.primitive) > 0);
    }
  }
  CHECK(units >= 1);
  for (const SynthEntry& e : t.entries) {
    // 32 flip-flops with an enable: 32 x 16 (DFF) + a 3-NAND mux per bit + one inverter, hand-counted.
    if (e.name == "reg_32") {
      CHECK(e.dffs == 32);
      CHECK(e.transistors == 32 * 16 + 32 * 3 * 4 + 2);
    }
    if (e.name == "int_add_8") CHECK(e.dffs == 0);
  }
}

TEST_CASE("area from synthesis: primitive calls are the uncalibrated 45 nm constants") {
  const Primitives p(tech());
  CHECK(primitive_area_um2(p, "int_mul(8x8)") == doctest::Approx(4.4 * 64));  // Horowitz 8b mult 282 um2
  CHECK(primitive_area_um2(p, "int_add(32)") == doctest::Approx(4.3 * 32));
  CHECK(primitive_area_um2(p, "fp_mul(4x4)") == doctest::Approx(13.5 * 16));
  CHECK(primitive_area_um2(p, "shifter(32,32)") == doctest::Approx(1.5625 * 32 * 5));  // Aladdin 250 um2
  CHECK(primitive_area_um2(p, "reg(32)") == doctest::Approx(5.98 * 32));
  CHECK(primitive_area_um2(p, "mux(2,8)") == doctest::Approx(2.4 * 8));
  CHECK_THROWS_WITH_AS(primitive_area_um2(p, "adder(8)"), "synth area: unknown primitive call 'adder(8)'",
                       std::invalid_argument);
  CHECK_THROWS_AS(primitive_area_um2(p, "int_mul 8"), std::invalid_argument);
  CHECK_THROWS_AS(primitive_area_um2(p, "int_mul(x)"), std::invalid_argument);
  // Widths are 1..65536, written out in full.
  for (const char* bad : {"int_add(99999999999)", "int_add(0)", "int_mul(8x)", "int_mul(8x8x8)", "reg(32junk)", "reg()"})
    CHECK_THROWS_WITH_AS(primitive_area_um2(p, bad), doctest::Contains("bad arguments"), std::invalid_argument);
}

TEST_CASE("area from synthesis: a malformed table is a one-line error with the line") {
  const std::string meta = "[meta]\nyosys = \"Yosys 0.23\"\ndate = \"d\"\nflow = \"f\"\nnand2_um2 = 0.798\n";
  CHECK_THROWS_WITH_AS(parse_synth_table(meta + "[x]\nvalue = 1.0\n", "y"), "y: line 6: 'x' has no kind",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_synth_table(meta + "[x]\nkind = \"cell\"\n", "y"),
                       doctest::Contains("'x' has no note"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_synth_table("[x]\n", "y"), "y: no [meta] table", std::invalid_argument);
  const SynthTable ok = parse_synth_table(meta, "y");
  CHECK(ok.entries.empty());
  CHECK(ok.nand2_um2 == 0.798);
  // Integer fields must be TOML integers (a float such as 1e39 was cast to int64: undefined, fuzz_tech)
  // and the int ones in range.
  const std::string prim = meta + "[p]\nkind = \"primitive\"\nnote = \"n\"\ntop = \"t\"\nprimitive = \"reg(8)\"\n"
                                  "transistors = 1\ntransistors_exact = true\ndffs = 0\nge = 1.0\n"
                                  "transistors_cmos = 1\nvalue = 1.0\nscript = \"s\"\n";
  CHECK(parse_synth_table(prim + "cells = 7\ndepth = 3\n", "y").entries.at(0).cells == 7);
  CHECK_THROWS_WITH_AS(parse_synth_table(prim + "cells = 1e39\ndepth = 3\n", "y"),
                       "y: line 18: 'p': cells has the wrong type", std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_synth_table(prim + "cells = 7\ndepth = 3.0\n", "y"),
                       "y: line 19: 'p': depth has the wrong type", std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse_synth_table(prim + "cells = 7\ndepth = 4294967297\n", "y"),
                       "y: line 19: 'p': depth = 4294967297 is out of range 0..1000000", std::invalid_argument);
}

}  // TEST_SUITE

TEST_CASE("bit-serial unit cost: the PE model where it streams the pair, else the analytic model") {
  auto cost = [](const char* act, const char* weight, const char* accum, BitSerialCostInput* used = nullptr) {
    BitSerialCostInput in;
    in.lanes = 4;
    in.bits_per_cycle = 2;
    in.act = parse_format(act);
    in.weight = parse_format(weight);
    in.accum = parse_accum_model(accum);
    if (used) *used = in;
    return estimate_bitserial_or_analytic(in, at(28));
  };
  // Which model, its cycles per weight and the timing of a 1 x 1 x 4 operation every `cycles`.
  auto check = [](const BitSerialUnitCost& u, bool modelled, int cycles) {
    CHECK(u.modelled == modelled);
    CHECK(u.estimate.cycles_per_op == cycles);
    CHECK(u.estimate.macs_per_cycle == 4.0 / cycles);
    CHECK(u.timing.tile_m == 1);
    CHECK(u.timing.tile_n == 1);
    CHECK(u.timing.tile_k == 4);
    CHECK(u.timing.cycles_per_op == cycles);
    CHECK(u.timing.latency == cycles + 1);
  };
  BitSerialCostInput in;
  SUBCASE("modelled: float6_e2m3fn weights as terms take 4 cycles, not ceil(6 / 2) = 3") {
    const BitSerialUnitCost u = cost("float16", "float6_e2m3fn", "fused<k=4,acc=24>", &in);
    check(u, true, 4);
    CHECK(u.estimate.area_um2 == doctest::Approx(1625.01026).epsilon(1e-7));  // bitexact hw, 28 nm
    CHECK(estimate_bitserial(in, at(28)).cycles_per_op == 3);
    in.cycles_per_weight = 4;
    CHECK(u.estimate.area_um2 == estimate_bitserial(in, at(28)).area_um2);
  }
  SUBCASE("modelled: unsigned Booth digits take one bit more, uint4 3 cycles") {
    check(cost("int8", "uint4", "exact<out=int32>"), true, 3);
  }
  SUBCASE("fallback: the PE does not take a pairwise accumulator, ceil(4 / 2) = 2 cycles") {
    const BitSerialUnitCost u = cost("int8", "uint4", "pairwise<acc=float32>", &in);
    check(u, false, 2);
    CHECK(u.estimate.area_um2 == estimate_bitserial(in, at(28)).area_um2);
  }
  SUBCASE("fallback: float32 activations are wider than the PE's 16 bits") {
    const BitSerialUnitCost u = cost("float32", "int4", "fused<k=4,acc=24>");
    check(u, false, 2);
    CHECK(u.estimate.area_um2 == doctest::Approx(2955.44601).epsilon(1e-7));
  }
  SUBCASE("errors of the cost model itself still throw") {
    cost("int8", "int4", "exact<out=int32>", &in);
    in.lanes = 0;
    CHECK_THROWS_WITH_AS(estimate_bitserial_or_analytic(in, at(28)), "cost model: bitserial lanes must be 1..1024",
                         std::invalid_argument);
  }
}
