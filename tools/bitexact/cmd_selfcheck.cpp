// bitexact selfcheck: the core against the independent oracle (emu/reference/conformance.hpp),
// exhaustively for every catalogued format of at most 8 bits; a summary row per
// format x operation x mode x overflow policy (x variant); exit code 1 on any mismatch.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "emu/reference/conformance.hpp"
#include "formats/catalog.hpp"
#include "tools/bitexact/cli_common.hpp"

namespace bitexact::cli {

namespace {

struct SelfcheckOptions {
  std::string out_format = "table";
  std::string formats;   // comma-separated catalogue names
  std::string ops;       // comma-separated: convert, sqrt, binary, fma
  std::string modes;     // comma-separated deterministic modes
  std::string overflow;  // comma-separated: ieee, saturate
  bool no_variants = false;
  bool no_stochastic = false;
  bool quick = false;
  bool detail = false;
  uint64_t fma_random = 0;  // 0: the default
  uint64_t seed = 1;
  unsigned threads = 0;     // 0: every hardware thread
};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> r;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    if (!item.empty()) r.push_back(item);
  }
  return r;
}

reference::ConformanceOptions make_options(const SelfcheckOptions& o) {
  reference::ConformanceOptions c;
  for (const std::string& n : split_list(o.formats)) {
    const CatalogEntry* e = active_catalog().find(n);
    if (!e) throw UsageError(fmt::format("selfcheck --formats: '{}' is not a catalogued format", n));
    if (e->format.width() > 16)
      throw UsageError(fmt::format("selfcheck --formats: {} has {} bits; exhaustive checks stop at 16", e->format.name,
                                   e->format.width()));
    c.formats.push_back(e->format.name);
  }
  if (!o.ops.empty()) {
    c.convert = c.sqrt = c.binary = c.fma = false;
    for (const std::string& op : split_list(o.ops)) {
      if (op == "convert") c.convert = true;
      else if (op == "sqrt") c.sqrt = true;
      else if (op == "binary") c.binary = true;
      else if (op == "fma") c.fma = true;
      else throw UsageError(fmt::format("selfcheck --ops: unknown '{}' (expected convert, sqrt, binary or fma)", op));
    }
  }
  try {
    for (const std::string& m : split_list(o.modes)) {
      int bits = 0;
      const RoundingMode mode = parse_rounding(m, &bits);
      if (mode == RoundingMode::SR || mode == RoundingMode::SRR)
        throw UsageError("selfcheck --modes: list deterministic modes only; sr and sr:R rows run unless --no-stochastic");
      c.modes.push_back(mode);
    }
    for (const std::string& p : split_list(o.overflow)) c.overflow.push_back(parse_overflow(p));
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("selfcheck: {}", e.what()));
  }
  c.variants = !o.no_variants;
  c.stochastic = !o.no_stochastic;
  c.seed = o.seed;
  if (o.quick) {
    c.fma_exhaustive_max_bits = 4;
    c.fma_random_cases = 20'000;
    c.variant_fma_random_cases = 2'000;
  }
  if (o.fma_random) c.fma_random_cases = o.fma_random;
  c.threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  return c;
}

// The table for people: one row per format x operation, one column per rounding mode holding that
// mode's mismatches summed over overflow policies and variants.
int print_summary(Output& out, const Json& ctx, const std::vector<reference::ConformanceRow>& rows, double seconds) {
  std::vector<std::string> modes;
  std::vector<std::pair<std::string, std::string>> keys;  // (format, operation) in first-seen order
  std::map<std::pair<std::string, std::string>, std::pair<uint64_t, std::map<std::string, uint64_t>>> agg;
  uint64_t cases = 0, mismatches = 0;
  for (const auto& r : rows) {
    if (std::find(modes.begin(), modes.end(), r.mode) == modes.end()) modes.push_back(r.mode);
    const auto key = std::make_pair(r.format, r.operation);
    if (!agg.count(key)) keys.push_back(key);
    auto& a = agg[key];
    a.first += r.cases;
    a.second[r.mode] += r.mismatches;
    cases += r.cases;
    mismatches += r.mismatches;
  }
  std::vector<TableWriter::Column> cols = {{"format"}, {"operation"}, {"cases", false, false, true}};
  for (const auto& m : modes) cols.push_back({m, false, false, true});
  TableWriter w(out.stream(), OutFormat::Table, cols, ctx, "rows");
  for (const auto& key : keys) {
    const auto& a = agg[key];
    std::vector<Json> cells = {key.first, key.second, a.first};
    for (const auto& m : modes) {
      auto it = a.second.find(m);
      cells.push_back(it == a.second.end() ? Json("-") : Json(it->second));
    }
    w.row(std::move(cells));
  }
  w.finish();
  out.finish();
  for (const auto& r : rows)
    if (r.mismatches) std::cerr << "bitexact: first mismatch: " << r.first_mismatch << '\n';
  std::cerr << fmt::format(
      "bitexact: selfcheck: {} cases in {} checks (format x operation x mode x overflow x variant), {} mismatches "
      "({:.1f} s); mode columns count mismatches, --detail lists every check\n",
      cases, rows.size(), mismatches, seconds);
  return mismatches ? kExitMismatch : kExitOk;
}

int run_selfcheck(const Globals& g, const SelfcheckOptions& o) {
  const OutFormat of = parse_out_format(o.out_format);
  const reference::ConformanceOptions copt = make_options(o);

  const bool tty = isatty(2);
  const auto t0 = std::chrono::steady_clock::now();
  reference::ProgressFn progress;
  if (tty) {
    progress = [](size_t done, size_t total, const reference::ConformanceRow& row) {
      std::cerr << fmt::format("\r\033[K[{}/{}] {} {} {}/{}{}", done, total, row.format, row.operation, row.mode,
                               row.overflow, row.variant.empty() ? "" : "/" + row.variant)
                << std::flush;
    };
  }
  std::vector<reference::ConformanceRow> rows;
  try {
    rows = reference::run_conformance(copt, progress);
  } catch (const std::invalid_argument& e) {
    if (tty) std::cerr << "\r\033[K";
    throw UsageError(fmt::format("selfcheck: {}", e.what()));
  }
  if (tty) std::cerr << "\r\033[K" << std::flush;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  Json ctx = base_context();
  ctx["seed"] = copt.seed;
  ctx["threads"] = copt.threads;
  ctx["quick"] = o.quick;
  Json fmts = Json::array();
  for (const auto& n : copt.formats) fmts.push_back(n);
  ctx["formats"] = copt.formats.empty() ? Json("every catalogued format of at most 8 bits") : fmts;

  Output out(g.out);
  if (of == OutFormat::Table && !o.detail) return print_summary(out, ctx, rows, seconds);
  TableWriter w(out.stream(), of,
                {{"format"},
                 {"operation"},
                 {"mode"},
                 {"overflow"},
                 {"variant"},
                 {"cases", false, false, true},
                 {"mismatches", false, false, true},
                 {"seconds", false, false, true},
                 {"first_mismatch", false, true}},
                ctx, "rows");
  uint64_t cases = 0, mismatches = 0, bad_rows = 0;
  const bool json = of == OutFormat::Json || of == OutFormat::Jsonl;
  for (const auto& r : rows) {
    cases += r.cases;
    mismatches += r.mismatches;
    if (r.mismatches) ++bad_rows;
    w.row({r.format, r.operation, r.mode, r.overflow, r.variant.empty() ? (of == OutFormat::Table ? "-" : "") : r.variant, r.cases,
           r.mismatches, json ? Json(r.seconds) : Json(fmt::format("{:.2f}", r.seconds)), r.first_mismatch});
  }
  w.finish();
  out.finish();
  if (of == OutFormat::Table)
    for (const auto& r : rows)
      if (r.mismatches) std::cerr << "bitexact: first mismatch: " << r.first_mismatch << '\n';
  std::cerr << fmt::format("bitexact: selfcheck: {} rows, {} cases, {} mismatches in {} rows ({:.1f} s)\n", rows.size(),
                           cases, mismatches, bad_rows, seconds);
  return mismatches ? kExitMismatch : kExitOk;
}

}  // namespace

void add_selfcheck_command(CLI::App& root, const Globals& globals, Registry& registry) {
  auto o = std::make_shared<SelfcheckOptions>();
  CLI::App* cmd = root.add_subcommand(
      "selfcheck", "check the core against the independent oracle (MPFR + value-set enumeration), exhaustively for "
                   "every catalogued format of at most 8 bits");
  cmd->add_option("--format,-f", o->out_format, kOutFormatHelp)->option_text("table|csv|json|jsonl");
  cmd->add_option("--formats", o->formats, "comma-separated catalogue names (default: every format of <= 8 bits)")
      ->option_text("LIST");
  cmd->add_option("--ops", o->ops, "comma-separated subset of convert, sqrt, binary (add sub mul div), fma")
      ->option_text("LIST");
  cmd->add_option("--modes", o->modes, "comma-separated deterministic modes (default: rne rna rtz rup rdn rod)")
      ->option_text("LIST");
  cmd->add_option("--overflow", o->overflow, "comma-separated policies (default: ieee,saturate)")->option_text("LIST");
  cmd->add_flag("--no-variants", o->no_variants, "skip the tininess=before, ftz and daz passes");
  cmd->add_flag("--no-stochastic", o->no_stochastic, "skip the sr and sr:3 passes");
  cmd->add_flag("--detail", o->detail,
                "table output: one row per format x operation x mode x overflow x variant instead of the summary");
  cmd->add_flag("--quick", o->quick, "a fast subset: fma exhaustive only up to 4 bits, fewer random fma triples");
  cmd->add_option("--fma-random", o->fma_random, "random fma triples per format wider than 6 bits (default 1000000)")
      ->option_text("N")
      ->check(unsigned64());
  cmd->add_option("--seed", o->seed, "seed of the random fma triples and stochastic rounding (default 1)")
      ->option_text("S")
      ->check(unsigned64());
  cmd->add_option("--threads,-j", o->threads, "worker threads, 1..256 (default: all; results do not depend on it)")
      ->option_text("N")
      ->check(CLI::Range(1u, 256u));
  cmd->footer(wrap("The table summarises one row per format x operation, with the number of cases and, per "
                   "rounding mode, the mismatches between the core (emu/) and the oracle (emu/reference/) summed over "
                   "overflow policies and variants. --detail, csv and json give one row per format x operation x mode "
                   "x overflow policy (x variant) with the first mismatch; mismatches are also reported on stderr. Progress goes to stderr when it is a "
                   "terminal. Exit code 1 if any case differs.",
                   100) +
              "\nExamples:\n"
              "  bitexact selfcheck\n"
              "  bitexact selfcheck --quick --formats e4m3,e2m1 --format csv\n"
              "  bitexact selfcheck --formats float8_e5m2 --ops binary --modes rne --no-variants --no-stochastic");
  registry.push_back({cmd, [&globals, o] { return run_selfcheck(globals, *o); }});
}

}  // namespace bitexact::cli
