// Vector file lines (tools/vectors/encoding.hpp): TestFloat text, $readmemh .tv and JSONL, as
// `verify` and `calc --bulk` read a DUT's output. Input: "LINE\nCONTROL"; the control bytes pick the
// encoding and the operation (scalar ops of several formats, a convert, a comparison, dot products).
// Properties, for a line that parses: writing its fields back with append_line and parsing that
// line gives the same operands, result and flags (and index, JSONL); a line with every operand
// computes a result (VectorOp::compute) without error. Allowed errors: std::invalid_argument.
#define BITEXACT_FUZZ_WITH_EMU
#include "tests/fuzz/fuzz_common.hpp"

#include "tools/vectors/encoding.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;
using namespace bitexact::vectors;

namespace {

const std::vector<VectorOp>& ops() {
  static const std::vector<VectorOp> v = [] {
    std::vector<VectorOp> r;
    const Format f16 = parse_format("float16"), f32 = parse_format("float32"), e4m3 = parse_format("e4m3"),
                 e5m2 = parse_format("e5m2"), bf16 = parse_format("bf16"), f64 = parse_format("float64"),
                 p8 = parse_format("posit8"), i8 = parse_format("int8"), nf4 = parse_format("nf4");
    r.push_back(VectorOp::scalar(Operation::Add, f16, f16));
    r.push_back(VectorOp::scalar(Operation::Fma, f32, f32));
    r.push_back(VectorOp::scalar(Operation::Sqrt, e5m2, e5m2));
    r.push_back(VectorOp::scalar(Operation::Div, f64, f64));
    r.push_back(VectorOp::scalar(Operation::Lt, bf16, bf16));
    r.push_back(VectorOp::scalar(Operation::Convert, e4m3, bf16));
    r.push_back(VectorOp::scalar(Operation::Convert, f32, nf4));
    r.push_back(VectorOp::scalar(Operation::Mul, p8, p8));
    r.push_back(VectorOp::scalar(Operation::Convert, f16, i8));
    r.push_back(VectorOp::dot(parse_accum_model("h100-fp8"), e4m3, e5m2, 4, true));
    r.push_back(VectorOp::dot(parse_accum_model("fp32-seq"), bf16, bf16, 2, false));
    return r;
  }();
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  const std::string_view line = in.text();
  const Encoding enc = Encoding(in.pick(3));
  const VectorOp& op = ops()[in.pick(ops().size())];
  ParsedLine p;
  bool has = false;
  if (!allowed([&] { has = parse_line(line, enc, op, p); })) return 0;
  if (!has) return 0;
  const int n = op.arity();
  FUZZ_CHECK(int(p.x.size()) == n, "operand count");
  for (int i = 0; i < n; ++i)
    FUZZ_CHECK((p.x[size_t(i)] & ~op.operand_format(i).facts.code_mask) == 0, "operand wider than its format");
  FUZZ_CHECK(!p.has_flags || p.flags < 32, "flags beyond the five flag bits");
  if (p.has_result) {
    const uint64_t rmask = op.boolean_result() ? 1 : op.result_format().facts.code_mask;
    FUZZ_CHECK((p.result & ~rmask) == 0, "result wider than its format");
  }

  Env env;
  (void)op.compute(p.x.data(), env);

  // Write the fields back (a full line) and read them again.
  if (p.has_result && p.has_flags) {
    const uint64_t index = p.index.value_or(7);
    std::string out;
    append_line(out, enc, op, p.x.data(), p.result, p.flags, index);
    FUZZ_CHECK(!out.empty() && out.back() == '\n', "append_line ends a line");
    out.pop_back();
    ParsedLine q;
    bool again = false;
    FUZZ_CHECK(allowed([&] { again = parse_line(out, enc, op, q); }), "written line '" + out + "' does not parse");
    FUZZ_CHECK(again && q.x == p.x && q.has_result && q.result == p.result && q.has_flags && q.flags == p.flags,
               "written line '" + out + "' reads back different fields");
    if (enc == Encoding::Jsonl) FUZZ_CHECK(q.index == index, "written line '" + out + "' reads back another index");
  }
  return 0;
}
