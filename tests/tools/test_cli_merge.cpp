// `gen --shard K/N` and `bitexact merge`, run as subprocesses: the shards of a run merged in any
// order give exactly the bytes and manifest of the unsharded run; bad shard sets are refused with
// one line.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tests/tools/vectors_test_util.hpp"

namespace {

using namespace vec_test;
using cli_test::bitexact;
using cli_test::slurp;

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// gen ARGS unsharded and as N shards, merge the shards (given in reverse order) and compare.
void check_identity(const std::vector<std::string>& args, int n) {
  const fs::path root = cli_test::scratch_dir();
  const GenRun one = gen(args, root / "one");
  REQUIRE(one.run.rc == 0);
  std::vector<std::string> merge_args{"merge"};
  for (int k = n; k >= 1; --k) {
    const fs::path d = root / ("s" + std::to_string(k));
    const GenRun s = gen(with(args, {"--shard", std::to_string(k) + "/" + std::to_string(n)}), d);
    REQUIRE(s.run.rc == 0);
    CHECK(s.manifest["shard"]["index"] == k);
    merge_args.push_back(d.string());
  }
  merge_args.insert(merge_args.end(), {"--out-dir", (root / "merged").string()});
  const Run m = bitexact(merge_args);
  REQUIRE(m.rc == 0);
  CHECK(m.out == one.run.out);  // the same file table: names, lines, hashes
  CHECK(slurp(root / "merged" / "manifest.json") == one.file("manifest.json"));
  for (const auto& f : one.manifest["files"]) {
    const std::string name = f["name"];
    const std::string bytes = slurp(root / "merged" / name);
    CHECK(bytes == one.file(name));
    CHECK(f["sha256"] == sha256_independent(bytes));
  }
}

void check_input_error(const Run& r, const std::string& line) {
  CHECK(r.rc == 3);
  CHECK(r.out == "");
  CHECK(r.err == "bitexact: " + line + "\n");
}

}  // namespace

TEST_CASE("merge: 1 shard and N shards give the same bytes and manifest") {
  check_identity({"--format", "float16", "--op", "add", "--rounding", "rne,rtz", "--count", "1000", "--seed", "4"}, 3);
  check_identity({"--format", "e4m3", "--op", "mul", "--level", "exhaustive", "--encoding", "tv,jsonl"}, 4);
  // Stochastic rounding: the random bits are keyed by the global case index, not by the shard.
  check_identity({"--format", "float32", "--op", "convert", "--to", "e2m1", "--rounding", "sr,sr:4", "--count", "999"}, 7);
  check_identity({"--format", "float16", "--op", "fma", "--level", "sanity"}, 2);
  // More shards than cases: some shards are empty.
  check_identity({"--format", "e2m1", "--op", "sqrt", "--level", "exhaustive"}, 20);
}

TEST_CASE("merge: a shard verifies on its own (stochastic cases keep their global index)") {
  const fs::path root = cli_test::scratch_dir();
  const GenRun s = gen({"--format", "bf16", "--op", "mul", "--rounding", "sr:3", "--count", "900", "--shard", "2/3"},
                       root / "s2");
  REQUIRE(s.run.rc == 0);
  CHECK(s.manifest["shard"]["first_case"] == 300);
  CHECK(s.manifest["shard"]["cases"] == 300);
  const Run v = bitexact({"verify", "--manifest", (root / "s2" / "manifest.json").string()});
  CHECK(v.rc == 0);
  CHECK(v.out.find("total: 900 passed, 0 failed") != std::string::npos);
}

TEST_CASE("merge: mismatched, missing, duplicate and changed shards are refused") {
  const fs::path root = cli_test::scratch_dir();
  const std::vector<std::string> base{"--format", "float16", "--op", "mul", "--count", "300"};
  for (int k = 1; k <= 3; ++k) REQUIRE(gen(with(base, {"--shard", std::to_string(k) + "/3"}), root / ("s" + std::to_string(k))).run.rc == 0);
  REQUIRE(gen(with(base, {"--shard", "3/3", "--seed", "2"}), root / "seed2").run.rc == 0);
  REQUIRE(gen(with(base, {"--shard", "2/4"}), root / "four").run.rc == 0);
  const std::string s1 = (root / "s1").string(), s2 = (root / "s2").string(), s3 = (root / "s3").string();
  const std::string out = (root / "out").string();

  check_input_error(bitexact({"merge", s1, s2, (root / "seed2").string(), "--out-dir", out}),
                    "merge: " + (root / "seed2").string() + " is not a shard of the same run as " + s1 + " (seed 1 vs 2)");
  check_input_error(bitexact({"merge", s1, s2, "--out-dir", out}), "merge: shard 3/3 is missing");
  check_input_error(bitexact({"merge", s1, s2, s2, s3, "--out-dir", out}),
                    "merge: shard 2/3 is given twice (" + s2 + " and " + s2 + ")");
  check_input_error(bitexact({"merge", s1, (root / "four").string(), "--out-dir", out}),
                    "merge: " + (root / "four").string() + " is shard 2/4, but " + s1 + " is shard 1/3");
  check_input_error(bitexact({"merge", s1, (root / "nowhere").string(), "--out-dir", out}),
                    "merge: " + (root / "nowhere" / "manifest.json").string() + ": cannot open for reading");
  check_input_error(bitexact({"merge", s1, s2, s3, "--out-dir", s2}), "merge: --out-dir " + s2 + " is one of the shard folders");
  {
    std::ofstream f(root / "s2" / "float16_mul_rne.txt", std::ios::app);
    f << "0000 0000 0000 00\n";
  }
  check_input_error(bitexact({"merge", s1, s2, s3, "--out-dir", out}),
                    "merge: " + (root / "s2" / "float16_mul_rne.txt").string() +
                        ": SHA-256 differs from its manifest (changed after gen?)");
  CHECK(!fs::exists(root / "out" / "manifest.json"));
}

TEST_CASE("gen: the same bytes for 1 and 3 threads (chunks are formatted in parallel, written in order)") {
  const std::vector<std::string> args{"--format", "bf16", "--op", "fma", "--rounding", "rne,sr:5", "--count", "20000"};
  const fs::path root = cli_test::scratch_dir();
  setenv("OMP_NUM_THREADS", "1", 1);
  const GenRun one = gen(args, root / "t1");
  setenv("OMP_NUM_THREADS", "3", 1);
  const GenRun three = gen(args, root / "t3");
  unsetenv("OMP_NUM_THREADS");
  REQUIRE(one.run.rc == 0);
  REQUIRE(three.run.rc == 0);
  CHECK(one.file("manifest.json") == three.file("manifest.json"));
  for (const auto& f : one.manifest["files"]) CHECK(one.file(f["name"]) == three.file(f["name"]));
}
