// The bad-input table: for every subcommand, malformed and hostile inputs (empty input, truncated
// lines, huge numbers, wrong widths, NaN / Inf where not allowed, unknown formats, binary junk, a
// 1 MB line, nonexistent and unwritable paths, a .npy whose header lies) each give ONE line on
// stderr starting "bitexact: " and naming the input (and its position where it has one), the
// documented exit code (2 usage, 3 input or I/O), and never a crash, a hang (every run has a time
// limit), a sanitizer report or a file at the output path (nor a leftover temporary file).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/tools/cli_run.hpp"

namespace {

using namespace cli_test;
namespace fs = std::filesystem;

struct Case {
  std::string what;
  std::vector<std::string> args;
  int rc;
  std::vector<std::string> says;  // substrings of the error line: the input's name, its position
  std::string in = {};            // stdin
  std::vector<fs::path> no_file = {};  // output paths that must not exist afterwards
};

// A scratch folder with the hostile inputs the cases read.
struct Inputs {
  fs::path dir = scratch_dir();
  std::string megabyte_line = std::string(1 << 20, '1');
  // One argument is at most MAX_ARG_STRLEN (128 KiB) on Linux: arguments get 100,000 characters.
  std::string long_arg = std::string(100000, '1');
  std::string junk;

  Inputs() {
    for (int i = 0; i < 4096; ++i) junk += char((i * 7919 + 13) & 0xFF);  // binary: NULs, 0xFF, newlines
    write("empty.txt", "");
    write("junk.bin", junk);
    write("long.txt", megabyte_line + "\n");
    fs::create_directories(dir / "out");
    fs::create_directories(dir / "emptydir");
  }
  ~Inputs() { fs::remove_all(dir); }
  fs::path write(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir / name, std::ios::binary) << bytes;
    return dir / name;
  }
  std::string p(const std::string& name) const { return (dir / name).string(); }
};

size_t lines(const std::string& s) { return size_t(std::count(s.begin(), s.end(), '\n')); }

void check(const Inputs& in, const Case& c) {
  INFO("case: " << c.what);
  RunOptions o;
  o.in = c.in;
  o.timeout_s = 60;
  const Run r = bitexact_with(c.args, o);
  CHECK(r.rc == c.rc);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.rfind("bitexact: ", 0) == 0);
  CHECK(r.err.size() < 1200);
  INFO("stderr: " << r.err.substr(0, 400));
  for (const std::string& s : c.says) CHECK_MESSAGE(r.err.find(s) != std::string::npos, "missing '" << s << "'");
  for (const fs::path& p : c.no_file) CHECK_MESSAGE(!fs::exists(p), p.string() << " exists");
  // No temporary file is left behind anywhere under the scratch folder.
  for (const auto& e : fs::recursive_directory_iterator(in.dir))
    CHECK_MESSAGE(e.path().filename().string().find(".tmp") == std::string::npos, e.path().string() << " left over");
}

// A minimal .npy (version 1.0) with the given header dict and data bytes.
std::string npy(const std::string& dict, const std::string& data) {
  std::string h = dict;
  while ((10 + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  std::string r = "\x93NUMPY\x01";
  r += '\0';
  r += char(h.size() & 0xFF);
  r += char(h.size() >> 8);
  return r + h + data;
}

}  // namespace

TEST_CASE("bad input: formats, convert, calc and the global options") {
  const Inputs in;
  const std::string out = in.p("out/result.csv");
  const std::vector<Case> cases = {
      {"formats show: unknown format", {"formats", "show", "nosuchformat"}, 2, {"nosuchformat"}},
      {"formats show: spec with huge numbers", {"formats", "show", "float<e=99999999999999999999,m=3>"}, 2, {"character"}},
      {"formats show: 100 kB spec", {"formats", "show", "e4m3" + in.long_arg}, 2, {"bitexact: "}},
      {"formats list: unknown --format", {"formats", "list", "--format", "xml"}, 2, {"xml"}},
      {"--catalog: empty file", {"--catalog", in.p("empty.txt"), "formats", "list"}, 3, {"--catalog", "empty.txt"}},
      {"--catalog: binary junk", {"--catalog", in.p("junk.bin"), "formats", "list"}, 3, {"--catalog", "junk.bin"}},
      {"--catalog: nonexistent", {"--catalog", in.p("nope.toml"), "formats", "list"}, 3, {"--catalog", "nope.toml"}},
      {"--out: folder does not exist", {"--out", in.p("nodir/x.csv"), "formats", "list"}, 3, {"--out", "nodir/x.csv"},
       "", {in.dir / "nodir"}},
      {"--out: parent is a file", {"--out", in.p("empty.txt/x.csv"), "formats", "list"}, 3, {"--out", "empty.txt/x.csv"}},
      {"--out: target is a folder", {"--out", in.p("emptydir"), "formats", "list"}, 3, {"--out", "emptydir"}},

      {"convert: unknown format", {"convert", "--to", "float9_e9m9", "1"}, 2, {"--to", "float9_e9m9"}},
      {"convert: huge --seed", {"convert", "--to", "e4m3", "--seed", "184467440737095516160", "1"}, 2, {"--seed"}},
      {"convert: code wider than the format", {"convert", "--to", "e4m3", "--from", "e4m3", "0x1ff"}, 3, {"argument 1"}},
      {"convert: 100 kB value", {"convert", "--to", "e4m3", "1" + in.long_arg + "x"}, 3,
       {"argument 1", "at character 100002 of a 100002-character input"}},
      {"convert: binary junk on stdin", {"convert", "--to", "e4m3"}, 3, {"stdin line 1"}, in.junk},
      {"convert: 1 MB line on stdin", {"convert", "--to", "e4m3"}, 3, {"stdin line 2", "character 1048577"},
       "1\n" + in.megabyte_line + "z\n"},
      {"convert: truncated hex float", {"convert", "--to", "e4m3", "0x1.8p"}, 3, {"argument 1", "0x1.8p"}},
      {"convert: bad line after good ones, --out file", {"--out", out, "convert", "--to", "e5m2"}, 3, {"stdin line 3"},
       "1\n2\nabc\n", {out}},
      {"convert: unknown rounding", {"convert", "--to", "e4m3", "-r", "nearestish", "1"}, 2, {"nearestish"}},

      {"calc: unknown operation", {"calc", "frob", "1", "2", "--format", "e4m3"}, 2, {"frob"}},
      {"calc: too few operands", {"calc", "mul", "1", "--format", "e4m3"}, 2, {"operand"}},
      {"calc: code wider than the format", {"calc", "add", "0x1ff", "1", "--format", "e4m3"}, 3, {"operand 1"}},
      {"calc: Inf as a code", {"calc", "add", "0xinf", "1", "--format", "e4m3"}, 3, {"operand 1"}},
      {"calc --bulk: truncated line", {"calc", "add", "--bulk", "--format", "e4m3"}, 3, {"stdin line 2"}, "38 38\n38\n"},
      {"calc --bulk: binary junk", {"calc", "add", "--bulk", "--format", "e4m3"}, 3, {"stdin line"}, in.junk},
      {"calc --bulk: 1 MB line", {"calc", "add", "--bulk", "--format", "e4m3"}, 3, {"stdin line 1"},
       in.megabyte_line + "\n"},
      {"calc --bulk: field wider than the format", {"calc", "add", "--bulk", "--format", "e4m3"}, 3, {"stdin line 1"},
       "1ff 38\n"},
      {"calc --bulk: bad line, --out file", {"--out", out, "calc", "add", "--bulk", "--format", "e4m3"}, 3,
       {"stdin line 2"}, "38 38\nzz 38\n", {out}},
  };
  for (const Case& c : cases) check(in, c);
}

TEST_CASE("bad input: selfcheck, dot and hw") {
  const Inputs in;
  const std::string out = in.p("out/result.csv");
  fs::create_directories(in.dir / "tech");
  in.write("tech/bad.toml", "[[[ not toml");
  const std::vector<Case> cases = {
      {"selfcheck: unknown format", {"selfcheck", "--formats", "nosuch"}, 2, {"nosuch"}},
      {"selfcheck: too wide", {"selfcheck", "--formats", "float32"}, 2, {"float32"}},
      {"selfcheck: huge --fma-random", {"selfcheck", "--fma-random", "99999999999999999999999"}, 2, {"--fma-random"}},
      {"selfcheck: threads 0", {"selfcheck", "-j", "0"}, 2, {"--threads"}},
      {"error: 100000 threads", {"error", "--dist", "normal", "--threads", "100000"}, 2, {"--threads"}},
      {"selfcheck: --out in a missing folder", {"--out", in.p("nodir/s.csv"), "selfcheck", "--quick", "--formats", "e2m1"},
       3, {"--out", "nodir"}},

      {"dot: unknown format", {"dot", "--a-format", "nosuch", "--b-format", "e4m3", "--a", "1", "--b", "1"}, 2, {"nosuch"}},
      {"dot: lengths differ", {"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--a", "1,2", "--b", "1"}, 2, {"--a"}},
      {"dot: bad accumulation model", {"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--accum", "h100-fp8<k=x>",
                                       "--a", "1", "--b", "1"}, 2, {"--accum"}},
      {"dot: junk value", {"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--a", "1,\x01\xff", "--b", "1,2"}, 3,
       {"--a item 2"}},
      {"dot: code wider than the format", {"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--a", "0x1ff", "--b", "1"}, 3,
       {"--a item 1"}},
      {"dot: 100 kB value list", {"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--a", in.long_arg + "z", "--b", "1"}, 3,
       {"--a item 1"}},
      {"dot: two addends", {"dot", "--a-format", "e4m3", "--b-format", "e4m3", "--a", "1", "--b", "1", "--c", "1,2"}, 2,
       {"--c"}},

      {"hw: unknown format", {"hw", "--formats", "nosuch"}, 2, {"nosuch"}},
      {"hw: huge shape", {"hw", "--shape", "99999999999999999999999x2x2"}, 2, {"--shape"}},
      {"hw: zero shape", {"hw", "--shape", "0x0x0"}, 2, {"--shape"}},
      {"hw: NaN clock", {"hw", "--clock", "nan"}, 2, {"--clock"}},
      {"hw: infinite clock", {"hw", "--clock", "inf"}, 2, {"--clock"}},
      {"hw: NaN tokens", {"hw", "--layers", "llama2-7b", "--tokens", "nan"}, 2, {"--tokens"}},
      {"hw: unknown node", {"hw", "--node", "3"}, 2, {"--node"}},
      {"hw: malformed tech table", {"hw", "--tech", in.p("tech")}, 3, {"tech/bad.toml: line 1"}},
      {"hw: --tech folder missing", {"hw", "--tech", in.p("notech")}, 3, {"notech"}},
      {"hw: --html in a missing folder", {"hw", "--html", in.p("nodir/hw.html")}, 3, {"--html", "nodir"}},
      {"hw: --accelergy is a file", {"hw", "--accelergy", in.p("empty.txt")}, 3, {"--accelergy"}},
      {"hw: --out unwritable, nothing written", {"--out", in.p("empty.txt/hw.csv"), "hw", "--html", in.p("out/hw.html")}, 3,
       {"--out"}, "", {in.dir / "out/hw.html"}},
  };
  for (const Case& c : cases) check(in, c);
}

TEST_CASE("bad input: error and .npy files that lie") {
  const Inputs in;
  const std::string html = in.p("out/e.html"), out = in.p("out/e.csv");
  const std::string f4 = std::string(16, '\0');  // four float32 zeros
  in.write("short.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000,), }", f4));
  in.write("huge.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", f4));
  in.write("negative.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-4,), }", f4));
  in.write("badtype.npy", npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", f4));
  in.write("nodict.npy", npy("{'descr': '<f4', 'shape': (4,)", f4));
  in.write("hugelen.npy", std::string("\x93NUMPY\x01\x00\xff\xff", 10) + "{'descr'");
  in.write("truncated.npy", std::string("\x93NUM", 4));
  std::string nan_data(16, '\0');
  nan_data[3] = '\x7f';
  nan_data[2] = '\xc0';  // 0x7fc00000: a NaN element
  in.write("nan.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", nan_data));
  const std::vector<std::string> base = {"error", "--scheme", "e4m3", "--html", html};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> a = {"--out", out};
    a.insert(a.end(), base.begin(), base.end());
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  const std::vector<fs::path> none = {html, out};
  const std::vector<Case> cases = {
      {"error: empty .npy", with({"--input", in.p("empty.txt")}), 3, {"empty.txt"}, "", none},
      {"error: binary junk as .npy", with({"--input", in.p("junk.bin")}), 3, {"junk.bin"}, "", none},
      {"error: 1 MB text as .npy", with({"--input", in.p("long.txt")}), 3, {"long.txt"}, "", none},
      {"error: nonexistent .npy", with({"--input", in.p("nope.npy")}), 3, {"nope.npy"}, "", none},
      {"error: header shape larger than the data", with({"--input", in.p("short.npy")}), 3, {"short.npy"}, "", none},
      {"error: header shape overflows", with({"--input", in.p("huge.npy")}), 3, {"huge.npy"}, "", none},
      {"error: negative shape", with({"--input", in.p("negative.npy")}), 3, {"negative.npy"}, "", none},
      {"error: unsupported dtype", with({"--input", in.p("badtype.npy")}), 3, {"badtype.npy"}, "", none},
      {"error: header dict cut short", with({"--input", in.p("nodict.npy")}), 3, {"nodict.npy"}, "", none},
      {"error: header length past the end", with({"--input", in.p("hugelen.npy")}), 3, {"hugelen.npy"}, "", none},
      {"error: truncated magic", with({"--input", in.p("truncated.npy")}), 3, {"truncated.npy"}, "", none},
      {"error: unknown scheme", with({"--scheme", "mxfp9"}), 2, {"mxfp9"}, "", none},
      {"error: unknown distribution", with({"--dist", "cauchyish"}), 2, {"cauchyish"}, "", none},
      {"error: huge --size", with({"--size", "99999999999999999999999"}), 2, {"--size"}, "", none},
      {"error: NaN --scale", with({"--scale", "nan"}), 2, {"--scale"}, "", none},
      {"error: infinite --scale", with({"--scale", "inf"}), 2, {"--scale"}, "", none},
      {"error: NaN --outliers", with({"--dist", "normal", "--outliers", "nan"}), 2, {"--outliers"}, "", none},
      {"error: infinite --outlier-factor", with({"--dist", "normal", "--outliers", "0.01", "--outlier-factor", "inf"}), 2,
       {"--outlier-factor"}, "", none},
      {"error: --out unwritable leaves no --html", {"--out", in.p("empty.txt/e.csv"), "error", "--dist", "normal",
                                                   "--scheme", "e4m3", "--html", html}, 3, {"--out"}, "", {html}},
      {"error: --html in a missing folder", {"--out", out, "error", "--dist", "normal", "--scheme", "e4m3", "--html", in.p("nodir/e.html")}, 3,
       {"--html", "nodir"}, "", {out}},
  };
  for (const Case& c : cases) check(in, c);
}

TEST_CASE("bad input: gen, verify and merge") {
  const Inputs in;
  const std::string vdir = in.p("out/vec");
  in.write("trunc.tv", "38_38_40_00\n38_38\n");
  in.write("trunc.txt", "38 38 40 00\n38 38\n");
  in.write("wide.txt", "38 38 40 00\n1ff 38 40 00\n");
  in.write("ops_junk.txt", in.junk);
  fs::create_directories(in.dir / "manifest_junk");
  in.write("manifest_junk/manifest.json", in.junk);
  fs::create_directories(in.dir / "manifest_lies");
  in.write("manifest_lies/manifest.json", "{\"schema_version\": 1, \"files\": 7}");
  const std::vector<std::string> v = {"verify", "--format", "e4m3", "--op", "add", "--rounding", "rne"};
  auto verify = [&](const std::string& file) {
    std::vector<std::string> a = v;
    a.push_back(file);
    return a;
  };
  const std::vector<Case> cases = {
      {"gen: unknown format", {"gen", "--format", "nosuch", "--op", "add", "--out-dir", vdir}, 2, {"nosuch"}, "", {vdir}},
      {"gen: unknown operation", {"gen", "--format", "e4m3", "--op", "frob", "--out-dir", vdir}, 2, {"frob"}, "", {vdir}},
      {"gen: shard index past the count", {"gen", "--format", "e4m3", "--op", "add", "--shard", "3/2", "--out-dir", vdir},
       2, {"--shard"}, "", {vdir}},
      {"gen: shard count 0", {"gen", "--format", "e4m3", "--op", "add", "--shard", "0/0", "--out-dir", vdir}, 2,
       {"--shard"}, "", {vdir}},
      {"gen: huge --count", {"gen", "--format", "e4m3", "--op", "add", "--count", "99999999999999999999999", "--out-dir",
                             vdir}, 2, {"--count"}, "", {vdir}},
      {"gen: exhaustive float32 pairs", {"gen", "--format", "float32", "--op", "add", "--level", "exhaustive", "--out-dir",
                                         vdir}, 2, {"exhaustive"}, "", {vdir}},
      {"gen: operands file of binary junk", {"gen", "--format", "e4m3", "--op", "add", "--operands", in.p("ops_junk.txt"),
                                             "--out-dir", vdir}, 3, {"ops_junk.txt:"}, "", {vdir}},
      {"gen: operands file with a 1 MB line", {"gen", "--format", "e4m3", "--op", "add", "--operands", in.p("long.txt"),
                                               "--out-dir", vdir}, 3, {"long.txt:1"}, "", {vdir}},
      {"gen: operands file missing", {"gen", "--format", "e4m3", "--op", "add", "--operands", in.p("nope.txt"),
                                      "--out-dir", vdir}, 3, {"nope.txt"}, "", {vdir}},
      {"gen: --out-dir under a file", {"gen", "--format", "e4m3", "--op", "add", "--out-dir", in.p("empty.txt/v")}, 3,
       {"empty.txt/v"}},

      {"verify: truncated .tv line", verify(in.p("trunc.tv")), 3, {"trunc.tv:2"}},
      {"verify: truncated text line", verify(in.p("trunc.txt")), 3, {"trunc.txt:2"}},
      {"verify: field wider than the format", verify(in.p("wide.txt")), 3, {"wide.txt:2"}},
      {"verify: binary junk", verify(in.p("junk.bin")), 3, {"junk.bin:"}},
      {"verify: 1 MB line", verify(in.p("long.txt")), 3, {"long.txt:1"}},
      {"verify: nonexistent file", verify(in.p("nope.tv")), 3, {"nope.tv"}},
      {"verify: junk manifest", {"verify", "--manifest", in.p("manifest_junk/manifest.json")}, 3, {"manifest.json"}},
      {"verify: manifest that lies", {"verify", "--manifest", in.p("manifest_lies/manifest.json")}, 3, {"manifest.json"}},
      {"verify: unknown format", {"verify", "--format", "nosuch", "--op", "add", in.p("trunc.tv")}, 2, {"nosuch"}},

      {"merge: missing folder", {"merge", in.p("nope"), "--out-dir", in.p("out/m")}, 3, {"nope"}, "", {in.dir / "out/m"}},
      {"merge: empty folder", {"merge", in.p("emptydir"), "--out-dir", in.p("out/m")}, 3, {"emptydir"}, "",
       {in.dir / "out/m"}},
      {"merge: junk manifest", {"merge", in.p("manifest_junk"), "--out-dir", in.p("out/m")}, 3, {"manifest"}, "",
       {in.dir / "out/m"}},
      {"merge: manifest that lies", {"merge", in.p("manifest_lies"), "--out-dir", in.p("out/m")}, 3, {"manifest"}, "",
       {in.dir / "out/m"}},
  };
  for (const Case& c : cases) check(in, c);
}

TEST_CASE("bad input: explore workloads and options") {
  const Inputs in;
  const fs::path out = in.dir / "out/ex";
  in.write("tiny.toml", "name = \"tiny\"\ntokens = 4\n[[layer]]\nname = \"a\"\nk = 64\nn = 8\nsample_m = 4\n");
  in.write("huge.toml", "tokens = 99999999999999999999999\n[[layer]]\nname = \"a\"\nk = 64\nn = 8\n");
  in.write("nan.toml", "tokens = nan\n[[layer]]\nname = \"a\"\nk = 64\nn = 8\n");
  in.write("lying_npy.toml", "tokens = 4\n[[layer]]\nname = \"a\"\nweights = \"short.npy\"\n");
  in.write("short.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 64), }", std::string(16, '\0')));
  auto ex = [&](std::vector<std::string> more) {
    std::vector<std::string> a = {"explore", "-q", "--no-claims", "--unit", "mac", "--formats", "int8:int8",
                                  "--out-dir", out.string()};
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  const std::vector<fs::path> none = {out / "report.html", out / "results.csv", out / "results.json", out / "layers.csv"};
  const std::vector<Case> cases = {
      {"explore: empty workload", ex({"--workload", in.p("empty.txt")}), 3, {"empty.txt"}, "", none},
      {"explore: binary junk workload", ex({"--workload", in.p("junk.bin")}), 3, {"junk.bin"}, "", none},
      {"explore: 1 MB line workload", ex({"--workload", in.p("long.txt")}), 3, {"long.txt"}, "", none},
      {"explore: huge number in the workload", ex({"--workload", in.p("huge.toml")}), 3, {"huge.toml"}, "", none},
      {"explore: NaN in the workload", ex({"--workload", in.p("nan.toml")}), 3, {"nan.toml"}, "", none},
      {"explore: workload .npy whose header lies", ex({"--workload", in.p("lying_npy.toml")}), 3, {"short.npy"}, "", none},
      {"explore: nonexistent workload", ex({"--workload", in.p("nope.toml")}), 3, {"nope.toml"}, "", none},
      {"explore: unknown format", ex({"--workload", in.p("tiny.toml"), "--formats", "nosuch:int8"}), 2, {"nosuch"}, "",
       none},
      {"explore: shard 0/0", ex({"--workload", in.p("tiny.toml"), "--shard", "0/0"}), 2, {"--shard"}, "", none},
      {"explore: negative threads", ex({"--workload", in.p("tiny.toml"), "--threads", "-1"}), 2, {"--threads"}, "", none},
      {"explore: 100000 threads", ex({"--workload", in.p("tiny.toml"), "--threads", "100000"}), 2, {"--threads"}, "", none},
      {"explore: huge --seed", ex({"--workload", in.p("tiny.toml"), "--seed", "99999999999999999999999"}), 2, {"--seed"},
       "", none},
      {"explore: --out-dir under a file",
       {"explore", "-q", "--no-claims", "--unit", "mac", "--formats", "int8:int8", "--workload", in.p("tiny.toml"),
        "--out-dir", in.p("empty.txt/ex")},
       3, {"empty.txt/ex"}},
  };
  for (const Case& c : cases) check(in, c);
}
