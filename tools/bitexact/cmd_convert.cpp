// bitexact convert --to FMT [VALUE...]: values (decimal, hex float, or codes of --from) into a
// format, one rounding each, with the code, its shortest decimal and the raised flags.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "emu/ops.hpp"
#include "emu/value_io.hpp"
#include "formats/error.hpp"
#include "tools/bitexact/cli_common.hpp"

namespace bitexact::cli {

namespace {

struct ConvertOptions {
  std::string to;
  std::string from;
  EnvOptions env;
  std::string out_format = "table";
  std::vector<std::string> values;
};

int run_convert(const Globals& g, const ConvertOptions& o) {
  const OutFormat of = parse_out_format(o.out_format);
  const Format to = parse_format_option(o.to, "--to");
  std::optional<Format> from;
  if (!o.from.empty()) from = parse_format_option(o.from, "--from");
  const Env base = o.env.make(to);
  o.env.check_random_bits_used(base);

  Json ctx = base_context();
  ctx["seed"] = o.env.seed;
  ctx["to"] = format_context(to);
  if (from) ctx["from"] = format_context(*from);
  const Json env_desc = o.env.describe(base);
  for (auto& [k, v] : env_desc.items()) ctx[k] = v;

  Output out(g.out);
  TableWriter w(out.stream(), of, {{"input"}, {"code"}, {"value"}, {"flags"}, {"vioux", true}}, ctx, "results");
  // One value: the element index (for stochastic rounding) is its position, so results do not
  // depend on how the input is split into runs.
  auto convert_one = [&](const std::string& token, uint64_t index) {
    Env env = base;
    o.env.set_element(env, index);
    env.flags = 0;
    uint64_t code;
    if (from && is_code_token(token))
      code = convert(*from, parse_code(*from, token), to, env);
    else
      code = value_from_string(to, token, env);
    if (of == OutFormat::Json || of == OutFormat::Jsonl)  // JSON: flags as the TestFloat byte's number
      w.row({token, code_hex(to, code), value_to_string(to, code), int(env.flags), flags_letters(env.flags)});
    else
      w.row({token, code_hex(to, code), value_to_string(to, code), flags_hex(env.flags), flags_letters(env.flags)});
  };

  auto fail = [&](const std::string& where, const std::exception& e) -> int {
    w.finish();  // rows already written stay a valid document
    out.stream().flush();
    std::cerr << "bitexact: " << input_error(where, e) << '\n';
    return kExitInput;
  };

  if (!o.values.empty()) {
    for (size_t i = 0; i < o.values.size(); ++i) {
      const std::string token = trim(o.values[i]);
      try {
        convert_one(token, i);
      } catch (const std::runtime_error& e) {  // a bad value, or too few --random-bits words
        return fail(fmt::format("argument {}", i + 1), e);
      }
    }
  } else {
    if (isatty(0)) std::cerr << "bitexact: reading values from stdin, one per line (end with Ctrl-D)\n";
    std::string line;
    uint64_t lineno = 0;
    while (std::getline(std::cin, line)) {
      ++lineno;
      const std::string token = trim(line);
      if (token.empty() || token[0] == '#') continue;
      try {
        convert_one(token, lineno - 1);
      } catch (const std::runtime_error& e) {  // a bad value, or too few --random-bits words
        return fail(fmt::format("stdin line {}", lineno), e);
      }
    }
    if (std::cin.bad()) return fail("stdin", std::runtime_error("read error"));
  }
  w.finish();
  out.finish();
  return kExitOk;
}

}  // namespace

void add_convert_command(CLI::App& root, const Globals& globals, Registry& registry) {
  auto o = std::make_shared<ConvertOptions>();
  CLI::App* cmd = root.add_subcommand(
      "convert", "round values into a format (one rounding each) and print the code, its value and the flags");
  cmd->add_option("VALUE", o->values,
                  "values: decimal (1.5, -0, 1e-9, inf, nan), C99 hex float (0x1.8p+0) or, with --from, a code of "
                  "--from (0x3c: '0x' and hex digits only, no '.' or 'p'). Without VALUEs, one value per line is "
                  "read from stdin (blank lines and lines starting with '#' are skipped)");
  cmd->add_option("--to,-t", o->to, "target format: a catalogue name, alias or spec (see 'bitexact formats --help')")
      ->required()
      ->option_text("FMT");
  cmd->add_option("--from", o->from,
                  "source format of 0x code inputs; with it, a token '0x' + hex digits (no '.', 'p' or sign) is a "
                  "code of FMT, converted to --to; other tokens are still values")
      ->option_text("FMT");
  o->env.add_to(cmd);
  cmd->add_option("--format,-f", o->out_format,
                  "output: table (default; flags also as letters vioux = invalid, infinite, overflow, underflow, "
                  "inexact), csv (input,code,value,flags: code as 0x hex, flags as the TestFloat byte in hex), json "
                  "or jsonl")
      ->option_text("table|csv|json|jsonl");
  cmd->footer(wrap(
      "The environment starts from --preset and the explicit options override it; without --rounding the "
      "preset's default for the target applies (rne, or rup into E8M0 under cuda). Stochastic rounding draws "
      "from (seed, element index): the index is the argument's position or the stdin line number minus 1, so "
      "results do not depend on batching. A bad value stops with exit code 3 after the rows before it.", 100) +
      "\nExamples:\n"
      "  bitexact convert --to float8_e4m3fn 1.5 464 465 -0 nan 1e-9\n"
      "  bitexact convert --to e2m1 --rounding sr --seed 7 --format csv 0.3 0.3 0.3\n"
      "  bitexact convert --from bf16 --to e4m3 --overflow saturate 0x4400 0x3f80\n"
      "  seq 0 0.25 2 | bitexact convert --to fp4 --format jsonl");
  registry.push_back({cmd, [&globals, o] { return run_convert(globals, *o); }});
}

}  // namespace bitexact::cli
