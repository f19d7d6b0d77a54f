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

// How to run it: stdin bytes, extra environment ("OMP_NUM_THREADS=2 X=y"), a wall-clock limit
// (timeout(1); a run that hits it exits 124, or 137 when killed) and the working folder.
struct RunOptions {
  std::string in;
  std::string env;
  int timeout_s = 0;
  std::string cwd;
};

inline Run bitexact_with(const std::vector<std::string>& args, const RunOptions& o) {
  const fs::path d = scratch_dir();
  {
    std::ofstream f(d / "in", std::ios::binary);
    f << o.in;
  }
  std::string cmd;
  if (!o.cwd.empty()) cmd += "cd " + quote(o.cwd) + " && ";
  if (!o.env.empty()) cmd += "env " + o.env + " ";
  if (o.timeout_s > 0) cmd += "timeout -k 5 " + std::to_string(o.timeout_s) + " ";
  cmd += quote(BITEXACT_BIN);
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

// Runs bitexact with args, feeding `in` on stdin.
inline Run bitexact(const std::vector<std::string>& args, const std::string& in = "") {
  RunOptions o;
  o.in = in;
  return bitexact_with(args, o);
}

}  // namespace cli_test
