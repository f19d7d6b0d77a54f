// The one way the project writes an output file: bytes go to a temporary file beside the target
// (same folder, so the rename cannot cross file systems) and commit() renames it over the target.
// A reader never sees half a file, and a failure part-way (an exception, a full disk, a killed
// process before commit) leaves no file at the target path (an existing file stays as it was):
// the destructor of an uncommitted AtomicFile removes the temporary file. It lives in emu/ because
// emu is the lowest layer that writes files (write_npy); the CLI's outputs (tools/) use it too.
#pragma once

#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace bitexact {

class AtomicFile {
 public:
  // Creates the temporary file; throws std::runtime_error("PATH: cannot open for writing: reason").
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Appends bytes; throws std::runtime_error("PATH: write error: reason").
  void write(std::string_view bytes);
  // The same file as a std::ostream (a write error sets badbit; commit() then throws).
  std::ostream& stream() { return os_; }
  // Flushes, closes and renames into place; throws std::runtime_error on failure (and removes the
  // temporary file). Call once.
  void commit();
  const std::string& path() const { return path_; }

 private:
  class Buf : public std::streambuf {
   public:
    explicit Buf(AtomicFile& f);
    int flush_out();  // 0, or -1 after a write error (errno_ holds the reason)

   protected:
    int_type overflow(int_type c) override;
    int sync() override;

   private:
    AtomicFile& f_;
    std::unique_ptr<char[]> buf_;
  };
  void close_and_remove();

  std::string path_, tmp_;
  int fd_ = -1;
  int errno_ = 0;  // first write error
  bool committed_ = false;
  Buf buf_;
  std::ostream os_;
};

// Writes content to path through an AtomicFile. Throws std::runtime_error("PATH: cannot ...").
void write_file_atomic(const std::string& path, std::string_view content);

}  // namespace bitexact
