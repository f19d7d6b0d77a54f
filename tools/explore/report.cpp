#include "tools/explore/report.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "emu/atomic_file.hpp"
#include "emu/distributions.hpp"
#include "emu/accum/accum_model.hpp"
#include "emu/scheme.hpp"
#include "formats/error.hpp"
#include "tools/explore/pareto.hpp"
#include "tools/report/html.hpp"

namespace bitexact::explore {

namespace {

// --- JSON ------------------------------------------------------------------------------------------
// Doubles are written as JSON numbers (shortest round-trip form) and non-finite ones as the
// strings "inf", "-inf", "nan", so a shard read back holds exactly the doubles it was written with.

Json num(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

double get_num(const Json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) throw std::runtime_error(fmt::format("{}: missing '{}'", where, key));
  const Json& v = j.at(key);
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "inf") return INFINITY;
    if (s == "-inf") return -INFINITY;
    if (s == "nan") return NAN;
  }
  throw std::runtime_error(fmt::format("{}: '{}' is not a number", where, key));
}

template <class T>
T get(const Json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) throw std::runtime_error(fmt::format("{}: missing '{}'", where, key));
  try {
    return j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error(fmt::format("{}: '{}' has the wrong type", where, key));
  }
}

Json figures_json(const ErrorFigures& f) {
  return Json{{"sqnr_db", num(f.sqnr_db)}, {"max_abs", num(f.max_abs)}, {"max_rel", num(f.max_rel)},
              {"rmse", num(f.rmse)}, {"signal_rms", num(f.signal_rms)}};
}
ErrorFigures figures_from(const Json& j, const std::string& w) {
  return {get_num(j, "sqnr_db", w), get_num(j, "max_abs", w), get_num(j, "max_rel", w), get_num(j, "rmse", w),
          get_num(j, "signal_rms", w)};
}

Json source_json(const TensorSource& s) {
  return Json{{"npy", s.npy}, {"npy_path", s.npy_path}, {"dist", distribution_name(s.dist)},
              {"channel_spread", num(s.channel_spread)}, {"outlier_channels", num(s.outlier_channels)},
              {"outlier_factor", num(s.outlier_factor)}};
}
TensorSource source_from(const Json& j, const std::string& w) {
  TensorSource s;
  s.npy = get<std::string>(j, "npy", w);
  s.npy_path = get<std::string>(j, "npy_path", w);
  try {
    s.dist = parse_distribution(get<std::string>(j, "dist", w));
  } catch (const FormatError& e) {
    throw std::runtime_error(fmt::format("{}: dist: {}", w, e.what()));
  }
  s.channel_spread = get_num(j, "channel_spread", w);
  s.outlier_channels = get_num(j, "outlier_channels", w);
  s.outlier_factor = get_num(j, "outlier_factor", w);
  return s;
}

Json unit_json(const UnitCost& u) {
  return Json{{"config", u.config},
              {"cost_operands", u.cost_operands},
              {"cost_accum", u.cost_accum},
              {"macs_per_cycle", num(u.macs_per_cycle)},
              {"area_um2", num(u.area_um2)},
              {"energy_per_mac_pj", num(u.energy_per_mac_pj)},
              {"band", num(u.band)},
              {"synth_area_um2", u.synth_area_um2 < 0 ? Json(nullptr) : num(u.synth_area_um2)},
              {"synth_entry", u.synth_entry},
              {"timing", {u.timing.tile_m, u.timing.tile_n, u.timing.tile_k, u.timing.cycles_per_op, u.timing.latency}}};
}
UnitCost unit_from(const Json& j, const std::string& w) {
  UnitCost u;
  u.config = get<std::string>(j, "config", w);
  u.cost_operands = get<std::string>(j, "cost_operands", w);
  u.cost_accum = get<std::string>(j, "cost_accum", w);
  u.macs_per_cycle = get_num(j, "macs_per_cycle", w);
  u.area_um2 = get_num(j, "area_um2", w);
  u.energy_per_mac_pj = get_num(j, "energy_per_mac_pj", w);
  u.band = get_num(j, "band", w);
  u.synth_area_um2 = j.contains("synth_area_um2") && j["synth_area_um2"].is_null() ? -1 : get_num(j, "synth_area_um2", w);
  u.synth_entry = get<std::string>(j, "synth_entry", w);
  const auto t = get<std::vector<int>>(j, "timing", w);
  if (t.size() != 5) throw std::runtime_error(w + ": timing must have 5 entries");
  u.timing = {t[0], t[1], t[2], t[3], t[4]};
  return u;
}

Json result_json(const CandidateResult& r, size_t index) {
  Json layers = Json::array();
  for (const LayerResult& l : r.layers)
    layers.push_back(Json{{"layer", l.layer}, {"m", l.m}, {"n", l.n}, {"k", l.k}, {"count", l.count},
                          {"act", figures_json(l.act)}, {"weight", figures_json(l.weight)},
                          {"out", figures_json(l.out)}, {"cycles", l.cycles}, {"utilization", num(l.utilization)},
                          {"compute_j", num(l.compute_j)}, {"sram_j", num(l.sram_j)}, {"dram_j", num(l.dram_j)},
                          {"weight_bytes", num(l.weight_bytes)}, {"act_bytes", num(l.act_bytes)}});
  return Json{{"id", fmt::format("C{}", index + 1)},
              {"index", index},
              {"unit", r.cand.unit},
              {"act", r.cand.act},
              {"weight", r.cand.weight},
              {"accum", r.cand.accum},
              {"rounding", r.cand.rounding},
              {"act_bits", num(r.act_bits)},
              {"weight_bits", num(r.weight_bits)},
              {"out_sqnr_db", num(r.out_sqnr_db)},
              {"out_sqnr_min_db", num(r.out_sqnr_min_db)},
              {"act_sqnr_db", num(r.act_sqnr_db)},
              {"weight_sqnr_db", num(r.weight_sqnr_db)},
              {"out_max_abs_over_rms", num(r.out_max_rel_rms)},
              {"energy_j", num(r.energy_j)},
              {"compute_j", num(r.compute_j)},
              {"sram_j", num(r.sram_j)},
              {"dram_j", num(r.dram_j)},
              {"time_s", num(r.time_s)},
              {"peak_tops", num(r.peak_tops)},
              {"array_area_mm2", num(r.array_area_mm2)},
              {"area_per_mac_um2", num(r.area_per_mac_um2)},
              {"weight_bytes", num(r.weight_bytes)},
              {"pareto_energy", r.pareto_energy},
              {"pareto_area", r.pareto_area},
              {"unit_cost", unit_json(r.unit)},
              {"layers", layers}};
}

CandidateResult result_from(const Json& j, const std::string& w, size_t* index) {
  CandidateResult r;
  *index = get<size_t>(j, "index", w);
  r.cand = {get<std::string>(j, "unit", w), get<std::string>(j, "act", w), get<std::string>(j, "weight", w),
            get<std::string>(j, "accum", w), get<std::string>(j, "rounding", w)};
  r.act_bits = get_num(j, "act_bits", w);
  r.weight_bits = get_num(j, "weight_bits", w);
  r.out_sqnr_db = get_num(j, "out_sqnr_db", w);
  r.out_sqnr_min_db = get_num(j, "out_sqnr_min_db", w);
  r.act_sqnr_db = get_num(j, "act_sqnr_db", w);
  r.weight_sqnr_db = get_num(j, "weight_sqnr_db", w);
  r.out_max_rel_rms = get_num(j, "out_max_abs_over_rms", w);
  r.energy_j = get_num(j, "energy_j", w);
  r.compute_j = get_num(j, "compute_j", w);
  r.sram_j = get_num(j, "sram_j", w);
  r.dram_j = get_num(j, "dram_j", w);
  r.time_s = get_num(j, "time_s", w);
  r.peak_tops = get_num(j, "peak_tops", w);
  r.array_area_mm2 = get_num(j, "array_area_mm2", w);
  r.area_per_mac_um2 = get_num(j, "area_per_mac_um2", w);
  r.weight_bytes = get_num(j, "weight_bytes", w);
  r.pareto_energy = get<bool>(j, "pareto_energy", w);
  r.pareto_area = get<bool>(j, "pareto_area", w);
  r.unit = unit_from(j.at("unit_cost"), w);
  for (const Json& l : j.at("layers")) {
    LayerResult lr;
    lr.layer = get<std::string>(l, "layer", w);
    lr.m = get<uint64_t>(l, "m", w), lr.n = get<uint64_t>(l, "n", w), lr.k = get<uint64_t>(l, "k", w);
    lr.count = get<uint64_t>(l, "count", w);
    lr.act = figures_from(l.at("act"), w), lr.weight = figures_from(l.at("weight"), w);
    lr.out = figures_from(l.at("out"), w);
    lr.cycles = get<uint64_t>(l, "cycles", w);
    lr.utilization = get_num(l, "utilization", w);
    lr.compute_j = get_num(l, "compute_j", w), lr.sram_j = get_num(l, "sram_j", w);
    lr.dram_j = get_num(l, "dram_j", w);
    lr.weight_bytes = get_num(l, "weight_bytes", w), lr.act_bytes = get_num(l, "act_bytes", w);
    r.layers.push_back(std::move(lr));
  }
  return r;
}

// Everything but the shard's own part (for checking that shards belong to one run).
Json settings_json(const ExploreRun& run) {
  Json layers = Json::array();
  for (const Layer& l : run.workload.layers)
    layers.push_back(Json{{"name", l.name}, {"k", l.K}, {"n", l.N}, {"count", l.count}, {"sample_m", l.sample_m},
                          {"sample_k", l.sample_k}, {"sample_n", l.sample_n},
                          {"weights", source_json(l.weights)}, {"activations", source_json(l.activations)}});
  return Json{{"version", run.version},
              {"seed", run.seed},
              {"options", run.options},
              {"hw",
               {{"node_nm", num(run.hw.node_nm)},
                {"clock_hz", num(run.hw.clock_hz)},
                {"rows", run.hw.rows},
                {"cols", run.hw.cols},
                {"lanes", run.hw.lanes},
                {"bits_per_cycle", run.hw.bits_per_cycle},
                {"lut_tile", {run.hw.lut_m, run.hw.lut_n, run.hw.lut_k}}}},
              {"workload",
               {{"name", run.workload.name},
                {"source", run.workload.source},
                {"description", run.workload.description},
                {"tokens", run.workload.tokens},
                {"seed", run.workload.seed},
                {"layers", layers}}},
              {"total_candidates", run.total_candidates}};
}

void settings_from(const Json& j, ExploreRun& run, const std::string& w) {
  run.version = get<std::string>(j, "version", w);
  run.seed = get<uint64_t>(j, "seed", w);
  run.options = get<std::string>(j, "options", w);
  const Json& h = j.at("hw");
  run.hw.node_nm = get_num(h, "node_nm", w);
  run.hw.clock_hz = get_num(h, "clock_hz", w);
  run.hw.rows = get<int>(h, "rows", w), run.hw.cols = get<int>(h, "cols", w);
  run.hw.lanes = get<int>(h, "lanes", w), run.hw.bits_per_cycle = get<int>(h, "bits_per_cycle", w);
  const auto t = get<std::vector<int>>(h, "lut_tile", w);
  if (t.size() != 3) throw std::runtime_error(w + ": lut_tile must have 3 entries");
  run.hw.lut_m = t[0], run.hw.lut_n = t[1], run.hw.lut_k = t[2];
  const Json& wl = j.at("workload");
  run.workload.name = get<std::string>(wl, "name", w);
  run.workload.source = get<std::string>(wl, "source", w);
  run.workload.description = get<std::string>(wl, "description", w);
  run.workload.tokens = get<uint64_t>(wl, "tokens", w);
  run.workload.seed = get<uint64_t>(wl, "seed", w);
  for (const Json& l : wl.at("layers")) {
    Layer x;
    x.name = get<std::string>(l, "name", w);
    x.K = get<uint64_t>(l, "k", w), x.N = get<uint64_t>(l, "n", w), x.count = get<uint64_t>(l, "count", w);
    x.sample_m = get<uint64_t>(l, "sample_m", w), x.sample_k = get<uint64_t>(l, "sample_k", w);
    x.sample_n = get<uint64_t>(l, "sample_n", w);
    x.weights = source_from(l.at("weights"), w), x.activations = source_from(l.at("activations"), w);
    run.workload.layers.push_back(std::move(x));
  }
  run.total_candidates = get<uint64_t>(j, "total_candidates", w);
}

Json claim_json(const ClaimRow& c) {
  return Json{{"id", c.id},         {"topic", c.topic},           {"published", c.published},
              {"source", c.source}, {"conditions", c.conditions}, {"ours", c.ours},
              {"computed_by", c.computed_by}, {"verdict", c.verdict}, {"note", c.note}};
}

}  // namespace

void mark_pareto(std::vector<CandidateResult>& results) {
  std::vector<ParetoPoint> pe, pa;
  for (const CandidateResult& r : results) {
    pe.push_back({r.energy_j, r.out_sqnr_db});
    pa.push_back({r.area_per_mac_um2, r.out_sqnr_db});
  }
  const std::vector<bool> oe = pareto_front(pe), oa = pareto_front(pa);
  for (size_t i = 0; i < results.size(); ++i) results[i].pareto_energy = oe[i], results[i].pareto_area = oa[i];
}

Json run_to_json(const ExploreRun& run) {
  Json j{{"schema_version", kSchemaVersion}, {"kind", "bitexact-explore"}};
  j["context"] = settings_json(run);
  j["shard"] = fmt::format("{}/{}", run.shard_index, run.shard_count);
  Json cands = Json::array();
  for (size_t i = 0; i < run.results.size(); ++i) cands.push_back(result_json(run.results[i], run.indices[i]));
  j["candidates"] = cands;
  j["claims_included"] = run.claims_included;
  Json claims = Json::array();
  for (const ClaimRow& c : run.claims) claims.push_back(claim_json(c));
  j["claims"] = claims;
  return j;
}

ExploreRun run_from_json(const Json& j, const std::string& where) {
  if (!j.is_object() || !j.contains("kind") || j["kind"] != "bitexact-explore")
    throw std::runtime_error(where + ": not a bitexact explore result (kind bitexact-explore)");
  if (get<int>(j, "schema_version", where) != kSchemaVersion)
    throw std::runtime_error(fmt::format("{}: schema_version {} (this build reads {})", where,
                                         j["schema_version"].dump(), kSchemaVersion));
  ExploreRun run;
  try {
    settings_from(j.at("context"), run, where);
    const std::string shard = get<std::string>(j, "shard", where);
    unsigned long long k = 0, n = 0;
    if (std::sscanf(shard.c_str(), "%llu/%llu", &k, &n) != 2 || k < 1 || k > n)
      throw std::runtime_error(where + ": bad shard '" + shard + "'");
    run.shard_index = k, run.shard_count = n;
    for (const Json& c : j.at("candidates")) {
      size_t index = 0;
      run.results.push_back(result_from(c, where, &index));
      run.indices.push_back(index);
    }
    run.claims_included = get<bool>(j, "claims_included", where);
    for (const Json& c : j.at("claims"))
      run.claims.push_back({get<std::string>(c, "id", where), get<std::string>(c, "topic", where),
                            get<std::string>(c, "published", where), get<std::string>(c, "source", where),
                            get<std::string>(c, "conditions", where), get<std::string>(c, "ours", where),
                            get<std::string>(c, "computed_by", where), get<std::string>(c, "verdict", where),
                            get<std::string>(c, "note", where)});
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(fmt::format("{}: malformed explore result ({})", where, e.what()));
  }
  return run;
}

ExploreRun merge_runs(std::vector<ExploreRun> shards) {
  if (shards.empty()) throw std::runtime_error("merge: no shards");
  const uint64_t n = shards[0].shard_count;
  const Json settings = settings_json(shards[0]);
  std::set<uint64_t> seen;
  for (const ExploreRun& s : shards) {
    if (s.shard_count != n || settings_json(s) != settings)
      throw std::runtime_error("merge: the shards come from different explore runs (settings differ)");
    if (!seen.insert(s.shard_index).second)
      throw std::runtime_error(fmt::format("merge: shard {}/{} is given twice", s.shard_index, n));
  }
  if (seen.size() != n) {
    for (uint64_t k = 1; k <= n; ++k)
      if (!seen.count(k)) throw std::runtime_error(fmt::format("merge: shard {}/{} is missing", k, n));
  }
  std::sort(shards.begin(), shards.end(),
            [](const ExploreRun& a, const ExploreRun& b) { return a.shard_index < b.shard_index; });
  ExploreRun out = shards[0];
  out.shard_index = out.shard_count = 1;
  out.results.clear(), out.indices.clear();
  for (ExploreRun& s : shards) {
    for (size_t i = 0; i < s.results.size(); ++i) {
      if (s.indices[i] != out.results.size())
        throw std::runtime_error(fmt::format("merge: shard {}/{} holds candidate C{} out of order", s.shard_index, n,
                                             s.indices[i] + 1));
      out.results.push_back(std::move(s.results[i]));
      out.indices.push_back(s.indices[i]);
    }
    if (s.claims_included) out.claims_included = true, out.claims = s.claims;
  }
  if (out.results.size() != out.total_candidates)
    throw std::runtime_error(fmt::format("merge: {} candidates, the run has {}", out.results.size(), out.total_candidates));
  mark_pareto(out.results);
  return out;
}

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}
// Full precision (shortest round-trip) so the CSV is data, not a rounded view.
std::string csv_num(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return Json(v).dump();
}
std::string csv_line(const std::vector<std::string>& f) {
  std::string o;
  for (size_t i = 0; i < f.size(); ++i) o += (i ? "," : "") + csv_field(f[i]);
  return o + "\n";
}

std::string id_of(const ExploreRun& run, size_t i) { return fmt::format("C{}", run.indices[i] + 1); }

}  // namespace

std::string results_csv(const ExploreRun& run) {
  std::string o = csv_line({"id", "unit", "act", "weight", "accum", "rounding", "act_bits", "weight_bits", "act_sqnr_db",
                            "weight_sqnr_db", "out_sqnr_db", "out_sqnr_min_db", "out_max_abs_over_rms",
                            "pj_per_mac", "unit_area_um2", "synth_area_um2", "area_per_mac_um2", "macs_per_cycle",
                            "peak_tops", "array_area_mm2", "energy_j", "compute_j", "sram_j", "dram_j", "time_s",
                            "weight_bytes", "pareto_energy", "pareto_area", "cost_operands", "cost_accum",
                            "unit_config", "band"});
  for (size_t i = 0; i < run.results.size(); ++i) {
    const CandidateResult& r = run.results[i];
    o += csv_line({id_of(run, i), r.cand.unit, r.cand.act, r.cand.weight, r.cand.accum, r.cand.rounding,
                   csv_num(r.act_bits),
                   csv_num(r.weight_bits), csv_num(r.act_sqnr_db), csv_num(r.weight_sqnr_db), csv_num(r.out_sqnr_db),
                   csv_num(r.out_sqnr_min_db), csv_num(r.out_max_rel_rms), csv_num(r.unit.energy_per_mac_pj),
                   csv_num(r.unit.area_um2), r.unit.synth_area_um2 < 0 ? "" : csv_num(r.unit.synth_area_um2),
                   csv_num(r.area_per_mac_um2), csv_num(r.unit.macs_per_cycle), csv_num(r.peak_tops),
                   csv_num(r.array_area_mm2), csv_num(r.energy_j), csv_num(r.compute_j), csv_num(r.sram_j),
                   csv_num(r.dram_j), csv_num(r.time_s), csv_num(r.weight_bytes), r.pareto_energy ? "1" : "0",
                   r.pareto_area ? "1" : "0", r.unit.cost_operands, r.unit.cost_accum, r.unit.config,
                   csv_num(r.unit.band)});
  }
  return o;
}

std::string layers_csv(const ExploreRun& run) {
  std::string o = csv_line({"id", "layer", "m", "n", "k", "count", "act_sqnr_db", "act_max_abs", "weight_sqnr_db",
                            "weight_max_abs", "out_sqnr_db", "out_max_abs", "out_max_rel", "out_ref_rms", "cycles",
                            "utilization", "compute_j", "sram_j", "dram_j", "weight_bytes", "act_bytes"});
  for (size_t i = 0; i < run.results.size(); ++i)
    for (const LayerResult& l : run.results[i].layers)
      o += csv_line({id_of(run, i), l.layer, std::to_string(l.m), std::to_string(l.n), std::to_string(l.k),
                     std::to_string(l.count), csv_num(l.act.sqnr_db), csv_num(l.act.max_abs),
                     csv_num(l.weight.sqnr_db), csv_num(l.weight.max_abs), csv_num(l.out.sqnr_db),
                     csv_num(l.out.max_abs), csv_num(l.out.max_rel), csv_num(l.out.signal_rms),
                     std::to_string(l.cycles), csv_num(l.utilization), csv_num(l.compute_j), csv_num(l.sram_j),
                     csv_num(l.dram_j), csv_num(l.weight_bytes), csv_num(l.act_bytes)});
  return o;
}

namespace {

using report::number;

std::string describe_source(const TensorSource& s) {
  if (!s.npy.empty()) return s.npy;
  std::string d = distribution_name(s.dist);
  if (s.channel_spread > 0) d += fmt::format(", per-channel scale exp({} z)", number(s.channel_spread));
  if (s.outlier_channels > 0)
    d += fmt::format(", {}% of channels x{}", number(s.outlier_channels * 100), number(s.outlier_factor));
  return d;
}

// A Pareto plot: every candidate as a point (colour by unit), the frontier as a staircase.
std::string pareto_plot(const ExploreRun& run, bool energy) {
  report::Plot p;
  p.title = energy ? "GEMM-output SQNR against energy per forward pass" : "GEMM-output SQNR against unit area per MAC/cycle";
  p.x_label = energy ? "on-chip energy per forward pass, J (compute + SRAM; log scale)"
                     : "unit area per MAC/cycle, um^2 (analytic, log scale)";
  p.y_label = "GEMM-output SQNR, dB (mean over layers)";
  p.width = 860, p.height = 480;
  p.log_x = true;
  const char* units[] = {"mac", "bitserial", "lut"};
  size_t skipped = 0;
  for (size_t u = 0; u < 3; ++u) {
    report::Series s;
    s.name = std::string(units[u]) + " unit";
    s.lines = false;
    s.colour = int(u);
    for (size_t i = 0; i < run.results.size(); ++i) {
      const CandidateResult& r = run.results[i];
      if (r.cand.unit != units[u]) continue;
      s.x.push_back(energy ? r.energy_j : r.area_per_mac_um2);
      s.y.push_back(r.out_sqnr_db);
      s.labels.push_back(id_of(run, i));
      if (!std::isfinite(r.out_sqnr_db)) ++skipped;
    }
    if (!s.x.empty()) p.series.push_back(std::move(s));
  }
  std::vector<ParetoPoint> pts;
  for (const CandidateResult& r : run.results)
    pts.push_back({energy ? r.energy_j : r.area_per_mac_um2, r.out_sqnr_db});
  std::vector<bool> on(run.results.size());
  for (size_t i = 0; i < on.size(); ++i) on[i] = energy ? run.results[i].pareto_energy : run.results[i].pareto_area;
  report::Series f;
  f.name = "Pareto frontier";
  f.markers = false;
  f.colour = 4;
  for (size_t i : pareto_order(pts, on)) {  // a staircase: up only after moving right
    if (!std::isfinite(pts[i].quality)) continue;
    if (!f.x.empty()) f.x.push_back(pts[i].cost), f.y.push_back(f.y.back());
    f.x.push_back(pts[i].cost), f.y.push_back(pts[i].quality);
  }
  p.series.push_back(std::move(f));
  if (skipped) p.note = fmt::format("{} candidate(s) with infinite SQNR (exact) are not drawn; see the table.", skipped);
  return report::svg_plot(p);
}

std::string memory_plot(const ExploreRun& run) {
  report::Plot p;
  p.title = "GEMM-output SQNR against weight storage";
  p.x_label = "weight bits per element (block scales included)";
  p.y_label = "GEMM-output SQNR, dB (mean over layers)";
  p.width = 860, p.height = 420;
  report::Series s;
  s.name = "candidates";
  s.lines = false;
  for (size_t i = 0; i < run.results.size(); ++i) {
    s.x.push_back(run.results[i].weight_bits);
    s.y.push_back(run.results[i].out_sqnr_db);
    s.labels.push_back(id_of(run, i));
  }
  p.series.push_back(std::move(s));
  return report::svg_plot(p);
}

// What a scheme is, in one line, from its parsed form.
std::string describe_scheme(const std::string& name) {
  Scheme s;
  try {
    s = parse_scheme(name);
  } catch (const FormatError&) {
    return "(not parsed by this build)";
  }
  if (!s.is_block) return fmt::format("scalar {} format, {} bits, no scale", s.format.name, s.format.width());
  const BlockFormat& b = s.block;
  const std::string elem = b.int_element ? fmt::format("int{}", b.int_bits) : b.element.name;
  const std::string group = b.block == 0 ? std::string("the whole tensor") : fmt::format("{} elements", b.block);
  std::string d = fmt::format("{}: {} elements, one {} scale per {}", scheme_family(s), elem, b.scale.name, group);
  if (b.kind == BlockKind::Nvfp4 && b.tensor == TensorScale::Amax) d += ", times an FP32 per-tensor scale";
  if (b.kind == BlockKind::Mx) d += fmt::format(" (scale rule {})", scale_rule_name(b.rule));
  if (b.rht) d += fmt::format(", random Hadamard rotation of {}", b.rht);
  return d;
}

// Stacked bars of the on-chip energy per forward pass (the Pareto axis) by part.
std::string energy_bars(const ExploreRun& run) {
  report::BarChart b;
  b.title = "On-chip energy per forward pass by part";
  b.x_label = "J (one forward pass: every layer times its count)";
  b.stacks = {"compute (MACs x pJ/MAC)", "SRAM traffic"};
  for (size_t i = 0; i < run.results.size(); ++i) {
    const CandidateResult& r = run.results[i];
    b.rows.push_back(fmt::format("{} {} {} x {}", id_of(run, i), r.cand.unit, r.cand.act, r.cand.weight));
    b.values.push_back({r.compute_j, r.sram_j});
  }
  b.note = "DRAM energy is not in the bars (table column 'DRAM J').";
  return report::svg_bars(b);
}

std::string mark(const CandidateResult& r) {
  std::string m;
  if (r.pareto_energy) m += "E";
  if (r.pareto_area) m += m.empty() ? "A" : " A";
  return m.empty() ? "" : m;
}

}  // namespace

std::string report_html(const ExploreRun& run) {
  const Workload& w = run.workload;
  report::HtmlPage page("bitexact explore: number formats x hardware units on error, energy, area and throughput");
  page.heading("What this report shows and how to read it");
  page.paragraph(fmt::format(
      "Each candidate is one way to run the matrix multiplications of a neural-network layer in low precision: "
      "an activation number format, a weight number format (with its block scales), an accumulation model (how "
      "the products are summed and rounded) and a hardware unit that computes it. For {} candidates on the "
      "workload '{}' the report puts the numerical error beside the hardware cost.",
      run.results.size(), w.name));
  page.raw(
      "<ul>\n"
      "<li><b>Error</b> (higher is better): the SQNR in dB of the GEMM output against the exact product of the "
      "unquantized inputs, 10 log10(signal power / error power). +6 dB is one more correct bit; 20 dB means the "
      "error power is 1% of the signal power, 40 dB 0.01%. Activation and weight SQNRs show where the error comes "
      "from.</li>\n"
      "<li><b>Energy</b> (lower is better): one forward pass of the workload on an array of units: compute "
      "(MACs x energy per MAC) plus on-chip SRAM traffic at the formats' storage bits. DRAM energy is listed "
      "beside it and not added: it depends on buffer sizes and the dataflow far more than on the format (the "
      "GEMM runner re-reads the weights once per row of output tiles, see 'DRAM J').</li>\n"
      "<li><b>Area</b> (lower is better): one unit's area divided by the MACs it completes per cycle, so units of "
      "different sizes compare at equal throughput.</li>\n"
      "<li><b>Pareto frontier</b>: the candidates no other candidate beats on both axes at once; the staircase line "
      "in each plot joins them, and the 'frontier' column of the table marks them (E: error vs energy, A: error "
      "vs area). A candidate off the frontier is dominated: some other candidate has at least its SQNR at no more "
      "energy (or area).</li>\n"
      "<li>Points are labelled C1, C2, ... as in the tables; hover a point for its values.</li>\n"
      "</ul>\n");
  page.paragraph(
      "Every figure comes from a computation in this project or a cited source; the section 'Where each figure comes "
      "from' lists them. Absolute energy and area carry the cost model's uncertainty band (column 'band'); ratios "
      "between candidates costed with the same constants are tighter (about +-20%, README 'The cost model').");

  page.heading("Pareto frontiers");
  page.raw(pareto_plot(run, true));
  page.raw(pareto_plot(run, false));

  // The frontiers cheapest first, with what each step up buys.
  for (const bool energy : {true, false}) {
    std::vector<ParetoPoint> pts;
    std::vector<bool> on;
    for (const CandidateResult& r : run.results) {
      pts.push_back({energy ? r.energy_j : r.area_per_mac_um2, r.out_sqnr_db});
      on.push_back(energy ? r.pareto_energy : r.pareto_area);
    }
    std::vector<std::vector<std::string>> fr;
    const ParetoPoint* prev = nullptr;
    for (size_t i : pareto_order(pts, on)) {
      const CandidateResult& r = run.results[i];
      std::string step = "-";
      if (prev)
        step = fmt::format("{} dB for {}x the {}", number(pts[i].quality - prev->quality, 3),
                           number(pts[i].cost / prev->cost, 3), energy ? "energy" : "area");
      fr.push_back({id_of(run, i), candidate_label(r.cand), number(pts[i].cost, 4), number(r.out_sqnr_db, 3), step});
      prev = &pts[i];
    }
    page.paragraph(energy ? "The error-energy frontier, cheapest first: each step says what the next candidate buys."
                          : "The error-area frontier, smallest first.");
    page.raw(report::html_table({"id", "candidate", energy ? "energy J" : "um^2 per MAC/cycle", "out SQNR dB",
                                 "step from the previous"},
                                fr, {false, false, true, true, false}));
  }

  page.heading("Candidates");
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < run.results.size(); ++i) {
    const CandidateResult& r = run.results[i];
    rows.push_back({id_of(run, i), r.cand.unit, r.cand.act, r.cand.weight,
                    r.cand.rounding == "rne" ? r.cand.accum : r.cand.accum + ", rounding " + r.cand.rounding,
                    number(r.act_bits) + " / " + number(r.weight_bits), number(r.act_sqnr_db, 3),
                    number(r.weight_sqnr_db, 3), number(r.out_sqnr_db, 3), number(r.out_sqnr_min_db, 3),
                    number(r.out_max_rel_rms, 3), number(r.unit.energy_per_mac_pj, 3), number(r.energy_j, 4), number(r.dram_j, 4),
                    number(r.area_per_mac_um2, 4), number(r.unit.area_um2, 4),
                    r.unit.synth_area_um2 < 0 ? "-" : number(r.unit.synth_area_um2, 4), number(r.peak_tops, 3),
                    number(r.time_s * 1e3, 4), number(r.weight_bytes / 1e6, 4),
                    fmt::format("+-{}%", int(std::lround(r.unit.band * 100))), mark(r)});
  }
  page.raw(report::html_table(
      {"id", "unit", "activations", "weights", "accumulation (, rounding)", "bits/elt a / w", "act SQNR dB", "weight SQNR dB",
       "out SQNR dB", "worst layer dB", "max |err| / rms", "pJ/MAC", "energy J", "DRAM J", "um^2 per MAC/cycle",
       "unit um^2", "yosys um^2", "peak TOPS", "time ms", "weights MB", "band", "frontier"},
      rows, {false, false, false, false, false, true, true, true, true, true, true, true, true, true, true, true, true,
             true, true, true, false, false}));
  page.paragraph(
      "bits/elt: storage bits per element including block scales (MXFP4: 4 + 8/32 = 4.25). out SQNR: mean over the "
      "layers of the GEMM-output SQNR; worst layer: the lowest. max |err| / rms: the largest output error of any "
      "layer over that layer's rms output. energy (compute + SRAM), DRAM, time: one forward pass (every layer "
      "times its count) on the array. yosys um^2: the same unit configuration synthesized from the project's RTL (hwmodel/tech/"
      "yosys_area.toml), '-' where it was not synthesized.");
  page.raw(memory_plot(run));

  page.raw(energy_bars(run));

  page.heading("Per layer: GEMM-output SQNR (dB)");
  {
    std::vector<std::string> head{"id", "candidate"};
    for (const Layer& l : w.layers) head.push_back(l.name);
    std::vector<std::vector<std::string>> lr;
    for (size_t i = 0; i < run.results.size(); ++i) {
      const CandidateResult& r = run.results[i];
      std::vector<std::string> row{id_of(run, i), fmt::format("{} {} x {}", r.cand.unit, r.cand.act, r.cand.weight)};
      for (const LayerResult& l : r.layers) row.push_back(number(l.out.sqnr_db, 3));
      lr.push_back(std::move(row));
    }
    std::vector<bool> numeric(head.size(), true);
    numeric[0] = numeric[1] = false;
    page.raw(report::html_table(head, lr, numeric));
  }

  page.heading("Workload");
  page.paragraph(w.description + fmt::format(" Source: {}. GEMM M (tokens) = {}.", w.source, w.tokens));
  page.paragraph(
      "Error is measured on an emulated sample of each layer (sample M x K x N below); cost is computed for the "
      "full shape. The built-in samples are scaled down in M, K and N so the whole report runs in about a minute on "
      "two cores: SQNR of a GEMM output depends on the distributions and on K only weakly (through accumulation), "
      "so the sample's figures stand for the layer's; accumulation-order effects over the full K are not sampled. "
      "K is padded with zeros to a multiple of 128 so that every block scheme tiles it (zeros change no product).");
  {
    std::vector<std::vector<std::string>> lr;
    for (const Layer& l : w.layers)
      lr.push_back({l.name, fmt::format("{} x {} x {}", w.tokens, l.K, l.N), std::to_string(l.count),
                    fmt::format("{} x {} x {}", l.sample_m, l.sample_k, l.sample_n), describe_source(l.activations),
                    describe_source(l.weights)});
    page.raw(report::html_table({"layer", "M x K x N (cost)", "runs per pass", "sample M x K x N (error)",
                                 "activations", "weights"},
                                lr, {false, false, true, false, false, false}));
  }
  if (w.source == "built-in")
    page.paragraph(
        "The synthetic tensors are assumptions, not measurements: weights Gaussian (Laplace for down_proj) with a "
        "log-normal per-output-channel scale; activations Student-t with 1% (0.5% for down_proj) of input channels "
        "multiplied by 20 (50), the outlier-feature pattern of transformer hidden states reported by Dettmers et al., "
        "LLM.int8() (arXiv 2208.07339). Element i is a pure function of (seed, layer, i) (emu/distributions.hpp).");

  if (run.claims_included) {
    page.heading("Claims from the literature");
    page.paragraph(
        "Published claims beside the project's own figures, each with its source and conditions, and whether the "
        "model agrees (agrees / partly / disagrees / not modelled).");
    std::vector<std::vector<std::string>> cr;
    for (const ClaimRow& c : run.claims)
      cr.push_back({c.topic, c.published, c.source, c.conditions, c.ours, c.verdict, c.note, c.computed_by});
    page.raw(report::html_table({"topic", "published", "source", "conditions", "ours", "verdict", "note",
                                 "computed by"},
                                cr));
  }

  page.heading("The schemes and accumulation models");
  {
    std::vector<std::string> names;
    for (const CandidateResult& r : run.results)
      for (const std::string& n : {r.cand.act, r.cand.weight})
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    std::vector<std::vector<std::string>> sr;
    for (const std::string& n : names) {
      double bits = 0;
      try {
        bits = bits_per_value(parse_scheme(n));
      } catch (const FormatError&) {
      }
      sr.push_back({n, describe_scheme(n), number(bits)});
    }
    page.raw(report::html_table({"scheme", "what it is", "bits/elt"}, sr, {false, false, true}));
    std::vector<std::string> accs;
    for (const CandidateResult& r : run.results)
      if (std::find(accs.begin(), accs.end(), r.cand.accum) == accs.end()) accs.push_back(r.cand.accum);
    std::vector<std::vector<std::string>> ar;
    for (const std::string& a : accs) {
      std::string spec = "(not parsed by this build)", source = "definition (emu/SEMANTICS.md)";
      try {
        spec = accum_model_spec(parse_accum_model(a));
      } catch (const FormatError&) {
      }
      for (const AccumPresetInfo& p : accum_presets())
        if (p.name == a) source = fmt::format("{} ({})", p.source, p.confidence);
      ar.push_back({a, spec, source});
    }
    page.raw(report::html_table({"accumulation model", "knobs (emu/SEMANTICS.md)", "source"}, ar));
  }

  page.heading("Where each figure comes from");
  page.raw(report::html_table(
      {"figure", "computation or source"},
      {{"act / weight SQNR", "emu/scheme.hpp fake_quantize (quantize + dequantize under the scheme, round to nearest "
                             "even, saturating), emu/metrics.hpp measure_error"},
       {"out SQNR, max |err|", "emu/gemm.hpp gemm() of the quantized operands under the candidate's accumulation "
                               "model (emu/accum/), against gemm() of the float32 samples under exact<out=float64> "
                               "(Kulisch accumulation, one rounding), then emu/metrics.hpp"},
       {"bits/elt", "emu/scheme.hpp bits_per_value (element bits + scale bits / block size)"},
       {"pJ/MAC, unit um^2, MAC/cycle, band", "hwmodel/cost/estimate.hpp (constants with sources in hwmodel/tech/*.toml: "
                                         "Horowitz ISSCC 2014, Bit Fusion, BitMoD, LUT Tensor Core; node scaling "
                                         "Stillmaker-Baas)"},
       {"yosys um^2", "hwmodel/tech/yosys_area.toml: yosys 0.23 synthesis of rtl/ (rtl/synth/synth.py), GE x "
                      "NAND2 area, scaled to the node"},
       {"cycles, time, utilization", "hwmodel/gemm_runner.hpp estimate_gemm on a systolic output-stationary array "
                                     "of the units (the unit's tile, initiation interval and latency)"},
       {"energy, DRAM", "compute: MACs x pJ/MAC; SRAM: 64-bit accesses of a 256 KB buffer; DRAM: per bit of the runner's "
                  "traffic (weights re-read once per row of output tiles when they do not fit the 256 KB buffer) "
                  "(hwmodel/cost sram_access_energy_pj, dram_access_energy_pj; Horowitz 45 nm scaled)"},
       {"layer shapes", "hwmodel/layers.hpp (Llama 2: Touvron et al. arXiv 2307.09288 and the released config.json) "
                        "or the workload TOML"},
       {"Pareto marks", "tools/explore/pareto.hpp: not dominated in (cost, SQNR)"}}));
  page.paragraph(
      "What the cost model sees: a per-tensor scale (group=tensor) is applied once per output outside the unit, so "
      "the unit is costed for the element format; bit-serial and LUT units are costed for the element formats (their "
      "group scales are applied to partial sums outside the unit and not costed); integer x integer products under "
      "an exact model are costed with an int32 register. The error of bit-serial and LUT candidates is that of "
      "the emulated GEMM under the listed accumulation model; the LUT's table rounding is not part of it (the LUT "
      "tile model, hwmodel/lut, is exact for integer activations with int8 tables).");
  std::vector<std::vector<std::string>> cfg;
  for (size_t i = 0; i < run.results.size(); ++i) {
    const CandidateResult& r = run.results[i];
    cfg.push_back({id_of(run, i), r.unit.cost_operands, r.unit.cost_accum, r.unit.config, number(r.unit.macs_per_cycle),
                   fmt::format("{}x{}x{} / II {} / latency {}", r.unit.timing.tile_m, r.unit.timing.tile_n,
                               r.unit.timing.tile_k, r.unit.timing.cycles_per_op, r.unit.timing.latency),
                   r.unit.synth_entry.empty() ? "-" : r.unit.synth_entry});
  }
  page.raw(report::html_table({"id", "costed operands", "costed accumulator", "unit configuration", "MAC/cycle",
                               "tile / II / latency", "yosys entry"},
                              cfg, {false, false, false, false, true, false, false}));

  page.heading("Settings");
  page.paragraph(fmt::format(
      "bitexact {}; seed {}; node {} nm; clock {} MHz; array {} x {} units; mac DP{}; bit-serial {} weight bits per "
      "cycle; LUT tile {}x{}x{}. Reproduce: bitexact explore {}--seed {}. The CSV and JSON files beside this page "
      "(results.csv, layers.csv, results.json) hold every number at full precision.",
      run.version, run.seed, number(run.hw.node_nm), number(run.hw.clock_hz / 1e6), run.hw.rows, run.hw.cols,
      run.hw.lanes, run.hw.bits_per_cycle, run.hw.lut_m, run.hw.lut_n, run.hw.lut_k,
      run.options.empty() ? "" : run.options + " ", run.seed));
  return page.str();
}

std::string write_report(const ExploreRun& run, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("{}: cannot create the folder ({})", dir, ec.message()));
  const std::filesystem::path d(dir);
  const std::string html = report_html(run);
  const std::string path = (d / "report.html").string();
  // The four files are written to temporary files first and renamed into place together, so a
  // failure leaves none of them half written (nor a new one beside old ones).
  const std::pair<std::string, std::string> files[] = {{(d / "results.json").string(), run_to_json(run).dump(1) + "\n"},
                                                       {(d / "results.csv").string(), results_csv(run)},
                                                       {(d / "layers.csv").string(), layers_csv(run)},
                                                       {path, html}};
  std::vector<std::unique_ptr<AtomicFile>> out;
  for (const auto& [name, text] : files) {
    out.push_back(std::make_unique<AtomicFile>(name));
    out.back()->write(text);
  }
  for (auto& f : out) f->commit();
  return path;
}

}  // namespace bitexact::explore
