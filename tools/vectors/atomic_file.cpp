#include "tools/vectors/atomic_file.hpp"

namespace bitexact::vectors {

void AtomicFile::flush_buffer() {
  if (buf_.empty()) return;
  hash_.update(buf_);
  file_.write(buf_);
  buf_.clear();
}

void AtomicFile::write(std::string_view bytes) {
  bytes_ += bytes.size();
  buf_.append(bytes);
  if (buf_.size() >= kBufferBytes) flush_buffer();
}

std::string AtomicFile::commit() {
  flush_buffer();
  file_.commit();
  return hash_.hex();
}

}  // namespace bitexact::vectors
