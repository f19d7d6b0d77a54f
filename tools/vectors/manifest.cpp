#include "tools/vectors/manifest.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace bitexact::vectors {

std::string manifest_text(const Json& m) { return m.dump(2) + "\n"; }

Json read_manifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot open for reading", path));
  std::stringstream ss;
  ss << in.rdbuf();
  Json j;
  try {
    j = Json::parse(ss.str());
  } catch (const Json::parse_error& e) {
    throw std::runtime_error(fmt::format("{}: not JSON: {}", path, e.what()));
  }
  if (!j.is_object() || j.value("tool", "") != "bitexact" || !j.contains("operation") || !j.contains("files") ||
      !j.contains("shard"))
    throw std::runtime_error(fmt::format("{}: not a bitexact vector manifest", path));
  return j;
}

}  // namespace bitexact::vectors
