// The options gen and verify share: format, operation, target, rounding modes, policies and the
// NaN style, turned into a vectors::VectorOp and one Env per rounding mode.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "emu/env.hpp"
#include "tools/vectors/nan_style.hpp"
#include "tools/vectors/vector_op.hpp"

namespace bitexact::cli {

struct VectorOptions {
  std::string format;
  std::string op;
  std::string to;
  std::string rounding;  // comma list; empty: rne
  std::string overflow;
  std::string tininess;
  std::string subnormals;
  std::string preset = "ocp";
  std::string nan_style_text;  // empty: canonical
  // dot: K products per line under an accumulation model; b's format (default: --format); an addend c.
  int k = 0;
  std::string accum;
  std::string format_b;
  bool addend = false;

  // required: --format and --op must be given (verify can take them from a manifest instead).
  void add_to(CLI::App* app, bool multi_mode, bool required = true);
  // Throws UsageError for an unknown operation, a bad spec, --to without convert and the like.
  vectors::VectorOp vector_op() const;
  std::vector<Env> modes(const vectors::VectorOp& op) const;
  vectors::NanStyle nan_style() const;
};

// "a,b,,c" -> {"a", "b", "c"} (spaces trimmed, empty items dropped).
std::vector<std::string> split_list(const std::string& s);

}  // namespace bitexact::cli
