// `bitexact gen`, run as a subprocess: TestFloat's own output reproduced byte for byte, levels and
// their exact case counts, encodings, manifest hashes checked independently, hand-worked lines,
// and a sample of results checked against the independent oracle (emu/reference).
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "emu/reference/oracle.hpp"
#include "formats/spec.hpp"
#include "tests/tools/vectors_test_util.hpp"

#ifndef FIXTURES_DIR
#error "FIXTURES_DIR must be defined"
#endif

namespace {

using namespace vec_test;
using cli_test::slurp;

std::string fixture(const std::string& name) { return slurp(fs::path(FIXTURES_DIR) / name); }

std::string spaces(std::string s) {
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

void check_usage_error(const Run& r, const std::string& line) {
  CHECK(r.rc == 2);
  CHECK(r.out == "");
  CHECK(r.err == "bitexact: " + line + "\n");
}

}  // namespace

TEST_CASE("gen reproduces testfloat_gen's output byte for byte (float16 mul, float32 add, x86 NaNs)") {
  for (const auto& [file, format, op] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"f16_mul_rne.tv", "float16", "mul"}, {"f32_add_rne.tv", "float32", "add"}}) {
    CAPTURE(file);
    const std::string tv = fixture(file);
    REQUIRE(lines(tv) >= 120);
    const GenRun g = gen({"--format", format, "--op", op, "--operands", (fs::path(FIXTURES_DIR) / file).string(),
                          "--nan-style", "x86", "--no-tv-comment"});
    REQUIRE(g.run.rc == 0);
    const std::string stem = format + "_" + op + "_rne";
    CHECK(g.file(stem + ".tv") == tv);
    CHECK(g.file(stem + ".txt") == spaces(tv));
    CHECK(g.manifest["level"] == "list");
    CHECK(g.manifest["operands"] == file);
  }
  // With the core's canonical NaN, only lines with NaN results differ (FE00 -> 7E00, payloads dropped).
  const GenRun c = gen({"--format", "float16", "--op", "mul", "--operands",
                        (fs::path(FIXTURES_DIR) / "f16_mul_rne.tv").string(), "--encoding", "testfloat"});
  REQUIRE(c.run.rc == 0);
  const auto want = split_lines(spaces(fixture("f16_mul_rne.tv")));
  const auto got = split_lines(c.file("float16_mul_rne.txt"));
  REQUIRE(want.size() == got.size());
  int differ = 0;
  for (size_t i = 0; i < want.size(); ++i)
    if (want[i] != got[i]) {
      ++differ;
      CHECK(got[i].substr(10, 4) == "7E00");  // the canonical NaN; flags unchanged
      CHECK(got[i].substr(15) == want[i].substr(15));
    }
  CHECK(differ == 25);  // the NaN results of the excerpt that are not 7E00
  CHECK(std::count(got.begin(), got.end(), "0000 7C00 7E00 10") == 1);
}

TEST_CASE("gen: exhaustive levels have exactly every operand tuple") {
  const GenRun add = gen({"--format", "e4m3", "--op", "add", "--level", "exhaustive", "--encoding", "testfloat,tv"});
  REQUIRE(add.run.rc == 0);
  const std::string txt = add.file("float8_e4m3fn_add_rne.txt");
  CHECK(lines(txt) == 65536);
  CHECK(lines(add.file("float8_e4m3fn_add_rne.tv")) == 65536 + 1);  // + the // comment line
  const auto l = split_lines(txt);
  CHECK(l.front() == "00 00 00 00");
  CHECK(l[0x3838] == "38 38 40 00");  // 1 + 1 = 2
  CHECK(l[0x7E7E] == "7E 7E 7F 05");  // 448 + 448 overflows to NaN (E4M3 has no inf)
  CHECK(l.back() == "FF FF 7F 00");
  CHECK(add.manifest["count"] == 65536);

  const GenRun fma = gen({"--format", "e2m3", "--op", "fma", "--level", "exhaustive", "--encoding", "testfloat"});
  REQUIRE(fma.run.rc == 0);
  const std::string f = fma.file("float6_e2m3fn_fma_rne.txt");
  CHECK(lines(f) == 262144);
  // 1 * 1 + 0.125 = 1.125 (codes 0x08, 0x08, 0x01 -> 0x09), index (8 << 12) | (8 << 6) | 1.
  CHECK(split_lines(f)[(8 << 12) | (8 << 6) | 1] == "08 08 01 09 00");

  const GenRun conv = gen({"--format", "float16", "--op", "convert", "--to", "e5m2", "--level", "exhaustive",
                           "--encoding", "testfloat", "--rounding", "rtz"});
  REQUIRE(conv.run.rc == 0);
  const std::string cv = conv.file("float16_to_float8_e5m2_rtz.txt");
  CHECK(lines(cv) == 65536);
  CHECK(split_lines(cv)[0x3C01] == "3C01 3C 01");  // 1 + 2^-10 truncates to 1.0, inexact
  CHECK(conv.manifest["to"]["name"] == "float8_e5m2");

  check_usage_error(gen({"--format", "e5m2", "--op", "fma", "--level", "exhaustive"}).run,
                    "--level exhaustive: fma on float8_e5m2 has 2^24 operand tuples; exhaustive covers every code of "
                    "formats of up to 16 bits, every pair up to 8 bits and every triple up to 6 bits (use --level "
                    "standard)");
  check_usage_error(gen({"--format", "e4m3", "--op", "add", "--level", "exhaustive", "--count", "5"}).run,
                    "--count applies to --level standard only (exhaustive has a fixed size)");
}

TEST_CASE("gen: sanity level holds the hand-picked cases, ties included") {
  const GenRun g = gen({"--format", "float16", "--op", "add", "--level", "sanity", "--rounding", "rne,rtz,rup",
                        "--encoding", "testfloat"});
  REQUIRE(g.run.rc == 0);
  const std::string rne = g.file("float16_add_rne.txt");
  const std::string rup = g.file("float16_add_rup.txt");
  // 16 sanity codes: +-0, +-1, 1+ulp, 1.5, 2^-11, +-min subnormal, min normal, +-max, +-inf, qNaN, sNaN.
  CHECK(lines(rne) == 16 * 16);
  CHECK(rne.find("3C00 1000 3C00 01\n") != std::string::npos);  // 1 + 2^-11: a tie, to even (1)
  CHECK(rne.find("3C01 1000 3C02 01\n") != std::string::npos);  // 1+ulp + 2^-11: a tie, to even (1+2ulp)
  CHECK(rup.find("3C00 1000 3C01 01\n") != std::string::npos);
  CHECK(rne.find("7BFF 7BFF 7C00 05\n") != std::string::npos);  // max + max overflows
  CHECK(rne.find("7C00 FC00 7E00 10\n") != std::string::npos);  // inf - inf is invalid
  CHECK(rne.find("0000 8000 0000 00\n") != std::string::npos);
  CHECK(g.file("float16_add_rtz.txt").find("7BFF 7BFF 7BFF 05\n") != std::string::npos);
  const GenRun cmp = gen({"--format", "e5m2", "--op", "lt", "--level", "sanity", "--encoding", "testfloat,jsonl"});
  REQUIRE(cmp.run.rc == 0);
  const std::string lt = cmp.file("float8_e5m2_lt_rne.txt");
  CHECK(lt.find("00 3C 1 00\n") != std::string::npos);  // boolean results are one digit
  CHECK(lt.find("7E 3C 0 10\n") != std::string::npos);  // lt is signalling: invalid on a quiet NaN
  CHECK(cmp.file("float8_e5m2_lt_rne.jsonl").find(R"("a":"0x00","b":"0x3c","result":true,"flags":0,)") !=
        std::string::npos);
}

TEST_CASE("gen: encodings, manifest and the SHA-256 of every file") {
  const GenRun g = gen({"--format", "bf16", "--op", "mul", "--rounding", "rne,rdn", "--count", "500", "--seed", "7"});
  REQUIRE(g.run.rc == 0);
  const auto& m = g.manifest;
  CHECK(m["tool"] == "bitexact");
  CHECK(m["format"]["name"] == "bfloat16");
  CHECK(m["format"]["spec"] == "float<e=8,m=7,bias=127,inf=ieee,nan=ieee>");
  CHECK(m["operation"] == "mul");
  CHECK(m["rounding"] == nlohmann::json::array({"rne", "rdn"}));
  CHECK(m["overflow"] == "ieee");
  CHECK(m["tininess"] == "after");
  CHECK(m["nan_compare"] == "any");
  CHECK(m["seed"] == 7);
  CHECK(m["level"] == "standard");
  CHECK(m["count"] == 500);
  CHECK(m["shard"]["count"] == 1);
  REQUIRE(m["files"].size() == 6);
  std::set<std::string> names;
  for (const auto& f : m["files"]) {
    const std::string bytes = g.file(f["name"]);
    CHECK(f["sha256"] == sha256_independent(bytes));
    CHECK(f["bytes"] == bytes.size());
    CHECK(f["lines"] == 500);
    names.insert(f["name"]);
  }
  CHECK(names == std::set<std::string>{"bfloat16_mul_rne.txt", "bfloat16_mul_rne.tv", "bfloat16_mul_rne.jsonl",
                                       "bfloat16_mul_rdn.txt", "bfloat16_mul_rdn.tv", "bfloat16_mul_rdn.jsonl"});
  // The three encodings hold the same cases.
  const auto txt = split_lines(g.file("bfloat16_mul_rdn.txt"));
  const auto tv = split_lines(g.file("bfloat16_mul_rdn.tv"));
  const auto js = split_lines(g.file("bfloat16_mul_rdn.jsonl"));
  REQUIRE(tv.size() == 501);
  CHECK(tv[0] == "// bitexact 0.1.0: bfloat16 mul, rdn, overflow ieee, tininess after, level standard, seed 7");
  for (size_t i = 0; i < 500; ++i) {
    CHECK(spaces(tv[i + 1]) == txt[i]);
    const auto j = nlohmann::json::parse(js[i]);
    CHECK(j["index"] == i);
    char want[64];
    std::snprintf(want, sizeof want, "%04llX %04llX %04llX %02X",
                  std::stoull(j["a"].get<std::string>(), nullptr, 16), std::stoull(j["b"].get<std::string>(), nullptr, 16),
                  std::stoull(j["result"].get<std::string>(), nullptr, 16), j["flags"].get<unsigned>());
    CHECK(txt[i] == want);
  }
  // Same seed, same bytes; another seed, other cases.
  const GenRun again = gen({"--format", "bf16", "--op", "mul", "--rounding", "rne,rdn", "--count", "500", "--seed", "7"});
  CHECK(again.file("bfloat16_mul_rne.txt") == g.file("bfloat16_mul_rne.txt"));
  CHECK(again.file("manifest.json") == g.file("manifest.json"));
  const GenRun other = gen({"--format", "bf16", "--op", "mul", "--count", "500", "--seed", "8"});
  CHECK(other.file("bfloat16_mul_rne.txt") != g.file("bfloat16_mul_rne.txt"));
}

TEST_CASE("gen: results agree with the independent oracle (MPFR / value sets)") {
  using namespace bitexact;
  namespace ref = bitexact::reference;
  struct Job {
    std::string format, op, to, rounding, extra;
  };
  const std::vector<Job> jobs{{"float16", "add", "", "rne,rtz,rup,rdn,rna", ""},
                              {"float16", "div", "", "rne,rod", ""},
                              {"float16", "fma", "", "rne,rdn", "--tininess=before"},
                              {"float16", "sqrt", "", "rne,rup", ""},
                              {"float32", "mul", "", "rne,rtz", ""},
                              {"e4m3", "mul", "", "rne,rup", "--overflow=saturate"},
                              {"e2m1", "sub", "", "rne,rtz", ""},
                              {"float32", "convert", "e5m2", "rne,rtz,rdn", ""}};
  for (const Job& j : jobs) {
    CAPTURE(j.format);
    CAPTURE(j.op);
    std::vector<std::string> args{"--format", j.format, "--op", j.op, "--rounding", j.rounding, "--count", "1500",
                                  "--encoding", "jsonl"};
    if (!j.to.empty()) args.insert(args.end(), {"--to", j.to});
    if (!j.extra.empty()) args.push_back(j.extra);
    const GenRun g = gen(args);
    REQUIRE(g.run.rc == 0);
    const Format f = parse_format(j.format);
    const Format to = j.to.empty() ? f : parse_format(j.to);
    for (const auto& file : g.manifest["files"]) {
      Env env;
      int bits = 0;
      env.mode = parse_rounding(file["rounding"].get<std::string>(), &bits);
      if (j.extra == "--tininess=before") env.tininess = Tininess::BeforeRounding;
      if (j.extra == "--overflow=saturate") env.overflow = OverflowPolicy::Saturate;
      int checked = 0;
      for (const std::string& line : split_lines(g.file(file["name"]))) {
        const auto c = nlohmann::json::parse(line);
        auto code = [&](const char* k) { return std::stoull(c[k].get<std::string>(), nullptr, 16); };
        ref::OracleResult want;
        const uint64_t a = code("a");
        if (j.op == "convert") want = ref::oracle_convert(f, a, to, env);
        else if (j.op == "sqrt") want = ref::oracle_sqrt(f, a, env);
        else if (j.op == "fma") want = ref::oracle_fma(f, a, code("b"), code("c"), env);
        else {
          const ref::Op op = j.op == "add" ? ref::Op::Add : j.op == "sub" ? ref::Op::Sub : j.op == "mul" ? ref::Op::Mul : ref::Op::Div;
          want = ref::oracle_binary(op, f, a, code("b"), env);
        }
        CHECK(code("result") == want.code);
        CHECK(c["flags"].get<unsigned>() == want.flags);
        ++checked;
      }
      CHECK(checked == 1500);
    }
  }
}

TEST_CASE("gen: bad options are one-line usage errors") {
  check_usage_error(gen({"--format", "float16", "--op", "convert"}).run, "--op convert needs --to FMT (the target format)");
  check_usage_error(gen({"--format", "float16", "--op", "frob"}).run,
                    "--op: unknown operation 'frob' (expected add, sub, mul, div, fma, sqrt, min, max, eq, lt, le, "
                    "convert, dot)");
  check_usage_error(gen({"--format", "e4m3", "--op", "dot", "--k", "4"}).run, "--op dot needs --k K and --accum MODEL");
  check_usage_error(gen({"--format", "e4m3", "--op", "add", "--k", "4"}).run,
                    "--k, --accum, --format-b and --addend apply to --op dot only");
  check_usage_error(gen({"--format", "float16", "--op", "add", "--level", "huge"}).run,
                    "unknown level 'huge' (expected sanity, standard or exhaustive)");
  check_usage_error(gen({"--format", "float16", "--op", "add", "--encoding", "csv"}).run,
                    "unknown encoding 'csv' (expected testfloat, tv or jsonl)");
  check_usage_error(gen({"--format", "float16", "--op", "add", "--shard", "4/3"}).run,
                    "--shard: '4/3': K must be between 1 and N");
  check_usage_error(gen({"--format", "float16", "--op", "add", "--rounding", "rne,rne"}).run,
                    "--rounding: 'rne' is given twice");
  check_usage_error(gen({"--format", "float16", "--op", "add", "--nan-style", "arm"}).run,
                    "--nan-style: unknown NaN style 'arm' (expected canonical or x86)");
}
