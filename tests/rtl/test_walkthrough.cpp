// The README's RTL walkthrough as a test: `bitexact gen` writes every E4M3 operand pair as $readmemh
// vectors, the verilated testbench (rtl/dpi/examples) replays them through the multiplier and writes
// its results and flags, and `bitexact verify` recomputes every golden result and compares. The correct
// datapath passes; the faulty ones fail with the same count the live DPI-C check reports.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "tests/tools/cli_run.hpp"

#ifndef SIM_BIN
#error "SIM_BIN (path of rtl_sim_fp8_e4m3_mul) must be defined"
#endif

namespace {

namespace fs = std::filesystem;
using cli_test::quote;
using cli_test::Run;
using cli_test::slurp;

// Runs program with args in directory dir, capturing stdout and stderr together.
Run run_in(const fs::path& dir, const std::string& program, const std::vector<std::string>& args) {
  std::string cmd = "cd " + quote(dir.string()) + " && " + quote(program);
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " > " + quote((dir / "log").string()) + " 2>&1";
  const int status = std::system(cmd.c_str());
  Run r;
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  r.out = slurp(dir / "log");
  return r;
}

struct Walkthrough {
  fs::path dir = cli_test::scratch_dir();
  ~Walkthrough() { fs::remove_all(dir); }

  Run gen(const std::string& overflow) {
    return run_in(dir, BITEXACT_BIN,
                  {"gen", "--format", "e4m3", "--op", "mul", "--level", "exhaustive", "--encoding", "tv",
                   "--overflow", overflow, "--out-dir", "vec"});
  }
  Run simulate(const std::string& out, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"+tv=vec/float8_e4m3fn_mul_rne.tv", "+out=" + out};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_in(dir, SIM_BIN, args);
  }
  Run verify(const std::string& file, bool flags = true) {
    std::vector<std::string> args{"verify", "--manifest", "vec/manifest.json", file};
    if (!flags) args.push_back("--no-flags");
    return run_in(dir, BITEXACT_BIN, args);
  }
};

// M from the summary line "... N passed, M failed".
long failed_count(const std::string& text) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(R"(passed, ([0-9]+) failed)")) ? std::stol(m[1].str()) : -1;
}

}  // namespace

TEST_CASE("walkthrough: gen -> simulate -> verify passes the correct E4M3 multiplier, both overflow modes") {
  for (const std::string overflow : {"ieee", "saturate"}) {
    CAPTURE(overflow);
    Walkthrough w;
    const Run g = w.gen(overflow);
    REQUIRE(g.rc == 0);
    CHECK(cli_test::slurp(w.dir / "vec/float8_e4m3fn_mul_rne.tv").rfind("// bitexact", 0) == 0);
    const Run s = w.simulate("dut.tv", overflow == "saturate" ? std::vector<std::string>{"+sat"}
                                                                          : std::vector<std::string>{});
    REQUIRE(s.rc == 0);
    CHECK(s.out.find("replaying 65536 vectors") != std::string::npos);
    const std::string dut = slurp(w.dir / "dut.tv");
    CHECK(dut.rfind("00_00_00_00\n00_01_00_00\n", 0) == 0);  // A_B_R_FF lines, in the file's order
    CHECK(std::count(dut.begin(), dut.end(), '\n') == 65536);
    const Run v = w.verify("dut.tv");
    CHECK(v.rc == 0);
    CHECK(v.out.find("65536 passed, 0 failed") != std::string::npos);
  }
}

TEST_CASE("walkthrough: verify catches the faulty multipliers, with the live DPI-C check's counts") {
  Walkthrough w;
  REQUIRE(w.gen("ieee").rc == 0);
  for (const std::string fault : {"1", "2", "3"}) {
    CAPTURE(fault);
    const std::string arg = "+fault=" + fault;
    REQUIRE(w.simulate("dut_fault.tv", {arg}).rc == 0);
    const Run v = w.verify("dut_fault.tv");
    CHECK(v.rc == 1);
    if (fault == "3") {
      // Tininess before rounding: 7 * 2^-9 * 1.125 = 0.984375 * 2^-6 rounds up to 2^-6, not tiny after
      // rounding, so inexact only; the fault raises underflow too. The codes are all right.
      CHECK(v.out.find("dut_fault.tv:1850: mul a=07 (0.014) b=39 (1.1)") != std::string::npos);
      CHECK(v.out.find("expected 08 (0.016)  flags 01 ....x") != std::string::npos);
      CHECK(v.out.find("actual   08 (0.016)  flags 03 ...ux") != std::string::npos);
      const Run codes_only = w.verify("dut_fault.tv", false);
      CHECK(codes_only.rc == 0);
      CHECK(codes_only.out.find("65536 passed, 0 failed") != std::string::npos);
    } else {
      // Both rounding faults first show at 2^-9 * 0.5625, which rounds to the smallest subnormal (01)
      // and which a truncating datapath, or one that ignores the sticky bit, flushes to 00.
      CHECK(v.out.find("dut_fault.tv:306: mul a=01 (0.002) b=31 (0.56)") != std::string::npos);
      CHECK(v.out.find("expected 01 (0.002)") != std::string::npos);
      CHECK(v.out.find("actual   00 (0)") != std::string::npos);
    }
    // The same datapath checked live against bx_op from SystemVerilog finds the same number of pairs.
    const Run live = run_in(w.dir, SIM_BIN, {arg});
    CHECK(live.rc == 1);
    CHECK(live.out.find(fault == "3" ? "MISMATCH a=07 b=39 expected=08 flags=01 got=08 flags=03"
                                     : "MISMATCH a=01 b=31 expected=01 flags=03 got=00 flags=03") != std::string::npos);
    const long n = failed_count(v.out);
    CHECK(n > 0);
    CHECK(n == failed_count(live.out));
    CHECK(v.out.find(std::to_string(65536 - n) + " passed, " + std::to_string(n) + " failed") != std::string::npos);
  }
}
