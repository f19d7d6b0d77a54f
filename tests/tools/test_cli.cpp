// The bitexact CLI, run as a subprocess: exact stdout, stderr lines and exit codes.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/tools/cli_run.hpp"

namespace {

using namespace cli_test;
namespace fs = std::filesystem;

size_t line_count(const std::string& s) { return size_t(std::count(s.begin(), s.end(), '\n')); }

// One line on stderr, starting with "bitexact: ".
void check_one_error_line(const Run& r) {
  CHECK(line_count(r.err) == 1);
  CHECK(r.err.rfind("bitexact: ", 0) == 0);
}

}  // namespace

TEST_CASE("convert: CSV of OCP E4M3 conversions") {
  const Run r = bitexact({"convert", "--to", "float8_e4m3fn", "--format", "csv", "1.5", "464", "465", "nan"});
  CHECK(r.rc == 0);
  CHECK(r.err == "");
  CHECK(r.out ==
        "input,code,value,flags\n"
        "1.5,0x3c,1.5,00\n"
        "464,0x7e,448,01\n"
        "465,0x7f,nan,05\n"
        "nan,0x7f,nan,00\n");
}

TEST_CASE("convert: negative values, subnormals, hex floats, aliases, saturation") {
  const Run r = bitexact({"convert", "--to", "e4m3", "-f", "csv", "-0", "-1.5", "-inf", "-.5", "1e-9", "0x1p-9",
                          "0x1.cp+8", "500"});
  CHECK(r.rc == 0);
  CHECK(r.out ==
        "input,code,value,flags\n"
        "-0,0x80,-0,00\n"
        "-1.5,0xbc,-1.5,00\n"
        "-inf,0xff,nan,10\n"
        "-.5,0xb0,-0.5,00\n"
        "1e-9,0x00,0,03\n"
        "0x1p-9,0x01,0.002,00\n"
        "0x1.cp+8,0x7e,448,00\n"
        "500,0x7f,nan,05\n");
  const Run s = bitexact({"convert", "--to", "e4m3", "--overflow", "saturate", "-f", "csv", "500", "-inf"});
  CHECK(s.out == "input,code,value,flags\n500,0x7e,448,05\n-inf,0xfe,-448,05\n");  // saturate: inf -> max (OFP8 Table 3)
  const Run c = bitexact({"convert", "--to", "e4m3", "--preset", "cuda", "-f", "csv", "500", "-nan"});
  CHECK(c.out == "input,code,value,flags\n500,0x7e,448,05\n-nan,0x7f,nan,00\n");
}

TEST_CASE("convert: rounding modes and codes of --from") {
  CHECK(bitexact({"convert", "--to", "float32", "-f", "csv", "--rounding", "rtz", "0.1"}).out ==
        "input,code,value,flags\n0.1,0x3dcccccc,0.099999994,01\n");
  CHECK(bitexact({"convert", "--to", "float32", "-f", "csv", "-r", "nearest", "0.1"}).out ==
        "input,code,value,flags\n0.1,0x3dcccccd,0.1,01\n");
  CHECK(bitexact({"convert", "--to", "e8m0", "-f", "csv", "--preset", "cuda", "3"}).out ==
        "input,code,value,flags\n3,0x81,4,01\n");  // cuda: rup into E8M0
  CHECK(bitexact({"convert", "--to", "e2m1", "-f", "csv", "5", "7"}).out ==
        "input,code,value,flags\n5,0x6,4,01\n7,0x7,6,05\n");
  const Run r = bitexact({"convert", "--from", "bf16", "--to", "e4m3", "-f", "csv", "0x3f80", "0x4400", "0x1.8p0"});
  CHECK(r.rc == 0);
  CHECK(r.out == "input,code,value,flags\n0x3f80,0x38,1,00\n0x4400,0x7f,nan,05\n0x1.8p0,0x3c,1.5,00\n");
  // Without --from, 0x3c is a hex float (60).
  CHECK(bitexact({"convert", "--to", "e4m3", "-f", "csv", "0x3c"}).out == "input,code,value,flags\n0x3c,0x67,60,00\n");
  // A code too wide for --from is an input error.
  const Run bad = bitexact({"convert", "--from", "e5m2", "--to", "e4m3", "-f", "csv", "0x1ff"});
  CHECK(bad.rc == 3);
  check_one_error_line(bad);
}

TEST_CASE("convert: values on stdin, a bad line exits 3 after the valid rows") {
  const Run ok = bitexact({"convert", "--to", "float16", "-f", "csv"}, "1\n\n# comment\n  65504  \n65520\n");
  CHECK(ok.rc == 0);
  CHECK(ok.out == "input,code,value,flags\n1,0x3c00,1,00\n65504,0x7bff,65504,00\n65520,0x7c00,inf,05\n");

  const Run r = bitexact({"convert", "--to", "e4m3", "--format", "csv"}, "1\n2.5\n1.2.3\n4\n");
  CHECK(r.rc == 3);
  CHECK(r.out == "input,code,value,flags\n1,0x38,1,00\n2.5,0x42,2.5,00\n");
  CHECK(r.err == "bitexact: stdin line 3: bad value: unexpected character '.' (at character 4 of '1.2.3')\n");

  // JSON stays one valid document holding the rows before the bad line.
  const Run j = bitexact({"convert", "--to", "e4m3", "--format", "json"}, "1\n0x\n");
  CHECK(j.rc == 3);
  check_one_error_line(j);
  CHECK(j.err.find("stdin line 2") != std::string::npos);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["results"].size() == 1);

  const Run a = bitexact({"convert", "--to", "e4m3", "1", "1e"});
  CHECK(a.rc == 3);
  CHECK(a.err == "bitexact: argument 2: bad value: expected exponent digits (at character 3 of '1e')\n");
}

TEST_CASE("convert: default table output") {
  const Run r = bitexact({"convert", "--to", "float8_e4m3fn", "1.5", "464", "1e-9"});
  CHECK(r.rc == 0);
  CHECK(r.out ==
        "input  code  value  flags  vioux\n"
        "1.5    0x3c  1.5    00     .....\n"
        "464    0x7e  448    01     ....x\n"
        "1e-9   0x00  0      03     ...ux\n");
}

TEST_CASE("convert: JSON and JSONL carry schema_version and context") {
  const Run r = bitexact({"convert", "--to", "e5m2", "--rounding", "sr:4", "--seed", "42", "-f", "json", "0.3"});
  CHECK(r.rc == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["schema_version"] == 1);
  CHECK(doc["context"]["bitexact"].is_string());
  CHECK(doc["context"]["seed"] == 42);
  CHECK(doc["context"]["rounding"] == "sr:4");
  CHECK(doc["context"]["overflow"] == "ieee");
  CHECK(doc["context"]["preset"] == "ocp");
  CHECK(doc["context"]["to"]["name"] == "float8_e5m2");
  CHECK(doc["context"]["to"]["spec"] == "float<e=5,m=2,bias=15,inf=ieee,nan=ieee>");
  CHECK(doc["results"][0]["input"] == "0.3");
  CHECK(doc["results"][0]["flags"] == 1);

  const Run l = bitexact({"convert", "--to", "e5m2", "-f", "jsonl", "1", "2"});
  std::istringstream lines(l.out);
  std::string line;
  std::vector<nlohmann::json> objs;
  while (std::getline(lines, line)) objs.push_back(nlohmann::json::parse(line));
  REQUIRE(objs.size() == 3);
  CHECK(objs[0]["schema_version"] == 1);
  CHECK(objs[1]["code"] == "0x3c");
  CHECK(objs[2]["value"] == "2");
}

TEST_CASE("convert: stochastic rounding is reproducible and independent of batching") {
  const std::vector<std::string> base = {"convert", "--to", "e2m1", "--rounding", "sr", "--seed", "7", "-f", "csv"};
  auto with = [&](std::vector<std::string> vals) {
    auto a = base;
    a.insert(a.end(), vals.begin(), vals.end());
    return bitexact(a).out;
  };
  const std::string all = with({"0.3", "0.3", "0.3", "0.3", "0.3", "0.3", "0.3", "0.3"});
  CHECK(all == with({"0.3", "0.3", "0.3", "0.3", "0.3", "0.3", "0.3", "0.3"}));
  // The first rows do not depend on what follows; stdin line k uses the same index as argument k.
  const std::string first3 = with({"0.3", "0.3", "0.3"});
  CHECK(all.rfind(first3, 0) == 0);
  CHECK(bitexact(base, "0.3\n0.3\n0.3\n0.3\n0.3\n0.3\n0.3\n0.3\n").out == all);
  // Both neighbours occur (0.3 lies between 0 and 0.5).
  CHECK(all.find(",0x0,") != std::string::npos);
  CHECK(all.find(",0x1,") != std::string::npos);
  // Another seed gives another stream.
  auto other = base;
  other[6] = "8";
  for (int i = 0; i < 8; ++i) other.push_back("0.3");
  CHECK(bitexact(other).out != all);
}

TEST_CASE("usage errors exit 2 with one line") {
  const Run spec = bitexact({"convert", "--to", "float<e=4,m=x>", "1"});
  CHECK(spec.rc == 2);
  check_one_error_line(spec);
  CHECK(spec.err.find("character 13") != std::string::npos);
  CHECK(spec.err.find("float<e=4,m=x>") != std::string::npos);
  CHECK(spec.out == "");

  const Run mode = bitexact({"convert", "--to", "e4m3", "--rounding", "nearest_odd", "1"});
  CHECK(mode.rc == 2);
  check_one_error_line(mode);
  CHECK(mode.err.find("nearest_odd") != std::string::npos);

  for (const auto& args : std::vector<std::vector<std::string>>{
           {"convert", "1"},
           {"convert", "--to", "e4m3", "--overflow", "wrap", "1"},
           {"convert", "--to", "e4m3", "--subnormals", "none", "1"},
           {"convert", "--to", "e4m3", "--preset", "amd", "1"},
           {"convert", "--to", "e4m3", "--tininess", "never", "1"},
           {"convert", "--to", "e4m3", "--format", "xml", "1"},
           {"convert", "--to", "e4m3", "--bogus", "1"},
           {"frobnicate"},
           {},
           {"formats"},
           {"formats", "show", "e9m9m9"},
           {"calc", "pow", "1", "2", "--format", "e4m3"},
           {"calc", "add", "1", "--format", "e4m3"},
           {"calc", "add", "1", "2"},
       }) {
    const Run r = bitexact(args);
    CAPTURE(r.err);
    CHECK(r.rc == 2);
    check_one_error_line(r);
  }
  CHECK(bitexact({"frobnicate"}).err.find("unknown subcommand 'frobnicate'") != std::string::npos);
}

TEST_CASE("help texts document the grammar and give examples") {
  const Run h = bitexact({"--help"});
  CHECK(h.rc == 0);
  CHECK(h.out.find("convert") != std::string::npos);
  const Run f = bitexact({"formats", "--help"});
  CHECK(f.rc == 0);
  CHECK(f.out.find("float<e=E,m=M") != std::string::npos);
  for (const char* sub : {"convert", "calc"}) {
    const Run r = bitexact({sub, "--help"});
    CHECK(r.rc == 0);
    CHECK(r.out.find("Examples:") != std::string::npos);
  }
  CHECK(bitexact({"formats", "show", "--help"}).out.find("Examples:") != std::string::npos);
  CHECK(bitexact({"--version"}).out.rfind("bitexact ", 0) == 0);
}

TEST_CASE("formats list and show") {
  const Run l = bitexact({"formats", "list", "--format", "csv"});
  CHECK(l.rc == 0);
  CHECK(l.out.rfind("name,family,width,E,M,bias,signed,inf,nan,max,aliases\n", 0) == 0);
  CHECK(l.out.find("\nfloat8_e4m3fn,float,8,4,3,7,true,none,allones,448,") != std::string::npos);
  CHECK(l.out.find("\nfloat16,float,16,5,10,15,true,ieee,ieee,65504,") != std::string::npos);
  CHECK(l.out.find("\nfloat6_e2m3fn,float,6,2,3,1,true,none,none,7.5,") != std::string::npos);
  const auto j = nlohmann::json::parse(bitexact({"formats", "list", "--format", "json"}).out);
  CHECK(j["schema_version"] == 1);
  CHECK(j["formats"].size() >= 16);

  const Run s = bitexact({"formats", "show", "float4_e2m1fn", "--format", "csv"});
  CHECK(s.rc == 0);
  CHECK(s.out ==
        "code,bits,class,value,exact\n"
        "0x0,0.00.0,+zero,0,0\n"
        "0x1,0.00.1,+subnormal,0.5,0.5\n"
        "0x2,0.01.0,+normal,1,1\n"
        "0x3,0.01.1,+normal,1.5,1.5\n"
        "0x4,0.10.0,+normal,2,2\n"
        "0x5,0.10.1,+normal,3,3\n"
        "0x6,0.11.0,+normal,4,4\n"
        "0x7,0.11.1,+normal,6,6\n"
        "0x8,1.00.0,-zero,-0,-0\n"
        "0x9,1.00.1,-subnormal,-0.5,-0.5\n"
        "0xa,1.01.0,-normal,-1,-1\n"
        "0xb,1.01.1,-normal,-1.5,-1.5\n"
        "0xc,1.10.0,-normal,-2,-2\n"
        "0xd,1.10.1,-normal,-3,-3\n"
        "0xe,1.11.0,-normal,-4,-4\n"
        "0xf,1.11.1,-normal,-6,-6\n");

  const Run t = bitexact({"formats", "show", "fp4"});
  CHECK(t.rc == 0);
  CHECK(t.out.find("max_finite     6 (0x1.8p+2), code 0x7\n") != std::string::npos);
  CHECK(t.out.find("min_subnormal  0.5 (0x1p-1), code 0x1\n") != std::string::npos);
  CHECK(t.out.find("spec           float<e=2,m=1,bias=1,inf=none,nan=none>\n") != std::string::npos);
  CHECK(t.out.find("0xf   1.11.1  -normal     -6     -6\n") != std::string::npos);

  const auto e4 = nlohmann::json::parse(bitexact({"formats", "show", "e4m3", "-f", "json"}).out);
  CHECK(e4["format"]["name"] == "float8_e4m3fn");
  CHECK(e4["format"]["max_finite"]["value"] == "448");
  CHECK(e4["format"]["min_subnormal"]["exact"] == "0.001953125");
  CHECK(e4["codes"].size() == 256);
  CHECK(e4["codes"][0x7f]["class"] == "qnan");

  // 16-bit formats list codes only on request; generic specs work too.
  const Run h = bitexact({"formats", "show", "float16"});
  CHECK(line_count(h.out) < 30);
  CHECK(line_count(bitexact({"formats", "show", "float16", "--codes", "-f", "csv"}).out) == 65537);
  const Run g = bitexact({"formats", "show", "float<e=3,m=2,bias=3,inf=none,nan=none>", "-f", "csv"});
  CHECK(g.rc == 0);
  CHECK(line_count(g.out) == 65);  // header + 64 codes
}

TEST_CASE("--catalog loads formats from a TOML file, --out writes a file") {
  const fs::path d = scratch_dir();
  {
    std::ofstream f(d / "cat.toml");
    f << "[myfp5]\nexp_bits = 2\nman_bits = 2\nbias = 1\ninf = \"none\"\nnan = \"none\"\naliases = [\"m5\"]\n"
         "source = \"test\"\n";
  }
  const Run l = bitexact({"--catalog", (d / "cat.toml").string(), "formats", "list", "-f", "csv"});
  CHECK(l.rc == 0);
  CHECK(l.out == "name,family,width,E,M,bias,signed,inf,nan,max,aliases\nmyfp5,float,5,2,2,1,true,none,none,7,m5\n");
  CHECK(bitexact({"convert", "--catalog", (d / "cat.toml").string(), "--to", "m5", "-f", "csv", "2.5"}).out ==
        "input,code,value,flags\n2.5,0x09,2.5,00\n");

  const Run missing = bitexact({"--catalog", (d / "nope.toml").string(), "formats", "list"});
  CHECK(missing.rc == 3);
  check_one_error_line(missing);

  const Run o = bitexact({"convert", "--to", "e4m3", "-f", "csv", "--out", (d / "out.csv").string(), "1"});
  CHECK(o.rc == 0);
  CHECK(o.out == "");
  CHECK(slurp(d / "out.csv") == "input,code,value,flags\n1,0x38,1,00\n");
  const Run bad_out = bitexact({"convert", "--to", "e4m3", "--out", (d / "no" / "dir" / "x").string(), "1"});
  CHECK(bad_out.rc == 3);
  check_one_error_line(bad_out);
  fs::remove_all(d);
}

TEST_CASE("calc: one operation") {
  const Run r = bitexact({"calc", "add", "1", "2", "--format", "float16", "-o", "csv"});
  CHECK(r.rc == 0);
  CHECK(r.out == "op,a,a_value,b,b_value,result,value,flags\nadd,0x3c00,1,0x4000,2,0x4200,3,00\n");
  CHECK(bitexact({"calc", "fma", "0x3c", "0x3c", "0x01", "--format", "e4m3", "--rounding", "rup", "-o", "csv"}).out ==
        "op,a,a_value,b,b_value,c,c_value,result,value,flags\nfma,0x3c,1.5,0x3c,1.5,0x01,0.002,0x42,2.5,01\n");
  CHECK(bitexact({"calc", "div", "1", "0", "--format", "bf16", "-o", "csv"}).out ==
        "op,a,a_value,b,b_value,result,value,flags\ndiv,0x3f80,1,0x0000,0,0x7f80,inf,08\n");
  CHECK(bitexact({"calc", "sqrt", "-1", "--format", "float32", "-o", "csv"}).out ==
        "op,a,a_value,result,value,flags\nsqrt,0xbf800000,-1,0x7fc00000,nan,10\n");
  CHECK(bitexact({"calc", "lt", "nan", "1", "--format", "float16", "-o", "csv"}).out ==
        "op,a,a_value,b,b_value,result,value,flags\nlt,0x7e00,nan,0x3c00,1,0,false,10\n");
  CHECK(bitexact({"calc", "mul", "448", "2", "--format", "e4m3", "--overflow", "saturate", "-o", "csv"}).out ==
        "op,a,a_value,b,b_value,result,value,flags\nmul,0x7e,448,0x40,2,0x7e,448,05\n");
  // A value operand that is not exact in the format gets a note on stderr.
  const Run n = bitexact({"calc", "add", "0.1", "0", "--format", "float16", "-o", "csv"});
  CHECK(n.rc == 0);
  CHECK(line_count(n.err) == 1);
  CHECK(n.err.find("note") != std::string::npos);
  const auto j = nlohmann::json::parse(bitexact({"calc", "eq", "1", "1", "--format", "e5m2", "-o", "json"}).out);
  CHECK(j["schema_version"] == 1);
  CHECK(j["context"]["operation"] == "eq");
  CHECK(j["results"][0]["result"] == true);
  const Run bad = bitexact({"calc", "add", "1", "x", "--format", "e5m2"});
  CHECK(bad.rc == 3);
  check_one_error_line(bad);
}

TEST_CASE("calc --bulk: TestFloat text in and out") {
  const Run r = bitexact({"calc", "add", "--format", "float16", "--bulk"}, "3C00 3C00\n7BFF 7BFF\n3C00 0001\n8000 0000\n");
  CHECK(r.rc == 0);
  CHECK(r.err == "");
  CHECK(r.out == "3C00 3C00 4000 00\n7BFF 7BFF 7C00 05\n3C00 0001 3C00 01\n8000 0000 0000 00\n");
  // Implicit bulk mode: no operands and stdin is not a terminal; rounding mode applies.
  CHECK(bitexact({"calc", "add", "--format", "float16", "--rounding", "rdn"}, "8000 0000\n3C00 0001\n").out ==
        "8000 0000 8000 00\n3C00 0001 3C00 01\n");
  CHECK(bitexact({"calc", "sqrt", "--format", "float32"}, "40800000\nBF800000\n").out ==
        "40800000 40000000 00\nBF800000 7FC00000 10\n");
  CHECK(bitexact({"calc", "fma", "--format", "bf16"}, "3F80 3F80 3F80\n").out == "3F80 3F80 3F80 4000 00\n");
  // Comparisons print one digit, as testfloat_gen's writeHex_bool.
  CHECK(bitexact({"calc", "lt", "--format", "float16"}, "3C00 4000\n7E00 3C00\n").out == "3C00 4000 1 00\n7E00 3C00 0 10\n");
  CHECK(bitexact({"calc", "eq", "--format", "float16"}, "7E00 3C00\n7C01 3C00\n").out == "7E00 3C00 0 00\n7C01 3C00 0 10\n");
  // Narrow formats: fields are padded to the width, uppercase.
  CHECK(bitexact({"calc", "mul", "--format", "e2m1"}, "3 7\n").out == "3 7 7 05\n");
  CHECK(bitexact({"calc", "add", "--format", "e4m3"}, "7e 7e\n1 0x1\n").out == "7E 7E 7F 05\n01 01 02 00\n");
}

TEST_CASE("calc --bulk verifies lines that carry the expected result and flags") {
  const Run ok = bitexact({"calc", "add", "--format", "float16"}, "3C00 3C00 4000 00\n7BFF 7BFF 7C00 05\n");
  CHECK(ok.rc == 0);
  CHECK(ok.out == "3C00 3C00 4000 00\n7BFF 7BFF 7C00 05\n");
  CHECK(ok.err.find("2 cases verified, 0 mismatches") != std::string::npos);

  // NaN results match any NaN unless --check-nans.
  const Run nan = bitexact({"calc", "mul", "--format", "float16", "-q"}, "7C00 0000 7FFF 10\n");
  CHECK(nan.rc == 0);
  CHECK(nan.out == "");
  CHECK(bitexact({"calc", "mul", "--format", "float16", "--check-nans", "-q"}, "7C00 0000 7FFF 10\n").rc == 1);

  const Run bad = bitexact({"calc", "add", "--format", "float16"}, "3C00 3C00 4000 00\n3C00 0001 3C01 01\n3C00 3C00 4000 01\n");
  CHECK(bad.rc == 1);
  CHECK(bad.out == "3C00 3C00 4000 00\n3C00 0001 3C00 01\n3C00 3C00 4000 00\n");
  CHECK(bad.err ==
        "bitexact: stdin line 2: mismatch: 3C00 0001 => 3C00 01, expected 3C01 01\n"
        "bitexact: stdin line 3: mismatch: 3C00 3C00 => 4000 00, expected 4000 01\n"
        "bitexact: calc add float16: 3 cases verified, 2 mismatches\n");
}

TEST_CASE("calc --bulk: a malformed line exits 3 after the lines before it") {
  const Run r = bitexact({"calc", "add", "--format", "float16"}, "3C00 3C00\n3C00 XYZ\n3C00 3C00\n");
  CHECK(r.rc == 3);
  CHECK(r.out == "3C00 3C00 4000 00\n");
  CHECK(r.err == "bitexact: stdin line 2: field 2 (b): 'XYZ' is not hex (unexpected character 'X')\n");
  const Run n = bitexact({"calc", "add", "--format", "float16"}, "3C00\n");
  CHECK(n.rc == 3);
  check_one_error_line(n);
  const Run w = bitexact({"calc", "add", "--format", "e4m3"}, "100 1\n");
  CHECK(w.rc == 3);
  check_one_error_line(w);
}

TEST_CASE("selfcheck: a small conformance run against the oracle") {
  const Run r = bitexact({"selfcheck", "--quick", "--formats", "e2m1", "--modes", "rne,rtz", "--overflow", "ieee",
                          "--no-variants", "--no-stochastic", "--ops", "binary,sqrt", "-f", "csv", "-j", "1"});
  CHECK(r.rc == 0);
  CHECK(r.out.rfind("format,operation,mode,overflow,variant,cases,mismatches,seconds,first_mismatch\n", 0) == 0);
  CHECK(line_count(r.out) == 1 + 2 * 5);  // (sqrt + 4 binary ops) x 2 modes
  CHECK(r.out.find("\nfloat4_e2m1fn,add,rne,ieee,,256,0,") != std::string::npos);
  CHECK(line_count(r.err) == 1);
  CHECK(r.err.find("0 mismatches") != std::string::npos);
  // The default table: one row per format x operation, one mismatch column per mode.
  const Run t = bitexact({"selfcheck", "--quick", "--formats", "e2m1", "--modes", "rne,rtz", "--overflow", "ieee",
                          "--no-variants", "--no-stochastic", "--ops", "binary"});
  CHECK(t.rc == 0);
  CHECK(t.out ==
        "format         operation  cases  rne  rtz\n"
        "float4_e2m1fn  add          512    0    0\n"
        "float4_e2m1fn  sub          512    0    0\n"
        "float4_e2m1fn  mul          512    0    0\n"
        "float4_e2m1fn  div          512    0    0\n");
  const Run bad = bitexact({"selfcheck", "--formats", "e9m9"});
  CHECK(bad.rc == 2);
  check_one_error_line(bad);
  CHECK(bitexact({"selfcheck", "--modes", "sr"}).rc == 2);
}

TEST_CASE("--random-bits replays explicit random words, one per element") {
  // 1.0625 in E4M3 has the fraction .10 (binary) of a quantum: sr:2 carries for r >= 2.
  const Run r = bitexact({"convert", "--to", "e4m3", "-r", "sr:2", "--random-bits", "0,1,2,3", "-f", "csv", "1.0625",
                          "1.0625", "1.0625", "1.0625"});
  CHECK(r.rc == 0);
  CHECK(r.out == "input,code,value,flags\n1.0625,0x38,1,01\n1.0625,0x38,1,01\n1.0625,0x39,1.1,01\n1.0625,0x39,1.1,01\n");
  const Run c = bitexact({"calc", "add", "--format", "e5m2", "-r", "sr:2", "--random-bits", "0,3"}, "3C 2C\n3C 2C\n");
  CHECK(c.rc == 0);
  CHECK(c.out == "3C 2C 3C 01\n3C 2C 3D 01\n");
  const Run few = bitexact({"convert", "--to", "e4m3", "-r", "sr", "--random-bits", "0", "-f", "csv", "1.0625", "1.0625"});
  CHECK(few.rc == 3);
  CHECK(few.out == "input,code,value,flags\n1.0625,0x39,1.1,01\n");
  check_one_error_line(few);
  const Run bad = bitexact({"convert", "--to", "e4m3", "-r", "sr", "--random-bits", "0,zz", "1"});
  CHECK(bad.rc == 2);
  check_one_error_line(bad);
  const Run missing = bitexact({"convert", "--to", "e4m3", "-r", "sr", "--random-bits", "@/nonexistent/words", "1"});
  CHECK(missing.rc == 3);
  check_one_error_line(missing);
  // Words that no rounding would read are a mistake, not ignored.
  const Run unused = bitexact({"convert", "--to", "e4m3", "--random-bits", "0,1", "1.0625"});
  CHECK(unused.rc == 2);
  CHECK(unused.out.empty());
  CHECK(unused.err == "bitexact: --random-bits applies to --rounding sr or sr:R, not rne\n");
  const Run unused_calc = bitexact({"calc", "add", "--format", "e5m2", "-r", "rtz", "--random-bits", "0,3"}, "3C 2C\n");
  CHECK(unused_calc.rc == 2);
  CHECK(unused_calc.out.empty());
  CHECK(unused_calc.err == "bitexact: --random-bits applies to --rounding sr or sr:R, not rtz\n");
}

// Each bad input: exit code, one stderr line, and the exact message.
TEST_CASE("bad options, catalogues and bytes: one line, the documented exit code, no partial output") {
  auto expect = [](const Run& r, int rc, const std::string& message) {
    CHECK(r.rc == rc);
    check_one_error_line(r);
    CHECK(r.err == message + "\n");
  };
  expect(bitexact({"convert", "--to", "e2m1", "--seed", "-1", "1"}), 2,
         "bitexact: --seed: '-1' is not an unsigned integer (see 'bitexact convert --help')");
  expect(bitexact({"convert", "--to", "e2m1", "--seed", "99999999999999999999999", "1"}), 2,
         "bitexact: --seed: '99999999999999999999999' is not an unsigned integer (see 'bitexact convert --help')");
  expect(bitexact({"convert", "--to", "float<e=4,m=3,e=5>", "1"}), 2,
         "bitexact: --to: bad format spec: 'e' given twice (at character 15 of 'float<e=4,m=3,e=5>')");
  expect(bitexact({"convert", "--to", "float<e=15,m=3,bias=-30000>", "1"}), 2,
         "bitexact: --to: invalid float format 'float<e=15,m=3,bias=-30000,inf=ieee,nan=ieee>': the bias puts "
         "values outside 2^-16500 .. 2^16384 (binary128's exponent range)");
  const Run nul = bitexact({"convert", "--to", "e4m3"}, std::string("1\n3\0" "4\n", 5));
  CHECK(nul.out == "input  code  value  flags  vioux\n1      0x38  1      00     .....\n");
  expect(nul, 3, "bitexact: stdin line 2: bad value: unexpected character byte 0x00 (at character 2 of '3\\x004')");
  const Run first = bitexact({"convert", "--to", "e4m3", "1.2.3"});
  CHECK(first.out == "");  // no bare table header
  expect(first, 3, "bitexact: argument 1: bad value: unexpected character '.' (at character 4 of '1.2.3')");
  expect(bitexact({"selfcheck", "-j", "0"}), 2,
         "bitexact: --threads: Value 0 not in range 1 to 256 (see 'bitexact selfcheck --help')");
  expect(bitexact({"selfcheck", "-j", "100000"}), 2,
         "bitexact: --threads: Value 100000 not in range 1 to 256 (see 'bitexact selfcheck --help')");
  expect(bitexact({"calc", "add", "--format", "fp16", "--bulk", "-o", "bogus"}, "3C00 3C00\n"), 2,
         "bitexact: unknown output format 'bogus' (expected table, csv, json or jsonl)");
  expect(bitexact({"calc", "add", "1", "1", "--format", "fp16", "--errors", "-1"}), 2,
         "bitexact: --errors: Value -1 not in range 0 to 1000000000 (see 'bitexact calc --help')");

  const fs::path d = scratch_dir();
  expect(bitexact({"--catalog", d.string(), "formats", "list"}), 3,
         "bitexact: --catalog: cannot read catalogue file '" + d.string() + "': not a readable regular file");
  {
    std::ofstream(d / "typo.toml") << "[f]\nexp_bits = 4\nman_bits = 3\nbias = 7\nsubnormal = false\ninf = \"none\"\n"
                                      "nan = \"allones\"\nsource = \"t\"\n";
    std::ofstream(d / "words.txt") << "0x1\nfoo\n";
  }
  expect(bitexact({"--catalog", (d / "typo.toml").string(), "formats", "list"}), 3,
         "bitexact: --catalog: " + (d / "typo.toml").string() + ":1: format 'f': unknown key 'subnormal' (line 5)");
  expect(bitexact({"convert", "--to", "e4m3", "-r", "sr", "--random-bits", "@" + (d / "words.txt").string(), "1"}), 3,
         "bitexact: --random-bits: " + (d / "words.txt").string() +
             " line 2: bad random word: unexpected character 'o' (at character 2 of 'foo')");
  fs::remove_all(d);
}

TEST_CASE("other families: conversions, and codebook files that are bad input (exit 3)") {
  const Run p = bitexact({"convert", "--to", "posit8", "--format", "csv", "150000"});
  CHECK(p.rc == 0);
  CHECK(p.out == "input,code,value,flags\n150000,0x7d,262144,01\n");  // the standard's tie point is 131072
  const Run n = bitexact({"convert", "--to", "nf4", "--format", "csv", "0.3"});
  CHECK(n.out == "input,code,value,flags\n0.3,0xb,0.33791524171829224,01\n");
  const Run w = bitexact({"convert", "--to", "int8", "--overflow", "wrap", "--format", "csv", "200"});
  CHECK(w.out == "input,code,value,flags\n200,0xc8,-56,05\n");
  const Run wf = bitexact({"convert", "--to", "e4m3", "--overflow", "wrap", "1"});
  CHECK(wf.rc == 2);
  CHECK(wf.err == "bitexact: --overflow wrap applies to integer and fixed-point formats, not to float8_e4m3fn\n");

  const fs::path d = scratch_dir();
  const Run missing = bitexact({"convert", "--to", "codebook<file=" + (d / "none.txt").string() + ">", "1"});
  CHECK(missing.rc == 3);
  CHECK(missing.out.empty());
  CHECK(missing.err == "bitexact: --to: " + (d / "none.txt").string() + ": cannot read the codebook file\n");
  std::ofstream(d / "cb.txt") << "0\nx\n";
  const Run bad = bitexact({"convert", "--to", "codebook<file=" + (d / "cb.txt").string() + ">", "1"});
  CHECK(bad.rc == 3);
  CHECK(bad.err == "bitexact: --to: " + (d / "cb.txt").string() + ":2: 'x' is not a number, nan, inf or unused\n");
  std::ofstream(d / "ok.txt") << "# three values\n-1\n0\n1\nunused\n";
  const Run ok = bitexact({"convert", "--to", "codebook<file=" + (d / "ok.txt").string() + ">", "-f", "csv", "0.5", "0.6"});
  CHECK(ok.rc == 0);
  CHECK(ok.out == "input,code,value,flags\n0.5,0x1,0,01\n0.6,0x2,1,01\n");  // the tie 0.5 goes to the even rank (0)
}
