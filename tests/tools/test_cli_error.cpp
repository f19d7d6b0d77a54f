// `bitexact error`, run as a subprocess: exact rows, JSON structure, .npy inputs with hand-worked
// errors, the HTML report, determinism across thread counts, and every bad input's one line and
// exit code.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emu/tensor/npy.hpp"
#include "tests/tools/cli_run.hpp"

namespace {

using cli_test::Run;
using cli_test::scratch_dir;
using cli_test::slurp;
namespace fs = std::filesystem;

// (cli_test::bitexact would clash with namespace bitexact from the npy header.)
Run run_cli(const std::vector<std::string>& args) { return cli_test::bitexact(args); }

void write_bytes(const fs::path& p, const std::vector<uint8_t>& b) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

// A usage or input error: exit code, no stdout, exactly this one line on stderr.
void check_error(const Run& r, int rc, const std::string& line) {
  CHECK(r.rc == rc);
  CHECK(r.out == "");
  CHECK(r.err == line + "\n");
}

}  // namespace

TEST_CASE("error: table rows for a seeded normal tensor") {
  const Run r = run_cli({"error", "--dist", "normal", "-n", "1000", "--seed", "1", "--scheme", "e4m3,mxfp4", "-s", "nvfp4"});
  CHECK(r.rc == 0);
  CHECK(r.err == "");
  CHECK(r.out ==
        "input   scheme         family  bits  sqnr_db     rmse  max_abs  max_rel       bias  clip_rate  flush_rate  "
        "block  block_sqnr_min  block_sqnr_median\n"
        "normal  float8_e4m3fn  float      8    31.76  0.02513   0.1228   0.4016  -5.77e-05          0           0  "
        "    -               -                  -\n"
        "normal  mxfp4          mx      4.25    18.86    0.111   0.4787        1     0.0028      0.041       0.087  "
        "   32            15.3              19.05\n"
        "normal  nvfp4          nvfp4    4.5    20.46  0.09236   0.4091        1    0.00126      0.037       0.075  "
        "   16           17.74               20.6\n");
}

TEST_CASE("error: CSV header and JSON document") {
  const Run c = run_cli({"error", "--dist", "laplace", "-n", "500", "--scheme", "e5m2", "-f", "csv"});
  CHECK(c.rc == 0);
  const std::string header = c.out.substr(0, c.out.find('\n'));
  CHECK(header ==
        "input,scheme,family,bits,sqnr_db,mse,rmse,max_abs,max_rel,bias,clip_rate,flush_rate,block,block_sqnr_min,"
        "block_sqnr_median,block_max_abs,count,overflowed");
  CHECK(c.out.find("\nlaplace,float8_e5m2,float,8,") != std::string::npos);

  const Run j = run_cli({"error", "--dist", "student-t:3", "--outliers", "0.01", "--outlier-factor", "20", "-n",
                          "4096", "--seed", "5", "--scheme", "mxfp4,nvfp4<rht=16>", "-f", "json"});
  REQUIRE(j.rc == 0);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["schema_version"] == 1);
  CHECK(doc["context"]["seed"] == 5);
  CHECK(doc["context"]["rounding"] == "rne");
  CHECK(doc["context"]["inputs"][0]["distribution"] == "student-t:3");
  CHECK(doc["context"]["inputs"][0]["outlier_fraction"] == 0.01);
  REQUIRE(doc["results"].size() == 2);
  for (const auto& row : doc["results"]) {
    CHECK(row["input"] == "student-t:3 +outliers 0.01x20");
    CHECK(row["count"] == 4096);
    // The histogram accounts for every element.
    uint64_t total = row["histogram"]["exact"].get<uint64_t>() + row["histogram"]["nonfinite"].get<uint64_t>();
    for (const auto& b : row["histogram"]["bins"]) total += b.get<uint64_t>();
    CHECK(total == 4096);
    CHECK(row["sqnr_db"].is_number());
    CHECK(row["mse"].get<double>() == doctest::Approx(row["rmse"].get<double>() * row["rmse"].get<double>()));
  }
  CHECK(doc["results"][0]["block"] == 32);
  CHECK(doc["results"][1]["scheme"] == "nvfp4<rht=16,seed=0>");
  CHECK(doc["results"][1]["bits"] == 4.5);  // 4 + 8/16 (the per-tensor FP32 scale is not counted)
}

TEST_CASE("error: .npy inputs with hand-worked errors") {
  const fs::path d = scratch_dir();
  // float32 values 1.5, 0.3, -2, 400 into E4M3 (RNE): 1.5 and -2 exact, float32(0.3) -> 0.3125,
  // 400 -> 384 (a tie between 384 = 1.100b x 2^8 and 416 = 1.101b x 2^8; the even one wins).
  const std::vector<double> v{1.5, 0.3, -2, 400};
  bitexact::write_npy((d / "w.npy").string(), bitexact::npy_from_doubles(v, {2, 2}, bitexact::NpyType::F4));
  const Run r = run_cli({"error", "--input", (d / "w.npy").string(), "--scheme", "e4m3", "-f", "json"});
  REQUIRE(r.rc == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["context"]["inputs"][0]["dtype"] == "float32");
  CHECK(doc["context"]["inputs"][0]["shape"] == nlohmann::json::array({2, 2}));
  const auto& row = doc["results"][0];
  CHECK(row["max_abs"] == 16.0);
  CHECK(row["max_rel"].get<double>() == (0.3125 - double(0.3f)) / double(0.3f));
  const double e03 = 0.3125 - double(0.3f);
  CHECK(row["mse"].get<double>() == doctest::Approx((e03 * e03 + 256) / 4).epsilon(1e-15));
  CHECK(row["bias"].get<double>() == doctest::Approx((e03 - 16) / 4).epsilon(1e-15));
  CHECK(row["histogram"]["exact"] == 2);
  CHECK(row["histogram"]["min_exp"] == -7);  // e03 = 0.01249998...: 2^-7 <= e03 < 2^-6
  CHECK(row["histogram"]["bins"] == nlohmann::json::array({1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));  // 16 = 2^4

  // 1000 is beyond E4M3's 448: NaN under the OCP default (overflow ieee), 448 with --overflow saturate.
  const std::vector<double> big{1, 1000};
  bitexact::write_npy((d / "big.npy").string(), bitexact::npy_from_doubles(big, {2}));
  const auto nan = nlohmann::json::parse(run_cli({"error", "-i", (d / "big.npy").string(), "-s", "e4m3", "-f", "json"}).out);
  CHECK(nan["results"][0]["overflowed"] == 1);
  CHECK(nan["results"][0]["sqnr_db"] == "-inf");
  CHECK(nan["results"][0]["max_abs"] == "inf");
  const auto sat = nlohmann::json::parse(
      run_cli({"error", "-i", (d / "big.npy").string(), "-s", "e4m3", "--overflow", "saturate", "-f", "json"}).out);
  CHECK(sat["results"][0]["overflowed"] == 0);
  CHECK(sat["results"][0]["max_abs"] == 552.0);
  CHECK(sat["results"][0]["clip_rate"] == 0.5);

  // Two inputs: rows for each; an integer .npy is read as values.
  const std::vector<uint64_t> codes{1, 2, 3, 250};
  bitexact::write_npy((d / "i.npy").string(), bitexact::npy_from_codes(codes, {4}, bitexact::NpyType::U1));
  const Run two = run_cli({"error", "-i", (d / "w.npy").string(), "-i", (d / "i.npy").string(), "-s", "e4m3", "-f", "csv"});
  CHECK(two.rc == 0);
  CHECK(std::count(two.out.begin(), two.out.end(), '\n') == 3);
  CHECK(two.out.find("i.npy,float8_e4m3fn,float,8,") != std::string::npos);
  fs::remove_all(d);
}

TEST_CASE("error: HTML report is self-contained and deterministic, results do not depend on threads") {
  const fs::path d = scratch_dir();
  const std::vector<std::string> args{"error", "--dist", "normal", "--dist", "student-t:3", "-n", "2048", "--scheme",
                                      "e4m3,e5m2,mxfp4,nvfp4,float64", "--out", (d / "rows.txt").string()};
  std::vector<std::string> a1 = args, a2 = args;
  a1.insert(a1.end(), {"--html", (d / "a.html").string(), "-j", "1"});
  a2.insert(a2.end(), {"--html", (d / "b.html").string(), "-j", "2"});
  const Run r1 = run_cli(a1);
  CHECK(r1.rc == 0);
  CHECK(r1.out == "");  // rows went to --out
  const std::string rows1 = slurp(d / "rows.txt");
  const Run r2 = run_cli(a2);
  CHECK(r2.rc == 0);
  CHECK(slurp(d / "rows.txt") == rows1);
  const std::string h = slurp(d / "a.html");
  CHECK(h == slurp(d / "b.html"));
  CHECK(h.rfind("<!DOCTYPE html>\n", 0) == 0);
  CHECK(h.find("<svg") != std::string::npos);
  CHECK(h.find("<script") == std::string::npos);
  CHECK(h.find("http://") == h.find("http://www.w3.org/2000/svg"));  // only the SVG namespace
  CHECK(h.find("SQNR against bits per value") != std::string::npos);
  CHECK(h.find("not drawn: float64 (inf dB)") != std::string::npos);  // float64 is exact
  CHECK(h.find("student-t:3") != std::string::npos);
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(d)) ++files;
  CHECK(files == 3);  // no temporaries left
  fs::remove_all(d);
}

TEST_CASE("error: bad inputs give one line, an exit code and no output") {
  const fs::path d = scratch_dir();
  check_error(run_cli({"error", "--input", (d / "missing.npy").string(), "--scheme", "e4m3"}), 3,
              "bitexact: --input: " + (d / "missing.npy").string() + ": cannot open: No such file or directory");

  // A float32 file cut one byte short.
  std::vector<uint8_t> b = bitexact::npy_bytes(bitexact::npy_from_doubles(std::vector<double>{1, 2}, {2}, bitexact::NpyType::F4));
  b.pop_back();
  write_bytes(d / "cut.npy", b);
  check_error(run_cli({"error", "--input", (d / "cut.npy").string(), "--scheme", "e4m3"}), 3,
              "bitexact: --input: " + (d / "cut.npy").string() +
                  ": byte offset 135: truncated data: shape (2,) of float32 needs 8 bytes from byte offset 128, the "
                  "file has 7");
  write_bytes(d / "text.npy", {'h', 'e', 'l', 'l', 'o'});
  check_error(run_cli({"error", "--input", (d / "text.npy").string(), "--scheme", "e4m3"}), 3,
              "bitexact: --input: " + (d / "text.npy").string() +
                  ": byte offset 0: bad magic string (a .npy file starts with \\x93NUMPY)");

  check_error(run_cli({"error", "--dist", "normal", "--scheme", "e4m3,nosuch"}), 2,
              "bitexact: --scheme: bad format spec: unknown format 'nosuch' (see 'bitexact formats list') (at "
              "character 1 of 'nosuch')");
  check_error(run_cli({"error", "--dist", "normal", "--scheme", "mxfp4<block=0>"}), 2,
              "bitexact: --scheme: bad scheme spec: '0' is out of range 1..1048576 (at character 13 of "
              "'mxfp4<block=0>')");
  // A codebook file named inside a scheme is bad input (exit 3), as under --to.
  const std::string absent = (d / "absent.txt").string();
  check_error(run_cli({"error", "--dist", "normal", "--scheme", "absmax<elem=codebook<file=" + absent + ">>"}), 3,
              "bitexact: --scheme: bad scheme spec: 'elem': " + absent + ": cannot read the codebook file (at character "
              "13 of 'absmax<elem=codebook<file=" + absent + ">>')");
  check_error(run_cli({"error", "--dist", "normal", "--scheme", "codebook<file=" + absent + ">"}), 3,
              "bitexact: --scheme: " + absent + ": cannot read the codebook file");
  // Options of the synthetic inputs without --dist (or the factor without --outliers) are refused, not ignored.
  check_error(run_cli({"error", "--input", (d / "cut.npy").string(), "--scheme", "e4m3", "--size", "10"}), 2,
              "bitexact: --size requires --dist (see 'bitexact error --help')");
  check_error(run_cli({"error", "--dist", "normal", "--scheme", "e4m3", "--outlier-factor", "5"}), 2,
              "bitexact: --outlier-factor requires --outliers (see 'bitexact error --help')");
  check_error(run_cli({"error", "--dist", "cauchy", "--scheme", "e4m3"}), 2,
              "bitexact: --dist: bad distribution: unknown distribution 'cauchy' (expected normal, laplace, "
              "student-t:NU, uniform or lognormal) (at character 1 of 'cauchy')");
  check_error(run_cli({"error", "--dist", "student-t", "--scheme", "e4m3"}), 2,
              "bitexact: --dist: bad distribution: student-t needs its degrees of freedom: student-t:NU (e.g. "
              "student-t:3) (at character 10 of 'student-t')");
  check_error(run_cli({"error", "--scheme", "e4m3"}), 2,
              "bitexact: error: no input; give --dist NAME (e.g. --dist normal) or --input FILE.npy (see 'bitexact "
              "error --help')");
  check_error(run_cli({"error", "--dist", "normal"}), 2,
              "bitexact: error: no scheme; give --scheme LIST (e.g. --scheme mxfp4,nvfp4,e4m3)");
  check_error(run_cli({"error", "--dist", "normal", "--scheme", "e4m3,,e5m2"}), 2,
              "bitexact: --scheme: empty entry in the list");
  check_error(run_cli({"error", "--dist", "normal", "--scheme", "e4m3", "-n", "0"}), 2,
              "bitexact: --size: 0 is out of range (1 .. 2147483648)");
  check_error(run_cli({"error", "--dist", "normal", "--scheme", "e4m3", "--outliers", "1.5"}), 2,
              "bitexact: --outliers: 1.5 is not a fraction between 0 and 1");
  check_error(run_cli({"error", "--dist", "normal", "--scheme", "e4m3", "--random-bits", "1,2"}), 2,
              "bitexact: error: --random-bits is not supported here; stochastic rounding uses --seed and the element "
              "index");
  check_error(run_cli({"error", "--dist", "normal", "--scheme", "e4m3", "-f", "xml"}), 2,
              "bitexact: unknown output format 'xml' (expected table, csv, json or jsonl)");
  check_error(run_cli({"error", "--dist", "normal", "--scheme", "e4m3", "--rounding", "up"}), 2,
              "bitexact: unknown rounding mode 'up' (expected rne, rna, rtz, rup, rdn, rod, sr or sr:R)");
  // An unwritable --html: exit 3, and nothing on stdout either (the rows are not printed).
  check_error(run_cli({"error", "--dist", "normal", "--scheme", "e4m3", "--html", (d / "no/such/dir.html").string()}), 3,
              "bitexact: --html: " + (d / "no/such/dir.html").string() + ": cannot open for writing: No such file or "
                                                                          "directory");
  fs::remove_all(d);
}

TEST_CASE("error: --help teaches") {
  const Run r = run_cli({"error", "--help"});
  CHECK(r.rc == 0);
  CHECK(r.out.find("Examples:") != std::string::npos);
  CHECK(r.out.find("--dist") != std::string::npos);
  CHECK(r.out.find("student-t:NU") != std::string::npos);
  CHECK(r.out.find("mxfp4") != std::string::npos);
  CHECK(run_cli({"--help"}).out.find("error") != std::string::npos);
}
