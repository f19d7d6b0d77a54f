// One gen run: the cases of a CaseSet (this shard's slice) under each rounding mode, written in
// each encoding (one file per mode and encoding, named FORMAT_OP_MODE.EXT), then manifest.json.
// Every file is written atomically and hashed while it is written.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "emu/env.hpp"
#include "tools/vectors/case_set.hpp"
#include "tools/vectors/encoding.hpp"
#include "tools/vectors/manifest.hpp"
#include "tools/vectors/nan_style.hpp"
#include "tools/vectors/shard.hpp"
#include "tools/vectors/vector_op.hpp"

namespace bitexact::vectors {

struct GenSettings {
  VectorOp op;
  std::vector<Env> modes;  // one Env per rounding mode; all other fields equal
  std::string preset = "ocp";
  Level level = Level::Standard;
  uint64_t seed = 1;
  std::optional<uint64_t> count;
  // Level::List: the operand tuples (flattened) and where they came from (recorded in the manifest).
  std::vector<uint64_t> operand_list;
  std::string operand_source;
  std::vector<Encoding> encodings{Encoding::TestFloat, Encoding::Tv, Encoding::Jsonl};
  NanStyle nan_style = NanStyle::Canonical;
  bool nan_exact = false;  // the NaN-comparison policy recorded for verify: bitwise, or any NaN
  bool tv_comment = true;
  Shard shard;
  std::string version;
};

// "float16_add_rne" (names made file-safe).
std::string file_stem(const VectorOp& op, const Env& mode);

// The golden result of one case: the core's result under env (env.index = case index, flags
// cleared first), with the NaN style applied. Flags are left in env.flags.
uint64_t golden(const VectorOp& op, NanStyle style, const uint64_t* x, uint64_t index, Env& env);

// The settings part of the manifest (everything but shard and files).
Json manifest_settings(const GenSettings& s, uint64_t total_cases);

using Progress = std::function<void(uint64_t done, uint64_t total)>;
// Writes the files and manifest.json into dir (created if missing); returns the manifest.
// Throws std::invalid_argument for settings that do not apply (CaseSet) and std::runtime_error
// for I/O failures.
Json generate(const GenSettings& s, const std::string& dir, const Progress& progress = {});

}  // namespace bitexact::vectors
