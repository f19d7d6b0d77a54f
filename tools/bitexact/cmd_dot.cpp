// bitexact dot: one dot product sum(a[i]*b[i]) (+ c) under an accumulation model (emu/accum/),
// or --list-models: the presets with their sources.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "emu/accum/accum_model.hpp"
#include "emu/accum/dot.hpp"
#include "emu/round_decision.hpp"
#include "emu/value_io.hpp"
#include "formats/error.hpp"
#include "tools/bitexact/cli_common.hpp"

namespace bitexact::cli {

namespace {

struct DotOptions {
  std::string a_format, b_format, accum = "exact";
  std::string a, b, c;
  EnvOptions env;
  std::string out_format = "table";
  bool list = false;
};

// "1,2,0x3c": values (rounded into f with rne, a note on stderr when inexact) or codes of f.
std::vector<uint64_t> parse_list(const Format& f, const std::string& text, const char* option) {
  std::vector<uint64_t> r;
  if (trim(text).empty()) return r;
  size_t start = 0, item = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string tok = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    ++item;
    try {
      if (tok.empty()) throw FormatError("empty value", tok, 0);
      if (is_code_token(tok)) {
        r.push_back(parse_code(f, tok));
      } else {
        Env oe;
        r.push_back(value_from_string(f, tok, oe));
        if (oe.flags)
          std::cerr << fmt::format("bitexact: note: {} item {} '{}' is not exactly a {} value; rounded (rne) to {} = {}\n",
                                   option, item, tok, f.name, code_hex(f, r.back()), value_to_string(f, r.back()));
      }
    } catch (const FormatError& e) {
      throw InputError(input_error(fmt::format("{} item {}", option, item), e));
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return r;
}

AccumModel parse_model(const std::string& spec) {
  try {
    return parse_accum_model(spec);
  } catch (const FormatError& e) {
    throw_spec_error(e, "--accum");
  }
}

int list_models(const Globals& g, const DotOptions& o) {
  const OutFormat of = parse_out_format(o.out_format);
  Json ctx = base_context();
  Output out(g.out);
  TableWriter w(out.stream(), of, {{"name"}, {"spec", false, true}, {"summary", false, true}, {"source"}, {"established"}},
                ctx, "models");
  for (const AccumPresetInfo& p : accum_presets())
    w.row({std::string(p.name), accum_model_spec(parse_accum_model(p.name)), std::string(p.summary),
           std::string(p.source), std::string(p.confidence)});
  w.finish();
  out.finish();
  return kExitOk;
}

int run_dot(const Globals& g, const DotOptions& o) {
  if (o.list) return list_models(g, o);
  const OutFormat of = parse_out_format(o.out_format);
  if (o.a_format.empty() || o.b_format.empty()) throw UsageError("dot: --a-format and --b-format are required");
  const Format fa = parse_format_option(o.a_format, "--a-format");
  const Format fb = parse_format_option(o.b_format, "--b-format");
  const AccumModel m = parse_model(o.accum);
  const std::vector<uint64_t> a = parse_list(fa, o.a, "--a"), b = parse_list(fb, o.b, "--b");
  if (a.size() != b.size())
    throw UsageError(fmt::format("dot: --a has {} value{} but --b has {}", a.size(), a.size() == 1 ? "" : "s", b.size()));
  const bool has_c = !trim(o.c).empty();
  uint64_t c = 0;
  if (has_c) {
    const std::vector<uint64_t> cv = parse_list(m.out_format, o.c, "--c");
    if (cv.size() != 1) throw UsageError("dot: --c takes one value");
    c = cv[0];
  }
  const Env base = o.env.make(m.out_format);
  // --random-bits feeds every stochastic rounding of the model (the output's is --rounding unless out_round is set).
  const bool stochastic = is_stochastic(m.out_rounding.value_or(base.mode)) || is_stochastic(m.acc_rounding) ||
                          is_stochastic(m.product_rounding) || is_stochastic(m.promote_rounding);
  if (!o.env.random_bits.empty() && !stochastic)
    throw UsageError("--random-bits: nothing is rounded stochastically (give --rounding sr or sr:R, or a model with a _round=sr key)");
  Env env = base;
  o.env.set_element(env, 0);
  env.flags = 0;
  const uint64_t r = dot(m, fa, a, fb, b, c, has_c, env);

  Json ctx = base_context();
  ctx["seed"] = o.env.seed;
  ctx["a_format"] = format_context(fa);
  ctx["b_format"] = format_context(fb);
  ctx["out_format"] = format_context(m.out_format);
  ctx["accum"] = accum_model_name(m);
  ctx["accum_spec"] = accum_model_spec(m);
  const Json env_desc = o.env.describe(env);
  for (auto& [k, v] : env_desc.items()) ctx[k] = v;

  const bool json = of == OutFormat::Json || of == OutFormat::Jsonl;
  Output out(g.out);
  TableWriter w(out.stream(), of, {{"accum"}, {"n", false, false, true}, {"result"}, {"value"}, {"flags"}, {"vioux", true}},
                ctx, "results");
  w.row({accum_model_name(m), Json(a.size()), code_hex(m.out_format, r), value_to_string(m.out_format, r),
         json ? Json(int(env.flags)) : Json(flags_hex(env.flags)), flags_letters(env.flags)});
  w.finish();
  out.finish();
  return kExitOk;
}

}  // namespace

void add_dot_command(CLI::App& root, const Globals& globals, Registry& registry) {
  auto o = std::make_shared<DotOptions>();
  CLI::App* cmd = root.add_subcommand(
      "dot", "one dot product sum(a[i]*b[i]) (+ c) under an accumulation model: exact (Kulisch), sequential, "
             "pairwise or a fused tensor-core model (--list-models: the presets and their sources)");
  cmd->add_option("--a-format", o->a_format, "format of the a values (catalogue name, alias or spec)")->option_text("FMT");
  cmd->add_option("--b-format", o->b_format, "format of the b values")->option_text("FMT");
  cmd->add_option("--accum", o->accum, "accumulation model: a preset or KIND<key=value,...> (default exact)")
      ->option_text("MODEL");
  cmd->add_option("--a", o->a, "comma-separated values or codes (0x..) of --a-format")->option_text("LIST");
  cmd->add_option("--b", o->b, "comma-separated values or codes of --b-format, as many as --a")->option_text("LIST");
  cmd->add_option("--c", o->c, "the addend: a value or code of the model's output format")->option_text("X");
  o->env.add_to(cmd);
  cmd->add_option("--output-format,-o", o->out_format, kOutFormatHelp)->option_text("table|csv|json|jsonl");
  cmd->add_flag("--list-models", o->list, "print the accumulation presets with their sources and how well each is "
                                          "established");
  cmd->footer(std::string(accum_model_help()) +
              "\nThe output rounding is --rounding (default rne) unless the model sets out_round.\n"
              "Examples:\n"
              "  bitexact dot --a-format e4m3 --b-format e4m3 --accum h100-fp8 --a 1,2,3 --b 0.5,0.25,1\n"
              "  bitexact dot --a-format float16 --b-format float16 --accum v100-fp16 --a 1,0x0c00 --b 1,0x0c00 --c 1\n"
              "  bitexact dot --accum 'fused<k=4,acc=24,round=rne,out=float16>' --a-format e5m2 --b-format e5m2 "
              "--a 3,5 --b 7,9 -o json\n"
              "  bitexact dot --list-models");
  registry.push_back({cmd, [&globals, o] { return run_dot(globals, *o); }});
}

}  // namespace bitexact::cli
