// `bitexact verify`, run as a subprocess: gen -> verify round trips, corrupted lines caught at their
// line numbers, NaN policies, TestFloat's own files, and malformed input named FILE:LINE.
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/tools/vectors_test_util.hpp"

#ifndef FIXTURES_DIR
#error "FIXTURES_DIR must be defined"
#endif

namespace {

using namespace vec_test;
using cli_test::bitexact;
using cli_test::slurp;

std::string fixture_path(const std::string& name) { return (fs::path(FIXTURES_DIR) / name).string(); }

void write(const fs::path& p, const std::string& s) {
  std::ofstream f(p, std::ios::binary);
  f << s;
}

// The file with line `lineno` (1-based) changed by `edit`.
std::string edit_line(const std::string& text, size_t lineno, const std::function<void(std::string&)>& edit) {
  auto l = split_lines(text);
  edit(l.at(lineno - 1));
  std::string out;
  for (const auto& s : l) out += s + "\n";
  return out;
}

// Flips bit `bit` of the hex field `field` (0-based, fields separated by sep) of a text line.
void flip_hex(std::string& line, char sep, int field, int bit) {
  size_t b = 0;
  for (int i = 0; i < field; ++i) b = line.find(sep, b) + 1;
  size_t e = line.find(sep, b);
  if (e == std::string::npos) e = line.size();
  uint64_t v = std::stoull(line.substr(b, e - b), nullptr, 16) ^ (uint64_t{1} << bit);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llX", int(e - b), (unsigned long long)v);
  line.replace(b, e - b, buf);
}

}  // namespace

TEST_CASE("verify: gen -> verify passes for every file, format, operation and mode") {
  const std::vector<std::vector<std::string>> runs{
      {"--format", "float16", "--op", "add", "--rounding", "rne,rtz,rup,rdn,rna,rod", "--count", "3000"},
      {"--format", "float32", "--op", "fma", "--rounding", "rne,rdn", "--count", "3000", "--tininess", "before"},
      {"--format", "e4m3", "--op", "mul", "--level", "exhaustive", "--overflow", "saturate"},
      {"--format", "e5m2", "--op", "div", "--level", "sanity", "--rounding", "rne,rup"},
      {"--format", "bf16", "--op", "sqrt", "--level", "exhaustive", "--rounding", "rtz"},
      {"--format", "float16", "--op", "le", "--count", "2000"},
      {"--format", "float16", "--op", "convert", "--to", "e2m1", "--level", "exhaustive", "--rounding", "rne,sr:3",
       "--seed", "9"},
      {"--format", "int8", "--op", "add", "--level", "exhaustive", "--overflow", "wrap"},
      {"--format", "posit8", "--op", "mul", "--level", "exhaustive"},
      {"--format", "float64", "--op", "div", "--count", "2000", "--nan-style", "x86", "--nan", "exact"}};
  for (const auto& args : runs) {
    CAPTURE(args[1]);
    CAPTURE(args[3]);
    const GenRun g = gen(args);
    REQUIRE(g.run.rc == 0);
    const Run v = bitexact({"verify", "--manifest", (g.dir / "manifest.json").string()});
    CHECK(v.rc == 0);
    CHECK(v.err == "");
    const auto out = split_lines(v.out);
    CHECK(out.size() == g.manifest["files"].size() + 1);
    const uint64_t cases = g.manifest["count"];
    CHECK(out.back() == "total: " + std::to_string(cases * g.manifest["files"].size()) + " passed, 0 failed");
  }
  // Without a manifest: the options say what the file is.
  const GenRun g = gen({"--format", "float16", "--op", "mul", "--rounding", "rup", "--count", "1000"});
  const Run v = bitexact({"verify", "--format", "fp16", "--op", "mul", "--rounding", "rup",
                          (g.dir / "float16_mul_rup.jsonl").string()});
  CHECK(v.rc == 0);
  CHECK(v.out == (g.dir / "float16_mul_rup.jsonl").string() + ": float16 mul rup: 1000 passed, 0 failed\n");
  // stdin, encoding from the content.
  const Run s = bitexact({"verify", "--format", "float16", "--op", "mul", "-r", "rup", "-"},
                         g.file("float16_mul_rup.tv"));
  CHECK(s.out == "stdin: float16 mul rup: 1000 passed, 0 failed\n");
  // The wrong mode is caught.
  CHECK(bitexact({"verify", "--format", "float16", "--op", "mul", "-r", "rdn", (g.dir / "float16_mul_rup.txt").string()})
            .rc == 1);
}

TEST_CASE("verify: a flipped result or flag bit is caught at its line") {
  const GenRun g = gen({"--format", "float16", "--op", "add", "--count", "500", "--seed", "3"});
  REQUIRE(g.run.rc == 0);
  const fs::path d = g.dir;
  const std::string m = (d / "manifest.json").string();

  // Result bit 0 of line 17 (TestFloat text), flag bit 0 of line 250 of the .tv file (line 1 is the comment).
  write(d / "dut_float16_add_rne.txt", edit_line(g.file("float16_add_rne.txt"), 17, [](std::string& l) { flip_hex(l, ' ', 2, 0); }));
  write(d / "dut.tv", edit_line(g.file("float16_add_rne.tv"), 250, [](std::string& l) { flip_hex(l, '_', 3, 0); }));

  const Run r = bitexact({"verify", "--manifest", m, (d / "dut_float16_add_rne.txt").string()});
  CHECK(r.rc == 1);
  const auto out = split_lines(r.out);
  REQUIRE(out.size() == 4);
  CHECK(out[0].rfind((d / "dut_float16_add_rne.txt").string() + ":17: add a=", 0) == 0);
  CHECK(out[1].rfind("  expected ", 0) == 0);
  CHECK(out[2].rfind("  actual   ", 0) == 0);
  CHECK(out[3] == (d / "dut_float16_add_rne.txt").string() + ": float16 add rne: 499 passed, 1 failed");
  // The expected line is what gen wrote; the actual one differs in the last hex digit of the result.
  const std::string golden = split_lines(g.file("float16_add_rne.txt"))[16];
  CHECK(out[1].find("expected " + golden.substr(10, 4) + " (") != std::string::npos);

  const Run t = bitexact({"verify", "--manifest", m, "--rounding", "rne", (d / "dut.tv").string()});
  CHECK(t.rc == 1);
  const auto tout = split_lines(t.out);
  REQUIRE(tout.size() == 4);
  CHECK(tout[0].rfind((d / "dut.tv").string() + ":250: add a=", 0) == 0);
  CHECK(tout[3] == (d / "dut.tv").string() + ": float16 add rne: 499 passed, 1 failed");
  // --no-flags does not look at the flags.
  CHECK(bitexact({"verify", "--manifest", m, "-r", "rne", "--no-flags", (d / "dut.tv").string()}).rc == 0);

  // JSONL: a wrong result in line 3.
  std::string js = g.file("float16_add_rne.jsonl");
  auto l = split_lines(js);
  auto j = nlohmann::json::parse(l[2]);
  const uint64_t res = std::stoull(j["result"].get<std::string>(), nullptr, 16) ^ 0x8000;
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%04llx", (unsigned long long)res);
  j["result"] = buf;
  l[2] = j.dump();
  std::string joined;
  for (const auto& s : l) joined += s + "\n";
  write(d / "dut.jsonl", joined);
  const Run jr = bitexact({"verify", "--manifest", m, "-r", "rne", (d / "dut.jsonl").string()});
  CHECK(jr.rc == 1);
  CHECK(jr.out.find((d / "dut.jsonl").string() + ":3: add a=") == 0);
  // --errors 0: only the count.
  CHECK(bitexact({"verify", "--manifest", m, "-r", "rne", "--errors", "0", (d / "dut.jsonl").string()}).out ==
        (d / "dut.jsonl").string() + ": float16 add rne: 499 passed, 1 failed\n");
}

TEST_CASE("verify: mismatch report, hand-worked") {
  const Run r = bitexact({"verify", "--format", "float16", "--op", "add", "-"}, "3C00 3C00 4000 00\n3C00 0001 3C01 01\n");
  CHECK(r.rc == 1);
  CHECK(r.out ==
        "stdin:2: add a=3C00 (1) b=0001 (6e-08)\n"
        "  expected 3C00 (1)      flags 01 ....x\n"
        "  actual   3C01 (1.001)  flags 01 ....x\n"
        "stdin: float16 add rne: 1 passed, 1 failed\n");
  const Run b = bitexact({"verify", "--format", "e5m2", "--op", "lt", "-"}, "7E 3C 1 00\n");
  CHECK(b.out ==
        "stdin:1: lt a=7E (nan) b=3C (1)\n"
        "  expected 0 (false)  flags 10 v....\n"
        "  actual   1 (true)   flags 00 .....\n"
        "stdin: float8_e5m2 lt rne: 0 passed, 1 failed\n");
}

TEST_CASE("verify: NaN results by class or bit for bit, TestFloat's own files") {
  // Any NaN matches any NaN by default (testfloat_ver); --nan exact compares codes.
  const std::string in = "7C00 0000 7FFF 10\n";
  CHECK(bitexact({"verify", "--format", "float16", "--op", "mul", "-"}, in).rc == 0);
  CHECK(bitexact({"verify", "--format", "float16", "--op", "mul", "--nan", "exact", "-"}, in).rc == 1);
  CHECK(bitexact({"verify", "--format", "float16", "--op", "mul", "--nan", "exact", "-"}, "7C00 0000 7E00 10\n").rc == 0);
  // testfloat_gen's files pass; bit for bit they pass under the x86 NaN style only.
  for (const auto& [file, format, op, lines] :
       std::vector<std::tuple<std::string, std::string, std::string, int>>{{"f16_mul_rne.tv", "float16", "mul", 270},
                                                                           {"f32_add_rne.tv", "float32", "add", 120}}) {
    const Run v = bitexact({"verify", "--format", format, "--op", op, fixture_path(file)});
    CHECK(v.rc == 0);
    CHECK(v.out == fixture_path(file) + ": " + format + " " + op + " rne: " + std::to_string(lines) + " passed, 0 failed\n");
    CHECK(bitexact({"verify", "--format", format, "--op", op, "--nan", "exact", "--nan-style", "x86", fixture_path(file)})
              .rc == 0);
  }
  const Run c = bitexact({"verify", "--format", "float16", "--op", "mul", "--nan", "exact", "--errors", "0",
                          fixture_path("f16_mul_rne.tv")});
  CHECK(c.rc == 1);
  CHECK(c.out == fixture_path("f16_mul_rne.tv") + ": float16 mul rne: 245 passed, 25 failed\n");
  // As text with spaces, through stdin.
  std::string txt = slurp(fixture_path("f32_add_rne.tv"));
  std::replace(txt.begin(), txt.end(), '_', ' ');
  CHECK(bitexact({"verify", "--format", "float32", "--op", "add", "-"}, txt).rc == 0);
}

TEST_CASE("verify: malformed lines exit 3 naming FILE:LINE and the field") {
  const fs::path d = cli_test::scratch_dir();
  auto expect = [&](const std::string& name, const std::string& content, const std::string& message,
                    std::vector<std::string> extra = {}) {
    write(d / name, content);
    std::vector<std::string> args{"verify", "--format", "float16", "--op", "add"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back((d / name).string());
    const Run r = bitexact(args);
    CHECK(r.rc == 3);
    CHECK(r.out == "");
    CHECK(r.err == "bitexact: " + (d / name).string() + ":" + message + "\n");
  };
  expect("few.txt", "3C00 3C00 4000 00\n3C00 3C00 4000\n", "2: expected 4 fields (a b result flags), found 3 (--no-flags accepts lines without flags)");
  expect("ops.txt", "3C00 3C00\n", "1: expected 4 fields (a b result flags), found 2");
  expect("many.txt", "3C00 3C00 4000 00 00\n", "1: expected 4 fields (a b result flags) or 2 operands, found 5");
  expect("hex.tv", "// comment\n3C00_3C00_4000_00\n3C00_3C0G_4000_00\n", "3: field 2 (b): '3C0G' is not hex (unexpected character 'G')");
  expect("wide.txt", "3C00 13C00 4000 00\n", "1: field 2 (b): '13C00' does not fit float16 (16 bits)");
  expect("res.txt", "3C00 3C00 40000 00\n", "1: field 3 (result): '40000' does not fit float16 (16 bits)");
  expect("flags.txt", "3C00 3C00 4000 40\n", "1: field 4 (flags): '40' does not fit the five flags (5 bits)");
  expect("j.jsonl", "{\"a\":\"0x3c00\",\"b\":\"0x3c00\",\"flags\":0}\n", "1: field 3 (result): missing");
  expect("k.jsonl", "{\"a\":\"0x3c00\",\"b\":\"0x3c00\",\"result\":\"0x4000\",\"flags\":0}\n{\"a\":\"0x3c00\",\"b\":[],\"result\":\"0x4000\",\"flags\":0}\n",
         "2: field 2 (b): expected a hex code string such as \"0x3c00\"");
  expect("l.jsonl", "{\"a\":\"0x3c00\",\n",
         "1: not a JSON object: parse error at line 1, column 15: syntax error while parsing object key - unexpected "
         "end of input; expected string literal");
}
