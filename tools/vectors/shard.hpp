// --shard K/N: which contiguous slice of a run's case list one process writes. Shard K of N
// (1-based) holds cases [floor((K-1)*T/N), floor(K*T/N)) of T, so concatenating shards 1..N in
// order gives the unsharded list; a case's operands depend only on its global index.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bitexact::vectors {

struct Shard {
  uint64_t index = 1;  // K, 1-based
  uint64_t count = 1;  // N
  bool operator==(const Shard&) const = default;
};

// "K/N" with 1 <= K <= N; throws std::invalid_argument with a one-line message otherwise.
Shard parse_shard(std::string_view text);
std::string shard_name(const Shard& s);  // "2/3"

struct CaseRange {
  uint64_t begin = 0;
  uint64_t end = 0;
  uint64_t size() const { return end - begin; }
};
CaseRange shard_range(const Shard& s, uint64_t total);

}  // namespace bitexact::vectors
