// bitexact calc OP A [B [C]] --format FMT: one operation on codes of one format, or, with
// --bulk, TestFloat-style operand lines from stdin (and a verifier when lines carry an expected
// result and flags, as testfloat_gen writes them).
#include <unistd.h>

#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "emu/operation.hpp"
#include "emu/value_io.hpp"
#include "formats/error.hpp"
#include "formats/codec.hpp"
#include "tools/bitexact/cli_common.hpp"
#include "tools/vectors/generate.hpp"
#include "tools/vectors/verify.hpp"

namespace bitexact::cli {

namespace {

// calc covers the registry's operations on one format (convert has its own subcommand).
const OperationInfo& find_op(const std::string& name) {
  const std::optional<Operation> op = find_operation(name);
  if (!op || *op == Operation::Convert)
    throw UsageError(fmt::format("calc: unknown operation '{}' (expected add, sub, mul, div, fma, sqrt, min, max, eq, "
                                 "lt or le)",
                                 name));
  return operation_info(*op);
}

uint64_t apply(const OperationInfo& op, const Format& f, const uint64_t* x, Env& env) {
  return apply_operation(op.op, f, x, env);
}

struct CalcOptions {
  std::string op;
  std::vector<std::string> operands;
  std::string format;
  EnvOptions env;
  std::string out_format = "table";
  bool bulk = false;
  bool check_nans = false;
  bool quiet = false;
  int max_errors = 20;
};

// TestFloat lines through the vectors library (tools/vectors): the same line reader, golden
// result and comparison as `bitexact verify`, so the two cannot drift apart.
int run_bulk(const Globals& g, const CalcOptions& o, const OperationInfo& op, const Format& f, const Env& base) {
  Output out(g.out);
  std::ostream& os = out.stream();
  const vectors::VectorOp vop = vectors::VectorOp::scalar(op.op, f, f);
  vectors::VerifyPolicy policy;
  policy.nan_exact = o.check_nans;
  auto fields = [&](const uint64_t* x, uint64_t r, uint8_t flags) {
    std::string s;
    vectors::append_line(s, vectors::Encoding::TestFloat, vop, x, r, flags, 0);
    s.pop_back();
    return s;
  };

  uint64_t lineno = 0, verified = 0, mismatches = 0;
  std::string line;
  vectors::ParsedLine pl;
  while (std::getline(std::cin, line)) {
    ++lineno;
    const std::string where = fmt::format("stdin line {}", lineno);
    try {
      if (!vectors::parse_line(line, vectors::Encoding::TestFloat, vop, pl)) continue;
      if (pl.has_result != pl.has_flags)
        throw std::invalid_argument(fmt::format("expected {} operand fields (or {} plus the expected result and flags), "
                                                "found {}",
                                                op.arity, op.arity, pl.fields));
    } catch (const std::invalid_argument& e) {
      os.flush();
      std::cerr << "bitexact: " << where << ": " << e.what() << '\n';
      return kExitInput;
    }
    Env env = base;
    try {
      o.env.set_element(env, lineno - 1);
    } catch (const InputError& e) {
      os.flush();
      std::cerr << "bitexact: " << e.what() << '\n';
      return kExitInput;
    }
    const uint64_t r = vectors::golden(vop, vectors::NanStyle::Canonical, pl.x.data(), lineno - 1, env);
    if (!o.quiet) os << fields(pl.x.data(), r, env.flags) << '\n';
    if (!pl.has_result) continue;
    ++verified;
    if (!vectors::result_matches(vop, policy, r, env.flags, pl.result, pl.flags)) {
      ++mismatches;
      if (mismatches <= uint64_t(o.max_errors)) {
        std::string got = fields(pl.x.data(), r, env.flags);
        const std::string want = fields(pl.x.data(), pl.result, pl.flags);
        const size_t ops_len = got.rfind(' ', got.rfind(' ') - 1) + 1;
        std::cerr << fmt::format("bitexact: {}: mismatch: {}=> {}, expected {}\n", where, got.substr(0, ops_len),
                                 got.substr(ops_len), want.substr(ops_len));
      }
    }
  }
  out.finish();
  if (verified > 0)
    std::cerr << fmt::format("bitexact: calc {} {}: {} cases verified, {} mismatch{}\n", op.name, f.name, verified,
                             mismatches, mismatches == 1 ? "" : "es");
  return mismatches ? kExitMismatch : kExitOk;
}

int run_calc(const Globals& g, const CalcOptions& o) {
  const OperationInfo& op = find_op(o.op);
  parse_out_format(o.out_format);  // a bad -o is a usage error even where bulk mode ignores it
  const Format f = parse_format_option(o.format, "--format");
  const Env base = o.env.make(f);
  o.env.check_random_bits_used(base);
  const bool bulk = o.bulk || (o.operands.empty() && !isatty(0));
  if (bulk) {
    if (!o.operands.empty()) throw UsageError(fmt::format("calc {} --bulk reads operands from stdin; remove the operands "
                                                          "from the command line",
                                                          op.name));
    return run_bulk(g, o, op, f, base);
  }
  const OutFormat of = parse_out_format(o.out_format);
  if (o.operands.size() != size_t(op.arity))
    throw UsageError(fmt::format("calc {}: expected {} operand{}, got {} (or --bulk with operand lines on stdin)",
                                 op.name, op.arity, op.arity == 1 ? "" : "s", o.operands.size()));

  uint64_t x[3] = {0, 0, 0};
  for (int i = 0; i < op.arity; ++i) {
    const std::string tok = trim(o.operands[size_t(i)]);
    try {
      if (is_code_token(tok)) {
        x[i] = parse_code(f, tok);
      } else {
        Env oe;  // operands given as values are rounded into the format with rne
        x[i] = value_from_string(f, tok, oe);
        if (oe.flags)
          std::cerr << fmt::format("bitexact: note: operand {} '{}' is not exactly a {} value; rounded (rne) to {} = {}\n",
                                   i + 1, tok, f.name, code_hex(f, x[i]), value_to_string(f, x[i]));
      }
    } catch (const FormatError& e) {
      throw InputError(input_error(fmt::format("operand {}", i + 1), e));
    }
  }
  Env env = base;
  o.env.set_element(env, 0);
  env.flags = 0;
  const uint64_t r = apply(op, f, x, env);

  Json ctx = base_context();
  ctx["seed"] = o.env.seed;
  ctx["format"] = format_context(f);
  ctx["operation"] = op.name;
  const Json env_desc = o.env.describe(env);
  for (auto& [k, v] : env_desc.items()) ctx[k] = v;

  std::vector<TableWriter::Column> cols{{"op"}};
  const char* names[] = {"a", "b", "c"};
  for (int i = 0; i < op.arity; ++i) {
    cols.push_back({names[i]});
    cols.push_back({std::string(names[i]) + "_value"});
  }
  for (const char* c : {"result", "value", "flags"}) cols.push_back({c});
  cols.push_back({"vioux", true});

  const bool json = of == OutFormat::Json || of == OutFormat::Jsonl;
  std::vector<Json> row{op.name};
  for (int i = 0; i < op.arity; ++i) {
    row.push_back(code_hex(f, x[i]));
    row.push_back(value_to_string(f, x[i]));
  }
  if (op.boolean_result) {
    row.push_back(json ? Json(r != 0) : Json(r ? "1" : "0"));
    row.push_back(r ? "true" : "false");
  } else {
    row.push_back(code_hex(f, r));
    row.push_back(value_to_string(f, r));
  }
  row.push_back(json ? Json(int(env.flags)) : Json(flags_hex(env.flags)));
  row.push_back(flags_letters(env.flags));

  Output out(g.out);
  TableWriter w(out.stream(), of, cols, ctx, "results");
  w.row(std::move(row));
  w.finish();
  out.finish();
  return kExitOk;
}

}  // namespace

void add_calc_command(CLI::App& root, const Globals& globals, Registry& registry) {
  auto o = std::make_shared<CalcOptions>();
  CLI::App* cmd = root.add_subcommand(
      "calc", "one operation (add sub mul div fma sqrt min max eq lt le) on values of a format, or TestFloat-style "
              "operand lines from stdin (--bulk)");
  cmd->add_option("OP", o->op, "operation: add, sub, mul, div, fma (a*b+c), sqrt, min, max (IEEE 754-2019 "
                               "minimumNumber/maximumNumber), eq (quiet), lt, le (signalling)")
      ->required();
  cmd->add_option("OPERANDS", o->operands,
                  "operands: a code of FMT ('0x' + hex digits: 0x3c00) or a value (1.5, -0, 1e-3, 0x1.8p+0, inf, "
                  "nan), which is first rounded into FMT with rne (a note on stderr says when that is inexact)");
  cmd->add_option("--format", o->format,
                  "the number format of operands and result: a catalogue name, alias or spec (see 'bitexact "
                  "formats --help')")
      ->required()
      ->option_text("FMT");
  o->env.add_to(cmd);
  cmd->add_option("--output-format,-o", o->out_format, kOutFormatHelp)->option_text("table|csv|json|jsonl");
  cmd->add_flag("--bulk", o->bulk,
                "read operand lines from stdin (also the default when no OPERANDS are given and stdin is not a "
                "terminal)");
  cmd->add_flag("--check-nans", o->check_nans, "bulk verification: compare NaN results bit for bit (default: any NaN "
                                               "matches any NaN, as testfloat_ver)");
  cmd->add_flag("--quiet,-q", o->quiet, "bulk: do not print the result lines (verification summary only)");
  cmd->add_option("--errors", o->max_errors, "bulk verification: report at most N mismatches on stderr (default 20)")
      ->option_text("N")
      ->check(CLI::Range(0, 1000000000));
  cmd->footer(wrap(
      "Bulk mode (TestFloat text): each stdin line holds the operands as hex codes of FMT separated by spaces "
      "(no 0x needed), and bitexact prints 'A B [C] R FF': operands and result as uppercase hex zero-padded to the "
      "format width, the flags as two hex digits (bit0 inexact, bit1 underflow, bit2 overflow, bit3 infinite, "
      "bit4 invalid), exactly as testfloat_gen writes them; eq, lt and le print the result as one digit 0 or 1. "
      "A line that also carries an expected result and flags (testfloat_gen's output) is verified: mismatches go "
      "to stderr, a summary follows, and the exit code is 1 if any case differs. A malformed line stops with exit "
      "code 3 after the lines before it. Stochastic rounding uses the stdin line number minus 1 as element index.",
      100) + "\nExamples:\n"
      "  bitexact calc add 1 2 --format float16\n"
      "  bitexact calc fma 0x3c 0x3c 0x01 --format e4m3 --rounding rup -o json\n"
      "  printf '3C00 3C00\\n' | bitexact calc add --format float16 --bulk\n"
      "  testfloat_gen -rnear_even f16_mul | bitexact calc mul --format float16 --bulk -q");
  registry.push_back({cmd, [&globals, o] { return run_calc(globals, *o); }});
}

}  // namespace bitexact::cli
