// bitexact gen: golden test vectors for one operation of one format under one or more rounding
// modes, at a level (sanity, standard, exhaustive) or for the operands of an existing vector file,
// in TestFloat text, $readmemh .tv and JSONL, with manifest.json (tools/vectors/).
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "tools/bitexact/cli_common.hpp"
#include "tools/vectors/generate.hpp"
#include "tools/bitexact/vector_options.hpp"

namespace bitexact::cli {

namespace {

struct GenOptions {
  VectorOptions v;
  std::string level = "standard";
  uint64_t seed = 1;
  std::optional<uint64_t> count;
  std::string encodings = "testfloat,tv,jsonl";
  std::string out_dir;
  std::string shard = "1/1";
  std::string nan = "any";
  std::string operands;
  bool no_tv_comment = false;
};

// The operand fields of each line of a vector file (any encoding; results, if present, ignored).
std::vector<uint64_t> read_operand_list(const std::string& path, const vectors::VectorOp& op) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) throw InputError(fmt::format("--operands: cannot open '{}'", path));
    in = &file;
  }
  const std::string name = path == "-" ? "stdin" : path;
  std::optional<vectors::Encoding> enc = vectors::encoding_from_path(path);
  std::vector<uint64_t> flat;
  vectors::ParsedLine pl;
  std::string line;
  for (uint64_t lineno = 1; std::getline(*in, line); ++lineno) {
    try {
      if (!enc && line.find_first_not_of(" \t\r") != std::string::npos && line.rfind("//", 0) != 0)
        enc = vectors::encoding_from_line(line);
      if (!enc || !vectors::parse_line(line, *enc, op, pl)) continue;
    } catch (const std::invalid_argument& e) {
      throw InputError(fmt::format("{}:{}: {}", name, lineno, e.what()));
    }
    flat.insert(flat.end(), pl.x.begin(), pl.x.end());
  }
  return flat;
}

int run_gen(const Globals& g, const GenOptions& o) {
  vectors::GenSettings s;
  s.version = version();
  s.op = o.v.vector_op();
  s.modes = o.v.modes(s.op);
  s.preset = o.v.preset;
  try {
    s.level = o.operands.empty() ? vectors::parse_level(o.level) : vectors::Level::List;
    s.encodings.clear();
    for (const std::string& e : split_list(o.encodings)) s.encodings.push_back(vectors::parse_encoding(e));
    s.shard = vectors::parse_shard(o.shard);
    if (o.nan != "any" && o.nan != "exact") throw std::invalid_argument("--nan: expected any or exact, not '" + o.nan + "'");
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  s.seed = o.seed;
  s.count = o.count;
  s.nan_exact = o.nan == "exact";
  s.nan_style = o.v.nan_style();
  s.tv_comment = !o.no_tv_comment;
  if (!o.operands.empty()) {
    if (o.count) throw UsageError("--count does not apply to --operands (the file gives the cases)");
    s.operand_list = read_operand_list(o.operands, s.op);
    s.operand_source = o.operands == "-" ? "stdin" : std::filesystem::path(o.operands).filename().string();
  }

  const bool tty = isatty(2);
  vectors::Progress progress;
  if (tty)
    progress = [](uint64_t done, uint64_t total) {
      if (total < (1u << 20)) return;
      std::cerr << fmt::format("\rbitexact gen: {:3d}% ({} of {} cases)", int(100 * done / total), done, total)
                << (done == total ? "\n" : "") << std::flush;
    };
  vectors::Json m;
  try {
    m = vectors::generate(s, o.out_dir, progress);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  } catch (const std::runtime_error& e) {
    throw InputError(e.what());
  }

  Output out(g.out);
  Json ctx = base_context();
  TableWriter w(out.stream(), OutFormat::Table,
                {{"file"}, {"encoding"}, {"rounding"}, {"lines", false, false, true}, {"sha256"}}, ctx);
  for (const auto& f : m["files"])
    w.row({f["name"].get<std::string>(), f["encoding"].get<std::string>(), f["rounding"].get<std::string>(),
           f["lines"].get<uint64_t>(), f["sha256"].get<std::string>()});
  w.finish();
  out.finish();
  std::cerr << fmt::format("bitexact gen: {}: {} case{} x {} mode{} ({} level{}, shard {}) in {}/ with {}\n",
                           s.op.describe(), m["shard"]["cases"].get<uint64_t>(),
                           m["shard"]["cases"].get<uint64_t>() == 1 ? "" : "s", s.modes.size(),
                           s.modes.size() == 1 ? "" : "s", vectors::level_name(s.level),
                           s.level == vectors::Level::List ? " from " + s.operand_source : std::string(),
                           vectors::shard_name(s.shard), o.out_dir, vectors::kManifestName);
  return kExitOk;
}

}  // namespace

void add_gen_command(CLI::App& root, const Globals& globals, Registry& registry) {
  auto o = std::make_shared<GenOptions>();
  CLI::App* cmd = root.add_subcommand("gen", "golden test vectors (TestFloat text, $readmemh .tv, JSONL) with a manifest");
  o->v.add_to(cmd, /*multi_mode=*/true);
  cmd->add_option("--level", o->level,
                  "sanity (hand-picked specials: zeros, +-1, min subnormal, max, inf, NaN, ties), standard "
                  "(TestFloat-like exponent x significand patterns crossed with seeded random operands; --count, "
                  "default 20000) or exhaustive (every code up to 16 bits, every pair up to 8 bits, every triple up "
                  "to 6 bits)")
      ->option_text("LEVEL");
  cmd->add_option("--seed", o->seed, "seed of the random cases (and of stochastic rounding); default 1")
      ->option_text("S")
      ->check(unsigned64());
  cmd->add_option("--count", o->count, "standard level: number of cases (default 20000)")->option_text("N")->check(unsigned64());
  cmd->add_option("--encoding", o->encodings, "comma list of testfloat, tv, jsonl (default all three)")
      ->option_text("LIST");
  cmd->add_option("--out-dir", o->out_dir, "folder for the vector files and manifest.json (created if missing)")
      ->required()
      ->option_text("DIR");
  cmd->add_option("--shard", o->shard,
                  "write only shard K of N (1-based) of the case list; 'bitexact merge' joins the shards into what "
                  "one run writes")
      ->option_text("K/N");
  cmd->add_option("--nan", o->nan,
                  "NaN-comparison policy recorded in the manifest for verify: any (a NaN result matches any NaN, "
                  "as testfloat_ver; default) or exact (bit for bit)")
      ->option_text("any|exact");
  cmd->add_option("--operands", o->operands,
                  "take the cases from the operand fields of a vector file (any encoding; '-' for stdin) instead "
                  "of a level, e.g. to rewrite testfloat_gen's cases with bitexact's results")
      ->option_text("FILE");
  cmd->add_flag("--no-tv-comment", o->no_tv_comment, "leave out the leading '// bitexact ...' line of .tv files");
  cmd->footer(wrap(
      "Writes one file per rounding mode and encoding, named FORMAT_OP_MODE.EXT (FORMAT_to_TARGET_MODE for "
      "convert; .txt TestFloat text, .tv $readmemh, .jsonl), and manifest.json with the settings and the SHA-256 "
      "of every file. TestFloat text is 'A B [C] R FF': uppercase hex zero-padded to the format width, boolean "
      "results as one digit, flags as two hex digits (bit0 inexact, bit1 underflow, bit2 overflow, bit3 "
      "infinite, bit4 invalid). With --nan-style x86, float16/float32/float64 files are byte for byte what "
      "testfloat_gen (SoftFloat's default x86 build) writes for the same operands and modes.",
      100) + "\nExamples:\n"
      "  bitexact gen --format float16 --op add --rounding rne,rtz --out-dir vec\n"
      "  bitexact gen --format e4m3 --op mul --level exhaustive --encoding tv --out-dir vec\n"
      "  bitexact gen --format float16 --op convert --to e5m2 --level exhaustive --out-dir vec\n"
      "  bitexact gen --format float32 --op fma --count 1000000 --shard 2/4 --out-dir vec.2\n"
      "  bitexact gen --format e4m3 --op dot --k 4 --accum h100-fp8 --addend --out-dir dot");
  registry.push_back({cmd, [&globals, o] { return run_gen(globals, *o); }});
}

}  // namespace bitexact::cli
