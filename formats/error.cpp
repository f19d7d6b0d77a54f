#include "formats/error.hpp"

#include <fmt/format.h>

namespace bitexact {

namespace {
std::string compose(const std::string& message, const std::string& input, size_t position) {
  if (position == FormatError::npos) return message;
  return fmt::format("{} (at character {} of '{}')", message, position + 1, input);
}
}  // namespace

FormatError::FormatError(std::string message, std::string input, size_t position)
    : std::runtime_error(compose(message, input, position)), input_(std::move(input)), position_(position) {}

std::string FormatError::detailed() const {
  if (position_ == npos) return what();
  return fmt::format("{}\n  {}\n  {}^", what(), input_, std::string(position_, ' '));
}

}  // namespace bitexact
