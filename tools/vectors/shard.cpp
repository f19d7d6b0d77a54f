#include "tools/vectors/shard.hpp"

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

namespace bitexact::vectors {

namespace {
bool parse_u64(std::string_view s, uint64_t& v) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}
}  // namespace

Shard parse_shard(std::string_view text) {
  const size_t slash = text.find('/');
  Shard s;
  if (slash == std::string_view::npos || !parse_u64(text.substr(0, slash), s.index) ||
      !parse_u64(text.substr(slash + 1), s.count))
    throw std::invalid_argument(fmt::format("--shard: '{}' is not K/N (e.g. 2/8)", text));
  if (s.count == 0 || s.index == 0 || s.index > s.count)
    throw std::invalid_argument(fmt::format("--shard: '{}': K must be between 1 and N", text));
  return s;
}

std::string shard_name(const Shard& s) { return fmt::format("{}/{}", s.index, s.count); }

CaseRange shard_range(const Shard& s, uint64_t total) {
  // (K-1)*T/N without overflow for any 64-bit T: 128-bit intermediate.
  auto cut = [&](uint64_t k) { return uint64_t((unsigned __int128)total * k / s.count); };
  return {cut(s.index - 1), cut(s.index)};
}

}  // namespace bitexact::vectors
