#include "formats/spec_term.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "formats/error.hpp"

namespace bitexact {

namespace {
unsigned char uc(char c) { return static_cast<unsigned char>(c); }
}  // namespace

void SpecTerm::fail(const std::string& msg, size_t at) const {
  throw FormatError(fmt::format("bad format spec: {}", msg), text, std::min(at, text.size()));
}

int SpecTerm::int_value(const SpecArg& a, int lo, int hi) const {
  const std::string& v = a.value;
  size_t i = 0;
  bool neg = false;
  if (i < v.size() && (v[i] == '-' || v[i] == '+')) neg = v[i++] == '-';
  if (i >= v.size()) fail(fmt::format("'{}' is not an integer", v), a.value_pos);
  long long x = 0;
  for (; i < v.size(); ++i) {
    if (!std::isdigit(uc(v[i]))) fail(fmt::format("'{}' is not an integer", v), a.value_pos + i);
    x = x * 10 + (v[i] - '0');
    if (x > 1000000) fail(fmt::format("'{}' is out of range {}..{}", v, lo, hi), a.value_pos);
  }
  if (neg) x = -x;
  if (x < lo || x > hi) fail(fmt::format("'{}' is out of range {}..{}", v, lo, hi), a.value_pos);
  return int(x);
}

bool SpecTerm::bool_value(const SpecArg& a) const {
  if (a.value == "true" || a.value == "1" || a.value == "yes") return true;
  if (a.value == "false" || a.value == "0" || a.value == "no") return false;
  fail(fmt::format("'{}' is not true or false", a.value), a.value_pos);
}

const SpecArg* SpecTerm::find(std::string_view key) const {
  for (const auto& a : args)
    if (a.key == key) return &a;
  return nullptr;
}

void SpecTerm::check_keys(std::string_view allowed, size_t max_positional) const {
  if (allowed.empty() && max_positional == 0 && !args.empty())
    fail(fmt::format("'{}' takes no arguments", name), args.front().key.empty() ? args.front().value_pos : args.front().key_pos);
  size_t positional = 0;
  for (const auto& a : args) {
    if (a.key.empty()) {
      if (++positional > max_positional)
        fail(max_positional == 0 ? fmt::format("expected key=value (keys: {})", allowed)
                                 : fmt::format("at most {} positional arguments", max_positional),
             a.value_pos);
      continue;
    }
    const std::string wrapped = fmt::format(",{},", allowed);
    if (wrapped.find(fmt::format(",{},", a.key)) == std::string::npos)
      fail(fmt::format("unknown key '{}' (expected {})", a.key, allowed), a.key_pos);
  }
}

SpecTerm split_spec(std::string_view s) {
  SpecTerm t;
  t.text = std::string(s);
  size_t pos = 0;
  auto skip_space = [&] {
    while (pos < s.size() && std::isspace(uc(s[pos]))) ++pos;
  };
  if (s.empty()) t.fail("empty format spec", 0);
  skip_space();
  t.name_pos = pos;
  while (pos < s.size() && (std::isalnum(uc(s[pos])) || s[pos] == '_' || s[pos] == '.')) ++pos;
  t.name = std::string(s.substr(t.name_pos, pos - t.name_pos));
  if (t.name.empty()) t.fail("expected a format name", pos);
  skip_space();
  if (pos < s.size() && s[pos] == '<') {
    t.has_brackets = true;
    ++pos;
    skip_space();
    std::string seen = ",";
    while (true) {
      SpecArg a;
      const size_t start = pos;
      while (pos < s.size() && s[pos] != ',' && s[pos] != '>' && s[pos] != '=' && !std::isspace(uc(s[pos]))) ++pos;
      std::string first(s.substr(start, pos - start));
      skip_space();
      if (pos < s.size() && s[pos] == '=') {
        if (first.empty()) t.fail("expected a key before '='", pos);
        a.key = first;
        a.key_pos = start;
        if (seen.find("," + a.key + ",") != std::string::npos) t.fail(fmt::format("'{}' given twice", a.key), start);
        seen += a.key + ",";
        ++pos;
        skip_space();
        a.value_pos = pos;
        while (pos < s.size() && s[pos] != ',' && s[pos] != '>' && !std::isspace(uc(s[pos]))) ++pos;
        a.value = std::string(s.substr(a.value_pos, pos - a.value_pos));
        if (a.value.empty()) t.fail(fmt::format("expected a value for '{}'", a.key), a.value_pos);
      } else {
        if (first.empty()) t.fail("expected an argument", start);
        a.value = first;
        a.value_pos = start;
      }
      t.args.push_back(std::move(a));
      skip_space();
      if (pos >= s.size()) t.fail("missing '>'", pos);
      if (s[pos] == '>') {
        ++pos;
        break;
      }
      if (s[pos] != ',') t.fail("expected ',' or '>'", pos);
      ++pos;
      skip_space();
    }
  }
  skip_space();
  if (pos != s.size()) t.fail("unexpected trailing characters", pos);
  return t;
}

size_t nested_item_end(std::string_view s, size_t from, std::string_view stops) {
  int depth = 0;
  size_t i = from;
  for (; i < s.size() && (depth > 0 || stops.find(s[i]) == std::string_view::npos); ++i) {
    if (s[i] == '<') ++depth;
    if (s[i] == '>') --depth;
  }
  return i;
}

std::vector<SpecArg> split_nested_args(std::string_view s, size_t open, std::string_view what, bool allow_empty) {
  auto fail = [&](const std::string& msg, size_t at) -> void {
    throw FormatError(fmt::format("{}: {}", what, msg), std::string(s), std::min(at, s.size()));
  };
  auto skip_space = [&](size_t i) {
    while (i < s.size() && std::isspace(uc(s[i]))) ++i;
    return i;
  };
  std::vector<SpecArg> args;
  size_t i = skip_space(open + 1);
  const bool empty = allow_empty && i < s.size() && s[i] == '>';
  if (empty) ++i;
  while (!empty) {
    SpecArg a;
    a.key_pos = i = skip_space(i);
    while (i < s.size() && (std::isalnum(uc(s[i])) || s[i] == '_')) ++i;
    a.key = std::string(s.substr(a.key_pos, i - a.key_pos));
    if (a.key.empty()) fail("expected a key", a.key_pos);
    i = skip_space(i);
    if (i >= s.size() || s[i] != '=') fail(fmt::format("expected '=' after '{}'", a.key), i);
    a.value_pos = i = skip_space(i + 1);
    i = nested_item_end(s, i, ",>");
    size_t e = i;
    while (e > a.value_pos && std::isspace(uc(s[e - 1]))) --e;
    a.value = std::string(s.substr(a.value_pos, e - a.value_pos));
    if (a.value.empty()) fail(fmt::format("expected a value for '{}'", a.key), a.value_pos);
    for (const SpecArg& o : args)
      if (o.key == a.key) fail(fmt::format("'{}' given twice", a.key), a.key_pos);
    args.push_back(std::move(a));
    if (i >= s.size()) fail("missing '>'", i);
    if (s[i++] == '>') break;
  }
  i = skip_space(i);
  if (i != s.size()) fail("unexpected trailing characters", i);
  return args;
}

}  // namespace bitexact
