#include "tools/vectors/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

namespace bitexact::vectors {

namespace {
constexpr size_t kBufferBytes = 1 << 16;
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  tmp_ = fmt::format("{}.tmp{}", path_, getpid());
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (!f_) throw std::runtime_error(fmt::format("{}: cannot open for writing: {}", path_, std::strerror(errno)));
  buf_.reserve(kBufferBytes);
}

AtomicFile::~AtomicFile() {
  if (f_) std::fclose(f_);
  if (!done_) std::remove(tmp_.c_str());
}

void AtomicFile::flush_buffer() {
  if (buf_.empty()) return;
  hash_.update(buf_);
  if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
    throw std::runtime_error(fmt::format("{}: write error: {}", path_, std::strerror(errno)));
  buf_.clear();
}

void AtomicFile::write(std::string_view bytes) {
  bytes_ += bytes.size();
  buf_.append(bytes);
  if (buf_.size() >= kBufferBytes) flush_buffer();
}

std::string AtomicFile::commit() {
  flush_buffer();
  const int rc = std::fclose(f_);
  f_ = nullptr;
  if (rc != 0) throw std::runtime_error(fmt::format("{}: write error: {}", path_, std::strerror(errno)));
  std::error_code ec;
  std::filesystem::rename(tmp_, path_, ec);
  if (ec) throw std::runtime_error(fmt::format("{}: cannot rename the temporary file into place: {}", path_, ec.message()));
  done_ = true;
  return hash_.hex();
}

}  // namespace bitexact::vectors
