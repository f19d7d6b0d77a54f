// A file written atomically: bytes go to a temporary file in the same folder and are renamed into
// place by commit(), so a reader never sees half a vector file; without commit() (an error
// part-way) the temporary file is removed and an existing file is left as it was. The SHA-256
// of the bytes is computed while they are written.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "tools/vectors/sha256.hpp"

namespace bitexact::vectors {

class AtomicFile {
 public:
  // Throws std::runtime_error ("PATH: cannot open for writing: reason").
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);
  // Flushes, renames into place; returns the SHA-256 (hex) of everything written.
  std::string commit();
  uint64_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }

 private:
  void flush_buffer();
  std::string path_, tmp_;
  std::FILE* f_ = nullptr;
  std::string buf_;
  Sha256 hash_;
  uint64_t bytes_ = 0;
  bool done_ = false;
};

}  // namespace bitexact::vectors
