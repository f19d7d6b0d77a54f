#include "tools/vectors/generate.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "emu/accum/accum_model.hpp"
#include "formats/spec.hpp"
#include "tools/vectors/atomic_file.hpp"

namespace bitexact::vectors {

namespace {

constexpr uint64_t kChunkCases = 4096;  // cases formatted by one thread at a time
constexpr uint64_t kBatchChunks = 32;   // chunks held in memory before they are written

std::string file_safe(std::string_view s) {
  std::string r;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                    c == '.';
    if (ok) r += c;
    else if (c == ',' || c == '=' || c == '<' || c == ':') r += (r.empty() || r.back() == '_') ? "" : "_";
  }
  while (!r.empty() && r.back() == '_') r.pop_back();
  return r;
}

Json format_json(const Format& f) { return {{"name", f.name}, {"spec", spec_string(f)}}; }

std::string tv_comment(const GenSettings& s, const Env& mode) {
  return fmt::format("// bitexact {}: {}, {}, overflow {}, tininess {}, level {}, seed {}\n", s.version,
                     s.op.describe(), rounding_name(mode.mode, mode.sr_bits), overflow_name(mode.overflow),
                     mode.tininess == Tininess::AfterRounding ? "after" : "before", level_name(s.level), s.seed);
}

}  // namespace

std::string file_stem(const VectorOp& op, const Env& mode) {
  std::string s = file_safe(op.f.name) + "_" + op.name();
  if (op.is_dot())
    s = file_safe(op.f.name) + (op.fb.name == op.f.name ? "" : "_x_" + file_safe(op.fb.name)) + "_dot" +
        std::to_string(op.k) + (op.has_c ? "c" : "") + "_" + file_safe(accum_model_name(*op.model));
  else if (op.op == Operation::Convert)
    s = file_safe(op.f.name) + "_to_" + file_safe(op.to.name);
  return s + "_" + file_safe(rounding_name(mode.mode, mode.sr_bits));
}

uint64_t golden(const VectorOp& op, NanStyle style, const uint64_t* x, uint64_t index, Env& env) {
  env.index = index;
  env.explicit_pos = 0;
  env.flags = 0;
  const uint64_t r = op.compute(x, env);
  return apply_nan_style(style, op, x, r);
}

Json manifest_settings(const GenSettings& s, uint64_t total_cases) {
  const Env& e = s.modes.front();
  Json m;
  m["schema_version"] = 1;
  m["tool"] = "bitexact";
  m["version"] = s.version;
  m["format"] = format_json(s.op.f);
  if (s.op.is_dot()) {
    m["format_b"] = format_json(s.op.fb);
    m["to"] = format_json(s.op.to);
  } else if (s.op.op == Operation::Convert) {
    m["to"] = format_json(s.op.to);
  }
  m["operation"] = s.op.name();
  m["arity"] = s.op.arity();
  if (s.op.is_dot()) {
    m["k"] = s.op.k;
    m["addend"] = s.op.has_c;
    m["accum"] = accum_model_name(*s.op.model);
  }
  Json modes = Json::array();
  for (const Env& mode : s.modes) modes.push_back(rounding_name(mode.mode, mode.sr_bits));
  m["rounding"] = modes;
  m["overflow"] = std::string(overflow_name(e.overflow));
  m["tininess"] = e.tininess == Tininess::AfterRounding ? "after" : "before";
  m["subnormals"] = std::string(subnormals_name(e.subnormals));
  m["preset"] = s.preset;
  m["nan_compare"] = s.nan_exact ? "exact" : "any";
  m["nan_style"] = std::string(nan_style_name(s.nan_style));
  m["flags"] = "testfloat";  // bit0 inexact, bit1 underflow, bit2 overflow, bit3 infinite, bit4 invalid
  m["level"] = std::string(level_name(s.level));
  if (s.level == Level::List) m["operands"] = s.operand_source;
  m["seed"] = s.seed;
  m["count"] = total_cases;
  Json encs = Json::array();
  for (Encoding en : s.encodings) encs.push_back(std::string(encoding_name(en)));
  m["encodings"] = encs;
  m["tv_comment"] = s.tv_comment;
  return m;
}

Json generate(const GenSettings& s, const std::string& dir, const Progress& progress) {
  const CaseSet cases = s.level == Level::List ? CaseSet(s.op, s.operand_list) : CaseSet(s.op, s.level, s.seed, s.count);
  const CaseRange range = shard_range(s.shard, cases.size());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("{}: cannot create the folder: {}", dir, ec.message()));

  Json m = manifest_settings(s, cases.size());
  m["shard"] = {{"index", s.shard.index}, {"count", s.shard.count}, {"first_case", range.begin}, {"cases", range.size()}};
  Json files = Json::array();

  const int n = s.op.arity();
  std::vector<std::vector<std::string>> chunk_bufs(kBatchChunks, std::vector<std::string>(s.encodings.size()));
  const uint64_t total_work = range.size() * s.modes.size();
  uint64_t done = 0;
  for (const Env& mode : s.modes) {
    const std::string stem = file_stem(s.op, mode);
    std::vector<std::unique_ptr<AtomicFile>> out;
    for (Encoding en : s.encodings) {
      out.push_back(std::make_unique<AtomicFile>(
          (std::filesystem::path(dir) / (stem + std::string(encoding_extension(en)))).string()));
      if (en == Encoding::Tv && s.tv_comment) out.back()->write(tv_comment(s, mode));
    }
    // Chunks of cases are formatted in parallel and written in order: the bytes do not depend on
    // the thread count (every case is a function of its index alone).
    const uint64_t n_chunks = (range.size() + kChunkCases - 1) / kChunkCases;
    for (uint64_t b0 = 0; b0 < n_chunks; b0 += kBatchChunks) {
      const int64_t bn = int64_t(std::min<uint64_t>(kBatchChunks, n_chunks - b0));
      std::string error;
#pragma omp parallel for schedule(dynamic)
      for (int64_t c = 0; c < bn; ++c) {
        auto& cb = chunk_bufs[size_t(c)];
        for (auto& b : cb) b.clear();
        try {
          Env env = mode;
          std::vector<uint64_t> xs(size_t(std::max(n, 1)));
          const uint64_t first = range.begin + (b0 + uint64_t(c)) * kChunkCases;
          const uint64_t last = std::min(range.end, first + kChunkCases);
          for (uint64_t i = first; i < last; ++i) {
            cases.operands(i, xs.data());
            const uint64_t r = golden(s.op, s.nan_style, xs.data(), i, env);
            for (size_t k = 0; k < s.encodings.size(); ++k)
              append_line(cb[k], s.encodings[k], s.op, xs.data(), r, env.flags, i);
          }
        } catch (const std::exception& e) {
#pragma omp critical
          error = e.what();
        }
      }
      if (!error.empty()) throw std::runtime_error(error);
      for (int64_t c = 0; c < bn; ++c)
        for (size_t k = 0; k < s.encodings.size(); ++k) out[size_t(k)]->write(chunk_bufs[size_t(c)][k]);
      done += std::min<uint64_t>(range.size(), (b0 + uint64_t(bn)) * kChunkCases) - std::min<uint64_t>(range.size(), b0 * kChunkCases);
      if (progress) progress(done, total_work);
    }
    for (size_t k = 0; k < s.encodings.size(); ++k) {
      const std::string name = std::filesystem::path(out[k]->path()).filename().string();
      const uint64_t bytes = out[k]->bytes();
      const std::string sha = out[k]->commit();
      files.push_back({{"name", name},
                       {"encoding", std::string(encoding_name(s.encodings[k]))},
                       {"rounding", rounding_name(mode.mode, mode.sr_bits)},
                       {"lines", range.size()},
                       {"bytes", bytes},
                       {"sha256", sha}});
    }
  }
  m["files"] = files;
  AtomicFile mf((std::filesystem::path(dir) / kManifestName).string());
  mf.write(manifest_text(m));
  mf.commit();
  return m;
}

}  // namespace bitexact::vectors
