// Determinism: every parallel path gives the same bytes for 1, 2 and 7 threads, and sharded runs
// merge to the bytes of the unsharded run. The library paths (tensor quantization, the emulated
// GEMM, the clocked mac and bit-serial arrays) are hashed in-process; the CLI paths (`error`,
// `gen` + `merge`, `selfcheck`, `hw`) run as subprocesses under OMP_NUM_THREADS / --threads and
// their output files are compared byte for byte.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "emu/accum/accum_model.hpp"
#include "emu/gemm.hpp"
#include "emu/tensor/quantize.hpp"
#include "formats/catalog.hpp"
#include "hwmodel/bitserial/array.hpp"
#include "hwmodel/mac/array.hpp"
#include "tests/tools/cli_run.hpp"

using namespace bitexact;
using namespace cli_test;

namespace {

constexpr int kThreads[] = {1, 2, 7};

// FNV-1a over bytes: a short fingerprint to print and compare.
struct Hash {
  uint64_t h = 0xcbf29ce484222325ull;
  void bytes(const void* p, size_t n) {
    for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<const uint8_t*>(p)[i]) * 0x100000001b3ull;
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    bytes(v.data(), v.size() * sizeof(T));
  }
};

std::vector<float> tensor(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> d(0.0f, 1.0f);
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = d(rng) * (i % 97 == 0 ? 300.0f : 1.0f);  // outliers
  return x;
}

std::vector<uint64_t> codes(const Format& f, size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> v(n);
  for (auto& c : v) c = rng() & f.facts.code_mask;
  return v;
}

const Format& F(const char* name) { return Catalog::builtin().find(name)->format; }

// Runs fn(threads) for each thread count and checks that every result hashes the same.
template <class Fn>
void same_for_all_thread_counts(const std::string& what, Fn fn) {
  std::map<int, uint64_t> h;
  for (int t : kThreads) h[t] = fn(t);
  INFO(what);
  CHECK(h[1] == h[2]);
  CHECK(h[1] == h[7]);
}

std::vector<std::string> list_dir(const fs::path& d) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(d)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Every file of folder a equals the file of the same name in b, and the name lists are equal.
void same_folder(const fs::path& a, const fs::path& b) {
  INFO(a.string() << " vs " << b.string());
  const auto na = list_dir(a), nb = list_dir(b);
  CHECK(na == nb);
  for (const std::string& n : na) CHECK_MESSAGE(slurp(a / n) == slurp(b / n), n << " differs");
}

Run run(const std::vector<std::string>& args, const std::string& env) {
  RunOptions o;
  o.env = env;
  o.timeout_s = 300;
  return bitexact_with(args, o);
}

}  // namespace

TEST_CASE("determinism: tensor quantization, 1, 2 and 7 threads") {
  const std::vector<float> x = tensor(65537, 1);
  for (const char* spec : {"mxfp4", "nvfp4", "mxfp8_e4m3", "mxint8", "bfp<m=5>", "int4<group=64>",
                           "mxfp4<rht=64,seed=5>", "float8_e4m3fn"}) {
    for (const char* mode : {"rne", "sr"}) {
      same_for_all_thread_counts(std::string(spec) + " " + mode, [&](int t) {
        Env e;
        e.mode = parse_rounding(mode, &e.sr_bits);
        e.seed = 3;
        QuantizeStats st;
        const QuantizedTensor q = quantize(parse_scheme(spec), std::span<const float>(x), e, &st, t);
        std::vector<float> back(x.size());
        dequantize(parse_scheme(spec), q, std::span<float>(back), t);
        Hash h;
        h.vec(q.codes);
        h.vec(q.scale_codes);
        h.vec(q.zero_points);
        h.vec(back);
        h.bytes(&e.flags, sizeof e.flags);
        h.bytes(&st.clipped, sizeof st.clipped);
        return h.h;
      });
    }
  }
}

TEST_CASE("determinism: emulated GEMM (fast and reference paths, block-scaled inputs), 1, 2 and 7 threads") {
  const size_t M = 19, N = 23, K = 128;
  const Format& e4 = F("float8_e4m3fn");
  const GemmOperand a = gemm_operand(e4, codes(e4, M * K, 5), M, K, false);
  const GemmOperand b = gemm_operand(e4, codes(e4, K * N, 6), N, K, true);
  Env qe;
  const std::vector<float> xa = tensor(M * K, 7), xb = tensor(K * N, 8);
  const GemmOperand ma = gemm_operand(parse_scheme("mxfp8_e4m3"), xa, M, K, false, qe);
  const GemmOperand mb = gemm_operand(parse_scheme("mxfp8_e4m3"), xb, N, K, true, qe);
  for (const char* spec : {"h100-fp8<out=bfloat16,out_round=sr>", "v100-fp16", "fp32-seq<out=e5m2,out_round=sr:4>",
                           "exact<out=float16>"}) {
    const AccumModel m = parse_accum_model(spec);
    for (int path = 0; path < 3; ++path) {
      same_for_all_thread_counts(std::string(spec) + " path " + std::to_string(path), [&](int t) {
        std::vector<uint64_t> out(M * N);
        Env e;
        e.seed = 17;
        if (path == 0) gemm(m, a, b, {}, out, e, t);
        else if (path == 1) gemm_reference(m, a, b, {}, out, e, t);
        else gemm(parse_accum_model("exact<out=float32>"), ma, mb, {}, out, e, t);
        Hash h;
        h.vec(out);
        h.bytes(&e.flags, sizeof e.flags);
        return h.h;
      });
    }
  }
}

TEST_CASE("determinism: clocked mac and bit-serial arrays, 1, 2 and 7 threads") {
  const size_t M = 13, N = 11, K = 40;
  const hw::MacConfig mc = hw::parse_mac_config("lanes=4,act=e4m3,weight=e4m3,accum=v100-fp16,rows=4,cols=4,pipeline=2");
  hw::MacOperand a, b;
  a.scheme = mc.act;
  a.rows = M;
  a.k = K;
  a.codes = codes(mc.act.format, M * K, 9);
  b.scheme = mc.weight;
  b.rows = N;
  b.k = K;
  b.codes = codes(mc.weight.format, N * K, 10);
  same_for_all_thread_counts("mac array", [&](int t) {
    std::vector<uint64_t> out(M * N);
    Env e;
    const hw::MacGemmStats s = hw::run_gemm(mc, a, b, {}, out, e, t);
    Hash h;
    h.vec(out);
    h.bytes(&s.cycles, sizeof s.cycles);
    h.bytes(&e.flags, sizeof e.flags);
    return h.h;
  });
  const hw::BitSerialConfig bc =
      hw::parse_bitserial_config("act=float16,weight=int4,accum=exact<out=float8_e4m3fn,out_round=sr>,rows=3,cols=2");
  const std::vector<uint64_t> ba = codes(bc.act, M * K, 11), bb = codes(bc.weight, N * K, 12);
  same_for_all_thread_counts("bit-serial array", [&](int t) {
    std::vector<uint64_t> out(M * N);
    Env e;
    e.seed = 5;
    const hw::SerialGemmStats s = hw::run_gemm(bc, ba, bb, M, N, K, {}, out, e, t);
    Hash h;
    h.vec(out);
    h.bytes(&s.cycles, sizeof s.cycles);
    h.bytes(&e.flags, sizeof e.flags);
    return h.h;
  });
}

TEST_CASE("determinism: bitexact error, --threads 1, 2 and 7 and OMP_NUM_THREADS") {
  const fs::path d = scratch_dir();
  std::map<std::string, std::pair<std::string, std::string>> results;  // label -> (json, html)
  for (const std::string t : {"1", "2", "7"}) {
    for (const std::string how : {"--threads", "OMP_NUM_THREADS"}) {
      const fs::path html = d / ("e" + t + how + ".html");
      std::vector<std::string> args = {"error", "--dist", "normal", "--size", "100003", "--outliers", "0.001", "--scheme",
                                       "mxfp4,nvfp4,e4m3,mxfp4<rht=64,seed=5>,int4<group=64>", "--rounding", "sr",
                                       "--seed", "9", "--format", "json", "--html", html.string()};
      if (how == "--threads") args.insert(args.end(), {"--threads", t});
      const Run r = run(args, how == "--threads" ? "" : "OMP_NUM_THREADS=" + t);
      REQUIRE(r.rc == 0);
      results[how + t] = {r.out, slurp(html)};
    }
  }
  const auto& first = results.begin()->second;
  CHECK(!first.first.empty());
  for (const auto& [label, res] : results) {
    INFO(label);
    CHECK(res.first == first.first);
    CHECK(res.second == first.second);
  }
  fs::remove_all(d);
}

TEST_CASE("determinism: gen under 1, 2 and 7 threads, split into 1, 3 and 7 shards, merges to the same bytes") {
  const fs::path d = scratch_dir();
  const std::vector<std::string> gen = {"gen", "--format", "float8_e5m2", "--op", "mul", "--level", "exhaustive",
                                        "--rounding", "rne,sr", "--seed", "4"};
  auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  const fs::path ref = d / "ref";
  REQUIRE(run(with(gen, {"--out-dir", ref.string()}), "OMP_NUM_THREADS=1").rc == 0);
  CHECK(list_dir(ref).size() == 7);  // 2 modes x 3 encodings + manifest
  const std::pair<int, int> splits[] = {{1, 3}, {2, 7}, {7, 1}, {7, 3}};  // (threads, shards)
  for (const auto& [t, n] : splits) {
    const std::string env = "OMP_NUM_THREADS=" + std::to_string(t);
    const fs::path root = d / ("t" + std::to_string(t) + "n" + std::to_string(n));
    std::vector<std::string> merge = {"merge"};
    for (int k = n; k >= 1; --k) {
      const fs::path s = root / ("s" + std::to_string(k));
      REQUIRE(run(with(gen, {"--shard", std::to_string(k) + "/" + std::to_string(n), "--out-dir", s.string()}), env).rc ==
              0);
      merge.push_back(s.string());
    }
    merge.insert(merge.end(), {"--out-dir", (root / "merged").string()});
    REQUIRE(run(merge, env).rc == 0);
    INFO("threads " << t << ", shards " << n);
    same_folder(ref, root / "merged");
  }
  // The gemm-sized dot-product vectors too: a fused model with stochastic output rounding.
  const std::vector<std::string> dot = {"gen", "--format", "e4m3", "--op", "dot", "--k", "16", "--accum",
                                        "h100-fp8<out=bfloat16,out_round=sr>", "--count", "20000", "--seed", "2"};
  REQUIRE(run(with(dot, {"--out-dir", (d / "dot1").string()}), "OMP_NUM_THREADS=1").rc == 0);
  REQUIRE(run(with(dot, {"--out-dir", (d / "dot7").string()}), "OMP_NUM_THREADS=7").rc == 0);
  same_folder(d / "dot1", d / "dot7");
  fs::remove_all(d);
}

TEST_CASE("determinism: selfcheck rows for 1, 2 and 7 threads (timings aside)") {
  // The seconds column is wall time; every other field must be the same.
  auto rows = [](const std::string& csv) {
    std::istringstream in(csv);
    std::string line, r;
    while (std::getline(in, line)) {
      std::vector<std::string> f;
      std::string cell;
      std::istringstream ls(line);
      while (std::getline(ls, cell, ',')) f.push_back(cell);
      if (f.size() > 7) f.erase(f.begin() + 7);  // format,operation,mode,overflow,variant,cases,mismatches,seconds,...
      for (const auto& c : f) r += c + ",";
      r += "\n";
    }
    return r;
  };
  std::string first;
  for (int t : kThreads) {
    const Run r = run({"selfcheck", "--quick", "--formats", "e3m2,e2m1,int4", "--fma-random", "5000", "--detail",
                       "--format", "csv", "--threads", std::to_string(t)},
                      "");
    REQUIRE(r.rc == 0);
    const std::string got = rows(r.out);
    CHECK(got.size() > 1000);
    if (first.empty()) first = got;
    CHECK(got == first);
  }
}

TEST_CASE("determinism: hw sweeps under OMP_NUM_THREADS 1, 2 and 7") {
  std::string first;
  for (int t : kThreads) {
    const Run r = run({"hw", "--unit", "mac,bitserial,lut", "--formats", "int8:int2,fp16:int4", "--shape", "512x768x1024",
                       "--format", "json"},
                      "OMP_NUM_THREADS=" + std::to_string(t));
    REQUIRE(r.rc == 0);
    if (first.empty()) first = r.out;
    CHECK(r.out == first);
  }
}

TEST_CASE("determinism: explore under 1, 2 and 7 threads, and 2 shards merged") {
  const fs::path d = scratch_dir();
  std::ofstream(d / "tiny.toml") << "name = \"tiny\"\ntokens = 16\n[[layer]]\nname = \"up\"\nk = 128\nn = 32\n"
                                    "sample_m = 16\nact_dist = \"student-t:4\"\n[[layer]]\nname = \"down\"\nk = 64\n"
                                    "n = 16\nsample_m = 8\n";
  auto ex = [&](const fs::path& out, std::vector<std::string> more) {
    std::vector<std::string> a = {"explore", "-q", "--no-claims", "--workload", (d / "tiny.toml").string(), "--unit",
                                  "mac,bitserial", "--formats", "mxfp4:mxfp4,int8<group=tensor>:int4<group=128>",
                                  "--accum", "fp32-seq<out=float32,out_round=sr>", "--out-dir", out.string()};
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  for (int t : kThreads) REQUIRE(run(ex(d / ("t" + std::to_string(t)), {"--threads", std::to_string(t)}), "").rc == 0);
  same_folder(d / "t1", d / "t2");
  same_folder(d / "t1", d / "t7");
  for (const char* k : {"1", "2"})
    REQUIRE(run(ex(d / (std::string("s") + k), {"--threads", "7", "--shard", std::string(k) + "/2"}), "").rc == 0);
  REQUIRE(run({"merge", (d / "s2").string(), (d / "s1").string(), "--out-dir", (d / "merged").string()}, "").rc == 0);
  same_folder(d / "t1", d / "merged");
  fs::remove_all(d);
}
