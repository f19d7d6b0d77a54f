// The explore report: the run's results as JSON (also the shard file `bitexact merge` joins), CSV
// (one row per candidate; one row per candidate and layer) and one self-contained HTML page with
// the Pareto plots and tables. Every output is a pure function of the run, so a merged set of
// shards renders the same bytes as one unsharded run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/explore/candidates.hpp"
#include "tools/explore/evaluate.hpp"
#include "tools/explore/workload.hpp"

namespace bitexact::explore {

using Json = nlohmann::ordered_json;

// A literature claim beside the project's figure (tools/explore/claims.hpp fills these).
struct ClaimRow {
  std::string id, topic, published, source, conditions, ours, computed_by, verdict, note;
};

struct ExploreRun {
  std::string version;
  uint64_t seed = 1;
  HwSettings hw;
  Workload workload;
  std::string options;            // the candidate-defining options, for the "reproduce" line
  uint64_t total_candidates = 0;  // in the whole (unsharded) run
  uint64_t shard_index = 1, shard_count = 1;
  std::vector<size_t> indices;    // global candidate index of each result
  std::vector<CandidateResult> results;
  bool claims_included = false;   // the claims section was computed (shard 1 computes it)
  std::vector<ClaimRow> claims;
};

inline constexpr int kSchemaVersion = 1;
inline constexpr const char* kShardFile = "explore-shard.json";

// Sets pareto_energy (GEMM-output SQNR against energy per forward pass) and pareto_area (against
// unit area per MAC/cycle) on every result.
void mark_pareto(std::vector<CandidateResult>& results);

Json run_to_json(const ExploreRun& run);
// Throws std::runtime_error "WHERE: ..." on a document that is not an explore run.
ExploreRun run_from_json(const Json& j, const std::string& where);

// Joins shards 1..N of one run (any order) into the unsharded run; throws std::runtime_error when
// they are not exactly the shards of one run.
ExploreRun merge_runs(std::vector<ExploreRun> shards);

std::string results_csv(const ExploreRun& run);
std::string layers_csv(const ExploreRun& run);
std::string report_html(const ExploreRun& run);

// report.html, results.csv, layers.csv and results.json into dir (created), each written
// atomically; returns the path of report.html. Throws std::runtime_error on an I/O failure.
std::string write_report(const ExploreRun& run, const std::string& dir);

}  // namespace bitexact::explore
