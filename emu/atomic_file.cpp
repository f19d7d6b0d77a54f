#include "emu/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace bitexact {

namespace {

constexpr size_t kBufferBytes = 1 << 16;

// The process umask, read once: mkstemp creates files 0600, and an output file should get the
// permissions an ordinary open() would give it.
mode_t process_umask() {
  static std::once_flag once;
  static mode_t mask = 022;
  std::call_once(once, [] {
    mask = ::umask(022);
    ::umask(mask);
  });
  return mask;
}

// write(2) until every byte is out (or an error other than EINTR).
bool write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= size_t(w);
  }
  return true;
}

}  // namespace

AtomicFile::Buf::Buf(AtomicFile& f) : f_(f), buf_(new char[kBufferBytes]) { setp(buf_.get(), buf_.get() + kBufferBytes); }

int AtomicFile::Buf::flush_out() {
  const size_t n = size_t(pptr() - pbase());
  if (n == 0) return f_.errno_ ? -1 : 0;
  setp(buf_.get(), buf_.get() + kBufferBytes);
  if (f_.errno_ || f_.fd_ < 0) return -1;
  if (!write_all(f_.fd_, buf_.get(), n)) {
    f_.errno_ = errno ? errno : EIO;
    return -1;
  }
  return 0;
}

AtomicFile::Buf::int_type AtomicFile::Buf::overflow(int_type c) {
  if (flush_out() != 0) return traits_type::eof();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

int AtomicFile::Buf::sync() { return flush_out(); }

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), buf_(*this), os_(&buf_) {
  std::vector<char> name(path_.begin(), path_.end());
  for (char c : std::string_view(".tmpXXXXXX")) name.push_back(c);
  name.push_back('\0');
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) throw std::runtime_error(fmt::format("{}: cannot open for writing: {}", path_, std::strerror(errno)));
  tmp_ = name.data();
  ::fchmod(fd_, 0666 & ~process_umask());
}

AtomicFile::~AtomicFile() {
  if (!committed_) close_and_remove();
}

void AtomicFile::close_and_remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!tmp_.empty()) ::unlink(tmp_.c_str());
  tmp_.clear();
}

void AtomicFile::write(std::string_view bytes) {
  os_.write(bytes.data(), std::streamsize(bytes.size()));
  if (!os_) throw std::runtime_error(fmt::format("{}: write error: {}", path_, std::strerror(errno_ ? errno_ : EIO)));
}

void AtomicFile::commit() {
  if (committed_ || fd_ < 0) throw std::logic_error(fmt::format("{}: committed twice", path_));
  const bool flushed = buf_.flush_out() == 0 && os_.good();
  const int rc = flushed ? ::close(fd_) : -1;
  if (flushed) fd_ = -1;
  if (!flushed || rc != 0) {
    const int err = errno_ ? errno_ : (rc != 0 ? errno : EIO);
    close_and_remove();
    throw std::runtime_error(fmt::format("{}: write error: {}", path_, std::strerror(err)));
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    close_and_remove();
    throw std::runtime_error(fmt::format("{}: cannot rename the temporary file into place: {}", path_, std::strerror(err)));
  }
  committed_ = true;
}

void write_file_atomic(const std::string& path, std::string_view content) {
  AtomicFile f(path);
  f.write(content);
  f.commit();
}

}  // namespace bitexact
