// Helpers of the vector CLI suites: run gen into a scratch folder, read its files and manifest,
// and the SHA-256 of a file computed independently of bitexact (OpenSSL's one-shot SHA256()).
#pragma once

#include <openssl/sha.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/tools/cli_run.hpp"

namespace vec_test {

namespace fs = std::filesystem;
using cli_test::Run;

inline std::string sha256_independent(const std::string& bytes) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), d);
  std::string s;
  char h[3];
  for (unsigned char c : d) {
    std::snprintf(h, sizeof h, "%02x", c);
    s += h;
  }
  return s;
}

inline size_t lines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

inline std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// Runs `bitexact gen ARGS --out-dir DIR` into a fresh scratch folder.
struct GenRun {
  Run run;
  fs::path dir;
  nlohmann::json manifest;
  std::string file(const std::string& name) const { return cli_test::slurp(dir / name); }
};

inline GenRun gen(std::vector<std::string> args, fs::path dir = {}) {
  GenRun g;
  g.dir = dir.empty() ? cli_test::scratch_dir() / "vec" : dir;
  args.insert(args.begin(), "gen");
  args.push_back("--out-dir");
  args.push_back(g.dir.string());
  g.run = cli_test::bitexact(args);
  if (g.run.rc == 0) g.manifest = nlohmann::json::parse(cli_test::slurp(g.dir / "manifest.json"));
  return g;
}

}  // namespace vec_test
