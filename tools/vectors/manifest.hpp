// manifest.json: what a gen run was (tool version, formats, operation, modes, policies, level,
// seed, counts, shard) and the SHA-256 of every file it wrote. merge compares manifests and
// verify --manifest takes its settings from one.
//
// {"schema_version": 1, "tool": "bitexact", "version": "0.1.0",
//  "format": {"name": "float16", "spec": "float<e=5,m=10,...>"}, ["to": {...} for convert,]
//  "operation": "add", "arity": 2, "rounding": ["rne", ...], "overflow": "ieee", "tininess": "after",
//  "subnormals": "keep", "preset": "ocp", "nan_compare": "any", "nan_style": "canonical",
//  "level": "standard", "seed": 1, "count": 20000,
//  "shard": {"index": 1, "count": 1, "first_case": 0, "cases": 20000},
//  "encodings": ["testfloat", "tv", "jsonl"], "tv_comment": true,
//  "files": [{"name": "float16_add_rne.txt", "encoding": "testfloat", "rounding": "rne",
//             "lines": 20000, "bytes": 380000, "sha256": "..."}, ...]}
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bitexact::vectors {

using Json = nlohmann::ordered_json;

inline constexpr const char* kManifestName = "manifest.json";

// The file's bytes: 2-space indented JSON and a newline (deterministic for equal content).
std::string manifest_text(const Json& m);
// Reads and parses; throws std::runtime_error "PATH: ..." when unreadable, not JSON or not a
// bitexact vector manifest.
Json read_manifest(const std::string& path);
// Parses manifest text (`where` names it in errors) and checks the type of every field that merge
// and verify read (the layout above): a manifest that passes can be read without a JSON type error,
// and its file names are plain names inside the manifest's folder. Throws std::runtime_error
// "WHERE: ..." otherwise.
Json parse_manifest(std::string_view text, const std::string& where);

}  // namespace bitexact::vectors
