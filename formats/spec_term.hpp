// A spec string split into a name and its <...> arguments, handed to each family's spec parser.
//
//   NAME                 name only
//   NAME<k=v, ...>       keyed arguments
//   NAME<a, b>           positional arguments (key empty), e.g. posit<8,2>
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bitexact {

struct SpecArg {
  std::string key;    // empty for a positional argument
  std::string value;
  size_t key_pos = 0;
  size_t value_pos = 0;
};

struct SpecTerm {
  std::string text;       // the whole spec string, for error messages
  std::string name;       // as written
  size_t name_pos = 0;
  std::vector<SpecArg> args;
  bool has_brackets = false;

  // Throws FormatError("bad format spec: MSG") pointing at character `at` of text.
  [[noreturn]] void fail(const std::string& msg, size_t at) const;
  // Argument readers that fail with the argument's position.
  int int_value(const SpecArg& a, int lo, int hi) const;
  bool bool_value(const SpecArg& a) const;
  // The argument with this key, or nullptr.
  const SpecArg* find(std::string_view key) const;
  // Fails on the first keyed argument whose key is not in `allowed` (comma-separated), and on
  // positional arguments when max_positional is exceeded.
  void check_keys(std::string_view allowed, size_t max_positional = 0) const;
};

// Splits spec into a SpecTerm; throws FormatError on malformed brackets.
SpecTerm split_spec(std::string_view spec);

// Lists whose items may hold nested <...> (accum=fused<k=4,acc=24>, elem=float<e=3,m=2>): the
// index of the first character of `stops` at or after `from` outside brackets, or s.size().
size_t nested_item_end(std::string_view s, size_t from, std::string_view stops = ",");

// The keyed arguments of NAME<k=v,...> where a value may hold nested <...> (the scheme and
// accumulation-model specs): `open` is the index of the '<', the list ends the spec (spaces may
// follow). Keys are [A-Za-z0-9_]+, values are trimmed and non-empty, no key is given twice; `<>` is
// an empty list where allow_empty. Throws FormatError("WHAT: ...", s, position of the fault).
std::vector<SpecArg> split_nested_args(std::string_view s, size_t open, std::string_view what,
                                       bool allow_empty = false);

}  // namespace bitexact
