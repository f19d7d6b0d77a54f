#include "formats/error.hpp"

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

std::string compose(const std::string& message, const std::string& input, size_t position) {
  if (position == FormatError::npos) return printable(message);
  return fmt::format("{} (at character {} of '{}')", printable(message), position + 1, printable(input));
}
}  // namespace

FormatError::FormatError(std::string message, std::string input, size_t position)
    : std::runtime_error(compose(message, input, position)), input_(std::move(input)), position_(position) {}

}  // namespace bitexact
