// A vector file written atomically (bitexact::AtomicFile of emu/atomic_file.hpp: temporary file +
// rename, nothing at the target path unless commit() ran) with the SHA-256 of its bytes computed
// while they are written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "emu/atomic_file.hpp"
#include "tools/vectors/sha256.hpp"

namespace bitexact::vectors {

class AtomicFile {
 public:
  // Throws std::runtime_error ("PATH: cannot open for writing: reason").
  explicit AtomicFile(std::string path) : file_(std::move(path)) { buf_.reserve(kBufferBytes); }

  void write(std::string_view bytes);
  // Flushes, renames into place; returns the SHA-256 (hex) of everything written.
  std::string commit();
  uint64_t bytes() const { return bytes_; }
  const std::string& path() const { return file_.path(); }

 private:
  static constexpr size_t kBufferBytes = 1 << 16;
  void flush_buffer();
  bitexact::AtomicFile file_;
  std::string buf_;
  Sha256 hash_;
  uint64_t bytes_ = 0;
};

}  // namespace bitexact::vectors
