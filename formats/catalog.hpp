// The named formats (formats/catalog.toml): canonical names, aliases and sources.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/format.hpp"

namespace bitexact {

struct CatalogEntry {
  Format format;
  std::string spec;  // non-float families: the defining spec string (e.g. "posit<8,2>")
  std::vector<std::string> aliases;
  std::string source;
};

class Catalog {
 public:
  // The catalogue embedded at build time from formats/catalog.toml.
  static const Catalog& builtin();
  // Parses a catalogue TOML document; throws FormatError naming the file, line and key.
  static Catalog parse(std::string_view toml_text, const std::string& origin);
  static Catalog load_file(const std::string& path);

  const std::vector<CatalogEntry>& entries() const { return entries_; }
  // Case-insensitive lookup by canonical name or alias.
  const CatalogEntry* find(std::string_view name) const;
  // The entry whose parameters equal p, if any (so generic specs print canonical names).
  const CatalogEntry* find_params(const FloatParams& p) const;
  // The entry of another family whose format has this canonical spec string.
  const CatalogEntry* find_spec(const std::string& canonical_spec) const;

 private:
  std::vector<CatalogEntry> entries_;
};

// The catalogue used by the CLI and parse_format(); builtin() unless replaced by set_active_catalog.
const Catalog& active_catalog();
void set_active_catalog(Catalog c);

}  // namespace bitexact
