// Vector manifests (tools/vectors/manifest.hpp: manifest.json of `gen`, read by `merge` and
// `verify --manifest`). Input: the JSON text. Properties, for a manifest that parses:
//   - every field merge and verify read has the type they read it as (the reads below, as those
//     commands make them, raise no JSON type error), and file names are plain names;
//   - manifest_text re-parses to the same JSON (the bytes merge writes read back).
// Allowed errors: std::runtime_error "WHERE: ..." (not JSON, not a manifest).
#include "tests/fuzz/fuzz_common.hpp"

#include "tools/vectors/manifest.hpp"

using namespace bitexact;
using namespace bitexact::fuzz;
using bitexact::vectors::Json;

namespace {

// The reads of tools/vectors/merge.cpp and tools/bitexact/cmd_verify.cpp, on a copy (their
// non-const operator[] inserts missing keys).
void consumer_reads(Json m) {
  for (const char* k : {"format", "to", "format_b"})
    if (m.contains(k) || std::string_view(k) == "format") {
      (void)m[k].value("name", std::string());
      (void)m[k].value("spec", std::string());
    }
  for (const char* k : {"operation", "overflow", "tininess", "subnormals", "preset", "nan_style", "accum", "nan_compare"})
    (void)m.value(k, std::string());
  (void)m.value("k", 0);
  (void)m.value("addend", false);
  (void)m.value("tv_comment", false);
  (void)m.value("count", uint64_t{0});
  for (const char* k : {"index", "count", "first_case", "cases"}) (void)m["shard"].value(k, uint64_t{0});
  if (m["rounding"].size() == 1) (void)m["rounding"][0].get<std::string>();
  for (auto& f : m["files"]) {
    (void)f["name"].get<std::string>();
    (void)f["rounding"].get<std::string>();
    (void)(f["encoding"] == "tv");
    if (f.contains("encoding")) (void)f["encoding"].get<std::string>();
    (void)f.value("lines", uint64_t{0});
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Json m;
  if (!allowed<std::runtime_error>([&] { m = vectors::parse_manifest(text, "fuzz/manifest.json"); })) return 0;
  try {
    consumer_reads(m);
  } catch (const std::exception& e) {
    fail(std::string("a manifest that parses fails a consumer's read: ") + e.what());
  }
  for (const Json& f : m["files"]) {
    const std::string name = f["name"].get<std::string>();
    FUZZ_CHECK(!name.empty() && name.find('/') == std::string::npos && name != "..", "file name '" + name + "'");
  }
  const std::string printed = vectors::manifest_text(m);
  Json back;
  FUZZ_CHECK(allowed<std::runtime_error>([&] { back = vectors::parse_manifest(printed, "printed"); }),
             "the printed manifest does not parse");
  FUZZ_CHECK(back == m, "the printed manifest reads back as other JSON");
  return 0;
}
