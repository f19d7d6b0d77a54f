// bitexact explore and `bitexact merge` of explore shards: the same bytes for 1 and 2 threads and
// for any sharding, one-line errors with exit codes (3 for a bad workload, 2 for bad options), .npy
// workloads, and the report rendered by headless Chromium with its sections and SVG plots.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emu/tensor/npy.hpp"
#include "cli_run.hpp"

namespace {

cli_test::Run run_cli(const std::vector<std::string>& args) { return cli_test::bitexact(args); }
using cli_test::fs::path;
using cli_test::slurp;

const char* kTiny = R"(name = "tiny"
tokens = 16
[[layer]]
name = "up"
k = 128
n = 32
count = 2
sample_m = 16
sample_k = 128
sample_n = 32
act_dist = "student-t:4"
act_outlier_channels = 0.05
act_outlier_factor = 10
[[layer]]
name = "down"
k = 64
n = 16
sample_m = 8
)";

const std::vector<std::string> kFiles{"report.html", "results.csv", "layers.csv", "results.json"};

struct Dir {
  path p = cli_test::scratch_dir();
  ~Dir() { cli_test::fs::remove_all(p); }
  std::string operator/(const std::string& s) const { return (p / s).string(); }
};

void write(const std::string& file, const std::string& text) {
  std::ofstream f(file, std::ios::binary);
  f << text;
}

std::vector<std::string> tiny_args(const Dir& d, const std::string& out) {
  write(d / "tiny.toml", kTiny);
  return {"explore", "--workload", d / "tiny.toml", "--unit", "mac,bitserial",
          "--formats", "mxfp4:mxfp4,int8<group=tensor>:int4<group=128>", "--quick-claims", "--out-dir", out};
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& more) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

}  // namespace

TEST_CASE("cli explore: --help teaches with examples") {
  const auto r = run_cli({"explore", "--help"});
  CHECK(r.rc == 0);
  CHECK(r.out.find("Examples:") != std::string::npos);
  CHECK(r.out.find("Workload TOML") != std::string::npos);
  CHECK(r.out.find("--shard") != std::string::npos);
  CHECK(r.out.find("bitexact merge") != std::string::npos);
  const auto l = run_cli({"explore", "--list"});
  CHECK(l.rc == 0);
  CHECK(l.out.rfind("C1  mac bfloat16 x bfloat16 / v100-fp16\n", 0) == 0);
  CHECK(l.out.find("C18  lut float16 x int2<group=128> / exact\n") != std::string::npos);
}

TEST_CASE("cli explore: a tiny workload, the same bytes for 1 and 2 threads") {
  Dir d;
  const auto r1 = run_cli(with(tiny_args(d, d / "j1"), {"--threads", "1"}));
  REQUIRE(r1.rc == 0);
  const auto r2 = run_cli(with(tiny_args(d, d / "j2"), {"--threads", "2", "--quiet"}));
  REQUIRE(r2.rc == 0);
  CHECK(r2.err.empty());
  // Progress: one line per stage and candidate.
  CHECK(r1.err.find("explore: workload 'tiny'") != std::string::npos);
  CHECK(r1.err.find("explore: [4/4] C4 bitserial int8<group=tensor> x int4<group=128> / exact") != std::string::npos);
  CHECK(r1.err.find("literature claims") != std::string::npos);
  CHECK(r1.err.find("report.html") != std::string::npos);
  for (const std::string& f : kFiles) {
    CAPTURE(f);
    CHECK(slurp(d / ("j1/" + f)) == slurp(d / ("j2/" + f)));
  }
  const auto j = nlohmann::json::parse(slurp(d / "j1/results.json"));
  CHECK(j["schema_version"] == 1);
  REQUIRE(j["candidates"].size() == 4);
  CHECK(j["candidates"][0]["id"] == "C1");
  CHECK(j["candidates"][0]["act_bits"] == 4.25);
  CHECK(j["candidates"][0]["layers"].size() == 2);
  CHECK(j["candidates"][0]["layers"][0]["weight_bytes"] == 128 * 32 * 4.25 / 8);
  CHECK(j["claims_included"] == true);
  CHECK(j["claims"].size() >= 10);
  const std::string csv = slurp(d / "j1/results.csv");
  CHECK(csv.rfind("id,unit,act,weight,accum,rounding,act_bits,weight_bits,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);
  const std::string layers = slurp(d / "j1/layers.csv");
  CHECK(std::count(layers.begin(), layers.end(), '\n') == 9);
}

TEST_CASE("cli explore: shards joined by merge give the unsharded bytes") {
  Dir d;
  REQUIRE(run_cli(with(tiny_args(d, d / "all"), {"-q"})).rc == 0);
  for (const char* k : {"1", "2", "3"}) {
    const auto r = run_cli(with(tiny_args(d, d / (std::string("s") + k)), {"--shard", std::string(k) + "/3", "-q"}));
    REQUIRE(r.rc == 0);
    CHECK(cli_test::fs::exists(d / (std::string("s") + k + "/explore-shard.json")));
    CHECK(!cli_test::fs::exists(d / (std::string("s") + k + "/report.html")));
  }
  const auto m = run_cli({"merge", d / "s3", d / "s1", d / "s2", "--out-dir", d / "merged"});
  REQUIRE(m.rc == 0);
  CHECK(m.err.find("3 explore shards, 4 candidates") != std::string::npos);
  for (const std::string& f : kFiles) {
    CAPTURE(f);
    CHECK(slurp(d / ("merged/" + f)) == slurp(d / ("all/" + f)));
  }
  // Not the shards of one run: a shard missing, given twice, or from other settings.
  const auto missing = run_cli({"merge", d / "s1", d / "s2", "--out-dir", d / "x"});
  CHECK(missing.rc == 3);
  CHECK(missing.err == "bitexact: merge: shard 3/3 is missing\n");
  const auto twice = run_cli({"merge", d / "s1", d / "s1", d / "s2", "--out-dir", d / "x"});
  CHECK(twice.rc == 3);
  CHECK(twice.err == "bitexact: merge: shard 1/3 is given twice\n");
  REQUIRE(run_cli(with(tiny_args(d, d / "o2"), {"--shard", "2/3", "--seed", "5", "-q"})).rc == 0);
  const auto other = run_cli({"merge", d / "s1", d / "o2", d / "s3", "--out-dir", d / "x"});
  CHECK(other.rc == 3);
  CHECK(other.err == "bitexact: merge: the shards come from different explore runs (settings differ)\n");
  CHECK(!cli_test::fs::exists(d / "x/report.html"));
  write(d / "s2/explore-shard.json", "{\"kind\": \"bitexact-explore\", ");
  const auto bad = run_cli({"merge", d / "s1", d / "s2", d / "s3", "--out-dir", d / "x"});
  CHECK(bad.rc == 3);
  CHECK(bad.err.rfind("bitexact: " + d / "s2/explore-shard.json" + ": not JSON", 0) == 0);
}

TEST_CASE("cli explore: a malformed workload is one line and exit 3, bad options exit 2") {
  Dir d;
  write(d / "bad.toml", "tokens = 16\n[[layer]]\nname = \"a\"\nk = 64\nn = -1\n");
  const auto r = run_cli({"explore", "--workload", d / "bad.toml", "--out-dir", d / "o"});
  CHECK(r.rc == 3);
  CHECK(r.err == "bitexact: " + d / "bad.toml" + ":5:5: n must be 1..16777216 (got -1)\n");
  CHECK(!cli_test::fs::exists(d / "o/report.html"));
  write(d / "syntax.toml", "tokens = 16\n[[layer]\n");
  const auto s = run_cli({"explore", "--workload", d / "syntax.toml", "--out-dir", d / "o"});
  CHECK(s.rc == 3);
  CHECK(s.err.rfind("bitexact: " + d / "syntax.toml" + ":2:", 0) == 0);
  CHECK(std::count(s.err.begin(), s.err.end(), '\n') == 1);
  const auto none = run_cli({"explore", "--workload", d / "nope.toml"});
  CHECK(none.rc == 3);
  CHECK(none.err == "bitexact: " + d / "nope.toml" + ": cannot read\n");
  for (const std::vector<std::string>& a :
       std::vector<std::vector<std::string>>{{"--shard", "3/2"}, {"--formats", "e4m3x:e4m3"}, {"--unit", "gpu"},
                                             {"--array", "0x4"}, {"--accum", "fused<k=0>"}, {"--lanes", "0"},
                                             {"--unit", "lut", "--formats", "mxfp4:mxfp4"}, {"--sample", "0x4x4"}, {"--rounding", "nearestish"},
                                             {"--sample", "8x128"}}) {
    CAPTURE(a[1]);
    const auto u = run_cli(with({"explore", "-q", "--out-dir", d / "o"}, a));
    CHECK(u.rc == 2);
    CHECK(u.err.rfind("bitexact: ", 0) == 0);
    CHECK(std::count(u.err.begin(), u.err.end(), '\n') == 1);
  }
  // Options that nothing chosen reads are refused, not ignored.
  const std::vector<std::pair<std::vector<std::string>, std::string>> unread = {
      {{"--unit", "mac", "--formats", "int8:int8", "--lut-tile", "2x8x4"}, "bitexact: --lut-tile applies to --unit lut\n"},
      {{"--formats", "int8:int8", "--bits-per-cycle", "1"}, "bitexact: --bits-per-cycle applies to --unit bitserial\n"},
      {{"--unit", "lut", "--formats", "int8:int2", "--lanes", "8"}, "bitexact: --lanes applies to --unit mac and bitserial\n"},
      {{"--no-claims", "--quick-claims"}, "bitexact: --no-claims excludes --quick-claims (see 'bitexact explore --help')\n"}};
  for (const auto& [a, err] : unread) {
    CAPTURE(a[1]);
    const auto u = run_cli(with({"explore", "-q", "--out-dir", d / "o"}, a));
    CHECK(u.rc == 2);
    CHECK(u.err == err);
    CHECK(!cli_test::fs::exists(d / "o"));
  }
}

TEST_CASE("cli explore: --sample sets the emulated sample of the built-in layers") {
  Dir d;
  const auto r = run_cli({"explore", "--formats", "bf16:bf16", "--sample", "4x64x8", "--no-claims", "-q", "-o", d / "s"});
  REQUIRE(r.rc == 0);
  const auto j = nlohmann::json::parse(slurp(d / "s/results.json"));
  REQUIRE(j["context"]["workload"]["layers"].size() == 7);
  for (const auto& l : j["context"]["workload"]["layers"]) {
    CHECK(l["sample_m"] == 4);
    CHECK(l["sample_k"] == 64);
    CHECK(l["sample_n"] == 8);
  }
  CHECK(j["context"]["options"] == "--unit mac --formats 'bf16:bf16' --accum 'auto' --sample 4x64x8 --no-claims");
  CHECK(j["candidates"][0]["layers"][6]["k"] == 11008);  // cost: the full shape
}

TEST_CASE("cli explore: .npy tensors name the layer shape") {
  Dir d;
  // weights (N, K) = (8, 64), activations (M, K) = (4, 64).
  std::vector<double> w(8 * 64), a(4 * 64);
  for (size_t i = 0; i < w.size(); ++i) w[i] = double(int(i % 7) - 3) / 4;  // exact in bfloat16
  for (size_t i = 0; i < a.size(); ++i) a[i] = double(int(i % 5) - 2);
  bitexact::write_npy(d / "w.npy", bitexact::npy_from_doubles(w, {8, 64}, bitexact::NpyType::F4));
  bitexact::write_npy(d / "a.npy", bitexact::npy_from_doubles(a, {4, 64}, bitexact::NpyType::F4));
  write(d / "npy.toml", "tokens = 4\n[[layer]]\nname = \"l\"\nweights = \"w.npy\"\nactivations = \"a.npy\"\n");
  const auto r = run_cli({"explore", "--workload", d / "npy.toml", "--formats", "bf16:bf16", "--accum", "exact",
                           "--out-dir", d / "o", "--no-claims", "-q"});
  REQUIRE(r.rc == 0);
  const auto j = nlohmann::json::parse(slurp(d / "o/results.json"));
  const auto& l = j["candidates"][0]["layers"][0];
  CHECK(l["k"] == 64);
  CHECK(l["n"] == 8);
  CHECK(l["m"] == 4);
  CHECK(j["claims_included"] == false);
  // The weights are multiples of 1/4 up to 3/4 and the activations integers up to 2: exact in
  // bfloat16, and their exact sums of 64 products (multiples of 1/4 below 2^7) are exact in float32.
  CHECK(l["weight"]["sqnr_db"] == "inf");
  CHECK(l["act"]["sqnr_db"] == "inf");
  CHECK(l["out"]["sqnr_db"] == "inf");
  write(d / "mismatch.toml", "[[layer]]\nname = \"l\"\nk = 32\nweights = \"w.npy\"\n");
  const auto m = run_cli({"explore", "--workload", d / "mismatch.toml", "--out-dir", d / "o2"});
  CHECK(m.rc == 3);
  CHECK(m.err == "bitexact: " + d / "w.npy" + ": layer 'l': weights have K = 64 columns, the TOML says k = 32\n");
}

TEST_CASE("cli explore: the report renders in headless Chromium with its sections and plots") {
  Dir d;
  REQUIRE(run_cli(with(tiny_args(d, d / "r"), {"-q"})).rc == 0);
  // No silent skip: without Chromium this test fails (tools/install-deps.sh installs it).
  const int have = std::system("command -v chromium > /dev/null 2>&1");
  REQUIRE_MESSAGE(have == 0, "chromium is not installed (tools/install-deps.sh installs it)");
  const std::string cmd = "chromium --headless --no-sandbox --disable-gpu --dump-dom " +
                          cli_test::quote("file://" + d / "r/report.html") + " > " + cli_test::quote(d / "dom.html") +
                          " 2> /dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string dom = slurp(d / "dom.html");
  CHECK(dom.size() > 10000);
  for (const char* want : {"What this report shows and how to read it", "Pareto frontiers", "Candidates",
                           "Per layer: GEMM-output SQNR (dB)", "Workload", "Claims from the literature",
                           "Where each figure comes from", "Settings", "The schemes and accumulation models",
                           "On-chip energy per forward pass by part", "GEMM-output SQNR against energy per forward pass",
                           "GEMM-output SQNR against unit area per MAC/cycle", "Pareto frontier", "<svg", "<table",
                           ">C4<"}) {
    CAPTURE(want);
    CHECK(dom.find(want) != std::string::npos);
  }
  size_t svgs = 0;
  for (size_t p = dom.find("<svg"); p != std::string::npos; p = dom.find("<svg", p + 1)) ++svgs;
  CHECK(svgs == 4);
}
