// Runs the bitexact binary as a subprocess and captures exit code, stdout and stderr; shared by
// the CLI suites (tests/tools/test_cli*.cpp). BITEXACT_BIN is the executable's path.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef BITEXACT_BIN
#error "BITEXACT_BIN (path of the bitexact executable) must be defined"
#endif

namespace cli_test {

namespace fs = std::filesystem;

struct Run {
  int rc = -1;
  std::string out;
  std::string err;
};

inline std::string quote(const std::string& s) {
  std::string r = "'";
  for (char c : s) {
    if (c == '\'') r += "'\\''";
    else r += c;
  }
  return r + "'";
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline fs::path scratch_dir() {
  static std::atomic<int> counter{0};
  fs::path d = fs::temp_directory_path() / ("bitexact_cli_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  fs::create_directories(d);
  return d;
}

// Runs bitexact with args, feeding `in` on stdin.
inline Run bitexact(const std::vector<std::string>& args, const std::string& in = "") {
  const fs::path d = scratch_dir();
  {
    std::ofstream f(d / "in", std::ios::binary);
    f << in;
  }
  std::string cmd = quote(BITEXACT_BIN);
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " < " + quote((d / "in").string()) + " > " + quote((d / "out").string()) + " 2> " + quote((d / "err").string());
  const int status = std::system(cmd.c_str());
  Run r;
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  r.out = slurp(d / "out");
  r.err = slurp(d / "err");
  fs::remove_all(d);
  return r;
}

}  // namespace cli_test
