#include "tools/vectors/manifest.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace bitexact::vectors {

std::string manifest_text(const Json& m) { return m.dump(2) + "\n"; }

namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw std::runtime_error(fmt::format("{}: not a bitexact vector manifest: {}", where, what));
}

// `key` of `obj` (named `in` + key in messages: "shard.index"), where present, is of the checked
// type (or, with `required`, present and of it).
void field(const std::string& where, const std::string& in, const Json& obj, const char* key,
           bool (Json::*is)() const noexcept, const char* type, bool required = false) {
  const auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) bad(where, fmt::format("no \"{}{}\"", in, key));
    return;
  }
  if (!((*it).*is)()) bad(where, fmt::format("\"{}{}\" is not {}", in, key, type));
}

void strings(const std::string& where, const std::string& in, const Json& obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys) field(where, in, obj, k, &Json::is_string, "a string");
}
void counts(const std::string& where, const std::string& in, const Json& obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys) field(where, in, obj, k, &Json::is_number_unsigned, "a non-negative integer");
}

void format_entry(const std::string& where, const Json& m, const char* key, bool required) {
  field(where, "", m, key, &Json::is_object, "an object", required);
  if (m.contains(key)) strings(where, std::string(key) + ".", m[key], {"name", "spec"});
}

// verify opens `dir / name` and merge writes `out_dir / name`: a plain name, never a path.
void file_name(const std::string& where, const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.find_first_of(std::string("/\\\0", 3)) != std::string::npos)
    bad(where, fmt::format("file name \"{}\" is not a plain file name", name));
}

}  // namespace

Json parse_manifest(std::string_view text, const std::string& where) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for numbers like 1e400
    throw std::runtime_error(fmt::format("{}: not JSON: {}", where, e.what()));
  }
  if (!j.is_object() || !j.contains("tool") || j["tool"] != "bitexact" || !j.contains("operation") ||
      !j.contains("files") || !j.contains("shard"))
    throw std::runtime_error(fmt::format("{}: not a bitexact vector manifest", where));
  strings(where, "", j, {"version", "operation", "overflow", "tininess", "subnormals", "preset", "nan_compare", "nan_style",
                     "flags", "level", "accum", "operands"});
  counts(where, "", j, {"schema_version", "arity", "k", "seed", "count"});
  for (const char* k : {"addend", "tv_comment"}) field(where, "", j, k, &Json::is_boolean, "true or false");
  format_entry(where, j, "format", true);
  format_entry(where, j, "to", false);
  format_entry(where, j, "format_b", false);
  for (const char* k : {"rounding", "encodings"}) {
    field(where, "", j, k, &Json::is_array, "an array");
    if (j.contains(k))
      for (const Json& e : j[k])
        if (!e.is_string()) bad(where, fmt::format("\"{}\" holds a non-string", k));
  }
  field(where, "", j, "shard", &Json::is_object, "an object", true);
  counts(where, "shard.", j["shard"], {"index", "count", "first_case", "cases"});
  field(where, "", j, "files", &Json::is_array, "an array", true);
  for (const Json& f : j["files"]) {
    if (!f.is_object()) bad(where, "a \"files\" entry is not an object");
    field(where, "files[].", f, "name", &Json::is_string, "a string", true);
    field(where, "files[].", f, "rounding", &Json::is_string, "a string", true);
    // Required: merge compares it with "tv" on a copy it writes out (a missing one became null).
    field(where, "files[].", f, "encoding", &Json::is_string, "a string", true);
    strings(where, "files[].", f, {"sha256"});
    counts(where, "files[].", f, {"lines", "bytes"});
    file_name(where, f["name"].get<std::string>());
  }
  return j;
}

Json read_manifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot open for reading", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_manifest(ss.str(), path);
}

}  // namespace bitexact::vectors
