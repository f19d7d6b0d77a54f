// bitexact merge: shard outputs of one gen run joined into exactly the files and manifest one
// unsharded run writes. The shards must be 1..N of the same run (equal settings), each once, with
// files whose SHA-256 still matches their manifest.
#pragma once

#include <string>
#include <vector>

#include "tools/vectors/manifest.hpp"

namespace bitexact::vectors {

// Throws std::runtime_error with a one-line message on any problem; returns the merged manifest.
Json merge_shards(const std::vector<std::string>& dirs, const std::string& out_dir);

}  // namespace bitexact::vectors
