// bitexact verify: check a DUT's results (TestFloat text, .tv or JSONL; files or stdin) against
// golden results recomputed with the core; settings from options or from a gen manifest.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "formats/spec.hpp"
#include "tools/bitexact/cli_common.hpp"
#include "tools/bitexact/vector_options.hpp"
#include "tools/vectors/manifest.hpp"
#include "tools/vectors/verify.hpp"

namespace bitexact::cli {

namespace {

namespace fs = std::filesystem;

struct VerifyOptions {
  VectorOptions v;
  std::vector<std::string> files;
  std::string manifest;
  std::string encoding;
  std::string nan;
  bool no_flags = false;
  int max_errors = 20;
};

// A manifest's format entry: its catalogue name when that still means the same spec, else the spec.
std::string manifest_format(const vectors::Json& j) {
  const std::string name = j.value("name", ""), spec = j.value("spec", "");
  try {
    if (!name.empty() && spec_string(parse_format(name)) == spec) return name;
  } catch (const std::exception&) {
  }
  return spec;
}

// Fills the options the command line left empty from the manifest.
void take_manifest_settings(VectorOptions& v, const vectors::Json& m, std::string& nan) {
  auto fill = [](std::string& opt, const std::string& value) {
    if (opt.empty()) opt = value;
  };
  fill(v.format, manifest_format(m["format"]));
  fill(v.op, m.value("operation", ""));
  if (m.contains("to")) fill(v.to, manifest_format(m["to"]));
  fill(v.overflow, m.value("overflow", ""));
  fill(v.tininess, m.value("tininess", ""));
  fill(v.subnormals, m.value("subnormals", ""));
  if (v.preset == "ocp") v.preset = m.value("preset", "ocp");
  fill(v.nan_style_text, m.value("nan_style", ""));
  if (m.value("operation", "") == "dot") {
    if (v.k == 0) v.k = m.value("k", 0);
    fill(v.accum, m.value("accum", ""));
    if (m.contains("format_b")) fill(v.format_b, manifest_format(m["format_b"]));
    if (m.value("addend", false)) v.addend = true;
    v.to.clear();  // the model's output format
  }
  fill(nan, m.value("nan_compare", ""));
}

int run_verify(const Globals& g, VerifyOptions o) {
  vectors::Json m;
  fs::path manifest_dir;
  if (!o.manifest.empty()) {
    try {
      m = vectors::read_manifest(o.manifest);
    } catch (const std::runtime_error& e) {
      throw InputError(e.what());
    }
    manifest_dir = fs::path(o.manifest).parent_path();
    take_manifest_settings(o.v, m, o.nan);
  }
  if (o.v.format.empty() || o.v.op.empty()) throw UsageError("verify needs --format and --op, or --manifest");
  const vectors::VectorOp op = o.v.vector_op();
  const std::vector<std::string> cli_modes = split_list(o.v.rounding);
  if (cli_modes.size() > 1) throw UsageError("verify: give one --rounding mode (a file holds the results of one)");
  if (o.nan.empty()) o.nan = "any";
  if (o.nan != "any" && o.nan != "exact") throw UsageError(fmt::format("--nan: expected any or exact, not '{}'", o.nan));
  vectors::VerifyPolicy policy;
  policy.nan_exact = o.nan == "exact";
  policy.check_flags = !o.no_flags;
  policy.nan_style = o.v.nan_style();
  std::optional<vectors::Encoding> forced;
  if (!o.encoding.empty()) {
    try {
      forced = vectors::parse_encoding(o.encoding);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  if (o.files.empty()) {
    if (m.is_null()) o.files.push_back("-");
    else
      for (const auto& f : m["files"]) o.files.push_back((manifest_dir / f["name"].get<std::string>()).string());
  }

  Output out(g.out);
  std::ostream& os = out.stream();
  uint64_t passed = 0, failed = 0;
  for (const std::string& path : o.files) {
    const std::string name = path == "-" ? "stdin" : path;
    // The file's entry in the manifest, if it has one: its rounding mode and encoding.
    // The entry of the same name, else one whose stem (float16_add_rne) the file name contains.
    vectors::Json entry;
    const std::string base = path == "-" ? std::string() : fs::path(path).filename().string();
    if (!m.is_null() && !base.empty()) {
      for (const auto& f : m["files"])
        if (f["name"] == base) entry = f;
      for (const auto& f : m["files"])
        if (entry.is_null() && base.find(fs::path(f["name"].get<std::string>()).stem().string()) != std::string::npos) {
          entry = f;
          entry.erase("encoding");  // same case list, but the DUT's own encoding
        }
    }
    VectorOptions vo = o.v;
    if (cli_modes.empty()) {
      if (!entry.is_null()) vo.rounding = entry["rounding"].get<std::string>();
      else if (!m.is_null() && m["rounding"].size() == 1) vo.rounding = m["rounding"][0].get<std::string>();
      else if (!m.is_null())
        throw UsageError(fmt::format("{}: which rounding mode? the manifest has several; name one with --rounding", name));
    }
    const Env env = vo.modes(op).front();
    std::optional<vectors::Encoding> enc = forced;
    if (!enc && entry.contains("encoding")) enc = vectors::parse_encoding(entry["encoding"].get<std::string>());
    if (!enc && path != "-") enc = vectors::encoding_from_path(path);
    const uint64_t first = entry.is_null() ? 0 : m["shard"].value("first_case", uint64_t{0});

    std::ifstream file;
    std::istream* in = &std::cin;
    if (path != "-") {
      file.open(path, std::ios::binary);
      if (!file) throw InputError(fmt::format("{}: cannot open for reading", path));
      in = &file;
    }
    vectors::VerifyResult r;
    try {
      r = vectors::verify_stream(*in, name, enc, op, env, policy, first, size_t(o.max_errors));
    } catch (const vectors::LineError& e) {
      os.flush();
      throw InputError(e.what());
    }
    for (const vectors::Mismatch& mm : r.first) os << vectors::describe_mismatch(op, name, mm);
    os << fmt::format("{}: {} {}: {} passed, {} failed\n", name, op.describe(), rounding_name(env.mode, env.sr_bits),
                      r.passed, r.failed);
    passed += r.passed;
    failed += r.failed;
  }
  if (o.files.size() > 1) os << fmt::format("total: {} passed, {} failed\n", passed, failed);
  out.finish();
  return failed ? kExitMismatch : kExitOk;
}

}  // namespace

void add_verify_command(CLI::App& root, const Globals& globals, Registry& registry) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* cmd = root.add_subcommand(
      "verify", "check a DUT's results (TestFloat text, .tv, JSONL) against golden results recomputed by the core");
  cmd->add_option("FILES", o->files, "result files of the DUT ('-' for stdin; default: stdin, or with --manifest every "
                                     "file it lists)");
  o->v.add_to(cmd, /*multi_mode=*/false, /*required=*/false);
  cmd->add_option("--manifest", o->manifest,
                  "take format, operation, modes and policies from a gen manifest (options given here win)")
      ->option_text("FILE");
  cmd->add_option("--encoding", o->encoding,
                  "testfloat, tv or jsonl (default: from the file extension .txt/.tv/.jsonl, else from the content)")
      ->option_text("ENC");
  cmd->add_option("--nan", o->nan,
                  "NaN results: any (a NaN matches any NaN, as testfloat_ver; default) or exact (bit for bit against "
                  "the golden NaN of --nan-style)")
      ->option_text("any|exact");
  cmd->add_flag("--no-flags", o->no_flags, "compare result codes only (lines may then leave out the flags field)");
  cmd->add_option("--errors", o->max_errors, "report at most N mismatches per file (default 20)")
      ->option_text("N")
      ->check(CLI::Range(0, 1000000000));
  cmd->footer(wrap(
      "Each line holds the operands, the DUT's result and its flags (TestFloat's 'A B R FF', the same joined "
      "by '_' with '//' comments, or JSONL objects with fields a, b, c, result, flags). The golden result of "
      "every line is recomputed from its operands; a stored expectation is never trusted. Prints each mismatch "
      "(operands, expected and actual codes with their values and flags) and 'N passed, M failed' per file. "
      "Exit code 1 on any mismatch, 3 on a malformed line (FILE:LINE: the field and what is wrong).",
      100) + "\nExamples:\n"
      "  bitexact verify --format float16 --op add --rounding rtz dut_add_rtz.txt\n"
      "  bitexact verify --manifest vec/manifest.json sim/float16_add_rne.tv\n"
      "  testfloat_gen -rnear_even f32_mul | bitexact verify --format float32 --op mul -");
  registry.push_back({cmd, [&globals, o] { return run_verify(globals, *o); }});
}

}  // namespace bitexact::cli
