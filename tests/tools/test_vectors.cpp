// The vectors library: line encodings written and read back, malformed fields named, shard
// ranges, case sets, patterns, SHA-256 and the x86 NaN style, with hand-worked values.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "formats/spec.hpp"
#include "tools/vectors/case_set.hpp"
#include "tools/vectors/encoding.hpp"
#include "tools/vectors/manifest.hpp"
#include "tools/vectors/nan_style.hpp"
#include "tools/vectors/patterns.hpp"
#include "tools/vectors/sha256.hpp"
#include "tools/vectors/shard.hpp"

using namespace bitexact;
using namespace bitexact::vectors;

namespace {
VectorOp op_of(const char* format, Operation op, const char* to = nullptr) {
  const Format f = parse_format(format);
  return VectorOp::scalar(op, f, to ? parse_format(to) : f);
}

std::string parse_error(std::string_view line, Encoding e, const VectorOp& op) {
  ParsedLine pl;
  try {
    parse_line(line, e, op, pl);
  } catch (const std::invalid_argument& err) {
    return err.what();
  }
  return "";
}
}  // namespace

TEST_CASE("encodings: lines as TestFloat, tv and JSONL write them") {
  const VectorOp add = op_of("float16", Operation::Add);
  const uint64_t x[] = {0x3C00, 0x0001};
  std::string s;
  append_line(s, Encoding::TestFloat, add, x, 0x3C00, 0x01, 5);
  append_line(s, Encoding::Tv, add, x, 0x3C00, 0x01, 5);
  append_line(s, Encoding::Jsonl, add, x, 0x3C00, 0x01, 5);
  CHECK(s ==
        "3C00 0001 3C00 01\n"
        "3C00_0001_3C00_01\n"
        R"({"index":5,"a":"0x3c00","b":"0x0001","result":"0x3c00","flags":1,"a_value":"1","b_value":"6e-08",)"
        R"("result_value":"1","flag_letters":"....x"})"
        "\n");
  // Widths follow each field's format; a convert's result is the target's width; booleans one digit.
  const VectorOp cv = op_of("float32", Operation::Convert, "e4m3");
  const uint64_t y[] = {0x3F800000};
  s.clear();
  append_line(s, Encoding::TestFloat, cv, y, 0x38, 0x00, 0);
  CHECK(s == "3F800000 38 00\n");
  const VectorOp lt = op_of("e2m1", Operation::Lt);
  const uint64_t z[] = {0x1, 0xF};
  s.clear();
  append_line(s, Encoding::Tv, lt, z, 0, 0x10, 0);
  CHECK(s == "1_F_0_10\n");
}

TEST_CASE("encodings: reading lines back, comments, either separator, 0x prefixes") {
  const VectorOp fma = op_of("float16", Operation::Fma);
  ParsedLine pl;
  CHECK(parse_line("3C00 3C00 0000 3C00 00", Encoding::TestFloat, fma, pl));
  CHECK(pl.x == std::vector<uint64_t>{0x3C00, 0x3C00, 0});
  CHECK(pl.has_result);
  CHECK(pl.result == 0x3C00);
  CHECK(parse_line("  3c00_0x3C00_0 4000 1f\r", Encoding::Tv, fma, pl));
  CHECK(pl.x[1] == 0x3C00);
  CHECK(pl.flags == 0x1F);
  CHECK(parse_line("3C00 3C00 0000", Encoding::TestFloat, fma, pl));  // operands only
  CHECK(!pl.has_result);
  CHECK(!parse_line("// bitexact 0.1.0", Encoding::Tv, fma, pl));
  CHECK(!parse_line("# note", Encoding::TestFloat, fma, pl));
  CHECK(!parse_line("   ", Encoding::TestFloat, fma, pl));
  CHECK(parse_line(R"({"a":"0x3c00","b":"3c00","c":"0x0000","result":"0x3c00","flags":0,"index":9})", Encoding::Jsonl,
                   fma, pl));
  CHECK(pl.index == 9u);
  CHECK(pl.result == 0x3C00);
  const VectorOp eq = op_of("e5m2", Operation::Eq);
  CHECK(parse_line(R"({"a":"0x3c","b":"0x3c","result":true,"flags":0})", Encoding::Jsonl, eq, pl));
  CHECK(pl.result == 1);
  CHECK(encoding_from_line(R"( {"a":1})") == Encoding::Jsonl);
  CHECK(encoding_from_line("3C00_3C00_4000_00") == Encoding::Tv);
  CHECK(encoding_from_line("3C00 3C00 4000 00") == Encoding::TestFloat);
  CHECK(encoding_from_path("x/float16_add_rne.tv") == Encoding::Tv);
  CHECK(encoding_from_path("dut.out") == std::nullopt);
}

TEST_CASE("encodings: malformed lines name the field") {
  const VectorOp add = op_of("float16", Operation::Add);
  CHECK(parse_error("3C00", Encoding::TestFloat, add) == "expected 4 fields (a b result flags) or 2 operands, found 1");
  CHECK(parse_error("3C00 3C00 4000 00 00", Encoding::TestFloat, add) ==
        "expected 4 fields (a b result flags) or 2 operands, found 5");
  CHECK(parse_error("3C00 3G00 4000 00", Encoding::TestFloat, add) ==
        "field 2 (b): '3G00' is not hex (unexpected character 'G')");
  CHECK(parse_error("3C00 3C00 14000 00", Encoding::TestFloat, add) ==
        "field 3 (result): '14000' does not fit float16 (16 bits)");
  CHECK(parse_error("3C00 3C00 4000 20", Encoding::TestFloat, add) ==
        "field 4 (flags): '20' does not fit the five flags (5 bits)");
  CHECK(parse_error("3C00 0x 4000 00", Encoding::TestFloat, add) == "field 2 (b): '0x' is not hex (unexpected character 'x')");
  CHECK(parse_error(R"({"a":"0x3c00"})", Encoding::Jsonl, add) == "field 2 (b): missing");
  CHECK(parse_error(R"({"a":"0x3c00",)", Encoding::Jsonl, add).rfind("not a JSON object: ", 0) == 0);
  // A number beyond double's range is nlohmann's out_of_range, not parse_error (found by fuzz_vectors).
  CHECK(parse_error(R"({"a": 1e99999, "b": "0x3c00"})", Encoding::Jsonl, add).rfind("not a JSON object: number overflow", 0) == 0);
  const VectorOp lt = op_of("float16", Operation::Lt);
  CHECK(parse_error("3C00 3C00 2 00", Encoding::TestFloat, lt) ==
        "field 3 (result): '2' does not fit a boolean result (1 bits)");
}

TEST_CASE("shards: contiguous, covering, keyed by global index") {
  CHECK(parse_shard("2/3") == Shard{2, 3});
  CHECK_THROWS_WITH(parse_shard("0/3"), "--shard: '0/3': K must be between 1 and N");
  CHECK_THROWS_WITH(parse_shard("a/3"), "--shard: 'a/3' is not K/N (e.g. 2/8)");
  for (uint64_t total : {0ull, 1ull, 10ull, 65536ull, 1000003ull})
    for (uint64_t n : {1ull, 2ull, 3ull, 7ull, 16ull}) {
      uint64_t next = 0;
      for (uint64_t k = 1; k <= n; ++k) {
        const CaseRange r = shard_range({k, n}, total);
        CHECK(r.begin == next);
        next = r.end;
      }
      CHECK(next == total);
    }
  CHECK(shard_range({2, 3}, 10).begin == 3);
  CHECK(shard_range({2, 3}, 10).end == 6);
}

TEST_CASE("case sets: deterministic by index, within the format, exhaustive order") {
  const VectorOp mul = op_of("float32", Operation::Mul);
  const CaseSet a(mul, Level::Standard, 5, 1000), b(mul, Level::Standard, 5, 1000000);
  uint64_t x[2], y[2];
  std::set<uint64_t> distinct;
  for (uint64_t i = 0; i < 1000; ++i) {
    a.operands(i, x);
    b.operands(i, y);  // the count does not change case i
    CHECK(x[0] == y[0]);
    CHECK(x[1] == y[1]);
    CHECK(x[0] <= 0xFFFFFFFFu);
    distinct.insert(x[0]);
  }
  CHECK(distinct.size() > 300);
  const VectorOp e2m1 = op_of("e2m1", Operation::Fma);
  const CaseSet ex(e2m1, Level::Exhaustive, 0, std::nullopt);
  CHECK(ex.size() == 4096);
  uint64_t t[3];
  ex.operands((0x3 << 8) | (0xA << 4) | 0x5, t);
  CHECK(t[0] == 0x3);
  CHECK(t[1] == 0xA);
  CHECK(t[2] == 0x5);
}

TEST_CASE("patterns: sanity and pattern codes of a few formats") {
  const Format f16 = parse_format("float16");
  CHECK(sanity_codes(f16) == std::vector<uint64_t>{0x0000, 0x8000, 0x3C00, 0xBC00, 0x3C01, 0x3E00, 0x1000, 0x0001,
                                                   0x8001, 0x0400, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00, 0x7E00, 0x7C01});
  const Format e4m3 = parse_format("e4m3");
  CHECK(sanity_codes(e4m3) == std::vector<uint64_t>{0x00, 0x80, 0x38, 0xB8, 0x39, 0x3C, 0x18, 0x01, 0x81, 0x08, 0x7E,
                                                    0xFE, 0x7F});
  for (const char* name : {"float16", "float32", "e4m3", "e8m0", "e2m1", "int8", "posit8", "nf4", "ue4m3"}) {
    CAPTURE(name);
    const Format f = parse_format(name);
    const auto p = pattern_codes(f);
    CHECK(std::set<uint64_t>(p.begin(), p.end()).size() == p.size());
    for (uint64_t c : p) CHECK(c <= f.facts.code_mask);
  }
  // float32: 0x3F800000 (1.0), 0x7F7FFFFF (max), 0x00000001, 0x807FFFFF are all patterns.
  const auto p32 = pattern_codes(parse_format("float32"));
  for (uint64_t c : {0x3F800000ull, 0x7F7FFFFFull, 0x00000001ull, 0x807FFFFFull, 0x3FC00000ull, 0x3FAAAAAAull})
    CHECK(std::find(p32.begin(), p32.end(), c) != p32.end());
}

TEST_CASE("SHA-256: FIPS 180-2 examples") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 h;
  h.update("a");
  h.update("bc");
  CHECK(h.hex() == sha256_hex("abc"));
}

TEST_CASE("NaN style x86: first NaN operand quieted, else the negative default NaN") {
  const VectorOp mul = op_of("float16", Operation::Mul);
  auto x86 = [](const VectorOp& op, std::vector<uint64_t> x, uint64_t r) {
    return apply_nan_style(NanStyle::X86, op, x.data(), r);
  };
  CHECK(x86(mul, {0x0000, 0x7C00}, 0x7E00) == 0xFE00);  // 0 * inf: default NaN
  CHECK(x86(mul, {0x0000, 0x7C01}, 0x7E00) == 0x7E01);  // signalling b, quieted
  CHECK(x86(mul, {0xFE2E, 0x7FA3}, 0x7E00) == 0xFE2E);  // a wins
  CHECK(x86(mul, {0x3C00, 0x4000}, 0x4200) == 0x4200);  // not a NaN: unchanged
  CHECK(apply_nan_style(NanStyle::Canonical, mul, std::vector<uint64_t>{0, 0x7C00}.data(), 0x7E00) == 0x7E00);
  const VectorOp fma = op_of("float32", Operation::Fma);
  CHECK(x86(fma, {0x7F800000, 0x00000000, 0x7FC00001}, 0x7FC00000) == 0xFFC00000);  // inf*0 before c
  CHECK(x86(fma, {0x3F800000, 0x3F800000, 0x7F800001}, 0x7FC00000) == 0x7FC00001);
  const VectorOp cv = op_of("float16", Operation::Convert, "float32");
  CHECK(x86(cv, {0xFE01}, 0x7FC00000) == 0xFFC02000);  // sign and payload carried to the top
  const VectorOp e4 = op_of("e4m3", Operation::Mul);
  CHECK(x86(e4, {0x00, 0x7F}, 0x7F) == 0x7F);  // no IEEE NaNs: the core's code
  CHECK(parse_nan_style("x86") == NanStyle::X86);
  CHECK_THROWS_WITH(parse_nan_style("arm"), "unknown NaN style 'arm' (expected canonical or x86)");
}

TEST_CASE("a manifest's fields have the types merge and verify read, and its file names are plain names") {
  const std::string good =
      R"({"tool": "bitexact", "operation": "add", "format": {"name": "float16", "spec": "e5m10"}, "rounding": ["rne"],)"
      R"( "shard": {"index": 1, "count": 1, "first_case": 0, "cases": 4},)"
      R"( "files": [{"name": "f16_add_rne.txt", "encoding": "testfloat", "rounding": "rne", "lines": 4}]})";
  const Json m = parse_manifest(good, "m.json");
  CHECK(parse_manifest(manifest_text(m), "again") == m);
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  auto fails = [&](const std::string& text, const std::string& why) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS(parse_manifest(text, "m.json"), ("m.json: not a bitexact vector manifest" + why).c_str(),
                         std::runtime_error);
  };
  fails(with("\"f16_add_rne.txt\"", "\"../evil.txt\""), ": file name \"../evil.txt\" is not a plain file name");
  fails(with("\"f16_add_rne.txt\"", "\"..\""), ": file name \"..\" is not a plain file name");
  fails(with("\"f16_add_rne.txt\"", "\"\""), ": file name \"\" is not a plain file name");
  fails(with("{\"index\": 1, \"count\": 1, \"first_case\": 0, \"cases\": 4}", "\"1/2\""), ": \"shard\" is not an object");
  fails(with("\"index\": 1", "\"index\": -1"), ": \"shard.index\" is not a non-negative integer");
  fails(with(", \"rounding\": \"rne\"", ""), ": no \"files[].rounding\"");
  fails(with("\"encoding\": \"testfloat\", ", ""), ": no \"files[].encoding\"");
  fails(with("\"operation\": \"add\"", "\"operation\": 3"), ": \"operation\" is not a string");
  fails(with("\"rounding\": [\"rne\"]", "\"rounding\": [1]"), ": \"rounding\" holds a non-string");
  fails(with("\"format\": {\"name\": \"float16\", \"spec\": \"e5m10\"}, ", ""), ": no \"format\"");
  fails(R"({"schema_version": 1, "files": 7})", "");
  CHECK_THROWS_WITH_AS(parse_manifest("{\"seed\": 1e400}", "m.json"), doctest::Contains("m.json: not JSON"),
                       std::runtime_error);
}
