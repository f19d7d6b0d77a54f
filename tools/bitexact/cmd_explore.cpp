// bitexact explore: the design-space report. Candidates (activation scheme x weight scheme x
// accumulation model x hardware unit) on a workload (built-in Llama-2-7B projections or a TOML file
// with .npy tensors): quantization and GEMM-output error, energy, area, throughput, memory, the
// Pareto frontiers, and literature claims beside the project's figures. One self-contained HTML
// page plus the CSV and JSON it is drawn from (tools/explore/).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hwmodel/cost/tech.hpp"
#include "tools/bitexact/cli_common.hpp"
#include "tools/explore/candidates.hpp"
#include "tools/explore/claims.hpp"
#include "tools/explore/evaluate.hpp"
#include "tools/explore/report.hpp"
#include "tools/explore/workload.hpp"
#include "tools/report/html.hpp"
#include "tools/vectors/shard.hpp"

namespace bitexact::cli {

namespace {

struct ExploreOptions {
  std::string workload;
  std::vector<std::string> units, formats, accums, roundings;
  std::string out_dir = "explore";
  int threads = 0;
  uint64_t seed = 1;
  std::string shard;
  bool quiet = false;
  bool no_claims = false;
  bool quick_claims = false;
  bool list = false;
  double node = 28;
  double clock_mhz = 1000;
  std::string array = "16x16";
  int lanes = 4;
  int bits_per_cycle = 2;
  std::string lut_tile = "2x64x4";
  std::string sample;
};

bool parse_dims(const std::string& s, std::vector<int>& d, size_t n) {
  d.clear();
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, 'x')) {
    if (part.empty() || part.size() > 6 || part.find_first_not_of("0123456789") != std::string::npos) return false;
    d.push_back(std::stoi(part));
    if (d.back() < 1) return false;
  }
  return d.size() == n;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::vector<explore::ClaimRow> claim_rows(uint64_t seed, int threads, bool quick,
                                          const std::function<void(std::string_view)>& p) {
  explore::ClaimsOptions co;
  co.seed = seed;
  co.threads = threads;
  co.quick = quick;
  std::vector<explore::ClaimRow> rows;
  for (const explore::Claim& c : explore::reproduce_claims(co, p))
    rows.push_back({c.id, c.topic, c.published, c.source, c.conditions, c.ours, c.computed_by,
                    std::string(explore::to_string(c.verdict)), c.note});
  return rows;
}

int run_explore(const Globals& g, const ExploreOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  auto say = [&](const std::string& line) {
    if (!o.quiet) std::cerr << "explore: " << line << '\n';
  };
  explore::HwSettings hw;
  hw.node_nm = o.node;
  hw.clock_hz = o.clock_mhz * 1e6;
  std::vector<int> d;
  if (!parse_dims(o.array, d, 2) || d[0] > 4096 || d[1] > 4096)
    throw UsageError(fmt::format("--array: '{}' is not RxC (positive integers up to 4096)", o.array));
  hw.rows = d[0], hw.cols = d[1];
  if (!parse_dims(o.lut_tile, d, 3)) throw UsageError(fmt::format("--lut-tile: '{}' is not MxNxK", o.lut_tile));
  hw.lut_m = d[0], hw.lut_n = d[1], hw.lut_k = d[2];
  if (o.lanes < 1 || o.lanes > 1024) throw UsageError("--lanes: must be 1..1024");
  if (o.bits_per_cycle < 1 || o.bits_per_cycle > 8) throw UsageError("--bits-per-cycle: must be 1..8");
  if (!(o.clock_mhz > 0 && o.clock_mhz < 1e6)) throw UsageError("--clock-mhz: must be positive");
  if (o.threads < 0 || o.threads > 256) throw UsageError("--threads: must be 0 (all) to 256");
  try {
    hw::cost::TechLibrary::embedded().scale(45, o.node);
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("--node: {}", e.what()));
  }
  vectors::Shard shard;
  if (!o.shard.empty()) {
    try {
      shard = vectors::parse_shard(o.shard);
    } catch (const std::invalid_argument& e) {
      throw UsageError(fmt::format("--shard: {}", e.what()));
    }
  }

  // Candidates: the built-in list, or the cross product of the options given.
  std::vector<explore::Candidate> cands;
  std::string options;
  const bool custom = !o.units.empty() || !o.formats.empty() || !o.accums.empty() || !o.roundings.empty();
  if (custom) {
    const std::vector<std::string> units = o.units.empty() ? std::vector<std::string>{"mac"} : split_spec_list(o.units, "--unit");
    // A unit's option (changed from its default) that no chosen unit reads is a mistake, not ignored.
    auto chosen = [&](const char* u) { return std::find(units.begin(), units.end(), u) != units.end(); };
    if (o.lut_tile != "2x64x4" && !chosen("lut")) throw UsageError("--lut-tile applies to --unit lut");
    if (o.bits_per_cycle != 2 && !chosen("bitserial")) throw UsageError("--bits-per-cycle applies to --unit bitserial");
    if (o.lanes != 4 && !chosen("mac") && !chosen("bitserial"))
      throw UsageError("--lanes applies to --unit mac and bitserial");
    const std::vector<std::string> pairs =
        o.formats.empty() ? std::vector<std::string>{"bf16:bf16", "mxfp8_e4m3:mxfp8_e4m3", "mxfp4:mxfp4"}
                          : split_spec_list(o.formats, "--formats");
    const std::vector<std::string> accums = o.accums.empty() ? std::vector<std::string>{"auto"} : split_spec_list(o.accums, "--accum");
    const std::vector<std::string> modes = o.roundings.empty() ? std::vector<std::string>{"rne"} : split_spec_list(o.roundings, "--rounding");
    try {
      const std::vector<explore::Candidate> all = explore::cross_candidates(units, pairs, accums, modes, hw, false);
      cands = explore::cross_candidates(units, pairs, accums, modes, hw, true);
      if (cands.size() < all.size())
        say(fmt::format("{} of {} unit x format combinations left out: the unit cannot take the formats "
                        "(bitserial / lut: scalar element formats; lut: integer weights of 1..4 bits)",
                        all.size() - cands.size(), all.size()));
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
    if (cands.empty()) throw UsageError("no candidate left: no unit can take the formats given");
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const std::string& x : v) s += (s.empty() ? "" : ",") + x;
      return s;
    };
    options = fmt::format("--unit {} --formats '{}' --accum '{}'", join(units), join(pairs), join(accums));
    if (!o.roundings.empty()) options += " --rounding " + join(modes);
  } else {
    cands = explore::default_candidates();
  }
  if (!o.workload.empty()) options = fmt::format("--workload {}{}{}", o.workload, options.empty() ? "" : " ", options);
  if (o.node != 28) options += fmt::format(" --node {}", report::number(o.node));
  if (o.clock_mhz != 1000) options += fmt::format(" --clock-mhz {}", report::number(o.clock_mhz));
  if (o.array != "16x16") options += " --array " + o.array;
  if (o.lanes != 4) options += fmt::format(" --lanes {}", o.lanes);
  if (o.bits_per_cycle != 2) options += fmt::format(" --bits-per-cycle {}", o.bits_per_cycle);
  if (o.lut_tile != "2x64x4") options += " --lut-tile " + o.lut_tile;
  if (!o.sample.empty()) options += " --sample " + o.sample;
  if (o.no_claims) options += " --no-claims";
  if (o.quick_claims) options += " --quick-claims";
  if (!options.empty() && options[0] == ' ') options.erase(0, 1);

  if (o.list) {
    Output out(g.out);
    for (size_t i = 0; i < cands.size(); ++i)
      out.stream() << fmt::format("C{}  {}\n", i + 1, explore::candidate_label(cands[i]));
    out.finish();
    return kExitOk;
  }

  std::vector<int> sample;
  if (!o.sample.empty() && (!parse_dims(o.sample, sample, 3) || uint64_t(sample[0]) * uint64_t(sample[1]) > (1u << 26) ||
                            uint64_t(sample[2]) * uint64_t(sample[1]) > (1u << 26)))
    throw UsageError(fmt::format("--sample: '{}' is not MxKxN (positive, at most 2^26 elements per operand)", o.sample));
  explore::Workload wl;
  try {
    wl = o.workload.empty() ? explore::default_workload() : explore::load_workload(o.workload);
    if (!sample.empty())
      for (explore::Layer& l : wl.layers) {
        l.sample_m = uint64_t(sample[0]), l.sample_k = uint64_t(sample[1]), l.sample_n = uint64_t(sample[2]);
      }
    explore::resolve_npy_shapes(wl);
    explore::cap_samples(wl);
  } catch (const explore::WorkloadError& e) {
    throw InputError(e.what());
  }

  explore::ExploreRun run;
  run.version = version();
  run.seed = o.seed;
  run.hw = hw;
  run.workload = wl;
  run.options = options;
  run.total_candidates = cands.size();
  run.shard_index = shard.index, run.shard_count = shard.count;
  const vectors::CaseRange range = vectors::shard_range(shard, cands.size());

  say(fmt::format("workload '{}' ({}): {} layers; {} candidates{}; {} thread(s)", wl.name, wl.source, wl.layers.size(),
                  cands.size(),
                  shard.count > 1 ? fmt::format(", shard {} holds C{}..C{}", vectors::shard_name(shard), range.begin + 1,
                                                range.end)
                                  : "",
                  o.threads == 0 ? std::string("all") : std::to_string(o.threads)));
  explore::EvalSettings es{hw, o.seed, o.threads};
  std::unique_ptr<explore::Evaluator> ev;
  try {
    ev = std::make_unique<explore::Evaluator>(wl, es);
  } catch (const explore::WorkloadError& e) {
    throw InputError(e.what());
  }
  say(fmt::format("samples and exact references of {} layers ready ({:.1f} s)", wl.layers.size(), seconds_since(t0)));
  for (uint64_t i = range.begin; i < range.end; ++i) {
    const auto t1 = std::chrono::steady_clock::now();
    explore::CandidateResult r;
    try {
      r = ev->evaluate(cands[i]);
    } catch (const std::invalid_argument& e) {
      throw UsageError(fmt::format("candidate C{} ({}): {}", i + 1, explore::candidate_label(cands[i]), e.what()));
    }
    say(fmt::format("[{}/{}] C{} {}: out SQNR {} dB, {} pJ/MAC, {} J per pass ({:.1f} s)", i - range.begin + 1,
                    range.size(), i + 1, explore::candidate_label(cands[i]), report::number(r.out_sqnr_db, 3),
                    report::number(r.unit.energy_per_mac_pj, 3), report::number(r.energy_j, 3),
                    seconds_since(t1)));
    run.results.push_back(std::move(r));
    run.indices.push_back(i);
  }
  if (!o.no_claims && shard.index == 1) {
    const auto t1 = std::chrono::steady_clock::now();
    run.claims = claim_rows(o.seed, o.threads, o.quick_claims, [&](std::string_view line) { say(std::string(line)); });
    run.claims_included = true;
    say(fmt::format("{} literature claims ({:.1f} s)", run.claims.size(), seconds_since(t1)));
  }

  // Through JSON and back: exactly what a merge of shards renders from.
  const std::string where = fmt::format("{}/{}", o.out_dir, explore::kShardFile);
  try {
    if (shard.count > 1) {
      const std::string text = explore::run_to_json(run).dump(1) + "\n";
      std::error_code ec;
      std::filesystem::create_directories(o.out_dir, ec);
      write_file("--out-dir", where, text);
      say(fmt::format("wrote {} (shard {}); join the shards with 'bitexact merge DIR... --out-dir OUT' ({:.1f} s)",
                      where, vectors::shard_name(shard), seconds_since(t0)));
      return kExitOk;
    }
    explore::mark_pareto(run.results);
    const explore::ExploreRun back = explore::run_from_json(explore::run_to_json(run), where);
    const std::string path = explore::write_report(back, o.out_dir);
    say(fmt::format("wrote {} (and results.csv, layers.csv, results.json) in {:.1f} s", path, seconds_since(t0)));
  } catch (const std::runtime_error& e) {
    throw InputError(e.what());
  }
  return kExitOk;
}

}  // namespace

// `bitexact merge` of explore shards (cmd_merge.cpp calls this when the folders hold explore-shard.json).
int merge_explore_shards(const std::vector<std::string>& dirs, const std::string& out_dir) {
  std::vector<explore::ExploreRun> shards;
  for (const std::string& dir : dirs) {
    const std::string path = (std::filesystem::path(dir) / explore::kShardFile).string();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot read", path));
    explore::Json j;
    try {
      j = explore::Json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(fmt::format("{}: not JSON (byte {})", path, e.byte));
    }
    try {
      shards.push_back(explore::run_from_json(j, path));
    } catch (const std::runtime_error& e) {
      throw InputError(e.what());
    }
  }
  try {
    const explore::ExploreRun run = explore::merge_runs(std::move(shards));
    const explore::ExploreRun back = explore::run_from_json(explore::run_to_json(run), out_dir);
    const std::string path = explore::write_report(back, out_dir);
    std::cerr << fmt::format("bitexact merge: {} explore shards, {} candidates, into {}\n", dirs.size(),
                             run.results.size(), path);
  } catch (const std::runtime_error& e) {
    throw InputError(e.what());
  }
  return kExitOk;
}

void add_explore_command(CLI::App& root, const Globals& globals, Registry& registry) {
  auto o = std::make_shared<ExploreOptions>();
  CLI::App* cmd = root.add_subcommand(
      "explore",
      "design-space report: formats x block scales x accumulation models x hardware units on GEMM error, energy, "
      "area, throughput and memory, with Pareto frontiers and literature claims (HTML + CSV + JSON)");
  cmd->add_option("--workload,-w", o->workload,
                  "a workload TOML file naming layer shapes and .npy tensors (default: the built-in Llama-2-7B "
                  "projections with synthetic tensors); format below")
      ->option_text("FILE");
  cmd->add_option("--unit,-u", o->units, "units, comma list: mac, bitserial, lut (with --formats; default mac)")
      ->option_text("LIST")
      ->allow_extra_args(false);
  cmd->add_option("--formats", o->formats,
                  "ACT:WEIGHT scheme pairs, comma list (commas inside <...> belong to the scheme), e.g. "
                  "'mxfp4:mxfp4,int8<group=tensor>:int4<group=128>' (bitexact error --help lists schemes)")
      ->option_text("LIST")
      ->allow_extra_args(false);
  cmd->add_option("--accum", o->accums,
                  "accumulation models, comma list (bitexact dot --list-models); auto: exact<out=float32> for "
                  "integer elements, else fused<k=LANES,acc=24,out=float32> on mac, exact<out=float32> elsewhere")
      ->option_text("LIST")
      ->allow_extra_args(false);
  cmd->add_option("--rounding,-r", o->roundings,
                  "rounding modes of the operands' quantization, comma list (default rne): rne, rna, rtz, rup, rdn, "
                  "rod, sr (stochastic), sr:R (R random bits); the GEMM's own roundings are the model's")
      ->option_text("LIST")
      ->allow_extra_args(false);
  cmd->add_option("--out-dir,-o", o->out_dir, "folder for report.html, results.csv, layers.csv, results.json "
                                               "(default ./explore)")
      ->option_text("DIR");
  cmd->add_option("--threads,-j", o->threads, "worker threads (default: all; results do not depend on it)")
      ->option_text("N");
  cmd->add_option("--seed", o->seed, "seed of the synthetic tensors (default 1)")->option_text("S")->check(unsigned64());
  cmd->add_option("--shard", o->shard,
                  "evaluate candidates of slice K of N only and write DIR/explore-shard.json; join with bitexact merge")
      ->option_text("K/N");
  cmd->add_flag("--quiet,-q", o->quiet, "no progress lines on stderr");
  CLI::Option* no_claims = cmd->add_flag("--no-claims", o->no_claims, "leave out the literature claims section");
  cmd->add_flag("--quick-claims", o->quick_claims,
                "the claims on smaller samples (for tests and quick looks; the verdicts are the same, the figures "
                "less precise)")
      ->excludes(no_claims);
  cmd->add_flag("--list", o->list, "print the candidates (id and label) and exit");
  cmd->add_option("--node", o->node, "technology node in nm (default 28)")->option_text("NM");
  cmd->add_option("--clock-mhz", o->clock_mhz, "clock in MHz (default 1000)")->option_text("F");
  cmd->add_option("--array", o->array, "units in the array (default 16x16)")->option_text("RxC");
  cmd->add_option("--lanes", o->lanes, "mac DPn lanes and bit-serial lanes (default 4)")->option_text("N");
  cmd->add_option("--bits-per-cycle", o->bits_per_cycle, "bit-serial weight bits per cycle (default 2)")
      ->option_text("B");
  cmd->add_option("--lut-tile", o->lut_tile, "LUT Tensor Core tile M x N x K (default 2x64x4)")->option_text("MxNxK");
  cmd->add_option("--sample", o->sample,
                  "the emulated sample of every synthetic layer, M x K x N (default 32x256x64, or the TOML's; capped "
                  "at the layer's shape; .npy layers keep their own); larger samples give steadier SQNR figures and "
                  "take proportionally longer")
      ->option_text("MxKxN");
  cmd->footer(
      wrap("For each candidate (activation scheme x weight scheme x accumulation model x unit) on each layer of "
           "the workload: the quantization error (SQNR, max |error|) of the activations, the weights and the GEMM "
           "output against the exact product of the unquantized float32 tensors, computed on an emulated sample "
           "of the layer; and for the layer's full shape the unit's energy per MAC and area (analytic cost model, "
           "and yosys area where the configuration was synthesized), cycles and time on the array, energy "
           "including SRAM and DRAM traffic, and bytes at the formats' storage bits. The Pareto frontiers of "
           "GEMM-output SQNR against energy and against area are marked. Results do not depend on --threads or "
           "--shard. Progress goes to stderr, one line per candidate.",
           100) +
      "\n\nWorkload TOML (all layer keys but name optional; k and n come from the .npy files when given):\n"
      "  name = \"my-model\"\n"
      "  tokens = 2048                 # GEMM M of the cost part\n"
      "  [[layer]]\n"
      "  name = \"q_proj\"\n"
      "  k = 4096\n"
      "  n = 4096\n"
      "  count = 32                    # runs per forward pass\n"
      "  sample_m = 32                 # the emulated sample (default 32 x 256 x 64)\n"
      "  sample_k = 256\n"
      "  sample_n = 64\n"
      "  weights = \"q_w.npy\"           # (N, K) float array, PyTorch nn.Linear layout\n"
      "  activations = \"q_x.npy\"       # (M, K) float array\n"
      "  weight_dist = \"normal\"        # synthetic when no .npy: normal, laplace, student-t:NU, uniform\n"
      "  weight_channel_spread = 0.3   # log-normal sigma of per-output-channel scales\n"
      "  act_dist = \"student-t:4\"\n"
      "  act_outlier_channels = 0.01   # fraction of input channels multiplied by act_outlier_factor\n"
      "  act_outlier_factor = 20\n"
      "A malformed file is one line 'FILE:LINE:COL: what' and exit 3.\n"
      "\nExamples:\n"
      "  bitexact explore                                   # the built-in study into ./explore/report.html\n"
      "  bitexact explore --list                            # its candidates\n"
      "  bitexact explore --formats 'mxfp4:mxfp4,nvfp4:nvfp4,mxfp8_e4m3:mxfp4' --accum auto,h100-fp8 -o fp4\n"
      "  bitexact explore --formats mxfp4:mxfp4,nvfp4:nvfp4 --rounding rne,sr     # stochastic rounding's cost\n"
      "  bitexact explore --unit mac,bitserial,lut --formats 'int8<group=tensor>:int4<group=128>,fp16:int2<group=128>'\n"
      "  bitexact explore --workload model.toml --node 7 --clock-mhz 1500 --array 32x32\n"
      "  for k in 1 2 3 4; do bitexact explore --shard $k/4 -o s$k & done; wait; bitexact merge s1 s2 s3 s4 --out-dir all\n");
  registry.push_back({cmd, [&globals, o] { return run_explore(globals, *o); }});
}

}  // namespace bitexact::cli
