// SHA-256 (OpenSSL libcrypto EVP) for the manifest's file hashes: incremental, or of a whole file.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace bitexact::vectors {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex();  // lowercase, 64 digits; ends the digest

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string sha256_hex(std::string_view bytes);
// Throws std::runtime_error when the file cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace bitexact::vectors
