#include "tools/vectors/merge.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "tools/vectors/atomic_file.hpp"
#include "tools/vectors/sha256.hpp"

namespace bitexact::vectors {

namespace fs = std::filesystem;

namespace {

struct ShardDir {
  std::string dir;
  Json m;
  uint64_t index = 0, count = 0;
};

Json settings_of(const Json& m) {
  Json s = m;
  s.erase("shard");
  s.erase("files");
  return s;
}

// The first setting in which b differs from a, for the message.
std::string first_difference(const Json& a, const Json& b) {
  for (auto it = a.begin(); it != a.end(); ++it)
    if (!b.contains(it.key()) || b[it.key()] != it.value())
      return fmt::format("{} {} vs {}", it.key(), it.value().dump(), b.contains(it.key()) ? b[it.key()].dump() : "missing");
  for (auto it = b.begin(); it != b.end(); ++it)
    if (!a.contains(it.key())) return fmt::format("{} missing vs {}", it.key(), it.value().dump());
  return "?";
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot open for reading", p.string()));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

Json merge_shards(const std::vector<std::string>& dirs, const std::string& out_dir) {
  if (dirs.empty()) throw std::runtime_error("merge: no shard folders given");
  std::vector<ShardDir> shards;
  for (const std::string& d : dirs) {
    if (fs::exists(out_dir) && fs::exists(d) && fs::equivalent(d, out_dir))
      throw std::runtime_error(fmt::format("merge: --out-dir {} is one of the shard folders", out_dir));
    ShardDir s;
    s.dir = d;
    try {
      s.m = read_manifest((fs::path(d) / kManifestName).string());
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(std::string("merge: ") + e.what());
    }
    s.index = s.m["shard"].value("index", uint64_t{0});
    s.count = s.m["shard"].value("count", uint64_t{0});
    shards.push_back(std::move(s));
  }
  const Json settings = settings_of(shards[0].m);
  for (const ShardDir& s : shards) {
    const Json other = settings_of(s.m);
    if (other != settings)
      throw std::runtime_error(fmt::format("merge: {} is not a shard of the same run as {} ({})", s.dir, shards[0].dir,
                                           first_difference(settings, other)));
    if (s.count != shards[0].count)
      throw std::runtime_error(fmt::format("merge: {} is shard {}/{}, but {} is shard {}/{}", s.dir, s.index, s.count,
                                           shards[0].dir, shards[0].index, shards[0].count));
  }
  std::sort(shards.begin(), shards.end(), [](const ShardDir& a, const ShardDir& b) { return a.index < b.index; });
  const uint64_t n = shards[0].count;
  for (size_t i = 1; i < shards.size(); ++i)
    if (shards[i].index == shards[i - 1].index)
      throw std::runtime_error(fmt::format("merge: shard {}/{} is given twice ({} and {})", shards[i].index, n,
                                           shards[i - 1].dir, shards[i].dir));
  for (uint64_t k = 1; k <= n; ++k)
    if (k > shards.size() || shards[k - 1].index != k)
      throw std::runtime_error(fmt::format("merge: shard {}/{} is missing", k, n));

  // Contiguous slices, the same files in every shard, and files that still match their hashes.
  uint64_t next = 0;
  const Json& files0 = shards[0].m["files"];
  for (const ShardDir& s : shards) {
    if (s.m["shard"].value("first_case", ~uint64_t{0}) != next)
      throw std::runtime_error(fmt::format("merge: {}: shard {}/{} does not start at case {}", s.dir, s.index, n, next));
    next += s.m["shard"].value("cases", uint64_t{0});
    const Json& files = s.m["files"];
    if (files.size() != files0.size())
      throw std::runtime_error(fmt::format("merge: {} lists {} files, {} lists {}", s.dir, files.size(), shards[0].dir,
                                           files0.size()));
    for (size_t i = 0; i < files.size(); ++i) {
      if (files[i]["name"] != files0[i]["name"])
        throw std::runtime_error(fmt::format("merge: {} has {} where {} has {}", s.dir, files[i]["name"].dump(),
                                             shards[0].dir, files0[i]["name"].dump()));
      const fs::path p = fs::path(s.dir) / files[i]["name"].get<std::string>();
      if (!fs::exists(p)) throw std::runtime_error(fmt::format("merge: {} is missing", p.string()));
      if (sha256_file(p.string()) != files[i]["sha256"])
        throw std::runtime_error(fmt::format("merge: {}: SHA-256 differs from its manifest (changed after gen?)", p.string()));
    }
  }
  if (next != settings.value("count", uint64_t{0}))
    throw std::runtime_error(fmt::format("merge: the shards hold {} cases, the run {}", next,
                                         settings.value("count", uint64_t{0})));

  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw std::runtime_error(fmt::format("{}: cannot create the folder: {}", out_dir, ec.message()));
  const bool tv_comment = settings.value("tv_comment", false);
  Json files = Json::array();
  for (size_t i = 0; i < files0.size(); ++i) {
    Json f = files0[i];
    const std::string name = f["name"];
    const bool skip_comment = tv_comment && f["encoding"] == "tv";
    AtomicFile out((fs::path(out_dir) / name).string());
    uint64_t lines = 0;
    for (size_t k = 0; k < shards.size(); ++k) {
      std::string bytes = read_all(fs::path(shards[k].dir) / name);
      if (skip_comment && k > 0) bytes.erase(0, bytes.find('\n') + 1);  // one comment line, from shard 1
      out.write(bytes);
      lines += shards[k].m["files"][i].value("lines", uint64_t{0});
    }
    f["lines"] = lines;
    f["bytes"] = out.bytes();
    f["sha256"] = out.commit();
    files.push_back(f);
  }
  Json m = shards[0].m;
  m["shard"] = {{"index", 1}, {"count", 1}, {"first_case", 0}, {"cases", next}};
  m["files"] = files;
  AtomicFile mf((fs::path(out_dir) / kManifestName).string());
  mf.write(manifest_text(m));
  mf.commit();
  return m;
}

}  // namespace bitexact::vectors
