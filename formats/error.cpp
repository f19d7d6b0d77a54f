#include "formats/error.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace bitexact {

namespace {
// Control bytes, DEL and non-ASCII bytes of the input are shown as \xNN so the message stays one
// printable line (a NUL would otherwise end it).
std::string printable(const std::string& s) {
  std::string r;
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f) r += fmt::format("\\x{:02x}", c);
    else r += char(c);
  }
  return r;
}

// A long input (a 1 MB line) is shown as the 120 characters around the position, so the message
// stays short; the position still counts from the input's start.
constexpr size_t kShownChars = 120;

std::string compose(const std::string& message, const std::string& input, size_t position) {
  if (position == FormatError::npos) return printable(message);
  if (input.size() <= kShownChars)
    return fmt::format("{} (at character {} of '{}')", printable(message), position + 1, printable(input));
  const size_t p = std::min(position, input.size());
  const size_t first = p > kShownChars / 2 ? std::min(p - kShownChars / 2, input.size() - kShownChars) : 0;
  return fmt::format("{} (at character {} of a {}-character input: '{}{}{}')", printable(message), position + 1,
                     input.size(), first > 0 ? "..." : "", printable(input.substr(first, kShownChars)),
                     first + kShownChars < input.size() ? "..." : "");
}
}  // namespace

FormatError::FormatError(std::string message, std::string input, size_t position)
    : std::runtime_error(compose(message, input, position)), input_(std::move(input)), position_(position) {}

}  // namespace bitexact
