// tools/explore: the Pareto frontier on hand-worked points, the workload TOML (valid and malformed
// files), and the evaluation of small workloads against independent computations: exact formats
// give infinite SQNR, bfloat16 inputs against a bfloat16 rounding and dot product written here,
// storage bits and bytes, energy = pJ/MAC x MACs, cycles from the runner's closed form, and the
// same results for 1 and 2 threads.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "emu/metrics.hpp"
#include "hwmodel/cost/estimate.hpp"
#include "hwmodel/mac/config.hpp"
#include "tools/explore/candidates.hpp"
#include "tools/explore/evaluate.hpp"
#include "tools/explore/pareto.hpp"
#include "tools/explore/report.hpp"
#include "tools/explore/workload.hpp"

using namespace bitexact;
using namespace bitexact::explore;

namespace {

std::vector<bool> front(std::vector<ParetoPoint> p) { return pareto_front(p); }

std::string parse_error(const std::string& text) {
  try {
    parse_workload(text, "w.toml");
  } catch (const WorkloadError& e) {
    return e.what();
  }
  return "(no error)";
}

// A small workload: two layers, the sample equal to the full shape.
Workload tiny() {
  return parse_workload(R"(
name = "tiny"
tokens = 32
[[layer]]
name = "a"
k = 128
n = 64
count = 3
sample_m = 32
sample_k = 128
sample_n = 64
act_dist = "student-t:4"
act_outlier_channels = 0.05
act_outlier_factor = 10
[[layer]]
name = "b"
k = 256
n = 32
sample_m = 8
sample_k = 256
sample_n = 32
weight_dist = "laplace"
)",
                        "tiny.toml");
}

// bfloat16 by hand: float32 bits rounded to the top 16, nearest, ties to even (finite inputs).
double bf16(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  const uint32_t lsb = (u >> 16) & 1;
  u = (u + 0x7fff + lsb) & 0xffff0000u;
  float y;
  std::memcpy(&y, &u, 4);
  return y;
}

}  // namespace

TEST_CASE("pareto: hand-worked frontier") {
  // (cost, quality): 0 (1, 10) on; 1 (2, 20) on; 2 (2, 15) dominated by 1; 3 (3, 20) dominated by 1
  // (same quality, more cost); 4 (0.5, 5) on; 5 (4, 30) on; 6 (5, 25) dominated by 5.
  const auto on = front({{1, 10}, {2, 20}, {2, 15}, {3, 20}, {0.5, 5}, {4, 30}, {5, 25}});
  CHECK(on == std::vector<bool>{true, true, false, false, true, true, false});
  const std::vector<ParetoPoint> pts{{1, 10}, {2, 20}, {2, 15}, {3, 20}, {0.5, 5}, {4, 30}, {5, 25}};
  CHECK(pareto_order(pts, on) == std::vector<size_t>{4, 0, 1, 5});
}

TEST_CASE("pareto: ties, infinities and NaN") {
  CHECK(front({{1, 1}, {1, 1}}) == std::vector<bool>{true, true});                     // equal points both on
  CHECK(front({{1, INFINITY}, {0.5, 3}, {2, 4}}) == std::vector<bool>{true, true, false});  // exact beats all
  CHECK(front({{1, NAN}, {2, 1}}) == std::vector<bool>{false, true});                 // NaN: never on
  CHECK(front({}).empty());
  CHECK(front({{3, -INFINITY}}) == std::vector<bool>{true});
}

TEST_CASE("workload: the built-in default") {
  const Workload w = default_workload();
  REQUIRE(w.layers.size() == 7);
  CHECK(w.tokens == 2048);
  CHECK(w.layers[0].name == "q_proj");
  CHECK(w.layers[0].K == 4096);
  CHECK(w.layers[6].name == "down_proj");
  CHECK(w.layers[6].K == 11008);
  CHECK(w.layers[6].count == 32);
  CHECK(w.layers[0].sample_m == 32);
  CHECK(w.layers[0].sample_k == 256);
  CHECK(w.layers[0].sample_n == 64);
}

TEST_CASE("workload: TOML layers") {
  const Workload w = tiny();
  CHECK(w.name == "tiny");
  CHECK(w.tokens == 32);
  REQUIRE(w.layers.size() == 2);
  CHECK(w.layers[0].count == 3);
  CHECK(w.layers[0].activations.dist.kind == DistKind::StudentT);
  CHECK(w.layers[0].activations.dist.param == 4);
  CHECK(w.layers[0].activations.outlier_channels == 0.05);
  CHECK(w.layers[1].weights.dist.kind == DistKind::Laplace);
  // Samples are capped at the full shape.
  const Workload c = parse_workload("tokens = 4\n[[layer]]\nname = \"x\"\nk = 64\nn = 16\n", "c.toml");
  CHECK(c.layers[0].sample_m == 4);
  CHECK(c.layers[0].sample_k == 64);
  CHECK(c.layers[0].sample_n == 16);
}

TEST_CASE("workload: malformed TOML is one line naming FILE:LINE:COL") {
  CHECK(parse_error("tokens = \n") == "w.toml:1:10: Error while parsing key-value pair: expected value, saw '\\n'");
  CHECK(parse_error("tokens = -3\n[[layer]]\nname = \"a\"\nk = 1\nn = 1\n") ==
        "w.toml:1:10: tokens must be 1..16777216 (got -3)");
  CHECK(parse_error("[[layer]]\nname = \"a\"\nk = 4\nn = 4\ncolour = 1\n") == "w.toml:5:10: unknown layer key 'colour'");
  CHECK(parse_error("[[layer]]\nname = \"a\"\nk = \"big\"\nn = 4\n") == "w.toml:3:5: k must be an integer");
  CHECK(parse_error("[[layer]]\nname = \"a\"\nk = 4\n") == "w.toml:1:1: layer 'a' needs n (or weights = \"FILE.npy\")");
  CHECK(parse_error("[[layer]]\nname = \"a\"\nk = 4\nn = 4\nact_dist = \"gauss\"\n").rfind("w.toml:5:12: act_dist: ", 0) == 0);
  CHECK(parse_error("name = \"x\"\n") == "w.toml:1:1: no [[layer]] table");
  CHECK(parse_error("layer = 3\n") == "w.toml:1:9: layer must be an array of tables ([[layer]])");
  CHECK(parse_error("[[layer]]\nname = \"a\"\nk = 4\nn = 4\n[[layer]]\nname = \"a\"\nk = 4\nn = 4\n") ==
        "w.toml:5:1: layer name 'a' is used twice");
  CHECK(parse_error("[[layer]]\nk = 4\nn = 4\n") == "w.toml:1:1: a [[layer]] needs a name");
  CHECK(parse_error("colour = 1\n").rfind("w.toml:1:10: unknown key 'colour'", 0) == 0);
  for (const char* bad : {"[[layer]\n", "a = \"\n", "x = 1\nx = 2\n", "\x01"}) {
    const std::string e = parse_error(bad);
    CAPTURE(e);
    CHECK(e.rfind("w.toml:", 0) == 0);
    CHECK(e.find('\n') == std::string::npos);
  }
}

TEST_CASE("evaluate: exact formats give exact results, bfloat16 against an independent computation") {
  const Workload w = tiny();
  EvalSettings s;
  s.seed = 7;
  s.threads = 1;
  Evaluator ev(w, s);
  // float32 operands, exact accumulation into float64: every figure exact.
  const CandidateResult ex = ev.evaluate({"mac", "float32", "float32", "exact<out=float64>"});
  for (const LayerResult& l : ex.layers) {
    CHECK(std::isinf(l.act.sqnr_db));
    CHECK(std::isinf(l.weight.sqnr_db));
    CHECK(std::isinf(l.out.sqnr_db));
    CHECK(l.out.max_abs == 0);
  }
  CHECK(std::isinf(ex.out_sqnr_db));

  // bfloat16 operands summed exactly: recomputed here from the same float32 samples with a
  // hand-written bfloat16 rounding, products exact in double, sums in long double (64-bit
  // significand: far below the bfloat16 error), and the SQNR definition.
  const CandidateResult bf = ev.evaluate({"mac", "bf16", "bf16", "exact<out=float64>"});
  for (size_t li = 0; li < w.layers.size(); ++li) {
    const LayerTensors t = make_tensors(w.layers[li], s.seed + w.seed, li);
    long double sig = 0, noise = 0, asig = 0, anoise = 0;
    for (float x : t.a) {
      asig += (long double)x * x;
      anoise += ((long double)bf16(x) - x) * ((long double)bf16(x) - x);
    }
    for (uint64_t i = 0; i < t.m; ++i)
      for (uint64_t j = 0; j < t.n; ++j) {
        long double ref = 0, q = 0;
        for (uint64_t k = 0; k < t.k; ++k) {
          ref += (long double)((double)t.a[i * t.k + k] * (double)t.w[j * t.k + k]);
          q += (long double)(bf16(t.a[i * t.k + k]) * bf16(t.w[j * t.k + k]));
        }
        sig += ref * ref;
        noise += (q - ref) * (q - ref);
      }
    const double want = 10 * std::log10(double(sig / noise));
    CAPTURE(li);
    CHECK(bf.layers[li].out.sqnr_db == doctest::Approx(want).epsilon(1e-9));
    CHECK(bf.layers[li].act.sqnr_db == doctest::Approx(10 * std::log10(double(asig / anoise))).epsilon(1e-9));
    CHECK(bf.layers[li].out.sqnr_db > 40);  // bfloat16: 8 significant bits per operand
  }
  CHECK(bf.out_sqnr_db == doctest::Approx((bf.layers[0].out.sqnr_db + bf.layers[1].out.sqnr_db) / 2));
}

TEST_CASE("evaluate: stochastic rounding doubles the operand error variance (3 dB)") {
  // Rounding x with fractional position u between neighbours q apart: RNE's error is uniform on
  // [-q/2, q/2] (variance q^2/12); SR's is q(1-u) with probability u and -qu otherwise, variance
  // q^2 E[u(1-u)] = q^2/6 for u uniform. Twice the variance: 10 log10 2 = 3.01 dB less SQNR.
  const Workload w = tiny();
  EvalSettings s;
  s.threads = 2;
  Evaluator ev(w, s);
  const CandidateResult rne = ev.evaluate({"mac", "bf16", "bf16", "exact<out=float64>", "rne"});
  const CandidateResult sr = ev.evaluate({"mac", "bf16", "bf16", "exact<out=float64>", "sr"});
  for (size_t i = 0; i < 2; ++i) {
    CAPTURE(i);
    // Activations: heavy tails with outlier channels, whose few large elements carry most of the
    // error power, so the estimate from one sample is noisy; the weights' is not.
    const double da = rne.layers[i].act.sqnr_db - sr.layers[i].act.sqnr_db;
    CHECK(da > 2.0);
    CHECK(da < 4.0);
    CHECK(rne.layers[i].weight.sqnr_db - sr.layers[i].weight.sqnr_db == doctest::Approx(3.01).epsilon(0.08));
  }
  // Seeded: the same candidate again gives the same figures (cached or not).
  EvalSettings s1;
  s1.threads = 1;
  Evaluator ev1(w, s1);
  const CandidateResult again = ev1.evaluate({"mac", "bf16", "bf16", "exact<out=float64>", "sr"});
  CHECK(again.layers[0].out.sqnr_db == sr.layers[0].out.sqnr_db);
  CHECK(again.layers[1].act.max_abs == sr.layers[1].act.max_abs);
}

TEST_CASE("evaluate: storage bits, bytes, energy per layer and cycles by hand") {
  const Workload w = tiny();
  EvalSettings s;
  s.threads = 2;
  Evaluator ev(w, s);
  const CandidateResult r = ev.evaluate({"mac", "mxfp4", "nvfp4", "v100-fp16"});
  CHECK(r.act_bits == 4.25);    // 4-bit E2M1 + one 8-bit E8M0 scale per 32
  CHECK(r.weight_bits == 4.5);  // 4-bit E2M1 + one 8-bit UE4M3 scale per 16
  // The cost model's own figure for the same DPn (hwmodel/cost, called directly).
  const hw::cost::TechLibrary tech = hw::cost::TechLibrary::embedded();
  const hw::cost::CostContext ctx{&tech, 28, 1e9, ""};
  hw::MacConfig mc;
  mc.lanes = 4, mc.act = parse_scheme("mxfp4"), mc.weight = parse_scheme("nvfp4");
  mc.accum = parse_accum_model("v100-fp16");
  const hw::cost::Estimate e = hw::cost::estimate_mac(mc, ctx);
  CHECK(r.unit.energy_per_mac_pj == e.energy_per_mac_pj());
  CHECK(r.unit.area_um2 == e.area_um2);
  CHECK(r.area_per_mac_um2 == e.area_um2 / 4);
  double compute = 0, weight_bytes = 0;
  for (const LayerResult& l : r.layers) {
    CAPTURE(l.layer);
    const double macs = double(l.m) * double(l.n) * double(l.k);
    CHECK(l.m == 32);
    CHECK(l.compute_j == doctest::Approx(macs * e.energy_per_mac_pj() * 1e-12).epsilon(1e-12));
    CHECK(l.weight_bytes == double(l.k * l.n) * 4.5 / 8);
    CHECK(l.act_bytes == double(l.m * l.k) * 4.25 / 8);
    // Output-stationary 16 x 16 array of DP4 units: tiles = ceil(M/16) ceil(N/16), ceil(K/4)
    // operations each, one per cycle; cycles = (ops - 1) + latency + skew (15 + 15).
    const uint64_t tiles = ((l.m + 15) / 16) * ((l.n + 15) / 16), ops = tiles * ((l.k + 3) / 4);
    CHECK(r.unit.timing.cycles_per_op == 1);
    CHECK(l.cycles == (ops - 1) + uint64_t(r.unit.timing.latency) + 30);
    compute += l.compute_j * double(l.count);
    weight_bytes += l.weight_bytes * double(l.count);
  }
  CHECK(r.layers[0].weight_bytes == 128 * 64 * 4.5 / 8);  // 4608 bytes
  CHECK(r.compute_j == doctest::Approx(compute).epsilon(1e-15));
  CHECK(r.weight_bytes == weight_bytes);
  CHECK(r.energy_j == doctest::Approx(r.compute_j + r.sram_j).epsilon(1e-15));
  CHECK(r.peak_tops == doctest::Approx(2 * 4 * 256 * 1e9 * 1e-12));  // 256 DP4 units at 1 GHz: 2.048 TOPS
}

TEST_CASE("evaluate: the yosys area of a synthesized configuration") {
  const Workload w = tiny();
  Evaluator ev(w, EvalSettings{});
  // int8 x int8 DP4 with an int32 register is synthesized (yosys_area.toml mac_int8_dp4).
  const CandidateResult r = ev.evaluate({"mac", "int8<group=tensor>", "int8<group=tensor>", "exact<out=float32>"});
  CHECK(r.unit.synth_entry == "mac_int8_dp4");
  CHECK(r.unit.synth_area_um2 > 0);
  CHECK(r.unit.cost_operands == "int8 x int8");
  CHECK(r.unit.cost_accum == "exact<out=int32>");
  const CandidateResult m = ev.evaluate({"mac", "mxfp4", "mxfp4", "v100-fp16"});
  CHECK(m.unit.synth_area_um2 < 0);
}

TEST_CASE("evaluate: the same results for 1 and 2 threads, through JSON and back") {
  const Workload w = tiny();
  std::vector<std::string> docs;
  for (int threads : {1, 2}) {
    EvalSettings s;
    s.threads = threads;
    Evaluator ev(w, s);
    ExploreRun run;
    run.workload = w;
    for (const Candidate& c : std::vector<Candidate>{{"mac", "mxfp8_e4m3", "mxfp4", "v100-fp16"},
                                                     {"mac", "e4m3<group=tensor>", "e4m3<group=tensor>", "h100-fp8"},
                                                     {"bitserial", "int8<group=tensor>", "int4<group=128>", "exact<out=float32>"}}) {
      run.results.push_back(ev.evaluate(c));
      run.indices.push_back(run.indices.size());
    }
    run.total_candidates = run.results.size();
    mark_pareto(run.results);
    docs.push_back(run_to_json(run).dump());
    // Round trip: the JSON read back writes the same bytes and renders the same page.
    const ExploreRun back = run_from_json(run_to_json(run), "x");
    CHECK(run_to_json(back).dump() == docs.back());
    CHECK(report_html(back) == report_html(run_from_json(run_to_json(back), "y")));
  }
  CHECK(docs[0] == docs[1]);
}

TEST_CASE("candidates: the default list, cross products and unfit pairs") {
  const std::vector<Candidate> d = default_candidates();
  CHECK(d.size() == 18);
  CHECK(candidate_label(d[0]) == "mac bfloat16 x bfloat16 / v100-fp16");
  const HwSettings hw;
  const auto all = cross_candidates({"mac", "lut"}, {"mxfp4:mxfp4", "fp16:int2<group=128>"}, {"auto"}, {"rne"}, hw, false);
  CHECK(all.size() == 4);
  const auto fit = cross_candidates({"mac", "lut"}, {"mxfp4:mxfp4", "fp16:int2<group=128>"}, {"auto"}, {"rne"}, hw, true);
  REQUIRE(fit.size() == 3);  // lut cannot take MXFP4 weights
  CHECK(fit[2].unit == "lut");
  CHECK(fit[2].accum == "exact");  // exact<out=float32>: float32 is the default output
  CHECK_THROWS_AS(cross_candidates({"gpu"}, {"e4m3:e4m3"}, {"auto"}, {"rne"}, hw, false), std::invalid_argument);
  CHECK_THROWS_AS(cross_candidates({"mac"}, {"nonsense:e4m3"}, {"auto"}, {"rne"}, hw, false), std::invalid_argument);
  CHECK_THROWS_AS(cross_candidates({"mac"}, {"e4m3:e4m3"}, {"fused<k=x>"}, {"rne"}, hw, false), std::invalid_argument);
  CHECK_THROWS_AS(cross_candidates({"mac"}, {"e4m3:e4m3"}, {"auto"}, {"nearestish"}, hw, false), std::invalid_argument);
  const auto modes = cross_candidates({"mac"}, {"e4m3:e4m3"}, {"auto"}, {"rne", "sr", "nearest"}, hw, false);
  REQUIRE(modes.size() == 3);
  CHECK(modes[1].rounding == "sr");
  CHECK(modes[2].rounding == "rne");  // an alias, canonical name
  CHECK(candidate_label(modes[1]) == "mac float8_e4m3fn x float8_e4m3fn / v100-fp16 / sr");
}
