// The error every formats/ parser throws: a one-line message naming the input and, where it
// applies, the 0-based character position of the offending character.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace bitexact {

class FormatError : public std::runtime_error {
 public:
  static constexpr size_t npos = static_cast<size_t>(-1);
  FormatError(std::string message, std::string input = {}, size_t position = npos);
  const std::string& input() const { return input_; }
  size_t position() const { return position_; }

 private:
  std::string input_;
  size_t position_;
};

// A FormatError caused by the contents or readability of a file a spec names (a codebook file):
// bad input rather than a bad command line (the CLI exits 3, not 2).
class FormatFileError : public FormatError {
 public:
  using FormatError::FormatError;
};

}  // namespace bitexact
