// bitexact merge DIR1 DIR2 ... --out-dir D: the shard outputs of one gen run (--shard K/N) joined
// into the files and manifest an unsharded run writes (tools/vectors/merge.hpp).
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "tools/bitexact/cli_common.hpp"
#include "tools/vectors/merge.hpp"

namespace bitexact::cli {

namespace {

struct MergeOptions {
  std::vector<std::string> dirs;
  std::string out_dir;
};

int run_merge(const Globals& g, const MergeOptions& o) {
  if (!o.dirs.empty() && std::filesystem::exists(std::filesystem::path(o.dirs[0]) / "explore-shard.json"))
    return merge_explore_shards(o.dirs, o.out_dir);
  vectors::Json m;
  try {
    m = vectors::merge_shards(o.dirs, o.out_dir);
  } catch (const std::runtime_error& e) {
    throw InputError(e.what());
  }
  Output out(g.out);
  TableWriter w(out.stream(), OutFormat::Table,
                {{"file"}, {"encoding"}, {"rounding"}, {"lines", false, false, true}, {"sha256"}}, base_context());
  for (const auto& f : m["files"])
    w.row({f["name"].get<std::string>(), f["encoding"].get<std::string>(), f["rounding"].get<std::string>(),
           f["lines"].get<uint64_t>(), f["sha256"].get<std::string>()});
  w.finish();
  out.finish();
  std::cerr << fmt::format("bitexact merge: {} shards, {} cases, into {}/ with {}\n", o.dirs.size(),
                           m["count"].get<uint64_t>(), o.out_dir, vectors::kManifestName);
  return kExitOk;
}

}  // namespace

void add_merge_command(CLI::App& root, const Globals& globals, Registry& registry) {
  auto o = std::make_shared<MergeOptions>();
  CLI::App* cmd = root.add_subcommand("merge", "join the shard outputs of one 'gen --shard K/N' or 'explore --shard K/N' run into one");
  cmd->add_option("DIRS", o->dirs, "the shard folders (each with its manifest.json), in any order")->required();
  cmd->add_option("--out-dir", o->out_dir, "folder for the merged files and manifest.json")->required()->option_text("DIR");
  cmd->footer(wrap(
      "The shards must be 1..N of the same run (every setting equal), each given once, with files that still "
      "match the SHA-256 in their manifest. The merged folder holds exactly the bytes, and the manifest, that "
      "one unsharded run writes.",
      100) + "\nExample:\n"
      "  for k in 1 2 3; do bitexact gen --format float32 --op fma --count 3000000 --shard $k/3 --out-dir s$k & done; wait\n"
      "  bitexact merge s1 s2 s3 --out-dir vec\n"
      "Explore shards (folders holding explore-shard.json) are joined into the report, CSV and JSON files an "
      "unsharded run writes, byte for byte:\n"
      "  for k in 1 2; do bitexact explore --shard $k/2 -o e$k; done; bitexact merge e1 e2 --out-dir explore");
  registry.push_back({cmd, [&globals, o] { return run_merge(globals, *o); }});
}

}  // namespace bitexact::cli
