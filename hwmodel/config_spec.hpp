// The key=value lists that name unit configurations on the command line and in tests
// ("lanes=4,act=e4m3,accum=fused<k=4,acc=24>,rows=16"), parsed the same way for every unit:
// commas inside <...> belong to the value, and every error is one FormatError naming the whole
// spec and the position of the offending item or value.
#pragma once

#include <charconv>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>

#include "formats/error.hpp"
#include "formats/spec_term.hpp"

namespace bitexact::hw {

class ConfigSpec {
 public:
  // unit names the config in messages: "bad mac config: ...".
  ConfigSpec(std::string_view spec, std::string_view unit) : spec_(spec), unit_(unit) {}

  // Calls on(key, value) for each item. A FormatError thrown by on() for another input (a nested
  // format, scheme or accumulation-model spec) is re-thrown at its position inside this spec.
  template <class F>
  void each(F&& on) {
    const std::string_view s = spec_;
    size_t i = 0;
    while (i < s.size()) {
      const size_t j = nested_item_end(s, i);
      const std::string_view item = s.substr(i, j - i);
      item_ = i;
      const size_t eq = item.find('=');
      if (eq == std::string_view::npos) fail_at("expected key=value", i);
      key_ = item.substr(0, eq);
      value_ = i + eq + 1;
      try {
        on(key_, item.substr(eq + 1));
      } catch (const FormatError& e) {
        if (e.input() == spec_) throw;
        const size_t pos = e.position() == FormatError::npos ? 0 : e.position();
        fail_at(std::string(key_) + ": " + e.what(), value_ + pos);
      }
      i = j + (j < s.size() ? 1 : 0);
    }
  }

  // The current value as an int.
  int integer(std::string_view v) const {
    int x = 0;
    const auto r = std::from_chars(v.data(), v.data() + v.size(), x);
    if (r.ec != std::errc() || r.ptr != v.data() + v.size()) fail_value("expected an integer");
    return x;
  }
  // The enumerator among `options` whose name(e) is v; else fails at the value: "WHAT is a, b or c".
  template <class E, class Name>
  E choice(std::string_view v, std::string_view what, std::initializer_list<E> options, Name name) const {
    std::string names;
    size_t left = options.size();
    for (const E e : options) {
      if (v == name(e)) return e;
      names += name(e);
      --left;
      names += left > 1 ? ", " : left == 1 ? " or " : "";
    }
    fail_value(std::string(what) + " is " + names);
  }
  // Runs check (the unit's validate()); its std::invalid_argument fails the whole spec.
  template <class F>
  void validated(F&& check) const {
    try {
      check();
    } catch (const std::invalid_argument& e) {
      fail_at(e.what(), 0);
    }
  }
  [[noreturn]] void fail_value(const std::string& msg) const { fail_at(msg, value_); }
  // An unknown key: msg lists the keys.
  [[noreturn]] void fail_key(const std::string& keys) const {
    fail_at("unknown key '" + std::string(key_) + "' (" + keys + ")", item_);
  }
  [[noreturn]] void fail_at(const std::string& msg, size_t at) const {
    throw FormatError("bad " + unit_ + " config: " + msg, spec_, std::min(at, spec_.size()));
  }

 private:
  std::string spec_, unit_;
  std::string_view key_;
  size_t item_ = 0, value_ = 0;
};

}  // namespace bitexact::hw
