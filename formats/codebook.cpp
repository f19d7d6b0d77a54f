#include "formats/codebook.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "formats/error.hpp"

namespace bitexact {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

ValueTable parse_codebook(std::string_view text, const std::string& origin) {
  std::string name = fmt::format("codebook<file={}>", origin);
  int bits = 0;
  size_t bits_line = 0;
  std::vector<ValueTable::Entry> entries;
  size_t line_no = 0;
  auto fail = [&](const std::string& msg) {
    throw FormatFileError(fmt::format("{}:{}: {}", origin, line_no, msg), origin);
  };

  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) {
      if (end == text.size()) break;
      continue;
    }
    if (const size_t eq = line.find('='); eq != std::string_view::npos) {
      const std::string key(trim(line.substr(0, eq)));
      const std::string val(trim(line.substr(eq + 1)));
      if (!entries.empty()) fail(fmt::format("'{}' must come before the first entry", key));
      if (key == "name") {
        if (val.empty()) fail("empty name");
        name = val;
      } else if (key == "bits") {
        char* e = nullptr;
        errno = 0;
        const long b = std::strtol(val.c_str(), &e, 10);
        if (val.empty() || *e != '\0' || errno != 0 || b < 1 || b > 16) fail(fmt::format("bits must be an integer 1..16, not '{}'", val));
        bits = int(b);
        bits_line = line_no;
      } else {
        fail(fmt::format("unknown key '{}' (expected name or bits)", key));
      }
    } else {
      const std::string tok(line);
      if (tok.find_first_of(" \t,") != std::string::npos) fail(fmt::format("one entry per line, got '{}'", tok));
      if (tok == "unused" || tok == "-") {
        entries.emplace_back(std::nullopt);
      } else {
        Unpacked u;
        if (tok == "nan" || tok == "NaN" || tok == "+nan") {
          u.cls = ValueClass::NaN;
        } else if (tok == "-nan" || tok == "-NaN") {
          u.cls = ValueClass::NaN;
          u.sign = true;
        } else {
          char* e = nullptr;
          errno = 0;
          const double d = std::strtod(tok.c_str(), &e);
          if (*e != '\0' || e == tok.c_str()) fail(fmt::format("'{}' is not a number, nan, inf or unused", tok));
          if (errno == ERANGE && std::isinf(d)) fail(fmt::format("'{}' overflows binary64", tok));
          if (errno == ERANGE && d == 0) fail(fmt::format("'{}' underflows binary64 to zero", tok));
          if (std::isnan(d)) {
            u.cls = ValueClass::NaN;
            u.sign = std::signbit(d);
          } else {
            u = unpack_double(d);
          }
        }
        entries.emplace_back(u);
      }
      if (entries.size() > 65536) fail("more than 65536 entries");
    }
    if (end == text.size()) break;
  }
  if (entries.empty()) {
    line_no = 0;
    throw FormatFileError(fmt::format("{}: no entries", origin), origin);
  }
  if (bits == 0) {
    bits = 1;
    while ((uint64_t{1} << bits) < entries.size()) ++bits;
  } else if (entries.size() > (uint64_t{1} << bits)) {
    line_no = bits_line;
    fail(fmt::format("{} entries do not fit bits = {}", entries.size(), bits));
  }
  try {
    return ValueTable::build(name, bits, std::move(entries));
  } catch (const FormatError& e) {
    throw FormatFileError(fmt::format("{}: {}", origin, e.what()), origin);
  }
}

ValueTable load_codebook(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FormatFileError(fmt::format("{}: cannot read the codebook file", path), path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_codebook(ss.str(), path);
}

}  // namespace bitexact
