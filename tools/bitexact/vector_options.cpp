#include "tools/bitexact/vector_options.hpp"

#include <fmt/format.h>

#include "formats/error.hpp"
#include "tools/bitexact/cli_common.hpp"

namespace bitexact::cli {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t comma = std::min(s.find(',', start), s.size());
    const std::string item = trim(std::string_view(s).substr(start, comma - start));
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

void VectorOptions::add_to(CLI::App* app, bool multi_mode, bool required) {
  auto* f = app->add_option("--format", format, "number format of the operands: a catalogue name, alias or spec")
                ->option_text("FMT");
  auto* o = app->add_option("--op", op,
                            "operation: add, sub, mul, div, fma, sqrt, min, max, eq, lt, le, convert (with --to), or dot "
                            "(with --k and --accum)")
                ->option_text("OP");
  if (required) {
    f->required();
    o->required();
  }
  app->add_option("--to", to, "convert: the target format")->option_text("FMT");
  app->add_option("--k", k, "dot: products per line (line fields a0..a(K-1) b0..b(K-1) [c] result flags)")
      ->option_text("K")
      ->check(CLI::Range(1, 64));
  app->add_option("--accum", accum,
                  "dot: the accumulation model: a preset (exact, fp32-fma, fp32-seq, fp32-pairwise, fp16-fma, bf16-seq, "
                  "v100-fp16, a100-fp16, h100-fp8, deepseek-v3) or KIND<key=value,...> (emu/SEMANTICS.md "
                  "'Accumulation models')")
      ->option_text("MODEL");
  app->add_option("--format-b", format_b, "dot: the format of the b operands (default: --format)")->option_text("FMT");
  app->add_flag("--addend", addend, "dot: lines carry an addend c in the model's output format");
  app->add_option("--rounding,-r", rounding,
                  multi_mode ? "rounding modes, comma-separated (one file per mode): rne (default), rna, rtz, rup, "
                               "rdn, rod, sr, sr:R"
                             : "rounding mode: rne (default), rna, rtz, rup, rdn, rod, sr, sr:R")
      ->option_text(multi_mode ? "M[,M2...]" : "MODE");
  app->add_option("--overflow", overflow, "overflow policy: ieee (default), saturate, or wrap (integer formats)")
      ->option_text("POLICY");
  app->add_option("--tininess", tininess, "underflow tininess detection: after (default) or before rounding")
      ->option_text("after|before");
  app->add_option("--subnormals", subnormals, "subnormal policy: keep (default), ftz, daz or ftz+daz")
      ->option_text("POLICY");
  app->add_option("--preset", preset, "bundle of the choices specs leave open: ocp (default), cuda or ml_dtypes")
      ->option_text("NAME");
  app->add_option("--nan-style", nan_style_text,
                  "NaN code of NaN results: canonical (the core's positive quiet NaN, as SoftFloat's RISCV build; "
                  "default) or x86 (as testfloat_gen on x86-64: the first NaN operand quieted, else the negative "
                  "default NaN)")
      ->option_text("canonical|x86");
}

vectors::VectorOp VectorOptions::vector_op() const {
  const bool dot_options = k != 0 || !accum.empty() || !format_b.empty() || addend;
  if (op == "dot") {
    if (k == 0 || accum.empty()) throw UsageError("--op dot needs --k K and --accum MODEL");
    if (!to.empty()) throw UsageError("--op dot takes its output format from --accum, not --to");
    AccumModel m;
    try {
      m = parse_accum_model(accum);
    } catch (const FormatError& e) {
      throw_spec_error(e, "--accum");
    }
    const Format fa = parse_format_option(format, "--format");
    const Format fb = format_b.empty() ? fa : parse_format_option(format_b, "--format-b");
    return vectors::VectorOp::dot(m, fa, fb, k, addend);
  }
  if (dot_options) throw UsageError("--k, --accum, --format-b and --addend apply to --op dot only");
  const std::optional<Operation> o = find_operation(op);
  if (!o) throw UsageError(fmt::format("--op: unknown operation '{}' (expected {}, dot)", op, operation_names()));
  const Format f = parse_format_option(format, "--format");
  if (*o == Operation::Convert) {
    if (to.empty()) throw UsageError("--op convert needs --to FMT (the target format)");
    return vectors::VectorOp::scalar(*o, f, parse_format_option(to, "--to"));
  }
  if (!to.empty()) throw UsageError(fmt::format("--to applies to --op convert only, not to {}", op));
  return vectors::VectorOp::scalar(*o, f, f);
}

std::vector<Env> VectorOptions::modes(const vectors::VectorOp& vop) const {
  std::vector<std::string> names = split_list(rounding);
  if (names.empty()) names.push_back("rne");
  std::vector<Env> out;
  for (const std::string& m : names) {
    EnvOptions e;
    e.rounding = m;
    e.overflow = overflow;
    e.tininess = tininess;
    e.subnormals = subnormals;
    e.preset = preset;
    Env env = e.make(vop.result_format());
    for (const Env& prev : out)
      if (prev.mode == env.mode && prev.sr_bits == env.sr_bits)
        throw UsageError(fmt::format("--rounding: '{}' is given twice", m));
    out.push_back(env);
  }
  return out;
}

vectors::NanStyle VectorOptions::nan_style() const {
  try {
    return nan_style_text.empty() ? vectors::NanStyle::Canonical : vectors::parse_nan_style(nan_style_text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--nan-style: ") + e.what());
  }
}

}  // namespace bitexact::cli
